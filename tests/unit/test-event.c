/* test-event.c — one journal line: what is written, and what a reader accepts. */
#include <json-glib/json-glib.h>

#include "ajar/ajar-event.h"
#include "store-test-util.h"
#include "../../store/ajar-event-private.h"

static char *
encode(const AjarEvent *event)
{
    GString *out = g_string_new(NULL);
    ajar_event_encode(event, out);
    return g_string_free(out, FALSE);
}

static AjarEvent *
decode_ok(const char *line)
{
    g_autoptr(GError) error = NULL;
    AjarEvent *event = ajar_event_decode(line, strlen(line), &error);

    g_assert_no_error(error);
    g_assert_nonnull(event);
    return event;
}

/* The exact line of PRODUCT.md's example: other tools grep and parse it. */
static void
test_encode_example(void)
{
    g_autoptr(AjarEvent) held = NULL;
    g_autoptr(AjarEvent) released = NULL;
    g_autofree char *held_line = NULL;
    g_autofree char *released_line = NULL;

    held = test_custody_event(AJAR_EVENT_HELD, "01JDX0ABCDEFGHJKMNPQRSTVWX", AJAR_DIRECTION_IN,
                              "are you awake?", TEST_T0 + 113000);
    held->seq = 41;
    held->time = TEST_T0;
    held_line = encode(held);
    g_assert_cmpstr(held_line, ==,
                    "{\"seq\":41,\"ts\":\"2026-11-27T21:04:09.113Z\",\"event\":\"held\","
                    "\"id\":\"01JDX0ABCDEFGHJKMNPQRSTVWX\",\"dir\":\"in\","
                    "\"account\":\"me@example.org/Home\",\"protocol\":\"prpl-jabber\","
                    "\"buddy\":\"sam@example.org\",\"rule\":\"Sam\","
                    "\"time\":\"2026-11-27T21:04:09Z\",\"text\":\"are you awake?\"}\n");

    released = test_outcome_event(AJAR_EVENT_RELEASED, "01JDX0ABCDEFGHJKMNPQRSTVWX",
                                  G_GINT64_CONSTANT(1795858200) * G_USEC_PER_SEC);
    released->seq = 42;
    released_line = encode(released);
    g_assert_cmpstr(released_line, ==,
                    "{\"seq\":42,\"ts\":\"2026-11-28T09:30:00.000Z\",\"event\":\"released\","
                    "\"id\":\"01JDX0ABCDEFGHJKMNPQRSTVWX\"}\n");
}

static void
test_encode_key_order(void)
{
    g_autoptr(AjarEvent) event =
        test_custody_event(AJAR_EVENT_QUEUED, "ID", AJAR_DIRECTION_OUT, "x", TEST_T0);
    g_autofree char *line = NULL;
    const char *keys[] = { "\"seq\"",     "\"ts\"",       "\"event\"",  "\"id\"",   "\"dir\"",
                           "\"account\"", "\"protocol\"", "\"buddy\"",  "\"rule\"", "\"time\"",
                           "\"due\"",     "\"text\"",     "\"message\"" };
    const char *prev = NULL;

    event->message = g_strdup("m");
    line = encode(event);
    for (guint i = 0; i < G_N_ELEMENTS(keys); i++) {
        const char *at = strstr(line, keys[i]);
        g_assert_nonnull(at);
        if (prev != NULL)
            g_assert_true(at > prev);
        prev = at;
    }
    /* One line: the only newline is the last byte. */
    g_assert_true(g_str_has_suffix(line, "}\n"));
    g_assert_true(strchr(line, '\n') == line + strlen(line) - 1);
}

/* Text that is not UTF-8 (a broken client, a legacy charset) must come back
 * byte for byte: it is stored as text_base64. */
