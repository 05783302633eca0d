/* ajar-journal.h — <dir>/journal.jsonl: the event log and the custody store.
 *
 * One writer (the messenger) appends; any number of readers (the CLI) read.
 * An AjarJournal is used from one thread (its own sync and load threads aside).
 * Custody rule: an append has written the complete line with write() before it
 * returns, and the line reaches the disk (fdatasync) within one second. */
#pragma once

#include <glib.h>

#include "ajar-event.h"
#include "ajar-state.h"

G_BEGIN_DECLS

#define AJAR_JOURNAL_ERROR (ajar_journal_error_quark())
GQuark ajar_journal_error_quark(void);

typedef enum {
    AJAR_JOURNAL_ERROR_IO,     /* open/write/sync failed; message has the path and errno text */
    AJAR_JOURNAL_ERROR_BUSY,   /* another process has the journal open for writing */
    AJAR_JOURNAL_ERROR_CLOSED, /* the journal was closed, or failed before and must be reopened */
    AJAR_JOURNAL_ERROR_SYNC,   /* fdatasync failed: the line WAS written (and applied to the
                                * state) but may not be on the disk */
    AJAR_JOURNAL_ERROR_TOO_LARGE, /* the event's line would exceed AJAR_JOURNAL_MAX_LINE_BYTES */
    /* a message's text read back (ajar_item_read_text()) is no longer where
     * and what the replay found: the file was edited or replaced */
    AJAR_JOURNAL_ERROR_TEXT_CHANGED,
} AjarJournalError;

/* Longest line written or read (a longer line is reported as malformed and
 * never buffered whole, so a hostile file cannot exhaust memory). */
#define AJAR_JOURNAL_MAX_LINE_BYTES (64 * 1024 * 1024)

#define AJAR_JOURNAL_FILE "journal.jsonl"

/* The start of an "error" event's message that records a tail repair:
 * "journal.jsonl: repaired an incomplete last line (N bytes, line L) ...". */
#define AJAR_JOURNAL_REPAIRED_PREFIX AJAR_JOURNAL_FILE ": repaired"

/* The start of the "error" event a new journal.jsonl begins with when the
 * one in use was deleted, moved or replaced (ajar_journal_append()). */
#define AJAR_JOURNAL_RENEWED_PREFIX AJAR_JOURNAL_FILE ": started anew"
/* The new journal while it is written; the next open takes up one a crash
 * left (see ajar_journal_open()). */
#define AJAR_JOURNAL_RENEW_SUFFIX ".renew"

typedef enum {
    /* fdatasync before every custody append returns (slow disks: milliseconds) */
    AJAR_FLUSH_EVERY_EVENT,
    /* a background thread fdatasyncs within AJAR_JOURNAL_SYNC_DELAY_MS */
    AJAR_FLUSH_BATCHED,
} AjarFlushPolicy;

#define AJAR_JOURNAL_SYNC_DELAY_MS 200

/* What reading a journal found besides events. */
typedef struct {
    guint lines;                  /* complete lines read (including bad ones) */
    guint events;                 /* lines that were valid events */
    guint malformed;              /* complete lines that were not valid events */
    GArray *malformed_lines;      /* guint line numbers, the first AJAR_JOURNAL_MAX_REPORTED */
    char *first_malformed_reason; /* "line 12: seq: must be ..." or NULL */
    gboolean incomplete_tail;     /* the file ended without "\n" (a crash mid-write, or a
                                * write in progress); that part was skipped */
    gsize incomplete_tail_bytes;
    guint seq_gaps;         /* places where seq jumped by more than one */
    guint seq_disorder;     /* places where seq did not increase */
    guint repaired_tails;   /* "error" events that record an earlier tail repair */
    GArray *repaired_lines; /* guint: those of malformed_lines that such a record says
                             * Ajar ended itself after a crash cut them */
} AjarJournalReport;

#define AJAR_JOURNAL_MAX_REPORTED 100

void ajar_journal_report_clear(AjarJournalReport *report);

/* Called for every valid event in file order; @event is borrowed. */
typedef void (*AjarJournalEventFunc)(const AjarEvent *event, gpointer user_data);

/* Reads a journal file without changing it (safe while another process
 * appends: a line being written is an incomplete tail, not corruption).
 * A missing file is an empty journal. @report (nullable) is filled from
 * scratch, whatever it held before (clear it with ajar_journal_report_clear()
 * afterwards, also when FALSE is returned). Returns FALSE only if the file
 * exists but cannot be read (or is not a regular file). */
