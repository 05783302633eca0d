/* test-cli-read.c — `ajar list`, `show` and `stats` on the sample journal
 * (twelve messages in every state, written by the core). */
#include <string.h>

#include <json-glib/json-glib.h>

#include "cli-test-util.h"
#include "ajar/ajar-stats.h"

typedef CliSampleFixture Sample;
#define sample_set_up cli_sample_set_up
#define sample_tear_down cli_sample_tear_down

/* The lines of @text without the final empty one. Transfer full. */
static GStrv
lines_of(const char *text)
{
    GStrv lines = g_strsplit(text, "\n", -1);
    guint n = g_strv_length(lines);

    g_assert_cmpuint(n, >, 0);
    g_assert_cmpstr(lines[n - 1], ==, "");
    g_free(lines[n - 1]);
    lines[n - 1] = NULL;
    return lines;
}

static char *
local_time(gint64 unix_us)
{
    g_autoptr(GDateTime) now = g_date_time_new_now_local();

    return ajar_format_local_time(unix_us, now);
}

/* Which sample messages the output lists, in order, by their short ids. */
static GString *
listed_samples(const Sample *s, const char *out)
{
    g_auto(GStrv) lines = lines_of(out);
    GString *order = g_string_new(NULL);

    for (guint l = 0; lines[l] != NULL; l++) {
        int found = -1;
        for (guint i = 0; i < CLI_SAMPLE_COUNT; i++) {
            g_autofree char *short_id = g_strndup(s->ids[i], 10);
            g_autofree char *cell = g_strdup_printf("  %s  ", short_id);
            if (strstr(lines[l], cell) != NULL) {
                g_assert_cmpint(found, ==, -1);
                found = (int)i;
            }
        }
        g_assert_cmpint(found, >=, 0);
        g_string_append_printf(order, "%s%d", order->len > 0 ? " " : "", found);
    }
    return order;
}

/* Default: everything in Ajar's keeping, oldest first, one aligned line each. */
static void
test_list_default(Sample *s, gconstpointer data)
{
    g_autoptr(CliRun) run = cli_run_dir(&s->base, "list", NULL);
    g_autoptr(GString) order = NULL;
    g_auto(GStrv) lines = NULL;
    g_autofree char *first_time =
        local_time(CLI_SAMPLE_T0 + G_GINT64_CONSTANT(17) * 60 * G_USEC_PER_SEC);
    const char *state_column;

    cli_assert_status(run, 0);
    g_assert_cmpstr(run->err, ==, "");
    order = listed_samples(s, run->out);
    /* held, archived, read, delayed, queued, cancelled, held, archived */
    g_assert_cmpstr(order->str, ==, "1 2 3 4 6 7 10 11");
    lines = lines_of(run->out);
    g_assert_true(g_str_has_prefix(lines[0], first_time));
    cli_assert_contains(lines[0], "held");
    cli_assert_contains(lines[0], "from sam@example.org");
    g_assert_true(g_str_has_suffix(lines[0], "are you awake?"));
    /* The XMPP resource is left out of the list. */
    cli_assert_contains(lines[1], "from Mum@Example.org  ");
    /* More lines than the first: " …". */
    cli_assert_contains(lines[1], "I left something at your door. …");
    cli_assert_contains(lines[4], "to sam@example.org");
    /* Aligned: the state column starts at the same place on every line. */
    state_column = strstr(lines[0], "held");
    for (guint i = 1; lines[i] != NULL; i++) {
        const char *states[] = { "archived", "read", "delayed", "queued", "cancelled", "held" };
        const char *at = NULL;
        for (gsize k = 0; k < G_N_ELEMENTS(states) && at == NULL; k++)
            at = strstr(lines[i], states[k]);
        g_assert_nonnull(at);
        g_assert_cmpint(at - lines[i], ==, state_column - lines[0]);
    }
    /* COLUMNS=100 in the tests: nothing is wider. */
    for (guint i = 0; lines[i] != NULL; i++)
        g_assert_cmpint(g_utf8_strlen(lines[i], -1), <=, 100);
    /* Cut to fit, with "…". */
    cli_assert_contains(lines[3], "I have been thinking");
    g_assert_true(g_str_has_suffix(lines[3], "…"));
}

