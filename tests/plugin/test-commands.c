/* test-commands.c — every /ajar subcommand, typed in an IM window with the
 * person, as a user of the built ajar.so would type it; and wrong ones.
 *
 * The conversation is with Sam (a buddy aliased "Sam", so the rule a command
 * makes is named "Sam"). The cases share one libpurple core and run in order,
 * with flat paths (see test-harness.c): rules changed by one case are what the
 * next one starts from. */
#include "ajar-test-util.h"

#include <string.h>

#include <core.h>

#define ME "me@example.org/Home"
#define SAM "sam@example.org"

static PurpleAccount *
me(void)
{
    return ajar_test_account(ME);
}

/* Runs "/@cmdline" in the open window with Sam. Returns: what libpurple
 * said; *@lines_out (transfer full): the lines the window showed. */
static PurpleCmdStatus
run(const char *cmdline, GPtrArray **lines_out)
{
    PurpleCmdStatus status;

    ajar_test_drain();
    status = test_client_command(me(), SAM, cmdline);
    test_client_iterate(100);
    *lines_out = test_client_take_lines();
    for (guint i = 0; i < (*lines_out)->len; i++)
        g_test_message("/%s -> %s", cmdline,
                       ((TestLine *)g_ptr_array_index(*lines_out, i))->message);
    return status;
}

/* Runs a command that must succeed and show one line containing @says. */
static void
run_ok(const char *cmdline, const char *says)
{
    g_autoptr(GPtrArray) lines = NULL;

    g_assert_cmpint(run(cmdline, &lines), ==, PURPLE_CMD_STATUS_OK);
    g_assert_cmpuint(ajar_test_count_lines_with(lines, says), ==, 1);
}

/* Returns: (transfer none): the one rule in rules.json (re-read), or NULL if
 * it has none. @rules_out keeps it alive. */
static const AjarRule *
only_rule(AjarRuleSet **rules_out)
{
    *rules_out = ajar_test_parse_rules();
    g_assert_cmpuint(ajar_rules_get_count(*rules_out), <=, 1);
    return ajar_rules_get_count(*rules_out) == 1 ? ajar_rules_get_rule(*rules_out, 0) : NULL;
}

/* Ids of the journal's custody events of @type after @seq, oldest first. */
static GPtrArray *
ids_since(gint64 seq, AjarEventType type)
{
    g_autoptr(GPtrArray) events = ajar_test_events_since(seq, type, NULL);
    GPtrArray *ids = g_ptr_array_new_with_free_func(g_free);

    for (guint i = 0; i < events->len; i++)
        g_ptr_array_add(ids, g_strdup(((AjarEvent *)g_ptr_array_index(events, i))->id));
    return ids;
}

/* The shortest beginning (at least 10 characters) of @id no other message
 * in the journal shares, as `ajar list` shows it. Transfer full. */
static char *
short_id(const char *id)
{
    g_autoptr(AjarState) state = ajar_test_read_state();
    g_autoptr(GPtrArray) items = ajar_state_list(state);

    for (gsize len = 10; len < strlen(id); len++) {
        gboolean unique = TRUE;
        for (guint i = 0; i < items->len && unique; i++) {
            const AjarItem *item = g_ptr_array_index(items, i);
            unique = strcmp(item->id, id) == 0 || strncmp(item->id, id, len) != 0;
        }
        if (unique)
            return g_strndup(id, len);
    }
    return g_strdup(id);
}

static void
test_setup(void)
{
    test_client_add_buddy(me(), SAM, "Sam", NULL);
    ajar_test_load();
    test_client_open_im(me(), SAM);
    g_assert_null(ajar_test_read_rules());
}

