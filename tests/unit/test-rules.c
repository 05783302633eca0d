/* test-rules.c — rules.json: parsing, validation errors and serialization. */
#include "rules-test-util.h"
/* ---- bad inputs: every one names file, line, column, key path, reason ---- */

typedef struct {
    const char *name;
    const char *json;
    AjarRulesError code;
    const char *message;
} BadCase;

#define R(body) "{\"version\": 1, \"rules\": [" body "]}"
#define RULE(rest) "{\"name\": \"Sam\", \"match\": [{\"buddy\": \"sam@example.org\"}]" rest "}"

static const BadCase bad_cases[] = {
    { "empty-file", "  \n", AJAR_RULES_ERROR_SYNTAX,
      "rules.json:1:1: the file is empty; a file without rules is {\"version\": 1, \"rules\": []}" },
    { "not-json", "{\"version\": 1, \"rules\": [}", AJAR_RULES_ERROR_SYNTAX,
      "rules.json:1:26: expected a value, found '}'" },
    { "trailing-comma", "{\"version\": 1,\n \"rules\": [],\n}", AJAR_RULES_ERROR_SYNTAX,
      "rules.json:3:1: trailing comma before '}'" },
    { "duplicate-json-key",
      R(RULE(", \"incoming\": {\"action\": \"hold\"},\n\"incoming\": "
             "{\"action\": \"pass\"}")),
      AJAR_RULES_ERROR_DUPLICATE, "rules.json:2:1: key \"incoming\" appears twice" },
    { "root-is-list", "[]", AJAR_RULES_ERROR_TYPE,
      "rules.json:1:1: the file must hold one object, like {\"version\": 1, \"rules\": []}, not a "
      "list" },
    { "version-missing", "{\"rules\": []}", AJAR_RULES_ERROR_MISSING,
      "rules.json:1:1: version: \"version\" is missing" },
    { "version-2", "{\"version\": 2, \"rules\": []}", AJAR_RULES_ERROR_VERSION,
      "rules.json:1:13: version: this Ajar reads rules.json version 1 only" },
    { "version-string", "{\"version\": \"1\", \"rules\": []}", AJAR_RULES_ERROR_TYPE,
      "rules.json:1:13: version: must be the number 1, not a string" },
    { "root-typo", "{\"version\": 1, \"rulez\": []}", AJAR_RULES_ERROR_UNKNOWN_KEY,
      "rules.json:1:16: rulez: unknown key; did you mean \"rules\"?" },
    { "rules-missing", "{\"version\": 1}", AJAR_RULES_ERROR_MISSING,
      "rules.json:1:1: rules: \"rules\" is missing" },
    { "rules-not-list", "{\"version\": 1, \"rules\": {}}", AJAR_RULES_ERROR_TYPE,
      "rules.json:1:25: rules: must be a list of rules, not an object" },
    { "rule-not-object", R("\"Sam\""), AJAR_RULES_ERROR_TYPE,
      "rules.json:1:26: rules[0]: must be an object, not a string" },
    { "name-missing", R("{\"match\": [{\"buddy\": \"sam\"}]}"), AJAR_RULES_ERROR_MISSING,
      "rules.json:1:26: rules[0]: \"name\" is missing" },
    { "name-blank", R("{\"name\": \"  \", \"match\": [{\"buddy\": \"sam\"}]}"),
      AJAR_RULES_ERROR_VALUE, "rules.json:1:35: rules[0].name: must not be empty" },
    { "name-number", R("{\"name\": 7, \"match\": [{\"buddy\": \"sam\"}]}"), AJAR_RULES_ERROR_TYPE,
      "rules.json:1:35: rules[0].name: must be a string, not a number" },
    { "name-duplicate", R(RULE("") ",\n  {\"name\": \"sam\", \"match\": [{\"buddy\": \"alex\"}]}"),
      AJAR_RULES_ERROR_DUPLICATE,
      "rules.json:2:12: rules[1].name: \"sam\" is already the name of rules[0]; names must differ" },
    { "match-missing", R("{\"name\": \"Sam\"}"), AJAR_RULES_ERROR_MISSING,
      "rules.json:1:26: rules[0]: \"match\" is missing" },
    { "match-empty", R("{\"name\": \"Sam\", \"match\": []}"), AJAR_RULES_ERROR_VALUE,
      "rules.json:1:51: rules[0].match: must name at least one buddy, like [{\"buddy\": "
      "\"sam@example.org\"}]" },
    { "match-not-list", R("{\"name\": \"Sam\", \"match\": {\"buddy\": \"sam\"}}"),
      AJAR_RULES_ERROR_TYPE,
      "rules.json:1:51: rules[0].match: must be a list like [{\"buddy\": \"sam@example.org\"}], "
      "not an object" },
    { "match-item-string", R("{\"name\": \"Sam\", \"match\": [\"sam\"]}"), AJAR_RULES_ERROR_TYPE,
      "rules.json:1:52: rules[0].match[0]: must be an object like {\"buddy\": "
      "\"sam@example.org\"}, not a string" },
    { "buddy-missing", R("{\"name\": \"Sam\", \"match\": [{\"account\": \"me\"}]}"),
      AJAR_RULES_ERROR_MISSING,
      "rules.json:1:52: rules[0].match[0]: needs \"buddy\", \"stranger\": true or "
      "\"chat_nick\"" },
    { "buddy-control-char", R("{\"name\": \"Sam\", \"match\": [{\"buddy\": \"sam\\u0007\"}]}"),
      AJAR_RULES_ERROR_VALUE,
      "rules.json:1:62: rules[0].match[0].buddy: must not contain control characters (found "
      "\\u0007)" },
    { "match-typo", R("{\"name\": \"Sam\", \"match\": [{\"acount\": \"me\", \"buddy\": \"sam\"}]}"),
      AJAR_RULES_ERROR_UNKNOWN_KEY,
      "rules.json:1:53: rules[0].match[0].acount: unknown key; did you mean \"account\"?" },
    { "incoming-typo", R(RULE(", \"incomming\": {\"action\": \"hold\"}")),
      AJAR_RULES_ERROR_UNKNOWN_KEY,
      "rules.json:1:83: rules[0].incomming: unknown key; did you mean \"incoming\"?" },
    { "rule-unknown-far", R(RULE(", \"colour\": \"blue\"")), AJAR_RULES_ERROR_UNKNOWN_KEY,
      "rules.json:1:83: rules[0].colour: unknown key; the keys allowed here are name, match, "
      "incoming, outgoing, chats, pass_keywords, active" },
    { "incoming-not-object", R(RULE(", \"incoming\": \"hold\"")), AJAR_RULES_ERROR_TYPE,
      "rules.json:1:95: rules[0].incoming: must be an object like {\"action\": \"hold\"}, not a "
      "string" },
    { "incoming-action-missing", R(RULE(", \"incoming\": {}")), AJAR_RULES_ERROR_MISSING,
      "rules.json:1:95: rules[0].incoming: \"action\" is missing" },
    { "incoming-action-unknown", R(RULE(", \"incoming\": {\"action\": \"block\"}")),
      AJAR_RULES_ERROR_VALUE,
      "rules.json:1:106: rules[0].incoming.action: \"block\" is not an action for their messages; "
      "use \"pass\", \"hold\", \"archive\" or \"delay\"" },
    { "delay-without-time", R(RULE(", \"incoming\": {\"action\": \"delay\"}")),
      AJAR_RULES_ERROR_MISSING,
      "rules.json:1:95: rules[0].incoming: a delay needs \"seconds\" or \"at\"" },
    { "seconds-zero", R(RULE(", \"incoming\": {\"action\": \"delay\", \"seconds\": 0}")),
      AJAR_RULES_ERROR_VALUE,
      "rules.json:1:126: rules[0].incoming.seconds: must be a whole number of seconds from 1 to "
      "31536000" },
    { "seconds-fraction", R(RULE(", \"incoming\": {\"action\": \"delay\", \"seconds\": 1.5}")),
      AJAR_RULES_ERROR_VALUE,
      "rules.json:1:126: rules[0].incoming.seconds: must be a whole number of seconds from 1 to "
      "31536000" },
    { "seconds-too-big", R(RULE(", \"incoming\": {\"action\": \"delay\", \"seconds\": 31536001}")),
      AJAR_RULES_ERROR_VALUE,
      "rules.json:1:126: rules[0].incoming.seconds: must be a whole number of seconds from 1 to "
      "31536000" },
    { "seconds-string", R(RULE(", \"incoming\": {\"action\": \"delay\", \"seconds\": \"600\"}")),
      AJAR_RULES_ERROR_TYPE,
      "rules.json:1:126: rules[0].incoming.seconds: must be a whole number of seconds from 1 to "
      "31536000, not a string" },
    { "seconds-without-delay", R(RULE(", \"incoming\": {\"action\": \"hold\", \"seconds\": 60}")),
      AJAR_RULES_ERROR_VALUE,
      "rules.json:1:114: rules[0].incoming.seconds: only used with \"action\": \"delay\"" },
    { "seconds-and-at",
      R(RULE(", \"incoming\": {\"action\": \"delay\", \"seconds\": 60, \"at\": \"07:00\"}")),
      AJAR_RULES_ERROR_VALUE,
      "rules.json:1:130: rules[0].incoming.at: give either \"seconds\" or \"at\", not both" },
    { "at-one-digit-hour", R(RULE(", \"incoming\": {\"action\": \"delay\", \"at\": \"7:00\"}")),
      AJAR_RULES_ERROR_VALUE,
      "rules.json:1:121: rules[0].incoming.at: must be a time of day as \"HH:MM\", from \"00:00\" "
      "to \"23:59\"" },
    { "at-24", R(RULE(", \"incoming\": {\"action\": \"delay\", \"at\": \"24:00\"}")),
      AJAR_RULES_ERROR_VALUE,
      "rules.json:1:121: rules[0].incoming.at: must be a time of day as \"HH:MM\", from \"00:00\" "
      "to \"23:59\"" },
    { "outgoing-archive", R(RULE(", \"outgoing\": {\"action\": \"archive\"}")),
      AJAR_RULES_ERROR_VALUE,
      "rules.json:1:106: rules[0].outgoing.action: \"archive\" is not an action for your own "
      "messages; use \"pass\", \"delay\", \"hold\" or \"ask\"" },
    { "outgoing-at", R(RULE(", \"outgoing\": {\"action\": \"delay\", \"at\": \"07:00\"}")),
      AJAR_RULES_ERROR_UNKNOWN_KEY,
      "rules.json:1:115: rules[0].outgoing.at: your own messages can only be delayed by "
      "\"seconds\"" },
    { "outgoing-delay-without-seconds", R(RULE(", \"outgoing\": {\"action\": \"delay\"}")),
      AJAR_RULES_ERROR_MISSING, "rules.json:1:95: rules[0].outgoing: a delay needs \"seconds\"" },
    { "confirm-string",
      R(RULE(", \"outgoing\": {\"action\": \"delay\", \"seconds\": 600, \"confirm\": \"yes\"}")),
      AJAR_RULES_ERROR_TYPE,
      "rules.json:1:142: rules[0].outgoing.confirm: must be true or false, not a string" },
    { "confirm-without-delay", R(RULE(", \"outgoing\": {\"action\": \"hold\", \"confirm\": true}")),
      AJAR_RULES_ERROR_VALUE,
      "rules.json:1:114: rules[0].outgoing.confirm: only used with \"action\": \"delay\"" },
    { "keywords-string", R(RULE(", \"pass_keywords\": \"emergency\"")), AJAR_RULES_ERROR_TYPE,
      "rules.json:1:100: rules[0].pass_keywords: must be a list of words, like [\"emergency\", "
      "\"hospital\"], not a string" },
    { "keyword-empty", R(RULE(", \"pass_keywords\": [\"emergency\", \"\"]")),
      AJAR_RULES_ERROR_VALUE, "rules.json:1:114: rules[0].pass_keywords[1]: must not be empty" },
    { "active-empty", R(RULE(", \"active\": {}")), AJAR_RULES_ERROR_MISSING,
      "rules.json:1:93: rules[0].active: give \"from\", \"until\" or both" },
    { "active-no-zone", R(RULE(", \"active\": {\"from\": \"2026-11-27T00:00:00\"}")),
      AJAR_RULES_ERROR_VALUE,
      "rules.json:1:102: rules[0].active.from: must be a date and time with a time zone, like "
      "\"2026-11-27T00:00:00Z\" or \"2026-11-27T00:00:00+01:00\"" },
    { "active-until-before-from",
      R(RULE(", \"active\": {\"from\": \"2026-11-27T00:00:00Z\", \"until\": "
             "\"2026-11-26T00:00:00Z\"}")),
      AJAR_RULES_ERROR_VALUE,
      "rules.json:1:135: rules[0].active.until: must be later than \"from\"" },
    { "notify-unknown", "{\"version\": 1, \"rules\": [], \"settings\": {\"notify\": \"loud\"}}",
      AJAR_RULES_ERROR_VALUE,
      "rules.json:1:52: settings.notify: \"loud\" is not a notify mode; use \"silent\", \"count\" "
      "or \"message\"" },
    { "settings-typo", "{\"version\": 1, \"rules\": [], \"settings\": {\"notfy\": \"count\"}}",
      AJAR_RULES_ERROR_UNKNOWN_KEY,
      "rules.json:1:42: settings.notfy: unknown key; did you mean \"notify\"?" },
    { "key-with-newline", "{\"version\": 1, \"rules\": [], \"a\\nb\": 1}",
      AJAR_RULES_ERROR_UNKNOWN_KEY,
      "rules.json:1:29: a\\u000Ab: unknown key; the keys allowed here are version, rules, "
      "settings" },
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
    g_assert_null(strchr(error->message, '\n')); /* one line, always */
}

