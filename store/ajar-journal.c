/* ajar-journal.c — journal.jsonl: replay on open, locked append-only writes,
 * and the fdatasync policy that keeps the custody promise. */
#include "ajar/ajar-journal.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ajar/ajar-compact.h"
#include "ajar/ajar-files.h"
#include "ajar/ajar-i18n.h"
#include "ajar/ajar-lock.h"
#include "ajar-state-private.h"
#include "ajar-journal-private.h"
#include "ajar-journal-struct.h"

G_DEFINE_QUARK(ajar_journal_error_quark, ajar_journal_error)

char *
ajar_journal_new_id(AjarJournal *journal, gint64 now)
{
    g_return_val_if_fail(journal != NULL, NULL);
    return ajar_id_clock_next(&journal->ids, journal->state, now);
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
        journal->syncing = TRUE;
        g_mutex_unlock(&journal->lock);
        rc = fdatasync_retry(journal->fd);
        saved = errno;
        g_mutex_lock(&journal->lock);
        journal->syncing = FALSE;
        g_cond_broadcast(&journal->cond);
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
    g_cond_broadcast(&journal->cond);
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

/* Tests only (tests/unit/test-compact-crash.c): with
 * AJAR_TEST_PAUSE_BEFORE_LOCK=PATH, stops between open() and flock(),
 * saying so with PATH.ready, until PATH.go exists (10 s at most). */
static void
test_pause_before_lock(void)
{
    const char *at = g_getenv("AJAR_TEST_PAUSE_BEFORE_LOCK"); /* no i18n: a variable */
    g_autofree char *ready = NULL, *go = NULL;

    if (at == NULL)
        return;
    ready = g_strconcat(at, ".ready", NULL); /* no i18n: file names */
    go = g_strconcat(at, ".go", NULL);
    g_file_set_contents(ready, "", 0, NULL);
    for (int i = 0; i < 1000 && !g_file_test(go, G_FILE_TEST_EXISTS); i++)
        g_usleep(10000);
}

AjarJournal *
ajar_journal_open_locked(const char *dir, AjarFlushPolicy policy, GError **error)
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
    journal->fd = -1;
    journal->policy = policy;
    journal->state = ajar_state_new();
    journal->kept_lines = ajar_custody_lines_new();
    ajar_journal_report_init(&journal->report);
    g_mutex_init(&journal->lock);
    g_cond_init(&journal->cond);

    /* Read and write on one descriptor: the file replayed is the file
     * appended to. O_NONBLOCK only so that a FIFO put in its place cannot
     * block the open. */
    if (!ajar_journal_take_up_renewal(journal->path, error))
        goto failed;
    for (guint attempt = 0;; attempt++) {
        journal->fd =
            open(journal->path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0600);
        if (journal->fd < 0) {
            g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO,
                        _("%s: could not open: %s"), journal->path, g_strerror(errno));
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
        test_pause_before_lock();
        if (!take_lock(journal, error))
            goto failed;
        /* A compaction renames its new file, locked, over the path and then
         * lets go of the old one: the lock just taken may be the old file's.
         * Only the file at the path counts. */
        if (ajar_journal_fd_is_at_path(journal->fd, journal->path) || attempt >= 20)
            break;
        close(journal->fd);
        journal->fd = -1;
    }
    /* The lock holder alone finishes or undoes a compaction a crash cut. */
    if (!ajar_compact_recover(dir, error))
        goto failed;
    return journal;

failed:
    ajar_journal_close(journal);
    return NULL;
}

gboolean
ajar_journal_start_sync(AjarJournal *journal, GError **error)
{
    g_autoptr(GError) local_error = NULL;

    if (journal->policy != AJAR_FLUSH_BATCHED)
        return TRUE;
    journal->sync_thread =
        g_thread_try_new("ajar-journal-sync", sync_thread_cb, journal, &local_error);
    if (journal->sync_thread == NULL) {
        g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO,
                    _("%s: could not start the sync thread: %s"), journal->path,
                    local_error->message);
        return FALSE;
    }
    return TRUE;
}

AjarJournal *
ajar_journal_open(const char *dir, AjarFlushPolicy policy, GError **error)
{
    AjarJournal *journal = ajar_journal_open_locked(dir, policy, error);

    if (journal != NULL &&
        (!ajar_journal_replay(journal, error) || !ajar_journal_start_sync(journal, error)))
        g_clear_pointer(&journal, ajar_journal_close);
    return journal;
}

