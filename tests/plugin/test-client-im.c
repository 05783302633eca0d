/* test-client-im.c — the headless client's accounts, buddies and instant
 * messages: what the other side sends (injected as a protocol delivers it)
 * and what the user does. */
#include "test-client-private.h"

#include <string.h>

#include <connection.h>
#include <log.h>
#include <server.h>
#include <status.h>
#include <util.h>

/* ---- accounts ---- */

static gboolean
is_connected_cb(gpointer account)
{
    return purple_account_is_connected(account);
}

static gboolean
is_disconnected_cb(gpointer account)
{
    return purple_account_is_disconnected(account);
}

void
test_client_wait_connected(PurpleAccount *account)
{
    g_autofree char *what =
        g_strdup_printf("account %s to connect", purple_account_get_username(account));

    test_client_wait_for(is_connected_cb, account, what);
}

void
test_client_wait_disconnected(PurpleAccount *account)
{
    g_autofree char *what =
        g_strdup_printf("account %s to disconnect", purple_account_get_username(account));

    test_client_wait_for(is_disconnected_cb, account, what);
}

PurpleAccount *
test_client_find_account(const char *username)
{
    g_return_val_if_fail(username != NULL, NULL);

    return purple_accounts_find(username, TEST_PRPL_ID);
}

PurpleAccount *
test_client_add_account(const char *username)
{
    PurpleAccount *account;

    g_return_val_if_fail(username != NULL, NULL);
    g_return_val_if_fail(test_client_find_account(username) == NULL, NULL);

    account = purple_account_new(username, TEST_PRPL_ID);
    purple_accounts_add(account);
    /* A new account starts in the protocol's first available status, so
     * enabling it signs it on, as ticking "Enabled" in Pidgin does. */
    purple_account_set_enabled(account, AJAR_TEST_CLIENT_UI, TRUE);
    test_client_connect(account);
    return account;
}

PurpleAccount *
test_client_add_server_account(const char *protocol_id, const char *username, const char *password,
                               const char *const *settings)
{
    PurpleAccount *account;

    g_return_val_if_fail(protocol_id != NULL && username != NULL, NULL);
    g_return_val_if_fail(purple_accounts_find(username, protocol_id) == NULL, NULL);

    account = purple_account_new(username, protocol_id);
    if (password != NULL) {
        purple_account_set_password(account, password);
        purple_account_set_remember_password(account, TRUE);
    }
    for (gsize i = 0; settings != NULL && settings[i] != NULL && settings[i + 1] != NULL; i += 2) {
        const char *key = settings[i];
        const char *value = settings[i + 1];

        if (strcmp(value, "true") == 0 || strcmp(value, "false") == 0)
            purple_account_set_bool(account, key, strcmp(value, "true") == 0);
        else if (value[0] != '\0' && strspn(value, "0123456789") == strlen(value))
            purple_account_set_int(account, key, (int)g_ascii_strtoll(value, NULL, 10));
        else
            purple_account_set_string(account, key, value);
    }
    purple_accounts_add(account);
    purple_account_set_enabled(account, AJAR_TEST_CLIENT_UI, TRUE);
    test_client_connect(account);
    return account;
}

void
test_client_connect(PurpleAccount *account)
{
    PurpleStatus *status;

    g_return_if_fail(account != NULL);

    if (!purple_account_get_enabled(account, AJAR_TEST_CLIENT_UI))
        g_error("account %s is not enabled; a user cannot sign it on",
                purple_account_get_username(account));
    /* Signing on from the account list also leaves an offline status. This
     * alone connects an enabled account. */
    status = purple_account_get_active_status(account);
    if (status == NULL || !purple_status_is_online(status))
        purple_account_set_status(account, "available", TRUE, NULL);
    if (purple_account_is_disconnected(account))
        purple_account_connect(account);
    test_client_wait_connected(account);
}

void
test_client_disconnect(PurpleAccount *account)
{
    g_return_if_fail(account != NULL);

    if (!purple_account_is_disconnected(account))
        purple_account_disconnect(account);
    test_client_wait_disconnected(account);
}

/* ---- buddies ---- */

PurpleBuddy *
test_client_add_buddy(PurpleAccount *account, const char *name, const char *alias,
                      PurpleContact *contact)
{
    PurpleGroup *group = NULL;
    PurpleBuddy *buddy;

    g_return_val_if_fail(account != NULL, NULL);
    g_return_val_if_fail(name != NULL, NULL);

    if (contact == NULL) {
        group = purple_find_group("Buddies");
        if (group == NULL) {
            group = purple_group_new("Buddies");
            purple_blist_add_group(group, NULL);
        }
    }
    buddy = purple_buddy_new(account, name, alias);
    /* With a contact, the buddy joins it (and its group). */
    purple_blist_add_buddy(buddy, contact, group, NULL);
    purple_account_add_buddy(account, buddy);
    return buddy;
}

/* ---- the other side ---- */

static PurpleConnection *
connected_gc(PurpleAccount *account)
{
    PurpleConnection *gc = account != NULL ? purple_account_get_connection(account) : NULL;

    if (gc == NULL || !PURPLE_CONNECTION_IS_CONNECTED(gc))
        g_error("account %s is not connected: a protocol delivers nothing then",
                account != NULL ? purple_account_get_username(account) : "(null)");
    return gc;
}

void
test_client_receive(PurpleAccount *account, const char *who, const char *text,
                    PurpleMessageFlags flags, time_t mtime)
{
    g_return_if_fail(who != NULL && text != NULL);

    serv_got_im(connected_gc(account), who, text, flags, mtime);
}

