/* test-chats.c — Ajar in real group chats: a prosody MUC room (not
 * anonymous: occupants' real addresses are seen) and an ngircd channel.
 * "You" are this process with the built ajar.so; Sam and a friend are
 * e2e-peer processes without Ajar in the same room, so every line travels
 * through the server. Sam's lines are withheld (journaled with the room
 * and the nick, never shown) while the friend's are shown; the review
 * releases Sam's into the room with their own time.
 *
 * Cases: the MUC room matched by Sam's real address, the same room by
 * Sam's nick (a "chat_nick" entry), Sam's leaving and coming back not
 * announced there under notify silent, an anonymous MUC room (by nick only),
 * the room's history after a rejoin, the IRC channel by nick. */
#include "e2e-scenarios.h"

#include <string.h>

#define MUC_ROOM "friends@conference.example.org"
#define ANONYMOUS_ROOM "friends@anonymous.example.org"
#define IRC_CHANNEL "#friends"
#define HISTORY_ROOM "history@conference.example.org"

static E2eParties xmpp;
static E2eParties irc;

static gboolean
is_in_room(const char *room, const char *nick)
{
    PurpleConversation *conv = NULL;

    for (GList *l = purple_get_chats(); l != NULL && conv == NULL; l = l->next) {
        if (g_strcmp0(purple_conversation_get_name(l->data), room) == 0)
            conv = l->data;
    }
    return conv != NULL && purple_conv_chat_find_user(PURPLE_CONV_CHAT(conv), nick);
}

static gboolean
occupant_cb(gpointer data)
{
    const char *const *room_and_nick = data;

    return is_in_room(room_and_nick[0], room_and_nick[1]);
}

static gboolean
gone_cb(gpointer data)
{
    const char *const *room_and_nick = data;

    return !is_in_room(room_and_nick[0], room_and_nick[1]);
}

/* @peer (@nick in the room) goes offline, which takes them out of @room,
 * and comes back into it; waits until your room has seen both. */
static void
leave_and_return(E2ePeer *peer, const char *room, const char *nick)
{
    const char *room_and_nick[] = { room, nick };

    e2e_peer_sign_off(peer);
    e2e_wait(gone_cb, (gpointer)room_and_nick, "an occupant to leave");
    e2e_peer_sign_on(peer);
    e2e_peer_join(peer, room);
    e2e_wait(occupant_cb, (gpointer)room_and_nick, "an occupant to come back");
}

/* The room's lines "NICK ... left the room." / "entered the room." for
 * @nick since the reset. */
static guint
presence_lines(const char *room, const char *nick)
{
    guint count = 0;

    e2e_seen_collect();
    for (guint i = 0; i < e2e_seen_lines->len; i++) {
        const E2eSeenLine *line = g_ptr_array_index(e2e_seen_lines, i);
        if (e2e_is_buddy(line->conv, room) && g_str_has_prefix(line->message, nick) &&
            (strstr(line->message, "left the room") != NULL ||
             strstr(line->message, "entered the room") != NULL))
            count++;
    }
    return count;
}

/* The friend makes the room, you join it, then Sam; waits until your room
 * lists Sam (over XMPP, with the real address if the room reveals it). */
static void
meet_in(const E2eParties *parties, const char *room)
{
    const char *room_and_sam[] = { room, "sam" };
    g_autofree char *what = g_strdup_printf("sam to be in %s", room);

    e2e_peer_join(parties->friend, room);
    e2e_join_chat(parties->me, room);
    e2e_peer_join(parties->sam, room);
    e2e_wait(occupant_cb, (gpointer)room_and_sam, what);
}

static void
use_chat_rule(const E2eParties *parties, const char *match)
{
    g_autofree char *json = g_strdup_printf(
        "{\"version\": 1, \"rules\": [{\"name\": \"Sam\", \"match\": [%s], "
        "\"chats\": {\"action\": \"hold\"}}], \"settings\": {\"notify\": \"count\"}}\n",
        match);

    e2e_use_rules(json);
}

