/* test-interrupted.c — Ajar stopped halfway through showing or sending a
 * kept message.
 *
 * Ajar journals "showing" before it shows one of their kept messages and
 * "sending" before it sends one of yours, then "released" / "delivered" /
 * "sent" once done. A crash between the two leaves the first without the
 * second. These cases check that the order is kept, and what a restart
 * then does: theirs stay kept, marked as perhaps already shown, and are
 * never shown again as part of "release all"; yours are not sent again
 * unless the user answers "Send again" to a question that says they may
 * already have gone (default: keep it unsent).
 *
 * The crash itself is the reliability suite's (tests/reliability): here the
 * intent line is appended while Ajar is switched off, exactly as a kill
 * right after writing it leaves the journal. */
#include "ajar-test-util.h"

#include <sys/wait.h>

#include "ajar/ajar-stats.h"

#define ME "me@example.org/Home"
#define SAM "sam@example.org"
#define KIM "kim@example.org"

static const char rules[] = "{\"version\": 1, \"rules\": ["
                            "{\"name\": \"Sam\", \"match\": [{\"buddy\": \"" SAM "\"}], "
                            "\"incoming\": {\"action\": \"hold\"}, "
                            "\"outgoing\": {\"action\": \"delay\", \"seconds\": 3600}},"
                            "{\"name\": \"Kim\", \"match\": [{\"buddy\": \"" KIM "\"}], "
                            "\"outgoing\": {\"action\": \"delay\", \"seconds\": 3600}}"
                            "]}";

#define SEND_AGAIN_QUESTION(who)                                                          \
    "Ajar stopped while sending your message to " who ", so it may already have reached " \
    "them. Send it again?"

static PurpleAccount *
start(void)
{
    PurpleAccount *account = ajar_test_account(ME);

    test_client_connect(account);
    ajar_test_write_rules(rules);
    ajar_test_load();
    ajar_test_drain();
    return account;
}

/* The only new event of @type since @seq; returns its id. Transfer full. */
static char *
new_event_id(gint64 seq, AjarEventType type)
{
    g_autoptr(GPtrArray) events = ajar_test_events_since(seq, type, NULL);

    g_assert_cmpuint(events->len, ==, 1);
    return g_strdup(((AjarEvent *)g_ptr_array_index(events, 0))->id);
}

static char *
receive_held(PurpleAccount *account, const char *text)
{
    gint64 seq = ajar_test_last_seq();

    test_client_receive(account, SAM, text, 0, time(NULL));
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_received()), ==, 0);
    return new_event_id(seq, AJAR_EVENT_HELD);
}

static char *
send_queued(PurpleAccount *account, const char *who, const char *text)
{
    gint64 seq = ajar_test_last_seq();

    test_client_send(account, who, text);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    return new_event_id(seq, AJAR_EVENT_QUEUED);
}

/* What the journal said of @id when libpurple showed or sent it. */
typedef struct {
    const char *id;
    AjarEventType state;
    guint calls;
} Seen;

static void
seen_now(Seen *seen)
{
    seen->calls++;
    seen->state = ajar_test_item_state(seen->id);
}

static void
received_cb(PurpleAccount *account, char *who, char *message, PurpleConversation *conv,
            PurpleMessageFlags flags, Seen *seen)
{
    seen_now(seen);
}

static void
sent_cb(PurpleAccount *account, const char *receiver, const char *message, Seen *seen)
{
    seen_now(seen);
}

/* The intent line is on disk before the message is shown or sent, and the
 * outcome after. */
static void
test_intent_comes_first(void)
{
    PurpleAccount *account = start();
    g_autofree char *theirs = receive_held(account, "are you awake?");
    g_autofree char *yours = send_queued(account, SAM, "I miss you");
    Seen shown = { theirs, AJAR_EVENT_UNKNOWN, 0 };
    Seen sent = { yours, AJAR_EVENT_UNKNOWN, 0 };
    int handle;

    purple_signal_connect(purple_conversations_get_handle(), "received-im-msg", &handle,
                          PURPLE_CALLBACK(received_cb), &shown);
    purple_signal_connect(purple_conversations_get_handle(), "sent-im-msg", &handle,
                          PURPLE_CALLBACK(sent_cb), &sent);

    g_assert_cmpint(test_client_command(account, SAM, "ajar release"), ==, PURPLE_CMD_STATUS_OK);
    g_assert_cmpint(test_client_command(account, SAM, "ajar send"), ==, PURPLE_CMD_STATUS_OK);
    purple_signals_disconnect_by_handle(&handle);

    g_assert_cmpuint(shown.calls, ==, 1);
    g_assert_cmpint(shown.state, ==, AJAR_EVENT_SHOWING);
    g_assert_cmpint(ajar_test_item_state(theirs), ==, AJAR_EVENT_RELEASED);
    g_assert_cmpuint(sent.calls, ==, 1);
    g_assert_cmpint(sent.state, ==, AJAR_EVENT_SENDING);
    g_assert_cmpint(ajar_test_item_state(yours), ==, AJAR_EVENT_SENT);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SHOWING, theirs), ==, 1);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENDING, yours), ==, 1);
    ajar_test_unload();
    ajar_test_drain();
}

