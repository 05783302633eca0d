/* ajar-custody.c — what Ajar does with a kept message when asked: release,
 * discard, mark read, cancel, send; and the lists the review and /ajar use.
 * Due times are in ajar-due-queue.c, what happens when they come in
 * ajar-schedule.c.
 *
 * Only account and buddy names are kept, never conversation pointers:
 * windows close and accounts go offline while a message waits. */
#include "ajar-custody.h"

#include "ajar-due-queue.h"
#include "ajar-images.h"
#include "ajar-normalize.h"
#include "ajar-room.h"
#include "ajar-send-watch.h"

#include <connection.h>
#include <debug.h>
#include <privacy.h>
#include <server.h>
#include <util.h>

#include "ajar/ajar-i18n.h"

const AjarItem *
ajar_custody_lookup(AjarPlugin *ajar, const char *id, GError **error)
{
    const AjarItem *item = ajar->journal != NULL ? ajar_context_lookup(ajar, id) : NULL;

    /* Shown or sent this session although the journal could not note it:
     * out of Ajar's hands, whatever the journal says. */
    if (item == NULL || !ajar_item_in_custody(item) ||
        g_hash_table_contains(ajar->done_unnoted, item->id)) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("No kept message has the id %s."),
                    id);
        return NULL;
    }
    return item;
}

PurpleAccount *
ajar_custody_find_account(const AjarItem *item)
{
    return purple_accounts_find(item->account, item->protocol);
}

gboolean
ajar_custody_account_online(PurpleAccount *account)
{
    return ajar_send_watch_usable(account);
}

/* Journals the outcome of something already done (shown, sent). If that
 * fails, the deed stands: the user is told, and the message is treated as
 * dealt with for the rest of the session so it is not shown or sent twice. */
gboolean
ajar_custody_note_done(AjarPlugin *ajar, AjarEventType type, const char *id)
{
    g_autoptr(AjarEvent) event = ajar_event_new(type);
    g_autoptr(GError) error = NULL;

    event->ts = ajar_context_now();
    event->id = g_strdup(id);
    if (ajar_context_journal(ajar, event, &error))
        return TRUE;
    g_hash_table_add(ajar->done_unnoted, g_strdup(id));
    ajar_context_report(ajar,
                        type == AJAR_EVENT_SENT
                            ? _("Your message was sent, but Ajar could not note that in its "
                                "journal. After a restart it may ask to send it again.")
                            : _("The message was shown, but Ajar could not note that in its "
                                "journal. After a restart it may be kept again."),
                        error->message);
    return TRUE;
}

/* Journals that Ajar is about to send ("sending") or show ("showing") a
 * kept message, so that if it stops before noting the outcome, the restart
 * knows the message may already have gone out or been shown and asks
 * instead of doing it twice. "sending" is also synced before the send (an
 * fdatasync at the pace of a person's sends), so that not even a power cut
 * makes Ajar forget that a message may have gone. FALSE only if the line
 * could not be written; a failed sync is told, as the background one is. */
static gboolean
note_intent(AjarPlugin *ajar, AjarEventType type, const char *id, GError **error)
{
    g_autoptr(AjarEvent) event = ajar_event_new(type);
    g_autoptr(GError) sync_error = NULL;

    event->ts = ajar_context_now();
    event->id = g_strdup(id);
    if (!ajar_context_journal(ajar, event, error))
        return FALSE;
    if (type == AJAR_EVENT_SENDING && !ajar_journal_sync(ajar->journal, &sync_error))
        ajar_context_sync_failed(ajar, sync_error);
    return TRUE;
}

static gboolean
journal_outcome(AjarPlugin *ajar, AjarEventType type, const char *id, GError **error)
{
    g_autoptr(AjarEvent) event = ajar_event_new(type);

    event->ts = ajar_context_now();
    event->id = g_strdup(id);
    return ajar_context_journal(ajar, event, error);
}

/* Delivers an incoming message as if it arrived now, with its own time:
 * through serv_got_im() when the account is online (conversation, log,
 * sounds and popups as for any message), else straight into the
 * conversation and its log. */
