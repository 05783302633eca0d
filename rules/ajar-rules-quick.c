/* ajar-rules-quick.c — the question every message asks first: which rule,
 * if any, names this sender on this account. Every message of every
 * account asks it, and almost every one is from someone no rule names, so
 * once a sender has been seen the answer costs no normalizing and no
 * string hashing (g_str_hash() alone was 270 instructions a message):
 *
 * - per sender as given, in an open-addressing table of the set's own,
 *   hashed eight bytes at a time (seeded per set, so senders cannot be
 *   chosen to collide): whether any buddy entry names them at all, in any
 *   form a protocol of the set gives their name. Most senders are named by
 *   none: then no rule is about them on any account, and, unless the set
 *   has "stranger" entries, that is the whole answer;
 * - per (account, protocol) as given, a record made on its first message:
 *   whether any buddy entry can match that account at all (if not, no
 *   rule is about anyone there), the first rule with a "stranger" entry
 *   for it (so the plugin only finds out whether a sender is a stranger
 *   when that can matter), and, for the senders some entry names, the rule
 *   each got from the full lookup (ajar_rules_find_index_uncached(),
 *   ajar-rules.c: the protocol's normalizer, NFKC and case folding, the
 *   index by buddy, the entries' accounts).
 *
 * A set never changes, so no answer goes stale: reading rules.json again,
 * an /ajar command or a menu edit makes a new set, whose tables start
 * empty. Bounded: QUICK_MAX_ACCOUNTS records and QUICK_MAX_SENDERS senders
 * a table; past that a table starts afresh. */
#include "ajar-rules-private.h"

#include <string.h>

#define QUICK_MAX_ACCOUNTS 64
#define QUICK_MAX_SENDERS 4096
#define QUICK_FIRST_SLOTS 16
/* Not worked out yet: a record's stranger rule, or whether a sender seen
 * only on accounts no entry can match is named. */
#define QUICK_UNKNOWN (-2)

typedef struct {
    char *name; /* as given; NULL: an empty slot */
    guint64 hash;
    guint32 len;
    gint32 value; /* what was worked out for it */
} QuickSlot;

struct _AjarQuickTable {
    QuickSlot *slots; /* NULL until a name is added */
    guint mask;       /* slots - 1 */
    guint used;
};

/* Per (account, protocol) as given. */
struct _AjarQuickAccount {
    char *account;  /* as given, nullable */
    char *protocol; /* as given, nullable */
    gboolean any_entry;
    int stranger_rule;    /* QUICK_UNKNOWN until asked for */
    AjarQuickTable rules; /* named sender -> rule index or -1 */
};

static void
quick_table_clear(AjarQuickTable *table)
{
    for (guint i = 0; table->slots != NULL && i <= table->mask; i++)
        g_free(table->slots[i].name);
    g_clear_pointer(&table->slots, g_free);
    table->mask = 0;
    table->used = 0;
}

static void
quick_account_free(gpointer data)
{
    AjarQuickAccount *record = data;

    quick_table_clear(&record->rules);
    g_free(record->account);
    g_free(record->protocol);
    g_free(record);
}

void
ajar_rules_quick_init(AjarRuleSet *set)
{
    set->quick_named = g_new0(AjarQuickTable, 1);
    set->quick_accounts = g_ptr_array_new_with_free_func(quick_account_free);
    set->quick_seed = (guint64)g_random_int() << 32 | g_random_int();
}

void
ajar_rules_quick_clear(AjarRuleSet *set)
{
    set->quick_last = NULL;
    g_clear_pointer(&set->quick_accounts, g_ptr_array_unref);
    if (set->quick_named != NULL)
        quick_table_clear(set->quick_named);
    g_clear_pointer(&set->quick_named, g_free);
}

static inline guint64
read64(const char *p)
{
    guint64 word;

    memcpy(&word, p, sizeof word);
    return word;
}

static inline guint64
read32(const char *p)
{
    guint32 word;

    memcpy(&word, p, sizeof word);
    return word;
}

