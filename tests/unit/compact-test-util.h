/* compact-test-util.h — what the compaction tests share (header-only):
 * random journals written through the journal, the figures compared before
 * and after, and reading history and journal as the CLI does. */
#pragma once

#include "ajar/ajar-compact.h"
#include "ajar/ajar-stats.h"
#include "ajar/ajar-summary.h"
#include "journal-test-util.h"

#define DAY_US (G_GINT64_CONSTANT(86400) * G_USEC_PER_SEC)

static const char *const test_rules[] = { "Sam", "Kim", "Family" };

/* Appends @messages random messages (and events without an id) to the
 * journal in @dir, their ts from @start on, @step apart: held, archived,
 * delayed, queued, yours and theirs, most with outcomes (released, sent,
 * discarded, cancelled, read, restored, sending, showing, assigned), and
 * passes, buzzes, errors. Seeded by @seed. */
static inline void
test_write_random(AjarJournal *journal, guint32 seed, guint messages, gint64 start, gint64 step)
{
    static const AjarEventType outcomes[] = {
        AJAR_EVENT_RELEASED,  AJAR_EVENT_DELIVERED, AJAR_EVENT_SENT,      AJAR_EVENT_CANCELLED,
        AJAR_EVENT_DISCARDED, AJAR_EVENT_READ,      AJAR_EVENT_RESTORED,  AJAR_EVENT_SENDING,
        AJAR_EVENT_SHOWING,   AJAR_EVENT_ASSIGNED,  AJAR_EVENT_DISCARDED, AJAR_EVENT_RELEASED,
    };
    GRand *rand = g_rand_new_with_seed(seed);
    gint64 ts = start;

    for (guint m = 0; m < messages; m++, ts += step) {
        const char *rule = test_rules[g_rand_int_range(rand, 0, 3)];
        guint kind = (guint)g_rand_int_range(rand, 0, 20);
        g_autoptr(AjarEvent) taken = NULL;
        g_autofree char *text = g_strdup_printf("message %u from seed %u", m, seed);
        char *id;

        if (kind < 3) {
            /* Lines without an id: a pass, a passing send, a buzz, an error. */
            AjarEventType types[] = { AJAR_EVENT_PASSED, AJAR_EVENT_SENT, AJAR_EVENT_ATTENTION,
                                      AJAR_EVENT_FAULT };
            g_autoptr(AjarEvent) other = ajar_event_new(types[g_rand_int_range(rand, 0, 4)]);
            other->ts = ts;
            if (other->type == AJAR_EVENT_FAULT) {
                other->message = g_strdup("something went wrong");
            } else {
                other->rule = g_strdup(rule);
            }
            if (other->type == AJAR_EVENT_ATTENTION) {
                other->account = g_strdup("me@example.org/Home");
                other->protocol = g_strdup("prpl-jabber");
                other->buddy = g_strdup("sam@example.org");
                other->time = ts;
            }
            append_ok(journal, other);
            continue;
        }
        taken = test_custody_event(AJAR_EVENT_HELD + g_rand_int_range(rand, 0, 4), NULL,
                                   g_rand_boolean(rand) ? AJAR_DIRECTION_IN : AJAR_DIRECTION_OUT,
                                   text, ts);
        g_free(taken->rule);
        taken->rule = g_strdup(rule);
        taken->stranger = g_rand_int_range(rand, 0, 4) == 0;
        append_ok(journal, taken);
        id = taken->id;
        for (guint k = (guint)g_rand_int_range(rand, 0, 4); k > 0; k--) {
            g_autoptr(AjarEvent) outcome =
                test_outcome_event(outcomes[g_rand_int_range(rand, 0, G_N_ELEMENTS(outcomes))], id,
                                   ts + (gint64)k * 1000);
            if (outcome->type == AJAR_EVENT_ASSIGNED)
                outcome->rule = g_strdup(test_rules[g_rand_int_range(rand, 0, 3)]);
            append_ok(journal, outcome);
        }
    }
    g_rand_free(rand);
}

