/* test-faults-disk-retry.c — full disk, the long way (issue 16): a
 * cooling-off message whose timed send was refused because the journal
 * could not take its "sending" line goes out once the journal can be
 * written again, without waiting for /ajar send.
 *
 * Every case: your message to Sam cools off for a second; write() on
 * journal.jsonl fails with ENOSPC (fault-shim.so, see fault-shim.h) when
 * its due time comes; then room returns. Expected: never sent twice, never
 * lost, the user told once that it was refused; after a restart it is
 * asked about, as any overdue message of yours is (PRODUCT.md). */
#include "faults-util.h"

#include <errno.h>
#include <sys/wait.h>

#define JOURNAL_PART "/ajar/" AJAR_JOURNAL_FILE

#define RULES_HEAD                                                                             \
    "{\"version\": 1, \"rules\": [{\"name\": \"Sam\", \"match\": [{\"buddy\": \"" SAM "\"}], " \
    "\"incoming\": "

static const char rules_cooling[] =
    RULES_HEAD "{\"action\": \"hold\"}, "
               "\"outgoing\": {\"action\": \"delay\", \"seconds\": 1, \"confirm\": false}}]}";
static const char rules_confirm[] =
    RULES_HEAD "{\"action\": \"hold\"}, "
               "\"outgoing\": {\"action\": \"delay\", \"seconds\": 1, \"confirm\": true}}]}";
static const char rules_delayed[] = RULES_HEAD "{\"action\": \"delay\", \"seconds\": 1}}]}";

#define REFUSED_PRIMARY                                                                   \
    "Your message to " SAM " goes as soon as Ajar can write to its journal again; /ajar " \
    "cancel keeps it unsent."
#define WENT_LINE "Ajar: its journal can be written again, so your message was sent."

/* Every write to the journal fails with ENOSPC until disarmed. */
static const Fault disk_full = {
    .ops = FAULT_WRITE, .path_part = JOURNAL_PART, .nth = 1, .count = 0, .error = ENOSPC
};

/* Your message @text to Sam is written and cools off. Returns: (transfer
 * full) its id. */
static char *
send_cooling(PurpleAccount *account, const char *text)
{
    gint64 seq = ajar_test_last_seq();
    g_autoptr(GPtrArray) queued = NULL;

    test_client_send(account, SAM, text);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    queued = ajar_test_events_since(seq, AJAR_EVENT_QUEUED, NULL);
    g_assert_cmpuint(queued->len, ==, 1);
    ajar_test_run_for(100); /* the background sync of the queued line, before the fault */
    ajar_test_drain();
    return g_strdup(((AjarEvent *)g_ptr_array_index(queued, 0))->id);
}

/* How many sends that reached the protocol since the last take were
 * exactly @text (and takes them all). */
static guint
take_sends_of(const char *text)
{
    g_autoptr(GPtrArray) sent = test_client_take_sent();
    guint count = 0;

    for (guint i = 0; i < sent->len; i++)
        if (g_strcmp0(((TestSent *)g_ptr_array_index(sent, i))->message, text) == 0)
            count++;
    return count;
}

/* How many sends of @text reach the protocol over @ms of main loop (or
 * until the first when @until_one). */
static guint
sends_of(const char *text, guint ms, gboolean until_one)
{
    guint count = 0;

    for (guint waited = 0; waited < ms && !(until_one && count > 0); waited += 50) {
        ajar_test_run_for(50);
        count += take_sends_of(text);
    }
    return count;
}

/* The refusal was told once, in one box with the reason. */
static void
assert_told_refused_once(void)
{
    g_autoptr(GPtrArray) notices = NULL;

    g_assert_cmpuint(faults_error_notices(&notices), ==, 1);
    g_assert_true(faults_notice_says(notices, REFUSED_PRIMARY, g_strerror(ENOSPC)));
}

/* Message @id went exactly once in the journal's words ("sending" then
 * "sent"), `ajar verify` passes, and a restart neither sends nor asks. */
