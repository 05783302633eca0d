/* ajar-review-page.c — what every review dialog is made of: a step's
 * data, a page of messages (their texts, plain and wrapped, and a check box
 * each, as many as fit the UI's screen), and options read back by their
 * data, never by their position (libpurple 2 lets each UI number a choice
 * field as it likes: Pidgin from 0, Finch from 1). */
#include "ajar-review-page.h"

#include <core.h>
#include <request.h>

#include "ajar/ajar-i18n.h"
#include "ajar/ajar-reveal.h"
#include "ajar/ajar-stats.h"
#include "ajar/ajar-text.h"

static void
step_destroy(ReviewStep *step)
{
    g_ptr_array_unref(step->labels);
    g_ptr_array_unref(step->keys);
    g_ptr_array_unref(step->chats);
    g_free(step->rule);
    g_free(step->chat);
    g_free(step->account_name);
    g_free(step->protocol);
    g_free(step->buddy);
    g_free(step);
}

ReviewStep *
ajar_review_step_new(AjarPlugin *ajar)
{
    ReviewStep *step = g_new0(ReviewStep, 1);

    step->ajar = ajar;
    step->labels = g_ptr_array_new_with_free_func(g_free);
    step->keys = g_ptr_array_new_with_free_func(g_free);
    step->chats = g_ptr_array_new_with_free_func(g_free);
    ajar_context_dialog_open(ajar, step, (GDestroyNotify)step_destroy);
    return step;
}

void
ajar_review_step_free(ReviewStep *step)
{
    ajar_context_dialog_done(step->ajar, step);
}

void
ajar_review_step_set_person(ReviewStep *step, PurpleAccount *account, const char *buddy)
{
    if (account == NULL || buddy == NULL)
        return;
    step->account_name = g_strdup(purple_account_get_username(account));
    step->protocol = g_strdup(purple_account_get_protocol_id(account));
    step->buddy = g_strdup(buddy);
}

PurpleAccount *
ajar_review_step_person(ReviewStep *step, const char **buddy)
{
    PurpleAccount *account = step->account_name != NULL
                                 ? purple_accounts_find(step->account_name, step->protocol)
                                 : NULL;

    *buddy = account != NULL ? step->buddy : NULL;
    return account;
}

const char *
ajar_review_step_key(ReviewStep *step, const char *label)
{
    for (guint i = 0; i < step->labels->len; i++) {
        if (g_strcmp0(g_ptr_array_index(step->labels, i), label) == 0)
            return g_ptr_array_index(step->keys, i);
    }
    return NULL;
}

const char *
ajar_review_step_chat(ReviewStep *step, const char *label)
{
    for (guint i = 0; i < step->labels->len && i < step->chats->len; i++) {
        if (g_strcmp0(g_ptr_array_index(step->labels, i), label) == 0)
            return g_ptr_array_index(step->chats, i);
    }
    return NULL;
}

void
ajar_review_do_each(AjarPlugin *ajar, GPtrArray *ids, AjarReviewDeed deed, const char *failed_what)
{
    guint failed = 0;
    g_autoptr(GError) first_error = NULL;

    for (guint i = 0; i < ids->len; i++) {
        g_autoptr(GError) error = NULL;

        if (!deed(ajar, g_ptr_array_index(ids, i), &error)) {
            failed++;
            if (first_error == NULL)
                first_error = g_steal_pointer(&error);
        }
    }
    if (failed > 0)
        ajar_context_report(ajar, failed_what, first_error->message);
}

char *
ajar_review_wrap(const char *text)
{
    g_auto(GStrv) lines = ajar_text_wrap(text, AJAR_REVIEW_WRAP_COLUMNS, "");

    return g_strjoinv("\n", lines);
}

void
ajar_review_add_option(PurpleRequestField *field, const char *label, int what, gboolean chosen)
{
    /* The data is the answer (never NULL: libpurple refuses NULL data). */
    purple_request_field_list_add_icon(field, label, NULL, GINT_TO_POINTER(what + 1));
    if (chosen)
        purple_request_field_list_add_selected(field, label);
}