static void
test_encode_text_base64(void)
{
#define BYTES(literal) literal, sizeof literal - 1
    static const struct {
        const char *bytes;
        gsize len;
        gboolean base64;
    } cases[] = {
        { BYTES("caf\xe9 \xff\xfe end"), TRUE }, /* Latin-1 */
        { BYTES("a\0b"), TRUE },
        { BYTES("\xed\xa0\x80 lone surrogate"), TRUE },
        { BYTES("plain \"quoted\" \\ and \n newline \x01"), FALSE },
        { BYTES("\xe2\x9d\xa4\xef\xb8\x8f emoji"), FALSE },
        { BYTES(""), FALSE },
    };
#undef BYTES

    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(AjarEvent) event =
            test_custody_event(AJAR_EVENT_HELD, "ID", AJAR_DIRECTION_IN, "", TEST_T0);
        g_autoptr(AjarEvent) back = NULL;
        g_autofree char *line = NULL;

        event->seq = 1;
        test_set_text(event, cases[i].bytes, cases[i].len);
        line = encode(event);
        g_assert_true(g_utf8_validate(line, -1, NULL));
        g_assert_cmpint(strstr(line, "\"text_base64\":") != NULL, ==, cases[i].base64);
        g_assert_cmpint(strstr(line, "\"text\":") != NULL, ==, !cases[i].base64);
        back = decode_ok(line);
        g_assert_cmpmem(back->text, back->text_len, cases[i].bytes, cases[i].len);
    }
}

static GPtrArray *
every_type_events(void)
{
    GPtrArray *events = g_ptr_array_new_with_free_func((GDestroyNotify)ajar_event_free);
    AjarEvent *e;
    gint64 seq = 1;

    for (AjarEventType t = AJAR_EVENT_HELD; t <= AJAR_EVENT_QUEUED; t++) {
        e = test_custody_event(t, "01JDX0ABCDEFGHJKMNPQRSTVWX",
                               t == AJAR_EVENT_QUEUED ? AJAR_DIRECTION_OUT : AJAR_DIRECTION_IN,
                               "text with \"quotes\", \\, \t and ünïcödé", TEST_T0 + 7000);
        g_ptr_array_add(events, e);
    }
    for (AjarEventType t = AJAR_EVENT_RELEASED; t <= AJAR_EVENT_READ; t++)
        g_ptr_array_add(events, test_outcome_event(t, "01JDX0ABCDEFGHJKMNPQRSTVWX", TEST_T0));
    /* An outgoing message that passed: no id, no text. */
    e = test_outcome_event(AJAR_EVENT_SENT, NULL, TEST_T0);
    e->has_dir = TRUE;
    e->dir = AJAR_DIRECTION_OUT;
    e->account = g_strdup("me@example.org");
    e->protocol = g_strdup("prpl-irc");
    e->buddy = g_strdup("sam");
    e->rule = g_strdup("Sam");
    g_ptr_array_add(events, e);
    e = test_outcome_event(AJAR_EVENT_PASSED, "01JDX0ABCDEFGHJKMNPQRSTVWY", TEST_T0);
    e->rule = g_strdup("Sam");
    g_ptr_array_add(events, e);
    g_ptr_array_add(events, test_outcome_event(AJAR_EVENT_RULES_CHANGED, NULL, TEST_T0));
    e = test_outcome_event(AJAR_EVENT_FAULT, NULL, TEST_T0);
    e->message = g_strdup("rules.json:3:5: something");
    g_ptr_array_add(events, e);
    for (guint i = 0; i < events->len; i++)
        ((AjarEvent *)g_ptr_array_index(events, i))->seq = seq++;
    return events;
}

static void
test_round_trip_every_type(void)
{
    g_autoptr(GPtrArray) events = every_type_events();

    for (guint i = 0; i < events->len; i++) {
        const AjarEvent *event = g_ptr_array_index(events, i);
        g_autofree char *line = encode(event);
        g_autofree char *again = NULL;
        g_autoptr(AjarEvent) back = NULL;

        g_test_message("%.*s", (int)strlen(line) - 1, line);
        back = decode_ok(line);
        test_assert_events_equal(event, back);
        again = encode(back);
        g_assert_cmpstr(line, ==, again);
    }
}

