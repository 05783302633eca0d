/* crash-client.c — the child the crash driver (test-crash.c) kills.
 *
 * It is the plugin suite's headless client (tests/plugin/test-client*.c, the
 * in-test protocol) with the BUILT ajar.so loaded, run on a purple folder
 * that outlives it: a symlink at the client's user dir points there, so
 * every run sees the journal, rules and logs the killed one left.
 *
 * Usage: crash-client PURPLE_DIR RUN SEED run|compact|settle
 *
 *   run     streams numbered messages from held and delayed contacts (and
 *           some of the user's own, cooling off), releases now and then,
 *           answers every "send now?" question by a fixed policy, and goes
 *           on until it is killed.
 *   compact as run, but for its first CRASH_COMPACT_QUIET_MS only their
 *           messages come, and every "send now?" question is answered
 *           "Keep it unsent": nothing of the user's goes out, so Ajar
 *           begins compacting its journal (which the driver padded over
 *           the threshold) at once; it waits while a message it sent may
 *           still be reopened (plugin/ajar-compaction.h).
 *   settle  sends nothing new: lets Ajar replay, lets what is due come and
 *           answers the questions, then quits cleanly.
 *
 * It reports on stdout (the driver's pipe), one write() per line, so a line
 * is either wholly in the pipe or not at all when SIGKILL comes:
 *
 *   ready               Ajar loaded and the account online
 *   in TAG              serv_got_im() returned for the message TAG
 *   shown TAG           libpurple wrote TAG into a conversation as received
 *   typed TAG           the user's purple_conv_im_send() of TAG returned
 *   net TAG             the protocol's send_im() got TAG: it is on the network
 *   ask TAG             a "send now?" question about TAG is open
 *   ask-again TAG       a "it may already have reached them, send it again?"
 *                       question about TAG is open (Ajar stopped while
 *                       sending it); the user always keeps it unsent
 *   answer TAG send|keep  the user is about to answer it
 *   notice TEXT         a message box (error or warning) was shown
 *   done                settle finished and libpurple quit
 *
 * TAG is "r<RUN>-m<N>" for their messages and "r<RUN>-o<N>" for the user's.
 * Everything else libpurple or GLib prints goes to stderr. */
#include "ajar-test-util.h"
#include "crash-common.h"

#include <errno.h>
#include <unistd.h>

#include <prpl.h>

static int report_fd = -1;
static guint run_number;
/* "compact": until then (monotonic), nothing of the user's goes out. */
static gint64 quiet_until;
static GRand *rng;
static void (*real_send_im)(void);

