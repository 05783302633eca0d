/* ajar-journal-read.c — reading journal.jsonl line by line, in chunks, for
 * the journal's own replay and for readers such as the command-line tool. */
#include "ajar/ajar-journal.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ajar/ajar-i18n.h"
#include "ajar-event-private.h"
#include "ajar-journal-private.h"

/* Big enough that a million short lines take few reads; lines longer than
 * this are joined across chunks. */
#define READ_CHUNK (256 * 1024)

void
ajar_journal_report_clear(AjarJournalReport *report)
{
    if (report == NULL)
        return;
    g_clear_pointer(&report->malformed_lines, g_array_unref);
    g_clear_pointer(&report->repaired_lines, g_array_unref);
    g_clear_pointer(&report->first_malformed_reason, g_free);
    memset(report, 0, sizeof *report);
}

void
ajar_journal_report_init(AjarJournalReport *report)
{
    memset(report, 0, sizeof *report);
    report->malformed_lines = g_array_new(FALSE, FALSE, sizeof(guint));
    report->repaired_lines = g_array_new(FALSE, FALSE, sizeof(guint));
}

/* A repair record (ajar_journal_append() writes "..., line N; kept as it
 * was") names the line it ended: if that line is among the malformed ones
 * reported, it is no unexplained damage. */
static void
note_repaired_line(AjarJournalReport *report, const char *message)
{
    const char *at = strstr(message, ", line ");
    guint64 line;

    if (at == NULL)
        return;
    line = g_ascii_strtoull(at + strlen(", line "), NULL, 10);
    for (guint i = 0; line > 0 && line <= G_MAXUINT && i < report->malformed_lines->len; i++) {
        if (g_array_index(report->malformed_lines, guint, i) == (guint)line) {
            guint line_no = (guint)line;
            for (guint j = 0; j < report->repaired_lines->len; j++)
                if (g_array_index(report->repaired_lines, guint, j) == line_no)
                    return;
            g_array_append_val(report->repaired_lines, line_no);
            return;
        }
    }
}

/* ---- reading ---- */

typedef struct {
    const char *path;
    const char *source; /* every event's source */
    AjarJournalLineEventFunc func;
    gpointer user_data;
    AjarJournalReport *report;
    gboolean have_prev;
    gint64 prev_seq;
    GString *pending;         /* the start of a line that continues in the next chunk */
    gsize pending_bytes;      /* its length, even when it was too long to keep */
    gboolean pending_long;    /* over AJAR_JOURNAL_MAX_LINE_BYTES: counted, not kept */
    gint64 pending_offset;    /* where that line starts in the file */
    gint64 chunk_offset;      /* where the chunk being fed starts in the file */
    AjarEventScratch scratch; /* the current line's strings */
} LineReader;

static void
malformed(LineReader *r, guint line_no, const char *reason)
{
    AjarJournalReport *report = r->report;

    report->malformed++;
    if (report->malformed_lines->len < AJAR_JOURNAL_MAX_REPORTED)
        g_array_append_val(report->malformed_lines, line_no);
    if (report->first_malformed_reason == NULL)
        /* TRANSLATORS: %1$u is a line's number in the journal, %2$s why it
         * could not be read. */
        report->first_malformed_reason = g_strdup_printf(_("line %u: %s"), line_no, reason);
}

