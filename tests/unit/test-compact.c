/* test-compact.c — compaction (issue 13): the summary event, where each
 * line goes, the figures before and after (a property over generated
 * journals), and when the journal asks for it. Crashes: test-compact-crash.c. */
#include "compact-test-util.h"

#include "../../store/ajar-event-private.h"

/* ---- the summary event ---- */

static AjarSummary *
sample_summary(void)
{
    AjarSummary *summary = g_new0(AjarSummary, 1);

    summary->last_id = g_strdup("01KB0ZC7N9W8Q4T6Y2H3J5K7M8");
    summary->orphans = 3;
    summary->n_rules = 2;
    summary->rules = g_new0(AjarSummaryRule, 2);
    summary->rules[0].rule = g_strdup("Family \"home\"");
    summary->rules[0].counters.held = 12;
    summary->rules[0].counters.attention = 1;
    summary->rules[0].held_back = 4;
    summary->rules[1].rule = g_strdup("Sam");
    summary->rules[1].counters.sent = 4000000000u;
    summary->rules[1].counters.last_sent = TEST_T0 + 113000;
    return summary;
}

static void
test_summary_round_trip(void)
{
    g_autoptr(AjarEvent) event = ajar_event_new(AJAR_EVENT_SUMMARY);
    g_autoptr(AjarEvent) decoded = NULL;
    g_autoptr(AjarEvent) strict = NULL;
    g_autoptr(AjarEvent) copy = NULL;
    g_autoptr(GString) line = g_string_new(NULL);
    g_autoptr(GString) again = g_string_new(NULL);
    g_autoptr(GError) error = NULL;

    event->seq = 7;
    event->ts = TEST_T0;
    event->summary = sample_summary();
    ajar_event_encode(event, line);
    g_assert_cmpstr(line->str, ==,
                    "{\"seq\":7,\"ts\":\"2026-11-27T21:04:09.000Z\",\"event\":\"summary\","
                    "\"last_id\":\"01KB0ZC7N9W8Q4T6Y2H3J5K7M8\",\"orphans\":3,\"rules\":{"
                    "\"Family \\\"home\\\"\":{\"held\":12,\"attention\":1,\"held_back\":4},"
                    "\"Sam\":{\"sent\":4000000000,\"last_sent\":\"2026-11-27T21:04:09.113Z\"}}}\n");
    decoded = ajar_event_decode(line->str, line->len - 1, &error);
    g_assert_no_error(error);
    g_assert_cmpint(decoded->type, ==, AJAR_EVENT_SUMMARY);
    g_assert_nonnull(decoded->summary);
    ajar_event_encode(decoded, again);
    g_assert_cmpstr(again->str, ==, line->str);
    strict = ajar_event_decode_strict(line->str, line->len - 1, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(strict->summary->rules[1].counters.sent, ==, 4000000000u);
    copy = ajar_event_copy(decoded);
    g_string_truncate(again, 0);
    ajar_event_encode(copy, again);
    g_assert_cmpstr(again->str, ==, line->str);

    /* A summary the scanner could read on its own still gets its figures. */
    {
        const char *bare = "{\"seq\":1,\"ts\":\"2026-11-27T21:04:09.000Z\",\"event\":\"summary\"}";
        g_autoptr(AjarEvent) plain = ajar_event_decode(bare, strlen(bare), &error);
        g_assert_no_error(error);
        g_assert_nonnull(plain->summary);
        g_assert_cmpuint(plain->summary->n_rules, ==, 0);
    }
}

static void
test_summary_refused(void)
{
    const char *bad[] = {
        "\"rules\":[]",
        "\"rules\":{\"Sam\":3}",
        "\"rules\":{\"Sam\":{\"held\":-1}}",
        "\"rules\":{\"Sam\":{\"held\":4294967296}}",
        "\"rules\":{\"Sam\":{\"held\":1.5}}",
        "\"rules\":{\"Sam\":{\"last_sent\":\"yesterday\"}}",
        "\"rules\":{\"\":{}}",
        "\"orphans\":\"3\"",
        "\"last_id\":7",
    };

    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_autofree char *line = g_strdup_printf(
            "{\"seq\":1,\"ts\":\"2026-11-27T21:04:09.000Z\",\"event\":\"summary\",%s}", bad[i]);
        g_autoptr(GError) error = NULL;
        g_autoptr(AjarEvent) event = ajar_event_decode(line, strlen(line), &error);

        g_assert_null(event);
        g_assert_error(error, AJAR_EVENT_ERROR, AJAR_EVENT_ERROR_MALFORMED);
    }
    /* A newer version's figures are ignored. */
    {
        const char *line = "{\"seq\":1,\"ts\":\"2026-11-27T21:04:09.000Z\",\"event\":\"summary\","
                           "\"rules\":{\"Sam\":{\"held\":2,\"hugs\":9}},\"more\":[1]}";
        g_autoptr(GError) error = NULL;
        g_autoptr(AjarEvent) event = ajar_event_decode(line, strlen(line), &error);
        g_assert_no_error(error);
        g_assert_cmpuint(event->summary->rules[0].counters.held, ==, 2);
    }
}

