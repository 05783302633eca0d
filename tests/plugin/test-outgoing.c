/* test-outgoing.c — your own messages to them: cooling-off, cancel, send now,
 * asking first, unsent letters, and the order against an encryption plugin.
 *
 * The built ajar.so is loaded by path with the rules each case needs (written
 * to rules.json first, as a hand edit). What the user would notice is
 * asserted: what reached the protocol's send_im (the network), the lines in
 * the window, the dialogs and their default answer, and the journal. The
 * cases share one core and run in order; each loads Ajar afresh and leaves
 * nothing waiting, so any one can also run alone (-p). */
#include "ajar-test-util.h"
#include "test-crypt.h"

#define ME "me@example.org/Home"
#define SAM "sam@example.org"

#define QUEUED_LINE \
    "Ajar: this will be sent in 1 min. /ajar cancel keeps it unsent, /ajar send sends it now."
/* "ID" stands for the message's id. */
#define LETTER_LINE "Ajar: kept as an unsent letter. /ajar send ID sends it, /ajar review shows it."

#define RULES_HEAD \
    "{\"version\": 1, \"rules\": [{\"name\": \"Sam\", \"match\": [{\"buddy\": \"" SAM "\"}], "
#define RULES_TAIL "}]}"

static const char rules_cooloff[] = RULES_HEAD
    "\"outgoing\": {\"action\": \"delay\", \"seconds\": 1, \"confirm\": false}" RULES_TAIL;
static const char rules_confirm[] = RULES_HEAD
    "\"outgoing\": {\"action\": \"delay\", \"seconds\": 1, \"confirm\": true}" RULES_TAIL;
static const char rules_letter[] = RULES_HEAD "\"outgoing\": {\"action\": \"hold\"}" RULES_TAIL;
static const char rules_crypt[] =
    RULES_HEAD "\"incoming\": {\"action\": \"hold\"}, "
               "\"outgoing\": {\"action\": \"delay\", \"seconds\": 1}" RULES_TAIL;

/* ---- what went to the network, collected while waiting ---- */

static GPtrArray *wire; /* char*: the messages send_im got, oldest first */

static void
wire_collect(void)
{
    g_autoptr(GPtrArray) sent = test_client_take_sent();

    if (wire == NULL)
        wire = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < sent->len; i++) {
        const TestSent *item = g_ptr_array_index(sent, i);

        g_assert_cmpstr(item->account, ==, ME);
        g_assert_cmpstr(purple_normalize(test_client_find_account(ME), item->who), ==, SAM);
        g_ptr_array_add(wire, g_strdup(item->message));
    }
}

static guint
wire_count(void)
{
    wire_collect();
    return wire->len;
}

static gboolean
wire_has_cb(gpointer data)
{
    return wire_count() >= GPOINTER_TO_UINT(data);
}

static void
wait_for_wire(guint count)
{
    test_client_wait_for(wire_has_cb, GUINT_TO_POINTER(count), "a message on the network");
}

static const char *
wire_message(guint index)
{
    wire_collect();
    g_assert_cmpuint(index, <, wire->len);
    return g_ptr_array_index(wire, index);
}

/* ---- dialogs ---- */

static GPtrArray *shown_requests;

static gboolean
request_shown_cb(gpointer data)
{
    g_autoptr(GPtrArray) requests = test_client_take_requests();

    if (requests->len == 0)
        return FALSE;
    g_clear_pointer(&shown_requests, g_ptr_array_unref);
    shown_requests = g_steal_pointer(&requests);
    return TRUE;
}

/* Waits for the "send it now?" question. Returns: (transfer none) it; valid
 * until the next call. */
static TestRequest *
wait_for_question(void)
{
    TestRequest *request;

    test_client_wait_for(request_shown_cb, NULL, "Ajar to ask before sending");
    g_assert_cmpuint(shown_requests->len, ==, 1);
    request = g_ptr_array_index(shown_requests, 0);
    g_assert_cmpint(request->type, ==, PURPLE_REQUEST_ACTION);
    g_assert_cmpstr(request->title, ==, "Ajar");
    g_assert_nonnull(strstr(request->primary, SAM));
    g_assert_nonnull(strstr(request->primary, "Send it now?"));
    g_assert_cmpstr(request->account, ==, ME);
    g_assert_cmpint(test_client_request_find_action(request, "Send"), >=, 0);
    /* Pressing Enter (the default) must not send. */
    g_assert_cmpint(request->default_action, ==,
                    test_client_request_find_action(request, "Keep it unsent"));
    g_assert_false(request->closed);
    return request;
}

