/* ajar-rules-fold.c — names and words in the form they are compared in:
 * the default normalizer of buddy names, and the case-folded form of nicks,
 * rooms, rule names and keywords. The lowest part of rules/: every other
 * file may call it, it calls none of them. */
#include "ajar-rules-private.h"

#include <string.h>

char *
ajar_rules_normalize_default(const char *protocol, const char *name, gpointer user_data)
{
    g_autofree char *valid = g_utf8_make_valid(name, -1);
    g_autofree char *nfkc = g_utf8_normalize(valid, -1, G_NORMALIZE_ALL);
    char *slash;
    char *folded = g_utf8_casefold(nfkc != NULL ? nfkc : valid, -1);

    /* "sam@example.org/phone" and "sam@example.org" are one person. */
    slash = strchr(folded, '/');
    if (slash != NULL)
        *slash = '\0';
    return folded;
}

char *
ajar_rules_fold(const char *text)
{
    g_autofree char *valid = g_utf8_make_valid(text, -1);
    g_autofree char *nfkc = g_utf8_normalize(valid, -1, G_NORMALIZE_ALL);
    return g_utf8_casefold(nfkc != NULL ? nfkc : valid, -1);
}
