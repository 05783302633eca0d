/* test-images.c — pictures in a held message: kept beside the journal
 * (images/<sha256>.<ext>, 0600 in a 0700 folder) before the message is
 * journaled, shown again on release, "[image missing]" when a file is gone
 * or damaged, the message shown as usual (and the user told) when a picture
 * cannot be saved, and files swept once no kept message names them.
 *
 * A protocol delivers a picture as libpurple's do: the bytes go into the
 * image store (purple_imgstore_add_with_id()), the text carries
 * <img id="N">, serv_got_im() runs, and the protocol drops its reference,
 * so the held message's picture is gone from memory afterwards. */
#include "ajar-test-util.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <imgstore.h>

#include "ajar/ajar-images.h"

#define ME "me@example.org/Home"
#define SAM "sam@example.org"

static PurpleAccount *
me(void)
{
    return ajar_test_account(ME);
}

static void
use_hold(void)
{
    me();
    ajar_test_reload_with_rules(
        "{\"version\": 1, \"rules\": [{\"name\": \"Sam\", \"match\": [{\"account\": "
        "\"me@example.org\", \"protocol\": \"" TEST_PRPL_ID "\", \"buddy\": \"" SAM "\"}], "
        "\"incoming\": {\"action\": \"hold\"}}], \"settings\": {\"notify\": \"count\"}}\n");
}

/* A small "PNG": libpurple names the extension by the first bytes. */
static GBytes *
picture(const char *tail)
{
    GString *data = g_string_new_len("\x89PNG\r\n\x1a\n", 8);

    g_string_append(data, tail);
    return g_string_free_to_bytes(data);
}

/* Sam sends @parts[0] <img id=…> @parts[1] … with each tag an image of
 * @pictures (NULL-terminated; one part more than pictures), as a protocol
 * does. */
static void
receive_pictures(const char *const *parts, GBytes **pictures)
{
    g_autoptr(GString) text = g_string_new(parts[0]);
    int ids[3] = { 0 };
    guint n = 0;

    for (; pictures[n] != NULL; n++) {
        gsize size;
        const void *data = g_bytes_get_data(pictures[n], &size);

        g_assert_cmpuint(n, <, G_N_ELEMENTS(ids));
        ids[n] = purple_imgstore_add_with_id(g_memdup2(data, size), size, "pic.png");
        g_string_append_printf(text, "<img id=\"%d\">%s", ids[n], parts[n + 1]);
    }
    test_client_receive(me(), SAM, text->str, PURPLE_MESSAGE_IMAGES, time(NULL));
    for (guint i = 0; i < n; i++) {
        purple_imgstore_unref_by_id(ids[i]);
        g_assert_null(purple_imgstore_find_by_id(ids[i]));
    }
}

static char *
image_path(const char *name)
{
    g_autofree char *dir = ajar_test_path(AJAR_IMAGES_DIR);

    return g_build_filename(dir, name, NULL);
}

/* What reached received-im-msg with its pictures, while they were in the
 * store (the headless UI keeps no reference of its own). */
static int shown_handle;
static GPtrArray *shown_pictures; /* GBytes* */
static char *shown_text;

static void
received_cb(PurpleAccount *account, const char *who, const char *message, PurpleConversation *conv,
            PurpleMessageFlags flags, gpointer data)
{
    g_autoptr(GArray) tags = ajar_image_tags_find(message, strlen(message));

    g_free(shown_text);
    shown_text = g_strdup(message);
    for (guint i = 0; i < tags->len; i++) {
        PurpleStoredImage *image =
            purple_imgstore_find_by_id((int)g_array_index(tags, AjarImageTag, i).id);
        g_assert_nonnull(image);
        g_assert_true(flags & PURPLE_MESSAGE_IMAGES);
        g_ptr_array_add(shown_pictures, g_bytes_new(purple_imgstore_get_data(image),
                                                    purple_imgstore_get_size(image)));
    }
}

/* What `ajar ARG…` prints (it must succeed). */
static char *
cli(const char *arg1, const char *arg2, const char *arg3)
{
    const char *argv[] = {
        g_getenv("AJAR_CLI"), "--dir", test_client_user_dir(), arg1, arg2, arg3, NULL
    };
    g_autoptr(GError) error = NULL;
    char *out = NULL;
    int status = 0;

    g_assert_nonnull(argv[0]);
    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               &out, NULL, &status, &error));
    g_assert_no_error(error);
    g_assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return out;
}

static const AjarEvent *
only_held(GPtrArray *held)
{
    g_assert_cmpuint(held->len, ==, 1);
    return g_ptr_array_index(held, 0);
}

