/* ajar-reveal.c — hidden characters shown as marks, names that mix
 * scripts noticed (ajar-reveal.h says which and why). */
#include "ajar/ajar-reveal.h"

#include <string.h>

#include "ajar/ajar-i18n.h"

#define ZWNJ 0x200C
#define ZWJ 0x200D
#define WAVING_BLACK_FLAG 0x1F3F4
#define CANCEL_TAG 0xE007F
/* A flag's subdivision id (UTS #51): a region and a suffix, 3 to 7 tags. */
#define FLAG_TAGS_MIN 3
#define FLAG_TAGS_MAX 7
/* How far back a non-joiner looks past marks for the letter it follows. */
#define MARKS_MAX 4
#define VIRAMA_COMBINING_CLASS 9

/* Without context: invisible, or changes how the text around it is shown. */
static gboolean
hidden_char(gunichar c)
{
    switch (c) {
    case 0x034F:              /* COMBINING GRAPHEME JOINER */
    case 0x115F:              /* HANGUL CHOSEONG FILLER */
    case 0x1160:              /* HANGUL JUNGSEONG FILLER */
    case 0x17B4:              /* KHMER VOWEL INHERENT AQ */
    case 0x17B5:              /* KHMER VOWEL INHERENT AA */
    case 0x180E:              /* MONGOLIAN VOWEL SEPARATOR (Cf since Unicode 6.3) */
    case 0x2028:              /* LINE SEPARATOR */
    case 0x2029:              /* PARAGRAPH SEPARATOR */
    case 0x2065:              /* unassigned, default ignorable */
    case 0x3164:              /* HANGUL FILLER */
    case 0xFFA0: return TRUE; /* HALFWIDTH HANGUL FILLER */
    default: break;
    }
    if (c >= 0xFFF0 && c <= 0xFFF8)
        return TRUE;
    /* Tags and the unassigned rest of the plane, not its variation selectors. */
    if (c >= 0xE0000 && c <= 0xE0FFF)
        return c < 0xE0100 || c > 0xE01EF;
    return g_unichar_type(c) == G_UNICODE_FORMAT;
}

static gboolean
is_mark(gunichar c)
{
    GUnicodeType type = g_unichar_type(c);

    return type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_SPACING_MARK ||
           type == G_UNICODE_ENCLOSING_MARK;
}

/* The character before @p, or 0 at @text. */
static gunichar
char_before(const char *text, const char **p)
{
    if (*p <= text)
        return 0;
    *p = g_utf8_prev_char(*p);
    return g_utf8_get_char(*p);
}

/* The character after the one at @p, or 0 at @end. */
static gunichar
char_after(const char **p, const char *end)
{
    if (*p >= end)
        return 0;
    *p = g_utf8_next_char(*p);
    return *p < end ? g_utf8_get_char(*p) : 0;
}

/* Part of an emoji, as a zero-width joiner's neighbour ("👩‍💻", "👩🏽‍💻",
 * "🏳️‍🌈"): a symbol, an emoji modifier, or the emoji presentation selector. */
static gboolean
is_emoji_part(gunichar c)
{
    return g_unichar_type(c) == G_UNICODE_OTHER_SYMBOL || (c >= 0x1F3FB && c <= 0x1F3FF) ||
           c == 0xFE0F;
}

/* Scripts whose letters join, where a non-joiner keeps two apart
 * (Persian "می‌خواهم"). */
static gboolean
is_joining_script(GUnicodeScript script)
{
    return script == G_UNICODE_SCRIPT_ARABIC || script == G_UNICODE_SCRIPT_SYRIAC ||
           script == G_UNICODE_SCRIPT_NKO || script == G_UNICODE_SCRIPT_MONGOLIAN;
}

