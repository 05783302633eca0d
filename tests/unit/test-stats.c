/* test-stats.c — the figures behind "Statistics…" and `ajar stats`, and
 * their exact words, at explicit times. */
#include "store-test-util.h"

#include "ajar/ajar-stats.h"
#include "ajar/ajar-state.h"

#define HOUR (G_GINT64_CONSTANT(3600) * G_USEC_PER_SEC)

static void
apply_owned(AjarState *state, AjarEvent *event)
{
    ajar_state_apply(state, event);
    ajar_event_free(event);
}

/* A passed outgoing message: journaled as "sent" without id or text. */
static AjarEvent *
passed_sent(const char *rule, gint64 ts)
{
    AjarEvent *event = ajar_event_new(AJAR_EVENT_SENT);

    event->ts = ts;
    event->has_dir = TRUE;
    event->dir = AJAR_DIRECTION_OUT;
    event->account = g_strdup("me@example.org/Home");
    event->protocol = g_strdup("prpl-jabber");
    event->buddy = g_strdup("sam@example.org");
    event->rule = g_strdup(rule);
    return event;
}

static AjarState *
sample_state(void)
{
    AjarState *state = ajar_state_new();
    gint64 t = TEST_T0; /* Fri 27 Nov 2026 21:04:09Z */
    AjarEvent *archived;

    /* Their side: three held (one released), two archived (one read). */
    apply_owned(state, test_custody_event(AJAR_EVENT_HELD, "01A", AJAR_DIRECTION_IN, "a", t));
    apply_owned(state, test_custody_event(AJAR_EVENT_HELD, "01B", AJAR_DIRECTION_IN, "b", t + 1));
    apply_owned(state, test_custody_event(AJAR_EVENT_HELD, "01C", AJAR_DIRECTION_IN, "c", t + 2));
    apply_owned(state, test_outcome_event(AJAR_EVENT_RELEASED, "01A", t + HOUR));
    apply_owned(state, test_custody_event(AJAR_EVENT_ARCHIVED, "01D", AJAR_DIRECTION_IN, "d", t));
    apply_owned(state, test_custody_event(AJAR_EVENT_ARCHIVED, "01E", AJAR_DIRECTION_IN, "e", t));
    apply_owned(state, test_outcome_event(AJAR_EVENT_READ, "01E", t + HOUR));
    /* Your side: one cancelled, one letter, one queued then sent, one passed. */
    apply_owned(state, test_custody_event(AJAR_EVENT_QUEUED, "01F", AJAR_DIRECTION_OUT, "f", t));
    apply_owned(state, test_outcome_event(AJAR_EVENT_CANCELLED, "01F", t + 60));
    apply_owned(state, test_custody_event(AJAR_EVENT_HELD, "01G", AJAR_DIRECTION_OUT, "g", t));
    apply_owned(state, test_custody_event(AJAR_EVENT_QUEUED, "01H", AJAR_DIRECTION_OUT, "h", t));
    apply_owned(state, test_outcome_event(AJAR_EVENT_SENT, "01H", t + 2 * HOUR));
    apply_owned(state, passed_sent("Sam", t + 3 * HOUR));
    /* Another rule with one archived message only. */
    archived = test_custody_event(AJAR_EVENT_ARCHIVED, "01I", AJAR_DIRECTION_IN, "i", t);
    g_free(archived->rule);
    archived->rule = g_strdup("alex");
    apply_owned(state, archived);
    return state;
}

static void
test_compute(void)
{
    g_autoptr(AjarState) state = sample_state();
    g_autoptr(GPtrArray) stats = ajar_stats_compute(state);
    const AjarRuleStats *alex, *sam;

    g_assert_cmpuint(stats->len, ==, 2);
    alex = g_ptr_array_index(stats, 0); /* sorted ignoring case: alex < Sam */
    sam = g_ptr_array_index(stats, 1);
    g_assert_cmpstr(alex->rule, ==, "alex");
    g_assert_cmpuint(alex->archived_total, ==, 1);
    g_assert_cmpuint(alex->archived_unread_now, ==, 1);
    g_assert_cmpint(alex->last_sent, ==, 0);

    g_assert_cmpstr(sam->rule, ==, "Sam");
    g_assert_cmpuint(sam->held_total, ==, 3);
    g_assert_cmpuint(sam->held_now, ==, 2);
    g_assert_cmpuint(sam->archived_total, ==, 2);
    g_assert_cmpuint(sam->archived_unread_now, ==, 1);
    g_assert_cmpuint(sam->archived_read_now, ==, 1);
    g_assert_cmpuint(sam->queued_now, ==, 0);
    g_assert_cmpuint(sam->letters_now, ==, 2); /* the cancelled one and the letter */
    g_assert_cmpuint(sam->held_back, ==, 2);
    g_assert_cmpuint(sam->sent_total, ==, 2);
    g_assert_cmpint(sam->last_sent, ==, TEST_T0 + 3 * HOUR);
}

