/* test-journal-failure.c — when Ajar cannot write its journal, nothing is
 * dropped silently: their message is shown as usual, yours is not sent and
 * not lost, and the user is told exactly that.
 *
 * Failures are real: appends fail with EFBIG under an RLIMIT_FSIZE equal to
 * the journal's size (which also stops root, unlike permissions), and an
 * unusable folder is a file where the folder should be (or, for the
 * journal alone, a folder where the journal should be; a read-only folder
 * when not running as root). The cases share one core and run in order. */
#include "ajar-test-util.h"

#include <errno.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define ME "me@example.org/Home"
#define SAM "sam@example.org"

static const char rules_sam[] =
    "{\"version\": 1, \"rules\": [{\"name\": \"Sam\", \"match\": [{\"buddy\": \"" SAM "\"}], "
    "\"incoming\": {\"action\": \"hold\"}, "
    "\"outgoing\": {\"action\": \"delay\", \"seconds\": 1}}]}";

static gint64
journal_size(void)
{
    g_autofree char *path = ajar_test_path(AJAR_JOURNAL_FILE);
    struct stat st;

    g_assert_cmpint(stat(path, &st), ==, 0);
    return st.st_size;
}

/* From now on every write that would make a file bigger than the journal is
 * now fails with EFBIG: the journal cannot grow. Returns the old limit. */
static struct rlimit
fill_the_disk(void)
{
    struct rlimit old, limit;

    signal(SIGXFSZ, SIG_IGN); /* else the kernel kills the test instead of failing the write */
    g_assert_cmpint(getrlimit(RLIMIT_FSIZE, &old), ==, 0);
    limit = old;
    limit.rlim_cur = (rlim_t)journal_size();
    g_assert_cmpint(setrlimit(RLIMIT_FSIZE, &limit), ==, 0);
    return old;
}

static void
free_the_disk(struct rlimit old)
{
    g_assert_cmpint(setrlimit(RLIMIT_FSIZE, &old), ==, 0);
}

/* Whether any journal line holds @text. */
static gboolean
journal_has_text(const char *text)
{
    g_autoptr(GPtrArray) events = ajar_test_read_journal();

    for (guint i = 0; i < events->len; i++) {
        const AjarEvent *event = g_ptr_array_index(events, i);
        if (event->text != NULL && strstr(event->text, text) != NULL)
            return TRUE;
    }
    return FALSE;
}

static PurpleAccount *
start(void)
{
    PurpleAccount *account = ajar_test_account(ME);
    g_autoptr(GPtrArray) held = NULL;
    gint64 seq;

    ajar_test_write_rules(rules_sam);
    ajar_test_load();
    ajar_test_drain();
    /* While the disk is fine, a message from Sam is held (so the journal
     * has lines, and the limit below is its size). */
    seq = ajar_test_last_seq();
    test_client_receive(account, SAM, "while the disk was fine", 0, time(NULL));
    held = ajar_test_events_since(seq, AJAR_EVENT_HELD, NULL);
    g_assert_cmpuint(held->len, ==, 1);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_received()), ==, 0);
    ajar_test_drain();
    return account;
}

static TestNotice *
only_error_notice(GPtrArray *notices)
{
    TestNotice *notice;

    for (guint i = 0; i < notices->len; i++) {
        notice = g_ptr_array_index(notices, i);
        g_test_message("notice: %s / %s", notice->primary, notice->secondary);
    }
    g_assert_cmpuint(notices->len, ==, 1);
    notice = g_ptr_array_index(notices, 0);
    g_assert_cmpint(notice->type, ==, PURPLE_NOTIFY_MSG_ERROR);
    g_assert_cmpstr(notice->title, ==, "Ajar");
    return notice;
}

