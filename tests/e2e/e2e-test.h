/* e2e-test.h — helpers the end-to-end test binaries share (inline, their
 * state in e2e-scenarios.c; on top of the plugin tests' ajar-test-util.h):
 * what "you" saw, gathered over real-time waits, and waits on Ajar's
 * journal. */
#ifndef AJAR_E2E_TEST_H
#define AJAR_E2E_TEST_H

#include "ajar-test-util.h"
#include "e2e-util.h"

/* What the user of the test process saw since e2e_seen_reset(): windows
 * opened (their names), lines written (TestLine fields copied), messages
 * that reached received-im-msg. The test client hands each out once; these
 * keep them while a test waits. */
typedef struct {
    char *conv;    /* window (conversation) name */
    char *who;     /* sender as written, or the conversation name */
    char *message; /* as displayed */
    PurpleMessageFlags flags;
    time_t mtime;
} E2eSeenLine;

/* One copy for the whole test binary, in e2e-scenarios.c. */
extern GPtrArray *e2e_seen_windows;  /* char* */
extern GPtrArray *e2e_seen_lines;    /* E2eSeenLine* */
extern GPtrArray *e2e_seen_received; /* E2eSeenLine* (who, message, flags) */

static inline void
e2e_seen_line_free(E2eSeenLine *line)
{
    g_free(line->conv);
    g_free(line->who);
    g_free(line->message);
    g_free(line);
}

/* Moves what the test client recorded into the e2e_seen_* arrays. */
static inline void
e2e_seen_collect(void)
{
    g_autoptr(GPtrArray) opened = test_client_take_opened();
    g_autoptr(GPtrArray) lines = test_client_take_lines();
    g_autoptr(GPtrArray) received = test_client_take_received();

    if (e2e_seen_windows == NULL) {
        e2e_seen_windows = g_ptr_array_new_with_free_func(g_free);
        e2e_seen_lines = g_ptr_array_new_with_free_func((GDestroyNotify)e2e_seen_line_free);
        e2e_seen_received = g_ptr_array_new_with_free_func((GDestroyNotify)e2e_seen_line_free);
    }
    for (guint i = 0; i < opened->len; i++)
        g_ptr_array_add(e2e_seen_windows,
                        g_strdup(((TestWindow *)g_ptr_array_index(opened, i))->name));
    for (guint i = 0; i < lines->len; i++) {
        const TestLine *line = g_ptr_array_index(lines, i);
        E2eSeenLine *copy = g_new0(E2eSeenLine, 1);

        copy->conv = g_strdup(line->conv);
        copy->who = g_strdup(line->who);
        copy->message = g_strdup(line->message);
        copy->flags = line->flags;
        copy->mtime = line->mtime;
        g_ptr_array_add(e2e_seen_lines, copy);
    }
    for (guint i = 0; i < received->len; i++) {
        const TestReceived *item = g_ptr_array_index(received, i);
        E2eSeenLine *copy = g_new0(E2eSeenLine, 1);

        copy->who = g_strdup(item->who);
        copy->message = g_strdup(item->message);
        copy->flags = item->flags;
        g_ptr_array_add(e2e_seen_received, copy);
    }
}

/* Forgets everything seen so far (and what the client recorded). */
static inline void
e2e_seen_reset(void)
{
    e2e_seen_collect();
    g_ptr_array_set_size(e2e_seen_windows, 0);
    g_ptr_array_set_size(e2e_seen_lines, 0);
    g_ptr_array_set_size(e2e_seen_received, 0);
    ajar_test_drain();
}

/* Returns: TRUE if @name is @buddy (a bare XMPP address or an IRC nick),
 * with or without a "/resource", ignoring case. */
static inline gboolean
e2e_is_buddy(const char *name, const char *buddy)
{
    gsize len = strlen(buddy);

    return name != NULL && g_ascii_strncasecmp(name, buddy, len) == 0 &&
           (name[len] == '\0' || name[len] == '/');
}

/* Returns: how many windows named for @buddy opened since the reset. */
static inline guint
e2e_seen_windows_for(const char *buddy)
{
    guint count = 0;

    e2e_seen_collect();
    for (guint i = 0; i < e2e_seen_windows->len; i++)
        count += e2e_is_buddy(g_ptr_array_index(e2e_seen_windows, i), buddy);
    return count;
}

/* Returns: how many messages from @buddy reached received-im-msg (what
 * sounds and pop-ups hang off) since the reset, with @text in them (NULL:
 * any). */
static inline guint
e2e_seen_received_from(const char *buddy, const char *text)
{
    guint count = 0;

    e2e_seen_collect();
    for (guint i = 0; i < e2e_seen_received->len; i++) {
        const E2eSeenLine *item = g_ptr_array_index(e2e_seen_received, i);
        count +=
            e2e_is_buddy(item->who, buddy) && (text == NULL || strstr(item->message, text) != NULL);
    }
    return count;
}

/* Returns: (transfer none) (nullable): the last line in the window with
 * @buddy containing @text whose flags include @flags, since the reset. */
