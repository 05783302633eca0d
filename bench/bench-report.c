/* bench-report.c — the table of figures, clocks, memory and callgrind marks. */
#include "bench-report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <malloc.h>

#include <valgrind/callgrind.h>

static GPtrArray *rows; /* BenchRow*, owning their strings */

static void
row_free(gpointer data)
{
    BenchRow *row = data;

    g_free((char *)row->figure);
    g_free((char *)row->key);
    g_free((char *)row->name);
    g_free((char *)row->note);
    g_free(row);
}

void
bench_report_add(const BenchRow *row)
{
    BenchRow *copy = g_new(BenchRow, 1);

    *copy = *row;
    copy->figure = g_strdup(row->figure);
    copy->key = g_strdup(row->key);
    copy->name = g_strdup(row->name);
    copy->note = g_strdup(row->note);
    if (rows == NULL)
        rows = g_ptr_array_new_with_free_func(row_free);
    g_ptr_array_add(rows, copy);
}

static void
json_string(GString *out, const char *text)
{
    g_string_append_c(out, '"');
    for (const char *p = text; p != NULL && *p != '\0'; p++) {
        guchar c = (guchar)*p;
        if (c == '"' || c == '\\')
            g_string_append_printf(out, "\\%c", c);
        else if (c < 0x20)
            g_string_append_printf(out, "\\u%04x", c);
        else
            g_string_append_c(out, (char)c);
    }
    g_string_append_c(out, '"');
}

static void
json_number(GString *out, const char *name, double value)
{
    g_string_append_printf(out, ",\"%s\":", name);
    if (value < 0)
        g_string_append(out, "null");
    else
        g_string_append_printf(out, "%.6g", value);
}

static void
print_row(const BenchRow *row)
{
    g_autofree char *ratio = row->ratio >= 0 ? g_strdup_printf("%.3f", row->ratio) : g_strdup("");
    g_autofree char *max = row->max_us >= 0 ? g_strdup_printf("%.1f", row->max_us) : g_strdup("");
    g_autofree char *secs =
        row->seconds >= 0 ? g_strdup_printf("%.3f", row->seconds) : g_strdup("");
    g_autofree char *cpu =
        row->cpu_seconds >= 0 ? g_strdup_printf("%.3f", row->cpu_seconds) : g_strdup("");
    g_autofree char *mib =
        row->bytes >= 0 ? g_strdup_printf("%.1f", row->bytes / 1048576.0) : g_strdup("");

    printf("%-14s %-50s %8" G_GUINT64_FORMAT " %10.0f %7s %9s %8s %8s %7s\n", row->key, row->name,
           row->n, row->ns_per_op, ratio, max, secs, cpu, mib);
}

gboolean
bench_report_finish(const char *json_path)
{
    g_autoptr(GString) json = g_string_new(NULL);
    g_autoptr(GError) error = NULL;

    printf("%-14s %-50s %8s %10s %7s %9s %8s %8s %7s\n", "key", "figure", "n", "ns/op", "ratio",
           "max us", "wall s", "cpu s", "MiB");
    for (guint i = 0; rows != NULL && i < rows->len; i++) {
        const BenchRow *row = g_ptr_array_index(rows, i);

        print_row(row);
        if (row->note != NULL)
            printf("%-14s (%s)\n", "", row->note);
        g_string_append(json, "{\"figure\":");
        json_string(json, row->figure);
        g_string_append(json, ",\"key\":");
        json_string(json, row->key);
        g_string_append(json, ",\"name\":");
        json_string(json, row->name);
        g_string_append_printf(json, ",\"n\":%" G_GUINT64_FORMAT, row->n);
        json_number(json, "ns_per_op", row->ns_per_op);
        json_number(json, "ratio", row->ratio);
        json_number(json, "max_us", row->max_us);
        json_number(json, "seconds", row->seconds);
        json_number(json, "cpu_seconds", row->cpu_seconds);
        json_number(json, "bytes", (double)row->bytes);
        json_number(json, "bytes2", (double)row->bytes2);
        g_string_append(json, ",\"note\":");
        if (row->note != NULL)
            json_string(json, row->note);
        else
            g_string_append(json, "null");
        g_string_append(json, "}\n");
    }
    fflush(stdout);
    g_clear_pointer(&rows, g_ptr_array_unref);
    if (json_path == NULL)
        return TRUE;
    if (!g_file_set_contents(json_path, json->str, (gssize)json->len, &error)) {
        g_printerr("cannot write %s: %s\n", json_path, error->message);
        return FALSE;
    }
    return TRUE;
}

gint64
bench_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (gint64)ts.tv_sec * G_GINT64_CONSTANT(1000000000) + ts.tv_nsec;
}

static gint64
status_kib(const char *field)
{
    g_autofree char *status = NULL;
    const char *line;

    if (!g_file_get_contents("/proc/self/status", &status, NULL, NULL))
        return -1;
    line = strstr(status, field);
    if (line == NULL)
        return -1;
    return g_ascii_strtoll(line + strlen(field), NULL, 10);
}

gint64
bench_rss_bytes(void)
{
    return status_kib("VmRSS:") * 1024;
}

gint64
bench_peak_rss_bytes(void)
{
    return status_kib("VmHWM:") * 1024;
}

gint64
bench_heap_bytes(void)
{
    struct mallinfo2 info = mallinfo2();

    return (gint64)info.uordblks + (gint64)info.hblkhd;
}

static int
compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y ? 1 : 0;
}

double
bench_median(double *values, guint count)
{
    if (count == 0)
        return 0;
    qsort(values, count, sizeof *values, compare_doubles);
    if (count % 2 == 1)
        return values[count / 2];
    return (values[count / 2 - 1] + values[count / 2]) / 2;
}

/* bench/run starts callgrind with --instr-atstart=no: everything outside
 * the measured sections (starting libpurple, parsing 10,000 rules, writing
 * journals) runs uninstrumented, many times faster. */
void
bench_count_start(void)
{
    CALLGRIND_START_INSTRUMENTATION;
    CALLGRIND_ZERO_STATS;
}

void
bench_count_stop(const char *key, guint64 n)
{
    g_autofree char *label = g_strdup_printf("ajar-bench %s %" G_GUINT64_FORMAT, key, n);

    CALLGRIND_DUMP_STATS_AT(label);
    CALLGRIND_STOP_INSTRUMENTATION;
}

gboolean
bench_under_valgrind(void)
{
    return RUNNING_ON_VALGRIND != 0;
}
