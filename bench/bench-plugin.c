/* bench-plugin.c — Ajar inside libpurple, side by side with the
 * alternatives, in one run:
 *   1  pass-through: incoming IMs from a contact no rule names, with no
 *      plugin, Ajar with 10 and 10,000 rules, the Purple Plugin Pack's
 *      ignore plugin with 10 and 10,000 entries, and pidgin-privacy-please
 *      (batches interleaved, so the machine's load falls on all of them
 *      alike);
 *   2  held messages: what each one costs, and the longest call;
 *   3, 5 and opening pidgin-privacy-please: bench-plugin-more.c.
 * Usage: ajar-bench-plugin [--json FILE] [--instructions] [--messages N] ...
 * ($AJAR_PLUGIN names the built ajar.so; bench/run sets it.) */
#include "bench-plugin-common.h"
#include "bench-plugin-more.h"

#include <string.h>
#include <time.h>

#include <debug.h>
#include <prefs.h>
#include <signals.h>

#define PROBE_BEFORE (PURPLE_SIGNAL_PRIORITY_DEFAULT + 99) /* Ajar listens at +100 */
#define PROBE_AFTER (PURPLE_SIGNAL_PRIORITY_DEFAULT + 101)

static int probe_handle;
static gint64 probe_start;
static gint64 probe_elapsed; /* last message: from the probe before Ajar to the one after */
static gboolean probe_cpu;   /* measure thread CPU time instead of wall time */

static gint64
thread_cpu_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (gint64)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Time this thread ran, with probe_cpu: a tick the scheduler gave another
 * process (4 ms here) is not the handler's. A system call, so only in a
 * batch of its own, never in one whose total is compared. */
static gint64
probe_now(void)
{
    return probe_cpu ? thread_cpu_ns() : bench_now_ns();
}

static gboolean
probe_before_cb(PurpleAccount *account, char **sender, char **message, PurpleConversation *conv,
                PurpleMessageFlags *flags, gpointer data)
{
    probe_start = probe_now();
    return FALSE;
}

static gboolean
probe_after_cb(PurpleAccount *account, char **sender, char **message, PurpleConversation *conv,
               PurpleMessageFlags *flags, gpointer data)
{
    probe_elapsed = probe_now() - probe_start;
    return FALSE;
}

static void
connect_probes(void)
{
    void *conversations = purple_conversations_get_handle();

    purple_signal_connect_priority(conversations, "receiving-im-msg", &probe_handle,
                                   PURPLE_CALLBACK(probe_before_cb), NULL, PROBE_BEFORE);
    purple_signal_connect_priority(conversations, "receiving-im-msg", &probe_handle,
                                   PURPLE_CALLBACK(probe_after_cb), NULL, PROBE_AFTER);
}

/* ---- figure 1: pass-through ---- */

typedef enum {
    VARIANT_NONE,
    VARIANT_AJAR_10,
    VARIANT_AJAR_10000,
    VARIANT_IGNORE_10,
    VARIANT_IGNORE_10000,
    VARIANT_PRIVACY,
    N_VARIANTS,
} Variant;

static const struct {
    const char *key, *name;
} variants[N_VARIANTS] = {
    { "1.a", "pass-through, no plugin" },
    { "1.b", "pass-through, Ajar, 10 rules" },
    { "1.c", "pass-through, Ajar, 10,000 rules" },
    { "1.d10", "pass-through, plugin pack ignore, 10 entries" },
    { "1.d10000", "pass-through, plugin pack ignore, 10,000 entries" },
    { "1.e", "pass-through, pidgin-privacy-please" },
};

/* The other plugins, NULL when not there (a row says why). */
static PurplePlugin *ignore_plugin;
static PurplePlugin *privacy_plugin;

static PurplePlugin *
find_ignore_plugin(void)
{
    for (GList *l = purple_plugins_get_all(); l != NULL; l = l->next) {
        PurplePlugin *plugin = l->data;
        if (plugin->path != NULL && g_str_has_suffix(plugin->path, "/ignore.so") &&
            plugin->info != NULL && g_str_has_suffix(plugin->info->id, "ignore"))
            return plugin;
    }
    return NULL;
}

