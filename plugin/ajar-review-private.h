/* ajar-review-private.h — what the review's two files share: ajar-review.c
 * (the counts, the messages, release) and ajar-review-discard.c (asking
 * before a discard, and bringing discarded messages back). */
#pragma once

#include "ajar-plugin.h"

#include <request.h>

/* How much of a message a line of the list shows. */
#define AJAR_REVIEW_PREVIEW_CHARS 60

/* What a dialog needs when its answer comes: labels map to what they name. */
typedef struct {
    AjarPlugin *ajar;
    GPtrArray *labels; /* char*, as shown */
    GPtrArray *keys;   /* char*: rule names (step one) or message ids (step two) */
    char *rule;        /* step two: whose messages */
    /* Step one opened for one person (/ajar review, their menu), else NULL. */
    char *account_name;
    char *protocol;
    char *buddy;
} ReviewStep;

/* Returns: (transfer none): a step, freed by ajar_review_step_free() when
 * its dialog answers (or by unload when it never does). */
ReviewStep *ajar_review_step_new(AjarPlugin *ajar);
void ajar_review_step_free(ReviewStep *step);
/* The cancel callback of a step's dialog: nothing changes. */
void ajar_review_step_cancel_cb(ReviewStep *step, PurpleRequestFields *fields);
/* Returns: (transfer none) (nullable): the key of the item labelled @label. */
const char *ajar_review_step_key(ReviewStep *step, const char *label);

/* Adds option @what to the single-select list @field (@chosen: selected at
 * first). The answer is read back by its data, never by its position. */
void ajar_review_add_option(PurpleRequestField *field, const char *label, int what,
                            gboolean chosen);
/* The option chosen in list field @id of @fields, or @otherwise. */
int ajar_review_get_option(PurpleRequestFields *fields, const char *id, int otherwise);

/* Adds the texts of @items (AjarItem*) and a multi-select list "chosen" of
 * them to @group; their ids become @step's keys. */
void ajar_review_add_messages(ReviewStep *step, PurpleRequestFieldGroup *group, GPtrArray *items);
/* Returns: (transfer full): the ids ticked in "chosen", in listed order. */
GPtrArray *ajar_review_chosen_ids(ReviewStep *step, PurpleRequestFields *fields);

/* ajar-review-discard.c */
/* Asks "Discard N messages from RULE?" (default: keep them); discards @ids
 * only on an explicit yes. */
void ajar_review_confirm_discard(AjarPlugin *ajar, const char *rule, GPtrArray *ids);
/* Returns: (transfer full) (nullable): step one's line for the messages
 * discarded lately (for one person when @buddy is set), or NULL if none. */
char *ajar_review_describe_discarded(AjarPlugin *ajar, PurpleAccount *account, const char *buddy);
/* Opens the list of recently discarded messages, to bring some back. */
void ajar_review_open_discarded(AjarPlugin *ajar, PurpleAccount *account, const char *buddy);