static void
process_line(LineReader *r, const char *line, gsize len, gint64 offset, gboolean too_long)
{
    AjarJournalReport *report = r->report;
    g_autoptr(GError) local_error = NULL;
    AjarEvent decoded, *event = &decoded;
    guint line_no = ++report->lines;

    if (too_long) {
        g_autofree char *reason =
            g_strdup_printf(P_("longer than %d byte; skipped", "longer than %d bytes; skipped",
                               AJAR_JOURNAL_MAX_LINE_BYTES),
                            AJAR_JOURNAL_MAX_LINE_BYTES);
        malformed(r, line_no, reason);
        return;
    }
    if (!ajar_event_decode_into(line, len, &r->scratch, event, &local_error)) {
        malformed(r, line_no, local_error->message);
        return;
    }
    event->source = r->source;
    event->offset = offset;
    event->line_len = (guint32)len; /* at most AJAR_JOURNAL_MAX_LINE_BYTES */
    report->events++;
    if (r->have_prev) {
        if (event->seq <= r->prev_seq)
            report->seq_disorder++;
        else if (event->seq > r->prev_seq + 1)
            report->seq_gaps++;
    }
    r->have_prev = TRUE;
    r->prev_seq = event->seq;
    if (event->type == AJAR_EVENT_FAULT && event->message != NULL &&
        g_str_has_prefix(event->message, AJAR_JOURNAL_REPAIRED_PREFIX)) {
        report->repaired_tails++;
        note_repaired_line(report, event->message);
    }
    if (r->func != NULL)
        r->func(event, r->user_data);
}

static void
feed(LineReader *r, const char *data, gsize len)
{
    const char *p = data, *end = data + len, *nl;

    while ((nl = memchr(p, '\n', (gsize)(end - p))) != NULL) {
        gsize part = (gsize)(nl - p);
        if (r->pending_bytes == 0) {
            process_line(r, p, part, r->chunk_offset + (p - data),
                         part > AJAR_JOURNAL_MAX_LINE_BYTES);
        } else {
            gboolean too_long =
                r->pending_long || r->pending_bytes + part > AJAR_JOURNAL_MAX_LINE_BYTES;
            if (!too_long)
                g_string_append_len(r->pending, p, (gssize)part);
            process_line(r, r->pending->str, r->pending->len, r->pending_offset, too_long);
            g_string_truncate(r->pending, 0);
            r->pending_bytes = 0;
            r->pending_long = FALSE;
        }
        p = nl + 1;
    }
    if (p < end) {
        gsize part = (gsize)(end - p);
        if (r->pending_bytes == 0)
            r->pending_offset = r->chunk_offset + (p - data);
        r->pending_bytes += part;
        if (r->pending_bytes > AJAR_JOURNAL_MAX_LINE_BYTES) {
            /* Never buffer more than a line may hold, whatever the file. */
            r->pending_long = TRUE;
            g_string_truncate(r->pending, 0);
        } else {
            g_string_append_len(r->pending, p, (gssize)part);
        }
    }
    r->chunk_offset += (gint64)len;
}

/* Reads from @fd's offset to its end (@end < 0), or with pread() the bytes
 * [0, @end) whatever the offset, stopping early (TRUE, the rest unread)
 * when *@cancel becomes non-zero. */
static gboolean
read_chunks(int fd, const char *path, const char *source, gint64 end, const gint *cancel,
            AjarJournalLineEventFunc func, gpointer user_data, AjarJournalReport *report,
            GString *tail, GError **error)
{
    /* pread() from 0 up to @end, or read() on from the descriptor's offset. */
    off_t start = end >= 0 ? 0 : lseek(fd, 0, SEEK_CUR);
    g_autofree char *buf = g_malloc(READ_CHUNK);
    LineReader r = { 0 };
    gboolean ok = TRUE;
    gint64 pos = 0;

    r.path = path;
    r.source = source;
    r.chunk_offset = start > 0 ? (gint64)start : 0;
    r.func = func;
    r.user_data = user_data;
    r.report = report;
    r.pending = tail != NULL ? tail : g_string_new(NULL);
    g_string_truncate(r.pending, 0);
    for (;;) {
        ssize_t n;

        if (cancel != NULL && g_atomic_int_get(cancel) != 0)
            break;
        if (end < 0)
            n = read(fd, buf, READ_CHUNK);
        else if (pos < end)
            n = pread(fd, buf, (size_t)MIN(end - pos, READ_CHUNK), pos);
        else
            n = 0;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO,
                        _("%s: could not read: %s"), path, g_strerror(errno));
            ok = FALSE;
            break;
        }
        if (n == 0)
            break;
        pos += n;
        feed(&r, buf, (gsize)n);
    }
    if (r.pending_bytes > 0) {
        report->incomplete_tail = TRUE;
        report->incomplete_tail_bytes = r.pending_bytes;
    }
    if (tail == NULL)
        g_string_free(r.pending, TRUE);
    ajar_event_scratch_clear(&r.scratch);
    return ok;
}

