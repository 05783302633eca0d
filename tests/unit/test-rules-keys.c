/* test-rules-keys.c — rules.json keys of issue 12 ("stranger", "chat_nick",
 * "chat", "chats", outgoing "ask"/"question"/"quiet_hours",
 * settings.allowed): every error with its exact one-line message, the values
 * read, the byte-exact round trip, older files unchanged, and the edits the
 * plugin makes (allowed, chat nick and stranger entries). */
#include "rules-test-util.h"

typedef struct {
    const char *name;
    const char *json;
    AjarRulesError code;
    const char *message;
} BadCase;

#define R(body) "{\"version\": 1, \"rules\": [" body "]}"
#define RULE(rest) "{\"name\": \"Sam\", \"match\": [{\"buddy\": \"sam@example.org\"}]" rest "}"
#define MATCH(entry) R("{\"name\": \"Sam\", \"match\": [" entry "]}")
#define S(settings) "{\"version\": 1, \"rules\": [], \"settings\": " settings "}"

static const BadCase bad_cases[] = {
    { "match-none", MATCH("{\"protocol\": \"prpl-irc\"}"), AJAR_RULES_ERROR_MISSING,
      "rules.json:1:52: rules[0].match[0]: needs \"buddy\", \"stranger\": true or \"chat_nick\"" },
    { "match-buddy-and-stranger", MATCH("{\"buddy\": \"sam\", \"stranger\": true}"),
      AJAR_RULES_ERROR_VALUE,
      "rules.json:1:69: rules[0].match[0].stranger: give only one of \"buddy\", \"stranger\" or \"chat_nick\" in an entry" },
    { "match-nick-and-buddy", MATCH("{\"chat_nick\": \"sam\", \"buddy\": \"sam\"}"),
      AJAR_RULES_ERROR_VALUE,
      "rules.json:1:73: rules[0].match[0].buddy: give only one of \"buddy\", \"stranger\" or \"chat_nick\" in an entry" },
    { "match-stranger-false", MATCH("{\"stranger\": false}"), AJAR_RULES_ERROR_VALUE,
      "rules.json:1:65: rules[0].match[0].stranger: must be true; to match no strangers, leave the entry out" },
    { "match-stranger-string", MATCH("{\"stranger\": \"yes\"}"), AJAR_RULES_ERROR_TYPE,
      "rules.json:1:65: rules[0].match[0].stranger: must be true, not a string" },
    { "match-chat-without-nick", MATCH("{\"buddy\": \"sam\", \"chat\": \"room\"}"),
      AJAR_RULES_ERROR_VALUE,
      "rules.json:1:69: rules[0].match[0].chat: only used with \"chat_nick\"" },
    { "match-chat-empty", MATCH("{\"chat_nick\": \"sam\", \"chat\": \"\"}"), AJAR_RULES_ERROR_VALUE,
      "rules.json:1:81: rules[0].match[0].chat: must not be empty" },
    { "match-nick-number", MATCH("{\"chat_nick\": 7}"), AJAR_RULES_ERROR_TYPE,
      "rules.json:1:66: rules[0].match[0].chat_nick: must be a string, not a number" },
    { "match-nick-typo", MATCH("{\"chat_nik\": \"sam\"}"), AJAR_RULES_ERROR_UNKNOWN_KEY,
      "rules.json:1:53: rules[0].match[0].chat_nik: unknown key; did you mean \"chat_nick\"?" },
    { "match-stranger-typo", MATCH("{\"strangr\": true}"), AJAR_RULES_ERROR_UNKNOWN_KEY,
      "rules.json:1:53: rules[0].match[0].strangr: unknown key; did you mean \"stranger\"?" },
    { "chats-not-object", R(RULE(", \"chats\": \"hold\"")), AJAR_RULES_ERROR_TYPE,
      "rules.json:1:92: rules[0].chats: must be an object like {\"action\": \"hold\"}, not a string" },
    { "chats-delay", R(RULE(", \"chats\": {\"action\": \"delay\"}")), AJAR_RULES_ERROR_VALUE,
      "rules.json:1:103: rules[0].chats.action: \"delay\" is not an action for chat lines; use \"pass\", \"hold\" or \"archive\"" },
    { "chats-action-missing", R(RULE(", \"chats\": {}")), AJAR_RULES_ERROR_MISSING,
      "rules.json:1:92: rules[0].chats: \"action\" is missing" },
    { "chats-seconds", R(RULE(", \"chats\": {\"action\": \"hold\", \"seconds\": 5}")),
      AJAR_RULES_ERROR_UNKNOWN_KEY,
      "rules.json:1:111: rules[0].chats.seconds: unknown key; the keys allowed here are action" },
    { "chats-typo", R(RULE(", \"chats\": {\"acton\": \"hold\"}")), AJAR_RULES_ERROR_UNKNOWN_KEY,
      "rules.json:1:93: rules[0].chats.acton: unknown key; did you mean \"action\"?" },
    { "chats-typo-key", R(RULE(", \"chat\": {\"action\": \"hold\"}")), AJAR_RULES_ERROR_UNKNOWN_KEY,
      "rules.json:1:83: rules[0].chat: unknown key; did you mean \"chats\"?" },
    { "incoming-ask", R(RULE(", \"incoming\": {\"action\": \"ask\"}")), AJAR_RULES_ERROR_VALUE,
      "rules.json:1:106: rules[0].incoming.action: \"ask\" is not an action for their messages; use \"pass\", \"hold\", \"archive\" or \"delay\"" },
    { "question-without-ask",
      R(RULE(", \"outgoing\": {\"action\": \"hold\", \"question\": \"Sure?\"}")),
      AJAR_RULES_ERROR_VALUE,
      "rules.json:1:114: rules[0].outgoing.question: only used with \"action\": \"ask\"" },
    { "question-empty", R(RULE(", \"outgoing\": {\"action\": \"ask\", \"question\": \"  \"}")),
      AJAR_RULES_ERROR_VALUE, "rules.json:1:125: rules[0].outgoing.question: must not be empty" },
    { "question-number", R(RULE(", \"outgoing\": {\"action\": \"ask\", \"question\": 1}")),
      AJAR_RULES_ERROR_TYPE,
      "rules.json:1:125: rules[0].outgoing.question: must be a string, not a number" },
    { "question-typo", R(RULE(", \"outgoing\": {\"action\": \"ask\", \"questoin\": \"Sure?\"}")),
      AJAR_RULES_ERROR_UNKNOWN_KEY,
      "rules.json:1:113: rules[0].outgoing.questoin: unknown key; did you mean \"question\"?" },
    { "ask-seconds", R(RULE(", \"outgoing\": {\"action\": \"ask\", \"seconds\": 60}")),
      AJAR_RULES_ERROR_VALUE,
      "rules.json:1:113: rules[0].outgoing.seconds: only used with \"action\": \"delay\"" },
    { "incoming-question", R(RULE(", \"incoming\": {\"action\": \"hold\", \"question\": \"x\"}")),
      AJAR_RULES_ERROR_UNKNOWN_KEY,
      "rules.json:1:114: rules[0].incoming.question: unknown key; the keys allowed here are action, seconds, at" },
    { "quiet-not-object",
      R(RULE(", \"outgoing\": {\"action\": \"pass\", \"quiet_hours\": \"22-07\"}")),
      AJAR_RULES_ERROR_TYPE,
      "rules.json:1:129: rules[0].outgoing.quiet_hours: must be an object like {\"from\": \"22:00\", \"until\": \"07:00\"}, not a string" },
    { "quiet-from-missing",
      R(RULE(", \"outgoing\": {\"action\": \"pass\", \"quiet_hours\": {\"until\": \"07:00\"}}")),
      AJAR_RULES_ERROR_MISSING,
      "rules.json:1:129: rules[0].outgoing.quiet_hours: \"from\" is missing" },
    { "quiet-until-missing",
      R(RULE(", \"outgoing\": {\"action\": \"pass\", \"quiet_hours\": {\"from\": \"22:00\"}}")),
      AJAR_RULES_ERROR_MISSING,
      "rules.json:1:129: rules[0].outgoing.quiet_hours: \"until\" is missing" },
    { "quiet-same",
      R(RULE(
          ", \"outgoing\": {\"action\": \"pass\", \"quiet_hours\": {\"from\": \"22:00\", \"until\": \"22:00\"}}")),
      AJAR_RULES_ERROR_VALUE,
      "rules.json:1:156: rules[0].outgoing.quiet_hours.until: must differ from \"from\"" },
    { "quiet-bad-time",
      R(RULE(
          ", \"outgoing\": {\"action\": \"pass\", \"quiet_hours\": {\"from\": \"25:00\", \"until\": \"07:00\"}}")),
      AJAR_RULES_ERROR_VALUE,
      "rules.json:1:138: rules[0].outgoing.quiet_hours.from: must be a time of day as \"HH:MM\", from \"00:00\" to \"23:59\"" },
    { "quiet-typo",
      R(RULE(
          ", \"outgoing\": {\"action\": \"pass\", \"quiet_hours\": {\"from\": \"22:00\", \"untill\": \"07:00\"}}")),
      AJAR_RULES_ERROR_UNKNOWN_KEY,
      "rules.json:1:147: rules[0].outgoing.quiet_hours.untill: unknown key; did you mean \"until\"?" },
    { "quiet-key-typo", R(RULE(", \"outgoing\": {\"action\": \"pass\", \"quiet_hour\": {}}")),
      AJAR_RULES_ERROR_UNKNOWN_KEY,
      "rules.json:1:114: rules[0].outgoing.quiet_hour: unknown key; did you mean \"quiet_hours\"?" },
    { "incoming-quiet", R(RULE(", \"incoming\": {\"action\": \"pass\", \"quiet_hours\": {}}")),
      AJAR_RULES_ERROR_UNKNOWN_KEY,
      "rules.json:1:114: rules[0].incoming.quiet_hours: unknown key; the keys allowed here are action, seconds, at" },
    { "allowed-not-list", S("{\"allowed\": \"kim@example.org\"}"), AJAR_RULES_ERROR_TYPE,
      "rules.json:1:53: settings.allowed: must be a list of addresses, like [\"kim@example.org\"], not a string" },
    { "allowed-number", S("{\"allowed\": [\"kim@example.org\", 3]}"), AJAR_RULES_ERROR_TYPE,
      "rules.json:1:73: settings.allowed[1]: must be a string, not a number" },
    { "allowed-empty", S("{\"allowed\": [\"\"]}"), AJAR_RULES_ERROR_VALUE,
      "rules.json:1:54: settings.allowed[0]: must not be empty" },
    { "allowed-typo", S("{\"alowed\": []}"), AJAR_RULES_ERROR_UNKNOWN_KEY,
      "rules.json:1:42: settings.alowed: unknown key; did you mean \"allowed\"?" },
};