/* Appends what a kill right after the intent line leaves: @type for @id. */
static void
append_intent(AjarEventType type, const char *id)
{
    g_autofree char *dir = ajar_test_dir();
    g_autoptr(GError) error = NULL;
    AjarJournal *journal = ajar_journal_open(dir, AJAR_FLUSH_EVERY_EVENT, &error);
    g_autoptr(AjarEvent) event = ajar_event_new(type);

    g_assert_no_error(error);
    event->ts = g_get_real_time();
    event->id = g_strdup(id);
    g_assert_true(ajar_journal_append(journal, event, &error));
    g_assert_no_error(error);
    ajar_journal_close(journal);
}

/* Ajar off, the intent lines written as a crash leaves them, the messenger
 * restarted, Ajar on, the account online. */
static PurpleAccount *
crash_after(AjarEventType type, const char *const *ids, guint n)
{
    PurpleAccount *account;

    ajar_test_unload();
    for (guint i = 0; i < n; i++)
        append_intent(type, ids[i]);
    test_client_restart();
    account = test_client_find_account(ME);
    g_assert_nonnull(account);
    ajar_test_load();
    test_client_connect(account);
    ajar_test_run_for(300);
    return account;
}

static const AjarItem *
lookup(const AjarState *state, const char *id)
{
    const AjarItem *item = ajar_state_lookup(state, id);

    g_assert_nonnull(item);
    return item;
}

/* The last line "/ajar @command" wrote into the window with @who. */
static char *
command_line(PurpleAccount *account, const char *who, const char *command)
{
    g_autoptr(GPtrArray) lines = NULL;

    g_assert_cmpint(test_client_command(account, who, command), ==, PURPLE_CMD_STATUS_OK);
    lines = test_client_take_lines();
    g_assert_cmpuint(lines->len, >=, 1);
    return g_strdup(((TestLine *)g_ptr_array_index(lines, lines->len - 1))->message);
}

static char *
cli_show(const char *id)
{
    const char *argv[] = {
        g_getenv("AJAR_CLI"), "show", id, "--dir", test_client_user_dir(), NULL
    };
    g_autoptr(GError) error = NULL;
    char *out = NULL;
    int status = 0;

    g_assert_nonnull(argv[0]);
    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               &out, NULL, &status, &error));
    g_assert_no_error(error);
    g_assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return out;
}

/* Theirs: kept and marked; nothing pops up; "release" (all) leaves it;
 * its id shows it. */
