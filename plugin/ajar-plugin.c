/* ajar-plugin.c — the libpurple plugin entry point.
 *
 * For now this only registers the plugin and opens nothing: interception,
 * timers, menus and the review dialog come with the plugin issue. Loading and
 * unloading it must already be clean, so the tests load the built ajar.so. */
#include "ajar-config.h"

#include <glib.h>

#include <debug.h>
#include <plugin.h>
#include <version.h>

#define AJAR_PLUGIN_ID "core-ajar"

static gboolean
ajar_plugin_load(PurplePlugin *plugin)
{
    purple_debug_info("ajar", "Ajar %s loaded\n", AJAR_VERSION);
    return TRUE;
}

static gboolean
ajar_plugin_unload(PurplePlugin *plugin)
{
    purple_debug_info("ajar", "Ajar unloaded\n");
    return TRUE;
}

static PurplePluginInfo ajar_plugin_info = {
    .magic = PURPLE_PLUGIN_MAGIC,
    .major_version = PURPLE_MAJOR_VERSION,
    .minor_version = PURPLE_MINOR_VERSION,
    .type = PURPLE_PLUGIN_STANDARD,
    .priority = PURPLE_PRIORITY_DEFAULT,
    .id = AJAR_PLUGIN_ID,
    .name = "Ajar",
    .version = AJAR_VERSION,
    .summary = "Keep the door to one person neither open nor locked.",
    .description = "Hold, delay or archive messages from a chosen contact, and let your own "
                   "messages to them cool off before they are sent. Every withheld message is "
                   "kept safe in a journal until you decide.",
    .author = "The Ajar developers",
    .homepage = "",
    .load = ajar_plugin_load,
    .unload = ajar_plugin_unload,
};

static void
ajar_plugin_init(PurplePlugin *plugin)
{
}

PURPLE_INIT_PLUGIN(ajar, ajar_plugin_init, ajar_plugin_info)
