/* test-faults-disk.c — the disk fails under Ajar: full, failing, read-only,
 * or its journal taken away while it runs.
 *
 * The custody rule (PRODUCT.md) is what every case checks: a custody event
 * is written before the message is withheld; if it cannot be written, their
 * message is shown normally, yours is kept in memory (not sent), and the
 * user is told exactly that. Nothing is dropped silently, nothing is shown
 * or kept twice, and the journal is never left with half a line.
 *
 * Faults come from fault-shim.so (LD_PRELOAD, see fault-shim.h): write(),
 * fdatasync(), ftruncate(), open() and rename() on Ajar's files fail on the
 * Nth call with ENOSPC, EIO or EROFS. tests/plugin/test-journal-failure.c
 * already covers a journal that cannot grow (EFBIG) and folders that cannot
 * be used at start; these are the other ways. */
#include "faults-util.h"

#include <errno.h>
#include <sys/wait.h>

#define JOURNAL_PART "/ajar/" AJAR_JOURNAL_FILE

/* The disk fills up in the middle of a line: write() takes half of it, then
 * fails with ENOSPC. Expected: the half is cut off again (the journal is
 * byte for byte what it was), their message is shown as usual and the user
 * told; with room again, the next one is held, and a restart reads a
 * journal without a damaged line. */
static void
test_disk_full_mid_line(void)
{
    PurpleAccount *account = faults_fresh(faults_rules);
    Fault full = { .ops = FAULT_WRITE,
                   .path_part = JOURNAL_PART,
                   .nth = 1,
                   .count = 1,
                   .error = ENOSPC,
                   .short_write = TRUE };
    g_autoptr(GBytes) before = NULL;
    g_autoptr(GBytes) after = NULL;

    faults_receive_held(account, "while there was room");
    before = faults_journal_bytes();
    faults_arm(&full);
    faults_receive_shown(account, "when the disk was full", g_strerror(ENOSPC));
    g_assert_cmpuint(faults_disarm(), ==, 1);
    after = faults_journal_bytes();
    g_assert_true(g_bytes_equal(before, after));

    faults_receive_held(account, "room again");
    faults_reload();
    g_assert_cmpuint(faults_kept_with_text("while there was room"), ==, 1);
    g_assert_cmpuint(faults_kept_with_text("room again"), ==, 1);
    g_assert_cmpuint(faults_error_notices(NULL), ==, 0); /* nothing damaged to report */
}

/* The Nth write fails (N = 1..6) while six messages arrive: exactly the Nth
 * is shown (and the user told), the other five are held, each once. */
static void
test_nth_write_fails(void)
{
    for (guint n = 1; n <= 6; n++) {
        PurpleAccount *account = faults_fresh(faults_rules);
        Fault eio = { .ops = FAULT_WRITE,
                      .path_part = JOURNAL_PART,
                      .nth = n,
                      .count = 1,
                      .error = EIO,
                      .short_write = FALSE };

        g_test_message("write %u of 6 fails with EIO", n);
        faults_arm(&eio);
        for (guint i = 1; i <= 6; i++) {
            g_autofree char *text = g_strdup_printf("message %u of 6", i);
            if (i == n)
                faults_receive_shown(account, text, g_strerror(EIO));
            else
                faults_receive_held(account, text);
        }
        g_assert_cmpuint(faults_disarm(), ==, 1);
        faults_reload();
        for (guint i = 1; i <= 6; i++) {
            g_autofree char *text = g_strdup_printf("message %u of 6", i);
            g_assert_cmpuint(faults_kept_with_text(text), ==, i == n ? 0 : 1);
        }
    }
}

/* Your message cannot be journaled (ENOSPC): it is not sent, not lost (kept
 * in memory and shown so it can be copied), the user is told; the next one
 * cools off as usual; /ajar send sends the kept one once. */
