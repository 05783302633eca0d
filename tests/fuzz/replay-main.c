/* replay-main.c — runs a fuzz target on every committed input, as a TAP
 * test: the seed corpus and the regression inputs (what once broke an
 * invariant) of that target. Usage: replay-TARGET DIR... (files in each DIR,
 * sorted). An input that breaks an invariant aborts the run, after its
 * name was printed. */
#include "fuzz-target.h"

#include <string.h>

#include <glib.h>

static gint
compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int
main(int argc, char **argv)
{
    g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--tap") == 0)
            continue;
        g_autoptr(GError) error = NULL;
        g_autoptr(GDir) dir = g_dir_open(argv[i], 0, &error);
        const char *name;

        if (dir == NULL) {
            printf("Bail out! %s\n", error->message);
            return 1;
        }
        while ((name = g_dir_read_name(dir)) != NULL) {
            if (name[0] != '.')
                g_ptr_array_add(files, g_build_filename(argv[i], name, NULL));
        }
    }
    g_ptr_array_sort(files, compare_names);
    if (files->len == 0) {
        printf("Bail out! no inputs\n");
        return 1;
    }
    printf("1..%u\n", files->len);
    for (guint i = 0; i < files->len; i++) {
        const char *path = g_ptr_array_index(files, i);
        g_autofree char *data = NULL;
        g_autoptr(GError) error = NULL;
        gsize len = 0;

        if (!g_file_get_contents(path, &data, &len, &error)) {
            printf("not ok %u - %s # %s\n", i + 1, path, error->message);
            continue;
        }
        /* Named first: an input that aborts is known by the last line. */
        printf("# %s\n", path);
        fflush(stdout);
        fprintf(stderr, "input: %s\n", path);
        LLVMFuzzerTestOneInput((const uint8_t *)data, len);
        printf("ok %u - %s\n", i + 1, path);
    }
    return 0;
}
