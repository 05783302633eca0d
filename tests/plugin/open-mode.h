/* open-mode.h — for test code that wraps open() and openat() (the security
 * suite's file-calls.c, the reliability suite's fault-shim.c): the mode
 * argument those variadic calls take only when they may create a file. */
#ifndef AJAR_TEST_OPEN_MODE_H
#define AJAR_TEST_OPEN_MODE_H

#include <fcntl.h>
#include <stdarg.h>
#include <sys/types.h>

/* TRUE when open()/openat() with @flags reads a mode argument. */
static inline int
open_mode_taken(int flags)
{
    return (flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE;
}

/* In a variadic open()-like function: sets @mode to the mode argument after
 * @flags, when there is one. */
#define OPEN_MODE_ARGUMENT(flags, mode)      \
    if (open_mode_taken(flags)) {            \
        va_list args_;                       \
        va_start(args_, flags);              \
        (mode) = (mode_t)va_arg(args_, int); \
        va_end(args_);                       \
    }

#endif
