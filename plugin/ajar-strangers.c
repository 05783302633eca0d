/* ajar-strangers.c — new senders: the new account that is really them.
 *
 * receiving-im-msg asks here whether a sender is a stranger (the rules'
 * {"stranger": true} entries match only those); the review and /ajar ask
 * for the strangers' kept messages, grouped by sender, and carry out what
 * the user decides: "This is NAME" (the address joins rule NAME's match and
 * the messages stay kept under it) or "Let them through" (released, and the
 * address goes into settings.allowed). Discard is the review's own. */
#include "ajar-strangers.h"

#include "ajar-custody.h"
#include "ajar-normalize.h"
#include "ajar-rules-file.h"

#include <blist.h>
#include <connection.h>
#include <string.h>
#include <util.h>

#include "ajar/ajar-i18n.h"
#include "ajar/ajar-reveal.h"

/* @name as the account's protocol compares names. Returns: (transfer full). */
static char *
normalized(PurpleAccount *account, const char *name)
{
    const char *out = purple_normalize(account, name);

    return g_strdup(out != NULL ? out : name);
}

/* Servers and services write too, and are nobody to screen. Decided per
 * protocol by how it names people. */
static gboolean
is_system_sender(PurpleAccount *account, const char *sender)
{
    const char *protocol = purple_account_get_protocol_id(account);
    const char *slash;
    g_autofree char *bare = NULL;

    if (*sender == '\0')
        return TRUE;
    /* IRC: a nick holds no '.', so a name with one is a server (its
     * notices); services are NickServ, ChanServ, MemoServ, OperServ... */
    if (g_strcmp0(protocol, "prpl-irc") == 0)
        return strchr(sender, '.') != NULL || g_str_has_suffix(sender, "Serv");
    /* XMPP, and protocols whose accounts are addresses: a name without '@'
     * is a server or one of its components (announcements, the message of
     * the day, transports). Elsewhere (ICQ numbers, Yahoo names) names have
     * no '@' at all: only an empty one is the system. */
    if (g_strcmp0(protocol, "prpl-jabber") != 0 &&
        strchr(purple_account_get_username(account), '@') == NULL)
        return FALSE;
    slash = strchr(sender, '/');
    bare = g_strndup(sender, slash != NULL ? (gsize)(slash - sender) : strlen(sender));
    return strchr(bare, '@') == NULL;
}

/* The account itself: its other devices, a message to yourself. IRC names
 * the user by the nick of the connection, not by the account. */
static gboolean
is_self(PurpleAccount *account, const char *sender)
{
    PurpleConnection *gc = purple_account_get_connection(account);
    const char *nick = gc != NULL ? purple_connection_get_display_name(gc) : NULL;
    g_autofree char *who = normalized(account, sender);
    g_autofree char *me = normalized(account, purple_account_get_username(account));
    g_autofree char *mine = nick != NULL ? normalized(account, nick) : NULL;

    return g_strcmp0(who, me) == 0 || (mine != NULL && g_strcmp0(who, mine) == 0);
}

/* Someone in a room the account is in, writing privately: XMPP names them
 * "room@conference.example.org/nick". The room is known; the person is not
 * a stranger who found another way in. */
static gboolean
is_chat_occupant(PurpleAccount *account, const char *sender)
{
    const char *slash = strchr(sender, '/');
    g_autofree char *room = NULL;

    if (slash == NULL || slash == sender)
        return FALSE;
    room = g_strndup(sender, (gsize)(slash - sender));
    return purple_find_conversation_with_account(PURPLE_CONV_TYPE_CHAT, room, account) != NULL;
}

gboolean
ajar_strangers_is_stranger(PurpleAccount *account, const char *sender, PurpleMessageFlags flags)
{
    if (account == NULL || sender == NULL || (flags & PURPLE_MESSAGE_AUTO_RESP))
        return FALSE;
    /* purple_find_buddy() compares names as the protocol does (case, XMPP
     * resource). First: most messages are from buddies, and it normalizes
     * the name once where is_self() does so up to three times. */
    if (purple_find_buddy(account, sender) != NULL)
        return FALSE;
    return !is_system_sender(account, sender) && !is_self(account, sender) &&
           !is_chat_occupant(account, sender);
}

void
ajar_stranger_free(AjarStranger *stranger)
{
    if (stranger == NULL)
        return;
    g_free(stranger->key);
    g_free(stranger->account);
    g_free(stranger->protocol);
    g_free(stranger->address);
    g_free(stranger->shown);
    g_ptr_array_unref(stranger->ids);
    g_free(stranger);
}

