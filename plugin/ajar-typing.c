/* ajar-typing.c — "typing…" is not sent to a person while a message you
 * wrote to them would not go out at once: their rule's outgoing action is
 * not pass (hold, delay, ask) or they are inside its quiet hours now. A
 * notice of typing for a message that may never be sent says what the
 * message was to keep quiet.
 *
 * libpurple 2.14 has no signal for your own typing. Pidgin (gtkconv.c:
 * got_typing_keypress(), and send_typed_cb() through
 * purple_conv_im_start_send_typed_timeout()), Finch (gntconv.c) and
 * libpurple itself (conversation.c: purple_conversation_destroy() sends
 * PURPLE_NOT_TYPING when an IM window closes) all call serv_send_typing(),
 * and server.c's serv_send_typing() calls the protocol straight away:
 *
 *     if (prpl_info && prpl_info->send_typing)
 *         return prpl_info->send_typing(gc, name, state);
 *
 * So while Ajar is loaded each protocol's prpl_info->send_typing is
 * replaced by send_typing_cb(), which asks the rules and then calls the
 * protocol's own; unload puts each back. Protocols loaded after Ajar are
 * wrapped when libpurple says so ("plugin-load"); one unloaded first gets
 * its own back ("plugin-unload").
 *
 * A function in a protocol's table gets no user data, so this file keeps
 * the one piece of state outside AjarPlugin (STYLE.md allows none
 * otherwise): which function each protocol had, and the plugin the wrapper
 * asks. If another plugin wrapped send_typing after Ajar, Ajar's cannot be
 * taken out of its chain at unload: it is left in place with @typing_ajar
 * NULL, passing everything through (libpurple keeps an unloaded plugin's
 * code mapped until quit, purple_plugin_destroy()). */
#include "ajar-typing.h"

#include <debug.h>
#include <prpl.h>

typedef unsigned int (*SendTyping)(PurpleConnection *gc, const char *name, PurpleTypingState state);

/* The protocol's own send_typing, by its PurplePluginProtocolInfo*. Kept
 * for the process's life once made (see above). */
static GHashTable *originals;
/* The loaded Ajar the wrapper asks, or NULL (everything passes). */
static AjarPlugin *typing_ajar;

/* Whether a message to @name over @account would be kept now. */
static gboolean
withheld(AjarPlugin *ajar, PurpleAccount *account, const char *name)
{
    AjarFacts facts = { 0 };
    AjarDecision decision;
    g_autoptr(GDateTime) now = NULL;

    if (ajar->journal == NULL || account == NULL || name == NULL)
        return FALSE; /* Ajar keeps nothing without its journal, so hides nothing */
    facts.direction = AJAR_DIRECTION_OUT;
    facts.account = purple_account_get_username(account);
    facts.protocol = purple_account_get_protocol_id(account);
    facts.buddy = name;
    /* Typing goes out often: no clock for someone no rule names. */
    if (ajar_rules_find(ajar->rules, facts.account, facts.protocol, facts.buddy) < 0)
        return FALSE;
    now = g_date_time_new_now_local();
    ajar_rules_decide(ajar->rules, &facts, now, &decision);
    return decision.action != AJAR_ACTION_PASS;
}

/* Key of @typing_ajar->typing_sent: account, protocol and @name as the
 * protocol normalizes it. */
static char *
sent_key(PurpleAccount *account, const char *name)
{
    return g_strdup_printf("%s\n%s\n%s", purple_account_get_username(account),
                           purple_account_get_protocol_id(account),
                           purple_normalize(account, name));
}

