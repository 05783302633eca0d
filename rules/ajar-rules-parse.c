/* ajar-rules-parse.c — rules.json (version 1) text to an AjarRuleSet, with
 * errors a person can act on: "rules.json:7:19: rules[0].incoming.seconds:
 * must be a whole number of seconds from 1 to 31536000". */
#include "ajar-rules-private.h"

#include <string.h>

#include "ajar/ajar-json.h"

#define MAX_NAME_BYTES 200
#define MAX_TEXT_BYTES 1024
#define SUGGEST_MAX_DISTANCE 2

typedef struct {
    const char *origin;
    GError **error;
} Ctx;

static gboolean G_GNUC_PRINTF(6, 7)
fail(Ctx *ctx, guint line, guint column, AjarRulesError code, const char *path, const char *format,
     ...)
{
    va_list args;
    g_autofree char *reason = NULL;

    va_start(args, format);
    reason = g_strdup_vprintf(format, args);
    va_end(args);
    if (path != NULL)
        g_set_error(ctx->error, AJAR_RULES_ERROR, code, "%s:%u:%u: %s: %s", ctx->origin, line,
                    column, path, reason);
    else
        g_set_error(ctx->error, AJAR_RULES_ERROR, code, "%s:%u:%u: %s", ctx->origin, line, column,
                    reason);
    return FALSE;
}

/* A user's string, safe to put in a one-line message: escaped, shortened. */
static char *
shown(const char *text, gsize len)
{
    g_autofree char *valid = g_utf8_make_valid(text, (gssize)len);
    GString *out = g_string_new(NULL);
    const char *p = valid;
    guint chars = 0;

    for (; *p != '\0'; p = g_utf8_next_char(p), chars++) {
        gunichar c = g_utf8_get_char(p);
        if (chars == 40) {
            g_string_append(out, "…");
            break;
        }
        if (c < 0x20 || c == 0x7f || c == '"' || c == '\\')
            g_string_append_printf(out, c == '"' || c == '\\' ? "\\%c" : "\\u%04X", c);
        else
            g_string_append_unichar(out, c);
    }
    return g_string_free(out, FALSE);
}

static char *
member_path(const char *parent, const AjarJsonValue *member)
{
    g_autofree char *key = shown(member->key, member->key_len);
    return parent != NULL ? g_strdup_printf("%s.%s", parent, key) : g_strdup(key);
}

static char *
key_path(const char *parent, const char *key)
{
    return parent != NULL ? g_strdup_printf("%s.%s", parent, key) : g_strdup(key);
}

/* Optimal string alignment distance (Levenshtein plus transpositions),
 * case-insensitive, on bytes: keys are ASCII. */
static guint
edit_distance(const char *a, const char *b)
{
    gsize n = strlen(a), m = strlen(b);
    g_autofree guint *d = NULL;

    if (n > 64 || m > 64)
        return G_MAXUINT;
    d = g_new0(guint, (n + 1) * (m + 1));
#define D(i, j) d[(i) * (m + 1) + (j)]
    for (gsize i = 0; i <= n; i++)
        D(i, 0) = (guint)i;
    for (gsize j = 0; j <= m; j++)
        D(0, j) = (guint)j;
    for (gsize i = 1; i <= n; i++) {
        for (gsize j = 1; j <= m; j++) {
            guint cost = g_ascii_tolower(a[i - 1]) == g_ascii_tolower(b[j - 1]) ? 0 : 1;
            guint best = MIN(D(i - 1, j) + 1, D(i, j - 1) + 1);
            best = MIN(best, D(i - 1, j - 1) + cost);
            if (i > 1 && j > 1 && g_ascii_tolower(a[i - 1]) == g_ascii_tolower(b[j - 2]) &&
                g_ascii_tolower(a[i - 2]) == g_ascii_tolower(b[j - 1]))
                best = MIN(best, D(i - 2, j - 2) + 1);
            D(i, j) = best;
        }
    }
    return D(n, m);
#undef D
}

