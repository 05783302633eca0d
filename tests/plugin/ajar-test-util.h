/* ajar-test-util.h — helpers the plugin tests share (header-only: every test
 * is one binary, built with the test client and the core).
 *
 * Ajar is always the built ajar.so, probed by path and loaded through
 * libpurple; these helpers only prepare its folder as a user would (a
 * rules.json written before loading) and read its journal with the core, as
 * the `ajar` tool does. Append new helpers at the end. */
#ifndef AJAR_TEST_UTIL_H
#define AJAR_TEST_UTIL_H

#include "test-client.h"

#include <string.h>

#include <glib/gstdio.h>

#include "ajar/ajar-item-text.h"
#include "ajar/ajar-journal.h"
#include "ajar/ajar-state.h"

#define AJAR_TEST_PLUGIN_ID "core-ajar"

/* Returns: (transfer full): <purple user dir>/ajar. */
static inline char *
ajar_test_dir(void)
{
    return g_build_filename(test_client_user_dir(), "ajar", NULL);
}

/* Returns: (transfer full): <purple user dir>/ajar/@name. */
static inline char *
ajar_test_path(const char *name)
{
    return g_build_filename(test_client_user_dir(), "ajar", name, NULL);
}

/* Writes @json as rules.json (folder 0700, file 0600), as a hand edit does. */
static inline void
ajar_test_write_rules(const char *json)
{
    g_autofree char *dir = ajar_test_dir();
    g_autofree char *path = ajar_test_path("rules.json");
    g_autoptr(GError) error = NULL;

    g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
    g_assert_true(g_file_set_contents(path, json, -1, &error));
    g_assert_no_error(error);
    g_assert_cmpint(g_chmod(path, 0600), ==, 0);
}

/* Returns: (transfer none): the built ajar.so, probed (not loaded). */
static inline PurplePlugin *
ajar_test_plugin(void)
{
    PurplePlugin *plugin = test_client_probe_ajar();

    g_assert_nonnull(plugin);
    return plugin;
}

/* Loads the built ajar.so (unloading it first if it is loaded, so it reads
 * its folder afresh). Returns: (transfer none): the plugin. */
static inline PurplePlugin *
ajar_test_load(void)
{
    PurplePlugin *plugin = ajar_test_plugin();

    if (purple_plugin_is_loaded(plugin))
        g_assert_true(purple_plugin_unload(plugin));
    g_assert_true(purple_plugin_load(plugin));
    g_assert_true(purple_plugin_is_loaded(plugin));
    return plugin;
}

/* Unloads ajar.so if it is loaded. */
static inline void
ajar_test_unload(void)
{
    PurplePlugin *plugin = purple_plugins_find_with_id(AJAR_TEST_PLUGIN_ID);

    if (plugin != NULL && purple_plugin_is_loaded(plugin))
        g_assert_true(purple_plugin_unload(plugin));
}

static inline void
ajar_test_collect_event_cb(const AjarEvent *event, gpointer data)
{
    g_ptr_array_add(data, ajar_event_copy(event));
}

/* Reads journal.jsonl as the `ajar` tool does (safe while the plugin
 * writes), damaged lines allowed: *@malformed is how many there were.
 * Returns: (transfer full): AjarEvent* in file order (the array frees them). */
static inline GPtrArray *
ajar_test_read_journal_damaged(guint *malformed)
{
    g_autofree char *path = ajar_test_path(AJAR_JOURNAL_FILE);
    GPtrArray *events = g_ptr_array_new_with_free_func((GDestroyNotify)ajar_event_free);
    AjarJournalReport report = { 0 };
    g_autoptr(GError) error = NULL;

    g_assert_true(
        ajar_journal_read_file(path, ajar_test_collect_event_cb, events, &report, &error));
    g_assert_no_error(error);
    *malformed = report.malformed;
    ajar_journal_report_clear(&report);
    return events;
}

