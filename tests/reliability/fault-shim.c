/* fault-shim.c — an LD_PRELOAD library failing file operations on demand;
 * see fault-shim.h. Plain libc (no GLib): it sits under GLib itself. */
/* Our own names for open, ftruncate and the 64-bit variants alike: the
 * build's -D_FILE_OFFSET_BITS=64 would rename them under us. */
#undef _FILE_OFFSET_BITS
#define _GNU_SOURCE
#define _LARGEFILE64_SOURCE
#include "fault-shim.h"
#include "open-mode.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static Fault armed;
static char path_part[PATH_MAX];
static unsigned seen[8];         /* matching calls since arming, per operation */
static unsigned failed;          /* calls failed since arming */
static int short_pending;        /* a short write happened: the next write fails */
static char tear_mark[PATH_MAX]; /* made before a torn write kills us */
static unsigned kill_rename_nth; /* FAULT_SHIM_KILL_RENAME_ENV, parsed */
static char kill_rename_part[PATH_MAX];
static int kill_rename_after;
static unsigned kill_rename_seen;

unsigned fault_shim_control(const Fault *fault);

__attribute__((visibility("default"))) unsigned
fault_shim_control(const Fault *fault)
{
    unsigned result;

    pthread_mutex_lock(&lock);
    result = failed;
    memset(&armed, 0, sizeof armed);
    path_part[0] = '\0';
    memset(seen, 0, sizeof seen);
    failed = 0;
    short_pending = 0;
    if (fault != NULL && fault->ops != 0) {
        armed = *fault;
        snprintf(path_part, sizeof path_part, "%s", fault->path_part ? fault->path_part : "");
        armed.path_part = path_part;
    }
    pthread_mutex_unlock(&lock);
    return result;
}

static void
kill_rename_from_environment(void)
{
    const char *spec = getenv(FAULT_SHIM_KILL_RENAME_ENV);
    char *rest = NULL;
    const char *when;

    if (spec == NULL || *spec == '\0')
        return;
    kill_rename_nth = (unsigned)strtoul(spec, &rest, 10);
    when = rest != NULL && *rest == ':' ? strrchr(rest + 1, ':') : NULL;
    if (when == NULL || kill_rename_nth == 0) {
        kill_rename_nth = 0;
        return;
    }
    snprintf(kill_rename_part, sizeof kill_rename_part, "%.*s", (int)(when - rest - 1), rest + 1);
    kill_rename_after = strcmp(when + 1, "after") == 0;
    snprintf(tear_mark, sizeof tear_mark, "%s",
             getenv(FAULT_SHIM_TEAR_MARK_ENV) ? getenv(FAULT_SHIM_TEAR_MARK_ENV) : "");
}

__attribute__((constructor)) static void
arm_from_environment(void)
{
    const char *tear = getenv(FAULT_SHIM_TEAR_ENV);
    char *rest = NULL;
    Fault fault = { 0 };

    kill_rename_from_environment();
    if (tear == NULL || *tear == '\0')
        return;
    fault.nth = (unsigned)strtoul(tear, &rest, 10);
    if (rest == NULL || *rest != ':' || fault.nth == 0)
        return;
    fault.ops = FAULT_WRITE;
    fault.path_part = rest + 1;
    fault.count = 1;
    fault.short_write = 1;
    fault.kill_after_short = 1;
    snprintf(tear_mark, sizeof tear_mark, "%s",
             getenv(FAULT_SHIM_TEAR_MARK_ENV) ? getenv(FAULT_SHIM_TEAR_MARK_ENV) : "");
    fault_shim_control(&fault);
}

static int
path_matches(const char *path)
{
    return path != NULL && strstr(path, path_part) != NULL;
}

static int
fd_matches(int fd)
{
    char link[64], target[PATH_MAX];
    ssize_t n;

    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    n = readlink(link, target, sizeof target - 1);
    if (n < 0)
        return 0;
    target[n] = '\0';
    return path_matches(target);
}

/* 0: go ahead; 1: fail with *err; 2: write half (short write). Caller
 * gives the path match already computed. */
static int
decide(FaultOp op, int matches, int *err)
{
    int verdict = 0;

    if (!matches)
        return 0;
    pthread_mutex_lock(&lock);
    if (armed.ops & op) {
        if (op == FAULT_WRITE && short_pending) {
            short_pending = 0;
            failed++;
            verdict = 1;
        } else {
            unsigned n = ++seen[__builtin_ctz(op)];
            if (n >= armed.nth && (armed.count == 0 || n < armed.nth + armed.count)) {
                if (op == FAULT_WRITE && armed.short_write) {
                    short_pending = 1;
                    verdict = 2;
                } else {
                    failed++;
                    verdict = 1;
                }
            }
        }
        *err = armed.error;
    }
    pthread_mutex_unlock(&lock);
    return verdict;
}

static int
armed_for(unsigned ops)
{
    int result;

    pthread_mutex_lock(&lock);
    result = (armed.ops & ops) != 0;
    pthread_mutex_unlock(&lock);
    return result;
}

