/* test-notify.c — what Ajar tells the user, and when: the three notify modes,
 * and hand edits of rules.json while the messenger runs (a valid edit takes
 * effect, a broken one is reported once and changes nothing).
 *
 * The built ajar.so is loaded by path; the cases share one libpurple core and
 * run in order, with flat paths (see test-harness.c). */
#include "ajar-test-util.h"

#include <string.h>

#include <core.h>
#include <prefs.h>

#define ME "me@example.org/Home"
#define NICO "nico@example.org"
#define EVE "eve@example.org"

static PurpleAccount *
me(void)
{
    return ajar_test_account(ME);
}

static char *
rules_json(const char *notify, const char *name, const char *buddy, const char *action)
{
    return g_strdup_printf("{\n  \"version\": 1,\n  \"rules\": [\n    {\"name\": \"%s\", "
                           "\"match\": [{\"buddy\": \"%s\"}], \"incoming\": {\"action\": "
                           "\"%s\"}}\n  ],\n  \"settings\": {\"notify\": \"%s\"}\n}\n",
                           name, buddy, action, notify);
}

/* Ajar off, rules.json written, Ajar on: as a user editing the file first. */
static void
restart_with(const char *json)
{
    me();
    ajar_test_reload_with_rules(json);
}

/* A message from @who arrives and is held: no window, no line, no sound. */
static void
receive_held(const char *who, const char *text)
{
    gint64 seq = ajar_test_last_seq();
    g_autoptr(GPtrArray) lines = NULL;

    test_client_receive(me(), who, text, 0, time(NULL));
    test_client_iterate(100);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_HELD), ==, 1);
    g_assert_cmpuint(test_client_signal_count("received-im-msg"), ==, 0);
    lines = test_client_take_lines();
    g_assert_cmpuint(ajar_test_count_lines_with(lines, text), ==, 0);
}

static void
test_notify_silent(void)
{
    g_autofree char *json = rules_json("silent", "Nico", NICO, "hold");
    g_autoptr(GPtrArray) notices = NULL;
    g_autoptr(GPtrArray) requests = NULL;

    restart_with(json);
    receive_held(NICO, "first, said nowhere");
    notices = test_client_take_notices();
    requests = test_client_take_requests();
    g_assert_cmpuint(notices->len, ==, 0);
    g_assert_cmpuint(requests->len, ==, 0);
}

static void
test_notify_count(void)
{
    g_autofree char *json = rules_json("count", "Nico", NICO, "hold");
    g_autoptr(GPtrArray) notices = NULL;
    g_autoptr(GPtrArray) lines = NULL;

    restart_with(json);
    receive_held(NICO, "second, only counted");
    notices = test_client_take_notices();
    g_assert_cmpuint(notices->len, ==, 0);

    /* Counts when asked for: both held messages (this one and the last). */
    g_assert_cmpint(test_client_command(me(), NICO, "ajar status"), ==, PURPLE_CMD_STATUS_OK);
    lines = test_client_take_lines();
    g_assert_cmpuint(lines->len, ==, 1);
    g_test_message("status: %s", ((TestLine *)g_ptr_array_index(lines, 0))->message);
    g_assert_cmpuint(ajar_test_count_lines_with(lines, "Ajar (Nico):"), ==, 1);
    g_assert_cmpuint(ajar_test_count_lines_with(lines, "2 held"), ==, 1);
    g_assert_cmpuint(ajar_test_count_lines_with(lines, "only counted"), ==, 0);
    test_client_close_im(me(), NICO);
}

static void
test_notify_message(void)
{
    g_autofree char *json = rules_json("message", "Nico", NICO, "hold");
    g_autoptr(GPtrArray) notices = NULL;
    TestNotice *notice;

    restart_with(json);
    receive_held(NICO, "third: meet me at the bridge");
    notices = test_client_take_notices();
    g_assert_cmpuint(notices->len, ==, 1);
    notice = g_ptr_array_index(notices, 0);
    g_test_message("notice: %s / %s", notice->primary, notice->secondary);
    g_assert_cmpstr(notice->title, ==, "Ajar");
    g_assert_nonnull(strstr(notice->primary, "Nico"));
    /* Never what was written. */
    g_assert_null(strstr(notice->primary, "bridge"));
    g_assert_true(notice->secondary == NULL || strstr(notice->secondary, "bridge") == NULL);
    g_assert_null(notice->text);
}

/* ---- rules.json edited by hand while Ajar runs ---- */

/* Notices shown while waiting: the arrays test_client_take_notices() gave. */
static GPtrArray *seen;

static guint
seen_count(void)
{
    guint count = 0;

    for (guint i = 0; i < seen->len; i++)
        count += ((GPtrArray *)g_ptr_array_index(seen, i))->len;
    return count;
}

static TestNotice *
seen_first(void)
{
    for (guint i = 0; i < seen->len; i++) {
        GPtrArray *taken = g_ptr_array_index(seen, i);
        if (taken->len > 0)
            return g_ptr_array_index(taken, 0);
    }
    return NULL;
}