static void
test_bad(gconstpointer data)
{
    const BadCase *c = data;
    g_autoptr(GError) error = NULL;
    g_autoptr(AjarRuleSet) rules =
        ajar_rules_parse(c->json, -1, "rules.json", test_normalize, NULL, &error);

    g_assert_null(rules);
    g_assert_error(error, AJAR_RULES_ERROR, (gint)c->code);
    g_assert_cmpstr(error->message, ==, c->message);
    g_assert_null(strchr(error->message, '\n'));
}

/* Every new key, in the form ajar_rules_serialize() writes. */
static const char all_keys[] =
    "{\n"
    "  \"version\": 1,\n"
    "  \"rules\": [\n"
    "    {\n"
    "      \"name\": \"Sam\",\n"
    "      \"match\": [\n"
    "        { \"buddy\": \"sam@example.org\" },\n"
    "        { \"protocol\": \"prpl-irc\", \"chat_nick\": \"Sam\", \"chat\": \"#Family\" },\n"
    "        { \"chat_nick\": \"sammy\" }\n"
    "      ],\n"
    "      \"incoming\": { \"action\": \"pass\" },\n"
    "      \"outgoing\": { \"action\": \"ask\", \"question\": \"Really \\\"now\\\"?\", \"quiet_hours\": { \"from\": \"22:30\", \"until\": \"07:00\" } },\n"
    "      \"chats\": { \"action\": \"hold\" }\n"
    "    },\n"
    "    {\n"
    "      \"name\": \"New people\",\n"
    "      \"match\": [\n"
    "        { \"account\": \"me@example.org\", \"protocol\": \"prpl-jabber\", \"stranger\": true }\n"
    "      ],\n"
    "      \"incoming\": { \"action\": \"hold\" },\n"
    "      \"outgoing\": { \"action\": \"delay\", \"seconds\": 60, \"confirm\": false, \"quiet_hours\": { \"from\": \"00:00\", \"until\": \"06:00\" } },\n"
    "      \"chats\": { \"action\": \"archive\" }\n"
    "    }\n"
    "  ],\n"
    "  \"settings\": { \"notify\": \"silent\", \"allowed\": [\"kim@example.org\", \"Lee@Example.org/phone\"] }\n"
    "}\n";

