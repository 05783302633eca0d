/* ajar-summary.c — the "summary" event's figures: taken from a state,
 * written into a line, read back from one (strictly), and copied. Applying
 * one to a state is ajar-state-summary.c's. */
#include "ajar/ajar-summary.h"

#include <stdlib.h>
#include <string.h>

#include "ajar/ajar-i18n.h"
#include "ajar/ajar-json.h"
#include "ajar-event-private.h"

void
ajar_summary_free(AjarSummary *summary)
{
    if (summary == NULL)
        return;
    for (guint i = 0; i < summary->n_rules; i++)
        g_free(summary->rules[i].rule);
    g_free(summary->rules);
    g_free(summary->last_id);
    g_free(summary);
}

AjarSummary *
ajar_summary_copy(const AjarSummary *summary)
{
    AjarSummary *copy;

    g_return_val_if_fail(summary != NULL, NULL);
    copy = g_new0(AjarSummary, 1);
    copy->last_id = g_strdup(summary->last_id);
    copy->orphans = summary->orphans;
    copy->n_rules = summary->n_rules;
    copy->rules = g_new0(AjarSummaryRule, MAX(summary->n_rules, 1));
    for (guint i = 0; i < summary->n_rules; i++) {
        copy->rules[i] = summary->rules[i];
        copy->rules[i].rule = g_strdup(summary->rules[i].rule);
    }
    return copy;
}

static gint
compare_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

AjarSummary *
ajar_summary_from_state(const AjarState *state)
{
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
    g_autoptr(GPtrArray) names = NULL;
    g_autoptr(GPtrArray) items = NULL;
    AjarSummary *summary;

    g_return_val_if_fail(state != NULL, NULL);
    names = ajar_state_list_rule_names(state);
    for (guint i = 0; i < names->len; i++)
        g_hash_table_add(seen, g_ptr_array_index(names, i));
    /* A rule the statistics list only because a message names it (one
     * given to it by "assigned", say) must stay listed once that message
     * has moved to history. */
    items = ajar_state_list(state);
    for (guint i = 0; i < items->len; i++) {
        const AjarItem *item = g_ptr_array_index(items, i);
        if (item->rule != NULL && g_hash_table_add(seen, item->rule))
            g_ptr_array_add(names, item->rule);
    }
    g_ptr_array_sort(names, compare_names);

    summary = g_new0(AjarSummary, 1);
    summary->last_id = g_strdup(ajar_state_get_last_id(state));
    summary->orphans = ajar_state_get_orphans(state);
    summary->n_rules = names->len;
    summary->rules = g_new0(AjarSummaryRule, MAX(names->len, 1));
    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        const AjarRuleCounters *counters = ajar_state_get_counters(state, name);
        AjarSummaryRule *rule = &summary->rules[i];

        rule->rule = g_strdup(name);
        if (counters != NULL)
            rule->counters = *counters;
        rule->held_back = ajar_state_count_held_back(state, name);
    }
    return summary;
}

/* ---- the line ---- */

/* The counters by their names in the line, in the order they are written. */
typedef enum {
    KEY_HELD,
    KEY_ARCHIVED,
    KEY_DELAYED,
    KEY_QUEUED,
    KEY_LETTERS,
    KEY_CANCELLED,
    KEY_DISCARDED,
    KEY_SENT,
    KEY_PASSED,
    KEY_ATTENTION,
    KEY_HELD_BACK,
    N_COUNT_KEYS,
} CountKey;

static const char *const count_keys[N_COUNT_KEYS] = {
    /* no i18n begin: the journal's keys */
    "held",      "archived", "delayed", "queued",    "letters",   "cancelled",
    "discarded", "sent",     "passed",  "attention", "held_back",
    /* no i18n end */
};

static guint *
count_field(AjarSummaryRule *rule, CountKey key)
{
    AjarRuleCounters *c = &rule->counters;

    switch (key) {
    case KEY_HELD: return &c->held;
    case KEY_ARCHIVED: return &c->archived;
    case KEY_DELAYED: return &c->delayed;
    case KEY_QUEUED: return &c->queued;
    case KEY_LETTERS: return &c->letters;
    case KEY_CANCELLED: return &c->cancelled;
    case KEY_DISCARDED: return &c->discarded;
    case KEY_SENT: return &c->sent;
    case KEY_PASSED: return &c->passed;
    case KEY_ATTENTION: return &c->attention;
    case KEY_HELD_BACK:
    default: return &rule->held_back;
    }
}

/* A time as exactly as it is: whole seconds, else millis, else micros. */
static char *
format_precise(gint64 unix_us)
{
    gint64 frac = unix_us % G_USEC_PER_SEC;
    g_autofree char *secs = NULL;

    if (frac < 0)
        frac += G_USEC_PER_SEC;
    if (frac % 1000 == 0)
        return ajar_time_format_utc(unix_us, frac != 0);
    secs = ajar_time_format_utc(unix_us - frac, FALSE);
    secs[strlen(secs) - 1] = '\0'; /* the "Z" */
    return g_strdup_printf("%s.%06" G_GINT64_FORMAT "Z", secs, frac);
}