/* What the ignore plugin's own "/ignore +NAME" writes, for persons
 * [@from, @to): a string preference per person under the account's path
 * (lower-cased), and the list of them. */
static void
ignore_add_entries(guint from, guint to)
{
    g_autofree char *protocol_path = g_strdup("/plugins/ignore/" TEST_PRPL_ID);
    g_autofree char *account_path = g_strdup("/plugins/ignore/" TEST_PRPL_ID "/" BENCH_ME);
    GList *list = purple_prefs_get_string_list("/plugins/ignore/rules");

    if (!purple_prefs_exists(protocol_path))
        purple_prefs_add_none(protocol_path);
    if (!purple_prefs_exists(account_path))
        purple_prefs_add_none(account_path);
    for (guint i = from; i < to; i++) {
        g_autofree char *path = g_strdup_printf("%s/person%u@example.org", account_path, i);
        char *key = g_ascii_strdown(path, -1);

        purple_prefs_add_string(key, "all");
        list = g_list_prepend(list, key);
    }
    purple_prefs_set_string_list("/plugins/ignore/rules", list);
    g_list_free_full(list, g_free);
}

static void
set_plugin_loaded(PurplePlugin *plugin, gboolean loaded)
{
    if (plugin == NULL || purple_plugin_is_loaded(plugin) == loaded)
        return;
    if (loaded)
        g_assert_true(purple_plugin_load(plugin));
    else
        g_assert_true(purple_plugin_unload(plugin));
}

static Variant current = N_VARIANTS;

static double pass_batch(PurpleAccount *account, guint count, gint64 *handler,
                         const char *count_key);

static void
use_variant(Variant variant)
{
    if (variant == current)
        return;
    set_plugin_loaded(ignore_plugin, FALSE);
    set_plugin_loaded(privacy_plugin, FALSE);
    ajar_test_unload();
    if (variant == VARIANT_AJAR_10)
        bench_ajar_with_rules(10, NULL);
    else if (variant == VARIANT_AJAR_10000)
        bench_ajar_with_rules(10000, NULL);
    else if (variant == VARIANT_IGNORE_10 || variant == VARIANT_IGNORE_10000)
        set_plugin_loaded(ignore_plugin, TRUE);
    else if (variant == VARIANT_PRIVACY)
        set_plugin_loaded(privacy_plugin, TRUE);
    current = variant;
    bench_settle();
    /* Unloading a plugin frees much at once; malloc tidies up (consolidates)
     * on the next allocations. A few messages first, unmeasured, so that is
     * not counted against whichever variant comes next. */
    pass_batch(bench_account(), 200, NULL, NULL);
}

/* @count messages from the stranger; returns nanoseconds per message.
 * @handler (nullable) gets each message's time between the probes around
 * Ajar's priority. */
static double
pass_batch(PurpleAccount *account, guint count, gint64 *handler, const char *count_key)
{
    time_t mtime = time(NULL);
    gint64 start;
    double per_message;

    if (count_key != NULL)
        bench_count_start();
    start = bench_now_ns();
    for (guint i = 0; i < count; i++) {
        test_client_receive(account, BENCH_STRANGER, BENCH_TEXT, 0, mtime);
        if (handler != NULL)
            handler[i] = probe_elapsed;
    }
    per_message = (double)(bench_now_ns() - start) / count;
    if (count_key != NULL)
        bench_count_stop(count_key, count);
    /* Every one of them was shown: nothing let through is a figure of nothing. */
    {
        g_autoptr(GPtrArray) lines = test_client_take_lines();
        g_assert_cmpuint(lines->len, ==, count);
    }
    bench_settle();
    return per_message;
}

