/* test-cli-damage.c — `ajar verify` and the reading commands on journals a
 * crash, a stray edit or a concurrent writer left behind. */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli-test-util.h"

typedef CliSampleFixture Sample;
#define sample_set_up cli_sample_set_up
#define sample_tear_down cli_sample_tear_down

/* Appends one more held message through the core (reopening the journal). */
static void
append_one(const CliFixture *f, guint sample_index)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(AjarEvent) event = cli_sample_custody_event(sample_index);
    AjarJournal *journal = ajar_journal_open(f->ajar, AJAR_FLUSH_EVERY_EVENT, &error);

    g_assert_no_error(error);
    event->ts += 7 * G_TIME_SPAN_DAY;
    event->time += 7 * G_TIME_SPAN_DAY;
    g_assert_true(ajar_journal_append(journal, event, &error));
    ajar_journal_close(journal);
}

/* The first half of a line the core would write, as a crash leaves it. */
static void
append_cut_line(const CliFixture *f)
{
    g_autoptr(AjarEvent) event = cli_sample_custody_event(SAMPLE_AWAKE);
    g_autoptr(GString) line = g_string_new(NULL);

    event->seq = 99;
    event->id = g_strdup("01M80000000000000000000000");
    ajar_event_encode(event, line);
    cli_append_raw(f->journal, line->str, (gssize)(line->len / 2));
}

/* The sample, two stray lines in the middle (19 and 20 are the sample's
 * last; 20 and 21 are bad), one good event after them, and a cut last line. */
static void
make_corrupted(Sample *s)
{
    cli_append_raw(s->base.journal, "this is not a journal line\n", -1);
    cli_append_raw(s->base.journal, "{\"seq\":\"x\"}\n", -1);
    append_one(&s->base, SAMPLE_MORNING);
    append_cut_line(&s->base);
}

static void
test_corrupted_verify(Sample *s, gconstpointer data)
{
    g_autoptr(CliRun) run = NULL;

    make_corrupted(s);
    run = cli_run_dir(&s->base, "verify", NULL);
    cli_assert_status(run, 1);
    cli_assert_contains(run->out, "Lines        22\n");
    cli_assert_contains(run->out, "Events       20\n");
    cli_assert_contains(run->out, "In keeping   9 messages: 2 held, 2 archived, 1 read, 2 delayed, "
                                  "1 queued, 1 cancelled\n");
    cli_assert_contains(run->out, "Malformed    2 lines: lines 20, 21\n");
    cli_assert_contains(run->out, "first: line 20: ");
    cli_assert_contains(run->out, "bytes without a line end: being written, or cut by a crash "
                                  "(not an error)\n");
    cli_assert_contains(run->out, "Seq gaps     0\n");
    cli_assert_contains(run->out, "Seq disorder 0\n");
    cli_assert_contains(run->out, "Orphans      0\n");
    g_assert_true(g_str_has_suffix(run->out, "\nPROBLEMS FOUND\n"));
}

/* The reading commands say once that lines were skipped, and go on. */
static void
test_corrupted_read(Sample *s, gconstpointer data)
{
    const char *warning = "ajar: journal.jsonl: 2 malformed lines skipped (first at line 20); "
                          "run 'ajar verify'\n";
    g_autoptr(CliRun) list = NULL;
    g_autoptr(CliRun) show = NULL;
    g_autoptr(CliRun) stats = NULL;
    g_autoptr(CliRun) export_json = NULL;

    make_corrupted(s);
    list = cli_run_dir(&s->base, "list", NULL);
    show = cli_run_dir(&s->base, "show", s->ids[SAMPLE_AWAKE], NULL);
    stats = cli_run_dir(&s->base, "stats", NULL);
    export_json = cli_run_dir(&s->base, "export", "--format", "json", NULL);

    cli_assert_status(list, 0);
    g_assert_cmpstr(list->err, ==, warning);
    cli_assert_contains(list->out, "are you awake?");
    /* the good event after the damage is there (the sample's own was delivered) */
    cli_assert_contains(list->out, "good morning");
    cli_assert_status(show, 0);
    g_assert_cmpstr(show->err, ==, warning);
    cli_assert_status(stats, 0);
    g_assert_cmpstr(stats->err, ==, warning);
    cli_assert_status(export_json, 0);
    g_assert_cmpstr(export_json->err, ==, warning);
}

