/* ajar-event.c — one journal line: encoding, decoding, and the time format. */
#include "ajar/ajar-event.h"

#include <string.h>

#include "ajar/ajar-json.h"
#include "ajar/ajar-summary.h"
#include "ajar-event-private.h"

G_DEFINE_QUARK(ajar_event_error_quark, ajar_event_error)

#define USEC_PER_SEC G_GINT64_CONSTANT(1000000)
#define SEC_PER_DAY G_GINT64_CONSTANT(86400)

/* The on-disk names, indexed by AjarEventType. */
static const char *const event_names[] = {
    [AJAR_EVENT_UNKNOWN] = NULL, /* a name this version does not know */
    [AJAR_EVENT_HELD] = "held",
    [AJAR_EVENT_ARCHIVED] = "archived",
    [AJAR_EVENT_DELAYED] = "delayed",
    [AJAR_EVENT_QUEUED] = "queued",
    [AJAR_EVENT_RELEASED] = "released",
    [AJAR_EVENT_DELIVERED] = "delivered",
    [AJAR_EVENT_SENT] = "sent",
    [AJAR_EVENT_CANCELLED] = "cancelled",
    [AJAR_EVENT_DISCARDED] = "discarded",
    [AJAR_EVENT_READ] = "read",
    [AJAR_EVENT_RESTORED] = "restored",
    [AJAR_EVENT_SENDING] = "sending",
    [AJAR_EVENT_SHOWING] = "showing",
    [AJAR_EVENT_PASSED] = "passed",
    [AJAR_EVENT_RULES_CHANGED] = "rules-changed",
    [AJAR_EVENT_FAULT] = "error",
    [AJAR_EVENT_ASSIGNED] = "assigned",
    [AJAR_EVENT_ATTENTION] = "attention",
    [AJAR_EVENT_SUMMARY] = "summary",
};

AjarEvent *
ajar_event_new(AjarEventType type)
{
    AjarEvent *event = g_new0(AjarEvent, 1);
    event->type = type;
    return event;
}

void
ajar_event_free(AjarEvent *event)
{
    if (event == NULL)
        return;
    g_free(event->event_name);
    g_free(event->id);
    g_free(event->account);
    g_free(event->protocol);
    g_free(event->buddy);
    g_free(event->rule);
    g_free(event->text);
    g_free(event->message);
    g_free(event->chat);
    g_free(event->nick);
    g_strfreev(event->images);
    ajar_summary_free(event->summary);
    g_free(event);
}

AjarEvent *
ajar_event_copy(const AjarEvent *event)
{
    AjarEvent *copy;

    g_return_val_if_fail(event != NULL, NULL);
    copy = g_memdup2(event, sizeof *event);
    copy->event_name = g_strdup(event->event_name);
    copy->id = g_strdup(event->id);
    copy->account = g_strdup(event->account);
    copy->protocol = g_strdup(event->protocol);
    copy->buddy = g_strdup(event->buddy);
    copy->rule = g_strdup(event->rule);
    /* Text may hold NUL bytes: copy by length, and keep it NUL-terminated. */
    if (event->text != NULL) {
        copy->text = g_malloc(event->text_len + 1);
        memcpy(copy->text, event->text, event->text_len);
        copy->text[event->text_len] = '\0';
    }
    copy->message = g_strdup(event->message);
    copy->chat = g_strdup(event->chat);
    copy->nick = g_strdup(event->nick);
    copy->images = g_strdupv(event->images);
    copy->summary = event->summary != NULL ? ajar_summary_copy(event->summary) : NULL;
    return copy;
}

gboolean
ajar_event_type_is_custody(AjarEventType type)
{
    return type == AJAR_EVENT_HELD || type == AJAR_EVENT_ARCHIVED || type == AJAR_EVENT_DELAYED ||
           type == AJAR_EVENT_QUEUED;
}

const char *
ajar_event_type_to_string(AjarEventType type)
{
    if ((guint)type >= G_N_ELEMENTS(event_names))
        return NULL;
    return event_names[type];
}

