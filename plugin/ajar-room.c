/* ajar-room.c — a chat room's open conversation, and a kept line of theirs
 * written into it. */
#include "ajar-room.h"

PurpleConversation *
ajar_room_find(PurpleAccount *account, const char *chat)
{
    PurpleConversation *conv;

    if (account == NULL || chat == NULL)
        return NULL;
    conv = purple_find_conversation_with_account(PURPLE_CONV_TYPE_CHAT, chat, account);
    if (conv == NULL || purple_conv_chat_has_left(PURPLE_CONV_CHAT(conv)))
        return NULL;
    return conv;
}

void
ajar_room_write(PurpleConversation *conv, const char *nick, const char *text, time_t mtime)
{
    PurpleConversationUiOps *ops = purple_conversation_get_ui_ops(conv);

    /* Not purple_conv_chat_write(): it flags a line that contains your own
     * nick PURPLE_MESSAGE_NICK, which Pidgin shows as a highlight and an
     * alert; a line released from the review is read, not announced. The
     * rest of what it does is this: the UI's write_chat, else the plain
     * write, which logs the line either way. */
    if (ops != NULL && ops->write_chat != NULL)
        ops->write_chat(conv, nick, text, PURPLE_MESSAGE_RECV, mtime);
    else
        purple_conversation_write(conv, nick, text, PURPLE_MESSAGE_RECV, mtime);
}