/* One bad line: the singular. */
static void
test_one_malformed_line(Sample *s, gconstpointer data)
{
    g_autoptr(CliRun) list = NULL;

    cli_append_raw(s->base.journal, "{}\n", -1);
    list = cli_run_dir(&s->base, "list", NULL);
    cli_assert_status(list, 0);
    g_assert_cmpstr(list->err, ==,
                    "ajar: journal.jsonl: 1 malformed line skipped (line 20); run "
                    "'ajar verify'\n");
}

/* A cut last line alone is a write in progress or a crash: not a problem. */
static void
test_incomplete_tail_only(Sample *s, gconstpointer data)
{
    g_autoptr(CliRun) verify = NULL;
    g_autoptr(CliRun) list = NULL;

    append_cut_line(&s->base);
    verify = cli_run_dir(&s->base, "verify", NULL);
    list = cli_run_dir(&s->base, "list", NULL);
    cli_assert_status(verify, 0);
    cli_assert_contains(verify->out, "Last line    ");
    g_assert_true(g_str_has_suffix(verify->out, "\nOK\n"));
    cli_assert_status(list, 0);
    g_assert_cmpstr(list->err, ==, "");
}

/* After a crash the messenger ends the cut line and records the repair: the
 * damage stays visible, but it is known and nothing was lost. */
static void
test_repaired_tail(Sample *s, gconstpointer data)
{
    g_autoptr(CliRun) verify = NULL;
    g_autoptr(CliRun) list = NULL;

    append_cut_line(&s->base);
    append_one(&s->base, SAMPLE_MORNING);
    verify = cli_run_dir(&s->base, "verify", NULL);
    list = cli_run_dir(&s->base, "list", NULL);

    cli_assert_status(verify, 0);
    cli_assert_contains(verify->out, "Lines        22\n");
    cli_assert_contains(verify->out, "Malformed    0 lines\n");
    cli_assert_contains(verify->out, "Repaired     1 line cut by a crash (line 20); Ajar ended it");
    cli_assert_lacks(verify->out, "Last line");
    g_assert_true(g_str_has_suffix(verify->out, "\nOK\n"));
    cli_assert_status(list, 0);
    g_assert_cmpstr(list->err, ==, "");
}

/* seq that jumps or goes back, and events for messages never taken in:
 * each line written by the core's own encoder. */
static void
test_seq_and_orphans(CliFixture *f, gconstpointer data)
{
    static const struct {
        gint64 seq;
        AjarEventType type;
        const char *id;
    } lines[] = {
        { 1, AJAR_EVENT_HELD, "01M7X8PSEGSQ66BG5VX3NH4NFA" },
        { 2, AJAR_EVENT_HELD, "01M7X8PSEGSQ66BG5VX3NH4NFB" },
        { 5, AJAR_EVENT_RELEASED, "01M7X8PSEGSQ66BG5VX3NH4NFA" },  /* a gap: 3 and 4 are missing */
        { 4, AJAR_EVENT_READ, "01M7X8PSEGSQ66BG5VX3NH4NFB" },      /* back: disorder */
        { 6, AJAR_EVENT_DISCARDED, "01M7X8PSEGSQ66BG5VX3NH4NFZ" }, /* an orphan; 4 -> 6 a gap */
    };
    g_autoptr(GString) journal = g_string_new(NULL);
    g_autoptr(CliRun) run = NULL;

    for (gsize i = 0; i < G_N_ELEMENTS(lines); i++) {
        g_autoptr(AjarEvent) event = NULL;
        if (ajar_event_type_is_custody(lines[i].type)) {
            event = cli_sample_custody_event(SAMPLE_AWAKE);
        } else {
            event = ajar_event_new(lines[i].type);
            event->ts = CLI_SAMPLE_T0 + (gint64)i * G_USEC_PER_SEC;
        }
        event->seq = lines[i].seq;
        g_free(event->id);
        event->id = g_strdup(lines[i].id);
        ajar_event_encode(event, journal);
    }
    g_assert_cmpint(g_mkdir_with_parents(f->ajar, 0700), ==, 0);
    cli_append_raw(f->journal, journal->str, (gssize)journal->len);

    run = cli_run_dir(f, "verify", NULL);
    cli_assert_status(run, 1);
    cli_assert_contains(run->out, "Malformed    0 lines\n");
    cli_assert_contains(run->out, "Seq gaps     2\n");
    cli_assert_contains(run->out, "Seq disorder 1\n");
    cli_assert_contains(run->out, "Orphans      1 (");
    g_assert_true(g_str_has_suffix(run->out, "\nPROBLEMS FOUND\n"));
}