/* Sam says @sams, then the friend says @friends; Sam's line is journaled
 * (room, nick, from @buddy) and not shown, the friend's is. Returns the
 * held event (transfer full). */
static AjarEvent *
sam_withheld(const E2eParties *parties, const char *room, const char *sams, const char *friends,
             const char *buddy)
{
    g_autoptr(GPtrArray) held = NULL;
    AjarEvent *event;
    gint64 seq = ajar_test_last_seq();

    test_client_reset_counts();
    e2e_peer_say(parties->sam, room, sams);
    e2e_peer_say(parties->friend, room, friends);
    held = e2e_wait_journal(seq, AJAR_EVENT_HELD, 1);
    e2e_wait_line(room, friends, PURPLE_MESSAGE_RECV);
    /* Sam's line really went through the room: the friend has it. */
    e2e_peer_wait_chat(parties->friend, sams);

    event = g_ptr_array_steal_index(held, 0);
    g_assert_cmpstr(event->text, ==, sams);
    g_assert_cmpstr(event->chat, ==, room);
    g_assert_cmpstr(event->nick, ==, "sam");
    g_assert_cmpstr(event->buddy, ==, buddy);
    g_assert_cmpstr(event->rule, ==, "Sam");
    g_assert_cmpstr(event->protocol, ==, parties->protocol);
    g_assert_cmpint(event->dir, ==, AJAR_DIRECTION_IN);
    /* No line, no sound or alert (received-chat-msg): only the friend's. */
    g_assert_null(e2e_seen_line(room, sams, 0));
    g_assert_cmpuint(test_client_signal_count("received-chat-msg"), ==, 1);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_HELD), ==, 1);
    return event;
}

/* The review lists it under the room; release writes it into the room
 * with its own time. */
static void
release_from_review(const char *room, const AjarEvent *held)
{
    g_autofree char *prefix = g_strdup_printf("%s: 1 line from Sam", room);
    g_autoptr(GPtrArray) step = NULL;
    TestRequest *request;
    PurpleRequestField *action;
    const E2eSeenLine *line;

    e2e_seen_reset();
    step = ajar_test_review_read(prefix, NULL);
    request = g_ptr_array_index(step, 0);
    g_assert_nonnull(strstr(request->secondary, held->text));
    action = purple_request_fields_get_field(request->fields, "action");
    test_client_fields_pick(request, "action", ajar_test_option_starting(action, "Release all"));
    g_assert_true(test_client_request_fields_ok(request));
    line = e2e_seen_line(room, held->text, PURPLE_MESSAGE_RECV);
    g_assert_nonnull(line);
    g_assert_false(line->flags & PURPLE_MESSAGE_NICK);
    g_assert_cmpint(line->mtime, ==, held->time / G_USEC_PER_SEC);
    g_assert_cmpint(ajar_test_item_state(held->id), ==, AJAR_EVENT_RELEASED);
}

static void
test_muc_real_address(void)
{
    g_autoptr(AjarEvent) held = NULL;
    g_autofree char *sam_real = g_strdup_printf("%s/phone", xmpp.sam_name);
    g_autofree char *match =
        g_strdup_printf("{\"protocol\": \"prpl-jabber\", \"buddy\": \"%s\"}", xmpp.sam_name);

    use_chat_rule(&xmpp, match);
    meet_in(&xmpp, MUC_ROOM);
    held = sam_withheld(&xmpp, MUC_ROOM, "I miss our Sundays", "pizza tonight?", sam_real);
    release_from_review(MUC_ROOM, held);
}

static void
test_muc_nick(void)
{
    g_autoptr(AjarEvent) held = NULL;
    g_autofree char *sam_real = g_strdup_printf("%s/phone", xmpp.sam_name);

    use_chat_rule(&xmpp, "{\"protocol\": \"prpl-jabber\", \"chat_nick\": \"sam\", "
                         "\"chat\": \"" MUC_ROOM "\"}");
    held = sam_withheld(&xmpp, MUC_ROOM, "just say something", "who's bringing drinks?", sam_real);
    release_from_review(MUC_ROOM, held);
}