/* Rejects members not in @known (NULL-terminated), suggesting the nearest. */
static gboolean
check_keys(Ctx *ctx, const AjarJsonValue *object, const char *path, const char *const *known)
{
    for (guint i = 0; i < object->items->len; i++) {
        const AjarJsonValue *member = g_ptr_array_index(object->items, i);
        g_autofree char *where = NULL;
        const char *nearest = NULL;
        guint nearest_distance = G_MAXUINT;
        gboolean found = FALSE;

        for (const char *const *k = known; *k != NULL; k++) {
            guint distance;
            if (member->key_len == strlen(*k) && memcmp(member->key, *k, member->key_len) == 0) {
                found = TRUE;
                break;
            }
            distance =
                strlen(member->key) == member->key_len ? edit_distance(member->key, *k) : G_MAXUINT;
            if (distance < nearest_distance) {
                nearest_distance = distance;
                nearest = *k;
            }
        }
        if (found)
            continue;
        where = member_path(path, member);
        if (nearest != NULL && nearest_distance <= SUGGEST_MAX_DISTANCE &&
            nearest_distance < strlen(nearest))
            return fail(ctx, member->key_line, member->key_column, AJAR_RULES_ERROR_UNKNOWN_KEY,
                        where, "unknown key; did you mean \"%s\"?", nearest);
        {
            g_autofree char *list = g_strjoinv(", ", (char **)known);
            return fail(ctx, member->key_line, member->key_column, AJAR_RULES_ERROR_UNKNOWN_KEY,
                        where, "unknown key; the keys allowed here are %s", list);
        }
    }
    return TRUE;
}

static gboolean
expect_type(Ctx *ctx, const AjarJsonValue *value, AjarJsonType type, const char *path,
            const char *what)
{
    if (value->type == type)
        return TRUE;
    return fail(ctx, value->line, value->column, AJAR_RULES_ERROR_TYPE, path, "must be %s, not %s",
                what, ajar_json_type_name(value->type));
}

static gboolean
require(Ctx *ctx, const AjarJsonValue *object, const char *key, const char *path,
        const AjarJsonValue **out)
{
    *out = ajar_json_object_get(object, key);
    if (*out != NULL)
        return TRUE;
    return fail(ctx, object->line, object->column, AJAR_RULES_ERROR_MISSING, path,
                "\"%s\" is missing", key);
}

/* A non-empty single-line string of at most @max_bytes. */
static gboolean
get_text(Ctx *ctx, const AjarJsonValue *value, const char *path, gsize max_bytes, char **out)
{
    g_autofree char *trimmed = NULL;

    if (!expect_type(ctx, value, AJAR_JSON_STRING, path, "a string"))
        return FALSE;
    for (gsize i = 0; i < value->string_len; i++) {
        unsigned char c = (unsigned char)value->string[i];
        if (c < 0x20 || c == 0x7f)
            return fail(ctx, value->line, value->column, AJAR_RULES_ERROR_VALUE, path,
                        "must not contain control characters (found \\u%04X)", c);
    }
    trimmed = g_strstrip(g_strdup(value->string));
    if (*trimmed == '\0')
        return fail(ctx, value->line, value->column, AJAR_RULES_ERROR_VALUE, path,
                    "must not be empty");
    if (value->string_len > max_bytes)
        return fail(ctx, value->line, value->column, AJAR_RULES_ERROR_VALUE, path,
                    "is too long (%" G_GSIZE_FORMAT " bytes; at most %" G_GSIZE_FORMAT ")",
                    value->string_len, max_bytes);
    *out = g_strdup(value->string);
    return TRUE;
}

static gboolean
parse_match(Ctx *ctx, const AjarJsonValue *object, const char *path, AjarMatch **out)
{
    static const char *const known[] = { "account", "protocol", "buddy", NULL };
    g_autoptr(AjarMatch) match = g_new0(AjarMatch, 1);
    const AjarJsonValue *value;
    g_autofree char *buddy_path = key_path(path, "buddy");

    if (!expect_type(ctx, object, AJAR_JSON_OBJECT, path,
                     "an object like {\"buddy\": \"sam@example.org\"}") ||
        !check_keys(ctx, object, path, known))
        return FALSE;
    if ((value = ajar_json_object_get(object, "account")) != NULL) {
        g_autofree char *where = key_path(path, "account");
        if (!get_text(ctx, value, where, MAX_TEXT_BYTES, &match->account))
            return FALSE;
    }
    if ((value = ajar_json_object_get(object, "protocol")) != NULL) {
        g_autofree char *where = key_path(path, "protocol");
        if (!get_text(ctx, value, where, MAX_NAME_BYTES, &match->protocol))
            return FALSE;
    }
    if (!require(ctx, object, "buddy", path, &value) ||
        !get_text(ctx, value, buddy_path, MAX_TEXT_BYTES, &match->buddy))
        return FALSE;
    *out = g_steal_pointer(&match);
    return TRUE;
}

