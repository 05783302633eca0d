/* e2e-util.h — what the end-to-end tests share: accounts on the local chat
 * servers that `scripts/servers run` started (it passes their addresses in
 * AJAR_XMPP_* and AJAR_IRC_*), peers — the other people, each a plain
 * libpurple client without Ajar in a process of its own (e2e-peer.c) — and
 * waits bounded in real time. Messages between "you" (the test process,
 * with the built ajar.so) and a peer really travel through the server. */
#ifndef AJAR_E2E_UTIL_H
#define AJAR_E2E_UTIL_H

#include "test-client.h"

G_BEGIN_DECLS

/* Environment variable through which meson passes the built e2e-peer. */
#define E2E_PEER_ENV "AJAR_E2E_PEER"

/* The longest any wait here lasts before it fails the test. Messages over
 * loopback take milliseconds; this only bounds a broken run. */
#define E2E_WAIT_SECONDS 30

/* Returns: (transfer none): the environment variable @name. Aborts when it
 * is unset: the tests run under `scripts/servers run` (meson does that). */
const char *e2e_env(const char *name);

/* Returns: (transfer full): @user's bare JID, "@user@<domain>". */
char *e2e_jid(const char *user);

/* Adds the prpl-jabber account @user@<domain>/@resource on the local prosody
 * (plain password on loopback, no TLS: the test server has no certificate)
 * and waits until it is connected, as e2e_connect() does.
 * Returns: (transfer none): the account. */
PurpleAccount *e2e_add_xmpp_account(const char *user, const char *resource);

/* Adds the prpl-irc account @nick on the local ngircd and waits until it is
 * connected. Returns: (transfer none): the account. */
PurpleAccount *e2e_add_irc_account(const char *nick);

/* Signs @account on (again) and waits until it is connected
 * (test_client_connect(), whose bounded wait fails the test otherwise).
 * Why libpurple could not connect is printed to standard error. */
void e2e_connect(PurpleAccount *account);

/* Joins the room @name on @account as the user does ("Join a Chat" with the
 * protocol's defaults for that name: XMPP "room@conference.example.org"
 * with your node as the nick, IRC "#channel") and waits until libpurple
 * has the joined room's conversation (over XMPP: once the room has
 * answered). Returns: (transfer none): the conversation. */
PurpleConversation *e2e_join_chat(PurpleAccount *account, const char *name);

typedef gboolean (*E2eCondition)(gpointer data);

/* Runs the main loop until @condition returns TRUE; after E2E_WAIT_SECONDS
 * it fails the test with "gave up waiting for @what". */
void e2e_wait(E2eCondition condition, gpointer data, const char *what);

/* Runs the main loop until the real time (g_get_real_time()) is past
 * @real_time_us: for "the due time has passed", never a fixed sleep. */
void e2e_run_until(gint64 real_time_us);

/* ---- peers ---- */

typedef struct E2ePeer E2ePeer;

/* A message that reached a peer's received-im-msg. */
typedef struct {
    char *who;  /* the sender as libpurple names it */
    char *text; /* as libpurple gave it (markup) */
    gint64 at;  /* real time the test read it, in microseconds */
} E2eIm;

/* Starts a peer signed on as @user@<domain>/@resource over XMPP, or as
 * @nick on IRC, and waits until it is connected. It accepts every
 * presence subscription request. */
E2ePeer *e2e_peer_start_xmpp(const char *user, const char *resource);
E2ePeer *e2e_peer_start_irc(const char *nick);

/* The peer sends @text (plain text, as typed) to @to and says when its
 * protocol has handed the message to the network. */
void e2e_peer_send(E2ePeer *peer, const char *to, const char *text);

/* The peer tells @who that its user is typing. */
void e2e_peer_typing(E2ePeer *peer, const char *who);

/* The peer asks for @who's attention (a buzz). Returns FALSE when its
 * protocol could not send one yet (over XMPP: before it knows @who's
 * presence and that @who's client takes buzzes). */
gboolean e2e_peer_buzz(E2ePeer *peer, const char *who);

/* The peer adds @who to its buddy list, which over XMPP asks for their
 * presence. */
void e2e_peer_add_buddy(E2ePeer *peer, const char *who);

/* The peer joins the room @room and waits until it is in it. */
void e2e_peer_join(E2ePeer *peer, const char *room);

/* The peer says @text in @room and says when it is sent. */
void e2e_peer_say(E2ePeer *peer, const char *room, const char *text);

/* Waits until a line containing @text in a room reached the peer's
 * received-chat-msg. Returns: (transfer none): it (who: "ROOM\tNICK"). */
const E2eIm *e2e_peer_wait_chat(E2ePeer *peer, const char *text);

/* The peer signs off / on and waits until it has. */
void e2e_peer_sign_off(E2ePeer *peer);
void e2e_peer_sign_on(E2ePeer *peer);

/* Returns: (transfer none): every E2eIm the peer has received so far,
 * oldest first. */
GPtrArray *e2e_peer_ims(E2ePeer *peer);

/* Returns: how many messages the peer received whose text contains @text. */
guint e2e_peer_count(E2ePeer *peer, const char *text);

/* Waits until the peer has received a message containing @text.
 * Returns: (transfer none): the first such message. */
const E2eIm *e2e_peer_wait_im(E2ePeer *peer, const char *text);

/* Waits until the peer sees @who (a buddy it added) online / offline. */
void e2e_peer_wait_presence(E2ePeer *peer, const char *who, gboolean online);

/* Asks the peer to quit, waits until it exited and checks it exited with
 * status 0. Frees @peer. A test that aborts leaves its
 * peers' standard input at end of file, which makes them quit too. */
void e2e_peer_stop(E2ePeer *peer);

G_END_DECLS

#endif /* AJAR_E2E_UTIL_H */
