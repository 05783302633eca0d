/* ajar-images.c — image tags in a kept message's markup, and the names of
 * the image files beside the journal (ajar-images.h). Pure. */
#include "ajar/ajar-images.h"

#include <string.h>

#define HASH_HEX 64
#define MAX_EXTENSION 8

static gboolean
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* The end of the tag that starts at @p ("<"), past its ">", skipping quoted
 * values; 0 when it never ends. */
static gsize
tag_end(const char *markup, gsize len, gsize p)
{
    char quote = 0;

    for (gsize i = p + 1; i < len; i++) {
        char c = markup[i];

        if (quote != 0) {
            if (c == quote)
                quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '>') {
            return i + 1;
        }
    }
    return 0;
}

/* Looks through the attributes of the tag [from, to) for id; fills @tag. */
static gboolean
find_id(const char *markup, gsize from, gsize to, AjarImageTag *tag)
{
    gsize i = from;

    while (i < to) {
        gsize name_start, name_end, value_start, value_end;
        gboolean is_id;
        guint64 id = 0;

        while (i < to && (is_space(markup[i]) || markup[i] == '/'))
            i++;
        name_start = i;
        while (i < to && !is_space(markup[i]) && markup[i] != '=' && markup[i] != '>' &&
               markup[i] != '/')
            i++;
        name_end = i;
        if (name_end == name_start)
            break;
        while (i < to && is_space(markup[i]))
            i++;
        if (i >= to || markup[i] != '=')
            continue; /* an attribute without a value */
        i++;
        while (i < to && is_space(markup[i]))
            i++;
        if (i < to && (markup[i] == '"' || markup[i] == '\'')) {
            char quote = markup[i++];
            value_start = i;
            while (i < to && markup[i] != quote)
                i++;
            value_end = i;
            if (i < to)
                i++;
        } else {
            value_start = i;
            while (i < to && !is_space(markup[i]) && markup[i] != '>')
                i++;
            value_end = i;
        }
        is_id =
            name_end - name_start == 2 && g_ascii_strncasecmp(markup + name_start, "id", 2) == 0;
        if (!is_id)
            continue;
        if (value_end == value_start || value_end - value_start > 10)
            return FALSE;
        for (gsize k = value_start; k < value_end; k++) {
            if (!g_ascii_isdigit(markup[k]))
                return FALSE;
            id = id * 10 + (guint64)(markup[k] - '0');
        }
        if (id == 0 || id > G_MAXINT)
            return FALSE;
        tag->id = (guint)id;
        tag->id_start = value_start;
        tag->id_end = value_end;
        return TRUE;
    }
    return FALSE;
}

GArray *
ajar_image_tags_find(const char *markup, gsize len)
{
    GArray *tags = g_array_new(FALSE, TRUE, sizeof(AjarImageTag));
    gsize p = 0;

    while (markup != NULL && p + 4 < len) {
        const char *lt = memchr(markup + p, '<', len - p);
        gsize start, end;
        AjarImageTag tag = { 0 };

        if (lt == NULL)
            break;
        start = (gsize)(lt - markup);
        p = start + 1;
        if (start + 4 >= len || g_ascii_strncasecmp(markup + start + 1, "img", 3) != 0 ||
            !(is_space(markup[start + 4]) || markup[start + 4] == '/' || markup[start + 4] == '>'))
            continue;
        end = tag_end(markup, len, start);
        if (end == 0)
            break;
        p = end;
        if (!find_id(markup, start + 4, end - 1, &tag))
            continue;
        tag.start = start;
        tag.end = end;
        g_array_append_val(tags, tag);
    }
    return tags;
}

char *
ajar_image_tags_rewrite(const char *markup, gsize len, const GArray *tags, const guint *new_ids,
                        const char *missing)
{
    GString *out = g_string_sized_new(len + 16);
    gsize p = 0;

    for (guint i = 0; i < tags->len; i++) {
        const AjarImageTag *tag = &g_array_index(tags, AjarImageTag, i);

        g_return_val_if_fail(tag->start >= p && tag->end <= len, g_string_free(out, FALSE));
        if (new_ids[i] == 0) {
            g_string_append_len(out, markup + p, (gssize)(tag->start - p));
            g_string_append(out, missing);
        } else {
            g_string_append_len(out, markup + p, (gssize)(tag->id_start - p));
            g_string_append_printf(out, "%u", new_ids[i]);
            g_string_append_len(out, markup + tag->id_end, (gssize)(tag->end - tag->id_end));
        }
        p = tag->end;
    }
    g_string_append_len(out, markup + p, (gssize)(len - p));
    return g_string_free(out, FALSE);
}

static gboolean
extension_valid(const char *extension, gsize len)
{
    if (len == 0 || len > MAX_EXTENSION)
        return FALSE;
    for (gsize i = 0; i < len; i++) {
        if (!(g_ascii_islower(extension[i]) || g_ascii_isdigit(extension[i])))
            return FALSE;
    }
    return TRUE;
}

char *
ajar_image_file_name(const guint8 *data, gsize size, const char *extension)
{
    g_autofree char *hash = g_compute_checksum_for_data(G_CHECKSUM_SHA256, data, size);

    if (extension == NULL || !extension_valid(extension, strlen(extension)))
        extension = "img";
    return g_strconcat(hash, ".", extension, NULL);
}

gboolean
ajar_image_file_name_valid(const char *name)
{
    gsize len;

    if (name == NULL)
        return FALSE;
    len = strlen(name);
    if (len < HASH_HEX + 2 || name[HASH_HEX] != '.')
        return FALSE;
    for (gsize i = 0; i < HASH_HEX; i++) {
        if (!(g_ascii_isdigit(name[i]) || (name[i] >= 'a' && name[i] <= 'f')))
            return FALSE;
    }
    return extension_valid(name + HASH_HEX + 1, len - HASH_HEX - 1);
}

gboolean
ajar_image_data_matches(const guint8 *data, gsize size, const char *name)
{
    g_autofree char *hash = g_compute_checksum_for_data(G_CHECKSUM_SHA256, data, size);

    return ajar_image_file_name_valid(name) && strncmp(hash, name, HASH_HEX) == 0;
}
