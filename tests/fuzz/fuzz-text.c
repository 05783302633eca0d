/* fuzz-text.c — a message text, whatever its bytes, is shown safely.
 *
 * For ajar_text_from_markup() (the review, `ajar list/show`, the HTML
 * export all start from it) and ajar_text_first_line() (the review's list):
 * the result is valid UTF-8 without NUL, C0 controls other than newline and
 * tab, DEL or C1 controls, and without trailing white space.
 * For the `ajar` tool's terminal filter (ajar_cli_append_safe()): no control
 * byte at all except the newlines and tabs a flag keeps, valid UTF-8.
 * For the HTML export (ajar_cli_export_html()): a message whose text, buddy
 * and rule are the input adds no markup to the page: the page has exactly as
 * many '<' as one made with harmless words, but for the marks it puts where
 * a hidden character was and after a name that mixes alphabets.
 * Text that lies about itself (ajar-reveal.h): no bidi control, zero-width
 * or other hidden character reaches the terminal filter's output or the
 * page raw; each is there as a mark ("<U+202E>"). */
#include "fuzz-target.h"

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "ajar/ajar-reveal.h"
#include "ajar/ajar-text.h"

#include "ajar-cli.h"
#include "ajar-export.h"

static gboolean
no_controls(const char *text, gsize len, gboolean newlines, gboolean tabs, gsize *bad)
{
    const char *p = text, *end = text + len;

    for (; p < end; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);

        if ((c < 0x20 && !(c == '\n' && newlines) && !(c == '\t' && tabs)) ||
            (c >= 0x7F && c <= 0x9F)) {
            *bad = (gsize)(p - text);
            return FALSE;
        }
    }
    return TRUE;
}

static void
check_safe(const char *what, const char *text, gsize len, gboolean newlines, gboolean tabs)
{
    gsize bad = 0;

    FUZZ_CHECK(strlen(text) == len, "%s: holds a NUL byte", what);
    FUZZ_CHECK(g_utf8_validate(text, (gssize)len, NULL), "%s: not valid UTF-8", what);
    FUZZ_CHECK(no_controls(text, len, newlines, tabs, &bad), "%s: control character at byte %zu",
               what, bad);
}

/* The hidden characters of @text (valid UTF-8) left raw: none. */
static void
check_revealed(const char *what, const char *text, gsize len)
{
    const char *end = text + len;

    for (const char *p = text; p < end; p = g_utf8_next_char(p))
        FUZZ_CHECK(!ajar_reveal_is_hidden(text, end, p), "%s: U+%04X raw at byte %zu", what,
                   (unsigned)g_utf8_get_char(p), (gsize)(p - text));
}

static guint
count_occurrences(const GString *page, const char *needle)
{
    guint count = 0;

    for (const char *p = strstr(page->str, needle); p != NULL; p = strstr(p + 1, needle))
        count++;
    return count;
}

/* The page's '<', less those of the marks the export adds (a span each). */
static guint
count_tags(const GString *page)
{
    guint count = 0;

    for (gsize i = 0; i < page->len; i++)
        count += page->str[i] == '<';
    return count - 2 * count_occurrences(page, "<span class=\"hidden-char\">&lt;U+") -
           2 * count_occurrences(page, "<span class=\"mixed-scripts\">");
}

static char *page_dir;
static char *page_journal;

static void
remove_page_dir(void)
{
    g_unlink(page_journal);
    g_rmdir(page_dir);
}

static void
apply_cb(const AjarEvent *event, gpointer user_data)
{
    ajar_state_apply(user_data, event);
}

/* The page for one message whose names and text are @text: its line is
 * written to a journal first, as the export reads texts back from there. */
