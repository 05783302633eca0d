/* test-time.c — the journal's time format: what is written, and which times
 * a reader accepts (ajar_time_format_utc(), ajar_time_parse_iso8601()). */
#include <string.h>

#include "ajar/ajar-event.h"
#include "store-test-util.h"
#include "../../store/ajar-event-private.h"

static void
test_time_format(void)
{
    static const struct {
        gint64 us;
        gboolean millis;
        const char *text;
    } cases[] = {
        { TEST_T0 + 113000, TRUE, "2026-11-27T21:04:09.113Z" },
        { TEST_T0 + 113999, TRUE, "2026-11-27T21:04:09.113Z" }, /* cut, not rounded */
        { TEST_T0 + 999999, FALSE, "2026-11-27T21:04:09Z" },
        { 0, TRUE, "1970-01-01T00:00:00.000Z" },
        { -1, TRUE, "1969-12-31T23:59:59.999Z" },
        { G_GINT64_CONSTANT(951825600) * G_USEC_PER_SEC, FALSE, "2000-02-29T12:00:00Z" },
        { G_GINT64_CONSTANT(253402300799) * G_USEC_PER_SEC, FALSE, "9999-12-31T23:59:59Z" },
        { G_MAXINT64, FALSE, "9999-12-31T23:59:59Z" }, /* clamped, never garbage */
        { G_MININT64, FALSE, "0001-01-01T00:00:00Z" },
    };

    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *text = ajar_time_format_utc(cases[i].us, cases[i].millis);
        g_assert_cmpstr(text, ==, cases[i].text);
    }
}

static void
test_time_parse(void)
{
    static const struct {
        const char *text;
        gboolean ok;
        gint64 us;
    } cases[] = {
        { "2026-11-27T21:04:09.113Z", TRUE, TEST_T0 + 113000 },
        { "2026-11-27T21:04:09Z", TRUE, TEST_T0 },
        { "2026-11-27t21:04:09z", TRUE, TEST_T0 },
        { "2026-11-27T22:04:09+01:00", TRUE, TEST_T0 },
        { "2026-11-27T16:34:09-0430", TRUE, TEST_T0 },
        { "2026-11-27T23:04:09+02", TRUE, TEST_T0 },
        { "2026-11-27T21:04:09.1234567Z", TRUE, TEST_T0 + 123456 },
        { "2026-11-27T21:04:09,5Z", TRUE, TEST_T0 + 500000 },
        { "2026-11-27T21:04Z", TRUE, TEST_T0 - 9 * G_USEC_PER_SEC },
        { "1969-12-31T23:59:59Z", TRUE, -G_USEC_PER_SEC },
        { "2000-02-29T12:00:00Z", TRUE, G_GINT64_CONSTANT(951825600) * G_USEC_PER_SEC },
        { "2026-11-27T21:04:09", FALSE, 0 },   /* no offset */
        { "2026-11-27", FALSE, 0 },            /* no time */
        { "2026-11-27 21:04:09Z", FALSE, 0 },  /* not T */
        { "2026-11-27T21:04:09.Z", FALSE, 0 }, /* empty fraction */
        { "2026-11-27T21:04:09Z ", FALSE, 0 }, /* trailing space */
        { "2026-11-27T24:00:00Z", FALSE, 0 },
        { "2026-11-27T21:60:00Z", FALSE, 0 },
        { "2026-11-27T21:04:60Z", FALSE, 0 }, /* leap seconds are not kept */
        { "2025-02-29T00:00:00Z", FALSE, 0 },
        { "2026-13-01T00:00:00Z", FALSE, 0 },
        { "0000-01-01T00:00:00Z", FALSE, 0 },
        { "2026-11-27T21:04:09+24:00", FALSE, 0 },
        { "26-11-27T21:04:09Z", FALSE, 0 },
        { "", FALSE, 0 },
        { "yesterday", FALSE, 0 },
    };

    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        gint64 us = 42;
        g_test_message("%s", cases[i].text);
        g_assert_cmpint(ajar_time_parse_iso8601(cases[i].text, &us), ==, cases[i].ok);
        if (cases[i].ok)
            g_assert_cmpint(us, ==, cases[i].us);
    }
}

/* Times in the two shapes Ajar writes are read by a shortcut: it must refuse
 * what the general reader refuses and agree on the rest. */
