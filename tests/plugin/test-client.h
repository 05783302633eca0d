/* test-client.h — a headless libpurple client for the plugin tests.
 *
 * It runs libpurple the way Pidgin or Finch does (core, prefs, buddy list,
 * plugins) but with no UI, in a private temporary user dir, on GLib's default
 * main context. Everything libpurple prints goes to stderr, so a test's stdout
 * stays pure TAP.
 *
 * It is also the user: accounts on a small in-test protocol (test-prpl.h)
 * receive what a test injects through libpurple's own serv_got_im(), the user
 * sends and runs commands as Pidgin does, and UI ops record what a user would
 * see: conversation windows and their lines, message boxes, dialogs (which a
 * test answers as the user would), signals sounds and pop-ups hang off, and
 * the history log. Nothing here knows about Ajar. */
#ifndef AJAR_TEST_CLIENT_H
#define AJAR_TEST_CLIENT_H

#include <glib.h>

#include <account.h>
#include <blist.h>
#include <cmds.h>
#include <conversation.h>
#include <notify.h>
#include <plugin.h>
#include <request.h>

#include "test-prpl.h"

G_BEGIN_DECLS

/* The UI name the tests give libpurple. */
/* The UI id the client gives libpurple: "ajar-test", or Finch's own
 * "gnt-purple" when AJAR_TEST_UI=finch (plugins may adapt to the UI), or
 * Pidgin's "gtk-gaim" when AJAR_TEST_UI=pidgin (bench/: plugins that
 * require Pidgin's UI). */
const char *test_client_ui_id(void);
#define AJAR_TEST_CLIENT_UI (test_client_ui_id())

/* Environment variable through which meson passes the built ajar.so. */
#define AJAR_TEST_PLUGIN_ENV "AJAR_PLUGIN"

/* Prepares the process before g_test_init(): sends all GLib logging to
 * stderr, makes a private temporary dir and points HOME and the XDG dirs into
 * it (so nothing touches the real user's files), and points D-Bus and
 * GStreamer at nothing (so nothing depends on a session bus, NetworkManager
 * or a sound server). Call it first in main(). */
void test_client_prepare(void);

/* Starts libpurple with the user dir <tmp>/purple: purple_core_init() (which
 * probes the system's plugins and loads its protocols, the in-test one
 * included) and the buddy list saved there (empty the first time). The
 * recording UI ops below are installed, and IM logging is on, as plain text.
 * libpurple's port mapping and public-IP discovery are turned off: they
 * would send UPnP and NAT-PMP packets onto the network. Every plugin stays
 * mapped until exit so leak reports can name it. Aborts if the core cannot
 * start. */
void test_client_start(void);

/* Returns: (transfer none): the purple user dir of the running client. */
const char *test_client_user_dir(void);

/* Returns TRUE between test_client_start() and test_client_quit(). */
gboolean test_client_is_running(void);

/* Dispatches what is ready on the default main context without blocking
 * (at most @max_dispatches sources), as a UI's main loop would between
 * events. */
void test_client_iterate(guint max_dispatches);

/* Probes the plugin file named by $AJAR_PLUGIN (and keeps it mapped until
 * exit, like the others). If libpurple already probed
 * another file with the same basename (an installed ajar.so in the system
 * plugin dir), that one is dropped first so the built file is what is tested.
 * Returns: (transfer none) (nullable): the plugin, owned by libpurple. */
PurplePlugin *test_client_probe_ajar(void);

/* ---- waiting ---- */

/* How many main loop iterations the wait helpers allow before giving up.
 * An iteration dispatches what is ready or, when nothing is, sleeps 1 ms, so
 * this is also roughly the longest wait in milliseconds. */
#define TEST_CLIENT_WAIT_ITERATIONS 5000

/* A condition to wait for; @data is what the caller passed. */
typedef gboolean (*TestClientCondition)(gpointer data);

