/* test-xmpp-devices.c — Ajar over real XMPP when more than one connection is
 * involved: you are offline while Sam writes, Sam writes from two devices
 * at once, you write from a second device of your own (Message Carbons),
 * and your messenger restarts with messages in Ajar's keeping.
 *
 * "You" are this process (me@example.org/Home, with the built ajar.so and
 * the XMPP Message Carbons plugin of Debian's purple-xmpp-carbons, as a
 * Pidgin user with carbons has it); everyone else is an e2e-peer process
 * without Ajar: Sam on two resources, a friend, and your own second device
 * me@example.org/phone. What libpurple 2.14 does with carbons is written up
 * in docs/E2E.md. */
#include "e2e-scenarios.h"

#include <plugin.h>
#include <server.h>
#include <signals.h>
#include <xmlnode.h>

#define CARBONS_PLUGIN_ID "core-riba-carbons"
#define CARBONS_XMLNS "urn:xmpp:carbons:2"

/* A rule for Sam names no account. */
static E2eParties parties;
static int handle;

/* One rule "Sam" with @body, notify "count" (the default). */
static void
use_sam_rule(const char *body)
{
    e2e_use_sam_rule(&parties, body, NULL);
}

/* Whether the server confirmed the carbons plugin's request to turn
 * carbons on for this connection (it asks at every sign-on). */
static char *carbons_request_id;
static gboolean carbons_on;

/* XEP-0085 "composing" states prpl-jabber wrote to the server, to anyone. */
static guint composing_sent;

static void
jabber_sending_cb(PurpleConnection *gc, xmlnode **packet, gpointer data)
{
    if (g_strcmp0((*packet)->name, "message") == 0 &&
        xmlnode_get_child_with_namespace(*packet, "composing",
                                         "http://jabber.org/protocol/chatstates") != NULL)
        composing_sent++;
    xmlnode *enable = xmlnode_get_child_with_namespace(*packet, "enable", CARBONS_XMLNS);

    if (enable != NULL && g_strcmp0((*packet)->name, "iq") == 0) {
        g_free(carbons_request_id);
        carbons_request_id = g_strdup(xmlnode_get_attrib(*packet, "id"));
        carbons_on = FALSE;
    }
}

static void
jabber_receiving_cb(PurpleConnection *gc, xmlnode **packet, gpointer data)
{
    if (g_strcmp0((*packet)->name, "iq") == 0 && carbons_request_id != NULL &&
        g_strcmp0(xmlnode_get_attrib(*packet, "id"), carbons_request_id) == 0)
        carbons_on = g_strcmp0(xmlnode_get_attrib(*packet, "type"), "result") == 0;
}

static gboolean
carbons_on_cb(gpointer data)
{
    return carbons_on;
}

static int
authorization_requested_cb(PurpleAccount *account, const char *remote_user, gpointer data)
{
    return 1; /* you let Sam see when you are online */
}

/* You are signed off; Sam writes; you sign on: the server hands over what
 * it kept, and Ajar holds it without showing anything. */
static void
test_offline_messages(void)
{
    g_autoptr(GPtrArray) held = NULL;
    gint64 signed_on;
    gint64 seq;

    use_sam_rule("\"incoming\": {\"action\": \"hold\"}");
    /* Sam sees your presence, so the test knows when you are gone. */
    purple_signal_connect(purple_accounts_get_handle(), "account-authorization-requested", &handle,
                          PURPLE_CALLBACK(authorization_requested_cb), NULL);
    e2e_peer_add_buddy(parties.sam, parties.me_name);
    e2e_peer_wait_presence(parties.sam, parties.me_name, TRUE);

    test_client_disconnect(parties.me);
    e2e_peer_wait_presence(parties.sam, parties.me_name, FALSE);
    seq = ajar_test_last_seq();
    e2e_peer_send(parties.sam, parties.me_name, "are you ignoring me?");
    e2e_peer_send(parties.sam, parties.me_name, "fine. good night");
    /* One sender's messages stay in order: once the friend has the next
     * one, the server has stored both for you. */
    e2e_peer_send(parties.sam, parties.friend_name, "have you seen them?");
    e2e_peer_wait_im(parties.friend, "have you seen them?");
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_UNKNOWN), ==, 0);

    signed_on = g_get_real_time();
    e2e_connect(parties.me);
    held = e2e_wait_journal(seq, AJAR_EVENT_HELD, 2);
    g_assert_cmpstr(((AjarEvent *)g_ptr_array_index(held, 0))->text, ==, "are you ignoring me?");
    g_assert_cmpstr(((AjarEvent *)g_ptr_array_index(held, 1))->text, ==, "fine. good night");
    for (guint i = 0; i < held->len; i++) {
        const AjarEvent *event = g_ptr_array_index(held, i);

        g_assert_true(e2e_is_buddy(event->buddy, parties.sam_name));
        /* Kept when it reached you (libpurple gives no sending time). */
        g_assert_cmpint(event->ts, >=, signed_on);
    }
    /* A friend's message after sign-on shows; Sam's offline ones do not. */
    e2e_peer_send(parties.friend, parties.me_name, "welcome back");
    e2e_wait_received(parties.friend_name, "welcome back");
    e2e_assert_nothing_from(parties.sam_name);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_HELD), ==, 2);

    /* Released when you choose, like any held message. */
    e2e_ajar(parties.me, parties.sam_name, "release");
    e2e_wait_received(parties.sam_name, "are you ignoring me?");
    e2e_wait_received(parties.sam_name, "fine. good night");
    test_client_close_im(parties.me, parties.sam_name);
}

