/* test-attention.c — a buzz (XMPP <attention/>, Yahoo buzz) from someone
 * whose messages are held or archived: not shown, no sound, journaled as an
 * "attention" event without text, counted in the review and the statistics.
 *
 * libpurple's purple_prpl_got_attention() writes "Sam has buzzed you!"
 * through serv_got_im() (PURPLE_MESSAGE_NOTIFY), then, if a conversation
 * with Sam is open, emits "got-attention", where Pidgin and Finch play their
 * "Attention received" sound (the test client does the same). That signal
 * cannot be cancelled; the sound can ("playing-sound-event"). libpurple
 * plays one sound event at most once in 2 seconds, so each case that needs
 * the sound to be asked for waits that long first. */
#include "ajar-test-util.h"

#include <sound.h>

#define ME "me@example.org/Home"
#define SAM "sam@example.org"
#define KIM "kim@example.org"
#define SKY "sky@example.org"

static PurpleAccount *
me(void)
{
    return ajar_test_account(ME);
}

static void
use_rule(const char *name, const char *buddy, const char *incoming, const char *extra)
{
    g_autofree char *json = g_strdup_printf(
        "{\"version\": 1, \"rules\": [{\"name\": \"%s\", \"match\": [{\"account\": "
        "\"me@example.org\", \"protocol\": \"" TEST_PRPL_ID "\", \"buddy\": \"%s\"}], "
        "\"incoming\": %s%s}], \"settings\": {\"notify\": \"message\"}}\n",
        name, buddy, incoming, extra);

    me();
    ajar_test_reload_with_rules(json);
}

/* Every time a UI asked libpurple to play the attention sound (before any
 * plugin could stop it): counted first, at the lowest priority. */
static int sound_handle;
static guint attention_sound_asked;

static gboolean
playing_sound_cb(PurpleSoundEventID event, PurpleAccount *account, gpointer data)
{
    if (event == PURPLE_SOUND_GOT_ATTENTION)
        attention_sound_asked++;
    return FALSE;
}

/* Forgets the sounds and signals so far. */
static void
forget_sounds(void)
{
    ajar_test_drain();
    g_array_unref(test_client_take_sounds());
    attention_sound_asked = 0;
}

/* Past libpurple's "once in 2 seconds" for one sound event. */
static void
wait_sound_allowed(void)
{
    ajar_test_run_for(2100);
    forget_sounds();
}

static guint
attention_sounds_played(void)
{
    g_autoptr(GArray) sounds = test_client_take_sounds();
    guint count = 0;

    for (guint i = 0; i < sounds->len; i++)
        count += g_array_index(sounds, PurpleSoundEventID, i) == PURPLE_SOUND_GOT_ATTENTION;
    return count;
}

/* A buzz from someone no rule names, their window open: libpurple's line,
 * "got-attention", the sound. What Ajar must not touch. */
static void
assert_buzz_shown(const char *who)
{
    g_autoptr(GPtrArray) lines = NULL;
    TestLine *line;

    wait_sound_allowed();
    test_client_open_im(me(), who);
    g_ptr_array_unref(test_client_take_lines());
    test_client_receive_attention(me(), who, 0);
    lines = test_client_take_lines();
    g_assert_cmpuint(lines->len, ==, 1);
    line = g_ptr_array_index(lines, 0);
    g_assert_nonnull(strstr(line->message, "has buzzed you!"));
    /* libpurple 2.14's own buzz line (prpl.c got_attention()): what
     * ajar_attention_is_buzz() keys on. */
    g_assert_true(line->flags & PURPLE_MESSAGE_NOTIFY);
    g_assert_true(line->flags & PURPLE_MESSAGE_SYSTEM);
    g_assert_cmpuint(test_client_signal_count("got-attention"), ==, 1);
    g_assert_cmpuint(attention_sound_asked, ==, 1);
    g_assert_cmpuint(attention_sounds_played(), ==, 1);
    test_client_close_im(me(), who);
    ajar_test_drain();
}

/* One swallowed buzz since @seq: no "held" (or any kept) message for it,
 * nothing shown, no sound. @window_open: the UI asked for the sound (so
 * "not played" means Ajar stopped it, not that nobody asked). */
