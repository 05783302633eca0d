/* fuzz-rules.c — rules.json: any bytes either parse, or give one clear line.
 *
 * Invariants:
 * - a refused file gives an AJAR_RULES_ERROR whose message is one line of
 *   valid UTF-8 starting with the origin ("rules.json:LINE:COLUMN: ...");
 * - an accepted file serializes to text that parses again and serializes to
 *   the very same bytes (what Ajar writes, it can read back unchanged);
 * - every match entry of rule i finds a rule at index <= i (the first rule
 *   that matches wins, and a rule always matches its own entries), and the
 *   decision for it names that same rule;
 * - replacing a rule by a copy of itself, or setting notify to what it is,
 *   gives the same file, and adding a copy again is refused in one line. */
#include "fuzz-target.h"

#include <string.h>

#include <glib.h>

#include "ajar/ajar-rules.h"

#define ORIGIN "rules.json"

static void
check_error(const GError *error)
{
    FUZZ_CHECK(error != NULL, "parse returned NULL without an error");
    FUZZ_CHECK(error->domain == AJAR_RULES_ERROR, "error domain %s",
               g_quark_to_string(error->domain));
    FUZZ_CHECK(g_str_has_prefix(error->message, ORIGIN ":"), "message: %s", error->message);
    FUZZ_CHECK(strchr(error->message, '\n') == NULL && strchr(error->message, '\r') == NULL,
               "message is not one line: %s", error->message);
    FUZZ_CHECK(g_utf8_validate(error->message, -1, NULL), "message is not UTF-8");
}

static void
check_matches(const AjarRuleSet *rules)
{
    g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc(1795000000); /* 2026-11 */

    for (guint i = 0; i < ajar_rules_get_count(rules); i++) {
        const AjarRule *rule = ajar_rules_get_rule(rules, i);

        for (guint m = 0; m < rule->matches->len; m++) {
            const AjarMatch *match = g_ptr_array_index(rule->matches, m);
            const char *account = match->account != NULL ? match->account : "me@example.org";
            const char *protocol = match->protocol != NULL ? match->protocol : "prpl-any";
            AjarFacts facts = {
                AJAR_DIRECTION_IN, account, protocol, match->buddy, "hi", 0, FALSE, NULL, NULL
            };
            AjarDecision decision;
            int found;

            if (match->stranger) {
                /* A stranger: by buddy entry first, then allowed, then stranger entries. */
                facts.buddy = "stranger-probe@example.org";
                facts.stranger = TRUE;
                found = ajar_rules_find(rules, account, protocol, facts.buddy);
                ajar_rules_decide(rules, &facts, now, &decision);
                if (found >= 0)
                    FUZZ_CHECK(decision.rule_index == found && !decision.stranger,
                               "stranger: decide chose %d, find %d", decision.rule_index, found);
                else if (ajar_rules_is_allowed(rules, protocol, facts.buddy))
                    FUZZ_CHECK(decision.rule_index == -1 && decision.reason == AJAR_REASON_ALLOWED,
                               "allowed stranger got rule %d", decision.rule_index);
                else
                    FUZZ_CHECK(decision.rule_index >= 0 && (guint)decision.rule_index <= i &&
                                   decision.stranger,
                               "rules[%u].match[%u] (stranger) chose rule %d", i, m,
                               decision.rule_index);
                continue;
            }
            if (match->chat_nick != NULL) {
                facts.buddy = NULL;
                facts.chat = match->chat != NULL ? match->chat : "room";
                facts.nick = match->chat_nick;
                ajar_rules_decide(rules, &facts, now, &decision);
                FUZZ_CHECK(decision.rule_index >= 0 && (guint)decision.rule_index <= i,
                           "rules[%u].match[%u] (chat_nick) chose rule %d", i, m,
                           decision.rule_index);
                continue;
            }
            found = ajar_rules_find(rules, account, protocol, match->buddy);
            FUZZ_CHECK(found >= 0 && (guint)found <= i, "rules[%u].match[%u] found rule %d", i, m,
                       found);
            ajar_rules_decide(rules, &facts, now, &decision);
            FUZZ_CHECK(decision.rule_index == found, "decide chose %d, find %d",
                       decision.rule_index, found);
            facts.direction = AJAR_DIRECTION_OUT;
            ajar_rules_decide(rules, &facts, now, &decision);
            FUZZ_CHECK(decision.rule_index == found, "decide (out) chose %d, find %d",
                       decision.rule_index, found);
        }
    }
}

/* What the menus and /ajar do: a rule replaced by a copy of itself, and the
 * notify mode set to what it is, change nothing; a copy added again is
 * refused (same name) with one line. */
static void
check_edits(const AjarRuleSet *rules, const char *text)
{
    g_autoptr(GError) error = NULL;

    for (guint i = 0; i < ajar_rules_get_count(rules) && i < 4; i++) {
        g_autoptr(AjarRule) copy = ajar_rule_copy(ajar_rules_get_rule(rules, i));
        g_autoptr(AjarRuleSet) same = ajar_rules_with_rule(rules, i, copy, ORIGIN, &error);
        g_autoptr(AjarRuleSet) twice = NULL;
        g_autofree char *same_text = NULL;

        FUZZ_CHECK(same != NULL, "rules[%u] replaced by itself: %s", i, error->message);
        same_text = ajar_rules_serialize(same);
        FUZZ_CHECK(strcmp(same_text, text) == 0, "rules[%u] replaced by itself changed the file",
                   i);
        twice = ajar_rules_with_rule(rules, ajar_rules_get_count(rules), copy, ORIGIN, &error);
        FUZZ_CHECK(twice == NULL, "rules[%u] added twice was accepted", i);
        check_error(error);
        g_clear_error(&error);
    }
    {
        g_autoptr(AjarRuleSet) same =
            ajar_rules_with_notify(rules, ajar_rules_get_notify(rules), &error);
        g_autofree char *same_text = NULL;

        FUZZ_CHECK(same != NULL, "notify set to itself: %s", error->message);
        same_text = ajar_rules_serialize(same);
        FUZZ_CHECK(strcmp(same_text, text) == 0, "notify set to itself changed the file");
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(AjarRuleSet) rules = NULL;
    g_autoptr(AjarRuleSet) again = NULL;
    g_autofree char *first = NULL;
    g_autofree char *second = NULL;

    if (size > G_MAXSSIZE)
        return 0;
    rules = ajar_rules_parse((const char *)data, (gssize)size, ORIGIN, NULL, NULL, &error);
    if (rules == NULL) {
        check_error(error);
        return 0;
    }
    FUZZ_CHECK(error == NULL, "a rule set and an error: %s", error->message);
    check_matches(rules);

    first = ajar_rules_serialize(rules);
    again = ajar_rules_parse(first, -1, ORIGIN, NULL, NULL, &error);
    FUZZ_CHECK(again != NULL, "what Ajar wrote does not parse: %s\n%s",
               error != NULL ? error->message : "?", first);
    second = ajar_rules_serialize(again);
    FUZZ_CHECK(strcmp(first, second) == 0, "round trip changed the text:\n%s\n---\n%s", first,
               second);
    FUZZ_CHECK(ajar_rules_get_count(rules) == ajar_rules_get_count(again), "rule count changed");
    FUZZ_CHECK(ajar_rules_get_notify(rules) == ajar_rules_get_notify(again), "notify changed");
    check_edits(rules, first);
    return 0;
}