static void
assert_sent_once_for_good(const char *id, const char *text)
{
    const char *cli = g_getenv("AJAR_CLI");
    g_autofree char *dir = g_path_get_dirname(test_client_user_dir());
    g_autofree char *purple = g_build_filename(dir, "purple", NULL);
    const char *argv[] = { cli, "verify", "--dir", purple, NULL };
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    int status = -1;

    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENDING, id), ==, 1);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENT, id), ==, 1);
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_SENT);

    g_assert_nonnull(cli);
    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &status, NULL));
    g_test_message("ajar verify: %s%s", out, err);
    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 0);

    faults_reload();
    g_assert_cmpuint(sends_of(text, 1500, FALSE), ==, 0);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_requests()), ==, 0);
}

/* Refused at its due time; room returns and the next write (a message from
 * Sam, held) proves it: the refused send is due again at once and goes,
 * once, and the conversation says why it went now. */
static void
test_retried_after_a_write(void)
{
    PurpleAccount *account = faults_fresh(rules_cooling);
    g_autofree char *id = NULL;
    g_autoptr(GPtrArray) lines = NULL;

    test_client_open_im(account, SAM);
    id = send_cooling(account, "refused at first");
    faults_arm(&disk_full);
    g_assert_cmpuint(sends_of("refused at first", 1500, FALSE), ==, 0);
    g_assert_cmpuint(faults_disarm(), >=, 1);
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_QUEUED);

    /* Room again: their message is held (a write that worked)... */
    faults_receive_held(account, "a write that works");
    /* ...and the refused send goes at the next due check, without waiting
     * for a timer (a few turns of the main loop, no sleeping). */
    test_client_iterate(20);
    g_assert_cmpuint(take_sends_of("refused at first"), ==, 1);
    lines = test_client_take_lines();
    g_assert_cmpuint(ajar_test_count_lines_with(lines, WENT_LINE), ==, 1);
    g_assert_cmpuint(sends_of("refused at first", 2500, FALSE), ==, 0);
    assert_told_refused_once();
    assert_sent_once_for_good(id, "refused at first");
}

/* Refused, and the disk stays full for seconds: it stays kept (queued),
 * nothing goes, the user is not told again, and the retries are a few
 * writes, not a loop (one a second at first, then further apart). Then
 * room returns with nothing else happening: a later retry's own "sending"
 * line is the write that works, and it goes, once. */
static void
test_retried_alone(void)
{
    PurpleAccount *account = faults_fresh(rules_cooling);
    g_autofree char *id = NULL;
    guint failed;

    test_client_open_im(account, SAM);
    id = send_cooling(account, "refused for a while");
    faults_arm(&disk_full);
    g_assert_cmpuint(sends_of("refused for a while", 6000, FALSE), ==, 0);
    failed = faults_disarm();
    g_test_message("%u journal writes failed in 6 s of a full disk", failed);
    /* Tried again (more than the one refusal), but not spinning: a retry
     * loop would have failed thousands of writes by now. */
    g_assert_cmpuint(failed, >=, 2);
    g_assert_cmpuint(failed, <=, 8);
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_QUEUED);
    assert_told_refused_once();

    /* Room again; nothing else is written: the next retry sends it. */
    g_assert_cmpuint(sends_of("refused for a while", 20000, TRUE), ==, 1);
    g_assert_cmpuint(sends_of("refused for a while", 2500, FALSE), ==, 0);
    g_assert_cmpuint(faults_error_notices(NULL), ==, 0);
    assert_sent_once_for_good(id, "refused for a while");
}

/* Two messages fall due together on a full disk: one box for both (the
 * same trouble), and one write that works sends both, each once. */
