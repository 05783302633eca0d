/* ajar-reveal.h — text that lies about itself, shown as it is.
 *
 * A message or a name can carry characters a reader cannot see: bidi
 * overrides and isolates that show "txt.exe" as "exe.txt", zero-width
 * spaces that make "sam" and "s​am" two names, tag characters that hide a
 * whole sentence. Everywhere Ajar shows someone's words or name (the
 * review, the statistics, `ajar list/show`, the HTML export) such a
 * character is shown as a visible mark, "<U+202E>", in its place, so the
 * reader sees the true order and that something hidden is there. The
 * journal keeps the text byte for byte, and a released message goes into
 * the conversation as it came: only what Ajar shows is marked.
 *
 * Which characters are marked (ajar_reveal_is_hidden()):
 *  - every format character (Unicode category Cf): bidi embeddings,
 *    overrides and isolates (U+202A–U+202E, U+2066–U+2069), the marks
 *    LRM, RLM and ALM (U+200E, U+200F, U+061C), zero-width space and
 *    joiners (U+200B–U+200D), word joiner and invisible operators
 *    (U+2060–U+2064), U+FEFF, the soft hyphen U+00AD, U+180E, tag
 *    characters (U+E0001, U+E0020–U+E007F), and the rest of Cf;
 *  - the other invisible "default ignorable" characters that are letters
 *    or marks to Unicode: U+034F, the Hangul fillers U+115F, U+1160,
 *    U+3164, U+FFA0, and U+17B4, U+17B5; the unassigned default ignorable
 *    ones (U+2065, U+FFF0–U+FFF8, U+E0000–U+E0FFF except the variation
 *    selectors U+E0100–U+E01EF);
 *  - the line and paragraph separators U+2028 and U+2029, which one
 *    program shows as a line break and another as nothing.
 * Not marked, because they hide nothing and are needed: variation
 * selectors (emoji and CJK), Mongolian free variation selectors, and in
 * the places where writing needs them a zero-width joiner or non-joiner
 * (after a virama, inside an emoji sequence, or a non-joiner between two
 * Arabic, Syriac, N'Ko or Mongolian letters) and the tags of a flag
 * (U+1F3F4 followed by 3 to 7 tag letters or digits and U+E007F).
 * Pure. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE if the character at @p is shown as a mark (see above). @text..@end
 * is valid UTF-8 and @p points into it at a character's first byte; the
 * characters around @p (within @text..@end) decide about joiners and tags.
 * Looks at most a few characters either way. */
gboolean ajar_reveal_is_hidden(const char *text, const char *end, const char *p);

/* Appends the visible mark of @c: "<U+" four to six hex digits ">". */
void ajar_reveal_append_mark(GString *out, gunichar c);

/* Appends @text (valid UTF-8, @len bytes or -1) to @out with each hidden
 * character replaced by its mark. */
void ajar_reveal_append(GString *out, const char *text, gssize len);

/* @text (valid UTF-8) with its hidden characters marked.
 * Returns: (transfer full). */
char *ajar_reveal_text(const char *text, gssize len);

/* TRUE if a word of @name (valid UTF-8) mixes letters of scripts that do
 * not belong together, the way a lookalike address does ("sаm" with a
 * Cyrillic "а"). Words are runs of letters and marks; each is checked by
 * itself, so "иван@example.org" or "Сергей (Sergey)" are not mixed. A word
 * may mix Latin with Han, Hiragana and Katakana (Japanese), with Han and
 * Bopomofo, or with Han and Hangul, as UTS #39's "highly restrictive"
 * level allows; letters common to all scripts (and marks) never count. */
gboolean ajar_reveal_name_mixes_scripts(const char *name);

/* The words Ajar puts after a name that mixes scripts, e.g.
 * "[mixed alphabets]" (translated). Returns: (transfer none). */
const char *ajar_reveal_mixed_marker(void);

/* @name (nullable: ""; bytes that are not UTF-8 become U+FFFD) as Ajar
 * shows it: hidden characters marked, and when it mixes scripts, followed
 * by a space and ajar_reveal_mixed_marker(). Returns: (transfer full). */
char *ajar_reveal_name(const char *name);

G_END_DECLS
