/* fault-shim.h — the LD_PRELOAD shim that makes file operations fail.
 *
 * fault-shim.so wraps write(), fdatasync(), fsync(), ftruncate(), rename()
 * and open()/open64()/openat() (when they create or open for writing). A
 * test preloaded with it arms a fault through fault_shim_control(): the Nth
 * matching call from then on fails with an errno of its choosing, as a full
 * disk (ENOSPC), a failing one (EIO) or a read-only one (EROFS) would make
 * it fail. Only files whose path contains a given part are touched, so
 * libpurple's own files (logs, prefs) work on. Calls from any thread count
 * (the journal syncs on its own thread). */
#ifndef AJAR_FAULT_SHIM_H
#define AJAR_FAULT_SHIM_H

typedef enum {
    FAULT_WRITE = 1 << 0,
    FAULT_FDATASYNC = 1 << 1,
    FAULT_FSYNC = 1 << 2,
    FAULT_FTRUNCATE = 1 << 3,
    FAULT_RENAME = 1 << 4,
    FAULT_OPEN = 1 << 5, /* creating a file, or opening one for writing */
} FaultOp;

typedef struct {
    unsigned ops;          /* FaultOp bits this fault applies to; 0 disarms */
    const char *path_part; /* only paths containing this (copied) */
    /* Counted for each operation on its own: the nth matching call of it
     * from now fails (1: the next), and @count from there (0: all). */
    unsigned nth;
    unsigned count;
    int error; /* the errno they fail with */
    /* A write that fails first writes half of what it was given and
     * returns that (a disk filling up mid-line); the next write fails. */
    int short_write;
    /* ...and then the process kills itself with SIGKILL, as a crash in the
     * middle of a write would leave the file (the driver's torn writes). */
    int kill_after_short;
} Fault;

/* The shim's entry point, found with dlsym(RTLD_DEFAULT, FAULT_SHIM_SYMBOL):
 * arms @fault (NULL disarms) and returns how many calls failed since the
 * last arming. */
#define FAULT_SHIM_SYMBOL "fault_shim_control"

/* Set in a process's environment as "N:PATH_PART", arms at start-up a torn
 * write: the Nth write to a path containing PATH_PART writes half and the
 * process kills itself. */
#define FAULT_SHIM_TEAR_ENV "AJAR_FAULT_TEAR_WRITE"
/* If set too, the shim makes this folder just before the torn write kills
 * the process, so that whoever started it knows how it died. */
#define FAULT_SHIM_TEAR_MARK_ENV "AJAR_FAULT_TEAR_MARK"
/* Set as "N:PATH_PART:before" or "N:PATH_PART:after": the process kills
 * itself just before (after) the Nth rename() whose source path contains
 * PATH_PART (making the mark folder above first, if set): a crash at each
 * step of a journal renewal. */
#define FAULT_SHIM_KILL_RENAME_ENV "AJAR_FAULT_KILL_RENAME"
typedef unsigned (*FaultShimControl)(const Fault *fault);

#endif /* AJAR_FAULT_SHIM_H */