static void
test_showing_stays_kept(void)
{
    PurpleAccount *account = start();
    g_autofree char *maybe_shown = receive_held(account, "stopped while showing this");
    g_autofree char *other = receive_held(account, "and this one was only held");
    const char *ids[] = { maybe_shown };
    g_autoptr(AjarState) state = NULL;
    g_autoptr(GPtrArray) received = NULL;
    g_autofree char *status = NULL;
    g_autofree char *release = NULL;
    g_autofree char *shown = NULL;
    g_autofree char *command = NULL;

    ajar_test_drain();
    account = crash_after(AJAR_EVENT_SHOWING, ids, 1);
    /* Nothing shown, asked or announced by the restart. */
    ajar_test_assert_nothing_shown();
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_requests()), ==, 0);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_notices()), ==, 0);

    state = ajar_test_read_state();
    g_assert_cmpint(lookup(state, maybe_shown)->state, ==, AJAR_EVENT_SHOWING);
    g_assert_true(lookup(state, maybe_shown)->interrupted);
    g_assert_true(ajar_item_in_custody(lookup(state, maybe_shown)));
    g_assert_false(lookup(state, other)->interrupted);
    g_assert_cmpuint(ajar_state_count_waiting(state, "Sam"), ==, 2);

    status = command_line(account, SAM, "ajar status");
    g_assert_nonnull(strstr(status, "Kept: 2 held"));
    g_assert_nonnull(strstr(status, "Ajar stopped while showing 1 of their messages, so it may "
                                    "already be in this conversation"));
    shown = cli_show(maybe_shown);
    g_assert_nonnull(
        strstr(shown, "Ajar stopped while showing it: it may already be in the conversation."));

    /* "release" shows the other one only, and says why one stays. */
    {
        g_autoptr(GPtrArray) lines = NULL;
        g_assert_cmpint(test_client_command(account, SAM, "ajar release"), ==,
                        PURPLE_CMD_STATUS_OK);
        lines = test_client_take_lines();
        g_assert_cmpuint(ajar_test_count_lines_with(lines, "Ajar stopped while showing 1"), ==, 1);
        g_assert_cmpuint(ajar_test_count_lines_with(lines, "Ajar: 1 message released."), ==, 1);
    }
    received = test_client_take_received();
    g_assert_cmpuint(received->len, ==, 1);
    g_assert_cmpstr(((TestReceived *)g_ptr_array_index(received, 0))->message, ==,
                    "and this one was only held");
    g_assert_cmpint(ajar_test_item_state(maybe_shown), ==, AJAR_EVENT_SHOWING);
    release = command_line(account, SAM, "ajar release all");
    g_assert_nonnull(strstr(release, "Ajar stopped while showing 1"));
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_received()), ==, 0);

    /* By its id, on purpose: shown (again), and no longer kept. */
    command = g_strdup_printf("ajar release %s", maybe_shown);
    g_assert_cmpint(test_client_command(account, SAM, command), ==, PURPLE_CMD_STATUS_OK);
    g_clear_pointer(&received, g_ptr_array_unref);
    received = test_client_take_received();
    g_assert_cmpuint(received->len, ==, 1);
    g_assert_cmpstr(((TestReceived *)g_ptr_array_index(received, 0))->message, ==,
                    "stopped while showing this");
    g_assert_cmpint(ajar_test_item_state(maybe_shown), ==, AJAR_EVENT_RELEASED);
    ajar_test_unload();
    ajar_test_drain();
}

/* The review: theirs marked in both steps; "Release all" leaves it,
 * choosing it releases it. */
static void
review_release(const char *then, const char *choose)
{
    g_autoptr(GPtrArray) second = NULL;
    g_autofree char *label = NULL;
    TestRequest *request;
    PurpleRequestField *field;

    ajar_test_drain();
    second = ajar_test_review_read("Sam: 2 held", &label);
    g_assert_nonnull(strstr(label, "(1 may already have been shown or sent)"));
    request = g_ptr_array_index(second, 0);
    /* The text, and on its line that it may already be there. */
    g_assert_nonnull(strstr(request->secondary, "1. stopped while showing this"));
    g_assert_nonnull(ajar_test_review_line(request, "1. "));
    g_test_message("line: %s", ajar_test_review_line(request, "1. "));
    g_assert_nonnull(strstr(ajar_test_review_line(request, "1. "),
                            ", held, may already be shown — stopped while showing"));
    if (choose != NULL)
        ajar_test_review_tick(request, choose);
    field = purple_request_fields_get_field(request->fields, "action");
    g_assert_nonnull(ajar_test_option_starting(field, then));
    test_client_fields_pick(request, "action", ajar_test_option_starting(field, then));
    g_assert_true(test_client_request_fields_ok(request));
}

/* The same through the review dialog. */
static void
test_showing_in_review(void)
{
    PurpleAccount *account = start();
    g_autofree char *maybe_shown = receive_held(account, "stopped while showing this");
    g_autofree char *other = receive_held(account, "only held, in the review");
    const char *ids[] = { maybe_shown };
    g_autoptr(GPtrArray) received = NULL;

    ajar_test_drain();
    account = crash_after(AJAR_EVENT_SHOWING, ids, 1);
    review_release("Release all into the conversation (not those that may already be there)", NULL);
    received = test_client_take_received();
    g_assert_cmpuint(received->len, ==, 1);
    g_assert_cmpstr(((TestReceived *)g_ptr_array_index(received, 0))->message, ==,
                    "only held, in the review");
    g_assert_cmpint(ajar_test_item_state(maybe_shown), ==, AJAR_EVENT_SHOWING);
    g_assert_cmpint(ajar_test_item_state(other), ==, AJAR_EVENT_RELEASED);

    /* Chosen on purpose: released. (The other one is gone from the list.) */
    g_free(receive_held(account, "a second held one"));
    review_release("Release the chosen", "1. ");
    g_clear_pointer(&received, g_ptr_array_unref);
    received = test_client_take_received();
    g_assert_cmpuint(received->len, ==, 1);
    g_assert_cmpstr(((TestReceived *)g_ptr_array_index(received, 0))->message, ==,
                    "stopped while showing this");
    g_assert_cmpint(ajar_test_item_state(maybe_shown), ==, AJAR_EVENT_RELEASED);
    ajar_test_unload();
    ajar_test_drain();
}

