/* ajar-commands.c — /ajar in a conversation with the person.
 *
 * A wrong subcommand or argument prints the usage and changes nothing. Every
 * change writes rules.json. */
#include "ajar-commands.h"

#include "ajar-ask-text.h"
#include "ajar-compaction.h"
#include "ajar-contact.h"
#include "ajar-custody.h"
#include "ajar-review.h"
#include "ajar-status-text.h"
#include "ajar-status.h"
#include "ajar-strangers.h"

#include <cmds.h>
#include <string.h>

#include "ajar/ajar-i18n.h"
#include "ajar/ajar-stats.h"
#include "ajar/ajar-text.h"

static const char *const usage =
    /* TRANSLATORS: /ajar's help, one command a line. Keep "/ajar", the
     * command words (status, hold, archive, delay, pass, cooloff, ask, quiet, off,
     * review, release, cancel, send, undiscard, is, allow, compact, help, all) and
     * HH:MM as they are: they are what is typed. MINUTES, QUESTION, ID and
     * NAME may be translated. */
    N_("/ajar status — what Ajar does for this person, and what it keeps\n"
       "/ajar hold — keep their messages out of sight until you review them\n"
       "/ajar archive — store their messages unread, never announced\n"
       "/ajar delay MINUTES | /ajar delay HH:MM — their messages come later, or daily at HH:MM\n"
       "/ajar pass — let their messages through again\n"
       "/ajar cooloff MINUTES | /ajar cooloff off — let your messages wait before they go\n"
       "/ajar ask [QUESTION] | /ajar ask off — be asked before each of your messages goes\n"
       "/ajar quiet HH:MM HH:MM | /ajar quiet off — keep what you write then, and ask at the end\n"
       "/ajar review — read what was kept\n"
       "/ajar release [all|ID] — show their kept messages here (all when no ID)\n"
       "/ajar cancel [all|ID] — keep your waiting messages unsent\n"
       "/ajar send [all|ID] — send your cooling-off messages now (all: unsent letters too)\n"
       "/ajar undiscard [all|ID] — bring back messages you discarded (the last 30 days)\n"
       "/ajar is NAME — a new sender is the person of rule NAME: kept under that rule\n"
       "/ajar allow — let a new sender through, and never screen them again\n"
       "/ajar compact — move finished messages out of the journal into its history now\n"
       "/ajar help — this list");

static void
say(PurpleConversation *conv, const char *text)
{
    /* Conversations read markup; names (a contact's alias) must stay text. */
    g_autofree char *escaped = g_markup_escape_text(text, -1);

    purple_conversation_write(conv, NULL, escaped, PURPLE_MESSAGE_SYSTEM | PURPLE_MESSAGE_NO_LOG,
                              time(NULL));
}

typedef gboolean (*ItemAction)(AjarPlugin *ajar, const char *id, GError **error);

/* Whether a command without an id (or with "all") takes a kept message. */
typedef enum {
    PICK_NO,
    PICK_YES,
    /* It would, but Ajar stopped showing or sending it halfway: it may
     * already be there, so it goes again only by its id. */
    PICK_BY_ID_ONLY,
} Pick;

/* What was done to the messages a command took, for the line that says so. */
typedef enum {
    DONE_RELEASED,
    DONE_KEPT_UNSENT,
    DONE_SENT,
} Done;

/* "Ajar: 3 messages released." Returns: (transfer full). */
static char *
done_line(Done deed, guint count)
{
    switch (deed) {
    case DONE_RELEASED:
        return g_strdup_printf(
            P_("Ajar: %u message released.", "Ajar: %u messages released.", count), count);
    case DONE_KEPT_UNSENT:
        return g_strdup_printf(
            P_("Ajar: %u message kept unsent.", "Ajar: %u messages kept unsent.", count), count);
    default:
        return g_strdup_printf(P_("Ajar: %u message sent.", "Ajar: %u messages sent.", count),
                               count);
    }
}

/* Runs @action on the chosen items of this conversation's buddy: "all", one
 * id (or a unique start of one), or the default set. */