static void
assert_no_requests(void)
{
    g_autoptr(GPtrArray) requests = test_client_take_requests();

    g_assert_cmpuint(requests->len, ==, 0);
}

/* ---- each case ---- */

static PurpleAccount *
start(const char *rules)
{
    PurpleAccount *account = ajar_test_account(ME);

    ajar_test_write_rules(rules);
    ajar_test_load();
    ajar_test_drain();
    g_clear_pointer(&wire, g_ptr_array_unref);
    g_clear_pointer(&shown_requests, g_ptr_array_unref);
    return account;
}

static void
finish(void)
{
    ajar_test_unload();
    ajar_test_drain();
    g_clear_pointer(&wire, g_ptr_array_unref);
    g_clear_pointer(&shown_requests, g_ptr_array_unref);
}

/* Types @text to Sam; Ajar must keep it. Returns: (transfer full) the id of
 * the custody event of @type it journaled (written before send returned). */
static char *
send_kept(PurpleAccount *account, const char *text, AjarEventType type, const char *line_text)
{
    gint64 seq = ajar_test_last_seq();
    g_autoptr(GPtrArray) events = NULL;
    g_autoptr(GPtrArray) lines = NULL;
    const AjarEvent *event;
    const TestLine *line;
    guint wire_before = wire_count();
    guint sent_before = test_client_signal_count("sent-im-msg");

    test_client_send(account, SAM, text);
    g_assert_cmpuint(wire_count(), ==, wire_before);
    g_assert_cmpuint(test_client_signal_count("sent-im-msg"), ==, sent_before);

    /* The window says what happened, once, and does not show the message as sent. */
    lines = test_client_take_lines();
    g_assert_cmpuint(lines->len, ==, 1);
    line = g_ptr_array_index(lines, 0);
    g_assert_true(line->flags & PURPLE_MESSAGE_SYSTEM);
    g_assert_false(line->flags & PURPLE_MESSAGE_SEND);

    events = ajar_test_events_since(seq, type, NULL);
    g_assert_cmpuint(events->len, ==, 1);
    event = g_ptr_array_index(events, 0);
    {
        g_autoptr(GRegex) id = g_regex_new("\\bID\\b", 0, 0, NULL);
        g_autofree char *expected =
            g_regex_replace_literal(id, line_text, -1, 0, event->id, 0, NULL);
        g_assert_cmpstr(line->message, ==, expected);
    }
    g_assert_true(event->has_dir);
    g_assert_cmpint(event->dir, ==, AJAR_DIRECTION_OUT);
    g_assert_cmpstr(event->account, ==, ME);
    g_assert_cmpstr(event->protocol, ==, TEST_PRPL_ID);
    g_assert_cmpstr(event->buddy, ==, SAM);
    g_assert_cmpstr(event->rule, ==, "Sam");
    g_assert_cmpstr(event->text, ==, text);
    if (type == AJAR_EVENT_QUEUED) {
        /* Due a second after it was written. */
        g_assert_cmpint(event->due, >, event->ts);
        g_assert_cmpint(event->due - event->ts, <=, G_USEC_PER_SEC + 1000);
        g_assert_cmpint(event->due - event->ts, >=, G_USEC_PER_SEC / 2);
    }
    return g_strdup(event->id);
}

static PurpleCmdStatus
ajar_command(PurpleAccount *account, const char *args)
{
    g_autofree char *cmdline = g_strdup_printf("ajar %s", args);

    return test_client_command(account, SAM, cmdline);
}

/* The last line written, which must be Ajar's own answer to a command. */
static void
assert_said(const char *expected)
{
    g_autoptr(GPtrArray) lines = test_client_take_lines();

    g_assert_cmpuint(lines->len, >=, 1);
    g_assert_cmpstr(((TestLine *)g_ptr_array_index(lines, lines->len - 1))->message, ==, expected);
}

