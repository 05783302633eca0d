/* test-faults-journal.c — journal.jsonl deleted, moved or replaced while
 * Ajar runs in a real (headless) libpurple with the built ajar.so (issue 16,
 * "the journal replaced under it"): a clean-up tool, a sync client, a backup
 * restored. Each case: what Ajar kept before is still kept, the next message
 * of theirs is held (not shown), yours still cools off, the user is told once
 * in one sentence, the other file is kept aside byte for byte, and all of it
 * is there after a restart. Before issue 16 the next message was shown with
 * an error ("restart Ajar to use the file there now") and nothing kept
 * before the deletion survived a restart. */
#include "faults-util.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#define JOURNAL_PART "/ajar/" AJAR_JOURNAL_FILE

#define GONE_NOTE(n)                                                                  \
    "Ajar's journal was deleted or moved away while Ajar was running; a new journal " \
    "holds the " #n " messages Ajar keeps, so nothing is lost."

/* The texts of the messages in custody in journal.jsonl. */
static GPtrArray *
custody_texts(void)
{
    g_autoptr(AjarState) state = ajar_test_read_state();
    g_autoptr(GPtrArray) items = ajar_state_list_custody(state);
    GPtrArray *texts = g_ptr_array_new_with_free_func(g_free);

    /* (Read back from the journal: a state keeps no texts.) */
    for (guint i = 0; i < items->len; i++)
        g_ptr_array_add(texts, ajar_test_item_text(g_ptr_array_index(items, i)));
    return texts;
}

static gboolean
has_text(GPtrArray *texts, const char *text)
{
    for (guint i = 0; i < texts->len; i++)
        if (g_strcmp0(g_ptr_array_index(texts, i), text) == 0)
            return TRUE;
    return FALSE;
}

/* Seq increases along the file, from after @after_seq; one line notes the
 * renewal, after the messages recorded again and before @n_after new ones. */
static void
assert_renewed_file(gint64 after_seq, const char *how, guint n_after)
{
    g_autoptr(GPtrArray) events = ajar_test_read_journal();
    g_autofree char *prefix = g_strconcat(AJAR_JOURNAL_RENEWED_PREFIX, " ", how, NULL);
    guint notes = 0;
    gint64 seq = after_seq;

    g_assert_cmpuint(events->len, >, n_after);
    for (guint i = 0; i < events->len; i++) {
        const AjarEvent *event = g_ptr_array_index(events, i);
        g_assert_cmpint(event->seq, >, seq);
        seq = event->seq;
        if (event->type == AJAR_EVENT_FAULT &&
            g_str_has_prefix(event->message, AJAR_JOURNAL_RENEWED_PREFIX)) {
            g_assert_true(g_str_has_prefix(event->message, prefix));
            g_assert_cmpuint(i, ==, events->len - 1 - n_after);
            notes++;
        }
    }
    g_assert_cmpuint(notes, ==, 1);
}

/* Theirs held and yours cooling off, then the journal taken away by
 * @take_away; then theirs again, held; the user told once (@note). */
static void
run_gone(void (*take_away)(const char *path), const char *how, const char *note)
{
    PurpleAccount *account = faults_fresh(faults_rules);
    g_autofree char *path = ajar_test_path(AJAR_JOURNAL_FILE);
    g_autoptr(GPtrArray) notices = NULL;
    g_autoptr(GPtrArray) texts = NULL;
    gint64 last_seq;

    faults_receive_held(account, "kept before");
    test_client_open_im(account, SAM);
    test_client_send(account, SAM, "yours, cooling off");
    g_assert_cmpuint(faults_kept_with_text("yours, cooling off"), ==, 1);
    last_seq = ajar_test_last_seq();
    ajar_test_drain();

    take_away(path);
    test_client_receive(account, SAM, "sent after", 0, time(NULL));
    g_assert_cmpuint(faults_received_with_text("sent after"), ==, 0);
    g_assert_cmpuint(faults_error_notices(&notices), ==, 1);
    g_assert_true(faults_notice_says(notices, note, NULL));
    assert_renewed_file(last_seq, how, 1);
    texts = custody_texts();
    g_assert_cmpuint(texts->len, ==, 3);
    g_assert_true(has_text(texts, "kept before"));
    g_assert_true(has_text(texts, "yours, cooling off"));
    g_assert_true(has_text(texts, "sent after"));

    /* The next one goes in the same new file: no second note. */
    faults_receive_held(account, "and the next");
    g_assert_cmpuint(faults_error_notices(NULL), ==, 0);

    /* A restart reads it all back; nothing is shown or sent. */
    faults_reload();
    g_ptr_array_unref(texts);
    texts = custody_texts();
    g_assert_cmpuint(texts->len, ==, 4);
    g_assert_cmpuint(faults_error_notices(NULL), ==, 0);
    g_assert_cmpuint(faults_received_with_text("kept before"), ==, 0);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
}

