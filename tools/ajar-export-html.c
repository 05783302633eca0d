/* ajar-export-html.c — every message as one HTML page to read in a browser.
 * Message texts come from other people: everything is escaped, nothing is
 * interpreted as markup, and the page can load and run nothing. Nothing can
 * hide or reorder either: hidden characters are shown as styled marks
 * (ajar-reveal.h), and names and texts are isolated (<bdi>, dir="auto") so
 * that a right-to-left one cannot reorder the words around it. */
#include <string.h>

#include "ajar-export.h"

#include "ajar/ajar-reveal.h"
#include "ajar/ajar-stats.h"
#include "ajar/ajar-text.h"

/* no i18n begin: the page's style and HTML entities */
static const char page_style[] =
    "body{font:16px/1.5 system-ui,sans-serif;max-width:46em;margin:2em auto;padding:0 1em;"
    "color:#222;background:#fdfdfb}\n"
    "h1{font-size:1.4em;font-weight:600}h2{font-size:1.15em;font-weight:600;margin-top:2em;"
    "border-bottom:1px solid #ddd}\n"
    "header p,.meta{color:#666;font-size:.9em}\n"
    "article{margin:1em 0;padding:.5em .8em;border-left:3px solid #ccc}\n"
    "article.out{border-left-color:#8aa}\n"
    ".meta{margin:0}.state{font-variant:small-caps}\n"
    ".text{white-space:pre-wrap;overflow-wrap:anywhere;margin:.3em 0 0}\n"
    ".empty{color:#999;font-style:italic}\n"
    /* a hidden character's mark must not pass for their words */
    ".hidden-char{font:.75em/1 monospace;color:#a33;border:1px solid;border-radius:3px;"
    "padding:0 .2em;white-space:nowrap}\n"
    ".mixed-scripts{color:#a33;font-size:.85em}\n"
    "@media (prefers-color-scheme:dark){body{color:#ddd;background:#1b1b1b}"
    "header p,.meta{color:#999}h2{border-color:#444}article{border-color:#555}"
    ".hidden-char,.mixed-scripts{color:#f99}}\n";

/* Escapes "&", "<" and ">", and with @quotes also both quotes, in @len
 * bytes of @text (-1: up to its NUL). */
static void
append_entities(GString *out, const char *text, gssize len, gboolean quotes)
{
    const char *end = text + (len < 0 ? (gssize)strlen(text) : len);

    for (const char *p = text; p < end; p++) {
        switch (*p) {
        case '&': g_string_append(out, "&amp;"); break;
        case '<': g_string_append(out, "&lt;"); break;
        case '>': g_string_append(out, "&gt;"); break;
        case '"': g_string_append(out, quotes ? "&quot;" : "\""); break;
        case '\'': g_string_append(out, quotes ? "&#39;" : "'"); break;
        default: g_string_append_c(out, *p); break;
        }
    }
}

/* @text (any bytes) made safe (see ajar_cli_append_safe()), then escaped for
 * HTML text and attribute values alike, each hidden character as a mark
 * in a span (text only: never put this in an attribute). */
static void
append_escaped(GString *out, const char *text, gssize len)
{
    g_autoptr(GString) safe = g_string_new(NULL);
    const char *p, *run, *end;

    ajar_cli_append_safe(safe, text, len,
                         AJAR_CLI_SAFE_KEEP_NEWLINES | AJAR_CLI_SAFE_KEEP_TABS |
                             AJAR_CLI_SAFE_KEEP_HIDDEN);
    end = safe->str + safe->len;
    run = safe->str;
    for (p = safe->str; p < end; p = g_utf8_next_char(p)) {
        g_autoptr(GString) mark = NULL;

        if ((guchar)*p < 0x80 || !ajar_reveal_is_hidden(safe->str, end, p))
            continue;
        mark = g_string_new(NULL);
        ajar_reveal_append_mark(mark, g_utf8_get_char(p));
        append_entities(out, run, p - run, TRUE);
        g_string_append(out, "<span class=\"hidden-char\">");
        append_entities(out, mark->str, -1, TRUE);
        g_string_append(out, "</span>");
        run = g_utf8_next_char(p);
    }
    append_entities(out, run, end - run, TRUE);
}
/* no i18n end */

