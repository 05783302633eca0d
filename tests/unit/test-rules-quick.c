/* test-rules-quick.c — the answer every message asks first
 * (ajar_rules_lookup(), rules/ajar-rules-quick.c): the same as the full
 * lookup for random sets, accounts and senders, asked again and again;
 * an account no entry can match never has a sender's name normalized;
 * names still compared as the normalizer says (case, resource, NFKC);
 * "stranger" entries per account; a new set (an edit) answers anew. */
#include "rules-test-util.h"

#include "../../rules/ajar-rules-private.h"

/* ---- the full lookup against the remembered one, at random ---- */

static const char *const protocols[] = { "prpl-jabber", "prpl-irc", "prpl-icq", NULL };
static const char *const accounts[] = { "me@example.org/Home", "ME@example.org", "me@work.example",
                                        "nick", NULL };
/* Names some entries have; queries use them and variants of them. */
static const char *const buddies[] = {
    "sam@example.org",
    "Kim@Example.org",
    "alex",
    "Pat/phone",
    "ｓａｍ@example.org",
    "straße@example.org",
    "lee",
    "a",
    "bo",
    "abcdefgh",
};

static const char *
pick(const char *const *list, gsize count)
{
    return list[g_test_rand_int_range(0, (gint32)count)];
}

#define PICK(list) pick(list, G_N_ELEMENTS(list))

/* @name, or a variant of it the normalizers may or may not fold: another
 * case, a resource, a full-width letter, a name nobody has. Transfer full. */
static char *
variant(const char *name)
{
    switch (g_test_rand_int_range(0, 7)) {
    case 0: return g_ascii_strup(name, -1);
    case 1: return g_strconcat(name, "/phone", NULL);
    case 2: return g_strconcat("ｓ", name, NULL);
    case 3: return g_strdup_printf("nobody%d@example.org", g_test_rand_int_range(0, 500));
    case 4: return g_strdup("");
    default: return g_strdup(name);
    }
}

/* A rules.json of 1 to 12 rules with buddy entries (some naming an account
 * or a protocol), now and then a "stranger" or "chat_nick" entry. */
static char *
random_rules(void)
{
    GString *json = g_string_new("{\"version\": 1, \"rules\": [");
    guint count = (guint)g_test_rand_int_range(1, 13);

    for (guint r = 0; r < count; r++) {
        guint entries = (guint)g_test_rand_int_range(1, 4);

        g_string_append_printf(json, "%s{\"name\": \"Rule %u\", \"match\": [", r ? ", " : "", r);
        for (guint e = 0; e < entries; e++) {
            const char *account = g_test_rand_bit() ? PICK(accounts) : NULL;
            const char *protocol = g_test_rand_bit() ? PICK(protocols) : NULL;
            int kind = g_test_rand_int_range(0, 10);

            g_string_append(json, e ? ", {" : "{");
            if (account != NULL)
                g_string_append_printf(json, "\"account\": \"%s\", ", account);
            if (protocol != NULL)
                g_string_append_printf(json, "\"protocol\": \"%s\", ", protocol);
            if (kind == 0)
                g_string_append(json, "\"stranger\": true}");
            else if (kind == 1)
                g_string_append_printf(json, "\"chat_nick\": \"%s\"}", PICK(buddies));
            else
                g_string_append_printf(json, "\"buddy\": \"%s\"}", PICK(buddies));
        }
        g_string_append(json, "], \"incoming\": {\"action\": \"hold\"}}");
    }
    g_string_append(json, "]}");
    return g_string_free(json, FALSE);
}

static AjarRuleSet *
parse_with(const char *json, AjarNormalizeFunc normalize)
{
    g_autoptr(GError) error = NULL;
    AjarRuleSet *rules = ajar_rules_parse(json, -1, "rules.json", normalize, NULL, &error);

    g_assert_no_error(error);
    return rules;
}

