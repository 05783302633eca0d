/* test-crash.c — crash at any point: nothing lost, nothing twice.
 *
 * The driver starts crash-client.c (the headless libpurple client with the
 * built ajar.so) on one purple folder, again and again, and kills it with
 * SIGKILL at a random moment each time: while libpurple starts, while Ajar
 * replays its journal, or while messages stream in and out. A last clean
 * run ("settle") lets everything due come. Then it checks, against what
 * the child reported through its pipe as it happened:
 *
 * - every message the protocol delivered to libpurple (serv_got_im()
 *   returned) was shown in a conversation, or is in Ajar's custody in the
 *   journal; exactly one of the two, exactly once;
 * - every message the user typed was sent once, or is still kept; none was
 *   sent twice, and none was sent by a run after the one it was typed in
 *   unless the user answered "Send" to that run's question about it.
 *
 * A kill between showing (or sending) a kept message and journaling that
 * it was leaves it shown (sent) and still kept. Ajar journals "showing"
 * ("sending") first, so such a message is kept *marked*: the review and
 * /ajar status say it may already be in the conversation (have reached
 * them), "release all" / "send all" leave it, and the restart asks "send it
 * again?" (the child always answers no). So "shown once and still kept" is
 * allowed only when the journal marks the message (AjarItem.interrupted)
 * and the kill came right there: that message's "shown" ("net") was the
 * very last thing its run reported. Shown or sent twice fails, always.
 *
 * Some runs (3 in 20) also have journal.jsonl replaced under them, as a
 * sync client does: the child is stopped, the file copied and the copy
 * renamed over it, the child continued. Ajar then starts a new journal
 * with everything it keeps (store/ajar-journal-renew.c), and most of these
 * runs die inside that: halfway through writing journal.jsonl.renew, just
 * before the first rename, between the two, or just after the second.
 * The one message box such a run may show is the renewal's.
 *
 * Every fifth run (or the next whose journal does not end in a line a
 * kill cut) starts with the journal padded over the compaction threshold
 * (crash-compact.h): its Ajar compacts it at once and dies inside that, at
 * each step in turn (mid-copy, just before or after the rename, a torn
 * write, begun, pending noted, copied, or a random moment). The run after
 * it is killed in its first 700 ms, while it starts and recovers. `ajar
 * verify` must pass on the folder as each of these kills left it. The
 * journal judged at the end is history/ and journal.jsonl together.
 *
 * AJAR_CRASH_KILLS (default 20) kill points, AJAR_CRASH_SEED (default:
 * random, printed) for a run that reproduces. */
#include "crash-common.h"
#include "crash-compact.h"
#include "crash-judge.h"
#include "crash-replace.h"
#include "fault-shim.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ajar/ajar-journal.h"
#include "ajar/ajar-state.h"

typedef struct {
    char *dir;        /* the driver's temporary folder */
    char *purple_dir; /* the folder every run shares */
    const char *client;
    GHashTable *tags; /* tag -> TagState* */
    guint kills;
    guint kills_before_ready;
    guint torn; /* kill points that came in the middle of a journal write */
    const char *shim;
    guint notices;
    guint replacements;                      /* journal.jsonl replaced under a run */
    guint renewal_kills[5];                  /* kill points inside the renewal, by RenewKill */
    guint renewal_notices;                   /* "Ajar's journal was replaced ..." boxes */
    guint compact_kills[COMPACT_KILL_KINDS]; /* kill points in a compaction, by CompactKill */
    guint compact_padded;      /* compaction runs whose journal was padded over the threshold */
    guint compact_left;        /* kills that left a compaction's files to recover */
    guint startup_recovering;  /* start-up kills with such files there when the run began */
    guint startup_unrecovered; /* ... and still there after the kill */
    guint verified;            /* `ajar verify` runs that passed after a compaction kill */
    guint history_files;
    guint run;
    char *last_line; /* the current run's last report */
} Crash;

static TagState *
tag_state(Crash *crash, const char *tag)
{
    TagState *state = g_hash_table_lookup(crash->tags, tag);

    if (state == NULL) {
        state = g_new0(TagState, 1);
        g_hash_table_insert(crash->tags, g_strdup(tag), state);
    }
    return state;
}

/* Takes one report line of run crash->run. @answered_send: tags the user
 * said "Send" for in this run; *@ready: set when the child says "ready". */
