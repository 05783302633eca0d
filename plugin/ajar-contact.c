/* ajar-contact.c — "this person": the rule that covers a buddy, and a new
 * rule that covers every buddy of their buddy-list contact. */
#include "ajar-contact.h"

#include "ajar-custody.h"
#include "ajar-normalize.h"
#include "ajar-rules-file.h"

#include <blist.h>
#include <string.h>

#include "ajar/ajar-i18n.h"

int
ajar_contact_rule_index(AjarPlugin *ajar, PurpleAccount *account, const char *buddy)
{
    return ajar_rules_find(ajar->rules, purple_account_get_username(account),
                           purple_account_get_protocol_id(account), buddy);
}

/* A rule name no other rule has (names are unique ignoring case). */
static char *
unique_name(AjarPlugin *ajar, const char *wanted)
{
    for (int n = 1;; n++) {
        g_autofree char *name = n == 1 ? g_strdup(wanted) : g_strdup_printf("%s (%d)", wanted, n);
        g_autofree char *folded = g_utf8_casefold(name, -1);
        gboolean taken = FALSE;

        for (guint i = 0; i < ajar_rules_get_count(ajar->rules) && !taken; i++) {
            g_autofree char *other = g_utf8_casefold(ajar_rules_get_rule(ajar->rules, i)->name, -1);
            taken = g_strcmp0(folded, other) == 0;
        }
        if (!taken)
            return g_steal_pointer(&name);
    }
}

/* An alias as a rule name: valid UTF-8, no control characters, at most
 * 150 bytes (rules.json allows 200; " (2)" may follow). */
static char *
rule_name_from(const char *alias)
{
    g_autofree char *valid = g_utf8_make_valid(alias, -1);
    GString *out = g_string_new(NULL);

    for (const char *p = valid; *p != '\0'; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (g_unichar_iscntrl(c))
            continue;
        if (out->len + (gsize)(g_utf8_next_char(p) - p) > 150)
            break;
        g_string_append_unichar(out, c);
    }
    return g_strstrip(g_string_free(out, FALSE));
}

AjarRule *
ajar_contact_new_rule(AjarPlugin *ajar, PurpleAccount *account, const char *buddy_name)
{
    PurpleBuddy *buddy = purple_find_buddy(account, buddy_name);
    PurpleContact *contact = buddy != NULL ? purple_buddy_get_contact(buddy) : NULL;
    const char *shown = contact != NULL ? purple_contact_get_alias(contact)
                        : buddy != NULL ? purple_buddy_get_alias(buddy)
                                        : buddy_name;
    g_autofree char *clean = rule_name_from(shown != NULL && *shown != '\0' ? shown : buddy_name);
    /* TRANSLATORS: the name of a new rule for someone with no name to show;
     * it is saved in rules.json and stays as it was written. */
    g_autofree char *name = unique_name(ajar, *clean != '\0' ? clean : _("Contact"));
    AjarRule *rule = ajar_rule_new(name);

    if (contact == NULL) {
        ajar_rule_add_match(rule, purple_account_get_username(account),
                            purple_account_get_protocol_id(account), buddy_name);
        return rule;
    }
    /* A person with several accounts: one rule covers all their buddies. */
    for (PurpleBlistNode *node = purple_blist_node_get_first_child(PURPLE_BLIST_NODE(contact));
         node != NULL; node = purple_blist_node_get_sibling_next(node)) {
        PurpleBuddy *each;
        PurpleAccount *each_account;

        if (!PURPLE_BLIST_NODE_IS_BUDDY(node))
            continue;
        each = PURPLE_BUDDY(node);
        each_account = purple_buddy_get_account(each);
        ajar_rule_add_match(rule, purple_account_get_username(each_account),
                            purple_account_get_protocol_id(each_account),
                            purple_buddy_get_name(each));
    }
    if (rule->matches->len == 0)
        ajar_rule_add_match(rule, purple_account_get_username(account),
                            purple_account_get_protocol_id(account), buddy_name);
    return rule;
}

static gboolean
apply_setting(AjarRule *rule, const AjarContactSetting *setting)
{
    if (setting->off)
        return FALSE;
    if (setting->outgoing) {
        /* The rule owns its question; quiet hours are not the menu's to
         * change and stay as they were. */
        AjarDirectionRule what = setting->what;

        what.question = g_strdup(setting->what.question);
        what.has_quiet = rule->outgoing.has_quiet;
        what.quiet_from_minute = rule->outgoing.quiet_from_minute;
        what.quiet_until_minute = rule->outgoing.quiet_until_minute;
        g_free(rule->outgoing.question);
        rule->outgoing = what;
    } else {
        rule->incoming = setting->what;
    }
    /* A rule that passes both ways (and in chats, at any hour) does
     * nothing: it goes. */
    return rule->incoming.action != AJAR_ACTION_PASS || rule->outgoing.action != AJAR_ACTION_PASS ||
           rule->chats.action != AJAR_ACTION_PASS || rule->outgoing.has_quiet;
}

