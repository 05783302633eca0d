/* ajar-due.c — due times, and the questions asked before sending.
 *
 * Timers carry message ids, never pointers; after a restart every pending
 * item is rebuilt from the journal. Nothing of yours queued before Ajar
 * started is sent without asking. */
#include "ajar-custody-private.h"

#include <connection.h>
#include <request.h>

#include "ajar/ajar-text.h"

/* A "send it now?" question waiting for the user. */
typedef struct {
    AjarPlugin *ajar;
    char *id;
    gpointer handle; /* the open dialog, to close it if the message is dealt with otherwise */
} AjarQuestion;

/* What waits for an account to come online. */
enum {
    WAIT_DUE = 1,     /* the due time passed while it was offline */
    WAIT_ASK,         /* ask "send it now?" once it is online */
    WAIT_ASK_RESTART, /* the same, for a message that was due while Ajar was not running */
    WAIT_SEND,        /* the user said "Send" while it was offline */
    WAIT_ASK_AGAIN,   /* ask "send it again?": Ajar stopped while sending it */
};

static void
question_free(AjarQuestion *question)
{
    g_free(question->id);
    g_free(question);
}

/* Forgets the open question about @id; @close_dialog when the message was
 * dealt with another way (the dialog must not stay and be answered later). */
static void
forget_question(AjarPlugin *ajar, const char *id, gboolean close_dialog)
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
ajar_custody_unschedule(AjarPlugin *ajar, const char *id)
{
    g_autofree char *key = g_strdup(id); /* @id may belong to what we free here */

    if (dequeue(ajar, key))
        arm_timer(ajar);
    g_hash_table_remove(ajar->waiting_for_account, key);
    forget_question(ajar, key, TRUE);
}

static void
wait_for_account(AjarPlugin *ajar, const char *id, int what)
{
    g_hash_table_insert(ajar->waiting_for_account, g_strdup(id), GINT_TO_POINTER(what));
}

static void
report_failure(AjarPlugin *ajar, const char *what, GError *error)
{
    ajar_plugin_report(ajar, what, error != NULL ? error->message : "unknown error");
}

static void
answer_send_cb(AjarQuestion *question, int action)
{
    AjarPlugin *ajar = question->ajar;
    g_autofree char *id = g_strdup(question->id);
    g_autoptr(GError) error = NULL;

    /* The dialog is closing by itself: only forget it (frees @question). */
    forget_question(ajar, id, FALSE);
    if (action != 0 || ajar_custody_send(ajar, id, &error))
        return;
    if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED)) {
        /* You said yes: it goes as soon as the account is online. */
        wait_for_account(ajar, id, WAIT_SEND);
        return;
    }
    report_failure(ajar, "Ajar could not send the message; it stays kept.", error);
}

static void
answer_keep_cb(AjarQuestion *question, int action)
{
    AjarPlugin *ajar = question->ajar;
    g_autofree char *id = g_strdup(question->id);
    g_autoptr(GError) error = NULL;
    const AjarItem *item;

    forget_question(ajar, id, FALSE);
    item = ajar_custody_lookup(ajar, id, NULL);
    /* "Keep it unsent": a cooling-off message, or one Ajar stopped sending
     * halfway, becomes an unsent letter. */
    if (item != NULL && (item->state == AJAR_EVENT_QUEUED || item->state == AJAR_EVENT_SENDING) &&
        !ajar_custody_cancel(ajar, id, &error))
        report_failure(ajar, "Ajar could not note your answer.", error);
}

/* Asks before sending; the default answer is not to send. */
static void
ask_before_sending(AjarPlugin *ajar, const AjarItem *item, int why)
{
    AjarQuestion *question;
    PurpleAccount *account = ajar_custody_find_account(item);
    g_autofree char *plain = ajar_text_from_markup(item->text, (gssize)item->text_len);
    g_autofree char *preview = ajar_text_first_line(plain, 200);
    g_autofree char *primary = g_strdup_printf(
        why == WAIT_ASK_AGAIN     ? "Ajar stopped while sending your message to %s, so it may "
                                    "already have reached them. Send it again?"
        : why == WAIT_ASK_RESTART ? "Your message to %s was due while Ajar was not running. "
                                    "Send it now?"
        : why == WAIT_ASK         ? "Your message to %s was due while you were offline. Send it "
                                    "now?"
                                  : "Your message to %s is due. Send it now?",
        item->buddy);

    if (g_hash_table_contains(ajar->asking, item->id))
        return;
    question = g_new0(AjarQuestion, 1);
    question->ajar = ajar;
    question->id = g_strdup(item->id);
    g_hash_table_insert(ajar->asking, g_strdup(item->id), question);
    question->handle = purple_request_action(
        ajar->plugin, "Ajar", primary, preview, 1, account, item->buddy, NULL, question, 2,
        why == WAIT_ASK_AGAIN ? "Send again" : "Send", G_CALLBACK(answer_send_cb), "Keep it unsent",
        G_CALLBACK(answer_keep_cb));
}