static void
test_good_all_keys(void)
{
    g_autoptr(AjarRuleSet) rules = parse_ok(all_keys);
    const AjarRule *sam = ajar_rules_get_rule(rules, 0);
    const AjarRule *strangers = ajar_rules_get_rule(rules, 1);
    const AjarMatch *m;

    g_assert_cmpuint(ajar_rules_get_count(rules), ==, 2);
    m = g_ptr_array_index(sam->matches, 0);
    g_assert_cmpstr(m->buddy, ==, "sam@example.org");
    g_assert_false(m->stranger);
    g_assert_null(m->chat_nick);
    m = g_ptr_array_index(sam->matches, 1);
    g_assert_null(m->buddy);
    g_assert_cmpstr(m->protocol, ==, "prpl-irc");
    g_assert_cmpstr(m->chat_nick, ==, "Sam");
    g_assert_cmpstr(m->chat, ==, "#Family");
    m = g_ptr_array_index(sam->matches, 2);
    g_assert_cmpstr(m->chat_nick, ==, "sammy");
    g_assert_null(m->chat);
    g_assert_cmpint(sam->chats.action, ==, AJAR_ACTION_HOLD);
    g_assert_cmpint(sam->outgoing.action, ==, AJAR_ACTION_ASK);
    g_assert_cmpstr(sam->outgoing.question, ==, "Really \"now\"?");
    g_assert_true(sam->outgoing.has_quiet);
    g_assert_cmpint(sam->outgoing.quiet_from_minute, ==, 22 * 60 + 30);
    g_assert_cmpint(sam->outgoing.quiet_until_minute, ==, 7 * 60);
    g_assert_false(sam->incoming.has_quiet);

    m = g_ptr_array_index(strangers->matches, 0);
    g_assert_true(m->stranger);
    g_assert_null(m->buddy);
    g_assert_cmpstr(m->account, ==, "me@example.org");
    g_assert_cmpint(strangers->chats.action, ==, AJAR_ACTION_ARCHIVE);
    g_assert_cmpint(strangers->outgoing.action, ==, AJAR_ACTION_DELAY);
    g_assert_null(strangers->outgoing.question);
    g_assert_cmpint(strangers->outgoing.quiet_from_minute, ==, 0);
    g_assert_cmpint(strangers->outgoing.quiet_until_minute, ==, 6 * 60);

    g_assert_cmpuint(ajar_rules_get_allowed_count(rules), ==, 2);
    g_assert_cmpstr(ajar_rules_get_allowed(rules, 0), ==, "kim@example.org");
    g_assert_cmpstr(ajar_rules_get_allowed(rules, 1), ==, "Lee@Example.org/phone");
    g_assert_cmpstr(ajar_action_to_string(AJAR_ACTION_ASK), ==, "ask");
}