static void
test_bad_too_large(void)
{
    gsize size = AJAR_RULES_MAX_FILE_SIZE + 1;
    g_autofree char *big = g_malloc(size);
    g_autoptr(GError) error = NULL;
    g_autoptr(AjarRuleSet) rules = NULL;

    memset(big, ' ', size);
    rules = ajar_rules_parse(big, (gssize)size, "rules.json", NULL, NULL, &error);
    g_assert_null(rules);
    g_assert_error(error, AJAR_RULES_ERROR, AJAR_RULES_ERROR_SYNTAX);
    g_assert_cmpstr(error->message, ==,
                    "rules.json:1:1: the file is 16777217 bytes; a rules file may have at most "
                    "16777216");
}

/* N distinct rules, one buddy each. Returns: (transfer full). */
static char *
rules_text(guint n)
{
    GString *text = g_string_new("{\"version\": 1, \"rules\": [\n");

    for (guint i = 0; i < n; i++)
        g_string_append_printf(text,
                               "%s{\"name\": \"r%u\", \"match\": [{\"buddy\": \"b%u\"}], "
                               "\"incoming\": {\"action\": \"hold\"}}\n",
                               i > 0 ? "," : "", i, i);
    g_string_append(text, "]}\n");
    return g_string_free(text, FALSE);
}

