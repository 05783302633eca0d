/* test-chats.c — their lines in a room you share, as a user of the built
 * ajar.so would notice them: withheld lines journaled (with the room and
 * the nick) and never shown, highlighted or announced, while everyone
 * else's flow as usual; matched by real address or by nick; their joins
 * and parts; the review by room; release into the open room with the
 * line's own time, kept while the room is closed; a journal that cannot
 * take a line; a restart, and the room's history sent again on joining.
 *
 * Rooms are the in-test protocol's (test-prpl.c): joined at once, other
 * occupants' lines injected through serv_got_chat_in() as a protocol
 * delivers them. The cases share one core and run in order. */
#include "chats-test-util.h"

#include <errno.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <imgstore.h>

#include "ajar/ajar-images.h"

static void
test_hold_by_address(void)
{
    g_autoptr(GPtrArray) held = NULL;
    g_autoptr(GPtrArray) lines = NULL;
    const TestLine *kims;
    gint64 seq;

    use_rules(BY_ADDRESS, HOLD, "count");
    join_with_sam(ROOM, SAM_REAL);
    seq = ajar_test_last_seq();

    test_client_receive_chat(me(), ROOM, "sam", "I'm sorry about everything", 0, time(NULL));
    test_client_receive_chat(me(), ROOM, "sam", NAMES_ME, 0, time(NULL));
    test_client_receive_chat(me(), ROOM, "kim", "who's coming on friday?", 0, time(NULL));
    test_client_receive_chat(me(), ROOM, "kim", "and " NAMES_ME, 0, time(NULL));
    test_client_send_chat(me(), ROOM, "I am!");
    test_client_iterate(100);

    held = ajar_test_events_since(seq, AJAR_EVENT_HELD, NULL);
    g_assert_cmpuint(held->len, ==, 2);
    assert_kept_line(held, ROOM, "I'm sorry about everything", SAM_REAL);
    assert_kept_line(held, ROOM, NAMES_ME, SAM_REAL);

    /* Kim's lines and yours as usual; Sam's nowhere: no line, no
     * received-chat-msg (sounds, alerts), no highlight. */
    lines = room_lines(ROOM);
    g_assert_cmpuint(lines->len, ==, 3);
    g_assert_nonnull(line_with(lines, "who's coming on friday?"));
    kims = line_with(lines, "and " NAMES_ME);
    g_assert_nonnull(kims);
    g_assert_true(kims->flags & PURPLE_MESSAGE_NICK); /* what a line naming you gets */
    g_assert_true(line_with(lines, "I am!")->flags & PURPLE_MESSAGE_SEND);
    g_assert_null(line_with(lines, "sorry"));
    g_assert_cmpuint(test_client_signal_count("receiving-chat-msg"), ==, 5);
    g_assert_cmpuint(test_client_signal_count("received-chat-msg"), ==, 3);
    g_assert_cmpuint(test_client_signal_count("writing-chat-msg"), ==, 3);
    /* Yours is never kept. */
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_HELD), ==, 2);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 1);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_notices()), ==, 0);
}

/* Someone else under the nick "sam", with another real address: a buddy
 * entry matches the person, not the nick. */
static void
test_same_nick_other_person(void)
{
    g_autoptr(GPtrArray) lines = NULL;
    gint64 seq;

    use_rules(BY_ADDRESS, HOLD, "count");
    join_with_sam(OTHER_ROOM, "another.sam@example.net/home");
    seq = ajar_test_last_seq();
    test_client_receive_chat(me(), OTHER_ROOM, "sam", "hi all", 0, time(NULL));
    lines = room_lines(OTHER_ROOM);
    g_assert_nonnull(line_with(lines, "hi all"));
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_HELD), ==, 0);
    g_assert_cmpuint(test_client_signal_count("received-chat-msg"), ==, 1);
    test_client_leave_chat(me(), OTHER_ROOM);
}