static PurpleCmdRet
on_items(AjarPlugin *ajar, PurpleConversation *conv, const char *arg, ItemAction action,
         Pick (*wanted)(const AjarItem *item, gboolean all), const char *none, Done deed,
         char **error_out)
{
    PurpleAccount *account = purple_conversation_get_account(conv);
    g_autoptr(GPtrArray) items =
        ajar_custody_list(ajar, account, purple_conversation_get_name(conv));
    g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);
    gboolean all = arg != NULL && strcmp(arg, "all") == 0;
    guint done = 0, interrupted = 0;
    AjarDirection interrupted_dir = AJAR_DIRECTION_IN;

    for (guint i = 0; i < items->len; i++) {
        const AjarItem *item = g_ptr_array_index(items, i);
        if (arg != NULL && !all) {
            if (strlen(arg) >= 6 && g_ascii_strncasecmp(item->id, arg, strlen(arg)) == 0)
                g_ptr_array_add(ids, g_strdup(item->id));
        } else {
            Pick pick = wanted(item, all);
            if (pick == PICK_YES)
                g_ptr_array_add(ids, g_strdup(item->id));
            if (pick == PICK_BY_ID_ONLY) {
                interrupted++;
                interrupted_dir = item->dir;
            }
        }
    }
    if (arg != NULL && !all && ids->len != 1) {
        /* TRANSLATORS: %s is the id (or the start of one) that was typed. */
        *error_out = g_strdup_printf(ids->len == 0 ? _("No kept message here has the id %s.")
                                                   : _("More than one message starts with %s."),
                                     arg);
        return PURPLE_CMD_RET_FAILED;
    }
    if (interrupted > 0 && (ids->len > 0 || none != NULL)) {
        g_autofree char *note = ajar_status_text_interrupted(interrupted_dir, interrupted);
        say(conv, note);
    }
    if (ids->len == 0) {
        if (none != NULL && interrupted == 0)
            say(conv, none);
        return PURPLE_CMD_RET_OK;
    }
    for (guint i = 0; i < ids->len; i++) {
        g_autoptr(GError) error = NULL;
        if (!action(ajar, g_ptr_array_index(ids, i), &error)) {
            *error_out = g_strdup(error->message);
            return PURPLE_CMD_RET_FAILED;
        }
        done++;
    }
    {
        g_autofree char *line = done_line(deed, done);
        say(conv, line);
    }
    return PURPLE_CMD_RET_OK;
}

static Pick
releasable(const AjarItem *item, gboolean all)
{
    if (item->dir != AJAR_DIRECTION_IN)
        return PICK_NO;
    return item->interrupted ? PICK_BY_ID_ONLY : PICK_YES;
}

static Pick
cancellable(const AjarItem *item, gboolean all)
{
    /* Cooling off, or stopped halfway while being sent (then kept unsent,
     * as "Keep it unsent" does). */
    return item->dir == AJAR_DIRECTION_OUT &&
                   (item->state == AJAR_EVENT_QUEUED || item->state == AJAR_EVENT_SENDING)
               ? PICK_YES
               : PICK_NO;
}

static Pick
sendable(const AjarItem *item, gboolean all)
{
    /* Without an id: only what is cooling off now. Unsent letters and
     * cancelled messages were kept on purpose: they go only by their id or
     * with "all", never as a side effect; so does one its rule's "ask"
     * kept (its question unanswered), which is a letter until you say. */
    if (item->dir != AJAR_DIRECTION_OUT ||
        !(((item->state == AJAR_EVENT_QUEUED && !item->ask) || item->state == AJAR_EVENT_SENDING) ||
          (all && (item->state == AJAR_EVENT_HELD || item->state == AJAR_EVENT_CANCELLED ||
                   item->state == AJAR_EVENT_QUEUED))))
        return PICK_NO;
    return item->interrupted ? PICK_BY_ID_ONLY : PICK_YES;
}

/* /ajar undiscard: without an argument, says what could be brought back
 * (ids and times, never the text: the window may be seen by others). */
