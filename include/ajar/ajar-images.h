/* ajar-images.h — the images of a kept message: where their tags are in its
 * markup, the names their files get beside the journal, and the markup
 * with the tags pointed at new image ids. Pure: buffers in, buffers out.
 *
 * A messenger hands an incoming image over as a tag in the message's
 * markup, <img id="7">, naming an image it holds in memory for this session
 * only. Ajar keeps each image's bytes in <ajar dir>/images/ (0600), named by
 * their SHA-256 ("<64 hex digits>.<extension>"), and journals the names in
 * the order of the tags; a release gives the bytes to the messenger again
 * and points each tag at the new id. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The folder inside the ajar dir. */
#define AJAR_IMAGES_DIR "images"

/* One image tag: bytes [start, end) of the markup are the whole tag,
 * [id_start, id_end) its id's digits. */
typedef struct {
    gsize start, end;
    gsize id_start, id_end;
    guint id;
} AjarImageTag;

/* The tags "<img ... id=N ...>" of @markup, in order: tag name and
 * attribute name in any case, the value quoted with " or ' or bare, only
 * decimal ids from 1 to G_MAXINT. An <img> without such an id (a link to an
 * address) is not one. Returns: (transfer full): AjarImageTag, maybe empty. */
GArray *ajar_image_tags_find(const char *markup, gsize len);

/* @markup with tag i of @tags (from ajar_image_tags_find() on the same
 * markup) pointing at @new_ids[i], or, where @new_ids[i] is 0, replaced
 * whole by @missing (markup, e.g. an escaped "[image missing]").
 * Returns: (transfer full): NUL-terminated. */
char *ajar_image_tags_rewrite(const char *markup, gsize len, const GArray *tags,
                              const guint *new_ids, const char *missing);

/* "<sha256 of @data, 64 lowercase hex digits>.<@extension>"; an extension
 * that is not 1 to 8 lowercase letters or digits becomes "img".
 * Returns: (transfer full). */
char *ajar_image_file_name(const guint8 *data, gsize size, const char *extension);

/* TRUE when @name has that shape: nothing else is ever opened or removed
 * in the images folder (a name read from a journal could say "../x"). */
gboolean ajar_image_file_name_valid(const char *name);

/* TRUE when @data's SHA-256 is the one @name (a valid name) carries: the
 * file is what was kept, not a damaged or replaced one. */
gboolean ajar_image_data_matches(const guint8 *data, gsize size, const char *name);

G_END_DECLS
