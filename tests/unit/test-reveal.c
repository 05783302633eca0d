/* test-reveal.c — text that lies about itself: hidden characters shown as
 * marks, names that mix scripts noticed (ajar-reveal.h). */
#include "ajar/ajar-reveal.h"

#include <string.h>

typedef struct {
    const char *name;
    const char *text;
    const char *shown;
} RevealCase;

#define FLAG "\xF0\x9F\x8F\xB4"       /* U+1F3F4 WAVING BLACK FLAG */
#define TAG_G "\xF3\xA0\x81\xA7"      /* U+E0067 TAG LATIN SMALL LETTER G */
#define TAG_B "\xF3\xA0\x81\xA2"      /* U+E0062 */
#define TAG_S "\xF3\xA0\x81\xB3"      /* U+E0073 */
#define TAG_C "\xF3\xA0\x81\xA3"      /* U+E0063 */
#define TAG_T "\xF3\xA0\x81\xB4"      /* U+E0074 */
#define TAG_A "\xF3\xA0\x81\x81"      /* U+E0041 TAG LATIN CAPITAL LETTER A */
#define TAG_CANCEL "\xF3\xA0\x81\xBF" /* U+E007F CANCEL TAG */
#define SCOTLAND FLAG TAG_G TAG_B TAG_S TAG_C TAG_T TAG_CANCEL
#define WOMAN "\xF0\x9F\x91\xA9"      /* U+1F469 */
#define LAPTOP "\xF0\x9F\x92\xBB"     /* U+1F4BB */
#define MEDIUM "\xF0\x9F\x8F\xBD"     /* U+1F3FD EMOJI MODIFIER FITZPATRICK TYPE-4 */
#define WHITE_FLAG "\xF0\x9F\x8F\xB3" /* U+1F3F3 */
#define RAINBOW "\xF0\x9F\x8C\x88"    /* U+1F308 */
#define VS16 "\xEF\xB8\x8F"           /* U+FE0F */
#define ZWSP "\xE2\x80\x8B"
#define ZWNJ "\xE2\x80\x8C"
#define ZWJ "\xE2\x80\x8D"

