/* test-harness.c — the headless client sees what a user would see, without Ajar.
 *
 * The plugin tests trust the client: that an injected message goes through
 * libpurple's real path (conversation, line, signal, history log), that what
 * the user sends reaches the protocol, and that a restart keeps accounts and
 * buddies. This proves it with no plugin loaded (dialogs and message boxes:
 * test-harness-dialogs.c). The cases share one core, as a real client does, and
 * run in order (GTest runs a suite's own cases before its sub-suites, so
 * they all sit directly under /harness/). */
#include "ajar-test-util.h"

#include <errno.h>
#include <string.h>

#include <core.h>
#include <log.h>
#include <signals.h>
#include <util.h>

#define ME "me@example.org/Home"
#define SAM "sam@example.org"
#define SAM_PHONE "Sam@Example.org/phone"
#define T0 ((time_t)1795813449) /* Fri 27 Nov 2026 21:04:09Z */

static int signal_handle;

/* Throws away whatever earlier cases left recorded. */
static void
drain(void)
{
    g_ptr_array_unref(test_client_take_events());
    g_ptr_array_unref(test_client_take_opened());
    g_ptr_array_unref(test_client_take_lines());
    g_ptr_array_unref(test_client_take_received());
    g_ptr_array_unref(test_client_take_sent());
    g_ptr_array_unref(test_prpl_take_sent_typing());
    test_client_reset_counts();
}

static PurpleAccount *
me(void)
{
    PurpleAccount *account = test_client_find_account(ME);

    g_assert_nonnull(account);
    return account;
}

static char *
events_joined(void)
{
    g_autoptr(GPtrArray) events = test_client_take_events();

    g_ptr_array_add(events, NULL);
    return g_strjoinv(" ", (char **)events->pdata);
}

static void
test_prpl(void)
{
    PurplePlugin *prpl = purple_find_prpl(TEST_PRPL_ID);

    g_assert_nonnull(prpl);
    g_assert_true(prpl == test_prpl_get_plugin());
    g_assert_true(purple_plugin_is_loaded(prpl));
    g_assert_cmpstr(purple_plugin_get_name(prpl), ==, TEST_PRPL_NAME);
    g_assert_nonnull(g_list_find(purple_plugins_get_protocols(), prpl));
}

static void
test_account_connect(void)
{
    PurpleAccount *account;

    drain();
    account = test_client_add_account(ME);
    g_assert_true(purple_account_is_connected(account));
    g_assert_true(purple_account_get_enabled(account, AJAR_TEST_CLIENT_UI));
    g_assert_true(test_client_find_account(ME) == account);
    g_assert_nonnull(g_list_find(purple_accounts_get_all(), account));

    /* XMPP-style names: case and resource do not matter. */
    g_assert_cmpstr(purple_normalize(account, SAM_PHONE), ==, SAM);
    g_assert_cmpstr(purple_normalize(account, ME), ==, "me@example.org");

    test_client_disconnect(account);
    g_assert_true(purple_account_is_disconnected(account));
    g_assert_true(purple_account_get_enabled(account, AJAR_TEST_CLIENT_UI));

    /* Connecting takes a main loop turn, as with a real server. */
    purple_account_connect(account);
    g_assert_false(purple_account_is_connected(account));
    g_assert_true(purple_account_is_connecting(account));
    test_client_wait_connected(account);
    g_assert_true(purple_account_is_connected(account));
    test_client_connect(account); /* already connected: nothing to do */
    g_assert_true(purple_account_is_connected(account));
}