static void
test_incoming_shown(void)
{
    PurpleAccount *account = start();
    gint64 size = journal_size();
    g_autoptr(GPtrArray) received = NULL;
    g_autoptr(GPtrArray) lines = NULL;
    g_autoptr(GPtrArray) notices = NULL;
    g_autoptr(GPtrArray) held = NULL;
    TestNotice *notice;
    struct rlimit old = fill_the_disk();
    gint64 seq;

    test_client_receive(account, SAM, "can we talk?", 0, time(NULL));
    free_the_disk(old);

    /* Shown as any message is: received-im-msg, a window, the line. */
    received = test_client_take_received();
    g_assert_cmpuint(received->len, ==, 1);
    g_assert_cmpstr(((TestReceived *)g_ptr_array_index(received, 0))->message, ==, "can we talk?");
    lines = test_client_take_lines();
    g_assert_cmpuint(lines->len, ==, 1);
    g_assert_true(((TestLine *)g_ptr_array_index(lines, 0))->flags & PURPLE_MESSAGE_RECV);
    g_assert_cmpstr(((TestLine *)g_ptr_array_index(lines, 0))->message, ==, "can we talk?");

    /* And the user is told why, once. */
    notices = test_client_take_notices();
    notice = only_error_notice(notices);
    g_assert_cmpstr(notice->primary, ==,
                    "Ajar could not keep a message from Sam safe, so it was shown as usual.");
    g_assert_nonnull(strstr(notice->secondary, AJAR_JOURNAL_FILE));
    g_assert_nonnull(strstr(notice->secondary, g_strerror(EFBIG)));

    /* Nothing half-written. */
    g_assert_cmpint(journal_size(), ==, size);
    g_assert_false(journal_has_text("can we talk?"));

    /* Room again: the next one is held as before. */
    seq = ajar_test_last_seq();
    test_client_receive(account, SAM, "hello again", 0, time(NULL));
    held = ajar_test_events_since(seq, AJAR_EVENT_HELD, NULL);
    g_assert_cmpuint(held->len, ==, 1);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_received()), ==, 0);
    ajar_test_unload();
    ajar_test_drain();
}

static void
test_outgoing_kept(void)
{
    PurpleAccount *account = start();
    gint64 size = journal_size();
    g_autoptr(GPtrArray) lines = NULL;
    g_autoptr(GPtrArray) notices = NULL;
    TestNotice *notice;
    gboolean visible = FALSE;
    struct rlimit old;

    test_client_open_im(account, SAM);
    old = fill_the_disk();
    test_client_send(account, SAM, "please stay");
    free_the_disk(old);

    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    notices = test_client_take_notices();
    notice = only_error_notice(notices);
    g_assert_cmpstr(notice->primary, ==,
                    "Ajar could not write your message to its journal. It was not sent; it is "
                    "kept until you quit, and /ajar send sends it.");
    g_assert_nonnull(strstr(notice->secondary, g_strerror(EFBIG)));
    lines = test_client_take_lines();
    g_assert_cmpuint(ajar_test_count_lines_with(lines, "Ajar could not save this message to disk, "
                                                       "so it was not sent. It is kept until you "
                                                       "quit; /ajar send sends it. It said: "
                                                       "please stay"),
                     ==, 1);
    g_assert_cmpint(journal_size(), ==, size);
    g_assert_false(journal_has_text("please stay"));

    /* Not sent later either. */
    ajar_test_run_for(1500);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_requests()), ==, 0);

    /* Not lost: the user was told to copy it, so it must be in front of
     * them (in the window or in the message box). */
    visible = ajar_test_count_lines_with(lines, "please stay") > 0 ||
              (notice->secondary != NULL && strstr(notice->secondary, "please stay") != NULL) ||
              (notice->primary != NULL && strstr(notice->primary, "please stay") != NULL);
    g_assert_true(visible);

    /* And /ajar send sends it, once. */
    g_assert_cmpint(test_client_command(account, SAM, "ajar send"), ==, PURPLE_CMD_STATUS_OK);
    {
        g_autoptr(GPtrArray) sent = test_client_take_sent();
        g_assert_cmpuint(sent->len, ==, 1);
        g_assert_cmpstr(((TestSent *)g_ptr_array_index(sent, 0))->message, ==, "please stay");
    }
    g_assert_cmpint(test_client_command(account, SAM, "ajar send"), ==, PURPLE_CMD_STATUS_OK);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    ajar_test_unload();
    ajar_test_drain();
}