/* At most AJAR_RULES_MAX_RULES rules: the first one over it is named. */
static void
test_bad_too_many_rules(void)
{
    g_autofree char *most = rules_text(AJAR_RULES_MAX_RULES);
    g_autofree char *over = rules_text(AJAR_RULES_MAX_RULES + 1);
    g_autoptr(GError) error = NULL;
    g_autoptr(AjarRuleSet) rules = ajar_rules_parse(most, -1, "rules.json", NULL, NULL, &error);
    g_autoptr(AjarRuleSet) refused = NULL;

    g_assert_no_error(error);
    g_assert_cmpuint(ajar_rules_get_count(rules), ==, AJAR_RULES_MAX_RULES);
    refused = ajar_rules_parse(over, -1, "rules.json", NULL, NULL, &error);
    g_assert_null(refused);
    g_assert_error(error, AJAR_RULES_ERROR, AJAR_RULES_ERROR_VALUE);
    g_assert_cmpstr(error->message, ==,
                    "rules.json:10002:2: rules: 10001 rules; a rules file may have at most 10000");
}

/* A file of many small values (here 16 MiB of "0,") is refused at the
 * value over AJAR_RULES_MAX_VALUES, before it is all read. */
static void
test_bad_too_many_values(void)
{
    g_autoptr(GString) text = g_string_new("{\"version\": 1, \"rules\": [");
    g_autoptr(GError) error = NULL;
    g_autoptr(AjarRuleSet) rules = NULL;
    g_autofree char *expected = NULL;

    while (text->len < AJAR_RULES_MAX_FILE_SIZE - 10)
        g_string_append(text, "0,");
    g_string_append(text, "0]}");
    rules = ajar_rules_parse(text->str, (gssize)text->len, "rules.json", NULL, NULL, &error);
    g_assert_null(rules);
    g_assert_error(error, AJAR_RULES_ERROR, AJAR_RULES_ERROR_SYNTAX);
    /* The root, "version" and "rules" are the first three. */
    expected = g_strdup_printf("rules.json:1:%u: the file has more than %u values",
                               (guint)strlen("{\"version\": 1, \"rules\": [") + 1 +
                                   2 * (AJAR_RULES_MAX_VALUES - 3),
                               AJAR_RULES_MAX_VALUES);
    g_assert_cmpstr(error->message, ==, expected);
}

