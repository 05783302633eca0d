/* test-cli-issue12.c — `ajar` on what issue 12 journals: strangers'
 * messages (and one given to a rule), group chat lines with their room,
 * nick and images, messages kept for quiet hours or for your answer, and
 * buzzes. The journal is written by the core, never typed by hand. */
#include <string.h>

#include <json-glib/json-glib.h>

#include "cli-test-util.h"

#define MINUTE (G_GINT64_CONSTANT(60) * G_USEC_PER_SEC)
#define IMAGE "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.png"

typedef enum {
    KIM,   /* a stranger, held */
    LEE,   /* a stranger, archived, then given to rule "Lee" */
    CHAT,  /* a chat line in "book <club>", nick "sam&co", one image */
    QUIET, /* yours to Sam, queued in quiet hours */
    ASK,   /* yours to Sam, queued to ask first */
    PLAIN, /* Sam's, held: no new field */
    ZOE,   /* a stranger, archived */
    N_MESSAGES
} Message;

typedef struct {
    CliFixture base;
    char *ids[N_MESSAGES];
} Fixture;

static AjarEvent *
custody(AjarEventType type, AjarDirection dir, const char *buddy, const char *rule,
        const char *text, guint minute)
{
    AjarEvent *event = ajar_event_new(type);

    event->ts = CLI_SAMPLE_T0 + minute * MINUTE;
    event->time = event->ts;
    event->has_dir = TRUE;
    event->dir = dir;
    event->account = g_strdup("me@example.org/Home");
    event->protocol = g_strdup("prpl-jabber");
    event->buddy = g_strdup(buddy);
    event->rule = g_strdup(rule);
    event->text = g_strdup(text);
    event->text_len = strlen(text);
    if (type == AJAR_EVENT_QUEUED)
        event->due = event->ts + 600 * MINUTE;
    return event;
}

static void
append(AjarJournal *journal, AjarEvent *event)
{
    g_autoptr(GError) error = NULL;

    g_assert_true(ajar_journal_append(journal, event, &error));
    g_assert_no_error(error);
}

static void
set_up(Fixture *f, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    AjarJournal *journal;
    AjarEvent *events[N_MESSAGES];
    const char *images[] = { IMAGE, NULL };

    cli_fixture_set_up(&f->base, data);
    journal = ajar_journal_open(f->base.ajar, AJAR_FLUSH_EVERY_EVENT, &error);
    g_assert_no_error(error);
    events[KIM] = custody(AJAR_EVENT_HELD, AJAR_DIRECTION_IN, "kim@example.org/phone", "Strangers",
                          "hello, is this Sam?", 1);
    events[KIM]->stranger = TRUE;
    events[LEE] = custody(AJAR_EVENT_ARCHIVED, AJAR_DIRECTION_IN, "lee@example.org", "Strangers",
                          "it is Lee, new number", 2);
    events[LEE]->stranger = TRUE;
    events[CHAT] = custody(AJAR_EVENT_HELD, AJAR_DIRECTION_IN, "club@conference.example.org/sam",
                           "Sam", "look <img id=\"1\">", 3);
    events[CHAT]->chat = g_strdup("book <club>");
    events[CHAT]->nick = g_strdup("sam&co");
    events[CHAT]->images = g_strdupv((char **)images);
    events[QUIET] = custody(AJAR_EVENT_QUEUED, AJAR_DIRECTION_OUT, "sam@example.org", "Sam",
                            "sorry about earlier", 4);
    events[QUIET]->quiet = TRUE;
    events[ASK] = custody(AJAR_EVENT_QUEUED, AJAR_DIRECTION_OUT, "sam@example.org", "Sam",
                          "one more thing", 5);
    events[ASK]->ask = TRUE;
    events[PLAIN] = custody(AJAR_EVENT_HELD, AJAR_DIRECTION_IN, "sam@example.org", "Sam",
                            "plain old message", 6);
    events[ZOE] = custody(AJAR_EVENT_ARCHIVED, AJAR_DIRECTION_IN, "zoe@example.org", "Strangers",
                          "hi from Zoe", 7);
    events[ZOE]->stranger = TRUE;
    for (guint i = 0; i < N_MESSAGES; i++) {
        append(journal, events[i]);
        f->ids[i] = g_strdup(events[i]->id);
        ajar_event_free(events[i]);
    }
    {
        AjarEvent *given = ajar_event_new(AJAR_EVENT_ASSIGNED);
        given->ts = CLI_SAMPLE_T0 + 10 * MINUTE;
        given->id = g_strdup(f->ids[LEE]);
        given->rule = g_strdup("Lee");
        append(journal, given);
        ajar_event_free(given);
    }
    for (guint i = 0; i < 3; i++) {
        AjarEvent *buzz = ajar_event_new(AJAR_EVENT_ATTENTION);
        buzz->ts = CLI_SAMPLE_T0 + (11 + i) * MINUTE;
        buzz->time = buzz->ts;
        buzz->account = g_strdup("me@example.org/Home");
        buzz->protocol = g_strdup("prpl-jabber");
        buzz->buddy = g_strdup("sam@example.org");
        buzz->rule = g_strdup("Sam");
        append(journal, buzz);
        ajar_event_free(buzz);
    }
    ajar_journal_close(journal);
}