static PurpleCmdRet
undiscard(AjarPlugin *ajar, PurpleConversation *conv, const char *arg, char **error_out)
{
    PurpleAccount *account = purple_conversation_get_account(conv);
    g_autoptr(GPtrArray) items =
        ajar_custody_list_discarded(ajar, account, purple_conversation_get_name(conv));
    g_autoptr(GPtrArray) ids = g_ptr_array_new();
    gboolean all = g_strcmp0(arg, "all") == 0;

    if (arg == NULL) {
        g_autoptr(GString) text = g_string_new(NULL);
        g_autoptr(GDateTime) now = g_date_time_new_now_local();

        if (items->len == 0) {
            say(conv, _("Ajar: nothing here was discarded in the last 30 days."));
            return PURPLE_CMD_RET_OK;
        }
        /* TRANSLATORS: "/ajar undiscard ID" is a command: keep /ajar and
         * undiscard as they are. */
        g_string_append(text, _("Ajar: discarded in the last 30 days (/ajar undiscard ID "
                                "brings one back):"));
        for (guint i = 0; i < items->len; i++) {
            const AjarItem *item = g_ptr_array_index(items, i);
            g_autofree char *when = ajar_format_local_time(item->time, now);

            g_string_append_c(text, '\n');
            /* The whole id: short ones of a burst can share their start. */
            if (item->dir == AJAR_DIRECTION_IN)
                /* TRANSLATORS: a line of the list of discarded messages: the
                 * message's id, then when it came (e.g. "today 21:04"). */
                g_string_append_printf(text, _("%s  theirs, %s"), item->id, when);
            else
                /* TRANSLATORS: a line of the list of discarded messages: the
                 * message's id, then when you wrote it (e.g. "today 21:04"). */
                g_string_append_printf(text, _("%s  yours, %s"), item->id, when);
        }
        say(conv, text->str);
        return PURPLE_CMD_RET_OK;
    }
    for (guint i = 0; i < items->len; i++) {
        const AjarItem *item = g_ptr_array_index(items, i);
        if (all || (strlen(arg) >= 6 && g_ascii_strncasecmp(item->id, arg, strlen(arg)) == 0))
            g_ptr_array_add(ids, item->id);
    }
    if (all && ids->len == 0) {
        say(conv, _("Ajar: nothing here was discarded in the last 30 days."));
        return PURPLE_CMD_RET_OK;
    }
    if (!all && ids->len != 1) {
        *error_out =
            g_strdup_printf(ids->len == 0 ? _("No message discarded here lately has the id %s.")
                                          : _("More than one message starts with %s."),
                            arg);
        return PURPLE_CMD_RET_FAILED;
    }
    /* Copied: each "restored" changes the state the items live in. */
    {
        g_auto(GStrv) wanted = NULL;
        g_autofree char *line = NULL;

        g_ptr_array_add(ids, NULL);
        wanted = g_strdupv((char **)ids->pdata);
        for (char **id = wanted; *id != NULL; id++) {
            g_autoptr(GError) error = NULL;
            if (!ajar_custody_undiscard(ajar, *id, &error)) {
                *error_out = g_strdup(error->message);
                return PURPLE_CMD_RET_FAILED;
            }
        }
        line = g_strdup_printf(P_("Ajar: %u message brought back; it is kept again.",
                                  "Ajar: %u messages brought back; they are kept again.",
                                  g_strv_length(wanted)),
                               g_strv_length(wanted));
        say(conv, line);
    }
    return PURPLE_CMD_RET_OK;
}

static PurpleCmdRet
usage_error(char **error_out)
{
    *error_out = g_strdup_printf(
        /* TRANSLATORS: %s is /ajar's help, the list of its commands. */
        _("Ajar did not understand that, so nothing was changed.\n%s"), _(usage));
    return PURPLE_CMD_RET_FAILED;
}

static PurpleCmdRet
change_rule(AjarPlugin *ajar, PurpleConversation *conv, AjarContactSetting *change,
            const char *done, char **error_out)
{
    g_autoptr(GError) error = NULL;

    if (!ajar_contact_set(ajar, purple_conversation_get_account(conv),
                          purple_conversation_get_name(conv), change, &error)) {
        /* TRANSLATORS: %s is why (one sentence). */
        *error_out = g_strdup_printf(_("Nothing was changed: %s"), error->message);
        return PURPLE_CMD_RET_FAILED;
    }
    say(conv, done);
    return PURPLE_CMD_RET_OK;
}

/* /ajar ask [QUESTION|off], /ajar quiet HH:MM HH:MM|off. @line is the
 * whole argument as typed (a question keeps its spaces). */
