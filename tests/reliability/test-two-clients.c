/* test-two-clients.c — two messengers on one profile (issue 16).
 *
 * Pidgin and Finch started with the same --config share one Ajar folder. Only
 * one process may write the journal: the first Ajar takes the lock and holds
 * back as its rules say; the second says once, in one sentence, that Ajar is
 * already running for this profile (and in which process), and holds nothing
 * back, since nothing it withheld could be journaled. The `ajar` reader
 * never needs the lock.
 *
 * This test process is the first messenger (the plugin suite's headless
 * client with the built ajar.so); other-client.c, a process of its own on a
 * symlink to the same purple folder, is the second. Sam (held, and your own
 * messages to Sam cool off) writes to both. */
#include "faults-util.h"

#include <errno.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ajar/ajar-lock.h"

typedef struct {
    GPid pid;
    int to_child;
    int from_child;
    GString *pending;
    guint notices; /* every message box the second Ajar showed */
    GPtrArray *notice_texts;
} Other;

static void
other_start(Other *other, const char *tmp)
{
    const char *client = g_getenv("AJAR_OTHER_CLIENT");
    const char *argv[] = { client, test_client_user_dir(), NULL };
    g_auto(GStrv) env = g_get_environ();
    g_autoptr(GError) error = NULL;

    g_assert_nonnull(client);
    /* Its own private dirs (test_client_prepare()) under ours. */
    env = g_environ_setenv(env, "TMPDIR", tmp, TRUE);
    g_assert_true(g_spawn_async_with_pipes(NULL, (char **)argv, env, G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &other->pid, &other->to_child,
                                           &other->from_child, NULL, &error));
    g_assert_no_error(error);
    other->pending = g_string_new(NULL);
    other->notice_texts = g_ptr_array_new_with_free_func(g_free);
}

/* Reads the second client's reports up to the line @last. Returns: (transfer
 * full): the lines before it. */
static GPtrArray *
other_until(Other *other, const char *last)
{
    GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);

    for (;;) {
        struct pollfd pfd = { .fd = other->from_child, .events = POLLIN };
        char *newline;
        char buf[4096];
        ssize_t got;

        while ((newline = strchr(other->pending->str, '\n')) != NULL) {
            char *line = g_strndup(other->pending->str, newline - other->pending->str);
            g_string_erase(other->pending, 0, newline - other->pending->str + 1);
            g_test_message("second client: %s", line);
            if (strcmp(line, last) == 0) {
                g_free(line);
                return lines;
            }
            if (g_str_has_prefix(line, "notice ")) {
                other->notices++;
                g_ptr_array_add(other->notice_texts, g_strdup(line + strlen("notice ")));
            }
            g_ptr_array_add(lines, line);
        }
        if (poll(&pfd, 1, 60 * 1000) == 0)
            g_error("the second client said nothing for 60 s (waiting for \"%s\")", last);
        got = read(other->from_child, buf, sizeof buf);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            g_error("the second client ended before \"%s\"", last);
        g_string_append_len(other->pending, buf, got);
    }
}

/* The second client does @instruction; returns: (transfer full) what it
 * reported. */
static GPtrArray *
other_do(Other *other, const char *instruction)
{
    g_autofree char *line = g_strdup_printf("%s\n", instruction);

    g_assert_cmpint(write(other->to_child, line, strlen(line)), ==, (gssize)strlen(line));
    return other_until(other, "ok");
}

static void
other_quit(Other *other)
{
    g_autoptr(GPtrArray) last = NULL;
    int status = -1;

    g_assert_cmpint(write(other->to_child, "quit\n", 5), ==, 5);
    last = other_until(other, "done");
    g_assert_cmpint(waitpid(other->pid, &status, 0), ==, other->pid);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 0);
    close(other->to_child);
    close(other->from_child);
    g_spawn_close_pid(other->pid);
    g_string_free(other->pending, TRUE);
}

/* How many of @lines start with @prefix. */
static guint
count_prefixed(GPtrArray *lines, const char *prefix)
{
    guint count = 0;

    for (guint i = 0; i < lines->len; i++)
        count += g_str_has_prefix(g_ptr_array_index(lines, i), prefix);
    return count;
}