static gboolean
parse_seconds(Ctx *ctx, const AjarJsonValue *value, const char *path, gint64 *out)
{
    static const char reason[] = "must be a whole number of seconds from 1 to 31536000";

    if (value->type != AJAR_JSON_NUMBER)
        return fail(ctx, value->line, value->column, AJAR_RULES_ERROR_TYPE, path, "%s, not %s",
                    reason, ajar_json_type_name(value->type));
    if (!value->is_integer || value->integer < 1 || value->integer > AJAR_RULES_MAX_SECONDS)
        return fail(ctx, value->line, value->column, AJAR_RULES_ERROR_VALUE, path, "%s", reason);
    *out = value->integer;
    return TRUE;
}

static gboolean
parse_at(Ctx *ctx, const AjarJsonValue *value, const char *path, int *out)
{
    const char *s;

    if (!expect_type(ctx, value, AJAR_JSON_STRING, path, "a time of day as \"HH:MM\""))
        return FALSE;
    s = value->string;
    if (value->string_len != 5 || !g_ascii_isdigit(s[0]) || !g_ascii_isdigit(s[1]) || s[2] != ':' ||
        !g_ascii_isdigit(s[3]) || !g_ascii_isdigit(s[4]) || (s[0] - '0') * 10 + (s[1] - '0') > 23 ||
        (s[3] - '0') * 10 + (s[4] - '0') > 59)
        return fail(ctx, value->line, value->column, AJAR_RULES_ERROR_VALUE, path,
                    "must be a time of day as \"HH:MM\", from \"00:00\" to \"23:59\"");
    *out = ((s[0] - '0') * 10 + (s[1] - '0')) * 60 + (s[3] - '0') * 10 + (s[4] - '0');
    return TRUE;
}

/* "incoming" or "outgoing". */
static gboolean
parse_direction(Ctx *ctx, const AjarJsonValue *object, const char *path, gboolean outgoing,
                AjarDirectionRule *out)
{
    static const char *const known_in[] = { "action", "seconds", "at", NULL };
    static const char *const known_out[] = { "action", "seconds", "confirm", NULL };
    const AjarJsonValue *action, *seconds, *at, *confirm;
    g_autofree char *action_path = key_path(path, "action");
    const char *action_name;

    if (!expect_type(ctx, object, AJAR_JSON_OBJECT, path, "an object like {\"action\": \"hold\"}"))
        return FALSE;
    if (outgoing && (at = ajar_json_object_get(object, "at")) != NULL) {
        g_autofree char *where = key_path(path, "at");
        return fail(ctx, at->key_line, at->key_column, AJAR_RULES_ERROR_UNKNOWN_KEY, where,
                    "your own messages can only be delayed by \"seconds\"");
    }
    if (!check_keys(ctx, object, path, outgoing ? known_out : known_in) ||
        !require(ctx, object, "action", path, &action) ||
        !expect_type(ctx, action, AJAR_JSON_STRING, action_path, "a string"))
        return FALSE;
    action_name = action->string;
    memset(out, 0, sizeof(*out));
    if (strcmp(action_name, "pass") == 0)
        out->action = AJAR_ACTION_PASS;
    else if (strcmp(action_name, "hold") == 0)
        out->action = AJAR_ACTION_HOLD;
    else if (strcmp(action_name, "delay") == 0)
        out->action = AJAR_ACTION_DELAY;
    else if (!outgoing && strcmp(action_name, "archive") == 0)
        out->action = AJAR_ACTION_ARCHIVE;
    else {
        g_autofree char *what = shown(action->string, action->string_len);
        return fail(ctx, action->line, action->column, AJAR_RULES_ERROR_VALUE, action_path,
                    outgoing ? "\"%s\" is not an action for your own messages; use \"pass\", "
                               "\"delay\" or \"hold\""
                             : "\"%s\" is not an action for their messages; use \"pass\", "
                               "\"hold\", \"archive\" or \"delay\"",
                    what);
    }

    seconds = ajar_json_object_get(object, "seconds");
    at = outgoing ? NULL : ajar_json_object_get(object, "at");
    confirm = outgoing ? ajar_json_object_get(object, "confirm") : NULL;
    if (out->action != AJAR_ACTION_DELAY) {
        const AjarJsonValue *extra = seconds != NULL ? seconds : at != NULL ? at : confirm;
        if (extra != NULL) {
            g_autofree char *where = member_path(path, extra);
            return fail(ctx, extra->key_line, extra->key_column, AJAR_RULES_ERROR_VALUE, where,
                        "only used with \"action\": \"delay\"");
        }
        return TRUE;
    }
    if (seconds != NULL && at != NULL) {
        g_autofree char *where = key_path(path, "at");
        return fail(ctx, at->key_line, at->key_column, AJAR_RULES_ERROR_VALUE, where,
                    "give either \"seconds\" or \"at\", not both");
    }
    if (seconds != NULL) {
        g_autofree char *where = key_path(path, "seconds");
        out->delay_kind = AJAR_DELAY_SECONDS;
        if (!parse_seconds(ctx, seconds, where, &out->seconds))
            return FALSE;
    } else if (at != NULL) {
        g_autofree char *where = key_path(path, "at");
        out->delay_kind = AJAR_DELAY_AT;
        if (!parse_at(ctx, at, where, &out->at_minute))
            return FALSE;
    } else {
        return fail(ctx, object->line, object->column, AJAR_RULES_ERROR_MISSING, path,
                    outgoing ? "a delay needs \"seconds\"" : "a delay needs \"seconds\" or \"at\"");
    }
    if (confirm != NULL) {
        g_autofree char *where = key_path(path, "confirm");
        if (!expect_type(ctx, confirm, AJAR_JSON_BOOLEAN, where, "true or false"))
            return FALSE;
        out->confirm = confirm->boolean;
    }
    return TRUE;
}