static const RevealCase cases[] = {
    { "plain", "are you awake?", "are you awake?" },
    { "empty", "", "" },
    /* "Trojan source": the override shows "invoice\u202Etxt.exe" as
     * "invoiceexe.txt". */
    { "right-to-left-override", "invoice\xE2\x80\xAEtxt.exe", "invoice<U+202E>txt.exe" },
    { "embeddings-and-pop",
      "\xE2\x80\xAA"
      "a\xE2\x80\xAB"
      "b\xE2\x80\xAC"
      "c\xE2\x80\xAD",
      "<U+202A>a<U+202B>b<U+202C>c<U+202D>" },
    { "isolates", "\xE2\x81\xA6x\xE2\x81\xA7y\xE2\x81\xA8z\xE2\x81\xA9",
      "<U+2066>x<U+2067>y<U+2068>z<U+2069>" },
    { "direction-marks",
      "a\xE2\x80\x8E"
      "b\xE2\x80\x8F"
      "c\xD8\x9C",
      "a<U+200E>b<U+200F>c<U+061C>" },
    { "zero-width-space", "s" ZWSP "am", "s<U+200B>am" },
    { "joiners-between-latin-letters", "a" ZWJ "b" ZWNJ "c", "a<U+200D>b<U+200C>c" },
    { "word-joiner-and-invisible-operators", "1\xE2\x81\xA0x\xE2\x81\xA2y\xE2\x81\xA4",
      "1<U+2060>x<U+2062>y<U+2064>" },
    { "byte-order-mark", "\xEF\xBB\xBFhi", "<U+FEFF>hi" },
    { "soft-hyphen", "emer\xC2\xADgency", "emer<U+00AD>gency" },
    { "mongolian-vowel-separator", "a\xE1\xA0\x8E", "a<U+180E>" },
    { "hangul-filler", "\xE3\x85\xA4", "<U+3164>" },
    { "halfwidth-hangul-filler", "x\xEF\xBE\xA0", "x<U+FFA0>" },
    { "combining-grapheme-joiner", "a\xCD\x8F", "a<U+034F>" },
    { "line-and-paragraph-separators",
      "a\xE2\x80\xA8"
      "b\xE2\x80\xA9",
      "a<U+2028>b<U+2029>" },
    { "interlinear-annotation", "\xEF\xBF\xB9x\xEF\xBF\xBB", "<U+FFF9>x<U+FFFB>" },
    /* Tag characters spell hidden ASCII ("ASCII smuggling"). */
    { "tags-hide-words", "hi" TAG_A TAG_G, "hi<U+E0041><U+E0067>" },
    { "language-tag", "\xF3\xA0\x80\x81", "<U+E0001>" },
    { "unassigned-ignorable", "\xF3\xA0\x82\x80", "<U+E0080>" },
    /* What writing needs stays. */
    { "emoji-zwj-sequence", WOMAN ZWJ LAPTOP, WOMAN ZWJ LAPTOP },
    { "emoji-modifier-zwj", WOMAN MEDIUM ZWJ LAPTOP, WOMAN MEDIUM ZWJ LAPTOP },
    { "rainbow-flag", WHITE_FLAG VS16 ZWJ RAINBOW, WHITE_FLAG VS16 ZWJ RAINBOW },
    { "zwj-at-edges", ZWJ WOMAN ZWJ, "<U+200D>" WOMAN "<U+200D>" },
    { "zwj-between-emoji-and-letter", WOMAN ZWJ "a", WOMAN "<U+200D>a" },
    { "devanagari-virama-joiners",
      "\xE0\xA4\x95\xE0\xA5\x8D" ZWJ "\xE0\xA4\xB7 \xE0\xA4\x95\xE0\xA5\x8D" ZWNJ "\xE0\xA4\xB7",
      "\xE0\xA4\x95\xE0\xA5\x8D" ZWJ "\xE0\xA4\xB7 \xE0\xA4\x95\xE0\xA5\x8D" ZWNJ "\xE0\xA4\xB7" },
    /* Persian "می‌خواهم" */
    { "persian-non-joiner", "\xD9\x85\xDB\x8C" ZWNJ "\xD8\xAE\xD9\x88\xD8\xA7\xD9\x87\xD9\x85",
      "\xD9\x85\xDB\x8C" ZWNJ "\xD8\xAE\xD9\x88\xD8\xA7\xD9\x87\xD9\x85" },
    { "non-joiner-after-arabic-mark", "\xD9\x85\xD9\x8E" ZWNJ "\xD8\xAE",
      "\xD9\x85\xD9\x8E" ZWNJ "\xD8\xAE" },
    /* A hidden mark is shown as a mark: nothing joins across it. */
    { "non-joiner-after-hidden-mark", "\xD9\x85\xCD\x8F" ZWNJ "\xD8\xAE",
      "\xD9\x85<U+034F><U+200C>\xD8\xAE" },
    { "non-joiner-arabic-to-latin", "\xD9\x85" ZWNJ "a", "\xD9\x85<U+200C>a" },
    { "scotland-flag", SCOTLAND, SCOTLAND },
    { "flag-tags-without-flag", "x" TAG_G TAG_B TAG_S TAG_C TAG_T TAG_CANCEL,
      "x<U+E0067><U+E0062><U+E0073><U+E0063><U+E0074><U+E007F>" },
    { "flag-without-cancel-tag", FLAG TAG_G TAG_B TAG_S "!", FLAG "<U+E0067><U+E0062><U+E0073>!" },
    { "flag-with-too-many-tags", FLAG TAG_G TAG_B TAG_S TAG_C TAG_T TAG_G TAG_B TAG_S TAG_CANCEL,
      FLAG "<U+E0067><U+E0062><U+E0073><U+E0063><U+E0074><U+E0067><U+E0062><U+E0073><U+E007F>" },
    { "flag-with-capital-tag", FLAG TAG_G TAG_A TAG_S TAG_CANCEL,
      FLAG "<U+E0067><U+E0041><U+E0073><U+E007F>" },
    { "variation-selectors", "\xE2\x98\xBA" VS16 " \xE8\xBE\xBB\xF3\xA0\x84\x80",
      "\xE2\x98\xBA" VS16 " \xE8\xBE\xBB\xF3\xA0\x84\x80" },
    { "keycap", "1" VS16 "\xE2\x83\xA3", "1" VS16 "\xE2\x83\xA3" },
    { "arabic-and-hebrew-letters",
      "\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7 \xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D",
      "\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7 \xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D" },
    { "spaces-are-visible",
      "a\xC2\xA0"
      "b\xE3\x80\x80"
      "c",
      "a\xC2\xA0"
      "b\xE3\x80\x80"
      "c" },
};

static void
test_reveal(gconstpointer data)
{
    const RevealCase *c = data;
    g_autofree char *shown = ajar_reveal_text(c->text, -1);
    g_autoptr(GString) appended = g_string_new(">");

    g_assert_cmpstr(shown, ==, c->shown);
    ajar_reveal_append(appended, c->text, (gssize)strlen(c->text));
    g_assert_cmpstr(appended->str + 1, ==, c->shown);
}

/* Only as much of the text as @len says: context stops there too. */
static void
test_reveal_length(void)
{
    g_autofree char *cut = ajar_reveal_text(WOMAN ZWJ LAPTOP, sizeof WOMAN ZWJ - 1);

    g_assert_cmpstr(cut, ==, WOMAN "<U+200D>");
}

