/* test-journal-renew.c — journal.jsonl deleted, moved or replaced while the
 * journal is open (issue 16): a new file with every message in custody,
 * the other file kept aside, seq going on, a crash between the renames
 * taken up at the next open (ajar_journal_item_events() has its own test,
 * test-journal-item-events.c). */
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "journal-test-util.h"

#define OTHER_ID "01JDX0000000000000000000AB"

static gint64
max_seq(GPtrArray *events)
{
    gint64 seq = 0;

    for (guint i = 0; i < events->len; i++) {
        const AjarEvent *event = g_ptr_array_index(events, i);
        g_assert_cmpint(event->seq, >, seq); /* strictly increasing */
        seq = event->seq;
    }
    return seq;
}

/* The renewal's note: the one "started anew" error event, which ends the
 * new file's own lines (before @n_after lines appended since). */
static const AjarEvent *
renewal_note_event(GPtrArray *events, guint n_after)
{
    const AjarEvent *note = NULL;

    for (guint i = 0; i < events->len; i++) {
        const AjarEvent *event = g_ptr_array_index(events, i);
        if (event->type == AJAR_EVENT_FAULT &&
            g_str_has_prefix(event->message, AJAR_JOURNAL_RENEWED_PREFIX)) {
            g_assert_null(note);
            g_assert_cmpuint(i, ==, events->len - 1 - n_after);
            note = event;
        }
    }
    g_assert_nonnull(note);
    return note;
}

static guint
count_text(GPtrArray *events, const char *text)
{
    guint count = 0;

    for (guint i = 0; i < events->len; i++) {
        const AjarEvent *event = g_ptr_array_index(events, i);
        if (ajar_event_type_is_custody(event->type) && g_strcmp0(event->text, text) == 0)
            count++;
    }
    return count;
}

static char *
append_text(AjarJournal *journal, AjarEventType type, AjarDirection dir, const char *text,
            gint64 ts)
{
    g_autoptr(AjarEvent) event = test_custody_event(type, NULL, dir, text, ts);

    append_ok(journal, event);
    return g_strdup(event->id);
}

static void
append_outcome(AjarJournal *journal, AjarEventType type, const char *id, gint64 ts)
{
    g_autoptr(AjarEvent) event = test_outcome_event(type, id, ts);

    append_ok(journal, event);
}

/* The only file in @dir whose name starts with @prefix. Transfer full. */
static char *
only_file_starting(const char *dir, const char *prefix)
{
    GDir *listing = g_dir_open(dir, 0, NULL);
    const char *name;
    char *found = NULL;

    g_assert_nonnull(listing);
    while ((name = g_dir_read_name(listing)) != NULL) {
        if (g_str_has_prefix(name, prefix)) {
            g_assert_null(found);
            found = g_build_filename(dir, name, NULL);
        }
    }
    g_dir_close(listing);
    g_assert_nonnull(found);
    return found;
}

/* ---- the file gone ---- */

/* Deleted: the next append starts a new file with a note, the messages
 * in custody, then its own line; seq goes on; a message released before
 * is not brought back. */
