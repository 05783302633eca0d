/* ajar-event-decode.c — reading one journal line into an event.
 *
 * Two front ends fill one table of fields, and one set of checks turns it
 * into an event or a one-line reason:
 * - a scanner for the flat lines Ajar itself writes (an object of known keys
 *   whose values are strings or whole numbers), which allocates almost
 *   nothing: replaying a million lines must not take seconds;
 * - the strict JSON reader, for every line the scanner is not sure about
 *   (unknown keys, nesting, \u escapes, damage). It alone words errors.
 * The scanner only ever accepts what the strict reader accepts, with the
 * same result; the tests compare both on many damaged lines. */
#include "ajar/ajar-event.h"

#include <string.h>

#include "ajar/ajar-json.h"
#include "ajar-event-private.h"

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
    FIELD_TIME,
    FIELD_DUE,
    FIELD_TEXT,
    FIELD_TEXT_BASE64,
    FIELD_MESSAGE,
    N_FIELDS,
} Field;

#define NAME(literal)               \
    {                               \
        literal, sizeof literal - 1 \
    }
static const struct {
    const char *name;
    gsize len;
} fields_known[N_FIELDS] = {
    NAME("seq"),     NAME("ts"),       NAME("event"),       NAME("id"),      NAME("dir"),
    NAME("account"), NAME("protocol"), NAME("buddy"),       NAME("rule"),    NAME("time"),
    NAME("due"),     NAME("text"),     NAME("text_base64"), NAME("message"),
};
#undef NAME

typedef struct {
    gboolean present;
    AjarJsonType type;
    gboolean is_integer; /* numbers: a whole number that fits gint64 */
    gint64 integer;
    const char *str; /* strings: the decoded bytes, @len of them (not NUL-terminated) */
    gsize len;
    gboolean no_nul; /* strings: known to hold no NUL (the scanner's) */
} FieldValue;

typedef struct {
    FieldValue v[N_FIELDS];
    char *owned[N_FIELDS]; /* decoded copies of strings that had escapes */
    gboolean any_owned;
} Fields;

/* Frees what @fields owns; it is not to be used again. */
static void
fields_clear(Fields *fields)
{
    if (fields->any_owned) {
        for (int i = 0; i < N_FIELDS; i++)
            g_free(fields->owned[i]);
    }
}

static int
field_lookup(const char *key, gsize len)
{
    int i;

    /* By length and first letter first: every line has a dozen keys. */
    switch (len) {
    case 2: i = key[0] == 't' ? FIELD_TS : FIELD_ID; break;
    case 3:
        i = key[0] == 's' ? FIELD_SEQ : key[0] == 'd' && key[1] == 'i' ? FIELD_DIR : FIELD_DUE;
        break;
    case 4: i = key[0] == 'r' ? FIELD_RULE : key[1] == 'i' ? FIELD_TIME : FIELD_TEXT; break;
    case 5: i = key[0] == 'e' ? FIELD_EVENT : FIELD_BUDDY; break;
    case 7: i = key[0] == 'a' ? FIELD_ACCOUNT : FIELD_MESSAGE; break;
    case 8: i = FIELD_PROTOCOL; break;
    case 11: i = FIELD_TEXT_BASE64; break;
    default: return -1;
    }
    if (memcmp(fields_known[i].name, key, len) != 0)
        return -1;
    return i;
}

/* ---- the fast scanner ---- */

static const char *
skip_space(const char *p, const char *end)
{
    /* Ajar writes no spaces: one test for the usual case. */
    if (p < end && (guchar)*p > ' ')
        return p;
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    return p;
}

/* Printable ASCII but the quote and the backslash: bytes a string scan
 * passes over without a second look. */
#define PLAIN_8(c) ((c) >= 0x20 && (c) < 0x80 && (c) != '"' && (c) != '\\')
#define PLAIN_ROW(c)                                                                            \
    PLAIN_8(c), PLAIN_8(c + 1), PLAIN_8(c + 2), PLAIN_8(c + 3), PLAIN_8(c + 4), PLAIN_8(c + 5), \
        PLAIN_8(c + 6), PLAIN_8(c + 7)