static inline guint64
quick_hash(guint64 seed, const char *name, gsize len)
{
    const guint64 k = G_GUINT64_CONSTANT(0x9e3779b97f4a7c15);
    guint64 h = seed ^ (len * k);

    /* Whole words, the last one overlapping the one before: never a byte
     * past the name, and no loop over the tail. Each step is a bijection of
     * h, so two names of one length that differ in one word never collide. */
    if (len >= 8) {
        const char *last = name + len - 8;
        for (const char *p = name; p < last; p += 8)
            h = (h ^ read64(p)) * k;
        h = (h ^ read64(last)) * k;
    } else if (len >= 4) {
        h = (h ^ (read32(name) << 32 | read32(name + len - 4))) * k;
    } else if (len > 0) {
        h = (h ^ ((guint64)(guint8)name[0] << 16 | (guint64)(guint8)name[len / 2] << 8 |
                  (guint8)name[len - 1])) *
            k;
    }
    /* The high bits, where the multiplications carried every byte, down to
     * the low ones (the slot index). */
    h ^= h >> 32;
    h *= k;
    return h ^ (h >> 29);
}

guint64
ajar_rules_quick_hash(guint64 seed, const char *name, gsize len)
{
    return quick_hash(seed, name, len);
}

/* @a and @b, both @len bytes long, hold the same bytes: a word at a time,
 * as they were hashed, without a call. */
static inline gboolean
same_bytes(const char *a, const char *b, gsize len)
{
    if (len >= 8) {
        gsize last = len - 8;
        for (gsize i = 0; i < last; i += 8) {
            if (read64(a + i) != read64(b + i))
                return FALSE;
        }
        return read64(a + last) == read64(b + last);
    }
    if (len >= 4)
        return read32(a) == read32(b) && read32(a + len - 4) == read32(b + len - 4);
    return memcmp(a, b, len) == 0;
}

/* Returns: (transfer none) (nullable): @name's slot in @table, valid until
 * the next quick_add() to it. */
static inline QuickSlot *
quick_find(const AjarQuickTable *table, const char *name, gsize len, guint64 hash)
{
    if (G_UNLIKELY(table->slots == NULL))
        return NULL;
    for (guint slot = (guint)hash & table->mask;; slot = (slot + 1) & table->mask) {
        QuickSlot *found = &table->slots[slot];

        if (found->name == NULL)
            return NULL;
        if (found->hash == hash && found->len == len && same_bytes(found->name, name, len))
            return found;
    }
}

static void
quick_grow(AjarQuickTable *table)
{
    QuickSlot *old = table->slots;
    guint old_mask = table->mask;
    guint size = old != NULL ? (old_mask + 1) * 2 : QUICK_FIRST_SLOTS;

    table->slots = g_new0(QuickSlot, size);
    table->mask = size - 1;
    for (guint i = 0; old != NULL && i <= old_mask; i++) {
        guint slot = (guint)old[i].hash & table->mask;

        if (old[i].name == NULL)
            continue;
        while (table->slots[slot].name != NULL)
            slot = (slot + 1) & table->mask;
        table->slots[slot] = old[i];
    }
    g_free(old);
}

/* Remembers @value for @name (@len bytes, not in @table, hashed @hash). */
static void
quick_add(AjarQuickTable *table, const char *name, gsize len, guint64 hash, int value)
{
    QuickSlot *added;
    guint slot;

    if (table->used >= QUICK_MAX_SENDERS)
        quick_table_clear(table);
    /* At most half full: a miss ends at an empty slot soon. */
    if (table->slots == NULL || (table->used + 1) * 2 > table->mask + 1)
        quick_grow(table);
    slot = (guint)hash & table->mask;
    while (table->slots[slot].name != NULL)
        slot = (slot + 1) & table->mask;
    added = &table->slots[slot];
    added->name = g_strndup(name, len);
    added->hash = hash;
    added->len = (guint32)len;
    added->value = value;
    table->used++;
}

static inline gboolean
same_name(const char *a, const char *b)
{
    return a != NULL && b != NULL ? strcmp(a, b) == 0 : a == b;
}

/* Returns: (transfer none): the record of @account on @protocol, made on
 * first use. */
