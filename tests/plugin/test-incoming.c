/* test-incoming.c — their messages under hold, archive, delay, keywords,
 * active windows, auto-responses and typing, as a user of the built ajar.so
 * would notice them.
 *
 * Every case writes its own rules.json with Ajar off, then switches it on (as
 * a user editing the file before starting the messenger), and uses its own
 * buddy so what earlier cases kept does not count. The cases share one
 * libpurple core and run in order; their paths are flat (see test-harness.c).
 * Times are real: libpurple's receiving-im-msg does not carry a message's
 * own time, so a live message's time is the moment it arrived. */
#include "ajar-test-util.h"

#include <string.h>

#include <conversation.h>
#include <core.h>
#include <privacy.h>

#define ME "me@example.org/Home"
#define SAM "sam@example.org"
#define SAM_PHONE "Sam@Example.org/phone"
#define SKY "sky@example.org"
#define SAM_TEXT "are you awake? I keep thinking about <i>us</i>"

static PurpleAccount *
me(void)
{
    return ajar_test_account(ME);
}

/* One rule for @buddy on the in-test protocol. @extra: more keys, starting
 * with ", ", or "". */
static char *
rule_json(const char *name, const char *buddy, const char *incoming, const char *extra)
{
    return g_strdup_printf("{\"name\": \"%s\", \"match\": [{\"account\": \"me@example.org\", "
                           "\"protocol\": \"" TEST_PRPL_ID "\", \"buddy\": \"%s\"}], "
                           "\"incoming\": %s%s}",
                           name, buddy, incoming, extra);
}

/* Switches Ajar off, writes rules.json with @rules (comma-separated rule
 * objects) and @notify, and switches it on again. */
static void
use_rules(const char *notify, const char *rules)
{
    g_autofree char *json = g_strdup_printf(
        "{\"version\": 1, \"rules\": [%s], \"settings\": {\"notify\": \"%s\"}}\n", rules, notify);

    me();
    ajar_test_reload_with_rules(json);
}

static void
use_rule(const char *notify, const char *name, const char *buddy, const char *incoming,
         const char *extra)
{
    g_autofree char *rule = rule_json(name, buddy, incoming, extra);

    use_rules(notify, rule);
}

/* A message that got through: one window opened for @who, one received line
 * with @text, and received-im-msg (sounds, pop-ups) once. Returns the line's
 * time. */
static time_t
assert_shown(const char *who, const char *text)
{
    g_autoptr(GPtrArray) opened = test_client_take_opened();
    g_autoptr(GPtrArray) lines = test_client_take_lines();
    g_autoptr(GPtrArray) received = test_client_take_received();
    TestLine *line;

    g_assert_cmpuint(opened->len, ==, 1);
    g_assert_cmpstr(((TestWindow *)g_ptr_array_index(opened, 0))->name, ==, who);
    g_assert_cmpuint(lines->len, ==, 1);
    line = g_ptr_array_index(lines, 0);
    g_assert_cmpstr(line->message, ==, text);
    g_assert_true(line->flags & PURPLE_MESSAGE_RECV);
    g_assert_cmpuint(received->len, ==, 1);
    g_assert_cmpstr(((TestReceived *)g_ptr_array_index(received, 0))->message, ==, text);
    g_assert_cmpuint(test_client_signal_count("received-im-msg"), ==, 1);
    return line->mtime;
}

/* Returns: (transfer full): the one event of @type after @seq. */
static AjarEvent *
only_event(gint64 seq, AjarEventType type)
{
    g_autoptr(GPtrArray) events = ajar_test_events_since(seq, type, NULL);

    g_assert_cmpuint(events->len, ==, 1);
    return ajar_event_copy(g_ptr_array_index(events, 0));
}

