/* test-language.c — the built ajar.so in Spanish: a user whose Pidgin runs
 * in es_ES.UTF-8 reads Ajar's actions and its review in Spanish (the words
 * of po/es.po), while the journal it writes is the same as in English.
 *
 * The plugin binds its gettext domain to the installed share/locale when it
 * is probed; the test then points the domain at the built catalogues
 * ($AJAR_TEST_LOCALEDIR, build/po), as an installed Ajar would find them. */
#include "review-test-util.h"

#include <libintl.h>
#include <locale.h>

/* po/es.po's words for what the test uses. */
#define ES_REVIEW_ACTION "Revisar mensajes retenidos…"
#define ES_REVIEW_TITLE "Ajar — revisión"
#define ES_RELEASE_ALL "Mostrar todos en la conversación"

static void
test_setup(void)
{
    static const char rules[] = REVIEW_RULES;
    const char *localedir = g_getenv("AJAR_TEST_LOCALEDIR");

    g_assert_nonnull(localedir);
    me();
    ajar_test_write_rules(rules);
    ajar_test_load();
    g_assert_nonnull(bindtextdomain("ajar", localedir));
}

/* Tools ▸ Ajar in Spanish, not a word of English. */
static void
test_actions(void)
{
    GList *actions = plugin()->info->actions(plugin(), NULL);
    guint spanish = 0;

    for (GList *l = actions; l != NULL; l = l->next) {
        const PurplePluginAction *action = l->data;

        g_test_message("action: %s", action->label);
        g_assert_cmpstr(action->label, !=, "Review held messages…");
        spanish += g_strcmp0(action->label, ES_REVIEW_ACTION) == 0;
    }
    g_list_free_full(actions, (GDestroyNotify)purple_plugin_action_free);
    g_assert_cmpuint(spanish, ==, 1);
}

/* Sam's messages are held as in English; the review speaks Spanish; Release
 * all shows them; the journal says "held" and "released", as always. */
static void
test_review(void)
{
    g_autoptr(GPtrArray) first = NULL;
    g_autoptr(GPtrArray) second = NULL;
    g_autoptr(GPtrArray) shown = NULL;
    g_autoptr(GPtrArray) held = NULL;
    TestRequest *request;
    PurpleRequestField *people, *action;
    const char *line, *release_all;
    gint64 seq;

    receive(SAM, "¿estás despierta?");
    receive(SAM, "te echo de menos");
    shown = shown_lines();
    g_assert_cmpuint(shown->len, ==, 0);
    g_clear_pointer(&shown, g_ptr_array_unref);
    held = ids_of(SAM, AJAR_EVENT_HELD);
    g_assert_cmpuint(held->len, ==, 2);

    ajar_test_drain();
    ajar_test_run_action(plugin(), ES_REVIEW_ACTION);
    first = test_client_take_requests();
    g_assert_cmpuint(first->len, ==, 1);
    request = g_ptr_array_index(first, 0);
    g_test_message("step 1: %s / %s / %s / %s", request->title, request->primary,
                   request->secondary ? request->secondary : "", request->ok_text);
    g_assert_cmpstr(request->title, ==, ES_REVIEW_TITLE);
    g_assert_cmpstr(request->primary, ==, "Lo que se guarda");
    g_assert_cmpstr(request->ok_text, ==, "Leer");
    people = purple_request_fields_get_field(request->fields, "person");
    g_assert_nonnull(people);
    line = ajar_test_list_item(people, "Sam: ");
    g_assert_nonnull(line);
    g_test_message("Sam's line: %s", line);
    g_assert_null(strstr(line, " held"));
    g_assert_nonnull(strstr(line, "2 retenidos"));
    purple_request_field_list_clear_selected(people);
    purple_request_field_list_add_selected(people, line);
    g_assert_true(test_client_request_fields_ok(request));

    second = test_client_take_requests();
    g_assert_cmpuint(second->len, ==, 1);
    request = g_ptr_array_index(second, 0);
    g_test_message("step 2: %s\n%s", request->primary, request->secondary);
    g_assert_cmpstr(request->title, ==, ES_REVIEW_TITLE);
    g_assert_nonnull(strstr(request->secondary, "te echo de menos"));
    action = purple_request_fields_get_field(request->fields, "action");
    g_assert_nonnull(action);
    g_assert_null(ajar_test_option_starting(action, "Release all"));
    release_all = ajar_test_option_starting(action, ES_RELEASE_ALL);
    g_assert_nonnull(release_all);
    seq = ajar_test_last_seq();
    test_client_fields_pick(request, "action", release_all);
    g_assert_true(test_client_request_fields_ok(request));

    shown = shown_lines();
    g_assert_cmpuint(shown->len, ==, 2);
    g_assert_cmpstr(g_ptr_array_index(shown, 0), ==, "¿estás despierta?");
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_RELEASED), ==, 2);
    for (guint i = 0; i < held->len; i++)
        g_assert_cmpint(ajar_test_item_state(g_ptr_array_index(held, i)), ==, AJAR_EVENT_RELEASED);
    test_client_close_im(me(), SAM);
}

int
main(int argc, char **argv)
{
    int status;

    /* As Pidgin and Finch do: the user's locale (es_ES.UTF-8, from meson). */
    g_assert_nonnull(setlocale(LC_ALL, ""));
    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    g_test_add_func("/plugin/language/setup", test_setup);
    g_test_add_func("/plugin/language/actions", test_actions);
    g_test_add_func("/plugin/language/review", test_review);
    status = g_test_run();

    test_client_quit();
    test_client_cleanup();
    return status;
}
