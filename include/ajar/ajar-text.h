/* ajar-text.h — message texts as a person reads them.
 *
 * Messengers hand over IM text as HTML-like markup ("<b>hi</b> &amp; bye",
 * "<a href='…'>link</a>"). Everywhere Ajar shows a kept message — the review,
 * the `ajar` command, the HTML export — it shows this plain form: tags gone,
 * entities decoded, nothing fetched, nothing that a terminal or a dialog
 * would interpret. Pure. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Converts markup to plain text: tags removed (<br> and block ends become
 * line breaks; a link keeps its text and shows its address after it when they
 * differ; an image becomes its alt text or "[image]"; <script>, <style> and
 * <head> contents are dropped), character entities decoded (named ones HTML
 * knows commonly, and numeric ones), line ends made "\n", control characters
 * other than newline and tab shown as their pictures (ESC as "␛", U+241B),
 * invalid UTF-8 and non-characters replaced by U+FFFD, trailing white space
 * trimmed. A "<" that does not start a tag ("<3", "a < b", or one with no
 * ">" after it) is kept.
 * @len: -1 for NUL-terminated. Returns: (transfer full): valid UTF-8. */
char *ajar_text_from_markup(const char *markup, gssize len);

/* The first line of @plain; when it is longer than @max_chars characters or
 * more lines follow, cut to at most @max_chars characters ending in "…".
 * Returns: (transfer full). */
char *ajar_text_first_line(const char *plain, guint max_chars);

/* Wraps @plain (valid UTF-8) into lines of at most @columns terminal
 * columns (a wide character counts two, a combining one none), breaking
 * at spaces where it can and inside a word only when one word is longer
 * than a line. Lines after the first of each paragraph start with
 * @indent (counted in the width); the paragraph's own line breaks are
 * kept, and white space at a break is dropped. @columns must be larger
 * than @indent's width. Returns: (transfer full): a NULL-terminated array
 * of lines, at least one (an empty text gives one empty line). */
char **ajar_text_wrap(const char *plain, guint columns, const char *indent);

G_END_DECLS
