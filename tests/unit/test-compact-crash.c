/* test-compact-crash.c — compaction cut by a crash after each of its steps
 * (a child killed with SIGKILL there, AJAR_TEST_COMPACT_KILL_AT), then the
 * next open: the old journal or the new one, whole; no line lost, none
 * twice in history; the figures unchanged; seq still increasing. And the
 * steps API with lines appended while the job runs. */
#include "compact-test-util.h"

#include <sys/file.h>
#include <sys/wait.h>

static const char *const steps[] = {
    "begun", "pending", "mid-copy", "ran", "before-rename", "after-rename",
};

static void
write_journal(const char *dir, guint messages)
{
    AjarJournal *journal = open_ok(dir, AJAR_FLUSH_BATCHED);
    gint64 now = g_get_real_time();

    /* More bytes than one read while a kill point is set (mid-copy). */
    test_write_random(journal, 13, messages, now - 500 * DAY_US, DAY_US / 40);
    ajar_journal_close(journal);
}

/* The same folder for the test and its child (which knows its parent). */
static char *
crash_dir(pid_t test_pid, const char *step)
{
    g_autofree char *name = g_strdup_printf("ajar-test-crash-%d-%s", (int)test_pid, step);

    return g_build_filename(g_get_tmp_dir(), name, NULL);
}

static gint64
greatest_seq(const char *dir)
{
    g_autoptr(AjarState) all = test_read_all_files(dir);

    return ajar_state_get_last_seq(all);
}

static void
test_crash_at(gconstpointer data)
{
    const char *step = data;
    g_autofree char *dir = NULL;
    g_autofree char *before = NULL;
    g_autoptr(GHashTable) lines_before = NULL;
    g_autofree char *compact = NULL, *pending = NULL;
    AjarJournal *journal;

    if (g_test_subprocess()) {
        g_autoptr(GError) error = NULL;
        g_setenv("AJAR_TEST_COMPACT_KILL_AT", step, TRUE);
        dir = crash_dir(getppid(), step);
        journal = open_ok(dir, AJAR_FLUSH_BATCHED);
        ajar_journal_compact(journal, FALSE, NULL, &error);
        g_assert_not_reached(); /* killed at @step */
    }
    dir = crash_dir(getpid(), step);
    test_rm_rf(dir);
    write_journal(dir, 1500);
    /* One compaction before: history files to append to, and cut back. */
    journal = open_ok(dir, AJAR_FLUSH_BATCHED);
    g_assert_true(ajar_journal_compact(journal, FALSE, NULL, NULL));
    test_write_random(journal, 14, 1000, g_get_real_time() - 200 * DAY_US, DAY_US / 10);
    before = test_stats_of(ajar_journal_get_state(journal));
    ajar_journal_close(journal);
    lines_before = test_count_lines(dir);

    g_test_trap_subprocess(NULL, 0, 0);
    g_test_trap_assert_failed();

    /* What the crash left, then the next open. */
    compact = g_build_filename(dir, AJAR_JOURNAL_FILE AJAR_COMPACT_SUFFIX, NULL);
    pending = g_build_filename(dir, AJAR_HISTORY_DIR, AJAR_COMPACT_PENDING_FILE, NULL);
    if (strcmp(step, "after-rename") == 0)
        g_assert_false(g_file_test(compact, G_FILE_TEST_EXISTS));
    else
        g_assert_true(g_file_test(compact, G_FILE_TEST_EXISTS));
    journal = open_ok(dir, AJAR_FLUSH_BATCHED);
    g_assert_false(g_file_test(compact, G_FILE_TEST_EXISTS));
    g_assert_false(g_file_test(pending, G_FILE_TEST_EXISTS));
    {
        g_autofree char *after = test_stats_of(ajar_journal_get_state(journal));
        g_autoptr(AjarState) all = test_read_all_files(dir);
        g_autofree char *read_back = test_stats_of(all);
        g_autoptr(GHashTable) lines_after = test_count_lines(dir);

        g_assert_cmpstr(after, ==, before);
        g_assert_cmpstr(read_back, ==, before);
        /* Every line once: in the old journal, or moved and not still there. */
        test_assert_each_line_once(lines_before, lines_after);
    }
    /* Compacting again finishes the job; seq goes on. */
    {
        g_autoptr(GError) error = NULL;
        g_autoptr(AjarEvent) next = test_custody_event(AJAR_EVENT_HELD, NULL, AJAR_DIRECTION_IN,
                                                       "after", g_get_real_time());
        gint64 last = greatest_seq(dir);
        g_autofree char *again = NULL;

        g_assert_true(ajar_journal_compact(journal, FALSE, NULL, &error));
        g_assert_no_error(error);
        again = test_stats_of(ajar_journal_get_state(journal));
        g_assert_cmpstr(again, ==, before);
        append_ok(journal, next);
        g_assert_cmpint(next->seq, >, last);
    }
    ajar_journal_close(journal);
    test_rm_rf(dir);
}

