/* test-journal.c — journal.jsonl as the custody store: appending, the
 * folder and file it lives in, ids, a full disk, and syncing. (Reading back
 * and damage: test-journal-replay.c.) */
#include <fcntl.h>
#include <grp.h>
#include <sys/wait.h>

#include <json-glib/json-glib.h>

#include "journal-test-util.h"

/* One event of every kind, as the plugin writes them. */
static GPtrArray *
every_type_events(void)
{
    GPtrArray *events = g_ptr_array_new_with_free_func((GDestroyNotify)ajar_event_free);
    gint64 ts = TEST_T0 + 113456; /* not whole millis: the journal keeps millis */
    AjarEvent *e;

    g_ptr_array_add(
        events, test_custody_event(AJAR_EVENT_HELD, NULL, AJAR_DIRECTION_IN, "are you awake?", ts));
    g_ptr_array_add(events, test_custody_event(AJAR_EVENT_ARCHIVED, NULL, AJAR_DIRECTION_IN,
                                               "I left something at your door", ts + 1));
    g_ptr_array_add(
        events, test_custody_event(AJAR_EVENT_DELAYED, NULL, AJAR_DIRECTION_IN, "call me", ts + 2));
    g_ptr_array_add(events, test_custody_event(AJAR_EVENT_QUEUED, "01JDX0ABCDEFGHJKMNPQRSTVWX",
                                               AJAR_DIRECTION_OUT, "I miss you", ts + 3));
    for (AjarEventType t = AJAR_EVENT_RELEASED; t <= AJAR_EVENT_READ; t++)
        g_ptr_array_add(events, test_outcome_event(t, "01JDX0ABCDEFGHJKMNPQRSTVWX", ts + 4));
    e = test_outcome_event(AJAR_EVENT_SENT, NULL, ts + 5);
    e->has_dir = TRUE;
    e->dir = AJAR_DIRECTION_OUT;
    e->account = g_strdup("me@example.org/Home");
    e->protocol = g_strdup("prpl-jabber");
    e->buddy = g_strdup("sam@example.org");
    e->rule = g_strdup("Sam");
    g_ptr_array_add(events, e);
    e = test_outcome_event(AJAR_EVENT_PASSED, NULL, ts + 6);
    e->rule = g_strdup("Sam");
    g_ptr_array_add(events, e);
    g_ptr_array_add(events, test_outcome_event(AJAR_EVENT_RULES_CHANGED, NULL, ts + 7));
    e = test_outcome_event(AJAR_EVENT_FAULT, NULL, ts + 8);
    e->message = g_strdup("rules.json:3:5: rules[0].incoming.seconds: must be a whole number");
    g_ptr_array_add(events, e);
    return events;
}

/* What was appended is what a restart reads back, field by field, and
 * ordinary JSON readers can parse every line. */
static void
test_append_round_trip(Fixture *f, gconstpointer data)
{
    g_autoptr(GPtrArray) events = every_type_events();
    g_autoptr(GPtrArray) back = NULL;
    g_autofree char *contents = NULL;
    g_auto(GStrv) lines = NULL;
    AjarJournalReport report;
    AjarJournal *journal = open_ok(f->dir, AJAR_FLUSH_EVERY_EVENT);

    for (guint i = 0; i < events->len; i++) {
        AjarEvent *event = g_ptr_array_index(events, i);
        append_ok(journal, event);
        g_assert_cmpint(event->seq, ==, i + 1);
        g_assert_cmpint(event->ts % 1000, ==, 0);
        if (ajar_event_type_is_custody(event->type))
            g_assert_cmpuint(strlen(event->id), ==, 26);
    }
    ajar_journal_close(journal);

    back = read_all(f->path, &report);
    g_assert_cmpuint(back->len, ==, events->len);
    for (guint i = 0; i < events->len; i++)
        test_assert_events_equal(g_ptr_array_index(events, i), g_ptr_array_index(back, i));
    g_assert_cmpuint(report.malformed, ==, 0);
    g_assert_cmpuint(report.seq_gaps + report.seq_disorder, ==, 0);
    g_assert_false(report.incomplete_tail);
    ajar_journal_report_clear(&report);

    g_assert_true(g_file_get_contents(f->path, &contents, NULL, NULL));
    lines = g_strsplit(contents, "\n", -1);
    g_assert_cmpuint(g_strv_length(lines), ==, events->len + 1); /* ends in "\n" */
    for (guint i = 0; i < events->len; i++) {
        g_autoptr(JsonParser) parser = json_parser_new();
        g_autoptr(GError) error = NULL;
        json_parser_load_from_data(parser, lines[i], -1, &error);
        g_assert_no_error(error);
        g_assert_cmpint(json_node_get_node_type(json_parser_get_root(parser)), ==,
                        JSON_NODE_OBJECT);
    }
}

