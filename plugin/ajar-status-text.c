/* ajar-status-text.c — what "/ajar status" says in words: a person's rule
 * in one sentence, and messages Ajar stopped showing or sending halfway.
 *
 * Each sentence is whole in the source, never put together from translated
 * pieces, so that a translation can order and agree its parts
 * (po/README.md). */
#include "ajar-status-text.h"

#include "ajar/ajar-i18n.h"
#include "ajar/ajar-reveal.h"

/* What happens to your messages to them. */
typedef enum {
    YOURS_GO,
    YOURS_WAIT,
    YOURS_WAIT_ASK,
    YOURS_KEPT,
} Yours;

/* One whole sentence for each way of treating theirs and yours, so that a
 * translation can order and agree its parts. Minutes are counted in plural
 * forms; with two counts in a sentence, by the second (yours). */
char *
ajar_status_text_rule(const AjarRule *rule)
{
    const AjarDirectionRule *in = &rule->incoming, *out = &rule->outgoing;
    /* As the review shows it: hidden characters marked, a lookalike noticed. */
    g_autofree char *name = ajar_reveal_name(rule->name);
    int late = (int)((in->seconds + 59) / 60), wait = (int)((out->seconds + 59) / 60);
    int hour = in->at_minute / 60, minute = in->at_minute % 60;
    Yours yours = out->action == AJAR_ACTION_DELAY ? (out->confirm ? YOURS_WAIT_ASK : YOURS_WAIT)
                  /* issue 12: ask handled in ajar-ask.c */
                  : out->action == AJAR_ACTION_HOLD || out->action == AJAR_ACTION_ASK ? YOURS_KEPT
                                                                                      : YOURS_GO;

    switch (in->action) {
    case AJAR_ACTION_HOLD:
        switch (yours) {
        case YOURS_WAIT:
            /* TRANSLATORS: the sentences of "/ajar status" begin with the
             * name of the person's rule in parentheses; "min" is minutes. */
            return g_strdup_printf(P_("Ajar (%s): their messages are held for you; yours wait %d "
                                      "min.",
                                      "Ajar (%s): their messages are held for you; yours wait %d "
                                      "min.",
                                      wait),
                                   name, wait);
        case YOURS_WAIT_ASK:
            return g_strdup_printf(P_("Ajar (%s): their messages are held for you; yours wait %d "
                                      "min and ask first.",
                                      "Ajar (%s): their messages are held for you; yours wait %d "
                                      "min and ask first.",
                                      wait),
                                   name, wait);
        case YOURS_KEPT:
            return g_strdup_printf(
                _("Ajar (%s): their messages are held for you; yours are kept as unsent letters."),
                name);
        default: return g_strdup_printf(_("Ajar (%s): their messages are held for you."), name);
        }
    case AJAR_ACTION_ARCHIVE:
        switch (yours) {
        case YOURS_WAIT:
            return g_strdup_printf(P_("Ajar (%s): their messages are archived unread; yours wait "
                                      "%d min.",
                                      "Ajar (%s): their messages are archived unread; yours wait "
                                      "%d min.",
                                      wait),
                                   name, wait);
        case YOURS_WAIT_ASK:
            return g_strdup_printf(P_("Ajar (%s): their messages are archived unread; yours wait "
                                      "%d min and ask first.",
                                      "Ajar (%s): their messages are archived unread; yours wait "
                                      "%d min and ask first.",
                                      wait),
                                   name, wait);
        case YOURS_KEPT:
            return g_strdup_printf(_("Ajar (%s): their messages are archived unread; yours are "
                                     "kept as unsent letters."),
                                   name);
        default: return g_strdup_printf(_("Ajar (%s): their messages are archived unread."), name);
        }
    case AJAR_ACTION_DELAY:
        if (in->delay_kind == AJAR_DELAY_AT) {
            switch (yours) {
            case YOURS_WAIT:
                /* TRANSLATORS: %02d:%02d is the time of day (hours, minutes)
                 * their messages come at, once a day. */
                return g_strdup_printf(P_("Ajar (%s): their messages come at %02d:%02d; yours "
                                          "wait %d min.",
                                          "Ajar (%s): their messages come at %02d:%02d; yours "
                                          "wait %d min.",
                                          wait),
                                       name, hour, minute, wait);
            case YOURS_WAIT_ASK:
                return g_strdup_printf(P_("Ajar (%s): their messages come at %02d:%02d; yours "
                                          "wait %d min and ask first.",
                                          "Ajar (%s): their messages come at %02d:%02d; yours "
                                          "wait %d min and ask first.",
                                          wait),
                                       name, hour, minute, wait);
            case YOURS_KEPT:
                return g_strdup_printf(_("Ajar (%s): their messages come at %02d:%02d; yours are "
                                         "kept as unsent letters."),
                                       name, hour, minute);
            default:
                return g_strdup_printf(_("Ajar (%s): their messages come at %02d:%02d."), name,
                                       hour, minute);
            }
        }
        switch (yours) {
        case YOURS_WAIT:
            /* TRANSLATORS: the first %d is how many minutes late their
             * messages come, the second how long yours wait. */
            return g_strdup_printf(P_("Ajar (%s): their messages come %d min late; yours wait %d "
                                      "min.",
                                      "Ajar (%s): their messages come %d min late; yours wait %d "
                                      "min.",
                                      wait),
                                   name, late, wait);
        case YOURS_WAIT_ASK:
            return g_strdup_printf(P_("Ajar (%s): their messages come %d min late; yours wait %d "
                                      "min and ask first.",
                                      "Ajar (%s): their messages come %d min late; yours wait %d "
                                      "min and ask first.",
                                      wait),
                                   name, late, wait);
        case YOURS_KEPT:
            return g_strdup_printf(P_("Ajar (%s): their messages come %d min late; yours are kept "
                                      "as unsent letters.",
                                      "Ajar (%s): their messages come %d min late; yours are kept "
                                      "as unsent letters.",
                                      late),
                                   name, late);
        default:
            return g_strdup_printf(P_("Ajar (%s): their messages come %d min late.",
                                      "Ajar (%s): their messages come %d min late.", late),
                                   name, late);
        }
    default:
        switch (yours) {
        case YOURS_WAIT:
            return g_strdup_printf(P_("Ajar (%s): their messages come through; yours wait %d min.",
                                      "Ajar (%s): their messages come through; yours wait %d min.",
                                      wait),
                                   name, wait);
        case YOURS_WAIT_ASK:
            return g_strdup_printf(P_("Ajar (%s): their messages come through; yours wait %d min "
                                      "and ask first.",
                                      "Ajar (%s): their messages come through; yours wait %d min "
                                      "and ask first.",
                                      wait),
                                   name, wait);
        case YOURS_KEPT:
            return g_strdup_printf(_("Ajar (%s): their messages come through; yours are kept as "
                                     "unsent letters."),
                                   name);
        default: return g_strdup_printf(_("Ajar (%s): their messages come through."), name);
        }
    }
}

char *
ajar_status_text_interrupted(AjarDirection dir, guint count)
{
    if (dir == AJAR_DIRECTION_IN)
        return g_strdup_printf(
            /* TRANSLATORS: "/ajar release ID" is a command: keep /ajar and
             * release as they are. */
            P_("Ajar stopped while showing %u of their messages, so it may already be in this "
               "conversation; kept until you choose: /ajar release ID shows one again.",
               "Ajar stopped while showing %u of their messages, so they may already be in this "
               "conversation; kept until you choose: /ajar release ID shows one again.",
               count),
            count);
    return g_strdup_printf(
        /* TRANSLATORS: "/ajar send ID" is a command: keep /ajar and send as
         * they are. */
        P_("Ajar stopped while sending %u of your messages, so it may already have reached "
           "them; kept unsent until you choose: /ajar send ID sends one again.",
           "Ajar stopped while sending %u of your messages, so they may already have reached "
           "them; kept unsent until you choose: /ajar send ID sends one again.",
           count),
        count);
}
