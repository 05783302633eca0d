/* ajar-event-fields.h — the table of fields a journal line fills, shared by
 * the line scanner (ajar-event-scan.c) and the checks that turn it into an
 * event (ajar-event-decode.c). Not installed. */
#pragma once

#include <glib.h>

#include "ajar/ajar-json.h"

G_BEGIN_DECLS

typedef enum {
    FIELD_SEQ,
    FIELD_TS,
    FIELD_EVENT,
    FIELD_ID,
    FIELD_DIR,
    FIELD_ACCOUNT,
    FIELD_PROTOCOL,
    FIELD_BUDDY,
    FIELD_RULE,
    FIELD_CHAT,
    FIELD_NICK,
    FIELD_TIME,
    FIELD_DUE,
    FIELD_TEXT,
    FIELD_TEXT_BASE64,
    FIELD_IMAGES,
    FIELD_STRANGER,
    FIELD_QUIET,
    FIELD_ASK,
    FIELD_MESSAGE,
    N_FIELDS,
} Field;

/* The fields' names as they are written, indexed by Field. */
typedef struct {
    const char *name;
    gsize len;
} AjarEventFieldName;
extern const AjarEventFieldName ajar_event_fields_known[N_FIELDS];

typedef struct {
    gboolean present;
    AjarJsonType type;
    gboolean is_integer; /* numbers: a whole number that fits gint64 */
    gint64 integer;
    const char *str; /* strings: the decoded bytes, @len of them (not NUL-terminated) */
    gsize len;
    gboolean no_nul; /* strings: known to hold no NUL (the scanner's) */
    gboolean boolean;
    const AjarJsonValue *array; /* arrays (the strict reader's only): its items */
} FieldValue;

typedef struct {
    FieldValue v[N_FIELDS];
    char *owned[N_FIELDS]; /* decoded copies of strings that had escapes */
    gboolean any_owned;
} Fields;

/* Frees what @fields owns; it is not to be used again. */
static inline void
ajar_event_fields_clear(Fields *fields)
{
    if (fields->any_owned) {
        for (int i = 0; i < N_FIELDS; i++)
            g_free(fields->owned[i]);
    }
}

/* The field named by the @len bytes at @key, or -1. */
int ajar_event_field_lookup(const char *key, gsize len);

/* TRUE if @line is a flat object of known keys, each once, with string,
 * whole-number or true/false values, and nothing else (the lines Ajar
 * writes; a list, as images are, goes to the strict reader): then @fields
 * (zeroed by the caller) holds it all. FALSE leaves the line to the strict
 * reader; call ajar_event_fields_clear() either way. It only ever accepts
 * what the strict reader accepts, with the same values. */
gboolean ajar_event_scan_line(const char *line, gsize len, Fields *fields);

G_END_DECLS
