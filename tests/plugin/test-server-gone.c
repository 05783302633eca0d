/* test-server-gone.c — the server goes away: a cooling-off message or a
 * delayed delivery falls due while the account is offline, or the
 * connection breaks (or the protocol refuses) at the moment Ajar sends.
 *
 * What a user must be able to count on: nothing is sent or shown while
 * the account is offline; once it is back, their delayed message is shown
 * once and yours is asked about ("send it now?", default keep); a message
 * whose send broke is kept, marked as perhaps gone, and asked about again
 * ("it may or may not have reached them"), never sent again unasked; and
 * signing on again and again changes none of that (no second question,
 * send or delivery). The protocol is the in-test one (test-prpl.h), which
 * can refuse a send or lose its connection in the middle of one, as XMPP
 * and IRC do when the server dies; the e2e suite does the same with a real
 * prosody and ngircd killed and started again (tests/e2e/test-server-gone.c). */
#include "ajar-test-util.h"

#include <errno.h>

#include <connection.h>

#define ME "me@example.org/Home"
#define SAM "sam@example.org"

static const char rules[] = "{\"version\": 1, \"rules\": [{\"name\": \"Sam\", \"match\": "
                            "[{\"buddy\": \"" SAM "\"}], "
                            "\"incoming\": {\"action\": \"delay\", \"seconds\": 1}, "
                            "\"outgoing\": {\"action\": \"delay\", \"seconds\": 1, "
                            "\"confirm\": false}}]}";

#define DUE_OFFLINE_QUESTION "Your message to " SAM " was due while you were offline. Send it now?"
#define BROKEN_QUESTION                                                                     \
    "The connection failed while your message to " SAM " was being sent, so it may or may " \
    "not have reached them. Send it again?"

/* What reached the protocol's send_im, collected while waiting. */
static GPtrArray *wire; /* char* */
/* The dialogs last taken by only_question(), kept while a test answers them. */
static GPtrArray *asked;

static guint
wire_count(void)
{
    g_autoptr(GPtrArray) sent = test_client_take_sent();

    if (wire == NULL)
        wire = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < sent->len; i++)
        g_ptr_array_add(wire, g_strdup(((TestSent *)g_ptr_array_index(sent, i))->message));
    return wire->len;
}

static gboolean
wire_has_cb(gpointer data)
{
    return wire_count() >= GPOINTER_TO_UINT(data);
}

static PurpleAccount *
start(void)
{
    PurpleAccount *account = ajar_test_account(ME);

    test_client_connect(account);
    ajar_test_write_rules(rules);
    ajar_test_load();
    ajar_test_drain();
    g_clear_pointer(&wire, g_ptr_array_unref);
    return account;
}

static void
finish(void)
{
    ajar_test_unload();
    test_client_close_im(test_client_find_account(ME), SAM);
    test_prpl_clear();
    ajar_test_drain();
    g_clear_pointer(&wire, g_ptr_array_unref);
    g_clear_pointer(&asked, g_ptr_array_unref);
}

/* Your message to Sam, queued for a second. Returns: (transfer full) its id. */
static char *
send_queued(PurpleAccount *account, const char *text)
{
    gint64 seq = ajar_test_last_seq();
    g_autoptr(GPtrArray) queued = NULL;

    test_client_send(account, SAM, text);
    g_assert_cmpuint(wire_count(), ==, 0);
    queued = ajar_test_events_since(seq, AJAR_EVENT_QUEUED, NULL);
    g_assert_cmpuint(queued->len, ==, 1);
    return g_strdup(((AjarEvent *)g_ptr_array_index(queued, 0))->id);
}

/* Signs the account off and on @times times, running the loop a little
 * each time, as a flaky network does. Ends online. */
static void
flap(PurpleAccount *account, guint times)
{
    for (guint i = 0; i < times; i++) {
        test_client_disconnect(account);
        ajar_test_run_for(50);
        test_client_connect(account);
        ajar_test_run_for(100);
    }
}

/* The one question asked since the last look, checked to default to
 * keeping the message. Returns: (transfer none): it, valid until the next
 * call or finish(). */
static TestRequest *
only_question(const char *primary, const char *send_label)
{
    TestRequest *request;

    g_clear_pointer(&asked, g_ptr_array_unref);
    asked = test_client_take_requests();
    g_assert_cmpuint(asked->len, ==, 1);
    request = g_ptr_array_index(asked, 0);
    g_assert_cmpint(request->type, ==, PURPLE_REQUEST_ACTION);
    g_assert_cmpstr(request->primary, ==, primary);
    g_assert_cmpint(request->default_action, ==,
                    test_client_request_find_action(request, "Keep it unsent"));
    g_assert_cmpint(test_client_request_find_action(request, send_label), >=, 0);
    g_assert_false(request->closed);
    return request;
}

static void
assert_no_question(void)
{
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_requests()), ==, 0);
}

static const AjarItem *
lookup(const AjarState *state, const char *id)
{
    const AjarItem *item = ajar_state_lookup(state, id);

    g_assert_nonnull(item);
    return item;
}

