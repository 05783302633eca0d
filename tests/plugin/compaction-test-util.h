/* compaction-test-util.h — what the compaction tests share (header-only,
 * like ajar-test-util.h): a journal over the compaction threshold written
 * with the core, as a long-used Ajar leaves it; the files a compaction
 * leaves; the journal as it would be had it never been compacted; and the
 * built `ajar` command run as a separate process. */
#ifndef AJAR_COMPACTION_TEST_UTIL_H
#define AJAR_COMPACTION_TEST_UTIL_H

#include "ajar-test-util.h"

#include <sys/stat.h>
#include <sys/wait.h>

#define CT_ME "me@example.org/Home"
#define CT_SAM "sam@example.org" /* held */
#define CT_PAT "pat@example.org" /* no rule: passes */

#define CT_RULES                                                                                  \
    "{\"version\": 1, \"rules\": [{\"name\": \"Sam\", \"match\": [{\"buddy\": \"" CT_SAM "\"}], " \
    "\"incoming\": {\"action\": \"hold\"}}]}"

/* 1 Sep 2026 00:00:00 UTC: the generated history spans September to
 * November (three history files). */
#define CT_T0 (G_GINT64_CONSTANT(1788220800) * G_USEC_PER_SEC)

/* Appends an event as the plugin writes it. Returns: (transfer full): the
 * id it has (the journal gives custody events one). */
static inline char *
ct_append(AjarJournal *journal, AjarEventType type, const char *id, gint64 ts, const char *text)
{
    g_autoptr(AjarEvent) event = ajar_event_new(type);
    g_autoptr(GError) error = NULL;

    event->ts = ts;
    event->id = g_strdup(id);
    if (ajar_event_type_is_custody(type)) {
        event->has_dir = TRUE;
        event->dir = AJAR_DIRECTION_IN;
        event->account = g_strdup(CT_ME);
        event->protocol = g_strdup(TEST_PRPL_ID);
        event->buddy = g_strdup(CT_SAM);
        event->rule = g_strdup("Sam");
        event->time = ts - ts % G_USEC_PER_SEC;
        event->text = g_strdup(text);
        event->text_len = strlen(text);
    }
    g_assert_true(ajar_journal_append(journal, event, &error));
    g_assert_no_error(error);
    return g_strdup(event->id);
}

/* Writes a journal of @pairs messages from Sam held and released (2 *
 * @pairs finished lines, one pair every 12 minutes from CT_T0 on: three
 * months for 10,000) and then @held still held, as the plugin writes them.
 * Returns: (transfer full): the ids of the held ones. */
static inline GPtrArray *
ct_write_journal(guint pairs, guint held)
{
    g_autofree char *dir = ajar_test_dir();
    g_autoptr(GError) error = NULL;
    AjarJournal *journal = ajar_journal_open(dir, AJAR_FLUSH_BATCHED, &error);
    GPtrArray *ids = g_ptr_array_new_with_free_func(g_free);
    gint64 ts = CT_T0;

    g_assert_no_error(error);
    for (guint i = 0; i < pairs; i++, ts += 12 * 60 * G_USEC_PER_SEC) {
        g_autofree char *text = g_strdup_printf("old message %u", i);
        g_autofree char *id = ct_append(journal, AJAR_EVENT_HELD, NULL, ts, text);

        g_free(ct_append(journal, AJAR_EVENT_RELEASED, id, ts + G_USEC_PER_SEC, NULL));
    }
    for (guint i = 0; i < held; i++, ts += 60 * G_USEC_PER_SEC) {
        g_autofree char *text = g_strdup_printf("still held %u", i);

        g_ptr_array_add(ids, ct_append(journal, AJAR_EVENT_HELD, NULL, ts, text));
    }
    ajar_journal_close(journal);
    return ids;
}

/* Returns: (transfer full): the bytes of <ajar dir>/@name ("" if none). */
static inline GString *
ct_read(const char *name)
{
    g_autofree char *path = ajar_test_path(name);
    g_autofree char *bytes = NULL;
    gsize len = 0;

    if (!g_file_get_contents(path, &bytes, &len, NULL))
        return g_string_new(NULL);
    return g_string_new_len(bytes, (gssize)len);
}

