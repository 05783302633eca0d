/* ajar-journal-renew.c — a new journal.jsonl when the one in use was
 * deleted, moved away or replaced while Ajar ran (a clean-up tool, a sync
 * client, a backup restored).
 *
 * What Ajar keeps lives in its state, read from the old file; a message in
 * custody must never exist only in a file nobody will read again. So the new
 * file starts with a note saying what happened and then every message still
 * in custody, recorded again with its id, text, times and state. A file
 * found in the journal's place is never overwritten: it is renamed aside
 * (journal.jsonl.replaced-STAMP), and the messages in custody there that Ajar
 * never knew are taken over. The switch is a rename of a complete, synced
 * file: a crash leaves either the old situation or the new journal whole,
 * and a crash between the two renames leaves the new file as
 * journal.jsonl.renew, which the next open takes up. */
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
#include "ajar-journal-private.h"

/* Where the other file was, what became of it. */
typedef enum {
    GONE_DELETED,  /* nothing at the path, and the open file has no name left */
    GONE_MOVED,    /* nothing at the path; the open file lives on elsewhere */
    GONE_REPLACED, /* another file at the path */
} Gone;

static AjarEvent *
item_event(const AjarItem *item, AjarEventType type, gint64 ts)
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
    event->text = g_memdup2(item->text != NULL ? item->text : "", item->text_len + 1);
    event->text_len = item->text_len;
    event->due = item->due; /* also one a message kept again since still has */
    return event;
}

void
ajar_journal_item_events(const AjarItem *item, gint64 ts, GPtrArray *out)
{
    AjarEventType custody;

    g_return_if_fail(item != NULL && out != NULL);
    /* Kept as a custody state (an unsent letter brought back is "held"):
     * that event says it all; else the event that took it into custody,
     * then what happened to it since. */
    custody = ajar_event_type_is_custody(item->state) ? item->state : item->custody;
    g_ptr_array_add(out, item_event(item, custody, ts));
    /* Stopped while sending or showing it: the intent as it was (or, when
     * something came after it, the one for its direction). */
    if (item->state == AJAR_EVENT_SENDING || item->state == AJAR_EVENT_SHOWING)
        g_ptr_array_add(out, item_event(item, item->state, ts));
    else if (item->interrupted)
        g_ptr_array_add(out, item_event(item,
                                        item->dir == AJAR_DIRECTION_OUT ? AJAR_EVENT_SENDING
                                                                        : AJAR_EVENT_SHOWING,
                                        ts));
    /* Then its state now: an outcome that kept it ("read", "cancelled"),
     * or, after an intent, the custody state it was put back in. */
    if (item->state != AJAR_EVENT_SENDING && item->state != AJAR_EVENT_SHOWING &&
        (!ajar_event_type_is_custody(item->state) || item->interrupted))
        g_ptr_array_add(out, item_event(item, item->state, ts));
}

/* ---- the file in the journal's place ---- */

static void
replacement_apply_cb(const AjarEvent *event, gpointer user_data)
{
    ajar_state_apply(user_data, event);
}

/* Reads the file now at @path. Returns FALSE (with @error) only when another
 * process holds its lock: a second Ajar writes there now, and its file is
 * not Ajar's to move. A file that cannot be read, or is not a journal,
 * gives an empty state: it is kept aside all the same. */
