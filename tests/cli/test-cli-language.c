/* test-cli-language.c — `ajar` in another language: the words change, the
 * formats other programs read (--json, the JSON export, the HTML export's
 * structure) do not.
 *
 * Runs the built `ajar` in a real de_DE.UTF-8 locale (scripts/test generates
 * it) with the built catalogues ($AJAR_TEST_LOCALEDIR, build/po). */
#include <locale.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "cli-test-util.h"

typedef CliSampleFixture Sample;

#define GERMAN "LC_ALL=de_DE.UTF-8"

/* The overrides that run `ajar` in @locale_setting with the built catalogues. */
static GStrv
language_overrides(const char *locale_setting)
{
    const char *localedir = g_getenv("AJAR_TEST_LOCALEDIR");
    GStrv overrides = g_new0(char *, 3);

    g_assert_nonnull(localedir);
    overrides[0] = g_strdup(locale_setting);
    overrides[1] = g_strdup_printf("AJAR_LOCALEDIR=%s", localedir);
    return overrides;
}

/* True when the system has the locale @name (as `locale -a` lists it). */
static gboolean
have_locale(const char *name)
{
    char *saved = g_strdup(setlocale(LC_ALL, NULL));
    gboolean have = setlocale(LC_ALL, name) != NULL;

    setlocale(LC_ALL, saved);
    g_free(saved);
    return have;
}

static CliRun *
run_in(const Sample *s, const char *locale_setting, const char *const *args)
{
    g_auto(GStrv) overrides = language_overrides(locale_setting);
    g_autoptr(GPtrArray) argv = g_ptr_array_new();

    g_ptr_array_add(argv, (gpointer) "--dir");
    g_ptr_array_add(argv, s->base.purple);
    for (guint i = 0; args[i] != NULL; i++)
        g_ptr_array_add(argv, (gpointer)args[i]);
    g_ptr_array_add(argv, NULL);
    return cli_run(&s->base, (const char *const *)overrides, (const char *const *)argv->pdata);
}

/* run_in(), which must succeed. */
static CliRun *
run_ok(const Sample *s, const char *locale_setting, const char *const *args)
{
    CliRun *run = run_in(s, locale_setting, args);

    cli_assert_status(run, 0);
    return run;
}

static gboolean
require_german(void)
{
    if (have_locale("de_DE.UTF-8"))
        return TRUE;
    g_test_message("the locale de_DE.UTF-8 is missing: scripts/test generates it "
                   "(localedef -i de_DE -c -f UTF-8 de_DE.UTF-8)");
    g_test_fail();
    return FALSE;
}

/* `ajar stats` speaks German: every label and sentence of it. */
static void
test_stats_german(Sample *s, gconstpointer data)
{
    static const char *const args[] = { "stats", NULL };
    g_autoptr(CliRun) english = NULL;
    g_autoptr(CliRun) german = NULL;

    if (!require_german())
        return;
    english = run_ok(s, "LC_ALL=C.UTF-8", args);
    german = run_ok(s, GERMAN, args);
    g_test_message("ajar stats in German:\n%s", german->out);
    /* The same rules, in the same order, by their (untranslated) names. */
    cli_assert_contains(german->out, "Sam\n");
    cli_assert_contains(german->out, "Mum\n");
    /* Labels as po/de.po has them, a count in a sentence, and a German date. */
    cli_assert_contains(german->out, "  Nicht abgeschickt ");
    cli_assert_contains(german->out, "  Zurückgehalten ");
    cli_assert_contains(german->out, " insgesamt, ");
    cli_assert_contains(german->out, "  Deine letzte Nachricht ");
    /* Not a word of the English labels is left. */
    cli_assert_contains(english->out, "Times you held back");
    cli_assert_lacks(german->out, "Times you held back");
    cli_assert_lacks(german->out, "Their messages held");
    cli_assert_lacks(german->out, "You last wrote to them");
    cli_assert_lacks(german->out, " ago");
}

