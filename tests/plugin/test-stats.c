/* test-stats.c — the plugin's "Statistics…" action and `ajar stats` say the
 * same thing about the same journal.
 *
 * The journal is written with the core, as the plugin writes it; the built
 * ajar.so is loaded by path and its action run through libpurple's plugin
 * action API; the built `ajar` command runs as a separate process on the
 * same folder. Only the "… ago" part may differ (the two run a moment apart). */
#include "test-client.h"

#include <core.h>
#include <notify.h>
#include <plugin.h>
#include <util.h>

#include "ajar/ajar-journal.h"

#define AJAR_PLUGIN_ID "core-ajar"
#define T0 (G_GINT64_CONSTANT(1795813449) * G_USEC_PER_SEC) /* Fri 27 Nov 2026 21:04:09Z */

static void
append(AjarJournal *journal, AjarEventType type, const char *id, AjarDirection dir,
       const char *rule, gint64 ts)
{
    g_autoptr(AjarEvent) event = ajar_event_new(type);
    g_autoptr(GError) error = NULL;

    event->ts = ts;
    event->id = g_strdup(id);
    if (ajar_event_type_is_custody(type) || (type == AJAR_EVENT_SENT && id == NULL)) {
        event->has_dir = TRUE;
        event->dir = dir;
        event->account = g_strdup("me@example.org/Home");
        event->protocol = g_strdup("prpl-jabber");
        event->buddy = g_strdup("sam@example.org");
        event->rule = g_strdup(rule);
    }
    if (ajar_event_type_is_custody(type)) {
        event->time = ts;
        event->text = g_strdup("are you awake?");
        event->text_len = strlen(event->text);
        if (type == AJAR_EVENT_QUEUED || type == AJAR_EVENT_DELAYED)
            event->due = ts + 600 * G_USEC_PER_SEC;
    }
    g_assert_true(ajar_journal_append(journal, event, &error));
    g_assert_no_error(error);
}

static void
write_journal(void)
{
    g_autofree char *dir = g_build_filename(test_client_user_dir(), "ajar", NULL);
    g_autoptr(GError) error = NULL;
    AjarJournal *journal = ajar_journal_open(dir, AJAR_FLUSH_EVERY_EVENT, &error);
    gint64 t = T0;

    g_assert_no_error(error);
    append(journal, AJAR_EVENT_HELD, NULL, AJAR_DIRECTION_IN, "Sam", t);
    append(journal, AJAR_EVENT_HELD, NULL, AJAR_DIRECTION_IN, "Sam", t + 1000);
    append(journal, AJAR_EVENT_ARCHIVED, NULL, AJAR_DIRECTION_IN, "Sam", t + 2000);
    append(journal, AJAR_EVENT_QUEUED, NULL, AJAR_DIRECTION_OUT, "Sam", t + 3000);
    append(journal, AJAR_EVENT_HELD, NULL, AJAR_DIRECTION_OUT, "Alex", t + 4000);
    append(journal, AJAR_EVENT_SENT, NULL, AJAR_DIRECTION_OUT, "Sam", t + 5000);
    {
        /* release the first held message, cancel the queued one */
        const AjarState *state = ajar_journal_get_state(journal);
        g_autoptr(GPtrArray) items = ajar_state_list(state);
        const AjarItem *first = g_ptr_array_index(items, 0);
        const AjarItem *queued = g_ptr_array_index(items, 3);
        g_autofree char *first_id = g_strdup(first->id);
        g_autofree char *queued_id = g_strdup(queued->id);

        append(journal, AJAR_EVENT_RELEASED, first_id, AJAR_DIRECTION_IN, NULL, t + 6000);
        append(journal, AJAR_EVENT_CANCELLED, queued_id, AJAR_DIRECTION_OUT, NULL, t + 7000);
    }
    ajar_journal_close(journal);
}

/* Runs the plugin's "Statistics…" action. Returns: (transfer full) what the
 * user reads in the box it opens. */
