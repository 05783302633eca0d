/* ajar-text.c — markup to plain text, for every place a kept message is shown. */
#include "ajar/ajar-text.h"

#include <string.h>

#include "ajar/ajar-i18n.h"

typedef struct {
    const char *name;
    gunichar value;
} Entity;

static const Entity entities[] = {
    { "amp", '&' },      { "lt", '<' },        { "gt", '>' },       { "quot", '"' },
    { "apos", '\'' },    { "nbsp", ' ' },      { "copy", 0xA9 },    { "reg", 0xAE },
    { "trade", 0x2122 }, { "hellip", 0x2026 }, { "mdash", 0x2014 }, { "ndash", 0x2013 },
    { "lsquo", 0x2018 }, { "rsquo", 0x2019 },  { "ldquo", 0x201C }, { "rdquo", 0x201D },
    { "euro", 0x20AC },  { "deg", 0xB0 },      { "middot", 0xB7 },  { "bull", 0x2022 },
};

static void
append_char(GString *out, gunichar c)
{
    /* Control characters could drive a terminal or confuse a dialog: C0 ones
     * and DEL are shown as their visible pictures (ESC as U+241B), others
     * that are not characters at all as U+FFFD. */
    if (c < 0x20 && c != '\n' && c != '\t')
        c = 0x2400 + c;
    else if (c == 0x7F)
        c = 0x2421;
    else if ((c >= 0x80 && c < 0xA0) || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF) ||
             (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE)
        c = 0xFFFD;
    g_string_append_unichar(out, c);
}

/* Decodes the entity at @p ("&…;"); returns the bytes consumed, 0 if none. */
static gsize
decode_entity(const char *p, const char *end, GString *out)
{
    const char *semi;
    gsize name_len;

    if (end - p < 3)
        return 0;
    semi = memchr(p, ';', MIN((gsize)(end - p), 12));
    if (semi == NULL)
        return 0;
    name_len = (gsize)(semi - p - 1);
    if (p[1] == '#') {
        guint64 value = 0;
        gboolean hex = name_len > 1 && (p[2] == 'x' || p[2] == 'X');
        const char *digit = p + (hex ? 3 : 2);

        if (digit >= semi)
            return 0;
        for (; digit < semi; digit++) {
            int v = g_ascii_xdigit_value(*digit);
            if (v < 0 || (!hex && v > 9))
                return 0;
            value = value * (hex ? 16 : 10) + (guint64)v;
            if (value > 0x10FFFF)
                value = 0x110000; /* stays out of range, no overflow */
        }
        append_char(out, (gunichar)value);
        return (gsize)(semi - p) + 1;
    }
    for (gsize i = 0; i < G_N_ELEMENTS(entities); i++) {
        if (strlen(entities[i].name) == name_len &&
            g_ascii_strncasecmp(p + 1, entities[i].name, name_len) == 0) {
            append_char(out, entities[i].value);
            return (gsize)(semi - p) + 1;
        }
    }
    return 0;
}

/* The tag name at @p (after "<" or "</"), lower-cased, in @name. */
static void
tag_name(const char *p, const char *end, char name[16])
{
    gsize n = 0;

    while (p < end && n < 15 && (g_ascii_isalnum(*p)))
        name[n++] = g_ascii_tolower(*p++);
    name[n] = '\0';
}

/* The value of attribute @attr inside the tag text [@p, @end), or NULL. */
static char *
tag_attribute(const char *p, const char *end, const char *attr)
{
    gsize attr_len = strlen(attr);

    /* From after the "<", so p[-1] below is always inside the tag. */
    for (p++; p + attr_len < end; p++) {
        const char *q;
        char quote;

        if (g_ascii_strncasecmp(p, attr, attr_len) != 0 || g_ascii_isalnum(p[-1]))
            continue;
        q = p + attr_len;
        while (q < end && g_ascii_isspace(*q))
            q++;
        if (q >= end || *q != '=')
            continue;
        q++;
        while (q < end && g_ascii_isspace(*q))
            q++;
        quote = q < end && (*q == '"' || *q == '\'') ? *q++ : 0;
        p = q;
        while (q < end && (quote ? *q != quote : !g_ascii_isspace(*q) && *q != '>'))
            q++;
        return ajar_text_from_markup(p, q - p);
    }
    return NULL;
}

static gboolean
is_block_end(const char *name)
{
    static const char *const blocks[] = { "p",  "div", "li",         "tr", "h1",
                                          "h2", "h3",  "blockquote", NULL };
    for (const char *const *b = blocks; *b != NULL; b++) {
        if (strcmp(name, *b) == 0)
            return TRUE;
    }
    return FALSE;
}

