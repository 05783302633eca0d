/* ajar-plugin.c — the libpurple plugin entry point.
 *
 * Interception, timers, menus and the review dialog come with the plugin
 * issue; for now Ajar loads, unloads cleanly and offers "Statistics…". */
#include "ajar-config.h"

#include "ajar-plugin.h"

#include <glib.h>

#include <debug.h>
#include <notify.h>
#include <util.h>
#include <version.h>

static void
statistics_action_cb(PurplePluginAction *action)
{
    PurplePlugin *plugin = action->plugin;

    if (plugin == NULL || plugin->extra == NULL)
        return;
    ajar_plugin_show_statistics(plugin->extra);
}

static GList *
ajar_plugin_actions(PurplePlugin *plugin, gpointer context)
{
    return g_list_append(NULL, purple_plugin_action_new("Statistics…", statistics_action_cb));
}

static gboolean
ajar_plugin_load(PurplePlugin *plugin)
{
    AjarPlugin *ajar = g_new0(AjarPlugin, 1);

    ajar->plugin = plugin;
    /* purple_user_dir() honours the client's --config folder. */
    ajar->dir = g_build_filename(purple_user_dir(), "ajar", NULL);
    plugin->extra = ajar;
    purple_debug_info("ajar", "Ajar %s loaded; its folder is %s\n", AJAR_VERSION, ajar->dir);
    return TRUE;
}

static gboolean
ajar_plugin_unload(PurplePlugin *plugin)
{
    AjarPlugin *ajar = plugin->extra;

    /* A statistics box left open must not call back into freed state. */
    purple_notify_close_with_handle(plugin);
    if (ajar != NULL) {
        g_free(ajar->dir);
        g_free(ajar);
    }
    plugin->extra = NULL;
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
    .actions = ajar_plugin_actions,
};

static void
ajar_plugin_init(PurplePlugin *plugin)
{
}

PURPLE_INIT_PLUGIN(ajar, ajar_plugin_init, ajar_plugin_info)
