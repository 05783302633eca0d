/* ajar-review-discard.c — a discard is never one wrong keypress from loss:
 * it asks once more (the default answer keeps the messages), and what was
 * discarded in the last AJAR_RECENTLY_DISCARDED_DAYS days can be brought back
 * from the review's first step ("Recently discarded"). */
#include "ajar-review-discard.h"
#include "ajar-review-page.h"

#include "ajar-contact.h"
#include "ajar-custody.h"

#include "ajar/ajar-i18n.h"
#include "ajar/ajar-reveal.h"
#include "ajar/ajar-stats.h"

/* What the "Discard?" question needs when it is answered. */
typedef struct {
    AjarPlugin *ajar;
    GPtrArray *ids; /* char* */
} Discarding;

static void
discarding_destroy(Discarding *discarding)
{
    g_ptr_array_unref(discarding->ids);
    g_free(discarding);
}

static void
discard_yes_cb(Discarding *discarding, int button)
{
    AjarPlugin *ajar = discarding->ajar;

    ajar_review_do_each(ajar, discarding->ids, ajar_custody_discard,
                        _("Some messages could not be discarded; they stay kept."));
    ajar_context_dialog_done(ajar, discarding);
}

static void
discard_no_cb(Discarding *discarding, int button)
{
    ajar_context_dialog_done(discarding->ajar, discarding);
}

void
ajar_review_confirm_discard(AjarPlugin *ajar, const char *rule, GPtrArray *ids)
{
    Discarding *discarding = g_new0(Discarding, 1);
    g_autofree char *question = NULL;
    g_autofree char *explained = NULL;
    g_autofree char *name = ajar_reveal_name(rule);

    discarding->ajar = ajar;
    discarding->ids = g_ptr_array_ref(ids);
    /* Closing the window answers nothing, so nothing is discarded; the
     * data then waits for unload. */
    ajar_context_dialog_open(ajar, discarding, (GDestroyNotify)discarding_destroy);
    /* TRANSLATORS: %s is the person's name (their rule's name). */
    question =
        g_strdup_printf(P_("Discard %u message from %s?", "Discard %u messages from %s?", ids->len),
                        ids->len, name);
    /* No number in these: one message or several (as the gettext manual
     * advises for a sentence without its number). */
    explained = ajar_review_wrap(
        ids->len == 1
            /* TRANSLATORS: "Review ▸ Recently discarded" names the review's
             * "Recently discarded" line; translate both as they are there. */
            ? _("It stays in the journal's history until it is compacted. Review ▸ Recently "
                "discarded brings it back.")
            : _("They stay in the journal's history until it is compacted. Review ▸ Recently "
                "discarded brings them back."));
    purple_request_action(ajar->plugin, _("Ajar — discard"), question, explained, 1, NULL, NULL,
                          NULL, discarding, 2, _("Discard"), G_CALLBACK(discard_yes_cb),
                          _("Keep them"), G_CALLBACK(discard_no_cb));
}

/* Returns: (transfer container): what was discarded lately: all of it, or,
 * with @buddy (and @account), what came from or went to any buddy of their
 * buddy-list contact, as the review's kept messages for one person. */
static GPtrArray *
discarded_for(AjarPlugin *ajar, PurpleAccount *account, const char *buddy)
{
    GPtrArray *items = ajar_custody_list_discarded(ajar, NULL, NULL);

    for (guint i = 0; buddy != NULL && i < items->len;) {
        if (ajar_contact_covers(ajar, account, buddy, g_ptr_array_index(items, i)))
            i++;
        else
            g_ptr_array_remove_index(items, i);
    }
    return items;
}

char *
ajar_review_describe_discarded(AjarPlugin *ajar, PurpleAccount *account, const char *buddy)
{
    g_autoptr(GPtrArray) items = discarded_for(ajar, account, buddy);
    g_autofree char *ago = NULL;
    gint64 newest = 0;

    if (items->len == 0)
        return NULL;
    for (guint i = 0; i < items->len; i++)
        newest = MAX(newest, ((const AjarItem *)g_ptr_array_index(items, i))->state_ts);
    ago = ajar_format_duration(ajar_context_now() - newest);
    /* TRANSLATORS: the review's last line: how many messages were discarded
     * lately, and how long ago the newest was (e.g. "2 h"). */
    return g_strdup_printf(P_("Recently discarded: %u, newest %s ago",
                              "Recently discarded: %u, newest %s ago", items->len),
                           items->len, ago);
}

