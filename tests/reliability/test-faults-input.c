/* test-faults-input.c — what people and files throw at Ajar: rules.json
 * replaced with garbage while it runs, a flood of 10,000 messages, a 1 MiB
 * message, text that is not UTF-8, and markup-heavy text.
 *
 * The custody rule (PRODUCT.md) again: what Ajar holds it holds exactly,
 * every byte, once, across a restart; released, it is shown as it came. */
#include "faults-util.h"

/* rules.json is replaced with garbage while Ajar runs: bytes that are not
 * JSON, then JSON cut short. Expected: each is reported once, with file,
 * line, column and a reason; the last valid rules stay in force (Sam is
 * still held); rules.json.last-good keeps them; the garbage is never
 * overwritten, and a change from /ajar is refused with a one-line reason. */
static void
test_rules_garbage(void)
{
    static const char binary[] = "\x7f"
                                 "ELF\x02\x01\x01\x00\xff\xfe garbage\n\x01\x02";
    static const char *const garbage[] = { binary, "{\"version\": 1, \"rules\": [{\"name\": \"Sa" };
    PurpleAccount *account = faults_fresh(faults_rules);
    g_autofree char *path = ajar_test_path("rules.json");
    g_autofree char *last_good_path = ajar_test_path("rules.json.last-good");

    for (guint i = 0; i < G_N_ELEMENTS(garbage); i++) {
        gsize len = i == 0 ? sizeof binary - 1 : strlen(garbage[i]);
        g_autoptr(GPtrArray) notices = NULL;
        g_autoptr(GPtrArray) lines = NULL;
        g_autoptr(GError) error = NULL;
        g_autofree char *on_disk = NULL;
        g_autofree char *last_good = NULL;
        g_autofree char *text = g_strdup_printf("held despite garbage %u", i);
        const TestNotice *notice;
        gsize disk_len = 0;

        ajar_test_drain();
        g_assert_true(g_file_set_contents(path, garbage[i], (gssize)len, &error));
        g_assert_no_error(error);
        /* The file monitor and Ajar's settling delay. */
        for (guint wait = 0; wait < 50; wait++) {
            ajar_test_run_for(100);
            if (notices == NULL || notices->len == 0) {
                g_clear_pointer(&notices, g_ptr_array_unref);
                notices = test_client_take_notices();
            } else {
                g_autoptr(GPtrArray) more = test_client_take_notices();
                g_assert_cmpuint(more->len, ==, 0); /* once */
                if (wait > 10)
                    break;
            }
        }
        g_assert_cmpuint(notices->len, ==, 1);
        notice = g_ptr_array_index(notices, 0);
        g_test_message("notice: %s / %s", notice->primary, notice->secondary);
        g_assert_cmpint(notice->type, ==, PURPLE_NOTIFY_MSG_ERROR);
        g_assert_cmpstr(notice->primary, ==,
                        "rules.json has a mistake, so Ajar keeps using the last valid rules.");
        g_assert_true(g_str_has_prefix(notice->secondary, "rules.json:"));
        g_assert_null(strchr(notice->secondary, '\n'));
        test_client_notices_close(notices);

        faults_receive_held(account, text);
        g_assert_true(g_file_get_contents(last_good_path, &last_good, NULL, &error));
        g_assert_no_error(error);
        g_assert_nonnull(strstr(last_good, "\"hold\""));

        g_assert_cmpint(test_client_command(account, SAM, "ajar archive"), ==,
                        PURPLE_CMD_STATUS_FAILED);
        lines = test_client_take_lines();
        g_assert_cmpuint(lines->len, ==, 1);
        g_test_message("refused: %s", ((TestLine *)g_ptr_array_index(lines, 0))->message);
        g_assert_true(g_file_get_contents(path, &on_disk, &disk_len, &error));
        g_assert_no_error(error);
        g_assert_cmpmem(on_disk, disk_len, garbage[i], len);
    }

    /* After a restart with the garbage still there: told again, and the
     * last valid rules (rules.json.last-good) still hold Sam's messages. */
    {
        g_autoptr(GPtrArray) notices = NULL;

        faults_reload();
        g_assert_cmpuint(faults_error_notices(&notices), ==, 1);
        g_assert_true(faults_notice_says(
            notices, "rules.json has a mistake, so Ajar keeps using the last valid rules.",
            "rules.json:"));
        faults_receive_held(account, "held after a restart with garbage");
    }
}