/* The same when every complete line must be a valid event. */
static inline GPtrArray *
ajar_test_read_journal(void)
{
    guint malformed;
    GPtrArray *events = ajar_test_read_journal_damaged(&malformed);

    g_assert_cmpuint(malformed, ==, 0);
    return events;
}

/* Returns: (transfer full): the state the journal describes now. */
static inline AjarState *
ajar_test_read_state(void)
{
    g_autoptr(GPtrArray) events = ajar_test_read_journal();
    AjarState *state = ajar_state_new();

    for (guint i = 0; i < events->len; i++)
        ajar_state_apply(state, g_ptr_array_index(events, i));
    return state;
}

/* Returns: (transfer full): @item's text (of ajar_test_read_state()), read
 * back from the journal: a state keeps no texts. */
static inline char *
ajar_test_item_text(const AjarItem *item)
{
    g_autofree char *dir = ajar_test_dir();
    g_autoptr(GError) error = NULL;
    char *text = NULL;

    g_assert_true(ajar_item_read_text(item, dir, &text, NULL, NULL, &error));
    g_assert_no_error(error);
    return text;
}

/* Returns: the seq of the journal's last event (0 when empty): events after
 * it are what a test did next. */
static inline gint64
ajar_test_last_seq(void)
{
    g_autoptr(GPtrArray) events = ajar_test_read_journal();

    return events->len > 0 ? ((AjarEvent *)g_ptr_array_index(events, events->len - 1))->seq : 0;
}

/* Returns: (transfer full): the journal's events with seq > @after_seq, of
 * @type (AJAR_EVENT_UNKNOWN: any) and for message @id (NULL: any). */
static inline GPtrArray *
ajar_test_events_since(gint64 after_seq, AjarEventType type, const char *id)
{
    g_autoptr(GPtrArray) events = ajar_test_read_journal();
    GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)ajar_event_free);

    for (guint i = 0; i < events->len; i++) {
        AjarEvent *event = g_ptr_array_index(events, i);

        if (event->seq <= after_seq || (type != AJAR_EVENT_UNKNOWN && event->type != type) ||
            (id != NULL && g_strcmp0(event->id, id) != 0))
            continue;
        g_ptr_array_add(out, ajar_event_copy(event));
    }
    return out;
}

/* Returns: how many events of @type the journal has for message @id. */
static inline guint
ajar_test_count_events(AjarEventType type, const char *id)
{
    g_autoptr(GPtrArray) events = ajar_test_events_since(0, type, id);

    return events->len;
}

/* Returns: the state (its last event) of message @id, AJAR_EVENT_UNKNOWN if
 * the journal has no such message. */
static inline AjarEventType
ajar_test_item_state(const char *id)
{
    g_autoptr(AjarState) state = ajar_test_read_state();
    const AjarItem *item = ajar_state_lookup(state, id);

    return item != NULL ? item->state : AJAR_EVENT_UNKNOWN;
}

/* Runs the main loop for @ms milliseconds of real time, as a client idles
 * (timers due in that time fire). */
static inline void
ajar_test_run_for(guint ms)
{
    gint64 end = g_get_monotonic_time() + (gint64)ms * 1000;

    while (g_get_monotonic_time() < end) {
        if (!g_main_context_iteration(NULL, FALSE))
            g_usleep(1000);
    }
}

/* Throws away everything recorded so far (lines, windows, received messages,
 * sends, notices, dialogs, events) and zeroes the signal counts. */
static inline void
ajar_test_drain(void)
{
    g_ptr_array_unref(test_client_take_events());
    g_ptr_array_unref(test_client_take_opened());
    g_ptr_array_unref(test_client_take_lines());
    g_ptr_array_unref(test_client_take_received());
    g_ptr_array_unref(test_client_take_sent());
    g_ptr_array_unref(test_prpl_take_sent_typing());
    g_ptr_array_unref(test_client_take_notices());
    g_ptr_array_unref(test_client_take_requests());
    test_client_reset_counts();
}

/* Returns: (transfer none): the account @username, added (and connected)
 * if this core does not have it yet. */