/* Other tools read the journal with ordinary JSON libraries. */
static void
test_round_trip_json_glib(void)
{
    g_autoptr(GPtrArray) events = every_type_events();

    for (guint i = 0; i < events->len; i++) {
        const AjarEvent *event = g_ptr_array_index(events, i);
        g_autofree char *line = encode(event);
        g_autoptr(JsonParser) parser = json_parser_new();
        g_autoptr(GError) error = NULL;
        JsonObject *object;

        json_parser_load_from_data(parser, line, -1, &error);
        g_assert_no_error(error);
        object = json_node_get_object(json_parser_get_root(parser));
        g_assert_cmpint(json_object_get_int_member(object, "seq"), ==, event->seq);
        g_assert_cmpstr(json_object_get_string_member(object, "event"), ==,
                        ajar_event_type_to_string(event->type));
        if (event->id != NULL)
            g_assert_cmpstr(json_object_get_string_member(object, "id"), ==, event->id);
        if (event->text != NULL)
            g_assert_cmpstr(json_object_get_string_member(object, "text"), ==, event->text);
        if (event->message != NULL)
            g_assert_cmpstr(json_object_get_string_member(object, "message"), ==, event->message);
    }
}

/* The replay's decoder, reused line after line as the replay does. */
static AjarEventScratch replay_scratch;

static void
assert_same_decoding(const char *line, gsize len)
{
    g_autoptr(GError) fast_error = NULL;
    g_autoptr(GError) strict_error = NULL;
    g_autoptr(GError) into_error = NULL;
    g_autoptr(AjarEvent) fast = ajar_event_decode(line, len, &fast_error);
    g_autoptr(AjarEvent) strict = ajar_event_decode_strict(line, len, &strict_error);
    AjarEvent into;
    gboolean into_ok = ajar_event_decode_into(line, len, &replay_scratch, &into, &into_error);

    if (strict == NULL) {
        g_assert_null(fast);
        g_assert_false(into_ok);
        g_assert_cmpstr(fast_error->message, ==, strict_error->message);
        g_assert_cmpstr(into_error->message, ==, strict_error->message);
    } else {
        g_assert_nonnull(fast);
        test_assert_events_equal(fast, strict);
        g_assert_true(into_ok);
        g_assert_no_error(into_error);
        test_assert_events_equal(&into, strict);
    }
}

/* The fast scanner for Ajar's own lines decides exactly as the strict JSON
 * reader does, on every line one byte away from a valid one (and on some
 * two bytes away): damaged journals read the same either way. */
static void
test_decode_fast_matches_strict(void)
{
    static const char replacements[] = "\"\\,}{:09au-.e \x01\x7f\x80\xc3\xff\0n/[";
    g_autoptr(GPtrArray) events = every_type_events();
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GRand) rand = g_rand_new_with_seed(1127);
    guint checked = 0;

    for (guint i = 0; i < events->len; i++)
        g_ptr_array_add(lines, encode(g_ptr_array_index(events, i)));
    g_ptr_array_add(lines,
                    g_strdup("{\"seq\":12,\"ts\":\"2026-11-27T21:04:09.1Z\",\"event\":"
                             "\"error\",\"message\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\"}\n"));
    g_ptr_array_add(lines, g_strdup(" { \"seq\" : 3 , \"ts\" : \"2026-11-27T21:04:09+01:00\" , "
                                    "\"event\" : \"read\" , \"id\" : \"\u00e9\" , \"x\":[1] }\n"));
    for (guint i = 0; i < lines->len; i++) {
        const char *line = g_ptr_array_index(lines, i);
        gsize len = strlen(line) - 1; /* without its "\n" */
        g_autofree char *buf = g_malloc(len + 2);

        assert_same_decoding(line, len);
        for (gsize at = 0; at < len; at++) {
            /* the byte deleted */
            memcpy(buf, line, at);
            memcpy(buf + at, line + at + 1, len - at - 1);
            assert_same_decoding(buf, len - 1);
            /* the byte replaced */
            memcpy(buf, line, len);
            for (gsize r = 0; r < sizeof replacements - 1; r++) {
                buf[at] = replacements[r];
                assert_same_decoding(buf, len);
                checked++;
            }
        }
        for (int n = 0; n < 500; n++) {
            memcpy(buf, line, len);
            for (int k = 0; k < 2; k++)
                buf[g_rand_int_range(rand, 0, (gint32)len)] =
                    replacements[g_rand_int_range(rand, 0, sizeof replacements - 1)];
            assert_same_decoding(buf, len);
        }
    }
    g_assert_cmpuint(checked, >, 10000);
}

