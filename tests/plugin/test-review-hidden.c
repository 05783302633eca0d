/* test-review-hidden.c — text that lies about itself, in the built ajar.so:
 * a held message with a bidi override, zero-width and tag characters is
 * journaled byte for byte; the review shows it with visible marks
 * ("<U+202E>") where the hidden characters are; releasing it puts the
 * original text, unchanged, into the user's own conversation; a rule name
 * that mixes alphabets is marked in the review, the statistics and
 * "/ajar status".
 *
 * The cases share one libpurple core and run in order (test-harness.c). */
#include "review-test-util.h"

#include <notify.h>
#include <util.h>

#define RLO "\xE2\x80\xAE"           /* U+202E RIGHT-TO-LEFT OVERRIDE */
#define LRI "\xE2\x81\xA6"           /* U+2066 LEFT-TO-RIGHT ISOLATE */
#define PDI "\xE2\x81\xA9"           /* U+2069 POP DIRECTIONAL ISOLATE */
#define ZWSP "\xE2\x80\x8B"          /* U+200B ZERO WIDTH SPACE */
#define SHY "\xC2\xAD"               /* U+00AD SOFT HYPHEN */
#define TAG_I "\xF3\xA0\x81\xA9"     /* U+E0069 TAG LATIN SMALL LETTER I */
#define TAG_G "\xF3\xA0\x81\xA7"     /* U+E0067 */
#define LOOKALIKE_ALEX "\xD0\x90lex" /* "Аlex" with a Cyrillic А (U+0410) */
#define HIDDEN_MAX "Max" RLO

#define LYING "invoice" RLO "txt.exe " ZWSP "emer" SHY "gency " LRI "x" PDI " ok" TAG_I TAG_G

#define RULES                                                                                \
    "{\"version\": 1, \"rules\": ["                                                          \
    "{\"name\": \"Sam\", \"match\": [{\"buddy\": \"" SAM "\"}], \"incoming\": {\"action\": " \
    "\"hold\"}},"                                                                            \
    "{\"name\": \"" LOOKALIKE_ALEX "\", \"match\": [{\"buddy\": \"" ALEX "\"}], "            \
    "\"incoming\": {\"action\": \"hold\"}},"                                                 \
    "{\"name\": \"" HIDDEN_MAX "\", \"match\": [{\"buddy\": \"" MAX_BUDDY "\"}], "           \
    "\"incoming\": {\"action\": \"hold\"}}], \"settings\": {\"notify\": \"count\"}}\n"

static const gunichar raw_hidden[] = { 0x202E, 0x2066, 0x2069, 0x200B, 0xAD, 0xE0069, 0xE0067 };

/* None of the hidden characters reaches what the user reads raw. */
static void
assert_no_raw_hidden(const char *what, const char *shown)
{
    g_assert_true(g_utf8_validate(shown, -1, NULL));
    for (const char *p = shown; *p != '\0'; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        for (gsize i = 0; i < G_N_ELEMENTS(raw_hidden); i++) {
            if (c == raw_hidden[i])
                g_error("%s: U+%04X is shown raw: %s", what, c, shown);
        }
    }
}

static void
test_setup(void)
{
    me();
    ajar_test_write_rules(RULES);
    ajar_test_load();
}

/* The journal keeps what came, byte for byte: marks are for showing. */
static void
test_held_byte_exact(void)
{
    g_autoptr(GPtrArray) held = NULL;
    g_autofree char *journal = NULL;
    g_autofree char *path = ajar_test_path("journal.jsonl");

    ajar_test_drain();
    receive(SAM, LYING);
    receive(ALEX, "hello from Alex");
    receive(MAX_BUDDY, "hello from Max");
    ajar_test_assert_nothing_shown();
    held = ajar_test_events_since(0, AJAR_EVENT_HELD, NULL);
    g_assert_cmpuint(held->len, ==, 3);
    g_assert_cmpstr(((AjarEvent *)g_ptr_array_index(held, 0))->text, ==, LYING);
    g_assert_cmpuint(((AjarEvent *)g_ptr_array_index(held, 0))->text_len, ==, strlen(LYING));
    g_assert_true(g_file_get_contents(path, &journal, NULL, NULL));
    g_assert_nonnull(strstr(journal, "\"text\":\"" LYING "\""));
    g_assert_null(strstr(journal, "<U+"));
}

static void
test_review_marks(void)
{
    g_autofree char *label = NULL;
    g_autoptr(GPtrArray) step = NULL;
    g_autoptr(GPtrArray) boxes = NULL;
    TestRequest *request;
    gint64 seq = ajar_test_last_seq();

    ajar_test_drain();
    step = ajar_test_review_read("Sam: 1 held", &label);
    request = g_ptr_array_index(step, 0);
    g_test_message("content: %s", content(step));
    assert_no_raw_hidden("the review's text", content(step));
    /* Marks wrapped as words are (80 columns). */
    g_assert_nonnull(strstr(content(step), "1. invoice<U+202E>txt.exe <U+200B>emer<U+00AD>gency "
                                           "<U+2066>x<U+2069>\n   ok<U+E0069><U+E0067>"));
    boxes = ajar_test_review_boxes(request);
    g_assert_cmpuint(boxes->len, ==, 1);
    {
        const char *box = purple_request_field_get_label(g_ptr_array_index(boxes, 0));
        g_test_message("check box: %s", box);
        assert_no_raw_hidden("the review's check box", box);
        g_assert_nonnull(strstr(box, "— invoice<U+202E>txt.exe <U+200B>emer"));
    }
    test_client_request_cancel(request);
    g_assert_cmpint(ajar_test_last_seq(), ==, seq); /* reading changes nothing */
}

