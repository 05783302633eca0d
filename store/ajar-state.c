/* ajar-state.c — replaying events into items and counters. Every apply is
 * O(1) (hash lookups), so a journal of a million lines replays in a blink.
 *
 * Memory: a journal of years holds hundreds of thousands of messages between
 * a handful of accounts, buddies and rules, so those names are kept once
 * each (interned) and items point at them; an item, its id and its first
 * text are one allocation. */
#include "ajar/ajar-state.h"

#include <string.h>

#include "ajar-state-private.h"

static void
state_item_free(gpointer data)
{
    StateItem *si = data;

    /* The names belong to state->names. */
    if (!si->text_inline)
        g_free(si->item.text);
    g_strfreev(si->item.images);
    g_free(si);
}

gboolean
ajar_item_in_custody(const AjarItem *item)
{
    g_return_val_if_fail(item != NULL, FALSE);
    switch (item->state) {
    case AJAR_EVENT_HELD:
    case AJAR_EVENT_ARCHIVED:
    case AJAR_EVENT_READ:
    case AJAR_EVENT_DELAYED:
    case AJAR_EVENT_QUEUED:
    case AJAR_EVENT_CANCELLED:
    case AJAR_EVENT_SENDING:
    case AJAR_EVENT_SHOWING: return TRUE;
    default: return FALSE;
    }
}

/* g_str_hash() for the items' ids, eight bytes at a time: a replay looks
 * every line's id up, and g_str_hash() spends a multiply and a branch on
 * each byte. Every bit of the id reaches the result. */
static guint
id_hash(gconstpointer key)
{
    const guint64 mix = G_GUINT64_CONSTANT(0x9E3779B97F4A7C15);
    const char *p = key;
    gsize len = strlen(p);
    guint64 hash = len * mix, word;

    for (; len >= 8; p += 8, len -= 8) {
        memcpy(&word, p, sizeof word);
        hash = (hash ^ word) * mix;
        hash ^= hash >> 29;
    }
    word = 0;
    memcpy(&word, p, len);
    hash = (hash ^ word) * mix;
    hash ^= hash >> 32;
    return (guint)hash;
}

AjarState *
ajar_state_new(void)
{
    AjarState *state = g_new0(AjarState, 1);

    state->items = g_hash_table_new_full(id_hash, g_str_equal, NULL, state_item_free);
    state->order = g_ptr_array_new();
    /* Keyed by the interned rule names (state->names owns them). */
    state->counters = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
    state->names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    return state;
}

void
ajar_state_free(AjarState *state)
{
    if (state == NULL)
        return;
    g_ptr_array_unref(state->order);
    g_hash_table_unref(state->items);
    g_hash_table_unref(state->counters);
    g_hash_table_unref(state->names);
    g_free(state);
}

/* Returns: (transfer none): the state's one copy of @name. @slot: which of
 * the six name fields (account, protocol, buddy, rule, chat, nick) it is
 * for; each remembers its last name, which is usually the next one too (one
 * account, one protocol, a few buddies). */
static char *
intern(AjarState *state, guint slot, const char *name)
{
    char *kept = state->recent_names[slot];

    if (kept != NULL && strcmp(kept, name) == 0)
        return kept;
    kept = g_hash_table_lookup(state->names, name);
    if (kept == NULL) {
        kept = g_strdup(name);
        g_hash_table_add(state->names, kept);
    }
    state->recent_names[slot] = kept;
    return kept;
}

static AjarRuleCounters *
counters_for(AjarState *state, const char *rule)
{
    AjarRuleCounters *counters;

    if (rule == NULL)
        return NULL;
    /* Lines of one rule come in runs; an item's rule is the interned name
     * that is also the table's key. */
    if (state->recent_rule != NULL &&
        (rule == state->recent_rule || strcmp(rule, state->recent_rule) == 0))
        return state->recent_counters;
    counters = g_hash_table_lookup(state->counters, rule);
    if (counters == NULL) {
        counters = (AjarRuleCounters *)g_new0(RuleState, 1);
        g_hash_table_insert(state->counters, intern(state, 3, rule), counters);
    }
    /* The table's key lives as long as the state. */
    g_hash_table_lookup_extended(state->counters, rule, (gpointer *)&state->recent_rule, NULL);
    state->recent_counters = counters;
    return counters;
}

