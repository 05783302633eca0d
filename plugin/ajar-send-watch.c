/* ajar-send-watch.c — what became of a message of yours that Ajar handed
 * to libpurple. purple_conv_im_send() returns nothing; what it did shows
 * in its signals: it calls the protocol's send_im, then emits sent-im-msg
 * whatever send_im returned, and writes the message into the window as
 * sent only when send_im succeeded. A protocol whose write fails (XMPP,
 * IRC: the server is gone) reports a connection error there and then;
 * a write into a connection whose server has just died succeeds, and the
 * error comes a moment later, when libpurple reads the end of it. */
#include "ajar-send-watch.h"

#include <connection.h>
#include <signals.h>

#include <string.h>

#include "ajar/ajar-i18n.h"

/* A message that went out lately, by the connection it went over. */
typedef struct {
    char *id;
    PurpleConnection *gc;
    gint64 sent_at; /* monotonic, microseconds */
} RecentSend;

static void
recent_send_free(gpointer data)
{
    RecentSend *recent = data;

    g_free(recent->id);
    g_free(recent);
}

gboolean
ajar_send_watch_usable(PurpleAccount *account)
{
    PurpleConnection *gc = account != NULL ? purple_account_get_connection(account) : NULL;

    return gc != NULL && purple_account_is_connected(account) && gc->disconnect_timeout == 0;
}

static void
sent_im_cb(PurpleAccount *account, const char *receiver, const char *message, AjarPlugin *ajar)
{
    if (ajar->resending && account == ajar->send_watch.account)
        ajar->send_watch.reached_protocol = TRUE;
}

static gboolean
writing_im_cb(PurpleAccount *account, const char *who, char **message, PurpleConversation *conv,
              PurpleMessageFlags flags, AjarPlugin *ajar)
{
    if (ajar->resending && account == ajar->send_watch.account && (flags & PURPLE_MESSAGE_SEND))
        ajar->send_watch.echoed = TRUE;
    return FALSE;
}

/* Journals "sending" again for a message that went out lately: the
 * connection it went over failed, so it may not have arrived. */
static void
reopen(AjarPlugin *ajar, const char *id)
{
    g_autoptr(AjarEvent) event = ajar_event_new(AJAR_EVENT_SENDING);
    g_autoptr(GError) error = NULL;

    event->ts = ajar_context_now();
    event->id = g_strdup(id);
    if (!ajar_context_journal(ajar, event, &error)) {
        /* It stays "sent": nothing is resent, and the user hears of the
         * disk as with any failed write. */
        ajar_context_report(ajar,
                            _("Your message may not have reached them: the connection failed "
                              "just after it went, and Ajar could not note that in its journal."),
                            error->message);
        return;
    }
    if (ajar->send_failed_func != NULL)
        ajar->send_failed_func(ajar, id, TRUE);
}

static void
connection_error_cb(PurpleConnection *gc, PurpleConnectionError reason, const char *description,
                    AjarPlugin *ajar)
{
    GPtrArray *recent = ajar->send_watch.recent;
    gint64 since = g_get_monotonic_time() - AJAR_SEND_SETTLE_SECONDS * G_USEC_PER_SEC;
    g_autoptr(GPtrArray) failed = g_ptr_array_new_with_free_func(g_free);

    if (ajar->resending && purple_connection_get_account(gc) == ajar->send_watch.account)
        ajar->send_watch.connection_lost = TRUE;
    for (guint i = 0; i < recent->len;) {
        RecentSend *sent = g_ptr_array_index(recent, i);

        if (sent->gc != gc) {
            i++;
            continue;
        }
        if (sent->sent_at >= since)
            g_ptr_array_add(failed, g_strdup(sent->id));
        g_ptr_array_remove_index(recent, i);
    }
    /* (Journaling may call back into the layers above: the list is done.) */
    for (guint i = 0; i < failed->len; i++)
        reopen(ajar, g_ptr_array_index(failed, i));
}

/* A connection that goes away without an error (signed off, or the
 * account disabled) took what went over it: forget those. */