static void
test_bad_long_buddy(void)
{
    g_autoptr(GString) json = g_string_new("{\"version\": 1, \"rules\": [{\"name\": \"Sam\", "
                                           "\"match\": [{\"buddy\": \"");
    g_autoptr(GError) error = NULL;
    g_autoptr(AjarRuleSet) rules = NULL;

    for (int i = 0; i < 1025; i++)
        g_string_append_c(json, 'x');
    g_string_append(json, "\"}]}]}");
    rules = ajar_rules_parse(json->str, -1, "my/rules.json", NULL, NULL, &error);
    g_assert_null(rules);
    g_assert_error(error, AJAR_RULES_ERROR, AJAR_RULES_ERROR_VALUE);
    g_assert_cmpstr(error->message, ==,
                    "my/rules.json:1:62: rules[0].match[0].buddy: is too long (1025 bytes; at "
                    "most 1024)");
}

/* Every prefix of a valid file is bad input too: none may crash or pass. */
static void
test_bad_every_truncation(void)
{
    static const char full[] =
        "{\"version\": 1, \"rules\": [{\"name\": \"Sam\", \"match\": [{\"buddy\": \"sam\"}], "
        "\"incoming\": {\"action\": \"delay\", \"at\": \"07:00\"}}]}";

    for (gsize len = 0; len < sizeof(full) - 1; len++) {
        g_autoptr(GError) error = NULL;
        g_autoptr(AjarRuleSet) rules = ajar_rules_parse(full, (gssize)len, "t", NULL, NULL, &error);
        g_assert_null(rules);
        g_assert_nonnull(error);
        g_assert_true(g_str_has_prefix(error->message, "t:1:"));
    }
}