static void
test_archive(void)
{
    g_autoptr(GPtrArray) archived = NULL;
    g_autoptr(GPtrArray) lines = NULL;
    gint64 seq;

    /* "message" announces held messages; archived ones never. */
    use_rules(BY_ADDRESS, "{\"action\": \"archive\"}", "message");
    join_with_sam(ROOM, SAM_REAL);
    seq = ajar_test_last_seq();
    test_client_receive_chat(me(), ROOM, "sam", "the photos from the trip", 0, time(NULL));
    test_client_receive_chat(me(), ROOM, "kim", "nice", 0, time(NULL));
    archived = ajar_test_events_since(seq, AJAR_EVENT_ARCHIVED, NULL);
    g_assert_cmpuint(archived->len, ==, 1);
    assert_kept_line(archived, ROOM, "the photos from the trip", SAM_REAL);
    lines = room_lines(ROOM);
    g_assert_cmpuint(lines->len, ==, 1);
    g_assert_nonnull(line_with(lines, "nice"));
    g_assert_cmpuint(test_client_signal_count("received-chat-msg"), ==, 1);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_notices()), ==, 0);
}

/* No real address (an anonymous room): a chat_nick entry matches, in every
 * room or only in the one it names. */
static void
test_nick(void)
{
    g_autoptr(GPtrArray) held = NULL;
    g_autoptr(GPtrArray) lines = NULL;
    gint64 seq;

    use_rules(BY_NICK, HOLD, "count");
    join_with_sam(OTHER_ROOM, NULL);
    seq = ajar_test_last_seq();
    test_client_receive_chat(me(), ROOM, "Sam", "any room", 0, time(NULL));
    test_client_receive_chat(me(), OTHER_ROOM, "sam", "this one too", 0, time(NULL));
    held = ajar_test_events_since(seq, AJAR_EVENT_HELD, NULL);
    g_assert_cmpuint(held->len, ==, 2);
    /* No address known: the nick is who it came from. */
    g_assert_cmpstr(((AjarEvent *)g_ptr_array_index(held, 0))->chat, ==, ROOM);
    g_assert_cmpstr(((AjarEvent *)g_ptr_array_index(held, 0))->nick, ==, "Sam");
    assert_kept_line(held, OTHER_ROOM, "this one too", "sam");
    g_assert_cmpuint(ajar_test_count_and_free(room_lines(OTHER_ROOM)), ==, 0);

    /* With "chat": that room only. */
    use_rules("{\"chat_nick\": \"sam\", \"chat\": \"" ROOM "\"}", HOLD, "count");
    seq = ajar_test_last_seq();
    test_client_reset_counts();
    test_client_receive_chat(me(), ROOM, "sam", "here only", 0, time(NULL));
    test_client_receive_chat(me(), OTHER_ROOM, "sam", "shown elsewhere", 0, time(NULL));
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_HELD), ==, 1);
    lines = test_client_take_lines();
    g_assert_cmpuint(lines->len, ==, 1);
    g_assert_cmpstr(((TestLine *)g_ptr_array_index(lines, 0))->conv, ==, OTHER_ROOM);
    g_assert_cmpstr(((TestLine *)g_ptr_array_index(lines, 0))->message, ==, "shown elsewhere");
    g_assert_cmpuint(test_client_signal_count("received-chat-msg"), ==, 1);
    test_client_leave_chat(me(), OTHER_ROOM);
}