static PurpleCmdRet
asking_command(AjarPlugin *ajar, PurpleConversation *conv, GPtrArray *argv, const char *line,
               char **error_out)
{
    const char *sub = g_ptr_array_index(argv, 0);
    const char *arg = argv->len > 1 ? g_ptr_array_index(argv, 1) : NULL;
    AjarContactSetting change = { { 0 }, TRUE, FALSE };

    if (strcmp(sub, "quiet") == 0) {
        AjarDirectionRule quiet = { 0 };
        g_autoptr(GError) error = NULL;
        g_autofree char *from = NULL;
        g_autofree char *until = NULL;
        g_autofree char *done = NULL;

        if (argv->len == 2 && strcmp(arg, "off") == 0) {
            done = g_strdup(_("Ajar: no quiet hours for this person any more."));
        } else if (argv->len == 3 && ajar_parse_quiet(arg, g_ptr_array_index(argv, 2), &quiet)) {
            from = ajar_ask_text_minute(quiet.quiet_from_minute);
            until = ajar_ask_text_minute(quiet.quiet_until_minute);
            /* TRANSLATORS: the first %s is when quiet hours start, the
             * second (twice) when they end ("23:00", "07:00"). */
            done = g_strdup_printf(_("Ajar: from %s to %s what you write to them is kept, and at "
                                     "%s you are asked whether to send it."),
                                   from, until, until);
        } else {
            return usage_error(error_out);
        }
        if (!ajar_contact_set_quiet(ajar, purple_conversation_get_account(conv),
                                    purple_conversation_get_name(conv), &quiet, &error)) {
            *error_out = g_strdup_printf(_("Nothing was changed: %s"), error->message);
            return PURPLE_CMD_RET_FAILED;
        }
        say(conv, done);
        return PURPLE_CMD_RET_OK;
    }
    /* "ask": the rest of the line, if any, is the question. */
    if (argv->len == 2 && strcmp(arg, "off") == 0) {
        change.what.action = AJAR_ACTION_PASS;
        return change_rule(ajar, conv, &change, _("Ajar: your messages go at once again."),
                           error_out);
    }
    {
        g_autofree char *question = g_strstrip(g_strdup(line + strspn(line, " \t") + 3));

        change.what.action = AJAR_ACTION_ASK;
        change.what.question = *question != '\0' ? question : NULL;
        return change_rule(ajar, conv, &change,
                           _("Ajar: you will be asked before each of your messages to them goes."),
                           error_out);
    }
}

/* /ajar compact: the journal compacted now, in the background, whatever
 * its size (Ajar does it on its own once it is large). */
static PurpleCmdRet
compact_command(AjarPlugin *ajar, PurpleConversation *conv, char **error_out)
{
    g_autoptr(GError) error = NULL;

    switch (ajar_compaction_request(ajar, &error)) {
    case AJAR_COMPACTION_BEGUN:
        say(conv, _("Ajar is compacting its journal: finished messages move to its history."));
        return PURPLE_CMD_RET_OK;
    case AJAR_COMPACTION_RUNNING:
        say(conv, _("Ajar is already compacting its journal."));
        return PURPLE_CMD_RET_OK;
    case AJAR_COMPACTION_LATER:
        if (error != NULL) {
            /* TRANSLATORS: %s says why (a file and the system's error). */
            *error_out = g_strdup_printf(
                _("Ajar could not compact its journal (%s); it will try again later."),
                error->message);
            return PURPLE_CMD_RET_FAILED;
        }
        say(conv, _("Ajar will compact its journal once the message it just sent has settled."));
        return PURPLE_CMD_RET_OK;
    case AJAR_COMPACTION_NOT_NOW:
    default:
        *error_out = g_strdup(
            _("Ajar cannot compact its journal now: it is not open, or is still being read."));
        return PURPLE_CMD_RET_FAILED;
    }
}

