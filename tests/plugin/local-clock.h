/* local-clock.h — the local time of day a plugin test runs at, without
 * touching the real clock.
 *
 * Ajar reads local time only through GLib (g_date_time_new_now_local(),
 * g_date_time_new_from_unix_local()), and GLib's local time zone follows
 * $TZ when it changes (g_time_zone_new_local() drops its cached zone when
 * TZ no longer names it). So a test picks the wall time it wants by picking
 * a POSIX zone whose offset puts "now" there, to the second: quiet hours
 * that wrap midnight are tested at 23:59:58 and 00:00:58 on any day, and
 * their end comes two seconds later in real time. Header-only, like
 * ajar-test-util.h. */
#ifndef AJAR_TEST_LOCAL_CLOCK_H
#define AJAR_TEST_LOCAL_CLOCK_H

#include <glib.h>
#include <time.h>

/* Sets $TZ so that the local wall time now is @hour:@minute:@second (with
 * the real clock's fraction of a second); the zone is "AJR" with an offset
 * of under 12 hours either way. Aborts if GLib does not read it so. */
static inline void
local_clock_set(int hour, int minute, int second)
{
    gint64 now = g_get_real_time() / G_USEC_PER_SEC;
    gint64 offset = (gint64)hour * 3600 + minute * 60 + second - now % 86400;
    gint64 size;
    g_autofree char *zone = NULL;
    g_autoptr(GDateTime) local = NULL;

    while (offset > 12 * 3600)
        offset -= 86400;
    while (offset <= -12 * 3600)
        offset += 86400;
    size = ABS(offset);
    /* POSIX counts the other way: "AJR-1" is one hour east of UTC. */
    zone = g_strdup_printf("AJR%c%02d:%02d:%02d", offset >= 0 ? '-' : '+', (int)(size / 3600),
                           (int)(size / 60 % 60), (int)(size % 60));
    g_setenv("TZ", zone, TRUE);
    tzset();
    local = g_date_time_new_now_local();
    g_assert_cmpint(g_date_time_get_hour(local), ==, hour);
    g_assert_cmpint(g_date_time_get_minute(local), ==, minute);
}

/* Back to the suite's own zone (meson sets TZ=UTC). */
static inline void
local_clock_reset(void)
{
    g_setenv("TZ", "UTC", TRUE);
    tzset();
}

#endif /* AJAR_TEST_LOCAL_CLOCK_H */