static unsigned int
send_typing_cb(PurpleConnection *gc, const char *name, PurpleTypingState state)
{
    PurplePlugin *prpl = gc != NULL ? purple_connection_get_prpl(gc) : NULL;
    SendTyping original = NULL;
    PurpleAccount *account;
    g_autofree char *key = NULL;

    if (prpl != NULL && originals != NULL)
        original = g_hash_table_lookup(originals, PURPLE_PLUGIN_PROTOCOL_INFO(prpl));
    if (original == NULL)
        return 0;
    account = purple_connection_get_account(gc);
    if (typing_ajar == NULL || account == NULL || name == NULL)
        return original(gc, name, state);
    key = sent_key(account, name);
    /* Every state, "stopped" too: any of them says you have their window
     * open. 0: libpurple need not send "typing" again later. Except the
     * "stopped" that ends a "typing…" which went out before their rule
     * (say "/ajar cooloff 10" typed in that window): without it their
     * side would show "typing…" for good. */
    if (withheld(typing_ajar, account, name) &&
        !(state == PURPLE_NOT_TYPING && g_hash_table_contains(typing_ajar->typing_sent, key))) {
        purple_debug_info("ajar", "typing state %d to a kept contact not sent\n", (int)state);
        return 0;
    }
    if (state == PURPLE_NOT_TYPING)
        g_hash_table_remove(typing_ajar->typing_sent, key);
    else
        g_hash_table_add(typing_ajar->typing_sent, g_steal_pointer(&key));
    return original(gc, name, state);
}

static void
wrap(PurplePlugin *plugin)
{
    PurplePluginProtocolInfo *info;

    if (plugin == NULL || !PURPLE_IS_PROTOCOL_PLUGIN(plugin))
        return;
    info = PURPLE_PLUGIN_PROTOCOL_INFO(plugin);
    if (info == NULL || info->send_typing == NULL || info->send_typing == send_typing_cb)
        return;
    /* Ajar's wrapper is still in this protocol's chain, under another
     * plugin's (left there at an earlier unload, see top): it already
     * knows the protocol's own function and asks @typing_ajar. Wrapping
     * again would take the other plugin's wrapper for the protocol's own:
     * each would call the other for ever. */
    if (g_hash_table_contains(originals, info))
        return;
    g_hash_table_insert(originals, info, (gpointer)info->send_typing);
    info->send_typing = send_typing_cb;
}

static void
unwrap(PurplePlugin *plugin)
{
    PurplePluginProtocolInfo *info;
    SendTyping original;

    if (plugin == NULL || !PURPLE_IS_PROTOCOL_PLUGIN(plugin))
        return;
    info = PURPLE_PLUGIN_PROTOCOL_INFO(plugin);
    original = info != NULL ? g_hash_table_lookup(originals, info) : NULL;
    /* Only our own wrapper is taken out; one put over it stays (see top). */
    if (original == NULL || info->send_typing != send_typing_cb)
        return;
    info->send_typing = original;
    g_hash_table_remove(originals, info);
}

static void
plugin_load_cb(PurplePlugin *plugin, gpointer data)
{
    wrap(plugin);
}

static void
plugin_unload_cb(PurplePlugin *plugin, gpointer data)
{
    unwrap(plugin);
}

void
ajar_typing_connect(AjarPlugin *ajar)
{
    if (originals == NULL)
        originals = g_hash_table_new(g_direct_hash, g_direct_equal);
    ajar->typing_sent = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    typing_ajar = ajar;
    for (GList *l = purple_plugins_get_protocols(); l != NULL; l = l->next)
        wrap(l->data);
    purple_signal_connect(purple_plugins_get_handle(), "plugin-load", ajar->plugin,
                          PURPLE_CALLBACK(plugin_load_cb), ajar);
    purple_signal_connect(purple_plugins_get_handle(), "plugin-unload", ajar->plugin,
                          PURPLE_CALLBACK(plugin_unload_cb), ajar);
}

void
ajar_typing_disconnect(AjarPlugin *ajar)
{
    purple_signal_disconnect(purple_plugins_get_handle(), "plugin-load", ajar->plugin,
                             PURPLE_CALLBACK(plugin_load_cb));
    purple_signal_disconnect(purple_plugins_get_handle(), "plugin-unload", ajar->plugin,
                             PURPLE_CALLBACK(plugin_unload_cb));
    for (GList *l = purple_plugins_get_protocols(); l != NULL; l = l->next)
        unwrap(l->data);
    typing_ajar = NULL;
    g_clear_pointer(&ajar->typing_sent, g_hash_table_unref);
    /* Emptied unless another plugin's wrapper still calls ours: then the
     * table stays, for the life of the process. */
    if (originals != NULL && g_hash_table_size(originals) == 0)
        g_clear_pointer(&originals, g_hash_table_unref);
}
