/* ajar-rules-private.h — what ajar-rules.c and ajar-rules-parse.c share. */
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
};

void ajar_match_free(AjarMatch *match);

/* Takes @rules (AjarRule*, already validated) and builds the lookup index.
 * Returns: (transfer full). */
AjarRuleSet *ajar_rules_build(GPtrArray *rules, AjarNotify notify, AjarNormalizeFunc normalize,
                              gpointer normalize_data);

/* The first rule index whose match entries cover @facts' buddy and account
 * (direction, text and flags are ignored), or -1. */
int ajar_rules_find_index(const AjarRuleSet *set, const AjarFacts *facts);

/* Case-folded, NFKC-normalized form used for keyword matching. Transfer full. */
char *ajar_rules_fold(const char *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(AjarMatch, ajar_match_free)