void
ajar_summary_encode(const AjarSummary *summary, GString *out)
{
    g_return_if_fail(summary != NULL && out != NULL);
    if (summary->last_id != NULL) {
        g_string_append(out, ",\"last_id\":");
        ajar_json_append_string(out, summary->last_id, -1);
    }
    if (summary->orphans > 0)
        g_string_append_printf(out, ",\"orphans\":%u", summary->orphans);
    g_string_append(out, ",\"rules\":{");
    for (guint i = 0; i < summary->n_rules; i++) {
        AjarSummaryRule *rule = &summary->rules[i];
        gboolean first = TRUE;

        if (i > 0)
            g_string_append_c(out, ',');
        ajar_json_append_string(out, rule->rule, -1);
        g_string_append(out, ":{");
        for (int key = 0; key < N_COUNT_KEYS; key++) {
            guint value = *count_field(rule, (CountKey)key);
            if (value == 0)
                continue;
            g_string_append_printf(out, "%s\"%s\":%u", first ? "" : ",", count_keys[key], value);
            first = FALSE;
        }
        if (rule->counters.last_sent != 0) {
            g_autofree char *when = format_precise(rule->counters.last_sent);
            g_string_append_printf(out, "%s\"last_sent\":\"%s\"", first ? "" : ",", when);
        }
        g_string_append_c(out, '}');
    }
    g_string_append_c(out, '}');
}

/* ---- reading it back (the strict reader's tree) ---- */

static gboolean
read_count(const AjarJsonValue *value, const char *path, guint *out, GError **error)
{
    if (value->type != AJAR_JSON_NUMBER || !value->is_integer || value->integer < 0 ||
        value->integer > G_MAXUINT)
        /* TRANSLATORS: %s is where in a summary line ("rules.Sam.held",
         * "orphans"); the number is the largest allowed. */
        return ajar_event_fail(error, _("%s: must be a whole number from 0 to 4294967295"), path);
    *out = (guint)value->integer;
    return TRUE;
}

static gboolean
read_rule(const AjarJsonValue *value, AjarSummaryRule *rule, GError **error)
{
    g_autofree char *where = g_strdup_printf("rules.%s", rule->rule); /* no i18n: a key path */

    if (value->type != AJAR_JSON_OBJECT)
        /* TRANSLATORS: %1$s is where in a summary line ("rules.Sam"), %2$s
         * the kind of value found instead ("a list"). */
        return ajar_event_fail(error, _("%s: must be an object of counters, not %s"), where,
                               ajar_json_type_name(value->type));
    for (guint i = 0; i < value->items->len; i++) {
        const AjarJsonValue *member = g_ptr_array_index(value->items, i);
        g_autofree char *path = g_strdup_printf("%s.%s", where, member->key); /* no i18n */

        if (strcmp(member->key, "last_sent") == 0) { /* no i18n: the journal's key */
            if (member->type != AJAR_JSON_STRING ||
                memchr(member->string, '\0', member->string_len) != NULL ||
                !ajar_time_parse_iso8601(member->string, &rule->counters.last_sent))
                /* TRANSLATORS: %s is where in a summary line; keep the example. */
                return ajar_event_fail(error,
                                       _("%s: must be a time with a UTC offset, like "
                                         "2026-11-27T21:04:09Z"),
                                       path);
            continue;
        }
        for (int key = 0; key < N_COUNT_KEYS; key++) {
            if (strcmp(member->key, count_keys[key]) == 0 &&
                !read_count(member, path, count_field(rule, (CountKey)key), error))
                return FALSE;
        }
        /* Other keys: a newer version's figures, ignored. */
    }
    return TRUE;
}

static gint
compare_rules(gconstpointer a, gconstpointer b)
{
    return strcmp(((const AjarSummaryRule *)a)->rule, ((const AjarSummaryRule *)b)->rule);
}

gboolean
ajar_summary_from_json(const AjarJsonValue *root, AjarSummary **out, GError **error)
{
    g_autoptr(AjarSummary) summary = g_new0(AjarSummary, 1);
    const AjarJsonValue *last_id = ajar_json_object_get(root, "last_id"); /* no i18n */
    const AjarJsonValue *orphans = ajar_json_object_get(root, "orphans"); /* no i18n */
    const AjarJsonValue *rules = ajar_json_object_get(root, "rules");     /* no i18n */

    *out = NULL;
    if (last_id != NULL) {
        if (last_id->type != AJAR_JSON_STRING ||
            memchr(last_id->string, '\0', last_id->string_len) != NULL)
            /* TRANSLATORS: last_id is a field of a journal line. */
            return ajar_event_fail(error, _("last_id: must be a message id (a string)"));
        summary->last_id = g_strdup(last_id->string);
    }
    if (orphans != NULL && !read_count(orphans, "orphans", &summary->orphans, error))
        return FALSE;
    if (rules != NULL && rules->type != AJAR_JSON_OBJECT)
        /* TRANSLATORS: rules is a field of a journal line; %s the kind of
         * value found instead ("a list"). */
        return ajar_event_fail(error, _("rules: must be an object of rules, not %s"),
                               ajar_json_type_name(rules->type));
    summary->n_rules = rules != NULL ? rules->items->len : 0;
    summary->rules = g_new0(AjarSummaryRule, MAX(summary->n_rules, 1));
    for (guint i = 0; i < summary->n_rules; i++) {
        const AjarJsonValue *member = g_ptr_array_index(rules->items, i);
        AjarSummaryRule *rule = &summary->rules[i];

        if (member->key_len == 0 || memchr(member->key, '\0', member->key_len) != NULL)
            /* TRANSLATORS: rules is a field of a journal line. */
            return ajar_event_fail(error,
                                   _("rules: a rule's name must not be empty or contain a NUL"));
        rule->rule = g_strdup(member->key);
        if (!read_rule(member, rule, error))
            return FALSE;
    }
    /* (The reader refuses a key twice in one object: names are unique.) */
    qsort(summary->rules, summary->n_rules, sizeof *summary->rules, compare_rules);
    *out = g_steal_pointer(&summary);
    return TRUE;
}
