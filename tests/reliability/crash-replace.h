/* crash-replace.h — the crash driver's journal replacements (header-only,
 * like faults-util.h): a sync client's copy renamed over journal.jsonl
 * while the child is stopped, and where the child then dies inside Ajar's
 * renewal of its journal (fault-shim.so, armed through the environment). */
#ifndef AJAR_CRASH_REPLACE_H
#define AJAR_CRASH_REPLACE_H

#include <signal.h>
#include <string.h>
#include <sys/types.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "ajar/ajar-journal.h"
#include "fault-shim.h"

/* Where a run whose journal is replaced dies. */
typedef enum {
    RENEW_KILL_NONE,    /* only the driver's timed kill */
    RENEW_KILL_TEAR,    /* halfway through writing journal.jsonl.renew */
    RENEW_KILL_BEFORE,  /* just before renaming the copy aside */
    RENEW_KILL_BETWEEN, /* copy aside, journal.jsonl.renew not yet in */
    RENEW_KILL_AFTER,   /* the new journal in place */
} RenewKill;

static const char *const renew_kill_names[] = { "timed", "mid-write", "before the renames",
                                                "between the renames", "after the renames" };

/* In the child, before exec: arms fault-shim.so to kill it at @renew_kill;
 * the shim makes the folder @mark just before. */
static inline void
crash_renew_kill_setenv(RenewKill renew_kill, const char *mark)
{
    /* The first renames whose source is journal.jsonl...: the copy aside,
     * then journal.jsonl.renew into place. */
    static const char *const specs[] = { NULL, NULL, "1:/ajar/" AJAR_JOURNAL_FILE ":before",
                                         "1:/ajar/" AJAR_JOURNAL_FILE ":after",
                                         "2:/ajar/" AJAR_JOURNAL_FILE ":after" };

    if (renew_kill == RENEW_KILL_TEAR)
        g_setenv(FAULT_SHIM_TEAR_ENV, "1:/ajar/" AJAR_JOURNAL_FILE AJAR_JOURNAL_RENEW_SUFFIX, TRUE);
    else
        g_setenv(FAULT_SHIM_KILL_RENAME_ENV, specs[renew_kill], TRUE);
    g_setenv(FAULT_SHIM_TEAR_MARK_ENV, mark, TRUE);
}

/* Whether process @pid is stopped (or gone): /proc/PID/stat's state. */
static inline gboolean
crash_process_stopped(pid_t pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/stat", (int)pid);
    g_autofree char *stat = NULL;
    const char *close_paren;

    if (!g_file_get_contents(path, &stat, NULL, NULL))
        return TRUE;
    close_paren = strrchr(stat, ')');
    return close_paren == NULL || close_paren[1] == '\0' || strchr("TtZX", close_paren[2]) != NULL;
}

/* A sync client's replacement: with the child @pid stopped, @purple_dir's
 * ajar/journal.jsonl is copied and the copy renamed over it. Returns 1 if
 * it was replaced (0: there was no journal yet). */
static inline guint
crash_replace_journal(const char *purple_dir, pid_t pid)
{
    g_autofree char *path = g_build_filename(purple_dir, "ajar", AJAR_JOURNAL_FILE, NULL);
    g_autofree char *copy = g_strconcat(path, ".sync-copy", NULL);
    g_autoptr(GError) error = NULL;
    g_autofree char *bytes = NULL;
    gsize len = 0;
    guint replaced = 0;

    g_assert_cmpint(kill(pid, SIGSTOP), ==, 0);
    while (!crash_process_stopped(pid))
        g_usleep(1000);
    if (g_file_get_contents(path, &bytes, &len, NULL)) {
        g_assert_true(g_file_set_contents(copy, bytes, len, &error));
        g_assert_no_error(error);
        g_assert_cmpint(g_chmod(copy, 0600), ==, 0);
        g_assert_cmpint(g_rename(copy, path), ==, 0);
        replaced = 1;
    }
    kill(pid, SIGCONT);
    return replaced;
}

#endif /* AJAR_CRASH_REPLACE_H */
