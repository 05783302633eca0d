/* edit-shim.c — an LD_PRELOAD shim for the CLI tests: the journal edited by
 * hand while a command runs, at a known moment.
 *
 * With AJAR_TEST_EDIT_ON_PREAD="PATH:OFFSET:BYTE" set, the first pread() of
 * a file whose /proc/self/fd link is PATH first writes BYTE (one character)
 * at OFFSET of that file, as an editor would between the command's reading
 * of the journal (read()) and its reading a text back (pread()). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static int edited;

static void
edit_once(int fd)
{
    const char *spec = getenv("AJAR_TEST_EDIT_ON_PREAD");
    char link[64], target[4096], path[4096];
    const char *colon, *colon2;
    long long offset;
    ssize_t n;
    int out;

    if (edited || spec == NULL)
        return;
    colon2 = strrchr(spec, ':');
    if (colon2 == NULL || colon2 == spec)
        return;
    for (colon = colon2 - 1; colon > spec && *colon != ':'; colon--)
        ;
    if (*colon != ':' || (size_t)(colon - spec) >= sizeof path)
        return;
    memcpy(path, spec, (size_t)(colon - spec));
    path[colon - spec] = '\0';
    offset = atoll(colon + 1);
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    n = readlink(link, target, sizeof target - 1);
    if (n < 0)
        return;
    target[n] = '\0';
    if (strcmp(target, path) != 0)
        return;
    edited = 1;
    out = open(path, O_WRONLY | O_CLOEXEC);
    if (out < 0)
        return;
    if (pwrite(out, colon2 + 1, 1, (off_t)offset) != 1)
        abort();
    close(out);
}

/* (Ajar is built with 64-bit file offsets: its pread() is pread64().) */
ssize_t pread64(int fd, void *buf, size_t count, off_t offset);

ssize_t
pread64(int fd, void *buf, size_t count, off_t offset)
{
    static ssize_t (*real)(int, void *, size_t, off_t);

    if (real == NULL)
        real = (ssize_t(*)(int, void *, size_t, off_t))dlsym(RTLD_NEXT, "pread64");
    edit_once(fd);
    return real(fd, buf, count, offset);
}
