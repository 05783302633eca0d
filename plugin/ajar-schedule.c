/* ajar-schedule.c — what happens when a kept message is due: theirs is
 * delivered, yours sent or asked about ("send it now?", default no), and
 * what is due while its account is offline waits for it. Nothing of yours
 * queued before Ajar started is sent without asking. A send the journal
 * could not note beforehand (a full disk) waits for room and goes once it
 * can. The timers themselves are ajar-due-queue.c's. */
#include "ajar-schedule.h"

#include <connection.h>
#include <request.h>

#include "ajar-ask-text.h"
#include "ajar-custody.h"
#include "ajar-due-queue.h"
#include "ajar/ajar-i18n.h"
#include "ajar/ajar-reveal.h"
#include "ajar/ajar-text.h"

/* What waits for an account to come online. */
enum {
    WAIT_DUE = 1,     /* the due time passed while it was offline */
    WAIT_ASK,         /* ask "send it now?" once it is online */
    WAIT_ASK_RESTART, /* the same, for a message that was due while Ajar was not running */
    WAIT_SEND,        /* the user said "Send" while it was offline */
    WAIT_ASK_AGAIN,   /* ask "send it again?": Ajar stopped while sending it */
    WAIT_ASK_BROKEN,  /* ask "send it again?": its send failed or broke its connection */
    WAIT_ASK_RULE,    /* its rule says "ask": asked at once, with the rule's question */
};

/* A send that broke asks again; its error says no more (the question does). */
static gboolean
send_broke(const GError *error)
{
    return g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
}

static void
report_failure(AjarPlugin *ajar, const char *what, GError *error)
{
    ajar_context_report(ajar, what, error != NULL ? error->message : _("unknown error"));
}

/* ---- Sends refused for want of room (a full disk) ---- */

/* Your message went after waiting for room: said once, in its
 * conversation, under the message itself. */
static void
tell_sent_after_room(PurpleAccount *account, const char *buddy)
{
    PurpleConversation *conv =
        purple_find_conversation_with_account(PURPLE_CONV_TYPE_IM, buddy, account);

    if (conv != NULL)
        purple_conversation_write(
            conv, NULL, _("Ajar: its journal can be written again, so your message was sent."),
            PURPLE_MESSAGE_SYSTEM | PURPLE_MESSAGE_NO_LOG, time(NULL));
}

/* Sends your message @id now. If the journal cannot take its "sending"
 * line, it is not sent (ajar_custody_send()) but waits for room: the user
 * is told once, and it goes after the next journal write that works
 * (ajar_due_queue_wait_for_room()). FALSE and @error for anything else,
 * such as an offline account. */
static gboolean
send_or_wait_for_room(AjarPlugin *ajar, const char *id, GError **error)
{
    const AjarItem *item = ajar_custody_lookup(ajar, id, error);
    g_autoptr(GError) send_error = NULL;
    g_autofree char *buddy = NULL;
    g_autofree char *shown = NULL;
    g_autofree char *primary = NULL;
    PurpleAccount *account;
    gboolean retry;

    if (item == NULL)
        return FALSE;
    account = ajar_custody_find_account(item);
    buddy = g_strdup(item->buddy);
    retry = ajar_due_queue_waits_for_room(ajar, id);
    if (ajar_custody_send(ajar, id, &send_error)) {
        if (retry)
            tell_sent_after_room(account, buddy);
        return TRUE;
    }
    /* (ajar_custody_send()'s G_IO_ERROR_FAILED: "sending" was not written.) */
    if (!g_error_matches(send_error, G_IO_ERROR, G_IO_ERROR_FAILED)) {
        g_propagate_error(error, g_steal_pointer(&send_error));
        return FALSE;
    }
    if (!ajar_due_queue_wait_for_room(ajar, id)) {
        g_debug("still no room for %s: %s", id, send_error->message);
        return TRUE;
    }
    shown = ajar_reveal_name(buddy); /* as the review shows it */
    /* TRANSLATORS: %s is whom the message is for (their address); "/ajar
     * cancel" is a command: keep it as it is. */
    primary = g_strdup_printf(_("Your message to %s goes as soon as Ajar can write to its journal "
                                "again; /ajar cancel keeps it unsent."),
                              shown);
    ajar_context_report(ajar, primary, send_error->message);
    return TRUE;
}