static AjarStranger *
stranger_new(const char *account, const char *protocol, const char *address, const char *shown)
{
    AjarStranger *stranger = g_new0(AjarStranger, 1);

    stranger->key =
        g_strconcat(AJAR_STRANGERS_KEY_PREFIX, account, "\n", protocol, "\n", address, NULL);
    stranger->account = g_strdup(account);
    stranger->protocol = g_strdup(protocol);
    stranger->address = g_strdup(address);
    stranger->shown = g_strdup(shown);
    stranger->ids = g_ptr_array_new_with_free_func(g_free);
    return stranger;
}

GPtrArray *
ajar_strangers_list(AjarPlugin *ajar, PurpleAccount *account, const char *buddy)
{
    g_autoptr(GPtrArray) items = ajar_custody_list(ajar, account, buddy);
    g_autoptr(GHashTable) by_key = g_hash_table_new(g_str_hash, g_str_equal);
    GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)ajar_stranger_free);

    for (guint i = 0; i < items->len; i++) {
        const AjarItem *item = g_ptr_array_index(items, i);
        g_autofree char *address = NULL;
        g_autofree char *key = NULL;
        AjarStranger *stranger;

        if (!item->stranger || item->dir != AJAR_DIRECTION_IN)
            continue;
        address = ajar_normalize_cb(item->protocol, item->buddy, ajar);
        key = g_strconcat(AJAR_STRANGERS_KEY_PREFIX, item->account, "\n", item->protocol, "\n",
                          address, NULL);
        stranger = g_hash_table_lookup(by_key, key);
        if (stranger == NULL) {
            stranger = stranger_new(item->account, item->protocol, address, item->buddy);
            g_hash_table_insert(by_key, stranger->key, stranger);
            g_ptr_array_add(out, stranger);
        }
        g_ptr_array_add(stranger->ids, g_strdup(item->id));
        if (item->interrupted)
            stranger->interrupted++;
        if (item->state == AJAR_EVENT_ARCHIVED || item->state == AJAR_EVENT_READ)
            stranger->archived++;
        else
            stranger->held++;
        stranger->newest = MAX(stranger->newest, item->time);
    }
    return out;
}

gboolean
ajar_strangers_has_kept(AjarPlugin *ajar, PurpleAccount *account, const char *buddy)
{
    g_autoptr(GPtrArray) kept = ajar_strangers_list(ajar, account, buddy);

    return kept->len > 0;
}

AjarStranger *
ajar_strangers_lookup(AjarPlugin *ajar, const char *key)
{
    g_autoptr(GPtrArray) all = ajar_strangers_list(ajar, NULL, NULL);

    for (guint i = 0; i < all->len; i++) {
        if (g_strcmp0(((AjarStranger *)g_ptr_array_index(all, i))->key, key) == 0)
            return g_ptr_array_steal_index(all, i);
    }
    return NULL;
}

/* The rule called @name (names are unique ignoring case), or -1. */
static int
rule_named(AjarPlugin *ajar, const char *name)
{
    g_autofree char *wanted = g_utf8_casefold(name, -1);

    for (guint i = 0; i < ajar_rules_get_count(ajar->rules); i++) {
        g_autofree char *each = g_utf8_casefold(ajar_rules_get_rule(ajar->rules, i)->name, -1);
        if (g_strcmp0(each, wanted) == 0)
            return (int)i;
    }
    return -1;
}

/* As for any edit from a menu or /ajar (ajar-contact.c): never write over
 * rules Ajar could not read, nor without a journal. */
static gboolean
may_change_rules(AjarPlugin *ajar, GError **error)
{
    if (ajar->journal_busy) {
        g_autofree char *why = ajar_context_busy_text(ajar);
        g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_BUSY, why);
        return FALSE;
    }
    if (ajar->journal == NULL) {
        g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_FAILED,
                            _("Ajar is not holding anything back, because its journal could not "
                              "be opened; the rules stay as they are."));
        return FALSE;
    }
    if (ajar->rules_error != NULL) {
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
                    /* TRANSLATORS: %s is the mistake, e.g. "rules.json:3:5:
                     * rules[0].name: must be text". */
                    _("rules.json has a mistake (%s); fix it first, so that your edit is not "
                      "overwritten."),
                    ajar->rules_error);
        return FALSE;
    }
    return TRUE;
}

