/* bench-plugin-more.h — figures 3 (plugin load time), 5 (cooling-off
 * queue) of the libpurple benchmark, and opening 1e's pidgin-privacy-please. */
#ifndef AJAR_BENCH_PLUGIN_MORE_H
#define AJAR_BENCH_PLUGIN_MORE_H

#include "bench-plugin-common.h"

G_BEGIN_DECLS

void bench_figure_load(const BenchOptions *options);
void bench_figure_outgoing(const BenchOptions *options);
/* pidgin-privacy-please (Debian's libpidgin_pp.so), probed, and loaded and
 * unloaded once to be sure it can be; or NULL, with a figure 1 row (1.e)
 * that says why it is not measured. Returns: (transfer none). */
PurplePlugin *bench_privacy_please(void);

G_END_DECLS

#endif /* AJAR_BENCH_PLUGIN_MORE_H */
