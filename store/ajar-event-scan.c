/* ajar-event-scan.c — the fast scanner for the flat lines Ajar itself
 * writes (an object of known keys whose values are strings or whole
 * numbers, and true or false), which allocates almost nothing: replaying a million lines must
 * not take seconds. Anything it is not sure about (unknown keys, nesting,
 * \u escapes, damage) it leaves to the strict reader (ajar-event-decode.c). */
#include <string.h>

#include "ajar-event-fields.h"

#define NAME(literal)               \
    {                               \
        literal, sizeof literal - 1 \
    }
const AjarEventFieldName ajar_event_fields_known[N_FIELDS] = {
    NAME("seq"),     NAME("ts"),       NAME("event"), NAME("id"),   NAME("dir"),
    NAME("account"), NAME("protocol"), NAME("buddy"), NAME("rule"), NAME("chat"),
    NAME("nick"),    NAME("time"),     NAME("due"),   NAME("text"), NAME("text_base64"),
    NAME("images"),  NAME("stranger"), NAME("quiet"), NAME("ask"),  NAME("message"),
};
#undef NAME

int
ajar_event_field_lookup(const char *key, gsize len)
{
    int i;

    /* By length and first letter first: every line has a dozen keys. */
    switch (len) {
    case 2: i = key[0] == 't' ? FIELD_TS : FIELD_ID; break;
    case 3:
        i = key[0] == 's'                    ? FIELD_SEQ
            : key[0] == 'a'                  ? FIELD_ASK
            : key[0] == 'd' && key[1] == 'i' ? FIELD_DIR
                                             : FIELD_DUE;
        break;
    case 4:
        switch (key[0]) {
        case 'r': i = FIELD_RULE; break;
        case 'c': i = FIELD_CHAT; break;
        case 'n': i = FIELD_NICK; break;
        default: i = key[1] == 'i' ? FIELD_TIME : FIELD_TEXT; break;
        }
        break;
    case 5: i = key[0] == 'e' ? FIELD_EVENT : key[0] == 'q' ? FIELD_QUIET : FIELD_BUDDY; break;
    case 6: i = FIELD_IMAGES; break;
    case 7: i = key[0] == 'a' ? FIELD_ACCOUNT : FIELD_MESSAGE; break;
    case 8: i = key[0] == 's' ? FIELD_STRANGER : FIELD_PROTOCOL; break;
    case 11: i = FIELD_TEXT_BASE64; break;
    default: return -1;
    }
    if (memcmp(ajar_event_fields_known[i].name, key, len) != 0)
        return -1;
    return i;
}

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

/* Scans true or false. */
static const char *
scan_boolean(const char *p, const char *end, FieldValue *v)
{
    if (end - p >= 4 && memcmp(p, "true", 4) == 0) {
        v->boolean = TRUE;
        p += 4;
    } else if (end - p >= 5 && memcmp(p, "false", 5) == 0) {
        v->boolean = FALSE;
        p += 5;
    } else {
        return NULL;
    }
    /* "truex" is no literal: the strict reader words the error. */
    if (p < end && g_ascii_isalnum(*p))
        return NULL;
    v->type = AJAR_JSON_BOOLEAN;
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
        case FIELD_CHAT: match = KEY_IS("chat"); break;
        case FIELD_NICK: match = KEY_IS("nick"); break;
        case FIELD_TIME: match = KEY_IS("time"); break;
        case FIELD_DUE: match = KEY_IS("due"); break;
        case FIELD_TEXT: match = KEY_IS("text"); break;
        case FIELD_TEXT_BASE64: match = KEY_IS("text_base64"); break;
        case FIELD_IMAGES: match = KEY_IS("images"); break;
        case FIELD_STRANGER: match = KEY_IS("stranger"); break;
        case FIELD_QUIET: match = KEY_IS("quiet"); break;
        case FIELD_ASK: match = KEY_IS("ask"); break;
        case FIELD_MESSAGE: match = KEY_IS("message"); break;
        default: match = FALSE; break;
        }
        if (match)
            return field;
    }
    return -1;
#undef KEY_IS
}

gboolean
ajar_event_scan_line(const char *line, gsize len, Fields *fields)
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
            p = key + ajar_event_fields_known[field].len;
        } else {
            while (p < end && ((*p >= 'a' && *p <= 'z') || *p == '_'))
                p++;
            if (p >= end || *p != '"')
                return FALSE;
            field = ajar_event_field_lookup(key, (gsize)(p - key));
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
        else if (p < end && (*p == 't' || *p == 'f'))
            p = scan_boolean(p, end, &fields->v[field]);
        else
            return FALSE; /* lists (images) and the rest: the strict reader */
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
