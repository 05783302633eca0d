/* test-client-dialogs.c — the message boxes and dialogs libpurple asks the
 * headless client to show, and the user's answers to them, given as Pidgin
 * gives them. */
#include "test-client-private.h"

#include <string.h>

static GPtrArray *notices;  /* TestNotice*, one reference each */
static GPtrArray *requests; /* TestRequest*, one reference each */

/* Notices and dialogs libpurple may still close, each holding a reference:
 * the pointer is also the UI handle libpurple keeps, so it must stay valid
 * until close_notify / close_request, whatever the test freed. */
static GHashTable *open_notices;
static GHashTable *open_requests;

/* ---- message boxes ---- */

static void
test_notice_clear(gpointer data)
{
    TestNotice *notice = data;

    g_free(notice->title);
    g_free(notice->primary);
    g_free(notice->secondary);
    g_free(notice->text);
    g_free(notice->who);
}

static void
test_notice_unref(gpointer notice)
{
    g_rc_box_release_full(notice, test_notice_clear);
}

static TestNotice *
notice_new(TestNoticeKind kind, PurpleNotifyMsgType type, const char *title, const char *primary,
           const char *secondary)
{
    TestNotice *notice = g_rc_box_new0(TestNotice);
    static const char *const kind_names[] = { "message", "formatted", "userinfo" };

    notice->kind = kind;
    notice->type = type;
    notice->title = g_strdup(title);
    notice->primary = g_strdup(primary);
    notice->secondary = g_strdup(secondary);
    g_ptr_array_add(test_client_record_array(&notices, test_notice_unref), notice);
    if (open_notices == NULL)
        open_notices = g_hash_table_new_full(NULL, NULL, NULL, test_notice_unref);
    g_hash_table_insert(open_notices, notice, g_rc_box_acquire(notice));
    test_client_record_event("notify", kind_names[kind]);
    /* The UI handle libpurple passes back to close_notify. */
    return notice;
}

static void *
notify_message(PurpleNotifyMsgType type, const char *title, const char *primary,
               const char *secondary)
{
    return notice_new(TEST_NOTICE_MESSAGE, type, title, primary, secondary);
}

static void *
notify_formatted(const char *title, const char *primary, const char *secondary, const char *text)
{
    TestNotice *notice =
        notice_new(TEST_NOTICE_FORMATTED, PURPLE_NOTIFY_MSG_INFO, title, primary, secondary);

    notice->text = g_strdup(text);
    return notice;
}

static void *
notify_userinfo(PurpleConnection *gc, const char *who, PurpleNotifyUserInfo *user_info)
{
    TestNotice *notice = notice_new(TEST_NOTICE_USERINFO, PURPLE_NOTIFY_MSG_INFO, who, NULL, NULL);

    notice->who = g_strdup(who);
    notice->text = purple_notify_user_info_get_text_with_newline(user_info, "\n");
    return notice;
}

static void
close_notify(PurpleNotifyType type, void *ui_handle)
{
    TestNotice *notice = ui_handle;

    if (open_notices == NULL || !g_hash_table_contains(open_notices, notice))
        return;
    notice->closed = TRUE;
    test_client_record_event("close", "notify");
    g_hash_table_remove(open_notices, notice);
}

static PurpleNotifyUiOps notify_ops = {
    .notify_message = notify_message,
    .notify_formatted = notify_formatted,
    .notify_userinfo = notify_userinfo,
    .close_notify = close_notify,
};

GPtrArray *
test_client_take_notices(void)
{
    return test_client_take_array(&notices, test_notice_unref);
}

void
test_client_notice_close(TestNotice *notice)
{
    static const PurpleNotifyType types[] = { PURPLE_NOTIFY_MESSAGE, PURPLE_NOTIFY_FORMATTED,
                                              PURPLE_NOTIFY_USERINFO };

    g_return_if_fail(notice != NULL);
    if (notice->closed)
        g_error("notice \"%s\" was already closed", notice->primary);
    purple_notify_close(types[notice->kind], notice);
}

void
test_client_notices_close(GPtrArray *taken)
{
    for (guint i = 0; i < taken->len; i++) {
        TestNotice *notice = g_ptr_array_index(taken, i);
        if (!notice->closed)
            test_client_notice_close(notice);
    }
}

/* ---- dialogs ---- */

static const char *
request_type_name(PurpleRequestType type)
{
    switch (type) {
    case PURPLE_REQUEST_INPUT: return "input";
    case PURPLE_REQUEST_CHOICE: return "choice";
    case PURPLE_REQUEST_ACTION: return "action";
    case PURPLE_REQUEST_FIELDS: return "fields";
    default: return "other";
    }
}

