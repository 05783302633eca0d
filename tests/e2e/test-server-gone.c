/* test-server-gone.c — the server goes away: prosody (XMPP) and ngircd
 * (IRC) are killed in the middle of a run with a delayed message of Sam's
 * and a cooling-off message of yours in Ajar's keeping, both fall due while
 * the server is down, and the server comes back on the same port with the
 * same data (`scripts/servers down` / `up`).
 *
 * What must hold, over both protocols: while you are offline nothing of
 * Sam's is shown and nothing of yours is sent or asked about; once you are
 * signed on again Sam's message is shown exactly once and you are asked
 * about yours ("was due while you were offline", default keep); after
 * "Send" Sam receives it exactly once, also when your connection comes and
 * goes again afterwards; the journal notes each outcome once and `ajar
 * verify` passes. "You" are this process with the built ajar.so; Sam is an
 * e2e-peer process without Ajar that signs on again too. */
#include "e2e-scenarios.h"

#include <signal.h>
#include <sys/wait.h>

static E2eParties xmpp;
static E2eParties irc;

/* Runs `scripts/servers @what $AJAR_SERVERS_DIR @which` (down: kill it;
 * up: start it again on its port with its data) and checks it worked. */
static void
servers(const char *what, const char *which)
{
    const char *argv[] = {
        e2e_env("AJAR_SERVERS"), what, e2e_env("AJAR_SERVERS_DIR"), which, NULL,
    };
    g_autoptr(GError) error = NULL;
    int status = 0;

    /* Its words go to standard error (the test's log), never into TAP. */
    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                      &status, &error))
        g_error("e2e: cannot run %s: %s", argv[0], error->message);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 0);
}

static gboolean
disconnected_cb(gpointer account)
{
    return purple_account_is_disconnected(account);
}

/* The questions Ajar asked, gathered while waiting (the arrays). */
static GPtrArray *asked;

static gboolean
asked_cb(gpointer data)
{
    g_autoptr(GPtrArray) requests = test_client_take_requests();
    guint count = 0;

    if (requests->len > 0)
        g_ptr_array_add(asked, g_ptr_array_ref(requests));
    for (guint i = 0; i < asked->len; i++)
        count += ((GPtrArray *)g_ptr_array_index(asked, i))->len;
    return count > 0;
}

/* Waits for Ajar's question about your message @text and checks it is the
 * only one, says @primary and defaults to keeping the message.
 * Returns: (transfer none): it, valid until `asked` is freed. */
static TestRequest *
wait_for_question(const char *primary, const char *text)
{
    GPtrArray *requests;
    TestRequest *request;

    e2e_wait(asked_cb, NULL, "Ajar to ask about your message");
    g_assert_cmpuint(asked->len, ==, 1);
    requests = g_ptr_array_index(asked, 0);
    g_assert_cmpuint(requests->len, ==, 1);
    request = g_ptr_array_index(requests, 0);
    g_assert_cmpstr(request->primary, ==, primary);
    g_assert_cmpstr(request->secondary, ==, text);
    g_assert_cmpint(request->default_action, ==,
                    test_client_request_find_action(request, "Keep it unsent"));
    return request;
}

/* `ajar verify` on this profile: exit 0. */
static void
assert_verify_passes(void)
{
    const char *argv[] = { e2e_env("AJAR_CLI"), "verify", "--dir", test_client_user_dir(), NULL };
    g_autoptr(GError) error = NULL;
    g_autofree char *out = NULL;
    int status = 0;

    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               &out, NULL, &status, &error));
    g_assert_no_error(error);
    g_test_message("ajar verify:\n%s", out);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 0);
}

/* Signs you off and on again @times times, as a flaky network does. */
static void
flap(PurpleAccount *account, guint times)
{
    for (guint i = 0; i < times; i++) {
        test_client_disconnect(account);
        e2e_connect(account);
    }
}

