/* ajar-journal-renew.c — a new journal.jsonl when the one in use was
 * deleted, moved away, replaced or overwritten while Ajar ran (a clean-up
 * tool, a sync client, a backup restored).
 *
 * What Ajar keeps lives in its state, read from the old file; a message in
 * custody must never exist only in a file nobody will read again. So the new
 * file holds every message still in custody (and those discarded in the
 * last AJAR_RECENTLY_DISCARDED_DAYS days, still undoable), recorded again
 * with its id, text, times and state, and ends with a note saying what
 * happened. A file found in the journal's place is never overwritten: it is
 * renamed aside (journal.jsonl.replaced-STAMP), and the messages in custody
 * there that Ajar never knew are taken over. A journal overwritten in place
 * (the same file, other bytes: a copy written over it, an editor, a
 * truncation) is noticed by its size and handled the same way. The switch is
 * a rename of a complete, synced file: a crash leaves either the old
 * situation or the new journal whole. A crash before or between the two
 * renames leaves the new file as journal.jsonl.renew, which the next open
 * takes up: it finishes the renames when that file is whole (ends with the
 * note), else the file in place wins. */
#include "ajar/ajar-journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ajar/ajar-files.h"
#include "ajar/ajar-i18n.h"
#include "ajar/ajar-item-text.h"
#include "ajar-journal-private.h"

/* Where the other file was, what became of it. */
typedef enum {
    GONE_DELETED,     /* nothing at the path, and the open file has no name left */
    GONE_MOVED,       /* nothing at the path; the open file lives on elsewhere */
    GONE_REPLACED,    /* another file at the path */
    GONE_OVERWRITTEN, /* the same file, its bytes changed under Ajar (a copy
                       * written over it, an editor, a truncation) */
} Gone;

static AjarEvent *
item_event(const AjarItem *item, const char *text, gsize text_len, char **images,
           AjarEventType type, gint64 ts)
{
    AjarEvent *event = ajar_event_new(type);

    event->ts = ts;
    event->id = g_strdup(item->id);
    if (!ajar_event_type_is_custody(type))
        return event;
    event->has_dir = TRUE;
    event->dir = item->dir;
    event->account = g_strdup(item->account);
    event->protocol = g_strdup(item->protocol);
    event->buddy = g_strdup(item->buddy);
    event->rule = g_strdup(item->rule);
    event->time = item->time;
    event->text = g_malloc(text_len + 1);
    memcpy(event->text, text, text_len);
    event->text[text_len] = '\0';
    event->text_len = text_len;
    event->due = item->due; /* also one a message kept again since still has */
    event->chat = g_strdup(item->chat);
    event->nick = g_strdup(item->nick);
    event->images = images != NULL && images[0] != NULL ? g_strdupv(images) : NULL;
    event->stranger = item->stranger;
    event->quiet = item->quiet;
    event->ask = item->ask;
    return event;
}

void
ajar_journal_item_events(const AjarItem *item, const char *text, gsize text_len, char **images,
                         gint64 ts, GPtrArray *out)
{
    AjarEventType custody;

    g_return_if_fail(item != NULL && text != NULL && out != NULL);
    /* Kept as a custody state (an unsent letter brought back is "held"):
     * that event says it all; else the event that took it into custody,
     * then what happened to it since. */
    custody = ajar_event_type_is_custody(item->state) ? item->state : item->custody;
    g_ptr_array_add(out, item_event(item, text, text_len, images, custody, ts));
    /* Stopped while sending or showing it: the intent as it was (or, when
     * something came after it, the one for its direction). */
    if (item->state == AJAR_EVENT_SENDING || item->state == AJAR_EVENT_SHOWING)
        g_ptr_array_add(out, item_event(item, text, text_len, images, item->state, ts));
    else if (item->interrupted)
        g_ptr_array_add(out, item_event(item, text, text_len, images,
                                        item->dir == AJAR_DIRECTION_OUT ? AJAR_EVENT_SENDING
                                                                        : AJAR_EVENT_SHOWING,
                                        ts));
    /* Then its state now: an outcome that kept it ("read", "cancelled"),
     * or, after an intent, the custody state it was put back in. */
    if (item->state != AJAR_EVENT_SENDING && item->state != AJAR_EVENT_SHOWING &&
        (!ajar_event_type_is_custody(item->state) || item->interrupted))
        g_ptr_array_add(out, item_event(item, text, text_len, images, item->state, ts));
}

