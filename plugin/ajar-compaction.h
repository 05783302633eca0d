/* ajar-compaction.h — the journal compacted on its own while the messenger
 * runs (above ajar-context.c and ajar-send-watch.c).
 *
 * When ajar_journal_wants_compaction() (include/ajar/ajar-compact.h) says
 * so after a journal write, or once the journal is loaded, and no write is
 * pending, a compaction begins on the main loop, runs in a thread of its
 * own and is finished on the main loop: finished messages move to
 * history/, journal.jsonl keeps what is in custody and a summary. One at a
 * time. A failure is one line in the debug log and is tried again later;
 * the old journal stays whole, so no message is at risk and the user is
 * not told.
 *
 * "Pending" (nothing begins then; it is looked at again once it is over):
 * - Ajar is in the middle of its own send or delivery of a kept message
 *   (ajar->resending / ajar->delivering), between its "sending" or
 *   "showing" line and the outcome;
 * - a message of yours that Ajar sent in the last AJAR_SEND_SETTLE_SECONDS
 *   is not settled: if its connection fails now, "sending" is journaled
 *   for it again (ajar-send-watch.c), and that line must find the message
 *   in the journal, not in history/.
 * Not pending: lines the batched sync has not yet made durable. Every line
 * before the switch is copied, byte for byte, into the new journal or a
 * history file, and those are synced before the new journal is renamed in;
 * until then the old journal is the journal. */
#pragma once

#include "ajar-context.h"

/* How long after a failed compaction Ajar tries again (a full disk, a
 * history file it cannot write). */
#define AJAR_COMPACTION_RETRY_SECONDS 600

/* From now on Ajar compacts its journal when it should; looks at once.
 * Called once the journal is loaded and its state is whole: by load, or,
 * when the journal is read in the background, by the "loaded" callback
 * (compaction needs the whole state). Does nothing without a journal. */
void ajar_compaction_start(AjarPlugin *ajar);

/* Unload: a compaction under way is waited for and finished (switched in,
 * or rolled back), so none is left half done; then nothing more begins. */
void ajar_compaction_stop(AjarPlugin *ajar);

/* What ajar_compaction_request() did. */
typedef enum {
    AJAR_COMPACTION_BEGUN,   /* a compaction began */
    AJAR_COMPACTION_RUNNING, /* one was already under way */
    AJAR_COMPACTION_LATER,   /* a write is pending: it begins once that is over */
    AJAR_COMPACTION_NOT_NOW, /* no journal, or it is not loaded yet */
} AjarCompactionRequest;

/* /ajar compact: compacts now (whatever ajar_journal_wants_compaction()
 * says), or as soon as no write is pending. A failure to begin is
 * AJAR_COMPACTION_LATER with @error set (tried again later). */
AjarCompactionRequest ajar_compaction_request(AjarPlugin *ajar, GError **error);

/* How many compactions this session switched the journal (the debug log
 * says more). */
guint ajar_compaction_count(AjarPlugin *ajar);