static PurpleCmdRet
run_command(PurpleConversation *conv, gchar **args, gchar **error_out, AjarPlugin *ajar)
{
    g_auto(GStrv) words = g_strsplit_set(args != NULL && args[0] != NULL ? args[0] : "", " \t", -1);
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    const char *sub, *arg;
    AjarContactSetting change = { { 0 }, FALSE, FALSE };

    for (char **w = words; *w != NULL; w++) {
        if (**w != '\0')
            g_ptr_array_add(argv, *w);
    }
    sub = argv->len > 0 ? g_ptr_array_index(argv, 0) : "status"; /* no i18n: command word */
    arg = argv->len > 1 ? g_ptr_array_index(argv, 1) : NULL;
    if (strcmp(sub, "ask") == 0 || strcmp(sub, "quiet") == 0) {
        if (!ajar->journal_busy)
            return asking_command(ajar, conv, argv, args[0], error_out);
        *error_out = ajar_context_busy_refusal(ajar);
        return PURPLE_CMD_RET_FAILED;
    }
    /* A rule's name may hold spaces: "/ajar is" takes the rest of the line. */
    if (argv->len > 2 && strcmp(sub, "is") != 0)
        return usage_error(error_out);

    if (strcmp(sub, "help") == 0 && arg == NULL) {
        say(conv, _(usage));
        return PURPLE_CMD_RET_OK;
    }
    if (ajar->journal_busy) {
        /* Another messenger's Ajar keeps this profile's messages: what is
         * true here is that nothing is held, and nothing can be done. */
        g_autofree char *text =
            strcmp(sub, "status") == 0 && arg == NULL ? ajar_context_busy_text(ajar) : NULL;
        if (text != NULL) {
            say(conv, text);
            return PURPLE_CMD_RET_OK;
        }
        *error_out = ajar_context_busy_refusal(ajar);
        return PURPLE_CMD_RET_FAILED;
    }
    if (strcmp(sub, "status") == 0 && arg == NULL && ajar->journal_loading) {
        /* What is kept needs the whole journal: a moment more. */
        say(conv, ajar_context_loading_text());
        return PURPLE_CMD_RET_OK;
    }
    if (strcmp(sub, "status") == 0 && arg == NULL) {
        g_autofree char *line = ajar_status_line(ajar, purple_conversation_get_account(conv),
                                                 purple_conversation_get_name(conv));
        say(conv, line);
        return PURPLE_CMD_RET_OK;
    }
    if (strcmp(sub, "compact") == 0 && arg == NULL)
        return compact_command(ajar, conv, error_out);
    if ((strcmp(sub, "hold") == 0 || strcmp(sub, "archive") == 0 || strcmp(sub, "pass") == 0) &&
        arg == NULL) {
        change.what.action = sub[0] == 'h'   ? AJAR_ACTION_HOLD
                             : sub[0] == 'a' ? AJAR_ACTION_ARCHIVE
                                             : AJAR_ACTION_PASS;
        return change_rule(ajar, conv, &change,
                           sub[0] == 'h'   ? _("Ajar: their messages will be held for you.")
                           : sub[0] == 'a' ? _("Ajar: their messages will be archived unread.")
                                           : _("Ajar: their messages will come through again."),
                           error_out);
    }
    if (strcmp(sub, "delay") == 0 && ajar_parse_delay(arg, TRUE, &change.what)) {
        int minutes = (int)(change.what.seconds / 60);
        g_autofree char *done =
            change.what.delay_kind == AJAR_DELAY_AT
                /* TRANSLATORS: %02d:%02d is a time of day (hours, minutes). */
                ? g_strdup_printf(_("Ajar: their messages will come once a day, at %02d:%02d."),
                                  change.what.at_minute / 60, change.what.at_minute % 60)
                /* TRANSLATORS: "min" is minutes. */
                : g_strdup_printf(P_("Ajar: their messages will come %d min late.",
                                     "Ajar: their messages will come %d min late.", minutes),
                                  minutes);
        return change_rule(ajar, conv, &change, done, error_out);
    }
    if (strcmp(sub, "cooloff") == 0 && arg != NULL) {
        g_autofree char *done = NULL;
        change.outgoing = TRUE;
        if (strcmp(arg, "off") == 0) {
            change.what.action = AJAR_ACTION_PASS;
            return change_rule(ajar, conv, &change, _("Ajar: your messages go at once again."),
                               error_out);
        }
        if (!ajar_parse_delay(arg, FALSE, &change.what))
            return usage_error(error_out);
        /* TRANSLATORS: "min" is minutes. */
        done = g_strdup_printf(P_("Ajar: your messages will wait %d min before they go.",
                                  "Ajar: your messages will wait %d min before they go.",
                                  (int)(change.what.seconds / 60)),
                               (int)(change.what.seconds / 60));
        return change_rule(ajar, conv, &change, done, error_out);
    }
    if (strcmp(sub, "review") == 0 && arg == NULL) {
        ajar_review_open(ajar, purple_conversation_get_account(conv),
                         purple_conversation_get_name(conv));
        return PURPLE_CMD_RET_OK;
    }
    if (strcmp(sub, "release") == 0)
        return on_items(ajar, conv, arg, ajar_custody_release, releasable,
                        _("Ajar: nothing of theirs is kept."), DONE_RELEASED, error_out);
    if (strcmp(sub, "cancel") == 0)
        return on_items(ajar, conv, arg, ajar_custody_cancel, cancellable,
                        _("Ajar: nothing of yours is waiting."), DONE_KEPT_UNSENT, error_out);
    if (strcmp(sub, "undiscard") == 0)
        return undiscard(ajar, conv, arg, error_out);
    if ((strcmp(sub, "is") == 0 && arg != NULL) || (strcmp(sub, "allow") == 0 && arg == NULL)) {
        g_autofree char *name = NULL;
        g_autofree char *done = NULL;

        if (sub[0] == 'i') {
            /* Everything after "is", as typed. */
            const char *rest = strstr(args[0], "is") + 2;
            name = g_strstrip(g_strdup(rest));
            done = ajar_strangers_command_is(ajar, conv, name, error_out);
        } else {
            done = ajar_strangers_command_allow(ajar, conv, error_out);
        }
        if (done == NULL)
            return PURPLE_CMD_RET_FAILED;
        say(conv, done);
        return PURPLE_CMD_RET_OK;
    }
    if (strcmp(sub, "send") == 0) {
        guint unsaved = 0, maybe_gone = 0;

        /* First what could not be saved to disk (kept in memory). */
        if (arg == NULL || strcmp(arg, "all") == 0) {
            g_autoptr(GError) error = NULL;
            gboolean went = ajar_custody_send_unjournaled(
                ajar, purple_conversation_get_account(conv), purple_conversation_get_name(conv),
                arg != NULL, &unsaved, &maybe_gone, &error);

            if (unsaved > 0) {
                g_autofree char *line =
                    g_strdup_printf(P_("Ajar: %u unsaved message sent.",
                                       "Ajar: %u unsaved messages sent.", unsaved),
                                    unsaved);
                say(conv, line);
            }
            if (!went) {
                /* One line; the rest stays kept, as after any failed send. */
                *error_out = g_strdup(error->message);
                return PURPLE_CMD_RET_FAILED;
            }
            if (maybe_gone > 0) {
                g_autofree char *line = g_strdup_printf(
                    /* TRANSLATORS: "/ajar send all" is a command: keep it as
                     * it is. */
                    P_("Ajar: %u unsaved message may already have reached them: the connection "
                       "failed while it was being sent. It is kept until you quit; /ajar send "
                       "all sends it again.",
                       "Ajar: %u unsaved messages may already have reached them: the connection "
                       "failed while they were being sent. They are kept until you quit; /ajar "
                       "send all sends them again.",
                       maybe_gone),
                    maybe_gone);
                say(conv, line);
            }
        }
        return on_items(ajar, conv, arg, ajar_custody_send, sendable,
                        unsaved > 0 || maybe_gone > 0 ? NULL
                                                      : _("Ajar: nothing of yours is waiting."),
                        DONE_SENT, error_out);
    }
    return usage_error(error_out);
}

