/* test-security-content.c — what a hostile message can do to what is shown,
 * and what the journal knows about messages no rule touched, with the built
 * ajar.so in a real libpurple.
 *
 * - The review shows a held message as plain text: tags, scripts and
 *   images are gone (nothing is fetched), entities are decoded into text,
 *   control characters are shown as symbols, and nothing of the message
 *   reaches the dialog's title or headings.
 * - The HTML export of a journal the plugin wrote (`ajar export`) carries
 *   the same texts and hostile buddy names escaped: no element, attribute
 *   or script of theirs, and a page that may load nothing.
 * - Text that lies about itself (issue 16): a held message with a bidi
 *   override, zero-width and tag characters, from a sender whose address
 *   mixes alphabets, is journaled byte for byte, while the review,
 *   `ajar list` and the HTML export show a visible mark for each hidden
 *   character and note the lookalike name: none of it reaches them raw.
 * - The journal never holds the text of a message no rule touched: many
 *   messages to and from people without a rule, one whose rule's time is
 *   over, one a keyword let through and one sent to someone whose rule
 *   lets their own messages pass leave no trace of their words.
 *
 * See also tests/plugin/test-review.c (markup-plain: bold and links) and
 * tests/cli/test-cli-export.c, test-cli-terminal.c (escaping on journals
 * written by the core). */
#include "security-util.h"

#include <sys/wait.h>

#define ME "me@example.org/Home"
#define SAM "sam@example.org"
#define ATTACKER "<img src=x onerror=alert(3)>@example.org"

/* Markup, a script, a tracking image, entities that decode to markup, an
 * escape sequence that would clear a terminal, a C1 control. */
#define HOSTILE_TEXT                                                                   \
    "<b>bold</b> <script>alert(1)</script><img src=\"http://tracker.example/p.gif\"> " \
    "&lt;i&gt;literal&lt;/i&gt; \x1b[2J\xc2\x9b"                                       \
    "31m <a href=\"javascript:alert(2)\">click</a> end"
/* What a person reads. */
#define HOSTILE_PLAIN                                         \
    "bold [image] <i>literal</i> \xe2\x90\x9b[2J\xef\xbf\xbd" \
    "31m click <javascript:alert(2)> end"

static PurpleAccount *
me(void)
{
    return ajar_test_account(ME);
}

static void
use_rules(const char *rules_json)
{
    g_autofree char *json = g_strdup_printf("{\"version\": 1, \"rules\": [%s]}\n", rules_json);

    me();
    ajar_test_reload_with_rules(json);
    ajar_rules_unref(ajar_test_parse_rules()); /* a valid file */
}

/* No byte a dialog or terminal would act on: valid UTF-8, no C0 control but
 * newline and tab, no DEL, no C1 control. */
static void
assert_no_controls(const char *text)
{
    g_assert_true(g_utf8_validate(text, -1, NULL));
    for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);

        if ((c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7F && c <= 0x9F))
            g_error("control character U+%04X in \"%s\"", c, text);
    }
}

static void
assert_no_markup_of_theirs(const char *text)
{
    g_assert_null(strstr(text, "<b>"));
    g_assert_null(strstr(text, "<script"));
    g_assert_null(strstr(text, "alert(1)"));
    g_assert_null(strstr(text, "<img"));
    g_assert_null(strstr(text, "tracker.example"));
    g_assert_null(strstr(text, "&lt;"));
    g_assert_null(strstr(text, "<a "));
}