/* The scanner checks UTF-8 itself, a character at a time, where the strict
 * reader asks g_utf8_validate(): both must take and refuse the same texts,
 * at every alignment of the scanner's eight-byte steps. */
static void
test_decode_fast_matches_strict_utf8(void)
{
    static const char *const texts[] = {
        "caf\xc3\xa9",
        "\xe2\x82\xac",
        "\xf0\x9f\x98\x8a",
        "\xef\xbf\xbe",
        "\xef\xb7\x90",
        "\xf4\x8f\xbf\xbf", /* noncharacters, max */
        "\xed\x9f\xbf",
        "\xee\x80\x80",
        "\xed\xa0\x80", /* around surrogates */
        "\xed\xbf\xbf",
        "\xc0\x80",
        "\xc1\xbf", /* overlong */
        "\xe0\x9f\xbf",
        "\xe0\xa0\x80",
        "\xf0\x8f\xbf\xbf",
        "\xf0\x90\x80\x80",
        "\xf4\x90\x80\x80",
        "\xf5\x80\x80\x80",
        "\x80",
        "\xbf",
        "\xc3", /* lone and cut */
        "\xe2\x82",
        "\xf0\x9f\x98",
        "\xc3\x28",
        "\xe2\x28\xa1",
        "\xf0\x28\x8c\x28",
        "\xff",
    };
    guint checked = 0;

    for (guint t = 0; t < G_N_ELEMENTS(texts); t++) {
        for (guint pad = 0; pad < 17; pad++) {
            for (guint after = 0; after < 10; after += 9) {
                g_autofree char *line = g_strdup_printf(
                    "{\"seq\":7,\"ts\":\"2026-11-27T21:04:09.113Z\",\"event\":\"error\","
                    "\"message\":\"%.*s%s%.*s\"}",
                    (int)pad, "abcdefghijklmnopq", texts[t], (int)after, "0123456789");

                assert_same_decoding(line, strlen(line));
                checked++;
            }
        }
    }
    g_assert_cmpuint(checked, ==, G_N_ELEMENTS(texts) * 17 * 2);
}