void
test_client_receive_attention(PurpleAccount *account, const char *who, guint type_code)
{
    g_return_if_fail(who != NULL);

    serv_got_attention(connected_gc(account), who, type_code);
}

void
test_client_receive_typing(PurpleAccount *account, const char *who, PurpleTypingState state)
{
    g_return_if_fail(who != NULL);

    /* Timeout 0: the state stays until the next one, as XMPP's chat states. */
    serv_got_typing(connected_gc(account), who, 0, state);
}

PurpleTypingState
test_client_typing_state(PurpleAccount *account, const char *who)
{
    PurpleConversation *conv =
        purple_find_conversation_with_account(PURPLE_CONV_TYPE_IM, who, account);

    return conv != NULL ? purple_conv_im_get_typing_state(PURPLE_CONV_IM(conv)) : PURPLE_NOT_TYPING;
}

/* ---- the user ---- */

PurpleConversation *
test_client_open_im(PurpleAccount *account, const char *who)
{
    PurpleConversation *conv;

    g_return_val_if_fail(who != NULL, NULL);

    connected_gc(account);
    conv = purple_conversation_new(PURPLE_CONV_TYPE_IM, account, who);
    if (conv == NULL)
        g_error("libpurple did not open a conversation with %s", who);
    return conv;
}

void
test_client_close_im(PurpleAccount *account, const char *who)
{
    PurpleConversation *conv =
        purple_find_conversation_with_account(PURPLE_CONV_TYPE_IM, who, account);

    if (conv != NULL)
        purple_conversation_destroy(conv);
}

/* Pidgin's test for protocols with native slash commands: a first word
 * with a "/" in it ("/usr/bin is full") was never meant as a command. */
static gboolean
first_word_has_slash(const char *cmdline)
{
    const char *end = cmdline;

    while (*end != '\0' && *end != ' ' && *end != '/')
        end++;
    return *end == '/';
}

PurpleCmdStatus
test_client_command(PurpleAccount *account, const char *who, const char *cmdline)
{
    PurpleConversation *conv = test_client_open_im(account, who);
    g_autofree char *markup = purple_markup_escape_text(cmdline, -1);
    g_autofree char *error = NULL;
    PurpleCmdStatus status;
    const char *shown = NULL;

    status = purple_cmd_do_command(conv, cmdline, markup, &error);
    /* Pidgin's own words (gtkconv.c), written only to the window. */
    switch (status) {
    case PURPLE_CMD_STATUS_OK: break;
    case PURPLE_CMD_STATUS_NOT_FOUND:
        if (!first_word_has_slash(cmdline))
            shown = "Unknown command.";
        break;
    case PURPLE_CMD_STATUS_WRONG_ARGS:
        shown = "Syntax Error:  You typed the wrong number of arguments to that command.";
        break;
    case PURPLE_CMD_STATUS_FAILED:
        shown = error != NULL ? error : "Your command failed for an unknown reason.";
        break;
    case PURPLE_CMD_STATUS_WRONG_TYPE: shown = "That command only works in chats, not IMs."; break;
    case PURPLE_CMD_STATUS_WRONG_PRPL: shown = "That command doesn't work on this protocol."; break;
    }
    if (shown != NULL)
        purple_conversation_write(conv, "", shown, PURPLE_MESSAGE_NO_LOG, time(NULL));
    return status;
}

void
test_client_send(PurpleAccount *account, const char *who, const char *text)
{
    g_autofree char *markup = NULL;

    g_return_if_fail(text != NULL);

    if (text[0] == '/' && text[1] != '\0') {
        PurpleCmdStatus status = test_client_command(account, who, text + 1);
        if (status != PURPLE_CMD_STATUS_NOT_FOUND || !first_word_has_slash(text + 1))
            return;
    }
    /* The entry holds plain text; Pidgin and Finch send it as markup. */
    markup = purple_markup_escape_text(text, -1);
    purple_conv_im_send(PURPLE_CONV_IM(test_client_open_im(account, who)), markup);
}

GPtrArray *
test_client_take_sent(void)
{
    return test_prpl_take_sent();
}

/* ---- history logs ---- */

static gint
compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

char *
test_client_read_log(PurpleAccount *account, const char *buddy)
{
    g_autofree char *dir = NULL;
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    GString *text = g_string_new(NULL);
    GDir *listing;
    const char *name;

    g_return_val_if_fail(account != NULL && buddy != NULL, NULL);

    /* libpurple's own answer to "where do this conversation's logs go". */
    dir = purple_log_get_log_dir(PURPLE_LOG_IM, buddy, account);
    if (dir == NULL)
        g_error("libpurple has no log folder for %s (is the protocol registered?)", buddy);
    listing = g_dir_open(dir, 0, NULL);
    if (listing != NULL) {
        while ((name = g_dir_read_name(listing)) != NULL)
            g_ptr_array_add(names, g_strdup(name));
        g_dir_close(listing);
    }
    /* Named <date>.<time><zone>.txt: name order is time order. */
    g_ptr_array_sort(names, compare_names);
    for (guint i = 0; i < names->len; i++) {
        g_autofree char *path = g_build_filename(dir, g_ptr_array_index(names, i), NULL);
        g_autofree char *contents = NULL;
        g_autoptr(GError) error = NULL;

        if (!g_file_get_contents(path, &contents, NULL, &error))
            g_error("cannot read the log %s: %s", path, error->message);
        g_string_append(text, contents);
    }
    return g_string_free(text, FALSE);
}
