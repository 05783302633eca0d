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
#include <xmlnode.h>

#include <string.h>

#include "ajar/ajar-images.h"

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

/* A room sends its recent history to whoever joins (PURPLE_MESSAGE_DELAYED),
 * again at every join: a line of theirs Ajar already has comes again then.
 * receiving-chat-msg carries no time, and the same words from the same nick
 * may well be said again while you are away, so a history line counts as
 * kept only when the protocol said when it was written (XMPP's delay stamp,
 * below) and the journal has that line: same room, nick, text and time to
 * the second. Anything else is journaled, even if that keeps it twice: a
 * line is never cancelled without being in the journal. */

/* A line's text as compared with a kept one: a picture's tag names an id
 * that changes each time the line arrives, so the ids are left out.
 * Returns: (transfer full). */
static char *
comparable_text(const char *text, gsize len)
{
    g_autoptr(GArray) tags = ajar_image_tags_find(text, len);
    g_autofree guint *ids = NULL;

    if (tags->len == 0)
        return g_strndup(text, len);
    ids = g_new0(guint, tags->len);
    return ajar_image_tags_rewrite(text, len, tags, ids, "<img>"); /* no i18n: a comparison key */
}

/* "account\nprotocol\nroom\nnick\nseconds\ntext": what makes a room's
 * line the same line. Returns: (transfer full). */
static char *
line_key(const char *account, const char *protocol, const char *room, const char *nick, gint64 time,
         const char *text, gsize len)
{
    g_autofree char *comparable = comparable_text(text, len);

    return g_strdup_printf("%s\n%s\n%s\n%s\n%" G_GINT64_FORMAT "\n%s", account, protocol, room,
                           nick, time / G_USEC_PER_SEC, comparable);
}

/* A room line of theirs: what the index counts. */
static gboolean
is_room_line(const AjarItem *item)
{
    return item != NULL && item->chat != NULL && item->nick != NULL &&
           item->dir == AJAR_DIRECTION_IN && item->time > 0;
}

/* Counts @item, a room line whose text is @text (@len bytes). */
static void
index_item(GHashTable *index, const AjarItem *item, const char *text, gsize len)
{
    char *key;

    if (!is_room_line(item))
        return;
    key = line_key(item->account, item->protocol, item->chat, item->nick, item->time, text, len);
    g_hash_table_insert(index, key,
                        GUINT_TO_POINTER(GPOINTER_TO_UINT(g_hash_table_lookup(index, key)) + 1));
}

/* The journal's room lines by line key: built once from the state (the
 * first history line that needs it), then each room line Ajar journals is
 * added as it is written. */
