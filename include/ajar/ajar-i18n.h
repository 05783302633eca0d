/* ajar-i18n.h — how Ajar's words are marked for translation.
 *
 * Always Ajar's own gettext domain (GETTEXT_PACKAGE, "ajar"), never the
 * process's default one: the plugin runs inside Pidgin or Finch, whose
 * domain is theirs. po/README.md says how to add a language.
 *
 *   _("text")                 a translated string
 *   N_("text")                marked only, translated where it is used
 *   P_("%u message", "%u messages", n)   plural forms (ngettext)
 *   C_("context", "text")     the same English words that other languages
 *                             may say differently ("OK" the button and "OK"
 *                             the result of a check)
 *
 * Plain dgettext(), not GLib's g_dgettext(): that one turns a library's
 * translations off when the program's own domain (Pidgin's) has none for
 * the user's language, and Ajar may well be translated where Pidgin is not.
 *
 * Never build a sentence from translated pieces: one format string per
 * sentence, so a translator can change the order of its parts. Formats that
 * other programs read (the journal, --json, the HTML export's structure)
 * are never translated. */
#pragma once

#include <glib.h>
#include <libintl.h>

#define _(text) ((const char *)dgettext(GETTEXT_PACKAGE, (text)))
#define N_(text) (text)
#define P_(singular, plural, n) \
    ((const char *)dngettext(GETTEXT_PACKAGE, (singular), (plural), (unsigned long)(n)))

#define C_(context, text) ajar_i18n_pgettext(context "\004" text, (text))

G_BEGIN_DECLS

/* pgettext(): glibc's libintl has no such call; msgids with a context are
 * "context\004text" in the catalogue. Returns @text when not translated. */
static inline const char *
ajar_i18n_pgettext(const char *context_and_text, const char *text)
{
    const char *translated = dgettext(GETTEXT_PACKAGE, context_and_text);

    return translated == context_and_text ? text : translated;
}

/* Binds Ajar's domain to @localedir (UTF-8 output); the installed
 * AJAR_LOCALEDIR unless a test points elsewhere. Safe to call again. */
static inline void
ajar_i18n_init(const char *localedir)
{
    bindtextdomain(GETTEXT_PACKAGE, localedir);
    bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
}

G_END_DECLS
