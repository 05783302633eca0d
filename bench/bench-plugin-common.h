/* bench-plugin-common.h — what the libpurple benchmark's figures share.
 * From the bottom up: bench-plugin-common.c (these helpers),
 * bench-plugin-more.c (figures 3, 5 and pidgin-privacy-please),
 * bench-plugin.c (figures 1, 2, and main). The
 * client is the plugin tests' headless libpurple (tests/plugin/test-client*.c
 * and the in-test protocol test-prpl.c, built from their files): messages
 * arrive through serv_got_im() and are sent with purple_conv_im_send(), and
 * Ajar is the built ajar.so, loaded by path. */
#ifndef AJAR_BENCH_PLUGIN_COMMON_H
#define AJAR_BENCH_PLUGIN_COMMON_H

#include "ajar-test-util.h"
#include "bench-report.h"

G_BEGIN_DECLS

/* The local account. No "/resource": the ignore plugin builds preference
 * paths from the account name, and a "/" in it would make a path its own
 * code cannot create. */
#define BENCH_ME "me@example.org"
#define BENCH_STRANGER "stranger@example.org" /* no rule names them */
#define BENCH_SAM "sam@example.org"           /* held, or cooling off */
#define BENCH_TEXT "are you awake? I keep thinking about <i>us</i> and the summer"

typedef struct {
    gboolean instructions; /* small counts, under callgrind */
    guint messages;        /* figure 1: incoming IMs per variant */
    guint rounds;          /* figure 1: batches per variant, interleaved */
    guint held;            /* figure 2 */
    guint queued;          /* figure 5 */
    guint max_scale;       /* figure 3: largest journal 10^N */
} BenchOptions;

/* Returns: (transfer none): the connected local account. */
PurpleAccount *bench_account(void);

/* Writes rules.json: @count rules for buddies personN@example.org that hold
 * their messages, then, if @extra is not NULL, that rule object too. */
void bench_write_rules(guint count, const char *extra);

/* Ajar off, rules.json as bench_write_rules(@count, @extra), Ajar on. */
void bench_ajar_with_rules(guint count, const char *extra);

/* Per-message times: the median, the 99th percentile and the longest of
 * @ns (sorted in place), in nanoseconds. */
typedef struct {
    double median, p99, max;
} BenchSpread;
BenchSpread bench_spread(gint64 *ns, guint count);

/* Throws away what the client recorded (lines, windows...) and lets the
 * main loop run what is ready, outside any measurement. */
void bench_settle(void);

G_END_DECLS

#endif /* AJAR_BENCH_PLUGIN_COMMON_H */