static inline PurpleAccount *
ajar_test_account(const char *username)
{
    PurpleAccount *account = test_client_find_account(username);

    return account != NULL ? account : test_client_add_account(username);
}

/* Returns: how many of @lines (TestLine*) contain @text. */
static inline guint
ajar_test_count_lines_with(GPtrArray *lines, const char *text)
{
    guint count = 0;

    for (guint i = 0; i < lines->len; i++) {
        const TestLine *line = g_ptr_array_index(lines, i);
        if (line->message != NULL && strstr(line->message, text) != NULL)
            count++;
    }
    return count;
}

/* ---- added for test-incoming.c, test-commands.c, test-review.c ---- */

#include <signals.h>

/* Returns: (transfer full) (nullable): rules.json's bytes, NULL when there is
 * no such file. */
static inline char *
ajar_test_read_rules(void)
{
    g_autofree char *path = ajar_test_path("rules.json");
    char *text = NULL;

    if (!g_file_get_contents(path, &text, NULL, NULL))
        return NULL;
    return text;
}

/* Returns: (transfer full): rules.json as the core reads it (it must be
 * there and valid). */
static inline AjarRuleSet *
ajar_test_parse_rules(void)
{
    g_autofree char *text = ajar_test_read_rules();
    g_autoptr(GError) error = NULL;
    AjarRuleSet *rules;

    g_assert_nonnull(text);
    rules = ajar_rules_parse(text, -1, "rules.json", NULL, NULL, &error);
    g_assert_no_error(error);
    g_assert_nonnull(rules);
    return rules;
}

/* Runs the plugin action labelled @label, as Pidgin's Tools menu and Finch's
 * plugin actions do. Aborts if the plugin has no such action. */
static inline void
ajar_test_run_action(PurplePlugin *plugin, const char *label)
{
    GList *actions = plugin->info->actions(plugin, NULL);
    gboolean found = FALSE;

    for (GList *l = actions; l != NULL; l = l->next) {
        PurplePluginAction *action = l->data;

        if (!found && g_strcmp0(action->label, label) == 0) {
            action->plugin = plugin;
            action->callback(action);
            found = TRUE;
        }
    }
    g_list_free_full(actions, (GDestroyNotify)purple_plugin_action_free);
    if (!found)
        g_error("the plugin has no action \"%s\"", label);
}

/* Frees a buddy-list menu as Pidgin does after building it. */
static inline void
ajar_test_menu_free(GList *menu)
{
    for (GList *l = menu; l != NULL; l = l->next) {
        PurpleMenuAction *action = l->data;

        ajar_test_menu_free(action->children);
        action->children = NULL;
        purple_menu_action_free(action);
    }
    g_list_free(menu);
}

/* The user right-clicks @node in the buddy list and picks @parent ▸ @label
 * (e.g. "Ajar" ▸ "Hold their messages"): "blist-node-extended-menu" is
 * emitted as Pidgin does, and the item's callback gets (node, data).
 * Returns: FALSE if the menu had no such item. */
static inline gboolean
ajar_test_blist_menu(PurpleBlistNode *node, const char *parent, const char *label)
{
    GList *menu = NULL;
    gboolean found = FALSE;

    purple_signal_emit(purple_blist_get_handle(), "blist-node-extended-menu", node, &menu);
    for (GList *l = menu; l != NULL && !found; l = l->next) {
        PurpleMenuAction *top = l->data;

        if (g_strcmp0(top->label, parent) != 0)
            continue;
        for (GList *c = top->children; c != NULL && !found; c = c->next) {
            PurpleMenuAction *item = c->data;

            if (g_strcmp0(item->label, label) == 0 && item->callback != NULL) {
                ((void (*)(PurpleBlistNode *, gpointer))item->callback)(node, item->data);
                found = TRUE;
            }
        }
    }
    ajar_test_menu_free(menu);
    return found;
}

typedef struct {
    gint64 after_seq;
    AjarEventType type;
} AjarTestEventWait;

