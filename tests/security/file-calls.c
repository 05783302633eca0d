/* file-calls.c — see file-calls.h. */
/* Built without large-file renaming: with _FILE_OFFSET_BITS=64 glibc's
 * headers would give the open() defined here the symbol name open64. */
#undef _FILE_OFFSET_BITS
#define _GNU_SOURCE
#include "file-calls.h"
#include "open-mode.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static GMutex lock;
static gboolean recording;
static GPtrArray *calls;

static void
file_call_free(FileCall *call)
{
    g_free(call->path);
    g_free(call->from);
    g_free(call);
}

void
file_calls_start(void)
{
    g_mutex_lock(&lock);
    g_clear_pointer(&calls, g_ptr_array_unref);
    calls = g_ptr_array_new_with_free_func((GDestroyNotify)file_call_free);
    recording = TRUE;
    g_mutex_unlock(&lock);
}

void
file_calls_pause(gboolean paused)
{
    g_mutex_lock(&lock);
    if (calls != NULL)
        recording = !paused;
    g_mutex_unlock(&lock);
}

GPtrArray *
file_calls_stop(void)
{
    GPtrArray *out;

    g_mutex_lock(&lock);
    recording = FALSE;
    out = g_steal_pointer(&calls);
    g_mutex_unlock(&lock);
    return out != NULL ? out : g_ptr_array_new();
}

static char *
absolute(int dirfd, const char *path)
{
    if (path == NULL)
        return g_strdup("(null)");
    if (g_path_is_absolute(path))
        return g_strdup(path);
    if (dirfd != AT_FDCWD) {
        g_autofree char *link = g_strdup_printf("/proc/self/fd/%d", dirfd);
        g_autofree char *dir = g_file_read_link(link, NULL);
        if (dir != NULL)
            return g_build_filename(dir, path, NULL);
    }
    {
        g_autofree char *cwd = g_get_current_dir();
        return g_build_filename(cwd, path, NULL);
    }
}

/* The umask, from /proc (umask() can only read it by changing it, which
 * another thread creating a file at that moment would suffer). */
static mode_t
current_umask(void)
{
    g_autofree char *status = NULL;
    const char *line;

    if (!g_file_get_contents("/proc/self/status", &status, NULL, NULL))
        return (mode_t)-1;
    line = strstr(status, "\nUmask:");
    return line != NULL ? (mode_t)strtoul(line + 7, NULL, 8) : (mode_t)-1;
}

static void
note(FileCallKind kind, int dirfd, const char *path, int from_dirfd, const char *from, mode_t mode,
     int result)
{
    FileCall *call;
    mode_t mask;
    int saved = errno;

    if (!g_atomic_int_get(&recording)) {
        errno = saved;
        return;
    }
    mask = current_umask();
    call = g_new0(FileCall, 1);
    call->kind = kind;
    call->path = absolute(dirfd, path);
    call->from = from != NULL ? absolute(from_dirfd, from) : NULL;
    call->mode = mode & 07777;
    call->umask = mask;
    call->result = result;
    g_mutex_lock(&lock);
    if (recording && calls != NULL)
        g_ptr_array_add(calls, call);
    else
        file_call_free(call);
    g_mutex_unlock(&lock);
    errno = saved;
}

#define REAL(name, type)     \
    static type real_##name; \
    if (real_##name == NULL) \
        real_##name = (type)dlsym(RTLD_NEXT, #name);

typedef int (*OpenFunc)(const char *, int, ...);
typedef int (*OpenatFunc)(int, const char *, int, ...);
typedef int (*CreatFunc)(const char *, mode_t);
typedef int (*MkdirFunc)(const char *, mode_t);
typedef int (*MkdiratFunc)(int, const char *, mode_t);
typedef int (*RenameFunc)(const char *, const char *);
typedef int (*RenameatFunc)(int, const char *, int, const char *);

/* Notes an open-like call that may create a file (when @flags say so) and
 * returns its result @fd. */
static int
opened(int dirfd, const char *path, int flags, mode_t mode, int fd)
{
    if (open_mode_taken(flags))
        note(FILE_CALL_CREATE, dirfd, path, AT_FDCWD, NULL, mode, fd);
    return fd;
}

#define OPEN_WRAPPER(name)                                                          \
    int name(const char *path, int flags, ...);                                     \
    int name(const char *path, int flags, ...)                                      \
    {                                                                               \
        mode_t mode = 0;                                                            \
        REAL(name, OpenFunc)                                                        \
        OPEN_MODE_ARGUMENT(flags, mode)                                             \
        return opened(AT_FDCWD, path, flags, mode, real_##name(path, flags, mode)); \
    }

#define OPENAT_WRAPPER(name)                                                            \
    int name(int dirfd, const char *path, int flags, ...);                              \
    int name(int dirfd, const char *path, int flags, ...)                               \
    {                                                                                   \
        mode_t mode = 0;                                                                \
        REAL(name, OpenatFunc)                                                          \
        OPEN_MODE_ARGUMENT(flags, mode)                                                 \
        return opened(dirfd, path, flags, mode, real_##name(dirfd, path, flags, mode)); \
    }

#define CREAT_WRAPPER(name)                                               \
    int name(const char *path, mode_t mode);                              \
    int name(const char *path, mode_t mode)                               \
    {                                                                     \
        int fd;                                                           \
        REAL(name, CreatFunc)                                             \
        fd = real_##name(path, mode);                                     \
        note(FILE_CALL_CREATE, AT_FDCWD, path, AT_FDCWD, NULL, mode, fd); \
        return fd;                                                        \
    }

OPEN_WRAPPER(open)
OPEN_WRAPPER(open64)
OPENAT_WRAPPER(openat)
OPENAT_WRAPPER(openat64)
CREAT_WRAPPER(creat)
CREAT_WRAPPER(creat64)

int
mkdir(const char *path, mode_t mode)
{
    int rc;
    REAL(mkdir, MkdirFunc)

    rc = real_mkdir(path, mode);
    note(FILE_CALL_MKDIR, AT_FDCWD, path, AT_FDCWD, NULL, mode, rc);
    return rc;
}

int
mkdirat(int dirfd, const char *path, mode_t mode)
{
    int rc;
    REAL(mkdirat, MkdiratFunc)

    rc = real_mkdirat(dirfd, path, mode);
    note(FILE_CALL_MKDIR, dirfd, path, AT_FDCWD, NULL, mode, rc);
    return rc;
}

int
rename(const char *from, const char *to)
{
    int rc;
    REAL(rename, RenameFunc)

    rc = real_rename(from, to);
    note(FILE_CALL_RENAME, AT_FDCWD, to, AT_FDCWD, from, 0, rc);
    return rc;
}

int
renameat(int from_dirfd, const char *from, int to_dirfd, const char *to)
{
    int rc;
    REAL(renameat, RenameatFunc)

    rc = real_renameat(from_dirfd, from, to_dirfd, to);
    note(FILE_CALL_RENAME, to_dirfd, to, from_dirfd, from, 0, rc);
    return rc;
}
