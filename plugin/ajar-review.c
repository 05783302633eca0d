/* ajar-review.c — reading what was kept, through libpurple's request API
 * (so Pidgin and Finch both show it).
 *
 * First step: only counts and times per person ("Sam: 3 held, 2 archived
 * unread, newest 2 h ago"). Content only on the next step, as plain text
 * (markup stripped, nothing fetched). Then: release, discard, mark read, or
 * keep; a discard asks once more, and what was discarded can be brought back
 * (step one's "Recently discarded", ajar-review-discard.c). The dialogs'
 * parts are in ajar-review-page.c. */
#include "ajar-review.h"
#include "ajar-review-discard.h"
#include "ajar-review-page.h"
#include "ajar-review-strangers.h"

#include "ajar-contact.h"
#include "ajar-custody.h"

#include <request.h>
#include <string.h>

#include "ajar/ajar-i18n.h"
#include "ajar/ajar-reveal.h"
#include "ajar/ajar-stats.h"

/* One person's kept messages, by rule name; or their kept lines in one
 * room (@chat set), listed apart: "#friends: 3 lines from Sam". */
typedef struct {
    char *rule;
    char *chat;
    guint lines; /* @chat: how many */
    guint held, archived_unread, archived_read, delayed, yours;
    guint interrupted; /* Ajar stopped showing or sending them halfway */
    guint buzzes;      /* their buzzes Ajar did not show (in all) */
    gint64 newest;
} Person;

static void
person_free(Person *person)
{
    g_free(person->rule);
    g_free(person->chat);
    g_free(person);
}

static GPtrArray *
people(AjarPlugin *ajar, PurpleAccount *account, const char *buddy)
{
    g_autoptr(GPtrArray) items = NULL;
    g_autoptr(GHashTable) by_rule = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)person_free);
    const char *only_rule = NULL;

    /* One person: everything their rule kept, from all their buddies (a
     * contact with several accounts is one person). */
    if (account != NULL && buddy != NULL) {
        int index = ajar_contact_rule_index(ajar, account, buddy);
        if (index >= 0)
            only_rule = ajar_rules_get_rule(ajar->rules, (guint)index)->name;
    }
    items = ajar_custody_list(ajar, NULL, NULL);
    for (guint i = 0; i < items->len; i++) {
        const AjarItem *item = g_ptr_array_index(items, i);
        const char *rule = item->rule != NULL ? item->rule : item->buddy;
        /* A rule's name and a room's, apart: "\n" and the room's name
         * follow the rule's for a room's lines. */
        g_autofree char *key = g_strconcat(rule, item->chat != NULL ? "\n" : "", item->chat, NULL);
        Person *person;

        /* New senders have lines of their own (ajar-review-strangers.c). */
        if (item->stranger && item->dir == AJAR_DIRECTION_IN)
            continue;
        if (account != NULL && buddy != NULL && g_strcmp0(rule, only_rule) != 0 &&
            !ajar_contact_covers(ajar, account, buddy, item))
            continue;
        person = g_hash_table_lookup(by_rule, key);

        if (person == NULL) {
            person = g_new0(Person, 1);
            person->rule = g_strdup(rule);
            person->chat = g_strdup(item->chat);
            g_hash_table_insert(by_rule, g_steal_pointer(&key), person);
            g_ptr_array_add(out, person);
        }
        person->newest = MAX(person->newest, item->time);
        person->lines++;
        if (item->interrupted)
            person->interrupted++;
        if (item->dir == AJAR_DIRECTION_OUT)
            person->yours++;
        else if (item->state == AJAR_EVENT_HELD || item->state == AJAR_EVENT_SHOWING)
            person->held++;
        else if (item->state == AJAR_EVENT_ARCHIVED)
            person->archived_unread++;
        else if (item->state == AJAR_EVENT_READ)
            person->archived_read++;
        else if (item->state == AJAR_EVENT_DELAYED)
            person->delayed++;
    }
    /* Buzzes are no messages: counted per rule as they came. */
    for (guint i = 0; i < out->len; i++) {
        Person *person = g_ptr_array_index(out, i);
        const AjarRuleCounters *counters =
            ajar->journal != NULL ? ajar_state_get_counters(ajar_context_state(ajar), person->rule)
                                  : NULL;

        person->buzzes = counters != NULL ? counters->attention : 0;
    }
    return out;
}

