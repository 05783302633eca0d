/* test-faults-compact.c — a compaction that fails (a full disk under
 * history/) while Ajar runs in a real (headless) libpurple with the built
 * ajar.so: the old journal stays whole and in use, history/ is cut back to
 * what it held, nothing is lost or held twice, the user is not bothered
 * (nothing was at risk: one line in the debug log), and the next try —
 * here /ajar compact, once the disk has room — compacts it. */
#include "compaction-test-util.h"
#include "faults-util.h"

#include <errno.h>

/* The bytes of every history month file, one after the other. */
static gsize
history_bytes(void)
{
    g_autoptr(GPtrArray) names = ct_history_files();
    gsize total = 0;

    for (guint i = 0; i < names->len; i++) {
        g_autofree char *rel = g_build_filename("history", g_ptr_array_index(names, i), NULL);
        g_autoptr(GString) bytes = NULL;

        if (!ct_is_month_file(g_ptr_array_index(names, i)))
            continue;
        bytes = ct_read(rel);
        total += bytes->len;
    }
    return total;
}

static gboolean
nothing_under_way_cb(gpointer data)
{
    return !ct_exists(AJAR_JOURNAL_FILE ".compact") && !ct_exists("history/.compact-pending");
}

static void
test_history_full(void)
{
    PurpleAccount *account = ajar_test_account(ME);
    g_autofree char *dir = ajar_test_dir();
    g_autoptr(GPtrArray) held_ids = NULL;
    g_autoptr(GString) original = NULL;
    g_autoptr(GString) after_failure = NULL;
    g_autoptr(GString) uncompacted = NULL;
    g_autoptr(GPtrArray) lines = NULL;
    g_autofree char *plugin_stats = NULL;
    g_autofree char *uncompacted_stats = NULL;
    /* Every write to a month file but the first fails: one of them is
     * then half appended to, and must be cut back. */
    Fault full = { .ops = FAULT_WRITE, .path_part = "/ajar/history/20", .nth = 2, .error = ENOSPC };
    guint summaries;
    PurplePlugin *plugin;

    faults_disarm();
    ajar_test_unload();
    faults_remove_tree(dir);
    ajar_test_write_rules(faults_rules);
    held_ids = ct_write_journal(10000, 3);
    original = ct_read(AJAR_JOURNAL_FILE);
    test_client_connect(account);
    ajar_test_drain();

    faults_arm(&full);
    plugin = ajar_test_load();
    test_client_wait_for(ct_begun_cb, NULL, "the compaction to begin");
    faults_receive_held(account, "held while it fails");
    /* Its thread, then its finish on the main loop. */
    ajar_test_run_for(1500);
    test_client_wait_for(nothing_under_way_cb, NULL, "the failed compaction to be rolled back");
    g_assert_cmpuint(faults_disarm(), >, 0);

    /* The old journal whole and in use: what it had, its summary, the
     * message that came meanwhile; history/ holds nothing; no box. */
    after_failure = ct_read(AJAR_JOURNAL_FILE);
    g_assert_cmpuint(after_failure->len, >, original->len);
    g_assert_true(memcmp(after_failure->str, original->str, original->len) == 0);
    g_assert_nonnull(strstr(after_failure->str + original->len, "\"event\":\"summary\""));
    g_assert_cmpuint(history_bytes(), ==, 0);
    g_assert_cmpuint(faults_error_notices(NULL), ==, 0);
    faults_receive_held(account, "held after it failed");
    for (guint i = 0; i < held_ids->len; i++)
        g_assert_cmpint(ajar_test_item_state(g_ptr_array_index(held_ids, i)), ==, AJAR_EVENT_HELD);

    /* Room again: the next try works. */
    g_assert_cmpint(test_client_command(account, SAM, "ajar compact"), ==, PURPLE_CMD_STATUS_OK);
    lines = test_client_take_lines();
    g_assert_cmpuint(ajar_test_count_lines_with(lines, "Ajar is compacting its journal"), ==, 1);
    test_client_wait_for(ct_done_cb, NULL, "the compaction to be switched in");
    ct_assert_private();
    uncompacted = ct_uncompacted(&summaries);
    g_assert_cmpuint(summaries, >=, 1);
    g_assert_true(memcmp(uncompacted->str, original->str, original->len) == 0);
    g_assert_cmpuint(faults_kept_with_text("held while it fails"), ==, 1);
    g_assert_cmpuint(faults_kept_with_text("held after it failed"), ==, 1);
    for (guint i = 0; i < held_ids->len; i++)
        g_assert_cmpint(ajar_test_item_state(g_ptr_array_index(held_ids, i)), ==, AJAR_EVENT_HELD);
    plugin_stats = ct_plugin_stats(plugin);
    uncompacted_stats = ct_stats_uncompacted();
    g_assert_cmpstr(plugin_stats, ==, uncompacted_stats);
    g_assert_cmpuint(faults_error_notices(NULL), ==, 0);
    ajar_test_unload();
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    g_test_add_func("/reliability/faults/compact/history-full", test_history_full);
    status = g_test_run();

    test_client_quit();
    test_client_cleanup();
    return status;
}