/* Released while the disk is full: neither "showing" nor "released" can be
 * written. The user asked, so each is shown, once; they are told that Ajar
 * could not note it, in one box for all of them; none is shown again this
 * session. */
static void
test_release_on_full_disk(void)
{
    PurpleAccount *account = start();
    gint64 size = journal_size();
    g_autoptr(GPtrArray) received = NULL;
    g_autoptr(GPtrArray) notices = NULL;
    g_autoptr(GPtrArray) lines = NULL;
    TestNotice *notice;
    struct rlimit old;
    guint kept;

    {
        g_autoptr(AjarState) state = ajar_test_read_state();
        kept = ajar_state_count_in_state(state, AJAR_EVENT_HELD);
        g_assert_cmpuint(kept, >=, 2); /* so "told once" means something */
    }
    old = fill_the_disk();
    g_assert_cmpint(test_client_command(account, SAM, "ajar release"), ==, PURPLE_CMD_STATUS_OK);
    /* Dealt with, as far as this session goes. */
    g_assert_cmpint(test_client_command(account, SAM, "ajar release"), ==, PURPLE_CMD_STATUS_OK);
    lines = test_client_take_lines();
    g_assert_cmpuint(ajar_test_count_lines_with(lines, "Ajar: nothing of theirs is kept."), ==, 1);
    free_the_disk(old);

    /* Each of Sam's kept messages (earlier cases leave theirs too) once. */
    received = test_client_take_received();
    g_assert_cmpuint(received->len, ==, kept);
    notices = test_client_take_notices();
    notice = only_error_notice(notices);
    g_assert_cmpstr(notice->primary, ==,
                    "The message was shown, but Ajar could not note that in its journal. After a "
                    "restart it may be kept again.");
    g_assert_cmpint(journal_size(), ==, size);
    ajar_test_unload();
    ajar_test_drain();
}

/* "/ajar send" while the disk is full: "sending" cannot be written, so it
 * is not sent (a restart could not know it went); it stays cooling off and
 * goes at its due time once the journal can take it. */
static void
test_send_on_full_disk(void)
{
    PurpleAccount *account = start();
    g_autoptr(GPtrArray) events = NULL;
    g_autoptr(GPtrArray) sent = NULL;
    g_autoptr(GPtrArray) lines = NULL;
    gint64 seq = ajar_test_last_seq();
    gint64 size;
    struct rlimit old;
    const char *id;

    test_client_send(account, SAM, "not while the disk is full");
    events = ajar_test_events_since(seq, AJAR_EVENT_QUEUED, NULL);
    g_assert_cmpuint(events->len, ==, 1);
    id = ((AjarEvent *)g_ptr_array_index(events, 0))->id;
    ajar_test_drain();
    size = journal_size();

    old = fill_the_disk();
    g_assert_cmpint(test_client_command(account, SAM, "ajar send"), ==, PURPLE_CMD_STATUS_FAILED);
    free_the_disk(old);
    lines = test_client_take_lines();
    g_assert_cmpuint(ajar_test_count_lines_with(lines, "Ajar could not write to its journal, so "
                                                       "the message was not sent; it stays kept."),
                     ==, 1);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    g_assert_cmpint(journal_size(), ==, size);
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_QUEUED);

    /* Its cooling-off (1 s) ends with the disk free again: it goes, once. */
    ajar_test_run_for(1500);
    sent = test_client_take_sent();
    g_assert_cmpuint(sent->len, ==, 1);
    g_assert_cmpstr(((TestSent *)g_ptr_array_index(sent, 0))->message, ==,
                    "not while the disk is full");
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_SENT);
    ajar_test_unload();
    ajar_test_drain();
}

