/* ajar-images.c — the images of a message Ajar keeps.
 *
 * A protocol hands an incoming picture to libpurple's image store and puts
 * <img id="N"> into the message's markup; the id means something only
 * while this messenger runs, and the protocol drops its reference once the
 * message is delivered. So before a message with images is journaled, each
 * picture's bytes go to <ajar dir>/images/<sha256>.<extension> (0600,
 * written to a temporary file, synced, renamed, folder synced: the
 * journal line that names them comes after them). The same picture twice is
 * one file. When the message is shown, the bytes go back into the image
 * store under new ids and the tags are pointed at them. */
#include "ajar-images.h"

#include <errno.h>

#include <glib/gstdio.h>

#include <debug.h>
#include <imgstore.h>

#include "ajar/ajar-i18n.h"
#include "ajar/ajar-images.h"

/* A tag whose id named no stored image when the message came. */
#define MISSING_NAME "missing" /* no i18n: a name in the journal, not words */

static char *
images_dir(AjarPlugin *ajar)
{
    return g_build_filename(ajar->dir, AJAR_IMAGES_DIR, NULL);
}

/* TRUE when @path already holds the picture @name promises. */
static gboolean
already_saved(const char *path, const char *name)
{
    g_autofree char *data = NULL;
    gsize len = 0;

    data = ajar_files_read(path, AJAR_IMAGE_MAX_SIZE, &len, NULL);
    return data != NULL && ajar_image_data_matches((const guint8 *)data, len, name);
}

static gboolean
save_one(const char *dir, PurpleStoredImage *image, char **name, GError **error)
{
    const guint8 *data = purple_imgstore_get_data(image);
    gsize size = purple_imgstore_get_size(image);
    g_autofree char *path = NULL;

    if (size > AJAR_IMAGE_MAX_SIZE) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                    /* TRANSLATORS: %zu is a size in bytes. */
                    _("an image of %zu bytes is larger than Ajar keeps"), size);
        return FALSE;
    }
    *name = ajar_image_file_name(data, size, purple_imgstore_get_extension(image));
    path = g_build_filename(dir, *name, NULL);
    if (already_saved(path, *name))
        return TRUE;
    return ajar_files_replace(dir, *name, (const char *)data, size, error);
}

gboolean
ajar_images_keep(AjarPlugin *ajar, const char *message, AjarEvent *event, GError **error)
{
    g_autoptr(GArray) tags = ajar_image_tags_find(message, strlen(message));
    g_autoptr(GPtrArray) names = NULL;
    g_autofree char *dir = NULL;

    if (tags->len == 0)
        return TRUE;
    dir = images_dir(ajar);
    if (!ajar_files_ensure_private_dir(dir, error))
        return FALSE;
    names = g_ptr_array_new_with_free_func(g_free);
    for (guint i = 0; i < tags->len; i++) {
        guint id = g_array_index(tags, AjarImageTag, i).id;
        PurpleStoredImage *image = purple_imgstore_find_by_id((int)id);
        char *name = NULL;

        if (image == NULL) {
            purple_debug_warning("ajar", "image %u of a kept message is not in the store\n", id);
            g_ptr_array_add(names, g_strdup(MISSING_NAME));
            continue;
        }
        if (!save_one(dir, image, &name, error)) {
            g_free(name);
            return FALSE;
        }
        g_ptr_array_add(names, name);
    }
    g_ptr_array_add(names, NULL);
    g_strfreev(event->images);
    event->images = (char **)g_ptr_array_free(g_steal_pointer(&names), FALSE);
    return TRUE;
}

/* Gives the picture @name back to the image store: its new id, or 0 when
 * the file is gone, unreadable or not what was kept. */
