/* ajar-state.c — replaying events into items and counters. Every apply is
 * O(1) (hash lookups), so a journal of a million lines replays in a blink.
 *
 * Memory: a journal of years holds hundreds of thousands of messages between
 * a handful of accounts, buddies and rules, so those names are kept once
 * each (interned) and items point at them; an item, its id and its first
 * text are one allocation. */
#include "ajar/ajar-state.h"

#include <string.h>

#define N_EVENT_TYPES (AJAR_EVENT_FAULT + 1)
#define ULID_LENGTH 26

typedef struct {
    AjarItem item; /* first, so an AjarItem* is a StateItem* */
    /* One bit per AjarEventType already counted for this message, so a
     * repeated line (or a message held twice) is not counted twice. */
    guint counted;
    gboolean text_inline; /* item.text is in @strings, not its own allocation */
    char strings[];       /* the id, then the first text */
} StateItem;

/* A rule's counters and what it has waiting now. */
typedef struct {
    AjarRuleCounters counters; /* first, so an AjarRuleCounters* is a RuleState* */
    guint waiting;             /* incoming messages held or delayed now */
} RuleState;

struct _AjarState {
    GHashTable *items;       /* item->id -> StateItem*, owns the items */
    GPtrArray *order;        /* StateItem*, in the order first seen */
    gboolean order_unsorted; /* a later item has a smaller first_seq (a hostile file) */
    GHashTable *counters;    /* rule name -> AjarRuleCounters* */
    GHashTable *names;       /* interned account, protocol, buddy and rule names (a set) */
    char *recent_names[4];   /* the last name interned for each of the four fields */
    const char *recent_rule; /* the last rule counters_for() found, and its counters */
    AjarRuleCounters *recent_counters;
    guint state_counts[N_EVENT_TYPES];
    guint orphans;
    guint event_count;
    gint64 last_seq;
    gboolean has_last_id;
    char last_id[ULID_LENGTH + 1];
};

static void
state_item_free(gpointer data)
{
    StateItem *si = data;

    /* The names belong to state->names. */
    if (!si->text_inline)
        g_free(si->item.text);
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
 * the four name fields it is for; each remembers its last name, which is
 * usually the next one too (one account, one protocol, a few buddies). */
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

/* Before and after an event changes @si: its part in its rule's waiting count. */
static void
waiting_leave(AjarState *state, const StateItem *si)
{
    RuleState *rule;

    if (si != NULL && is_waiting(si) && (rule = (RuleState *)counters_for(state, si->item.rule)))
        rule->waiting--;
}

static void
waiting_enter(AjarState *state, const StateItem *si)
{
    RuleState *rule;

    if (is_waiting(si) && (rule = (RuleState *)counters_for(state, si->item.rule)) != NULL)
        rule->waiting++;
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
    default: break;
    }
}

void
ajar_state_apply(AjarState *state, const AjarEvent *event)
{
    g_return_if_fail(state != NULL && event != NULL);
    apply_event(state, event);
}

const AjarItem *
ajar_state_lookup(const AjarState *state, const char *id)
{
    StateItem *si;

    g_return_val_if_fail(state != NULL, NULL);
    if (id == NULL)
        return NULL;
    si = g_hash_table_lookup(state->items, id);
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
    GPtrArray *list = g_ptr_array_sized_new(custody_only ? 16 : state->order->len);

    for (guint i = 0; i < state->order->len; i++) {
        const AjarItem *item = g_ptr_array_index(state->order, i);
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
