/* cli-test-util.c — see cli-test-util.h. */
#include "cli-test-util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utmp.h>

#include <glib/gstdio.h>

#define MINUTE (G_GINT64_CONSTANT(60) * G_USEC_PER_SEC)
#define DAY (24 * 60 * MINUTE)

const char *const cli_sample_texts[CLI_SAMPLE_COUNT] = {
    /* As libpurple hands it over: what they typed is escaped, their client's
     * formatting is markup. */
    [SAMPLE_SCRIPT] = "&lt;script&gt;alert(1)&lt;/script&gt; Tom &amp; Jerry said \"hi\" and "
                      "'bye' <b>bold</b><script>alert(2)</script>",
    [SAMPLE_AWAKE] = "are you awake?",
    [SAMPLE_DOOR] = "I left something at your door.\nIt's on the step.",
    [SAMPLE_GOT_IT] = "did you get it?",
    [SAMPLE_LONG] = "I have been thinking about what you said on Sunday, and about the walk "
                    "by the river, and I wanted to say that I understand why you need some "
                    "time, even if it is hard for me, and that I am not angry, only tired; "
                    "take the time you need and write when you are ready.",
    [SAMPLE_MORNING] = "good morning",
    [SAMPLE_MISS_YOU] = "I miss you",
    [SAMPLE_SORRY] = "sorry about last night",
    [SAMPLE_SEE_YOU] = "ok, see you then",
    [SAMPLE_LETTER] = "a letter I will not send",
    [SAMPLE_ESCAPE] = "\033[31mred alert\033[0m\a and \033]0;title\a done",
    [SAMPLE_LATIN1] = "caf\xE9 au lait",
};

const char *const cli_sample_states[CLI_SAMPLE_COUNT] = {
    [SAMPLE_SCRIPT] = "released",  [SAMPLE_AWAKE] = "held",      [SAMPLE_DOOR] = "archived",
    [SAMPLE_GOT_IT] = "read",      [SAMPLE_LONG] = "delayed",    [SAMPLE_MORNING] = "delivered",
    [SAMPLE_MISS_YOU] = "queued",  [SAMPLE_SORRY] = "cancelled", [SAMPLE_SEE_YOU] = "sent",
    [SAMPLE_LETTER] = "discarded", [SAMPLE_ESCAPE] = "held",     [SAMPLE_LATIN1] = "archived",
};

static const AjarEventType sample_custody[CLI_SAMPLE_COUNT] = {
    AJAR_EVENT_HELD,    AJAR_EVENT_HELD,    AJAR_EVENT_ARCHIVED, AJAR_EVENT_ARCHIVED,
    AJAR_EVENT_DELAYED, AJAR_EVENT_DELAYED, AJAR_EVENT_QUEUED,   AJAR_EVENT_QUEUED,
    AJAR_EVENT_QUEUED,  AJAR_EVENT_HELD,    AJAR_EVENT_HELD,     AJAR_EVENT_ARCHIVED,
};

/* The outcome each message later had, AJAR_EVENT_UNKNOWN for none. */
static const AjarEventType sample_outcome[CLI_SAMPLE_COUNT] = {
    AJAR_EVENT_RELEASED, AJAR_EVENT_UNKNOWN,   AJAR_EVENT_UNKNOWN, AJAR_EVENT_READ,
    AJAR_EVENT_UNKNOWN,  AJAR_EVENT_DELIVERED, AJAR_EVENT_UNKNOWN, AJAR_EVENT_CANCELLED,
    AJAR_EVENT_SENT,     AJAR_EVENT_DISCARDED, AJAR_EVENT_UNKNOWN, AJAR_EVENT_UNKNOWN,
};

static gboolean
sample_is_mum(guint index)
{
    return index == SAMPLE_DOOR || index == SAMPLE_GOT_IT || index == SAMPLE_LATIN1;
}

