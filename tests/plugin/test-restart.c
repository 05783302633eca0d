/* test-restart.c — what Ajar keeps survives unloading it and restarting the
 * messenger: nothing lost, nothing duplicated, nothing delivered or sent by
 * the restart itself, and an overdue message of yours is never sent without
 * asking.
 *
 * A restart is what a user does: Ajar is switched off (purple_plugin_unload),
 * the messenger quits and starts again on the same folder, Ajar is loaded
 * before the accounts sign on (as Pidgin loads its plugins first), then the
 * accounts sign on. Each case has its own buddy so their kept messages do not
 * mix; they share one core and run in order, and each can also run alone. */
#include "ajar-test-util.h"

#define ME "me@example.org/Home"
#define SAM "sam@example.org"
#define ALEX "alex@example.org"
#define KIM "kim@example.org"
#define LEE "lee@example.org"
#define MIA "mia@example.org"

static const char rules_pending[] = "{\"version\": 1, \"rules\": ["
                                    "{\"name\": \"Sam\", \"match\": [{\"buddy\": \"" SAM "\"}], "
                                    "\"incoming\": {\"action\": \"hold\"}, "
                                    "\"outgoing\": {\"action\": \"delay\", \"seconds\": 3600}},"
                                    "{\"name\": \"Alex\", \"match\": [{\"buddy\": \"" ALEX "\"}], "
                                    "\"incoming\": {\"action\": \"delay\", \"seconds\": 3600}, "
                                    "\"outgoing\": {\"action\": \"hold\"}}"
                                    "]}";
static const char rules_overdue_out[] =
    "{\"version\": 1, \"rules\": [{\"name\": \"Kim\", \"match\": "
    "[{\"buddy\": \"" KIM "\"}], \"outgoing\": {\"action\": "
    "\"delay\", \"seconds\": 1, \"confirm\": false}}]}";
static const char rules_overdue_in[] =
    "{\"version\": 1, \"rules\": [{\"name\": \"Lee\", \"match\": "
    "[{\"buddy\": \"" LEE "\"}], \"incoming\": {\"action\": "
    "\"delay\", \"seconds\": 1}}]}";
static const char rules_timers[] =
    "{\"version\": 1, \"rules\": [{\"name\": \"Kim\", \"match\": [{\"buddy\": \"" KIM "\"}], "
    "\"incoming\": {\"action\": \"delay\", \"seconds\": 3}, "
    "\"outgoing\": {\"action\": \"delay\", \"seconds\": 3, \"confirm\": false}}]}";
static const char rules_unload[] =
    "{\"version\": 1, \"rules\": [{\"name\": \"Mia\", \"match\": [{\"buddy\": \"" MIA "\"}], "
    "\"incoming\": {\"action\": \"delay\", \"seconds\": 1}, "
    "\"outgoing\": {\"action\": \"delay\", \"seconds\": 1, \"confirm\": true}}]}";

#define OVERDUE_QUESTION(who) \
    "Your message to " who " was due while Ajar was not running. Send it now?"

/* Nothing reached the user or the network: no window, no line, no
 * received-im-msg, no send, no dialog. */
static void
assert_nothing_happened(void)
{
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_received()), ==, 0);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_lines()), ==, 0);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_opened()), ==, 0);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_requests()), ==, 0);
}

static PurpleAccount *
start(const char *rules)
{
    PurpleAccount *account = ajar_test_account(ME);

    test_client_connect(account);
    ajar_test_write_rules(rules);
    ajar_test_load();
    ajar_test_drain();
    return account;
}

/* Switches Ajar off, quits and starts the messenger again, and switches Ajar
 * on before the accounts sign on. @wait_until (unix microseconds, 0 for none):
 * the messenger stays closed until then. Returns: (transfer none) the account
 * ME of the new core, still offline. */
static PurpleAccount *
restart(gint64 wait_until)
{
    PurpleAccount *account;

    ajar_test_unload();
    test_client_restart();
    while (g_get_real_time() <= wait_until)
        g_usleep(10 * 1000);
    account = test_client_find_account(ME);
    g_assert_nonnull(account);
    g_assert_true(purple_account_is_disconnected(account));
    ajar_test_load();
    return account;
}

