/* test-files.c — the private folder, atomic replacement, bounded reads. */
#include <gio/gio.h>

#include "ajar/ajar-files.h"
#include "store-test-util.h"

typedef struct {
    char *dir;
} Fixture;

static void
fixture_set_up(Fixture *f, gconstpointer data)
{
    f->dir = test_make_tmp_dir();
}

static void
fixture_tear_down(Fixture *f, gconstpointer data)
{
    test_rm_rf(f->dir);
    g_free(f->dir);
}

static void
write_file(const char *path, const char *text, guint mode)
{
    g_autoptr(GError) error = NULL;

    g_file_set_contents(path, text, -1, &error);
    g_assert_no_error(error);
    g_assert_cmpint(g_chmod(path, mode), ==, 0);
}

/* A missing folder and its missing parents come out 0700 whatever the umask. */
static void
test_private_dir_create(Fixture *f, gconstpointer data)
{
    const mode_t umasks[] = { 0, 022, 0277 };

    for (guint i = 0; i < G_N_ELEMENTS(umasks); i++) {
        g_autofree char *top = g_strdup_printf("%s/u%u", f->dir, i);
        g_autofree char *nested = g_build_filename(top, "a", "b", "ajar", NULL);
        g_autofree char *middle = g_build_filename(top, "a", NULL);
        g_autoptr(GError) error = NULL;
        mode_t old = umask(umasks[i]);
        gboolean ok = ajar_files_ensure_private_dir(nested, &error);

        umask(old);
        g_assert_no_error(error);
        g_assert_true(ok);
        g_assert_cmpuint(test_file_mode(nested), ==, 0700);
        g_assert_cmpuint(test_file_mode(middle), ==, 0700);
        g_assert_cmpuint(test_file_mode(top), ==, 0700);
        /* Twice is fine. */
        g_assert_true(ajar_files_ensure_private_dir(nested, &error));
        g_assert_no_error(error);
    }
}

/* An existing folder readable by others is tightened; its parent (the
 * user's own folder) is left alone. */
static void
test_private_dir_tighten(Fixture *f, gconstpointer data)
{
    g_autofree char *parent = g_build_filename(f->dir, "purple-home", NULL);
    g_autofree char *dir = g_build_filename(parent, "ajar", NULL);
    g_autoptr(GError) error = NULL;

    g_assert_cmpint(g_mkdir(parent, 0755), ==, 0);
    g_assert_cmpint(g_chmod(parent, 0755), ==, 0);
    g_assert_cmpint(g_mkdir(dir, 0777), ==, 0);
    g_assert_cmpint(g_chmod(dir, 0775), ==, 0);
    g_assert_true(ajar_files_ensure_private_dir(dir, &error));
    g_assert_no_error(error);
    g_assert_cmpuint(test_file_mode(dir), ==, 0700);
    g_assert_cmpuint(test_file_mode(parent), ==, 0755);
}

static void
test_private_dir_not_a_dir(Fixture *f, gconstpointer data)
{
    g_autofree char *file = g_build_filename(f->dir, "ajar", NULL);
    g_autofree char *below = g_build_filename(file, "sub", NULL);
    g_autofree char *expected = NULL;
    g_autoptr(GError) error = NULL;

    write_file(file, "not a folder", 0600);
    g_assert_false(ajar_files_ensure_private_dir(file, &error));
    g_assert_error(error, AJAR_FILES_ERROR, AJAR_FILES_ERROR_NOT_DIR);
    expected = g_strdup_printf("%s: exists and is not a folder", file);
    g_assert_cmpstr(error->message, ==, expected);
    g_clear_error(&error);
    g_clear_pointer(&expected, g_free);

    /* A path through a file fails the same way for everyone, root included. */
    g_assert_false(ajar_files_ensure_private_dir(below, &error));
    g_assert_error(error, AJAR_FILES_ERROR, AJAR_FILES_ERROR_IO);
    expected = g_strdup_printf("%s: could not use the folder: %s", below, g_strerror(ENOTDIR));
    g_assert_cmpstr(error->message, ==, expected);
}