static void
test_deleted(Fixture *f, gconstpointer data)
{
    g_autoptr(GPtrArray) before = NULL;
    g_autoptr(GPtrArray) after = NULL;
    AjarJournalReport report;
    AjarJournal *journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    g_autofree char *released =
        append_text(journal, AJAR_EVENT_HELD, AJAR_DIRECTION_IN, "released before", TEST_T0);
    g_autofree char *kept = append_text(journal, AJAR_EVENT_QUEUED, AJAR_DIRECTION_OUT,
                                        "yours, cooling off", TEST_T0 + 1);
    g_autofree char *last = NULL;
    g_autofree char *note = NULL;
    gint64 last_seq;

    append_outcome(journal, AJAR_EVENT_RELEASED, released, TEST_T0 + 2);
    before = read_all(f->path, &report);
    ajar_journal_report_clear(&report);
    last_seq = max_seq(before);
    g_assert_null(ajar_journal_take_renewal_note(journal));

    g_assert_cmpint(g_unlink(f->path), ==, 0);
    last = append_text(journal, AJAR_EVENT_HELD, AJAR_DIRECTION_IN, "after", TEST_T0 + 3);
    note = ajar_journal_take_renewal_note(journal);
    g_assert_nonnull(note);
    g_assert_nonnull(strstr(note, "deleted or moved away"));
    g_assert_null(ajar_journal_take_renewal_note(journal)); /* once */

    after = read_all(f->path, &report);
    g_assert_cmpuint(report.malformed, ==, 0);
    ajar_journal_report_clear(&report);
    g_assert_cmpuint(after->len, ==, 3);
    g_assert_cmpstr(renewal_note_event(after, 1)->message, ==,
                    AJAR_JOURNAL_RENEWED_PREFIX " after the file in use was deleted; 1 messages in "
                                                "custody recorded again, 0 of them from that file; "
                                                "0 discarded in the last 30 days, still undoable");
    g_assert_cmpint(((AjarEvent *)g_ptr_array_index(after, 0))->seq, >, last_seq);
    max_seq(after);
    g_assert_cmpuint(count_text(after, "released before"), ==, 0);
    g_assert_cmpuint(count_text(after, "yours, cooling off"), ==, 1);
    g_assert_cmpuint(count_text(after, "after"), ==, 1);
    g_assert_cmpuint(test_file_mode(f->path), ==, 0600);
    ajar_journal_close(journal);

    /* Read again as at the next start: the same messages kept. */
    journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    g_assert_cmpuint(ajar_state_count_custody(ajar_journal_get_state(journal)), ==, 2);
    g_assert_nonnull(ajar_state_lookup(ajar_journal_get_state(journal), kept));
    g_assert_nonnull(ajar_state_lookup(ajar_journal_get_state(journal), last));
    g_assert_cmpint(ajar_state_lookup(ajar_journal_get_state(journal), kept)->due, ==,
                    TEST_T0 + 1 + 600 * G_USEC_PER_SEC);
    ajar_journal_close(journal);
}

/* Moved away: the moved file is left as it was. */
static void
test_moved(Fixture *f, gconstpointer data)
{
    g_autofree char *moved = g_strconcat(f->path, ".moved", NULL);
    AjarJournal *journal = open_ok(f->dir, AJAR_FLUSH_EVERY_EVENT);
    g_autofree char *moved_bytes = NULL;
    g_autofree char *still = NULL;
    g_autoptr(GPtrArray) after = NULL;
    AjarJournalReport report;
    gsize moved_len = 0, still_len = 0;

    g_free(append_text(journal, AJAR_EVENT_HELD, AJAR_DIRECTION_IN, "before", TEST_T0));
    g_assert_cmpint(g_rename(f->path, moved), ==, 0);
    g_assert_true(g_file_get_contents(moved, &moved_bytes, &moved_len, NULL));
    g_free(append_text(journal, AJAR_EVENT_HELD, AJAR_DIRECTION_IN, "after", TEST_T0 + 1));
    after = read_all(f->path, &report);
    ajar_journal_report_clear(&report);
    g_assert_true(g_str_has_prefix(renewal_note_event(after, 1)->message,
                                   AJAR_JOURNAL_RENEWED_PREFIX
                                   " after the file in use was moved away"));
    g_assert_cmpuint(count_text(after, "before"), ==, 1);
    g_assert_cmpuint(count_text(after, "after"), ==, 1);
    g_assert_true(g_file_get_contents(moved, &still, &still_len, NULL));
    g_assert_cmpmem(moved_bytes, moved_len, still, still_len);
    g_free(ajar_journal_take_renewal_note(journal));
    ajar_journal_close(journal);
}

/* Replaced by another journal (a backup restored): that file is kept
 * aside byte for byte; a message it holds that this journal never saw is
 * taken over; one this journal released since stays released. */
