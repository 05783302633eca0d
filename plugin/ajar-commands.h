/* ajar-commands.h — /ajar in a conversation (a surface: above contact, custody and review). */
#pragma once

#include "ajar-context.h"

/* Registers and unregisters the /ajar command. */
void ajar_commands_register(AjarPlugin *ajar);
void ajar_commands_unregister(AjarPlugin *ajar);
