/* test-review.c — "Review held messages…": counts first, the messages on the
 * next step as plain text, then release, discard or keep, as a user of the
 * built ajar.so would do it through libpurple's request API.
 *
 * The cases share one libpurple core and run in order, with flat paths (see
 * test-harness.c): what one case leaves kept, the next one finds. Pages of
 * many messages: test-review-pages.c. */
#include "review-test-util.h"

static void
test_setup(void)
{
    static const char rules[] = REVIEW_RULES;
    GList *actions;
    guint review = 0, statistics = 0;

    me();
    ajar_test_write_rules(rules);
    ajar_test_load();
    actions = plugin()->info->actions(plugin(), NULL);
    for (GList *l = actions; l != NULL; l = l->next) {
        const PurplePluginAction *action = l->data;
        review += g_strcmp0(action->label, "Review held messages…") == 0;
        statistics += g_strcmp0(action->label, "Statistics…") == 0;
    }
    g_list_free_full(actions, (GDestroyNotify)purple_plugin_action_free);
    g_assert_cmpuint(review, ==, 1);
    g_assert_cmpuint(statistics, ==, 1);
}

static void
test_nothing_kept(void)
{
    g_autoptr(GPtrArray) requests = NULL;
    g_autoptr(GPtrArray) notices = NULL;

    ajar_test_drain();
    ajar_test_run_action(plugin(), "Review held messages…");
    requests = test_client_take_requests();
    notices = test_client_take_notices();
    g_assert_cmpuint(requests->len, ==, 0);
    g_assert_cmpuint(notices->len, ==, 1);
    g_assert_cmpstr(((TestNotice *)g_ptr_array_index(notices, 0))->primary, ==,
                    "Nothing is being kept.");
}

static void
test_first_step_counts(void)
{
    g_autoptr(GPtrArray) step = NULL;
    TestRequest *request;
    PurpleRequestField *people;
    gint64 seq;

    receive(SAM, "Sam's first secret");
    receive(SAM "/phone", "Sam's second secret");
    receive(ALEX, "Alex's secret gift");
    receive(MAX_BUDDY, MARKUP);
    seq = ajar_test_last_seq();

    step = open_review();
    request = g_ptr_array_index(step, 0);
    people = purple_request_fields_get_field(request->fields, "person");
    g_assert_nonnull(people);
    for (GList *l = purple_request_field_list_get_items(people); l != NULL; l = l->next) {
        const char *label = l->data;
        g_test_message("first step: %s", label);
        g_assert_true(g_str_has_suffix(label, " ago"));
        g_assert_null(strstr(label, "secret"));
        g_assert_null(strstr(label, "link"));
    }
    g_assert_nonnull(ajar_test_list_item(people, "Sam: 2 held, 0 archived unread, newest "));
    g_assert_nonnull(ajar_test_list_item(people, "Alex: 0 held, 1 archived unread, newest "));
    g_assert_nonnull(ajar_test_list_item(people, "Max: 1 held, "));
    g_assert_null(strstr(request->primary, "secret"));
    g_assert_true(request->secondary == NULL || strstr(request->secondary, "secret") == NULL);

    /* "Not now": nothing changes, nothing is marked read. */
    test_client_request_cancel(request);
    g_assert_cmpint(ajar_test_last_seq(), ==, seq);
}

static void
test_archived_read(void)
{
    g_autoptr(GPtrArray) ids = ids_of(ALEX, AJAR_EVENT_ARCHIVED);
    g_autoptr(GPtrArray) step = NULL;
    g_autoptr(GPtrArray) shown = NULL;
    gint64 seq = ajar_test_last_seq();

    g_assert_cmpuint(ids->len, ==, 1);
    g_assert_cmpint(ajar_test_item_state(g_ptr_array_index(ids, 0)), ==, AJAR_EVENT_ARCHIVED);
    step = read_person("Alex: ");
    g_assert_nonnull(strstr(content(step), "Alex's secret gift"));
    /* Shown is read. */
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_READ), ==, 1);
    g_assert_cmpint(ajar_test_item_state(g_ptr_array_index(ids, 0)), ==, AJAR_EVENT_READ);
    answer(step, NULL, "Keep them for now");
    shown = shown_lines();
    g_assert_cmpuint(shown->len, ==, 0);
    g_assert_cmpint(ajar_test_item_state(g_ptr_array_index(ids, 0)), ==, AJAR_EVENT_READ);
}

