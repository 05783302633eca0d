/* ajar-rules-parse-direction.c — what one direction of a rule does, as
 * rules.json says it: "incoming", "outgoing" (with "ask" and "quiet_hours")
 * and "chats". The rest of the file is read in ajar-rules-parse.c. */
#include "ajar-rules-parse.h"

#include <string.h>

#include "ajar/ajar-i18n.h"

static gboolean
parse_seconds(AjarRulesCheck *ctx, const AjarJsonValue *value, const char *path, gint64 *out)
{
    if (!ajar_rules_expect_type(ctx, value, AJAR_JSON_NUMBER, path,
                                _("must be a whole number of seconds from 1 to 31536000, not %s"),
                                AJAR_RULES_FOUND(value)))
        return FALSE;
    if (!value->is_integer || value->integer < 1 || value->integer > AJAR_RULES_MAX_SECONDS)
        return ajar_rules_fail(ctx, value->line, value->column, AJAR_RULES_ERROR_VALUE, path,
                               _("must be a whole number of seconds from 1 to 31536000"));
    *out = value->integer;
    return TRUE;
}

static gboolean
parse_at(AjarRulesCheck *ctx, const AjarJsonValue *value, const char *path, int *out)
{
    const char *s;

    if (!ajar_rules_expect_type(ctx, value, AJAR_JSON_STRING, path,
                                _("must be a time of day as \"HH:MM\", not %s"),
                                AJAR_RULES_FOUND(value)))
        return FALSE;
    s = value->string;
    if (value->string_len != 5 || !g_ascii_isdigit(s[0]) || !g_ascii_isdigit(s[1]) || s[2] != ':' ||
        !g_ascii_isdigit(s[3]) || !g_ascii_isdigit(s[4]) || (s[0] - '0') * 10 + (s[1] - '0') > 23 ||
        (s[3] - '0') * 10 + (s[4] - '0') > 59)
        return ajar_rules_fail(
            ctx, value->line, value->column, AJAR_RULES_ERROR_VALUE, path,
            /* TRANSLATORS: HH:MM stands for hours and minutes. */
            _("must be a time of day as \"HH:MM\", from \"00:00\" to \"23:59\""));
    *out = ((s[0] - '0') * 10 + (s[1] - '0')) * 60 + (s[3] - '0') * 10 + (s[4] - '0');
    return TRUE;
}

static gboolean
parse_quiet(AjarRulesCheck *ctx, const AjarJsonValue *object, const char *path,
            AjarDirectionRule *out)
{
    static const char *const known[] = { "from", "until", NULL };
    const AjarJsonValue *from, *until;
    g_autofree char *from_path = ajar_rules_key_path(path, "from");
    g_autofree char *until_path = ajar_rules_key_path(path, "until");

    if (!ajar_rules_expect_type(
            ctx, object, AJAR_JSON_OBJECT, path,
            /* TRANSLATORS: keep the example as it is. */
            _("must be an object like {\"from\": \"22:00\", \"until\": \"07:00\"}, not %s"),
            AJAR_RULES_FOUND(object)) ||
        !ajar_rules_check_keys(ctx, object, path, known) ||
        !ajar_rules_require(ctx, object, "from", path, &from) ||
        !ajar_rules_require(ctx, object, "until", path, &until) ||
        !parse_at(ctx, from, from_path, &out->quiet_from_minute) ||
        !parse_at(ctx, until, until_path, &out->quiet_until_minute))
        return FALSE;
    if (out->quiet_from_minute == out->quiet_until_minute)
        return ajar_rules_fail(ctx, until->line, until->column, AJAR_RULES_ERROR_VALUE, until_path,
                               /* TRANSLATORS: from is a rules.json key. */
                               _("must differ from \"from\""));
    out->has_quiet = TRUE;
    return TRUE;
}