/* Receives @text from @who; Ajar must take it. Returns: (transfer full) its id. */
static char *
receive_kept(PurpleAccount *account, const char *who, const char *text, AjarEventType type)
{
    gint64 seq = ajar_test_last_seq();
    g_autoptr(GPtrArray) events = NULL;

    test_client_receive(account, who, text, 0, time(NULL));
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_received()), ==, 0);
    events = ajar_test_events_since(seq, type, NULL);
    g_assert_cmpuint(events->len, ==, 1);
    g_assert_cmpstr(((AjarEvent *)g_ptr_array_index(events, 0))->text, ==, text);
    return g_strdup(((AjarEvent *)g_ptr_array_index(events, 0))->id);
}

/* Sends @text to @who; Ajar must keep it. Returns: (transfer full) its id. */
static char *
send_kept(PurpleAccount *account, const char *who, const char *text, AjarEventType type)
{
    gint64 seq = ajar_test_last_seq();
    g_autoptr(GPtrArray) events = NULL;

    test_client_send(account, who, text);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    events = ajar_test_events_since(seq, type, NULL);
    g_assert_cmpuint(events->len, ==, 1);
    g_assert_cmpstr(((AjarEvent *)g_ptr_array_index(events, 0))->text, ==, text);
    return g_strdup(((AjarEvent *)g_ptr_array_index(events, 0))->id);
}

static gint64
item_due(const char *id)
{
    g_autoptr(AjarState) state = ajar_test_read_state();
    const AjarItem *item = ajar_state_lookup(state, id);

    g_assert_nonnull(item);
    return item->due;
}

/* The last line in the window with @who after "/ajar status". */
static char *
status_line(PurpleAccount *account, const char *who)
{
    g_autoptr(GPtrArray) lines = NULL;

    g_assert_cmpint(test_client_command(account, who, "ajar status"), ==, PURPLE_CMD_STATUS_OK);
    lines = test_client_take_lines();
    g_assert_cmpuint(lines->len, >=, 1);
    return g_strdup(((TestLine *)g_ptr_array_index(lines, lines->len - 1))->message);
}

static void
test_pending_survive(void)
{
    PurpleAccount *account = start(rules_pending);
    g_autofree char *held = receive_kept(account, SAM, "held before the restart", AJAR_EVENT_HELD);
    g_autofree char *delayed =
        receive_kept(account, ALEX, "delayed before the restart", AJAR_EVENT_DELAYED);
    g_autofree char *queued =
        send_kept(account, SAM, "queued before the restart", AJAR_EVENT_QUEUED);
    g_autofree char *letter =
        send_kept(account, ALEX, "letter before the restart", AJAR_EVENT_HELD);
    const char *ids[] = { held, delayed, queued, letter };
    const AjarEventType states[] = { AJAR_EVENT_HELD, AJAR_EVENT_DELAYED, AJAR_EVENT_QUEUED,
                                     AJAR_EVENT_HELD };
    g_autoptr(AjarState) before = ajar_test_read_state();
    g_autoptr(AjarState) after = NULL;
    g_autoptr(GPtrArray) since = NULL;
    g_autofree char *sam_status = NULL;
    g_autofree char *alex_status = NULL;
    guint custody_before = ajar_state_count_custody(before);
    gint64 seq;

    ajar_test_drain();
    account = restart(0);
    seq = ajar_test_last_seq();
    /* Loaded while offline: nothing shown, sent or asked. */
    assert_nothing_happened();
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_notices()), ==, 0);

    test_client_connect(account);
    ajar_test_run_for(300);
    assert_nothing_happened();

    after = ajar_test_read_state();
    g_assert_cmpuint(ajar_state_count_custody(after), ==, custody_before);
    for (guint i = 0; i < G_N_ELEMENTS(ids); i++) {
        const AjarItem *item = ajar_state_lookup(after, ids[i]);
        g_autoptr(GPtrArray) custody = ajar_test_events_since(0, states[i], ids[i]);

        g_assert_nonnull(item);
        g_assert_true(ajar_item_in_custody(item));
        g_assert_cmpint(item->state, ==, states[i]);
        g_assert_cmpint(item->due, ==, ajar_state_lookup(before, ids[i])->due);
        /* Taken once, never a second copy. */
        g_assert_cmpuint(custody->len, ==, 1);
    }
    /* The restart itself wrote nothing about them. */
    since = ajar_test_events_since(seq, AJAR_EVENT_UNKNOWN, NULL);
    g_assert_cmpuint(since->len, ==, 0);

    /* And the user sees them counted where they were. */
    sam_status = status_line(account, SAM);
    g_assert_nonnull(strstr(sam_status,
                            "Kept: 1 held, 0 archived (0 unread), 0 delayed; 1 of yours "
                            "waiting, 0 unsent letters."));
    alex_status = status_line(account, ALEX);
    g_assert_nonnull(strstr(alex_status,
                            "Kept: 0 held, 0 archived (0 unread), 1 delayed; 0 of yours "
                            "waiting, 1 unsent letter."));

    /* Leave nothing due to later cases. */
    g_assert_cmpint(test_client_command(account, SAM, "ajar cancel all"), ==, PURPLE_CMD_STATUS_OK);
    ajar_test_unload();
    ajar_test_drain();
}