/* ---- the file in the journal's place ---- */

static void
replacement_apply_cb(const AjarEvent *event, gpointer user_data)
{
    ajar_state_apply(user_data, event);
}

/* Reads the file now at @path. Returns FALSE (with @error) only when another
 * process holds its lock (@check_lock; not for the file Ajar itself has
 * open and locked): a second Ajar writes there now, and its file is not
 * Ajar's to move. A file that cannot be read, or is not a journal, gives an
 * empty state: it is kept aside all the same. */
static gboolean
read_replacement(const char *path, gboolean check_lock, AjarState **state_out, int *fd_out,
                 GError **error)
{
    AjarState *state = ajar_state_new();
    struct stat st;
    int fd;

    *state_out = state;
    *fd_out = -1;
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
    if (fd < 0)
        return TRUE;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        AjarJournalReport report;

        if (check_lock && flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK) {
            close(fd);
            g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_BUSY,
                        _("%s: was replaced by a journal that another program is writing; "
                          "Ajar leaves it alone and writes nothing more"),
                        path);
            return FALSE;
        }
        ajar_journal_report_init(&report);
        ajar_journal_read_fd(fd, path, replacement_apply_cb, state, &report, NULL, NULL);
        ajar_journal_report_clear(&report);
    }
    /* Kept open: the texts of the messages taken over are read back from it. */
    *fd_out = fd;
    return TRUE;
}

/* @item's events, its text from the copy of its line @lines keeps, else
 * read back from @fd (named @name); FALSE (and nothing added) when it
 * cannot be: the file lost it (overwritten in place). */
static gboolean
record_item(const AjarItem *item, AjarCustodyLines *lines, int fd, const char *name, gint64 now,
            GPtrArray *out)
{
    g_autofree char *text = NULL;
    g_auto(GStrv) images = NULL;
    g_autoptr(GError) error = NULL;
    GBytes *line = ajar_custody_lines_get(lines, item->id);
    gsize text_len = 0;

    if (line != NULL) {
        gsize len;
        const char *data = g_bytes_get_data(line, &len);
        g_autoptr(AjarEvent) event = ajar_event_decode(data, len, NULL);
        if (event != NULL && event->text != NULL && g_strcmp0(event->id, item->id) == 0) {
            ajar_journal_item_events(item, event->text, event->text_len, event->images, now, out);
            return TRUE;
        }
    }
    if (fd < 0 || !ajar_item_read_text_fd(item, fd, name, &text, &text_len, &images, &error)) {
        g_debug("%s", error != NULL ? error->message : name);
        return FALSE;
    }
    ajar_journal_item_events(item, text, text_len, images, now, out);
    return TRUE;
}

/* A name beside @path not in use: PATH.replaced-20261204T141500Z[-N]. */
static char *
aside_name(const char *path, gint64 now)
{
    g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc(now / G_USEC_PER_SEC);
    g_autofree char *stamp = g_date_time_format(when, "%Y%m%dT%H%M%SZ");
    char *name = g_strdup_printf("%s.replaced-%s", path, stamp);
    struct stat st;

    for (guint n = 2; lstat(name, &st) == 0; n++) {
        g_free(name);
        name = g_strdup_printf("%s.replaced-%s-%u", path, stamp, n);
    }
    return name;
}

/* ---- the new file ---- */