static void
delete_journal(const char *path)
{
    g_assert_cmpint(g_unlink(path), ==, 0);
}

static void
move_journal(const char *path)
{
    g_autofree char *moved = g_strconcat(path, ".moved", NULL);

    g_assert_cmpint(g_rename(path, moved), ==, 0);
}

static void
test_deleted(void)
{
    run_gone(delete_journal, "after the file in use was deleted", GONE_NOTE(2));
}

static void
test_moved(void)
{
    run_gone(move_journal, "after the file in use was moved away", GONE_NOTE(2));
}

/* The only file in Ajar's folder whose name starts with @prefix. */
static char *
aside_file(const char *prefix)
{
    g_autofree char *dir = ajar_test_dir();
    GDir *listing = g_dir_open(dir, 0, NULL);
    const char *name;
    char *found = NULL;

    g_assert_nonnull(listing);
    while ((name = g_dir_read_name(listing)) != NULL)
        if (g_str_has_prefix(name, prefix)) {
            g_assert_null(found);
            found = g_build_filename(dir, name, NULL);
        }
    g_dir_close(listing);
    g_assert_nonnull(found);
    return found;
}

static void
assert_file_bytes(const char *path, GBytes *expected)
{
    g_autofree char *data = NULL;
    gsize len = 0;

    g_assert_true(g_file_get_contents(path, &data, &len, NULL));
    g_assert_cmpmem(data, len, g_bytes_get_data(expected, NULL), g_bytes_get_size(expected));
}

/* A backup of the folder is restored over it while Ajar runs: the backup's
 * journal still holds a message released since, and one from another
 * machine Ajar never saw. Expected: the released one stays released (not
 * held again, not shown again), the unknown one is taken over, the backup
 * file is kept aside as it was, the user is told where. */
