/* ajar-intercept.c — the two places a message passes: receiving-im-msg,
 * before libpurple makes a conversation, logs, plays a sound or runs
 * received-im-msg; and sending-im-msg, before encryption plugins. */
#include "ajar-intercept.h"

#include "ajar-ask-text.h"
#include "ajar-attention.h"
#include "ajar-custody.h"
#include "ajar-images.h"
#include "ajar-schedule.h"
#include "ajar-strangers.h"

#include <debug.h>
#include <notify.h>
#include <util.h>

#include "ajar/ajar-i18n.h"
#include "ajar/ajar-reveal.h"

AjarFacts
ajar_intercept_facts(PurpleAccount *account, AjarDirection direction, const char *buddy,
                     const char *plain, PurpleMessageFlags flags)
{
    AjarFacts facts = { 0 };

    facts.direction = direction;
    facts.account = purple_account_get_username(account);
    facts.protocol = purple_account_get_protocol_id(account);
    facts.buddy = buddy;
    facts.text = plain;
    if (flags & PURPLE_MESSAGE_AUTO_RESP)
        facts.flags |= AJAR_MESSAGE_AUTO_RESPONSE;
    if (flags & PURPLE_MESSAGE_REMOTE_SEND)
        facts.flags |= AJAR_MESSAGE_REMOTE_SEND;
    /* facts.stranger is found out by decide(), only where it can matter. */
    return facts;
}

/* What the rules say about @facts on @account, given what
 * ajar_rules_lookup() answered for them (@index, @strangers); sets
 * facts->stranger where a rule could hold a stranger. */
static void
decide_looked_up(AjarPlugin *ajar, PurpleAccount *account, AjarFacts *facts, int index,
                 gboolean strangers, AjarDecision *decision)
{
    g_autoptr(GDateTime) now = NULL;

    /* The stranger checks (the buddy list, the protocol's normalizer, the
     * open rooms) only where a "stranger" entry fits this account. */
    if (index < 0 && strangers && !facts->stranger)
        facts->stranger = ajar_strangers_is_stranger(
            account, facts->buddy,
            (facts->flags & AJAR_MESSAGE_AUTO_RESPONSE) ? PURPLE_MESSAGE_AUTO_RESP : 0);
    /* No clock either for someone no rule names: reading it (a GDateTime
     * in the local time zone) would cost more than the whole lookup. */
    if (index < 0 && !facts->stranger) {
        memset(decision, 0, sizeof *decision);
        decision->action = AJAR_ACTION_PASS;
        decision->reason = AJAR_REASON_NO_RULE;
        decision->rule_index = -1;
        return;
    }
    now = g_date_time_new_now_local();
    ajar_rules_decide(ajar->rules, facts, now, decision);
}

/* What the rules say about @facts (a message's, or a typing notice's) on
 * @account; sets facts->stranger where a rule could hold a stranger. */
static void
decide(AjarPlugin *ajar, PurpleAccount *account, AjarFacts *facts, AjarDecision *decision)
{
    gboolean strangers = FALSE;
    int index = ajar_rules_lookup(ajar->rules, facts->account, facts->protocol, facts->buddy,
                                  facts->direction == AJAR_DIRECTION_IN ? &strangers : NULL);

    decide_looked_up(ajar, account, facts, index, strangers, decision);
}

/* A message event with who and which rule, as custody and "sent" lines have. */
static AjarEvent *
message_event(AjarEventType type, PurpleAccount *account, AjarDirection direction,
              const char *buddy, const char *rule)
{
    AjarEvent *event = ajar_event_new(type);

    event->ts = ajar_context_now();
    event->has_dir = TRUE;
    event->dir = direction;
    event->account = g_strdup(purple_account_get_username(account));
    event->protocol = g_strdup(purple_account_get_protocol_id(account));
    event->buddy = g_strdup(buddy);
    event->rule = g_strdup(rule);
    return event;
}

