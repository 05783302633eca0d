/* ajar-files.c — private folders, atomic replacement, bounded reads. */
#include "ajar/ajar-files.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

G_DEFINE_QUARK(ajar_files_error_quark, ajar_files_error)

#define PRIVATE_DIR_MODE 0700
#define PRIVATE_FILE_MODE 0600

static gboolean
fail_errno(GError **error, int saved_errno, const char *path, const char *what)
{
    g_set_error(error, AJAR_FILES_ERROR, AJAR_FILES_ERROR_IO, "%s: could not %s: %s", path, what,
                g_strerror(saved_errno));
    return FALSE;
}

/* Creates @dir (and, first, its missing parents) with mode 0700. Parents that
 * already exist are the user's and are left as they are. */
static gboolean
make_dir_with_parents(const char *dir, GError **error)
{
    struct stat st;

    if (mkdir(dir, PRIVATE_DIR_MODE) == 0)
        goto created;
    if (errno == ENOENT) {
        g_autofree char *parent = g_path_get_dirname(dir);
        /* "." or "/" never needs creating; stop instead of looping. */
        if (strcmp(parent, dir) == 0)
            return fail_errno(error, ENOENT, dir, "create the folder");
        if (!make_dir_with_parents(parent, error))
            return FALSE;
        if (mkdir(dir, PRIVATE_DIR_MODE) == 0)
            goto created;
    }
    if (errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
        return TRUE; /* made by someone else meanwhile */
    if (errno == EEXIST) {
        g_set_error(error, AJAR_FILES_ERROR, AJAR_FILES_ERROR_NOT_DIR,
                    "%s: exists and is not a folder", dir);
        return FALSE;
    }
    return fail_errno(error, errno, dir, "create the folder");

created:
    /* mkdir() can only end up stricter than 0700 (a umask of 0277, say), and
     * then Ajar could not use its own folder. */
    if (stat(dir, &st) == 0 && (st.st_mode & 07777) != PRIVATE_DIR_MODE &&
        chmod(dir, PRIVATE_DIR_MODE) != 0)
        return fail_errno(error, errno, dir, "set the folder's permissions to 0700");
    return TRUE;
}

gboolean
ajar_files_ensure_private_dir(const char *dir, GError **error)
{
    struct stat st;

    g_return_val_if_fail(dir != NULL && dir[0] != '\0', FALSE);
    if (stat(dir, &st) != 0) {
        if (errno != ENOENT)
            return fail_errno(error, errno, dir, "use the folder");
        return make_dir_with_parents(dir, error);
    }
    if (!S_ISDIR(st.st_mode)) {
        g_set_error(error, AJAR_FILES_ERROR, AJAR_FILES_ERROR_NOT_DIR,
                    "%s: exists and is not a folder", dir);
        return FALSE;
    }
    if ((st.st_mode & 077) != 0 && chmod(dir, PRIVATE_DIR_MODE) != 0)
        return fail_errno(error, errno, dir, "set the folder's permissions to 0700");
    return TRUE;
}

gboolean
ajar_files_write_all(int fd, const char *data, gsize len, gsize *written)
{
    gsize done = 0;

    while (len > 0) {
        ssize_t n = write(fd, data, MIN(len, (gsize)G_MAXSSIZE));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (n == 0) {
            errno = EIO; /* no progress and no reason: do not spin */
            break;
        }
        data += n;
        len -= (gsize)n;
        done += (gsize)n;
    }
    if (written != NULL)
        *written = done;
    return len == 0;
}

static int
fsync_retry(int fd)
{
    int rc;

    do
        rc = fsync(fd);
    while (rc != 0 && errno == EINTR);
    return rc;
}

static gboolean
sync_dir(const char *dir, GError **error)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int saved;

    if (fd < 0)
        return fail_errno(error, errno, dir, "open the folder to sync it");
    /* Some file systems cannot sync a folder (EINVAL); the rename is then as
     * durable as they make it. */
    if (fsync_retry(fd) != 0 && errno != EINVAL) {
        saved = errno;
        close(fd);
        return fail_errno(error, saved, dir, "sync the folder");
    }
    close(fd);
    return TRUE;
}