static const gboolean plain_byte[256] = {
    PLAIN_ROW(0x00), PLAIN_ROW(0x08), PLAIN_ROW(0x10), PLAIN_ROW(0x18),
    PLAIN_ROW(0x20), PLAIN_ROW(0x28), PLAIN_ROW(0x30), PLAIN_ROW(0x38),
    PLAIN_ROW(0x40), PLAIN_ROW(0x48), PLAIN_ROW(0x50), PLAIN_ROW(0x58),
    PLAIN_ROW(0x60), PLAIN_ROW(0x68), PLAIN_ROW(0x70), PLAIN_ROW(0x78),
};
#undef PLAIN_ROW
#undef PLAIN_8

/* Eight bytes at a time: nonzero if any of them is not plain (below 0x20,
 * 0x80 or above, a quote or a backslash). Exact for "any", which is all the
 * scan asks; it then finds the byte one at a time. */
#define ONES G_GUINT64_CONSTANT(0x0101010101010101)
#define HIGHS G_GUINT64_CONSTANT(0x8080808080808080)
static inline guint64
not_plain_8(guint64 w)
{
    guint64 quote = w ^ (ONES * '"'), backslash = w ^ (ONES * '\\');

    return (((w - ONES * 0x20) & ~w) | ((quote - ONES) & ~quote) |
            ((backslash - ONES) & ~backslash) | w) &
           HIGHS;
}
#undef ONES
#undef HIGHS

/* The length of the UTF-8 sequence at @p (its first byte 0x80 or above) if
 * it is one g_utf8_validate() accepts (shortest form, no surrogate, at most
 * U+10FFFF), else 0. */
static gsize
utf8_sequence(const guchar *p, const guchar *end)
{
    guchar c = p[0];

    if (c >= 0xC2 && c <= 0xDF)
        return end - p >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        guchar lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
        return end - p >= 3 && p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        guchar lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        return end - p >= 4 && p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 &&
                       (p[3] & 0xC0) == 0x80
                   ? 4
                   : 0;
    }
    return 0;
}

/* Scans a string after its opening quote. Returns the byte after the closing
 * quote, or NULL to leave the line to the strict reader. */
static const char *
scan_string(const char *p, const char *end, Fields *fields, Field field)
{
    const char *start = p;
    gboolean escapes = FALSE;
    FieldValue *v = &fields->v[field];

    for (;;) {
        guchar c;
        gsize sequence;
        /* The usual bytes first: eight at a time, then one table look-up
         * each up to the first that needs a second look. */
        while (end - p >= 8) {
            guint64 word, found;
            memcpy(&word, p, sizeof word);
            found = not_plain_8(word);
            if (found != 0) {
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
                /* The lowest flag is exact: it is the first such byte. */
                p += __builtin_ctzll(found) / 8;
#endif
                break;
            }
            p += 8;
        }
        while (p < end && plain_byte[(guchar)*p])
            p++;
        if (p >= end || *p == '"')
            break;
        c = (guchar)*p;
        if (c < 0x20)
            return NULL;
        if (c == '\\') {
            /* \u (control characters, surrogates, NUL) is rare: strict reader. */
            if (p + 1 >= end || p[1] == '\0' || strchr("\"\\/bfnrt", p[1]) == NULL)
                return NULL;
            escapes = TRUE;
            p += 2;
            continue;
        }
        /* 0x80 and above: valid UTF-8 (as g_utf8_validate() judges it), one
         * character at a time, in the same pass. */
        sequence = utf8_sequence((const guchar *)p, (const guchar *)end);
        if (sequence == 0)
            return NULL;
        p += sequence;
    }
    if (p >= end)
        return NULL;
    v->type = AJAR_JSON_STRING;
    v->str = start;
    v->len = (gsize)(p - start);
    /* It has no byte below 0x20, and its escapes are none of \u. */
    v->no_nul = TRUE;
    if (escapes) {
        char *out = g_malloc(v->len + 1);
        gsize n = 0;
        for (const char *q = start; q < p; q++) {
            if (*q != '\\') {
                out[n++] = *q;
                continue;
            }
            q++;
            switch (*q) {
            case 'b': out[n++] = '\b'; break;
            case 'f': out[n++] = '\f'; break;
            case 'n': out[n++] = '\n'; break;
            case 'r': out[n++] = '\r'; break;
            case 't': out[n++] = '\t'; break;
            default: out[n++] = *q; break; /* " \ / */
            }
        }
        out[n] = '\0';
        fields->owned[field] = out;
        fields->any_owned = TRUE;
        v->str = out;
        v->len = n;
    }
    return p + 1;
}