static gboolean
typing_arrived_cb(gpointer data)
{
    return test_client_signal_count("buddy-typing") > 0;
}

/* Sam's "is typing…" (XMPP chat states, XEP-0085) in an open window:
 * cleared while Sam's messages are held, shown once they are not. Sam sees
 * your presence (test_offline_messages()), so Sam's client sends it. */
static void
test_typing_while_held(void)
{
    const char *home = purple_account_get_username(parties.me);

    use_sam_rule("\"incoming\": {\"action\": \"hold\"}");
    test_client_open_im(parties.me, parties.sam_name);
    e2e_peer_typing(parties.sam, home);
    e2e_wait(typing_arrived_cb, NULL, "Sam's typing notification");
    g_assert_cmpint(test_client_typing_state(parties.me, parties.sam_name), ==, PURPLE_NOT_TYPING);

    /* The same notification without a rule: the window says so. */
    e2e_use_rules("{\"version\": 1, \"rules\": []}");
    e2e_peer_typing(parties.sam, home);
    e2e_wait(typing_arrived_cb, NULL, "Sam's typing notification");
    g_assert_cmpint(test_client_typing_state(parties.me, parties.sam_name), ==, PURPLE_TYPING);
    test_client_close_im(parties.me, parties.sam_name);
}

/* Your own typing, over prpl-jabber: with no rule it goes to the server
 * as a "composing" chat state; while your messages to Sam would be kept
 * (hold, ask, quiet hours) none is written at all. The user's typing is
 * what Pidgin sends on a keypress: serv_send_typing(). */
static void
test_no_typing_to_kept(void)
{
    PurpleConnection *gc = purple_account_get_connection(parties.me);
    g_autoptr(GDateTime) now = g_date_time_new_now_local();
    g_autoptr(GDateTime) hour_ago = g_date_time_add_hours(now, -1);
    g_autoptr(GDateTime) in_an_hour = g_date_time_add_hours(now, 1);
    g_autofree char *from = g_date_time_format(hour_ago, "%H:%M");
    g_autofree char *until = g_date_time_format(in_an_hour, "%H:%M");
    g_autofree char *quiet =
        g_strdup_printf("\"outgoing\": {\"action\": \"pass\", \"quiet_hours\": {\"from\": \"%s\", "
                        "\"until\": \"%s\"}}",
                        from, until);
    const char *rules[] = { "\"outgoing\": {\"action\": \"hold\"}",
                            "\"outgoing\": {\"action\": \"ask\"}", quiet };
    guint before;

    for (guint i = 0; i < G_N_ELEMENTS(rules); i++) {
        e2e_use_rules("{\"version\": 1, \"rules\": []}");
        before = composing_sent;
        serv_send_typing(gc, parties.sam_name, PURPLE_TYPING);
        g_assert_cmpuint(composing_sent, ==, before + 1);
        serv_send_typing(gc, parties.sam_name, PURPLE_NOT_TYPING);

        use_sam_rule(rules[i]);
        before = composing_sent;
        serv_send_typing(gc, parties.sam_name, PURPLE_TYPING);
        g_assert_cmpuint(composing_sent, ==, before);
    }
    e2e_use_rules("{\"version\": 1, \"rules\": []}");
}

/* Sam on the phone and on a laptop, writing at once: every message is
 * held, each with the address it came from, and released into one window. */