static void
signed_off_cb(PurpleConnection *gc, AjarPlugin *ajar)
{
    GPtrArray *recent = ajar->send_watch.recent;

    for (guint i = 0; i < recent->len;) {
        if (((RecentSend *)g_ptr_array_index(recent, i))->gc == gc)
            g_ptr_array_remove_index(recent, i);
        else
            i++;
    }
}

void
ajar_send_watch_begin(AjarPlugin *ajar, PurpleAccount *account)
{
    ajar->send_watch.account = account;
    ajar->send_watch.reached_protocol = FALSE;
    ajar->send_watch.echoed = FALSE;
    ajar->send_watch.connection_lost = FALSE;
    /* Only for the send: every line any conversation shows emits
     * writing-im-msg, and each handler connected costs each line
     * libpurple's marshalling (bench figure 1). First of all, before any
     * plugin may stop the line being shown. */
    purple_signal_connect_priority(purple_conversations_get_handle(), "writing-im-msg",
                                   ajar->plugin, PURPLE_CALLBACK(writing_im_cb), ajar,
                                   PURPLE_SIGNAL_PRIORITY_LOWEST);
}

gboolean
ajar_send_watch_end(AjarPlugin *ajar, gboolean *connection_lost)
{
    gboolean lost =
        ajar->send_watch.connection_lost || !ajar_send_watch_usable(ajar->send_watch.account);

    purple_signal_disconnect(purple_conversations_get_handle(), "writing-im-msg", ajar->plugin,
                             PURPLE_CALLBACK(writing_im_cb));
    ajar->send_watch.account = NULL;
    if (connection_lost != NULL)
        *connection_lost = lost;
    return !lost && (ajar->send_watch.echoed || !ajar->send_watch.reached_protocol);
}

void
ajar_send_watch_settle(AjarPlugin *ajar, const char *id, PurpleAccount *account)
{
    GPtrArray *recent = ajar->send_watch.recent;
    gint64 now = g_get_monotonic_time();
    RecentSend *sent;

    /* Older ones are settled: the list stays as short as a person's
     * sends in AJAR_SEND_SETTLE_SECONDS. */
    while (recent->len > 0 && ((RecentSend *)g_ptr_array_index(recent, 0))->sent_at <
                                  now - AJAR_SEND_SETTLE_SECONDS * G_USEC_PER_SEC)
        g_ptr_array_remove_index(recent, 0);
    sent = g_new0(RecentSend, 1);
    sent->id = g_strdup(id);
    sent->gc = purple_account_get_connection(account);
    sent->sent_at = now;
    g_ptr_array_add(recent, sent);
}

gint64
ajar_send_watch_settled_at(AjarPlugin *ajar)
{
    GPtrArray *recent = ajar->send_watch.recent;
    gint64 settled;

    if (recent == NULL || recent->len == 0)
        return 0;
    /* Oldest first: the last one settles last. */
    settled = ((RecentSend *)g_ptr_array_index(recent, recent->len - 1))->sent_at +
              AJAR_SEND_SETTLE_SECONDS * G_USEC_PER_SEC;
    return settled > g_get_monotonic_time() ? settled : 0;
}

void
ajar_send_watch_init(AjarPlugin *ajar)
{
    void *conversations = purple_conversations_get_handle();
    void *connections = purple_connections_get_handle();

    memset(&ajar->send_watch, 0, sizeof ajar->send_watch);
    ajar->send_watch.recent = g_ptr_array_new_with_free_func(recent_send_free);
    purple_signal_connect(conversations, "sent-im-msg", ajar->plugin, PURPLE_CALLBACK(sent_im_cb),
                          ajar);
    /* writing-im-msg: only between ajar_send_watch_begin() and _end(). */
    purple_signal_connect(connections, "connection-error", ajar->plugin,
                          PURPLE_CALLBACK(connection_error_cb), ajar);
    purple_signal_connect(connections, "signed-off", ajar->plugin, PURPLE_CALLBACK(signed_off_cb),
                          ajar);
}

void
ajar_send_watch_clear(AjarPlugin *ajar)
{
    g_clear_pointer(&ajar->send_watch.recent, g_ptr_array_unref);
}
