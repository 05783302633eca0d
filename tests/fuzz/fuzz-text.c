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

static GString *
export_page(const char *text, gsize len)
{
    g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc(1795000000);
    g_autoptr(GPtrArray) items = g_ptr_array_new();
    g_autofree char *copy = g_strndup(text, len);
    AjarCliJournal journal = { 0 };
    AjarItem item = { 0 };
    GString *page = g_string_new(NULL);

    journal.path = (char *)"/home/me/.purple/ajar/journal.jsonl";
    item.id = (char *)"01KB0ZC7N9W8Q4T6Y2H3J5K7M8";
    item.dir = AJAR_DIRECTION_IN;
    item.account = copy;
    item.protocol = copy;
    item.buddy = copy; /* names come from the network too */
    item.rule = copy;
    item.time = G_GINT64_CONSTANT(1794000000) * G_USEC_PER_SEC;
    item.due = G_GINT64_CONSTANT(1796000000) * G_USEC_PER_SEC;
    item.text = (char *)text;
    item.text_len = len;
    item.custody = AJAR_EVENT_DELAYED;
    item.state = AJAR_EVENT_DELAYED;
    g_ptr_array_add(items, &item);
    ajar_cli_export_html(page, &journal, items, now);
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
