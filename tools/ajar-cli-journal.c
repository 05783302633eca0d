/* ajar-cli-journal.c — reading the journal for the command: read-only (never
 * ajar_journal_open(), which locks and repairs), so it is safe while the
 * messenger appends; a line being written is an incomplete tail. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ajar/ajar-item-text.h"
#include "ajar-cli.h"
#include "ajar/ajar-compact.h"

/* What a repair event's message says (see ajar_journal_append()):
 * "journal.jsonl: repaired an incomplete last line (N bytes, line L) ...". */
#define REPAIRED_PREFIX AJAR_JOURNAL_FILE ": repaired" /* no i18n: the journal's words */

static void
history_entry_clear(gpointer data)
{
    AjarCliHistoryEntry *entry = data;

    g_free(entry->name);
}

static void
note_repair(AjarCliJournal *journal, const AjarEvent *event)
{
    const char *at;
    guint64 line;

    if (event->message == NULL || !g_str_has_prefix(event->message, REPAIRED_PREFIX))
        return;
    at = strstr(event->message, ", line "); /* no i18n: the journal's words */
    if (at == NULL)
        return;
    at += strlen(", line "); /* no i18n: the journal's words */
    line = g_ascii_strtoull(at, NULL, 10);
    if (line > 0 && line <= G_MAXUINT) {
        guint line_no = (guint)line;
        g_array_append_val(journal->repaired_lines, line_no);
    }
}

static void
event_cb(const AjarEvent *event, gpointer user_data)
{
    AjarCliJournal *journal = user_data;

    ajar_state_apply(journal->state, event);
    if (!journal->in_history) {
        /* Repairs name journal.jsonl's lines; a history file's lines are
         * other lines. */
        if (event->type == AJAR_EVENT_FAULT)
            note_repair(journal, event);
        if (journal->have_prev_seq && event->seq > journal->prev_seq + 1)
            journal->seq_gaps++;
        if (event->type == AJAR_EVENT_SUMMARY)
            journal->seq_gaps = 0;
        journal->have_prev_seq = TRUE;
        journal->prev_seq = event->seq;
    }
    if (journal->history != NULL && event->id != NULL) {
        GArray *history = g_hash_table_lookup(journal->history, event->id);
        AjarCliHistoryEntry entry = { event->seq, event->ts, event->type, NULL };
        const char *name = ajar_event_type_to_string(event->type);

        /* A line met in history and again in the journal (read while a
         * compaction ran) is one line. */
        for (guint i = 0; history != NULL && i < history->len; i++) {
            const AjarCliHistoryEntry *seen = &g_array_index(history, AjarCliHistoryEntry, i);
            if (seen->seq == event->seq && seen->type == event->type && seen->ts == event->ts)
                return;
        }
        if (history == NULL) {
            history = g_array_new(FALSE, FALSE, sizeof(AjarCliHistoryEntry));
            g_array_set_clear_func(history, history_entry_clear);
            g_hash_table_insert(journal->history, g_strdup(event->id), history);
        }
        entry.name = g_strdup(name != NULL ? name : event->event_name);
        g_array_append_val(history, entry);
    }
}

static void
history_file_clear(gpointer data)
{
    AjarCliHistoryFile *file = data;

    g_free(file->name);
    ajar_journal_report_clear(&file->report);
}

void
ajar_cli_journal_free(AjarCliJournal *journal)
{
    if (journal == NULL)
        return;
    g_free(journal->path);
    g_clear_pointer(&journal->state, ajar_state_free);
    g_clear_pointer(&journal->history, g_hash_table_unref);
    g_clear_pointer(&journal->repaired_lines, g_array_unref);
    g_clear_pointer(&journal->text_files, g_hash_table_unref);
    g_clear_pointer(&journal->history_files, g_array_unref);
    ajar_journal_report_clear(&journal->report);
    g_free(journal);
}

static void
close_text_file(gpointer data)
{
    close(GPOINTER_TO_INT(data) - 1);
}