static void
add_pass_row(Variant variant, guint messages, double *per_round, double *ratios, guint rounds,
             gint64 *handler, guint handled, const BenchSpread *cpu, const char *note)
{
    BenchRow row = BENCH_ROW_INIT;
    double total = 0;
    g_autofree char *full_note = NULL;
    BenchSpread spread = bench_spread(handler, handled);

    for (guint r = 0; r < rounds; r++)
        total += per_round[r] * (messages / rounds);
    row.figure = "1";
    row.key = variants[variant].key;
    row.name = variants[variant].name;
    row.n = messages;
    row.ns_per_op = bench_median(per_round, rounds);
    row.ratio = ratios != NULL ? bench_median(ratios, rounds) : 1.0;
    row.seconds = total / 1e9;
    row.max_us = cpu->max / 1e3;
    full_note = g_strdup_printf(
        "%s%sbetween the probes around Ajar's priority: wall median %.0f ns, p99 %.0f ns, max "
        "%.1f us; thread CPU (own batch) median %.0f ns, p99 %.0f ns, max %.1f us (max us column)",
        note != NULL ? note : "", note != NULL ? "; " : "", spread.median, spread.p99,
        spread.max / 1e3, cpu->median, cpu->p99, cpu->max / 1e3);
    row.note = full_note;
    bench_report_add(&row);
}

/* Runs @count variants interleaved, @rounds batches each; rows relative to
 * the first (which must be VARIANT_NONE). */
static void
pass_rounds(const Variant *list, guint count, const BenchOptions *options, const char *note)
{
    PurpleAccount *account = bench_account();
    guint rounds = options->rounds, batch = options->messages / rounds;
    g_autofree double *per_round = g_new0(double, (gsize)count *rounds);
    g_autofree double *ratios = g_new0(double, (gsize)count *rounds);
    g_autofree gint64 *handler = g_new0(gint64, (gsize)count * options->messages);

    for (guint r = 0; r < rounds; r++) {
        for (guint v = 0; v < count; v++) {
            use_variant(list[v]);
            per_round[v * rounds + r] =
                pass_batch(account, batch, handler + (gsize)v * options->messages + r * batch,
                           options->instructions ? variants[list[v]].key : NULL);
            ratios[v * rounds + r] = per_round[v * rounds + r] / per_round[r];
        }
    }
    for (guint v = 0; v < count; v++) {
        /* The longest handler call, in CPU time, from a batch of its own. */
        g_autofree gint64 *cpu = g_new0(gint64, batch);
        BenchSpread cpu_spread;

        if (!options->instructions) {
            use_variant(list[v]);
            probe_cpu = TRUE;
            pass_batch(account, batch, cpu, NULL);
            probe_cpu = FALSE;
        }
        cpu_spread = bench_spread(cpu, batch);
        add_pass_row(list[v], batch * rounds, per_round + v * rounds,
                     v == 0 ? NULL : ratios + v * rounds, rounds,
                     handler + (gsize)v * options->messages, batch * rounds, &cpu_spread,
                     list[v] == VARIANT_NONE ? note : NULL);
    }
}

static void
figure_pass_through(const BenchOptions *options)
{
    Variant first[6] = { VARIANT_NONE, VARIANT_AJAR_10, VARIANT_AJAR_10000 };
    Variant second[] = { VARIANT_NONE, VARIANT_IGNORE_10000 };
    guint count = 3;
    g_autofree char *note = NULL;

    ignore_plugin = find_ignore_plugin();
    privacy_plugin = bench_privacy_please();
    if (ignore_plugin == NULL) {
        BenchRow row = BENCH_ROW_INIT;
        row.figure = "1";
        row.key = "1.d";
        row.name = "pass-through, plugin pack ignore";
        row.note = "not measured: ignore.so (Debian pidgin-plugin-pack) is not installed";
        bench_report_add(&row);
    } else {
        ignore_add_entries(0, 10);
        first[count++] = VARIANT_IGNORE_10;
    }
    if (privacy_plugin != NULL)
        first[count++] = VARIANT_PRIVACY;
    connect_probes();
    /* A warm-up batch: the conversation window opens, caches fill. */
    use_variant(VARIANT_NONE);
    pass_batch(bench_account(), MIN(options->messages / 10, 1000), NULL, NULL);

    note = g_strdup_printf("rounds with 1.b, 1.c%s%s interleaved",
                           ignore_plugin != NULL ? ", 1.d10" : "",
                           privacy_plugin != NULL ? ", 1.e" : "");
    pass_rounds(first, count, options, note);
    if (ignore_plugin != NULL) {
        use_variant(VARIANT_NONE);
        ignore_add_entries(10, 10000);
        pass_rounds(second, 2, options, "again, rounds with 1.d10000 interleaved");
    }
    use_variant(VARIANT_NONE);
    purple_signals_disconnect_by_handle(&probe_handle);
}

