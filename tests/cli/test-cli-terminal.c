/* test-cli-terminal.c — `ajar` on a real (pseudo-)terminal: colour only
 * there and never with NO_COLOR, lines fitted to its width, and nothing a
 * message says ever reaching it as a control sequence. */
#include <string.h>

#include "cli-test-util.h"

#define ESC "\033"

typedef CliSampleFixture Sample;
#define sample_set_up cli_sample_set_up
#define sample_tear_down cli_sample_tear_down

static CliRun *
list_on_pty(Sample *s, const char *const *overrides, const char *option, guint columns)
{
    const char *args[] = { "--dir", s->base.purple, "list", option, NULL };

    return cli_run_pty(&s->base, overrides, args, columns);
}

static void
test_color_on_terminal(Sample *s, gconstpointer data)
{
    const char *env[] = { "TERM=xterm-256color", NULL };
    g_autoptr(CliRun) run = list_on_pty(s, env, NULL, 100);

    cli_assert_status(run, 0);
    cli_assert_contains(run->out, ESC "[33mheld" ESC "[0m");
    cli_assert_contains(run->out, ESC "[34marchived" ESC "[0m");
    cli_assert_contains(run->out, "are you awake?");
}

static void
test_no_color(Sample *s, gconstpointer data)
{
    const char *no_color[] = { "TERM=xterm-256color", "NO_COLOR=1", NULL };
    const char *empty_no_color[] = { "TERM=xterm-256color", "NO_COLOR=", NULL };
    const char *dumb[] = { "TERM=dumb", NULL };
    const char *no_term[] = { "TERM", NULL };
    g_autoptr(CliRun) run = list_on_pty(s, no_color, NULL, 100);
    g_autoptr(CliRun) run2 = list_on_pty(s, empty_no_color, NULL, 100);
    g_autoptr(CliRun) run3 = list_on_pty(s, dumb, NULL, 100);
    g_autoptr(CliRun) run4 = list_on_pty(s, no_term, NULL, 100);

    cli_assert_status(run, 0);
    cli_assert_contains(run->out, "are you awake?");
    cli_assert_lacks(run->out, ESC);
    /* no-color.org: only a NO_COLOR that is set and not empty counts. */
    cli_assert_status(run2, 0);
    cli_assert_contains(run2->out, ESC "[");
    cli_assert_status(run3, 0);
    cli_assert_lacks(run3->out, ESC);
    cli_assert_status(run4, 0);
    cli_assert_lacks(run4->out, ESC);
}

static void
test_no_terminal(Sample *s, gconstpointer data)
{
    const char *env[] = { "TERM=xterm-256color", NULL };
    const char *args[] = { "--dir", s->base.purple, "list", NULL };
    g_autoptr(CliRun) run = cli_run(&s->base, env, args);

    cli_assert_status(run, 0);
    cli_assert_contains(run->out, "are you awake?");
    cli_assert_lacks(run->out, ESC);
}

static void
test_color_option(Sample *s, gconstpointer data)
{
    const char *term[] = { "TERM=xterm-256color", NULL };
    const char *no_color[] = { "TERM=xterm-256color", "NO_COLOR=1", NULL };
    const char *always[] = { "--dir", s->base.purple, "list", "--color=always", NULL };
    const char *before[] = { "--color=always", "--dir", s->base.purple, "list", NULL };
    const char *auto_args[] = { "--dir", s->base.purple, "list", "--color", "auto", NULL };
    g_autoptr(CliRun) never = list_on_pty(s, term, "--color=never", 100);
    g_autoptr(CliRun) piped = cli_run(&s->base, term, always);
    g_autoptr(CliRun) piped2 = cli_run(&s->base, term, before);
    g_autoptr(CliRun) forced = list_on_pty(s, no_color, "--color=always", 100);
    g_autoptr(CliRun) automatic = cli_run(&s->base, term, auto_args);

    cli_assert_status(never, 0);
    cli_assert_lacks(never->out, ESC);
    cli_assert_status(piped, 0);
    cli_assert_contains(piped->out, ESC "[33mheld");
    cli_assert_status(piped2, 0);
    g_assert_cmpstr(piped2->out, ==, piped->out);
    /* An explicit --color=always is the user's choice over NO_COLOR. */
    cli_assert_status(forced, 0);
    cli_assert_contains(forced->out, ESC "[33mheld");
    cli_assert_status(automatic, 0);
    cli_assert_lacks(automatic->out, ESC);
}

/* Lines never wider than the terminal (its size, not $COLUMNS=100). */
static void
test_terminal_width(Sample *s, gconstpointer data)
{
    const char *env[] = { "TERM=dumb", NULL };
    const guint widths[] = { 60, 72, 120 };

    for (gsize w = 0; w < G_N_ELEMENTS(widths); w++) {
        g_autoptr(CliRun) run = list_on_pty(s, env, "--state=all", widths[w]);
        g_auto(GStrv) lines = g_strsplit(run->out, "\n", -1);
        guint longest = 0;

        cli_assert_status(run, 0);
        g_assert_cmpuint(g_strv_length(lines), ==, CLI_SAMPLE_COUNT + 1);
        for (guint i = 0; lines[i] != NULL; i++)
            longest = MAX(longest, (guint)g_utf8_strlen(lines[i], -1));
        g_assert_cmpuint(longest, <=, widths[w]);
        if (widths[w] < 100)
            cli_assert_contains(run->out, "…");
    }
}