/* The statistics as `ajar stats` prints them (text at a fixed time, and JSON). */
static inline char *
test_stats_of(const AjarState *state)
{
    g_autoptr(GPtrArray) stats = ajar_stats_compute(state);
    g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc(TEST_T0 / G_USEC_PER_SEC);
    g_autofree char *text = ajar_stats_format_text(stats, now);
    g_autofree char *json = ajar_stats_format_json(stats);
    GString *out = g_string_new(text);

    g_string_append(out, json);
    /* And what is in custody, in order, with its state. */
    {
        g_autoptr(GPtrArray) custody = ajar_state_list_custody(state);
        for (guint i = 0; i < custody->len; i++) {
            const AjarItem *item = g_ptr_array_index(custody, i);
            g_string_append_printf(out, "%s %s %d\n", item->id, item->rule, item->state);
        }
    }
    g_string_append_printf(out, "last id %s, orphans %u\n", ajar_state_get_last_id(state),
                           ajar_state_get_orphans(state));
    return g_string_free(out, FALSE);
}

static inline void
test_apply_cb(const AjarEvent *event, gpointer user_data)
{
    ajar_state_apply(user_data, event);
}

/* history files in name order, then journal.jsonl: as the CLI reads them. */
static inline AjarState *
test_read_all_files(const char *dir)
{
    AjarState *state = ajar_state_new();
    g_autoptr(GPtrArray) names = ajar_history_list(dir);
    g_autofree char *journal = g_build_filename(dir, AJAR_JOURNAL_FILE, NULL);

    for (guint i = 0; i < names->len; i++) {
        g_autofree char *path = g_build_filename(dir, names->pdata[i], NULL);
        g_assert_true(ajar_journal_read_file(path, test_apply_cb, state, NULL, NULL));
    }
    g_assert_true(ajar_journal_read_file(journal, test_apply_cb, state, NULL, NULL));
    return state;
}

/* Every line of every history file and of the journal, counted. */
static inline GHashTable *
test_count_lines(const char *dir)
{
    GHashTable *counts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    g_autoptr(GPtrArray) names = ajar_history_list(dir);

    g_ptr_array_add(names, g_strdup(AJAR_JOURNAL_FILE));
    for (guint i = 0; i < names->len; i++) {
        g_autofree char *path = g_build_filename(dir, names->pdata[i], NULL);
        g_autofree char *bytes = NULL;
        g_auto(GStrv) lines = NULL;

        if (!g_file_get_contents(path, &bytes, NULL, NULL))
            continue;
        lines = g_strsplit(bytes, "\n", -1);
        for (guint k = 0; lines[k] != NULL; k++) {
            gpointer n;
            if (lines[k][0] == '\0')
                continue;
            n = g_hash_table_lookup(counts, lines[k]);
            g_hash_table_replace(counts, g_strdup(lines[k]),
                                 GUINT_TO_POINTER(GPOINTER_TO_UINT(n) + 1));
        }
    }
    return counts;
}

/* Each line of @before is in @after exactly once; what else @after has
 * is summary lines. */
static inline void
test_assert_each_line_once(GHashTable *before, GHashTable *after)
{
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init(&iter, before);
    while (g_hash_table_iter_next(&iter, &key, &value)) {
        if (strstr(key, "\"event\":\"summary\"") != NULL)
            continue;
        g_assert_cmpuint(GPOINTER_TO_UINT(g_hash_table_lookup(after, key)), ==,
                         GPOINTER_TO_UINT(value));
    }
    g_hash_table_iter_init(&iter, after);
    while (g_hash_table_iter_next(&iter, &key, &value)) {
        if (g_hash_table_lookup(before, key) == NULL)
            g_assert_nonnull(strstr(key, "\"event\":\"summary\""));
    }
}
