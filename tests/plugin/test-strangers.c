/* test-strangers.c — new senders ({"stranger": true}): the new account that
 * is really them, as a user of the built ajar.so meets it.
 *
 * A stranger writes from an address that is in no buddy list: held, and
 * journaled with "stranger": true, nothing shown. Never a stranger: a buddy,
 * the account itself, an auto-response, a server, someone in a room the
 * account is in. In the review they come first, grouped by sender; "This is
 * Sam" adds the address to Sam's rule (rules.json replaced atomically) and
 * journals "assigned"; "Let them through" releases them and remembers the
 * address (also after a restart); Discard asks first. /ajar is NAME and
 * /ajar allow do the same from a conversation.
 *
 * The cases share one libpurple core and run in order; each stranger has an
 * address of their own. */
#include "ajar-test-util.h"

#include <string.h>

#include <core.h>
#include <server.h>

#define ME "me@example.org/Home"
#define SAM "sam@example.org"
#define LEE "lee@example.org" /* a buddy without a rule */

/* Sam held, Alex archived, and new senders held. */
#define RULES                                                                                    \
    "{\"version\": 1, \"rules\": ["                                                              \
    "{\"name\": \"Sam\", \"match\": [{\"buddy\": \"" SAM "\"}], \"incoming\": {\"action\": "     \
    "\"hold\"}},"                                                                                \
    "{\"name\": \"Alex\", \"match\": [{\"buddy\": \"alex@example.org\"}], \"incoming\": "        \
    "{\"action\": \"archive\"}},"                                                                \
    "{\"name\": \"New senders\", \"match\": [{\"stranger\": true}], \"incoming\": {\"action\": " \
    "\"hold\"}}], \"settings\": {\"notify\": \"count\"}}\n"

static PurpleAccount *
me(void)
{
    return ajar_test_account(ME);
}

static void
receive_flagged(const char *who, const char *text, PurpleMessageFlags flags)
{
    test_client_receive(me(), who, text, flags, time(NULL));
    test_client_iterate(100);
}

static void
receive(const char *who, const char *text)
{
    receive_flagged(who, text, 0);
}

/* Returns: (transfer full): the one custody event after @seq; nothing of
 * the message was shown. */
static AjarEvent *
held_since(gint64 seq)
{
    g_autoptr(GPtrArray) events = ajar_test_events_since(seq, AJAR_EVENT_HELD, NULL);

    g_assert_cmpuint(events->len, ==, 1);
    ajar_test_assert_nothing_shown();
    return ajar_event_copy(g_ptr_array_index(events, 0));
}

/* A message from @who came through: shown, and nothing journaled. */
static void
assert_passed(gint64 seq, const char *who, const char *text)
{
    g_autoptr(GPtrArray) received = test_client_take_received();

    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_UNKNOWN), ==, 0);
    g_assert_cmpuint(received->len, ==, 1);
    g_assert_cmpstr(((TestReceived *)g_ptr_array_index(received, 0))->who, ==, who);
    g_assert_cmpstr(((TestReceived *)g_ptr_array_index(received, 0))->message, ==, text);
    test_client_close_im(me(), who);
    ajar_test_drain();
}

static void
test_setup(void)
{
    test_client_add_buddy(me(), SAM, "Sam", NULL);
    test_client_add_buddy(me(), LEE, "Lee", NULL);
    ajar_test_reload_with_rules(RULES);
}

static void
test_held(void)
{
    gint64 seq = ajar_test_last_seq();
    g_autoptr(AjarEvent) event = NULL;
    g_autofree char *log = NULL;

    receive("Kim@Example.org/laptop", "it's me, I made a new account");
    event = held_since(seq);
    g_assert_true(event->stranger);
    g_assert_cmpstr(event->rule, ==, "New senders");
    g_assert_cmpstr(event->buddy, ==, "Kim@Example.org/laptop");
    g_assert_cmpstr(event->account, ==, ME);
    g_assert_cmpstr(event->text, ==, "it's me, I made a new account");
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_notices()), ==, 0);
    log = test_client_read_log(me(), "kim@example.org");
    g_assert_null(strstr(log, "new account"));
    /* A rule's own person is theirs, not a stranger's. */
    seq = ajar_test_last_seq();
    receive(SAM, "from the old account");
    g_clear_pointer(&event, ajar_event_free);
    event = held_since(seq);
    g_assert_false(event->stranger);
    g_assert_cmpstr(event->rule, ==, "Sam");
}