/* Crockford base32's digits: 0-9 and A-Z without I, L, O and U. */
static gboolean
is_crockford_digit(char c)
{
    return (c >= '0' && c <= '9') ||
           (c >= 'A' && c <= 'Z' && c != 'I' && c != 'L' && c != 'O' && c != 'U');
}

static gboolean
is_ulid_shaped(const char *id)
{
    if (id[0] > '7')
        return FALSE;
    for (int i = 0; i < ULID_LENGTH; i++) {
        if (!is_crockford_digit(id[i]))
            return FALSE;
    }
    return id[ULID_LENGTH] == '\0';
}

static void
note_id(AjarState *state, const char *id)
{
    if (id == NULL)
        return;
    if (state->has_last_id && strcmp(id, state->last_id) <= 0)
        return;
    if (!is_ulid_shaped(id))
        return;
    memcpy(state->last_id, id, ULID_LENGTH + 1);
    state->has_last_id = TRUE;
}

void
ajar_state_note_id(AjarState *state, const char *id)
{
    note_id(state, id);
}

RuleState *
ajar_state_rule(AjarState *state, const char *rule)
{
    return (RuleState *)counters_for(state, rule);
}

static void
replace_name(AjarState *state, guint slot, char **field, const char *value)
{
    if (value != NULL)
        *field = intern(state, slot, value);
}

static gboolean
is_waiting(const StateItem *si)
{
    return si->item.dir == AJAR_DIRECTION_IN &&
           (si->item.state == AJAR_EVENT_HELD || si->item.state == AJAR_EVENT_DELAYED ||
            si->item.state == AJAR_EVENT_SHOWING);
}

/* "Times you held back": your message that never went out (not one Ajar
 * was interrupted sending: that one may have). */
static gboolean
is_held_back(const StateItem *si)
{
    return si->item.dir == AJAR_DIRECTION_OUT && !si->item.interrupted &&
           (si->item.state == AJAR_EVENT_CANCELLED || si->item.state == AJAR_EVENT_HELD ||
            si->item.state == AJAR_EVENT_DISCARDED);
}

/* Before and after an event changes @si: its part in its rule's waiting
 * and held-back counts. */
static void
waiting_leave(AjarState *state, const StateItem *si)
{
    RuleState *rule;

    if (si == NULL || si->item.rule == NULL)
        return;
    if (is_waiting(si) && (rule = (RuleState *)counters_for(state, si->item.rule)))
        rule->waiting--;
    /* (A summary may have set the count below what is left: never under 0.) */
    if (is_held_back(si) && (rule = (RuleState *)counters_for(state, si->item.rule)) &&
        rule->held_back > 0)
        rule->held_back--;
}

static void
waiting_enter(AjarState *state, const StateItem *si)
{
    RuleState *rule;

    if (si->item.rule == NULL)
        return;
    if (is_waiting(si) && (rule = (RuleState *)counters_for(state, si->item.rule)) != NULL)
        rule->waiting++;
    if (is_held_back(si) && (rule = (RuleState *)counters_for(state, si->item.rule)) != NULL)
        rule->held_back++;
}

static void
set_state(AjarState *state, StateItem *si, const AjarEvent *event)
{
    AjarEventType now = event->type;

    /* "restored" keeps the message again, as what it was before it was
     * discarded: theirs held (archived ones read: they were shown in the
     * review to be discarded), yours an unsent letter. A message that was
     * not discarded is not changed by it. */
    if (now == AJAR_EVENT_RESTORED) {
        if (si->item.state != AJAR_EVENT_DISCARDED)
            return;
        now = si->item.dir == AJAR_DIRECTION_IN && si->item.custody == AJAR_EVENT_ARCHIVED
                  ? AJAR_EVENT_READ
                  : AJAR_EVENT_HELD;
    }
    state->state_counts[si->item.state]--;
    si->item.state = now;
    si->item.state_seq = event->seq;
    si->item.state_ts = event->ts;
    state->state_counts[now]++;
}

