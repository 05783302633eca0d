/* ajar-show.c — `ajar show ID`: one message in full, and its history. The
 * text is printed as stored (markup is not interpreted) but never raw: see
 * ajar_cli_append_safe(). */
#include <string.h>

#include "ajar-cli.h"

#include "ajar/ajar-reveal.h"
#include "ajar/ajar-stats.h"
#include "ajar/ajar-text.h"

/* The labels' column: at least this wide, and two spaces after the longest. */
#define LABEL_WIDTH 9

#define COMMAND "show" /* no i18n: the command's name */

static const char *const labels[] = {
    /* TRANSLATORS: the labels of `ajar show`, each before its value. */
    N_("To"),    N_("From"),   N_("Account"), N_("Rule"), N_("Time"),
    N_("State"), N_("Due"),    N_("Note"),    N_("Id"),   N_("Room"),
    N_("Nick"),  N_("Sender"), N_("Quiet"),   N_("Ask"),  N_("Images"),
};

/* Finds the message @wanted names: its whole id, or a unique prefix of it
 * (ignoring case: ids are Crockford base32). */
static const AjarItem *
find_item(const AjarCliJournal *journal, const char *wanted, guint *matches, GPtrArray **candidates)
{
    const AjarItem *exact = ajar_state_lookup(journal->state, wanted);
    g_autoptr(GPtrArray) items = NULL;
    const AjarItem *found = NULL;
    gsize wanted_len = strlen(wanted);

    *matches = 0;
    *candidates = g_ptr_array_new();
    if (exact != NULL) {
        *matches = 1;
        return exact;
    }
    if (wanted_len == 0)
        return NULL;
    items = ajar_cli_sorted_items(journal->state);
    for (guint i = 0; i < items->len; i++) {
        const AjarItem *item = g_ptr_array_index(items, i);
        if (g_ascii_strncasecmp(item->id, wanted, wanted_len) == 0) {
            found = item;
            (*matches)++;
            g_ptr_array_add(*candidates, (gpointer)item);
        }
    }
    return *matches == 1 ? found : NULL;
}

static int
label_width(void)
{
    int width = LABEL_WIDTH;

    for (gsize i = 0; i < G_N_ELEMENTS(labels); i++)
        width = MAX(width, ajar_cli_text_width(_(labels[i])) + 2);
    return width;
}

/* @label: one of labels[], untranslated. */
static void
append_field(GString *out, const char *label, const char *value, const char *color)
{
    g_autofree char *safe = ajar_cli_safe_line(value != NULL ? value : "", -1);

    ajar_cli_append_padded(out, _(label), label_width());
    if (color != NULL)
        g_string_append_printf(out, "%s%s\033[0m\n", color, safe);
    else
        g_string_append_printf(out, "%s\n", safe);
}

/* A name's field: marked when it mixes alphabets (ajar-reveal.h). */
static void
append_name_field(GString *out, const char *label, const char *name)
{
    g_autofree char *safe = ajar_cli_safe_line(name != NULL ? name : "", -1);

    ajar_cli_append_padded(out, _(label), label_width());
    g_string_append(out, safe);
    if (ajar_reveal_name_mixes_scripts(safe))
        g_string_append_printf(out, " %s", ajar_reveal_mixed_marker());
    g_string_append_c(out, '\n');
}

/* @kept_text (@kept_len bytes) and @images: the message's text and images
 * read back; @kept_text NULL when it could not be, @text_error saying why. */
