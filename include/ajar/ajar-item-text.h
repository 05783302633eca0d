/* ajar-item-text.h — a message's text, read back from the file its item
 * says it is in (the state keeps no texts: AjarItem). Pure store code. */
#pragma once

#include <glib.h>

#include "ajar-state.h"

G_BEGIN_DECLS

/* The check an item keeps of its text (AjarItem.text_check): a 32-bit hash
 * of its @len bytes. */
guint32 ajar_item_text_check(const char *text, gsize len);

/* Reads @item's text (and the file names of its images) back from
 * <@dir>/<item->text_source, or journal.jsonl>. Checks that the line there is
 * a valid event for item->id and that its text is the one replayed (length
 * and check); else FALSE with AJAR_JOURNAL_ERROR_TEXT_CHANGED and a one-line
 * reason naming the file and the line's byte offset ("journal.jsonl at byte
 * 1234: the line no longer holds message 01J…'s text (was the file
 * edited?)"). A file that cannot be read is AJAR_JOURNAL_ERROR_IO.
 * @text: (out) (transfer full): the text, NUL-terminated (it may hold NUL
 * bytes: see @text_len). @text_len, @images (out) (nullable): its length,
 * and its images (NULL = none; transfer full, g_strfreev()). */
gboolean ajar_item_read_text(const AjarItem *item, const char *dir, char **text, gsize *text_len,
                             char ***images, GError **error);

/* ajar_item_read_text() from the file open at @fd (read with pread(), the
 * offset of @fd unchanged), named @name in messages. */
gboolean ajar_item_read_text_fd(const AjarItem *item, int fd, const char *name, char **text,
                                gsize *text_len, char ***images, GError **error);

G_END_DECLS
