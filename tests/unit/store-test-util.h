/* store-test-util.h — helpers the store's unit tests share (header-only:
 * each test is one binary built from one file). */
#pragma once

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "ajar/ajar-event.h"
#include "ajar/ajar-item-text.h"

/* @item's text is @text (@len bytes): a state keeps no texts, only their
 * length and check (AjarItem), so that is what is compared; tests with a
 * file read the text back (test_assert_item_text_on_disk()). */
#define test_assert_item_text(item, text, len)                                     \
    G_STMT_START                                                                   \
    {                                                                              \
        g_assert_cmpuint((item)->text_len, ==, (len));                             \
        g_assert_cmpuint((item)->text_check, ==, ajar_item_text_check(text, len)); \
    }                                                                              \
    G_STMT_END

/* @item's text, read back from <@dir>/journal.jsonl (or its source), is
 * @text (@len bytes). */
#define test_assert_item_text_on_disk(item, dir, text, len)                                    \
    G_STMT_START                                                                               \
    {                                                                                          \
        g_autoptr(GError) read_error_ = NULL;                                                  \
        g_autofree char *read_ = NULL;                                                         \
        gsize read_len_ = 0;                                                                   \
        g_assert_true(ajar_item_read_text(item, dir, &read_, &read_len_, NULL, &read_error_)); \
        g_assert_no_error(read_error_);                                                        \
        g_assert_cmpmem(read_, read_len_, text, len);                                          \
    }                                                                                          \
    G_STMT_END

static inline gint
test_compare_strings(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* 2026-11-27T21:04:09Z, the example in PRODUCT.md. */
#define TEST_T0 (G_GINT64_CONSTANT(1795813449) * G_USEC_PER_SEC)

/* A fresh private folder for one test. Transfer full; remove with test_rm_rf(). */
static inline char *
test_make_tmp_dir(void)
{
    g_autoptr(GError) error = NULL;
    char *dir = g_dir_make_tmp("ajar-test-XXXXXX", &error);

    g_assert_no_error(error);
    g_assert_nonnull(dir);
    return dir;
}

/* Removes @path and everything under it, making read-only folders writable
 * first (a test may have left one behind on purpose). */
static inline void
test_rm_rf(const char *path)
{
    struct stat st;

    if (path == NULL || lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        GDir *dir;
        const char *name;

        g_chmod(path, 0700);
        dir = g_dir_open(path, 0, NULL);
        while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
            g_autofree char *child = g_build_filename(path, name, NULL);
            test_rm_rf(child);
        }
        if (dir != NULL)
            g_dir_close(dir);
        g_assert_cmpint(g_rmdir(path), ==, 0);
    } else {
        g_assert_cmpint(g_unlink(path), ==, 0);
    }
}

static inline guint
test_file_mode(const char *path)
{
    struct stat st;

    g_assert_cmpint(stat(path, &st), ==, 0);
    return st.st_mode & 07777;
}

static inline void
test_set_text(AjarEvent *event, const char *text, gsize len)
{
    g_free(event->text);
    event->text = g_malloc(len + 1);
    memcpy(event->text, text, len);
    event->text[len] = '\0';
    event->text_len = len;
}

/* A custody event as the plugin would write it. Transfer full. */
static inline AjarEvent *
test_custody_event(AjarEventType type, const char *id, AjarDirection dir, const char *text,
                   gint64 ts)
{
    AjarEvent *event = ajar_event_new(type);

    event->ts = ts;
    event->id = g_strdup(id);
    event->has_dir = TRUE;
    event->dir = dir;
    event->account = g_strdup("me@example.org/Home");
    event->protocol = g_strdup("prpl-jabber");
    event->buddy = g_strdup("sam@example.org");
    event->rule = g_strdup("Sam");
    event->time = ts - 2 * G_USEC_PER_SEC;
    if (type == AJAR_EVENT_DELAYED || type == AJAR_EVENT_QUEUED)
        event->due = ts + 600 * G_USEC_PER_SEC;
    test_set_text(event, text, strlen(text));
    return event;
}

/* An outcome (or other) event for @id. Transfer full. */
static inline AjarEvent *
test_outcome_event(AjarEventType type, const char *id, gint64 ts)
{
    AjarEvent *event = ajar_event_new(type);

    event->ts = ts;
    event->id = g_strdup(id);
    return event;
}

/* Field by field, so a failure names the field that differs. */
static inline void
test_assert_events_equal(const AjarEvent *a, const AjarEvent *b)
{
    g_assert_cmpint(a->seq, ==, b->seq);
    g_assert_cmpint(a->ts, ==, b->ts);
    g_assert_cmpint(a->type, ==, b->type);
    g_assert_cmpstr(a->event_name, ==, b->event_name);
    g_assert_cmpstr(a->id, ==, b->id);
    g_assert_cmpint(a->has_dir, ==, b->has_dir);
    if (a->has_dir)
        g_assert_cmpint(a->dir, ==, b->dir);
    g_assert_cmpstr(a->account, ==, b->account);
    g_assert_cmpstr(a->protocol, ==, b->protocol);
    g_assert_cmpstr(a->buddy, ==, b->buddy);
    g_assert_cmpstr(a->rule, ==, b->rule);
    g_assert_cmpint(a->time, ==, b->time);
    g_assert_cmpint(a->due, ==, b->due);
    g_assert_cmpint(a->text != NULL, ==, b->text != NULL);
    if (a->text != NULL)
        g_assert_cmpmem(a->text, a->text_len, b->text, b->text_len);
    g_assert_cmpstr(a->message, ==, b->message);
    g_assert_cmpstr(a->chat, ==, b->chat);
    g_assert_cmpstr(a->nick, ==, b->nick);
    g_assert_cmpint(a->images != NULL, ==, b->images != NULL);
    if (a->images != NULL)
        g_assert_true(g_strv_equal((const char *const *)a->images, (const char *const *)b->images));
    g_assert_cmpint(a->stranger, ==, b->stranger);
    g_assert_cmpint(a->quiet, ==, b->quiet);
    g_assert_cmpint(a->ask, ==, b->ask);
}

/* Makes writes past @bytes fail with EFBIG (a real failure that also hits
 * root, unlike permissions). Returns the old limit for test_restore_file_size(). */
static inline struct rlimit
test_limit_file_size(rlim_t bytes)
{
    struct rlimit old, limit;

    signal(SIGXFSZ, SIG_IGN); /* else the kernel kills the test instead of failing the write */
    g_assert_cmpint(getrlimit(RLIMIT_FSIZE, &old), ==, 0);
    limit = old;
    limit.rlim_cur = bytes;
    g_assert_cmpint(setrlimit(RLIMIT_FSIZE, &limit), ==, 0);
    return old;
}

static inline void
test_restore_file_size(struct rlimit old)
{
    g_assert_cmpint(setrlimit(RLIMIT_FSIZE, &old), ==, 0);
}

/* The names in @dir, sorted, joined by " ". Transfer full. */
static inline char *
test_list_dir(const char *path)
{
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    GDir *dir = g_dir_open(path, 0, NULL);
    const char *name;

    g_assert_nonnull(dir);
    while ((name = g_dir_read_name(dir)) != NULL)
        g_ptr_array_add(names, g_strdup(name));
    g_dir_close(dir);
    g_ptr_array_sort(names, test_compare_strings);
    g_ptr_array_add(names, NULL);
    return g_strjoinv(" ", (char **)names->pdata);
}
