/* bench-plugin-more.c — figures 3 (plugin load on large journals), 5 (the
 * cooling-off queue) and opening pidgin-privacy-please for figure 1, in the
 * same libpurple run as bench-plugin.c. */
#include "bench-plugin-more.h"

#include <string.h>
#include <time.h>

#include "bench-journal.h"

#define SAM_COOLOFF                                                                                \
    "{\"name\": \"Sam\", \"match\": [{\"buddy\": \"" BENCH_SAM "\"}], \"outgoing\": {\"action\": " \
    "\"delay\", \"seconds\": 600, \"confirm\": false}}"

/* Ajar off, no journal, rules.json with @extra after ten others, Ajar on. */
static void
fresh_journal(const char *extra)
{
    g_autofree char *path = ajar_test_path(AJAR_JOURNAL_FILE);

    ajar_test_unload();
    g_remove(path);
    bench_ajar_with_rules(10, extra);
}

/* Nanoseconds one main loop iteration takes when nothing is ready: what
 * every pending timer adds to each turn of the client's main loop. The
 * median of @iterations single turns: a mean over a few milliseconds would
 * be one scheduler tick given to another process. */
static double
idle_iteration_ns(guint iterations)
{
    g_autofree gint64 *ns = g_new0(gint64, iterations);

    for (guint i = 0; i < iterations; i++) {
        gint64 start = bench_now_ns();
        g_main_context_iteration(NULL, FALSE);
        ns[i] = bench_now_ns() - start;
    }
    return bench_spread(ns, iterations).median;
}

/* ---- figure 5: cooling-off queue ---- */

void
bench_figure_outgoing(const BenchOptions *options)
{
    PurpleAccount *account = bench_account();
    g_autofree gint64 *ns = g_new0(gint64, options->queued);
    g_autofree char *note = NULL;
    g_autofree char *idle_note = NULL;
    g_autofree char *memory_note = NULL;
    g_autoptr(AjarState) state = NULL;
    PurpleConversation *conv;
    BenchSpread spread;
    BenchRow send = BENCH_ROW_INIT, idle = BENCH_ROW_INIT, memory = BENCH_ROW_INIT;
    gint64 heap_before, heap_after, heap_without_history, start;
    double idle_before, idle_after;
    guint iterations = options->instructions ? 100 : 2000;

    fresh_journal(SAM_COOLOFF);
    conv = test_client_open_im(account, BENCH_SAM);
    bench_settle();
    idle_before = idle_iteration_ns(iterations);
    heap_before = bench_heap_bytes();

    if (options->instructions)
        bench_count_start();
    start = bench_now_ns();
    for (guint i = 0; i < options->queued; i++) {
        gint64 one = bench_now_ns();
        test_client_send(account, BENCH_SAM, "I miss you. Can we talk, just once?");
        ns[i] = bench_now_ns() - one;
    }
    send.seconds = (double)(bench_now_ns() - start) / 1e9;
    if (options->instructions)
        bench_count_stop("5.queue", options->queued);

    /* Queued, not sent: nothing reached the network, each one is in the
     * journal waiting. */
    {
        g_autoptr(GPtrArray) sent = test_client_take_sent();
        g_assert_cmpuint(sent->len, ==, 0);
    }
    state = ajar_test_read_state();
    g_assert_cmpuint(ajar_state_count_in_state(state, AJAR_EVENT_QUEUED), ==, options->queued);
    ajar_test_drain();
    heap_after = bench_heap_bytes();
    /* libpurple keeps every line a conversation showed ("Ajar: this will be
     * sent in 10 min..."): that part is the conversation's, not Ajar's. */
    purple_conversation_clear_message_history(conv);
    heap_without_history = bench_heap_bytes();
    idle_after = idle_iteration_ns(iterations);

    spread = bench_spread(ns, options->queued);
    send.figure = "5";
    send.key = "5.queue";
    send.name = "cooling-off: send one more (queued, timer armed)";
    send.n = options->queued;
    send.ns_per_op = send.seconds * 1e9 / options->queued;
    send.max_us = spread.max / 1e3;
    note = g_strdup_printf("whole purple_conv_im_send(); per call median %.1f us, p99 %.1f us",
                           spread.median / 1e3, spread.p99 / 1e3);
    send.note = note;
    bench_report_add(&send);

    idle.figure = "5";
    idle.key = "5.idle";
    idle.name = "main loop turn with every message pending";
    idle.n = iterations;
    idle.ns_per_op = idle_after;
    idle.ratio = idle_after / idle_before;
    idle_note = g_strdup_printf("g_main_context_iteration() with nothing ready, median of single "
                                "turns: %.0f ns before the %u messages were queued (ratio against "
                                "that)",
                                idle_before, options->queued);
    idle.note = idle_note;
    bench_report_add(&idle);

    memory.figure = "5";
    memory.key = "5.memory";
    memory.name = "memory for the pending messages (heap growth)";
    memory.n = options->queued;
    memory.bytes = heap_without_history - heap_before;
    memory.bytes2 = heap_after - heap_before;
    memory.ns_per_op = 0;
    memory_note = g_strdup_printf(
        "malloc'd bytes (mallinfo2): %.0f a message; %.1f MiB with the conversation's own line "
        "history, which libpurple keeps",
        (double)memory.bytes / options->queued, memory.bytes2 / 1048576.0);
    memory.note = memory_note;
    bench_report_add(&memory);

    ajar_test_unload();
    bench_settle();
}

