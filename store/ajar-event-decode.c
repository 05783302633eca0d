/* ajar-event-decode.c — reading one journal line into an event.
 *
 * Two front ends fill one table of fields (ajar-event-fields.h), and one set
 * of checks turns it into an event or a one-line reason:
 * - the scanner for the flat lines Ajar itself writes (ajar-event-scan.c);
 * - the strict JSON reader, for every line the scanner is not sure about
 *   (unknown keys, nesting, \u escapes, damage). It alone words errors.
 * The scanner only ever accepts what the strict reader accepts, with the
 * same result; the tests compare both on many damaged lines. */
#include "ajar/ajar-event.h"

#include <string.h>

#include "ajar/ajar-i18n.h"
#include "ajar/ajar-json.h"
#include "ajar/ajar-summary.h"
#include "ajar-event-fields.h"
#include "ajar-event-private.h"

/* ---- the strict reader's tree into fields ---- */

static void
fields_from_tree(const AjarJsonValue *root, Fields *fields)
{
    for (guint i = 0; i < root->items->len; i++) {
        const AjarJsonValue *member = g_ptr_array_index(root->items, i);
        int field = ajar_event_field_lookup(member->key, member->key_len);
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
        v->boolean = member->boolean;
        v->array = member->type == AJAR_JSON_ARRAY ? member : NULL;
    }
}

/* ---- checks ---- */

gboolean
ajar_event_fail(GError **error, const char *format, ...)
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
            /* TRANSLATORS: %1$s is a field of a journal line ("buddy"),
             * %2$s the event's name ("held"); both as the journal has them. */
            return ajar_event_fail(error, _("%s: missing (required in %s events)"),
                                   ajar_event_fields_known[field].name, event_name);
        return TRUE;
    }
    if (v->type != AJAR_JSON_STRING)
        /* TRANSLATORS: %1$s is a field of a journal line; %2$s the kind of
         * value found instead ("a number", see "must be a string, not %s"). */
        return ajar_event_fail(error, _("%s: must be a string, not %s"),
                               ajar_event_fields_known[field].name, ajar_json_type_name(v->type));
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
        /* TRANSLATORS: %s is a field of a journal line. */
        return ajar_event_fail(error, _("%s: must not contain a NUL character (\\u0000)"),
                               ajar_event_fields_known[field].name);
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
    /* TRANSLATORS: %s is a field of a journal line; keep the example as it is. */
    return ajar_event_fail(error,
                           _("%s: must be a time with a UTC offset, like 2026-11-27T21:04:09Z"),
                           ajar_event_fields_known[field].name);
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
        /* TRANSLATORS: text and text_base64 are fields of a journal line. */
        return ajar_event_fail(error, _("text, text_base64: only one of them may be present"));
    if (text != NULL) {
        event->text = copy_name(scratch, text->str, text->len);
        event->text_len = text->len;
    } else if (b64 != NULL) {
        g_autofree char *copy = g_strndup(b64->str, b64->len);
        g_autofree guchar *bytes = NULL;
        gsize len = 0;
        if (!is_base64(b64->str, b64->len))
            /* TRANSLATORS: text_base64 is a field of a journal line. */
            return ajar_event_fail(error,
                                   _("text_base64: must be base64 (RFC 4648, with padding)"));
        bytes = g_base64_decode(copy, &len);
        event->text = copy_name(scratch, (const char *)bytes, len);
        event->text_len = len;
    } else if (required) {
        /* TRANSLATORS: text is a field of a journal line, %s an event's name. */
        return ajar_event_fail(error, _("text: missing (required in %s events)"), event_name);
    }
    return TRUE;
}

/* An optional true or false. */
static gboolean
get_flag(const Fields *fields, Field field, gboolean *out, GError **error)
{
    const FieldValue *v = &fields->v[field];

    if (!v->present)
        return TRUE;
    if (v->type != AJAR_JSON_BOOLEAN)
        /* TRANSLATORS: %1$s is a field of a journal line ("stranger"); %2$s
         * the kind of value found instead ("a string"). */
        return ajar_event_fail(error, _("%s: must be true or false, not %s"),
                               ajar_event_fields_known[field].name, ajar_json_type_name(v->type));
    *out = v->boolean;
    return TRUE;
}

/* A name in the images folder: no folder part, nothing hidden, no control
 * character; a journal is hand-editable, and tools open these files. */