/* ---- the steps, with lines appended while the job runs ---- */

typedef struct {
    AjarCompactJob *job;
    gboolean ok;
} RunData;

static gpointer
run_thread(gpointer data)
{
    RunData *run = data;

    run->ok = ajar_compact_job_run(run->job, NULL);
    return NULL;
}

static void
test_steps(Fixture *f, gconstpointer data)
{
    AjarJournal *journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    g_autoptr(GError) error = NULL;
    g_autofree char *stats_live = NULL, *stats_reopened = NULL;
    AjarCompactResult result;
    RunData run = { 0 };
    GThread *thread;
    char *held_id;

    test_write_random(journal, 21, 3000, g_get_real_time() - 300 * DAY_US, DAY_US / 10);
    run.job = ajar_journal_compact_begin(journal, &error);
    g_assert_no_error(error);
    /* One at a time. */
    g_assert_null(ajar_journal_compact_begin(journal, &error));
    g_assert_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_BUSY);
    g_clear_error(&error);
    thread = g_thread_new("compact", run_thread, &run);
    append_held(journal, 5); /* the tail */
    g_thread_join(thread);
    g_assert_true(run.ok);
    {
        g_autoptr(AjarEvent) held =
            test_custody_event(AJAR_EVENT_HELD, NULL, AJAR_DIRECTION_IN, "late", g_get_real_time());
        append_ok(journal, held);
        held_id = g_strdup(held->id);
    }
    g_assert_true(ajar_journal_compact_finish(journal, run.job, &result, &error));
    g_assert_no_error(error);
    ajar_compact_job_free(run.job);
    g_assert_cmpuint(result.journal_bytes_after, <, result.journal_bytes_before);
    g_assert_nonnull(ajar_state_lookup(ajar_journal_get_state(journal), held_id));
    /* Appends go to the new file, which is locked. */
    append_held(journal, 1);
    {
        int fd = open(f->path, O_RDONLY);
        g_assert_cmpint(flock(fd, LOCK_EX | LOCK_NB), !=, 0);
        close(fd);
    }
    stats_live = test_stats_of(ajar_journal_get_state(journal));
    ajar_journal_close(journal);
    journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    stats_reopened = test_stats_of(ajar_journal_get_state(journal));
    g_assert_cmpstr(stats_reopened, ==, stats_live);
    g_assert_nonnull(ajar_state_lookup(ajar_journal_get_state(journal), held_id));
    ajar_journal_close(journal);
    g_free(held_id);
}

/* A message finished before begin and taken up again meanwhile (a
 * "sending" after its "sent") would be an orphan in the new journal alone:
 * finish undoes the compaction instead, and nothing changed. */