/* A message whose exact bytes must survive: held, replayed after a restart
 * byte for byte, then released and shown exactly as it came, once. */
static void
assert_kept_exactly(PurpleAccount *account, const char *text)
{
    g_autoptr(GPtrArray) events = NULL;
    const AjarEvent *held = NULL;
    gsize len = strlen(text);

    faults_receive_held(account, text);
    faults_reload();
    events = ajar_test_read_journal();
    for (guint i = 0; i < events->len; i++) {
        const AjarEvent *event = g_ptr_array_index(events, i);
        if (event->type == AJAR_EVENT_HELD)
            held = event;
    }
    g_assert_nonnull(held);
    g_assert_cmpmem(held->text, held->text_len, text, len);
    g_assert_cmpint(ajar_test_item_state(held->id), ==, AJAR_EVENT_HELD);
    g_assert_cmpint(test_client_command(account, SAM, "ajar release"), ==, PURPLE_CMD_STATUS_OK);
    g_assert_cmpuint(faults_received_with_text(text), ==, 1);
    g_assert_cmpint(ajar_test_item_state(held->id), ==, AJAR_EVENT_RELEASED);
    g_assert_cmpint(test_client_command(account, SAM, "ajar release"), ==, PURPLE_CMD_STATUS_OK);
    g_assert_cmpuint(faults_received_with_text(text), ==, 0);
}

/* A 1 MiB message (a pasted book chapter, a runaway bot). Expected: held
 * in one journal line, every byte; replayed after a restart; released and
 * shown whole, once. */
static void
test_huge_message(void)
{
    PurpleAccount *account = faults_fresh(faults_rules);
    GString *text = g_string_sized_new(1024 * 1024 + 64);

    while (text->len < 1024 * 1024 - 32)
        g_string_append(text, "I keep writing because I cannot stop. ");
    g_string_truncate(text, 1024 * 1024 - 32);
    g_string_append(text, " -- the last words of a 1 MiB message");
    g_test_message("%zu bytes", text->len);
    assert_kept_exactly(account, text->str);
    g_string_free(text, TRUE);
}

/* Text that is not valid UTF-8 (a Latin-1 "café", stray bytes, a cut
 * sequence), as broken clients and protocols deliver it. Expected: held
 * with every byte (journaled as text_base64), replayed exactly, released
 * exactly as it came. */
static void
test_not_utf8(void)
{
    static const char *const texts[] = {
        "caf\xe9 au lait",
        "\xff\xfe\xfd binary-ish \x80\x81",
        "cut in the middle \xe2\x82",
        "overlong \xc0\xaf slash and a surrogate \xed\xa0\x80",
    };
    PurpleAccount *account = faults_fresh(faults_rules);

    for (guint i = 0; i < G_N_ELEMENTS(texts); i++) {
        g_autoptr(GBytes) journal = NULL;
        g_autofree char *copy = NULL;

        g_assert_false(g_utf8_validate(texts[i], -1, NULL));
        assert_kept_exactly(account, texts[i]);
        /* The journal itself stays UTF-8: the bytes went in as base64. */
        journal = faults_journal_bytes();
        copy = g_strndup(g_bytes_get_data(journal, NULL), g_bytes_get_size(journal));
        g_assert_true(g_utf8_validate(copy, -1, NULL));
        g_assert_nonnull(strstr(copy, "\"text_base64\":"));
    }
}

/* Markup-heavy text: tags, scripts, entities, direction overrides. The
 * journal keeps what libpurple gave, and a release delivers exactly that
 * (how the review and the HTML export show it is the security tests'
 * business). */
