/* ajar-main.c — `ajar [--dir DIR] COMMAND ...`: global options, picking the
 * subcommand, and the error conventions every subcommand shares. */
#include "ajar-config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "ajar-cli.h"
#include "ajar/ajar-i18n.h"

typedef struct {
    const char *name;
    int (*run)(AjarCli *cli, int argc, char **argv);
} AjarCliCommand;

static const AjarCliCommand commands[] = {
    /* no i18n begin: command names */
    { "list", ajar_cli_list },     { "show", ajar_cli_show },     { "stats", ajar_cli_stats },
    { "export", ajar_cli_export }, { "verify", ajar_cli_verify }, { "compact", ajar_cli_compact },
    /* no i18n end */
};

/* Translated when the help is shown (ajar_cli_option_context_new()). */
/* TRANSLATORS: the command names (list, show, stats, export, verify, compact),
 * 'ajar COMMAND --help' and "--state all" are typed as they are; keep the
 * columns lined up. */
static const char main_description[] =
    N_("Commands:\n"
       "  list      the messages in Ajar's keeping (--state all: every message)\n"
       "  show ID   one message in full, with its history\n"
       "  stats     per rule: when you last wrote, times you held back, what waits\n"
       "  export    every message as one JSON document or HTML page\n"
       "  verify    check the journal: lines, custody, damage\n"
       "  compact   move finished messages to history/ (not while the messenger runs)\n"
       "\n"
       "Run 'ajar COMMAND --help' for a command's options. The journal is\n"
       "DIR/ajar/journal.jsonl (and history/ beside it); all but compact only\n"
       "read it, so they are safe while the messenger runs. Exit status: 0\n"
       "success, 1 a failed check, 2 bad usage.");

static void
cli_vprint_error(const char *format, va_list args)
{
    g_autofree char *message = g_strdup_vprintf(format, args);

    fprintf(stderr, "ajar: %s\n", message); /* no i18n: the program's name */
}

void
ajar_cli_error(const char *format, ...)
{
    va_list args;

    va_start(args, format);
    cli_vprint_error(format, args);
    va_end(args);
}

int
ajar_cli_usage_error(const char *command, const char *format, ...)
{
    va_list args;

    va_start(args, format);
    cli_vprint_error(format, args);
    va_end(args);
    if (command != NULL)
        /* TRANSLATORS: %s is a command's name (list, show, ...); keep the
         * command line as it is. */
        fprintf(stderr, _("Try 'ajar %s --help'."), command);
    else
        fputs(_("Try 'ajar --help'."), stderr);
    fputc('\n', stderr);
    return AJAR_CLI_EXIT_USAGE;
}

gboolean
ajar_cli_write_stdout(const char *data, gsize len)
{
    if ((len > 0 && fwrite(data, 1, len, stdout) != len) || fflush(stdout) != 0) {
        ajar_cli_error(_("could not write the output: %s"), g_strerror(errno));
        return FALSE;
    }
    return TRUE;
}

void
ajar_cli_add_shared_options(AjarCli *cli, GOptionContext *context, gboolean color)
{
    GOptionEntry entries[] = {
        { "dir", 'd', 0, G_OPTION_ARG_FILENAME, &cli->command_dir, /* no i18n: option name */
          /* TRANSLATORS: DIR is the option's placeholder (translated
           * below); both must agree. */
          N_("The messenger's user folder (default: ~/.purple); the journal is "
             "DIR/ajar/journal.jsonl"),
          /* TRANSLATORS: an option's placeholder ("--dir=DIR"), in capitals. */
          N_("DIR") },
        { "color", 0, 0, G_OPTION_ARG_STRING, &cli->command_color_option, /* no i18n: option */
          /* TRANSLATORS: auto, always and never are the values --color
           * takes: keep them as they are. */
          N_("Colour the output: auto (default: only on a terminal, never with NO_COLOR set), "
             "always or never"),
          /* TRANSLATORS: an option's placeholder ("--color=WHEN"). */
          N_("WHEN") },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };

    if (!color)
        entries[1] = entries[2];
    g_option_context_add_main_entries(context, entries, NULL);
}

gboolean
ajar_cli_check_color(AjarCli *cli, GError **error)
{
    const char *value = cli->color_option;

    if (value == NULL || strcmp(value, "auto") == 0)
        cli->color = AJAR_CLI_COLOR_AUTO;
    else if (strcmp(value, "always") == 0)
        cli->color = AJAR_CLI_COLOR_ALWAYS;
    else if (strcmp(value, "never") == 0)
        cli->color = AJAR_CLI_COLOR_NEVER;
    else {
        /* TRANSLATORS: --color, auto, always and never are typed as they
         * are; %s is what the user gave. */
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    _("--color takes auto, always or never, not '%s'"), value);
        return FALSE;
    }
    return TRUE;
}

/* Options given both before and after the command: the later one wins.
 * (GOption does not free what a variable held before, so each parse writes
 * into command_* and this moves it.) */
static gboolean
take_shared_options(AjarCli *cli, GError **error)
{
    if (cli->command_dir != NULL) {
        g_free(cli->dir);
        cli->dir = g_steal_pointer(&cli->command_dir);
    }
    if (cli->command_color_option != NULL) {
        g_free(cli->color_option);
        cli->color_option = g_steal_pointer(&cli->command_color_option);
    }
    return ajar_cli_check_color(cli, error);
}