static void
test_buddy_is_no_stranger(void)
{
    gint64 seq = ajar_test_last_seq();

    receive("Lee@example.org/phone", "see you at eight");
    assert_passed(seq, "Lee@example.org/phone", "see you at eight");
}

static void
test_never_self_auto_or_system(void)
{
    PurpleConnection *gc = purple_account_get_connection(me());
    PurpleConversation *room;
    gint64 seq;

    /* The account itself (another device of yours). */
    seq = ajar_test_last_seq();
    receive("ME@example.org/Phone", "note to self");
    assert_passed(seq, "ME@example.org/Phone", "note to self");
    /* An away message from someone unknown. */
    seq = ajar_test_last_seq();
    receive_flagged("nora@example.org", "I am away", PURPLE_MESSAGE_AUTO_RESP);
    assert_passed(seq, "nora@example.org", "I am away");
    /* The server (a name without '@'). */
    seq = ajar_test_last_seq();
    receive("example.org", "The server restarts at midnight.");
    assert_passed(seq, "example.org", "The server restarts at midnight.");
    /* Someone in a room you are in, writing privately. */
    serv_got_joined_chat(gc, 7, "room@conference.example.org");
    ajar_test_drain();
    seq = ajar_test_last_seq();
    receive("room@conference.example.org/kit", "psst");
    assert_passed(seq, "room@conference.example.org/kit", "psst");
    /* Out of the room, the same name is nobody you know. */
    room = purple_find_conversation_with_account(PURPLE_CONV_TYPE_CHAT,
                                                 "room@conference.example.org", me());
    g_assert_nonnull(room);
    purple_conversation_destroy(room);
    ajar_test_drain();
    seq = ajar_test_last_seq();
    receive("room@conference.example.org/kit", "psst again");
    g_autoptr(AjarEvent) event = held_since(seq);
    g_assert_true(event->stranger);
}

/* Without a {"stranger": true} entry nobody is screened as one. */
static void
test_no_stranger_rule(void)
{
    gint64 seq;

    ajar_test_reload_with_rules("{\"version\": 1, \"rules\": [{\"name\": \"Sam\", \"match\": "
                                "[{\"buddy\": \"" SAM "\"}], \"incoming\": {\"action\": "
                                "\"hold\"}}]}\n");
    seq = ajar_test_last_seq();
    receive("ola@example.org", "hello?");
    assert_passed(seq, "ola@example.org", "hello?");
    ajar_test_reload_with_rules(RULES);
}

/* Runs the review. Returns: (transfer full): its first step. */
static GPtrArray *
first_step(void)
{
    GPtrArray *requests;

    ajar_test_drain();
    ajar_test_run_action(ajar_test_plugin(), "Review held messages…");
    requests = test_client_take_requests();
    g_assert_cmpuint(requests->len, ==, 1);
    return requests;
}

static PurpleRequestField *
people(GPtrArray *step)
{
    TestRequest *request = g_ptr_array_index(step, 0);
    PurpleRequestField *field = purple_request_fields_get_field(request->fields, "person");

    g_assert_nonnull(field);
    return field;
}

