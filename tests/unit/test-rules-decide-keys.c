/* test-rules-decide-keys.c — decisions for the match entries and keys of
 * issue 12: chat lines (by real address, then by nick, with and without a
 * room), strangers (after buddy entries and settings.allowed), quiet hours
 * (wrapping midnight, DST-safe end) and ask. Explicit times, no clock. */
#include "rules-test-util.h"

#define BERLIN "CET-1CEST,M3.5.0,M10.5.0/3"

static const char keys_rules[] =
    "{\"version\": 1, \"rules\": [\n"
    /* 0 */ "{\"name\": \"Sam\", \"match\": [{\"buddy\": \"sam@example.org\"},\n"
    "   {\"protocol\": \"prpl-irc\", \"chat_nick\": \"Sam\", \"chat\": \"#Family\"},\n"
    "   {\"account\": \"me@example.org\", \"chat_nick\": \"sammy\"}],\n"
    " \"incoming\": {\"action\": \"delay\", \"seconds\": 60},\n"
    " \"outgoing\": {\"action\": \"ask\", \"question\": \"Really, to Sam?\",\n"
    "   \"quiet_hours\": {\"from\": \"22:00\", \"until\": \"07:00\"}},\n"
    " \"chats\": {\"action\": \"hold\"}, \"pass_keywords\": [\"urgent\"]},\n"
    /* 1: a nick any rule after 0 may also name: 0 wins in file order */
    "{\"name\": \"Nick later\", \"match\": [{\"chat_nick\": \"sammy\"}, {\"chat_nick\": \"alex\"}],\n"
    " \"chats\": {\"action\": \"archive\"}},\n"
    /* 2: strangers on one account of XMPP */
    "{\"name\": \"Work strangers\", \"match\": [{\"account\": \"me@work.example\", \"protocol\": "
    "\"prpl-jabber\", \"stranger\": true}],\n"
    " \"incoming\": {\"action\": \"archive\"}},\n"
    /* 3: strangers anywhere else */
    "{\"name\": \"Strangers\", \"match\": [{\"stranger\": true}], \"incoming\": {\"action\": \"hold\"},\n"
    " \"outgoing\": {\"action\": \"hold\"}},\n"
    /* 4: a buddy who is also allowed; quiet hours not wrapping, with pass */
    "{\"name\": \"Kim\", \"match\": [{\"buddy\": \"kim@example.org\"}],\n"
    " \"incoming\": {\"action\": \"hold\"},\n"
    " \"outgoing\": {\"action\": \"pass\", \"quiet_hours\": {\"from\": \"13:00\", \"until\": \"14:00\"}}},\n"
    /* 5: ask without a question; chats pass (the default) */
    "{\"name\": \"Lee\", \"match\": [{\"buddy\": \"lee@example.org\"}], \"outgoing\": {\"action\": "
    "\"ask\"},\n"
    " \"active\": {\"until\": \"2030-01-01T00:00:00Z\"}}\n"
    "], \"settings\": {\"allowed\": [\"Pat@example.org\", \"kim@example.org\"]}}";

static GDateTime *
berlin_time(int year, int month, int day, int hour, int minute)
{
    g_autoptr(GTimeZone) tz = g_time_zone_new_identifier(BERLIN);

    g_assert_nonnull(tz);
    return g_date_time_new(tz, year, month, day, hour, minute, 0);
}

static gint64
berlin_us(int year, int month, int day, int hour, int minute)
{
    g_autoptr(GDateTime) dt = berlin_time(year, month, day, hour, minute);
    return g_date_time_to_unix(dt) * G_USEC_PER_SEC;
}

static AjarFacts
chat_line(const char *protocol, const char *account, const char *chat, const char *nick,
          const char *buddy)
{
    AjarFacts facts = {
        AJAR_DIRECTION_IN, account, protocol, buddy, "hello all", 0, FALSE, chat, nick
    };
    return facts;
}

static AjarFacts
im(AjarDirection direction, const char *protocol, const char *account, const char *buddy,
   gboolean stranger)
{
    AjarFacts facts = { direction, account, protocol, buddy, "hi", 0, stranger, NULL, NULL };
    return facts;
}

static void
decide_at_noon(const AjarRuleSet *rules, const AjarFacts *facts, AjarDecision *decision)
{
    g_autoptr(GDateTime) now = berlin_time(2026, 11, 27, 12, 0);
    ajar_rules_decide(rules, facts, now, decision);
}

