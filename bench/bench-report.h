/* bench-report.h — what the benchmark programs measured, as rows of one
 * table: printed for a person, and written as JSON Lines for bench/report.py
 * (which adds callgrind's instruction counts and prints the whole table).
 * Also the clocks and counters the programs share. Not a test: nothing here
 * judges a figure. */
#ifndef AJAR_BENCH_REPORT_H
#define AJAR_BENCH_REPORT_H

#include <glib.h>

G_BEGIN_DECLS

/* One measured figure. Optional numbers are negative when absent. */
typedef struct {
    const char *figure; /* "1" .. "5", the numbering */
    const char *key;    /* stable id, e.g. "1.b"; callgrind sections use it too */
    const char *name;   /* what was measured, for a person */
    guint64 n;          /* operations measured */
    double ns_per_op;   /* the figure: nanoseconds per operation (median of rounds) */
    double ratio;       /* against the figure's baseline; < 0: none */
    double max_us;      /* longest single operation, microseconds; < 0: not measured */
    double seconds;     /* total wall time of the figure's operations; < 0: not measured */
    double cpu_seconds; /* CPU time (user + system) of the same; < 0: not measured */
    gint64 bytes;       /* memory (peak RSS growth) or a file size; < 0: none */
    gint64 bytes2;      /* a second size (e.g. the journal's size); < 0: none */
    const char *note;   /* nullable */
} BenchRow;

/* A row with every optional field absent. */
#define BENCH_ROW_INIT                                                                         \
    {                                                                                          \
        .ratio = -1, .max_us = -1, .seconds = -1, .cpu_seconds = -1, .bytes = -1, .bytes2 = -1 \
    }

/* Copies @row (and its strings) into the table. */
void bench_report_add(const BenchRow *row);

/* Prints the table to stdout and, when @json_path is not NULL, writes every
 * row as one JSON object a line to it. Returns FALSE (with a message on
 * stderr) if the file cannot be written. */
gboolean bench_report_finish(const char *json_path);

/* Monotonic clock, nanoseconds. */
gint64 bench_now_ns(void);

/* This process's resident set now and its peak (VmRSS, VmHWM), bytes. */
gint64 bench_rss_bytes(void);
gint64 bench_peak_rss_bytes(void);

/* Bytes malloc() has handed out and not had back (glibc's mallinfo2()):
 * unlike the RSS, it sees memory reused from earlier frees. */
gint64 bench_heap_bytes(void);

/* Median of @values (sorted in place). */
double bench_median(double *values, guint count);

/* callgrind instruction counting: both are no-ops unless the program runs
 * under valgrind --tool=callgrind (best with --instr-atstart=no: only the
 * sections between them are instrumented). bench_count_start() zeroes the
 * counters;
 * bench_count_stop() dumps them labelled @key (bench/report.py reads the
 * dumps and divides by @n). */
void bench_count_start(void);
void bench_count_stop(const char *key, guint64 n);

/* TRUE when running under valgrind. */
gboolean bench_under_valgrind(void);

G_END_DECLS

#endif /* AJAR_BENCH_REPORT_H */
