/* ajar-journal.c — journal.jsonl: replay on open, locked append-only writes,
 * and the fdatasync policy that keeps the custody promise. */
#include "ajar/ajar-journal.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ajar/ajar-files.h"
#include "ajar/ajar-i18n.h"
#include "ajar/ajar-lock.h"
#include "ajar-journal-private.h"

G_DEFINE_QUARK(ajar_journal_error_quark, ajar_journal_error)

#define ULID_LENGTH 26

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

struct _AjarJournal {
    char *path;
    int fd;
    AjarFlushPolicy policy;
    AjarState *state;
    AjarJournalReport report;
    gint64 next_seq;
    gboolean broken; /* a failed write could not be cut back: reopen */

    /* The bytes after the last "\n" at open, and (if they form a valid event)
     * that event: ending the line makes it a line every reader will apply. */
    gsize tail_bytes;
    guint tail_line;
    AjarEvent *tail_event;
    /* A complete but damaged line just before that tail: a cut line that the
     * repair now in the tail had ended ("\n" first) but not yet noted when a
     * crash cut the repair too. Noted with the tail's repair (0: none). */
    guint cut_line;

    /* The last id made here: 48 bits of ms and 80 random bits. */
    gboolean have_last_id;
    guint64 last_id_hi; /* ms << 16 | the top 16 random bits */
    guint64 last_id_lo; /* the low 64 random bits */

    /* Shared with the sync thread, under @lock. */
    GMutex lock;
    GCond cond;
    GThread *sync_thread;
    gboolean dirty;
    gboolean stopping;
    GError *sync_error;
};

/* ---- ids ---- */

static void
id_encode(guint64 hi, guint64 lo, char out[ULID_LENGTH + 1])
{
    /* 26 base32 digits hold 130 bits; the top two are zero. */
    for (int i = ULID_LENGTH - 1; i >= 0; i--) {
        out[i] = crockford[lo & 31];
        lo = (lo >> 5) | (hi << 59);
        hi >>= 5;
    }
    out[ULID_LENGTH] = '\0';
}

static gboolean
id_decode(const char *id, guint64 *hi, guint64 *lo)
{
    guint64 h = 0, l = 0;

    if (id == NULL || strlen(id) != ULID_LENGTH || id[0] > '7')
        return FALSE;
    for (int i = 0; i < ULID_LENGTH; i++) {
        const char *digit = strchr(crockford, id[i]);
        if (digit == NULL || id[i] == '\0')
            return FALSE;
        h = (h << 5) | (l >> 59);
        l = (l << 5) | (guint64)(digit - crockford);
    }
    *hi = h;
    *lo = l;
    return TRUE;
}

/* Sets *@hi:*@lo to an id after @last_hi:@last_lo, a random step of up to
 * 2^70 (at least 2^69) further, so that ids made in one burst (one millisecond) still differ
 * within their first 13 characters, which keeps the short ids people type
 * short. (A step of 1, the ULID spec's, makes them differ only in the last.)
 * A burst of some 700 ids carries into the time part, which stays a
 * millisecond or so ahead. Returns FALSE, changing nothing, when no id is
 * left after the last one. */
static gboolean
next_after(guint64 last_hi, guint64 last_lo, guint64 *hi, guint64 *lo)
{
    guint64 step_lo = ((guint64)g_random_int() << 32) | g_random_int() | 1;
    guint64 step_hi = 0x20 | (g_random_int() & 0x1f); /* a step of at least 2^69 */
    guint64 new_lo = last_lo + step_lo;
    guint64 new_hi = last_hi + step_hi + (new_lo < last_lo ? 1 : 0);

    if (new_hi < last_hi)
        return FALSE;
    *hi = new_hi;
    *lo = new_lo;
    return TRUE;
}