static void
deliver(AjarPlugin *ajar, const AjarItem *item, PurpleAccount *account, char *kept_text,
        gsize kept_len, char **images)
{
    time_t mtime = (time_t)(item->time / G_USEC_PER_SEC);
    GArray *image_ids = NULL;
    PurpleMessageFlags flags = PURPLE_MESSAGE_RECV;
    g_autofree char *text = NULL;

    /* Its pictures back in the image store, under new ids. */
    if (images != NULL) {
        text = ajar_images_restore(ajar, kept_text, kept_len, images, &image_ids);
        flags |= PURPLE_MESSAGE_IMAGES;
    } else {
        text = g_strndup(kept_text, kept_len);
    }

    /* A line of a room goes back into the room (release checked it is
     * open), under the nick it was written with. */
    if (item->chat != NULL) {
        PurpleConversation *room = ajar_room_find(account, item->chat);
        if (room != NULL)
            ajar_room_write(room, item->nick != NULL ? item->nick : item->buddy, text, mtime);
        ajar_images_done(image_ids);
        return;
    }
    /* serv_got_im() silently drops a message from someone the privacy
     * settings block (people often block after a break-up): write those
     * into the conversation directly, so a release always shows. */
    if (ajar_custody_account_online(account) && purple_privacy_check(account, item->buddy)) {
        /* serv_got_im() runs receiving-im-msg again: let it through. */
        ajar->delivering = TRUE;
        serv_got_im(purple_account_get_connection(account), item->buddy, text, flags, mtime);
        ajar->delivering = FALSE;
    } else {
        PurpleConversation *conv =
            purple_find_conversation_with_account(PURPLE_CONV_TYPE_IM, item->buddy, account);
        if (conv == NULL)
            conv = purple_conversation_new(PURPLE_CONV_TYPE_IM, account, item->buddy);
        purple_conv_im_write(PURPLE_CONV_IM(conv), item->buddy, text, flags, mtime);
    }
    /* The conversation holds its own references while it shows them. */
    ajar_images_done(image_ids);
}

/* Sends your message through the normal send path, so other plugins (OTR)
 * see it and the conversation shows it. Returns FALSE when it may not have
 * gone: the protocol refused it, or its connection broke as it went
 * (*@connection_lost); see ajar_send_watch_end(). */
static gboolean
send_now(AjarPlugin *ajar, const AjarItem *item, PurpleAccount *account, const char *kept_text,
         gsize kept_len, char **images, gboolean *connection_lost)
{
    PurpleConversation *conv =
        purple_find_conversation_with_account(PURPLE_CONV_TYPE_IM, item->buddy, account);
    GArray *image_ids = NULL;
    PurpleMessageFlags flags = 0;
    g_autofree char *text = NULL;
    gboolean sent;

    /* Its pictures back in the image store, under new ids. */
    if (images != NULL) {
        text = ajar_images_restore(ajar, kept_text, kept_len, images, &image_ids);
        flags |= PURPLE_MESSAGE_IMAGES;
    } else {
        text = g_strndup(kept_text, kept_len);
    }
    if (conv == NULL)
        conv = purple_conversation_new(PURPLE_CONV_TYPE_IM, account, item->buddy);
    ajar_send_watch_begin(ajar, account);
    /* purple_conv_im_send() runs sending-im-msg again: let it through once. */
    ajar->resending = TRUE;
    purple_conv_im_send_with_flags(PURPLE_CONV_IM(conv), text, flags);
    ajar->resending = FALSE;
    sent = ajar_send_watch_end(ajar, connection_lost);
    ajar_images_done(image_ids);
    return sent;
}