static void
test_good_all_keys_round_trip(void)
{
    g_autoptr(AjarRuleSet) rules = parse_ok(all_keys);
    g_autofree char *out = ajar_rules_serialize(rules);

    g_assert_cmpstr(out, ==, all_keys);
}

/* Keys in any order, defaults written out or left out: the canonical form
 * is reached in one step and then stays. */
static void
test_good_any_order(void)
{
    g_autoptr(AjarRuleSet) rules = parse_ok(
        "{\"settings\": {\"allowed\": [\"kim@example.org\", \"Lee@Example.org/phone\"], "
        "\"notify\": \"silent\"}, \"rules\": [{\"chats\": {\"action\": \"hold\"}, \"outgoing\": "
        "{\"quiet_hours\": {\"until\": \"07:00\", \"from\": \"22:30\"}, \"question\": \"Really "
        "\\\"now\\\"?\", \"action\": \"ask\"}, \"match\": [{\"buddy\": \"sam@example.org\"}, "
        "{\"chat\": \"#Family\", \"chat_nick\": \"Sam\", \"protocol\": \"prpl-irc\"}, "
        "{\"chat_nick\": \"sammy\"}], \"name\": \"Sam\"}, {\"name\": \"New people\", "
        "\"chats\": {\"action\": \"archive\"}, \"match\": [{\"stranger\": true, \"protocol\": "
        "\"prpl-jabber\", \"account\": \"me@example.org\"}], \"incoming\": {\"action\": "
        "\"hold\"}, \"outgoing\": {\"confirm\": false, \"seconds\": 60, \"action\": \"delay\", "
        "\"quiet_hours\": {\"from\": \"00:00\", \"until\": \"06:00\"}}}], \"version\": 1}");
    g_autofree char *out = ajar_rules_serialize(rules);

    g_assert_cmpstr(out, ==, all_keys);
}

