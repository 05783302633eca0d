/* test-lock.c — finding the holder of journal.jsonl's flock() in /proc/locks. */
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "ajar/ajar-lock.h"
#include "store-test-util.h"

/* As Linux 6.x prints it: a flock() on the journal (device fe:00, inode
 * 10952937), another process waiting for it, POSIX and OFD locks on the same
 * inode number, flock()s of other files, and a holder the kernel cannot name
 * from this pid namespace (0). */
static const char sample[] = "1: POSIX  ADVISORY  WRITE 777 fe:00:10952937 0 EOF\n"
                             "2: OFDLCK ADVISORY  WRITE -1 fe:00:10952937 0 EOF\n"
                             "3: FLOCK  ADVISORY  WRITE 0 fe:00:555 0 EOF\n"
                             "4: FLOCK  ADVISORY  WRITE 4436 fe:00:10952937 0 EOF\n"
                             "4: -> FLOCK  ADVISORY  WRITE 4500 fe:00:10952937 0 EOF\n"
                             "5: FLOCK  ADVISORY  WRITE 1234 103:1a:10952937 0 EOF\n"
                             "6: LEASE  ACTIVE    READ 999 fe:00:42 0 EOF\n";

typedef struct {
    const char *text;
    guint major, minor;
    guint64 inode;
    pid_t expected;
} Case;

static void
test_parse(void)
{
    static const Case cases[] = {
        /* The holder, not the POSIX lock, the OFD lock or the waiter. */
        { sample, 0xfe, 0x00, 10952937, 4436 },
        /* Same inode number on another device: major and minor are hex. */
        { sample, 0x103, 0x1a, 10952937, 1234 },
        { sample, 0xfe, 0x01, 10952937, 0 },
        /* A lease is not a flock(). */
        { sample, 0xfe, 0x00, 42, 0 },
        /* Listed, but its holder is not visible from here. */
        { sample, 0xfe, 0x00, 555, 0 },
        /* Only a waiter: nobody to name. */
        { "1: -> FLOCK  ADVISORY  WRITE 4500 08:01:7 0 EOF\n", 8, 1, 7, 0 },
        /* Nothing listed, or not the format we know. */
        { "", 8, 1, 7, 0 },
        { "1: FLOCK  ADVISORY  WRITE 12 08:01\n", 8, 1, 7, 0 },
        { "1: FLOCK  ADVISORY  WRITE 12x 08:01:7 0 EOF\n", 8, 1, 7, 0 },
        { "1: FLOCK  ADVISORY  WRITE 12 08:01:7x 0 EOF\n", 8, 1, 7, 0 },
        { "1: FLOCK  ADVISORY  WRITE 99999999999 08:01:7 0 EOF\n", 8, 1, 7, 0 },
        { "FLOCK 12 08:01:7", 8, 1, 7, 0 },
        /* No final newline; tabs. */
        { "1:\tFLOCK\tADVISORY\tWRITE\t12\t08:01:7\t0\tEOF", 8, 1, 7, 12 },
    };

    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        const Case *c = &cases[i];
        g_test_message("case %u", i);
        g_assert_cmpint(ajar_lock_parse_holder(c->text, c->major, c->minor, c->inode), ==,
                        c->expected);
    }
}

/* A real flock(), held here on one open file, is found by path: the pid is
 * this process's, as /proc/locks says. A file nobody locks has no holder. */
static void
test_find_holder(void)
{
    g_autofree char *dir = test_make_tmp_dir();
    g_autofree char *path = g_build_filename(dir, "journal.jsonl", NULL);
    g_autofree char *other = g_build_filename(dir, "other", NULL);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    int other_fd = open(other, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(other_fd, >=, 0);
    g_assert_cmpint(ajar_lock_find_holder(path), ==, 0);
    g_assert_cmpint(flock(fd, LOCK_EX | LOCK_NB), ==, 0);
    g_assert_cmpint(ajar_lock_find_holder(path), ==, getpid());
    g_assert_cmpint(ajar_lock_find_holder(other), ==, 0);
    g_assert_cmpint(ajar_lock_find_holder(dir), ==, 0);
    close(fd);
    g_assert_cmpint(ajar_lock_find_holder(path), ==, 0);
    g_assert_cmpint(unlink(path), ==, 0);
    g_assert_cmpint(ajar_lock_find_holder(path), ==, 0);
    close(other_fd);
    test_rm_rf(dir);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
    g_test_add_func("/lock/parse", test_parse);
    g_test_add_func("/lock/find-holder", test_find_holder);
    return g_test_run();
}