static GString *
export_page(const char *text, gsize len)
{
    g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc(1795000000);
    g_autoptr(GPtrArray) items = NULL;
    g_autoptr(AjarState) state = ajar_state_new();
    g_autoptr(AjarEvent) event = ajar_event_new(AJAR_EVENT_DELAYED);
    g_autoptr(GString) line = g_string_new(NULL);
    g_autofree char *names = NULL;
    AjarCliJournal journal = { 0 };
    GString *page = g_string_new(NULL);

    if (page_dir == NULL) {
        page_dir = g_dir_make_tmp("ajar-fuzz-text-XXXXXX", NULL);
        FUZZ_CHECK(page_dir != NULL, "could not make a folder");
        page_journal = g_build_filename(page_dir, "journal.jsonl", NULL);
        atexit(remove_page_dir);
    }
    /* Names are read as strings without NUL (the journal's rule). */
    names = g_strndup(text, len);
    if (names[0] == '\0' || !g_utf8_validate(names, -1, NULL)) {
        g_free(names);
        names = g_strdup("sam");
    }
    event->seq = 1;
    event->ts = G_GINT64_CONSTANT(1794000000) * G_USEC_PER_SEC;
    event->id = g_strdup("01KB0ZC7N9W8Q4T6Y2H3J5K7M8");
    event->has_dir = TRUE;
    event->dir = AJAR_DIRECTION_IN;
    event->account = g_strdup(names);
    event->protocol = g_strdup(names);
    event->buddy = g_strdup(names); /* names come from the network too */
    event->rule = g_strdup(names);
    event->time = G_GINT64_CONSTANT(1794000000) * G_USEC_PER_SEC;
    event->due = G_GINT64_CONSTANT(1796000000) * G_USEC_PER_SEC;
    event->text = g_malloc(len + 1);
    memcpy(event->text, text, len);
    event->text[len] = '\0';
    event->text_len = len;
    ajar_event_encode(event, line);
    FUZZ_CHECK(g_file_set_contents(page_journal, line->str, (gssize)line->len, NULL),
               "could not write %s", page_journal);
    FUZZ_CHECK(ajar_journal_read_file(page_journal, apply_cb, state, NULL, NULL), "not read");
    items = ajar_state_list(state);
    FUZZ_CHECK(items->len == 1, "the message was not read");
    journal.path = page_journal;
    FUZZ_CHECK(ajar_cli_export_html(page, &journal, items, now), "its text was not read back");
    g_clear_pointer(&journal.text_files, g_hash_table_unref);
    return page;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    g_autofree char *plain = NULL;
    g_autoptr(GString) terminal = g_string_new(NULL);
    g_autoptr(GString) one_line = g_string_new(NULL);
    g_autoptr(GString) page = NULL;
    g_autoptr(GString) harmless = NULL;
    static const guint widths[] = { 0, 1, 40, 120 };

    if (size > G_MAXSSIZE)
        return 0;
    plain = ajar_text_from_markup(text, (gssize)size);
    check_safe("plain text", plain, strlen(plain), TRUE, TRUE);
    FUZZ_CHECK(plain[0] == '\0' || !g_ascii_isspace(plain[strlen(plain) - 1]),
               "trailing white space");
    for (guint i = 0; i < G_N_ELEMENTS(widths); i++) {
        g_autofree char *first = ajar_text_first_line(plain, widths[i]);

        check_safe("first line", first, strlen(first), FALSE, TRUE);
        FUZZ_CHECK(g_utf8_strlen(first, -1) <= MAX(widths[i], 1), "first line of %ld characters",
                   g_utf8_strlen(first, -1));
    }

    ajar_cli_append_safe(terminal, text, (gssize)size,
                         AJAR_CLI_SAFE_KEEP_NEWLINES | AJAR_CLI_SAFE_KEEP_TABS);
    check_safe("terminal text", terminal->str, terminal->len, TRUE, TRUE);
    check_revealed("terminal text", terminal->str, terminal->len);
    ajar_cli_append_safe(one_line, text, (gssize)size, AJAR_CLI_SAFE_ONE_LINE);
    check_safe("terminal line", one_line->str, one_line->len, FALSE, FALSE);
    check_revealed("terminal line", one_line->str, one_line->len);
    {
        /* What the review shows: the plain text, revealed. */
        g_autofree char *shown = ajar_reveal_text(plain, -1);
        g_autofree char *name = ajar_reveal_name(plain);

        check_revealed("revealed text", shown, strlen(shown));
        check_revealed("revealed name", name, strlen(name));
    }

    page = export_page(text, size);
    /* A rule name that is empty (or starts with a NUL: names are strings)
     * is "(no rule)", words of the page's own, not a name in <bdi>. */
    harmless = size > 0 && text[0] != '\0' ? export_page("x", 1) : export_page("", 0);
    check_safe("HTML page", page->str, page->len, TRUE, TRUE);
    check_revealed("HTML page", page->str, page->len);
    FUZZ_CHECK(count_tags(page) == count_tags(harmless), "the text added %d '<' to the page",
               (int)count_tags(page) - (int)count_tags(harmless));
    return 0;
}

/* tools/ajar-cli-journal.c, linked for ajar_cli_iso_time() and
 * ajar_cli_state_name(), also has the `ajar` command's journal loader,
 * which prints with ajar_cli_error() (tools/ajar-main.c, not linked: it has
 * the command's main()). The export never calls it: if it ever did, that is
 * a failure. */
void
ajar_cli_error(const char *format, ...)
{
    FUZZ_CHECK(FALSE, "ajar_cli_error() called during an export (%s)", format);
}