/* One line, one write(): atomic on a pipe (lines are far below PIPE_BUF). */
static void G_GNUC_PRINTF(1, 2)
report(const char *format, ...)
{
    g_autofree char *line = NULL;
    va_list args;
    gsize len;
    gsize done = 0;

    va_start(args, format);
    line = g_strdup_vprintf(format, args);
    va_end(args);
    len = strlen(line);
    line = g_realloc(line, len + 2);
    line[len++] = '\n';
    line[len] = '\0';
    while (done < len) {
        ssize_t n = write(report_fd, line + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            _exit(CRASH_EXIT_PIPE); /* the driver is gone: nothing to report to */
        done += (gsize)n;
    }
}

/* Copies the tag out of @text ("...crash-r3-m17..."), or NULL. */
static char *
find_tag(const char *text)
{
    const char *start = text != NULL ? strstr(text, CRASH_TAG_PREFIX) : NULL;
    const char *end;

    if (start == NULL)
        return NULL;
    start += strlen(CRASH_TAG_PREFIX);
    end = start;
    while (g_ascii_isalnum(*end) || *end == '-')
        end++;
    return g_strndup(start, (gsize)(end - start));
}

/* The network: what the protocol's send_im() is given. */
static int
send_im_wrapper_cb(PurpleConnection *gc, const char *who, const char *message,
                   PurpleMessageFlags flags)
{
    g_autofree char *tag = find_tag(message);
    int (*send_im)(PurpleConnection *, const char *, const char *, PurpleMessageFlags) =
        (int (*)(PurpleConnection *, const char *, const char *, PurpleMessageFlags))real_send_im;

    if (tag != NULL)
        report("net %s", tag);
    return send_im(gc, who, message, flags);
}

static void
wrap_send_im(void)
{
    PurplePluginProtocolInfo *info = PURPLE_PLUGIN_PROTOCOL_INFO(test_prpl_get_plugin());

    /* The protocol's info is one static struct: wrap it once per process. */
    if (real_send_im == NULL)
        real_send_im = (void (*)(void))info->send_im;
    info->send_im = send_im_wrapper_cb;
}

static void
wrote_im_cb(PurpleAccount *account, const char *who, const char *message, PurpleConversation *conv,
            PurpleMessageFlags flags, gpointer data)
{
    g_autofree char *tag = NULL;

    if (!(flags & PURPLE_MESSAGE_RECV))
        return;
    tag = find_tag(message);
    if (tag != NULL)
        report("shown %s", tag);
}

/* The user's answer to "send now?": send even numbers, keep odd ones. To
 * "it may already have reached them, send it again?": keep, always (the
 * user was told; sending it again would be their informed choice, which
 * this driver does not make, so any second send is Ajar's). */
static void
answer_questions(void)
{
    g_autoptr(GPtrArray) requests = test_client_take_requests();

    for (guint i = 0; i < requests->len; i++) {
        TestRequest *request = g_ptr_array_index(requests, i);
        g_autofree char *tag = find_tag(request->secondary);
        gboolean send;
        int action;

        if (request->closed || request->type != PURPLE_REQUEST_ACTION)
            continue;
        if (tag == NULL) {
            report("notice unexpected question: %s", request->primary);
            continue;
        }
        if (strstr(request->primary, "may already have reached them") != NULL) {
            report("ask-again %s", tag);
            send = FALSE;
        } else {
            report("ask %s", tag);
            send = crash_policy_sends(tag) && g_get_monotonic_time() >= quiet_until;
        }
        action = test_client_request_find_action(request, send ? "Send" : "Keep it unsent");
        if (action < 0) {
            report("notice question without the expected buttons: %s", request->primary);
            continue;
        }
        report("answer %s %s", tag, send ? "send" : "keep");
        test_client_request_answer(request, action);
    }
}

static void
report_notices(void)
{
    g_autoptr(GPtrArray) notices = test_client_take_notices();

    for (guint i = 0; i < notices->len; i++) {
        TestNotice *notice = g_ptr_array_index(notices, i);
        g_autofree char *line = g_strdup_printf("%s / %s", notice->primary,
                                                notice->secondary != NULL ? notice->secondary : "");

        g_strdelimit(line, "\r\n", ' ');
        report("notice %s", line);
    }
}

/* What the user sees and the protocol sent is reported as it happens; the
 * client's own recordings are only thrown away so they do not grow. */
static void
drain(void)
{
    answer_questions();
    report_notices();
    g_ptr_array_unref(test_client_take_opened());
    g_ptr_array_unref(test_client_take_lines());
    g_ptr_array_unref(test_client_take_received());
    g_ptr_array_unref(test_client_take_sent());
    g_ptr_array_unref(test_client_take_events());
    g_ptr_array_unref(test_prpl_take_sent_typing());
}

static void
idle_for(guint ms)
{
    gint64 end = g_get_monotonic_time() + (gint64)ms * 1000;

    while (g_get_monotonic_time() < end) {
        if (!g_main_context_iteration(NULL, FALSE))
            g_usleep(1000);
        drain();
    }
}

/* Their message number @n, in one of the forms people send. */
static char *
incoming_text(guint n, guint form)
{
    switch (form) {
    case 0: return g_strdup_printf("are you awake? " CRASH_TAG_PREFIX "r%u-m%u", run_number, n);
    case 1:
        return g_strdup_printf("<b>please</b> &amp; <i>answer</i> " CRASH_TAG_PREFIX "r%u-m%u",
                               run_number, n);
    default:
        return g_strdup_printf("emergency: call me " CRASH_TAG_PREFIX "r%u-m%u", run_number, n);
    }
}

static void
stream(PurpleAccount *account)
{
    guint incoming = 0, outgoing = 0;

    for (;;) {
        guint roll = g_rand_int_range(rng, 0, 100);

        /* Quiet: their messages only. */
        if (g_get_monotonic_time() < quiet_until && roll >= 75)
            roll = 95;

        if (roll < 60) {
            /* From the held contact; one in ten carries a pass keyword. */
            guint form = g_rand_int_range(rng, 0, 10) == 0 ? 2 : g_rand_int_range(rng, 0, 2);
            g_autofree char *text = incoming_text(++incoming, form);
            test_client_receive(account, CRASH_HELD_BUDDY, text, 0, time(NULL));
            report("in r%u-m%u", run_number, incoming);
        } else if (roll < 75) {
            g_autofree char *text = incoming_text(++incoming, 0);
            test_client_receive(account, CRASH_DELAYED_BUDDY, text, 0, time(NULL));
            report("in r%u-m%u", run_number, incoming);
        } else if (roll < 90) {
            g_autofree char *text =
                g_strdup_printf("sorry " CRASH_TAG_PREFIX "r%u-o%u", run_number, ++outgoing);
            test_client_send(account, CRASH_HELD_BUDDY, text);
            report("typed r%u-o%u", run_number, outgoing);
        } else if (roll < 93) {
            test_client_command(account, CRASH_HELD_BUDDY, "ajar release");
        }
        idle_for(g_rand_int_range(rng, 1, 15));
    }
}

int
main(int argc, char **argv)
{
    PurpleAccount *account;
    gboolean settle;

    if (argc != 5 || (strcmp(argv[4], "run") != 0 && strcmp(argv[4], "compact") != 0 &&
                      strcmp(argv[4], "settle") != 0)) {
        g_printerr("usage: crash-client PURPLE_DIR RUN SEED run|compact|settle\n");
        return 2;
    }
    /* Reports keep stdout to themselves; anything else printed goes to stderr. */
    report_fd = dup(STDOUT_FILENO);
    if (report_fd < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
        return 2;
    run_number = (guint)g_ascii_strtoull(argv[2], NULL, 10);
    rng = g_rand_new_with_seed((guint32)g_ascii_strtoull(argv[3], NULL, 10));
    settle = strcmp(argv[4], "settle") == 0;
    if (strcmp(argv[4], "compact") == 0)
        quiet_until = g_get_monotonic_time() + CRASH_COMPACT_QUIET_MS * 1000;

    test_client_prepare();
    /* Before libpurple starts: its user dir is the folder that outlives us. */
    if (symlink(argv[1], test_client_user_dir()) != 0) {
        g_printerr("crash-client: cannot link %s: %s\n", argv[1], g_strerror(errno));
        return 2;
    }
    test_client_start();
    wrap_send_im();
    purple_signal_connect(purple_conversations_get_handle(), "wrote-im-msg", &report_fd,
                          PURPLE_CALLBACK(wrote_im_cb), NULL);

    /* As Pidgin: plugins first, then the accounts sign on. */
    ajar_test_load();
    account = test_client_find_account(CRASH_ACCOUNT);
    if (account == NULL)
        account = test_client_add_account(CRASH_ACCOUNT);
    else
        test_client_connect(account);
    drain();
    report("ready");

    if (!settle)
        stream(account); /* until killed */

    /* Everything cooling off is due within CRASH_DELAY_SECONDS; delayed
     * messages too. Give them time to come, and the questions an answer. */
    idle_for(CRASH_DELAY_SECONDS * 1000 + 1500);
    ajar_test_unload();
    drain();
    test_client_quit();
    test_client_cleanup();
    g_rand_free(rng);
    report("done");
    return 0;
}