/* A long message (here 1 MiB) comes back whole; it spans several reads. */
static void
test_append_long_line(Fixture *f, gconstpointer data)
{
    const gsize len = 1024 * 1024;
    g_autofree char *text = g_malloc(len + 1);
    g_autoptr(AjarEvent) event = NULL;
    g_autoptr(GPtrArray) back = NULL;
    AjarJournalReport report;
    AjarJournal *journal;

    for (gsize i = 0; i < len; i++)
        text[i] = "ab\"c\\d\n e"[i % 9];
    text[len] = '\0';
    event = test_custody_event(AJAR_EVENT_HELD, NULL, AJAR_DIRECTION_IN, text, TEST_T0);
    journal = open_ok(f->dir, AJAR_FLUSH_EVERY_EVENT);
    append_held(journal, 1);
    append_ok(journal, event);
    append_held(journal, 1);
    ajar_journal_close(journal);

    back = read_all(f->path, &report);
    g_assert_cmpuint(back->len, ==, 3);
    test_assert_events_equal(event, g_ptr_array_index(back, 1));
    g_assert_cmpuint(report.malformed, ==, 0);
    ajar_journal_report_clear(&report);
}

/* Bytes that are not UTF-8 are kept exactly, as text_base64. */
static void
test_append_non_utf8(Fixture *f, gconstpointer data)
{
    static const char bytes[] = "caf\xe9 \xff\xfe\x00 end";
    g_autoptr(AjarEvent) event =
        test_custody_event(AJAR_EVENT_ARCHIVED, NULL, AJAR_DIRECTION_IN, "", TEST_T0);
    g_autofree char *contents = NULL;
    AjarJournal *journal = open_ok(f->dir, AJAR_FLUSH_EVERY_EVENT);
    const AjarItem *item;

    test_set_text(event, bytes, sizeof bytes - 1);
    append_ok(journal, event);
    ajar_journal_close(journal);
    g_assert_true(g_file_get_contents(f->path, &contents, NULL, NULL));
    g_assert_nonnull(strstr(contents, "\"text_base64\":\""));
    g_assert_true(g_utf8_validate(contents, -1, NULL)); /* the journal stays UTF-8 */

    journal = open_ok(f->dir, AJAR_FLUSH_EVERY_EVENT);
    item = ajar_state_lookup(ajar_journal_get_state(journal), event->id);
    test_assert_item_text_on_disk(item, f->dir, bytes, sizeof bytes - 1);
    ajar_journal_close(journal);
}

/* A missing folder (and its parents) is made private, whatever the umask;
 * an existing loose folder and file are tightened. */
static void
test_open_permissions(Fixture *f, gconstpointer data)
{
    g_autofree char *nested = g_build_filename(f->dir, "home", ".purple", "ajar", NULL);
    g_autofree char *parent = g_path_get_dirname(nested);
    g_autofree char *file = g_build_filename(nested, AJAR_JOURNAL_FILE, NULL);
    mode_t old_umask = umask(0);
    AjarJournal *journal = open_ok(nested, AJAR_FLUSH_EVERY_EVENT);

    umask(old_umask);
    g_assert_cmpuint(test_file_mode(nested), ==, 0700);
    g_assert_cmpuint(test_file_mode(parent), ==, 0700);
    g_assert_cmpuint(test_file_mode(file), ==, 0600);
    ajar_journal_close(journal);

    g_assert_cmpint(g_chmod(nested, 0755), ==, 0);
    g_assert_cmpint(g_chmod(file, 0644), ==, 0);
    journal = open_ok(nested, AJAR_FLUSH_EVERY_EVENT);
    g_assert_cmpuint(test_file_mode(nested), ==, 0700);
    g_assert_cmpuint(test_file_mode(file), ==, 0600);
    ajar_journal_close(journal);
}

/* A folder Ajar may not write to. Root ignores permission bits, so as root
 * the check runs in a child that first becomes "nobody"; the folder is
 * handed to nobody with mode 0500, so the failure is the same real EACCES a
 * user would meet. */