/* Asserts a custody event is the message as libpurple gave it. */
static void
assert_custody(const AjarEvent *event, const char *buddy, const char *rule, const char *text,
               time_t arrived)
{
    g_assert_nonnull(event->id);
    g_assert_true(event->has_dir);
    g_assert_cmpint(event->dir, ==, AJAR_DIRECTION_IN);
    g_assert_cmpstr(event->account, ==, ME);
    g_assert_cmpstr(event->protocol, ==, TEST_PRPL_ID);
    g_assert_cmpstr(event->buddy, ==, buddy);
    g_assert_cmpstr(event->rule, ==, rule);
    g_assert_cmpstr(event->text, ==, text);
    g_assert_cmpint(event->time / G_USEC_PER_SEC, >=, arrived);
    g_assert_cmpint(event->time / G_USEC_PER_SEC, <=, arrived + 1);
}

static guint
custody_events_since(gint64 seq)
{
    g_autoptr(GPtrArray) events = ajar_test_events_since(seq, AJAR_EVENT_UNKNOWN, NULL);
    guint count = 0;

    for (guint i = 0; i < events->len; i++) {
        const AjarEvent *event = g_ptr_array_index(events, i);
        count += ajar_event_type_is_custody(event->type) || event->type == AJAR_EVENT_PASSED;
    }
    return count;
}

static char *held_id;
static time_t held_at;

static void
test_hold(void)
{
    g_autoptr(AjarEvent) event = NULL;
    g_autofree char *log = NULL;
    gint64 seq;

    use_rule("count", "Sam", SAM, "{\"action\": \"hold\"}", "");
    seq = ajar_test_last_seq();
    held_at = time(NULL);
    test_client_receive(me(), SAM_PHONE, SAM_TEXT, 0, held_at);
    test_client_iterate(100);

    ajar_test_assert_nothing_shown();
    g_assert_null(purple_find_conversation_with_account(PURPLE_CONV_TYPE_IM, SAM, me()));
    {
        g_autoptr(GPtrArray) notices = test_client_take_notices(); /* "count": nothing now */
        g_assert_cmpuint(notices->len, ==, 0);
    }
    log = test_client_read_log(me(), SAM);
    g_assert_null(strstr(log, "are you awake?"));

    /* Kept exactly as it came: markup, the buddy with its resource. */
    event = only_event(seq, AJAR_EVENT_HELD);
    assert_custody(event, SAM_PHONE, "Sam", SAM_TEXT, held_at);
    held_id = g_strdup(event->id);
    g_assert_cmpint(ajar_test_item_state(held_id), ==, AJAR_EVENT_HELD);
}

static void
test_archive_never_announced(void)
{
    g_autoptr(AjarEvent) event = NULL;
    g_autoptr(GPtrArray) notices = NULL;
    gint64 seq;
    time_t arrived;

    /* "message" announces held messages, never archived ones. */
    use_rule("message", "Alex", "alex@example.org", "{\"action\": \"archive\"}", "");
    seq = ajar_test_last_seq();
    arrived = time(NULL);
    test_client_receive(me(), "alex@example.org", "I left something at your door", 0, arrived);
    test_client_iterate(100);

    ajar_test_assert_nothing_shown();
    notices = test_client_take_notices();
    g_assert_cmpuint(notices->len, ==, 0);
    event = only_event(seq, AJAR_EVENT_ARCHIVED);
    assert_custody(event, "alex@example.org", "Alex", "I left something at your door", arrived);
    g_assert_cmpint(ajar_test_item_state(event->id), ==, AJAR_EVENT_ARCHIVED);
}

static gboolean
received_once_cb(gpointer data)
{
    return test_client_signal_count("received-im-msg") >= 1;
}

