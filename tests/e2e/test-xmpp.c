/* test-xmpp.c — Ajar over real XMPP: "you" are this process, a headless
 * libpurple client with the built ajar.so, signed on to a local prosody as
 * me@example.org/Home; Sam (the contact you keep at a distance) and a friend
 * are plain libpurple clients in processes of their own (e2e-peer.c), so
 * every message travels through the server.
 *
 * Cases: hold then release, archive, incoming delay, pass keywords, and
 * cooling-off (sent after the delay, cancelled, sent now). Each writes its
 * rules with Ajar off and switches it on again; they share the clients and
 * run in order. */
#include "e2e-test.h"

static PurpleAccount *me;
static E2ePeer *sam;
static E2ePeer *friend;
static char *me_jid;     /* me@example.org */
static char *sam_jid;    /* sam@example.org */
static char *friend_jid; /* friend@example.org */

/* One rule "Sam" for sam@example.org on this account with @body (its
 * "incoming"/"outgoing"/... keys), and @notify. */
static void
use_rule(const char *body, const char *notify)
{
    g_autofree char *json = g_strdup_printf(
        "{\"version\": 1, \"rules\": [{\"name\": \"Sam\", \"match\": "
        "[{\"account\": \"%s\", \"protocol\": \"prpl-jabber\", \"buddy\": \"%s\"}], "
        "%s}], \"settings\": {\"notify\": \"%s\"}}\n",
        me_jid, sam_jid, body, notify);

    ajar_test_reload_with_rules(json);
    e2e_seen_reset();
}

/* A custody event is Sam's message as it came over XMPP. */
static void
assert_from_sam(const AjarEvent *event, const char *text)
{
    g_assert_true(event->has_dir);
    g_assert_cmpint(event->dir, ==, AJAR_DIRECTION_IN);
    g_assert_cmpstr(event->account, ==, purple_account_get_username(me));
    g_assert_cmpstr(event->protocol, ==, "prpl-jabber");
    /* The full address it came from: Sam's resource. */
    g_assert_true(g_str_has_prefix(event->buddy, sam_jid));
    g_assert_cmpstr(event->buddy + strlen(sam_jid), ==, "/phone");
    g_assert_cmpstr(event->rule, ==, "Sam");
    g_assert_cmpstr(event->text, ==, text);
}

static void
test_hold_then_release(void)
{
    static const char *const texts[] = { "are you awake?", "I still have your key" };
    g_autoptr(GPtrArray) held = NULL;
    g_autoptr(GPtrArray) released = NULL;
    g_autofree char *log = NULL;
    time_t before = time(NULL);
    gint64 seq;

    use_rule("\"incoming\": {\"action\": \"hold\"}", "count");
    seq = ajar_test_last_seq();
    for (guint i = 0; i < G_N_ELEMENTS(texts); i++)
        e2e_peer_send(sam, me_jid, texts[i]);
    e2e_peer_send(friend, me_jid, "dinner on friday?");

    held = e2e_wait_journal(seq, AJAR_EVENT_HELD, 2);
    /* The friend is not Sam: shown as usual. */
    e2e_wait_received(friend_jid, "dinner on friday?");
    g_assert_cmpuint(e2e_seen_windows_for(friend_jid), ==, 1);
    /* Sam's are kept, nothing of them shown or logged. */
    e2e_assert_nothing_from(sam_jid);
    for (guint i = 0; i < G_N_ELEMENTS(texts); i++)
        assert_from_sam(g_ptr_array_index(held, i), texts[i]);
    log = test_client_read_log(me, sam_jid);
    g_assert_null(strstr(log, "awake"));
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_HELD), ==, 2);

    /* The user releases them from the conversation. */
    e2e_ajar(me, sam_jid, "release");
    for (guint i = 0; i < G_N_ELEMENTS(texts); i++) {
        const E2eSeenLine *line;

        e2e_wait_received(sam_jid, texts[i]);
        line = e2e_seen_line(sam_jid, texts[i], PURPLE_MESSAGE_RECV);
        g_assert_nonnull(line);
        /* Shown with the time it came, not the time it was released. */
        g_assert_cmpint(line->mtime, ==,
                        ((AjarEvent *)g_ptr_array_index(held, i))->time / G_USEC_PER_SEC);
        g_assert_cmpint(line->mtime, >=, before);
    }
    g_assert_cmpuint(e2e_seen_received_from(sam_jid, NULL), ==, 2);
    released = ajar_test_events_since(seq, AJAR_EVENT_RELEASED, NULL);
    g_assert_cmpuint(released->len, ==, 2);
    g_clear_pointer(&log, g_free);
    log = test_client_read_log(me, sam_jid);
    g_assert_nonnull(strstr(log, "are you awake?"));
    g_assert_nonnull(strstr(log, "I still have your key"));
    test_client_close_im(me, sam_jid);
}

