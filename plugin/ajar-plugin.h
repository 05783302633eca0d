/* ajar-plugin.h — the plugin's one state struct, shared by plugin/ files. */
#pragma once

#include <glib.h>

#include <plugin.h>

#define AJAR_PLUGIN_ID "core-ajar"

/* All plugin state: created in load, freed in unload (STYLE.md). */
typedef struct {
    PurplePlugin *plugin;
    char *dir; /* <purple user dir>/ajar */
} AjarPlugin;

/* The "Statistics…" plugin action: the same figures and words as
 * `ajar stats`, read from the journal. */
void ajar_plugin_show_statistics(AjarPlugin *ajar);