static void
take_line(Crash *crash, const char *line, GHashTable *answered_send, gboolean *ready)
{
    g_auto(GStrv) words = g_strsplit(line, " ", 3);
    guint n = g_strv_length(words);

    g_free(crash->last_line);
    crash->last_line = g_strdup(line);
    if (n >= 1 && strcmp(words[0], "ready") == 0) {
        *ready = TRUE;
    } else if (n >= 1 && strcmp(words[0], "notice") == 0 &&
               g_str_has_prefix(line, "notice Ajar's journal was replaced by another file")) {
        crash->renewal_notices++;
        g_test_message("run %u: renewal notice: %s", crash->run, line + strlen("notice "));
    } else if (n >= 1 && strcmp(words[0], "notice") == 0) {
        crash->notices++;
        g_test_message("run %u: notice: %s", crash->run, line + strlen("notice "));
    } else if (n == 2 && strcmp(words[0], "in") == 0) {
        tag_state(crash, words[1])->delivered = TRUE;
    } else if (n == 2 && strcmp(words[0], "shown") == 0) {
        tag_state(crash, words[1])->shown++;
    } else if (n == 2 && strcmp(words[0], "typed") == 0) {
        tag_state(crash, words[1])->typed = TRUE;
    } else if (n == 2 && strcmp(words[0], "net") == 0) {
        TagState *state = tag_state(crash, words[1]);
        g_autofree char *own_run = g_strdup_printf("r%u-", crash->run);

        state->sent++;
        if (!g_str_has_prefix(words[1], own_run) && !g_hash_table_contains(answered_send, words[1]))
            state->sent_unasked++;
    } else if (n == 3 && strcmp(words[0], "answer") == 0) {
        if (strcmp(words[2], "send") == 0)
            g_hash_table_add(answered_send, g_strdup(words[1]));
    } else if (n == 2 && strcmp(words[0], "ask") == 0) {
        /* Asking is what must happen; the answer line follows. */
    } else if (n == 2 && strcmp(words[0], "ask-again") == 0) {
        tag_state(crash, words[1])->asked_again++;
    } else if (n >= 1 && strcmp(words[0], "done") == 0) {
    } else {
        g_test_message("run %u: unexpected report: %s", crash->run, line);
        g_test_fail();
    }
}

