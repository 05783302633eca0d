/* ajar-text-read.c — a message's text read back from its line on disk.
 *
 * The state keeps no texts (a journal of years would keep hundreds of
 * megabytes of them in Pidgin's memory): each item says which file and
 * which line last said its text, with the text's length and a check of its
 * bytes. Reading it back re-reads that one line, decodes it as the replay
 * did and compares: a file edited by hand since (or replaced) is reported
 * in one line, never taken for the message's text. */
#include "ajar/ajar-item-text.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "ajar/ajar-i18n.h"
#include "ajar/ajar-journal.h"

guint32
ajar_item_text_check(const char *text, gsize len)
{
    /* Eight bytes at a time (as the state hashes ids): a replay checks every
     * text it meets. Every bit of the text reaches the result. */
    const guint64 mix = G_GUINT64_CONSTANT(0x9E3779B97F4A7C15);
    const char *p = text;
    guint64 hash = (len + 1) * mix, word;

    if (text == NULL)
        return 0;
    for (; len >= 8; p += 8, len -= 8) {
        memcpy(&word, p, sizeof word);
        hash = (hash ^ word) * mix;
        hash ^= hash >> 29;
    }
    word = 0;
    memcpy(&word, p, len);
    hash = (hash ^ word) * mix;
    hash ^= hash >> 32;
    return (guint32)hash;
}

static gboolean
changed(GError **error, const char *name, const AjarItem *item)
{
    char offset[32];

    g_snprintf(offset, sizeof offset, "%" G_GINT64_FORMAT, item->text_offset);
    g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_TEXT_CHANGED,
                /* TRANSLATORS: %1$s is a file ("journal.jsonl"), %2$s a byte
                 * offset in it, %3$s a message's id. */
                _("%s at byte %s: the line no longer holds message %s's text (was the file "
                  "edited?)"),
                name, offset, item->id);
    return FALSE;
}

gboolean
ajar_item_read_text_fd(const AjarItem *item, int fd, const char *name, char **text, gsize *text_len,
                       char ***images, GError **error)
{
    g_autofree char *buf = NULL;
    g_autoptr(AjarEvent) event = NULL;
    gint64 start;
    gsize want, got = 0;

    g_return_val_if_fail(item != NULL && name != NULL && text != NULL, FALSE);
    *text = NULL;
    if (text_len != NULL)
        *text_len = 0;
    if (images != NULL)
        *images = NULL;
    if (item->text_line_len == 0 || item->text_offset < 0) {
        g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_TEXT_CHANGED,
                    /* TRANSLATORS: %s is a message's id. */
                    _("message %s: no file holds its text"), item->id);
        return FALSE;
    }
    /* The line, with the "\n" before it (it must start a line) and after it
     * (it must end there). */
    start = item->text_offset > 0 ? item->text_offset - 1 : 0;
    want = (gsize)(item->text_offset - start) + item->text_line_len + 1;
    buf = g_malloc(want + 1);
    while (got < want) {
        ssize_t n = pread(fd, buf + got, want - got, (off_t)(start + (gint64)got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO,
                        _("%s: could not read: %s"), name, g_strerror(errno));
            return FALSE;
        }
        if (n == 0)
            return changed(error, name, item); /* the file is shorter now */
        got += (gsize)n;
    }
    if ((start < item->text_offset && buf[0] != '\n') || buf[want - 1] != '\n')
        return changed(error, name, item);
    event = ajar_event_decode(buf + (item->text_offset - start), item->text_line_len, NULL);
    if (event == NULL || !ajar_event_type_is_custody(event->type) || event->id == NULL ||
        strcmp(event->id, item->id) != 0 || event->text == NULL ||
        event->text_len != item->text_len ||
        ajar_item_text_check(event->text, event->text_len) != item->text_check)
        return changed(error, name, item);
    if (text_len != NULL)
        *text_len = event->text_len;
    *text = g_steal_pointer(&event->text);
    if (images != NULL && event->images != NULL && event->images[0] != NULL)
        *images = g_steal_pointer(&event->images);
    return TRUE;
}

gboolean
ajar_item_read_text(const AjarItem *item, const char *dir, char **text, gsize *text_len,
                    char ***images, GError **error)
{
    const char *name;
    g_autofree char *path = NULL;
    gboolean ok;
    int fd;

    g_return_val_if_fail(item != NULL && dir != NULL && text != NULL, FALSE);
    name = item->text_source != NULL ? item->text_source : AJAR_JOURNAL_FILE;
    path = g_build_filename(dir, name, NULL);
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        *text = NULL;
        g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO, _("%s: could not open: %s"),
                    path, g_strerror(errno));
        return FALSE;
    }
    ok = ajar_item_read_text_fd(item, fd, name, text, text_len, images, error);
    close(fd);
    return ok;
}
