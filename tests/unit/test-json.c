/* test-json.c — the strict JSON reader: positions, strictness, errors. */
#include <string.h>

#include <json-glib/json-glib.h>

#include "ajar/ajar-json.h"

typedef struct {
    const char *name;
    const char *text;
    AjarJsonError code;
    const char *message;
} BadCase;

static const BadCase bad_cases[] = {
    { "empty", "", AJAR_JSON_ERROR_SYNTAX, "1:1: expected a value, found end of file" },
    { "trailing-comma-object", "{\"a\": 1,}", AJAR_JSON_ERROR_SYNTAX,
      "1:9: trailing comma before '}'" },
    { "trailing-comma-array", "[1, 2,\n]", AJAR_JSON_ERROR_SYNTAX,
      "2:1: trailing comma before ']'" },
    { "single-quotes", "{'a': 1}", AJAR_JSON_ERROR_SYNTAX,
      "1:2: expected a key in double quotes, found \"'\"" },
    { "comment", "{\n  // no\n}", AJAR_JSON_ERROR_SYNTAX,
      "2:3: expected a key in double quotes, found '/'" },
    { "duplicate-key", "{\"a\": 1,\n \"a\": 2}", AJAR_JSON_ERROR_DUPLICATE,
      "2:2: key \"a\" appears twice" },
    /* Small objects are searched member by member, large ones (over 16
     * members) with a table: a repeated key is found either way. */
    { "duplicate-key-16",
      "{\"k0\": 0,\"k1\": 1,\"k2\": 2,\"k3\": 3,\"k4\": 4,\"k5\": 5,\"k6\": 6,"
      "\"k7\": 7,\"k8\": 8,\"k9\": 9,\"k10\": 10,\"k11\": 11,\"k12\": 12,\"k13\": 13,"
      "\"k14\": 14,\"k15\": 15, \"k3\": 0}",
      AJAR_JSON_ERROR_DUPLICATE, "1:143: key \"k3\" appears twice" },
    { "duplicate-key-20",
      "{\"k0\": 0,\"k1\": 1,\"k2\": 2,\"k3\": 3,\"k4\": 4,\"k5\": 5,\"k6\": 6,"
      "\"k7\": 7,\"k8\": 8,\"k9\": 9,\"k10\": 10,\"k11\": 11,\"k12\": 12,\"k13\": 13,"
      "\"k14\": 14,\"k15\": 15,\"k16\": 16,\"k17\": 17,\"k18\": 18,\"k19\": 19,"
      " \"k3\": 0}",
      AJAR_JSON_ERROR_DUPLICATE, "1:183: key \"k3\" appears twice" },
    { "duplicate-key-nul", "{\"a\\u0000b\": 1, \"a\\u0000c\": 2, \"a\\u0000b\": 3}",
      AJAR_JSON_ERROR_DUPLICATE, "1:32: key \"a\" appears twice" },
    { "nan", "[NaN]", AJAR_JSON_ERROR_SYNTAX, "1:2: expected a value, found 'N'" },
    { "leading-zero", "[012]", AJAR_JSON_ERROR_SYNTAX, "1:2: numbers must not start with 0" },
    { "bare-minus", "[-]", AJAR_JSON_ERROR_SYNTAX, "1:2: invalid number" },
    { "dot-no-digits", "[1.]", AJAR_JSON_ERROR_SYNTAX,
      "1:2: invalid number: digits must follow '.'" },
    { "exp-no-digits", "[1e+]", AJAR_JSON_ERROR_SYNTAX,
      "1:2: invalid number: digits must follow the exponent" },
    { "unterminated-string", "[\"abc", AJAR_JSON_ERROR_SYNTAX, "1:2: unterminated string" },
    { "raw-newline-in-string", "[\"a\nb\"]", AJAR_JSON_ERROR_SYNTAX,
      "1:4: control character (byte 0x0A) in a string; write it as \\u000A" },
    { "bad-escape", "[\"\\x41\"]", AJAR_JSON_ERROR_SYNTAX,
      "1:3: unknown escape \\ followed by 'x'" },
    { "short-unicode-escape", "[\"\\u12\"]", AJAR_JSON_ERROR_SYNTAX,
      "1:5: \\u must be followed by four hex digits" },
    { "lone-high-surrogate", "[\"\\ud800x\"]", AJAR_JSON_ERROR_SYNTAX,
      "1:3: lone high surrogate \\uD800" },
    { "lone-low-surrogate", "[\"\\udc00\"]", AJAR_JSON_ERROR_SYNTAX,
      "1:3: lone low surrogate \\uDC00" },
    { "invalid-utf8", "[\"a\xff\"]", AJAR_JSON_ERROR_SYNTAX, "1:4: invalid UTF-8 in a string" },
    { "two-values", "{} {}", AJAR_JSON_ERROR_SYNTAX,
      "1:4: unexpected '{' after the end of the value" },
    { "missing-colon", "{\"a\" 1}", AJAR_JSON_ERROR_SYNTAX,
      "1:6: expected ':' after a key, found '1'" },
    { "missing-comma", "[1 2]", AJAR_JSON_ERROR_SYNTAX, "1:4: expected ',' or ']', found '2'" },
    { "unclosed-object", "{\"a\": 1", AJAR_JSON_ERROR_SYNTAX,
      "1:8: expected ',' or '}', found end of file" },
    { "control-byte", "\x01", AJAR_JSON_ERROR_SYNTAX, "1:1: expected a value, found byte 0x01" },
    { "truncated-true", "[tru]", AJAR_JSON_ERROR_SYNTAX, "1:2: expected a value, found 't'" },
};