/* ---- good inputs ---- */

static const char product_example[] =
    "{\n"
    "  \"version\": 1,\n"
    "  \"rules\": [\n"
    "    {\n"
    "      \"name\": \"Sam\",\n"
    "      \"match\": [\n"
    "        { \"account\": \"me@example.org\", \"protocol\": \"prpl-jabber\", \"buddy\": "
    "\"sam@example.org\" },\n"
    "        { \"protocol\": \"prpl-irc\", \"buddy\": \"sam\" }\n"
    "      ],\n"
    "      \"incoming\": { \"action\": \"hold\" },\n"
    "      \"outgoing\": { \"action\": \"delay\", \"seconds\": 600, \"confirm\": false },\n"
    "      \"pass_keywords\": [\"emergency\", \"hospital\"],\n"
    "      \"active\": { \"from\": \"2026-11-27T00:00:00Z\", \"until\": \"2027-02-27T00:00:00Z\" }\n"
    "    }\n"
    "  ],\n"
    "  \"settings\": { \"notify\": \"count\" }\n"
    "}\n";

static void
test_good_product_example(void)
{
    g_autoptr(AjarRuleSet) rules = parse_ok(product_example);
    const AjarRule *rule;
    const AjarMatch *match;

    g_assert_cmpuint(ajar_rules_get_count(rules), ==, 1);
    g_assert_cmpint(ajar_rules_get_notify(rules), ==, AJAR_NOTIFY_COUNT);
    rule = ajar_rules_get_rule(rules, 0);
    g_assert_cmpstr(rule->name, ==, "Sam");
    g_assert_cmpuint(rule->matches->len, ==, 2);
    match = g_ptr_array_index(rule->matches, 0);
    g_assert_cmpstr(match->account, ==, "me@example.org");
    g_assert_cmpstr(match->protocol, ==, "prpl-jabber");
    g_assert_cmpstr(match->buddy, ==, "sam@example.org");
    match = g_ptr_array_index(rule->matches, 1);
    g_assert_null(match->account);
    g_assert_cmpstr(match->protocol, ==, "prpl-irc");
    g_assert_cmpint(rule->incoming.action, ==, AJAR_ACTION_HOLD);
    g_assert_cmpint(rule->outgoing.action, ==, AJAR_ACTION_DELAY);
    g_assert_cmpint(rule->outgoing.delay_kind, ==, AJAR_DELAY_SECONDS);
    g_assert_cmpint(rule->outgoing.seconds, ==, 600);
    g_assert_false(rule->outgoing.confirm);
    g_assert_cmpuint(rule->pass_keywords->len, ==, 2);
    g_assert_true(rule->has_active_from && rule->has_active_until);
    g_assert_cmpint(rule->active_from, ==, G_GINT64_CONSTANT(1795737600) * G_USEC_PER_SEC);
}

