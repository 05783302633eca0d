/* ajar-rules-match.c — who a rule set knows other than by buddy name:
 * strangers ({"stranger": true}), chat occupants by nick ({"chat_nick"}),
 * and the addresses in settings.allowed. Buddy entries, the common case,
 * are ajar-rules.c's hash index; these tables are counted when the set is
 * built, so a plain IM never touches them. */
#include "ajar-rules-private.h"

#include <string.h>

typedef struct {
    guint rule;
    const AjarMatch *match;
    char *account_norm; /* NULL = any account */
} StrangerEntry;

typedef struct {
    guint rule;
    const AjarMatch *match;
    char *account_norm; /* NULL = any account */
    char *chat_folded;  /* NULL = any room */
} ChatEntry;

static void
stranger_entry_clear(gpointer data)
{
    StrangerEntry *entry = data;
    g_free(entry->account_norm);
}

static void
chat_entry_clear(gpointer data)
{
    ChatEntry *entry = data;
    g_free(entry->account_norm);
    g_free(entry->chat_folded);
}

void
ajar_rules_match_init(AjarRuleSet *set)
{
    set->strangers = g_array_new(FALSE, TRUE, sizeof(StrangerEntry));
    g_array_set_clear_func(set->strangers, stranger_entry_clear);
    set->chat_nicks =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_array_unref);
    set->allowed_norm = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    if (set->allowed == NULL)
        set->allowed = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < set->allowed->len; i++)
        g_hash_table_add(set->allowed_norm, set->normalize(NULL, g_ptr_array_index(set->allowed, i),
                                                           set->normalize_data));
}

void
ajar_rules_match_add(AjarRuleSet *set, guint rule_index, const AjarMatch *match)
{
    char *account_norm = match->account != NULL
                             ? set->normalize(match->protocol, match->account, set->normalize_data)
                             : NULL;

    if (match->stranger) {
        StrangerEntry entry = { rule_index, match, account_norm };
        g_array_append_val(set->strangers, entry);
    } else if (match->chat_nick != NULL) {
        char *folded = ajar_rules_fold(match->chat_nick);
        ChatEntry entry = { rule_index, match, account_norm,
                            match->chat != NULL ? ajar_rules_fold(match->chat) : NULL };
        GArray *entries = g_hash_table_lookup(set->chat_nicks, folded);

        if (entries == NULL) {
            entries = g_array_new(FALSE, TRUE, sizeof(ChatEntry));
            g_array_set_clear_func(entries, chat_entry_clear);
            g_hash_table_insert(set->chat_nicks, folded, entries);
        } else {
            g_free(folded);
        }
        /* Rules are visited in order, so each list stays sorted by rule. */
        g_array_append_val(entries, entry);
        set->chat_nick_entries++;
    } else {
        g_free(account_norm);
    }
}

void
ajar_rules_match_clear(AjarRuleSet *set)
{
    g_clear_pointer(&set->strangers, g_array_unref);
    g_clear_pointer(&set->chat_nicks, g_hash_table_unref);
    g_clear_pointer(&set->allowed_norm, g_hash_table_unref);
    g_clear_pointer(&set->allowed, g_ptr_array_unref);
}

/* An entry's protocol and account against the message's. */
static gboolean
fits(const AjarRuleSet *set, const AjarMatch *match, const char *account_norm,
     const AjarFacts *facts)
{
    g_autofree char *account = NULL;

    if (match->protocol != NULL && g_strcmp0(match->protocol, facts->protocol) != 0)
        return FALSE;
    if (account_norm == NULL)
        return TRUE;
    if (facts->account == NULL)
        return FALSE;
    account = set->normalize(match->protocol, facts->account, set->normalize_data);
    return strcmp(account, account_norm) == 0;
}

int
ajar_rules_find_stranger(const AjarRuleSet *set, const AjarFacts *facts)
{
    for (guint i = 0; i < set->strangers->len; i++) {
        const StrangerEntry *entry = &g_array_index(set->strangers, StrangerEntry, i);
        if (fits(set, entry->match, entry->account_norm, facts))
            return (int)entry->rule;
    }
    return -1;
}

int
ajar_rules_find_chat_nick(const AjarRuleSet *set, const AjarFacts *facts)
{
    g_autofree char *nick = NULL;
    g_autofree char *chat = NULL;
    GArray *entries;

    if (set->chat_nick_entries == 0 || facts->nick == NULL)
        return -1;
    nick = ajar_rules_fold(facts->nick);
    entries = g_hash_table_lookup(set->chat_nicks, nick);
    for (guint i = 0; entries != NULL && i < entries->len; i++) {
        const ChatEntry *entry = &g_array_index(entries, ChatEntry, i);
        if (entry->chat_folded != NULL) {
            if (facts->chat == NULL)
                continue;
            if (chat == NULL)
                chat = ajar_rules_fold(facts->chat);
            if (strcmp(chat, entry->chat_folded) != 0)
                continue;
        }
        if (fits(set, entry->match, entry->account_norm, facts))
            return (int)entry->rule;
    }
    return -1;
}

guint
ajar_rules_get_allowed_count(const AjarRuleSet *rules)
{
    g_return_val_if_fail(rules != NULL, 0);
    return rules->allowed->len;
}

const char *
ajar_rules_get_allowed(const AjarRuleSet *rules, guint index)
{
    g_return_val_if_fail(rules != NULL && index < rules->allowed->len, NULL);
    return g_ptr_array_index(rules->allowed, index);
}

gboolean
ajar_rules_is_allowed(const AjarRuleSet *rules, const char *protocol, const char *address)
{
    g_autofree char *normalized = NULL;

    g_return_val_if_fail(rules != NULL, FALSE);
    (void)protocol;
    if (address == NULL || g_hash_table_size(rules->allowed_norm) == 0)
        return FALSE;
    normalized = rules->normalize(NULL, address, rules->normalize_data);
    return g_hash_table_contains(rules->allowed_norm, normalized);
}