static guint
restore_one(const char *dir, const char *name)
{
    g_autofree char *path = NULL;
    g_autoptr(GError) error = NULL;
    char *data;
    gsize len = 0;
    int id;

    if (!ajar_image_file_name_valid(name))
        return 0;
    path = g_build_filename(dir, name, NULL);
    data = ajar_files_read(path, AJAR_IMAGE_MAX_SIZE, &len, &error);
    if (data == NULL) {
        purple_debug_warning("ajar", "image %s: %s\n", name, error->message);
        return 0;
    }
    if (!ajar_image_data_matches((const guint8 *)data, len, name)) {
        purple_debug_warning("ajar", "image %s: its bytes are not the ones kept\n", name);
        g_free(data);
        return 0;
    }
    /* The store takes the bytes and frees them with g_free(). */
    id = purple_imgstore_add_with_id(data, len, name);
    return id > 0 ? (guint)id : 0;
}

char *
ajar_images_restore(AjarPlugin *ajar, const char *text, gsize len, char **images, GArray **ids)
{
    g_autoptr(GArray) tags = NULL;
    g_autofree guint *new_ids = NULL;
    g_autofree char *dir = images_dir(ajar);
    guint count = images != NULL ? g_strv_length(images) : 0;
    /* TRANSLATORS: shown in a released message where one of its pictures
     * used to be, when its file was removed or damaged. */
    g_autofree char *missing = g_markup_escape_text(_("[image missing]"), -1);

    len = strnlen(text, len);
    tags = ajar_image_tags_find(text, len);
    new_ids = g_new0(guint, tags->len + 1);
    *ids = g_array_new(FALSE, FALSE, sizeof(guint));
    for (guint i = 0; i < tags->len; i++) {
        new_ids[i] = i < count ? restore_one(dir, images[i]) : 0;
        if (new_ids[i] != 0)
            g_array_append_val(*ids, new_ids[i]);
    }
    return ajar_image_tags_rewrite(text, len, tags, new_ids, missing);
}

void
ajar_images_done(GArray *ids)
{
    if (ids == NULL)
        return;
    for (guint i = 0; i < ids->len; i++)
        purple_imgstore_unref_by_id((int)g_array_index(ids, guint, i));
    g_array_unref(ids);
}

static gboolean
still_named(const AjarItem *item, gint64 now)
{
    if (item->n_images == 0)
        return FALSE;
    if (ajar_item_in_custody(item))
        return TRUE;
    return item->state == AJAR_EVENT_DISCARDED &&
           item->state_ts >=
               now - (gint64)AJAR_RECENTLY_DISCARDED_DAYS * 24 * 3600 * G_USEC_PER_SEC;
}

void
ajar_images_sweep(AjarPlugin *ajar)
{
    g_autofree char *dir_path = NULL;
    g_autoptr(GDir) dir = NULL;
    g_autoptr(GHashTable) named = NULL;
    g_autoptr(GPtrArray) items = NULL;
    gint64 now = ajar_context_now();
    const char *name;

    if (ajar->journal == NULL || ajar_journal_get_open_report(ajar->journal)->malformed > 0)
        return;
    dir_path = images_dir(ajar);
    dir = g_dir_open(dir_path, 0, NULL);
    if (dir == NULL)
        return; /* none yet */
    named = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    items = ajar_state_list(ajar_context_state(ajar));
    for (guint i = 0; i < items->len; i++) {
        const AjarItem *item = g_ptr_array_index(items, i);
        g_autoptr(GError) error = NULL;
        g_autofree char *text = NULL;
        char **images = NULL;

        if (!still_named(item, now))
            continue;
        /* The names are on the message's line, read back with its text. */
        text = ajar_context_item_text(ajar, item, NULL, &images, &error);
        if (text == NULL) {
            /* (Told when the message is shown or sent.) */
            purple_debug_warning("ajar", "images kept: %s\n", error->message);
            return;
        }
        for (char **p = images; p != NULL && *p != NULL; p++)
            g_hash_table_add(named, *p);
        g_free(images); /* the names now belong to @named */
    }
    while ((name = g_dir_read_name(dir)) != NULL) {
        g_autofree char *path = NULL;

        if (!ajar_image_file_name_valid(name) || g_hash_table_contains(named, name))
            continue;
        path = g_build_filename(dir_path, name, NULL);
        if (g_unlink(path) != 0)
            purple_debug_warning("ajar", "could not remove %s: %s\n", path, g_strerror(errno));
    }
}
