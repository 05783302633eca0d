/* ajar-review-strangers.c — new senders in the review.
 *
 * The first step lists them before the people of the rules, grouped by
 * sender under one heading ("2 new senders: 5 held"). A sender's page shows
 * what they wrote (plain text, as any page) and asks who they are: This is
 * NAME (for each rule), Let them through, Discard them (asked once more, as
 * any discard), or keep them for now. */
#include "ajar-review-strangers.h"

#include "ajar-review-discard.h"
#include "ajar-strangers.h"

#include "ajar-custody.h"

#include <notify.h>
#include <request.h>
#include <string.h>

#include "ajar/ajar-i18n.h"
#include "ajar/ajar-reveal.h"
#include "ajar/ajar-stats.h"

/* "3 held" or "3 held, 1 archived". Returns: (transfer full). */
static char *
counts_of(guint held, guint archived)
{
    g_autofree char *held_text = g_strdup_printf(P_("%u held", "%u held", held), held);

    if (archived == 0)
        return g_steal_pointer(&held_text);
    /* TRANSLATORS: the counts of new senders' messages in the review
     * ("3 held, 1 archived"). */
    return g_strdup_printf(P_("%s, %u archived", "%s, %u archived", archived), held_text, archived);
}

guint
ajar_review_strangers_add_lines(AjarPlugin *ajar, ReviewStep *step, PurpleRequestField *list,
                                PurpleAccount *account, const char *buddy)
{
    g_autoptr(GPtrArray) strangers = ajar_strangers_list(ajar, account, buddy);
    g_autofree char *counts = NULL;
    guint held = 0, archived = 0;
    char *heading;

    if (strangers->len == 0)
        return 0;
    for (guint i = 0; i < strangers->len; i++) {
        const AjarStranger *stranger = g_ptr_array_index(strangers, i);
        held += stranger->held;
        archived += stranger->archived;
    }
    counts = counts_of(held, archived);
    /* TRANSLATORS: the heading of the new senders in the review's first
     * step: how many senders, then the counts of their messages ("2 new
     * senders: 5 held"). */
    heading = g_strdup_printf(P_("%u new sender: %s", "%u new senders: %s", strangers->len),
                              strangers->len, counts);
    /* The heading opens the first of them. */
    /* The step's labels, keys and rooms stay index for index (no room here). */
    g_ptr_array_add(step->labels, heading);
    g_ptr_array_add(step->chats, NULL);
    g_ptr_array_add(step->keys,
                    g_strdup(((const AjarStranger *)g_ptr_array_index(strangers, 0))->key));
    purple_request_field_list_add_icon(list, heading, NULL, GUINT_TO_POINTER(step->labels->len));
    for (guint i = 0; i < strangers->len; i++) {
        const AjarStranger *stranger = g_ptr_array_index(strangers, i);
        g_autofree char *ago = ajar_format_duration(ajar_context_now() - stranger->newest);
        /* Their address is all Ajar knows of them; shown with what hides
         * or reorders made visible (ajar-reveal.h). */
        g_autofree char *name = ajar_reveal_name(stranger->address);
        g_autofree char *each = counts_of(stranger->held, stranger->archived);
        g_autofree char *text = g_strdup_printf(_("%s: %s, newest %s ago"), name, each, ago);
        /* Indented under the heading. */
        char *line = g_strconcat("  ", text, NULL);

        g_ptr_array_add(step->labels, line);
        g_ptr_array_add(step->chats, NULL);
        g_ptr_array_add(step->keys, g_strdup(stranger->key));
        purple_request_field_list_add_icon(list, line, NULL, GUINT_TO_POINTER(step->labels->len));
    }
    return strangers->len + 1;
}

gboolean
ajar_review_strangers_any(AjarPlugin *ajar, PurpleAccount *account, const char *buddy)
{
    g_autoptr(GPtrArray) strangers = ajar_strangers_list(ajar, account, buddy);

    return strangers->len > 0;
}

gboolean
ajar_review_strangers_is_key(const char *key)
{
    return key != NULL && g_str_has_prefix(key, AJAR_STRANGERS_KEY_PREFIX);
}