/* A refused send is due again: it goes without asking, as it would have
 * at its due time (or as the user said Send). If its account went offline
 * meanwhile, it is late for that reason too, and asked about once the
 * account is online, as any message of yours late for that reason (when
 * the account is back before this try, ask_refused_sends() asked). */
static void
retry_refused_send(AjarPlugin *ajar, const char *id)
{
    const AjarItem *item = ajar_custody_lookup(ajar, id, NULL);
    g_autoptr(GError) error = NULL;

    if (item == NULL || item->dir != AJAR_DIRECTION_OUT ||
        (item->state != AJAR_EVENT_QUEUED && item->state != AJAR_EVENT_SENDING)) {
        ajar_due_queue_forget(ajar, id);
        return;
    }
    if (!ajar_custody_account_online(ajar_custody_find_account(item))) {
        ajar_due_queue_forget(ajar, id);
        ajar_due_queue_wait_for_account(ajar, id, WAIT_ASK);
        return;
    }
    /* (A send that broke already waits to be asked about again.) */
    if (!send_or_wait_for_room(ajar, id, &error) && !send_broke(error)) {
        ajar_due_queue_forget(ajar, id);
        report_failure(ajar, _("Ajar could not send your message; it stays kept."), error);
    }
}

/* ---- */

static void
answer_send_cb(AjarQuestion *question, int action)
{
    AjarPlugin *ajar = question->ajar;
    g_autofree char *id = g_strdup(question->id);
    g_autoptr(GError) error = NULL;

    /* The dialog is closing by itself: only forget it (frees @question). */
    ajar_due_queue_forget_question(ajar, id, FALSE);
    if (action != 0 || send_or_wait_for_room(ajar, id, &error) || send_broke(error))
        return;
    if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED)) {
        /* You said yes: it goes as soon as the account is online. */
        ajar_due_queue_wait_for_account(ajar, id, WAIT_SEND);
        return;
    }
    report_failure(ajar, _("Ajar could not send the message; it stays kept."), error);
}

static void
answer_keep_cb(AjarQuestion *question, int action)
{
    AjarPlugin *ajar = question->ajar;
    g_autofree char *id = g_strdup(question->id);
    g_autoptr(GError) error = NULL;
    const AjarItem *item;

    ajar_due_queue_forget_question(ajar, id, FALSE);
    item = ajar_custody_lookup(ajar, id, NULL);
    /* "Keep it unsent": a cooling-off message, or one Ajar stopped sending
     * halfway, becomes an unsent letter. */
    if (item != NULL && (item->state == AJAR_EVENT_QUEUED || item->state == AJAR_EVENT_SENDING) &&
        !ajar_custody_cancel(ajar, id, &error))
        report_failure(ajar, _("Ajar could not note your answer."), error);
}

/* The rule that kept @item, by its name, or NULL when it is gone. */
static const AjarRule *
item_rule(AjarPlugin *ajar, const AjarItem *item)
{
    for (guint i = 0; i < ajar_rules_get_count(ajar->rules); i++) {
        const AjarRule *rule = ajar_rules_get_rule(ajar->rules, i);
        if (g_strcmp0(rule->name, item->rule) == 0)
            return rule;
    }
    return NULL;
}