/* ---- chat lines ---- */

static void
test_chat_by_address(void)
{
    g_autoptr(AjarRuleSet) rules = parse_ok(keys_rules);
    /* The room reveals the real address: rule 0's buddy entry, chats hold. */
    AjarFacts facts = chat_line("prpl-jabber", "me@example.org", "family@conference.example.org",
                                "S", "Sam@example.org/phone");
    AjarDecision decision;

    decide_at_noon(rules, &facts, &decision);
    g_assert_cmpint(decision.rule_index, ==, 0);
    g_assert_cmpint(decision.action, ==, AJAR_ACTION_HOLD); /* chats, not incoming's delay */
    g_assert_cmpint(decision.reason, ==, AJAR_REASON_RULE);
    g_assert_cmpint(decision.due, ==, 0);
    g_assert_false(decision.stranger);
}

/* A buddy entry is checked before chat_nick entries, even an earlier rule's. */
static void
test_chat_address_before_nick(void)
{
    g_autoptr(AjarRuleSet) rules = parse_ok(
        "{\"version\": 1, \"rules\": [\n"
        "{\"name\": \"Nick\", \"match\": [{\"chat_nick\": \"sam\"}], \"chats\": {\"action\": "
        "\"archive\"}},\n"
        "{\"name\": \"Address\", \"match\": [{\"buddy\": \"sam@example.org\"}], \"chats\": "
        "{\"action\": \"hold\"}}]}");
    AjarFacts by_address =
        chat_line("prpl-jabber", "me@example.org", "room", "sam", "sam@example.org");
    AjarFacts by_nick = chat_line("prpl-jabber", "me@example.org", "room", "sam", NULL);
    AjarFacts other_address =
        chat_line("prpl-jabber", "me@example.org", "room", "sam", "someone@example.org");
    AjarDecision decision;

    decide_at_noon(rules, &by_address, &decision);
    g_assert_cmpstr(decision.rule_name, ==, "Address");
    g_assert_cmpint(decision.action, ==, AJAR_ACTION_HOLD);
    decide_at_noon(rules, &by_nick, &decision);
    g_assert_cmpstr(decision.rule_name, ==, "Nick");
    g_assert_cmpint(decision.action, ==, AJAR_ACTION_ARCHIVE);
    /* A known address no buddy entry names: then by nick. */
    decide_at_noon(rules, &other_address, &decision);
    g_assert_cmpstr(decision.rule_name, ==, "Nick");
}

typedef struct {
    const char *name;
    const char *protocol, *account, *chat, *nick;
    const char *rule; /* NULL = none */
    AjarAction action;
} ChatCase;

static const ChatCase chat_cases[] = {
    /* with a room: folded compare of nick and room, protocol exact */
    { "nick-room", "prpl-irc", "me@irc", "#Family", "Sam", "Sam", AJAR_ACTION_HOLD },
    { "nick-room-folded", "prpl-irc", "me@irc", "#FAMILY", "SAM", "Sam", AJAR_ACTION_HOLD },
    { "nick-other-room", "prpl-irc", "me@irc", "#work", "Sam", NULL, AJAR_ACTION_PASS },
    { "nick-other-protocol", "prpl-jabber", "me@irc", "#Family", "Sam", NULL, AJAR_ACTION_PASS },
    /* without a room: any room; account as the normalizer has it */
    { "nick-any-room", "prpl-jabber", "Me@Example.org/Home", "anywhere", "Sammy", "Sam",
      AJAR_ACTION_HOLD },
    { "nick-other-account", "prpl-jabber", "other@example.org", "anywhere", "sammy", "Nick later",
      AJAR_ACTION_ARCHIVE },
    { "nick-second-entry", "prpl-irc", "me@irc", "#x", "ALEX", "Nick later", AJAR_ACTION_ARCHIVE },
    { "nick-unknown", "prpl-irc", "me@irc", "#Family", "kim", NULL, AJAR_ACTION_PASS },
    { "no-nick", "prpl-irc", "me@irc", "#Family", NULL, NULL, AJAR_ACTION_PASS },
};

