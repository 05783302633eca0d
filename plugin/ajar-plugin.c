/* ajar-plugin.c — the libpurple plugin: load, unload, actions, preferences.
 *
 * Everything Ajar holds lives in one AjarPlugin made in load and freed in
 * unload; unload removes every timer, command, signal, menu hook and open
 * request, and what is still kept stays in the journal for next time. */
#include "ajar-config.h"

#include "ajar-plugin.h"

#include <debug.h>
#include <notify.h>
#include <prefs.h>
#include <request.h>
#include <util.h>
#include <version.h>

#include "ajar/ajar-event.h"
#include "ajar/ajar-files.h"

gint64
ajar_plugin_now(void)
{
    return g_get_real_time();
}

/* An error box on screen, by what it says ("what\nwhy"). */
typedef struct {
    AjarPlugin *ajar;
    char *key;
} OpenReport;

static void
open_report_free(gpointer data)
{
    OpenReport *report = data;

    g_free(report->key);
    g_free(report);
}

/* The box was closed (by the user, or by unload). */
static void
report_closed_cb(gpointer data)
{
    OpenReport *report = data;

    g_hash_table_remove(report->ajar->open_reports, report->key); /* frees @report */
}

void
ajar_plugin_report(AjarPlugin *ajar, const char *what, const char *why)
{
    g_autofree char *key = g_strconcat(what, "\n", why != NULL ? why : "", NULL);
    OpenReport *report;

    purple_debug_warning("ajar", "%s %s\n", what, why != NULL ? why : "");
    /* One box for one trouble: releasing twenty messages on a full disk
     * says so once, not twenty times, until the user closes it. (Another
     * reason, such as another mistake in rules.json, is another box.) */
    if (g_hash_table_contains(ajar->open_reports, key))
        return;
    report = g_new0(OpenReport, 1);
    report->ajar = ajar;
    report->key = g_strdup(key);
    g_hash_table_insert(ajar->open_reports, report->key, report);
    if (purple_notify_message(ajar->plugin, PURPLE_NOTIFY_MSG_ERROR, "Ajar", what, why,
                              report_closed_cb, report) == NULL)
        g_hash_table_remove(ajar->open_reports, key); /* no box (or already gone) */
}

void
ajar_plugin_dialog_open(AjarPlugin *ajar, gpointer data, GDestroyNotify destroy)
{
    g_hash_table_insert(ajar->dialogs, data, destroy);
}

void
ajar_plugin_dialog_done(AjarPlugin *ajar, gpointer data)
{
    GDestroyNotify destroy = g_hash_table_lookup(ajar->dialogs, data);

    g_hash_table_remove(ajar->dialogs, data);
    if (destroy != NULL)
        destroy(data);
}

static void
free_open_dialogs(AjarPlugin *ajar)
{
    GHashTableIter iter;
    gpointer data, destroy;

    g_hash_table_iter_init(&iter, ajar->dialogs);
    while (g_hash_table_iter_next(&iter, &data, &destroy)) {
        g_hash_table_iter_remove(&iter);
        ((GDestroyNotify)destroy)(data);
    }
    g_hash_table_unref(ajar->dialogs);
}

void
ajar_plugin_sync_failed(AjarPlugin *ajar, const GError *sync_error)
{
    purple_debug_warning("ajar", "%s\n", sync_error->message);
    if (ajar->sync_reported)
        return;
    ajar->sync_reported = TRUE;
    ajar_plugin_report(ajar, "Ajar could not make sure its journal reached the disk.",
                       sync_error->message);
}

/* A background sync that failed means earlier lines may not be on disk:
 * say so once a session (a failing disk fails every sync), then keep going
 * (the lines themselves were written). */
static void
check_sync(AjarPlugin *ajar)
{
    g_autoptr(GError) sync_error = NULL;

    if (ajar->journal == NULL || ajar_journal_check_sync(ajar->journal, &sync_error))
        return;
    ajar_plugin_sync_failed(ajar, sync_error);
}

static gboolean
sync_check_cb(gpointer data)
{
    AjarPlugin *ajar = data;

    ajar->sync_check_source = 0;
    check_sync(ajar);
    return G_SOURCE_REMOVE;
}