static void
test_two_refused(void)
{
    PurpleAccount *account = faults_fresh(rules_cooling);
    g_autofree char *first = NULL;
    g_autofree char *second = NULL;

    test_client_open_im(account, SAM);
    first = send_cooling(account, "first of two");
    second = send_cooling(account, "second of two");
    faults_arm(&disk_full);
    ajar_test_run_for(1500);
    g_assert_cmpuint(faults_disarm(), >=, 2);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    assert_told_refused_once();

    faults_receive_held(account, "a write that works");
    test_client_iterate(20);
    g_assert_cmpuint(take_sends_of("first of two"), ==, 1);
    g_assert_cmpuint(take_sends_of("second of two"), ==, 0); /* (taken with the first) */
    g_assert_cmpint(ajar_test_item_state(first), ==, AJAR_EVENT_SENT);
    g_assert_cmpint(ajar_test_item_state(second), ==, AJAR_EVENT_SENT);
    g_assert_cmpuint(sends_of("first of two", 2500, FALSE), ==, 0);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENT, second), ==, 1);
    assert_sent_once_for_good(first, "first of two");
}

/* Refused, then room returns and the user types /ajar send before any
 * retry: it goes once, by hand, and the retry finds nothing left to do. */
static void
test_sent_by_hand_while_refused(void)
{
    PurpleAccount *account = faults_fresh(rules_cooling);
    g_autofree char *id = NULL;

    test_client_open_im(account, SAM);
    id = send_cooling(account, "sent by hand after all");
    faults_arm(&disk_full);
    g_assert_cmpuint(sends_of("sent by hand after all", 1500, FALSE), ==, 0);
    g_assert_cmpuint(faults_disarm(), >=, 1);
    assert_told_refused_once();

    g_assert_cmpint(test_client_command(account, SAM, "ajar send"), ==, PURPLE_CMD_STATUS_OK);
    g_assert_cmpuint(take_sends_of("sent by hand after all"), ==, 1);
    g_assert_cmpuint(sends_of("sent by hand after all", 3000, FALSE), ==, 0);
    assert_sent_once_for_good(id, "sent by hand after all");
}

/* Refused, and the account goes offline before room returns: it is late
 * for that reason too, so it is not sent on reconnecting but asked about
 * ("due while you were offline"), as any late message of yours. */
static void
test_offline_while_refused(void)
{
    PurpleAccount *account = faults_fresh(rules_cooling);
    g_autofree char *id = NULL;
    g_autoptr(GPtrArray) requests = NULL;
    TestRequest *question;

    test_client_open_im(account, SAM);
    id = send_cooling(account, "refused, then offline");
    faults_arm(&disk_full);
    g_assert_cmpuint(sends_of("refused, then offline", 1500, FALSE), ==, 0);
    g_assert_cmpuint(faults_disarm(), >=, 1);
    assert_told_refused_once();

    test_client_disconnect(account);
    ajar_test_run_for(2500); /* the retry comes and finds the account offline */
    test_client_connect(account);
    test_client_iterate(100);
    g_assert_cmpuint(sends_of("refused, then offline", 1500, FALSE), ==, 0);
    requests = test_client_take_requests();
    g_assert_cmpuint(requests->len, ==, 1);
    question = g_ptr_array_index(requests, 0);
    g_assert_nonnull(strstr(question->primary, "was due while you were offline"));
    test_client_request_answer(question, test_client_request_find_action(question, "Send"));
    g_assert_cmpuint(take_sends_of("refused, then offline"), ==, 1);
    assert_sent_once_for_good(id, "refused, then offline");
}

/* Refused, and the account signs off and on again within the pause before
 * the next try (room is back by then): when the try comes the account is
 * online, but the message is late because it was offline too, so it is
 * asked about ("due while you were offline", default keep), not sent. */