static void
test_review_groups_by_sender(void)
{
    g_autoptr(GPtrArray) step = NULL;
    GList *items;

    receive("kim@example.org/phone", "please answer");
    receive("kim@example.org", "I know you read this");
    receive("pia@example.org", "hi, this is Pia from the office");
    receive("pia@example.org", "about Monday");
    step = first_step();
    items = purple_request_field_list_get_items(people(step));
    for (GList *l = items; l != NULL; l = l->next)
        g_test_message("review: %s", (const char *)l->data);
    /* Kim (3, from the first case), the room's kit (1), Pia (2); then Sam. */
    g_assert_cmpuint(g_list_length(items), ==, 5);
    g_assert_cmpstr(g_list_nth_data(items, 0), ==, "3 new senders: 6 held");
    g_assert_true(g_str_has_prefix(g_list_nth_data(items, 1), "  kim@example.org: 3 held, newest"));
    g_assert_true(g_str_has_prefix(g_list_nth_data(items, 2),
                                   "  room@conference.example.org: 1 held, newest"));
    g_assert_true(g_str_has_prefix(g_list_nth_data(items, 3), "  pia@example.org: 2 held, newest"));
    g_assert_true(g_str_has_prefix(g_list_nth_data(items, 4), "Sam: 1 held,"));
    /* No line for the rule that caught them: they are not its person. */
    g_assert_null(ajar_test_list_item(people(step), "New senders"));
    /* The heading is chosen at first: Read opens the first sender. */
    g_assert_cmpstr(purple_request_field_list_get_selected(people(step))->data, ==,
                    "3 new senders: 6 held");
    test_client_request_cancel(g_ptr_array_index(step, 0));
}

/* In the first step, chooses the line starting with @prefix and presses
 * Read. Returns: (transfer full): the sender's page. */
static GPtrArray *
open_sender(const char *prefix)
{
    g_autoptr(GPtrArray) step = first_step();
    PurpleRequestField *list = people(step);
    const char *line = ajar_test_list_item(list, prefix);
    GPtrArray *page;

    g_assert_nonnull(line);
    purple_request_field_list_clear_selected(list);
    purple_request_field_list_add_selected(list, line);
    g_assert_true(test_client_request_fields_ok(g_ptr_array_index(step, 0)));
    page = test_client_take_requests();
    g_assert_cmpuint(page->len, ==, 1);
    return page;
}

/* On a sender's page, picks the option starting with @then and presses OK. */
static void
choose(GPtrArray *page, const char *then)
{
    TestRequest *request = g_ptr_array_index(page, 0);
    PurpleRequestField *action = purple_request_fields_get_field(request->fields, "action");
    const char *option;

    g_assert_nonnull(action);
    option = ajar_test_option_starting(action, then);
    g_assert_nonnull(option);
    test_client_fields_pick(request, "action", option);
    g_assert_true(test_client_request_fields_ok(request));
}

