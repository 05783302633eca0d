/* ajar-json.c — strict JSON reader with positions (the string writer is
 * ajar-json-write.c). */
#include "ajar/ajar-json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ajar/ajar-i18n.h"

G_DEFINE_QUARK(ajar_json_error_quark, ajar_json_error)

typedef struct {
    const char *p;
    const char *end;
    const char *line_start;
    guint line;
    guint depth;
    guint values, max_values; /* read so far; the most allowed (0: any number) */
    GError **error;
} Reader;

static guint
reader_column(const Reader *r, const char *at)
{
    return (guint)(at - r->line_start) + 1;
}

static void G_GNUC_PRINTF(4, 5)
reader_fail(Reader *r, const char *at, AjarJsonError code, const char *format, ...)
{
    va_list args;
    g_autofree char *reason = NULL;

    if (r->error == NULL || *r->error != NULL)
        return;
    va_start(args, format);
    reason = g_strdup_vprintf(format, args);
    va_end(args);
    g_set_error(r->error, AJAR_JSON_ERROR, code, "%u:%u: %s", r->line, reader_column(r, at),
                reason);
}

/* Describes the character at @at for an error message, always printable:
 * what "found %s" and "unexpected %s" below put in. */
static char *
describe_char(const Reader *r, const char *at)
{
    unsigned char c;

    if (at >= r->end)
        /* TRANSLATORS: as in "expected ':' after a key, found end of file". */
        return g_strdup(_("end of file"));
    c = (unsigned char)*at;
    if (c >= 0x21 && c < 0x7f && c != '\'')
        return g_strdup_printf("'%c'", c);
    if (c == '\'')
        return g_strdup("\"'\"");
    /* TRANSLATORS: as in "expected a value, found byte 0x1B". */
    return g_strdup_printf(_("byte 0x%02X"), c);
}

static void
skip_space(Reader *r)
{
    while (r->p < r->end) {
        char c = *r->p;
        if (c == '\n') {
            r->p++;
            r->line++;
            r->line_start = r->p;
        } else if (c == ' ' || c == '\t' || c == '\r') {
            r->p++;
        } else {
            break;
        }
    }
}

static AjarJsonValue *
value_new(Reader *r, AjarJsonType type, const char *at)
{
    AjarJsonValue *v = g_new0(AjarJsonValue, 1);
    v->type = type;
    v->line = r->line;
    v->column = reader_column(r, at);
    return v;
}

void
ajar_json_value_free(AjarJsonValue *value)
{
    if (value == NULL)
        return;
    g_free(value->key);
    g_free(value->string);
    if (value->items != NULL)
        g_ptr_array_unref(value->items);
    g_free(value);
}

static int
hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static gboolean
read_hex4(Reader *r, const char *at, gunichar *out)
{
    gunichar v = 0;

    if (r->end - at < 4) {
        reader_fail(r, at, AJAR_JSON_ERROR_SYNTAX, _("\\u must be followed by four hex digits"));
        return FALSE;
    }
    for (int i = 0; i < 4; i++) {
        int h = hex_value(at[i]);
        if (h < 0) {
            reader_fail(r, at, AJAR_JSON_ERROR_SYNTAX,
                        _("\\u must be followed by four hex digits"));
            return FALSE;
        }
        v = (v << 4) | (gunichar)h;
    }
    *out = v;
    return TRUE;
}

/* Reads a string starting at the opening quote. Strings cannot span lines
 * (raw control characters are not allowed), so columns stay right. */