static void
test_offline_between_tries(void)
{
    PurpleAccount *account = faults_fresh(rules_cooling);
    g_autofree char *id = NULL;
    g_autoptr(GPtrArray) requests = NULL;
    TestRequest *question;

    test_client_open_im(account, SAM);
    id = send_cooling(account, "refused, offline between tries");
    faults_arm(&disk_full);
    g_assert_cmpuint(sends_of("refused, offline between tries", 1200, FALSE), ==, 0);
    g_assert_cmpuint(faults_disarm(), ==, 1); /* the one refusal, no try yet */
    assert_told_refused_once();

    test_client_disconnect(account);
    ajar_test_run_for(50);
    test_client_connect(account);
    test_client_iterate(100);
    g_assert_true(purple_account_is_connected(account));
    /* Past the next try (a second after the refusal, at most two). */
    g_assert_cmpuint(sends_of("refused, offline between tries", 3000, FALSE), ==, 0);
    requests = test_client_take_requests();
    g_assert_cmpuint(requests->len, ==, 1);
    question = g_ptr_array_index(requests, 0);
    g_assert_cmpstr(question->primary, ==,
                    "Your message to " SAM " was due while you were offline. Send it now?");
    g_assert_cmpint(question->default_action, ==,
                    test_client_request_find_action(question, "Keep it unsent"));
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_QUEUED);
    test_client_request_answer(question, test_client_request_find_action(question, "Send"));
    g_assert_cmpuint(take_sends_of("refused, offline between tries"), ==, 1);
    assert_sent_once_for_good(id, "refused, offline between tries");
}

/* `confirm: true`: at its due time Ajar asks, the user says Send, and the
 * disk is full. The user said yes, so when room returns it goes, once,
 * without asking again. */
static void
test_confirmed_send_retried(void)
{
    PurpleAccount *account = faults_fresh(rules_confirm);
    g_autofree char *id = NULL;
    g_autoptr(GPtrArray) requests = NULL;
    TestRequest *question;

    test_client_open_im(account, SAM);
    id = send_cooling(account, "said yes on a full disk");
    g_assert_cmpuint(sends_of("said yes on a full disk", 1500, FALSE), ==, 0);
    requests = test_client_take_requests();
    g_assert_cmpuint(requests->len, ==, 1);
    question = g_ptr_array_index(requests, 0);
    g_assert_nonnull(strstr(question->primary, "Send it now?"));

    faults_arm(&disk_full);
    test_client_request_answer(question, test_client_request_find_action(question, "Send"));
    g_assert_cmpuint(take_sends_of("said yes on a full disk"), ==, 0);
    g_assert_cmpuint(faults_disarm(), ==, 1);

    faults_receive_held(account, "a write that works");
    test_client_iterate(20);
    g_assert_cmpuint(take_sends_of("said yes on a full disk"), ==, 1);
    assert_told_refused_once();
    g_assert_cmpuint(sends_of("said yes on a full disk", 2500, FALSE), ==, 0);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_requests()), ==, 0);
    assert_sent_once_for_good(id, "said yes on a full disk");
}

/* Refused, then Ajar restarts (room again). An overdue message of yours is
 * never sent after a restart without asking: it is asked about, not sent
 * by the retry; Send sends it once. */
static void
test_restart_while_refused(void)
{
    PurpleAccount *account = faults_fresh(rules_cooling);
    g_autofree char *id = NULL;
    g_autoptr(GPtrArray) requests = NULL;
    TestRequest *question;

    test_client_open_im(account, SAM);
    id = send_cooling(account, "refused, then a restart");
    faults_arm(&disk_full);
    g_assert_cmpuint(sends_of("refused, then a restart", 1500, FALSE), ==, 0);
    g_assert_cmpuint(faults_disarm(), >=, 1);
    assert_told_refused_once();

    faults_reload();
    g_assert_cmpuint(sends_of("refused, then a restart", 2500, FALSE), ==, 0);
    requests = test_client_take_requests();
    g_assert_cmpuint(requests->len, ==, 1);
    question = g_ptr_array_index(requests, 0);
    g_assert_nonnull(strstr(question->primary, "was due while Ajar was not running"));
    test_client_request_answer(question, test_client_request_find_action(question, "Send"));
    g_assert_cmpuint(take_sends_of("refused, then a restart"), ==, 1);
    assert_sent_once_for_good(id, "refused, then a restart");
}

