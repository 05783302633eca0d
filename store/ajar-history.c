/* ajar-history.c — history/YYYY-MM.jsonl: listing the files, routing a
 * journal line (its id and month), and the record that lets a crash cut
 * compaction be undone (history/.compact-pending). */
#include "ajar/ajar-compact.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>

#include "ajar/ajar-files.h"
#include "ajar/ajar-i18n.h"
#include "ajar/ajar-json.h"
#include "ajar-history-private.h"

/* ---- names ---- */

/* "2026-11.jsonl" */
static gboolean
is_history_name(const char *name)
{
    return strlen(name) == 13 && g_ascii_isdigit(name[0]) && g_ascii_isdigit(name[1]) &&
           g_ascii_isdigit(name[2]) && g_ascii_isdigit(name[3]) && name[4] == '-' &&
           g_ascii_isdigit(name[5]) && g_ascii_isdigit(name[6]) &&
           strcmp(name + 7, ".jsonl") == 0; /* no i18n: a file name */
}

static gint
compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The history file names (not paths) in @history_dir, sorted. */
static GPtrArray *
list_names(const char *history_dir)
{
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    GDir *dir = g_dir_open(history_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
        if (is_history_name(name))
            g_ptr_array_add(names, g_strdup(name));
    }
    if (dir != NULL)
        g_dir_close(dir);
    g_ptr_array_sort(names, compare_names);
    return names;
}

GPtrArray *
ajar_history_list(const char *dir)
{
    g_autofree char *history_dir = g_build_filename(dir, AJAR_HISTORY_DIR, NULL);
    GPtrArray *names = list_names(history_dir);

    g_return_val_if_fail(dir != NULL, names);
    for (guint i = 0; i < names->len; i++) {
        char *name = names->pdata[i];
        names->pdata[i] = g_strconcat(AJAR_HISTORY_DIR "/", name, NULL);
        g_free(name);
    }
    return names;
}

int
ajar_history_month_of_time(gint64 unix_us)
{
    g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc(unix_us / G_USEC_PER_SEC);

    if (when == NULL)
        return -1;
    return g_date_time_get_year(when) * 12 + g_date_time_get_month(when) - 1;
}

char *
ajar_history_month_name(int month)
{
    return g_strdup_printf(AJAR_HISTORY_DIR "/%04d-%02d.jsonl", month / 12, month % 12 + 1);
}

/* ---- routing a line ---- */

/* Skips the literal @lit at *p. */
static gboolean
expect(const char **p, const char *end, const char *lit, gsize lit_len)
{
    if ((gsize)(end - *p) < lit_len || memcmp(*p, lit, lit_len) != 0)
        return FALSE;
    *p += lit_len;
    return TRUE;
}
#define EXPECT(p, end, lit) expect(p, end, lit, sizeof lit - 1)

/* A string's bytes up to its closing quote, when it has no escape or
 * control byte (then they are its value). */
static const char *
plain_string_end(const char *p, const char *end)
{
    for (; p < end; p++) {
        if (*p == '"')
            return p;
        if (*p == '\\' || (guchar)*p < 0x20)
            return NULL;
    }
    return NULL;
}

static int
digits(const char *p, int n)
{
    int value = 0;

    for (int i = 0; i < n; i++) {
        if (!g_ascii_isdigit(p[i]))
            return -1;
        value = value * 10 + (p[i] - '0');
    }
    return value;
}

/* The fast way, for the lines Ajar writes. TRUE when it is sure. */
static gboolean
read_line_fast(const char *line, gsize len, AjarHistoryLine *out)
{
    const char *p = line, *end = line + len, *q;
    int year, month;

    /* A line a crash cut (its end missing) is damage, which moves, with
     * the repair note that explains it: the decoder says so. */
    if (len == 0 || line[len - 1] != '}' || !EXPECT(&p, end, "{\"seq\":"))
        return FALSE;
    while (p < end && g_ascii_isdigit(*p))
        p++;
    if (!EXPECT(&p, end, ",\"ts\":\"") || (q = plain_string_end(p, end)) == NULL)
        return FALSE;
    /* Only the UTC shapes Ajar writes: another offset may be another month. */
    if ((q - p != 24 && q - p != 20) || q[-1] != 'Z' || p[4] != '-' || p[7] != '-')
        return FALSE;
    year = digits(p, 4);
    month = digits(p + 5, 2);
    if (year < 1 || month < 1 || month > 12)
        return FALSE;
    p = q + 1;
    if (!EXPECT(&p, end, ",\"event\":\"") || (q = plain_string_end(p, end)) == NULL)
        return FALSE;
    p = q + 1;
    if (EXPECT(&p, end, ",\"id\":\"")) {
        if ((q = plain_string_end(p, end)) == NULL || (gsize)(q - p) >= sizeof out->id)
            return FALSE;
        out->has_id = TRUE;
        memcpy(out->id, p, (gsize)(q - p));
        out->id[q - p] = '\0';
    } else {
        /* No id where Ajar writes it: sure there is none only when no key
         * "id" (not even an escaped one) can be anywhere in the line. */
        if (g_strstr_len(line, (gssize)len, "id\"") != NULL ||
            g_strstr_len(line, (gssize)len, "\\u") != NULL)
            return FALSE;
        out->has_id = FALSE;
    }
    out->month = year * 12 + month - 1;
    return TRUE;
}

