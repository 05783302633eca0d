/* journal-test-util.h — the journal tests' fixture and helpers (header-only:
 * each test is one binary built from one file). */
#pragma once

#include <fcntl.h>

#include "ajar/ajar-journal.h"
#include "store-test-util.h"

/* A private folder per test, and the journal's path in it. */
typedef struct {
    char *dir;
    char *path;
} Fixture;

static inline void
fixture_set_up(Fixture *f, gconstpointer data)
{
    f->dir = test_make_tmp_dir();
    f->path = g_build_filename(f->dir, AJAR_JOURNAL_FILE, NULL);
}

static inline void
fixture_tear_down(Fixture *f, gconstpointer data)
{
    test_rm_rf(f->dir);
    g_free(f->dir);
    g_free(f->path);
}

static inline AjarJournal *
open_ok(const char *dir, AjarFlushPolicy policy)
{
    g_autoptr(GError) error = NULL;
    AjarJournal *journal = ajar_journal_open(dir, policy, &error);

    g_assert_no_error(error);
    g_assert_nonnull(journal);
    return journal;
}

static inline void
append_ok(AjarJournal *journal, AjarEvent *event)
{
    g_autoptr(GError) error = NULL;

    g_assert_true(ajar_journal_append(journal, event, &error));
    g_assert_no_error(error);
}

static inline void
collect_cb(const AjarEvent *event, gpointer user_data)
{
    g_ptr_array_add(user_data, ajar_event_copy(event));
}

/* Every valid event in @path. @report is filled (caller clears it). */
static inline GPtrArray *
read_all(const char *path, AjarJournalReport *report)
{
    GPtrArray *events = g_ptr_array_new_with_free_func((GDestroyNotify)ajar_event_free);
    g_autoptr(GError) error = NULL;

    g_assert_true(ajar_journal_read_file(path, collect_cb, events, report, &error));
    g_assert_no_error(error);
    return events;
}

static inline void
append_raw(const char *path, const char *bytes, gsize len)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0600);

    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(write(fd, bytes, len), ==, (gssize)len);
    close(fd);
}

static inline gint64
file_size(const char *path)
{
    struct stat st;

    g_assert_cmpint(stat(path, &st), ==, 0);
    return st.st_size;
}

/* @n held messages, one second apart. */
static inline void
append_held(AjarJournal *journal, int n)
{
    for (int i = 0; i < n; i++) {
        g_autoptr(AjarEvent) event =
            test_custody_event(AJAR_EVENT_HELD, NULL, AJAR_DIRECTION_IN, "hello", TEST_T0 + i);
        append_ok(journal, event);
    }
}
