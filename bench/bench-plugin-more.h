/* bench-plugin-more.h — figures 3 (plugin load time), 5 (cooling-off
 * queue) and 1e (pidgin-privacy-please) of the libpurple benchmark. */
#ifndef AJAR_BENCH_PLUGIN_MORE_H
#define AJAR_BENCH_PLUGIN_MORE_H

#include "bench-plugin-common.h"

G_BEGIN_DECLS

void bench_figure_load(const BenchOptions *options);
void bench_figure_outgoing(const BenchOptions *options);
void bench_figure_privacy_please(void);

G_END_DECLS

#endif /* AJAR_BENCH_PLUGIN_MORE_H */
