/* ajar-context.c — the plugin's one state struct at the bottom of plugin/:
 * the journal write every custody decision goes through, the clock, and
 * telling the user (one box per trouble). */
#include "ajar-context.h"

#include <core.h>
#include <debug.h>
#include <notify.h>

#include "ajar/ajar-i18n.h"
#include "ajar/ajar-item-text.h"
#include "ajar/ajar-text.h"

gint64
ajar_context_now(void)
{
    return g_get_real_time();
}

char *
ajar_context_busy_text(AjarPlugin *ajar)
{
    if (ajar->journal_holder > 0)
        /* TRANSLATORS: said once when a second messenger (Pidgin and Finch
         * on one --config folder) starts Ajar; %d is the process id of the
         * one that already runs it. */
        return g_strdup_printf(_("Ajar is already running for this profile (process %d); "
                                 "messages are not being held here."),
                               ajar->journal_holder);
    return g_strdup(_("Ajar is already running for this profile; messages are not being held "
                      "here."));
}

char *
ajar_context_busy_refusal(AjarPlugin *ajar)
{
    if (ajar->journal_holder > 0)
        /* TRANSLATORS: the answer to /ajar or a menu item in a second
         * messenger on the same profile; %d is the process id of the one
         * that runs Ajar. */
        return g_strdup_printf(
            _("Nothing was done here: Ajar is already running for this profile (process %d)."),
            ajar->journal_holder);
    return g_strdup(_("Nothing was done here: Ajar is already running for this profile."));
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

/* Finch draws a message box as wide as its longest line and cuts it at the
 * terminal's edge (80 columns), so a sentence there is wrapped; Pidgin
 * wraps by itself. Returns: (transfer full). */
#define FINCH_REPORT_COLUMNS 70

static char *
report_text(const char *text)
{
    g_auto(GStrv) lines = NULL;

    if (text == NULL || g_strcmp0(purple_core_get_ui(), "gnt-purple") != 0)
        return g_strdup(text);
    lines = ajar_text_wrap(text, FINCH_REPORT_COLUMNS, "");
    return g_strjoinv("\n", lines);
}

void
ajar_context_report(AjarPlugin *ajar, const char *what, const char *why)
{
    g_autofree char *key = g_strconcat(what, "\n", why != NULL ? why : "", NULL);
    g_autofree char *shown_what = NULL;
    g_autofree char *shown_why = NULL;
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
    shown_what = report_text(what);
    shown_why = report_text(why);
    if (purple_notify_message(ajar->plugin, PURPLE_NOTIFY_MSG_ERROR, _("Ajar"), shown_what,
                              shown_why, report_closed_cb, report) == NULL)
        g_hash_table_remove(ajar->open_reports, key); /* no box (or already gone) */
}

void
ajar_context_dialog_open(AjarPlugin *ajar, gpointer data, GDestroyNotify destroy)
{
    g_hash_table_insert(ajar->dialogs, data, destroy);
}

void
ajar_context_dialog_done(AjarPlugin *ajar, gpointer data)
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
ajar_context_sync_failed(AjarPlugin *ajar, const GError *sync_error)
{
    purple_debug_warning("ajar", "%s\n", sync_error->message);
    if (ajar->sync_reported)
        return;
    ajar->sync_reported = TRUE;
    ajar_context_report(ajar, _("Ajar could not make sure its journal reached the disk."),
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
    ajar_context_sync_failed(ajar, sync_error);
}

static gboolean
sync_check_cb(gpointer data)
{
    AjarPlugin *ajar = data;

    ajar->sync_check_source = 0;
    check_sync(ajar);
    return G_SOURCE_REMOVE;
}

const AjarState *
ajar_context_state(AjarPlugin *ajar)
{
    if (ajar->journal != NULL && ajar_journal_is_loading(ajar->journal)) {
        purple_debug_info("ajar", "waiting for the journal to be read\n");
        ajar_journal_wait_loaded(ajar->journal);
    }
    return ajar_journal_get_state(ajar->journal);
}

const AjarItem *
ajar_context_lookup(AjarPlugin *ajar, const char *id)
{
    /* While loading, the state holds what was journaled since the start:
     * such a message is whole there. */
    const AjarItem *item = ajar_state_lookup(ajar_journal_get_state(ajar->journal), id);

    if (item == NULL && ajar_journal_is_loading(ajar->journal))
        item = ajar_state_lookup(ajar_context_state(ajar), id);
    return item;
}

const char *
ajar_context_loading_text(void)
{
    return _("Ajar is still reading its journal; try again in a moment.");
}

gboolean
ajar_context_journal(AjarPlugin *ajar, AjarEvent *event, GError **error)
{
    g_autofree char *renewal_note = NULL;
    gboolean ok;

    if (ajar->journal == NULL) {
        g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_CLOSED,
                    /* TRANSLATORS: %s/%s is the journal's path (Ajar's folder,
                     * then the file's name). */
                    _("%s/%s could not be opened when Ajar started."), ajar->dir,
                    AJAR_JOURNAL_FILE);
        return FALSE;
    }
    check_sync(ajar);
    ok = ajar_journal_append(ajar->journal, event, error);
    /* The file in use was deleted or replaced, and the journal has just
     * started a new one with everything it keeps: say so, once (also when
     * the line that noticed it then failed: it is told of separately). */
    renewal_note = ajar_journal_take_renewal_note(ajar->journal);
    if (renewal_note != NULL)
        ajar_context_report(ajar, renewal_note, NULL);
    if (!ok)
        return FALSE;
    if (ajar->journal_loading && event->id != NULL)
        g_hash_table_add(ajar->journaled_while_loading, g_strdup(event->id));
    /* The line reaches the disk within a second, or the user hears about it
     * then: not only when (if ever) the next message comes. */
    if (ajar->sync_check_source == 0)
        ajar->sync_check_source = g_timeout_add(AJAR_SYNC_CHECK_MS, sync_check_cb, ajar);
    /* A write that worked: what waits for room in the journal may go. */
    if (ajar->journal_ok_func != NULL)
        ajar->journal_ok_func(ajar);
    /* Grown by a line: perhaps enough to compact (looked at later, never
     * in the middle of what wrote it). */
    if (ajar->journal_grew_func != NULL)
        ajar->journal_grew_func(ajar);
    return TRUE;
}

char *
ajar_context_item_text(AjarPlugin *ajar, const AjarItem *item, gsize *len, char ***images,
                       GError **error)
{
    g_autoptr(GError) read_error = NULL;
    char *text = NULL;

    if (ajar_item_read_text(item, ajar->dir, &text, len, images, &read_error))
        return text;
    purple_debug_warning("ajar", "%s\n", read_error->message);
    g_set_error(error, AJAR_JOURNAL_ERROR, read_error->code,
                /* TRANSLATORS: %1$s is a message's id, %2$s why its text
                 * cannot be read (one line naming the file and where). */
                _("Ajar keeps message %s because its text cannot be read back from the "
                  "journal: %s"),
                item->id, read_error->message);
    return NULL;
}

void
ajar_context_report_unreadable(AjarPlugin *ajar, const AjarItem *item, const GError *error)
{
    if (g_hash_table_contains(ajar->text_unreadable, item->id))
        return;
    g_hash_table_add(ajar->text_unreadable, g_strdup(item->id));
    ajar_context_report(ajar, error->message, NULL);
}

void
ajar_context_init(AjarPlugin *ajar)
{
    ajar->text_unreadable = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    ajar->dialogs = g_hash_table_new(g_direct_hash, g_direct_equal);
    /* Keyed by the reports' own text. */
    ajar->open_reports = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, open_report_free);
    ajar->journaled_while_loading = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

void
ajar_context_clear(AjarPlugin *ajar)
{
    free_open_dialogs(ajar);
    g_clear_handle_id(&ajar->sync_check_source, g_source_remove);
    g_clear_pointer(&ajar->open_reports, g_hash_table_unref);
    g_clear_pointer(&ajar->text_unreadable, g_hash_table_unref);
    g_clear_pointer(&ajar->journaled_while_loading, g_hash_table_unref);
    g_clear_pointer(&ajar->notice_after_load, g_free);
}
