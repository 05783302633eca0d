/* ajar-compact.c — compaction: the journal keeps what is still in Ajar's
 * custody (and what was discarded lately, still undoable) and one
 * "summary" line; everything else moves, byte for byte, to
 * history/YYYY-MM.jsonl.
 *
 * The steps (docs/FORMATS.md, "Compaction"), each safe to be cut by a
 * crash:
 *   begin  (writer)  journal.jsonl.compact created; the summary appended to
 *                    the journal (an ordinary append); the kept ids noted;
 *   run    (thread)  history/.compact-pending written and synced; the kept
 *                    lines and the summary into .compact, the others
 *                    appended to history files; all synced;
 *   finish (writer)  lines appended since begin (the tail) copied into
 *                    .compact, synced; it is replayed, locked and renamed
 *                    over journal.jsonl, the folder synced, the journal
 *                    switched to it; .compact-pending removed.
 * Until the rename, .compact exists and undoing is: history files cut back
 * to the sizes .compact-pending recorded, .compact removed
 * (ajar_history_undo(); ajar_compact_recover() at the next open). After it,
 * the new journal is whole and history holds each moved line once. */
#include "ajar/ajar-compact.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ajar/ajar-files.h"
#include "ajar/ajar-i18n.h"
#include "ajar/ajar-summary.h"
#include "ajar-compact-private.h"
#include "ajar-journal-private.h"
#include "ajar-state-private.h"

gboolean
ajar_compact_fail_errno(GError **error, int saved, const char *format, ...)
{
    va_list args;
    g_autofree char *what = NULL;

    va_start(args, format);
    what = g_strdup_vprintf(format, args);
    va_end(args);
    g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO, "%s: %s", what,
                g_strerror(saved));
    return FALSE;
}

/* A crash on purpose, for the tests (tests/unit/test-compact.c, the crash
 * test): AJAR_TEST_COMPACT_KILL_AT names the step after which the process
 * dies (begun, pending, mid-copy, ran, before-rename, after-rename). */
void
ajar_compact_kill_point(const char *step)
{
    const char *at = g_getenv("AJAR_TEST_COMPACT_KILL_AT"); /* no i18n: a variable */

    if (at != NULL && strcmp(at, step) == 0)
        raise(SIGKILL);
}

gboolean
ajar_compact_sync_fd(int fd, const char *path, GError **error)
{
    int rc;

    do
        rc = fsync(fd);
    while (rc != 0 && errno == EINTR);
    return rc == 0 || ajar_compact_fail_errno(error, errno, _("%s: could not sync to disk"), path);
}

/* ---- deciding ---- */

gboolean
ajar_journal_wants_compaction(const AjarJournal *journal)
{
    const AjarState *state;
    guint64 lines, kept;

    g_return_val_if_fail(journal != NULL, FALSE);
    lines = ajar_journal_get_lines(journal);
    if (lines < AJAR_COMPACT_MIN_LINES)
        return FALSE;
    state = ajar_journal_get_state(journal);
    /* What this journal's last compaction kept cannot move; wait until there
     * is as much again. (Counted by the journal at the switch, not read from
     * the last summary line: a compaction that failed or was cut before its
     * switch leaves its summary at the end of the old journal, and that must
     * not hold the next one off until the journal has doubled.) */
    if (lines < 2 * ajar_journal_get_lines_at_switch(journal))
        return FALSE;
    kept = (guint64)ajar_state_count_custody(state) * AJAR_COMPACT_LINES_PER_KEPT;
    return lines - MIN(kept, lines) > lines / 2;
}

/* ---- begin ---- */

void
ajar_compact_job_free(AjarCompactJob *job)
{
    if (job == NULL)
        return;
    if (job->out_fd >= 0)
        close(job->out_fd);
    /* Not switched: undo what run did (the old journal stays whole). */
    if (!job->finished)
        ajar_history_undo(job->dir, NULL);
    if (job->src_fd >= 0)
        close(job->src_fd);
    g_clear_pointer(&job->kept, g_hash_table_unref);
    g_free(job->dir);
    g_free(job->journal_path);
    g_free(job->history_dir);
    g_free(job->compact_path);
    g_free(job);
}