gboolean
ajar_strangers_assign(AjarPlugin *ajar, const AjarStranger *stranger, const char *rule_name,
                      guint *moved, GError **error)
{
    int index = rule_named(ajar, rule_name);
    g_autofree char *name = NULL;
    g_autoptr(GError) first_error = NULL;

    *moved = 0;
    if (index < 0) {
        g_autofree char *shown = ajar_reveal_name(rule_name);
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                    /* TRANSLATORS: %s is what was typed as a rule's name. */
                    _("Ajar has no rule named %s."), shown);
        return FALSE;
    }
    if (!may_change_rules(ajar, error))
        return FALSE;
    name = g_strdup(ajar_rules_get_rule(ajar->rules, (guint)index)->name);
    /* Already theirs (a second try after a journal failure): the rules
     * stay as they are. */
    if (ajar_rules_find(ajar->rules, stranger->account, stranger->protocol, stranger->address) !=
        index) {
        g_autoptr(AjarRule) rule = ajar_rule_copy(ajar_rules_get_rule(ajar->rules, (guint)index));
        g_autoptr(AjarRuleSet) changed = NULL;

        ajar_rule_add_match(rule, stranger->account, stranger->protocol, stranger->address);
        changed = ajar_rules_with_rule(ajar->rules, (guint)index, rule, AJAR_RULES_FILE, error);
        if (changed == NULL || !ajar_rules_file_replace(ajar, changed, error))
            return FALSE;
    }
    /* Their messages stay kept, as they are, now under the rule. */
    for (guint i = 0; i < stranger->ids->len; i++) {
        const char *id = g_ptr_array_index(stranger->ids, i);
        g_autoptr(AjarEvent) event = NULL;
        g_autoptr(GError) journal_error = NULL;

        if (ajar_custody_lookup(ajar, id, NULL) == NULL)
            continue;
        event = ajar_event_new(AJAR_EVENT_ASSIGNED);
        event->ts = ajar_context_now();
        event->id = g_strdup(id);
        event->rule = g_strdup(name);
        if (ajar_context_journal(ajar, event, &journal_error))
            (*moved)++;
        else if (first_error == NULL)
            first_error = g_steal_pointer(&journal_error);
    }
    if (first_error != NULL) {
        /* TRANSLATORS: %s is why (one sentence). */
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                    _("The address was added to the rule, but some of their messages could not "
                      "be moved to it: %s"),
                    first_error->message);
        return FALSE;
    }
    return TRUE;
}

gboolean
ajar_strangers_allow(AjarPlugin *ajar, const AjarStranger *stranger, guint *released,
                     guint *skipped, GError **error)
{
    g_autoptr(GError) first_error = NULL;

    *released = 0;
    *skipped = 0;
    if (!may_change_rules(ajar, error))
        return FALSE;
    /* Remembered first: a release that fails leaves that message kept,
     * and what comes next from them is shown. */
    if (!ajar_rules_is_allowed(ajar->rules, stranger->protocol, stranger->address)) {
        g_autoptr(AjarRuleSet) changed =
            ajar_rules_with_allowed(ajar->rules, stranger->address, error);
        if (changed == NULL || !ajar_rules_file_replace(ajar, changed, error))
            return FALSE;
    }
    for (guint i = 0; i < stranger->ids->len; i++) {
        g_autoptr(GError) release_error = NULL;
        const AjarItem *item = ajar_custody_lookup(ajar, g_ptr_array_index(stranger->ids, i), NULL);

        if (item == NULL)
            continue;
        /* As Release all: one Ajar stopped showing halfway may be there
         * already; it stays kept until chosen by its id. */
        if (item->interrupted) {
            (*skipped)++;
            continue;
        }
        if (ajar_custody_release(ajar, g_ptr_array_index(stranger->ids, i), &release_error))
            (*released)++;
        else if (first_error == NULL)
            first_error = g_steal_pointer(&release_error);
    }
    if (first_error != NULL) {
        /* TRANSLATORS: %s is why (one sentence). */
        g_set_error(error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                    _("The address is let through, but some of their messages could not be "
                      "shown; they stay kept: %s"),
                    first_error->message);
        return FALSE;
    }
    return TRUE;
}

/* What a command says when a change failed: nothing changed, or (the
 * address saved, some messages not) what did. Returns: (transfer full). */
static char *
failed_line(const GError *error)
{
    if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
        return g_strdup(error->message);
    /* TRANSLATORS: %s is why (one sentence). */
    return g_strdup_printf(_("Nothing was changed: %s"), error->message);
}