static void
server_goes_away(E2eParties *parties, const char *server)
{
    static const char theirs[] = "are you still up?";
    static const char yours[] = "I am sorry about today";
    PurpleAccount *me = parties->me;
    const char *sam = parties->sam_name;
    g_autoptr(GPtrArray) delayed = NULL;
    g_autoptr(GPtrArray) queued = NULL;
    g_autofree char *in_id = NULL;
    g_autofree char *out_id = NULL;
    g_autofree char *primary =
        g_strdup_printf("Your message to %s was due while you were offline. Send it now?", sam);
    TestRequest *question;
    gint64 latest_due;
    gint64 seq;

    e2e_use_sam_rule(parties,
                     "\"incoming\": {\"action\": \"delay\", \"seconds\": 2}, \"outgoing\": "
                     "{\"action\": \"delay\", \"seconds\": 2, \"confirm\": false}",
                     "count");
    seq = ajar_test_last_seq();
    e2e_peer_send(parties->sam, parties->me_name, theirs);
    delayed = e2e_wait_journal(seq, AJAR_EVENT_DELAYED, 1);
    e2e_assert_from_sam(parties, g_ptr_array_index(delayed, 0), theirs);
    in_id = g_strdup(((AjarEvent *)g_ptr_array_index(delayed, 0))->id);
    test_client_send(me, sam, yours);
    queued = e2e_wait_journal(seq, AJAR_EVENT_QUEUED, 1);
    out_id = g_strdup(((AjarEvent *)g_ptr_array_index(queued, 0))->id);
    latest_due = MAX(((AjarEvent *)g_ptr_array_index(delayed, 0))->due,
                     ((AjarEvent *)g_ptr_array_index(queued, 0))->due);
    e2e_seen_reset();

    /* The server dies; your client notices; both due times pass. */
    servers("down", server);
    e2e_wait(disconnected_cb, me, "you to notice the server is gone");
    e2e_run_until(latest_due + G_USEC_PER_SEC / 2);
    e2e_assert_nothing_from(sam);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_requests()), ==, 0);
    g_assert_cmpint(ajar_test_item_state(in_id), ==, AJAR_EVENT_DELAYED);
    g_assert_cmpint(ajar_test_item_state(out_id), ==, AJAR_EVENT_QUEUED);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_SENDING), ==, 0);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_SHOWING), ==, 0);

    /* Back on the same port with the same data; Sam and you sign on. */
    servers("up", server);
    e2e_peer_sign_on(parties->sam);
    e2e_connect(me);

    /* Theirs: shown once, at sign-on. */
    e2e_wait_received(sam, theirs);
    /* Yours: asked about, never sent unasked; "Send" sends it. */
    asked = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
    question = wait_for_question(primary, yours);
    g_assert_cmpuint(e2e_peer_count(parties->sam, yours), ==, 0);
    g_assert_cmpint(ajar_test_item_state(out_id), ==, AJAR_EVENT_QUEUED);
    test_client_request_answer(question, test_client_request_find_action(question, "Send"));
    e2e_peer_wait_im(parties->sam, yours);
    g_assert_cmpint(ajar_test_item_state(out_id), ==, AJAR_EVENT_SENT);

    /* Your connection comes and goes twice more: nothing again. A last
     * message of yours, sent at once, reaches Sam after anything sent
     * before it (one sender's messages keep their order). */
    flap(me, 2);
    test_client_send(me, sam, "one more, sent now");
    e2e_ajar(me, sam, "send");
    e2e_peer_wait_im(parties->sam, "one more, sent now");
    g_assert_cmpuint(e2e_peer_count(parties->sam, yours), ==, 1);
    g_assert_cmpuint(e2e_seen_received_from(sam, theirs), ==, 1);
    g_assert_true(asked_cb(NULL)); /* (gathers any further question) */
    g_assert_cmpuint(asked->len, ==, 1);
    g_clear_pointer(&asked, g_ptr_array_unref);

    /* The journal: each outcome once, nothing lost. */
    g_assert_cmpint(ajar_test_item_state(in_id), ==, AJAR_EVENT_DELIVERED);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SHOWING, in_id), ==, 1);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_DELIVERED, in_id), ==, 1);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENDING, out_id), ==, 1);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENT, out_id), ==, 1);
    assert_verify_passes();
    test_client_close_im(me, sam);
}

/* The server dies and, before your client has noticed (nothing runs in
 * between), you send a cooling-off message now with /ajar send ID: it goes
 * into a connection whose other end is gone, and never reaches Sam.
 * Whether libpurple's write fails there and then or the connection is
 * found dead a moment later, Ajar keeps the message, marked as perhaps
 * gone; once you are back it asks once whether to send it again (default
 * keep), and "Send again" brings it to Sam exactly once. */