static void
test_time_parse_canonical(void)
{
    static const struct {
        const char *text;
        gboolean ok;
        gint64 unix_us;
    } cases[] = {
        { "1970-01-01T00:00:00Z", TRUE, 0 },
        { "1970-01-01T00:00:00.001Z", TRUE, 1000 },
        { "2024-02-29T23:59:59.999Z", TRUE, G_GINT64_CONSTANT(1709251199999000) },
        { "2000-02-29T00:00:00Z", TRUE, G_GINT64_CONSTANT(951782400000000) },
        { "2026-02-29T00:00:00Z", FALSE, 0 },
        { "1900-02-29T00:00:00Z", FALSE, 0 },
        { "2026-13-01T00:00:00Z", FALSE, 0 },
        { "2026-00-01T00:00:00Z", FALSE, 0 },
        { "2026-04-31T00:00:00Z", FALSE, 0 },
        { "2026-04-00T00:00:00Z", FALSE, 0 },
        { "2026-04-01T24:00:00Z", FALSE, 0 },
        { "2026-04-01T23:60:00Z", FALSE, 0 },
        { "2026-04-01T23:59:60Z", FALSE, 0 },
        { "0000-01-01T00:00:00Z", FALSE, 0 },
        { "2026-04-01T23:59:5xZ", FALSE, 0 },
        { "2026-04-01T23:59:59.12xZ", FALSE, 0 },
        { "2026-04-01T23:59:59,123Z", TRUE, G_GINT64_CONSTANT(1775087999123000) },
        { "2026-04-01t23:59:59Z", TRUE, G_GINT64_CONSTANT(1775087999000000) },
        { "2026-04-01T23:59:59z", TRUE, G_GINT64_CONSTANT(1775087999000000) },
        { "+026-04-01T23:59:59Z", FALSE, 0 },
    };

    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        gint64 unix_us = -1;
        gboolean ok = ajar_time_parse_iso8601(cases[i].text, &unix_us);

        g_test_message("%s", cases[i].text);
        g_assert_cmpint(ok, ==, cases[i].ok);
        if (ok)
            g_assert_cmpint(unix_us, ==, cases[i].unix_us);
    }
}

/* Our calendar arithmetic agrees with GDateTime over the whole range. */
static void
test_time_matches_gdatetime(void)
{
    g_autoptr(GRand) rand = g_rand_new_with_seed(20261127);

    for (int i = 0; i < 2000; i++) {
        gint64 secs = (gint64)g_rand_double_range(rand, -62135596800.0, 253402300799.0);
        g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(secs);
        g_autofree char *expected = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ");
        g_autofree char *ours = ajar_time_format_utc(secs * G_USEC_PER_SEC, FALSE);
        gint64 back = 0;

        if (g_date_time_get_year(dt) < 1000)
            continue; /* GDateTime does not zero-pad such years */
        g_assert_cmpstr(ours, ==, expected);
        g_assert_true(ajar_time_parse_iso8601(ours, &back));
        g_assert_cmpint(back, ==, secs * G_USEC_PER_SEC);
    }
}

/* The replay's reader keeps the last date it read: a cached date changes
 * nothing about what is accepted, and a new date is read afresh. */
static void
test_time_parse_canonical_cache(void)
{
    static const struct {
        const char *text;
        gboolean ok;
        gint64 unix_us;
    } cases[] = {
        { "2024-02-29T23:59:59.999Z", TRUE, G_GINT64_CONSTANT(1709251199999000) },
        { "2024-02-29T00:00:00Z", TRUE, G_GINT64_CONSTANT(1709164800000000) },
        { "2024-02-29T24:00:00Z", FALSE, 0 },
        { "2024-02-29T23:59:59.99xZ", FALSE, 0 },
        { "2026-02-29T00:00:00Z", FALSE, 0 },
        { "2024-02-29T00:00:01Z", TRUE, G_GINT64_CONSTANT(1709164801000000) },
        { "2024-03-01T00:00:00Z", TRUE, G_GINT64_CONSTANT(1709251200000000) },
        { "2024-02-30T00:00:00Z", FALSE, 0 },
        { "2024-03-01T00:00:00+01:00", FALSE, 0 }, /* not canonical: the general reader's */
    };
    AjarTimeCache cache = { 0 };

    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        const char *text = cases[i].text;
        gint64 cached = -1, plain = -1;
        gboolean ok = ajar_time_parse_canonical(text, strlen(text), &cache, &cached);

        g_test_message("%s", text);
        g_assert_cmpint(ok, ==, cases[i].ok);
        g_assert_cmpint(ajar_time_parse_canonical(text, strlen(text), NULL, &plain), ==, ok);
        if (ok) {
            g_assert_cmpint(cached, ==, cases[i].unix_us);
            g_assert_cmpint(plain, ==, cases[i].unix_us);
        }
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

    g_test_add_func("/time/format", test_time_format);
    g_test_add_func("/time/parse", test_time_parse);
    g_test_add_func("/time/parse-canonical", test_time_parse_canonical);
    g_test_add_func("/time/parse-canonical-cache", test_time_parse_canonical_cache);
    g_test_add_func("/time/matches-gdatetime", test_time_matches_gdatetime);
    return g_test_run();
}