static gboolean
is_image_name(const char *name, gsize len)
{
    if (len == 0 || len > 255 || name[0] == '.')
        return FALSE;
    for (gsize i = 0; i < len; i++) {
        if ((guchar)name[i] < 0x20 || name[i] == '/' || name[i] == '\\' || name[i] == 0x7f)
            return FALSE;
    }
    return TRUE;
}

/* images: a list of file names (an empty list is none). Only the strict
 * reader gives lists. */
static gboolean
get_images(const Fields *fields, AjarEventScratch *scratch, AjarEvent *event, GError **error)
{
    const FieldValue *v = &fields->v[FIELD_IMAGES];
    const GPtrArray *items;
    char **images;

    if (!v->present)
        return TRUE;
    if (v->type != AJAR_JSON_ARRAY || v->array == NULL)
        /* TRANSLATORS: images is a field of a journal line; %s the kind of
         * value found instead ("a string"). */
        return ajar_event_fail(error, _("images: must be a list of file names, not %s"),
                               ajar_json_type_name(v->type));
    items = v->array->items;
    for (guint i = 0; i < items->len; i++) {
        const AjarJsonValue *item = g_ptr_array_index(items, i);
        if (item->type != AJAR_JSON_STRING || !is_image_name(item->string, item->string_len))
            /* TRANSLATORS: images is a field of a journal line; keep the "/". */
            return ajar_event_fail(error, _("images: each must be a file name in the images folder "
                                            "(no \"/\", not starting with \".\")"));
    }
    if (items->len == 0)
        return TRUE;
    /* The list itself on the heap; in a replay it goes with the line's
     * other overflow (ajar_event_decode_into()). */
    images = g_new0(char *, items->len + 1);
    for (guint i = 0; i < items->len; i++) {
        const AjarJsonValue *item = g_ptr_array_index(items, i);
        images[i] = scratch != NULL ? copy_name(scratch, item->string, item->string_len)
                                    : g_strndup(item->string, item->string_len);
    }
    if (scratch != NULL) {
        if (scratch->overflow == NULL)
            scratch->overflow = g_ptr_array_new_with_free_func(g_free);
        g_ptr_array_add(scratch->overflow, images);
    }
    event->images = images;
    return TRUE;
}

/* Outcome and intent events: about one message, named by its id. */
static gboolean
type_is_outcome(AjarEventType type)
{
    return type >= AJAR_EVENT_RELEASED && type <= AJAR_EVENT_SHOWING;
}

