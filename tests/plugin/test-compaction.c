/* test-compaction.c — Ajar compacts its journal on its own while the
 * messenger runs, and `ajar compact` refuses while it does.
 *
 * The journal is written with the core as a long-used Ajar leaves it
 * (10,000 messages held and released over three months: 20,000 finished
 * lines, and some still held), then the built ajar.so is loaded: it
 * compacts that journal in a thread of its own while messages arrive, from
 * Sam (held) and from Pat (no rule). What must hold:
 *
 * - nothing lost: every line there was is still there, byte for byte, in
 *   history/YYYY-MM.jsonl or journal.jsonl (put back in seq order, they
 *   are the journal as it would be had it never been compacted, plus one
 *   summary); every held message is held, once, also after a restart;
 *   every passing one was shown once;
 * - the statistics are the same: the plugin's, `ajar stats` of the
 *   compacted folder and `ajar stats` of the uncompacted journal;
 * - history/ is private (0700, files 0600);
 * - unload in the middle of a compaction finishes it first;
 * - the built `ajar compact`, run again and again while the plugin runs
 *   (and compacts), refuses in one line naming the plugin's process, exit
 *   status 1, and changes nothing; `ajar list` and `ajar stats` work
 *   meanwhile. */
#include "compaction-test-util.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* What arrived: the texts from Sam (held) and from Pat (shown). */
typedef struct {
    PurpleAccount *account;
    GPtrArray *held;
    GPtrArray *passed;
} Arrivals;

static void
arrivals_init(Arrivals *arrivals)
{
    arrivals->account = ajar_test_account(CT_ME);
    arrivals->held = g_ptr_array_new_with_free_func(g_free);
    arrivals->passed = g_ptr_array_new_with_free_func(g_free);
}

static void
arrivals_clear(Arrivals *arrivals)
{
    g_ptr_array_unref(arrivals->held);
    g_ptr_array_unref(arrivals->passed);
}

/* One message from Sam and one from Pat, @phase naming when. */
static void
arrive(Arrivals *arrivals, const char *phase)
{
    char *held = g_strdup_printf("held %s %u", phase, arrivals->held->len);
    char *passed = g_strdup_printf("passed %s %u", phase, arrivals->passed->len);

    test_client_receive(arrivals->account, CT_SAM, held, 0, time(NULL));
    test_client_receive(arrivals->account, CT_PAT, passed, 0, time(NULL));
    g_ptr_array_add(arrivals->held, held);
    g_ptr_array_add(arrivals->passed, passed);
}

/* Ajar off and its folder gone: each case starts from its own journal. */
static void
reset(void)
{
    g_autofree char *dir = ajar_test_dir();
    const char *argv[] = { "rm", "-rf", dir, NULL };

    ajar_test_unload();
    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                               NULL, NULL, NULL));
    g_assert_false(g_file_test(dir, G_FILE_TEST_EXISTS));
    ajar_test_write_rules(CT_RULES);
    ajar_test_drain();
}

/* Nothing lost, nothing twice: @original (the journal before) is where it
 * was, byte for byte, at the start of the uncompacted journal; every
 * message of @held_ids and every held text of @arrivals is in custody once;
 * every passing text was shown once and no held one was. */
static void
assert_nothing_lost(const GString *original, GPtrArray *held_ids, Arrivals *arrivals,
                    GPtrArray *received)
{
    guint summaries;
    g_autoptr(GString) uncompacted = ct_uncompacted(&summaries);
    g_autoptr(AjarState) state = ajar_test_read_state();
    g_autoptr(GPtrArray) taken = ajar_test_events_since(0, AJAR_EVENT_HELD, NULL);

    g_assert_cmpuint(summaries, >=, 1);
    g_assert_cmpuint(uncompacted->len, >, original->len);
    g_assert_true(memcmp(uncompacted->str, original->str, original->len) == 0);

    for (guint i = 0; i < held_ids->len; i++) {
        const AjarItem *item = ajar_state_lookup(state, g_ptr_array_index(held_ids, i));
        g_assert_nonnull(item);
        g_assert_cmpint(item->state, ==, AJAR_EVENT_HELD);
    }
    for (guint i = 0; i < arrivals->held->len; i++) {
        const char *text = g_ptr_array_index(arrivals->held, i);
        guint found = 0;

        for (guint j = 0; j < taken->len; j++) {
            const AjarEvent *event = g_ptr_array_index(taken, j);
            if (event->text != NULL && strcmp(event->text, text) == 0) {
                const AjarItem *item = ajar_state_lookup(state, event->id);
                g_assert_nonnull(item);
                g_assert_cmpint(item->state, ==, AJAR_EVENT_HELD);
                found++;
            }
        }
        g_assert_cmpuint(found, ==, 1);
    }
    for (guint i = 0; i < arrivals->passed->len; i++) {
        const char *text = g_ptr_array_index(arrivals->passed, i);
        guint shown = 0;

        for (guint j = 0; j < received->len; j++)
            shown += strcmp(((TestReceived *)g_ptr_array_index(received, j))->message, text) == 0;
        g_assert_cmpuint(shown, ==, 1);
    }
    g_assert_cmpuint(received->len, ==, arrivals->passed->len);
}