/* Scans a whole number (no sign, no fraction, at most 18 digits). */
static const char *
scan_integer(const char *p, const char *end, FieldValue *v)
{
    gint64 value = 0;
    int digits = 0;

    if (*p == '0' && p + 1 < end && g_ascii_isdigit(p[1]))
        return NULL;
    for (; p < end && g_ascii_isdigit(*p); p++) {
        if (++digits > 18)
            return NULL;
        value = value * 10 + (*p - '0');
    }
    if (p < end && (*p == '.' || *p == 'e' || *p == 'E'))
        return NULL;
    v->type = AJAR_JSON_NUMBER;
    v->is_integer = TRUE;
    v->integer = value;
    return p;
}

/* Ajar writes its keys in the order of Field: the field whose name and
 * closing quote start at @key, among the few from @next on, else -1 (the
 * scan then reads the key byte by byte). Only ever the field that scan finds. */
static int
predict_key(const char *key, const char *end, int next)
{
#define KEY_IS(literal) \
    (end - key >= (gssize)sizeof literal && memcmp(key, literal "\"", sizeof literal) == 0)
    for (int field = next; field < N_FIELDS && field < next + 3; field++) {
        gboolean match;

        switch ((Field)field) {
        case FIELD_SEQ: match = KEY_IS("seq"); break;
        case FIELD_TS: match = KEY_IS("ts"); break;
        case FIELD_EVENT: match = KEY_IS("event"); break;
        case FIELD_ID: match = KEY_IS("id"); break;
        case FIELD_DIR: match = KEY_IS("dir"); break;
        case FIELD_ACCOUNT: match = KEY_IS("account"); break;
        case FIELD_PROTOCOL: match = KEY_IS("protocol"); break;
        case FIELD_BUDDY: match = KEY_IS("buddy"); break;
        case FIELD_RULE: match = KEY_IS("rule"); break;
        case FIELD_TIME: match = KEY_IS("time"); break;
        case FIELD_DUE: match = KEY_IS("due"); break;
        case FIELD_TEXT: match = KEY_IS("text"); break;
        case FIELD_TEXT_BASE64: match = KEY_IS("text_base64"); break;
        case FIELD_MESSAGE: match = KEY_IS("message"); break;
        default: match = FALSE; break;
        }
        if (match)
            return field;
    }
    return -1;
#undef KEY_IS
}

/* TRUE if @line is a flat object of known keys, each once, with string or
 * whole-number values, and nothing else: then @fields holds it all. */
