/* bench-core.c — the core's figures, without libpurple:
 *   2  a held message's journal append with each flush policy;
 *   3  journal replay time and peak memory for 10^4, 10^5, 10^6 events
 *      (each replay in a fresh process of this program, so peaks are its own),
 *      and beside each the same lines only parsed by json-glib's JsonParser
 *      (what replaying with json-glib would cost at the least);
 *   4  ajar_rules_decide() per call for 1, 100 and 10,000 rules;
 *   6  compacting a 10^6-event journal with 1 % still in custody: the time,
 *      and the journal's size before and after.
 * Usage: ajar-bench-core [--json FILE] [--dir DIR] [--instructions] [--max-scale N]
 *        ajar-bench-core replay DIR     (one replay; prints "ns peak_growth rss_growth events")
 *        ajar-bench-core generate FILE EVENTS   (writes a journal, for profiling by hand)
 *        ajar-bench-core generate-custody FILE EVENTS PERCENT   (figure 6's journal)
 * --instructions: small counts for a run under callgrind (bench/run does it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "ajar/ajar-compact.h"
#include "ajar/ajar-journal.h"
#include "ajar/ajar-rules.h"
#include "bench-journal.h"
#include "bench-report.h"

static gboolean instructions_mode;
static gboolean keep_journals; /* leave the generated journals in --dir, and reuse them */

/* ---- figure 4: rules ---- */

static char *
rules_json(guint count)
{
    GString *json = g_string_new("{\"version\": 1, \"rules\": [\n");

    for (guint i = 0; i < count; i++)
        g_string_append_printf(json,
                               "%s{\"name\": \"Person %u\", \"match\": [{\"account\": "
                               "\"me@example.org\", \"protocol\": \"prpl-jabber\", \"buddy\": "
                               "\"person%u@example.org\"}], \"incoming\": {\"action\": \"hold\"}, "
                               "\"pass_keywords\": [\"emergency\", \"hospital\"]}\n",
                               i == 0 ? "" : ",", i, i);
    g_string_append(json, "]}\n");
    return g_string_free(json, FALSE);
}

static double
time_decide(const AjarRuleSet *rules, const AjarFacts *facts, GDateTime *now, guint calls,
            const char *key)
{
    AjarDecision decision;
    double rounds[5];
    gint64 start;

    for (guint r = 0; r < G_N_ELEMENTS(rounds); r++) {
        if (instructions_mode && r > 0) {
            rounds[r] = rounds[0];
            continue;
        }
        if (instructions_mode)
            bench_count_start();
        start = bench_now_ns();
        for (guint i = 0; i < calls; i++)
            ajar_rules_decide(rules, facts, now, &decision);
        rounds[r] = (double)(bench_now_ns() - start) / calls;
        if (instructions_mode)
            bench_count_stop(key, calls);
    }
    return bench_median(rounds, G_N_ELEMENTS(rounds));
}

/* Times ajar_rules_decide() on @facts and adds figure 4's row @key, @name;
 * its ratio is to *@base, which the @first row of its kind sets. */
static void
add_decide_row(const AjarRuleSet *rules, const AjarFacts *facts, GDateTime *now, guint calls,
               const char *key, const char *name, gboolean first, double *base)
{
    BenchRow row = BENCH_ROW_INIT;

    row.figure = "4";
    row.key = key;
    row.name = name;
    row.n = calls;
    row.ns_per_op = time_decide(rules, facts, now, calls, key);
    if (first)
        *base = row.ns_per_op;
    row.ratio = row.ns_per_op / *base;
    bench_report_add(&row);
}

static void
figure_rules(void)
{
    static const guint counts[] = { 1, 100, 10000 };
    g_autoptr(GDateTime) now = g_date_time_new_now_local();
    guint calls = instructions_mode ? 2000 : 50000;
    double base_hit = 0, base_miss = 0;

    for (guint c = 0; c < G_N_ELEMENTS(counts); c++) {
        g_autofree char *json = rules_json(counts[c]);
        g_autofree char *hit_buddy = g_strdup_printf("Person%u@Example.org/phone", counts[c] - 1);
        g_autoptr(GError) error = NULL;
        g_autoptr(AjarRuleSet) rules = ajar_rules_parse(json, -1, "rules.json", NULL, NULL, &error);
        AjarFacts facts = { 0 };
        g_autofree char *hit_key = g_strdup_printf("4.hit%u", counts[c]);
        g_autofree char *miss_key = g_strdup_printf("4.miss%u", counts[c]);
        g_autofree char *hit_name =
            g_strdup_printf("decide, %u rules, held contact (last rule)", counts[c]);
        g_autofree char *miss_name =
            g_strdup_printf("decide, %u rules, contact with no rule", counts[c]);

        if (rules == NULL)
            g_error("rules: %s", error->message);
        facts.direction = AJAR_DIRECTION_IN;
        facts.account = "me@example.org/Home";
        facts.protocol = "prpl-jabber";
        facts.text = "are you awake? I keep thinking about us";

        facts.buddy = hit_buddy;
        add_decide_row(rules, &facts, now, calls, hit_key, hit_name, c == 0, &base_hit);
        facts.buddy = "stranger@example.org";
        add_decide_row(rules, &facts, now, calls, miss_key, miss_name, c == 0, &base_miss);
    }
}