/* Runs the main loop until @condition returns TRUE, checking it before each
 * iteration. Never hangs: after TEST_CLIENT_WAIT_ITERATIONS iterations it
 * aborts the test with "gave up waiting for @what". */
void test_client_wait_for(TestClientCondition condition, gpointer data, const char *what);

/* ---- accounts and buddies (on the in-test protocol, test-prpl.h) ---- */

/* Creates an account @username (e.g. "me@example.org/Home") on the in-test
 * protocol, adds it to the account list (so it is saved in accounts.xml),
 * enables it for AJAR_TEST_CLIENT_UI and waits until it is connected.
 * Returns: (transfer none): the account, owned by libpurple. */
PurpleAccount *test_client_add_account(const char *username);

/* Creates an account @username on a real protocol (@protocol_id, e.g.
 * "prpl-jabber" or "prpl-irc") that signs on to a server, for the end-to-end
 * tests. @password (or NULL) is remembered, so the account signs on again
 * after test_client_restart(). @settings are the protocol's options as
 * NULL-terminated pairs of key and value: "true" and "false" are set as
 * booleans, a value of digits as an integer, anything else as a string
 * (e.g. "connect_server", "127.0.0.1", "port", "5222"). Adds it to the
 * account list, enables it for AJAR_TEST_CLIENT_UI and waits until it is
 * connected (test_client_connect()).
 * Returns: (transfer none): the account, owned by libpurple. */
PurpleAccount *test_client_add_server_account(const char *protocol_id, const char *username,
                                              const char *password, const char *const *settings);

/* Returns: (transfer none) (nullable): the in-test protocol's account
 * @username, e.g. after test_client_restart() made new account objects. */
PurpleAccount *test_client_find_account(const char *username);

/* Signs @account on, as the user does from the account list, and waits
 * until it is connected (the protocol connects on a later main loop turn,
 * as a real one does). Does nothing if it already is. */
void test_client_connect(PurpleAccount *account);

/* Signs @account off (purple_account_disconnect(), as the account list does);
 * it stays enabled. Conversations stay open but cannot send. Waits until it
 * is disconnected. Does nothing if it already is. */
void test_client_disconnect(PurpleAccount *account);

/* Waits until @account is connected / disconnected (bounded, see
 * test_client_wait_for()). */
void test_client_wait_connected(PurpleAccount *account);
void test_client_wait_disconnected(PurpleAccount *account);

/* Adds buddy @name (with local @alias, or NULL) to @account's buddy list, as
 * the user does from "Add Buddy": into @contact when given (so one person's
 * buddies on two accounts share a PurpleContact, as the user gets by
 * dragging one onto the other), else into a new contact in group "Buddies".
 * The protocol is told (its add_buddy does nothing).
 * Returns: (transfer none): the buddy, owned by the buddy list. */
PurpleBuddy *test_client_add_buddy(PurpleAccount *account, const char *name, const char *alias,
                                   PurpleContact *contact);

/* ---- what the other side does (injected as a protocol delivers it) ---- */

/* An instant message from @who arrives on @account: exactly what a protocol
 * does, serv_got_im(gc, who, text, flags, mtime). With no conversation open
 * libpurple emits receiving-im-msg (where plugins may drop or change it),
 * then received-im-msg, then creates the conversation and writes the line
 * (logging it). @flags is usually 0 (libpurple adds PURPLE_MESSAGE_RECV);
 * @mtime is the message's own time. @account must be connected. */
void test_client_receive(PurpleAccount *account, const char *who, const char *text,
                         PurpleMessageFlags flags, time_t mtime);

/* @who asks for the user's attention (an XMPP <attention/>, a Yahoo buzz)
 * with the in-test protocol's attention type @type_code (0: "Buzz"):
 * serv_got_attention(), which writes libpurple's "Sam has buzzed you!" line
 * through serv_got_im() (PURPLE_MESSAGE_NOTIFY | SYSTEM) and then, if a
 * conversation with @who is open, emits "got-attention" (where Pidgin and
 * Finch play their "Attention received" sound; this client does the same). */
