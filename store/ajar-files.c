/* ajar-files.c — private folders, atomic replacement, bounded reads. */
#include "ajar/ajar-files.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "ajar/ajar-i18n.h"

G_DEFINE_QUARK(ajar_files_error_quark, ajar_files_error)

#define PRIVATE_DIR_MODE 0700
#define PRIVATE_FILE_MODE 0600

/* An AJAR_FILES_ERROR_IO. Each @format is one whole sentence, "PATH: could
 * not …: REASON", given the path and g_strerror(). */
static gboolean G_GNUC_PRINTF(2, 3)
fail_io(GError **error, const char *format, ...)
{
    va_list args;
    g_autofree char *message = NULL;

    va_start(args, format);
    message = g_strdup_vprintf(format, args);
    va_end(args);
    g_set_error_literal(error, AJAR_FILES_ERROR, AJAR_FILES_ERROR_IO, message);
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
            /* TRANSLATORS: %1$s is a folder's path, %2$s the system's reason. */
            return fail_io(error, _("%s: could not create the folder: %s"), dir,
                           g_strerror(ENOENT));
        if (!make_dir_with_parents(parent, error))
            return FALSE;
        if (mkdir(dir, PRIVATE_DIR_MODE) == 0)
            goto created;
    }
    if (errno == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
        return TRUE; /* made by someone else meanwhile */
    if (errno == EEXIST) {
        /* TRANSLATORS: %s is a path. */
        g_set_error(error, AJAR_FILES_ERROR, AJAR_FILES_ERROR_NOT_DIR,
                    _("%s: exists and is not a folder"), dir);
        return FALSE;
    }
    return fail_io(error, _("%s: could not create the folder: %s"), dir, g_strerror(errno));

created:
    /* mkdir() can only end up stricter than 0700 (a umask of 0277, say), and
     * then Ajar could not use its own folder. */
    if (stat(dir, &st) == 0 && (st.st_mode & 07777) != PRIVATE_DIR_MODE &&
        chmod(dir, PRIVATE_DIR_MODE) != 0)
        /* TRANSLATORS: %1$s is a folder's path, %2$s the system's reason. */
        return fail_io(error, _("%s: could not set the folder's permissions to 0700: %s"), dir,
                       g_strerror(errno));
    return TRUE;
}

gboolean
ajar_files_ensure_private_dir(const char *dir, GError **error)
{
    struct stat st;

    g_return_val_if_fail(dir != NULL && dir[0] != '\0', FALSE);
    if (stat(dir, &st) != 0) {
        if (errno != ENOENT)
            /* TRANSLATORS: %1$s is a folder's path, %2$s the system's reason. */
            return fail_io(error, _("%s: could not use the folder: %s"), dir, g_strerror(errno));
        return make_dir_with_parents(dir, error);
    }
    if (!S_ISDIR(st.st_mode)) {
        g_set_error(error, AJAR_FILES_ERROR, AJAR_FILES_ERROR_NOT_DIR,
                    _("%s: exists and is not a folder"), dir);
        return FALSE;
    }
    if ((st.st_mode & 077) != 0 && chmod(dir, PRIVATE_DIR_MODE) != 0)
        return fail_io(error, _("%s: could not set the folder's permissions to 0700: %s"), dir,
                       g_strerror(errno));
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

gboolean
ajar_files_sync_dir(const char *dir, GError **error)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int saved;

    if (fd < 0)
        /* TRANSLATORS: %1$s is a folder's path, %2$s the system's reason. */
        return fail_io(error, _("%s: could not open the folder to sync it: %s"), dir,
                       g_strerror(errno));
    /* Some file systems cannot sync a folder (EINVAL); the rename is then as
     * durable as they make it. */
    if (fsync_retry(fd) != 0 && errno != EINVAL) {
        saved = errno;
        close(fd);
        /* TRANSLATORS: %1$s is a folder's path, %2$s the system's reason. */
        return fail_io(error, _("%s: could not sync the folder: %s"), dir, g_strerror(saved));
    }
    close(fd);
    return TRUE;
}

/* Removes the temporary file @tmp (closing @fd unless it is -1), then fails
 * with the message @format makes of its arguments, evaluated before the
 * call, so a g_strerror(errno) among them is the failure's. */