static void
test_chat_by_nick(gconstpointer data)
{
    const ChatCase *c = data;
    g_autoptr(AjarRuleSet) rules = parse_ok(keys_rules);
    AjarFacts facts = chat_line(c->protocol, c->account, c->chat, c->nick, NULL);
    AjarDecision decision;

    decide_at_noon(rules, &facts, &decision);
    g_assert_cmpstr(decision.rule_name, ==, c->rule);
    g_assert_cmpint(decision.action, ==, c->action);
    g_assert_cmpint(decision.reason, ==, c->rule != NULL ? AJAR_REASON_RULE : AJAR_REASON_NO_RULE);
}

/* Pass keywords, auto-responses, the user's other device and "active"
 * apply to chat lines as to their IMs; strangers never match a chat line. */
static void
test_chat_exceptions(void)
{
    g_autoptr(AjarRuleSet) rules = parse_ok(keys_rules);
    g_autoptr(GDateTime) later = berlin_time(2031, 1, 1, 12, 0);
    AjarFacts facts = chat_line("prpl-irc", "me@irc", "#Family", "Sam", NULL);
    AjarFacts lee = chat_line("prpl-jabber", "me", "room", "l", "lee@example.org");
    AjarFacts stranger = chat_line("prpl-irc", "me@irc", "#Family", "newbie", NULL);
    AjarDecision decision;

    facts.text = "URGENT: call me";
    decide_at_noon(rules, &facts, &decision);
    g_assert_cmpint(decision.action, ==, AJAR_ACTION_PASS);
    g_assert_cmpint(decision.reason, ==, AJAR_REASON_KEYWORD);
    g_assert_cmpstr(decision.keyword, ==, "urgent");
    facts.text = "hi";
    facts.flags = AJAR_MESSAGE_AUTO_RESPONSE;
    decide_at_noon(rules, &facts, &decision);
    g_assert_cmpint(decision.reason, ==, AJAR_REASON_AUTO_RESPONSE);
    facts.flags = AJAR_MESSAGE_REMOTE_SEND;
    decide_at_noon(rules, &facts, &decision);
    g_assert_cmpint(decision.reason, ==, AJAR_REASON_REMOTE_SEND);
    g_assert_cmpint(decision.action, ==, AJAR_ACTION_PASS);
    /* A chat line is someone else's, whatever direction it is given. */
    facts.flags = 0;
    facts.direction = AJAR_DIRECTION_OUT;
    decide_at_noon(rules, &facts, &decision);
    g_assert_cmpint(decision.action, ==, AJAR_ACTION_HOLD);
    g_assert_false(decision.quiet);
    /* Rule 5: chats pass by default, and after "until" it is inactive. */
    decide_at_noon(rules, &lee, &decision);
    g_assert_cmpstr(decision.rule_name, ==, "Lee");
    g_assert_cmpint(decision.action, ==, AJAR_ACTION_PASS);
    g_assert_cmpint(decision.reason, ==, AJAR_REASON_RULE);
    ajar_rules_decide(rules, &lee, later, &decision);
    g_assert_cmpint(decision.reason, ==, AJAR_REASON_INACTIVE);
    stranger.stranger = TRUE;
    decide_at_noon(rules, &stranger, &decision);
    g_assert_cmpint(decision.rule_index, ==, -1);
    g_assert_false(decision.stranger);
}

/* ---- strangers ---- */

typedef struct {
    const char *name;
    AjarDirection direction;
    const char *protocol, *account, *buddy;
    gboolean stranger;
    const char *rule;
    AjarAction action;
    AjarReason reason;
    gboolean by_stranger;
} StrangerCase;

