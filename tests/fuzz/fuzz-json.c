/* fuzz-json.c — Ajar's strict JSON reader (rules/ajar-json.c) against
 * json-glib's JsonParser as an oracle.
 *
 * json-glib 1.6 accepts more than JSON (`1.`, `0x10`, `"\x"`, single
 * quotes, raw tabs in strings: README, "Strict JSON, own reader"), so the
 * oracle only speaks for what Ajar's reader accepts. Invariants:
 * - what Ajar's reader accepts, json-glib accepts too;
 * - and both read the same values: the same types, the same members in the
 *   same order with the same names, the same strings byte for byte, the
 *   same booleans, and the same numbers (whole numbers exactly; others to
 *   the last bit unless json-glib's own scanner rounds differently, which is
 *   allowed within one part in 10^15);
 * - what Ajar's reader refuses comes with a one-line message "LINE:COLUMN:
 *   reason" whose position lies within the text.
 * Strings holding U+0000 are compared only up to it (json-glib's strings end
 * there) and integers beyond 64 bits are not compared (json-glib wraps
 * them). */
#include "fuzz-target.h"

#include <math.h>
#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "ajar/ajar-json.h"

static void compare(const AjarJsonValue *ours, JsonNode *theirs, guint depth);

/* The type of a value node, G_TYPE_INVALID for an array, object or null. */
static GType
value_type(JsonNode *node)
{
    return JSON_NODE_HOLDS_VALUE(node) ? json_node_get_value_type(node) : G_TYPE_INVALID;
}

static void
compare_number(const AjarJsonValue *ours, JsonNode *theirs)
{
    if (value_type(theirs) == G_TYPE_INT64) {
        gint64 value = json_node_get_int(theirs);

        if (!ours->is_integer)
            return; /* beyond 64 bits: json-glib wraps it */
        FUZZ_CHECK(ours->integer == value, "integer %" G_GINT64_FORMAT " vs %" G_GINT64_FORMAT,
                   ours->integer, value);
        return;
    }
    {
        double value = json_node_get_double(theirs);
        double scale = MAX(fabs(ours->number), fabs(value));

        FUZZ_CHECK(ours->number == value || fabs(ours->number - value) <= scale * 1e-15,
                   "number %.17g vs %.17g", ours->number, value);
    }
}

static void
compare_string(const char *ours, gsize ours_len, const char *theirs)
{
    gsize len = strnlen(ours, ours_len); /* json-glib's string ends at a U+0000 */

    FUZZ_CHECK(theirs != NULL && strlen(theirs) == len && memcmp(ours, theirs, len) == 0,
               "string \"%s\" vs \"%s\"", ours, theirs != NULL ? theirs : "(null)");
}

static void
compare_object(const AjarJsonValue *ours, JsonNode *theirs, guint depth)
{
    JsonObject *object = json_node_get_object(theirs);
    g_autoptr(GList) members = json_object_get_members(object);
    guint i = 0;

    /* Ajar refuses duplicate keys, so both have the same members. */
    FUZZ_CHECK(g_list_length(members) == ours->items->len, "%u members vs %u", ours->items->len,
               g_list_length(members));
    for (GList *l = members; l != NULL; l = l->next, i++) {
        const AjarJsonValue *member = g_ptr_array_index(ours->items, i);

        compare_string(member->key, member->key_len, l->data);
        compare(member, json_object_get_member(object, l->data), depth + 1);
    }
}

static void
compare(const AjarJsonValue *ours, JsonNode *theirs, guint depth)
{
    FUZZ_CHECK(theirs != NULL, "json-glib has no value where Ajar has %s",
               ajar_json_type_name(ours->type));
    FUZZ_CHECK(depth <= AJAR_JSON_MAX_DEPTH + 1, "deeper than Ajar's limit");
    switch (ours->type) {
    case AJAR_JSON_NULL: FUZZ_CHECK(JSON_NODE_HOLDS_NULL(theirs), "null vs not null"); break;
    case AJAR_JSON_BOOLEAN:
        FUZZ_CHECK(value_type(theirs) == G_TYPE_BOOLEAN &&
                       json_node_get_boolean(theirs) == ours->boolean,
                   "boolean");
        break;
    case AJAR_JSON_NUMBER:
        FUZZ_CHECK(value_type(theirs) == G_TYPE_INT64 || value_type(theirs) == G_TYPE_DOUBLE,
                   "number vs %s", json_node_type_name(theirs));
        compare_number(ours, theirs);
        break;
    case AJAR_JSON_STRING:
        FUZZ_CHECK(value_type(theirs) == G_TYPE_STRING, "string vs %s",
                   json_node_type_name(theirs));
        compare_string(ours->string, ours->string_len, json_node_get_string(theirs));
        break;
    case AJAR_JSON_ARRAY: {
        JsonArray *array;

        FUZZ_CHECK(JSON_NODE_HOLDS_ARRAY(theirs), "array vs %s", json_node_type_name(theirs));
        array = json_node_get_array(theirs);
        FUZZ_CHECK(json_array_get_length(array) == ours->items->len, "%u items vs %u",
                   ours->items->len, json_array_get_length(array));
        for (guint i = 0; i < ours->items->len; i++)
            compare(g_ptr_array_index(ours->items, i), json_array_get_element(array, i), depth + 1);
        break;
    }
    case AJAR_JSON_OBJECT:
        FUZZ_CHECK(JSON_NODE_HOLDS_OBJECT(theirs), "object vs %s", json_node_type_name(theirs));
        compare_object(ours, theirs, depth);
        break;
    }
}

static void
check_refusal(const GError *error, const char *text, size_t size)
{
    guint line = 0, column = 0, lines = 1;

    FUZZ_CHECK(error != NULL && error->domain == AJAR_JSON_ERROR, "refused without a JSON error");
    FUZZ_CHECK(strchr(error->message, '\n') == NULL, "message is not one line: %s", error->message);
    FUZZ_CHECK(sscanf(error->message, "%u:%u: ", &line, &column) == 2,
               "message has no position: %s", error->message);
    for (size_t i = 0; i < size; i++)
        lines += text[i] == '\n';
    FUZZ_CHECK(line >= 1 && line <= lines && column >= 1, "position %u:%u outside the text: %s",
               line, column, error->message);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    g_autoptr(GError) error = NULL;
    g_autoptr(AjarJsonValue) ours = ajar_json_parse(text, (gssize)size, &error);
    g_autoptr(JsonParser) parser = NULL;
    g_autoptr(GError) their_error = NULL;

    if (ours == NULL) {
        check_refusal(error, text, size);
        return 0;
    }
    /* A byte-order mark Ajar skips; json-glib wants text without it. */
    if (size >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        size -= 3;
    }
    parser = json_parser_new_immutable();
    FUZZ_CHECK(json_parser_load_from_data(parser, text, (gssize)size, &their_error),
               "Ajar accepts what json-glib refuses: %s",
               their_error != NULL ? their_error->message : "?");
    compare(ours, json_parser_get_root(parser), 1);
    return 0;
}