enum {
    DO_KEEP,
    DO_ALLOW,
    DO_DISCARD,
    DO_NEXT_PAGE,
    DO_RULE, /* DO_RULE + i: "This is" page->offered[i] */
};

/* A sender's page while it is open. */
typedef struct {
    AjarPlugin *ajar;
    ReviewStep *step;   /* the page's message ids and where the next page starts */
    char *key;          /* the sender's */
    GPtrArray *offered; /* char*: the rule names offered, by DO_RULE + index */
} StrangerPage;

static void
page_destroy(StrangerPage *page)
{
    g_free(page->key);
    g_ptr_array_unref(page->offered);
    g_free(page);
}

static void
page_done(StrangerPage *page)
{
    ajar_review_step_free(page->step);
    ajar_context_dialog_done(page->ajar, page);
}

static void open_page(AjarPlugin *ajar, const char *key, guint start);

static void
page_ok_cb(StrangerPage *page, PurpleRequestFields *fields)
{
    AjarPlugin *ajar = page->ajar;
    int what = ajar_review_get_option(fields, "action", DO_KEEP); /* no i18n: field id */
    g_autoptr(AjarStranger) stranger = ajar_strangers_lookup(ajar, page->key);
    g_autoptr(GError) error = NULL;
    guint count = 0;

    if (stranger == NULL || what == DO_KEEP) {
        /* Nothing to do, or dealt with meanwhile (/ajar, another page). */
    } else if (what == DO_NEXT_PAGE) {
        open_page(ajar, page->key, page->step->next);
    } else if (what == DO_DISCARD) {
        /* The question shows the name as every place does (ajar-reveal.h). */
        ajar_review_confirm_discard(ajar, stranger->address, stranger->ids);
    } else if (what == DO_ALLOW) {
        guint skipped = 0;

        if (!ajar_strangers_allow(ajar, stranger, &count, &skipped, &error))
            ajar_context_report(ajar, _("Ajar could not let this sender through."), error->message);
    } else if (what >= DO_RULE && (guint)(what - DO_RULE) < page->offered->len) {
        if (!ajar_strangers_assign(ajar, stranger, g_ptr_array_index(page->offered, what - DO_RULE),
                                   &count, &error))
            ajar_context_report(ajar, _("Ajar could not add this sender to the rule."),
                                error->message);
    }
    page_done(page);
}

static void
page_cancel_cb(StrangerPage *page, PurpleRequestFields *fields)
{
    page_done(page);
}

/* The page's texts, without check boxes: what is decided here is done
 * with all their messages. (Their check box lines, the times, would show
 * in Pidgin as labels ending in ':'.) */
static char *
add_messages(AjarPlugin *ajar, ReviewStep *step, const AjarStranger *stranger, guint start)
{
    g_autoptr(GPtrArray) items = g_ptr_array_new();
    PurpleRequestFieldGroup *scratch = purple_request_field_group_new(NULL);
    char *texts;

    for (guint i = 0; i < stranger->ids->len; i++) {
        const AjarItem *item = ajar_custody_lookup(ajar, g_ptr_array_index(stranger->ids, i), NULL);
        if (item != NULL)
            g_ptr_array_add(items, (gpointer)item);
    }
    texts = ajar_review_add_page(step, scratch, items, MIN(start, items->len - 1),
                                 _("Who is this? What you choose below is done with all their "
                                   "messages."));
    purple_request_field_group_destroy(scratch);
    /* Showing them is reading them, as on any page. */
    for (guint i = 0; i < step->keys->len; i++) {
        const AjarItem *item = ajar_custody_lookup(ajar, g_ptr_array_index(step->keys, i), NULL);
        g_autoptr(GError) error = NULL;

        if (item != NULL && item->state == AJAR_EVENT_ARCHIVED &&
            !ajar_custody_mark_read(ajar, item->id, &error))
            g_debug("could not mark read: %s", error->message);
    }
    return texts;
}

