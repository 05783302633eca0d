/* test-client-record.c — what the headless client's user sees: conversation
 * windows and their lines, and the signals sounds and pop-ups hang off.
 * Message boxes and dialogs are in test-client-dialogs.c. */
#include "test-client-private.h"

#include <string.h>

#include <debug.h>
#include <prefs.h>
#include <signals.h>
#include <sound.h>

/* Everything recorded since the matching take; NULL when empty. */
static GPtrArray *events;   /* char* */
static GPtrArray *opened;   /* TestWindow* */
static GPtrArray *lines;    /* TestLine* */
static GPtrArray *received; /* TestReceived* */
static GArray *sounds;      /* PurpleSoundEventID */

GPtrArray *
test_client_record_array(GPtrArray **array, GDestroyNotify free_func)
{
    if (*array == NULL)
        *array = g_ptr_array_new_with_free_func(free_func);
    return *array;
}

GPtrArray *
test_client_take_array(GPtrArray **array, GDestroyNotify free_func)
{
    GPtrArray *taken = g_steal_pointer(array);

    return taken != NULL ? taken : g_ptr_array_new_with_free_func(free_func);
}

char *
test_client_account_name(PurpleAccount *account)
{
    return account != NULL ? g_strdup(purple_account_get_username(account)) : NULL;
}

void
test_client_record_event(const char *kind, const char *name)
{
    g_ptr_array_add(test_client_record_array(&events, g_free), g_strconcat(kind, ":", name, NULL));
}

GPtrArray *
test_client_take_events(void)
{
    return test_client_take_array(&events, g_free);
}

/* ---- conversation windows ---- */

static void
test_window_free(TestWindow *window)
{
    g_free(window->account);
    g_free(window->name);
    g_free(window);
}

static void
test_line_free(TestLine *line)
{
    g_free(line->account);
    g_free(line->conv);
    g_free(line->who);
    g_free(line->alias);
    g_free(line->message);
    g_free(line);
}

static void
create_conversation(PurpleConversation *conv)
{
    TestWindow *window = g_new0(TestWindow, 1);

    window->account = test_client_account_name(purple_conversation_get_account(conv));
    window->name = g_strdup(purple_conversation_get_name(conv));
    g_ptr_array_add(test_client_record_array(&opened, (GDestroyNotify)test_window_free), window);
    test_client_record_event("ui", "create_conversation");
}

static void
destroy_conversation(PurpleConversation *conv)
{
    /* libpurple has already freed the name by now. */
    test_client_record_event("ui", "destroy_conversation");
}

static void
write_conv(PurpleConversation *conv, const char *who, const char *alias, const char *message,
           PurpleMessageFlags flags, time_t mtime)
{
    TestLine *line = g_new0(TestLine, 1);

    line->account = test_client_account_name(purple_conversation_get_account(conv));
    line->conv = g_strdup(purple_conversation_get_name(conv));
    line->who = g_strdup(who);
    line->alias = g_strdup(alias);
    line->message = g_strdup(message);
    line->flags = flags;
    line->mtime = mtime;
    g_ptr_array_add(test_client_record_array(&lines, (GDestroyNotify)test_line_free), line);
    test_client_record_event("ui", "write_conv");
}

/* write_im and write_chat stay NULL: purple_conv_im_write() then calls
 * purple_conversation_write(), which logs the line and hands it to
 * write_conv, as with Pidgin's own ops. */
static PurpleConversationUiOps conversation_ops = {
    .create_conversation = create_conversation,
    .destroy_conversation = destroy_conversation,
    .write_conv = write_conv,
};

GPtrArray *
test_client_take_opened(void)
{
    return test_client_take_array(&opened, (GDestroyNotify)test_window_free);
}

GPtrArray *
test_client_take_lines(void)
{
    return test_client_take_array(&lines, (GDestroyNotify)test_line_free);
}

/* ---- signals ---- */

static int signal_handle;

static void
test_received_free(TestReceived *item)
{
    g_free(item->account);
    g_free(item->who);
    g_free(item->message);
    g_free(item);
}

static void count_signal(gpointer data);

static void
conversation_signal_cb(PurpleConversation *conv, gpointer data)
{
    count_signal(data);
}

static void
typing_signal_cb(PurpleAccount *account, const char *who, gpointer data)
{
    count_signal(data);
}

