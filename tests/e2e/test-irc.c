/* test-irc.c — Ajar over real IRC private messages: "you" are this process
 * (nick "me", with the built ajar.so) on a local ngircd; Sam and a friend
 * are e2e-peer processes without Ajar (nicks "sam" and "friend"), so every
 * message travels through the server as a PRIVMSG.
 *
 * Cases: hold then release, and cooling-off (sent after the delay,
 * cancelled, sent now). */
#include "e2e-test.h"

#define SAM "sam"
#define FRIEND "friend"
#define ME "me"

static PurpleAccount *me;
static E2ePeer *sam;
static E2ePeer *friend;

static void
use_rule(const char *body)
{
    g_autofree char *json =
        g_strdup_printf("{\"version\": 1, \"rules\": [{\"name\": \"Sam\", \"match\": "
                        "[{\"protocol\": \"prpl-irc\", \"buddy\": \"" SAM "\"}], %s}]}\n",
                        body);

    ajar_test_reload_with_rules(json);
    e2e_seen_reset();
}

static void
test_hold_then_release(void)
{
    static const char *const texts[] = { "are you awake?", "I still have your key" };
    g_autoptr(GPtrArray) held = NULL;
    gint64 seq;

    use_rule("\"incoming\": {\"action\": \"hold\"}");
    seq = ajar_test_last_seq();
    for (guint i = 0; i < G_N_ELEMENTS(texts); i++)
        e2e_peer_send(sam, ME, texts[i]);
    e2e_peer_send(friend, ME, "dinner on friday?");

    held = e2e_wait_journal(seq, AJAR_EVENT_HELD, 2);
    e2e_wait_received(FRIEND, "dinner on friday?");
    e2e_assert_nothing_from(SAM);
    for (guint i = 0; i < G_N_ELEMENTS(texts); i++) {
        const AjarEvent *event = g_ptr_array_index(held, i);

        g_assert_cmpstr(event->protocol, ==, "prpl-irc");
        g_assert_cmpstr(event->account, ==, purple_account_get_username(me));
        g_assert_cmpstr(event->buddy, ==, SAM);
        g_assert_cmpstr(event->rule, ==, "Sam");
        g_assert_cmpstr(event->text, ==, texts[i]);
    }
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_HELD), ==, 2);

    e2e_ajar(me, SAM, "release");
    for (guint i = 0; i < G_N_ELEMENTS(texts); i++) {
        const E2eSeenLine *line;

        e2e_wait_received(SAM, texts[i]);
        line = e2e_seen_line(SAM, texts[i], PURPLE_MESSAGE_RECV);
        g_assert_nonnull(line);
        g_assert_cmpint(line->mtime, ==,
                        ((AjarEvent *)g_ptr_array_index(held, i))->time / G_USEC_PER_SEC);
    }
    g_assert_cmpuint(e2e_seen_received_from(SAM, NULL), ==, 2);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_RELEASED), ==, 2);
    test_client_close_im(me, SAM);
}

/* As over XMPP (test-xmpp.c): A goes at its due time, B is cancelled, C
 * and D are sent at once; Sam gets C, A, D in that order and never B. */
static void
test_cooling_off(void)
{
    static const char text_a[] = "A: I was thinking of you";
    static const char text_b[] = "B: please come back";
    static const char text_c[] = "C: the keys are with Jo";
    static const char text_d[] = "D: take care";
    const char *expected[] = { text_c, text_a, text_d };
    g_autoptr(GPtrArray) queued = NULL;
    g_autofree char *command = NULL;
    g_autofree char *a_id = NULL;
    g_autofree char *b_id = NULL;
    GPtrArray *ims = e2e_peer_ims(sam);
    guint sam_before = ims->len;
    gint64 a_due, b_due;
    gint64 seq;

    use_rule("\"outgoing\": {\"action\": \"delay\", \"seconds\": 5}");
    seq = ajar_test_last_seq();
    test_client_send(me, SAM, text_a);
    test_client_send(me, SAM, text_b);
    g_assert_nonnull(
        e2e_seen_line(SAM, "Ajar: this will be sent in 1 min.", PURPLE_MESSAGE_SYSTEM));
    queued = e2e_wait_journal(seq, AJAR_EVENT_QUEUED, 2);
    a_id = g_strdup(e2e_event_with_text(queued, text_a)->id);
    a_due = e2e_event_with_text(queued, text_a)->due;
    b_id = g_strdup(e2e_event_with_text(queued, text_b)->id);
    b_due = e2e_event_with_text(queued, text_b)->due;
    command = g_strdup_printf("cancel %s", b_id);
    e2e_ajar(me, SAM, command);
    g_assert_cmpint(ajar_test_item_state(b_id), ==, AJAR_EVENT_CANCELLED);

    test_client_send(me, SAM, text_c);
    g_clear_pointer(&queued, g_ptr_array_unref);
    queued = e2e_wait_journal(seq, AJAR_EVENT_QUEUED, 3);
    g_free(command);
    command = g_strdup_printf("send %s", e2e_event_with_text(queued, text_c)->id);
    e2e_ajar(me, SAM, command);
    e2e_peer_wait_im(sam, text_c);
    g_assert_cmpuint(e2e_peer_count(sam, text_a), ==, 0);
    g_assert_cmpint(g_get_real_time(), <, a_due);

    e2e_peer_wait_im(sam, text_a);
    g_assert_cmpint(ajar_test_item_state(a_id), ==, AJAR_EVENT_SENT);
    {
        g_autoptr(GPtrArray) sent = ajar_test_events_since(seq, AJAR_EVENT_SENT, a_id);
        g_assert_cmpuint(sent->len, ==, 1);
        g_assert_cmpint(((AjarEvent *)g_ptr_array_index(sent, 0))->ts, >=,
                        a_due - E2E_DUE_SLACK_US);
    }

    e2e_run_until(b_due + G_USEC_PER_SEC / 2);
    test_client_send(me, SAM, text_d);
    g_clear_pointer(&queued, g_ptr_array_unref);
    queued = e2e_wait_journal(seq, AJAR_EVENT_QUEUED, 4);
    g_free(command);
    command = g_strdup_printf("send %s", e2e_event_with_text(queued, text_d)->id);
    e2e_ajar(me, SAM, command);
    e2e_peer_wait_im(sam, text_d);
    g_assert_cmpuint(ims->len - sam_before, ==, G_N_ELEMENTS(expected));
    for (guint i = 0; i < G_N_ELEMENTS(expected); i++) {
        const E2eIm *im = g_ptr_array_index(ims, sam_before + i);
        g_assert_cmpstr(im->who, ==, ME);
        g_assert_cmpstr(im->text, ==, expected[i]);
    }
    g_assert_cmpint(ajar_test_item_state(b_id), ==, AJAR_EVENT_CANCELLED);
    test_client_close_im(me, SAM);
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    me = e2e_add_irc_account(ME);
    sam = e2e_peer_start_irc(SAM);
    friend = e2e_peer_start_irc(FRIEND);

    g_test_add_func("/e2e/irc/hold-then-release", test_hold_then_release);
    g_test_add_func("/e2e/irc/cooling-off", test_cooling_off);
    status = g_test_run();

    e2e_peer_stop(friend);
    e2e_peer_stop(sam);
    ajar_test_unload();
    test_client_quit();
    test_client_cleanup();
    return status;
}
