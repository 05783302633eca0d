/* journal-writer.c — a second process writing a journal through the core, as
 * the messenger would while `ajar` reads it.
 *
 *   journal-writer sample PURPLE_DIR          the tests' sample journal
 *   journal-writer loop PURPLE_DIR STOP_FILE  appends events until STOP_FILE
 *                                             exists (at most 60 s); prints
 *                                             "ready" after the first one
 *   journal-writer hold PURPLE_DIR STOP_FILE  has the journal open (and its
 *                                             lock) until STOP_FILE exists
 *                                             (at most 60 s); prints "ready"
 *
 * The core writes a line with one write(), which readers on a local disk
 * practically never see half done. So that they do, now and then the loop
 * closes the journal and writes a line the slow way: the first half, a
 * pause, the rest (the line itself encoded by the core, with the next seq).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli-test-util.h"

#define LOOP_LIMIT_US (60 * G_USEC_PER_SEC)

static gboolean
append(AjarJournal *journal, AjarEvent *event)
{
    g_autoptr(GError) error = NULL;

    if (!ajar_journal_append(journal, event, &error)) {
        fprintf(stderr, "journal-writer: %s\n", error->message);
        return FALSE;
    }
    return TRUE;
}

static AjarJournal *
open_journal(const char *dir)
{
    g_autoptr(GError) error = NULL;
    AjarJournal *journal = ajar_journal_open(dir, AJAR_FLUSH_BATCHED, &error);

    if (journal == NULL)
        fprintf(stderr, "journal-writer: %s\n", error->message);
    return journal;
}

/* Closes @journal, writes one held event in two halves with a pause between,
 * and opens the journal again. Returns: (transfer full) (nullable). */
static AjarJournal *
write_slowly(AjarJournal *journal, const char *dir)
{
    g_autoptr(AjarEvent) event = cli_sample_custody_event(SAMPLE_AWAKE);
    g_autoptr(GString) line = g_string_new(NULL);
    g_autofree char *path = g_strdup(ajar_journal_get_path(journal));
    gint64 seq = ajar_state_get_last_seq(ajar_journal_get_state(journal)) + 1;
    int fd;

    event->seq = seq;
    event->ts = event->time = g_get_real_time() / 1000 * 1000;
    event->id = ajar_journal_new_id(journal, event->ts);
    ajar_journal_close(journal);
    ajar_event_encode(event, line);
    fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd < 0 || write(fd, line->str, line->len / 2) != (gssize)(line->len / 2)) {
        perror("journal-writer: slow write");
        return NULL;
    }
    g_usleep(3000);
    if (write(fd, line->str + line->len / 2, line->len - line->len / 2) !=
        (gssize)(line->len - line->len / 2)) {
        perror("journal-writer: slow write");
        return NULL;
    }
    close(fd);
    return open_journal(dir);
}

static int
run_loop(const char *purple_dir, const char *stop_file)
{
    g_autofree char *dir = g_build_filename(purple_dir, "ajar", NULL);
    AjarJournal *journal = open_journal(dir);
    gint64 start = g_get_monotonic_time();
    gboolean ok = TRUE;

    if (journal == NULL)
        return 1;
    for (guint n = 0; ok; n++) {
        g_autoptr(AjarEvent) event = cli_sample_custody_event(n % CLI_SAMPLE_COUNT);
        g_autoptr(AjarEvent) outcome = NULL;

        /* Now and then a long line, so that a reader may well meet one
         * half written. */
        if (n % 50 == 0) {
            g_free(event->text);
            event->text_len = 16 * 1024 + n % 1000;
            event->text = g_malloc(event->text_len + 1);
            memset(event->text, 'x', event->text_len);
            event->text[event->text_len] = '\0';
        }
        event->ts = event->time = g_get_real_time();
        if (event->due != 0)
            event->due = event->time + 600 * G_USEC_PER_SEC;
        ok = append(journal, event);
        if (ok && n % 3 == 0) {
            outcome = ajar_event_new(AJAR_EVENT_RELEASED);
            outcome->ts = g_get_real_time();
            outcome->id = g_strdup(event->id);
            ok = append(journal, outcome);
        }
        if (n == 0) {
            printf("ready\n");
            fflush(stdout);
        }
        if (ok && n % 20 == 10) {
            journal = write_slowly(journal, dir);
            ok = journal != NULL;
        }
        if (g_file_test(stop_file, G_FILE_TEST_EXISTS) ||
            g_get_monotonic_time() - start > LOOP_LIMIT_US)
            break;
        g_usleep(500);
    }
    ajar_journal_close(journal);
    return ok ? 0 : 1;
}

/* The messenger running, idle: the journal open and locked, nothing written. */
static int
run_hold(const char *purple_dir, const char *stop_file)
{
    g_autofree char *dir = g_build_filename(purple_dir, "ajar", NULL);
    AjarJournal *journal = open_journal(dir);
    gint64 start = g_get_monotonic_time();

    if (journal == NULL)
        return 1;
    printf("ready\n");
    fflush(stdout);
    while (!g_file_test(stop_file, G_FILE_TEST_EXISTS) &&
           g_get_monotonic_time() - start < LOOP_LIMIT_US)
        g_usleep(10000);
    ajar_journal_close(journal);
    return 0;
}

int
main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "sample") == 0) {
        g_strfreev(cli_write_sample_journal(argv[2]));
        return 0;
    }
    if (argc == 4 && strcmp(argv[1], "loop") == 0)
        return run_loop(argv[2], argv[3]);
    if (argc == 4 && strcmp(argv[1], "hold") == 0)
        return run_hold(argv[2], argv[3]);
    fprintf(stderr, "usage: journal-writer sample PURPLE_DIR | loop|hold PURPLE_DIR STOP_FILE\n");
    return 2;
}
