/* ajar-plugin.h — the plugin's one state struct and what its files share.
 *
 * plugin/ is glue: it turns libpurple types into plain facts for the core
 * (rules/, store/) and carries out the core's decisions through libpurple's
 * own APIs, so Pidgin, Finch and any other libpurple 2 client behave alike. */
#pragma once

#include <glib.h>
#include <gio/gio.h>

#include <account.h>
#include <cmds.h>
#include <conversation.h>
#include <plugin.h>

#include "ajar/ajar-journal.h"
#include "ajar/ajar-files.h"
#include "ajar/ajar-rules.h"

#define AJAR_PLUGIN_ID "core-ajar"
#define AJAR_PREFS_ROOT "/plugins/core/ajar"

/* Incoming handlers run after encryption plugins (OTR uses the default
 * priority) so Ajar sees plain text; outgoing ones before them, for the same
 * reason. */
#define AJAR_RECEIVING_PRIORITY (PURPLE_SIGNAL_PRIORITY_DEFAULT + 100)
#define AJAR_SENDING_PRIORITY (PURPLE_SIGNAL_PRIORITY_DEFAULT - 100)

/* How long after a journal write Ajar looks whether its background sync
 * failed: the custody rule's "reaches the disk within one second". */
#define AJAR_SYNC_CHECK_MS 1000

/* All plugin state: created in load, freed in unload (STYLE.md). */
typedef struct {
    PurplePlugin *plugin;
    char *dir; /* <purple user dir>/ajar */

    AjarJournal *journal; /* NULL when it could not be opened (the user was told) */
    AjarRuleSet *rules;   /* the rules in force; never NULL */
    char *rules_text;     /* the bytes they were read from, to spot our own writes */
    char *rules_error;    /* the last error reported for rules.json, to report it once */
    GFileMonitor *rules_monitor;
    guint rules_reload_source;

    /* Messages waiting for their due time, soonest first, and one timer for
     * the soonest: a timer each would cost every turn of the main loop a
     * look at every one of them. */
    GSequence *due_queue;    /* AjarDueEntry*, by due time, then by when scheduled */
    GHashTable *due_entries; /* message id -> its GSequenceIter in due_queue */
    guint due_timer;         /* the GLib source for the soonest, or 0 */
    guint64 due_order;       /* how many were scheduled: ties keep that order */
    GHashTable *asking;      /* message id -> AjarQuestion* of an open "send now?" request */
    /* Due while their account was offline: sent or delivered at sign-on. */
    GHashTable *waiting_for_account; /* message id -> what to do then */
    /* Your messages already queued when Ajar started: never sent without
     * asking ("after a restart nothing is sent without asking"). */
    GHashTable *from_earlier_run;
    /* Shown or sent although the journal could not note it: dealt with. */
    GHashTable *done_unnoted;
    /* Your messages that could not be journaled: kept here (AjarEvent*),
     * sent only by /ajar send; gone on quit, as the user was told. */
    GPtrArray *unjournaled;

    /* Re-entry guards: Ajar's own deliveries and sends go through the same
     * signals Ajar listens to, and must not be caught again. */
    gboolean delivering;
    gboolean resending;

    PurpleCmdId command;
    void *withheld_notice; /* the "messages are waiting" note, replaced as the count grows */
    /* Data of open dialogs (pointer -> its GDestroyNotify): a dialog closed
     * by unload never calls back, so unload frees what is left here. */
    GHashTable *dialogs;
    /* Error boxes still on screen, by their text and reason (OpenReport*),
     * so one trouble is told once while its box is open. */
    GHashTable *open_reports;

    /* Looks for a failed background sync a second after a journal write. */
    guint sync_check_source;
    /* The user was told the journal may not be on disk (once a session). */
    gboolean sync_reported;
} AjarPlugin;

/* ajar-plugin.c */
/* Appends @event to the journal (the custody write). On failure @error says
 * why; the caller decides what the user is told. */
gboolean ajar_plugin_journal(AjarPlugin *ajar, AjarEvent *event, GError **error);
/* A sync of the journal failed: its lines may not be on disk. Told once a
 * session (a failing disk fails every sync); the lines were written. */
void ajar_plugin_sync_failed(AjarPlugin *ajar, const GError *sync_error);
/* Tells the user something went wrong, in one calm sentence and the reason.
 * The same sentence again while its box is still open is only logged. */