/* Discarded messages stay undoable for AJAR_RECENTLY_DISCARDED_DAYS days:
 * their lines stay (as a renewal records them again). */
static gboolean
stays(const AjarItem *item, gint64 now)
{
    gint64 recent = now - (gint64)AJAR_RECENTLY_DISCARDED_DAYS * 24 * 3600 * G_USEC_PER_SEC;

    return ajar_item_in_custody(item) ||
           (item->state == AJAR_EVENT_DISCARDED && item->state_ts >= recent);
}

/* A room sends its last lines again at every join (prosody and ejabberd:
 * the last 20, however old), and the plugin knows one it kept before by its
 * line in the journal (plugin/ajar-chats.c): moved to history, it would be
 * kept again and could be released a second time. So each room's newest
 * AJAR_COMPACT_ROOM_LINES lines of theirs stay, whatever their age: a bound
 * per room, not per month. @items: oldest first. */
static void
keep_room_lines(GHashTable *kept, GPtrArray *items)
{
    g_autoptr(GHashTable) per_room = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

    for (guint i = items->len; i-- > 0;) {
        const AjarItem *item = g_ptr_array_index(items, i);
        g_autofree char *room = NULL;
        guint count;

        if (item->chat == NULL || item->dir != AJAR_DIRECTION_IN)
            continue;
        room = g_strdup_printf("%s\n%s\n%s", item->account, item->protocol, item->chat);
        count = GPOINTER_TO_UINT(g_hash_table_lookup(per_room, room));
        if (count >= AJAR_COMPACT_ROOM_LINES)
            continue;
        g_hash_table_add(kept, g_strdup(item->id));
        g_hash_table_insert(per_room, g_steal_pointer(&room), GUINT_TO_POINTER(count + 1));
    }
}

static AjarCompactJob *
begin(AjarJournal *journal, gboolean drop_history, GError **error)
{
    AjarCompactJob *job;
    const AjarState *state;
    g_autoptr(AjarEvent) summary = NULL;
    g_autoptr(GString) line = g_string_new(NULL);
    g_autoptr(GPtrArray) items = NULL;
    struct stat st;
    int fd;

    /* The summary carries the whole state's figures: a journal still being
     * read in the background (ajar_journal_open_async()) is waited for. The
     * plugin begins only once it is read, so this wait is the CLI's and the
     * tests' at most. */
    ajar_journal_wait_loaded(journal);
    fd = ajar_journal_get_fd(journal);
    if (fd < 0) {
        g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_CLOSED, _("%s: is closed"),
                    ajar_journal_get_path(journal));
        return NULL;
    }
    job = g_new0(AjarCompactJob, 1);
    job->src_fd = -1;
    job->out_fd = -1;
    job->finished = TRUE; /* nothing to undo yet */
    job->drop_history = drop_history;
    job->journal_path = g_strdup(ajar_journal_get_path(journal));
    job->dir = g_path_get_dirname(job->journal_path);
    job->history_dir = g_build_filename(job->dir, AJAR_HISTORY_DIR, NULL);
    job->compact_path = g_strconcat(job->journal_path, AJAR_COMPACT_SUFFIX, NULL);

    /* One at a time: the new file is made here, never over another. */
    job->out_fd = open(job->compact_path,
                       O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (job->out_fd < 0) {
        if (errno == EEXIST)
            g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_BUSY,
                        /* TRANSLATORS: %s is the path of journal.jsonl.compact. */
                        _("%s: a compaction is already under way"), job->compact_path);
        else
            ajar_compact_fail_errno(error, errno, _("%s: could not create"), job->compact_path);
        ajar_compact_job_free(job);
        return NULL;
    }
    job->finished = FALSE; /* from here on, freeing undoes */

    /* Step 1: the summary, an ordinary append (a crash after it leaves an
     * old journal whose figures it does not change). */
    job->now = g_get_real_time();
    summary = ajar_event_new(AJAR_EVENT_SUMMARY);
    summary->ts = job->now;
    summary->summary = ajar_summary_from_state(ajar_journal_get_state(journal));
    if (!ajar_journal_append(journal, summary, error)) {
        ajar_compact_job_free(job);
        return NULL;
    }
    ajar_event_encode(summary, line);
    job->summary_seq = summary->seq;
    job->range_end = ajar_journal_get_size(journal);
    job->summary_start = job->range_end - (gint64)line->len;
    job->lines_before = (guint)MIN(ajar_journal_get_lines(journal), G_MAXUINT);

    /* What stays: every line of a message in custody or discarded lately. */
    state = ajar_journal_get_state(journal);
    job->kept = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    items = ajar_state_list(state);
    for (guint i = 0; i < items->len; i++) {
        const AjarItem *item = g_ptr_array_index(items, i);
        if (stays(item, job->now))
            g_hash_table_add(job->kept, g_strdup(item->id));
    }
    keep_room_lines(job->kept, items);

    fd = ajar_journal_get_fd(journal); /* (an append may have renewed it) */
    job->src_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (job->src_fd < 0 || fstat(job->src_fd, &st) != 0) {
        ajar_compact_fail_errno(error, errno, _("%s: could not read"), job->journal_path);
        ajar_compact_job_free(job);
        return NULL;
    }
    job->src_dev = st.st_dev;
    job->src_ino = st.st_ino;
    ajar_compact_kill_point("begun");
    return job;
}

