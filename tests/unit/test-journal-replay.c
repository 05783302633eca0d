/* test-journal-replay.c — reading journal.jsonl back: a restart shows what
 * was written, a crash mid-write and a damaged file are survived. */
#include "journal-test-util.h"

/* Each path a message can take is what a restart shows. */
static void
test_replay_transitions(Fixture *f, gconstpointer data)
{
    static const struct {
        AjarDirection dir;
        AjarEventType steps[4];
        AjarEventType state;
        gboolean in_custody;
    } cases[] = {
        { AJAR_DIRECTION_IN, { AJAR_EVENT_HELD, AJAR_EVENT_RELEASED }, AJAR_EVENT_RELEASED, FALSE },
        { AJAR_DIRECTION_IN,
          { AJAR_EVENT_HELD, AJAR_EVENT_DISCARDED },
          AJAR_EVENT_DISCARDED,
          FALSE },
        { AJAR_DIRECTION_IN, { AJAR_EVENT_ARCHIVED, AJAR_EVENT_READ }, AJAR_EVENT_READ, TRUE },
        { AJAR_DIRECTION_IN,
          { AJAR_EVENT_ARCHIVED, AJAR_EVENT_READ, AJAR_EVENT_DISCARDED },
          AJAR_EVENT_DISCARDED,
          FALSE },
        { AJAR_DIRECTION_IN, { AJAR_EVENT_DELAYED }, AJAR_EVENT_DELAYED, TRUE },
        { AJAR_DIRECTION_IN,
          { AJAR_EVENT_DELAYED, AJAR_EVENT_DELIVERED },
          AJAR_EVENT_DELIVERED,
          FALSE },
        { AJAR_DIRECTION_OUT, { AJAR_EVENT_QUEUED, AJAR_EVENT_SENT }, AJAR_EVENT_SENT, FALSE },
        { AJAR_DIRECTION_OUT,
          { AJAR_EVENT_QUEUED, AJAR_EVENT_CANCELLED },
          AJAR_EVENT_CANCELLED,
          TRUE },
        { AJAR_DIRECTION_OUT,
          { AJAR_EVENT_QUEUED, AJAR_EVENT_CANCELLED, AJAR_EVENT_SENT },
          AJAR_EVENT_SENT,
          FALSE },
        { AJAR_DIRECTION_OUT, { AJAR_EVENT_QUEUED, AJAR_EVENT_HELD }, AJAR_EVENT_HELD, TRUE },
        { AJAR_DIRECTION_OUT, { AJAR_EVENT_HELD, AJAR_EVENT_SENT }, AJAR_EVENT_SENT, FALSE },
        { AJAR_DIRECTION_IN, { AJAR_EVENT_HELD }, AJAR_EVENT_HELD, TRUE },
    };
    char *ids[G_N_ELEMENTS(cases)] = { NULL };
    AjarJournal *journal = open_ok(f->dir, AJAR_FLUSH_EVERY_EVENT);
    const AjarState *state;
    guint custody = 0;

    for (guint step = 0; step < 4; step++) {
        for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
            AjarEventType type = cases[i].steps[step];
            g_autoptr(AjarEvent) event = NULL;
            if (type == AJAR_EVENT_UNKNOWN)
                continue;
            if (ajar_event_type_is_custody(type))
                event = test_custody_event(type, ids[i], cases[i].dir, "hi", TEST_T0 + step);
            else
                event = test_outcome_event(type, ids[i], TEST_T0 + step);
            append_ok(journal, event);
            if (ids[i] == NULL)
                ids[i] = g_strdup(event->id);
        }
    }
    ajar_journal_close(journal);

    journal = open_ok(f->dir, AJAR_FLUSH_EVERY_EVENT);
    state = ajar_journal_get_state(journal);
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        const AjarItem *item = ajar_state_lookup(state, ids[i]);
        g_assert_nonnull(item);
        g_assert_cmpint(item->state, ==, cases[i].state);
        g_assert_cmpint(ajar_item_in_custody(item), ==, cases[i].in_custody);
        test_assert_item_text_on_disk(item, f->dir, "hi", 2);
        custody += cases[i].in_custody;
    }
    g_assert_cmpuint(ajar_state_count_custody(state), ==, custody);
    g_assert_cmpuint(ajar_state_get_orphans(state), ==, 0);
    ajar_journal_close(journal);
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
        g_free(ids[i]);
}

/* A crash in the middle of a write: the half line is skipped and reported;
 * the next append ends it and says so, in one write. */
