/* test-client.c — a headless libpurple client for the plugin tests. */
#include "test-client-private.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include <blist.h>
#include <core.h>
#include <debug.h>
#include <eventloop.h>
#include <prefs.h>
#include <util.h>

static char *tmp_dir;
static char *user_dir;
static gboolean verbose;

/* ---- event loop: libpurple's timers and sockets on GLib's default context ---- */

#define TEST_CLIENT_READ_COND (G_IO_IN | G_IO_HUP | G_IO_ERR)
#define TEST_CLIENT_WRITE_COND (G_IO_OUT | G_IO_HUP | G_IO_ERR | G_IO_NVAL)

typedef struct {
    PurpleInputFunction function;
    gpointer data;
} InputClosure;

static gboolean
input_invoke_cb(GIOChannel *source, GIOCondition condition, gpointer user_data)
{
    InputClosure *closure = user_data;
    PurpleInputCondition purple_cond = 0;

    if (condition & TEST_CLIENT_READ_COND)
        purple_cond |= PURPLE_INPUT_READ;
    if (condition & TEST_CLIENT_WRITE_COND)
        purple_cond |= PURPLE_INPUT_WRITE;
    closure->function(closure->data, g_io_channel_unix_get_fd(source), purple_cond);
    return TRUE;
}

static guint
input_add(int fd, PurpleInputCondition purple_cond, PurpleInputFunction function, gpointer data)
{
    InputClosure *closure = g_new0(InputClosure, 1);
    GIOCondition cond = 0;
    GIOChannel *channel;
    guint handle;

    closure->function = function;
    closure->data = data;
    if (purple_cond & PURPLE_INPUT_READ)
        cond |= TEST_CLIENT_READ_COND;
    if (purple_cond & PURPLE_INPUT_WRITE)
        cond |= TEST_CLIENT_WRITE_COND;

    channel = g_io_channel_unix_new(fd);
    handle =
        g_io_add_watch_full(channel, G_PRIORITY_DEFAULT, cond, input_invoke_cb, closure, g_free);
    /* The watch holds its own reference; libpurple owns the fd. */
    g_io_channel_unref(channel);
    return handle;
}

/* purple_idle_init() adds a 0-second timeout. GLib runs second-granularity
 * timeouts only at a whole-second boundary, so a core quit within that second
 * left it to fire after purple_core_quit(), where purple_idle_touch() emits a
 * signal into the freed signal table (a GLib critical, fatal in tests). "As
 * soon as possible" is what 0 means, so it runs on the next iteration. */
static guint
timeout_add_seconds(guint seconds, GSourceFunc function, gpointer data)
{
    if (seconds == 0)
        return g_timeout_add(0, function, data);
    return g_timeout_add_seconds(seconds, function, data);
}

static PurpleEventLoopUiOps eventloop_ops = {
    .timeout_add = g_timeout_add,
    .timeout_remove = g_source_remove,
    .input_add = input_add,
    .input_remove = g_source_remove,
    .input_get_error = NULL,
    .timeout_add_seconds = timeout_add_seconds,
};

/* ---- debug output: stderr only, and only when asked for ---- */

static void
debug_print(PurpleDebugLevel level, const char *category, const char *arg_s)
{
    static const char *const level_names[] = { "all", "misc", "info", "warning", "error", "fatal" };
    const char *name = (guint)level < G_N_ELEMENTS(level_names) ? level_names[level] : "?";

    fprintf(stderr, "purple %s %s: %s", name, category != NULL ? category : "-",
            arg_s != NULL ? arg_s : "(null)\n");
}

static gboolean
debug_is_enabled(PurpleDebugLevel level, const char *category)
{
    return verbose;
}

static PurpleDebugUiOps debug_ops = {
    .print = debug_print,
    .is_enabled = debug_is_enabled,
};

/* GLib's default writer sends debug and info messages to stdout, where they
 * would corrupt the TAP stream; everything goes to stderr instead. */
static GLogWriterOutput
stderr_log_writer(GLogLevelFlags log_level, const GLogField *fields, gsize n_fields,
                  gpointer user_data)
{
    const char *domain = NULL;
    g_autofree char *line = NULL;

    for (gsize i = 0; i < n_fields; i++) {
        if (strcmp(fields[i].key, "GLIB_DOMAIN") == 0 && fields[i].length < 0)
            domain = fields[i].value;
    }
    if (g_log_writer_default_would_drop(log_level, domain))
        return G_LOG_WRITER_HANDLED;
    line = g_log_writer_format_fields(log_level, fields, n_fields, FALSE);
    fprintf(stderr, "%s\n", line);
    fflush(stderr);
    return G_LOG_WRITER_HANDLED;
}

/* ---- core ---- */

static GPtrArray *pinned_infos; /* PurplePluginInfo*, in modules keep_mapped() pinned */

/* libpurple dlclose()s every plugin at quit, after which LeakSanitizer and
 * valgrind can no longer name the code that leaked ("<unknown module>"), and
 * suppressions cannot match it. Taking an extra, never-released reference
 * keeps each plugin mapped until the process exits. (A timer an unloaded
 * plugin left behind then runs old code instead of crashing; it still touches
 * freed plugin state, which ASan and valgrind report.) */