gboolean
ajar_custody_show(AjarPlugin *ajar, const AjarItem *item, PurpleAccount *account,
                  AjarEventType outcome, GError **error)
{
    g_autofree char *id = g_strdup(item->id);
    g_autoptr(GError) intent_error = NULL;
    g_auto(GStrv) images = NULL;
    gsize len = 0;
    /* Its text first: one that cannot be read back (the journal edited by
     * hand) is never shown wrong or empty; the message stays kept. */
    g_autofree char *text = ajar_context_item_text(ajar, item, &len, &images, error);

    if (text == NULL)
        return FALSE;
    /* "showing" first, then shown, then "released" / "delivered": a crash
     * between the first and the last leaves it kept and marked as perhaps
     * shown. (The state keeps @item alive; its id is copied all the same.)
     * If even "showing" cannot be written, it is shown all the same: a
     * message of theirs seen twice after a restart is better than one
     * that cannot be read while the disk is full, and the failed note of
     * the outcome tells the user. */
    if (!note_intent(ajar, AJAR_EVENT_SHOWING, id, &intent_error))
        g_debug("could not note showing: %s", intent_error->message);
    deliver(ajar, item, account, text, len, images);
    ajar_custody_note_done(ajar, outcome, id);
    return TRUE;
}

gboolean
ajar_custody_release(AjarPlugin *ajar, const char *id, GError **error)
{
    const AjarItem *item = ajar_custody_lookup(ajar, id, error);
    PurpleAccount *account;

    if (item == NULL)
        return FALSE;
    if (item->dir != AJAR_DIRECTION_IN) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                    /* TRANSLATORS: %s is a message's id; "/ajar send" is a
                     * command: keep it as it is. */
                    _("%s is your own message: /ajar send sends it."), id);
        return FALSE;
    }
    account = ajar_custody_find_account(item);
    if (account == NULL) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                    _("The account %s is gone, so the message stays kept."), item->account);
        return FALSE;
    }
    if (item->chat != NULL && ajar_room_find(account, item->chat) == NULL) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                    /* TRANSLATORS: %s is a chat room's name, e.g. #friends. */
                    _("The room %s is not open, so its line stays kept."), item->chat);
        return FALSE;
    }
    if (!ajar_custody_show(ajar, item, account, AJAR_EVENT_RELEASED, error))
        return FALSE;
    ajar_due_queue_forget(ajar, id);
    return TRUE;
}

gboolean
ajar_custody_discard(AjarPlugin *ajar, const char *id, GError **error)
{
    const AjarItem *item = ajar_custody_lookup(ajar, id, error);

    if (item == NULL)
        return FALSE;
    ajar_due_queue_forget(ajar, item->id);
    return journal_outcome(ajar, AJAR_EVENT_DISCARDED, item->id, error);
}

typedef gboolean (*ItemFilter)(AjarPlugin *ajar, const AjarItem *item, gint64 since);

/* The items of @items (transfer full: freed here) that @wanted takes, for
 * one buddy of one account (both nullable = all), in their order.
 * Returns: (transfer container). */
static GPtrArray *
filter_items(AjarPlugin *ajar, GPtrArray *items, PurpleAccount *account, const char *buddy,
             ItemFilter wanted_item, gint64 since)
{
    g_autoptr(GPtrArray) all = items;
    GPtrArray *out = g_ptr_array_new();
    g_autofree char *wanted = NULL;

    if (buddy != NULL)
        wanted = ajar_normalize_cb(account != NULL ? purple_account_get_protocol_id(account) : NULL,
                                   buddy, ajar);
    for (guint i = 0; i < all->len; i++) {
        const AjarItem *item = g_ptr_array_index(all, i);

        if (!wanted_item(ajar, item, since))
            continue;
        if (account != NULL && ajar_custody_find_account(item) != account)
            continue;
        if (wanted != NULL) {
            g_autofree char *name = ajar_normalize_cb(item->protocol, item->buddy, ajar);
            if (g_strcmp0(name, wanted) != 0)
                continue;
        }
        g_ptr_array_add(out, (gpointer)item);
    }
    return out;
}

gboolean
ajar_custody_undiscard(AjarPlugin *ajar, const char *id, GError **error)
{
    const AjarItem *item = ajar->journal != NULL ? ajar_context_lookup(ajar, id) : NULL;

    if (item == NULL || item->state != AJAR_EVENT_DISCARDED) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                    _("No discarded message has the id %s."), id);
        return FALSE;
    }
    /* Kept again, and only kept: theirs wait in the review (a delayed one
     * is not delivered on its own any more), yours are unsent letters. */
    return journal_outcome(ajar, AJAR_EVENT_RESTORED, item->id, error);
}