static void
test_mark(void)
{
    g_autoptr(GString) out = g_string_new(NULL);

    ajar_reveal_append_mark(out, 0xAD);
    ajar_reveal_append_mark(out, 0x202E);
    ajar_reveal_append_mark(out, 0xE007F);
    ajar_reveal_append_mark(out, 0x10FFFF);
    g_assert_cmpstr(out->str, ==, "<U+00AD><U+202E><U+E007F><U+10FFFF>");
}

/* A long run of tags costs no more per character than a short one: each
 * looks no further than a flag's tags reach. */
static void
test_long_tag_run(void)
{
    g_autoptr(GString) text = g_string_new(FLAG);
    g_autofree char *shown = NULL;

    for (guint i = 0; i < 100000; i++)
        g_string_append(text, TAG_G);
    g_string_append(text, TAG_CANCEL);
    shown = ajar_reveal_text(text->str, (gssize)text->len);
    g_assert_cmpuint(strlen(shown), ==, strlen(FLAG) + 100001 * strlen("<U+E0067>"));
}

static const struct {
    const char *name;
    const char *text;
    gboolean mixed;
} name_cases[] = {
    { "latin", "sam@example.org", FALSE },
    { "cyrillic-a-in-latin", "s\xD0\xB0m@example.org", TRUE }, /* "sаm", Cyrillic а */
    { "cyrillic-word-latin-domain", "\xD0\xB8\xD0\xB2\xD0\xB0\xD0\xBD@example.org", FALSE },
    { "cyrillic-and-latin-words", "\xD0\xA1\xD0\xB5\xD1\x80\xD0\xB3\xD0\xB5\xD0\xB9 (Sergey)",
      FALSE },
    { "greek-alpha-in-latin", "\xCE\x91lex", TRUE },
    { "greek-word", "\xCE\x91\xCE\xBB\xCE\xAD\xCE\xBE\xCE\xB7\xCF\x82", FALSE },
    { "cyrillic-and-greek", "\xD0\xB0\xCE\xB2", TRUE },
    { "japanese", "\xE5\xB1\xB1\xE7\x94\xB0\xE3\x81\x9F\xE3\x82\x8D\xE3\x81\x86", FALSE },
    { "japanese-with-latin", "\xE6\x9D\xB1\xE4\xBA\xAC\xE3\x82\xBF\xE3\x83\xAFTokyo", FALSE },
    { "korean-with-latin",
      "\xED\x95\x9C\xEA\xB5\xAD"
      "abc",
      FALSE },
    { "hangul-with-katakana", "\xED\x95\x9C\xE3\x82\xAB", TRUE },
    { "cyrillic-with-han", "\xD0\x98\xE6\xBC\xA2", TRUE },
    { "arabic-with-latin", "abc\xD8\xA8", TRUE },
    { "combining-accent", "cafe\xCC\x81", FALSE },
    { "digits-and-signs", "sam_1984!", FALSE },
    { "empty", "", FALSE },
};

static void
test_mixes_scripts(gconstpointer data)
{
    gsize i = GPOINTER_TO_SIZE(data);

    g_assert_cmpint(ajar_reveal_name_mixes_scripts(name_cases[i].text), ==, name_cases[i].mixed);
}

static void
test_name(void)
{
    g_autofree char *lookalike = ajar_reveal_name("s\xD0\xB0m@example.org");
    g_autofree char *hidden = ajar_reveal_name("s" ZWSP "am");
    g_autofree char *plain = ajar_reveal_name("Sam");
    g_autofree char *not_utf8 = ajar_reveal_name("caf\xE9");

    g_assert_cmpstr(lookalike, ==, "s\xD0\xB0m@example.org [mixed alphabets]");
    g_assert_cmpstr(hidden, ==, "s<U+200B>am");
    g_assert_cmpstr(plain, ==, "Sam");
    g_assert_cmpstr(not_utf8, ==, "caf\xEF\xBF\xBD");
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *path = g_strdup_printf("/reveal/text/%s", cases[i].name);
        g_test_add_data_func(path, &cases[i], test_reveal);
    }
    for (gsize i = 0; i < G_N_ELEMENTS(name_cases); i++) {
        g_autofree char *path = g_strdup_printf("/reveal/mixes-scripts/%s", name_cases[i].name);
        g_test_add_data_func(path, GSIZE_TO_POINTER(i), test_mixes_scripts);
    }
    g_test_add_func("/reveal/text/length", test_reveal_length);
    g_test_add_func("/reveal/text/long-tag-run", test_long_tag_run);
    g_test_add_func("/reveal/mark", test_mark);
    g_test_add_func("/reveal/name", test_name);
    return g_test_run();
}
