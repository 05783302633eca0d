/* test-text-edited.c — texts stay on disk (issue 13): Ajar reads a kept
 * message's text back from its journal when it shows or sends it. One whose
 * bytes were edited by hand since is never shown or sent wrong: the message
 * stays kept, and the user is told in one sentence why. */
#include "ajar-test-util.h"

#include <fcntl.h>
#include <unistd.h>

#define ME "me@example.org/Home"
#define SAM "sam@example.org"
#define EDITED_TEXT "the text that will be edited"
#define OTHER_TEXT "a text nobody touches"

static const char rules_sam[] =
    "{\"version\": 1, \"rules\": [{\"name\": \"Sam\", \"match\": [{\"buddy\": \"" SAM "\"}], "
    "\"incoming\": {\"action\": \"hold\"}}]}";

/* Writes @with over the first @needle in the journal, in place (same
 * length: the file keeps its size, as an editor's careful fix would). */
static void
edit_journal(const char *needle, const char *with)
{
    g_autofree char *path = ajar_test_path(AJAR_JOURNAL_FILE);
    g_autofree char *bytes = NULL;
    const char *at;
    int fd;

    g_assert_cmpuint(strlen(needle), ==, strlen(with));
    g_assert_true(g_file_get_contents(path, &bytes, NULL, NULL));
    at = strstr(bytes, needle);
    g_assert_nonnull(at);
    fd = open(path, O_WRONLY | O_CLOEXEC);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(pwrite(fd, with, strlen(with), at - bytes), ==, (ssize_t)strlen(with));
    close(fd);
}

/* Their message, held, edited by hand in the journal: "/ajar release"
 * keeps it (no "showing", nothing shown) and says why in one sentence, in
 * the conversation; the message not edited is released once the edited one
 * is dealt with. */
static void
test_release_edited(void)
{
    PurpleAccount *account = ajar_test_account(ME);
    g_autoptr(GPtrArray) held = NULL;
    g_autoptr(GPtrArray) lines = NULL;
    g_autoptr(GPtrArray) received = NULL;
    g_autofree char *edited_id = NULL;
    g_autofree char *other_id = NULL;
    guint told = 0;
    gint64 seq;

    ajar_test_write_rules(rules_sam);
    ajar_test_load();
    ajar_test_drain();
    seq = ajar_test_last_seq();
    test_client_receive(account, SAM, EDITED_TEXT, 0, time(NULL));
    test_client_receive(account, SAM, OTHER_TEXT, 0, time(NULL));
    held = ajar_test_events_since(seq, AJAR_EVENT_HELD, NULL);
    g_assert_cmpuint(held->len, ==, 2);
    edited_id = g_strdup(((AjarEvent *)g_ptr_array_index(held, 0))->id);
    other_id = g_strdup(((AjarEvent *)g_ptr_array_index(held, 1))->id);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_received()), ==, 0);
    ajar_test_drain();
    g_ptr_array_unref(test_client_take_lines());

    edit_journal("will be edited", "WAS BEEN EDITD");
    seq = ajar_test_last_seq();
    test_client_open_im(account, SAM);
    g_assert_cmpint(test_client_command(account, SAM, "ajar release"), ==,
                    PURPLE_CMD_STATUS_FAILED);
    /* Kept, not shown, nothing journaled for it. */
    received = test_client_take_received();
    g_assert_cmpuint(received->len, ==, 0);
    g_assert_cmpint(ajar_test_item_state(edited_id), ==, AJAR_EVENT_HELD);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_SHOWING), ==, 0);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_RELEASED), ==, 0);
    /* Told in one sentence, once: why, naming the file and where. */
    lines = test_client_take_lines();
    for (guint i = 0; i < lines->len; i++) {
        const TestLine *line = g_ptr_array_index(lines, i);
        g_test_message("line: %s", line->message);
        g_assert_null(strstr(line->message, "WAS BEEN EDITD"));
        g_assert_null(strstr(line->message, "will be edited"));
        if (strstr(line->message, "because its text cannot be read back from the journal") !=
            NULL) {
            told++;
            g_assert_nonnull(strstr(line->message, edited_id));
            g_assert_nonnull(strstr(line->message, "journal.jsonl at byte "));
            g_assert_nonnull(strstr(line->message, "was the file edited?"));
        }
    }
    g_assert_cmpuint(told, ==, 1);

    /* The other one goes by its id; the edited one stays kept. */
    {
        g_autofree char *cmd = g_strdup_printf("ajar release %s", other_id);
        g_assert_cmpint(test_client_command(account, SAM, cmd), ==, PURPLE_CMD_STATUS_OK);
    }
    received = (g_ptr_array_unref(received), test_client_take_received());
    g_assert_cmpuint(received->len, ==, 1);
    g_assert_nonnull(strstr(((TestReceived *)g_ptr_array_index(received, 0))->message, OTHER_TEXT));
    g_assert_cmpint(ajar_test_item_state(other_id), ==, AJAR_EVENT_RELEASED);
    g_assert_cmpint(ajar_test_item_state(edited_id), ==, AJAR_EVENT_HELD);

    /* After a restart the journal says what it says now: its text is read
     * as edited (the file is the record) and shown as such. */
    ajar_test_load();
    ajar_test_drain();
    g_assert_cmpint(test_client_command(account, SAM, "ajar release"), ==, PURPLE_CMD_STATUS_OK);
    received = (g_ptr_array_unref(received), test_client_take_received());
    g_assert_cmpuint(received->len, ==, 1);
    g_assert_nonnull(
        strstr(((TestReceived *)g_ptr_array_index(received, 0))->message, "WAS BEEN EDITD"));
    g_assert_cmpint(ajar_test_item_state(edited_id), ==, AJAR_EVENT_RELEASED);
    ajar_test_unload();
    ajar_test_drain();
}