static void
test_disk_full_outgoing(void)
{
    PurpleAccount *account = faults_fresh(faults_rules);
    Fault full = { .ops = FAULT_WRITE,
                   .path_part = JOURNAL_PART,
                   .nth = 1,
                   .count = 1,
                   .error = ENOSPC,
                   .short_write = FALSE };
    g_autoptr(GPtrArray) notices = NULL;
    g_autoptr(GPtrArray) lines = NULL;
    g_autoptr(GPtrArray) sent = NULL;

    test_client_open_im(account, SAM);
    faults_arm(&full);
    test_client_send(account, SAM, "written on a full disk");
    g_assert_cmpuint(faults_disarm(), ==, 1);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    g_assert_cmpuint(faults_error_notices(&notices), ==, 1);
    g_assert_true(faults_notice_says(notices, FAULTS_OUT_KEPT_IN_MEMORY, g_strerror(ENOSPC)));
    lines = test_client_take_lines();
    g_assert_cmpuint(ajar_test_count_lines_with(lines, "It said: written on a full disk"), ==, 1);
    g_assert_cmpuint(faults_kept_with_text("written on a full disk"), ==, 0);

    test_client_send(account, SAM, "written with room again");
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    g_assert_cmpuint(faults_kept_with_text("written with room again"), ==, 1);

    /* "/ajar send" sends what is cooling off and what was kept in memory. */
    g_assert_cmpint(test_client_command(account, SAM, "ajar send"), ==, PURPLE_CMD_STATUS_OK);
    sent = test_client_take_sent();
    g_assert_cmpuint(sent->len, ==, 2);
    g_assert_cmpint(test_client_command(account, SAM, "ajar send"), ==, PURPLE_CMD_STATUS_OK);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
}

#define UNSAVED_BROKE_LINE                                                                \
    "The connection failed while your message was being sent, so it may or may not have " \
    "reached them; it stays kept."
#define NOTHING_WAITING "Ajar: nothing of yours is waiting."

/* Your message is kept in memory only (the disk was full), and its send by
 * /ajar send fails: the connection breaks as it goes (@broken), or the
 * protocol refuses it. The command says so in one line, never that nothing
 * is waiting; the message stays kept, marked as perhaps gone: a bare
 * /ajar send does not send it again but says so, /ajar send all does, once. */
static void
unsaved_send_fails(gboolean broken)
{
    PurpleAccount *account = faults_fresh(faults_rules);
    Fault full = { .ops = FAULT_WRITE,
                   .path_part = JOURNAL_PART,
                   .nth = 1,
                   .count = 1,
                   .error = ENOSPC,
                   .short_write = FALSE };
    g_autoptr(GPtrArray) lines = NULL;
    g_autoptr(GPtrArray) again = NULL;
    g_autoptr(GPtrArray) last = NULL;
    g_autoptr(GPtrArray) sent = NULL;

    test_client_open_im(account, SAM);
    faults_arm(&full);
    test_client_send(account, SAM, "unsaved, then the send failed");
    g_assert_cmpuint(faults_disarm(), ==, 1);
    g_assert_cmpuint(faults_error_notices(NULL), ==, 1);
    ajar_test_count_and_free(test_client_take_lines());

    if (broken)
        test_prpl_drop_connection_on_next_send();
    else
        test_prpl_set_send_result(-ENOTCONN);
    g_assert_cmpint(test_client_command(account, SAM, "ajar send"), ==, PURPLE_CMD_STATUS_FAILED);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 1); /* on the wire */
    lines = test_client_take_lines();
    g_assert_cmpuint(ajar_test_count_lines_with(lines, UNSAVED_BROKE_LINE), ==, 1);
    g_assert_cmpuint(ajar_test_count_lines_with(lines, NOTHING_WAITING), ==, 0);
    g_assert_cmpuint(ajar_test_count_lines_with(lines, "sent."), ==, 0);
    if (broken) {
        test_client_wait_disconnected(account);
        test_client_connect(account);
        test_client_iterate(100);
    }
    test_prpl_set_send_result(1);

    /* Not sent again unasked: said to be perhaps gone, and still kept. */
    g_assert_cmpint(test_client_command(account, SAM, "ajar send"), ==, PURPLE_CMD_STATUS_OK);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    again = test_client_take_lines();
    g_assert_cmpuint(ajar_test_count_lines_with(again, "Ajar: 1 unsaved message may already have "
                                                       "reached them"),
                     ==, 1);
    g_assert_cmpuint(ajar_test_count_lines_with(again, NOTHING_WAITING), ==, 0);

    /* "all" sends it again, once. */
    g_assert_cmpint(test_client_command(account, SAM, "ajar send all"), ==, PURPLE_CMD_STATUS_OK);
    sent = test_client_take_sent();
    g_assert_cmpuint(sent->len, ==, 1);
    g_assert_cmpstr(((TestSent *)g_ptr_array_index(sent, 0))->message, ==,
                    "unsaved, then the send failed");
    g_assert_cmpint(test_client_command(account, SAM, "ajar send all"), ==, PURPLE_CMD_STATUS_OK);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    last = test_client_take_lines();
    g_assert_cmpuint(ajar_test_count_lines_with(last, "Ajar: 1 unsaved message sent."), ==, 1);
    g_assert_cmpuint(ajar_test_count_lines_with(last, NOTHING_WAITING), ==, 1);
    test_prpl_clear();
}