enum {
    DO_LEAVE,
    DO_BRING_BACK_CHOSEN,
    DO_BRING_BACK_ALL,
    DO_NEXT_PAGE
};

static void open_page(AjarPlugin *ajar, PurpleAccount *account, const char *buddy, guint start);

static void
discarded_ok_cb(ReviewStep *step, PurpleRequestFields *fields)
{
    AjarPlugin *ajar = step->ajar;
    int what = ajar_review_get_option(fields, "action", DO_LEAVE); /* no i18n: field id */
    const char *buddy;
    PurpleAccount *account = ajar_review_step_person(step, &buddy);
    g_autoptr(GPtrArray) ids = NULL;

    if (what == DO_NEXT_PAGE) {
        open_page(ajar, account, buddy, step->next);
        ajar_review_step_free(step);
        return;
    }
    if (what == DO_BRING_BACK_ALL) {
        g_autoptr(GPtrArray) items = discarded_for(ajar, account, buddy);
        ids = g_ptr_array_new_with_free_func(g_free);
        for (guint i = 0; i < items->len; i++)
            g_ptr_array_add(ids, g_strdup(((const AjarItem *)g_ptr_array_index(items, i))->id));
    } else {
        ids = ajar_review_chosen_ids(step, fields);
    }
    if (what == DO_BRING_BACK_CHOSEN && ids->len == 0)
        purple_notify_info(ajar->plugin, _("Ajar"), _("No message was chosen, so nothing changed."),
                           _("Tick the messages first, then choose what to do with them."));
    if (what != DO_LEAVE)
        ajar_review_do_each(ajar, ids, ajar_custody_undiscard,
                            _("Some messages could not be brought back; they stay discarded."));
    ajar_review_step_free(step);
}

static void
open_page(AjarPlugin *ajar, PurpleAccount *account, const char *buddy, guint start)
{
    g_autoptr(GPtrArray) items = discarded_for(ajar, account, buddy);
    PurpleRequestFields *fields;
    PurpleRequestFieldGroup *group;
    PurpleRequestField *field;
    ReviewStep *step;
    g_autofree char *texts = NULL;
    g_autofree char *title = NULL;

    if (items->len == 0) {
        purple_notify_info(ajar->plugin, _("Ajar"), _("Nothing was discarded lately."), NULL);
        return;
    }
    step = ajar_review_step_new(ajar);
    ajar_review_step_set_person(step, account, buddy);
    start = MIN(start, items->len - 1);
    fields = purple_request_fields_new();
    group = purple_request_field_group_new(NULL);
    purple_request_fields_add_group(fields, group);
    texts = ajar_review_add_page(step, group, items, start,
                                 _("Tick the messages to bring back, then choose below."));
    field = purple_request_field_list_new("action", NULL); /* no i18n: field id */
    purple_request_field_list_set_multi_select(field, FALSE);
    ajar_review_add_option(field, _("Leave them discarded"), DO_LEAVE, TRUE);
    ajar_review_add_option(field, _("Bring back the chosen (kept again)"), DO_BRING_BACK_CHOSEN,
                           FALSE);
    ajar_review_add_option(field, _("Bring back all"), DO_BRING_BACK_ALL, FALSE);
    if (step->next > 0)
        ajar_review_add_option(field, _("Show the next messages"), DO_NEXT_PAGE, FALSE);
    purple_request_field_group_add_field(group, field);
    /* TRANSLATORS: the title of the discarded messages' page in the review. */
    title = ajar_review_page_title(_("Recently discarded"), start, step->keys->len, items->len);
    purple_request_fields(ajar->plugin, _("Ajar — review"), title, texts, fields, _("OK"),
                          G_CALLBACK(discarded_ok_cb), _("Close"),
                          G_CALLBACK(ajar_review_step_cancel_cb), NULL, NULL, NULL, step);
}

void
ajar_review_open_discarded(AjarPlugin *ajar, PurpleAccount *account, const char *buddy)
{
    open_page(ajar, account, buddy, 0);
}
