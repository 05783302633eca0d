/* rules-test-util.h — what the rules tests share (header-only). */
#pragma once

#include <string.h>

#include "ajar/ajar-rules.h"

/* A stand-in for the messenger's normalizer: XMPP names lose case and
 * resource, IRC names only case; a NULL protocol is treated like XMPP. */
static guint normalize_calls G_GNUC_UNUSED;

static G_GNUC_UNUSED char *
test_normalize(const char *protocol, const char *name, gpointer user_data)
{
    char *lower = g_ascii_strdown(name, -1);
    char *slash;

    normalize_calls++;
    if (protocol == NULL || strcmp(protocol, "prpl-jabber") == 0) {
        slash = strchr(lower, '/');
        if (slash != NULL)
            *slash = '\0';
    }
    return lower;
}

static G_GNUC_UNUSED AjarRuleSet *
parse_ok(const char *json)
{
    g_autoptr(GError) error = NULL;
    AjarRuleSet *rules = ajar_rules_parse(json, -1, "rules.json", test_normalize, NULL, &error);
    g_assert_no_error(error);
    g_assert_nonnull(rules);
    return rules;
}
