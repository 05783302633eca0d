/* ajar-state-items.c — where a state keeps its items: in blocks of
 * ITEMS_PER_BLOCK (no allocation per message; the blocks' untouched pages
 * cost nothing), in the order first seen, their ids packed in chunks, and
 * found by id through an open-addressing table of (hash, index) pairs.
 * A journal of years holds hundreds of thousands of messages: a malloc'd
 * item and a GHashTable node each cost a third again. */
#include <string.h>

#include "ajar-state-private.h"

#define ITEMS_PER_BLOCK 4096
#define ID_CHUNK 65536

/* Eight bytes at a time (g_str_hash() spends a multiply and a branch on
 * each byte): a replay looks every line's id up. Every bit of the id
 * reaches the result. */
static guint32
id_hash(const char *id, gsize len)
{
    const guint64 mix = G_GUINT64_CONSTANT(0x9E3779B97F4A7C15);
    const char *p = id;
    guint64 hash = len * mix, word;

    for (; len >= 8; p += 8, len -= 8) {
        memcpy(&word, p, sizeof word);
        hash = (hash ^ word) * mix;
        hash ^= hash >> 29;
    }
    word = 0;
    memcpy(&word, p, len);
    hash = (hash ^ word) * mix;
    hash ^= hash >> 32;
    return (guint32)hash;
}

void
ajar_state_items_init(StateItems *items)
{
    memset(items, 0, sizeof *items);
    items->mask = 1023;
    items->slots = g_new0(StateSlot, items->mask + 1);
    items->id_chunks = g_ptr_array_new_with_free_func(g_free);
}

void
ajar_state_items_clear(StateItems *items)
{
    for (guint b = 0; b < items->n_blocks; b++)
        g_free(items->blocks[b]);
    g_free(items->blocks);
    g_free(items->slots);
    g_ptr_array_unref(items->id_chunks);
    memset(items, 0, sizeof *items);
}

StateItem *
ajar_state_items_nth(const StateItems *items, guint index)
{
    return &items->blocks[index / ITEMS_PER_BLOCK][index % ITEMS_PER_BLOCK];
}

StateItem *
ajar_state_items_lookup(const StateItems *items, const char *id)
{
    gsize len = strlen(id);
    guint32 hash = id_hash(id, len);

    for (guint32 slot = hash & items->mask;; slot = (slot + 1) & items->mask) {
        const StateSlot *s = &items->slots[slot];
        StateItem *si;

        if (s->index == 0)
            return NULL;
        if (s->hash != hash)
            continue;
        si = ajar_state_items_nth(items, s->index - 1);
        if (strcmp(si->item.id, id) == 0)
            return si;
    }
}

static void
grow_table(StateItems *items)
{
    guint32 old_mask = items->mask;
    StateSlot *old = items->slots;

    items->mask = old_mask * 2 + 1;
    items->slots = g_new0(StateSlot, (gsize)items->mask + 1);
    for (guint32 i = 0; i <= old_mask; i++) {
        guint32 slot;

        if (old[i].index == 0)
            continue;
        for (slot = old[i].hash & items->mask; items->slots[slot].index != 0;
             slot = (slot + 1) & items->mask)
            ;
        items->slots[slot] = old[i];
    }
    g_free(old);
}

/* A copy of @id (@len bytes and its NUL) among the packed ids. */
static char *
keep_id(StateItems *items, const char *id, gsize len)
{
    char *kept;

    if (len + 1 > items->id_left) {
        gsize size = MAX(ID_CHUNK, len + 1);
        items->id_free = g_malloc(size);
        items->id_left = size;
        g_ptr_array_add(items->id_chunks, items->id_free);
    }
    kept = memcpy(items->id_free, id, len + 1);
    items->id_free += len + 1;
    items->id_left -= len + 1;
    return kept;
}

StateItem *
ajar_state_items_add(StateItems *items, const char *id)
{
    gsize len = strlen(id);
    guint32 hash = id_hash(id, len), slot;
    guint index = items->n_items;
    StateItem *si;

    /* At most three quarters full: probes stay short. */
    if ((gsize)(index + 1) * 4 > ((gsize)items->mask + 1) * 3)
        grow_table(items);
    if (index % ITEMS_PER_BLOCK == 0) {
        if (items->n_blocks == items->blocks_alloc) {
            items->blocks_alloc = MAX(16, items->blocks_alloc * 2);
            items->blocks = g_renew(StateItem *, items->blocks, items->blocks_alloc);
        }
        /* Not zeroed: each item is, as it is taken (pages stay untouched). */
        items->blocks[items->n_blocks++] = g_new(StateItem, ITEMS_PER_BLOCK);
    }
    si = ajar_state_items_nth(items, index);
    memset(si, 0, sizeof *si);
    si->item.id = keep_id(items, id, len);
    for (slot = hash & items->mask; items->slots[slot].index != 0; slot = (slot + 1) & items->mask)
        ;
    items->slots[slot].hash = hash;
    items->slots[slot].index = index + 1;
    items->n_items++;
    return si;
}