static void
test_two_resources(void)
{
    E2ePeer *laptop = e2e_peer_start_xmpp("sam", "laptop");
    g_autoptr(GPtrArray) held = NULL;
    guint from_phone = 0, from_laptop = 0;
    gint64 seq;

    use_sam_rule("\"incoming\": {\"action\": \"hold\"}");
    seq = ajar_test_last_seq();
    for (int i = 1; i <= 3; i++) {
        g_autofree char *phone_text = g_strdup_printf("phone %d", i);
        g_autofree char *laptop_text = g_strdup_printf("laptop %d", i);

        e2e_peer_send(parties.sam, parties.me_name, phone_text);
        e2e_peer_send(laptop, parties.me_name, laptop_text);
    }
    held = e2e_wait_journal(seq, AJAR_EVENT_HELD, 6);
    for (guint i = 0; i < held->len; i++) {
        const AjarEvent *event = g_ptr_array_index(held, i);
        g_autofree char *resource = g_strdup(event->buddy + strlen(parties.sam_name));

        g_assert_true(e2e_is_buddy(event->buddy, parties.sam_name));
        g_assert_true(g_str_has_prefix(event->text, resource + 1));
        from_phone += g_strcmp0(resource, "/phone") == 0;
        from_laptop += g_strcmp0(resource, "/laptop") == 0;
    }
    g_assert_cmpuint(from_phone, ==, 3);
    g_assert_cmpuint(from_laptop, ==, 3);
    e2e_assert_nothing_from(parties.sam_name);

    /* One person, one window. */
    e2e_ajar(parties.me, parties.sam_name, "release");
    g_ptr_array_unref(e2e_wait_journal(seq, AJAR_EVENT_RELEASED, 6));
    for (int i = 1; i <= 3; i++) {
        g_autofree char *phone_text = g_strdup_printf("phone %d", i);
        g_autofree char *laptop_text = g_strdup_printf("laptop %d", i);

        e2e_wait_received(parties.sam_name, phone_text);
        e2e_wait_received(parties.sam_name, laptop_text);
    }
    g_assert_cmpuint(e2e_seen_received_from(parties.sam_name, NULL), ==, 6);
    g_assert_cmpuint(e2e_seen_windows_for(parties.sam_name), ==, 1);
    test_client_close_im(parties.me, parties.sam_name);
    e2e_peer_stop(laptop);
}

/* Your own second device (a client without Ajar) while this one has
 * carbons on: what you write there is copied here and shown, never held
 * or delayed, whatever this device's rule says; what Sam writes to that
 * device is copied here too, and held here like any message of Sam's. */
static void
test_carbons_from_second_device(void)
{
    E2ePeer *phone = e2e_peer_start_xmpp("me", "phone");
    g_autofree char *phone_jid = g_strdup_printf("%s/phone", parties.me_name);
    g_autoptr(GPtrArray) held = NULL;
    const E2eSeenLine *line;
    gint64 seq;

    use_sam_rule("\"incoming\": {\"action\": \"hold\"}, "
                 "\"outgoing\": {\"action\": \"delay\", \"seconds\": 600}");
    e2e_wait(carbons_on_cb, NULL, "the server to turn carbons on for this device");
    seq = ajar_test_last_seq();

    /* Written on the phone: Sam gets it at once (the phone has no Ajar)... */
    e2e_peer_send(phone, parties.sam_name, "sent from my phone");
    e2e_peer_wait_im(parties.sam, "sent from my phone");
    /* ...and this device shows the carbon copy as your own line. */
    line = e2e_wait_line(parties.sam_name, "sent from my phone", PURPLE_MESSAGE_SEND);
    g_assert_false(line->flags & PURPLE_MESSAGE_RECV);
    /* Ajar neither held, queued nor noted it. */
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_UNKNOWN), ==, 0);
    g_assert_cmpuint(e2e_seen_received_from(parties.sam_name, NULL), ==, 0);

    /* Sam answers the phone only: this device gets a carbon copy of it,
     * which is Sam's message, so it is held here (the phone shows it). */
    e2e_peer_send(parties.sam, phone_jid, "got it, thanks");
    e2e_peer_wait_im(phone, "got it, thanks");
    held = e2e_wait_journal(seq, AJAR_EVENT_HELD, 1);
    g_assert_cmpstr(((AjarEvent *)g_ptr_array_index(held, 0))->text, ==, "got it, thanks");
    g_assert_true(e2e_is_buddy(((AjarEvent *)g_ptr_array_index(held, 0))->buddy, parties.sam_name));
    g_assert_cmpuint(e2e_seen_received_from(parties.sam_name, NULL), ==, 0);
    g_assert_null(e2e_seen_line(parties.sam_name, "got it, thanks", 0));

    /* Without the plugin, libpurple 2.14 ignores the copies the server
     * still sends (their envelope has no body): this device sees neither.
     * Each sender's messages stay in order, so a later message from the
     * same sender proves the copy before it was dropped. */
    g_assert_true(purple_plugin_unload(purple_plugins_find_with_id(CARBONS_PLUGIN_ID)));
    e2e_seen_reset();
    seq = ajar_test_last_seq();
    e2e_peer_send(phone, parties.sam_name, "phone again");
    e2e_peer_wait_im(parties.sam, "phone again");
    e2e_peer_send(phone, purple_account_get_username(parties.me), "note to self");
    e2e_wait_received(phone_jid, "note to self");
    g_assert_null(e2e_seen_line(parties.sam_name, "phone again", 0));
    e2e_peer_send(parties.sam, phone_jid, "to your phone only");
    e2e_peer_wait_im(phone, "to your phone only");
    e2e_peer_send(parties.sam, parties.me_name, "and to you");
    g_clear_pointer(&held, g_ptr_array_unref);
    held = e2e_wait_journal(seq, AJAR_EVENT_HELD, 1);
    g_assert_cmpstr(((AjarEvent *)g_ptr_array_index(held, 0))->text, ==, "and to you");
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_UNKNOWN), ==, 1);
    g_assert_true(purple_plugin_load(purple_plugins_find_with_id(CARBONS_PLUGIN_ID)));

    test_client_close_im(parties.me, parties.sam_name);
    test_client_close_im(parties.me, phone_jid);
    e2e_peer_stop(phone);
}

