/* file-calls.h — every file, folder or rename this process makes, seen at
 * the system call.
 *
 * The test binary defines open(), open64(), openat(), openat64(), creat(),
 * creat64(), mkdir(), mkdirat(), rename() and renameat() itself and is linked
 * with --export-dynamic, so the dynamic linker binds the calls of every
 * library loaded later — ajar.so, which libpurple dlopen()s, and GLib, which
 * Ajar creates its temporary files through — to these, which note the call
 * and pass it on to the C library. That shows the mode a file or folder is
 * created with at the moment it is created (a later chmod() would hide a
 * window in which others could open it), and every path written to, in or
 * out of the test's folder. Calls the C library makes internally (fopen()
 * inside libc, as libpurple's own files use) do not pass here; the tests
 * look at those files on disk. */
#ifndef AJAR_FILE_CALLS_H
#define AJAR_FILE_CALLS_H

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

typedef enum {
    FILE_CALL_CREATE, /* open/openat/creat with O_CREAT (the file may have existed) */
    FILE_CALL_MKDIR,
    FILE_CALL_RENAME, /* path is the new name, from the old one */
} FileCallKind;

typedef struct {
    FileCallKind kind;
    char *path;   /* absolute (relative ones are made absolute against the cwd) */
    char *from;   /* FILE_CALL_RENAME: the old name */
    mode_t mode;  /* CREATE and MKDIR: the mode asked for */
    mode_t umask; /* the process umask at the call */
    int result;   /* what the call returned (-1: failed) */
} FileCall;

/* Starts noting calls (clearing what was noted before). */
void file_calls_start(void);

/* While @paused, calls are not noted (the test's own writes, such as a hand
 * edit of rules.json, are the user's, not Ajar's). */
void file_calls_pause(gboolean paused);

/* Stops noting. Returns: (transfer full): the calls since file_calls_start(),
 * in order (FileCall*; the array frees them). */
GPtrArray *file_calls_stop(void);

G_END_DECLS

#endif /* AJAR_FILE_CALLS_H */
