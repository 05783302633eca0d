/* bench-pidgin-stubs.c — the four functions of Pidgin's own (the pidgin
 * executable exports them, no library does) that pidgin-privacy-please's
 * libpidgin_pp.so names (nm -D --undefined-only). libpurple opens a plugin
 * with every symbol bound at once (g_module_open() without
 * G_MODULE_BIND_LAZY), so without them the plugin cannot be opened at all
 * outside Pidgin. The bench exports these (export_dynamic) so that it can
 * be: they are its preferences page, its block-list window and "show the
 * user's info" on an authorization request, none of which a message
 * arriving runs. If one is ever called, the bench stops here: a figure
 * measured with a stand-in for Pidgin would be a figure of nothing. */
#include <glib.h>

void *pidgin_create_window(void);
void *pidgin_prefs_checkbox(void);
void *pidgin_prefs_labeled_entry(void);
void pidgin_retrieve_user_info(void);

static void G_GNUC_NORETURN
not_headless(const char *function)
{
    g_error("pidgin-privacy-please called Pidgin's %s(), which the headless bench does not "
            "have",
            function);
    for (;;)
        ;
}

void *
pidgin_create_window(void)
{
    not_headless("pidgin_create_window");
}

void *
pidgin_prefs_checkbox(void)
{
    not_headless("pidgin_prefs_checkbox");
}

void *
pidgin_prefs_labeled_entry(void)
{
    not_headless("pidgin_prefs_labeled_entry");
}

void
pidgin_retrieve_user_info(void)
{
    not_headless("pidgin_retrieve_user_info");
}
