/* ajar-rules-parse.c — rules.json (version 1) text to an AjarRuleSet, with
 * errors a person can act on: "rules.json:7:19: rules[0].incoming.seconds:
 * must be a whole number of seconds from 1 to 31536000". What the file
 * holds is said here; how a value is checked, in ajar-rules-check.c. */
#include "ajar-rules-private.h"

#include <string.h>

#include "ajar/ajar-i18n.h"
#include "ajar/ajar-json.h"
#include "ajar-rules-check.h"
#include "ajar-rules-parse.h"

#define MAX_NAME_BYTES AJAR_RULES_MAX_NAME_BYTES
#define MAX_TEXT_BYTES AJAR_RULES_MAX_TEXT_BYTES

/* The one kind of entry @object is: "buddy", "stranger" or "chat_nick". */
static gboolean
match_kind(AjarRulesCheck *ctx, const AjarJsonValue *object, const char *path,
           const AjarJsonValue **out)
{
    static const char *const kinds[] = { "buddy", "stranger", "chat_nick" };

    *out = NULL;
    for (guint i = 0; i < object->items->len; i++) {
        const AjarJsonValue *member = g_ptr_array_index(object->items, i);
        for (guint k = 0; k < G_N_ELEMENTS(kinds); k++) {
            if (member->key_len != strlen(kinds[k]) ||
                memcmp(member->key, kinds[k], member->key_len) != 0)
                continue;
            if (*out != NULL) {
                g_autofree char *where = ajar_rules_member_path(path, member);
                return ajar_rules_fail(
                    ctx, member->key_line, member->key_column, AJAR_RULES_ERROR_VALUE, where,
                    /* TRANSLATORS: words in double quotes are rules.json's own keys. */
                    _("give only one of \"buddy\", \"stranger\" or \"chat_nick\" in an "
                      "entry"));
            }
            *out = member;
        }
    }
    if (*out == NULL)
        return ajar_rules_fail(ctx, object->line, object->column, AJAR_RULES_ERROR_MISSING, path,
                               /* TRANSLATORS: words in double quotes are rules.json's own keys
                                * and values: keep them as they are. */
                               _("needs \"buddy\", \"stranger\": true or \"chat_nick\""));
    return TRUE;
}

static gboolean
parse_match(AjarRulesCheck *ctx, const AjarJsonValue *object, const char *path, AjarMatch **out)
{
    static const char *const known[] = { "account",   "protocol", "buddy", "stranger",
                                         "chat_nick", "chat",     NULL };
    g_autoptr(AjarMatch) match = g_new0(AjarMatch, 1);
    const AjarJsonValue *value, *kind;
    g_autofree char *kind_path = NULL;

    if (!ajar_rules_expect_type(
            ctx, object, AJAR_JSON_OBJECT, path,
            _("must be an object like {\"buddy\": \"sam@example.org\"}, not %s"),
            AJAR_RULES_FOUND(object)) ||
        !ajar_rules_check_keys(ctx, object, path, known))
        return FALSE;
    if ((value = ajar_json_object_get(object, "account")) != NULL) {
        g_autofree char *where = ajar_rules_key_path(path, "account");
        if (!ajar_rules_get_text(ctx, value, where, MAX_TEXT_BYTES, &match->account))
            return FALSE;
    }
    if ((value = ajar_json_object_get(object, "protocol")) != NULL) {
        g_autofree char *where = ajar_rules_key_path(path, "protocol");
        if (!ajar_rules_get_text(ctx, value, where, MAX_NAME_BYTES, &match->protocol))
            return FALSE;
    }
    if (!match_kind(ctx, object, path, &kind))
        return FALSE;
    kind_path = ajar_rules_member_path(path, kind);
    if (strcmp(kind->key, "buddy") == 0) {
        if (!ajar_rules_get_text(ctx, kind, kind_path, MAX_TEXT_BYTES, &match->buddy))
            return FALSE;
    } else if (strcmp(kind->key, "stranger") == 0) {
        if (!ajar_rules_expect_type(ctx, kind, AJAR_JSON_BOOLEAN, kind_path,
                                    _("must be true, not %s"), AJAR_RULES_FOUND(kind)))
            return FALSE;
        if (!kind->boolean)
            return ajar_rules_fail(ctx, kind->line, kind->column, AJAR_RULES_ERROR_VALUE, kind_path,
                                   _("must be true; to match no strangers, leave the entry out"));
        match->stranger = TRUE;
    } else if (!ajar_rules_get_text(ctx, kind, kind_path, MAX_TEXT_BYTES, &match->chat_nick)) {
        return FALSE;
    }
    if ((value = ajar_json_object_get(object, "chat")) != NULL) {
        g_autofree char *where = ajar_rules_key_path(path, "chat");
        if (match->chat_nick == NULL)
            return ajar_rules_fail(ctx, value->key_line, value->key_column, AJAR_RULES_ERROR_VALUE,
                                   where,
                                   /* TRANSLATORS: chat_nick is a rules.json key. */
                                   _("only used with \"chat_nick\""));
        if (!ajar_rules_get_text(ctx, value, where, MAX_TEXT_BYTES, &match->chat))
            return FALSE;
    }
    *out = g_steal_pointer(&match);
    return TRUE;
}

