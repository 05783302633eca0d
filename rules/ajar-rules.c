/* ajar-rules.c — the rule set: its lookup index by buddy and its
 * decisions. The answers by sender are remembered in ajar-rules-quick.c;
 * strangers, chat nicks and settings.allowed are looked up in
 * ajar-rules-match.c, times of day in ajar-rules-time.c; the rules.json
 * text is written by ajar-rules-write.c. */
#include "ajar-rules-private.h"

#include <string.h>

G_DEFINE_QUARK(ajar_rules_error_quark, ajar_rules_error)

typedef struct {
    guint rule;
    const AjarMatch *match;
    char *account_norm; /* NULL = any account */
} RuleEntry;

void
ajar_match_free(AjarMatch *match)
{
    if (match == NULL)
        return;
    g_free(match->account);
    g_free(match->protocol);
    g_free(match->buddy);
    g_free(match->chat_nick);
    g_free(match->chat);
    g_free(match);
}

void
ajar_rule_free(AjarRule *rule)
{
    if (rule == NULL)
        return;
    g_free(rule->name);
    g_free(rule->incoming.question);
    g_free(rule->outgoing.question);
    g_free(rule->chats.question);
    g_clear_pointer(&rule->matches, g_ptr_array_unref);
    g_clear_pointer(&rule->pass_keywords, g_ptr_array_unref);
    g_free(rule->active_from_text);
    g_free(rule->active_until_text);
    g_free(rule);
}

static char *
index_key(const char *protocol, const char *normalized_buddy)
{
    return g_strconcat(protocol != NULL ? protocol : "", "\x1f", normalized_buddy, NULL);
}

static void
entry_clear(gpointer data)
{
    RuleEntry *entry = data;
    g_free(entry->account_norm);
}

AjarRuleSet *
ajar_rules_build(GPtrArray *rules, GPtrArray *allowed, AjarNotify notify,
                 AjarNormalizeFunc normalize, gpointer normalize_data)
{
    AjarRuleSet *set = g_new0(AjarRuleSet, 1);

    set->refcount = 1;
    set->rules = rules;
    set->notify = notify;
    set->normalize = normalize != NULL ? normalize : ajar_rules_normalize_default;
    set->normalize_data = normalize != NULL ? normalize_data : NULL;
    set->entries = g_array_new(FALSE, TRUE, sizeof(RuleEntry));
    g_array_set_clear_func(set->entries, entry_clear);
    set->index =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_array_unref);
    set->folded_keywords = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
    set->protocols = g_hash_table_new(g_str_hash, g_str_equal);
    set->normalized =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_hash_table_unref);
    set->normalized_any = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    set->allowed = allowed;
    ajar_rules_match_init(set);
    ajar_rules_quick_init(set);

    for (guint r = 0; r < rules->len; r++) {
        const AjarRule *rule = g_ptr_array_index(rules, r);
        GPtrArray *folded = g_ptr_array_new_with_free_func(g_free);

        for (guint k = 0; k < rule->pass_keywords->len; k++)
            g_ptr_array_add(folded, ajar_rules_fold(g_ptr_array_index(rule->pass_keywords, k)));
        g_ptr_array_add(set->folded_keywords, folded);

        for (guint m = 0; m < rule->matches->len; m++) {
            const AjarMatch *match = g_ptr_array_index(rule->matches, m);
            g_autofree char *buddy_norm = NULL;
            g_autofree char *key = NULL;
            RuleEntry entry = { r, match, NULL };
            GArray *positions;
            guint position = set->entries->len;

            if (match->buddy == NULL) {
                ajar_rules_match_add(set, r, match);
                continue;
            }
            buddy_norm = set->normalize(match->protocol, match->buddy, set->normalize_data);
            key = index_key(match->protocol, buddy_norm);
            if (match->protocol != NULL)
                g_hash_table_add(set->protocols, match->protocol); /* owned by the rule */
            else
                set->any_protocol_entries++;
            if (match->account != NULL)
                entry.account_norm =
                    set->normalize(match->protocol, match->account, set->normalize_data);
            g_array_append_val(set->entries, entry);
            positions = g_hash_table_lookup(set->index, key);
            if (positions == NULL) {
                positions = g_array_new(FALSE, FALSE, sizeof(guint));
                g_hash_table_insert(set->index, g_steal_pointer(&key), positions);
            }
            /* Rules are visited in order, so each list stays sorted by rule. */
            g_array_append_val(positions, position);
        }
    }
    set->names_strangers = set->strangers->len > 0;
    set->names_nobody = set->entries->len == 0 && !set->names_strangers;
    return set;
}

