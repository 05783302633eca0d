/* ajar-compact-run.c — a compaction's step for a thread: every line of the
 * journal up to the summary to its place (the new journal, or the history
 * file of its month), byte for byte, then the summary, all synced. Touches
 * no journal or state: files only (the steps: ajar-compact.c). */
#define _GNU_SOURCE /* sync_file_range() */
#include "ajar/ajar-compact.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ajar/ajar-files.h"
#include "ajar/ajar-i18n.h"
#include "ajar-compact-private.h"

#define CHUNK (4 * 1024 * 1024)
#define SINK_FLUSH (1024 * 1024)

/* Where lines go: the new journal, or one history file. */
typedef struct {
    int fd;
    char *path;
    GString *buf;
    gsize unsynced; /* bytes written since the disk was last asked to start on them */
} Sink;

/* Past this, a run of lines is written straight from the read buffer. */
#define DIRECT_RUN (64 * 1024)
/* The disk starts writing every this many bytes (the fsync at the end then
 * waits for less). */
#define KICK_BYTES (8 * 1024 * 1024)

static void
sink_free(gpointer data)
{
    Sink *sink = data;

    if (sink->fd >= 0)
        close(sink->fd);
    g_free(sink->path);
    g_string_free(sink->buf, TRUE);
    g_free(sink);
}

static gboolean
sink_write(Sink *sink, const char *bytes, gsize len, GError **error)
{
    if (len > 0 && !ajar_files_write_all(sink->fd, bytes, len, NULL))
        return ajar_compact_fail_errno(error, errno, _("%s: could not write"), sink->path);
    sink->unsynced += len;
#ifdef SYNC_FILE_RANGE_WRITE
    if (sink->unsynced >= KICK_BYTES) {
        /* Only a head start for the fsync that follows, which is the promise. */
        sync_file_range(sink->fd, 0, 0, SYNC_FILE_RANGE_WRITE);
        sink->unsynced = 0;
    }
#endif
    return TRUE;
}

static gboolean
sink_flush(Sink *sink, GError **error)
{
    if (!sink_write(sink, sink->buf->str, sink->buf->len, error))
        return FALSE;
    g_string_truncate(sink->buf, 0);
    return TRUE;
}

static gboolean
sink_add(Sink *sink, const char *bytes, gsize len, GError **error)
{
    g_string_append_len(sink->buf, bytes, (gssize)len);
    return sink->buf->len < SINK_FLUSH || sink_flush(sink, error);
}

typedef struct {
    AjarCompactJob *job;
    Sink out;
    GHashTable *months; /* month -> Sink* (history files) */
    int last_month;     /* the latest month a moved line went to (-1: none yet) */
    GString *no_month;  /* moved lines before any line with a month */
    /* Consecutive lines going to one sink, still in the read buffer. */
    Sink *run;
    const char *run_start;
    gsize run_len;
} Router;

/* Writes the run of lines so far to its sink: straight from the read
 * buffer when it is long, else through the sink's buffer. */
static gboolean
end_run(Router *r, GError **error)
{
    Sink *sink = r->run;
    gboolean ok;

    if (sink == NULL || r->run_len == 0)
        ok = TRUE;
    else if (r->run_len >= DIRECT_RUN)
        ok = sink_flush(sink, error) && sink_write(sink, r->run_start, r->run_len, error);
    else
        ok = sink_add(sink, r->run_start, r->run_len, error);
    r->run = NULL;
    r->run_len = 0;
    return ok;
}

/* @line (in the read buffer, valid until end_run()) to @sink. */
static gboolean
add_to_run(Router *r, Sink *sink, const char *line, gsize len, GError **error)
{
    if (sink == r->run && line == r->run_start + r->run_len) {
        r->run_len += len;
        return TRUE;
    }
    if (!end_run(r, error))
        return FALSE;
    r->run = sink;
    r->run_start = line;
    r->run_len = len;
    return TRUE;
}

