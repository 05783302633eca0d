/* crash-compact.h — the crash driver's kill points inside a compaction
 * (header-only, like crash-replace.h): the journal padded over the
 * compaction threshold between runs, so that the next run's Ajar compacts
 * it as soon as it has loaded; where that run then dies (fault-shim.so,
 * armed through the environment); what the kill left behind; and the
 * journal read back whole, history/ included. */
#ifndef AJAR_CRASH_COMPACT_H
#define AJAR_CRASH_COMPACT_H

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "ajar/ajar-journal.h"
#include "fault-shim.h"

/* Where a compaction run dies: at a step of the compaction core
 * (AJAR_TEST_COMPACT_KILL_AT, store/ajar-compact.c), in the middle of a
 * write (fault-shim.so), at a random moment, or at the next start-up. In
 * the order the runs take them. */
typedef enum {
    COMPACT_KILL_NONE,
    COMPACT_KILL_MIDCOPY, /* the thread's copy half done: .compact-pending written, the
                           * new journal and the history files partly */
    COMPACT_KILL_BEFORE,  /* just before journal.jsonl.compact is renamed over journal.jsonl */
    COMPACT_KILL_AFTER,   /* just after: the new journal in place, .compact-pending left */
    COMPACT_KILL_TORN,    /* halfway through the first write() to journal.jsonl.compact */
    COMPACT_KILL_BEGUN,   /* begun: .compact created, the summary appended */
    COMPACT_KILL_PENDING, /* history/.compact-pending written, nothing copied */
    COMPACT_KILL_RAN,     /* the thread done, the main loop not yet finishing */
    COMPACT_KILL_TIMED,   /* the driver's kill at a random moment of the run */
    COMPACT_KILL_STARTUP, /* the run after one of those, killed in its first 700 ms:
                           * while it recovers what the kill left, or replays */
    COMPACT_KILL_KINDS
} CompactKill;

/* The kinds a compaction run takes in turn (STARTUP follows each). */
#define COMPACT_KILL_CYCLE (COMPACT_KILL_TIMED - COMPACT_KILL_MIDCOPY + 1)

static const char *const compact_kill_names[] = {
    "none",  "mid-copy",    "just before the rename", "just after the rename",
    "torn",  "begun",       "pending noted",          "copied, not finished",
    "timed", "at start-up",
};

/* The compaction core's own kill points (ajar_compact_kill_point()). */
static const char *const compact_kill_steps[] = {
    NULL, "mid-copy", "before-rename", "after-rename", NULL, "begun", "pending", "ran", NULL, NULL,
};

/* Finished lines put at the end of the journal before a compaction run:
 * over AJAR_COMPACT_MIN_LINES (10,000), and more than half of any journal
 * the runs leave. */
#define CRASH_COMPACT_PAD_LINES 10500

/* Whether @kill is one the child dies of by itself (no mark for a core
 * kill point: it raises SIGKILL before the driver's kill). */
static inline gboolean
crash_compact_kill_in_core(CompactKill kill)
{
    return kill < COMPACT_KILL_KINDS && compact_kill_steps[kill] != NULL;
}

/* In the child, before exec: arms the compaction core or fault-shim.so to
 * kill it at @kill; the shim makes the folder @mark just before. */
static inline void
crash_compact_kill_setenv(CompactKill kill, const char *mark)
{
    if (crash_compact_kill_in_core(kill)) {
        g_setenv("AJAR_TEST_COMPACT_KILL_AT", compact_kill_steps[kill], TRUE);
    } else if (kill == COMPACT_KILL_TORN) {
        g_setenv(FAULT_SHIM_TEAR_ENV, "1:/ajar/" AJAR_JOURNAL_FILE ".compact", TRUE);
        g_setenv(FAULT_SHIM_TEAR_MARK_ENV, mark, TRUE);
    }
}

/* What padding needs to know of a journal. */
typedef struct {
    gint64 last_seq;
    guint events;
    guint events_to_summary; /* events up to its last summary, that one included */
} CrashCompactCount;

static inline void
crash_compact_count_cb(const AjarEvent *event, gpointer data)
{
    CrashCompactCount *count = data;

    count->last_seq = MAX(count->last_seq, event->seq);
    count->events++;
    if (event->type == AJAR_EVENT_SUMMARY)
        count->events_to_summary = count->events;
}

/* Appends CRASH_COMPACT_PAD_LINES finished lines (more when a summary
 * that a compaction cut by a kill left in the journal says a compaction
 * kept that much: Ajar waits for twice its lines, ajar-compact.h) ("sent" to Sam, a message
 * that passed: no id, no tag) to @purple_dir's journal, numbered on from
 * its last seq, dated over the last three months. Nothing when the journal
 * ends in a line a kill cut (the next run repairs it first). Returns how
 * many lines it added. */
