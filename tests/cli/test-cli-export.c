/* test-cli-export.c — `ajar export`: one JSON document with every message
 * and its history, and one self-contained HTML page with every text escaped. */
#include <string.h>
#include <sys/stat.h>

#include <json-glib/json-glib.h>

#include "cli-test-util.h"

typedef CliSampleFixture Sample;
#define sample_set_up cli_sample_set_up
#define sample_tear_down cli_sample_tear_down

static JsonParser *
parse_ok(const char *text)
{
    JsonParser *parser = json_parser_new();
    g_autoptr(GError) error = NULL;

    g_assert_true(json_parser_load_from_data(parser, text, -1, &error));
    g_assert_no_error(error);
    return parser;
}

static void
test_json(Sample *s, gconstpointer data)
{
    g_autoptr(CliRun) run = cli_run_dir(&s->base, "export", "--format", "json", NULL);
    g_autoptr(JsonParser) parser = NULL;
    JsonObject *root, *o;
    JsonArray *messages, *history;
    g_autoptr(GDateTime) exported = NULL;

    cli_assert_status(run, 0);
    g_assert_cmpstr(run->err, ==, "");
    parser = parse_ok(run->out);
    root = json_node_get_object(json_parser_get_root(parser));
    g_assert_cmpstr(json_object_get_string_member(root, "journal"), ==, s->base.journal);
    exported = g_date_time_new_from_iso8601(json_object_get_string_member(root, "exported"), NULL);
    g_assert_nonnull(exported);
    messages = json_object_get_array_member(root, "messages");
    g_assert_cmpuint(json_array_get_length(messages), ==, CLI_SAMPLE_COUNT);

    for (guint i = 0; i < CLI_SAMPLE_COUNT; i++) {
        o = json_array_get_object_element(messages, i);
        g_assert_cmpstr(json_object_get_string_member(o, "id"), ==, s->ids[i]);
        g_assert_cmpstr(json_object_get_string_member(o, "state"), ==, cli_sample_states[i]);
        history = json_object_get_array_member(o, "history");
        /* The custody event first (seq = its place), then the outcome if any. */
        g_assert_cmpint(
            json_object_get_int_member(json_array_get_object_element(history, 0), "seq"), ==,
            i + 1);
        g_assert_cmpstr(
            json_object_get_string_member(json_array_get_object_element(history, 0), "event"), ==,
            i == SAMPLE_DOOR || i == SAMPLE_GOT_IT || i == SAMPLE_LATIN1 ? "archived"
            : i == SAMPLE_LONG || i == SAMPLE_MORNING                    ? "delayed"
            : i >= SAMPLE_MISS_YOU && i <= SAMPLE_SEE_YOU                ? "queued"
                                                                         : "held");
        if (strcmp(cli_sample_states[i], "held") == 0 ||
            strcmp(cli_sample_states[i], "archived") == 0 ||
            strcmp(cli_sample_states[i], "delayed") == 0 ||
            strcmp(cli_sample_states[i], "queued") == 0) {
            g_assert_cmpuint(json_array_get_length(history), ==, 1);
        } else {
            JsonObject *last;
            g_assert_cmpuint(json_array_get_length(history), ==, 2);
            last = json_array_get_object_element(history, 1);
            g_assert_cmpstr(json_object_get_string_member(last, "event"), ==, cli_sample_states[i]);
            g_assert_cmpint(json_object_get_int_member(last, "seq"), >, CLI_SAMPLE_COUNT);
        }
    }
    o = json_array_get_object_element(messages, SAMPLE_SCRIPT);
    g_assert_cmpstr(json_object_get_string_member(o, "text"), ==, cli_sample_texts[SAMPLE_SCRIPT]);
    history = json_object_get_array_member(o, "history");
    g_assert_cmpstr(json_object_get_string_member(json_array_get_object_element(history, 0), "ts"),
                    ==, "2026-11-20T20:00:02.000Z");
    g_assert_cmpstr(json_object_get_string_member(json_array_get_object_element(history, 1), "ts"),
                    ==, "2026-11-21T20:00:00.000Z");
    o = json_array_get_object_element(messages, SAMPLE_ESCAPE);
    g_assert_cmpstr(json_object_get_string_member(o, "text"), ==, cli_sample_texts[SAMPLE_ESCAPE]);
    o = json_array_get_object_element(messages, SAMPLE_LATIN1);
    g_assert_false(json_object_has_member(o, "text"));
    g_assert_cmpstr(json_object_get_string_member(o, "text_base64"), ==, "Y2Fm6SBhdSBsYWl0");
}

/* Everything a message says is text on the page, never markup. */
static void
test_html_escaping(Sample *s, gconstpointer data)
{
    g_autoptr(CliRun) run = cli_run_dir(&s->base, "export", "--format", "html", NULL);
    const char *html;

    cli_assert_status(run, 0);
    html = run->out;
    g_assert_true(g_str_has_prefix(html, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
                                         "<meta charset=\"utf-8\">\n"));
    cli_assert_contains(html, "<title>");
    g_assert_true(g_str_has_suffix(html, "</html>\n"));
    /* The raw forms never appear ... */
    cli_assert_lacks(html, "<script");
    cli_assert_lacks(html, "alert(1)</script>");
    cli_assert_lacks(html, "<b>");
    cli_assert_lacks(html, "alert(2)");
    cli_assert_lacks(html, "Tom & Jerry");
    cli_assert_lacks(html, "\"hi\"");
    cli_assert_lacks(html, "'bye'");
    cli_assert_lacks(html, "\033");
    cli_assert_lacks(html, "\a");
    /* ... what they typed is shown as text, their formatting is gone. */
    cli_assert_contains(html, "&lt;script&gt;alert(1)&lt;/script&gt; Tom &amp; Jerry said "
                              "&quot;hi&quot; and &#39;bye&#39; bold</p>");
    cli_assert_contains(html, "␛[31mred alert␛[0m␇");
    cli_assert_contains(html, "caf\xEF\xBF\xBD au lait");
    /* Newlines stay newlines; CSS keeps them. */
    cli_assert_contains(html, "I left something at your door.\nIt&#39;s on the step.");
    cli_assert_contains(html, "white-space:pre-wrap");
    /* One section per rule, in name order, each with its messages. */
    /* (Names are isolated in <bdi>: a right-to-left one cannot reorder the
     * heading; test-cli-hidden.c.) */
    g_assert_true(strstr(html, "<h2><bdi>Mum</bdi></h2>") <
                  strstr(html, "<h2><bdi>Sam</bdi></h2>"));
    g_assert_nonnull(strstr(html, "<h2><bdi>Mum</bdi></h2>"));
    cli_assert_contains(html, "state-cancelled");
    cli_assert_contains(html, "<time datetime=\"2026-11-20T21:59:00Z\">");
}