static void
test_review_plain(void)
{
    g_autoptr(GPtrArray) second = NULL;
    g_autofree char *label = NULL;
    TestRequest *request;
    g_autoptr(GPtrArray) boxes = NULL;
    const char *content;
    gint64 seq;

    use_rules("{\"name\": \"Sam\", \"match\": [{\"buddy\": \"" SAM "\"}], "
              "\"incoming\": {\"action\": \"hold\"}}");
    seq = ajar_test_last_seq();
    test_client_receive(me(), SAM, HOSTILE_TEXT, 0, time(NULL));
    test_client_iterate(100);
    ajar_test_assert_nothing_shown();
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_HELD), ==, 1);

    /* Step one: counts only. Step two: the text, plain. */
    second = ajar_test_review_read("Sam: ", &label);
    g_assert_null(strstr(label, "bold"));
    request = g_ptr_array_index(second, 0);
    content = request->secondary;
    g_assert_nonnull(content);
    g_test_message("content: %s", content);
    /* Numbered, as the check box under it. */
    g_assert_nonnull(strstr(content, "1. " HOSTILE_PLAIN));
    assert_no_controls(content);
    assert_no_markup_of_theirs(content);
    boxes = ajar_test_review_boxes(request);
    g_assert_cmpuint(boxes->len, ==, 1);
    for (guint i = 0; i < boxes->len; i++) {
        const char *line = purple_request_field_get_label(g_ptr_array_index(boxes, i));
        /* The line shows the start of the text (cut to fit 80 columns
         * in Finch); the text above has all of it. */
        const char *preview = strstr(line, " — ");
        g_autofree char *shown = NULL;
        g_test_message("line: %s", line);
        g_assert_nonnull(preview);
        shown = g_strdup(preview + strlen(" — "));
        g_assert_true(g_str_has_suffix(shown, "…"));
        shown[strlen(shown) - strlen("…")] = '\0';
        g_assert_true(g_str_has_prefix(HOSTILE_PLAIN, shown));
        g_assert_cmpuint(strlen(shown), >, 20);
        assert_no_controls(line);
        assert_no_markup_of_theirs(line);
    }
    /* Nothing of the message in the window's own words. */
    g_assert_null(strstr(request->title, "bold"));
    g_assert_null(request->primary != NULL ? strstr(request->primary, "bold") : NULL);
    /* The secondary text is where the plain text is (checked above):
     * Pidgin escapes it (gtkrequest.c: g_markup_escape_text), Finch shows
     * it as a plain label. */
    test_client_request_cancel(request);
    ajar_test_drain();
}

/* The built `ajar` on this client's folder: its output (must succeed). */
static char *
run_cli(const char *command, const char *option)
{
    g_autofree char *err = NULL;
    char *out = NULL;
    int status = 0;
    g_autoptr(GError) error = NULL;
    const char *argv[] = {
        g_getenv("AJAR_CLI"), "--dir", test_client_user_dir(), command, option, NULL
    };

    g_assert_nonnull(argv[0]);
    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &status, &error));
    g_assert_no_error(error);
    g_assert_cmpstr(err, ==, "");
    g_assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return out;
}

static char *
export_html(void)
{
    return run_cli("export", "--format=html");
}

static guint
count_of(const char *haystack, const char *needle)
{
    guint count = 0;

    for (const char *p = haystack; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        count++;
    return count;
}

/* Every tag in @page (lower case) is one the export itself writes, without
 * a link, a source or an event handler. */
static void
assert_own_tags_only(const char *page)
{
    static const char *const own[] = { "!doctype", "html",    "head",    "meta", "title", "style",
                                       "body",     "header",  "h1",      "h2",   "p",     "code",
                                       "main",     "section", "article", "time", "span",  "bdi" };

    for (const char *p = page; (p = strchr(p, '<')) != NULL; p++) {
        const char *end = strchr(p, '>');
        g_autofree char *tag = NULL;
        g_autofree char *name = NULL;
        gboolean known = FALSE;

        g_assert_nonnull(end);
        tag = g_strndup(p, (gsize)(end - p + 1));
        name = g_strndup(p + 1 + (p[1] == '/'), strcspn(p + 1 + (p[1] == '/'), " >"));
        for (guint i = 0; i < G_N_ELEMENTS(own); i++)
            known |= strcmp(name, own[i]) == 0;
        if (!known)
            g_error("a tag the export does not write: %s", tag);
        g_assert_null(strstr(tag, "src="));
        g_assert_null(strstr(tag, "href="));
        g_assert_null(strstr(tag, " on"));
        g_assert_null(strstr(tag, "javascript:"));
    }
}

static void
test_html_export(void)
{
    g_autofree char *page = NULL;
    g_autofree char *lower = NULL;
    gint64 seq;

    /* A buddy name is the other side's choice too. */
    use_rules(
        "{\"name\": \"Sam\", \"match\": [{\"buddy\": \"" SAM "\"}, {\"buddy\": "
        "\"<img src=x onerror=alert(3)>@example.org\"}], \"incoming\": {\"action\": \"hold\"}}");
    seq = ajar_test_last_seq();
    /* Tags are markup and go; entities are text that looks like tags. */
    test_client_receive(me(), ATTACKER, "</p></article><script>alert(4)</script>", 0, time(NULL));
    test_client_receive(me(), ATTACKER,
                        "&lt;/p&gt;&lt;/article&gt;&lt;script&gt;alert(5)&lt;/script&gt;", 0,
                        time(NULL));
    test_client_iterate(100);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_HELD), ==, 2);

    page = export_html();
    lower = g_ascii_strdown(page, -1);
    g_test_message("%s", page);
    assert_no_controls(page);
    /* The page's own elements only: one style sheet, no script, image,
     * link, frame or event handler, and a policy that forbids loading. */
    g_assert_cmpuint(count_of(lower, "<style"), ==, 1);
    g_assert_null(strstr(lower, "<script"));
    g_assert_null(strstr(lower, "<img"));
    g_assert_null(strstr(lower, "<a "));
    g_assert_null(strstr(lower, "<iframe"));
    assert_own_tags_only(lower);
    g_assert_cmpuint(count_of(lower, "</article>"), ==, count_of(lower, "<article"));
    g_assert_nonnull(strstr(page, "default-src 'none'"));
    /* Their words are there, as text. */
    g_assert_nonnull(strstr(page, "&lt;i&gt;literal&lt;/i&gt;"));
    g_assert_nonnull(strstr(page, "&lt;img src=x onerror=alert(3)&gt;@example.org"));
    g_assert_nonnull(
        strstr(page, "&lt;/p&gt;&lt;/article&gt;&lt;script&gt;alert(5)&lt;/script&gt;"));
    g_assert_null(strstr(page, "alert(4)"));
    ajar_test_drain();
}

