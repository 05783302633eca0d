/* bench-journal.h — years of journal, made up: the journals figure 3 replays. */
#ifndef AJAR_BENCH_JOURNAL_H
#define AJAR_BENCH_JOURNAL_H

#include <glib.h>

G_BEGIN_DECLS

/* Writes @path (replacing it) with @events journal lines as the plugin
 * writes them: messages from and to five buddies under three rules, one every
 * few minutes over the years before now; held, archived, delayed and
 * cooling-off messages with texts of 10 to 300 bytes (some of them not
 * ASCII), most followed by their outcome (released, read, delivered, sent,
 * cancelled, discarded), a few keyword passes and passing sends. Seeded, so
 * every run writes the same file. Returns the file's size in bytes, or -1
 * (with a message on stderr) if it cannot be written. */
gint64 bench_journal_generate(const char *path, guint64 events);

G_END_DECLS

#endif /* AJAR_BENCH_JOURNAL_H */
