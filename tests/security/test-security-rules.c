/* test-security-rules.c — rules.json under attack (issue 16).
 *
 * A rules.json of 50 MB, one with 10^5 rules, one nested 10^4 deep, and
 * rules.json as a symlink to /dev/zero: each is refused with a one-line
 * reason that names the file, and the last good rules stay in force (Sam's
 * messages are still held), both when the file is replaced while Ajar runs
 * (the watch reloads it) and when Ajar starts with it (rules.json.last-good).
 * The `ajar` tool never reads rules.json: it goes on reading the journal.
 *
 * How fast a refusal comes is measured, not asserted (STYLE.md: no
 * stopwatch in tests): each case logs it, and the notes give the figures. */
#include "security-util.h"

#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>

#define ME "me@example.org/Home"
#define SAM "sam@example.org"

static const char good_rules[] =
    "{\"version\": 1, \"rules\": [{\"name\": \"Sam\", \"match\": [{\"buddy\": \"" SAM "\"}], "
    "\"incoming\": {\"action\": \"hold\"}}]}";

typedef enum {
    HOSTILE_50_MB,
    HOSTILE_MANY_RULES,
    HOSTILE_DEEP,
    HOSTILE_DEV_ZERO,
} Hostile;

static const char *const hostile_paths[] = { "50-mb", "100000-rules", "nested-10000-deep",
                                             "symlink-to-dev-zero" };
static const char *const hostile_names[] = { "50 MB", "10^5 rules", "nested 10^4 deep",
                                             "a symlink to /dev/zero" };

/* The 50 MB file looks like rules: Sam's rule with 50,000 pass keywords of
 * 1,000 bytes each. */
static GString *
text_50_mb(void)
{
    GString *text = g_string_sized_new(51 * 1000 * 1000);
    g_autofree char *keyword = g_strnfill(1000, 'x');

    g_string_append(text, "{\"version\": 1, \"rules\": [{\"name\": \"Sam\", \"match\": "
                          "[{\"buddy\": \"" SAM "\"}], \"incoming\": {\"action\": \"hold\"}, "
                          "\"pass_keywords\": [");
    for (guint i = 0; i < 50 * 1000; i++)
        g_string_append_printf(text, "\"%s\",", keyword);
    g_string_append(text, "\"y\"]}]}\n");
    return text;
}

/* 10^5 valid rules, none of them Sam's: taken, it would let Sam through. */
static GString *
text_many_rules(void)
{
    GString *text = g_string_new("{\"version\": 1, \"rules\": [\n");

    for (guint i = 0; i < 100 * 1000; i++)
        g_string_append_printf(text,
                               "%s{\"name\": \"r%u\", \"match\": [{\"buddy\": "
                               "\"b%u@example.org\"}], \"incoming\": {\"action\": \"hold\"}}\n",
                               i > 0 ? "," : "", i, i);
    g_string_append(text, "]}\n");
    return text;
}

static GString *
text_deep(void)
{
    GString *text = g_string_new("{\"version\": 1, \"rules\": [");

    for (guint i = 0; i < 10 * 1000; i++)
        g_string_append_c(text, '[');
    for (guint i = 0; i < 10 * 1000; i++)
        g_string_append_c(text, ']');
    g_string_append(text, "]}\n");
    return text;
}

/* Puts the hostile rules.json in place in one rename, as an editor or a
 * sync client does (one change for Ajar's watch). */
static void
put_hostile(Hostile kind)
{
    g_autofree char *path = ajar_test_path("rules.json");
    g_autofree char *tmp = ajar_test_path("rules.json.incoming");
    g_autoptr(GError) error = NULL;
    GString *text = NULL;

    switch (kind) {
    case HOSTILE_50_MB: text = text_50_mb(); break;
    case HOSTILE_MANY_RULES: text = text_many_rules(); break;
    case HOSTILE_DEEP: text = text_deep(); break;
    case HOSTILE_DEV_ZERO: g_assert_cmpint(symlink("/dev/zero", tmp), ==, 0); break;
    }
    if (text != NULL) {
        g_test_message("rules.json: %s, %" G_GSIZE_FORMAT " bytes", hostile_names[kind], text->len);
        g_assert_true(g_file_set_contents(tmp, text->str, (gssize)text->len, &error));
        g_assert_no_error(error);
        g_string_free(text, TRUE);
    }
    g_assert_cmpint(rename(tmp, path), ==, 0);
}

