/* ajar-json.h — a strict JSON reader that remembers where each value was,
 * and the small writer the rules file and the journal share.
 *
 * Why not json-glib's JsonParser: it gives no line/column for a value (its
 * signals say where a value ends), so a validation error could not say where
 * it is; it silently keeps the last of two duplicate keys; and json-glib
 * 1.6.6 (Debian 12) reads mistakes to values the text does not say (0600
 * is 384, 99999999999999999999 is -1, a second top-level value is dropped:
 * /json/json-glib-misreads in tests/unit/test-json.c). Both files Ajar
 * reads are hand-edited or crash-made, i.e. hostile; this reader is RFC 8259 strict (no comments,
 * no trailing commas, no NaN, no lone surrogates, valid UTF-8 only) with a
 * depth limit, and tests/fuzz/fuzz-json.c holds it against json-glib: what
 * it accepts, json-glib reads to the same values. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define AJAR_JSON_ERROR (ajar_json_error_quark())
GQuark ajar_json_error_quark(void);

typedef enum {
    AJAR_JSON_ERROR_SYNTAX,    /* not JSON */
    AJAR_JSON_ERROR_DUPLICATE, /* an object has the same key twice */
    AJAR_JSON_ERROR_TOO_DEEP,  /* nesting beyond AJAR_JSON_MAX_DEPTH */
    AJAR_JSON_ERROR_TOO_MANY,  /* more values than ajar_json_parse_limited() allows */
} AjarJsonError;

#define AJAR_JSON_MAX_DEPTH 64

typedef enum {
    AJAR_JSON_NULL,
    AJAR_JSON_BOOLEAN,
    AJAR_JSON_NUMBER,
    AJAR_JSON_STRING,
    AJAR_JSON_ARRAY,
    AJAR_JSON_OBJECT,
} AjarJsonType;

typedef struct _AjarJsonValue AjarJsonValue;

/* A parsed value. Read-only for users; freed with its root. */
struct _AjarJsonValue {
    AjarJsonType type;
    guint line;   /* 1-based position of the value's first character */
    guint column; /* 1-based, counted in bytes */
    /* Set when this value is a member of an object: */
    char *key; /* NUL-terminated, valid UTF-8 (may contain "\u0000" as a byte 0: see key_len) */
    gsize key_len;
    guint key_line;
    guint key_column;
    gboolean boolean;
    double number;
    gboolean is_integer; /* the number had no fraction/exponent and fits gint64 */
    gint64 integer;
    char *string; /* NUL-terminated UTF-8; string_len excludes the NUL */
    gsize string_len;
    GPtrArray *items; /* AjarJsonValue*, for arrays and objects (members in file order) */
};

/* Parses one JSON text (exactly one value, optional whitespace around it).
 * @len: -1 for a NUL-terminated buffer.
 * Returns: (transfer full) (nullable): the root, or NULL with @error set
 * (AJAR_JSON_ERROR, message "LINE:COLUMN: reason", without an origin). */
AjarJsonValue *ajar_json_parse(const char *text, gssize len, GError **error);

/* The same, refusing a text with more than @max_values values (arrays,
 * objects and their members each count; 0: no limit) as soon as it gets
 * there, so a hostile file costs no more than that. */
AjarJsonValue *ajar_json_parse_limited(const char *text, gssize len, guint max_values,
                                       GError **error);

/* Frees a tree returned by ajar_json_parse(). NULL is fine. */
void ajar_json_value_free(AjarJsonValue *value);

/* Returns: (transfer none) (nullable): the member named @key of an object. */
const AjarJsonValue *ajar_json_object_get(const AjarJsonValue *object, const char *key);

/* "string", "number", ... for error messages. Returns a static string. */
const char *ajar_json_type_name(AjarJsonType type);

/* Appends @str (@len bytes, -1 for NUL-terminated) to @out as a quoted JSON
 * string. Invalid UTF-8 is replaced by U+FFFD; callers that must not lose
 * bytes check g_utf8_validate() first (the journal stores such text base64). */
void ajar_json_append_string(GString *out, const char *str, gssize len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(AjarJsonValue, ajar_json_value_free)

G_END_DECLS