static void
append_message(GString *out, const AjarItem *item, const char *kept_text, gsize kept_len,
               char **images, const GError *text_error, const GArray *history, GDateTime *now,
               gboolean color)
{
    g_autofree char *when = ajar_format_local_time(item->time, now);
    g_autofree char *account = NULL;
    g_autoptr(GString) text = g_string_new(NULL);
    int width = ajar_cli_terminal_width();

    append_name_field(out, item->dir == AJAR_DIRECTION_OUT ? N_("To") : N_("From"), item->buddy);
    /* A chat line: the room, and the occupant's nick there. */
    if (item->chat != NULL)
        append_name_field(out, N_("Room"), item->chat);
    if (item->nick != NULL)
        append_name_field(out, N_("Nick"), item->nick);
    if (item->stranger)
        append_field(out, N_("Sender"),
                     /* TRANSLATORS: `ajar show`, after "Sender". */
                     _("a stranger: in none of your buddy lists"), NULL);
    /* An account and its protocol: names, not words. */
    account = g_strdup_printf("%s (%s)", item->account != NULL ? item->account : "",
                              item->protocol != NULL ? item->protocol : "");
    append_field(out, N_("Account"), account, NULL);
    append_name_field(out, N_("Rule"), item->rule);
    append_field(out, N_("Time"), when, NULL);
    /* The state as the journal names it, as --state takes it. */
    append_field(out, N_("State"), ajar_cli_state_name(item->state),
                 color ? ajar_cli_state_color(item->state) : NULL);
    if (item->due > 0) {
        g_autofree char *due = ajar_format_local_time(item->due, now);
        append_field(out, N_("Due"), due, NULL);
    }
    if (item->quiet)
        append_field(out, N_("Quiet"),
                     /* TRANSLATORS: `ajar show`, after "Quiet". */
                     _("written in quiet hours: kept until they end"), NULL);
    if (item->ask)
        append_field(out, N_("Ask"),
                     /* TRANSLATORS: `ajar show`, after "Ask". */
                     _("kept until you answer whether to send it"), NULL);
    if (images != NULL) {
        g_autofree char *names = g_strjoinv(", ", images);
        /* TRANSLATORS: `ajar show`, after "Images": %1$u images kept with
         * the message, %2$s their file names in the images folder. */
        g_autofree char *shown =
            g_strdup_printf(P_("%u, in images/: %s", "%u, in images/: %s", g_strv_length(images)),
                            g_strv_length(images), names);
        append_field(out, N_("Images"), shown, NULL);
    } else if (item->n_images > 0) {
        g_autofree char *count = g_strdup_printf("%u", item->n_images); /* no i18n: a number */
        append_field(out, N_("Images"), count, NULL);
    }
    if (item->interrupted && ajar_item_in_custody(item))
        append_field(out, N_("Note"),
                     item->dir == AJAR_DIRECTION_OUT
                         ? _("Ajar stopped while sending it: it may already have reached them.")
                         : _("Ajar stopped while showing it: it may already be in the "
                             "conversation."),
                     NULL);
    append_field(out, N_("Id"), item->id, NULL);
    g_string_append_c(out, '\n');

    if (kept_text == NULL) {
        /* Never a wrong text: what was there is said, and why it is not. */
        g_autofree char *why = ajar_cli_safe_line(text_error->message, -1);
        /* TRANSLATORS: `ajar show`, in place of a message's text; %s is why
         * (one line naming the file and where in it). */
        g_autofree char *line = g_strdup_printf(_("(the text cannot be read: %s)"), why);
        ajar_cli_append_wrapped(out, line, width, "");
    } else {
        /* As a person reads it: markup gone, entities decoded (ajar-text.h). */
        g_autofree char *plain = ajar_text_from_markup(kept_text, (gssize)kept_len);
        ajar_cli_append_safe(text, plain, -1, AJAR_CLI_SAFE_KEEP_NEWLINES);
    }
    if (kept_text != NULL && text->len == 0)
        g_string_append_printf(out, "%s\n", _("(no text)"));
    else if (kept_text != NULL)
        ajar_cli_append_wrapped(out, text->str, width, "");

    if (history == NULL || history->len == 0)
        return;
    /* TRANSLATORS: the heading over a message's events in `ajar show`. */
    g_string_append_printf(out, "\n%s\n", _("History"));
    for (guint i = 0; i < history->len; i++) {
        const AjarCliHistoryEntry *entry = &g_array_index(history, AjarCliHistoryEntry, i);
        g_autofree char *ts = ajar_format_local_time(entry->ts, now);
        g_autofree char *name = ajar_cli_safe_line(entry->name != NULL ? entry->name : "?", -1);

        /* The journal's own words: the event's name, its seq. */
        g_string_append_printf(out, "  %s  %-9s  seq %" G_GINT64_FORMAT "\n", /* no i18n: journal */
                               ts, name, entry->seq);
    }
}

