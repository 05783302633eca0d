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

/* Where ajar_event_decode_into() puts an event's names, reused line after
 * line so that a replay does not allocate them one by one. Starts zeroed;
 * ajar_event_names_clear() gives it back. */
typedef struct {
    char *buf;
    gsize size;
    gsize used;
} AjarEventNames;

/* ajar_event_decode() into a caller's @event (overwritten): same checks,
 * same result, same errors. Its account, protocol, buddy, rule and message
 * live in @names until the next call with it; its id, text and event_name
 * are on the heap, for the caller to move out or to free with
 * ajar_event_clear_owned(). Never call ajar_event_free() on it.
 * Returns FALSE (with AJAR_EVENT_ERROR_MALFORMED, @event holding nothing to
 * free) for a line ajar_event_decode() refuses. */
gboolean ajar_event_decode_into(const char *line, gsize len, AjarEventNames *names,
                                AjarEvent *event, GError **error);
/* Frees the id, text and event_name of an event ajar_event_decode_into()
 * filled, and sets them to NULL. */
void ajar_event_clear_owned(AjarEvent *event);
void ajar_event_names_clear(AjarEventNames *names);

/* ajar_time_parse_iso8601() for the two shapes Ajar writes,
 * "2026-11-27T21:04:09Z" and "2026-11-27T21:04:09.113Z", as @len bytes (no
 * NUL needed). FALSE for anything else (which the general reader then
 * judges), never for a time that reader would accept. */
gboolean ajar_time_parse_canonical(const char *text, gsize len, gint64 *unix_us);

G_END_DECLS