/* Every ESC in @out starts one of the colour sequences `ajar` itself writes. */
static void
assert_only_own_escapes(const char *out)
{
    static const char *const own[] = { "[0m", "[2m", "[33m", "[34m", "[35m", "[36m" };

    for (const char *p = strchr(out, '\033'); p != NULL; p = strchr(p + 1, '\033')) {
        gboolean known = FALSE;
        for (gsize i = 0; i < G_N_ELEMENTS(own) && !known; i++)
            known = strncmp(p + 1, own[i], strlen(own[i])) == 0;
        if (!known)
            g_error("a control sequence that ajar did not write reached the terminal: %.12s", p);
    }
    g_assert_null(strchr(out, '\a'));
    g_assert_null(strstr(out, "\xC2\x9B")); /* CSI as a C1 control */
    g_assert_null(strchr(out, '\r'));
}

/* A message text is hostile input: its ESC [31m, OSC title and BEL are
 * shown as symbols, in list and show, with and without colour. */
static void
test_escape_never_raw(Sample *s, gconstpointer data)
{
    const char *env[] = { "TERM=xterm-256color", NULL };
    const char *show_args[] = { "--dir", s->base.purple, "show", s->ids[SAMPLE_ESCAPE], NULL };
    g_autoptr(CliRun) list = list_on_pty(s, env, NULL, 200);
    g_autoptr(CliRun) all = list_on_pty(s, env, "--state=all", 200);
    g_autoptr(CliRun) show = cli_run_pty(&s->base, env, show_args, 100);
    g_autoptr(CliRun) show_piped = cli_run(&s->base, env, show_args);

    cli_assert_status(list, 0);
    cli_assert_contains(list->out, "␛[31mred alert␛[0m␇ and ␛]0;title␇ done");
    assert_only_own_escapes(list->out);
    assert_only_own_escapes(all->out);
    cli_assert_status(show, 0);
    cli_assert_contains(show->out, "\n\n␛[31mred alert␛[0m␇ and ␛]0;title␇ done\n");
    assert_only_own_escapes(show->out);
    cli_assert_status(show_piped, 0);
    cli_assert_lacks(show_piped->out, ESC);
    cli_assert_lacks(show_piped->out, "\a");
}

/* Other ways to command a terminal: C1 controls, a bare carriage return
 * (it would let a text overwrite what came before), DEL, and bytes that
 * are not UTF-8 — also in the buddy's name, which comes from the network. */
static void
test_other_controls(CliFixture *f, gconstpointer data)
{
    static const char text[] = "one\r\ntwo\rthree \xC2\x9B"
                               "31m \x7F \xFF\xFE end";
    g_autoptr(GError) error = NULL;
    g_autoptr(AjarEvent) event = cli_sample_custody_event(SAMPLE_AWAKE);
    const char *env[] = { "TERM=xterm-256color", NULL };
    const char *list_args[] = { "--dir", f->purple, "list", NULL };
    g_autoptr(CliRun) list = NULL;
    g_autoptr(CliRun) show = NULL;
    AjarJournal *journal = ajar_journal_open(f->ajar, AJAR_FLUSH_EVERY_EVENT, &error);

    g_assert_no_error(error);
    g_free(event->text);
    event->text = g_memdup2(text, sizeof text - 1);
    event->text_len = sizeof text - 1;
    g_free(event->buddy);
    event->buddy = g_strdup("evil" ESC "]0;pwned"
                            "\a@example.org");
    g_assert_true(ajar_journal_append(journal, event, &error));
    ajar_journal_close(journal);

    list = cli_run_pty(f, env, list_args, 200);
    cli_assert_status(list, 0);
    assert_only_own_escapes(list->out);
    cli_assert_contains(list->out, "from evil␛]0;pwned␇@example.org");
    cli_assert_contains(list->out, "one …");
    {
        const char *show_args[] = { "--dir", f->purple, "show", event->id, NULL };
        show = cli_run_pty(f, env, show_args, 100);
    }
    cli_assert_status(show, 0);
    assert_only_own_escapes(show->out);
    cli_assert_contains(show->out, "From     evil␛]0;pwned␇@example.org\n");
    /* A bare "\r" is a line end in a message (ajar_text_from_markup()). */
    cli_assert_contains(show->out, "\none\ntwo\nthree \xEF\xBF\xBD"
                                   "31m ␡ \xEF\xBF\xBD\xEF\xBF\xBD end\n");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

#define ADD(path, fn) g_test_add(path, Sample, NULL, sample_set_up, fn, sample_tear_down)
    ADD("/cli/terminal/color", test_color_on_terminal);
    ADD("/cli/terminal/no-color", test_no_color);
    ADD("/cli/terminal/no-terminal", test_no_terminal);
    ADD("/cli/terminal/color-option", test_color_option);
    ADD("/cli/terminal/width", test_terminal_width);
    ADD("/cli/terminal/escape-never-raw", test_escape_never_raw);
#undef ADD
    g_test_add("/cli/terminal/other-controls", CliFixture, NULL, cli_fixture_set_up,
               test_other_controls, cli_fixture_tear_down);
    return g_test_run();
}