static pid_t
spawn_client(Crash *crash, const char *mode, guint32 seed, guint tear_at, RenewKill renew_kill,
             CompactKill compact_kill, int *report_fd)
{
    g_autofree char *run = g_strdup_printf("%u", crash->run);
    g_autofree char *seed_text = g_strdup_printf("%u", seed);
    g_autofree char *log = g_build_filename(crash->dir, "client.log", NULL);
    g_autofree char *tmp = g_build_filename(crash->dir, "tmp", NULL);
    int fds[2];
    pid_t pid;

    g_assert_cmpint(pipe(fds), ==, 0);
    pid = fork();
    g_assert_cmpint(pid, >=, 0);
    if (pid == 0) {
        int err = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (err < 0 || dup2(fds[1], STDOUT_FILENO) < 0 || dup2(err, STDERR_FILENO) < 0)
            _exit(127);
        close(fds[0]);
        /* Its private dirs (test_client_prepare()) go under ours. */
        g_setenv("TMPDIR", tmp, TRUE);
        /* fault-shim.so tears the @tear_at-th journal write: half of it
         * reaches the file, then the child kills itself. */
        g_setenv("LD_PRELOAD", crash->shim, TRUE);
        if (tear_at > 0) {
            g_autofree char *tear = g_strdup_printf("%u:/ajar/" AJAR_JOURNAL_FILE, tear_at);
            g_autofree char *mark = g_build_filename(crash->dir, "torn", NULL);
            g_setenv(FAULT_SHIM_TEAR_ENV, tear, TRUE);
            g_setenv(FAULT_SHIM_TEAR_MARK_ENV, mark, TRUE);
        }
        if (renew_kill != RENEW_KILL_NONE) {
            g_autofree char *mark = g_build_filename(crash->dir, "torn", NULL);
            crash_renew_kill_setenv(renew_kill, mark);
        }
        if (compact_kill != COMPACT_KILL_NONE) {
            g_autofree char *mark = g_build_filename(crash->dir, "torn", NULL);
            crash_compact_kill_setenv(compact_kill, mark);
        }
        execl(crash->client, crash->client, crash->purple_dir, run, seed_text, mode, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    *report_fd = fds[0];
    return pid;
}

/* Reads reports until @deadline_us (monotonic; 0: until the pipe closes).
 * Returns FALSE when the pipe closed. */
static gboolean
read_reports(Crash *crash, int fd, GString *pending, gint64 deadline_us, GHashTable *answered_send,
             gboolean *ready)
{
    for (;;) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        int timeout = -1;
        char buf[4096];
        ssize_t got;
        char *newline;

        if (deadline_us > 0) {
            gint64 left = deadline_us - g_get_monotonic_time();
            if (left <= 0)
                return TRUE;
            timeout = (int)MAX(1, left / 1000);
        }
        if (poll(&pfd, 1, timeout) < 0) {
            g_assert_cmpint(errno, ==, EINTR);
            continue;
        }
        if (pfd.revents == 0)
            continue;
        got = read(fd, buf, sizeof buf);
        if (got < 0 && errno == EINTR)
            continue;
        g_assert_cmpint(got, >=, 0);
        if (got == 0) {
            if (pending->len > 0) /* cannot happen: one write() per line */
                g_test_message("run %u: cut report: %s", crash->run, pending->str);
            return FALSE;
        }
        g_string_append_len(pending, buf, got);
        while ((newline = strchr(pending->str, '\n')) != NULL) {
            *newline = '\0';
            take_line(crash, pending->str, answered_send, ready);
            g_string_erase(pending, 0, newline - pending->str + 1);
        }
    }
}

static void
print_client_log(Crash *crash)
{
    g_autofree char *log = g_build_filename(crash->dir, "client.log", NULL);
    g_autofree char *text = NULL;
    gsize len = 0;

    if (g_file_get_contents(log, &text, &len, NULL))
        g_test_message("client stderr (last 4000 bytes):\n%s",
                       text + (len > 4000 ? len - 4000 : 0));
}

/* One run of the child; killed after @kill_after_ms, or (@kill_after_ms 0)
 * left to finish. @tear_at: the child dies halfway through its
 * @tear_at-th journal write (0: no tear), if that comes first.
 * @replace_ms (0: never): when the driver replaces journal.jsonl under it,
 * and @renew_kill where the child then dies in the renewal. */
static void
run_client(Crash *crash, const char *mode, guint32 seed, guint kill_after_ms, guint tear_at,
           guint replace_ms, RenewKill renew_kill, CompactKill compact_kill)
{
    g_autoptr(GHashTable) answered_send =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr(GString) pending = g_string_new(NULL);
    gboolean ready = FALSE;
    gboolean open = TRUE;
    int fd, status;
    pid_t pid;

    crash->run++;
    g_clear_pointer(&crash->last_line, g_free);
    pid = spawn_client(crash, mode, seed, tear_at, renew_kill, compact_kill, &fd);
    if (kill_after_ms > 0) {
        gint64 started = g_get_monotonic_time();

        if (replace_ms > 0) {
            open = read_reports(crash, fd, pending, started + replace_ms * 1000, answered_send,
                                &ready);
            if (open)
                crash->replacements += crash_replace_journal(crash->purple_dir, pid);
        }
        if (open)
            open = read_reports(crash, fd, pending, started + kill_after_ms * 1000, answered_send,
                                &ready);
        if (open) {
            g_assert_cmpint(kill(pid, SIGKILL), ==, 0);
            crash->kills++;
            if (!ready)
                crash->kills_before_ready++;
        }
    }
    if (open)
        read_reports(crash, fd, pending, 0, answered_send, &ready);
    close(fd);
    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    if (kill_after_ms > 0 && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) {
        g_autofree char *mark = g_build_filename(crash->dir, "torn", NULL);
        /* Killed itself in the middle of a journal write (the shim left its
         * mark), perhaps just as the driver's own kill came. */
        gboolean torn = g_rmdir(mark) == 0;
        /* A kill point of the compaction core leaves no mark: the child
         * died of its own SIGKILL before the driver's. */
        gboolean core_kill = !torn && !open && crash_compact_kill_in_core(compact_kill);

        g_assert_true(torn || core_kill || open);
        g_assert_true(!torn || tear_at > 0 || renew_kill != RENEW_KILL_NONE ||
                      compact_kill != COMPACT_KILL_NONE);
        if (torn && renew_kill != RENEW_KILL_NONE)
            crash->renewal_kills[renew_kill]++;
        else if ((torn || core_kill) && compact_kill != COMPACT_KILL_NONE)
            crash->compact_kills[compact_kill]++;
        else if (torn)
            crash->torn++;
        if (!open) {
            crash->kills++;
            if (!ready)
                crash->kills_before_ready++;
        }
        g_auto(GStrv) words =
            crash->last_line != NULL ? g_strsplit(crash->last_line, " ", 3) : NULL;
        if (words != NULL && g_strv_length(words) == 2 &&
            (strcmp(words[0], "shown") == 0 || strcmp(words[0], "net") == 0)) {
            TagState *state = tag_state(crash, words[1]);
            if ((strcmp(words[0], "shown") == 0 ? state->shown : state->sent) == 1)
                state->killed_after_first = TRUE;
        }
        return;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && kill_after_ms == 0)
        return;
    print_client_log(crash);
    g_error("run %u (%s, seed %u) ended by itself: %s %d", crash->run, mode, seed,
            WIFEXITED(status) ? "exit status" : "signal",
            WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
}

static char *
tag_of_text(const char *text, gsize len)
{
    g_autofree char *copy = g_strndup(text, len);
    const char *start = strstr(copy, CRASH_TAG_PREFIX);
    const char *end;

    if (start == NULL)
        return NULL;
    start += strlen(CRASH_TAG_PREFIX);
    for (end = start; g_ascii_isalnum(*end) || *end == '-'; end++)
        ;
    return g_strndup(start, (gsize)(end - start));
}

/* What the journal says of every tag. */
static void
read_journal(Crash *crash)
{
    g_autoptr(GPtrArray) events = NULL;
    g_autoptr(GHashTable) id_tags = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_autoptr(AjarState) state = ajar_state_new();
    guint repaired = 0, malformed;

    /* Finished lines a compaction moved keep their seq: in seq order, the
     * history files and the journal are the journal never compacted. */
    events = crash_compact_read_all(crash->purple_dir, &malformed, &crash->history_files);

    for (guint i = 0; i < events->len; i++) {
        const AjarEvent *event = g_ptr_array_index(events, i);
        const char *tag;

        /* (A summary sets counters the tags do not need.) */
        if (event->type != AJAR_EVENT_SUMMARY)
            ajar_state_apply(state, event);
        if (event->type == AJAR_EVENT_FAULT && event->message != NULL &&
            g_str_has_prefix(event->message, AJAR_JOURNAL_FILE ": repaired"))
            repaired++;
        if (ajar_event_type_is_custody(event->type) && event->text != NULL) {
            g_autofree char *found = tag_of_text(event->text, event->text_len);
            if (found != NULL && !g_hash_table_contains(id_tags, event->id)) {
                tag_state(crash, found)->custody_ids++;
                g_hash_table_insert(id_tags, g_strdup(event->id), g_steal_pointer(&found));
            }
        }
        tag = event->id != NULL ? g_hash_table_lookup(id_tags, event->id) : NULL;
        if (tag != NULL && (event->type == AJAR_EVENT_RELEASED ||
                            event->type == AJAR_EVENT_DELIVERED || event->type == AJAR_EVENT_SENT))
            tag_state(crash, tag)->outcome = TRUE;
    }
    {
        GHashTableIter iter;
        gpointer id, tag;

        g_hash_table_iter_init(&iter, id_tags);
        while (g_hash_table_iter_next(&iter, &id, &tag)) {
            const AjarItem *item = ajar_state_lookup(state, id);
            if (item != NULL && ajar_item_in_custody(item)) {
                tag_state(crash, tag)->kept = TRUE;
                tag_state(crash, tag)->marked = item->interrupted;
            }
        }
    }
    g_test_message("journal and %u history files: %u events, %u lines cut by a kill and "
                   "repaired, %u damaged lines",
                   crash->history_files, events->len, repaired, malformed);
    /* Damage only where a torn write was repaired (FORMATS.md: the cut line
     * stays, ended, and an "error" event says so). */
    g_assert_cmpuint(malformed, ==, repaired);
    g_assert_cmpuint(repaired, <=, crash->torn);
}

static void
verify_with_cli(Crash *crash)
{
    const char *cli = g_getenv("AJAR_CLI");
    const char *argv[] = { cli, "verify", "--dir", crash->purple_dir, NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    g_autoptr(GError) error = NULL;
    int status = 0;

    g_assert_nonnull(cli);
    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &status, &error));
    g_assert_no_error(error);
    /* Exit 0: no damaged line, no gap, no outcome without its message (a
     * line cut by a kill and repaired is only a warning). */
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        g_test_message("ajar verify:\n%s%s", out, err);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 0);
}

