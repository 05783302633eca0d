/* test-event-fields.c — the journal's fields and events of issue 12
 * (strangers, group chats, quiet hours and asking first, buzzes, images):
 * what is written, what a reader accepts, and that older lines read as before. */
#include <json-glib/json-glib.h>

#include "ajar/ajar-event.h"
#include "store-test-util.h"
#include "../../store/ajar-event-private.h"

#define ID "01JDX0ABCDEFGHJKMNPQRSTVWX"
#define IMAGE_A "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.png"
#define IMAGE_B "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752.jpg"

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

static AjarEvent *
chat_line_event(void)
{
    AjarEvent *event = test_custody_event(AJAR_EVENT_HELD, ID, AJAR_DIRECTION_IN,
                                          "look <img id=\"1\"> and <img id=\"2\">", TEST_T0);
    const char *images[] = { IMAGE_A, IMAGE_B, NULL };

    event->seq = 9;
    event->chat = g_strdup("book club");
    event->nick = g_strdup("sam");
    event->images = g_strdupv((char **)images);
    return event;
}

/* Every new field, each in its place (SPEC's order), and nothing else moved. */
static void
test_encode_order(void)
{
    g_autoptr(AjarEvent) event = chat_line_event();
    g_autofree char *line = NULL;

    event->stranger = TRUE;
    event->quiet = TRUE;
    event->ask = TRUE;
    event->message = g_strdup("m");
    line = encode(event);
    g_assert_cmpstr(line, ==,
                    "{\"seq\":9,\"ts\":\"2026-11-27T21:04:09.000Z\",\"event\":\"held\","
                    "\"id\":\"" ID "\",\"dir\":\"in\",\"account\":\"me@example.org/Home\","
                    "\"protocol\":\"prpl-jabber\",\"buddy\":\"sam@example.org\",\"rule\":\"Sam\","
                    "\"chat\":\"book club\",\"nick\":\"sam\",\"time\":\"2026-11-27T21:04:07Z\","
                    "\"text\":\"look <img id=\\\"1\\\"> and <img id=\\\"2\\\">\","
                    "\"images\":[\"" IMAGE_A "\",\"" IMAGE_B "\"],"
                    "\"stranger\":true,\"quiet\":true,\"ask\":true,\"message\":\"m\"}\n");
}

static GPtrArray *
new_events(void)
{
    GPtrArray *events = g_ptr_array_new_with_free_func((GDestroyNotify)ajar_event_free);
    AjarEvent *e;

    g_ptr_array_add(events, chat_line_event());
    e = test_custody_event(AJAR_EVENT_ARCHIVED, ID, AJAR_DIRECTION_IN, "who is this", TEST_T0);
    e->stranger = TRUE;
    g_free(e->rule);
    e->rule = g_strdup("Strangers");
    g_ptr_array_add(events, e);
    e = test_custody_event(AJAR_EVENT_QUEUED, ID, AJAR_DIRECTION_OUT, "sorry", TEST_T0);
    e->quiet = TRUE;
    g_ptr_array_add(events, e);
    e = test_custody_event(AJAR_EVENT_QUEUED, ID, AJAR_DIRECTION_OUT, "sorry", TEST_T0);
    e->ask = TRUE;
    g_ptr_array_add(events, e);
    e = test_outcome_event(AJAR_EVENT_ASSIGNED, ID, TEST_T0);
    e->rule = g_strdup("Sam");
    g_ptr_array_add(events, e);
    e = test_outcome_event(AJAR_EVENT_ATTENTION, NULL, TEST_T0);
    e->account = g_strdup("me@example.org");
    e->protocol = g_strdup("prpl-jabber");
    e->buddy = g_strdup("kim@example.org");
    e->rule = g_strdup("Strangers");
    e->time = TEST_T0 - G_USEC_PER_SEC;
    e->stranger = TRUE;
    g_ptr_array_add(events, e);
    for (guint i = 0; i < events->len; i++)
        ((AjarEvent *)g_ptr_array_index(events, i))->seq = i + 1;
    return events;
}

/* Each new event and field comes back as it was, byte for byte; json-glib
 * (other tools) reads the same values. */
