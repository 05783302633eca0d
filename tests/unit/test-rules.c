/* test-rules.c — rules.json: parsing, validation errors, serialization, and
 * decisions at explicit times (no sleeping, no real clock). */
#include <string.h>

#include "ajar/ajar-rules.h"

/* A stand-in for the messenger's normalizer: XMPP names lose case and
 * resource, IRC names only case; a NULL protocol is treated like XMPP. */
static guint normalize_calls;

static char *
test_normalize(const char *protocol, const char *name, gpointer user_data)
{
    char *lower = g_ascii_strdown(name, -1);
    char *slash;

    normalize_calls++;
    if (protocol == NULL || strcmp(protocol, "prpl-jabber") == 0) {
        slash = strchr(lower, '/');
        if (slash != NULL)
            *slash = '\0';
    }
    return lower;
}

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
      AJAR_RULES_ERROR_MISSING, "rules.json:1:52: rules[0].match[0]: \"buddy\" is missing" },
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
      "incoming, outgoing, pass_keywords, active" },
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
      "messages; use \"pass\", \"delay\" or \"hold\"" },
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

static AjarRuleSet *
parse_ok(const char *json)
{
    g_autoptr(GError) error = NULL;
    AjarRuleSet *rules = ajar_rules_parse(json, -1, "rules.json", test_normalize, NULL, &error);
    g_assert_no_error(error);
    g_assert_nonnull(rules);
    return rules;
}

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
    AjarFacts facts = { AJAR_DIRECTION_IN, "me", "prpl-jabber", "sam", "hi", 0 };
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
      { IN, "me@example.org", "prpl-jabber", "pat@example.org", "hi", 0 },
      NOW,
      AJAR_ACTION_PASS,
      AJAR_REASON_NO_RULE,
      NULL,
      0,
      FALSE,
      NULL },
    { "hold-exact",
      { IN, "me@example.org", "prpl-jabber", "sam@example.org", "hi", 0 },
      NOW,
      AJAR_ACTION_HOLD,
      AJAR_REASON_RULE,
      "Sam",
      0,
      FALSE,
      NULL },
    { "hold-case-and-resource",
      { IN, "Me@Example.org/Home", "prpl-jabber", "SAM@example.org/phone", "hi", 0 },
      NOW,
      AJAR_ACTION_HOLD,
      AJAR_REASON_RULE,
      "Sam",
      0,
      FALSE,
      NULL },
    { "other-account-falls-to-next-rule",
      { IN, "work@example.com", "prpl-jabber", "sam@example.org", "hi", 0 },
      NOW,
      AJAR_ACTION_ARCHIVE,
      AJAR_REASON_RULE,
      "Sam anywhere",
      0,
      FALSE,
      NULL },
    { "irc-any-account",
      { IN, "me@irc.local", "prpl-irc", "SAM", "hi", 0 },
      NOW,
      AJAR_ACTION_HOLD,
      AJAR_REASON_RULE,
      "Sam",
      0,
      FALSE,
      NULL },
    { "protocol-must-match",
      { IN, "me", "prpl-icq", "sam", "hi", 0 },
      NOW,
      AJAR_ACTION_PASS,
      AJAR_REASON_NO_RULE,
      NULL,
      0,
      FALSE,
      NULL },
    { "any-protocol-entry",
      { IN, "me", "prpl-msn", "sam@example.org", "hi", 0 },
      NOW,
      AJAR_ACTION_ARCHIVE,
      AJAR_REASON_RULE,
      "Sam anywhere",
      0,
      FALSE,
      NULL },
    { "first-match-wins-any-before-protocol",
      { IN, "me", "prpl-jabber", "alex@example.org", "hi", 0 },
      NOW,
      AJAR_ACTION_DELAY,
      AJAR_REASON_RULE,
      "Alex first",
      NOW + 3600,
      FALSE,
      NULL },
    { "keyword-case-insensitive",
      { IN, "me@example.org", "prpl-jabber", "sam@example.org", "it is an EMERGENCY!", 0 },
      NOW,
      AJAR_ACTION_PASS,
      AJAR_REASON_KEYWORD,
      "Sam",
      0,
      FALSE,
      "Emergency" },
    { "keyword-phrase-inside-text",
      { IN, "me@example.org", "prpl-jabber", "sam@example.org", "at the Hospital now", 0 },
      NOW,
      AJAR_ACTION_PASS,
      AJAR_REASON_KEYWORD,
      "Sam",
      0,
      FALSE,
      "hospital" },
    { "keyword-not-for-outgoing",
      { OUT, "me@example.org", "prpl-jabber", "sam@example.org", "emergency", 0 },
      NOW,
      AJAR_ACTION_DELAY,
      AJAR_REASON_RULE,
      "Sam",
      NOW + 600,
      TRUE,
      NULL },
    { "no-text-no-keyword",
      { IN, "me@example.org", "prpl-jabber", "sam@example.org", NULL, 0 },
      NOW,
      AJAR_ACTION_HOLD,
      AJAR_REASON_RULE,
      "Sam",
      0,
      FALSE,
      NULL },
    { "outgoing-delay-confirm",
      { OUT, "me@example.org", "prpl-jabber", "sam@example.org/phone", "miss you", 0 },
      NOW,
      AJAR_ACTION_DELAY,
      AJAR_REASON_RULE,
      "Sam",
      NOW + 600,
      TRUE,
      NULL },
    { "outgoing-hold-letter",
      { OUT, "other", "prpl-jabber", "sam@example.org", "hi", 0 },
      NOW,
      AJAR_ACTION_HOLD,
      AJAR_REASON_RULE,
      "Sam anywhere",
      0,
      FALSE,
      NULL },
    { "auto-response-never-withheld",
      { IN, "me@example.org", "prpl-jabber", "sam@example.org", "away",
        AJAR_MESSAGE_AUTO_RESPONSE },
      NOW,
      AJAR_ACTION_PASS,
      AJAR_REASON_AUTO_RESPONSE,
      "Sam",
      0,
      FALSE,
      NULL },
    { "remote-send-never-withheld",
      { OUT, "me@example.org", "prpl-jabber", "sam@example.org", "hi", AJAR_MESSAGE_REMOTE_SEND },
      NOW,
      AJAR_ACTION_PASS,
      AJAR_REASON_REMOTE_SEND,
      "Sam",
      0,
      FALSE,
      NULL },
    { "no-buddy",
      { IN, "me", "prpl-jabber", NULL, "hi", 0 },
      NOW,
      AJAR_ACTION_PASS,
      AJAR_REASON_NO_RULE,
      NULL,
      0,
      FALSE,
      NULL },
    { "before-active",
      { IN, "me", "prpl-jabber", "kim@example.org", "hi", 0 },
      G_GINT64_CONSTANT(1796083199),
      AJAR_ACTION_PASS,
      AJAR_REASON_INACTIVE,
      "Winter",
      0,
      FALSE,
      NULL },
    /* from is inclusive: 2026-12-01T00:00:00Z itself is inside; due is 07:00 the same day */
    { "active-from-inclusive",
      { IN, "me", "prpl-jabber", "kim@example.org", "hi", 0 },
      G_GINT64_CONSTANT(1796083200),
      AJAR_ACTION_DELAY,
      AJAR_REASON_RULE,
      "Winter",
      G_GINT64_CONSTANT(1796083200) + 7 * 3600,
      FALSE,
      NULL },
    /* until is exclusive */
    { "active-until-exclusive",
      { IN, "me", "prpl-jabber", "kim@example.org", "hi", 0 },
      G_GINT64_CONSTANT(1803859200),
      AJAR_ACTION_PASS,
      AJAR_REASON_INACTIVE,
      "Winter",
      0,
      FALSE,
      NULL },
    /* 23:50 UTC: the next 07:00 is tomorrow */
    { "at-across-midnight",
      { IN, "me", "prpl-jabber", "kim@example.org", "hi", 0 },
      G_GINT64_CONSTANT(1796083200) + 23 * 3600 + 50 * 60,
      AJAR_ACTION_DELAY,
      AJAR_REASON_RULE,
      "Winter",
      G_GINT64_CONSTANT(1796083200) + 31 * 3600,
      FALSE,
      NULL },
    /* exactly 07:00: "next" is strictly later, so tomorrow */
    { "at-exactly-now",
      { IN, "me", "prpl-jabber", "kim@example.org", "hi", 0 },
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
    AjarFacts facts = { IN, "me", "prpl-irc", "sam", "hi", 0 };
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
    AjarFacts xmpp = { IN, "me@example.org/Home", "prpl-jabber", "sam@example.org", "hi", 0 };
    AjarFacts irc = { IN, "me@irc.example.org", "prpl-irc", "sam", "hi", 0 };
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
        AjarFacts facts = { IN, "me@example.org", "prpl-jabber", "buddy0@example.org", "hi", 0 };
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
    return g_test_run();
}