static void
assert_file(const char *name, GBytes *expected)
{
    g_autofree char *path = image_path(name);
    g_autofree char *dir = ajar_test_path(AJAR_IMAGES_DIR);
    g_autofree char *data = NULL;
    g_autofree char *hash = NULL;
    gsize len = 0;
    GStatBuf st;

    g_assert_cmpint(g_stat(dir, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0700);
    g_assert_cmpint(g_stat(path, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);
    g_assert_true(g_file_get_contents(path, &data, &len, NULL));
    hash = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guint8 *)data, len);
    g_assert_true(g_str_has_prefix(name, hash));
    g_assert_true(g_str_has_suffix(name, ".png"));
    g_assert_cmpmem(data, len, g_bytes_get_data(expected, NULL), g_bytes_get_size(expected));
}

static void
release_all(void)
{
    test_client_open_im(me(), SAM);
    ajar_test_drain();
    g_ptr_array_set_size(shown_pictures, 0);
    g_assert_cmpint(test_client_command(me(), SAM, "ajar release"), ==, PURPLE_CMD_STATUS_OK);
}

/* Kept while held (the same picture twice is one file), shown again with
 * its own bytes on release, and its file swept at the next start once no
 * kept message names it. */
static void
test_kept_and_shown(void)
{
    g_autoptr(GBytes) cat = picture("a cat");
    g_autoptr(GPtrArray) held = NULL;
    g_autoptr(GPtrArray) again = NULL;
    g_autofree char *id = NULL;
    g_autofree char *name = NULL;
    g_autofree char *path = NULL;
    gint64 seq;

    use_hold();
    seq = ajar_test_last_seq();
    receive_pictures((const char *[]){ "look ", " at this" }, (GBytes *[]){ cat, NULL });
    ajar_test_assert_nothing_shown();
    held = ajar_test_events_since(seq, AJAR_EVENT_HELD, NULL);
    id = g_strdup(only_held(held)->id);
    g_assert_nonnull(only_held(held)->images);
    g_assert_cmpuint(g_strv_length(only_held(held)->images), ==, 1);
    name = g_strdup(only_held(held)->images[0]);
    assert_file(name, cat);
    {
        /* The CLI names the file: `ajar show` and --json. */
        g_autofree char *shown = cli("show", id, NULL);
        g_autofree char *listed = cli("list", "--json", NULL);
        g_autofree char *member = g_strdup_printf("\"images\":[\"%s\"]", name);
        g_assert_nonnull(strstr(shown, name));
        g_assert_nonnull(strstr(listed, member));
    }

    /* The same picture again: the same file, a second message. */
    seq = ajar_test_last_seq();
    receive_pictures((const char *[]){ "", "" }, (GBytes *[]){ cat, NULL });
    again = ajar_test_events_since(seq, AJAR_EVENT_HELD, NULL);
    g_assert_cmpstr(only_held(again)->images[0], ==, name);

    release_all();
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_RELEASED, id), ==, 1);
    g_assert_cmpuint(shown_pictures->len, ==, 2);
    g_assert_true(g_bytes_equal(g_ptr_array_index(shown_pictures, 0), cat));
    g_assert_true(g_bytes_equal(g_ptr_array_index(shown_pictures, 1), cat));
    g_assert_true(g_str_has_prefix(shown_text, "<img id=\""));
    test_client_close_im(me(), SAM);

    /* Both released: nothing names the file any more. */
    path = image_path(name);
    g_assert_true(g_file_test(path, G_FILE_TEST_EXISTS));
    use_hold();
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    ajar_test_drain();
}

/* Gone and damaged files: the text is shown with "[image missing]" where
 * they were; the good one is shown. */
static void
test_missing(void)
{
    g_autoptr(GBytes) one = picture("one");
    g_autoptr(GBytes) two = picture("two");
    g_autoptr(GBytes) three = picture("three");
    g_autoptr(GPtrArray) held = NULL;
    g_autofree char *gone = NULL;
    g_autofree char *damaged = NULL;
    const AjarEvent *event;
    gint64 seq;

    use_hold();
    seq = ajar_test_last_seq();
    receive_pictures((const char *[]){ "1 ", " 2 ", " 3 ", "" },
                     (GBytes *[]){ one, two, three, NULL });
    held = ajar_test_events_since(seq, AJAR_EVENT_HELD, NULL);
    event = only_held(held);
    g_assert_cmpuint(g_strv_length(event->images), ==, 3);
    gone = image_path(event->images[1]);
    damaged = image_path(event->images[2]);
    g_assert_cmpint(g_unlink(gone), ==, 0);
    g_assert_true(g_file_set_contents(damaged, "not the picture", -1, NULL));

    release_all();
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_RELEASED, event->id), ==, 1);
    g_assert_cmpuint(shown_pictures->len, ==, 1);
    g_assert_true(g_bytes_equal(g_ptr_array_index(shown_pictures, 0), one));
    g_assert_nonnull(g_strrstr(shown_text, " 2 [image missing] 3 [image missing]"));
    g_assert_true(g_str_has_prefix(shown_text, "1 <img id=\""));
    test_client_close_im(me(), SAM);
    ajar_test_drain();
}