static void
test_good_round_trip_product_example(void)
{
    g_autoptr(AjarRuleSet) rules = parse_ok(product_example);
    g_autofree char *out = ajar_rules_serialize(rules);

    /* The contract's own example is already in our canonical form. */
    g_assert_cmpstr(out, ==, product_example);
}

static const char *const round_trip_inputs[] = {
    "{\"version\":1,\"rules\":[]}",
    "{\"version\": 1, \"rules\": [], \"settings\": {\"notify\": \"silent\"}}",
    "\xEF\xBB\xBF{\"rules\": [{\"match\": [{\"buddy\": \"Zoë\"}], \"name\": \"Zoë \\\"Z\\\"\","
    " \"incoming\": {\"at\": \"07:30\", \"action\": \"delay\"},"
    " \"outgoing\": {\"action\": \"hold\"}, \"active\": {\"until\": \"2027-01-01T00:00:00+01:00\"}}],"
    " \"version\": 1, \"settings\": {\"notify\": \"message\"}}",
    "{\"version\": 1, \"rules\": [{\"name\": \"a\", \"match\": [{\"buddy\": \"x\"}], "
    "\"incoming\": {\"action\": \"archive\"}}, {\"name\": \"b\", \"match\": [{\"buddy\": \"y\", "
    "\"account\": \"me\"}], \"outgoing\": {\"action\": \"delay\", \"seconds\": 1, \"confirm\": "
    "true}, \"pass_keywords\": []}]}",
};

static void
test_good_round_trip(gconstpointer data)
{
    g_autoptr(AjarRuleSet) first = parse_ok(data);
    g_autofree char *once = ajar_rules_serialize(first);
    g_autoptr(AjarRuleSet) second = parse_ok(once);
    g_autofree char *twice = ajar_rules_serialize(second);

    g_assert_cmpstr(once, ==, twice);
    g_assert_cmpuint(ajar_rules_get_count(first), ==, ajar_rules_get_count(second));
    g_assert_cmpint(ajar_rules_get_notify(first), ==, ajar_rules_get_notify(second));
}