/* Moves the ajar folder out of the way (and back). */
static void
set_folder_aside(gboolean aside)
{
    g_autofree char *dir = ajar_test_dir();
    g_autofree char *saved = g_strconcat(dir, ".aside", NULL);

    if (aside) {
        g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0); /* when a case runs alone */
        g_assert_cmpint(g_rename(dir, saved), ==, 0);
    } else {
        g_assert_cmpint(g_rename(saved, dir), ==, 0);
    }
}

static void
remove_tree(const char *path)
{
    struct stat st;

    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        GDir *dir;
        const char *name;

        g_assert_cmpint(g_chmod(path, 0700), ==, 0);
        dir = g_dir_open(path, 0, NULL);
        while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
            g_autofree char *child = g_build_filename(path, name, NULL);
            remove_tree(child);
        }
        if (dir != NULL)
            g_dir_close(dir);
        g_assert_cmpint(g_rmdir(path), ==, 0);
    } else {
        g_assert_cmpint(g_unlink(path), ==, 0);
    }
}

/* Ajar says it cannot keep anything, once; then messages pass untouched. */
static void
assert_told_once_then_untouched(PurpleAccount *account)
{
    g_autoptr(GPtrArray) notices = test_client_take_notices();
    g_autoptr(GPtrArray) received = NULL;
    g_autoptr(GPtrArray) lines = NULL;
    TestNotice *notice = only_error_notice(notices);

    g_assert_cmpstr(notice->primary, ==,
                    "Ajar cannot open its journal, so it will not hold anything back: every "
                    "message is shown as usual.");
    test_client_receive(account, SAM, "through anyway", 0, time(NULL));
    received = test_client_take_received();
    g_assert_cmpuint(received->len, ==, 1);
    g_assert_cmpstr(((TestReceived *)g_ptr_array_index(received, 0))->message, ==,
                    "through anyway");
    lines = test_client_take_lines();
    g_assert_cmpuint(ajar_test_count_lines_with(lines, "through anyway"), ==, 1);
}

static void
test_folder_unusable(void)
{
    PurpleAccount *account = ajar_test_account(ME);
    g_autofree char *dir = ajar_test_dir();
    g_autoptr(GError) error = NULL;

    ajar_test_unload();
    set_folder_aside(TRUE);
    /* A file where the folder should be: it cannot be made, even by root. */
    g_assert_true(g_file_set_contents(dir, "not a folder\n", -1, &error));
    g_assert_no_error(error);
    ajar_test_drain();

    ajar_test_load();
    assert_told_once_then_untouched(account);
    test_client_send(account, SAM, "me too");
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 1);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_notices()), ==, 0);

    ajar_test_unload();
    remove_tree(dir);
    set_folder_aside(FALSE);
    ajar_test_drain();
}

/* The rules can be read (Sam is held, and your messages to Sam cool off),
 * the journal cannot be written. Returns: (transfer none) the account. */
static PurpleAccount *
journal_unopenable_begin(void)
{
    PurpleAccount *account = ajar_test_account(ME);
    g_autofree char *dir = ajar_test_dir();
    g_autofree char *journal = ajar_test_path(AJAR_JOURNAL_FILE);

    ajar_test_unload();
    set_folder_aside(TRUE);
    ajar_test_write_rules(rules_sam);
    if (geteuid() == 0)
        g_assert_cmpint(g_mkdir(journal, 0700), ==, 0); /* root ignores permissions */
    else
        g_assert_cmpint(g_chmod(dir, 0500), ==, 0);
    ajar_test_drain();
    ajar_test_load();
    return account;
}

static void
journal_unopenable_end(void)
{
    g_autofree char *dir = ajar_test_dir();

    ajar_test_unload();
    remove_tree(dir);
    set_folder_aside(FALSE);
    ajar_test_drain();
}

