/* fuzz-images.c — the image tags of any markup (ajar-images.h).
 *
 * ajar_image_tags_find(): tags in order, not overlapping, inside the input,
 * each from a "<" to its ">", its id's digits inside it and their value the
 * id (1 to G_MAXINT). ajar_image_tags_rewrite() with new ids: the same tags
 * again, now with those ids; with all ids 0: a marker for each tag. The file name of the input's
 * bytes, with the input as its extension, is always a valid name that
 * matches those bytes. */
#include "fuzz-target.h"

#include <string.h>

#include <glib.h>

#include "ajar/ajar-images.h"

#define MARKER "[M]"

static guint
count(const char *haystack, const char *needle)
{
    guint n = 0;

    for (const char *p = strstr(haystack, needle); p != NULL; p = strstr(p + 1, needle))
        n++;
    return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* As a message text reaches the plugin: up to its first NUL. */
    g_autofree char *markup = g_strndup((const char *)data, size);
    gsize len = strlen(markup);
    g_autoptr(GArray) tags = ajar_image_tags_find(markup, len);
    g_autofree guint *ids = g_new0(guint, tags->len + 1);
    g_autofree guint *zeros = g_new0(guint, tags->len + 1);
    g_autofree char *renumbered = NULL;
    g_autofree char *marked = NULL;
    g_autofree char *name = NULL;
    gsize end = 0;

    for (guint i = 0; i < tags->len; i++) {
        const AjarImageTag *tag = &g_array_index(tags, AjarImageTag, i);
        guint64 value = 0;

        FUZZ_CHECK(tag->start >= end && tag->start < tag->end && tag->end <= len,
                   "tag %u at [%zu, %zu) after %zu of %zu", i, tag->start, tag->end, end, len);
        FUZZ_CHECK(markup[tag->start] == '<' && markup[tag->end - 1] == '>', "tag %u bounds", i);
        FUZZ_CHECK(tag->id_start > tag->start && tag->id_end < tag->end &&
                       tag->id_start < tag->id_end,
                   "tag %u id at [%zu, %zu)", i, tag->id_start, tag->id_end);
        for (gsize k = tag->id_start; k < tag->id_end; k++) {
            FUZZ_CHECK(g_ascii_isdigit(markup[k]), "tag %u id digit", i);
            value = value * 10 + (guint64)(markup[k] - '0');
        }
        FUZZ_CHECK(value == tag->id && tag->id >= 1 && tag->id <= G_MAXINT, "tag %u id %u", i,
                   tag->id);
        end = tag->end;
        ids[i] = 1000000 + i;
    }

    renumbered = ajar_image_tags_rewrite(markup, len, tags, ids, MARKER);
    {
        g_autoptr(GArray) again = ajar_image_tags_find(renumbered, strlen(renumbered));

        FUZZ_CHECK(again->len == tags->len, "%u tags after renumbering, %u before", again->len,
                   tags->len);
        for (guint i = 0; i < again->len; i++)
            FUZZ_CHECK(g_array_index(again, AjarImageTag, i).id == ids[i], "tag %u renumbered", i);
    }
    marked = ajar_image_tags_rewrite(markup, len, tags, zeros, MARKER);
    FUZZ_CHECK(count(marked, MARKER) >= tags->len, "%u markers for %u tags", count(marked, MARKER),
               tags->len);

    name = ajar_image_file_name(data, size, markup);
    FUZZ_CHECK(ajar_image_file_name_valid(name), "name %s", name);
    FUZZ_CHECK(ajar_image_data_matches(data, size, name), "name %s does not match", name);
    FUZZ_CHECK(strchr(name, '/') == NULL && name[0] != '.', "name %s", name);
    return 0;
}
