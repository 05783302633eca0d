/* ajar-room.h — a chat room's open conversation, and a kept line of theirs
 * written into it (on ajar-context.c). */
#pragma once

#include "ajar-context.h"

/* Returns: (transfer none) (nullable): the conversation of the room named
 * @chat on @account if it is open and joined (not left: a room whose account
 * went offline is left), else NULL. */
PurpleConversation *ajar_room_find(PurpleAccount *account, const char *chat);

/* Writes @nick's line @text (markup) into the room @conv with its own time
 * @mtime, as a line received from @nick: through the UI's write_chat (as
 * purple_conv_chat_write() does, so Pidgin colours the nick) and logged,
 * but never flagged as naming you (no highlight, no "nick said"), and
 * without received-chat-msg (no sound): it came long ago. */
void ajar_room_write(PurpleConversation *conv, const char *nick, const char *text, time_t mtime);