/* A run that dies inside a compaction (@kill: MIDCOPY to TIMED; the
 * journal was padded over the threshold), or the one after it, killed at
 * start-up (@kill STARTUP: 120 to 700 ms; libpurple starts in about 300).
 * @timed_ms: when a TIMED one is killed. `ajar verify` must pass on the
 * folder as it is left. */
static void
compaction_run(Crash *crash, guint32 seed, CompactKill kill, guint timed_ms)
{
    gboolean left_before = crash_compact_left(crash->purple_dir);
    guint kill_ms = kill == COMPACT_KILL_STARTUP ? 100 + timed_ms
                    : kill == COMPACT_KILL_TIMED ? timed_ms
                                                 : 2500;

    run_client(crash, kill == COMPACT_KILL_STARTUP ? "run" : "compact", seed, kill_ms, 0, 0,
               RENEW_KILL_NONE, kill);
    if (kill == COMPACT_KILL_STARTUP) {
        crash->compact_kills[kill]++;
        crash->startup_recovering += left_before;
        crash->startup_unrecovered += left_before && crash_compact_left(crash->purple_dir);
    } else {
        if (kill == COMPACT_KILL_TIMED)
            crash->compact_kills[kill]++;
        crash->compact_left += crash_compact_left(crash->purple_dir);
    }
    verify_with_cli(crash);
    crash->verified++;
}

