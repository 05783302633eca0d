/* test-menu.c — "Ajar ▸ …" in the buddy list, on a person with a buddy on
 * each of two accounts (one Pidgin contact), as a user of the built ajar.so
 * would use it: the menu is built by emitting "blist-node-extended-menu" as
 * Pidgin does, and an item is chosen by calling its callback with the node.
 *
 * The cases share one libpurple core and run in order, with flat paths (see
 * test-harness.c). */
#include "ajar-test-util.h"

#include <core.h>

#define ME "me@example.org/Home"
#define ME2 "me2@example.net"

static PurpleAccount *
me(void)
{
    return ajar_test_account(ME);
}

/* Ajar off, rules.json with @rules (rule objects, comma-separated), Ajar on. */
static void
use_rules(const char *notify, const char *rules)
{
    g_autofree char *json = g_strdup_printf(
        "{\"version\": 1, \"rules\": [%s], \"settings\": {\"notify\": \"%s\"}}\n", rules, notify);

    me();
    ajar_test_reload_with_rules(json);
}

static PurpleContact *robin; /* one person, a buddy on each account */

static void
test_contact_menu(void)
{
    PurpleAccount *other = ajar_test_account(ME2);
    PurpleBuddy *buddy = test_client_add_buddy(me(), "robin@example.org", "Robin", NULL);
    PurpleContact *contact = purple_buddy_get_contact(buddy);
    g_autoptr(AjarRuleSet) rules = NULL;
    const AjarRule *rule;
    gint64 seq;

    test_client_add_buddy(other, "robin@example.net", NULL, contact);
    /* What the buddy list shows for the person (else the priority buddy's name). */
    purple_blist_alias_contact(contact, "Robin");
    robin = contact;
    use_rules("count", "");
    seq = ajar_test_last_seq();

    /* "Ajar ▸ Hold their messages" on the person, not one of their buddies. */
    g_assert_true(ajar_test_blist_menu(PURPLE_BLIST_NODE(contact), "Ajar", "Hold their messages"));
    rules = ajar_test_parse_rules();
    g_assert_cmpuint(ajar_rules_get_count(rules), ==, 1);
    rule = ajar_rules_get_rule(rules, 0);
    g_assert_cmpstr(rule->name, ==, "Robin");
    g_assert_cmpint(rule->incoming.action, ==, AJAR_ACTION_HOLD);
    g_assert_cmpuint(rule->matches->len, ==, 2);
    for (guint i = 0; i < 2; i++) {
        const AjarMatch *match = g_ptr_array_index(rule->matches, i);
        gboolean first = g_strcmp0(match->buddy, "robin@example.org") == 0;

        g_assert_cmpstr(match->buddy, ==, first ? "robin@example.org" : "robin@example.net");
        g_assert_cmpstr(match->account, ==, first ? ME : ME2);
        g_assert_cmpstr(match->protocol, ==, TEST_PRPL_ID);
    }
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_RULES_CHANGED), ==, 1);

    /* Both of their accounts are held now. */
    seq = ajar_test_last_seq();
    test_client_receive(me(), "robin@example.org/laptop", "from the first account", 0, time(NULL));
    test_client_receive(other, "robin@example.net", "from the second account", 0, time(NULL));
    test_client_iterate(100);
    ajar_test_assert_nothing_shown();
    {
        g_autoptr(GPtrArray) held = ajar_test_events_since(seq, AJAR_EVENT_HELD, NULL);
        g_assert_cmpuint(held->len, ==, 2);
        g_assert_cmpstr(((AjarEvent *)g_ptr_array_index(held, 0))->rule, ==, "Robin");
        g_assert_cmpstr(((AjarEvent *)g_ptr_array_index(held, 1))->rule, ==, "Robin");
        g_assert_cmpstr(((AjarEvent *)g_ptr_array_index(held, 1))->account, ==, ME2);
    }
}

