/* test-cli-usage.c — `ajar` options and exit codes (0 success, 1 a failed
 * check, 2 bad usage), and every command on a journal that does not exist
 * yet or is empty. */
#include <string.h>

#include "cli-test-util.h"

/* Bad usage: exit 2, one line saying what, then the hint; nothing on stdout. */
static void
assert_usage_error(const CliRun *run, const char *what, const char *hint)
{
    g_auto(GStrv) lines = g_strsplit(run->err, "\n", -1);

    cli_assert_status(run, 2);
    g_assert_cmpstr(run->out, ==, "");
    g_assert_cmpuint(g_strv_length(lines), ==, 3); /* two lines and the final "" */
    g_assert_true(g_str_has_prefix(lines[0], "ajar: "));
    cli_assert_contains(lines[0], what);
    g_assert_cmpstr(lines[1], ==, hint);
}

static void
test_unknown_command(CliFixture *f, gconstpointer data)
{
    const char *args[] = { "frobnicate", NULL };
    g_autoptr(CliRun) run = cli_run(f, NULL, args);

    assert_usage_error(run, "'frobnicate' is not a command", "Try 'ajar --help'.");
}

static void
test_no_command(CliFixture *f, gconstpointer data)
{
    g_autoptr(CliRun) run = cli_run(f, NULL, NULL);

    assert_usage_error(run, "a command is missing", "Try 'ajar --help'.");
}

static void
test_unknown_option(CliFixture *f, gconstpointer data)
{
    const char *global[] = { "--frob", "list", NULL };
    const char *command[] = { "list", "--frob", NULL };
    g_autoptr(CliRun) run = cli_run(f, NULL, global);
    g_autoptr(CliRun) run2 = cli_run(f, NULL, command);

    assert_usage_error(run, "--frob", "Try 'ajar --help'.");
    assert_usage_error(run2, "--frob", "Try 'ajar list --help'.");
}

static void
test_missing_argument(CliFixture *f, gconstpointer data)
{
    const char *dir[] = { "list", "--dir", NULL };
    const char *show[] = { "show", NULL };
    const char *format[] = { "export", NULL };
    const char *extra[] = { "show", "01A", "01B", NULL };
    g_autoptr(CliRun) run = cli_run(f, NULL, dir);
    g_autoptr(CliRun) run2 = cli_run(f, NULL, show);
    g_autoptr(CliRun) run3 = cli_run(f, NULL, format);
    g_autoptr(CliRun) run4 = cli_run(f, NULL, extra);

    assert_usage_error(run, "--dir", "Try 'ajar list --help'.");
    assert_usage_error(run2, "which message?", "Try 'ajar show --help'.");
    assert_usage_error(run3, "--format", "Try 'ajar export --help'.");
    assert_usage_error(run4, "unexpected argument '01B'", "Try 'ajar show --help'.");
}

static void
test_bad_values(CliFixture *f, gconstpointer data)
{
    const char *state[] = { "list", "--state", "lost", NULL };
    const char *format[] = { "export", "--format", "pdf", NULL };
    const char *color[] = { "--color=sometimes", "list", NULL };
    g_autoptr(CliRun) run = cli_run(f, NULL, state);
    g_autoptr(CliRun) run2 = cli_run(f, NULL, format);
    g_autoptr(CliRun) run3 = cli_run(f, NULL, color);

    assert_usage_error(run, "--state takes held, archived, delayed, queued or all, not 'lost'",
                       "Try 'ajar list --help'.");
    assert_usage_error(run2, "--format takes json or html, not 'pdf'", "Try 'ajar export --help'.");
    assert_usage_error(run3, "--color takes auto, always or never", "Try 'ajar --help'.");
}

static void
test_help(CliFixture *f, gconstpointer data)
{
    static const char *const commands[] = { "list", "show", "stats", "export", "verify" };
    const char *main_help[] = { "--help", NULL };
    g_autoptr(CliRun) run = cli_run(f, NULL, main_help);

    cli_assert_status(run, 0);
    cli_assert_contains(run->out, "Usage:\n  ajar [OPTION…] COMMAND");
    for (gsize i = 0; i < G_N_ELEMENTS(commands); i++) {
        const char *args[] = { commands[i], "--help", NULL };
        const char *help_args[] = { "help", commands[i], NULL };
        g_autoptr(CliRun) sub = cli_run(f, NULL, args);
        g_autoptr(CliRun) via_help = cli_run(f, NULL, help_args);
        g_autofree char *usage = g_strdup_printf("Usage:\n  ajar %s [OPTION…]", commands[i]);

        cli_assert_contains(run->out, commands[i]);
        cli_assert_status(sub, 0);
        cli_assert_contains(sub->out, usage);
        cli_assert_contains(sub->out, "--dir=DIR");
        cli_assert_status(via_help, 0);
        g_assert_cmpstr(via_help->out, ==, sub->out);
    }
}

static void
test_version(CliFixture *f, gconstpointer data)
{
    const char *args[] = { "--version", NULL };
    g_autoptr(CliRun) run = cli_run(f, NULL, args);

    cli_assert_status(run, 0);
    g_assert_true(g_str_has_prefix(run->out, "ajar "));
    g_assert_true(g_str_has_suffix(run->out, "\n"));
    g_assert_cmpuint(strlen(run->out), >, strlen("ajar \n"));
}