/* Dialogs taken while waiting (arrays of TestRequest*, kept alive) and the
 * "was due while Ajar was not running" questions among them. */
static GPtrArray *taken_requests;
static TestRequest *overdue_question;
static guint overdue_questions;

static gboolean
asked_cb(gpointer data)
{
    GPtrArray *requests = test_client_take_requests();

    for (guint i = 0; i < requests->len; i++) {
        TestRequest *request = g_ptr_array_index(requests, i);

        if (request->primary != NULL && strstr(request->primary, "was due while Ajar was not")) {
            overdue_question = request;
            overdue_questions++;
        }
    }
    g_ptr_array_add(taken_requests, requests);
    return overdue_questions > 0;
}

/* The messenger quits with a message of Sam's held, one of the friend's
 * delayed and one of yours cooling off, and starts again after both due
 * times: nothing is lost or shown twice, the friend's is delivered at
 * sign-on, and yours reaches Sam only after you say "Send". */
static void
test_restart_with_pending(void)
{
    g_autofree char *rules = g_strdup_printf(
        "{\"version\": 1, \"rules\": ["
        "{\"name\": \"Sam\", \"match\": [{\"buddy\": \"%s\"}], "
        "\"incoming\": {\"action\": \"hold\"}, "
        "\"outgoing\": {\"action\": \"delay\", \"seconds\": 3, \"confirm\": false}},"
        "{\"name\": \"Friend\", \"match\": [{\"buddy\": \"%s\"}], "
        "\"incoming\": {\"action\": \"delay\", \"seconds\": 3}}]}",
        parties.sam_name, parties.friend_name);
    g_autofree char *username = g_strdup(purple_account_get_username(parties.me));
    g_autofree char *held_id = NULL;
    g_autofree char *delayed_id = NULL;
    g_autofree char *queued_id = NULL;
    g_autoptr(GPtrArray) events = NULL;
    gint64 latest_due;
    gint64 seq;

    e2e_use_rules(rules);
    seq = ajar_test_last_seq();
    e2e_peer_send(parties.sam, parties.me_name, "held across a restart");
    e2e_peer_send(parties.friend, parties.me_name, "delayed across a restart");
    test_client_send(parties.me, parties.sam_name, "queued across a restart");
    events = e2e_wait_journal(seq, AJAR_EVENT_HELD, 1);
    held_id = g_strdup(((AjarEvent *)g_ptr_array_index(events, 0))->id);
    g_clear_pointer(&events, g_ptr_array_unref);
    events = e2e_wait_journal(seq, AJAR_EVENT_DELAYED, 1);
    delayed_id = g_strdup(((AjarEvent *)g_ptr_array_index(events, 0))->id);
    latest_due = ((AjarEvent *)g_ptr_array_index(events, 0))->due;
    g_clear_pointer(&events, g_ptr_array_unref);
    events = e2e_wait_journal(seq, AJAR_EVENT_QUEUED, 1);
    queued_id = g_strdup(((AjarEvent *)g_ptr_array_index(events, 0))->id);
    latest_due = MAX(latest_due, ((AjarEvent *)g_ptr_array_index(events, 0))->due);
    /* Only the window you wrote in is open; nothing of theirs is shown. */
    g_assert_cmpuint(e2e_seen_received_from(parties.sam_name, NULL), ==, 0);
    g_assert_null(e2e_seen_line(parties.sam_name, "held across a restart", 0));
    e2e_assert_nothing_from(parties.friend_name);

    /* Quit (Ajar is switched off with the rest) and stay closed until
     * both due times have passed. */
    ajar_test_unload();
    test_client_restart();
    e2e_run_until(latest_due + G_USEC_PER_SEC / 2);
    parties.me = purple_accounts_find(username, "prpl-jabber");
    g_assert_nonnull(parties.me);
    g_assert_true(purple_account_is_disconnected(parties.me));
    ajar_test_load();
    e2e_seen_reset();
    seq = ajar_test_last_seq();
    e2e_connect(parties.me);

    /* The friend's is overdue: delivered at sign-on. */
    e2e_wait_received(parties.friend_name, "delayed across a restart");
    g_assert_cmpint(ajar_test_item_state(delayed_id), ==, AJAR_EVENT_DELIVERED);
    /* Yours is never sent without asking. */
    taken_requests = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
    e2e_wait(asked_cb, NULL, "the question whether to send the overdue message");
    g_assert_cmpuint(overdue_questions, ==, 1);
    g_assert_cmpuint(e2e_peer_count(parties.sam, "queued across a restart"), ==, 0);
    g_assert_cmpint(ajar_test_item_state(queued_id), ==, AJAR_EVENT_QUEUED);
    test_client_request_answer(overdue_question,
                               test_client_request_find_action(overdue_question, "Send"));
    e2e_peer_wait_im(parties.sam, "queued across a restart");
    g_assert_cmpint(ajar_test_item_state(queued_id), ==, AJAR_EVENT_SENT);
    g_clear_pointer(&taken_requests, g_ptr_array_unref);

    /* Sam's is still held, kept once, shown nowhere. */
    g_assert_cmpint(ajar_test_item_state(held_id), ==, AJAR_EVENT_HELD);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_HELD, held_id), ==, 1);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_HELD), ==, 0);
    g_assert_cmpuint(e2e_seen_received_from(parties.sam_name, NULL), ==, 0);
    g_assert_cmpuint(e2e_peer_count(parties.sam, "queued across a restart"), ==, 1);
}