static void
test_finished_taken_up_again(Fixture *f, gconstpointer data)
{
    AjarJournal *journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    g_autoptr(AjarEvent) queued = test_custody_event(AJAR_EVENT_QUEUED, NULL, AJAR_DIRECTION_OUT,
                                                     "bye", g_get_real_time() - 90 * DAY_US);
    g_autoptr(AjarEvent) sent = NULL, again = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) names = NULL;
    g_autofree char *before = NULL, *after = NULL;
    AjarCompactJob *job;

    append_ok(journal, queued);
    sent = test_outcome_event(AJAR_EVENT_SENT, queued->id, g_get_real_time() - 90 * DAY_US);
    append_ok(journal, sent);
    job = ajar_journal_compact_begin(journal, &error);
    g_assert_no_error(error);
    g_assert_true(ajar_compact_job_run(job, &error));
    again = test_outcome_event(AJAR_EVENT_SENDING, queued->id, g_get_real_time());
    append_ok(journal, again);
    before = test_stats_of(ajar_journal_get_state(journal));
    g_assert_false(ajar_journal_compact_finish(journal, job, NULL, &error));
    g_assert_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_BUSY);
    ajar_compact_job_free(job);
    after = test_stats_of(ajar_journal_get_state(journal));
    g_assert_cmpstr(after, ==, before);
    g_assert_true(
        ajar_item_in_custody(ajar_state_lookup(ajar_journal_get_state(journal), queued->id)));
    names = ajar_history_list(f->dir);
    for (guint i = 0; i < names->len; i++) {
        g_autofree char *path = g_build_filename(f->dir, names->pdata[i], NULL);
        g_assert_cmpint(file_size(path), ==, 0); /* cut back (or removed) */
    }
    ajar_journal_close(journal);
}

/* A writer that opened journal.jsonl just before a compaction renamed its
 * new file over it, and locks the old file just after the compaction let
 * go of it: it must not take that for the journal. It opens again, finds
 * the new file locked, and is refused as any second writer is. */
static void
test_lock_after_rename(Fixture *f, gconstpointer data)
{
    g_autofree char *pause = g_build_filename(f->dir, "pause", NULL);
    g_autofree char *ready = g_strconcat(pause, ".ready", NULL);
    g_autofree char *go = g_strconcat(pause, ".go", NULL);
    g_autofree char *answer = g_build_filename(f->dir, "answer", NULL);
    g_autoptr(GError) error = NULL;
    AjarJournal *journal;
    int status = 0;
    pid_t child;

    /* (No sync thread in this process before the fork.) */
    journal = open_ok(f->dir, AJAR_FLUSH_EVERY_EVENT);
    test_write_random(journal, 31, 200, g_get_real_time() - 100 * DAY_US, DAY_US / 4);
    child = fork();
    g_assert_cmpint(child, >=, 0);
    if (child == 0) {
        AjarJournal *second;
        /* Not the parent's descriptors: they would hold its lock. */
        for (int fd = 3; fd < 1024; fd++)
            close(fd);
        g_setenv("AJAR_TEST_PAUSE_BEFORE_LOCK", pause, TRUE);
        second = ajar_journal_open(f->dir, AJAR_FLUSH_EVERY_EVENT, &error);
        /* (Told in a file: under valgrind the exit status is valgrind's.) */
        g_file_set_contents(
            answer,
            second == NULL && g_error_matches(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_BUSY)
                ? "busy"
                : "opened",
            -1, NULL);
        _exit(0);
    }
    for (int i = 0; i < 1000 && !g_file_test(ready, G_FILE_TEST_EXISTS); i++)
        g_usleep(10000);
    g_assert_true(g_file_test(ready, G_FILE_TEST_EXISTS));
    /* The child has the old file open; the compaction replaces it. */
    g_assert_true(ajar_journal_compact(journal, FALSE, NULL, &error));
    g_assert_no_error(error);
    g_assert_true(g_file_set_contents(go, "", 0, NULL));
    g_assert_cmpint(waitpid(child, &status, 0), ==, child);
    g_assert_true(WIFEXITED(status));
    {
        g_autofree char *said = NULL;
        g_assert_true(g_file_get_contents(answer, &said, NULL, NULL));
        g_assert_cmpstr(said, ==, "busy"); /* refused, as a second writer is */
    }
    ajar_journal_close(journal);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    for (guint i = 0; i < G_N_ELEMENTS(steps); i++) {
        g_autofree char *path = g_strdup_printf("/compact/crash/%s", steps[i]);
        g_test_add_data_func(path, steps[i], test_crash_at);
    }
    g_test_add("/compact/steps/tail", Fixture, NULL, fixture_set_up, test_steps, fixture_tear_down);
    g_test_add("/compact/steps/taken-up-again", Fixture, NULL, fixture_set_up,
               test_finished_taken_up_again, fixture_tear_down);
    g_test_add("/compact/lock/after-rename", Fixture, NULL, fixture_set_up, test_lock_after_rename,
               fixture_tear_down);
    return g_test_run();
}
