/* ajar-normalize.c — names compared as the messenger compares them.
 *
 * The core is given this function so that "Sam@Example.org/phone" and
 * "sam@example.org" are one buddy exactly when the protocol says so
 * (purple_normalize() with the protocol's own normalizer). */
#include "ajar-normalize.h"

#include <string.h>

#include <account.h>
#include <prpl.h>
#include <util.h>

char *
ajar_normalize_cb(const char *protocol, const char *name, gpointer user_data)
{
    if (protocol != NULL) {
        /* purple_normalize() wants an account of that protocol: any will do,
         * protocol normalizers depend on the protocol, not the account. */
        for (GList *l = purple_accounts_get_all(); l != NULL; l = l->next) {
            PurpleAccount *account = l->data;
            if (g_strcmp0(purple_account_get_protocol_id(account), protocol) == 0) {
                const char *normalized = purple_normalize(account, name);
                if (normalized != NULL)
                    return g_strdup(normalized);
                break;
            }
        }
    }
    /* No account of that protocol (or any protocol): case, Unicode width and
     * an XMPP-style "/resource" do not matter. */
    return ajar_rules_normalize_default(protocol, name, NULL);
}
