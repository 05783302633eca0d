/* test-xmpp.c — Ajar over real XMPP: "you" are this process, a headless
 * libpurple client with the built ajar.so, signed on to a local prosody as
 * me@example.org/Home; Sam (the contact you keep at a distance) and a friend
 * are plain libpurple clients in processes of their own (e2e-peer.c), so
 * every message travels through the server.
 *
 * Cases: hold then release, archive, incoming delay, pass keywords, and
 * cooling-off (sent after the delay, cancelled, sent now); the first and
 * the last are e2e-scenarios.c's, run over IRC too (test-irc.c). Each
 * writes its rules with Ajar off and switches it on again; they share the
 * clients and run in order. */
#include "e2e-scenarios.h"

/* You are me@example.org/Home; a rule for Sam names your account. */
static E2eParties parties;

static void
test_hold_then_release(void)
{
    e2e_scenario_hold_then_release(&parties);
}

static void
test_archive(void)
{
    g_autoptr(GPtrArray) archived = NULL;
    g_autoptr(GPtrArray) notices = NULL;
    gint64 seq;

    /* "message" would announce a held message; an archived one never. */
    e2e_use_sam_rule(&parties, "\"incoming\": {\"action\": \"archive\"}", "message");
    seq = ajar_test_last_seq();
    e2e_peer_send(parties.sam, parties.me_name, "I left a box at your door");
    archived = e2e_wait_journal(seq, AJAR_EVENT_ARCHIVED, 1);
    e2e_assert_from_sam(&parties, g_ptr_array_index(archived, 0), "I left a box at your door");
    e2e_assert_nothing_from(parties.sam_name);
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

    e2e_use_sam_rule(&parties, "\"incoming\": {\"action\": \"delay\", \"seconds\": 3}", "count");
    seq = ajar_test_last_seq();
    e2e_peer_send(parties.sam, parties.me_name, "call me when you can");
    delayed = e2e_wait_journal(seq, AJAR_EVENT_DELAYED, 1);
    event = g_ptr_array_index(delayed, 0);
    e2e_assert_from_sam(&parties, event, "call me when you can");
    g_assert_cmpint(event->due, >=, event->ts + 3 * G_USEC_PER_SEC - 1000);
    e2e_assert_nothing_from(parties.sam_name);

    /* Delivered at the due time as a fresh arrival: window, sound, log. */
    e2e_wait_received(parties.sam_name, "call me when you can");
    delivered = ajar_test_events_since(seq, AJAR_EVENT_DELIVERED, NULL);
    g_assert_cmpuint(delivered->len, ==, 1);
    g_assert_cmpint(((AjarEvent *)g_ptr_array_index(delivered, 0))->ts, >=,
                    event->due - E2E_DUE_SLACK_US);
    g_assert_cmpuint(e2e_seen_windows_for(parties.sam_name), ==, 1);
    line = e2e_seen_line(parties.sam_name, "call me when you can", PURPLE_MESSAGE_RECV);
    g_assert_nonnull(line);
    g_assert_cmpint(line->mtime, ==, event->time / G_USEC_PER_SEC);
    test_client_close_im(parties.me, parties.sam_name);
}

static void
test_pass_keywords(void)
{
    g_autoptr(GPtrArray) passed = NULL;
    g_autoptr(GPtrArray) held = NULL;
    gint64 seq;

    e2e_use_sam_rule(&parties,
                     "\"incoming\": {\"action\": \"hold\"}, \"pass_keywords\": [\"emergency\", "
                     "\"hospital\"]",
                     "count");
    seq = ajar_test_last_seq();
    e2e_peer_send(parties.sam, parties.me_name, "miss you");
    e2e_peer_send(parties.sam, parties.me_name, "EMERGENCY: your mum is at the Hospital");

    held = e2e_wait_journal(seq, AJAR_EVENT_HELD, 1);
    passed = e2e_wait_journal(seq, AJAR_EVENT_PASSED, 1);
    e2e_assert_from_sam(&parties, g_ptr_array_index(held, 0), "miss you");
    /* The keyword let it in at once; the journal notes that, not what. */
    e2e_wait_received(parties.sam_name, "EMERGENCY: your mum is at the Hospital");
    g_assert_null(((AjarEvent *)g_ptr_array_index(passed, 0))->text);
    g_assert_cmpuint(e2e_seen_received_from(parties.sam_name, NULL), ==, 1);
    g_assert_nonnull(e2e_seen_line(parties.sam_name, "EMERGENCY", PURPLE_MESSAGE_RECV));
    g_assert_null(e2e_seen_line(parties.sam_name, "miss you", 0));
    test_client_close_im(parties.me, parties.sam_name);
}

static void
test_cooling_off(void)
{
    e2e_scenario_cooling_off(&parties,
                             "{\"action\": \"delay\", \"seconds\": 5, \"confirm\": false}");
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

    g_test_add_func("/e2e/xmpp/hold-then-release", test_hold_then_release);
    g_test_add_func("/e2e/xmpp/archive", test_archive);
    g_test_add_func("/e2e/xmpp/incoming-delay", test_incoming_delay);
    g_test_add_func("/e2e/xmpp/pass-keywords", test_pass_keywords);
    g_test_add_func("/e2e/xmpp/cooling-off", test_cooling_off);
    status = g_test_run();

    e2e_parties_stop(&parties);
    ajar_test_unload();
    test_client_quit();
    test_client_cleanup();
    return status;
}
