/* ajar-state.h — what the journal means: every message's current state and
 * the counters statistics need, built by applying events in order. Pure. */
#pragma once

#include <glib.h>

#include "ajar-event.h"

G_BEGIN_DECLS

/* One message Ajar has seen a custody event for. Owned by the state. */
typedef struct {
    char *id;
    AjarDirection dir;
    char *account;
    char *protocol;
    char *buddy;
    char *rule;
    gint64 time; /* the message's own time, unix microseconds */
    char *text;  /* as libraries gave it, any bytes */
    gsize text_len;
    gint64 due;            /* 0 = none */
    AjarEventType custody; /* the event that took it into custody */
    AjarEventType state;   /* the last event for its id ("a message's state") */
    gint64 state_seq;
    gint64 state_ts;
    gint64 first_seq;
    /* Ajar stopped between journaling that it was about to send or show the
     * message ("sending", "showing") and journaling that it had: yours may
     * already have reached them, theirs may already be in the
     * conversation. Stays TRUE while the message is kept (a "cancelled"
     * after a "sending" is kept unsent, and still may have gone out). */
    gboolean interrupted;
    /* What the last custody event said (each custody event says them all):
     * a chat line's room and nick, the images of its text (file names in
     * <ajar dir>/images/, NULL = none), and whether the sender was a
     * stranger ("assigned" gives the message to a rule and clears it),
     * written in quiet hours, or waiting for an answer (ask). */
    char *chat;
    char *nick;
    char **images;
    gboolean stranger;
    gboolean quiet;
    gboolean ask;
} AjarItem;

/* TRUE while Ajar alone keeps the message: held, archived (read or not),
 * delayed, queued, or cancelled (a cancelled cooling-off message is kept as an
 * unsent letter, never sent unless the user chooses to); and "sending" or
 * "showing" with no outcome after it (Ajar stopped in between: it keeps the
 * message, and says that it may already have gone out or been shown). */
gboolean ajar_item_in_custody(const AjarItem *item);

/* A discarded message can be brought back ("restored") for this many days:
 * the review lists it, and a renewed journal records it again. */
#define AJAR_RECENTLY_DISCARDED_DAYS 30

/* Per-rule counters (keyed by rule name). They are history: a stranger's
 * message later given to another rule ("assigned") stays counted (held,
 * archived, ...) where it was counted; what happens to it afterwards
 * (discarded, ...) counts for its new rule. */
typedef struct {
    guint held;       /* incoming messages ever held */
    guint archived;   /* incoming messages ever archived */
    guint delayed;    /* incoming messages ever delayed */
    guint queued;     /* outgoing messages ever put in cooling-off */
    guint letters;    /* outgoing messages ever kept as unsent letters */
    guint cancelled;  /* cancelled cooling-off messages */
    guint discarded;  /* messages the user discarded */
    guint sent;       /* outgoing messages that went out (passed or after a delay) */
    guint passed;     /* incoming messages a keyword let through */
    gint64 last_sent; /* unix microseconds of the newest "sent", 0 = never */
    guint attention;  /* buzzes ("attention" events) */
} AjarRuleCounters;

typedef struct _AjarState AjarState;

/* Returns: (transfer full): an empty state. */
AjarState *ajar_state_new(void);
void ajar_state_free(AjarState *state);

/* Applies one event (as if it were the next journal line). Events whose id is
 * not known (their custody line was lost) are counted as orphans. */
void ajar_state_apply(AjarState *state, const AjarEvent *event);

/* Returns: (transfer none) (nullable): the item with @id. */
const AjarItem *ajar_state_lookup(const AjarState *state, const char *id);
/* Returns: (transfer container): every item, oldest first (by first_seq). */
GPtrArray *ajar_state_list(const AjarState *state);
/* Returns: (transfer container): the items in custody, oldest first. */
GPtrArray *ajar_state_list_custody(const AjarState *state);
guint ajar_state_count_in_state(const AjarState *state, AjarEventType state_event);
guint ajar_state_count_custody(const AjarState *state);
/* Returns: (transfer none) (nullable): counters for @rule_name. */
const AjarRuleCounters *ajar_state_get_counters(const AjarState *state, const char *rule_name);
/* How many incoming messages of rule @rule_name wait now (held or delayed):
 * what a "message" notice counts. Kept up to date as events apply, so it
 * costs nothing however many messages the journal holds. */
guint ajar_state_count_waiting(const AjarState *state, const char *rule_name);
/* "Times you held back" for rule @rule_name: your messages that never went
 * out (cancelled, kept as letters, or discarded; not one Ajar was
 * interrupted sending, which may have gone), counted for the rule each
 * message has now. Kept up to date as events apply; a "summary" sets it. */
guint ajar_state_count_held_back(const AjarState *state, const char *rule_name);
/* Returns: (transfer container): rule names with counters, sorted. */
GPtrArray *ajar_state_list_rule_names(const AjarState *state);
guint ajar_state_get_orphans(const AjarState *state);
guint ajar_state_get_event_count(const AjarState *state);
/* The greatest seq applied (0 for none). */
gint64 ajar_state_get_last_seq(const AjarState *state);
/* The greatest message id seen that has the journal's id shape (26 characters
 * of Crockford base32; ids sort by time), or NULL. Transfer none. */
const char *ajar_state_get_last_id(const AjarState *state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(AjarState, ajar_state_free)

G_END_DECLS