static void
test_help(void)
{
    static const char *const subcommands[] = { "/ajar status", "/ajar hold",    "/ajar archive",
                                               "/ajar delay",  "/ajar pass",    "/ajar cooloff",
                                               "/ajar review", "/ajar release", "/ajar cancel",
                                               "/ajar send",   "/ajar help" };
    g_autoptr(GPtrArray) lines = NULL;
    const char *text;

    g_assert_cmpint(run("ajar help", &lines), ==, PURPLE_CMD_STATUS_OK);
    g_assert_cmpuint(lines->len, ==, 1);
    text = ((TestLine *)g_ptr_array_index(lines, 0))->message;
    for (gsize i = 0; i < G_N_ELEMENTS(subcommands); i++) {
        if (strstr(text, subcommands[i]) == NULL)
            g_error("/ajar help does not mention %s", subcommands[i]);
    }
    g_assert_null(ajar_test_read_rules());
}

static void
test_status(void)
{
    run_ok("ajar", "Ajar: nothing is filtered for this person.");
    run_ok("ajar status", "Ajar: nothing is filtered for this person.");
    g_assert_null(ajar_test_read_rules());
}

static void
test_rule_changes(void)
{
    g_autoptr(AjarRuleSet) rules = NULL;
    const AjarRule *rule;
    gint64 seq = ajar_test_last_seq();

    run_ok("ajar hold", "Ajar: their messages will be held for you.");
    rule = only_rule(&rules);
    g_assert_nonnull(rule);
    g_assert_cmpstr(rule->name, ==, "Sam");
    g_assert_cmpuint(rule->matches->len, ==, 1);
    g_assert_cmpstr(((AjarMatch *)g_ptr_array_index(rule->matches, 0))->buddy, ==, SAM);
    g_assert_cmpint(rule->incoming.action, ==, AJAR_ACTION_HOLD);
    g_assert_cmpint(rule->outgoing.action, ==, AJAR_ACTION_PASS);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_RULES_CHANGED), ==, 1);
    run_ok("ajar status", "Ajar (Sam): their messages are held for you.");

    run_ok("ajar archive", "archived unread");
    g_clear_pointer(&rules, ajar_rules_unref);
    rule = only_rule(&rules);
    g_assert_cmpint(rule->incoming.action, ==, AJAR_ACTION_ARCHIVE);

    run_ok("ajar delay 5", "5 min");
    g_clear_pointer(&rules, ajar_rules_unref);
    rule = only_rule(&rules);
    g_assert_cmpint(rule->incoming.action, ==, AJAR_ACTION_DELAY);
    g_assert_cmpint(rule->incoming.delay_kind, ==, AJAR_DELAY_SECONDS);
    g_assert_cmpint(rule->incoming.seconds, ==, 300);

    /* A daily digest: their messages come at the next 7:30. */
    run_ok("ajar delay 7:30", "once a day, at 07:30");
    g_clear_pointer(&rules, ajar_rules_unref);
    rule = only_rule(&rules);
    g_assert_cmpint(rule->incoming.delay_kind, ==, AJAR_DELAY_AT);
    g_assert_cmpint(rule->incoming.at_minute, ==, 7 * 60 + 30);

    run_ok("ajar delay 5", "5 min");
    g_clear_pointer(&rules, ajar_rules_unref);
    rule = only_rule(&rules);
    g_assert_cmpint(rule->incoming.seconds, ==, 300);

    run_ok("ajar cooloff 10", "10 min");
    g_clear_pointer(&rules, ajar_rules_unref);
    rule = only_rule(&rules);
    g_assert_cmpint(rule->incoming.action, ==, AJAR_ACTION_DELAY); /* left as it was */
    g_assert_cmpint(rule->outgoing.action, ==, AJAR_ACTION_DELAY);
    g_assert_cmpint(rule->outgoing.seconds, ==, 600);

    run_ok("ajar pass", "Ajar: their messages will come through again.");
    g_clear_pointer(&rules, ajar_rules_unref);
    rule = only_rule(&rules);
    g_assert_nonnull(rule);
    g_assert_cmpint(rule->incoming.action, ==, AJAR_ACTION_PASS);
    g_assert_cmpint(rule->outgoing.action, ==, AJAR_ACTION_DELAY);

    /* Nothing left to do for Sam: the rule goes. */
    run_ok("ajar cooloff off", "Ajar: your messages go at once again.");
    g_clear_pointer(&rules, ajar_rules_unref);
    g_assert_null(only_rule(&rules));
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_RULES_CHANGED), ==, 8);
    run_ok("ajar status", "nothing is filtered");
    /* The file monitor sees Ajar's own writes: not changes to journal again. */
    ajar_test_run_for(800);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_RULES_CHANGED), ==, 8);
}

