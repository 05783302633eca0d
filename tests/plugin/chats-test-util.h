/* chats-test-util.h — what the room cases of test-chats.c share: the room,
 * its occupants, rules for Sam's lines, and reading what the room showed
 * and what the journal kept. Static helpers, as review-test-util.h's. */
#pragma once

#include "review-test-util.h"

#include <xmlnode.h>

#define ROOM "#friends"
#define OTHER_ROOM "#work"
#define SAM_REAL "sam@example.org/phone"
#define KIM_REAL "kim@example.org/laptop"
/* The room knows you by your account's name: a line with it is a line
 * that names you (libpurple flags it PURPLE_MESSAGE_NICK: a highlight). */
#define NAMES_ME "me@example.org, are you there?"

static char *
rules_json(const char *match, const char *chats, const char *notify)
{
    return g_strdup_printf("{\"version\": 1, \"rules\": [{\"name\": \"Sam\", \"match\": [%s], "
                           "\"chats\": %s}], \"settings\": {\"notify\": \"%s\"}}\n",
                           match, chats, notify);
}

static void
use_rules(const char *match, const char *chats, const char *notify)
{
    g_autofree char *json = rules_json(match, chats, notify);

    me();
    ajar_test_reload_with_rules(json);
}

#define BY_ADDRESS "{\"buddy\": \"" SAM "\"}"
#define BY_NICK "{\"chat_nick\": \"sam\", \"protocol\": \"" TEST_PRPL_ID "\"}"
#define HOLD "{\"action\": \"hold\"}"

/* Joins @room with Sam (real address @sam_real, nullable) and Kim in it,
 * and forgets what that showed. */
static void
join_with_sam(const char *room, const char *sam_real)
{
    PurpleConvChat *chat = PURPLE_CONV_CHAT(test_client_join_chat(me(), room));

    if (!purple_conv_chat_find_user(chat, "sam"))
        test_client_chat_add_occupant(me(), room, "sam", sam_real, FALSE);
    if (!purple_conv_chat_find_user(chat, "kim"))
        test_client_chat_add_occupant(me(), room, "kim", KIM_REAL, FALSE);
    ajar_test_drain();
    g_ptr_array_unref(test_client_take_lines());
    g_ptr_array_unref(test_client_take_opened());
    g_ptr_array_unref(test_client_take_notices());
    test_client_reset_counts();
}

/* Returns: (transfer full): the lines the room @room showed since the last
 * take (TestLine*). */
static GPtrArray *
room_lines(const char *room)
{
    GPtrArray *lines = test_client_take_lines();

    for (guint i = lines->len; i > 0; i--) {
        const TestLine *line = g_ptr_array_index(lines, i - 1);
        if (g_strcmp0(line->conv, room) != 0)
            g_ptr_array_remove_index(lines, i - 1);
    }
    return lines;
}

static const TestLine *
line_with(GPtrArray *lines, const char *text)
{
    for (guint i = 0; i < lines->len; i++) {
        const TestLine *line = g_ptr_array_index(lines, i);
        if (line->message != NULL && strstr(line->message, text) != NULL)
            return line;
    }
    return NULL;
}

/* A history line as prpl-jabber hands it over: the stanza with its delay
 * stamp (jabber-receiving-message), then at once the line (DELAYED). */
static void
receive_stamped(PurpleAccount *account, const char *room, const char *nick, const char *text,
                time_t when)
{
    PurplePlugin *jabber = purple_plugins_find_with_id("prpl-jabber");
    g_autofree char *stamp = NULL;
    g_autofree char *stanza = NULL;
    g_autofree char *escaped = g_markup_escape_text(text, -1);
    g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc(when);
    g_autofree char *from = g_strdup_printf("%s/%s", room, nick);
    xmlnode *packet;

    g_assert_nonnull(jabber);
    stamp = g_date_time_format(at, "%Y-%m-%dT%H:%M:%SZ");
    stanza = g_strdup_printf("<message xmlns='jabber:client' type='groupchat' from='%s' "
                             "to='me@example.org/ajar'><body>%s</body><delay "
                             "xmlns='urn:xmpp:delay' from='%s' stamp='%s'/></message>",
                             from, escaped, room, stamp);
    packet = xmlnode_from_str(stanza, -1);
    g_assert_nonnull(packet);
    purple_signal_emit(jabber, "jabber-receiving-message", purple_account_get_connection(account),
                       "groupchat", NULL, from, "me@example.org/ajar", packet);
    xmlnode_free(packet);
    test_client_receive_chat(account, room, nick, text, PURPLE_MESSAGE_DELAYED, when);
}

/* The custody event in @events of Sam's line @text in @room, from @buddy. */
static const AjarEvent *
assert_kept_line(GPtrArray *events, const char *room, const char *text, const char *buddy)
{
    for (guint i = 0; i < events->len; i++) {
        const AjarEvent *event = g_ptr_array_index(events, i);
        if (g_strcmp0(event->text, text) != 0)
            continue;
        g_assert_cmpstr(event->chat, ==, room);
        g_assert_cmpstr(event->nick, ==, "sam");
        g_assert_cmpstr(event->buddy, ==, buddy);
        g_assert_cmpstr(event->rule, ==, "Sam");
        g_assert_true(event->has_dir);
        g_assert_cmpint(event->dir, ==, AJAR_DIRECTION_IN);
        g_assert_cmpstr(event->protocol, ==, TEST_PRPL_ID);
        g_assert_cmpint(event->time, >, 0);
        return event;
    }
    g_error("no kept line \"%s\" in %s", text, room);
}
