/* test-cli-compact.c — `ajar compact` (issue 13): one line saying what
 * moved; the statistics, `list --state all`, `show` and `export` the same
 * before and after (history/ is read too); `verify` reads history; with
 * --drop-history the history is gone; and while the messenger has the
 * journal, it refuses in one line naming the process, changing nothing. */
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli-test-util.h"

typedef CliSampleFixture Sample;

static char *
stdout_of(const CliFixture *f, const char *first, const char *second, const char *third)
{
    g_autoptr(CliRun) run = cli_run_dir(f, first, second, third, NULL);

    cli_assert_status(run, 0);
    return g_strdup(run->out);
}

static void
test_compact(Sample *s, gconstpointer data)
{
    CliFixture *f = &s->base;
    g_autofree char *stats = stdout_of(f, "stats", NULL, NULL);
    g_autofree char *stats_json = stdout_of(f, "stats", "--json", NULL);
    g_autofree char *list = stdout_of(f, "list", "--state", "all");
    g_autofree char *show = stdout_of(f, "show", s->ids[SAMPLE_SCRIPT], NULL);
    g_autofree char *history = g_build_filename(f->ajar, "history", "2026-11.jsonl", NULL);
    g_autofree char *journal = NULL;
    gsize size_before = 0;

    {
        g_autofree char *bytes = NULL;
        g_assert_true(g_file_get_contents(f->journal, &bytes, &size_before, NULL));
    }
    {
        g_autoptr(CliRun) run = cli_run_dir(f, "compact", NULL);
        cli_assert_status(run, 0);
        g_assert_cmpstr(run->err, ==, "");
        /* One line: sizes before and after, lines moved, files. */
        g_assert_true(g_str_has_prefix(run->out, "journal.jsonl: "));
        cli_assert_contains(run->out, " → ");
        cli_assert_contains(run->out, " lines moved to history/ (1 file)\n");
        g_assert_cmpuint(strchr(run->out, '\n') - run->out + 1, ==, strlen(run->out));
    }
    g_assert_true(g_file_test(history, G_FILE_TEST_IS_REGULAR));
    g_assert_true(g_file_get_contents(f->journal, &journal, NULL, NULL));
    g_assert_cmpuint(strlen(journal), <, size_before);
    /* A released message's lines left the journal; the held ones stayed. */
    g_assert_null(strstr(journal, s->ids[SAMPLE_SCRIPT]));
    g_assert_nonnull(strstr(journal, s->ids[SAMPLE_AWAKE]));
    g_assert_nonnull(strstr(journal, "\"event\":\"summary\""));
    {
        g_autofree char *stats_after = stdout_of(f, "stats", NULL, NULL);
        g_autofree char *stats_json_after = stdout_of(f, "stats", "--json", NULL);
        g_autofree char *list_after = stdout_of(f, "list", "--state", "all");
        g_autofree char *show_after = stdout_of(f, "show", s->ids[SAMPLE_SCRIPT], NULL);
        g_autofree char *held = stdout_of(f, "list", NULL, NULL);

        g_assert_cmpstr(stats_after, ==, stats);
        g_assert_cmpstr(stats_json_after, ==, stats_json);
        g_assert_cmpstr(list_after, ==, list);
        g_assert_cmpstr(show_after, ==, show);
        cli_assert_lacks(held, "<script>");
    }
    {
        g_autoptr(CliRun) run = cli_run_dir(f, "export", "--format", "json", NULL);
        cli_assert_status(run, 0);
        cli_assert_contains(run->out, s->ids[SAMPLE_SCRIPT]);
        cli_assert_contains(run->out, s->ids[SAMPLE_SEE_YOU]);
    }
    {
        g_autoptr(CliRun) run = cli_run_dir(f, "verify", NULL);
        cli_assert_status(run, 0);
        cli_assert_contains(run->out, "History      history/2026-11.jsonl: ");
        cli_assert_contains(run->out, "Seq gaps     0\n");
        g_assert_true(g_str_has_suffix(run->out, "\nOK\n"));
    }
    /* Again: nothing more to move, the same figures. */
    {
        g_autoptr(CliRun) run = cli_run_dir(f, "compact", NULL);
        g_autofree char *stats_again = stdout_of(f, "stats", NULL, NULL);
        cli_assert_status(run, 0);
        cli_assert_contains(run->out, "; 1 line moved to history/");
        g_assert_cmpstr(stats_again, ==, stats);
    }
}

