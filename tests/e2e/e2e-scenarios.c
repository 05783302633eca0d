/* e2e-scenarios.c — the protocol-independent end-to-end scenarios and
 * their parties (e2e-scenarios.h). */
#include "e2e-scenarios.h"

#include <string.h>

/* What the user saw (e2e-test.h), one copy for the whole test binary. */
GPtrArray *e2e_seen_windows;
GPtrArray *e2e_seen_lines;
GPtrArray *e2e_seen_received;

void
e2e_parties_start_xmpp(E2eParties *parties)
{
    parties->protocol = "prpl-jabber";
    parties->me_name = e2e_jid("me");
    parties->me_as_seen = g_strdup_printf("%s/Home", parties->me_name);
    parties->rule_account = NULL;
    parties->sam_name = e2e_jid("sam");
    parties->sam_as_kept = g_strdup_printf("%s/phone", parties->sam_name);
    parties->friend_name = e2e_jid("friend");
    parties->me = e2e_add_xmpp_account("me", "Home");
    parties->sam = e2e_peer_start_xmpp("sam", "phone");
    parties->friend = e2e_peer_start_xmpp("friend", "laptop");
}

void
e2e_parties_start_irc(E2eParties *parties)
{
    parties->protocol = "prpl-irc";
    parties->me_name = g_strdup("me");
    parties->me_as_seen = g_strdup("me");
    parties->rule_account = NULL;
    parties->sam_name = g_strdup("sam");
    parties->sam_as_kept = g_strdup("sam");
    parties->friend_name = g_strdup("friend");
    parties->me = e2e_add_irc_account(parties->me_name);
    parties->sam = e2e_peer_start_irc(parties->sam_name);
    parties->friend = e2e_peer_start_irc(parties->friend_name);
}

void
e2e_parties_stop(E2eParties *parties)
{
    e2e_peer_stop(parties->friend);
    e2e_peer_stop(parties->sam);
    g_free(parties->me_name);
    g_free(parties->me_as_seen);
    g_free(parties->rule_account);
    g_free(parties->sam_name);
    g_free(parties->sam_as_kept);
    g_free(parties->friend_name);
    memset(parties, 0, sizeof(*parties));
}

void
e2e_use_rules(const char *json)
{
    ajar_test_reload_with_rules(json);
    e2e_seen_reset();
}

void
e2e_use_sam_rule(const E2eParties *parties, const char *body, const char *notify)
{
    g_autoptr(GString) json = g_string_new("{\"version\": 1, \"rules\": [{\"name\": \"Sam\", "
                                           "\"match\": [{");

    if (parties->rule_account != NULL)
        g_string_append_printf(json, "\"account\": \"%s\", ", parties->rule_account);
    g_string_append_printf(json, "\"protocol\": \"%s\", \"buddy\": \"%s\"}], %s}]",
                           parties->protocol, parties->sam_name, body);
    if (notify != NULL)
        g_string_append_printf(json, ", \"settings\": {\"notify\": \"%s\"}", notify);
    g_string_append(json, "}\n");
    e2e_use_rules(json->str);
}

void
e2e_assert_from_sam(const E2eParties *parties, const AjarEvent *event, const char *text)
{
    g_assert_true(event->has_dir);
    g_assert_cmpint(event->dir, ==, AJAR_DIRECTION_IN);
    g_assert_cmpstr(event->account, ==, purple_account_get_username(parties->me));
    g_assert_cmpstr(event->protocol, ==, parties->protocol);
    /* The full name it came from (over XMPP: with Sam's resource). */
    g_assert_cmpstr(event->buddy, ==, parties->sam_as_kept);
    g_assert_cmpstr(event->rule, ==, "Sam");
    g_assert_cmpstr(event->text, ==, text);
}

void
e2e_scenario_hold_then_release(const E2eParties *parties)
{
    static const char *const texts[] = { "are you awake?", "I still have your key" };
    PurpleAccount *me = parties->me;
    const char *sam = parties->sam_name;
    g_autoptr(GPtrArray) held = NULL;
    g_autoptr(GPtrArray) released = NULL;
    g_autofree char *log = NULL;
    time_t before = time(NULL);
    gint64 seq;

    e2e_use_sam_rule(parties, "\"incoming\": {\"action\": \"hold\"}", "count");
    seq = ajar_test_last_seq();
    for (guint i = 0; i < G_N_ELEMENTS(texts); i++)
        e2e_peer_send(parties->sam, parties->me_name, texts[i]);
    e2e_peer_send(parties->friend, parties->me_name, "dinner on friday?");

    held = e2e_wait_journal(seq, AJAR_EVENT_HELD, 2);
    /* The friend is not Sam: shown as usual. */
    e2e_wait_received(parties->friend_name, "dinner on friday?");
    g_assert_cmpuint(e2e_seen_windows_for(parties->friend_name), ==, 1);
    /* Sam's are kept, nothing of them shown or logged. */
    e2e_assert_nothing_from(sam);
    for (guint i = 0; i < G_N_ELEMENTS(texts); i++)
        e2e_assert_from_sam(parties, g_ptr_array_index(held, i), texts[i]);
    log = test_client_read_log(me, sam);
    g_assert_null(strstr(log, "awake"));
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_HELD), ==, 2);

    /* The user releases them from the conversation. */
    e2e_ajar(me, sam, "release");
    for (guint i = 0; i < G_N_ELEMENTS(texts); i++) {
        const E2eSeenLine *line;

        e2e_wait_received(sam, texts[i]);
        line = e2e_seen_line(sam, texts[i], PURPLE_MESSAGE_RECV);
        g_assert_nonnull(line);
        /* Shown with the time it came, not the time it was released. */
        g_assert_cmpint(line->mtime, ==,
                        ((AjarEvent *)g_ptr_array_index(held, i))->time / G_USEC_PER_SEC);
        g_assert_cmpint(line->mtime, >=, before);
    }
    g_assert_cmpuint(e2e_seen_received_from(sam, NULL), ==, 2);
    released = ajar_test_events_since(seq, AJAR_EVENT_RELEASED, NULL);
    g_assert_cmpuint(released->len, ==, 2);
    g_clear_pointer(&log, g_free);
    log = test_client_read_log(me, sam);
    g_assert_nonnull(strstr(log, "are you awake?"));
    g_assert_nonnull(strstr(log, "I still have your key"));
    test_client_close_im(me, sam);
}