gboolean ajar_journal_read_file(const char *path, AjarJournalEventFunc func, gpointer user_data,
                                AjarJournalReport *report, GError **error);
/* ajar_journal_read_file() for a file other than the journal (a history
 * file): every event's @source is @source (borrowed: it must outlive the
 * state the events go to; a path relative to the ajar dir, e.g.
 * "history/2026-11.jsonl"), so texts are read back from there. */
gboolean ajar_journal_read_file_from(const char *path, const char *source,
                                     AjarJournalEventFunc func, gpointer user_data,
                                     AjarJournalReport *report, GError **error);

/* ajar_journal_read_file() for a file already open (@fd, readable; read
 * from its start, leaving its offset at the end; @path for messages only): a reader
 * that opened journal.jsonl before a compaction renamed another file in
 * reads the one it opened, whole. */
gboolean ajar_journal_read_open_file(int fd, const char *path, AjarJournalEventFunc func,
                                     gpointer user_data, AjarJournalReport *report, GError **error);

typedef struct _AjarJournal AjarJournal;

/* Opens (creating if needed) @dir (mode 0700, parents included) and
 * @dir/journal.jsonl (mode 0600), takes the writer lock, and replays the file
 * into a state (ajar_journal_get_state()). A folder or file that exists with
 * looser permissions is tightened to 0700/0600. A journal.jsonl.renew that a
 * crash left (see ajar_journal_append()) becomes journal.jsonl when there is
 * none; when there is one, it is kept aside as
 * journal.jsonl.renew.replaced-STAMP.
 * Returns: (transfer full) (nullable). */
AjarJournal *ajar_journal_open(const char *dir, AjarFlushPolicy policy, GError **error);

/* Called on the main context of the thread that opened the journal (its
 * thread-default context) once a replay in the background is over and the
 * journal's state is whole; @error (nullable) when it failed: then appends
 * fail with it too (the messages written meanwhile are in the file). Never
 * called after ajar_journal_close(); must not close the journal itself. */
typedef void (*AjarJournalLoadedFunc)(AjarJournal *journal, const GError *error,
                                      gpointer user_data);

/* As ajar_journal_open(), but what takes time runs in a worker thread, so
 * that a messenger's main loop goes on (a journal of 10^6 events takes a
 * second or more to replay). On the calling thread: the folder, the lock,
 * and from the end of the file whether its last line is whole, the last
 * seq and the last id (so appends can go on at once). Then a thread
 * replays the bytes the file had at open into a new state, and the main
 * context takes it in: it applies, in order, the events appended
 * meanwhile, and calls @loaded.
 * While loading (ajar_journal_is_loading()):
 * - appends work: the line is written (the custody rule holds) and the
 *   event is applied to the state and queued for the replayed one;
 * - ajar_journal_get_state() holds only the events appended since the open
 *   (a message just appended is there; older ones are not): what needs
 *   everything waits for @loaded, or calls ajar_journal_wait_loaded();
 * - ajar_journal_get_open_report() is empty until then.
 * An append that needs the whole state first waits for the replay (rare:
 * a renewal, the file having been moved or replaced; the repair of a last
 * line a crash cut).
 * A journal under AJAR_JOURNAL_LOAD_ASYNC_BYTES, or whose end cannot tell
 * the last seq (no valid line in its last 64 KiB), is replayed at once as
 * ajar_journal_open() does: then it is not loading when this returns, and
 * @loaded is never called.
 * Returns: (transfer full) (nullable). */
#define AJAR_JOURNAL_LOAD_ASYNC_BYTES (1024 * 1024)
AjarJournal *ajar_journal_open_async(const char *dir, AjarFlushPolicy policy,
                                     AjarJournalLoadedFunc loaded, gpointer user_data,
                                     GError **error);

/* TRUE from ajar_journal_open_async() until the main context took the
 * replayed state in (or ajar_journal_wait_loaded() did). */
gboolean ajar_journal_is_loading(const AjarJournal *journal);

/* In @loaded only: the messages that were in custody when the replay ended,
 * listed by the worker thread so that the main loop need not walk a large
 * state: @ids (char*) in the state's order, and @state_seqs (gint64) the
 * state_seq each had then (one that differs now was changed since). Events
 * appended during the load are not in it. FALSE when there is none (the
 * replay failed, or the list was taken). (transfer full) both. */
gboolean ajar_journal_take_loaded_custody(AjarJournal *journal, GPtrArray **ids,
                                          GArray **state_seqs);

