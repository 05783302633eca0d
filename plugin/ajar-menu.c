/* ajar-menu.c — "Ajar ▸ …" on a buddy or contact in the buddy list.
 * A contact's rule covers all its buddies (see ajar-contact.c). */
#include "ajar-menu.h"

#include "ajar-contact.h"
#include "ajar-review.h"

#include <blist.h>
#include <prefs.h>
#include <request.h>
#include <string.h>

#include "ajar/ajar-i18n.h"

static PurpleBuddy *
node_buddy(PurpleBlistNode *node)
{
    if (PURPLE_BLIST_NODE_IS_CONTACT(node))
        return purple_contact_get_priority_buddy(PURPLE_CONTACT(node));
    if (PURPLE_BLIST_NODE_IS_BUDDY(node))
        return PURPLE_BUDDY(node);
    return NULL;
}

static void
apply(AjarPlugin *ajar, PurpleBuddy *buddy, AjarContactSetting *change)
{
    g_autoptr(GError) error = NULL;

    if (buddy == NULL)
        return;
    if (!ajar_contact_set(ajar, purple_buddy_get_account(buddy), purple_buddy_get_name(buddy),
                          change, &error))
        ajar_context_report(ajar, _("Ajar could not change the rule; nothing was changed."),
                            error->message);
}

static void
hold_cb(PurpleBlistNode *node, gpointer data)
{
    AjarContactSetting change = { { .action = AJAR_ACTION_HOLD }, FALSE, FALSE };
    apply(data, node_buddy(node), &change);
}

static void
archive_cb(PurpleBlistNode *node, gpointer data)
{
    AjarContactSetting change = { { .action = AJAR_ACTION_ARCHIVE }, FALSE, FALSE };
    apply(data, node_buddy(node), &change);
}

static void
off_cb(PurpleBlistNode *node, gpointer data)
{
    AjarContactSetting change = { { .action = AJAR_ACTION_PASS }, FALSE, TRUE };
    apply(data, node_buddy(node), &change);
}

static void
review_cb(PurpleBlistNode *node, gpointer data)
{
    PurpleBuddy *buddy = node_buddy(node);

    if (buddy != NULL)
        ajar_review_open(data, purple_buddy_get_account(buddy), purple_buddy_get_name(buddy));
}

/* "How many minutes?" for delays and cooling-off. */
/* Names, not pointers: the account may be deleted while the dialog is open. */
typedef struct {
    AjarPlugin *ajar;
    char *account;
    char *protocol;
    char *buddy;
    gboolean outgoing;
} MinutesQuestion;

static void
minutes_question_free(MinutesQuestion *question)
{
    g_free(question->account);
    g_free(question->protocol);
    g_free(question->buddy);
    g_free(question);
}

static void
minutes_ok_cb(MinutesQuestion *question, const char *text)
{
    AjarContactSetting change = { { 0 }, question->outgoing, FALSE };
    PurpleAccount *account = purple_accounts_find(question->account, question->protocol);
    PurpleBuddy *buddy = account != NULL ? purple_find_buddy(account, question->buddy) : NULL;

    /* Their messages may also come as a daily digest ("19:00"). */
    if (!ajar_parse_delay(text, !question->outgoing, &change.what))
        ajar_context_report(
            question->ajar, _("Nothing was changed."),
            question->outgoing
                ? _("The wait must be a whole number of minutes, from 1 to 525600.")
                : _("The delay must be a whole number of minutes, from 1 to 525600, or a time of "
                    "day such as 19:00."));
    else if (buddy != NULL)
        apply(question->ajar, buddy, &change);
    ajar_context_dialog_done(question->ajar, question);
}

static void
minutes_cancel_cb(MinutesQuestion *question, const char *text)
{
    ajar_context_dialog_done(question->ajar, question);
}

static void
ask_minutes(AjarPlugin *ajar, PurpleBlistNode *node, gboolean outgoing)
{
    PurpleBuddy *buddy = node_buddy(node);
    MinutesQuestion *question;
    /* The preferences give the defaults: cooling-off minutes for yours, the
     * digest time for theirs. */
    g_autofree char *default_minutes =
        outgoing ? g_strdup_printf("%d", purple_prefs_get_int(AJAR_PREFS_ROOT "/cooloff_minutes"))
                 : g_strdup(purple_prefs_get_string(AJAR_PREFS_ROOT "/digest_time"));

    if (buddy == NULL)
        return;
    question = g_new0(MinutesQuestion, 1);
    question->ajar = ajar;
    question->account = g_strdup(purple_account_get_username(purple_buddy_get_account(buddy)));
    question->protocol = g_strdup(purple_account_get_protocol_id(purple_buddy_get_account(buddy)));
    question->buddy = g_strdup(purple_buddy_get_name(buddy));
    question->outgoing = outgoing;
    ajar_context_dialog_open(ajar, question, (GDestroyNotify)minutes_question_free);
    purple_request_input(ajar->plugin, _("Ajar"),
                         outgoing ? _("How long should your messages wait before they go?")
                                  : _("When should their messages come?"),
                         outgoing ? _("Minutes:")
                                  /* TRANSLATORS: HH:MM is how the time is typed
                                   * (hours:minutes, 24-hour clock). */
                                  : _("Minutes, or a time of day for a daily digest (HH:MM):"),
                         default_minutes, FALSE, FALSE, NULL, _("OK"), G_CALLBACK(minutes_ok_cb),
                         _("Cancel"), G_CALLBACK(minutes_cancel_cb),
                         purple_buddy_get_account(buddy), question->buddy, NULL, question);
}

static void
delay_cb(PurpleBlistNode *node, gpointer data)
{
    ask_minutes(data, node, FALSE);
}

static void
cooloff_cb(PurpleBlistNode *node, gpointer data)
{
    ask_minutes(data, node, TRUE);
}

static void
extended_menu_cb(PurpleBlistNode *node, GList **menu, gpointer data)
{
    AjarPlugin *ajar = data;
    GList *items = NULL;

    if (node_buddy(node) == NULL)
        return;
    /* TRANSLATORS: the buddy list's "Ajar ▸" menu on a person. */
    items = g_list_append(items, purple_menu_action_new(_("Hold their messages"),
                                                        PURPLE_CALLBACK(hold_cb), ajar, NULL));
    items = g_list_append(items, purple_menu_action_new(_("Archive unread"),
                                                        PURPLE_CALLBACK(archive_cb), ajar, NULL));
    items = g_list_append(items, purple_menu_action_new(_("Delay their messages…"),
                                                        PURPLE_CALLBACK(delay_cb), ajar, NULL));
    items = g_list_append(items, purple_menu_action_new(_("Cooling-off on my messages…"),
                                                        PURPLE_CALLBACK(cooloff_cb), ajar, NULL));
    items = g_list_append(items, purple_menu_action_new(_("Review held messages…"),
                                                        PURPLE_CALLBACK(review_cb), ajar, NULL));
    items = g_list_append(
        items, purple_menu_action_new(_("Turn off"), PURPLE_CALLBACK(off_cb), ajar, NULL));
    *menu = g_list_append(*menu, purple_menu_action_new(_("Ajar"), NULL, NULL, items));
}

void
ajar_menu_connect(AjarPlugin *ajar)
{
    purple_signal_connect(purple_blist_get_handle(), "blist-node-extended-menu", ajar->plugin,
                          PURPLE_CALLBACK(extended_menu_cb), ajar);
}