static gboolean
read_replacement(const char *path, AjarState **state_out, GError **error)
{
    AjarState *state = ajar_state_new();
    struct stat st;
    int fd;

    *state_out = state;
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
    if (fd < 0)
        return TRUE;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        AjarJournalReport report;

        if (flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK) {
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
    close(fd);
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

static gboolean
fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc;

    if (fd < 0)
        return FALSE;
    rc = fsync(fd);
    close(fd);
    return rc == 0;
}

/* The note the new file starts with: the journal's words, never translated. */
static char *
journal_note(Gone gone, const char *aside, guint kept, guint taken_over)
{
    g_autofree char *aside_base = aside != NULL ? g_path_get_basename(aside) : NULL;

    switch (gone) {
    case GONE_DELETED:
        return g_strdup_printf(AJAR_JOURNAL_RENEWED_PREFIX " after the file in use was deleted; "
                                                           "%u messages in custody recorded again",
                               kept);
    case GONE_MOVED:
        return g_strdup_printf(AJAR_JOURNAL_RENEWED_PREFIX " after the file in use was moved away; "
                                                           "%u messages in custody recorded again",
                               kept);
    case GONE_REPLACED:
    default:
        return g_strdup_printf(AJAR_JOURNAL_RENEWED_PREFIX
                               " after another file took its place (kept as %s); "
                               "%u messages in custody recorded again, %u of them from that file",
                               aside_base, kept + taken_over, taken_over);
    }
}

/* The sentence the user reads, once. */
static char *
user_note(Gone gone, const char *aside, guint kept)
{
    if (gone == GONE_REPLACED)
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

gboolean
ajar_journal_renew_file(const char *path, int old_fd, const AjarState *state, gint64 next_seq,
                        gint64 now, AjarJournalRenewal *out, GError **error)
{
    g_autofree char *dir = g_path_get_dirname(path);
    g_autofree char *temp = g_strconcat(path, AJAR_JOURNAL_RENEW_SUFFIX, NULL);
    g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func((GDestroyNotify)ajar_event_free);
    g_autoptr(GPtrArray) ours = ajar_state_list_custody(state);
    g_autoptr(GPtrArray) theirs = NULL;
    g_autoptr(GString) lines = g_string_new(NULL);
    g_autoptr(GError) dir_error = NULL;
    AjarState *other = NULL;
    char *aside = NULL;
    struct stat open_file, at_path;
    guint taken_over = 0, first_taken;
    gint64 seq = next_seq;
    Gone gone;
    int fd;

    memset(out, 0, sizeof *out);
    if (lstat(path, &at_path) == 0)
        gone = GONE_REPLACED;
    else if (errno == ENOENT || errno == ENOTDIR)
        gone = fstat(old_fd, &open_file) == 0 && open_file.st_nlink > 0 ? GONE_MOVED : GONE_DELETED;
    else {
        g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO, _("%s: could not read: %s"),
                    path, g_strerror(errno));
        return FALSE;
    }
    if (!ajar_files_ensure_private_dir(dir, &dir_error)) {
        g_set_error_literal(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO, dir_error->message);
        return FALSE;
    }
    if (gone == GONE_REPLACED) {
        if (!read_replacement(path, &other, error)) {
            ajar_state_free(other);
            return FALSE;
        }
        theirs = ajar_state_list_custody(other);
        aside = aside_name(path, now);
    }

    /* The note first: it says what the lines after it are. */
    g_ptr_array_add(written, note_event(NULL, now));
    for (guint i = 0; i < ours->len; i++)
        ajar_journal_item_events(g_ptr_array_index(ours, i), now, written);
    first_taken = written->len;
    for (guint i = 0; theirs != NULL && i < theirs->len; i++) {
        const AjarItem *item = g_ptr_array_index(theirs, i);
        /* Ajar's own word on a message it knows stands: taking over
         * theirs could bring back one released or sent since. */
        if (ajar_state_lookup(state, item->id) != NULL)
            continue;
        ajar_journal_item_events(item, now, written);
        taken_over++;
    }
    ((AjarEvent *)g_ptr_array_index(written, 0))->message =
        journal_note(gone, aside, ours->len, taken_over);
    for (guint i = 0; i < written->len; i++) {
        AjarEvent *event = g_ptr_array_index(written, i);
        event->seq = seq;
        seq = MIN(seq, G_MAXINT64 - 2) + 1;
        ajar_event_encode(event, lines);
    }
    ajar_state_free(other);

    fd = write_new(temp, lines, error);
    if (fd < 0) {
        g_free(aside);
        return FALSE;
    }
    /* Theirs aside (never overwritten), then ours in: a crash in between
     * leaves journal.jsonl.renew alone, which the next open takes up. */
    if ((aside != NULL && rename(path, aside) != 0) || rename(temp, path) != 0) {
        int saved = errno;
        close(fd);
        unlink(temp);
        g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO,
                    _("%s: could not put a new journal in place: %s"), path, g_strerror(saved));
        g_free(aside);
        return FALSE;
    }
    if (aside != NULL)
        chmod(aside, 0600);
    fsync_dir(dir);

    out->fd = fd;
    out->next_seq = seq;
    out->user_note = user_note(gone, aside, ours->len + taken_over);
    /* The note and what was taken over are new to the state; Ajar's own
     * messages are in it already, as they are. */
    out->to_apply = g_ptr_array_new_with_free_func((GDestroyNotify)ajar_event_free);
    for (guint i = 0; i < written->len; i++) {
        if (i == 0 || i >= first_taken) {
            g_ptr_array_add(out->to_apply, written->pdata[i]);
            written->pdata[i] = NULL;
        }
    }
    g_free(aside);
    return TRUE;
}

gboolean
ajar_journal_take_up_renewal(const char *path, GError **error)
{
    g_autofree char *temp = g_strconcat(path, AJAR_JOURNAL_RENEW_SUFFIX, NULL);
    struct stat st;

    if (lstat(temp, &st) != 0)
        return TRUE;
    /* The journal's place empty: a renewal stopped between its renames. */
    if (lstat(path, &st) != 0 && errno == ENOENT) {
        if (rename(temp, path) == 0)
            return TRUE;
    } else {
        /* Both there: the journal in place wins; the other stays, aside. */
        g_autofree char *aside = aside_name(temp, g_get_real_time());
        if (rename(temp, aside) == 0)
            return TRUE;
    }
    g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO,
                _("%s: could not take up an unfinished new journal: %s"), temp, g_strerror(errno));
    return FALSE;
}