static void
test_request_clear(gpointer data)
{
    TestRequest *request = data;

    g_free(request->title);
    g_free(request->primary);
    g_free(request->secondary);
    g_free(request->account);
    g_free(request->who);
    g_clear_pointer(&request->labels, g_ptr_array_unref);
    g_clear_pointer(&request->values, g_array_unref);
    g_free(request->default_value);
    g_free(request->ok_text);
    g_free(request->cancel_text);
    g_clear_pointer(&request->fields, purple_request_fields_destroy);
    g_clear_pointer(&request->callbacks, g_array_unref);
}

static void
test_request_unref(gpointer request)
{
    g_rc_box_release_full(request, test_request_clear);
}

static TestRequest *
request_new(PurpleRequestType type, const char *title, const char *primary, const char *secondary,
            PurpleAccount *account, const char *who, void *user_data)
{
    TestRequest *request = g_rc_box_new0(TestRequest);

    request->type = type;
    request->title = g_strdup(title);
    request->primary = g_strdup(primary);
    request->secondary = g_strdup(secondary);
    request->account = test_client_account_name(account);
    request->who = g_strdup(who);
    request->user_data = user_data;
    g_ptr_array_add(test_client_record_array(&requests, test_request_unref), request);
    if (open_requests == NULL)
        open_requests = g_hash_table_new_full(NULL, NULL, NULL, test_request_unref);
    g_hash_table_insert(open_requests, request, g_rc_box_acquire(request));
    test_client_record_event("request", request_type_name(type));
    return request;
}

static void *
request_input(const char *title, const char *primary, const char *secondary,
              const char *default_value, gboolean multiline, gboolean masked, gchar *hint,
              const char *ok_text, GCallback ok_cb, const char *cancel_text, GCallback cancel_cb,
              PurpleAccount *account, const char *who, PurpleConversation *conv, void *user_data)
{
    TestRequest *request =
        request_new(PURPLE_REQUEST_INPUT, title, primary, secondary, account, who, user_data);

    request->default_value = g_strdup(default_value);
    request->ok_text = g_strdup(ok_text);
    request->cancel_text = g_strdup(cancel_text);
    request->ok_cb = ok_cb;
    request->cancel_cb = cancel_cb;
    return request;
}

static void *
request_choice(const char *title, const char *primary, const char *secondary, int default_value,
               const char *ok_text, GCallback ok_cb, const char *cancel_text, GCallback cancel_cb,
               PurpleAccount *account, const char *who, PurpleConversation *conv, void *user_data,
               va_list choices)
{
    TestRequest *request =
        request_new(PURPLE_REQUEST_CHOICE, title, primary, secondary, account, who, user_data);
    const char *label;

    request->default_action = default_value;
    request->ok_text = g_strdup(ok_text);
    request->cancel_text = g_strdup(cancel_text);
    request->ok_cb = ok_cb;
    request->cancel_cb = cancel_cb;
    request->labels = g_ptr_array_new_with_free_func(g_free);
    request->values = g_array_new(FALSE, FALSE, sizeof(int));
    /* (label, value) pairs up to a NULL label. */
    while ((label = va_arg(choices, const char *)) != NULL) {
        int value = va_arg(choices, int);
        g_ptr_array_add(request->labels, g_strdup(label));
        g_array_append_val(request->values, value);
    }
    return request;
}

static void *
request_action(const char *title, const char *primary, const char *secondary, int default_action,
               PurpleAccount *account, const char *who, PurpleConversation *conv, void *user_data,
               size_t action_count, va_list actions)
{
    TestRequest *request =
        request_new(PURPLE_REQUEST_ACTION, title, primary, secondary, account, who, user_data);

    request->default_action = default_action;
    request->labels = g_ptr_array_new_with_free_func(g_free);
    request->callbacks = g_array_new(FALSE, TRUE, sizeof(GCallback));
    /* action_count (label, callback) pairs; a callback may be NULL. */
    for (size_t i = 0; i < action_count; i++) {
        const char *label = va_arg(actions, const char *);
        GCallback callback = va_arg(actions, GCallback);
        g_ptr_array_add(request->labels, g_strdup(label));
        g_array_append_val(request->callbacks, callback);
    }
    return request;
}