static const char *
translate_cb(const char *text, gpointer data)
{
    return _(text);
}

GOptionContext *
ajar_cli_option_context_new(const char *parameter_string)
{
    GOptionContext *context = g_option_context_new(parameter_string);

    /* The entries' words (the main group's domain), and the usage line's,
     * summary's and description's (the context's own function). */
    g_option_context_set_translation_domain(context, GETTEXT_PACKAGE);
    g_option_context_set_translate_func(context, translate_cb, NULL, NULL);
    return context;
}

gboolean
ajar_cli_parse(AjarCli *cli, GOptionContext *context, const char *command, int *argc, char ***argv)
{
    g_autofree char *prgname = g_strdup_printf("ajar %s", command); /* no i18n: a command line */
    g_autoptr(GError) error = NULL;

    /* GOption's help says "Usage: PRGNAME [OPTION…]". */
    g_set_prgname(prgname);
    if (!g_option_context_parse(context, argc, argv, &error) || !take_shared_options(cli, &error)) {
        ajar_cli_usage_error(command, "%s", error->message);
        return FALSE;
    }
    return TRUE;
}

static const AjarCliCommand *
find_command(const char *name)
{
    for (gsize i = 0; i < G_N_ELEMENTS(commands); i++) {
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    }
    return NULL;
}

static int
not_a_command(const char *name)
{
    /* TRANSLATORS: %s is what the user typed; the command names are typed
     * as they are. */
    return ajar_cli_usage_error(
        NULL, _("'%s' is not a command (list, show, stats, export, verify or compact)"), name);
}

/* `ajar help [COMMAND]`: the same as --help. */
static int
run_help(AjarCli *cli, GOptionContext *context, int argc, char **argv)
{
    const AjarCliCommand *command;
    char *help_argv[] = { NULL, "--help", NULL }; /* no i18n: an option */

    if (argc < 3) {
        g_autofree char *help = g_option_context_get_help(context, TRUE, NULL);
        return ajar_cli_write_stdout(help, strlen(help)) ? AJAR_CLI_EXIT_OK : AJAR_CLI_EXIT_FAILED;
    }
    command = find_command(argv[2]);
    if (command == NULL)
        return not_a_command(argv[2]);
    help_argv[0] = argv[2];
    return command->run(cli, 2, help_argv);
}

int
main(int argc, char **argv)
{
    AjarCli cli = { 0 };
    gboolean version = FALSE;
    g_autoptr(GOptionContext) context = NULL;
    g_autoptr(GError) error = NULL;
    const AjarCliCommand *command;
    int status;
    GOptionEntry entries[] = {
        { "version", 0, 0, G_OPTION_ARG_NONE, &version, /* no i18n: option name */
          N_("Show the version and exit"), NULL },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };

    setlocale(LC_ALL, "");
    /* AJAR_LOCALEDIR in the environment: an uninstalled build's
     * translations (the tests'); otherwise the installed ones. */
    ajar_i18n_init(g_getenv("AJAR_LOCALEDIR") ? g_getenv("AJAR_LOCALEDIR") : AJAR_LOCALEDIR);
    textdomain(GETTEXT_PACKAGE);
    g_set_prgname("ajar"); /* no i18n: the program's name */
    /* TRANSLATORS: the placeholders in the usage line ("ajar [OPTION…]
     * COMMAND [ARGUMENT…]"). */
    context = ajar_cli_option_context_new(N_("COMMAND [ARGUMENT…]"));
    g_option_context_set_summary(context, N_("Reads Ajar's journal: the messages Ajar keeps for "
                                             "you, and what became of them."));
    g_option_context_set_description(context, main_description);
    /* Stop at the command: what follows belongs to it. */
    g_option_context_set_strict_posix(context, TRUE);
    g_option_context_add_main_entries(context, entries, NULL);
    ajar_cli_add_shared_options(&cli, context, TRUE);
    if (!g_option_context_parse(context, &argc, &argv, &error) ||
        !take_shared_options(&cli, &error)) {
        status = ajar_cli_usage_error(NULL, "%s", error->message);
        goto out;
    }
    if (version) {
        printf("ajar %s\n", AJAR_VERSION); /* no i18n: name and version */
        status = AJAR_CLI_EXIT_OK;
        goto out;
    }
    if (argc < 2) {
        /* TRANSLATORS: the command names are typed as they are. */
        status = ajar_cli_usage_error(
            NULL, _("a command is missing (list, show, stats, export, verify or compact)"));
        goto out;
    }
    cli.now = g_date_time_new_now_local();
    if (strcmp(argv[1], "help") == 0) {
        status = run_help(&cli, context, argc, argv);
        goto out;
    }
    command = find_command(argv[1]);
    if (command == NULL) {
        status = not_a_command(argv[1]);
        goto out;
    }
    status = command->run(&cli, argc - 1, argv + 1);
out:
    g_free(cli.dir);
    g_free(cli.color_option);
    g_free(cli.command_dir);
    g_free(cli.command_color_option);
    g_clear_pointer(&cli.now, g_date_time_unref);
    return status;
}