int
ajar_review_get_option(PurpleRequestFields *fields, const char *id, int otherwise)
{
    PurpleRequestField *field = purple_request_fields_get_field(fields, id);
    GList *selected = field != NULL ? purple_request_field_list_get_selected(field) : NULL;

    if (selected == NULL)
        return otherwise;
    return GPOINTER_TO_INT(purple_request_field_list_get_data(field, selected->data)) - 1;
}

/* Short: it goes on a check box line, which must fit 80 columns. */
static const char *
state_word(const AjarItem *item)
{
    if (item->interrupted)
        /* TRANSLATORS: here and below, what became of one kept message, on
         * its check box line after its time ("3. today 21:04, held — are you
         * awake?"); keep them short. */
        return item->dir == AJAR_DIRECTION_OUT ? _("kept unsent, may already have been sent")
                                               : _("held, may already be shown");
    switch (item->state) {
    case AJAR_EVENT_HELD:
        return item->dir == AJAR_DIRECTION_OUT ? _("your unsent letter") : _("held");
    case AJAR_EVENT_ARCHIVED: return _("archived");
    case AJAR_EVENT_READ: return _("archived, read");
    case AJAR_EVENT_DELAYED: return _("delayed");
    case AJAR_EVENT_QUEUED:
        if (item->ask)
            return _("your unsent letter"); /* its "ask" question unanswered */
        return item->quiet ? _("yours, kept for quiet hours") : _("yours, cooling off");
    case AJAR_EVENT_CANCELLED: return _("yours, kept unsent");
    case AJAR_EVENT_DISCARDED: return item->dir == AJAR_DIRECTION_OUT ? _("yours") : "";
    default: return "";
    }
}

/* How many lines of the screen a page's texts and check boxes may fill:
 * Finch's dialog must fit an 80x24 terminal with the task bar, its border,
 * title, the one-line introduction, the "Then" list and the buttons (15
 * lines); Pidgin's scrolls nothing, so a page stays a readable size there
 * too. */
static guint
page_lines(void)
{
    return g_strcmp0(purple_core_get_ui(), "gnt-purple") == 0 ? 8 : 30;
}

char *
ajar_review_page_title(const char *what, guint start, guint shown, guint total)
{
    if (start == 0 && shown == total)
        return g_strdup(what);
    if (shown == 1)
        /* TRANSLATORS: a review page's title: what it shows, then which
         * message of how many (e.g. "Recently discarded (3 of 12)"). */
        return g_strdup_printf(_("%s (%u of %u)"), what, start + 1, total);
    /* TRANSLATORS: a review page's title: what it shows, then the first and
     * last message on it, of how many (e.g. "Kept messages: Sam (1–8 of 12)"). */
    return g_strdup_printf(_("%s (%u–%u of %u)"), what, start + 1, start + shown, total);
}