/* Asks before sending; the default answer is not to send. */
static void
ask_before_sending(AjarPlugin *ajar, const AjarItem *item, int why)
{
    AjarQuestion *question;
    PurpleAccount *account = ajar_custody_find_account(item);
    g_autoptr(GError) text_error = NULL;
    gsize text_len = 0;
    /* Its text back from the journal: one that cannot be read is not
     * offered for sending (it could only go wrong or empty); it stays kept. */
    g_autofree char *text = ajar_context_item_text(ajar, item, &text_len, NULL, &text_error);
    g_autofree char *unmarked = NULL;
    g_autofree char *plain = NULL;
    g_autofree char *preview = NULL;
    g_autofree char *buddy = ajar_reveal_name(item->buddy);
    g_autofree char *primary = NULL;
    g_autofree char *rest = NULL;
    const char *secondary;

    if (text == NULL) {
        ajar_context_report_unreadable(ajar, item, text_error);
        return;
    }
    unmarked = ajar_text_from_markup(text, (gssize)text_len);
    /* Shown as the review shows it (ajar-reveal.h); what is sent is the text as written. */
    plain = ajar_reveal_text(unmarked, -1);
    preview = ajar_text_first_line(plain, 200);
    secondary = preview;

    if (why == WAIT_ASK_RULE) {
        /* "ask": the rule's own question (or the default one), then the message. */
        const AjarRule *rule = item_rule(ajar, item);
        primary = ajar_ask_text_question(item->rule, rule != NULL ? rule->outgoing.question : NULL);
    } else if (item->quiet && why != WAIT_ASK_AGAIN && why != WAIT_ASK_BROKEN) {
        /* Written in quiet hours: when, and what, in the question itself;
         * below it only what the quote leaves out. */
        primary = ajar_ask_text_quiet_question(item, text, text_len, ajar_context_now(), &rest);
        secondary = rest;
    } else if (why == WAIT_ASK_AGAIN)
        /* TRANSLATORS: this and the next four: a question before one of
         * your messages is sent; %s is whom it is for (their address). */
        primary = g_strdup_printf(_("Ajar stopped while sending your message to %s, so it may "
                                    "already have reached them. Send it again?"),
                                  buddy);
    else if (why == WAIT_ASK_BROKEN)
        primary = g_strdup_printf(_("The connection failed while your message to %s was being "
                                    "sent, so it may or may not have reached them. Send it "
                                    "again?"),
                                  buddy);
    else if (why == WAIT_ASK_RESTART)
        primary = g_strdup_printf(
            _("Your message to %s was due while Ajar was not running. Send it now?"), buddy);
    else if (why == WAIT_ASK)
        primary = g_strdup_printf(
            _("Your message to %s was due while you were offline. Send it now?"), buddy);
    else
        primary = g_strdup_printf(_("Your message to %s is due. Send it now?"), buddy);

    if (g_hash_table_contains(ajar->asking, item->id))
        return;
    question = g_new0(AjarQuestion, 1);
    question->ajar = ajar;
    question->id = g_strdup(item->id);
    g_hash_table_insert(ajar->asking, g_strdup(item->id), question);
    question->handle = purple_request_action(
        ajar->plugin, _("Ajar"), primary, secondary, 1, account, item->buddy, NULL, question, 2,
        why == WAIT_ASK_AGAIN || why == WAIT_ASK_BROKEN ? _("Send again") : _("Send"),
        G_CALLBACK(answer_send_cb), _("Keep it unsent"), G_CALLBACK(answer_keep_cb));
}

/* Whether the rule that queued @item asks before sending. A rule that is
 * gone asks too: nothing is sent on the user's behalf by default. */
static gboolean
item_wants_confirm(AjarPlugin *ajar, const AjarItem *item)
{
    const AjarRule *rule = item_rule(ajar, item);

    /* Written in quiet hours: always asked, whatever the rule says now. */
    return item->quiet || rule == NULL || rule->outgoing.confirm;
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
            ajar_due_queue_wait_for_account(ajar, item->id, earlier ? WAIT_ASK_RESTART : WAIT_ASK);
            return;
        }
        if (earlier || item_wants_confirm(ajar, item)) {
            ask_before_sending(ajar, item, earlier ? WAIT_ASK_RESTART : 0);
            return;
        }
    }
    if (!ajar_custody_account_online(account)) {
        /* Their message: delivered when the account is next online. */
        ajar_due_queue_wait_for_account(ajar, item->id, WAIT_DUE);
        return;
    }
    if (item->dir == AJAR_DIRECTION_IN) {
        g_autoptr(GError) show_error = NULL;
        if (!ajar_custody_show(ajar, item, account, AJAR_EVENT_DELIVERED, &show_error))
            ajar_context_report_unreadable(ajar, item, show_error);
    } else if (!send_or_wait_for_room(ajar, item->id, &error) && !send_broke(error)) {
        report_failure(ajar, _("Ajar could not send your message; it stays kept."), error);
    }
}

/* Custody's callback: the send of @id failed, or its connection broke as
 * it went. It is kept ("sending"); you are asked whether to send it again
 * now if the account is still online, else once it is back. */
static void
send_failed_cb(AjarPlugin *ajar, const char *id, gboolean connection_lost)
{
    const AjarItem *item = ajar_custody_lookup(ajar, id, NULL);

    if (item == NULL)
        return;
    if (!connection_lost && ajar_custody_account_online(ajar_custody_find_account(item)))
        ask_before_sending(ajar, item, WAIT_ASK_BROKEN);
    else
        ajar_due_queue_wait_for_account(ajar, item->id, WAIT_ASK_BROKEN);
}

