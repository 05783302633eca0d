/* ajar-rules-private.h — what the files of rules/ share about a rule set. */
#pragma once

#include "ajar/ajar-rules.h"

struct _AjarRuleSet {
    gint refcount;
    GPtrArray *rules; /* AjarRule* in file order */
    AjarNotify notify;
    AjarNormalizeFunc normalize;
    gpointer normalize_data;
    GArray *entries;   /* RuleEntry, one per match entry, in rule order */
    GHashTable *index; /* "protocol\x1fnormalized buddy" -> GArray of guint entry positions */
    GPtrArray *folded_keywords; /* per rule: GPtrArray of case-folded keywords */
    GHashTable *protocols;      /* the protocols match entries name (a set) */
    guint any_protocol_entries; /* match entries that name no protocol */
    /* The normalizer's answers so far: protocol -> (name -> normalized), and
     * name -> normalized for "no protocol". Every message of every account
     * asks, and a protocol's normalizer can be slow (XMPP's is stringprep),
     * while the same few senders write again and again. A cache, so it
     * changes through a const set: rule sets are used from one thread. */
    GHashTable *normalized;
    GHashTable *normalized_any;
    /* Which rule (or none) each sender got: buddy as given -> GPtrArray of
     * FoundRule (account, protocol, rule index). A set never changes, so
     * the answer for one (account, protocol, buddy) never does either. */
    GHashTable *found;
    /* settings.allowed as written, and its normalized forms (a set). */
    GPtrArray *allowed;
    GHashTable *allowed_norm;
    /* Entries other than buddy ones (ajar-rules-match.c), counted when the
     * set is built so that a plain IM never looks at them. */
    GArray *strangers;      /* StrangerEntry in rule order */
    GHashTable *chat_nicks; /* folded nick -> GArray of ChatEntry in rule order */
    guint chat_nick_entries;
};

void ajar_match_free(AjarMatch *match);

/* Takes @rules (AjarRule*, already validated) and @allowed (char*, nullable)
 * and builds the lookup index. Returns: (transfer full). */
AjarRuleSet *ajar_rules_build(GPtrArray *rules, GPtrArray *allowed, AjarNotify notify,
                              AjarNormalizeFunc normalize, gpointer normalize_data);

/* ajar-rules-match.c: the tables for stranger, chat_nick and allowed,
 * filled by ajar_rules_build() (which calls these) and freed with the set. */
void ajar_rules_match_init(AjarRuleSet *set);
void ajar_rules_match_add(AjarRuleSet *set, guint rule_index, const AjarMatch *match);
void ajar_rules_match_clear(AjarRuleSet *set);
/* The first rule with a "stranger" entry fitting @facts' account and
 * protocol, or -1. */
int ajar_rules_find_stranger(const AjarRuleSet *set, const AjarFacts *facts);
/* The first rule with a "chat_nick" entry for @facts' nick, room, account
 * and protocol, or -1. */
int ajar_rules_find_chat_nick(const AjarRuleSet *set, const AjarFacts *facts);

/* The first rule index whose match entries cover @facts' buddy and account
 * (direction, text and flags are ignored), or -1. */
int ajar_rules_find_index(const AjarRuleSet *set, const AjarFacts *facts);

/* @dt as unix microseconds (ajar-rules-time.c). */
gint64 ajar_rules_datetime_to_us(GDateTime *dt);
/* When quiet hours that end at @until_minute (local) and hold @now end:
 * ajar_rules_next_time_of_day(), or, the night clocks go back, the second
 * time the end's wall time comes if that is the next. Unix microseconds. */
gint64 ajar_rules_quiet_end(GDateTime *now, int until_minute);

/* Case-folded, NFKC-normalized form used for keyword matching. Transfer full. */
char *ajar_rules_fold(const char *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(AjarMatch, ajar_match_free)