static gboolean
notice_shown_cb(gpointer data)
{
    GPtrArray *taken = test_client_take_notices();

    /* Read and closed, as the user does: a later mistake gets its box. */
    test_client_notices_close(taken);
    g_ptr_array_add(seen, taken);
    return seen_count() > 0;
}

/* What the core says about @json as rules.json: the line the user must see. */
static char *
expected_error(const char *json)
{
    g_autoptr(GError) error = NULL;
    AjarRuleSet *rules = ajar_rules_parse(json, -1, "rules.json", NULL, NULL, &error);

    g_assert_null(rules);
    g_assert_nonnull(error);
    return g_strdup(error->message);
}

static const char broken[] = "{\n  \"version\": 1,\n  \"rules\": [\n    {\"name\": \"Eve\",}\n"
                             "  ]\n}\n";

/* Long enough for the file monitor and Ajar's settle delay (150 ms). */
#define SETTLE_MS 800

static void
test_live_valid_edit(void)
{
    g_autofree char *none = rules_json("count", "Nico", NICO, "hold");
    g_autofree char *hold_eve = rules_json("count", "Eve", EVE, "hold");
    gint64 seq;

    restart_with(none);
    /* Not filtered yet. */
    test_client_receive(me(), EVE, "before the edit", 0, time(NULL));
    g_assert_cmpuint(test_client_signal_count("received-im-msg"), ==, 1);
    test_client_close_im(me(), EVE);
    ajar_test_drain();

    seq = ajar_test_last_seq();
    ajar_test_write_rules(hold_eve);
    ajar_test_wait_event(seq, AJAR_EVENT_RULES_CHANGED);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_RULES_CHANGED), ==, 1);
    receive_held(EVE, "after the edit");
    {
        g_autoptr(GPtrArray) notices = test_client_take_notices();
        g_assert_cmpuint(notices->len, ==, 0);
    }
}

static void
test_live_invalid_edit(void)
{
    g_autofree char *expected = expected_error(broken);
    g_autoptr(GPtrArray) notices = NULL;
    TestNotice *notice;
    gint64 seq = ajar_test_last_seq();

    g_test_message("the core says: %s", expected);
    g_assert_true(g_str_has_prefix(expected, "rules.json:4:"));
    seen = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
    ajar_test_write_rules(broken);
    test_client_wait_for(notice_shown_cb, NULL, "a notice about rules.json");
    ajar_test_run_for(SETTLE_MS);
    notice_shown_cb(NULL);

    g_assert_cmpuint(seen_count(), ==, 1);
    notice = seen_first();
    g_test_message("notice: %s / %s", notice->primary, notice->secondary);
    g_assert_cmpint(notice->type, ==, PURPLE_NOTIFY_MSG_ERROR);
    g_assert_nonnull(notice->secondary);
    g_assert_nonnull(strstr(notice->secondary, expected)); /* rules.json:LINE:COLUMN: … */
    g_assert_null(strchr(notice->secondary, '\n'));
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_RULES_CHANGED), ==, 0);

    /* The last valid rules stay: Eve is still held. */
    receive_held(EVE, "held despite the typo");

    /* Saving the same mistake again says nothing new. */
    ajar_test_write_rules(broken);
    ajar_test_run_for(SETTLE_MS);
    notices = test_client_take_notices();
    g_assert_cmpuint(notices->len, ==, 0);
    receive_held(EVE, "still held");
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_RULES_CHANGED), ==, 0);

    /* A change from a command now would write over the half-done edit: it
     * is refused, and the file stays exactly as the user left it. */
    {
        g_autofree char *before = ajar_test_read_rules();
        g_autofree char *after = NULL;
        g_autoptr(GPtrArray) lines = NULL;

        test_client_open_im(ajar_test_account(ME), EVE);
        ajar_test_drain();
        g_assert_cmpint(test_client_command(ajar_test_account(ME), EVE, "ajar archive"), ==,
                        PURPLE_CMD_STATUS_FAILED);
        lines = test_client_take_lines();
        g_assert_cmpuint(ajar_test_count_lines_with(lines, "rules.json has a mistake"), ==, 1);
        after = ajar_test_read_rules();
        g_assert_cmpstr(after, ==, before);
        test_client_close_im(ajar_test_account(ME), EVE);
        ajar_test_drain();
    }
}

/* The user undoes the typo (the file is back to the rules in force), and
 * later makes the same typo again: that new mistake is reported too. */
static void
test_live_same_mistake_after_undo(void)
{
    g_autofree char *hold_eve = rules_json("count", "Eve", EVE, "hold");
    g_autoptr(GPtrArray) notices = NULL;

    ajar_test_write_rules(hold_eve);
    ajar_test_run_for(SETTLE_MS);
    receive_held(EVE, "after the undo");
    notices = test_client_take_notices();
    g_assert_cmpuint(notices->len, ==, 0);

    g_ptr_array_set_size(seen, 0);
    ajar_test_write_rules(broken);
    ajar_test_run_for(SETTLE_MS);
    notice_shown_cb(NULL);
    g_assert_cmpuint(seen_count(), ==, 1);
    receive_held(EVE, "held, and the typo was reported");
}