static void
tear_down(Fixture *f, gconstpointer data)
{
    for (guint i = 0; i < N_MESSAGES; i++)
        g_free(f->ids[i]);
    cli_fixture_tear_down(&f->base, data);
}

/* The line of @out that lists message @id (by its first ten characters). */
static char *
line_of(const char *out, const char *id)
{
    g_autofree char *short_id = g_strndup(id, 10);
    g_auto(GStrv) lines = g_strsplit(out, "\n", -1);

    for (guint i = 0; lines[i] != NULL; i++) {
        if (strstr(lines[i], short_id) != NULL)
            return g_strdup(lines[i]);
    }
    return NULL;
}

/* A chat line says its nick and room, a stranger's message the sender's
 * address and "stranger"; given to a rule, it no longer does. */
static void
test_list(Fixture *f, gconstpointer data)
{
    g_autoptr(CliRun) run = cli_run_dir(&f->base, "list", NULL);
    g_autofree char *kim = NULL, *lee = NULL, *chat = NULL, *plain = NULL;

    cli_assert_status(run, 0);
    kim = line_of(run->out, f->ids[KIM]);
    lee = line_of(run->out, f->ids[LEE]);
    chat = line_of(run->out, f->ids[CHAT]);
    plain = line_of(run->out, f->ids[PLAIN]);
    g_assert_nonnull(kim);
    cli_assert_contains(kim, "from kim@example.org (stranger)");
    g_assert_nonnull(lee);
    cli_assert_contains(lee, "from lee@example.org");
    cli_assert_lacks(lee, "stranger");
    g_assert_nonnull(chat);
    cli_assert_contains(chat, "from sam&co in book <club>");
    cli_assert_contains(plain, "from sam@example.org");
    cli_assert_lacks(plain, "stranger");
}

/* --state held: strangers' messages wait for you to say who they are,
 * whether held or archived; a message given to a rule is its own state again. */
static void
test_list_held(Fixture *f, gconstpointer data)
{
    g_autoptr(CliRun) run = cli_run_dir(&f->base, "list", "--state", "held", NULL);
    g_autofree char *kim = NULL, *lee = NULL, *chat = NULL, *quiet = NULL, *zoe = NULL;

    cli_assert_status(run, 0);
    zoe = line_of(run->out, f->ids[ZOE]);
    g_assert_nonnull(zoe); /* archived, yet a stranger's: waits for you */
    cli_assert_contains(zoe, "(stranger)");
    kim = line_of(run->out, f->ids[KIM]);
    lee = line_of(run->out, f->ids[LEE]);
    chat = line_of(run->out, f->ids[CHAT]);
    quiet = line_of(run->out, f->ids[QUIET]);
    g_assert_nonnull(kim);
    g_assert_null(lee); /* archived, and no longer a stranger's */
    g_assert_nonnull(chat);
    g_assert_null(quiet);
}