static void
keep_mapped(PurplePlugin *plugin)
{
    if (plugin == NULL || !plugin->native_plugin || plugin->path == NULL)
        return;
    if (dlopen(plugin->path, RTLD_LAZY | RTLD_NOLOAD | RTLD_NODELETE) == NULL) {
        g_printerr("test-client: cannot pin %s: %s\n", plugin->path, dlerror());
        return;
    }
    if (pinned_infos == NULL)
        pinned_infos = g_ptr_array_new();
    if (plugin->info != NULL && !g_ptr_array_find(pinned_infos, plugin->info, NULL))
        g_ptr_array_add(pinned_infos, plugin->info);
}

/* A pinned module keeps its static data into the next core, where
 * purple_core_init() probes it again without its constructor state being
 * reset (libpurple never closes modules under valgrind either, so this is
 * not only our pinning). purple_plugin_destroy() frees info->dependencies
 * but leaves the static info pointing at the freed list, which the next
 * purple_init_plugin() then prepends to (nss-prefs.so does). */
static void
forget_freed_dependencies(void)
{
    for (guint i = 0; pinned_infos != NULL && i < pinned_infos->len; i++) {
        PurplePluginInfo *info = g_ptr_array_index(pinned_infos, i);
        info->dependencies = NULL;
    }
}

static void
ui_prefs_init(void)
{
    /* Registered before libpurple's network code reads them: with either set,
     * purple_network_init() broadcasts a UPnP search and asks the gateway for
     * a NAT-PMP mapping. Tests send nothing beyond this machine. */
    purple_prefs_add_none("/purple/network");
    purple_prefs_add_bool("/purple/network/map_ports", FALSE);
    purple_prefs_add_bool("/purple/network/auto_ip", FALSE);
    purple_prefs_set_bool("/purple/network/map_ports", FALSE);
    purple_prefs_set_bool("/purple/network/auto_ip", FALSE);

    /* The last moment inside purple_core_init() before it probes plugins
     * (which loads queued protocols) and reads accounts.xml. */
    test_prpl_register();
}

/* Empty on purpose: libpurple 2 saves blist.xml only through the buddy list
 * UI ops' save_node/remove_node/save_account, which
 * purple_blist_set_ui_ops() fills in with its own savers when a UI leaves
 * them NULL. With no buddy list UI ops at all, nothing is ever saved and a
 * restart finds no buddies. */
static PurpleBlistUiOps blist_ops;

static PurpleCoreUiOps core_ops = {
    .ui_prefs_init = ui_prefs_init,
};

void
test_client_prepare(void)
{
    static const char *const xdg_vars[] = { "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME",
                                            "XDG_STATE_HOME" };
    g_autoptr(GError) error = NULL;
    const char *debug_env = g_getenv("G_MESSAGES_DEBUG");

    g_return_if_fail(tmp_dir == NULL);

    verbose = debug_env != NULL && *debug_env != '\0';
    g_log_set_writer_func(stderr_log_writer, NULL, NULL);

    tmp_dir = g_dir_make_tmp("ajar-plugin-test-XXXXXX", &error);
    if (tmp_dir == NULL)
        g_error("cannot make a temporary dir: %s", error->message);

    /* Before anything reads them: g_get_home_dir() caches its first answer. */
    g_setenv("HOME", tmp_dir, TRUE);
    for (gsize i = 0; i < G_N_ELEMENTS(xdg_vars); i++) {
        g_autofree char *path = g_build_filename(tmp_dir, xdg_vars[i], NULL);
        g_setenv(xdg_vars[i], path, TRUE);
    }
    user_dir = g_build_filename(tmp_dir, "purple", NULL);

    /* libpurple talks to D-Bus at start-up: it would claim Pidgin's service
     * name on a developer's session bus and ask NetworkManager (system bus)
     * whether we are online. Sockets that do not exist keep tests from
     * depending on either. */
    g_setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/ajar-test-session-bus", TRUE);
    g_setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/ajar-test-system-bus", TRUE);
    g_unsetenv("DISPLAY");
    g_unsetenv("WAYLAND_DISPLAY");
    /* The XMPP plugin starts libpurple's media manager, whose GStreamer device
     * monitor would scan every GStreamer plugin and connect to PulseAudio.
     * With no GStreamer plugins it finds no devices and opens nothing. */
    {
        g_autofree char *no_plugins = g_build_filename(tmp_dir, "no-gstreamer-plugins", NULL);
        g_setenv("GST_PLUGIN_SYSTEM_PATH_1_0", no_plugins, TRUE);
        g_setenv("GST_PLUGIN_PATH_1_0", no_plugins, TRUE);
    }
}