/* Their delayed message, edited by hand before it is due: when it is due
 * it is not delivered (nothing shown, nothing journaled), it stays kept,
 * and the user is told once, in one box. */
static void
test_due_edited(void)
{
    PurpleAccount *account = ajar_test_account(ME);
    g_autoptr(GPtrArray) delayed = NULL;
    g_autoptr(GPtrArray) notices = NULL;
    g_autofree char *id = NULL;
    guint told = 0;
    gint64 seq;

    ajar_test_write_rules("{\"version\": 1, \"rules\": [{\"name\": \"Kim\", \"match\": "
                          "[{\"buddy\": \"kim@example.org\"}], \"incoming\": {\"action\": "
                          "\"delay\", \"seconds\": 1}}]}");
    ajar_test_load();
    ajar_test_drain();
    g_ptr_array_unref(test_client_take_notices());
    seq = ajar_test_last_seq();
    test_client_receive(account, "kim@example.org", "due soon, then edited", 0, time(NULL));
    delayed = ajar_test_events_since(seq, AJAR_EVENT_DELAYED, NULL);
    g_assert_cmpuint(delayed->len, ==, 1);
    id = g_strdup(((AjarEvent *)g_ptr_array_index(delayed, 0))->id);
    edit_journal("then edited", "THEN EDITED");

    seq = ajar_test_last_seq();
    ajar_test_run_for(2500); /* due after one second */
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_received()), ==, 0);
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_DELAYED);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_SHOWING), ==, 0);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_DELIVERED), ==, 0);
    notices = test_client_take_notices();
    for (guint i = 0; i < notices->len; i++) {
        const TestNotice *notice = g_ptr_array_index(notices, i);
        g_test_message("notice: %s / %s", notice->primary, notice->secondary);
        if (notice->primary != NULL &&
            strstr(notice->primary, "because its text cannot be read back from the journal") !=
                NULL) {
            told++;
            g_assert_nonnull(strstr(notice->primary, id));
            g_assert_null(strstr(notice->primary, "THEN EDITED"));
        }
    }
    g_assert_cmpuint(told, ==, 1);
    ajar_test_unload();
    ajar_test_drain();
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    g_test_add_func("/plugin/text-edited/release", test_release_edited);
    g_test_add_func("/plugin/text-edited/due", test_due_edited);
    status = g_test_run();

    test_client_quit();
    test_client_cleanup();
    return status;
}