AjarEventType
ajar_event_type_from_string(const char *name)
{
    if (name == NULL)
        return AJAR_EVENT_UNKNOWN;
    for (guint i = 1; i < G_N_ELEMENTS(event_names); i++) {
        if (strcmp(event_names[i], name) == 0)
            return (AjarEventType)i;
    }
    return AJAR_EVENT_UNKNOWN;
}

/* ---- time ---- */

/* Proleptic Gregorian calendar arithmetic (H. Hinnant's days_from_civil and
 * civil_from_days): exact, allocation-free, and independent of the local time
 * zone, which matters when a million lines are encoded or decoded. */
static gint64
days_from_civil(gint64 y, int m, int d)
{
    gint64 era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Writes @value (0 <= value < 10^@count) as exactly @count digits. */
static char *
put_digits(char *p, gint64 value, int count)
{
    for (int i = count - 1; i >= 0; i--) {
        p[i] = (char)('0' + value % 10);
        value /= 10;
    }
    return p + count;
}

static void
civil_from_days(gint64 z, gint64 *year, int *month, int *day)
{
    gint64 era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *day = (int)(doy - (153 * mp + 2) / 5 + 1);
    *month = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = yoe + era * 400 + (*month <= 2);
}

static gint64
floor_div(gint64 a, gint64 b)
{
    gint64 q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Formats with 0, 3 or 6 fraction digits. Times outside the years 1..9999
 * (which no clock gives) are clamped so the output is always a valid time. */
static void
append_time(GString *out, gint64 unix_us, int digits)
{
    const gint64 min_us = days_from_civil(1, 1, 1) * SEC_PER_DAY * USEC_PER_SEC;
    const gint64 max_us = (days_from_civil(10000, 1, 1) * SEC_PER_DAY) * USEC_PER_SEC - 1;
    gint64 secs, days, year, sec_of_day, frac;
    int month, day;

    unix_us = CLAMP(unix_us, min_us, max_us);
    secs = floor_div(unix_us, USEC_PER_SEC);
    frac = unix_us - secs * USEC_PER_SEC;
    days = floor_div(secs, SEC_PER_DAY);
    sec_of_day = secs - days * SEC_PER_DAY;
    civil_from_days(days, &year, &month, &day);
    /* By hand, not printf: every custody line writes two or three times. */
    {
        char buf[32], *p = buf;

        p = put_digits(p, year, 4);
        *p++ = '-';
        p = put_digits(p, month, 2);
        *p++ = '-';
        p = put_digits(p, day, 2);
        *p++ = 'T';
        p = put_digits(p, sec_of_day / 3600, 2);
        *p++ = ':';
        p = put_digits(p, sec_of_day / 60 % 60, 2);
        *p++ = ':';
        p = put_digits(p, sec_of_day % 60, 2);
        if (digits == 3) {
            *p++ = '.';
            p = put_digits(p, frac / 1000, 3);
        } else if (digits == 6) {
            *p++ = '.';
            p = put_digits(p, frac, 6);
        }
        *p++ = 'Z';
        g_string_append_len(out, buf, p - buf);
    }
}

char *
ajar_time_format_utc(gint64 unix_us, gboolean with_millis)
{
    GString *out = g_string_sized_new(32);
    append_time(out, unix_us, with_millis ? 3 : 0);
    return g_string_free(out, FALSE);
}

static gboolean
read_number(const char **p, int digits, int *out)
{
    int value = 0;

    for (int i = 0; i < digits; i++) {
        if (!g_ascii_isdigit((*p)[i]))
            return FALSE;
        value = value * 10 + ((*p)[i] - '0');
    }
    *p += digits;
    *out = value;
    return TRUE;
}

/* Accepts the RFC 3339 profile of ISO 8601: YYYY-MM-DDTHH:MM[:SS[.frac]]
 * followed by Z or +HH:MM / +HHMM / +HH. Parsed by hand rather than with
 * GDateTime because GDateTime goes through a double for the seconds, which
 * can turn ".113" into 112999 microseconds and break round trips. */
static gboolean
is_leap_year(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* The digits at @p[0 .. @count - 1], or -1 if one is not a digit. */
static int
digits_at(const char *p, int count)
{
    int value = 0;

    for (int i = 0; i < count; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        value = value * 10 + (p[i] - '0');
    }
    return value;
}

/* Read without a second look: a journal has one to three times a line. */
gboolean
ajar_time_parse_canonical(const char *text, gsize len, AjarTimeCache *cache, gint64 *unix_us)
{
    static const guint8 days_in_month[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int hour, minute, second, millis = 0;
    gint64 day_secs;

    if ((len != 20 && len != 24) || text[4] != '-' || text[7] != '-' || text[10] != 'T' ||
        text[13] != ':' || text[16] != ':' || text[len - 1] != 'Z')
        return FALSE;
    if (len == 24 && (text[19] != '.' || (millis = digits_at(text + 20, 3)) < 0))
        return FALSE;
    hour = digits_at(text + 11, 2);
    minute = digits_at(text + 14, 2);
    second = digits_at(text + 17, 2);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59)
        return FALSE;
    if (cache != NULL && cache->valid && memcmp(text, cache->date, sizeof cache->date) == 0) {
        day_secs = cache->day_secs;
    } else {
        int year = digits_at(text, 4), month = digits_at(text + 5, 2), day = digits_at(text + 8, 2);
        if (year < 1 || month < 1 || month > 12 || day < 1 ||
            day > days_in_month[month - 1] + (month == 2 && is_leap_year(year)))
            return FALSE;
        day_secs = days_from_civil(year, month, day) * SEC_PER_DAY;
        if (cache != NULL) {
            memcpy(cache->date, text, sizeof cache->date);
            cache->day_secs = day_secs;
            cache->valid = TRUE;
        }
    }
    *unix_us =
        (day_secs + hour * 3600 + minute * 60 + second) * USEC_PER_SEC + (gint64)millis * 1000;
    return TRUE;
}

gboolean
ajar_time_parse_iso8601(const char *text, gint64 *unix_us)
{
    const char *p = text;
    int year, month, day, hour, minute, second = 0, off_h = 0, off_m = 0, sign = 0;
    gint64 micros = 0, secs;

    g_return_val_if_fail(unix_us != NULL, FALSE);
    if (text == NULL)
        return FALSE;
    if (ajar_time_parse_canonical(text, strlen(text), NULL, unix_us))
        return TRUE;
    if (!read_number(&p, 4, &year) || *p++ != '-' || !read_number(&p, 2, &month) || *p++ != '-' ||
        !read_number(&p, 2, &day) || (*p != 'T' && *p != 't'))
        return FALSE;
    p++;
    if (!read_number(&p, 2, &hour) || *p++ != ':' || !read_number(&p, 2, &minute))
        return FALSE;
    if (*p == ':') {
        p++;
        if (!read_number(&p, 2, &second))
            return FALSE;
        if (*p == '.' || *p == ',') {
            gint64 scale = 100000;
            p++;
            if (!g_ascii_isdigit(*p))
                return FALSE;
            /* Digits past microseconds are cut off, not rounded. */
            for (; g_ascii_isdigit(*p); p++, scale /= 10)
                micros += (*p - '0') * scale;
        }
    }
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        sign = *p++ == '+' ? 1 : -1;
        if (!read_number(&p, 2, &off_h))
            return FALSE;
        if (*p == ':')
            p++;
        if (g_ascii_isdigit(*p) && !read_number(&p, 2, &off_m))
            return FALSE;
    } else {
        return FALSE; /* no offset: the time could be anywhere */
    }
    if (*p != '\0')
        return FALSE;
    if (year < 1 || month < 1 || month > 12 || day < 1 ||
        day > g_date_get_days_in_month((GDateMonth)month, (GDateYear)year) || hour > 23 ||
        minute > 59 || second > 59 || off_h > 23 || off_m > 59)
        return FALSE;
    secs = days_from_civil(year, month, day) * SEC_PER_DAY + hour * 3600 + minute * 60 + second;
    secs -= sign * (off_h * 3600 + off_m * 60);
    *unix_us = secs * USEC_PER_SEC + micros;
    return TRUE;
}

/* ---- encoding ---- */

static void
append_key(GString *out, const char *key)
{
    g_string_append(out, ",\"");
    g_string_append(out, key);
    g_string_append(out, "\":");
}

static void
append_string_field(GString *out, const char *key, const char *value)
{
    if (value == NULL)
        return;
    append_key(out, key);
    ajar_json_append_string(out, value, -1);
}

/* The message's own time and due time keep whatever precision they have
 * (seconds, millis or micros, whichever is exact), so a round trip is
 * lossless; whole seconds, the usual case, read best. */
static void
append_precise_time(GString *out, const char *key, gint64 unix_us)
{
    int digits = 6;

    if (unix_us % USEC_PER_SEC == 0)
        digits = 0;
    else if (unix_us % 1000 == 0)
        digits = 3;
    append_key(out, key);
    g_string_append_c(out, '"');
    append_time(out, unix_us, digits);
    g_string_append_c(out, '"');
}

void
ajar_event_encode(const AjarEvent *event, GString *out)
{
    const char *name;

    g_return_if_fail(event != NULL && out != NULL);
    name = ajar_event_type_to_string(event->type);
    if (name == NULL)
        name = event->event_name != NULL ? event->event_name : "unknown";

    {
        char digits[24];
        int len = 0;
        /* (The journal's seqs are positive; any other is written as printf would.) */
        guint64 seq = event->seq < 0 ? (guint64)(-(event->seq + 1)) + 1 : (guint64)event->seq;

        do {
            digits[sizeof digits - 1 - len++] = (char)('0' + seq % 10);
            seq /= 10;
        } while (seq > 0);
        if (event->seq < 0)
            digits[sizeof digits - 1 - len++] = '-';
        g_string_append(out, "{\"seq\":");
        g_string_append_len(out, digits + sizeof digits - len, len);
        g_string_append(out, ",\"ts\":\"");
    }
    append_time(out, event->ts, 3);
    g_string_append(out, "\",\"event\":");
    ajar_json_append_string(out, name, -1);
    append_string_field(out, "id", event->id);
    if (event->has_dir) {
        append_key(out, "dir");
        g_string_append(out, event->dir == AJAR_DIRECTION_OUT ? "\"out\"" : "\"in\"");
    }
    append_string_field(out, "account", event->account);
    append_string_field(out, "protocol", event->protocol);
    append_string_field(out, "buddy", event->buddy);
    append_string_field(out, "rule", event->rule);
    append_string_field(out, "chat", event->chat);
    append_string_field(out, "nick", event->nick);
    /* A custody event always has a time, even one that happens to be 0. */
    if (event->time != 0 || ajar_event_type_is_custody(event->type))
        append_precise_time(out, "time", event->time);
    if (event->due != 0)
        append_precise_time(out, "due", event->due);
    if (event->text != NULL) {
        /* g_utf8_validate() also refuses NUL bytes, which JSON could carry as
         * \u0000 — base64 for them too keeps one simple rule. */
        if (g_utf8_validate(event->text, (gssize)event->text_len, NULL)) {
            append_key(out, "text");
            ajar_json_append_string(out, event->text, (gssize)event->text_len);
        } else {
            g_autofree char *b64 = g_base64_encode((const guchar *)event->text, event->text_len);
            append_key(out, "text_base64");
            g_string_append_printf(out, "\"%s\"", b64);
        }
    }
    if (event->images != NULL && event->images[0] != NULL) {
        append_key(out, "images");
        for (guint i = 0; event->images[i] != NULL; i++) {
            g_string_append_c(out, i == 0 ? '[' : ',');
            ajar_json_append_string(out, event->images[i], -1);
        }
        g_string_append_c(out, ']');
    }
    if (event->stranger)
        g_string_append(out, ",\"stranger\":true");
    if (event->quiet)
        g_string_append(out, ",\"quiet\":true");
    if (event->ask)
        g_string_append(out, ",\"ask\":true");
    append_string_field(out, "message", event->message);
    if (event->summary != NULL)
        ajar_summary_encode(event->summary, out);
    g_string_append(out, "}\n");
}