static guint
count_exact(GPtrArray *lines, const char *line)
{
    guint count = 0;

    for (guint i = 0; i < lines->len; i++)
        count += strcmp(g_ptr_array_index(lines, i), line) == 0;
    return count;
}

/* Runs the built `ajar` on this profile; returns its exit status, and its
 * output in @out (transfer full). */
static int
run_cli(const char *command, char **out)
{
    const char *cli = g_getenv("AJAR_CLI");
    const char *argv[] = { cli, command, "--dir", test_client_user_dir(), NULL };
    g_autofree char *err = NULL;
    g_autoptr(GError) error = NULL;
    int status = -1;

    g_assert_nonnull(cli);
    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, &err,
                               &status, &error));
    g_assert_no_error(error);
    if (*err != '\0')
        g_test_message("ajar %s: %s", command, err);
    g_assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

/* `ajar list` and `ajar verify` read while this process's Ajar holds the
 * journal's lock; @kept must be listed. */
static void
readers_while_locked(const char *const *kept)
{
    g_autofree char *journal = ajar_test_path(AJAR_JOURNAL_FILE);
    g_autofree char *list = NULL;
    g_autofree char *verify = NULL;

    g_assert_cmpint(ajar_lock_find_holder(journal), ==, getpid());
    g_assert_cmpint(run_cli("list", &list), ==, 0);
    for (const char *const *text = kept; *text != NULL; text++)
        g_assert_nonnull(strstr(list, *text));
    g_assert_cmpint(run_cli("verify", &verify), ==, 0);
    g_assert_cmpint(ajar_lock_find_holder(journal), ==, getpid());
}

static char *
read_file(const char *name)
{
    g_autofree char *path = ajar_test_path(name);
    char *text = NULL;

    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    return text;
}