/* The note the new file ends with: the journal's words, never translated. */
static char *
journal_note(Gone gone, const char *aside, guint kept, guint taken_over, guint discarded)
{
    g_autofree char *aside_base = aside != NULL ? g_path_get_basename(aside) : NULL;
    g_autofree char *what = NULL;

    switch (gone) {
    case GONE_DELETED: what = g_strdup("after the file in use was deleted"); break;
    case GONE_MOVED: what = g_strdup("after the file in use was moved away"); break;
    case GONE_OVERWRITTEN:
        what = g_strdup_printf("after the file in use was overwritten (kept as %s)", aside_base);
        break;
    case GONE_REPLACED:
    default:
        what = g_strdup_printf("after another file took its place (kept as %s)", aside_base);
        break;
    }
    return g_strdup_printf(AJAR_JOURNAL_RENEWED_PREFIX
                           " %s; %u messages in custody recorded again, %u of them from that "
                           "file; %u discarded in the last %d days, still undoable",
                           what, kept + taken_over, taken_over, discarded,
                           AJAR_RECENTLY_DISCARDED_DAYS);
}

/* The sentence the user reads, once. */
static char *
user_note(Gone gone, const char *aside, guint kept)
{
    if (gone == GONE_REPLACED || gone == GONE_OVERWRITTEN)
        return g_strdup_printf(
            /* TRANSLATORS: %s is the path the other file was kept at, %u how
             * many messages Ajar keeps. */
            P_("Ajar's journal was replaced by another file while Ajar was running; that file "
               "is kept as %s, and a new journal holds the %u message Ajar keeps.",
               "Ajar's journal was replaced by another file while Ajar was running; that file "
               "is kept as %s, and a new journal holds the %u messages Ajar keeps.",
               kept),
            aside, kept);
    return g_strdup_printf(
        /* TRANSLATORS: %u is how many messages Ajar keeps. */
        P_("Ajar's journal was deleted or moved away while Ajar was running; a new journal "
           "holds the %u message Ajar keeps, so nothing is lost.",
           "Ajar's journal was deleted or moved away while Ajar was running; a new journal "
           "holds the %u messages Ajar keeps, so nothing is lost.",
           kept),
        kept);
}

static AjarEvent *
note_event(char *message, gint64 ts)
{
    AjarEvent *event = ajar_event_new(AJAR_EVENT_FAULT);

    event->ts = ts;
    event->message = message;
    return event;
}

/* Writes @lines to a new, locked @temp, synced. Returns: the descriptor, or
 * -1 with @error (and no file left). */
static int
write_new(const char *temp, const GString *lines, GError **error)
{
    int fd = open(temp, O_RDWR | O_APPEND | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    int saved;

    if (fd < 0) {
        g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO, _("%s: could not create: %s"),
                    temp, g_strerror(errno));
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) == 0 &&
        ajar_files_write_all(fd, lines->str, lines->len, NULL) && fdatasync(fd) == 0)
        return fd;
    saved = errno;
    close(fd);
    unlink(temp);
    g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO, _("%s: could not write: %s"),
                temp, g_strerror(saved));
    return -1;
}

/* Discarded messages stay undoable for AJAR_RECENTLY_DISCARDED_DAYS days:
 * those are recorded again too. */
static gboolean
recently_discarded(const AjarItem *item, gint64 now)
{
    return item->state == AJAR_EVENT_DISCARDED &&
           item->state_ts >=
               now - (gint64)AJAR_RECENTLY_DISCARDED_DAYS * 24 * 3600 * G_USEC_PER_SEC;
}