AjarRuleSet *
ajar_rules_new_empty(AjarNormalizeFunc normalize, gpointer normalize_data)
{
    GPtrArray *rules = g_ptr_array_new_with_free_func((GDestroyNotify)ajar_rule_free);
    return ajar_rules_build(rules, NULL, AJAR_NOTIFY_COUNT, normalize, normalize_data);
}

AjarRuleSet *
ajar_rules_ref(AjarRuleSet *rules)
{
    g_return_val_if_fail(rules != NULL, NULL);
    g_atomic_int_inc(&rules->refcount);
    return rules;
}

void
ajar_rules_unref(AjarRuleSet *rules)
{
    if (rules == NULL || !g_atomic_int_dec_and_test(&rules->refcount))
        return;
    g_hash_table_unref(rules->index);
    g_hash_table_unref(rules->protocols);
    g_hash_table_unref(rules->normalized);
    g_hash_table_unref(rules->normalized_any);
    g_array_unref(rules->entries);
    g_ptr_array_unref(rules->folded_keywords);
    g_ptr_array_unref(rules->rules);
    ajar_rules_match_clear(rules);
    ajar_rules_quick_clear(rules);
    g_free(rules);
}

guint
ajar_rules_get_count(const AjarRuleSet *rules)
{
    g_return_val_if_fail(rules != NULL, 0);
    return rules->rules->len;
}

const AjarRule *
ajar_rules_get_rule(const AjarRuleSet *rules, guint index)
{
    g_return_val_if_fail(rules != NULL && index < rules->rules->len, NULL);
    return g_ptr_array_index(rules->rules, index);
}

AjarNotify
ajar_rules_get_notify(const AjarRuleSet *rules)
{
    g_return_val_if_fail(rules != NULL, AJAR_NOTIFY_COUNT);
    return rules->notify;
}

/* How many answers the normalizer cache keeps before it starts afresh. */
#define NORMALIZED_CACHE_SIZE 4096

/* Empties the normalizer cache when it is full. Only between lookups: the
 * strings normalized() returns stay valid until the next call of this. */
static void
normalized_trim(const AjarRuleSet *set)
{
    if (g_hash_table_size(set->normalized_any) >= NORMALIZED_CACHE_SIZE)
        g_hash_table_remove_all(set->normalized_any);
    if (g_hash_table_size(set->normalized) >= 64)
        g_hash_table_remove_all(set->normalized);
    else {
        GHashTableIter iter;
        gpointer names;

        g_hash_table_iter_init(&iter, set->normalized);
        while (g_hash_table_iter_next(&iter, NULL, &names)) {
            if (g_hash_table_size(names) >= NORMALIZED_CACHE_SIZE)
                g_hash_table_remove_all(names);
        }
    }
}

/* Returns: (transfer none): @name as set->normalize() gives it for
 * @protocol (nullable), asked once per name. */
static const char *
normalized(const AjarRuleSet *set, const char *protocol, const char *name)
{
    GHashTable *names = set->normalized_any;
    char *answer;

    if (protocol != NULL) {
        names = g_hash_table_lookup(set->normalized, protocol);
        if (names == NULL) {
            names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
            g_hash_table_insert(set->normalized, g_strdup(protocol), names);
        }
    }
    answer = g_hash_table_lookup(names, name);
    if (answer == NULL) {
        answer = set->normalize(protocol, name, set->normalize_data);
        g_hash_table_insert(names, g_strdup(name), answer);
    }
    return answer;
}

/* Account names are normalized lazily and at most once per protocol form. */
typedef struct {
    const AjarRuleSet *set;
    const AjarFacts *facts;
    const char *account_with_protocol;
    const char *account_any;
} AccountCache;