static ino_t
rules_inode(void)
{
    g_autofree char *path = ajar_test_path("rules.json");
    GStatBuf st;

    g_assert_cmpint(g_stat(path, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);
    return st.st_ino;
}

/* Whether @rule has a match entry for @buddy on the in-test account. */
static gboolean
rule_has_buddy(const AjarRule *rule, const char *buddy)
{
    for (guint i = 0; i < rule->matches->len; i++) {
        const AjarMatch *match = g_ptr_array_index(rule->matches, i);
        if (g_strcmp0(match->buddy, buddy) == 0 && g_strcmp0(match->account, ME) == 0 &&
            g_strcmp0(match->protocol, TEST_PRPL_ID) == 0)
            return TRUE;
    }
    return FALSE;
}

static void
test_this_is_sam(void)
{
    g_autoptr(GPtrArray) page = open_sender("  kim@");
    TestRequest *request = g_ptr_array_index(page, 0);
    g_autoptr(GPtrArray) assigned = NULL;
    g_autoptr(AjarRuleSet) rules = NULL;
    g_autoptr(AjarState) state = NULL;
    g_autoptr(AjarEvent) later = NULL;
    g_autoptr(GDir) dir = NULL;
    g_autofree char *dir_path = ajar_test_dir();
    PurpleRequestField *action = purple_request_fields_get_field(request->fields, "action");
    ino_t before = rules_inode();
    const char *name;
    gint64 seq;

    g_assert_cmpstr(request->primary, ==, "New sender: kim@example.org");
    g_assert_nonnull(strstr(request->secondary, "I know you read this"));
    g_assert_nonnull(ajar_test_option_starting(action, "This is Sam"));
    g_assert_nonnull(ajar_test_option_starting(action, "This is Alex"));
    /* A rule only for strangers is nobody they could be. */
    g_assert_null(ajar_test_option_starting(action, "This is New senders"));
    g_assert_nonnull(ajar_test_option_starting(action, "Let them through"));
    g_assert_nonnull(ajar_test_option_starting(action, "Discard them"));
    seq = ajar_test_last_seq();
    choose(page, "This is Sam");

    /* rules.json: replaced by a new file (a rename), nothing left behind. */
    g_assert_true(rules_inode() != before);
    dir = g_dir_open(dir_path, 0, NULL);
    while ((name = g_dir_read_name(dir)) != NULL) {
        if (g_str_has_prefix(name, "rules.json."))
            g_assert_cmpstr(name, ==, "rules.json.last-good");
    }
    rules = ajar_test_parse_rules();
    g_assert_true(rule_has_buddy(ajar_rules_get_rule(rules, 0), "kim@example.org"));
    g_assert_cmpuint(ajar_rules_get_rule(rules, 1)->matches->len, ==, 1);
    /* The three stay kept, now Sam's. */
    assigned = ajar_test_events_since(seq, AJAR_EVENT_ASSIGNED, NULL);
    g_assert_cmpuint(assigned->len, ==, 3);
    state = ajar_test_read_state();
    for (guint i = 0; i < assigned->len; i++) {
        const AjarEvent *event = g_ptr_array_index(assigned, i);
        const AjarItem *item = ajar_state_lookup(state, event->id);

        g_assert_cmpstr(event->rule, ==, "Sam");
        g_assert_cmpint(item->state, ==, AJAR_EVENT_HELD);
        g_assert_cmpstr(item->rule, ==, "Sam");
        g_assert_false(item->stranger);
    }
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_RELEASED), ==, 0);
    ajar_test_assert_nothing_shown();

    /* Later messages from that address are Sam's. */
    seq = ajar_test_last_seq();
    receive("kim@example.org/tablet", "why don't you answer");
    later = held_since(seq);
    g_assert_cmpstr(later->rule, ==, "Sam");
    g_assert_false(later->stranger);
}

static void
test_let_through_across_restart(void)
{
    g_autoptr(GPtrArray) page = open_sender("  pia@");
    g_autoptr(GPtrArray) received = NULL;
    g_autoptr(AjarRuleSet) rules = NULL;
    PurpleAccount *account;
    gint64 seq = ajar_test_last_seq();

    choose(page, "Let them through");
    received = test_client_take_received();
    g_assert_cmpuint(received->len, ==, 2);
    g_assert_cmpstr(((TestReceived *)g_ptr_array_index(received, 0))->message, ==,
                    "hi, this is Pia from the office");
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_RELEASED), ==, 2);
    rules = ajar_test_parse_rules();
    g_assert_cmpuint(ajar_rules_get_allowed_count(rules), ==, 1);
    g_assert_cmpstr(ajar_rules_get_allowed(rules, 0), ==, "pia@example.org");
    test_client_close_im(me(), "pia@example.org");

    /* The messenger restarts: still let through; others still screened. */
    ajar_test_unload();
    test_client_restart();
    account = test_client_find_account(ME);
    ajar_test_load();
    test_client_connect(account);
    ajar_test_drain();
    seq = ajar_test_last_seq();
    receive("Pia@example.org/work", "lunch?");
    assert_passed(seq, "Pia@example.org/work", "lunch?");
    seq = ajar_test_last_seq();
    receive("quinn@example.org", "remember me?");
    g_autoptr(AjarEvent) event = held_since(seq);
    g_assert_true(event->stranger);
}

static void
test_discard_asks_first(void)
{
    g_autoptr(GPtrArray) page = open_sender("  quinn@");
    g_autoptr(GPtrArray) asked = NULL;
    TestRequest *question;
    g_autofree char *id = NULL;

    {
        g_autoptr(GPtrArray) held = ajar_test_events_since(0, AJAR_EVENT_HELD, NULL);
        id = g_strdup(((AjarEvent *)g_ptr_array_index(held, held->len - 1))->id);
    }
    choose(page, "Discard them");
    asked = test_client_take_requests();
    g_assert_cmpuint(asked->len, ==, 1);
    question = g_ptr_array_index(asked, 0);
    g_assert_cmpstr(question->primary, ==, "Discard 1 message from quinn@example.org?");
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_HELD);
    test_client_request_answer(question, test_client_request_find_action(question, "Discard"));
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_DISCARDED);
}