static void
test_one_profile(void)
{
    PurpleAccount *account = ajar_test_account(ME);
    g_autofree char *tmp = g_build_filename(test_client_user_dir(), "..", "other-tmp", NULL);
    g_autofree char *sentence = g_strdup_printf(
        "Ajar is already running for this profile (process %d); messages are not being held "
        "here.",
        (int)getpid());
    g_autofree char *notice = g_strdup_printf("%s|", sentence);
    g_autofree char *process = g_strdup_printf("(process %d)", (int)getpid());
    g_autofree char *journal_before = NULL;
    g_autofree char *rules_before = NULL;
    const char *const first_kept[] = { "are you awake? A0", NULL };
    const char *const all_kept[] = { "are you awake? A0", "are you awake? A1", "are you awake? A2",
                                     "are you awake? A3", "sorry from A",      NULL };
    static const char *const refused[] = { "ajar hold",       "ajar release", "ajar cancel",
                                           "ajar send",       "ajar review",  "ajar pass",
                                           "ajar release all" };
    Other other = { 0 };

    /* The first messenger: Ajar holds Sam's messages. */
    ajar_test_write_rules(faults_rules);
    ajar_test_load();
    test_client_iterate(100);
    ajar_test_drain();
    faults_receive_held(account, "are you awake? A0");
    readers_while_locked(first_kept);

    /* The second, on the same folder. */
    journal_before = read_file(AJAR_JOURNAL_FILE);
    rules_before = read_file("rules.json");
    g_assert_cmpint(g_mkdir_with_parents(tmp, 0700), ==, 0);
    other_start(&other, tmp);
    g_ptr_array_unref(other_until(&other, "ready"));
    g_assert_cmpuint(other.notices, ==, 1);
    /* One sentence, nothing after it (a notice is "primary|secondary"). */
    g_assert_true(g_str_has_suffix(g_ptr_array_index(other.notice_texts, 0), "|"));
    g_assert_cmpstr(g_ptr_array_index(other.notice_texts, 0), ==, notice);

    for (guint i = 1; i <= 3; i++) {
        g_autofree char *here = g_strdup_printf("are you awake? A%u", i);
        g_autofree char *there = g_strdup_printf("are you awake? B%u", i);
        g_autofree char *instruction = g_strdup_printf("receive %s %s", SAM, there);
        g_autofree char *received = g_strdup_printf("received %s %s", SAM, there);
        g_autofree char *shown = g_strdup_printf("shown %s %s", SAM, there);
        g_autoptr(GPtrArray) lines = NULL;

        /* Held here, journaled once... */
        faults_receive_held(account, here);
        /* ...and shown there as usual, once: it could not be journaled. */
        lines = other_do(&other, instruction);
        g_assert_cmpuint(count_exact(lines, received), ==, 1);
        g_assert_cmpuint(count_exact(lines, shown), ==, 1);
        g_assert_cmpuint(count_prefixed(lines, "notice "), ==, 0);
        g_assert_cmpuint(faults_kept_with_text(there), ==, 0);
    }
    {
        /* Your own message to Sam cools off here, and goes at once there. */
        g_autoptr(GPtrArray) lines = other_do(&other, "send " SAM " sorry from B");
        g_autoptr(GPtrArray) sent = NULL;

        g_assert_cmpuint(count_exact(lines, "net " SAM " sorry from B"), ==, 1);
        g_assert_cmpuint(count_prefixed(lines, "notice "), ==, 0);
        g_assert_cmpuint(faults_kept_with_text("sorry from B"), ==, 0);
        test_client_send(account, SAM, "sorry from A");
        sent = test_client_take_sent();
        g_assert_cmpuint(sent->len, ==, 0);
        g_assert_cmpuint(faults_kept_with_text("sorry from A"), ==, 1);
    }
    {
        /* "typing…" from Sam is hidden here, where Sam is held, and shown
         * there, where Sam's messages are shown too. */
        g_autoptr(GPtrArray) lines = other_do(&other, "typing " SAM);

        g_assert_cmpuint(count_exact(lines, "typing " SAM " 1"), ==, 1);
        test_client_open_im(account, SAM);
        test_client_receive_typing(account, SAM, PURPLE_TYPING);
        g_assert_cmpint(test_client_typing_state(account, SAM), ==, PURPLE_NOT_TYPING);
        test_client_close_im(account, SAM);
    }
    g_free(journal_before);
    journal_before = read_file(AJAR_JOURNAL_FILE);
    {
        /* /ajar status there says what is true there, in the sentence. */
        g_autoptr(GPtrArray) lines = other_do(&other, "command " SAM " ajar status");
        g_autofree char *expected = g_strdup_printf("line %s", sentence);

        g_assert_cmpuint(lines->len, ==, 1);
        g_assert_cmpstr(g_ptr_array_index(lines, 0), ==, expected);
    }
    /* What needs the journal (or would write rules.json over rules it never
     * read) is refused there in one line naming the process, and changes
     * nothing: no rule, no kept message. */
    for (guint i = 0; i < G_N_ELEMENTS(refused); i++) {
        g_autofree char *instruction = g_strdup_printf("command %s %s", SAM, refused[i]);
        g_autoptr(GPtrArray) lines = other_do(&other, instruction);
        g_autofree char *journal_now = read_file(AJAR_JOURNAL_FILE);
        g_autofree char *rules_now = read_file("rules.json");
        const char *line = lines->len > 0 ? g_ptr_array_index(lines, 0) : "";

        g_test_message("/%s there: %s", refused[i], line);
        g_assert_cmpuint(lines->len, ==, 1);
        g_assert_true(g_str_has_prefix(line, "line "));
        g_assert_nonnull(strstr(line, process));
        g_assert_cmpstr(journal_now, ==, journal_before);
        g_assert_cmpstr(rules_now, ==, rules_before);
    }
    /* Said once, however many messages came and commands ran. */
    g_assert_cmpuint(other.notices, ==, 1);
    other_quit(&other);
    g_assert_cmpuint(other.notices, ==, 1);

    /* Nothing lost: every message of Sam's was shown there or is kept here;
     * the reader still needs no lock, and finds the journal sound. */
    readers_while_locked(all_kept);
    for (guint i = 0; i <= 3; i++) {
        g_autofree char *here = g_strdup_printf("are you awake? A%u", i);
        g_assert_cmpuint(faults_kept_with_text(here), ==, 1);
    }
    ajar_test_unload();
    {
        g_autofree char *verify = NULL;
        g_assert_cmpint(run_cli("verify", &verify), ==, 0);
    }
    g_ptr_array_unref(other.notice_texts);
    faults_remove_tree(tmp);
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();
    g_test_add_func("/reliability/two-clients/one-profile", test_one_profile);
    status = g_test_run();
    ajar_test_unload();
    test_client_quit();
    test_client_cleanup();
    return status;
}
