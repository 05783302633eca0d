/* test-prpl.c — "Ajar Test", a protocol plugin that lives inside the test client. */
#include "test-prpl.h"

#include <string.h>

#include <account.h>
#include <connection.h>
#include <debug.h>
#include <eventloop.h>
#include <errno.h>
#include <server.h>
#include <prpl.h>
#include <status.h>
#include <version.h>

/* Per connection: the pending "handshake done" timer. */
typedef struct {
    guint login_timer;
} TestPrplConnection;

static GPtrArray *sent;
static GPtrArray *sent_typing;
/* "room\nnick" -> the occupant's real address, as a non-anonymous XMPP
 * room reveals it (test_prpl_set_real_address()). */
static GHashTable *real_addresses;
static int next_chat_id = 1;
static int send_result = 1;
static gboolean drop_next_send;

static void
test_sent_free(TestSent *item)
{
    g_free(item->account);
    g_free(item->who);
    g_free(item->message);
    g_free(item);
}

static void
test_sent_typing_free(TestSentTyping *item)
{
    g_free(item->account);
    g_free(item->who);
    g_free(item);
}

/* ---- protocol operations ---- */

static const char *
prpl_list_icon(PurpleAccount *account, PurpleBuddy *buddy)
{
    return TEST_PRPL_ICON;
}

static GList *
prpl_status_types(PurpleAccount *account)
{
    GList *types = NULL;

    /* The first available type is what a new account starts in, so enabling
     * an account connects it. */
    types = g_list_append(types,
                          purple_status_type_new(PURPLE_STATUS_AVAILABLE, "available", NULL, TRUE));
    types = g_list_append(types, purple_status_type_new(PURPLE_STATUS_AWAY, "away", NULL, TRUE));
    types =
        g_list_append(types, purple_status_type_new(PURPLE_STATUS_OFFLINE, "offline", NULL, TRUE));
    return types;
}

static gboolean
login_done_cb(gpointer data)
{
    PurpleConnection *gc = data;
    TestPrplConnection *conn = purple_connection_get_protocol_data(gc);

    conn->login_timer = 0;
    purple_connection_update_progress(gc, "Connected", 1, 2);
    purple_connection_set_state(gc, PURPLE_CONNECTED);
    return G_SOURCE_REMOVE;
}

static void
prpl_login(PurpleAccount *account)
{
    PurpleConnection *gc = purple_account_get_connection(account);
    TestPrplConnection *conn = g_new0(TestPrplConnection, 1);

    /* Like XMPP: messages are HTML, so libpurple linkifies what the user
     * sends and the text logger strips markup. */
    gc->flags |= PURPLE_CONNECTION_HTML;
    purple_connection_set_protocol_data(gc, conn);
    purple_connection_update_progress(gc, "Connecting", 0, 2);
    /* A real protocol is connected only after a round trip; anything that
     * assumes "connected as soon as purple_account_connect() returns" would
     * pass here and fail with XMPP. */
    conn->login_timer = purple_timeout_add(0, login_done_cb, gc);
}

static void
prpl_close(PurpleConnection *gc)
{
    TestPrplConnection *conn = purple_connection_get_protocol_data(gc);

    if (conn == NULL)
        return;
    if (conn->login_timer != 0)
        purple_timeout_remove(conn->login_timer);
    purple_connection_set_protocol_data(gc, NULL);
    g_free(conn);
}

static int
prpl_send_im(PurpleConnection *gc, const char *who, const char *message, PurpleMessageFlags flags)
{
    TestSent *item = g_new0(TestSent, 1);

    item->account = g_strdup(purple_account_get_username(purple_connection_get_account(gc)));
    item->who = g_strdup(who);
    item->message = g_strdup(message);
    item->flags = flags;
    if (sent == NULL)
        sent = g_ptr_array_new_with_free_func((GDestroyNotify)test_sent_free);
    g_ptr_array_add(sent, item);
    purple_debug_info(TEST_PRPL_ICON, "send_im to %s: %s\n", who, message);
    if (drop_next_send) {
        drop_next_send = FALSE;
        /* What prpl-jabber's jabber_send_raw() does when its write fails. */
        purple_connection_error_reason(gc, PURPLE_CONNECTION_ERROR_NETWORK_ERROR,
                                       "Lost connection with server: Broken pipe");
        return 1;
    }
    return send_result;
}

static unsigned int
prpl_send_typing(PurpleConnection *gc, const char *name, PurpleTypingState state)
{
    TestSentTyping *item = g_new0(TestSentTyping, 1);

    item->account = g_strdup(purple_account_get_username(purple_connection_get_account(gc)));
    item->who = g_strdup(name);
    item->state = state;
    if (sent_typing == NULL)
        sent_typing = g_ptr_array_new_with_free_func((GDestroyNotify)test_sent_typing_free);
    g_ptr_array_add(sent_typing, item);
    /* 0: libpurple need not resend "typing" after a while. */
    return 0;
}