static void
test_delay_seconds(void)
{
    g_autoptr(AjarEvent) event = NULL;
    g_autofree char *log = NULL;
    gint64 seq;
    time_t arrived, shown_at;

    use_rule("count", "Kim", "kim@example.org", "{\"action\": \"delay\", \"seconds\": 1}", "");
    seq = ajar_test_last_seq();
    arrived = time(NULL);
    test_client_receive(me(), "kim@example.org", "call me when you can", 0, arrived);
    test_client_iterate(100);
    ajar_test_assert_nothing_shown();
    event = only_event(seq, AJAR_EVENT_DELAYED);
    assert_custody(event, "kim@example.org", "Kim", "call me when you can", arrived);
    /* Due a second after it was taken in (ts: when that was written, kept
     * to the millisecond). */
    g_assert_cmpint(event->due - event->ts, <=, G_USEC_PER_SEC + 1000);
    g_assert_cmpint(event->due - event->ts, >, G_USEC_PER_SEC / 2);

    /* Then it arrives as any message does: window, line, sound and pop-up. */
    test_client_wait_for(received_once_cb, NULL, "the delayed message to arrive");
    test_client_iterate(100);
    shown_at = assert_shown("kim@example.org", "call me when you can");
    g_assert_cmpint(shown_at, ==, event->time / G_USEC_PER_SEC); /* its own time */
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_DELIVERED, event->id), ==, 1);
    g_assert_cmpint(ajar_test_item_state(event->id), ==, AJAR_EVENT_DELIVERED);
    log = test_client_read_log(me(), "kim@example.org");
    g_assert_nonnull(strstr(log, "call me when you can"));

    /* Delivered once, not again. */
    ajar_test_run_for(200);
    g_assert_cmpuint(test_client_signal_count("received-im-msg"), ==, 1);
    test_client_close_im(me(), "kim@example.org");
}

static void
test_delay_at(void)
{
    g_autoptr(GDateTime) now = g_date_time_new_now_local();
    g_autoptr(GDateTime) later = g_date_time_add_hours(now, 3);
    g_autoptr(GDateTime) due = NULL;
    g_autofree char *incoming = NULL;
    g_autoptr(AjarEvent) event = NULL;
    gint64 seq;

    /* The next local HH:MM three hours from now: today, or tomorrow if that
     * is past midnight. */
    due = g_date_time_new_local(g_date_time_get_year(now), g_date_time_get_month(now),
                                g_date_time_get_day_of_month(now), g_date_time_get_hour(later),
                                g_date_time_get_minute(later), 0);
    if (g_date_time_compare(due, now) <= 0) {
        GDateTime *tomorrow = g_date_time_add_days(due, 1);
        g_date_time_unref(due);
        due = tomorrow;
    }
    incoming = g_strdup_printf("{\"action\": \"delay\", \"at\": \"%02d:%02d\"}",
                               g_date_time_get_hour(later), g_date_time_get_minute(later));
    use_rule("count", "Dana", "dana@example.org", incoming, "");
    seq = ajar_test_last_seq();
    test_client_receive(me(), "dana@example.org", "good night", 0, time(NULL));
    test_client_iterate(100);
    ajar_test_assert_nothing_shown();

    event = only_event(seq, AJAR_EVENT_DELAYED);
    g_assert_cmpint(event->due, ==, g_date_time_to_unix(due) * G_USEC_PER_SEC);
}

static void
test_pass_keyword(void)
{
    g_autoptr(AjarEvent) passed = NULL;
    gint64 seq;

    use_rule("count", "Mum", "mum@example.org", "{\"action\": \"hold\"}",
             ", \"pass_keywords\": [\"emergency\", \"hospital\"]");
    seq = ajar_test_last_seq();
    test_client_receive(me(), "mum@example.org", "EMERGENCY: your father fell", 0, time(NULL));
    test_client_iterate(100);

    assert_shown("mum@example.org", "EMERGENCY: your father fell");
    passed = only_event(seq, AJAR_EVENT_PASSED);
    g_assert_cmpstr(passed->rule, ==, "Mum");
    g_assert_cmpstr(passed->buddy, ==, "mum@example.org");
    g_assert_null(passed->text); /* when, never what */
    g_assert_cmpuint(passed->text_len, ==, 0);
    g_assert_cmpuint(custody_events_since(seq), ==, 1); /* the "passed" alone */

    /* The keyword lets only its own message through. */
    seq = ajar_test_last_seq();
    test_client_receive(me(), "mum@example.org", "and call your sister", 0, time(NULL));
    test_client_iterate(100);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_HELD), ==, 1);
    {
        g_autoptr(GPtrArray) lines = test_client_take_lines();
        g_assert_cmpuint(lines->len, ==, 0);
    }
    test_client_close_im(me(), "mum@example.org");
}

