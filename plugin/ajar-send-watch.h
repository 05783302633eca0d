/* ajar-send-watch.h — what became of a message of yours that Ajar handed
 * to libpurple: taken by the protocol, refused, or lost with its
 * connection (above ajar-context.c). */
#pragma once

#include "ajar-context.h"

/* How long after a message went out a failure of its connection still
 * means it may not have reached them: a server that dies closes the
 * connection, and libpurple notices within a round trip, but a write
 * into the dead connection before that "succeeds". A network that
 * vanishes without a word is noticed only minutes later by libpurple's
 * keepalive; that would need acknowledgements libpurple 2 has not got. */
#define AJAR_SEND_SETTLE_SECONDS 10

/* Connects the signals it watches and makes its list; clear frees it
 * (unload disconnects the signals with the plugin's others). */
void ajar_send_watch_init(AjarPlugin *ajar);
void ajar_send_watch_clear(AjarPlugin *ajar);

/* Whether @account can send now: connected, and its connection has not
 * reported an error (libpurple signs such a one off on the next main loop
 * turn; what it is given meanwhile is lost). */
gboolean ajar_send_watch_usable(PurpleAccount *account);

/* Around purple_conv_im_send() of a kept message over @account (while
 * ajar->resending). end returns TRUE when it went: the protocol took it,
 * or another plugin did before it (an encryption plugin that sends it
 * once its session is up: out of Ajar's hands, as anything you send);
 * FALSE when the protocol refused it or its connection broke as it went
 * (then *@connection_lost, if given, says which). */
void ajar_send_watch_begin(AjarPlugin *ajar, PurpleAccount *account);
gboolean ajar_send_watch_end(AjarPlugin *ajar, gboolean *connection_lost);

/* Message @id went out over @account's connection and was journaled
 * "sent". If that connection fails within AJAR_SEND_SETTLE_SECONDS,
 * "sending" is journaled for it again (kept, may or may not have gone)
 * and ajar->send_failed_func is told, with connection_lost. */
void ajar_send_watch_settle(AjarPlugin *ajar, const char *id, PurpleAccount *account);

/* When (monotonic microseconds) the last of the messages that went out
 * lately is settled: until then a failure of its connection still journals
 * "sending" for it again. 0 when none is unsettled. */
gint64 ajar_send_watch_settled_at(AjarPlugin *ajar);
