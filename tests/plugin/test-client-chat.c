/* test-client-chat.c — the headless client's rooms: joining and leaving as
 * the user does, and the other occupants (their arrivals, departures and
 * lines) injected as a protocol delivers them. */
#include "test-client-private.h"

#include <connection.h>
#include <server.h>

static PurpleConnection *
chat_gc(PurpleAccount *account)
{
    PurpleConnection *gc = account != NULL ? purple_account_get_connection(account) : NULL;

    if (gc == NULL || !PURPLE_CONNECTION_IS_CONNECTED(gc))
        g_error("account %s is not connected: no room without a connection",
                account != NULL ? purple_account_get_username(account) : "(null)");
    return gc;
}

PurpleConversation *
test_client_find_chat(PurpleAccount *account, const char *room)
{
    return purple_find_conversation_with_account(PURPLE_CONV_TYPE_CHAT, room, account);
}

static PurpleConvChat *
joined_chat(PurpleAccount *account, const char *room)
{
    PurpleConversation *conv = test_client_find_chat(account, room);

    if (conv == NULL || purple_conv_chat_has_left(PURPLE_CONV_CHAT(conv)))
        g_error("%s is not in the room %s", purple_account_get_username(account), room);
    return PURPLE_CONV_CHAT(conv);
}

PurpleConversation *
test_client_join_chat(PurpleAccount *account, const char *room)
{
    PurpleConnection *gc = chat_gc(account);
    GHashTable *components = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

    g_return_val_if_fail(room != NULL, NULL);

    /* What "Join a Chat" does: the protocol's join_chat with the fields. */
    g_hash_table_insert(components, g_strdup("room"), g_strdup(room));
    serv_join_chat(gc, components);
    g_hash_table_unref(components);
    return purple_conv_chat_get_conversation(joined_chat(account, room));
}

void
test_client_leave_chat(PurpleAccount *account, const char *room)
{
    PurpleConversation *conv = test_client_find_chat(account, room);

    if (conv != NULL)
        purple_conversation_destroy(conv);
}

void
test_client_chat_add_occupant(PurpleAccount *account, const char *room, const char *nick,
                              const char *real_address, gboolean new_arrival)
{
    PurpleConvChat *chat = joined_chat(account, room);

    test_prpl_set_real_address(room, nick, real_address);
    purple_conv_chat_add_user(chat, nick, NULL, PURPLE_CBFLAGS_NONE, new_arrival);
}

void
test_client_chat_remove_occupant(PurpleAccount *account, const char *room, const char *nick,
                                 const char *reason)
{
    purple_conv_chat_remove_user(joined_chat(account, room), nick, reason);
}

void
test_client_receive_chat(PurpleAccount *account, const char *room, const char *nick,
                         const char *text, PurpleMessageFlags flags, time_t mtime)
{
    PurpleConvChat *chat = joined_chat(account, room);

    g_return_if_fail(nick != NULL && text != NULL);

    serv_got_chat_in(chat_gc(account), purple_conv_chat_get_id(chat), nick, flags, text, mtime);
}

void
test_client_send_chat(PurpleAccount *account, const char *room, const char *text)
{
    g_autofree char *markup = purple_markup_escape_text(text, -1);

    purple_conv_chat_send(joined_chat(account, room), markup);
}
