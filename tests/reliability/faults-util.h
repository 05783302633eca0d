/* faults-util.h — what the fault tests share (header-only, like
 * tests/plugin/ajar-test-util.h, which it builds on).
 *
 * Every case starts from a fresh Ajar folder with the rules below: their
 * messages (Sam) are held, the user's own to Sam cool off for an hour. */
#ifndef AJAR_FAULTS_UTIL_H
#define AJAR_FAULTS_UTIL_H

#include "ajar-test-util.h"

#include <dlfcn.h>
#include <sys/stat.h>

#include "fault-shim.h"

#define ME "me@example.org/Home"
#define SAM "sam@example.org"

static const char faults_rules[] =
    "{\"version\": 1, \"rules\": [{\"name\": \"Sam\", \"match\": [{\"buddy\": \"" SAM "\"}], "
    "\"incoming\": {\"action\": \"hold\"}, "
    "\"outgoing\": {\"action\": \"delay\", \"seconds\": 3600}}]}";

/* Arms @fault in the preloaded fault-shim.so (NULL disarms). Returns how
 * many calls the previous fault failed. The shim must be there: a fault
 * test without it would test nothing. */
static inline guint
faults_arm(const Fault *fault)
{
    static FaultShimControl control;

    if (control == NULL)
        control = (FaultShimControl)dlsym(RTLD_DEFAULT, FAULT_SHIM_SYMBOL);
    if (control == NULL)
        g_error("fault-shim.so is not preloaded (LD_PRELOAD; meson sets it)");
    return control(fault);
}

static inline guint
faults_disarm(void)
{
    return faults_arm(NULL);
}

static inline void
faults_remove_tree(const char *path)
{
    const char *argv[] = { "rm", "-rf", path, NULL };
    int status = -1;

    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                               NULL, &status, NULL));
    g_assert_cmpint(status, ==, 0);
}

/* Ajar off, its folder emptied, @rules written, Ajar on, the account
 * online. Returns: (transfer none) the account. */
static inline PurpleAccount *
faults_fresh(const char *rules)
{
    PurpleAccount *account = ajar_test_account(ME);
    g_autofree char *dir = ajar_test_dir();

    faults_disarm();
    ajar_test_unload();
    faults_remove_tree(dir);
    ajar_test_write_rules(rules);
    test_client_connect(account);
    ajar_test_load();
    test_client_iterate(100);
    ajar_test_drain();
    return account;
}

/* Ajar off and on again (it replays its journal), as a restart does. */
static inline void
faults_reload(void)
{
    faults_disarm();
    ajar_test_unload();
    ajar_test_load();
    test_client_iterate(100);
}

static inline gint64
faults_journal_size(void)
{
    g_autofree char *path = ajar_test_path(AJAR_JOURNAL_FILE);
    struct stat st;

    g_assert_cmpint(stat(path, &st), ==, 0);
    return st.st_size;
}

/* Returns: (transfer full): journal.jsonl's bytes. */
static inline GBytes *
faults_journal_bytes(void)
{
    g_autofree char *path = ajar_test_path(AJAR_JOURNAL_FILE);
    g_autoptr(GError) error = NULL;
    char *data = NULL;
    gsize len = 0;

    g_assert_true(g_file_get_contents(path, &data, &len, &error));
    g_assert_no_error(error);
    return g_bytes_new_take(data, len);
}

/* Returns: how many custody events in the journal hold exactly @text. */
static inline guint
faults_kept_with_text(const char *text)
{
    guint malformed = 0; /* a line cut by a fault may be there, see test_cannot_undo() */
    g_autoptr(GPtrArray) events = ajar_test_read_journal_damaged(&malformed);
    guint count = 0;

    for (guint i = 0; i < events->len; i++) {
        const AjarEvent *event = g_ptr_array_index(events, i);
        if (ajar_event_type_is_custody(event->type) && event->text != NULL &&
            event->text_len == strlen(text) && memcmp(event->text, text, event->text_len) == 0)
            count++;
    }
    return count;
}

/* Returns: how many messages that reached received-im-msg since the last
 * take were exactly @text (and takes them). */
static inline guint
faults_received_with_text(const char *text)
{
    g_autoptr(GPtrArray) received = test_client_take_received();
    guint count = 0;

    for (guint i = 0; i < received->len; i++) {
        const TestReceived *item = g_ptr_array_index(received, i);
        if (g_strcmp0(item->message, text) == 0)
            count++;
    }
    return count;
}

/* The error boxes shown since the last take, logged; returns how many. */
static inline guint
faults_error_notices(GPtrArray **out)
{
    g_autoptr(GPtrArray) notices = test_client_take_notices();
    guint count = 0;

    for (guint i = 0; i < notices->len; i++) {
        TestNotice *notice = g_ptr_array_index(notices, i);
        g_test_message("notice: %s / %s", notice->primary,
                       notice->secondary != NULL ? notice->secondary : "");
        if (notice->type == PURPLE_NOTIFY_MSG_ERROR)
            count++;
    }
    /* Read, then closed, as the user does: the next trouble gets its box. */
    test_client_notices_close(notices);
    if (out != NULL)
        *out = g_steal_pointer(&notices);
    return count;
}

/* Whether some notice in @notices has @primary and mentions @reason. */
static inline gboolean
faults_notice_says(GPtrArray *notices, const char *primary, const char *reason)
{
    for (guint i = 0; i < notices->len; i++) {
        const TestNotice *notice = g_ptr_array_index(notices, i);
        if (g_strcmp0(notice->primary, primary) == 0 &&
            (reason == NULL ||
             (notice->secondary != NULL && strstr(notice->secondary, reason) != NULL)))
            return TRUE;
    }
    return FALSE;
}

#define FAULTS_SHOWN_AS_USUAL \
    "Ajar could not keep a message from Sam safe, so it was shown as usual."
#define FAULTS_OUT_KEPT_IN_MEMORY                                                              \
    "Ajar could not write your message to its journal. It was not sent; it is kept until you " \
    "quit, and /ajar send sends it."

/* Their message @text arrives and must be held: journaled once, not shown. */
static inline void
faults_receive_held(PurpleAccount *account, const char *text)
{
    guint before = faults_kept_with_text(text);

    test_client_receive(account, SAM, text, 0, time(NULL));
    g_assert_cmpuint(faults_kept_with_text(text), ==, before + 1);
    g_assert_cmpuint(faults_received_with_text(text), ==, 0);
}

/* Their message @text arrives while the journal cannot take it: shown as
 * usual, once, and the user is told why (@reason in the details). */
static inline void
faults_receive_shown(PurpleAccount *account, const char *text, const char *reason)
{
    g_autoptr(GPtrArray) notices = NULL;
    guint before = faults_kept_with_text(text);

    test_client_receive(account, SAM, text, 0, time(NULL));
    g_assert_cmpuint(faults_received_with_text(text), ==, 1);
    g_assert_cmpuint(faults_error_notices(&notices), ==, 1);
    g_assert_true(faults_notice_says(notices, FAULTS_SHOWN_AS_USUAL, reason));
    g_assert_cmpuint(faults_kept_with_text(text), ==, before);
}

#endif /* AJAR_FAULTS_UTIL_H */
