/* ajar-rules-check.h — checking one rules.json value, and wording what is
 * wrong with it: "rules.json:7:19: rules[0].incoming.seconds: must be a
 * whole number of seconds from 1 to 31536000". ajar-rules-parse.c says
 * what rules.json holds; this says how a value is checked and a failure is
 * put. The reason (after the key path) is translated, the place is not. */
#pragma once

#include <glib.h>

#include "ajar/ajar-json.h"
#include "ajar/ajar-rules.h"

G_BEGIN_DECLS

/* Where the text being parsed came from, and where its error goes. */
typedef struct {
    const char *origin; /* "rules.json", the file's name in messages */
    GError **error;
} AjarRulesCheck;

/* Sets "ORIGIN:LINE:COLUMN: PATH: REASON" (without "PATH: " when @path is
 * NULL); @format is the reason, one whole sentence. Returns: FALSE. */
gboolean ajar_rules_fail(AjarRulesCheck *check, guint line, guint column, AjarRulesError code,
                         const char *path, const char *format, ...) G_GNUC_PRINTF(6, 7);

/* A user's string, safe to put in a one-line message: escaped, shortened.
 * Transfer full. */
char *ajar_rules_shown(const char *text, gsize len);
/* "PARENT.KEY" (just "KEY" without a parent), for @member's key or @key.
 * Transfer full. */
char *ajar_rules_member_path(const char *parent, const AjarJsonValue *member);
char *ajar_rules_key_path(const char *parent, const char *key);

/* Rejects members of @object not in @known (NULL-terminated), suggesting
 * the nearest known key for a typo. */
gboolean ajar_rules_check_keys(AjarRulesCheck *check, const AjarJsonValue *object, const char *path,
                               const char *const *known);
/* TRUE if @value is of @type; else fails with @format, a whole reason whose
 * arguments follow it, such as _("must be a string, not %s") and
 * AJAR_RULES_FOUND(value). */
gboolean ajar_rules_expect_type(AjarRulesCheck *check, const AjarJsonValue *value,
                                AjarJsonType type, const char *path, const char *format, ...)
    G_GNUC_PRINTF(5, 6);
/* The kind of value @value is, as "must be a string, not %s" puts it. */
#define AJAR_RULES_FOUND(value) ajar_json_type_name((value)->type)
/* Sets *@out to @object's member @key, or fails saying it is missing. */
gboolean ajar_rules_require(AjarRulesCheck *check, const AjarJsonValue *object, const char *key,
                            const char *path, const AjarJsonValue **out);
/* A non-empty single-line string of at most @max_bytes, copied to *@out. */
gboolean ajar_rules_get_text(AjarRulesCheck *check, const AjarJsonValue *value, const char *path,
                             gsize max_bytes, char **out);

G_END_DECLS