/* The two "was due while closed" questions, by the text they preview. */
static void
take_overdue_questions(TestRequest **first, TestRequest **second, GPtrArray **keep)
{
    GPtrArray *requests = test_client_take_requests();

    g_assert_cmpuint(requests->len, ==, 2);
    *first = *second = NULL;
    for (guint i = 0; i < requests->len; i++) {
        TestRequest *request = g_ptr_array_index(requests, i);

        g_assert_cmpint(request->type, ==, PURPLE_REQUEST_ACTION);
        g_assert_cmpstr(request->primary, ==, OVERDUE_QUESTION(KIM));
        g_assert_cmpint(request->default_action, ==,
                        test_client_request_find_action(request, "Keep it unsent"));
        g_assert_cmpint(test_client_request_find_action(request, "Send"), >=, 0);
        g_assert_false(request->closed);
        if (g_strcmp0(request->secondary, "first overdue") == 0)
            *first = request;
        else if (g_strcmp0(request->secondary, "second overdue") == 0)
            *second = request;
    }
    g_assert_nonnull(*first);
    g_assert_nonnull(*second);
    *keep = requests;
}

static void
test_overdue_outgoing_asks(void)
{
    PurpleAccount *account = start(rules_overdue_out);
    g_autofree char *first_id = send_kept(account, KIM, "first overdue", AJAR_EVENT_QUEUED);
    g_autofree char *second_id = send_kept(account, KIM, "second overdue", AJAR_EVENT_QUEUED);
    g_autoptr(GPtrArray) requests = NULL;
    TestRequest *first, *second;

    /* Switched off before the due time; back after it. */
    ajar_test_drain();
    account = restart(MAX(item_due(first_id), item_due(second_id)));
    /* Offline, nothing is asked yet (a "Send" could not send)... */
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_requests()), ==, 0);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);

    /* ... and once the account is online, asking is all it does. */
    test_client_connect(account);
    ajar_test_run_for(300);
    take_overdue_questions(&first, &second, &requests);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    g_assert_cmpint(ajar_test_item_state(first_id), ==, AJAR_EVENT_QUEUED);
    g_assert_cmpint(ajar_test_item_state(second_id), ==, AJAR_EVENT_QUEUED);

    test_client_request_answer(first, test_client_request_find_action(first, "Send"));
    {
        g_autoptr(GPtrArray) sent = test_client_take_sent();
        g_assert_cmpuint(sent->len, ==, 1);
        g_assert_cmpstr(((TestSent *)g_ptr_array_index(sent, 0))->message, ==, "first overdue");
    }
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENT, first_id), ==, 1);

    test_client_request_answer(second, second->default_action);
    ajar_test_run_for(300);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_requests()), ==, 0);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENT, second_id), ==, 0);
    g_assert_cmpint(ajar_test_item_state(second_id), ==, AJAR_EVENT_CANCELLED);
    ajar_test_unload();
    ajar_test_drain();
}

/* Pidgin loads plugins before its accounts sign on, so the question comes
 * while offline; "Send" then means "send it", not "fail". */
