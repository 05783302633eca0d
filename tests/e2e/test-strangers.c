/* test-strangers.c — the new account that is really them, over real XMPP.
 *
 * "You" are this process (the headless client with the built ajar.so),
 * me@example.org/Home on a local prosody, with a friend in your buddy list.
 * Kim is a second account on the server that is NOT in your roster: a
 * plain libpurple client in a process of its own (e2e-peer.c), so every
 * message travels through the server. A rule {"stranger": true} holds what
 * Kim writes (journaled with "stranger": true, nothing shown) while the
 * friend's messages come through; the review's "Let them through" shows
 * Kim's message, and what Kim writes next comes straight through.
 *
 * Over IRC (a local ngircd) the same rule holds "kim" but never a service:
 * a peer that calls itself NickServ writes and is shown, as a server's
 * notice or a service's message must be. */
#include "e2e-scenarios.h"

static PurpleAccount *me;
static char *me_jid;
static E2ePeer *kim;
static char *kim_jid;
static E2ePeer *friend;
static char *friend_jid;

#define RULES                                                                              \
    "{\"version\": 1, \"rules\": [{\"name\": \"New senders\", \"match\": [{\"protocol\": " \
    "\"prpl-jabber\", \"stranger\": true}], \"incoming\": {\"action\": \"hold\"}}], "      \
    "\"settings\": {\"notify\": \"count\"}}\n"

static void
test_held_then_let_through(void)
{
    g_autoptr(GPtrArray) held = NULL;
    g_autoptr(GPtrArray) released = NULL;
    g_autoptr(GPtrArray) page = NULL;
    g_autoptr(AjarRuleSet) rules = NULL;
    g_autofree char *kim_full = g_strdup_printf("%s/laptop", kim_jid);
    g_autofree char *line = NULL;
    const AjarEvent *event;
    TestRequest *request;
    gint64 seq;

    e2e_use_rules(RULES);
    seq = ajar_test_last_seq();
    e2e_peer_send(kim, me_jid, "it is me. I made a new account");
    e2e_peer_send(friend, me_jid, "dinner on friday?");

    held = e2e_wait_journal(seq, AJAR_EVENT_HELD, 1);
    event = g_ptr_array_index(held, 0);
    g_assert_true(event->stranger);
    g_assert_cmpstr(event->rule, ==, "New senders");
    g_assert_cmpstr(event->buddy, ==, kim_full);
    g_assert_cmpstr(event->protocol, ==, "prpl-jabber");
    g_assert_cmpstr(event->text, ==, "it is me. I made a new account");
    /* Your friend is in your buddy list: shown as usual. Kim: nothing. */
    e2e_wait_received(friend_jid, "dinner on friday?");
    e2e_assert_nothing_from(kim_jid);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_HELD), ==, 1);

    /* The review: Kim under the new senders; let them through. */
    ajar_test_drain();
    page = ajar_test_review_read("  kim@", &line);
    g_test_message("review: %s", line);
    g_assert_true(g_str_has_prefix(line, "  kim@example.org: 1 held, newest"));
    request = g_ptr_array_index(page, 0);
    test_client_fields_pick(
        request, "action",
        ajar_test_option_starting(purple_request_fields_get_field(request->fields, "action"),
                                  "Let them through"));
    g_assert_true(test_client_request_fields_ok(request));
    e2e_wait_received(kim_jid, "it is me. I made a new account");
    released = ajar_test_events_since(seq, AJAR_EVENT_RELEASED, NULL);
    g_assert_cmpuint(released->len, ==, 1);
    g_assert_cmpstr(((AjarEvent *)g_ptr_array_index(released, 0))->id, ==, event->id);
    rules = ajar_test_parse_rules();
    g_assert_cmpuint(ajar_rules_get_allowed_count(rules), ==, 1);
    g_assert_cmpstr(ajar_rules_get_allowed(rules, 0), ==, kim_jid);

    /* Remembered: what Kim writes next comes straight through. */
    e2e_peer_send(kim, me_jid, "thank you for reading");
    e2e_wait_received(kim_jid, "thank you for reading");
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_HELD), ==, 1);
}

#define IRC_RULES                                                                          \
    "{\"version\": 1, \"rules\": [{\"name\": \"New senders\", \"match\": [{\"protocol\": " \
    "\"prpl-irc\", \"stranger\": true}], \"incoming\": {\"action\": \"hold\"}}], "         \
    "\"settings\": {\"notify\": \"count\"}}\n"

static void
test_irc_stranger_but_no_service(void)
{
    PurpleAccount *irc = e2e_add_irc_account("me");
    E2ePeer *stranger = e2e_peer_start_irc("kim");
    E2ePeer *service = e2e_peer_start_irc("NickServ");
    g_autoptr(GPtrArray) held = NULL;
    const AjarEvent *event;
    gint64 seq;

    e2e_use_rules(IRC_RULES);
    seq = ajar_test_last_seq();
    e2e_peer_send(stranger, "me", "hello from a new nick");
    e2e_peer_send(service, "me", "This nickname is registered");
    held = e2e_wait_journal(seq, AJAR_EVENT_HELD, 1);
    event = g_ptr_array_index(held, 0);
    g_assert_true(event->stranger);
    g_assert_cmpstr(event->buddy, ==, "kim");
    g_assert_cmpstr(event->protocol, ==, "prpl-irc");
    e2e_wait_received("NickServ", "This nickname is registered");
    e2e_assert_nothing_from("kim");
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_HELD), ==, 1);
    e2e_peer_stop(service);
    e2e_peer_stop(stranger);
    purple_account_set_enabled(irc, AJAR_TEST_CLIENT_UI, FALSE);
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    me_jid = e2e_jid("me");
    kim_jid = e2e_jid("kim");
    friend_jid = e2e_jid("friend");
    me = e2e_add_xmpp_account("me", "Home");
    test_client_add_buddy(me, friend_jid, "Friend", NULL);
    kim = e2e_peer_start_xmpp("kim", "laptop");
    friend = e2e_peer_start_xmpp("friend", "phone");

    g_test_add_func("/e2e/strangers/held-then-let-through", test_held_then_let_through);
    g_test_add_func("/e2e/strangers/irc-stranger-but-no-service", test_irc_stranger_but_no_service);
    status = g_test_run();

    e2e_peer_stop(friend);
    e2e_peer_stop(kim);
    g_free(me_jid);
    g_free(kim_jid);
    g_free(friend_jid);
    ajar_test_unload();
    test_client_quit();
    test_client_cleanup();
    return status;
}