static void
test_good_defaults(void)
{
    g_autoptr(AjarRuleSet) rules =
        parse_ok("{\"version\": 1, \"rules\": [{\"name\": \"Sam\", \"match\": [{\"buddy\": "
                 "\"sam\"}]}]}");
    const AjarRule *rule = ajar_rules_get_rule(rules, 0);
    g_autofree char *out = ajar_rules_serialize(rules);

    g_assert_cmpint(rule->incoming.action, ==, AJAR_ACTION_PASS);
    g_assert_cmpint(rule->outgoing.action, ==, AJAR_ACTION_PASS);
    g_assert_cmpint(ajar_rules_get_notify(rules), ==, AJAR_NOTIFY_COUNT);
    g_assert_cmpstr(out, ==,
                    "{\n  \"version\": 1,\n  \"rules\": [\n    {\n      \"name\": \"Sam\",\n"
                    "      \"match\": [\n        { \"buddy\": \"sam\" }\n      ],\n"
                    "      \"incoming\": { \"action\": \"pass\" },\n"
                    "      \"outgoing\": { \"action\": \"pass\" }\n    }\n  ],\n"
                    "  \"settings\": { \"notify\": \"count\" }\n}\n");
}

static void
test_good_empty_set(void)
{
    g_autoptr(AjarRuleSet) rules = ajar_rules_new_empty(NULL, NULL);
    g_autofree char *out = ajar_rules_serialize(rules);
    g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc(1795737600);
    AjarFacts facts = { AJAR_DIRECTION_IN, "me", "prpl-jabber", "sam", "hi", 0, FALSE, NULL, NULL };
    AjarDecision decision;

    g_assert_cmpstr(out, ==,
                    "{\n  \"version\": 1,\n  \"rules\": [],\n  \"settings\": { \"notify\": "
                    "\"count\" }\n}\n");
    ajar_rules_decide(rules, &facts, now, &decision);
    g_assert_cmpint(decision.action, ==, AJAR_ACTION_PASS);
    g_assert_cmpint(decision.reason, ==, AJAR_REASON_NO_RULE);
}

static void
test_default_normalizer(void)
{
    g_autofree char *a = ajar_rules_normalize_default(NULL, "Sam@Example.ORG/Phone", NULL);
    g_autofree char *b = ajar_rules_normalize_default("prpl-irc", "ＳＡＭ", NULL);
    g_autofree char *c = ajar_rules_normalize_default(NULL, "bad\xff", NULL);

    g_assert_cmpstr(a, ==, "sam@example.org");
    g_assert_cmpstr(b, ==, "sam"); /* full-width letters fold too (NFKC) */
    g_assert_true(g_utf8_validate(c, -1, NULL));
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
    for (gsize i = 0; i < G_N_ELEMENTS(bad_cases); i++) {
        g_autofree char *path = g_strdup_printf("/rules/parse/bad/%s", bad_cases[i].name);
        g_test_add_data_func(path, &bad_cases[i], test_bad);
    }
    g_test_add_func("/rules/parse/bad/too-large", test_bad_too_large);
    g_test_add_func("/rules/parse/bad/long-buddy", test_bad_long_buddy);
    g_test_add_func("/rules/parse/bad/too-many-rules", test_bad_too_many_rules);
    g_test_add_func("/rules/parse/bad/too-many-values", test_bad_too_many_values);
    g_test_add_func("/rules/parse/bad/every-truncation", test_bad_every_truncation);
    g_test_add_func("/rules/parse/good/product-example", test_good_product_example);
    g_test_add_func("/rules/parse/good/defaults", test_good_defaults);
    g_test_add_func("/rules/parse/good/empty-set", test_good_empty_set);
    g_test_add_func("/rules/serialize/product-example", test_good_round_trip_product_example);
    for (gsize i = 0; i < G_N_ELEMENTS(round_trip_inputs); i++) {
        g_autofree char *path = g_strdup_printf("/rules/serialize/round-trip/%" G_GSIZE_FORMAT, i);
        g_test_add_data_func(path, round_trip_inputs[i], test_good_round_trip);
    }
    g_test_add_func("/rules/normalize/default", test_default_normalizer);
    return g_test_run();
}