/* What a reader says about a line that is not an event: one line, naming the field. */
static void
test_decode_bad_lines(void)
{
#define T "\"ts\":\"2026-11-27T21:04:09.113Z\""
#define HELD "\"seq\":1," T ",\"event\":\"held\",\"id\":\"A\""
#define WHO "\"account\":\"me\",\"protocol\":\"prpl-x\",\"buddy\":\"sam\",\"rule\":\"Sam\""
#define WHEN "\"time\":\"2026-11-27T21:04:09Z\""
    static const struct {
        const char *line;
        const char *message;
    } cases[] = {
        { "", "empty line" },
        { "  \t\r", "empty line" },
        { "{", "not JSON: column 2: expected a key in double quotes, found end of file" },
        { "{\"seq\":1} trailing",
          "not JSON: column 11: unexpected 't' after the end of the value" },
        { "{\"seq\":1,\"seq\":2}", "not JSON: column 10: key \"seq\" appears twice" },
        { "\xff", "not JSON: column 1: expected a value, found byte 0xFF" },
        { "[1,2]", "must be a JSON object, not a list" },
        { "\"held\"", "must be a JSON object, not a string" },
        { "{}", "seq: missing" },
        { "{\"seq\":0}", "seq: must be a positive whole number" },
        { "{\"seq\":-3}", "seq: must be a positive whole number" },
        { "{\"seq\":1.5}", "seq: must be a positive whole number" },
        { "{\"seq\":\"1\"}", "seq: must be a positive whole number" },
        { "{\"seq\":99999999999999999999}", "seq: must be a positive whole number" },
        { "{\"seq\":1}", "ts: missing" },
        { "{\"seq\":1,\"ts\":123}", "ts: must be a string, not a number" },
        { "{\"seq\":1,\"ts\":\"2026-11-27T21:04:09\"}",
          "ts: must be a time with a UTC offset, like 2026-11-27T21:04:09Z" },
        { "{\"seq\":1,\"ts\":\"2026-02-30T00:00:00Z\"}",
          "ts: must be a time with a UTC offset, like 2026-11-27T21:04:09Z" },
        { "{\"seq\":1," T "}", "event: missing" },
        { "{\"seq\":1," T ",\"event\":7}", "event: must be a string, not a number" },
        { "{\"seq\":1," T ",\"event\":\"\"}", "event: must not be empty" },
        { "{\"seq\":1," T ",\"event\":\"held\"}", "id: missing (required in held events)" },
        { "{\"seq\":1," T ",\"event\":\"held\",\"id\":5}", "id: must be a string, not a number" },
        { "{\"seq\":1," T ",\"event\":\"held\",\"id\":null}", "id: must be a string, not null" },
        { "{" HELD "}", "dir: missing (required in held events)" },
        { "{" HELD ",\"dir\":\"sideways\"," WHO "," WHEN ",\"text\":\"x\"}",
          "dir: must be \"in\" or \"out\"" },
        { "{" HELD ",\"dir\":\"in\",\"protocol\":\"p\",\"buddy\":\"b\",\"rule\":\"r\"," WHEN
          ",\"text\":\"x\"}",
          "account: missing (required in held events)" },
        { "{" HELD ",\"dir\":\"in\",\"account\":\"me\",\"protocol\":\"p\",\"buddy\":\"s\\u0000m\","
          "\"rule\":\"r\"," WHEN ",\"text\":\"x\"}",
          "buddy: must not contain a NUL character (\\u0000)" },
        { "{" HELD ",\"dir\":\"in\"," WHO ",\"time\":\"yesterday\",\"text\":\"x\"}",
          "time: must be a time with a UTC offset, like 2026-11-27T21:04:09Z" },
        { "{" HELD ",\"dir\":\"in\"," WHO "," WHEN "}", "text: missing (required in held events)" },
        { "{" HELD ",\"dir\":\"in\"," WHO "," WHEN ",\"text\":5}",
          "text: must be a string, not a number" },
        { "{" HELD ",\"dir\":\"in\"," WHO "," WHEN ",\"text\":\"x\",\"text_base64\":\"eA==\"}",
          "text, text_base64: only one of them may be present" },
        { "{" HELD ",\"dir\":\"in\"," WHO "," WHEN ",\"text_base64\":\"eA=\"}",
          "text_base64: must be base64 (RFC 4648, with padding)" },
        { "{" HELD ",\"dir\":\"in\"," WHO "," WHEN ",\"text_base64\":\"e*==\"}",
          "text_base64: must be base64 (RFC 4648, with padding)" },
        { "{\"seq\":1," T ",\"event\":\"delayed\",\"id\":\"A\",\"dir\":\"in\"," WHO "," WHEN
          ",\"text\":\"x\"}",
          "due: missing (required in delayed events)" },
        { "{\"seq\":1," T ",\"event\":\"released\"}", "id: missing (required in released events)" },
        { "{\"seq\":1," T ",\"event\":\"sending\"}", "id: missing (required in sending events)" },
        { "{\"seq\":1," T ",\"event\":\"showing\"}", "id: missing (required in showing events)" },
        { "{\"seq\":1," T ",\"event\":\"restored\"}", "id: missing (required in restored events)" },
        { "{\"seq\":1," T ",\"event\":\"sent\"}",
          "id: missing (a sent event needs an id, or a rule for a message that passed)" },
        { "{\"seq\":1," T ",\"event\":\"sent\",\"rule\":true}",
          "rule: must be a string, not true or false" },
        { "{\"seq\":1," T ",\"event\":\"error\",\"message\":42}",
          "message: must be a string, not a number" },
        { "{\"seq\":1," T ",\"event\":\"read\",\"id\":\"A\",\"due\":\"soon\"}",
          "due: must be a time with a UTC offset, like 2026-11-27T21:04:09Z" },
    };
#undef T
#undef HELD
#undef WHO
#undef WHEN

    g_assert_cmpuint(G_N_ELEMENTS(cases), >=, 20);
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GError) error = NULL;
        g_autoptr(AjarEvent) event = NULL;
        g_autofree char *shown = g_strescape(cases[i].line, NULL); /* TAP wants UTF-8 */

        g_test_message("case %u: %s", i, shown);
        event = ajar_event_decode(cases[i].line, strlen(cases[i].line), &error);
        g_assert_null(event);
        g_assert_error(error, AJAR_EVENT_ERROR, AJAR_EVENT_ERROR_MALFORMED);
        g_assert_cmpstr(error->message, ==, cases[i].message);
        g_assert_null(strchr(error->message, '\n'));
    }
}