/* ---- figure 2 (core part): appending a held message ---- */

static void
figure_append(const char *work_dir)
{
    static const struct {
        AjarFlushPolicy policy;
        const char *key, *name;
    } policies[] = {
        { AJAR_FLUSH_BATCHED, "2.core-batched", "journal append, held message, batched fdatasync" },
        { AJAR_FLUSH_EVERY_EVENT, "2.core-every",
          "journal append, held message, fdatasync every event" },
    };
    /* Every-event fdatasync costs a disk flush each: 2,000 of them are
     * plenty for a median and a maximum (and take seconds, not a minute). */
    guint count = instructions_mode ? 500 : 2000;
    double batched_ns = 0;

    for (guint p = 0; p < G_N_ELEMENTS(policies); p++) {
        g_autofree char *dir = g_build_filename(work_dir, policies[p].key, NULL);
        g_autofree char *path = g_build_filename(dir, AJAR_JOURNAL_FILE, NULL);
        g_autoptr(GError) error = NULL;
        AjarJournal *journal;
        BenchRow row = BENCH_ROW_INIT;
        gint64 start, longest = 0;

        g_remove(path);
        journal = ajar_journal_open(dir, policies[p].policy, &error);
        if (journal == NULL)
            g_error("%s", error->message);
        if (instructions_mode)
            bench_count_start();
        start = bench_now_ns();
        for (guint i = 0; i < count; i++) {
            g_autoptr(AjarEvent) event = ajar_event_new(AJAR_EVENT_HELD);
            gint64 one = bench_now_ns();

            event->ts = g_get_real_time();
            event->has_dir = TRUE;
            event->dir = AJAR_DIRECTION_IN;
            event->account = g_strdup("me@example.org/Home");
            event->protocol = g_strdup("prpl-jabber");
            event->buddy = g_strdup("sam@example.org");
            event->rule = g_strdup("Sam");
            event->time = event->ts - event->ts % G_USEC_PER_SEC;
            event->text = g_strdup("are you awake? I keep thinking about <i>us</i>");
            event->text_len = strlen(event->text);
            if (!ajar_journal_append(journal, event, &error))
                g_error("%s", error->message);
            longest = MAX(longest, bench_now_ns() - one);
        }
        row.seconds = (double)(bench_now_ns() - start) / 1e9;
        if (instructions_mode)
            bench_count_stop(policies[p].key, count);
        ajar_journal_close(journal);
        g_remove(path);
        g_rmdir(dir);

        row.figure = "2";
        row.key = policies[p].key;
        row.name = policies[p].name;
        row.n = count;
        row.ns_per_op = row.seconds * 1e9 / count;
        row.max_us = longest / 1e3;
        if (p == 0)
            batched_ns = row.ns_per_op;
        row.ratio = row.ns_per_op / batched_ns;
        bench_report_add(&row);
    }
}

/* ---- figure 3: replay ---- */

typedef struct {
    double ns;
    double cpu_ns; /* user + system time of the replay: what the machine's load does not add */
    gint64 peak_growth;
    gint64 rss_growth;
    guint events;
} Replay;