/* A joiner or non-joiner where writing needs it. */
static gboolean
joiner_needed(const char *text, const char *end, const char *p, gunichar joiner)
{
    const char *back = p, *ahead = p;
    gunichar before = char_before(text, &back);
    gunichar after = char_after(&ahead, end);

    if (before == 0 || after == 0)
        return FALSE;
    /* Indic conjuncts: a (non-)joiner after a virama picks the form. */
    if (g_unichar_combining_class(before) == VIRAMA_COMBINING_CLASS)
        return TRUE;
    if (joiner == ZWJ)
        return is_emoji_part(before) && is_emoji_part(after);
    /* Past the letter's marks (not a hidden one: it is shown as a mark,
     * and then nothing joins across it). */
    for (int marks = 0; is_mark(before) && !hidden_char(before) && marks < MARKS_MAX; marks++)
        before = char_before(text, &back);
    return g_unichar_isalpha(before) && g_unichar_isalpha(after) &&
           g_unichar_get_script(before) == g_unichar_get_script(after) &&
           is_joining_script(g_unichar_get_script(before));
}

static gboolean
is_flag_tag(gunichar c)
{
    return (c >= 0xE0030 && c <= 0xE0039) || (c >= 0xE0061 && c <= 0xE007A);
}

/* A tag inside a flag's tag sequence (🏴 + "gbsct" in tags + cancel tag). */
static gboolean
tag_in_flag(const char *text, const char *end, const char *p)
{
    const char *back = p, *ahead = p;
    gunichar c = g_utf8_get_char(p);
    guint count = c == CANCEL_TAG ? 0 : 1;

    if (c != CANCEL_TAG && !is_flag_tag(c))
        return FALSE;
    /* Back to the flag, forward to the cancel tag: never further than a
     * flag's tags can reach, so a long run of tags costs no more. */
    for (c = char_before(text, &back); is_flag_tag(c) && count <= FLAG_TAGS_MAX;
         c = char_before(text, &back))
        count++;
    if (c != WAVING_BLACK_FLAG)
        return FALSE;
    if (g_utf8_get_char(p) != CANCEL_TAG) {
        for (c = char_after(&ahead, end); is_flag_tag(c) && count <= FLAG_TAGS_MAX;
             c = char_after(&ahead, end))
            count++;
        if (c != CANCEL_TAG)
            return FALSE;
    }
    return count >= FLAG_TAGS_MIN && count <= FLAG_TAGS_MAX;
}

gboolean
ajar_reveal_is_hidden(const char *text, const char *end, const char *p)
{
    gunichar c;

    g_return_val_if_fail(text != NULL && p >= text && p < end, FALSE);
    c = g_utf8_get_char(p);
    if (!hidden_char(c))
        return FALSE;
    if (c == ZWJ || c == ZWNJ)
        return !joiner_needed(text, end, p, c);
    if (c >= 0xE0020 && c <= CANCEL_TAG)
        return !tag_in_flag(text, end, p);
    return TRUE;
}

void
ajar_reveal_append_mark(GString *out, gunichar c)
{
    /* no i18n: the same mark in every language, as Unicode writes it */
    g_string_append_printf(out, "<U+%04" G_GINT32_MODIFIER "X>", (gint32)c);
}

void
ajar_reveal_append(GString *out, const char *text, gssize len)
{
    const char *p, *end, *run;

    if (len < 0)
        len = (gssize)strlen(text);
    end = text + len;
    run = text;
    for (p = text; p < end; p = g_utf8_next_char(p)) {
        /* A character cut by @end (only in text that is not valid UTF-8,
         * which callers never give): the rest goes as it is. */
        if (g_utf8_next_char(p) > end)
            break;
        /* ASCII is never hidden. */
        if ((guchar)*p < 0xC2 || !ajar_reveal_is_hidden(text, end, p))
            continue;
        g_string_append_len(out, run, p - run);
        ajar_reveal_append_mark(out, g_utf8_get_char(p));
        run = g_utf8_next_char(p);
    }
    g_string_append_len(out, run, end - run);
}

char *
ajar_reveal_text(const char *text, gssize len)
{
    GString *out = g_string_new(NULL);

    ajar_reveal_append(out, text, len);
    return g_string_free(out, FALSE);
}