char *
ajar_cli_journal_read_text(const AjarCliJournal *journal, const AjarItem *item, gsize *len,
                           char ***images, GError **error)
{
    /* The open files are a cache: listing every message must not open the
     * journal once for each. */
    AjarCliJournal *cache = (AjarCliJournal *)journal;
    const char *name = item->text_source != NULL ? item->text_source : AJAR_JOURNAL_FILE;
    gpointer open_fd;
    char *text = NULL;

    if (cache->text_files == NULL)
        cache->text_files = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, close_text_file);
    open_fd = g_hash_table_lookup(cache->text_files, name);
    if (open_fd == NULL) {
        g_autofree char *dir = g_path_get_dirname(journal->path);
        g_autofree char *path = g_build_filename(dir, name, NULL);
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);

        if (fd < 0) {
            /* (Its own words: ajar_item_read_text() opens it again.) */
            if (!ajar_item_read_text(item, dir, &text, len, images, error))
                return NULL;
            return text;
        }
        open_fd = GINT_TO_POINTER(fd + 1);
        g_hash_table_insert(cache->text_files, g_strdup(name), open_fd);
    }
    if (!ajar_item_read_text_fd(item, GPOINTER_TO_INT(open_fd) - 1, name, &text, len, images,
                                error))
        return NULL;
    return text;
}

AjarCliJournal *
ajar_cli_journal_load(const AjarCli *cli, gboolean with_history, GError **error)
{
    g_autoptr(AjarCliJournal) journal = g_new0(AjarCliJournal, 1);
    g_autofree char *default_dir = NULL;
    g_autofree char *ajar_dir = NULL;
    g_autoptr(GPtrArray) names = NULL;
    const char *dir = cli->dir;
    struct stat st;
    int journal_fd;

    if (dir == NULL)
        dir = default_dir = g_build_filename(g_get_home_dir(), ".purple", NULL);
    journal->path = g_build_filename(dir, "ajar", AJAR_JOURNAL_FILE, NULL);
    journal->state = ajar_state_new();
    journal->repaired_lines = g_array_new(FALSE, FALSE, sizeof(guint));
    if (with_history)
        journal->history =
            g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_array_unref);
    journal->missing = stat(journal->path, &st) != 0 && errno == ENOENT;
    /* journal.jsonl is opened before history/ is read: if the messenger
     * compacts meanwhile, this file still has every line the compaction
     * moves (met twice, then, and taken once), and its texts are read back
     * from this same file, not from the new one at the path. */
    journal_fd = open(journal->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (journal_fd < 0 && errno != ENOENT) {
        g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO, _("%s: could not open: %s"),
                    journal->path, g_strerror(errno));
        return NULL;
    }
    if (journal_fd >= 0) {
        journal->text_files =
            g_hash_table_new_full(g_str_hash, g_str_equal, g_free, close_text_file);
        g_hash_table_insert(journal->text_files, g_strdup(AJAR_JOURNAL_FILE),
                            GINT_TO_POINTER(journal_fd + 1));
    }
    /* History first, in month order, then the journal: a message's lines
     * in the order they were written. */
    ajar_dir = g_build_filename(dir, "ajar", NULL); /* no i18n: a folder name */
    names = ajar_history_list(ajar_dir);
    journal->history_files = g_array_new(FALSE, TRUE, sizeof(AjarCliHistoryFile));
    g_array_set_clear_func(journal->history_files, history_file_clear);
    journal->in_history = TRUE;
    for (guint i = 0; i < names->len; i++) {
        AjarCliHistoryFile file = { g_strdup(names->pdata[i]), { 0 } };
        g_autofree char *path = g_build_filename(ajar_dir, names->pdata[i], NULL);
        /* Texts are read back from there: the source outlives the state
         * (history_files is freed after it). */
        gboolean ok =
            ajar_journal_read_file_from(path, file.name, event_cb, journal, &file.report, error);

        g_array_append_val(journal->history_files, file);
        if (!ok)
            return NULL;
    }
    journal->in_history = FALSE;
    if (names->len > 0)
        journal->missing = FALSE;
    /* (None yet: read by path, which says so and reports nothing.) */
    if (journal_fd < 0
            ? !ajar_journal_read_file(journal->path, event_cb, journal, &journal->report, error)
            : !ajar_journal_read_open_file(journal_fd, journal->path, event_cb, journal,
                                           &journal->report, error))
        return NULL;
    return g_steal_pointer(&journal);
}

AjarCliJournal *
ajar_cli_journal_load_or_report(const AjarCli *cli, gboolean with_history, int *exit_code)
{
    g_autoptr(GError) error = NULL;
    AjarCliJournal *journal = ajar_cli_journal_load(cli, with_history, &error);

    if (journal == NULL) {
        ajar_cli_error("%s", error->message);
        *exit_code = AJAR_CLI_EXIT_FAILED;
    }
    return journal;
}