static inline gboolean
ct_exists(const char *name)
{
    g_autofree char *path = ajar_test_path(name);

    return g_file_test(path, G_FILE_TEST_EXISTS);
}

/* A compaction began: journal.jsonl's last line is its summary. */
static inline gboolean
ct_begun(void)
{
    g_autoptr(GString) journal = ct_read(AJAR_JOURNAL_FILE);
    const char *last;

    if (journal->len < 2 || journal->str[journal->len - 1] != '\n')
        return FALSE;
    journal->str[journal->len - 1] = '\0';
    last = strrchr(journal->str, '\n');
    last = last != NULL ? last + 1 : journal->str;
    return strstr(last, "\"event\":\"summary\"") != NULL;
}

static inline gboolean
ct_begun_cb(gpointer data)
{
    return ct_begun();
}

static inline gint
ct_compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Returns: (transfer full): the names in <ajar dir>/history, sorted. */
static inline GPtrArray *
ct_history_files(void)
{
    g_autofree char *path = ajar_test_path("history");
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name(dir)) != NULL)
        g_ptr_array_add(names, g_strdup(name));
    g_ptr_array_sort(names, ct_compare_names);
    return names;
}

static inline gboolean
ct_is_month_file(const char *name)
{
    return strlen(name) == strlen("2026-09.jsonl") && g_str_has_suffix(name, ".jsonl") &&
           g_ascii_isdigit(name[0]) && name[4] == '-';
}

/* A compaction is over and switched in: history/ has month files,
 * neither the new journal being written nor the note of what it appends to
 * is left, and journal.jsonl no longer starts with the generated journal's
 * first line (seq 1, a message held and since released, moves). */
static inline gboolean
ct_done(void)
{
    g_autoptr(GPtrArray) names = ct_history_files();
    g_autoptr(GString) journal = NULL;

    if (names->len == 0 || ct_exists(AJAR_JOURNAL_FILE ".compact") ||
        ct_exists("history/.compact-pending"))
        return FALSE;
    journal = ct_read(AJAR_JOURNAL_FILE);
    return !g_str_has_prefix(journal->str, "{\"seq\":1,");
}

static inline gboolean
ct_done_cb(gpointer data)
{
    return ct_done();
}

static inline gint64
ct_line_seq(const char *line)
{
    g_assert_true(g_str_has_prefix(line, "{\"seq\":"));
    return g_ascii_strtoll(line + strlen("{\"seq\":"), NULL, 10);
}

static inline gint
ct_compare_lines(gconstpointer a, gconstpointer b)
{
    gint64 x = ct_line_seq(*(const char *const *)a), y = ct_line_seq(*(const char *const *)b);

    return x < y ? -1 : x > y;
}

/* Every line of the history files and journal.jsonl, in seq order, the
 * summaries left out: the journal as it would be had it never been
 * compacted. Asserts that no seq is there twice (history never holds a line
 * twice, nor the journal one history has). *@summaries: how many summary
 * lines there were. Returns: (transfer full). */
static inline GString *
ct_uncompacted(guint *summaries)
{
    g_autoptr(GPtrArray) names = ct_history_files();
    g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GString) all = g_string_new(NULL);
    GString *out = g_string_new(NULL);

    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        g_autofree char *rel = g_build_filename("history", name, NULL);
        g_autoptr(GString) bytes = NULL;

        if (!ct_is_month_file(name))
            continue;
        bytes = ct_read(rel);
        g_string_append_len(all, bytes->str, (gssize)bytes->len);
    }
    {
        g_autoptr(GString) journal = ct_read(AJAR_JOURNAL_FILE);
        g_string_append_len(all, journal->str, (gssize)journal->len);
    }
    *summaries = 0;
    for (char *line = all->str, *end; *line != '\0'; line = end + 1) {
        end = strchr(line, '\n');
        g_assert_nonnull(end); /* every file ends with a whole line */
        if (g_strstr_len(line, end - line, "\"event\":\"summary\"") != NULL) {
            (*summaries)++;
            continue;
        }
        g_ptr_array_add(lines, g_strndup(line, end - line + 1));
    }
    g_ptr_array_sort(lines, ct_compare_lines);
    for (guint i = 0; i < lines->len; i++) {
        const char *line = g_ptr_array_index(lines, i);
        if (i > 0)
            g_assert_cmpint(ct_line_seq(g_ptr_array_index(lines, i - 1)), <, ct_line_seq(line));
        g_string_append(out, line);
    }
    return out;
}

