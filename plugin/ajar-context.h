/* ajar-context.h — the bottom of plugin/: the plugin's one state struct,
 * its journal, its clock, and telling the user. Every other plugin file
 * stands on this one (plugin/README.md gives the order).
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
typedef struct _AjarPlugin AjarPlugin;
struct _AjarPlugin {
    PurplePlugin *plugin;
    char *dir; /* <purple user dir>/ajar */

    AjarJournal *journal; /* NULL when it could not be opened (the user was told) */
    /* The journal is still being read in the background
     * (ajar_journal_open_async()): rules work, messages are withheld and
     * journaled as ever, but what needs every kept message (due times,
     * counts, the review, /ajar status) waits for ajar-plugin.c's loaded
     * callback, which clears this. */
    gboolean journal_loading;
    /* Ids journaled meanwhile: dealt with as they came, so not taken for
     * messages of an earlier run once loaded (ajar_schedule_all()). */
    GHashTable *journaled_while_loading;
    /* The rule whose "messages are waiting" note waits for the count. */
    char *notice_after_load;
    /* After that: what was in custody, scheduled a slice a turn
     * (ajar_schedule_all_in_slices()). */
    struct {
        GPtrArray *ids; /* message ids */
        GArray *seqs;   /* gint64: each one's state_seq when listed */
        guint next;
        guint source;
        void (*done_func)(AjarPlugin *ajar);
    } loaded;
    AjarRuleSet *rules; /* the rules in force; never NULL */
    char *rules_text;   /* the bytes they were read from, to spot our own writes */
    char *rules_error;  /* the last error reported for rules.json, to report it once */
    GFileMonitor *rules_monitor;
    guint rules_reload_source;

    /* Another messenger on this profile has the journal (its lock): Ajar
     * holds nothing back here and says so. @journal_holder: its pid, 0 when
     * it cannot be told. */
    gboolean journal_busy;
    int journal_holder;

    /* Messages waiting for their due time, soonest first, and one timer for
     * the soonest: a timer each would cost every turn of the main loop a
     * look at every one of them. */
    GSequence *due_queue;    /* AjarDueEntry*, by due time, then by when scheduled */
    GHashTable *due_entries; /* message id -> its GSequenceIter in due_queue */
    guint due_timer;         /* the GLib source for the soonest, or 0 */
    guint64 due_order;       /* how many were scheduled: ties keep that order */
    GHashTable *asking;      /* message id -> AjarQuestion* of an open "send now?" request */
    /* Called with the id of each message whose due time came (set by
     * ajar-schedule.c, which knows what to do with it). */
    void (*due_func)(AjarPlugin *ajar, const char *id);
    /* Due while their account was offline: sent or delivered at sign-on. */
    GHashTable *waiting_for_account; /* message id -> what to do then */
    /* Your messages whose send was refused because the journal could not
     * take their "sending" line (a full disk): message id -> how many tries.
     * Due again after the next journal write that works, or on their own
     * after a pause (ajar-due-queue.c). */
    GHashTable *waiting_for_room;
    /* Called after each journal write that worked (set by
     * ajar-due-queue.c): the journal has room again. */
    void (*journal_ok_func)(AjarPlugin *ajar);
    /* Also called after each journal write that worked (set by
     * ajar-compaction.c): whether the journal has grown enough to be
     * compacted. */
    void (*journal_grew_func)(AjarPlugin *ajar);
    /* The journal compacting on its own (ajar-compaction.c): NULL until
     * the journal is loaded. */
    struct _AjarCompaction *compaction;
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
    /* What became of the kept message Ajar is sending, from libpurple's
     * signals while `resending`, and of those it sent lately
     * (ajar-send-watch.c). */
    struct {
        PurpleAccount *account;
        gboolean reached_protocol; /* sent-im-msg: the protocol's send_im ran */
        gboolean echoed;           /* written to the window as sent: send_im succeeded */
        gboolean connection_lost;  /* its connection reported an error meanwhile */
        GPtrArray *recent;         /* sent in the last AJAR_SEND_SETTLE_SECONDS, oldest first */
    } send_watch;
    /* Called with the id of a message of yours whose send failed or whose
     * connection broke as it went: it is kept, and may or may not have
     * gone (set by ajar-schedule.c, which asks about it). */
    void (*send_failed_func)(AjarPlugin *ajar, const char *id, gboolean connection_lost);

    /* Rooms' history lines of theirs seen since joining (ajar-chats.c):
     * "account\nprotocol\nroom" -> GHashTable (line key -> count). */
    GHashTable *room_history;
    /* The journal's room lines by their line key ("account\nprotocol\n
     * room\nnick\nseconds\ntext") -> count; built at first need, then
     * kept up to date as Ajar journals room lines (ajar-chats.c). */
    GHashTable *room_lines;
    /* The delay stamp of the XMPP room message being parsed, for the
     * history line libpurple makes of it next (ajar-chats.c). */
    struct {
        PurpleAccount *account;
        char *from;  /* room@server/nick */
        char *body;  /* its <body>'s text */
        gint64 time; /* unix microseconds, whole seconds; 0 = none */
    } history_stamp;

    PurpleCmdId command;
    void *withheld_notice; /* the "messages are waiting" note, replaced as the count grows */
    /* Data of open dialogs (pointer -> its GDestroyNotify): a dialog closed
     * by unload never calls back, so unload frees what is left here. */
    GHashTable *dialogs;
    /* Error boxes still on screen, by their text and reason (OpenReport*),
     * so one trouble is told once while its box is open. */
    GHashTable *open_reports;

    /* A buzz from someone Ajar withholds was just swallowed: the "Attention
     * received" sound that libpurple's "got-attention" still brings is
     * stopped until the main loop turns (ajar-attention.c). */
    gboolean attention_muted;
    guint attention_unmute_source;

    /* Whom "typing…" (PURPLE_TYPING or PURPLE_TYPED) last went to, not yet
     * followed by PURPLE_NOT_TYPING: keys "account\nprotocol\nbuddy"
     * (ajar-typing.c), so that "stopped" still goes once a rule is set. */
    GHashTable *typing_sent;

    /* Looks for a failed background sync a second after a journal write. */
    guint sync_check_source;
    /* The user was told the journal may not be on disk (once a session). */
    gboolean sync_reported;
    /* Ids of messages whose text could not be read back from the journal
     * (ajar_context_item_text()): told once a session each. */
    GHashTable *text_unreadable;
};