/* Whether a discarded message may still be brought back: discarded at
 * or after @since. */
static gboolean
discarded_since(AjarPlugin *ajar, const AjarItem *item, gint64 since)
{
    return item->state == AJAR_EVENT_DISCARDED && item->state_ts >= since;
}

GPtrArray *
ajar_custody_list_discarded(AjarPlugin *ajar, PurpleAccount *account, const char *buddy)
{
    gint64 since = ajar_context_now() -
                   AJAR_RECENTLY_DISCARDED_DAYS * G_GINT64_CONSTANT(86400) * G_USEC_PER_SEC;

    if (ajar->journal == NULL)
        return g_ptr_array_new();
    return filter_items(ajar, ajar_state_list(ajar_context_state(ajar)), account, buddy,
                        discarded_since, since);
}

gboolean
ajar_custody_mark_read(AjarPlugin *ajar, const char *id, GError **error)
{
    const AjarItem *item = ajar_custody_lookup(ajar, id, error);

    if (item == NULL)
        return FALSE;
    if (item->state != AJAR_EVENT_ARCHIVED)
        return TRUE; /* only archived messages are unread */
    return journal_outcome(ajar, AJAR_EVENT_READ, item->id, error);
}

gboolean
ajar_custody_cancel(AjarPlugin *ajar, const char *id, GError **error)
{
    const AjarItem *item = ajar_custody_lookup(ajar, id, error);

    if (item == NULL)
        return FALSE;
    /* A message Ajar stopped sending halfway is kept unsent the same way. */
    if (item->dir != AJAR_DIRECTION_OUT ||
        (item->state != AJAR_EVENT_QUEUED && item->state != AJAR_EVENT_SENDING)) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                    /* TRANSLATORS: %s is a message's id. */
                    _("%s is not waiting to be sent."), id);
        return FALSE;
    }
    ajar_due_queue_forget(ajar, item->id);
    return journal_outcome(ajar, AJAR_EVENT_CANCELLED, item->id, error);
}

gboolean
ajar_custody_send(AjarPlugin *ajar, const char *id, GError **error)
{
    const AjarItem *item = ajar_custody_lookup(ajar, id, error);
    PurpleAccount *account;

    if (item == NULL)
        return FALSE;
    if (item->dir != AJAR_DIRECTION_OUT) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                    /* TRANSLATORS: %s is a message's id; "/ajar release" is a
                     * command: keep it as it is. */
                    _("%s is their message: /ajar release shows it."), id);
        return FALSE;
    }
    account = ajar_custody_find_account(item);
    if (!ajar_custody_account_online(account)) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                    /* TRANSLATORS: %s is your account, e.g. me@example.org. */
                    _("%s is offline, so the message stays unsent."), item->account);
        return FALSE;
    }
    /* "sending", sent, "sent": after a crash between the first and the
     * last, the restart says it may already have gone and asks before
     * sending it again; nothing is lost, nothing goes twice unasked. If
     * "sending" cannot be written, it is not sent: a restart could not
     * know it went. */
    {
        g_autofree char *kept_id = g_strdup(item->id);
        g_autoptr(GError) journal_error = NULL;
        gboolean connection_lost = FALSE;
        g_auto(GStrv) images = NULL;
        gsize len = 0;
        /* Its text first: one that cannot be read back (the journal edited
         * by hand) is never sent wrong or empty; the message stays kept. */
        g_autofree char *text = ajar_context_item_text(ajar, item, &len, &images, error);

        if (text == NULL)
            return FALSE;
        if (!note_intent(ajar, AJAR_EVENT_SENDING, kept_id, &journal_error)) {
            g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
                        /* TRANSLATORS: %s is why. */
                        _("Ajar could not write to its journal, so the message was not sent; it "
                          "stays kept. (%s)"),
                        journal_error->message);
            return FALSE;
        }
        ajar_due_queue_forget(ajar, kept_id);
        if (!send_now(ajar, item, account, text, len, images, &connection_lost)) {
            /* It stays "sending": kept, and marked as perhaps gone, here
             * and after a restart. The layer above asks about it again. */
            g_set_error(error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                        _("The connection failed while your message was being sent, so it may "
                          "or may not have reached them; it stays kept."));
            if (ajar->send_failed_func != NULL)
                ajar->send_failed_func(ajar, kept_id, connection_lost);
            return FALSE;
        }
        ajar_custody_note_done(ajar, AJAR_EVENT_SENT, kept_id);
        /* Its connection may still turn out to have been dead. */
        if (!g_hash_table_contains(ajar->done_unnoted, kept_id))
            ajar_send_watch_settle(ajar, kept_id, account);
        return TRUE;
    }
}