static JsonObject *
find_message(JsonArray *array, const char *id)
{
    for (guint i = 0; i < json_array_get_length(array); i++) {
        JsonObject *object = json_array_get_object_element(array, i);
        if (g_strcmp0(json_object_get_string_member(object, "id"), id) == 0)
            return object;
    }
    g_assert_not_reached();
}

static void
assert_json_fields(JsonArray *messages, const Fixture *f)
{
    JsonObject *kim = find_message(messages, f->ids[KIM]);
    JsonObject *lee = find_message(messages, f->ids[LEE]);
    JsonObject *chat = find_message(messages, f->ids[CHAT]);
    JsonObject *quiet = find_message(messages, f->ids[QUIET]);
    JsonObject *ask = find_message(messages, f->ids[ASK]);
    JsonObject *plain = find_message(messages, f->ids[PLAIN]);
    static const char *const keys[] = { "chat", "nick", "stranger", "quiet", "ask", "images" };

    g_assert_true(json_object_get_boolean_member(kim, "stranger"));
    g_assert_false(json_object_has_member(lee, "stranger"));
    g_assert_cmpstr(json_object_get_string_member(lee, "rule"), ==, "Lee");
    g_assert_cmpstr(json_object_get_string_member(chat, "chat"), ==, "book <club>");
    g_assert_cmpstr(json_object_get_string_member(chat, "nick"), ==, "sam&co");
    g_assert_cmpstr(json_array_get_string_element(json_object_get_array_member(chat, "images"), 0),
                    ==, IMAGE);
    g_assert_true(json_object_get_boolean_member(quiet, "quiet"));
    g_assert_false(json_object_has_member(quiet, "ask"));
    g_assert_true(json_object_get_boolean_member(ask, "ask"));
    for (guint i = 0; i < G_N_ELEMENTS(keys); i++)
        g_assert_false(json_object_has_member(plain, keys[i]));
}

static void
test_list_json(Fixture *f, gconstpointer data)
{
    g_autoptr(CliRun) run = cli_run_dir(&f->base, "list", "--json", NULL);
    g_autoptr(JsonParser) parser = json_parser_new();
    g_autoptr(GError) error = NULL;

    cli_assert_status(run, 0);
    json_parser_load_from_data(parser, run->out, -1, &error);
    g_assert_no_error(error);
    assert_json_fields(json_node_get_array(json_parser_get_root(parser)), f);
}

static void
test_show(Fixture *f, gconstpointer data)
{
    {
        g_autoptr(CliRun) run = cli_run_dir(&f->base, "show", f->ids[CHAT], NULL);
        cli_assert_status(run, 0);
        cli_assert_contains(run->out, "Room     book <club>\n");
        cli_assert_contains(run->out, "Nick     sam&co\n");
        cli_assert_contains(run->out, "Images   1, in images/: " IMAGE "\n");
        cli_assert_lacks(run->out, "Sender");
    }
    {
        g_autoptr(CliRun) run = cli_run_dir(&f->base, "show", f->ids[KIM], NULL);
        cli_assert_status(run, 0);
        cli_assert_contains(run->out, "Sender   a stranger: in none of your buddy lists\n");
        cli_assert_lacks(run->out, "Room");
    }
    {
        g_autoptr(CliRun) run = cli_run_dir(&f->base, "show", f->ids[LEE], NULL);
        cli_assert_status(run, 0);
        cli_assert_lacks(run->out, "Sender");
        cli_assert_contains(run->out, "Rule     Lee\n");
        cli_assert_contains(run->out, "assigned");
    }
    {
        g_autoptr(CliRun) run = cli_run_dir(&f->base, "show", f->ids[QUIET], NULL);
        cli_assert_status(run, 0);
        cli_assert_contains(run->out, "Quiet    written in quiet hours: kept until they end\n");
    }
    {
        g_autoptr(CliRun) run = cli_run_dir(&f->base, "show", f->ids[ASK], NULL);
        cli_assert_status(run, 0);
        cli_assert_contains(run->out, "Ask      kept until you answer whether to send it\n");
    }
}

