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

/* The same journal, except that only about @custody_percent % of the
 * messages stay in Ajar's custody (no outcome, or an archived one read);
 * every other one gets an outcome that ends it (released, discarded,
 * delivered, sent): the journal figure 6 compacts. */
gint64 bench_journal_generate_custody(const char *path, guint64 events, double custody_percent);

G_END_DECLS

#endif /* AJAR_BENCH_JOURNAL_H */
