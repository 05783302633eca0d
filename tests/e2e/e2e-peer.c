/* e2e-peer.c — the other people in the end-to-end tests: Sam, a friend, your
 * own second device. A plain libpurple client (the headless test client,
 * WITHOUT Ajar) signed on to the local server, driven over its standard
 * input and reporting on its standard output, one line each:
 *
 *   e2e-peer xmpp USER RESOURCE    signs on as USER@$AJAR_XMPP_DOMAIN/RESOURCE
 *   e2e-peer irc NICK              signs on as NICK to $AJAR_IRC_HOST
 *
 * In (fields separated by a tab, TEXT escaped as g_strescape() does):
 *   send WHO TEXT   types TEXT into the conversation with exactly WHO (a
 *                   bare or a full XMPP address) and presses Enter;
 *                   answers "ok send WHO" once the protocol has written
 *                   it to the server
 *   typing WHO      tells WHO that its user is typing ("ok typing WHO")
 *   add WHO         adds WHO to the buddy list ("ok add WHO"); over XMPP
 *                   that asks for their presence
 *   buzz WHO        asks for WHO's attention (XMPP <attention/>): "ok buzz
 *                   WHO" once sent, "no buzz WHO" when the protocol cannot
 *                   yet (it needs WHO's presence and capabilities)
 *   join ROOM       joins the room ROOM (XMPP: room@conference.DOMAIN, IRC:
 *                   #channel) as its user does, with the protocol's
 *                   default nick; "ok join ROOM" once in it
 *   say ROOM TEXT   says TEXT in the room ROOM ("ok say ROOM" once sent)
 *   signoff, signon "ok signoff", "ok signon" once done
 *   quit            (or end of file) signs off and exits 0
 * Out:
 *   ready                    signed on
 *   im WHO TEXT              a message reached received-im-msg
 *   chat ROOM WHO TEXT       a line in a room reached received-chat-msg
 *   online WHO, offline WHO  a buddy's presence changed
 *
 * Every presence subscription request is accepted. libpurple's own output
 * goes to standard error. */
#include "e2e-util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <prpl.h>
#include <server.h>
#include <util.h>
#include <signals.h>

static PurpleAccount *account;
static GMainLoop *loop;
static int handle;

static void G_GNUC_PRINTF(1, 2)
say(const char *format, ...)
{
    va_list args;

    va_start(args, format);
    vprintf(format, args);
    va_end(args);
    putchar('\n');
    fflush(stdout);
}

static void
received_im_cb(PurpleAccount *on, const char *who, const char *message, PurpleConversation *conv,
               PurpleMessageFlags flags, gpointer data)
{
    g_autofree char *escaped = g_strescape(message, NULL);

    say("im\t%s\t%s", who, escaped);
}

static void
received_chat_cb(PurpleAccount *on, const char *who, const char *message, PurpleConversation *conv,
                 PurpleMessageFlags flags, gpointer data)
{
    g_autofree char *escaped = g_strescape(message, NULL);

    say("chat\t%s\t%s\t%s", purple_conversation_get_name(conv), who, escaped);
}

static void
buddy_signed_on_cb(PurpleBuddy *buddy, gpointer data)
{
    say("online\t%s", purple_buddy_get_name(buddy));
}

static void
buddy_signed_off_cb(PurpleBuddy *buddy, gpointer data)
{
    say("offline\t%s", purple_buddy_get_name(buddy));
}

static int
authorization_requested_cb(PurpleAccount *on, const char *remote_user, gpointer data)
{
    return 1; /* accept */
}