static void
run_backup(gboolean in_place)
{
    PurpleAccount *account = faults_fresh(faults_rules);
    g_autofree char *path = ajar_test_path(AJAR_JOURNAL_FILE);
    g_autofree char *copy = g_strconcat(path, ".copy", NULL);
    g_autofree char *aside = NULL;
    g_autofree char *release = NULL;
    g_autofree char *expected_note = NULL;
    g_autoptr(AjarEvent) foreign = NULL;
    g_autoptr(GBytes) old_bytes = NULL;
    g_autoptr(GBytes) backup_bytes = NULL;
    g_autoptr(GString) backup = g_string_new(NULL);
    g_autoptr(GPtrArray) notices = NULL;
    g_autoptr(GPtrArray) texts = NULL;
    g_autoptr(AjarState) state = NULL;
    g_autoptr(GPtrArray) items = NULL;

    faults_receive_held(account, "released since");
    faults_receive_held(account, "still held");
    old_bytes = faults_journal_bytes();
    g_string_append_len(backup, g_bytes_get_data(old_bytes, NULL), g_bytes_get_size(old_bytes));
    foreign = ajar_event_new(AJAR_EVENT_HELD);
    foreign->seq = 1000;
    foreign->ts = foreign->time = g_get_real_time() / 1000 * 1000;
    foreign->id = g_strdup("01JDX0000000000000000000AB");
    foreign->has_dir = TRUE;
    foreign->dir = AJAR_DIRECTION_IN;
    foreign->account = g_strdup(ME);
    foreign->protocol = g_strdup(TEST_PRPL_ID);
    foreign->buddy = g_strdup(SAM);
    foreign->rule = g_strdup("Sam");
    foreign->text = g_strdup("held on another machine");
    foreign->text_len = strlen(foreign->text);
    ajar_event_encode(foreign, backup);
    backup_bytes = g_bytes_new(backup->str, backup->len);

    /* Released now, after the backup was made. */
    state = ajar_test_read_state();
    items = ajar_state_list_custody(state);
    for (guint i = 0; i < items->len; i++) {
        const AjarItem *item = g_ptr_array_index(items, i);
        g_autofree char *text = ajar_test_item_text(item); /* (read back: a state keeps none) */
        if (g_strcmp0(text, "released since") == 0)
            release = g_strdup_printf("ajar release %s", item->id);
    }
    g_assert_nonnull(release);
    test_client_open_im(account, SAM);
    g_assert_cmpint(test_client_command(account, SAM, release), ==, PURPLE_CMD_STATUS_OK);
    g_assert_cmpuint(faults_received_with_text("released since"), ==, 1);
    ajar_test_drain();

    if (in_place) {
        /* As cp does: the same file, truncated and written. */
        FILE *out = fopen(path, "w");
        g_assert_nonnull(out);
        g_assert_cmpuint(fwrite(backup->str, 1, backup->len, out), ==, backup->len);
        fclose(out);
    } else {
        g_assert_true(g_file_set_contents(copy, backup->str, backup->len, NULL));
        g_assert_cmpint(g_rename(copy, path), ==, 0);
    }
    test_client_receive(account, SAM, "sent after the restore", 0, time(NULL));
    g_assert_cmpuint(faults_received_with_text("sent after the restore"), ==, 0);

    aside = aside_file(AJAR_JOURNAL_FILE ".replaced-");
    assert_file_bytes(aside, backup_bytes);
    expected_note = g_strdup_printf(
        "Ajar's journal was replaced by another file while Ajar was running; that file is kept "
        "as %s, and a new journal holds the 2 messages Ajar keeps.",
        aside);
    g_assert_cmpuint(faults_error_notices(&notices), ==, 1);
    g_assert_true(faults_notice_says(notices, expected_note, NULL));

    texts = custody_texts();
    g_assert_cmpuint(texts->len, ==, 3);
    g_assert_true(has_text(texts, "still held"));
    g_assert_true(has_text(texts, "held on another machine"));
    g_assert_true(has_text(texts, "sent after the restore"));
    g_assert_cmpuint(faults_kept_with_text("released since"), ==, 0);

    /* After a restart, "release all" shows each kept one once, and the
     * one released before the restore not again. */
    faults_reload();
    g_assert_cmpint(test_client_command(account, SAM, "ajar release all"), ==,
                    PURPLE_CMD_STATUS_OK);
    g_assert_cmpuint(faults_received_with_text("released since"), ==, 0);
    g_ptr_array_unref(texts);
    texts = custody_texts();
    g_assert_cmpuint(texts->len, ==, 0);
    g_assert_cmpuint(faults_error_notices(NULL), ==, 0);
}

static void
test_replaced_by_backup(void)
{
    run_backup(FALSE);
}

/* The same backup copied over the journal in place (cp: the same file,
 * other bytes): noticed by its size, handled alike. */
static void
test_overwritten_by_backup(void)
{
    run_backup(TRUE);
}

/* Garbage in its place (a broken sync): kept aside as it is; Ajar goes on
 * with a new journal. */
static void
test_replaced_by_garbage(void)
{
    static const char garbage[] = "\x89PNG\r\n\x1a\n not a journal at all\n{\"seq\": oops";
    PurpleAccount *account = faults_fresh(faults_rules);
    g_autofree char *path = ajar_test_path(AJAR_JOURNAL_FILE);
    g_autofree char *aside = NULL;
    g_autoptr(GBytes) garbage_bytes = g_bytes_new_static(garbage, sizeof garbage - 1);
    g_autoptr(GPtrArray) notices = NULL;
    g_autoptr(GPtrArray) texts = NULL;
    gint64 last_seq;

    faults_receive_held(account, "kept before");
    last_seq = ajar_test_last_seq();
    g_assert_cmpint(g_unlink(path), ==, 0);
    g_assert_true(g_file_set_contents(path, garbage, sizeof garbage - 1, NULL));
    faults_receive_held(account, "sent after");
    assert_renewed_file(last_seq, "after another file took its place", 1);
    aside = aside_file(AJAR_JOURNAL_FILE ".replaced-");
    assert_file_bytes(aside, garbage_bytes);
    g_assert_cmpuint(faults_error_notices(&notices), ==, 1);
    texts = custody_texts();
    g_assert_cmpuint(texts->len, ==, 2);
    faults_reload();
    g_assert_cmpuint(faults_error_notices(NULL), ==, 0); /* the new file is whole */
}