static void
test_replaced_by_journal(Fixture *f, gconstpointer data)
{
    g_autofree char *copy = g_strconcat(f->path, ".copy", NULL);
    g_autoptr(AjarEvent) foreign = NULL;
    g_autoptr(GString) backup = g_string_new(NULL);
    g_autoptr(GPtrArray) after = NULL;
    g_autofree char *aside = NULL;
    g_autofree char *aside_bytes = NULL;
    g_autofree char *note = NULL;
    g_autofree char *released = NULL;
    AjarJournalReport report;
    gsize aside_len = 0;
    AjarJournal *journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    char *contents = NULL;
    gsize len = 0;

    released = append_text(journal, AJAR_EVENT_HELD, AJAR_DIRECTION_IN, "released since", TEST_T0);
    g_free(append_text(journal, AJAR_EVENT_HELD, AJAR_DIRECTION_IN, "still held", TEST_T0 + 1));
    g_assert_true(g_file_get_contents(f->path, &contents, &len, NULL));
    g_string_append_len(backup, contents, len);
    g_free(contents);
    foreign = test_custody_event(AJAR_EVENT_HELD, OTHER_ID, AJAR_DIRECTION_IN, "only in the backup",
                                 TEST_T0 + 2);
    foreign->seq = 99;
    ajar_event_encode(foreign, backup);
    append_outcome(journal, AJAR_EVENT_RELEASED, released, TEST_T0 + 3);

    g_assert_true(g_file_set_contents(copy, backup->str, backup->len, NULL));
    g_assert_cmpint(g_rename(copy, f->path), ==, 0);
    g_free(append_text(journal, AJAR_EVENT_HELD, AJAR_DIRECTION_IN, "after", TEST_T0 + 4));
    note = ajar_journal_take_renewal_note(journal);
    aside = only_file_starting(f->dir, AJAR_JOURNAL_FILE ".replaced-");
    g_assert_nonnull(strstr(note, aside));
    g_assert_nonnull(strstr(note, "holds the 2 messages"));
    g_assert_true(g_file_get_contents(aside, &aside_bytes, &aside_len, NULL));
    g_assert_cmpmem(aside_bytes, aside_len, backup->str, backup->len);
    g_assert_cmpuint(test_file_mode(aside), ==, 0600);

    after = read_all(f->path, &report);
    ajar_journal_report_clear(&report);
    max_seq(after);
    g_assert_cmpuint(count_text(after, "released since"), ==, 0);
    g_assert_cmpuint(count_text(after, "still held"), ==, 1);
    g_assert_cmpuint(count_text(after, "only in the backup"), ==, 1);
    g_assert_cmpuint(count_text(after, "after"), ==, 1);
    /* The running state has it too, as the next start will. */
    g_assert_nonnull(ajar_state_lookup(ajar_journal_get_state(journal), OTHER_ID));
    g_assert_cmpint(ajar_state_lookup(ajar_journal_get_state(journal), released)->state, ==,
                    AJAR_EVENT_RELEASED);
    ajar_journal_close(journal);
}

/* Replaced by bytes that are no journal: kept aside as they are. */
static void
test_replaced_by_garbage(Fixture *f, gconstpointer data)
{
    static const char garbage[] = "not a journal\n\x01\x02\xff{\"seq\":";
    g_autofree char *aside = NULL;
    g_autofree char *aside_bytes = NULL;
    g_autoptr(GPtrArray) after = NULL;
    AjarJournalReport report;
    gsize aside_len = 0;
    AjarJournal *journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);

    g_free(append_text(journal, AJAR_EVENT_ARCHIVED, AJAR_DIRECTION_IN, "before", TEST_T0));
    g_assert_cmpint(g_unlink(f->path), ==, 0);
    g_assert_true(g_file_set_contents(f->path, garbage, sizeof garbage - 1, NULL));
    g_free(append_text(journal, AJAR_EVENT_HELD, AJAR_DIRECTION_IN, "after", TEST_T0 + 1));
    aside = only_file_starting(f->dir, AJAR_JOURNAL_FILE ".replaced-");
    g_assert_true(g_file_get_contents(aside, &aside_bytes, &aside_len, NULL));
    g_assert_cmpmem(aside_bytes, aside_len, garbage, sizeof garbage - 1);
    after = read_all(f->path, &report);
    g_assert_cmpuint(report.malformed, ==, 0);
    ajar_journal_report_clear(&report);
    g_assert_cmpuint(count_text(after, "before"), ==, 1);
    g_assert_cmpuint(count_text(after, "after"), ==, 1);
    g_free(ajar_journal_take_renewal_note(journal));
    ajar_journal_close(journal);
}

/* Another program writes the file now in place (holds its lock): Ajar
 * leaves it alone and writes nothing; once it is free, Ajar renews. */
static void
test_replaced_by_busy(Fixture *f, gconstpointer data)
{
    g_autoptr(AjarEvent) event = NULL;
    g_autoptr(GError) error = NULL;
    AjarJournal *journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    int other;

    g_free(append_text(journal, AJAR_EVENT_HELD, AJAR_DIRECTION_IN, "before", TEST_T0));
    g_assert_cmpint(g_unlink(f->path), ==, 0);
    other = open(f->path, O_RDWR | O_CREAT, 0600);
    g_assert_cmpint(other, >=, 0);
    g_assert_cmpint(flock(other, LOCK_EX | LOCK_NB), ==, 0);

    event = test_custody_event(AJAR_EVENT_HELD, NULL, AJAR_DIRECTION_IN, "refused", TEST_T0 + 1);
    g_assert_false(ajar_journal_append(journal, event, &error));
    g_assert_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_BUSY);
    g_assert_cmpint(file_size(f->path), ==, 0);
    g_assert_null(ajar_journal_take_renewal_note(journal));

    close(other);
    g_free(append_text(journal, AJAR_EVENT_HELD, AJAR_DIRECTION_IN, "after", TEST_T0 + 2));
    g_free(ajar_journal_take_renewal_note(journal));
    g_assert_cmpuint(ajar_state_count_custody(ajar_journal_get_state(journal)), ==, 2);
    ajar_journal_close(journal);
}

