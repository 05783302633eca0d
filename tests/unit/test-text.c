/* test-text.c — kept messages as a person reads them: markup to plain text. */
#include "ajar/ajar-text.h"

typedef struct {
    const char *name;
    const char *markup;
    const char *plain;
} TextCase;

static const TextCase cases[] = {
    { "plain", "are you awake?", "are you awake?" },
    { "bold", "<b>hi</b> there", "hi there" },
    { "xmpp-body",
      "<html xmlns='http://jabber.org/protocol/xhtml-im'><body><p>one</p><p>two</p>"
      "</body></html>",
      "one\ntwo" },
    { "font", "<FONT COLOR=\"#ff0000\"><I>red</I></FONT>", "red" },
    { "br", "line one<br>line two<BR/>three", "line one\nline two\nthree" },
    { "entities", "fish &amp; chips &lt;3 &quot;x&quot; &apos;y&apos;",
      "fish & chips <3 \"x\" 'y'" },
    { "numeric-entities", "&#233;&#xE9;&#X1F600;", "éé😀" },
    { "entity-nul", "a&#0;b", "a␀b" },
    { "entity-surrogate", "&#xD800;", "\xEF\xBF\xBD" },
    { "entity-out-of-range", "&#999999999;", "\xEF\xBF\xBD" },
    { "entity-too-long-kept", "&#99999999999999999999;", "&#99999999999999999999;" },
    { "entity-escape-char", "&#27;[31mred", "␛[31mred" },
    { "unknown-entity-kept", "&bogus; &amp", "&bogus; &amp" },
    { "heart", "<3 you", "<3 you" },
    { "less-than", "a < b and c<d", "a < b and c<d" },
    { "script-dropped", "hi<script>alert(1)</script> there", "hi there" },
    { "style-dropped", "<style>p{}</style>text", "text" },
    { "link-same", "<a href=\"https://example.org\">https://example.org</a>",
      "https://example.org" },
    { "link-different", "see <a href='https://evil.example/x'>my photos</a>!",
      "see my photos <https://evil.example/x>!" },
    { "image-alt", "<img src=\"http://tracker.example/p.gif\" alt=\"smile\">", "smile" },
    { "image-no-alt", "<img src=\"http://tracker.example/p.gif\">", "[image]" },
    { "unfinished-tag-kept", "hello <b", "hello <b" },
    { "comment", "a<!-- hidden -->b", "ab" },
    { "raw-escape", "\x1b[2Jcleared", "␛[2Jcleared" },
    { "del", "a\x7f", "a␡" },
    { "crlf", "one\r\ntwo\rthree", "one\ntwo\nthree" },
    { "noncharacter", "a\xEF\xBF\xBE", "a\xEF\xBF\xBD" },
    { "c1-control",
      "a\xC2\x9B"
      "b",
      "a\xEF\xBF\xBD"
      "b" },
    { "tab-and-newline-kept", "a\tb\nc", "a\tb\nc" },
    { "invalid-utf8", "caf\xE9", "caf\xEF\xBF\xBD" },
    { "trailing-space", "hi<br><br>  ", "hi" },
    { "empty", "", "" },
};

static void
test_case(gconstpointer data)
{
    const TextCase *c = data;
    g_autofree char *plain = ajar_text_from_markup(c->markup, -1);

    g_assert_cmpstr(plain, ==, c->plain);
    g_assert_true(g_utf8_validate(plain, -1, NULL));
}

static void
test_null(void)
{
    g_autofree char *plain = ajar_text_from_markup(NULL, -1);
    g_assert_cmpstr(plain, ==, "");
}

static void
test_first_line(void)
{
    g_autofree char *a = ajar_text_first_line("short", 10);
    g_autofree char *b = ajar_text_first_line("exactly ten", 11);
    g_autofree char *c = ajar_text_first_line("a longer line of text", 10);
    g_autofree char *d = ajar_text_first_line("first\nsecond", 20);
    g_autofree char *e = ajar_text_first_line("ééééééé", 4);
    /* Found by tests/fuzz/fuzz-text.c: a first line of exactly the width
     * followed by more lines came out one character too long. */
    g_autofree char *f = ajar_text_first_line("ten chars!\nmore", 10);
    g_autofree char *g = ajar_text_first_line("\nmore", 0);

    g_assert_cmpstr(a, ==, "short");
    g_assert_cmpstr(b, ==, "exactly ten");
    g_assert_cmpstr(c, ==, "a longer …");
    g_assert_cmpstr(d, ==, "first…");
    g_assert_cmpstr(e, ==, "ééé…");
    g_assert_cmpstr(f, ==, "ten chars…");
    g_assert_cmpstr(g, ==, "…");
}

/* Wrapping for the review (Finch's 80 columns). Lines joined with "|". */
static const struct {
    const char *name;
    const char *plain;
    guint columns;
    const char *indent;
    const char *lines;
} wrap_cases[] = {
    { "short", "are you awake?", 20, "", "are you awake?" },
    { "empty", "", 10, "  ", "" },
    { "at-spaces", "I miss you and I keep thinking", 12, "", "I miss you|and I keep|thinking" },
    { "indent", "I miss you and I keep thinking", 12, "   ",
      "I miss you|   and I|   keep|   thinking" },
    { "exact-width", "abcde fghij", 5, "", "abcde|fghij" },
    { "long-word", "abcdefghijkl mn", 5, "", "abcde|fghij|kl mn" },
    { "paragraphs", "one\n\ntwo three", 6, " ", "one| |two| three" },
    { "spaces-dropped", "a    b", 3, "", "a|b" },
    { "wide", "日本語のテキスト", 6, "", "日本語|のテキ|スト" },
    { "combining",
      "e\xcc\x81"
      "e\xcc\x81"
      "e\xcc\x81 x",
      3, "",
      "e\xcc\x81"
      "e\xcc\x81"
      "e\xcc\x81|x" },
    { "tab", "a\tb", 10, "", "a b" },
};

static void
test_wrap(gconstpointer data)
{
    gsize i = GPOINTER_TO_SIZE(data);
    g_auto(GStrv) lines =
        ajar_text_wrap(wrap_cases[i].plain, wrap_cases[i].columns, wrap_cases[i].indent);
    g_autofree char *joined = g_strjoinv("|", lines);

    g_assert_cmpstr(joined, ==, wrap_cases[i].lines);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
    for (gsize i = 0; i < G_N_ELEMENTS(wrap_cases); i++) {
        g_autofree char *path = g_strdup_printf("/text/wrap/%s", wrap_cases[i].name);
        g_test_add_data_func(path, GSIZE_TO_POINTER(i), test_wrap);
    }
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *path = g_strdup_printf("/text/from-markup/%s", cases[i].name);
        g_test_add_data_func(path, &cases[i], test_case);
    }
    g_test_add_func("/text/from-markup/null", test_null);
    g_test_add_func("/text/first-line", test_first_line);
    return g_test_run();
}
