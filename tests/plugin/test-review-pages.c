/* test-review-pages.c — the review's second step with more messages than a
 * screen holds: pages that fit the UI in use (Finch: an 80x24 terminal),
 * "Show the next messages", "Release all" over every page, and a text too
 * long for a page. Runs twice, as Pidgin and as Finch number and size
 * things (review-pages, review-pages-finch). */
#include "review-test-util.h"

static void
test_setup(void)
{
    static const char rules[] = REVIEW_RULES;

    me();
    ajar_test_write_rules(rules);
    ajar_test_load();
    /* Max's first held message, as test-review.c's markup case leaves it. */
    receive(MAX_BUDDY, MARKUP);
}

/* Many messages come in pages that fit the screen (Finch: 10 lines of
 * texts and check boxes; elsewhere 30), "Show the next messages" pages on,
 * "Release all" takes every page, and a text too long for a page is cut
 * with where to read the rest. */
static void
test_pages(void)
{
    gboolean finch = g_strcmp0(purple_core_get_ui(), "gnt-purple") == 0;
    guint per_page = finch ? 4 : 15; /* each: one text line and a check box */
    g_autoptr(GString) long_text = g_string_new(NULL);
    g_autoptr(GPtrArray) step = NULL;
    guint start = 0;

    for (guint i = 1; i <= 12; i++) {
        g_autofree char *text = g_strdup_printf("page message %u", i);
        receive(MAX_BUDDY, text);
    }
    for (guint i = 0; i < 200; i++)
        g_string_append(long_text, "a long letter ");
    receive(MAX_BUDDY, long_text->str);
    /* Max had one held already (the set-up's): 14 in all. */
    step = read_person("Max: 14 held");
    for (;;) {
        TestRequest *request = g_ptr_array_index(step, 0);
        g_autoptr(GPtrArray) boxes = ajar_test_review_boxes(request);
        PurpleRequestField *action = purple_request_fields_get_field(request->fields, "action");
        guint lines;
        g_auto(GStrv) text_lines = g_strsplit(request->secondary, "\n", -1);
        g_autofree char *title = NULL;

        /* The texts after the one-line introduction and its blank line. */
        lines = boxes->len + g_strv_length(text_lines) - 2;
        g_test_message("%s: %u messages, %u lines", request->primary, boxes->len, lines);
        g_assert_cmpstr(text_lines[0], ==,
                        "Tick the messages, then choose below what to do with them.");
        g_assert_cmpuint(lines, <=, finch ? 8 : 30);
        g_assert_cmpuint(boxes->len, >=, 1);
        title = boxes->len == 1 ? g_strdup_printf("Kept messages: Max (%u of 14)", start + 1)
                                : g_strdup_printf("Kept messages: Max (%u–%u of 14)", start + 1,
                                                  start + boxes->len);
        g_assert_cmpstr(request->primary, ==, title);
        if (start + boxes->len < 13)
            g_assert_cmpuint(boxes->len, ==, MIN(per_page, 13 - start));
        start += boxes->len;
        if (start == 14) {
            /* The long one is alone on the last page, cut. */
            g_assert_cmpuint(boxes->len, ==, 1);
            g_assert_nonnull(strstr(request->secondary, "… (all of it: ajar show 01"));
            g_assert_null(ajar_test_option_starting(action, "Show the next messages"));
            break;
        }
        g_assert_nonnull(ajar_test_option_starting(action, "Show the next messages"));
        answer(step, NULL, "Show the next messages");
        g_clear_pointer(&step, g_ptr_array_unref);
        step = test_client_take_requests();
        g_assert_cmpuint(step->len, ==, 1);
    }
    /* From the last page, all of Max's: every page. */
    answer(step, NULL, "Release all");
    g_assert_cmpuint(ajar_test_count_and_free(shown_lines()), ==, 14);
    test_client_close_im(me(), MAX_BUDDY);
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    g_test_add_func("/plugin/review-pages/setup", test_setup);
    g_test_add_func("/plugin/review-pages/pages", test_pages);
    status = g_test_run();

    test_client_quit();
    test_client_cleanup();
    return status;
}