gboolean
ajar_files_replace(const char *dir, const char *name, const char *data, gsize len, GError **error)
{
    g_autofree char *path = NULL;
    g_autofree char *tmp = NULL;
    int fd, saved;
    const char *what;

    g_return_val_if_fail(dir != NULL && name != NULL && (data != NULL || len == 0), FALSE);
    path = g_build_filename(dir, name, NULL);
    tmp = g_strconcat(path, ".XXXXXX", NULL);
    fd = g_mkstemp_full(tmp, O_RDWR | O_CLOEXEC, PRIVATE_FILE_MODE);
    if (fd < 0)
        return fail_errno(error, errno, path, "create a temporary file");

    /* The umask may have made it stricter than 0600; then Ajar could not
     * read its own file back. */
    if (fchmod(fd, PRIVATE_FILE_MODE) != 0) {
        what = "set the temporary file's permissions";
        goto failed;
    }
    if (!ajar_files_write_all(fd, data, len, NULL)) {
        what = "write";
        goto failed;
    }
    if (fsync_retry(fd) != 0) {
        what = "sync to disk";
        goto failed;
    }
    if (close(fd) != 0) {
        fd = -1;
        what = "write";
        goto failed;
    }
    fd = -1;
    if (rename(tmp, path) != 0) {
        saved = errno;
        g_unlink(tmp);
        return fail_errno(error, saved, path, "replace");
    }
    return sync_dir(dir, error);

failed:
    saved = errno;
    if (fd >= 0)
        close(fd);
    g_unlink(tmp);
    return fail_errno(error, saved, path, what);
}

static void
set_io_error(GError **error, int saved_errno, const char *path, const char *what)
{
    g_set_error(error, G_IO_ERROR, g_io_error_from_errno(saved_errno), "%s: could not %s: %s", path,
                what, g_strerror(saved_errno));
}

char *
ajar_files_read(const char *path, gsize max_size, gsize *len, GError **error)
{
    struct stat st;
    g_autofree char *buf = NULL;
    gsize used = 0, allocated;
    int fd;

    g_return_val_if_fail(path != NULL, NULL);
    /* O_NONBLOCK: a FIFO in the file's place must not hang the messenger. */
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        set_io_error(error, errno, path, "open");
        return NULL;
    }
    if (fstat(fd, &st) != 0) {
        set_io_error(error, errno, path, "read");
        close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE, "%s: is not a regular file",
                    path);
        close(fd);
        return NULL;
    }
    if ((guint64)st.st_size > max_size)
        goto too_large;

    /* Reading until end of file, not st_size bytes: the file may grow or
     * shrink while it is read. */
    allocated = (gsize)st.st_size + 1;
    buf = g_malloc(allocated + 1);
    for (;;) {
        ssize_t n;
        if (used == allocated) {
            /* One byte over the limit is enough to know the file is too large. */
            allocated = MIN(allocated * 2, max_size < G_MAXSIZE - 1 ? max_size + 1 : max_size);
            buf = g_realloc(buf, allocated + 1);
        }
        n = read(fd, buf + used, allocated - used);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            set_io_error(error, errno, path, "read");
            close(fd);
            return NULL;
        }
        if (n == 0)
            break;
        used += (gsize)n;
        if (used > max_size)
            goto too_large;
    }
    close(fd);
    buf[used] = '\0';
    if (len != NULL)
        *len = used;
    return g_steal_pointer(&buf);

too_large:
    close(fd);
    g_set_error(error, AJAR_FILES_ERROR, AJAR_FILES_ERROR_TOO_LARGE,
                "%s: is larger than %" G_GSIZE_FORMAT " bytes; not read", path, max_size);
    return NULL;
}