static void
test_active_window_over(void)
{
    gint64 seq;

    use_rule("count", "Lee", "lee@example.org", "{\"action\": \"hold\"}",
             ", \"active\": {\"until\": \"2020-01-01T00:00:00Z\"}");
    seq = ajar_test_last_seq();
    test_client_receive(me(), "lee@example.org", "long time no see", 0, time(NULL));
    test_client_iterate(100);

    assert_shown("lee@example.org", "long time no see");
    g_assert_cmpuint(custody_events_since(seq), ==, 0);
    test_client_close_im(me(), "lee@example.org");
}

static void
test_auto_response(void)
{
    gint64 seq;
    g_autoptr(GPtrArray) lines = NULL;

    use_rule("message", "Sam", SAM, "{\"action\": \"hold\"}", "");
    seq = ajar_test_last_seq();
    test_client_receive(me(), SAM_PHONE, "I am away from my computer", PURPLE_MESSAGE_AUTO_RESP,
                        time(NULL));
    test_client_iterate(100);

    g_assert_cmpuint(test_client_signal_count("received-im-msg"), ==, 1);
    lines = test_client_take_lines();
    g_assert_cmpuint(lines->len, ==, 1);
    g_assert_cmpstr(((TestLine *)g_ptr_array_index(lines, 0))->message, ==,
                    "I am away from my computer");
    g_assert_true(((TestLine *)g_ptr_array_index(lines, 0))->flags & PURPLE_MESSAGE_AUTO_RESP);
    g_assert_cmpuint(custody_events_since(seq), ==, 0);
    {
        g_autoptr(GPtrArray) notices = test_client_take_notices();
        g_assert_cmpuint(notices->len, ==, 0);
    }
    test_client_close_im(me(), SAM);
}

static void
test_typing(void)
{
    g_autofree char *rules = NULL;
    g_autofree char *sky = rule_json("Sky", SKY, "{\"action\": \"hold\"}", "");
    g_autofree char *alex = rule_json("Alex", "alex@example.org", "{\"action\": \"archive\"}", "");

    rules = g_strjoin(", ", sky, alex, NULL);
    use_rules("count", rules);
    test_client_open_im(me(), SKY);
    test_client_open_im(me(), "alex@example.org");
    test_client_open_im(me(), "pat@example.org");
    ajar_test_drain();

    /* Held and archived contacts: their window never says "typing…". */
    test_client_receive_typing(me(), SKY "/tablet", PURPLE_TYPING);
    g_assert_cmpint(test_client_typing_state(me(), SKY), ==, PURPLE_NOT_TYPING);
    test_client_receive_typing(me(), SKY "/tablet", PURPLE_TYPED);
    g_assert_cmpint(test_client_typing_state(me(), SKY), ==, PURPLE_NOT_TYPING);
    test_client_receive_typing(me(), "alex@example.org", PURPLE_TYPING);
    g_assert_cmpint(test_client_typing_state(me(), "alex@example.org"), ==, PURPLE_NOT_TYPING);

    /* Nor does a held message show in an open window. */
    test_client_receive(me(), SKY "/tablet", "you there?", 0, time(NULL));
    ajar_test_assert_nothing_shown();

    /* Someone without a rule: as usual. */
    test_client_receive_typing(me(), "pat@example.org", PURPLE_TYPING);
    g_assert_cmpint(test_client_typing_state(me(), "pat@example.org"), ==, PURPLE_TYPING);
    test_client_receive_typing(me(), "pat@example.org", PURPLE_NOT_TYPING);

    test_client_close_im(me(), SKY);
    test_client_close_im(me(), "alex@example.org");
    test_client_close_im(me(), "pat@example.org");
}

