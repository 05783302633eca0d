/* test-client-private.h — what test-client.c and test-client-record.c share. */
#ifndef AJAR_TEST_CLIENT_PRIVATE_H
#define AJAR_TEST_CLIENT_PRIVATE_H

#include "test-client.h"

G_BEGIN_DECLS

/* Installs the conversation, notify and request UI ops. Before
 * purple_core_init(). */
void test_client_record_install(void);

/* Connects the signal observers. After each purple_core_init(): quitting
 * unregisters every signal with its handlers. */
void test_client_record_connect(void);

/* Appends "<kind>:<name>" to the event record. */
void test_client_record_event(const char *kind, const char *name);

/* Frees everything recorded and drops the client's references to open
 * notices and dialogs. */
void test_client_record_clear(void);

/* Returns: (transfer none): *@array, made with @free_func if NULL. */
GPtrArray *test_client_record_array(GPtrArray **array, GDestroyNotify free_func);

/* Returns: (transfer full): *@array (or a new empty one with @free_func),
 * leaving NULL behind. */
GPtrArray *test_client_take_array(GPtrArray **array, GDestroyNotify free_func);

/* Returns: (transfer full) (nullable): @account's username. */
char *test_client_account_name(PurpleAccount *account);

/* Installs the notify and request UI ops (test-client-dialogs.c). */
void test_client_dialogs_install(void);

/* Frees the recorded notices and dialogs (test-client-dialogs.c). */
void test_client_dialogs_clear(void);

G_END_DECLS

#endif /* AJAR_TEST_CLIENT_PRIVATE_H */