static void
test_list_states(Sample *s, gconstpointer data)
{
    static const struct {
        const char *state;
        const char *expected;
    } cases[] = {
        { "held", "1 7 10" }, /* their held messages and your cancelled one */
        { "archived", "2 3 11" },
        { "delayed", "4" },
        { "queued", "6" },
        { "all", "0 1 2 3 4 5 6 7 8 9 10 11" },
        { "ALL", "0 1 2 3 4 5 6 7 8 9 10 11" },
    };

    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(CliRun) run = cli_run_dir(&s->base, "list", "--state", cases[i].state, NULL);
        g_autoptr(GString) order = NULL;

        cli_assert_status(run, 0);
        order = listed_samples(s, run->out);
        g_assert_cmpstr(order->str, ==, cases[i].expected);
    }
}

static void
test_list_contact(Sample *s, gconstpointer data)
{
    static const struct {
        const char *contact;
        const char *expected;
    } cases[] = {
        { "Mum", "2 3 11" },                    /* the rule's name */
        { "mum", "2 3 11" },                    /* any case */
        { "mum@example.org", "2 3 11" },        /* the buddy without its resource */
        { "MUM@example.org/laptop", "2 3 11" }, /* another resource is the same person */
        { "sam@example.org", "1 4 6 7 10" },
    };

    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autoptr(CliRun) run = cli_run_dir(&s->base, "list", "--contact", cases[i].contact, NULL);
        g_autoptr(GString) order = NULL;

        cli_assert_status(run, 0);
        order = listed_samples(s, run->out);
        g_assert_cmpstr(order->str, ==, cases[i].expected);
    }
    {
        g_autoptr(CliRun) none = cli_run_dir(&s->base, "list", "--contact", "alex", NULL);
        cli_assert_status(none, 0);
        g_assert_cmpstr(none->out, ==, "No messages match.\n");
    }
}

static void
test_list_json(Sample *s, gconstpointer data)
{
    g_autoptr(CliRun) run = cli_run_dir(&s->base, "list", "--state", "all", "--json", NULL);
    g_autoptr(JsonParser) parser = json_parser_new();
    g_autoptr(GError) error = NULL;
    JsonArray *array;

    cli_assert_status(run, 0);
    g_assert_true(json_parser_load_from_data(parser, run->out, -1, &error));
    g_assert_no_error(error);
    array = json_node_get_array(json_parser_get_root(parser));
    g_assert_cmpuint(json_array_get_length(array), ==, CLI_SAMPLE_COUNT);
    for (guint i = 0; i < CLI_SAMPLE_COUNT; i++) {
        JsonObject *o = json_array_get_object_element(array, i);
        g_assert_cmpstr(json_object_get_string_member(o, "id"), ==, s->ids[i]);
        g_assert_cmpstr(json_object_get_string_member(o, "state"), ==, cli_sample_states[i]);
        g_assert_cmpstr(json_object_get_string_member(o, "account"), ==, "me@example.org/Home");
        g_assert_cmpstr(json_object_get_string_member(o, "protocol"), ==, "prpl-jabber");
        g_assert_true(json_object_has_member(o, "due"));
        g_assert_false(json_object_has_member(o, "history"));
        if (i == SAMPLE_LATIN1) {
            g_autofree guchar *bytes = NULL;
            gsize len;
            bytes = g_base64_decode(json_object_get_string_member(o, "text_base64"), &len);
            g_assert_cmpmem(bytes, len, cli_sample_texts[i], strlen(cli_sample_texts[i]));
            g_assert_false(json_object_has_member(o, "text"));
        } else {
            g_assert_cmpstr(json_object_get_string_member(o, "text"), ==, cli_sample_texts[i]);
        }
    }
    {
        JsonObject *o = json_array_get_object_element(array, SAMPLE_MISS_YOU);
        g_assert_cmpstr(json_object_get_string_member(o, "dir"), ==, "out");
        g_assert_cmpstr(json_object_get_string_member(o, "time"), ==, "2026-11-20T21:42:00Z");
        g_assert_cmpstr(json_object_get_string_member(o, "due"), ==, "2026-11-20T21:52:00Z");
        o = json_array_get_object_element(array, SAMPLE_AWAKE);
        g_assert_cmpstr(json_object_get_string_member(o, "dir"), ==, "in");
        g_assert_cmpstr(json_object_get_string_member(o, "rule"), ==, "Sam");
        g_assert_cmpstr(json_object_get_string_member(o, "buddy"), ==, "sam@example.org");
        g_assert_true(json_object_get_null_member(o, "due"));
    }
}