static gboolean
parse_instant(AjarRulesCheck *ctx, const AjarJsonValue *value, const char *path, gint64 *out,
              char **text)
{
    g_autoptr(GDateTime) dt = NULL;

    if (!ajar_rules_expect_type(ctx, value, AJAR_JSON_STRING, path,
                                _("must be a date and time as a string, not %s"),
                                AJAR_RULES_FOUND(value)))
        return FALSE;
    /* No default time zone: "2027-02-27T00:00:00" alone would mean different
     * moments on different machines, so the offset (or Z) is required. */
    if (strlen(value->string) == value->string_len)
        dt = g_date_time_new_from_iso8601(value->string, NULL);
    if (dt == NULL)
        return ajar_rules_fail(
            ctx, value->line, value->column, AJAR_RULES_ERROR_VALUE, path,
            /* TRANSLATORS: keep the examples as they are. */
            _("must be a date and time with a time zone, like \"2026-11-27T00:00:00Z\" "
              "or \"2026-11-27T00:00:00+01:00\""));
    *out = g_date_time_to_unix(dt) * G_USEC_PER_SEC + g_date_time_get_microsecond(dt);
    *text = g_strdup(value->string);
    return TRUE;
}

static gboolean
parse_active(AjarRulesCheck *ctx, const AjarJsonValue *object, const char *path, AjarRule *rule)
{
    static const char *const known[] = { "from", "until", NULL };
    const AjarJsonValue *from, *until;

    if (!ajar_rules_expect_type(
            ctx, object, AJAR_JSON_OBJECT, path,
            _("must be an object like {\"from\": \"2026-11-27T00:00:00Z\"}, not %s"),
            AJAR_RULES_FOUND(object)) ||
        !ajar_rules_check_keys(ctx, object, path, known))
        return FALSE;
    from = ajar_json_object_get(object, "from");
    until = ajar_json_object_get(object, "until");
    if (from == NULL && until == NULL)
        return ajar_rules_fail(ctx, object->line, object->column, AJAR_RULES_ERROR_MISSING, path,
                               /* TRANSLATORS: from and until are rules.json keys. */
                               _("give \"from\", \"until\" or both"));
    if (from != NULL) {
        g_autofree char *where = ajar_rules_key_path(path, "from");
        if (!parse_instant(ctx, from, where, &rule->active_from, &rule->active_from_text))
            return FALSE;
        rule->has_active_from = TRUE;
    }
    if (until != NULL) {
        g_autofree char *where = ajar_rules_key_path(path, "until");
        if (!parse_instant(ctx, until, where, &rule->active_until, &rule->active_until_text))
            return FALSE;
        rule->has_active_until = TRUE;
        if (from != NULL && rule->active_until <= rule->active_from)
            return ajar_rules_fail(ctx, until->line, until->column, AJAR_RULES_ERROR_VALUE, where,
                                   /* TRANSLATORS: from is a rules.json key. */
                                   _("must be later than \"from\""));
    }
    return TRUE;
}

static gboolean
parse_keywords(AjarRulesCheck *ctx, const AjarJsonValue *array, const char *path, GPtrArray *out)
{
    if (!ajar_rules_expect_type(
            ctx, array, AJAR_JSON_ARRAY, path,
            _("must be a list of words, like [\"emergency\", \"hospital\"], not %s"),
            AJAR_RULES_FOUND(array)))
        return FALSE;
    for (guint i = 0; i < array->items->len; i++) {
        g_autofree char *where = g_strdup_printf("%s[%u]", path, i);
        char *keyword = NULL;
        if (!ajar_rules_get_text(ctx, g_ptr_array_index(array->items, i), where, MAX_NAME_BYTES,
                                 &keyword))
            return FALSE;
        g_ptr_array_add(out, keyword);
    }
    return TRUE;
}