static void
test_unsaved_send_breaks(void)
{
    unsaved_send_fails(TRUE);
}

static void
test_unsaved_send_refused(void)
{
    unsaved_send_fails(FALSE);
}

/* The journal's background fdatasync fails (EIO): the line was written but
 * may not be on the disk. Expected: the message stays held (it is in the
 * journal), and the user is told, within a few seconds and without having
 * to wait for another message, that Ajar could not make sure its journal
 * reached the disk; told once, not once per message. */
static void
test_sync_fails(void)
{
    PurpleAccount *account = faults_fresh(faults_rules);
    Fault eio = { .ops = FAULT_FDATASYNC,
                  .path_part = JOURNAL_PART,
                  .nth = 1,
                  .count = 0,
                  .error = EIO,
                  .short_write = FALSE };
    g_autoptr(GPtrArray) notices = NULL;
    guint told = 0;

    faults_arm(&eio);
    faults_receive_held(account, "synced badly");
    for (guint i = 0; i < 30 && told == 0; i++) {
        ajar_test_run_for(100);
        told = faults_error_notices(&notices);
        if (told == 0)
            g_clear_pointer(&notices, g_ptr_array_unref);
    }
    g_assert_cmpuint(told, ==, 1);
    g_assert_true(faults_notice_says(
        notices, "Ajar could not make sure its journal reached the disk.", g_strerror(EIO)));
    /* More messages, the disk still failing: held, and not one box each. */
    faults_receive_held(account, "synced badly again");
    ajar_test_run_for(1500);
    faults_receive_held(account, "and again");
    g_assert_cmpuint(faults_error_notices(NULL), ==, 0);
    g_assert_cmpuint(faults_disarm(), >=, 1);
}

/* "sending" is synced before your message goes. When that sync fails (the
 * line was written, only its way to the disk is in doubt), the message
 * goes as asked, and the user is told that the journal may not be on
 * disk: once for the two messages "/ajar send" sends. */
static void
test_sending_sync_fails(void)
{
    PurpleAccount *account = faults_fresh(faults_rules);
    Fault eio = { .ops = FAULT_FDATASYNC,
                  .path_part = JOURNAL_PART,
                  .nth = 1,
                  .count = 0,
                  .error = EIO,
                  .short_write = FALSE };
    g_autoptr(GPtrArray) notices = NULL;
    g_autoptr(GPtrArray) sent = NULL;

    test_client_send(account, SAM, "first, cooling off");
    test_client_send(account, SAM, "second, cooling off");
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    ajar_test_run_for(300); /* the background sync of the queued lines, before the fault */
    ajar_test_drain();
    faults_arm(&eio);
    g_assert_cmpint(test_client_command(account, SAM, "ajar send"), ==, PURPLE_CMD_STATUS_OK);
    sent = test_client_take_sent();
    g_assert_cmpuint(sent->len, ==, 2);
    g_assert_cmpuint(faults_error_notices(&notices), ==, 1);
    g_assert_true(faults_notice_says(
        notices, "Ajar could not make sure its journal reached the disk.", g_strerror(EIO)));
    g_assert_cmpuint(faults_disarm(), >=, 2);
    g_assert_cmpuint(ajar_test_count_since(0, AJAR_EVENT_SENDING), >=, 2);
}