gboolean
ajar_plugin_journal(AjarPlugin *ajar, AjarEvent *event, GError **error)
{
    if (ajar->journal == NULL) {
        g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_CLOSED,
                    "%s/%s could not be opened when Ajar started.", ajar->dir, AJAR_JOURNAL_FILE);
        return FALSE;
    }
    check_sync(ajar);
    if (!ajar_journal_append(ajar->journal, event, error))
        return FALSE;
    /* The line reaches the disk within a second, or the user hears about it
     * then: not only when (if ever) the next message comes. */
    if (ajar->sync_check_source == 0)
        ajar->sync_check_source = g_timeout_add(AJAR_SYNC_CHECK_MS, sync_check_cb, ajar);
    return TRUE;
}

static void
review_action_cb(PurplePluginAction *action)
{
    PurplePlugin *plugin = action->plugin;

    if (plugin != NULL && plugin->extra != NULL)
        ajar_review_open(plugin->extra, NULL, NULL);
}

static void
statistics_action_cb(PurplePluginAction *action)
{
    PurplePlugin *plugin = action->plugin;

    if (plugin != NULL && plugin->extra != NULL)
        ajar_plugin_show_statistics(plugin->extra);
}

static GList *
ajar_plugin_actions(PurplePlugin *plugin, gpointer context)
{
    GList *actions = NULL;

    actions =
        g_list_append(actions, purple_plugin_action_new("Review held messages…", review_action_cb));
    actions = g_list_append(actions, purple_plugin_action_new("Statistics…", statistics_action_cb));
    return actions;
}

/* Damaged lines other than those a crash cut in the middle of Ajar's own
 * write, which Ajar then ended and noted ("repaired"): such a line held a
 * message whose write never returned, so it was never withheld, and it is
 * no news at every start. Returns how many; *@first: the first of them (0
 * when it is beyond the line numbers the report keeps). */
static guint
unexplained_damage(AjarPlugin *ajar, const AjarJournalReport *report, guint *first)
{
    guint explained = 0;

    *first = 0;
    for (guint i = 0; i < report->malformed_lines->len; i++) {
        guint line = g_array_index(report->malformed_lines, guint, i);
        /* Ended by a repair that a crash cut too (the next write notes it:
         * ajar_journal_append()), or by one that a record names. */
        gboolean was_repaired = line == ajar_journal_get_cut_repair_line(ajar->journal);

        for (guint j = 0; j < report->repaired_lines->len && !was_repaired; j++)
            was_repaired = g_array_index(report->repaired_lines, guint, j) == line;
        if (was_repaired)
            explained++;
        else if (*first == 0)
            *first = line;
    }
    return report->malformed - explained;
}

static void
open_journal(AjarPlugin *ajar)
{
    g_autoptr(GError) error = NULL;
    const AjarJournalReport *report;
    guint damaged, first;

    /* Batched: the sync thread makes each line durable well within a second
     * without blocking the messenger on the disk. */
    ajar->journal = ajar_journal_open(ajar->dir, AJAR_FLUSH_BATCHED, &error);
    if (ajar->journal == NULL) {
        ajar_plugin_report(ajar,
                           "Ajar cannot open its journal, so it will not hold anything back: "
                           "every message is shown as usual.",
                           error->message);
        return;
    }
    report = ajar_journal_get_open_report(ajar->journal);
    if (report->malformed > 0 && (damaged = unexplained_damage(ajar, report, &first)) > 0) {
        /* The report's reason is about its first damaged line. */
        gboolean reason_fits = report->malformed_lines->len > 0 &&
                               first == g_array_index(report->malformed_lines, guint, 0) &&
                               report->first_malformed_reason != NULL;
        g_autofree char *where = first > 0 ? g_strdup_printf("line %u", first) : g_strdup("?");
        g_autofree char *why = g_strdup_printf(
            "%u line(s) of %s could not be read (first: %s). The rest is in use; 'ajar verify' "
            "lists them.",
            damaged, ajar_journal_get_path(ajar->journal),
            reason_fits ? report->first_malformed_reason : where);
        ajar_plugin_report(ajar, "Part of Ajar's journal is damaged.", why);
    }
}