gboolean
ajar_contact_set(AjarPlugin *ajar, PurpleAccount *account, const char *buddy,
                 const AjarContactSetting *setting, GError **error)
{
    int index = ajar_contact_rule_index(ajar, account, buddy);
    g_autoptr(AjarRule) rule = NULL;
    g_autoptr(AjarRuleSet) changed = NULL;
    guint count = ajar_rules_get_count(ajar->rules);

    /* Never write over rules Ajar could not read: they are the user's (and
     * another messenger's Ajar may be using them). */
    if (ajar->journal_busy) {
        g_autofree char *why = ajar_context_busy_text(ajar);
        g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_BUSY, why);
        return FALSE;
    }
    if (ajar->journal == NULL) {
        g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_FAILED,
                            _("Ajar is not holding anything back, because its journal could not "
                              "be opened; the rules stay as they are."));
        return FALSE;
    }
    if (ajar->rules_error != NULL) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
                    /* TRANSLATORS: %s is the mistake, e.g. "rules.json:3:5:
                     * rules[0].name: must be text". */
                    _("rules.json has a mistake (%s); fix it first, so that your edit is not "
                      "overwritten."),
                    ajar->rules_error);
        return FALSE;
    }
    rule = index >= 0 ? ajar_rule_copy(ajar_rules_get_rule(ajar->rules, (guint)index))
                      : ajar_contact_new_rule(ajar, account, buddy);
    if (!apply_setting(rule, setting)) {
        /* "Turn off": the rule goes. */
        if (index < 0)
            return TRUE;
        changed = ajar_rules_with_rule(ajar->rules, (guint)index, NULL, AJAR_RULES_FILE, error);
    } else {
        changed = ajar_rules_with_rule(ajar->rules, index >= 0 ? (guint)index : count, rule,
                                       AJAR_RULES_FILE, error);
    }
    return changed != NULL && ajar_rules_file_replace(ajar, changed, error);
}

static gboolean
same_buddy(AjarPlugin *ajar, const AjarItem *item, PurpleAccount *account, const char *name)
{
    g_autofree char *a = NULL;
    g_autofree char *b = NULL;

    if (ajar_custody_find_account(item) != account)
        return FALSE;
    a = ajar_normalize_cb(item->protocol, item->buddy, ajar);
    b = ajar_normalize_cb(purple_account_get_protocol_id(account), name, ajar);
    return g_strcmp0(a, b) == 0;
}

gboolean
ajar_contact_covers(AjarPlugin *ajar, PurpleAccount *account, const char *buddy_name,
                    const AjarItem *item)
{
    PurpleBuddy *buddy = purple_find_buddy(account, buddy_name);
    PurpleContact *contact = buddy != NULL ? purple_buddy_get_contact(buddy) : NULL;

    if (contact == NULL)
        return same_buddy(ajar, item, account, buddy_name);
    for (PurpleBlistNode *node = purple_blist_node_get_first_child(PURPLE_BLIST_NODE(contact));
         node != NULL; node = purple_blist_node_get_sibling_next(node)) {
        if (PURPLE_BLIST_NODE_IS_BUDDY(node) &&
            same_buddy(ajar, item, purple_buddy_get_account(PURPLE_BUDDY(node)),
                       purple_buddy_get_name(PURPLE_BUDDY(node))))
            return TRUE;
    }
    return FALSE;
}

gboolean
ajar_parse_delay(const char *text, gboolean time_of_day_allowed, AjarDirectionRule *out)
{
    g_autofree char *trimmed = g_strstrip(g_strdup(text != NULL ? text : ""));
    guint64 minutes, hour, minute;
    g_auto(GStrv) parts = NULL;

    memset(out, 0, sizeof(*out));
    out->action = AJAR_ACTION_DELAY;
    if (g_ascii_string_to_unsigned(trimmed, 10, 1, AJAR_RULES_MAX_SECONDS / 60, &minutes, NULL)) {
        out->delay_kind = AJAR_DELAY_SECONDS;
        out->seconds = (gint64)minutes * 60;
        return TRUE;
    }
    if (!time_of_day_allowed || strchr(trimmed, ':') == NULL)
        return FALSE;
    /* "7:30" or "19:00": a daily digest at that local time. */
    parts = g_strsplit(trimmed, ":", -1);
    if (g_strv_length(parts) != 2 || strlen(parts[1]) != 2 ||
        !g_ascii_string_to_unsigned(parts[0], 10, 0, 23, &hour, NULL) ||
        !g_ascii_string_to_unsigned(parts[1], 10, 0, 59, &minute, NULL))
        return FALSE;
    out->delay_kind = AJAR_DELAY_AT;
    out->at_minute = (int)(hour * 60 + minute);
    return TRUE;
}
