/* ajar-journal-struct.h — the journal's fields, shared by ajar-journal.c
 * (open, append, close) and ajar-journal-load.c (replaying, at once or in
 * a worker thread). Not installed. */
#pragma once

#include <glib.h>

#include "ajar/ajar-journal.h"
#include "ajar-journal-private.h"

G_BEGIN_DECLS

typedef struct _AjarJournalLoad AjarJournalLoad;

struct _AjarJournal {
    char *path;
    int fd;
    AjarFlushPolicy policy;
    AjarState *state;
    AjarJournalReport report;
    gint64 next_seq;
    gint64 size;             /* the file's size after Ajar's last write: any other size
                      * means someone else wrote over it */
    guint64 lines;           /* complete lines in the file (ajar_journal_wants_compaction()) */
    guint64 lines_at_switch; /* lines right after this journal's last compaction, 0 = none */
    gboolean broken;         /* a failed write could not be cut back: reopen */

    /* The bytes after the last "\n" at open, and (if they form a valid event)
     * that event: ending the line makes it a line every reader will apply. */
    gsize tail_bytes;
    guint tail_line;
    AjarEvent *tail_event;
    /* A complete but damaged line just before that tail: a cut line that the
     * repair now in the tail had ended ("\n" first) but not yet noted when a
     * crash cut the repair too. Noted with the tail's repair (0: none). */
    guint cut_line;

    AjarIdClock ids;
    /* The custody lines of the messages kept: see ajar-custody-lines.c. */
    AjarCustodyLines *kept_lines;

    /* The sentence for the user after a renewal, until taken. */
    char *renewal_note;

    /* Shared with the sync thread, under @lock. */
    GMutex lock;
    GCond cond;
    GThread *sync_thread;
    gboolean dirty;
    gboolean syncing; /* the thread is in fdatasync() on fd: a renewal waits */
    gboolean stopping;
    GError *sync_error;

    /* The replay in a worker thread, from ajar_journal_open_async() until
     * the main loop has taken its state in (ajar-journal-load.c); NULL
     * otherwise. */
    AjarJournalLoad *load;
    /* That replay failed: appends fail with this error (nothing more is
     * kept; what was written stays). */
    GError *load_error;
};

/* ajar-journal.c */
/* The cheap part of opening, on the caller's thread: the folder, a
 * journal.jsonl.renew taken up, the file opened, checked and locked
 * (recovery goes here too). Nothing is read; no sync thread yet. */
AjarJournal *ajar_journal_open_locked(const char *dir, AjarFlushPolicy policy, GError **error);
/* Starts the background sync thread (AJAR_FLUSH_BATCHED). */
gboolean ajar_journal_start_sync(AjarJournal *journal, GError **error);

/* ajar-journal-load.c */
/* Replays the whole file into the journal's state, at once. */
gboolean ajar_journal_replay(AjarJournal *journal, GError **error);
/* Called by ajar_journal_append() while @journal->load is set, before it
 * writes: waits for the replay when the append needs what it finds (a
 * renewal, @moved: the path no longer names the file; the repair of a cut
 * last line). FALSE with the replay's error when it failed. */
gboolean ajar_journal_load_before_append(AjarJournal *journal, gboolean moved, GError **error);
/* Called by ajar_journal_append() after it applied @event: while the
 * replay runs, a copy waits to be applied to its state. */
void ajar_journal_load_queue(AjarJournal *journal, const AjarEvent *event);
/* Stops a replay still running (and waits for its thread). */
void ajar_journal_load_stop(AjarJournal *journal);

G_END_DECLS