void
test_client_start(void)
{
    g_return_if_fail(user_dir != NULL);
    g_return_if_fail(purple_get_core() == NULL);

    purple_util_set_user_dir(user_dir);
    /* purple_debug_set_enabled(TRUE) would print to stdout; the UI ops print
     * to stderr when G_MESSAGES_DEBUG is set. */
    purple_debug_set_enabled(FALSE);
    purple_debug_set_ui_ops(&debug_ops);
    purple_core_set_ui_ops(&core_ops);
    purple_eventloop_set_ui_ops(&eventloop_ops);
    purple_blist_set_ui_ops(&blist_ops);
    test_client_record_install();

    if (!purple_core_init(AJAR_TEST_CLIENT_UI))
        g_error("purple_core_init() failed");

    /* As Pidgin and Finch do; purple_core_init() has already read prefs.xml. */
    purple_set_blist(purple_blist_new());
    purple_blist_load();

    for (GList *l = purple_plugins_get_all(); l != NULL; l = l->next)
        keep_mapped(l->data);

    if (test_prpl_get_plugin() == NULL)
        g_error("the %s protocol did not register", TEST_PRPL_ID);
    test_client_record_connect();

    /* What a user who keeps history has; plain text so tests can search it.
     * Set after purple_log_init(), whose format callback switches loggers. */
    purple_prefs_set_bool("/purple/logging/log_ims", TRUE);
    purple_prefs_set_string("/purple/logging/format", "txt");

    /* As a UI entering its main loop: what purple_core_init() scheduled
     * "at once" runs while the core is alive. */
    test_client_iterate(100);
}

const char *
test_client_user_dir(void)
{
    return user_dir;
}

gboolean
test_client_is_running(void)
{
    return purple_get_core() != NULL;
}

void
test_client_iterate(guint max_dispatches)
{
    for (guint i = 0; i < max_dispatches; i++) {
        if (!g_main_context_iteration(NULL, FALSE))
            break;
    }
}

void
test_client_wait_for(TestClientCondition condition, gpointer data, const char *what)
{
    for (guint i = 0; i < TEST_CLIENT_WAIT_ITERATIONS; i++) {
        if (condition(data))
            return;
        /* Timers due later (a GFileMonitor, a 1 s flush) need real time. */
        if (!g_main_context_iteration(NULL, FALSE))
            g_usleep(1000);
    }
    if (condition(data))
        return;
    g_error("test client: gave up waiting for %s after %u main loop iterations", what,
            TEST_CLIENT_WAIT_ITERATIONS);
}

PurplePlugin *
test_client_probe_ajar(void)
{
    const char *path = g_getenv(AJAR_TEST_PLUGIN_ENV);
    g_autofree char *basename = NULL;
    PurplePlugin *shadow;
    PurplePlugin *plugin;

    if (path == NULL || *path == '\0') {
        g_test_message("$%s is not set (meson sets it to the built ajar.so)", AJAR_TEST_PLUGIN_ENV);
        return NULL;
    }

    /* libpurple's own (private) notion of a basename: file name minus ".so". */
    basename = g_path_get_basename(path);
    if (g_str_has_suffix(basename, "." G_MODULE_SUFFIX))
        basename[strlen(basename) - strlen("." G_MODULE_SUFFIX)] = '\0';
    shadow = purple_plugins_find_with_basename(basename);
    if (shadow != NULL && g_strcmp0(shadow->path, path) != 0) {
        /* purple_plugin_probe() would hand back the installed copy instead. */
        g_test_message("ignoring the installed %s; testing %s", shadow->path, path);
        if (purple_plugin_is_loaded(shadow))
            purple_plugin_unload(shadow);
        purple_plugin_destroy(shadow);
    }
    plugin = purple_plugin_probe(path);
    keep_mapped(plugin);
    return plugin;
}

void
test_client_quit(void)
{
    if (purple_get_core() == NULL)
        return;
    purple_core_quit();
    forget_freed_dependencies();
    /* Sources libpurple removed during quit are freed on the next iteration. */
    test_client_iterate(100);
}

void
test_client_restart(void)
{
    g_return_if_fail(purple_get_core() != NULL);

    test_client_quit();
    test_client_start();
}

static void
remove_tree(const char *path)
{
    if (!g_file_test(path, G_FILE_TEST_IS_SYMLINK) && g_file_test(path, G_FILE_TEST_IS_DIR)) {
        GDir *dir = g_dir_open(path, 0, NULL);
        const char *name;

        if (dir != NULL) {
            while ((name = g_dir_read_name(dir)) != NULL) {
                g_autofree char *child = g_build_filename(path, name, NULL);
                remove_tree(child);
            }
            g_dir_close(dir);
        }
    }
    if (g_remove(path) != 0)
        g_printerr("test-client: cannot remove %s\n", path);
}

void
test_client_cleanup(void)
{
    test_client_record_clear();
    test_prpl_clear();
    g_clear_pointer(&pinned_infos, g_ptr_array_unref);
    if (tmp_dir == NULL)
        return;
    if (g_getenv("AJAR_TEST_KEEP_DIR") != NULL)
        g_test_message("kept %s", tmp_dir);
    else
        remove_tree(tmp_dir);
    g_clear_pointer(&tmp_dir, g_free);
    g_clear_pointer(&user_dir, g_free);
}