static inline const E2eSeenLine *
e2e_seen_line(const char *buddy, const char *text, PurpleMessageFlags flags)
{
    e2e_seen_collect();
    for (guint i = e2e_seen_lines->len; i > 0; i--) {
        const E2eSeenLine *line = g_ptr_array_index(e2e_seen_lines, i - 1);

        if (e2e_is_buddy(line->conv, buddy) && strstr(line->message, text) != NULL &&
            (line->flags & flags) == flags)
            return line;
    }
    return NULL;
}

/* Returns: how many lines in windows with @buddy since the reset. */
static inline guint
e2e_seen_lines_with(const char *buddy)
{
    guint count = 0;

    e2e_seen_collect();
    for (guint i = 0; i < e2e_seen_lines->len; i++)
        count += e2e_is_buddy(((E2eSeenLine *)g_ptr_array_index(e2e_seen_lines, i))->conv, buddy);
    return count;
}

/* Nothing from @buddy reached the user: no window, no line, nothing at
 * received-im-msg. */
static inline void
e2e_assert_nothing_from(const char *buddy)
{
    g_assert_cmpuint(e2e_seen_windows_for(buddy), ==, 0);
    g_assert_cmpuint(e2e_seen_lines_with(buddy), ==, 0);
    g_assert_cmpuint(e2e_seen_received_from(buddy, NULL), ==, 0);
}

typedef struct {
    const char *buddy;
    const char *text;
} E2eReceivedWait;

static inline gboolean
e2e_received_cb(gpointer data)
{
    const E2eReceivedWait *wait = data;

    return e2e_seen_received_from(wait->buddy, wait->text) > 0;
}

/* Waits until a message from @buddy with @text reached received-im-msg. */
static inline void
e2e_wait_received(const char *buddy, const char *text)
{
    E2eReceivedWait wait = { buddy, text };
    g_autofree char *what = g_strdup_printf("\"%s\" from %s to be shown", text, buddy);

    e2e_wait(e2e_received_cb, &wait, what);
}

typedef struct {
    const char *buddy;
    const char *text;
    PurpleMessageFlags flags;
} E2eLineWait;

static inline gboolean
e2e_line_cb(gpointer data)
{
    const E2eLineWait *wait = data;

    return e2e_seen_line(wait->buddy, wait->text, wait->flags) != NULL;
}

/* Waits until a line with @text and @flags is written in the window with
 * @buddy. Returns: (transfer none): the line. */
static inline const E2eSeenLine *
e2e_wait_line(const char *buddy, const char *text, PurpleMessageFlags flags)
{
    E2eLineWait wait = { buddy, text, flags };
    g_autofree char *what = g_strdup_printf("a line \"%s\" in the window with %s", text, buddy);

    e2e_wait(e2e_line_cb, &wait, what);
    return e2e_seen_line(buddy, text, flags);
}

typedef struct {
    gint64 after_seq;
    AjarEventType type;
    guint count;
} E2eJournalWait;

static inline gboolean
e2e_journal_cb(gpointer data)
{
    const E2eJournalWait *wait = data;

    return ajar_test_count_since(wait->after_seq, wait->type) >= wait->count;
}

/* Waits until the journal has @count events of @type after @after_seq.
 * Returns: (transfer full): those events (AjarEvent*), in order; the
 * caller frees them (the e2e suite runs under LeakSanitizer). */
static inline G_GNUC_WARN_UNUSED_RESULT GPtrArray *
e2e_wait_journal(gint64 after_seq, AjarEventType type, guint count)
{
    E2eJournalWait wait = { after_seq, type, count };
    g_autofree char *what =
        g_strdup_printf("%u \"%s\" events in the journal", count, ajar_event_type_to_string(type));

    e2e_wait(e2e_journal_cb, &wait, what);
    return ajar_test_events_since(after_seq, type, NULL);
}

/* Returns: (transfer none): the first event in @events whose text is @text. */
static inline const AjarEvent *
e2e_event_with_text(GPtrArray *events, const char *text)
{
    for (guint i = 0; i < events->len; i++) {
        const AjarEvent *event = g_ptr_array_index(events, i);
        if (g_strcmp0(event->text, text) == 0)
            return event;
    }
    g_error("no journal event with the text \"%s\"", text);
}

/* How early a due time may be acted on as journaled: Ajar's timer lets a
 * due time within 1 ms count as come (plugin/ajar-due-queue.c), and the
 * journal's ts keeps whole milliseconds. */
#define E2E_DUE_SLACK_US 2000

/* Runs "/ajar @args" in the conversation with @who, as the user types it. */
static inline void
e2e_ajar(PurpleAccount *account, const char *who, const char *args)
{
    g_autofree char *cmdline = g_strconcat("ajar ", args, NULL);

    g_assert_cmpint(test_client_command(account, who, cmdline), ==, PURPLE_CMD_STATUS_OK);
}

#endif /* AJAR_E2E_TEST_H */