/* Counts @what for the item's rule once per message. */
static void
count_once(AjarState *state, StateItem *si, AjarEventType what, const AjarEvent *event)
{
    AjarRuleCounters *counters;

    if (si->counted & (1u << what))
        return;
    si->counted |= 1u << what;
    counters = counters_for(state, si->item.rule != NULL ? si->item.rule : event->rule);
    if (counters == NULL)
        return;
    switch (what) {
    case AJAR_EVENT_HELD:
        if (si->item.dir == AJAR_DIRECTION_OUT)
            counters->letters++;
        else
            counters->held++;
        break;
    case AJAR_EVENT_ARCHIVED: counters->archived++; break;
    case AJAR_EVENT_DELAYED: counters->delayed++; break;
    case AJAR_EVENT_QUEUED: counters->queued++; break;
    case AJAR_EVENT_CANCELLED: counters->cancelled++; break;
    case AJAR_EVENT_DISCARDED: counters->discarded++; break;
    case AJAR_EVENT_SENT:
        counters->sent++;
        counters->last_sent = MAX(counters->last_sent, event->ts);
        break;
    default: break;
    }
}

/* A new item for @event's id, its text in the same allocation. */
static StateItem *
state_item_new(const AjarEvent *event)
{
    gsize id_size = strlen(event->id) + 1;
    gsize text_size = event->text != NULL ? event->text_len + 1 : 0;
    StateItem *si = g_malloc(sizeof *si + id_size + text_size);

    memset(si, 0, sizeof *si);
    si->item.id = memcpy(si->strings, event->id, id_size);
    if (event->text != NULL) {
        si->item.text = si->strings + id_size;
        memcpy(si->item.text, event->text, event->text_len);
        si->item.text[event->text_len] = '\0';
        si->item.text_len = event->text_len;
        si->text_inline = TRUE;
    }
    return si;
}

static void
apply_custody(AjarState *state, const AjarEvent *event)
{
    StateItem *si = g_hash_table_lookup(state->items, event->id);
    gboolean created = si == NULL;

    waiting_leave(state, si);
    if (created) {
        StateItem *last =
            state->order->len > 0 ? g_ptr_array_index(state->order, state->order->len - 1) : NULL;
        si = state_item_new(event);
        si->item.first_seq = event->seq;
        si->item.state = event->type;
        state->state_counts[event->type]++;
        g_hash_table_insert(state->items, si->item.id, si);
        g_ptr_array_add(state->order, si);
        if (last != NULL && last->item.first_seq > event->seq)
            state->order_unsorted = TRUE;
    }
    /* A second custody event (a queued message later kept as a letter)
     * updates the message; what it does not say is kept. */
    if (event->has_dir)
        si->item.dir = event->dir;
    replace_name(state, 0, &si->item.account, event->account);
    replace_name(state, 1, &si->item.protocol, event->protocol);
    replace_name(state, 2, &si->item.buddy, event->buddy);
    replace_name(state, 3, &si->item.rule, event->rule);
    if (event->time != 0)
        si->item.time = event->time;
    if (event->text != NULL && !created) {
        if (!si->text_inline)
            g_free(si->item.text);
        si->item.text = g_malloc(event->text_len + 1);
        memcpy(si->item.text, event->text, event->text_len);
        si->item.text[event->text_len] = '\0';
        si->item.text_len = event->text_len;
        si->text_inline = FALSE;
    }
    si->item.due = event->due;
    /* The rest as this event says it (a custody event says it all). */
    si->item.chat = event->chat != NULL ? intern(state, 4, event->chat) : NULL;
    si->item.nick = event->nick != NULL ? intern(state, 5, event->nick) : NULL;
    if (event->images != NULL || si->item.images != NULL) {
        g_strfreev(si->item.images);
        si->item.images =
            event->images != NULL && event->images[0] != NULL ? g_strdupv(event->images) : NULL;
    }
    si->item.stranger = event->stranger;
    si->item.quiet = event->quiet;
    si->item.ask = event->ask;
    si->item.custody = event->type;
    set_state(state, si, event);
    waiting_enter(state, si);
    count_once(state, si, event->type, event);
}

