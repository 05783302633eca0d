/* ajar-json-write.c — the one JSON string writer rules.json and the
 * journal share (the reader is ajar-json.c). */
#include "ajar/ajar-json.h"

#include <string.h>

void
ajar_json_append_string(GString *out, const char *str, gssize len)
{
    static const char hex[] = "0123456789abcdef";
    const char *p, *end, *run;

    if (len < 0)
        len = (gssize)strlen(str);
    p = str;
    end = str + len;
    g_string_append_c(out, '"');
    run = p;
    while (p < end) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            p++;
            continue;
        }
        if (c >= 0x80) {
            gunichar ch = g_utf8_get_char_validated(p, end - p);
            if (ch == (gunichar)-1 || ch == (gunichar)-2) {
                g_string_append_len(out, run, p - run);
                g_string_append(out, "\xEF\xBF\xBD"); /* U+FFFD */
                p++;
                run = p;
            } else {
                p = g_utf8_next_char(p);
            }
            continue;
        }
        g_string_append_len(out, run, p - run);
        switch (c) {
        case '"': g_string_append(out, "\\\""); break;
        case '\\': g_string_append(out, "\\\\"); break;
        case '\n': g_string_append(out, "\\n"); break;
        case '\r': g_string_append(out, "\\r"); break;
        case '\t': g_string_append(out, "\\t"); break;
        case '\b': g_string_append(out, "\\b"); break;
        case '\f': g_string_append(out, "\\f"); break;
        default:
            g_string_append(out, "\\u00");
            g_string_append_c(out, hex[c >> 4]);
            g_string_append_c(out, hex[c & 15]);
        }
        p++;
        run = p;
    }
    g_string_append_len(out, run, p - run);
    g_string_append_c(out, '"');
}
