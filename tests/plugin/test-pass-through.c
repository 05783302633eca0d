/* test-pass-through.c — messages from people no rule names (the quick
 * answer of ajar_rules_lookup(), remembered per account and sender) as a
 * user of the built ajar.so would notice them: shown, and never kept; and
 * the moment a rule names them (rules.json edited while the messenger
 * runs, an /ajar command, a rule for another account), kept. Names still
 * compare as the protocol's normalizer and NFKC case folding say. Last,
 * random rules, accounts and senders: every message shown or kept exactly
 * as the rules, asked afresh, say.
 *
 * The cases share one libpurple core and run in order; their paths are flat
 * (see test-harness.c). */
#include "ajar-test-util.h"

#include <string.h>

#define ME "me@example.org/Home"
#define OTHER "me@other.example"
#define NICO "nico@example.org"
#define EVE "eve@example.org"
#define KIM "kim@example.org"

/* Long enough for the file monitor and Ajar's settle delay (150 ms). */
#define SETTLE_MS 800

static PurpleAccount *
me(void)
{
    return ajar_test_account(ME);
}

static PurpleAccount *
other(void)
{
    return ajar_test_account(OTHER);
}

/* A rule holding @buddy's messages; @account NULL: any account. */
static char *
hold_rule(const char *name, const char *account, const char *buddy)
{
    return g_strdup_printf("{\"name\": \"%s\", \"match\": [{%s%s%s\"protocol\": \"" TEST_PRPL_ID
                           "\", \"buddy\": \"%s\"}], \"incoming\": {\"action\": \"hold\"}}",
                           name, account != NULL ? "\"account\": \"" : "",
                           account != NULL ? account : "", account != NULL ? "\", " : "", buddy);
}

/* rules.json with the rule objects @rules (comma-separated). */
static char *
rules_file(const char *rules)
{
    return g_strdup_printf("{\"version\": 1, \"rules\": [%s]}\n", rules);
}

/* rules.json written while Ajar runs, as the user saving an edit: waits
 * until Ajar has taken it. */
static void
edit_rules(const char *rules)
{
    g_autofree char *json = rules_file(rules);
    gint64 seq = ajar_test_last_seq();

    ajar_test_write_rules(json);
    ajar_test_wait_event(seq, AJAR_EVENT_RULES_CHANGED);
    ajar_test_run_for(SETTLE_MS);
}

/* A message from @who on @account: shown (one line with the text,
 * received-im-msg once, nothing journaled), or, @kept, withheld (nothing
 * shown, one "held" line in the journal). */
static void
receive(PurpleAccount *account, const char *who, const char *text, gboolean kept)
{
    gint64 seq = ajar_test_last_seq();
    g_autoptr(GPtrArray) lines = NULL;

    test_client_reset_counts();
    test_client_receive(account, who, text, 0, time(NULL));
    test_client_iterate(100);
    lines = test_client_take_lines();
    if (kept) {
        g_assert_cmpuint(ajar_test_count_lines_with(lines, text), ==, 0);
        g_assert_cmpuint(test_client_signal_count("received-im-msg"), ==, 0);
        g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_HELD), ==, 1);
    } else {
        g_assert_cmpuint(ajar_test_count_lines_with(lines, text), ==, 1);
        g_assert_cmpuint(test_client_signal_count("received-im-msg"), ==, 1);
        g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_UNKNOWN), ==, 0);
    }
    {
        g_autoptr(GPtrArray) opened = test_client_take_opened();
        g_autoptr(GPtrArray) received = test_client_take_received();
    }
}

static void
test_setup(void)
{
    g_autofree char *nico = hold_rule("Nico", "me@example.org", NICO);
    g_autofree char *json = rules_file(nico);

    me();
    other();
    ajar_test_reload_with_rules(json);
}

/* Names the protocol normalized for ten messages from Eve, who is in no
 * buddy list, with the window open. */
static guint
normalized_for_ten(void)
{
    guint before = test_prpl_normalize_count();

    for (guint i = 0; i < 10; i++)
        receive(me(), EVE, "one of ten", FALSE);
    return test_prpl_normalize_count() - before;
}

/* A message from someone no rule names, on an account no "stranger" entry
 * fits, costs the protocol's normalizer nothing more than libpurple's own
 * calls: Ajar neither looks their name up again nor finds out whether they
 * are a stranger (the buddy list, the account's own names, the open rooms). */
static void
test_no_normalizing(void)
{
    guint without, with;

    ajar_test_unload();
    receive(me(), EVE, "opens the window", FALSE);
    without = normalized_for_ten();
    ajar_test_load();
    ajar_test_drain();
    receive(me(), EVE, "first with Ajar: looked up once", FALSE);
    with = normalized_for_ten();
    g_test_message("protocol normalizer calls for ten messages: %u without Ajar, %u with", without,
                   with);
    g_assert_cmpuint(with, ==, without);
    test_client_close_im(me(), EVE);
    ajar_test_drain();
}

