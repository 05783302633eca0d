/* ajar-state-query.c — questions about a replayed state: lookups, lists
 * and counts. Applying events is ajar-state.c's. */
#include "ajar/ajar-state.h"

#include <string.h>

#include "ajar-state-private.h"

const AjarItem *
ajar_state_lookup(const AjarState *state, const char *id)
{
    StateItem *si;

    g_return_val_if_fail(state != NULL, NULL);
    if (id == NULL)
        return NULL;
    si = ajar_state_items_lookup(&state->items, id);
    return si != NULL ? &si->item : NULL;
}

static gint
compare_first_seq(gconstpointer a, gconstpointer b)
{
    const AjarItem *ia = *(const AjarItem *const *)a;
    const AjarItem *ib = *(const AjarItem *const *)b;

    if (ia->first_seq != ib->first_seq)
        return ia->first_seq < ib->first_seq ? -1 : 1;
    return strcmp(ia->id, ib->id);
}

static GPtrArray *
list_items(const AjarState *state, gboolean custody_only)
{
    GPtrArray *list = g_ptr_array_sized_new(custody_only ? 16 : state->items.n_items);

    for (guint i = 0; i < state->items.n_items; i++) {
        const AjarItem *item = &ajar_state_items_nth(&state->items, i)->item;
        if (!custody_only || ajar_item_in_custody(item))
            g_ptr_array_add(list, (gpointer)item);
    }
    if (state->order_unsorted)
        g_ptr_array_sort(list, compare_first_seq);
    return list;
}

GPtrArray *
ajar_state_list(const AjarState *state)
{
    g_return_val_if_fail(state != NULL, NULL);
    return list_items(state, FALSE);
}

GPtrArray *
ajar_state_list_custody(const AjarState *state)
{
    g_return_val_if_fail(state != NULL, NULL);
    return list_items(state, TRUE);
}

guint
ajar_state_count_in_state(const AjarState *state, AjarEventType state_event)
{
    g_return_val_if_fail(state != NULL, 0);
    if ((guint)state_event >= N_EVENT_TYPES)
        return 0;
    return state->state_counts[state_event];
}

guint
ajar_state_count_custody(const AjarState *state)
{
    AjarItem probe = { 0 };
    guint total = 0;

    g_return_val_if_fail(state != NULL, 0);
    for (guint type = 0; type < N_EVENT_TYPES; type++) {
        probe.state = (AjarEventType)type;
        if (ajar_item_in_custody(&probe))
            total += state->state_counts[type];
    }
    return total;
}

const AjarRuleCounters *
ajar_state_get_counters(const AjarState *state, const char *rule_name)
{
    g_return_val_if_fail(state != NULL, NULL);
    if (rule_name == NULL)
        return NULL;
    return g_hash_table_lookup(state->counters, rule_name);
}

guint
ajar_state_count_waiting(const AjarState *state, const char *rule_name)
{
    const RuleState *rule;

    g_return_val_if_fail(state != NULL, 0);
    if (rule_name == NULL)
        return 0;
    rule = g_hash_table_lookup(state->counters, rule_name);
    return rule != NULL ? rule->waiting : 0;
}

static gint
compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

GPtrArray *
ajar_state_list_rule_names(const AjarState *state)
{
    GPtrArray *names;
    GHashTableIter iter;
    gpointer key;

    g_return_val_if_fail(state != NULL, NULL);
    names = g_ptr_array_sized_new(g_hash_table_size(state->counters));
    g_hash_table_iter_init(&iter, state->counters);
    while (g_hash_table_iter_next(&iter, &key, NULL))
        g_ptr_array_add(names, key);
    g_ptr_array_sort(names, compare_names);
    return names;
}

guint
ajar_state_get_orphans(const AjarState *state)
{
    g_return_val_if_fail(state != NULL, 0);
    return state->orphans;
}

guint
ajar_state_get_event_count(const AjarState *state)
{
    g_return_val_if_fail(state != NULL, 0);
    return state->event_count;
}

gint64
ajar_state_get_last_seq(const AjarState *state)
{
    g_return_val_if_fail(state != NULL, 0);
    return state->last_seq;
}

const char *
ajar_state_get_last_id(const AjarState *state)
{
    g_return_val_if_fail(state != NULL, NULL);
    return state->has_last_id ? state->last_id : NULL;
}
