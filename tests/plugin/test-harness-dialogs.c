/* test-harness-dialogs.c — the headless client shows and answers dialogs
 * and message boxes as Pidgin does, without Ajar.
 *
 * Ajar talks to its user only through libpurple's request and notify APIs:
 * the review, the "send it now?" question after a restart, the cooling-off
 * minutes. The plugin tests read those dialogs and answer them through the
 * client, so this proves the client records what libpurple asked, calls
 * exactly the callback a button press calls, and treats a dialog its owner
 * closed (every plugin's unload closes its dialogs) as gone. A static int
 * stands in for the plugin that opens them. */
#include "test-client.h"

#include <string.h>

#include <core.h>

#define ME "me@example.org/Home"
#define SAM "sam@example.org"

static int owner; /* the handle dialogs are opened for, as a plugin's own */

static PurpleAccount *
me(void)
{
    PurpleAccount *account = test_client_find_account(ME);

    return account != NULL ? account : test_client_add_account(ME);
}

static void
drain(void)
{
    g_ptr_array_unref(test_client_take_notices());
    g_ptr_array_unref(test_client_take_requests());
    g_ptr_array_unref(test_client_take_events());
}

static int action_calls[2];
static gpointer action_data;

static void
action_send_cb(gpointer data, int index)
{
    action_calls[0]++;
    action_data = data;
    g_assert_cmpint(index, ==, 0);
}

static void
action_keep_cb(gpointer data, int index)
{
    action_calls[1]++;
    action_data = data;
    g_assert_cmpint(index, ==, 1);
}

static TestRequest *
only_request(GPtrArray *requests)
{
    g_assert_cmpuint(requests->len, ==, 1);
    return g_ptr_array_index(requests, 0);
}

static void
test_request_action(void)
{
    PurpleAccount *account = me();
    g_autoptr(GPtrArray) requests = NULL;
    g_autoptr(GPtrArray) closed = NULL;
    TestRequest *request;
    int marker;

    drain();
    memset(action_calls, 0, sizeof(action_calls));
    purple_request_action(&owner, "Ajar", "Send this now?", "It has waited 10 min.", 1, account,
                          SAM, NULL, &marker, 2, "_Send", G_CALLBACK(action_send_cb), "_Keep it",
                          G_CALLBACK(action_keep_cb));
    requests = test_client_take_requests();
    request = only_request(requests);
    g_assert_cmpint(request->type, ==, PURPLE_REQUEST_ACTION);
    g_assert_cmpstr(request->title, ==, "Ajar");
    g_assert_cmpstr(request->primary, ==, "Send this now?");
    g_assert_cmpstr(request->secondary, ==, "It has waited 10 min.");
    g_assert_cmpstr(request->account, ==, ME);
    g_assert_cmpstr(request->who, ==, SAM);
    g_assert_cmpint(request->default_action, ==, 1);
    g_assert_cmpuint(request->labels->len, ==, 2);
    g_assert_cmpstr(g_ptr_array_index(request->labels, 0), ==, "_Send");
    g_assert_cmpint(test_client_request_find_action(request, "Send"), ==, 0);
    g_assert_cmpint(test_client_request_find_action(request, "Keep it"), ==, 1);
    g_assert_cmpint(test_client_request_find_action(request, "Discard"), ==, -1);
    g_assert_false(request->closed);

    test_client_request_answer(request, test_client_request_find_action(request, "Keep it"));
    g_assert_cmpint(action_calls[0], ==, 0);
    g_assert_cmpint(action_calls[1], ==, 1);
    g_assert_true(action_data == &marker);
    g_assert_true(request->answered);
    g_assert_true(request->closed);

    /* A dialog its owner closes (as every plugin's unload does) is gone:
     * marked closed, never answered. */
    purple_request_action(&owner, "Ajar", "Send this now?", NULL, 1, account, SAM, NULL, &marker, 2,
                          "_Send", G_CALLBACK(action_send_cb), "_Keep it",
                          G_CALLBACK(action_keep_cb));
    closed = test_client_take_requests();
    request = only_request(closed);
    purple_request_close_with_handle(&owner);
    g_assert_true(request->closed);
    g_assert_false(request->answered);
    g_assert_cmpint(action_calls[0], ==, 0);
    g_assert_cmpint(action_calls[1], ==, 1);
}

static char *fields_answer;
static int choice_answer;
static char *input_answer;

static void
fields_ok_cb(gpointer data, PurpleRequestFields *fields)
{
    g_free(fields_answer);
    fields_answer = g_strdup(purple_request_fields_get_string(fields, "minutes"));
}

static void
choice_ok_cb(gpointer data, int value)
{
    choice_answer = value;
}

static void
input_cb(gpointer data, const char *text)
{
    g_free(input_answer);
    input_answer = g_strdup(text);
}

