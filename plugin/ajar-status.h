/* ajar-status.h — `/ajar status` in words. */
#pragma once

#include "ajar-context.h"

/* The status line for the conversation with @buddy on @account: what Ajar
 * does for them and what it keeps (counts, never content).
 * Returns: (transfer full). */
char *ajar_status_line(AjarPlugin *ajar, PurpleAccount *account, const char *buddy);