/* Renewed twice: each time a note, seq on, nothing doubled. */
static void
test_twice(Fixture *f, gconstpointer data)
{
    g_autoptr(GPtrArray) after = NULL;
    AjarJournalReport report;
    AjarJournal *journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);

    g_free(append_text(journal, AJAR_EVENT_HELD, AJAR_DIRECTION_IN, "first", TEST_T0));
    for (int i = 0; i < 2; i++) {
        g_autofree char *text = g_strdup_printf("after deletion %d", i);
        g_autofree char *note = NULL;
        g_assert_cmpint(g_unlink(f->path), ==, 0);
        g_free(append_text(journal, AJAR_EVENT_HELD, AJAR_DIRECTION_IN, text, TEST_T0 + 1 + i));
        note = ajar_journal_take_renewal_note(journal);
        g_assert_nonnull(note);
    }
    after = read_all(f->path, &report);
    ajar_journal_report_clear(&report);
    max_seq(after);
    g_assert_cmpuint(count_text(after, "first"), ==, 1);
    g_assert_cmpuint(count_text(after, "after deletion 0"), ==, 1);
    g_assert_cmpuint(count_text(after, "after deletion 1"), ==, 1);
    g_assert_cmpuint(ajar_state_count_custody(ajar_journal_get_state(journal)), ==, 3);
    ajar_journal_close(journal);
}

/* A backup copied over the journal in place (same file, other bytes):
 * noticed by its size; the copy kept aside, Ajar's word stands. */
static void
test_overwritten_in_place(Fixture *f, gconstpointer data)
{
    g_autofree char *backup = NULL;
    g_autofree char *aside = NULL;
    g_autofree char *aside_bytes = NULL;
    g_autofree char *released = NULL;
    g_autoptr(GPtrArray) after = NULL;
    AjarJournalReport report;
    gsize backup_len = 0, aside_len = 0;
    AjarJournal *journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    FILE *out;

    released = append_text(journal, AJAR_EVENT_HELD, AJAR_DIRECTION_IN, "released since", TEST_T0);
    g_assert_true(g_file_get_contents(f->path, &backup, &backup_len, NULL));
    append_outcome(journal, AJAR_EVENT_RELEASED, released, TEST_T0 + 1);
    g_free(append_text(journal, AJAR_EVENT_HELD, AJAR_DIRECTION_IN, "held since", TEST_T0 + 2));

    /* As cp does: the same file, truncated and written. */
    out = fopen(f->path, "w");
    g_assert_nonnull(out);
    g_assert_cmpuint(fwrite(backup, 1, backup_len, out), ==, backup_len);
    fclose(out);

    g_free(append_text(journal, AJAR_EVENT_HELD, AJAR_DIRECTION_IN, "after", TEST_T0 + 3));
    g_free(ajar_journal_take_renewal_note(journal));
    aside = only_file_starting(f->dir, AJAR_JOURNAL_FILE ".replaced-");
    g_assert_true(g_file_get_contents(aside, &aside_bytes, &aside_len, NULL));
    g_assert_cmpmem(aside_bytes, aside_len, backup, backup_len);
    after = read_all(f->path, &report);
    ajar_journal_report_clear(&report);
    g_assert_true(g_str_has_prefix(renewal_note_event(after, 1)->message,
                                   AJAR_JOURNAL_RENEWED_PREFIX
                                   " after the file in use was overwritten (kept as "));
    g_assert_cmpuint(count_text(after, "released since"), ==, 0);
    g_assert_cmpuint(count_text(after, "held since"), ==, 1);
    g_assert_cmpuint(count_text(after, "after"), ==, 1);
    ajar_journal_close(journal);

    /* Truncated to nothing (a clean-up tool): noticed too. */
    journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    g_assert_cmpint(truncate(f->path, 0), ==, 0);
    g_free(
        append_text(journal, AJAR_EVENT_HELD, AJAR_DIRECTION_IN, "after truncation", TEST_T0 + 4));
    g_free(ajar_journal_take_renewal_note(journal));
    g_assert_cmpuint(ajar_state_count_custody(ajar_journal_get_state(journal)), ==, 3);
    ajar_journal_close(journal);
    journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    g_assert_cmpuint(ajar_state_count_custody(ajar_journal_get_state(journal)), ==, 3);
    ajar_journal_close(journal);
}