void ajar_plugin_report(AjarPlugin *ajar, const char *what, const char *why);
gint64 ajar_plugin_now(void);
/* Remembers @data of a dialog just opened; ajar_plugin_dialog_done() frees it
 * when the dialog answers, unload frees it otherwise. */
void ajar_plugin_dialog_open(AjarPlugin *ajar, gpointer data, GDestroyNotify destroy);
void ajar_plugin_dialog_done(AjarPlugin *ajar, gpointer data);

/* ajar-normalize.c: the messenger's own name comparison, for the core. */
char *ajar_normalize_cb(const char *protocol, const char *name, gpointer user_data);

/* ajar-rules-file.c */
void ajar_rules_file_load(AjarPlugin *ajar);
void ajar_rules_file_watch(AjarPlugin *ajar);
void ajar_rules_file_unwatch(AjarPlugin *ajar);
/* Makes @rules the rules in force and writes rules.json atomically. */
gboolean ajar_rules_file_replace(AjarPlugin *ajar, AjarRuleSet *rules, GError **error);

/* ajar-intercept.c */
void ajar_intercept_connect(AjarPlugin *ajar);

/* ajar-custody.c: what happens to a kept message later. */
void ajar_custody_connect(AjarPlugin *ajar);
void ajar_custody_disconnect(AjarPlugin *ajar);
void ajar_custody_schedule_all(AjarPlugin *ajar, gboolean after_load);
void ajar_custody_unschedule_all(AjarPlugin *ajar);
void ajar_custody_schedule(AjarPlugin *ajar, const AjarItem *item);
/* Each acts on the message with @id and journals the outcome. */
gboolean ajar_custody_release(AjarPlugin *ajar, const char *id, GError **error);
gboolean ajar_custody_discard(AjarPlugin *ajar, const char *id, GError **error);
gboolean ajar_custody_mark_read(AjarPlugin *ajar, const char *id, GError **error);
/* Brings back a message the user discarded: journals "restored", after
 * which it is kept again (theirs as held, yours as an unsent letter). */
gboolean ajar_custody_undiscard(AjarPlugin *ajar, const char *id, GError **error);
/* How long a discarded message is offered back in the review and by
 * /ajar undiscard without an id (it stays in the journal either way). */
#define AJAR_RECENTLY_DISCARDED_DAYS 30
/* Messages discarded at or after @since (unix microseconds) for one buddy
 * of one account (both nullable = all), oldest first.
 * Returns: (transfer container). */
GPtrArray *ajar_custody_list_discarded(AjarPlugin *ajar, PurpleAccount *account,
                                       const char *buddy, gint64 since);
gboolean ajar_custody_send(AjarPlugin *ajar, const char *id, GError **error);
gboolean ajar_custody_cancel(AjarPlugin *ajar, const char *id, GError **error);
/* Items in custody for one buddy of one account (both nullable = all),
 * oldest first. Returns: (transfer container). */
GPtrArray *ajar_custody_list(AjarPlugin *ajar, PurpleAccount *account, const char *buddy);
/* Sends your messages to @buddy that could not be journaled (kept in
 * memory). Returns how many were sent. */
guint ajar_custody_send_unjournaled(AjarPlugin *ajar, PurpleAccount *account, const char *buddy);
/* The account an item belongs to, if it still exists. */
PurpleAccount *ajar_custody_find_account(const AjarItem *item);

/* ajar-contact.c: "this person" in menus and commands. */
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

/* Whether @item is from or to any buddy of the buddy-list contact that
 * @buddy belongs to (or @buddy itself when it is not in the list). */
gboolean ajar_contact_covers(AjarPlugin *ajar, PurpleAccount *account, const char *buddy,
                             const AjarItem *item);

/* Reads a delay as a person types it: whole minutes ("30"), or, when
 * @time_of_day_allowed, a time of day for a daily digest ("19:00").
 * Fills @out with a delay; FALSE if @text is neither. */
gboolean ajar_parse_delay(const char *text, gboolean time_of_day_allowed, AjarDirectionRule *out);

/* ajar-commands.c */
void ajar_commands_register(AjarPlugin *ajar);
void ajar_commands_unregister(AjarPlugin *ajar);

/* ajar-menu.c */
void ajar_menu_connect(AjarPlugin *ajar);

/* ajar-review.c */
void ajar_review_open(AjarPlugin *ajar, PurpleAccount *account, const char *buddy);

/* ajar-statistics.c: the same figures and words as `ajar stats`. */
void ajar_plugin_show_statistics(AjarPlugin *ajar);
