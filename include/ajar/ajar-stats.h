/* ajar-stats.h — the statistics the `ajar stats` command and the plugin's
 * "Statistics…" action both show, computed and worded in one place. Pure:
 * the time is an argument. */
#pragma once

#include <glib.h>

#include "ajar-state.h"

G_BEGIN_DECLS

/* Figures for one rule (by name, as the journal recorded it). */
typedef struct {
    char *rule;
    /* waiting now (in custody) */
    guint held_now;            /* their messages held for review */
    guint archived_unread_now; /* archived, not yet read */
    guint archived_read_now;   /* archived and read, still kept */
    guint delayed_now;         /* their messages waiting for a due time */
    guint queued_now;          /* your messages cooling off */
    guint letters_now;         /* your messages kept unsent (letters and cancelled) */
    gint64 newest_waiting;     /* the newest waiting message's own time, 0 = none */
    /* ever */
    guint held_total;      /* their messages ever held */
    guint archived_total;  /* their messages ever archived */
    guint delayed_total;   /* their messages ever delayed */
    guint passed_total;    /* their messages a keyword let through */
    guint held_back;       /* your messages that were never sent: cancelled, kept as letters,
                           * or discarded ("times you held back") */
    guint sent_total;      /* your messages to them that went out */
    gint64 last_sent;      /* unix microseconds you last wrote to them, 0 = never */
    guint attention_total; /* their buzzes ("attention" events) */
} AjarRuleStats;

void ajar_rule_stats_free(AjarRuleStats *stats);

/* Computes per-rule figures from a replayed journal, one pass over its items.
 * Returns: (transfer full): AjarRuleStats*, sorted by rule name (case-folded). */
GPtrArray *ajar_stats_compute(const AjarState *state);

/* The figures as the user reads them, one block per rule, e.g.
 *
 *   Sam
 *     You last wrote to them  Tue 24 Nov 17:02, 3 days 4 h ago
 *     Times you held back     5
 *     Their messages held     12 in all, 3 waiting
 *     Archived                4 in all, 2 unread
 *
 * (lines for delays, cooling-off, letters, keywords and buzzes only when not zero;
 * each rule's name as ajar_reveal_name() shows it).
 * Local times are in @now's time zone; "… ago" is measured from @now.
 * "No rules have filtered anything yet." when @stats is empty.
 * Returns: (transfer full): text ending in "\n". */
char *ajar_stats_format_text(const GPtrArray *stats, GDateTime *now);

/* The figures as one JSON object {"rules": [...]} with a fixed key order
 * (times as ISO 8601 UTC, null when never; "attention", last, only when
 * not zero). Returns: (transfer full). */
char *ajar_stats_format_json(const GPtrArray *stats);

/* "Fri 27 Nov 21:04" in @now's time zone (the year is added when it is not @now's year:
 * "Fri 27 Nov 2025 21:04"). Returns: (transfer full). */
char *ajar_format_local_time(gint64 unix_us, GDateTime *now);

/* A short, calm duration: "less than a minute", "5 min", "2 h 5 min",
 * "3 days 4 h", "41 days". Negative durations read as "less than a minute".
 * Returns: (transfer full). */
char *ajar_format_duration(gint64 microseconds);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(AjarRuleStats, ajar_rule_stats_free)

G_END_DECLS