/* New keys are written only when set: "chats" pass, no question, no quiet
 * hours and an empty allowed list leave the file as older Ajar wrote it. */
static const char older_file[] =
    "{\n"
    "  \"version\": 1,\n"
    "  \"rules\": [\n"
    "    {\n"
    "      \"name\": \"Sam\",\n"
    "      \"match\": [\n"
    "        { \"account\": \"me@example.org\", \"protocol\": \"prpl-jabber\", \"buddy\": "
    "\"sam@example.org\" }\n"
    "      ],\n"
    "      \"incoming\": { \"action\": \"delay\", \"at\": \"07:00\" },\n"
    "      \"outgoing\": { \"action\": \"delay\", \"seconds\": 600, \"confirm\": true },\n"
    "      \"pass_keywords\": [\"emergency\"],\n"
    "      \"active\": { \"until\": \"2027-03-01T00:00:00Z\" }\n"
    "    }\n"
    "  ],\n"
    "  \"settings\": { \"notify\": \"count\" }\n"
    "}\n";

static void
test_older_file_unchanged(void)
{
    g_autoptr(AjarRuleSet) rules = parse_ok(older_file);
    g_autoptr(AjarRuleSet) explicit_defaults = parse_ok(
        "{\"version\": 1, \"rules\": [{\"name\": \"Sam\", \"match\": [{\"buddy\": \"sam\"}], "
        "\"chats\": {\"action\": \"pass\"}}], \"settings\": {\"allowed\": []}}");
    g_autofree char *out = ajar_rules_serialize(rules);
    g_autofree char *defaults = ajar_rules_serialize(explicit_defaults);
    const AjarRule *rule = ajar_rules_get_rule(rules, 0);

    g_assert_cmpstr(out, ==, older_file);
    g_assert_cmpint(rule->chats.action, ==, AJAR_ACTION_PASS);
    g_assert_false(rule->outgoing.has_quiet);
    g_assert_null(rule->outgoing.question);
    g_assert_cmpuint(ajar_rules_get_allowed_count(rules), ==, 0);
    g_assert_cmpstr(defaults, ==,
                    "{\n  \"version\": 1,\n  \"rules\": [\n    {\n      \"name\": \"Sam\",\n"
                    "      \"match\": [\n        { \"buddy\": \"sam\" }\n      ],\n"
                    "      \"incoming\": { \"action\": \"pass\" },\n"
                    "      \"outgoing\": { \"action\": \"pass\" }\n    }\n  ],\n"
                    "  \"settings\": { \"notify\": \"count\" }\n}\n");
}

/* An ask without a question means the plugin's default question. */
static void
test_good_ask_default_question(void)
{
    g_autoptr(AjarRuleSet) rules = parse_ok(R(RULE(", \"outgoing\": {\"action\": \"ask\"}")));
    const AjarRule *rule = ajar_rules_get_rule(rules, 0);
    g_autofree char *out = ajar_rules_serialize(rules);

    g_assert_cmpint(rule->outgoing.action, ==, AJAR_ACTION_ASK);
    g_assert_null(rule->outgoing.question);
    g_assert_nonnull(strstr(out, "\"outgoing\": { \"action\": \"ask\" }"));
}

