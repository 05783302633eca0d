/* ajar-statistics.h — the figures of `ajar stats`, in a window (a surface). */
#pragma once

#include "ajar-context.h"

void ajar_statistics_show(AjarPlugin *ajar);