char *
ajar_journal_new_id(AjarJournal *journal, gint64 now)
{
    const guint64 max_ms = (G_GUINT64_CONSTANT(1) << 48) - 1;
    guint64 ms, hi, lo, seen_hi, seen_lo;
    char out[ULID_LENGTH + 1];

    g_return_val_if_fail(journal != NULL, NULL);
    ms = now <= 0 ? 0 : MIN((guint64)now / 1000, max_ms);

    /* The greatest id known: made here, or read from the journal (which
     * also holds ids written by an earlier run with a faster clock). */
    if (id_decode(ajar_state_get_last_id(journal->state), &seen_hi, &seen_lo) &&
        (!journal->have_last_id || seen_hi > journal->last_id_hi ||
         (seen_hi == journal->last_id_hi && seen_lo > journal->last_id_lo))) {
        journal->have_last_id = TRUE;
        journal->last_id_hi = seen_hi;
        journal->last_id_lo = seen_lo;
    }

    if (journal->have_last_id && ms <= journal->last_id_hi >> 16 &&
        next_after(journal->last_id_hi, journal->last_id_lo, &hi, &lo)) {
        /* Same millisecond, or the clock went back: an id after the last
         * one. */
    } else {
        hi = (ms << 16) | (g_random_int() & 0xffff);
        lo = ((guint64)g_random_int() << 32) | g_random_int();
    }
    id_encode(hi, lo, out);
    /* Never an id a kept message already has: a new message under it would
     * overwrite the old one. Only a journal holding the greatest id there is
     * (after which the next would wrap to the smallest) gets here; its new
     * ids cannot sort after that one, but they stay unique. */
    while (ajar_state_lookup(journal->state, out) != NULL) {
        hi = (ms << 16) | (g_random_int() & 0xffff);
        lo = ((guint64)g_random_int() << 32) | g_random_int();
        id_encode(hi, lo, out);
    }
    journal->have_last_id = TRUE;
    journal->last_id_hi = hi;
    journal->last_id_lo = lo;
    return g_strdup(out);
}

/* ---- syncing ---- */

static int
fdatasync_retry(int fd)
{
    int rc;

    do
        rc = fdatasync(fd);
    while (rc != 0 && errno == EINTR);
    return rc;
}

static gpointer
sync_thread_cb(gpointer data)
{
    AjarJournal *journal = data;

    /* Syncs as soon as something is dirty: whatever is appended during one
     * fdatasync goes in the next, so the syncs batch themselves and a line
     * waits at most two fdatasyncs, well within AJAR_JOURNAL_SYNC_DELAY_MS on
     * a working disk. */
    g_mutex_lock(&journal->lock);
    for (;;) {
        int rc, saved;
        while (!journal->dirty && !journal->stopping)
            g_cond_wait(&journal->cond, &journal->lock);
        if (!journal->dirty)
            break;
        journal->dirty = FALSE;
        g_mutex_unlock(&journal->lock);
        rc = fdatasync_retry(journal->fd);
        saved = errno;
        g_mutex_lock(&journal->lock);
        if (rc != 0 && journal->sync_error == NULL)
            journal->sync_error =
                g_error_new(AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_SYNC,
                            _("%s: could not sync to disk: %s"), journal->path, g_strerror(saved));
    }
    g_mutex_unlock(&journal->lock);
    return NULL;
}

static void
mark_dirty(AjarJournal *journal)
{
    g_mutex_lock(&journal->lock);
    journal->dirty = TRUE;
    g_cond_signal(&journal->cond);
    g_mutex_unlock(&journal->lock);
}

gboolean
ajar_journal_sync(AjarJournal *journal, GError **error)
{
    g_return_val_if_fail(journal != NULL, FALSE);
    if (journal->fd < 0) {
        g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_CLOSED, _("%s: is closed"),
                    journal->path);
        return FALSE;
    }
    if (fdatasync_retry(journal->fd) != 0) {
        g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_SYNC,
                    _("%s: could not sync to disk: %s"), journal->path, g_strerror(errno));
        return FALSE;
    }
    return TRUE;
}

gboolean
ajar_journal_check_sync(AjarJournal *journal, GError **error)
{
    GError *sync_error;

    g_return_val_if_fail(journal != NULL, FALSE);
    g_mutex_lock(&journal->lock);
    sync_error = g_steal_pointer(&journal->sync_error);
    g_mutex_unlock(&journal->lock);
    if (sync_error != NULL) {
        g_propagate_error(error, sync_error);
        return FALSE;
    }
    return TRUE;
}

/* ---- open and close ---- */

static void
apply_cb(const AjarEvent *event, gpointer user_data)
{
    ajar_state_apply(user_data, event);
}