/* ---- rooms: one field, the room's name, as IRC's channel ---- */

static GList *
prpl_chat_info(PurpleConnection *gc)
{
    struct proto_chat_entry *entry = g_new0(struct proto_chat_entry, 1);

    entry->label = "_Room:";
    entry->identifier = "room";
    entry->required = TRUE;
    return g_list_append(NULL, entry);
}

static GHashTable *
prpl_chat_info_defaults(PurpleConnection *gc, const char *chat_name)
{
    GHashTable *defaults = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);

    if (chat_name != NULL)
        g_hash_table_insert(defaults, "room", g_strdup(chat_name));
    return defaults;
}

static char *
prpl_get_chat_name(GHashTable *components)
{
    return g_strdup(g_hash_table_lookup(components, "room"));
}

/* Joined at once, as a server that answers the join right away. */
static void
prpl_join_chat(PurpleConnection *gc, GHashTable *components)
{
    const char *room = g_hash_table_lookup(components, "room");
    PurpleConversation *conv;

    if (room == NULL || *room == '\0')
        return;
    conv = purple_find_conversation_with_account(PURPLE_CONV_TYPE_CHAT, room,
                                                 purple_connection_get_account(gc));
    if (conv != NULL && !purple_conv_chat_has_left(PURPLE_CONV_CHAT(conv)))
        return; /* already in it */
    serv_got_joined_chat(gc, next_chat_id++, room);
}

static void
prpl_chat_leave(PurpleConnection *gc, int id)
{
}

/* What the user says in a room is recorded (who: the room) and comes back
 * from the "server" as XMPP's rooms echo it: a line of the user's nick. */
static int
prpl_chat_send(PurpleConnection *gc, int id, const char *message, PurpleMessageFlags flags)
{
    PurpleConversation *conv = purple_find_chat(gc, id);
    TestSent *item;

    if (conv == NULL)
        return -EINVAL;
    item = g_new0(TestSent, 1);
    item->account = g_strdup(purple_account_get_username(purple_connection_get_account(gc)));
    item->who = g_strdup(purple_conversation_get_name(conv));
    item->message = g_strdup(message);
    item->flags = flags;
    if (sent == NULL)
        sent = g_ptr_array_new_with_free_func((GDestroyNotify)test_sent_free);
    g_ptr_array_add(sent, item);
    serv_got_chat_in(gc, id, purple_conv_chat_get_nick(PURPLE_CONV_CHAT(conv)), flags, message,
                     time(NULL));
    return 0;
}

/* As prpl-jabber: the real address when the room reveals it, else the
 * occupant's address in the room, "room/nick". */
static char *
prpl_get_cb_real_name(PurpleConnection *gc, int id, const char *who)
{
    PurpleConversation *conv = purple_find_chat(gc, id);
    g_autofree char *key = NULL;
    const char *real;

    if (conv == NULL)
        return NULL;
    key = g_strdup_printf("%s\n%s", purple_conversation_get_name(conv), who);
    real = real_addresses != NULL ? g_hash_table_lookup(real_addresses, key) : NULL;
    if (real != NULL)
        return g_strdup(real);
    return g_strdup_printf("%s/%s", purple_conversation_get_name(conv), who);
}

static void
prpl_set_status(PurpleAccount *account, PurpleStatus *status)
{
}

static void
prpl_add_buddy(PurpleConnection *gc, PurpleBuddy *buddy, PurpleGroup *group)
{
}

static void
prpl_remove_buddy(PurpleConnection *gc, PurpleBuddy *buddy, PurpleGroup *group)
{
}

/* As XMPP compares JIDs: case does not matter and the resource is dropped,
 * so "Sam@Example.org/phone" and "sam@example.org" are the same buddy. Like
 * every normalize(), the answer lives in a static buffer. */
static guint normalize_count;

guint
test_prpl_normalize_count(void)
{
    return normalize_count;
}

static const char *
prpl_normalize(const PurpleAccount *account, const char *who)
{
    static char normalized[1024];
    g_autofree char *lower = NULL;
    const char *slash;

    normalize_count++;

    if (who == NULL || !g_utf8_validate(who, -1, NULL))
        return NULL;
    slash = strchr(who, '/');
    lower = g_utf8_strdown(who, slash != NULL ? slash - who : -1);
    g_strlcpy(normalized, lower, sizeof(normalized));
    return normalized;
}

/* One kind of attention, as XMPP has ("Buzz", <attention/>). libpurple
 * asks for the list each time and never frees it: one list for the
 * process. */