/* The next definition of @name (libc's, or a sanitizer's wrapper of it),
 * looked up once. */
#define REAL(name, type)                   \
    ({                                     \
        static void *next;                 \
        if (next == NULL)                  \
            next = dlsym(RTLD_NEXT, name); \
        (type) next;                       \
    })

ssize_t
write(int fd, const void *buf, size_t count)
{
    ssize_t (*real)(int, const void *, size_t) =
        REAL("write", ssize_t(*)(int, const void *, size_t));
    int err = 0;
    int verdict = armed_for(FAULT_WRITE) ? decide(FAULT_WRITE, fd_matches(fd), &err) : 0;

    if (verdict == 1) {
        errno = err;
        return -1;
    }
    if (verdict == 2 && count > 1)
        count /= 2;
    if (verdict == 2 && armed.kill_after_short) {
        real(fd, buf, count);
        if (tear_mark[0] != '\0')
            mkdir(tear_mark, 0700);
        kill(getpid(), SIGKILL);
    }
    return real(fd, buf, count);
}

/* TRUE (errno set) when call @op on @fd is to fail now. */
static int
fd_fault(FaultOp op, int fd)
{
    int err = 0;

    if (armed_for(op) && decide(op, fd_matches(fd), &err)) {
        errno = err;
        return 1;
    }
    return 0;
}

int
fdatasync(int fd)
{
    int (*real)(int) = REAL("fdatasync", int (*)(int));
    if (fd_fault(FAULT_FDATASYNC, fd))
        return -1;
    return real(fd);
}

int
fsync(int fd)
{
    int (*real)(int) = REAL("fsync", int (*)(int));
    if (fd_fault(FAULT_FSYNC, fd))
        return -1;
    return real(fd);
}

int
ftruncate(int fd, off_t length)
{
    int (*real)(int, off_t) = REAL("ftruncate", int (*)(int, off_t));
    if (fd_fault(FAULT_FTRUNCATE, fd))
        return -1;
    return real(fd, length);
}

int
ftruncate64(int fd, off64_t length)
{
    int (*real)(int, off64_t) = REAL("ftruncate64", int (*)(int, off64_t));
    if (fd_fault(FAULT_FTRUNCATE, fd))
        return -1;
    return real(fd, length);
}

int
rename(const char *from, const char *to)
{
    int (*real)(const char *, const char *) = REAL("rename", int (*)(const char *, const char *));
    int err = 0;

    int kill_now = 0, rc;

    if (armed_for(FAULT_RENAME) &&
        decide(FAULT_RENAME, path_matches(from) || path_matches(to), &err)) {
        errno = err;
        return -1;
    }
    if (kill_rename_nth > 0 && from != NULL && strstr(from, kill_rename_part) != NULL) {
        pthread_mutex_lock(&lock);
        kill_now = ++kill_rename_seen == kill_rename_nth;
        pthread_mutex_unlock(&lock);
    }
    if (kill_now && tear_mark[0] != '\0')
        mkdir(tear_mark, 0700);
    if (kill_now && !kill_rename_after)
        kill(getpid(), SIGKILL);
    rc = real(from, to);
    if (kill_now)
        kill(getpid(), SIGKILL);
    return rc;
}

static int
writes(int flags)
{
    return (flags & (O_CREAT | O_WRONLY | O_RDWR | O_TRUNC)) != 0;
}

static int
open_fault(const char *path, int flags)
{
    int err = 0;

    if (armed_for(FAULT_OPEN) && writes(flags) && decide(FAULT_OPEN, path_matches(path), &err)) {
        errno = err;
        return 1;
    }
    return 0;
}

/* The open() family: the mode comes only with O_CREAT or O_TMPFILE. */
#define OPEN_WRAPPER(name)                                                                  \
    int name(const char *path, int flags, ...)                                              \
    {                                                                                       \
        int (*real)(const char *, int, ...) = REAL(#name, int (*)(const char *, int, ...)); \
        mode_t mode = 0;                                                                    \
        OPEN_MODE_ARGUMENT(flags, mode)                                                     \
        if (open_fault(path, flags))                                                        \
            return -1;                                                                      \
        return real(path, flags, mode);                                                     \
    }

#define OPENAT_WRAPPER(name)                                   \
    int name(int dirfd, const char *path, int flags, ...)      \
    {                                                          \
        int (*real)(int, const char *, int, ...) =             \
            REAL(#name, int (*)(int, const char *, int, ...)); \
        mode_t mode = 0;                                       \
        OPEN_MODE_ARGUMENT(flags, mode)                        \
        if (open_fault(path, flags))                           \
            return -1;                                         \
        return real(dirfd, path, flags, mode);                 \
    }

OPEN_WRAPPER(open)
OPEN_WRAPPER(open64)
OPENAT_WRAPPER(openat)
OPENAT_WRAPPER(openat64)