/* ajar-context.c */
/* Makes and frees what the context itself owns (error boxes, dialogs'
 * data, the journal's sync check); the journal is opened by load. */
void ajar_context_init(AjarPlugin *ajar);
void ajar_context_clear(AjarPlugin *ajar);
/* Appends @event to the journal (the custody write). On failure @error says
 * why; the caller decides what the user is told. */
gboolean ajar_context_journal(AjarPlugin *ajar, AjarEvent *event, GError **error);
/* A sync of the journal failed: its lines may not be on disk. Told once a
 * session (a failing disk fails every sync); the lines were written. */
void ajar_context_sync_failed(AjarPlugin *ajar, const GError *sync_error);
/* The journal's whole state. While the journal is still read, this waits
 * for it (rare: for what cannot wait for the loaded callback). */
const AjarState *ajar_context_state(AjarPlugin *ajar);
/* A message by its id: one journaled since the start is found at once,
 * another (while the journal is still read) after waiting for it. */
const AjarItem *ajar_context_lookup(AjarPlugin *ajar, const char *id);
/* The one sentence said while the journal is still read. (transfer none) */
const char *ajar_context_loading_text(void);
/* Tells the user something went wrong, in one calm sentence and the reason.
 * The same sentence again while its box is still open is only logged. */
void ajar_context_report(AjarPlugin *ajar, const char *what, const char *why);
/* With another messenger holding the journal (ajar->journal_busy): the one
 * sentence that says so, "Ajar is already running for this profile
 * (process N); messages are not being held here.", and the one line that
 * refuses what would need the journal. Returns: (transfer full). */
char *ajar_context_busy_text(AjarPlugin *ajar);
char *ajar_context_busy_refusal(AjarPlugin *ajar);
/* @item's text, read back from the journal (the state keeps no texts).
 * Returns: (transfer full) (nullable): the text, NUL-terminated, @len (nullable)
 * its length and @images (nullable; transfer full) its pictures' file
 * names; NULL when it cannot be read (the file was edited by hand, or is
 * gone), with @error one sentence for the user saying that the message stays
 * kept and why. Nothing is then to be shown, sent or released. */
char *ajar_context_item_text(AjarPlugin *ajar, const AjarItem *item, gsize *len, char ***images,
                             GError **error);
/* Tells the user @error of ajar_context_item_text() for @item, once a session. */
void ajar_context_report_unreadable(AjarPlugin *ajar, const AjarItem *item, const GError *error);
/* The wall clock, unix microseconds: the only place plugin/ reads it. */
gint64 ajar_context_now(void);
/* Remembers @data of a dialog just opened; ajar_context_dialog_done() frees
 * it when the dialog answers, unload frees it otherwise. */
void ajar_context_dialog_open(AjarPlugin *ajar, gpointer data, GDestroyNotify destroy);
void ajar_context_dialog_done(AjarPlugin *ajar, gpointer data);