/* Sends the queued message with @text in @queued at once, with /ajar send
 * ID in the conversation with Sam, and waits until Sam has it. */
static void
send_now(const E2eParties *parties, GPtrArray *queued, const char *text)
{
    g_autofree char *command = g_strdup_printf("send %s", e2e_event_with_text(queued, text)->id);

    e2e_ajar(parties->me, parties->sam_name, command);
    e2e_peer_wait_im(parties->sam, text);
}

void
e2e_scenario_cooling_off(const E2eParties *parties, const char *outgoing)
{
    static const char text_a[] = "A: I was thinking of you";
    static const char text_b[] = "B: please come back";
    static const char text_c[] = "C: the keys are with Jo";
    static const char text_d[] = "D: take care";
    PurpleAccount *me = parties->me;
    const char *sam = parties->sam_name;
    g_autoptr(GPtrArray) queued = NULL;
    g_autofree char *rule = g_strdup_printf("\"outgoing\": %s", outgoing);
    g_autofree char *cancel_b = NULL;
    g_autofree char *a_id = NULL;
    g_autofree char *b_id = NULL;
    GPtrArray *ims = e2e_peer_ims(parties->sam);
    const char *expected[] = { text_c, text_a, text_d };
    guint sam_before = ims->len;
    const AjarEvent *a, *b; /* valid until queued is replaced */
    gint64 a_due, b_due;
    gint64 seq;

    e2e_use_sam_rule(parties, rule, "count");
    seq = ajar_test_last_seq();
    test_client_send(me, sam, text_a);
    test_client_send(me, sam, text_b);
    g_assert_nonnull(e2e_seen_line(sam,
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
    e2e_ajar(me, sam, cancel_b);
    g_assert_cmpint(ajar_test_item_state(b_id), ==, AJAR_EVENT_CANCELLED);

    /* Send now: C goes at once, long before A's due time. */
    test_client_send(me, sam, text_c);
    g_clear_pointer(&queued, g_ptr_array_unref);
    queued = e2e_wait_journal(seq, AJAR_EVENT_QUEUED, 3);
    send_now(parties, queued, text_c);
    /* A was written before C: had it gone at once, it would be there. */
    g_assert_cmpuint(e2e_peer_count(parties->sam, text_a), ==, 0);
    g_assert_cmpint(g_get_real_time(), <, a_due);
    /* Someone without a rule gets your messages at once. */
    test_client_send(me, parties->friend_name, "see you on friday");
    e2e_peer_wait_im(parties->friend, "see you on friday");

    /* Send after the delay: A arrives, sent at its due time. */
    e2e_peer_wait_im(parties->sam, text_a);
    g_assert_cmpint(ajar_test_item_state(a_id), ==, AJAR_EVENT_SENT);
    {
        g_autoptr(GPtrArray) sent = ajar_test_events_since(seq, AJAR_EVENT_SENT, a_id);
        g_assert_cmpuint(sent->len, ==, 1);
        g_assert_cmpint(((AjarEvent *)g_ptr_array_index(sent, 0))->ts, >=,
                        a_due - E2E_DUE_SLACK_US);
    }
    g_assert_nonnull(e2e_seen_line(sam, text_a, PURPLE_MESSAGE_SEND));

    /* Cancel: once B's due time has passed, D goes at once; Sam gets D
     * and never B. */
    e2e_run_until(b_due + G_USEC_PER_SEC / 2);
    test_client_send(me, sam, text_d);
    g_clear_pointer(&queued, g_ptr_array_unref);
    queued = e2e_wait_journal(seq, AJAR_EVENT_QUEUED, 4);
    send_now(parties, queued, text_d);
    g_assert_cmpuint(ims->len - sam_before, ==, G_N_ELEMENTS(expected));
    for (guint i = 0; i < G_N_ELEMENTS(expected); i++) {
        const E2eIm *im = g_ptr_array_index(ims, sam_before + i);
        g_assert_cmpstr(im->who, ==, parties->me_as_seen);
        g_assert_cmpstr(im->text, ==, expected[i]);
    }
    g_assert_cmpuint(e2e_peer_count(parties->sam, "please come back"), ==, 0);
    g_assert_cmpint(ajar_test_item_state(b_id), ==, AJAR_EVENT_CANCELLED);
    test_client_close_im(me, sam);
}