static gboolean
parse_instant(Ctx *ctx, const AjarJsonValue *value, const char *path, gint64 *out, char **text)
{
    g_autoptr(GDateTime) dt = NULL;

    if (!expect_type(ctx, value, AJAR_JSON_STRING, path, "a date and time as a string"))
        return FALSE;
    /* No default time zone: "2027-02-27T00:00:00" alone would mean different
     * moments on different machines, so the offset (or Z) is required. */
    if (strlen(value->string) == value->string_len)
        dt = g_date_time_new_from_iso8601(value->string, NULL);
    if (dt == NULL)
        return fail(ctx, value->line, value->column, AJAR_RULES_ERROR_VALUE, path,
                    "must be a date and time with a time zone, like \"2026-11-27T00:00:00Z\" "
                    "or \"2026-11-27T00:00:00+01:00\"");
    *out = g_date_time_to_unix(dt) * G_USEC_PER_SEC + g_date_time_get_microsecond(dt);
    *text = g_strdup(value->string);
    return TRUE;
}

static gboolean
parse_active(Ctx *ctx, const AjarJsonValue *object, const char *path, AjarRule *rule)
{
    static const char *const known[] = { "from", "until", NULL };
    const AjarJsonValue *from, *until;

    if (!expect_type(ctx, object, AJAR_JSON_OBJECT, path,
                     "an object like {\"from\": \"2026-11-27T00:00:00Z\"}") ||
        !check_keys(ctx, object, path, known))
        return FALSE;
    from = ajar_json_object_get(object, "from");
    until = ajar_json_object_get(object, "until");
    if (from == NULL && until == NULL)
        return fail(ctx, object->line, object->column, AJAR_RULES_ERROR_MISSING, path,
                    "give \"from\", \"until\" or both");
    if (from != NULL) {
        g_autofree char *where = key_path(path, "from");
        if (!parse_instant(ctx, from, where, &rule->active_from, &rule->active_from_text))
            return FALSE;
        rule->has_active_from = TRUE;
    }
    if (until != NULL) {
        g_autofree char *where = key_path(path, "until");
        if (!parse_instant(ctx, until, where, &rule->active_until, &rule->active_until_text))
            return FALSE;
        rule->has_active_until = TRUE;
        if (from != NULL && rule->active_until <= rule->active_from)
            return fail(ctx, until->line, until->column, AJAR_RULES_ERROR_VALUE, where,
                        "must be later than \"from\"");
    }
    return TRUE;
}

