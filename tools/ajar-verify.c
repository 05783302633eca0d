/* ajar-verify.c — `ajar verify` (is the journal sound?) and `ajar stats`
 * (the figures the plugin's "Statistics…" shows, in the same words). */
#include <string.h>

#include "ajar-cli.h"
#include "ajar/ajar-stats.h"

/* The labels' column: at least this wide, and a space after the longest. */
#define LABEL_WIDTH 13

#define VERIFY "verify" /* no i18n: a command's name */
#define STATS "stats"   /* no i18n: a command's name */

static const char *const labels[] = {
    /* TRANSLATORS: the labels of `ajar verify`, each before its figures. */
    N_("Journal"),      N_("Lines"),     N_("Events"),   N_("In keeping"),
    N_("Malformed"),    N_("Last line"), N_("Repaired"), N_("Seq gaps"),
    N_("Seq disorder"), N_("Orphans"),   N_("History"),
};

/* The states in Ajar's keeping, in the order verify lists them. */
static const AjarEventType custody_states[] = {
    AJAR_EVENT_HELD,   AJAR_EVENT_ARCHIVED,  AJAR_EVENT_READ,    AJAR_EVENT_DELAYED,
    AJAR_EVENT_QUEUED, AJAR_EVENT_CANCELLED, AJAR_EVENT_SENDING, AJAR_EVENT_SHOWING,
};

static void append_line(GString *out, const char *label, const char *format, ...)
    G_GNUC_PRINTF(3, 4);

/* @label: one of labels[] (untranslated), or "". */
static void
append_line(GString *out, const char *label, const char *format, ...)
{
    int width = LABEL_WIDTH;
    va_list args;

    for (gsize i = 0; i < G_N_ELEMENTS(labels); i++)
        width = MAX(width, ajar_cli_text_width(_(labels[i])) + 1);
    ajar_cli_append_padded(out, label[0] != '\0' ? _(label) : "", width);
    va_start(args, format);
    g_string_append_vprintf(out, format, args);
    va_end(args);
    g_string_append_c(out, '\n');
}

static gboolean
line_in(const GArray *lines, guint line_no)
{
    for (guint i = 0; i < lines->len; i++) {
        if (g_array_index(lines, guint, i) == line_no)
            return TRUE;
    }
    return FALSE;
}

static void
append_custody(GString *out, const AjarState *state)
{
    g_autoptr(GString) parts = g_string_new(NULL);
    guint total = ajar_state_count_custody(state);

    /* "3 held, 1 queued": the journal's state names, as --state takes them. */
    for (gsize i = 0; i < G_N_ELEMENTS(custody_states); i++) {
        guint count = ajar_state_count_in_state(state, custody_states[i]);
        if (count > 0)
            g_string_append_printf(parts, "%s%u %s", parts->len > 0 ? ", " : "", count,
                                   ajar_cli_state_name(custody_states[i]));
    }
    if (parts->len == 0)
        append_line(out, N_("In keeping"), P_("%u message", "%u messages", total), total);
    else
        append_line(out, N_("In keeping"),
                    /* TRANSLATORS: %2$s lists the messages by state, as the
                     * journal names states: "3 held, 1 queued". */
                    P_("%u message: %s", "%u messages: %s", total), total, parts->str);
}

/* Malformed lines, except those a repair event explains. */
static void
append_malformed(GString *out, const AjarCliJournal *journal, guint count)
{
    const GArray *lines = journal->report.malformed_lines;
    g_autoptr(GString) numbers = g_string_new(NULL);
    guint listed = 0;

    if (count == 0) {
        append_line(out, N_("Malformed"), P_("%u line", "%u lines", count), count);
        return;
    }
    for (guint i = 0; lines != NULL && i < lines->len; i++) {
        guint line_no = g_array_index(lines, guint, i);
        if (line_in(journal->repaired_lines, line_no))
            continue;
        g_string_append_printf(numbers, "%s%u", listed > 0 ? ", " : "", line_no);
        listed++;
    }
    if (listed < count)
        append_line(out, N_("Malformed"),
                    /* TRANSLATORS: %1$u damaged lines in all; %2$s the numbers
                     * of the first of them ("4, 9, 12"), %3$u how many more. */
                    P_("%u line: lines %s and %u more", "%u lines: lines %s and %u more", count),
                    count, numbers->str, count - listed);
    else
        append_line(out, N_("Malformed"),
                    /* TRANSLATORS: %2$s is the damaged line's number, or a list
                     * of them ("4, 9, 12"). */
                    P_("%u line: line %s", "%u lines: lines %s", count), count, numbers->str);
    if (journal->report.first_malformed_reason != NULL) {
        g_autofree char *reason = ajar_cli_safe_line(journal->report.first_malformed_reason, -1);
        /* TRANSLATORS: why the first damaged line could not be read. */
        append_line(out, "", _("first: %s"), reason);
    }
}

