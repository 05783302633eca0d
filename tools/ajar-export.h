/* ajar-export.h — the HTML page `ajar export --format html` writes. */
#pragma once

#include <glib.h>

#include "ajar-cli.h"

G_BEGIN_DECLS

/* Appends one self-contained HTML5 page to @out: inline CSS, no scripts, no
 * external resources (a Content-Security-Policy forbids them too), one
 * section per rule, every text escaped. @items: AjarItem*, oldest first.
 * A text that cannot be read back is said to be so, with why (also on
 * stderr); then FALSE. */
gboolean ajar_cli_export_html(GString *out, const AjarCliJournal *journal, const GPtrArray *items,
                              GDateTime *now);

G_END_DECLS