gboolean
ajar_journal_renew_file(const char *path, int old_fd, const AjarState *state,
                        AjarCustodyLines *kept_lines, const AjarEvent *tail, gint64 next_seq,
                        gint64 now, AjarJournalRenewal *out, GError **error)
{
    g_autofree char *dir = g_path_get_dirname(path);
    g_autofree char *temp = g_strconcat(path, AJAR_JOURNAL_RENEW_SUFFIX, NULL);
    g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func((GDestroyNotify)ajar_event_free);
    g_autoptr(GPtrArray) all = ajar_state_list(state);
    g_autoptr(GPtrArray) theirs = NULL;
    g_autoptr(GString) lines = g_string_new(NULL);
    g_autoptr(GError) dir_error = NULL;
    g_autoptr(GPtrArray) recorded = g_ptr_array_new();
    AjarState *other = NULL;
    int other_fd = -1;
    char *aside = NULL;
    struct stat open_file, at_path;
    guint kept = 0, discarded = 0, taken_over = 0, first_new;
    gint64 seq = next_seq;
    gboolean have_open = fstat(old_fd, &open_file) == 0;
    Gone gone;
    int fd;

    memset(out, 0, sizeof *out);
    if (lstat(path, &at_path) == 0)
        gone = have_open && at_path.st_dev == open_file.st_dev && at_path.st_ino == open_file.st_ino
                   ? GONE_OVERWRITTEN
                   : GONE_REPLACED;
    else if (errno == ENOENT || errno == ENOTDIR)
        gone = have_open && open_file.st_nlink > 0 ? GONE_MOVED : GONE_DELETED;
    else {
        g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO, _("%s: could not read: %s"),
                    path, g_strerror(errno));
        return FALSE;
    }
    if (!ajar_files_ensure_private_dir(dir, &dir_error)) {
        g_set_error_literal(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO, dir_error->message);
        return FALSE;
    }
    if (gone == GONE_REPLACED || gone == GONE_OVERWRITTEN) {
        /* (Overwritten in place, the file is the one Ajar has locked.) */
        if (!read_replacement(path, gone == GONE_REPLACED, &other, &other_fd, error)) {
            ajar_state_free(other);
            return FALSE;
        }
        theirs = ajar_state_list_custody(other);
        aside = aside_name(path, now);
    }

    /* Every message Ajar keeps, and those discarded lately (still
     * undoable), as they are now. */
    for (guint i = 0; i < all->len; i++) {
        const AjarItem *item = g_ptr_array_index(all, i);
        gboolean in_custody = ajar_item_in_custody(item);
        guint first = written->len;
        if (!in_custody && !recently_discarded(item, now))
            continue;
        /* Its text from the file the state was read from, open still
         * (moved, deleted or replaced, its bytes live on). */
        if (!record_item(item, kept_lines, old_fd, AJAR_JOURNAL_FILE, now, written))
            continue;
        if (in_custody)
            kept++;
        else
            discarded++;
        g_ptr_array_add(recorded, written->pdata[first]);
    }
    first_new = written->len;
    for (guint i = 0; theirs != NULL && i < theirs->len; i++) {
        const AjarItem *item = g_ptr_array_index(theirs, i);
        /* Ajar's own word on a message it knows stands: taking over
         * theirs could bring back one released or sent since. */
        if (ajar_state_lookup(state, item->id) != NULL)
            continue;
        if (record_item(item, NULL, other_fd, path, now, written))
            taken_over++;
    }
    /* A valid line a crash left unended in the old file: what it says
     * comes after what it changes, as it did there. */
    if (tail != NULL)
        g_ptr_array_add(written, ajar_event_copy(tail));
    /* The note last: a new file that ends with it is whole (see
     * ajar_journal_take_up_renewal()). */
    g_ptr_array_add(written,
                    note_event(journal_note(gone, aside, kept, taken_over, discarded), now));
    for (guint i = 0; i < written->len; i++) {
        AjarEvent *event = g_ptr_array_index(written, i);
        event->seq = seq;
        seq = MIN(seq, G_MAXINT64 - 2) + 1;
        event->source = NULL;
        event->offset = (gint64)lines->len;
        ajar_event_encode(event, lines);
        event->line_len = (guint32)((gint64)lines->len - event->offset - 1);
    }
    ajar_state_free(other);
    if (other_fd >= 0)
        close(other_fd);

    fd = write_new(temp, lines, error);
    if (fd < 0) {
        g_free(aside);
        return FALSE;
    }
    /* Theirs aside (never overwritten), then ours in: a crash in between
     * leaves journal.jsonl.renew alone, which the next open takes up. */
    if ((aside != NULL && rename(path, aside) != 0) || rename(temp, path) != 0) {
        int saved = errno;
        /* Theirs back in its place: nothing changed at @path. */
        if (aside != NULL && lstat(path, &at_path) != 0)
            rename(aside, path);
        close(fd);
        unlink(temp);
        g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO,
                    _("%s: could not put a new journal in place: %s"), path, g_strerror(saved));
        g_free(aside);
        return FALSE;
    }
    if (aside != NULL)
        chmod(aside, 0600);
    /* The renames are done; a folder that cannot be synced leaves them as
     * durable as the file system makes them. */
    ajar_files_sync_dir(dir, NULL);

    out->fd = fd;
    out->size = lines->len;
    out->next_seq = seq;
    out->user_note = user_note(gone, aside, kept + taken_over);
    /* What was taken over, the tail's event and the note are new to the
     * state; Ajar's own messages are in it already, as they are. */
    out->to_apply = g_ptr_array_new_with_free_func((GDestroyNotify)ajar_event_free);
    for (guint i = first_new; i < written->len; i++) {
        g_ptr_array_add(out->to_apply, written->pdata[i]);
        written->pdata[i] = NULL;
    }
    /* Where Ajar's own messages' texts are now. */
    out->relocated = g_array_sized_new(FALSE, FALSE, sizeof(AjarTextPlace), recorded->len);
    for (guint i = 0; i < recorded->len; i++) {
        const AjarEvent *event = g_ptr_array_index(recorded, i);
        AjarTextPlace place = { g_strdup(event->id), event->offset, event->line_len };
        g_array_append_val(out->relocated, place);
    }
    g_free(aside);
    return TRUE;
}

