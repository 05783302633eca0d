/* test-journal-load.c — ajar_journal_open_async(): the replay in a worker
 * thread, appends meanwhile written at once and applied in order when the
 * main context takes the replayed state in; waiting for it; closing while
 * it runs; small journals replayed at once. */
#include "journal-test-util.h"

/* Enough held messages for a journal over AJAR_JOURNAL_LOAD_ASYNC_BYTES. */
#define BIG 6000

typedef struct {
    guint calls;
    gboolean had_error;
} Loaded;

static void
loaded_cb(AjarJournal *journal, const GError *error, gpointer data)
{
    Loaded *loaded = data;

    g_assert_false(ajar_journal_is_loading(journal));
    loaded->calls++;
    loaded->had_error = error != NULL;
}

/* A journal of BIG held messages with long texts. Returns its last seq. */
static gint64
write_big(const char *dir)
{
    g_autofree char *text = g_strnfill(300, 'x');
    AjarJournal *journal = open_ok(dir, AJAR_FLUSH_BATCHED);
    gint64 last;

    for (int i = 0; i < BIG; i++) {
        g_autoptr(AjarEvent) event =
            test_custody_event(AJAR_EVENT_HELD, NULL, AJAR_DIRECTION_IN, text, TEST_T0 + i);
        append_ok(journal, event);
    }
    last = ajar_state_get_last_seq(ajar_journal_get_state(journal));
    ajar_journal_close(journal);
    return last;
}

static AjarJournal *
open_async_ok(const char *dir, Loaded *loaded)
{
    g_autoptr(GError) error = NULL;
    AjarJournal *journal =
        ajar_journal_open_async(dir, AJAR_FLUSH_BATCHED, loaded_cb, loaded, &error);

    g_assert_no_error(error);
    g_assert_nonnull(journal);
    return journal;
}

static char *
append_new(AjarJournal *journal, const char *text)
{
    g_autoptr(AjarEvent) event =
        test_custody_event(AJAR_EVENT_HELD, NULL, AJAR_DIRECTION_IN, text, g_get_real_time());

    append_ok(journal, event);
    return g_strdup(event->id);
}

static void
test_append_while_loading(Fixture *f, gconstpointer data)
{
    gint64 last = write_big(f->dir);
    Loaded loaded = { 0 };
    AjarJournal *journal = open_async_ok(f->dir, &loaded);
    g_autofree char *a = NULL;
    g_autofree char *b = NULL;
    const AjarState *state;

    g_assert_true(ajar_journal_is_loading(journal));
    a = append_new(journal, "during one");
    b = append_new(journal, "during two");
    /* Meanwhile the state has what was appended, whole. */
    state = ajar_journal_get_state(journal);
    g_assert_cmpuint(ajar_state_count_custody(state), ==, 2);
    g_assert_cmpint(ajar_state_lookup(state, a)->first_seq, ==, last + 1);
    g_assert_cmpint(ajar_state_lookup(state, b)->first_seq, ==, last + 2);
    while (loaded.calls == 0)
        g_main_context_iteration(NULL, TRUE);
    g_assert_cmpuint(loaded.calls, ==, 1);
    g_assert_false(loaded.had_error);
    state = ajar_journal_get_state(journal);
    g_assert_cmpuint(ajar_state_count_custody(state), ==, BIG + 2);
    g_assert_cmpint(ajar_state_get_last_seq(state), ==, last + 2);
    /* New ids sort after every id in the file (last_id is the greatest). */
    g_assert_cmpstr(ajar_state_get_last_id(state), ==, b);
    g_assert_cmpuint(ajar_journal_get_open_report(journal)->events, ==, BIG);
    /* Appends go on, numbered on. */
    g_free(a);
    a = append_new(journal, "after");
    g_assert_cmpint(ajar_state_lookup(ajar_journal_get_state(journal), a)->first_seq, ==, last + 3);
    ajar_journal_close(journal);

    /* The file says the same, in that order. */
    {
        AjarJournalReport report = { 0 };
        g_autoptr(GPtrArray) events = read_all(f->path, &report);

        g_assert_cmpuint(events->len, ==, BIG + 3);
        g_assert_cmpuint(report.seq_disorder, ==, 0);
        g_assert_cmpuint(report.seq_gaps, ==, 0);
        g_assert_cmpstr(((AjarEvent *)g_ptr_array_index(events, BIG))->id, <,
                        ((AjarEvent *)g_ptr_array_index(events, BIG + 1))->id);
        g_assert_cmpstr(((AjarEvent *)g_ptr_array_index(events, BIG + 1))->text, ==, "during two");
        ajar_journal_report_clear(&report);
    }
}

static void
test_wait_loaded(Fixture *f, gconstpointer data)
{
    Loaded loaded = { 0 };
    AjarJournal *journal;

    write_big(f->dir);
    journal = open_async_ok(f->dir, &loaded);
    g_assert_true(ajar_journal_is_loading(journal));
    ajar_journal_wait_loaded(journal);
    g_assert_false(ajar_journal_is_loading(journal));
    g_assert_cmpuint(ajar_state_count_custody(ajar_journal_get_state(journal)), ==, BIG);
    /* The callback still comes, once, from the main context. */
    g_assert_cmpuint(loaded.calls, ==, 0);
    while (g_main_context_iteration(NULL, FALSE))
        ;
    g_assert_cmpuint(loaded.calls, ==, 1);
    ajar_journal_close(journal);
}