static void
assert_same_decision(const AjarDecision *a, const AjarDecision *b)
{
    g_assert_cmpint(a->action, ==, b->action);
    g_assert_cmpint(a->reason, ==, b->reason);
    g_assert_cmpint(a->rule_index, ==, b->rule_index);
    g_assert_cmpint(a->stranger, ==, b->stranger);
}

/* One random set, asked many times: each answer as the full lookup gives
 * it, the stranger flag as the stranger entries say, and each decision as
 * a set of the same rules asked for the first time gives it. */
static void
check_one_set(AjarNormalizeFunc normalize)
{
    g_autofree char *json = random_rules();
    g_autoptr(AjarRuleSet) rules = parse_with(json, normalize);
    g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc(1795000000);

    for (guint q = 0; q < 150; q++) {
        g_autofree char *buddy = variant(PICK(buddies));
        AjarFacts facts = {
            AJAR_DIRECTION_IN, PICK(accounts), PICK(protocols), buddy, "hi", 0, FALSE, NULL, NULL
        };
        g_autoptr(AjarRuleSet) fresh = NULL;
        gboolean strangers = TRUE;
        int slow = ajar_rules_find_index_uncached(rules, &facts);
        int quick = ajar_rules_lookup(rules, facts.account, facts.protocol, buddy, &strangers);
        AjarDecision warm, cold, as_stranger;

        if (quick != slow)
            g_test_message("%s\naccount %s, protocol %s, buddy %s", json, facts.account,
                           facts.protocol, buddy);
        g_assert_cmpint(quick, ==, slow);
        g_assert_cmpint(strangers, ==, ajar_rules_find_stranger(rules, &facts) >= 0);
        g_assert_cmpint(ajar_rules_find(rules, facts.account, facts.protocol, buddy), ==, slow);
        g_assert_cmpint(ajar_rules_lookup(rules, facts.account, facts.protocol, NULL, NULL), ==,
                        -1);

        /* Whole decisions, both directions, a stranger or not; now and
         * then against a set of the same rules asked for the first time. */
        facts.direction = g_test_rand_bit() ? AJAR_DIRECTION_IN : AJAR_DIRECTION_OUT;
        facts.stranger = g_test_rand_bit();
        ajar_rules_decide(rules, &facts, now, &warm);
        if (q % 10 == 0) {
            fresh = parse_with(json, normalize);
            ajar_rules_decide(fresh, &facts, now, &cold);
            assert_same_decision(&warm, &cold);
        }
        /* Where no stranger entry fits, whether the sender is a stranger
         * changes nothing the plugin acts on: it need not find out. */
        if (!strangers && facts.direction == AJAR_DIRECTION_IN) {
            facts.stranger = !facts.stranger;
            ajar_rules_decide(rules, &facts, now, &as_stranger);
            g_assert_cmpint(as_stranger.action, ==, warm.action);
            g_assert_cmpint(as_stranger.rule_index, ==, warm.rule_index);
            g_assert_cmpint(as_stranger.stranger, ==, warm.stranger);
        }
    }
}

static void
test_property(void)
{
    for (guint i = 0; i < 20; i++) {
        check_one_set(test_normalize);
        check_one_set(NULL); /* NFKC, case folding, "/resource" cut */
    }
}

/* ---- an account no entry can match ---- */

static const char ten_rules_one_account[] =
    "{\"version\": 1, \"rules\": ["
    "{\"name\": \"P0\", \"match\": [{\"account\": \"me@example.org\", \"protocol\": "
    "\"prpl-jabber\", \"buddy\": \"p0@example.org\"}], \"incoming\": {\"action\": \"hold\"}},"
    "{\"name\": \"P1\", \"match\": [{\"account\": \"me@example.org\", \"protocol\": "
    "\"prpl-jabber\", \"buddy\": \"p1@example.org\"}], \"incoming\": {\"action\": \"hold\"}}"
    "]}";

