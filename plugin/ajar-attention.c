/* ajar-attention.c — a buzz from someone whose messages Ajar withholds.
 *
 * libpurple 2's purple_prpl_got_attention() (prpl.c) does two things:
 *
 *   got_attention(gc, -1, who, type_code);       serv_got_im(gc, who,
 *                                                "Sam has buzzed you!",
 *                                                SYSTEM | NOTIFY | RECV, …)
 *   conv = purple_find_conversation_with_account(PURPLE_CONV_TYPE_ANY, who, account);
 *   if (conv)
 *       purple_prpl_attention(conv, who, type_code, PURPLE_MESSAGE_RECV, …);
 *                                                emits "got-attention"
 *
 * The first goes through receiving-im-msg, where Ajar drops it like a held
 * message: no window, no line, no log, no received-im-msg. The second
 * cannot be stopped: "got-attention" is a void signal, emitted whenever a
 * conversation with them is open. Pidgin (gtksound.c) and Finch
 * (gntsound.c) hang one thing off it, got_attention_cb(): the "Attention
 * received" sound, played with purple_sound_play_event(), which asks
 * "playing-sound-event" first. Ajar answers TRUE there (don't play) for the
 * buzz it just swallowed. Other plugins that listen to "got-attention"
 * themselves (window shakers, desktop pop-ups) still hear it. */
#include "ajar-attention.h"

#include <debug.h>
#include <eventloop.h>
#include <sound.h>

/* NOTIFY alone is not enough: third-party protocols set it on real
 * messages (slack-libpurple for @here/@channel), which must be kept with
 * their text. libpurple's own buzz line is SYSTEM | NOTIFY (| RECV). */
gboolean
ajar_attention_is_buzz(PurpleMessageFlags flags)
{
    const PurpleMessageFlags buzz = PURPLE_MESSAGE_SYSTEM | PURPLE_MESSAGE_NOTIFY;

    return (flags & buzz) == buzz;
}

static gboolean
unmute_cb(gpointer data)
{
    AjarPlugin *ajar = data;

    ajar->attention_muted = FALSE;
    ajar->attention_unmute_source = 0;
    return G_SOURCE_REMOVE;
}

/* purple_prpl_got_attention() runs to its end before the main loop turns:
 * the sound it may bring comes before this timer. */
static void
mute(AjarPlugin *ajar)
{
    ajar->attention_muted = TRUE;
    if (ajar->attention_unmute_source == 0)
        ajar->attention_unmute_source = purple_timeout_add(0, unmute_cb, ajar);
}

gboolean
ajar_attention_withhold(AjarPlugin *ajar, PurpleAccount *account, const char *sender,
                        const AjarDecision *decision)
{
    g_autoptr(AjarEvent) event = ajar_event_new(AJAR_EVENT_ATTENTION);
    g_autoptr(GError) error = NULL;

    if (decision->action != AJAR_ACTION_HOLD && decision->action != AJAR_ACTION_ARCHIVE &&
        decision->action != AJAR_ACTION_DELAY)
        return FALSE;
    event->ts = ajar_context_now();
    /* libpurple keeps message times in whole seconds (time_t). */
    event->time = event->ts - event->ts % G_USEC_PER_SEC;
    event->account = g_strdup(purple_account_get_username(account));
    event->protocol = g_strdup(purple_account_get_protocol_id(account));
    event->buddy = g_strdup(sender);
    event->rule = g_strdup(decision->rule_name);
    /* From someone in no buddy list, held by a rule's "stranger" entry. */
    event->stranger = decision->stranger;
    /* Counted, never kept: if the journal cannot take the line, only the
     * count misses one (the debug log says so). */
    if (!ajar_context_journal(ajar, event, &error))
        purple_debug_warning("ajar", "attention not journaled: %s\n", error->message);
    mute(ajar);
    return TRUE;
}

static gboolean
playing_sound_cb(PurpleSoundEventID event, PurpleAccount *account, gpointer data)
{
    AjarPlugin *ajar = data;

    return event == PURPLE_SOUND_GOT_ATTENTION && ajar->attention_muted;
}

/* Last of all got-attention's handlers: the swallowed buzz is over. */
static void
got_attention_cb(PurpleAccount *account, const char *who, PurpleConversation *conv, guint type,
                 gpointer data)
{
    AjarPlugin *ajar = data;

    ajar->attention_muted = FALSE;
}

void
ajar_attention_connect(AjarPlugin *ajar)
{
    purple_signal_connect(purple_sounds_get_handle(), "playing-sound-event", ajar->plugin,
                          PURPLE_CALLBACK(playing_sound_cb), ajar);
    purple_signal_connect_priority(purple_conversations_get_handle(), "got-attention", ajar->plugin,
                                   PURPLE_CALLBACK(got_attention_cb), ajar,
                                   PURPLE_SIGNAL_PRIORITY_HIGHEST);
}

void
ajar_attention_disconnect(AjarPlugin *ajar)
{
    if (ajar->attention_unmute_source != 0)
        purple_timeout_remove(ajar->attention_unmute_source);
    ajar->attention_unmute_source = 0;
    ajar->attention_muted = FALSE;
}
