/* fuzz-journal.c — journal.jsonl: any bytes in the journal's place are read
 * without a crash, and nothing already kept is lost when Ajar opens the file
 * and writes to it.
 *
 * The input is written as DIR/journal.jsonl, then:
 * - the reader (ajar_journal_read_file(), what the `ajar` tool and the
 *   plugin's statistics use) counts every complete line as one event or one
 *   malformed line, and an unended last line as an incomplete tail;
 * - every line decoded alone (ajar_event_decode()) agrees with the reader,
 *   refuses with a one-line reason, and an accepted event encodes to a line
 *   that decodes and encodes to the same bytes again;
 * - the replayed state is consistent (lookups, custody counts, last seq);
 * - the writer (ajar_journal_open(), as the plugin opens it) replays to the
 *   same custody; after it appends one new held message and closes, a fresh
 *   read finds every message that was kept before still kept in the same
 *   state (plus what the repaired tail line says), the new message kept
 *   with its text, no malformed line more, and no incomplete tail. */
#include "fuzz-target.h"

#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "ajar/ajar-item-text.h"
#include "ajar/ajar-journal.h"

static char *fuzz_dir;
static char *fuzz_path;

static void
remove_dir(void)
{
    if (fuzz_dir == NULL)
        return;
    g_unlink(fuzz_path);
    g_rmdir(fuzz_dir);
}

/* A private folder, once per process; in memory when /dev/shm is there, as
 * every input is written and synced. */
