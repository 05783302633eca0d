/* ajar-stats.c — per-rule figures from a replayed journal, and their words.
 * The CLI and the plugin both print what this file writes, so they agree. */
#include "ajar/ajar-stats.h"

#include <string.h>

#include "ajar/ajar-event.h"
#include "ajar/ajar-i18n.h"
#include "ajar/ajar-json.h"
#include "ajar/ajar-reveal.h"

/* The labels' column: at least this wide, wider for longer labels. */
#define LABEL_WIDTH 24

static const char *const labels[] = {
    /* TRANSLATORS: the labels of the statistics (`ajar stats`, the plugin's
     * Statistics), each before its figures. */
    N_("You last wrote to them"),
    N_("Times you held back"),
    N_("Their messages held"),
    N_("Archived"),
    N_("Delayed"),
    N_("Cooling off now"),
    N_("Unsent letters"),
    N_("Let through by a keyword"),
    N_("Buzzes"),
};

void
ajar_rule_stats_free(AjarRuleStats *stats)
{
    if (stats == NULL)
        return;
    g_free(stats->rule);
    g_free(stats);
}

static AjarRuleStats *
stats_for(GHashTable *by_rule, GPtrArray *out, const char *rule)
{
    AjarRuleStats *stats = g_hash_table_lookup(by_rule, rule);

    if (stats == NULL) {
        stats = g_new0(AjarRuleStats, 1);
        stats->rule = g_strdup(rule);
        g_hash_table_insert(by_rule, stats->rule, stats);
        g_ptr_array_add(out, stats);
    }
    return stats;
}

static void
count_item(AjarRuleStats *stats, const AjarItem *item)
{
    gboolean out = item->dir == AJAR_DIRECTION_OUT;

    if (ajar_item_in_custody(item))
        stats->newest_waiting = MAX(stats->newest_waiting, item->time);
    switch (item->state) {
    case AJAR_EVENT_HELD:
        if (out)
            stats->letters_now++;
        else
            stats->held_now++;
        break;
    case AJAR_EVENT_ARCHIVED: stats->archived_unread_now++; break;
    case AJAR_EVENT_READ: stats->archived_read_now++; break;
    case AJAR_EVENT_DELAYED: stats->delayed_now++; break;
    case AJAR_EVENT_QUEUED: stats->queued_now++; break;
    case AJAR_EVENT_CANCELLED:
    case AJAR_EVENT_SENDING: stats->letters_now++; break;
    case AJAR_EVENT_SHOWING: stats->held_now++; break;
    default: break;
    }
    /* ("Times you held back" is the state's count: the messages it counts
     * may have moved to history, see ajar_state_count_held_back().) */
}

static gint
compare_rule_names(gconstpointer a, gconstpointer b)
{
    const AjarRuleStats *x = *(AjarRuleStats *const *)a;
    const AjarRuleStats *y = *(AjarRuleStats *const *)b;
    g_autofree char *fx = g_utf8_casefold(x->rule, -1);
    g_autofree char *fy = g_utf8_casefold(y->rule, -1);
    int order = g_utf8_collate(fx, fy);

    return order != 0 ? order : strcmp(x->rule, y->rule);
}

GPtrArray *
ajar_stats_compute(const AjarState *state)
{
    GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)ajar_rule_stats_free);
    g_autoptr(GHashTable) by_rule = g_hash_table_new(g_str_hash, g_str_equal);
    g_autoptr(GPtrArray) names = NULL;
    g_autoptr(GPtrArray) items = NULL;

    g_return_val_if_fail(state != NULL, out);
    names = ajar_state_list_rule_names(state);
    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        const AjarRuleCounters *counters = ajar_state_get_counters(state, name);
        AjarRuleStats *stats = stats_for(by_rule, out, name);

        if (counters == NULL)
            continue;
        stats->held_total = counters->held;
        stats->archived_total = counters->archived;
        stats->delayed_total = counters->delayed;
        stats->passed_total = counters->passed;
        stats->sent_total = counters->sent;
        stats->last_sent = counters->last_sent;
        stats->attention_total = counters->attention;
        stats->held_back = ajar_state_count_held_back(state, name);
    }
    items = ajar_state_list(state);
    for (guint i = 0; i < items->len; i++) {
        const AjarItem *item = g_ptr_array_index(items, i);
        if (item->rule != NULL)
            count_item(stats_for(by_rule, out, item->rule), item);
    }
    g_ptr_array_sort(out, compare_rule_names);
    return out;
}