static gboolean
parse_action(AjarRulesCheck *ctx, const AjarJsonValue *action, const char *path, gboolean outgoing,
             AjarDirectionRule *out)
{
    const char *name = action->string;

    if (strcmp(name, "pass") == 0)
        out->action = AJAR_ACTION_PASS;
    else if (strcmp(name, "hold") == 0)
        out->action = AJAR_ACTION_HOLD;
    else if (strcmp(name, "delay") == 0)
        out->action = AJAR_ACTION_DELAY;
    else if (!outgoing && strcmp(name, "archive") == 0)
        out->action = AJAR_ACTION_ARCHIVE;
    else if (outgoing && strcmp(name, "ask") == 0)
        out->action = AJAR_ACTION_ASK;
    else {
        g_autofree char *what = ajar_rules_shown(action->string, action->string_len);
        return ajar_rules_fail(
            ctx, action->line, action->column, AJAR_RULES_ERROR_VALUE, path,
            outgoing
                /* TRANSLATORS: %s is what the file says instead; words in
                 * double quotes are rules.json's own values. */
                ? _("\"%s\" is not an action for your own messages; use \"pass\", "
                    "\"delay\", \"hold\" or \"ask\"")
                /* TRANSLATORS: %s is what the file says instead; words in
                 * double quotes are rules.json's own values. */
                : _("\"%s\" is not an action for their messages; use \"pass\", "
                    "\"hold\", \"archive\" or \"delay\""),
            what);
    }
    return TRUE;
}

gboolean
ajar_rules_parse_direction(AjarRulesCheck *ctx, const AjarJsonValue *object, const char *path,
                           gboolean outgoing, AjarDirectionRule *out)
{
    static const char *const known_in[] = { "action", "seconds", "at", NULL };
    static const char *const known_out[] = { "action",   "seconds",     "confirm",
                                             "question", "quiet_hours", NULL };
    const AjarJsonValue *action, *seconds, *at, *confirm, *question, *quiet;
    g_autofree char *action_path = ajar_rules_key_path(path, "action");

    if (!ajar_rules_expect_type(ctx, object, AJAR_JSON_OBJECT, path,
                                _("must be an object like {\"action\": \"hold\"}, not %s"),
                                AJAR_RULES_FOUND(object)))
        return FALSE;
    if (outgoing && (at = ajar_json_object_get(object, "at")) != NULL) {
        g_autofree char *where = ajar_rules_key_path(path, "at");
        return ajar_rules_fail(ctx, at->key_line, at->key_column, AJAR_RULES_ERROR_UNKNOWN_KEY,
                               where,
                               /* TRANSLATORS: words in double quotes are rules.json's own keys
                                * and values: keep them as they are. */
                               _("your own messages can only be delayed by \"seconds\""));
    }
    if (!ajar_rules_check_keys(ctx, object, path, outgoing ? known_out : known_in) ||
        !ajar_rules_require(ctx, object, "action", path, &action) ||
        !ajar_rules_expect_type(ctx, action, AJAR_JSON_STRING, action_path,
                                _("must be a string, not %s"), AJAR_RULES_FOUND(action)))
        return FALSE;
    g_clear_pointer(&out->question, g_free);
    memset(out, 0, sizeof(*out));
    if (!parse_action(ctx, action, action_path, outgoing, out))
        return FALSE;

    seconds = ajar_json_object_get(object, "seconds");
    at = outgoing ? NULL : ajar_json_object_get(object, "at");
    confirm = outgoing ? ajar_json_object_get(object, "confirm") : NULL;
    question = outgoing ? ajar_json_object_get(object, "question") : NULL;
    quiet = outgoing ? ajar_json_object_get(object, "quiet_hours") : NULL;
    if (question != NULL) {
        g_autofree char *where = ajar_rules_key_path(path, "question");
        if (out->action != AJAR_ACTION_ASK)
            return ajar_rules_fail(ctx, question->key_line, question->key_column,
                                   AJAR_RULES_ERROR_VALUE, where,
                                   /* TRANSLATORS: "action": "ask" is rules.json as it is. */
                                   _("only used with \"action\": \"ask\""));
        if (!ajar_rules_get_text(ctx, question, where, AJAR_RULES_MAX_TEXT_BYTES, &out->question))
            return FALSE;
    }
    if (quiet != NULL) {
        g_autofree char *where = ajar_rules_key_path(path, "quiet_hours");
        if (!parse_quiet(ctx, quiet, where, out))
            return FALSE;
    }
    if (out->action != AJAR_ACTION_DELAY) {
        const AjarJsonValue *extra = seconds != NULL ? seconds : at != NULL ? at : confirm;
        if (extra != NULL) {
            g_autofree char *where = ajar_rules_member_path(path, extra);
            return ajar_rules_fail(ctx, extra->key_line, extra->key_column, AJAR_RULES_ERROR_VALUE,
                                   where,
                                   /* TRANSLATORS: "action": "delay" is rules.json as it is. */
                                   _("only used with \"action\": \"delay\""));
        }
        return TRUE;
    }
    if (seconds != NULL && at != NULL) {
        g_autofree char *where = ajar_rules_key_path(path, "at");
        return ajar_rules_fail(ctx, at->key_line, at->key_column, AJAR_RULES_ERROR_VALUE, where,
                               /* TRANSLATORS: seconds and at are rules.json keys. */
                               _("give either \"seconds\" or \"at\", not both"));
    }
    if (seconds != NULL) {
        g_autofree char *where = ajar_rules_key_path(path, "seconds");
        out->delay_kind = AJAR_DELAY_SECONDS;
        if (!parse_seconds(ctx, seconds, where, &out->seconds))
            return FALSE;
    } else if (at != NULL) {
        g_autofree char *where = ajar_rules_key_path(path, "at");
        out->delay_kind = AJAR_DELAY_AT;
        if (!parse_at(ctx, at, where, &out->at_minute))
            return FALSE;
    } else {
        return ajar_rules_fail(ctx, object->line, object->column, AJAR_RULES_ERROR_MISSING, path,
                               outgoing ? _("a delay needs \"seconds\"")
                                        : _("a delay needs \"seconds\" or \"at\""));
    }
    if (confirm != NULL) {
        g_autofree char *where = ajar_rules_key_path(path, "confirm");
        if (!ajar_rules_expect_type(ctx, confirm, AJAR_JSON_BOOLEAN, where,
                                    _("must be true or false, not %s"), AJAR_RULES_FOUND(confirm)))
            return FALSE;
        out->confirm = confirm->boolean;
    }
    return TRUE;
}