/* Messages on an account no rule can match: no sender's name goes through
 * the normalizer (which can be slow: XMPP's is stringprep), not even the
 * first time; the account's own name at most once. */
static void
test_account_without_entries(void)
{
    g_autoptr(AjarRuleSet) rules = parse_ok(ten_rules_one_account);
    guint before = normalize_calls;

    for (guint i = 0; i < 200; i++) {
        g_autofree char *sender = g_strdup_printf("sender%u@example.org", i % 100);
        gboolean strangers = TRUE;

        g_assert_cmpint(
            ajar_rules_lookup(rules, "other@example.org", "prpl-jabber", sender, &strangers), ==,
            -1);
        g_assert_false(strangers);
        /* p0 is someone's, but not on this account. */
        g_assert_cmpint(
            ajar_rules_lookup(rules, "other@example.org", "prpl-jabber", "p0@example.org", NULL),
            ==, -1);
    }
    g_assert_cmpuint(normalize_calls - before, <=, 1);
    /* The account the rules are about still finds them, in any case. */
    g_assert_cmpint(ajar_rules_find(rules, "me@example.org", "prpl-jabber", "P1@example.org/x"), ==,
                    1);
    g_assert_cmpint(ajar_rules_find(rules, "ME@example.org", "prpl-jabber", "p0@example.org"), ==,
                    0);
    g_assert_cmpint(ajar_rules_find(rules, "me@example.org", "prpl-irc", "p0@example.org"), ==, -1);
}

/* A sender seen before costs no normalizer call, named or not. */
static void
test_seen_sender_no_normalizer(void)
{
    g_autoptr(AjarRuleSet) rules = parse_ok(ten_rules_one_account);
    guint before;

    for (guint round = 0; round < 2; round++) {
        before = normalize_calls;
        for (guint i = 0; i < 50; i++) {
            g_autofree char *sender = g_strdup_printf("sender%u@example.org", i);
            g_assert_cmpint(ajar_rules_lookup(rules, "me@example.org", "prpl-jabber", sender, NULL),
                            ==, -1);
            g_assert_cmpint(
                ajar_rules_lookup(rules, "me@example.org", "prpl-jabber", "P0@example.org", NULL),
                ==, 0);
        }
        if (round == 1)
            g_assert_cmpuint(normalize_calls - before, ==, 0);
    }
}

/* An account that gains a rule: the new set (what an edit, a reload or an
 * /ajar command makes) answers for it; the old one still does not. */
static void
test_account_gains_rule(void)
{
    g_autoptr(AjarRuleSet) rules = parse_ok(ten_rules_one_account);
    g_autoptr(AjarRule) sam = ajar_rule_new("Sam");
    g_autoptr(AjarRuleSet) changed = NULL;
    g_autoptr(AjarRuleSet) removed = NULL;
    g_autoptr(GError) error = NULL;

    /* Asked first, so that the old set remembers "nobody". */
    g_assert_cmpint(
        ajar_rules_lookup(rules, "other@example.org", "prpl-jabber", "sam@example.org", NULL), ==,
        -1);
    g_assert_cmpint(
        ajar_rules_lookup(rules, "me@example.org", "prpl-jabber", "sam@example.org", NULL), ==, -1);
    ajar_rule_add_match(sam, "other@example.org", "prpl-jabber", "sam@example.org");
    sam->incoming.action = AJAR_ACTION_HOLD;
    changed = ajar_rules_with_rule(rules, ajar_rules_get_count(rules), sam, "rules.json", &error);
    g_assert_no_error(error);
    g_assert_cmpint(ajar_rules_lookup(changed, "other@example.org", "prpl-jabber",
                                      "Sam@example.org/phone", NULL),
                    ==, 2);
    g_assert_cmpint(
        ajar_rules_lookup(changed, "me@example.org", "prpl-jabber", "sam@example.org", NULL), ==,
        -1);
    g_assert_cmpint(
        ajar_rules_lookup(rules, "other@example.org", "prpl-jabber", "sam@example.org", NULL), ==,
        -1);
    /* And loses it again. */
    removed = ajar_rules_with_rule(changed, 2, NULL, "rules.json", &error);
    g_assert_no_error(error);
    g_assert_cmpint(
        ajar_rules_lookup(removed, "other@example.org", "prpl-jabber", "sam@example.org", NULL), ==,
        -1);
}