AjarCompactJob *
ajar_journal_compact_begin(AjarJournal *journal, GError **error)
{
    g_return_val_if_fail(journal != NULL, NULL);
    return begin(journal, FALSE, error);
}

/* ---- finish: the tail, the switch ---- */

static void
apply_cb(const AjarEvent *event, gpointer user_data)
{
    ajar_state_apply(user_data, event);
}

/* Lines appended since begin must not be about a message whose lines moved
 * (a message that was done, then taken up again: a "sending" written after
 * its "sent" when the connection failed): in the new journal alone they
 * would be orphans. Then the compaction is undone, to be tried later. */
static gboolean
tail_is_new(AjarCompactJob *job, const AjarState *state, const char *tail, gsize len,
            GError **error)
{
    const char *p = tail, *end = tail + len, *nl;

    for (; p < end && (nl = memchr(p, '\n', (gsize)(end - p))) != NULL; p = nl + 1) {
        AjarHistoryLine info;
        const AjarItem *item;

        ajar_history_read_line(p, (gsize)(nl - p), &info);
        /* (A message with an id too long to read here never moves.) */
        if (!info.has_id || info.id_too_long || g_hash_table_contains(job->kept, info.id))
            continue;
        item = ajar_state_lookup(state, info.id);
        if (item != NULL && item->first_seq < job->summary_seq) {
            g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_BUSY,
                        /* TRANSLATORS: %s is the journal's path. */
                        _("%s: a finished message was taken up again while the journal was "
                          "compacted; compaction undone, to be tried again later"),
                        job->journal_path);
            return FALSE;
        }
    }
    return TRUE;
}