/* Appends translated @words as text, never markup (quotes need not be
 * escaped outside attributes). */
static void
append_words(GString *out, const char *words)
{
    append_entities(out, words, -1, FALSE);
}

/* Appends @format (translated words, see append_words()) with its
 * arguments, which are HTML already, put in as they are. */
static void G_GNUC_PRINTF(2, 3)
append_html_printf(GString *out, const char *format, ...)
{
    g_autoptr(GString) words = g_string_new(NULL);
    va_list args;

    append_words(words, format);
    va_start(args, format);
    /* words->str is @format with &, < and > as entities: escaping adds and
     * removes no '%', so the arguments G_GNUC_PRINTF checked still match.
     * (clang's -Wformat-nonliteral cannot know that; gcc does not ask.) */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    g_string_append_vprintf(out, words->str, args);
#pragma GCC diagnostic pop
    va_end(args);
}

/* no i18n begin: markup around names */
/* @text (ours: a time, a language code) as an attribute's value: made safe,
 * escaped, no marks (they are markup). */
static void
append_attribute(GString *out, const char *text)
{
    g_autoptr(GString) safe = g_string_new(NULL);

    ajar_cli_append_safe(safe, text, -1, AJAR_CLI_SAFE_ONE_LINE);
    append_entities(out, safe->str, (gssize)safe->len, TRUE);
}

/* A name as text: isolated in <bdi>, hidden characters marked, and a
 * marker after it when it mixes alphabets (ajar-reveal.h). */
static void
append_name(GString *out, const char *name)
{
    g_autoptr(GString) safe = g_string_new(NULL);

    ajar_cli_append_safe(safe, name, -1, AJAR_CLI_SAFE_ONE_LINE | AJAR_CLI_SAFE_KEEP_HIDDEN);
    g_string_append(out, "<bdi>");
    append_escaped(out, safe->str, (gssize)safe->len);
    g_string_append(out, "</bdi>");
    if (ajar_reveal_name_mixes_scripts(safe->str)) {
        g_string_append(out, " <span class=\"mixed-scripts\">");
        append_words(out, ajar_reveal_mixed_marker());
        g_string_append(out, "</span>");
    }
}

/* no i18n end */

/* @text made safe and escaped (append_escaped()). Transfer full. */
static char *
escaped(const char *text)
{
    GString *out = g_string_new(NULL);

    append_escaped(out, text, -1);
    return g_string_free(out, FALSE);
}

static gint
compare_rule_names(gconstpointer a, gconstpointer b)
{
    const char *x = *(const char *const *)a;
    const char *y = *(const char *const *)b;
    g_autofree char *fx = g_utf8_casefold(x, -1);
    g_autofree char *fy = g_utf8_casefold(y, -1);
    int order = g_utf8_collate(fx, fy);

    return order != 0 ? order : strcmp(x, y);
}