/* Only the first 100 bad lines are named. */
static void
test_many_malformed(Sample *s, gconstpointer data)
{
    g_autoptr(GString) garbage = g_string_new(NULL);
    g_autoptr(CliRun) run = NULL;

    for (int i = 0; i < 105; i++)
        g_string_append(garbage, "not json\n");
    cli_append_raw(s->base.journal, garbage->str, (gssize)garbage->len);
    run = cli_run_dir(&s->base, "verify", NULL);
    cli_assert_status(run, 1);
    cli_assert_contains(run->out, "Malformed    105 lines: lines 20, 21, 22, ");
    cli_assert_contains(run->out, ", 118, 119 and 5 more\n");
}

/* The messenger appending while the command reads (the tool is safe while
 * Pidgin runs): a line being written is never taken for a bad one. */
static void
test_concurrent_writer(CliFixture *f, gconstpointer data)
{
    g_autofree char *writer = cli_test_program("journal-writer");
    g_autofree char *stop = g_build_filename(f->home, "stop", NULL);
    const char *argv[] = { writer, "loop", f->purple, stop, NULL };
    g_autoptr(GError) error = NULL;
    GPid pid;
    int out_fd, wait_status = 0;
    char ready[6] = { 0 };
    gsize got = 0;

    g_spawn_async_with_pipes(NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                             NULL, &out_fd, NULL, &error);
    g_assert_no_error(error);
    /* Wait until the writer has the journal open and has written. */
    while (got < 6) {
        ssize_t n = read(out_fd, ready + got, 6 - got);
        g_assert_cmpint(n, >, 0);
        got += (gsize)n;
    }
    g_assert_cmpmem(ready, 6, "ready\n", 6);

    for (int round = 0; round < 10; round++) {
        g_autoptr(CliRun) verify = cli_run_dir(f, "verify", NULL);
        g_autoptr(CliRun) list = cli_run_dir(f, "list", "--state", "all", NULL);
        g_autoptr(CliRun) json = cli_run_dir(f, "export", "--format", "json", NULL);

        cli_assert_status(verify, 0);
        cli_assert_contains(verify->out, "Malformed    0 lines\n");
        g_assert_true(g_str_has_suffix(verify->out, "\nOK\n"));
        cli_assert_status(list, 0);
        g_assert_cmpstr(list->err, ==, "");
        cli_assert_contains(list->out, "are you awake?");
        cli_assert_status(json, 0);
        g_assert_cmpstr(json->err, ==, "");
    }

    g_assert_true(g_file_set_contents(stop, "", 0, NULL));
    g_assert_cmpint(waitpid(pid, &wait_status, 0), ==, pid);
    g_spawn_close_pid(pid);
    close(out_fd);
    g_assert_true(WIFEXITED(wait_status));
    g_assert_cmpint(WEXITSTATUS(wait_status), ==, 0);
    {
        g_autoptr(CliRun) verify = cli_run_dir(f, "verify", NULL);
        cli_assert_status(verify, 0);
        cli_assert_lacks(verify->out, "Last line");
    }
}

/* The journal edited by hand after the command read it (the edit shim
 * writes one byte of a held message's text just before the command reads
 * the first text back): `show` says the text cannot be read and why (the
 * file and the byte), on stdout and stderr, never shows the edited text,
 * and exits 1; `list` marks it. */
