/* test-load-journal.c — starting with a large journal: Ajar reads it in the
 * background, and messages that arrive meanwhile are decided, journaled and
 * withheld as ever (nothing from a held contact shows; nothing is lost),
 * while the review and /ajar status say that Ajar is still reading.
 *
 * The journal is made up (bench/bench-journal.c: years of messages with
 * other buddies, on another protocol) plus a few held messages of the held
 * contact here, so that what the plugin knows after the load shows both the
 * old and the new. Between purple_plugin_load() and the first turn of the
 * main loop the plugin has not taken the replayed journal in (that happens
 * on the main loop), so what arrives then arrives during the load, whatever
 * the machine's speed. */
#include "ajar-test-util.h"

#include "bench-journal.h"

#define ME "load@example.org/Home"
#define HELD "held@example.org"
#define OTHER "passing@example.org"
/* 2.5 MiB: over the 1 MiB from which the journal is read in the background */
#define GENERATED_EVENTS 10000
#define OLD_HELD 2

#define LOADING_TEXT AJAR_TEST_LOADING_TEXT

static const char rules[] = "{\"version\": 1, \"rules\": ["
                            "{\"name\": \"Held\", \"match\": [{\"buddy\": \"" HELD "\"}], "
                            "\"incoming\": {\"action\": \"hold\"}}]}";

/* The made-up journal, then OLD_HELD messages from HELD kept by an earlier
 * run. @cut: and a last line a crash cut (no "\n"). Returns: its last seq. */
static gint64
write_journal(PurpleAccount *account, gboolean cut)
{
    g_autofree char *dir = ajar_test_dir();
    g_autofree char *path = ajar_test_path(AJAR_JOURNAL_FILE);
    g_autoptr(GError) error = NULL;
    AjarJournal *journal;
    gint64 last_seq;

    g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
    g_assert_cmpint(bench_journal_generate(path, GENERATED_EVENTS), >, 0);
    journal = ajar_journal_open(dir, AJAR_FLUSH_EVERY_EVENT, &error);
    g_assert_no_error(error);
    for (int i = 0; i < OLD_HELD; i++) {
        g_autoptr(AjarEvent) event = ajar_event_new(AJAR_EVENT_HELD);

        event->ts = g_get_real_time() - (gint64)3600 * G_USEC_PER_SEC;
        event->has_dir = TRUE;
        event->dir = AJAR_DIRECTION_IN;
        event->account = g_strdup(purple_account_get_username(account));
        event->protocol = g_strdup(purple_account_get_protocol_id(account));
        event->buddy = g_strdup(HELD);
        event->rule = g_strdup("Held");
        event->text = g_strdup_printf("old %d", i);
        event->text_len = strlen(event->text);
        event->time = event->ts - event->ts % G_USEC_PER_SEC;
        g_assert_true(ajar_journal_append(journal, event, &error));
        g_assert_no_error(error);
    }
    last_seq = ajar_state_get_last_seq(ajar_journal_get_state(journal));
    ajar_journal_close(journal);
    if (cut) {
        FILE *file = fopen(path, "a");

        g_assert_nonnull(file);
        fputs("{\"seq\":", file);
        g_assert_cmpint(fclose(file), ==, 0);
    }
    return last_seq;
}

#define LATE "late@example.org"

static const char rules_late[] =
    "{\"version\": 1, \"rules\": ["
    "{\"name\": \"Held\", \"match\": [{\"buddy\": \"" HELD "\"}], "
    "\"incoming\": {\"action\": \"hold\"}},"
    "{\"name\": \"Late\", \"match\": [{\"buddy\": \"" LATE "\"}], "
    "\"incoming\": {\"action\": \"delay\", \"seconds\": 3600}, "
    "\"outgoing\": {\"action\": \"delay\", \"seconds\": 3600, \"confirm\": false}}]}";

/* Appends to the journal a message of @type (delayed: from LATE; queued:
 * to LATE) an earlier run kept, due a minute ago. */