static gboolean
take_lock(AjarJournal *journal, GError **error)
{
    int rc, saved_errno, holder; /* holder: a pid */

    do
        rc = flock(journal->fd, LOCK_EX | LOCK_NB);
    while (rc != 0 && errno == EINTR);
    if (rc == 0)
        return TRUE;
    saved_errno = errno; /* the holder's lookup below may change errno */
    if (saved_errno == EWOULDBLOCK && (holder = ajar_lock_find_holder(journal->path)) > 0)
        g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_BUSY,
                    /* TRANSLATORS: %s is the journal's path, %d the process that has it. */
                    _("%s: is in use by process %d (is the messenger running twice?)"),
                    journal->path, holder);
    else if (saved_errno == EWOULDBLOCK)
        g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_BUSY,
                    _("%s: is in use by another program (is the messenger running twice?)"),
                    journal->path);
    else
        g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO, _("%s: could not lock: %s"),
                    journal->path, g_strerror(saved_errno));
    return FALSE;
}

/* TRUE when @tail, a last line a crash cut, could be the start of the
 * repair note ajar_journal_append() writes right after ending a cut line
 * ({"seq":N,"ts":"<24 characters>","event":"error","message":"journal.jsonl:
 * repaired..."): only then is the damaged line before it one that an earlier
 * repair ended. Any other damaged line stays damage the user hears of. */
static gboolean
tail_is_cut_repair(const char *tail, gsize len)
{
    static const char seq_key[] = "{\"seq\":";
    static const char ts_key[] = ",\"ts\":\"";
    static const char rest[] = "\",\"event\":\"error\",\"message\":\"" AJAR_JOURNAL_REPAIRED_PREFIX;
    const gsize ts_len = 24; /* 2026-11-27T21:04:09.113Z */
    gsize i, n;

    n = MIN(len, sizeof seq_key - 1);
    if (len == 0 || memcmp(tail, seq_key, n) != 0)
        return FALSE;
    i = n;
    while (i < len && g_ascii_isdigit(tail[i]))
        i++;
    n = MIN(len - i, sizeof ts_key - 1);
    if (memcmp(tail + i, ts_key, n) != 0)
        return FALSE;
    i += n;
    i += MIN(len - i, ts_len);
    n = MIN(len - i, sizeof rest - 1);
    return memcmp(tail + i, rest, n) == 0;
}

static gboolean
replay(AjarJournal *journal, GError **error)
{
    g_autoptr(GString) tail = g_string_new(NULL);

    ajar_journal_report_init(&journal->report);
    if (!ajar_journal_read_fd(journal->fd, journal->path, apply_cb, journal->state,
                              &journal->report, tail, error))
        return FALSE;
    if (journal->report.incomplete_tail) {
        journal->tail_bytes = journal->report.incomplete_tail_bytes;
        journal->tail_line = journal->report.lines + 1;
        if (tail->len > 0) {
            g_autoptr(GError) ignored = NULL;
            journal->tail_event = ajar_event_decode(tail->str, tail->len, &ignored);
        }
        if (journal->report.malformed > 0 &&
            journal->report.malformed <= AJAR_JOURNAL_MAX_REPORTED &&
            g_array_index(journal->report.malformed_lines, guint,
                          journal->report.malformed_lines->len - 1) == journal->report.lines &&
            tail_is_cut_repair(tail->str, tail->len))
            journal->cut_line = journal->report.lines;
    }
    /* (A hostile seq near G_MAXINT64 must not overflow: later lines then
     * repeat seqs, reported as disorder, rather than turn negative.) */
    journal->next_seq = MIN(ajar_state_get_last_seq(journal->state), G_MAXINT64 - 2) + 1;
    /* A crash can cut a write just before its "\n": that line becomes valid
     * once repaired, so later lines must number after it. */
    if (journal->tail_event != NULL && journal->tail_event->seq >= journal->next_seq &&
        journal->tail_event->seq < G_MAXINT64 - 2)
        journal->next_seq = journal->tail_event->seq + 1;
    return TRUE;
}

