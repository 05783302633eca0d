/* test-item-text.c — texts stay on disk (issue 13): a state keeps where each
 * message's text is, and ajar_item_read_text() reads it back — after a
 * replay, right after an append, from a second file (as history files will
 * be) — and reports, never returns, a text whose bytes on disk were edited
 * by hand since. */
#include "journal-test-util.h"

/* Texts of every kind the journal writes: plain, escaped, not UTF-8 (as
 * text_base64), with a NUL, empty, not ASCII. */
static const struct {
    const char *bytes;
    gsize len;
} texts[] = {
#define T(literal)                  \
    {                               \
        literal, sizeof literal - 1 \
    }
    T("are you awake?"),
    T("quote \" backslash \\ tab \t newline \n end"),
    T("caf\xe9 \xff\xfe"),
    T("nul \0 inside"),
    T(""),
    T("hôpital 😊 <b>ok</b> &amp;"),
#undef T
};

/* The items of @state for @ids, read back from @dir: each is texts[i]. */
static void
assert_texts(const AjarState *state, const char *dir, GStrv ids)
{
    for (guint i = 0; i < G_N_ELEMENTS(texts); i++) {
        const AjarItem *item = ajar_state_lookup(state, ids[i]);

        g_assert_nonnull(item);
        g_assert_cmpuint(item->text_len, ==, texts[i].len);
        test_assert_item_text_on_disk(item, dir, texts[i].bytes, texts[i].len);
    }
}

/* Appends one held message per text, and an outcome between them (lines
 * that are not custody lines), then a second custody line for the first:
 * its text is the one the second line says. Returns: the ids. */
static GStrv
append_texts(AjarJournal *journal)
{
    GStrv ids = g_new0(char *, G_N_ELEMENTS(texts) + 1);

    for (guint i = 0; i < G_N_ELEMENTS(texts); i++) {
        g_autoptr(AjarEvent) held =
            test_custody_event(AJAR_EVENT_HELD, NULL, AJAR_DIRECTION_IN, "", TEST_T0 + i);
        g_autoptr(AjarEvent) read = NULL;

        test_set_text(held, texts[i].bytes, texts[i].len);
        if (i == 1) {
            const char *images[] = { "a.png", "b.jpg", NULL };
            held->images = g_strdupv((char **)images);
        }
        append_ok(journal, held);
        ids[i] = g_strdup(held->id);
        read = test_outcome_event(AJAR_EVENT_PASSED, NULL, TEST_T0 + i);
        read->rule = g_strdup("Sam");
        append_ok(journal, read);
    }
    return ids;
}

static void
test_after_append_and_replay(Fixture *f, gconstpointer data)
{
    AjarJournal *journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    g_auto(GStrv) ids = append_texts(journal);
    g_autoptr(AjarEvent) queued = NULL;
    g_auto(GStrv) images = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *text = NULL;
    const AjarItem *item;
    gsize len = 0;

    /* Right after the appends: the live state knows where it wrote them. */
    assert_texts(ajar_journal_get_state(journal), f->dir, ids);
    /* The images come back with the text. */
    item = ajar_state_lookup(ajar_journal_get_state(journal), ids[1]);
    g_assert_cmpuint(item->n_images, ==, 2);
    g_assert_true(ajar_item_read_text(item, f->dir, &text, &len, &images, &error));
    g_assert_no_error(error);
    g_assert_cmpuint(g_strv_length(images), ==, 2);
    g_assert_cmpstr(images[1], ==, "b.jpg");
    ajar_journal_close(journal);

    /* After a replay in a new process. */
    journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    assert_texts(ajar_journal_get_state(journal), f->dir, ids);
    /* A second custody line for one message: its text is there now. */
    queued = test_custody_event(AJAR_EVENT_HELD, ids[0], AJAR_DIRECTION_IN, "said again", TEST_T0);
    append_ok(journal, queued);
    item = ajar_state_lookup(ajar_journal_get_state(journal), ids[0]);
    test_assert_item_text_on_disk(item, f->dir, "said again", 10);
    ajar_journal_close(journal);
    journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    item = ajar_state_lookup(ajar_journal_get_state(journal), ids[0]);
    test_assert_item_text_on_disk(item, f->dir, "said again", 10);
    ajar_journal_close(journal);
}

static void
apply_cb(const AjarEvent *event, gpointer user_data)
{
    ajar_state_apply(user_data, event);
}

/* A file other than the journal (a history file): its events say so, and
 * texts are read back from there, whatever the journal holds. */
static void
test_second_source(Fixture *f, gconstpointer data)
{
    AjarJournal *journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    g_auto(GStrv) ids = append_texts(journal);
    g_autofree char *history_dir = g_build_filename(f->dir, "history", NULL);
    g_autofree char *history = g_build_filename(history_dir, "2026-11.jsonl", NULL);
    g_autofree char *bytes = NULL;
    g_autoptr(AjarState) state = ajar_state_new();
    g_autoptr(GError) error = NULL;
    gsize len = 0;

    ajar_journal_close(journal);
    g_assert_cmpint(g_mkdir(history_dir, 0700), ==, 0);
    /* Moved there byte for byte, behind a line of its own. */
    g_assert_true(g_file_get_contents(f->path, &bytes, &len, NULL));
    {
        g_autoptr(GString) moved = g_string_new(NULL);
        g_autoptr(AjarEvent) note = ajar_event_new(AJAR_EVENT_FAULT);
        note->seq = 1;
        note->ts = TEST_T0;
        note->message = g_strdup("a line first, so offsets differ");
        ajar_event_encode(note, moved);
        g_string_append_len(moved, bytes, (gssize)len);
        g_assert_true(g_file_set_contents(history, moved->str, (gssize)moved->len, NULL));
    }
    g_assert_cmpint(truncate(f->path, 0), ==, 0); /* nothing left in the journal */
    g_assert_true(ajar_journal_read_file_from(history, "history/2026-11.jsonl", apply_cb, state,
                                              NULL, &error));
    g_assert_no_error(error);
    for (guint i = 0; i < G_N_ELEMENTS(texts); i++)
        g_assert_cmpstr(ajar_state_lookup(state, ids[i])->text_source, ==, "history/2026-11.jsonl");
    assert_texts(state, f->dir, ids);
}