static void
report_ambiguous(const char *wanted, const GPtrArray *candidates)
{
    g_autoptr(GString) list = g_string_new(NULL);
    g_autofree char *safe = ajar_cli_safe_line(wanted, -1);

    for (guint i = 0; i < candidates->len && i < 5; i++) {
        const AjarItem *item = g_ptr_array_index(candidates, i);
        g_autofree char *id = ajar_cli_safe_line(item->id, -1);
        g_string_append_printf(list, "%s%s", i > 0 ? ", " : "", id);
    }
    if (candidates->len > 5)
        g_string_append(list, ", …");
    /* TRANSLATORS: %1$s is the id the user gave, %2$u how many messages
     * its beginning fits, %3$s a list of their ids. */
    ajar_cli_error(P_("'%s' could be %u message (%s); give more of the id",
                      "'%s' could be %u messages (%s); give more of the id", candidates->len),
                   safe, candidates->len, list->str);
}

int
ajar_cli_show(AjarCli *cli, int argc, char **argv)
{
    /* TRANSLATORS: the placeholder in `ajar show`'s usage line. */
    g_autoptr(GOptionContext) context = ajar_cli_option_context_new(N_("ID"));
    g_autoptr(AjarCliJournal) journal = NULL;
    g_autoptr(GPtrArray) candidates = NULL;
    g_autoptr(GString) out = g_string_new(NULL);
    const AjarItem *item;
    int status = AJAR_CLI_EXIT_OK;
    guint matches;
    g_autoptr(GError) text_error = NULL;
    g_autofree char *kept_text = NULL;
    g_auto(GStrv) images = NULL;
    gsize kept_len = 0;

    /* TRANSLATORS: ID is the placeholder of the usage line (translated
     * apart); 'ajar list' is typed as it is. */
    g_option_context_set_summary(context, N_("Shows one message in full, with its history. ID is "
                                             "the id 'ajar list' shows, or any unique beginning of "
                                             "it."));
    ajar_cli_add_shared_options(cli, context, TRUE);
    if (!ajar_cli_parse(cli, context, COMMAND, &argc, &argv))
        return AJAR_CLI_EXIT_USAGE;
    if (argc < 2)
        return ajar_cli_usage_error(COMMAND, _("which message? Give its id (see 'ajar list')"));
    if (argc > 2)
        return ajar_cli_usage_error(COMMAND, _("unexpected argument '%s'"), argv[2]);

    journal = ajar_cli_journal_load_or_report(cli, TRUE, &status);
    if (journal == NULL)
        return status;
    ajar_cli_journal_warn(journal);

    item = find_item(journal, argv[1], &matches, &candidates);
    if (matches > 1) {
        report_ambiguous(argv[1], candidates);
        return AJAR_CLI_EXIT_FAILED;
    }
    if (item == NULL) {
        g_autofree char *safe = ajar_cli_safe_line(argv[1], -1);
        if (journal->missing)
            /* TRANSLATORS: %1$s is the id the user gave, %2$s the journal's path. */
            ajar_cli_error(_("no message '%s': there is no journal yet at %s"), safe,
                           journal->path);
        else
            /* TRANSLATORS: %1$s is the id the user gave, %2$s the journal's path. */
            ajar_cli_error(_("no message '%s' in %s"), safe, journal->path);
        return AJAR_CLI_EXIT_FAILED;
    }
    kept_text = ajar_cli_journal_read_text(journal, item, &kept_len, &images, &text_error);
    append_message(out, item, kept_text, kept_len, images, text_error,
                   ajar_cli_journal_history(journal, item->id), cli->now, ajar_cli_use_color(cli));
    if (!ajar_cli_write_stdout(out->str, out->len))
        return AJAR_CLI_EXIT_FAILED;
    if (kept_text == NULL) {
        /* The one-line reason on stderr too, and a failed exit: the output
         * lacks the text. */
        ajar_cli_error("%s", text_error->message);
        return AJAR_CLI_EXIT_FAILED;
    }
    return AJAR_CLI_EXIT_OK;
}