static void
test_markup_plain(void)
{
    gint64 seq = ajar_test_last_seq();
    g_autoptr(GPtrArray) step = read_person("Max: ");
    TestRequest *request = g_ptr_array_index(step, 0);
    g_autoptr(GPtrArray) boxes = ajar_test_review_boxes(request);
    const char *text = content(step);

    g_test_message("content: %s", text);
    /* No tags to style or fetch anything; the address shows as text. */
    g_assert_null(strstr(text, "<b>"));
    g_assert_null(strstr(text, "<a "));
    g_assert_null(strstr(text, "href"));
    g_assert_null(strstr(text, "&amp;"));
    g_assert_nonnull(strstr(text, "hi & link"));
    g_assert_cmpuint(boxes->len, ==, 1);
    for (guint i = 0; i < boxes->len; i++) {
        const char *label = purple_request_field_get_label(g_ptr_array_index(boxes, i));
        g_assert_null(strstr(label, "<b>"));
        g_assert_null(strstr(label, "href"));
        g_assert_nonnull(strstr(label, "hi & link"));
    }
    test_client_request_cancel(request);
    g_assert_cmpint(ajar_test_last_seq(), ==, seq); /* reading a held message changes nothing */
}

static void
test_keep(void)
{
    g_autoptr(GPtrArray) step = read_person("Sam: ");
    g_autoptr(GPtrArray) shown = NULL;
    gint64 seq = ajar_test_last_seq();

    g_assert_nonnull(strstr(content(step), "Sam's first secret"));
    g_assert_nonnull(strstr(content(step), "Sam's second secret"));
    answer(step, (const char *const[]){ "first secret", NULL }, "Keep them for now");
    shown = shown_lines();
    g_assert_cmpuint(shown->len, ==, 0);
    g_assert_cmpint(ajar_test_last_seq(), ==, seq);
}

static void
test_release_chosen(void)
{
    g_autoptr(GPtrArray) ids = ids_of(SAM, AJAR_EVENT_HELD);
    g_autoptr(GPtrArray) step = read_person("Sam: ");
    g_autoptr(GPtrArray) shown = NULL;
    g_autoptr(GPtrArray) opened = NULL;

    g_assert_cmpuint(ids->len, ==, 2);
    answer(step, (const char *const[]){ "first secret", NULL }, "Release the chosen");
    shown = shown_lines();
    g_assert_cmpuint(shown->len, ==, 1);
    g_assert_cmpstr(g_ptr_array_index(shown, 0), ==, "Sam's first secret");
    opened = test_client_take_opened();
    g_assert_cmpuint(opened->len, ==, 1);
    g_assert_cmpint(ajar_test_item_state(g_ptr_array_index(ids, 0)), ==, AJAR_EVENT_RELEASED);
    g_assert_cmpint(ajar_test_item_state(g_ptr_array_index(ids, 1)), ==, AJAR_EVENT_HELD);
}

static void
test_discard_chosen(void)
{
    g_autoptr(GPtrArray) ids = ids_of(SAM, AJAR_EVENT_HELD);
    g_autoptr(GPtrArray) step = read_person("Sam: 1 held");
    g_autoptr(GPtrArray) shown = NULL;

    g_assert_null(strstr(content(step), "first secret")); /* released: no longer kept */
    answer(step, (const char *const[]){ "second secret", NULL }, "Discard the chosen");
    /* A discard asks once more; this test says yes (test_discard_asks()
     * covers the question itself). */
    confirm_discard("Discard 1 message from Sam?", "Discard");
    shown = shown_lines();
    g_assert_cmpuint(shown->len, ==, 0);
    g_assert_cmpint(ajar_test_item_state(g_ptr_array_index(ids, 1)), ==, AJAR_EVENT_DISCARDED);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_DISCARDED, g_ptr_array_index(ids, 1)), ==,
                     1);
}

