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
    { "list", ajar_cli_list },     { "show", ajar_cli_show },     { "stats", ajar_cli_stats },
    { "export", ajar_cli_export }, { "verify", ajar_cli_verify },
};

#define COMMAND_NAMES "list, show, stats, export or verify"

static const char main_description[] =
    "Commands:\n"
    "  list      the messages in Ajar's keeping (--state all: every message)\n"
    "  show ID   one message in full, with its history\n"
    "  stats     per rule: when you last wrote, times you held back, what waits\n"
    "  export    every message as one JSON document or HTML page\n"
    "  verify    check the journal: lines, custody, damage\n"
    "\n"
    "Run 'ajar COMMAND --help' for a command's options. The journal is\n"
    "DIR/ajar/journal.jsonl; it is only read, so this is safe while the\n"
    "messenger runs. Exit status: 0 success, 1 a failed check, 2 bad usage.";

static void
cli_vprint_error(const char *format, va_list args)
{
    g_autofree char *message = g_strdup_vprintf(format, args);

    fprintf(stderr, "ajar: %s\n", message);
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
        fprintf(stderr, "Try 'ajar %s --help'.\n", command);
    else
        fprintf(stderr, "Try 'ajar --help'.\n");
    return AJAR_CLI_EXIT_USAGE;
}

gboolean
ajar_cli_write_stdout(const char *data, gsize len)
{
    if ((len > 0 && fwrite(data, 1, len, stdout) != len) || fflush(stdout) != 0) {
        ajar_cli_error("could not write the output: %s", g_strerror(errno));
        return FALSE;
    }
    return TRUE;
}

void
ajar_cli_add_shared_options(AjarCli *cli, GOptionContext *context, gboolean color)
{
    GOptionEntry entries[] = {
        { "dir", 'd', 0, G_OPTION_ARG_FILENAME, &cli->command_dir,
          "The messenger's user folder (default: ~/.purple); the journal is DIR/ajar/journal.jsonl",
          "DIR" },
        { "color", 0, 0, G_OPTION_ARG_STRING, &cli->command_color_option,
          "Colour the output: auto (default: only on a terminal, never with NO_COLOR set), "
          "always or never",
          "WHEN" },
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
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                    "--color takes auto, always or never, not '%s'", value);
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

gboolean
ajar_cli_parse(AjarCli *cli, GOptionContext *context, const char *command, int *argc, char ***argv)
{
    g_autofree char *prgname = g_strdup_printf("ajar %s", command);
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

/* `ajar help [COMMAND]`: the same as --help. */
static int
run_help(AjarCli *cli, GOptionContext *context, int argc, char **argv)
{
    const AjarCliCommand *command;
    char *help_argv[] = { NULL, "--help", NULL };

    if (argc < 3) {
        g_autofree char *help = g_option_context_get_help(context, TRUE, NULL);
        return ajar_cli_write_stdout(help, strlen(help)) ? AJAR_CLI_EXIT_OK : AJAR_CLI_EXIT_FAILED;
    }
    command = find_command(argv[2]);
    if (command == NULL)
        return ajar_cli_usage_error(NULL, "'%s' is not a command (%s)", argv[2], COMMAND_NAMES);
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
        { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Show the version and exit", NULL },
        { NULL, 0, 0, 0, NULL, NULL, NULL },
    };

    setlocale(LC_ALL, "");
    /* AJAR_LOCALEDIR in the environment: an uninstalled build's
     * translations (the tests'); otherwise the installed ones. */
    ajar_i18n_init(g_getenv("AJAR_LOCALEDIR") ? g_getenv("AJAR_LOCALEDIR") : AJAR_LOCALEDIR);
    textdomain(GETTEXT_PACKAGE);
    g_set_prgname("ajar");
    context = g_option_context_new("COMMAND [ARGUMENT…]");
    g_option_context_set_summary(context,
                                 "Reads Ajar's journal: the messages Ajar keeps for you, and what "
                                 "became of them.");
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
        printf("ajar %s\n", AJAR_VERSION);
        status = AJAR_CLI_EXIT_OK;
        goto out;
    }
    if (argc < 2) {
        status = ajar_cli_usage_error(NULL, "a command is missing (%s)", COMMAND_NAMES);
        goto out;
    }
    cli.now = g_date_time_new_now_local();
    if (strcmp(argv[1], "help") == 0) {
        status = run_help(&cli, context, argc, argv);
        goto out;
    }
    command = find_command(argv[1]);
    if (command == NULL) {
        status = ajar_cli_usage_error(NULL, "'%s' is not a command (%s)", argv[1], COMMAND_NAMES);
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