/* A rule whose "chats" is left out: their lines pass, their IMs do not. */
static void
test_merely_present(void)
{
    g_autoptr(GPtrArray) lines = NULL;
    gint64 seq;

    me();
    ajar_test_reload_with_rules("{\"version\": 1, \"rules\": [{\"name\": \"Sam\", \"match\": "
                                "[" BY_ADDRESS "], \"incoming\": {\"action\": \"hold\"}}], "
                                "\"settings\": {\"notify\": \"silent\"}}\n");
    seq = ajar_test_last_seq();
    test_client_reset_counts();
    test_client_chat_add_occupant(me(), ROOM, "sam2", SAM_REAL, TRUE);
    test_client_receive_chat(me(), ROOM, "sam2", "still here", 0, time(NULL));
    lines = room_lines(ROOM);
    g_assert_cmpuint(lines->len, ==, 2);
    g_assert_nonnull(line_with(lines, "entered the room"));
    g_assert_nonnull(line_with(lines, "still here"));
    g_assert_cmpuint(ajar_test_last_seq(), ==, seq);
    test_client_chat_remove_occupant(me(), ROOM, "sam2", NULL);
    g_ptr_array_unref(test_client_take_lines());
}

/* Their joins and parts: not shown when notify is silent, shown otherwise;
 * everyone else's always. */
static void
test_joins_and_parts(void)
{
    g_autoptr(GPtrArray) lines = NULL;

    use_rules(BY_ADDRESS, HOLD, "silent");
    test_client_reset_counts();
    test_client_chat_remove_occupant(me(), ROOM, "sam", "bye");
    test_client_chat_remove_occupant(me(), ROOM, "kim", NULL);
    test_client_chat_add_occupant(me(), ROOM, "sam", SAM_REAL, TRUE);
    test_client_chat_add_occupant(me(), ROOM, "kim", KIM_REAL, TRUE);
    lines = room_lines(ROOM);
    for (guint i = 0; i < lines->len; i++)
        g_test_message("line: %s", ((TestLine *)g_ptr_array_index(lines, i))->message);
    g_assert_cmpuint(lines->len, ==, 2);
    g_assert_nonnull(line_with(lines, "kim left the room"));
    g_assert_nonnull(line_with(lines, "kim entered the room"));
    g_assert_null(line_with(lines, "sam"));
    /* Still in the room (its list of occupants), only not announced. */
    g_assert_cmpuint(test_client_signal_count("chat-buddy-joined"), ==, 2);
    g_assert_true(
        purple_conv_chat_find_user(PURPLE_CONV_CHAT(test_client_find_chat(me(), ROOM)), "sam"));

    g_clear_pointer(&lines, g_ptr_array_unref);
    use_rules(BY_ADDRESS, HOLD, "count");
    test_client_chat_remove_occupant(me(), ROOM, "sam", NULL);
    test_client_chat_add_occupant(me(), ROOM, "sam", SAM_REAL, TRUE);
    lines = room_lines(ROOM);
    g_assert_cmpuint(lines->len, ==, 2);
    g_assert_nonnull(line_with(lines, "sam left the room"));
    g_assert_nonnull(line_with(lines, "sam entered the room"));
}

/* The review lists them by room; release writes them into the open room
 * with their own time, as received, without a highlight or a sound. */
