/* ajar-compact.c — `ajar compact [--drop-history]`: finished history moves
 * from journal.jsonl to history/YYYY-MM.jsonl (or, with --drop-history, is
 * deleted). The only command that writes: it opens the journal as its
 * writer, so it refuses while the messenger has it (which compacts on its
 * own while it runs). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "ajar-cli.h"
#include "ajar/ajar-compact.h"
#include "ajar/ajar-lock.h"

#define COMPACT "compact" /* no i18n: a command's name */

/* The holder's program name ("pidgin"), or NULL. Transfer full. */
static char *
program_of(int pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/comm", pid); /* no i18n: a path */
    char *name = NULL;

    if (!g_file_get_contents(path, &name, NULL, NULL))
        return NULL;
    g_strchomp(name);
    if (name[0] == '\0') {
        g_free(name);
        return NULL;
    }
    return name;
}

static int
refuse_busy(const char *path)
{
    int pid = ajar_lock_find_holder(path);
    g_autofree char *program = pid > 0 ? program_of(pid) : NULL;
    g_autofree char *safe = program != NULL ? ajar_cli_safe_line(program, -1) : NULL;

    if (safe != NULL)
        /* TRANSLATORS: %1$s is the journal's file name, %2$s the program
         * that has it ("pidgin"), %3$d its process id. */
        ajar_cli_error(_("%s is in use by %s (process %d); Ajar compacts it on its own while it "
                         "runs, or quit it first"),
                       AJAR_JOURNAL_FILE, safe, pid);
    else if (pid > 0)
        /* TRANSLATORS: %1$s is the journal's file name, %2$d a process id. */
        ajar_cli_error(_("%s is in use by process %d; Ajar compacts it on its own while it "
                         "runs, or quit it first"),
                       AJAR_JOURNAL_FILE, pid);
    else
        /* TRANSLATORS: %s is the journal's file name. */
        ajar_cli_error(_("%s is in use by another program; Ajar compacts it on its own while "
                         "it runs, or quit it first"),
                       AJAR_JOURNAL_FILE);
    return AJAR_CLI_EXIT_FAILED;
}

int
ajar_cli_compact(AjarCli *cli, int argc, char **argv)
{
    g_autoptr(GOptionContext) context = ajar_cli_option_context_new(NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(GString) out = g_string_new(NULL);
    g_autofree char *default_dir = NULL;
    g_autofree char *ajar_dir = NULL;
    g_autofree char *path = NULL;
    g_autofree char *before = NULL, *after = NULL;
    gboolean drop_history = FALSE;
    AjarCompactResult result;
    AjarJournal *journal;
    struct stat st;
    gboolean ok;
    GOptionEntry entries[] = {
        { "drop-history", 0, 0, G_OPTION_ARG_NONE, &drop_history, /* no i18n: option name */
          N_("Delete the history files (DIR/ajar/history/) instead of keeping the finished "
             "messages there"),
          NULL },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };

    g_option_context_set_summary(
        context, N_("Moves finished messages from journal.jsonl to history/YYYY-MM.jsonl, "
                    "keeping what Ajar still keeps and the statistics. Not while the messenger "
                    "runs: it compacts on its own."));
    g_option_context_add_main_entries(context, entries, NULL);
    ajar_cli_add_shared_options(cli, context, FALSE);
    if (!ajar_cli_parse(cli, context, COMPACT, &argc, &argv))
        return AJAR_CLI_EXIT_USAGE;
    if (argc > 1)
        return ajar_cli_usage_error(COMPACT, _("unexpected argument '%s'"), argv[1]);

    ajar_dir = g_build_filename(
        cli->dir != NULL ? cli->dir
                         : (default_dir = g_build_filename(g_get_home_dir(), ".purple", NULL)),
        "ajar", NULL); /* no i18n: a folder name */
    path = g_build_filename(ajar_dir, AJAR_JOURNAL_FILE, NULL);
    if (stat(path, &st) != 0 && errno == ENOENT) {
        /* TRANSLATORS: %s is the journal file's path. */
        g_string_append_printf(out, _("No journal yet at %s. Nothing to compact."), path);
        g_string_append_c(out, '\n');
        return ajar_cli_write_stdout(out->str, out->len) ? AJAR_CLI_EXIT_OK : AJAR_CLI_EXIT_FAILED;
    }
    journal = ajar_journal_open(ajar_dir, AJAR_FLUSH_EVERY_EVENT, &error);
    if (journal == NULL) {
        if (g_error_matches(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_BUSY))
            return refuse_busy(path);
        ajar_cli_error("%s", error->message);
        return AJAR_CLI_EXIT_FAILED;
    }
    ok = ajar_journal_compact(journal, drop_history, &result, &error);
    ajar_journal_close(journal);
    if (!ok) {
        ajar_cli_error("%s", error->message);
        return AJAR_CLI_EXIT_FAILED;
    }
    before = g_format_size_full(result.journal_bytes_before, G_FORMAT_SIZE_IEC_UNITS);
    after = g_format_size_full(result.journal_bytes_after, G_FORMAT_SIZE_IEC_UNITS);
    if (drop_history)
        g_string_append_printf(
            out,
            /* TRANSLATORS: %1$s is the journal's file name, %2$s and %3$s its
             * sizes before and after ("248.4 MiB"), %4$u how many lines were
             * deleted; history/ is a folder's name. */
            P_("%s: %s → %s; %u line of finished history deleted, and history/ with it",
               "%s: %s → %s; %u lines of finished history deleted, and history/ with them",
               result.lines_moved),
            AJAR_JOURNAL_FILE, before, after, result.lines_moved);
    else {
        g_autofree char *files =
            /* TRANSLATORS: how many history files lines went to ("3 files"). */
            g_strdup_printf(P_("%u file", "%u files", result.history_files), result.history_files);
        g_string_append_printf(out,
                               /* TRANSLATORS: %1$s is the journal's file name, %2$s and %3$s its
             * sizes before and after ("248.4 MiB"), %4$u lines moved, %5$s
             * the files they went to ("3 files"); history/ is a folder. */
                               P_("%s: %s → %s; %u line moved to history/ (%s)",
                                  "%s: %s → %s; %u lines moved to history/ (%s)",
                                  result.lines_moved),
                               AJAR_JOURNAL_FILE, before, after, result.lines_moved, files);
    }
    g_string_append_c(out, '\n');
    return ajar_cli_write_stdout(out->str, out->len) ? AJAR_CLI_EXIT_OK : AJAR_CLI_EXIT_FAILED;
}
