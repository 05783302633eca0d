/* ajar-typing.h — your typing notifications to a person whose messages
 * from you would not go out now are not sent (above ajar-context.c). */
#pragma once

#include "ajar-context.h"

/* Puts Ajar between libpurple and every protocol's send_typing (those
 * loaded now and those loaded later) until ajar_typing_disconnect(), which
 * puts each protocol's own back. Call connect after the rules are read. */
void ajar_typing_connect(AjarPlugin *ajar);
void ajar_typing_disconnect(AjarPlugin *ajar);
