/* test-ask.c — an "ask" rule: every message you write to them is kept
 * ("queued", "ask": true, no due time) and you are asked at once, with the
 * rule's own question (or "Send this to Sam now?") over your message. Send
 * sends it through the normal path (sending, sent; once); Keep it unsent,
 * the default, keeps it as an unsent letter; a dialog closed without an
 * answer leaves it unsent, also after a restart, until /ajar send ID. Your
 * typing does not reach them meanwhile (test-typing.c). */
#include "ajar-test-util.h"

#define ME "me@example.org/Home"
#define SAM "sam@example.org"

#define QUESTION "Will I still want this sent tomorrow?"
#define KEEP "Keep it unsent"

static const char rules_ask[] =
    "{\"version\": 1, \"rules\": [{\"name\": \"Sam\", \"match\": [{\"buddy\": \"" SAM "\"}], "
    "\"outgoing\": {\"action\": \"ask\", \"question\": \"" QUESTION "\"}}]}";
static const char rules_ask_default[] =
    "{\"version\": 1, \"rules\": [{\"name\": \"Sam\", \"match\": [{\"buddy\": \"" SAM "\"}], "
    "\"outgoing\": {\"action\": \"ask\"}}]}";

static PurpleAccount *
start(const char *rules)
{
    PurpleAccount *account = ajar_test_account(ME);

    test_client_connect(account);
    ajar_test_reload_with_rules(rules);
    return account;
}

/* Sends @text to Sam: nothing goes, it is journaled, and the question is
 * open at once. Returns: (transfer full) the taken requests (the question
 * alone); @id gets the message's id. */
static GPtrArray *
send_asked(PurpleAccount *account, const char *text, const char *question, char **id)
{
    gint64 seq = ajar_test_last_seq();
    g_autoptr(GPtrArray) events = NULL;
    g_autoptr(GPtrArray) lines = NULL;
    g_autofree char *line = NULL;
    GPtrArray *requests;
    AjarEvent *event;
    TestRequest *request;

    test_client_send(account, SAM, text);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    events = ajar_test_events_since(seq, AJAR_EVENT_QUEUED, NULL);
    g_assert_cmpuint(events->len, ==, 1);
    event = g_ptr_array_index(events, 0);
    g_assert_cmpstr(event->text, ==, text);
    g_assert_true(event->ask);
    g_assert_false(event->quiet);
    g_assert_cmpint(event->due, ==, 0);
    *id = g_strdup(event->id);

    /* One line: kept unsent, and how to send it later. */
    lines = test_client_take_lines();
    g_assert_cmpuint(lines->len, ==, 1);
    line = g_strdup_printf(
        "Ajar: kept as an unsent letter. /ajar send %s sends it, /ajar review shows it.", *id);
    g_assert_cmpstr(((TestLine *)g_ptr_array_index(lines, 0))->message, ==, line);

    requests = test_client_take_requests();
    g_assert_cmpuint(requests->len, ==, 1);
    request = g_ptr_array_index(requests, 0);
    g_assert_cmpint(request->type, ==, PURPLE_REQUEST_ACTION);
    g_assert_cmpstr(request->primary, ==, question);
    g_assert_cmpstr(request->secondary, ==, text);
    g_assert_cmpint(request->default_action, ==, test_client_request_find_action(request, KEEP));
    g_assert_cmpint(test_client_request_find_action(request, "Send"), >=, 0);
    g_assert_false(request->closed);
    return requests;
}

/* Send: it goes, once, journaled sending then sent, shown in the window. */
static void
test_ask_yes(void)
{
    PurpleAccount *account = start(rules_ask);
    g_autofree char *id = NULL;
    g_autoptr(GPtrArray) asked = send_asked(account, "can we talk?", QUESTION, &id);
    TestRequest *request = g_ptr_array_index(asked, 0);
    g_autoptr(GPtrArray) sent = NULL;

    ajar_test_run_for(200);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    test_client_request_answer(request, test_client_request_find_action(request, "Send"));
    sent = test_client_take_sent();
    g_assert_cmpuint(sent->len, ==, 1);
    g_assert_cmpstr(((TestSent *)g_ptr_array_index(sent, 0))->message, ==, "can we talk?");
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENDING, id), ==, 1);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENT, id), ==, 1);
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_SENT);
    ajar_test_run_for(300);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    ajar_test_unload();
}

/* Keep it unsent (the default): an unsent letter, never sent by itself. */
static void
test_ask_no(void)
{
    PurpleAccount *account = start(rules_ask_default);
    g_autofree char *id = NULL;
    g_autoptr(GPtrArray) asked = send_asked(account, "hi", "Send this to Sam now?", &id);
    TestRequest *request = g_ptr_array_index(asked, 0);

    test_client_request_answer(request, request->default_action);
    ajar_test_run_for(300);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENDING, id), ==, 0);
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_CANCELLED);
    ajar_test_unload();
}

/* Closed without an answer: kept unsent; not asked again after a restart;
 * "/ajar send" alone does not send it (it is not a cooling-off message),
 * "/ajar send ID" does. */
