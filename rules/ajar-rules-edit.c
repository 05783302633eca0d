/* ajar-rules-edit.c — new rule sets from old ones, for menus and commands.
 *
 * Every change goes through the same text the file holds: the new set is
 * serialized and parsed again, so a change made from a menu is validated by
 * exactly the rules a hand edit is, and what Ajar writes is what it reads. */
#include "ajar-rules-private.h"

AjarRule *
ajar_rule_new(const char *name)
{
    AjarRule *rule = g_new0(AjarRule, 1);

    g_return_val_if_fail(name != NULL, NULL);
    rule->name = g_strdup(name);
    rule->matches = g_ptr_array_new_with_free_func((GDestroyNotify)ajar_match_free);
    rule->pass_keywords = g_ptr_array_new_with_free_func(g_free);
    return rule;
}

void
ajar_rule_add_match(AjarRule *rule, const char *account, const char *protocol, const char *buddy)
{
    AjarMatch *match;

    g_return_if_fail(rule != NULL && buddy != NULL);
    match = g_new0(AjarMatch, 1);
    match->account = g_strdup(account);
    match->protocol = g_strdup(protocol);
    match->buddy = g_strdup(buddy);
    g_ptr_array_add(rule->matches, match);
}

void
ajar_rule_add_chat_nick(AjarRule *rule, const char *account, const char *protocol, const char *nick,
                        const char *chat)
{
    AjarMatch *match;

    g_return_if_fail(rule != NULL && nick != NULL);
    match = g_new0(AjarMatch, 1);
    match->account = g_strdup(account);
    match->protocol = g_strdup(protocol);
    match->chat_nick = g_strdup(nick);
    match->chat = g_strdup(chat);
    g_ptr_array_add(rule->matches, match);
}

void
ajar_rule_add_stranger(AjarRule *rule, const char *account, const char *protocol)
{
    AjarMatch *match;

    g_return_if_fail(rule != NULL);
    match = g_new0(AjarMatch, 1);
    match->account = g_strdup(account);
    match->protocol = g_strdup(protocol);
    match->stranger = TRUE;
    g_ptr_array_add(rule->matches, match);
}

static AjarDirectionRule
direction_copy(const AjarDirectionRule *what)
{
    AjarDirectionRule copy = *what;

    copy.question = g_strdup(what->question);
    return copy;
}

AjarRule *
ajar_rule_copy(const AjarRule *rule)
{
    AjarRule *copy;

    g_return_val_if_fail(rule != NULL, NULL);
    copy = ajar_rule_new(rule->name);
    for (guint m = 0; m < rule->matches->len; m++) {
        const AjarMatch *match = g_ptr_array_index(rule->matches, m);
        AjarMatch *same = g_new0(AjarMatch, 1);

        same->account = g_strdup(match->account);
        same->protocol = g_strdup(match->protocol);
        same->buddy = g_strdup(match->buddy);
        same->stranger = match->stranger;
        same->chat_nick = g_strdup(match->chat_nick);
        same->chat = g_strdup(match->chat);
        g_ptr_array_add(copy->matches, same);
    }
    for (guint k = 0; k < rule->pass_keywords->len; k++)
        g_ptr_array_add(copy->pass_keywords, g_strdup(g_ptr_array_index(rule->pass_keywords, k)));
    copy->incoming = direction_copy(&rule->incoming);
    copy->outgoing = direction_copy(&rule->outgoing);
    copy->chats = direction_copy(&rule->chats);
    copy->has_active_from = rule->has_active_from;
    copy->active_from = rule->active_from;
    copy->active_from_text = g_strdup(rule->active_from_text);
    copy->has_active_until = rule->has_active_until;
    copy->active_until = rule->active_until;
    copy->active_until_text = g_strdup(rule->active_until_text);
    return copy;
}

int
ajar_rules_find(const AjarRuleSet *rules, const char *account, const char *protocol,
                const char *buddy)
{
    AjarFacts facts = { AJAR_DIRECTION_IN, account, protocol, buddy, NULL, 0, FALSE, NULL, NULL };

    g_return_val_if_fail(rules != NULL, -1);
    return ajar_rules_find_index(rules, &facts);
}

static GPtrArray *
allowed_copy(const AjarRuleSet *rules)
{
    GPtrArray *copy = g_ptr_array_new_full(rules->allowed->len, g_free);

    for (guint i = 0; i < rules->allowed->len; i++)
        g_ptr_array_add(copy, g_strdup(g_ptr_array_index(rules->allowed, i)));
    return copy;
}

/* Takes @rules and @allowed. */
static AjarRuleSet *
reparse(GPtrArray *rules, GPtrArray *allowed, AjarNotify notify, const AjarRuleSet *like,
        const char *origin, GError **error)
{
    /* The new set is only built to be written out and read back. */
    g_autoptr(AjarRuleSet) draft =
        ajar_rules_build(rules, allowed, notify, like->normalize, like->normalize_data);
    g_autofree char *text = ajar_rules_serialize(draft);

    return ajar_rules_parse(text, -1, origin, like->normalize, like->normalize_data, error);
}

AjarRuleSet *
ajar_rules_with_rule(const AjarRuleSet *rules, guint index, const AjarRule *rule,
                     const char *origin, GError **error)
{
    GPtrArray *copies;

    g_return_val_if_fail(rules != NULL, NULL);
    g_return_val_if_fail(index <= rules->rules->len, NULL);
    g_return_val_if_fail(rule != NULL || index < rules->rules->len, NULL);
    copies = g_ptr_array_new_with_free_func((GDestroyNotify)ajar_rule_free);
    for (guint i = 0; i < rules->rules->len; i++) {
        if (i == index) {
            if (rule != NULL)
                g_ptr_array_add(copies, ajar_rule_copy(rule));
            continue;
        }
        g_ptr_array_add(copies, ajar_rule_copy(g_ptr_array_index(rules->rules, i)));
    }
    if (index == rules->rules->len)
        g_ptr_array_add(copies, ajar_rule_copy(rule));
    return reparse(copies, allowed_copy(rules), rules->notify, rules,
                   origin != NULL ? origin : "rules.json", error);
}

AjarRuleSet *
ajar_rules_with_notify(const AjarRuleSet *rules, AjarNotify notify, GError **error)
{
    GPtrArray *copies;

    g_return_val_if_fail(rules != NULL, NULL);
    copies = g_ptr_array_new_with_free_func((GDestroyNotify)ajar_rule_free);
    for (guint i = 0; i < rules->rules->len; i++)
        g_ptr_array_add(copies, ajar_rule_copy(g_ptr_array_index(rules->rules, i)));
    return reparse(copies, allowed_copy(rules), notify, rules, "rules.json", error);
}

AjarRuleSet *
ajar_rules_with_allowed(const AjarRuleSet *rules, const char *address, GError **error)
{
    GPtrArray *copies, *allowed;

    g_return_val_if_fail(rules != NULL && address != NULL, NULL);
    if (ajar_rules_is_allowed(rules, NULL, address))
        return ajar_rules_ref((AjarRuleSet *)rules);
    copies = g_ptr_array_new_with_free_func((GDestroyNotify)ajar_rule_free);
    for (guint i = 0; i < rules->rules->len; i++)
        g_ptr_array_add(copies, ajar_rule_copy(g_ptr_array_index(rules->rules, i)));
    allowed = allowed_copy(rules);
    g_ptr_array_add(allowed, g_strdup(address));
    return reparse(copies, allowed, rules->notify, rules, "rules.json", error);
}