/* The stranger this conversation is with, with their kept messages (none,
 * if they are a stranger only now), or NULL if it is not with one: a
 * buddy, a name a rule already has, the account itself, the system. But
 * a name rule @is_rule (nullable) already has, with messages still kept as
 * a stranger's, is theirs: "/ajar is NAME" again after the address was
 * saved and the journal failed, to journal the rest. */
static AjarStranger *
stranger_of(AjarPlugin *ajar, PurpleConversation *conv, const char *is_rule)
{
    PurpleAccount *account = purple_conversation_get_account(conv);
    const char *who = purple_conversation_get_name(conv);
    const char *account_name = purple_account_get_username(account);
    const char *protocol = purple_account_get_protocol_id(account);
    g_autoptr(GPtrArray) kept = NULL;
    g_autofree char *address = NULL;
    int owner = ajar_rules_find(ajar->rules, account_name, protocol, who);

    if (owner >= 0 && (is_rule == NULL || rule_named(ajar, is_rule) != owner))
        return NULL;
    kept = ajar_strangers_list(ajar, account, who);
    if (kept->len > 0)
        return g_ptr_array_steal_index(kept, 0);
    if (owner >= 0)
        return NULL;
    if (!ajar_strangers_is_stranger(account, who, 0))
        return NULL;
    address = ajar_normalize_cb(protocol, who, ajar);
    return stranger_new(account_name, protocol, address, who);
}

static char *
not_a_stranger(void)
{
    return g_strdup(_("Ajar: this conversation is not with a new sender, so nothing was "
                      "changed."));
}

char *
ajar_strangers_command_is(AjarPlugin *ajar, PurpleConversation *conv, const char *name,
                          char **error_out)
{
    g_autoptr(AjarStranger) stranger = stranger_of(ajar, conv, name);
    g_autoptr(GError) error = NULL;
    g_autofree char *shown = NULL;
    guint moved = 0;
    int index;

    if (stranger == NULL) {
        *error_out = not_a_stranger();
        return NULL;
    }
    index = rule_named(ajar, name);
    if (index < 0) {
        g_autofree char *typed = ajar_reveal_name(name);
        /* TRANSLATORS: %s is what was typed as a rule's name after
         * "/ajar is". */
        *error_out =
            g_strdup_printf(_("Ajar has no rule named %s, so nothing was changed."), typed);
        return NULL;
    }
    shown = ajar_reveal_name(ajar_rules_get_rule(ajar->rules, (guint)index)->name);
    if (!ajar_strangers_assign(ajar, stranger, name, &moved, &error)) {
        *error_out = failed_line(error);
        return NULL;
    }
    if (moved == 0)
        /* TRANSLATORS: %s is the person's name (their rule's name). */
        return g_strdup_printf(_("Ajar: this address now belongs to %s."), shown);
    return g_strdup_printf(
        /* TRANSLATORS: %s is the person's name (their rule's name); %u how
         * many of this sender's messages Ajar keeps. */
        P_("Ajar: this address now belongs to %s; %u kept message stays kept under that name.",
           "Ajar: this address now belongs to %s; %u kept messages stay kept under that name.",
           moved),
        shown, moved);
}

char *
ajar_strangers_command_allow(AjarPlugin *ajar, PurpleConversation *conv, char **error_out)
{
    g_autoptr(AjarStranger) stranger = stranger_of(ajar, conv, NULL);
    g_autoptr(GError) error = NULL;
    guint released = 0, skipped = 0;

    if (stranger == NULL) {
        *error_out = not_a_stranger();
        return NULL;
    }
    if (!ajar_strangers_allow(ajar, stranger, &released, &skipped, &error)) {
        *error_out = failed_line(error);
        return NULL;
    }
    if (skipped > 0)
        return g_strdup_printf(
            /* TRANSLATORS: after "/ajar allow": the first %u is how many
             * kept messages were shown, the second how many were not
             * because they may be in the conversation already; "/ajar
             * release ID" is a command: keep /ajar and release as they
             * are. */
            P_("Ajar: this address will not be screened again; released: %u; %u kept message "
               "that may already be shown stays kept (/ajar release ID shows it).",
               "Ajar: this address will not be screened again; released: %u; %u kept messages "
               "that may already be shown stay kept (/ajar release ID shows one).",
               skipped),
            released, skipped);
    if (released == 0)
        return g_strdup(_("Ajar: this address is let through and will not be screened again."));
    return g_strdup_printf(P_("Ajar: %u kept message released; this address will not be "
                              "screened again.",
                              "Ajar: %u kept messages released; this address will not be "
                              "screened again.",
                              released),
                           released);
}
