/* review-test-util.h — what the review's test binaries share (test-review.c,
 * test-review-pages.c): who is who, the rules, and a person's steps through
 * the review as libpurple's request API shows them. */
#ifndef AJAR_REVIEW_TEST_UTIL_H
#define AJAR_REVIEW_TEST_UTIL_H

#include "ajar-test-util.h"

#include <string.h>

#include <core.h>

#define ME "me@example.org/Home"
#define SAM "sam@example.org"
#define ALEX "alex@example.org"
#define MAX_BUDDY "max@example.org"
/* Sam's messages are held, Alex's archived, Max's held. */
#define REVIEW_RULES                                                                               \
    "{\"version\": 1, \"rules\": ["                                                                \
    "{\"name\": \"Sam\", \"match\": [{\"buddy\": \"" SAM "\"}], \"incoming\": {\"action\": "       \
    "\"hold\"}},"                                                                                  \
    "{\"name\": \"Alex\", \"match\": [{\"buddy\": \"" ALEX "\"}], \"incoming\": {\"action\": "     \
    "\"archive\"}},"                                                                               \
    "{\"name\": \"Max\", \"match\": [{\"buddy\": \"" MAX_BUDDY "\"}], \"incoming\": {\"action\": " \
    "\"hold\"}}], \"settings\": {\"notify\": \"count\"}}\n"

#define MARKUP "<b>hi</b> &amp; <a href='http://x.example/'>link</a>"

static inline PurpleAccount *
me(void)
{
    return ajar_test_account(ME);
}

static inline PurplePlugin *
plugin(void)
{
    return ajar_test_plugin();
}

/* Returns: (transfer full): the ids of @who's custody events of @type. */
static inline GPtrArray *
ids_of(const char *who, AjarEventType type)
{
    g_autoptr(GPtrArray) events = ajar_test_events_since(0, type, NULL);
    GPtrArray *ids = g_ptr_array_new_with_free_func(g_free);

    for (guint i = 0; i < events->len; i++) {
        const AjarEvent *event = g_ptr_array_index(events, i);
        if (event->buddy != NULL && g_str_has_prefix(event->buddy, who))
            g_ptr_array_add(ids, g_strdup(event->id));
    }
    return ids;
}

static inline void
receive(const char *who, const char *text)
{
    test_client_receive(me(), who, text, 0, time(NULL));
    test_client_iterate(100);
}

/* Runs the plugin action. Returns: (transfer full): the one dialog shown. */
static inline GPtrArray *
open_review(void)
{
    g_autoptr(GPtrArray) requests = NULL;

    ajar_test_drain();
    ajar_test_run_action(plugin(), "Review held messages…");
    requests = test_client_take_requests();
    g_assert_cmpuint(requests->len, ==, 1);
    g_assert_cmpint(((TestRequest *)g_ptr_array_index(requests, 0))->type, ==,
                    PURPLE_REQUEST_FIELDS);
    return g_steal_pointer(&requests);
}

/* In the first step, chooses the person whose line starts with @prefix and
 * presses "Read". Returns: (transfer full): the second step. */
static inline GPtrArray *
read_person(const char *prefix)
{
    ajar_test_drain();
    return ajar_test_review_read(prefix, NULL);
}

/* The second step's texts: plain, under the dialog's title. */
static inline const char *
content(GPtrArray *step)
{
    TestRequest *request = g_ptr_array_index(step, 0);

    g_assert_nonnull(request->secondary);
    return request->secondary;
}

/* In the second step, ticks the messages whose labels contain @chosen (NULL-
 * terminated), picks the action starting with @then as the UI in use would
 * record it (test_client_fields_pick()) and presses OK. */
static inline void
answer(GPtrArray *step, const char *const *chosen, const char *then)
{
    TestRequest *request = g_ptr_array_index(step, 0);
    PurpleRequestField *action = purple_request_fields_get_field(request->fields, "action");
    const char *option;

    g_assert_nonnull(action);
    for (const char *const *want = chosen; want != NULL && *want != NULL; want++)
        ajar_test_review_tick(request, *want);
    option = ajar_test_option_starting(action, then);
    g_assert_nonnull(option);
    test_client_fields_pick(request, "action", option);
    g_assert_true(test_client_request_fields_ok(request));
}

/* Returns: (transfer full): the received lines shown since the last drain. */
static inline GPtrArray *
shown_lines(void)
{
    g_autoptr(GPtrArray) lines = test_client_take_lines();
    GPtrArray *received = g_ptr_array_new_with_free_func(g_free);

    for (guint i = 0; i < lines->len; i++) {
        TestLine *line = g_ptr_array_index(lines, i);
        if (line->flags & PURPLE_MESSAGE_RECV)
            g_ptr_array_add(received, g_strdup(line->message));
    }
    return received;
}

/* Answers the "Discard?" question that should be the one dialog open now
 * with the button labelled @button. */
static inline void
confirm_discard(const char *question, const char *button)
{
    g_autoptr(GPtrArray) asked = test_client_take_requests();
    TestRequest *request;

    g_assert_cmpuint(asked->len, ==, 1);
    request = g_ptr_array_index(asked, 0);
    g_assert_cmpint(request->type, ==, PURPLE_REQUEST_ACTION);
    g_assert_cmpstr(request->primary, ==, question);
    g_assert_nonnull(strstr(request->secondary, "until it is compacted"));
    /* The default keeps them. */
    g_assert_cmpstr(g_ptr_array_index(request->labels, request->default_action), ==, "Keep them");
    test_client_request_answer(request, test_client_request_find_action(request, button));
}

/* The id of Sam's kept or discarded message whose text is @text. */
static inline char *
sam_id(const char *text)
{
    g_autoptr(GPtrArray) events = ajar_test_events_since(0, AJAR_EVENT_HELD, NULL);

    for (guint i = 0; i < events->len; i++) {
        const AjarEvent *event = g_ptr_array_index(events, i);
        if (g_strcmp0(event->text, text) == 0)
            return g_strdup(event->id);
    }
    g_error("no held message \"%s\"", text);
}

/* Returns: (transfer full): the first step /ajar review opens in @who's
 * window; "person" lists what it shows. */
static inline GPtrArray *
review_in_window(const char *who)
{
    GPtrArray *requests;

    ajar_test_drain();
    g_assert_cmpint(test_client_command(me(), who, "ajar review"), ==, PURPLE_CMD_STATUS_OK);
    requests = test_client_take_requests();
    g_assert_cmpuint(requests->len, ==, 1);
    return requests;
}

#endif /* AJAR_REVIEW_TEST_UTIL_H */
