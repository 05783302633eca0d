/* ajar-custody-lines.c — a copy, in memory, of the custody lines of the
 * messages the journal keeps (in custody, or discarded and still undoable):
 * those it appended in this session, and, when there are not too many
 * (AJAR_CUSTODY_LINES_LOAD_MAX), those of the messages in custody at open.
 *
 * The state keeps no texts: they are read back from the journal file when
 * needed. If the file is overwritten in place while Ajar runs (a backup
 * copied over it), what it held before the backup was made is still where
 * it was (read back, and checked, from the file as it is now), but the lines
 * written since would exist nowhere else, and a renewed journal could not
 * record those messages again (see ajar-journal-renew.c); and a file cut to
 * nothing (a clean-up tool) takes every text with it. So the journal keeps
 * those lines — what the user has not dealt with yet, not the years of
 * history a replay reads; past AJAR_CUSTODY_LINES_LOAD_MAX messages in
 * custody at open (a journal nobody reviews), only this session's. */
#include <string.h>
#include <unistd.h>

#include "ajar-journal-private.h"

struct _AjarCustodyLines {
    GHashTable *lines; /* id -> GBytes: the custody line (no "\n") */
};

AjarCustodyLines *
ajar_custody_lines_new(void)
{
    AjarCustodyLines *lines = g_new0(AjarCustodyLines, 1);

    lines->lines =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_bytes_unref);
    return lines;
}

void
ajar_custody_lines_free(AjarCustodyLines *lines)
{
    if (lines == NULL)
        return;
    g_hash_table_unref(lines->lines);
    g_free(lines);
}

static gboolean
kept(const AjarItem *item)
{
    return item != NULL && (ajar_item_in_custody(item) || item->state == AJAR_EVENT_DISCARDED);
}

void
ajar_custody_lines_load(AjarCustodyLines *lines, const AjarState *state, int fd)
{
    g_autoptr(GPtrArray) items = NULL;

    if (ajar_state_count_custody(state) > AJAR_CUSTODY_LINES_LOAD_MAX)
        return;
    items = ajar_state_list_custody(state);
    /* (Discarded ones are read back by the renewal from the file itself.) */
    for (guint i = 0; i < items->len; i++) {
        const AjarItem *item = g_ptr_array_index(items, i);
        char *buf;
        ssize_t n;

        if (item->text_line_len == 0 || item->text_source != NULL)
            continue;
        buf = g_malloc(item->text_line_len);
        n = pread(fd, buf, item->text_line_len, (off_t)item->text_offset);
        if (n != (ssize_t)item->text_line_len) {
            g_free(buf);
            continue;
        }
        g_hash_table_replace(lines->lines, g_strdup(item->id),
                             g_bytes_new_take(buf, item->text_line_len));
    }
}

void
ajar_custody_lines_note(AjarCustodyLines *lines, const AjarState *state, const AjarEvent *event,
                        const char *line, gsize len)
{
    const AjarItem *item;

    if (event->id == NULL)
        return;
    item = ajar_state_lookup(state, event->id);
    if (!kept(item)) {
        g_hash_table_remove(lines->lines, event->id);
        return;
    }
    if (line != NULL && ajar_event_type_is_custody(event->type) && event->text != NULL)
        g_hash_table_replace(lines->lines, g_strdup(event->id), g_bytes_new(line, len));
}

GBytes *
ajar_custody_lines_get(AjarCustodyLines *lines, const char *id)
{
    return lines != NULL ? g_hash_table_lookup(lines->lines, id) : NULL;
}
