/* test-quiet.c — quiet hours: what you write to them inside the window is
 * not sent but kept ("queued", "quiet": true, due = the window's end), and
 * at its end Ajar asks "You wrote this to Sam at 00:00: "…". Send it now?",
 * default Keep it unsent; never sent without a Send, also across a restart
 * inside the window or past its end. Windows here wrap midnight, and the
 * local time is set with $TZ (local-clock.h) so their end is two to five
 * seconds of real time away. */
#include "ajar-test-util.h"
#include "local-clock.h"

#define ME "me@example.org/Home"
#define SAM "sam@example.org"
#define KIM "kim@example.org"

/* Sam: your messages go at once, except from 23:30 until 00:01. */
static const char rules_quiet[] =
    "{\"version\": 1, \"rules\": [{\"name\": \"Sam\", \"match\": [{\"buddy\": \"" SAM "\"}], "
    "\"outgoing\": {\"action\": \"pass\", \"quiet_hours\": {\"from\": \"23:30\", "
    "\"until\": \"00:01\"}}}]}";
/* The same window ending at midnight, for a message written before it. */
static const char rules_quiet_midnight[] =
    "{\"version\": 1, \"rules\": [{\"name\": \"Sam\", \"match\": [{\"buddy\": \"" SAM "\"}], "
    "\"outgoing\": {\"action\": \"pass\", \"quiet_hours\": {\"from\": \"23:30\", "
    "\"until\": \"00:00\"}}}]}";

#define KEEP "Keep it unsent"

static PurpleAccount *
start(const char *rules)
{
    PurpleAccount *account = ajar_test_account(ME);

    test_client_connect(account);
    ajar_test_reload_with_rules(rules);
    return account;
}

/* Sends @text to Sam; Ajar must keep it for quiet hours. Returns: (transfer
 * full) its "queued" event. */
static AjarEvent *
send_in_quiet_hours(PurpleAccount *account, const char *text)
{
    gint64 seq = ajar_test_last_seq();
    g_autoptr(GPtrArray) events = NULL;
    g_autoptr(GPtrArray) lines = NULL;

    test_client_send(account, SAM, text);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    events = ajar_test_events_since(seq, AJAR_EVENT_QUEUED, NULL);
    g_assert_cmpuint(events->len, ==, 1);
    g_assert_cmpstr(((AjarEvent *)g_ptr_array_index(events, 0))->text, ==, text);
    g_assert_true(((AjarEvent *)g_ptr_array_index(events, 0))->quiet);
    g_assert_false(((AjarEvent *)g_ptr_array_index(events, 0))->ask);
    /* One line in the window says so; your message itself is not shown as sent. */
    lines = test_client_take_lines();
    g_assert_cmpuint(lines->len, ==, 1);
    g_assert_true(((TestLine *)g_ptr_array_index(lines, 0))->flags & PURPLE_MESSAGE_SYSTEM);
    return ajar_event_copy(g_ptr_array_index(events, 0));
}

/* The local time of day of @due (unix microseconds) must be @hour:@minute:00. */
static void
assert_due_at(gint64 due, int hour, int minute)
{
    g_autoptr(GDateTime) when = g_date_time_new_from_unix_local(due / G_USEC_PER_SEC);

    g_assert_cmpint(due % G_USEC_PER_SEC, ==, 0);
    g_assert_cmpint(g_date_time_get_hour(when), ==, hour);
    g_assert_cmpint(g_date_time_get_minute(when), ==, minute);
    g_assert_cmpint(g_date_time_get_second(when), ==, 0);
}

static gboolean
has_request_cb(gpointer data)
{
    GPtrArray **taken = data;

    if (*taken == NULL || (*taken)->len == 0) {
        g_clear_pointer(taken, g_ptr_array_unref);
        *taken = test_client_take_requests();
    }
    /* Nothing goes while waiting for the question. */
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    return (*taken)->len > 0;
}

/* Waits for the one quiet-hours question; checks its words and default.
 * Returns: (transfer full): the taken requests, the question first. */
static GPtrArray *
wait_for_question(const char *expected_primary)
{
    GPtrArray *taken = NULL;
    g_autoptr(GPtrArray) asked = NULL;
    TestRequest *request;

    test_client_wait_for(has_request_cb, &taken, "the quiet-hours question");
    g_assert_cmpuint(taken->len, ==, 1);
    request = g_ptr_array_index(taken, 0);
    g_assert_cmpint(request->type, ==, PURPLE_REQUEST_ACTION);
    g_assert_cmpstr(request->primary, ==, expected_primary);
    g_assert_null(request->secondary); /* the quote shows all of it */
    g_assert_cmpint(request->default_action, ==, test_client_request_find_action(request, KEEP));
    g_assert_cmpint(test_client_request_find_action(request, "Send"), >=, 0);
    return taken;
}

/* After midnight, inside a window that began the evening before: kept, and
 * asked at 00:01; Send sends it, once. Kim (no rule) gets hers at once. */