static void
test_receive(void)
{
    PurpleAccount *account = me();
    g_autoptr(GPtrArray) opened = NULL;
    g_autoptr(GPtrArray) lines = NULL;
    g_autoptr(GPtrArray) received = NULL;
    g_autofree char *events = NULL;
    g_autofree char *log = NULL;
    g_autofree char *log_dir = NULL;
    TestWindow *window;
    TestLine *line;
    TestReceived *item;

    drain();
    g_assert_null(purple_find_conversation_with_account(PURPLE_CONV_TYPE_IM, SAM, account));
    test_client_receive(account, SAM_PHONE, "are you awake?", 0, T0);

    /* The order libpurple 2.14 does it in when no window is open. */
    events = events_joined();
    g_test_message("events: %s", events);
    g_assert_cmpstr(events, ==,
                    "signal:received-im-msg ui:create_conversation signal:conversation-created "
                    "signal:writing-im-msg ui:write_conv signal:wrote-im-msg");

    opened = test_client_take_opened();
    g_assert_cmpuint(opened->len, ==, 1);
    window = g_ptr_array_index(opened, 0);
    g_assert_cmpstr(window->account, ==, ME);
    g_assert_cmpstr(window->name, ==, SAM_PHONE); /* named as the first message was */
    g_assert_nonnull(purple_find_conversation_with_account(PURPLE_CONV_TYPE_IM, SAM, account));

    lines = test_client_take_lines();
    g_assert_cmpuint(lines->len, ==, 1);
    line = g_ptr_array_index(lines, 0);
    g_assert_cmpstr(line->account, ==, ME);
    g_assert_cmpstr(line->conv, ==, SAM_PHONE);
    g_assert_cmpstr(line->who, ==, SAM_PHONE);
    g_assert_cmpstr(line->message, ==, "are you awake?");
    g_assert_true(line->flags & PURPLE_MESSAGE_RECV);
    g_assert_cmpint(line->mtime, ==, T0);

    received = test_client_take_received();
    g_assert_cmpuint(received->len, ==, 1);
    item = g_ptr_array_index(received, 0);
    g_assert_cmpstr(item->who, ==, SAM_PHONE);
    g_assert_cmpstr(item->message, ==, "are you awake?");
    g_assert_cmpuint(test_client_signal_count("received-im-msg"), ==, 1);
    g_assert_cmpuint(test_client_signal_count("wrote-im-msg"), ==, 1);

    /* The history log, where libpurple says it is, in plain text. */
    log_dir = purple_log_get_log_dir(PURPLE_LOG_IM, SAM_PHONE, account);
    {
        g_autofree char *expected = g_build_filename(test_client_user_dir(), "logs", TEST_PRPL_ICON,
                                                     "me@example.org", SAM, NULL);
        g_assert_cmpstr(log_dir, ==, expected);
    }
    log = test_client_read_log(account, SAM);
    g_test_message("log:\n%s", log);
    g_assert_nonnull(strstr(log, "Conversation with " SAM " at "));
    /* "(21:04:09)", or with the date once T0 is more than 20 minutes
     * past: libpurple's log_get_timestamp() decides by the clock. */
    g_assert_true(strstr(log, " 21:04:09) " SAM_PHONE ": are you awake?\n") != NULL ||
                  strstr(log, "(21:04:09) " SAM_PHONE ": are you awake?\n") != NULL);

    /* A second message goes into the open window. */
    test_client_receive(account, SAM, "hello?", 0, T0 + 60);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_opened()), ==, 0);
    g_clear_pointer(&lines, g_ptr_array_unref);
    lines = test_client_take_lines();
    g_assert_cmpuint(lines->len, ==, 1);
    line = g_ptr_array_index(lines, 0);
    g_assert_cmpstr(line->conv, ==, SAM_PHONE);
    g_assert_cmpint(line->mtime, ==, T0 + 60);
    g_clear_pointer(&log, g_free);
    log = test_client_read_log(account, SAM_PHONE);
    g_assert_nonnull(strstr(log, "hello?"));

    /* Pidgin's "displaying-im-msg" does not exist in libpurple. */
    g_assert_cmpuint(purple_signal_connect(purple_conversations_get_handle(), "displaying-im-msg",
                                           &signal_handle, PURPLE_CALLBACK(drain), NULL),
                     ==, 0);
}

static void
test_typing(void)
{
    PurpleAccount *account = me();

    drain();
    /* With the window open, the state shows in it. */
    test_client_receive_typing(account, SAM_PHONE, PURPLE_TYPING);
    g_assert_cmpint(test_client_typing_state(account, SAM), ==, PURPLE_TYPING);
    g_assert_cmpuint(test_client_signal_count("buddy-typing"), ==, 1);
    /* A message from them ends it. */
    test_client_receive(account, SAM_PHONE, "sorry, phone died", 0, T0 + 120);
    g_assert_cmpint(test_client_typing_state(account, SAM), ==, PURPLE_NOT_TYPING);
    g_assert_cmpuint(test_client_signal_count("buddy-typing-stopped"), ==, 1);

    /* With no window, only the signals fire and nothing opens. */
    drain();
    test_client_receive_typing(account, "alex@example.org", PURPLE_TYPING);
    g_assert_cmpint(test_client_typing_state(account, "alex@example.org"), ==, PURPLE_NOT_TYPING);
    g_assert_cmpuint(test_client_signal_count("buddy-typing"), ==, 1);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_opened()), ==, 0);
}