static gboolean
line_was_repaired(const AjarCliJournal *journal, guint line_no)
{
    for (guint i = 0; i < journal->repaired_lines->len; i++) {
        if (g_array_index(journal->repaired_lines, guint, i) == line_no)
            return TRUE;
    }
    return FALSE;
}

guint
ajar_cli_journal_unexplained_malformed(const AjarCliJournal *journal)
{
    const GArray *lines = journal->report.malformed_lines;
    guint explained = 0;

    /* A line a crash cut, that Ajar then ended and recorded, is known damage
     * (the message it held was never withheld: its write had not returned). */
    for (guint i = 0; lines != NULL && i < lines->len; i++) {
        if (line_was_repaired(journal, g_array_index(lines, guint, i)))
            explained++;
    }
    return journal->report.malformed - explained;
}

void
ajar_cli_journal_warn(const AjarCliJournal *journal)
{
    const GArray *lines = journal->report.malformed_lines;
    guint count = ajar_cli_journal_unexplained_malformed(journal);
    guint first = 0;

    if (count == 0)
        return;
    for (guint i = 0; lines != NULL && i < lines->len && first == 0; i++) {
        guint line_no = g_array_index(lines, guint, i);
        if (!line_was_repaired(journal, line_no))
            first = line_no;
    }
    if (count == 1)
        /* TRANSLATORS: %1$s is the journal's file name, %2$u a line number;
         * 'ajar verify' is typed as it is. */
        ajar_cli_error(_("%s: 1 malformed line skipped (line %u); run 'ajar verify'"),
                       AJAR_JOURNAL_FILE, first);
    else
        /* TRANSLATORS: %1$s is the journal's file name, %2$u how many lines
         * (always more than one), %3$u the first one's number. */
        ajar_cli_error(P_("%s: %u malformed line skipped (first at line %u); run 'ajar verify'",
                          "%s: %u malformed lines skipped (first at line %u); run 'ajar verify'",
                          count),
                       AJAR_JOURNAL_FILE, count, first);
}

GArray *
ajar_cli_journal_history(const AjarCliJournal *journal, const char *id)
{
    if (journal->history == NULL || id == NULL)
        return NULL;
    return g_hash_table_lookup(journal->history, id);
}

/* ---- small shared helpers ---- */

static gint
compare_ids(gconstpointer a, gconstpointer b)
{
    const AjarItem *x = *(const AjarItem *const *)a;
    const AjarItem *y = *(const AjarItem *const *)b;

    return g_ascii_strcasecmp(x->id, y->id);
}

guint
ajar_cli_short_id_length(const AjarState *state)
{
    g_autoptr(GPtrArray) items = ajar_state_list(state);
    guint length = AJAR_CLI_SHORT_ID_MIN;

    /* Sorted, the longest shared prefix is between neighbours. Prefixes
     * are matched ignoring case (Crockford base32), so sort that way. */
    g_ptr_array_sort(items, compare_ids);
    for (guint i = 1; i < items->len; i++) {
        const char *a = ((const AjarItem *)g_ptr_array_index(items, i - 1))->id;
        const char *b = ((const AjarItem *)g_ptr_array_index(items, i))->id;
        guint common = 0;

        while (a[common] != '\0' && g_ascii_tolower(a[common]) == g_ascii_tolower(b[common]))
            common++;
        length = MAX(length, common + 1);
    }
    return length;
}

const char *
ajar_cli_state_name(AjarEventType type)
{
    const char *name = ajar_event_type_to_string(type);

    return name != NULL ? name : "unknown"; /* no i18n: a state name, as the journal's */
}

char *
ajar_cli_iso_time(gint64 unix_us)
{
    return ajar_time_format_utc(unix_us, unix_us % G_USEC_PER_SEC != 0);
}

gboolean
ajar_cli_text_needs_base64(const char *text, gsize len)
{
    return memchr(text, '\0', len) != NULL || !g_utf8_validate(text, (gssize)len, NULL);
}

static gint
compare_item_times(gconstpointer a, gconstpointer b)
{
    const AjarItem *x = *(const AjarItem *const *)a;
    const AjarItem *y = *(const AjarItem *const *)b;

    if (x->time != y->time)
        return x->time < y->time ? -1 : 1;
    if (x->first_seq != y->first_seq)
        return x->first_seq < y->first_seq ? -1 : 1;
    return strcmp(x->id, y->id);
}

GPtrArray *
ajar_cli_sorted_items(const AjarState *state)
{
    GPtrArray *items = ajar_state_list(state);

    g_ptr_array_sort(items, compare_item_times);
    return items;
}
