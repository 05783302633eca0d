/* security-util.h — what the security tests share: the folder tree as
 * files on disk, and the file calls Ajar made (file-calls.h). Header-only,
 * like tests/plugin/ajar-test-util.h, which it builds on. */
#ifndef AJAR_SECURITY_UTIL_H
#define AJAR_SECURITY_UTIL_H

#include "ajar-test-util.h"
#include "file-calls.h"

#include <string.h>
#include <sys/stat.h>

/* One file or folder found under the test's temporary folder. */
typedef struct {
    mode_t mode; /* type and permission bits */
    off_t size;
    gint64 mtime_ns;
    ino_t ino;
} SecurityEntry;

static inline void
security_snapshot_walk(GHashTable *out, const char *root, const char *path)
{
    g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
    const char *name;

    if (dir == NULL)
        return;
    while ((name = g_dir_read_name(dir)) != NULL) {
        g_autofree char *child = g_build_filename(path, name, NULL);
        SecurityEntry *entry = g_new0(SecurityEntry, 1);
        struct stat st;

        if (lstat(child, &st) != 0) {
            g_free(entry);
            continue;
        }
        entry->mode = st.st_mode;
        entry->size = st.st_size;
        entry->mtime_ns = (gint64)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
        entry->ino = st.st_ino;
        g_hash_table_insert(out, g_strdup(child + strlen(root) + 1), entry);
        if (S_ISDIR(st.st_mode))
            security_snapshot_walk(out, root, child);
    }
}

/* Returns: (transfer full): every file and folder under @root (the paths
 * relative to it) -> SecurityEntry. Symlinks are not followed. */
static inline GHashTable *
security_snapshot(const char *root)
{
    GHashTable *out = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);

    security_snapshot_walk(out, root, root);
    return out;
}

/* Returns: (transfer full): the paths (relative) that are new in @after or
 * differ from @before (content size, time, inode or mode), sorted. */
static inline GPtrArray *
security_snapshot_changes(GHashTable *before, GHashTable *after)
{
    GPtrArray *changed = g_ptr_array_new_with_free_func(g_free);
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init(&iter, after);
    while (g_hash_table_iter_next(&iter, &key, &value)) {
        const SecurityEntry *now = value;
        const SecurityEntry *was = g_hash_table_lookup(before, key);

        if (was == NULL || was->size != now->size || was->mtime_ns != now->mtime_ns ||
            was->ino != now->ino || was->mode != now->mode)
            g_ptr_array_add(changed, g_strdup(key));
    }
    g_ptr_array_sort(changed, (GCompareFunc)g_strcmp0);
    return changed;
}

/* TRUE when @path is @dir or inside it. */
static inline gboolean
security_path_in(const char *path, const char *dir)
{
    gsize len = strlen(dir);

    return strncmp(path, dir, len) == 0 && (path[len] == '\0' || path[len] == '/');
}

/* The permission bits of @path (lstat), or -1 if it is not there. */
static inline int
security_mode(const char *path)
{
    struct stat st;

    return lstat(path, &st) == 0 ? (int)(st.st_mode & 07777) : -1;
}

#endif /* AJAR_SECURITY_UTIL_H */