/* Ajar off, its folder emptied, the good rules written, Ajar on (it keeps
 * them as rules.json.last-good), the account online. */
static PurpleAccount *
fresh(void)
{
    PurpleAccount *account = ajar_test_account(ME);
    g_autofree char *dir = ajar_test_dir();
    const char *argv[] = { "rm", "-rf", dir, NULL };
    int status = -1;

    ajar_test_unload();
    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                               NULL, &status, NULL));
    g_assert_cmpint(status, ==, 0);
    ajar_test_write_rules(good_rules);
    test_client_connect(account);
    ajar_test_load();
    test_client_iterate(100);
    ajar_test_drain();
    return account;
}

/* Every box shown since the last assert_refused_once(), as the arrays they
 * were taken in; read and closed at once, as a user does (so the same
 * trouble told again would open a new box, and be counted). */
static GPtrArray *seen_notices;

static guint
seen_count(void)
{
    guint count = 0;

    for (guint i = 0; i < seen_notices->len; i++)
        count += ((GPtrArray *)g_ptr_array_index(seen_notices, i))->len;
    return count;
}

static gboolean
notice_came_cb(gpointer data)
{
    GPtrArray *notices = test_client_take_notices();

    test_client_notices_close(notices);
    g_ptr_array_add(seen_notices, notices);
    return seen_count() > 0;
}

/* The one box that says rules.json was refused: one line naming the file,
 * and why. @what: what was done. */
static void
assert_refused_once(Hostile kind, const char *what)
{
    const TestNotice *notice = NULL;

    for (guint i = 0; i < seen_notices->len; i++) {
        GPtrArray *notices = g_ptr_array_index(seen_notices, i);
        for (guint j = 0; j < notices->len; j++) {
            notice = g_ptr_array_index(notices, j);
            g_test_message("%s, %s: %s / %s", hostile_names[kind], what, notice->primary,
                           notice->secondary);
        }
    }
    g_assert_cmpuint(seen_count(), ==, 1);
    g_assert_cmpint(notice->type, ==, PURPLE_NOTIFY_MSG_ERROR);
    g_assert_true(
        g_strcmp0(notice->primary, "Ajar could not read rules.json; the rules in force stay.") ==
            0 ||
        g_strcmp0(notice->primary,
                  "rules.json has a mistake, so Ajar keeps using the last valid rules.") == 0);
    g_assert_nonnull(notice->secondary);
    g_assert_null(strchr(notice->secondary, '\n'));
    g_assert_nonnull(strstr(notice->secondary, "rules.json"));
    /* A reason after the file's name (and position). */
    g_assert_cmpuint(strlen(strrchr(notice->secondary, ':')), >, 5);
    g_ptr_array_set_size(seen_notices, 0);
}

/* Sam's message is still held: journaled, not shown. */
static void
assert_sam_held(PurpleAccount *account, const char *text)
{
    g_autoptr(GPtrArray) events = NULL;
    g_autoptr(GPtrArray) received = NULL;
    guint kept = 0;

    test_client_receive(account, SAM, text, 0, time(NULL));
    received = test_client_take_received();
    g_assert_cmpuint(received->len, ==, 0);
    events = ajar_test_read_journal();
    for (guint i = 0; i < events->len; i++) {
        const AjarEvent *event = g_ptr_array_index(events, i);
        kept += event->type == AJAR_EVENT_HELD && g_strcmp0(event->text, text) == 0;
    }
    g_assert_cmpuint(kept, ==, 1);
}

static char *
read_last_good(void)
{
    g_autofree char *path = ajar_test_path("rules.json.last-good");
    char *text = NULL;

    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    return text;
}

/* `ajar list`, `verify` and `stats` never read rules.json: whatever it is,
 * they read the journal (Sam's kept message is listed). */