static const StrangerCase stranger_cases[] = {
    { "first-fitting-entry", AJAR_DIRECTION_IN, "prpl-jabber", "me@work.example/Office",
      "x@elsewhere.org", TRUE, "Work strangers", AJAR_ACTION_ARCHIVE, AJAR_REASON_RULE, TRUE },
    { "other-account", AJAR_DIRECTION_IN, "prpl-jabber", "me@example.org", "x@elsewhere.org", TRUE,
      "Strangers", AJAR_ACTION_HOLD, AJAR_REASON_RULE, TRUE },
    { "other-protocol", AJAR_DIRECTION_IN, "prpl-irc", "me@work.example", "x", TRUE, "Strangers",
      AJAR_ACTION_HOLD, AJAR_REASON_RULE, TRUE },
    { "allowed", AJAR_DIRECTION_IN, "prpl-jabber", "me@work.example", "PAT@example.org/laptop",
      TRUE, NULL, AJAR_ACTION_PASS, AJAR_REASON_ALLOWED, FALSE },
    /* A buddy entry comes before allowed and before stranger entries. */
    { "buddy-before-allowed", AJAR_DIRECTION_IN, "prpl-jabber", "me", "kim@example.org", TRUE,
      "Kim", AJAR_ACTION_HOLD, AJAR_REASON_RULE, FALSE },
    { "buddy-before-stranger", AJAR_DIRECTION_IN, "prpl-jabber", "me@work.example",
      "sam@example.org", TRUE, "Sam", AJAR_ACTION_DELAY, AJAR_REASON_RULE, FALSE },
    { "not-a-stranger", AJAR_DIRECTION_IN, "prpl-jabber", "me", "x@elsewhere.org", FALSE, NULL,
      AJAR_ACTION_PASS, AJAR_REASON_NO_RULE, FALSE },
    { "allowed-not-a-stranger", AJAR_DIRECTION_IN, "prpl-jabber", "me", "pat@example.org", FALSE,
      NULL, AJAR_ACTION_PASS, AJAR_REASON_NO_RULE, FALSE },
    /* Strangers never match outgoing messages. */
    { "outgoing", AJAR_DIRECTION_OUT, "prpl-jabber", "me", "x@elsewhere.org", TRUE, NULL,
      AJAR_ACTION_PASS, AJAR_REASON_NO_RULE, FALSE },
};

static void
test_stranger(gconstpointer data)
{
    const StrangerCase *c = data;
    g_autoptr(AjarRuleSet) rules = parse_ok(keys_rules);
    AjarFacts facts = im(c->direction, c->protocol, c->account, c->buddy, c->stranger);
    AjarDecision decision;

    decide_at_noon(rules, &facts, &decision);
    g_assert_cmpstr(decision.rule_name, ==, c->rule);
    g_assert_cmpint(decision.rule_index, ==, c->rule != NULL ? decision.rule_index : -1);
    g_assert_cmpint(decision.action, ==, c->action);
    g_assert_cmpint(decision.reason, ==, c->reason);
    g_assert_cmpint(decision.stranger, ==, c->by_stranger);
}

/* A set with stranger entries but no allowed list: a stranger no entry
 * fits passes with no rule. */
static void
test_stranger_no_entry_fits(void)
{
    g_autoptr(AjarRuleSet) rules = parse_ok(
        "{\"version\": 1, \"rules\": [{\"name\": \"IRC strangers\", \"match\": [{\"protocol\": "
        "\"prpl-irc\", \"stranger\": true}], \"incoming\": {\"action\": \"hold\"}}]}");
    AjarFacts facts = im(AJAR_DIRECTION_IN, "prpl-jabber", "me", "x@elsewhere.org", TRUE);
    AjarDecision decision;

    decide_at_noon(rules, &facts, &decision);
    g_assert_cmpint(decision.rule_index, ==, -1);
    g_assert_cmpint(decision.reason, ==, AJAR_REASON_NO_RULE);
    g_assert_false(decision.stranger);
}

/* A plain IM costs no more with stranger, chat_nick and allowed entries in
 * the set: the normalizer is asked exactly as often. */
static void
test_plain_im_cost(void)
{
    g_autoptr(AjarRuleSet) plain = parse_ok(
        "{\"version\": 1, \"rules\": [{\"name\": \"Sam\", \"match\": [{\"buddy\": \"sam\"}]}]}");
    g_autoptr(AjarRuleSet) more = parse_ok(
        "{\"version\": 1, \"rules\": [{\"name\": \"Sam\", \"match\": [{\"buddy\": \"sam\"}, "
        "{\"account\": \"me\", \"stranger\": true}, {\"account\": \"me\", \"chat_nick\": "
        "\"sam\"}]}], \"settings\": {\"allowed\": [\"pat\"]}}");
    AjarFacts facts = im(AJAR_DIRECTION_IN, "prpl-jabber", "me", "someone", FALSE);
    AjarDecision decision;
    guint before, plain_calls, more_calls;

    before = normalize_calls;
    decide_at_noon(plain, &facts, &decision);
    plain_calls = normalize_calls - before;
    before = normalize_calls;
    decide_at_noon(more, &facts, &decision);
    more_calls = normalize_calls - before;
    g_assert_cmpuint(more_calls, ==, plain_calls);
    g_assert_cmpint(decision.rule_index, ==, -1);
}

/* ---- quiet hours and ask ---- */