static void
test_close_while_loading(Fixture *f, gconstpointer data)
{
    Loaded loaded = { 0 };
    AjarJournal *journal;
    g_autofree char *id = NULL;

    write_big(f->dir);
    journal = open_async_ok(f->dir, &loaded);
    id = append_new(journal, "kept across the close");
    ajar_journal_close(journal);
    while (g_main_context_iteration(NULL, FALSE))
        ;
    g_assert_cmpuint(loaded.calls, ==, 0);
    /* Nothing lost: the next open has it all. */
    journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    g_assert_cmpuint(ajar_state_count_custody(ajar_journal_get_state(journal)), ==, BIG + 1);
    g_assert_nonnull(ajar_state_lookup(ajar_journal_get_state(journal), id));
    ajar_journal_close(journal);
}

/* A cut last line: the append during the load waits for the replay (the
 * repair needs it) and the line is ended before it. */
static void
test_incomplete_tail(Fixture *f, gconstpointer data)
{
    Loaded loaded = { 0 };
    gint64 last = write_big(f->dir);
    AjarJournal *journal;
    g_autofree char *id = NULL;

    append_raw(f->path, "{\"seq\":", 7);
    journal = open_async_ok(f->dir, &loaded);
    g_assert_true(ajar_journal_is_loading(journal));
    id = append_new(journal, "after a crash");
    g_assert_false(ajar_journal_is_loading(journal));
    g_assert_cmpint(ajar_state_lookup(ajar_journal_get_state(journal), id)->first_seq, ==,
                    last + 2); /* after the repair's note */
    while (loaded.calls == 0)
        g_main_context_iteration(NULL, TRUE);
    ajar_journal_close(journal);
    {
        AjarJournalReport report = { 0 };
        g_autoptr(GPtrArray) events = read_all(f->path, &report);

        g_assert_cmpuint(report.malformed, ==, 1);
        g_assert_cmpuint(report.repaired_tails, ==, 1);
        g_assert_false(report.incomplete_tail);
        g_assert_cmpuint(events->len, ==, BIG + 2);
        ajar_journal_report_clear(&report);
    }
}

/* Under AJAR_JOURNAL_LOAD_ASYNC_BYTES: replayed at once, no callback. */
static void
test_small_at_once(Fixture *f, gconstpointer data)
{
    Loaded loaded = { 0 };
    AjarJournal *journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);

    append_held(journal, 3);
    ajar_journal_close(journal);
    journal = open_async_ok(f->dir, &loaded);
    g_assert_false(ajar_journal_is_loading(journal));
    g_assert_cmpuint(ajar_state_count_custody(ajar_journal_get_state(journal)), ==, 3);
    while (g_main_context_iteration(NULL, FALSE))
        ;
    g_assert_cmpuint(loaded.calls, ==, 0);
    ajar_journal_close(journal);
}

/* A damaged line in the middle (a write a crash tore, ended by a repair):
 * read in the background as at once, counted with its number, the rest in
 * use. (The background reader's report once had no list for the numbers:
 * the first damaged line crashed the messenger.) */
static void
test_damaged_line(Fixture *f, gconstpointer data)
{
    static const char damage[] = "{\"seq\":5,\"ts\":\"2026-11-2\n";
    Loaded loaded = { 0 };
    AjarJournal *journal;
    const AjarJournalReport *report;

    write_big(f->dir);
    append_raw(f->path, damage, strlen(damage));
    write_big(f->dir);
    journal = open_async_ok(f->dir, &loaded);
    g_assert_true(ajar_journal_is_loading(journal));
    ajar_journal_wait_loaded(journal);
    report = ajar_journal_get_open_report(journal);
    g_assert_cmpuint(report->malformed, ==, 1);
    g_assert_cmpuint(report->malformed_lines->len, ==, 1);
    g_assert_cmpuint(g_array_index(report->malformed_lines, guint, 0), ==, BIG + 1);
    g_assert_cmpuint(ajar_state_count_custody(ajar_journal_get_state(journal)), ==, 2 * BIG);
    while (g_main_context_iteration(NULL, FALSE))
        ;
    g_assert_cmpuint(loaded.calls, ==, 1);
    g_assert_false(loaded.had_error);
    ajar_journal_close(journal);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add("/journal-load/append-while-loading", Fixture, NULL, fixture_set_up,
               test_append_while_loading, fixture_tear_down);
    g_test_add("/journal-load/wait-loaded", Fixture, NULL, fixture_set_up, test_wait_loaded,
               fixture_tear_down);
    g_test_add("/journal-load/close-while-loading", Fixture, NULL, fixture_set_up,
               test_close_while_loading, fixture_tear_down);
    g_test_add("/journal-load/incomplete-tail", Fixture, NULL, fixture_set_up, test_incomplete_tail,
               fixture_tear_down);
    g_test_add("/journal-load/damaged-line", Fixture, NULL, fixture_set_up, test_damaged_line,
               fixture_tear_down);
    g_test_add("/journal-load/small-at-once", Fixture, NULL, fixture_set_up, test_small_at_once,
               fixture_tear_down);
    return g_test_run();
}