static void
test_send(void)
{
    PurpleAccount *account = me();
    g_autoptr(GPtrArray) sent = NULL;
    g_autoptr(GPtrArray) lines = NULL;
    g_autofree char *log = NULL;
    TestSent *item;
    TestLine *line;

    drain();
    test_client_send(account, SAM, "I'm here & awake <3");
    sent = test_client_take_sent();
    g_assert_cmpuint(sent->len, ==, 1);
    item = g_ptr_array_index(sent, 0);
    g_assert_cmpstr(item->account, ==, ME);
    g_assert_cmpstr(item->who, ==, SAM_PHONE); /* the open conversation's name */
    g_assert_cmpstr(item->message, ==, "I'm here &amp; awake &lt;3");
    g_assert_true(item->flags & PURPLE_MESSAGE_SEND);
    g_assert_cmpuint(test_client_signal_count("sent-im-msg"), ==, 1);

    lines = test_client_take_lines();
    g_assert_cmpuint(lines->len, ==, 1);
    line = g_ptr_array_index(lines, 0);
    g_assert_true(line->flags & PURPLE_MESSAGE_SEND);
    g_assert_cmpstr(line->message, ==, "I'm here &amp; awake &lt;3");
    /* libpurple writes the user's own line with the conversation's name as
     * "who" and the account's name as the alias shown. */
    g_assert_cmpstr(line->who, ==, SAM_PHONE);
    g_assert_cmpstr(line->alias, ==, ME);
    log = test_client_read_log(account, SAM);
    g_assert_nonnull(strstr(log, "I'm here & awake <3"));

    /* A send the network refuses: libpurple says so in the window. */
    test_prpl_set_send_result(-E2BIG);
    test_client_send(account, SAM, "a very long letter");
    test_prpl_set_send_result(1);
    g_clear_pointer(&sent, g_ptr_array_unref);
    sent = test_client_take_sent();
    g_assert_cmpuint(sent->len, ==, 1);
    g_clear_pointer(&lines, g_ptr_array_unref);
    lines = test_client_take_lines();
    g_assert_cmpuint(lines->len, ==, 1);
    line = g_ptr_array_index(lines, 0);
    g_assert_true(line->flags & PURPLE_MESSAGE_ERROR);
    g_assert_nonnull(strstr(line->message, "too large"));

    /* The user's typing goes out through send_typing when the window
     * closes (libpurple sends "not typing"). */
    g_ptr_array_unref(test_prpl_take_sent_typing());
    test_client_close_im(account, SAM);
    g_assert_null(purple_find_conversation_with_account(PURPLE_CONV_TYPE_IM, SAM, account));
    {
        g_autoptr(GPtrArray) typing = test_prpl_take_sent_typing();
        g_assert_cmpuint(typing->len, ==, 1);
        g_assert_cmpint(((TestSentTyping *)g_ptr_array_index(typing, 0))->state, ==,
                        PURPLE_NOT_TYPING);
    }
}

static char *command_args;

static PurpleCmdRet
harness_command_cb(PurpleConversation *conv, const gchar *cmd, gchar **args, gchar **error,
                   void *data)
{
    if (g_strcmp0(args[0], "fail") == 0) {
        *error = g_strdup("harness: it failed");
        return PURPLE_CMD_RET_FAILED;
    }
    g_free(command_args);
    command_args = g_strdup(args[0]);
    return PURPLE_CMD_RET_OK;
}

static const char *
last_line_text(void)
{
    static char *text;
    g_autoptr(GPtrArray) lines = test_client_take_lines();

    g_clear_pointer(&text, g_free);
    if (lines->len == 0)
        return NULL;
    text = g_strdup(((TestLine *)g_ptr_array_index(lines, lines->len - 1))->message);
    return text;
}

static void
test_command(void)
{
    PurpleAccount *account = me();
    PurpleCmdId id;

    drain();
    id = purple_cmd_register("harness", "s", PURPLE_CMD_P_PLUGIN,
                             PURPLE_CMD_FLAG_IM | PURPLE_CMD_FLAG_ALLOW_WRONG_ARGS, NULL,
                             harness_command_cb, "harness &lt;word&gt;", NULL);
    g_assert_cmpuint(id, !=, 0);

    test_client_send(account, SAM, "/harness status now");
    g_assert_cmpstr(command_args, ==, "status now");
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);

    g_assert_cmpint(test_client_command(account, SAM, "harness fail"), ==,
                    PURPLE_CMD_STATUS_FAILED);
    g_assert_cmpstr(last_line_text(), ==, "harness: it failed");

    /* Unknown commands are not sent (as with XMPP)... */
    test_client_send(account, SAM, "/nosuchcommand x");
    g_assert_cmpstr(last_line_text(), ==, "Unknown command.");
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    /* ...unless the first word has a slash in it. */
    test_client_send(account, SAM, "/usr/bin is full");
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 1);

    purple_cmd_unregister(id);
    g_clear_pointer(&command_args, g_free);
}

