/* test-typing.c — your "typing…" is not sent to a person while a message to
 * them would not go out at once (their outgoing action is not pass, or
 * quiet hours now; "ask"), and still goes to everyone else; with Ajar unloaded it
 * goes to them again (each protocol's own send_typing is back).
 *
 * The user's typing is what Pidgin's gtkconv.c and Finch's gntconv.c send
 * on each keypress: serv_send_typing(gc, name, state); the in-test
 * protocol records what reached its send_typing (the network). */
#include "ajar-test-util.h"
#include "local-clock.h"

#include <server.h>

#define ME "me@example.org/Home"
#define SAM "sam@example.org"
#define KIM "kim@example.org"

typedef unsigned int (*SendTypingFn)(PurpleConnection *gc, const char *name,
                                     PurpleTypingState state);

#define RULES_HEAD \
    "{\"version\": 1, \"rules\": [{\"name\": \"Sam\", \"match\": [{\"buddy\": \"" SAM "\"}], "
#define RULES_TAIL "}]}"

/* The user types to @who, pauses, and closes the window: the three states
 * a messenger sends. */
static void
type_to(PurpleAccount *account, const char *who)
{
    PurpleConnection *gc = purple_account_get_connection(account);

    test_client_open_im(account, who);
    serv_send_typing(gc, who, PURPLE_TYPING);
    serv_send_typing(gc, who, PURPLE_TYPED);
    test_client_close_im(account, who); /* libpurple sends PURPLE_NOT_TYPING */
}

/* Returns: how many typing states reached the network for @who; empties
 * the recording. */
static guint
typing_sent_to(const char *who)
{
    g_autoptr(GPtrArray) typing = test_prpl_take_sent_typing();
    guint count = 0;

    for (guint i = 0; i < typing->len; i++) {
        const TestSentTyping *item = g_ptr_array_index(typing, i);

        if (g_ascii_strcasecmp(item->who, who) == 0)
            count++;
    }
    return count;
}

static void
assert_typing_kept_from_sam(const char *rules)
{
    PurpleAccount *account = ajar_test_account(ME);

    ajar_test_reload_with_rules(rules);
    type_to(account, SAM);
    g_assert_cmpuint(typing_sent_to(SAM), ==, 0);
    /* Kim has no rule: all three states go. */
    type_to(account, KIM);
    g_assert_cmpuint(typing_sent_to(KIM), ==, 3);
}

static void
test_typing_hold(void)
{
    assert_typing_kept_from_sam(RULES_HEAD "\"outgoing\": {\"action\": \"hold\"}" RULES_TAIL);
}

static void
test_typing_delay(void)
{
    assert_typing_kept_from_sam(
        RULES_HEAD "\"outgoing\": {\"action\": \"delay\", \"seconds\": 600}" RULES_TAIL);
}

static void
test_typing_ask(void)
{
    assert_typing_kept_from_sam(RULES_HEAD "\"outgoing\": {\"action\": \"ask\"}" RULES_TAIL);
}

/* Quiet hours (here 23:30 to 00:01, wrapping midnight) keep your typing
 * from them while they last, whatever the outgoing action; outside them it
 * goes. */
static void
test_typing_quiet_hours(void)
{
    PurpleAccount *account = ajar_test_account(ME);

    local_clock_set(0, 0, 30);
    assert_typing_kept_from_sam(RULES_HEAD "\"outgoing\": {\"action\": \"pass\", "
                                           "\"quiet_hours\": {\"from\": \"23:30\", "
                                           "\"until\": \"00:01\"}}" RULES_TAIL);
    local_clock_set(7, 0, 0);
    type_to(account, SAM);
    g_assert_cmpuint(typing_sent_to(SAM), ==, 3);
    local_clock_reset();
}

/* A rule that only holds their messages leaves your typing alone. */
static void
test_typing_pass(void)
{
    PurpleAccount *account = ajar_test_account(ME);

    ajar_test_reload_with_rules(RULES_HEAD "\"incoming\": {\"action\": \"hold\"}" RULES_TAIL);
    type_to(account, SAM);
    g_assert_cmpuint(typing_sent_to(SAM), ==, 3);
}

/* Unloaded, Ajar leaves each protocol as it found it. */
static void
test_typing_after_unload(void)
{
    PurpleAccount *account = ajar_test_account(ME);
    PurplePluginProtocolInfo *info = PURPLE_PLUGIN_PROTOCOL_INFO(test_prpl_get_plugin());
    gpointer own = (gpointer)info->send_typing;

    ajar_test_unload();
    own = (gpointer)info->send_typing;
    ajar_test_reload_with_rules(RULES_HEAD "\"outgoing\": {\"action\": \"hold\"}" RULES_TAIL);
    g_assert_true((gpointer)info->send_typing != own);
    ajar_test_unload();
    g_assert_true((gpointer)info->send_typing == own);
    type_to(account, SAM);
    g_assert_cmpuint(typing_sent_to(SAM), ==, 3);
}