static void
test_replace_writes(Fixture *f, gconstpointer data)
{
    g_autofree char *path = g_build_filename(f->dir, AJAR_RULES_FILE, NULL);
    g_autofree char *contents = NULL;
    g_autofree char *listing = NULL;
    g_autoptr(GError) error = NULL;
    mode_t old_umask;
    gsize len;

    write_file(path, "old", 0644);
    old_umask = umask(0);
    g_assert_true(ajar_files_replace(f->dir, AJAR_RULES_FILE, "{\"version\": 1}\n", 15, &error));
    umask(old_umask);
    g_assert_no_error(error);
    g_assert_true(g_file_get_contents(path, &contents, &len, NULL));
    g_assert_cmpstr(contents, ==, "{\"version\": 1}\n");
    g_assert_cmpuint(test_file_mode(path), ==, 0600); /* not the old 0644, not the umask's 0666 */
    listing = test_list_dir(f->dir);
    g_assert_cmpstr(listing, ==, AJAR_RULES_FILE); /* no temporary file left */

    /* Empty content, and a strict umask, still give a readable 0600 file. */
    old_umask = umask(0277);
    g_assert_true(ajar_files_replace(f->dir, AJAR_RULES_FILE, NULL, 0, &error));
    umask(old_umask);
    g_assert_no_error(error);
    g_clear_pointer(&contents, g_free);
    g_assert_true(g_file_get_contents(path, &contents, &len, NULL));
    g_assert_cmpuint(len, ==, 0);
    g_assert_cmpuint(test_file_mode(path), ==, 0600);
}

/* A failed replace leaves the old file as it was and no temporary file. */
static void
test_replace_failure(Fixture *f, gconstpointer data)
{
    g_autofree char *path = g_build_filename(f->dir, AJAR_RULES_FILE, NULL);
    g_autofree char *as_dir = g_build_filename(f->dir, "taken", NULL);
    g_autofree char *missing = g_build_filename(f->dir, "missing", NULL);
    g_autofree char *big = g_malloc0(64 * 1024);
    g_autofree char *expected = NULL;
    g_autofree char *contents = NULL;
    g_autofree char *listing = NULL;
    g_autoptr(GError) error = NULL;
    struct rlimit old_limit;
    gboolean ok;

    write_file(path, "the last good rules", 0600);
    /* The disk is full (here: the file size limit). */
    old_limit = test_limit_file_size(4096);
    ok = ajar_files_replace(f->dir, AJAR_RULES_FILE, big, 64 * 1024, &error);
    test_restore_file_size(old_limit);
    g_assert_false(ok);
    g_assert_error(error, AJAR_FILES_ERROR, AJAR_FILES_ERROR_IO);
    expected = g_strdup_printf("%s: could not write: %s", path, g_strerror(EFBIG));
    g_assert_cmpstr(error->message, ==, expected);
    g_assert_true(g_file_get_contents(path, &contents, NULL, NULL));
    g_assert_cmpstr(contents, ==, "the last good rules");
    g_clear_error(&error);
    g_clear_pointer(&expected, g_free);

    /* The name is taken by a folder: the rename fails. */
    g_assert_cmpint(g_mkdir(as_dir, 0700), ==, 0);
    g_assert_false(ajar_files_replace(f->dir, "taken", "x", 1, &error));
    g_assert_error(error, AJAR_FILES_ERROR, AJAR_FILES_ERROR_IO);
    expected = g_strdup_printf("%s: could not replace: %s", as_dir, g_strerror(EISDIR));
    g_assert_cmpstr(error->message, ==, expected);
    g_assert_true(g_file_test(as_dir, G_FILE_TEST_IS_DIR));
    g_clear_error(&error);
    g_clear_pointer(&expected, g_free);

    listing = test_list_dir(f->dir);
    g_assert_cmpstr(listing, ==, AJAR_RULES_FILE " taken");

    /* No folder at all. */
    g_assert_false(ajar_files_replace(missing, "x", "x", 1, &error));
    g_assert_error(error, AJAR_FILES_ERROR, AJAR_FILES_ERROR_IO);
    expected =
        g_strdup_printf("%s/x: could not create a temporary file: %s", missing, g_strerror(ENOENT));
    g_assert_cmpstr(error->message, ==, expected);
}