static void
test_review_and_release(void)
{
    g_autoptr(GPtrArray) step = NULL;
    g_autoptr(GPtrArray) lines = NULL;
    g_autoptr(GPtrArray) held = ajar_test_events_since(0, AJAR_EVENT_HELD, NULL);
    g_autoptr(GPtrArray) first = NULL;
    PurpleRequestField *people;
    const AjarEvent *sorry = assert_kept_line(held, ROOM, "I'm sorry about everything", SAM_REAL);
    const AjarEvent *names_me = assert_kept_line(held, ROOM, NAMES_ME, SAM_REAL);
    g_autofree char *sorry_id = g_strdup(sorry->id);
    time_t sorry_time = (time_t)(sorry->time / G_USEC_PER_SEC);
    time_t later = time(NULL) + 1;
    gint64 seq;

    use_rules(BY_ADDRESS, HOLD, "count");
    /* So that "its own time" and "now" differ. */
    while (time(NULL) < later)
        ajar_test_run_for(50);
    first = open_review();
    people = purple_request_fields_get_field(((TestRequest *)g_ptr_array_index(first, 0))->fields,
                                             "person");
    for (GList *l = purple_request_field_list_get_items(people); l != NULL; l = l->next)
        g_test_message("first step: %s", (const char *)l->data);
    /* Kept by a rule named Sam in #friends: two held by address, one
     * archived, two held by nick ("any room", "here only"); in #work (closed
     * now), one held by nick. */
    g_assert_nonnull(ajar_test_list_item(people, ROOM ": 5 lines from Sam"));
    g_assert_nonnull(ajar_test_list_item(people, OTHER_ROOM ": 1 line from Sam"));
    test_client_request_cancel(g_ptr_array_index(first, 0));

    step = ajar_test_review_read(ROOM ": ", NULL);
    g_assert_nonnull(
        strstr(((TestRequest *)g_ptr_array_index(step, 0))->primary, "Kept lines: Sam in " ROOM));
    g_assert_nonnull(strstr(content(step), "I'm sorry about everything"));
    g_assert_null(strstr(content(step), "this one too")); /* #work's */
    seq = ajar_test_last_seq();
    test_client_reset_counts();
    answer(step, (const char *const[]){ "sorry", "are you there", NULL }, "Release the chosen");
    lines = room_lines(ROOM);
    g_assert_cmpuint(lines->len, ==, 2);
    g_assert_cmpstr(((TestLine *)g_ptr_array_index(lines, 0))->message, ==,
                    "I'm sorry about everything");
    for (guint i = 0; i < lines->len; i++) {
        const TestLine *line = g_ptr_array_index(lines, i);
        g_assert_cmpstr(line->who, ==, "sam");
        g_assert_true(line->flags & PURPLE_MESSAGE_RECV);
        g_assert_false(line->flags & PURPLE_MESSAGE_NICK);
    }
    g_assert_cmpint(((TestLine *)g_ptr_array_index(lines, 0))->mtime, ==, sorry_time);
    g_assert_cmpint(((TestLine *)g_ptr_array_index(lines, 0))->mtime, <, later);
    g_assert_cmpint(((TestLine *)g_ptr_array_index(lines, 1))->mtime, ==,
                    names_me->time / G_USEC_PER_SEC);
    g_assert_cmpuint(test_client_signal_count("received-chat-msg"), ==, 0);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_RELEASED), ==, 2);
    g_assert_cmpint(ajar_test_item_state(sorry_id), ==, AJAR_EVENT_RELEASED);
}

/* A released line's picture goes back into the image store for the room to
 * show, and leaves it once written (the room's display holds its own). */
static void
test_release_picture(void)
{
    g_autoptr(GPtrArray) step = NULL;
    g_autoptr(GPtrArray) lines = NULL;
    g_autoptr(GArray) tags = NULL;
    g_autofree char *text = NULL;
    const TestLine *line;
    int id;
    guint shown_id;

    use_rules(BY_ADDRESS, HOLD, "count");
    join_with_sam(ROOM, SAM_REAL);
    id = purple_imgstore_add_with_id(g_memdup2("\x89PNG\r\n\x1a\nbeach", 13), 13, "pic.png");
    text = g_strdup_printf("the beach <img id=\"%d\">", id);
    test_client_receive_chat(me(), ROOM, "sam", text, PURPLE_MESSAGE_IMAGES, time(NULL));
    purple_imgstore_unref_by_id(id);
    g_assert_null(purple_imgstore_find_by_id(id));
    lines = room_lines(ROOM);
    g_assert_null(line_with(lines, "the beach"));
    g_clear_pointer(&lines, g_ptr_array_unref);

    step = ajar_test_review_read(ROOM ": ", NULL);
    answer(step, (const char *const[]){ "the beach", NULL }, "Release the chosen");
    lines = room_lines(ROOM);
    line = line_with(lines, "the beach <img id=\"");
    g_assert_nonnull(line);
    tags = ajar_image_tags_find(line->message, strlen(line->message));
    g_assert_cmpuint(tags->len, ==, 1);
    shown_id = g_array_index(tags, AjarImageTag, 0).id;
    g_assert_cmpuint(shown_id, >, 0);
    g_assert_null(purple_imgstore_find_by_id((int)shown_id));
}