/* One count of a person's list ("2 held"), after a separator if it is not
 * the first. */
static void
add_count(GString *counts, const char *count)
{
    if (counts->len > 0)
        /* TRANSLATORS: between the counts of a person's line in the review
         * ("2 held, 0 archived unread, 1 delayed"). */
        g_string_append(counts, _(", "));
    g_string_append(counts, count);
}

/* "Sam: 3 held, 2 archived unread, newest 2 h ago". The counts are a list
 * (each one whole, in its plural form); the line around them is one
 * sentence. Returns: (transfer full). */
static char *
describe_person(const Person *person)
{
    g_autofree char *ago = ajar_format_duration(ajar_context_now() - person->newest);
    /* The name as every place shows one (ajar-reveal.h); the key stays
     * the rule's own name. */
    g_autofree char *name = ajar_reveal_name(person->rule);
    g_autoptr(GString) counts = g_string_new(NULL);
    g_autofree char *held = NULL, *unread = NULL, *read = NULL, *delayed = NULL, *yours = NULL;
    g_autofree char *buzzes = NULL;

    if (person->chat != NULL) {
        g_autofree char *room = ajar_reveal_name(person->chat);
        /* TRANSLATORS: a room's line in the review's first step: the
         * room's name, how many of the person's lines in it are kept, and
         * the person's name ("#friends: 3 lines from Sam"). */
        return g_strdup_printf(P_("%s: %u line from %s", "%s: %u lines from %s", person->lines),
                               room, person->lines, name);
    }

    /* TRANSLATORS: the counts of one person's line in the review's first
     * step ("Sam: 3 held, 2 archived unread, newest 2 h ago"). */
    held = g_strdup_printf(P_("%u held", "%u held", person->held), person->held);
    unread =
        g_strdup_printf(P_("%u archived unread", "%u archived unread", person->archived_unread),
                        person->archived_unread);
    add_count(counts, held);
    add_count(counts, unread);
    if (person->archived_read > 0) {
        read = g_strdup_printf(P_("%u archived read", "%u archived read", person->archived_read),
                               person->archived_read);
        add_count(counts, read);
    }
    if (person->delayed > 0) {
        delayed = g_strdup_printf(P_("%u delayed", "%u delayed", person->delayed), person->delayed);
        add_count(counts, delayed);
    }
    if (person->yours > 0) {
        yours = g_strdup_printf(P_("%u of yours unsent", "%u of yours unsent", person->yours),
                                person->yours);
        add_count(counts, yours);
    }
    if (person->buzzes > 0) {
        /* TRANSLATORS: how often they asked for your attention ("buzzed":
         * XMPP's attention, Yahoo's buzz); Ajar did not show it. */
        buzzes = g_strdup_printf(P_("%u buzz", "%u buzzes", person->buzzes), person->buzzes);
        add_count(counts, buzzes);
    }
    if (person->interrupted > 0)
        return g_strdup_printf(
            /* TRANSLATORS: a person's line in the review: their name, the
             * counts ("3 held, 2 archived unread"), how many of them Ajar
             * stopped showing or sending halfway, and how long ago the newest
             * came (e.g. "2 h"). */
            P_("%s: %s (%u may already have been shown or sent), newest %s ago",
               "%s: %s (%u may already have been shown or sent), newest %s ago",
               person->interrupted),
            name, counts->str, person->interrupted, ago);
    /* TRANSLATORS: a person's line in the review: their name, the counts
     * ("3 held, 2 archived unread"), and how long ago the newest came
     * (e.g. "2 h"). */
    return g_strdup_printf(_("%s: %s, newest %s ago"), name, counts->str, ago);
}