static void
test_read_whole(Fixture *f, gconstpointer data)
{
    g_autofree char *path = g_build_filename(f->dir, "f", NULL);
    g_autofree char *empty = g_build_filename(f->dir, "empty", NULL);
    g_autofree char *bytes = NULL;
    g_autoptr(GError) error = NULL;
    gsize len = 99;

    write_file(path, "{\"version\": 1}", 0600);
    bytes = ajar_files_read(path, 14, &len, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(len, ==, 14);
    g_assert_cmpstr(bytes, ==, "{\"version\": 1}"); /* NUL-terminated */
    g_clear_pointer(&bytes, g_free);

    write_file(empty, "", 0600);
    bytes = ajar_files_read(empty, 10, &len, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(len, ==, 0);
    g_assert_cmpstr(bytes, ==, "");
}

static void
test_read_limit(Fixture *f, gconstpointer data)
{
    g_autofree char *path = g_build_filename(f->dir, "big", NULL);
    g_autofree char *expected = NULL;
    g_autofree char *bytes = NULL;
    g_autoptr(GError) error = NULL;

    write_file(path, "0123456789", 0600);
    bytes = ajar_files_read(path, 9, NULL, &error);
    g_assert_null(bytes);
    g_assert_error(error, AJAR_FILES_ERROR, AJAR_FILES_ERROR_TOO_LARGE);
    expected = g_strdup_printf("%s: is larger than 9 bytes; not read", path);
    g_assert_cmpstr(error->message, ==, expected);
}

static void
test_read_missing(Fixture *f, gconstpointer data)
{
    g_autofree char *path = g_build_filename(f->dir, AJAR_RULES_FILE, NULL);
    g_autofree char *expected = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_null(ajar_files_read(path, 100, NULL, &error));
    g_assert_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    expected = g_strdup_printf("%s: could not open: %s", path, g_strerror(ENOENT));
    g_assert_cmpstr(error->message, ==, expected);
}

/* A folder or a FIFO in the file's place is refused at once (a FIFO would
 * otherwise hang the reader). */
static void
test_read_not_regular(Fixture *f, gconstpointer data)
{
    g_autofree char *fifo = g_build_filename(f->dir, "fifo", NULL);
    g_autofree char *expected = NULL;
    g_autoptr(GError) error = NULL;

    g_assert_null(ajar_files_read(f->dir, 100, NULL, &error));
    g_assert_error(error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
    g_clear_error(&error);

    g_assert_cmpint(mkfifo(fifo, 0600), ==, 0);
    g_assert_null(ajar_files_read(fifo, 100, NULL, &error));
    g_assert_error(error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
    expected = g_strdup_printf("%s: is not a regular file", fifo);
    g_assert_cmpstr(error->message, ==, expected);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add(path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
    ADD("/files/private-dir/create", test_private_dir_create);
    ADD("/files/private-dir/tighten", test_private_dir_tighten);
    ADD("/files/private-dir/not-a-dir", test_private_dir_not_a_dir);
    ADD("/files/replace/writes", test_replace_writes);
    ADD("/files/replace/failure", test_replace_failure);
    ADD("/files/read/whole", test_read_whole);
    ADD("/files/read/limit", test_read_limit);
    ADD("/files/read/missing", test_read_missing);
    ADD("/files/read/not-regular", test_read_not_regular);
#undef ADD
    return g_test_run();
}