void
ajar_history_read_line(const char *line, gsize len, AjarHistoryLine *out)
{
    g_autoptr(AjarEvent) event = NULL;
    g_autoptr(GError) error = NULL;

    memset(out, 0, sizeof *out);
    out->month = -1;
    if (read_line_fast(line, len, out))
        return;
    memset(out, 0, sizeof *out);
    out->month = -1;
    event = ajar_event_decode(line, len, &error);
    if (event == NULL) {
        /* Malformed: no id; its month if its start reads as Ajar's. */
        const char *p = line, *end = line + len, *q;

        if (EXPECT(&p, end, "{\"seq\":")) {
            while (p < end && g_ascii_isdigit(*p))
                p++;
            if (EXPECT(&p, end, ",\"ts\":\"") && (q = plain_string_end(p, end)) != NULL &&
                (q - p == 24 || q - p == 20) && q[-1] == 'Z' && p[4] == '-' && digits(p, 4) >= 1 &&
                digits(p + 5, 2) >= 1 && digits(p + 5, 2) <= 12)
                out->month = digits(p, 4) * 12 + digits(p + 5, 2) - 1;
        }
        return;
    }
    out->month = ajar_history_month_of_time(event->ts);
    if (event->id != NULL) {
        out->has_id = TRUE;
        if (strlen(event->id) < sizeof out->id)
            strcpy(out->id, event->id);
        else
            out->id_too_long = TRUE;
    }
}

/* ---- the pending record ---- */

gboolean
ajar_history_write_pending(const char *history_dir, GError **error)
{
    g_autoptr(GPtrArray) names = list_names(history_dir);
    g_autoptr(GString) json = g_string_new("{\"history\":{"); /* no i18n: the record's keys */
    g_autoptr(GError) local_error = NULL;

    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        g_autofree char *path = g_build_filename(history_dir, name, NULL);
        struct stat st;

        if (stat(path, &st) != 0) {
            g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO,
                        _("%s: could not read: %s"), path, g_strerror(errno));
            return FALSE;
        }
        if (i > 0)
            g_string_append_c(json, ',');
        ajar_json_append_string(json, name, -1);
        g_string_append_printf(json, ":%" G_GINT64_FORMAT, (gint64)st.st_size);
    }
    g_string_append(json, "}}\n");
    if (!ajar_files_replace(history_dir, AJAR_COMPACT_PENDING_FILE, json->str, json->len,
                            &local_error)) {
        g_set_error_literal(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO, local_error->message);
        return FALSE;
    }
    return TRUE;
}

static gboolean G_GNUC_PRINTF(3, 4)
fail_errno(GError **error, int saved, const char *format, ...)
{
    va_list args;
    g_autofree char *what = NULL;

    va_start(args, format);
    what = g_strdup_vprintf(format, args);
    va_end(args);
    g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO, "%s: %s", what,
                g_strerror(saved));
    return FALSE;
}

/* Cuts @path back to @size (never longer) and syncs it. */
static gboolean
cut_back(const char *path, gint64 size, GError **error)
{
    struct stat st;
    int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);

    if (fd < 0)
        return errno == ENOENT ? TRUE : fail_errno(error, errno, _("%s: could not open"), path);
    if (fstat(fd, &st) == 0 && st.st_size > size && (ftruncate(fd, size) != 0 || fsync(fd) != 0)) {
        int saved = errno;
        close(fd);
        /* TRANSLATORS: %s is a history file's path; the system's reason follows. */
        return fail_errno(error, saved, _("%s: could not undo an unfinished compaction"), path);
    }
    close(fd);
    return TRUE;
}

