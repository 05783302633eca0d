/* ajar-export.c — `ajar export --format json|html [-o FILE]`, and the JSON
 * form of a message that `list --json` shares. */
#include <stdio.h>
#include <string.h>

#include "ajar-cli.h"
#include "ajar-export.h"
#include "ajar/ajar-files.h"
#include "ajar/ajar-json.h"

#define COMMAND "export" /* no i18n: the command's name */

/* no i18n begin: the JSON that `list --json` and `export` write */
static void
append_member(GString *out, const char *key, const char *value)
{
    g_string_append_printf(out, ",\"%s\":", key);
    if (value != NULL)
        ajar_json_append_string(out, value, -1);
    else
        g_string_append(out, "null");
}

static void
append_time_member(GString *out, const char *key, gint64 unix_us)
{
    if (unix_us > 0) {
        g_autofree char *iso = ajar_cli_iso_time(unix_us);
        append_member(out, key, iso);
    } else {
        append_member(out, key, NULL);
    }
}

gboolean
ajar_cli_append_item_json(GString *out, const AjarCliJournal *journal, const AjarItem *item,
                          const GArray *history)
{
    g_autoptr(GError) text_error = NULL;
    g_auto(GStrv) images = NULL;
    gsize text_len = 0;
    g_autofree char *text =
        ajar_cli_journal_read_text(journal, item, &text_len, &images, &text_error);

    g_string_append(out, "{\"id\":");
    ajar_json_append_string(out, item->id, -1);
    append_member(out, "state", ajar_cli_state_name(item->state));
    append_member(out, "dir", item->dir == AJAR_DIRECTION_OUT ? "out" : "in");
    append_member(out, "account", item->account);
    append_member(out, "protocol", item->protocol);
    append_member(out, "buddy", item->buddy);
    append_member(out, "rule", item->rule);
    append_time_member(out, "time", item->time);
    append_time_member(out, "due", item->due);
    /* Only when set (issue 12): a chat line's room and nick, a stranger's
     * message, one written in quiet hours or waiting for your answer, and
     * the images kept with its text. */
    if (item->chat != NULL)
        append_member(out, "chat", item->chat);
    if (item->nick != NULL)
        append_member(out, "nick", item->nick);
    if (item->stranger)
        g_string_append(out, ",\"stranger\":true");
    if (item->quiet)
        g_string_append(out, ",\"quiet\":true");
    if (item->ask)
        g_string_append(out, ",\"ask\":true");
    if (images != NULL) {
        g_string_append(out, ",\"images\":[");
        for (guint i = 0; images[i] != NULL; i++) {
            if (i > 0)
                g_string_append_c(out, ',');
            ajar_json_append_string(out, images[i], -1);
        }
        g_string_append_c(out, ']');
    }
    /* Only when true: Ajar stopped while sending or showing it. */
    if (item->interrupted && ajar_item_in_custody(item))
        g_string_append(out, ",\"interrupted\":true");
    /* As the journal does: bytes that are not text are kept, as base64.
     * A text that cannot be read back is never given wrong: why instead. */
    if (text == NULL) {
        ajar_cli_error("%s", text_error->message);
        append_member(out, "text_error", text_error->message);
    } else if (ajar_cli_text_needs_base64(text, text_len)) {
        g_autofree char *encoded = g_base64_encode((const guchar *)text, text_len);
        append_member(out, "text_base64", encoded);
    } else {
        g_string_append(out, ",\"text\":");
        ajar_json_append_string(out, text, (gssize)text_len);
    }
    if (history != NULL) {
        g_string_append(out, ",\"history\":[");
        for (guint i = 0; i < history->len; i++) {
            const AjarCliHistoryEntry *entry = &g_array_index(history, AjarCliHistoryEntry, i);
            g_autofree char *ts = ajar_time_format_utc(entry->ts, TRUE);

            g_string_append_printf(out, "%s{\"seq\":%" G_GINT64_FORMAT ",\"ts\":", i > 0 ? "," : "",
                                   entry->seq);
            ajar_json_append_string(out, ts, -1);
            append_member(out, "event", entry->name);
            g_string_append_c(out, '}');
        }
        g_string_append_c(out, ']');
    }
    g_string_append_c(out, '}');
    return text != NULL;
}