static void
set_text(AjarEvent *event, const char *text)
{
    event->text = g_strdup(text);
    event->text_len = strlen(text);
    /* libpurple keeps message times in whole seconds (time_t). */
    event->time = event->ts - event->ts % G_USEC_PER_SEC;
}

void
ajar_intercept_notify_waiting(AjarPlugin *ajar, const char *rule_name)
{
    g_autofree char *primary = NULL;
    g_autofree char *name = NULL;
    guint waiting;

    if (ajar->journal_loading) {
        /* The count needs the whole journal: the note comes once it is
         * read (ajar-plugin.c). */
        g_free(ajar->notice_after_load);
        ajar->notice_after_load = g_strdup(rule_name);
        return;
    }
    /* Counted by the state as events apply: listing every kept message for
     * each new one made a flood slower with every message held. */
    waiting = ajar_state_count_waiting(ajar_journal_get_state(ajar->journal), rule_name);
    name = ajar_reveal_name(rule_name);
    /* One message has a sentence without a number (as the gettext manual
     * advises); the plural forms are for two or more. */
    if (waiting == 1)
        /* TRANSLATORS: %s is the person's name (their rule's name). */
        primary = g_strdup_printf(_("A message from %s is waiting. Nothing was shown."), name);
    else
        primary = g_strdup_printf(
            /* TRANSLATORS: %u (two or more) messages; %s is the person's
             * name (their rule's name). */
            P_("%u message from %s is waiting. Nothing was shown.",
               "%u messages from %s are waiting. Nothing was shown.", waiting),
            waiting, name);
    /* One note, kept up to date, not one box per message. */
    if (ajar->withheld_notice != NULL)
        purple_notify_close(PURPLE_NOTIFY_MESSAGE, ajar->withheld_notice);
    ajar->withheld_notice = purple_notify_info(ajar->plugin, _("Ajar"), primary, NULL);
}

static void
notify_withheld(AjarPlugin *ajar, const AjarDecision *decision)
{
    /* Archived messages are never announced; "count" shows counts on request
     * (/ajar status, the review); only "message" says something now, and
     * never what was written. */
    if (decision->action == AJAR_ACTION_ARCHIVE ||
        ajar_rules_get_notify(ajar->rules) != AJAR_NOTIFY_MESSAGE)
        return;
    ajar_intercept_notify_waiting(ajar, decision->rule_name);
}

gboolean
ajar_intercept_take(AjarPlugin *ajar, PurpleAccount *account, const char *sender,
                    const char *message, const AjarDecision *decision, const char *chat,
                    const char *nick, gint64 time)
{
    g_autoptr(AjarEvent) event = NULL;
    g_autoptr(GError) error = NULL;
    AjarEventType type;

    if (decision->reason == AJAR_REASON_KEYWORD) {
        /* Delivered at once; the journal notes that a keyword let it in. */
        event = message_event(AJAR_EVENT_PASSED, account, AJAR_DIRECTION_IN, sender,
                              decision->rule_name);
        if (!ajar_context_journal(ajar, event, &error))
            purple_debug_warning("ajar", "passed not journaled: %s\n", error->message);
        return FALSE;
    }
    if (decision->action == AJAR_ACTION_PASS)
        return FALSE;

    type = decision->action == AJAR_ACTION_ARCHIVE ? AJAR_EVENT_ARCHIVED
           : decision->action == AJAR_ACTION_DELAY ? AJAR_EVENT_DELAYED
                                                   : AJAR_EVENT_HELD;
    event = message_event(type, account, AJAR_DIRECTION_IN, sender, decision->rule_name);
    event->chat = g_strdup(chat);
    event->nick = g_strdup(nick);
    set_text(event, message);
    if (time > 0)
        event->time = time - time % G_USEC_PER_SEC;
    event->due = decision->due;
    event->stranger = decision->stranger;
    /* Its pictures are on disk before the line that names them. */
    if (!ajar_images_keep(ajar, message, event, &error)) {
        /* TRANSLATORS: %s is the person's name (their rule's name). */
        g_autofree char *what = g_strdup_printf(
            _("Ajar could not keep a picture from %s safe, so the message was shown as usual."),
            decision->rule_name);
        ajar_context_report(ajar, what, error->message);
        return FALSE;
    }
    /* The custody rule: written before withheld; if not written, shown. */
    if (!ajar_context_journal(ajar, event, &error)) {
        /* TRANSLATORS: %s is the person's name (their rule's name). */
        g_autofree char *what = g_strdup_printf(
            _("Ajar could not keep a message from %s safe, so it was shown as usual."),
            decision->rule_name);
        ajar_context_report(ajar, what, error->message);
        return FALSE;
    }
    if (type == AJAR_EVENT_DELAYED)
        ajar_schedule_item(ajar, ajar_context_lookup(ajar, event->id));
    notify_withheld(ajar, decision);
    return TRUE;
}