static char *
run_statistics_action(PurplePlugin *plugin)
{
    GList *actions = plugin->info->actions(plugin, NULL);
    g_autoptr(GPtrArray) notices = NULL;
    TestNotice *notice;
    gboolean found = FALSE;

    for (GList *l = actions; l != NULL; l = l->next) {
        PurplePluginAction *action = l->data;
        if (g_strcmp0(action->label, "Statistics…") == 0) {
            /* What Pidgin's Tools menu and Finch's plugin actions do. */
            action->plugin = plugin;
            action->callback(action);
            found = TRUE;
        }
    }
    g_list_free_full(actions, (GDestroyNotify)purple_plugin_action_free);
    g_assert_true(found);

    notices = test_client_take_notices();
    g_assert_cmpuint(notices->len, ==, 1);
    notice = g_ptr_array_index(notices, 0);
    /* A formatted note (a plain message box is cut at 2 KiB in Pidgin):
     * what the user reads is the HTML body with its line breaks. */
    g_assert_cmpint(notice->kind, ==, TEST_NOTICE_FORMATTED);
    g_assert_cmpstr(notice->title, ==, "Ajar");
    g_assert_cmpstr(notice->primary, ==, "Statistics");
    g_assert_null(strstr(notice->text, "\n"));
    return purple_unescape_html(notice->text);
}

static char *
run_cli_stats(void)
{
    const char *cli = g_getenv("AJAR_CLI");
    const char *argv[] = { cli, "--dir", test_client_user_dir(), "stats", NULL };
    g_autoptr(GError) error = NULL;
    char *out = NULL;
    g_autofree char *err = NULL;
    int status = 0;

    g_assert_nonnull(cli);
    g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                 &error);
    g_assert_no_error(error);
    g_assert_true(g_spawn_check_exit_status(status, &error));
    g_assert_no_error(error);
    return out;
}

/* Both say "…, 3 days 1 h ago" relative to their own clock; the rest must
 * match byte for byte. */
static char *
without_ago(const char *text)
{
    g_autoptr(GRegex) ago = g_regex_new(", [^,\n]* ago\n", 0, 0, NULL);
    return g_regex_replace_literal(ago, text, -1, 0, ", (some time) ago\n", 0, NULL);
}

static void
test_agree_empty(void)
{
    PurplePlugin *plugin = test_client_probe_ajar();
    g_autofree char *shown = NULL;
    g_autofree char *printed = NULL;

    g_assert_nonnull(plugin);
    g_assert_true(purple_plugin_load(plugin));
    shown = run_statistics_action(plugin);
    printed = run_cli_stats();
    g_assert_cmpstr(shown, ==, "No rules have filtered anything yet.\n");
    g_assert_cmpstr(printed, ==, shown);
    g_assert_true(purple_plugin_unload(plugin));
}

static void
test_agree_journal(void)
{
    PurplePlugin *plugin = test_client_probe_ajar();
    g_autofree char *shown = NULL;
    g_autofree char *printed = NULL;
    g_autofree char *shown_plain = NULL;
    g_autofree char *printed_plain = NULL;

    write_journal();
    g_assert_true(purple_plugin_load(plugin));
    shown = run_statistics_action(plugin);
    printed = run_cli_stats();
    g_test_message("the plugin showed:\n%s", shown);

    /* Not two empty answers agreeing: the figures written above are there. */
    g_assert_nonnull(strstr(shown, "Sam\n"));
    g_assert_nonnull(strstr(shown, "  Their messages held     2 in all, 1 waiting\n"));
    g_assert_nonnull(strstr(shown, "  Archived                1 in all, 1 unread\n"));
    g_assert_nonnull(strstr(shown, "  Times you held back     1\n"));
    g_assert_nonnull(strstr(shown, "Alex\n"));

    shown_plain = without_ago(shown);
    printed_plain = without_ago(printed);
    g_assert_cmpstr(printed_plain, ==, shown_plain);
    g_assert_true(purple_plugin_unload(plugin));
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    g_test_add_func("/plugin/stats/agree-empty", test_agree_empty);
    g_test_add_func("/plugin/stats/agree-journal", test_agree_journal);
    status = g_test_run();

    test_client_quit();
    test_client_cleanup();
    return status;
}