/* The pictures folder cannot be made (a file in its place): the message is
 * shown as usual, nothing is kept, and the user is told once. */
static void
test_save_failure(void)
{
    g_autoptr(GBytes) cat = picture("a cat again");
    g_autofree char *dir = ajar_test_path(AJAR_IMAGES_DIR);
    g_autofree char *aside = g_strconcat(dir, ".aside", NULL);
    g_autoptr(GPtrArray) notices = NULL;
    g_autoptr(GPtrArray) received = NULL;
    const TestNotice *notice;
    gint64 seq;

    use_hold();
    g_assert_cmpint(g_rename(dir, aside), ==, 0);
    g_assert_true(g_file_set_contents(dir, "in the way", -1, NULL));
    seq = ajar_test_last_seq();
    g_ptr_array_set_size(shown_pictures, 0);
    receive_pictures((const char *[]){ "see ", "" }, (GBytes *[]){ cat, NULL });
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_HELD), ==, 0);
    received = test_client_take_received();
    g_assert_cmpuint(received->len, ==, 1);
    g_assert_cmpuint(shown_pictures->len, ==, 1);
    g_assert_true(g_bytes_equal(g_ptr_array_index(shown_pictures, 0), cat));
    notices = test_client_take_notices();
    g_assert_cmpuint(notices->len, ==, 1);
    notice = g_ptr_array_index(notices, 0);
    g_assert_cmpstr(notice->primary, ==,
                    "Ajar could not keep a picture from Sam safe, so the message was shown as "
                    "usual.");
    test_client_notices_close(notices);
    g_assert_cmpint(g_unlink(dir), ==, 0);
    g_assert_cmpint(g_rename(aside, dir), ==, 0);
    test_client_close_im(me(), SAM);
    ajar_test_drain();
}

/* What went to the protocol with its pictures, read while they were in the
 * store (last of sending-im-msg's handlers). */
static GPtrArray *sent_pictures; /* GBytes* */

static void
sending_cb(PurpleAccount *account, const char *receiver, char **message, gpointer data)
{
    g_autoptr(GArray) tags = NULL;

    if (*message == NULL)
        return;
    tags = ajar_image_tags_find(*message, strlen(*message));
    for (guint i = 0; i < tags->len; i++) {
        PurpleStoredImage *image =
            purple_imgstore_find_by_id((int)g_array_index(tags, AjarImageTag, i).id);
        if (image != NULL)
            g_ptr_array_add(sent_pictures, g_bytes_new(purple_imgstore_get_data(image),
                                                       purple_imgstore_get_size(image)));
    }
}

/* Your own message with a picture, kept as an unsent letter: the picture
 * is saved too, and goes with it when you send it. */