static Sink *
month_sink(Router *r, int month, GError **error)
{
    Sink *sink = g_hash_table_lookup(r->months, GINT_TO_POINTER(month));
    g_autofree char *name = NULL;

    if (sink != NULL)
        return sink;
    name = ajar_history_month_name(month);
    sink = g_new0(Sink, 1);
    sink->path = g_build_filename(r->job->dir, name, NULL);
    sink->buf = g_string_sized_new(SINK_FLUSH + 64 * 1024);
    sink->fd = open(sink->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (sink->fd < 0) {
        ajar_compact_fail_errno(error, errno, _("%s: could not open"), sink->path);
        sink_free(sink);
        return NULL;
    }
    g_hash_table_insert(r->months, GINT_TO_POINTER(month), sink);
    return sink;
}

/* The history file for a moved line of @month (-1: no readable ts): its
 * own month, or the month of the line moved before it when that is later
 * (a clock that went back never puts a message's later line in an earlier
 * file, which readers read first); a line without a ts goes with the line
 * before it. NULL and *@buffered when no month is known yet. */
static Sink *
sink_for_month(Router *r, int month, GError **error)
{
    Sink *sink;

    month = MAX(month, r->last_month);
    if (month < 0)
        return NULL;
    if ((sink = month_sink(r, month, error)) == NULL)
        return NULL;
    r->last_month = month;
    if (r->no_month->len > 0) {
        if (!end_run(r, error) || !sink_add(sink, r->no_month->str, r->no_month->len, error))
            return NULL;
        g_string_truncate(r->no_month, 0);
    }
    return sink;
}

static gboolean
is_kept(Router *r, const AjarHistoryLine *info)
{
    /* (An id too long to read here stays: it may be one in custody.) */
    return info->has_id && (info->id_too_long ||
                            (info->id[0] != '\0' && g_hash_table_contains(r->job->kept, info->id)));
}

/* One complete line with its "\n". @in_buffer: it is in the read buffer
 * (and may join a run), not a copy. */
static gboolean
route_line(Router *r, const char *line, gsize len, gboolean in_buffer, GError **error)
{
    g_autoptr(GError) local_error = NULL;
    AjarHistoryLine info;
    Sink *sink;

    ajar_history_read_line(line, len - 1, &info);
    if (is_kept(r, &info)) {
        r->job->lines_kept++;
        sink = &r->out;
    } else {
        r->job->lines_moved++;
        if (r->job->drop_history)
            return TRUE;
        sink = sink_for_month(r, info.month, &local_error);
        if (sink == NULL && local_error != NULL) {
            g_propagate_error(error, g_steal_pointer(&local_error));
            return FALSE;
        }
        if (sink == NULL) {
            g_string_append_len(r->no_month, line, (gssize)len);
            return TRUE;
        }
    }
    if (in_buffer)
        return add_to_run(r, sink, line, len, error);
    return end_run(r, error) && sink_add(sink, line, len, error);
}

/* A line longer than any event (malformed): routed by its start, then
 * streamed to where that went, never held whole. *@dest NULL: dropped. */
static gboolean
route_long_line_start(Router *r, const GString *start, Sink **dest, GError **error)
{
    AjarHistoryLine info;

    ajar_history_read_line(start->str, MIN(start->len, 4096), &info);
    *dest = NULL;
    if (!end_run(r, error))
        return FALSE;
    if (is_kept(r, &info)) {
        r->job->lines_kept++;
        *dest = &r->out;
        return sink_add(&r->out, start->str, start->len, error);
    }
    r->job->lines_moved++;
    if (r->job->drop_history)
        return TRUE;
    if (info.month < 0 && r->last_month < 0)
        info.month = ajar_history_month_of_time(r->job->now);
    if ((*dest = sink_for_month(r, info.month, error)) == NULL)
        return FALSE;
    return sink_add(*dest, start->str, start->len, error);
}

/* (Tests: what was routed so far reaches the files, then the crash.) */
static void
mid_copy_kill_point(Router *r)
{
    GHashTableIter iter;
    gpointer value;

    if (g_getenv("AJAR_TEST_COMPACT_KILL_AT") == NULL) /* no i18n: a variable */
        return;
    g_hash_table_iter_init(&iter, r->months);
    while (g_hash_table_iter_next(&iter, NULL, &value))
        sink_flush(value, NULL);
    sink_flush(&r->out, NULL);
    ajar_compact_kill_point("mid-copy");
}

static gboolean
route_all(Router *r, GError **error)
{
    AjarCompactJob *job = r->job;
    /* (Tests with a kill point read in small chunks: mid-copy comes soon.) */
    gsize chunk_size = g_getenv("AJAR_TEST_COMPACT_KILL_AT") != NULL ? 64 * 1024 : CHUNK;
    g_autofree char *chunk = g_malloc(chunk_size);
    g_autoptr(GString) carry = g_string_new(NULL);
    Sink *streaming = NULL; /* where a too-long line goes */
    gboolean in_long = FALSE;
    gint64 offset = 0;

    while (offset < job->summary_start) {
        gsize want = (gsize)MIN((gint64)chunk_size, job->summary_start - offset);
        ssize_t n = pread(job->src_fd, chunk, want, offset);
        const char *p, *end, *nl;

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return ajar_compact_fail_errno(error, n < 0 ? errno : EIO, _("%s: could not read"),
                                           job->journal_path);
        offset += n;
        for (p = chunk, end = chunk + n; p < end; p = nl + 1) {
            nl = memchr(p, '\n', (gsize)(end - p));
            if (nl == NULL) {
                /* A line that goes on in the next chunk. */
                if (in_long) {
                    if (streaming != NULL && !sink_add(streaming, p, (gsize)(end - p), error))
                        return FALSE;
                } else {
                    g_string_append_len(carry, p, end - p);
                    if (carry->len > AJAR_JOURNAL_MAX_LINE_BYTES) {
                        if (!route_long_line_start(r, carry, &streaming, error))
                            return FALSE;
                        g_string_truncate(carry, 0);
                        in_long = TRUE;
                    }
                }
                break;
            }
            if (in_long) {
                if (streaming != NULL && !sink_add(streaming, p, (gsize)(nl + 1 - p), error))
                    return FALSE;
                in_long = FALSE;
                streaming = NULL;
            } else if (carry->len > 0) {
                g_string_append_len(carry, p, nl + 1 - p);
                if (!route_line(r, carry->str, carry->len, FALSE, error))
                    return FALSE;
                g_string_truncate(carry, 0);
            } else if (!route_line(r, p, (gsize)(nl + 1 - p), TRUE, error)) {
                return FALSE;
            }
        }
        /* The buffer is read into again: what it holds goes now. */
        if (!end_run(r, error))
            return FALSE;
        if (offset < job->summary_start)
            mid_copy_kill_point(r);
    }
    /* (The summary follows a "\n": no line is left unended.) Lines that
     * never met a ts: the month of the compaction. */
    if (r->no_month->len > 0) {
        Sink *sink = month_sink(r, ajar_history_month_of_time(job->now), error);
        if (sink == NULL || !sink_add(sink, r->no_month->str, r->no_month->len, error))
            return FALSE;
    }
    return TRUE;
}

/* Copies [@from, @to) of @fd to @sink, and flushes it. */
static gboolean
copy_range(int fd, const char *path, gint64 from, gint64 to, Sink *sink, GError **error)
{
    g_autofree char *buf = g_malloc(CHUNK);

    while (from < to) {
        ssize_t n = pread(fd, buf, (gsize)MIN((gint64)CHUNK, to - from), from);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return ajar_compact_fail_errno(error, n < 0 ? errno : EIO, _("%s: could not read"),
                                           path);
        if (!sink_add(sink, buf, (gsize)n, error))
            return FALSE;
        from += n;
    }
    return sink_flush(sink, error);
}

gboolean
ajar_compact_job_run(AjarCompactJob *job, GError **error)
{
    g_autoptr(GHashTable) months = NULL;
    g_autoptr(GError) local_error = NULL;
    Router r = { 0 };
    gboolean ok = FALSE;
    GHashTableIter iter;
    gpointer value;

    g_return_val_if_fail(job != NULL && !job->ran && !job->finished, FALSE);
    /* Step 2: the record of what history held, on the disk before the first
     * line goes there; and .compact's name (made by begin), which says
     * "undo" until the rename. */
    if (!job->drop_history) {
        if (!ajar_files_ensure_private_dir(job->history_dir, &local_error)) {
            g_set_error_literal(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO,
                                local_error->message);
            return FALSE;
        }
        if (!ajar_history_write_pending(job->history_dir, error))
            return FALSE;
    }
    if (!ajar_files_sync_dir(job->dir, &local_error)) {
        g_set_error_literal(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO, local_error->message);
        return FALSE;
    }
    ajar_compact_kill_point("pending");

    /* Step 3: every line to its place, then the summary; all synced. */
    months = g_hash_table_new_full(NULL, NULL, NULL, sink_free);
    r.job = job;
    r.months = months;
    r.last_month = -1;
    r.no_month = g_string_new(NULL);
    r.out.fd = job->out_fd;
    r.out.path = job->compact_path;
    r.out.buf = g_string_sized_new(SINK_FLUSH + 64 * 1024);
    job->lines_kept = job->lines_moved = 0;
    if (!route_all(&r, error) ||
        !copy_range(job->src_fd, job->journal_path, job->summary_start, job->range_end, &r.out,
                    error) ||
        !ajar_compact_sync_fd(job->out_fd, job->compact_path, error))
        goto out;
    g_hash_table_iter_init(&iter, months);
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        Sink *sink = value;
        if (!sink_flush(sink, error) || !ajar_compact_sync_fd(sink->fd, sink->path, error))
            goto out;
    }
    if (g_hash_table_size(months) > 0 && !ajar_files_sync_dir(job->history_dir, &local_error)) {
        g_set_error_literal(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO, local_error->message);
        goto out;
    }
    job->history_files = g_hash_table_size(months);
    job->ran = TRUE;
    ok = TRUE;
    ajar_compact_kill_point("ran");
out:
    g_string_free(r.no_month, TRUE);
    g_string_free(r.out.buf, TRUE);
    return ok;
}
