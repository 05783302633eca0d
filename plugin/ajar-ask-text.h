/* ajar-ask-text.h — the words of quiet hours and "ask" (translated): the
 * questions, the line in the conversation, and what /ajar status adds. */
#pragma once

#include <glib.h>

#include "ajar/ajar-rules.h"
#include "ajar/ajar-state.h"

/* "You wrote this to Sam at 02:14: "…". Send it now?": the question at the
 * end of quiet hours about @item (yours; @text, @text_len: its text read
 * back), @now (unix microseconds) telling
 * whether its time needs a date. The quoted text is its first line, cut;
 * @rest gets the whole text when the quote does not show all of it, else
 * NULL. Returns: (transfer full). */
char *ajar_ask_text_quiet_question(const AjarItem *item, const char *text, gsize text_len,
                                   gint64 now, char **rest);

/* @question (the rule's own, as written), or "Send this to Sam now?" with
 * @rule_name when it is NULL. Returns: (transfer full). */
char *ajar_ask_text_question(const char *rule_name, const char *question);

/* "Ajar: quiet hours until 07:00: …": written into the conversation when a
 * message of yours is kept for quiet hours ending at @due (unix
 * microseconds). Returns: (transfer full). */
char *ajar_ask_text_quiet_line(gint64 due);

/* What /ajar status adds about @rule's "ask" and quiet hours, one or two
 * sentences, or NULL when it has neither. Returns: (transfer full). */
char *ajar_ask_text_status(const AjarRule *rule);

/* "07:00": a time of day, @minute after local midnight. Returns: (transfer full). */
char *ajar_ask_text_minute(int minute);