static void
test_request_fields(void)
{
    PurpleRequestFields *fields = purple_request_fields_new();
    PurpleRequestFieldGroup *group = purple_request_field_group_new(NULL);
    PurpleRequestField *field = purple_request_field_string_new("minutes", "Minutes", NULL, FALSE);
    g_autoptr(GPtrArray) requests = NULL;
    TestRequest *request;

    drain();
    purple_request_field_set_required(field, TRUE);
    purple_request_field_group_add_field(group, field);
    purple_request_fields_add_group(fields, group);
    purple_request_fields(&owner, "Ajar", "Cooling-off", NULL, fields, "_OK",
                          G_CALLBACK(fields_ok_cb), "_Cancel", NULL, me(), SAM, NULL, NULL);
    requests = test_client_take_requests();
    request = only_request(requests);
    g_assert_cmpint(request->type, ==, PURPLE_REQUEST_FIELDS);
    g_assert_true(request->fields == fields);

    /* OK is greyed out while a required field is empty. */
    g_assert_false(test_client_request_fields_ok(request));
    g_assert_false(request->closed);
    purple_request_fields_get_field(request->fields, "minutes");
    purple_request_field_string_set_value(
        purple_request_fields_get_field(request->fields, "minutes"), "10");
    g_assert_true(test_client_request_fields_ok(request));
    g_assert_cmpstr(fields_answer, ==, "10");
    g_assert_true(request->closed);
    g_assert_null(request->fields); /* destroyed with the dialog, as Pidgin does */
    g_clear_pointer(&fields_answer, g_free);

    purple_request_choice(&owner, "Ajar", "Which?", NULL, 2, "_OK", G_CALLBACK(choice_ok_cb),
                          "_Cancel", NULL, NULL, NULL, NULL, NULL, "One", 1, "Two", 2, NULL);
    g_clear_pointer(&requests, g_ptr_array_unref);
    requests = test_client_take_requests();
    request = only_request(requests);
    g_assert_cmpuint(request->labels->len, ==, 2);
    g_assert_cmpint(g_array_index(request->values, int, 1), ==, 2);
    g_assert_cmpint(request->default_action, ==, 2);
    test_client_request_choose(request, 1);
    g_assert_cmpint(choice_answer, ==, 1);

    purple_request_input(&owner, "Ajar", "Why?", NULL, "because", FALSE, FALSE, NULL, "_OK",
                         G_CALLBACK(input_cb), "_Cancel", G_CALLBACK(input_cb), NULL, NULL, NULL,
                         NULL);
    g_clear_pointer(&requests, g_ptr_array_unref);
    requests = test_client_take_requests();
    request = only_request(requests);
    g_assert_cmpstr(request->default_value, ==, "because");
    test_client_request_cancel(request);
    g_assert_cmpstr(input_answer, ==, "because");
    g_assert_true(request->closed);
    g_clear_pointer(&input_answer, g_free);

    /* An open fields dialog closed by its owner frees its fields. */
    fields = purple_request_fields_new();
    purple_request_fields(&owner, "Ajar", "Open", NULL, fields, "_OK", G_CALLBACK(fields_ok_cb),
                          "_Cancel", NULL, NULL, NULL, NULL, NULL);
    purple_request_close_with_handle(&owner);
    g_clear_pointer(&requests, g_ptr_array_unref);
    requests = test_client_take_requests();
    g_assert_true(only_request(requests)->closed);
}

static int notice_close_calls;

static void
notice_closed_cb(gpointer data)
{
    notice_close_calls++;
}

static void
test_notify(void)
{
    g_autoptr(GPtrArray) notices = NULL;
    TestNotice *notice;

    drain();
    purple_notify_message(&owner, PURPLE_NOTIFY_MSG_WARNING, "Ajar", "Primary", "Secondary",
                          notice_closed_cb, NULL);
    purple_notify_formatted(&owner, "Ajar", "Review", NULL, "<b>3</b> held", NULL, NULL);
    notices = test_client_take_notices();
    g_assert_cmpuint(notices->len, ==, 2);
    notice = g_ptr_array_index(notices, 0);
    g_assert_cmpint(notice->kind, ==, TEST_NOTICE_MESSAGE);
    g_assert_cmpint(notice->type, ==, PURPLE_NOTIFY_MSG_WARNING);
    g_assert_cmpstr(notice->secondary, ==, "Secondary");
    test_client_notice_close(notice);
    g_assert_true(notice->closed);
    g_assert_cmpint(notice_close_calls, ==, 1);

    notice = g_ptr_array_index(notices, 1);
    g_assert_cmpint(notice->kind, ==, TEST_NOTICE_FORMATTED);
    g_assert_cmpstr(notice->text, ==, "<b>3</b> held");
    g_assert_false(notice->closed);
    purple_notify_close_with_handle(&owner);
    g_assert_true(notice->closed);

    /* Buddy info, as "Get Info" shows it. */
    {
        PurpleNotifyUserInfo *info = purple_notify_user_info_new();
        g_autoptr(GPtrArray) shown = NULL;

        purple_notify_user_info_add_pair_plaintext(info, "Status", "Away");
        purple_notify_userinfo(purple_account_get_connection(me()), SAM, info, NULL, NULL);
        purple_notify_user_info_destroy(info);
        shown = test_client_take_notices();
        g_assert_cmpuint(shown->len, ==, 1);
        notice = g_ptr_array_index(shown, 0);
        g_assert_cmpint(notice->kind, ==, TEST_NOTICE_USERINFO);
        g_assert_cmpstr(notice->who, ==, SAM);
        g_assert_nonnull(strstr(notice->text, "Status"));
        g_assert_nonnull(strstr(notice->text, "Away"));
        test_client_notice_close(notice);
        g_assert_true(notice->closed);
    }
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    g_test_add_func("/harness/dialogs/request-action", test_request_action);
    g_test_add_func("/harness/dialogs/request-fields-choice-input", test_request_fields);
    g_test_add_func("/harness/dialogs/notify", test_notify);
    status = g_test_run();

    test_client_quit();
    test_client_cleanup();
    return status;
}