static gboolean
scan_line(const char *line, gsize len, Fields *fields)
{
    const char *p = line, *end = line + len;
    guint seen = 0;
    int next = 0;

    p = skip_space(p, end);
    if (p >= end || *p != '{')
        return FALSE;
    p = skip_space(p + 1, end);
    for (;;) {
        const char *key;
        int field;

        if (p >= end || *p != '"')
            return FALSE;
        key = ++p;
        field = predict_key(key, end, next);
        if (field >= 0) {
            p = key + fields_known[field].len;
        } else {
            while (p < end && ((*p >= 'a' && *p <= 'z') || *p == '_'))
                p++;
            if (p >= end || *p != '"')
                return FALSE;
            field = field_lookup(key, (gsize)(p - key));
        }
        next = field + 1;
        if (field < 0 || (seen & (1u << field)) != 0)
            return FALSE;
        seen |= 1u << field;
        p = skip_space(p + 1, end);
        if (p >= end || *p != ':')
            return FALSE;
        p = skip_space(p + 1, end);
        if (p < end && *p == '"')
            p = scan_string(p + 1, end, fields, (Field)field);
        else if (p < end && g_ascii_isdigit(*p))
            p = scan_integer(p, end, &fields->v[field]);
        else
            return FALSE;
        if (p == NULL)
            return FALSE;
        fields->v[field].present = TRUE;
        p = skip_space(p, end);
        if (p < end && *p == ',') {
            p = skip_space(p + 1, end);
            continue;
        }
        if (p < end && *p == '}')
            break;
        return FALSE;
    }
    return skip_space(p + 1, end) == end;
}

/* ---- the strict reader's tree into fields ---- */

static void
fields_from_tree(const AjarJsonValue *root, Fields *fields)
{
    for (guint i = 0; i < root->items->len; i++) {
        const AjarJsonValue *member = g_ptr_array_index(root->items, i);
        int field = field_lookup(member->key, member->key_len);
        FieldValue *v;

        if (field < 0)
            continue; /* unknown fields are ignored */
        v = &fields->v[field];
        v->present = TRUE;
        v->type = member->type;
        v->is_integer = member->type == AJAR_JSON_NUMBER && member->is_integer;
        v->integer = member->integer;
        v->str = member->string;
        v->len = member->string_len;
    }
}

/* ---- checks ---- */

static gboolean G_GNUC_PRINTF(2, 3)
fail(GError **error, const char *format, ...)
{
    va_list args;
    g_autofree char *message = NULL;

    va_start(args, format);
    message = g_strdup_vprintf(format, args);
    va_end(args);
    g_set_error_literal(error, AJAR_EVENT_ERROR, AJAR_EVENT_ERROR_MALFORMED, message);
    return FALSE;
}

/* The field as a string, or NULL when absent and not @required. */
static gboolean
get_string(const Fields *fields, Field field, gboolean required, const char *event_name,
           const FieldValue **out, GError **error)
{
    const FieldValue *v = &fields->v[field];

    *out = NULL;
    if (!v->present) {
        if (required)
            return fail(error, "%s: missing (required in %s events)", fields_known[field].name,
                        event_name);
        return TRUE;
    }
    if (v->type != AJAR_JSON_STRING)
        return fail(error, "%s: must be a string, not %s", fields_known[field].name,
                    ajar_json_type_name(v->type));
    *out = v;
    return TRUE;
}

/* get_string() for a string that must hold no NUL. */
static gboolean
get_text_field(const Fields *fields, Field field, gboolean required, const char *event_name,
               const FieldValue **out, GError **error)
{
    if (!get_string(fields, field, required, event_name, out, error))
        return FALSE;
    if (*out != NULL && !(*out)->no_nul && memchr((*out)->str, '\0', (*out)->len) != NULL)
        return fail(error, "%s: must not contain a NUL character (\\u0000)",
                    fields_known[field].name);
    return TRUE;
}

/* A NUL-terminated copy of @len bytes at @str: in @scratch when it is given,
 * else on the heap. */
static char *
copy_name(AjarEventScratch *scratch, const char *str, gsize len)
{
    char *out;

    if (scratch == NULL) {
        out = g_malloc(len + 1);
    } else if (len < scratch->size - scratch->used) {
        out = scratch->buf + scratch->used;
        scratch->used += len + 1;
    } else {
        /* Room was made for the line's strings; this only guards the bound. */
        if (scratch->overflow == NULL)
            scratch->overflow = g_ptr_array_new_with_free_func(g_free);
        out = g_malloc(len + 1);
        g_ptr_array_add(scratch->overflow, out);
    }
    /* (g_strndup() would scan the bytes once more for a NUL.) */
    memcpy(out, str, len);
    out[len] = '\0';
    return out;
}