/* Eve writes, is shown (and the answer remembered); a hand edit of
 * rules.json names her: her next message is kept; an edit that takes the
 * rule away shows her again. */
static void
test_live_edit(void)
{
    g_autofree char *nico = hold_rule("Nico", "me@example.org", NICO);
    g_autofree char *eve = hold_rule("Eve", "me@example.org", EVE);
    g_autofree char *both = g_strdup_printf("%s, %s", nico, eve);

    for (guint i = 0; i < 3; i++)
        receive(me(), EVE, "before the edit", FALSE);
    receive(me(), NICO, "nico, held all along", TRUE);
    edit_rules(both);
    receive(me(), EVE, "after the edit", TRUE);
    receive(me(), "Eve@Example.org/phone", "from her phone", TRUE);
    edit_rules(nico);
    receive(me(), EVE, "the rule is gone", FALSE);
    receive(me(), NICO, "nico, still held", TRUE);
}

/* Kim, a buddy, writes and is shown; "/ajar hold" in her window makes a
 * rule: her next message is kept; "/ajar pass" lets her through again. */
static void
test_command(void)
{
    test_client_add_buddy(me(), KIM, "Kim", NULL);
    receive(me(), KIM, "hello from kim", FALSE);
    receive(me(), KIM, "hello again", FALSE);
    ajar_test_drain();
    g_assert_cmpint(test_client_command(me(), KIM, "ajar hold"), ==, PURPLE_CMD_STATUS_OK);
    test_client_iterate(100);
    {
        g_autoptr(GPtrArray) lines = test_client_take_lines();
        g_assert_cmpuint(ajar_test_count_lines_with(lines, "held for you"), ==, 1);
    }
    receive(me(), KIM, "kept now", TRUE);
    g_assert_cmpint(test_client_command(me(), KIM, "ajar pass"), ==, PURPLE_CMD_STATUS_OK);
    test_client_iterate(100);
    {
        g_autoptr(GPtrArray) lines = test_client_take_lines();
    }
    receive(me(), KIM, "through again", FALSE);
    test_client_close_im(me(), KIM);
    ajar_test_drain();
}

/* The rules name nobody on the other account: Nico is shown there (and
 * held on mine). A rule for him there keeps him there too. */
static void
test_account_gains_rule(void)
{
    g_autofree char *nico = hold_rule("Nico", "me@example.org", NICO);
    g_autofree char *there = hold_rule("Nico there", OTHER, NICO);
    g_autofree char *both = g_strdup_printf("%s, %s", nico, there);

    edit_rules(nico);
    receive(other(), NICO, "nico on the other account", FALSE);
    receive(other(), EVE, "eve on the other account", FALSE);
    receive(other(), NICO, "nico there again", FALSE);
    receive(me(), NICO, "nico on mine", TRUE);
    edit_rules(both);
    receive(other(), NICO, "nico there, now kept", TRUE);
    receive(other(), EVE, "eve there, still shown", FALSE);
    receive(me(), NICO, "nico on mine, kept", TRUE);
}

/* Names as the protocol compares them (case, resource), and, for an entry
 * naming no protocol, Unicode NFKC with case folding: a full-width name in
 * rules.json is the same person. */
static void
test_name_variants(void)
{
    const char *rules =
        "{\"name\": \"Sam\", \"match\": [{\"buddy\": \"ｓａｍ@example.org\"}], \"incoming\": "
        "{\"action\": \"hold\"}}, {\"name\": \"Lee\", \"match\": [{\"protocol\": \"" TEST_PRPL_ID
        "\", \"buddy\": \"Lee@Example.org\"}], \"incoming\": {\"action\": \"hold\"}}";

    edit_rules(rules);
    receive(me(), "sam@example.org", "sam, plain", TRUE);
    receive(me(), "SAM@Example.org/laptop", "sam, shouting from the laptop", TRUE);
    receive(other(), "Sam@example.org", "sam on the other account", TRUE);
    receive(me(), "sam@example.org.uk", "someone else", FALSE);
    receive(me(), "lee@example.org", "lee, plain", TRUE);
    receive(me(), "LEE@EXAMPLE.ORG/desk", "lee at the desk", TRUE);
    receive(me(), "lee@example.net", "another lee", FALSE);
}

/* ---- random rules, accounts and senders ---- */

/* As the plugin compares names: the in-test protocol's normalizer (case,
 * no resource: test-prpl.c) for its protocol, which has accounts; the
 * default (NFKC, case folded, no resource) for any other or none. */
