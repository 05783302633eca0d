/* test-rules-decide.c — decisions for one message at explicit times (no
 * sleeping, no real clock), and rule sets changed as menus and commands do. */
#include "rules-test-util.h"

/* ---- decisions ---- */

static const char decide_rules[] =
    "{\"version\": 1, \"rules\": [\n"
    /* 0 */ "{\"name\": \"Sam\", \"match\": [\n"
    "   {\"account\": \"me@example.org\", \"protocol\": \"prpl-jabber\", \"buddy\": "
    "\"sam@example.org\"},\n"
    "   {\"protocol\": \"prpl-irc\", \"buddy\": \"Sam\"}],\n"
    " \"incoming\": {\"action\": \"hold\"},\n"
    " \"outgoing\": {\"action\": \"delay\", \"seconds\": 600, \"confirm\": true},\n"
    " \"pass_keywords\": [\"Emergency\", \"hospital\"]},\n"
    /* 1: same buddy on any protocol — loses to rule 0 where both match */
    "{\"name\": \"Sam anywhere\", \"match\": [{\"buddy\": \"sam@example.org\"}],\n"
    " \"incoming\": {\"action\": \"archive\"}, \"outgoing\": {\"action\": \"hold\"}},\n"
    /* 2: any-protocol entry that comes first beats a protocol entry later */
    "{\"name\": \"Alex first\", \"match\": [{\"buddy\": \"alex@example.org\"}],\n"
    " \"incoming\": {\"action\": \"delay\", \"seconds\": 3600}},\n"
    "{\"name\": \"Alex second\", \"match\": [{\"protocol\": \"prpl-jabber\", \"buddy\": "
    "\"alex@example.org\"}],\n"
    " \"incoming\": {\"action\": \"hold\"}},\n"
    /* 4: a window in time */
    "{\"name\": \"Winter\", \"match\": [{\"buddy\": \"kim@example.org\"}],\n"
    " \"incoming\": {\"action\": \"delay\", \"at\": \"07:00\"},\n"
    " \"active\": {\"from\": \"2026-12-01T00:00:00Z\", \"until\": \"2027-03-01T00:00:00Z\"}}\n"
    "]}";

typedef struct {
    const char *name;
    AjarFacts facts;
    gint64 now; /* unix seconds, UTC */
    AjarAction action;
    AjarReason reason;
    const char *rule; /* NULL = no rule */
    gint64 due;       /* unix seconds, 0 = none */
    gboolean confirm;
    const char *keyword;
} DecideCase;

#define NOW G_GINT64_CONSTANT(1795737600) /* 2026-11-27T00:00:00Z */
#define IN AJAR_DIRECTION_IN
#define OUT AJAR_DIRECTION_OUT