static void
test_cooling_off(void)
{
    PurpleAccount *account = start(rules_cooloff);
    g_autofree char *id = send_kept(account, "I miss you", AJAR_EVENT_QUEUED, QUEUED_LINE);
    g_autoptr(GPtrArray) lines = NULL;

    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_QUEUED);

    /* At the due time it goes through the normal send path, once. */
    wait_for_wire(1);
    ajar_test_run_for(300);
    g_assert_cmpuint(wire_count(), ==, 1);
    g_assert_cmpstr(wire_message(0), ==, "I miss you");
    g_assert_cmpuint(test_client_signal_count("sent-im-msg"), ==, 1);
    lines = test_client_take_lines();
    g_assert_cmpuint(lines->len, ==, 1);
    g_assert_true(((TestLine *)g_ptr_array_index(lines, 0))->flags & PURPLE_MESSAGE_SEND);
    g_assert_cmpstr(((TestLine *)g_ptr_array_index(lines, 0))->message, ==, "I miss you");
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENT, id), ==, 1);
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_SENT);
    assert_no_requests();
    finish();
}

static void
test_cooling_off_window_closed(void)
{
    PurpleAccount *account = start(rules_cooloff);
    g_autofree char *id = send_kept(account, "one more thing", AJAR_EVENT_QUEUED, QUEUED_LINE);

    /* The user closes the window; the message still goes at its time. */
    test_client_close_im(account, SAM);
    wait_for_wire(1);
    ajar_test_run_for(300);
    g_assert_cmpuint(wire_count(), ==, 1);
    g_assert_cmpstr(wire_message(0), ==, "one more thing");
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENT, id), ==, 1);
    finish();
}

static void
test_cancel(void)
{
    PurpleAccount *account = start(rules_cooloff);
    g_autofree char *id = send_kept(account, "call me tonight", AJAR_EVENT_QUEUED, QUEUED_LINE);
    g_autofree char *send_id = NULL;

    g_assert_cmpint(ajar_command(account, "cancel"), ==, PURPLE_CMD_STATUS_OK);
    assert_said("Ajar: 1 message kept unsent.");
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_CANCELLED);

    /* Well past the due time: never sent, never asked about. */
    ajar_test_run_for(1500);
    g_assert_cmpuint(wire_count(), ==, 0);
    assert_no_requests();
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENT, id), ==, 0);
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_CANCELLED);

    /* Kept as an unsent letter: the user can still send it by its id. */
    send_id = g_strdup_printf("send %.10s", id);
    g_assert_cmpint(ajar_command(account, send_id), ==, PURPLE_CMD_STATUS_OK);
    g_assert_cmpuint(wire_count(), ==, 1);
    g_assert_cmpstr(wire_message(0), ==, "call me tonight");
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENT, id), ==, 1);
    ajar_test_run_for(200);
    g_assert_cmpuint(wire_count(), ==, 1);
    finish();
}

static void
test_send_now(void)
{
    PurpleAccount *account = start(rules_cooloff);
    g_autofree char *id = send_kept(account, "sorry about before", AJAR_EVENT_QUEUED, QUEUED_LINE);

    g_assert_cmpint(ajar_command(account, "send"), ==, PURPLE_CMD_STATUS_OK);
    /* At once, not at the due time. */
    g_assert_cmpuint(wire_count(), ==, 1);
    g_assert_cmpstr(wire_message(0), ==, "sorry about before");
    assert_said("Ajar: 1 message sent.");
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENT, id), ==, 1);

    /* The due time passes: the timer does not send it again. */
    ajar_test_run_for(1500);
    g_assert_cmpuint(wire_count(), ==, 1);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENT, id), ==, 1);
    assert_no_requests();
    finish();
}

static void
test_confirm_send(void)
{
    PurpleAccount *account = start(rules_confirm);
    g_autofree char *id = send_kept(account, "are you there?", AJAR_EVENT_QUEUED, QUEUED_LINE);
    TestRequest *question = wait_for_question();

    g_assert_cmpstr(question->secondary, ==, "are you there?");
    /* Asking sends nothing and changes nothing. */
    g_assert_cmpuint(wire_count(), ==, 0);
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_QUEUED);

    test_client_request_answer(question, test_client_request_find_action(question, "Send"));
    g_assert_true(question->closed);
    g_assert_cmpuint(wire_count(), ==, 1);
    g_assert_cmpstr(wire_message(0), ==, "are you there?");
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENT, id), ==, 1);
    ajar_test_run_for(300);
    g_assert_cmpuint(wire_count(), ==, 1);
    assert_no_requests();
    finish();
}