/* An incoming IM a rule may be about: ajar_rules_lookup() gave @index
 * (>= 0) or said a "stranger" entry fits the account (@strangers). */
static G_GNUC_NO_INLINE gboolean
receiving_ruled(AjarPlugin *ajar, PurpleAccount *account, char **sender, char **message,
                PurpleConversation *conv, PurpleMessageFlags flags, int index, gboolean strangers)
{
    g_autofree char *plain = NULL;
    AjarDecision decision;
    AjarFacts facts = ajar_intercept_facts(account, AJAR_DIRECTION_IN, *sender, NULL, flags);

    decide_looked_up(ajar, account, &facts, index, strangers, &decision);
    /* The text is only looked at (for pass keywords) when a rule would
     * withhold it. */
    if (decision.action == AJAR_ACTION_PASS)
        return FALSE;
    /* A buzz: libpurple's line, not their words (no keywords). */
    if (ajar_attention_is_buzz(flags))
        return ajar_attention_withhold(ajar, account, *sender, &decision);
    plain = purple_markup_strip_html(*message);
    facts.text = plain;
    decide_looked_up(ajar, account, &facts, index, strangers, &decision);

    if (!ajar_intercept_take(ajar, account, *sender, *message, &decision, NULL, NULL, 0))
        return FALSE;
    /* An open window must not keep saying "typing…" for a message it will
     * not show. */
    if (conv != NULL && purple_conversation_get_type(conv) == PURPLE_CONV_TYPE_IM)
        purple_conv_im_set_typing_state(PURPLE_CONV_IM(conv), PURPLE_NOT_TYPING);
    return TRUE;
}

static gboolean
receiving_im_msg_cb(PurpleAccount *account, char **sender, char **message, PurpleConversation *conv,
                    PurpleMessageFlags *flags, gpointer data)
{
    AjarPlugin *ajar = data;
    gboolean strangers;
    int index;

    /* Our own release, or a message an earlier handler already took; and
     * without a journal Ajar keeps nothing (the user was told at load). */
    if (ajar->delivering || ajar->journal == NULL || sender == NULL || *sender == NULL ||
        message == NULL || *message == NULL)
        return FALSE;
    /* Every message of every account comes here, most from someone no rule
     * names: for them, this is all (bench/README.md, figure 1). */
    index = ajar_rules_lookup(ajar->rules, purple_account_get_username(account),
                              purple_account_get_protocol_id(account), *sender, &strangers);
    if (index < 0 && !strangers)
        return FALSE;
    return receiving_ruled(ajar, account, sender, message, conv, flags != NULL ? *flags : 0, index,
                           strangers);
}

static void
write_system_line(PurpleAccount *account, const char *receiver, const char *text)
{
    PurpleConversation *conv =
        purple_find_conversation_with_account(PURPLE_CONV_TYPE_IM, receiver, account);

    if (conv != NULL)
        purple_conversation_write(conv, NULL, text, PURPLE_MESSAGE_SYSTEM | PURPLE_MESSAGE_NO_LOG,
                                  time(NULL));
}