static inline guint
crash_compact_pad(const char *purple_dir, const char *account, const char *buddy)
{
    g_autofree char *path = g_build_filename(purple_dir, "ajar", AJAR_JOURNAL_FILE, NULL);
    g_autoptr(GString) lines = g_string_new(NULL);
    g_autoptr(GError) error = NULL;
    AjarJournalReport report = { 0 };
    CrashCompactCount count = { 0 };
    gint64 now = g_get_real_time();
    guint pad;
    gboolean cut;
    FILE *file;

    g_assert_true(ajar_journal_read_file(path, crash_compact_count_cb, &count, &report, &error));
    g_assert_no_error(error);
    cut = report.incomplete_tail;
    ajar_journal_report_clear(&report);
    if (cut || count.last_seq == 0)
        return 0;
    pad = MAX(CRASH_COMPACT_PAD_LINES,
              2 * count.events_to_summary + 100 - MIN(count.events, 2 * count.events_to_summary));
    for (guint i = 0; i < pad; i++) {
        g_autoptr(AjarEvent) event = ajar_event_new(AJAR_EVENT_SENT);

        event->seq = count.last_seq + 1 + i;
        event->ts = now - (gint64)(pad - i) * 12 * 60 * G_USEC_PER_SEC;
        event->ts -= event->ts % 1000;
        event->has_dir = TRUE;
        event->dir = AJAR_DIRECTION_OUT;
        event->account = g_strdup(account);
        event->protocol = g_strdup("prpl-ajartest");
        event->buddy = g_strdup(buddy);
        event->rule = g_strdup("Sam");
        ajar_event_encode(event, lines);
    }
    file = fopen(path, "ab");
    g_assert_nonnull(file);
    g_assert_cmpuint(fwrite(lines->str, 1, lines->len, file), ==, lines->len);
    g_assert_cmpint(fclose(file), ==, 0);
    return pad;
}

/* What a compaction a kill interrupted leaves for the next start-up to
 * recover: the new journal it was writing, or the note of the history
 * files it was appending to. */
static inline gboolean
crash_compact_left(const char *purple_dir)
{
    g_autofree char *compact =
        g_build_filename(purple_dir, "ajar", AJAR_JOURNAL_FILE ".compact", NULL);
    g_autofree char *pending =
        g_build_filename(purple_dir, "ajar", "history", ".compact-pending", NULL);

    return g_file_test(compact, G_FILE_TEST_EXISTS) || g_file_test(pending, G_FILE_TEST_EXISTS);
}

/* The kill points inside compactions, by step (@kills: by CompactKill),
 * in the test's log. */
static inline void
crash_compact_report(const guint *kills, guint padded, guint left, guint recovering,
                     guint unrecovered, guint verified)
{
    g_autoptr(GString) steps = g_string_new(NULL);

    for (CompactKill k = COMPACT_KILL_MIDCOPY; k <= COMPACT_KILL_TIMED; k++)
        g_string_append_printf(steps, "%s%u %s", k > COMPACT_KILL_MIDCOPY ? ", " : "", kills[k],
                               compact_kill_names[k]);
    g_test_message("kill points inside a compaction: %s (%u runs padded over the threshold, %u "
                   "kills left its files); %u %s (%u with a compaction's files to recover, %u "
                   "killed before recovering them); ajar verify passed after each: %u",
                   steps->str, padded, left, kills[COMPACT_KILL_STARTUP],
                   compact_kill_names[COMPACT_KILL_STARTUP], recovering, unrecovered, verified);
}

static inline void
crash_compact_collect_cb(const AjarEvent *event, gpointer data)
{
    g_ptr_array_add(data, ajar_event_copy(event));
}

static inline gint
crash_compact_by_name(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static inline gint
crash_compact_by_seq(gconstpointer a, gconstpointer b)
{
    gint64 x = (*(const AjarEvent *const *)a)->seq, y = (*(const AjarEvent *const *)b)->seq;

    return x < y ? -1 : x > y;
}

/* Every event of @purple_dir's history/YYYY-MM.jsonl files and its
 * journal.jsonl, in seq order (lines moved to history keep their seq).
 * Asserts that none is there twice. *@malformed: the damaged lines of all
 * of them; *@history_files: how many history files there are. Returns:
 * (transfer full): AjarEvent* (the array frees them). */
static inline GPtrArray *
crash_compact_read_all(const char *purple_dir, guint *malformed, guint *history_files)
{
    g_autofree char *history = g_build_filename(purple_dir, "ajar", "history", NULL);
    g_autofree char *journal = g_build_filename(purple_dir, "ajar", AJAR_JOURNAL_FILE, NULL);
    GPtrArray *events = g_ptr_array_new_with_free_func((GDestroyNotify)ajar_event_free);
    g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GDir) dir = g_dir_open(history, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
        if (g_str_has_suffix(name, ".jsonl") && name[0] != '.')
            g_ptr_array_add(paths, g_build_filename(history, name, NULL));
    }
    g_ptr_array_sort(paths, crash_compact_by_name);
    *history_files = paths->len;
    g_ptr_array_add(paths, g_strdup(journal));
    *malformed = 0;
    for (guint i = 0; i < paths->len; i++) {
        AjarJournalReport report = { 0 };
        g_autoptr(GError) error = NULL;

        g_assert_true(ajar_journal_read_file(g_ptr_array_index(paths, i), crash_compact_collect_cb,
                                             events, &report, &error));
        g_assert_no_error(error);
        *malformed += report.malformed;
        ajar_journal_report_clear(&report);
    }
    g_ptr_array_sort(events, crash_compact_by_seq);
    for (guint i = 1; i < events->len; i++) {
        const AjarEvent *a = g_ptr_array_index(events, i - 1), *b = g_ptr_array_index(events, i);
        if (a->seq == b->seq)
            g_test_message("seq %" G_GINT64_FORMAT " is there twice", a->seq);
        g_assert_cmpint(a->seq, <, b->seq);
    }
    return events;
}

#endif /* AJAR_CRASH_COMPACT_H */