static void
assert_verify_passes(void)
{
    const char *args[] = { "verify", "--dir", test_client_user_dir(), NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    int status = ct_cli(args, &out, &err);

    if (status != 0)
        g_test_message("ajar verify:\n%s%s", out, err);
    g_assert_cmpint(status, ==, 0);
}

static void
test_while_messages_arrive(void)
{
    Arrivals arrivals;
    g_autoptr(GPtrArray) held_ids = NULL;
    g_autoptr(GString) original = NULL;
    g_autoptr(GPtrArray) received = NULL;
    g_autoptr(GPtrArray) after_restart = NULL;
    g_autoptr(GString) compacted = NULL;
    g_autoptr(GPtrArray) history = NULL;
    g_autofree char *shown_stats = NULL;
    g_autofree char *cli_stats = NULL;
    g_autofree char *uncompacted_stats = NULL;
    g_autofree char *restart_stats = NULL;
    PurplePlugin *plugin;

    reset();
    arrivals_init(&arrivals);
    held_ids = ct_write_journal(10000, 40);
    original = ct_read(AJAR_JOURNAL_FILE);

    plugin = ajar_test_load();
    /* Before it begins (it begins when the main loop next turns): these
     * lines come before the summary. */
    arrive(&arrivals, "before");
    test_client_wait_for(ct_begun_cb, NULL, "the compaction to begin");
    /* Begun, and its thread runs; it can only be finished on the main
     * loop, which does not turn meanwhile: these are its tail. */
    for (guint i = 0; i < 20; i++)
        arrive(&arrivals, "during");
    g_assert_false(ct_done());
    test_client_wait_for(ct_done_cb, NULL, "the compaction to be switched in");
    for (guint i = 0; i < 5; i++)
        arrive(&arrivals, "after");
    ajar_test_run_for(200);
    received = test_client_take_received();

    compacted = ct_read(AJAR_JOURNAL_FILE);
    history = ct_history_files();
    g_test_message("journal.jsonl: %" G_GSIZE_FORMAT " bytes before, %" G_GSIZE_FORMAT " after",
                   original->len, compacted->len);
    g_assert_cmpuint(compacted->len, <, original->len / 10);
    g_assert_cmpuint(history->len, ==, 3); /* September to November */
    ct_assert_private();
    assert_nothing_lost(original, held_ids, &arrivals, received);
    assert_verify_passes();

    shown_stats = ct_plugin_stats(plugin);
    cli_stats = ct_stats(test_client_user_dir());
    uncompacted_stats = ct_stats_uncompacted();
    g_test_message("the plugin showed:\n%s", shown_stats);
    g_assert_nonnull(strstr(shown_stats, "Sam\n"));
    g_assert_cmpstr(cli_stats, ==, uncompacted_stats);
    g_assert_cmpstr(shown_stats, ==, uncompacted_stats);

    /* A restart: everything held is still held, nothing is shown. */
    ajar_test_unload();
    test_client_restart();
    plugin = ajar_test_load();
    arrivals.account = test_client_find_account(CT_ME);
    test_client_connect(arrivals.account);
    ajar_test_run_for(300);
    after_restart = test_client_take_received();
    g_assert_cmpuint(after_restart->len, ==, 0);
    assert_nothing_lost(original, held_ids, &arrivals, received);
    restart_stats = ct_plugin_stats(plugin);
    g_assert_cmpstr(restart_stats, ==, uncompacted_stats);
    arrivals_clear(&arrivals);
}

static void
test_unload_finishes(void)
{
    Arrivals arrivals;
    g_autoptr(GPtrArray) held_ids = NULL;
    g_autoptr(GString) original = NULL;
    g_autoptr(GPtrArray) received = NULL;

    reset();
    arrivals_init(&arrivals);
    held_ids = ct_write_journal(10000, 5);
    original = ct_read(AJAR_JOURNAL_FILE);
    ajar_test_load();
    test_client_wait_for(ct_begun_cb, NULL, "the compaction to begin");
    arrive(&arrivals, "during");
    /* Switched off with its thread under way (or its finish not yet run):
     * unload waits for it and switches it in. */
    ajar_test_unload();
    g_assert_true(ct_done());
    received = test_client_take_received();
    assert_nothing_lost(original, held_ids, &arrivals, received);
    assert_verify_passes();
    arrivals_clear(&arrivals);
}

/* Runs the built `ajar` with @args while messages arrive (one pair each
 * turn of the main loop) until it ends. Returns: its exit status;
 * *@output: what it printed (stdout, then stderr). */
static int
cli_while_arriving(Arrivals *arrivals, const char *const *args, char **output)
{
    const char *cli = g_getenv("AJAR_CLI");
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_autoptr(GError) error = NULL;
    g_autoptr(GString) out = g_string_new(NULL);
    g_autoptr(GString) err = g_string_new(NULL);
    int out_fd, err_fd, status = 0;
    GPid pid;

    g_ptr_array_add(argv, (char *)cli);
    for (guint i = 0; args[i] != NULL; i++)
        g_ptr_array_add(argv, (char *)args[i]);
    g_ptr_array_add(argv, NULL);
    g_assert_true(g_spawn_async_with_pipes(NULL, (char **)argv->pdata, NULL,
                                           G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, NULL,
                                           &out_fd, &err_fd, &error));
    g_assert_no_error(error);
    g_assert_cmpint(fcntl(out_fd, F_SETFL, O_NONBLOCK), ==, 0);
    g_assert_cmpint(fcntl(err_fd, F_SETFL, O_NONBLOCK), ==, 0);
    for (;;) {
        char buf[4096];
        ssize_t got;
        pid_t done = waitpid(pid, &status, WNOHANG);

        while ((got = read(out_fd, buf, sizeof buf)) > 0)
            g_string_append_len(out, buf, got);
        while ((got = read(err_fd, buf, sizeof buf)) > 0)
            g_string_append_len(err, buf, got);
        if (done == pid)
            break;
        g_assert_cmpint(done, ==, 0);
        arrive(arrivals, "cli");
        test_client_iterate(20);
        g_usleep(2000);
    }
    close(out_fd);
    close(err_fd);
    g_spawn_close_pid(pid);
    g_assert_true(WIFEXITED(status));
    *output = g_strconcat(out->str, err->str, NULL);
    return WEXITSTATUS(status);
}

/* What `ajar compact` could have changed: the folder's file names and
 * history/'s bytes (journal.jsonl only grows meanwhile: its bytes then). */
static char *
folder_snapshot(GString **journal)
{
    g_autofree char *dir = ajar_test_dir();
    g_autoptr(GString) snapshot = g_string_new(NULL);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) history = ct_history_files();
    g_autoptr(GDir) folder = g_dir_open(dir, 0, NULL);
    const char *name;

    while (folder != NULL && (name = g_dir_read_name(folder)) != NULL)
        g_ptr_array_add(names, g_strdup(name));
    g_ptr_array_sort(names, ct_compare_names);
    for (guint i = 0; i < names->len; i++)
        g_string_append_printf(snapshot, "%s\n", (char *)g_ptr_array_index(names, i));
    for (guint i = 0; i < history->len; i++) {
        g_autofree char *rel = g_build_filename("history", g_ptr_array_index(history, i), NULL);
        g_autoptr(GString) bytes = ct_read(rel);
        g_string_append_printf(snapshot, "%s %" G_GSIZE_FORMAT "\n%s", rel, bytes->len, bytes->str);
    }
    *journal = ct_read(AJAR_JOURNAL_FILE);
    return g_strdup(snapshot->str);
}