static const DecideCase decide_cases[] = {
    { "no-rule",
      { IN, "me@example.org", "prpl-jabber", "pat@example.org", "hi", 0, FALSE, NULL, NULL },
      NOW,
      AJAR_ACTION_PASS,
      AJAR_REASON_NO_RULE,
      NULL,
      0,
      FALSE,
      NULL },
    { "hold-exact",
      { IN, "me@example.org", "prpl-jabber", "sam@example.org", "hi", 0, FALSE, NULL, NULL },
      NOW,
      AJAR_ACTION_HOLD,
      AJAR_REASON_RULE,
      "Sam",
      0,
      FALSE,
      NULL },
    { "hold-case-and-resource",
      { IN, "Me@Example.org/Home", "prpl-jabber", "SAM@example.org/phone", "hi", 0, FALSE, NULL,
        NULL },
      NOW,
      AJAR_ACTION_HOLD,
      AJAR_REASON_RULE,
      "Sam",
      0,
      FALSE,
      NULL },
    { "other-account-falls-to-next-rule",
      { IN, "work@example.com", "prpl-jabber", "sam@example.org", "hi", 0, FALSE, NULL, NULL },
      NOW,
      AJAR_ACTION_ARCHIVE,
      AJAR_REASON_RULE,
      "Sam anywhere",
      0,
      FALSE,
      NULL },
    { "irc-any-account",
      { IN, "me@irc.local", "prpl-irc", "SAM", "hi", 0, FALSE, NULL, NULL },
      NOW,
      AJAR_ACTION_HOLD,
      AJAR_REASON_RULE,
      "Sam",
      0,
      FALSE,
      NULL },
    { "protocol-must-match",
      { IN, "me", "prpl-icq", "sam", "hi", 0, FALSE, NULL, NULL },
      NOW,
      AJAR_ACTION_PASS,
      AJAR_REASON_NO_RULE,
      NULL,
      0,
      FALSE,
      NULL },
    { "any-protocol-entry",
      { IN, "me", "prpl-msn", "sam@example.org", "hi", 0, FALSE, NULL, NULL },
      NOW,
      AJAR_ACTION_ARCHIVE,
      AJAR_REASON_RULE,
      "Sam anywhere",
      0,
      FALSE,
      NULL },
    { "first-match-wins-any-before-protocol",
      { IN, "me", "prpl-jabber", "alex@example.org", "hi", 0, FALSE, NULL, NULL },
      NOW,
      AJAR_ACTION_DELAY,
      AJAR_REASON_RULE,
      "Alex first",
      NOW + 3600,
      FALSE,
      NULL },
    { "keyword-case-insensitive",
      { IN, "me@example.org", "prpl-jabber", "sam@example.org", "it is an EMERGENCY!", 0, FALSE,
        NULL, NULL },
      NOW,
      AJAR_ACTION_PASS,
      AJAR_REASON_KEYWORD,
      "Sam",
      0,
      FALSE,
      "Emergency" },
    { "keyword-phrase-inside-text",
      { IN, "me@example.org", "prpl-jabber", "sam@example.org", "at the Hospital now", 0, FALSE,
        NULL, NULL },
      NOW,
      AJAR_ACTION_PASS,
      AJAR_REASON_KEYWORD,
      "Sam",
      0,
      FALSE,
      "hospital" },
    { "keyword-not-for-outgoing",
      { OUT, "me@example.org", "prpl-jabber", "sam@example.org", "emergency", 0, FALSE, NULL,
        NULL },
      NOW,
      AJAR_ACTION_DELAY,
      AJAR_REASON_RULE,
      "Sam",
      NOW + 600,
      TRUE,
      NULL },
    { "no-text-no-keyword",
      { IN, "me@example.org", "prpl-jabber", "sam@example.org", NULL, 0, FALSE, NULL, NULL },
      NOW,
      AJAR_ACTION_HOLD,
      AJAR_REASON_RULE,
      "Sam",
      0,
      FALSE,
      NULL },
    { "outgoing-delay-confirm",
      { OUT, "me@example.org", "prpl-jabber", "sam@example.org/phone", "miss you", 0, FALSE, NULL,
        NULL },
      NOW,
      AJAR_ACTION_DELAY,
      AJAR_REASON_RULE,
      "Sam",
      NOW + 600,
      TRUE,
      NULL },
    { "outgoing-hold-letter",
      { OUT, "other", "prpl-jabber", "sam@example.org", "hi", 0, FALSE, NULL, NULL },
      NOW,
      AJAR_ACTION_HOLD,
      AJAR_REASON_RULE,
      "Sam anywhere",
      0,
      FALSE,
      NULL },
    { "auto-response-never-withheld",
      { IN, "me@example.org", "prpl-jabber", "sam@example.org", "away", AJAR_MESSAGE_AUTO_RESPONSE,
        FALSE, NULL, NULL },
      NOW,
      AJAR_ACTION_PASS,
      AJAR_REASON_AUTO_RESPONSE,
      "Sam",
      0,
      FALSE,
      NULL },
    { "remote-send-never-withheld",
      { OUT, "me@example.org", "prpl-jabber", "sam@example.org", "hi", AJAR_MESSAGE_REMOTE_SEND,
        FALSE, NULL, NULL },
      NOW,
      AJAR_ACTION_PASS,
      AJAR_REASON_REMOTE_SEND,
      "Sam",
      0,
      FALSE,
      NULL },
    { "no-buddy",
      { IN, "me", "prpl-jabber", NULL, "hi", 0, FALSE, NULL, NULL },
      NOW,
      AJAR_ACTION_PASS,
      AJAR_REASON_NO_RULE,
      NULL,
      0,
      FALSE,
      NULL },
    { "before-active",
      { IN, "me", "prpl-jabber", "kim@example.org", "hi", 0, FALSE, NULL, NULL },
      G_GINT64_CONSTANT(1796083199),
      AJAR_ACTION_PASS,
      AJAR_REASON_INACTIVE,
      "Winter",
      0,
      FALSE,
      NULL },
    /* from is inclusive: 2026-12-01T00:00:00Z itself is inside; due is 07:00 the same day */
    { "active-from-inclusive",
      { IN, "me", "prpl-jabber", "kim@example.org", "hi", 0, FALSE, NULL, NULL },
      G_GINT64_CONSTANT(1796083200),
      AJAR_ACTION_DELAY,
      AJAR_REASON_RULE,
      "Winter",
      G_GINT64_CONSTANT(1796083200) + 7 * 3600,
      FALSE,
      NULL },
    /* until is exclusive */
    { "active-until-exclusive",
      { IN, "me", "prpl-jabber", "kim@example.org", "hi", 0, FALSE, NULL, NULL },
      G_GINT64_CONSTANT(1803859200),
      AJAR_ACTION_PASS,
      AJAR_REASON_INACTIVE,
      "Winter",
      0,
      FALSE,
      NULL },
    /* 23:50 UTC: the next 07:00 is tomorrow */
    { "at-across-midnight",
      { IN, "me", "prpl-jabber", "kim@example.org", "hi", 0, FALSE, NULL, NULL },
      G_GINT64_CONSTANT(1796083200) + 23 * 3600 + 50 * 60,
      AJAR_ACTION_DELAY,
      AJAR_REASON_RULE,
      "Winter",
      G_GINT64_CONSTANT(1796083200) + 31 * 3600,
      FALSE,
      NULL },
    /* exactly 07:00: "next" is strictly later, so tomorrow */
    { "at-exactly-now",
      { IN, "me", "prpl-jabber", "kim@example.org", "hi", 0, FALSE, NULL, NULL },
      G_GINT64_CONSTANT(1796083200) + 7 * 3600,
      AJAR_ACTION_DELAY,
      AJAR_REASON_RULE,
      "Winter",
      G_GINT64_CONSTANT(1796083200) + 31 * 3600,
      FALSE,
      NULL },
};