gboolean
ajar_rules_parse_chats(AjarRulesCheck *ctx, const AjarJsonValue *object, const char *path,
                       AjarDirectionRule *out)
{
    static const char *const known[] = { "action", NULL };
    const AjarJsonValue *action;
    g_autofree char *action_path = ajar_rules_key_path(path, "action");
    const char *name;

    if (!ajar_rules_expect_type(ctx, object, AJAR_JSON_OBJECT, path,
                                _("must be an object like {\"action\": \"hold\"}, not %s"),
                                AJAR_RULES_FOUND(object)) ||
        !ajar_rules_check_keys(ctx, object, path, known) ||
        !ajar_rules_require(ctx, object, "action", path, &action) ||
        !ajar_rules_expect_type(ctx, action, AJAR_JSON_STRING, action_path,
                                _("must be a string, not %s"), AJAR_RULES_FOUND(action)))
        return FALSE;
    name = action->string;
    if (strcmp(name, "pass") == 0)
        out->action = AJAR_ACTION_PASS;
    else if (strcmp(name, "hold") == 0)
        out->action = AJAR_ACTION_HOLD;
    else if (strcmp(name, "archive") == 0)
        out->action = AJAR_ACTION_ARCHIVE;
    else {
        g_autofree char *what = ajar_rules_shown(action->string, action->string_len);
        return ajar_rules_fail(ctx, action->line, action->column, AJAR_RULES_ERROR_VALUE,
                               action_path,
                               /* TRANSLATORS: %s is what the file says instead; words in
                                * double quotes are rules.json's own values. */
                               _("\"%s\" is not an action for chat lines; use \"pass\", "
                                 "\"hold\" or \"archive\""),
                               what);
    }
    return TRUE;
}