static void
test_show(Sample *s, gconstpointer data)
{
    g_autoptr(CliRun) run = cli_run_dir(&s->base, "show", s->ids[SAMPLE_SORRY], NULL);
    g_autofree char *when =
        local_time(CLI_SAMPLE_T0 + (gint64)SAMPLE_SORRY * 17 * 60 * G_USEC_PER_SEC);
    g_autofree char *time_line = g_strdup_printf("Time     %s\n", when);
    g_autofree char *id_line = g_strdup_printf("Id       %s\n", s->ids[SAMPLE_SORRY]);

    cli_assert_status(run, 0);
    g_assert_true(g_str_has_prefix(run->out, "To       sam@example.org\n"
                                             "Account  me@example.org/Home (prpl-jabber)\n"
                                             "Rule     Sam\n"));
    cli_assert_contains(run->out, time_line);
    cli_assert_contains(run->out, "State    cancelled\n");
    cli_assert_contains(run->out, "Due      ");
    cli_assert_contains(run->out, id_line);
    cli_assert_contains(run->out, "\n\nsorry about last night\n\nHistory\n");
    cli_assert_contains(run->out, "  queued     seq 8\n");
    cli_assert_contains(run->out, "  cancelled  seq ");
    g_assert_cmpstr(run->err, ==, "");
}

/* A unique beginning of the id will do, in any case; the short id `list`
 * shows always is one. */
static void
test_show_prefix(Sample *s, gconstpointer data)
{
    g_autofree char *short_id = g_strndup(s->ids[SAMPLE_DOOR], 10);
    g_autofree char *lower = g_ascii_strdown(short_id, -1);
    g_autoptr(CliRun) run = cli_run_dir(&s->base, "show", short_id, NULL);
    g_autoptr(CliRun) run2 = cli_run_dir(&s->base, "show", lower, NULL);

    cli_assert_status(run, 0);
    cli_assert_contains(run->out, "From     Mum@Example.org/phone\n");
    cli_assert_contains(run->out, "\n\nI left something at your door.\nIt's on the step.\n");
    cli_assert_status(run2, 0);
    g_assert_cmpstr(run2->out, ==, run->out);
}

static void
test_show_ambiguous(Sample *s, gconstpointer data)
{
    g_autoptr(CliRun) run = cli_run_dir(&s->base, "show", "01", NULL);

    cli_assert_status(run, 1);
    g_assert_cmpstr(run->out, ==, "");
    cli_assert_contains(run->err, "ajar: '01' could be 12 messages (");
    cli_assert_contains(run->err, "give more of the id");
}

static void
test_show_unknown(Sample *s, gconstpointer data)
{
    g_autoptr(CliRun) run = cli_run_dir(&s->base, "show", "ZZZZZZZZZZ", NULL);
    g_autofree char *message =
        g_strdup_printf("ajar: no message 'ZZZZZZZZZZ' in %s\n", s->base.journal);

    cli_assert_status(run, 1);
    g_assert_cmpstr(run->out, ==, "");
    g_assert_cmpstr(run->err, ==, message);
}

