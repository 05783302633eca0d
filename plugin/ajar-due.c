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

void
ajar_custody_unschedule(AjarPlugin *ajar, const char *id)
{
    gpointer source;
    g_autofree char *key = g_strdup(id); /* @id may belong to what we free here */

    if (g_hash_table_lookup_extended(ajar->due_sources, key, NULL, &source)) {
        g_source_remove(GPOINTER_TO_UINT(source));
        g_hash_table_remove(ajar->due_sources, key);
    }
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
    /* "Keep it unsent": a cooling-off message becomes an unsent letter. */
    if (item != NULL && item->state == AJAR_EVENT_QUEUED && !ajar_custody_cancel(ajar, id, &error))
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
        why == WAIT_ASK_RESTART ? "Your message to %s was due while Ajar was not running. "
                                  "Send it now?"
        : why == WAIT_ASK       ? "Your message to %s was due while you were offline. Send it "
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
        ajar->plugin, "Ajar", primary, preview, 1, account, item->buddy, NULL, question, 2, "Send",
        G_CALLBACK(answer_send_cb), "Keep it unsent", G_CALLBACK(answer_keep_cb));
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
        ajar_custody_deliver(ajar, item, account);
        ajar_custody_note_done(ajar, AJAR_EVENT_DELIVERED, item->id);
    } else if (!ajar_custody_send(ajar, item->id, &error)) {
        report_failure(ajar, "Ajar could not send your message; it stays kept.", error);
    }
}

/* Timers carry the id, not the item: the state may change before they fire. */
typedef struct {
    AjarPlugin *ajar;
    char *id;
} AjarDue;

static void
due_free(gpointer data)
{
    AjarDue *due_data = data;

    g_free(due_data->id);
    g_free(due_data);
}

/* GLib timers run on the monotonic clock, which stops while the computer
 * sleeps: wake at least every minute and compare with the wall clock. */
#define MAX_TIMER_MS (60u * 1000u)

static gboolean due_cb(gpointer data);

static void
arm(AjarPlugin *ajar, const char *id, gint64 due_at)
{
    AjarDue *due_data = g_new0(AjarDue, 1);
    gint64 wait_ms = (due_at - ajar_plugin_now()) / 1000;
    guint source;

    due_data->ajar = ajar;
    due_data->id = g_strdup(id);
    source = g_timeout_add_full(G_PRIORITY_DEFAULT, (guint)CLAMP(wait_ms, 0, MAX_TIMER_MS), due_cb,
                                due_data, due_free);
    g_hash_table_insert(ajar->due_sources, g_strdup(id), GUINT_TO_POINTER(source));
}

static gboolean
due_cb(gpointer data)
{
    AjarDue *due_data = data;
    AjarPlugin *ajar = due_data->ajar;
    const AjarItem *item = ajar_custody_lookup(ajar, due_data->id, NULL);

    /* This source ends when we return; forget it first. */
    g_hash_table_remove(ajar->due_sources, due_data->id);
    if (item == NULL || (item->state != AJAR_EVENT_DELAYED && item->state != AJAR_EVENT_QUEUED))
        return G_SOURCE_REMOVE;
    if (item->due > ajar_plugin_now() + 1000) {
        arm(ajar, item->id, item->due); /* a long delay: not yet */
        return G_SOURCE_REMOVE;
    }
    due(ajar, item, FALSE);
    return G_SOURCE_REMOVE;
}

void
ajar_custody_schedule(AjarPlugin *ajar, const AjarItem *item)
{
    if (item->state != AJAR_EVENT_DELAYED && item->state != AJAR_EVENT_QUEUED)
        return;
    ajar_custody_unschedule(ajar, item->id);
    arm(ajar, item->id, item->due);
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
    GHashTableIter iter;
    gpointer source;

    g_hash_table_iter_init(&iter, ajar->due_sources);
    while (g_hash_table_iter_next(&iter, NULL, &source))
        g_source_remove(GPOINTER_TO_UINT(source));
    g_hash_table_remove_all(ajar->due_sources);
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
        } else if (what == WAIT_ASK || what == WAIT_ASK_RESTART) {
            ask_before_sending(ajar, item, what);
        } else {
            due(ajar, item, FALSE);
        }
    }
}

void
ajar_custody_connect(AjarPlugin *ajar)
{
    ajar->due_sources = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
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
    g_clear_pointer(&ajar->due_sources, g_hash_table_unref);
    g_clear_pointer(&ajar->waiting_for_account, g_hash_table_unref);
    g_clear_pointer(&ajar->asking, g_hash_table_unref);
    g_clear_pointer(&ajar->from_earlier_run, g_hash_table_unref);
    g_clear_pointer(&ajar->done_unnoted, g_hash_table_unref);
}