static gboolean
get_name(const Fields *fields, Field field, gboolean required, const char *event_name,
         AjarEventScratch *scratch, char **out, GError **error)
{
    const FieldValue *v;

    if (!get_text_field(fields, field, required, event_name, &v, error))
        return FALSE;
    if (v == NULL)
        return TRUE;
    *out = copy_name(scratch, v->str, v->len);
    return TRUE;
}

static gboolean
get_time(const Fields *fields, Field field, gboolean required, const char *event_name,
         AjarEventScratch *scratch, gint64 *out, GError **error)
{
    const FieldValue *v;
    char buf[64];

    if (!get_string(fields, field, required, event_name, &v, error))
        return FALSE;
    if (v == NULL)
        return TRUE;
    if (ajar_time_parse_canonical(v->str, v->len, scratch != NULL ? &scratch->time_cache : NULL,
                                  out))
        return TRUE;
    /* Any valid time is far shorter than the buffer. */
    if (v->len >= sizeof buf || memchr(v->str, '\0', v->len) != NULL)
        goto bad;
    memcpy(buf, v->str, v->len);
    buf[v->len] = '\0';
    if (ajar_time_parse_iso8601(buf, out))
        return TRUE;
bad:
    return fail(error, "%s: must be a time with a UTC offset, like 2026-11-27T21:04:09Z",
                fields_known[field].name);
}

static gboolean
is_base64(const char *s, gsize len)
{
    gsize pad = 0;

    if (len % 4 != 0)
        return FALSE;
    for (gsize i = 0; i < len; i++) {
        char c = s[i];
        if (c == '=')
            pad++;
        else if (pad > 0 || !(g_ascii_isalnum(c) || c == '+' || c == '/'))
            return FALSE;
    }
    return pad <= 2;
}

static gboolean
get_text(const Fields *fields, gboolean required, const char *event_name, AjarEventScratch *scratch,
         AjarEvent *event, GError **error)
{
    const FieldValue *text, *b64;

    if (!get_string(fields, FIELD_TEXT, FALSE, NULL, &text, error) ||
        !get_string(fields, FIELD_TEXT_BASE64, FALSE, NULL, &b64, error))
        return FALSE;
    if (text != NULL && b64 != NULL)
        return fail(error, "text, text_base64: only one of them may be present");
    if (text != NULL) {
        event->text = copy_name(scratch, text->str, text->len);
        event->text_len = text->len;
    } else if (b64 != NULL) {
        g_autofree char *copy = g_strndup(b64->str, b64->len);
        g_autofree guchar *bytes = NULL;
        gsize len = 0;
        if (!is_base64(b64->str, b64->len))
            return fail(error, "text_base64: must be base64 (RFC 4648, with padding)");
        bytes = g_base64_decode(copy, &len);
        event->text = copy_name(scratch, (const char *)bytes, len);
        event->text_len = len;
    } else if (required) {
        return fail(error, "text: missing (required in %s events)", event_name);
    }
    return TRUE;
}

static gboolean
type_is_outcome(AjarEventType type)
{
    return type >= AJAR_EVENT_RELEASED && type <= AJAR_EVENT_READ;
}

