/* ajar-normalize.h — the messenger's own name comparison, for the core. */
#pragma once

#include <glib.h>

#include "ajar/ajar-rules.h"

/* An AjarNormalizeFunc (ajar/ajar-rules.h): @name as libpurple normalizes
 * it for @protocol (any protocol when NULL). Returns: (transfer full). */
char *ajar_normalize_cb(const char *protocol, const char *name, gpointer user_data);