/* A write fails halfway and cutting the half off fails too (ftruncate EIO):
 * the journal now ends in half a line Ajar cannot remove. Expected: that
 * message is shown; so is every later one (the journal refuses writes until
 * it is opened again), each time the user is told; after a restart the half
 * line is skipped and repaired, nothing is damaged, and holding works. */
static void
test_cannot_undo(void)
{
    PurpleAccount *account = faults_fresh(faults_rules);
    /* The first write takes half, the second fails, and so does the first
     * ftruncate() that would cut the half off. */
    Fault stuck = { .ops = FAULT_WRITE | FAULT_FTRUNCATE,
                    .path_part = JOURNAL_PART,
                    .nth = 1,
                    .count = 1,
                    .error = ENOSPC,
                    .short_write = TRUE };
    g_autoptr(GPtrArray) events = NULL;
    guint malformed = 0;
    gboolean repaired = FALSE;

    faults_receive_held(account, "before the trouble");
    faults_arm(&stuck);
    faults_receive_shown(account, "cut in half", g_strerror(ENOSPC));
    g_assert_cmpuint(faults_disarm(), ==, 2);
    /* The disk is fine again, but this journal cannot be trusted to end
     * where Ajar thinks: shown, and told, until it is opened again. */
    faults_receive_shown(account, "after the cut", NULL);

    /* A restart skips the half line (a cut last line is not damage)... */
    faults_reload();
    g_assert_cmpuint(faults_error_notices(NULL), ==, 0);
    g_assert_cmpuint(faults_kept_with_text("before the trouble"), ==, 1);
    g_assert_cmpuint(faults_kept_with_text("cut in half"), ==, 0);
    g_assert_cmpuint(faults_kept_with_text("after the cut"), ==, 0);
    /* ...and the next event ends it and notes the repair (FORMATS.md),
     * after which it is one damaged line readers report and skip. */
    test_client_receive(account, SAM, "after the restart", 0, time(NULL));
    g_assert_cmpuint(faults_received_with_text("after the restart"), ==, 0);
    events = ajar_test_read_journal_damaged(&malformed);
    g_assert_cmpuint(malformed, ==, 1);
    for (guint i = 0; i < events->len; i++) {
        const AjarEvent *event = g_ptr_array_index(events, i);
        if (event->type == AJAR_EVENT_FAULT &&
            g_str_has_prefix(event->message, AJAR_JOURNAL_FILE ": repaired"))
            repaired = TRUE;
        if (event->type == AJAR_EVENT_HELD)
            g_test_message("held: %s", event->text);
    }
    g_assert_true(repaired);
    g_assert_cmpstr(((AjarEvent *)g_ptr_array_index(events, events->len - 1))->text, ==,
                    "after the restart");

    /* A line Ajar cut and repaired itself held nothing that was withheld:
     * it is not "damage" to announce at every start. A line damaged by
     * anything else still is. */
    faults_reload();
    g_assert_cmpuint(faults_error_notices(NULL), ==, 0);
    faults_receive_held(account, "after the second restart");
    {
        g_autofree char *path = ajar_test_path(AJAR_JOURNAL_FILE);
        g_autoptr(GPtrArray) notices = NULL;
        FILE *file;

        ajar_test_unload();
        file = fopen(path, "a");
        g_assert_nonnull(file);
        fputs("{\"seq\": this is not an event}\n", file);
        g_assert_cmpint(fclose(file), ==, 0);
        faults_reload();
        g_assert_cmpuint(faults_error_notices(&notices), ==, 1);
        g_assert_true(
            faults_notice_says(notices, "Part of Ajar's journal is damaged.", "1 line(s) of"));
    }
}

/* Two crashes in a row, the second in the middle of the repair of what the
 * first cut: the repair had ended the cut line ("\n") but not noted it.
 * Expected: the next write notes both lines; neither this start nor later
 * ones announce damage, `ajar verify` passes, and holding goes on. */
