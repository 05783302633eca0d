/* ajar-cli.h — what the `ajar` command's files share: the run's settings,
 * exit codes, reading the journal, and printing text safely to a terminal.
 * Only tools/ turns errors into stderr and exit codes (STYLE.md). */
#pragma once

#include <glib.h>

#include "ajar/ajar-event.h"
#include "ajar/ajar-i18n.h"
#include "ajar/ajar-journal.h"
#include "ajar/ajar-state.h"

G_BEGIN_DECLS

typedef enum {
    AJAR_CLI_EXIT_OK = 0,
    AJAR_CLI_EXIT_FAILED = 1, /* a failed check, an unknown id, an unreadable journal */
    AJAR_CLI_EXIT_USAGE = 2,  /* an unknown command or option, a missing argument */
} AjarCliExit;

typedef enum {
    AJAR_CLI_COLOR_AUTO,
    AJAR_CLI_COLOR_ALWAYS,
    AJAR_CLI_COLOR_NEVER,
} AjarCliColor;

/* One run of the command: the options every subcommand shares. */
typedef struct {
    char *dir;          /* the purple user dir (--dir), default ~/.purple */
    char *color_option; /* --color as given, NULL = auto */
    AjarCliColor color; /* --color, checked */
    /* The same options given after the command (they win) */
    char *command_dir;
    char *command_color_option;
    GDateTime *now; /* local time when the command started */
} AjarCli;

/* A new option context whose --help words (usage line, summary,
 * description, entries) are translated in Ajar's domain. Mark the strings
 * given to it with N_(), not _(). Returns: (transfer full). */
GOptionContext *ajar_cli_option_context_new(const char *parameter_string);

/* Adds the options every subcommand accepts (--dir; with @color also
 * --color) to @context's main entries; they point into @cli's command_*
 * fields, which ajar_cli_parse() moves into dir and color_option. */
void ajar_cli_add_shared_options(AjarCli *cli, GOptionContext *context, gboolean color);

/* Parses a subcommand's options (@argv[0] is the subcommand's name), then
 * checks --color. On a bad option prints the one-line error and the hint and
 * returns FALSE (exit 2). --help prints the help and exits 0 (GOption does). */
gboolean ajar_cli_parse(AjarCli *cli, GOptionContext *context, const char *command, int *argc,
                        char ***argv);
/* Checks cli->color_option into cli->color. FALSE if it is not a known value. */
gboolean ajar_cli_check_color(AjarCli *cli, GError **error);

/* Prints "ajar: MESSAGE" and "Try 'ajar[ COMMAND] --help'." to stderr.
 * Returns: AJAR_CLI_EXIT_USAGE. */
int ajar_cli_usage_error(const char *command, const char *format, ...) G_GNUC_PRINTF(2, 3);
/* Prints "ajar: MESSAGE" to stderr. */
void ajar_cli_error(const char *format, ...) G_GNUC_PRINTF(1, 2);
/* Writes @len bytes to stdout. FALSE (with a message on stderr) if it failed. */
gboolean ajar_cli_write_stdout(const char *data, gsize len);

/* TRUE when output to stdout should be coloured: --color=always, or auto and
 * stdout is a terminal, NO_COLOR is unset or empty, and TERM is set and not
 * "dumb". */
gboolean ajar_cli_use_color(const AjarCli *cli);
/* Columns of the terminal on stdout, else $COLUMNS, else 80. */
int ajar_cli_terminal_width(void);

/* ---- the journal, read-only ---- */

/* One journal event for a message, for `show` and `export`. */
typedef struct {
    gint64 seq;
    gint64 ts;
    AjarEventType type;
    char *name; /* the event's name as written ("held", or an unknown one) */
} AjarCliHistoryEntry;

/* What reading one history file found (issue 13). */
typedef struct {
    char *name; /* "history/2026-11.jsonl" */
    AjarJournalReport report;
} AjarCliHistoryFile;

typedef struct {
    char *path;       /* DIR/ajar/journal.jsonl */
    gboolean missing; /* no journal yet, and no history (not an error) */
    AjarState *state;
    GHashTable *history; /* id -> GArray of AjarCliHistoryEntry; NULL unless asked for */
    AjarJournalReport report;
    GArray *repaired_lines; /* guint: lines a repair event says were cut by a crash */
    /* Files texts are read back from, open: "" (journal.jsonl) or an item's
     * text_source -> fd + 1 (ajar_cli_journal_read_text(); a cache). */
    GHashTable *text_files;
    GArray *history_files; /* AjarCliHistoryFile, in the order read */
    gboolean in_history;   /* reading a history file now */
    /* journal.jsonl's seq gaps after its last "summary" (before it, the
     * lines between kept ones moved to history: no gap of the journal's) */
    guint seq_gaps;
    gboolean have_prev_seq;
    gint64 prev_seq;
} AjarCliJournal;

/* Reads @cli's journal without changing it: every history file
 * (DIR/ajar/history/YYYY-MM.jsonl) in name order, then journal.jsonl, into
 * one state. @with_history: also keep every message's events. Returns:
 * (transfer full) (nullable): NULL with @error when a file exists but
 * cannot be read. */
