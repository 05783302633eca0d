/* test-installed.c — the INSTALLED ajar.so: libpurple finds it in the system
 * plugin folder on its own, by id, and it loads and unloads.
 *
 * What a user would notice: after `apt install ./pidgin-ajar_….deb`, Ajar is
 * in the plugin list of a freshly started messenger, and ticking it works.
 * The headless client of the plugin suite starts libpurple, whose
 * purple_core_init() probes the system plugin folder as Pidgin's does; this
 * test never reads $AJAR_PLUGIN nor probes a file by path, so the plugin can
 * only have come from that folder.
 *
 * tests/package/test-package.py runs it between `dpkg -i` and `dpkg -r`;
 * without pidgin-ajar installed it fails at its first case. */
#include "test-client.h"

#include <core.h>
#include <plugin.h>

#include "ajar-config.h"

#define AJAR_PLUGIN_ID "core-ajar"

static PurplePlugin *
installed_or_fail(void)
{
    PurplePlugin *plugin = purple_plugins_find_with_id(AJAR_PLUGIN_ID);

    if (plugin == NULL)
        g_test_message("libpurple probed no plugin with id %s; is pidgin-ajar installed?",
                       AJAR_PLUGIN_ID);
    g_assert_nonnull(plugin);
    return plugin;
}

static void
test_found(void)
{
    PurplePlugin *plugin = installed_or_fail();

    g_test_message("found %s", plugin->path);
    g_assert_cmpstr(plugin->path, ==, AJAR_SYSTEM_PLUGINDIR G_DIR_SEPARATOR_S "ajar.so");
    g_assert_true(plugin->native_plugin);
    g_assert_null(plugin->error);
    g_assert_false(purple_plugin_is_unloadable(plugin));
    g_assert_cmpstr(purple_plugin_get_name(plugin), ==, "Ajar");
    /* The package holds this tree's plugin, not an older one. */
    g_assert_cmpstr(purple_plugin_get_version(plugin), ==, AJAR_VERSION);
    g_assert_false(purple_plugin_is_loaded(plugin));
}

static void
test_load_unload(void)
{
    PurplePlugin *plugin = installed_or_fail();

    g_assert_true(purple_plugin_load(plugin));
    g_assert_true(purple_plugin_is_loaded(plugin));
    g_assert_null(plugin->error);
    test_client_iterate(100);

    g_assert_true(purple_plugin_unload(plugin));
    g_assert_false(purple_plugin_is_loaded(plugin));
    test_client_iterate(100);
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);

    test_client_start();

    g_test_add_func("/package/installed/found-by-id", test_found);
    g_test_add_func("/package/installed/load-unload", test_load_unload);

    status = g_test_run();

    test_client_quit();
    test_client_cleanup();
    return status;
}