AjarJournal *
ajar_journal_open(const char *dir, AjarFlushPolicy policy, GError **error)
{
    g_autoptr(GError) local_error = NULL;
    AjarJournal *journal;
    struct stat st;

    g_return_val_if_fail(dir != NULL, NULL);
    if (!ajar_files_ensure_private_dir(dir, &local_error)) {
        g_set_error_literal(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO, local_error->message);
        return NULL;
    }

    journal = g_new0(AjarJournal, 1);
    journal->path = g_build_filename(dir, AJAR_JOURNAL_FILE, NULL);
    journal->policy = policy;
    journal->state = ajar_state_new();
    g_mutex_init(&journal->lock);
    g_cond_init(&journal->cond);

    /* Read and write on one descriptor: the file replayed is the file
     * appended to. O_NONBLOCK only so that a FIFO put in its place cannot
     * block the open. */
    journal->fd = open(journal->path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0600);
    if (journal->fd < 0) {
        g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO, _("%s: could not open: %s"),
                    journal->path, g_strerror(errno));
        goto failed;
    }
    if (!ajar_journal_check_regular(journal->fd, journal->path, &st, error))
        goto failed;
    if ((st.st_mode & 077) != 0 && fchmod(journal->fd, 0600) != 0) {
        g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO,
                    _("%s: could not set the file's permissions to 0600: %s"), journal->path,
                    g_strerror(errno));
        goto failed;
    }
    if (!take_lock(journal, error) || !replay(journal, error))
        goto failed;
    if (policy == AJAR_FLUSH_BATCHED) {
        journal->sync_thread =
            g_thread_try_new("ajar-journal-sync", sync_thread_cb, journal, &local_error);
        if (journal->sync_thread == NULL) {
            g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO,
                        _("%s: could not start the sync thread: %s"), journal->path,
                        local_error->message);
            goto failed;
        }
    }
    return journal;

failed:
    ajar_journal_close(journal);
    return NULL;
}

void
ajar_journal_close(AjarJournal *journal)
{
    if (journal == NULL)
        return;
    if (journal->sync_thread != NULL) {
        g_mutex_lock(&journal->lock);
        journal->stopping = TRUE;
        g_cond_signal(&journal->cond);
        g_mutex_unlock(&journal->lock);
        g_thread_join(journal->sync_thread);
    }
    if (journal->fd >= 0) {
        fdatasync_retry(journal->fd);
        close(journal->fd); /* also drops the lock */
    }
    ajar_state_free(journal->state);
    ajar_journal_report_clear(&journal->report);
    ajar_event_free(journal->tail_event);
    g_clear_error(&journal->sync_error);
    g_mutex_clear(&journal->lock);
    g_cond_clear(&journal->cond);
    g_free(journal->path);
    g_free(journal);
}

/* ---- appending ---- */

static gboolean
fail_closed(AjarJournal *journal, GError **error)
{
    g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_CLOSED,
                _("%s: an earlier write failed and could not be undone; reopen the journal"),
                journal->path);
    return FALSE;
}

/* Whether the path still names the file we have open. Lines appended to a
 * journal that was deleted or renamed over would vanish at the next start,
 * with the messages they kept: refuse instead, so they are shown or kept in
 * memory and the user is told. */
static gboolean
still_at_path(AjarJournal *journal, GError **error)
{
    struct stat open_file, at_path;

    if (fstat(journal->fd, &open_file) == 0 && stat(journal->path, &at_path) == 0 &&
        open_file.st_dev == at_path.st_dev && open_file.st_ino == at_path.st_ino)
        return TRUE;
    g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_CLOSED,
                _("%s: was deleted or replaced while in use, so nothing more is written to it; "
                  "restart Ajar to use the file there now"),
                journal->path);
    return FALSE;
}

/* Writes @buf at the end of the file, or leaves the file as it was. */
static gboolean
write_or_undo(AjarJournal *journal, const GString *buf, GError **error)
{
    struct stat st;
    gsize written = 0;
    int saved;

    if (fstat(journal->fd, &st) == 0 &&
        ajar_files_write_all(journal->fd, buf->str, buf->len, &written))
        return TRUE;
    saved = errno;
    /* A part that reached the file must not stay: it would be a line that
     * replays without having been applied, or a tail the next write ends. */
    if (written > 0 && ftruncate(journal->fd, st.st_size) != 0)
        journal->broken = TRUE;
    g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO, _("%s: could not write: %s"),
                journal->path, g_strerror(saved));
    return FALSE;
}

static gint64
floor_to_ms(gint64 unix_us)
{
    gint64 sub_ms = unix_us % 1000;
    return unix_us - (sub_ms < 0 ? sub_ms + 1000 : sub_ms);
}

