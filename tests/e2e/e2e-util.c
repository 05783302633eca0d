/* e2e-util.c — accounts on the local servers, peers, real-time waits. */
#include "e2e-util.h"

#include <stdio.h>
#include <string.h>

#include <gio/gio.h>

#include <connection.h>
#include <core.h>
#include <prpl.h>
#include <server.h>
#include <signals.h>

const char *
e2e_env(const char *name)
{
    const char *value = g_getenv(name);

    if (value == NULL || *value == '\0')
        g_error("$%s is not set: run this under `scripts/servers run` (meson does)", name);
    return value;
}

char *
e2e_jid(const char *user)
{
    return g_strdup_printf("%s@%s", user, e2e_env("AJAR_XMPP_DOMAIN"));
}

/* ---- accounts ---- */

static int error_handle;
static gpointer errors_core; /* the core whose connection-error we watch */

static void
connection_error_cb(PurpleConnection *gc, PurpleConnectionError reason, const char *description,
                    gpointer data)
{
    /* The wait that follows fails; this says why. */
    g_printerr("e2e: %s could not connect: %s\n",
               purple_account_get_username(purple_connection_get_account(gc)),
               description != NULL ? description : "(no reason given)");
}

static void
watch_connection_errors(void)
{
    /* Quitting the core drops every handler; watch each new core once. */
    if (errors_core == purple_get_core())
        return;
    errors_core = purple_get_core();
    purple_signal_connect(purple_connections_get_handle(), "connection-error", &error_handle,
                          PURPLE_CALLBACK(connection_error_cb), NULL);
}

PurpleAccount *
e2e_add_xmpp_account(const char *user, const char *resource)
{
    g_autofree char *username =
        g_strdup_printf("%s@%s/%s", user, e2e_env("AJAR_XMPP_DOMAIN"), resource);
    const char *const settings[] = { "connect_server", e2e_env("AJAR_XMPP_HOST"), "port",
                                     e2e_env("AJAR_XMPP_PORT"),
                                     /* The loopback server has no certificate. */
                                     "connection_security", "opportunistic_tls",
                                     "auth_plain_in_clear", "true", NULL };

    watch_connection_errors();
    return test_client_add_server_account("prpl-jabber", username, e2e_env("AJAR_XMPP_PASSWORD"),
                                          settings);
}

PurpleAccount *
e2e_add_irc_account(const char *nick)
{
    g_autofree char *username = g_strdup_printf("%s@%s", nick, e2e_env("AJAR_IRC_HOST"));
    const char *const settings[] = {
        "port", e2e_env("AJAR_IRC_PORT"), "ssl", "false", "encoding", "UTF-8", NULL,
    };

    watch_connection_errors();
    return test_client_add_server_account("prpl-irc", username, NULL, settings);
}

void
e2e_connect(PurpleAccount *account)
{
    watch_connection_errors();
    test_client_connect(account);
}

typedef struct {
    PurpleAccount *account;
    const char *name;
} ChatWait;

static gboolean
joined_cb(gpointer data)
{
    ChatWait *wait = data;
    PurpleConversation *conv =
        purple_find_conversation_with_account(PURPLE_CONV_TYPE_CHAT, wait->name, wait->account);

    return conv != NULL && !purple_conv_chat_has_left(PURPLE_CONV_CHAT(conv));
}

PurpleConversation *
e2e_join_chat(PurpleAccount *account, const char *name)
{
    PurpleConnection *gc = purple_account_get_connection(account);
    PurplePluginProtocolInfo *info = PURPLE_PLUGIN_PROTOCOL_INFO(purple_connection_get_prpl(gc));
    GHashTable *components = info->chat_info_defaults(gc, name);
    ChatWait wait = { account, name };
    g_autofree char *what =
        g_strdup_printf("%s to join %s", purple_account_get_username(account), name);

    serv_join_chat(gc, components);
    g_hash_table_destroy(components);
    e2e_wait(joined_cb, &wait, what);
    return purple_find_conversation_with_account(PURPLE_CONV_TYPE_CHAT, name, account);
}

/* ---- waiting ---- */

void
e2e_wait(E2eCondition condition, gpointer data, const char *what)
{
    gint64 deadline = g_get_monotonic_time() + E2E_WAIT_SECONDS * G_USEC_PER_SEC;

    while (!condition(data)) {
        if (g_get_monotonic_time() > deadline)
            g_error("e2e: gave up waiting for %s after %d s", what, E2E_WAIT_SECONDS);
        /* Conditions may read the journal: look a few hundred times a
         * second, not a thousand. */
        if (!g_main_context_iteration(NULL, FALSE))
            g_usleep(4000);
    }
}