static TestRequest *
find_question(GPtrArray *requests, const char *text)
{
    for (guint i = 0; i < requests->len; i++) {
        TestRequest *request = g_ptr_array_index(requests, i);
        if (g_strcmp0(request->secondary, text) == 0)
            return request;
    }
    g_assert_not_reached();
}

/* Yours: asked, "may already have reached them", default keep; "Send
 * again" sends it once; kept ones go again only by their id. */
static void
test_sending_asks_again(void)
{
    PurpleAccount *account = start();
    g_autofree char *kept = send_queued(account, KIM, "kept after the question");
    g_autofree char *again = send_queued(account, KIM, "sent again after the question");
    const char *ids[] = { kept, again };
    g_autoptr(GPtrArray) requests = NULL;
    g_autoptr(GPtrArray) sent = NULL;
    g_autoptr(AjarState) state = NULL;
    g_autoptr(GPtrArray) stats = NULL;
    g_autofree char *send_all = NULL;
    g_autofree char *command = NULL;
    TestRequest *keep_question, *again_question;
    gboolean kim_seen = FALSE;

    ajar_test_drain();
    account = crash_after(AJAR_EVENT_SENDING, ids, 2);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    requests = test_client_take_requests();
    g_assert_cmpuint(requests->len, ==, 2);
    keep_question = find_question(requests, "kept after the question");
    again_question = find_question(requests, "sent again after the question");
    for (guint i = 0; i < requests->len; i++) {
        TestRequest *request = g_ptr_array_index(requests, i);
        g_assert_cmpint(request->type, ==, PURPLE_REQUEST_ACTION);
        g_assert_cmpstr(request->primary, ==, SEND_AGAIN_QUESTION(KIM));
        g_assert_cmpint(request->default_action, ==,
                        test_client_request_find_action(request, "Keep it unsent"));
        g_assert_cmpint(test_client_request_find_action(request, "Send again"), >=, 0);
    }

    test_client_request_answer(keep_question, keep_question->default_action);
    test_client_request_answer(again_question,
                               test_client_request_find_action(again_question, "Send again"));
    sent = test_client_take_sent();
    g_assert_cmpuint(sent->len, ==, 1);
    g_assert_cmpstr(((TestSent *)g_ptr_array_index(sent, 0))->message, ==,
                    "sent again after the question");
    g_assert_cmpint(ajar_test_item_state(again), ==, AJAR_EVENT_SENT);

    /* Kept unsent, still marked; not a time you held back (it may have gone). */
    state = ajar_test_read_state();
    g_assert_cmpint(lookup(state, kept)->state, ==, AJAR_EVENT_CANCELLED);
    g_assert_true(lookup(state, kept)->interrupted);
    g_assert_true(ajar_item_in_custody(lookup(state, kept)));
    stats = ajar_stats_compute(state);
    for (guint i = 0; i < stats->len; i++) {
        const AjarRuleStats *figures = g_ptr_array_index(stats, i);
        if (strcmp(figures->rule, "Kim") == 0) {
            g_assert_cmpuint(figures->held_back, ==, 0);
            g_assert_cmpuint(figures->letters_now, ==, 1);
            kim_seen = TRUE;
        }
    }
    g_assert_true(kim_seen);

    /* Not asked again; "send all" leaves it and says why. */
    ajar_test_run_for(200);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_requests()), ==, 0);
    send_all = command_line(account, KIM, "ajar send all");
    g_assert_nonnull(strstr(send_all, "Ajar stopped while sending 1 of your messages, so it may "
                                      "already have reached them"));
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);

    /* Its id sends it, once. */
    command = g_strdup_printf("ajar send %s", kept);
    g_assert_cmpint(test_client_command(account, KIM, command), ==, PURPLE_CMD_STATUS_OK);
    g_clear_pointer(&sent, g_ptr_array_unref);
    sent = test_client_take_sent();
    g_assert_cmpuint(sent->len, ==, 1);
    g_assert_cmpint(ajar_test_item_state(kept), ==, AJAR_EVENT_SENT);
    ajar_test_unload();
    ajar_test_drain();
}

