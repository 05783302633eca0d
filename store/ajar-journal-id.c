/* ajar-journal-id.c — message ids: ULID layout (48 bits of milliseconds,
 * 80 random bits), always after every id the journal has seen. */
#include <string.h>

#include "ajar-journal-private.h"

#define ULID_LENGTH 26

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static void
id_encode(guint64 hi, guint64 lo, char out[ULID_LENGTH + 1])
{
    /* 26 base32 digits hold 130 bits; the top two are zero. */
    for (int i = ULID_LENGTH - 1; i >= 0; i--) {
        out[i] = crockford[lo & 31];
        lo = (lo >> 5) | (hi << 59);
        hi >>= 5;
    }
    out[ULID_LENGTH] = '\0';
}

static gboolean
id_decode(const char *id, guint64 *hi, guint64 *lo)
{
    guint64 h = 0, l = 0;

    if (id == NULL || strlen(id) != ULID_LENGTH || id[0] > '7')
        return FALSE;
    for (int i = 0; i < ULID_LENGTH; i++) {
        const char *digit = strchr(crockford, id[i]);
        if (digit == NULL || id[i] == '\0')
            return FALSE;
        h = (h << 5) | (l >> 59);
        l = (l << 5) | (guint64)(digit - crockford);
    }
    *hi = h;
    *lo = l;
    return TRUE;
}

/* Sets *@hi:*@lo to an id after @last_hi:@last_lo, a random step of up to
 * 2^70 (at least 2^69) further, so that ids made in one burst (one millisecond) still differ
 * within their first 13 characters, which keeps the short ids people type
 * short. (A step of 1, the ULID spec's, makes them differ only in the last.)
 * A burst of some 700 ids carries into the time part, which stays a
 * millisecond or so ahead. Returns FALSE, changing nothing, when no id is
 * left after the last one. */
static gboolean
next_after(guint64 last_hi, guint64 last_lo, guint64 *hi, guint64 *lo)
{
    guint64 step_lo = ((guint64)g_random_int() << 32) | g_random_int() | 1;
    guint64 step_hi = 0x20 | (g_random_int() & 0x1f); /* a step of at least 2^69 */
    guint64 new_lo = last_lo + step_lo;
    guint64 new_hi = last_hi + step_hi + (new_lo < last_lo ? 1 : 0);

    if (new_hi < last_hi)
        return FALSE;
    *hi = new_hi;
    *lo = new_lo;
    return TRUE;
}

char *
ajar_id_clock_next(AjarIdClock *clock, const AjarState *state, gint64 now)
{
    const guint64 max_ms = (G_GUINT64_CONSTANT(1) << 48) - 1;
    guint64 ms, hi, lo, seen_hi, seen_lo;
    char out[ULID_LENGTH + 1];

    g_return_val_if_fail(clock != NULL && state != NULL, NULL);
    ms = now <= 0 ? 0 : MIN((guint64)now / 1000, max_ms);

    /* The greatest id known: made here, or read from the journal (which
     * also holds ids written by an earlier run with a faster clock). */
    if (id_decode(ajar_state_get_last_id(state), &seen_hi, &seen_lo) &&
        (!clock->have_last || seen_hi > clock->hi ||
         (seen_hi == clock->hi && seen_lo > clock->lo))) {
        clock->have_last = TRUE;
        clock->hi = seen_hi;
        clock->lo = seen_lo;
    }

    if (clock->have_last && ms <= clock->hi >> 16 && next_after(clock->hi, clock->lo, &hi, &lo)) {
        /* Same millisecond, or the clock went back: an id after the last
         * one. */
    } else {
        hi = (ms << 16) | (g_random_int() & 0xffff);
        lo = ((guint64)g_random_int() << 32) | g_random_int();
    }
    id_encode(hi, lo, out);
    /* Never an id a kept message already has: a new message under it would
     * overwrite the old one. Only a journal holding the greatest id there is
     * (after which the next would wrap to the smallest) gets here; its new
     * ids cannot sort after that one, but they stay unique. */
    while (ajar_state_lookup(state, out) != NULL) {
        hi = (ms << 16) | (g_random_int() & 0xffff);
        lo = ((guint64)g_random_int() << 32) | g_random_int();
        id_encode(hi, lo, out);
    }
    clock->have_last = TRUE;
    clock->hi = hi;
    clock->lo = lo;
    return g_strdup(out);
}

void
ajar_id_clock_seed(AjarIdClock *clock, const char *id)
{
    guint64 hi, lo;

    if (id_decode(id, &hi, &lo) &&
        (!clock->have_last || hi > clock->hi || (hi == clock->hi && lo > clock->lo))) {
        clock->have_last = TRUE;
        clock->hi = hi;
        clock->lo = lo;
    }
}
