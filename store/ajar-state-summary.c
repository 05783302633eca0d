/* ajar-state-summary.c — a "summary" event applied to a state: it SETS the
 * figures of history (counters, times you held back, orphans) and raises
 * the last id, so lines before it (already counted in it) and lines after
 * it (which add) give the figures the whole journal gave. */
#include "ajar/ajar-summary.h"

#include <string.h>

#include "ajar-state-private.h"

void
ajar_state_apply_summary(AjarState *state, const AjarSummary *summary)
{
    GHashTableIter iter;
    gpointer value;

    /* Absolute: a rule it does not name had nothing (every rule the state
     * knew when it was written is named). What is waiting now is the
     * messages' own business and stays. */
    g_hash_table_iter_init(&iter, state->counters);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        RuleState *rule = value;
        memset(&rule->counters, 0, sizeof rule->counters);
        rule->held_back = 0;
    }
    for (guint i = 0; i < summary->n_rules; i++) {
        const AjarSummaryRule *from = &summary->rules[i];
        RuleState *rule = ajar_state_rule(state, from->rule);

        rule->counters = from->counters;
        rule->held_back = from->held_back;
    }
    state->orphans = summary->orphans;
    /* New ids sort after every id ever made, also those now in history. */
    if (summary->last_id != NULL)
        ajar_state_note_id(state, summary->last_id);
}

guint
ajar_state_count_held_back(const AjarState *state, const char *rule_name)
{
    const RuleState *rule;

    g_return_val_if_fail(state != NULL, 0);
    if (rule_name == NULL)
        return 0;
    rule = g_hash_table_lookup(state->counters, rule_name);
    return rule != NULL ? rule->held_back : 0;
}
