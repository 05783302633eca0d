/* ajar-compact-private.h — what the compaction's files share (ajar-compact.c:
 * begin and finish; ajar-compact-run.c: routing the lines; ajar-history.c:
 * history files and the pending record). Not installed. */
#pragma once

#include <sys/types.h>

#include <glib.h>

#include "ajar/ajar-compact.h"
#include "ajar-history-private.h"

G_BEGIN_DECLS

struct _AjarCompactJob {
    char *dir;
    char *journal_path;
    char *history_dir;
    char *compact_path;
    gboolean drop_history;
    int src_fd;    /* the journal's file as it was at begin (a dup) */
    dev_t src_dev; /* ... which finish checks is still the journal */
    ino_t src_ino;
    gint64 summary_start; /* [0, summary_start) is routed */
    gint64 range_end;     /* the end of the summary line */
    gint64 summary_seq;
    gint64 now;
    guint lines_before;
    GHashTable *kept; /* the ids whose lines stay (owned strings) */
    int out_fd;       /* journal.jsonl.compact */
    gint64 out_size;
    gboolean ran;
    gboolean finished;
    guint lines_kept, lines_moved, history_files;
};

/* An AJAR_JOURNAL_ERROR_IO "WHAT: system reason". Returns FALSE. */
gboolean ajar_compact_fail_errno(GError **error, int saved, const char *format, ...)
    G_GNUC_PRINTF(3, 4);
/* fsync(), or FALSE with an error naming @path. */
gboolean ajar_compact_sync_fd(int fd, const char *path, GError **error);
/* A crash on purpose, for the tests: see ajar-compact.c. */
void ajar_compact_kill_point(const char *step);

G_END_DECLS
