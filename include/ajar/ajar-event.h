/* ajar-event.h — one journal line: the event model, and its encoding to and
 * from a JSON Lines line. Pure: buffers in, buffers out. */
#pragma once

#include <glib.h>

#include "ajar-rules.h"

G_BEGIN_DECLS

#define AJAR_EVENT_ERROR (ajar_event_error_quark())
GQuark ajar_event_error_quark(void);

typedef enum {
    AJAR_EVENT_ERROR_MALFORMED, /* not JSON, or not a journal event */
} AjarEventError;

typedef enum {
    AJAR_EVENT_UNKNOWN = 0, /* an event name this version does not know (kept, ignored) */
    /* custody events: carry dir, account, protocol, buddy, rule, time, text */
    AJAR_EVENT_HELD,
    AJAR_EVENT_ARCHIVED,
    AJAR_EVENT_DELAYED, /* + due */
    AJAR_EVENT_QUEUED,  /* + due (outgoing delay) */
    /* outcome events */
    AJAR_EVENT_RELEASED,
    AJAR_EVENT_DELIVERED,
    AJAR_EVENT_SENT,
    AJAR_EVENT_CANCELLED,
    AJAR_EVENT_DISCARDED,
    AJAR_EVENT_READ,
    /* A discarded message brought back: kept again (theirs as held, or as
     * read when it was archived; yours as an unsent letter). */
    AJAR_EVENT_RESTORED,
    /* intent events: written just before Ajar sends one of your kept
     * messages ("sending") or shows one of theirs ("showing"); the outcome
     * ("sent", "released", "delivered") follows once it is done. One
     * without its outcome means Ajar stopped in between. */
    AJAR_EVENT_SENDING,
    AJAR_EVENT_SHOWING,
    /* others */
    AJAR_EVENT_PASSED,
    AJAR_EVENT_RULES_CHANGED,
    /* "error" on disk (with message). Not AJAR_EVENT_ERROR: that name is the
     * GError domain above. */
    AJAR_EVENT_FAULT,
    /* A stranger's message given to a rule (needs id and rule): the message
     * now belongs to that rule and is no longer a stranger's; its state is
     * unchanged (still held, archived, ...). */
    AJAR_EVENT_ASSIGNED,
    /* A buzz (attention request): account, protocol, buddy, rule and time,
     * no text; counted per rule; takes nothing into custody. */
    AJAR_EVENT_ATTENTION,
    /* What a compacted journal says about the history that moved to
     * history/ (issue 13): absolute figures that applying SETS (see
     * ajar-summary.h; event->summary). Older readers ignore it. */
    AJAR_EVENT_SUMMARY,
} AjarEventType;

typedef struct _AjarSummary AjarSummary; /* ajar-summary.h */

/* One journal event. All strings owned by the event (ajar_event_free()).
 * Absent optional fields are NULL / 0 / has_* FALSE. */
typedef struct {
    gint64 seq; /* strictly increasing; assigned by the journal on append */
    gint64 ts;  /* unix microseconds the event was written (UTC on disk) */
    AjarEventType type;
    char *event_name; /* the name as read, for AJAR_EVENT_UNKNOWN; else NULL */
    char *id;         /* the message's stable id; NULL for rules-changed/error */
    gboolean has_dir;
    AjarDirection dir;
    char *account;
    char *protocol;
    char *buddy;
    char *rule;
    gint64 time; /* unix microseconds, the message's own time; 0 = absent */
    char *text;  /* the message text as given, any bytes (see text_len) */
    gsize text_len;
    gint64 due;    /* unix microseconds; 0 = absent */
    char *message; /* error events: what went wrong */
    /* Optional, on custody events (and "attention" for stranger): */
    char *chat;           /* a chat line: the room's name */
    char *nick;           /* a chat line: the occupant's nick */
    char **images;        /* file names in <ajar dir>/images/, in the order of the
                       * text's <img id="N"> tags; NULL = none */
    gboolean stranger;    /* the sender is in no buddy list */
    gboolean quiet;       /* queued: written inside the rule's quiet hours */
    gboolean ask;         /* queued: waits for the user's answer to the rule's question */
    AjarSummary *summary; /* "summary" events: their figures (owned); else NULL */
} AjarEvent;

/* Returns: (transfer full): a zeroed event. */
AjarEvent *ajar_event_new(AjarEventType type);
void ajar_event_free(AjarEvent *event);
/* Returns: (transfer full): a deep copy. */
AjarEvent *ajar_event_copy(const AjarEvent *event);

/* Custody events take a message into Ajar's keeping. */
gboolean ajar_event_type_is_custody(AjarEventType type);
/* "held", "released", ... ; NULL for AJAR_EVENT_UNKNOWN. Static string. */
const char *ajar_event_type_to_string(AjarEventType type);
/* AJAR_EVENT_UNKNOWN for a name this version does not know. */
AjarEventType ajar_event_type_from_string(const char *name);

/* Appends @event as one line (with its final "\n") to @out. Fields in a fixed
 * order: seq, ts, event, id, dir, account, protocol, buddy, rule, chat, nick,
 * time, due, text, images, stranger, quiet, ask, message (the optional ones
 * only when set; the booleans only when TRUE). A text that is not valid
 * UTF-8 (or holds a NUL byte) is written as "text_base64" instead of "text"
 * so that no byte is lost.
 * ts is written to the millisecond ("2026-11-27T21:04:09.113Z", rounded
 * down); time and due with the precision they have: whole seconds
 * ("2026-11-27T21:04:09Z"), else millis, else micros, so a round trip is exact. */
void ajar_event_encode(const AjarEvent *event, GString *out);

/* Parses one line (without its "\n"). Returns: (transfer full) (nullable):
 * the event, or NULL with AJAR_EVENT_ERROR_MALFORMED and a one-line reason
 * ("seq: must be a positive whole number"). Unknown event names are not an
 * error (type AJAR_EVENT_UNKNOWN, event_name and id kept, other fields not
 * read); unknown fields are ignored. Custody events need id, dir, account,
 * protocol, buddy, rule, time and text (or text_base64), "delayed" also due;
 * outcome and intent events need id, except a "sent" with a rule (a message
 * that passed); "assigned" needs id and rule; "attention" needs account,
 * protocol, buddy, rule and time, and has no text. chat, nick (strings),
 * images (a list of file names: no "/", not starting with "."), stranger,
 * quiet and ask (true or false) are optional in every event. A "summary"
 * needs nothing more: last_id (a string), orphans (a whole number) and
 * rules (an object of rule names, each an object of counters: whole
 * numbers, last_sent a time) are optional; unknown keys in them are
 * ignored. */
AjarEvent *ajar_event_decode(const char *line, gsize len, GError **error);

/* Formats unix microseconds as "2026-11-27T21:04:09.113Z" (millis) or
 * "2026-11-27T21:04:09Z" (@with_millis FALSE). Transfer full. */
char *ajar_time_format_utc(gint64 unix_us, gboolean with_millis);
/* Parses an ISO 8601 date-time with an explicit offset or "Z" (the RFC 3339
 * profile: YYYY-MM-DDTHH:MM[:SS[.fraction]] then Z, +HH:MM, +HHMM or +HH;
 * fraction digits past microseconds are cut off). Returns FALSE if @text is
 * not one, or names a day or time that does not exist. */
gboolean ajar_time_parse_iso8601(const char *text, gint64 *unix_us);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(AjarEvent, ajar_event_free)

G_END_DECLS