static gboolean
ajar_plugin_load(PurplePlugin *plugin)
{
    AjarPlugin *ajar = g_new0(AjarPlugin, 1);

    ajar->plugin = plugin;
    /* purple_user_dir() honours the client's --config folder. */
    ajar->dir = g_build_filename(purple_user_dir(), "ajar", NULL);
    ajar->unjournaled = g_ptr_array_new_with_free_func((GDestroyNotify)ajar_event_free);
    ajar->dialogs = g_hash_table_new(g_direct_hash, g_direct_equal);
    /* Keyed by the reports' own text. */
    ajar->open_reports = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, open_report_free);
    plugin->extra = ajar;

    open_journal(ajar);
    if (ajar->journal != NULL) {
        ajar_rules_file_load(ajar);
        ajar_rules_file_watch(ajar);
    } else {
        /* Nothing can be kept safe, so nothing is held back: no rules. */
        ajar->rules = ajar_rules_new_empty(ajar_normalize_cb, ajar);
    }
    ajar_custody_connect(ajar);
    ajar_intercept_connect(ajar);
    ajar_menu_connect(ajar);
    ajar_commands_register(ajar);
    ajar_custody_schedule_all(ajar, TRUE);
    purple_debug_info("ajar", "Ajar %s loaded; its folder is %s\n", AJAR_VERSION, ajar->dir);
    return TRUE;
}

static gboolean
ajar_plugin_unload(PurplePlugin *plugin)
{
    AjarPlugin *ajar = plugin->extra;

    if (ajar == NULL)
        return TRUE;
    /* libpurple removes none of these for us. */
    purple_signals_disconnect_by_handle(plugin);
    ajar_commands_unregister(ajar);
    purple_request_close_with_handle(plugin);
    purple_notify_close_with_handle(plugin); /* runs report_closed_cb() for each box */
    free_open_dialogs(ajar);
    ajar_custody_disconnect(ajar);
    ajar_rules_file_unwatch(ajar);
    g_clear_handle_id(&ajar->sync_check_source, g_source_remove);
    /* Kept messages stay in the journal; this only closes it (after a sync). */
    ajar_journal_close(ajar->journal);
    g_clear_pointer(&ajar->rules, ajar_rules_unref);
    g_free(ajar->rules_text);
    g_free(ajar->rules_error);
    g_ptr_array_unref(ajar->unjournaled);
    g_hash_table_unref(ajar->open_reports);
    g_free(ajar->dir);
    g_free(ajar);
    plugin->extra = NULL;
    purple_debug_info("ajar", "Ajar unloaded\n");
    return TRUE;
}

static PurplePluginPrefFrame *
ajar_plugin_pref_frame(PurplePlugin *plugin)
{
    PurplePluginPrefFrame *frame = purple_plugin_pref_frame_new();
    PurplePluginPref *pref;

    pref = purple_plugin_pref_new_with_name_and_label(AJAR_PREFS_ROOT "/notify",
                                                      "When a message is held back");
    purple_plugin_pref_set_type(pref, PURPLE_PLUGIN_PREF_CHOICE);
    /* Short: Finch gives the list half of a narrow window. */
    purple_plugin_pref_add_choice(pref, "Say nothing", "silent");
    purple_plugin_pref_add_choice(pref, "Counts where I look", "count");
    purple_plugin_pref_add_choice(pref, "A short note", "message");
    purple_plugin_pref_frame_add(frame, pref);

    pref = purple_plugin_pref_new_with_name_and_label(AJAR_PREFS_ROOT "/cooloff_minutes",
                                                      "Default cooling-off (minutes)");
    purple_plugin_pref_set_bounds(pref, 1, 7 * 24 * 60);
    purple_plugin_pref_frame_add(frame, pref);

    pref = purple_plugin_pref_new_with_name_and_label(AJAR_PREFS_ROOT "/digest_time",
                                                      "Default digest time (HH:MM)");
    purple_plugin_pref_set_max_length(pref, 5);
    purple_plugin_pref_frame_add(frame, pref);
    return frame;
}

static PurplePluginUiInfo ajar_prefs_info = {
    .get_plugin_pref_frame = ajar_plugin_pref_frame,
};

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
    .prefs_info = &ajar_prefs_info,
    .actions = ajar_plugin_actions,
};

static void
ajar_plugin_init(PurplePlugin *plugin)
{
    purple_prefs_add_none(AJAR_PREFS_ROOT);
    purple_prefs_add_string(AJAR_PREFS_ROOT "/notify", "count");
    purple_prefs_add_int(AJAR_PREFS_ROOT "/cooloff_minutes", 10);
    purple_prefs_add_string(AJAR_PREFS_ROOT "/digest_time", "19:00");
}

PURPLE_INIT_PLUGIN(ajar, ajar_plugin_init, ajar_plugin_info)
