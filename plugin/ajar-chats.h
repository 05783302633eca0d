/* ajar-chats.h — their lines in a room you share: receiving-chat-msg, and
 * their joins and parts (above ajar-intercept.c, whose journal-first step
 * it uses). */
#pragma once

#include "ajar-context.h"

/* Connects the handlers for lines in rooms, room joins and occupants
 * joining and leaving (disconnected by handle at unload). */
void ajar_chats_connect(AjarPlugin *ajar);
/* Frees what the handlers remember about rooms (room history already
 * seen since joining). */
void ajar_chats_clear(AjarPlugin *ajar);