static void
test_question_longest(void)
{
    g_autofree char *longest = g_strnfill(1024, 'q');
    g_autofree char *over = g_strnfill(1025, 'q');
    g_autofree char *ok_json = g_strdup_printf(
        R(RULE(", \"outgoing\": {\"action\": \"ask\", \"question\": \"%s\"}")), longest);
    g_autofree char *bad_json = g_strdup_printf(
        R(RULE(", \"outgoing\": {\"action\": \"ask\", \"question\": \"%s\"}")), over);
    g_autoptr(AjarRuleSet) ok = parse_ok(ok_json);
    g_autoptr(GError) error = NULL;
    g_autoptr(AjarRuleSet) bad =
        ajar_rules_parse(bad_json, -1, "rules.json", test_normalize, NULL, &error);

    g_assert_cmpuint(strlen(ajar_rules_get_rule(ok, 0)->outgoing.question), ==, 1024);
    g_assert_null(bad);
    g_assert_error(error, AJAR_RULES_ERROR, AJAR_RULES_ERROR_VALUE);
    g_assert_cmpstr(error->message, ==,
                    "rules.json:1:125: rules[0].outgoing.question: is too long (1025 bytes; at "
                    "most 1024)");
}

/* ---- edits ---- */

static void
test_with_allowed(void)
{
    g_autoptr(AjarRuleSet) rules = parse_ok(all_keys);
    g_autoptr(AjarRuleSet) more = NULL;
    g_autoptr(AjarRuleSet) same = NULL;
    g_autoptr(AjarRuleSet) refused = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *text = NULL;

    g_assert_true(ajar_rules_is_allowed(rules, "prpl-jabber", "KIM@example.org/laptop"));
    g_assert_true(ajar_rules_is_allowed(rules, NULL, "lee@example.org"));
    g_assert_false(ajar_rules_is_allowed(rules, NULL, "pat@example.org"));
    g_assert_false(ajar_rules_is_allowed(rules, NULL, NULL));

    more = ajar_rules_with_allowed(rules, "pat@example.org", &error);
    g_assert_no_error(error);
    g_assert_cmpuint(ajar_rules_get_allowed_count(more), ==, 3);
    g_assert_cmpstr(ajar_rules_get_allowed(more, 2), ==, "pat@example.org");
    g_assert_true(ajar_rules_is_allowed(more, NULL, "Pat@example.org"));
    g_assert_false(ajar_rules_is_allowed(rules, NULL, "pat@example.org")); /* old set unchanged */
    /* The rules come along unchanged. */
    text = ajar_rules_serialize(more);
    g_assert_nonnull(strstr(text, "\"allowed\": [\"kim@example.org\", \"Lee@Example.org/phone\", "
                                  "\"pat@example.org\"]"));
    g_assert_cmpuint(ajar_rules_get_count(more), ==, 2);
    g_assert_cmpstr(ajar_rules_get_rule(more, 0)->outgoing.question, ==, "Really \"now\"?");

    /* Already there (in another form): nothing added. */
    same = ajar_rules_with_allowed(more, "PAT@example.org/phone", &error);
    g_assert_no_error(error);
    g_assert_cmpuint(ajar_rules_get_allowed_count(same), ==, 3);

    refused = ajar_rules_with_allowed(rules, "bad\tname", &error);
    g_assert_null(refused);
    g_assert_error(error, AJAR_RULES_ERROR, AJAR_RULES_ERROR_VALUE);
    g_assert_null(strchr(error->message, '\n'));
    g_assert_nonnull(strstr(error->message, "settings.allowed[2]: must not contain control"));
}

