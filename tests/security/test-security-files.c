/* test-security-files.c — what Ajar writes, where, and who may read it, with
 * the built ajar.so in a real libpurple.
 *
 * The whole binary runs under umask 000, the most permissive a user could
 * have: every file Ajar makes must still be private from the moment it
 * exists (folder 0700, files 0600 — as the system call asks for them, not
 * only after a later chmod), and a session that holds, releases, changes
 * rules from /ajar, has a hand edit with a mistake and exports must write
 * nothing outside <purple user dir>/ajar/ but libpurple's own files, named
 * here one by one. Buddy names built to be paths ("../../x", "a/b", "..",
 * "/etc/passwd", "%00", backslashes, Ajar's own file names) are only ever
 * data. (A buddy name with control characters cannot be put in rules.json
 * at all: tests/unit/test-rules.c.)
 *
 * See also tests/unit/test-files.c and test-journal.c (the core's modes
 * under umasks 0, 022 and 0277) and tests/cli/test-cli-export.c (the export
 * file is 0600). */
#include "security-util.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <conversation.h>

#define ME "me@example.org/Home"
#define SAM "sam@example.org"
#define MARKER "the-secret-Sam-wrote"

static PurpleAccount *
me(void)
{
    return ajar_test_account(ME);
}

static char *
temp_root(void)
{
    return g_path_get_dirname(test_client_user_dir());
}

/* libpurple's own files: what any libpurple client writes in its user dir,
 * with or without Ajar. Relative to the temporary root. */
static gboolean
is_libpurple_file(const char *relative)
{
    static const char *const files[] = { "purple/accounts.xml", "purple/blist.xml",
                                         "purple/prefs.xml", "purple/status.xml",
                                         "purple/pounces.xml" };

    for (guint i = 0; i < G_N_ELEMENTS(files); i++) {
        if (strcmp(relative, files[i]) == 0)
            return TRUE;
    }
    /* The history of released messages: libpurple's logger, which names its
     * folders after the account and buddy (libpurple escapes them). */
    return security_path_in(relative, "purple/logs");
}

/* The user's hand edit of rules.json, not Ajar's write. */
static void
hand_edit_rules(const char *json)
{
    file_calls_pause(TRUE);
    ajar_test_write_rules(json);
    file_calls_pause(FALSE);
}

/* Waits until Ajar has read a changed rules.json (its file monitor waits for
 * the editor to settle). */
static void
let_rules_settle(void)
{
    ajar_test_run_for(1200);
}

static void
export_html(const char *path)
{
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    int status = 0;
    g_autoptr(GError) error = NULL;
    const char *argv[] = { g_getenv("AJAR_CLI"),
                           "--dir",
                           test_client_user_dir(),
                           "export",
                           "--format=html",
                           "-o",
                           path,
                           NULL };

    g_assert_nonnull(argv[0]);
    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &status, &error));
    g_assert_no_error(error);
    g_assert_cmpstr(err, ==, "");
    g_assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Checks Ajar's calls: inside its folder only private modes and only its own
 * file names; outside it only libpurple's (renames of its XML files, folders
 * for its logs). Returns how many calls were inside the folder. */
static guint
check_calls(GPtrArray *calls)
{
    g_autofree char *dir = ajar_test_dir();
    g_autofree char *root = temp_root();
    guint inside = 0;

    for (guint i = 0; i < calls->len; i++) {
        const FileCall *call = g_ptr_array_index(calls, i);
        g_autofree char *base = g_path_get_basename(call->path);

        g_test_message("call %d %s mode %o umask %o from %s -> %d", call->kind, call->path,
                       call->mode, call->umask, call->from ? call->from : "", call->result);
        if (security_path_in(call->path, dir)) {
            inside++;
            g_assert_cmpuint(call->umask, ==, 0);
            if (call->kind == FILE_CALL_MKDIR) {
                g_assert_cmpstr(call->path, ==, dir);
                g_assert_cmpuint(call->mode, ==, 0700);
            } else if (call->kind == FILE_CALL_CREATE) {
                g_assert_cmpuint(call->mode, ==, 0600);
            } else {
                g_assert_true(security_path_in(call->from, dir));
                g_assert_true(strcmp(base, "rules.json") == 0 ||
                              strcmp(base, "rules.json.last-good") == 0);
            }
            /* Only Ajar's three files and their temporary copies. */
            if (call->kind != FILE_CALL_MKDIR)
                g_assert_true(strcmp(base, "journal.jsonl") == 0 ||
                              g_str_has_prefix(base, "rules.json"));
            continue;
        }
        g_assert_true(security_path_in(call->path, root));
        {
            const char *relative = call->path + strlen(root) + 1;
            if (call->kind == FILE_CALL_RENAME) {
                g_autofree char *save = g_strconcat(call->path, ".save", NULL);
                g_assert_true(is_libpurple_file(relative));
                g_assert_cmpstr(call->from, ==, save);
            } else {
                g_assert_cmpint(call->kind, ==, FILE_CALL_MKDIR);
                g_assert_true(security_path_in(relative, "purple/logs"));
            }
        }
    }
    return inside;
}