static const char *
journal_dir(void)
{
    if (fuzz_dir == NULL) {
        const char *base =
            g_file_test("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm" : g_get_tmp_dir();
        g_autofree char *tmpl = g_build_filename(base, "ajar-fuzz-journal-XXXXXX", NULL);

        fuzz_dir = g_mkdtemp_full(g_steal_pointer(&tmpl), 0700);
        FUZZ_CHECK(fuzz_dir != NULL, "could not make a folder in %s", base);
        fuzz_path = g_build_filename(fuzz_dir, AJAR_JOURNAL_FILE, NULL);
        atexit(remove_dir);
    }
    return fuzz_dir;
}

static void
apply_cb(const AjarEvent *event, gpointer user_data)
{
    ajar_state_apply(user_data, event);
}

static void
check_one_line(const char *line, gsize len, guint *valid)
{
    g_autoptr(GError) error = NULL;
    g_autoptr(AjarEvent) event = ajar_event_decode(line, len, &error);
    g_autoptr(GString) first = g_string_new(NULL);
    g_autoptr(GString) second = g_string_new(NULL);
    g_autoptr(AjarEvent) again = NULL;

    if (event == NULL) {
        FUZZ_CHECK(error != NULL && error->domain == AJAR_EVENT_ERROR, "NULL without an error");
        FUZZ_CHECK(strchr(error->message, '\n') == NULL, "reason not one line: %s", error->message);
        return;
    }
    FUZZ_CHECK(error == NULL, "an event and an error");
    (*valid)++;
    ajar_event_encode(event, first);
    FUZZ_CHECK(first->len > 0 && first->str[first->len - 1] == '\n', "encoded without its \\n");
    FUZZ_CHECK(memchr(first->str, '\n', first->len - 1) == NULL, "encoded line holds a \\n");
    again = ajar_event_decode(first->str, first->len - 1, &error);
    FUZZ_CHECK(again != NULL, "own encoding refused: %s: %s", error->message, first->str);
    ajar_event_encode(again, second);
    FUZZ_CHECK(strcmp(first->str, second->str) == 0, "round trip changed:\n%s%s", first->str,
               second->str);
}

static void
check_state(const AjarState *state)
{
    g_autoptr(GPtrArray) all = ajar_state_list(state);
    g_autoptr(GPtrArray) custody = ajar_state_list_custody(state);
    guint in_custody = 0;

    for (guint i = 0; i < all->len; i++) {
        const AjarItem *item = g_ptr_array_index(all, i);

        FUZZ_CHECK(item->id != NULL && ajar_state_lookup(state, item->id) == item,
                   "item %u cannot be looked up", i);
        FUZZ_CHECK(item->first_seq <= ajar_state_get_last_seq(state), "first_seq after last seq");
        FUZZ_CHECK(item->text_line_len == 0 || item->text_offset >= 0, "text nowhere");
        in_custody += ajar_item_in_custody(item);
        if (i > 0) {
            const AjarItem *prev = g_ptr_array_index(all, i - 1);
            FUZZ_CHECK(prev->first_seq <= item->first_seq, "items not oldest first");
        }
    }
    FUZZ_CHECK(in_custody == custody->len, "%u in custody, list has %u", in_custody, custody->len);
    FUZZ_CHECK(ajar_state_count_custody(state) == custody->len, "custody count %u, list %u",
               ajar_state_count_custody(state), custody->len);
}

/* Every message in custody in @expected is in custody in @got in the same
 * state, and the other way round. */
static void
check_same_custody(const AjarState *expected, const AjarState *got, const char *what)
{
    g_autoptr(GPtrArray) want = ajar_state_list_custody(expected);
    g_autoptr(GPtrArray) have = ajar_state_list_custody(got);

    FUZZ_CHECK(want->len == have->len, "%s: %u kept, expected %u", what, have->len, want->len);
    for (guint i = 0; i < want->len; i++) {
        const AjarItem *item = g_ptr_array_index(want, i);
        const AjarItem *other = ajar_state_lookup(got, item->id);

        FUZZ_CHECK(other != NULL && ajar_item_in_custody(other), "%s: %s no longer kept", what,
                   item->id);
        FUZZ_CHECK(other->state == item->state, "%s: %s changed state", what, item->id);
        /* (States keep no texts: their lengths and checks.) */
        FUZZ_CHECK(other->text_len == item->text_len && other->text_check == item->text_check,
                   "%s: %s changed text", what, item->id);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *dir = journal_dir();
    const char *text = (const char *)data;
    g_autoptr(GError) error = NULL;
    g_autoptr(AjarState) read_state = ajar_state_new();
    g_autoptr(AjarState) expected = ajar_state_new();
    g_autoptr(AjarState) after = ajar_state_new();
    g_autoptr(AjarEvent) tail_event = NULL;
    g_autoptr(AjarEvent) held = NULL;
    g_autofree char *new_id = NULL;
    AjarJournalReport report = { 0 }, after_report = { 0 };
    AjarJournal *journal;
    const char *p, *end = text + size, *nl;
    guint newlines = 0, valid = 0;
    gsize tail_len;
    guint cut_line;
    const AjarItem *item;

    FUZZ_CHECK(g_file_set_contents(fuzz_path, text, (gssize)size, &error), "%s", error->message);
    g_chmod(fuzz_path, 0600);

    /* The reader. */
    FUZZ_CHECK(ajar_journal_read_file(fuzz_path, apply_cb, read_state, &report, &error), "%s",
               error->message);
    for (p = text; (nl = memchr(p, '\n', (gsize)(end - p))) != NULL; p = nl + 1) {
        newlines++;
        check_one_line(p, (gsize)(nl - p), &valid);
    }
    tail_len = (gsize)(end - p);
    FUZZ_CHECK(report.lines == newlines, "%u lines read, %u in the file", report.lines, newlines);
    FUZZ_CHECK(report.events + report.malformed == report.lines, "%u events + %u malformed != %u",
               report.events, report.malformed, report.lines);
    FUZZ_CHECK(report.events == valid, "reader found %u events, lines alone %u", report.events,
               valid);
    FUZZ_CHECK(report.incomplete_tail == (tail_len > 0), "incomplete tail %d, %zu bytes after",
               report.incomplete_tail, tail_len);
    FUZZ_CHECK(!report.incomplete_tail || report.incomplete_tail_bytes == tail_len,
               "tail of %zu bytes reported as %zu", tail_len, report.incomplete_tail_bytes);
    FUZZ_CHECK(report.malformed == 0 || report.first_malformed_reason != NULL, "no reason given");
    FUZZ_CHECK(ajar_state_get_event_count(read_state) == report.events, "state saw %u of %u",
               ajar_state_get_event_count(read_state), report.events);
    check_state(read_state);

    /* The writer: replay, then one new message. */
    journal = ajar_journal_open(dir, AJAR_FLUSH_EVERY_EVENT, &error);
    FUZZ_CHECK(journal != NULL, "open: %s", error->message);
    check_same_custody(read_state, ajar_journal_get_state(journal), "open");
    FUZZ_CHECK(ajar_journal_get_open_report(journal)->malformed == report.malformed,
               "open found %u malformed, the reader %u",
               ajar_journal_get_open_report(journal)->malformed, report.malformed);

    /* A damaged line just before a cut last line that starts like a repair
     * note: ended by a repair a crash cut, noted by the next append. */
    cut_line = ajar_journal_get_cut_repair_line(journal);
    FUZZ_CHECK(cut_line == 0 ||
                   (tail_len > 0 && cut_line == report.lines && report.malformed_lines->len > 0 &&
                    g_array_index(report.malformed_lines, guint, report.malformed_lines->len - 1) ==
                        cut_line),
               "line %u taken for a cut repair (%u lines, tail of %zu bytes)", cut_line,
               report.lines, tail_len);

    /* What a reader will see once the tail line is ended: it, applied. */
    ajar_journal_read_file(fuzz_path, apply_cb, expected, NULL, NULL);
    if (tail_len > 0) {
        g_autoptr(GError) ignored = NULL;
        tail_event = ajar_event_decode(p, tail_len, &ignored);
        if (tail_event != NULL)
            ajar_state_apply(expected, tail_event);
    }

    held = ajar_event_new(AJAR_EVENT_HELD);
    held->ts = G_GINT64_CONSTANT(1795000000) * G_USEC_PER_SEC;
    held->has_dir = TRUE;
    held->dir = AJAR_DIRECTION_IN;
    held->account = g_strdup("me@example.org/Home");
    held->protocol = g_strdup("prpl-jabber");
    held->buddy = g_strdup("sam@example.org");
    held->rule = g_strdup("Sam");
    held->time = held->ts;
    held->text = g_strdup("are you awake?");
    held->text_len = strlen(held->text);
    FUZZ_CHECK(ajar_journal_append(journal, held, &error), "append: %s", error->message);
    new_id = g_strdup(held->id);
    FUZZ_CHECK(ajar_state_lookup(expected, new_id) == NULL, "new id %s is an old one", new_id);
    ajar_state_apply(expected, held);
    check_same_custody(expected, ajar_journal_get_state(journal), "after append");
    ajar_journal_close(journal);

    /* Read back as a new process would. */
    FUZZ_CHECK(ajar_journal_read_file(fuzz_path, apply_cb, after, &after_report, &error), "%s",
               error->message);
    FUZZ_CHECK(!after_report.incomplete_tail, "still an incomplete tail");
    FUZZ_CHECK(after_report.malformed == report.malformed + (tail_len > 0 && tail_event == NULL),
               "%u malformed after, %u before", after_report.malformed, report.malformed);
    FUZZ_CHECK(after_report.events == report.events + 1 + (tail_len > 0) +
                                          (tail_event != NULL ? 1 : 0) + (cut_line > 0 ? 1 : 0),
               "%u events after, %u before", after_report.events, report.events);
    check_state(after);
    check_same_custody(expected, after, "read back");
    /* Every text read back by its place in the file, whatever the file held. */
    {
        g_autoptr(GPtrArray) all = ajar_state_list(after);
        for (guint i = 0; i < all->len; i++) {
            const AjarItem *one = g_ptr_array_index(all, i);
            g_autoptr(GError) text_error = NULL;
            g_autofree char *one_text = NULL;

            if (one->text_line_len == 0)
                continue;
            FUZZ_CHECK(ajar_item_read_text(one, journal_dir(), &one_text, NULL, NULL, &text_error),
                       "%s: text not read back: %s", one->id, text_error->message);
        }
    }
    item = ajar_state_lookup(after, new_id);
    FUZZ_CHECK(item != NULL && item->state == AJAR_EVENT_HELD, "the new message %s is not kept",
               new_id);
    {
        g_autoptr(GError) text_error = NULL;
        g_autofree char *new_text = NULL;
        FUZZ_CHECK(ajar_item_read_text(item, journal_dir(), &new_text, NULL, NULL, &text_error) &&
                       g_strcmp0(new_text, "are you awake?") == 0,
                   "the new message %s's text is not read back", new_id);
    }

    ajar_journal_report_clear(&report);
    ajar_journal_report_clear(&after_report);
    return 0;
}
