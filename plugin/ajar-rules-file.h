/* ajar-rules-file.h — rules.json: read, watched, written atomically (above ajar-context.c). */
#pragma once

#include "ajar-context.h"

/* Reads rules.json into ajar->rules (an invalid file is reported and the
 * last good rules stay). */
void ajar_rules_file_load(AjarPlugin *ajar);
void ajar_rules_file_watch(AjarPlugin *ajar);
void ajar_rules_file_unwatch(AjarPlugin *ajar);
/* Makes @rules the rules in force and writes rules.json atomically. */
gboolean ajar_rules_file_replace(AjarPlugin *ajar, AjarRuleSet *rules, GError **error);