static void
test_decide(gconstpointer data)
{
    const DecideCase *c = data;
    g_autoptr(AjarRuleSet) rules = parse_ok(decide_rules);
    g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc(c->now);
    AjarDecision decision;

    ajar_rules_decide(rules, &c->facts, now, &decision);
    g_assert_cmpstr(ajar_action_to_string(decision.action), ==, ajar_action_to_string(c->action));
    g_assert_cmpint(decision.reason, ==, c->reason);
    g_assert_cmpstr(decision.rule_name, ==, c->rule);
    g_assert_cmpint(decision.rule_index >= 0, ==, c->rule != NULL);
    g_assert_cmpint(decision.due, ==, c->due * G_USEC_PER_SEC);
    g_assert_cmpint(decision.confirm, ==, c->confirm);
    g_assert_cmpstr(decision.keyword, ==, c->keyword);
}

/* "at" in a real local time zone with DST (Berlin, as a POSIX rule so the
 * test needs no tzdata): 2026-03-29 02:00 CET -> 03:00 CEST, 2026-10-25
 * 03:00 CEST -> 02:00 CET. Expected values are UTC unix seconds. */
typedef struct {
    const char *name;
    int year, month, day, hour, minute; /* now, local wall time */
    const char *at;
    gint64 due_utc;
} AtCase;