static void
test_cli_at_once(void)
{
    Arrivals arrivals;
    g_autoptr(GPtrArray) held_ids = NULL;
    g_autoptr(GString) original = NULL;
    g_autoptr(GPtrArray) received = NULL;
    g_autofree char *process = g_strdup_printf("process %d)", (int)getpid());
    const char *dir = test_client_user_dir();
    const char *compact[] = { "--dir", dir, "compact", NULL };
    const char *list[] = { "--dir", dir, "list", NULL };
    const char *stats[] = { "--dir", dir, "stats", NULL };
    guint refusals = 0, refusals_unchanged = 0, rounds_after = 0;
    g_autofree char *plugin_stats = NULL;
    g_autofree char *uncompacted_stats = NULL;
    PurplePlugin *plugin;

    reset();
    arrivals_init(&arrivals);
    held_ids = ct_write_journal(10000, 10);
    original = ct_read(AJAR_JOURNAL_FILE);
    plugin = ajar_test_load();
    /* While the plugin's own compaction runs and after it: again and again. */
    while (rounds_after < 3) {
        gboolean done_before = ct_done();
        g_autoptr(GString) journal_before = NULL;
        g_autoptr(GString) journal_after = NULL;
        g_autofree char *before = folder_snapshot(&journal_before);
        g_autofree char *after = NULL;
        g_autofree char *said = NULL;
        g_autofree char *listed = NULL;
        g_autofree char *counted = NULL;

        g_assert_cmpint(cli_while_arriving(&arrivals, compact, &said), ==, 1);
        g_test_message("ajar compact: %s", said);
        /* One line, naming the process that has the journal. */
        g_assert_true(strchr(said, '\n') == said + strlen(said) - 1);
        g_assert_nonnull(strstr(said, process));
        refusals++;
        if (done_before) {
            /* Nothing changed but what the plugin appended meanwhile. */
            after = folder_snapshot(&journal_after);
            g_assert_cmpstr(after, ==, before);
            g_assert_cmpuint(journal_after->len, >, journal_before->len);
            g_assert_true(memcmp(journal_after->str, journal_before->str, journal_before->len) ==
                          0);
            refusals_unchanged++;
            rounds_after++;
        }
        g_assert_cmpint(cli_while_arriving(&arrivals, list, &listed), ==, 0);
        g_assert_cmpint(cli_while_arriving(&arrivals, stats, &counted), ==, 0);
        g_assert_nonnull(strstr(counted, "Sam\n"));
        test_client_iterate(100);
        if (refusals > 200)
            g_error("the plugin's own compaction never ended");
    }
    ajar_test_run_for(200);
    received = test_client_take_received();
    g_test_message("ajar compact refused %u times (%u after the plugin's own compaction, "
                   "changing nothing); %u messages arrived meanwhile",
                   refusals, refusals_unchanged, arrivals.held->len + arrivals.passed->len);
    assert_nothing_lost(original, held_ids, &arrivals, received);
    assert_verify_passes();
    plugin_stats = ct_plugin_stats(plugin);
    uncompacted_stats = ct_stats_uncompacted();
    g_assert_cmpstr(plugin_stats, ==, uncompacted_stats);
    arrivals_clear(&arrivals);
}