/* Refused, then /ajar cancel once there is room: kept unsent, and the
 * retry does not send it after all. */
static void
test_cancelled_while_refused(void)
{
    PurpleAccount *account = faults_fresh(rules_cooling);
    g_autofree char *id = NULL;

    test_client_open_im(account, SAM);
    id = send_cooling(account, "refused, then cancelled");
    faults_arm(&disk_full);
    g_assert_cmpuint(sends_of("refused, then cancelled", 1500, FALSE), ==, 0);
    g_assert_cmpuint(faults_disarm(), >=, 1);
    assert_told_refused_once();

    g_assert_cmpint(test_client_command(account, SAM, "ajar cancel"), ==, PURPLE_CMD_STATUS_OK);
    g_assert_cmpuint(sends_of("refused, then cancelled", 3000, FALSE), ==, 0);
    g_assert_cmpint(ajar_test_item_state(id), ==, AJAR_EVENT_CANCELLED);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENDING, id), ==, 0);
}

/* Their delayed message falls due on a full disk: "showing" cannot be
 * written, and it is shown all the same (a message of theirs is never
 * kept unreadable by a full disk; see ajar_custody_show()), once, and the
 * user told that Ajar could not note it. So it has nothing to wait for:
 * room again, and it is not shown a second time. */
static void
test_delayed_delivery_on_full_disk(void)
{
    PurpleAccount *account = faults_fresh(rules_delayed);
    g_autoptr(GPtrArray) notices = NULL;

    test_client_receive(account, SAM, "theirs, delayed", 0, time(NULL));
    g_assert_cmpuint(faults_received_with_text("theirs, delayed"), ==, 0);
    g_assert_cmpuint(faults_kept_with_text("theirs, delayed"), ==, 1);
    ajar_test_run_for(100);
    ajar_test_drain();
    faults_arm(&disk_full);
    ajar_test_run_for(1500);
    g_assert_cmpuint(faults_received_with_text("theirs, delayed"), ==, 1);
    g_assert_cmpuint(faults_disarm(), >=, 2); /* "showing" and "delivered" */
    g_assert_cmpuint(faults_error_notices(&notices), ==, 1);
    g_assert_true(faults_notice_says(notices,
                                     "The message was shown, but Ajar could not note that in its "
                                     "journal. After a restart it may be kept again.",
                                     g_strerror(ENOSPC)));

    test_client_receive(account, SAM, "a write that works", 0, time(NULL));
    ajar_test_run_for(2500);
    g_assert_cmpuint(faults_received_with_text("theirs, delayed"), ==, 0);
    g_assert_cmpuint(faults_error_notices(NULL), ==, 0);
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    g_test_add_func("/reliability/faults/disk-retry/after-a-write", test_retried_after_a_write);
    g_test_add_func("/reliability/faults/disk-retry/alone", test_retried_alone);
    g_test_add_func("/reliability/faults/disk-retry/two", test_two_refused);
    g_test_add_func("/reliability/faults/disk-retry/by-hand", test_sent_by_hand_while_refused);
    g_test_add_func("/reliability/faults/disk-retry/offline", test_offline_while_refused);
    g_test_add_func("/reliability/faults/disk-retry/offline-between-tries",
                    test_offline_between_tries);
    g_test_add_func("/reliability/faults/disk-retry/confirmed", test_confirmed_send_retried);
    g_test_add_func("/reliability/faults/disk-retry/restart", test_restart_while_refused);
    g_test_add_func("/reliability/faults/disk-retry/cancelled", test_cancelled_while_refused);
    g_test_add_func("/reliability/faults/disk-retry/delayed-delivery",
                    test_delayed_delivery_on_full_disk);
    status = g_test_run();

    faults_disarm();
    ajar_test_unload();
    test_client_quit();
    test_client_cleanup();
    return status;
}