/* With the room closed, a release keeps the line and says so. */
static void
test_release_room_closed(void)
{
    g_autoptr(GPtrArray) step = NULL;
    g_autoptr(GPtrArray) notices = NULL;
    g_autoptr(GPtrArray) lines = NULL;
    TestNotice *notice;
    gint64 seq = ajar_test_last_seq();

    step = ajar_test_review_read(OTHER_ROOM ": 1 line from Sam", NULL);
    answer(step, NULL, "Release all");
    notices = test_client_take_notices();
    g_assert_cmpuint(notices->len, ==, 1);
    notice = g_ptr_array_index(notices, 0);
    g_test_message("notice: %s / %s", notice->primary, notice->secondary);
    g_assert_nonnull(
        strstr(notice->secondary, "The room " OTHER_ROOM " is not open, so its line stays kept."));
    test_client_notices_close(notices);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_RELEASED), ==, 0);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_SHOWING), ==, 0);
    lines = test_client_take_lines();
    g_assert_null(line_with(lines, "this one too"));
}

static gint64
journal_size(void)
{
    g_autofree char *path = ajar_test_path(AJAR_JOURNAL_FILE);
    struct stat st;

    g_assert_cmpint(stat(path, &st), ==, 0);
    return st.st_size;
}

/* The journal cannot grow (an RLIMIT_FSIZE at its size, as
 * test-journal-failure.c does): their line is shown, and the user told. */
static void
test_journal_failure(void)
{
    g_autoptr(GPtrArray) lines = NULL;
    g_autoptr(GPtrArray) notices = NULL;
    struct rlimit old, limit;
    TestNotice *notice;
    gint64 seq = ajar_test_last_seq();

    test_client_reset_counts();
    signal(SIGXFSZ, SIG_IGN);
    g_assert_cmpint(getrlimit(RLIMIT_FSIZE, &old), ==, 0);
    limit = old;
    limit.rlim_cur = (rlim_t)journal_size();
    g_assert_cmpint(setrlimit(RLIMIT_FSIZE, &limit), ==, 0);
    test_client_receive_chat(me(), ROOM, "sam", "are you still mad at me", 0, time(NULL));
    g_assert_cmpint(setrlimit(RLIMIT_FSIZE, &old), ==, 0);

    lines = room_lines(ROOM);
    g_assert_cmpuint(lines->len, ==, 1);
    g_assert_cmpstr(((TestLine *)g_ptr_array_index(lines, 0))->message, ==,
                    "are you still mad at me");
    g_assert_cmpuint(test_client_signal_count("received-chat-msg"), ==, 1);
    notices = test_client_take_notices();
    g_assert_cmpuint(notices->len, ==, 1);
    notice = g_ptr_array_index(notices, 0);
    g_assert_cmpint(notice->type, ==, PURPLE_NOTIFY_MSG_ERROR);
    g_assert_cmpstr(notice->primary, ==,
                    "Ajar could not keep a message from Sam safe, so it was shown as usual.");
    g_assert_nonnull(strstr(notice->secondary, g_strerror(EFBIG)));
    test_client_notices_close(notices);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_HELD), ==, 0);
}

/* The history a room sends on joining (PURPLE_MESSAGE_DELAYED), with the
 * time the room stamped each line with (XMPP's delay): theirs is withheld
 * like any line, journaled with its own time, and kept once however often
 * the room sends it again; after a restart too, where what was kept is
 * still kept. */