static const AtCase at_cases[] = {
    /* the day before spring forward: tomorrow's 07:00 is CEST, 23 h away */
    { "spring-next-day", 2026, 3, 28, 8, 0, "07:00", G_GINT64_CONSTANT(1774760400) },
    /* 02:30 does not exist on 2026-03-29: the gap ends at 03:00 CEST = 01:00Z */
    { "spring-gap", 2026, 3, 29, 1, 0, "02:30", G_GINT64_CONSTANT(1774746000) },
    /* 02:30 happens twice on 2026-10-25: the first is 02:30 CEST = 00:30Z */
    { "autumn-repeat", 2026, 10, 25, 0, 0, "02:30", G_GINT64_CONSTANT(1792888200) },
    /* after the clocks went back: 07:00 CET = 06:00Z, 25 h after the 07:00 before */
    { "autumn-next-day", 2026, 10, 24, 8, 0, "07:00", G_GINT64_CONSTANT(1792908000) },
    /* 23:59 -> 00:00 the next day */
    { "midnight", 2026, 11, 27, 23, 59, "00:00", G_GINT64_CONSTANT(1795820400) },
};

static void
test_at(gconstpointer data)
{
    const AtCase *c = data;
    g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier("CET-1CEST,M3.5.0,M10.5.0/3");
    g_autoptr(GDateTime) now = NULL;
    g_autofree char *json = g_strdup_printf(
        "{\"version\": 1, \"rules\": [{\"name\": \"Sam\", \"match\": [{\"buddy\": \"sam\"}], "
        "\"incoming\": {\"action\": \"delay\", \"at\": \"%s\"}}]}",
        c->at);
    g_autoptr(AjarRuleSet) rules = parse_ok(json);
    AjarFacts facts = { IN, "me", "prpl-irc", "sam", "hi", 0, FALSE, NULL, NULL };
    AjarDecision decision;

    g_assert_nonnull(berlin);
    now = g_date_time_new(berlin, c->year, c->month, c->day, c->hour, c->minute, 0);
    ajar_rules_decide(rules, &facts, now, &decision);
    g_assert_cmpint(decision.action, ==, AJAR_ACTION_DELAY);
    g_assert_cmpint(decision.due, ==, c->due_utc * G_USEC_PER_SEC);
}

/* A contact with two buddies on two accounts: one rule covers both. */
static void
test_decide_contact_two_accounts(void)
{
    g_autoptr(AjarRuleSet) rules = parse_ok(decide_rules);
    g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc(NOW);
    AjarFacts xmpp = {
        IN, "me@example.org/Home", "prpl-jabber", "sam@example.org", "hi", 0, FALSE, NULL, NULL
    };
    AjarFacts irc = { IN, "me@irc.example.org", "prpl-irc", "sam", "hi", 0, FALSE, NULL, NULL };
    AjarDecision a, b;

    ajar_rules_decide(rules, &xmpp, now, &a);
    ajar_rules_decide(rules, &irc, now, &b);
    g_assert_cmpint(a.rule_index, ==, 0);
    g_assert_cmpint(b.rule_index, ==, 0);
    g_assert_cmpint(a.action, ==, AJAR_ACTION_HOLD);
    g_assert_cmpint(b.action, ==, AJAR_ACTION_HOLD);
}

/* Matching does not walk the rules: the normalizer runs a fixed number of
 * times per decision whether there is 1 rule or 10,000 (a count, not a clock). */
