/* ajar-strangers.h — new senders: who is a stranger, their kept messages
 * grouped by sender, and what the user decides about one (This is NAME,
 * Let them through) — above ajar-custody.c and ajar-rules-file.c. */
#pragma once

#include "ajar-context.h"

/* Starts every key of a stranger (a review line's key): rule names cannot
 * hold control characters, so no rule's name starts so. */
#define AJAR_STRANGERS_KEY_PREFIX "\001"

/* Whether an incoming IM from @sender on @account comes from a stranger:
 * someone not in that account's buddy list, not the account itself, not an
 * auto-response (@flags), not a server or system sender (an empty name; on
 * XMPP and address-like protocols a name without '@'; on IRC a name with a
 * '.' or ending in "Serv"), and not a chat room's occupant writing
 * privately (XMPP "room@conference/nick" where "room@conference" is a chat
 * the account is in). */
gboolean ajar_strangers_is_stranger(PurpleAccount *account, const char *sender,
                                    PurpleMessageFlags flags);

/* One new sender and their kept messages. */
typedef struct {
    char *key;         /* AJAR_STRANGERS_KEY_PREFIX account \n protocol \n address */
    char *account;     /* your account's name, as the journal has it */
    char *protocol;    /* its protocol id */
    char *address;     /* the sender, as their protocol normalizes names (no XMPP resource) */
    char *shown;       /* the sender as their first kept message came (for the user) */
    GPtrArray *ids;    /* char*: their kept messages, oldest first (may be empty) */
    guint held;        /* of them: held (or being shown), delayed */
    guint archived;    /* of them: archived, read or not */
    guint interrupted; /* of them: Ajar stopped showing them halfway (may be shown already) */
    gint64 newest;     /* the newest one's own time (0 when none) */
} AjarStranger;

void ajar_stranger_free(AjarStranger *stranger);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(AjarStranger, ajar_stranger_free)

/* The strangers with kept messages, the one with the newest first; only
 * those who wrote to @buddy's conversation on @account when both are set.
 * Returns: (transfer full): AjarStranger* (the array frees them). */
GPtrArray *ajar_strangers_list(AjarPlugin *ajar, PurpleAccount *account, const char *buddy);
/* Whether a stranger who wrote to @buddy's conversation on @account has
 * kept messages. */
gboolean ajar_strangers_has_kept(AjarPlugin *ajar, PurpleAccount *account, const char *buddy);
/* Returns: (transfer full) (nullable): the stranger with @key if they still
 * have kept messages. */
AjarStranger *ajar_strangers_lookup(AjarPlugin *ajar, const char *key);

/* "This is NAME": the stranger's address is added to rule @rule_name's
 * match (rules.json written atomically) and their kept messages are
 * journaled "assigned" to it (they stay kept, now under that rule).
 * *@moved: how many. FALSE with @error (G_IO_ERROR) when there is no such
 * rule or the rules cannot be changed (then nothing changed), or, with
 * G_IO_ERROR_PARTIAL_INPUT, when a message could not be journaled (the
 * rule is changed; that one stays kept as a stranger's). */
gboolean ajar_strangers_assign(AjarPlugin *ajar, const AjarStranger *stranger,
                               const char *rule_name, guint *moved, GError **error);
/* "Let them through": the address goes into settings.allowed (rules.json
 * written atomically) and their kept messages are released as any
 * release does, except, as Release all, those Ajar stopped showing halfway
 * (they may be shown already; they stay kept). *@released, *@skipped: how
 * many of each. FALSE with @error when the rules
 * cannot be changed (nothing released) or, with G_IO_ERROR_PARTIAL_INPUT,
 * a release failed (the others are released; that one stays kept). */
gboolean ajar_strangers_allow(AjarPlugin *ajar, const AjarStranger *stranger, guint *released,
                              guint *skipped, GError **error);

/* "/ajar is NAME" and "/ajar allow" in the conversation @conv: the line to
 * say when it worked (transfer full), else NULL with *@error_out (one
 * line) and nothing changed. */
char *ajar_strangers_command_is(AjarPlugin *ajar, PurpleConversation *conv, const char *name,
                                char **error_out);
char *ajar_strangers_command_allow(AjarPlugin *ajar, PurpleConversation *conv, char **error_out);