static gboolean
parse_keywords(Ctx *ctx, const AjarJsonValue *array, const char *path, GPtrArray *out)
{
    if (!expect_type(ctx, array, AJAR_JSON_ARRAY, path,
                     "a list of words, like [\"emergency\", \"hospital\"]"))
        return FALSE;
    for (guint i = 0; i < array->items->len; i++) {
        g_autofree char *where = g_strdup_printf("%s[%u]", path, i);
        char *keyword = NULL;
        if (!get_text(ctx, g_ptr_array_index(array->items, i), where, MAX_NAME_BYTES, &keyword))
            return FALSE;
        g_ptr_array_add(out, keyword);
    }
    return TRUE;
}

static gboolean
parse_rule(Ctx *ctx, const AjarJsonValue *object, const char *path, AjarRule **out)
{
    static const char *const known[] = { "name",          "match",  "incoming", "outgoing",
                                         "pass_keywords", "active", NULL };
    g_autoptr(AjarRule) rule = g_new0(AjarRule, 1);
    const AjarJsonValue *value;
    g_autofree char *name_path = key_path(path, "name");
    g_autofree char *match_path = key_path(path, "match");

    rule->matches = g_ptr_array_new_with_free_func((GDestroyNotify)ajar_match_free);
    rule->pass_keywords = g_ptr_array_new_with_free_func(g_free);
    if (!expect_type(ctx, object, AJAR_JSON_OBJECT, path, "an object") ||
        !check_keys(ctx, object, path, known))
        return FALSE;
    if (!require(ctx, object, "name", path, &value) ||
        !get_text(ctx, value, name_path, MAX_NAME_BYTES, &rule->name))
        return FALSE;
    if (!require(ctx, object, "match", path, &value) ||
        !expect_type(ctx, value, AJAR_JSON_ARRAY, match_path,
                     "a list like [{\"buddy\": \"sam@example.org\"}]"))
        return FALSE;
    if (value->items->len == 0)
        return fail(ctx, value->line, value->column, AJAR_RULES_ERROR_VALUE, match_path,
                    "must name at least one buddy, like [{\"buddy\": \"sam@example.org\"}]");
    for (guint i = 0; i < value->items->len; i++) {
        g_autofree char *where = g_strdup_printf("%s[%u]", match_path, i);
        AjarMatch *match = NULL;
        if (!parse_match(ctx, g_ptr_array_index(value->items, i), where, &match))
            return FALSE;
        g_ptr_array_add(rule->matches, match);
    }
    if ((value = ajar_json_object_get(object, "incoming")) != NULL) {
        g_autofree char *where = key_path(path, "incoming");
        if (!parse_direction(ctx, value, where, FALSE, &rule->incoming))
            return FALSE;
    }
    if ((value = ajar_json_object_get(object, "outgoing")) != NULL) {
        g_autofree char *where = key_path(path, "outgoing");
        if (!parse_direction(ctx, value, where, TRUE, &rule->outgoing))
            return FALSE;
    }
    if ((value = ajar_json_object_get(object, "pass_keywords")) != NULL) {
        g_autofree char *where = key_path(path, "pass_keywords");
        if (!parse_keywords(ctx, value, where, rule->pass_keywords))
            return FALSE;
    }
    if ((value = ajar_json_object_get(object, "active")) != NULL) {
        g_autofree char *where = key_path(path, "active");
        if (!parse_active(ctx, value, where, rule))
            return FALSE;
    }
    *out = g_steal_pointer(&rule);
    return TRUE;
}

static gboolean
parse_settings(Ctx *ctx, const AjarJsonValue *object, AjarNotify *notify)
{
    static const char *const known[] = { "notify", NULL };
    const AjarJsonValue *value;

    if (!expect_type(ctx, object, AJAR_JSON_OBJECT, "settings", "an object") ||
        !check_keys(ctx, object, "settings", known))
        return FALSE;
    value = ajar_json_object_get(object, "notify");
    if (value == NULL)
        return TRUE;
    if (!expect_type(ctx, value, AJAR_JSON_STRING, "settings.notify", "a string"))
        return FALSE;
    if (strcmp(value->string, "silent") == 0)
        *notify = AJAR_NOTIFY_SILENT;
    else if (strcmp(value->string, "count") == 0)
        *notify = AJAR_NOTIFY_COUNT;
    else if (strcmp(value->string, "message") == 0)
        *notify = AJAR_NOTIFY_MESSAGE;
    else {
        g_autofree char *what = shown(value->string, value->string_len);
        return fail(ctx, value->line, value->column, AJAR_RULES_ERROR_VALUE, "settings.notify",
                    "\"%s\" is not a notify mode; use \"silent\", \"count\" or \"message\"", what);
    }
    return TRUE;
}