static PurpleCmdRet
ajar_cmd_cb(PurpleConversation *conv, const gchar *cmd, gchar **args, gchar **error_out, void *data)
{
    PurpleCmdRet ret = run_command(conv, args, error_out, data);

    /* UIs write the error into the conversation as markup: keep it text
     * (it may quote what was typed). */
    if (error_out != NULL && *error_out != NULL) {
        char *escaped = g_markup_escape_text(*error_out, -1);
        g_free(*error_out);
        *error_out = escaped;
    }
    return ret;
}

void
ajar_commands_register(AjarPlugin *ajar)
{
    ajar->command = purple_cmd_register(
        "ajar", "s", PURPLE_CMD_P_PLUGIN, /* no i18n: the command's name */
        PURPLE_CMD_FLAG_IM | PURPLE_CMD_FLAG_ALLOW_WRONG_ARGS, AJAR_PLUGIN_ID, ajar_cmd_cb,
        /* TRANSLATORS: /help ajar. Keep everything before the colon as it
         * is, but MINUTES, QUESTION, ID and NAME: it is what is typed. */
        _("ajar [status|hold|archive|delay MINUTES|delay HH:MM|pass|cooloff MINUTES|cooloff off|"
          "ask [QUESTION]|ask off|quiet HH:MM HH:MM|quiet off|review|release [all|ID]|"
          "cancel [all|ID]|send [all|ID]|undiscard [all|ID]|is NAME|allow|help]: what "
          "Ajar does for this person"),
        ajar);
}

void
ajar_commands_unregister(AjarPlugin *ajar)
{
    if (ajar->command != 0)
        purple_cmd_unregister(ajar->command);
    ajar->command = 0;
}