static guint
env_uint(const char *name, guint fallback)
{
    const char *value = g_getenv(name);

    return value != NULL && *value != '\0' ? (guint)g_ascii_strtoull(value, NULL, 10) : fallback;
}

static void
test_crash_anywhere(void)
{
    Crash crash = { 0 };
    guint kills = env_uint("AJAR_CRASH_KILLS", 20);
    guint32 seed = (guint32)env_uint("AJAR_CRASH_SEED", g_random_int());
    g_autoptr(GRand) rng = g_rand_new_with_seed(seed);
    g_autofree char *ajar_dir = NULL;
    g_autofree char *rules = NULL;
    g_autofree char *tmp = NULL;
    g_autoptr(GError) error = NULL;
    Figures f = { 0 };
    GHashTableIter iter;
    gpointer tag, state;
    gint64 started = g_get_monotonic_time();
    gboolean compaction_due = FALSE, startup_next = FALSE;

    g_test_message("AJAR_CRASH_SEED=%u AJAR_CRASH_KILLS=%u", seed, kills);
    crash.client = g_getenv("AJAR_CRASH_CLIENT");
    g_assert_nonnull(crash.client);
    crash.shim = g_getenv("AJAR_FAULT_SHIM");
    g_assert_nonnull(crash.shim);
    crash.dir = g_dir_make_tmp("ajar-crash-XXXXXX", &error);
    g_assert_no_error(error);
    crash.purple_dir = g_build_filename(crash.dir, "purple", NULL);
    crash.tags = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    ajar_dir = g_build_filename(crash.purple_dir, "ajar", NULL);
    rules = g_build_filename(ajar_dir, "rules.json", NULL);
    tmp = g_build_filename(crash.dir, "tmp", NULL);
    g_assert_cmpint(g_mkdir_with_parents(ajar_dir, 0700), ==, 0);
    g_assert_cmpint(g_mkdir(tmp, 0700), ==, 0);
    g_assert_true(g_file_set_contents(rules, CRASH_RULES, -1, &error));
    g_assert_no_error(error);
    g_assert_cmpint(g_chmod(rules, 0600), ==, 0);

    /* One kill in four falls in the first 80 ms: while libpurple starts and
     * Ajar replays its journal (a few ms on a fresh folder, more as it
     * grows); one in five in the middle of one of the first 150 journal
     * writes of the run; the others anywhere in 2.5 s of streaming. */
    for (guint i = 0; i < kills; i++) {
        guint32 child_seed = g_rand_int(rng);
        guint kind = g_rand_int_range(rng, 0, 20);
        guint kill_ms = kind < 5 ? g_rand_int_range(rng, 1, 80) : g_rand_int_range(rng, 1, 2500);
        guint tear_at = kind >= 16 ? g_rand_int_range(rng, 1, 150) : 0;
        gboolean replace = kind >= 13 && kind < 16;
        guint replace_ms = replace ? g_rand_int_range(rng, 30, 1200) : 0;
        RenewKill renew_kill = replace ? g_rand_int_range(rng, 0, 5) : RENEW_KILL_NONE;
        guint timed_ms = g_rand_int_range(rng, 20, 600);

        if (replace)
            kill_ms =
                renew_kill == RENEW_KILL_NONE ? replace_ms + g_rand_int_range(rng, 1, 1300) : 2500;
        /* A compaction run is due every fifth run; it waits for a
         * journal that does not end in a line a kill cut (padding it then
         * would damage that line). */
        compaction_due = compaction_due || i % 5 == 2;
        if (startup_next || (compaction_due && crash_compact_pad(crash.purple_dir, CRASH_ACCOUNT,
                                                                 CRASH_HELD_BUDDY) > 0)) {
            CompactKill kill =
                startup_next ? COMPACT_KILL_STARTUP
                             : COMPACT_KILL_MIDCOPY + crash.compact_padded++ % COMPACT_KILL_CYCLE;

            compaction_run(&crash, child_seed, kill, timed_ms);
            compaction_due = compaction_due && startup_next;
            startup_next = !startup_next;
            continue;
        }
        run_client(&crash, "run", child_seed, tear_at > 0 ? 2500 : kill_ms, tear_at, replace_ms,
                   renew_kill, COMPACT_KILL_NONE);
    }
    run_client(&crash, "settle", g_rand_int(rng), 0, 0, 0, RENEW_KILL_NONE, COMPACT_KILL_NONE);

    read_journal(&crash);
    verify_with_cli(&crash);
    g_hash_table_iter_init(&iter, crash.tags);
    while (g_hash_table_iter_next(&iter, &tag, &state))
        check_tag(tag, state, &f);

    g_test_message("kill points: %u (%u before the client was ready, %u in the middle of a "
                   "journal write); runs: %u; %.0f s",
                   crash.kills, crash.kills_before_ready, crash.torn, crash.run,
                   (g_get_monotonic_time() - started) / 1e6);
    g_test_message("their messages checked: %u (shown %u, kept %u); yours checked: %u (sent %u, "
                   "kept %u)",
                   f.in_checked, f.shown, f.kept_in, f.out_checked, f.sent, f.kept_out);
    g_test_message("journal.jsonl replaced under a run: %u times; kill points inside the "
                   "renewal: %u %s, %u %s, %u %s, %u %s; renewal notices: %u",
                   crash.replacements, crash.renewal_kills[1], renew_kill_names[1],
                   crash.renewal_kills[2], renew_kill_names[2], crash.renewal_kills[3],
                   renew_kill_names[3], crash.renewal_kills[4], renew_kill_names[4],
                   crash.renewal_notices);
    crash_compact_report(crash.compact_kills, crash.compact_padded, crash.compact_left,
                         crash.startup_recovering, crash.startup_unrecovered, crash.verified);
    g_test_message("lost: %u; duplicated (shown or sent twice, or shown/sent and kept "
                   "unmarked): %u; sent after a restart without asking: %u; notices: %u",
                   f.lost, f.duplicated, f.unasked, crash.notices);
    g_test_message("killed between showing and noting it: %u shown once, kept marked; killed "
                   "between sending and noting it: %u sent once, kept marked, %u \"send it "
                   "again?\" questions answered \"Keep it unsent\"; killed after the intent "
                   "line, before showing or sending: %u kept marked",
                   f.marked_shown, f.marked_sent, f.asked_again, f.marked_unshown);
    g_assert_cmpuint(crash.kills, ==, kills);
    g_assert_cmpuint(f.in_checked, >, 0);
    g_assert_cmpuint(f.out_checked, >, 0);
    g_assert_cmpuint(f.lost, ==, 0);
    g_assert_cmpuint(f.duplicated, ==, 0);
    g_assert_cmpuint(f.unasked, ==, 0);
    g_assert_cmpuint(crash.notices, ==, 0);
    g_assert_cmpuint(crash.renewal_notices, <=, crash.replacements);
    /* Not a run without compaction passing for one with it: the first
     * compaction runs die at their kill points. */
    if (kills >= 10)
        g_assert_cmpuint(crash.compact_kills[COMPACT_KILL_MIDCOPY] +
                             crash.compact_kills[COMPACT_KILL_BEFORE] +
                             crash.compact_kills[COMPACT_KILL_AFTER],
                         >, 0);

    if (g_getenv("AJAR_TEST_KEEP_DIR") != NULL) {
        g_test_message("kept %s", crash.dir);
    } else {
        const char *argv[] = { "rm", "-rf", crash.dir, NULL };
        g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL,
                     NULL);
    }
    g_hash_table_unref(crash.tags);
    g_free(crash.last_line);
    g_free(crash.purple_dir);
    g_free(crash.dir);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/reliability/crash/anywhere", test_crash_anywhere);
    return g_test_run();
}