static void
test_drop_history(Sample *s, gconstpointer data)
{
    CliFixture *f = &s->base;
    g_autofree char *stats = stdout_of(f, "stats", "--json", NULL);
    g_autofree char *history = g_build_filename(f->ajar, "history", "2026-11.jsonl", NULL);

    {
        g_autoptr(CliRun) run = cli_run_dir(f, "compact", NULL);
        cli_assert_status(run, 0);
    }
    g_assert_true(g_file_test(history, G_FILE_TEST_EXISTS));
    {
        g_autoptr(CliRun) run = cli_run_dir(f, "compact", "--drop-history", NULL);
        g_autofree char *stats_after = stdout_of(f, "stats", "--json", NULL);
        g_autofree char *all = stdout_of(f, "list", "--state", "all");

        cli_assert_status(run, 0);
        cli_assert_contains(run->out, "of finished history deleted, and history/ with ");
        g_assert_false(g_file_test(history, G_FILE_TEST_EXISTS));
        g_assert_cmpstr(stats_after, ==, stats);
        cli_assert_lacks(all, "<script>");
        cli_assert_contains(all, "are you awake?");
    }
}

/* The messenger (here the journal writer, holding it open) has the
 * journal: one line naming it and its process, exit 1, nothing changed. */
static void
test_busy(Sample *s, gconstpointer data)
{
    CliFixture *f = &s->base;
    g_autofree char *writer = cli_test_program("journal-writer");
    g_autofree char *stop = g_build_filename(f->home, "stop", NULL);
    g_autofree char *history = g_build_filename(f->ajar, "history", NULL);
    g_autofree char *compact = g_strconcat(f->journal, ".compact", NULL);
    const char *argv[] = { writer, "hold", f->purple, stop, NULL };
    g_autoptr(GError) error = NULL;
    g_autofree char *expected = NULL;
    GPid pid;
    int out_fd, wait_status = 0;
    char ready[6] = { 0 };
    gsize got = 0;

    g_spawn_async_with_pipes(NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                             NULL, &out_fd, NULL, &error);
    g_assert_no_error(error);
    while (got < 6) {
        ssize_t n = read(out_fd, ready + got, 6 - got);
        g_assert_cmpint(n, >, 0);
        got += (gsize)n;
    }
    {
        g_autoptr(CliRun) run = cli_run_dir(f, "compact", NULL);
        cli_assert_status(run, 1);
        g_assert_cmpstr(run->out, ==, "");
        expected = g_strdup_printf("ajar: journal.jsonl is in use by journal-writer (process %d); "
                                   "Ajar compacts it on its own while it runs, or quit it first\n",
                                   (int)pid);
        g_assert_cmpstr(run->err, ==, expected);
    }
    g_assert_false(g_file_test(history, G_FILE_TEST_EXISTS));
    g_assert_false(g_file_test(compact, G_FILE_TEST_EXISTS));
    g_assert_true(g_file_set_contents(stop, "", 0, NULL));
    g_assert_cmpint(waitpid(pid, &wait_status, 0), ==, pid);
    g_spawn_close_pid(pid);
    close(out_fd);
    {
        g_autofree char *journal = NULL;
        g_autoptr(CliRun) verify = cli_run_dir(f, "verify", NULL);
        g_assert_true(g_file_get_contents(f->journal, &journal, NULL, NULL));
        g_assert_null(strstr(journal, "\"event\":\"summary\""));
        cli_assert_status(verify, 0);
    }
}

static void
test_no_journal(CliFixture *f, gconstpointer data)
{
    g_autoptr(CliRun) run = cli_run_dir(f, "compact", NULL);

    cli_assert_status(run, 0);
    cli_assert_contains(run->out, "No journal yet at ");
    g_assert_false(g_file_test(f->ajar, G_FILE_TEST_EXISTS));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Sample, NULL, cli_sample_set_up, fn, cli_sample_tear_down)
    ADD("/cli/compact/moves-history", test_compact);
    ADD("/cli/compact/drop-history", test_drop_history);
    ADD("/cli/compact/busy", test_busy);
#undef ADD
    g_test_add("/cli/compact/no-journal", CliFixture, NULL, cli_fixture_set_up, test_no_journal,
               cli_fixture_tear_down);
    return g_test_run();
}
