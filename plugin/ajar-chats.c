/* ajar-chats.c — their lines in a room you share.
 *
 * libpurple's serv_got_chat_in() marks a line of your own nick
 * PURPLE_MESSAGE_SEND, then emits receiving-chat-msg; a handler returning
 * TRUE ends it there: no received-chat-msg (what Pidgin's sounds and
 * Finch's alerts hang off), no purple_conv_chat_write() (the line, its
 * log, and the PURPLE_MESSAGE_NICK flag that makes a highlight and the
 * "nick said" alert). So a line of theirs is journaled first and then
 * cancelled here, and everyone else's flows on untouched. Joins and parts
 * are quiet when chat-buddy-joining / chat-buddy-leaving return TRUE. */
#include "ajar-chats.h"

#include "ajar-intercept.h"

#include <connection.h>
#include <debug.h>
#include <prpl.h>
#include <util.h>

#include <string.h>

/* The occupant's address as a person, where the protocol reveals it.
 * XMPP's get_cb_real_name gives the real JID in a non-anonymous room and
 * "room@server/nick" (an address in the room, not a person's) otherwise;
 * on IRC a nick is the name people are written to and listed by.
 * Returns: (transfer full) (nullable). */
static char *
real_address(PurpleConversation *conv, const char *nick)
{
    PurpleAccount *account = purple_conversation_get_account(conv);
    PurpleConnection *gc = purple_account_get_connection(account);
    PurplePlugin *prpl = gc != NULL ? purple_connection_get_prpl(gc) : NULL;
    PurplePluginProtocolInfo *info = prpl != NULL ? PURPLE_PLUGIN_PROTOCOL_INFO(prpl) : NULL;
    g_autofree char *occupant = NULL;
    char *real;

    if (info != NULL && info->get_cb_real_name != NULL) {
        real = info->get_cb_real_name(gc, purple_conv_chat_get_id(PURPLE_CONV_CHAT(conv)), nick);
        occupant = g_strdup_printf("%s/%s", purple_conversation_get_name(conv), nick);
        if (real != NULL && *real != '\0' && g_ascii_strcasecmp(real, occupant) != 0)
            return real;
        g_free(real);
        return NULL;
    }
    if (g_strcmp0(purple_account_get_protocol_id(account), "prpl-irc") == 0)
        return g_strdup(nick);
    return NULL;
}

/* Whether @nick is you in the room @conv. */
static gboolean
is_own_nick(PurpleConversation *conv, const char *nick)
{
    PurpleAccount *account = purple_conversation_get_account(conv);
    const char *own = purple_conv_chat_get_nick(PURPLE_CONV_CHAT(conv));
    g_autofree char *mine = NULL;

    if (own == NULL)
        return FALSE;
    /* purple_normalize() answers in a static buffer: copied first. */
    mine = g_strdup(purple_normalize(account, own));
    return g_strcmp0(mine, purple_normalize(account, nick)) == 0;
}

/* What the rules say about @nick's line @plain (NULL: only who they are)
 * in @conv; *@buddy gets their real address (transfer full, nullable). */
static void
decide_line(AjarPlugin *ajar, PurpleConversation *conv, const char *nick, const char *plain,
            PurpleMessageFlags flags, char **buddy, AjarDecision *decision)
{
    g_autoptr(GDateTime) now = g_date_time_new_now_local();
    PurpleAccount *account = purple_conversation_get_account(conv);
    AjarFacts facts;

    *buddy = real_address(conv, nick);
    facts = ajar_intercept_facts(account, AJAR_DIRECTION_IN, *buddy, plain, flags);
    facts.chat = purple_conversation_get_name(conv);
    facts.nick = nick;
    ajar_rules_decide(ajar->rules, &facts, now, decision);
}

/* "account\nprotocol\nroom": the key of a room in ajar->room_history. */
static char *
room_key(PurpleConversation *conv)
{
    PurpleAccount *account = purple_conversation_get_account(conv);

    return g_strdup_printf("%s\n%s\n%s", purple_account_get_username(account),
                           purple_account_get_protocol_id(account),
                           purple_conversation_get_name(conv));
}

/* A room sends its recent history to whoever joins (PURPLE_MESSAGE_DELAYED),
 * again at every join: a line of theirs Ajar already has comes again then.
 * The signal carries no time, so a history line is known by its nick and
 * text: the Nth such line since joining is already kept when the journal
 * has N or more of them from that room. */
static gboolean
already_kept(AjarPlugin *ajar, PurpleConversation *conv, const char *nick, const char *message)
{
    PurpleAccount *account = purple_conversation_get_account(conv);
    g_autofree char *room = room_key(conv);
    g_autofree char *line = g_strdup_printf("%s\n%s", nick, message);
    g_autoptr(GPtrArray) items = ajar_state_list(ajar_journal_get_state(ajar->journal));
    GHashTable *seen = g_hash_table_lookup(ajar->room_history, room);
    guint count, kept = 0;

    if (seen == NULL) {
        seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        g_hash_table_insert(ajar->room_history, g_strdup(room), seen);
    }
    count = GPOINTER_TO_UINT(g_hash_table_lookup(seen, line)) + 1;
    g_hash_table_insert(seen, g_strdup(line), GUINT_TO_POINTER(count));
    for (guint i = 0; i < items->len; i++) {
        const AjarItem *item = g_ptr_array_index(items, i);

        if (item->chat != NULL && item->dir == AJAR_DIRECTION_IN &&
            g_strcmp0(item->chat, purple_conversation_get_name(conv)) == 0 &&
            g_strcmp0(item->nick, nick) == 0 &&
            g_strcmp0(item->account, purple_account_get_username(account)) == 0 &&
            g_strcmp0(item->protocol, purple_account_get_protocol_id(account)) == 0 &&
            item->text != NULL && strlen(message) == item->text_len &&
            memcmp(item->text, message, item->text_len) == 0)
            kept++;
    }
    return count <= kept;
}

