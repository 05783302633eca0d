/* crash-common.h — what the crash driver (test-crash.c) and its child
 * (crash-client.c) agree on. */
#ifndef AJAR_CRASH_COMMON_H
#define AJAR_CRASH_COMMON_H

#include <glib.h>

#include <string.h>

#define CRASH_ACCOUNT "me@example.org/Home"
/* Their messages are held; the user's own cool off for CRASH_DELAY_SECONDS
 * and go without asking (unless a restart came in between). */
#define CRASH_HELD_BUDDY "sam@example.org"
/* Their messages are delayed by CRASH_DELAY_SECONDS. */
#define CRASH_DELAYED_BUDDY "lee@example.org"
#define CRASH_DELAY_SECONDS 1

/* Every message carries "crash-" and its tag, e.g. "crash-r3-m17". */
#define CRASH_TAG_PREFIX "crash-"

/* How long a "compact" run keeps the user's messages back at its start. */
#define CRASH_COMPACT_QUIET_MS 1500

/* The child's exit status when its report pipe is gone. */
#define CRASH_EXIT_PIPE 3

#define CRASH_RULES                                                               \
    "{\"version\": 1, \"rules\": ["                                               \
    "{\"name\": \"Sam\", \"match\": [{\"buddy\": \"" CRASH_HELD_BUDDY "\"}], "    \
    "\"incoming\": {\"action\": \"hold\"}, "                                      \
    "\"outgoing\": {\"action\": \"delay\", \"seconds\": 1, \"confirm\": false}, " \
    "\"pass_keywords\": [\"emergency\"]},"                                        \
    "{\"name\": \"Lee\", \"match\": [{\"buddy\": \"" CRASH_DELAYED_BUDDY "\"}], " \
    "\"incoming\": {\"action\": \"delay\", \"seconds\": 1}}"                      \
    "]}"

/* The user's answer when asked "send now?" about one of their messages:
 * "Send" for even numbers, "Keep it unsent" for odd ones. */
static inline gboolean
crash_policy_sends(const char *tag)
{
    const char *number = strrchr(tag, 'o');

    return number != NULL && g_ascii_strtoull(number + 1, NULL, 10) % 2 == 0;
}

#endif /* AJAR_CRASH_COMMON_H */