static gboolean G_GNUC_PRINTF(4, 5)
replace_failed(GError **error, int fd, const char *tmp, const char *format, ...)
{
    va_list args;
    g_autofree char *message = NULL;

    va_start(args, format);
    message = g_strdup_vprintf(format, args);
    va_end(args);
    if (fd >= 0)
        close(fd);
    g_unlink(tmp);
    g_set_error_literal(error, AJAR_FILES_ERROR, AJAR_FILES_ERROR_IO, message);
    return FALSE;
}

gboolean
ajar_files_replace(const char *dir, const char *name, const char *data, gsize len, GError **error)
{
    g_autofree char *path = NULL;
    g_autofree char *tmp = NULL;
    int fd;

    g_return_val_if_fail(dir != NULL && name != NULL && (data != NULL || len == 0), FALSE);
    path = g_build_filename(dir, name, NULL);
    tmp = g_strconcat(path, ".XXXXXX", NULL);
    fd = g_mkstemp_full(tmp, O_RDWR | O_CLOEXEC, PRIVATE_FILE_MODE);
    if (fd < 0)
        /* TRANSLATORS: %1$s is a file's path, %2$s the system's reason. */
        return fail_io(error, _("%s: could not create a temporary file: %s"), path,
                       g_strerror(errno));

    /* The umask may have made it stricter than 0600; then Ajar could not
     * read its own file back. */
    if (fchmod(fd, PRIVATE_FILE_MODE) != 0)
        /* TRANSLATORS: %1$s is a file's path, %2$s the system's reason. */
        return replace_failed(error, fd, tmp,
                              _("%s: could not set the temporary file's permissions: %s"), path,
                              g_strerror(errno));
    if (!ajar_files_write_all(fd, data, len, NULL))
        /* TRANSLATORS: %1$s is a file's path, %2$s the system's reason. */
        return replace_failed(error, fd, tmp, _("%s: could not write: %s"), path,
                              g_strerror(errno));
    if (fsync_retry(fd) != 0)
        /* TRANSLATORS: %1$s is a file's path, %2$s the system's reason. */
        return replace_failed(error, fd, tmp, _("%s: could not sync to disk: %s"), path,
                              g_strerror(errno));
    if (close(fd) != 0)
        return replace_failed(error, -1, tmp, _("%s: could not write: %s"), path,
                              g_strerror(errno));
    if (rename(tmp, path) != 0)
        /* TRANSLATORS: %1$s is a file's path, %2$s the system's reason. */
        return replace_failed(error, -1, tmp, _("%s: could not replace: %s"), path,
                              g_strerror(errno));
    return ajar_files_sync_dir(dir, error);
}

/* A G_IO_ERROR for @saved_errno; @format is one whole sentence, given the
 * path and g_strerror(@saved_errno). */
static void G_GNUC_PRINTF(3, 4)
set_io_error(GError **error, int saved_errno, const char *format, ...)
{
    va_list args;
    g_autofree char *message = NULL;

    va_start(args, format);
    message = g_strdup_vprintf(format, args);
    va_end(args);
    g_set_error_literal(error, G_IO_ERROR, g_io_error_from_errno(saved_errno), message);
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
        /* TRANSLATORS: %1$s is a file's path, %2$s the system's reason. */
        set_io_error(error, errno, _("%s: could not open: %s"), path, g_strerror(errno));
        return NULL;
    }
    if (fstat(fd, &st) != 0) {
        /* TRANSLATORS: %1$s is a file's path, %2$s the system's reason. */
        set_io_error(error, errno, _("%s: could not read: %s"), path, g_strerror(errno));
        close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        /* TRANSLATORS: %s is a path (a folder or a device, say). */
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE, _("%s: is not a regular file"),
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
            set_io_error(error, errno, _("%s: could not read: %s"), path, g_strerror(errno));
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
    /* TRANSLATORS: %1$s is a file's path, %2$lu the most bytes Ajar reads. */
    g_set_error(error, AJAR_FILES_ERROR, AJAR_FILES_ERROR_TOO_LARGE,
                P_("%s: is larger than %lu byte; not read",
                   "%s: is larger than %lu bytes; not read", max_size),
                path, (unsigned long)max_size);
    return NULL;
}
