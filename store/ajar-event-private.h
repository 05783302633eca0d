/* ajar-event-private.h — internals of the event module shared with its tests.
 * Not installed, not for the plugin or the tools. */
#pragma once

#include <glib.h>

#include "ajar/ajar-event.h"

G_BEGIN_DECLS

/* ajar_event_decode() without its fast path: every line goes through the
 * strict JSON reader. Same result and same errors, only slower; the tests
 * compare the two on thousands of damaged lines. */
AjarEvent *ajar_event_decode_strict(const char *line, gsize len, GError **error);

G_END_DECLS