static gboolean
entry_matches_account(AccountCache *cache, const RuleEntry *entry)
{
    const char **slot;

    if (entry->account_norm == NULL)
        return TRUE;
    if (cache->facts->account == NULL)
        return FALSE;
    slot = entry->match->protocol != NULL ? &cache->account_with_protocol : &cache->account_any;
    if (*slot == NULL)
        *slot = normalized(cache->set, entry->match->protocol, cache->facts->account);
    return g_strcmp0(*slot, entry->account_norm) == 0;
}

/* The lowest rule index among the entries under @key whose account matches,
 * or @best if none is lower. */
static guint
best_rule_for_key(const AjarRuleSet *set, const char *key, AccountCache *cache, guint best)
{
    GArray *positions = g_hash_table_lookup(set->index, key);

    if (positions == NULL)
        return best;
    for (guint i = 0; i < positions->len; i++) {
        const RuleEntry *entry =
            &g_array_index(set->entries, RuleEntry, g_array_index(positions, guint, i));
        if (entry->rule >= best)
            break;
        if (entry_matches_account(cache, entry))
            return entry->rule;
    }
    return best;
}

gboolean
ajar_rules_account_has_entries(const AjarRuleSet *set, const char *account, const char *protocol)
{
    AjarFacts facts = { 0 };
    AccountCache cache = { set, &facts, NULL, NULL };

    facts.account = account;
    facts.protocol = protocol;
    normalized_trim(set);
    for (guint i = 0; i < set->entries->len; i++) {
        const RuleEntry *entry = &g_array_index(set->entries, RuleEntry, i);
        const char *entry_protocol = entry->match->protocol;

        if (entry_protocol != NULL && g_strcmp0(entry_protocol, protocol) != 0)
            continue;
        if (entry_matches_account(&cache, entry))
            return TRUE;
    }
    return FALSE;
}

gboolean
ajar_rules_buddy_is_named(const AjarRuleSet *set, const char *buddy)
{
    GHashTableIter iter;
    gpointer protocol;

    normalized_trim(set);
    /* Every form ajar_rules_find_index_uncached() looks @buddy up by,
     * whatever the message's account and protocol. */
    g_hash_table_iter_init(&iter, set->protocols);
    while (g_hash_table_iter_next(&iter, &protocol, NULL)) {
        g_autofree char *key = index_key(protocol, normalized(set, protocol, buddy));
        if (g_hash_table_contains(set->index, key))
            return TRUE;
    }
    if (set->any_protocol_entries > 0) {
        g_autofree char *key = index_key(NULL, normalized(set, NULL, buddy));
        if (g_hash_table_contains(set->index, key))
            return TRUE;
    }
    return FALSE;
}

int
ajar_rules_find_index_uncached(const AjarRuleSet *set, const AjarFacts *facts)
{
    AccountCache cache = { set, facts, NULL, NULL };
    guint best = G_MAXUINT;

    normalized_trim(set);
    /* Only forms some entry could have: a message on a protocol no rule
     * names, from a sender no rule names, costs two hash lookups. */
    if (facts->protocol != NULL && g_hash_table_contains(set->protocols, facts->protocol)) {
        g_autofree char *key =
            index_key(facts->protocol, normalized(set, facts->protocol, facts->buddy));
        best = best_rule_for_key(set, key, &cache, best);
    }
    if (set->any_protocol_entries > 0) {
        g_autofree char *key = index_key(NULL, normalized(set, NULL, facts->buddy));
        best = best_rule_for_key(set, key, &cache, best);
    }
    return best == G_MAXUINT ? -1 : (int)best;
}

static const char *
find_keyword(const AjarRuleSet *set, guint rule_index, const char *text)
{
    const AjarRule *rule = g_ptr_array_index(set->rules, rule_index);
    GPtrArray *folded = g_ptr_array_index(set->folded_keywords, rule_index);
    g_autofree char *folded_text = NULL;

    if (text == NULL || folded->len == 0)
        return NULL;
    folded_text = ajar_rules_fold(text);
    for (guint k = 0; k < folded->len; k++) {
        if (strstr(folded_text, g_ptr_array_index(folded, k)) != NULL)
            return g_ptr_array_index(rule->pass_keywords, k);
    }
    return NULL;
}

