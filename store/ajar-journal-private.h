/* ajar-journal-private.h — what ajar-journal.c and ajar-journal-read.c share.
 * Not installed, not for the plugin or the tools. */
#pragma once

#include <sys/stat.h>

#include <glib.h>

#include "ajar/ajar-journal.h"

G_BEGIN_DECLS

/* Empties @report (whatever it held) and gives it its malformed_lines array. */
void ajar_journal_report_init(AjarJournalReport *report);

/* TRUE if @fd is a regular file (filling @st); else FALSE with
 * AJAR_JOURNAL_ERROR_IO: a FIFO or a device (/dev/zero) in the journal's
 * place would hang a reader or never end. */
gboolean ajar_journal_check_regular(int fd, const char *path, struct stat *st, GError **error);

/* Called for every valid event in file order; the event and its strings
 * are the reader's, valid during the call only. */
typedef void (*AjarJournalLineEventFunc)(const AjarEvent *event, gpointer user_data);

/* Reads @fd from its current offset to its end, calling @func for every
 * valid event and adding to @report (see ajar_journal_read_file()), which
 * the caller has set up with ajar_journal_report_init().
 * @tail (nullable) receives the incomplete last line, unless it was longer
 * than AJAR_JOURNAL_MAX_LINE_BYTES (then it is empty; its length is in
 * @report). Returns FALSE with AJAR_JOURNAL_ERROR_IO if a read failed. */
gboolean ajar_journal_read_fd(int fd, const char *path, AjarJournalLineEventFunc func,
                              gpointer user_data, AjarJournalReport *report, GString *tail,
                              GError **error);

/* The last id made by a journal: 48 bits of ms and 80 random bits. */
typedef struct {
    gboolean have_last;
    guint64 hi; /* ms << 16 | the top 16 random bits */
    guint64 lo; /* the low 64 random bits */
} AjarIdClock;

/* See ajar_journal_new_id(); @state is the journal's. */
char *ajar_id_clock_next(AjarIdClock *clock, const AjarState *state, gint64 now);

/* What ajar_journal_renew_file() did. */
typedef struct {
    int fd;              /* the new journal.jsonl, open for appending, locked */
    gint64 size;         /* its size in bytes */
    gint64 next_seq;     /* the seq after its last line */
    char *user_note;     /* the sentence for the user */
    GPtrArray *to_apply; /* AjarEvent: its lines the state has not seen (the
                          * note, the messages taken over), in order */
} AjarJournalRenewal;

/* Puts a new journal at @path, the file at @old_fd being gone from there
 * or overwritten: see ajar_journal_append(). @state is the journal's,
 * @tail (nullable) a valid event the old file's unended last line held
 * (not applied to @state), @next_seq the next seq. On failure nothing
 * changed at @path. */
gboolean ajar_journal_renew_file(const char *path, int old_fd, const AjarState *state,
                                 const AjarEvent *tail, gint64 next_seq, gint64 now,
                                 AjarJournalRenewal *out, GError **error);

/* At open: takes up a journal.jsonl.renew a crash left (see
 * ajar_journal_open()). */
gboolean ajar_journal_take_up_renewal(const char *path, GError **error);

/* ---- for compaction (ajar-compact.c) ---- */

/* TRUE if @fd is the file @path names now (same device and inode). */
gboolean ajar_journal_fd_is_at_path(int fd, const char *path);
/* The descriptor appended to (-1 after a write that could not be undone). */
int ajar_journal_get_fd(const AjarJournal *journal);
/* The file's size after Ajar's last write. */
gint64 ajar_journal_get_size(const AjarJournal *journal);
/* Complete lines in the file: replayed, and appended since. */
guint64 ajar_journal_get_lines(const AjarJournal *journal);
/* After a compaction renamed its file (@fd: open for appending, locked,
 * @size bytes, @lines lines) over the journal's path: appends go there from
 * now on, and the state is @state (that file's replay; taken). Closes the
 * old descriptor. */
void ajar_journal_switch_file(AjarJournal *journal, int fd, gint64 size, guint64 lines,
                              AjarState *state);

G_END_DECLS