/* Other edits keep settings.allowed. */
static void
test_with_rule_keeps_allowed(void)
{
    g_autoptr(AjarRuleSet) rules = parse_ok(all_keys);
    g_autoptr(AjarRule) rule = ajar_rule_new("Kim");
    g_autoptr(AjarRuleSet) added = NULL;
    g_autoptr(AjarRuleSet) notified = NULL;
    g_autoptr(GError) error = NULL;

    ajar_rule_add_match(rule, NULL, NULL, "kim@example.org");
    added = ajar_rules_with_rule(rules, 2, rule, "rules.json", &error);
    g_assert_no_error(error);
    g_assert_cmpuint(ajar_rules_get_allowed_count(added), ==, 2);
    notified = ajar_rules_with_notify(added, AJAR_NOTIFY_MESSAGE, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(ajar_rules_get_allowed_count(notified), ==, 2);
    g_assert_cmpstr(ajar_rules_get_allowed(notified, 1), ==, "Lee@Example.org/phone");
}

static void
test_add_entries_and_copy(void)
{
    g_autoptr(AjarRuleSet) empty = ajar_rules_new_empty(test_normalize, NULL);
    g_autoptr(AjarRule) rule = ajar_rule_new("Sam");
    g_autoptr(AjarRule) copy = NULL;
    g_autoptr(AjarRuleSet) rules = NULL;
    g_autoptr(AjarRuleSet) again = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *text = NULL;
    g_autofree char *text_again = NULL;
    const AjarMatch *m;

    ajar_rule_add_chat_nick(rule, NULL, "prpl-irc", "Sam", "#family");
    ajar_rule_add_chat_nick(rule, "me@example.org", NULL, "sammy", NULL);
    ajar_rule_add_stranger(rule, NULL, "prpl-jabber");
    rule->chats.action = AJAR_ACTION_HOLD;
    rule->outgoing.action = AJAR_ACTION_ASK;
    rule->outgoing.question = g_strdup("Now?");
    rule->outgoing.has_quiet = TRUE;
    rule->outgoing.quiet_from_minute = 23 * 60;
    rule->outgoing.quiet_until_minute = 6 * 60 + 15;
    copy = ajar_rule_copy(rule);
    /* A deep copy: the original can go first. */
    g_clear_pointer(&rule, ajar_rule_free);
    g_assert_cmpstr(copy->outgoing.question, ==, "Now?");
    g_assert_cmpint(copy->chats.action, ==, AJAR_ACTION_HOLD);
    g_assert_true(copy->outgoing.has_quiet);
    m = g_ptr_array_index(copy->matches, 0);
    g_assert_cmpstr(m->chat_nick, ==, "Sam");
    g_assert_cmpstr(m->chat, ==, "#family");
    m = g_ptr_array_index(copy->matches, 2);
    g_assert_true(m->stranger);
    g_assert_null(m->buddy);

    rules = ajar_rules_with_rule(empty, 0, copy, "rules.json", &error);
    g_assert_no_error(error);
    text = ajar_rules_serialize(rules);
    g_assert_nonnull(strstr(
        text, "{ \"protocol\": \"prpl-irc\", \"chat_nick\": \"Sam\", \"chat\": \"#family\" }"));
    g_assert_nonnull(strstr(text, "{ \"account\": \"me@example.org\", \"chat_nick\": \"sammy\" }"));
    g_assert_nonnull(strstr(text, "{ \"protocol\": \"prpl-jabber\", \"stranger\": true }"));
    g_assert_nonnull(strstr(text,
                            "\"outgoing\": { \"action\": \"ask\", \"question\": \"Now?\", "
                            "\"quiet_hours\": { \"from\": \"23:00\", \"until\": \"06:15\" } }"));
    g_assert_nonnull(strstr(text, "\"chats\": { \"action\": \"hold\" }"));
    again = parse_ok(text);
    text_again = ajar_rules_serialize(again);
    g_assert_cmpstr(text, ==, text_again);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    for (guint i = 0; i < G_N_ELEMENTS(bad_cases); i++) {
        g_autofree char *path = g_strdup_printf("/rules/keys/bad/%s", bad_cases[i].name);
        g_test_add_data_func(path, &bad_cases[i], test_bad);
    }
    g_test_add_func("/rules/keys/bad/question-too-long", test_question_longest);
    g_test_add_func("/rules/keys/good/all-keys", test_good_all_keys);
    g_test_add_func("/rules/keys/good/ask-default-question", test_good_ask_default_question);
    g_test_add_func("/rules/keys/serialize/all-keys", test_good_all_keys_round_trip);
    g_test_add_func("/rules/keys/serialize/any-order", test_good_any_order);
    g_test_add_func("/rules/keys/serialize/older-file-unchanged", test_older_file_unchanged);
    g_test_add_func("/rules/keys/edit/with-allowed", test_with_allowed);
    g_test_add_func("/rules/keys/edit/with-rule-keeps-allowed", test_with_rule_keeps_allowed);
    g_test_add_func("/rules/keys/edit/add-entries-and-copy", test_add_entries_and_copy);
    return g_test_run();
}