static gboolean
parse_rule(AjarRulesCheck *ctx, const AjarJsonValue *object, const char *path, AjarRule **out)
{
    static const char *const known[] = { "name",  "match",         "incoming", "outgoing",
                                         "chats", "pass_keywords", "active",   NULL };
    g_autoptr(AjarRule) rule = g_new0(AjarRule, 1);
    const AjarJsonValue *value;
    g_autofree char *name_path = ajar_rules_key_path(path, "name");
    g_autofree char *match_path = ajar_rules_key_path(path, "match");

    rule->matches = g_ptr_array_new_with_free_func((GDestroyNotify)ajar_match_free);
    rule->pass_keywords = g_ptr_array_new_with_free_func(g_free);
    if (!ajar_rules_expect_type(ctx, object, AJAR_JSON_OBJECT, path, _("must be an object, not %s"),
                                AJAR_RULES_FOUND(object)) ||
        !ajar_rules_check_keys(ctx, object, path, known))
        return FALSE;
    if (!ajar_rules_require(ctx, object, "name", path, &value) ||
        !ajar_rules_get_text(ctx, value, name_path, MAX_NAME_BYTES, &rule->name))
        return FALSE;
    if (!ajar_rules_require(ctx, object, "match", path, &value) ||
        !ajar_rules_expect_type(ctx, value, AJAR_JSON_ARRAY, match_path,
                                _("must be a list like [{\"buddy\": \"sam@example.org\"}], not %s"),
                                AJAR_RULES_FOUND(value)))
        return FALSE;
    if (value->items->len == 0)
        return ajar_rules_fail(
            ctx, value->line, value->column, AJAR_RULES_ERROR_VALUE, match_path,
            /* TRANSLATORS: keep the example as it is. */
            _("must name at least one buddy, like [{\"buddy\": \"sam@example.org\"}]"));
    for (guint i = 0; i < value->items->len; i++) {
        g_autofree char *where = g_strdup_printf("%s[%u]", match_path, i);
        AjarMatch *match = NULL;
        if (!parse_match(ctx, g_ptr_array_index(value->items, i), where, &match))
            return FALSE;
        g_ptr_array_add(rule->matches, match);
    }
    if ((value = ajar_json_object_get(object, "incoming")) != NULL) {
        g_autofree char *where = ajar_rules_key_path(path, "incoming");
        if (!ajar_rules_parse_direction(ctx, value, where, FALSE, &rule->incoming))
            return FALSE;
    }
    if ((value = ajar_json_object_get(object, "outgoing")) != NULL) {
        g_autofree char *where = ajar_rules_key_path(path, "outgoing");
        if (!ajar_rules_parse_direction(ctx, value, where, TRUE, &rule->outgoing))
            return FALSE;
    }
    if ((value = ajar_json_object_get(object, "chats")) != NULL) {
        g_autofree char *where = ajar_rules_key_path(path, "chats");
        if (!ajar_rules_parse_chats(ctx, value, where, &rule->chats))
            return FALSE;
    }
    if ((value = ajar_json_object_get(object, "pass_keywords")) != NULL) {
        g_autofree char *where = ajar_rules_key_path(path, "pass_keywords");
        if (!parse_keywords(ctx, value, where, rule->pass_keywords))
            return FALSE;
    }
    if ((value = ajar_json_object_get(object, "active")) != NULL) {
        g_autofree char *where = ajar_rules_key_path(path, "active");
        if (!parse_active(ctx, value, where, rule))
            return FALSE;
    }
    *out = g_steal_pointer(&rule);
    return TRUE;
}

static gboolean
parse_allowed(AjarRulesCheck *ctx, const AjarJsonValue *array, GPtrArray *out)
{
    if (!ajar_rules_expect_type(
            ctx, array, AJAR_JSON_ARRAY, "settings.allowed",
            /* TRANSLATORS: keep the example as it is. */
            _("must be a list of addresses, like [\"kim@example.org\"], not %s"),
            AJAR_RULES_FOUND(array)))
        return FALSE;
    for (guint i = 0; i < array->items->len; i++) {
        g_autofree char *where = g_strdup_printf("settings.allowed[%u]", i);
        char *address = NULL;
        if (!ajar_rules_get_text(ctx, g_ptr_array_index(array->items, i), where, MAX_TEXT_BYTES,
                                 &address))
            return FALSE;
        g_ptr_array_add(out, address);
    }
    return TRUE;
}