static void
test_yours_kept_and_sent(void)
{
    g_autoptr(GBytes) photo = picture("my photo");
    g_autoptr(GPtrArray) held = NULL;
    g_autoptr(GPtrArray) sent = NULL;
    g_autofree char *text = NULL;
    PurpleConversation *conv;
    gsize size;
    const void *data = g_bytes_get_data(photo, &size);
    int id;
    gint64 seq;

    me();
    ajar_test_reload_with_rules(
        "{\"version\": 1, \"rules\": [{\"name\": \"Sam\", \"match\": [{\"account\": "
        "\"me@example.org\", \"protocol\": \"" TEST_PRPL_ID "\", \"buddy\": \"" SAM "\"}], "
        "\"outgoing\": {\"action\": \"hold\"}}]}\n");
    conv = test_client_open_im(me(), SAM);
    ajar_test_drain();
    seq = ajar_test_last_seq();
    /* As Pidgin sends what its entry holds, then lets go of the picture. */
    id = purple_imgstore_add_with_id(g_memdup2(data, size), size, "photo.png");
    text = g_strdup_printf("for you <img id=\"%d\">", id);
    purple_conv_im_send_with_flags(PURPLE_CONV_IM(conv), text, PURPLE_MESSAGE_IMAGES);
    purple_imgstore_unref_by_id(id);
    g_assert_null(purple_imgstore_find_by_id(id));
    sent = test_client_take_sent();
    g_assert_cmpuint(sent->len, ==, 0);
    held = ajar_test_events_since(seq, AJAR_EVENT_HELD, NULL);
    g_assert_nonnull(only_held(held)->images);
    assert_file(only_held(held)->images[0], photo);

    g_ptr_array_set_size(sent_pictures, 0);
    g_assert_cmpint(test_client_command(me(), SAM, "ajar send all"), ==, PURPLE_CMD_STATUS_OK);
    g_ptr_array_unref(sent);
    sent = test_client_take_sent();
    g_assert_cmpuint(sent->len, ==, 1);
    g_assert_true(
        g_str_has_prefix(((TestSent *)g_ptr_array_index(sent, 0))->message, "for you <img id=\""));
    g_assert_cmpuint(sent_pictures->len, ==, 1);
    g_assert_true(g_bytes_equal(g_ptr_array_index(sent_pictures, 0), photo));
    g_assert_cmpuint(ajar_test_count_events(AJAR_EVENT_SENT, only_held(held)->id), ==, 1);
    test_client_close_im(me(), SAM);
    ajar_test_drain();
}

/* Your message with a picture when its journal line cannot be written
 * (the disk is full, but the picture is small enough to be saved): kept in
 * memory, and /ajar send sends it with its picture, not with the <img> of
 * a store entry Pidgin has already let go. */
static void
test_yours_unsaved_sent(void)
{
    g_autoptr(GBytes) photo = picture("tiny");
    g_autoptr(GPtrArray) sent = NULL;
    g_autoptr(GPtrArray) notices = NULL;
    g_autofree char *journal = ajar_test_path(AJAR_JOURNAL_FILE);
    g_autofree char *text = NULL;
    PurpleConversation *conv;
    struct rlimit old, limit;
    struct stat st;
    gsize size;
    const void *data = g_bytes_get_data(photo, &size);
    int id;

    me();
    ajar_test_reload_with_rules(
        "{\"version\": 1, \"rules\": [{\"name\": \"Sam\", \"match\": [{\"account\": "
        "\"me@example.org\", \"protocol\": \"" TEST_PRPL_ID "\", \"buddy\": \"" SAM "\"}], "
        "\"outgoing\": {\"action\": \"hold\"}}]}\n");
    conv = test_client_open_im(me(), SAM);
    ajar_test_drain();
    /* The disk is full: no file may grow past the journal's size, so the
     * picture (a few bytes) is saved but the journal line is not. */
    g_assert_cmpint(stat(journal, &st), ==, 0);
    g_assert_cmpint(st.st_size, >, 64);
    signal(SIGXFSZ, SIG_IGN);
    g_assert_cmpint(getrlimit(RLIMIT_FSIZE, &old), ==, 0);
    limit = old;
    limit.rlim_cur = (rlim_t)st.st_size;
    g_assert_cmpint(setrlimit(RLIMIT_FSIZE, &limit), ==, 0);
    id = purple_imgstore_add_with_id(g_memdup2(data, size), size, "photo.png");
    text = g_strdup_printf("unsaved <img id=\"%d\">", id);
    purple_conv_im_send_with_flags(PURPLE_CONV_IM(conv), text, PURPLE_MESSAGE_IMAGES);
    purple_imgstore_unref_by_id(id);
    g_assert_cmpint(setrlimit(RLIMIT_FSIZE, &old), ==, 0);
    g_assert_null(purple_imgstore_find_by_id(id));
    g_assert_cmpuint(ajar_test_count_and_free(test_client_take_sent()), ==, 0);
    notices = test_client_take_notices();
    g_assert_cmpuint(notices->len, ==, 1);
    test_client_notices_close(notices);
    g_ptr_array_unref(test_client_take_lines());

    g_ptr_array_set_size(sent_pictures, 0);
    g_assert_cmpint(test_client_command(me(), SAM, "ajar send"), ==, PURPLE_CMD_STATUS_OK);
    sent = test_client_take_sent();
    g_assert_cmpuint(sent->len, ==, 1);
    g_assert_true(
        g_str_has_prefix(((TestSent *)g_ptr_array_index(sent, 0))->message, "unsaved <img id=\""));
    g_assert_cmpuint(sent_pictures->len, ==, 1);
    g_assert_true(g_bytes_equal(g_ptr_array_index(sent_pictures, 0), photo));
    test_client_close_im(me(), SAM);
    ajar_test_drain();
}

