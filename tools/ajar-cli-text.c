/* ajar-cli-text.c — putting message text on a terminal safely: nothing a
 * message contains may reach the terminal as a control sequence (a text from
 * someone else is hostile input), nothing in it may hide or reorder what is
 * shown (ajar-reveal.h), and columns are counted as a terminal counts them. */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ajar-cli.h"

#include "ajar/ajar-reveal.h"

#define REPLACEMENT_CHARACTER 0xFFFD
#define TAB_SPACES "    "

/* U+2400..U+241F picture C0 controls (U+241B "␛" for ESC), U+2421 DEL. */
static gunichar
control_picture(gunichar c)
{
    return c == 0x7F ? 0x2421 : 0x2400 + c;
}

/* What ajar_cli_append_safe() does, less marking hidden characters. */
static void
append_without_controls(GString *out, const char *text, gssize len, AjarCliSafeFlags flags)
{
    const char *p = text, *end = text + len;

    while (p < end) {
        guchar byte = (guchar)*p;
        gunichar c;

        if (byte < 0x80) {
            p++;
            if (byte == '\n' && (flags & AJAR_CLI_SAFE_KEEP_NEWLINES))
                g_string_append_c(out, '\n');
            else if (byte == '\r' && (flags & AJAR_CLI_SAFE_KEEP_NEWLINES) && p < end && *p == '\n')
                continue; /* "\r\n" from another system is a plain line end */
            else if (byte == '\t')
                g_string_append(out, (flags & AJAR_CLI_SAFE_KEEP_TABS) ? "\t" : TAB_SPACES);
            else if (byte < 0x20 || byte == 0x7F)
                g_string_append_unichar(out, control_picture(byte));
            else
                g_string_append_c(out, (char)byte);
            continue;
        }
        c = g_utf8_get_char_validated(p, end - p);
        if (c == (gunichar)-1 || c == (gunichar)-2) {
            g_string_append_unichar(out, REPLACEMENT_CHARACTER);
            p++;
            continue;
        }
        /* C1 controls (U+0080..U+009F): some terminals obey U+009B as CSI.
         * Noncharacters are replaced too, so HTML built from this is valid. */
        if ((c >= 0x80 && c <= 0x9F) || (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE)
            g_string_append_unichar(out, REPLACEMENT_CHARACTER);
        else
            g_string_append_len(out, p, g_utf8_skip[byte]);
        p += g_utf8_skip[byte];
    }
}

void
ajar_cli_append_safe(GString *out, const char *text, gssize len, AjarCliSafeFlags flags)
{
    g_autoptr(GString) safe = NULL;

    if (text == NULL)
        return;
    if (len < 0)
        len = (gssize)strlen(text);
    if (flags & AJAR_CLI_SAFE_KEEP_HIDDEN) {
        append_without_controls(out, text, len, flags);
        return;
    }
    /* Marked after the controls are pictures: the marks then see the
     * characters as they will be shown around them. */
    safe = g_string_sized_new((gsize)len);
    append_without_controls(safe, text, len, flags);
    ajar_reveal_append(out, safe->str, (gssize)safe->len);
}

int
ajar_cli_char_width(gunichar c)
{
    if (g_unichar_iszerowidth(c))
        return 0;
    return g_unichar_iswide(c) ? 2 : 1;
}

int
ajar_cli_text_width(const char *text)
{
    int width = 0;

    for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p))
        width += ajar_cli_char_width(g_utf8_get_char(p));
    return width;
}

void
ajar_cli_append_fitted(GString *out, const char *text, int width)
{
    int used = 0;
    const char *p;

    if (ajar_cli_text_width(text) <= width) {
        g_string_append(out, text);
        return;
    }
    if (width <= 0)
        return;
    /* Leave one column for "…". */
    for (p = text; *p != '\0'; p = g_utf8_next_char(p)) {
        int w = ajar_cli_char_width(g_utf8_get_char(p));
        if (used + w > width - 1)
            break;
        used += w;
    }
    g_string_append_len(out, text, p - text);
    g_string_append(out, "…");
}

void
ajar_cli_append_padded(GString *out, const char *text, int width)
{
    g_string_append(out, text);
    for (int pad = width - ajar_cli_text_width(text); pad > 0; pad--)
        g_string_append_c(out, ' ');
}

/* One paragraph (no "\n") of safe text, wrapped. */
static void
wrap_paragraph(GString *out, const char *text, gsize len, int width, const char *indent)
{
    const char *p = text, *end = text + len;
    int column = 0;

    g_string_append(out, indent);
    while (p < end) {
        const char *word_end = p;
        int word_width = 0;

        if (*p == ' ') {
            /* Spaces are kept where they fit; at a line's end they go. */
            if (column < width)
                g_string_append_c(out, ' ');
            column++;
            p++;
            continue;
        }
        while (word_end < end && *word_end != ' ') {
            word_width += ajar_cli_char_width(g_utf8_get_char(word_end));
            word_end = g_utf8_next_char(word_end);
        }
        if (column > 0 && column + word_width > width) {
            /* Drop the spaces before the break, never text. */
            while (out->len > 0 && out->str[out->len - 1] == ' ')
                g_string_truncate(out, out->len - 1);
            g_string_append_c(out, '\n');
            g_string_append(out, indent);
            column = 0;
        }
        /* A word longer than a line is cut between characters. */
        while (p < word_end) {
            int w = ajar_cli_char_width(g_utf8_get_char(p));
            const char *next = g_utf8_next_char(p);
            if (column > 0 && column + w > width) {
                g_string_append_c(out, '\n');
                g_string_append(out, indent);
                column = 0;
            }
            g_string_append_len(out, p, next - p);
            column += w;
            p = next;
        }
    }
    while (out->len > 0 && out->str[out->len - 1] == ' ')
        g_string_truncate(out, out->len - 1);
    g_string_append_c(out, '\n');
}

void
ajar_cli_append_wrapped(GString *out, const char *text, int width, const char *indent)
{
    const char *p = text;
    int line_width = MAX(width - ajar_cli_text_width(indent), 10);

    for (;;) {
        const char *nl = strchr(p, '\n');
        gsize len = nl != NULL ? (gsize)(nl - p) : strlen(p);

        if (len == 0)
            g_string_append_c(out, '\n');
        else
            wrap_paragraph(out, p, len, line_width, indent);
        if (nl == NULL)
            break;
        p = nl + 1;
    }
}

int
ajar_cli_terminal_width(void)
{
    struct winsize size;
    const char *columns = g_getenv("COLUMNS");

    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
        return size.ws_col;
    if (columns != NULL) {
        char *end = NULL;
        long value = strtol(columns, &end, 10);
        if (end != columns && *end == '\0' && value > 0 && value < 10000)
            return (int)value;
    }
    return 80;
}

gboolean
ajar_cli_use_color(const AjarCli *cli)
{
    const char *no_color = g_getenv("NO_COLOR");
    const char *term = g_getenv("TERM");

    switch (cli->color) {
    case AJAR_CLI_COLOR_ALWAYS: return TRUE;
    case AJAR_CLI_COLOR_NEVER: return FALSE;
    case AJAR_CLI_COLOR_AUTO:
    default:
        /* https://no-color.org: set and not empty means no colour. */
        if (no_color != NULL && no_color[0] != '\0')
            return FALSE;
        if (term == NULL || term[0] == '\0' || strcmp(term, "dumb") == 0)
            return FALSE;
        return isatty(STDOUT_FILENO);
    }
}
