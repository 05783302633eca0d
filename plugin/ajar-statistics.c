/* ajar-statistics.c — Tools ▸ Ajar ▸ Statistics…
 *
 * The figures and their words come from the core (ajar_stats_format_text), so
 * the plugin and `ajar stats` always say the same thing. */
#include "ajar-statistics.h"

#include <notify.h>

#include "ajar/ajar-i18n.h"
#include "ajar/ajar-journal.h"
#include "ajar/ajar-stats.h"

static void
apply_cb(const AjarEvent *event, gpointer user_data)
{
    ajar_state_apply(user_data, event);
}

void
ajar_statistics_show(AjarPlugin *ajar)
{
    g_autofree char *path = g_build_filename(ajar->dir, AJAR_JOURNAL_FILE, NULL);
    g_autoptr(AjarState) state = ajar_state_new();
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) stats = NULL;
    g_autoptr(GDateTime) now = NULL;
    g_autofree char *text = NULL;
    AjarJournalReport report = { 0 };

    if (ajar->journal_loading) {
        purple_notify_info(ajar->plugin, _("Ajar"), ajar_context_loading_text(), NULL);
        return;
    }
    /* Reading needs no lock and changes nothing: a line being written now is
     * an incomplete tail, skipped. */
    if (!ajar_journal_read_file(path, apply_cb, state, &report, &error)) {
        purple_notify_error(ajar->plugin, _("Ajar"), _("Statistics could not be read."),
                            error->message);
        ajar_journal_report_clear(&report);
        return;
    }
    ajar_journal_report_clear(&report);
    stats = ajar_stats_compute(state);
    now = g_date_time_new_now_local();
    text = ajar_stats_format_text(stats, now);
    {
        /* A formatted note has no length limit (Pidgin cuts a message box
         * at 2 KiB); it reads markup, so the text is escaped. */
        g_autofree char *escaped = g_markup_escape_text(text, -1);
        g_autoptr(GString) html = g_string_new(NULL);

        for (const char *p = escaped; *p != '\0'; p++) {
            if (*p == '\n')
                g_string_append(html, "<br>"); /* no i18n: markup */
            else
                g_string_append_c(html, *p);
        }
        purple_notify_formatted(ajar->plugin, _("Ajar"), _("Statistics"), NULL, html->str, NULL,
                                NULL);
    }
}