/* ---- figure 2: held messages ---- */

static void
held_row(const char *key, const char *name, guint count, gint64 *ns, gint64 *cpu, double seconds,
         const char *note)
{
    BenchRow row = BENCH_ROW_INIT;
    BenchSpread spread = bench_spread(ns, count);
    BenchSpread cpu_spread = bench_spread(cpu, count);
    g_autofree char *full_note = g_strdup_printf(
        "%s; per call wall median %.1f us, p99 %.1f us, max %.1f us; thread CPU median %.1f us, "
        "p99 %.1f us, max %.1f us (max us column)",
        note, spread.median / 1e3, spread.p99 / 1e3, spread.max / 1e3, cpu_spread.median / 1e3,
        cpu_spread.p99 / 1e3, cpu_spread.max / 1e3);

    row.figure = "2";
    row.key = key;
    row.name = name;
    row.n = count;
    row.seconds = seconds;
    row.ns_per_op = seconds * 1e9 / count;
    row.max_us = cpu_spread.max / 1e3;
    row.note = full_note;
    bench_report_add(&row);
}

/* Ajar off, no journal, Ajar on: a figure's own journal. */
static void
fresh_journal(guint rules, const char *extra)
{
    g_autofree char *path = ajar_test_path(AJAR_JOURNAL_FILE);

    ajar_test_unload();
    g_remove(path);
    bench_ajar_with_rules(rules, extra);
}

static void
held_run(const BenchOptions *options, const char *notify, const char *key, const char *name)
{
    PurpleAccount *account = bench_account();
    g_autofree gint64 *ns = g_new0(gint64, options->held);
    g_autofree gint64 *cpu = g_new0(gint64, options->held);
    const char *rule = "{\"name\": \"Sam\", \"match\": [{\"buddy\": \"" BENCH_SAM
                       "\"}], \"incoming\": {\"action\": \"hold\"}}";
    g_autoptr(AjarState) state = NULL;
    const AjarRuleCounters *counters;
    time_t mtime = time(NULL);
    gint64 start;
    double seconds;

    fresh_journal(10, rule);
    if (strcmp(notify, "count") != 0) {
        /* The same rules with a settings object after the rules array. */
        g_autofree char *text = ajar_test_read_rules();
        g_autofree char *with_notify = NULL;
        char *end = strrchr(text, '}');
        g_assert_nonnull(end);
        *end = '\0';
        with_notify = g_strdup_printf("%s, \"settings\": {\"notify\": \"%s\"}}\n", text, notify);
        ajar_test_reload_with_rules(with_notify);
    }

    if (options->instructions)
        bench_count_start();
    start = bench_now_ns();
    for (guint i = 0; i < options->held; i++) {
        gint64 one = bench_now_ns(), one_cpu = thread_cpu_ns();
        test_client_receive(account, BENCH_SAM, BENCH_TEXT, 0, mtime);
        cpu[i] = thread_cpu_ns() - one_cpu;
        ns[i] = bench_now_ns() - one;
    }
    seconds = (double)(bench_now_ns() - start) / 1e9;
    if (options->instructions)
        bench_count_stop(key, options->held);
    /* They were held: nothing shown, every one in the journal. */
    {
        g_autoptr(GPtrArray) lines = test_client_take_lines();
        g_autoptr(GPtrArray) received = test_client_take_received();
        g_assert_cmpuint(lines->len, ==, 0);
        g_assert_cmpuint(received->len, ==, 0);
    }
    state = ajar_test_read_state();
    counters = ajar_state_get_counters(state, "Sam");
    g_assert_nonnull(counters);
    g_assert_cmpuint(counters->held, ==, options->held);
    held_row(key, name, options->held, ns, cpu, seconds,
             "whole serv_got_im() call; Ajar ends it, so this bounds how long its handler kept "
             "the main loop");
    bench_settle();
}