static void *
request_fields(const char *title, const char *primary, const char *secondary,
               PurpleRequestFields *fields, const char *ok_text, GCallback ok_cb,
               const char *cancel_text, GCallback cancel_cb, PurpleAccount *account,
               const char *who, PurpleConversation *conv, void *user_data)
{
    TestRequest *request =
        request_new(PURPLE_REQUEST_FIELDS, title, primary, secondary, account, who, user_data);

    /* The UI owns the fields from here on (Pidgin destroys them when the
     * dialog closes). */
    request->fields = fields;
    request->ok_text = g_strdup(ok_text);
    request->cancel_text = g_strdup(cancel_text);
    request->ok_cb = ok_cb;
    request->cancel_cb = cancel_cb;
    return request;
}

/* The dialog is gone, whoever closed it: its callbacks must never run again. */
static void
mark_closed(TestRequest *request)
{
    if (open_requests == NULL || !g_hash_table_contains(open_requests, request))
        return;
    request->closed = TRUE;
    g_clear_pointer(&request->fields, purple_request_fields_destroy);
    test_client_record_event("close", request_type_name(request->type));
    g_hash_table_remove(open_requests, request);
}

static void
close_request(PurpleRequestType type, void *ui_handle)
{
    mark_closed(ui_handle);
}

static PurpleRequestUiOps request_ops = {
    .request_input = request_input,
    .request_choice = request_choice,
    .request_action = request_action,
    .request_fields = request_fields,
    .close_request = close_request,
};

GPtrArray *
test_client_take_requests(void)
{
    return test_client_take_array(&requests, test_request_unref);
}

int
test_client_request_find_action(const TestRequest *request, const char *label)
{
    g_return_val_if_fail(request != NULL && request->type == PURPLE_REQUEST_ACTION, -1);

    for (guint i = 0; i < request->labels->len; i++) {
        g_autofree char *shown = g_strdup(g_ptr_array_index(request->labels, i));
        char *out = shown;

        for (const char *in = shown; *in != '\0'; in++) {
            if (*in != '_')
                *out++ = *in;
        }
        *out = '\0';
        if (g_strcmp0(shown, label) == 0 ||
            g_strcmp0(g_ptr_array_index(request->labels, i), label) == 0)
            return (int)i;
    }
    return -1;
}

static TestClientNumbering numbering = TEST_CLIENT_NUMBERING_PIDGIN;
static gboolean numbering_set;

const char *
test_client_ui_id(void)
{
    const char *ui = g_getenv("AJAR_TEST_UI");

    /* "pidgin": Pidgin's own id, for plugins that require it (bench/). */
    if (g_strcmp0(ui, "pidgin") == 0)
        return "gtk-gaim";
    return g_strcmp0(ui, "finch") == 0 ? "gnt-purple" : "ajar-test";
}

void
test_client_set_numbering(TestClientNumbering how)
{
    numbering = how;
    numbering_set = TRUE;
}

TestClientNumbering
test_client_get_numbering(void)
{
    if (!numbering_set) {
        numbering = g_strcmp0(g_getenv("AJAR_TEST_UI"), "finch") == 0
                        ? TEST_CLIENT_NUMBERING_FINCH
                        : TEST_CLIENT_NUMBERING_PIDGIN;
        numbering_set = TRUE;
    }
    return numbering;
}

void
test_client_fields_pick(TestRequest *request, const char *field_id, const char *label)
{
    PurpleRequestField *field;
    int position = 0;

    g_return_if_fail(request != NULL && field_id != NULL && label != NULL);
    if (request->type != PURPLE_REQUEST_FIELDS || request->closed)
        g_error("cannot pick \"%s\": dialog \"%s\" is not an open fields dialog", label,
                request->primary);
    field = purple_request_fields_get_field(request->fields, field_id);
    if (field == NULL)
        g_error("dialog \"%s\" has no field \"%s\"", request->primary, field_id);
    switch (purple_request_field_get_type(field)) {
    case PURPLE_REQUEST_FIELD_CHOICE:
        for (GList *l = purple_request_field_choice_get_labels(field); l != NULL; l = l->next) {
            if (g_strcmp0(l->data, label) == 0) {
                purple_request_field_choice_set_value(
                    field, test_client_get_numbering() == TEST_CLIENT_NUMBERING_FINCH ? position + 1
                                                                                      : position);
                return;
            }
            position++;
        }
        break;
    case PURPLE_REQUEST_FIELD_LIST:
        if (purple_request_field_list_get_data(field, label) != NULL ||
            g_list_find_custom(purple_request_field_list_get_items(field), label,
                               (GCompareFunc)g_strcmp0) != NULL) {
            if (!purple_request_field_list_get_multi_select(field))
                purple_request_field_list_clear_selected(field);
            purple_request_field_list_add_selected(field, label);
            return;
        }
        break;
    default:
        g_error("field \"%s\" of dialog \"%s\" has no options to pick", field_id, request->primary);
    }
    g_error("field \"%s\" of dialog \"%s\" has no option \"%s\"", field_id, request->primary,
            label);
}