/* Whether the rule that queued @item asks before sending. A rule that is
 * gone asks too: nothing is sent on the user's behalf by default. */
static gboolean
item_wants_confirm(AjarPlugin *ajar, const AjarItem *item)
{
    for (guint i = 0; i < ajar_rules_get_count(ajar->rules); i++) {
        const AjarRule *rule = ajar_rules_get_rule(ajar->rules, i);
        if (g_strcmp0(rule->name, item->rule) == 0)
            return rule->outgoing.confirm;
    }
    return TRUE;
}

/* The due time came (or had passed at load). */
static void
due(AjarPlugin *ajar, const AjarItem *item, gboolean after_restart)
{
    PurpleAccount *account = ajar_custody_find_account(item);
    g_autoptr(GError) error = NULL;

    if (item->dir == AJAR_DIRECTION_OUT) {
        /* Never sent without asking when it was queued before this run of
         * Ajar, or is late because its account was offline, or its rule
         * says so. */
        gboolean earlier = after_restart || g_hash_table_contains(ajar->from_earlier_run, item->id);
        if (!ajar_custody_account_online(account)) {
            wait_for_account(ajar, item->id, earlier ? WAIT_ASK_RESTART : WAIT_ASK);
            return;
        }
        if (earlier || item_wants_confirm(ajar, item)) {
            ask_before_sending(ajar, item, earlier ? WAIT_ASK_RESTART : 0);
            return;
        }
    }
    if (!ajar_custody_account_online(account)) {
        /* Their message: delivered when the account is next online. */
        wait_for_account(ajar, item->id, WAIT_DUE);
        return;
    }
    if (item->dir == AJAR_DIRECTION_IN) {
        ajar_custody_show(ajar, item, account, AJAR_EVENT_DELIVERED);
    } else if (!ajar_custody_send(ajar, item->id, &error)) {
        report_failure(ajar, "Ajar could not send your message; it stays kept.", error);
    }
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
    wait_ms = (soonest->due_at - ajar_plugin_now()) / 1000;
    ajar->due_timer = g_timeout_add_full(
        G_PRIORITY_DEFAULT, (guint)CLAMP(wait_ms, 0, (gint64)MAX_TIMER_MS), due_cb, ajar, NULL);
}

static void
enqueue(AjarPlugin *ajar, const char *id, gint64 due_at)
{
    AjarDueEntry *entry = g_new0(AjarDueEntry, 1);
    GSequenceIter *position;

    entry->id = g_strdup(id);
    entry->due_at = due_at;
    entry->order = ajar->due_order++;
    dequeue(ajar, id);
    position = g_sequence_insert_sorted(ajar->due_queue, entry, compare_due, NULL);
    g_hash_table_insert(ajar->due_entries, entry->id, position);
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
        const AjarItem *item;

        if (g_sequence_iter_is_end(first) ||
            ((AjarDueEntry *)g_sequence_get(first))->due_at > ajar_plugin_now() + 1000)
            break;
        id = g_strdup(((AjarDueEntry *)g_sequence_get(first))->id);
        dequeue(ajar, id);
        item = ajar_custody_lookup(ajar, id, NULL);
        if (item == NULL || (item->state != AJAR_EVENT_DELAYED && item->state != AJAR_EVENT_QUEUED))
            continue;
        if (item->due > ajar_plugin_now() + 1000) {
            enqueue(ajar, item->id, item->due); /* moved later meanwhile */
            continue;
        }
        /* (due() may schedule or unschedule others: the loop looks again.) */
        due(ajar, item, FALSE);
    }
    if (ajar->due_timer == 0)
        arm_timer(ajar);
    return G_SOURCE_REMOVE;
}

void
ajar_custody_schedule(AjarPlugin *ajar, const AjarItem *item)
{
    if (item->state != AJAR_EVENT_DELAYED && item->state != AJAR_EVENT_QUEUED)
        return;
    ajar_custody_unschedule(ajar, item->id);
    enqueue(ajar, item->id, item->due);
    arm_timer(ajar);
}

