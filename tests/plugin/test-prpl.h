/* test-prpl.h — "Ajar Test", a protocol plugin that lives inside the test
 * client.
 *
 * Debian's libpurple has no null protocol, and the real ones need a server.
 * This one needs nothing: an account logs in at once (on the next main loop
 * turn, as a real protocol would after its handshake), what the user sends is
 * recorded instead of going to a network, and buddy names are compared the
 * way XMPP compares them (case-insensitive, without the "/resource"), so tests
 * can use names like "Sam@Example.org/phone". Incoming messages and typing
 * states are injected through libpurple's serv_got_im() / serv_got_typing()
 * by test-client.c, exactly as a protocol delivers them. It has rooms too
 * (one field, "room"): joined at once, what the user says is recorded like
 * a send_im() (who: the room) and echoed back as XMPP's rooms do, lines of
 * others are injected through serv_got_chat_in() (test-client-chat.c). */
#ifndef AJAR_TEST_PRPL_H
#define AJAR_TEST_PRPL_H

#include <glib.h>

#include <conversation.h>
#include <plugin.h>

G_BEGIN_DECLS

/* Its protocol id, name in the account editor, and the folder name its
 * accounts' logs go under (libpurple names that folder after list_icon()). */
#define TEST_PRPL_ID "prpl-ajartest"
#define TEST_PRPL_NAME "Ajar Test"
#define TEST_PRPL_ICON "ajartest"

/* Registers the protocol with libpurple. Call it from the core UI ops'
 * ui_prefs_init (test-client.c does): that runs inside purple_core_init()
 * before the plugin subsystem probes and loads its queue, and before
 * purple_accounts_init() reads accounts.xml, so saved accounts of this
 * protocol come back with their statuses after a restart. Registering later
 * would leave the plugin in libpurple's load queue until the next probe.
 * Once per core; the plugin is destroyed by purple_core_quit(). */
void test_prpl_register(void);

/* Returns: (transfer none) (nullable): the registered plugin, or NULL when
 * the running core has none. */
PurplePlugin *test_prpl_get_plugin(void);

/* What the protocol was asked to put on the network: one send_im() call. */
typedef struct {
    char *account; /* the sending account's username */
    char *who;     /* the recipient, as libpurple passed it */
    char *message; /* the text (HTML: the connection has PURPLE_CONNECTION_HTML) */
    PurpleMessageFlags flags;
} TestSent;

/* One send_typing() call: the user's typing state as sent to a buddy. */
typedef struct {
    char *account;
    char *who;
    PurpleTypingState state;
} TestSentTyping;

/* Returns: (transfer full): the messages sent since the last call, oldest
 * first (TestSent*; the array frees them). Never NULL. */
GPtrArray *test_prpl_take_sent(void);

/* How many times libpurple (or a plugin, through purple_normalize()) has
 * asked the protocol to normalize a name, since the process started. */
guint test_prpl_normalize_count(void);

/* Returns: (transfer full): the typing states sent since the last call,
 * oldest first (TestSentTyping*; the array frees them). Never NULL. */
GPtrArray *test_prpl_take_sent_typing(void);

/* Sets what send_im() returns from now on: 1 (the default) means sent; a
 * negative errno such as -ENOTCONN or -E2BIG makes libpurple report a failed
 * send. A failed send is still recorded. */
void test_prpl_set_send_result(int result);

/* The next send_im() loses the connection as it writes, as XMPP and IRC do
 * when the server has gone away under them: the message is recorded (it may
 * or may not have reached the network), purple_connection_error_reason()
 * reports a network error (libpurple signs the account off on the next main
 * loop turn, and it stays enabled, to be signed on again) and send_im()
 * returns 1, as theirs do. Only the next one; test_prpl_clear() forgets it. */
void test_prpl_drop_connection_on_next_send(void);

/* In the room @room, the occupant @nick is @address (NULL: not known), as
 * a non-anonymous XMPP room reveals real addresses; get_cb_real_name()
 * answers it, and "room/nick" for an occupant with none, as prpl-jabber
 * does. test_prpl_clear() forgets them. */
void test_prpl_set_real_address(const char *room, const char *nick, const char *address);

/* Frees everything recorded. test_client_cleanup() calls it. */
void test_prpl_clear(void);

G_END_DECLS

#endif /* AJAR_TEST_PRPL_H */
