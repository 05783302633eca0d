/* ajar-custody.h — what Ajar does with a kept message when asked: show,
 * send, release, discard, bring back, mark read, cancel; and the lists the
 * review and /ajar use. Journal first, always (above ajar-due-queue.c). */
#pragma once

#include "ajar-context.h"

/* Makes and frees custody's own tables (messages dealt with but not noted,
 * yours that could not be journaled). */
void ajar_custody_init(AjarPlugin *ajar);
void ajar_custody_clear(AjarPlugin *ajar);
/* Each acts on the message with @id and journals the outcome. */
gboolean ajar_custody_release(AjarPlugin *ajar, const char *id, GError **error);
gboolean ajar_custody_discard(AjarPlugin *ajar, const char *id, GError **error);
gboolean ajar_custody_mark_read(AjarPlugin *ajar, const char *id, GError **error);
/* Brings back a message the user discarded: journals "restored", after
 * which it is kept again (theirs as held, yours as an unsent letter). */
gboolean ajar_custody_undiscard(AjarPlugin *ajar, const char *id, GError **error);
/* Messages discarded in the last AJAR_RECENTLY_DISCARDED_DAYS days for one
 * buddy of one account (both nullable = all), oldest first.
 * Returns: (transfer container). */
GPtrArray *ajar_custody_list_discarded(AjarPlugin *ajar, PurpleAccount *account, const char *buddy);
/* Sends your kept message @id ("sending", sent, "sent"). Errors in
 * G_IO_ERROR: NOT_CONNECTED (its account is offline), FAILED (the journal
 * could not take "sending", so it was not sent), NOT_FOUND or
 * INVALID_ARGUMENT (no such message of yours). */
gboolean ajar_custody_send(AjarPlugin *ajar, const char *id, GError **error);
gboolean ajar_custody_cancel(AjarPlugin *ajar, const char *id, GError **error);
/* Items in custody for one buddy of one account (both nullable = all),
 * oldest first. Returns: (transfer container). */
GPtrArray *ajar_custody_list(AjarPlugin *ajar, PurpleAccount *account, const char *buddy);
/* Sends your messages to @buddy that could not be journaled (kept in
 * memory), oldest first; *@sent says how many went. One whose send failed
 * or broke its connection stays kept, marked as perhaps gone: it goes
 * again only when @again ("/ajar send all"), else it is counted in
 * *@maybe_gone. FALSE and @error at the first that could not go (it stays
 * kept): G_IO_ERROR_NOT_CONNECTED (the account is offline) or
 * G_IO_ERROR_CONNECTION_CLOSED (the send failed or broke; now marked). */
gboolean ajar_custody_send_unjournaled(AjarPlugin *ajar, PurpleAccount *account, const char *buddy,
                                       gboolean again, guint *sent, guint *maybe_gone,
                                       GError **error);
/* The account an item belongs to, if it still exists. */
PurpleAccount *ajar_custody_find_account(const AjarItem *item);

/* The item with @id if Ajar still keeps it (not dealt with this session). */
const AjarItem *ajar_custody_lookup(AjarPlugin *ajar, const char *id, GError **error);
gboolean ajar_custody_account_online(PurpleAccount *account);
/* Shows their kept message: reads its text back, journals "showing",
 * delivers it, then journals @outcome ("released" or "delivered"). FALSE
 * with @error (one sentence for the user) when its text cannot be read
 * back: then nothing is journaled or shown, and the message stays kept. */
gboolean ajar_custody_show(AjarPlugin *ajar, const AjarItem *item, PurpleAccount *account,
                           AjarEventType outcome, GError **error);
/* Journals the outcome of something already done; tells the user if it
 * cannot. Always TRUE: the deed stands. */
gboolean ajar_custody_note_done(AjarPlugin *ajar, AjarEventType type, const char *id);
