/* ajar-history-private.h — what ajar-compact.c and ajar-history.c share:
 * routing a journal line, history files, and the pending record. Not
 * installed. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The month of a UTC time as a number (year * 12 + month - 1). */
int ajar_history_month_of_time(gint64 unix_us);
/* "history/2026-11.jsonl" relative to the ajar dir. Transfer full. */
char *ajar_history_month_name(int month);

/* What routing needs of one journal line: its id (if any) and the month of
 * its ts. Ajar writes {"seq":N,"ts":"…","event":"…","id":"…", in that
 * order: read there when the line looks so, else by the real decoder.
 * @id_buf gets the id, NUL-terminated (a longer id than fits is read by
 * the decoder: *has_id and *id_too_long TRUE, @id_buf empty; such a line
 * always stays in the journal: a line kept too many is harmless, one moved
 * too many a loss). *month is -1 when the line has no readable ts. */
typedef struct {
    gboolean has_id;
    gboolean id_too_long;
    char id[128];
    int month;
} AjarHistoryLine;
void ajar_history_read_line(const char *line, gsize len, AjarHistoryLine *out);

/* The pending record (history/.compact-pending): the history files there
 * are and their sizes before a compaction appends. Writes it atomically and
 * durably (temporary file, fsync, rename, fsync of history/). */
gboolean ajar_history_write_pending(const char *history_dir, GError **error);

/* Undoes an unfinished compaction of @dir's journal (the rename did not
 * happen): cuts history files back to the pending record's sizes, removes
 * those it does not name, then removes the record and journal.jsonl.compact,
 * in an order a crash cannot make wrong. */
gboolean ajar_history_undo(const char *dir, GError **error);

G_END_DECLS