void test_client_receive_attention(PurpleAccount *account, const char *who, guint type_code);

/* @who's typing state arrives: serv_got_typing(gc, who, 0, state). It sets
 * the state of an open conversation; with none open, libpurple only emits
 * buddy-typing / buddy-typed / buddy-typing-stopped. */
void test_client_receive_typing(PurpleAccount *account, const char *who, PurpleTypingState state);

/* Returns: the typing state the conversation with @who shows (what the
 * user sees as "Sam is typing…"), PURPLE_NOT_TYPING if none is open. */
PurpleTypingState test_client_typing_state(PurpleAccount *account, const char *who);

/* ---- rooms (test-client-chat.c) ---- */

/* The user joins the room @room on @account ("Join a Chat": the protocol's
 * join_chat, which joins at once). Aborts when no joined room results.
 * Returns: (transfer none): its conversation. */
PurpleConversation *test_client_join_chat(PurpleAccount *account, const char *room);

/* Returns: (transfer none) (nullable): the conversation of room @room,
 * joined or left, or NULL when it is closed. */
PurpleConversation *test_client_find_chat(PurpleAccount *account, const char *room);

/* The user closes the room's window (purple_conversation_destroy(): the
 * protocol leaves the room). Nothing when it is not open. */
void test_client_leave_chat(PurpleAccount *account, const char *room);

/* @nick is in the room (already there when the user joined, or, with
 * @new_arrival, arriving now: libpurple emits chat-buddy-joining, where a
 * plugin may make it quiet, writes "nick entered the room." unless quiet,
 * and emits chat-buddy-joined). @real_address (nullable): what the
 * protocol's get_cb_real_name() reveals for them, as a non-anonymous XMPP
 * room does. */
void test_client_chat_add_occupant(PurpleAccount *account, const char *room, const char *nick,
                                   const char *real_address, gboolean new_arrival);

/* @nick leaves the room (@reason nullable): chat-buddy-leaving (a plugin
 * may make it quiet), "nick left the room." unless quiet, chat-buddy-left. */
void test_client_chat_remove_occupant(PurpleAccount *account, const char *room, const char *nick,
                                      const char *reason);

/* @nick says @text in the room: serv_got_chat_in(gc, id, nick, flags, text,
 * mtime), exactly as a protocol delivers it: receiving-chat-msg (where a
 * plugin may drop it), received-chat-msg, then the line is written (logged,
 * flagged PURPLE_MESSAGE_NICK when it names you). @flags: e.g.
 * PURPLE_MESSAGE_DELAYED for the history a room sends on joining. */
void test_client_receive_chat(PurpleAccount *account, const char *room, const char *nick,
                              const char *text, PurpleMessageFlags flags, time_t mtime);

/* The user types @text (plain) into the room and presses Enter: sent with
 * purple_conv_chat_send() (recorded like a send_im(), who: the room) and
 * echoed back by the protocol as the user's own line. */
void test_client_send_chat(PurpleAccount *account, const char *room, const char *text);

/* ---- what the user does ---- */

/* Returns: (transfer none): the IM conversation with @who, opened as the user
 * does by double-clicking the buddy (purple_conversation_new() returns an
 * existing one). @account must be connected. */
PurpleConversation *test_client_open_im(PurpleAccount *account, const char *who);

/* Closes the IM conversation with @who, if one is open, as the user closing
 * its window (purple_conversation_destroy()). */
void test_client_close_im(PurpleAccount *account, const char *who);

