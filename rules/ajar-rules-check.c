/* ajar-rules-check.c — checking one rules.json value, and wording what is
 * wrong with it (see ajar-rules-check.h). */
#include "ajar-rules-check.h"

#include <string.h>

#include "ajar/ajar-i18n.h"

#define SUGGEST_MAX_DISTANCE 2

static gboolean G_GNUC_PRINTF(6, 0)
vfail(AjarRulesCheck *check, guint line, guint column, AjarRulesError code, const char *path,
      const char *format, va_list args)
{
    g_autofree char *reason = g_strdup_vprintf(format, args);

    /* The place is the file's, never translated: "rules.json:7:19: rules[0].name: " */
    if (path != NULL)
        g_set_error(check->error, AJAR_RULES_ERROR, code, "%s:%u:%u: %s: %s", check->origin, line,
                    column, path, reason);
    else
        g_set_error(check->error, AJAR_RULES_ERROR, code, "%s:%u:%u: %s", check->origin, line,
                    column, reason);
    return FALSE;
}

gboolean
ajar_rules_fail(AjarRulesCheck *check, guint line, guint column, AjarRulesError code,
                const char *path, const char *format, ...)
{
    va_list args;

    va_start(args, format);
    vfail(check, line, column, code, path, format, args);
    va_end(args);
    return FALSE;
}

char *
ajar_rules_shown(const char *text, gsize len)
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

char *
ajar_rules_member_path(const char *parent, const AjarJsonValue *member)
{
    g_autofree char *key = ajar_rules_shown(member->key, member->key_len);
    return parent != NULL ? g_strdup_printf("%s.%s", parent, key) : g_strdup(key);
}

char *
ajar_rules_key_path(const char *parent, const char *key)
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

gboolean
ajar_rules_check_keys(AjarRulesCheck *check, const AjarJsonValue *object, const char *path,
                      const char *const *known)
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
        where = ajar_rules_member_path(path, member);
        if (nearest != NULL && nearest_distance <= SUGGEST_MAX_DISTANCE &&
            nearest_distance < strlen(nearest))
            return ajar_rules_fail(check, member->key_line, member->key_column,
                                   AJAR_RULES_ERROR_UNKNOWN_KEY, where,
                                   /* TRANSLATORS: %s is a rules.json key, as it is. */
                                   _("unknown key; did you mean \"%s\"?"), nearest);
        {
            g_autofree char *list = g_strjoinv(", ", (char **)known);
            return ajar_rules_fail(check, member->key_line, member->key_column,
                                   AJAR_RULES_ERROR_UNKNOWN_KEY, where,
                                   /* TRANSLATORS: %s lists rules.json keys ("from, until"). */
                                   _("unknown key; the keys allowed here are %s"), list);
        }
    }
    return TRUE;
}

gboolean
ajar_rules_expect_type(AjarRulesCheck *check, const AjarJsonValue *value, AjarJsonType type,
                       const char *path, const char *format, ...)
{
    va_list args;

    if (value->type == type)
        return TRUE;
    va_start(args, format);
    vfail(check, value->line, value->column, AJAR_RULES_ERROR_TYPE, path, format, args);
    va_end(args);
    return FALSE;
}

gboolean
ajar_rules_require(AjarRulesCheck *check, const AjarJsonValue *object, const char *key,
                   const char *path, const AjarJsonValue **out)
{
    *out = ajar_json_object_get(object, key);
    if (*out != NULL)
        return TRUE;
    return ajar_rules_fail(check, object->line, object->column, AJAR_RULES_ERROR_MISSING, path,
                           /* TRANSLATORS: %s is a rules.json key, as it is. */
                           _("\"%s\" is missing"), key);
}

gboolean
ajar_rules_get_text(AjarRulesCheck *check, const AjarJsonValue *value, const char *path,
                    gsize max_bytes, char **out)
{
    g_autofree char *trimmed = NULL;

    if (!ajar_rules_expect_type(check, value, AJAR_JSON_STRING, path,
                                /* TRANSLATORS: %s is the kind of value found
                                 * ("a number"); the same words follow "not"
                                 * in every "must be …, not %s". */
                                _("must be a string, not %s"), AJAR_RULES_FOUND(value)))
        return FALSE;
    for (gsize i = 0; i < value->string_len; i++) {
        unsigned char c = (unsigned char)value->string[i];
        if (c < 0x20 || c == 0x7f)
            return ajar_rules_fail(check, value->line, value->column, AJAR_RULES_ERROR_VALUE, path,
                                   /* TRANSLATORS: \u%04X is the character's JSON escape. */
                                   _("must not contain control characters (found \\u%04X)"), c);
    }
    trimmed = g_strstrip(g_strdup(value->string));
    if (*trimmed == '\0')
        return ajar_rules_fail(check, value->line, value->column, AJAR_RULES_ERROR_VALUE, path,
                               _("must not be empty"));
    if (value->string_len > max_bytes)
        return ajar_rules_fail(check, value->line, value->column, AJAR_RULES_ERROR_VALUE, path,
                               /* TRANSLATORS: %1$lu is the text's length, %2$lu the most
                                * allowed, both in bytes. */
                               P_("is too long (%lu byte; at most %lu)",
                                  "is too long (%lu bytes; at most %lu)", value->string_len),
                               (unsigned long)value->string_len, (unsigned long)max_bytes);
    *out = g_strdup(value->string);
    return TRUE;
}
