/* ajar-state-private.h — the state's insides, shared by the code that
 * applies events (ajar-state.c) and the code that answers questions about
 * the result (ajar-state-query.c). Not installed. */
#pragma once

#include "ajar/ajar-state.h"

G_BEGIN_DECLS

#define N_EVENT_TYPES (AJAR_EVENT_SUMMARY + 1)
#define ULID_LENGTH 26
#define RECENT_NAMES 8

typedef struct {
    AjarItem item; /* first, so an AjarItem* is a StateItem* */
    /* One bit per AjarEventType already counted for this message, so a
     * repeated line (or a message held twice) is not counted twice. */
    guint counted;
} StateItem;

/* One place of the id table: 0 = empty, else the item's index + 1. */
typedef struct {
    guint32 hash;
    guint32 index;
} StateSlot;

/* The items, in blocks, in the order first seen (ajar-state-items.c). */
typedef struct {
    StateItem **blocks;
    guint n_blocks, blocks_alloc;
    guint n_items;
    StateSlot *slots; /* the id table, mask + 1 of them */
    guint32 mask;
    GPtrArray *id_chunks; /* the ids, packed */
    char *id_free;
    gsize id_left;
} StateItems;

void ajar_state_items_init(StateItems *items);
void ajar_state_items_clear(StateItems *items);
/* Returns: (transfer none) (nullable). */
StateItem *ajar_state_items_lookup(const StateItems *items, const char *id);
/* Returns: (transfer none): a new zeroed item with @id (not there yet). */
StateItem *ajar_state_items_add(StateItems *items, const char *id);
/* Returns: (transfer none): the item first seen @index-th. */
StateItem *ajar_state_items_nth(const StateItems *items, guint index);

/* A rule's counters and what it has waiting now. */
typedef struct {
    AjarRuleCounters counters; /* first, so an AjarRuleCounters* is a RuleState* */
    guint waiting;             /* incoming messages held or delayed now */
    /* "Times you held back" (ajar_state_count_held_back()): kept up to date
     * as events apply, and SET by a summary, since the messages it counts
     * may have moved to history. */
    guint held_back;
} RuleState;

struct _AjarState {
    StateItems items;        /* in the order first seen */
    gboolean order_unsorted; /* a later item has a smaller first_seq (a hostile file) */
    GHashTable *counters;    /* rule name -> AjarRuleCounters* */
    GHashTable *names;       /* interned account, protocol, buddy, rule, chat, nick names (a set) */
    /* The last names interned for each of the six fields, and for text
     * sources (a ring each). */
    char *recent_names[7][RECENT_NAMES];
    guint recent_next[7];
    const char *recent_rule; /* the last rule counters_for() found, and its counters */
    AjarRuleCounters *recent_counters;
    guint state_counts[N_EVENT_TYPES];
    guint orphans;
    guint event_count;
    gint64 last_seq;
    gboolean has_last_id;
    char last_id[ULID_LENGTH + 1];
    /* event_count when the last "summary" was applied (0: none): in a
     * compacted journal, the lines kept before it, plus one. */
};

/* The text of the item with @id is now at @offset (a line of @line_len
 * bytes) in @source (see AjarItem.text_source): the same text, recorded again
 * in a new file (a renewed journal). */
void ajar_state_relocate_text(AjarState *state, const char *id, const char *source, gint64 offset,
                              guint32 line_len);
/* RuleState for @rule (created when new), or NULL for a NULL @rule. */
RuleState *ajar_state_rule(AjarState *state, const char *rule);
/* Notes @id as the last id if it is the greatest with the journal's id shape. */
void ajar_state_note_id(AjarState *state, const char *id);
/* A "summary" event: sets the figures it carries (ajar-state-summary.c). */
void ajar_state_apply_summary(AjarState *state, const AjarSummary *summary);

G_END_DECLS