gboolean
ajar_journal_append(AjarJournal *journal, AjarEvent *event, GError **error)
{
    g_autoptr(GString) buf = g_string_new(NULL);
    g_autoptr(AjarEvent) repair = NULL;
    g_autoptr(AjarEvent) cut_repair = NULL;
    gint64 seq, old_seq;
    gsize line_start;

    g_return_val_if_fail(journal != NULL && event != NULL, FALSE);
    if (journal->fd < 0 || journal->broken)
        return fail_closed(journal, error);
    if (!still_at_path(journal, error))
        return FALSE;

    /* Milliseconds on disk (PRODUCT.md's format): rounding here makes the
     * state agree with a later replay. */
    event->ts = floor_to_ms(event->ts);
    if (event->id == NULL && ajar_event_type_is_custody(event->type))
        event->id = ajar_journal_new_id(journal, event->ts);

    seq = journal->next_seq;
    if (journal->tail_bytes > 0) {
        /* The tail's line ends first, whatever comes after it. */
        g_string_append_c(buf, '\n');
        if (journal->cut_line > 0) {
            cut_repair = ajar_event_new(AJAR_EVENT_FAULT);
            cut_repair->seq = seq;
            /* Three lines may need a seq each: never past G_MAXINT64 (a
             * hostile journal then repeats one; see replay()). */
            seq = seq < G_MAXINT64 ? seq + 1 : seq;
            cut_repair->ts = event->ts;
            /* Never translated: the journal's words, which readers look for. */
            cut_repair->message = g_strdup_printf(AJAR_JOURNAL_REPAIRED_PREFIX
                                                  " a line a crash cut, ended by an earlier repair "
                                                  "that a crash cut too, line %u; kept as it was",
                                                  journal->cut_line);
            ajar_event_encode(cut_repair, buf);
        }
        repair = ajar_event_new(AJAR_EVENT_FAULT);
        repair->seq = seq;
        seq = seq < G_MAXINT64 ? seq + 1 : seq;
        repair->ts = event->ts;
        /* Never translated, as above. */
        repair->message = g_strdup_printf(AJAR_JOURNAL_REPAIRED_PREFIX
                                          " an incomplete last line (%" G_GSIZE_FORMAT
                                          " bytes, line %u) left by a crash; kept as it was",
                                          journal->tail_bytes, journal->tail_line);
        ajar_event_encode(repair, buf);
    }
    old_seq = event->seq;
    event->seq = seq;
    line_start = buf->len;
    ajar_event_encode(event, buf);
    if (buf->len - line_start - 1 > AJAR_JOURNAL_MAX_LINE_BYTES) {
        event->seq = old_seq;
        g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_TOO_LARGE,
                    P_("%s: could not write: the event is longer than %d byte",
                       "%s: could not write: the event is longer than %d bytes",
                       AJAR_JOURNAL_MAX_LINE_BYTES),
                    journal->path, AJAR_JOURNAL_MAX_LINE_BYTES);
        return FALSE;
    }
    /* One write for the repair and the event: both land, or neither. */
    if (!write_or_undo(journal, buf, error)) {
        event->seq = old_seq;
        return FALSE;
    }

    if (repair != NULL) {
        /* In file order: the tail line, now ended, then the note about it. */
        if (journal->tail_event != NULL)
            ajar_state_apply(journal->state, journal->tail_event);
        if (cut_repair != NULL)
            ajar_state_apply(journal->state, cut_repair);
        ajar_state_apply(journal->state, repair);
        g_clear_pointer(&journal->tail_event, ajar_event_free);
        journal->tail_bytes = 0;
        journal->cut_line = 0;
    }
    ajar_state_apply(journal->state, event);
    journal->next_seq = MIN(seq, G_MAXINT64 - 2) + 1; /* see replay() */

    if (journal->policy == AJAR_FLUSH_EVERY_EVENT && ajar_event_type_is_custody(event->type)) {
        if (fdatasync_retry(journal->fd) != 0) {
            g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_SYNC,
                        _("%s: the event was written but could not be synced to disk: %s"),
                        journal->path, g_strerror(errno));
            return FALSE;
        }
        return TRUE;
    }
    mark_dirty(journal);
    return TRUE;
}

const AjarState *
ajar_journal_get_state(const AjarJournal *journal)
{
    g_return_val_if_fail(journal != NULL, NULL);
    return journal->state;
}

guint
ajar_journal_get_cut_repair_line(const AjarJournal *journal)
{
    g_return_val_if_fail(journal != NULL, 0);
    return journal->cut_line;
}

const AjarJournalReport *
ajar_journal_get_open_report(const AjarJournal *journal)
{
    g_return_val_if_fail(journal != NULL, NULL);
    return &journal->report;
}

const char *
ajar_journal_get_path(const AjarJournal *journal)
{
    g_return_val_if_fail(journal != NULL, NULL);
    return journal->path;
}