static gboolean
read_string(Reader *r, char **out, gsize *out_len)
{
    const char *start = r->p;
    g_autoptr(GString) buf = NULL;
    const char *run;

    r->p++; /* the quote */
    run = r->p;
    /* Fast path: no escapes. */
    while (r->p < r->end && *r->p != '"' && *r->p != '\\' && (unsigned char)*r->p >= 0x20)
        r->p++;
    buf = g_string_sized_new((gsize)(r->p - run) + 16);
    for (;;) {
        const char *bad;

        if (r->p > run) {
            if (!g_utf8_validate(run, r->p - run, &bad)) {
                reader_fail(r, bad, AJAR_JSON_ERROR_SYNTAX, _("invalid UTF-8 in a string"));
                return FALSE;
            }
            g_string_append_len(buf, run, r->p - run);
        }
        if (r->p >= r->end) {
            reader_fail(r, start, AJAR_JSON_ERROR_SYNTAX, _("unterminated string"));
            return FALSE;
        }
        if (*r->p == '"') {
            r->p++;
            break;
        }
        if ((unsigned char)*r->p < 0x20) {
            reader_fail(r, r->p, AJAR_JSON_ERROR_SYNTAX,
                        /* TRANSLATORS: the same byte twice, as a number and as JSON's
                         * escape for it; keep \u as it is. */
                        _("control character (byte 0x%02X) in a string; write it as \\u%04X"),
                        (unsigned char)*r->p, (unsigned char)*r->p);
            return FALSE;
        }
        /* a backslash */
        if (r->end - r->p < 2) {
            reader_fail(r, start, AJAR_JSON_ERROR_SYNTAX, _("unterminated string"));
            return FALSE;
        }
        switch (r->p[1]) {
        case '"':
            g_string_append_c(buf, '"');
            r->p += 2;
            break;
        case '\\':
            g_string_append_c(buf, '\\');
            r->p += 2;
            break;
        case '/':
            g_string_append_c(buf, '/');
            r->p += 2;
            break;
        case 'b':
            g_string_append_c(buf, '\b');
            r->p += 2;
            break;
        case 'f':
            g_string_append_c(buf, '\f');
            r->p += 2;
            break;
        case 'n':
            g_string_append_c(buf, '\n');
            r->p += 2;
            break;
        case 'r':
            g_string_append_c(buf, '\r');
            r->p += 2;
            break;
        case 't':
            g_string_append_c(buf, '\t');
            r->p += 2;
            break;
        case 'u': {
            gunichar cp;
            if (!read_hex4(r, r->p + 2, &cp))
                return FALSE;
            if (cp >= 0xDC00 && cp <= 0xDFFF) {
                reader_fail(r, r->p, AJAR_JSON_ERROR_SYNTAX, _("lone low surrogate \\u%04X"), cp);
                return FALSE;
            }
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                gunichar low;
                if (r->end - r->p < 12 || r->p[6] != '\\' || r->p[7] != 'u' ||
                    !read_hex4(r, r->p + 8, &low) || low < 0xDC00 || low > 0xDFFF) {
                    if (r->error == NULL || *r->error == NULL)
                        reader_fail(r, r->p, AJAR_JSON_ERROR_SYNTAX,
                                    _("lone high surrogate \\u%04X"), cp);
                    return FALSE;
                }
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                r->p += 12;
            } else {
                r->p += 6;
            }
            g_string_append_unichar(buf, cp);
            break;
        }
        default: {
            g_autofree char *what = describe_char(r, r->p + 1);
            reader_fail(r, r->p, AJAR_JSON_ERROR_SYNTAX, _("unknown escape \\ followed by %s"),
                        what);
            return FALSE;
        }
        }
        run = r->p;
        while (r->p < r->end && *r->p != '"' && *r->p != '\\' && (unsigned char)*r->p >= 0x20)
            r->p++;
    }
    *out_len = buf->len;
    *out = g_string_free(g_steal_pointer(&buf), FALSE);
    return TRUE;
}

static gboolean
read_number(Reader *r, AjarJsonValue *v)
{
    const char *start = r->p;
    const char *q = r->p;
    gboolean integral = TRUE;
    g_autofree char *copy = NULL;

    if (q < r->end && *q == '-')
        q++;
    if (q >= r->end || !g_ascii_isdigit(*q)) {
        reader_fail(r, start, AJAR_JSON_ERROR_SYNTAX, _("invalid number"));
        return FALSE;
    }
    if (*q == '0' && q + 1 < r->end && g_ascii_isdigit(q[1])) {
        reader_fail(r, start, AJAR_JSON_ERROR_SYNTAX, _("numbers must not start with 0"));
        return FALSE;
    }
    while (q < r->end && g_ascii_isdigit(*q))
        q++;
    if (q < r->end && *q == '.') {
        integral = FALSE;
        q++;
        if (q >= r->end || !g_ascii_isdigit(*q)) {
            reader_fail(r, start, AJAR_JSON_ERROR_SYNTAX,
                        _("invalid number: digits must follow '.'"));
            return FALSE;
        }
        while (q < r->end && g_ascii_isdigit(*q))
            q++;
    }
    if (q < r->end && (*q == 'e' || *q == 'E')) {
        integral = FALSE;
        q++;
        if (q < r->end && (*q == '+' || *q == '-'))
            q++;
        if (q >= r->end || !g_ascii_isdigit(*q)) {
            reader_fail(r, start, AJAR_JSON_ERROR_SYNTAX,
                        _("invalid number: digits must follow the exponent"));
            return FALSE;
        }
        while (q < r->end && g_ascii_isdigit(*q))
            q++;
    }
    copy = g_strndup(start, q - start);
    v->number = g_ascii_strtod(copy, NULL);
    if (integral) {
        char *endp = NULL;
        errno = 0;
        v->integer = g_ascii_strtoll(copy, &endp, 10);
        v->is_integer = (errno == 0 && endp != NULL && *endp == '\0');
    }
    r->p = q;
    return TRUE;
}

