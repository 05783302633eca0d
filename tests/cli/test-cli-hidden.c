/* test-cli-hidden.c — text that lies about itself: a bidi override, a
 * zero-width space, tag characters or a lookalike sender's name are shown
 * by `ajar list/show/stats` as visible marks ("<U+202E>", "[mixed
 * alphabets]") and by the HTML export as marked, isolated text; never raw.
 * `ajar export --format json` is data: it keeps every byte. */
#include <string.h>

#include <json-glib/json-glib.h>

#include "cli-test-util.h"

#define RLO "\xE2\x80\xAE"       /* U+202E RIGHT-TO-LEFT OVERRIDE */
#define LRI "\xE2\x81\xA6"       /* U+2066 LEFT-TO-RIGHT ISOLATE */
#define PDI "\xE2\x81\xA9"       /* U+2069 POP DIRECTIONAL ISOLATE */
#define ZWSP "\xE2\x80\x8B"      /* U+200B ZERO WIDTH SPACE */
#define SHY "\xC2\xAD"           /* U+00AD SOFT HYPHEN */
#define BOM "\xEF\xBB\xBF"       /* U+FEFF */
#define TAG_I "\xF3\xA0\x81\xA9" /* U+E0069 TAG LATIN SMALL LETTER I */
#define TAG_G "\xF3\xA0\x81\xA7" /* U+E0067 */
#define CYRILLIC_A "\xD0\xB0"    /* U+0430, looks like "a" */
#define WOMAN_TECHNOLOGIST "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x92\xBB" /* with U+200D */

#define LOOKALIKE "s" CYRILLIC_A "m@example.org"
#define HIDDEN_RULE "Mum" RLO

enum {
    MSG_OVERRIDE,
    MSG_INVISIBLE,
    MSG_EMOJI,
    MSG_COUNT
};

static const struct {
    const char *buddy;
    const char *rule;
    const char *text;
    AjarEventType type;
} messages[MSG_COUNT] = {
    [MSG_OVERRIDE] = { LOOKALIKE, "Sam", "invoice" RLO "txt.exe is ready", AJAR_EVENT_HELD },
    [MSG_INVISIBLE] = { "sam@example.org", "Sam",
                        "emer" ZWSP "gency" SHY " " LRI "isolated" PDI " " BOM "hi" TAG_I TAG_G,
                        AJAR_EVENT_HELD },
    [MSG_EMOJI] = { "mum@example.org", HIDDEN_RULE, WOMAN_TECHNOLOGIST " at work",
                    AJAR_EVENT_ARCHIVED },
};

/* The hidden characters the messages above use, as they must never be
 * shown (U+200D is not here: an emoji sequence needs it). */
static const gunichar raw_hidden[] = { 0x202E, 0x2066, 0x2069,  0x200B,
                                       0xAD,   0xFEFF, 0xE0069, 0xE0067 };

typedef struct {
    CliFixture base;
    char *ids[MSG_COUNT];
} Hidden;

static void
hidden_set_up(Hidden *h, gconstpointer data)
{
    g_autofree char *dir = NULL;
    g_autoptr(GError) error = NULL;
    AjarJournal *journal;

    cli_fixture_set_up(&h->base, data);
    dir = g_build_filename(h->base.purple, "ajar", NULL);
    journal = ajar_journal_open(dir, AJAR_FLUSH_EVERY_EVENT, &error);
    g_assert_no_error(error);
    for (guint i = 0; i < MSG_COUNT; i++) {
        g_autoptr(AjarEvent) event = ajar_event_new(messages[i].type);

        event->time = CLI_SAMPLE_T0 + i * G_USEC_PER_SEC * 60;
        event->ts = event->time;
        event->has_dir = TRUE;
        event->dir = AJAR_DIRECTION_IN;
        event->account = g_strdup("me@example.org/Home");
        event->protocol = g_strdup("prpl-jabber");
        event->buddy = g_strdup(messages[i].buddy);
        event->rule = g_strdup(messages[i].rule);
        event->text = g_strdup(messages[i].text);
        event->text_len = strlen(messages[i].text);
        g_assert_true(ajar_journal_append(journal, event, &error));
        g_assert_no_error(error);
        h->ids[i] = g_strdup(event->id);
    }
    ajar_journal_close(journal);
}

