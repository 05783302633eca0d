/* ajar-rules-private.h — what the files of rules/ share about a rule set. */
#pragma once

#include "ajar/ajar-rules.h"

typedef struct _AjarQuickTable AjarQuickTable;
typedef struct _AjarQuickAccount AjarQuickAccount;

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
    /* Which senders some entry names at all, and which rule (or none) each
     * of those got per account as given (ajar-rules-quick.c). A set never
     * changes, so the answer for one (account, protocol, buddy) never does
     * either. */
    AjarQuickTable *quick_named;  /* buddy -> named by some entry at all (1), not (0) */
    GPtrArray *quick_accounts;    /* AjarQuickAccount* */
    AjarQuickAccount *quick_last; /* the record asked about last, or NULL */
    gboolean names_nobody;        /* no buddy and no stranger entry at all */
    gboolean names_strangers;     /* some "stranger" entry */
    guint64 quick_seed;           /* of the senders' hash, random per set */
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
 * (direction, text and flags are ignored), or -1. Remembered per account
 * and sender (ajar-rules-quick.c). */
int ajar_rules_find_index(const AjarRuleSet *set, const AjarFacts *facts);
/* The same answer, worked out afresh (ajar-rules.c): the protocol's
 * normalizer (answers cached), the index by buddy, the entries' accounts.
 * What ajar_rules_find_index() asks once per sender; tests compare them. */
int ajar_rules_find_index_uncached(const AjarRuleSet *set, const AjarFacts *facts);
/* Whether any buddy entry names @buddy in a form some protocol of the set
 * (or none) gives it, whatever the account (ajar-rules.c). If not,
 * ajar_rules_find_index_uncached() is -1 for @buddy on every account. */
gboolean ajar_rules_buddy_is_named(const AjarRuleSet *set, const char *buddy);
/* Whether any buddy entry can match a message on @account (nullable) and
 * @protocol (nullable), whoever sent it (ajar-rules.c). */
gboolean ajar_rules_account_has_entries(const AjarRuleSet *set, const char *account,
                                        const char *protocol);

/* ajar-rules-quick.c: the per-account answers, made with the set and freed
 * with it. */
void ajar_rules_quick_init(AjarRuleSet *set);
void ajar_rules_quick_clear(AjarRuleSet *set);
/* The senders' hash: @len bytes of @name, eight at a time, from @seed. */
guint64 ajar_rules_quick_hash(guint64 seed, const char *name, gsize len);

/* @dt as unix microseconds (ajar-rules-time.c). */
gint64 ajar_rules_datetime_to_us(GDateTime *dt);
/* When quiet hours that end at @until_minute (local) and hold @now end:
 * ajar_rules_next_time_of_day(), or, the night clocks go back, the second
 * time the end's wall time comes if that is the next. Unix microseconds. */
gint64 ajar_rules_quiet_end(GDateTime *now, int until_minute);

/* Case-folded, NFKC-normalized form used for keyword matching. Transfer full. */
char *ajar_rules_fold(const char *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(AjarMatch, ajar_match_free)