/* The files a compaction leaves are private: history/ 0700, its files 0600. */
static inline void
ct_assert_private(void)
{
    g_autofree char *history = ajar_test_path("history");
    g_autoptr(GPtrArray) names = ct_history_files();
    struct stat st;

    g_assert_cmpint(stat(history, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0700);
    for (guint i = 0; i < names->len; i++) {
        g_autofree char *path = g_build_filename(history, g_ptr_array_index(names, i), NULL);
        g_assert_cmpint(stat(path, &st), ==, 0);
        g_assert_cmpint(st.st_mode & 0777, ==, 0600);
    }
}

/* Runs the built `ajar` with @args (NULL-terminated) to its end. Returns:
 * its exit status; *@out and *@err (transfer full) what it printed. */
static inline int
ct_cli(const char *const *args, char **out, char **err)
{
    const char *cli = g_getenv("AJAR_CLI");
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_autoptr(GError) error = NULL;
    int status = 0;

    g_assert_nonnull(cli);
    g_ptr_array_add(argv, (char *)cli);
    for (guint i = 0; args[i] != NULL; i++)
        g_ptr_array_add(argv, (char *)args[i]);
    g_ptr_array_add(argv, NULL);
    g_assert_true(g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out,
                               err, &status, &error));
    g_assert_no_error(error);
    g_assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

/* `ajar --dir PURPLE_DIR stats`, which must work; "… ago" (relative to its
 * own clock) blanked. Returns: (transfer full). */
static inline char *
ct_stats(const char *purple_dir)
{
    const char *args[] = { "--dir", purple_dir, "stats", NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autoptr(GRegex) ago = g_regex_new(", [^,\n]* ago\n", 0, 0, NULL);

    g_assert_cmpint(ct_cli(args, &out, &err), ==, 0);
    return g_regex_replace_literal(ago, out, -1, 0, ", (some time) ago\n", 0, NULL);
}

/* `ajar stats` of the journal as it would be had it never been compacted
 * (ct_uncompacted(), in a folder of its own). Returns: (transfer full). */
static inline char *
ct_stats_uncompacted(void)
{
    g_autofree char *purple = g_build_filename(test_client_user_dir(), "uncompacted", NULL);
    g_autofree char *dir = g_build_filename(purple, "ajar", NULL);
    g_autofree char *path = g_build_filename(dir, AJAR_JOURNAL_FILE, NULL);
    g_autoptr(GString) journal = NULL;
    g_autoptr(GError) error = NULL;
    guint summaries;

    journal = ct_uncompacted(&summaries);
    g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
    g_assert_true(g_file_set_contents(path, journal->str, (gssize)journal->len, &error));
    g_assert_no_error(error);
    g_assert_cmpint(g_chmod(path, 0600), ==, 0);
    return ct_stats(purple);
}

/* The plugin's Tools ▸ Ajar ▸ Statistics… as the user reads it, "… ago"
 * blanked. Returns: (transfer full). */
static inline char *
ct_plugin_stats(PurplePlugin *plugin)
{
    g_autoptr(GPtrArray) notices = NULL;
    g_autofree char *text = NULL;
    g_autoptr(GRegex) ago = g_regex_new(", [^,\n]* ago\n", 0, 0, NULL);

    ajar_test_drain();
    ajar_test_run_action(plugin, "Statistics…");
    notices = test_client_take_notices();
    g_assert_cmpuint(notices->len, ==, 1);
    text = purple_unescape_html(((TestNotice *)g_ptr_array_index(notices, 0))->text);
    return g_regex_replace_literal(ago, text, -1, 0, ", (some time) ago\n", 0, NULL);
}

#endif /* AJAR_COMPACTION_TEST_UTIL_H */