static gboolean
drop_root(void)
{
    return setgroups(0, NULL) == 0 && setgid(65534) == 0 && setuid(65534) == 0;
}

static gboolean
can_drop_root(void)
{
    int status = 0;
    pid_t pid = fork();

    if (pid == 0)
        _exit(drop_root() ? 0 : 1);
    g_assert_cmpint(pid, >, 0);
    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void
test_open_read_only_folder(void)
{
    g_autofree char *base = NULL;
    g_autofree char *ro = NULL;
    g_autofree char *inside = NULL;

    if (g_test_subprocess()) {
        const char *dir = g_getenv("AJAR_TEST_RO_DIR");
        g_autofree char *file = g_build_filename(dir, AJAR_JOURNAL_FILE, NULL);
        g_autofree char *sub = g_build_filename(dir, "ajar", NULL);
        g_autofree char *expected = NULL;
        g_autoptr(GError) error = NULL;

        if (geteuid() == 0)
            g_assert_true(drop_root());
        g_assert_null(ajar_journal_open(dir, AJAR_FLUSH_EVERY_EVENT, &error));
        g_assert_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO);
        expected = g_strdup_printf("%s: could not open: %s", file, g_strerror(EACCES));
        g_assert_cmpstr(error->message, ==, expected);
        g_clear_error(&error);
        g_clear_pointer(&expected, g_free);
        g_assert_null(ajar_journal_open(sub, AJAR_FLUSH_EVERY_EVENT, &error));
        g_assert_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO);
        expected = g_strdup_printf("%s: could not create the folder: %s", sub, g_strerror(EACCES));
        g_assert_cmpstr(error->message, ==, expected);
        g_print("checked\n");
        return;
    }

    if (geteuid() == 0 && !can_drop_root()) {
        g_test_skip("root without CAP_SETUID: permissions cannot fail here; "
                    "/journal/open/not-a-folder checks a real open failure instead");
        return;
    }
    base = test_make_tmp_dir();
    ro = g_build_filename(base, "ro", NULL);
    inside = g_build_filename(ro, "ajar", NULL);
    g_assert_cmpint(g_mkdir(ro, 0500), ==, 0);
    if (geteuid() == 0) {
        g_assert_cmpint(g_chmod(base, 0711), ==, 0); /* nobody may pass through */
        g_assert_cmpint(chown(ro, 65534, 65534), ==, 0);
    }
    g_setenv("AJAR_TEST_RO_DIR", ro, TRUE);
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_unsetenv("AJAR_TEST_RO_DIR");
    g_test_trap_assert_passed();
    g_test_trap_assert_stdout("*checked*");
    g_assert_false(g_file_test(inside, G_FILE_TEST_EXISTS));
    test_rm_rf(base);
}

/* Failures that hit root too: a folder path through a file, and a journal
 * that is not a regular file (a FIFO would hang, /dev/full never ends). */
static void
test_open_not_a_folder(Fixture *f, gconstpointer data)
{
    g_autofree char *file = g_build_filename(f->dir, "file", NULL);
    g_autofree char *below = g_build_filename(file, "ajar", NULL);
    g_autofree char *expected = NULL;
    g_autoptr(GError) error = NULL;
    guint full_mode;

    append_raw(file, "x", 1);
    g_assert_null(ajar_journal_open(below, AJAR_FLUSH_EVERY_EVENT, &error));
    g_assert_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO);
    expected = g_strdup_printf("%s: could not use the folder: %s", below, g_strerror(ENOTDIR));
    g_assert_cmpstr(error->message, ==, expected);
    g_clear_error(&error);
    g_clear_pointer(&expected, g_free);

    full_mode = test_file_mode("/dev/full");
    g_assert_cmpint(symlink("/dev/full", f->path), ==, 0);
    g_assert_null(ajar_journal_open(f->dir, AJAR_FLUSH_EVERY_EVENT, &error));
    g_assert_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO);
    expected = g_strdup_printf("%s: is not a regular file", f->path);
    g_assert_cmpstr(error->message, ==, expected);
    g_assert_cmpuint(test_file_mode("/dev/full"), ==, full_mode); /* not "tightened" */
    g_clear_error(&error);
    g_assert_false(ajar_journal_read_file(f->path, NULL, NULL, NULL, &error));
    g_assert_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO);
    g_unlink(f->path);

    g_assert_cmpint(mkfifo(f->path, 0600), ==, 0);
    g_clear_error(&error);
    g_assert_null(ajar_journal_open(f->dir, AJAR_FLUSH_EVERY_EVENT, &error));
    g_assert_cmpstr(error->message, ==, expected);
}