/* A rule name that mixes alphabets, or hides a character, says so in the
 * review's first step and in a person's title. */
static void
test_review_names(void)
{
    g_autoptr(GPtrArray) first = open_review();
    TestRequest *request = g_ptr_array_index(first, 0);
    PurpleRequestField *people = purple_request_fields_get_field(request->fields, "person");
    g_autoptr(GPtrArray) alex = NULL;
    g_autoptr(GPtrArray) max = NULL;

    for (GList *l = purple_request_field_list_get_items(people); l != NULL; l = l->next) {
        g_test_message("first step: %s", (const char *)l->data);
        assert_no_raw_hidden("the review's first step", l->data);
    }
    g_assert_nonnull(ajar_test_list_item(people, LOOKALIKE_ALEX " [mixed alphabets]: 1 held, "));
    g_assert_nonnull(ajar_test_list_item(people, "Max<U+202E>: 1 held, "));
    test_client_request_cancel(request);

    alex = read_person(LOOKALIKE_ALEX " [mixed alphabets]: ");
    g_assert_cmpstr(((TestRequest *)g_ptr_array_index(alex, 0))->primary, ==,
                    "Kept messages: " LOOKALIKE_ALEX " [mixed alphabets]");
    test_client_request_cancel(g_ptr_array_index(alex, 0));
    max = read_person("Max<U+202E>: ");
    g_assert_cmpstr(((TestRequest *)g_ptr_array_index(max, 0))->primary, ==,
                    "Kept messages: Max<U+202E>");
    test_client_request_cancel(g_ptr_array_index(max, 0));
}

/* Released, it is the user's own conversation: the original text, as it
 * came, not the marked form. */
static void
test_release_original(void)
{
    g_autoptr(GPtrArray) ids = ids_of(SAM, AJAR_EVENT_HELD);
    g_autoptr(GPtrArray) step = read_person("Sam: 1 held");
    g_autoptr(GPtrArray) shown = NULL;

    g_assert_cmpuint(ids->len, ==, 1);
    answer(step, (const char *const[]){ "invoice", NULL }, "Release the chosen");
    shown = shown_lines();
    g_assert_cmpuint(shown->len, ==, 1);
    g_assert_cmpstr(g_ptr_array_index(shown, 0), ==, LYING);
    g_assert_cmpint(ajar_test_item_state(g_ptr_array_index(ids, 0)), ==, AJAR_EVENT_RELEASED);
}

static void
test_statistics(void)
{
    g_autoptr(GPtrArray) notices = NULL;
    g_autofree char *text = NULL;
    TestNotice *notice;

    ajar_test_drain();
    ajar_test_run_action(plugin(), "Statistics…");
    notices = test_client_take_notices();
    g_assert_cmpuint(notices->len, ==, 1);
    notice = g_ptr_array_index(notices, 0);
    g_assert_cmpint(notice->kind, ==, TEST_NOTICE_FORMATTED);
    text = purple_unescape_html(notice->text);
    g_test_message("statistics: %s", text);
    assert_no_raw_hidden("the statistics", text);
    g_assert_nonnull(strstr(text, LOOKALIKE_ALEX " [mixed alphabets]\n"));
    g_assert_nonnull(strstr(text, "Max<U+202E>\n"));
}

/* How many of the lines "/ajar status" wrote (markup: the window reads
 * it) read @text, once unescaped; none shows a hidden character raw. */
static guint
status_lines_with(const char *who, const char *text)
{
    g_autoptr(GPtrArray) lines = NULL;
    guint count = 0;

    ajar_test_drain();
    g_assert_cmpint(test_client_command(me(), who, "ajar status"), ==, PURPLE_CMD_STATUS_OK);
    test_client_iterate(100);
    lines = test_client_take_lines();
    for (guint i = 0; i < lines->len; i++) {
        g_autofree char *shown =
            purple_unescape_html(((TestLine *)g_ptr_array_index(lines, i))->message);
        g_test_message("/ajar status: %s", shown);
        assert_no_raw_hidden("/ajar status", shown);
        count += strstr(shown, text) != NULL;
    }
    return count;
}

/* "/ajar status" names the rule as the review does. */
static void
test_status(void)
{
    g_assert_cmpuint(status_lines_with(ALEX, "Ajar (" LOOKALIKE_ALEX " [mixed alphabets]): "
                                             "their messages are held for you."),
                     ==, 1);
    g_assert_cmpuint(
        status_lines_with(MAX_BUDDY, "Ajar (Max<U+202E>): their messages are held for you."), ==,
        1);
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    g_test_add_func("/plugin/review-hidden/setup", test_setup);
    g_test_add_func("/plugin/review-hidden/held-byte-exact", test_held_byte_exact);
    g_test_add_func("/plugin/review-hidden/review-marks", test_review_marks);
    g_test_add_func("/plugin/review-hidden/review-names", test_review_names);
    g_test_add_func("/plugin/review-hidden/release-original", test_release_original);
    g_test_add_func("/plugin/review-hidden/statistics", test_statistics);
    g_test_add_func("/plugin/review-hidden/status", test_status);
    status = g_test_run();

    test_client_quit();
    test_client_cleanup();
    return status;
}
