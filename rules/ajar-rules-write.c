/* ajar-rules-write.c — a rule set as the text of rules.json, and the names
 * its values are written with. What is written here is what
 * ajar-rules-parse.c reads back. */
#include "ajar-rules-private.h"

#include "ajar/ajar-json.h"

const char *
ajar_action_to_string(AjarAction action)
{
    switch (action) {
    case AJAR_ACTION_PASS: return "pass";
    case AJAR_ACTION_HOLD: return "hold";
    case AJAR_ACTION_ARCHIVE: return "archive";
    case AJAR_ACTION_DELAY: return "delay";
    case AJAR_ACTION_ASK: return "ask";
    }
    return "pass";
}

const char *
ajar_direction_to_string(AjarDirection direction)
{
    return direction == AJAR_DIRECTION_OUT ? "out" : "in";
}

const char *
ajar_notify_to_string(AjarNotify notify)
{
    switch (notify) {
    case AJAR_NOTIFY_SILENT: return "silent";
    case AJAR_NOTIFY_COUNT: return "count";
    case AJAR_NOTIFY_MESSAGE: return "message";
    }
    return "count";
}

static void
append_member(GString *out, const char *key, gboolean *first)
{
    if (!*first)
        g_string_append(out, ", ");
    *first = FALSE;
    ajar_json_append_string(out, key, -1);
    g_string_append(out, ": ");
}

static void
append_direction(GString *out, const char *key, const AjarDirectionRule *what, gboolean outgoing)
{
    gboolean first = TRUE;

    g_string_append_printf(out, "      \"%s\": { ", key);
    append_member(out, "action", &first);
    ajar_json_append_string(out, ajar_action_to_string(what->action), -1);
    if (what->action == AJAR_ACTION_DELAY) {
        if (what->delay_kind == AJAR_DELAY_AT) {
            append_member(out, "at", &first);
            g_string_append_printf(out, "\"%02d:%02d\"", what->at_minute / 60,
                                   what->at_minute % 60);
        } else {
            append_member(out, "seconds", &first);
            g_string_append_printf(out, "%" G_GINT64_FORMAT, what->seconds);
        }
        if (outgoing) {
            append_member(out, "confirm", &first);
            g_string_append(out, what->confirm ? "true" : "false");
        }
    }
    if (what->action == AJAR_ACTION_ASK && what->question != NULL) {
        append_member(out, "question", &first);
        ajar_json_append_string(out, what->question, -1);
    }
    if (outgoing && what->has_quiet) {
        append_member(out, "quiet_hours", &first);
        g_string_append_printf(out, "{ \"from\": \"%02d:%02d\", \"until\": \"%02d:%02d\" }",
                               what->quiet_from_minute / 60, what->quiet_from_minute % 60,
                               what->quiet_until_minute / 60, what->quiet_until_minute % 60);
    }
    g_string_append(out, " }");
}

static void
append_rule(GString *out, const AjarRule *rule)
{
    g_string_append(out, "    {\n      \"name\": ");
    ajar_json_append_string(out, rule->name, -1);
    g_string_append(out, ",\n      \"match\": [\n");
    for (guint m = 0; m < rule->matches->len; m++) {
        const AjarMatch *match = g_ptr_array_index(rule->matches, m);
        gboolean first = TRUE;

        g_string_append(out, "        { ");
        if (match->account != NULL) {
            append_member(out, "account", &first);
            ajar_json_append_string(out, match->account, -1);
        }
        if (match->protocol != NULL) {
            append_member(out, "protocol", &first);
            ajar_json_append_string(out, match->protocol, -1);
        }
        if (match->buddy != NULL) {
            append_member(out, "buddy", &first);
            ajar_json_append_string(out, match->buddy, -1);
        }
        if (match->stranger) {
            append_member(out, "stranger", &first);
            g_string_append(out, "true");
        }
        if (match->chat_nick != NULL) {
            append_member(out, "chat_nick", &first);
            ajar_json_append_string(out, match->chat_nick, -1);
        }
        if (match->chat != NULL) {
            append_member(out, "chat", &first);
            ajar_json_append_string(out, match->chat, -1);
        }
        g_string_append(out, m + 1 < rule->matches->len ? " },\n" : " }\n");
    }
    g_string_append(out, "      ],\n");
    append_direction(out, "incoming", &rule->incoming, FALSE);
    g_string_append(out, ",\n");
    append_direction(out, "outgoing", &rule->outgoing, TRUE);
    if (rule->chats.action != AJAR_ACTION_PASS) {
        g_string_append(out, ",\n");
        append_direction(out, "chats", &rule->chats, FALSE);
    }
    if (rule->pass_keywords->len > 0) {
        g_string_append(out, ",\n      \"pass_keywords\": [");
        for (guint k = 0; k < rule->pass_keywords->len; k++) {
            if (k > 0)
                g_string_append(out, ", ");
            ajar_json_append_string(out, g_ptr_array_index(rule->pass_keywords, k), -1);
        }
        g_string_append(out, "]");
    }
    if (rule->has_active_from || rule->has_active_until) {
        gboolean first = TRUE;

        g_string_append(out, ",\n      \"active\": { ");
        if (rule->has_active_from) {
            append_member(out, "from", &first);
            ajar_json_append_string(out, rule->active_from_text, -1);
        }
        if (rule->has_active_until) {
            append_member(out, "until", &first);
            ajar_json_append_string(out, rule->active_until_text, -1);
        }
        g_string_append(out, " }");
    }
    g_string_append(out, "\n    }");
}

char *
ajar_rules_serialize(const AjarRuleSet *rules)
{
    GString *out = g_string_new("{\n  \"version\": 1,\n  \"rules\": [");

    g_return_val_if_fail(rules != NULL, NULL);
    for (guint r = 0; r < rules->rules->len; r++) {
        g_string_append(out, r == 0 ? "\n" : ",\n");
        append_rule(out, g_ptr_array_index(rules->rules, r));
    }
    g_string_append(out, rules->rules->len > 0 ? "\n  ],\n" : "],\n");
    g_string_append_printf(out, "  \"settings\": { \"notify\": \"%s\"",
                           ajar_notify_to_string(rules->notify));
    if (rules->allowed->len > 0) {
        g_string_append(out, ", \"allowed\": [");
        for (guint i = 0; i < rules->allowed->len; i++) {
            if (i > 0)
                g_string_append(out, ", ");
            ajar_json_append_string(out, g_ptr_array_index(rules->allowed, i), -1);
        }
        g_string_append(out, "]");
    }
    g_string_append(out, " }\n}\n");
    return g_string_free(out, FALSE);
}