/* Sam's messages are held; @texts arrive. Returns: (transfer full) their ids. */
static GPtrArray *
hold_messages(const char *const *texts)
{
    gint64 seq;

    run_ok("ajar hold", "held for you");
    seq = ajar_test_last_seq();
    for (const char *const *text = texts; *text != NULL; text++)
        test_client_receive(me(), SAM, *text, 0, time(NULL));
    test_client_iterate(100);
    return ids_since(seq, AJAR_EVENT_HELD);
}

static void
test_review(void)
{
    static const char *const texts[] = { "the first secret", "the second secret", NULL };
    /* And two kept before: "five" (test_release()) and test_wrong()'s. */
    g_autoptr(GPtrArray) ids = hold_messages(texts);
    g_autoptr(GPtrArray) lines = NULL;
    g_autoptr(GPtrArray) requests = NULL;
    TestRequest *request;
    PurpleRequestField *people;
    const char *label;

    g_assert_cmpuint(ids->len, ==, 2);
    g_assert_cmpint(run("ajar review", &lines), ==, PURPLE_CMD_STATUS_OK);
    requests = test_client_take_requests();
    g_assert_cmpuint(requests->len, ==, 1);
    request = g_ptr_array_index(requests, 0);
    g_assert_cmpint(request->type, ==, PURPLE_REQUEST_FIELDS);
    people = purple_request_fields_get_field(request->fields, "person");
    g_assert_nonnull(people);
    g_assert_cmpuint(g_list_length(purple_request_field_list_get_items(people)), ==, 1);
    label = ajar_test_list_item(people, "Sam: ");
    g_assert_nonnull(label);
    g_test_message("first step: %s / %s / %s", request->primary, request->secondary, label);
    g_assert_true(g_str_has_prefix(label, "Sam: 4 held"));
    g_assert_true(g_str_has_suffix(label, " ago"));
    /* Counts only: no word of what they wrote. */
    g_assert_null(strstr(label, "secret"));
    g_assert_null(strstr(request->primary, "secret"));
    g_assert_true(request->secondary == NULL || strstr(request->secondary, "secret") == NULL);
    test_client_request_cancel(request);
    g_assert_cmpuint(ajar_test_count_lines_with(lines, "secret"), ==, 0);
}

/* Releases with @cmdline and checks that exactly @texts were shown. */
static void
release_shows(const char *cmdline, const char *const *texts, guint count)
{
    g_autoptr(GPtrArray) lines = NULL;
    gint64 seq = ajar_test_last_seq();
    guint received = 0;

    g_assert_cmpint(run(cmdline, &lines), ==, PURPLE_CMD_STATUS_OK);
    for (guint i = 0; i < lines->len; i++)
        received += (((TestLine *)g_ptr_array_index(lines, i))->flags & PURPLE_MESSAGE_RECV) != 0;
    g_assert_cmpuint(received, ==, count);
    for (guint i = 0; i < count; i++)
        g_assert_cmpuint(ajar_test_count_lines_with(lines, texts[i]), ==, 1);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_RELEASED), ==, count);
}