/* Runs "/@cmdline" with @who. Returns: the status; *@said: the one line. */
static PurpleCmdStatus
run(const char *who, const char *cmdline, char **said)
{
    PurpleCmdStatus status;
    g_autoptr(GPtrArray) lines = NULL;

    ajar_test_drain();
    status = test_client_command(me(), who, cmdline);
    test_client_iterate(100);
    lines = test_client_take_lines();
    g_assert_cmpuint(lines->len, >=, 1);
    *said = g_strdup(((TestLine *)g_ptr_array_index(lines, lines->len - 1))->message);
    g_test_message("/%s -> %s", cmdline, *said);
    return status;
}

/* /@cmdline fails with one line containing @says; nothing changes. */
static void
run_fails(const char *who, const char *cmdline, const char *says)
{
    g_autofree char *rules_before = ajar_test_read_rules();
    g_autofree char *rules_after = NULL;
    g_autofree char *said = NULL;
    gint64 seq = ajar_test_last_seq();

    g_assert_cmpint(run(who, cmdline, &said), ==, PURPLE_CMD_STATUS_FAILED);
    g_assert_nonnull(strstr(said, says));
    g_assert_null(strchr(said, '\n'));
    rules_after = ajar_test_read_rules();
    g_assert_cmpstr(rules_after, ==, rules_before);
    g_assert_cmpint(ajar_test_last_seq(), ==, seq);
}

static void
test_command_is(void)
{
    g_autoptr(AjarRuleSet) rules = NULL;
    g_autoptr(GPtrArray) assigned = NULL;
    g_autofree char *said = NULL;
    gint64 seq;

    receive("otto@example.org", "new number, same me");
    run_fails("otto@example.org", "ajar is Nobody", "no rule named Nobody");
    run_fails(SAM, "ajar is Alex", "not with a new sender");
    run_fails(LEE, "ajar is Alex", "not with a new sender");
    seq = ajar_test_last_seq();
    g_assert_cmpint(run("otto@example.org", "ajar is  alex ", &said), ==, PURPLE_CMD_STATUS_OK);
    g_assert_cmpstr(said, ==,
                    "Ajar: this address now belongs to Alex; 1 kept message stays kept under "
                    "that name.");
    rules = ajar_test_parse_rules();
    g_assert_true(rule_has_buddy(ajar_rules_get_rule(rules, 1), "otto@example.org"));
    assigned = ajar_test_events_since(seq, AJAR_EVENT_ASSIGNED, NULL);
    g_assert_cmpuint(assigned->len, ==, 1);
    g_assert_cmpstr(((AjarEvent *)g_ptr_array_index(assigned, 0))->rule, ==, "Alex");
    /* Now Alex's: not a stranger any more. */
    run_fails("otto@example.org", "ajar allow", "not with a new sender");
}

static void
test_command_allow(void)
{
    g_autoptr(AjarRuleSet) rules = NULL;
    g_autoptr(GPtrArray) received = NULL;
    g_autofree char *said = NULL;
    gint64 seq;

    receive("rae@example.org", "one");
    receive("rae@example.org", "two");
    g_assert_cmpint(run("rae@example.org", "ajar status", &said), ==, PURPLE_CMD_STATUS_OK);
    g_assert_true(g_str_has_prefix(said, "Ajar: a new sender, not in your buddy list; /ajar is "
                                         "NAME or /ajar allow decides who they are. Kept: 2 held"));
    g_clear_pointer(&said, g_free);
    run_fails(SAM, "ajar allow", "not with a new sender");
    g_assert_cmpint(run("rae@example.org", "ajar allow", &said), ==, PURPLE_CMD_STATUS_OK);
    g_assert_cmpstr(said, ==,
                    "Ajar: 2 kept messages released; this address will not be screened again.");
    received = test_client_take_received();
    g_assert_cmpuint(received->len, ==, 2);
    rules = ajar_test_parse_rules();
    g_assert_cmpuint(ajar_rules_get_allowed_count(rules), ==, 2);
    g_assert_cmpstr(ajar_rules_get_allowed(rules, 1), ==, "rae@example.org");
    seq = ajar_test_last_seq();
    receive("rae@example.org", "three");
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_HELD), ==, 0);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_received()), ==, 1);
}