/* Another mistake while the box about the first is still open: a box of
 * its own, with its own line and column (one box per trouble, not per
 * sentence). */
static void
test_live_second_mistake_box_open(void)
{
    static const char other[] = "{\n  \"version\": 1,\n  \"rules\": [\n    {\"name\": \"Eve\", "
                                "\"match\": []}\n  ]\n}\n";
    g_autofree char *hold_eve = rules_json("count", "Eve", EVE, "hold");
    g_autofree char *first = expected_error(broken);
    g_autofree char *second = expected_error(other);
    g_autoptr(GPtrArray) notices = NULL;
    g_autoptr(GPtrArray) more = NULL;

    g_assert_cmpstr(first, !=, second);
    ajar_test_write_rules(hold_eve);
    ajar_test_run_for(SETTLE_MS);
    ajar_test_drain();
    ajar_test_write_rules(broken);
    ajar_test_run_for(SETTLE_MS);
    notices = test_client_take_notices(); /* read, not closed */
    g_assert_cmpuint(notices->len, ==, 1);
    g_assert_nonnull(strstr(((TestNotice *)g_ptr_array_index(notices, 0))->secondary, first));

    ajar_test_write_rules(other);
    ajar_test_run_for(SETTLE_MS);
    more = test_client_take_notices();
    g_assert_cmpuint(more->len, ==, 1);
    g_assert_nonnull(strstr(((TestNotice *)g_ptr_array_index(more, 0))->secondary, second));
    test_client_notices_close(notices);
    test_client_notices_close(more);
}

/* The preference frame's "When a message is held back" is rules.json's
 * settings.notify: changing it writes the file. */
static void
test_notify_preference(void)
{
    g_autofree char *json = rules_json("count", "Nico", NICO, "hold");
    g_autoptr(AjarRuleSet) rules = NULL;
    gint64 seq;

    restart_with(json);
    seq = ajar_test_last_seq();
    purple_prefs_set_string("/plugins/core/ajar/notify", "silent");
    rules = ajar_test_parse_rules();
    g_assert_cmpint(ajar_rules_get_notify(rules), ==, AJAR_NOTIFY_SILENT);
    g_assert_cmpuint(ajar_rules_get_count(rules), ==, 1);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_RULES_CHANGED), ==, 1);
    /* Its own write is not a second change. */
    ajar_test_run_for(SETTLE_MS);
    g_assert_cmpuint(ajar_test_count_since(seq, AJAR_EVENT_RULES_CHANGED), ==, 1);
    receive_held(NICO, "fourth, said nowhere");
    {
        g_autoptr(GPtrArray) notices = test_client_take_notices();
        g_assert_cmpuint(notices->len, ==, 0);
    }
}

/* rules.json deleted while running: no rules, so Eve's messages come through;
 * written again, they are held again. */
static void
test_live_deleted(void)
{
    g_autofree char *path = ajar_test_path("rules.json");
    g_autofree char *hold_eve = rules_json("count", "Eve", EVE, "hold");
    gint64 seq = ajar_test_last_seq();

    g_assert_cmpint(g_remove(path), ==, 0);
    ajar_test_wait_event(seq, AJAR_EVENT_RULES_CHANGED);
    ajar_test_drain();
    test_client_receive(me(), EVE, "no rules now", 0, time(NULL));
    g_assert_cmpuint(test_client_signal_count("received-im-msg"), ==, 1);
    test_client_close_im(me(), EVE);
    ajar_test_drain();

    seq = ajar_test_last_seq();
    ajar_test_write_rules(hold_eve);
    ajar_test_wait_event(seq, AJAR_EVENT_RULES_CHANGED);
    receive_held(EVE, "held again");
}

int
main(int argc, char **argv)
{
    int status;

    test_client_prepare();
    g_test_init(&argc, &argv, NULL);
    test_client_start();

    g_test_add_func("/plugin/notify/silent", test_notify_silent);
    g_test_add_func("/plugin/notify/count", test_notify_count);
    g_test_add_func("/plugin/notify/message-never-the-text", test_notify_message);
    g_test_add_func("/plugin/notify/preference-writes-rules", test_notify_preference);
    g_test_add_func("/plugin/notify/rules-live-valid-edit", test_live_valid_edit);
    g_test_add_func("/plugin/notify/rules-live-deleted", test_live_deleted);
    g_test_add_func("/plugin/notify/rules-live-invalid-edit", test_live_invalid_edit);
    g_test_add_func("/plugin/notify/rules-live-same-mistake-after-undo",
                    test_live_same_mistake_after_undo);
    g_test_add_func("/plugin/notify/rules-live-second-mistake-box-open",
                    test_live_second_mistake_box_open);
    status = g_test_run();

    test_client_quit();
    g_clear_pointer(&seen, g_ptr_array_unref);
    test_client_cleanup();
    return status;
}