/* Applied, it sets: appended to a live journal it changes no figure; a
 * state that saw fewer lines takes its figures. */
static void
test_summary_apply(Fixture *f, gconstpointer data)
{
    g_autoptr(AjarState) fresh = ajar_state_new();
    g_autoptr(AjarEvent) summary = ajar_event_new(AJAR_EVENT_SUMMARY);
    g_autofree char *before = NULL, *after = NULL, *replayed = NULL;
    AjarJournal *journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    const AjarState *state = ajar_journal_get_state(journal);

    test_write_random(journal, 1, 300, TEST_T0 - 400 * DAY_US, DAY_US);
    before = test_stats_of(state);
    g_assert_cmpuint(ajar_state_count_held_back(state, "Sam"), >, 0);
    summary->ts = TEST_T0;
    summary->summary = ajar_summary_from_state(state);
    append_ok(journal, summary);
    after = test_stats_of(state);
    g_assert_cmpstr(after, ==, before);
    ajar_journal_close(journal);

    journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    replayed = test_stats_of(ajar_journal_get_state(journal));
    g_assert_cmpstr(replayed, ==, before);
    ajar_journal_close(journal);

    /* The figures of history without the messages: counters, held back,
     * orphans and the last id come from the summary alone. */
    ajar_state_apply(fresh, summary);
    g_assert_cmpstr(ajar_state_get_last_id(fresh), ==, summary->summary->last_id);
    for (guint i = 0; i < summary->summary->n_rules; i++) {
        const AjarSummaryRule *rule = &summary->summary->rules[i];
        const AjarRuleCounters *counters = ajar_state_get_counters(fresh, rule->rule);
        g_assert_nonnull(counters);
        g_assert_cmpmem(counters, sizeof *counters, &rule->counters, sizeof rule->counters);
        g_assert_cmpuint(ajar_state_count_held_back(fresh, rule->rule), ==, rule->held_back);
    }
}

/* ---- routing ---- */

static char *
read_text(const char *path)
{
    char *bytes = NULL;

    if (!g_file_get_contents(path, &bytes, NULL, NULL))
        return g_strdup("");
    return bytes;
}

/* Custody and lately discarded messages stay, byte for byte with their
 * seq; finished ones, lines without an id and malformed lines move to the
 * file of their month; a line without a readable ts goes with the one
 * before it. */