/* Long texts wrap on spaces to the terminal's width, never losing a word. */
static void
test_show_wrap(Sample *s, gconstpointer data)
{
    const char *overrides[] = { "COLUMNS=40", NULL };
    const char *args[] = { "--dir", s->base.purple, "show", s->ids[SAMPLE_LONG], NULL };
    g_autoptr(CliRun) run = cli_run(&s->base, overrides, args);
    g_autofree char *body = NULL;
    g_auto(GStrv) lines = NULL;
    g_auto(GStrv) words = NULL;
    g_autofree char *joined = NULL;
    const char *start, *end;

    cli_assert_status(run, 0);
    start = strstr(run->out, "\n\n");
    end = strstr(run->out, "\n\nHistory");
    g_assert_nonnull(start);
    g_assert_nonnull(end);
    body = g_strndup(start + 2, (gsize)(end - start - 2));
    lines = g_strsplit(body, "\n", -1);
    g_assert_cmpuint(g_strv_length(lines), >=, 7);
    for (guint i = 0; lines[i] != NULL; i++) {
        g_assert_cmpint(g_utf8_strlen(lines[i], -1), <=, 40);
        g_assert_false(g_str_has_suffix(lines[i], " "));
    }
    joined = g_strjoinv(" ", lines);
    g_assert_cmpstr(joined, ==, cli_sample_texts[SAMPLE_LONG]);
}

static void
apply_cb(const AjarEvent *event, gpointer user_data)
{
    ajar_state_apply(user_data, event);
}

static AjarState *
replay(const char *path)
{
    AjarState *state = ajar_state_new();
    g_autoptr(GError) error = NULL;

    g_assert_true(ajar_journal_read_file(path, apply_cb, state, NULL, &error));
    g_assert_no_error(error);
    return state;
}

/* `ajar stats` prints exactly what the core's formatter (which the plugin's
 * "Statistics…" shows) gives for the same journal. */
static void
test_stats_same_as_core(Sample *s, gconstpointer data)
{
    g_autoptr(AjarState) state = replay(s->base.journal);
    g_autoptr(GPtrArray) stats = ajar_stats_compute(state);
    g_autoptr(GDateTime) before = g_date_time_new_now_local();
    g_autofree char *expected_before = ajar_stats_format_text(stats, before);
    g_autoptr(CliRun) run = cli_run_dir(&s->base, "stats", NULL);
    g_autoptr(GDateTime) after = g_date_time_new_now_local();
    g_autofree char *expected_after = ajar_stats_format_text(stats, after);
    g_autofree char *expected_json = ajar_stats_format_json(stats);
    g_autoptr(CliRun) json = cli_run_dir(&s->base, "stats", "--json", NULL);

    cli_assert_status(run, 0);
    /* "… ago" may have moved on a minute while the command ran. */
    if (g_strcmp0(run->out, expected_after) != 0)
        g_assert_cmpstr(run->out, ==, expected_before);
    cli_assert_contains(run->out, "Sam\n");
    cli_assert_contains(run->out, "Times you held back     2\n");
    cli_assert_status(json, 0);
    g_assert_cmpstr(json->out, ==, expected_json);
}

/* Appends @type for message @id, as the plugin does. */
static void
append_event(const Sample *s, AjarEventType type, const char *id)
{
    g_autoptr(GError) error = NULL;
    AjarJournal *journal = ajar_journal_open(s->base.ajar, AJAR_FLUSH_EVERY_EVENT, &error);
    g_autoptr(AjarEvent) event = ajar_event_new(type);

    g_assert_no_error(error);
    event->ts = CLI_SAMPLE_T0 + 3 * G_TIME_SPAN_DAY;
    event->id = g_strdup(id);
    g_assert_true(ajar_journal_append(journal, event, &error));
    g_assert_no_error(error);
    ajar_journal_close(journal);
}

/* Ajar stopped while showing one of theirs ("showing" last) and while
 * sending one of yours ("sending", then kept unsent): both kept, listed as
 * held, and each says it may already have been shown or sent. */
