/* ajar-state-private.h — what the journal's replay uses of the state beyond
 * its public header. Not installed, not for the plugin or the tools. */
#pragma once

#include <glib.h>

#include "ajar/ajar-state.h"

G_BEGIN_DECLS

/* ajar_state_apply() for an event the caller is about to free: its id and
 * text may be moved into the state instead of copied (they are NULL in
 * @event afterwards when they were). Its text must end with a NUL after
 * text_len bytes, as every decoded event's does. */
void ajar_state_apply_take(AjarState *state, AjarEvent *event);

G_END_DECLS