/* Your cooling-off message falls due while you are offline: nothing goes;
 * back online (however often) you are asked once; "Send" sends it once. */
static void
test_cooling_off_due_offline(void)
{
    PurpleAccount *account = start();
    g_autofree char *id = send_queued(account, "due while you were offline");
    TestRequest *question;

    test_client_disconnect(account);
    ajar_test_run_for(1500);
    g_assert_cmpuint(wire_count(), ==, 0);
    assert_no_question();
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_QUEUED);

    test_client_connect(account);
    ajar_test_run_for(100);
    /* The question stays open through more drops; never a second one. */
    flap(account, 3);
    question = only_question(DUE_OFFLINE_QUESTION, "Send");
    g_assert_cmpuint(wire_count(), ==, 0);

    test_client_request_answer(question, test_client_request_find_action(question, "Send"));
    g_assert_cmpuint(wire_count(), ==, 1);
    g_assert_cmpstr(g_ptr_array_index(wire, 0), ==, "due while you were offline");
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_SENT);

    flap(account, 3);
    g_assert_cmpuint(wire_count(), ==, 1);
    assert_no_question();
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENT, id), ==, 1);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENDING, id), ==, 1);
    finish();
}

/* Their delayed message falls due while you are offline: nothing shows;
 * back online it is delivered once, however often the account comes back. */
static void
test_delivery_due_offline(void)
{
    PurpleAccount *account = start();
    gint64 seq = ajar_test_last_seq();
    g_autoptr(GPtrArray) delayed = NULL;
    g_autoptr(GPtrArray) received = NULL;
    const char *id;

    test_client_receive(account, SAM, "are you still up?", 0, time(NULL));
    delayed = ajar_test_events_since(seq, AJAR_EVENT_DELAYED, NULL);
    g_assert_cmpuint(delayed->len, ==, 1);
    id = ((AjarEvent *)g_ptr_array_index(delayed, 0))->id;
    test_client_disconnect(account);
    ajar_test_run_for(1500);
    ajar_test_assert_nothing_shown();
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_DELAYED);

    test_client_connect(account);
    ajar_test_run_for(100);
    flap(account, 3);
    received = test_client_take_received();
    g_assert_cmpuint(received->len, ==, 1);
    g_assert_cmpstr(((TestReceived *)g_ptr_array_index(received, 0))->message, ==,
                    "are you still up?");
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_DELIVERED, id), ==, 1);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SHOWING, id), ==, 1);
    assert_no_question();
    finish();
}

/* The connection breaks as Ajar sends your message (the write fails, as
 * when the server has just died): it may or may not have gone. It stays
 * kept and marked, nothing is asked while offline, and once back online
 * you are asked once whether to send it again; "Send again" sends it once. */
static void
test_connection_breaks_while_sending(void)
{
    PurpleAccount *account = start();
    g_autofree char *id = send_queued(account, "sent as the line went down");
    g_autoptr(AjarState) state = NULL;
    TestRequest *question;

    test_prpl_drop_connection_on_next_send();
    test_client_wait_for(wire_has_cb, GUINT_TO_POINTER(1), "the timed send");
    test_client_wait_disconnected(account);
    ajar_test_run_for(100);

    state = ajar_test_read_state();
    g_assert_cmpint(lookup(state, id)->state, ==, AJAR_EVENT_SENDING);
    g_assert_true(lookup(state, id)->interrupted);
    g_assert_true(ajar_item_in_custody(lookup(state, id)));
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENT, id), ==, 0);
    assert_no_question();

    test_client_connect(account);
    ajar_test_run_for(100);
    flap(account, 2);
    question = only_question(BROKEN_QUESTION, "Send again");
    g_assert_cmpuint(wire_count(), ==, 1); /* not resent blindly */

    test_client_request_answer(question, test_client_request_find_action(question, "Send again"));
    g_assert_cmpuint(wire_count(), ==, 2);
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_SENT);
    flap(account, 2);
    g_assert_cmpuint(wire_count(), ==, 2);
    assert_no_question();
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENT, id), ==, 1);
    finish();
}

/* The protocol refuses the send (-ENOTCONN: libpurple writes nothing):
 * the message did not go. Kept, asked about at once (the account is
 * online); "Keep it unsent" keeps it as a letter, which its id sends. */
static void
test_send_refused(void)
{
    PurpleAccount *account = start();
    g_autofree char *id = send_queued(account, "refused by the protocol");
    g_autofree char *command = NULL;
    g_autoptr(AjarState) state = NULL;
    TestRequest *question;

    test_prpl_set_send_result(-ENOTCONN);
    test_client_wait_for(wire_has_cb, GUINT_TO_POINTER(1), "the timed send");
    ajar_test_run_for(100);
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_SENDING);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENT, id), ==, 0);
    question = only_question(BROKEN_QUESTION, "Send again");
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_notices()), ==, 0);

    test_prpl_set_send_result(1);
    test_client_request_answer(question, question->default_action);
    g_assert_cmpuint(wire_count(), ==, 1);
    state = ajar_test_read_state();
    g_assert_cmpint(lookup(state, id)->state, ==, AJAR_EVENT_CANCELLED);
    g_assert_true(ajar_item_in_custody(lookup(state, id)));

    flap(account, 2);
    assert_no_question();
    g_assert_cmpuint(wire_count(), ==, 1);
    command = g_strdup_printf("ajar send %s", id);
    g_assert_cmpint(test_client_command(account, SAM, command), ==, PURPLE_CMD_STATUS_OK);
    g_assert_cmpuint(wire_count(), ==, 2);
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_SENT);
    finish();
}