static void
test_text_edited_by_hand(Sample *s, gconstpointer data)
{
    g_autofree char *shim = cli_test_program("edit-shim.so");
    g_autofree char *bytes = NULL;
    g_autofree char *spec = NULL;
    g_autofree char *preload = NULL;
    const char *at;
    gsize offset;

    g_assert_true(g_file_get_contents(s->base.journal, &bytes, NULL, NULL));
    at = strstr(bytes, "\"text\":\"are you awake?\"");
    g_assert_nonnull(at);
    offset = (gsize)(at - bytes) + strlen("\"text\":\"are you ");
    spec = g_strdup_printf("AJAR_TEST_EDIT_ON_PREAD=%s:%" G_GSIZE_FORMAT ":A", s->base.journal,
                           offset);
    preload = g_strconcat("LD_PRELOAD=", shim, NULL);
    {
        const char *env[] = { preload, spec,
                              "ASAN_OPTIONS=fast_unwind_on_malloc=0:verify_asan_link_order=0",
                              NULL };
        const char *args[] = { "--dir", s->base.purple, "show", s->ids[SAMPLE_AWAKE], NULL };
        g_autoptr(CliRun) run = cli_run(&s->base, env, args);
        g_autofree char *file_bytes = NULL;

        cli_assert_status(run, 1);
        cli_assert_contains(run->out, "(the text cannot be read: journal.jsonl at byte ");
        cli_assert_contains(run->err, "journal.jsonl at byte ");
        cli_assert_contains(run->err, s->ids[SAMPLE_AWAKE]);
        cli_assert_contains(run->err, "was the file edited?");
        cli_assert_lacks(run->out, "are you Awake");
        cli_assert_lacks(run->out, "are you awake");
        /* The edit did happen (the shim wrote it). */
        g_assert_true(g_file_get_contents(s->base.journal, &file_bytes, NULL, NULL));
        cli_assert_contains(file_bytes, "are you Awake?");
    }
    /* Put back, and edited again while `list` runs. */
    g_assert_true(g_file_set_contents(s->base.journal, bytes, -1, NULL));
    {
        const char *env[] = { preload, spec,
                              "ASAN_OPTIONS=fast_unwind_on_malloc=0:verify_asan_link_order=0",
                              NULL };
        const char *args[] = { "--dir", s->base.purple, "list", NULL };
        g_autoptr(CliRun) run = cli_run(&s->base, env, args);

        cli_assert_status(run, 1);
        cli_assert_contains(run->out, "[text cannot be read]");
        cli_assert_lacks(run->out, "are you Awake");
        cli_assert_contains(run->err, "was the file edited?");
    }
    /* Unedited, the same command shows it. */
    g_assert_true(g_file_set_contents(s->base.journal, bytes, -1, NULL));
    {
        g_autoptr(CliRun) run = cli_run_dir(&s->base, "show", s->ids[SAMPLE_AWAKE], NULL);
        cli_assert_status(run, 0);
        cli_assert_contains(run->out, "are you awake?");
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

#define ADD(path, fn) g_test_add(path, Sample, NULL, sample_set_up, fn, sample_tear_down)
    ADD("/cli/damage/corrupted-verify", test_corrupted_verify);
    ADD("/cli/damage/corrupted-read", test_corrupted_read);
    ADD("/cli/damage/one-malformed-line", test_one_malformed_line);
    ADD("/cli/damage/incomplete-tail", test_incomplete_tail_only);
    ADD("/cli/damage/repaired-tail", test_repaired_tail);
    ADD("/cli/damage/many-malformed", test_many_malformed);
    ADD("/cli/damage/text-edited-by-hand", test_text_edited_by_hand);
#undef ADD
    g_test_add("/cli/damage/seq-and-orphans", CliFixture, NULL, cli_fixture_set_up,
               test_seq_and_orphans, cli_fixture_tear_down);
    g_test_add("/cli/damage/concurrent-writer", CliFixture, NULL, cli_fixture_set_up,
               test_concurrent_writer, cli_fixture_tear_down);
    return g_test_run();
}