static void
test_bad(gconstpointer data)
{
    const BadCase *c = data;
    g_autoptr(GError) error = NULL;
    g_autoptr(AjarJsonValue) v = ajar_json_parse(c->text, -1, &error);

    g_assert_null(v);
    g_assert_error(error, AJAR_JSON_ERROR, (gint)c->code);
    g_assert_cmpstr(error->message, ==, c->message);
}

static void
test_too_deep(void)
{
    g_autoptr(GString) deep = g_string_new(NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(AjarJsonValue) v = NULL;

    for (int i = 0; i < 100000; i++)
        g_string_append_c(deep, '[');
    v = ajar_json_parse(deep->str, (gssize)deep->len, &error);
    g_assert_null(v);
    g_assert_error(error, AJAR_JSON_ERROR, AJAR_JSON_ERROR_TOO_DEEP);
    g_assert_cmpstr(error->message, ==, "1:65: nested deeper than 64 levels");
}

/* A limit on the number of values stops reading at the first one over it,
 * wherever it is (a container counts, and so does each member); without a
 * limit, or within it, the text reads as usual. */
static void
test_too_many(void)
{
    static const char text[] = "{\"a\": [1, 2],\n \"b\": {\"c\": null}}";
    g_autoptr(GError) error = NULL;
    AjarJsonValue *v;

    /* 6 values: the object, the list and its 2 numbers, "b"'s object and its null. */
    for (guint limit = 0; limit <= 7; limit++) {
        v = ajar_json_parse_limited(text, -1, limit, &error);
        if (limit == 0 || limit >= 6) {
            g_assert_no_error(error);
            g_assert_nonnull(v);
            ajar_json_value_free(v);
            continue;
        }
        g_assert_null(v);
        g_assert_error(error, AJAR_JSON_ERROR, AJAR_JSON_ERROR_TOO_MANY);
        g_clear_error(&error);
    }
    g_assert_null(ajar_json_parse_limited(text, -1, 5, &error));
    g_assert_cmpstr(error->message, ==, "2:13: the file has more than 5 values");
}

static void
test_positions(void)
{
    const char *text = "{\n  \"a\": [1, \"x\"],\n\t\"b\": {\"c\": true}\n}";
    g_autoptr(GError) error = NULL;
    g_autoptr(AjarJsonValue) root = ajar_json_parse(text, -1, &error);
    const AjarJsonValue *a, *b, *c;

    g_assert_no_error(error);
    g_assert_cmpuint(root->line, ==, 1);
    g_assert_cmpuint(root->column, ==, 1);
    a = ajar_json_object_get(root, "a");
    g_assert_nonnull(a);
    g_assert_cmpuint(a->key_line, ==, 2);
    g_assert_cmpuint(a->key_column, ==, 3);
    g_assert_cmpuint(a->line, ==, 2);
    g_assert_cmpuint(a->column, ==, 8);
    g_assert_cmpuint(((AjarJsonValue *)g_ptr_array_index(a->items, 1))->column, ==, 12);
    b = ajar_json_object_get(root, "b");
    g_assert_cmpuint(b->key_line, ==, 3);
    g_assert_cmpuint(b->key_column, ==, 2);
    c = ajar_json_object_get(b, "c");
    g_assert_cmpint(c->type, ==, AJAR_JSON_BOOLEAN);
    g_assert_true(c->boolean);
    g_assert_null(ajar_json_object_get(root, "missing"));
}

static void
test_values(void)
{
    const char *text = "[0, -12, 3.5, 1e3, 9223372036854775807, 9223372036854775808, null, false,"
                       " \"\\u00e9\\ud83d\\ude00\\n\\\"\", \"\\u0000x\"]";
    g_autoptr(GError) error = NULL;
    g_autoptr(AjarJsonValue) root = ajar_json_parse(text, -1, &error);
    AjarJsonValue **items;

    g_assert_no_error(error);
    g_assert_cmpuint(root->items->len, ==, 10);
    items = (AjarJsonValue **)root->items->pdata;
    g_assert_true(items[0]->is_integer && items[0]->integer == 0);
    g_assert_true(items[1]->is_integer && items[1]->integer == -12);
    g_assert_false(items[2]->is_integer);
    g_assert_cmpfloat(items[2]->number, ==, 3.5);
    g_assert_false(items[3]->is_integer); /* 1e3 is not written as a whole number */
    g_assert_cmpfloat(items[3]->number, ==, 1000.0);
    g_assert_true(items[4]->is_integer && items[4]->integer == G_MAXINT64);
    g_assert_false(items[5]->is_integer); /* does not fit */
    g_assert_cmpint(items[6]->type, ==, AJAR_JSON_NULL);
    g_assert_cmpint(items[7]->type, ==, AJAR_JSON_BOOLEAN);
    g_assert_false(items[7]->boolean);
    g_assert_cmpstr(items[8]->string, ==, "é😀\n\"");
    g_assert_cmpuint(items[9]->string_len, ==, 2);
    g_assert_cmpint(items[9]->string[0], ==, 0);
    g_assert_cmpint(items[9]->string[1], ==, 'x');
}

static void
test_bom_and_space(void)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(AjarJsonValue) v = ajar_json_parse("\xEF\xBB\xBF \r\n {}\n\n", -1, &error);

    g_assert_no_error(error);
    g_assert_cmpint(v->type, ==, AJAR_JSON_OBJECT);
    g_assert_cmpuint(v->line, ==, 2);
    g_assert_cmpuint(v->column, ==, 2);
}