static void
test_release_all(void)
{
    g_autoptr(GPtrArray) step = NULL;
    g_autoptr(GPtrArray) shown = NULL;
    gint64 seq;

    test_client_close_im(me(), SAM);
    receive(SAM, "Sam's third");
    receive(SAM, "Sam's fourth");
    seq = ajar_test_last_seq();
    step = read_person("Sam: 2 held");
    answer(step, NULL, "Release all");
    shown = shown_lines();
    g_assert_cmpuint(shown->len, ==, 2);
    g_assert_cmpstr(g_ptr_array_index(shown, 0), ==, "Sam's third");
    g_assert_cmpstr(g_ptr_array_index(shown, 1), ==, "Sam's fourth");
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_RELEASED), ==, 2);

    /* Alex's and Max's are still kept; Sam has nothing left. */
    g_clear_pointer(&step, g_ptr_array_unref);
    step = open_review();
    {
        TestRequest *request = g_ptr_array_index(step, 0);
        PurpleRequestField *people = purple_request_fields_get_field(request->fields, "person");
        g_assert_null(ajar_test_list_item(people, "Sam: "));
        g_assert_nonnull(ajar_test_list_item(people, "Alex: 0 held, 0 archived unread, 1 "));
        g_assert_nonnull(ajar_test_list_item(people, "Max: 1 held"));
        test_client_request_cancel(request);
    }
}

/* /ajar status in Alex's window counts the archived message test_archived_read()
 * read: it is still kept. */
static void
test_status_counts_read_archive(void)
{
    g_autoptr(GPtrArray) lines = NULL;
    const char *text;

    ajar_test_drain();
    g_assert_cmpint(test_client_command(me(), ALEX, "ajar status"), ==, PURPLE_CMD_STATUS_OK);
    lines = test_client_take_lines();
    g_assert_cmpuint(lines->len, ==, 1);
    text = ((TestLine *)g_ptr_array_index(lines, 0))->message;
    g_test_message("status: %s", text);
    g_assert_nonnull(strstr(text, "Ajar (Alex)"));
    g_assert_nonnull(strstr(text, "1 archived"));
    g_assert_null(strstr(text, "secret gift"));
    test_client_close_im(me(), ALEX);
}

/* Nothing ticked: "Release the chosen" and "Discard the chosen" change
 * nothing and say so. */
static void
test_nothing_chosen(void)
{
    g_autoptr(GPtrArray) step = NULL;
    g_autoptr(GPtrArray) notices = NULL;
    gint64 seq;

    test_client_close_im(me(), SAM);
    receive(SAM, "Sam's fifth");
    seq = ajar_test_last_seq();
    for (guint round = 0; round < 2; round++) {
        step = read_person("Sam: 1 held");
        answer(step, NULL, round == 0 ? "Release the chosen" : "Discard the chosen");
        g_clear_pointer(&step, g_ptr_array_unref);
        notices = test_client_take_notices();
        g_assert_cmpuint(notices->len, ==, 1);
        g_assert_cmpstr(((TestNotice *)g_ptr_array_index(notices, 0))->primary, ==,
                        "No message was chosen, so nothing changed.");
        g_clear_pointer(&notices, g_ptr_array_unref);
        g_assert_cmpuint(ajar_test_count_and_free(test_client_take_requests()), ==, 0);
        g_assert_cmpuint(ajar_test_count_and_free(shown_lines()), ==, 0);
        g_assert_cmpint(ajar_test_last_seq(), ==, seq);
    }
}

/* "Discard the chosen" asks once more; only "Discard" discards. "Keep
 * them" (the default) and closing the question keep the message. */