static void
hidden_tear_down(Hidden *h, gconstpointer data)
{
    for (guint i = 0; i < MSG_COUNT; i++)
        g_free(h->ids[i]);
    cli_fixture_tear_down(&h->base, data);
}

/* None of the messages' hidden characters reaches @out raw. */
static void
assert_no_raw_hidden(const char *what, const char *out)
{
    g_assert_true(g_utf8_validate(out, -1, NULL));
    for (const char *p = out; *p != '\0'; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        for (gsize i = 0; i < G_N_ELEMENTS(raw_hidden); i++) {
            if (c == raw_hidden[i])
                g_error("%s: U+%04X reached the output raw, at byte %td: %.40s", what, c, p - out,
                        out);
        }
    }
}

static CliRun *
run_wide(Hidden *h, const char *command, const char *arg)
{
    const char *env[] = { "COLUMNS=200", NULL };
    const char *args[] = { "--dir", h->base.purple, command, arg, NULL };

    return cli_run(&h->base, env, args);
}

static void
test_list(Hidden *h, gconstpointer data)
{
    const char *env[] = { "TERM=xterm-256color", NULL };
    const char *args[] = { "--dir", h->base.purple, "list", NULL };
    g_autoptr(CliRun) list = run_wide(h, "list", NULL);
    g_autoptr(CliRun) pty = cli_run_pty(&h->base, env, args, 200);

    cli_assert_status(list, 0);
    g_test_message("%s", list->out);
    assert_no_raw_hidden("list", list->out);
    /* The true order, and that something is hidden there. */
    cli_assert_contains(list->out, "invoice<U+202E>txt.exe is ready");
    cli_assert_contains(list->out, "emer<U+200B>gency<U+00AD> <U+2066>isolated<U+2069> <U+FEFF>hi"
                                   "<U+E0069><U+E0067>");
    /* A lookalike name says so, whole, in the narrow "from" column too. */
    cli_assert_contains(list->out, "from " LOOKALIKE " [mixed alphabets]");
    cli_assert_lacks(list->out, "from sam@example.org [mixed");
    /* What writing needs stays as it is. */
    cli_assert_contains(list->out, WOMAN_TECHNOLOGIST " at work");
    cli_assert_status(pty, 0);
    assert_no_raw_hidden("list on a terminal", pty->out);
    cli_assert_contains(pty->out, "invoice<U+202E>txt.exe");
}

static void
test_show(Hidden *h, gconstpointer data)
{
    g_autoptr(CliRun) lookalike = run_wide(h, "show", h->ids[MSG_OVERRIDE]);
    g_autoptr(CliRun) invisible = run_wide(h, "show", h->ids[MSG_INVISIBLE]);
    g_autoptr(CliRun) emoji = run_wide(h, "show", h->ids[MSG_EMOJI]);

    cli_assert_status(lookalike, 0);
    assert_no_raw_hidden("show", lookalike->out);
    cli_assert_contains(lookalike->out, "From     " LOOKALIKE " [mixed alphabets]\n");
    cli_assert_contains(lookalike->out, "\n\ninvoice<U+202E>txt.exe is ready\n");
    cli_assert_status(invisible, 0);
    assert_no_raw_hidden("show", invisible->out);
    cli_assert_contains(invisible->out, "From     sam@example.org\n");
    cli_assert_contains(invisible->out, "\n\nemer<U+200B>gency<U+00AD> <U+2066>isolated<U+2069> "
                                        "<U+FEFF>hi<U+E0069><U+E0067>\n");
    cli_assert_status(emoji, 0);
    assert_no_raw_hidden("show", emoji->out);
    cli_assert_contains(emoji->out, "Rule     Mum<U+202E>\n");
    cli_assert_contains(emoji->out, "\n\n" WOMAN_TECHNOLOGIST " at work\n");
}