/* Blocks until the replay is over and takes its state in now (@loaded is
 * still called, from the main context). Nothing to do when not loading. */
void ajar_journal_wait_loaded(AjarJournal *journal);

/* Flushes (fdatasync), stops the sync thread, closes. NULL is fine. A failure
 * of that last fdatasync cannot be reported: call ajar_journal_sync() first
 * to know. */
void ajar_journal_close(AjarJournal *journal);

/* Appends @event: assigns event->seq (and event->id for custody events
 * without one, from event->ts), writes the line in one write(), applies it to
 * the state. If the file ended in an incomplete line, first ends it with "\n"
 * and records an "error" event saying so. Custody events are synced according
 * to the flush policy; others by the next sync.
 * On failure nothing is applied, the file is cut back to where it was, and
 * @error says why (AJAR_JOURNAL_ERROR_IO; if even the cut fails, later appends
 * fail with AJAR_JOURNAL_ERROR_CLOSED until the journal is reopened).
 * When the journal's path no longer names the open file (deleted, moved
 * away, replaced), the journal is first renewed: a new journal.jsonl,
 * written whole and synced as journal.jsonl.renew and renamed into place,
 * starts with an "error" event (AJAR_JOURNAL_RENEWED_PREFIX) and then every
 * message in custody recorded again (ajar_journal_item_events()); a file
 * found in the journal's place is renamed aside to
 * journal.jsonl.replaced-STAMP, never overwritten, and the messages in
 * custody there whose ids this journal never saw are taken over. seq goes on
 * increasing. ajar_journal_take_renewal_note() then has a sentence for the
 * user. If the renewal fails, nothing is written (AJAR_JOURNAL_ERROR_IO, or
 * AJAR_JOURNAL_ERROR_BUSY when another program holds the lock of the file
 * now in place) and the next append tries again.
 * Exception: AJAR_JOURNAL_ERROR_SYNC (AJAR_FLUSH_EVERY_EVENT only) means the
 * line was written and applied, only its fdatasync failed.
 * event->ts is stored with millisecond precision: it is rounded down to a
 * whole millisecond here, so the state and a later replay agree. */
gboolean ajar_journal_append(AjarJournal *journal, AjarEvent *event, GError **error);

/* fdatasync now. */
gboolean ajar_journal_sync(AjarJournal *journal, GError **error);

/* If a background sync failed since the last call, returns FALSE with its
 * error (the caller tells the user: withheld messages may not be on disk). */
gboolean ajar_journal_check_sync(AjarJournal *journal, GError **error);

/* Returns: (transfer none): the replayed and kept-up-to-date state (while
 * loading, see ajar_journal_open_async()). */
const AjarState *ajar_journal_get_state(const AjarJournal *journal);
/* Returns: (transfer none): what opening found (malformed lines, tail). */
const AjarJournalReport *ajar_journal_get_open_report(const AjarJournal *journal);
/* The damaged line, found on opening, that an earlier repair ended before a
 * crash cut that repair's own note (the last line, cut, is the start of such
 * a note); the next append notes it as repaired. 0 when there is none, and
 * after that append. */
guint ajar_journal_get_cut_repair_line(const AjarJournal *journal);
const char *ajar_journal_get_path(const AjarJournal *journal);

/* After an append renewed the journal (see ajar_journal_append()): one
 * sentence for the user saying what happened, once; else NULL.
 * Returns: (transfer full) (nullable). */
char *ajar_journal_take_renewal_note(AjarJournal *journal);

/* Appends to @out the events that, applied in order to a state that never
 * saw @item's id, give an item like @item: its id, direction, names, time,
 * due, room, nick, its stranger, quiet and ask marks and its state, and
 * whether it was interrupted (for a message in custody), with @text
 * (@text_len bytes) and @images (nullable) as its text and images (the
 * state keeps no texts: read them back with ajar_item_read_text()). Their
 * ts is @ts, their seq 0. */
void ajar_journal_item_events(const AjarItem *item, const char *text, gsize text_len, char **images,
                              gint64 ts, GPtrArray *out);

/* A new message id: 26 characters of Crockford base32 (ULID layout: 48 bits
 * of milliseconds since 1970, 80 random bits), sorting after every id this
 * journal has seen even if the clock went back. @now: unix microseconds.
 * Returns: (transfer full). */
char *ajar_journal_new_id(AjarJournal *journal, gint64 now);

G_END_DECLS