static GHashTable *
room_lines(AjarPlugin *ajar)
{
    if (ajar->room_lines == NULL) {
        g_autoptr(GPtrArray) items = ajar_state_list(ajar_context_state(ajar));

        ajar->room_lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        for (guint i = 0; i < items->len; i++) {
            const AjarItem *item = g_ptr_array_index(items, i);
            g_autoptr(GError) error = NULL;
            g_autofree char *text = NULL;
            gsize len = 0;

            if (!is_room_line(item))
                continue;
            /* (The texts are on disk: read back, room lines only.) One that
             * cannot be read is not counted: a history line like it is
             * then kept again, never shown. */
            text = ajar_context_item_text(ajar, item, &len, NULL, &error);
            if (text == NULL)
                purple_debug_warning("ajar", "%s\n", error->message);
            else
                index_item(ajar->room_lines, item, text, len);
        }
    }
    return ajar->room_lines;
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

/* Whether @nick's history line @message, written at @time (unix
 * microseconds, whole seconds), is in the journal already: the Nth such
 * line since joining is when the journal has N or more of them. */
static gboolean
already_kept(AjarPlugin *ajar, PurpleConversation *conv, const char *nick, const char *message,
             gint64 time)
{
    PurpleAccount *account = purple_conversation_get_account(conv);
    g_autofree char *room = room_key(conv);
    g_autofree char *key =
        line_key(purple_account_get_username(account), purple_account_get_protocol_id(account),
                 purple_conversation_get_name(conv), nick, time, message, strlen(message));
    GHashTable *seen = g_hash_table_lookup(ajar->room_history, room);
    guint count;

    if (seen == NULL) {
        seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        g_hash_table_insert(ajar->room_history, g_strdup(room), seen);
    }
    count = GPOINTER_TO_UINT(g_hash_table_lookup(seen, key)) + 1;
    g_hash_table_insert(seen, g_strdup(key), GUINT_TO_POINTER(count));
    return count <= GPOINTER_TO_UINT(g_hash_table_lookup(room_lines(ajar), key));
}

static void
forget_stamp(AjarPlugin *ajar)
{
    g_clear_pointer(&ajar->history_stamp.from, g_free);
    g_clear_pointer(&ajar->history_stamp.body, g_free);
    ajar->history_stamp.account = NULL;
    ajar->history_stamp.time = 0;
}

/* prpl-jabber emits jabber-receiving-message with the stanza before it
 * parses it; parsing a room's message then calls serv_got_chat_in() (and
 * so receiving-chat-msg) at once, flagged DELAYED when it carries a delay
 * stamp (XEP-0203, or the older jabber:x:delay), which libpurple reads but
 * does not pass on. Kept here for that line; every message replaces it. */
static gboolean
jabber_receiving_message_cb(PurpleConnection *gc, const char *type, const char *id,
                            const char *from, const char *to, xmlnode *packet, gpointer data)
{
    AjarPlugin *ajar = data;
    time_t stamp = 0;
    xmlnode *body;

    forget_stamp(ajar);
    if (gc == NULL || packet == NULL || from == NULL || g_strcmp0(type, "groupchat") != 0)
        return FALSE;
    /* As libpurple reads it: the last delay element with a stamp wins. */
    for (xmlnode *child = packet->child; child != NULL; child = child->next) {
        const char *xmlns = xmlnode_get_namespace(child);
        const char *text;

        if (child->type != XMLNODE_TYPE_TAG)
            continue;
        if (!(g_strcmp0(child->name, "delay") == 0 && g_strcmp0(xmlns, "urn:xmpp:delay") == 0) &&
            !(g_strcmp0(child->name, "x") == 0 && g_strcmp0(xmlns, "jabber:x:delay") == 0))
            continue;
        text = xmlnode_get_attrib(child, "stamp"); /* no i18n: XML */
        if (text != NULL)
            stamp = purple_str_to_time(text, TRUE, NULL, NULL, NULL);
    }
    body = xmlnode_get_child(packet, "body"); /* no i18n: XML */
    if (stamp <= 0 || body == NULL)
        return FALSE;
    ajar->history_stamp.account = purple_connection_get_account(gc);
    ajar->history_stamp.from = g_strdup(from);
    ajar->history_stamp.body = xmlnode_get_data(body);
    ajar->history_stamp.time = (gint64)stamp * G_USEC_PER_SEC;
    return FALSE;
}

/* Whether @a and @b say the same, whitespace aside (libpurple turns a
 * body's line breaks into <br> and an XHTML body's into spaces). */
static gboolean
same_words(const char *a, const char *b)
{
    while (a != NULL && b != NULL) {
        while (g_ascii_isspace(*a))
            a++;
        while (g_ascii_isspace(*b))
            b++;
        if (*a != *b)
            return FALSE;
        if (*a == '\0')
            return TRUE;
        a++;
        b++;
    }
    return FALSE;
}

/* The time the stanza being parsed stamped @nick's history line @plain in
 * @conv with (unix microseconds), or 0 when it is not that line's. Taken:
 * a stamp is used once. */
static gint64
take_stamp(AjarPlugin *ajar, PurpleConversation *conv, const char *nick, const char *plain)
{
    const char *room = purple_conversation_get_name(conv);
    const char *from = ajar->history_stamp.from;
    gsize room_len = strlen(room);
    gint64 time = ajar->history_stamp.time;
    gboolean same = time > 0 && from != NULL &&
                    ajar->history_stamp.account == purple_conversation_get_account(conv) &&
                    g_ascii_strncasecmp(from, room, room_len) == 0 && from[room_len] == '/' &&
                    g_strcmp0(from + room_len + 1, nick) == 0 &&
                    same_words(ajar->history_stamp.body, plain);

    forget_stamp(ajar);
    return same ? time : 0;
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
    gint64 time = 0;

    /* Without a journal Ajar keeps nothing (the user was told at load);
     * a line an earlier handler took is gone already. */
    if (ajar->journal == NULL || sender == NULL || *sender == NULL || message == NULL ||
        *message == NULL || conv == NULL ||
        purple_conversation_get_type(conv) != PURPLE_CONV_TYPE_CHAT) {
        forget_stamp(ajar);
        return FALSE;
    }
    /* When a history line was written, where the stanza said. */
    if ((line_flags & PURPLE_MESSAGE_DELAYED) && ajar->history_stamp.time > 0) {
        g_autofree char *words = purple_markup_strip_html(*message);
        time = take_stamp(ajar, conv, *sender, words);
    }
    forget_stamp(ajar);
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
    /* The room's history again, after a rejoin: kept already, only when
     * its time says it is the very line (without one: kept again). */
    if (time > 0 && decision.action != AJAR_ACTION_PASS &&
        already_kept(ajar, conv, *sender, *message, time))
        return TRUE;
    if (!ajar_intercept_take(ajar, account, buddy != NULL ? buddy : *sender, *message, &decision,
                             purple_conversation_get_name(conv), *sender, time))
        return FALSE;
    /* The index, once built, follows the journal. */
    if (ajar->room_lines != NULL) {
        const AjarState *state = ajar_context_state(ajar);
        const AjarItem *item = ajar_state_lookup(state, ajar_state_get_last_id(state));

        /* Only the line just written (its custody line is the last one):
         * counting another twice could take a new line for a kept one. */
        if (item != NULL && item->first_seq == ajar_state_get_last_seq(state) &&
            is_room_line(item)) {
            g_autoptr(GError) error = NULL;
            gsize len = 0;
            /* As journaled (its pictures' tags as kept): read back. */
            g_autofree char *text = ajar_context_item_text(ajar, item, &len, NULL, &error);
            if (text != NULL)
                index_item(ajar->room_lines, item, text, len);
            else
                purple_debug_warning("ajar", "%s\n", error->message);
        }
    }
    return TRUE;
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
    PurplePlugin *jabber = purple_plugins_find_with_id("prpl-jabber"); /* no i18n: an id */

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
    /* Before libpurple parses the stanza, so before receiving-chat-msg. */
    if (jabber != NULL)
        purple_signal_connect(jabber, "jabber-receiving-message", ajar->plugin,
                              PURPLE_CALLBACK(jabber_receiving_message_cb), ajar);
}

void
ajar_chats_clear(AjarPlugin *ajar)
{
    g_clear_pointer(&ajar->room_history, g_hash_table_unref);
    g_clear_pointer(&ajar->room_lines, g_hash_table_unref);
    forget_stamp(ajar);
}
