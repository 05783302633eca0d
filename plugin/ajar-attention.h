/* ajar-attention.h — a buzz (XMPP <attention/>, Yahoo buzz) from someone
 * whose messages Ajar withholds: not shown, no sound, journaled
 * "attention" (above ajar-context.c). */
#pragma once

#include "ajar-context.h"

/* Connects what stops the sound of a swallowed buzz (disconnected by handle
 * at unload); ajar_attention_disconnect() removes its timer. */
void ajar_attention_connect(AjarPlugin *ajar);
void ajar_attention_disconnect(AjarPlugin *ajar);

/* TRUE when receiving-im-msg carries libpurple's line for a buzz ("Sam has
 * buzzed you!": purple_prpl_got_attention() writes it with
 * PURPLE_MESSAGE_SYSTEM | PURPLE_MESSAGE_NOTIFY), not a message. */
gboolean ajar_attention_is_buzz(PurpleMessageFlags flags);

/* A buzz from @sender whose rule (@decision: hold, archive or delay)
 * withholds their messages: journals "attention" (no text) and stops the
 * sound that follows. Returns TRUE when receiving-im-msg must drop it —
 * always, for a withholding decision: a buzz is no message, nothing is lost
 * if even the journal cannot count it. */
gboolean ajar_attention_withhold(AjarPlugin *ajar, PurpleAccount *account, const char *sender,
                                 const AjarDecision *decision);