/* The messenger starts while `ajar compact` holds the journal's lock (a
 * process named "ajar" holding flock() on journal.jsonl for 0.6 s, as the
 * CLI does while it compacts): Ajar waits for it instead of taking it for a
 * second messenger (which would leave it off, showing Sam's messages, for
 * the whole session). */
static void
test_start_while_cli_compacts(void)
{
    Arrivals arrivals;
    g_autofree char *path = ajar_test_path(AJAR_JOURNAL_FILE);
    g_autoptr(GPtrArray) received = NULL;
    g_autoptr(GPtrArray) notices = NULL;
    int ready[2];
    char byte;
    pid_t child;
    int status;

    reset();
    arrivals_init(&arrivals);
    g_assert_cmpint(pipe(ready), ==, 0);
    child = fork();
    g_assert_cmpint(child, >=, 0);
    if (child == 0) {
        int fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);

        prctl(PR_SET_NAME, "ajar");
        if (fd < 0 || flock(fd, LOCK_EX) != 0 || write(ready[1], "x", 1) != 1)
            _exit(1);
        g_usleep(600 * 1000);
        _exit(0);
    }
    close(ready[1]);
    g_assert_cmpint(read(ready[0], &byte, 1), ==, 1);
    close(ready[0]);
    ajar_test_load();
    /* (It held the lock: it said so after flock(). Its exit status is not
     * looked at: under valgrind it is valgrind's, about the heap it forked.) */
    g_assert_cmpint(waitpid(child, &status, 0), ==, child);
    /* No "already running" box, and Sam's message is held. */
    notices = test_client_take_notices();
    g_assert_cmpuint(notices->len, ==, 0);
    arrive(&arrivals, "after");
    received = test_client_take_received();
    g_assert_cmpuint(received->len, ==, 1);
    g_assert_cmpstr(((TestReceived *)g_ptr_array_index(received, 0))->message, ==,
                    g_ptr_array_index(arrivals.passed, 0));
    g_assert_cmpuint(ajar_test_count_since(0, AJAR_EVENT_HELD), ==, 1);
    arrivals_clear(&arrivals);
    ajar_test_unload();
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    g_test_add_func("/plugin/compaction/while-messages-arrive", test_while_messages_arrive);
    g_test_add_func("/plugin/compaction/unload-finishes", test_unload_finishes);
    g_test_add_func("/plugin/compaction/cli-at-once", test_cli_at_once);
    g_test_add_func("/plugin/compaction/start-while-cli-compacts", test_start_while_cli_compacts);
    status = g_test_run();

    test_client_quit();
    test_client_cleanup();
    return status;
}
