/* ajar-files.h — private folders and atomic file replacement. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define AJAR_FILES_ERROR (ajar_files_error_quark())
GQuark ajar_files_error_quark(void);

typedef enum {
    AJAR_FILES_ERROR_IO,        /* message has the path and the system's reason */
    AJAR_FILES_ERROR_NOT_DIR,   /* the folder path exists and is not a folder */
    AJAR_FILES_ERROR_TOO_LARGE, /* ajar_files_read(): the file is over the size limit */
} AjarFilesError;

#define AJAR_RULES_FILE "rules.json"
#define AJAR_RULES_LAST_GOOD_FILE "rules.json.last-good"

/* Creates @dir and missing parents with mode 0700 (never a moment with a
 * looser mode, whatever the umask); an existing @dir with group/other bits is
 * tightened to 0700. */
gboolean ajar_files_ensure_private_dir(const char *dir, GError **error);

/* Replaces @dir/@name with @data atomically: a 0600 temporary file in @dir,
 * write, fsync, rename over @name, fsync of @dir. On failure the old file is
 * untouched and no temporary file is left — except when only that last fsync
 * of @dir fails: then the new file is in place (maybe not yet durably) and
 * FALSE is returned all the same. Errors: AJAR_FILES_ERROR_IO,
 * "PATH: could not write: No space left on device". */
gboolean ajar_files_replace(const char *dir, const char *name, const char *data, gsize len,
                            GError **error);

/* fsync()s the folder @dir, so that a rename in it is on the disk. A file
 * system that cannot sync a folder (EINVAL) counts as done.
 * Errors: AJAR_FILES_ERROR_IO. */
gboolean ajar_files_sync_dir(const char *dir, GError **error);

/* Writes all of @data to @fd, going on after EINTR and short writes.
 * Returns FALSE with errno set on failure; @written (nullable) gets the bytes
 * that did reach @fd either way. */
gboolean ajar_files_write_all(int fd, const char *data, gsize len, gsize *written);

/* Reads @path whole, refusing files over @max_size bytes.
 * Returns: (transfer full) (nullable): the bytes plus a NUL, length in @len.
 * A missing file: NULL with G_IO_ERROR_NOT_FOUND in G_IO_ERROR; other system
 * errors are in G_IO_ERROR too (g_io_error_from_errno()); a file that is not
 * a regular file is G_IO_ERROR_NOT_REGULAR_FILE; a file over @max_size is
 * AJAR_FILES_ERROR_TOO_LARGE. */
char *ajar_files_read(const char *path, gsize max_size, gsize *len, GError **error);

G_END_DECLS