void
ajar_journal_close(AjarJournal *journal)
{
    if (journal == NULL)
        return;
    /* A replay still running is stopped and waited for. */
    ajar_journal_load_stop(journal);
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
    ajar_custody_lines_free(journal->kept_lines);
    ajar_journal_report_clear(&journal->report);
    ajar_event_free(journal->tail_event);
    g_clear_error(&journal->sync_error);
    g_clear_error(&journal->load_error);
    g_free(journal->renewal_note);
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

/* Whether the path still names the file we have open, as Ajar left it.
 * Lines appended to a journal that was deleted or renamed over would vanish
 * at the next start, with the messages they kept; lines appended to one
 * overwritten in place (a backup copied over it) would follow lines that
 * say other things of the same messages. */
static gboolean
still_at_path(AjarJournal *journal)
{
    struct stat open_file, at_path;

    return fstat(journal->fd, &open_file) == 0 && stat(journal->path, &at_path) == 0 &&
           open_file.st_dev == at_path.st_dev && open_file.st_ino == at_path.st_ino &&
           open_file.st_size == journal->size;
}

/* Applies @event to the state, and keeps the copy of its message's line up
 * to date (@line: its line, @len bytes, or NULL when not at hand). */
static void
apply(AjarJournal *journal, const AjarEvent *event, const char *line, gsize len)
{
    ajar_state_apply(journal->state, event);
    ajar_custody_lines_note(journal->kept_lines, journal->state, event, line, len);
}

/* A new journal.jsonl in place of the one gone (ajar-journal-renew.c); the
 * state stays, and appends go on in the new file. */
static gboolean
renew(AjarJournal *journal, gint64 now, GError **error)
{
    AjarJournalRenewal renewal;
    int old_fd;

    /* A valid line a crash left unended goes into the new file (and the
     * state) as ending it would have; the old file's repair is moot. */
    if (!ajar_journal_renew_file(journal->path, journal->fd, journal->state, journal->kept_lines,
                                 journal->tail_event, journal->next_seq, now, &renewal, error))
        return FALSE;
    g_clear_pointer(&journal->tail_event, ajar_event_free);
    journal->tail_bytes = 0;
    journal->cut_line = 0;
    for (guint i = 0; i < renewal.relocated->len; i++) {
        AjarTextPlace *place = &g_array_index(renewal.relocated, AjarTextPlace, i);
        ajar_state_relocate_text(journal->state, place->id, NULL, place->offset, place->line_len);
        g_free(place->id);
    }
    g_array_unref(renewal.relocated);
    for (guint i = 0; i < renewal.to_apply->len; i++)
        apply(journal, g_ptr_array_index(renewal.to_apply, i), NULL, 0);
    g_ptr_array_unref(renewal.to_apply);
    journal->next_seq = renewal.next_seq;
    journal->size = renewal.size;
    g_free(journal->renewal_note);
    journal->renewal_note = renewal.user_note;

    /* The sync thread may be in fdatasync() on the old descriptor. */
    g_mutex_lock(&journal->lock);
    while (journal->syncing)
        g_cond_wait(&journal->cond, &journal->lock);
    old_fd = journal->fd;
    journal->fd = renewal.fd;
    g_mutex_unlock(&journal->lock);
    close(old_fd);
    return TRUE;
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
    /* While the replay runs: see ajar-journal-load.c. After a replay that
     * failed, nothing more is kept (the messenger said so). */
    if ((journal->load != NULL || journal->load_error != NULL) &&
        !ajar_journal_load_before_append(journal, journal->load != NULL && !still_at_path(journal),
                                         error))
        return FALSE;

    /* Milliseconds on disk (PRODUCT.md's format): rounding here makes the
     * state agree with a later replay. */
    event->ts = floor_to_ms(event->ts);
    if (!still_at_path(journal) && !renew(journal, event->ts, error))
        return FALSE;
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
    /* Where the line is: the state's item finds its text there. */
    event->source = NULL;
    event->offset = journal->size + (gint64)line_start;
    event->line_len = (guint32)(buf->len - line_start - 1);
    journal->size += (gint64)buf->len;
    for (const char *p = buf->str; (p = memchr(p, '\n', buf->len - (gsize)(p - buf->str))); p++)
        journal->lines++;

    if (repair != NULL) {
        /* In file order: the tail line, now ended, then the note about it. */
        if (journal->tail_event != NULL)
            apply(journal, journal->tail_event, NULL, 0);
        if (cut_repair != NULL)
            ajar_state_apply(journal->state, cut_repair);
        ajar_state_apply(journal->state, repair);
        g_clear_pointer(&journal->tail_event, ajar_event_free);
        journal->tail_bytes = 0;
        journal->cut_line = 0;
    }
    apply(journal, event, buf->str + line_start, buf->len - line_start - 1);
    ajar_journal_load_queue(journal, event);          /* for the replayed state, while it is made */
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

char *
ajar_journal_take_renewal_note(AjarJournal *journal)
{
    g_return_val_if_fail(journal != NULL, NULL);
    return g_steal_pointer(&journal->renewal_note);
}

/* ---- for compaction (ajar-compact.c) ---- */

gboolean
ajar_journal_fd_is_at_path(int fd, const char *path)
{
    struct stat open_file, at_path;

    return fstat(fd, &open_file) == 0 && stat(path, &at_path) == 0 &&
           open_file.st_dev == at_path.st_dev && open_file.st_ino == at_path.st_ino;
}

int
ajar_journal_get_fd(const AjarJournal *journal)
{
    return journal->broken ? -1 : journal->fd;
}

gint64
ajar_journal_get_size(const AjarJournal *journal)
{
    return journal->size;
}

guint64
ajar_journal_get_lines(const AjarJournal *journal)
{
    return journal->lines;
}

guint64
ajar_journal_get_lines_at_switch(const AjarJournal *journal)
{
    return journal->lines_at_switch;
}

void
ajar_journal_switch_file(AjarJournal *journal, int fd, gint64 size, guint64 lines, AjarState *state)
{
    int old_fd;

    /* The sync thread may be in fdatasync() on the old descriptor (as in
     * renew()). What it had to sync was copied into the new file, synced. */
    g_mutex_lock(&journal->lock);
    while (journal->syncing)
        g_cond_wait(&journal->cond, &journal->lock);
    old_fd = journal->fd;
    journal->fd = fd;
    g_mutex_unlock(&journal->lock);
    close(old_fd);
    ajar_state_free(journal->state);
    journal->state = state;
    journal->size = size;
    journal->lines = lines;
    journal->lines_at_switch = lines;
    g_clear_pointer(&journal->tail_event, ajar_event_free);
    journal->tail_bytes = 0;
    journal->cut_line = 0;
}
