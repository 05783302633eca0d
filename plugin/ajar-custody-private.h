/* ajar-custody-private.h — what ajar-custody.c and ajar-due.c share. */
#pragma once

#include "ajar-plugin.h"

/* The item with @id if Ajar still keeps it (not dealt with this session). */
const AjarItem *ajar_custody_lookup(AjarPlugin *ajar, const char *id, GError **error);
gboolean ajar_custody_account_online(PurpleAccount *account);
/* Shows their kept message: journals "showing", delivers it, then journals
 * @outcome ("released" or "delivered"). */
void ajar_custody_show(AjarPlugin *ajar, const AjarItem *item, PurpleAccount *account,
                       AjarEventType outcome);
/* Journals the outcome of something already done; tells the user if it
 * cannot. Always TRUE: the deed stands. */
gboolean ajar_custody_note_done(AjarPlugin *ajar, AjarEventType type, const char *id);
/* Stops @id's timer, forgets that it waits for an account, closes its
 * "send now?" question. */
void ajar_custody_unschedule(AjarPlugin *ajar, const char *id);