/* no i18n begin: the page's structure (tags, classes, attributes); its words are marked */
static gboolean
append_message(GString *out, const AjarCliJournal *journal, const AjarItem *item, GDateTime *now)
{
    g_autoptr(GError) text_error = NULL;
    g_auto(GStrv) images = NULL;
    gsize kept_len = 0;
    g_autofree char *kept_text =
        ajar_cli_journal_read_text(journal, item, &kept_len, &images, &text_error);
    g_autofree char *iso = ajar_cli_iso_time(item->time);
    g_autofree char *when = ajar_format_local_time(item->time, now);
    g_autoptr(GString) buddy = g_string_new(NULL);
    gboolean outgoing = item->dir == AJAR_DIRECTION_OUT;
    const char *state = ajar_cli_state_name(item->state);

    /* state names are the journal's own fixed words: safe as a class name */
    g_string_append_printf(out,
                           "<article class=\"%s state-%s\">\n<p class=\"meta\"><time datetime=\"",
                           outgoing ? "out" : "in", state);
    append_attribute(out, iso);
    g_string_append(out, "\">");
    append_escaped(out, when, -1);
    g_string_append(out, "</time> · ");
    /* The same words as `ajar list`'s. */
    append_name(buddy, item->buddy != NULL ? item->buddy : "");
    if (item->chat != NULL) {
        g_autoptr(GString) nick = g_string_new(NULL);
        g_autoptr(GString) room = g_string_new(NULL);
        append_name(nick, item->nick != NULL ? item->nick : item->buddy != NULL ? item->buddy : "");
        append_name(room, item->chat);
        append_html_printf(out, _("from %s in %s"), nick->str, room->str);
    } else {
        append_html_printf(out, outgoing ? _("to %s") : _("from %s"), buddy->str);
        if (item->stranger) {
            g_string_append_c(out, ' ');
            append_words(out, _("(stranger)"));
        }
    }
    /* The state as the journal names it, as `ajar list` shows it. */
    g_string_append_printf(out, " · <span class=\"state\">%s</span>", state);
    if (item->due > 0 && ajar_item_in_custody(item)) {
        g_autofree char *due = ajar_format_local_time(item->due, now);
        g_autofree char *due_html = escaped(due);
        g_string_append_c(out, ' ');
        /* TRANSLATORS: when a message waits for (the HTML export, after its
         * state); %s is a date and time. */
        append_html_printf(out, _("until %s"), due_html);
    }
    if (item->quiet) {
        g_string_append(out, " · ");
        /* TRANSLATORS: the HTML export, after a message's state. */
        append_words(out, _("written in quiet hours"));
    }
    if (item->ask) {
        g_string_append(out, " · ");
        /* TRANSLATORS: the HTML export, after a message's state. */
        append_words(out, _("waits for your answer"));
    }
    if (images != NULL) {
        guint n = g_strv_length(images);
        /* Named, never shown: the page loads nothing. */
        g_string_append(out, " · ");
        /* TRANSLATORS: the HTML export: %u images kept with the message
         * (in the images folder beside the journal). */
        append_html_printf(out, P_("%u image", "%u images", n), n);
        g_string_append(out, " (");
        for (guint i = 0; i < n; i++) {
            if (i > 0)
                g_string_append(out, ", ");
            append_name(out, images[i]);
        }
        g_string_append_c(out, ')');
    }
    if (item->interrupted && ajar_item_in_custody(item)) {
        g_string_append(out, " · ");
        append_words(out,
                     outgoing ? _("may already have been sent") : _("may already have been shown"));
    }
    g_string_append(out, "</p>\n");
    if (kept_text == NULL) {
        /* Never a wrong text: that it cannot be read, and why. */
        ajar_cli_error("%s", text_error->message);
        g_string_append(out, "<p class=\"text empty\">");
        /* TRANSLATORS: the HTML export, in place of a message's text; %s
         * is why (one line naming the file and where in it). */
        append_html_printf(out, _("(the text cannot be read: %s)"), text_error->message);
        g_string_append(out, "</p>\n");
    } else if (kept_len == 0) {
        g_string_append(out, "<p class=\"text empty\">");
        append_words(out, _("(no text)"));
        g_string_append(out, "</p>\n");
    } else {
        /* As a person reads it (markup gone, entities decoded), then escaped:
         * nothing a message says can become markup on this page. */
        g_autofree char *plain = ajar_text_from_markup(kept_text, (gssize)kept_len);
        /* Its own paragraph, its direction from its own first letter. */
        g_string_append(out, "<p class=\"text\" dir=\"auto\">");
        append_escaped(out, plain, -1);
        g_string_append(out, "</p>\n");
    }
    g_string_append(out, "</article>\n");
    return kept_text != NULL;
}