static guint64
id_millis(const char *id)
{
    static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    guint64 ms = 0;

    for (int i = 0; i < 10; i++)
        ms = ms * 32 + (guint64)(strchr(alphabet, id[i]) - alphabet);
    return ms;
}

/* Ids are unique and sort in the order they were made, even when the clock
 * goes back, and after a restart even if the last run's clock was ahead. */
static void
test_ids(Fixture *f, gconstpointer data)
{
    g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autofree char *prev = NULL;
    g_autofree char *after_restart = NULL;
    g_autoptr(AjarEvent) ahead = NULL;
    AjarJournal *journal = open_ok(f->dir, AJAR_FLUSH_EVERY_EVENT);
    gint64 now = TEST_T0;

    for (int i = 0; i < 10000; i++) {
        char *id;
        if (i % 1000 == 500)
            now -= 5 * G_USEC_PER_SEC; /* NTP stepped the clock back */
        else if (i % 3 == 0)
            now += 1000;
        id = ajar_journal_new_id(journal, now);
        g_assert_cmpuint(strlen(id), ==, 26);
        g_assert_cmpuint(strspn(id, "0123456789ABCDEFGHJKMNPQRSTVWXYZ"), ==, 26);
        if (i == 0)
            g_assert_cmpuint(id_millis(id), ==, (guint64)(now / 1000));
        if (prev != NULL)
            g_assert_cmpstr(prev, <, id);
        g_assert_true(g_hash_table_add(seen, id));
        g_free(prev);
        prev = g_strdup(id);
    }

    /* A message held while the clock was a day ahead, then a restart. */
    ahead = test_custody_event(AJAR_EVENT_HELD, NULL, AJAR_DIRECTION_IN, "x",
                               TEST_T0 + G_TIME_SPAN_DAY);
    append_ok(journal, ahead);
    ajar_journal_close(journal);
    journal = open_ok(f->dir, AJAR_FLUSH_EVERY_EVENT);
    after_restart = ajar_journal_new_id(journal, TEST_T0);
    g_assert_cmpstr(ahead->id, <, after_restart);
    ajar_journal_close(journal);
}

/* Ids made in one burst (one millisecond) differ early enough that the short
 * ids the review, /ajar and the ajar command show stay short: a step of 1
 * would make them differ only in the last of 26 characters. */
static void
test_ids_burst_short(Fixture *f, gconstpointer data)
{
    AjarJournal *journal = open_ok(f->dir, AJAR_FLUSH_EVERY_EVENT);
    g_autofree char *prev = ajar_journal_new_id(journal, TEST_T0);

    for (int i = 0; i < 1000; i++) {
        g_autofree char *id = ajar_journal_new_id(journal, TEST_T0);
        size_t same = 0;

        while (prev[same] == id[same])
            same++;
        g_assert_cmpuint(same, <, 13);
        g_assert_cmpstr(prev, <, id);
        g_free(prev);
        prev = g_steal_pointer(&id);
    }
    ajar_journal_close(journal);
}

/* A journal that holds the greatest id there is (hand-made, or damaged) and
 * the smallest: the next id would wrap around to the smallest, and a new
 * message under it would overwrite the message kept there. Found by
 * tests/fuzz/fuzz-journal.c's invariant (regressions/journal/id-wrap). */
