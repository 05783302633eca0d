/* test-due-queue.c — many messages waiting for their due times share one
 * queue (and one timer) in the plugin: they must still come out in the order
 * of their due times, each once, and one taken out early (released) must
 * not come out again nor hold up the others. */
#include "ajar-test-util.h"

#include <string.h>

#define ME "me@example.org/Home"

static PurpleAccount *
me(void)
{
    return ajar_test_account(ME);
}

typedef struct {
    guint wanted;
} ReceivedWait;

static gboolean
received_count_cb(gpointer data)
{
    ReceivedWait *wait = data;

    return test_client_signal_count("received-im-msg") >= wait->wanted;
}

/* Two contacts delayed by different times: the later arrival with the
 * shorter delay comes out first; a third, released by hand before its time,
 * comes out once, at once, and the queue goes on. */
static void
test_due_order(void)
{
    ReceivedWait wait = { 2 };
    g_autoptr(GPtrArray) received = NULL;
    g_autoptr(GPtrArray) held = NULL;
    g_autoptr(AjarEvent) third = NULL;
    g_autofree char *cmd = NULL;
    time_t now = time(NULL);

    ajar_test_reload_with_rules(
        "{\"version\": 1, \"rules\": ["
        "{\"name\": \"Sam\", \"match\": [{\"buddy\": \"sam@example.org\"}], "
        "\"incoming\": {\"action\": \"delay\", \"seconds\": 2}},"
        "{\"name\": \"Sky\", \"match\": [{\"buddy\": \"sky@example.org\"}], "
        "\"incoming\": {\"action\": \"delay\", \"seconds\": 1}},"
        "{\"name\": \"Kim\", \"match\": [{\"buddy\": \"kim@example.org\"}], "
        "\"incoming\": {\"action\": \"delay\", \"seconds\": 600}}]}\n");
    test_client_receive(me(), "sam@example.org", "first in, due last", 0, now);
    test_client_receive(me(), "kim@example.org", "due in ten minutes", 0, now);
    test_client_receive(me(), "sky@example.org", "second in, due first", 0, now);
    test_client_iterate(100);
    ajar_test_assert_nothing_shown();

    /* Kim's goes now, by hand: out of the middle of the queue. */
    held = ajar_test_events_since(0, AJAR_EVENT_DELAYED, NULL);
    g_assert_cmpuint(held->len, ==, 3);
    for (guint i = 0; i < held->len; i++) {
        AjarEvent *event = g_ptr_array_index(held, i);
        if (g_strcmp0(event->buddy, "kim@example.org") == 0)
            third = ajar_event_copy(event);
    }
    g_assert_nonnull(third);
    cmd = g_strdup_printf("ajar release %s", third->id);
    g_assert_cmpint(test_client_command(me(), "kim@example.org", cmd), ==, PURPLE_CMD_STATUS_OK);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_RELEASED, third->id), ==, 1);
    ajar_test_drain();

    test_client_wait_for(received_count_cb, &wait, "both delayed messages to arrive");
    received = test_client_take_received();
    g_assert_cmpuint(received->len, ==, 2);
    g_assert_cmpstr(((TestReceived *)g_ptr_array_index(received, 0))->who, ==, "sky@example.org");
    g_assert_cmpstr(((TestReceived *)g_ptr_array_index(received, 1))->who, ==, "sam@example.org");

    /* Each once; Kim's released one never again. */
    ajar_test_run_for(300);
    g_assert_cmpuint(test_client_signal_count("received-im-msg"), ==, 2);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_DELIVERED, NULL), ==, 2);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_DELIVERED, third->id), ==, 0);
}

/* Unloading with messages still waiting leaves no timer behind (a timer of
 * an unloaded plugin would run freed code), and loading again schedules
 * them from the journal. */
static void
test_unload_with_pending(void)
{
    ReceivedWait wait = { 1 };
    time_t now = time(NULL);

    ajar_test_reload_with_rules(
        "{\"version\": 1, \"rules\": ["
        "{\"name\": \"Alex\", \"match\": [{\"buddy\": \"alex@example.org\"}], "
        "\"incoming\": {\"action\": \"delay\", \"seconds\": 1}}]}\n");
    test_client_receive(me(), "alex@example.org", "while you were away", 0, now);
    ajar_test_unload();
    ajar_test_run_for(1500);
    g_assert_cmpuint(test_client_signal_count("received-im-msg"), ==, 0);
    ajar_test_load();
    test_client_wait_for(received_count_cb, &wait, "the delayed message after loading again");
    ajar_test_run_for(200);
    g_assert_cmpuint(test_client_signal_count("received-im-msg"), ==, 1);
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    g_test_add_func("/plugin/due-queue/order-and-release", test_due_order);
    g_test_add_func("/plugin/due-queue/unload-with-pending", test_unload_with_pending);
    status = g_test_run();

    test_client_quit();
    test_client_cleanup();
    return status;
}
