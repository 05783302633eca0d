/* ajar-event-private.h — internals of the event module shared with its tests.
 * Not installed, not for the plugin or the tools. */
#pragma once

#include <glib.h>

#include "ajar/ajar-event.h"
#include "ajar/ajar-json.h"

G_BEGIN_DECLS

/* ajar_event_decode() without its fast path: every line goes through the
 * strict JSON reader. Same result and same errors, only slower; the tests
 * compare the two on thousands of damaged lines. */
AjarEvent *ajar_event_decode_strict(const char *line, gsize len, GError **error);

/* The last date ajar_time_parse_canonical() read, and its day: the lines
 * of a journal come in time order, so their dates repeat. */
typedef struct {
    gboolean valid;
    char date[10]; /* "2026-11-27" */
    gint64 day_secs;
} AjarTimeCache;

/* What ajar_event_decode_into() reuses line after line, so that a replay
 * allocates nothing a line: the current line's strings, and its last date.
 * Starts zeroed; ajar_event_scratch_clear() gives it back. */
typedef struct {
    char *buf;
    gsize size;
    gsize used;
    GPtrArray *overflow; /* strings that did not fit in @buf (none expected) */
    AjarTimeCache time_cache;
    AjarSummary *summary; /* the current line's, for a "summary" line */
} AjarEventScratch;

/* ajar_event_decode() into a caller's @event (overwritten): same checks,
 * same result, same errors. Every string of @event lives in @scratch until
 * the next call with it: never free @event or its fields. Returns FALSE
 * (with AJAR_EVENT_ERROR_MALFORMED, @event zeroed) for a line
 * ajar_event_decode() refuses. */
gboolean ajar_event_decode_into(const char *line, gsize len, AjarEventScratch *scratch,
                                AjarEvent *event, GError **error);
void ajar_event_scratch_clear(AjarEventScratch *scratch);

/* ajar_time_parse_iso8601() for the two shapes Ajar writes,
 * "2026-11-27T21:04:09Z" and "2026-11-27T21:04:09.113Z", as @len bytes (no
 * NUL needed). FALSE for anything else (which the general reader then
 * judges), never for a time that reader would accept. @cache (nullable)
 * spares reading a date again. */
gboolean ajar_time_parse_canonical(const char *text, gsize len, AjarTimeCache *cache,
                                   gint64 *unix_us);

/* A "summary" line's figures from the strict reader's tree of the line
 * (ajar-summary.c). FALSE with AJAR_EVENT_ERROR_MALFORMED and a one-line
 * reason if they are not well formed. */
gboolean ajar_summary_from_json(const AjarJsonValue *root, AjarSummary **out, GError **error);

/* Sets AJAR_EVENT_ERROR_MALFORMED with the formatted one-line reason;
 * returns FALSE (the decoder's and the summary's checks share it). */
gboolean ajar_event_fail(GError **error, const char *format, ...) G_GNUC_PRINTF(2, 3);

G_END_DECLS