static void
test_routing(Fixture *f, gconstpointer data)
{
    gint64 now = g_get_real_time();
    gint64 old = now - 100 * DAY_US; /* months before now */
    g_autoptr(GPtrArray) kept_ids = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *original = NULL, *journal_after = NULL, *stats_before = NULL;
    g_autoptr(GString) expected_kept = g_string_new(NULL);
    g_auto(GStrv) lines = NULL;
    g_autoptr(GPtrArray) names = NULL;
    AjarCompactResult result;
    g_autoptr(GError) error = NULL;
    AjarJournal *journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    AjarEvent *e;
    gint64 last_seq;

    /* 0: held, stays. 1: released, moves. 2: discarded long ago, moves.
     * 3: discarded just now, stays. */
    for (int i = 0; i < 4; i++) {
        g_autoptr(AjarEvent) held =
            test_custody_event(AJAR_EVENT_HELD, NULL, AJAR_DIRECTION_IN, "hi", old + i * DAY_US);
        append_ok(journal, held);
        if (i == 0 || i == 3)
            g_ptr_array_add(kept_ids, g_strdup(held->id));
        if (i > 0) {
            g_autoptr(AjarEvent) done =
                test_outcome_event(i == 1 ? AJAR_EVENT_RELEASED : AJAR_EVENT_DISCARDED, held->id,
                                   i == 3 ? now - DAY_US : old + i * DAY_US + 1000);
            append_ok(journal, done);
        }
    }
    e = ajar_event_new(AJAR_EVENT_PASSED);
    e->ts = old + 10 * DAY_US;
    e->rule = g_strdup("Sam");
    append_ok(journal, e);
    ajar_event_free(e);
    ajar_journal_close(journal);
    /* Damage: a line that is no event, with and without a ts to read. */
    {
        const char *damage[] = { "{\"seq\":99,\"ts\":\"2025-01-02T00:00:00.000Z\",\"event\"\n",
                                 "not json at all\n" };
        for (guint i = 0; i < G_N_ELEMENTS(damage); i++)
            append_raw(f->path, damage[i], strlen(damage[i]));
    }

    original = read_text(f->path);
    lines = g_strsplit(original, "\n", -1);
    for (guint i = 0; lines[i] != NULL; i++) {
        for (guint k = 0; k < kept_ids->len; k++) {
            if (strstr(lines[i], kept_ids->pdata[k]) != NULL) {
                g_string_append_printf(expected_kept, "%s\n", lines[i]);
                break;
            }
        }
    }
    journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    stats_before = test_stats_of(ajar_journal_get_state(journal));
    last_seq = ajar_state_get_last_seq(ajar_journal_get_state(journal));
    g_assert_true(ajar_journal_compact(journal, FALSE, &result, &error));
    g_assert_no_error(error);
    g_assert_cmpuint(result.lines_kept, ==, 3);          /* held; held + discarded */
    g_assert_cmpuint(result.lines_moved, ==, 4 + 2 + 1); /* 2 messages, pass, damage */
    g_assert_cmpuint(result.journal_bytes_after, <, result.journal_bytes_before);
    {
        g_autofree char *stats_after = test_stats_of(ajar_journal_get_state(journal));
        g_assert_cmpstr(stats_after, ==, stats_before);
    }
    /* seq goes on from the greatest ever written. */
    e = test_outcome_event(AJAR_EVENT_RELEASED, kept_ids->pdata[0], now);
    append_ok(journal, e);
    g_assert_cmpint(e->seq, >, last_seq + 1); /* the summary had last_seq + 1 */
    ajar_event_free(e);
    ajar_journal_close(journal);

    journal_after = read_text(f->path);
    g_assert_true(g_str_has_prefix(journal_after, expected_kept->str));
    g_assert_nonnull(strstr(journal_after + expected_kept->len, "\"event\":\"summary\""));
    names = ajar_history_list(f->dir);
    g_assert_cmpuint(names->len, >=, 2);
    for (guint i = 0; i < names->len; i++) {
        g_autofree char *path = g_build_filename(f->dir, names->pdata[i], NULL);
        g_assert_cmpuint(test_file_mode(path), ==, 0600);
    }
    {
        g_autofree char *history_dir = g_build_filename(f->dir, AJAR_HISTORY_DIR, NULL);
        g_assert_cmpuint(test_file_mode(history_dir), ==, 0700);
    }
    /* The damaged lines went where the line before them went: one with an
     * earlier ts never goes to an earlier file (readers read those first). */
    {
        g_autofree char *last = g_build_filename(f->dir, names->pdata[names->len - 1], NULL);
        g_autofree char *text = read_text(last);
        g_assert_true(g_str_has_suffix(text, "\"event\"\nnot json at all\n"));
        g_assert_null(strstr(names->pdata[0], "history/2025-01"));
    }
}

