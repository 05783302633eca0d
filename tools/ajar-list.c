/* ajar-list.c — `ajar list`: one aligned line per message, newest last. */
#include <string.h>

#include "ajar-cli.h"

#include "ajar/ajar-reveal.h"
#include "ajar/ajar-stats.h"
#include "ajar/ajar-text.h"

#define COMMAND "list" /* no i18n: the command's name */

/* The longest "from BUDDY" column before it is cut with "…". */
#define WHO_MAX_WIDTH 32
/* On a narrow terminal "from BUDDY" gives way first, down to this. */
#define WHO_MIN_WIDTH 8
/* The text column keeps at least this much, even on a narrow terminal. */
#define TEXT_MIN_WIDTH 8

typedef enum {
    FILTER_CUSTODY, /* the default: everything Ajar keeps */
    FILTER_HELD,
    FILTER_ARCHIVED,
    FILTER_DELAYED,
    FILTER_QUEUED,
    FILTER_ALL,
} StateFilter;

static const struct {
    const char *name;
    StateFilter filter;
} state_filters[] = {
    /* no i18n begin: the values --state takes */
    { "custody", FILTER_CUSTODY }, { "held", FILTER_HELD },     { "archived", FILTER_ARCHIVED },
    { "delayed", FILTER_DELAYED }, { "queued", FILTER_QUEUED }, { "all", FILTER_ALL },
    /* no i18n end */
};

static gboolean
parse_filter(const char *name, StateFilter *filter)
{
    if (name == NULL) {
        *filter = FILTER_CUSTODY;
        return TRUE;
    }
    for (gsize i = 0; i < G_N_ELEMENTS(state_filters); i++) {
        if (g_ascii_strcasecmp(name, state_filters[i].name) == 0) {
            *filter = state_filters[i].filter;
            return TRUE;
        }
    }
    return FALSE;
}

static gboolean
state_matches(const AjarItem *item, StateFilter filter)
{
    switch (filter) {
    case FILTER_CUSTODY: return ajar_item_in_custody(item);
    /* Their held messages and your unsent letters (held, or cancelled
     * cooling-off messages): everything waiting for you to decide. */
    case FILTER_HELD:
        /* ... and those Ajar stopped sending or showing halfway. */
        return item->state == AJAR_EVENT_HELD || item->state == AJAR_EVENT_CANCELLED ||
               item->state == AJAR_EVENT_SENDING || item->state == AJAR_EVENT_SHOWING ||
               /* ... and strangers' messages, kept however, until you say who they are. */
               (item->stranger && ajar_item_in_custody(item));
    case FILTER_ARCHIVED:
        return item->state == AJAR_EVENT_ARCHIVED || item->state == AJAR_EVENT_READ;
    case FILTER_DELAYED: return item->state == AJAR_EVENT_DELAYED;
    case FILTER_QUEUED: return item->state == AJAR_EVENT_QUEUED;
    case FILTER_ALL:
    default: return TRUE;
    }
}

/* "sam@example.org/phone" -> "sam@example.org": an XMPP resource does not
 * make another person. Transfer full. */
static char *
without_resource(const char *name)
{
    const char *slash = strchr(name, '/');

    if (slash != NULL && memchr(name, '@', (gsize)(slash - name)) != NULL)
        return g_strndup(name, (gsize)(slash - name));
    return g_strdup(name);
}

/* "Sam@Example.org/phone" -> "sam@example.org". Transfer full. */
static char *
contact_key(const char *name)
{
    g_autofree char *bare = without_resource(name);

    return g_utf8_casefold(bare, -1);
}

gboolean
ajar_cli_contact_matches(const AjarItem *item, const char *contact)
{
    g_autofree char *wanted = NULL;
    g_autofree char *rule = NULL;
    g_autofree char *buddy = NULL;

    if (contact == NULL)
        return TRUE;
    if (!g_utf8_validate(contact, -1, NULL))
        return FALSE;
    wanted = contact_key(contact);
    if (item->rule != NULL && g_utf8_validate(item->rule, -1, NULL)) {
        rule = g_utf8_casefold(item->rule, -1);
        g_autofree char *wanted_rule = g_utf8_casefold(contact, -1);
        if (strcmp(rule, wanted_rule) == 0)
            return TRUE;
    }
    if (item->buddy != NULL && g_utf8_validate(item->buddy, -1, NULL)) {
        buddy = contact_key(item->buddy);
        if (strcmp(buddy, wanted) == 0)
            return TRUE;
    }
    return FALSE;
}