static gboolean
receiving_chat_msg_cb(PurpleAccount *account, char **sender, char **message,
                      PurpleConversation *conv, PurpleMessageFlags *flags, gpointer data)
{
    AjarPlugin *ajar = data;
    PurpleMessageFlags line_flags = flags != NULL ? *flags : 0;
    g_autofree char *buddy = NULL;
    g_autofree char *plain = NULL;
    AjarDecision decision;

    /* Without a journal Ajar keeps nothing (the user was told at load);
     * a line an earlier handler took is gone already. */
    if (ajar->journal == NULL || sender == NULL || *sender == NULL || message == NULL ||
        *message == NULL || conv == NULL ||
        purple_conversation_get_type(conv) != PURPLE_CONV_TYPE_CHAT)
        return FALSE;
    /* Your own lines (libpurple marked them) are never held. */
    if ((line_flags & PURPLE_MESSAGE_SEND) || is_own_nick(conv, *sender))
        return FALSE;
    /* Every line of every room passes here: the text only matters (pass
     * keywords) when a rule would withhold it. */
    decide_line(ajar, conv, *sender, NULL, line_flags, &buddy, &decision);
    if (decision.action == AJAR_ACTION_PASS)
        return FALSE;
    g_clear_pointer(&buddy, g_free);
    plain = purple_markup_strip_html(*message);
    decide_line(ajar, conv, *sender, plain, line_flags, &buddy, &decision);
    if (decision.action == AJAR_ACTION_PASS && decision.reason != AJAR_REASON_KEYWORD)
        return FALSE;
    /* The room's history again, after a rejoin: kept already. */
    if ((line_flags & PURPLE_MESSAGE_DELAYED) && decision.action != AJAR_ACTION_PASS &&
        already_kept(ajar, conv, *sender, *message))
        return TRUE;
    return ajar_intercept_take(ajar, account, buddy != NULL ? buddy : *sender, *message, &decision,
                               purple_conversation_get_name(conv), *sender);
}

/* Whether @nick's coming and going in @conv is left out of the room: they
 * are someone whose lines Ajar withholds there, and notify is silent. */
static gboolean
quiet_presence(AjarPlugin *ajar, PurpleConversation *conv, const char *nick)
{
    g_autofree char *buddy = NULL;
    AjarDecision decision;

    if (ajar->journal == NULL || nick == NULL || is_own_nick(conv, nick) ||
        ajar_rules_get_notify(ajar->rules) != AJAR_NOTIFY_SILENT)
        return FALSE;
    decide_line(ajar, conv, nick, NULL, 0, &buddy, &decision);
    return decision.action != AJAR_ACTION_PASS;
}

static gboolean
chat_buddy_joining_cb(PurpleConversation *conv, const char *name, PurpleConvChatBuddyFlags flags,
                      gpointer data)
{
    return quiet_presence(data, conv, name);
}

static gboolean
chat_buddy_leaving_cb(PurpleConversation *conv, const char *name, const char *reason, gpointer data)
{
    return quiet_presence(data, conv, name);
}

/* A new join: the room's history comes again from its start. */
static void
chat_joined_cb(PurpleConversation *conv, gpointer data)
{
    AjarPlugin *ajar = data;
    g_autofree char *room = room_key(conv);

    g_hash_table_remove(ajar->room_history, room);
}

void
ajar_chats_connect(AjarPlugin *ajar)
{
    void *conversations = purple_conversations_get_handle();

    ajar->room_history =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_hash_table_unref);
    /* As receiving-im-msg: after encryption plugins, so the text is plain. */
    purple_signal_connect_priority(conversations, "receiving-chat-msg", ajar->plugin,
                                   PURPLE_CALLBACK(receiving_chat_msg_cb), ajar,
                                   AJAR_RECEIVING_PRIORITY);
    purple_signal_connect(conversations, "chat-buddy-joining", ajar->plugin,
                          PURPLE_CALLBACK(chat_buddy_joining_cb), ajar);
    purple_signal_connect(conversations, "chat-buddy-leaving", ajar->plugin,
                          PURPLE_CALLBACK(chat_buddy_leaving_cb), ajar);
    purple_signal_connect(conversations, "chat-joined", ajar->plugin,
                          PURPLE_CALLBACK(chat_joined_cb), ajar);
}

void
ajar_chats_clear(AjarPlugin *ajar)
{
    g_clear_pointer(&ajar->room_history, g_hash_table_unref);
}
