/* ajar-intercept.h — the signal handlers where messages are withheld (above ajar-custody.c and ajar-schedule.c). */
#pragma once

#include "ajar-context.h"

/* The plain facts of a message on @account (strings borrowed): direction,
 * account, protocol, @buddy, @plain text (nullable) and the flags the rules
 * care about (an auto-response, your own other device). */
AjarFacts ajar_intercept_facts(PurpleAccount *account, AjarDirection direction, const char *buddy,
                               const char *plain, PurpleMessageFlags flags);
/* The journal-first step for an incoming message of @sender (markup
 * @message) on @account that @decision covers: a pass keyword is noted
 * ("passed") and FALSE returned; a pass returns FALSE; anything else is
 * journaled (held, archived or delayed, with its text and time, and @chat
 * and @nick for a line in a room; both NULL for an IM; its time is @time,
 * unix microseconds kept to the second, where the protocol said when it
 * was written, else 0: now) and TRUE returned:
 * the caller withholds it. A delayed one is scheduled, and the user told
 * as settings.notify says. If the journal cannot take it, the user is told
 * that it was shown as usual and FALSE is returned: the caller shows it. */
gboolean ajar_intercept_take(AjarPlugin *ajar, PurpleAccount *account, const char *sender,
                             const char *message, const AjarDecision *decision, const char *chat,
                             const char *nick, gint64 time);
/* Connects Ajar's handlers for incoming and outgoing messages, typing and
 * conversation writes (disconnected by handle at unload). */
void ajar_intercept_connect(AjarPlugin *ajar);

/* The "N messages from NAME are waiting" note (settings.notify "message"),
 * kept up to date; while the journal is still read it waits for the count
 * (ajar->notice_after_load). */
void ajar_intercept_notify_waiting(AjarPlugin *ajar, const char *rule_name);
