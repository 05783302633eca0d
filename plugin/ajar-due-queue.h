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
/* Stops @id's timer, forgets that it waits for an account or for room,
 * closes its "send now?" question. */
void ajar_due_queue_forget(AjarPlugin *ajar, const char *id);
/* Forgets everything that waits (unload; open questions are closed by
 * purple_request_close_with_handle() there). */
void ajar_due_queue_forget_all(AjarPlugin *ajar);
/* @id waits for its account to come online; @what says for what (the
 * caller's own codes, non-zero). */
void ajar_due_queue_wait_for_account(AjarPlugin *ajar, const char *id, int what);
/* @id's send was refused because the journal could not take its "sending"
 * line (a full disk). It falls due again (ajar->due_func) right after the
 * next journal write that works, or by itself after a pause that doubles
 * with each try, from 1 s to 1 min: a few cheap writes while the disk
 * stays full, never a loop. Returns TRUE the first time for @id (when the
 * user is to be told), FALSE for a retry refused again. */
gboolean ajar_due_queue_wait_for_room(AjarPlugin *ajar, const char *id);
/* Whether @id's send was refused and waits for room (see above). */
gboolean ajar_due_queue_waits_for_room(AjarPlugin *ajar, const char *id);
/* Forgets the open question about @id (kept in ajar->asking, which frees
 * it); @close_dialog when the message was dealt with another way (the
 * dialog must not stay and be answered later). */
void ajar_due_queue_forget_question(AjarPlugin *ajar, const char *id, gboolean close_dialog);