static void
append_overdue(PurpleAccount *account, AjarEventType type, const char *text)
{
    g_autofree char *dir = ajar_test_dir();
    g_autoptr(GError) error = NULL;
    g_autoptr(AjarEvent) event = ajar_event_new(type);
    AjarJournal *journal = ajar_journal_open(dir, AJAR_FLUSH_EVERY_EVENT, &error);

    g_assert_no_error(error);
    event->ts = g_get_real_time() - (gint64)7200 * G_USEC_PER_SEC;
    event->has_dir = TRUE;
    event->dir = type == AJAR_EVENT_DELAYED ? AJAR_DIRECTION_IN : AJAR_DIRECTION_OUT;
    event->account = g_strdup(purple_account_get_username(account));
    event->protocol = g_strdup(purple_account_get_protocol_id(account));
    event->buddy = g_strdup(LATE);
    event->rule = g_strdup("Late");
    event->text = g_strdup(text);
    event->text_len = strlen(text);
    event->time = event->ts - event->ts % G_USEC_PER_SEC;
    event->due = g_get_real_time() - 60 * G_USEC_PER_SEC;
    g_assert_true(ajar_journal_append(journal, event, &error));
    g_assert_no_error(error);
    ajar_journal_close(journal);
}

static PurpleAccount *
start(void)
{
    PurpleAccount *account = ajar_test_account(ME);

    test_client_connect(account);
    ajar_test_write_rules(rules);
    return account;
}

/* What /ajar status says in the window with @who (its last line). */
static char *
status_line(PurpleAccount *account, const char *who)
{
    g_autoptr(GPtrArray) lines = NULL;

    g_assert_cmpint(test_client_command(account, who, "ajar status"), ==, PURPLE_CMD_STATUS_OK);
    lines = test_client_take_lines();
    g_assert_cmpuint(lines->len, >=, 1);
    return g_strdup(((TestLine *)g_ptr_array_index(lines, lines->len - 1))->message);
}

static void
wait_loaded(PurpleAccount *account)
{
    ajar_test_wait_journal_read(account, HELD);
}

/* The journal's events of @type after @after_seq (a damaged line allowed:
 * the one a crash cut). Returns: (transfer full). */
static GPtrArray *
events_since(gint64 after_seq, AjarEventType type)
{
    guint malformed;
    g_autoptr(GPtrArray) events = ajar_test_read_journal_damaged(&malformed);
    GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)ajar_event_free);

    g_assert_cmpuint(malformed, <=, 1);
    for (guint i = 0; i < events->len; i++) {
        AjarEvent *event = g_ptr_array_index(events, i);

        if (event->seq > after_seq && (type == AJAR_EVENT_UNKNOWN || event->type == type))
            g_ptr_array_add(out, ajar_event_copy(event));
    }
    return out;
}

/* @texts received from HELD are the journal's "held" lines after
 * @after_seq, in the order they came. */
static void
assert_held_journaled(gint64 after_seq, const char *const *texts, guint n)
{
    g_autoptr(GPtrArray) held = events_since(after_seq, AJAR_EVENT_HELD);

    g_assert_cmpuint(held->len, ==, n);
    for (guint i = 0; i < n; i++) {
        AjarEvent *event = g_ptr_array_index(held, i);

        g_assert_cmpstr(event->buddy, ==, HELD);
        g_assert_cmpstr(event->text, ==, texts[i]);
        if (i > 0)
            g_assert_cmpint(event->seq, >, ((AjarEvent *)g_ptr_array_index(held, i - 1))->seq);
    }
}