/* ---- names as the normalizer compares them ---- */

typedef struct {
    const char *name;
    AjarNormalizeFunc normalize;
    const char *protocol;
    const char *buddy;
    int rule;
} VariantCase;

static const char variant_rules[] =
    "{\"version\": 1, \"rules\": ["
    "{\"name\": \"Sam\", \"match\": [{\"buddy\": \"Sam@Example.org\"}]},"
    "{\"name\": \"Irc\", \"match\": [{\"protocol\": \"prpl-irc\", \"buddy\": \"Nick\"}]},"
    "{\"name\": \"Strasse\", \"match\": [{\"buddy\": \"STRASSE@example.org\"}]}"
    "]}";

static const VariantCase variant_cases[] = {
    { "default/as-written", NULL, "prpl-jabber", "Sam@Example.org", 0 },
    { "default/case", NULL, "prpl-jabber", "SAM@EXAMPLE.ORG", 0 },
    { "default/resource", NULL, "prpl-jabber", "sam@example.org/phone", 0 },
    { "default/nfkc-fullwidth", NULL, "prpl-jabber", "ｓａｍ@example.org", 0 },
    { "default/casefold-sharp-s", NULL, "prpl-xmpp", "straße@example.org", 2 },
    { "default/other", NULL, "prpl-jabber", "sam@example.org.", -1 },
    { "default/prefix", NULL, "prpl-jabber", "sam@example.or", -1 },
    { "test/case", test_normalize, "prpl-jabber", "SAM@example.org", 0 },
    { "test/resource", test_normalize, "prpl-jabber", "sam@example.org/x", 0 },
    { "test/irc-case", test_normalize, "prpl-irc", "NICK", 1 },
    { "test/irc-keeps-slash", test_normalize, "prpl-irc", "nick/x", -1 },
    { "test/irc-entry-other-protocol", test_normalize, "prpl-jabber", "nick", -1 },
    { "test/no-nfkc", test_normalize, "prpl-jabber", "ｓａｍ@example.org", -1 },
};

static void
test_variant(gconstpointer data)
{
    const VariantCase *c = data;
    g_autoptr(AjarRuleSet) rules = parse_with(variant_rules, c->normalize);

    /* Twice: worked out, then remembered. */
    for (guint i = 0; i < 2; i++) {
        g_assert_cmpint(ajar_rules_lookup(rules, "me", c->protocol, c->buddy, NULL), ==, c->rule);
        g_assert_cmpint(ajar_rules_find(rules, "me", c->protocol, c->buddy), ==, c->rule);
    }
}

/* ---- strangers per account ---- */

static void
test_strangers_per_account(void)
{
    g_autoptr(AjarRuleSet) rules = parse_ok(
        "{\"version\": 1, \"rules\": [{\"name\": \"Work strangers\", \"match\": [{\"account\": "
        "\"me@work.example\", \"protocol\": \"prpl-jabber\", \"stranger\": true}], \"incoming\": "
        "{\"action\": \"archive\"}}]}");
    gboolean strangers = FALSE;

    g_assert_cmpint(
        ajar_rules_lookup(rules, "ME@work.example/Desk", "prpl-jabber", "x@y.org", &strangers), ==,
        -1);
    g_assert_true(strangers);
    g_assert_cmpint(
        ajar_rules_lookup(rules, "me@home.example", "prpl-jabber", "x@y.org", &strangers), ==, -1);
    g_assert_false(strangers);
    g_assert_cmpint(ajar_rules_lookup(rules, "me@work.example", "prpl-irc", "x", &strangers), ==,
                    -1);
    g_assert_false(strangers);
    /* Back to the first account: remembered, the same. */
    g_assert_cmpint(ajar_rules_lookup(rules, "me@work.example", "prpl-jabber", NULL, &strangers),
                    ==, -1);
    g_assert_true(strangers);
}

