/* ajar-due-queue.h — what waits, by message id (above ajar-context.c). */
#pragma once

#include "ajar-context.h"

/* A "send it now?" question waiting for the user. */
typedef struct {
    AjarPlugin *ajar;
    char *id;
    gpointer handle; /* the open dialog, to close it if the message is dealt with otherwise */
} AjarQuestion;

/* Makes and frees the queue's tables in the context. */
void ajar_due_queue_init(AjarPlugin *ajar);
void ajar_due_queue_clear(AjarPlugin *ajar);
/* @id falls due at @due_at (unix microseconds): ajar->due_func gets it then
 * (at once when that has passed). Replaces an earlier time for @id. */
void ajar_due_queue_add(AjarPlugin *ajar, const char *id, gint64 due_at);
/* Stops @id's timer, forgets that it waits for an account, closes its
 * "send now?" question. */
void ajar_due_queue_forget(AjarPlugin *ajar, const char *id);
/* Forgets everything that waits (unload; open questions are closed by
 * purple_request_close_with_handle() there). */
void ajar_due_queue_forget_all(AjarPlugin *ajar);
/* @id waits for its account to come online; @what says for what (the
 * caller's own codes, non-zero). */
void ajar_due_queue_wait_for_account(AjarPlugin *ajar, const char *id, int what);
/* Forgets the open question about @id (kept in ajar->asking, which frees
 * it); @close_dialog when the message was dealt with another way (the
 * dialog must not stay and be answered later). */
void ajar_due_queue_forget_question(AjarPlugin *ajar, const char *id, gboolean close_dialog);
