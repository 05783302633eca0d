/* cli-test-util.h — what the `ajar` command's tests share: a private home
 * folder per test, journals written by the core (never typed by hand), and
 * running the built `ajar` ($AJAR_CLI) with or without a terminal. */
#pragma once

#include <glib.h>

#include "ajar/ajar-event.h"
#include "ajar/ajar-journal.h"

G_BEGIN_DECLS

/* A fresh HOME with a purple user dir in it (not created until a journal is). */
typedef struct {
    char *home;    /* $HOME for the command */
    char *purple;  /* HOME/.purple: what --dir names */
    char *ajar;    /* HOME/.purple/ajar */
    char *journal; /* HOME/.purple/ajar/journal.jsonl */
} CliFixture;

void cli_fixture_set_up(CliFixture *f, gconstpointer data);
void cli_fixture_tear_down(CliFixture *f, gconstpointer data);

/* The sample journal: one rule "Sam" (sam@example.org) and one "Mum"
 * (Mum@Example.org/phone), twelve messages in every state. Times are fixed:
 * message i's own time is CLI_SAMPLE_T0 + i * 17 minutes. */
#define CLI_SAMPLE_T0 (G_GINT64_CONSTANT(1795204800) * G_USEC_PER_SEC) /* 2026-11-20T20:00:00Z */
#define CLI_SAMPLE_COUNT 12

typedef enum {
    SAMPLE_SCRIPT = 0, /* held in, released: "<script>…" with & " ' and <b>hi</b> */
    SAMPLE_AWAKE,      /* held in, still held: "are you awake?" */
    SAMPLE_DOOR,       /* archived in (Mum), unread, two lines */
    SAMPLE_GOT_IT,     /* archived in (Mum), read */
    SAMPLE_LONG,       /* delayed in, waiting: a long paragraph */
    SAMPLE_MORNING,    /* delayed in, delivered */
    SAMPLE_MISS_YOU,   /* queued out, cooling off */
    SAMPLE_SORRY,      /* queued out, cancelled (an unsent letter) */
    SAMPLE_SEE_YOU,    /* queued out, sent */
    SAMPLE_LETTER,     /* held out (a letter), discarded */
    SAMPLE_ESCAPE,     /* held in, still held: contains ESC [31m and BEL */
    SAMPLE_LATIN1,     /* archived in (Mum): bytes that are not UTF-8 ("caf\xE9") */
} CliSample;

extern const char *const cli_sample_texts[CLI_SAMPLE_COUNT];
extern const char *const cli_sample_states[CLI_SAMPLE_COUNT];

/* Writes the sample journal under @purple_dir/ajar with the core.
 * Returns: (transfer full): the message ids, indexed by CliSample. */
GStrv cli_write_sample_journal(const char *purple_dir);

/* The custody event the sample uses for message @index. Transfer full. */
AjarEvent *cli_sample_custody_event(guint index);

/* Appends @bytes to @path as they are (to damage a journal on purpose). */
void cli_append_raw(const char *path, const char *bytes, gssize len);

/* One run of the command. */
typedef struct {
    int status; /* exit status, or 128 + signal */
    char *out;
    char *err;
} CliRun;

void cli_run_free(CliRun *run);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CliRun, cli_run_free)

/* The environment the command runs in: the test's, with HOME = f->home,
 * TZ=UTC, LC_ALL=C.UTF-8, COLUMNS=100, NO_COLOR unset, then @overrides
 * ("NAME=VALUE" sets, "NAME" unsets; nullable, NULL-terminated). */
GStrv cli_environment(const CliFixture *f, const char *const *overrides);

/* Runs $AJAR_CLI with @args (NULL-terminated) on pipes, to the end. */
CliRun *cli_run(const CliFixture *f, const char *const *overrides, const char *const *args);
/* The same, with the command's output on a pseudo-terminal @columns wide
 * (stderr goes there too). */
CliRun *cli_run_pty(const CliFixture *f, const char *const *overrides, const char *const *args,
                    guint columns);

/* Shorthand: cli_run(f, NULL, (args)) with "--dir", f->purple prepended. */
CliRun *cli_run_dir(const CliFixture *f, const char *first, ...) G_GNUC_NULL_TERMINATED;

/* The path of a program built next to the tests ($AJAR_CLI_TEST_DIR/@name). */
char *cli_test_program(const char *name);

/* Asserts that @haystack contains / lacks @needle, printing both when not. */
#define cli_assert_contains(haystack, needle) \
    cli_assert_contains_impl(__FILE__, __LINE__, (haystack), (needle), TRUE)
#define cli_assert_lacks(haystack, needle) \
    cli_assert_contains_impl(__FILE__, __LINE__, (haystack), (needle), FALSE)
void cli_assert_contains_impl(const char *file, int line, const char *haystack, const char *needle,
                              gboolean wanted);

/* Asserts the run's exit status, showing its output when it differs. */
#define cli_assert_status(run, expected) \
    cli_assert_status_impl(__FILE__, __LINE__, (run), (expected))
void cli_assert_status_impl(const char *file, int line, const CliRun *run, int expected);

/* A fixture with the sample journal already written (its ids in @ids). */
typedef struct {
    CliFixture base;
    GStrv ids;
} CliSampleFixture;

void cli_sample_set_up(CliSampleFixture *s, gconstpointer data);
void cli_sample_tear_down(CliSampleFixture *s, gconstpointer data);

G_END_DECLS