/* No entry at all: nothing to say, about anyone. */
static void
test_empty_set(void)
{
    g_autoptr(AjarRuleSet) rules = ajar_rules_new_empty(test_normalize, NULL);
    gboolean strangers = TRUE;
    guint before = normalize_calls;

    g_assert_cmpint(ajar_rules_lookup(rules, "me", "prpl-jabber", "sam", &strangers), ==, -1);
    g_assert_false(strangers);
    g_assert_cmpuint(normalize_calls, ==, before);
}

/* ---- the table itself ---- */

/* More senders than a table keeps (it starts afresh), many accounts: every
 * answer still right. Names of every length from 0 to 40 bytes, each in a
 * block of exactly its size: the hash and the compare read no byte past a
 * name (AddressSanitizer and valgrind would say). */
static void
test_many_senders(void)
{
    g_autoptr(AjarRuleSet) rules = parse_ok(
        "{\"version\": 1, \"rules\": [{\"name\": \"Sam\", \"match\": [{\"buddy\": "
        "\"sam@example.org\"}]}, {\"name\": \"Short\", \"match\": [{\"buddy\": \"ab\"}]}]}");

    for (guint i = 0; i < 9000; i++) {
        g_autofree char *sender = g_strdup_printf("s%u@example.org", i);
        g_autofree char *account = g_strdup_printf("me%u", i % 70);

        g_assert_cmpint(ajar_rules_lookup(rules, account, "prpl-jabber", sender, NULL), ==, -1);
        g_assert_cmpint(ajar_rules_lookup(rules, account, "prpl-jabber", "SAM@example.org", NULL),
                        ==, 0);
    }
    for (gsize len = 0; len <= 40; len++) {
        for (guint round = 0; round < 2; round++) {
            char *name = g_malloc(len + 1);

            memset(name, 'a', len);
            name[len] = '\0';
            if (len == 2)
                name[1] = 'b';
            g_assert_cmpint(ajar_rules_lookup(rules, "me", "prpl-jabber", name, NULL), ==,
                            len == 2 ? 1 : -1);
            g_free(name);
        }
    }
}

/* Names that differ in one byte anywhere, of one length, hash apart. */
static void
test_hash_one_byte(void)
{
    for (gsize len = 1; len <= 24; len++) {
        g_autofree char *name = g_strnfill(len, 'x');
        guint64 first = ajar_rules_quick_hash(7, name, len);

        for (gsize at = 0; at < len; at++) {
            name[at] = 'y';
            g_assert_cmpuint(ajar_rules_quick_hash(7, name, len), !=, first);
            name[at] = 'x';
        }
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
    g_test_add_func("/rules/quick/same-as-full-lookup", test_property);
    g_test_add_func("/rules/quick/account-without-entries", test_account_without_entries);
    g_test_add_func("/rules/quick/seen-sender-no-normalizer", test_seen_sender_no_normalizer);
    g_test_add_func("/rules/quick/account-gains-rule", test_account_gains_rule);
    for (gsize i = 0; i < G_N_ELEMENTS(variant_cases); i++) {
        g_autofree char *path = g_strdup_printf("/rules/quick/variant/%s", variant_cases[i].name);
        g_test_add_data_func(path, &variant_cases[i], test_variant);
    }
    g_test_add_func("/rules/quick/strangers-per-account", test_strangers_per_account);
    g_test_add_func("/rules/quick/empty-set", test_empty_set);
    g_test_add_func("/rules/quick/many-senders", test_many_senders);
    g_test_add_func("/rules/quick/hash-one-byte", test_hash_one_byte);
    return g_test_run();
}