/* "/ajar send" as the connection breaks: the command says so in one line,
 * and the question comes once you are back online. */
static void
test_send_now_breaks(void)
{
    PurpleAccount *account = start();
    g_autofree char *id = send_queued(account, "sent now as the line went down");
    TestRequest *question;

    test_prpl_drop_connection_on_next_send();
    g_assert_cmpint(test_client_command(account, SAM, "ajar send"), ==, PURPLE_CMD_STATUS_FAILED);
    g_assert_cmpuint(wire_count(), ==, 1);
    test_client_wait_disconnected(account);
    ajar_test_run_for(1500); /* past its own due time, too */
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_SENDING);
    assert_no_question();
    g_assert_cmpuint(wire_count(), ==, 1);

    test_client_connect(account);
    ajar_test_run_for(100);
    question = only_question(BROKEN_QUESTION, "Send again");
    test_client_request_answer(question, question->default_action);
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_CANCELLED);
    g_assert_cmpuint(wire_count(), ==, 1);
    finish();
}

/* What libpurple does when it reads the end of a connection whose server
 * has died (XMPP and IRC: "Server closed the connection"). */
static void
server_closes(PurpleAccount *account)
{
    purple_connection_error_reason(purple_account_get_connection(account),
                                   PURPLE_CONNECTION_ERROR_NETWORK_ERROR,
                                   "Server closed the connection");
    test_client_wait_disconnected(account);
}

/* The send itself goes fine (a write into a connection whose server has
 * just died does), and a moment later the connection turns out to be
 * dead: the message may not have arrived. "sending" is journaled again;
 * once back online you are asked once; "Send again" sends it once. A
 * connection that fails after a clean sign-off and on again has nothing
 * to do with what went before. */
static void
test_connection_dies_just_after(void)
{
    PurpleAccount *account = start();
    g_autofree char *id = send_queued(account, "sent just before the server died");
    g_autofree char *other = send_queued(account, "sent before a clean sign-off");
    g_autofree char *command = g_strdup_printf("ajar send %s", id);
    g_autofree char *other_command = g_strdup_printf("ajar send %s", other);
    g_autoptr(AjarState) state = NULL;
    TestRequest *question;

    g_assert_cmpint(test_client_command(account, SAM, command), ==, PURPLE_CMD_STATUS_OK);
    g_assert_cmpuint(wire_count(), ==, 1);
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_SENT);
    server_closes(account);
    ajar_test_run_for(100);
    state = ajar_test_read_state();
    g_assert_cmpint(lookup(state, id)->state, ==, AJAR_EVENT_SENDING);
    g_assert_true(ajar_item_in_custody(lookup(state, id)));
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENT, id), ==, 1);
    assert_no_question();

    test_client_connect(account);
    ajar_test_run_for(100);
    flap(account, 2);
    question = only_question(BROKEN_QUESTION, "Send again");
    g_assert_cmpstr(question->secondary, ==, "sent just before the server died");
    g_assert_cmpuint(wire_count(), ==, 1);
    test_client_request_answer(question, test_client_request_find_action(question, "Send again"));
    g_assert_cmpuint(wire_count(), ==, 2);
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_SENT);

    /* Sent, signed off cleanly, on again, and that connection fails. */
    g_assert_cmpint(test_client_command(account, SAM, other_command), ==, PURPLE_CMD_STATUS_OK);
    g_assert_cmpuint(wire_count(), ==, 3);
    test_client_disconnect(account);
    test_client_connect(account);
    server_closes(account);
    test_client_connect(account);
    ajar_test_run_for(100);
    g_assert_cmpint(ajar_test_item_state(other), ==, AJAR_EVENT_SENT);
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_SENT);
    assert_no_question();
    g_assert_cmpuint(wire_count(), ==, 3);
    finish();
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    g_test_add_func("/plugin/server-gone/cooling-off-due-offline", test_cooling_off_due_offline);
    g_test_add_func("/plugin/server-gone/delivery-due-offline", test_delivery_due_offline);
    g_test_add_func("/plugin/server-gone/connection-breaks-while-sending",
                    test_connection_breaks_while_sending);
    g_test_add_func("/plugin/server-gone/send-refused", test_send_refused);
    g_test_add_func("/plugin/server-gone/send-now-breaks", test_send_now_breaks);
    g_test_add_func("/plugin/server-gone/connection-dies-just-after",
                    test_connection_dies_just_after);
    status = g_test_run();

    test_client_quit();
    test_client_cleanup();
    return status;
}