gboolean
ajar_journal_read_fd_from(int fd, const char *path, const char *source,
                          AjarJournalLineEventFunc func, gpointer user_data,
                          AjarJournalReport *report, GString *tail, GError **error)
{
    return read_chunks(fd, path, source, -1, NULL, func, user_data, report, tail, error);
}

gboolean
ajar_journal_read_fd(int fd, const char *path, AjarJournalLineEventFunc func, gpointer user_data,
                     AjarJournalReport *report, GString *tail, GError **error)
{
    return read_chunks(fd, path, NULL, -1, NULL, func, user_data, report, tail, error);
}

gboolean
ajar_journal_read_fd_range(int fd, const char *path, gint64 end, const gint *cancel,
                           AjarJournalLineEventFunc func, gpointer user_data,
                           AjarJournalReport *report, GString *tail, GError **error)
{
    g_return_val_if_fail(end >= 0, FALSE);
    return read_chunks(fd, path, NULL, end, cancel, func, user_data, report, tail, error);
}

/* A regular file, or an error: a FIFO or device (/dev/zero) in the
 * journal's place would hang or never end. */
gboolean
ajar_journal_check_regular(int fd, const char *path, struct stat *st, GError **error)
{
    if (fstat(fd, st) != 0) {
        g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO, _("%s: could not read: %s"),
                    path, g_strerror(errno));
        return FALSE;
    }
    if (!S_ISREG(st->st_mode)) {
        g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO,
                    _("%s: is not a regular file"), path);
        return FALSE;
    }
    return TRUE;
}

gboolean
ajar_journal_read_file(const char *path, AjarJournalEventFunc func, gpointer user_data,
                       AjarJournalReport *report, GError **error)
{
    return ajar_journal_read_file_from(path, NULL, func, user_data, report, error);
}

gboolean
ajar_journal_read_file_from(const char *path, const char *source, AjarJournalEventFunc func,
                            gpointer user_data, AjarJournalReport *report, GError **error)
{
    AjarJournalReport local_report;
    struct stat st;
    gboolean ok;
    int fd;

    g_return_val_if_fail(path != NULL, FALSE);
    if (report == NULL)
        report = &local_report;
    ajar_journal_report_init(report);

    fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        ok = errno == ENOENT; /* no journal yet: nothing happened */
        if (!ok)
            g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO,
                        _("%s: could not open: %s"), path, g_strerror(errno));
    } else {
        ok = ajar_journal_check_regular(fd, path, &st, error) &&
             ajar_journal_read_fd_from(fd, path, source, func, user_data, report, NULL, error);
        close(fd);
    }
    if (report == &local_report)
        ajar_journal_report_clear(&local_report);
    return ok;
}

gboolean
ajar_journal_read_open_file(int fd, const char *path, AjarJournalEventFunc func, gpointer user_data,
                            AjarJournalReport *report, GError **error)
{
    AjarJournalReport local_report;
    struct stat st;
    gboolean ok;

    g_return_val_if_fail(fd >= 0 && path != NULL, FALSE);
    if (report == NULL)
        report = &local_report;
    ajar_journal_report_init(report);
    ok = ajar_journal_check_regular(fd, path, &st, error);
    if (ok && lseek(fd, 0, SEEK_SET) != 0) {
        g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO, _("%s: could not read: %s"),
                    path, g_strerror(errno));
        ok = FALSE;
    }
    ok = ok && read_chunks(fd, path, NULL, -1, NULL, func, user_data, report, NULL, error);
    if (report == &local_report)
        ajar_journal_report_clear(&local_report);
    return ok;
}