/* Types @text (plain text, as in the entry box) into the conversation with
 * @who (opened if needed) and presses Enter, as Pidgin does it: a line
 * starting with "/" is first tried as a command (test_client_command());
 * anything else, or a command no one registered whose first word contains
 * a "/", is escaped to markup as Pidgin and Finch do ("&" becomes "&amp;",
 * "<" "&lt;") and sent with purple_conv_im_send(): sending-im-msg, the
 * protocol's send_im, the line written to the conversation and the log,
 * sent-im-msg. */
void test_client_send(PurpleAccount *account, const char *who, const char *text);

/* Runs the conversation command @cmdline (without the leading "/", e.g.
 * "ajar status") in the IM with @who (opened if needed) with
 * purple_cmd_do_command(), and writes Pidgin's own error lines
 * ("Syntax Error: …", the command's error, "Unknown command.") to the
 * conversation as Pidgin does. Like XMPP (OPT_PROTO_SLASH_COMMANDS_NATIVE),
 * an unknown command is not sent as a message unless its first word holds
 * a "/".
 * Returns: what purple_cmd_do_command() returned. */
PurpleCmdStatus test_client_command(PurpleAccount *account, const char *who, const char *cmdline);

/* Returns: (transfer full): what the protocol's send_im() was given since
 * the last call (what went to the network), oldest first (TestSent*, see
 * test-prpl.h; the array frees them). Never NULL. */
GPtrArray *test_client_take_sent(void);

/* ---- what the user sees (recorded through the UI ops) ---- */

/* A conversation window that opened (create_conversation). */
typedef struct {
    char *account; /* username of its account */
    char *name;    /* conversation name: the buddy name the first message used */
} TestWindow;

/* Returns: (transfer full): the conversations opened since the last call,
 * oldest first (TestWindow*; the array frees them). Never NULL. */
GPtrArray *test_client_take_opened(void);

/* A line written into a conversation window (write_conv: every IM, system
 * and error line reaches it, since write_im is left to libpurple). */
typedef struct {
    char *account; /* username of the conversation's account */
    char *conv;    /* conversation name */
    /* The sender as written. Lines written with no sender (the user's own
     * messages, system and error lines) get the conversation name here from
     * libpurple: tell directions apart by flags, not by who. */
    char *who;
    char *alias;   /* what the window shows as the sender (own messages: the account's name) */
    char *message; /* the text as displayed (markup, linkified) */
    PurpleMessageFlags flags; /* PURPLE_MESSAGE_RECV, _SEND, _SYSTEM, _NO_LOG, … */
    time_t mtime;             /* the time shown next to it */
} TestLine;

/* Returns: (transfer full): the lines written since the last call, oldest
 * first (TestLine*; the array frees them). Never NULL. */
GPtrArray *test_client_take_lines(void);

/* A message that reached received-im-msg, what sounds, pop-ups and unseen
 * counters hang off. */
typedef struct {
    char *account;
    char *who;
    char *message;
    PurpleMessageFlags flags;
} TestReceived;

/* Returns: (transfer full): the messages that reached received-im-msg since
 * the last call, oldest first (TestReceived*; the array frees them). */
GPtrArray *test_client_take_received(void);

/* Returns: (transfer full): the sounds libpurple asked the UI to play
 * since the last call (PurpleSoundEventID, oldest first): what passed
 * purple_sound_play_event() and its "playing-sound-event" signal. The
 * client plays PURPLE_SOUND_GOT_ATTENTION on "got-attention", as Pidgin's
 * gtksound.c and Finch's gntsound.c do. libpurple plays one event at most
 * once in 2 seconds. Never NULL. */
GArray *test_client_take_sounds(void);

/* Returns: how often libpurple emitted @signal since the last
 * test_client_reset_counts(). Observed: "received-im-msg", "writing-im-msg",
 * "wrote-im-msg", "sent-im-msg", "blocked-im-msg", "buddy-typing",
 * "buddy-typed", "buddy-typing-stopped", "conversation-created",
 * "deleting-conversation", "got-attention", and in rooms "receiving-chat-msg" (counted first,
 * every line that arrives), "received-chat-msg" (what sounds and alerts hang
 * off), "writing-chat-msg", "chat-joined", "chat-buddy-joined",
 * "chat-buddy-left". Aborts on any other name: "displaying-im-msg",
 * for one, is Pidgin's (pidgin_conversations_get_handle()), not libpurple's,
 * and never fires in a headless client. */