/* notify silent: Sam leaving and coming back is not announced in the room
 * (prpl-jabber knows his real JID before it adds him and until after it
 * removes him), the friend's is. */
static void
test_muc_joins_quiet(void)
{
    g_autofree char *match =
        g_strdup_printf("{\"protocol\": \"prpl-jabber\", \"buddy\": \"%s\"}", xmpp.sam_name);
    g_autofree char *json = g_strdup_printf(
        "{\"version\": 1, \"rules\": [{\"name\": \"Sam\", \"match\": [%s], "
        "\"chats\": {\"action\": \"hold\"}}], \"settings\": {\"notify\": \"silent\"}}\n",
        match);

    e2e_use_rules(json);
    leave_and_return(xmpp.sam, MUC_ROOM, "sam");
    leave_and_return(xmpp.friend, MUC_ROOM, "friend");
    e2e_wait_line(MUC_ROOM, "entered the room", 0);
    g_assert_cmpuint(presence_lines(MUC_ROOM, "friend"), ==, 2);
    g_assert_cmpuint(presence_lines(MUC_ROOM, "sam"), ==, 0);
}

/* An anonymous room shows nicks only: a "chat_nick" entry knows Sam there
 * (his line kept from the nick), a "buddy" entry cannot (prpl-jabber's
 * "room/nick" is no one's address), so his line is shown. */
static void
test_muc_anonymous(void)
{
    g_autoptr(AjarEvent) held = NULL;
    g_autofree char *match =
        g_strdup_printf("{\"protocol\": \"prpl-jabber\", \"buddy\": \"%s\"}", xmpp.sam_name);
    gint64 seq;

    use_chat_rule(&xmpp, "{\"protocol\": \"prpl-jabber\", \"chat_nick\": \"sam\"}");
    meet_in(&xmpp, ANONYMOUS_ROOM);
    held = sam_withheld(&xmpp, ANONYMOUS_ROOM, "nobody knows it's me", "hello everyone", "sam");

    use_chat_rule(&xmpp, match);
    seq = ajar_test_last_seq();
    e2e_peer_say(xmpp.sam, ANONYMOUS_ROOM, "still me");
    e2e_wait_line(ANONYMOUS_ROOM, "still me", PURPLE_MESSAGE_RECV);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_HELD), ==, 0);
}

/* You close @room's window, which leaves the room (as in Pidgin). */
static void
leave(const char *room)
{
    purple_conversation_destroy(
        purple_find_conversation_with_account(PURPLE_CONV_TYPE_CHAT, room, xmpp.me));
}

typedef struct {
    const char *room;
    gint64 next_try;
} Rejoin;

/* prpl-jabber forgets a room you left only when the room confirms it: the
 * join is asked again until the room is yours again. */
static gboolean
rejoined_cb(gpointer data)
{
    Rejoin *rejoin = data;
    PurpleConversation *conv =
        purple_find_conversation_with_account(PURPLE_CONV_TYPE_CHAT, rejoin->room, xmpp.me);
    PurpleConnection *gc = purple_account_get_connection(xmpp.me);

    if (conv != NULL && !purple_conv_chat_has_left(PURPLE_CONV_CHAT(conv)))
        return TRUE;
    if (g_get_monotonic_time() >= rejoin->next_try) {
        GHashTable *components = PURPLE_PLUGIN_PROTOCOL_INFO(purple_connection_get_prpl(gc))
                                     ->chat_info_defaults(gc, rejoin->room);
        serv_join_chat(gc, components);
        g_hash_table_destroy(components);
        rejoin->next_try = g_get_monotonic_time() + G_USEC_PER_SEC / 2;
    }
    return FALSE;
}

/* You (re)join @room; its history comes (prosody stamps each line with
 * urn:xmpp:delay) and ends with the friend's @last, shown. Returns how
 * many lines were held meanwhile. */