static gboolean
sample_is_out(guint index)
{
    return index == SAMPLE_MISS_YOU || index == SAMPLE_SORRY || index == SAMPLE_SEE_YOU ||
           index == SAMPLE_LETTER;
}

AjarEvent *
cli_sample_custody_event(guint index)
{
    AjarEvent *event = ajar_event_new(sample_custody[index]);
    const char *text = cli_sample_texts[index];

    event->time = CLI_SAMPLE_T0 + index * 17 * MINUTE;
    event->ts = event->time + 2 * G_USEC_PER_SEC;
    event->has_dir = TRUE;
    event->dir = sample_is_out(index) ? AJAR_DIRECTION_OUT : AJAR_DIRECTION_IN;
    event->account = g_strdup("me@example.org/Home");
    event->protocol = g_strdup("prpl-jabber");
    event->buddy = g_strdup(sample_is_mum(index) ? "Mum@Example.org/phone" : "sam@example.org");
    event->rule = g_strdup(sample_is_mum(index) ? "Mum" : "Sam");
    if (event->type == AJAR_EVENT_DELAYED || event->type == AJAR_EVENT_QUEUED)
        event->due = event->time + 10 * MINUTE;
    event->text = g_strdup(text);
    event->text_len = strlen(text);
    return event;
}

GStrv
cli_write_sample_journal(const char *purple_dir)
{
    g_autofree char *dir = g_build_filename(purple_dir, "ajar", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);
    AjarJournal *journal = ajar_journal_open(dir, AJAR_FLUSH_EVERY_EVENT, &error);
    AjarEvent *sent;

    g_assert_no_error(error);
    for (guint i = 0; i < CLI_SAMPLE_COUNT; i++) {
        g_autoptr(AjarEvent) event = cli_sample_custody_event(i);
        g_assert_true(ajar_journal_append(journal, event, &error));
        g_ptr_array_add(ids, g_strdup(event->id));
    }
    for (guint i = 0; i < CLI_SAMPLE_COUNT; i++) {
        g_autoptr(AjarEvent) event = NULL;
        if (sample_outcome[i] == AJAR_EVENT_UNKNOWN)
            continue;
        event = ajar_event_new(sample_outcome[i]);
        event->ts = CLI_SAMPLE_T0 + DAY + i * MINUTE;
        event->id = g_strdup(g_ptr_array_index(ids, i));
        g_assert_true(ajar_journal_append(journal, event, &error));
    }
    /* A message to Sam that passed: only counted ("You last wrote to them"). */
    sent = ajar_event_new(AJAR_EVENT_SENT);
    sent->ts = CLI_SAMPLE_T0 + DAY + 30 * MINUTE;
    sent->has_dir = TRUE;
    sent->dir = AJAR_DIRECTION_OUT;
    sent->account = g_strdup("me@example.org/Home");
    sent->protocol = g_strdup("prpl-jabber");
    sent->buddy = g_strdup("sam@example.org");
    sent->rule = g_strdup("Sam");
    g_assert_true(ajar_journal_append(journal, sent, &error));
    ajar_event_free(sent);
    g_assert_true(ajar_journal_sync(journal, &error));
    ajar_journal_close(journal);
    g_ptr_array_add(ids, NULL);
    return (GStrv)g_ptr_array_free(g_steal_pointer(&ids), FALSE);
}

void
cli_append_raw(const char *path, const char *bytes, gssize len)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0600);
    gsize size = len < 0 ? strlen(bytes) : (gsize)len;

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(write(fd, bytes, size), ==, (gssize)size);
    close(fd);
}

/* ---- fixtures ---- */

static void
remove_tree(const char *path)
{
    struct stat st;

    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        GDir *dir = g_dir_open(path, 0, NULL);
        const char *name;

        while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
            g_autofree char *child = g_build_filename(path, name, NULL);
            remove_tree(child);
        }
        if (dir != NULL)
            g_dir_close(dir);
        g_rmdir(path);
    } else {
        g_unlink(path);
    }
}