static void
test_archive(void)
{
    g_autoptr(GPtrArray) archived = NULL;
    g_autoptr(GPtrArray) notices = NULL;
    gint64 seq;

    /* "message" would announce a held message; an archived one never. */
    use_rule("\"incoming\": {\"action\": \"archive\"}", "message");
    seq = ajar_test_last_seq();
    e2e_peer_send(sam, me_jid, "I left a box at your door");
    archived = e2e_wait_journal(seq, AJAR_EVENT_ARCHIVED, 1);
    assert_from_sam(g_ptr_array_index(archived, 0), "I left a box at your door");
    e2e_assert_nothing_from(sam_jid);
    notices = test_client_take_notices();
    g_assert_cmpuint(notices->len, ==, 0);
    g_assert_cmpint(ajar_test_item_state(((AjarEvent *)g_ptr_array_index(archived, 0))->id), ==,
                    AJAR_EVENT_ARCHIVED);
}

static void
test_incoming_delay(void)
{
    g_autoptr(GPtrArray) delayed = NULL;
    g_autoptr(GPtrArray) delivered = NULL;
    const AjarEvent *event;
    const E2eSeenLine *line;
    gint64 seq;

    use_rule("\"incoming\": {\"action\": \"delay\", \"seconds\": 3}", "count");
    seq = ajar_test_last_seq();
    e2e_peer_send(sam, me_jid, "call me when you can");
    delayed = e2e_wait_journal(seq, AJAR_EVENT_DELAYED, 1);
    event = g_ptr_array_index(delayed, 0);
    assert_from_sam(event, "call me when you can");
    g_assert_cmpint(event->due, >=, event->ts + 3 * G_USEC_PER_SEC - 1000);
    e2e_assert_nothing_from(sam_jid);

    /* Delivered at the due time as a fresh arrival: window, sound, log. */
    e2e_wait_received(sam_jid, "call me when you can");
    delivered = ajar_test_events_since(seq, AJAR_EVENT_DELIVERED, NULL);
    g_assert_cmpuint(delivered->len, ==, 1);
    g_assert_cmpint(((AjarEvent *)g_ptr_array_index(delivered, 0))->ts, >=,
                    event->due - E2E_DUE_SLACK_US);
    g_assert_cmpuint(e2e_seen_windows_for(sam_jid), ==, 1);
    line = e2e_seen_line(sam_jid, "call me when you can", PURPLE_MESSAGE_RECV);
    g_assert_nonnull(line);
    g_assert_cmpint(line->mtime, ==, event->time / G_USEC_PER_SEC);
    test_client_close_im(me, sam_jid);
}

static void
test_pass_keywords(void)
{
    g_autoptr(GPtrArray) passed = NULL;
    g_autoptr(GPtrArray) held = NULL;
    gint64 seq;

    use_rule("\"incoming\": {\"action\": \"hold\"}, \"pass_keywords\": [\"emergency\", "
             "\"hospital\"]",
             "count");
    seq = ajar_test_last_seq();
    e2e_peer_send(sam, me_jid, "miss you");
    e2e_peer_send(sam, me_jid, "EMERGENCY: your mum is at the Hospital");

    held = e2e_wait_journal(seq, AJAR_EVENT_HELD, 1);
    passed = e2e_wait_journal(seq, AJAR_EVENT_PASSED, 1);
    assert_from_sam(g_ptr_array_index(held, 0), "miss you");
    /* The keyword let it in at once; the journal notes that, not what. */
    e2e_wait_received(sam_jid, "EMERGENCY: your mum is at the Hospital");
    g_assert_null(((AjarEvent *)g_ptr_array_index(passed, 0))->text);
    g_assert_cmpuint(e2e_seen_received_from(sam_jid, NULL), ==, 1);
    g_assert_nonnull(e2e_seen_line(sam_jid, "EMERGENCY", PURPLE_MESSAGE_RECV));
    g_assert_null(e2e_seen_line(sam_jid, "miss you", 0));
    test_client_close_im(me, sam_jid);
}

/* Cooling-off on your own messages: A waits and goes at its due time, B is
 * cancelled and never arrives, C is sent at once with /ajar send ID, and D,
 * sent at once after B's due time passed, proves on Sam's side (XMPP keeps
 * one sender's messages in order) that B was not sent. The friend has no
 * rule: messages to them go at once. */