static GList *
prpl_get_attention_types(PurpleAccount *account)
{
    static GList *types;

    if (types == NULL)
        types = g_list_append(
            NULL, purple_attention_type_new("Buzz", "Buzz", "%s has buzzed you!", "Buzzing %s..."));
    return types;
}

static gboolean
prpl_send_attention(PurpleConnection *gc, const char *username, guint type)
{
    return TRUE;
}

static PurplePluginProtocolInfo prpl_info = {
    /* No password prompt (a request dialog) when an account connects. */
    .options = OPT_PROTO_NO_PASSWORD,
    .icon_spec = NO_BUDDY_ICONS,
    .list_icon = prpl_list_icon,
    .status_types = prpl_status_types,
    .login = prpl_login,
    .close = prpl_close,
    .send_im = prpl_send_im,
    .send_typing = prpl_send_typing,
    .get_info = NULL,
    .set_status = prpl_set_status,
    .add_buddy = prpl_add_buddy,
    .remove_buddy = prpl_remove_buddy,
    .normalize = prpl_normalize,
    .send_attention = prpl_send_attention,
    .get_attention_types = prpl_get_attention_types,
    .chat_info = prpl_chat_info,
    .chat_info_defaults = prpl_chat_info_defaults,
    .join_chat = prpl_join_chat,
    .get_chat_name = prpl_get_chat_name,
    .chat_leave = prpl_chat_leave,
    .chat_send = prpl_chat_send,
    .get_cb_real_name = prpl_get_cb_real_name,
    .struct_size = sizeof(PurplePluginProtocolInfo),
};

static PurplePluginInfo prpl_plugin_info = {
    .magic = PURPLE_PLUGIN_MAGIC,
    .major_version = PURPLE_MAJOR_VERSION,
    .minor_version = PURPLE_MINOR_VERSION,
    .type = PURPLE_PLUGIN_PROTOCOL,
    .priority = PURPLE_PRIORITY_DEFAULT,
    .id = TEST_PRPL_ID,
    .name = TEST_PRPL_NAME,
    .version = "1",
    .summary = "A protocol for Ajar's tests",
    .description = "Connects at once, records what is sent, receives what a test injects.",
    .extra_info = &prpl_info,
};

/* ---- API ---- */

void
test_prpl_register(void)
{
    PurplePlugin *plugin;

    g_return_if_fail(purple_plugins_find_with_id(TEST_PRPL_ID) == NULL);

    /* What purple_plugin_new(TRUE, NULL) makes, without its D-Bus pointer
     * registration: this runs before purple_dbus_init(), which would make
     * that a critical (unregistering at quit is a no-op). "Native" with no
     * module: purple_plugin_load() of a non-native plugin asks a loader
     * plugin (perl, tcl) for its file and fails without one; a native one
     * just runs info->load, and purple_plugin_destroy() has no module to
     * close. */
    plugin = g_new0(PurplePlugin, 1);
    plugin->native_plugin = TRUE;
    plugin->info = &prpl_plugin_info;
    /* Queued: purple_plugins_probe() loads it and adds it to the protocols. */
    if (!purple_plugin_register(plugin))
        g_error("libpurple refused to register the %s protocol", TEST_PRPL_ID);
}

PurplePlugin *
test_prpl_get_plugin(void)
{
    return purple_find_prpl(TEST_PRPL_ID);
}

GPtrArray *
test_prpl_take_sent(void)
{
    GPtrArray *taken = g_steal_pointer(&sent);

    return taken != NULL ? taken : g_ptr_array_new_with_free_func((GDestroyNotify)test_sent_free);
}

GPtrArray *
test_prpl_take_sent_typing(void)
{
    GPtrArray *taken = g_steal_pointer(&sent_typing);

    return taken != NULL ? taken
                         : g_ptr_array_new_with_free_func((GDestroyNotify)test_sent_typing_free);
}

void
test_prpl_set_send_result(int result)
{
    send_result = result;
}

void
test_prpl_drop_connection_on_next_send(void)
{
    drop_next_send = TRUE;
}

void
test_prpl_set_real_address(const char *room, const char *nick, const char *address)
{
    if (real_addresses == NULL)
        real_addresses = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    if (address != NULL)
        g_hash_table_insert(real_addresses, g_strdup_printf("%s\n%s", room, nick),
                            g_strdup(address));
    else {
        g_autofree char *key = g_strdup_printf("%s\n%s", room, nick);
        g_hash_table_remove(real_addresses, key);
    }
}

void
test_prpl_clear(void)
{
    g_clear_pointer(&real_addresses, g_hash_table_unref);
    g_clear_pointer(&sent, g_ptr_array_unref);
    g_clear_pointer(&sent_typing, g_ptr_array_unref);
    send_result = 1;
    drop_next_send = FALSE;
}
