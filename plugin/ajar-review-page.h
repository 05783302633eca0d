/* ajar-review-page.h — what every review dialog is made of: a step's data,
 * a page of messages, options read back by their data. The review's three
 * files, from the bottom up: ajar-review-page.c, ajar-review-discard.c
 * (asking before a discard, bringing discarded messages back) and
 * ajar-review.c (the counts, a person's messages, release). */
#pragma once

#include "ajar-context.h"

#include <request.h>

/* A message's check box line: number, time, state and as much of the text
 * as fits this many characters (at least the minimum). */
#define AJAR_REVIEW_LABEL_CHARS 72
#define AJAR_REVIEW_PREVIEW_MIN_CHARS 16
/* Texts are wrapped to this many columns: a Finch window on an 80-column
 * terminal has 78 inside its border. */
#define AJAR_REVIEW_WRAP_COLUMNS 74

/* What a dialog needs when its answer comes. */
typedef struct {
    AjarPlugin *ajar;
    GPtrArray *labels; /* step one: char*, as shown */
    GPtrArray *keys;   /* char*: rule names (step one) or the page's message ids */
    GPtrArray *chats;  /* step one: the room of each key (char*), NULL for messages */
    char *rule;        /* step two: whose messages */
    char *chat;        /* step two: their lines in this room, or NULL: their messages */
    guint next;        /* step two: where the next page starts, or 0 if none */
    /* Step one opened for one person (/ajar review, their menu), else NULL. */
    char *account_name;
    char *protocol;
    char *buddy;
} ReviewStep;

/* Returns: (transfer none): a step, freed by ajar_review_step_free() when
 * its dialog answers (or by unload when it never does). */
ReviewStep *ajar_review_step_new(AjarPlugin *ajar);
void ajar_review_step_free(ReviewStep *step);
/* Remembers that @step is for @buddy of @account (nothing when either is
 * NULL): by names, as the account may be deleted while the dialog is open. */
void ajar_review_step_set_person(ReviewStep *step, PurpleAccount *account, const char *buddy);
/* Returns: (transfer none) (nullable): the account @step is for if it
 * still exists, and then its buddy in *@buddy (else NULL). */
PurpleAccount *ajar_review_step_person(ReviewStep *step, const char **buddy);
/* The cancel callback of a step's dialog: nothing changes. */
void ajar_review_step_cancel_cb(ReviewStep *step, PurpleRequestFields *fields);
/* Returns: (transfer none) (nullable): the key of the item labelled @label. */
const char *ajar_review_step_key(ReviewStep *step, const char *label);
/* Returns: (transfer none) (nullable): the room of the item labelled
 * @label, NULL when it is not a room's lines. */
const char *ajar_review_step_chat(ReviewStep *step, const char *label);

/* Returns: (transfer full): @text wrapped at spaces to fit a Finch window
 * on an 80-column terminal (Finch breaks a long line anywhere, even inside
 * a word; Pidgin wraps the lines again to its window). */
char *ajar_review_wrap(const char *text);

/* One thing done to a kept message by its id (ajar_custody_release(), ...). */
typedef gboolean (*AjarReviewDeed)(AjarPlugin *ajar, const char *id, GError **error);
/* Does @deed to each of @ids (char*); if some fail, tells the user once:
 * @failed_what and the first reason. */
void ajar_review_do_each(AjarPlugin *ajar, GPtrArray *ids, AjarReviewDeed deed,
                         const char *failed_what);

/* Adds option @what to the single-select list @field (@chosen: selected at
 * first). The answer is read back by its data, never by its position. */
void ajar_review_add_option(PurpleRequestField *field, const char *label, int what,
                            gboolean chosen);
/* The option chosen in list field @id of @fields, or @otherwise. */
int ajar_review_get_option(PurpleRequestFields *fields, const char *id, int otherwise);

/* Adds a page of @items (AjarItem*) from @start on to @fields: their
 * texts, plain and wrapped, after @intro (one line) as the secondary text
 * (returned, transfer full), and a check box "chosen-N" for each. As many as fit the screen of
 * the UI in use (Finch: an 80x24 terminal); the page's ids become @step's
 * keys and @step->next says where the next page starts (0: no more). */
char *ajar_review_add_page(ReviewStep *step, PurpleRequestFieldGroup *group, GPtrArray *items,
                           guint start, const char *intro);
/* Returns: (transfer full): the ids ticked on the page, in listed order. */
GPtrArray *ajar_review_chosen_ids(ReviewStep *step, PurpleRequestFields *fields);
/* "Kept messages: Sam" or, with pages, "Kept messages: Sam (4–6 of 9)".
 * Returns: (transfer full). */
char *ajar_review_page_title(const char *what, guint start, guint shown, guint total);