static void
test_history_and_restart(void)
{
    PurpleAccount *account;
    g_autoptr(GPtrArray) lines = NULL;
    g_autoptr(GPtrArray) step = NULL;
    g_autoptr(GPtrArray) held = NULL;
    gint64 seq = ajar_test_last_seq();
    time_t hour_ago = time(NULL) - 3600, minute_ago = time(NULL) - 60;
    guint kept_before;

    test_client_leave_chat(me(), ROOM);
    test_client_join_chat(me(), ROOM);
    receive_stamped(me(), ROOM, "sam", "from the history", hour_ago);
    receive_stamped(me(), ROOM, "sam", "from the history", minute_ago);
    receive_stamped(me(), ROOM, "kim", "kim's history", minute_ago);
    held = ajar_test_events_since(seq, AJAR_EVENT_HELD, NULL);
    g_assert_cmpuint(held->len, ==, 2);
    /* Journaled with the time the room says they were written. */
    g_assert_cmpint(((AjarEvent *)g_ptr_array_index(held, 0))->time, ==,
                    (gint64)hour_ago * G_USEC_PER_SEC);
    g_assert_cmpint(((AjarEvent *)g_ptr_array_index(held, 1))->time, ==,
                    (gint64)minute_ago * G_USEC_PER_SEC);
    lines = room_lines(ROOM);
    g_assert_nonnull(line_with(lines, "kim's history"));
    g_assert_null(line_with(lines, "from the history"));
    ajar_test_drain();
    {
        g_autoptr(AjarState) state = ajar_test_read_state();
        g_autoptr(GPtrArray) kept = ajar_state_list_custody(state);
        kept_before = kept->len;
    }

    /* A rejoin: the same history again, not kept twice. */
    seq = ajar_test_last_seq();
    test_client_leave_chat(me(), ROOM);
    test_client_join_chat(me(), ROOM);
    receive_stamped(me(), ROOM, "sam", "from the history", hour_ago);
    receive_stamped(me(), ROOM, "sam", "from the history", minute_ago);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_HELD), ==, 0);

    /* The messenger restarts; the room sends the same history again. */
    test_client_restart();
    ajar_test_load();
    account = test_client_find_account(ME);
    test_client_connect(account);
    ajar_test_drain();
    g_clear_pointer(&lines, g_ptr_array_unref);
    g_ptr_array_unref(test_client_take_lines());
    seq = ajar_test_last_seq();
    test_client_join_chat(account, ROOM);
    test_client_chat_add_occupant(account, ROOM, "sam", SAM_REAL, FALSE);
    receive_stamped(account, ROOM, "sam", "from the history", hour_ago);
    receive_stamped(account, ROOM, "sam", "from the history", minute_ago);
    receive_stamped(account, ROOM, "sam", "new since then", time(NULL) - 30);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_HELD), ==, 1);
    lines = room_lines(ROOM);
    g_assert_null(line_with(lines, "history"));
    g_assert_null(line_with(lines, "new since then"));

    /* What was kept before is kept still, and listed by room. */
    {
        g_autoptr(AjarState) state = ajar_test_read_state();
        g_autoptr(GPtrArray) kept = ajar_state_list_custody(state);
        g_assert_cmpuint(kept->len, ==, kept_before + 1);
    }
    /* The three left after the release, two of the history, one new. */
    step = ajar_test_review_read(ROOM ": 6 lines from Sam", NULL);
    g_assert_nonnull(strstr(content(step), "from the history"));
    g_assert_nonnull(strstr(content(step), "new since then"));
    test_client_request_cancel(g_ptr_array_index(step, 0));
}

/* A new sender listed first in the review's first step: the room's line
 * still opens the room's kept lines (the step's per-line data stays in
 * step with its lines). */