static void
test_decide_constant_work(void)
{
    g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc(NOW);
    guint calls[2];
    guint sizes[2] = { 1, 10000 };

    for (int s = 0; s < 2; s++) {
        g_autoptr(GString) json = g_string_new("{\"version\": 1, \"rules\": [");
        g_autoptr(AjarRuleSet) rules = NULL;
        AjarFacts facts = {
            IN, "me@example.org", "prpl-jabber", "buddy0@example.org", "hi", 0, FALSE, NULL, NULL
        };
        AjarDecision decision;

        for (guint i = 0; i < sizes[s]; i++)
            g_string_append_printf(json,
                                   "%s{\"name\": \"r%u\", \"match\": [{\"account\": "
                                   "\"me@example.org\", \"buddy\": \"buddy%u@example.org\"}], "
                                   "\"incoming\": {\"action\": \"hold\"}}",
                                   i ? "," : "", i, sizes[s] - 1 - i);
        g_string_append(json, "]}");
        rules = parse_ok(json->str);
        normalize_calls = 0;
        ajar_rules_decide(rules, &facts, now, &decision);
        calls[s] = normalize_calls;
        g_assert_cmpint(decision.action, ==, AJAR_ACTION_HOLD);
        g_assert_cmpint(decision.rule_index, ==, (int)sizes[s] - 1);
    }
    g_assert_cmpuint(calls[0], ==, calls[1]);
    g_assert_cmpuint(calls[1], <=, 4);
}

/* ---- changes from menus and commands ---- */

static void
test_edit_add_replace_remove(void)
{
    g_autoptr(AjarRuleSet) empty = ajar_rules_new_empty(test_normalize, NULL);
    g_autoptr(AjarRule) sam = ajar_rule_new("Sam");
    g_autoptr(AjarRuleSet) one = NULL;
    g_autoptr(AjarRuleSet) changed = NULL;
    g_autoptr(AjarRuleSet) none = NULL;
    g_autoptr(AjarRule) cooler = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc(NOW);
    AjarFacts in = {
        IN,  "me@example.org/Home", "prpl-jabber", "Sam@example.org/phone", "hi", 0, FALSE, NULL,
        NULL
    };
    AjarFacts out = {
        OUT, "me@example.org/Home", "prpl-jabber", "sam@example.org", "hi", 0, FALSE, NULL, NULL
    };
    AjarDecision decision;
    g_autofree char *text = NULL;

    /* "Hold their messages" on a contact with two buddies. */
    ajar_rule_add_match(sam, "me@example.org", "prpl-jabber", "sam@example.org");
    ajar_rule_add_match(sam, NULL, "prpl-irc", "sam");
    sam->incoming.action = AJAR_ACTION_HOLD;
    one = ajar_rules_with_rule(empty, 0, sam, "rules.json", &error);
    g_assert_no_error(error);
    g_assert_cmpuint(ajar_rules_get_count(one), ==, 1);
    g_assert_cmpint(ajar_rules_find(one, "me@example.org/Work", "prpl-jabber", "SAM@example.org"),
                    ==, 0);
    g_assert_cmpint(ajar_rules_find(one, "me@irc", "prpl-irc", "Sam"), ==, 0);
    g_assert_cmpint(ajar_rules_find(one, "me@example.org", "prpl-jabber", "alex@example.org"), ==,
                    -1);
    g_assert_cmpint(ajar_rules_find(one, "other@example.org", "prpl-jabber", "sam@example.org"), ==,
                    -1);
    ajar_rules_decide(one, &in, now, &decision);
    g_assert_cmpint(decision.action, ==, AJAR_ACTION_HOLD);

    /* "/ajar cooloff 10": the same rule, now also delaying your messages. */
    cooler = ajar_rule_copy(ajar_rules_get_rule(one, 0));
    cooler->outgoing.action = AJAR_ACTION_DELAY;
    cooler->outgoing.delay_kind = AJAR_DELAY_SECONDS;
    cooler->outgoing.seconds = 600;
    changed = ajar_rules_with_rule(one, 0, cooler, "rules.json", &error);
    g_assert_no_error(error);
    ajar_rules_decide(changed, &out, now, &decision);
    g_assert_cmpint(decision.action, ==, AJAR_ACTION_DELAY);
    g_assert_cmpint(decision.due, ==, (NOW + 600) * G_USEC_PER_SEC);
    /* The old set is untouched: sets are immutable. */
    ajar_rules_decide(one, &out, now, &decision);
    g_assert_cmpint(decision.action, ==, AJAR_ACTION_PASS);

    /* What is written is what a hand edit would be. */
    text = ajar_rules_serialize(changed);
    g_assert_nonnull(strstr(text, "\"outgoing\": { \"action\": \"delay\", \"seconds\": 600, "
                                  "\"confirm\": false }"));

    /* "Turn off": the rule goes. */
    none = ajar_rules_with_rule(changed, 0, NULL, "rules.json", &error);
    g_assert_no_error(error);
    g_assert_cmpuint(ajar_rules_get_count(none), ==, 0);
    ajar_rules_decide(none, &in, now, &decision);
    g_assert_cmpint(decision.reason, ==, AJAR_REASON_NO_RULE);
}