static gint64
cpu_ns(void)
{
    struct rusage usage;

    getrusage(RUSAGE_SELF, &usage);
    return ((gint64)usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000000 +
           ((gint64)usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1000;
}

/* Opens and closes the journal in @dir, measuring the open (the replay). */
static Replay
replay_here(const char *dir, const char *key, guint64 events)
{
    g_autoptr(GError) error = NULL;
    gint64 rss_before = bench_rss_bytes(), start;
    AjarJournal *journal;
    Replay result = { 0 };

    gint64 cpu_start = cpu_ns();

    if (instructions_mode)
        bench_count_start();
    start = bench_now_ns();
    journal = ajar_journal_open(dir, AJAR_FLUSH_BATCHED, &error);
    result.ns = (double)(bench_now_ns() - start);
    result.cpu_ns = (double)(cpu_ns() - cpu_start);
    if (instructions_mode)
        bench_count_stop(key, events);
    if (journal == NULL)
        g_error("%s", error->message);
    result.peak_growth = bench_peak_rss_bytes() - rss_before;
    result.rss_growth = bench_rss_bytes() - rss_before;
    result.events = ajar_state_get_event_count(ajar_journal_get_state(journal));
    ajar_journal_close(journal);
    return result;
}

static int
replay_command(const char *dir)
{
    Replay r = replay_here(dir, "3.replay", 0);

    printf("%.0f %.0f %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %u\n", r.ns, r.cpu_ns,
           r.peak_growth, r.rss_growth, r.events);
    return 0;
}

static Replay
replay_in_child(const char *self, const char *dir)
{
    g_autofree char *out = NULL;
    g_autoptr(GError) error = NULL;
    const char *argv[] = { self, "replay", dir, NULL };
    int status;
    Replay r = { 0 };

    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status,
                      &error) ||
        !g_spawn_check_exit_status(status, &error))
        g_error("replay child: %s", error->message);
    if (sscanf(out, "%lf %lf %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %u", &r.ns, &r.cpu_ns,
               &r.peak_growth, &r.rss_growth, &r.events) != 5)
        g_error("replay child printed \"%s\"", out);
    return r;
}

/* Parses every line of the journal at @path with one JsonParser and reads
 * each line's "event" member: the least a replay through json-glib would
 * do, without applying anything. Adds the row "3.jsonglib<scale>". */
static void
json_glib_pass(const char *path, guint scale, guint64 events, double replay_cpu_seconds)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(GMappedFile) file = g_mapped_file_new(path, FALSE, &error);
    g_autoptr(JsonParser) parser = json_parser_new_immutable();
    g_autofree char *key = g_strdup_printf("3.jsonglib%u", scale);
    g_autofree char *name = g_strdup_printf("parse the 10^%u lines with json-glib", scale);
    g_autofree char *note = NULL;
    BenchRow row = BENCH_ROW_INIT;
    const char *p, *end;
    guint64 lines = 0;
    gint64 start, cpu_start;

    if (file == NULL)
        g_error("%s", error->message);
    p = g_mapped_file_get_contents(file);
    end = p + g_mapped_file_get_length(file);
    cpu_start = cpu_ns();
    start = bench_now_ns();
    while (p < end) {
        const char *newline = memchr(p, '\n', (gsize)(end - p));
        const char *line_end = newline != NULL ? newline : end;
        JsonObject *object;

        if (!json_parser_load_from_data(parser, p, line_end - p, &error))
            g_error("json-glib refused line %" G_GUINT64_FORMAT ": %s", lines + 1, error->message);
        object = json_node_get_object(json_parser_get_root(parser));
        if (json_object_get_string_member(object, "event") == NULL)
            g_error("line %" G_GUINT64_FORMAT " has no event", lines + 1);
        lines++;
        p = line_end + 1;
    }
    row.seconds = (double)(bench_now_ns() - start) / 1e9;
    row.cpu_seconds = (double)(cpu_ns() - cpu_start) / 1e9;
    if (lines != events)
        g_error("json-glib read %" G_GUINT64_FORMAT " lines of %" G_GUINT64_FORMAT, lines, events);
    note = g_strdup_printf("one JsonParser, each line parsed and its event read, nothing "
                           "applied; ratio: its CPU time against the replay's (%.3f s)",
                           replay_cpu_seconds);
    row.figure = "3";
    row.key = key;
    row.name = name;
    row.n = events;
    row.ns_per_op = row.seconds * 1e9 / (double)events;
    row.ratio = row.cpu_seconds / replay_cpu_seconds;
    row.note = note;
    bench_report_add(&row);
}