static void
run_command(const char *line)
{
    g_auto(GStrv) fields = g_strsplit(line, "\t", 3);

    if (g_strcmp0(fields[0], "send") == 0 && fields[1] != NULL && fields[2] != NULL) {
        g_autofree char *text = g_strcompress(fields[2]);
        PurpleConversation *conv =
            purple_find_conversation_with_account(PURPLE_CONV_TYPE_IM, fields[1], account);

        /* libpurple finds a conversation by the bare address and sends to
         * the name it was opened with ("me@example.org/phone" after a
         * message from there): send to exactly WHO. */
        if (conv != NULL && g_strcmp0(purple_conversation_get_name(conv), fields[1]) != 0)
            purple_conversation_destroy(conv);
        test_client_send(account, fields[1], text);
        say("ok send %s", fields[1]);
    } else if (g_strcmp0(fields[0], "typing") == 0 && fields[1] != NULL) {
        /* What a client does while its user types (XEP-0085 over XMPP). */
        serv_send_typing(purple_account_get_connection(account), fields[1], PURPLE_TYPING);
        say("ok typing %s", fields[1]);
    } else if (g_strcmp0(fields[0], "buzz") == 0 && fields[1] != NULL) {
        PurpleConnection *gc = purple_account_get_connection(account);
        PurplePluginProtocolInfo *info =
            PURPLE_PLUGIN_PROTOCOL_INFO(purple_connection_get_prpl(gc));
        gboolean sent = info->send_attention != NULL && info->send_attention(gc, fields[1], 0);

        say("%s buzz %s", sent ? "ok" : "no", fields[1]);
    } else if (g_strcmp0(fields[0], "add") == 0 && fields[1] != NULL) {
        test_client_add_buddy(account, fields[1], NULL, NULL);
        say("ok add %s", fields[1]);
    } else if (g_strcmp0(fields[0], "join") == 0 && fields[1] != NULL) {
        e2e_join_chat(account, fields[1]);
        say("ok join %s", fields[1]);
    } else if (g_strcmp0(fields[0], "say") == 0 && fields[1] != NULL && fields[2] != NULL) {
        g_autofree char *text = g_strcompress(fields[2]);
        g_autofree char *markup = purple_markup_escape_text(text, -1);
        PurpleConversation *conv =
            purple_find_conversation_with_account(PURPLE_CONV_TYPE_CHAT, fields[1], account);

        if (conv == NULL)
            say("error: not in the room %s", fields[1]);
        else {
            purple_conv_chat_send(PURPLE_CONV_CHAT(conv), markup);
            say("ok say %s", fields[1]);
        }
    } else if (g_strcmp0(fields[0], "signoff") == 0) {
        test_client_disconnect(account);
        say("ok signoff");
    } else if (g_strcmp0(fields[0], "signon") == 0) {
        e2e_connect(account);
        say("ok signon");
    } else if (g_strcmp0(fields[0], "quit") == 0) {
        g_main_loop_quit(loop);
    } else {
        say("error: unknown command: %s", line);
    }
}

static gboolean
stdin_cb(GIOChannel *channel, GIOCondition condition, gpointer data)
{
    /* Lines already in the channel's buffer wake no watch: read them all. */
    do {
        g_autofree char *line = NULL;
        g_autoptr(GError) error = NULL;
        gsize terminator = 0;
        GIOStatus status = g_io_channel_read_line(channel, &line, NULL, &terminator, &error);

        if (status == G_IO_STATUS_AGAIN)
            return G_SOURCE_CONTINUE;
        if (status != G_IO_STATUS_NORMAL) {
            if (error != NULL)
                g_printerr("e2e-peer: reading commands: %s\n", error->message);
            g_main_loop_quit(loop);   /* the test is gone */
            return G_SOURCE_CONTINUE; /* main() removes it */
        }
        line[terminator] = '\0';
        run_command(line);
    } while (g_io_channel_get_buffer_condition(channel) & G_IO_IN);
    return G_SOURCE_CONTINUE;
}

int
main(int argc, char **argv)
{
    GIOChannel *channel;
    guint watch;
    gboolean xmpp = argc == 4 && strcmp(argv[1], "xmpp") == 0;
    gboolean irc = argc == 3 && strcmp(argv[1], "irc") == 0;

    if (!xmpp && !irc) {
        g_printerr("usage: e2e-peer xmpp USER RESOURCE | e2e-peer irc NICK\n");
        return 2;
    }
    test_client_prepare();
    test_client_start();
    purple_signal_connect(purple_conversations_get_handle(), "received-im-msg", &handle,
                          PURPLE_CALLBACK(received_im_cb), NULL);
    purple_signal_connect(purple_conversations_get_handle(), "received-chat-msg", &handle,
                          PURPLE_CALLBACK(received_chat_cb), NULL);
    purple_signal_connect(purple_blist_get_handle(), "buddy-signed-on", &handle,
                          PURPLE_CALLBACK(buddy_signed_on_cb), NULL);
    purple_signal_connect(purple_blist_get_handle(), "buddy-signed-off", &handle,
                          PURPLE_CALLBACK(buddy_signed_off_cb), NULL);
    purple_signal_connect(purple_accounts_get_handle(), "account-authorization-requested", &handle,
                          PURPLE_CALLBACK(authorization_requested_cb), NULL);

    account = xmpp ? e2e_add_xmpp_account(argv[2], argv[3]) : e2e_add_irc_account(argv[2]);
    say("ready");

    loop = g_main_loop_new(NULL, FALSE);
    channel = g_io_channel_unix_new(0);
    watch = g_io_add_watch(channel, G_IO_IN | G_IO_HUP | G_IO_ERR, stdin_cb, NULL);
    g_io_channel_unref(channel);
    g_main_loop_run(loop);
    /* Signing off runs the main loop: no more commands by then. */
    g_source_remove(watch);
    g_clear_pointer(&loop, g_main_loop_unref);

    test_client_quit();
    test_client_cleanup();
    return 0;
}
