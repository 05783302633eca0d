/* test-load.c — the built ajar.so loads into a real libpurple and leaves cleanly.
 *
 * What a user would notice: Ajar shows up in the plugin list under its name,
 * can be switched on and off (again and again), and quitting the messenger with
 * it switched on is uneventful. The cases share one libpurple core, as a real
 * client does, and run in order; the last one quits the core. */
#include "test-client.h"

#include <core.h>
#include <plugin.h>

#define AJAR_PLUGIN_ID "core-ajar"

static PurplePlugin *
probe_or_fail(void)
{
    PurplePlugin *plugin = test_client_probe_ajar();

    g_assert_nonnull(plugin);
    return plugin;
}

static void
test_probe(void)
{
    PurplePlugin *plugin = probe_or_fail();

    g_assert_cmpstr(plugin->path, ==, g_getenv(AJAR_TEST_PLUGIN_ENV));
    g_assert_true(plugin->native_plugin);
    g_assert_null(plugin->error);
    g_assert_false(purple_plugin_is_unloadable(plugin));
    g_assert_nonnull(plugin->info);
    g_assert_cmpuint(plugin->info->magic, ==, PURPLE_PLUGIN_MAGIC);
    g_assert_cmpint(plugin->info->type, ==, PURPLE_PLUGIN_STANDARD);
    g_assert_cmpstr(purple_plugin_get_id(plugin), ==, AJAR_PLUGIN_ID);
    g_assert_cmpstr(purple_plugin_get_name(plugin), ==, "Ajar");
    g_assert_nonnull(purple_plugin_get_summary(plugin));
    g_assert_nonnull(purple_plugin_get_description(plugin));
    g_assert_false(purple_plugin_is_loaded(plugin));

    /* The client finds it by id, as Pidgin does when it restores saved plugins. */
    g_assert_true(purple_plugins_find_with_id(AJAR_PLUGIN_ID) == plugin);
    /* A second probe of the same file is the same plugin, not a second copy. */
    g_assert_true(test_client_probe_ajar() == plugin);
}

static void
test_load_unload(void)
{
    PurplePlugin *plugin = probe_or_fail();

    for (int round = 0; round < 2; round++) {
        g_test_message("load and unload, round %d", round + 1);
        g_assert_true(purple_plugin_load(plugin));
        g_assert_true(purple_plugin_is_loaded(plugin));
        g_assert_null(plugin->error);
        g_assert_nonnull(g_list_find(purple_plugins_get_loaded(), plugin));
        test_client_iterate(100);

        g_assert_true(purple_plugin_unload(plugin));
        g_assert_false(purple_plugin_is_loaded(plugin));
        g_assert_null(g_list_find(purple_plugins_get_loaded(), plugin));
        test_client_iterate(100);
    }
}

static void
test_quit_while_loaded(void)
{
    PurplePlugin *plugin = probe_or_fail();

    g_assert_true(purple_plugin_load(plugin));
    g_assert_true(purple_plugin_is_loaded(plugin));
    test_client_iterate(100);

    /* purple_core_quit() unloads and destroys every plugin; plugin is gone after. */
    test_client_quit();
    g_assert_false(test_client_is_running());
    g_assert_null(purple_get_core());
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);

    test_client_start();

    g_test_add_func("/plugin/load/probe", test_probe);
    g_test_add_func("/plugin/load/load-unload", test_load_unload);
    g_test_add_func("/plugin/load/quit-while-loaded", test_quit_while_loaded);

    status = g_test_run();

    test_client_quit();
    test_client_cleanup();
    return status;
}