static gboolean
check_fields(const Fields *fields, AjarEvent *event, const char *name, AjarEventScratch *scratch,
             GError **error)
{
    gboolean custody = ajar_event_type_is_custody(event->type);
    gboolean attention = event->type == AJAR_EVENT_ATTENTION;
    gboolean named = custody || attention; /* needs account, protocol, buddy, rule, time */
    gboolean needs_id =
        custody || type_is_outcome(event->type) || event->type == AJAR_EVENT_ASSIGNED;
    gboolean needs_rule = named || event->type == AJAR_EVENT_ASSIGNED;
    const FieldValue *dir = NULL;

    /* A "sent" without an id is an outgoing message that passed: it carries
     * the rule instead, for the streak. */
    if (event->type == AJAR_EVENT_SENT && !fields->v[FIELD_ID].present) {
        needs_id = FALSE;
        if (!fields->v[FIELD_RULE].present)
            /* TRANSLATORS: id, sent and rule are the journal's words. */
            return ajar_event_fail(
                error, _("id: missing (a sent event needs an id, or a rule for a message "
                         "that passed)"));
    }
    if (!get_name(fields, FIELD_ID, needs_id, name, scratch, &event->id, error) ||
        !get_text_field(fields, FIELD_DIR, custody, name, &dir, error) ||
        !get_name(fields, FIELD_ACCOUNT, named, name, scratch, &event->account, error) ||
        !get_name(fields, FIELD_PROTOCOL, named, name, scratch, &event->protocol, error) ||
        !get_name(fields, FIELD_BUDDY, named, name, scratch, &event->buddy, error) ||
        !get_name(fields, FIELD_RULE, needs_rule, name, scratch, &event->rule, error) ||
        !get_name(fields, FIELD_CHAT, FALSE, name, scratch, &event->chat, error) ||
        !get_name(fields, FIELD_NICK, FALSE, name, scratch, &event->nick, error) ||
        !get_time(fields, FIELD_TIME, named, name, scratch, &event->time, error) ||
        !get_time(fields, FIELD_DUE, event->type == AJAR_EVENT_DELAYED, name, scratch, &event->due,
                  error) ||
        !get_text(fields, custody, name, scratch, event, error) ||
        !get_images(fields, scratch, event, error) ||
        !get_flag(fields, FIELD_STRANGER, &event->stranger, error) ||
        !get_flag(fields, FIELD_QUIET, &event->quiet, error) ||
        !get_flag(fields, FIELD_ASK, &event->ask, error) ||
        !get_name(fields, FIELD_MESSAGE, FALSE, name, scratch, &event->message, error))
        return FALSE;
    if (attention && event->text != NULL)
        /* TRANSLATORS: text and attention are the journal's words. */
        return ajar_event_fail(error, _("text: not used in attention events (a buzz has no text)"));
    if (dir != NULL) {
        if (dir->len == 2 && memcmp(dir->str, "in", 2) == 0)
            event->dir = AJAR_DIRECTION_IN;
        else if (dir->len == 3 && memcmp(dir->str, "out", 3) == 0)
            event->dir = AJAR_DIRECTION_OUT;
        else
            /* TRANSLATORS: dir, "in" and "out" are the journal's words. */
            return ajar_event_fail(error, _("dir: must be \"in\" or \"out\""));
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
        /* TRANSLATORS: seq, ts and event are fields of a journal line. */
        ajar_event_fail(error, _("seq: missing"));
        return FALSE;
    }
    if (seq->type != AJAR_JSON_NUMBER || !seq->is_integer || seq->integer < 1) {
        ajar_event_fail(error, _("seq: must be a positive whole number"));
        return FALSE;
    }
    event->seq = seq->integer;
    if (!fields->v[FIELD_TS].present) {
        ajar_event_fail(error, _("ts: missing"));
        return FALSE;
    }
    if (!get_time(fields, FIELD_TS, TRUE, NULL, scratch, &event->ts, error))
        return FALSE;
    if (!fields->v[FIELD_EVENT].present) {
        ajar_event_fail(error, _("event: missing"));
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
        ajar_event_fail(error, _("event: must not be empty"));
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
        return ajar_event_fail(error, _("empty line"));
    if (len > G_MAXSSIZE)
        return ajar_event_fail(error, _("line too long"));
    root = ajar_json_parse(line, (gssize)len, &json_error);
    if (root == NULL) {
        /* A line holds no newline, so the reader's "1:COLUMN" is just a column. */
        const char *where = json_error->message;
        if (g_str_has_prefix(where, "1:"))
            /* TRANSLATORS: %s is "COLUMN: REASON" ("5: unterminated string"). */
            return ajar_event_fail(error, _("not JSON: column %s"), where + 2);
        /* TRANSLATORS: %s is "LINE:COLUMN: REASON". */
        return ajar_event_fail(error, _("not JSON: %s"), where);
    }
    if (root->type != AJAR_JSON_OBJECT)
        /* TRANSLATORS: %s is the kind of value found ("a list"). */
        return ajar_event_fail(error, _("must be a JSON object, not %s"),
                               ajar_json_type_name(root->type));
    fields_from_tree(root, &fields);
    ok = event_from_fields(&fields, event, scratch, error);
    ajar_event_fields_clear(&fields);
    if (ok && event->type == AJAR_EVENT_SUMMARY) {
        ok = ajar_summary_from_json(root, &event->summary, error);
        /* In a replay the summary goes with the line's other strings. */
        if (ok && scratch != NULL)
            scratch->summary = event->summary;
    }
    return ok;
}

/* Whether the scanned line is a "summary": its figures are nested, which
 * only the strict reader reads (summaries are rare: one per compaction). */
static gboolean
is_summary(const Fields *fields)
{
    const FieldValue *name = &fields->v[FIELD_EVENT];

    return name->present && name->type == AJAR_JSON_STRING && name->len == 7 &&
           memcmp(name->str, "summary", 7) == 0;
}

/* The scanner, else the strict reader, into @event. */
static gboolean
decode(const char *line, gsize len, AjarEvent *event, AjarEventScratch *scratch, GError **error)
{
    Fields fields = { 0 };
    gboolean ok;

    if (len == 0 || !ajar_event_scan_line(line, len, &fields) || is_summary(&fields)) {
        ajar_event_fields_clear(&fields);
        return decode_strict(line, len, event, scratch, error);
    }
    ok = event_from_fields(&fields, event, scratch, error);
    ajar_event_fields_clear(&fields);
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
    g_clear_pointer(&scratch->summary, ajar_summary_free);
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
    ajar_summary_free(scratch->summary);
    memset(scratch, 0, sizeof *scratch);
}