/* Offline at the restart: asked once the account is online, never before. */
static void
test_sending_asks_when_online(void)
{
    PurpleAccount *account = start();
    g_autofree char *id = send_queued(account, SAM, "stopped while sending, offline");
    g_autoptr(GPtrArray) requests = NULL;

    ajar_test_drain();
    ajar_test_unload();
    append_intent(AJAR_EVENT_SENDING, id);
    test_client_restart();
    account = test_client_find_account(ME);
    ajar_test_load();
    ajar_test_run_for(200);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_requests()), ==, 0);

    test_client_connect(account);
    ajar_test_run_for(300);
    requests = test_client_take_requests();
    g_assert_cmpuint(requests->len, ==, 1);
    g_assert_cmpstr(((TestRequest *)g_ptr_array_index(requests, 0))->primary, ==,
                    SEND_AGAIN_QUESTION(SAM));
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_SENDING);
    ajar_test_unload();
    ajar_test_drain();
}

/* A new sender's, stopped while showing: "/ajar allow" lets the others
 * through and leaves that one kept, as Release all does, and says so in
 * its one line. */
static void
test_allow_skips_maybe_shown(void)
{
    PurpleAccount *account = ajar_test_account(ME);
    g_autofree char *maybe_shown = NULL;
    g_autofree char *other = NULL;
    g_autofree char *said = NULL;
    g_autoptr(GPtrArray) received = NULL;
    g_autoptr(GPtrArray) page = NULL;
    PurpleRequestField *action;
    const char *ids[1];
    gint64 seq;

    test_client_connect(account);
    ajar_test_write_rules("{\"version\": 1, \"rules\": [{\"name\": \"New\", \"match\": "
                          "[{\"stranger\": true}], \"incoming\": {\"action\": \"hold\"}}]}");
    ajar_test_load();
    ajar_test_drain();
    seq = ajar_test_last_seq();
    test_client_receive(account, "zed@example.org", "stopped while showing zed's", 0, time(NULL));
    maybe_shown = new_event_id(seq, AJAR_EVENT_HELD);
    seq = ajar_test_last_seq();
    test_client_receive(account, "zed@example.org", "zed's other one", 0, time(NULL));
    other = new_event_id(seq, AJAR_EVENT_HELD);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_received()), ==, 0);
    ajar_test_drain();
    ids[0] = maybe_shown;
    account = crash_after(AJAR_EVENT_SHOWING, ids, 1);
    g_ptr_array_unref(test_client_take_received());
    g_ptr_array_unref(test_client_take_requests()); /* earlier cases' questions */
    /* The review's choice says it, as its Release all does. */
    page = ajar_test_review_read("  zed@", NULL);
    action = purple_request_fields_get_field(((TestRequest *)g_ptr_array_index(page, 0))->fields,
                                             "action");
    g_assert_nonnull(ajar_test_option_starting(
        action, "Let them through, never screen again (not those maybe shown)"));
    test_client_request_cancel(g_ptr_array_index(page, 0));
    said = command_line(account, "zed@example.org", "ajar allow");
    g_assert_cmpstr(said, ==,
                    "Ajar: this address will not be screened again; released: 1; 1 kept "
                    "message that may already be shown stays kept (/ajar release ID shows it).");
    received = test_client_take_received();
    g_assert_cmpuint(received->len, ==, 1);
    g_assert_cmpstr(((TestReceived *)g_ptr_array_index(received, 0))->message, ==,
                    "zed's other one");
    g_assert_cmpint(ajar_test_item_state(maybe_shown), ==, AJAR_EVENT_SHOWING);
    g_assert_cmpint(ajar_test_item_state(other), ==, AJAR_EVENT_RELEASED);
    ajar_test_unload();
    ajar_test_drain();
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    g_test_add_func("/plugin/interrupted/intent-comes-first", test_intent_comes_first);
    g_test_add_func("/plugin/interrupted/showing-stays-kept", test_showing_stays_kept);
    g_test_add_func("/plugin/interrupted/showing-in-review", test_showing_in_review);
    g_test_add_func("/plugin/interrupted/sending-asks-again", test_sending_asks_again);
    g_test_add_func("/plugin/interrupted/sending-asks-when-online", test_sending_asks_when_online);
    g_test_add_func("/plugin/interrupted/allow-skips-maybe-shown", test_allow_skips_maybe_shown);
    status = g_test_run();

    test_client_quit();
    test_client_cleanup();
    return status;
}