int
main(int argc, char **argv)
{
    PurplePlugin *carbons;
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    /* Debian's purple-xmpp-carbons (scripts/lib.sh installs it) lives in a
     * folder libpurple searches: probed at start, loaded here as a user
     * ticks it in Tools ▸ Plugins. */
    carbons = purple_plugins_find_with_id(CARBONS_PLUGIN_ID);
    if (carbons == NULL)
        g_error("the XMPP Message Carbons plugin (%s) is not installed: Debian package "
                "purple-xmpp-carbons",
                CARBONS_PLUGIN_ID);
    g_assert_true(purple_plugin_load(carbons));
    purple_signal_connect(purple_plugins_find_with_id("prpl-jabber"), "jabber-sending-xmlnode",
                          &handle, PURPLE_CALLBACK(jabber_sending_cb), NULL);
    purple_signal_connect(purple_plugins_find_with_id("prpl-jabber"), "jabber-receiving-xmlnode",
                          &handle, PURPLE_CALLBACK(jabber_receiving_cb), NULL);
    e2e_parties_start_xmpp(&parties);

    g_test_add_func("/e2e/xmpp/offline-messages", test_offline_messages);
    g_test_add_func("/e2e/xmpp/typing-while-held", test_typing_while_held);
    g_test_add_func("/e2e/xmpp/no-typing-to-kept", test_no_typing_to_kept);
    g_test_add_func("/e2e/xmpp/two-resources", test_two_resources);
    g_test_add_func("/e2e/xmpp/carbons-from-second-device", test_carbons_from_second_device);
    g_test_add_func("/e2e/xmpp/restart-with-pending", test_restart_with_pending);
    status = g_test_run();

    e2e_parties_stop(&parties);
    ajar_test_unload();
    test_client_quit();
    test_client_cleanup();
    g_free(carbons_request_id);
    return status;
}