static inline gboolean
ajar_test_has_event_cb(gpointer data)
{
    const AjarTestEventWait *wait = data;
    g_autoptr(GPtrArray) events = ajar_test_events_since(wait->after_seq, wait->type, NULL);

    return events->len > 0;
}

/* Runs the main loop until the journal has an event of @type with a seq
 * after @after_seq (bounded: test_client_wait_for()). */
static inline void
ajar_test_wait_event(gint64 after_seq, AjarEventType type)
{
    AjarTestEventWait wait = { after_seq, type };
    g_autofree char *what =
        g_strdup_printf("a \"%s\" event in the journal", ajar_event_type_to_string(type));

    test_client_wait_for(ajar_test_has_event_cb, &wait, what);
}

/* Returns: (transfer none) (nullable): the first item of list field @field
 * whose label starts with @prefix. */
static inline const char *
ajar_test_list_item(PurpleRequestField *field, const char *prefix)
{
    for (GList *l = purple_request_field_list_get_items(field); l != NULL; l = l->next) {
        if (g_str_has_prefix(l->data, prefix))
            return l->data;
    }
    return NULL;
}

/* How many journal events of @type came after @after_seq. */
static inline guint
ajar_test_count_since(gint64 after_seq, AjarEventType type)
{
    g_autoptr(GPtrArray) events = ajar_test_events_since(after_seq, type, NULL);

    return events->len;
}

/* Ajar off, rules.json written with @json, Ajar on: as a user who edits the
 * file before starting the messenger. */
static inline void
ajar_test_reload_with_rules(const char *json)
{
    ajar_test_unload();
    ajar_test_write_rules(json);
    ajar_test_load();
    test_client_iterate(100);
    ajar_test_drain();
}

/* A withheld message: no window, no line, nothing reached received-im-msg
 * (sounds and pop-ups hang off it) or the conversation's write path. */
static inline void
ajar_test_assert_nothing_shown(void)
{
    g_autoptr(GPtrArray) opened = test_client_take_opened();
    g_autoptr(GPtrArray) lines = test_client_take_lines();
    g_autoptr(GPtrArray) received = test_client_take_received();

    g_assert_cmpuint(opened->len, ==, 0);
    g_assert_cmpuint(lines->len, ==, 0);
    g_assert_cmpuint(received->len, ==, 0);
    g_assert_cmpuint(test_client_signal_count("received-im-msg"), ==, 0);
    g_assert_cmpuint(test_client_signal_count("writing-im-msg"), ==, 0);
    g_assert_cmpuint(test_client_signal_count("conversation-created"), ==, 0);
}

/* Returns: how many @taken (a test_client_take_*() array) holds; frees it. */
static inline guint
ajar_test_count_and_free(GPtrArray *taken)
{
    guint count = taken->len;

    g_ptr_array_unref(taken);
    return count;
}

/* Returns: (transfer none) (nullable): the first option of choice or list
 * field @field whose label starts with @prefix. */
static inline const char *
ajar_test_option_starting(PurpleRequestField *field, const char *prefix)
{
    GList *options = purple_request_field_get_type(field) == PURPLE_REQUEST_FIELD_CHOICE
                         ? purple_request_field_choice_get_labels(field)
                         : purple_request_field_list_get_items(field);

    for (GList *l = options; l != NULL; l = l->next) {
        if (g_str_has_prefix(l->data, prefix))
            return l->data;
    }
    return NULL;
}

/* The review's page of messages: the check boxes ("chosen-1", ...), one
 * per message, in order. Returns: (transfer container) (element-type
 * PurpleRequestField). */
static inline GPtrArray *
ajar_test_review_boxes(TestRequest *request)
{
    GPtrArray *boxes = g_ptr_array_new();

    for (GList *g = purple_request_fields_get_groups(request->fields); g != NULL; g = g->next) {
        for (GList *f = purple_request_field_group_get_fields(g->data); f != NULL; f = f->next) {
            if (g_str_has_prefix(purple_request_field_get_id(f->data), "chosen-"))
                g_ptr_array_add(boxes, f->data);
        }
    }
    return boxes;
}

