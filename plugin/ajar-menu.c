/* ajar-menu.c — "Ajar ▸ …" on a buddy or contact in the buddy list.
 * A contact's rule covers all its buddies (see ajar-contact.c). */
#include "ajar-plugin.h"

#include <blist.h>
#include <prefs.h>
#include <request.h>
#include <string.h>

typedef struct {
    AjarAction action;
    gboolean outgoing;
    gint64 seconds;
    gboolean off;
} MenuChange;

static gboolean
menu_change_cb(AjarRule *rule, gpointer data)
{
    const MenuChange *change = data;
    AjarDirectionRule *what = change->outgoing ? &rule->outgoing : &rule->incoming;

    if (change->off)
        return FALSE;
    memset(what, 0, sizeof(*what));
    what->action = change->action;
    if (change->action == AJAR_ACTION_DELAY) {
        what->delay_kind = AJAR_DELAY_SECONDS;
        what->seconds = change->seconds;
    }
    return rule->incoming.action != AJAR_ACTION_PASS || rule->outgoing.action != AJAR_ACTION_PASS;
}

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
apply(AjarPlugin *ajar, PurpleBuddy *buddy, MenuChange *change)
{
    g_autoptr(GError) error = NULL;

    if (buddy == NULL)
        return;
    if (!ajar_contact_change(ajar, purple_buddy_get_account(buddy), purple_buddy_get_name(buddy),
                             menu_change_cb, change, &error))
        ajar_plugin_report(ajar, "Ajar could not change the rule; nothing was changed.",
                           error->message);
}

static void
hold_cb(PurpleBlistNode *node, gpointer data)
{
    MenuChange change = { AJAR_ACTION_HOLD, FALSE, 0, FALSE };
    apply(data, node_buddy(node), &change);
}

static void
archive_cb(PurpleBlistNode *node, gpointer data)
{
    MenuChange change = { AJAR_ACTION_ARCHIVE, FALSE, 0, FALSE };
    apply(data, node_buddy(node), &change);
}

static void
off_cb(PurpleBlistNode *node, gpointer data)
{
    MenuChange change = { AJAR_ACTION_PASS, FALSE, 0, TRUE };
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
typedef struct {
    AjarPlugin *ajar;
    PurpleAccount *account;
    char *buddy;
    gboolean outgoing;
} MinutesQuestion;

static void
minutes_question_free(MinutesQuestion *question)
{
    g_free(question->buddy);
    g_free(question);
}

static void
minutes_ok_cb(MinutesQuestion *question, const char *text)
{
    guint64 minutes;
    MenuChange change = { AJAR_ACTION_DELAY, question->outgoing, 0, FALSE };
    PurpleBuddy *buddy = purple_find_buddy(question->account, question->buddy);
    g_autofree char *trimmed = g_strstrip(g_strdup(text != NULL ? text : ""));

    if (!g_ascii_string_to_unsigned(trimmed, 10, 1, AJAR_RULES_MAX_SECONDS / 60, &minutes, NULL)) {
        ajar_plugin_report(question->ajar, "Nothing was changed.",
                           "The delay must be a whole number of minutes, from 1 to 525600.");
    } else if (buddy != NULL) {
        change.seconds = (gint64)minutes * 60;
        apply(question->ajar, buddy, &change);
    }
    ajar_plugin_dialog_done(question->ajar, question);
}

static void
minutes_cancel_cb(MinutesQuestion *question, const char *text)
{
    ajar_plugin_dialog_done(question->ajar, question);
}

static void
ask_minutes(AjarPlugin *ajar, PurpleBlistNode *node, gboolean outgoing)
{
    PurpleBuddy *buddy = node_buddy(node);
    MinutesQuestion *question;
    g_autofree char *default_minutes =
        g_strdup_printf("%d", purple_prefs_get_int(AJAR_PREFS_ROOT "/cooloff_minutes"));

    if (buddy == NULL)
        return;
    question = g_new0(MinutesQuestion, 1);
    question->ajar = ajar;
    question->account = purple_buddy_get_account(buddy);
    question->buddy = g_strdup(purple_buddy_get_name(buddy));
    question->outgoing = outgoing;
    ajar_plugin_dialog_open(ajar, question, (GDestroyNotify)minutes_question_free);
    purple_request_input(ajar->plugin, "Ajar",
                         outgoing ? "How long should your messages wait before they go?"
                                  : "How long should their messages wait?",
                         "Minutes:", default_minutes, FALSE, FALSE, NULL, "OK",
                         G_CALLBACK(minutes_ok_cb), "Cancel", G_CALLBACK(minutes_cancel_cb),
                         question->account, question->buddy, NULL, question);
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
    items = g_list_append(
        items, purple_menu_action_new("Hold their messages", PURPLE_CALLBACK(hold_cb), ajar, NULL));
    items = g_list_append(
        items, purple_menu_action_new("Archive unread", PURPLE_CALLBACK(archive_cb), ajar, NULL));
    items = g_list_append(items, purple_menu_action_new("Delay their messages…",
                                                        PURPLE_CALLBACK(delay_cb), ajar, NULL));
    items = g_list_append(items, purple_menu_action_new("Cooling-off on my messages…",
                                                        PURPLE_CALLBACK(cooloff_cb), ajar, NULL));
    items = g_list_append(items, purple_menu_action_new("Review held messages…",
                                                        PURPLE_CALLBACK(review_cb), ajar, NULL));
    items = g_list_append(items,
                          purple_menu_action_new("Turn off", PURPLE_CALLBACK(off_cb), ajar, NULL));
    *menu = g_list_append(*menu, purple_menu_action_new("Ajar", NULL, NULL, items));
}

void
ajar_menu_connect(AjarPlugin *ajar)
{
    purple_signal_connect(purple_blist_get_handle(), "blist-node-extended-menu", ajar->plugin,
                          PURPLE_CALLBACK(extended_menu_cb), ajar);
}
