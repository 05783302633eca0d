/* ajar-status-text.h — what "/ajar status" says, in words (translated). */
#pragma once

#include <glib.h>

#include "ajar/ajar-rules.h"

/* "Ajar (Sam): their messages are held for you; yours wait 10 min.": what
 * @rule does, one sentence. Returns: (transfer full). */
char *ajar_status_text_rule(const AjarRule *rule);

/* What @count kept messages that Ajar stopped showing (@dir in) or sending
 * (out) halfway mean, and how to have one shown or sent again; one
 * sentence. Returns: (transfer full). */
char *ajar_status_text_interrupted(AjarDirection dir, guint count);