/* The scripts that may share a word with each other (UTS #39, "highly
 * restrictive"): as bits, any other script as itself. */
enum {
    SCRIPT_LATIN = 1 << 0,
    SCRIPT_HAN = 1 << 1,
    SCRIPT_HIRAGANA = 1 << 2,
    SCRIPT_KATAKANA = 1 << 3,
    SCRIPT_BOPOMOFO = 1 << 4,
    SCRIPT_HANGUL = 1 << 5,
};

static guint
script_bits(GUnicodeScript script)
{
    switch (script) {
    case G_UNICODE_SCRIPT_LATIN: return SCRIPT_LATIN;
    case G_UNICODE_SCRIPT_HAN: return SCRIPT_HAN;
    case G_UNICODE_SCRIPT_HIRAGANA: return SCRIPT_HIRAGANA;
    case G_UNICODE_SCRIPT_KATAKANA: return SCRIPT_KATAKANA;
    case G_UNICODE_SCRIPT_BOPOMOFO: return SCRIPT_BOPOMOFO;
    case G_UNICODE_SCRIPT_HANGUL: return SCRIPT_HANGUL;
    default: return 0;
    }
}

static gboolean
bits_allowed(guint bits)
{
    static const guint together[] = {
        SCRIPT_LATIN | SCRIPT_HAN | SCRIPT_HIRAGANA | SCRIPT_KATAKANA,
        SCRIPT_LATIN | SCRIPT_HAN | SCRIPT_BOPOMOFO,
        SCRIPT_LATIN | SCRIPT_HAN | SCRIPT_HANGUL,
    };

    for (gsize i = 0; i < G_N_ELEMENTS(together); i++) {
        if ((bits & ~together[i]) == 0)
            return TRUE;
    }
    return FALSE;
}

gboolean
ajar_reveal_name_mixes_scripts(const char *name)
{
    guint bits = 0;
    GUnicodeScript other = G_UNICODE_SCRIPT_COMMON; /* none yet */

    g_return_val_if_fail(name != NULL && g_utf8_validate(name, -1, NULL), FALSE);
    for (const char *p = name;; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        GUnicodeScript script;

        if (c == 0 || !(g_unichar_isalpha(c) || is_mark(c))) {
            /* A word ends: one other script alone, or scripts that belong
             * together. */
            if ((other != G_UNICODE_SCRIPT_COMMON && bits != 0) || !bits_allowed(bits))
                return TRUE;
            if (c == 0)
                return FALSE;
            bits = 0;
            other = G_UNICODE_SCRIPT_COMMON;
            continue;
        }
        script = g_unichar_get_script(c);
        if (script == G_UNICODE_SCRIPT_COMMON || script == G_UNICODE_SCRIPT_INHERITED ||
            script == G_UNICODE_SCRIPT_UNKNOWN)
            continue;
        if (script_bits(script) != 0)
            bits |= script_bits(script);
        else if (other == G_UNICODE_SCRIPT_COMMON)
            other = script;
        else if (other != script)
            return TRUE;
    }
}

const char *
ajar_reveal_mixed_marker(void)
{
    /* TRANSLATORS: after a name whose letters come from more than one
     * alphabet, as in a lookalike address ("sаm@example.org" with a
     * Cyrillic "а"); shown in the review, the statistics and by `ajar`. */
    return _("[mixed alphabets]");
}

char *
ajar_reveal_name(const char *name)
{
    g_autofree char *valid = NULL;
    GString *out;

    /* A name read from a hand-edited journal may not be UTF-8, or be missing. */
    valid = g_utf8_make_valid(name != NULL ? name : "", -1);
    out = g_string_new(NULL);
    ajar_reveal_append(out, valid, -1);
    if (ajar_reveal_name_mixes_scripts(valid)) {
        g_string_append_c(out, ' ');
        g_string_append(out, ajar_reveal_mixed_marker());
    }
    return g_string_free(out, FALSE);
}