const char *
ajar_cli_state_color(AjarEventType state)
{
    switch (state) {
    case AJAR_EVENT_HELD:
    case AJAR_EVENT_SHOWING: return "\033[33m"; /* yellow */
    case AJAR_EVENT_ARCHIVED:
    case AJAR_EVENT_READ: return "\033[34m"; /* blue */
    case AJAR_EVENT_DELAYED:
    case AJAR_EVENT_QUEUED: return "\033[36m"; /* cyan */
    case AJAR_EVENT_CANCELLED:
    case AJAR_EVENT_SENDING: return "\033[35m"; /* magenta */
    default: return "\033[2m";                  /* faint: no longer kept */
    }
}

char *
ajar_cli_safe_line(const char *text, gssize len)
{
    GString *out = g_string_new(NULL);

    ajar_cli_append_safe(out, text, len, AJAR_CLI_SAFE_ONE_LINE);
    return g_string_free(out, FALSE);
}

/* The first line with something on it, made safe; " …" when more follows.
 * A text that cannot be read back: a marker (the reason on stderr), and
 * *@unreadable set. */
static char *
first_line(const AjarCliJournal *journal, const AjarItem *item, gboolean *unreadable)
{
    g_autoptr(GError) text_error = NULL;
    gsize kept_len = 0;
    g_autofree char *kept = ajar_cli_journal_read_text(journal, item, &kept_len, NULL, &text_error);
    g_autofree char *plain = NULL;
    const char *p, *end, *nl;
    GString *out;

    if (kept == NULL) {
        ajar_cli_error("%s", text_error->message);
        *unreadable = TRUE;
        /* TRANSLATORS: `ajar list`, in place of a message's text that
         * cannot be read back from the journal (the reason is on stderr). */
        return g_strdup(_("[text cannot be read]"));
    }
    /* As a person reads it: markup gone, entities decoded (ajar-text.h). */
    plain = ajar_text_from_markup(kept, (gssize)kept_len);
    p = plain;
    end = p + strlen(plain);
    out = g_string_new(NULL);

    while (p < end && (*p == '\n' || *p == '\r' || *p == ' ' || *p == '\t'))
        p++;
    nl = memchr(p, '\n', (gsize)(end - p));
    ajar_cli_append_safe(out, p, (nl != NULL ? nl : end) - p, AJAR_CLI_SAFE_ONE_LINE);
    /* A "\r" before the "\n" is a line end too, not a character to show. */
    if (nl != NULL && g_str_has_suffix(out->str, "␍"))
        g_string_truncate(out, out->len - strlen("␍"));
    if (nl != NULL) {
        const char *rest = nl + 1;
        while (rest < end && g_ascii_isspace(*rest))
            rest++;
        if (rest < end)
            g_string_append(out, " …");
    }
    return g_string_free(out, FALSE);
}

/* One row's cells, already safe for a terminal. */
typedef struct {
    char *time;
    char *id;
    const char *state;
    AjarEventType state_type;
    char *who;
    char *who_marker; /* after the name, never cut: "(stranger)", a name that
                       * mixes alphabets; or NULL */
    char *text;
} Row;

static void
row_clear(gpointer data)
{
    Row *row = data;

    g_free(row->time);
    g_free(row->id);
    g_free(row->who);
    g_free(row->who_marker);
    g_free(row->text);
}

static void
append_cell(GString *out, const char *text, int width, const char *color)
{
    if (color != NULL)
        g_string_append(out, color);
    g_string_append(out, text);
    if (color != NULL)
        g_string_append(out, "\033[0m");
    for (int pad = width - ajar_cli_text_width(text); pad > 0; pad--)
        g_string_append_c(out, ' ');
    g_string_append(out, "  ");
}

/* Columns the marker after a row's name takes, with its space. */
static int
marker_width(const Row *row)
{
    return row->who_marker != NULL ? 1 + ajar_cli_text_width(row->who_marker) : 0;
}

/* "from NAME", cut to @width, and the marker after it whole: a lookalike
 * name says so however narrow the column. */
static void
append_who(GString *out, const Row *row, int width)
{
    if (row->who_marker == NULL) {
        ajar_cli_append_fitted(out, row->who, width);
        return;
    }
    ajar_cli_append_fitted(out, row->who, MAX(width - marker_width(row), WHO_MIN_WIDTH));
    g_string_append_c(out, ' ');
    g_string_append(out, row->who_marker);
}

