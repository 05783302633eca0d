/* ajar-due-queue.c — what waits, by message id: due times (one timer, for
 * the soonest), messages waiting for their account to come online or for
 * room in the journal, and open "send it now?" questions. It knows times
 * and ids, nothing of what a message is: when a time comes it hands the id
 * to ajar->due_func, which the layer above (ajar-schedule.c) set.
 *
 * Timers carry message ids, never pointers; after a restart every pending
 * item is rebuilt from the journal. */
#include "ajar-due-queue.h"

#include <request.h>

static void
question_free(gpointer data)
{
    AjarQuestion *question = data;

    g_free(question->id);
    g_free(question);
}

/* Forgets the open question about @id; @close_dialog when the message was
 * dealt with another way (the dialog must not stay and be answered later). */
void
ajar_due_queue_forget_question(AjarPlugin *ajar, const char *id, gboolean close_dialog)
{
    AjarQuestion *question = g_hash_table_lookup(ajar->asking, id);
    gpointer handle;

    if (question == NULL)
        return;
    handle = question->handle;
    g_hash_table_remove(ajar->asking, id); /* frees @question */
    if (close_dialog && handle != NULL)
        purple_request_close(PURPLE_REQUEST_ACTION, handle);
}

/* One message waiting for its due time in ajar->due_queue. Entries carry
 * the id, not the item: the state may change before they are due. */
typedef struct {
    char *id;
    gint64 due_at;
    guint64 order;
} AjarDueEntry;

static void
due_entry_free(gpointer data)
{
    AjarDueEntry *entry = data;

    g_free(entry->id);
    g_free(entry);
}

static gint
compare_due(gconstpointer a, gconstpointer b, gpointer user_data)
{
    const AjarDueEntry *x = a, *y = b;

    if (x->due_at != y->due_at)
        return x->due_at < y->due_at ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order ? 1 : 0;
}

static void arm_timer(AjarPlugin *ajar);

/* Takes @id out of the due queue (the timer is re-armed by the caller). */
static gboolean
dequeue(AjarPlugin *ajar, const char *id)
{
    GSequenceIter *position = g_hash_table_lookup(ajar->due_entries, id);

    if (position == NULL)
        return FALSE;
    g_hash_table_remove(ajar->due_entries, id);
    g_sequence_remove(position); /* frees the entry, and the id the table's key pointed at */
    return TRUE;
}

void
ajar_due_queue_forget(AjarPlugin *ajar, const char *id)
{
    g_autofree char *key = g_strdup(id); /* @id may belong to what we free here */

    if (dequeue(ajar, key))
        arm_timer(ajar);
    g_hash_table_remove(ajar->waiting_for_account, key);
    g_hash_table_remove(ajar->waiting_for_room, key);
    ajar_due_queue_forget_question(ajar, key, TRUE);
}

void
ajar_due_queue_wait_for_account(AjarPlugin *ajar, const char *id, int what)
{
    g_hash_table_insert(ajar->waiting_for_account, g_strdup(id), GINT_TO_POINTER(what));
}

/* GLib timers run on the monotonic clock, which stops while the computer
 * sleeps: wake at least every minute and compare with the wall clock. */
#define MAX_TIMER_MS (60u * 1000u)

static gboolean due_cb(gpointer data);

/* One timer, for the soonest message (or none). */
static void
arm_timer(AjarPlugin *ajar)
{
    GSequenceIter *first = g_sequence_get_begin_iter(ajar->due_queue);
    const AjarDueEntry *soonest;
    gint64 wait_ms;

    if (ajar->due_timer != 0) {
        g_source_remove(ajar->due_timer);
        ajar->due_timer = 0;
    }
    if (g_sequence_iter_is_end(first))
        return;
    soonest = g_sequence_get(first);
    wait_ms = (soonest->due_at - ajar_context_now()) / 1000;
    ajar->due_timer = g_timeout_add_full(
        G_PRIORITY_DEFAULT, (guint)CLAMP(wait_ms, 0, (gint64)MAX_TIMER_MS), due_cb, ajar, NULL);
}

void
ajar_due_queue_add(AjarPlugin *ajar, const char *id, gint64 due_at)
{
    AjarDueEntry *entry = g_new0(AjarDueEntry, 1);
    GSequenceIter *position;

    entry->id = g_strdup(id);
    entry->due_at = due_at;
    entry->order = ajar->due_order++;
    dequeue(ajar, id);
    position = g_sequence_insert_sorted(ajar->due_queue, entry, compare_due, NULL);
    g_hash_table_insert(ajar->due_entries, entry->id, position);
    arm_timer(ajar);
}