static gboolean
check_fields(const Fields *fields, AjarEvent *event, const char *name, AjarEventScratch *scratch,
             GError **error)
{
    gboolean custody = ajar_event_type_is_custody(event->type);
    gboolean needs_id = custody || type_is_outcome(event->type);
    const FieldValue *dir = NULL;

    /* A "sent" without an id is an outgoing message that passed: it carries
     * the rule instead, for the streak. */
    if (event->type == AJAR_EVENT_SENT && !fields->v[FIELD_ID].present) {
        needs_id = FALSE;
        if (!fields->v[FIELD_RULE].present)
            return fail(error, "id: missing (a sent event needs an id, or a rule for a message "
                               "that passed)");
    }
    if (!get_name(fields, FIELD_ID, needs_id, name, scratch, &event->id, error) ||
        !get_text_field(fields, FIELD_DIR, custody, name, &dir, error) ||
        !get_name(fields, FIELD_ACCOUNT, custody, name, scratch, &event->account, error) ||
        !get_name(fields, FIELD_PROTOCOL, custody, name, scratch, &event->protocol, error) ||
        !get_name(fields, FIELD_BUDDY, custody, name, scratch, &event->buddy, error) ||
        !get_name(fields, FIELD_RULE, custody, name, scratch, &event->rule, error) ||
        !get_time(fields, FIELD_TIME, custody, name, scratch, &event->time, error) ||
        !get_time(fields, FIELD_DUE, event->type == AJAR_EVENT_DELAYED, name, scratch, &event->due,
                  error) ||
        !get_text(fields, custody, name, scratch, event, error) ||
        !get_name(fields, FIELD_MESSAGE, FALSE, name, scratch, &event->message, error))
        return FALSE;
    if (dir != NULL) {
        if (dir->len == 2 && memcmp(dir->str, "in", 2) == 0)
            event->dir = AJAR_DIRECTION_IN;
        else if (dir->len == 3 && memcmp(dir->str, "out", 3) == 0)
            event->dir = AJAR_DIRECTION_OUT;
        else
            return fail(error, "dir: must be \"in\" or \"out\"");
        event->has_dir = TRUE;
    }
    return TRUE;
}

/* Fills @event (zeroed, type AJAR_EVENT_UNKNOWN) from @fields. On failure
 * @event may hold some fields already. */
static gboolean
event_from_fields(const Fields *fields, AjarEvent *event, AjarEventScratch *scratch, GError **error)
{
    const FieldValue *seq = &fields->v[FIELD_SEQ];
    const FieldValue *name_value;
    char name_buf[32]; /* every event name this version knows fits */
    g_autofree char *long_name = NULL;
    const char *name;

    if (!seq->present) {
        fail(error, "seq: missing");
        return FALSE;
    }
    if (seq->type != AJAR_JSON_NUMBER || !seq->is_integer || seq->integer < 1) {
        fail(error, "seq: must be a positive whole number");
        return FALSE;
    }
    event->seq = seq->integer;
    if (!fields->v[FIELD_TS].present) {
        fail(error, "ts: missing");
        return FALSE;
    }
    if (!get_time(fields, FIELD_TS, TRUE, NULL, scratch, &event->ts, error))
        return FALSE;
    if (!fields->v[FIELD_EVENT].present) {
        fail(error, "event: missing");
        return FALSE;
    }
    if (!get_text_field(fields, FIELD_EVENT, TRUE, NULL, &name_value, error))
        return FALSE;
    if (name_value->len < sizeof name_buf) {
        memcpy(name_buf, name_value->str, name_value->len);
        name_buf[name_value->len] = '\0';
        name = name_buf;
    } else {
        name = long_name = g_strndup(name_value->str, name_value->len);
    }
    if (name[0] == '\0') {
        fail(error, "event: must not be empty");
        return FALSE;
    }
    event->type = ajar_event_type_from_string(name);
    if (event->type == AJAR_EVENT_UNKNOWN) {
        /* A newer version's event: kept by name, its fields are not ours to judge. */
        const FieldValue *id = &fields->v[FIELD_ID];
        if (id->present && id->type == AJAR_JSON_STRING && memchr(id->str, '\0', id->len) == NULL)
            event->id = copy_name(scratch, id->str, id->len);
        event->event_name = copy_name(scratch, name, strlen(name));
        return TRUE;
    }
    return check_fields(fields, event, name, scratch, error);
}