static void
test_confirm_keep(void)
{
    PurpleAccount *account = start(rules_confirm);
    g_autofree char *id = send_kept(account, "I still think about", AJAR_EVENT_QUEUED, QUEUED_LINE);
    TestRequest *question = wait_for_question();
    g_autoptr(AjarState) state = NULL;

    test_client_request_answer(question, question->default_action);
    g_assert_true(question->closed);
    ajar_test_run_for(1200);
    g_assert_cmpuint(wire_count(), ==, 0);
    assert_no_requests();
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENT, id), ==, 0);
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_CANCELLED);
    /* Still kept, as an unsent letter. */
    state = ajar_test_read_state();
    g_assert_true(ajar_item_in_custody(ajar_state_lookup(state, id)));
    finish();
}

static void
test_confirm_dismissed(void)
{
    PurpleAccount *account = start(rules_confirm);
    g_autofree char *id = send_kept(account, "just checking in", AJAR_EVENT_QUEUED, QUEUED_LINE);
    TestRequest *question = wait_for_question();
    g_autoptr(AjarState) state = NULL;
    g_autofree char *send_id = NULL;

    /* Closing the window answers nothing, and nothing is sent. */
    test_client_request_cancel(question);
    g_assert_true(question->closed);
    ajar_test_run_for(1200);
    g_assert_cmpuint(wire_count(), ==, 0);
    assert_no_requests();
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENT, id), ==, 0);
    state = ajar_test_read_state();
    g_assert_true(ajar_item_in_custody(ajar_state_lookup(state, id)));
    /* Still the user's to send. */
    send_id = g_strdup_printf("send %s", id);
    g_assert_cmpint(ajar_command(account, send_id), ==, PURPLE_CMD_STATUS_OK);
    g_assert_cmpuint(wire_count(), ==, 1);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENT, id), ==, 1);
    finish();
}

static void
test_confirm_cancel_while_asking(void)
{
    PurpleAccount *account = start(rules_confirm);
    g_autofree char *id = send_kept(account, "never mind", AJAR_EVENT_QUEUED, QUEUED_LINE);
    TestRequest *question = wait_for_question();

    /* The user answers in the window instead of the dialog. */
    g_assert_cmpint(ajar_command(account, "cancel"), ==, PURPLE_CMD_STATUS_OK);
    assert_said("Ajar: 1 message kept unsent.");
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_CANCELLED);
    /* The question is settled: it must not stay open to be answered again. */
    g_assert_true(question->closed);
    g_assert_false(question->answered);
    ajar_test_run_for(300);
    g_assert_cmpuint(wire_count(), ==, 0);
    finish();
}

static void
test_confirm_send_now_while_asking(void)
{
    PurpleAccount *account = start(rules_confirm);
    g_autofree char *id = send_kept(account, "ok, one question", AJAR_EVENT_QUEUED, QUEUED_LINE);
    TestRequest *question = wait_for_question();

    g_assert_cmpint(ajar_command(account, "send"), ==, PURPLE_CMD_STATUS_OK);
    g_assert_cmpuint(wire_count(), ==, 1);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENT, id), ==, 1);
    g_assert_true(question->closed);
    ajar_test_run_for(300);
    g_assert_cmpuint(wire_count(), ==, 1);
    finish();
}

