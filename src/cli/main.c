/*
 * waras: the command-line entry point. Fixes the clock from WARAS_NOW, parses
 * the global options, picks the store, and dispatches to one command.
 * Commands print; the library does not. The shared helpers are in cli.c.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "waras/backup.h"

#ifndef WARAS_VERSION
#define WARAS_VERSION "0.1.0"
#endif

static const struct {
    const char *name;
    cli_cmd_fn fn;
    const char *summary;
} commands[] = {
    {"init", cmd_init, "create or upgrade the store"},
    {"store", cmd_store, "back up, restore and check the store (store backup|restore|check|copy)"},
    {"people", cmd_people, "import and list people (people import FILE.csv)"},
    {"ingest", cmd_ingest, "ingest calendars, timesheets and leave"},
    {"ics", cmd_ics, "iCalendar tools (ics expand FILE --from D --to D)"},
    {"report", cmd_report, "weekly metrics and load risk per person"},
    {"risk", cmd_risk, "who is overloaded, and why"},
    {"check", cmd_check, "check what happened against sre, eu-wtd, id-pp35, who-55"},
    {"activity", cmd_activity, "activity by time window (git, pages, meetings)"},
    {"oncall", cmd_oncall, "plan a fair on-call rota (oncall plan --team T ...)"},
    {"quiet", cmd_quiet, "plan a team quiet week (quiet plan --team T --between D D)"},
    {"recovery", cmd_recovery, "stagger recovery leave after a project (recovery plan ...)"},
    {"roster", cmd_roster, "shift-rostering engine (roster solve|score)"},
    {"demo", cmd_demo, "generate and ingest a realistic demo organisation"},
    {"serve", cmd_serve, "run the web service: sign-in, dashboard and JSON API"},
    {"user", cmd_user, "accounts of the service (user add|list|remove|passwd)"},
    {"token", cmd_token, "API tokens of the service (token create|revoke)"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: waras [--db PATH] COMMAND [ARGS...]\n\n"
               "Keeps the people who run always-on systems from burning out.\n\n"
               "Global options:\n"
               "  --db PATH     store to use (default ./waras.db, or $WARAS_DB): a SQLite\n"
               "                file, or a postgres:// URL (docs/postgresql.md)\n"
               "  -h, --help    show this help\n"
               "  --version     print the version\n\n"
               "Environment:\n"
               "  WARAS_DB      the store, when --db is not given\n"
               "  WARAS_NOW     the current time for every command, as an ISO 8601\n"
               "                date-time (2026-11-30T12:00:00Z; UTC when it has no offset)\n"
               "                or seconds since the epoch; unset: the system clock\n\n"
               "Commands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nRun 'waras COMMAND --help' for the options of a command.\n");
}

/* What the store does on its own (the backup before a schema upgrade). */
static void store_notice(void *ctx, const char *message)
{
    (void)ctx;
    fprintf(stderr, "waras: %s\n", message);
}

int main(int argc, char **argv)
{
    cli_ctx ctx = {0};
    waras_store_set_notice(store_notice, NULL);
    int rc = cli_clock_from_env();
    if (rc)
        return rc;
    ctx.db = getenv("WARAS_DB");
    if (!ctx.db || !*ctx.db)
        ctx.db = "waras.db";
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--db") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "waras: --db needs a path\n");
                return EXIT_USAGE;
            }
            ctx.db = argv[++i];
        } else if (strncmp(argv[i], "--db=", 5) == 0) {
            ctx.db = argv[i] + 5;
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return EXIT_OK;
        } else if (strcmp(argv[i], "--version") == 0) {
            printf("waras %s\n", WARAS_VERSION);
            return EXIT_OK;
        } else if (strcmp(argv[i], "-q") == 0 || strcmp(argv[i], "--quiet") == 0) {
            ctx.quiet = 1;
        } else {
            fprintf(stderr, "waras: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    for (size_t k = 0; k < sizeof(commands) / sizeof(commands[0]); k++)
        if (strcmp(argv[i], commands[k].name) == 0)
            return commands[k].fn(&ctx, argc - i, argv + i);
    fprintf(stderr, "waras: unknown command '%s'\n", argv[i]);
    usage(stderr);
    return EXIT_USAGE;
}