static void
assert_cli_unaffected(const char *kept)
{
    static const char *const commands[] = { "list", "verify", "stats" };
    const char *cli = g_getenv("AJAR_CLI");

    g_assert_nonnull(cli);
    for (guint i = 0; i < G_N_ELEMENTS(commands); i++) {
        const char *argv[] = { cli, commands[i], "--dir", test_client_user_dir(), NULL };
        g_autofree char *out = NULL;
        g_autofree char *err = NULL;
        g_autoptr(GError) error = NULL;
        int status = -1;

        g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                                   &err, &status, &error));
        g_assert_no_error(error);
        g_assert_cmpstr(err, ==, "");
        g_assert_true(WIFEXITED(status));
        g_assert_cmpint(WEXITSTATUS(status), ==, 0);
        if (i == 0)
            g_assert_nonnull(strstr(out, kept));
    }
}

/* Replaced while Ajar runs: the watch reloads it, refuses it once, and the
 * rules in force stay (Sam held; rules.json.last-good still the good ones;
 * the hostile file left as it is, for the user to look at). */
static void
test_while_running(gconstpointer data)
{
    Hostile kind = GPOINTER_TO_UINT(data);
    {
        PurpleAccount *account = fresh();
        g_autofree char *last_good = read_last_good();
        g_autofree char *last_good_after = NULL;
        g_autofree char *text = g_strdup_printf("still held %u", kind);
        g_autofree char *path = ajar_test_path("rules.json");
        gint64 put;
        struct stat st;

        put_hostile(kind);
        put = g_get_monotonic_time();
        test_client_wait_for(notice_came_cb, NULL, "the refusal of rules.json");
        g_test_message("%s: refused %.0f ms after it was put in place (the watch waits 150 ms "
                       "for a burst of saves to settle)",
                       hostile_names[kind], (g_get_monotonic_time() - put) / 1000.0);
        /* Nothing more about it, however long the watch runs. */
        ajar_test_run_for(400);
        notice_came_cb(NULL);
        assert_refused_once(kind, "while running");
        assert_sam_held(account, text);
        last_good_after = read_last_good();
        g_assert_cmpstr(last_good_after, ==, last_good);
        g_assert_cmpint(lstat(path, &st), ==, 0);
        g_assert_true(kind == HOSTILE_DEV_ZERO ? S_ISLNK(st.st_mode) : S_ISREG(st.st_mode));
        assert_cli_unaffected(text);
    }
}

/* Ajar starts with it (the messenger started after the file was put
 * there): refused once, and the last good rules (rules.json.last-good) are
 * in force from the start. */
static void
test_at_load(gconstpointer data)
{
    Hostile kind = GPOINTER_TO_UINT(data);
    {
        PurpleAccount *account = fresh();
        g_autofree char *last_good = read_last_good();
        g_autofree char *last_good_after = NULL;
        g_autofree char *text = g_strdup_printf("held after a restart %u", kind);
        gint64 started;

        ajar_test_unload();
        put_hostile(kind);
        started = g_get_monotonic_time();
        ajar_test_load();
        g_test_message("%s: Ajar loaded in %.0f ms", hostile_names[kind],
                       (g_get_monotonic_time() - started) / 1000.0);
        test_client_iterate(100);
        ajar_test_run_for(400);
        notice_came_cb(NULL);
        assert_refused_once(kind, "at load");
        assert_sam_held(account, text);
        last_good_after = read_last_good();
        g_assert_cmpstr(last_good_after, ==, last_good);
    }
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();
    seen_notices = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);

    for (Hostile kind = 0; kind <= HOSTILE_DEV_ZERO; kind++) {
        g_autofree char *running =
            g_strdup_printf("/security/rules/while-running/%s", hostile_paths[kind]);
        g_autofree char *load = g_strdup_printf("/security/rules/at-load/%s", hostile_paths[kind]);

        g_test_add_data_func(running, GUINT_TO_POINTER(kind), test_while_running);
        g_test_add_data_func(load, GUINT_TO_POINTER(kind), test_at_load);
    }
    status = g_test_run();

    ajar_test_unload();
    g_ptr_array_unref(seen_notices);
    test_client_quit();
    test_client_cleanup();
    return status;
}