static void
send_as_server_dies(E2eParties *parties, const char *server)
{
    static const char yours[] = "sent as the server died";
    PurpleAccount *me = parties->me;
    const char *sam = parties->sam_name;
    g_autoptr(GPtrArray) queued = NULL;
    g_autofree char *id = NULL;
    g_autofree char *command = NULL;
    g_autofree char *primary =
        g_strdup_printf("The connection failed while your message to %s was being sent, so it "
                        "may or may not have reached them. Send it again?",
                        sam);
    TestRequest *question;
    gint64 seq;

    e2e_use_sam_rule(parties,
                     "\"outgoing\": {\"action\": \"delay\", \"seconds\": 600, \"confirm\": "
                     "false}",
                     "count");
    seq = ajar_test_last_seq();
    test_client_send(me, sam, yours);
    queued = e2e_wait_journal(seq, AJAR_EVENT_QUEUED, 1);
    id = g_strdup(((AjarEvent *)g_ptr_array_index(queued, 0))->id);
    command = g_strdup_printf("ajar send %s", id);
    e2e_seen_reset();

    servers("down", server);
    /* (Whether the command says it failed depends on which write fails.) */
    test_client_command(me, sam, command);
    e2e_wait(disconnected_cb, me, "you to notice the server is gone");
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_SENDING);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_requests()), ==, 0);

    servers("up", server);
    e2e_peer_sign_on(parties->sam);
    e2e_connect(me);
    asked = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
    question = wait_for_question(primary, yours);
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_SENDING);
    g_assert_cmpuint(e2e_peer_count(parties->sam, yours), ==, 0);
    test_client_request_answer(question, test_client_request_find_action(question, "Send again"));
    e2e_peer_wait_im(parties->sam, yours);
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_SENT);

    flap(me, 2);
    test_client_send(me, sam, "and one more, sent now");
    e2e_ajar(me, sam, "send");
    e2e_peer_wait_im(parties->sam, "and one more, sent now");
    g_assert_cmpuint(e2e_peer_count(parties->sam, yours), ==, 1);
    g_assert_true(asked_cb(NULL)); /* (gathers any further question) */
    g_assert_cmpuint(asked->len, ==, 1);
    g_clear_pointer(&asked, g_ptr_array_unref);
    {
        /* Which way it went: "sending sending sent" when the write failed
         * there and then, "sending sent sending sending sent" when the
         * connection was found dead a moment later. */
        g_autoptr(GPtrArray) events = ajar_test_events_since(0, AJAR_EVENT_UNKNOWN, id);
        g_autoptr(GString) history = g_string_new(NULL);

        for (guint i = 0; i < events->len; i++)
            g_string_append_printf(
                history, " %s",
                ajar_event_type_to_string(((AjarEvent *)g_ptr_array_index(events, i))->type));
        g_test_message("its journal:%s", history->str);
    }
    assert_verify_passes();
    test_client_close_im(me, sam);
}

static void
test_xmpp_due_while_down(void)
{
    server_goes_away(&xmpp, "xmpp");
}

static void
test_xmpp_send_as_it_dies(void)
{
    send_as_server_dies(&xmpp, "xmpp");
}

static void
test_irc_due_while_down(void)
{
    server_goes_away(&irc, "irc");
}

static void
test_irc_send_as_it_dies(void)
{
    send_as_server_dies(&irc, "irc");
}

int
main(int argc, char **argv)
{
    int status;

    /* As Pidgin and Finch do: a write to a connection whose server is gone
     * fails with EPIPE (which libpurple reports) instead of killing us. */
    signal(SIGPIPE, SIG_IGN);
    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    e2e_parties_start_xmpp(&xmpp);
    xmpp.rule_account = g_strdup(xmpp.me_name);
    e2e_parties_start_irc(&irc);

    g_test_add_func("/e2e/server-gone/xmpp/due-while-down", test_xmpp_due_while_down);
    g_test_add_func("/e2e/server-gone/xmpp/send-as-it-dies", test_xmpp_send_as_it_dies);
    g_test_add_func("/e2e/server-gone/irc/due-while-down", test_irc_due_while_down);
    g_test_add_func("/e2e/server-gone/irc/send-as-it-dies", test_irc_send_as_it_dies);
    status = g_test_run();

    e2e_parties_stop(&irc);
    e2e_parties_stop(&xmpp);
    ajar_test_unload();
    test_client_quit();
    test_client_cleanup();
    return status;
}
