/* ajar-lock.h — who holds the journal's writer lock.
 *
 * The journal's one writer holds flock(LOCK_EX) on journal.jsonl for as long
 * as it has the file open (ajar-journal.h). A second messenger on the same
 * profile is refused; to tell the user which process has it, Linux lists
 * every lock with its holder in /proc/locks. Readers never need the lock. */
#pragma once

#include <glib.h>

#include <sys/types.h>

G_BEGIN_DECLS

/* Finds, in @proc_locks (text in the format of Linux's /proc/locks, one lock
 * a line: "1: FLOCK  ADVISORY  WRITE 4436 fe:00:10952937 0 EOF"), the process
 * holding a flock() lock on the file with device @dev_major:@dev_minor and
 * inode @inode. Blocked waiters ("->") and other kinds of lock (POSIX, OFD,
 * leases) are not holders of a flock() lock.
 * Returns: its pid, or 0 when no such lock is listed, when the kernel shows
 * 0 for it (a holder outside this pid namespace) or the line is malformed. */
pid_t ajar_lock_parse_holder(const char *proc_locks, guint dev_major, guint dev_minor,
                             guint64 inode);

/* The pid of the process holding a flock() lock on the file at @path, from
 * /proc/locks. Returns 0 when that cannot be told (no such file, no /proc,
 * not Linux, or the holder is not visible from here). Never fails otherwise;
 * costs one stat() and one read of /proc/locks. */
pid_t ajar_lock_find_holder(const char *path);

G_END_DECLS