#define RLO "\xE2\x80\xAE"       /* U+202E RIGHT-TO-LEFT OVERRIDE */
#define ZWSP "\xE2\x80\x8B"      /* U+200B ZERO WIDTH SPACE */
#define TAG_I "\xF3\xA0\x81\xA9" /* U+E0069 TAG LATIN SMALL LETTER I */
#define LYING "invoice" RLO "txt.exe " ZWSP "urgent" TAG_I
#define LOOKALIKE "s\xD0\xB0m@example.org" /* "sam" with a Cyrillic а (U+0430) */

/* No bidi control, zero-width or tag character in @shown. */
static void
assert_no_raw_hidden(const char *what, const char *shown)
{
    g_test_message("%s: %s", what, shown);
    g_assert_true(g_utf8_validate(shown, -1, NULL));
    g_assert_null(strstr(shown, RLO));
    g_assert_null(strstr(shown, ZWSP));
    g_assert_null(strstr(shown, TAG_I));
}

static void
test_hidden_characters(void)
{
    g_autoptr(GPtrArray) second = NULL;
    g_autoptr(GPtrArray) events = NULL;
    g_autofree char *label = NULL;
    g_autofree char *page = NULL;
    g_autofree char *listing = NULL;
    g_autofree char *shown = NULL;
    g_autofree char *lying_id = NULL;
    TestRequest *request;
    guint exact = 0;
    gint64 seq;

    use_rules("{\"name\": \"Sam\", \"match\": [{\"buddy\": \"" LOOKALIKE "\"}], "
              "\"incoming\": {\"action\": \"hold\"}}");
    seq = ajar_test_last_seq();
    test_client_receive(me(), LOOKALIKE, LYING, 0, time(NULL));
    test_client_iterate(100);
    ajar_test_assert_nothing_shown();

    /* Kept byte for byte. */
    events = ajar_test_events_since(seq, AJAR_EVENT_HELD, NULL);
    for (guint i = 0; i < events->len; i++) {
        const AjarEvent *event = g_ptr_array_index(events, i);
        if (event->text_len == strlen(LYING) && memcmp(event->text, LYING, event->text_len) == 0) {
            exact++;
            lying_id = g_strdup(event->id);
        }
    }
    g_assert_cmpuint(exact, ==, 1);

    /* The review: marks where the hidden characters are (it names rules,
     * not addresses: the lookalike address is checked below). */
    second = ajar_test_review_read("Sam: ", &label);
    request = g_ptr_array_index(second, 0);
    assert_no_raw_hidden("review", request->secondary);
    g_assert_nonnull(strstr(request->secondary, "invoice<U+202E>txt.exe <U+200B>urgent<U+E0069>"));
    test_client_request_cancel(request);
    ajar_test_drain();

    listing = run_cli("list", "--state=held");
    assert_no_raw_hidden("ajar list", listing);
    g_assert_nonnull(strstr(listing, "[mixed alphabets]"));
    shown = run_cli("show", lying_id);
    assert_no_raw_hidden("ajar show", shown);
    g_assert_nonnull(strstr(shown, "invoice<U+202E>txt.exe <U+200B>urgent<U+E0069>"));

    page = export_html();
    assert_no_raw_hidden("export", page);
    g_assert_nonnull(strstr(page, "<span class=\"hidden-char\">"));
    g_assert_nonnull(strstr(page, "<bdi>"));
    g_assert_nonnull(strstr(page, "mixed-scripts"));
}