static void
test_round_trip(void)
{
    g_autoptr(GPtrArray) events = new_events();

    for (guint i = 0; i < events->len; i++) {
        const AjarEvent *event = g_ptr_array_index(events, i);
        g_autofree char *line = encode(event);
        g_autofree char *again = NULL;
        g_autoptr(AjarEvent) back = NULL;
        g_autoptr(AjarEvent) copy = NULL;
        g_autoptr(JsonParser) parser = json_parser_new();
        g_autoptr(GError) error = NULL;
        JsonObject *object;

        g_test_message("%.*s", (int)strlen(line) - 1, line);
        back = decode_ok(line);
        test_assert_events_equal(event, back);
        again = encode(back);
        g_assert_cmpstr(line, ==, again);
        copy = ajar_event_copy(back);
        test_assert_events_equal(back, copy);
        g_assert_true(copy->images == NULL || copy->images != back->images);

        json_parser_load_from_data(parser, line, -1, &error);
        g_assert_no_error(error);
        object = json_node_get_object(json_parser_get_root(parser));
        g_assert_cmpint(json_object_has_member(object, "stranger"), ==, event->stranger);
        if (event->images != NULL) {
            JsonArray *images = json_object_get_array_member(object, "images");
            g_assert_cmpuint(json_array_get_length(images), ==, 2);
            g_assert_cmpstr(json_array_get_string_element(images, 1), ==, IMAGE_B);
        }
        if (event->chat != NULL)
            g_assert_cmpstr(json_object_get_string_member(object, "chat"), ==, event->chat);
    }
}

/* Lines written before issue 12 read as before: no room, no marks, no images. */
static void
test_old_lines(void)
{
    g_autoptr(AjarEvent) held =
        decode_ok("{\"seq\":41,\"ts\":\"2026-11-27T21:04:09.113Z\",\"event\":\"held\","
                  "\"id\":\"" ID "\",\"dir\":\"in\",\"account\":\"me@example.org/Home\","
                  "\"protocol\":\"prpl-jabber\",\"buddy\":\"sam@example.org\",\"rule\":\"Sam\","
                  "\"time\":\"2026-11-27T21:04:09Z\",\"text\":\"are you awake?\"}");
    g_autoptr(AjarEvent) falses =
        decode_ok("{\"seq\":2,\"ts\":\"2026-11-27T21:04:09.113Z\",\"event\":\"released\","
                  "\"id\":\"" ID "\",\"stranger\":false,\"quiet\":false,\"ask\":false,"
                  "\"images\":[]}");
    g_autofree char *line = NULL;

    g_assert_null(held->chat);
    g_assert_null(held->nick);
    g_assert_null(held->images);
    g_assert_false(held->stranger || held->quiet || held->ask);
    g_assert_false(falses->stranger || falses->quiet || falses->ask);
    g_assert_null(falses->images);
    line = encode(falses);
    g_assert_cmpstr(line, ==,
                    "{\"seq\":2,\"ts\":\"2026-11-27T21:04:09.113Z\",\"event\":\"released\","
                    "\"id\":\"" ID "\"}\n");
    g_assert_cmpstr(ajar_event_type_to_string(AJAR_EVENT_ASSIGNED), ==, "assigned");
    g_assert_cmpstr(ajar_event_type_to_string(AJAR_EVENT_ATTENTION), ==, "attention");
    g_assert_cmpint(ajar_event_type_from_string("attention"), ==, AJAR_EVENT_ATTENTION);
    g_assert_false(ajar_event_type_is_custody(AJAR_EVENT_ASSIGNED));
    g_assert_false(ajar_event_type_is_custody(AJAR_EVENT_ATTENTION));
}

