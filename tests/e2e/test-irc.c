/* test-irc.c — Ajar over real IRC private messages: "you" are this process
 * (nick "me", with the built ajar.so) on a local ngircd; Sam and a friend
 * are e2e-peer processes without Ajar (nicks "sam" and "friend"), so every
 * message travels through the server as a PRIVMSG.
 *
 * Cases: hold then release, and cooling-off (sent after the delay,
 * cancelled, sent now), the scenarios of test-xmpp.c (e2e-scenarios.c). */
#include "e2e-scenarios.h"

static E2eParties parties;

static void
test_hold_then_release(void)
{
    e2e_scenario_hold_then_release(&parties);
}

/* The delay asks nothing by default ("confirm" left out). */
static void
test_cooling_off(void)
{
    e2e_scenario_cooling_off(&parties, "{\"action\": \"delay\", \"seconds\": 5}");
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    e2e_parties_start_irc(&parties);

    g_test_add_func("/e2e/irc/hold-then-release", test_hold_then_release);
    g_test_add_func("/e2e/irc/cooling-off", test_cooling_off);
    status = g_test_run();

    e2e_parties_stop(&parties);
    ajar_test_unload();
    test_client_quit();
    test_client_cleanup();
    return status;
}