static void
append_repairs(GString *out, const AjarCliJournal *journal)
{
    const AjarJournalReport *report = &journal->report;
    guint repaired = report->repaired_tails;
    g_autoptr(GString) numbers = g_string_new(NULL);
    g_autofree char *what = NULL;

    if (repaired == 0)
        return;
    for (guint i = 0; i < journal->repaired_lines->len; i++)
        g_string_append_printf(numbers, "%s%u", i > 0 ? ", " : "",
                               g_array_index(journal->repaired_lines, guint, i));
    if (numbers->len > 0)
        /* TRANSLATORS: %2$s is the line's number, or a list of them ("4, 9"). */
        what = g_strdup_printf(P_("%u line cut by a crash (line %s); Ajar ended it and noted it.",
                                  "%u lines cut by a crash (line %s); Ajar ended them and noted "
                                  "it.",
                                  repaired),
                               repaired, numbers->str);
    else
        what =
            g_strdup_printf(P_("%u line cut by a crash; Ajar ended it and noted it.",
                               "%u lines cut by a crash; Ajar ended them and noted it.", repaired),
                            repaired);
    append_line(out, N_("Repaired"), "%s %s", what,
                _("Nothing was lost: a message is only withheld once its line is written."));
}

/* The history files (issue 13): what they hold. Their lines are the
 * journal's, moved byte for byte as they were, so their order is the
 * journal's per message but not in seq from file to file (a message kept
 * long moves at a later compaction, into the file of its month), and a
 * damaged line there was reported while it was in the journal: neither is
 * a problem now. */
static void
append_history(GString *out, const AjarCliJournal *journal)
{
    const GArray *files = journal->history_files;
    guint lines = 0;

    if (files->len == 0)
        return;
    for (guint i = 0; i < files->len; i++)
        lines += g_array_index(files, AjarCliHistoryFile, i).report.lines;
    if (files->len == 1)
        append_line(out, N_("History"),
                    /* TRANSLATORS: %1$s is a history file's name
                     * ("history/2026-11.jsonl"), %2$u its lines. */
                    P_("%s: %u line", "%s: %u lines", lines),
                    g_array_index(files, AjarCliHistoryFile, 0).name, lines);
    else
        append_line(out, N_("History"),
                    /* TRANSLATORS: %1$u history files, %2$s the first one's name,
                     * %3$s the last one's ("history/2026-11.jsonl"), %4$u their lines
                     * in all (the plural follows the lines). */
                    P_("%u files (%s to %s): %u line", "%u files (%s to %s): %u lines", lines),
                    files->len, g_array_index(files, AjarCliHistoryFile, 0).name,
                    g_array_index(files, AjarCliHistoryFile, files->len - 1).name, lines);
    /* Damage moved there as it was: named, not a failure. */
    for (guint i = 0; i < files->len; i++) {
        const AjarCliHistoryFile *file = &g_array_index(files, AjarCliHistoryFile, i);

        if (file->report.malformed > 0)
            append_line(out, "",
                        /* TRANSLATORS: %1$s is a history file's name, %2$u its
                         * damaged lines, moved from the journal as they were. */
                        P_("%s: %u malformed line, moved as it was",
                           "%s: %u malformed lines, moved as they were", file->report.malformed),
                        file->name, file->report.malformed);
    }
}