/* A line a crash cut, of a message still kept, and the note of its repair:
 * both move (the damage with what explains it); the journal after has no
 * malformed line. */
static void
test_cut_line_moves(Fixture *f, gconstpointer data)
{
    g_autoptr(AjarEvent) archived = test_custody_event(AJAR_EVENT_ARCHIVED, NULL, AJAR_DIRECTION_IN,
                                                       "kept", g_get_real_time() - 60 * DAY_US);
    g_autofree char *cut = NULL;
    g_autoptr(GError) error = NULL;
    AjarJournalReport report;
    AjarJournal *journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);

    append_ok(journal, archived);
    append_held(journal, 3);
    ajar_journal_close(journal);
    cut = g_strdup_printf("{\"seq\":99,\"ts\":\"2026-10-01T00:00:00.000Z\",\"event\":\"read\","
                          "\"id\":\"%s\"",
                          archived->id);
    append_raw(f->path, cut, strlen(cut));
    journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    append_held(journal, 1); /* ends the cut line and notes the repair */
    g_assert_true(ajar_journal_compact(journal, FALSE, NULL, &error));
    g_assert_no_error(error);
    g_assert_true(
        ajar_item_in_custody(ajar_state_lookup(ajar_journal_get_state(journal), archived->id)));
    ajar_journal_close(journal);
    g_autoptr(GPtrArray) events = read_all(f->path, &report);
    g_assert_cmpuint(report.malformed, ==, 0);
    ajar_journal_report_clear(&report);
    {
        g_autoptr(GPtrArray) names = ajar_history_list(f->dir);
        g_autoptr(GString) all = g_string_new(NULL);
        for (guint i = 0; i < names->len; i++) {
            g_autofree char *path = g_build_filename(f->dir, names->pdata[i], NULL);
            g_autofree char *text = read_text(path);
            g_string_append(all, text);
        }
        g_assert_nonnull(strstr(all->str, cut));
        g_assert_nonnull(strstr(all->str, "journal.jsonl: repaired"));
    }
}

/* ---- the property: figures identical before and after ---- */

static void
check_compaction(const char *dir, AjarJournal *journal, gboolean drop)
{
    g_autofree char *before = test_stats_of(ajar_journal_get_state(journal));
    g_autoptr(GHashTable) lines_before = test_count_lines(dir);
    g_autoptr(GError) error = NULL;
    AjarCompactResult result;

    g_assert_true(ajar_journal_compact(journal, drop, &result, &error));
    g_assert_no_error(error);
    {
        g_autofree char *after = test_stats_of(ajar_journal_get_state(journal));
        g_autoptr(AjarState) all = test_read_all_files(dir);
        g_autofree char *read_back = test_stats_of(all);
        g_assert_cmpstr(after, ==, before);
        g_assert_cmpstr(read_back, ==, before);
    }
    if (!drop) {
        g_autoptr(GHashTable) lines_after = test_count_lines(dir);
        test_assert_each_line_once(lines_before, lines_after);
    } else {
        g_autoptr(GPtrArray) names = ajar_history_list(dir);
        g_assert_cmpuint(names->len, ==, 0);
    }
}

static void
test_property(Fixture *f, gconstpointer data)
{
    gint64 now = g_get_real_time();

    for (guint32 seed = 1; seed <= 12; seed++) {
        g_autofree char *dir = g_build_filename(f->dir, "p", NULL);
        AjarJournal *journal;
        g_autofree char *reopened = NULL, *live = NULL;

        test_rm_rf(dir);
        journal = open_ok(dir, AJAR_FLUSH_BATCHED);
        /* Two years up to now, compacted, more, compacted again. */
        test_write_random(journal, seed, 400, now - 730 * DAY_US, DAY_US);
        check_compaction(dir, journal, FALSE);
        test_write_random(journal, seed + 100, 400, now - 330 * DAY_US, DAY_US * 3 / 4);
        check_compaction(dir, journal, seed % 4 == 0);
        test_write_random(journal, seed + 200, 50, now - 20 * DAY_US, DAY_US / 4);
        check_compaction(dir, journal, FALSE);
        live = test_stats_of(ajar_journal_get_state(journal));
        ajar_journal_close(journal);
        journal = open_ok(dir, AJAR_FLUSH_BATCHED);
        reopened = test_stats_of(ajar_journal_get_state(journal));
        g_assert_cmpstr(reopened, ==, live);
        ajar_journal_close(journal);
    }
}