AjarCliJournal *ajar_cli_journal_load(const AjarCli *cli, gboolean with_history, GError **error);
void ajar_cli_journal_free(AjarCliJournal *journal);
/* Malformed lines other than the ones a repair event explains. */
guint ajar_cli_journal_unexplained_malformed(const AjarCliJournal *journal);
/* Says once on stderr that malformed lines were skipped, if there were any. */
void ajar_cli_journal_warn(const AjarCliJournal *journal);
/* Returns: (transfer none) (nullable): the history of @id, oldest first. */
GArray *ajar_cli_journal_history(const AjarCliJournal *journal, const char *id);

/* @item's text read back from the file it is in (the state keeps no
 * texts): NULL with @error (one line naming the file and byte offset) when
 * it cannot be read, such as after the file was edited by hand.
 * @len, @images (nullable). Returns: (transfer full) (nullable). */
char *ajar_cli_journal_read_text(const AjarCliJournal *journal, const AjarItem *item, gsize *len,
                                 char ***images, GError **error);

/* Loads the journal for a subcommand; on failure prints the error and sets
 * *exit_code to AJAR_CLI_EXIT_FAILED. */
AjarCliJournal *ajar_cli_journal_load_or_report(const AjarCli *cli, gboolean with_history,
                                                int *exit_code);

/* The length of the id prefix `list` shows: the shortest, at least
 * AJAR_CLI_SHORT_ID_MIN characters, that tells every message in @state apart.
 * Ten characters are an id's time part (milliseconds): only messages taken
 * in within the same millisecond need more. */
#define AJAR_CLI_SHORT_ID_MIN 10
guint ajar_cli_short_id_length(const AjarState *state);

/* "held", "sent", ... (the state's journal name). Static string. */
const char *ajar_cli_state_name(AjarEventType type);
/* ISO 8601 UTC, with milliseconds only when the time has them. Transfer full. */
char *ajar_cli_iso_time(gint64 unix_us);
/* TRUE if @text must be stored as text_base64 (not UTF-8, or holds a NUL). */
gboolean ajar_cli_text_needs_base64(const char *text, gsize len);
/* The items of @state sorted by their own time, oldest first (newest last). */
GPtrArray *ajar_cli_sorted_items(const AjarState *state);

/* Appends one message as a JSON object: id, state, dir, account, protocol,
 * buddy, rule, time, due, text (or text_base64; or, when it cannot be read
 * back, "text_error" with the reason, also printed on stderr), and with
 * @history (nullable) also "history": [{seq, ts, event}]. Returns FALSE
 * when its text could not be read. */
gboolean ajar_cli_append_item_json(GString *out, const AjarCliJournal *journal,
                                   const AjarItem *item, const GArray *history);

/* ---- text for terminals and pages ---- */

typedef enum {
    AJAR_CLI_SAFE_ONE_LINE = 0,           /* newlines and tabs become visible/spaces */
    AJAR_CLI_SAFE_KEEP_NEWLINES = 1 << 0, /* "\n" kept ("\r\n" becomes "\n") */
    AJAR_CLI_SAFE_KEEP_TABS = 1 << 1,     /* "\t" kept, else it becomes spaces */
    /* Hidden characters kept: for a caller that marks them its own way
     * (the HTML export) or text they are marked in already. */
    AJAR_CLI_SAFE_KEEP_HIDDEN = 1 << 2,
} AjarCliSafeFlags;

/* Appends @text (any bytes, @len or -1) to @out so that nothing in it can
 * command a terminal: bytes that are not UTF-8 become U+FFFD, control
 * characters (C0 and DEL) become their visible pictures (ESC is shown as
 * U+241B), C1 controls become U+FFFD; and nothing in it can hide or reorder
 * what is shown: bidi controls, zero-width and other hidden characters
 * become marks such as "<U+202E>" (ajar_reveal_append()). */
void ajar_cli_append_safe(GString *out, const char *text, gssize len, AjarCliSafeFlags flags);
/* Columns @c takes on a terminal: 0, 1 or 2. */
int ajar_cli_char_width(gunichar c);
/* Columns a (safe, valid UTF-8) string takes. */
int ajar_cli_text_width(const char *text);
/* Appends @text cut to at most @width columns, ending in "…" when cut. */
void ajar_cli_append_fitted(GString *out, const char *text, int width);
/* Appends @text then spaces up to @width columns. */
void ajar_cli_append_padded(GString *out, const char *text, int width);
/* Appends @text (safe UTF-8, newlines kept) wrapped at @width columns on
 * spaces (a word longer than a line is cut between characters), each line
 * starting with @indent (counted in @width). */
void ajar_cli_append_wrapped(GString *out, const char *text, int width, const char *indent);

/* Safe one-line text (see ajar_cli_append_safe()). Transfer full. */
char *ajar_cli_safe_line(const char *text, gssize len);
/* The SGR sequence `list` and `show` colour a state with. Static string. */
const char *ajar_cli_state_color(AjarEventType state);
/* --contact: TRUE if @contact (NULL: anyone) names @item's rule or buddy,
 * ignoring case and an XMPP resource. */
gboolean ajar_cli_contact_matches(const AjarItem *item, const char *contact);

/* ---- subcommands: each returns the exit code ---- */

int ajar_cli_list(AjarCli *cli, int argc, char **argv);
int ajar_cli_show(AjarCli *cli, int argc, char **argv);
int ajar_cli_stats(AjarCli *cli, int argc, char **argv);
int ajar_cli_export(AjarCli *cli, int argc, char **argv);
int ajar_cli_verify(AjarCli *cli, int argc, char **argv);
int ajar_cli_compact(AjarCli *cli, int argc, char **argv);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(AjarCliJournal, ajar_cli_journal_free)

G_END_DECLS