typedef struct {
    const char *name;
    const char *buddy;
    int month, day, hour, minute; /* Berlin wall time, 2026 */
    gboolean quiet;
    AjarAction action;
    int due_day, due_hour, due_minute; /* quiet only */
} QuietCase;

static const QuietCase quiet_cases[] = {
    /* Sam: 22:00 .. 07:00, wrapping midnight, action ask */
    { "before-window", "sam@example.org", 11, 27, 21, 59, FALSE, AJAR_ACTION_ASK, 0, 0, 0 },
    { "window-start", "sam@example.org", 11, 27, 22, 0, TRUE, AJAR_ACTION_DELAY, 28, 7, 0 },
    { "before-midnight", "sam@example.org", 11, 27, 23, 59, TRUE, AJAR_ACTION_DELAY, 28, 7, 0 },
    { "after-midnight", "sam@example.org", 11, 28, 0, 0, TRUE, AJAR_ACTION_DELAY, 28, 7, 0 },
    { "before-end", "sam@example.org", 11, 28, 6, 59, TRUE, AJAR_ACTION_DELAY, 28, 7, 0 },
    { "window-end", "sam@example.org", 11, 28, 7, 0, FALSE, AJAR_ACTION_ASK, 0, 0, 0 },
    /* Kim: 13:00 .. 14:00, action pass: quiet hours still delay */
    { "pass-inside", "kim@example.org", 11, 27, 13, 30, TRUE, AJAR_ACTION_DELAY, 27, 14, 0 },
    { "pass-outside", "kim@example.org", 11, 27, 14, 0, FALSE, AJAR_ACTION_PASS, 0, 0, 0 },
    { "pass-before", "kim@example.org", 11, 27, 12, 59, FALSE, AJAR_ACTION_PASS, 0, 0, 0 },
};

static void
test_quiet(gconstpointer data)
{
    const QuietCase *c = data;
    g_autoptr(AjarRuleSet) rules = parse_ok(keys_rules);
    g_autoptr(GDateTime) now = berlin_time(2026, c->month, c->day, c->hour, c->minute);
    AjarFacts out = im(AJAR_DIRECTION_OUT, "prpl-jabber", "me", c->buddy, FALSE);
    AjarFacts in = im(AJAR_DIRECTION_IN, "prpl-jabber", "me", c->buddy, FALSE);
    const AjarRule *rule;
    AjarDecision decision;

    ajar_rules_decide(rules, &out, now, &decision);
    rule = ajar_rules_get_rule(rules, (guint)decision.rule_index);
    g_assert_cmpint(ajar_rules_in_quiet_hours(&rule->outgoing, now), ==, c->quiet);
    g_assert_cmpint(decision.quiet, ==, c->quiet);
    g_assert_cmpint(decision.action, ==, c->action);
    g_assert_cmpint(decision.reason, ==, AJAR_REASON_RULE);
    if (c->quiet) {
        g_assert_true(decision.confirm);
        g_assert_null(decision.question);
        g_assert_cmpint(decision.due, ==,
                        berlin_us(2026, 11, c->due_day, c->due_hour, c->due_minute));
    } else {
        g_assert_cmpint(decision.due, ==, 0);
        g_assert_false(decision.confirm);
    }
    /* Their messages know nothing of your quiet hours. */
    ajar_rules_decide(rules, &in, now, &decision);
    g_assert_false(decision.quiet);
    g_assert_cmpint(decision.action, ==, rule->incoming.action);
}

static void
test_ask_question(void)
{
    g_autoptr(AjarRuleSet) rules = parse_ok(keys_rules);
    AjarFacts sam = im(AJAR_DIRECTION_OUT, "prpl-jabber", "me", "sam@example.org", FALSE);
    AjarFacts lee = im(AJAR_DIRECTION_OUT, "prpl-jabber", "me", "lee@example.org", FALSE);
    g_autoptr(GDateTime) later = berlin_time(2031, 1, 1, 12, 0);
    AjarDecision decision;

    decide_at_noon(rules, &sam, &decision);
    g_assert_cmpint(decision.action, ==, AJAR_ACTION_ASK);
    g_assert_cmpstr(decision.question, ==, "Really, to Sam?");
    g_assert_false(decision.quiet);
    g_assert_cmpint(decision.due, ==, 0);
    decide_at_noon(rules, &lee, &decision);
    g_assert_cmpint(decision.action, ==, AJAR_ACTION_ASK);
    g_assert_null(decision.question); /* the plugin's default question */
    /* Inactive: passes like any rule. */
    ajar_rules_decide(rules, &lee, later, &decision);
    g_assert_cmpint(decision.action, ==, AJAR_ACTION_PASS);
    g_assert_cmpint(decision.reason, ==, AJAR_REASON_INACTIVE);
    g_assert_null(decision.question);
    /* The user's other device: never withheld, never asked. */
    sam.flags = AJAR_MESSAGE_REMOTE_SEND;
    decide_at_noon(rules, &sam, &decision);
    g_assert_cmpint(decision.action, ==, AJAR_ACTION_PASS);
}