static void
test_repair_cut_too(void)
{
    PurpleAccount *account = faults_fresh(faults_rules);
    g_autofree char *path = ajar_test_path(AJAR_JOURNAL_FILE);
    static const char first_cut[] =
        "{\"seq\":2,\"ts\":\"2026-11-27T07:47:13.087Z\",\"event\":\"held\","
        "\"id\":\"01M8DZJ01Z1HMK3645FQ71K5P0\",\"dir\":\"in\",\"acc";
    static const char second_cut[] = "\n{\"seq\":2,\"ts\":\"2026-11-27T07:47:15.483Z\",\"event\":"
                                     "\"error\",\"message\":\"journal.jsonl: repaired an inc";
    g_autoptr(GPtrArray) events = NULL;
    const char *cli = g_getenv("AJAR_CLI");
    guint malformed = 0, repairs = 0;
    FILE *file;

    faults_receive_held(account, "before two crashes");
    ajar_test_unload();
    file = fopen(path, "a");
    g_assert_nonnull(file);
    fputs(first_cut, file);
    fputs(second_cut, file);
    g_assert_cmpint(fclose(file), ==, 0);

    faults_reload();
    g_assert_cmpuint(faults_error_notices(NULL), ==, 0);
    faults_receive_held(account, "after two crashes");
    events = ajar_test_read_journal_damaged(&malformed);
    g_assert_cmpuint(malformed, ==, 2);
    for (guint i = 0; i < events->len; i++) {
        const AjarEvent *event = g_ptr_array_index(events, i);
        if (event->type == AJAR_EVENT_FAULT &&
            g_str_has_prefix(event->message, AJAR_JOURNAL_REPAIRED_PREFIX)) {
            g_test_message("%s", event->message);
            g_assert_nonnull(strstr(event->message, repairs == 0 ? ", line 2;" : ", line 3)"));
            repairs++;
        }
    }
    g_assert_cmpuint(repairs, ==, 2);
    faults_reload();
    g_assert_cmpuint(faults_error_notices(NULL), ==, 0);
    g_assert_cmpuint(faults_kept_with_text("before two crashes"), ==, 1);

    /* The `ajar` tool agrees: repaired lines are warnings, not damage. */
    g_assert_nonnull(cli);
    {
        g_autofree char *dir = g_path_get_dirname(test_client_user_dir());
        g_autofree char *purple = g_build_filename(dir, "purple", NULL);
        const char *argv[] = { cli, "verify", "--dir", purple, NULL };
        g_autofree char *out = NULL;
        g_autofree char *err = NULL;
        int status = -1;

        g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                                   &err, &status, NULL));
        g_test_message("ajar verify: %s%s", out, err);
        g_assert_true(WIFEXITED(status));
        g_assert_cmpint(WEXITSTATUS(status), ==, 0);
    }
}

/* The folder turns read-only while Ajar runs (EROFS on every write, create
 * and rename in it). Expected: their message is shown, yours kept in
 * memory, the user told; a change of rules from /ajar is refused with a
 * one-line reason and rules.json stays as it was. */
static void
test_read_only_folder(void)
{
    PurpleAccount *account = faults_fresh(faults_rules);
    Fault rofs = { .ops = FAULT_WRITE | FAULT_OPEN | FAULT_RENAME | FAULT_FSYNC | FAULT_FDATASYNC,
                   .path_part = "/ajar/",
                   .nth = 1,
                   .count = 0,
                   .error = EROFS,
                   .short_write = FALSE };
    g_autofree char *rules_before = ajar_test_read_rules();
    g_autofree char *rules_after = NULL;
    g_autoptr(GPtrArray) notices = NULL;
    g_autoptr(GPtrArray) lines = NULL;

    test_client_open_im(account, SAM);
    ajar_test_drain();
    faults_arm(&rofs);
    faults_receive_shown(account, "on a read-only disk", g_strerror(EROFS));

    test_client_send(account, SAM, "mine, read-only");
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    g_assert_cmpuint(faults_error_notices(&notices), ==, 1);
    g_assert_true(faults_notice_says(notices, FAULTS_OUT_KEPT_IN_MEMORY, g_strerror(EROFS)));
    ajar_test_drain();

    /* Refused (the command fails), with the reason in one line. */
    g_assert_cmpint(test_client_command(account, SAM, "ajar archive"), ==,
                    PURPLE_CMD_STATUS_FAILED);
    lines = test_client_take_lines();
    for (guint i = 0; i < lines->len; i++)
        g_test_message("line: %s", ((TestLine *)g_ptr_array_index(lines, i))->message);
    g_assert_cmpuint(ajar_test_count_lines_with(lines, g_strerror(EROFS)), ==, 1);
    faults_disarm();
    rules_after = ajar_test_read_rules();
    g_assert_cmpstr(rules_after, ==, rules_before);

    /* Writable again: held again. */
    faults_receive_held(account, "writable again");
}

