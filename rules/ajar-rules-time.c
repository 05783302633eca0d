/* ajar-rules-time.c — local times of day: when an "at" delay or the end of
 * quiet hours comes next, and whether now is inside quiet hours. DST-safe:
 * wall times are looked up in the time zone of the GDateTime given. */
#include "ajar-rules-private.h"

gint64
ajar_rules_datetime_to_us(GDateTime *dt)
{
    return g_date_time_to_unix(dt) * G_USEC_PER_SEC + g_date_time_get_microsecond(dt);
}

static gboolean
same_wall_minute(GDateTime *dt, int year, int month, int day, int minute_of_day)
{
    int y, m, d;
    g_date_time_get_ymd(dt, &y, &m, &d);
    return y == year && m == month && d == day &&
           g_date_time_get_hour(dt) * 60 + g_date_time_get_minute(dt) == minute_of_day;
}

/* The instant local wall time @minute_of_day happens on a given date (see the
 * header for gaps and repeats), or 0 if that date cannot be represented. */
static gint64
wall_time_on(GTimeZone *tz, int year, int month, int day, int minute_of_day)
{
    g_autoptr(GDateTime) dt =
        g_date_time_new(tz, year, month, day, minute_of_day / 60, minute_of_day % 60, 0);
    gint64 instant;

    if (dt == NULL)
        return 0;
    instant = g_date_time_to_unix(dt);
    if (!same_wall_minute(dt, year, month, day, minute_of_day)) {
        /* The wall time falls in a gap (clocks jumped forward). GLib moves it
         * past the gap by the gap's size; we want the moment the gap ends,
         * the first instant whose wall time is not earlier than asked. */
        for (int step = 0; step < 24 * 60; step++) {
            g_autoptr(GDateTime) before = g_date_time_new_from_unix_utc(instant - 60);
            g_autoptr(GDateTime) local = g_date_time_to_timezone(before, tz);
            int y, m, d;
            g_date_time_get_ymd(local, &y, &m, &d);
            if (y < year || (y == year && (m < month || (m == month && d < day))) ||
                (y == year && m == month && d == day &&
                 g_date_time_get_hour(local) * 60 + g_date_time_get_minute(local) < minute_of_day))
                break;
            instant -= 60;
        }
        return instant * G_USEC_PER_SEC;
    }
    /* A wall time that happens twice (clocks went back): take the first. */
    for (int shift = 30 * 60; shift <= 2 * 60 * 60; shift += 30 * 60) {
        g_autoptr(GDateTime) earlier_utc = g_date_time_new_from_unix_utc(instant - shift);
        g_autoptr(GDateTime) earlier = g_date_time_to_timezone(earlier_utc, tz);
        if (same_wall_minute(earlier, year, month, day, minute_of_day)) {
            instant -= shift;
            break;
        }
    }
    return instant * G_USEC_PER_SEC;
}

gint64
ajar_rules_next_time_of_day(GDateTime *now, int at_minute)
{
    GTimeZone *tz;
    gint64 now_us;
    int year, month, day;

    g_return_val_if_fail(now != NULL, 0);
    g_return_val_if_fail(at_minute >= 0 && at_minute < 24 * 60, 0);
    tz = g_date_time_get_timezone(now);
    now_us = ajar_rules_datetime_to_us(now);
    g_date_time_get_ymd(now, &year, &month, &day);
    for (int days = 0; days <= 2; days++) {
        /* Step whole calendar days from noon, where no DST change happens. */
        g_autoptr(GDateTime) noon = g_date_time_new(tz, year, month, day, 12, 0, 0);
        g_autoptr(GDateTime) then = noon != NULL ? g_date_time_add_days(noon, days) : NULL;
        int y, m, d;
        gint64 candidate;

        if (then == NULL)
            break;
        g_date_time_get_ymd(then, &y, &m, &d);
        candidate = wall_time_on(tz, y, m, d, at_minute);
        if (candidate > now_us)
            return candidate;
    }
    /* Unreachable for real time zones; a day later is the safe answer. */
    return now_us + (gint64)24 * 60 * 60 * G_USEC_PER_SEC;
}

gint64
ajar_rules_quiet_end(GDateTime *now, int until_minute)
{
    GTimeZone *tz = g_date_time_get_timezone(now);
    gint64 now_us = ajar_rules_datetime_to_us(now);
    gint64 next = ajar_rules_next_time_of_day(now, until_minute);
    gint64 first;
    int year, month, day;

    /* The night clocks go back, the window's end can come twice; written
     * in the repeated hour after its first pass, the window ends at its
     * second, not a day later. */
    g_date_time_get_ymd(now, &year, &month, &day);
    first = wall_time_on(tz, year, month, day, until_minute);
    if (first == 0)
        return next;
    for (int shift = 30 * 60; shift <= 2 * 60 * 60; shift += 30 * 60) {
        gint64 later = first + (gint64)shift * G_USEC_PER_SEC;
        g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc(later / G_USEC_PER_SEC);
        g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_timezone(utc, tz) : NULL;

        if (local != NULL && same_wall_minute(local, year, month, day, until_minute) &&
            later > now_us && later < next)
            return later;
    }
    return next;
}

gboolean
ajar_rules_in_quiet_hours(const AjarDirectionRule *outgoing, GDateTime *now)
{
    int minute, from, until;

    g_return_val_if_fail(outgoing != NULL && now != NULL, FALSE);
    if (!outgoing->has_quiet)
        return FALSE;
    minute = g_date_time_get_hour(now) * 60 + g_date_time_get_minute(now);
    from = outgoing->quiet_from_minute;
    until = outgoing->quiet_until_minute;
    if (from < until)
        return minute >= from && minute < until;
    /* The window wraps midnight: 22:00 .. 07:00. */
    return minute >= from || minute < until;
}
