/* bench-journal.c — writing a large, realistic journal quickly: events are
 * encoded by the core (so every line is one the plugin could have written)
 * and written in large blocks. */
#include "bench-journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ajar/ajar-event.h"

static const char *const buddies[] = { "sam@example.org", "sam@example.org/phone",
                                       "mum@example.org", "sky@example.org", "alex@example.org" };
static const char *const rules_for_buddy[] = { "Sam", "Sam", "Family", "Sky", "Family" };

static const char *const words[] = {
    "are",   "you",  "awake", "I",       "miss", "us", "can",       "we",    "talk", "tonight",
    "sorry", "café", "later", "hôpital", "home", "😊",  "<b>ok</b>", "&amp;", "why",  "again",
};

static void
make_id(GRand *rand, gint64 unix_us, char out[27])
{
    static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    guint64 hi = ((guint64)(unix_us / 1000) << 16) | (g_rand_int(rand) & 0xffff);
    guint64 lo = ((guint64)g_rand_int(rand) << 32) | g_rand_int(rand);

    for (int i = 25; i >= 0; i--) {
        out[i] = crockford[lo & 31];
        lo = (lo >> 5) | (hi << 59);
        hi >>= 5;
    }
    out[26] = '\0';
}

static void
make_text(GRand *rand, GString *text)
{
    guint target = (guint)g_rand_int_range(rand, 10, 300);

    g_string_truncate(text, 0);
    while (text->len < target) {
        if (text->len > 0)
            g_string_append_c(text, ' ');
        g_string_append(text, words[g_rand_int_range(rand, 0, G_N_ELEMENTS(words))]);
    }
}

static gboolean
flush_block(int fd, GString *block, const char *path)
{
    gsize done = 0;

    while (done < block->len) {
        ssize_t n = write(fd, block->str + done, block->len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            g_printerr("%s: cannot write: %s\n", path, g_strerror(errno));
            return FALSE;
        }
        done += (gsize)n;
    }
    g_string_truncate(block, 0);
    return TRUE;
}

static gint64 generate(const char *path, guint64 events, double custody_percent);

gint64
bench_journal_generate(const char *path, guint64 events)
{
    return generate(path, events, -1);
}

gint64
bench_journal_generate_custody(const char *path, guint64 events, double custody_percent)
{
    return generate(path, events, custody_percent);
}

/* @custody_percent < 0: the usual mix of outcomes. */
static gint64
generate(const char *path, guint64 events, double custody_percent)
{
    g_autoptr(GRand) rand = g_rand_new_with_seed(20261127);
    g_autoptr(GString) block = g_string_sized_new(1 << 20);
    g_autoptr(GString) text = g_string_new(NULL);
    /* One message every ~3 minutes, ending now: 10^6 events are ~5 years. */
    gint64 ts = g_get_real_time() - (gint64)events * 180 * G_USEC_PER_SEC;
    guint64 seq = 0;
    int fd;

    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        g_printerr("%s: cannot create: %s\n", path, g_strerror(errno));
        return -1;
    }
    while (seq < events) {
        guint pick = (guint)g_rand_int_range(rand, 0, 100);
        guint who = (guint)g_rand_int_range(rand, 0, G_N_ELEMENTS(buddies));
        g_autoptr(AjarEvent) custody = NULL;
        g_autoptr(AjarEvent) outcome = NULL;
        char id[27];

        ts += (gint64)g_rand_int_range(rand, 1, 360) * G_USEC_PER_SEC;
        if (pick < 5) {
            /* A keyword let theirs through, or one of yours passed. */
            custody = ajar_event_new(pick < 2 ? AJAR_EVENT_PASSED : AJAR_EVENT_SENT);
            custody->rule = g_strdup(rules_for_buddy[who]);
            if (pick < 2) {
                make_id(rand, ts, id);
                custody->id = g_strdup(id);
                custody->has_dir = TRUE;
                custody->dir = AJAR_DIRECTION_IN;
            }
        } else {
            AjarEventType type, done;
            AjarDirection dir = AJAR_DIRECTION_IN;
            guint fate = (guint)g_rand_int_range(rand, 0, 100);

            if (pick < 60) {
                type = AJAR_EVENT_HELD;
                done = fate < 80 ? AJAR_EVENT_RELEASED : fate < 90 ? AJAR_EVENT_DISCARDED : 0;
            } else if (pick < 75) {
                type = AJAR_EVENT_ARCHIVED;
                done = fate < 70 ? AJAR_EVENT_READ : 0;
            } else if (pick < 85) {
                type = AJAR_EVENT_DELAYED;
                done = fate < 97 ? AJAR_EVENT_DELIVERED : 0;
            } else {
                type = AJAR_EVENT_QUEUED;
                dir = AJAR_DIRECTION_OUT;
                done = fate < 60 ? AJAR_EVENT_SENT : fate < 95 ? AJAR_EVENT_CANCELLED : 0;
            }
            if (custody_percent >= 0) {
                /* Kept (about custody_percent %), else ended. */
                if (g_rand_double(rand) * 100 < custody_percent)
                    done = type == AJAR_EVENT_ARCHIVED ? AJAR_EVENT_READ : 0;
                else if (type == AJAR_EVENT_HELD)
                    done = fate < 90 ? AJAR_EVENT_RELEASED : AJAR_EVENT_DISCARDED;
                else if (type == AJAR_EVENT_ARCHIVED)
                    done = AJAR_EVENT_RELEASED;
                else if (type == AJAR_EVENT_DELAYED)
                    done = AJAR_EVENT_DELIVERED;
                else
                    done = AJAR_EVENT_SENT;
            }
            make_id(rand, ts, id);
            make_text(rand, text);
            custody = ajar_event_new(type);
            custody->id = g_strdup(id);
            custody->has_dir = TRUE;
            custody->dir = dir;
            custody->account = g_strdup("me@example.org/Home");
            custody->protocol = g_strdup("prpl-jabber");
            custody->buddy = g_strdup(buddies[who]);
            custody->rule = g_strdup(rules_for_buddy[who]);
            custody->time = ts - ts % G_USEC_PER_SEC;
            custody->text = g_strndup(text->str, text->len);
            custody->text_len = text->len;
            if (type == AJAR_EVENT_DELAYED || type == AJAR_EVENT_QUEUED)
                custody->due = custody->time + 600 * G_USEC_PER_SEC;
            if (done != 0 && seq + 1 < events) {
                outcome = ajar_event_new(done);
                outcome->id = g_strdup(id);
            }
        }
        custody->seq = (gint64)++seq;
        custody->ts = ts - ts % 1000;
        ajar_event_encode(custody, block);
        if (outcome != NULL) {
            /* Up to 6 minutes later, as the messages come: the journal
             * ends about now. (Up to an hour, as it was once meant, would
             * carry 10^6 events 30 years past now; while the product
             * overflowed an int, it scattered them back and forth.) */
            ts += (gint64)g_rand_int_range(rand, 1, 360) * G_USEC_PER_SEC;
            outcome->seq = (gint64)++seq;
            outcome->ts = ts - ts % 1000;
            ajar_event_encode(outcome, block);
        }
        if (block->len >= (1 << 20) && !flush_block(fd, block, path)) {
            close(fd);
            return -1;
        }
    }
    if (!flush_block(fd, block, path) || close(fd) != 0) {
        g_printerr("%s: cannot write: %s\n", path, g_strerror(errno));
        return -1;
    }
    {
        GStatBuf st;
        if (g_stat(path, &st) != 0)
            return -1;
        return (gint64)st.st_size;
    }
}
