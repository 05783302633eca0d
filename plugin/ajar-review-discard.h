/* ajar-review-discard.h — a discard asks first, and what was discarded
 * lately can be brought back (above ajar-review-page.c). */
#pragma once

#include "ajar-context.h"

/* Asks "Discard N messages from RULE?" (default: keep them); discards @ids
 * only on an explicit yes. */
void ajar_review_confirm_discard(AjarPlugin *ajar, const char *rule, GPtrArray *ids);
/* Returns: (transfer full) (nullable): step one's line for the messages
 * discarded lately (for one person when @buddy is set), or NULL if none. */
char *ajar_review_describe_discarded(AjarPlugin *ajar, PurpleAccount *account, const char *buddy);
/* Opens the list of recently discarded messages, to bring some back. */
void ajar_review_open_discarded(AjarPlugin *ajar, PurpleAccount *account, const char *buddy);