char *
ajar_review_add_page(ReviewStep *step, PurpleRequestFieldGroup *group, GPtrArray *items,
                     guint start, const char *intro)
{
    /* The introduction also keeps Finch's window wide enough for the
     * options, which it would otherwise cut to the width of the texts. */
    g_autoptr(GString) text = g_string_new(intro);
    g_autoptr(GDateTime) now = g_date_time_new_now_local();
    guint budget = page_lines(), used = 0;

    step->next = 0;
    for (guint i = start; i < items->len; i++) {
        const AjarItem *item = g_ptr_array_index(items, i);
        g_autoptr(GError) text_error = NULL;
        gsize text_len = 0;
        /* Read back from the journal; one that cannot be read is never
         * shown wrong or empty: the page says so in its place. */
        g_autofree char *kept =
            ajar_context_item_text(step->ajar, item, &text_len, NULL, &text_error);
        g_autofree char *unmarked =
            kept != NULL ? ajar_text_from_markup(kept, (gssize)text_len) : NULL;
        /* Shown, not stored: what hides or reorders is a visible mark here;
         * the journal and a release keep the text as it came. */
        g_autofree char *plain =
            kept != NULL
                ? ajar_reveal_text(unmarked, -1)
                : g_strdup_printf("[%s]", _("its text cannot be read back from the journal"));
        g_autofree char *number = g_strdup_printf("%u. ", i + 1);
        g_autofree char *numbered = g_strconcat(number, plain, NULL);
        g_auto(GStrv) lines = ajar_text_wrap(numbered, AJAR_REVIEW_WRAP_COLUMNS, "   ");
        guint cost = g_strv_length(lines) + 1; /* its lines and its check box */
        g_autofree char *time_text = NULL;
        g_autofree char *when = NULL;
        g_autofree char *first = NULL;
        g_autofree char *id = g_strdup_printf("chosen-%u", i + 1); /* no i18n: field id */
        g_autofree char *label = NULL;
        const char *word = state_word(item);

        if (used > 0 && used + cost > budget) {
            step->next = i;
            break;
        }
        /* A text too long for a page alone is cut; the rest is one command
         * away (and in the HTML export). */
        if (cost > budget) {
            g_autofree char *short_id = g_strndup(item->id, 10);
            /* TRANSLATORS: the end of a text too long for the page; %s is the
             * start of the message's id. "ajar show" is a command: keep it. */
            g_autofree char *rest = g_strdup_printf(_("… (all of it: ajar show %s)"), short_id);
            guint count = g_strv_length(lines), keep = budget - 1; /* the last: the note */

            for (guint j = keep - 1; j < count; j++)
                g_free(lines[j]);
            lines[keep - 1] = g_strconcat("   ", rest, NULL); /* indented as its text */
            lines[keep] = NULL;
            cost = budget;
        }
        used += cost;
        if (i == start)
            g_string_append(text, "\n\n");
        for (char **line = lines; *line != NULL; line++)
            g_string_append_printf(text, "%s\n", *line);
        time_text = ajar_format_local_time(item->time, now);
        when = g_strdup_printf("%u. %s%s%s — ", i + 1, time_text, *word != '\0' ? ", " : "", word);
        /* As much of the text as the line has room for. */
        first = ajar_text_first_line(plain,
                                     MAX(AJAR_REVIEW_PREVIEW_MIN_CHARS,
                                         AJAR_REVIEW_LABEL_CHARS - (gint)g_utf8_strlen(when, -1)));
        /* Numbered, so two equal texts at one minute stay two choices. */
        label = g_strconcat(when, first, NULL);
        purple_request_field_group_add_field(group,
                                             purple_request_field_bool_new(id, label, FALSE));
        g_ptr_array_add(step->keys, g_strdup(item->id));
    }
    g_strchomp(text->str);
    return g_string_free(g_steal_pointer(&text), FALSE);
}

GPtrArray *
ajar_review_chosen_ids(ReviewStep *step, PurpleRequestFields *fields)
{
    GPtrArray *ids = g_ptr_array_new_with_free_func(g_free);
    GList *groups = purple_request_fields_get_groups(fields);

    /* The check boxes are "chosen-N", in the order of the page's keys. */
    for (GList *g = groups; g != NULL; g = g->next) {
        guint index = 0;
        for (GList *f = purple_request_field_group_get_fields(g->data); f != NULL; f = f->next) {
            PurpleRequestField *field = f->data;
            if (!g_str_has_prefix(purple_request_field_get_id(field), "chosen-"))
                continue;
            if (index < step->keys->len && purple_request_field_bool_get_value(field))
                g_ptr_array_add(ids, g_strdup(g_ptr_array_index(step->keys, index)));
            index++;
        }
    }
    return ids;
}

void
ajar_review_step_cancel_cb(ReviewStep *step, PurpleRequestFields *fields)
{
    ajar_review_step_free(step);
}
