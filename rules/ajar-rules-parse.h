/* ajar-rules-parse.h — what the two halves of reading rules.json share:
 * ajar-rules-parse.c reads the file, its rules and their match entries;
 * ajar-rules-parse-direction.c what one direction of a rule does. */
#pragma once

#include "ajar/ajar-json.h"
#include "ajar/ajar-rules.h"
#include "ajar-rules-check.h"

G_BEGIN_DECLS

#define AJAR_RULES_MAX_NAME_BYTES 200
#define AJAR_RULES_MAX_TEXT_BYTES 1024

/* "incoming" (@outgoing FALSE) or "outgoing" into *@out. */
gboolean ajar_rules_parse_direction(AjarRulesCheck *ctx, const AjarJsonValue *object,
                                    const char *path, gboolean outgoing, AjarDirectionRule *out);
/* "chats" into *@out (action pass, hold or archive). */
gboolean ajar_rules_parse_chats(AjarRulesCheck *ctx, const AjarJsonValue *object, const char *path,
                                AjarDirectionRule *out);

G_END_DECLS