/* Folder 0700, exactly Ajar's files in it, each 0600 and a regular file. */
static void
check_folder(gboolean with_rules)
{
    g_autofree char *dir = ajar_test_dir();
    g_autoptr(GDir) listing = g_dir_open(dir, 0, NULL);
    const char *name;
    guint files = 0;

    g_assert_nonnull(listing);
    g_assert_cmpint(security_mode(dir), ==, 0700);
    while ((name = g_dir_read_name(listing)) != NULL) {
        g_autofree char *path = g_build_filename(dir, name, NULL);
        struct stat st;

        g_test_message("in the folder: %s", name);
        g_assert_true(strcmp(name, "journal.jsonl") == 0 || strcmp(name, "rules.json") == 0 ||
                      strcmp(name, "rules.json.last-good") == 0);
        g_assert_cmpint(lstat(path, &st), ==, 0);
        g_assert_true(S_ISREG(st.st_mode));
        g_assert_cmpint(st.st_mode & 07777, ==, 0600);
        files++;
    }
    g_assert_cmpuint(files, ==, with_rules ? 3 : 1);
}

/* Every path under the temporary root that changed from @before to @after
 * (security_snapshot()) is Ajar's (under @ajar_path), libpurple's own, or
 * the export @export_name. */
static void
check_changes(GHashTable *before, GHashTable *after, const char *ajar_path, const char *export_name)
{
    g_autoptr(GPtrArray) changes = security_snapshot_changes(before, after);

    for (guint i = 0; i < changes->len; i++) {
        const char *path = g_ptr_array_index(changes, i);
        const SecurityEntry *was = g_hash_table_lookup(before, path);
        const SecurityEntry *now = g_hash_table_lookup(after, path);

        g_test_message("changed: %s", path);
        /* A folder that was there already changes when something is made
         * in it; what was made is checked on its own. */
        if (was != NULL && S_ISDIR(was->mode) && S_ISDIR(now->mode) && was->mode == now->mode)
            continue;
        g_assert_true(security_path_in(path, ajar_path) || is_libpurple_file(path) ||
                      strcmp(path, export_name) == 0);
    }
}

/* Holds, releases, cools off, cancels, changes rules from /ajar, survives
 * a hand edit with a mistake and exports, from a first start (no folder). */
static void
test_one_session(void)
{
    g_autofree char *root = temp_root();
    g_autofree char *dir = ajar_test_dir();
    g_autofree char *export_path = g_build_filename(root, "export.html", NULL);
    g_autoptr(GHashTable) before = NULL;
    g_autoptr(GHashTable) after = NULL;
    g_autoptr(GPtrArray) calls = NULL;
    g_autofree char *rules = NULL;
    gint64 seq;

    g_assert_cmpuint(umask(0), ==, 0);
    g_assert_false(g_file_test(dir, G_FILE_TEST_EXISTS));
    test_client_add_buddy(me(), SAM, "Sam", NULL);
    test_client_iterate(100);
    before = security_snapshot(root);

    file_calls_start();
    ajar_test_load();
    test_client_iterate(100);
    check_folder(FALSE);
    g_assert_cmpint(test_client_command(me(), SAM, "ajar hold"), ==, PURPLE_CMD_STATUS_OK);
    check_folder(TRUE);
    seq = ajar_test_last_seq();
    test_client_receive(me(), SAM, MARKER " are you awake?", 0, time(NULL));
    test_client_iterate(100);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_HELD), ==, 1);
    g_assert_cmpint(test_client_command(me(), SAM, "ajar cooloff 10"), ==, PURPLE_CMD_STATUS_OK);
    test_client_send(me(), SAM, "my words to Sam");
    g_assert_cmpint(test_client_command(me(), SAM, "ajar cancel"), ==, PURPLE_CMD_STATUS_OK);
    g_assert_cmpint(test_client_command(me(), SAM, "ajar release"), ==, PURPLE_CMD_STATUS_OK);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_RELEASED), ==, 1);

    rules = ajar_test_read_rules();
    hand_edit_rules("{\"version\": 1, \"rules\": [,]}\n");
    let_rules_settle();
    hand_edit_rules(rules);
    let_rules_settle();
    check_folder(TRUE);

    export_html(export_path);
    g_assert_cmpint(security_mode(export_path), ==, 0600);
    ajar_test_unload();
    test_client_iterate(100);
    ajar_test_run_for(500);
    calls = file_calls_stop();
    after = security_snapshot(root);

    /* Ajar made its folder, journal, and rules files (temporary file, then
     * rename) in this session, every one private at its creation. */
    g_assert_cmpuint(check_calls(calls), >=, 6);
    check_folder(TRUE);

    check_changes(before, after, "purple/ajar", "export.html");
    g_assert_true(g_hash_table_contains(after, "purple/ajar/journal.jsonl"));
    ajar_test_drain();
}