static gboolean
parse_settings(AjarRulesCheck *ctx, const AjarJsonValue *object, AjarNotify *notify,
               GPtrArray *allowed)
{
    static const char *const known[] = { "notify", "allowed", NULL };
    const AjarJsonValue *value;

    if (!ajar_rules_expect_type(ctx, object, AJAR_JSON_OBJECT, "settings",
                                _("must be an object, not %s"), AJAR_RULES_FOUND(object)) ||
        !ajar_rules_check_keys(ctx, object, "settings", known))
        return FALSE;
    if ((value = ajar_json_object_get(object, "allowed")) != NULL &&
        !parse_allowed(ctx, value, allowed))
        return FALSE;
    value = ajar_json_object_get(object, "notify");
    if (value == NULL)
        return TRUE;
    if (!ajar_rules_expect_type(ctx, value, AJAR_JSON_STRING, "settings.notify",
                                _("must be a string, not %s"), AJAR_RULES_FOUND(value)))
        return FALSE;
    if (strcmp(value->string, "silent") == 0)
        *notify = AJAR_NOTIFY_SILENT;
    else if (strcmp(value->string, "count") == 0)
        *notify = AJAR_NOTIFY_COUNT;
    else if (strcmp(value->string, "message") == 0)
        *notify = AJAR_NOTIFY_MESSAGE;
    else {
        g_autofree char *what = ajar_rules_shown(value->string, value->string_len);
        return ajar_rules_fail(
            ctx, value->line, value->column, AJAR_RULES_ERROR_VALUE, "settings.notify",
            /* TRANSLATORS: %s is what the file says instead; words in double
                     * quotes are rules.json's own values. */
            _("\"%s\" is not a notify mode; use \"silent\", \"count\" or \"message\""), what);
    }
    return TRUE;
}

static gboolean
parse_root(AjarRulesCheck *ctx, const AjarJsonValue *root, GPtrArray *rules, AjarNotify *notify,
           GPtrArray *allowed)
{
    static const char *const known[] = { "version", "rules", "settings", NULL };
    const AjarJsonValue *value;
    g_autoptr(GHashTable) names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

    if (root->type != AJAR_JSON_OBJECT)
        return ajar_rules_fail(
            ctx, root->line, root->column, AJAR_RULES_ERROR_TYPE, NULL,
            /* TRANSLATORS: %s is the kind of value found ("a list"); keep the
                     * example as it is. */
            _("the file must hold one object, like {\"version\": 1, \"rules\": []}, "
              "not %s"),
            AJAR_RULES_FOUND(root));
    if (!ajar_rules_check_keys(ctx, root, NULL, known) ||
        !ajar_rules_require(ctx, root, "version", "version", &value))
        return FALSE;
    if (!ajar_rules_expect_type(ctx, value, AJAR_JSON_NUMBER, "version",
                                _("must be the number 1, not %s"), AJAR_RULES_FOUND(value)))
        return FALSE;
    if (!value->is_integer || value->integer != 1)
        return ajar_rules_fail(ctx, value->line, value->column, AJAR_RULES_ERROR_VERSION, "version",
                               _("this Ajar reads rules.json version 1 only"));
    if (!ajar_rules_require(ctx, root, "rules", "rules", &value) ||
        !ajar_rules_expect_type(ctx, value, AJAR_JSON_ARRAY, "rules",
                                _("must be a list of rules, not %s"), AJAR_RULES_FOUND(value)))
        return FALSE;
    if (value->items->len > AJAR_RULES_MAX_RULES) {
        const AjarJsonValue *first_over = g_ptr_array_index(value->items, AJAR_RULES_MAX_RULES);
        return ajar_rules_fail(ctx, first_over->line, first_over->column, AJAR_RULES_ERROR_VALUE,
                               "rules",
                               /* TRANSLATORS: %1$u (more than the most allowed) rules in the file;
                                * %2$d the most allowed. */
                               P_("%u rule; a rules file may have at most %d",
                                  "%u rules; a rules file may have at most %d", value->items->len),
                               value->items->len, AJAR_RULES_MAX_RULES);
    }
    for (guint i = 0; i < value->items->len; i++) {
        g_autofree char *where = g_strdup_printf("rules[%u]", i);
        const AjarJsonValue *item = g_ptr_array_index(value->items, i);
        AjarRule *rule = NULL;
        g_autofree char *folded = NULL;
        gpointer first;

        if (!parse_rule(ctx, item, where, &rule))
            return FALSE;
        g_ptr_array_add(rules, rule);
        /* Names are shown and logged; "Sam" and "sam" would be confusing. */
        folded = ajar_rules_fold(rule->name);
        if (g_hash_table_lookup_extended(names, folded, NULL, &first)) {
            /* parse_rule() succeeded, so the object has a "name". */
            const AjarJsonValue *name = ajar_json_object_get(item, "name");
            guint line = name != NULL ? name->line : item->line;
            guint column = name != NULL ? name->column : item->column;
            g_autofree char *name_path = g_strdup_printf("%s.name", where);
            g_autofree char *what = ajar_rules_shown(rule->name, strlen(rule->name));
            return ajar_rules_fail(ctx, line, column, AJAR_RULES_ERROR_DUPLICATE, name_path,
                                   /* TRANSLATORS: %1$s is a rule's name; rules[%2$u] is the other
                         * rule's place in the file, as it is. */
                                   _("\"%s\" is already the name of rules[%u]; names must differ"),
                                   what, GPOINTER_TO_UINT(first));
        }
        g_hash_table_insert(names, g_steal_pointer(&folded), GUINT_TO_POINTER(i));
    }
    if ((value = ajar_json_object_get(root, "settings")) != NULL &&
        !parse_settings(ctx, value, notify, allowed))
        return FALSE;
    return TRUE;
}