static void
test_contact(void)
{
    PurpleAccount *account = me();
    PurpleAccount *other = test_client_add_account("me2@example.net");
    PurpleBuddy *sam = test_client_add_buddy(account, SAM, "Sam", NULL);
    PurpleBuddy *sam2 =
        test_client_add_buddy(other, "sam@example.net", NULL, purple_buddy_get_contact(sam));

    drain();
    g_assert_true(purple_buddy_get_contact(sam2) == purple_buddy_get_contact(sam));
    g_assert_true(purple_find_buddy(account, SAM_PHONE) == sam);
    /* A buddy without an alias shows its name until the user names the
     * contact (Pidgin's "Alias…" on a contact). */
    g_assert_cmpstr(purple_buddy_get_contact_alias(sam2), ==, "sam@example.net");
    purple_blist_alias_contact(purple_buddy_get_contact(sam), "Sam");
    g_assert_cmpstr(purple_buddy_get_contact_alias(sam2), ==, "Sam");

    /* The alias shows as the sender of a buddy's line. */
    test_client_receive(other, "sam@example.net/laptop", "hi from the other account", 0, T0);
    {
        g_autoptr(GPtrArray) lines = test_client_take_lines();
        TestLine *line = g_ptr_array_index(lines, 0);
        g_assert_cmpstr(line->account, ==, "me2@example.net");
        g_assert_cmpstr(line->alias, ==, "Sam");
    }
}

static void
test_restart(void)
{
    PurpleAccount *account;
    PurpleBuddy *sam;
    PurpleBuddy *sam2;
    g_autofree char *log = NULL;

    drain();
    test_client_restart();
    g_assert_true(test_client_is_running());
    g_assert_nonnull(test_prpl_get_plugin());

    account = test_client_find_account(ME);
    g_assert_nonnull(account);
    g_assert_true(purple_account_get_enabled(account, AJAR_TEST_CLIENT_UI));
    /* Offline until the test signs on (Pidgin loads plugins first). */
    g_assert_true(purple_account_is_disconnected(account));
    sam = purple_find_buddy(account, SAM);
    g_assert_nonnull(sam);
    g_assert_cmpstr(purple_buddy_get_alias(sam), ==, "Sam");
    sam2 = purple_find_buddy(test_client_find_account("me2@example.net"), "sam@example.net");
    g_assert_nonnull(sam2);
    g_assert_true(purple_buddy_get_contact(sam2) == purple_buddy_get_contact(sam));

    /* The history from before is still there, and the new core logs too. */
    test_client_connect(account);
    test_client_receive(account, SAM_PHONE, "still there?", 0, T0 + 600);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_opened()), ==, 1);
    g_assert_cmpuint(test_client_signal_count("received-im-msg"), ==, 1);
    log = test_client_read_log(account, SAM);
    /* "(21:04:09)", or with the date once T0 is more than 20 minutes
     * past: libpurple's log_get_timestamp() decides by the clock. */
    g_assert_true(strstr(log, " 21:04:09) " SAM_PHONE ": are you awake?\n") != NULL ||
                  strstr(log, "(21:04:09) " SAM_PHONE ": are you awake?\n") != NULL);
    g_assert_nonnull(strstr(log, "still there?"));

    /* The second core's plugins are loaded from the same files. */
    for (GList *l = purple_plugins_get_loaded(); l != NULL; l = l->next) {
        PurplePlugin *plugin = l->data;
        g_assert_null(plugin->error);
    }
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    g_test_add_func("/harness/prpl", test_prpl);
    g_test_add_func("/harness/account-connect", test_account_connect);
    g_test_add_func("/harness/receive-opens-conversation", test_receive);
    g_test_add_func("/harness/receive-typing", test_typing);
    g_test_add_func("/harness/send", test_send);
    g_test_add_func("/harness/command", test_command);
    g_test_add_func("/harness/contact", test_contact);
    g_test_add_func("/harness/restart", test_restart);
    status = g_test_run();

    test_client_quit();
    test_client_cleanup();
    return status;
}