static void
test_edit_invalid(void)
{
    g_autoptr(AjarRuleSet) rules = parse_ok(decide_rules);
    g_autoptr(AjarRule) twin = ajar_rule_new("sam");
    g_autoptr(AjarRule) zero = ajar_rule_new("Zero");
    g_autoptr(GError) error = NULL;
    g_autoptr(AjarRuleSet) result = NULL;

    /* A second rule named like the first, ignoring case. */
    ajar_rule_add_match(twin, NULL, NULL, "x");
    result = ajar_rules_with_rule(rules, ajar_rules_get_count(rules), twin, "menu", &error);
    g_assert_null(result);
    g_assert_error(error, AJAR_RULES_ERROR, AJAR_RULES_ERROR_DUPLICATE);
    g_assert_true(g_str_has_prefix(error->message, "menu:"));
    g_clear_error(&error);

    /* A delay of zero seconds is refused as in a file. */
    ajar_rule_add_match(zero, NULL, NULL, "z");
    zero->incoming.action = AJAR_ACTION_DELAY;
    zero->incoming.delay_kind = AJAR_DELAY_SECONDS;
    zero->incoming.seconds = 0;
    result = ajar_rules_with_rule(rules, 0, zero, "menu", &error);
    g_assert_null(result);
    g_assert_error(error, AJAR_RULES_ERROR, AJAR_RULES_ERROR_VALUE);
    g_assert_nonnull(strstr(error->message, "rules[0].incoming.seconds: must be a whole number"));
}

static void
test_edit_notify(void)
{
    g_autoptr(AjarRuleSet) rules = parse_ok(decide_rules);
    g_autoptr(GError) error = NULL;
    g_autoptr(AjarRuleSet) quiet = ajar_rules_with_notify(rules, AJAR_NOTIFY_SILENT, &error);

    g_assert_no_error(error);
    g_assert_cmpint(ajar_rules_get_notify(quiet), ==, AJAR_NOTIFY_SILENT);
    g_assert_cmpuint(ajar_rules_get_count(quiet), ==, ajar_rules_get_count(rules));
    g_assert_cmpint(ajar_rules_get_notify(rules), ==, AJAR_NOTIFY_COUNT);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
    for (gsize i = 0; i < G_N_ELEMENTS(decide_cases); i++) {
        g_autofree char *path = g_strdup_printf("/rules/decide/%s", decide_cases[i].name);
        g_test_add_data_func(path, &decide_cases[i], test_decide);
    }
    for (gsize i = 0; i < G_N_ELEMENTS(at_cases); i++) {
        g_autofree char *path = g_strdup_printf("/rules/decide/at/%s", at_cases[i].name);
        g_test_add_data_func(path, &at_cases[i], test_at);
    }
    g_test_add_func("/rules/decide/contact-two-accounts", test_decide_contact_two_accounts);
    g_test_add_func("/rules/decide/constant-work", test_decide_constant_work);
    g_test_add_func("/rules/edit/add-replace-remove", test_edit_add_replace_remove);
    g_test_add_func("/rules/edit/invalid", test_edit_invalid);
    g_test_add_func("/rules/edit/notify", test_edit_notify);
    return g_test_run();
}