gboolean
ajar_history_undo(const char *dir, GError **error)
{
    g_autofree char *history_dir = g_build_filename(dir, AJAR_HISTORY_DIR, NULL);
    g_autofree char *pending = g_build_filename(history_dir, AJAR_COMPACT_PENDING_FILE, NULL);
    g_autofree char *compact = g_build_filename(dir, AJAR_JOURNAL_FILE AJAR_COMPACT_SUFFIX, NULL);
    g_autofree char *text = NULL;
    g_autoptr(GError) read_error = NULL;
    g_autoptr(AjarJsonValue) record = NULL;
    gsize len = 0;

    text = ajar_files_read(pending, 1 << 20, &len, &read_error);
    if (text == NULL && !g_error_matches(read_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)) {
        g_set_error_literal(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO, read_error->message);
        return FALSE;
    }
    if (text != NULL) {
        g_autoptr(GPtrArray) names = list_names(history_dir);
        const AjarJsonValue *sizes;

        /* Written whole (temporary file, renamed) or not at all. */
        record = ajar_json_parse(text, (gssize)len, NULL);
        sizes = record != NULL && record->type == AJAR_JSON_OBJECT
                    ? ajar_json_object_get(record, "history") /* no i18n: the record's key */
                    : NULL;
        if (sizes == NULL || sizes->type != AJAR_JSON_OBJECT) {
            g_set_error(error, AJAR_JOURNAL_ERROR, AJAR_JOURNAL_ERROR_IO,
                        /* TRANSLATORS: %s is the path of history/.compact-pending. */
                        _("%s: is not a record Ajar wrote; cannot undo the unfinished "
                          "compaction it belongs to"),
                        pending);
            return FALSE;
        }
        /* Each file back to its size before; one the record does not name
         * was made by the compaction. Synced before the record goes: until
         * then a crash here is undone again the same way. */
        for (guint i = 0; i < names->len; i++) {
            const char *name = g_ptr_array_index(names, i);
            const AjarJsonValue *size = ajar_json_object_get(sizes, name);
            g_autofree char *path = g_build_filename(history_dir, name, NULL);

            if (size != NULL && size->type == AJAR_JSON_NUMBER && size->is_integer) {
                if (!cut_back(path, size->integer, error))
                    return FALSE;
            } else if (unlink(path) != 0 && errno != ENOENT) {
                return fail_errno(error, errno, _("%s: could not undo an unfinished compaction"),
                                  path);
            }
        }
        ajar_files_sync_dir(history_dir, NULL);
        if (unlink(pending) != 0 && errno != ENOENT)
            return fail_errno(error, errno, _("%s: could not remove"), pending);
        ajar_files_sync_dir(history_dir, NULL);
    }
    /* Last: while it is there, the next open undoes this again. */
    if (unlink(compact) != 0 && errno != ENOENT)
        return fail_errno(error, errno, _("%s: could not remove"), compact);
    ajar_files_sync_dir(dir, NULL);
    return TRUE;
}

gboolean
ajar_compact_recover(const char *dir, GError **error)
{
    g_autofree char *compact = g_build_filename(dir, AJAR_JOURNAL_FILE AJAR_COMPACT_SUFFIX, NULL);
    g_autofree char *history_dir = g_build_filename(dir, AJAR_HISTORY_DIR, NULL);
    g_autofree char *pending = g_build_filename(history_dir, AJAR_COMPACT_PENDING_FILE, NULL);
    GDir *listing = g_dir_open(history_dir, 0, NULL);
    const char *name;
    struct stat st;

    g_return_val_if_fail(dir != NULL, FALSE);
    /* The record's temporary file (ajar_files_replace()), if a crash left
     * one: it never counts. */
    while (listing != NULL && (name = g_dir_read_name(listing)) != NULL) {
        if (g_str_has_prefix(name, AJAR_COMPACT_PENDING_FILE ".")) {
            g_autofree char *path = g_build_filename(history_dir, name, NULL);
            unlink(path);
        }
    }
    if (listing != NULL)
        g_dir_close(listing);
    if (lstat(compact, &st) == 0)
        return ajar_history_undo(dir, error);
    /* The rename happened: the history files are whole, the record moot. */
    if (unlink(pending) != 0 && errno != ENOENT)
        return fail_errno(error, errno, _("%s: could not remove"), pending);
    return TRUE;
}
