/*
 * waras ingest ics|timesheet|leave FILE...: each file is one transaction;
 * the first bad file stops the run with its error, and the files before it
 * stay ingested.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ingest_print.h"
#include "waras/ingest.h"
#include "waras/survey.h"
#include "waras/store.h"
#include "waras/time.h"

static void help(void)
{
    printf("usage: waras [--db PATH] ingest ics FILE.ics... [--person ID]\n"
           "                                 [--kind meeting|leave|milestone]\n"
           "                                 [--from YYYY-MM-DD --to YYYY-MM-DD] [--strict]\n"
           "       waras [--db PATH] ingest timesheet FILE.csv...\n"
           "       waras [--db PATH] ingest leave FILE.csv|FILE.ics... [--person ID]\n"
           "       waras [--db PATH] ingest holidays FILE.ics|FILE.csv... --site S|--team T|--all\n"
           "       waras [--db PATH] ingest survey FILE.csv...\n"
           "       waras [--db PATH] ingest git REPO [--since D] [--create-people] [--all-refs]\n"
           "       waras [--db PATH] ingest pagerduty|opsgenie|oncall FILE...\n"
           "       waras [--db PATH] ingest opsgenie-schedule|grafana-oncall FILE...\n\n"
           "ics        calendar events; attendees and organisers are matched to people\n"
           "           by e-mail, or all events go to --person. Recurring events are\n"
           "           expanded from --from to --to (default: two years back, one ahead).\n"
           "timesheet  person,date,hours or person,date,start,end rows\n"
           "leave      person,start,end[,type] rows, or an iCalendar file\n"
           "holidays   public holidays: date,name rows or all-day events, for the people\n"
           "           of a site (people.csv's site column), a team, or everyone; people\n"
           "           added later need the file ingested again\n"
           "survey     Copenhagen Burnout Inventory responses: team,person,date,q1..q19\n"
           "           (person may be empty: anonymous; see docs/survey.md)\n\n"
           "Each file is all-or-nothing; the same content twice is a no-op.\n"
           "Formats: docs/formats.md.\n");
}

static void print_ics_warning(void *ctx, const char *path, long line, const char *field,
                              const char *message)
{
    (void)ctx;
    fprintf(stderr, "waras: warning: %s", path);
    if (line > 0)
        fprintf(stderr, ":%ld", line);
    fprintf(stderr, ": %s%s%s\n", field, *field ? ": " : "", message);
}

/* One ingest run: the source kind, the calendar options (whose person
 * leave takes too) and whether to print. */
typedef struct ingest_run {
    const char *what;
    const waras_ingest_ics_opts *o;
    int quiet;
    waras_holiday_scope scope; /* holidays only */
} ingest_run;

/* One file of the run, as cli_ingest_files calls it. */
static int ingest_one(void *self, waras_store *st, const char *path)
{
    const ingest_run *run = self;
    waras_ingest_result r;
    int rc;
    if (strcmp(run->what, "holidays") == 0)
        rc = waras_ingest_holidays(&r, st, path, &run->scope);
    else if (strcmp(run->what, "ics") == 0)
        rc = waras_ingest_ics(&r, st, path, run->o);
    else if (strcmp(run->what, "timesheet") == 0)
        rc = waras_ingest_timesheet(&r, st, path);
    else if (strcmp(run->what, "survey") == 0)
        rc = waras_ingest_survey(&r, st, path);
    else
        rc = waras_ingest_leave(&r, st, path, run->o->person);
    if (!rc)
        cli_print_ingest(run->what, path, &r, run->quiet);
    return rc;
}

int cmd_ingest(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"person", required_argument, NULL, 'p'}, {"kind", required_argument, NULL, 'k'},
        {"from", required_argument, NULL, 'f'},   {"to", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},         {"strict", no_argument, NULL, 's'},
        {"site", required_argument, NULL, 'S'},   {"team", required_argument, NULL, 'T'},
        {"all", no_argument, NULL, 'A'},          {NULL, 0, NULL, 0},
    };
    waras_ingest_ics_opts o = {.warn = print_ics_warning};
    const char *from = NULL, *to = NULL;
    waras_holiday_scope scope = {0};
    if (argc >= 2 && (strcmp(argv[1], "git") == 0 || strcmp(argv[1], "pagerduty") == 0 ||
                      strcmp(argv[1], "opsgenie") == 0 || strcmp(argv[1], "oncall") == 0 ||
                      strcmp(argv[1], "opsgenie-schedule") == 0 ||
                      strcmp(argv[1], "grafana-oncall") == 0))
        return strcmp(argv[1], "git") == 0 ? cmd_ingest_git(ctx, argc, argv)
                                           : cmd_ingest_paging(ctx, argc, argv);
    if (cli_options_begin(argc, argv, help))
        return EXIT_OK;
    if (argc < 2)
        return cli_usage_error("ingest", "missing source kind (ics, timesheet, leave, git, "
                                         "pagerduty, opsgenie or oncall)");
    const char *what = argv[1];
    int ch;
    while ((ch = getopt_long(argc - 1, argv + 1, "", longopts, NULL)) != -1) {
        switch (ch) {
        case 'p':
            o.person = optarg;
            break;
        case 'k':
            o.kind = optarg;
            break;
        case 'f':
            from = optarg;
            break;
        case 't':
            to = optarg;
            break;
        case 's':
            o.strict = 1;
            break;
        case 'S':
            scope.site = optarg;
            break;
        case 'T':
            scope.team = optarg;
            break;
        case 'A':
            scope.all = 1;
            break;
        default:
            return cli_bad_option("ingest", argv[optind]);
        }
    }
    if (strcmp(what, "ics") && strcmp(what, "timesheet") && strcmp(what, "leave") &&
        strcmp(what, "survey") && strcmp(what, "holidays"))
        return cli_usage_error("ingest", "unknown source kind '%s' (ics, timesheet, leave, "
                                         "survey, git, pagerduty, opsgenie or oncall)", what);
    if ((from && waras_date_parse(&o.from, from)) || (to && waras_date_parse(&o.to, to)))
        return cli_usage_error("ingest", "--from and --to take dates YYYY-MM-DD");
    if (!from != !to)
        return cli_usage_error("ingest", "--from and --to go together");
    if ((strcmp(what, "holidays") == 0) != (scope.site || scope.team || scope.all) ||
        (scope.site && scope.team) || ((scope.site || scope.team) && scope.all))
        return cli_usage_error("ingest", "holidays take exactly one of --site, --team or --all "
                                         "(and only they do)");
    if (o.kind && strcmp(what, "ics") != 0)
        return cli_usage_error("ingest", "--kind applies to 'ingest ics' only");
    int nfiles = argc - 1 - optind;
    if (nfiles <= 0)
        return cli_usage_error("ingest", "no files given");
    ingest_run run = {what, &o, ctx->quiet, scope};
    return cli_ingest_files(ctx, argv + optind + 1, nfiles, ingest_one, &run);
}