/* Returns a reference held while the answer runs: the callback may close the
 * dialog (dropping the client's reference) or open the next one. */
static TestRequest *
answer_begin(TestRequest *request, PurpleRequestType type, const char *what)
{
    if (request->type != type)
        g_error("cannot %s a %s dialog (\"%s\")", what, request_type_name(request->type),
                request->primary);
    if (request->closed)
        g_error("cannot %s dialog \"%s\": it was closed before the user could answer it", what,
                request->primary);
    request->answered = TRUE;
    return g_rc_box_acquire(request);
}

/* As Pidgin after every answer: purple_request_close(), which makes
 * libpurple call close_request. */
static void
answer_end(TestRequest *request)
{
    if (!request->closed)
        purple_request_close(request->type, request);
    /* In case libpurple no longer knew the handle. */
    mark_closed(request);
    test_request_unref(request);
}

void
test_client_request_answer(TestRequest *request, int action_index)
{
    GCallback callback;

    g_return_if_fail(request != NULL);
    request = answer_begin(request, PURPLE_REQUEST_ACTION, "answer");
    if (action_index < 0 || (guint)action_index >= request->callbacks->len)
        g_error("dialog \"%s\" has no button %d", request->primary, action_index);
    callback = g_array_index(request->callbacks, GCallback, action_index);
    if (callback != NULL)
        ((PurpleRequestActionCb)callback)(request->user_data, action_index);
    answer_end(request);
}

void
test_client_request_choose(TestRequest *request, int value)
{
    g_return_if_fail(request != NULL);
    request = answer_begin(request, PURPLE_REQUEST_CHOICE, "choose in");
    if (request->ok_cb != NULL)
        ((PurpleRequestChoiceCb)request->ok_cb)(request->user_data, value);
    answer_end(request);
}

void
test_client_request_input(TestRequest *request, const char *text)
{
    g_return_if_fail(request != NULL && text != NULL);
    request = answer_begin(request, PURPLE_REQUEST_INPUT, "type into");
    if (request->ok_cb != NULL)
        ((PurpleRequestInputCb)request->ok_cb)(request->user_data, text);
    answer_end(request);
}

gboolean
test_client_request_fields_ok(TestRequest *request)
{
    g_return_val_if_fail(request != NULL, FALSE);
    if (request->type == PURPLE_REQUEST_FIELDS && !request->closed &&
        !purple_request_fields_all_required_filled(request->fields))
        return FALSE;
    request = answer_begin(request, PURPLE_REQUEST_FIELDS, "press OK in");
    if (request->ok_cb != NULL)
        ((PurpleRequestFieldsCb)request->ok_cb)(request->user_data, request->fields);
    answer_end(request);
    return TRUE;
}

void
test_client_request_cancel(TestRequest *request)
{
    g_return_if_fail(request != NULL);
    request = answer_begin(request, request->type, "cancel");
    switch (request->type) {
    case PURPLE_REQUEST_INPUT:
        if (request->cancel_cb != NULL)
            ((PurpleRequestInputCb)request->cancel_cb)(request->user_data, request->default_value);
        break;
    case PURPLE_REQUEST_CHOICE:
        if (request->cancel_cb != NULL)
            ((PurpleRequestChoiceCb)request->cancel_cb)(request->user_data,
                                                        request->default_action);
        break;
    case PURPLE_REQUEST_FIELDS:
        if (request->cancel_cb != NULL)
            ((PurpleRequestFieldsCb)request->cancel_cb)(request->user_data, request->fields);
        break;
    default:
        /* ACTION: the window is closed without a button; nothing runs. */
        break;
    }
    answer_end(request);
}

/* ---- set-up and clean-up ---- */

void
test_client_dialogs_install(void)
{
    purple_notify_set_ui_ops(&notify_ops);
    purple_request_set_ui_ops(&request_ops);
}

void
test_client_dialogs_clear(void)
{
    g_clear_pointer(&notices, g_ptr_array_unref);
    g_clear_pointer(&requests, g_ptr_array_unref);
    /* libpurple is gone: nothing can close these any more. */
    g_clear_pointer(&open_notices, g_hash_table_unref);
    g_clear_pointer(&open_requests, g_hash_table_unref);
}