static void
test_id_after_greatest(Fixture *f, gconstpointer data)
{
    static const char lines[] =
        "{\"seq\":1,\"ts\":\"2026-11-27T21:04:09.113Z\",\"event\":\"held\","
        "\"id\":\"00000000000000000000000000\",\"dir\":\"in\",\"account\":\"me\","
        "\"protocol\":\"prpl-irc\",\"buddy\":\"sam\",\"rule\":\"Sam\","
        "\"time\":\"2026-11-27T21:04:09Z\",\"text\":\"the first message\"}\n"
        "{\"seq\":2,\"ts\":\"2026-11-27T21:04:10.113Z\",\"event\":\"held\","
        "\"id\":\"7ZZZZZZZZZZZZZZZZZZZZZZZZZ\",\"dir\":\"in\",\"account\":\"me\","
        "\"protocol\":\"prpl-irc\",\"buddy\":\"sam\",\"rule\":\"Sam\","
        "\"time\":\"2026-11-27T21:04:10Z\",\"text\":\"the greatest id\"}\n";
    g_autoptr(AjarEvent) event =
        test_custody_event(AJAR_EVENT_HELD, NULL, AJAR_DIRECTION_IN, "a new message", TEST_T0);
    AjarJournal *journal;
    const AjarItem *first;

    append_raw(f->path, lines, strlen(lines));
    journal = open_ok(f->dir, AJAR_FLUSH_EVERY_EVENT);
    append_ok(journal, event);
    g_assert_cmpstr(event->id, !=, "00000000000000000000000000");
    g_assert_cmpstr(event->id, !=, "7ZZZZZZZZZZZZZZZZZZZZZZZZZ");
    first = ajar_state_lookup(ajar_journal_get_state(journal), "00000000000000000000000000");
    g_assert_nonnull(first);
    test_assert_item_text_on_disk(first, f->dir, "the first message", strlen("the first message"));
    g_assert_cmpuint(ajar_state_count_custody(ajar_journal_get_state(journal)), ==, 3);
    for (int i = 0; i < 100; i++) {
        g_autofree char *id = ajar_journal_new_id(journal, TEST_T0);
        g_assert_null(ajar_state_lookup(ajar_journal_get_state(journal), id));
    }
    ajar_journal_close(journal);
}

/* A damaged line just before a cut last line is taken for one an earlier
 * repair ended (a crash cut that repair's note) only when the cut line
 * starts like such a note: other damage there stays damage, reported, and
 * no note claims it was a repair. (Found by fuzz-journal after the crash
 * driver's fix: regressions/journal/damaged-line-before-cut-tail.jsonl.) */
static void
test_cut_repair_only_after_repair_note(Fixture *f, gconstpointer data)
{
    static const char damaged[] = "{\"seq\":1,\"ts\":\"2026-11-27T21:04:09.113Z\",\"event\":\"he\n";
    static const char *const tails[] = {
        "{\"seq\":2,\"ts\":\"2026-11-27T21:04:10.113Z\",\"event\":\"held\",\"id\":\"01K",
        "{\"seq\":2,\"ts\":\"2026-11-27T21:04:10.113Z\",\"event\":\"error\",\"message\":"
        "\"journal.jsonl: repai",
    };

    for (guint i = 0; i < G_N_ELEMENTS(tails); i++) {
        g_autoptr(AjarEvent) event =
            test_custody_event(AJAR_EVENT_HELD, NULL, AJAR_DIRECTION_IN, "x", TEST_T0);
        g_autoptr(GPtrArray) events =
            g_ptr_array_new_with_free_func((GDestroyNotify)ajar_event_free);
        AjarJournalReport report = { 0 };
        AjarJournal *journal;
        guint notes = 0;

        g_assert_cmpint(g_unlink(f->path) == 0 || errno == ENOENT, ==, TRUE);
        append_raw(f->path, damaged, strlen(damaged));
        append_raw(f->path, tails[i], strlen(tails[i]));
        journal = open_ok(f->dir, AJAR_FLUSH_EVERY_EVENT);
        g_assert_cmpuint(ajar_journal_get_cut_repair_line(journal), ==, i == 0 ? 0 : 1);
        append_ok(journal, event);
        g_assert_cmpuint(ajar_journal_get_cut_repair_line(journal), ==, 0);
        ajar_journal_close(journal);

        g_assert_true(ajar_journal_read_file(f->path, collect_cb, events, &report, NULL));
        for (guint j = 0; j < events->len; j++) {
            const AjarEvent *e = g_ptr_array_index(events, j);
            if (e->type == AJAR_EVENT_FAULT && strstr(e->message, "earlier repair") != NULL)
                notes++;
        }
        g_assert_cmpuint(notes, ==, i == 0 ? 0 : 1);
        g_assert_cmpuint(report.malformed, ==, 2); /* the damaged line and the cut one */
        /* The report names the lines repair records explain: the cut one,
         * and the damaged one only when a repair ended it. */
        g_assert_cmpuint(report.repaired_lines->len, ==, i == 0 ? 1 : 2);
        g_assert_cmpuint(
            g_array_index(report.repaired_lines, guint, report.repaired_lines->len - 1), ==, 2);
        ajar_journal_report_clear(&report);
    }
}