static void
test_discard_asks(void)
{
    g_autofree char *id = sam_id("Sam's fifth");
    g_autoptr(GPtrArray) step = NULL;
    g_autoptr(GPtrArray) asked = NULL;
    gint64 seq = ajar_test_last_seq();

    step = read_person("Sam: 1 held");
    answer(step, (const char *const[]){ "fifth", NULL }, "Discard the chosen");
    confirm_discard("Discard 1 message from Sam?", "Keep them");
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_HELD);
    g_assert_cmpint(ajar_test_last_seq(), ==, seq);

    g_clear_pointer(&step, g_ptr_array_unref);
    step = read_person("Sam: 1 held");
    answer(step, (const char *const[]){ "fifth", NULL }, "Discard the chosen");
    asked = test_client_take_requests();
    g_assert_cmpuint(asked->len, ==, 1);
    test_client_request_cancel(g_ptr_array_index(asked, 0)); /* the window closed */
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_HELD);
    g_assert_cmpint(ajar_test_last_seq(), ==, seq);

    g_clear_pointer(&step, g_ptr_array_unref);
    step = read_person("Sam: 1 held");
    answer(step, (const char *const[]){ "fifth", NULL }, "Discard the chosen");
    confirm_discard("Discard 1 message from Sam?", "Discard");
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_DISCARDED);
    g_assert_cmpuint(ajar_test_count_and_free(shown_lines()), ==, 0);
}

/* Review ▸ Recently discarded: the texts, and "Bring back the chosen"
 * journals "restored"; the message is held again, the other stays gone. */
static void
test_recently_discarded(void)
{
    g_autofree char *fifth = sam_id("Sam's fifth");
    g_autofree char *second = sam_id("Sam's second secret");
    g_autoptr(GPtrArray) step = NULL;
    TestRequest *request;
    PurpleRequestField *action;
    gint64 seq = ajar_test_last_seq();

    g_assert_cmpint(ajar_test_item_state(second), ==, AJAR_EVENT_DISCARDED);
    step = read_person("Recently discarded: 2, newest ");
    request = g_ptr_array_index(step, 0);
    g_assert_nonnull(strstr(content(step), "Sam's fifth"));
    g_assert_nonnull(strstr(content(step), "Sam's second secret"));
    /* Opening it changes nothing; leaving them is the default. */
    g_assert_cmpint(ajar_test_last_seq(), ==, seq);
    action = purple_request_fields_get_field(request->fields, "action");
    g_assert_cmpstr(purple_request_field_list_get_selected(action)->data, ==,
                    "Leave them discarded");
    answer(step, (const char *const[]){ "fifth", NULL }, "Bring back the chosen");
    g_assert_cmpint(ajar_test_item_state(fifth), ==, AJAR_EVENT_HELD);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_RESTORED, fifth), ==, 1);
    g_assert_cmpint(ajar_test_item_state(second), ==, AJAR_EVENT_DISCARDED);
    g_assert_cmpuint(ajar_test_count_and_free(shown_lines()), ==, 0);

    /* It is one of Sam's kept messages again. */
    g_clear_pointer(&step, g_ptr_array_unref);
    step = read_person("Sam: 1 held");
    g_assert_nonnull(strstr(content(step), "Sam's fifth"));
    test_client_request_cancel(g_ptr_array_index(step, 0));
}

/* /ajar undiscard: lists ids and times (never the text), brings one back
 * by its id, and refuses an id it does not know without changing anything. */