static void
test_menu_delay_turn_off(void)
{
    PurpleBlistNode *second = NULL;
    g_autoptr(GPtrArray) requests = NULL;
    g_autoptr(AjarRuleSet) rules = NULL;
    g_autofree char *before = NULL;
    TestRequest *request;

    g_assert_nonnull(robin);
    use_rules("count", "");
    before = ajar_test_read_rules();
    for (PurpleBlistNode *node = purple_blist_node_get_first_child(PURPLE_BLIST_NODE(robin));
         node != NULL; node = purple_blist_node_get_sibling_next(node)) {
        if (g_strcmp0(purple_buddy_get_name(PURPLE_BUDDY(node)), "robin@example.net") == 0)
            second = node;
    }
    g_assert_nonnull(second);
    ajar_test_drain();
    g_assert_true(ajar_test_blist_menu(second, "Ajar", "Delay their messages…"));
    requests = test_client_take_requests();
    g_assert_cmpuint(requests->len, ==, 1);
    request = g_ptr_array_index(requests, 0);
    g_assert_cmpint(request->type, ==, PURPLE_REQUEST_INPUT);
    /* Cancelled: nothing changes. */
    test_client_request_cancel(request);
    {
        g_autofree char *after = ajar_test_read_rules();
        g_assert_cmpstr(after, ==, before);
    }

    g_assert_true(ajar_test_blist_menu(second, "Ajar", "Delay their messages…"));
    g_clear_pointer(&requests, g_ptr_array_unref);
    requests = test_client_take_requests();
    g_assert_cmpuint(requests->len, ==, 1);
    test_client_request_input(g_ptr_array_index(requests, 0), "15");
    rules = ajar_test_parse_rules();
    g_assert_cmpuint(ajar_rules_get_count(rules), ==, 1);
    g_assert_cmpstr(ajar_rules_get_rule(rules, 0)->name, ==, "Robin");
    g_assert_cmpuint(ajar_rules_get_rule(rules, 0)->matches->len, ==, 2);
    g_assert_cmpint(ajar_rules_get_rule(rules, 0)->incoming.action, ==, AJAR_ACTION_DELAY);
    g_assert_cmpint(ajar_rules_get_rule(rules, 0)->incoming.seconds, ==, 15 * 60);

    g_assert_true(ajar_test_blist_menu(PURPLE_BLIST_NODE(robin), "Ajar", "Turn off"));
    g_clear_pointer(&rules, ajar_rules_unref);
    rules = ajar_test_parse_rules();
    g_assert_cmpuint(ajar_rules_get_count(rules), ==, 0);
}

/* "Review held messages…" on the person counts what both their buddies
 * sent (test_contact_menu() held one message on each account). */
static void
test_contact_review(void)
{
    g_autoptr(GPtrArray) requests = NULL;
    PurpleRequestField *people;
    const char *label;

    g_assert_nonnull(robin);
    ajar_test_drain();
    g_assert_true(ajar_test_blist_menu(PURPLE_BLIST_NODE(robin), "Ajar", "Review held messages…"));
    requests = test_client_take_requests();
    g_assert_cmpuint(requests->len, ==, 1);
    people = purple_request_fields_get_field(
        ((TestRequest *)g_ptr_array_index(requests, 0))->fields, "person");
    g_assert_nonnull(people);
    label = ajar_test_list_item(people, "Robin: ");
    g_assert_nonnull(label);
    g_test_message("first step: %s", label);
    g_assert_true(g_str_has_prefix(label, "Robin: 2 held"));
    test_client_request_cancel(g_ptr_array_index(requests, 0));
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    g_test_add_func("/plugin/menu/contact-two-accounts-hold", test_contact_menu);
    g_test_add_func("/plugin/menu/delay-and-turn-off", test_menu_delay_turn_off);
    /* Last: it opens the review dialog. */
    g_test_add_func("/plugin/menu/contact-review-counts-both", test_contact_review);
    status = g_test_run();

    test_client_quit();
    test_client_cleanup();
    return status;
}