int
ajar_cli_verify(AjarCli *cli, int argc, char **argv)
{
    g_autoptr(GOptionContext) context = ajar_cli_option_context_new(NULL);
    g_autoptr(AjarCliJournal) journal = NULL;
    g_autoptr(GString) out = g_string_new(NULL);
    const AjarJournalReport *report;
    int status = AJAR_CLI_EXIT_OK;
    guint malformed, orphans;
    gboolean ok;

    g_option_context_set_summary(
        context, N_("Checks the journal: lines, messages in Ajar's keeping, damaged lines, seq "
                    "order. Exit status 1 when something is wrong."));
    ajar_cli_add_shared_options(cli, context, FALSE);
    if (!ajar_cli_parse(cli, context, VERIFY, &argc, &argv))
        return AJAR_CLI_EXIT_USAGE;
    if (argc > 1)
        return ajar_cli_usage_error(VERIFY, _("unexpected argument '%s'"), argv[1]);

    journal = ajar_cli_journal_load_or_report(cli, FALSE, &status);
    if (journal == NULL)
        return status;
    if (journal->missing) {
        /* TRANSLATORS: %s is the journal file's path. */
        g_string_append_printf(out, _("No journal yet at %s. Nothing to check."), journal->path);
        g_string_append_c(out, '\n');
        return ajar_cli_write_stdout(out->str, out->len) ? AJAR_CLI_EXIT_OK : AJAR_CLI_EXIT_FAILED;
    }
    report = &journal->report;
    malformed = ajar_cli_journal_unexplained_malformed(journal);
    orphans = ajar_state_get_orphans(journal->state);

    append_line(out, N_("Journal"), "%s", journal->path);
    append_line(out, N_("Lines"), "%u", report->lines);
    append_line(out, N_("Events"), "%u", report->events);
    append_custody(out, journal->state);
    append_malformed(out, journal, malformed);
    if (report->incomplete_tail)
        append_line(out, N_("Last line"),
                    P_("%lu byte without a line end: being written, or cut by a crash (not an "
                       "error)",
                       "%lu bytes without a line end: being written, or cut by a crash (not an "
                       "error)",
                       report->incomplete_tail_bytes),
                    (unsigned long)report->incomplete_tail_bytes);
    append_repairs(out, journal);
    /* Before a summary, the lines between the kept ones moved to history:
     * those gaps are no damage (journal->seq_gaps counts after it). */
    append_line(out, N_("Seq gaps"), "%u", journal->seq_gaps);
    append_line(out, N_("Seq disorder"), "%u", report->seq_disorder);
    if (orphans > 0)
        append_line(out, N_("Orphans"),
                    /* TRANSLATORS: the parenthesis says what "Orphans" are,
                     * whatever their number. */
                    _("%u (events for messages whose first line is missing)"), orphans);
    else
        append_line(out, N_("Orphans"), "%u", orphans);

    append_history(out, journal);

    ok = malformed == 0 && journal->seq_gaps == 0 && report->seq_disorder == 0 && orphans == 0;
    /* TRANSLATORS: `ajar verify`'s last line: all is well, or not. */
    g_string_append_printf(out, "%s\n", ok ? C_("verify result", "OK") : _("PROBLEMS FOUND"));
    if (!ajar_cli_write_stdout(out->str, out->len))
        return AJAR_CLI_EXIT_FAILED;
    return ok ? AJAR_CLI_EXIT_OK : AJAR_CLI_EXIT_FAILED;
}

int
ajar_cli_stats(AjarCli *cli, int argc, char **argv)
{
    g_autoptr(GOptionContext) context = ajar_cli_option_context_new(NULL);
    g_autoptr(AjarCliJournal) journal = NULL;
    g_autoptr(GPtrArray) stats = NULL;
    g_autofree char *text = NULL;
    gboolean json = FALSE;
    int status = AJAR_CLI_EXIT_OK;
    GOptionEntry entries[] = {
        { "json", 'j', 0, G_OPTION_ARG_NONE, &json, /* no i18n: option name */
          N_("One JSON object instead of text"), NULL },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };

    g_option_context_set_summary(context,
                                 N_("Shows, per rule, when you last wrote to them, the times you "
                                    "held back, and what is waiting: the same figures as the "
                                    "plugin's Statistics."));
    g_option_context_add_main_entries(context, entries, NULL);
    ajar_cli_add_shared_options(cli, context, FALSE);
    if (!ajar_cli_parse(cli, context, STATS, &argc, &argv))
        return AJAR_CLI_EXIT_USAGE;
    if (argc > 1)
        return ajar_cli_usage_error(STATS, _("unexpected argument '%s'"), argv[1]);

    journal = ajar_cli_journal_load_or_report(cli, FALSE, &status);
    if (journal == NULL)
        return status;
    ajar_cli_journal_warn(journal);
    stats = ajar_stats_compute(journal->state);
    if (json) {
        text = ajar_stats_format_json(stats);
    } else {
        g_autofree char *words = ajar_stats_format_text(stats, cli->now);
        GString *safe = g_string_new(NULL);

        /* The same words as the plugin; a hand-edited journal's rule names
         * must still not drive the terminal (a no-op for ordinary text).
         * Their hidden characters are marked already (ajar_stats_format_text()),
         * and a translation's own direction marks are the translator's. */
        ajar_cli_append_safe(safe, words, -1,
                             AJAR_CLI_SAFE_KEEP_NEWLINES | AJAR_CLI_SAFE_KEEP_TABS |
                                 AJAR_CLI_SAFE_KEEP_HIDDEN);
        text = g_string_free(safe, FALSE);
    }
    return ajar_cli_write_stdout(text, strlen(text)) ? AJAR_CLI_EXIT_OK : AJAR_CLI_EXIT_FAILED;
}