static void
test_stats(Hidden *h, gconstpointer data)
{
    g_autoptr(CliRun) stats = run_wide(h, "stats", NULL);

    cli_assert_status(stats, 0);
    assert_no_raw_hidden("stats", stats->out);
    cli_assert_contains(stats->out, "Mum<U+202E>\n");
}

static void
test_html(Hidden *h, gconstpointer data)
{
    g_autoptr(CliRun) run = cli_run_dir(&h->base, "export", "--format", "html", NULL);
    const char *html;

    cli_assert_status(run, 0);
    html = run->out;
    assert_no_raw_hidden("HTML", html);
    /* Marked where it was, styled so that it cannot pass for their words. */
    cli_assert_contains(html, "invoice<span class=\"hidden-char\">&lt;U+202E&gt;</span>txt.exe");
    cli_assert_contains(html, "<span class=\"hidden-char\">&lt;U+E0069&gt;</span>");
    cli_assert_contains(html, ".hidden-char{");
    /* Texts and names are isolated: a right-to-left name cannot reorder
     * the words around it. */
    cli_assert_contains(html, "<p class=\"text\" dir=\"auto\">invoice");
    cli_assert_contains(html, "from <bdi>" LOOKALIKE "</bdi> <span class=\"mixed-scripts\">"
                              "[mixed alphabets]</span>");
    cli_assert_contains(html, "from <bdi>sam@example.org</bdi> ·");
    cli_assert_contains(html,
                        "<h2><bdi>Mum<span class=\"hidden-char\">&lt;U+202E&gt;</span></bdi></h2>");
    cli_assert_contains(html, WOMAN_TECHNOLOGIST " at work");
}

/* The JSON export is data for other programs: byte for byte what the
 * journal holds, hidden characters included. */
static void
test_json_byte_exact(Hidden *h, gconstpointer data)
{
    g_autoptr(CliRun) run = cli_run_dir(&h->base, "export", "--format", "json", NULL);
    g_autoptr(CliRun) list = cli_run_dir(&h->base, "list", "--json", NULL);
    g_autoptr(JsonParser) parser = json_parser_new();
    g_autoptr(JsonParser) list_parser = json_parser_new();
    g_autoptr(GError) error = NULL;
    JsonArray *exported, *listed;

    cli_assert_status(run, 0);
    cli_assert_status(list, 0);
    cli_assert_lacks(run->out, "<U+");
    cli_assert_lacks(run->out, "[mixed");
    g_assert_true(json_parser_load_from_data(parser, run->out, -1, &error));
    g_assert_no_error(error);
    g_assert_true(json_parser_load_from_data(list_parser, list->out, -1, &error));
    g_assert_no_error(error);
    exported = json_object_get_array_member(json_node_get_object(json_parser_get_root(parser)),
                                            "messages");
    listed = json_node_get_array(json_parser_get_root(list_parser));
    g_assert_cmpuint(json_array_get_length(exported), ==, MSG_COUNT);
    g_assert_cmpuint(json_array_get_length(listed), ==, MSG_COUNT);
    for (guint i = 0; i < MSG_COUNT; i++) {
        JsonObject *o = json_array_get_object_element(exported, i);
        JsonObject *l = json_array_get_object_element(listed, i);

        g_assert_cmpstr(json_object_get_string_member(o, "text"), ==, messages[i].text);
        g_assert_cmpstr(json_object_get_string_member(o, "buddy"), ==, messages[i].buddy);
        g_assert_cmpstr(json_object_get_string_member(o, "rule"), ==, messages[i].rule);
        g_assert_cmpstr(json_object_get_string_member(l, "text"), ==, messages[i].text);
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

#define ADD(path, fn) g_test_add(path, Hidden, NULL, hidden_set_up, fn, hidden_tear_down)
    ADD("/cli/hidden/list", test_list);
    ADD("/cli/hidden/show", test_show);
    ADD("/cli/hidden/stats", test_stats);
    ADD("/cli/hidden/html", test_html);
    ADD("/cli/hidden/json-byte-exact", test_json_byte_exact);
#undef ADD
    return g_test_run();
}