/* A newer version's events are kept by name, not reported as damage. */
static void
test_decode_unknown_event(void)
{
    g_autoptr(AjarEvent) event = decode_ok(
        "{\"seq\":7,\"ts\":\"2026-11-27T21:04:09.113Z\",\"event\":\"snoozed\",\"id\":\"X\","
        "\"dir\":42,\"future\":{\"a\":[1,2]}}");

    g_assert_cmpint(event->type, ==, AJAR_EVENT_UNKNOWN);
    g_assert_cmpstr(event->event_name, ==, "snoozed");
    g_assert_cmpstr(event->id, ==, "X");
    g_assert_cmpint(event->seq, ==, 7);
    g_assert_false(event->has_dir);
}

static void
test_decode_extra_fields(void)
{
    g_autoptr(AjarEvent) event =
        decode_ok("{\"seq\":3,\"ts\":\"2026-11-27T21:04:09.113Z\",\"event\":\"released\","
                  "\"id\":\"X\",\"by\":\"review\",\"n\":[null,true]}");

    g_assert_cmpint(event->type, ==, AJAR_EVENT_RELEASED);
    g_assert_cmpstr(event->id, ==, "X");
}

/* ts is kept to the millisecond (the documented format); a message's own
 * time and due time keep whatever precision they were given. */
static void
test_time_precision(void)
{
    static const struct {
        gint64 offset;
        const char *time_text;
    } cases[] = {
        { 0, "\"time\":\"2026-11-27T21:04:09Z\"" },
        { 250000, "\"time\":\"2026-11-27T21:04:09.250Z\"" },
        { 250001, "\"time\":\"2026-11-27T21:04:09.250001Z\"" },
        { -1, "\"time\":\"2026-11-27T21:04:08.999999Z\"" },
    };

    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(AjarEvent) event =
            test_custody_event(AJAR_EVENT_DELAYED, "ID", AJAR_DIRECTION_IN, "x", TEST_T0);
        g_autoptr(AjarEvent) back = NULL;
        g_autofree char *line = NULL;

        event->seq = 1;
        event->time = TEST_T0 + cases[i].offset;
        event->due = TEST_T0 + cases[i].offset + 600 * G_USEC_PER_SEC;
        line = encode(event);
        g_assert_nonnull(strstr(line, cases[i].time_text));
        back = decode_ok(line);
        g_assert_cmpint(back->time, ==, event->time);
        g_assert_cmpint(back->due, ==, event->due);
    }
}

