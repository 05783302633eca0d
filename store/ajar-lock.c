/* ajar-lock.c — the holder of journal.jsonl's flock(), read from
 * /proc/locks, so a second messenger can say which process has it. */
#include "ajar/ajar-lock.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

/* "fe:00:10952937": device major and minor in hex, inode in decimal. */
static gboolean
parse_file_id(const char *text, guint *major_out, guint *minor_out, guint64 *inode_out)
{
    char *end;
    guint64 major, minor, inode;

    major = g_ascii_strtoull(text, &end, 16);
    if (end == text || *end != ':')
        return FALSE;
    text = end + 1;
    minor = g_ascii_strtoull(text, &end, 16);
    if (end == text || *end != ':')
        return FALSE;
    text = end + 1;
    inode = g_ascii_strtoull(text, &end, 10);
    if (end == text || *end != '\0' || major > G_MAXUINT || minor > G_MAXUINT)
        return FALSE;
    *major_out = (guint)major;
    *minor_out = (guint)minor;
    *inode_out = inode;
    return TRUE;
}

/* One line: "ID: FLOCK  ADVISORY  WRITE PID MAJ:MIN:INODE START END". */
static pid_t
line_holder(const char *line, guint dev_major, guint dev_minor, guint64 inode)
{
    g_auto(GStrv) all = g_strsplit_set(line, " \t", -1);
    const char *words[6];
    guint n = 0, major, minor;
    guint64 file_inode;
    gint64 pid;
    char *end;

    for (char **w = all; *w != NULL && n < G_N_ELEMENTS(words); w++) {
        if (**w != '\0')
            words[n++] = *w;
    }
    /* words: "1:", "FLOCK", mode, access, pid, file. A waiter has "->"
     * where the kind should be: it does not hold the lock. */
    if (n < G_N_ELEMENTS(words) || strcmp(words[1], "FLOCK") != 0 ||
        !parse_file_id(words[5], &major, &minor, &file_inode) || major != dev_major ||
        minor != dev_minor || file_inode != inode)
        return 0;
    pid = g_ascii_strtoll(words[4], &end, 10);
    if (end == words[4] || *end != '\0' || pid <= 0 || pid > G_MAXINT)
        return 0;
    return (pid_t)pid;
}

pid_t
ajar_lock_parse_holder(const char *proc_locks, guint dev_major, guint dev_minor, guint64 inode)
{
    g_auto(GStrv) lines = NULL;

    g_return_val_if_fail(proc_locks != NULL, 0);
    lines = g_strsplit(proc_locks, "\n", -1);
    for (char **line = lines; *line != NULL; line++) {
        pid_t pid = line_holder(*line, dev_major, dev_minor, inode);
        if (pid > 0)
            return pid;
    }
    return 0;
}

pid_t
ajar_lock_find_holder(const char *path)
{
    g_autofree char *locks = NULL;
    struct stat st;

    g_return_val_if_fail(path != NULL, 0);
    if (stat(path, &st) != 0 || !g_file_get_contents("/proc/locks", &locks, NULL, NULL))
        return 0;
    return ajar_lock_parse_holder(locks, major(st.st_dev), minor(st.st_dev), (guint64)st.st_ino);
}