static void
test_markup_heavy(void)
{
    static const char *const texts[] = {
        "<script>alert('held')</script><b><i><u><font color=\"red\" size=\"+9\">LOUD</font>"
        "</u></i></b>",
        "<a href=\"javascript:alert(1)\">&lt;b&gt;click&lt;/b&gt;</a> &amp;amp; &#x202e;txet "
        "&#0; &nbsp;&quot;&apos;",
        "<img src=\"http://example.invalid/track.png\" onerror=\"alert(1)\"><br><br/><hr>"
        "<!-- a comment --><![CDATA[ x ]]>",
        "unclosed <b>bold <i>italic <a href='x",
        "\xe2\x80\xae\xe2\x81\xa6 bidi \xef\xbb\xbf BOM \x1b[31m ESC \x07 BEL \t tab",
    };
    PurpleAccount *account = faults_fresh(faults_rules);

    for (guint i = 0; i < G_N_ELEMENTS(texts); i++)
        assert_kept_exactly(account, texts[i]);
}

#define FLOOD 10000

/* 10,000 messages from the held contact, one after another. Expected: none
 * is shown, each is journaled once with its own id, a restart replays all
 * 10,000, and /ajar status counts them. */
static void
test_flood(void)
{
    PurpleAccount *account = faults_fresh(faults_rules);
    g_autoptr(GPtrArray) events = NULL;
    g_autoptr(GHashTable) ids = g_hash_table_new(g_str_hash, g_str_equal);
    g_autoptr(GPtrArray) lines = NULL;
    g_autoptr(AjarState) state = NULL;
    gint64 started = g_get_monotonic_time();
    gint64 last_seq = 0;
    guint held = 0;

    for (guint i = 0; i < FLOOD; i++) {
        char text[64];

        g_snprintf(text, sizeof text, "flood %05u", i);
        test_client_receive(account, SAM, text, 0, time(NULL));
        if (i % 500 == 0)
            test_client_iterate(10);
    }
    g_test_message("%u messages taken in %.2f s", FLOOD, (g_get_monotonic_time() - started) / 1e6);
    ajar_test_assert_nothing_shown();
    g_assert_cmpuint(faults_error_notices(NULL), ==, 0);

    events = ajar_test_read_journal();
    for (guint i = 0; i < events->len; i++) {
        const AjarEvent *event = g_ptr_array_index(events, i);
        char expected[64];

        g_assert_cmpint(event->seq, >, last_seq);
        last_seq = event->seq;
        if (event->type != AJAR_EVENT_HELD)
            continue;
        g_snprintf(expected, sizeof expected, "flood %05u", held++);
        g_assert_cmpmem(event->text, event->text_len, expected, strlen(expected));
        g_assert_true(g_hash_table_add(ids, event->id));
    }
    g_assert_cmpuint(held, ==, FLOOD);

    started = g_get_monotonic_time();
    faults_reload();
    g_test_message("replayed at load in %.2f s", (g_get_monotonic_time() - started) / 1e6);
    state = ajar_test_read_state();
    g_assert_cmpuint(ajar_state_count_custody(state), ==, FLOOD);
    /* A journal this large is read in the background: its counts come then. */
    ajar_test_wait_journal_read(account, SAM);
    ajar_test_drain();
    g_assert_cmpint(test_client_command(account, SAM, "ajar status"), ==, PURPLE_CMD_STATUS_OK);
    lines = test_client_take_lines();
    g_assert_cmpuint(ajar_test_count_lines_with(lines, "Kept: 10000 held,"), ==, 1);
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    g_test_add_func("/reliability/input/rules-garbage", test_rules_garbage);
    g_test_add_func("/reliability/input/huge-message", test_huge_message);
    g_test_add_func("/reliability/input/not-utf8", test_not_utf8);
    g_test_add_func("/reliability/input/markup-heavy", test_markup_heavy);
    g_test_add_func("/reliability/input/flood", test_flood);
    status = g_test_run();

    ajar_test_unload();
    test_client_quit();
    test_client_cleanup();
    return status;
}