char *
ajar_format_duration(gint64 microseconds)
{
    gint64 total_minutes = microseconds / (60 * G_USEC_PER_SEC);
    /* Minutes and hours as shown (below 60 and 24), and days, which fit a
     * long for any time a gint64 of microseconds holds. */
    long minutes = (long)(total_minutes % 60);
    long hours = (long)(total_minutes / 60 % 24);
    long days = (long)(total_minutes / (60 * 24));

    if (total_minutes < 1)
        return g_strdup(_("less than a minute"));
    if (days < 1 && hours < 1)
        /* TRANSLATORS: a duration in minutes (an abbreviation, as in "5 min"). */
        return g_strdup_printf(P_("%ld min", "%ld min", minutes), minutes);
    if (days < 1 && minutes == 0)
        /* TRANSLATORS: a duration in hours (an abbreviation, as in "2 h"). */
        return g_strdup_printf(P_("%ld h", "%ld h", hours), hours);
    if (days < 1)
        /* TRANSLATORS: hours and minutes ("2 h 5 min"). */
        return g_strdup_printf(P_("%ld h %ld min", "%ld h %ld min", hours), hours, minutes);
    if (days < 7 && hours != 0)
        /* TRANSLATORS: days and hours ("3 days 4 h"). */
        return g_strdup_printf(P_("%ld day %ld h", "%ld days %ld h", days), days, hours);
    return g_strdup_printf(P_("%ld day", "%ld days", days), days);
}

char *
ajar_format_local_time(gint64 unix_us, GDateTime *now)
{
    g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc(unix_us / G_USEC_PER_SEC);
    g_autoptr(GDateTime) local = NULL;

    g_return_val_if_fail(now != NULL, NULL);
    if (utc == NULL)
        return g_strdup("?");
    local = g_date_time_to_timezone(utc, g_date_time_get_timezone(now));
    if (local == NULL)
        return g_strdup("?");
    if (g_date_time_get_year(local) != g_date_time_get_year(now))
        /* xgettext:no-c-format */
        /* TRANSLATORS: a date and time with the year: a g_date_time_format()
         * format (%a weekday, %b month, %-d day, %Y year, %H:%M time). */
        return g_date_time_format(local, _("%a %-d %b %Y %H:%M"));
    /* xgettext:no-c-format */
    /* TRANSLATORS: a date and time in this year: a g_date_time_format()
     * format (%a weekday, %b month, %-d day, %H:%M time). */
    return g_date_time_format(local, _("%a %-d %b %H:%M"));
}

static void append_line(GString *out, const char *label, const char *format, ...)
    G_GNUC_PRINTF(3, 4);

/* @label: one of labels[], untranslated. */
static void
append_line(GString *out, const char *label, const char *format, ...)
{
    va_list args;
    glong width = LABEL_WIDTH;
    glong pad;

    for (gsize i = 0; i < G_N_ELEMENTS(labels); i++)
        width = MAX(width, g_utf8_strlen(_(labels[i]), -1));
    label = _(label);
    pad = width - g_utf8_strlen(label, -1);
    g_string_append_printf(out, "  %s", label);
    for (glong i = 0; i < MAX(pad, 1); i++)
        g_string_append_c(out, ' ');
    va_start(args, format);
    g_string_append_vprintf(out, format, args);
    va_end(args);
    g_string_append_c(out, '\n');
}

