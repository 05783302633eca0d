/* test-crypt.h — a stand-in "encryption" plugin, connected the way OTR
 * connects: receiving-im-msg and sending-im-msg handlers at
 * PURPLE_SIGNAL_PRIORITY_DEFAULT, on a handle of its own.
 *
 * On the wire a message is "ENC:" followed by its ROT13: what arrives in
 * that form is decrypted in receiving-im-msg, and what the user sends is
 * encrypted in sending-im-msg, which also counts how often it saw each
 * plaintext (so a test can prove a message went through it exactly once). */
#ifndef AJAR_TEST_CRYPT_H
#define AJAR_TEST_CRYPT_H

#include <glib.h>

G_BEGIN_DECLS

#define TEST_CRYPT_PREFIX "ENC:"

/* Connects the handlers (after test_client_start(); a restart drops them). */
void test_crypt_start(void);

/* Disconnects them and forgets the counts. */
void test_crypt_stop(void);

/* Returns: (transfer full): @plain as it goes on the wire, "ENC:<rot13>". */
char *test_crypt_encrypt(const char *plain);

/* Returns: how often sending-im-msg carried @plain to the stand-in (a NULL
 * message, one an earlier handler took, is not counted). */
guint test_crypt_times_encrypted(const char *plain);

/* Returns: how many incoming messages it decrypted. */
guint test_crypt_decrypted_count(void);

G_END_DECLS

#endif /* AJAR_TEST_CRYPT_H */
