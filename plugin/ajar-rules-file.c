/* ajar-rules-file.c — rules.json: read at load, watched while running,
 * written atomically when a menu or command changes it.
 *
 * A valid edit takes effect at once; an invalid one is reported once, with
 * file, line and column, and the last valid rules stay in force (also across
 * a restart: rules.json.last-good). A missing file means no rules. */
#include "ajar-rules-file.h"

#include "ajar-normalize.h"

#include <notify.h>
#include <prefs.h>

#include <glib/gstdio.h>

#include "ajar/ajar-files.h"
#include "ajar/ajar-i18n.h"

#define RELOAD_DELAY_MS 150

static char *
rules_path(AjarPlugin *ajar, const char *name)
{
    return g_build_filename(ajar->dir, name, NULL);
}

static void
install(AjarPlugin *ajar, AjarRuleSet *rules, char *text)
{
    const char *notify = ajar_notify_to_string(ajar_rules_get_notify(rules));

    g_clear_pointer(&ajar->rules, ajar_rules_unref);
    ajar->rules = rules;
    g_free(ajar->rules_text);
    ajar->rules_text = text;
    g_clear_pointer(&ajar->rules_error, g_free);
    /* rules.json is the one place the notify mode lives; the preference
     * only shows it (and changing it writes rules.json). */
    if (g_strcmp0(purple_prefs_get_string(AJAR_PREFS_ROOT "/notify"), notify) != 0)
        purple_prefs_set_string(AJAR_PREFS_ROOT "/notify", notify);
}

static void
notify_pref_cb(const char *name, PurplePrefType type, gconstpointer value, gpointer data)
{
    AjarPlugin *ajar = data;
    AjarNotify notify;
    g_autoptr(AjarRuleSet) changed = NULL;
    g_autoptr(GError) error = NULL;

    if (g_strcmp0(value, "silent") == 0)
        notify = AJAR_NOTIFY_SILENT;
    else if (g_strcmp0(value, "message") == 0)
        notify = AJAR_NOTIFY_MESSAGE;
    else
        notify = AJAR_NOTIFY_COUNT;
    if (notify == ajar_rules_get_notify(ajar->rules))
        return;
    changed = ajar_rules_with_notify(ajar->rules, notify, &error);
    if (changed == NULL || !ajar_rules_file_replace(ajar, changed, &error))
        ajar_context_report(ajar, _("Ajar could not save the notify setting."), error->message);
}

static void
journal_rules_changed(AjarPlugin *ajar)
{
    g_autoptr(AjarEvent) event = ajar_event_new(AJAR_EVENT_RULES_CHANGED);
    g_autoptr(GError) error = NULL;

    event->ts = ajar_context_now();
    if (!ajar_context_journal(ajar, event, &error))
        g_debug("rules-changed not journaled: %s", error->message);
}

/* Reads and applies rules.json. @quiet: at load nothing "changed". */
static void
reload(AjarPlugin *ajar, gboolean at_load)
{
    g_autofree char *path = rules_path(ajar, AJAR_RULES_FILE);
    g_autoptr(GError) error = NULL;
    g_autofree char *text = NULL;
    gsize len = 0;
    AjarRuleSet *rules;

    text = ajar_files_read(path, AJAR_RULES_MAX_FILE_SIZE, &len, &error);
    if (text == NULL && g_error_matches(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)) {
        /* No file: no rules. */
        if (ajar->rules_text == NULL && !at_load)
            return;
        install(ajar, ajar_rules_new_empty(ajar_normalize_cb, ajar), NULL);
        if (!at_load)
            journal_rules_changed(ajar);
        return;
    }
    if (text == NULL) {
        /* Too large, a device, unreadable: like a mistake, told once, and
         * the rules in force stay (at load: rules.json.last-good's), and no
         * edit writes over it. */
        if (g_strcmp0(ajar->rules_error, error->message) != 0) {
            g_free(ajar->rules_error);
            ajar->rules_error = g_strdup(error->message);
            ajar_context_report(ajar, _("Ajar could not read rules.json; the rules in force stay."),
                                error->message);
        }
        return;
    }
    {
        /* A hand-made rules.json may have been created readable by others. */
        GStatBuf st;
        if (g_stat(path, &st) == 0 && (st.st_mode & 077) != 0)
            g_chmod(path, 0600);
    }
    if (!at_load && g_strcmp0(text, ajar->rules_text) == 0) {
        /* Our own write, or the rules in force saved again (a mistake
         * undone): a later mistake, even the same one, is news again. */
        g_clear_pointer(&ajar->rules_error, g_free);
        return;
    }

    rules = ajar_rules_parse(text, (gssize)len, AJAR_RULES_FILE, ajar_normalize_cb, ajar, &error);
    if (rules == NULL) {
        /* Report each distinct problem once, however often the file is saved. */
        if (g_strcmp0(ajar->rules_error, error->message) != 0) {
            g_free(ajar->rules_error);
            ajar->rules_error = g_strdup(error->message);
            ajar_context_report(
                ajar, _("rules.json has a mistake, so Ajar keeps using the last valid rules."),
                error->message);
        }
        return;
    }
    install(ajar, rules, g_steal_pointer(&text));
    {
        g_autoptr(GError) copy_error = NULL;
        if (!ajar_files_replace(ajar->dir, AJAR_RULES_LAST_GOOD_FILE, ajar->rules_text,
                                strlen(ajar->rules_text), &copy_error))
            g_debug("could not keep rules.json.last-good: %s", copy_error->message);
    }
    if (!at_load)
        journal_rules_changed(ajar);
}