static gboolean
seconds_passed_cb(gpointer data)
{
    return time(NULL) >= *(time_t *)data;
}

/* The message test_hold() kept, released from its conversation: shown with
 * its own time, written to the history log, and only once. */
static void
test_release(void)
{
    g_autoptr(GPtrArray) lines = NULL;
    g_autofree char *log = NULL;
    g_autofree char *stamp = NULL;
    time_t later = held_at + 2;
    const TestLine *shown = NULL;

    g_assert_nonnull(held_id);
    /* So that "its own time" and "now" differ. */
    test_client_wait_for(seconds_passed_cb, &later, "two seconds to pass");
    test_client_open_im(me(), SAM);
    ajar_test_drain();

    g_assert_cmpint(test_client_command(me(), SAM, "ajar release"), ==, PURPLE_CMD_STATUS_OK);
    lines = test_client_take_lines();
    for (guint i = 0; i < lines->len; i++) {
        const TestLine *line = g_ptr_array_index(lines, i);
        if (line->flags & PURPLE_MESSAGE_RECV) {
            g_assert_null(shown);
            shown = line;
        }
    }
    g_assert_nonnull(shown);
    g_assert_cmpstr(shown->message, ==, SAM_TEXT);
    g_assert_cmpstr(shown->who, ==, SAM_PHONE);
    g_assert_cmpint(shown->mtime, >=, held_at);
    g_assert_cmpint(shown->mtime, <=, held_at + 1);
    g_assert_cmpuint(ajar_test_count_lines_with(lines, "Ajar: 1 message released."), ==, 1);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_RELEASED, held_id), ==, 1);
    g_assert_cmpint(ajar_test_item_state(held_id), ==, AJAR_EVENT_RELEASED);

    /* In the history log, at the time it came. */
    {
        g_autoptr(GDateTime) when = g_date_time_new_from_unix_local(shown->mtime);
        stamp = g_date_time_format(when, "(%H:%M:%S) " SAM_PHONE ": ");
    }
    log = test_client_read_log(me(), SAM);
    g_test_message("log:\n%s", log);
    g_assert_nonnull(strstr(log, stamp));
    g_assert_nonnull(strstr(log, "are you awake? I keep thinking about"));

    /* Nothing is left to release, and nothing shows twice. */
    g_clear_pointer(&lines, g_ptr_array_unref);
    g_assert_cmpint(test_client_command(me(), SAM, "ajar release"), ==, PURPLE_CMD_STATUS_OK);
    lines = test_client_take_lines();
    g_assert_cmpuint(ajar_test_count_lines_with(lines, "nothing of theirs is kept"), ==, 1);
    g_assert_cmpuint(ajar_test_count_lines_with(lines, "are you awake?"), ==, 0);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_RELEASED, held_id), ==, 1);
    test_client_close_im(me(), SAM);
}

/* Due while the account was offline: delivered when it is next online. */
static void
test_delay_due_offline(void)
{
    g_autoptr(AjarEvent) event = NULL;
    gint64 seq;

    use_rule("count", "Kim", "kim@example.org", "{\"action\": \"delay\", \"seconds\": 1}", "");
    seq = ajar_test_last_seq();
    test_client_receive(me(), "kim@example.org", "are you back?", 0, time(NULL));
    test_client_disconnect(me());
    ajar_test_run_for(1500);
    ajar_test_assert_nothing_shown();
    event = only_event(seq, AJAR_EVENT_DELAYED);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_DELIVERED, event->id), ==, 0);

    test_client_connect(me());
    test_client_wait_for(received_once_cb, NULL, "the delayed message after sign-on");
    test_client_iterate(100);
    g_assert_cmpint(assert_shown("kim@example.org", "are you back?"), ==,
                    event->time / G_USEC_PER_SEC);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_DELIVERED, event->id), ==, 1);
    test_client_close_im(me(), "kim@example.org");
}