static void
test_ask_dismissed(void)
{
    PurpleAccount *account = start(rules_ask);
    g_autofree char *id = NULL;
    g_autofree char *command = NULL;
    g_autoptr(GPtrArray) asked = send_asked(account, "one more thing", QUESTION, &id);
    g_autoptr(GPtrArray) sent = NULL;

    test_client_request_cancel(g_ptr_array_index(asked, 0));
    ajar_test_run_for(300);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_QUEUED);

    ajar_test_unload();
    test_client_restart();
    account = test_client_find_account(ME);
    ajar_test_load();
    test_client_connect(account);
    ajar_test_run_for(300);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_requests()), ==, 0);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_QUEUED);

    g_assert_cmpint(test_client_command(account, SAM, "ajar send"), ==, PURPLE_CMD_STATUS_OK);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    command = g_strdup_printf("ajar send %s", id);
    g_assert_cmpint(test_client_command(account, SAM, command), ==, PURPLE_CMD_STATUS_OK);
    sent = test_client_take_sent();
    g_assert_cmpuint(sent->len, ==, 1);
    g_assert_cmpstr(((TestSent *)g_ptr_array_index(sent, 0))->message, ==, "one more thing");
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENT, id), ==, 1);
    ajar_test_unload();
}

/* /ajar status says what the rule does, in words. */
static void
test_ask_status(void)
{
    PurpleAccount *account = start(rules_ask);
    g_autoptr(GPtrArray) lines = NULL;
    const char *said;

    g_assert_cmpint(test_client_command(account, SAM, "ajar status"), ==, PURPLE_CMD_STATUS_OK);
    lines = test_client_take_lines();
    g_assert_cmpuint(lines->len, ==, 1);
    said = ((TestLine *)g_ptr_array_index(lines, 0))->message;
    g_assert_nonnull(strstr(said, "Ajar asks &quot;" QUESTION "&quot;; unless you say Send, it "
                                  "stays unsent."));
    g_assert_null(strstr(said, "yours are kept as unsent letters"));
    ajar_test_unload();
}

/* Returns: (transfer full): the one line the command wrote, or NULL if
 * it failed (its error line is checked to be the usage). */
static char *
run(PurpleAccount *account, const char *command)
{
    g_autoptr(GPtrArray) lines = NULL;
    PurpleCmdStatus status = test_client_command(account, SAM, command);
    const TestLine *line;

    lines = test_client_take_lines();
    g_assert_cmpuint(lines->len, ==, 1);
    line = g_ptr_array_index(lines, 0);
    if (status != PURPLE_CMD_STATUS_OK) {
        g_assert_nonnull(strstr(line->message, "Ajar did not understand that"));
        g_assert_nonnull(strstr(line->message, "/ajar quiet HH:MM HH:MM"));
        return NULL;
    }
    return g_strdup(line->message);
}

/* /ajar quiet and /ajar ask change rules.json; a wrong argument prints the
 * usage and changes nothing. */
static void
test_ask_commands(void)
{
    PurpleAccount *account = start(rules_ask_default);
    g_autofree char *before = NULL;
    g_autofree char *said = NULL;
    const AjarRule *rule;

    said = run(account, "ajar quiet 23:00 7:00");
    g_assert_cmpstr(said, ==,
                    "Ajar: from 23:00 to 07:00 what you write to them is kept, and at 07:00 you "
                    "are asked whether to send it.");
    {
        g_autoptr(AjarRuleSet) rules = ajar_test_parse_rules();
        rule = ajar_rules_get_rule(rules, 0);
        g_assert_true(rule->outgoing.has_quiet);
        g_assert_cmpint(rule->outgoing.quiet_from_minute, ==, 23 * 60);
        g_assert_cmpint(rule->outgoing.quiet_until_minute, ==, 7 * 60);
        g_assert_cmpint(rule->outgoing.action, ==, AJAR_ACTION_ASK); /* the rest as it was */
    }
    g_clear_pointer(&said, g_free);
    said = run(account, "ajar status");
    g_assert_nonnull(strstr(said, "Quiet hours 23:00 to 07:00: what you write to them then is not "
                                  "sent, and at 07:00 Ajar asks whether to send it."));
    before = ajar_test_read_rules();
    g_assert_null(run(account, "ajar quiet 23:00"));
    g_assert_null(run(account, "ajar quiet 25:00 07:00"));
    g_assert_null(run(account, "ajar quiet 07:00 07:00"));
    g_assert_null(run(account, "ajar quiet 23:00 07:00 08:00"));
    {
        g_autofree char *after = ajar_test_read_rules();
        g_assert_cmpstr(after, ==, before);
    }

    g_clear_pointer(&said, g_free);
    said = run(account, "ajar ask  " QUESTION " ");
    g_assert_cmpstr(said, ==, "Ajar: you will be asked before each of your messages to them goes.");
    {
        g_autoptr(AjarRuleSet) rules = ajar_test_parse_rules();
        rule = ajar_rules_get_rule(rules, 0);
        g_assert_cmpint(rule->outgoing.action, ==, AJAR_ACTION_ASK);
        g_assert_cmpstr(rule->outgoing.question, ==, QUESTION);
        g_assert_true(rule->outgoing.has_quiet); /* kept */
    }
    g_clear_pointer(&said, g_free);
    said = run(account, "ajar quiet off");
    g_assert_cmpstr(said, ==, "Ajar: no quiet hours for this person any more.");
    g_clear_pointer(&said, g_free);
    said = run(account, "ajar ask off");
    g_assert_cmpstr(said, ==, "Ajar: your messages go at once again.");
    {
        g_autoptr(AjarRuleSet) rules = ajar_test_parse_rules();
        /* Passing both ways and no quiet hours: the rule does nothing, so it went. */
        g_assert_cmpuint(ajar_rules_get_count(rules), ==, 0);
    }
    ajar_test_unload();
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    g_test_add_func("/plugin/ask/yes", test_ask_yes);
    g_test_add_func("/plugin/ask/no", test_ask_no);
    g_test_add_func("/plugin/ask/dismissed", test_ask_dismissed);
    g_test_add_func("/plugin/ask/status", test_ask_status);
    g_test_add_func("/plugin/ask/commands", test_ask_commands);
    status = g_test_run();

    test_client_quit();
    test_client_cleanup();
    return status;
}