static void
test_release(void)
{
    static const char *const two[] = { "one", "two", NULL };
    static const char *const more[] = { "three", "four", NULL };
    g_autoptr(GPtrArray) ids = NULL;
    g_autoptr(GPtrArray) lines = NULL;
    g_autofree char *prefix = NULL;
    g_autofree char *cmdline = NULL;

    ids = hold_messages(two);
    release_shows("ajar release", two, 2);
    run_ok("ajar release", "Ajar: nothing of theirs is kept.");

    g_clear_pointer(&ids, g_ptr_array_unref);
    ids = hold_messages(more);
    release_shows("ajar release all", (const char *const[]){ "three", "four" }, 2);

    g_clear_pointer(&ids, g_ptr_array_unref);
    ids = hold_messages((const char *const[]){ "five", "six", NULL });
    prefix = short_id(g_ptr_array_index(ids, 1));
    cmdline = g_strdup_printf("ajar release %s", prefix);
    release_shows(cmdline, (const char *const[]){ "six" }, 1);
    g_assert_cmpint(ajar_test_item_state(g_ptr_array_index(ids, 0)), ==, AJAR_EVENT_HELD);
    g_assert_cmpint(ajar_test_item_state(g_ptr_array_index(ids, 1)), ==, AJAR_EVENT_RELEASED);
    /* Not twice. */
    g_assert_cmpint(run(cmdline, &lines), ==, PURPLE_CMD_STATUS_FAILED);
    g_assert_cmpuint(ajar_test_count_lines_with(lines, "six"), ==, 0);
}

/* Cooling-off on; the user writes @texts. Returns: (transfer full) the ids. */
static GPtrArray *
queue_messages(const char *const *texts)
{
    g_autoptr(GPtrArray) sent = NULL;
    gint64 seq;

    run_ok("ajar cooloff 10", "10 min");
    seq = ajar_test_last_seq();
    for (const char *const *text = texts; *text != NULL; text++)
        test_client_send(me(), SAM, *text);
    sent = test_client_take_sent();
    g_assert_cmpuint(sent->len, ==, 0);
    return ids_since(seq, AJAR_EVENT_QUEUED);
}

static void
test_cancel(void)
{
    g_autoptr(GPtrArray) ids = queue_messages((const char *const[]){ "letter one", NULL });
    g_autoptr(GPtrArray) more = NULL;
    g_autoptr(GPtrArray) last = NULL;
    g_autoptr(GPtrArray) sent = NULL;
    g_autofree char *cmdline = NULL;
    gint64 seq = ajar_test_last_seq();

    g_assert_cmpuint(ids->len, ==, 1);
    run_ok("ajar cancel", "Ajar: 1 message kept unsent.");
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_CANCELLED), ==, 1);
    g_assert_cmpint(ajar_test_item_state(g_ptr_array_index(ids, 0)), ==, AJAR_EVENT_CANCELLED);

    more = queue_messages((const char *const[]){ "letter two", "letter three", NULL });
    g_assert_cmpuint(more->len, ==, 2);
    run_ok("ajar cancel all", "Ajar: 2 messages kept unsent.");
    g_assert_cmpint(ajar_test_item_state(g_ptr_array_index(more, 1)), ==, AJAR_EVENT_CANCELLED);

    last = queue_messages((const char *const[]){ "letter four", "letter five", NULL });
    {
        g_autofree char *prefix = short_id(g_ptr_array_index(last, 0));
        cmdline = g_strdup_printf("ajar cancel %s", prefix);
    }
    run_ok(cmdline, "Ajar: 1 message kept unsent.");
    g_assert_cmpint(ajar_test_item_state(g_ptr_array_index(last, 0)), ==, AJAR_EVENT_CANCELLED);
    g_assert_cmpint(ajar_test_item_state(g_ptr_array_index(last, 1)), ==, AJAR_EVENT_QUEUED);
    sent = test_client_take_sent();
    g_assert_cmpuint(sent->len, ==, 0);
}

/* Sends with @cmdline; exactly @texts reach the network. */
static void
send_sends(const char *cmdline, const char *const *texts, guint count)
{
    g_autoptr(GPtrArray) lines = NULL;
    g_autoptr(GPtrArray) sent = NULL;
    gint64 seq = ajar_test_last_seq();

    g_assert_cmpint(run(cmdline, &lines), ==, PURPLE_CMD_STATUS_OK);
    sent = test_client_take_sent();
    g_assert_cmpuint(sent->len, ==, count);
    for (guint i = 0; i < count; i++) {
        gboolean found = FALSE;
        for (guint j = 0; j < sent->len; j++)
            found |= g_strcmp0(((TestSent *)g_ptr_array_index(sent, j))->message, texts[i]) == 0;
        if (!found)
            g_error("\"%s\" was not sent", texts[i]);
    }
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_SENT), ==, count);
}