static void
append_rule_text(GString *out, const AjarRuleStats *s, GDateTime *now)
{
    gint64 now_us = g_date_time_to_unix(now) * G_USEC_PER_SEC + g_date_time_get_microsecond(now);

    g_autofree char *name = ajar_reveal_name(s->rule);

    /* The name as every place shows one: hidden characters marked, a
     * lookalike noticed (ajar-reveal.h). */
    g_string_append_printf(out, "%s\n", name);
    if (s->last_sent > 0) {
        g_autofree char *when = ajar_format_local_time(s->last_sent, now);
        g_autofree char *since = ajar_format_duration(now_us - s->last_sent);
        append_line(out, N_("You last wrote to them"),
                    /* TRANSLATORS: %1$s is a date and time, %2$s how long ago
                     * that was ("3 days 4 h"). */
                    _("%s, %s ago"), when, since);
    } else {
        append_line(out, N_("You last wrote to them"), _("not since Ajar began keeping notes"));
    }
    append_line(out, N_("Times you held back"), "%u", s->held_back);
    append_line(out, N_("Their messages held"),
                /* TRANSLATORS: %1$u messages ever, %2$u of them waiting now
                 * (the plural follows the second number). */
                P_("%u in all, %u waiting", "%u in all, %u waiting", s->held_now), s->held_total,
                s->held_now);
    append_line(out, N_("Archived"),
                /* TRANSLATORS: %1$u messages ever archived, %2$u of them not
                 * read yet (the plural follows the second number). */
                P_("%u in all, %u unread", "%u in all, %u unread", s->archived_unread_now),
                s->archived_total, s->archived_unread_now);
    if (s->delayed_total > 0 || s->delayed_now > 0)
        append_line(out, N_("Delayed"),
                    P_("%u in all, %u waiting", "%u in all, %u waiting", s->delayed_now),
                    s->delayed_total, s->delayed_now);
    if (s->queued_now > 0)
        append_line(out, N_("Cooling off now"), "%u", s->queued_now);
    if (s->letters_now > 0)
        append_line(out, N_("Unsent letters"), "%u", s->letters_now);
    if (s->passed_total > 0)
        append_line(out, N_("Let through by a keyword"), "%u", s->passed_total);
    if (s->attention_total > 0)
        append_line(out, N_("Buzzes"), "%u", s->attention_total);
}

char *
ajar_stats_format_text(const GPtrArray *stats, GDateTime *now)
{
    GString *out = g_string_new(NULL);

    g_return_val_if_fail(stats != NULL && now != NULL, NULL);
    if (stats->len == 0) {
        g_string_append(out, _("No rules have filtered anything yet."));
        g_string_append_c(out, '\n');
        return g_string_free(out, FALSE);
    }
    for (guint i = 0; i < stats->len; i++) {
        if (i > 0)
            g_string_append_c(out, '\n');
        append_rule_text(out, g_ptr_array_index(stats, i), now);
    }
    return g_string_free(out, FALSE);
}

static void
append_time_or_null(GString *out, gint64 unix_us)
{
    if (unix_us > 0) {
        g_autofree char *text = ajar_time_format_utc(unix_us, FALSE);
        ajar_json_append_string(out, text, -1);
    } else {
        g_string_append(out, "null");
    }
}

char *
ajar_stats_format_json(const GPtrArray *stats)
{
    GString *out = g_string_new("{\"rules\":[");

    g_return_val_if_fail(stats != NULL, NULL);
    for (guint i = 0; i < stats->len; i++) {
        const AjarRuleStats *s = g_ptr_array_index(stats, i);

        g_string_append(out, i > 0 ? ",{\"rule\":" : "{\"rule\":");
        ajar_json_append_string(out, s->rule, -1);
        g_string_append(out, ",\"last_sent\":");
        append_time_or_null(out, s->last_sent);
        g_string_append_printf(out,
                               ",\"held_back\":%u,\"sent\":%u,\"held\":%u,\"held_waiting\":%u,"
                               "\"archived\":%u,\"archived_unread\":%u,\"archived_read\":%u,"
                               "\"delayed\":%u,\"delayed_waiting\":%u,\"cooling_off\":%u,"
                               "\"unsent_letters\":%u,\"passed\":%u,\"newest_waiting\":",
                               s->held_back, s->sent_total, s->held_total, s->held_now,
                               s->archived_total, s->archived_unread_now, s->archived_read_now,
                               s->delayed_total, s->delayed_now, s->queued_now, s->letters_now,
                               s->passed_total);
        append_time_or_null(out, s->newest_waiting);
        if (s->attention_total > 0)
            g_string_append_printf(out, ",\"attention\":%u", s->attention_total);
        g_string_append_c(out, '}');
    }
    g_string_append(out, "]}\n");
    return g_string_free(out, FALSE);
}