gboolean
ajar_journal_compact_finish(AjarJournal *journal, AjarCompactJob *job, AjarCompactResult *result,
                            GError **error)
{
    g_autoptr(AjarState) state = NULL;
    g_autofree char *tail = NULL;
    AjarJournalReport report;
    struct stat st;
    gint64 size;
    int fd;
    gboolean ok;

    g_return_val_if_fail(journal != NULL && job != NULL, FALSE);
    if (!job->ran || job->finished) {
        g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_CLOSED,
                    _("%s: the compaction did not run"), job->journal_path);
        return FALSE;
    }
    /* Still the file compacted (a renewal would have replaced it). */
    fd = ajar_journal_get_fd(journal);
    if (fd < 0 || fstat(fd, &st) != 0 || st.st_dev != job->src_dev || st.st_ino != job->src_ino ||
        !ajar_journal_fd_is_at_path(fd, job->journal_path)) {
        g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO,
                    _("%s: was replaced while it was compacted; compaction undone"),
                    job->journal_path);
        return FALSE;
    }

    /* Step 4: the tail, then the new file whole and synced. */
    size = ajar_journal_get_size(journal);
    tail = g_malloc((gsize)(size - job->range_end) + 1);
    for (gint64 done = 0; done < size - job->range_end;) {
        ssize_t n =
            pread(fd, tail + done, (gsize)(size - job->range_end - done), job->range_end + done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return ajar_compact_fail_errno(error, n < 0 ? errno : EIO, _("%s: could not read"),
                                           job->journal_path);
        done += n;
    }
    if (!tail_is_new(job, ajar_journal_get_state(journal), tail, (gsize)(size - job->range_end),
                     error))
        return FALSE;
    if (!ajar_files_write_all(job->out_fd, tail, (gsize)(size - job->range_end), NULL))
        return ajar_compact_fail_errno(error, errno, _("%s: could not write"), job->compact_path);
    if (!ajar_compact_sync_fd(job->out_fd, job->compact_path, error))
        return FALSE;

    /* Its replay is the journal's state from now on (offsets into it). */
    state = ajar_state_new();
    ajar_journal_report_init(&report);
    ok =
        lseek(job->out_fd, 0, SEEK_SET) == 0 &&
        ajar_journal_read_fd(job->out_fd, job->compact_path, apply_cb, state, &report, NULL, error);
    if (ok && fstat(job->out_fd, &st) != 0)
        ok = ajar_compact_fail_errno(error, errno, _("%s: could not read"), job->compact_path);
    job->out_size = st.st_size;
    if (ok && report.incomplete_tail)
        ok = ajar_compact_fail_errno(error, EIO, _("%s: could not write"), job->compact_path);
    /* Locked before it is the journal: a second writer opening the path
     * after the rename finds it taken. */
    if (ok && flock(job->out_fd, LOCK_EX | LOCK_NB) != 0)
        ok = ajar_compact_fail_errno(error, errno, _("%s: could not lock"), job->compact_path);
    if (ok)
        ajar_compact_kill_point("before-rename");
    if (ok && rename(job->compact_path, job->journal_path) != 0)
        ok = ajar_compact_fail_errno(
            error, errno, _("%s: could not put the compacted journal in place"), job->journal_path);
    if (!ok) {
        ajar_journal_report_clear(&report);
        return FALSE;
    }
    /* Renamed: the new journal is whole. A folder that cannot be synced
     * leaves the rename as durable as the file system makes it. */
    job->finished = TRUE;
    ajar_files_sync_dir(job->dir, NULL);
    ajar_compact_kill_point("after-rename");
    ajar_journal_switch_file(journal, job->out_fd, job->out_size, report.lines,
                             g_steal_pointer(&state));
    job->out_fd = -1;
    ajar_journal_report_clear(&report);

    /* Step 5. */
    {
        g_autofree char *pending =
            g_build_filename(job->history_dir, AJAR_COMPACT_PENDING_FILE, NULL);
        unlink(pending);
    }
    if (job->drop_history) {
        g_autoptr(GPtrArray) names = ajar_history_list(job->dir);
        for (guint i = 0; i < names->len; i++) {
            g_autofree char *path = g_build_filename(job->dir, names->pdata[i], NULL);
            unlink(path);
        }
        ajar_files_sync_dir(job->history_dir, NULL);
    }
    if (result != NULL) {
        memset(result, 0, sizeof *result);
        result->journal_bytes_before = (guint64)size;
        result->journal_bytes_after = (guint64)job->out_size;
        result->lines_before = job->lines_before;
        result->lines_kept = job->lines_kept;
        result->lines_moved = job->lines_moved;
        result->history_files = job->history_files;
        result->dropped_history = job->drop_history;
    }
    return TRUE;
}

gboolean
ajar_journal_compact(AjarJournal *journal, gboolean drop_history, AjarCompactResult *result,
                     GError **error)
{
    AjarCompactJob *job;
    gboolean ok;

    g_return_val_if_fail(journal != NULL, FALSE);
    job = begin(journal, drop_history, error);
    if (job == NULL)
        return FALSE;
    ok = ajar_compact_job_run(job, error) &&
         ajar_journal_compact_finish(journal, job, result, error);
    ajar_compact_job_free(job); /* undoes it unless it finished */
    return ok;
}
