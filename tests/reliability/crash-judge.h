/* crash-judge.h — the crash driver's verdict on one message (header-only,
 * like faults-util.h): what was reported of it as it happened and what the
 * journal says of it at the end, and whether that is lost, twice, or sent
 * unasked (see test-crash.c for the rules and why). */
#ifndef AJAR_CRASH_JUDGE_H
#define AJAR_CRASH_JUDGE_H

#include <string.h>

#include <glib.h>

#include "crash-common.h"

typedef struct {
    gboolean delivered; /* "in": serv_got_im() returned */
    gboolean typed;     /* "typed": purple_conv_im_send() returned */
    guint shown;        /* "shown" reports */
    guint sent;         /* "net" reports */
    guint sent_unasked; /* "net" in a later run with no "Send" answer in that run */
    /* The run that first showed / sent it was killed right after: its
     * "shown" / "net" was that run's last report. */
    gboolean killed_after_first;
    guint custody_ids; /* distinct message ids whose custody event holds the tag */
    gboolean kept;     /* one of them is in custody at the end */
    gboolean marked;   /* ... marked as perhaps already shown or sent */
    guint asked_again; /* "it may already have reached them" questions */
    gboolean outcome;  /* the journal says released/delivered (in) or sent (out) */
} TagState;

static inline gboolean
tag_is_outgoing(const char *tag)
{
    return strstr(tag, "-o") != NULL;
}

typedef struct {
    guint in_checked, out_checked;
    guint shown, kept_in, sent, kept_out;
    guint lost, duplicated, unasked;
    guint marked_shown, marked_sent; /* shown / sent once, kept marked */
    guint marked_unshown;            /* marked, killed before it was shown or sent */
    guint asked_again;
} Figures;

/* Shown (or sent) once and still kept: only if the kill came right after
 * that, and the journal marks it as perhaps already shown (sent). */
static inline gboolean
kept_marked_after_kill(const TagState *s, guint times)
{
    return times == 1 && s->kept && s->marked && s->killed_after_first && s->custody_ids == 1;
}

static inline void
check_tag(const char *tag, const TagState *s, Figures *f)
{
    if (tag_is_outgoing(tag)) {
        if (!s->typed && s->sent == 0 && s->custody_ids == 0)
            return;
        f->out_checked++;
        f->sent += s->sent > 0;
        f->kept_out += s->sent == 0 && s->kept;
        f->asked_again += s->asked_again;
        f->marked_unshown += s->sent == 0 && s->kept && s->marked;
        if (s->sent_unasked > 0) {
            f->unasked++;
            g_test_message("SENT WITHOUT ASKING after a restart: %s", tag);
        }
        if (kept_marked_after_kill(s, s->sent)) {
            /* Sent, killed before "sent" was journaled: kept marked, asked
             * "send it again?" after the restart, kept unsent. */
            f->marked_sent++;
            g_test_message("sent, killed, kept marked \"may already have reached them\": %s "
                           "(asked again %u times)",
                           tag, s->asked_again);
        } else if (s->custody_ids > 1 || s->sent > 1 || (s->sent == 1 && s->kept)) {
            f->duplicated++;
            g_test_message("DUPLICATED: %s (taken %u times, sent %u, still kept %d)", tag,
                           s->custody_ids, s->sent, s->kept);
        } else if (s->typed && s->sent == 0 && !s->kept) {
            f->lost++;
            g_test_message("LOST: %s (typed, never sent, not kept)", tag);
        } else if (s->sent == 0 && s->outcome) {
            f->lost++;
            g_test_message("LOST: %s (journaled as sent, never on the network)", tag);
        }
        return;
    }
    if (!s->delivered && s->shown == 0 && s->custody_ids == 0)
        return;
    f->in_checked++;
    f->shown += s->shown > 0;
    f->kept_in += s->shown == 0 && s->kept;
    f->marked_unshown += s->shown == 0 && s->kept && s->marked;
    if (kept_marked_after_kill(s, s->shown)) {
        /* Shown, killed before "released" was journaled: kept marked, and
         * "release" (all) leaves it. */
        f->marked_shown++;
        g_test_message("shown, killed, kept marked \"may already be in the conversation\": %s",
                       tag);
    } else if (s->custody_ids > 1 || s->shown > 1 || (s->shown == 1 && s->kept)) {
        f->duplicated++;
        g_test_message("DUPLICATED: %s (taken %u times, shown %u times, still kept %d)", tag,
                       s->custody_ids, s->shown, s->kept);
    } else if (s->delivered && s->shown == 0 && !s->kept) {
        f->lost++;
        g_test_message("LOST: %s (delivered, never shown, not kept)", tag);
    } else if (s->shown == 0 && s->outcome) {
        f->lost++;
        g_test_message("LOST: %s (journaled as shown, never shown)", tag);
    }
}

#endif /* AJAR_CRASH_JUDGE_H */