static void
test_undiscard_command(void)
{
    g_autofree char *second = sam_id("Sam's second secret");
    g_autofree char *prefix = g_strndup(second, 10);
    g_autoptr(GPtrArray) lines = NULL;
    const char *text;
    gint64 seq;

    ajar_test_drain();
    g_assert_cmpint(test_client_command(me(), SAM, "ajar undiscard"), ==, PURPLE_CMD_STATUS_OK);
    lines = test_client_take_lines();
    g_assert_cmpuint(lines->len, ==, 1);
    text = ((TestLine *)g_ptr_array_index(lines, 0))->message;
    g_test_message("undiscard: %s", text);
    g_assert_nonnull(strstr(text, prefix));
    g_assert_null(strstr(text, "secret"));
    g_clear_pointer(&lines, g_ptr_array_unref);

    seq = ajar_test_last_seq();
    g_assert_cmpint(test_client_command(me(), SAM, "ajar undiscard 0000000000"), ==,
                    PURPLE_CMD_STATUS_FAILED);
    g_assert_cmpint(ajar_test_last_seq(), ==, seq);
    lines = test_client_take_lines();
    g_assert_cmpuint(lines->len, ==, 1);
    g_assert_nonnull(strstr(((TestLine *)g_ptr_array_index(lines, 0))->message,
                            "No message discarded here lately has the id 0000000000."));
    g_clear_pointer(&lines, g_ptr_array_unref);

    {
        g_autofree char *command = g_strdup_printf("ajar undiscard %s", prefix);
        g_assert_cmpint(test_client_command(me(), SAM, command), ==, PURPLE_CMD_STATUS_OK);
    }
    g_assert_cmpint(ajar_test_item_state(second), ==, AJAR_EVENT_HELD);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_RESTORED, second), ==, 1);
    lines = test_client_take_lines();
    g_assert_cmpuint(lines->len, ==, 1);
    g_assert_cmpstr(((TestLine *)g_ptr_array_index(lines, 0))->message, ==,
                    "Ajar: 1 message brought back; it is kept again.");
    test_client_close_im(me(), SAM);
}

/* /ajar review in a person's window: their kept messages and what of
 * theirs was discarded lately, nobody else's. */
static void
test_review_for_one_person(void)
{
    g_autoptr(GPtrArray) step = read_person("Sam: 2 held");
    g_autoptr(GPtrArray) first = NULL;
    PurpleRequestField *people;

    answer(step, (const char *const[]){ "fifth", NULL }, "Discard the chosen");
    confirm_discard("Discard 1 message from Sam?", "Discard");

    first = review_in_window(ALEX);
    people = purple_request_fields_get_field(((TestRequest *)g_ptr_array_index(first, 0))->fields,
                                             "person");
    g_assert_nonnull(ajar_test_list_item(people, "Alex: "));
    g_assert_null(ajar_test_list_item(people, "Recently discarded"));
    g_assert_null(ajar_test_list_item(people, "Sam: "));
    test_client_request_cancel(g_ptr_array_index(first, 0));
    g_clear_pointer(&first, g_ptr_array_unref);

    first = review_in_window(SAM);
    people = purple_request_fields_get_field(((TestRequest *)g_ptr_array_index(first, 0))->fields,
                                             "person");
    g_assert_nonnull(ajar_test_list_item(people, "Sam: 1 held"));
    g_assert_nonnull(ajar_test_list_item(people, "Recently discarded: 1, newest "));
    g_assert_null(ajar_test_list_item(people, "Alex: "));
    test_client_request_cancel(g_ptr_array_index(first, 0));
    test_client_close_im(me(), SAM);
    test_client_close_im(me(), ALEX);
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    g_test_add_func("/plugin/review/setup", test_setup);
    g_test_add_func("/plugin/review/nothing-kept", test_nothing_kept);
    g_test_add_func("/plugin/review/first-step-counts", test_first_step_counts);
    g_test_add_func("/plugin/review/archived-read", test_archived_read);
    g_test_add_func("/plugin/review/markup-plain", test_markup_plain);
    g_test_add_func("/plugin/review/keep", test_keep);
    g_test_add_func("/plugin/review/release-chosen", test_release_chosen);
    g_test_add_func("/plugin/review/discard-chosen", test_discard_chosen);
    g_test_add_func("/plugin/review/release-all", test_release_all);
    g_test_add_func("/plugin/review/status-counts-read-archive", test_status_counts_read_archive);
    g_test_add_func("/plugin/review/nothing-chosen", test_nothing_chosen);
    g_test_add_func("/plugin/review/discard-asks", test_discard_asks);
    g_test_add_func("/plugin/review/recently-discarded", test_recently_discarded);
    g_test_add_func("/plugin/review/undiscard-command", test_undiscard_command);
    g_test_add_func("/plugin/review/for-one-person", test_review_for_one_person);
    status = g_test_run();

    test_client_quit();
    test_client_cleanup();
    return status;
}
