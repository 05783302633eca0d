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

AjarRule *
ajar_rule_copy(const AjarRule *rule)
{
    AjarRule *copy;

    g_return_val_if_fail(rule != NULL, NULL);
    copy = ajar_rule_new(rule->name);
    for (guint m = 0; m < rule->matches->len; m++) {
        const AjarMatch *match = g_ptr_array_index(rule->matches, m);
        ajar_rule_add_match(copy, match->account, match->protocol, match->buddy);
    }
    for (guint k = 0; k < rule->pass_keywords->len; k++)
        g_ptr_array_add(copy->pass_keywords, g_strdup(g_ptr_array_index(rule->pass_keywords, k)));
    copy->incoming = rule->incoming;
    copy->outgoing = rule->outgoing;
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
    AjarFacts facts = { AJAR_DIRECTION_IN, account, protocol, buddy, NULL, 0 };

    g_return_val_if_fail(rules != NULL, -1);
    return ajar_rules_find_index(rules, &facts);
}

static AjarRuleSet *
reparse(GPtrArray *rules, AjarNotify notify, const AjarRuleSet *like, const char *origin,
        GError **error)
{
    /* The new set is only built to be written out and read back. */
    g_autoptr(AjarRuleSet) draft =
        ajar_rules_build(rules, notify, like->normalize, like->normalize_data);
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
    return reparse(copies, rules->notify, rules, origin != NULL ? origin : "rules.json", error);
}

AjarRuleSet *
ajar_rules_with_notify(const AjarRuleSet *rules, AjarNotify notify, GError **error)
{
    GPtrArray *copies;

    g_return_val_if_fail(rules != NULL, NULL);
    copies = g_ptr_array_new_with_free_func((GDestroyNotify)ajar_rule_free);
    for (guint i = 0; i < rules->rules->len; i++)
        g_ptr_array_add(copies, ajar_rule_copy(g_ptr_array_index(rules->rules, i)));
    return reparse(copies, notify, rules, "rules.json", error);
}