static char *
plugin_like_normalize(const char *protocol, const char *name, gpointer user_data)
{
    if (g_strcmp0(protocol, TEST_PRPL_ID) == 0) {
        const char *slash = strchr(name, '/');
        return g_utf8_strdown(name, slash != NULL ? slash - name : -1);
    }
    return ajar_rules_normalize_default(protocol, name, NULL);
}

static const char *const random_buddies[] = { "ann@example.org", "Bob@Example.org",
                                              "ｃｙ@example.org", "dee@example.org",
                                              "eli@example.org" };
static const char *const random_accounts[] = { "me@example.org", "ME@example.org/Home", OTHER,
                                               NULL };
static const char *const random_protocols[] = { TEST_PRPL_ID, "prpl-elsewhere", NULL };

/* Rules named after @round: each round's file differs from the last. */
static char *
random_rules(guint round)
{
    GString *rules = g_string_new(NULL);
    guint count = (guint)g_test_rand_int_range(2, 9);

    for (guint r = 0; r < count; r++) {
        const char *account =
            random_accounts[g_test_rand_int_range(0, G_N_ELEMENTS(random_accounts))];
        const char *protocol =
            random_protocols[g_test_rand_int_range(0, G_N_ELEMENTS(random_protocols))];
        const char *buddy = random_buddies[g_test_rand_int_range(0, G_N_ELEMENTS(random_buddies))];

        g_string_append_printf(rules, "%s{\"name\": \"R%u.%u\", \"match\": [{", r ? ", " : "",
                               round, r);
        if (account != NULL)
            g_string_append_printf(rules, "\"account\": \"%s\", ", account);
        if (protocol != NULL)
            g_string_append_printf(rules, "\"protocol\": \"%s\", ", protocol);
        g_string_append_printf(rules, "\"buddy\": \"%s\"}], \"incoming\": {\"action\": \"hold\"}}",
                               buddy);
    }
    return g_string_free(rules, FALSE);
}

/* A sender from the pool, in another case or with a resource now and then.
 * Returns: (transfer full). */
static char *
random_sender(void)
{
    const char *buddy = random_buddies[g_test_rand_int_range(0, G_N_ELEMENTS(random_buddies))];

    switch (g_test_rand_int_range(0, 4)) {
    case 0: return g_utf8_strup(buddy, -1);
    case 1: return g_strconcat(buddy, "/tablet", NULL);
    default: return g_strdup(buddy);
    }
}

static void
test_random(void)
{
    for (guint round = 0; round < 4; round++) {
        g_autofree char *rules = random_rules(round);
        g_autofree char *json = rules_file(rules);
        g_autoptr(GError) error = NULL;
        g_autoptr(AjarRuleSet) expected_rules = NULL;

        g_test_message("rules: %s", rules);
        expected_rules =
            ajar_rules_parse(json, -1, "rules.json", plugin_like_normalize, NULL, &error);
        g_assert_no_error(error);
        edit_rules(rules);
        for (guint i = 0; i < 40; i++) {
            PurpleAccount *account = g_test_rand_bit() ? me() : other();
            g_autofree char *sender = random_sender();
            g_autofree char *text = g_strdup_printf("round %u message %u", round, i);
            /* Asked of a set that never answered before, by the full lookup. */
            g_autoptr(AjarRuleSet) fresh =
                ajar_rules_parse(json, -1, "rules.json", plugin_like_normalize, NULL, NULL);
            gboolean kept = ajar_rules_find(fresh, purple_account_get_username(account),
                                            TEST_PRPL_ID, sender) >= 0;

            g_test_message("%s from %s: %s", purple_account_get_username(account), sender,
                           kept ? "kept" : "shown");
            receive(account, sender, text, kept);
        }
        for (guint i = 0; i < G_N_ELEMENTS(random_buddies); i++) {
            test_client_close_im(me(), random_buddies[i]);
            test_client_close_im(other(), random_buddies[i]);
        }
        ajar_test_drain();
    }
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    g_test_add_func("/plugin/pass-through/setup", test_setup);
    g_test_add_func("/plugin/pass-through/no-normalizing", test_no_normalizing);
    g_test_add_func("/plugin/pass-through/live-edit", test_live_edit);
    g_test_add_func("/plugin/pass-through/command", test_command);
    g_test_add_func("/plugin/pass-through/account-gains-rule", test_account_gains_rule);
    g_test_add_func("/plugin/pass-through/name-variants", test_name_variants);
    g_test_add_func("/plugin/pass-through/random", test_random);
    status = g_test_run();

    test_client_quit();
    test_client_cleanup();
    return status;
}