/* Self-contained: nothing to fetch, nothing to run. */
static void
test_html_self_contained(Sample *s, gconstpointer data)
{
    g_autoptr(CliRun) run = cli_run_dir(&s->base, "export", "--format", "html", NULL);
    g_autofree char *lower = NULL;

    cli_assert_status(run, 0);
    lower = g_ascii_strdown(run->out, -1);
    cli_assert_lacks(lower, "http:");
    cli_assert_lacks(lower, "https:");
    cli_assert_lacks(lower, "src=");
    cli_assert_lacks(lower, "href=");
    cli_assert_lacks(lower, "<link");
    cli_assert_lacks(lower, "@import");
    cli_assert_lacks(lower, "url(");
    cli_assert_lacks(lower, "<script");
    /* no event handler attributes (onload=, onclick=, ...) */
    g_assert_false(g_regex_match_simple("<[^>]*\\son[a-z]+\\s*=", lower, 0, 0));
    cli_assert_contains(lower, "content-security-policy\" content=\"default-src 'none'");
}

/* Basic well-formedness: every tag the page opens, it closes, in order. */
static void
test_html_balanced(Sample *s, gconstpointer data)
{
    static const char *const void_elements[] = { "meta", "br", NULL };
    g_autoptr(CliRun) run = cli_run_dir(&s->base, "export", "--format", "html", NULL);
    g_autoptr(GPtrArray) open = g_ptr_array_new_with_free_func(g_free);
    const char *p;

    cli_assert_status(run, 0);
    g_assert_true(g_utf8_validate(run->out, -1, NULL));
    p = strstr(run->out, "<html");
    while ((p = strchr(p, '<')) != NULL) {
        const char *end = strchr(p, '>');
        gboolean closing = p[1] == '/';
        const char *name_start = p + (closing ? 2 : 1);
        gsize name_len = strspn(name_start, "abcdefghijklmnopqrstuvwxyz0123456789");
        g_autofree char *name = g_strndup(name_start, name_len);

        g_assert_nonnull(end);
        g_assert_cmpuint(name_len, >, 0);
        if (closing) {
            g_assert_cmpuint(open->len, >, 0);
            g_assert_cmpstr(g_ptr_array_index(open, open->len - 1), ==, name);
            g_ptr_array_remove_index(open, open->len - 1);
        } else if (!g_strv_contains(void_elements, name)) {
            g_ptr_array_add(open, g_steal_pointer(&name));
        }
        p = end + 1;
    }
    g_assert_cmpuint(open->len, ==, 0);
}

/* -o FILE: a private file (0600), the same bytes as on stdout. */
static void
test_output_file(Sample *s, gconstpointer data)
{
    g_autofree char *path = g_build_filename(s->base.home, "export.json", NULL);
    g_autoptr(CliRun) run = NULL;
    g_autoptr(CliRun) again = NULL;
    g_autofree char *contents = NULL;
    g_autoptr(JsonParser) parser = NULL;
    struct stat st;

    /* An existing file with loose permissions is replaced by a private one. */
    g_assert_true(g_file_set_contents(path, "old", -1, NULL));
    g_assert_cmpint(chmod(path, 0644), ==, 0);
    run = cli_run_dir(&s->base, "export", "--format", "json", "-o", path, NULL);
    cli_assert_status(run, 0);
    g_assert_cmpstr(run->out, ==, "");
    g_assert_cmpint(stat(path, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);
    g_assert_true(g_file_get_contents(path, &contents, NULL, NULL));
    parser = parse_ok(contents);
    again = cli_run_dir(&s->base, "export", "--format", "json", "--output", "-", NULL);
    cli_assert_status(again, 0);
    cli_assert_contains(again->out, "\"messages\":[");

    {
        g_autofree char *missing =
            g_build_filename(s->base.home, "no", "such", "dir", "x.html", NULL);
        g_autoptr(CliRun) fails =
            cli_run_dir(&s->base, "export", "--format", "html", "-o", missing, NULL);
        cli_assert_status(fails, 1);
        cli_assert_contains(fails->err, "ajar: ");
        g_assert_false(g_file_test(missing, G_FILE_TEST_EXISTS));
    }
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

#define ADD(path, fn) g_test_add(path, Sample, NULL, sample_set_up, fn, sample_tear_down)
    ADD("/cli/export/json", test_json);
    ADD("/cli/export/html-escaping", test_html_escaping);
    ADD("/cli/export/html-self-contained", test_html_self_contained);
    ADD("/cli/export/html-balanced", test_html_balanced);
    ADD("/cli/export/output-file", test_output_file);
#undef ADD
    return g_test_run();
}