static void
test_help(void)
{
    g_autofree char *said = NULL;

    g_assert_cmpint(run(SAM, "ajar help", &said), ==, PURPLE_CMD_STATUS_OK);
    g_assert_nonnull(strstr(said, "/ajar is NAME"));
    g_assert_nonnull(strstr(said, "/ajar allow"));
    /* "is" without a name is not understood. */
    g_clear_pointer(&said, g_free);
    g_assert_cmpint(run(SAM, "ajar is", &said), ==, PURPLE_CMD_STATUS_FAILED);
}

/* The rule only for strangers listed FIRST: "This is Sam" is still Sam's
 * (the choices are counted among those offered, not among all rules). */
static void
test_this_is_strangers_rule_first(void)
{
    g_autoptr(GPtrArray) page = NULL;
    g_autoptr(GPtrArray) assigned = NULL;
    g_autoptr(AjarRuleSet) rules = NULL;
    gint64 seq;

    ajar_test_reload_with_rules(
        "{\"version\": 1, \"rules\": [{\"name\": \"New senders\", \"match\": [{\"stranger\": "
        "true}], \"incoming\": {\"action\": \"hold\"}}, {\"name\": \"Sam\", \"match\": "
        "[{\"buddy\": \"" SAM "\"}], \"incoming\": {\"action\": \"hold\"}}, {\"name\": "
        "\"Alex\", \"match\": [{\"buddy\": \"alex@example.org\"}], \"incoming\": {\"action\": "
        "\"archive\"}}]}\n");
    receive("uma@example.org", "it's me, Sam, new account");
    page = open_sender("  uma@");
    seq = ajar_test_last_seq();
    choose(page, "This is Sam");
    rules = ajar_test_parse_rules();
    g_assert_true(rule_has_buddy(ajar_rules_get_rule(rules, 1), "uma@example.org"));
    g_assert_false(rule_has_buddy(ajar_rules_get_rule(rules, 2), "uma@example.org"));
    assigned = ajar_test_events_since(seq, AJAR_EVENT_ASSIGNED, NULL);
    g_assert_cmpuint(assigned->len, ==, 1);
    g_assert_cmpstr(((AjarEvent *)g_ptr_array_index(assigned, 0))->rule, ==, "Sam");
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    g_test_add_func("/plugin/strangers/setup", test_setup);
    g_test_add_func("/plugin/strangers/held", test_held);
    g_test_add_func("/plugin/strangers/buddy-is-no-stranger", test_buddy_is_no_stranger);
    g_test_add_func("/plugin/strangers/never-self-auto-or-system", test_never_self_auto_or_system);
    g_test_add_func("/plugin/strangers/no-stranger-rule", test_no_stranger_rule);
    g_test_add_func("/plugin/strangers/review-groups-by-sender", test_review_groups_by_sender);
    g_test_add_func("/plugin/strangers/this-is-sam", test_this_is_sam);
    g_test_add_func("/plugin/strangers/let-through-across-restart",
                    test_let_through_across_restart);
    g_test_add_func("/plugin/strangers/discard-asks-first", test_discard_asks_first);
    g_test_add_func("/plugin/strangers/command-is", test_command_is);
    g_test_add_func("/plugin/strangers/command-allow", test_command_allow);
    g_test_add_func("/plugin/strangers/help", test_help);
    g_test_add_func("/plugin/strangers/this-is-strangers-rule-first",
                    test_this_is_strangers_rule_first);
    status = g_test_run();

    ajar_test_unload();
    test_client_quit();
    test_client_cleanup();
    return status;
}
