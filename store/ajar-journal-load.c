/* ajar-journal-load.c — replaying journal.jsonl into the journal's state:
 * at once (ajar_journal_open()), or in a worker thread while appends go on
 * (ajar_journal_open_async()), the main loop then taking the replayed state
 * in with the events appended meanwhile applied in order. */
#include "ajar/ajar-journal.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ajar/ajar-i18n.h"
#include "ajar-journal-private.h"
#include "ajar-journal-struct.h"

/* How much of the file's end is read on the caller's thread for the last
 * seq and id. */
#define END_SCAN_BYTES (64 * 1024)

struct _AjarJournalLoad {
    GThread *thread;
    /* For the thread: the journal's descriptor (read with pread(), never
     * closed meanwhile: a renewal waits for the replay), its path, and the
     * file's size at open. */
    int fd;
    char *path;
    gint64 end;
    gint cancel;
    /* The file ended without "\n": an append waits for the replay, which
     * tells which line that tail is and what ending it needs. */
    gboolean tail_incomplete;

    /* The thread's results. */
    AjarState *state;
    AjarJournalReport report;
    GString *tail;
    GError *error;
    /* The messages in custody at the end of the replay: ids (char*) and
     * state_seqs (gint64), for ajar_journal_take_loaded_custody(). */
    GPtrArray *custody_ids;
    GArray *custody_seqs;

    /* Events appended meanwhile (AjarEvent*), in order. */
    GPtrArray *queued;
    /* Attached to @context by the thread when it is done. */
    GMainContext *context;
    GSource *done;
    gboolean taken; /* its state is the journal's: no longer loading */

    AjarJournalLoadedFunc func;
    gpointer user_data;
};