gboolean
ajar_custody_send_unjournaled(AjarPlugin *ajar, PurpleAccount *account, const char *buddy,
                              gboolean again, guint *sent, guint *maybe_gone, GError **error)
{
    const char *protocol = purple_account_get_protocol_id(account);
    g_autofree char *wanted = ajar_normalize_cb(protocol, buddy, ajar);
    gboolean online = ajar_custody_account_online(account);

    *sent = 0;
    *maybe_gone = 0;
    for (guint i = 0; i < ajar->unjournaled->len;) {
        AjarEvent *event = g_ptr_array_index(ajar->unjournaled, i);
        g_autofree char *name = ajar_normalize_cb(event->protocol, event->buddy, ajar);
        AjarItem item = { 0 };

        if (g_strcmp0(event->account, purple_account_get_username(account)) != 0 ||
            g_strcmp0(event->protocol, protocol) != 0 || g_strcmp0(name, wanted) != 0) {
            i++;
            continue;
        }
        if (!online) {
            g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                        /* TRANSLATORS: %s is your account, e.g. me@example.org. */
                        _("%s is offline, so the message stays unsent."), event->account);
            return FALSE;
        }
        /* Its send failed or broke before: it may have gone, so it goes
         * again only when asked for by name ("all"). */
        if (event->type == AJAR_EVENT_SENDING && !again) {
            (*maybe_gone)++;
            i++;
            continue;
        }
        item.buddy = event->buddy;
        /* Its text is in memory (it never reached the journal). Its images
         * were saved before its journal line failed: send_now() puts them
         * back in the store (Pidgin let go of the ones its <img> tags name). */
        if (!send_now(ajar, &item, account, event->text != NULL ? event->text : "", event->text_len,
                      event->images, NULL)) {
            /* Not taken: it stays in memory for the next /ajar send,
             * marked as perhaps gone, as a journaled one stays "sending". */
            event->type = AJAR_EVENT_SENDING;
            g_set_error(error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                        _("The connection failed while your message was being sent, so it may "
                          "or may not have reached them; it stays kept."));
            return FALSE;
        }
        g_ptr_array_remove_index(ajar->unjournaled, i);
        (*sent)++;
    }
    return TRUE;
}

/* Shown or sent this session, only not noted: no longer kept. */
static gboolean
still_kept(AjarPlugin *ajar, const AjarItem *item, gint64 unused)
{
    return !g_hash_table_contains(ajar->done_unnoted, item->id);
}

GPtrArray *
ajar_custody_list(AjarPlugin *ajar, PurpleAccount *account, const char *buddy)
{
    if (ajar->journal == NULL)
        return g_ptr_array_new();
    return filter_items(ajar, ajar_state_list_custody(ajar_context_state(ajar)), account, buddy,
                        still_kept, 0);
}

void
ajar_custody_init(AjarPlugin *ajar)
{
    ajar->done_unnoted = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    ajar->unjournaled = g_ptr_array_new_with_free_func((GDestroyNotify)ajar_event_free);
    ajar_send_watch_init(ajar);
}

void
ajar_custody_clear(AjarPlugin *ajar)
{
    ajar_send_watch_clear(ajar);
    g_clear_pointer(&ajar->done_unnoted, g_hash_table_unref);
    g_clear_pointer(&ajar->unjournaled, g_ptr_array_unref);
}