static void
test_review_with_new_sender(void)
{
    g_autoptr(GPtrArray) step = NULL;

    ajar_test_reload_with_rules(
        "{\"version\": 1, \"rules\": [{\"name\": \"Sam\", \"match\": [" BY_ADDRESS
        "], \"chats\": " HOLD "}, {\"name\": \"New\", \"match\": [{\"stranger\": true}], "
        "\"incoming\": " HOLD "}]}\n");
    test_client_receive(me(), "zoe@example.org", "hello from zoe", 0, time(NULL));
    test_client_iterate(100);
    g_assert_cmpuint(ajar_test_count_and_free(ids_of("zoe@example.org", AJAR_EVENT_HELD)), ==, 1);
    step = ajar_test_review_read(ROOM ": 6 lines from Sam", NULL);
    g_assert_nonnull(strstr(content(step), "new since then"));
    g_assert_null(strstr(content(step), "hello from zoe"));
    test_client_request_cancel(g_ptr_array_index(step, 0));
}

/* Sam's "ok" on Monday is held; on Tuesday, while you are away, "ok" again:
 * the history you rejoin to has only Tuesday's. Kept, with a stamp or not
 * (without one a line is never taken for one the journal has). */
static void
test_history_same_words_again(void)
{
    g_autoptr(GPtrArray) lines = NULL;
    time_t monday = time(NULL) - 86400, tuesday = time(NULL) - 600;
    gint64 seq;

    join_with_sam(ROOM, SAM_REAL);
    seq = ajar_test_last_seq();
    test_client_receive_chat(me(), ROOM, "sam", "ok", 0, monday);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_HELD), ==, 1);
    test_client_leave_chat(me(), ROOM);

    join_with_sam(ROOM, SAM_REAL);
    seq = ajar_test_last_seq();
    test_client_receive_chat(me(), ROOM, "sam", "ok", PURPLE_MESSAGE_DELAYED, tuesday);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_HELD), ==, 1);
    lines = room_lines(ROOM);
    g_assert_null(line_with(lines, "ok"));
    test_client_leave_chat(me(), ROOM);

    /* Stamped: Tuesday's is kept once, Wednesday's "ok" too. */
    join_with_sam(ROOM, SAM_REAL);
    seq = ajar_test_last_seq();
    receive_stamped(me(), ROOM, "sam", "ok", tuesday);
    receive_stamped(me(), ROOM, "sam", "ok", tuesday + 60);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_HELD), ==, 2);
    test_client_leave_chat(me(), ROOM);
    join_with_sam(ROOM, SAM_REAL);
    seq = ajar_test_last_seq();
    receive_stamped(me(), ROOM, "sam", "ok", tuesday);
    receive_stamped(me(), ROOM, "sam", "ok", tuesday + 60);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_HELD), ==, 0);
    g_clear_pointer(&lines, g_ptr_array_unref);
    lines = room_lines(ROOM);
    g_assert_null(line_with(lines, "ok"));
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    g_test_add_func("/plugin/chats/hold-by-address", test_hold_by_address);
    g_test_add_func("/plugin/chats/same-nick-other-person", test_same_nick_other_person);
    g_test_add_func("/plugin/chats/archive", test_archive);
    g_test_add_func("/plugin/chats/nick", test_nick);
    g_test_add_func("/plugin/chats/merely-present", test_merely_present);
    g_test_add_func("/plugin/chats/joins-and-parts", test_joins_and_parts);
    g_test_add_func("/plugin/chats/review-and-release", test_review_and_release);
    g_test_add_func("/plugin/chats/release-picture", test_release_picture);
    g_test_add_func("/plugin/chats/release-room-closed", test_release_room_closed);
    g_test_add_func("/plugin/chats/journal-failure", test_journal_failure);
    g_test_add_func("/plugin/chats/history-and-restart", test_history_and_restart);
    g_test_add_func("/plugin/chats/review-with-new-sender", test_review_with_new_sender);
    g_test_add_func("/plugin/chats/history-same-words-again", test_history_same_words_again);
    status = g_test_run();

    test_client_quit();
    test_client_cleanup();
    return status;
}