static void
test_type_names(void)
{
    for (AjarEventType t = AJAR_EVENT_HELD; t <= AJAR_EVENT_ATTENTION; t++) {
        const char *name = ajar_event_type_to_string(t);
        g_assert_nonnull(name);
        g_assert_cmpint(ajar_event_type_from_string(name), ==, t);
    }
    g_assert_null(ajar_event_type_to_string(AJAR_EVENT_UNKNOWN));
    g_assert_null(ajar_event_type_to_string((AjarEventType)999));
    g_assert_cmpint(ajar_event_type_from_string("HELD"), ==, AJAR_EVENT_UNKNOWN);
    g_assert_cmpint(ajar_event_type_from_string(NULL), ==, AJAR_EVENT_UNKNOWN);
    g_assert_cmpstr(ajar_event_type_to_string(AJAR_EVENT_FAULT), ==, "error");
    g_assert_cmpstr(ajar_event_type_to_string(AJAR_EVENT_SENDING), ==, "sending");
    g_assert_cmpstr(ajar_event_type_to_string(AJAR_EVENT_SHOWING), ==, "showing");
    g_assert_cmpstr(ajar_event_type_to_string(AJAR_EVENT_RESTORED), ==, "restored");
    g_assert_false(ajar_event_type_is_custody(AJAR_EVENT_RESTORED));
    g_assert_false(ajar_event_type_is_custody(AJAR_EVENT_SENDING));
    g_assert_false(ajar_event_type_is_custody(AJAR_EVENT_SHOWING));
    g_assert_cmpstr(ajar_event_type_to_string(AJAR_EVENT_RULES_CHANGED), ==, "rules-changed");
    g_assert_true(ajar_event_type_is_custody(AJAR_EVENT_QUEUED));
    g_assert_false(ajar_event_type_is_custody(AJAR_EVENT_CANCELLED));
}

static void
test_copy(void)
{
    g_autoptr(AjarEvent) event =
        test_custody_event(AJAR_EVENT_HELD, "ID", AJAR_DIRECTION_IN, "", TEST_T0);
    g_autoptr(AjarEvent) copy = NULL;

    test_set_text(event, "a\0b", 3);
    event->message = g_strdup("m");
    copy = ajar_event_copy(event);
    test_assert_events_equal(event, copy);
    g_assert_true(copy->text != event->text);
    g_assert_true(copy->id != event->id);
}

int
main(int argc, char **argv)
{
    int status;

    g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

    g_test_add_func("/event/encode/example", test_encode_example);
    g_test_add_func("/event/encode/key-order", test_encode_key_order);
    g_test_add_func("/event/encode/text-base64", test_encode_text_base64);
    g_test_add_func("/event/round-trip/every-type", test_round_trip_every_type);
    g_test_add_func("/event/round-trip/json-glib", test_round_trip_json_glib);
    g_test_add_func("/event/decode/bad-lines", test_decode_bad_lines);
    g_test_add_func("/event/decode/fast-matches-strict", test_decode_fast_matches_strict);
    g_test_add_func("/event/decode/fast-matches-strict-utf8", test_decode_fast_matches_strict_utf8);
    g_test_add_func("/event/decode/unknown-event", test_decode_unknown_event);
    g_test_add_func("/event/decode/extra-fields", test_decode_extra_fields);
    g_test_add_func("/event/time/precision", test_time_precision);
    g_test_add_func("/event/type/names", test_type_names);
    g_test_add_func("/event/copy", test_copy);
    status = g_test_run();
    ajar_event_scratch_clear(&replay_scratch);
    return status;
}