static void
test_journal_unopenable(void)
{
    PurpleAccount *account = journal_unopenable_begin();

    assert_told_once_then_untouched(account);
    journal_unopenable_end();
}

/* "It will not hold anything back", the user was told: that goes for their
 * own messages too. */
static void
test_journal_unopenable_outgoing(void)
{
    PurpleAccount *account = journal_unopenable_begin();
    g_autoptr(GPtrArray) sent = NULL;

    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_notices()), ==, 1);
    test_client_send(account, SAM, "no journal, no waiting");
    sent = test_client_take_sent();
    g_assert_cmpuint(sent->len, ==, 1);
    g_assert_cmpstr(((TestSent *)g_ptr_array_index(sent, 0))->message, ==,
                    "no journal, no waiting");
    journal_unopenable_end();
}

/* In the review, ticks the message holding @text, picks "Discard the
 * chosen…" and answers the question with "Discard". */
static void
discard_in_review(const char *text)
{
    g_autoptr(GPtrArray) step = ajar_test_review_read("Sam: ", NULL);
    g_autoptr(GPtrArray) asked = NULL;
    TestRequest *request = g_ptr_array_index(step, 0);
    PurpleRequestField *action = purple_request_fields_get_field(request->fields, "action");

    ajar_test_review_tick(request, text);
    test_client_fields_pick(request, "action", ajar_test_option_starting(action, "Discard"));
    g_assert_true(test_client_request_fields_ok(request));
    asked = test_client_take_requests();
    g_assert_cmpuint(asked->len, ==, 1);
    test_client_request_answer(
        g_ptr_array_index(asked, 0),
        test_client_request_find_action(g_ptr_array_index(asked, 0), "Discard"));
}

/* Discarding and bringing back while the disk is full: nothing changes
 * (the message stays kept, or stays discarded), the journal does not grow,
 * and the user is told in one line. */
static void
test_discard_on_full_disk(void)
{
    PurpleAccount *account = start();
    g_autoptr(GPtrArray) held = ajar_test_events_since(0, AJAR_EVENT_HELD, NULL);
    const AjarEvent *last = g_ptr_array_index(held, held->len - 1);
    g_autofree char *id = g_strdup(last->id);
    g_autofree char *command = g_strdup_printf("ajar undiscard %.10s", id);
    g_autoptr(GPtrArray) notices = NULL;
    gint64 size;
    struct rlimit old;

    g_assert_cmpstr(last->text, ==, "while the disk was fine");
    size = journal_size();
    old = fill_the_disk();
    discard_in_review("while the disk was fine");
    free_the_disk(old);
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_HELD);
    g_assert_cmpint(journal_size(), ==, size);
    notices = test_client_take_notices();
    g_assert_cmpstr(only_error_notice(notices)->primary, ==,
                    "Some messages could not be discarded; they stay kept.");
    test_client_notices_close(notices);

    discard_in_review("while the disk was fine");
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_DISCARDED);
    size = journal_size();
    old = fill_the_disk();
    g_assert_cmpint(test_client_command(account, SAM, command), ==, PURPLE_CMD_STATUS_FAILED);
    free_the_disk(old);
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_DISCARDED);
    g_assert_cmpint(journal_size(), ==, size);
    g_assert_cmpint(test_client_command(account, SAM, command), ==, PURPLE_CMD_STATUS_OK);
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_HELD);
    ajar_test_unload();
    ajar_test_drain();
}

/* "/ajar is Sam" when the address went into the rule but the journal
 * could not take "assigned": tried again, it journals what is left (the
 * messages still a new sender's), and the rules stay as they are. */