static void
test_tail_truncated(Fixture *f, gconstpointer data)
{
    static const char half[] = "{\"seq\":4,\"ts\":\"2026-11-27T21:0";
    g_autoptr(AjarEvent) event = NULL;
    g_autoptr(GPtrArray) items = NULL;
    g_autoptr(GPtrArray) back = NULL;
    const AjarJournalReport *open_report;
    AjarJournalReport report;
    AjarJournal *journal = open_ok(f->dir, AJAR_FLUSH_EVERY_EVENT);

    append_held(journal, 3);
    ajar_journal_close(journal);
    append_raw(f->path, half, sizeof half - 1);

    journal = open_ok(f->dir, AJAR_FLUSH_EVERY_EVENT);
    open_report = ajar_journal_get_open_report(journal);
    g_assert_true(open_report->incomplete_tail);
    g_assert_cmpuint(open_report->incomplete_tail_bytes, ==, sizeof half - 1);
    g_assert_cmpuint(open_report->malformed, ==, 0);
    g_assert_cmpuint(open_report->events, ==, 3);
    g_assert_cmpuint(ajar_state_count_custody(ajar_journal_get_state(journal)), ==, 3);

    items = ajar_state_list(ajar_journal_get_state(journal));
    event = test_outcome_event(AJAR_EVENT_RELEASED, NULL, TEST_T0 + 10 * G_USEC_PER_SEC);
    event->id = g_strdup(((const AjarItem *)g_ptr_array_index(items, 0))->id);
    append_ok(journal, event);
    g_assert_cmpint(event->seq, ==, 5); /* seq 4 is the note about the repair */
    ajar_journal_close(journal);

    back = read_all(f->path, &report);
    g_assert_cmpuint(report.lines, ==, 6);
    g_assert_cmpuint(report.malformed, ==, 1); /* the old half line, now a line of its own */
    g_assert_cmpuint(g_array_index(report.malformed_lines, guint, 0), ==, 4);
    g_assert_true(g_str_has_prefix(report.first_malformed_reason, "line 4: not JSON: "));
    g_assert_false(report.incomplete_tail);
    g_assert_cmpuint(report.repaired_tails, ==, 1);
    g_assert_cmpuint(report.seq_gaps + report.seq_disorder, ==, 0);
    g_assert_cmpuint(back->len, ==, 5);
    g_assert_cmpint(((AjarEvent *)g_ptr_array_index(back, 3))->type, ==, AJAR_EVENT_FAULT);
    g_assert_cmpstr(((AjarEvent *)g_ptr_array_index(back, 3))->message, ==,
                    "journal.jsonl: repaired an incomplete last line (30 bytes, line 4) left by "
                    "a crash; kept as it was");
    g_assert_cmpint(((AjarEvent *)g_ptr_array_index(back, 4))->type, ==, AJAR_EVENT_RELEASED);
    ajar_journal_report_clear(&report);

    /* And the count of held messages went down by the one released. */
    journal = open_ok(f->dir, AJAR_FLUSH_EVERY_EVENT);
    g_assert_cmpuint(ajar_state_count_custody(ajar_journal_get_state(journal)), ==, 2);
    g_assert_false(ajar_journal_get_open_report(journal)->incomplete_tail);
    ajar_journal_close(journal);
}

/* A crash can cut a write right before its "\n": once ended, that line is a
 * valid event, and what follows must number after it. */
static void
test_tail_complete_line(Fixture *f, gconstpointer data)
{
    g_autoptr(AjarEvent) lost = test_custody_event(AJAR_EVENT_HELD, "01JDX0ABCDEFGHJKMNPQRSTVWX",
                                                   AJAR_DIRECTION_IN, "almost lost", TEST_T0);
    g_autoptr(GString) line = g_string_new(NULL);
    g_autoptr(GPtrArray) back = NULL;
    AjarJournalReport report;
    AjarJournal *journal = open_ok(f->dir, AJAR_FLUSH_EVERY_EVENT);

    append_held(journal, 2);
    ajar_journal_close(journal);
    lost->seq = 3;
    ajar_event_encode(lost, line);
    append_raw(f->path, line->str, line->len - 1);

    journal = open_ok(f->dir, AJAR_FLUSH_EVERY_EVENT);
    g_assert_null(ajar_state_lookup(ajar_journal_get_state(journal), lost->id));
    append_held(journal, 1);
    g_assert_nonnull(ajar_state_lookup(ajar_journal_get_state(journal), lost->id));
    ajar_journal_close(journal);

    back = read_all(f->path, &report);
    g_assert_cmpuint(report.malformed, ==, 0);
    g_assert_cmpuint(report.seq_gaps + report.seq_disorder, ==, 0);
    g_assert_cmpuint(back->len, ==, 5);
    ajar_journal_report_clear(&report);
}