static void
test_overdue_outgoing_send_before_sign_on(void)
{
    PurpleAccount *account = start(rules_overdue_out);
    g_autofree char *id = send_kept(account, KIM, "answered early", AJAR_EVENT_QUEUED);
    guint sent = 0;

    ajar_test_drain();
    account = restart(item_due(id));
    for (int step = 0; step < 2; step++) {
        g_autoptr(GPtrArray) requests = test_client_take_requests();

        /* The question may come before or after sign-on; "Send" either way. */
        g_assert_cmpuint(requests->len, <=, 1);
        if (requests->len == 1) {
            TestRequest *request = g_ptr_array_index(requests, 0);
            g_assert_cmpint(request->default_action, ==,
                            test_client_request_find_action(request, "Keep it unsent"));
            test_client_request_answer(request, test_client_request_find_action(request, "Send"));
        }
        if (step == 0) {
            g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
            test_client_connect(account);
            ajar_test_run_for(300);
        }
    }
    ajar_test_run_for(300);
    sent = ajar_test_count_and_free(test_client_take_sent());
    g_assert_cmpuint(sent, ==, 1);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENT, id), ==, 1);
    ajar_test_unload();
    ajar_test_drain();
}

static void
test_overdue_incoming_at_sign_on(void)
{
    PurpleAccount *account = start(rules_overdue_in);
    time_t arrived = time(NULL);
    g_autofree char *id = receive_kept(account, LEE, "late hello", AJAR_EVENT_DELAYED);
    g_autoptr(GPtrArray) received = NULL;
    g_autoptr(GPtrArray) lines = NULL;
    g_autofree char *log = NULL;
    const TestLine *line;

    ajar_test_drain();
    account = restart(item_due(id));
    ajar_test_run_for(300);
    /* Overdue, but the account is offline: nothing yet, nothing lost. */
    assert_nothing_happened();
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_DELAYED);

    test_client_connect(account);
    ajar_test_run_for(300);
    received = test_client_take_received();
    g_assert_cmpuint(received->len, ==, 1);
    g_assert_cmpstr(((TestReceived *)g_ptr_array_index(received, 0))->message, ==, "late hello");
    lines = test_client_take_lines();
    g_assert_cmpuint(ajar_test_count_lines_with(lines, "late hello"), ==, 1);
    line = g_ptr_array_index(lines, lines->len - 1);
    g_assert_true(line->flags & PURPLE_MESSAGE_RECV);
    /* Shown with the time it arrived, not the time it was delivered. */
    g_assert_cmpint(line->mtime, >=, arrived);
    g_assert_cmpint(line->mtime, <=, arrived + 1);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_DELIVERED, id), ==, 1);
    log = test_client_read_log(account, LEE);
    g_assert_nonnull(strstr(log, "late hello"));

    ajar_test_run_for(300);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_received()), ==, 0);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_DELIVERED, id), ==, 1);
    ajar_test_unload();
    ajar_test_drain();
}

static gboolean
sent_and_received_cb(gpointer data)
{
    guint *counts = data;

    counts[0] += ajar_test_count_and_free(test_client_take_sent());
    counts[1] += ajar_test_count_and_free(test_client_take_received());
    return counts[0] >= 1 && counts[1] >= 1;
}

/* Timers are rebuilt from the journal: their delayed message arrives at its
 * time after a restart; yours, queued before the restart, is never sent
 * without asking ("after a restart nothing is sent without asking"), so at
 * its time the question comes, and "Send" sends it once. */
static void
test_timers_survive(void)
{
    PurpleAccount *account = start(rules_timers);
    g_autofree char *in = receive_kept(account, KIM, "see you soon", AJAR_EVENT_DELAYED);
    g_autofree char *out = send_kept(account, KIM, "on my way", AJAR_EVENT_QUEUED);
    gint64 due = MAX(item_due(in), item_due(out));
    guint counts[2] = { 0, 0 };
    g_autoptr(GPtrArray) requests = NULL;
    TestRequest *question;

    ajar_test_drain();
    account = restart(0);
    test_client_connect(account);
    /* Only meaningful if the restart took less than the delay. */
    g_assert_cmpint(g_get_real_time(), <, due);
    assert_nothing_happened();

    while (g_get_real_time() < due + 300 * 1000)
        ajar_test_run_for(50);
    sent_and_received_cb(counts);
    g_assert_cmpuint(counts[1], ==, 1); /* theirs arrived */
    g_assert_cmpuint(counts[0], ==, 0); /* yours waits for an answer */
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_DELIVERED, in), ==, 1);
    requests = test_client_take_requests();
    g_assert_cmpuint(requests->len, ==, 1);
    question = g_ptr_array_index(requests, 0);
    g_assert_cmpint(question->default_action, ==,
                    test_client_request_find_action(question, "Keep it unsent"));
    test_client_request_answer(question, test_client_request_find_action(question, "Send"));
    sent_and_received_cb(counts);
    g_assert_cmpuint(counts[0], ==, 1);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENT, out), ==, 1);
    ajar_test_unload();
    ajar_test_drain();
}

