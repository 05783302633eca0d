/* ajar-review.h — reading what was kept (a surface: above contact and custody). */
#pragma once

#include "ajar-context.h"

/* Opens the review: everything kept, or only @buddy's (with @account) when
 * both are set. */
void ajar_review_open(AjarPlugin *ajar, PurpleAccount *account, const char *buddy);