static AjarQuickAccount *
quick_account(const AjarRuleSet *set, const char *account, const char *protocol)
{
    AjarRuleSet *cache = (AjarRuleSet *)set; /* a cache: see ajar-rules-private.h */
    GPtrArray *records = set->quick_accounts;
    AjarQuickAccount *record = set->quick_last;

    /* Messages come in runs from one account: the record used last first.
     * Names are compared, never their pointers: an account's name is freed
     * and made anew when the user renames it. */
    if (record != NULL && same_name(record->account, account) &&
        same_name(record->protocol, protocol))
        return record;
    for (guint i = 0; i < records->len; i++) {
        record = records->pdata[i];
        if (same_name(record->account, account) && same_name(record->protocol, protocol))
            return cache->quick_last = record;
    }
    if (records->len >= QUICK_MAX_ACCOUNTS)
        g_ptr_array_set_size(records, 0);
    record = g_new0(AjarQuickAccount, 1);
    record->account = g_strdup(account);
    record->protocol = g_strdup(protocol);
    record->any_entry = ajar_rules_account_has_entries(set, account, protocol);
    record->stranger_rule = QUICK_UNKNOWN;
    g_ptr_array_add(records, record);
    return cache->quick_last = record;
}

/* The slow half of ajar_rules_lookup(): @buddy (nullable; @len bytes,
 * hashed @hash) has @named_slot (nullable: not seen yet) in the set's
 * table of who is named at all. */
static G_GNUC_NO_INLINE int
quick_by_account(const AjarRuleSet *set, const char *account, const char *protocol,
                 const char *buddy, gsize len, guint64 hash, QuickSlot *named_slot,
                 gboolean *strangers)
{
    AjarQuickAccount *record = quick_account(set, account, protocol);
    AjarFacts facts = { 0 };
    const QuickSlot *found;
    gboolean named;
    int rule;

    facts.direction = AJAR_DIRECTION_IN;
    facts.account = account;
    facts.protocol = protocol;
    facts.buddy = buddy;
    if (strangers != NULL) {
        /* Only when asked: the entries' accounts are compared normalized. */
        if (record->stranger_rule == QUICK_UNKNOWN)
            record->stranger_rule = ajar_rules_find_stranger(set, &facts);
        *strangers = record->stranger_rule >= 0;
    }
    if (buddy == NULL)
        return -1;
    if (len > G_MAXUINT32)
        return record->any_entry ? ajar_rules_find_index_uncached(set, &facts) : -1;
    if (!record->any_entry) {
        /* No entry can match this account: nobody's name is normalized
         * for it, not even once. */
        if (named_slot == NULL)
            quick_add(set->quick_named, buddy, len, hash, QUICK_UNKNOWN);
        return -1;
    }
    if (named_slot != NULL && named_slot->value != QUICK_UNKNOWN) {
        named = named_slot->value;
    } else {
        named = ajar_rules_buddy_is_named(set, buddy);
        if (named_slot != NULL)
            named_slot->value = named;
        else
            quick_add(set->quick_named, buddy, len, hash, named);
    }
    if (!named)
        return -1;
    found = quick_find(&record->rules, buddy, len, hash);
    if (found != NULL)
        return found->value;
    rule = ajar_rules_find_index_uncached(set, &facts);
    quick_add(&record->rules, buddy, len, hash, rule);
    return rule;
}

int
ajar_rules_lookup(const AjarRuleSet *rules, const char *account, const char *protocol,
                  const char *buddy, gboolean *strangers)
{
    QuickSlot *named = NULL;
    gsize len = 0;
    guint64 hash = 0;

    g_return_val_if_fail(rules != NULL, -1);
    if (G_LIKELY(buddy != NULL) && !rules->names_nobody) {
        len = strlen(buddy);
        hash = quick_hash(rules->quick_seed, buddy, len);
        named = quick_find(rules->quick_named, buddy, len, hash);
        /* Named by no entry, and no "stranger" entry: nothing about the
         * account matters. The message of almost everyone ends here. */
        if (named != NULL && named->value == FALSE && !rules->names_strangers) {
            if (strangers != NULL)
                *strangers = FALSE;
            return -1;
        }
    } else if (!rules->names_strangers) {
        if (strangers != NULL)
            *strangers = FALSE;
        return -1;
    }
    return quick_by_account(rules, account, protocol, buddy, len, hash, named, strangers);
}

int
ajar_rules_find_index(const AjarRuleSet *set, const AjarFacts *facts)
{
    if (facts->buddy == NULL || set->entries->len == 0)
        return -1;
    return ajar_rules_lookup(set, facts->account, facts->protocol, facts->buddy, NULL);
}