static gboolean
time_passed_cb(gpointer data)
{
    return g_get_real_time() > *(gint64 *)data;
}

void
e2e_run_until(gint64 real_time_us)
{
    e2e_wait(time_passed_cb, &real_time_us, "a due time to pass");
}

/* ---- peers ---- */

struct E2ePeer {
    char *name;
    GSubprocess *process;
    GOutputStream *in;
    GDataInputStream *out;
    GPtrArray *ims;      /* E2eIm*: "im" lines */
    GPtrArray *chats;    /* E2eIm*: "chat" lines, who "ROOM\tNICK" */
    GPtrArray *replies;  /* char*: answers to commands, "ready" and "ok ..." */
    GPtrArray *presence; /* char*: "online WHO" / "offline WHO", in order */
    gboolean eof;
};

static void
e2e_im_free(E2eIm *im)
{
    g_free(im->who);
    g_free(im->text);
    g_free(im);
}

static void read_next(E2ePeer *peer);

/* One line from the peer (see e2e-peer.c): "im\tWHO\tTEXT" with TEXT
 * escaped by g_strescape(), "online\tWHO", "offline\tWHO", or a reply. */
static void
line_read_cb(GObject *source, GAsyncResult *result, gpointer data)
{
    E2ePeer *peer = data;
    g_autoptr(GError) error = NULL;
    g_autofree char *line = g_data_input_stream_read_line_finish_utf8(G_DATA_INPUT_STREAM(source),
                                                                      result, NULL, &error);
    g_auto(GStrv) fields = NULL;

    if (line == NULL) {
        if (error != NULL)
            g_printerr("e2e: reading from peer %s: %s\n", peer->name, error->message);
        peer->eof = TRUE;
        return;
    }
    if (g_str_has_prefix(line, "chat\t")) {
        g_auto(GStrv) parts = g_strsplit(line, "\t", 4);
        if (g_strv_length(parts) == 4) {
            E2eIm *chat = g_new0(E2eIm, 1);
            chat->who = g_strdup_printf("%s\t%s", parts[1], parts[2]);
            chat->text = g_strcompress(parts[3]);
            chat->at = g_get_real_time();
            g_ptr_array_add(peer->chats, chat);
            read_next(peer);
            return;
        }
    }
    fields = g_strsplit(line, "\t", 3);
    if (g_strcmp0(fields[0], "im") == 0 && fields[1] != NULL && fields[2] != NULL) {
        E2eIm *im = g_new0(E2eIm, 1);

        im->who = g_strdup(fields[1]);
        im->text = g_strcompress(fields[2]);
        im->at = g_get_real_time();
        g_ptr_array_add(peer->ims, im);
    } else if ((g_strcmp0(fields[0], "online") == 0 || g_strcmp0(fields[0], "offline") == 0) &&
               fields[1] != NULL) {
        g_ptr_array_add(peer->presence, g_strdup_printf("%s %s", fields[0], fields[1]));
    } else {
        g_ptr_array_add(peer->replies, g_strdup(line));
    }
    read_next(peer);
}

static void
read_next(E2ePeer *peer)
{
    g_data_input_stream_read_line_async(peer->out, G_PRIORITY_DEFAULT, NULL, line_read_cb, peer);
}

typedef struct {
    E2ePeer *peer;
    guint count;
} RepliesWait;

static gboolean
has_replies_cb(gpointer data)
{
    RepliesWait *wait = data;

    if (wait->peer->eof)
        g_error("e2e: peer %s exited (see its output above)", wait->peer->name);
    return wait->peer->replies->len >= wait->count;
}

/* Waits for the peer's next reply and checks it is @expected. */
static void
expect_reply(E2ePeer *peer, const char *expected)
{
    RepliesWait wait = { peer, peer->replies->len + 1 };
    g_autofree char *what = g_strdup_printf("peer %s to answer \"%s\"", peer->name, expected);

    e2e_wait(has_replies_cb, &wait, what);
    g_assert_cmpstr(g_ptr_array_index(peer->replies, wait.count - 1), ==, expected);
}

