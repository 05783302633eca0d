/* test-client.h — a headless libpurple client for the plugin tests.
 *
 * It runs libpurple the way Pidgin or Finch does (core, prefs, buddy list,
 * plugins) but with no UI, in a private temporary user dir, on GLib's default
 * main context. Everything libpurple prints goes to stderr, so a test's stdout
 * stays pure TAP. */
#ifndef AJAR_TEST_CLIENT_H
#define AJAR_TEST_CLIENT_H

#include <glib.h>

#include <notify.h>
#include <plugin.h>

G_BEGIN_DECLS

/* The UI name the tests give libpurple. */
#define AJAR_TEST_CLIENT_UI "ajar-test"

/* Environment variable through which meson passes the built ajar.so. */
#define AJAR_TEST_PLUGIN_ENV "AJAR_PLUGIN"

/* Prepares the process before g_test_init(): sends all GLib logging to
 * stderr, makes a private temporary dir and points HOME and the XDG dirs into
 * it (so nothing touches the real user's files), and points D-Bus and
 * GStreamer at nothing (so nothing depends on a session bus, NetworkManager
 * or a sound server). Call it first in main(). */
void test_client_prepare(void);

/* Starts libpurple with the user dir <tmp>/purple: purple_core_init() (which
 * probes the system's plugins and loads its protocols) and an empty buddy
 * list. libpurple's port mapping and public-IP discovery are turned off: they
 * would send UPnP and NAT-PMP packets onto the network. Every plugin stays
 * mapped until exit so leak reports can name it. Aborts if the core cannot
 * start. */
void test_client_start(void);

/* Returns: (transfer none): the purple user dir of the running client. */
const char *test_client_user_dir(void);

/* Returns TRUE between test_client_start() and test_client_quit(). */
gboolean test_client_is_running(void);

/* Dispatches what is ready on the default main context without blocking
 * (at most @max_dispatches sources), as a UI's main loop would between
 * events. */
void test_client_iterate(guint max_dispatches);

/* Probes the plugin file named by $AJAR_PLUGIN (and keeps it mapped until
 * exit, like the others). If libpurple already probed
 * another file with the same basename (an installed ajar.so in the system
 * plugin dir), that one is dropped first so the built file is what is tested.
 * Returns: (transfer none) (nullable): the plugin, owned by libpurple. */
PurplePlugin *test_client_probe_ajar(void);

/* A message box libpurple asked the UI to show. */
typedef struct {
    PurpleNotifyMsgType type;
    char *title;
    char *primary;
    char *secondary;
} TestNotice;

/* Returns: (transfer full): the notices shown since the last call, oldest
 * first (TestNotice*; the array frees them). */
GPtrArray *test_client_take_notices(void);

/* Quits libpurple (purple_core_quit(): every plugin is unloaded and destroyed,
 * prefs and buddy list are saved). Safe to call twice. */
void test_client_quit(void);

/* Removes the temporary dir made by test_client_prepare(), unless
 * AJAR_TEST_KEEP_DIR is set (then its path is printed as a TAP comment). */
void test_client_cleanup(void);

G_END_DECLS

#endif /* AJAR_TEST_CLIENT_H */
