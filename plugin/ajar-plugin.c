/* ajar-plugin.c — the libpurple plugin: load, unload, actions, preferences.
 *
 * Everything Ajar holds lives in one AjarPlugin made in load and freed in
 * unload; unload removes every timer, command, signal, menu hook and open
 * request, and what is still kept stays in the journal for next time. */
#include "ajar-config.h"

#include <string.h>

#include "ajar-chats.h"
#include "ajar-commands.h"
#include "ajar-compaction.h"
#include "ajar-context.h"
#include "ajar-custody.h"
#include "ajar-attention.h"
#include "ajar-images.h"
#include "ajar-intercept.h"
#include "ajar-menu.h"
#include "ajar-normalize.h"
#include "ajar-review.h"
#include "ajar-rules-file.h"
#include "ajar-schedule.h"
#include "ajar-statistics.h"
#include "ajar-typing.h"

#include <debug.h>
#include <notify.h>
#include <prefs.h>
#include <request.h>
#include <util.h>
#include <version.h>

#include "ajar/ajar-event.h"
#include "ajar/ajar-files.h"
#include "ajar/ajar-i18n.h"
#include "ajar/ajar-lock.h"

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
        ajar_statistics_show(plugin->extra);
}

static GList *
ajar_plugin_actions(PurplePlugin *plugin, gpointer context)
{
    GList *actions = NULL;

    actions = g_list_append(actions,
                            purple_plugin_action_new(_("Review held messages…"), review_action_cb));
    actions =
        g_list_append(actions, purple_plugin_action_new(_("Statistics…"), statistics_action_cb));
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

/* Damaged lines the replay found (other than those explained): said once. */
static void
report_damage(AjarPlugin *ajar)
{
    const AjarJournalReport *report = ajar_journal_get_open_report(ajar->journal);
    guint damaged, first;

    if (report->malformed > 0 && (damaged = unexplained_damage(ajar, report, &first)) > 0) {
        /* The report's reason is about its first damaged line. */
        gboolean reason_fits = report->malformed_lines->len > 0 &&
                               first == g_array_index(report->malformed_lines, guint, 0) &&
                               report->first_malformed_reason != NULL;
        const char *path = ajar_journal_get_path(ajar->journal);
        g_autofree char *why = NULL;

        /* One whole sentence for each way of naming the first damaged line.
         * (English says "line(s)" for any number; the plural forms are
         * there for the languages that need them.) */
        if (reason_fits)
            why = g_strdup_printf(
                /* TRANSLATORS: %u is how many lines, %s the journal's path, the
                 * last %s why the first one could not be read. 'ajar verify' is
                 * a command: keep it as it is. */
                P_("%u line(s) of %s could not be read (first: %s). The rest is in use; "
                   "'ajar verify' lists them.",
                   "%u line(s) of %s could not be read (first: %s). The rest is in use; "
                   "'ajar verify' lists them.",
                   damaged),
                damaged, path, report->first_malformed_reason);
        else if (first > 0)
            why = g_strdup_printf(
                /* TRANSLATORS: the first %u is how many lines, %s the
                 * journal's path, the last %u the number of the first of them.
                 * 'ajar verify' is a command: keep it as it is. */
                P_("%u line(s) of %s could not be read (first: line %u). The rest is in use; "
                   "'ajar verify' lists them.",
                   "%u line(s) of %s could not be read (first: line %u). The rest is in use; "
                   "'ajar verify' lists them.",
                   damaged),
                damaged, path, first);
        else
            why = g_strdup_printf(
                /* TRANSLATORS: %u is how many lines, %s the journal's path;
                 * which line came first is not known. 'ajar verify' is a
                 * command: keep it as it is. */
                P_("%u line(s) of %s could not be read (first: ?). The rest is in use; "
                   "'ajar verify' lists them.",
                   "%u line(s) of %s could not be read (first: ?). The rest is in use; "
                   "'ajar verify' lists them.",
                   damaged),
                damaged, path);
        ajar_context_report(ajar, _("Part of Ajar's journal is damaged."), why);
    }
}

/* After journal_loaded_cb(): everything in custody is scheduled. */
static void
scheduled_cb(AjarPlugin *ajar)
{
    g_hash_table_remove_all(ajar->journaled_while_loading);
    ajar_images_sweep(ajar);
    /* Not before: a compaction's summary carries the whole state's figures,
     * and its switch replaces the state the slices looked items up in. */
    ajar_compaction_start(ajar);
}

/* The journal was read in the background (messages meanwhile were
 * withheld and journaled as ever). */
static void
journal_loaded_cb(AjarJournal *journal, const GError *error, gpointer data)
{
    AjarPlugin *ajar = data;
    g_autofree char *notice_rule = g_steal_pointer(&ajar->notice_after_load);
    GPtrArray *ids;
    GArray *seqs;

    ajar->journal_loading = FALSE;
    if (error != NULL) {
        /* The lines written meanwhile are in the file; from now on nothing
         * more is held back (each message then says so as it is shown). */
        ajar_context_report(ajar,
                            _("Ajar could not read its journal, so it will not hold anything "
                              "more back: every message is shown as usual."),
                            error->message);
        return;
    }
    purple_debug_info("ajar", "journal read: %u events\n",
                      ajar_state_get_event_count(ajar_journal_get_state(journal)));
    report_damage(ajar);
    if (notice_rule != NULL)
        ajar_intercept_notify_waiting(ajar, notice_rule);
    /* In slices, from the list the journal's thread made: at 10^6 events
     * there are some 10^5 messages in custody. */
    if (ajar_journal_take_loaded_custody(journal, &ids, &seqs)) {
        ajar_schedule_all_in_slices(ajar, ids, seqs, scheduled_cb);
    } else {
        ajar_schedule_all(ajar, TRUE);
        scheduled_cb(ajar);
    }
}

/* How long the start waits for `ajar compact` (a compaction of 10^6 events
 * takes about 2 s here; a slow disk, more). */
#define CLI_WAIT_MS 60000
#define CLI_WAIT_STEP_MS 50

/* Whether the journal's lock is held by the `ajar` command (ajar compact),
 * not by a second messenger; a holder that cannot be found (it has just let
 * go) counts as the CLI the first three times (*@unknown counts them). */
static gboolean
held_by_the_cli(AjarPlugin *ajar, guint *unknown)
{
    g_autofree char *path = g_build_filename(ajar->dir, AJAR_JOURNAL_FILE, NULL);
    pid_t pid = ajar_lock_find_holder(path);
    g_autofree char *comm_path = NULL;
    g_autofree char *comm = NULL;

    if (pid <= 0)
        return ++*unknown <= 3;
    comm_path = g_strdup_printf("/proc/%d/comm", (int)pid); /* no i18n: a path */
    if (!g_file_get_contents(comm_path, &comm, NULL, NULL))
        return ++*unknown <= 3;
    g_strchomp(comm);
    return strcmp(comm, "ajar") == 0; /* no i18n: the CLI's program name */
}

static void
open_journal(AjarPlugin *ajar)
{
    g_autoptr(GError) error = NULL;

    /* Batched: the sync thread makes each line durable well within a second
     * without blocking the messenger on the disk. Read in the background:
     * a large journal must not stall the messenger's start. */
    ajar->journal =
        ajar_journal_open_async(ajar->dir, AJAR_FLUSH_BATCHED, journal_loaded_cb, ajar, &error);
    /* `ajar compact` holds the lock for the seconds a compaction takes:
     * waited for (the messenger's start stalls that long), not taken for a
     * second messenger, which would leave Ajar off for the whole session. */
    /* (A holder that cannot be found has just let go, or is out of sight:
     * tried again a few times.) */
    for (guint waited_ms = 0, unknown = 0;
         ajar->journal == NULL && waited_ms < CLI_WAIT_MS &&
         g_error_matches(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_BUSY) &&
         held_by_the_cli(ajar, &unknown);
         waited_ms += CLI_WAIT_STEP_MS) {
        if (waited_ms == 0)
            purple_debug_info("ajar", "%s; waiting for it\n", error->message);
        g_usleep(CLI_WAIT_STEP_MS * 1000);
        g_clear_error(&error);
        ajar->journal =
            ajar_journal_open_async(ajar->dir, AJAR_FLUSH_BATCHED, journal_loaded_cb, ajar, &error);
    }
    if (ajar->journal == NULL &&
        g_error_matches(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_BUSY)) {
        /* Another messenger on this profile (Pidgin and Finch with one
         * --config) runs Ajar: it alone writes the journal, so nothing can
         * be kept safe here. Said once, in one sentence; the path and the
         * lock go to the debug log. */
        g_autofree char *path = g_build_filename(ajar->dir, AJAR_JOURNAL_FILE, NULL);
        g_autofree char *sentence = NULL;

        ajar->journal_busy = TRUE;
        ajar->journal_holder = ajar_lock_find_holder(path);
        sentence = ajar_context_busy_text(ajar);
        purple_debug_warning("ajar", "%s\n", error->message);
        ajar_context_report(ajar, sentence, NULL);
        return;
    }
    if (ajar->journal == NULL) {
        ajar_context_report(ajar,
                            _("Ajar cannot open its journal, so it will not hold anything back: "
                              "every message is shown as usual."),
                            error->message);
        return;
    }
    ajar->journal_loading = ajar_journal_is_loading(ajar->journal);
    if (!ajar->journal_loading)
        report_damage(ajar);
}

static gboolean
ajar_plugin_load(PurplePlugin *plugin)
{
    AjarPlugin *ajar = g_new0(AjarPlugin, 1);

    ajar->plugin = plugin;
    /* purple_user_dir() honours the client's --config folder. */
    ajar->dir = g_build_filename(purple_user_dir(), "ajar", NULL);
    ajar_context_init(ajar);
    plugin->extra = ajar;

    open_journal(ajar);
    if (ajar->journal != NULL) {
        ajar_rules_file_load(ajar);
        ajar_rules_file_watch(ajar);
        /* What needs every kept message waits while the journal is read:
         * journal_loaded_cb(). */
        if (!ajar->journal_loading)
            ajar_images_sweep(ajar);
    } else {
        /* Nothing can be kept safe, so nothing is held back: no rules. */
        ajar->rules = ajar_rules_new_empty(ajar_normalize_cb, ajar);
    }
    ajar_custody_init(ajar);
    ajar_schedule_connect(ajar);
    ajar_intercept_connect(ajar);
    ajar_typing_connect(ajar);
    ajar_attention_connect(ajar);
    ajar_chats_connect(ajar);
    ajar_menu_connect(ajar);
    ajar_commands_register(ajar);
    if (!ajar->journal_loading) {
        ajar_schedule_all(ajar, TRUE);
        /* The journal is read and its state whole: from now on it is
         * compacted when it should be (at once if it is over the threshold).
         * A journal read in the background starts this in scheduled_cb(). */
        ajar_compaction_start(ajar);
    }
    purple_debug_info("ajar", "Ajar %s loaded; its folder is %s\n", AJAR_VERSION, ajar->dir);
    return TRUE;
}

static gboolean
ajar_plugin_unload(PurplePlugin *plugin)
{
    AjarPlugin *ajar = plugin->extra;

    if (ajar == NULL)
        return TRUE;
    /* Each protocol's own send_typing back before anything else goes. */
    ajar_typing_disconnect(ajar);
    /* A compaction under way is finished before anything else goes. */
    ajar_compaction_stop(ajar);
    /* libpurple removes none of these for us. */
    purple_signals_disconnect_by_handle(plugin);
    ajar_commands_unregister(ajar);
    purple_request_close_with_handle(plugin);
    purple_notify_close_with_handle(plugin); /* runs report_closed_cb() for each box */
    ajar_schedule_disconnect(ajar);
    ajar_attention_disconnect(ajar);
    ajar_custody_clear(ajar);
    ajar_chats_clear(ajar);
    ajar_rules_file_unwatch(ajar);
    /* Kept messages stay in the journal; this only closes it (after a sync). */
    ajar_journal_close(ajar->journal);
    g_clear_pointer(&ajar->rules, ajar_rules_unref);
    g_free(ajar->rules_text);
    g_free(ajar->rules_error);
    ajar_context_clear(ajar);
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
                                                      _("When a message is held back"));
    purple_plugin_pref_set_type(pref, PURPLE_PLUGIN_PREF_CHOICE);
    /* Short: Finch gives the list half of a narrow window. The second of
     * each pair is the value rules.json keeps ("notify"). */
    /* TRANSLATORS: the choices for "When a message is held back"; keep
     * them short (Finch gives them half of a narrow window). */
    purple_plugin_pref_add_choice(pref, _("Say nothing"), "silent"); /* no i18n: setting value */
    purple_plugin_pref_add_choice(pref, _("Counts where I look"), "count"); /* no i18n: value */
    purple_plugin_pref_add_choice(pref, _("A short note"), "message");      /* no i18n: value */
    purple_plugin_pref_frame_add(frame, pref);

    pref = purple_plugin_pref_new_with_name_and_label(AJAR_PREFS_ROOT "/cooloff_minutes",
                                                      _("Default cooling-off (minutes)"));
    purple_plugin_pref_set_bounds(pref, 1, 7 * 24 * 60);
    purple_plugin_pref_frame_add(frame, pref);

    pref = purple_plugin_pref_new_with_name_and_label(AJAR_PREFS_ROOT "/digest_time",
                                                      _("Default digest time (HH:MM)"));
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
    /* Translated in ajar_plugin_init(), once Ajar's domain is bound. */
    /* TRANSLATORS: the plugin's name, in Tools ▸ Plugins and as the title of
     * Ajar's dialogs and menu; a name, usually kept as it is. */
    .name = N_("Ajar"),
    .version = AJAR_VERSION,
    .summary = N_("Keep the door to one person neither open nor locked."),
    .description = N_("Hold, delay or archive messages from a chosen contact, and let your own "
                      "messages to them cool off before they are sent. Every withheld message is "
                      "kept safe in a journal until you decide."),
    .author = N_("The Ajar developers"),
    .homepage = "",
    .load = ajar_plugin_load,
    .unload = ajar_plugin_unload,
    .prefs_info = &ajar_prefs_info,
    .actions = ajar_plugin_actions,
};

static void
ajar_plugin_init(PurplePlugin *plugin)
{
    ajar_i18n_init(AJAR_LOCALEDIR);
    /* As Pidgin's plugins do: libpurple shows these as they are, and would
     * look them up (if at all) in the client's domain, not Ajar's. */
    ajar_plugin_info.name = (char *)_(ajar_plugin_info.name);
    ajar_plugin_info.summary = (char *)_(ajar_plugin_info.summary);
    ajar_plugin_info.description = (char *)_(ajar_plugin_info.description);
    ajar_plugin_info.author = (char *)_(ajar_plugin_info.author);
    purple_prefs_add_none(AJAR_PREFS_ROOT);
    purple_prefs_add_string(AJAR_PREFS_ROOT "/notify", "count");
    purple_prefs_add_int(AJAR_PREFS_ROOT "/cooloff_minutes", 10);
    purple_prefs_add_string(AJAR_PREFS_ROOT "/digest_time", "19:00");
}

PURPLE_INIT_PLUGIN(ajar, ajar_plugin_init, ajar_plugin_info)