/* JSON other programs read is the same byte for byte in any language. */
static void
test_json_unchanged(Sample *s, gconstpointer data)
{
    static const char *const stats[] = { "stats", "--json", NULL };
    static const char *const list[] = { "list", "--state", "all", "--json", NULL };
    const char *const *commands[] = { stats, list };

    if (!require_german())
        return;
    for (guint c = 0; c < G_N_ELEMENTS(commands); c++) {
        g_autoptr(CliRun) english = run_ok(s, "LC_ALL=C.UTF-8", commands[c]);
        g_autoptr(CliRun) german = run_ok(s, GERMAN, commands[c]);

        g_assert_cmpstr(german->out, ==, english->out);
    }
}

/* The JSON export, but for the moment it was made, is the same in any language. */
static char *
export_without_time(const char *json)
{
    g_autoptr(JsonParser) parser = json_parser_new();
    g_autoptr(JsonGenerator) generator = json_generator_new();
    g_autoptr(GError) error = NULL;
    JsonObject *root;

    g_assert_true(json_parser_load_from_data(parser, json, -1, &error));
    g_assert_no_error(error);
    root = json_node_get_object(json_parser_get_root(parser));
    g_assert_true(json_object_has_member(root, "exported"));
    json_object_remove_member(root, "exported");
    json_generator_set_root(generator, json_parser_get_root(parser));
    return json_generator_to_data(generator, NULL);
}

/* The tags of an HTML page, in order, without their attributes' values. */
static char *
html_structure(const char *html)
{
    g_autoptr(GRegex) tag = g_regex_new("<(/?[a-zA-Z][a-zA-Z0-9]*)", 0, 0, NULL);
    g_autoptr(GMatchInfo) match = NULL;
    GString *tags = g_string_new(NULL);

    g_regex_match(tag, html, 0, &match);
    while (g_match_info_matches(match)) {
        g_autofree char *name = g_match_info_fetch(match, 1);

        g_string_append_printf(tags, "%s ", name);
        g_match_info_next(match, NULL);
    }
    return g_string_free(tags, FALSE);
}

static void
test_exports_unchanged(Sample *s, gconstpointer data)
{
    static const char *const json[] = { "export", "--format", "json", NULL };
    static const char *const html[] = { "export", "--format", "html", NULL };
    g_autoptr(CliRun) json_en = NULL;
    g_autoptr(CliRun) json_de = NULL;
    g_autoptr(CliRun) html_en = NULL;
    g_autoptr(CliRun) html_de = NULL;
    g_autofree char *json_en_data = NULL;
    g_autofree char *json_de_data = NULL;
    g_autofree char *tags_en = NULL;
    g_autofree char *tags_de = NULL;

    if (!require_german())
        return;
    json_en = run_ok(s, "LC_ALL=C.UTF-8", json);
    json_de = run_ok(s, GERMAN, json);
    json_en_data = export_without_time(json_en->out);
    json_de_data = export_without_time(json_de->out);
    g_assert_cmpstr(json_de_data, ==, json_en_data);

    html_en = run_ok(s, "LC_ALL=C.UTF-8", html);
    html_de = run_ok(s, GERMAN, html);
    tags_en = html_structure(html_en->out);
    tags_de = html_structure(html_de->out);
    g_assert_cmpstr(tags_de, ==, tags_en);
    /* ...while its words are German, and say so. */
    cli_assert_contains(html_de->out, "lang=\"de\"");
    g_assert_cmpstr(html_de->out, !=, html_en->out);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

#define ADD(path, fn) g_test_add(path, Sample, NULL, cli_sample_set_up, fn, cli_sample_tear_down)
    ADD("/cli/language/stats-german", test_stats_german);
    ADD("/cli/language/json-unchanged", test_json_unchanged);
    ADD("/cli/language/exports-unchanged", test_exports_unchanged);
#undef ADD
    return g_test_run();
}
