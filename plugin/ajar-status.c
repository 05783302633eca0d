/* ajar-status.c — what `/ajar status` says about one person: the rule in
 * words, what is kept for them, and what Ajar stopped halfway. */
#include "ajar-status.h"

#include "ajar-ask-text.h"
#include "ajar-contact.h"
#include "ajar-custody.h"
#include "ajar-status-text.h"
#include "ajar-strangers.h"

#include "ajar/ajar-i18n.h"

char *
ajar_status_line(AjarPlugin *ajar, PurpleAccount *account, const char *buddy)
{
    int index = ajar_contact_rule_index(ajar, account, buddy);
    g_autoptr(GPtrArray) items = ajar_custody_list(ajar, account, buddy);
    g_autoptr(GString) text = g_string_new(NULL);
    guint held = 0, archived = 0, unread = 0, delayed = 0, waiting = 0, letters = 0;
    guint shown_maybe = 0, sent_maybe = 0;

    if (index < 0 && ajar_strangers_has_kept(ajar, account, buddy)) {
        /* TRANSLATORS: "/ajar is NAME" and "/ajar allow" are commands: keep
         * them as they are (NAME may be translated). */
        g_string_append(text, _("Ajar: a new sender, not in your buddy list; /ajar is NAME or "
                                "/ajar allow decides who they are."));
    } else if (index < 0) {
        g_string_append(text, _("Ajar: nothing is filtered for this person."));
    } else {
        const AjarRule *rule = ajar_rules_get_rule(ajar->rules, (guint)index);
        g_autofree char *what = ajar_status_text_rule(rule);
        g_autofree char *asking = ajar_ask_text_status(rule);
        g_string_append(text, what);
        if (asking != NULL)
            g_string_append_printf(text, " %s", asking);
    }
    for (guint i = 0; i < items->len; i++) {
        const AjarItem *item = g_ptr_array_index(items, i);
        switch (item->state) {
        case AJAR_EVENT_HELD: item->dir == AJAR_DIRECTION_IN ? held++ : letters++; break;
        case AJAR_EVENT_ARCHIVED:
            archived++;
            unread++;
            break;
        case AJAR_EVENT_READ: archived++; break;
        case AJAR_EVENT_DELAYED: delayed++; break;
        case AJAR_EVENT_QUEUED: item->ask ? letters++ : waiting++; break;
        case AJAR_EVENT_CANCELLED:
        case AJAR_EVENT_SENDING: letters++; break;
        case AJAR_EVENT_SHOWING: held++; break;
        default: break;
        }
        if (item->interrupted && item->dir == AJAR_DIRECTION_IN)
            shown_maybe++;
        else if (item->interrupted)
            sent_maybe++;
    }
    /* Sentences follow each other after a space. */
    if (items->len > 0) {
        g_string_append_c(text, ' ');
        g_string_append_printf(
            text,
            /* TRANSLATORS: counts of what is kept for this person: held,
             * archived (of which unread), delayed, yours waiting to be sent,
             * yours kept as unsent letters. The plural form follows the last
             * number (letters); word the other counts so that they read well
             * with any number (e.g. "held: %u"). */
            P_("Kept: %u held, %u archived (%u unread), %u delayed; %u of yours waiting, %u "
               "unsent letter.",
               "Kept: %u held, %u archived (%u unread), %u delayed; %u of yours waiting, %u "
               "unsent letters.",
               letters),
            held, archived, unread, delayed, waiting, letters);
    }
    if (shown_maybe > 0) {
        g_autofree char *note = ajar_status_text_interrupted(AJAR_DIRECTION_IN, shown_maybe);
        g_string_append_printf(text, " %s", note);
    }
    if (sent_maybe > 0) {
        g_autofree char *note = ajar_status_text_interrupted(AJAR_DIRECTION_OUT, sent_maybe);
        g_string_append_printf(text, " %s", note);
    }
    return g_string_free(g_steal_pointer(&text), FALSE);
}