/* Returns: (transfer none) (nullable): the label of the first message
 * whose check box line contains @text. */
static inline const char *
ajar_test_review_line(TestRequest *request, const char *text)
{
    g_autoptr(GPtrArray) boxes = ajar_test_review_boxes(request);

    for (guint i = 0; i < boxes->len; i++) {
        const char *label = purple_request_field_get_label(g_ptr_array_index(boxes, i));
        if (strstr(label, text) != NULL)
            return label;
    }
    return NULL;
}

/* Ticks every message whose check box line contains @text; aborts if none. */
static inline void
ajar_test_review_tick(TestRequest *request, const char *text)
{
    g_autoptr(GPtrArray) boxes = ajar_test_review_boxes(request);
    gboolean ticked = FALSE;

    for (guint i = 0; i < boxes->len; i++) {
        PurpleRequestField *box = g_ptr_array_index(boxes, i);
        if (strstr(purple_request_field_get_label(box), text) != NULL) {
            purple_request_field_bool_set_value(box, TRUE);
            ticked = TRUE;
        }
    }
    if (!ticked)
        g_error("no message line contains \"%s\"", text);
}

/* Tools ▸ Ajar ▸ Review held messages…: chooses the person whose line
 * starts with @prefix and presses Read. @label: (out) (optional) (transfer
 * full): that line, as step one showed it. Returns: (transfer full): the
 * second step (one TestRequest of fields). */
static inline GPtrArray *
ajar_test_review_read(const char *prefix, char **label)
{
    g_autoptr(GPtrArray) first = NULL;
    GPtrArray *second;
    TestRequest *request;
    PurpleRequestField *people;
    const char *line;

    ajar_test_run_action(ajar_test_plugin(), "Review held messages…");
    first = test_client_take_requests();
    g_assert_cmpuint(first->len, ==, 1);
    request = g_ptr_array_index(first, 0);
    g_assert_cmpint(request->type, ==, PURPLE_REQUEST_FIELDS);
    people = purple_request_fields_get_field(request->fields, "person");
    g_assert_nonnull(people);
    line = ajar_test_list_item(people, prefix);
    g_assert_nonnull(line);
    if (label != NULL)
        *label = g_strdup(line);
    purple_request_field_list_clear_selected(people);
    purple_request_field_list_add_selected(people, line);
    g_assert_true(test_client_request_fields_ok(request));
    second = test_client_take_requests();
    g_assert_cmpuint(second->len, ==, 1);
    g_assert_cmpint(((TestRequest *)g_ptr_array_index(second, 0))->type, ==, PURPLE_REQUEST_FIELDS);
    return second;
}

/* Ajar reads a large journal (over 1 MiB) in the background after
 * purple_plugin_load(): turns the main loop until "/ajar status" in the
 * window with @who no longer says it is still reading (at most 100 s:
 * valgrind). */
#define AJAR_TEST_LOADING_TEXT "Ajar is still reading its journal; try again in a moment."

static inline void
ajar_test_wait_journal_read(PurpleAccount *account, const char *who)
{
    gint64 give_up = g_get_monotonic_time() + 100 * G_USEC_PER_SEC;

    for (;;) {
        g_autoptr(GPtrArray) lines = NULL;
        const char *last;

        g_assert_cmpint(test_client_command(account, who, "ajar status"), ==, PURPLE_CMD_STATUS_OK);
        lines = test_client_take_lines();
        g_assert_cmpuint(lines->len, >=, 1);
        last = ((TestLine *)g_ptr_array_index(lines, lines->len - 1))->message;
        if (g_strcmp0(last, AJAR_TEST_LOADING_TEXT) != 0)
            return;
        g_assert_cmpint(g_get_monotonic_time(), <, give_up);
        ajar_test_run_for(20);
    }
}

#endif /* AJAR_TEST_UTIL_H */