gboolean
ajar_cli_export_html(GString *out, const AjarCliJournal *journal, const GPtrArray *items,
                     GDateTime *now)
{
    g_autoptr(GHashTable) by_rule =
        g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_ptr_array_unref);
    g_autoptr(GPtrArray) rules = g_ptr_array_new();
    /* xgettext:no-c-format */
    /* TRANSLATORS: a date and time with the year: a g_date_time_format()
     * format (%a weekday, %b month, %-d day, %Y year, %H:%M time). */
    g_autofree char *exported = g_date_time_format(now, _("%a %-d %b %Y %H:%M"));
    g_autofree char *exported_html = escaped(exported);
    g_autofree char *path_html = escaped(journal->path);
    g_autofree char *code = g_strdup_printf("<code>%s</code>", path_html);
    guint in_custody = 0;
    gboolean all_read = TRUE;

    for (guint i = 0; i < items->len; i++) {
        const AjarItem *item = g_ptr_array_index(items, i);
        const char *rule = item->rule != NULL ? item->rule : "";
        GPtrArray *group = g_hash_table_lookup(by_rule, rule);

        if (group == NULL) {
            group = g_ptr_array_new();
            g_hash_table_insert(by_rule, (gpointer)rule, group);
            g_ptr_array_add(rules, (gpointer)rule);
        }
        g_ptr_array_add(group, (gpointer)item);
        if (ajar_item_in_custody(item))
            in_custody++;
    }
    g_ptr_array_sort(rules, compare_rule_names);

    g_string_append(out, "<!DOCTYPE html>\n<html lang=\"");
    /* TRANSLATORS: the language of your translation as an HTML lang
     * attribute's value ("de", "es", "pt-BR"). */
    append_attribute(out, _("en"));
    g_string_append(out,
                    "\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
                    "'none'; style-src 'unsafe-inline'\">\n<title>");
    /* TRANSLATORS: the HTML export's title (a browser's tab). */
    append_words(out, _("Ajar: kept messages"));
    g_string_append(out, "</title>\n<style>\n");
    g_string_append(out, page_style);
    g_string_append(out, "</style>\n</head>\n<body>\n<header>\n<h1>");
    /* TRANSLATORS: the HTML export's heading. */
    append_words(out, _("Messages Ajar kept"));
    g_string_append(out, "</h1>\n<p>");
    append_html_printf(out,
                       /* TRANSLATORS: %1$u messages in the export, %2$u of them
                        * still kept. */
                       P_("%u message, %u still in Ajar's keeping.",
                          "%u messages, %u still in Ajar's keeping.", items->len),
                       items->len, in_custody);
    g_string_append_c(out, ' ');
    /* TRANSLATORS: %1$s is when the export was made, %2$s the journal's path. */
    append_html_printf(out, _("Exported %s from %s."), exported_html, code);
    g_string_append(out, "</p>\n</header>\n<main>\n");
    if (items->len == 0) {
        g_string_append(out, "<p class=\"empty\">");
        append_words(out, _("No messages yet."));
        g_string_append(out, "</p>\n");
    }

    for (guint r = 0; r < rules->len; r++) {
        const char *rule = g_ptr_array_index(rules, r);
        GPtrArray *group = g_hash_table_lookup(by_rule, rule);

        g_string_append(out, "<section>\n<h2>");
        if (rule[0] != '\0')
            append_name(out, rule);
        else
            /* TRANSLATORS: the heading over messages that name no rule. */
            append_words(out, _("(no rule)"));
        g_string_append(out, "</h2>\n");
        for (guint i = 0; i < group->len; i++)
            all_read &= append_message(out, journal, g_ptr_array_index(group, i), now);
        g_string_append(out, "</section>\n");
    }
    g_string_append(out, "</main>\n</body>\n</html>\n");
    return all_read;
}
/* no i18n end */