static void
test_unsent_letter(void)
{
    PurpleAccount *account = start(rules_letter);
    g_autofree char *id =
        send_kept(account, "Dear Sam, I have started", AJAR_EVENT_HELD, LETTER_LINE);
    g_autofree char *send_id = NULL;
    g_autofree char *second = NULL;

    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_HELD);
    ajar_test_run_for(300);
    g_assert_cmpuint(wire_count(), ==, 0);
    assert_no_requests();

    send_id = g_strdup_printf("send %s", id);
    g_assert_cmpint(ajar_command(account, send_id), ==, PURPLE_CMD_STATUS_OK);
    g_assert_cmpuint(wire_count(), ==, 1);
    g_assert_cmpstr(wire_message(0), ==, "Dear Sam, I have started");
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENT, id), ==, 1);

    /* A bare "/ajar send" is for what is cooling off: a letter was kept on
     * purpose and does not go as a side effect. "send all" sends it. */
    g_ptr_array_unref(test_client_take_lines());
    second = send_kept(account, "P.S. the keys", AJAR_EVENT_HELD, LETTER_LINE);
    g_assert_cmpint(ajar_command(account, "send"), ==, PURPLE_CMD_STATUS_OK);
    g_assert_cmpuint(wire_count(), ==, 1);
    g_assert_cmpint(ajar_test_item_state(second), ==, AJAR_EVENT_HELD);
    {
        g_autofree char *send_second = g_strdup_printf("send %s", second);
        g_assert_cmpint(ajar_command(account, send_second), ==, PURPLE_CMD_STATUS_OK);
    }
    g_assert_cmpuint(wire_count(), ==, 2);
    g_assert_cmpstr(wire_message(1), ==, "P.S. the keys");
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENT, second), ==, 1);
    finish();
}

static void
test_encryption_order(void)
{
    PurpleAccount *account = start(rules_crypt);
    g_autofree char *wire_in = test_crypt_encrypt("are you awake?");
    g_autofree char *expected_out = test_crypt_encrypt("I miss you");
    g_autoptr(GPtrArray) held = NULL;
    g_autofree char *id = NULL;
    gint64 seq = ajar_test_last_seq();

    test_crypt_start();

    /* Theirs: decrypted first, then held; the journal keeps the plaintext. */
    test_client_receive(account, SAM, wire_in, 0, time(NULL));
    g_assert_cmpuint(test_crypt_decrypted_count(), ==, 1);
    g_assert_cmpuint(test_client_signal_count("received-im-msg"), ==, 0);
    {
        g_autoptr(GPtrArray) lines = test_client_take_lines();
        g_assert_cmpuint(lines->len, ==, 0);
    }
    held = ajar_test_events_since(seq, AJAR_EVENT_HELD, NULL);
    g_assert_cmpuint(held->len, ==, 1);
    g_assert_cmpstr(((AjarEvent *)g_ptr_array_index(held, 0))->text, ==, "are you awake?");

    /* Yours: kept before encryption, so the journal has the plaintext... */
    id = send_kept(account, "I miss you", AJAR_EVENT_QUEUED, QUEUED_LINE);
    g_assert_cmpuint(test_crypt_times_encrypted("I miss you"), ==, 0);

    /* ...and when it goes it passes through the encryption exactly once. */
    wait_for_wire(1);
    ajar_test_run_for(300);
    g_assert_cmpuint(wire_count(), ==, 1);
    g_assert_cmpstr(wire_message(0), ==, expected_out);
    g_assert_cmpuint(test_crypt_times_encrypted("I miss you"), ==, 1);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENT, id), ==, 1);

    test_crypt_stop();
    finish();
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    g_test_add_func("/plugin/outgoing/cooling-off", test_cooling_off);
    g_test_add_func("/plugin/outgoing/cooling-off-window-closed", test_cooling_off_window_closed);
    g_test_add_func("/plugin/outgoing/cancel", test_cancel);
    g_test_add_func("/plugin/outgoing/send-now", test_send_now);
    g_test_add_func("/plugin/outgoing/confirm-send", test_confirm_send);
    g_test_add_func("/plugin/outgoing/confirm-keep", test_confirm_keep);
    g_test_add_func("/plugin/outgoing/confirm-dismissed", test_confirm_dismissed);
    g_test_add_func("/plugin/outgoing/encryption-order", test_encryption_order);
    g_test_add_func("/plugin/outgoing/unsent-letter", test_unsent_letter);
    g_test_add_func("/plugin/outgoing/confirm-cancel-while-asking",
                    test_confirm_cancel_while_asking);
    g_test_add_func("/plugin/outgoing/confirm-send-now-while-asking",
                    test_confirm_send_now_while_asking);
    status = g_test_run();

    g_clear_pointer(&wire, g_ptr_array_unref);
    g_clear_pointer(&shown_requests, g_ptr_array_unref);
    test_client_quit();
    test_client_cleanup();
    return status;
}