/* Whether @rule names someone: a match entry other than "stranger". */
static gboolean
names_someone(const AjarRule *rule)
{
    for (guint i = 0; i < rule->matches->len; i++) {
        if (!((const AjarMatch *)g_ptr_array_index(rule->matches, i))->stranger)
            return TRUE;
    }
    return FALSE;
}

static void
open_page(AjarPlugin *ajar, const char *key, guint start)
{
    g_autoptr(AjarStranger) stranger = ajar_strangers_lookup(ajar, key);
    PurpleRequestFields *fields;
    PurpleRequestFieldGroup *group;
    PurpleRequestField *field;
    StrangerPage *page;
    g_autofree char *name = NULL;
    g_autofree char *what = NULL;
    g_autofree char *title = NULL;
    g_autofree char *texts = NULL;

    if (stranger == NULL || stranger->ids->len == 0) {
        purple_notify_info(ajar->plugin, _("Ajar"), _("Nothing is being kept."), NULL);
        return;
    }
    page = g_new0(StrangerPage, 1);
    page->ajar = ajar;
    page->key = g_strdup(key);
    page->offered = g_ptr_array_new_with_free_func(g_free);
    page->step = ajar_review_step_new(ajar);
    ajar_context_dialog_open(ajar, page, (GDestroyNotify)page_destroy);
    fields = purple_request_fields_new();
    group = purple_request_field_group_new(NULL);
    purple_request_fields_add_group(fields, group);
    texts = add_messages(ajar, page->step, stranger, start);

    field = purple_request_field_list_new("action", NULL); /* no i18n: field id */
    purple_request_field_list_set_multi_select(field, FALSE);
    /* TRANSLATORS: the review's choices for a new sender; keep them within
     * a line of an 80-column terminal (Finch). */
    ajar_review_add_option(field, _("Keep them for now"), DO_KEEP, TRUE);
    for (guint i = 0; i < ajar_rules_get_count(ajar->rules); i++) {
        const char *rule = ajar_rules_get_rule(ajar->rules, i)->name;
        g_autofree char *shown = NULL;
        g_autofree char *label = NULL;

        /* A rule only for strangers is nobody they could be. */
        if (!names_someone(ajar_rules_get_rule(ajar->rules, i)))
            continue;
        shown = ajar_reveal_name(rule);
        /* TRANSLATORS: a choice for a new sender: they are the person of
         * this rule (%s is its name); their address is added to it. */
        label = g_strdup_printf(_("This is %s"), shown);

        /* Numbered among those offered: page_ok_cb reads offered[what - DO_RULE]. */
        ajar_review_add_option(field, label, DO_RULE + (int)page->offered->len, FALSE);
        g_ptr_array_add(page->offered, g_strdup(rule));
    }
    /* As Release all: not those Ajar stopped showing halfway. */
    ajar_review_add_option(field,
                           stranger->interrupted > 0
                               ? _("Let them through, never screen again (not those maybe shown)")
                               : _("Let them through (and never screen them again)"),
                           DO_ALLOW, FALSE);
    ajar_review_add_option(field, _("Discard them…"), DO_DISCARD, FALSE);
    if (page->step->next > 0)
        ajar_review_add_option(field, _("Show the next messages"), DO_NEXT_PAGE, FALSE);
    purple_request_field_group_add_field(group, field);

    name = ajar_reveal_name(stranger->address);
    /* TRANSLATORS: the title of a new sender's messages in the review; %s
     * is their address. */
    what = g_strdup_printf(_("New sender: %s"), name);
    title = ajar_review_page_title(what, MIN(start, stranger->ids->len - 1), page->step->keys->len,
                                   stranger->ids->len);
    purple_request_fields(ajar->plugin, _("Ajar — review"), title, texts, fields, _("OK"),
                          G_CALLBACK(page_ok_cb), _("Close"), G_CALLBACK(page_cancel_cb), NULL,
                          NULL, NULL, page);
}

void
ajar_review_strangers_open(AjarPlugin *ajar, const char *key)
{
    open_page(ajar, key, 0);
}