static void
test_export(Fixture *f, gconstpointer data)
{
    {
        g_autoptr(CliRun) run = cli_run_dir(&f->base, "export", "--format", "json", NULL);
        g_autoptr(JsonParser) parser = json_parser_new();
        g_autoptr(GError) error = NULL;
        JsonObject *root;

        cli_assert_status(run, 0);
        json_parser_load_from_data(parser, run->out, -1, &error);
        g_assert_no_error(error);
        root = json_node_get_object(json_parser_get_root(parser));
        assert_json_fields(json_object_get_array_member(root, "messages"), f);
    }
    {
        g_autoptr(CliRun) run = cli_run_dir(&f->base, "export", "--format", "html", NULL);
        cli_assert_status(run, 0);
        /* Escaped, isolated, never markup. */
        cli_assert_contains(run->out, "from <bdi>sam&amp;co</bdi> in <bdi>book &lt;club&gt;</bdi>");
        cli_assert_lacks(run->out, "book <club>");
        cli_assert_contains(run->out, "from <bdi>kim@example.org/phone</bdi> (stranger)");
        cli_assert_contains(run->out, " · written in quiet hours");
        cli_assert_contains(run->out, " · waits for your answer");
        cli_assert_contains(run->out, " · 1 image (<bdi>" IMAGE "</bdi>)");
        cli_assert_lacks(run->out, "<img");
    }
}

/* Buzzes per rule, when there were any; the journal verifies clean. */
static void
test_stats_verify(Fixture *f, gconstpointer data)
{
    {
        g_autoptr(CliRun) run = cli_run_dir(&f->base, "stats", NULL);
        g_autofree char *sam = NULL;
        const char *lee;
        cli_assert_status(run, 0);
        sam = g_strdup(strstr(run->out, "Sam\n"));
        g_assert_nonnull(sam);
        cli_assert_contains(sam, "  Buzzes                  3\n");
        lee = strstr(run->out, "Lee\n");
        g_assert_nonnull(lee);
        g_assert_true(strstr(lee, "Buzzes") == NULL ||
                      strstr(lee, "Buzzes") > strstr(lee, "Sam\n"));
    }
    {
        g_autoptr(CliRun) run = cli_run_dir(&f->base, "stats", "--json", NULL);
        cli_assert_status(run, 0);
        cli_assert_contains(run->out, "\"attention\":3");
        g_assert_null(strstr(strstr(run->out, "\"attention\":3") + 1, "\"attention\""));
    }
    {
        g_autoptr(CliRun) run = cli_run_dir(&f->base, "verify", NULL);
        cli_assert_status(run, 0);
        cli_assert_lacks(run->err, "malformed");
    }
    /* A wrong mark is a malformed line, said in one line by verify. */
    cli_append_raw(f->base.journal,
                   "{\"seq\":99,\"ts\":\"2026-11-27T21:04:09.113Z\",\"event\":\"read\","
                   "\"id\":\"X\",\"stranger\":\"yes\"}\n",
                   -1);
    {
        g_autoptr(CliRun) run = cli_run_dir(&f->base, "verify", NULL);
        cli_assert_status(run, 1);
        cli_assert_contains(run->out, "stranger: must be true or false, not a string");
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

#define ADD(path, fn) g_test_add(path, Fixture, NULL, set_up, fn, tear_down)
    ADD("/cli/issue12/list", test_list);
    ADD("/cli/issue12/list-held", test_list_held);
    ADD("/cli/issue12/list-json", test_list_json);
    ADD("/cli/issue12/show", test_show);
    ADD("/cli/issue12/export", test_export);
    ADD("/cli/issue12/stats-verify", test_stats_verify);
#undef ADD
    return g_test_run();
}