void
cli_fixture_set_up(CliFixture *f, gconstpointer data)
{
    g_autoptr(GError) error = NULL;

    f->home = g_dir_make_tmp("ajar-cli-XXXXXX", &error);
    g_assert_no_error(error);
    f->purple = g_build_filename(f->home, ".purple", NULL);
    f->ajar = g_build_filename(f->purple, "ajar", NULL);
    f->journal = g_build_filename(f->ajar, AJAR_JOURNAL_FILE, NULL);
}

void
cli_fixture_tear_down(CliFixture *f, gconstpointer data)
{
    remove_tree(f->home);
    g_free(f->home);
    g_free(f->purple);
    g_free(f->ajar);
    g_free(f->journal);
}

/* ---- running the command ---- */

void
cli_run_free(CliRun *run)
{
    if (run == NULL)
        return;
    g_free(run->out);
    g_free(run->err);
    g_free(run);
}

char *
cli_test_program(const char *name)
{
    const char *dir = g_getenv("AJAR_CLI_TEST_DIR");

    g_assert_nonnull(dir);
    return g_build_filename(dir, name, NULL);
}

GStrv
cli_environment(const CliFixture *f, const char *const *overrides)
{
    GStrv env = g_get_environ();

    env = g_environ_setenv(env, "HOME", f->home, TRUE);
    env = g_environ_setenv(env, "TZ", "UTC", TRUE);
    env = g_environ_setenv(env, "LC_ALL", "C.UTF-8", TRUE);
    env = g_environ_setenv(env, "COLUMNS", "100", TRUE);
    env = g_environ_unsetenv(env, "NO_COLOR");
    for (guint i = 0; overrides != NULL && overrides[i] != NULL; i++) {
        const char *eq = strchr(overrides[i], '=');
        if (eq == NULL) {
            env = g_environ_unsetenv(env, overrides[i]);
        } else {
            g_autofree char *name = g_strndup(overrides[i], (gsize)(eq - overrides[i]));
            env = g_environ_setenv(env, name, eq + 1, TRUE);
        }
    }
    return env;
}

static GStrv
command_argv(const char *const *args)
{
    GPtrArray *argv = g_ptr_array_new();
    const char *cli = g_getenv("AJAR_CLI");

    g_assert_nonnull(cli);
    g_ptr_array_add(argv, g_strdup(cli));
    for (guint i = 0; args != NULL && args[i] != NULL; i++)
        g_ptr_array_add(argv, g_strdup(args[i]));
    g_ptr_array_add(argv, NULL);
    return (GStrv)g_ptr_array_free(argv, FALSE);
}

static int
exit_status(int wait_status)
{
    if (WIFEXITED(wait_status))
        return WEXITSTATUS(wait_status);
    if (WIFSIGNALED(wait_status))
        return 128 + WTERMSIG(wait_status);
    return -1;
}

CliRun *
cli_run(const CliFixture *f, const char *const *overrides, const char *const *args)
{
    g_auto(GStrv) argv = command_argv(args);
    g_auto(GStrv) env = cli_environment(f, overrides);
    g_autoptr(GError) error = NULL;
    CliRun *run = g_new0(CliRun, 1);
    int wait_status = 0;

    g_spawn_sync(NULL, argv, env, G_SPAWN_DEFAULT, NULL, NULL, &run->out, &run->err, &wait_status,
                 &error);
    g_assert_no_error(error);
    run->status = exit_status(wait_status);
    return run;
}

CliRun *
cli_run_dir(const CliFixture *f, const char *first, ...)
{
    g_autoptr(GPtrArray) args = g_ptr_array_new();
    va_list ap;

    g_ptr_array_add(args, (gpointer) "--dir");
    g_ptr_array_add(args, f->purple);
    va_start(ap, first);
    for (const char *arg = first; arg != NULL; arg = va_arg(ap, const char *))
        g_ptr_array_add(args, (gpointer)arg);
    va_end(ap);
    g_ptr_array_add(args, NULL);
    return cli_run(f, NULL, (const char *const *)args->pdata);
}

