/* ajar-summary.h — the "summary" event's content: what a compacted journal
 * still says about the history that moved to history/ (issue 13).
 *
 * Written by compaction (ajar-compact.h) as ONE line, at the end of the
 * journal it compacts. It carries ABSOLUTE values: every per-rule counter
 * (AjarRuleCounters), the "times you held back" of each rule, the orphans
 * count and the last message id ever made. Applying it to a state SETS
 * those values (it does not add): the lines before it in the file were
 * already counted in them, the lines after it add to them. So a summary
 * appended to a live journal changes no figure, and a journal whose
 * finished lines moved away gives the statistics it gave before. */
#pragma once

#include <glib.h>

#include "ajar-state.h"

G_BEGIN_DECLS

/* One rule's figures. */
typedef struct {
    char *rule;
    AjarRuleCounters counters;
    guint held_back; /* ajar_state_count_held_back() */
} AjarSummaryRule;

struct _AjarSummary {
    char *last_id; /* nullable: the greatest message id made so far */
    guint orphans; /* ajar_state_get_orphans() */
    guint n_rules;
    AjarSummaryRule *rules; /* sorted by name (strcmp), names unique */
};

void ajar_summary_free(AjarSummary *summary);
/* Returns: (transfer full): a deep copy. */
AjarSummary *ajar_summary_copy(const AjarSummary *summary);

/* What @state says now, for a summary line: every rule with counters and
 * every rule a message names (so a rule the statistics list only because
 * of a message still listed after that message moved away), sorted.
 * Returns: (transfer full). */
AjarSummary *ajar_summary_from_state(const AjarState *state);

/* Appends the summary's fields to an event line being encoded (after
 * "event"): ,"last_id":"…","orphans":N,"rules":{"Sam":{"held":12,…},…}.
 * Counters that are 0 are left out; so are orphans 0 and a NULL last_id. */
void ajar_summary_encode(const AjarSummary *summary, GString *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(AjarSummary, ajar_summary_free)

G_END_DECLS