/* Whether @text was shown (once) or is kept (once) in the journal on disk
 * after a restart: the custody rule's "one or the other". */
static void
assert_shown_or_kept_after_restart(const char *text, guint shown)
{
    guint kept;

    faults_reload();
    kept = faults_kept_with_text(text);
    g_test_message("\"%s\": shown %u, kept after a restart %u", text, shown, kept);
    g_assert_cmpuint(shown + kept, ==, 1);
}

/* journal.jsonl is deleted while Ajar runs (a clean-up, a sync tool). A
 * line appended to the deleted file would be gone at the next start.
 * Expected: the next message is not lost: it is kept in a journal.jsonl
 * that is there after a restart, or shown; the user is told the journal
 * was removed. What was kept before is the user's deletion to make. */
static void
test_journal_deleted(void)
{
    PurpleAccount *account = faults_fresh(faults_rules);
    g_autofree char *path = ajar_test_path(AJAR_JOURNAL_FILE);
    guint shown;

    faults_receive_held(account, "kept before the deletion");
    g_assert_cmpint(g_unlink(path), ==, 0);
    test_client_receive(account, SAM, "sent after the deletion", 0, time(NULL));
    shown = faults_received_with_text("sent after the deletion");
    g_assert_cmpuint(faults_error_notices(NULL), ==, 1);
    assert_shown_or_kept_after_restart("sent after the deletion", shown);
}

/* journal.jsonl is replaced while Ajar runs (a backup restored, a sync tool
 * writing its copy and renaming it over). Expected as for a deletion: the
 * next message is in the journal that is there, or shown, and the user is
 * told. */
static void
test_journal_replaced(void)
{
    PurpleAccount *account = faults_fresh(faults_rules);
    g_autofree char *path = ajar_test_path(AJAR_JOURNAL_FILE);
    g_autofree char *copy = g_strconcat(path, ".copy", NULL);
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(GError) error = NULL;
    guint shown;

    faults_receive_held(account, "kept before the copy");
    bytes = faults_journal_bytes();
    g_assert_true(
        g_file_set_contents(copy, g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes), &error));
    g_assert_no_error(error);
    g_assert_cmpint(g_rename(copy, path), ==, 0);
    test_client_receive(account, SAM, "sent after the copy", 0, time(NULL));
    shown = faults_received_with_text("sent after the copy");
    g_assert_cmpuint(faults_error_notices(NULL), ==, 1);
    assert_shown_or_kept_after_restart("sent after the copy", shown);
    g_assert_cmpuint(faults_kept_with_text("kept before the copy"), ==, 1);
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    g_test_add_func("/reliability/faults/disk-full-mid-line", test_disk_full_mid_line);
    g_test_add_func("/reliability/faults/nth-write-fails", test_nth_write_fails);
    g_test_add_func("/reliability/faults/disk-full-outgoing", test_disk_full_outgoing);
    g_test_add_func("/reliability/faults/unsaved-send-breaks", test_unsaved_send_breaks);
    g_test_add_func("/reliability/faults/unsaved-send-refused", test_unsaved_send_refused);
    g_test_add_func("/reliability/faults/sync-fails", test_sync_fails);
    g_test_add_func("/reliability/faults/sending-sync-fails", test_sending_sync_fails);
    g_test_add_func("/reliability/faults/cannot-undo", test_cannot_undo);
    g_test_add_func("/reliability/faults/repair-cut-too", test_repair_cut_too);
    g_test_add_func("/reliability/faults/read-only-folder", test_read_only_folder);
    g_test_add_func("/reliability/faults/journal-deleted", test_journal_deleted);
    g_test_add_func("/reliability/faults/journal-replaced", test_journal_replaced);
    status = g_test_run();

    faults_disarm();
    ajar_test_unload();
    test_client_quit();
    test_client_cleanup();
    return status;
}