/* "Delay their messages…" on one of the person's buddies asks how long,
 * then makes a rule for the whole person; "Turn off" removes it. */
/* People often block the person after a break-up. libpurple drops a message
 * from a blocked sender before any plugin sees it, so a release to someone
 * blocked must still show (and only then count as released). */
static void
test_release_when_blocked(void)
{
    g_autoptr(GPtrArray) lines = NULL;
    gint64 seq;
    g_autoptr(GPtrArray) held = NULL;
    const char *id;

    use_rule("count", "Blocked", SKY, "{\"action\": \"hold\"}", "");
    seq = ajar_test_last_seq();
    test_client_receive(me(), SKY, "one last thing", 0, time(NULL));
    ajar_test_assert_nothing_shown();
    held = ajar_test_events_since(seq, AJAR_EVENT_HELD, NULL);
    g_assert_cmpuint(held->len, ==, 1);
    id = ((AjarEvent *)g_ptr_array_index(held, 0))->id;

    /* Block them the way Pidgin's Block menu does. */
    purple_privacy_deny(me(), SKY, FALSE, FALSE);
    g_assert_false(purple_privacy_check(me(), SKY));
    test_client_open_im(me(), SKY);
    ajar_test_drain();
    g_assert_cmpint(test_client_command(me(), SKY, "ajar release"), ==, PURPLE_CMD_STATUS_OK);
    lines = test_client_take_lines();
    g_assert_cmpuint(ajar_test_count_lines_with(lines, "one last thing"), ==, 1);
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_RELEASED, id), ==, 1);
    purple_privacy_allow(me(), SKY, FALSE, FALSE);
    test_client_close_im(me(), SKY);
    ajar_test_drain();
}

/* Another plugin that runs first (default priority) and swallows a message
 * by setting it to NULL: Ajar leaves it alone and journals nothing. */
static int swallow_handle;

static gboolean
swallow_cb(PurpleAccount *account, char **sender, char **message, PurpleConversation *conv,
           PurpleMessageFlags *flags, gpointer data)
{
    if (*message != NULL && strstr(*message, "SWALLOW") != NULL) {
        g_free(*message);
        *message = NULL;
    }
    return FALSE;
}

static void
test_null_from_earlier_handler(void)
{
    gint64 seq;

    use_rule("count", "Swallowed", SKY, "{\"action\": \"hold\"}", "");
    purple_signal_connect(purple_conversations_get_handle(), "receiving-im-msg", &swallow_handle,
                          PURPLE_CALLBACK(swallow_cb), NULL);
    seq = ajar_test_last_seq();
    test_client_receive(me(), SKY, "SWALLOW this", 0, time(NULL));
    ajar_test_assert_nothing_shown();
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_UNKNOWN), ==, 0);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_HELD), ==, 0);
    purple_signals_disconnect_by_handle(&swallow_handle);
    ajar_test_drain();
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    g_test_add_func("/plugin/incoming/hold", test_hold);
    g_test_add_func("/plugin/incoming/archive-never-announced", test_archive_never_announced);
    g_test_add_func("/plugin/incoming/delay-seconds", test_delay_seconds);
    g_test_add_func("/plugin/incoming/delay-at", test_delay_at);
    g_test_add_func("/plugin/incoming/pass-keyword", test_pass_keyword);
    g_test_add_func("/plugin/incoming/active-window-over", test_active_window_over);
    g_test_add_func("/plugin/incoming/auto-response", test_auto_response);
    g_test_add_func("/plugin/incoming/typing", test_typing);
    g_test_add_func("/plugin/incoming/release-own-time", test_release);
    g_test_add_func("/plugin/incoming/delay-due-while-offline", test_delay_due_offline);
    g_test_add_func("/plugin/incoming/release-when-blocked", test_release_when_blocked);
    g_test_add_func("/plugin/incoming/null-from-earlier-handler", test_null_from_earlier_handler);
    status = g_test_run();

    g_clear_pointer(&held_id, g_free);
    test_client_quit();
    test_client_cleanup();
    return status;
}