static gboolean
match_word(Reader *r, const char *word)
{
    gsize n = strlen(word);
    if ((gsize)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
        return FALSE;
    r->p += n;
    return TRUE;
}

static AjarJsonValue *read_value(Reader *r);

/* Objects up to this many members look for a key twice by comparing with
 * each member (every object in Ajar's files is that small); larger ones
 * with a table. A table for each small object cost more than the rest of
 * reading it. */
#define KEY_SCAN_MAX 16

static gboolean
key_in_table(GHashTable *seen, const char *key, gsize key_len)
{
    /* Keys with NUL bytes compare by their full length. */
    g_autofree char *hashed = g_base64_encode((const guchar *)key, key_len);
    if (g_hash_table_contains(seen, hashed))
        return TRUE;
    g_hash_table_add(seen, g_steal_pointer(&hashed));
    return FALSE;
}

/* Whether @members (the object's so far) has @key; *@seen: the table, made
 * when the object grows past KEY_SCAN_MAX. */
static gboolean
key_seen(GHashTable **seen, GPtrArray *members, const char *key, gsize key_len)
{
    if (*seen == NULL && members->len < KEY_SCAN_MAX) {
        for (guint i = 0; i < members->len; i++) {
            const AjarJsonValue *member = g_ptr_array_index(members, i);
            if (member->key_len == key_len && memcmp(member->key, key, key_len) == 0)
                return TRUE;
        }
        return FALSE;
    }
    if (*seen == NULL) {
        *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        for (guint i = 0; i < members->len; i++) {
            const AjarJsonValue *member = g_ptr_array_index(members, i);
            key_in_table(*seen, member->key, member->key_len);
        }
    }
    return key_in_table(*seen, key, key_len);
}

static AjarJsonValue *
read_container(Reader *r, gboolean is_object)
{
    g_autoptr(AjarJsonValue) v = value_new(r, is_object ? AJAR_JSON_OBJECT : AJAR_JSON_ARRAY, r->p);
    g_autoptr(GHashTable) seen = NULL;
    char close = is_object ? '}' : ']';

    if (++r->depth > AJAR_JSON_MAX_DEPTH) {
        reader_fail(r, r->p, AJAR_JSON_ERROR_TOO_DEEP, _("nested deeper than %d levels"),
                    AJAR_JSON_MAX_DEPTH);
        return NULL;
    }
    v->items = g_ptr_array_new_with_free_func((GDestroyNotify)ajar_json_value_free);
    r->p++;
    skip_space(r);
    if (r->p < r->end && *r->p == close) {
        r->p++;
        r->depth--;
        return g_steal_pointer(&v);
    }
    for (;;) {
        AjarJsonValue *item;
        char *key = NULL;
        gsize key_len = 0;
        guint key_line = 0, key_column = 0;

        skip_space(r);
        if (is_object) {
            const char *key_at = r->p;
            if (r->p >= r->end || *r->p != '"') {
                g_autofree char *what = describe_char(r, r->p);
                reader_fail(r, r->p, AJAR_JSON_ERROR_SYNTAX,
                            _("expected a key in double quotes, found %s"), what);
                return NULL;
            }
            key_line = r->line;
            key_column = reader_column(r, key_at);
            if (!read_string(r, &key, &key_len))
                return NULL;
            if (key_seen(&seen, v->items, key, key_len)) {
                g_autofree char *shown = g_strescape(key, NULL);
                r->p = key_at; /* point at the second occurrence */
                reader_fail(r, key_at, AJAR_JSON_ERROR_DUPLICATE, _("key \"%s\" appears twice"),
                            shown);
                g_free(key);
                return NULL;
            }
            skip_space(r);
            if (r->p >= r->end || *r->p != ':') {
                g_autofree char *what = describe_char(r, r->p);
                reader_fail(r, r->p, AJAR_JSON_ERROR_SYNTAX,
                            _("expected ':' after a key, found %s"), what);
                g_free(key);
                return NULL;
            }
            r->p++;
            skip_space(r);
        }
        item = read_value(r);
        if (item == NULL) {
            g_free(key);
            return NULL;
        }
        item->key = key;
        item->key_len = key_len;
        item->key_line = key_line;
        item->key_column = key_column;
        g_ptr_array_add(v->items, item);
        skip_space(r);
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            skip_space(r);
            if (r->p < r->end && *r->p == close) {
                reader_fail(r, r->p, AJAR_JSON_ERROR_SYNTAX, _("trailing comma before '%c'"),
                            close);
                return NULL;
            }
            continue;
        }
        if (r->p < r->end && *r->p == close) {
            r->p++;
            break;
        }
        {
            g_autofree char *what = describe_char(r, r->p);
            reader_fail(r, r->p, AJAR_JSON_ERROR_SYNTAX, _("expected ',' or '%c', found %s"), close,
                        what);
        }
        return NULL;
    }
    r->depth--;
    return g_steal_pointer(&v);
}