static void
test_quiet_after_midnight(void)
{
    PurpleAccount *account = start(rules_quiet);
    g_autoptr(AjarEvent) queued = NULL;
    g_autoptr(GPtrArray) sent = NULL;
    g_autoptr(GPtrArray) asked = NULL;
    TestRequest *request;

    local_clock_set(0, 0, 58);
    queued = send_in_quiet_hours(account, "are you awake?");
    assert_due_at(queued->due, 0, 1);
    test_client_send(account, KIM, "good night");
    sent = test_client_take_sent();
    g_assert_cmpuint(sent->len, ==, 1);
    g_assert_cmpstr(((TestSent *)g_ptr_array_index(sent, 0))->who, ==, KIM);
    g_clear_pointer(&sent, g_ptr_array_unref);

    asked = wait_for_question("You wrote this to Sam at 00:00: \"are you awake?\". Send it now?");
    request = g_ptr_array_index(asked, 0);
    g_assert_cmpint(ajar_test_item_state(queued->id), ==, AJAR_EVENT_QUEUED);
    test_client_request_answer(request, test_client_request_find_action(request, "Send"));
    sent = test_client_take_sent();
    g_assert_cmpuint(sent->len, ==, 1);
    g_assert_cmpstr(((TestSent *)g_ptr_array_index(sent, 0))->message, ==, "are you awake?");
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENT, queued->id), ==, 1);
    ajar_test_run_for(300);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    local_clock_reset();
    ajar_test_unload();
}

/* Before midnight, in a window ending at 00:00: asked at midnight; the
 * default answer keeps it as an unsent letter. */
static void
test_quiet_before_midnight_keep(void)
{
    PurpleAccount *account = start(rules_quiet_midnight);
    g_autoptr(AjarEvent) queued = NULL;
    g_autoptr(GPtrArray) asked = NULL;
    TestRequest *request;

    local_clock_set(23, 59, 58);
    queued = send_in_quiet_hours(account, "I miss you");
    assert_due_at(queued->due, 0, 0);
    g_assert_cmpint(queued->due - g_get_real_time(), <=, 3 * G_USEC_PER_SEC);

    asked = wait_for_question("You wrote this to Sam at 23:59: \"I miss you\". Send it now?");
    request = g_ptr_array_index(asked, 0);
    test_client_request_answer(request, request->default_action);
    ajar_test_run_for(300);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENT, queued->id), ==, 0);
    g_assert_cmpint(ajar_test_item_state(queued->id), ==, AJAR_EVENT_CANCELLED);
    local_clock_reset();
    ajar_test_unload();
}

/* Outside the window a message to Sam goes at once, as the rule's pass says. */
static void
test_quiet_outside_window(void)
{
    PurpleAccount *account = start(rules_quiet);
    g_autoptr(GPtrArray) sent = NULL;

    gint64 seq = ajar_test_last_seq();

    local_clock_set(12, 0, 0);
    test_client_send(account, SAM, "lunch?");
    sent = test_client_take_sent();
    g_assert_cmpuint(sent->len, ==, 1);
    g_assert_cmpuint(ajar_test_count_and_free(ajar_test_events_since(seq, AJAR_EVENT_QUEUED, NULL)),
                     ==, 0);
    local_clock_reset();
    ajar_test_unload();
}

/* The messenger quits inside the window and starts again inside it:
 * nothing is sent or asked then, and at 00:01 the question comes. */
static void
test_quiet_restart_inside(void)
{
    PurpleAccount *account = start(rules_quiet);
    g_autoptr(AjarEvent) queued = NULL;
    g_autoptr(GPtrArray) asked = NULL;
    TestRequest *request;

    local_clock_set(0, 0, 56);
    queued = send_in_quiet_hours(account, "still up");
    ajar_test_unload();
    test_client_restart();
    account = test_client_find_account(ME);
    ajar_test_load();
    test_client_connect(account);
    ajar_test_run_for(200);
    g_assert_cmpint(g_get_real_time(), <, queued->due);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_requests()), ==, 0);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);

    asked = wait_for_question("You wrote this to Sam at 00:00: \"still up\". Send it now?");
    request = g_ptr_array_index(asked, 0);
    /* At 00:01 (the due-queue's timer may fire up to 1 ms before it). */
    g_assert_cmpint(g_get_real_time() + 1000, >=, queued->due);
    test_client_request_answer(request, request->default_action);
    ajar_test_run_for(300);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    g_assert_cmpint(ajar_test_item_state(queued->id), ==, AJAR_EVENT_CANCELLED);
    local_clock_reset();
    ajar_test_unload();
}

/* Ajar is off when the window ends: started again after it, it asks at
 * once, and only Send sends. */
static void
test_quiet_restart_after(void)
{
    PurpleAccount *account = start(rules_quiet);
    g_autoptr(AjarEvent) queued = NULL;
    g_autoptr(GPtrArray) sent = NULL;
    g_autoptr(GPtrArray) asked = NULL;
    TestRequest *request;

    local_clock_set(0, 0, 58);
    queued = send_in_quiet_hours(account, "sorry");
    ajar_test_unload();
    while (g_get_real_time() <= queued->due + 200 * 1000)
        g_usleep(10 * 1000);
    ajar_test_load();
    asked = wait_for_question("You wrote this to Sam at 00:00: \"sorry\". Send it now?");
    request = g_ptr_array_index(asked, 0);
    ajar_test_run_for(300);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    test_client_request_answer(request, test_client_request_find_action(request, "Send"));
    sent = test_client_take_sent();
    g_assert_cmpuint(sent->len, ==, 1);
    g_assert_cmpstr(((TestSent *)g_ptr_array_index(sent, 0))->message, ==, "sorry");
    local_clock_reset();
    ajar_test_unload();
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    g_test_add_func("/plugin/quiet/after-midnight", test_quiet_after_midnight);
    g_test_add_func("/plugin/quiet/before-midnight-keep", test_quiet_before_midnight_keep);
    g_test_add_func("/plugin/quiet/outside-window", test_quiet_outside_window);
    g_test_add_func("/plugin/quiet/restart-inside", test_quiet_restart_inside);
    g_test_add_func("/plugin/quiet/restart-after", test_quiet_restart_after);
    status = g_test_run();

    test_client_quit();
    test_client_cleanup();
    return status;
}