void
ajar_rules_file_load(AjarPlugin *ajar)
{
    ajar->rules = ajar_rules_new_empty(ajar_normalize_cb, ajar);
    reload(ajar, TRUE);
    if (ajar->rules_error != NULL) {
        /* rules.json is broken from the start: the last valid copy, if any. */
        g_autofree char *path = rules_path(ajar, AJAR_RULES_LAST_GOOD_FILE);
        g_autofree char *text = NULL;
        gsize len = 0;
        AjarRuleSet *rules;

        text = ajar_files_read(path, AJAR_RULES_MAX_FILE_SIZE, &len, NULL);
        rules = text != NULL ? ajar_rules_parse(text, (gssize)len, AJAR_RULES_LAST_GOOD_FILE,
                                                ajar_normalize_cb, ajar, NULL)
                             : NULL;
        if (rules != NULL) {
            g_autofree char *error = g_steal_pointer(&ajar->rules_error);
            install(ajar, rules, NULL);
            /* Keep reporting the same mistake only once. */
            ajar->rules_error = g_steal_pointer(&error);
        }
    }
}

static gboolean
reload_cb(gpointer data)
{
    AjarPlugin *ajar = data;

    ajar->rules_reload_source = 0;
    reload(ajar, FALSE);
    return G_SOURCE_REMOVE;
}

static void
rules_changed_cb(GFileMonitor *monitor, GFile *file, GFile *other, GFileMonitorEvent event,
                 gpointer data)
{
    AjarPlugin *ajar = data;

    switch (event) {
    case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
    case G_FILE_MONITOR_EVENT_CREATED:
    case G_FILE_MONITOR_EVENT_DELETED:
    case G_FILE_MONITOR_EVENT_MOVED_IN:
    case G_FILE_MONITOR_EVENT_MOVED_OUT:
    case G_FILE_MONITOR_EVENT_RENAMED:
        /* Editors save in bursts (truncate, write, rename): read once it settles. */
        if (ajar->rules_reload_source != 0)
            g_source_remove(ajar->rules_reload_source);
        ajar->rules_reload_source = g_timeout_add(RELOAD_DELAY_MS, reload_cb, ajar);
        break;
    default: break;
    }
}

void
ajar_rules_file_watch(AjarPlugin *ajar)
{
    g_autofree char *path = rules_path(ajar, AJAR_RULES_FILE);
    g_autoptr(GFile) file = g_file_new_for_path(path);
    g_autoptr(GError) error = NULL;

    purple_prefs_connect_callback(ajar->plugin, AJAR_PREFS_ROOT "/notify", notify_pref_cb, ajar);
    ajar->rules_monitor = g_file_monitor_file(file, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
    if (ajar->rules_monitor == NULL) {
        ajar_context_report(ajar, _("Ajar cannot watch rules.json; edits take effect on restart."),
                            error->message);
        return;
    }
    g_signal_connect(ajar->rules_monitor, "changed", G_CALLBACK(rules_changed_cb), ajar);
}

void
ajar_rules_file_unwatch(AjarPlugin *ajar)
{
    purple_prefs_disconnect_by_handle(ajar->plugin);
    if (ajar->rules_monitor != NULL) {
        g_signal_handlers_disconnect_by_data(ajar->rules_monitor, ajar);
        g_file_monitor_cancel(ajar->rules_monitor);
        g_clear_object(&ajar->rules_monitor);
    }
    if (ajar->rules_reload_source != 0) {
        g_source_remove(ajar->rules_reload_source);
        ajar->rules_reload_source = 0;
    }
}

gboolean
ajar_rules_file_replace(AjarPlugin *ajar, AjarRuleSet *rules, GError **error)
{
    char *text = ajar_rules_serialize(rules);

    g_autoptr(GError) copy_error = NULL;

    if (!ajar_files_replace(ajar->dir, AJAR_RULES_FILE, text, strlen(text), error)) {
        g_free(text);
        return FALSE;
    }
    if (!ajar_files_replace(ajar->dir, AJAR_RULES_LAST_GOOD_FILE, text, strlen(text), &copy_error))
        g_debug("could not keep rules.json.last-good: %s", copy_error->message);
    install(ajar, ajar_rules_ref(rules), text);
    journal_rules_changed(ajar);
    return TRUE;
}