static gboolean
parse_root(Ctx *ctx, const AjarJsonValue *root, GPtrArray *rules, AjarNotify *notify)
{
    static const char *const known[] = { "version", "rules", "settings", NULL };
    const AjarJsonValue *value;
    g_autoptr(GHashTable) names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

    if (root->type != AJAR_JSON_OBJECT)
        return fail(ctx, root->line, root->column, AJAR_RULES_ERROR_TYPE, NULL,
                    "the file must hold one object, like {\"version\": 1, \"rules\": []}, "
                    "not %s",
                    ajar_json_type_name(root->type));
    if (!check_keys(ctx, root, NULL, known) || !require(ctx, root, "version", "version", &value))
        return FALSE;
    if (value->type != AJAR_JSON_NUMBER)
        return fail(ctx, value->line, value->column, AJAR_RULES_ERROR_TYPE, "version",
                    "must be the number 1, not %s", ajar_json_type_name(value->type));
    if (!value->is_integer || value->integer != 1)
        return fail(ctx, value->line, value->column, AJAR_RULES_ERROR_VERSION, "version",
                    "this Ajar reads rules.json version 1 only");
    if (!require(ctx, root, "rules", "rules", &value) ||
        !expect_type(ctx, value, AJAR_JSON_ARRAY, "rules", "a list of rules"))
        return FALSE;
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
            g_autofree char *what = shown(rule->name, strlen(rule->name));
            return fail(ctx, line, column, AJAR_RULES_ERROR_DUPLICATE, name_path,
                        "\"%s\" is already the name of rules[%u]; names must differ", what,
                        GPOINTER_TO_UINT(first));
        }
        g_hash_table_insert(names, g_steal_pointer(&folded), GUINT_TO_POINTER(i));
    }
    if ((value = ajar_json_object_get(root, "settings")) != NULL &&
        !parse_settings(ctx, value, notify))
        return FALSE;
    return TRUE;
}

AjarRuleSet *
ajar_rules_parse(const char *json, gssize len, const char *origin, AjarNormalizeFunc normalize,
                 gpointer normalize_data, GError **error)
{
    Ctx ctx = { origin != NULL ? origin : "rules.json", error };
    g_autoptr(GError) json_error = NULL;
    g_autoptr(AjarJsonValue) root = NULL;
    g_autoptr(GPtrArray) rules = NULL;
    AjarNotify notify = AJAR_NOTIFY_COUNT;
    gsize size;

    g_return_val_if_fail(json != NULL || len == 0, NULL);
    size = len < 0 ? strlen(json) : (gsize)len;
    if (size > AJAR_RULES_MAX_FILE_SIZE) {
        fail(&ctx, 1, 1, AJAR_RULES_ERROR_SYNTAX, NULL,
             "the file is %" G_GSIZE_FORMAT " bytes; a rules file may have at most %d", size,
             AJAR_RULES_MAX_FILE_SIZE);
        return NULL;
    }
    {
        gsize i = 0;
        while (i < size && g_ascii_isspace(json[i]))
            i++;
        if (i == size) {
            fail(&ctx, 1, 1, AJAR_RULES_ERROR_SYNTAX, NULL,
                 "the file is empty; a file without rules is {\"version\": 1, \"rules\": []}");
            return NULL;
        }
    }
    root = ajar_json_parse(json, (gssize)size, &json_error);
    if (root == NULL) {
        g_set_error(error, AJAR_RULES_ERROR,
                    g_error_matches(json_error, AJAR_JSON_ERROR, AJAR_JSON_ERROR_DUPLICATE)
                        ? AJAR_RULES_ERROR_DUPLICATE
                        : AJAR_RULES_ERROR_SYNTAX,
                    "%s:%s", ctx.origin, json_error->message);
        return NULL;
    }
    rules = g_ptr_array_new_with_free_func((GDestroyNotify)ajar_rule_free);
    if (!parse_root(&ctx, root, rules, &notify))
        return NULL;
    return ajar_rules_build(g_steal_pointer(&rules), notify, normalize, normalize_data);
}