static void
assert_buzz_swallowed(gint64 seq, gboolean window_open, const char *rule, const char *buddy)
{
    g_autoptr(GPtrArray) attention = ajar_test_events_since(seq, AJAR_EVENT_ATTENTION, NULL);
    g_autoptr(GPtrArray) lines = test_client_take_lines();
    g_autoptr(GPtrArray) received = test_client_take_received();
    g_autoptr(GPtrArray) opened = test_client_take_opened();

    g_assert_cmpuint(lines->len, ==, 0);
    g_assert_cmpuint(received->len, ==, 0);
    g_assert_cmpuint(opened->len, ==, 0);
    g_assert_cmpuint(test_client_signal_count("received-im-msg"), ==, 0);
    g_assert_cmpuint(test_client_signal_count("writing-im-msg"), ==, 0);
    g_assert_cmpuint(test_client_signal_count("conversation-created"), ==, 0);
    /* libpurple emits it after serv_got_im() whenever a window is open:
     * nothing can stop that signal, only what hangs off it. */
    g_assert_cmpuint(test_client_signal_count("got-attention"), ==, window_open ? 1 : 0);
    g_assert_cmpuint(attention_sound_asked, ==, window_open ? 1 : 0);
    g_assert_cmpuint(attention_sounds_played(), ==, 0);
    /* Not a message: nothing is kept, nothing to release later. */
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_HELD), ==, 0);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_ARCHIVED), ==, 0);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_DELAYED), ==, 0);
    /* Journaled as what it is: who, which rule, when; no text. */
    g_assert_cmpuint(attention->len, ==, 1);
    {
        const AjarEvent *event = g_ptr_array_index(attention, 0);
        g_assert_cmpstr(event->account, ==, ME);
        g_assert_cmpstr(event->protocol, ==, TEST_PRPL_ID);
        g_assert_cmpstr(event->buddy, ==, buddy);
        g_assert_cmpstr(event->rule, ==, rule);
        g_assert_null(event->text);
        g_assert_cmpint(event->time, >, 0);
        g_assert_cmpint(event->time % G_USEC_PER_SEC, ==, 0);
    }
}

/* Held, their window open (the user had it open from before): the line is
 * not written, the sound not played; "got-attention" itself still fires. */
static void
test_held_window_open(void)
{
    gint64 seq;

    use_rule("Sam", SAM, "{\"action\": \"hold\"}", "");
    test_client_open_im(me(), SAM);
    ajar_test_drain();
    wait_sound_allowed();
    g_ptr_array_unref(test_client_take_lines());
    seq = ajar_test_last_seq();
    test_client_receive_attention(me(), "Sam@Example.org/phone", 0);
    assert_buzz_swallowed(seq, TRUE, "Sam", "Sam@Example.org/phone");
    test_client_close_im(me(), SAM);
    ajar_test_drain();
    /* The next buzz from someone else sounds as before: Ajar's mute was
     * for that one buzz only. */
    assert_buzz_shown(KIM);
}

/* Archived, no window: no window opens, no sound is even asked for. */
static void
test_archived_no_window(void)
{
    gint64 seq;

    use_rule("Sam", SAM, "{\"action\": \"archive\"}", "");
    forget_sounds();
    seq = ajar_test_last_seq();
    test_client_receive_attention(me(), SAM, 0);
    assert_buzz_swallowed(seq, FALSE, "Sam", SAM);
    g_assert_null(purple_find_conversation_with_account(PURPLE_CONV_TYPE_IM, SAM, me()));
}

/* Delayed: a buzz shown later would mean nothing; it is counted, not kept
 * for later. */
static void
test_delayed_not_kept(void)
{
    gint64 seq;

    use_rule("Sam", SAM, "{\"action\": \"delay\", \"seconds\": 60}", "");
    forget_sounds();
    seq = ajar_test_last_seq();
    test_client_receive_attention(me(), SAM, 0);
    assert_buzz_swallowed(seq, FALSE, "Sam", SAM);
}

/* A pass keyword is about their words; libpurple's "… has buzzed you!"
 * line is not theirs, and never lets a buzz through. */
static void
test_keyword_not_applied(void)
{
    gint64 seq;

    use_rule("Sky", SKY, "{\"action\": \"hold\"}", ", \"pass_keywords\": [\"buzzed\", \"sky\"]");
    forget_sounds();
    seq = ajar_test_last_seq();
    test_client_receive_attention(me(), SKY, 0);
    assert_buzz_swallowed(seq, FALSE, "Sky", SKY);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_PASSED), ==, 0);
}