AjarRuleSet *
ajar_rules_parse(const char *json, gssize len, const char *origin, AjarNormalizeFunc normalize,
                 gpointer normalize_data, GError **error)
{
    AjarRulesCheck ctx = { origin != NULL ? origin : "rules.json", error };
    g_autoptr(GError) json_error = NULL;
    g_autoptr(AjarJsonValue) root = NULL;
    g_autoptr(GPtrArray) rules = NULL;
    g_autoptr(GPtrArray) allowed = NULL;
    AjarNotify notify = AJAR_NOTIFY_COUNT;
    gsize size;

    g_return_val_if_fail(json != NULL || len == 0, NULL);
    size = len < 0 ? strlen(json) : (gsize)len;
    if (size > AJAR_RULES_MAX_FILE_SIZE) {
        ajar_rules_fail(&ctx, 1, 1, AJAR_RULES_ERROR_SYNTAX, NULL,
                        /* TRANSLATORS: %1$lu and %2$d are sizes in bytes. */
                        P_("the file is %lu byte; a rules file may have at most %d",
                           "the file is %lu bytes; a rules file may have at most %d", size),
                        (unsigned long)size, AJAR_RULES_MAX_FILE_SIZE);
        return NULL;
    }
    {
        gsize i = 0;
        while (i < size && g_ascii_isspace(json[i]))
            i++;
        if (i == size) {
            ajar_rules_fail(
                &ctx, 1, 1, AJAR_RULES_ERROR_SYNTAX, NULL,
                /* TRANSLATORS: keep the example as it is. */
                _("the file is empty; a file without rules is {\"version\": 1, \"rules\": []}"));
            return NULL;
        }
    }
    root = ajar_json_parse_limited(json, (gssize)size, AJAR_RULES_MAX_VALUES, &json_error);
    if (root == NULL) {
        g_set_error(error, AJAR_RULES_ERROR,
                    g_error_matches(json_error, AJAR_JSON_ERROR, AJAR_JSON_ERROR_DUPLICATE)
                        ? AJAR_RULES_ERROR_DUPLICATE
                        : AJAR_RULES_ERROR_SYNTAX,
                    "%s:%s", ctx.origin, json_error->message);
        return NULL;
    }
    rules = g_ptr_array_new_with_free_func((GDestroyNotify)ajar_rule_free);
    allowed = g_ptr_array_new_with_free_func(g_free);
    if (!parse_root(&ctx, root, rules, &notify, allowed))
        return NULL;
    return ajar_rules_build(g_steal_pointer(&rules), g_steal_pointer(&allowed), notify, normalize,
                            normalize_data);
}