/* Appends "discarded" for @id at @ts, as Ajar writes it, with Ajar off. */
static void
journal_discarded(const char *id, gint64 ts)
{
    g_autofree char *dir = ajar_test_dir();
    g_autoptr(GError) error = NULL;
    g_autoptr(AjarEvent) event = ajar_event_new(AJAR_EVENT_DISCARDED);
    AjarJournal *journal = ajar_journal_open(dir, AJAR_FLUSH_EVERY_EVENT, &error);

    g_assert_no_error(error);
    event->ts = ts;
    event->id = g_strdup(id);
    g_assert_true(ajar_journal_append(journal, event, &error));
    g_assert_no_error(error);
    ajar_journal_close(journal);
}

/* At start, files no kept message names go; a held message's stay, as do
 * those of a message discarded lately (it can be brought back); anything
 * not named like Ajar's pictures is never touched. */
static void
test_sweep(void)
{
    g_autoptr(GBytes) kept = picture("kept");
    g_autoptr(GBytes) lately = picture("discarded lately");
    g_autoptr(GBytes) long_ago = picture("discarded long ago");
    g_autoptr(GPtrArray) held = NULL;
    g_autofree char *stranger = image_path("notes.txt");
    g_autofree char *unnamed =
        image_path("0000000000000000000000000000000000000000000000000000000000000000.png");
    char *paths[3];
    gint64 seq;

    use_hold();
    seq = ajar_test_last_seq();
    receive_pictures((const char *[]){ "a ", "" }, (GBytes *[]){ kept, NULL });
    receive_pictures((const char *[]){ "b ", "" }, (GBytes *[]){ lately, NULL });
    receive_pictures((const char *[]){ "c ", "" }, (GBytes *[]){ long_ago, NULL });
    held = ajar_test_events_since(seq, AJAR_EVENT_HELD, NULL);
    g_assert_cmpuint(held->len, ==, 3);
    for (guint i = 0; i < 3; i++)
        paths[i] = image_path(((AjarEvent *)g_ptr_array_index(held, i))->images[0]);
    g_assert_true(g_file_set_contents(stranger, "mine", -1, NULL));
    g_assert_true(g_file_set_contents(unnamed, "nobody's", -1, NULL));

    ajar_test_unload();
    journal_discarded(((AjarEvent *)g_ptr_array_index(held, 1))->id, g_get_real_time());
    journal_discarded(((AjarEvent *)g_ptr_array_index(held, 2))->id,
                      g_get_real_time() - (gint64)31 * 24 * 3600 * G_USEC_PER_SEC);
    ajar_test_load();
    test_client_iterate(100);

    g_assert_true(g_file_test(paths[0], G_FILE_TEST_EXISTS));
    g_assert_true(g_file_test(paths[1], G_FILE_TEST_EXISTS));
    g_assert_false(g_file_test(paths[2], G_FILE_TEST_EXISTS));
    g_assert_false(g_file_test(unnamed, G_FILE_TEST_EXISTS));
    g_assert_true(g_file_test(stranger, G_FILE_TEST_EXISTS));
    for (guint i = 0; i < 3; i++)
        g_free(paths[i]);
    g_assert_cmpint(g_unlink(stranger), ==, 0);
    ajar_test_drain();
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();
    shown_pictures = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    sent_pictures = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    purple_signal_connect_priority(purple_conversations_get_handle(), "sending-im-msg",
                                   &shown_handle, PURPLE_CALLBACK(sending_cb), NULL,
                                   PURPLE_SIGNAL_PRIORITY_HIGHEST);
    purple_signal_connect(purple_conversations_get_handle(), "received-im-msg", &shown_handle,
                          PURPLE_CALLBACK(received_cb), NULL);

    g_test_add_func("/plugin/images/kept-and-shown", test_kept_and_shown);
    g_test_add_func("/plugin/images/missing", test_missing);
    g_test_add_func("/plugin/images/save-failure", test_save_failure);
    g_test_add_func("/plugin/images/sweep", test_sweep);
    g_test_add_func("/plugin/images/yours-kept-and-sent", test_yours_kept_and_sent);
    g_test_add_func("/plugin/images/yours-unsaved-sent", test_yours_unsaved_sent);
    status = g_test_run();

    purple_signals_disconnect_by_handle(&shown_handle);
    g_clear_pointer(&shown_pictures, g_ptr_array_unref);
    g_clear_pointer(&sent_pictures, g_ptr_array_unref);
    g_clear_pointer(&shown_text, g_free);
    test_client_quit();
    test_client_cleanup();
    return status;
}