guint test_client_signal_count(const char *signal);

/* Sets every signal count to 0. */
void test_client_reset_counts(void);

/* Returns: (transfer full): what happened since the last call, in order, one
 * string each: "signal:<name>" for the observed signals, "ui:<op>" for the
 * conversation UI ops (create_conversation, write_conv, destroy_conversation),
 * "notify:<kind>", "request:<type>" and "close:<type>" for dialogs. For
 * asserting the order libpurple does things in. */
GPtrArray *test_client_take_events(void);

/* ---- message boxes (notify UI ops) ---- */

typedef enum {
    TEST_NOTICE_MESSAGE,   /* purple_notify_message() and its _info/_error/_warning forms */
    TEST_NOTICE_FORMATTED, /* purple_notify_formatted(): text is the HTML body */
    TEST_NOTICE_USERINFO,  /* purple_notify_userinfo(): who, and text is the info */
} TestNoticeKind;

/* A message box libpurple asked the UI to show. Reference counted: the
 * client keeps one while it is open, each taken array one. */
typedef struct {
    PurpleNotifyMsgType type; /* MESSAGE: the icon; the others: PURPLE_NOTIFY_MSG_INFO */
    char *title;
    char *primary;
    char *secondary;
    TestNoticeKind kind;
    char *text;      /* FORMATTED, USERINFO */
    char *who;       /* USERINFO */
    gboolean closed; /* closed by libpurple or a plugin (close_notify), or by the user */
} TestNotice;

/* Returns: (transfer full): the notices shown since the last call, oldest
 * first (TestNotice*; the array frees them). Never NULL. */
GPtrArray *test_client_take_notices(void);

/* The user closes @notice: purple_notify_close(), which runs the close
 * callback its caller gave libpurple. Aborts if it is already closed. */
void test_client_notice_close(TestNotice *notice);
/* The user reads and closes every notice in @taken that is still open
 * (Ajar shows one trouble once while its box is open). */
void test_client_notices_close(GPtrArray *taken);

/* ---- dialogs (request UI ops) ---- */

/* A dialog libpurple asked the UI to show. Reference counted like
 * TestNotice; the client keeps a reference while it is open. */
typedef struct {
    PurpleRequestType type; /* PURPLE_REQUEST_ACTION, _CHOICE, _INPUT or _FIELDS */
    char *title;
    char *primary;
    char *secondary;
    char *account; /* username of the account passed with it, or NULL */
    char *who;
    int default_action;  /* ACTION: index of the default button; CHOICE: default value */
    GPtrArray *labels;   /* ACTION: button labels; CHOICE: choice labels (char*, in order) */
    GArray *values;      /* CHOICE: the value of each label (int) */
    char *default_value; /* INPUT */
    char *ok_text;       /* INPUT, CHOICE, FIELDS */
    char *cancel_text;
    /* FIELDS: the dialog's fields, owned by the client while the dialog is
     * open: read and set them with purple_request_fields_*() before
     * test_client_request_fields_ok(). NULL once closed. */
    PurpleRequestFields *fields;
    gboolean closed;   /* gone: answered, or closed by libpurple or a plugin */
    gboolean answered; /* answered through this client */

    /* private */
    GArray *callbacks; /* ACTION: GCallback per label */
    GCallback ok_cb;
    GCallback cancel_cb;
    gpointer user_data;
} TestRequest;

/* Returns: (transfer full): the dialogs shown since the last call, oldest
 * first (TestRequest*; the array drops its references). Never NULL. */
GPtrArray *test_client_take_requests(void);

