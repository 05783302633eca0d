/* ajar-schedule.h — what happens when a kept message is due (above
 * ajar-custody.c and ajar-due-queue.c). */
#pragma once

#include "ajar-context.h"

/* Sets up the due-queue with this layer's callback, and listens for
 * accounts coming online; disconnect undoes both. */
void ajar_schedule_connect(AjarPlugin *ajar);
void ajar_schedule_disconnect(AjarPlugin *ajar);
/* Schedules @item if it is delayed or queued (a new due time replaces the old). */
void ajar_schedule_item(AjarPlugin *ajar, const AjarItem *item);
/* Schedules everything in custody; @after_load: Ajar just started, so an
 * overdue message of yours is asked about, never sent, and one Ajar
 * stopped sending is asked about again. */
void ajar_schedule_all(AjarPlugin *ajar, gboolean after_load);
/* The same (after_load) once the journal was read in the background, a few
 * thousand messages a turn of the main loop so that a large journal does
 * not stall the messenger: @ids (char*, the messages in custody when it was
 * read: ajar_journal_take_loaded_custody()) each dealt with in its turn,
 * unless its state_seq is no longer the one in @state_seqs (something
 * happened to it meanwhile). Takes both. Then @done_func (nullable).
 * Unload (ajar_schedule_disconnect()) stops it. */
void ajar_schedule_all_in_slices(AjarPlugin *ajar, GPtrArray *ids, GArray *state_seqs,
                                 void (*done_func)(AjarPlugin *ajar));
void ajar_schedule_slices_clear(AjarPlugin *ajar);
/* Asks at once whether to send @item, a message of yours its rule's
 * "ask" kept: the rule's question (or "Send this to Sam now?") over the
 * message; Send sends it as a cooling-off message is sent, Keep it unsent
 * (the default) keeps it as an unsent letter, and a dialog closed without
 * an answer leaves it unsent. */
void ajar_schedule_ask(AjarPlugin *ajar, const AjarItem *item);
