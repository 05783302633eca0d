/* ajar-ask-text.c — the words of quiet hours and "ask": every sentence
 * whole in the source (po/README.md), names and texts shown as the review
 * shows them (ajar-reveal.h). */
#include "ajar-ask-text.h"

#include "ajar/ajar-i18n.h"
#include "ajar/ajar-reveal.h"
#include "ajar/ajar-text.h"

/* How much of your message the quiet-hours question quotes. */
#define QUOTE_CHARS 80

char *
ajar_ask_text_minute(int minute)
{
    return g_strdup_printf("%02d:%02d", minute / 60, minute % 60); /* no i18n: a time */
}

/* "02:14" when written in the last 24 hours (the night before counts as
 * tonight), else "2026-12-03 02:14" (local time). */
static char *
time_written(gint64 at, gint64 now)
{
    g_autoptr(GDateTime) when = g_date_time_new_from_unix_local(at / G_USEC_PER_SEC);

    if (when == NULL)
        return g_strdup("?"); /* no i18n: a time that cannot be told */
    if (now - at < G_TIME_SPAN_DAY)
        return g_date_time_format(when, "%H:%M");
    return g_date_time_format(when, "%Y-%m-%d %H:%M");
}

char *
ajar_ask_text_quiet_question(const AjarItem *item, const char *text, gsize text_len, gint64 now,
                             char **rest)
{
    g_autofree char *unmarked = ajar_text_from_markup(text, (gssize)text_len);
    g_autofree char *plain = ajar_reveal_text(unmarked, -1);
    g_autofree char *quote = ajar_text_first_line(plain, QUOTE_CHARS);
    g_autofree char *name = ajar_reveal_name(item->rule != NULL ? item->rule : item->buddy);
    g_autofree char *when = time_written(item->time > 0 ? item->time : item->due, now);

    *rest = g_strcmp0(quote, plain) != 0 ? g_steal_pointer(&plain) : NULL;
    /* TRANSLATORS: asked when quiet hours end about a message you wrote
     * during them; the first %s is the person's name (their rule's name),
     * the second the time you wrote it ("02:14"), the third the start of
     * the message. */
    return g_strdup_printf(_("You wrote this to %s at %s: \"%s\". Send it now?"), name, when,
                           quote);
}

char *
ajar_ask_text_question(const char *rule_name, const char *question)
{
    g_autofree char *name = NULL;

    if (question != NULL)
        return ajar_reveal_text(question, -1);
    name = ajar_reveal_name(rule_name);
    /* TRANSLATORS: asked before each message to someone whose rule says
     * "ask"; %s is the person's name (their rule's name). */
    return g_strdup_printf(_("Send this to %s now?"), name);
}

char *
ajar_ask_text_quiet_line(gint64 due)
{
    g_autoptr(GDateTime) end = g_date_time_new_from_unix_local(due / G_USEC_PER_SEC);
    g_autofree char *until = end != NULL ? g_date_time_format(end, "%H:%M") : g_strdup("?");

    /* TRANSLATORS: written into the conversation; %s is the time quiet
     * hours end ("07:00"). "/ajar cancel" and "/ajar send" are commands:
     * keep them as they are. */
    return g_strdup_printf(_("Ajar: quiet hours until %s, so this was not sent; you will be asked "
                             "then. /ajar cancel keeps it unsent, /ajar send sends it now."),
                           until);
}

char *
ajar_ask_text_status(const AjarRule *rule)
{
    const AjarDirectionRule *out = &rule->outgoing;
    g_autofree char *ask = NULL;
    g_autofree char *quiet = NULL;

    if (out->action == AJAR_ACTION_ASK) {
        g_autofree char *question = ajar_ask_text_question(rule->name, out->question);
        /* TRANSLATORS: part of /ajar status; %s is the question asked
         * (the rule's own, or "Send this to Sam now?"). */
        ask = g_strdup_printf(_("Before each of your messages to them goes, Ajar asks \"%s\"; "
                                "unless you say Send, it stays unsent."),
                              question);
    }
    if (out->has_quiet) {
        g_autofree char *from = ajar_ask_text_minute(out->quiet_from_minute);
        g_autofree char *until = ajar_ask_text_minute(out->quiet_until_minute);
        /* TRANSLATORS: part of /ajar status; the first %s is when quiet
         * hours start, the second (twice) when they end ("23:00", "07:00"). */
        quiet = g_strdup_printf(_("Quiet hours %s to %s: what you write to them then is not sent, "
                                  "and at %s Ajar asks whether to send it."),
                                from, until, until);
    }
    if (ask != NULL && quiet != NULL)
        return g_strdup_printf("%s %s", ask, quiet); /* no i18n: two sentences */
    return ask != NULL ? g_steal_pointer(&ask) : g_steal_pointer(&quiet);
}