/* The due-queue's callback: @id's time came. */
static void
due_cb(AjarPlugin *ajar, const char *id)
{
    const AjarItem *item;

    if (ajar_due_queue_waits_for_room(ajar, id)) {
        retry_refused_send(ajar, id);
        return;
    }
    item = ajar_custody_lookup(ajar, id, NULL);
    if (item == NULL || (item->state != AJAR_EVENT_DELAYED && item->state != AJAR_EVENT_QUEUED))
        return;
    if (item->due > ajar_context_now() + 1000) {
        ajar_due_queue_add(ajar, item->id, item->due); /* moved later meanwhile */
        return;
    }
    due(ajar, item, FALSE);
}

void
ajar_schedule_item(AjarPlugin *ajar, const AjarItem *item)
{
    /* An "ask" message has no due time: only the user's answer sends it. */
    if ((item->state != AJAR_EVENT_DELAYED && item->state != AJAR_EVENT_QUEUED) || item->ask)
        return;
    ajar_due_queue_forget(ajar, item->id);
    ajar_due_queue_add(ajar, item->id, item->due);
}

/* Whether ajar_schedule_all() has anything to do with @item. */
static gboolean
wants_scheduling(const AjarItem *item)
{
    return (item->state == AJAR_EVENT_SENDING && item->dir == AJAR_DIRECTION_OUT) ||
           ((item->state == AJAR_EVENT_DELAYED || item->state == AJAR_EVENT_QUEUED) && !item->ask);
}

/* What ajar_schedule_all() does with one message in custody. */
static void
schedule_one(AjarPlugin *ajar, const AjarItem *item, gboolean after_load, gint64 now)
{
    /* Journaled while the journal was still read (a message of this run):
     * scheduled, sent or asked about as it came. */
    if (after_load && g_hash_table_contains(ajar->journaled_while_loading, item->id))
        return;
    /* Ajar stopped while sending it: it may have gone. Ask before
     * sending it again, default no. (Theirs that it stopped showing
     * stay kept, marked in the review: nothing pops up by itself.) */
    if (after_load && item->state == AJAR_EVENT_SENDING && item->dir == AJAR_DIRECTION_OUT) {
        if (ajar_custody_account_online(ajar_custody_find_account(item)))
            ask_before_sending(ajar, item, WAIT_ASK_AGAIN);
        else
            ajar_due_queue_wait_for_account(ajar, item->id, WAIT_ASK_AGAIN);
        return;
    }
    /* An "ask" message left unanswered (the dialog closed, or the
     * messenger quit) is not asked about again: it stays unsent, like
     * a letter, until /ajar send or the review sends it. */
    if ((item->state != AJAR_EVENT_DELAYED && item->state != AJAR_EVENT_QUEUED) || item->ask)
        return;
    if (after_load && item->dir == AJAR_DIRECTION_OUT)
        g_hash_table_add(ajar->from_earlier_run, g_strdup(item->id));
    /* After a restart an overdue message of yours is never sent without
     * asking; an overdue one of theirs is delivered when its account is
     * online. */
    if (after_load && item->due <= now)
        due(ajar, item, item->dir == AJAR_DIRECTION_OUT);
    else
        ajar_schedule_item(ajar, item);
}

void
ajar_schedule_all(AjarPlugin *ajar, gboolean after_load)
{
    g_autoptr(GPtrArray) items = NULL;
    gint64 now = ajar_context_now();

    if (ajar->journal == NULL)
        return;
    items = ajar_state_list_custody(ajar_context_state(ajar));
    for (guint i = 0; i < items->len; i++)
        schedule_one(ajar, g_ptr_array_index(items, i), after_load, now);
}

/* One slice of ajar_schedule_all_in_slices(): a few thousand messages a
 * turn of the main loop, a millisecond or two. */
#define SCHEDULE_SLICE 4096