static gboolean
request_shown_cb(gpointer data)
{
    GPtrArray **shown = data;
    g_autoptr(GPtrArray) requests = test_client_take_requests();

    if (requests->len == 0)
        return FALSE;
    *shown = g_steal_pointer(&requests);
    return TRUE;
}

static void
test_unload_with_pending(void)
{
    PurpleAccount *account = start(rules_unload);
    g_autofree char *asked = send_kept(account, MIA, "pending A", AJAR_EVENT_QUEUED);
    g_autofree char *waiting = NULL;
    g_autofree char *delayed = NULL;
    g_autoptr(GPtrArray) shown = NULL;
    g_autoptr(GPtrArray) lines = NULL;
    g_autoptr(AjarState) state = NULL;
    TestRequest *question;

    test_client_wait_for(request_shown_cb, &shown, "the send-now question");
    g_assert_cmpuint(shown->len, ==, 1);
    question = g_ptr_array_index(shown, 0);
    waiting = send_kept(account, MIA, "pending B", AJAR_EVENT_QUEUED);
    delayed = receive_kept(account, MIA, "pending in", AJAR_EVENT_DELAYED);
    ajar_test_drain();

    ajar_test_unload();
    /* Its question is gone, unanswered... */
    g_assert_true(question->closed);
    g_assert_false(question->answered);
    /* ...its command too... */
    g_assert_cmpint(test_client_command(account, MIA, "ajar status"), ==,
                    PURPLE_CMD_STATUS_NOT_FOUND);
    lines = test_client_take_lines();
    g_assert_cmpuint(lines->len, ==, 1);
    g_assert_cmpstr(((TestLine *)g_ptr_array_index(lines, 0))->message, ==, "Unknown command.");
    /* ...and its timers: past every due time, nothing is sent or delivered. */
    ajar_test_run_for(1500);
    assert_nothing_happened();
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_notices()), ==, 0);

    /* Everything is still kept, once. */
    state = ajar_test_read_state();
    g_assert_cmpint(ajar_state_lookup(state, asked)->state, ==, AJAR_EVENT_QUEUED);
    g_assert_cmpint(ajar_state_lookup(state, waiting)->state, ==, AJAR_EVENT_QUEUED);
    g_assert_cmpint(ajar_state_lookup(state, delayed)->state, ==, AJAR_EVENT_DELAYED);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_QUEUED, asked), ==, 1);

    /* Switched on again: theirs comes (it is overdue and the account is
     * online), yours are asked about, never sent. */
    ajar_test_load();
    ajar_test_run_for(300);
    {
        g_autoptr(GPtrArray) received = test_client_take_received();
        g_autoptr(GPtrArray) requests = test_client_take_requests();

        g_assert_cmpuint(received->len, ==, 1);
        g_assert_cmpstr(((TestReceived *)g_ptr_array_index(received, 0))->message, ==,
                        "pending in");
        g_assert_cmpuint(requests->len, ==, 2);
        g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
        for (guint i = 0; i < requests->len; i++) {
            TestRequest *request = g_ptr_array_index(requests, i);
            test_client_request_answer(request, request->default_action);
        }
    }
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    g_assert_cmpint(ajar_test_item_state(asked), ==, AJAR_EVENT_CANCELLED);
    g_assert_cmpint(ajar_test_item_state(waiting), ==, AJAR_EVENT_CANCELLED);
    g_assert_cmpint(ajar_test_item_state(delayed), ==, AJAR_EVENT_DELIVERED);
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

    g_test_add_func("/plugin/restart/pending-survive", test_pending_survive);
    g_test_add_func("/plugin/restart/timers-survive", test_timers_survive);
    g_test_add_func("/plugin/restart/overdue-outgoing-asks", test_overdue_outgoing_asks);
    g_test_add_func("/plugin/restart/overdue-incoming-at-sign-on",
                    test_overdue_incoming_at_sign_on);
    g_test_add_func("/plugin/restart/unload-with-pending", test_unload_with_pending);
    g_test_add_func("/plugin/restart/overdue-outgoing-send-before-sign-on",
                    test_overdue_outgoing_send_before_sign_on);
    status = g_test_run();

    test_client_quit();
    test_client_cleanup();
    return status;
}