static void
command(E2ePeer *peer, const char *line, const char *expected)
{
    g_autofree char *with_newline = g_strconcat(line, "\n", NULL);
    g_autoptr(GError) error = NULL;

    if (!g_output_stream_write_all(peer->in, with_newline, strlen(with_newline), NULL, NULL,
                                   &error) ||
        !g_output_stream_flush(peer->in, NULL, &error))
        g_error("e2e: cannot talk to peer %s: %s", peer->name, error->message);
    expect_reply(peer, expected);
}

static E2ePeer *
peer_start(const char *name, const char *const *argv)
{
    E2ePeer *peer = g_new0(E2ePeer, 1);
    g_autoptr(GError) error = NULL;

    peer->name = g_strdup(name);
    peer->ims = g_ptr_array_new_with_free_func((GDestroyNotify)e2e_im_free);
    peer->chats = g_ptr_array_new_with_free_func((GDestroyNotify)e2e_im_free);
    peer->replies = g_ptr_array_new_with_free_func(g_free);
    peer->presence = g_ptr_array_new_with_free_func(g_free);
    /* Its standard error is ours: its complaints land in the test's log. */
    peer->process = g_subprocess_newv(
        argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
    if (peer->process == NULL)
        g_error("e2e: cannot start peer %s: %s", name, error->message);
    peer->in = g_subprocess_get_stdin_pipe(peer->process);
    peer->out = g_data_input_stream_new(g_subprocess_get_stdout_pipe(peer->process));
    read_next(peer);
    expect_reply(peer, "ready");
    return peer;
}

E2ePeer *
e2e_peer_start_xmpp(const char *user, const char *resource)
{
    g_autofree char *name = g_strdup_printf("%s/%s", user, resource);
    const char *const argv[] = { e2e_env(E2E_PEER_ENV), "xmpp", user, resource, NULL };

    return peer_start(name, argv);
}

E2ePeer *
e2e_peer_start_irc(const char *nick)
{
    const char *const argv[] = { e2e_env(E2E_PEER_ENV), "irc", nick, NULL };

    return peer_start(nick, argv);
}

void
e2e_peer_send(E2ePeer *peer, const char *to, const char *text)
{
    g_autofree char *escaped = g_strescape(text, NULL);
    g_autofree char *line = g_strdup_printf("send\t%s\t%s", to, escaped);
    g_autofree char *expected = g_strdup_printf("ok send %s", to);

    command(peer, line, expected);
}

void
e2e_peer_typing(E2ePeer *peer, const char *who)
{
    g_autofree char *line = g_strdup_printf("typing\t%s", who);
    g_autofree char *expected = g_strdup_printf("ok typing %s", who);

    command(peer, line, expected);
}

gboolean
e2e_peer_buzz(E2ePeer *peer, const char *who)
{
    g_autofree char *line = g_strdup_printf("buzz\t%s\n", who);
    g_autofree char *sent = g_strdup_printf("ok buzz %s", who);
    g_autofree char *not_sent = g_strdup_printf("no buzz %s", who);
    RepliesWait wait = { peer, peer->replies->len + 1 };
    g_autoptr(GError) error = NULL;
    const char *reply;

    if (!g_output_stream_write_all(peer->in, line, strlen(line), NULL, NULL, &error) ||
        !g_output_stream_flush(peer->in, NULL, &error))
        g_error("e2e: cannot talk to peer %s: %s", peer->name, error->message);
    e2e_wait(has_replies_cb, &wait, "the peer's answer to buzz");
    reply = g_ptr_array_index(peer->replies, wait.count - 1);
    if (g_strcmp0(reply, not_sent) == 0)
        return FALSE;
    g_assert_cmpstr(reply, ==, sent);
    return TRUE;
}

void
e2e_peer_add_buddy(E2ePeer *peer, const char *who)
{
    g_autofree char *line = g_strdup_printf("add\t%s", who);
    g_autofree char *expected = g_strdup_printf("ok add %s", who);

    command(peer, line, expected);
}

typedef struct {
    E2ePeer *peer;
    const char *text;
} ImWait;

void
e2e_peer_join(E2ePeer *peer, const char *room)
{
    g_autofree char *line = g_strdup_printf("join\t%s", room);
    g_autofree char *expected = g_strdup_printf("ok join %s", room);

    command(peer, line, expected);
}

void
e2e_peer_say(E2ePeer *peer, const char *room, const char *text)
{
    g_autofree char *escaped = g_strescape(text, NULL);
    g_autofree char *line = g_strdup_printf("say\t%s\t%s", room, escaped);
    g_autofree char *expected = g_strdup_printf("ok say %s", room);

    command(peer, line, expected);
}

static gboolean
has_chat_cb(gpointer data)
{
    ImWait *wait = data;

    for (guint i = 0; i < wait->peer->chats->len; i++) {
        if (strstr(((E2eIm *)g_ptr_array_index(wait->peer->chats, i))->text, wait->text) != NULL)
            return TRUE;
    }
    return FALSE;
}

const E2eIm *
e2e_peer_wait_chat(E2ePeer *peer, const char *text)
{
    ImWait wait = { peer, text };
    g_autofree char *what = g_strdup_printf("peer %s to see \"%s\" in a room", peer->name, text);

    e2e_wait(has_chat_cb, &wait, what);
    for (guint i = 0; i < peer->chats->len; i++) {
        const E2eIm *chat = g_ptr_array_index(peer->chats, i);
        if (strstr(chat->text, text) != NULL)
            return chat;
    }
    g_assert_not_reached();
}

void
e2e_peer_sign_off(E2ePeer *peer)
{
    command(peer, "signoff", "ok signoff");
}

void
e2e_peer_sign_on(E2ePeer *peer)
{
    command(peer, "signon", "ok signon");
}

GPtrArray *
e2e_peer_ims(E2ePeer *peer)
{
    return peer->ims;
}

guint
e2e_peer_count(E2ePeer *peer, const char *text)
{
    guint count = 0;

    for (guint i = 0; i < peer->ims->len; i++) {
        const E2eIm *im = g_ptr_array_index(peer->ims, i);
        count += strstr(im->text, text) != NULL;
    }
    return count;
}

static gboolean
has_im_cb(gpointer data)
{
    ImWait *wait = data;

    return e2e_peer_count(wait->peer, wait->text) > 0;
}

const E2eIm *
e2e_peer_wait_im(E2ePeer *peer, const char *text)
{
    ImWait wait = { peer, text };
    g_autofree char *what = g_strdup_printf("peer %s to receive \"%s\"", peer->name, text);

    e2e_wait(has_im_cb, &wait, what);
    for (guint i = 0; i < peer->ims->len; i++) {
        const E2eIm *im = g_ptr_array_index(peer->ims, i);
        if (strstr(im->text, text) != NULL)
            return im;
    }
    g_assert_not_reached();
}

typedef struct {
    E2ePeer *peer;
    char *line;
} PresenceWait;

static gboolean
has_presence_cb(gpointer data)
{
    PresenceWait *wait = data;
    GPtrArray *presence = wait->peer->presence;

    /* The latest word about them. */
    for (guint i = presence->len; i > 0; i--) {
        const char *line = g_ptr_array_index(presence, i - 1);
        if (strchr(line, ' ') != NULL &&
            g_strcmp0(strchr(line, ' ') + 1, strchr(wait->line, ' ') + 1) == 0)
            return g_strcmp0(line, wait->line) == 0;
    }
    return FALSE;
}

void
e2e_peer_wait_presence(E2ePeer *peer, const char *who, gboolean online)
{
    PresenceWait wait = { peer, g_strdup_printf("%s %s", online ? "online" : "offline", who) };
    g_autofree char *what = g_strdup_printf("peer %s to see %s", peer->name, wait.line);

    e2e_wait(has_presence_cb, &wait, what);
    g_free(wait.line);
}

static gboolean
exited_cb(gpointer data)
{
    E2ePeer *peer = data;

    /* The read loop sees end of file once the process has closed stdout. */
    return peer->eof;
}

void
e2e_peer_stop(E2ePeer *peer)
{
    g_autoptr(GError) error = NULL;

    if (peer == NULL)
        return;
    if (!g_output_stream_write_all(peer->in, "quit\n", 5, NULL, NULL, &error) ||
        !g_output_stream_close(peer->in, NULL, &error))
        g_printerr("e2e: peer %s: %s\n", peer->name, error->message);
    e2e_wait(exited_cb, peer, "a peer to quit");
    if (!g_subprocess_wait(peer->process, NULL, &error))
        g_error("e2e: peer %s: %s", peer->name, error->message);
    g_assert_true(g_subprocess_get_if_exited(peer->process));
    g_assert_cmpint(g_subprocess_get_exit_status(peer->process), ==, 0);
    g_object_unref(peer->out);
    g_object_unref(peer->process);
    g_ptr_array_unref(peer->ims);
    g_ptr_array_unref(peer->chats);
    g_ptr_array_unref(peer->replies);
    g_ptr_array_unref(peer->presence);
    g_free(peer->name);
    g_free(peer);
}