/* Buddy names a hostile server or contact could choose, meant as paths,
 * and how rules.json writes them (JSON strings). */
static const struct {
    const char *name;
    const char *json;
} hostile[] = {
    { "../../../../tmp/ajar-escape", "../../../../tmp/ajar-escape" },
    { "a/b/../../../c", "a/b/../../../c" },
    { "..", ".." },
    { ".", "." },
    { "/etc/passwd", "/etc/passwd" },
    /* (Control characters in a buddy name are refused in rules.json, see
     * tests/unit/test-rules.c: no rule can hold such a name.) */
    { "nul%00x\\..\\y", "nul%00x\\\\..\\\\y" },
    { "journal.jsonl", "journal.jsonl" },
    { "rules.json", "rules.json" },
};

/* Messages from buddies whose names are paths are held, released and
 * exported like any other: the names are data in the journal, and no file
 * or folder is made from them — only libpurple's logger makes folders for
 * the released ones, under purple/logs, its names escaped by libpurple. */
static void
test_hostile_names(void)
{
    g_autofree char *root = temp_root();
    g_autofree char *dir = ajar_test_dir();
    g_autofree char *export_path = g_build_filename(root, "export-names.html", NULL);
    g_autoptr(GString) rules = g_string_new("{\"version\": 1, \"rules\": [{\"name\": \"Hostile\", "
                                            "\"match\": [");
    g_autoptr(GHashTable) before = NULL;
    g_autoptr(GHashTable) after = NULL;
    g_autoptr(GPtrArray) calls = NULL;
    g_autoptr(GPtrArray) held = NULL;
    gint64 seq;

    for (guint i = 0; i < G_N_ELEMENTS(hostile); i++)
        g_string_append_printf(rules, "%s{\"buddy\": \"%s\"}", i > 0 ? ", " : "", hostile[i].json);
    g_string_append(rules, "], \"incoming\": {\"action\": \"hold\"}}]}\n");
    me();
    ajar_test_reload_with_rules(rules->str);
    g_ptr_array_unref(test_client_take_notices());
    ajar_rules_unref(ajar_test_parse_rules()); /* a valid file */
    seq = ajar_test_last_seq();
    before = security_snapshot(root);
    file_calls_start();

    for (guint i = 0; i < G_N_ELEMENTS(hostile); i++) {
        g_autofree char *text = g_strdup_printf("message %u from a path", i);
        test_client_receive(me(), hostile[i].name, text, 0, time(NULL));
    }
    test_client_iterate(100);
    ajar_test_assert_nothing_shown();
    held = ajar_test_events_since(seq, AJAR_EVENT_HELD, NULL);
    g_assert_cmpuint(held->len, ==, G_N_ELEMENTS(hostile));
    for (guint i = 0; i < G_N_ELEMENTS(hostile); i++)
        g_assert_cmpstr(((AjarEvent *)g_ptr_array_index(held, i))->buddy, ==, hostile[i].name);

    export_html(export_path);
    /* Released, they go through libpurple into the conversation and its log
     * ("." and ".." stay held: where libpurple would log them is its own
     * business, not Ajar's). */
    for (guint i = 0; i < held->len; i++) {
        const AjarEvent *event = g_ptr_array_index(held, i);
        g_autofree char *command = g_strdup_printf("ajar release %s", event->id);

        if (strcmp(event->buddy, ".") == 0 || strcmp(event->buddy, "..") == 0)
            continue;
        g_assert_cmpint(test_client_command(me(), event->buddy, command), ==, PURPLE_CMD_STATUS_OK);
    }
    test_client_iterate(100);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_RELEASED), ==,
                     G_N_ELEMENTS(hostile) - 2);
    ajar_test_unload();
    ajar_test_run_for(500);
    calls = file_calls_stop();
    after = security_snapshot(root);

    check_calls(calls);
    check_folder(TRUE);
    g_assert_false(g_file_test("/tmp/ajar-escape", G_FILE_TEST_EXISTS));
    check_changes(before, after, "purple/ajar/journal.jsonl", "export-names.html");
    ajar_test_drain();
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    umask(0);
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    g_test_add_func("/security/files/one-session", test_one_session);
    g_test_add_func("/security/files/hostile-names", test_hostile_names);
    status = g_test_run();

    test_client_quit();
    test_client_cleanup();
    return status;
}