/* Whether the new journal at @temp was written whole: it ends with the
 * note (written last) and no cut line. */
static void
last_event_cb(const AjarEvent *event, gpointer user_data)
{
    gboolean *ends_with_note = user_data;

    *ends_with_note = event->type == AJAR_EVENT_FAULT && event->message != NULL &&
                      g_str_has_prefix(event->message, AJAR_JOURNAL_RENEWED_PREFIX);
}

static gboolean
renewal_whole(const char *temp)
{
    AjarJournalReport report;
    gboolean ends_with_note = FALSE;
    gboolean whole;

    whole = ajar_journal_read_file(temp, last_event_cb, &ends_with_note, &report, NULL) &&
            ends_with_note && !report.incomplete_tail && report.malformed == 0;
    ajar_journal_report_clear(&report);
    return whole;
}

gboolean
ajar_journal_take_up_renewal(const char *path, GError **error)
{
    g_autofree char *temp = g_strconcat(path, AJAR_JOURNAL_RENEW_SUFFIX, NULL);
    g_autofree char *aside = NULL;
    struct stat st;

    if (lstat(temp, &st) != 0)
        return TRUE;
    if (lstat(path, &st) != 0 && errno == ENOENT) {
        /* The journal's place empty: a renewal stopped between its
         * renames, or before them after a deletion. */
        if (rename(temp, path) == 0)
            return TRUE;
    } else if (renewal_whole(temp)) {
        /* Written whole, stopped before its renames: finish them (the file
         * in place is the one it was to replace, and is kept aside). */
        aside = aside_name(path, g_get_real_time());
        if (rename(path, aside) == 0 && rename(temp, path) == 0) {
            chmod(aside, 0600);
            return TRUE;
        }
    } else {
        /* Cut short: the journal in place wins; the other stays, aside. */
        aside = aside_name(temp, g_get_real_time());
        if (rename(temp, aside) == 0)
            return TRUE;
    }
    g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO,
                _("%s: could not take up an unfinished new journal: %s"), temp, g_strerror(errno));
    return FALSE;
}