/* Damage in the middle is counted with its line number, never fatal, and
 * everything after it still counts. */
static void
test_read_garbage_in_middle(Fixture *f, gconstpointer data)
{
    static const char garbage[] = "\x00\xff garbage {\"seq\":\n"
                                  "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
                                  "[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n"
                                  "\n"
                                  "{\"seq\":3}\n";
    g_autoptr(GPtrArray) back = NULL;
    AjarJournalReport report;
    AjarJournal *journal = open_ok(f->dir, AJAR_FLUSH_EVERY_EVENT);

    append_held(journal, 2);
    ajar_journal_close(journal);
    append_raw(f->path, garbage, sizeof garbage - 1);
    journal = open_ok(f->dir, AJAR_FLUSH_EVERY_EVENT);
    append_held(journal, 2);
    g_assert_cmpuint(ajar_state_count_custody(ajar_journal_get_state(journal)), ==, 4);
    ajar_journal_close(journal);

    back = read_all(f->path, &report);
    g_assert_cmpuint(back->len, ==, 4);
    g_assert_cmpuint(report.lines, ==, 8);
    g_assert_cmpuint(report.events, ==, 4);
    g_assert_cmpuint(report.malformed, ==, 4);
    for (guint i = 0; i < 4; i++)
        g_assert_cmpuint(g_array_index(report.malformed_lines, guint, i), ==, i + 3);
    g_assert_cmpstr(report.first_malformed_reason, ==,
                    "line 3: not JSON: column 1: expected a value, found byte 0x00");
    g_assert_cmpint(((AjarEvent *)g_ptr_array_index(back, 3))->seq, ==, 4);
    ajar_journal_report_clear(&report);
}

/* Whatever the file holds, opening it reports and never crashes: random
 * bytes, numbers out of range, deep nesting, seqs at the edge of gint64. */
static void
test_read_hostile(Fixture *f, gconstpointer data)
{
    static const char *const lines[] = {
        "{\"seq\":9223372036854775807,\"ts\":\"2026-11-27T21:04:09Z\",\"event\":\"rules-changed\"}",
        "{\"seq\":1,\"ts\":\"9999-12-31T23:59:59.999999999-23:59\",\"event\":\"x\"}",
        "{\"seq\":1,\"ts\":\"0001-01-01T00:00:00+23:59\",\"event\":\"released\",\"id\":\"\"}",
        "{\"seq\":1e400,\"ts\":\"2026-11-27T21:04:09Z\",\"event\":\"held\"}",
        "{\"seq\":2,\"ts\":\"2026-11-27T21:04:09Z\",\"event\":\"held\",\"id\":\"\\ud800\"}",
        "\xef\xbb\xbf{\"seq\":3}",
        "{\"seq\":4,\"ts\":\"2026-11-27T21:04:09Z\",\"event\":\"sent\",\"id\":\"A\","
        "\"text_base64\":\"====\"}",
    };
    g_autoptr(GRand) rand = g_rand_new_with_seed(42);
    g_autoptr(GString) junk = g_string_new(NULL);
    const AjarJournalReport *report;
    AjarJournal *journal;

    for (guint i = 0; i < G_N_ELEMENTS(lines); i++)
        g_string_append_printf(junk, "%s\n", lines[i]);
    g_string_append(junk, "\n\r\n{\"seq\":");
    for (int i = 0; i < 20000; i++) {
        char c = (char)g_rand_int_range(rand, 0, 256);
        g_string_append_c(junk, c);
    }
    g_string_append_c(junk, '\n');
    for (int i = 0; i < 2000; i++)
        g_string_append_c(junk, '[');
    append_raw(f->path, junk->str, junk->len);

    journal = open_ok(f->dir, AJAR_FLUSH_EVERY_EVENT);
    report = ajar_journal_get_open_report(journal);
    g_assert_cmpuint(report->lines, ==, report->events + report->malformed);
    g_assert_true(report->incomplete_tail);
    append_held(journal, 3); /* and appending still works, even after seq 2^63-1 */
    g_assert_cmpuint(ajar_state_count_custody(ajar_journal_get_state(journal)), >=, 3);
    ajar_journal_close(journal);

    journal = open_ok(f->dir, AJAR_FLUSH_EVERY_EVENT);
    g_assert_false(ajar_journal_get_open_report(journal)->incomplete_tail);
    ajar_journal_close(journal);
}