/* Whole minutes, rounded up, at least one. */
static int
minutes_of(gint64 microseconds)
{
    gint64 minutes = (microseconds + 59 * G_USEC_PER_SEC) / (60 * G_USEC_PER_SEC);

    return (int)CLAMP(minutes, 1, G_MAXINT);
}

static void
sending_im_msg_cb(PurpleAccount *account, const char *receiver, char **message, gpointer data)
{
    AjarPlugin *ajar = data;
    g_autoptr(AjarEvent) event = NULL;
    g_autoptr(GError) error = NULL;
    AjarDecision decision;
    AjarFacts facts;

    /* Our own send after a cooling-off, or a message an earlier handler
     * took; and without a journal Ajar keeps nothing (the user was told). */
    if (ajar->resending || ajar->journal == NULL || receiver == NULL || message == NULL ||
        *message == NULL)
        return;
    /* Keywords only apply to their messages: no need for the plain text. */
    facts = ajar_intercept_facts(account, AJAR_DIRECTION_OUT, receiver, NULL, 0);
    decide(ajar, account, &facts, &decision);
    if (decision.rule_name == NULL)
        return; /* no rule: nothing is written anywhere */

    if (decision.action == AJAR_ACTION_PASS) {
        /* For "time since you last wrote to them": when, never what. */
        event = message_event(AJAR_EVENT_SENT, account, AJAR_DIRECTION_OUT, receiver,
                              decision.rule_name);
        if (!ajar_context_journal(ajar, event, &error))
            purple_debug_warning("ajar", "sent not journaled: %s\n", error->message);
        return;
    }

    /* "ask" keeps it queued with no due time: only a Send sends it. */
    event = message_event(decision.action == AJAR_ACTION_DELAY || decision.action == AJAR_ACTION_ASK
                              ? AJAR_EVENT_QUEUED
                              : AJAR_EVENT_HELD,
                          account, AJAR_DIRECTION_OUT, receiver, decision.rule_name);
    set_text(event, *message);
    event->due = decision.action == AJAR_ACTION_ASK ? 0 : decision.due;
    event->quiet = decision.quiet;
    event->ask = decision.action == AJAR_ACTION_ASK;
    /* Its pictures first: the journal line names them. A picture that
     * cannot be saved fails it like the journal itself. */
    if (!ajar_images_keep(ajar, *message, event, &error) ||
        !ajar_context_journal(ajar, event, &error)) {
        /* Not sent, and not lost: kept in memory until the messenger quits,
         * and shown here so it can be copied. */
        g_autofree char *line = NULL;
        g_autofree char *plain = purple_markup_strip_html(*message);
        g_autofree char *shown = g_markup_escape_text(plain, -1); /* the window reads markup */
        g_ptr_array_add(ajar->unjournaled, ajar_event_copy(event));
        ajar_context_report(ajar,
                            /* TRANSLATORS: "/ajar send" is a command: keep it. */
                            _("Ajar could not write your message to its journal. It was not sent; "
                              "it is kept until you quit, and /ajar send sends it."),
                            error->message);
        /* TRANSLATORS: written into the conversation; %s is the text of your
         * message. "/ajar send" is a command: keep it as it is. */
        line = g_strdup_printf(_("Ajar could not save this message to disk, so it was not sent. "
                                 "It is kept until you quit; /ajar send sends it. It said: %s"),
                               shown);
        write_system_line(account, receiver, line);
    } else if (event->ask) {
        /* Kept, and asked about at once; this line stays if the question
         * is closed without an answer. */
        /* TRANSLATORS: written into the conversation; %s is the message's
         * id. "/ajar send" and "/ajar review" are commands: keep them. */
        g_autofree char *line = g_strdup_printf(
            _("Ajar: kept as an unsent letter. /ajar send %s sends it, /ajar review shows it."),
            event->id);
        write_system_line(account, receiver, line);
        ajar_schedule_ask(ajar, ajar_context_lookup(ajar, event->id));
    } else if (event->quiet) {
        g_autofree char *line = ajar_ask_text_quiet_line(event->due);
        ajar_schedule_item(ajar, ajar_context_lookup(ajar, event->id));
        write_system_line(account, receiver, line);
    } else if (event->type == AJAR_EVENT_QUEUED) {
        int wait = minutes_of(event->due - event->ts);
        g_autofree char *line = g_strdup_printf(
            /* TRANSLATORS: written into the conversation; "min" is minutes.
             * "/ajar cancel" and "/ajar send" are commands: keep them. */
            P_("Ajar: this will be sent in %d min. /ajar cancel keeps it unsent, /ajar send sends "
               "it now.",
               "Ajar: this will be sent in %d min. /ajar cancel keeps it unsent, /ajar send sends "
               "it now.",
               wait),
            wait);
        ajar_schedule_item(ajar, ajar_context_lookup(ajar, event->id));
        write_system_line(account, receiver, line);
    } else {
        /* A letter goes only when asked for by its id (or "all"). */
        /* TRANSLATORS: written into the conversation; %s is the message's
         * id. "/ajar send" and "/ajar review" are commands: keep them. */
        g_autofree char *line = g_strdup_printf(
            _("Ajar: kept as an unsent letter. /ajar send %s sends it, /ajar review shows it."),
            event->id);
        write_system_line(account, receiver, line);
    }
    g_free(*message);
    *message = NULL; /* libpurple sends nothing and shows nothing */
}