/* Counted where the user looks: the review's first step ("Sam: 1 held,
 * 0 archived unread, 2 buzzes, newest …") and Statistics ("Buzzes");
 * never a word of theirs. */
static void
test_counted(void)
{
    g_autoptr(GPtrArray) requests = NULL;
    g_autoptr(GPtrArray) notices = NULL;
    PurpleRequestField *people;
    const TestNotice *notice;

    /* A rule of its own, so earlier cases' buzzes do not count. */
    use_rule("Robin", "robin@example.org", "{\"action\": \"hold\"}", "");
    test_client_receive(me(), "robin@example.org", "are you there", 0, time(NULL));
    test_client_receive_attention(me(), "robin@example.org", 0);
    test_client_receive_attention(me(), "robin@example.org", 0);
    ajar_test_drain();

    ajar_test_run_action(ajar_test_plugin(), "Review held messages…");
    requests = test_client_take_requests();
    g_assert_cmpuint(requests->len, ==, 1);
    people = purple_request_fields_get_field(
        ((TestRequest *)g_ptr_array_index(requests, 0))->fields, "person");
    g_assert_nonnull(people);
    g_assert_nonnull(
        ajar_test_list_item(people, "Robin: 1 held, 0 archived unread, 2 buzzes, newest "));
    test_client_request_cancel(g_ptr_array_index(requests, 0));

    ajar_test_run_action(ajar_test_plugin(), "Statistics…");
    notices = test_client_take_notices();
    g_assert_cmpuint(notices->len, ==, 1);
    notice = g_ptr_array_index(notices, 0);
    g_test_message("%s", notice->text);
    g_assert_nonnull(strstr(notice->text, "Robin<br>"));
    g_assert_nonnull(strstr(notice->text, "Buzzes                  2<br>"));
    g_assert_null(strstr(notice->text, "are you there"));
    test_client_notices_close(notices);
    ajar_test_drain();
}

/* Nobody's rule: untouched. */
static void
test_no_rule_shown(void)
{
    use_rule("Sam", SAM, "{\"action\": \"hold\"}", "");
    assert_buzz_shown(KIM);
}

/* A real message a protocol flags NOTIFY (slack-libpurple does so for
 * @here/@channel) is not a buzz: held with its text, not swallowed. */
static void
test_notify_message_kept(void)
{
    gint64 seq;
    g_autoptr(GPtrArray) held = NULL;
    g_autoptr(GPtrArray) received = NULL;

    use_rule("Sam", SAM, "{\"action\": \"hold\"}", "");
    seq = ajar_test_last_seq();
    test_client_receive(me(), SAM, "@here the keys are under the mat", PURPLE_MESSAGE_NOTIFY,
                        time(NULL));
    test_client_iterate(100);
    ajar_test_drain();
    held = ajar_test_events_since(seq, AJAR_EVENT_HELD, NULL);
    received = test_client_take_received();
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_ATTENTION), ==, 0);
    g_assert_cmpuint(received->len, ==, 0);
    g_assert_cmpuint(held->len, ==, 1);
    g_assert_cmpstr(((const AjarEvent *)g_ptr_array_index(held, 0))->text, ==,
                    "@here the keys are under the mat");
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();
    purple_signal_connect_priority(purple_sounds_get_handle(), "playing-sound-event", &sound_handle,
                                   PURPLE_CALLBACK(playing_sound_cb), NULL,
                                   PURPLE_SIGNAL_PRIORITY_LOWEST);

    g_test_add_func("/plugin/attention/no-rule-shown", test_no_rule_shown);
    g_test_add_func("/plugin/attention/held-window-open", test_held_window_open);
    g_test_add_func("/plugin/attention/archived-no-window", test_archived_no_window);
    g_test_add_func("/plugin/attention/delayed-not-kept", test_delayed_not_kept);
    g_test_add_func("/plugin/attention/keyword-not-applied", test_keyword_not_applied);
    g_test_add_func("/plugin/attention/counted", test_counted);
    g_test_add_func("/plugin/attention/notify-message-kept", test_notify_message_kept);
    status = g_test_run();

    purple_signals_disconnect_by_handle(&sound_handle);
    test_client_quit();
    test_client_cleanup();
    return status;
}