static void
test_messages_during_load(void)
{
    static const char *const held_texts[] = { "one", "two", "three" };
    PurpleAccount *account = start();
    gint64 last_seq = write_journal(account, FALSE);
    g_autoptr(GPtrArray) received = NULL;
    g_autoptr(GPtrArray) held = NULL;
    g_autofree char *line = NULL;

    ajar_test_drain();
    ajar_test_load();
    /* Not read yet: said so, in one sentence. */
    line = status_line(account, HELD);
    g_assert_cmpstr(line, ==, LOADING_TEXT);
    ajar_test_run_action(ajar_test_plugin(), "Review held messages…");
    {
        g_autoptr(GPtrArray) notices = test_client_take_notices();

        g_assert_cmpuint(notices->len, ==, 1);
        g_assert_cmpstr(((TestNotice *)g_ptr_array_index(notices, 0))->primary, ==, LOADING_TEXT);
        g_assert_cmpuint(ajar_test_count_and_free(test_client_take_requests()), ==, 0);
    }

    /* Arriving now, interleaved: theirs withheld, the other's shown. */
    test_client_receive(account, HELD, held_texts[0], 0, time(NULL));
    test_client_receive(account, OTHER, "passing one", 0, time(NULL));
    test_client_receive(account, HELD, held_texts[1], 0, time(NULL));
    test_client_receive(account, HELD, held_texts[2], 0, time(NULL));
    test_client_receive(account, OTHER, "passing two", 0, time(NULL));
    received = test_client_take_received();
    g_assert_cmpuint(received->len, ==, 2);
    g_assert_cmpstr(((TestReceived *)g_ptr_array_index(received, 0))->who, ==, OTHER);
    g_assert_cmpstr(((TestReceived *)g_ptr_array_index(received, 0))->message, ==, "passing one");
    g_assert_cmpstr(((TestReceived *)g_ptr_array_index(received, 1))->message, ==, "passing two");
    /* Journaled before withheld, in the order they came, numbered on. */
    assert_held_journaled(last_seq, held_texts, 3);
    held = events_since(last_seq, AJAR_EVENT_UNKNOWN);
    g_assert_cmpint(((AjarEvent *)g_ptr_array_index(held, 0))->seq, ==, last_seq + 1);

    wait_loaded(account);
    /* Nothing of theirs popped up meanwhile or when the journal was read. */
    received = (g_ptr_array_unref(received), test_client_take_received());
    for (guint i = 0; i < received->len; i++)
        g_assert_cmpstr(((TestReceived *)g_ptr_array_index(received, i))->who, !=, HELD);
    /* What the plugin knows has the old and the new: five held. */
    g_free(line);
    line = status_line(account, HELD);
    g_test_message("status after the load: %s", line);
    g_assert_nonnull(strstr(line, "Kept: 5 held,"));
    /* The review opens, with Held and the made-up journal's people. */
    ajar_test_run_action(ajar_test_plugin(), "Review held messages…");
    {
        g_autoptr(GPtrArray) requests = test_client_take_requests();
        PurpleRequestField *people;
        gboolean held_there = FALSE, old_there = FALSE;

        g_assert_cmpuint(requests->len, ==, 1);
        people = purple_request_fields_get_field(
            ((TestRequest *)g_ptr_array_index(requests, 0))->fields, "person");
        g_assert_nonnull(people);
        for (GList *l = purple_request_field_list_get_items(people); l != NULL; l = l->next) {
            g_test_message("review: %s", (const char *)l->data);
            held_there |= strstr(l->data, "Held") != NULL;
            old_there |= strstr(l->data, "Sam") != NULL;
        }
        g_assert_true(held_there);
        g_assert_true(old_there);
        test_client_request_cancel(g_ptr_array_index(requests, 0));
    }
    ajar_test_unload();
    /* And as the journal says. */
    {
        g_autoptr(AjarState) state = ajar_test_read_state();

        g_assert_cmpuint(ajar_state_count_waiting(state, "Held"), ==, OLD_HELD + 3);
    }
    ajar_test_drain();
}

/* Switched off while reading: the reading stops, nothing leaks, and the
 * next start reads it all, with what came meanwhile. */
static void
test_unload_during_load(void)
{
    static const char *const held_texts[] = { "before unload", "after reload" };
    PurpleAccount *account = start();
    gint64 last_seq = write_journal(account, FALSE);

    ajar_test_drain();
    ajar_test_load();
    test_client_receive(account, HELD, held_texts[0], 0, time(NULL));
    ajar_test_unload(); /* the thread has only begun */
    ajar_test_load();
    ajar_test_run_for(5); /* a little way in */
    ajar_test_unload();
    ajar_test_load();
    test_client_receive(account, HELD, held_texts[1], 0, time(NULL));
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_received()), ==, 0);
    wait_loaded(account);
    assert_held_journaled(last_seq, held_texts, 2);
    {
        g_autofree char *line = status_line(account, HELD);
        g_assert_nonnull(strstr(line, "Kept: 4 held,"));
    }
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_received()), ==, 0);
    ajar_test_unload();
    ajar_test_drain();
}

/* A crash cut the last line: it still loads; a message that comes while it
 * is read waits for the reading (the repair needs it), and is kept. */