enum {
    DO_KEEP,
    DO_RELEASE_CHOSEN,
    DO_RELEASE_ALL,
    DO_DISCARD_CHOSEN,
    DO_NEXT_PAGE
};

static void open_messages(AjarPlugin *ajar, const char *rule, const char *chat, guint start);

/* Releasing is for their messages (yours are sent with /ajar send), and
 * for those still kept: others are passed over. */
static gboolean
release_theirs(AjarPlugin *ajar, const char *id, GError **error)
{
    const AjarItem *item = ajar_context_lookup(ajar, id);

    if (item == NULL || !ajar_item_in_custody(item) || item->dir == AJAR_DIRECTION_OUT)
        return TRUE;
    return ajar_custody_release(ajar, id, error);
}

/* Returns: (transfer container): @rule's kept messages, oldest first:
 * their lines in the room @chat, or (@chat NULL) their other messages. */
static GPtrArray *
messages_of(AjarPlugin *ajar, const char *rule, const char *chat)
{
    g_autoptr(GPtrArray) all = ajar_custody_list(ajar, NULL, NULL);
    GPtrArray *mine = g_ptr_array_new();

    for (guint i = 0; i < all->len; i++) {
        const AjarItem *item = g_ptr_array_index(all, i);
        if (g_strcmp0(item->rule != NULL ? item->rule : item->buddy, rule) == 0 &&
            g_strcmp0(item->chat, chat) == 0)
            g_ptr_array_add(mine, (gpointer)item);
    }
    return mine;
}

static void
messages_ok_cb(ReviewStep *step, PurpleRequestFields *fields)
{
    AjarPlugin *ajar = step->ajar;
    int what = ajar_review_get_option(fields, "action", DO_KEEP); /* no i18n: field id */
    g_autoptr(GPtrArray) ids = ajar_review_chosen_ids(step, fields);

    if (what == DO_RELEASE_ALL) {
        /* All of theirs, on every page; not one Ajar stopped showing
         * halfway (it may be there already): that one only when chosen. */
        g_autoptr(GPtrArray) mine = messages_of(ajar, step->rule, step->chat);
        g_ptr_array_set_size(ids, 0);
        for (guint i = 0; i < mine->len; i++) {
            const AjarItem *item = g_ptr_array_index(mine, i);
            if (!item->interrupted)
                g_ptr_array_add(ids, g_strdup(item->id));
        }
    }
    if ((what == DO_RELEASE_CHOSEN || what == DO_DISCARD_CHOSEN) && ids->len == 0)
        purple_notify_info(ajar->plugin, _("Ajar"), _("No message was chosen, so nothing changed."),
                           _("Tick the messages first, then choose what to do with them."));
    else if (what == DO_DISCARD_CHOSEN)
        ajar_review_confirm_discard(ajar, step->rule, ids);
    else if (what == DO_RELEASE_CHOSEN || what == DO_RELEASE_ALL)
        ajar_review_do_each(ajar, ids, release_theirs,
                            _("Some messages could not be handled; they stay kept."));
    else if (what == DO_NEXT_PAGE)
        open_messages(ajar, step->rule, step->chat, step->next);
    ajar_review_step_free(step);
}

/* The second step: one page of one person's messages, as plain text, each
 * with a check box. Showing them is reading them, so archived ones on the
 * page become read. */