/* No journal yet (a fresh install): every command says so kindly, exit 0. */
static void
test_missing_journal(CliFixture *f, gconstpointer data)
{
    g_autofree char *no_journal = g_strdup_printf("No journal yet at %s.", f->journal);
    g_autofree char *no_journal_line = g_strdup_printf("%s\n", no_journal);
    g_autoptr(CliRun) list = cli_run_dir(f, "list", NULL);
    g_autoptr(CliRun) list_json = cli_run_dir(f, "list", "--json", NULL);
    g_autoptr(CliRun) stats = cli_run_dir(f, "stats", NULL);
    g_autoptr(CliRun) stats_json = cli_run_dir(f, "stats", "--json", NULL);
    g_autoptr(CliRun) verify = cli_run_dir(f, "verify", NULL);
    g_autoptr(CliRun) export_json = cli_run_dir(f, "export", "--format", "json", NULL);
    g_autoptr(CliRun) export_html = cli_run_dir(f, "export", "--format", "html", NULL);
    g_autoptr(CliRun) show = cli_run_dir(f, "show", "01KB0ZC7N9", NULL);

    cli_assert_status(list, 0);
    g_assert_cmpstr(list->out, ==, no_journal_line);
    cli_assert_status(list_json, 0);
    g_assert_cmpstr(list_json->out, ==, "[]\n");
    cli_assert_status(stats, 0);
    g_assert_cmpstr(stats->out, ==, "No rules have filtered anything yet.\n");
    cli_assert_status(stats_json, 0);
    g_assert_cmpstr(stats_json->out, ==, "{\"rules\":[]}\n");
    cli_assert_status(verify, 0);
    cli_assert_contains(verify->out, no_journal);
    cli_assert_status(export_json, 0);
    cli_assert_contains(export_json->out, "\"messages\":[\n]");
    cli_assert_contains(export_json->err, no_journal);
    cli_assert_status(export_html, 0);
    cli_assert_contains(export_html->out, "No messages yet.");
    /* An id that is not there is a failed check, even with no journal. */
    cli_assert_status(show, 1);
    cli_assert_contains(show->err, "no message '01KB0ZC7N9'");
    /* Reading never creates anything. */
    g_assert_false(g_file_test(f->ajar, G_FILE_TEST_EXISTS));
}

/* A journal opened by the messenger that has nothing in it yet. */
static void
test_empty_journal(CliFixture *f, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    AjarJournal *journal = ajar_journal_open(f->ajar, AJAR_FLUSH_EVERY_EVENT, &error);
    g_autoptr(CliRun) list = NULL;
    g_autoptr(CliRun) all = NULL;
    g_autoptr(CliRun) stats = NULL;
    g_autoptr(CliRun) verify = NULL;
    g_autoptr(CliRun) export_json = NULL;
    g_autoptr(CliRun) show = NULL;

    g_assert_no_error(error);
    ajar_journal_close(journal);
    list = cli_run_dir(f, "list", NULL);
    all = cli_run_dir(f, "list", "--state", "all", NULL);
    stats = cli_run_dir(f, "stats", NULL);
    verify = cli_run_dir(f, "verify", NULL);
    export_json = cli_run_dir(f, "export", "--format", "json", NULL);
    show = cli_run_dir(f, "show", "01", NULL);

    cli_assert_status(list, 0);
    g_assert_cmpstr(list->out, ==, "Nothing is in Ajar's keeping.\n");
    g_assert_cmpstr(list->err, ==, "");
    cli_assert_status(all, 0);
    g_assert_cmpstr(all->out, ==, "No messages match.\n");
    cli_assert_status(stats, 0);
    g_assert_cmpstr(stats->out, ==, "No rules have filtered anything yet.\n");
    cli_assert_status(verify, 0);
    cli_assert_contains(verify->out, "Lines        0\n");
    cli_assert_contains(verify->out, "In keeping   0 messages\n");
    g_assert_true(g_str_has_suffix(verify->out, "\nOK\n"));
    cli_assert_status(export_json, 0);
    g_assert_cmpstr(export_json->err, ==, "");
    cli_assert_status(show, 1);
}

/* Without --dir: ~/.purple, i.e. $HOME/.purple. */
static void
test_default_dir(CliFixture *f, gconstpointer data)
{
    const char *args[] = { "list", "--state", "all", NULL };
    g_auto(GStrv) ids = cli_write_sample_journal(f->purple);
    g_autoptr(CliRun) run = cli_run(f, NULL, args);

    cli_assert_status(run, 0);
    cli_assert_contains(run->out, "are you awake?");
}

/* An unreadable journal is a failed check with the reason, not "empty". */
static void
test_unreadable_journal(CliFixture *f, gconstpointer data)
{
    g_autoptr(CliRun) run = NULL;

    /* A folder in the journal's place (root can read any file, not this). */
    g_assert_cmpint(g_mkdir_with_parents(f->journal, 0700), ==, 0);
    run = cli_run_dir(f, "list", NULL);
    cli_assert_status(run, 1);
    cli_assert_contains(run->err, "ajar: ");
    cli_assert_contains(run->err, f->journal);
    g_assert_cmpstr(run->out, ==, "");
    {
        g_autoptr(CliRun) verify = cli_run_dir(f, "verify", NULL);
        cli_assert_status(verify, 1);
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

#define ADD(path, fn) \
    g_test_add(path, CliFixture, NULL, cli_fixture_set_up, fn, cli_fixture_tear_down)
    ADD("/cli/usage/unknown-command", test_unknown_command);
    ADD("/cli/usage/no-command", test_no_command);
    ADD("/cli/usage/unknown-option", test_unknown_option);
    ADD("/cli/usage/missing-argument", test_missing_argument);
    ADD("/cli/usage/bad-values", test_bad_values);
    ADD("/cli/usage/help", test_help);
    ADD("/cli/usage/version", test_version);
    ADD("/cli/journal/missing", test_missing_journal);
    ADD("/cli/journal/empty", test_empty_journal);
    ADD("/cli/journal/default-dir", test_default_dir);
    ADD("/cli/journal/unreadable", test_unreadable_journal);
#undef ADD
    return g_test_run();
}