static void
test_write_round_trip(void)
{
    const char raw[] = "tab\there \"quoted\" back\\slash \x01\x1f é 😀 </script>";
    g_autoptr(GString) out = g_string_new(NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(AjarJsonValue) v = NULL;

    ajar_json_append_string(out, raw, -1);
    g_assert_cmpstr(out->str, ==,
                    "\"tab\\there \\\"quoted\\\" back\\\\slash \\u0001\\u001f é 😀 </script>\"");
    v = ajar_json_parse(out->str, (gssize)out->len, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(v->string, ==, raw);
}

static void
test_write_invalid_utf8(void)
{
    g_autoptr(GString) out = g_string_new(NULL);

    ajar_json_append_string(out,
                            "a\xff"
                            "b\xc3",
                            -1);
    g_assert_cmpstr(out->str, ==,
                    "\"a\xEF\xBF\xBD"
                    "b\xEF\xBF\xBD\"");
    g_assert_true(g_utf8_validate(out->str, -1, NULL));
}

/* Why rules.json and the journal are not read with json-glib's JsonParser
 * (README, "Strict JSON, own reader"): Debian 12's json-glib 1.6.6 reads
 * each of these texts *without an error* to a value the text does not say.
 * For each, the test checks what json-glib makes of it (if that assertion
 * fails, json-glib has changed: revisit the decision) and that Ajar's reader
 * refuses it with a message or reads what the text says. */
typedef struct {
    const char *name;
    const char *text;
    const char *json_glib_reads; /* json-glib's value, written back by JsonGenerator */
    const char *ajar_error;      /* NULL: Ajar reads it, see test_json_glib_misreads */
} MisreadCase;

static const MisreadCase misread_cases[] = {
    { "octal", "[0600]", "[384]", "1:2: numbers must not start with 0" },
    { "wraps", "[99999999999999999999]", "[-1]", NULL },
    { "second-value-dropped", "{\"a\": 1} {\"a\": 2}", "{\"a\":1}",
      "1:10: unexpected '{' after the end of the value" },
    { "unknown-escape", "[\"\\x41\"]", "[\"x41\"]", "1:3: unknown escape \\ followed by 'x'" },
    { "nul-cuts-string", "[\"\\u0000x\"]", "[\"\"]", NULL },
    { "hex", "[0x10]", "[16]", "1:3: expected ',' or ']', found 'x'" },
    { "dot-five", "[.5]", "[0.5]", "1:2: expected a value, found '.'" },
    { "spaced-minus", "[- 1]", "[-1]", "1:2: invalid number" },
    { "single-quotes", "{'a': 1}", "{\"a\":1}",
      "1:2: expected a key in double quotes, found \"'\"" },
    { "comment", "{/* no */\"a\": 1}", "{\"a\":1}",
      "1:2: expected a key in double quotes, found '/'" },
};

static void
test_json_glib_misreads(gconstpointer data)
{
    const MisreadCase *c = data;
    g_autoptr(JsonParser) parser = json_parser_new();
    g_autoptr(JsonGenerator) generator = json_generator_new();
    g_autoptr(GError) glib_error = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(AjarJsonValue) ours = NULL;
    g_autofree char *theirs = NULL;

    g_assert_true(json_parser_load_from_data(parser, c->text, -1, &glib_error));
    g_assert_no_error(glib_error);
    json_generator_set_root(generator, json_parser_get_root(parser));
    theirs = json_generator_to_data(generator, NULL);
    g_assert_cmpstr(theirs, ==, c->json_glib_reads);

    ours = ajar_json_parse(c->text, -1, &error);
    if (c->ajar_error != NULL) {
        g_assert_null(ours);
        g_assert_error(error, AJAR_JSON_ERROR, AJAR_JSON_ERROR_SYNTAX);
        g_assert_cmpstr(error->message, ==, c->ajar_error);
        return;
    }
    /* What the text says: a number too big for 64 bits, a string with a NUL in it. */
    g_assert_no_error(error);
    g_assert_cmpuint(ours->items->len, ==, 1);
    if (g_str_equal(c->name, "wraps")) {
        const AjarJsonValue *n = g_ptr_array_index(ours->items, 0);

        g_assert_false(n->is_integer);
        g_assert_cmpfloat(n->number, ==, 1e20);
    } else {
        const AjarJsonValue *s = g_ptr_array_index(ours->items, 0);

        g_assert_cmpuint(s->string_len, ==, 2);
        g_assert_cmpint(s->string[1], ==, 'x');
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
    for (gsize i = 0; i < G_N_ELEMENTS(bad_cases); i++) {
        g_autofree char *path = g_strdup_printf("/json/parse/bad/%s", bad_cases[i].name);
        g_test_add_data_func(path, &bad_cases[i], test_bad);
    }
    for (gsize i = 0; i < G_N_ELEMENTS(misread_cases); i++) {
        g_autofree char *path =
            g_strdup_printf("/json/json-glib-misreads/%s", misread_cases[i].name);
        g_test_add_data_func(path, &misread_cases[i], test_json_glib_misreads);
    }
    g_test_add_func("/json/parse/too-deep", test_too_deep);
    g_test_add_func("/json/parse/too-many", test_too_many);
    g_test_add_func("/json/parse/positions", test_positions);
    g_test_add_func("/json/parse/values", test_values);
    g_test_add_func("/json/parse/bom-and-space", test_bom_and_space);
    g_test_add_func("/json/write/round-trip", test_write_round_trip);
    g_test_add_func("/json/write/invalid-utf8", test_write_invalid_utf8);
    return g_test_run();
}
