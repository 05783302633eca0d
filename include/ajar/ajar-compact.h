/* ajar-compact.h — keeping journal.jsonl small (issue 13): finished
 * history moves, byte for byte, to <ajar dir>/history/YYYY-MM.jsonl, and
 * the journal keeps what is still in Ajar's custody (and what was
 * discarded in the last AJAR_RECENTLY_DISCARDED_DAYS days, still undoable)
 * plus one "summary" event with the figures of what moved (ajar-summary.h).
 *
 * Crash-safe: a crash at any point leaves either the old journal whole or
 * the new one whole, and no history file holds a line twice (the protocol
 * is in docs/FORMATS.md, "Compaction"). Only the journal's writer (the
 * holder of its lock) compacts. */
#pragma once

#include <glib.h>

#include "ajar-journal.h"

G_BEGIN_DECLS

/* history/ under the ajar dir, and its files' shape. */
#define AJAR_HISTORY_DIR "history"
/* history/.compact-pending: which history files a compaction is appending
 * to and their sizes before (while one is under way, or cut by a crash). */
#define AJAR_COMPACT_PENDING_FILE ".compact-pending"
/* journal.jsonl.compact: the new journal while it is written. */
#define AJAR_COMPACT_SUFFIX ".compact"

typedef struct {
    guint64 journal_bytes_before, journal_bytes_after;
    guint lines_before, lines_kept, lines_moved; /* moved to history */
    guint history_files;                         /* files appended to */
    gboolean dropped_history;                    /* --drop-history */
} AjarCompactResult;

/* Whether the plugin should compact now: finished lines are more than half
 * of the journal's lines, and it has at least AJAR_COMPACT_MIN_LINES lines
 * (and at least twice the lines it had right after its last compaction in
 * this process, so that what compaction cannot move never makes it compact
 * again and again). Cheap:
 * counters the journal keeps as it replays and appends; the lines still
 * needed are estimated as AJAR_COMPACT_LINES_PER_KEPT per message in
 * custody. */
#define AJAR_COMPACT_MIN_LINES 10000
#define AJAR_COMPACT_LINES_PER_KEPT 4
/* Each room's newest lines of theirs that stay in the journal (a room sends
 * its last lines again at every join; 20 on prosody and ejabberd). */
#define AJAR_COMPACT_ROOM_LINES 50
gboolean ajar_journal_wants_compaction(const AjarJournal *journal);

/* All of it, synchronously (the CLI; tests). @drop_history: the history
 * files are deleted instead (finished lines are not written anywhere, and
 * every history file there is, is removed after the switch).
 * @result (nullable). On failure nothing changed (the old journal stays,
 * history as it was) and @error says why. */
gboolean ajar_journal_compact(AjarJournal *journal, gboolean drop_history,
                              AjarCompactResult *result, GError **error);

/* In steps, for a thread (the plugin): begin on the writer's thread
 * (appends the summary, snapshots what the job needs: the kept ids, the
 * byte range), run in any thread (touches no journal or state, only files),
 * finish on the writer's thread (tail, rename, switch; or, on failure, roll
 * back). ajar_journal_append() between begin and finish is fine: those
 * lines are the tail, copied into the new file by finish. One job at a time
 * per journal. A job freed without a successful finish is rolled back. */
typedef struct _AjarCompactJob AjarCompactJob;
AjarCompactJob *ajar_journal_compact_begin(AjarJournal *journal, GError **error);
gboolean ajar_compact_job_run(AjarCompactJob *job, GError **error); /* thread-safe */
gboolean ajar_journal_compact_finish(AjarJournal *journal, AjarCompactJob *job,
                                     AjarCompactResult *result, GError **error);
void ajar_compact_job_free(AjarCompactJob *job);

/* Recovery; called by ajar_journal_open() right after it took the lock,
 * before it replays: a journal.jsonl.compact left by a crash means the
 * rename did not happen, so every history file is cut back to the size
 * history/.compact-pending recorded (one it does not name, which the
 * compaction created, is removed), and .compact and .compact-pending are
 * deleted; without .compact, a left .compact-pending is deleted (the
 * rename happened). @dir: the ajar dir. */
gboolean ajar_compact_recover(const char *dir, GError **error);

/* The history files of @dir (the ajar dir) in name order (= month order),
 * as paths relative to @dir: "history/2026-11.jsonl". Only names of the
 * shape YYYY-MM.jsonl count. Returns: (transfer full): an empty array when
 * there are none (or no history/). */
GPtrArray *ajar_history_list(const char *dir);

/* Readers (the CLI): every history file in name order, then journal.jsonl,
 * applied to one state. A message met in both (a reader racing a
 * compaction) is taken once: its lines apply as repeats do. */

G_END_DECLS