/* Words that must never reach the journal. */
#define SECRET "never-journal-me"

static void
test_untouched_not_journaled(void)
{
    static const char *const strangers[] = { "kim@example.org", "lee@example.org",
                                             "sam@example.org.evil", "sam" };
    g_autofree char *path = ajar_test_path(AJAR_JOURNAL_FILE);
    g_autofree char *journal = NULL;
    g_autoptr(GPtrArray) events = NULL;
    gint64 seq;
    guint passed = 0, sent = 0;

    use_rules("{\"name\": \"Sam\", \"match\": [{\"buddy\": \"" SAM "\"}], "
              "\"incoming\": {\"action\": \"hold\"}, \"pass_keywords\": [\"emergency\"]},"
              "{\"name\": \"Old\", \"match\": [{\"buddy\": \"old@example.org\"}], "
              "\"incoming\": {\"action\": \"hold\"}, \"outgoing\": {\"action\": \"hold\"}, "
              "\"active\": {\"until\": \"2020-01-01T00:00:00Z\"}}");
    seq = ajar_test_last_seq();
    for (guint round = 0; round < 25; round++) {
        for (guint i = 0; i < G_N_ELEMENTS(strangers); i++) {
            g_autofree char *in = g_strdup_printf(SECRET " in %u", round);
            g_autofree char *out = g_strdup_printf(SECRET " out %u", round);

            test_client_receive(me(), strangers[i], in, 0, time(NULL));
            test_client_send(me(), strangers[i], out);
        }
    }
    test_client_receive(me(), "old@example.org", SECRET " rule over", 0, time(NULL));
    test_client_send(me(), "old@example.org", SECRET " to old");
    test_client_receive(me(), SAM, "emergency: " SECRET, 0, time(NULL));
    test_client_send(me(), SAM, SECRET " to Sam, whose rule lets mine pass");
    test_client_iterate(200);
    ajar_test_run_for(300); /* the journal's batched sync */

    g_assert_true(g_file_get_contents(path, &journal, NULL, NULL));
    g_assert_null(strstr(journal, SECRET));
    g_assert_null(strstr(journal, "kim@"));
    g_assert_null(strstr(journal, "lee@"));
    g_assert_null(strstr(journal, "evil"));
    /* What was journaled: the keyword's pass, and your messages to the two
     * people who have a rule (for the time since you last wrote to them,
     * PRODUCT.md's "Pass"): when and to whom, never what. */
    events = ajar_test_events_since(seq, AJAR_EVENT_UNKNOWN, NULL);
    for (guint i = 0; i < events->len; i++) {
        const AjarEvent *event = g_ptr_array_index(events, i);

        g_test_message("event %s %s", ajar_event_type_to_string(event->type), event->buddy);
        g_assert_null(event->text);
        g_assert_cmpuint(event->text_len, ==, 0);
        g_assert_null(event->message);
        if (event->type == AJAR_EVENT_PASSED) {
            g_assert_cmpstr(event->buddy, ==, SAM);
            passed++;
        } else {
            g_assert_cmpint(event->type, ==, AJAR_EVENT_SENT);
            g_assert_true(g_strcmp0(event->buddy, SAM) == 0 ||
                          g_strcmp0(event->buddy, "old@example.org") == 0);
            sent++;
        }
    }
    g_assert_cmpuint(passed, ==, 1);
    g_assert_cmpuint(sent, ==, 2);
    ajar_test_drain();
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    g_test_add_func("/security/content/review-plain-text", test_review_plain);
    g_test_add_func("/security/content/html-export", test_html_export);
    g_test_add_func("/security/content/hidden-characters", test_hidden_characters);
    g_test_add_func("/security/content/untouched-not-journaled", test_untouched_not_journaled);
    status = g_test_run();

    test_client_quit();
    test_client_cleanup();
    return status;
}