static void
test_incomplete_tail(void)
{
    static const char *const held_texts[] = { "after a crash" };
    PurpleAccount *account = start();
    gint64 last_seq = write_journal(account, TRUE);
    g_autoptr(GPtrArray) faults = NULL;
    g_autofree char *line = NULL;

    ajar_test_drain();
    ajar_test_load();
    line = status_line(account, HELD);
    g_assert_cmpstr(line, ==, LOADING_TEXT);
    test_client_receive(account, HELD, held_texts[0], 0, time(NULL));
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_received()), ==, 0);
    /* The cut line was ended and noted before the message. */
    faults = events_since(last_seq, AJAR_EVENT_FAULT);
    g_assert_cmpuint(faults->len, ==, 1);
    g_assert_true(g_str_has_prefix(((AjarEvent *)g_ptr_array_index(faults, 0))->message,
                                   AJAR_JOURNAL_REPAIRED_PREFIX));
    {
        guint malformed;
        g_autoptr(GPtrArray) events = ajar_test_read_journal_damaged(&malformed);

        g_assert_cmpuint(malformed, ==, 1); /* the cut line, ended */
    }
    assert_held_journaled(last_seq, held_texts, 1);
    wait_loaded(account);
    g_free(line);
    line = status_line(account, HELD);
    g_assert_nonnull(strstr(line, "Kept: 3 held,"));
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_received()), ==, 0);
    ajar_test_unload();
    ajar_test_drain();
}

/* What was due while Ajar was off comes once the journal is read, as after
 * any restart (theirs delivered, yours asked about); what came during the
 * load is this run's: your message then is not asked about. */
static void
test_due_after_load(void)
{
    PurpleAccount *account = start();

    ajar_test_write_rules(rules_late);
    write_journal(account, FALSE);
    append_overdue(account, AJAR_EVENT_DELAYED, "late in");
    append_overdue(account, AJAR_EVENT_QUEUED, "late out");
    ajar_test_drain();
    ajar_test_load();
    test_client_send(account, LATE, "new out");
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    /* Nothing due was dealt with before the journal was read. */
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_received()), ==, 0);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_requests()), ==, 0);
    wait_loaded(account);
    ajar_test_run_for(500); /* scheduled a slice a turn */
    {
        g_autoptr(GPtrArray) received = test_client_take_received();
        g_autoptr(GPtrArray) requests = test_client_take_requests();

        g_assert_cmpuint(received->len, ==, 1);
        g_assert_cmpstr(((TestReceived *)g_ptr_array_index(received, 0))->message, ==, "late in");
        g_assert_cmpuint(requests->len, ==, 1);
        g_assert_cmpstr(((TestRequest *)g_ptr_array_index(requests, 0))->primary, ==,
                        "Your message to " LATE " was due while Ajar was not running. Send it "
                        "now?");
        g_assert_nonnull(
            strstr(((TestRequest *)g_ptr_array_index(requests, 0))->secondary, "late out"));
    }
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    ajar_test_unload();
    ajar_test_drain();
}

/* notify "message": the note counts every kept message, old and new, so it
 * waits for the journal; then it comes once. */
static void
test_waiting_note_after_load(void)
{
    PurpleAccount *account = start();

    ajar_test_write_rules("{\"version\": 1, \"rules\": ["
                          "{\"name\": \"Held\", \"match\": [{\"buddy\": \"" HELD "\"}], "
                          "\"incoming\": {\"action\": \"hold\"}}], "
                          "\"settings\": {\"notify\": \"message\"}}");
    write_journal(account, FALSE);
    ajar_test_drain();
    ajar_test_load();
    test_client_receive(account, HELD, "note one", 0, time(NULL));
    test_client_receive(account, HELD, "note two", 0, time(NULL));
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_received()), ==, 0);
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_notices()), ==, 0);
    wait_loaded(account);
    {
        g_autoptr(GPtrArray) notices = test_client_take_notices();

        g_assert_cmpuint(notices->len, ==, 1);
        g_assert_cmpstr(((TestNotice *)g_ptr_array_index(notices, 0))->primary, ==,
                        "4 messages from Held are waiting. Nothing was shown.");
    }
    ajar_test_unload();
    ajar_test_drain();
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    g_test_add_func("/plugin/load-journal/messages-during-load", test_messages_during_load);
    g_test_add_func("/plugin/load-journal/unload-during-load", test_unload_during_load);
    g_test_add_func("/plugin/load-journal/incomplete-tail", test_incomplete_tail);
    g_test_add_func("/plugin/load-journal/due-after-load", test_due_after_load);
    g_test_add_func("/plugin/load-journal/waiting-note-after-load", test_waiting_note_after_load);
    status = g_test_run();

    test_client_quit();
    test_client_cleanup();
    return status;
}