static void
test_stranger_is_retried(void)
{
    PurpleAccount *account = ajar_test_account(ME);
    g_autoptr(GPtrArray) held = NULL;
    g_autoptr(GPtrArray) assigned = NULL;
    g_autoptr(GPtrArray) lines = NULL;
    g_autofree char *rules_after = NULL;
    g_autofree char *rules_again = NULL;
    struct rlimit old;
    gint64 seq;

    ajar_test_write_rules(
        "{\"version\": 1, \"rules\": [{\"name\": \"Sam\", \"match\": [{\"buddy\": \"" SAM
        "\"}], \"incoming\": {\"action\": \"hold\"}}, {\"name\": \"New\", \"match\": "
        "[{\"stranger\": true}], \"incoming\": {\"action\": \"hold\"}}]}");
    ajar_test_load();
    ajar_test_drain();
    seq = ajar_test_last_seq();
    for (guint i = 0; i < 3; i++)
        test_client_receive(account, "ned@example.org",
                            "it's me, Sam, writing from a new account because the old one is gone",
                            0, time(NULL));
    held = ajar_test_events_since(seq, AJAR_EVENT_HELD, NULL);
    g_assert_cmpuint(held->len, ==, 3);
    g_assert_true(((AjarEvent *)g_ptr_array_index(held, 0))->stranger);
    ajar_test_drain();
    old = fill_the_disk();
    g_assert_cmpint(test_client_command(account, "ned@example.org", "ajar is Sam"), ==,
                    PURPLE_CMD_STATUS_FAILED);
    free_the_disk(old);
    /* The first try: the address is Sam's, the messages not yet. */
    rules_after = ajar_test_read_rules();
    g_assert_nonnull(strstr(rules_after, "ned@example.org"));
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_ASSIGNED), ==, 0);
    g_ptr_array_unref(test_client_take_lines());
    g_ptr_array_unref(test_client_take_notices());

    seq = ajar_test_last_seq();
    g_assert_cmpint(test_client_command(account, "ned@example.org", "ajar is Sam"), ==,
                    PURPLE_CMD_STATUS_OK);
    lines = test_client_take_lines();
    g_assert_cmpuint(lines->len, >=, 1);
    g_assert_cmpstr(((TestLine *)g_ptr_array_index(lines, lines->len - 1))->message, ==,
                    "Ajar: this address now belongs to Sam; 3 kept messages stay kept under "
                    "that name.");
    assigned = ajar_test_events_since(seq, AJAR_EVENT_ASSIGNED, NULL);
    g_assert_cmpuint(assigned->len, ==, 3);
    g_assert_cmpstr(((AjarEvent *)g_ptr_array_index(assigned, 0))->rule, ==, "Sam");
    rules_again = ajar_test_read_rules();
    g_assert_cmpstr(rules_again, ==, rules_after);
    /* Done: a third time is refused (not a new sender any more). */
    g_assert_cmpint(test_client_command(account, "ned@example.org", "ajar is Sam"), ==,
                    PURPLE_CMD_STATUS_FAILED);
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

    g_test_add_func("/plugin/journal-failure/incoming-shown", test_incoming_shown);
    g_test_add_func("/plugin/journal-failure/journal-unopenable", test_journal_unopenable);
    g_test_add_func("/plugin/journal-failure/folder-unusable", test_folder_unusable);
    g_test_add_func("/plugin/journal-failure/journal-unopenable-outgoing",
                    test_journal_unopenable_outgoing);
    g_test_add_func("/plugin/journal-failure/outgoing-kept", test_outgoing_kept);
    g_test_add_func("/plugin/journal-failure/release-on-full-disk", test_release_on_full_disk);
    g_test_add_func("/plugin/journal-failure/send-on-full-disk", test_send_on_full_disk);
    g_test_add_func("/plugin/journal-failure/discard-on-full-disk", test_discard_on_full_disk);
    g_test_add_func("/plugin/journal-failure/stranger-is-retried", test_stranger_is_retried);
    status = g_test_run();

    test_client_quit();
    test_client_cleanup();
    return status;
}