/* "typing…" from a held or archived contact: cleared, never shown. */
static void
buddy_typing_cb(PurpleAccount *account, const char *name, gpointer data)
{
    AjarPlugin *ajar = data;
    AjarFacts facts = ajar_intercept_facts(account, AJAR_DIRECTION_IN, name, NULL, 0);
    AjarDecision decision;
    PurpleConversation *conv;

    if (ajar->journal == NULL)
        return; /* holding nothing back, so hiding nothing either */
    decide(ajar, account, &facts, &decision);
    if (decision.action != AJAR_ACTION_HOLD && decision.action != AJAR_ACTION_ARCHIVE)
        return;
    conv = purple_find_conversation_with_account(PURPLE_CONV_TYPE_IM, name, account);
    if (conv != NULL) {
        PurpleConvIm *im = PURPLE_CONV_IM(conv);
        purple_conv_im_stop_typing_timeout(im);
        purple_conv_im_set_typing_state(im, PURPLE_NOT_TYPING);
    } else {
        /* No window: UIs that mark the buddy list take the stop as well. */
        purple_signal_emit(purple_conversations_get_handle(), "buddy-typing-stopped", account,
                           name);
    }
}

void
ajar_intercept_connect(AjarPlugin *ajar)
{
    void *conversations = purple_conversations_get_handle();

    purple_signal_connect_priority(conversations, "receiving-im-msg", ajar->plugin,
                                   PURPLE_CALLBACK(receiving_im_msg_cb), ajar,
                                   AJAR_RECEIVING_PRIORITY);
    purple_signal_connect_priority(conversations, "sending-im-msg", ajar->plugin,
                                   PURPLE_CALLBACK(sending_im_msg_cb), ajar, AJAR_SENDING_PRIORITY);
    /* After the UI's own handler, so ours has the last word. */
    purple_signal_connect_priority(conversations, "buddy-typing", ajar->plugin,
                                   PURPLE_CALLBACK(buddy_typing_cb), ajar,
                                   PURPLE_SIGNAL_PRIORITY_HIGHEST);
    purple_signal_connect_priority(conversations, "buddy-typed", ajar->plugin,
                                   PURPLE_CALLBACK(buddy_typing_cb), ajar,
                                   PURPLE_SIGNAL_PRIORITY_HIGHEST);
}