static AjarJsonValue *
read_value(Reader *r)
{
    g_autoptr(AjarJsonValue) v = NULL;

    skip_space(r);
    if (r->p >= r->end) {
        reader_fail(r, r->p, AJAR_JSON_ERROR_SYNTAX, _("expected a value, found end of file"));
        return NULL;
    }
    /* Stops a hostile file early: each value costs a node (~100 bytes). */
    if (r->max_values > 0 && ++r->values > r->max_values) {
        reader_fail(r, r->p, AJAR_JSON_ERROR_TOO_MANY, _("the file has more than %u values"),
                    r->max_values);
        return NULL;
    }
    switch (*r->p) {
    case '{': return read_container(r, TRUE);
    case '[': return read_container(r, FALSE);
    case '"':
        v = value_new(r, AJAR_JSON_STRING, r->p);
        if (!read_string(r, &v->string, &v->string_len))
            return NULL;
        return g_steal_pointer(&v);
    case 't':
    case 'f':
    case 'n':
        v = value_new(r, *r->p == 'n' ? AJAR_JSON_NULL : AJAR_JSON_BOOLEAN, r->p);
        if (match_word(r, "true")) {
            v->boolean = TRUE;
            return g_steal_pointer(&v);
        }
        if (match_word(r, "false") || match_word(r, "null"))
            return g_steal_pointer(&v);
        break;
    default:
        if (*r->p == '-' || g_ascii_isdigit(*r->p)) {
            v = value_new(r, AJAR_JSON_NUMBER, r->p);
            if (!read_number(r, v))
                return NULL;
            return g_steal_pointer(&v);
        }
        break;
    }
    {
        g_autofree char *what = describe_char(r, r->p);
        reader_fail(r, r->p, AJAR_JSON_ERROR_SYNTAX, _("expected a value, found %s"), what);
    }
    return NULL;
}

AjarJsonValue *
ajar_json_parse(const char *text, gssize len, GError **error)
{
    return ajar_json_parse_limited(text, len, 0, error);
}

AjarJsonValue *
ajar_json_parse_limited(const char *text, gssize len, guint max_values, GError **error)
{
    Reader r = { .max_values = max_values };
    g_autoptr(AjarJsonValue) root = NULL;

    g_return_val_if_fail(text != NULL || len == 0, NULL);
    if (len < 0)
        len = (gssize)strlen(text);
    r.p = text;
    r.end = text + len;
    r.line_start = text;
    r.line = 1;
    r.error = error;
    /* A byte-order mark is not JSON, but editors write one: skip it. */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        r.p += 3;
        r.line_start = r.p;
    }
    root = read_value(&r);
    if (root == NULL) {
        if (error != NULL && *error == NULL)
            g_set_error(error, AJAR_JSON_ERROR, AJAR_JSON_ERROR_SYNTAX, "1:1: %s",
                        _("invalid JSON"));
        return NULL;
    }
    skip_space(&r);
    if (r.p < r.end) {
        g_autofree char *what = describe_char(&r, r.p);
        reader_fail(&r, r.p, AJAR_JSON_ERROR_SYNTAX, _("unexpected %s after the end of the value"),
                    what);
        return NULL;
    }
    return g_steal_pointer(&root);
}

const AjarJsonValue *
ajar_json_object_get(const AjarJsonValue *object, const char *key)
{
    gsize key_len;

    g_return_val_if_fail(object != NULL && key != NULL, NULL);
    if (object->type != AJAR_JSON_OBJECT)
        return NULL;
    key_len = strlen(key);
    for (guint i = 0; i < object->items->len; i++) {
        const AjarJsonValue *member = g_ptr_array_index(object->items, i);
        if (member->key_len == key_len && memcmp(member->key, key, key_len) == 0)
            return member;
    }
    return NULL;
}

const char *
ajar_json_type_name(AjarJsonType type)
{
    /* TRANSLATORS: a kind of JSON value, as in "must be a string, not %s";
     * null, true and false are JSON's own words. */
    switch (type) {
    case AJAR_JSON_NULL: return _("null");
    case AJAR_JSON_BOOLEAN: return _("true or false");
    case AJAR_JSON_NUMBER: return _("a number");
    case AJAR_JSON_STRING: return _("a string");
    case AJAR_JSON_ARRAY: return _("a list");
    case AJAR_JSON_OBJECT: return _("an object");
    }
    return _("a value");
}
