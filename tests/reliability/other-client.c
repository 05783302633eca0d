/* other-client.c — a second messenger on the same profile, for
 * test-two-clients.c: the plugin suite's headless client with the BUILT
 * ajar.so, whose purple user dir is a symlink to the folder the driver's
 * own client (and its Ajar) already uses. libpurple is one per process, so
 * the second client must be a process of its own, as Pidgin and Finch
 * started with the same --config are.
 *
 * Usage: other-client PURPLE_DIR
 *
 * It reads one instruction a line on stdin, does it as the user or the
 * network would, lets the main loop run, then reports on stdout what the
 * user saw, one line each, and "ok":
 *
 *   receive WHO TEXT   WHO's message TEXT arrives (serv_got_im)
 *   send WHO TEXT      the user types TEXT to WHO and presses Enter
 *   command WHO LINE   the user types /LINE in the conversation with WHO
 *   typing WHO         WHO starts typing (the window with WHO is open)
 *   quit               Ajar unloaded, libpurple quit; reports "done"
 *
 * Reports:
 *
 *   ready                  Ajar loaded and the account online
 *   received WHO TEXT      TEXT reached received-im-msg (sounds, pop-ups)
 *   shown WHO TEXT         a received line was written into a conversation
 *   line TEXT              any other line in a conversation: Ajar's, a command's error
 *   net WHO TEXT           the protocol's send_im() got TEXT
 *   typing WHO STATE       the typing state WHO's window shows (0: none)
 *   notice PRIMARY|SECONDARY  a message box
 *   request PRIMARY        a dialog
 *
 * Newlines in what is reported are turned into spaces. */
#include "ajar-test-util.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#define OTHER_ACCOUNT "me@example.org/Home"

static int report_fd = -1;

static void G_GNUC_PRINTF(1, 2)
report(const char *format, ...)
{
    g_autofree char *line = NULL;
    va_list args;
    gsize len, done = 0;

    va_start(args, format);
    line = g_strdup_vprintf(format, args);
    va_end(args);
    g_strdelimit(line, "\r\n", ' ');
    len = strlen(line);
    line = g_realloc(line, len + 2);
    line[len++] = '\n';
    line[len] = '\0';
    while (done < len) {
        ssize_t n = write(report_fd, line + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            _exit(3); /* the driver is gone */
        done += (gsize)n;
    }
}

static void
report_all(void)
{
    g_autoptr(GPtrArray) received = test_client_take_received();
    g_autoptr(GPtrArray) lines = test_client_take_lines();
    g_autoptr(GPtrArray) sent = test_client_take_sent();
    g_autoptr(GPtrArray) notices = test_client_take_notices();
    g_autoptr(GPtrArray) requests = test_client_take_requests();

    for (guint i = 0; i < received->len; i++) {
        const TestReceived *item = g_ptr_array_index(received, i);
        report("received %s %s", item->who, item->message);
    }
    for (guint i = 0; i < lines->len; i++) {
        const TestLine *line = g_ptr_array_index(lines, i);
        if (line->flags & PURPLE_MESSAGE_RECV)
            report("shown %s %s", line->who, line->message);
        else if (!(line->flags & PURPLE_MESSAGE_SEND))
            report("line %s", line->message); /* system lines, and commands' errors */
    }
    for (guint i = 0; i < sent->len; i++) {
        const TestSent *item = g_ptr_array_index(sent, i);
        report("net %s %s", item->who, item->message);
    }
    for (guint i = 0; i < notices->len; i++) {
        const TestNotice *notice = g_ptr_array_index(notices, i);
        report("notice %s|%s", notice->primary != NULL ? notice->primary : "",
               notice->secondary != NULL ? notice->secondary : "");
    }
    /* Read and closed, as a user does: a trouble told again would open a
     * new box, and be counted. */
    test_client_notices_close(notices);
    for (guint i = 0; i < requests->len; i++) {
        const TestRequest *request = g_ptr_array_index(requests, i);
        report("request %s", request->primary != NULL ? request->primary : "");
    }
}

/* Lets timers and Ajar's reload run, as a UI idles between events. */
static void
idle_for(guint ms)
{
    ajar_test_run_for(ms);
}

static void
obey(PurpleAccount *account, char *instruction)
{
    g_auto(GStrv) words = g_strsplit(instruction, " ", 3);
    guint n = g_strv_length(words);

    if (n == 3 && strcmp(words[0], "receive") == 0) {
        test_client_receive(account, words[1], words[2], 0, time(NULL));
    } else if (n == 3 && strcmp(words[0], "send") == 0) {
        test_client_send(account, words[1], words[2]);
    } else if (n == 3 && strcmp(words[0], "command") == 0) {
        test_client_command(account, words[1], words[2]);
    } else if (n == 2 && strcmp(words[0], "typing") == 0) {
        test_client_open_im(account, words[1]);
        test_client_receive_typing(account, words[1], PURPLE_TYPING);
        idle_for(20);
        report("typing %s %d", words[1], (int)test_client_typing_state(account, words[1]));
    } else {
        g_printerr("other-client: cannot do \"%s\"\n", instruction);
        _exit(2);
    }
    idle_for(50);
    report_all();
}

int
main(int argc, char **argv)
{
    g_autoptr(GString) pending = g_string_new(NULL);
    PurpleAccount *account;

    if (argc != 2) {
        g_printerr("usage: other-client PURPLE_DIR\n");
        return 2;
    }
    /* Reports keep stdout to themselves; anything else goes to stderr. */
    report_fd = dup(STDOUT_FILENO);
    if (report_fd < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
        return 2;

    test_client_prepare();
    if (symlink(argv[1], test_client_user_dir()) != 0) {
        g_printerr("other-client: cannot link %s: %s\n", argv[1], g_strerror(errno));
        return 2;
    }
    test_client_start();
    /* As Pidgin: plugins first, then the accounts sign on. */
    ajar_test_load();
    account = test_client_find_account(OTHER_ACCOUNT);
    if (account == NULL)
        account = test_client_add_account(OTHER_ACCOUNT);
    else
        test_client_connect(account);
    idle_for(50);
    report_all();
    report("ready");

    for (;;) {
        char buf[4096];
        ssize_t got = read(STDIN_FILENO, buf, sizeof buf);
        char *newline;

        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break; /* the driver closed our stdin: quit as asked */
        g_string_append_len(pending, buf, got);
        while ((newline = strchr(pending->str, '\n')) != NULL) {
            g_autofree char *instruction = g_strndup(pending->str, newline - pending->str);
            g_string_erase(pending, 0, newline - pending->str + 1);
            if (strcmp(instruction, "quit") == 0)
                goto quit;
            obey(account, instruction);
            report("ok");
        }
    }
quit:
    ajar_test_unload();
    report_all();
    test_client_quit();
    test_client_cleanup();
    report("done");
    return 0;
}