/* Two messengers on one journal would interleave lines: the second is refused. */
static void
test_open_busy(Fixture *f, gconstpointer data)
{
    g_autofree char *expected = NULL;
    g_autoptr(GError) error = NULL;
    AjarJournal *first = open_ok(f->dir, AJAR_FLUSH_EVERY_EVENT);
    AjarJournal *second;

    g_assert_null(ajar_journal_open(f->dir, AJAR_FLUSH_EVERY_EVENT, &error));
    g_assert_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_BUSY);
    /* The lock's holder is this process (another open of the file). */
    expected = g_strdup_printf("%s: is in use by process %d (is the messenger running twice?)",
                               f->path, (int)getpid());
    g_assert_cmpstr(error->message, ==, expected);
    ajar_journal_close(first);
    second = open_ok(f->dir, AJAR_FLUSH_EVERY_EVENT);
    ajar_journal_close(second);
}

/* A write that fails half way (the disk is full; here the file size limit)
 * leaves no trace: the file is cut back, nothing is applied, the seq is
 * not used up. */
static void
test_append_write_failure(Fixture *f, gconstpointer data)
{
    g_autoptr(AjarEvent) event =
        test_custody_event(AJAR_EVENT_HELD, NULL, AJAR_DIRECTION_IN, "keep me", TEST_T0);
    g_autofree char *expected = NULL;
    g_autoptr(GError) error = NULL;
    AjarJournalReport report;
    AjarJournal *journal = open_ok(f->dir, AJAR_FLUSH_EVERY_EVENT);
    const AjarState *state = ajar_journal_get_state(journal);
    struct rlimit old_limit;
    gint64 size;
    gboolean ok;

    append_held(journal, 2);
    size = file_size(f->path);
    old_limit = test_limit_file_size((rlim_t)size + 10);
    ok = ajar_journal_append(journal, event, &error);
    test_restore_file_size(old_limit);

    g_assert_false(ok);
    g_assert_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO);
    expected = g_strdup_printf("%s: could not write: %s", f->path, g_strerror(EFBIG));
    g_assert_cmpstr(error->message, ==, expected);
    g_assert_cmpint(file_size(f->path), ==, size);
    g_assert_cmpint(event->seq, ==, 0);
    g_assert_null(ajar_state_lookup(state, event->id));
    g_assert_cmpuint(ajar_state_count_custody(state), ==, 2);
    g_assert_cmpuint(ajar_state_get_event_count(state), ==, 2);

    append_ok(journal, event); /* the disk has room again */
    g_assert_cmpint(event->seq, ==, 3);
    ajar_journal_close(journal);
    g_ptr_array_unref(read_all(f->path, &report));
    g_assert_cmpuint(report.events, ==, 3);
    g_assert_cmpuint(report.malformed, ==, 0);
    g_assert_false(report.incomplete_tail);
    ajar_journal_report_clear(&report);
}

/* Batched syncing: appends return without waiting for the disk, and close
 * leaves everything on it. */
static void
test_flush_batched(Fixture *f, gconstpointer data)
{
    g_autoptr(GError) error = NULL;
    AjarJournal *journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    AjarJournalReport report;

    append_held(journal, 200);
    g_assert_true(ajar_journal_sync(journal, &error));
    append_held(journal, 50);
    g_assert_true(ajar_journal_check_sync(journal, &error));
    g_assert_no_error(error);
    ajar_journal_close(journal);
    g_ptr_array_unref(read_all(f->path, &report));
    g_assert_cmpuint(report.events, ==, 250);
    ajar_journal_report_clear(&report);

    journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    g_assert_cmpuint(ajar_state_count_custody(ajar_journal_get_state(journal)), ==, 250);
    ajar_journal_close(journal);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add(path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
    ADD("/journal/append/round-trip", test_append_round_trip);
    ADD("/journal/append/long-line", test_append_long_line);
    ADD("/journal/append/non-utf8", test_append_non_utf8);
    ADD("/journal/open/permissions", test_open_permissions);
    g_test_add_func("/journal/open/read-only-folder", test_open_read_only_folder);
    ADD("/journal/open/not-a-folder", test_open_not_a_folder);
    ADD("/journal/id/unique-sorted", test_ids);
    ADD("/journal/id/after-greatest", test_id_after_greatest);
    ADD("/journal/id/burst-short", test_ids_burst_short);
    ADD("/journal/repair/cut-repair-only-after-note", test_cut_repair_only_after_repair_note);
    ADD("/journal/open/busy", test_open_busy);
    ADD("/journal/append/write-failure", test_append_write_failure);
    ADD("/journal/flush/batched", test_flush_batched);
#undef ADD
    return g_test_run();
}