char *
ajar_text_from_markup(const char *markup, gssize len)
{
    g_autofree char *valid = NULL;
    const char *p, *end;
    GString *out;
    char *link = NULL;
    gsize link_text_start = 0;
    char skip_until[16] = "";

    if (markup == NULL)
        return g_strdup("");
    valid = g_utf8_make_valid(markup, len);
    p = valid;
    end = valid + strlen(valid);
    out = g_string_sized_new((gsize)(end - p));

    while (p < end) {
        const char *close = NULL;

        /* A "<" with no ">" after it is text, not a tag: nothing is lost. */
        if (*p == '<' && p + 1 < end &&
            (g_ascii_isalpha(p[1]) || p[1] == '/' || p[1] == '!' || p[1] == '?') &&
            (close = memchr(p, '>', (gsize)(end - p))) != NULL) {
            gboolean closing = p[1] == '/';
            char name[16];

            tag_name(p + (closing ? 2 : 1), close, name);
            if (skip_until[0] != '\0') {
                if (closing && strcmp(name, skip_until) == 0)
                    skip_until[0] = '\0';
            } else if (!closing && (strcmp(name, "script") == 0 || strcmp(name, "style") == 0 ||
                                    strcmp(name, "head") == 0)) {
                g_strlcpy(skip_until, name, sizeof(skip_until));
            } else if (strcmp(name, "br") == 0 || (closing && is_block_end(name))) {
                g_string_append_c(out, '\n');
            } else if (strcmp(name, "img") == 0) {
                g_autofree char *alt = tag_attribute(p, close, "alt");
                /* TRANSLATORS: stands for a picture without a description
                 * in a message's text. */
                g_string_append(out, alt != NULL && *alt != '\0' ? alt : _("[image]"));
            } else if (strcmp(name, "a") == 0 && !closing) {
                g_free(link);
                link = tag_attribute(p, close, "href");
                link_text_start = out->len;
            } else if (strcmp(name, "a") == 0 && closing && link != NULL) {
                /* Show where a link goes when its text does not say it. */
                if (strcmp(out->str + link_text_start, link) != 0 && *link != '\0')
                    g_string_append_printf(out, " <%s>", link);
                g_clear_pointer(&link, g_free);
            }
            p = close + 1;
            continue;
        }
        if (skip_until[0] != '\0') {
            p++;
            continue;
        }
        if (*p == '&') {
            gsize used = decode_entity(p, end, out);
            if (used > 0) {
                p += used;
                continue;
            }
        }
        if (*p == '\r') {
            /* "\r\n" and a lone "\r" are line ends. */
            g_string_append_c(out, '\n');
            p += p + 1 < end && p[1] == '\n' ? 2 : 1;
            continue;
        }
        append_char(out, g_utf8_get_char(p));
        p = g_utf8_next_char(p);
    }
    g_free(link);
    while (out->len > 0 && g_ascii_isspace(out->str[out->len - 1]))
        g_string_truncate(out, out->len - 1);
    return g_string_free(out, FALSE);
}

char *
ajar_text_first_line(const char *plain, guint max_chars)
{
    const char *newline = strchr(plain, '\n');
    g_autofree char *line = newline != NULL ? g_strndup(plain, newline - plain) : g_strdup(plain);
    glong chars = g_utf8_strlen(line, -1);

    if (chars <= (glong)max_chars && newline == NULL)
        return g_steal_pointer(&line);
    /* The "…" that says there is more counts too: a full-width first line
     * with more lines after it is cut as a longer one is. */
    if (chars > (glong)max_chars - 1) {
        char *cut = g_utf8_offset_to_pointer(line, max_chars > 0 ? max_chars - 1 : 0);
        *cut = '\0';
    }
    return g_strconcat(line, "…", NULL);
}

static guint
char_columns(gunichar c)
{
    if (g_unichar_iszerowidth(c))
        return 0;
    return g_unichar_iswide(c) ? 2 : 1;
}

static guint
text_columns(const char *text)
{
    guint columns = 0;

    for (const char *p = text; *p != '\0'; p = g_utf8_next_char(p))
        columns += char_columns(g_utf8_get_char(p));
    return columns;
}

/* Wraps one paragraph (no "\n") onto @lines. */
static void
wrap_paragraph(const char *paragraph, guint columns, const char *indent, guint indent_columns,
               GPtrArray *lines)
{
    const char *p = paragraph;
    gboolean first = TRUE;

    do {
        guint width = first ? columns : columns - indent_columns;
        guint used = 0;
        const char *line_end = p, *last_space = NULL, *q = p;
        GString *line = g_string_new(first ? "" : indent);

        /* Take characters while they fit; remember the last space. */
        while (*q != '\0') {
            guint w = char_columns(g_utf8_get_char(q));
            if (used + w > width)
                break;
            used += w;
            if (*q == ' ')
                last_space = q;
            q = g_utf8_next_char(q);
        }
        if (*q == '\0')
            line_end = q;
        else if (last_space != NULL && last_space > p)
            line_end = last_space; /* break at the space, drop it */
        else
            line_end = q > p ? q : g_utf8_next_char(q); /* a word longer than a line */
        g_string_append_len(line, p, line_end - p);
        while (line->len > 0 && line->str[line->len - 1] == ' ')
            g_string_truncate(line, line->len - 1);
        g_ptr_array_add(lines, g_string_free(line, FALSE));
        p = line_end;
        while (*p == ' ')
            p++;
        first = FALSE;
    } while (*p != '\0');
}

char **
ajar_text_wrap(const char *plain, guint columns, const char *indent)
{
    GPtrArray *lines = g_ptr_array_new();
    g_auto(GStrv) paragraphs = NULL;
    guint indent_columns;

    g_return_val_if_fail(plain != NULL && indent != NULL, NULL);
    indent_columns = text_columns(indent);
    g_return_val_if_fail(columns > indent_columns + 1, NULL);
    paragraphs = g_strsplit(plain, "\n", -1);
    for (char **paragraph = paragraphs; *paragraph != NULL; paragraph++) {
        /* A tab is as wide as the terminal makes it: one space here. */
        g_strdelimit(*paragraph, "\t", ' ');
        if (**paragraph == '\0')
            g_ptr_array_add(lines, g_strdup(paragraph == paragraphs ? "" : indent));
        else
            wrap_paragraph(*paragraph, columns, indent, indent_columns, lines);
    }
    if (lines->len == 0)
        g_ptr_array_add(lines, g_strdup(""));
    g_ptr_array_add(lines, NULL);
    return (char **)g_ptr_array_free(lines, FALSE);
}