static void
print_rows(GString *out, const GArray *rows, gboolean color)
{
    int time_width = 0, id_width = 0, state_width = 0, who_width = 0;
    int width = ajar_cli_terminal_width();
    int text_width;

    for (guint i = 0; i < rows->len; i++) {
        const Row *row = &g_array_index(rows, Row, i);
        int who = MIN(ajar_cli_text_width(row->who), WHO_MAX_WIDTH) + marker_width(row);

        time_width = MAX(time_width, ajar_cli_text_width(row->time));
        id_width = MAX(id_width, ajar_cli_text_width(row->id));
        state_width = MAX(state_width, ajar_cli_text_width(row->state));
        who_width = MAX(who_width, who);
    }
    text_width = width - (time_width + id_width + state_width + who_width + 4 * 2);
    if (text_width < TEXT_MIN_WIDTH) {
        who_width = MAX(who_width - (TEXT_MIN_WIDTH - text_width), MIN(who_width, WHO_MIN_WIDTH));
        text_width = width - (time_width + id_width + state_width + who_width + 4 * 2);
    }
    /* Narrower still: the lines grow longer than the terminal rather than
     * losing the text. */
    text_width = MAX(text_width, TEXT_MIN_WIDTH);

    for (guint i = 0; i < rows->len; i++) {
        const Row *row = &g_array_index(rows, Row, i);
        g_autoptr(GString) who = g_string_new(NULL);

        append_cell(out, row->time, time_width, NULL);
        append_cell(out, row->id, id_width, color ? "\033[2m" : NULL);
        append_cell(out, row->state, state_width,
                    color ? ajar_cli_state_color(row->state_type) : NULL);
        append_who(who, row, who_width);
        append_cell(out, who->str, who_width, NULL);
        ajar_cli_append_fitted(out, row->text, text_width);
        while (out->len > 0 && out->str[out->len - 1] == ' ')
            g_string_truncate(out, out->len - 1);
        g_string_append_c(out, '\n');
    }
}

static Row
make_row(const AjarCliJournal *journal, const AjarItem *item, guint id_length, GDateTime *now,
         gboolean *unreadable)
{
    Row row = { 0 };
    g_autofree char *safe_id = ajar_cli_safe_line(item->id, -1);
    g_autofree char *bare = without_resource(item->buddy != NULL ? item->buddy : "");
    g_autofree char *buddy = ajar_cli_safe_line(bare, -1);
    glong id_chars = g_utf8_strlen(safe_id, -1);

    row.time = ajar_format_local_time(item->time, now);
    row.id = g_utf8_substring(safe_id, 0, MIN((glong)id_length, id_chars));
    row.state = ajar_cli_state_name(item->state);
    row.state_type = item->state;
    if (item->chat != NULL) {
        /* A chat line: who by their nick in the room (their address, when
         * the room told it, is in `ajar show`). */
        g_autofree char *nick = ajar_cli_safe_line(item->nick != NULL ? item->nick : bare, -1);
        g_autofree char *room = ajar_cli_safe_line(item->chat, -1);
        /* TRANSLATORS: who wrote a line in a group chat (`ajar list`, the
         * HTML export); %1$s is their nick, %2$s the room's name. */
        row.who = g_strdup_printf(_("from %s in %s"), nick, room);
        if (ajar_reveal_name_mixes_scripts(nick) || ajar_reveal_name_mixes_scripts(room))
            row.who_marker = g_strdup(ajar_reveal_mixed_marker());
    } else if (item->dir == AJAR_DIRECTION_OUT) {
        /* TRANSLATORS: who your message was to (`ajar list`, the HTML
         * export); %s is their address. */
        row.who = g_strdup_printf(_("to %s"), buddy);
    } else {
        /* TRANSLATORS: who a message was from; %s is their address. */
        row.who = g_strdup_printf(_("from %s"), buddy);
    }
    if (item->chat == NULL && ajar_reveal_name_mixes_scripts(buddy))
        row.who_marker = g_strdup(ajar_reveal_mixed_marker());
    /* Someone in no buddy list: said however narrow the column. */
    if (item->stranger && item->chat == NULL) {
        /* TRANSLATORS: after the address of someone in no buddy list
         * (`ajar list`, the HTML export). */
        char *marker = g_strjoin(" ", _("(stranger)"), row.who_marker, NULL);
        g_free(row.who_marker);
        row.who_marker = marker;
    }
    row.text = first_line(journal, item, unreadable);
    return row;
}

static int
print_json(const AjarCliJournal *journal, const GPtrArray *items)
{
    g_autoptr(GString) out = g_string_new("[");
    gboolean all_read = TRUE;

    for (guint i = 0; i < items->len; i++) {
        g_string_append(out, i > 0 ? ",\n" : "\n");
        all_read &= ajar_cli_append_item_json(out, journal, g_ptr_array_index(items, i), NULL);
    }
    g_string_append(out, items->len > 0 ? "\n]\n" : "]\n");
    return ajar_cli_write_stdout(out->str, out->len) && all_read ? AJAR_CLI_EXIT_OK
                                                                 : AJAR_CLI_EXIT_FAILED;
}