static void
apply_cb(const AjarEvent *event, gpointer user_data)
{
    ajar_state_apply(user_data, event);
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

/* What the replay found at the end (journal->report filled): the
 * incomplete last line, and the next seq. */
static void
take_tail(AjarJournal *journal, const GString *tail, gint64 end)
{
    gint64 next_seq;

    /* Lines appended while a replay ran in the background were counted as
     * they were written. */
    journal->lines += journal->report.lines;
    if (journal->report.incomplete_tail) {
        journal->tail_bytes = journal->report.incomplete_tail_bytes;
        journal->tail_line = journal->report.lines + 1;
        if (tail->len > 0) {
            g_autoptr(GError) ignored = NULL;
            journal->tail_event = ajar_event_decode(tail->str, tail->len, &ignored);
            /* Where it is, once ended: at the end of what was read. */
            if (journal->tail_event != NULL) {
                journal->tail_event->line_len = (guint32)tail->len;
                journal->tail_event->offset = end - (gint64)journal->tail_bytes;
            }
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
    next_seq = MIN(ajar_state_get_last_seq(journal->state), G_MAXINT64 - 2) + 1;
    /* A crash can cut a write just before its "\n": that line becomes valid
     * once repaired, so later lines must number after it. */
    if (journal->tail_event != NULL && journal->tail_event->seq >= next_seq &&
        journal->tail_event->seq < G_MAXINT64 - 2)
        next_seq = journal->tail_event->seq + 1;
    /* After a replay in the background, appends made meanwhile numbered
     * from the end of the file: never back. */
    journal->next_seq = MAX(journal->next_seq, next_seq);
}

gboolean
ajar_journal_replay(AjarJournal *journal, GError **error)
{
    g_autoptr(GString) tail = g_string_new(NULL);
    struct stat st;

    ajar_journal_report_clear(&journal->report);
    ajar_journal_report_init(&journal->report);
    if (lseek(journal->fd, 0, SEEK_SET) != 0 ||
        !ajar_journal_read_fd(journal->fd, journal->path, apply_cb, journal->state,
                              &journal->report, tail, error))
        return FALSE;
    if (fstat(journal->fd, &st) != 0) {
        g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO, _("%s: could not read: %s"),
                    journal->path, g_strerror(errno));
        return FALSE;
    }
    journal->size = st.st_size;
    journal->lines = 0;
    take_tail(journal, tail, st.st_size);
    ajar_custody_lines_load(journal->kept_lines, journal->state, journal->fd);
    return TRUE;
}

/* ---- in the background ---- */

static gpointer
load_thread_cb(gpointer data)
{
    AjarJournalLoad *load = data;

    if (ajar_journal_read_fd_range(load->fd, load->path, load->end, &load->cancel, apply_cb,
                                   load->state, &load->report, load->tail, &load->error) &&
        !g_atomic_int_get(&load->cancel)) {
        /* Listed here, so that the main loop need not walk a large state. */
        g_autoptr(GPtrArray) items = ajar_state_list_custody(load->state);

        load->custody_ids = g_ptr_array_new_full(items->len, g_free);
        load->custody_seqs = g_array_sized_new(FALSE, FALSE, sizeof(gint64), items->len);
        for (guint i = 0; i < items->len; i++) {
            const AjarItem *item = g_ptr_array_index(items, i);

            g_ptr_array_add(load->custody_ids, g_strdup(item->id));
            g_array_append_val(load->custody_seqs, item->state_seq);
        }
    }
    /* Unless close is waiting for this thread (it then drops the source). */
    if (!g_atomic_int_get(&load->cancel))
        g_source_attach(load->done, load->context);
    return NULL;
}

static void
load_free(AjarJournalLoad *load)
{
    if (load->done != NULL) {
        g_source_destroy(load->done);
        g_source_unref(load->done);
    }
    g_main_context_unref(load->context);
    g_free(load->path);
    if (load->state != NULL)
        ajar_state_free(load->state);
    ajar_journal_report_clear(&load->report);
    g_string_free(load->tail, TRUE);
    g_clear_error(&load->error);
    g_ptr_array_unref(load->queued);
    g_clear_pointer(&load->custody_ids, g_ptr_array_unref);
    g_clear_pointer(&load->custody_seqs, g_array_unref);
    g_free(load);
}

/* On the main thread: waits for the thread, then makes its state the
 * journal's, with the events appended meanwhile applied in order. */
static void
take_state(AjarJournal *journal)
{
    AjarJournalLoad *load = journal->load;

    g_thread_join(g_steal_pointer(&load->thread));
    load->taken = TRUE;
    if (load->error != NULL) {
        /* The state stays what was appended meanwhile; nothing more is
         * kept (the messenger is told by @loaded). */
        journal->load_error = g_error_copy(load->error);
        return;
    }
    for (guint i = 0; i < load->queued->len; i++)
        ajar_state_apply(load->state, g_ptr_array_index(load->queued, i));
    g_ptr_array_set_size(load->queued, 0);
    ajar_state_free(journal->state);
    journal->state = g_steal_pointer(&load->state);
    ajar_journal_report_clear(&journal->report);
    journal->report = load->report;
    memset(&load->report, 0, sizeof load->report);
    take_tail(journal, load->tail, load->end);
    ajar_custody_lines_load(journal->kept_lines, journal->state, journal->fd);
}

static gboolean
load_done_cb(gpointer data)
{
    AjarJournal *journal = data;
    AjarJournalLoad *load = journal->load;
    AjarJournalLoadedFunc func = load->func;
    gpointer user_data = load->user_data;
    g_autoptr(GError) error = NULL;

    if (!load->taken)
        take_state(journal);
    error = g_steal_pointer(&load->error);
    g_clear_pointer(&load->done, g_source_unref); /* being dispatched: GLib keeps a ref */
    /* @func may take the custody list; then it goes. */
    if (func != NULL)
        func(journal, error, user_data);
    journal->load = NULL;
    load_free(load);
    return G_SOURCE_REMOVE;
}

gboolean
ajar_journal_take_loaded_custody(AjarJournal *journal, GPtrArray **ids, GArray **state_seqs)
{
    g_return_val_if_fail(journal != NULL && ids != NULL && state_seqs != NULL, FALSE);
    if (journal->load == NULL || !journal->load->taken || journal->load->custody_ids == NULL)
        return FALSE;
    *ids = g_steal_pointer(&journal->load->custody_ids);
    *state_seqs = g_steal_pointer(&journal->load->custody_seqs);
    return TRUE;
}

gboolean
ajar_journal_is_loading(const AjarJournal *journal)
{
    g_return_val_if_fail(journal != NULL, FALSE);
    return journal->load != NULL && !journal->load->taken;
}

void
ajar_journal_wait_loaded(AjarJournal *journal)
{
    g_return_if_fail(journal != NULL);
    if (ajar_journal_is_loading(journal))
        take_state(journal);
}

gboolean
ajar_journal_load_before_append(AjarJournal *journal, gboolean moved, GError **error)
{
    /* A renewal writes every message in custody again, and the repair of a
     * cut last line says which line it was: both need the replay (rare; the
     * main loop waits for it then). */
    if (ajar_journal_is_loading(journal) && (moved || journal->load->tail_incomplete))
        ajar_journal_wait_loaded(journal);
    if (journal->load_error != NULL) {
        g_propagate_error(error, g_error_copy(journal->load_error));
        return FALSE;
    }
    return TRUE;
}

void
ajar_journal_load_queue(AjarJournal *journal, const AjarEvent *event)
{
    if (ajar_journal_is_loading(journal))
        g_ptr_array_add(journal->load->queued, ajar_event_copy(event));
}

void
ajar_journal_load_stop(AjarJournal *journal)
{
    AjarJournalLoad *load = journal->load;

    if (load == NULL)
        return;
    if (load->thread != NULL) {
        g_atomic_int_set(&load->cancel, 1);
        g_thread_join(g_steal_pointer(&load->thread));
    }
    journal->load = NULL;
    load_free(load); /* drops the source, attached or not */
}

/* ---- the file's end, on the caller's thread ---- */

/* From the last bytes of the file (@size > 0): whether its last line is
 * whole, and if so the greatest seq and id of the valid lines among them.
 * FALSE when that cannot be told (no valid line there, a read error): the
 * caller replays at once. */
static gboolean
scan_end(AjarJournal *journal, gint64 size, AjarJournalLoad *load, gint64 *last_seq, char **last_id)
{
    gsize len = (gsize)MIN(size, END_SCAN_BYTES);
    g_autofree char *buf = g_malloc(len);
    const char *p, *end;
    gboolean found = FALSE;
    ssize_t n;

    do
        n = pread(journal->fd, buf, len, size - (gint64)len);
    while (n < 0 && errno == EINTR);
    if (n != (ssize_t)len)
        return FALSE;
    if (buf[len - 1] != '\n') {
        /* Appends wait for the replay: no seq needed. */
        load->tail_incomplete = TRUE;
        return TRUE;
    }
    p = buf;
    end = buf + len;
    /* The first line may begin before these bytes. */
    if ((gint64)len < size) {
        p = memchr(buf, '\n', len);
        p++;
    }
    while (p < end) {
        const char *nl = memchr(p, '\n', (gsize)(end - p));
        g_autoptr(GError) ignored = NULL;
        g_autoptr(AjarEvent) event = ajar_event_decode(p, (gsize)(nl - p), &ignored);

        if (event != NULL) {
            if (!found || event->seq > *last_seq)
                *last_seq = event->seq;
            if (event->id != NULL && (*last_id == NULL || strcmp(event->id, *last_id) > 0)) {
                g_free(*last_id);
                *last_id = g_strdup(event->id);
            }
            found = TRUE;
        }
        p = nl + 1;
    }
    return found;
}

AjarJournal *
ajar_journal_open_async(const char *dir, AjarFlushPolicy policy, AjarJournalLoadedFunc loaded,
                        gpointer user_data, GError **error)
{
    g_autoptr(GError) local_error = NULL;
    g_autofree char *last_id = NULL;
    AjarJournal *journal = ajar_journal_open_locked(dir, policy, error);
    AjarJournalLoad *load;
    gint64 last_seq = 0;
    struct stat st;

    if (journal == NULL)
        return NULL;
    if (fstat(journal->fd, &st) != 0) {
        g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO, _("%s: could not read: %s"),
                    journal->path, g_strerror(errno));
        goto failed;
    }
    load = g_new0(AjarJournalLoad, 1);
    load->fd = journal->fd;
    load->path = g_strdup(journal->path);
    load->end = st.st_size;
    load->state = ajar_state_new();
    ajar_journal_report_init(&load->report);
    load->tail = g_string_new(NULL);
    load->queued = g_ptr_array_new_with_free_func((GDestroyNotify)ajar_event_free);
    load->context = g_main_context_ref_thread_default();
    load->func = loaded;
    load->user_data = user_data;
    journal->load = load;
    if (st.st_size < AJAR_JOURNAL_LOAD_ASYNC_BYTES ||
        !scan_end(journal, st.st_size, load, &last_seq, &last_id)) {
        /* Small, or its end tells nothing: replayed here, as ever. */
        journal->load = NULL;
        load_free(load);
        if (!ajar_journal_replay(journal, error) || !ajar_journal_start_sync(journal, error))
            goto failed;
        return journal;
    }
    journal->size = st.st_size;
    if (!load->tail_incomplete)
        journal->next_seq = MIN(last_seq, G_MAXINT64 - 2) + 1;
    ajar_id_clock_seed(&journal->ids, last_id);
    load->done = g_idle_source_new();
    g_source_set_priority(load->done, G_PRIORITY_DEFAULT);
    g_source_set_callback(load->done, load_done_cb, journal, NULL);
    g_source_set_name(load->done, "ajar-journal-loaded");
    if (!ajar_journal_start_sync(journal, error))
        goto failed;
    load->thread = g_thread_try_new("ajar-journal-load", load_thread_cb, load, &local_error);
    if (load->thread == NULL) {
        g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO,
                    /* TRANSLATORS: the first %s is the journal's path, the
                     * second why no thread could be started to read it. */
                    _("%s: could not start reading it: %s"), journal->path, local_error->message);
        goto failed;
    }
    return journal;

failed:
    ajar_journal_close(journal);
    return NULL;
}