/* ---- when ---- */

/* @n messages held and released at once, from @since on: 2 * @n finished
 * lines. */
static void
append_finished(AjarJournal *journal, guint n, gint64 since)
{
    for (guint i = 0; i < n; i++) {
        g_autoptr(AjarEvent) held =
            test_custody_event(AJAR_EVENT_HELD, NULL, AJAR_DIRECTION_IN, "hi", since + i);
        g_autoptr(AjarEvent) released = NULL;

        append_ok(journal, held);
        released = test_outcome_event(AJAR_EVENT_RELEASED, held->id, since + i);
        append_ok(journal, released);
    }
}

static void
test_wants(Fixture *f, gconstpointer data)
{
    gint64 now = g_get_real_time();
    AjarJournal *journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    g_autoptr(GError) error = NULL;

    append_held(journal, 100);
    g_assert_false(ajar_journal_wants_compaction(journal)); /* too few lines */
    append_finished(journal, AJAR_COMPACT_MIN_LINES / 2, now - 700 * DAY_US);
    g_assert_true(ajar_journal_wants_compaction(journal));
    g_assert_true(ajar_journal_compact(journal, FALSE, NULL, &error));
    g_assert_no_error(error);
    g_assert_false(ajar_journal_wants_compaction(journal));
    ajar_journal_close(journal);
    /* Mostly in custody: nothing worth moving. */
    journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    append_held(journal, AJAR_COMPACT_MIN_LINES);
    g_assert_false(ajar_journal_wants_compaction(journal));
    ajar_journal_close(journal);
}

/* A compaction undone before its switch (a full disk, a crash) leaves its
 * summary at the end of the old journal: the next one is not held off until
 * the journal has doubled. */
static void
test_wants_after_undone(Fixture *f, gconstpointer data)
{
    gint64 now = g_get_real_time();
    AjarJournal *journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    g_autoptr(GError) error = NULL;
    AjarCompactJob *job;

    append_finished(journal, AJAR_COMPACT_MIN_LINES / 2 + 10, now - 700 * DAY_US);
    g_assert_true(ajar_journal_wants_compaction(journal));
    job = ajar_journal_compact_begin(journal, &error);
    g_assert_no_error(error);
    g_assert_nonnull(job);
    ajar_compact_job_free(job); /* never run: undone, its summary stays */
    ajar_journal_close(journal);
    journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    g_assert_true(ajar_journal_wants_compaction(journal));
    g_assert_true(ajar_journal_compact(journal, FALSE, NULL, &error));
    g_assert_no_error(error);
    ajar_journal_close(journal);
}

/* A room sends its last lines again at every join, and the plugin knows a
 * line it kept before by its line in the journal: each room's newest
 * AJAR_COMPACT_ROOM_LINES lines stay, however old; older ones move. */