/* The new journal cannot be written (disk full): their message is shown as
 * usual and the user told why, as for any failed write; when there is room
 * again, the next message renews the journal, with what was kept before. */
static void
test_renewal_disk_full(void)
{
    PurpleAccount *account = faults_fresh(faults_rules);
    g_autofree char *path = ajar_test_path(AJAR_JOURNAL_FILE);
    Fault full = { .ops = FAULT_WRITE,
                   .path_part = JOURNAL_PART,
                   .nth = 1,
                   .count = 0,
                   .error = ENOSPC,
                   .short_write = FALSE };
    g_autoptr(GPtrArray) notices = NULL;
    g_autoptr(GPtrArray) texts = NULL;

    faults_receive_held(account, "kept before");
    g_assert_cmpint(g_unlink(path), ==, 0);
    faults_arm(&full);
    faults_receive_shown(account, "while the disk was full", g_strerror(ENOSPC));
    g_assert_cmpuint(faults_disarm(), >=, 1);
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    {
        g_autofree char *temp = g_strconcat(path, AJAR_JOURNAL_RENEW_SUFFIX, NULL);
        g_assert_false(g_file_test(temp, G_FILE_TEST_EXISTS));
    }

    test_client_receive(account, SAM, "with room again", 0, time(NULL));
    g_assert_cmpuint(faults_received_with_text("with room again"), ==, 0);
    g_assert_cmpuint(faults_error_notices(&notices), ==, 1);
    g_assert_true(faults_notice_says(notices,
                                     "Ajar's journal was deleted or moved away while Ajar was "
                                     "running; a new journal holds the 1 message Ajar keeps, so "
                                     "nothing is lost.",
                                     NULL));
    texts = custody_texts();
    g_assert_cmpuint(texts->len, ==, 2);
    g_assert_true(has_text(texts, "kept before"));
    g_assert_true(has_text(texts, "with room again"));
}

/* Another program writes the file now in place (holds its lock): Ajar does
 * not touch it; their message is shown, the user told. */
static void
test_replaced_by_busy(void)
{
    PurpleAccount *account = faults_fresh(faults_rules);
    g_autofree char *path = ajar_test_path(AJAR_JOURNAL_FILE);
    g_autoptr(GBytes) empty = g_bytes_new_static("", 0);
    int other;

    faults_receive_held(account, "kept before");
    g_assert_cmpint(g_unlink(path), ==, 0);
    other = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    g_assert_cmpint(other, >=, 0);
    g_assert_cmpint(flock(other, LOCK_EX | LOCK_NB), ==, 0);
    faults_receive_shown(account, "while another program wrote", "another program is writing");
    assert_file_bytes(path, empty);
    close(other);
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    g_test_add_func("/reliability/journal/deleted", test_deleted);
    g_test_add_func("/reliability/journal/moved", test_moved);
    g_test_add_func("/reliability/journal/replaced-by-backup", test_replaced_by_backup);
    g_test_add_func("/reliability/journal/overwritten-by-backup", test_overwritten_by_backup);
    g_test_add_func("/reliability/journal/replaced-by-garbage", test_replaced_by_garbage);
    g_test_add_func("/reliability/journal/renewal-disk-full", test_renewal_disk_full);
    g_test_add_func("/reliability/journal/replaced-by-busy", test_replaced_by_busy);

    status = g_test_run();

    faults_disarm();
    ajar_test_unload();
    test_client_quit();
    test_client_cleanup();
    return status;
}