/* Replaces the @len bytes at @offset of @path with @with (@with_len bytes). */
static void
edit_file(const char *path, gsize offset, gsize len, const char *with, gsize with_len)
{
    g_autofree char *bytes = NULL;
    g_autoptr(GString) edited = g_string_new(NULL);
    gsize size = 0;

    g_assert_true(g_file_get_contents(path, &bytes, &size, NULL));
    g_assert_cmpuint(offset + len, <=, size);
    g_string_append_len(edited, bytes, (gssize)offset);
    g_string_append_len(edited, with, (gssize)with_len);
    g_string_append_len(edited, bytes + offset + len, (gssize)(size - offset - len));
    g_assert_true(g_file_set_contents(path, edited->str, (gssize)edited->len, NULL));
}

/* Where @needle starts in @path. */
static gsize
find_in_file(const char *path, const char *needle)
{
    g_autofree char *bytes = NULL;
    const char *at;

    g_assert_true(g_file_get_contents(path, &bytes, NULL, NULL));
    at = strstr(bytes, needle);
    g_assert_nonnull(at);
    return (gsize)(at - bytes);
}

/* The file edited by hand after the replay: the text is reported (file and
 * byte), never returned; the same length, another length, and a line before
 * it that got longer (every later line moves). */
static void
test_edited_by_hand(Fixture *f, gconstpointer data)
{
    static const struct {
        const char *what;
        const char *find;
        const char *with;
        gboolean same_message; /* the edited message's own text */
    } edits[] = {
        { "same length", "are you awake?", "are you aWake?", TRUE },
        { "other length", "are you awake?", "are you awake??", TRUE },
        { "a line before it", "\"seq\":1,", "\"seq\": 1,", FALSE },
    };

    for (guint e = 0; e < G_N_ELEMENTS(edits); e++) {
        AjarJournal *journal;
        g_auto(GStrv) ids = NULL;
        g_autoptr(GError) error = NULL;
        g_autofree char *text = NULL;
        g_autofree char *expected = NULL;
        const AjarItem *item;
        gsize at;

        g_remove(f->path);
        journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
        ids = append_texts(journal);
        ajar_journal_close(journal);
        journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
        /* The second message: the first line is the one "before it". */
        item =
            ajar_state_lookup(ajar_journal_get_state(journal), ids[edits[e].same_message ? 0 : 1]);
        at = find_in_file(f->path, edits[e].find);
        edit_file(f->path, at, strlen(edits[e].find), edits[e].with, strlen(edits[e].with));

        g_test_message("%s", edits[e].what);
        g_assert_false(ajar_item_read_text(item, f->dir, &text, NULL, NULL, &error));
        g_assert_null(text);
        g_assert_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_TEXT_CHANGED);
        /* One line: the file, the line's byte offset, the message. */
        expected =
            g_strdup_printf("journal.jsonl at byte %" G_GINT64_FORMAT ": ", item->text_offset);
        g_assert_true(g_str_has_prefix(error->message, expected));
        g_assert_nonnull(strstr(error->message, item->id));
        g_assert_null(strchr(error->message, '\n'));
        ajar_journal_close(journal);
    }
}

/* The file gone, or shorter than the line: an I/O error, or a changed text. */
static void
test_file_gone_or_cut(Fixture *f, gconstpointer data)
{
    AjarJournal *journal = open_ok(f->dir, AJAR_FLUSH_BATCHED);
    g_auto(GStrv) ids = append_texts(journal);
    const AjarItem *item = ajar_state_lookup(ajar_journal_get_state(journal), ids[5]);
    g_autoptr(GError) error = NULL;
    g_autofree char *text = NULL;

    g_assert_cmpint(truncate(f->path, item->text_offset + 10), ==, 0);
    g_assert_false(ajar_item_read_text(item, f->dir, &text, NULL, NULL, &error));
    g_assert_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_TEXT_CHANGED);
    g_clear_error(&error);
    g_assert_cmpint(g_remove(f->path), ==, 0);
    g_assert_false(ajar_item_read_text(item, f->dir, &text, NULL, NULL, &error));
    g_assert_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO);
    ajar_journal_close(journal);
}

int
main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add("/item-text/append-and-replay", Fixture, NULL, fixture_set_up,
               test_after_append_and_replay, fixture_tear_down);
    g_test_add("/item-text/second-source", Fixture, NULL, fixture_set_up, test_second_source,
               fixture_tear_down);
    g_test_add("/item-text/edited-by-hand", Fixture, NULL, fixture_set_up, test_edited_by_hand,
               fixture_tear_down);
    g_test_add("/item-text/file-gone-or-cut", Fixture, NULL, fixture_set_up, test_file_gone_or_cut,
               fixture_tear_down);
    return g_test_run();
}