static gboolean
export_json(GString *out, const AjarCliJournal *journal, const GPtrArray *items, GDateTime *now)
{
    gboolean all_read = TRUE;
    gint64 now_us = g_date_time_to_unix(now) * G_USEC_PER_SEC;
    g_autofree char *exported = ajar_time_format_utc(now_us, FALSE);

    g_string_append(out, "{\n\"journal\":");
    ajar_json_append_string(out, journal->path, -1);
    g_string_append(out, ",\n\"exported\":");
    ajar_json_append_string(out, exported, -1);
    g_string_append(out, ",\n\"messages\":[");
    for (guint i = 0; i < items->len; i++) {
        const AjarItem *item = g_ptr_array_index(items, i);
        g_string_append(out, i > 0 ? ",\n" : "\n");
        all_read &= ajar_cli_append_item_json(out, journal, item,
                                              ajar_cli_journal_history(journal, item->id));
    }
    g_string_append(out, "\n]\n}\n");
    return all_read;
}
/* no i18n end */

/* -o FILE: written whole to a private (0600) temporary file next to it, then
 * renamed over it, so a reader never sees half an export. */
static gboolean
write_file(const char *path, const GString *data)
{
    g_autofree char *dir = g_path_get_dirname(path);
    g_autofree char *name = g_path_get_basename(path);
    g_autoptr(GError) error = NULL;

    if (!ajar_files_replace(dir, name, data->str, data->len, &error)) {
        ajar_cli_error("%s", error->message);
        return FALSE;
    }
    return TRUE;
}

int
ajar_cli_export(AjarCli *cli, int argc, char **argv)
{
    g_autofree char *format = NULL;
    g_autofree char *output = NULL;
    g_autoptr(GOptionContext) context = ajar_cli_option_context_new(NULL);
    g_autoptr(AjarCliJournal) journal = NULL;
    g_autoptr(GPtrArray) items = NULL;
    g_autoptr(GString) out = g_string_new(NULL);
    gboolean html;
    int status = AJAR_CLI_EXIT_OK;
    gboolean all_read, written;
    GOptionEntry entries[] = {
        { "format", 'f', 0, G_OPTION_ARG_STRING, &format, /* no i18n: option name */
          /* TRANSLATORS: json and html are the values --format takes: keep
           * them as they are. */
          N_("json (one document, with every message's history) or html (one page to read in a "
             "browser)"),
          /* TRANSLATORS: an option's placeholder ("--format=FORMAT"). */
          N_("FORMAT") },
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, /* no i18n: option name */
          /* TRANSLATORS: FILE is the option's placeholder (translated
           * apart); both must agree. */
          N_("Write to FILE (created readable by you only) instead of the standard output"),
          /* TRANSLATORS: an option's placeholder ("--output=FILE"). */
          N_("FILE") },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };

    g_option_context_set_summary(context,
                                 N_("Exports every message Ajar has seen, with what became of it. "
                                    "The export holds private messages: keep it somewhere safe."));
    g_option_context_add_main_entries(context, entries, NULL);
    ajar_cli_add_shared_options(cli, context, FALSE);
    if (!ajar_cli_parse(cli, context, COMMAND, &argc, &argv))
        return AJAR_CLI_EXIT_USAGE;
    if (argc > 1)
        return ajar_cli_usage_error(COMMAND, _("unexpected argument '%s'"), argv[1]);
    if (format == NULL)
        /* TRANSLATORS: --format json and --format html are typed as they are. */
        return ajar_cli_usage_error(COMMAND,
                                    _("which format? Give --format json or --format html"));
    if (strcmp(format, "json") != 0 && strcmp(format, "html") != 0)
        /* TRANSLATORS: --format, json and html are typed as they are; %s is
         * what the user gave. */
        return ajar_cli_usage_error(COMMAND, _("--format takes json or html, not '%s'"), format);
    html = strcmp(format, "html") == 0;

    journal = ajar_cli_journal_load_or_report(cli, TRUE, &status);
    if (journal == NULL)
        return status;
    ajar_cli_journal_warn(journal);
    if (journal->missing) {
        /* TRANSLATORS: %s is the journal file's path. */
        fprintf(stderr, _("No journal yet at %s. The export is empty."), journal->path);
        fputc('\n', stderr);
    }

    items = ajar_cli_sorted_items(journal->state);
    /* A text that cannot be read back is exported as such (the reason on
     * stderr too), and the exit says the export is not whole. */
    if (html)
        all_read = ajar_cli_export_html(out, journal, items, cli->now);
    else
        all_read = export_json(out, journal, items, cli->now);
    if (output != NULL && strcmp(output, "-") != 0)
        written = write_file(output, out);
    else
        written = ajar_cli_write_stdout(out->str, out->len);
    return written && all_read ? AJAR_CLI_EXIT_OK : AJAR_CLI_EXIT_FAILED;
}