void
ajar_custody_schedule_all(AjarPlugin *ajar, gboolean after_load)
{
    g_autoptr(GPtrArray) items = NULL;
    gint64 now = ajar_plugin_now();

    if (ajar->journal == NULL)
        return;
    items = ajar_state_list_custody(ajar_journal_get_state(ajar->journal));
    for (guint i = 0; i < items->len; i++) {
        const AjarItem *item = g_ptr_array_index(items, i);

        /* Ajar stopped while sending it: it may have gone. Ask before
         * sending it again, default no. (Theirs that it stopped showing
         * stay kept, marked in the review: nothing pops up by itself.) */
        if (after_load && item->state == AJAR_EVENT_SENDING && item->dir == AJAR_DIRECTION_OUT) {
            if (ajar_custody_account_online(ajar_custody_find_account(item)))
                ask_before_sending(ajar, item, WAIT_ASK_AGAIN);
            else
                wait_for_account(ajar, item->id, WAIT_ASK_AGAIN);
            continue;
        }
        if (item->state != AJAR_EVENT_DELAYED && item->state != AJAR_EVENT_QUEUED)
            continue;
        if (after_load && item->dir == AJAR_DIRECTION_OUT)
            g_hash_table_add(ajar->from_earlier_run, g_strdup(item->id));
        /* After a restart an overdue message of yours is never sent without
         * asking; an overdue one of theirs is delivered when its account is
         * online. */
        if (after_load && item->due <= now)
            due(ajar, item, item->dir == AJAR_DIRECTION_OUT);
        else
            ajar_custody_schedule(ajar, item);
    }
}

void
ajar_custody_unschedule_all(AjarPlugin *ajar)
{
    if (ajar->due_timer != 0) {
        g_source_remove(ajar->due_timer);
        ajar->due_timer = 0;
    }
    g_hash_table_remove_all(ajar->due_entries);
    g_sequence_remove_range(g_sequence_get_begin_iter(ajar->due_queue),
                            g_sequence_get_end_iter(ajar->due_queue));
    g_hash_table_remove_all(ajar->waiting_for_account);
    /* Open questions are closed by purple_request_close_with_handle() in
     * unload; their answers never come, so their data goes here. */
    g_hash_table_remove_all(ajar->asking);
}

/* An account came online: what waited for it goes now. */
static void
signed_on_cb(PurpleConnection *gc, gpointer data)
{
    AjarPlugin *ajar = data;
    PurpleAccount *account = purple_connection_get_account(gc);
    g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init(&iter, ajar->waiting_for_account);
    while (g_hash_table_iter_next(&iter, &key, NULL))
        g_ptr_array_add(ids, g_strdup(key));
    for (guint i = 0; i < ids->len; i++) {
        const char *id = g_ptr_array_index(ids, i);
        const AjarItem *item = ajar_custody_lookup(ajar, id, NULL);
        int what = GPOINTER_TO_INT(g_hash_table_lookup(ajar->waiting_for_account, id));
        g_autoptr(GError) error = NULL;

        if (item == NULL) {
            g_hash_table_remove(ajar->waiting_for_account, id);
            continue;
        }
        if (ajar_custody_find_account(item) != account)
            continue;
        g_hash_table_remove(ajar->waiting_for_account, id);
        if (what == WAIT_SEND) {
            if (!ajar_custody_send(ajar, id, &error))
                report_failure(ajar, "Ajar could not send your message; it stays kept.", error);
        } else if (what == WAIT_ASK || what == WAIT_ASK_RESTART || what == WAIT_ASK_AGAIN) {
            ask_before_sending(ajar, item, what);
        } else {
            due(ajar, item, FALSE);
        }
    }
}

void
ajar_custody_connect(AjarPlugin *ajar)
{
    ajar->due_queue = g_sequence_new(due_entry_free);
    /* Keys are the entries' own ids. */
    ajar->due_entries = g_hash_table_new(g_str_hash, g_str_equal);
    ajar->waiting_for_account = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    ajar->asking =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)question_free);
    ajar->from_earlier_run = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    ajar->done_unnoted = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    purple_signal_connect(purple_connections_get_handle(), "signed-on", ajar->plugin,
                          PURPLE_CALLBACK(signed_on_cb), ajar);
}

void
ajar_custody_disconnect(AjarPlugin *ajar)
{
    ajar_custody_unschedule_all(ajar);
    g_clear_pointer(&ajar->due_entries, g_hash_table_unref);
    g_clear_pointer(&ajar->due_queue, g_sequence_free);
    g_clear_pointer(&ajar->waiting_for_account, g_hash_table_unref);
    g_clear_pointer(&ajar->asking, g_hash_table_unref);
    g_clear_pointer(&ajar->from_earlier_run, g_hash_table_unref);
    g_clear_pointer(&ajar->done_unnoted, g_hash_table_unref);
}