CliRun *
cli_run_pty(const CliFixture *f, const char *const *overrides, const char *const *args,
            guint columns)
{
    g_auto(GStrv) argv = command_argv(args);
    g_auto(GStrv) env = cli_environment(f, overrides);
    g_autoptr(GString) out = g_string_new(NULL);
    struct winsize size = { .ws_row = 40, .ws_col = (unsigned short)columns };
    CliRun *run = g_new0(CliRun, 1);
    int master = -1, slave = -1, wait_status = 0;
    pid_t pid;

    g_assert_cmpint(openpty(&master, &slave, NULL, NULL, &size), ==, 0);
    pid = fork();
    g_assert_cmpint(pid, >=, 0);
    if (pid == 0) {
        close(master);
        if (login_tty(slave) != 0) /* its own session, the pty its terminal */
            _exit(126);
        execve(argv[0], argv, env);
        _exit(127);
    }
    /* The parent keeps the slave open, so the master never reads EIO while
     * output is still on its way: Linux may drop what is left in a pty once
     * its last slave closes, which lost lines here on a busy machine. Read
     * what comes until the command has exited, then what is left. */
    for (gboolean exited = FALSE; !exited;) {
        struct pollfd ready = { .fd = master, .events = POLLIN };
        char buf[4096];
        ssize_t n;

        if (poll(&ready, 1, 50) > 0 && (ready.revents & POLLIN)) {
            n = read(master, buf, sizeof buf);
            if (n > 0)
                g_string_append_len(out, buf, n);
            continue;
        }
        exited = waitpid(pid, &wait_status, WNOHANG) == pid;
    }
    g_assert_cmpint(fcntl(master, F_SETFL, O_NONBLOCK), ==, 0);
    for (;;) {
        char buf[4096];
        ssize_t n = read(master, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; /* EAGAIN: all of it was read */
        g_string_append_len(out, buf, n);
    }
    close(slave);
    close(master);
    run->status = exit_status(wait_status);
    /* The terminal turns "\n" into "\r\n". */
    {
        g_auto(GStrv) parts = g_strsplit(out->str, "\r\n", -1);
        run->out = g_strjoinv("\n", parts);
    }
    run->err = g_strdup("");
    return run;
}

/* ---- assertions ---- */

void
cli_assert_contains_impl(const char *file, int line, const char *haystack, const char *needle,
                         gboolean wanted)
{
    gboolean found = haystack != NULL && strstr(haystack, needle) != NULL;
    g_autofree char *message = NULL;
    g_autofree char *h = NULL;
    g_autofree char *n = NULL;

    if (found == wanted)
        return;
    h = g_strescape(haystack != NULL ? haystack : "(null)", "\n");
    n = g_strescape(needle, NULL);
    message = g_strdup_printf("expected the output %s \"%s\":\n%s",
                              wanted ? "to contain" : "not to contain", n, h);
    g_assertion_message(G_LOG_DOMAIN, file, line, G_STRFUNC, message);
}

void
cli_assert_status_impl(const char *file, int line, const CliRun *run, int expected)
{
    g_autofree char *message = NULL;

    if (run->status == expected)
        return;
    message = g_strdup_printf("exit status %d, expected %d\n--- stdout:\n%s\n--- stderr:\n%s",
                              run->status, expected, run->out, run->err);
    g_assertion_message(G_LOG_DOMAIN, file, line, G_STRFUNC, message);
}

void
cli_sample_set_up(CliSampleFixture *s, gconstpointer data)
{
    cli_fixture_set_up(&s->base, data);
    s->ids = cli_write_sample_journal(s->base.purple);
}

void
cli_sample_tear_down(CliSampleFixture *s, gconstpointer data)
{
    g_strfreev(s->ids);
    cli_fixture_tear_down(&s->base, data);
}