static gboolean
schedule_slice_cb(gpointer data)
{
    AjarPlugin *ajar = data;
    const AjarState *state = ajar_journal_get_state(ajar->journal);
    guint end = MIN(ajar->loaded.next + SCHEDULE_SLICE, ajar->loaded.ids->len);
    gint64 now = ajar_context_now();

    for (; ajar->loaded.next < end; ajar->loaded.next++) {
        guint i = ajar->loaded.next;
        const AjarItem *item = ajar_state_lookup(state, g_ptr_array_index(ajar->loaded.ids, i));

        /* Changed since the list was made (released, sent, ...): dealt
         * with then, as a message of this run. */
        if (item != NULL && item->state_seq == g_array_index(ajar->loaded.seqs, gint64, i) &&
            wants_scheduling(item))
            schedule_one(ajar, item, TRUE, now);
    }
    if (ajar->loaded.next < ajar->loaded.ids->len)
        return G_SOURCE_CONTINUE;
    ajar->loaded.source = 0;
    ajar_schedule_slices_clear(ajar);
    if (ajar->loaded.done_func != NULL)
        ajar->loaded.done_func(ajar);
    return G_SOURCE_REMOVE;
}

void
ajar_schedule_all_in_slices(AjarPlugin *ajar, GPtrArray *ids, GArray *state_seqs,
                            void (*done_func)(AjarPlugin *ajar))
{
    ajar_schedule_slices_clear(ajar);
    ajar->loaded.ids = ids;
    ajar->loaded.seqs = state_seqs;
    ajar->loaded.next = 0;
    ajar->loaded.done_func = done_func;
    ajar->loaded.source = g_idle_add(schedule_slice_cb, ajar);
}

void
ajar_schedule_slices_clear(AjarPlugin *ajar)
{
    g_clear_handle_id(&ajar->loaded.source, g_source_remove);
    g_clear_pointer(&ajar->loaded.ids, g_ptr_array_unref);
    g_clear_pointer(&ajar->loaded.seqs, g_array_unref);
}

/* @account came back online while your refused sends over it waited for
 * room: they are late because it was offline too, so each is asked about
 * ("due while you were offline", default keep) instead of going at its
 * next try, as retry_refused_send() does when the try finds it offline. */
static void
ask_refused_sends(AjarPlugin *ajar, PurpleAccount *account)
{
    g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init(&iter, ajar->waiting_for_room);
    while (g_hash_table_iter_next(&iter, &key, NULL))
        g_ptr_array_add(ids, g_strdup(key));
    for (guint i = 0; i < ids->len; i++) {
        const char *id = g_ptr_array_index(ids, i);
        const AjarItem *item = ajar_custody_lookup(ajar, id, NULL);

        if (item == NULL || ajar_custody_find_account(item) != account)
            continue;
        ajar_due_queue_forget(ajar, id);
        if (item->dir == AJAR_DIRECTION_OUT &&
            (item->state == AJAR_EVENT_QUEUED || item->state == AJAR_EVENT_SENDING))
            ask_before_sending(ajar, item, WAIT_ASK);
    }
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

    ask_refused_sends(ajar, account);
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
            if (!send_or_wait_for_room(ajar, id, &error) && !send_broke(error))
                report_failure(ajar, _("Ajar could not send your message; it stays kept."), error);
        } else if (what == WAIT_ASK || what == WAIT_ASK_RESTART || what == WAIT_ASK_AGAIN ||
                   what == WAIT_ASK_BROKEN) {
            ask_before_sending(ajar, item, what);
        } else {
            due(ajar, item, FALSE);
        }
    }
}

void
ajar_schedule_ask(AjarPlugin *ajar, const AjarItem *item)
{
    if (item == NULL || item->dir != AJAR_DIRECTION_OUT || item->state != AJAR_EVENT_QUEUED)
        return;
    ask_before_sending(ajar, item, WAIT_ASK_RULE);
}

void
ajar_schedule_connect(AjarPlugin *ajar)
{
    ajar_due_queue_init(ajar);
    ajar->due_func = due_cb;
    ajar->send_failed_func = send_failed_cb;
    ajar->from_earlier_run = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    purple_signal_connect(purple_connections_get_handle(), "signed-on", ajar->plugin,
                          PURPLE_CALLBACK(signed_on_cb), ajar);
}

void
ajar_schedule_disconnect(AjarPlugin *ajar)
{
    ajar_schedule_slices_clear(ajar);
    ajar_due_queue_clear(ajar);
    ajar->due_func = NULL;
    ajar->send_failed_func = NULL;
    g_clear_pointer(&ajar->from_earlier_run, g_hash_table_unref);
}
