/* ajar-contact.h — "this person" in menus and commands: their rule, and changing it (above ajar-rules-file.c and ajar-custody.c). */
#pragma once

#include "ajar-context.h"

/* A change to what Ajar does for one direction of a person's rule. */
typedef struct {
    AjarDirectionRule what; /* for the chosen direction */
    gboolean outgoing;
    gboolean off; /* "Turn off": remove the rule */
} AjarContactSetting;
int ajar_contact_rule_index(AjarPlugin *ajar, PurpleAccount *account, const char *buddy);
/* Returns: (transfer full): a pass-everything rule named after the contact,
 * matching every buddy of their buddy-list contact. */
AjarRule *ajar_contact_new_rule(AjarPlugin *ajar, PurpleAccount *account, const char *buddy);
/* Applies @setting to the rule covering @buddy (a new one if none; a rule
 * that then lets everything through both ways is removed) and writes
 * rules.json atomically. */
gboolean ajar_contact_set(AjarPlugin *ajar, PurpleAccount *account, const char *buddy,
                          const AjarContactSetting *setting, GError **error);
/* Sets the quiet hours of the rule covering @buddy to @quiet's (has_quiet
 * FALSE: none), the rest of the rule as it was (a new rule if none; one
 * that then does nothing is removed); writes rules.json atomically. */
gboolean ajar_contact_set_quiet(AjarPlugin *ajar, PurpleAccount *account, const char *buddy,
                                const AjarDirectionRule *quiet, GError **error);

/* Whether @item is from or to any buddy of the buddy-list contact that
 * @buddy belongs to (or @buddy itself when it is not in the list). */
gboolean ajar_contact_covers(AjarPlugin *ajar, PurpleAccount *account, const char *buddy,
                             const AjarItem *item);

/* Reads a delay as a person types it: whole minutes ("30"), or, when
 * @time_of_day_allowed, a time of day for a daily digest ("19:00").
 * Fills @out with a delay; FALSE if @text is neither. */
gboolean ajar_parse_delay(const char *text, gboolean time_of_day_allowed, AjarDirectionRule *out);
/* Reads quiet hours as typed: two different times of day, "23:00" "7:00".
 * Fills @out's has_quiet and minutes; FALSE if they are not that. */
gboolean ajar_parse_quiet(const char *from, const char *until, AjarDirectionRule *out);