static void
figure_held(const BenchOptions *options)
{
    held_run(options, "count", "2.held-count",
             "held message, Ajar (batched fdatasync), notify count");
    held_run(options, "message", "2.held-message",
             "held message, Ajar (batched fdatasync), notify message");
    ajar_test_unload();
}

/* ---- main ---- */

static gboolean
wanted(const char *figures, char figure)
{
    return figures == NULL || strchr(figures, figure) != NULL;
}

int
main(int argc, char **argv)
{
    BenchOptions options = {
        .messages = 100000, .rounds = 5, .held = 10000, .queued = 10000, .max_scale = 6
    };
    g_autofree char *json_path = NULL;
    g_autofree char *figures = NULL;
    gint messages = -1, held = -1, queued = -1, rounds = -1, max_scale = -1;
    GOptionEntry entries[] = {
        { "json", 0, 0, G_OPTION_ARG_FILENAME, &json_path, "Also write the rows as JSON Lines",
          "FILE" },
        { "instructions", 0, 0, G_OPTION_ARG_NONE, &options.instructions,
          "Small counts, for a run under callgrind", NULL },
        { "messages", 0, 0, G_OPTION_ARG_INT, &messages, "Figure 1: messages per variant", "N" },
        { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Figure 1: interleaved batches", "N" },
        { "held", 0, 0, G_OPTION_ARG_INT, &held, "Figure 2: held messages", "N" },
        { "queued", 0, 0, G_OPTION_ARG_INT, &queued, "Figure 5: queued messages", "N" },
        { "max-scale", 0, 0, G_OPTION_ARG_INT, &max_scale, "Figure 3: largest journal 10^N", "N" },
        { "figures", 0, 0, G_OPTION_ARG_STRING, &figures,
          "Only these figures, e.g. 1,2 (default: 1,2,3,5)", "LIST" },
        { NULL },
    };
    g_autoptr(GOptionContext) context = g_option_context_new(NULL);
    g_autoptr(GError) error = NULL;
    gboolean ok;

    /* Pidgin's UI id: Ajar behaves as in Pidgin (it only tells Finch
     * apart), and pidgin-privacy-please, which requires it, loads. */
    g_setenv("AJAR_TEST_UI", "pidgin", FALSE);
    test_client_prepare();
    g_option_context_add_main_entries(context, entries, NULL);
    if (!g_option_context_parse(context, &argc, &argv, &error) || argc != 1) {
        g_printerr("ajar-bench-plugin: %s\n",
                   error != NULL ? error->message : "unexpected argument");
        test_client_cleanup();
        return 2;
    }
    if (options.instructions) {
        /* Interleaved even here: a hash table or array of libpurple's
         * that happens to grow in one batch is not the plugin's cost. */
        options.messages = 2500;
        options.rounds = 5;
        options.held = 500;
        options.queued = 500;
        options.max_scale = 4;
    }
    if (messages > 0)
        options.messages = (guint)messages;
    if (rounds > 0)
        options.rounds = (guint)rounds;
    if (held > 0)
        options.held = (guint)held;
    if (queued > 0)
        options.queued = (guint)queued;
    if (max_scale >= 4)
        options.max_scale = (guint)MIN(max_scale, 7);
    if (options.messages < options.rounds)
        options.messages = options.rounds;

    test_client_start();
    /* History logging off: it writes a file per message, which would bury
     * the plugins' cost in disk writes (the ratios would look better). */
    purple_prefs_set_bool("/purple/logging/log_ims", FALSE);
    bench_account();
    ajar_test_plugin();

    if (wanted(figures, '1'))
        figure_pass_through(&options);
    if (wanted(figures, '2'))
        figure_held(&options);
    if (wanted(figures, '5'))
        bench_figure_outgoing(&options);
    if (wanted(figures, '3'))
        bench_figure_load(&options);

    test_client_quit();
    test_client_cleanup();
    ok = bench_report_finish(json_path);
    return ok ? 0 : 1;
}