static void
test_interrupted(Sample *s, gconstpointer data)
{
    const char *theirs = s->ids[SAMPLE_AWAKE];
    const char *yours = s->ids[SAMPLE_MISS_YOU];

    append_event(s, AJAR_EVENT_SHOWING, theirs);
    append_event(s, AJAR_EVENT_SENDING, yours);
    append_event(s, AJAR_EVENT_CANCELLED, yours);
    {
        g_autoptr(CliRun) run = cli_run_dir(&s->base, "list", "--state", "held", NULL);
        g_autoptr(GString) order = NULL;
        cli_assert_status(run, 0);
        order = listed_samples(s, run->out);
        /* Held: "are you awake?" (now "showing"), "I miss you" (kept unsent
         * after "sending"), and the two that were already there. */
        g_assert_cmpstr(order->str, ==, "1 6 7 10");
        cli_assert_contains(run->out, "showing");
    }
    {
        g_autoptr(CliRun) run = cli_run_dir(&s->base, "show", theirs, NULL);
        cli_assert_status(run, 0);
        cli_assert_contains(run->out, "showing");
        cli_assert_contains(
            run->out, "Ajar stopped while showing it: it may already be in the conversation.");
    }
    {
        g_autoptr(CliRun) run = cli_run_dir(&s->base, "show", yours, NULL);
        cli_assert_status(run, 0);
        cli_assert_contains(run->out,
                            "Ajar stopped while sending it: it may already have reached them.");
    }
    {
        g_autoptr(CliRun) run = cli_run_dir(&s->base, "show", s->ids[SAMPLE_SORRY], NULL);
        cli_assert_status(run, 0);
        cli_assert_lacks(run->out, "Ajar stopped");
    }
    {
        g_autoptr(CliRun) run = cli_run_dir(&s->base, "export", "--format", "json", NULL);
        const char *first;
        cli_assert_status(run, 0);
        first = strstr(run->out, "\"interrupted\":true");
        g_assert_nonnull(first);
        g_assert_nonnull(strstr(first + 1, "\"interrupted\":true"));
        g_assert_null(strstr(strstr(first + 1, "\"interrupted\":true") + 1, "\"interrupted\""));
    }
    {
        g_autoptr(CliRun) run = cli_run_dir(&s->base, "export", "--format", "html", NULL);
        const char *shown;
        cli_assert_status(run, 0);
        shown = strstr(run->out, " · may already have been shown");
        g_assert_nonnull(shown);
        g_assert_null(strstr(shown + 1, " · may already have been shown"));
        cli_assert_contains(run->out, " · may already have been sent");
    }
    {
        g_autoptr(CliRun) run = cli_run_dir(&s->base, "verify", NULL);
        cli_assert_status(run, 0);
        cli_assert_contains(run->out, "1 showing");
    }
}

/* A discarded message is still there for `show`, with its text; brought
 * back ("restored"), it is listed as kept again and `show` tells both steps. */
static void
test_discarded_restored(Sample *s, gconstpointer data)
{
    const char *letter = s->ids[SAMPLE_LETTER];

    {
        g_autoptr(CliRun) run = cli_run_dir(&s->base, "show", letter, NULL);
        cli_assert_status(run, 0);
        cli_assert_contains(run->out, "a letter I will not send");
        cli_assert_contains(run->out, "discarded");
    }
    append_event(s, AJAR_EVENT_RESTORED, letter);
    {
        g_autoptr(CliRun) run = cli_run_dir(&s->base, "show", letter, NULL);
        cli_assert_status(run, 0);
        cli_assert_contains(run->out, "a letter I will not send");
        cli_assert_contains(run->out, "discarded");
        cli_assert_contains(run->out, "restored");
    }
    {
        /* Your unsent letter again: in the default listing and in --state held. */
        g_autoptr(CliRun) run = cli_run_dir(&s->base, "list", "--state", "held", NULL);
        cli_assert_status(run, 0);
        cli_assert_contains(run->out, "a letter I will not");
    }
    {
        g_autoptr(CliRun) run = cli_run_dir(&s->base, "verify", NULL);
        cli_assert_status(run, 0);
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

#define ADD(path, fn) g_test_add(path, Sample, NULL, sample_set_up, fn, sample_tear_down)
    ADD("/cli/list/default", test_list_default);
    ADD("/cli/list/states", test_list_states);
    ADD("/cli/list/contact", test_list_contact);
    ADD("/cli/list/json", test_list_json);
    ADD("/cli/show/full", test_show);
    ADD("/cli/show/prefix", test_show_prefix);
    ADD("/cli/show/ambiguous", test_show_ambiguous);
    ADD("/cli/show/unknown", test_show_unknown);
    ADD("/cli/show/wrap", test_show_wrap);
    ADD("/cli/show/discarded-restored", test_discarded_restored);
    ADD("/cli/stats/same-as-core", test_stats_same_as_core);
    ADD("/cli/interrupted", test_interrupted);
#undef ADD
    return g_test_run();
}