static void
open_messages(AjarPlugin *ajar, const char *rule, const char *chat, guint start)
{
    g_autoptr(GPtrArray) mine = messages_of(ajar, rule, chat);
    PurpleRequestFields *fields = purple_request_fields_new();
    PurpleRequestFieldGroup *group = purple_request_field_group_new(NULL);
    PurpleRequestField *field;
    ReviewStep *step;
    g_autofree char *name = ajar_reveal_name(rule);
    g_autofree char *what = NULL;
    g_autofree char *title = NULL;
    g_autofree char *texts = NULL;
    gboolean interrupted = FALSE;

    if (mine->len == 0) {
        purple_notify_info(ajar->plugin, _("Ajar"), _("Nothing is being kept."), NULL);
        return;
    }
    if (chat != NULL) {
        g_autofree char *room = ajar_reveal_name(chat);
        /* TRANSLATORS: the title of a person's kept lines in a chat room;
         * %s are their name and the room's ("Kept lines: Sam in #friends"). */
        what = g_strdup_printf(_("Kept lines: %s in %s"), name, room);
    } else
        /* TRANSLATORS: the title of a person's messages in the review; %s
         * is their name. */
        what = g_strdup_printf(_("Kept messages: %s"), name);
    step = ajar_review_step_new(ajar);
    step->rule = g_strdup(rule);
    step->chat = g_strdup(chat);
    start = MIN(start, mine->len - 1);
    purple_request_fields_add_group(fields, group);
    texts = ajar_review_add_page(step, group, mine, start,
                                 _("Tick the messages, then choose below what to do with them."));
    for (guint i = 0; i < mine->len; i++) {
        const AjarItem *item = g_ptr_array_index(mine, i);
        interrupted |= item->interrupted && item->dir == AJAR_DIRECTION_IN;
    }
    for (guint i = 0; i < step->keys->len; i++) {
        const AjarItem *item = ajar_context_lookup(ajar, g_ptr_array_index(step->keys, i));
        if (item != NULL && item->state == AJAR_EVENT_ARCHIVED) {
            g_autoptr(GError) error = NULL;
            if (!ajar_custody_mark_read(ajar, item->id, &error))
                g_debug("could not mark read: %s", error->message);
        }
    }
    /* The options have no label of their own: Finch gives a label half of
     * the line, which would cut them. */
    field = purple_request_field_list_new("action", NULL); /* no i18n: field id */
    purple_request_field_list_set_multi_select(field, FALSE);
    /* TRANSLATORS: the review's choices for the ticked messages; keep them
     * within a line of an 80-column terminal (Finch). */
    ajar_review_add_option(field, _("Keep them for now"), DO_KEEP, TRUE);
    ajar_review_add_option(field, _("Release the chosen into the conversation"), DO_RELEASE_CHOSEN,
                           FALSE);
    ajar_review_add_option(field,
                           interrupted ? _("Release all into the conversation (not those that "
                                           "may already be there)")
                                       : _("Release all into the conversation"),
                           DO_RELEASE_ALL, FALSE);
    ajar_review_add_option(field, _("Discard the chosen…"), DO_DISCARD_CHOSEN, FALSE);
    if (step->next > 0)
        ajar_review_add_option(field, _("Show the next messages"), DO_NEXT_PAGE, FALSE);
    purple_request_field_group_add_field(group, field);
    title = ajar_review_page_title(what, start, step->keys->len, mine->len);
    purple_request_fields(ajar->plugin, _("Ajar — review"), title, texts, fields, _("OK"),
                          G_CALLBACK(messages_ok_cb), _("Close"),
                          G_CALLBACK(ajar_review_step_cancel_cb), NULL, NULL, NULL, step);
}

static void
choose_ok_cb(ReviewStep *step, PurpleRequestFields *fields)
{
    GList *chosen = purple_request_field_list_get_selected(
        purple_request_fields_get_field(fields, "person")); /* no i18n: field id */
    const char *rule = chosen != NULL ? ajar_review_step_key(step, chosen->data) : NULL;

    if (ajar_review_strangers_is_key(rule)) {
        ajar_review_strangers_open(step->ajar, rule);
    } else if (chosen != NULL && rule == NULL) {
        const char *buddy;
        PurpleAccount *account = ajar_review_step_person(step, &buddy);
        ajar_review_open_discarded(step->ajar, account, buddy);
    } else if (rule != NULL)
        open_messages(step->ajar, rule, ajar_review_step_chat(step, chosen->data), 0);
    ajar_review_step_free(step);
}