static void
test_text(void)
{
    g_autoptr(AjarState) state = sample_state();
    g_autoptr(GPtrArray) stats = ajar_stats_compute(state);
    /* Three days after the last message you sent, in UTC. */
    g_autoptr(GDateTime) now =
        g_date_time_new_from_unix_utc((TEST_T0 + 3 * HOUR) / G_USEC_PER_SEC + 3 * 86400 + 3600);
    g_autofree char *text = ajar_stats_format_text(stats, now);

    g_assert_cmpstr(text, ==,
                    "alex\n"
                    "  You last wrote to them  not since Ajar began keeping notes\n"
                    "  Times you held back     0\n"
                    "  Their messages held     0 in all, 0 waiting\n"
                    "  Archived                1 in all, 1 unread\n"
                    "\n"
                    "Sam\n"
                    "  You last wrote to them  Sat 28 Nov 00:04, 3 days 1 h ago\n"
                    "  Times you held back     2\n"
                    "  Their messages held     3 in all, 2 waiting\n"
                    "  Archived                2 in all, 1 unread\n"
                    "  Unsent letters          2\n");
}

static void
test_text_empty(void)
{
    g_autoptr(AjarState) state = ajar_state_new();
    g_autoptr(GPtrArray) stats = ajar_stats_compute(state);
    g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc(TEST_T0 / G_USEC_PER_SEC);
    g_autofree char *text = ajar_stats_format_text(stats, now);
    g_autofree char *json = ajar_stats_format_json(stats);

    g_assert_cmpstr(text, ==, "No rules have filtered anything yet.\n");
    g_assert_cmpstr(json, ==, "{\"rules\":[]}\n");
}

static void
test_json(void)
{
    g_autoptr(AjarState) state = sample_state();
    g_autoptr(GPtrArray) stats = ajar_stats_compute(state);
    g_autofree char *json = ajar_stats_format_json(stats);

    g_assert_cmpstr(
        json, ==,
        "{\"rules\":[{\"rule\":\"alex\",\"last_sent\":null,\"held_back\":0,\"sent\":0,\"held\":0,"
        "\"held_waiting\":0,\"archived\":1,\"archived_unread\":1,\"archived_read\":0,"
        "\"delayed\":0,\"delayed_waiting\":0,\"cooling_off\":0,\"unsent_letters\":0,"
        "\"passed\":0,\"newest_waiting\":\"2026-11-27T21:04:07Z\"},"
        "{\"rule\":\"Sam\",\"last_sent\":\"2026-11-28T00:04:09Z\",\"held_back\":2,\"sent\":2,"
        "\"held\":3,\"held_waiting\":2,\"archived\":2,\"archived_unread\":1,\"archived_read\":1,"
        "\"delayed\":0,\"delayed_waiting\":0,\"cooling_off\":0,\"unsent_letters\":2,"
        "\"passed\":0,\"newest_waiting\":\"2026-11-27T21:04:07Z\"}]}\n");
}

typedef struct {
    gint64 seconds;
    const char *text;
} DurationCase;

static void
test_duration(void)
{
    static const DurationCase cases[] = {
        { -5, "less than a minute" },
        { 59, "less than a minute" },
        { 60, "1 min" },
        { 3599, "59 min" },
        { 3600, "1 h" },
        { 3660, "1 h 1 min" },
        { 86399, "23 h 59 min" },
        { 86400, "1 day" },
        { 90000, "1 day 1 h" },
        { 3 * 86400, "3 days" },
        { 6 * 86400 + 7200, "6 days 2 h" },
        { 41 * 86400 + 7200, "41 days" },
    };

    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *text = ajar_format_duration(cases[i].seconds * G_USEC_PER_SEC);
        g_assert_cmpstr(text, ==, cases[i].text);
    }
}

static void
test_local_time(void)
{
    g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier("CET-1CEST,M3.5.0,M10.5.0/3");
    g_autoptr(GDateTime) now = g_date_time_new(berlin, 2026, 11, 28, 9, 0, 0);
    g_autofree char *same_year = ajar_format_local_time(TEST_T0, now);
    g_autofree char *last_year =
        ajar_format_local_time(TEST_T0 - 365 * G_GINT64_CONSTANT(86400) * G_USEC_PER_SEC, now);

    g_assert_cmpstr(same_year, ==, "Fri 27 Nov 22:04");
    g_assert_cmpstr(last_year, ==, "Thu 27 Nov 2025 22:04");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
    g_test_add_func("/stats/compute", test_compute);
    g_test_add_func("/stats/text", test_text);
    g_test_add_func("/stats/text-empty", test_text_empty);
    g_test_add_func("/stats/json", test_json);
    g_test_add_func("/stats/duration", test_duration);
    g_test_add_func("/stats/local-time", test_local_time);
    return g_test_run();
}