/* A message discarded lately stays undoable in the new file; one
 * discarded long ago is history and stays behind. */
static void
test_discarded(Fixture *f, gconstpointer data)
{
    gint64 now = g_get_real_time();
    gint64 long_ago = now - (gint64)(AJAR_RECENTLY_DISCARDED_DAYS + 1) * 24 * 3600 * G_USEC_PER_SEC;
    AjarJournal *journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    g_autofree char *old =
        append_text(journal, AJAR_EVENT_HELD, AJAR_DIRECTION_IN, "old", long_ago);
    g_autofree char *recent =
        append_text(journal, AJAR_EVENT_HELD, AJAR_DIRECTION_IN, "recent", now - 10);
    g_autoptr(GPtrArray) after = NULL;
    AjarJournalReport report;

    append_outcome(journal, AJAR_EVENT_DISCARDED, old, long_ago + 1);
    append_outcome(journal, AJAR_EVENT_DISCARDED, recent, now - 5);
    g_assert_cmpint(g_unlink(f->path), ==, 0);
    g_free(append_text(journal, AJAR_EVENT_HELD, AJAR_DIRECTION_IN, "after", now));
    g_free(ajar_journal_take_renewal_note(journal));
    ajar_journal_close(journal);

    after = read_all(f->path, &report);
    ajar_journal_report_clear(&report);
    g_assert_cmpuint(count_text(after, "old"), ==, 0);
    g_assert_cmpuint(count_text(after, "recent"), ==, 1);
    g_assert_nonnull(strstr(renewal_note_event(after, 1)->message,
                            "; 1 discarded in the last 30 days, still undoable"));
    journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    g_assert_cmpint(ajar_state_lookup(ajar_journal_get_state(journal), recent)->state, ==,
                    AJAR_EVENT_DISCARDED);
    ajar_journal_close(journal);
}

/* A crash cut the old file's last line after its "}" (a valid event
 * without its newline): the renewal carries that event over. */
static void
test_unended_tail(Fixture *f, gconstpointer data)
{
    g_autoptr(AjarEvent) cut = test_custody_event(AJAR_EVENT_HELD, OTHER_ID, AJAR_DIRECTION_IN,
                                                  "in the cut line", TEST_T0);
    g_autoptr(GString) line = g_string_new(NULL);
    g_autoptr(GPtrArray) after = NULL;
    AjarJournalReport report;
    AjarJournal *journal;

    cut->seq = 1;
    ajar_event_encode(cut, line);
    append_raw(f->path, line->str, line->len - 1); /* no "\n" */
    journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    g_assert_null(ajar_state_lookup(ajar_journal_get_state(journal), OTHER_ID));
    g_assert_cmpint(g_unlink(f->path), ==, 0);
    g_free(append_text(journal, AJAR_EVENT_HELD, AJAR_DIRECTION_IN, "after", TEST_T0 + 1));
    g_free(ajar_journal_take_renewal_note(journal));
    g_assert_nonnull(ajar_state_lookup(ajar_journal_get_state(journal), OTHER_ID));
    ajar_journal_close(journal);
    after = read_all(f->path, &report);
    g_assert_cmpuint(report.malformed, ==, 0);
    ajar_journal_report_clear(&report);
    g_assert_cmpuint(count_text(after, "in the cut line"), ==, 1);
    max_seq(after);
}

/* ---- a crash between the renames ---- */

static void
write_renew_file(const char *path, const char *text)
{
    g_autofree char *temp = g_strconcat(path, AJAR_JOURNAL_RENEW_SUFFIX, NULL);
    g_autoptr(AjarEvent) event =
        test_custody_event(AJAR_EVENT_HELD, OTHER_ID, AJAR_DIRECTION_IN, text, TEST_T0);
    g_autoptr(GString) line = g_string_new(NULL);

    event->seq = 7;
    ajar_event_encode(event, line);
    g_assert_true(g_file_set_contents(temp, line->str, line->len, NULL));
}