void
ajar_review_open(AjarPlugin *ajar, PurpleAccount *account, const char *buddy)
{
    g_autoptr(GPtrArray) found = NULL;
    g_autofree char *discarded = NULL;
    g_autofree char *explained = NULL;
    PurpleRequestFields *fields;
    PurpleRequestFieldGroup *group;
    PurpleRequestField *list;
    ReviewStep *step;
    guint lines;

    if (ajar->journal_busy) {
        /* What is kept is in the other messenger's Ajar. */
        g_autofree char *refusal = ajar_context_busy_refusal(ajar);
        purple_notify_info(ajar->plugin, _("Ajar"), refusal, NULL);
        return;
    }
    if (ajar->journal_loading) {
        /* Counts and lists need the whole journal: a moment more. */
        purple_notify_info(ajar->plugin, _("Ajar"), ajar_context_loading_text(), NULL);
        return;
    }
    found = people(ajar, account, buddy);
    discarded = ajar_review_describe_discarded(ajar, account, buddy);
    if (found->len == 0 && discarded == NULL && !ajar_review_strangers_any(ajar, account, buddy)) {
        purple_notify_info(ajar->plugin, _("Ajar"), _("Nothing is being kept."),
                           buddy != NULL ? _("No messages from or to this person are waiting.")
                                         : NULL);
        return;
    }
    step = ajar_review_step_new(ajar);
    ajar_review_step_set_person(step, account, buddy);
    fields = purple_request_fields_new();
    group = purple_request_field_group_new(NULL);
    purple_request_fields_add_group(fields, group);
    /* No label: Finch would give it half of the line and cut the counts. */
    list = purple_request_field_list_new("person", NULL); /* no i18n: field id */
    purple_request_field_list_set_multi_select(list, FALSE);
    /* New senders first, under their heading (selected). */
    lines = ajar_review_strangers_add_lines(ajar, step, list, account, buddy);
    if (lines > 0)
        purple_request_field_list_add_selected(list, g_ptr_array_index(step->labels, 0));
    for (guint i = 0; i < found->len; i++) {
        const Person *person = g_ptr_array_index(found, i);
        char *line = describe_person(person);

        g_ptr_array_add(step->labels, line);
        g_ptr_array_add(step->keys, g_strdup(person->rule));
        g_ptr_array_add(step->chats, g_strdup(person->chat));
        /* libpurple refuses NULL data (g_return_if_fail): the position will do. */
        purple_request_field_list_add_icon(list, line, NULL, GUINT_TO_POINTER(i + 1));
        if (i == 0 && lines == 0)
            purple_request_field_list_add_selected(list, line);
    }
    /* Last, and without a key: what the user discarded lately. */
    if (discarded != NULL) {
        purple_request_field_list_add_icon(list, discarded, NULL, GUINT_TO_POINTER(found->len + 1));
        if (found->len == 0 && lines == 0)
            purple_request_field_list_add_selected(list, discarded);
    }
    purple_request_field_group_add_field(group, list);
    /* TRANSLATORS: "Read" is the button below ("Read" the messages). */
    explained = ajar_review_wrap(_("Only counts here. Choose a person and press Read: their "
                                   "messages come on the next step."));
    purple_request_fields(ajar->plugin, _("Ajar — review"), _("What is being kept"), explained,
                          fields,
                          /* TRANSLATORS: a button: read the chosen person's
                           * messages. */
                          _("Read"), G_CALLBACK(choose_ok_cb), _("Not now"),
                          G_CALLBACK(ajar_review_step_cancel_cb), NULL, NULL, NULL, step);
}