/* A line longer than AJAR_JOURNAL_MAX_LINE_BYTES is reported without being
 * held in memory whole, and the lines after it still count. */
static void
test_read_oversized_line(Fixture *f, gconstpointer data)
{
    const gsize chunk = 1024 * 1024;
    g_autofree char *block = g_malloc(chunk);
    g_autoptr(GPtrArray) back = NULL;
    AjarJournalReport report;
    AjarJournal *journal = open_ok(f->dir, AJAR_FLUSH_EVERY_EVENT);
    int fd;

    append_held(journal, 1);
    ajar_journal_close(journal);
    memset(block, 'x', chunk);
    fd = open(f->path, O_WRONLY | O_APPEND);
    g_assert_cmpint(fd, >=, 0);
    for (gsize written = 0; written <= AJAR_JOURNAL_MAX_LINE_BYTES; written += chunk)
        g_assert_cmpint(write(fd, block, chunk), ==, (gssize)chunk);
    g_assert_cmpint(write(fd, "\n", 1), ==, 1);
    close(fd);
    journal = open_ok(f->dir, AJAR_FLUSH_EVERY_EVENT);
    append_held(journal, 1);
    ajar_journal_close(journal);

    back = read_all(f->path, &report);
    g_assert_cmpuint(back->len, ==, 2);
    g_assert_cmpuint(report.malformed, ==, 1);
    g_assert_cmpstr(report.first_malformed_reason, ==,
                    "line 2: longer than 67108864 bytes; skipped");
    ajar_journal_report_clear(&report);
}

/* The command-line tool reads while the messenger writes; no journal yet
 * is an empty one. */
static void
test_read_while_open(Fixture *f, gconstpointer data)
{
    AjarJournalReport report;
    AjarJournal *journal;

    g_ptr_array_unref(read_all(f->path, &report));
    g_assert_cmpuint(report.lines, ==, 0);
    g_assert_false(g_file_test(f->path, G_FILE_TEST_EXISTS)); /* reading creates nothing */
    ajar_journal_report_clear(&report);

    journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    append_held(journal, 3);
    g_ptr_array_unref(read_all(f->path, &report));
    g_assert_cmpuint(report.events, ==, 3);
    ajar_journal_report_clear(&report);
    ajar_journal_close(journal);
}

/* Seq numbers go on where they stopped, also after a crash left a tail. */
static void
test_seq_continuity(Fixture *f, gconstpointer data)
{
    g_autoptr(GPtrArray) back = NULL;
    AjarJournalReport report;
    AjarJournal *journal = open_ok(f->dir, AJAR_FLUSH_EVERY_EVENT);

    append_held(journal, 5);
    ajar_journal_close(journal);
    journal = open_ok(f->dir, AJAR_FLUSH_EVERY_EVENT);
    g_assert_cmpint(ajar_state_get_last_seq(ajar_journal_get_state(journal)), ==, 5);
    append_held(journal, 1);
    ajar_journal_close(journal);
    append_raw(f->path, "{\"seq\":7", 8);
    journal = open_ok(f->dir, AJAR_FLUSH_EVERY_EVENT);
    append_held(journal, 1);
    ajar_journal_close(journal);

    back = read_all(f->path, &report);
    g_assert_cmpuint(back->len, ==, 8); /* 7 held and the repair note */
    for (guint i = 0; i < back->len; i++)
        g_assert_cmpint(((AjarEvent *)g_ptr_array_index(back, i))->seq, ==, i + 1);
    g_assert_cmpuint(report.seq_gaps + report.seq_disorder, ==, 0);
    ajar_journal_report_clear(&report);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add(path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
    ADD("/journal/replay/transitions", test_replay_transitions);
    ADD("/journal/tail/truncated", test_tail_truncated);
    ADD("/journal/tail/complete-line", test_tail_complete_line);
    ADD("/journal/read/garbage-in-middle", test_read_garbage_in_middle);
    ADD("/journal/seq/continuity", test_seq_continuity);
    ADD("/journal/read/while-open", test_read_while_open);
    ADD("/journal/read/hostile", test_read_hostile);
    ADD("/journal/read/oversized-line", test_read_oversized_line);
#undef ADD
    return g_test_run();
}