static void
apply_outcome(AjarState *state, const AjarEvent *event)
{
    StateItem *si = event->id != NULL ? g_hash_table_lookup(state->items, event->id) : NULL;

    if (si == NULL) {
        /* A sent without an id is a message that passed: it only feeds the
         * counters. One with an unknown id lost its custody line, yet it
         * still went out. */
        if (event->id != NULL)
            state->orphans++;
        if (event->type == AJAR_EVENT_SENT) {
            AjarRuleCounters *counters = counters_for(state, event->rule);
            if (counters != NULL) {
                counters->sent++;
                counters->last_sent = MAX(counters->last_sent, event->ts);
            }
        }
        return;
    }
    waiting_leave(state, si);
    /* Kept unsent after Ajar stopped while sending it: it may have gone
     * out, so it is not a time you held back. */
    if (event->type == AJAR_EVENT_CANCELLED && si->item.state == AJAR_EVENT_SENDING)
        si->counted |= 1u << AJAR_EVENT_CANCELLED;
    if (event->type == AJAR_EVENT_SENDING || event->type == AJAR_EVENT_SHOWING)
        si->item.interrupted = TRUE;
    set_state(state, si, event);
    waiting_enter(state, si);
    count_once(state, si, event->type, event);
}

/* A stranger's message given to a rule: the rule changes, the state does
 * not. What was counted stays with the rule it was counted for (history);
 * the message waits (and is counted from now on) under its new rule. */
static void
apply_assigned(AjarState *state, const AjarEvent *event)
{
    StateItem *si = g_hash_table_lookup(state->items, event->id);

    if (si == NULL) {
        state->orphans++;
        return;
    }
    waiting_leave(state, si);
    replace_name(state, 3, &si->item.rule, event->rule);
    si->item.stranger = FALSE;
    waiting_enter(state, si);
}

static void
apply_event(AjarState *state, const AjarEvent *event)
{
    state->event_count++;
    state->last_seq = MAX(state->last_seq, event->seq);
    if ((guint)event->type >= N_EVENT_TYPES || event->type == AJAR_EVENT_UNKNOWN)
        return;
    note_id(state, event->id);

    switch (event->type) {
    case AJAR_EVENT_HELD:
    case AJAR_EVENT_ARCHIVED:
    case AJAR_EVENT_DELAYED:
    case AJAR_EVENT_QUEUED:
        if (event->id != NULL)
            apply_custody(state, event);
        break;
    case AJAR_EVENT_RELEASED:
    case AJAR_EVENT_DELIVERED:
    case AJAR_EVENT_SENT:
    case AJAR_EVENT_CANCELLED:
    case AJAR_EVENT_DISCARDED:
    case AJAR_EVENT_READ:
    case AJAR_EVENT_RESTORED:
    case AJAR_EVENT_SENDING:
    case AJAR_EVENT_SHOWING: apply_outcome(state, event); break;
    case AJAR_EVENT_PASSED: {
        AjarRuleCounters *counters = counters_for(state, event->rule);
        if (counters != NULL)
            counters->passed++;
        break;
    }
    case AJAR_EVENT_ASSIGNED:
        if (event->id != NULL && event->rule != NULL)
            apply_assigned(state, event);
        break;
    case AJAR_EVENT_ATTENTION: {
        AjarRuleCounters *counters = counters_for(state, event->rule);
        if (counters != NULL)
            counters->attention++;
        break;
    }
    case AJAR_EVENT_SUMMARY:
        if (event->summary != NULL)
            ajar_state_apply_summary(state, event->summary);
        break;
    default: break;
    }
}

void
ajar_state_apply(AjarState *state, const AjarEvent *event)
{
    g_return_if_fail(state != NULL && event != NULL);
    apply_event(state, event);
}