static guint
join_for_history(const char *room, const char *last)
{
    gint64 seq = ajar_test_last_seq();
    Rejoin rejoin = { room, 0 };

    e2e_seen_reset();
    e2e_wait(rejoined_cb, &rejoin, "you to join the room");
    e2e_wait_line(room, last, PURPLE_MESSAGE_DELAYED);
    return ajar_test_count_since(seq, AJAR_EVENT_HELD);
}

/* The room's history after a rejoin: Sam's lines Ajar has are not kept
 * again (same stamp), and the same words said again while you were away
 * are kept, with the time the room gives them. */
static void
test_muc_history(void)
{
    g_autofree char *match =
        g_strdup_printf("{\"protocol\": \"prpl-jabber\", \"buddy\": \"%s\"}", xmpp.sam_name);
    g_autoptr(GPtrArray) held = NULL;
    gint64 before = g_get_real_time(), said;
    const AjarEvent *kept;

    use_chat_rule(&xmpp, match);
    e2e_peer_join(xmpp.friend, HISTORY_ROOM);
    e2e_peer_join(xmpp.sam, HISTORY_ROOM);
    e2e_peer_say(xmpp.sam, HISTORY_ROOM, "ok");
    e2e_peer_say(xmpp.friend, HISTORY_ROOM, "first");
    e2e_peer_wait_chat(xmpp.friend, "first");
    said = g_get_real_time();
    /* Joining a while later: Sam's "ok" from the history is kept, with the
     * time the room gives it, not the time you joined. */
    e2e_run_until(said + 3 * G_USEC_PER_SEC / 2);
    g_assert_cmpuint(join_for_history(HISTORY_ROOM, "first"), ==, 1);
    held = ajar_test_events_since(0, AJAR_EVENT_HELD, NULL);
    kept = g_ptr_array_index(held, held->len - 1);
    g_assert_cmpstr(kept->text, ==, "ok");
    g_assert_cmpint(kept->time, >=, before - before % G_USEC_PER_SEC);
    g_assert_cmpint(kept->time, <=, said);
    g_assert_null(e2e_seen_line(HISTORY_ROOM, "ok", 0));

    /* Away, Sam says "ok" again; back, only that one is new. */
    leave(HISTORY_ROOM);
    e2e_peer_say(xmpp.sam, HISTORY_ROOM, "ok");
    e2e_peer_say(xmpp.friend, HISTORY_ROOM, "second");
    e2e_peer_wait_chat(xmpp.friend, "second");
    g_assert_cmpuint(join_for_history(HISTORY_ROOM, "second"), ==, 1);
    g_assert_null(e2e_seen_line(HISTORY_ROOM, "ok", 0));

    /* Again: nothing new, nothing kept twice. */
    leave(HISTORY_ROOM);
    g_assert_cmpuint(join_for_history(HISTORY_ROOM, "second"), ==, 0);
    g_assert_null(e2e_seen_line(HISTORY_ROOM, "ok", 0));
}

static void
test_irc_channel(void)
{
    g_autoptr(AjarEvent) held = NULL;

    use_chat_rule(&irc, "{\"protocol\": \"prpl-irc\", \"buddy\": \"sam\"}");
    meet_in(&irc, IRC_CHANNEL);
    held = sam_withheld(&irc, IRC_CHANNEL, "can we talk", "movie at 8?", "sam");
    release_from_review(IRC_CHANNEL, held);
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    e2e_parties_start_xmpp(&xmpp);
    e2e_parties_start_irc(&irc);

    g_test_add_func("/e2e/chats/muc-real-address", test_muc_real_address);
    g_test_add_func("/e2e/chats/muc-nick", test_muc_nick);
    g_test_add_func("/e2e/chats/muc-joins-quiet", test_muc_joins_quiet);
    g_test_add_func("/e2e/chats/muc-anonymous", test_muc_anonymous);
    g_test_add_func("/e2e/chats/muc-history", test_muc_history);
    g_test_add_func("/e2e/chats/irc-channel", test_irc_channel);
    status = g_test_run();

    e2e_parties_stop(&irc);
    e2e_parties_stop(&xmpp);
    ajar_test_unload();
    test_client_quit();
    test_client_cleanup();
    return status;
}