static void
test_cooling_off(void)
{
    static const char text_a[] = "A: I was thinking of you";
    static const char text_b[] = "B: please come back";
    static const char text_c[] = "C: the keys are with Jo";
    static const char text_d[] = "D: take care";
    g_autoptr(GPtrArray) queued = NULL;
    g_autofree char *cancel_b = NULL;
    g_autofree char *send_c = NULL;
    g_autofree char *send_d = NULL;
    g_autofree char *a_id = NULL;
    g_autofree char *b_id = NULL;
    GPtrArray *ims = e2e_peer_ims(sam);
    const char *expected[] = { text_c, text_a, text_d };
    guint sam_before = ims->len;
    const AjarEvent *a, *b, *c, *d; /* valid until queued is replaced */
    gint64 a_due, b_due;
    gint64 seq;

    use_rule("\"outgoing\": {\"action\": \"delay\", \"seconds\": 5, \"confirm\": false}", "count");
    seq = ajar_test_last_seq();
    test_client_send(me, sam_jid, text_a);
    test_client_send(me, sam_jid, text_b);
    g_assert_nonnull(e2e_seen_line(sam_jid,
                                   "Ajar: this will be sent in 1 min. /ajar cancel keeps it "
                                   "unsent, /ajar send sends it now.",
                                   PURPLE_MESSAGE_SYSTEM));
    queued = e2e_wait_journal(seq, AJAR_EVENT_QUEUED, 2);
    a = e2e_event_with_text(queued, text_a);
    b = e2e_event_with_text(queued, text_b);
    a_id = g_strdup(a->id);
    b_id = g_strdup(b->id);
    a_due = a->due;
    b_due = b->due;
    g_assert_cmpint(a_due, >=, a->ts + 5 * G_USEC_PER_SEC - 1000);
    cancel_b = g_strdup_printf("cancel %s", b->id);
    e2e_ajar(me, sam_jid, cancel_b);
    g_assert_cmpint(ajar_test_item_state(b->id), ==, AJAR_EVENT_CANCELLED);

    /* Send now: C goes at once, long before A's due time. */
    test_client_send(me, sam_jid, text_c);
    g_clear_pointer(&queued, g_ptr_array_unref);
    queued = e2e_wait_journal(seq, AJAR_EVENT_QUEUED, 3);
    c = e2e_event_with_text(queued, text_c);
    send_c = g_strdup_printf("send %s", c->id);
    e2e_ajar(me, sam_jid, send_c);
    e2e_peer_wait_im(sam, text_c);
    /* A was written before C: had it gone at once, it would be there. */
    g_assert_cmpuint(e2e_peer_count(sam, text_a), ==, 0);
    g_assert_cmpint(g_get_real_time(), <, a_due);
    /* Someone without a rule gets your messages at once. */
    test_client_send(me, friend_jid, "see you on friday");
    e2e_peer_wait_im(friend, "see you on friday");

    /* Send after the delay: A arrives, sent at its due time. */
    e2e_peer_wait_im(sam, text_a);
    g_assert_cmpint(ajar_test_item_state(a_id), ==, AJAR_EVENT_SENT);
    {
        g_autoptr(GPtrArray) sent = ajar_test_events_since(seq, AJAR_EVENT_SENT, a_id);
        g_assert_cmpuint(sent->len, ==, 1);
        g_assert_cmpint(((AjarEvent *)g_ptr_array_index(sent, 0))->ts, >=,
                        a_due - E2E_DUE_SLACK_US);
    }
    g_assert_nonnull(e2e_seen_line(sam_jid, text_a, PURPLE_MESSAGE_SEND));

    /* Cancel: once B's due time has passed, D goes at once; Sam gets D
     * and never B. */
    e2e_run_until(b_due + G_USEC_PER_SEC / 2);
    test_client_send(me, sam_jid, text_d);
    g_clear_pointer(&queued, g_ptr_array_unref);
    queued = e2e_wait_journal(seq, AJAR_EVENT_QUEUED, 4);
    d = e2e_event_with_text(queued, text_d);
    send_d = g_strdup_printf("send %s", d->id);
    e2e_ajar(me, sam_jid, send_d);
    e2e_peer_wait_im(sam, text_d);
    g_assert_cmpuint(ims->len - sam_before, ==, G_N_ELEMENTS(expected));
    for (guint i = 0; i < G_N_ELEMENTS(expected); i++) {
        const E2eIm *im = g_ptr_array_index(ims, sam_before + i);
        g_assert_true(e2e_is_buddy(im->who, me_jid));
        g_assert_cmpstr(im->text, ==, expected[i]);
    }
    g_assert_cmpuint(e2e_peer_count(sam, "please come back"), ==, 0);
    g_assert_cmpint(ajar_test_item_state(b_id), ==, AJAR_EVENT_CANCELLED);
    test_client_close_im(me, sam_jid);
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    me_jid = e2e_jid("me");
    sam_jid = e2e_jid("sam");
    friend_jid = e2e_jid("friend");
    me = e2e_add_xmpp_account("me", "Home");
    sam = e2e_peer_start_xmpp("sam", "phone");
    friend = e2e_peer_start_xmpp("friend", "laptop");

    g_test_add_func("/e2e/xmpp/hold-then-release", test_hold_then_release);
    g_test_add_func("/e2e/xmpp/archive", test_archive);
    g_test_add_func("/e2e/xmpp/incoming-delay", test_incoming_delay);
    g_test_add_func("/e2e/xmpp/pass-keywords", test_pass_keywords);
    g_test_add_func("/e2e/xmpp/cooling-off", test_cooling_off);
    status = g_test_run();

    e2e_peer_stop(friend);
    e2e_peer_stop(sam);
    ajar_test_unload();
    test_client_quit();
    test_client_cleanup();
    g_free(me_jid);
    g_free(sam_jid);
    g_free(friend_jid);
    return status;
}