static void
test_send(void)
{
    g_autoptr(GPtrArray) letters = NULL;
    g_autoptr(AjarState) state = ajar_test_read_state();
    g_autoptr(GPtrArray) items = ajar_state_list_custody(state);
    g_autofree char *cmdline = NULL;

    /* test_cancel() left "letter five" waiting and four unsent letters. */
    send_sends("ajar send", (const char *const[]){ "letter five" }, 1);
    run_ok("ajar send", "Ajar: nothing of yours is waiting.");

    for (guint i = 0; i < items->len; i++) {
        const AjarItem *item = g_ptr_array_index(items, i);
        g_autofree char *text = ajar_test_item_text(item); /* (read back: a state keeps none) */
        if (item->dir == AJAR_DIRECTION_OUT && g_strcmp0(text, "letter one") == 0) {
            g_autofree char *prefix = short_id(item->id);
            cmdline = g_strdup_printf("ajar send %s", prefix);
        }
    }
    g_assert_nonnull(cmdline);
    send_sends(cmdline, (const char *const[]){ "letter one" }, 1);

    letters = queue_messages((const char *const[]){ "letter six", NULL });
    send_sends("ajar send all",
               (const char *const[]){ "letter two", "letter three", "letter four", "letter six" },
               4);
    run_ok("ajar send all", "Ajar: nothing of yours is waiting.");
    run_ok("ajar cooloff off", "at once again");
}

static void
test_wrong(void)
{
    static const char *const wrong[] = {
        "ajar frobnicate",       "ajar delay",        "ajar delay abc",     "ajar delay 0",
        "ajar delay 24:00",      "ajar cooloff 7:30", "ajar cooloff",       "ajar cooloff soon",
        "ajar release a b c",    "ajar hold now",     "ajar status please", "ajar delay 5 10",
        "ajar release NOSUCHID",
    };
    static const char *const texts[] = { "kept through the typos", NULL };
    g_autoptr(GPtrArray) ids = hold_messages(texts);

    for (gsize i = 0; i < G_N_ELEMENTS(wrong); i++) {
        g_autofree char *before = ajar_test_read_rules();
        g_autofree char *after = NULL;
        g_autoptr(GPtrArray) lines = NULL;
        const TestLine *line;
        gint64 seq = ajar_test_last_seq();

        g_assert_nonnull(before);
        g_assert_cmpint(run(wrong[i], &lines), ==, PURPLE_CMD_STATUS_FAILED);
        g_assert_cmpuint(lines->len, ==, 1);
        line = g_ptr_array_index(lines, 0);
        /* The usage, or one line saying what is wrong. */
        if (strstr(line->message, "/ajar help") == NULL && strchr(line->message, '\n') != NULL)
            g_error("/%s showed neither the usage nor one line: %s", wrong[i], line->message);
        g_assert_null(strstr(line->message, "kept through the typos"));
        after = ajar_test_read_rules();
        g_assert_cmpstr(after, ==, before);
        g_assert_cmpint(ajar_test_last_seq(), ==, seq);
    }
    g_assert_cmpint(ajar_test_item_state(g_ptr_array_index(ids, 0)), ==, AJAR_EVENT_HELD);
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    g_test_add_func("/plugin/commands/setup", test_setup);
    g_test_add_func("/plugin/commands/help", test_help);
    g_test_add_func("/plugin/commands/status", test_status);
    g_test_add_func("/plugin/commands/hold-archive-delay-cooloff-pass", test_rule_changes);
    g_test_add_func("/plugin/commands/release", test_release);
    g_test_add_func("/plugin/commands/cancel", test_cancel);
    g_test_add_func("/plugin/commands/send", test_send);
    g_test_add_func("/plugin/commands/wrong", test_wrong);
    /* Last: a failure here (the review dialog) must not hide the others. */
    g_test_add_func("/plugin/commands/review", test_review);
    status = g_test_run();

    test_client_quit();
    test_client_cleanup();
    return status;
}