/* Which rule, if any, @facts fall under; sets decision->stranger and,
 * for an allowed stranger, decision->reason. */
static int
decide_rule(const AjarRuleSet *rules, const AjarFacts *facts, AjarDecision *decision)
{
    int index;

    if (facts->chat != NULL) {
        /* A chat line: by real address where known, then by nick. */
        index = facts->buddy != NULL ? ajar_rules_find_index(rules, facts) : -1;
        return index >= 0 ? index : ajar_rules_find_chat_nick(rules, facts);
    }
    index = ajar_rules_find_index(rules, facts);
    if (index >= 0 || facts->direction != AJAR_DIRECTION_IN || !facts->stranger)
        return index;
    if (ajar_rules_is_allowed(rules, facts->protocol, facts->buddy)) {
        decision->reason = AJAR_REASON_ALLOWED;
        return -1;
    }
    index = ajar_rules_find_stranger(rules, facts);
    decision->stranger = index >= 0;
    return index;
}

void
ajar_rules_decide(const AjarRuleSet *rules, const AjarFacts *facts, GDateTime *now,
                  AjarDecision *decision)
{
    const AjarRule *rule;
    const AjarDirectionRule *what;
    gboolean incoming;
    gint64 now_us;
    int index;

    g_return_if_fail(rules != NULL && facts != NULL && now != NULL && decision != NULL);
    memset(decision, 0, sizeof(*decision));
    decision->action = AJAR_ACTION_PASS;
    decision->reason = AJAR_REASON_NO_RULE;
    decision->rule_index = -1;

    index = decide_rule(rules, facts, decision);
    if (index < 0)
        return;
    rule = g_ptr_array_index(rules->rules, index);
    decision->rule_index = index;
    decision->rule_name = rule->name;
    /* A chat line is always someone else's: it comes in. */
    incoming = facts->chat != NULL || facts->direction == AJAR_DIRECTION_IN;

    if (facts->flags & AJAR_MESSAGE_REMOTE_SEND) {
        decision->reason = AJAR_REASON_REMOTE_SEND;
        return;
    }
    if (incoming && (facts->flags & AJAR_MESSAGE_AUTO_RESPONSE)) {
        decision->reason = AJAR_REASON_AUTO_RESPONSE;
        return;
    }
    now_us = ajar_rules_datetime_to_us(now);
    if ((rule->has_active_from && now_us < rule->active_from) ||
        (rule->has_active_until && now_us >= rule->active_until)) {
        decision->reason = AJAR_REASON_INACTIVE;
        return;
    }
    what = facts->chat != NULL ? &rule->chats : incoming ? &rule->incoming : &rule->outgoing;
    decision->reason = AJAR_REASON_RULE;
    if (!incoming && ajar_rules_in_quiet_hours(what, now)) {
        /* Whatever the action, a message written in quiet hours waits for
         * the window's end and is only sent if the user says so then. */
        decision->action = AJAR_ACTION_DELAY;
        decision->confirm = TRUE;
        decision->quiet = TRUE;
        decision->due = ajar_rules_quiet_end(now, what->quiet_until_minute);
        return;
    }
    if (what->action == AJAR_ACTION_PASS)
        return;
    if (incoming) {
        decision->keyword = find_keyword(rules, index, facts->text);
        if (decision->keyword != NULL) {
            decision->reason = AJAR_REASON_KEYWORD;
            return;
        }
    }
    decision->action = what->action;
    if (what->action == AJAR_ACTION_ASK)
        decision->question = what->question;
    if (what->action == AJAR_ACTION_DELAY) {
        decision->confirm = what->confirm;
        if (what->delay_kind == AJAR_DELAY_AT)
            decision->due = ajar_rules_next_time_of_day(now, what->at_minute);
        else
            decision->due = now_us + what->seconds * G_USEC_PER_SEC;
    }
}