/* The strict reader into @event; see event_from_fields(). */
static gboolean
decode_strict(const char *line, gsize len, AjarEvent *event, AjarEventScratch *scratch,
              GError **error)
{
    g_autoptr(AjarJsonValue) root = NULL;
    g_autoptr(GError) json_error = NULL;
    Fields fields = { 0 };
    gboolean ok;
    gsize i;

    for (i = 0; i < len && g_ascii_isspace(line[i]); i++)
        ;
    if (i == len)
        return fail(error, "empty line");
    if (len > G_MAXSSIZE)
        return fail(error, "line too long");
    root = ajar_json_parse(line, (gssize)len, &json_error);
    if (root == NULL) {
        /* A line holds no newline, so the reader's "1:COLUMN" is just a column. */
        const char *where = json_error->message;
        if (g_str_has_prefix(where, "1:"))
            return fail(error, "not JSON: column %s", where + 2);
        return fail(error, "not JSON: %s", where);
    }
    if (root->type != AJAR_JSON_OBJECT)
        return fail(error, "must be a JSON object, not %s", ajar_json_type_name(root->type));
    fields_from_tree(root, &fields);
    ok = event_from_fields(&fields, event, scratch, error);
    fields_clear(&fields);
    return ok;
}

/* The scanner, else the strict reader, into @event. */
static gboolean
decode(const char *line, gsize len, AjarEvent *event, AjarEventScratch *scratch, GError **error)
{
    Fields fields = { 0 };
    gboolean ok;

    if (len == 0 || !scan_line(line, len, &fields)) {
        fields_clear(&fields);
        return decode_strict(line, len, event, scratch, error);
    }
    ok = event_from_fields(&fields, event, scratch, error);
    fields_clear(&fields);
    return ok;
}

AjarEvent *
ajar_event_decode_strict(const char *line, gsize len, GError **error)
{
    g_autoptr(AjarEvent) event = NULL;

    g_return_val_if_fail(line != NULL || len == 0, NULL);
    event = ajar_event_new(AJAR_EVENT_UNKNOWN);
    if (!decode_strict(line, len, event, NULL, error))
        return NULL;
    return g_steal_pointer(&event);
}

AjarEvent *
ajar_event_decode(const char *line, gsize len, GError **error)
{
    g_autoptr(AjarEvent) event = NULL;

    g_return_val_if_fail(line != NULL || len == 0, NULL);
    event = ajar_event_new(AJAR_EVENT_UNKNOWN);
    if (!decode(line, len, event, NULL, error))
        return NULL;
    return g_steal_pointer(&event);
}

/* Past this the strings' buffer is given back after a line. */
#define NAMES_KEEP_BYTES (64 * 1024)

gboolean
ajar_event_decode_into(const char *line, gsize len, AjarEventScratch *scratch, AjarEvent *event,
                       GError **error)
{
    g_return_val_if_fail(line != NULL || len == 0, FALSE);
    g_return_val_if_fail(scratch != NULL && event != NULL, FALSE);
    memset(event, 0, sizeof *event);
    if (scratch->overflow != NULL)
        g_ptr_array_set_size(scratch->overflow, 0);
    /* The strings together are never longer than the line, plus a NUL each. */
    if (scratch->size > NAMES_KEEP_BYTES && len + N_FIELDS < NAMES_KEEP_BYTES)
        g_clear_pointer(&scratch->buf, g_free);
    if (scratch->buf == NULL || scratch->size < len + N_FIELDS) {
        g_free(scratch->buf);
        scratch->size = MAX(len + N_FIELDS, 1024);
        scratch->buf = g_malloc(scratch->size);
    }
    scratch->used = 0;
    if (!decode(line, len, event, scratch, error)) {
        memset(event, 0, sizeof *event);
        return FALSE;
    }
    return TRUE;
}

void
ajar_event_scratch_clear(AjarEventScratch *scratch)
{
    g_free(scratch->buf);
    if (scratch->overflow != NULL)
        g_ptr_array_unref(scratch->overflow);
    memset(scratch, 0, sizeof *scratch);
}
