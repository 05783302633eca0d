/* ajar-review-strangers.h — new senders in the review: their lines in the
 * first step, and one sender's page with This is NAME, Let them through
 * and Discard (above ajar-review-discard.c and ajar-strangers.c). */
#pragma once

#include "ajar-context.h"
#include "ajar-review-page.h"

/* Adds the first step's lines for new senders to @list, first a heading
 * ("2 new senders: 5 held") then a line per sender, and their keys to
 * @step; for one person's review (@account and @buddy set) only theirs.
 * Returns: how many lines were added (0 when there are no strangers). */
guint ajar_review_strangers_add_lines(AjarPlugin *ajar, ReviewStep *step, PurpleRequestField *list,
                                      PurpleAccount *account, const char *buddy);
/* Whether new senders have kept messages (@buddy's on @account, when set). */
gboolean ajar_review_strangers_any(AjarPlugin *ajar, PurpleAccount *account, const char *buddy);
/* Whether @key (a first-step line's) is a new sender's. */
gboolean ajar_review_strangers_is_key(const char *key);
/* Opens the page of the new sender with @key: their messages and what to
 * do with them. */
void ajar_review_strangers_open(AjarPlugin *ajar, const char *key);