/* The first pause before a refused send is tried again by itself, and the
 * longest (the timer's own longest wait): 1 s, 2 s, 4 s, … 1 min. */
#define ROOM_RETRY_FIRST_MS 1000u
#define ROOM_RETRY_LONGEST_MS MAX_TIMER_MS

gboolean
ajar_due_queue_wait_for_room(AjarPlugin *ajar, const char *id)
{
    guint tries = GPOINTER_TO_UINT(g_hash_table_lookup(ajar->waiting_for_room, id));
    guint pause_ms = ROOM_RETRY_LONGEST_MS;

    if (tries < 16)
        pause_ms = MIN(ROOM_RETRY_FIRST_MS << tries, ROOM_RETRY_LONGEST_MS);
    g_hash_table_insert(ajar->waiting_for_room, g_strdup(id), GUINT_TO_POINTER(tries + 1));
    ajar_due_queue_add(ajar, id, ajar_context_now() + (gint64)pause_ms * 1000);
    return tries == 0;
}

gboolean
ajar_due_queue_waits_for_room(AjarPlugin *ajar, const char *id)
{
    return g_hash_table_contains(ajar->waiting_for_room, id);
}

/* ajar->journal_ok_func: a journal write worked, so there is room again:
 * every refused send is due now (at the next turn of the main loop, not
 * inside the write, which may be in the middle of handling a message). A
 * retry's own "sending" line lands here too and brings the others along. */
static void
room_again_cb(AjarPlugin *ajar)
{
    g_autoptr(GPtrArray) ids = NULL;
    GHashTableIter iter;
    gpointer key;
    gint64 now;

    if (ajar->waiting_for_room == NULL || g_hash_table_size(ajar->waiting_for_room) == 0)
        return;
    now = ajar_context_now();
    ids = g_ptr_array_new_with_free_func(g_free);
    g_hash_table_iter_init(&iter, ajar->waiting_for_room);
    while (g_hash_table_iter_next(&iter, &key, NULL))
        g_ptr_array_add(ids, g_strdup(key));
    for (guint i = 0; i < ids->len; i++)
        ajar_due_queue_add(ajar, g_ptr_array_index(ids, i), now);
}

static gboolean
due_cb(gpointer data)
{
    AjarPlugin *ajar = data;

    /* This source ends when we return. */
    ajar->due_timer = 0;
    for (;;) {
        GSequenceIter *first = g_sequence_get_begin_iter(ajar->due_queue);
        g_autofree char *id = NULL;

        if (g_sequence_iter_is_end(first) ||
            ((AjarDueEntry *)g_sequence_get(first))->due_at > ajar_context_now() + 1000)
            break;
        id = g_strdup(((AjarDueEntry *)g_sequence_get(first))->id);
        dequeue(ajar, id);
        /* (It may schedule or unschedule others: the loop looks again.) */
        if (ajar->due_func != NULL)
            ajar->due_func(ajar, id);
    }
    if (ajar->due_timer == 0)
        arm_timer(ajar);
    return G_SOURCE_REMOVE;
}

void
ajar_due_queue_forget_all(AjarPlugin *ajar)
{
    if (ajar->due_timer != 0) {
        g_source_remove(ajar->due_timer);
        ajar->due_timer = 0;
    }
    g_hash_table_remove_all(ajar->due_entries);
    g_sequence_remove_range(g_sequence_get_begin_iter(ajar->due_queue),
                            g_sequence_get_end_iter(ajar->due_queue));
    g_hash_table_remove_all(ajar->waiting_for_account);
    g_hash_table_remove_all(ajar->waiting_for_room);
    /* Open questions are closed by purple_request_close_with_handle() in
     * unload; their answers never come, so their data goes here. */
    g_hash_table_remove_all(ajar->asking);
}

void
ajar_due_queue_init(AjarPlugin *ajar)
{
    ajar->due_queue = g_sequence_new(due_entry_free);
    /* Keys are the entries' own ids. */
    ajar->due_entries = g_hash_table_new(g_str_hash, g_str_equal);
    ajar->waiting_for_account = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    ajar->asking = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, question_free);
    ajar->waiting_for_room = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    ajar->journal_ok_func = room_again_cb;
}

void
ajar_due_queue_clear(AjarPlugin *ajar)
{
    ajar_due_queue_forget_all(ajar);
    ajar->journal_ok_func = NULL;
    g_clear_pointer(&ajar->waiting_for_room, g_hash_table_unref);
    g_clear_pointer(&ajar->due_entries, g_hash_table_unref);
    g_clear_pointer(&ajar->due_queue, g_sequence_free);
    g_clear_pointer(&ajar->waiting_for_account, g_hash_table_unref);
    g_clear_pointer(&ajar->asking, g_hash_table_unref);
}