/* ---- figure 3: loading the plugin on a large journal ---- */

#define LOADING_TEXT "Ajar is still reading its journal; try again in a moment."

/* Whether Ajar has taken its journal in: /ajar status says so (while it
 * reads, that answer costs microseconds). */
static gboolean
ajar_loaded(void)
{
    g_autoptr(GPtrArray) lines = NULL;
    const char *last;

    test_client_command(bench_account(), BENCH_SAM, "ajar status");
    lines = test_client_take_lines();
    last = lines->len > 0 ? ((TestLine *)g_ptr_array_index(lines, lines->len - 1))->message : "";
    return g_strcmp0(last, LOADING_TEXT) != 0;
}

/* This thread's CPU time: a turn the scheduler cut short to run another
 * process (other builds on 2 cores) is wall time, not Ajar's. */
static gint64
main_cpu_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (gint64)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Keeps the main loop from sleeping longer than a millisecond, so that a
 * turn of it lasts as long as what it dispatched. */
static gboolean
tick_cb(gpointer data)
{
    return G_SOURCE_CONTINUE;
}

void
bench_figure_load(const BenchOptions *options)
{
    g_autofree char *journal = ajar_test_path(AJAR_JOURNAL_FILE);
    double first_per_event = 0;

    for (guint scale = 4; scale <= options->max_scale; scale++) {
        guint64 events = 1;
        g_autofree char *key = g_strdup_printf("3.load%u", scale);
        g_autofree char *block_key = g_strdup_printf("3.loadblock%u", scale);
        g_autofree char *name = g_strdup_printf("load ajar.so on a journal of 10^%u events", scale);
        g_autofree char *block_name =
            g_strdup_printf("longest main-loop block, loading on 10^%u events", scale);
        g_autofree char *note = NULL;
        g_autofree char *block_note = NULL;
        BenchRow row = BENCH_ROW_INIT;
        gint64 size, start, load_ns, longest_ns = 0, total_ns = 0, cpu, load_cpu_ns,
                                     longest_cpu_ns = 0;
        guint turns = 0, tick;

        for (guint i = 0; i < scale; i++)
            events *= 10;
        ajar_test_unload();
        bench_write_rules(10, NULL);
        size = bench_journal_generate(journal, events);
        g_assert_cmpint(size, >, 0);
        bench_settle();

        if (options->instructions)
            bench_count_start();
        tick = g_timeout_add(1, tick_cb, NULL);
        cpu = main_cpu_ns();
        start = bench_now_ns();
        ajar_test_load();
        load_ns = bench_now_ns() - start;
        load_cpu_ns = main_cpu_ns() - cpu;
        /* Every turn of the main loop until Ajar has its journal, and for
         * a second more (what it does with it then goes a slice a turn):
         * the longest is how long the messenger stood still. */
        for (gint64 after = G_MAXINT64; bench_now_ns() < after;) {
            gint64 turn = bench_now_ns();

            cpu = main_cpu_ns();
            g_main_context_iteration(NULL, TRUE);
            longest_ns = MAX(longest_ns, bench_now_ns() - turn);
            longest_cpu_ns = MAX(longest_cpu_ns, main_cpu_ns() - cpu);
            turns++;
            if (after == G_MAXINT64 && ajar_loaded()) {
                total_ns = bench_now_ns() - start;
                after = bench_now_ns() + G_GINT64_CONSTANT(1000000000);
            }
        }
        g_source_remove(tick);
        if (options->instructions)
            bench_count_stop(key, events);
        /* It opened the journal: no "could not open" notice. */
        {
            g_autoptr(GPtrArray) notices = test_client_take_notices();
            g_assert_cmpuint(notices->len, ==, 0);
        }
        row.figure = "3";
        row.key = key;
        row.name = name;
        row.n = events;
        row.seconds = (double)total_ns / 1e9;
        row.ns_per_op = (double)total_ns / (double)events;
        if (scale == 4)
            first_per_event = row.ns_per_op;
        /* Linear growth: the time per event stays the same. */
        row.ratio = row.ns_per_op / first_per_event;
        row.bytes2 = size;
        note = g_strdup_printf("until Ajar has its journal (purple_plugin_load() and the main "
                               "loop meanwhile); journal %.1f MiB; ratio: time per event against "
                               "10^4",
                               size / 1048576.0);
        row.note = note;
        bench_report_add(&row);

        row = (BenchRow)BENCH_ROW_INIT;
        row.figure = "3";
        row.key = block_key;
        row.name = block_name;
        row.n = turns + 1;
        row.max_us = (double)MAX(load_ns, longest_ns) / 1e3;
        row.ns_per_op = row.max_us * 1e3;
        row.seconds = (double)load_ns / 1e9;
        row.bytes2 = size;
        block_note = g_strdup_printf(
            "wall: the longest of purple_plugin_load() (%.1f ms) and each of %u main-loop turns "
            "until loaded and 1 s more (longest %.1f ms; a 1 ms timeout keeps turns short); "
            "main thread CPU: load %.1f ms, longest turn %.1f ms; loaded after %.0f ms",
            load_ns / 1e6, turns, longest_ns / 1e6, load_cpu_ns / 1e6, longest_cpu_ns / 1e6,
            total_ns / 1e6);
        row.note = block_note;
        bench_report_add(&row);
        ajar_test_unload();
        bench_settle();
        g_remove(journal);
    }
}