/* No journal.jsonl, a journal.jsonl.renew: that is the journal. */
static void
test_take_up_renew(Fixture *f, gconstpointer data)
{
    g_autofree char *temp = g_strconcat(f->path, AJAR_JOURNAL_RENEW_SUFFIX, NULL);
    AjarJournal *journal;

    write_renew_file(f->path, "only in the new file");
    journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    g_assert_nonnull(ajar_state_lookup(ajar_journal_get_state(journal), OTHER_ID));
    g_assert_false(g_file_test(temp, G_FILE_TEST_EXISTS));
    g_free(append_text(journal, AJAR_EVENT_HELD, AJAR_DIRECTION_IN, "next", TEST_T0 + 1));
    g_assert_cmpint(ajar_state_get_last_seq(ajar_journal_get_state(journal)), ==, 8);
    ajar_journal_close(journal);
}

/* Both there, the new file whole (it ends with the note): a crash came
 * before its renames; they are finished, the other file kept aside. */
static void
test_take_up_whole(Fixture *f, gconstpointer data)
{
    g_autofree char *temp = g_strconcat(f->path, AJAR_JOURNAL_RENEW_SUFFIX, NULL);
    g_autofree char *aside = NULL;
    g_autoptr(AjarEvent) held =
        test_custody_event(AJAR_EVENT_HELD, OTHER_ID, AJAR_DIRECTION_IN, "kept", TEST_T0);
    g_autoptr(AjarEvent) note = ajar_event_new(AJAR_EVENT_FAULT);
    g_autoptr(GString) lines = g_string_new(NULL);
    AjarJournal *journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);

    append_held(journal, 1);
    ajar_journal_close(journal);
    held->seq = 7;
    ajar_event_encode(held, lines);
    note->seq = 8;
    note->ts = TEST_T0;
    note->message = g_strdup(AJAR_JOURNAL_RENEWED_PREFIX " after another file took its place");
    ajar_event_encode(note, lines);
    g_assert_true(g_file_set_contents(temp, lines->str, lines->len, NULL));

    journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    g_assert_nonnull(ajar_state_lookup(ajar_journal_get_state(journal), OTHER_ID));
    g_assert_cmpuint(ajar_state_count_custody(ajar_journal_get_state(journal)), ==, 1);
    g_assert_false(g_file_test(temp, G_FILE_TEST_EXISTS));
    aside = only_file_starting(f->dir, AJAR_JOURNAL_FILE ".replaced-");
    g_assert_true(g_file_test(aside, G_FILE_TEST_IS_REGULAR));
    ajar_journal_close(journal);
}

/* Both there, the new file cut short (no note at its end): journal.jsonl
 * is used, the other kept aside, not lost. */
static void
test_take_up_renew_both(Fixture *f, gconstpointer data)
{
    g_autofree char *temp = g_strconcat(f->path, AJAR_JOURNAL_RENEW_SUFFIX, NULL);
    g_autofree char *aside = NULL;
    AjarJournal *journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);

    append_held(journal, 1);
    ajar_journal_close(journal);
    write_renew_file(f->path, "an unfinished renewal");
    journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    g_assert_null(ajar_state_lookup(ajar_journal_get_state(journal), OTHER_ID));
    g_assert_cmpuint(ajar_state_count_custody(ajar_journal_get_state(journal)), ==, 1);
    g_assert_false(g_file_test(temp, G_FILE_TEST_EXISTS));
    aside = only_file_starting(f->dir, AJAR_JOURNAL_FILE AJAR_JOURNAL_RENEW_SUFFIX ".replaced-");
    g_assert_true(g_file_test(aside, G_FILE_TEST_IS_REGULAR));
    ajar_journal_close(journal);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
#define ADD(path, func) g_test_add(path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
    ADD("/journal/renew/deleted", test_deleted);
    ADD("/journal/renew/moved", test_moved);
    ADD("/journal/renew/replaced-by-journal", test_replaced_by_journal);
    ADD("/journal/renew/replaced-by-garbage", test_replaced_by_garbage);
    ADD("/journal/renew/replaced-by-busy", test_replaced_by_busy);
    ADD("/journal/renew/twice", test_twice);
    ADD("/journal/renew/overwritten-in-place", test_overwritten_in_place);
    ADD("/journal/renew/discarded", test_discarded);
    ADD("/journal/renew/unended-tail", test_unended_tail);
    ADD("/journal/renew/take-up-whole", test_take_up_whole);
    ADD("/journal/renew/take-up", test_take_up_renew);
    ADD("/journal/renew/take-up-both", test_take_up_renew_both);
#undef ADD
    return g_test_run();
}