static void
figure_replay(const char *self, const char *work_dir, guint max_scale)
{
    for (guint scale = 4; scale <= max_scale; scale++) {
        guint64 events = 1;
        g_autofree char *dir = NULL;
        g_autofree char *path = NULL;
        g_autofree char *key = g_strdup_printf("3.replay%u", scale);
        g_autofree char *name = g_strdup_printf("replay 10^%u events (open)", scale);
        g_autofree char *note = NULL;
        BenchRow row = BENCH_ROW_INIT;
        gint64 size;
        double rounds[5], cpu_rounds[5];
        gint64 peak = 0, kept = 0;
        guint runs = instructions_mode ? 1 : (scale >= 6 ? 3 : 5);
        double ratio_of_size;

        for (guint i = 0; i < scale; i++)
            events *= 10;
        dir = g_strdup_printf("%s/replay-%u", work_dir, scale);
        path = g_build_filename(dir, AJAR_JOURNAL_FILE, NULL);
        g_mkdir_with_parents(dir, 0700);
        /* (Generating 10^5 lines under callgrind would take minutes: the
         * instruction-count run reuses what the timed run wrote.) */
        if (keep_journals && g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
            GStatBuf st;
            size = g_stat(path, &st) == 0 ? (gint64)st.st_size : -1;
        } else {
            size = bench_journal_generate(path, events);
        }
        if (size < 0)
            exit(1);
        for (guint r = 0; r < runs && r < G_N_ELEMENTS(rounds); r++) {
            Replay one =
                instructions_mode ? replay_here(dir, key, events) : replay_in_child(self, dir);
            rounds[r] = one.ns;
            cpu_rounds[r] = one.cpu_ns;
            peak = MAX(peak, one.peak_growth);
            kept = MAX(kept, one.rss_growth);
            if (one.events != events)
                g_error("replayed %u events of %" G_GUINT64_FORMAT, one.events, events);
        }
        ratio_of_size = (double)peak / (double)size;
        note = g_strdup_printf("journal %.1f MiB; peak RSS growth %.2fx the journal, %.1f MiB "
                               "still held after; median of %u runs",
                               size / 1048576.0, ratio_of_size, kept / 1048576.0, runs);
        row.figure = "3";
        row.key = key;
        row.name = name;
        row.n = events;
        row.seconds = bench_median(rounds, MIN(runs, G_N_ELEMENTS(rounds))) / 1e9;
        row.cpu_seconds = bench_median(cpu_rounds, MIN(runs, G_N_ELEMENTS(cpu_rounds))) / 1e9;
        row.ns_per_op = row.seconds * 1e9 / (double)events;
        row.ratio = ratio_of_size;
        row.bytes = peak;
        row.bytes2 = size;
        row.note = note;
        bench_report_add(&row);
        if (!instructions_mode)
            json_glib_pass(path, scale, events, row.cpu_seconds);
        if (!keep_journals) {
            g_remove(path);
            g_rmdir(dir);
        }
    }
}

/* ---- figure 6: compaction ---- */

/* Compacts a 10^@scale-event journal with 1 % of its messages still in
 * custody (the journal already open, as the plugin has it): the time of
 * ajar_journal_compact() (routing, writing history, every fsync, the
 * switch), and the journal's size before and after. */
static void
figure_compact(const char *work_dir, guint scale)
{
    g_autofree char *dir = g_strdup_printf("%s/compact-%u", work_dir, scale);
    g_autofree char *path = g_build_filename(dir, AJAR_JOURNAL_FILE, NULL);
    g_autofree char *key = g_strdup_printf("6.compact%u", scale);
    g_autofree char *name = g_strdup_printf("compact 10^%u events, 1 %% in custody", scale);
    g_autofree char *note = NULL;
    g_autofree char *rm = NULL;
    g_autoptr(GError) error = NULL;
    BenchRow row = BENCH_ROW_INIT;
    AjarCompactResult result;
    AjarJournal *journal;
    guint64 events = 1;
    gint64 start, cpu_start, open_start;
    double open_seconds;

    for (guint i = 0; i < scale; i++)
        events *= 10;
    g_mkdir_with_parents(dir, 0700);
    if (bench_journal_generate_custody(path, events, 1.0) < 0)
        exit(1);
    open_start = bench_now_ns();
    journal = ajar_journal_open(dir, AJAR_FLUSH_BATCHED, &error);
    if (journal == NULL)
        g_error("%s", error->message);
    open_seconds = (double)(bench_now_ns() - open_start) / 1e9;
    cpu_start = cpu_ns();
    start = bench_now_ns();
    if (!ajar_journal_compact(journal, FALSE, &result, &error))
        g_error("%s", error->message);
    row.seconds = (double)(bench_now_ns() - start) / 1e9;
    row.cpu_seconds = (double)(cpu_ns() - cpu_start) / 1e9;
    ajar_journal_close(journal);
    note = g_strdup_printf(
        "journal %.1f MiB -> %.2f MiB (%.2f %%); %u lines kept, %u moved to "
        "%u history files; the open before it (not counted) took %.2f s",
        result.journal_bytes_before / 1048576.0, result.journal_bytes_after / 1048576.0,
        100.0 * (double)result.journal_bytes_after / (double)result.journal_bytes_before,
        result.lines_kept, result.lines_moved, result.history_files, open_seconds);
    row.figure = "6";
    row.key = key;
    row.name = name;
    row.n = events;
    row.ns_per_op = row.seconds * 1e9 / (double)events;
    row.ratio = (double)result.journal_bytes_after / (double)result.journal_bytes_before;
    row.bytes = (gint64)result.journal_bytes_after;
    row.bytes2 = (gint64)result.journal_bytes_before;
    row.note = note;
    bench_report_add(&row);
    /* (The history it wrote is as large as the journal was.) */
    rm = g_strdup_printf("rm -rf '%s'", dir);
    if (system(rm) != 0)
        g_printerr("could not remove %s\n", dir);
}