/* Returns: the index of the ACTION button labelled @label (mnemonic
 * underscores ignored, so "Send" finds "_Send"), or -1. */
int test_client_request_find_action(const TestRequest *request, const char *label);

/* The user presses button @action_index of an ACTION dialog: as Pidgin, its
 * callback (if any) gets (user_data, action_index), then the dialog is
 * closed with purple_request_close(). Aborts if the dialog is closed: no
 * user can answer a dialog that is gone. */
void test_client_request_answer(TestRequest *request, int action_index);

/* The user picks the choice with @value in a CHOICE dialog and presses OK. */
void test_client_request_choose(TestRequest *request, int value);

/* The user types @text into an INPUT dialog and presses OK. */
void test_client_request_input(TestRequest *request, const char *text);

/* How the UI numbers the options of a choice field (PURPLE_REQUEST_FIELD_CHOICE),
 * which libpurple 2 leaves to each UI: Pidgin from 0 (gtkrequest.c), Finch
 * from 1 (gntrequest.c: `for (id = 1; ...)`), so a plugin that reads the
 * number as an index runs the next option in Finch. */
typedef enum {
    TEST_CLIENT_NUMBERING_PIDGIN, /* 0, 1, 2, ... */
    TEST_CLIENT_NUMBERING_FINCH,  /* 1, 2, 3, ... */
} TestClientNumbering;

/* The numbering this client uses; the default is Pidgin's, or Finch's when
 * the environment has AJAR_TEST_UI=finch (set by the test's meson entry). */
void test_client_set_numbering(TestClientNumbering numbering);
TestClientNumbering test_client_get_numbering(void);

/* The user picks the option labelled @label in field @field_id of an open
 * FIELDS dialog, as the UI would record it: in a choice field the number
 * the current numbering gives that option, in a single-select list field
 * that item. Aborts when there is no such field or option. */
void test_client_fields_pick(TestRequest *request, const char *field_id, const char *label);

/* The user presses OK in a FIELDS dialog: ok_cb(user_data, fields), then
 * purple_request_close(). Returns FALSE, doing nothing, when Pidgin's OK
 * button would be insensitive (a required field empty or a field invalid). */
gboolean test_client_request_fields_ok(TestRequest *request);

/* The user presses Cancel (INPUT, CHOICE, FIELDS: cancel_cb gets what Pidgin
 * passes) or closes the window of an ACTION dialog (no callback runs). */
void test_client_request_cancel(TestRequest *request);

/* ---- history logs ---- */

/* Returns: (transfer full): the text of every log file libpurple wrote for
 * the IM conversation of @account with @buddy, oldest file first ("" when
 * there is none). Logs live in <user dir>/logs/<protocol icon>/<normalized
 * account>/<normalized buddy>/<date>.txt; the client logs IMs as plain text
 * so a test can look for a message with strstr(). */
char *test_client_read_log(PurpleAccount *account, const char *buddy);

/* Quits libpurple (purple_core_quit(): every plugin is unloaded and destroyed,
 * prefs and buddy list are saved). Safe to call twice. */
void test_client_quit(void);

/* Quits libpurple and starts it again on the same user dir, as the user
 * restarting the messenger: accounts, buddy list and prefs come back from
 * libpurple's own files, the in-test protocol is registered again, and
 * every pointer to an account, buddy, conversation or plugin from before is
 * invalid (look them up again: test_client_find_account(),
 * purple_find_buddy(), test_client_probe_ajar()). Accounts stay offline
 * until test_client_connect(), so a test can load Ajar first, as Pidgin
 * loads its plugins before signing on. Recordings are kept. */
void test_client_restart(void);

/* Removes the temporary dir made by test_client_prepare(), unless
 * AJAR_TEST_KEEP_DIR is set (then its path is printed as a TAP comment). */
void test_client_cleanup(void);

G_END_DECLS

#endif /* AJAR_TEST_CLIENT_H */