/* ---- pidgin-privacy-please ---- */

PurplePlugin *
bench_privacy_please(void)
{
    static const char *const paths[] = {
        "/usr/lib/x86_64-linux-gnu/pidgin/libpidgin_pp.so",
        "/usr/lib/pidgin/libpidgin_pp.so",
    };
    BenchRow row = BENCH_ROW_INIT;
    g_autofree char *note = NULL;
    const char *path = NULL;
    PurplePlugin *plugin = NULL;

    for (guint i = 0; i < G_N_ELEMENTS(paths) && path == NULL; i++) {
        if (g_file_test(paths[i], G_FILE_TEST_EXISTS))
            path = paths[i];
    }
    if (path == NULL) {
        note = g_strdup("not measured: libpidgin_pp.so (Debian pidgin-privacy-please) is not "
                        "installed");
    } else {
        /* It requires Pidgin's UI id ("gtk-gaim", which the bench gives
         * libpurple: bench-plugin.c's main()) and four functions of the
         * pidgin program (bench-pidgin-stubs.c). */
        plugin = purple_plugin_probe(path);
        if (plugin == NULL)
            note = g_strdup_printf("not measured: purple_plugin_probe(\"%s\") returned NULL "
                                   "(libpurple could not dlopen it)",
                                   path);
        else if (plugin->error != NULL || !purple_plugin_load(plugin))
            note = g_strdup_printf("not measured: libpurple will not load it headless: %s",
                                   plugin->error != NULL ? plugin->error : "load failed");
        else if (!purple_plugin_unload(plugin))
            note = g_strdup_printf("not measured: %s loaded but would not unload", path);
        else
            return plugin;
    }
    row.figure = "1";
    row.key = "1.e";
    row.name = "pass-through, pidgin-privacy-please";
    row.note = note;
    bench_report_add(&row);
    return NULL;
}
