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
/* ajar_journal_read_fd() with every event's source set to @source (see
 * ajar_journal_read_file_from()); events' offsets count from the start of
 * the file (the reading starts at @fd's current offset). */
gboolean ajar_journal_read_fd_from(int fd, const char *path, const char *source,
                                   AjarJournalLineEventFunc func, gpointer user_data,
                                   AjarJournalReport *report, GString *tail, GError **error);

/* As ajar_journal_read_fd(), but the bytes [0, @end) with pread() (the
 * descriptor's offset is neither used nor moved, so another thread may
 * append to it meanwhile); it stops early, returning TRUE, as soon as
 * *@cancel (nullable) is non-zero. */
gboolean ajar_journal_read_fd_range(int fd, const char *path, gint64 end, const gint *cancel,
                                    AjarJournalLineEventFunc func, gpointer user_data,
                                    AjarJournalReport *report, GString *tail, GError **error);

/* The last id made by a journal: 48 bits of ms and 80 random bits. */
typedef struct {
    gboolean have_last;
    guint64 hi; /* ms << 16 | the top 16 random bits */
    guint64 lo; /* the low 64 random bits */
} AjarIdClock;

/* See ajar_journal_new_id(); @state is the journal's. */
/* Makes @clock know @id (read from the journal's end before its replay):
 * the ids it makes sort after it. An id not of the ULID shape is ignored. */
void ajar_id_clock_seed(AjarIdClock *clock, const char *id);
char *ajar_id_clock_next(AjarIdClock *clock, const AjarState *state, gint64 now);

/* Copies of the custody lines of the messages a journal keeps (in custody,
 * or discarded), so that a renewal can record them again even when the file
 * was overwritten in place or cut (ajar-custody-lines.c). */
typedef struct _AjarCustodyLines AjarCustodyLines;
AjarCustodyLines *ajar_custody_lines_new(void);
void ajar_custody_lines_free(AjarCustodyLines *lines);
/* At most this many messages in custody at open have their lines copied
 * (each a few hundred bytes); past it, only the lines appended later. */
#define AJAR_CUSTODY_LINES_LOAD_MAX 10000
/* After a replay: the lines of the messages in custody, read from @fd, when
 * there are at most AJAR_CUSTODY_LINES_LOAD_MAX of them. */
void ajar_custody_lines_load(AjarCustodyLines *lines, const AjarState *state, int fd);
/* After @event (whose line is @line, @len bytes without "\n"; NULL when
 * not at hand) was applied to @state: keeps or drops its message's line. */
void ajar_custody_lines_note(AjarCustodyLines *lines, const AjarState *state,
                             const AjarEvent *event, const char *line, gsize len);
/* Returns: (transfer none) (nullable): the line kept for @id. */
GBytes *ajar_custody_lines_get(AjarCustodyLines *lines, const char *id);

/* Where a message's text is in a new file. */
typedef struct {
    char *id; /* owned */
    gint64 offset;
    guint32 line_len;
} AjarTextPlace;

/* What ajar_journal_renew_file() did. */
typedef struct {
    int fd;              /* the new journal.jsonl, open for appending, locked */
    gint64 size;         /* its size in bytes */
    gint64 next_seq;     /* the seq after its last line */
    char *user_note;     /* the sentence for the user */
    GPtrArray *to_apply; /* AjarEvent: its lines the state has not seen (the
                          * note, the messages taken over), in order */
    GArray *relocated;   /* AjarTextPlace: the new places of the texts of
                          * messages the state has (ids owned) */
} AjarJournalRenewal;

/* Puts a new journal at @path, the file at @old_fd being gone from there
 * or overwritten: see ajar_journal_append(). @state is the journal's (and
 * @lines the copies of its kept messages' lines, for the texts),
 * @tail (nullable) a valid event the old file's unended last line held
 * (not applied to @state), @next_seq the next seq. On failure nothing
 * changed at @path. */
gboolean ajar_journal_renew_file(const char *path, int old_fd, const AjarState *state,
                                 AjarCustodyLines *lines, const AjarEvent *tail, gint64 next_seq,
                                 gint64 now, AjarJournalRenewal *out, GError **error);

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
/* Its lines right after its last compaction's switch (0: none since open). */
guint64 ajar_journal_get_lines_at_switch(const AjarJournal *journal);
/* After a compaction renamed its file (@fd: open for appending, locked,
 * @size bytes, @lines lines) over the journal's path: appends go there from
 * now on, and the state is @state (that file's replay; taken). Closes the
 * old descriptor. */
void ajar_journal_switch_file(AjarJournal *journal, int fd, gint64 size, guint64 lines,
                              AjarState *state);

G_END_DECLS