/* "typing…" went out while no rule kept it; then a rule is set (here
 * "/ajar cooloff 10" typed in that window): the "stopped" that follows still
 * goes, or their side shows "typing…" for good. After it, nothing more. */
static void
test_typing_stop_after_rule(void)
{
    PurpleAccount *account = ajar_test_account(ME);
    PurpleConnection *gc = purple_account_get_connection(account);
    g_autoptr(GPtrArray) typing = NULL;
    const TestSentTyping *item;

    ajar_test_reload_with_rules("{\"version\": 1, \"rules\": []}");
    test_client_open_im(account, SAM);
    serv_send_typing(gc, SAM, PURPLE_TYPING);
    g_assert_cmpuint(typing_sent_to(SAM), ==, 1);
    g_assert_cmpint(test_client_command(account, SAM, "ajar cooloff 10"), ==, PURPLE_CMD_STATUS_OK);
    test_client_iterate(100);
    g_ptr_array_unref(test_client_take_lines());
    serv_send_typing(gc, SAM, PURPLE_TYPED);
    g_assert_cmpuint(typing_sent_to(SAM), ==, 0);
    test_client_close_im(account, SAM); /* PURPLE_NOT_TYPING */
    typing = test_prpl_take_sent_typing();
    g_assert_cmpuint(typing->len, ==, 1);
    item = g_ptr_array_index(typing, 0);
    g_assert_cmpstr(item->who, ==, SAM);
    g_assert_cmpint(item->state, ==, PURPLE_NOT_TYPING);
    /* Told once: the next round is kept whole. */
    type_to(account, SAM);
    g_assert_cmpuint(typing_sent_to(SAM), ==, 0);
    ajar_test_unload();
}

/* Another plugin wraps send_typing over Ajar's; Ajar is unloaded (its
 * wrapper stays under the other's) and loaded again: one call reaches the
 * network per keypress, and the new Ajar's rules apply (no recursion). */
static SendTypingFn other_below;
static guint other_depth;

static unsigned int
other_wrapper(PurpleConnection *gc, const char *name, PurpleTypingState state)
{
    if (++other_depth > 50)
        g_error("send_typing recursion: depth %u", other_depth);
    return other_below(gc, name, state);
}

static void
test_typing_rewrap(void)
{
    PurpleAccount *account = ajar_test_account(ME);
    PurpleConnection *gc = purple_account_get_connection(account);
    PurplePluginProtocolInfo *info = PURPLE_PLUGIN_PROTOCOL_INFO(test_prpl_get_plugin());

    ajar_test_reload_with_rules(RULES_HEAD "\"incoming\": {\"action\": \"hold\"}" RULES_TAIL);
    other_below = info->send_typing;
    info->send_typing = other_wrapper;
    ajar_test_reload_with_rules(RULES_HEAD "\"outgoing\": {\"action\": \"hold\"}" RULES_TAIL);
    g_assert_true(info->send_typing == other_wrapper);
    gc = purple_account_get_connection(account);
    test_client_open_im(account, KIM);
    other_depth = 0;
    serv_send_typing(gc, KIM, PURPLE_TYPING);
    g_assert_cmpuint(other_depth, ==, 1);
    g_assert_cmpuint(typing_sent_to(KIM), ==, 1);
    test_client_close_im(account, KIM);
    g_assert_cmpuint(typing_sent_to(KIM), ==, 1);
    type_to(account, SAM);
    g_assert_cmpuint(typing_sent_to(SAM), ==, 0);
    /* The other plugin goes: Ajar's wrapper is on top again. */
    ajar_test_unload();
    info->send_typing = other_below;
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    g_test_add_func("/plugin/typing/hold", test_typing_hold);
    g_test_add_func("/plugin/typing/delay", test_typing_delay);
    g_test_add_func("/plugin/typing/ask", test_typing_ask);
    g_test_add_func("/plugin/typing/quiet-hours", test_typing_quiet_hours);
    g_test_add_func("/plugin/typing/pass", test_typing_pass);
    g_test_add_func("/plugin/typing/after-unload", test_typing_after_unload);
    g_test_add_func("/plugin/typing/stop-after-rule", test_typing_stop_after_rule);
    g_test_add_func("/plugin/typing/rewrap", test_typing_rewrap);
    status = g_test_run();

    test_client_quit();
    test_client_cleanup();
    return status;
}