int
ajar_cli_list(AjarCli *cli, int argc, char **argv)
{
    g_autofree char *contact = NULL;
    g_autofree char *state_name = NULL;
    gboolean json = FALSE;
    g_autoptr(GOptionContext) context = ajar_cli_option_context_new(NULL);
    g_autoptr(AjarCliJournal) journal = NULL;
    g_autoptr(GPtrArray) items = NULL;
    g_autoptr(GPtrArray) shown = NULL;
    g_autoptr(GArray) rows = NULL;
    g_autoptr(GString) out = g_string_new(NULL);
    StateFilter filter;
    int status = AJAR_CLI_EXIT_OK;
    gboolean unreadable = FALSE;
    guint id_length;
    GOptionEntry entries[] = {
        { "contact", 'c', 0, G_OPTION_ARG_STRING, &contact, /* no i18n: option name */
          N_("Only messages of this rule or buddy (any case; an XMPP resource is ignored)"),
          /* TRANSLATORS: an option's placeholder ("--contact=NAME"). */
          N_("NAME") },
        { "state", 's', 0, G_OPTION_ARG_STRING, &state_name, /* no i18n: option name */
          /* TRANSLATORS: held, archived, delayed, queued and all are the
           * values --state takes: keep them as they are. */
          N_("held (their held messages and your unsent letters), archived, delayed, queued, or "
             "all (every message ever seen). Default: everything in Ajar's keeping"),
          /* TRANSLATORS: an option's placeholder ("--state=STATE"). */
          N_("STATE") },
        { "json", 'j', 0, G_OPTION_ARG_NONE, &json, /* no i18n: option name */
          N_("One JSON array instead of lines"), NULL },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };

    g_option_context_set_summary(context, N_("Lists the messages in Ajar's keeping, newest last."));
    g_option_context_add_main_entries(context, entries, NULL);
    ajar_cli_add_shared_options(cli, context, TRUE);
    if (!ajar_cli_parse(cli, context, COMMAND, &argc, &argv))
        return AJAR_CLI_EXIT_USAGE;
    if (argc > 1)
        return ajar_cli_usage_error(COMMAND, _("unexpected argument '%s'"), argv[1]);
    if (!parse_filter(state_name, &filter))
        /* TRANSLATORS: --state and its values are typed as they are; %s is
         * what the user gave. */
        return ajar_cli_usage_error(
            COMMAND, _("--state takes held, archived, delayed, queued or all, not '%s'"),
            state_name);

    journal = ajar_cli_journal_load_or_report(cli, FALSE, &status);
    if (journal == NULL)
        return status;
    ajar_cli_journal_warn(journal);

    items = ajar_cli_sorted_items(journal->state);
    shown = g_ptr_array_new();
    for (guint i = 0; i < items->len; i++) {
        const AjarItem *item = g_ptr_array_index(items, i);
        if (state_matches(item, filter) && ajar_cli_contact_matches(item, contact))
            g_ptr_array_add(shown, (gpointer)item);
    }
    if (json)
        return print_json(journal, shown);

    if (journal->missing)
        /* TRANSLATORS: %s is the journal file's path. */
        g_string_append_printf(out, _("No journal yet at %s."), journal->path);
    else if (shown->len == 0 && filter == FILTER_CUSTODY && contact == NULL)
        g_string_append(out, _("Nothing is in Ajar's keeping."));
    else if (shown->len == 0)
        g_string_append(out, _("No messages match."));
    if (journal->missing || shown->len == 0)
        g_string_append_c(out, '\n');
    id_length = ajar_cli_short_id_length(journal->state);
    rows = g_array_sized_new(FALSE, FALSE, sizeof(Row), shown->len);
    g_array_set_clear_func(rows, row_clear);
    for (guint i = 0; i < shown->len; i++) {
        Row row = make_row(journal, g_ptr_array_index(shown, i), id_length, cli->now, &unreadable);
        g_array_append_val(rows, row);
    }
    print_rows(out, rows, ajar_cli_use_color(cli));
    /* Texts that could not be read back were marked (and why, on stderr):
     * the list is not whole. */
    return ajar_cli_write_stdout(out->str, out->len) && !unreadable ? AJAR_CLI_EXIT_OK
                                                                    : AJAR_CLI_EXIT_FAILED;
}