static gboolean
writing_im_cb(PurpleAccount *account, const char *who, char **message, PurpleConversation *conv,
              PurpleMessageFlags flags, gpointer data)
{
    count_signal(data);
    return FALSE;
}

static void
wrote_im_cb(PurpleAccount *account, const char *who, const char *message, PurpleConversation *conv,
            PurpleMessageFlags flags, gpointer data)
{
    count_signal(data);
}

static void
received_im_cb(PurpleAccount *account, const char *who, const char *message,
               PurpleConversation *conv, PurpleMessageFlags flags, gpointer data)
{
    TestReceived *item = g_new0(TestReceived, 1);

    item->account = test_client_account_name(account);
    item->who = g_strdup(who);
    item->message = g_strdup(message);
    item->flags = flags;
    g_ptr_array_add(test_client_record_array(&received, (GDestroyNotify)test_received_free), item);
    count_signal(data);
}

static void
sent_im_cb(PurpleAccount *account, const char *receiver, const char *message, gpointer data)
{
    count_signal(data);
}

static void
blocked_im_cb(PurpleAccount *account, const char *sender, const char *message,
              PurpleMessageFlags flags, guint when, gpointer data)
{
    count_signal(data);
}

static gboolean
receiving_chat_cb(PurpleAccount *account, char **who, char **message, PurpleConversation *conv,
                  PurpleMessageFlags *flags, gpointer data)
{
    count_signal(data);
    return FALSE;
}

static void
chat_buddy_joined_cb(PurpleConversation *conv, const char *name, PurpleConvChatBuddyFlags flags,
                     gboolean new_arrival, gpointer data)
{
    count_signal(data);
}

static void
chat_buddy_left_cb(PurpleConversation *conv, const char *name, const char *reason, gpointer data)
{
    count_signal(data);
}

static void
attention_signal_cb(PurpleAccount *account, const char *who, PurpleConversation *conv, guint type,
                    gpointer data)
{
    count_signal(data);
}

typedef struct {
    const char *name;
    PurpleCallback callback;
    int priority;
} ObservedSignal;

/* All on purple_conversations_get_handle(). Observers run after every other
 * handler (highest priority), so they see what plugins left, except
 * writing-im-msg: a handler returning TRUE there ends the emission, so it is
 * counted first (lowest priority) to count every attempt to write a line. */
static const ObservedSignal observed[] = {
    { "received-im-msg", PURPLE_CALLBACK(received_im_cb), PURPLE_SIGNAL_PRIORITY_HIGHEST },
    { "writing-im-msg", PURPLE_CALLBACK(writing_im_cb), PURPLE_SIGNAL_PRIORITY_LOWEST },
    { "wrote-im-msg", PURPLE_CALLBACK(wrote_im_cb), PURPLE_SIGNAL_PRIORITY_HIGHEST },
    { "sent-im-msg", PURPLE_CALLBACK(sent_im_cb), PURPLE_SIGNAL_PRIORITY_HIGHEST },
    { "blocked-im-msg", PURPLE_CALLBACK(blocked_im_cb), PURPLE_SIGNAL_PRIORITY_HIGHEST },
    { "buddy-typing", PURPLE_CALLBACK(typing_signal_cb), PURPLE_SIGNAL_PRIORITY_HIGHEST },
    { "buddy-typed", PURPLE_CALLBACK(typing_signal_cb), PURPLE_SIGNAL_PRIORITY_HIGHEST },
    { "buddy-typing-stopped", PURPLE_CALLBACK(typing_signal_cb), PURPLE_SIGNAL_PRIORITY_HIGHEST },
    { "conversation-created", PURPLE_CALLBACK(conversation_signal_cb),
      PURPLE_SIGNAL_PRIORITY_HIGHEST },
    { "deleting-conversation", PURPLE_CALLBACK(conversation_signal_cb),
      PURPLE_SIGNAL_PRIORITY_HIGHEST },
    { "got-attention", PURPLE_CALLBACK(attention_signal_cb), PURPLE_SIGNAL_PRIORITY_HIGHEST },
    /* Rooms: every line that arrives is counted first, as writing-im-msg;
     * received-chat-msg is what a cancelled line never reaches. */
    { "receiving-chat-msg", PURPLE_CALLBACK(receiving_chat_cb), PURPLE_SIGNAL_PRIORITY_LOWEST },
    { "received-chat-msg", PURPLE_CALLBACK(wrote_im_cb), PURPLE_SIGNAL_PRIORITY_HIGHEST },
    { "writing-chat-msg", PURPLE_CALLBACK(writing_im_cb), PURPLE_SIGNAL_PRIORITY_LOWEST },
    { "chat-joined", PURPLE_CALLBACK(conversation_signal_cb), PURPLE_SIGNAL_PRIORITY_HIGHEST },
    { "chat-buddy-joined", PURPLE_CALLBACK(chat_buddy_joined_cb), PURPLE_SIGNAL_PRIORITY_HIGHEST },
    { "chat-buddy-left", PURPLE_CALLBACK(chat_buddy_left_cb), PURPLE_SIGNAL_PRIORITY_HIGHEST },
};