int
main(int argc, char **argv)
{
    g_autofree char *json_path = NULL;
    g_autofree char *work_dir = NULL;
    g_autofree char *self = NULL;
    gint max_scale = 6;
    gboolean made_dir = FALSE;
    gboolean only_compact = FALSE;
    GOptionEntry entries[] = {
        { "json", 0, 0, G_OPTION_ARG_FILENAME, &json_path, "Also write the rows as JSON Lines",
          "FILE" },
        { "dir", 0, 0, G_OPTION_ARG_FILENAME, &work_dir,
          "Where to write journals (default: a new folder in $TMPDIR)", "DIR" },
        { "instructions", 0, 0, G_OPTION_ARG_NONE, &instructions_mode,
          "Small counts, for a run under callgrind", NULL },
        { "max-scale", 0, 0, G_OPTION_ARG_INT, &max_scale, "Largest journal: 10^N events (4-6)",
          "N" },
        { "only-compact", 0, 0, G_OPTION_ARG_NONE, &only_compact,
          "Only figure 6 (compaction), at 10^max-scale events", NULL },
        { "keep-journals", 0, 0, G_OPTION_ARG_NONE, &keep_journals,
          "Keep the generated journals in --dir, and reuse those already there", NULL },
        { NULL },
    };
    g_autoptr(GOptionContext) context = g_option_context_new("[replay DIR]");
    g_autoptr(GError) error = NULL;

    g_option_context_add_main_entries(context, entries, NULL);
    if (!g_option_context_parse(context, &argc, &argv, &error)) {
        g_printerr("ajar-bench-core: %s\n", error->message);
        return 2;
    }
    if (argc == 3 && strcmp(argv[1], "replay") == 0)
        return replay_command(argv[2]);
    if (argc == 4 && strcmp(argv[1], "generate") == 0)
        return bench_journal_generate(argv[2], g_ascii_strtoull(argv[3], NULL, 10)) < 0 ? 1 : 0;
    if (argc == 5 && strcmp(argv[1], "generate-custody") == 0)
        return bench_journal_generate_custody(argv[2], g_ascii_strtoull(argv[3], NULL, 10),
                                              g_ascii_strtod(argv[4], NULL)) < 0
                   ? 1
                   : 0;
    if (argc != 1 || max_scale < 4 || max_scale > 7) {
        g_printerr("usage: ajar-bench-core [--json FILE] [--dir DIR] [--instructions] "
                   "[--max-scale 4..7] | replay DIR | generate FILE EVENTS | "
                   "generate-custody FILE EVENTS PERCENT\n");
        return 2;
    }
    self = g_file_read_link("/proc/self/exe", &error);
    if (self == NULL)
        g_error("/proc/self/exe: %s", error->message);
    if (work_dir == NULL) {
        work_dir = g_dir_make_tmp("ajar-bench-XXXXXX", &error);
        if (work_dir == NULL)
            g_error("%s", error->message);
        made_dir = TRUE;
    }

    if (only_compact) {
        figure_compact(work_dir, MIN((guint)max_scale, 6));
    } else {
        figure_append(work_dir);
        figure_replay(self, work_dir, (guint)max_scale);
        figure_rules();
        /* (Not under callgrind: a million lines there take minutes.) */
        if (!instructions_mode)
            figure_compact(work_dir, MIN((guint)max_scale, 6));
    }

    if (made_dir)
        g_rmdir(work_dir);
    return bench_report_finish(json_path) ? 0 : 1;
}