/* The window's end across DST changes (Berlin, 2027): 01:00 .. 02:30. */
static void
test_quiet_dst(void)
{
    g_autoptr(AjarRuleSet) rules =
        parse_ok("{\"version\": 1, \"rules\": [{\"name\": \"Sam\", \"match\": [{\"buddy\": "
                 "\"sam\"}], \"outgoing\": {\"action\": \"pass\", \"quiet_hours\": {\"from\": "
                 "\"01:00\", \"until\": \"02:30\"}}}]}");
    g_autoptr(GTimeZone) tz = g_time_zone_new_identifier(BERLIN);
    AjarFacts facts = im(AJAR_DIRECTION_OUT, "prpl-irc", "me", "sam", FALSE);
    AjarDecision decision;
    struct {
        gint64 now_utc, due_utc;
    } cases[] = {
        /* 28 March: 01:30 CET; 02:30 does not exist: the gap's end, 03:00 CEST. */
        { G_GINT64_CONSTANT(1806193800), G_GINT64_CONSTANT(1806195600) },
        /* 31 October: 01:30 CEST; 02:30 comes twice: the first, 02:30 CEST. */
        { G_GINT64_CONSTANT(1824939000), G_GINT64_CONSTANT(1824942600) },
        /* 02:15 CET, in the repeated hour: its second 02:30, not a day later. */
        { G_GINT64_CONSTANT(1824945300), G_GINT64_CONSTANT(1824946200) },
    };

    g_assert_nonnull(tz);
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc(cases[i].now_utc);
        g_autoptr(GDateTime) now = g_date_time_to_timezone(utc, tz);

        ajar_rules_decide(rules, &facts, now, &decision);
        g_assert_true(decision.quiet);
        g_assert_cmpint(decision.action, ==, AJAR_ACTION_DELAY);
        g_assert_cmpint(decision.due, ==, cases[i].due_utc * G_USEC_PER_SEC);
    }
}

static void
test_in_quiet_hours_none(void)
{
    AjarDirectionRule none = { 0 };
    g_autoptr(GDateTime) now = berlin_time(2026, 11, 27, 3, 0);

    g_assert_false(ajar_rules_in_quiet_hours(&none, now));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rules/decide-keys/chat/by-address", test_chat_by_address);
    g_test_add_func("/rules/decide-keys/chat/address-before-nick", test_chat_address_before_nick);
    for (guint i = 0; i < G_N_ELEMENTS(chat_cases); i++) {
        g_autofree char *path = g_strdup_printf("/rules/decide-keys/chat/%s", chat_cases[i].name);
        g_test_add_data_func(path, &chat_cases[i], test_chat_by_nick);
    }
    g_test_add_func("/rules/decide-keys/chat/exceptions", test_chat_exceptions);
    for (guint i = 0; i < G_N_ELEMENTS(stranger_cases); i++) {
        g_autofree char *path =
            g_strdup_printf("/rules/decide-keys/stranger/%s", stranger_cases[i].name);
        g_test_add_data_func(path, &stranger_cases[i], test_stranger);
    }
    g_test_add_func("/rules/decide-keys/stranger/no-entry-fits", test_stranger_no_entry_fits);
    g_test_add_func("/rules/decide-keys/plain-im-cost", test_plain_im_cost);
    for (guint i = 0; i < G_N_ELEMENTS(quiet_cases); i++) {
        g_autofree char *path = g_strdup_printf("/rules/decide-keys/quiet/%s", quiet_cases[i].name);
        g_test_add_data_func(path, &quiet_cases[i], test_quiet);
    }
    g_test_add_func("/rules/decide-keys/quiet/dst", test_quiet_dst);
    g_test_add_func("/rules/decide-keys/quiet/none", test_in_quiet_hours_none);
    g_test_add_func("/rules/decide-keys/ask/question", test_ask_question);
    return g_test_run();
}