static void
test_room_lines_stay(Fixture *f, gconstpointer data)
{
    gint64 now = g_get_real_time();
    AjarJournal *journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);
    g_autofree char *after = NULL;
    AjarCompactResult result;
    guint n = AJAR_COMPACT_ROOM_LINES + 2;

    for (guint i = 0; i < n; i++) {
        gint64 when = now - 400 * DAY_US + i * 1000; /* all long ago */
        g_autoptr(AjarEvent) held =
            test_custody_event(AJAR_EVENT_HELD, NULL, AJAR_DIRECTION_IN, "in the room", when);
        g_autoptr(AjarEvent) released = NULL;

        held->chat = g_strdup("friends@conference.example.org");
        held->nick = g_strdup("sam");
        append_ok(journal, held);
        released = test_outcome_event(AJAR_EVENT_RELEASED, held->id, when + 10);
        append_ok(journal, released);
        g_ptr_array_add(ids, g_strdup(held->id));
    }
    g_assert_true(ajar_journal_compact(journal, FALSE, &result, &error));
    g_assert_no_error(error);
    ajar_journal_close(journal);
    g_assert_cmpuint(result.lines_kept, ==, 2 * AJAR_COMPACT_ROOM_LINES);
    g_assert_cmpuint(result.lines_moved, ==, 2 * 2);
    after = read_text(f->path);
    for (guint i = 0; i < n; i++) {
        /* (The summary's last_id names the newest: look for "id" keys.) */
        g_autofree char *key = g_strdup_printf("\"id\":\"%s\"", (char *)ids->pdata[i]);

        if (i < 2)
            g_assert_null(strstr(after, key));
        else
            g_assert_nonnull(strstr(after, key));
    }
}

/* A message in custody whose id is longer than routing reads in place
 * (Ajar's own are 26 characters; a journal taken over at a renewal, or one
 * written by hand, may have others) stays in the journal. */
static void
test_long_id_stays(Fixture *f, gconstpointer data)
{
    gint64 now = g_get_real_time();
    AjarJournal *journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    g_autoptr(GError) error = NULL;
    g_autofree char *long_id = g_strnfill(130, 'X');
    g_autofree char *key = g_strdup_printf("\"id\":\"%s\"", long_id);
    g_autofree char *after = NULL;
    g_autoptr(AjarEvent) held =
        test_custody_event(AJAR_EVENT_HELD, long_id, AJAR_DIRECTION_IN, "kept", now - DAY_US);

    append_ok(journal, held);
    for (int i = 0; i < 20; i++) {
        g_autoptr(AjarEvent) other = test_custody_event(AJAR_EVENT_HELD, NULL, AJAR_DIRECTION_IN,
                                                        "done", now - 100 * DAY_US + i);
        g_autoptr(AjarEvent) released = NULL;

        append_ok(journal, other);
        released = test_outcome_event(AJAR_EVENT_RELEASED, other->id, now - 100 * DAY_US + i);
        append_ok(journal, released);
    }
    g_assert_true(ajar_journal_compact(journal, FALSE, NULL, &error));
    g_assert_no_error(error);
    g_assert_nonnull(ajar_state_lookup(ajar_journal_get_state(journal), long_id));
    ajar_journal_close(journal);
    after = read_text(f->path);
    g_assert_nonnull(strstr(after, key));
    journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    g_assert_true(
        ajar_item_in_custody(ajar_state_lookup(ajar_journal_get_state(journal), long_id)));
    ajar_journal_close(journal);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/compact/summary/round-trip", test_summary_round_trip);
    g_test_add_func("/compact/summary/refused", test_summary_refused);
    g_test_add("/compact/summary/apply", Fixture, NULL, fixture_set_up, test_summary_apply,
               fixture_tear_down);
    g_test_add("/compact/routing", Fixture, NULL, fixture_set_up, test_routing, fixture_tear_down);
    g_test_add("/compact/routing/cut-line", Fixture, NULL, fixture_set_up, test_cut_line_moves,
               fixture_tear_down);
    g_test_add("/compact/property/stats", Fixture, NULL, fixture_set_up, test_property,
               fixture_tear_down);
    g_test_add("/compact/wants", Fixture, NULL, fixture_set_up, test_wants, fixture_tear_down);
    g_test_add("/compact/wants/after-undone", Fixture, NULL, fixture_set_up,
               test_wants_after_undone, fixture_tear_down);
    g_test_add("/compact/routing/long-id", Fixture, NULL, fixture_set_up, test_long_id_stays,
               fixture_tear_down);
    g_test_add("/compact/routing/room-lines", Fixture, NULL, fixture_set_up, test_room_lines_stay,
               fixture_tear_down);
    return g_test_run();
}