/* What a reader says about the new fields and events when they are wrong. */
static void
test_bad_lines(void)
{
#define T "\"seq\":1,\"ts\":\"2026-11-27T21:04:09.113Z\""
#define WHO "\"account\":\"me\",\"protocol\":\"prpl-x\",\"buddy\":\"sam\",\"rule\":\"Sam\""
#define WHEN "\"time\":\"2026-11-27T21:04:09Z\""
    static const struct {
        const char *line;
        const char *message;
    } cases[] = {
        { "{" T ",\"event\":\"assigned\",\"rule\":\"Sam\"}",
          "id: missing (required in assigned events)" },
        { "{" T ",\"event\":\"assigned\",\"id\":\"A\"}",
          "rule: missing (required in assigned events)" },
        { "{" T ",\"event\":\"assigned\",\"id\":\"A\",\"rule\":7}",
          "rule: must be a string, not a number" },
        { "{" T ",\"event\":\"attention\",\"protocol\":\"p\",\"buddy\":\"b\",\"rule\":\"r\"," WHEN
          "}",
          "account: missing (required in attention events)" },
        { "{" T ",\"event\":\"attention\"," WHO "}",
          "time: missing (required in attention events)" },
        { "{" T ",\"event\":\"attention\"," WHO "," WHEN ",\"text\":\"bzz\"}",
          "text: not used in attention events (a buzz has no text)" },
        { "{" T ",\"event\":\"attention\"," WHO "," WHEN ",\"text_base64\":\"eA==\"}",
          "text: not used in attention events (a buzz has no text)" },
        { "{" T ",\"event\":\"read\",\"id\":\"A\",\"stranger\":\"yes\"}",
          "stranger: must be true or false, not a string" },
        { "{" T ",\"event\":\"read\",\"id\":\"A\",\"quiet\":1}",
          "quiet: must be true or false, not a number" },
        { "{" T ",\"event\":\"read\",\"id\":\"A\",\"ask\":null}",
          "ask: must be true or false, not null" },
        { "{" T ",\"event\":\"read\",\"id\":\"A\",\"chat\":5}",
          "chat: must be a string, not a number" },
        { "{" T ",\"event\":\"read\",\"id\":\"A\",\"nick\":\"s\\u0000m\"}",
          "nick: must not contain a NUL character (\\u0000)" },
        { "{" T ",\"event\":\"read\",\"id\":\"A\",\"images\":\"a.png\"}",
          "images: must be a list of file names, not a string" },
        { "{" T ",\"event\":\"read\",\"id\":\"A\",\"images\":[\"../../.ssh/id_rsa\"]}",
          "images: each must be a file name in the images folder (no \"/\", not starting with "
          "\".\")" },
        { "{" T ",\"event\":\"read\",\"id\":\"A\",\"images\":[\"a.png\",3]}",
          "images: each must be a file name in the images folder (no \"/\", not starting with "
          "\".\")" },
        { "{" T ",\"event\":\"read\",\"id\":\"A\",\"images\":[\".hidden\"]}",
          "images: each must be a file name in the images folder (no \"/\", not starting with "
          "\".\")" },
        { "{" T ",\"event\":\"read\",\"id\":\"A\",\"images\":[\"\"]}",
          "images: each must be a file name in the images folder (no \"/\", not starting with "
          "\".\")" },
        { "{" T ",\"event\":\"read\",\"id\":\"A\",\"images\":[\"a\\nb.png\"]}",
          "images: each must be a file name in the images folder (no \"/\", not starting with "
          "\".\")" },
    };
#undef T
#undef WHO
#undef WHEN

    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(GError) error = NULL;
        g_autoptr(GError) strict_error = NULL;
        g_autoptr(AjarEvent) event = NULL;
        g_autoptr(AjarEvent) strict = NULL;

        g_test_message("case %u: %s", i, cases[i].line);
        event = ajar_event_decode(cases[i].line, strlen(cases[i].line), &error);
        g_assert_null(event);
        g_assert_error(error, AJAR_EVENT_ERROR, AJAR_EVENT_ERROR_MALFORMED);
        g_assert_cmpstr(error->message, ==, cases[i].message);
        strict = ajar_event_decode_strict(cases[i].line, strlen(cases[i].line), &strict_error);
        g_assert_null(strict);
        g_assert_cmpstr(strict_error->message, ==, cases[i].message);
    }
}

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
        test_assert_events_equal(&into, strict);
    }
}

/* The scanner takes true and false itself (a stranger's line stays on the
 * fast path) and leaves lists to the strict reader: on every line one byte
 * away from one with the new fields, all three decoders agree. */
static void
test_fast_matches_strict(void)
{
    static const char replacements[] = "\"\\,}{:[]09tfeu \x01\x80\xff\0/.";
    g_autoptr(GPtrArray) events = new_events();
    guint checked = 0;

    for (guint i = 0; i < events->len; i++) {
        g_autofree char *line = encode(g_ptr_array_index(events, i));
        gsize len = strlen(line) - 1;
        g_autofree char *buf = g_malloc(len + 2);

        assert_same_decoding(line, len);
        for (gsize at = 0; at < len; at++) {
            memcpy(buf, line, at);
            memcpy(buf + at, line + at + 1, len - at - 1);
            assert_same_decoding(buf, len - 1);
            memcpy(buf, line, len);
            for (gsize r = 0; r < sizeof replacements - 1; r++) {
                buf[at] = replacements[r];
                assert_same_decoding(buf, len);
                checked++;
            }
        }
    }
    g_assert_cmpuint(checked, >, 10000);
}

int
main(int argc, char **argv)
{
    int status;

    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/event-fields/encode/order", test_encode_order);
    g_test_add_func("/event-fields/round-trip", test_round_trip);
    g_test_add_func("/event-fields/old-lines", test_old_lines);
    g_test_add_func("/event-fields/bad-lines", test_bad_lines);
    g_test_add_func("/event-fields/fast-matches-strict", test_fast_matches_strict);
    status = g_test_run();
    ajar_event_scratch_clear(&replay_scratch);
    return status;
}
