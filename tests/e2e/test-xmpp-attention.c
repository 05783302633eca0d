/* test-xmpp-attention.c — a real XMPP buzz (XEP-0224 <attention/>) from
 * Sam, whose messages you hold, through a local prosody: journaled
 * "attention", nothing shown. The same buzz from a friend no rule names
 * shows libpurple's "… has buzzed you!" line, so the path is the real one.
 *
 * libpurple's XMPP sends a buzz only to a contact whose presence it knows
 * and whose client says it takes buzzes (caps), and takes one only from a
 * contact in the buddy list: both sides add each other first. */
#include "e2e-scenarios.h"

static E2eParties parties;
static int handle;

static int
authorization_requested_cb(PurpleAccount *account, const char *remote_user, gpointer data)
{
    return 1; /* they may see when you are online */
}

/* @peer knows your presence and you have @name in your list. */
static void
befriend(E2ePeer *peer, const char *name)
{
    test_client_add_buddy(parties.me, name, NULL, NULL);
    e2e_peer_add_buddy(peer, parties.me_name);
    e2e_peer_wait_presence(peer, parties.me_name, TRUE);
}

/* Buzzes you as soon as @peer's XMPP can (it learns your client's
 * capabilities after your presence). */
static void
buzz_me(E2ePeer *peer)
{
    for (guint tries = 0; !e2e_peer_buzz(peer, parties.me_as_seen); tries++) {
        g_assert_cmpuint(tries, <, 50);
        ajar_test_run_for(100);
    }
}

static void
test_buzz_held(void)
{
    g_autoptr(GPtrArray) attention = NULL;
    const AjarEvent *event;
    gint64 seq;

    purple_signal_connect(purple_accounts_get_handle(), "account-authorization-requested", &handle,
                          PURPLE_CALLBACK(authorization_requested_cb), NULL);
    befriend(parties.sam, parties.sam_name);
    befriend(parties.friend, parties.friend_name);
    e2e_use_sam_rule(&parties, "\"incoming\": {\"action\": \"hold\"}", "message");

    /* A friend's buzz: shown as libpurple shows one. */
    buzz_me(parties.friend);
    e2e_wait_received(parties.friend_name, "has buzzed you!");

    seq = ajar_test_last_seq();
    buzz_me(parties.sam);
    attention = e2e_wait_journal(seq, AJAR_EVENT_ATTENTION, 1);
    event = g_ptr_array_index(attention, 0);
    g_assert_cmpstr(event->account, ==, purple_account_get_username(parties.me));
    g_assert_cmpstr(event->protocol, ==, "prpl-jabber");
    g_assert_true(e2e_is_buddy(event->buddy, parties.sam_name));
    g_assert_cmpstr(event->rule, ==, "Sam");
    g_assert_null(event->text);
    /* A message after it is held as usual: the buzz was the buzz. */
    e2e_peer_send(parties.sam, parties.me_name, "did you feel that?");
    g_ptr_array_unref(e2e_wait_journal(seq, AJAR_EVENT_HELD, 1));
    e2e_assert_nothing_from(parties.sam_name);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_HELD), ==, 1);
    {
        /* No pop-up for a buzz ("message" announces held messages only). */
        g_autoptr(GPtrArray) notices = test_client_take_notices();
        for (guint i = 0; i < notices->len; i++)
            g_assert_null(strstr(((TestNotice *)g_ptr_array_index(notices, i))->primary, "buzz"));
        test_client_notices_close(notices);
    }
    purple_signals_disconnect_by_handle(&handle);
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    e2e_parties_start_xmpp(&parties);
    parties.rule_account = g_strdup(parties.me_name);

    g_test_add_func("/e2e/xmpp-attention/buzz-held", test_buzz_held);
    status = g_test_run();

    e2e_parties_stop(&parties);
    ajar_test_unload();
    test_client_quit();
    test_client_cleanup();
    return status;
}