static guint signal_counts[G_N_ELEMENTS(observed)];

static void
count_signal(gpointer data)
{
    guint index = GPOINTER_TO_UINT(data);

    signal_counts[index]++;
    test_client_record_event("signal", observed[index].name);
}

/* ---- sounds ---- */

/* What Pidgin's gtksound.c and Finch's gntsound.c hang off "got-attention"
 * (their got_attention_cb): the conversation's "Attention received" sound,
 * through purple_sound_play_event(), where plugins may stop it with
 * "playing-sound-event". Connected at the default priority, as theirs is. */
static void
attention_sound_cb(PurpleAccount *account, const char *who, PurpleConversation *conv, guint type,
                   gpointer data)
{
    purple_sound_play_event(PURPLE_SOUND_GOT_ATTENTION, account);
}

static void
play_event_cb(PurpleSoundEventID event)
{
    if (sounds == NULL)
        sounds = g_array_new(FALSE, FALSE, sizeof(PurpleSoundEventID));
    g_array_append_val(sounds, event);
    test_client_record_event("sound", "play");
}

static PurpleSoundUiOps sound_ops = {
    .play_event = play_event_cb,
};

GArray *
test_client_take_sounds(void)
{
    GArray *taken = g_steal_pointer(&sounds);

    return taken != NULL ? taken : g_array_new(FALSE, FALSE, sizeof(PurpleSoundEventID));
}

void
test_client_record_connect(void)
{
    purple_signal_connect(purple_conversations_get_handle(), "got-attention", &signal_handle,
                          PURPLE_CALLBACK(attention_sound_cb), NULL);
    /* Every sound a UI would play, whatever the account's status: 3 is
     * sound.c's "always" (its default, 1, plays them only while available;
     * the values have no names in sound.h). */
    purple_prefs_set_int("/purple/sound/while_status", 3);
    for (guint i = 0; i < G_N_ELEMENTS(observed); i++) {
        gulong id = purple_signal_connect_priority(
            purple_conversations_get_handle(), observed[i].name, &signal_handle,
            observed[i].callback, GUINT_TO_POINTER(i), observed[i].priority);
        if (id == 0)
            g_error("cannot observe libpurple's %s signal", observed[i].name);
    }
}

guint
test_client_signal_count(const char *signal)
{
    for (guint i = 0; i < G_N_ELEMENTS(observed); i++) {
        if (strcmp(observed[i].name, signal) == 0)
            return signal_counts[i];
    }
    g_error("test client: the %s signal is not observed (see test_client_signal_count())", signal);
}

void
test_client_reset_counts(void)
{
    memset(signal_counts, 0, sizeof(signal_counts));
}

GPtrArray *
test_client_take_received(void)
{
    return test_client_take_array(&received, (GDestroyNotify)test_received_free);
}

/* ---- set-up and clean-up ---- */

void
test_client_record_install(void)
{
    purple_conversations_set_ui_ops(&conversation_ops);
    purple_sound_set_ui_ops(&sound_ops);
    test_client_dialogs_install();
}

void
test_client_record_clear(void)
{
    g_clear_pointer(&events, g_ptr_array_unref);
    g_clear_pointer(&opened, g_ptr_array_unref);
    g_clear_pointer(&lines, g_ptr_array_unref);
    g_clear_pointer(&received, g_ptr_array_unref);
    g_clear_pointer(&sounds, g_array_unref);
    test_client_dialogs_clear();
    test_client_reset_counts();
}
