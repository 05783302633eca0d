/* ajar-intercept.h — the signal handlers where messages are withheld (above ajar-custody.c and ajar-schedule.c). */
#pragma once

#include "ajar-context.h"

/* Connects Ajar's handlers for incoming and outgoing messages, typing and
 * conversation writes (disconnected by handle at unload). */
void ajar_intercept_connect(AjarPlugin *ajar);
