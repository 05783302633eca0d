/* test-crypt.c — the stand-in "encryption" plugin (see test-crypt.h). */
#include "test-crypt.h"

#include <string.h>

#include <conversation.h>
#include <signals.h>

static int crypt_handle;      /* what OTR would pass as its plugin handle */
static GHashTable *encrypted; /* plaintext -> GUINT times seen */
static guint decrypted;

static char *
rot13(const char *text)
{
    char *out = g_strdup(text);

    for (char *p = out; *p != '\0'; p++) {
        if (*p >= 'a' && *p <= 'z')
            *p = (char)('a' + (*p - 'a' + 13) % 26);
        else if (*p >= 'A' && *p <= 'Z')
            *p = (char)('A' + (*p - 'A' + 13) % 26);
    }
    return out;
}

char *
test_crypt_encrypt(const char *plain)
{
    g_autofree char *turned = rot13(plain);

    return g_strconcat(TEST_CRYPT_PREFIX, turned, NULL);
}

static gboolean
receiving_im_msg_cb(PurpleAccount *account, char **sender, char **message, PurpleConversation *conv,
                    PurpleMessageFlags *flags, gpointer data)
{
    char *plain;

    if (message == NULL || *message == NULL || !g_str_has_prefix(*message, TEST_CRYPT_PREFIX))
        return FALSE;
    plain = rot13(*message + strlen(TEST_CRYPT_PREFIX));
    g_free(*message);
    *message = plain;
    decrypted++;
    return FALSE;
}

static void
sending_im_msg_cb(PurpleAccount *account, const char *receiver, char **message, gpointer data)
{
    guint seen;

    /* As OTR: a message an earlier handler took is left alone. */
    if (message == NULL || *message == NULL)
        return;
    seen = GPOINTER_TO_UINT(g_hash_table_lookup(encrypted, *message));
    g_hash_table_insert(encrypted, g_strdup(*message), GUINT_TO_POINTER(seen + 1));
    {
        char *wire = test_crypt_encrypt(*message);
        g_free(*message);
        *message = wire;
    }
}

void
test_crypt_start(void)
{
    void *conversations = purple_conversations_get_handle();

    g_return_if_fail(encrypted == NULL);
    encrypted = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    decrypted = 0;
    purple_signal_connect_priority(conversations, "receiving-im-msg", &crypt_handle,
                                   PURPLE_CALLBACK(receiving_im_msg_cb), NULL,
                                   PURPLE_SIGNAL_PRIORITY_DEFAULT);
    purple_signal_connect_priority(conversations, "sending-im-msg", &crypt_handle,
                                   PURPLE_CALLBACK(sending_im_msg_cb), NULL,
                                   PURPLE_SIGNAL_PRIORITY_DEFAULT);
}

void
test_crypt_stop(void)
{
    purple_signals_disconnect_by_handle(&crypt_handle);
    g_clear_pointer(&encrypted, g_hash_table_unref);
    decrypted = 0;
}

guint
test_crypt_times_encrypted(const char *plain)
{
    return encrypted != NULL ? GPOINTER_TO_UINT(g_hash_table_lookup(encrypted, plain)) : 0;
}

guint
test_crypt_decrypted_count(void)
{
    return decrypted;
}
