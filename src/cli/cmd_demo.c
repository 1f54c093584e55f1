/*
 * waras demo: writes a realistic organisation to files, then ingests them
 * through exactly the commands a user would run (people import, ingest ics,
 * ingest timesheet, ingest leave) and prints the weekly hours table.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "waras/demo.h"
#include "waras/metrics.h"
#include "waras/time.h"

static void help(void)
{
    printf("usage: waras [--db PATH] demo [--dir DIR] [--seed N] [--weeks N]\n"
           "                              [--end YYYY-MM-DD]\n\n"
           "Generates a demo AI organisation (3 teams, 26 people, 4 time zones,\n"
           "26 weeks of calendars, timesheets and leave) under DIR (default ./demo),\n"
           "ingests it into the store with the ordinary commands, prints the weekly\n"
           "hours table and the risk summary, and writes DIR/report.html. The sites'\n"
           "public holidays are ingested with 'waras ingest holidays'; DIR/PLANTED.md\n"
           "lists who is overloaded on purpose, and why. --end is\n"
           "the last day of history (default:\n"
           "last Sunday); the same seed and --end give the same files.\n");
}

static int run(cli_ctx *ctx, int argc, char **argv)
{
    printf("$ waras");
    for (int i = 0; i < argc; i++)
        printf(" %s", argv[i]);
    printf("\n");
    fflush(stdout);
    if (strcmp(argv[0], "people") == 0)
        return cmd_people(ctx, argc, argv);
    if (strcmp(argv[0], "ingest") == 0)
        return cmd_ingest(ctx, argc, argv);
    if (strcmp(argv[0], "activity") == 0)
        return cmd_activity(ctx, argc, argv);
    if (strcmp(argv[0], "oncall") == 0)
        return cmd_oncall(ctx, argc, argv);
    if (strcmp(argv[0], "quiet") == 0)
        return cmd_quiet(ctx, argc, argv);
    if (strcmp(argv[0], "recovery") == 0)
        return cmd_recovery(ctx, argc, argv);
    if (strcmp(argv[0], "risk") == 0)
        return cmd_risk(ctx, argc, argv);
    return cmd_report(ctx, argc, argv);
}

int cmd_demo(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"dir", required_argument, NULL, 'd'},  {"seed", required_argument, NULL, 's'},
        {"weeks", required_argument, NULL, 'w'}, {"end", required_argument, NULL, 'e'},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0},
    };
    waras_demo_opts o = {.dir = "demo", .seed = 42, .weeks = 26};
    const char *end = NULL;
    if (cli_options_begin(argc, argv, help))
        return EXIT_OK;
    int ch;
    while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        long long v;
        switch (ch) {
        case 'd':
            o.dir = optarg;
            break;
        case 's':
            if (cli_int_option(&v, "demo", "--seed", optarg, 0, LLONG_MAX))
                return EXIT_USAGE;
            o.seed = (uint64_t)v;
            break;
        case 'w':
            if (cli_int_option_int(&o.weeks, "demo", "--weeks", optarg, 4, 104))
                return EXIT_USAGE;
            break;
        case 'e':
            end = optarg;
            break;
        default:
            return cli_bad_option("demo", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("demo", "unexpected argument '%s'", argv[optind]);
    waras_date today = cli_today();
    if (end) {
        if (cli_date_option(&today, "demo", "--end", end))
            return EXIT_USAGE;
        today = waras_date_add(today, 1);
    }
    /* History ends on the Sunday before `today`. */
    o.last_sunday = waras_date_add(waras_date_monday(today), -1);
    if (end) {
        waras_date d = waras_date_add(today, -1);
        o.last_sunday = waras_date_weekday(d) == 7 ? d : waras_date_add(waras_date_monday(d), -1);
    }

    waras_demo_summary s;
    if (waras_demo_generate(&s, &o))
        return cli_fail();
    printf("Generated %d people in %d teams across %d time zones: %d calendars, "
           "%d timesheet rows, %d leave entries, %ld commits, %d incidents with %d "
           "notifications, %d on-call shifts, in %s/\n\n",
           s.people, s.teams, s.zones, s.calendars, s.timesheet_rows, s.leave_rows, s.commits,
           s.incidents, s.notifications, s.shifts, o.dir);
    /* What the risk below should find, and nothing else. */
    FILE *pf = fopen(s.planted_md, "r");
    char pl[1024];
    while (pf && fgets(pl, sizeof(pl), pf))
        if (pl[0] == '|')
            fputs(pl, stdout);
    if (pf)
        fclose(pf);
    printf("(the planted overloads, %s)\n\n", s.planted_md);

    int rc;
    char *people_argv[] = {"people", "import", s.people_csv};
    if ((rc = run(ctx, 3, people_argv)))
        return rc;

    /* Each person's own calendar export, ingested for that person. */
    char from[16], to[16];
    waras_date_format(from, sizeof(from), waras_date_add(o.last_sunday, -7L * o.weeks + 1));
    waras_date_format(to, sizeof(to), waras_date_add(o.last_sunday, 92));
    FILE *pc = fopen(s.people_csv, "r");
    char line[1024];
    int quiet = ctx->quiet, ncal = 0;
    printf("$ waras ingest ics %s/<person>.ics --person <person> --from %s --to %s  (x%d)\n",
           s.calendars_dir, from, to, s.calendars);
    ctx->quiet = 1;
    while (pc && fgets(line, sizeof(line), pc)) {
        char *comma = strchr(line, ',');
        if (!comma || strncmp(line, "id,", 3) == 0)
            continue;
        *comma = '\0';
        char path[8192];
        snprintf(path, sizeof(path), "%s/%s.ics", s.calendars_dir, line);
        char *ics_argv[] = {"ingest", "ics", path, "--person", line, "--from", from, "--to", to};
        if ((rc = cmd_ingest(ctx, 9, ics_argv))) {
            fclose(pc);
            ctx->quiet = quiet;
            return rc;
        }
        ncal++;
    }
    if (pc)
        fclose(pc);
    ctx->quiet = quiet;
    printf("%d calendars ingested\n", ncal);

    char *ts_argv[] = {"ingest", "timesheet", s.timesheet_csv};
    if ((rc = run(ctx, 3, ts_argv)))
        return rc;
    char *leave_argv[] = {"ingest", "leave", s.leave_csv, s.leave_ics};
    if ((rc = run(ctx, 4, leave_argv)))
        return rc;
    for (int k = 0; k < s.nholidays; k++) {
        char *hol_argv[] = {"ingest", "holidays", s.holidays_ics[k], "--site", s.holidays_site[k]};
        if ((rc = run(ctx, 5, hol_argv)))
            return rc;
    }
    char *git_argv[] = {"ingest", "git", s.repo};
    if ((rc = run(ctx, 3, git_argv)))
        return rc;
    char *pd_argv[6] = {"ingest", "pagerduty", s.pd_log_entries, s.pd_incidents};
    int npd = 4;
    for (int k = 0; k < s.npd_schedules && npd < 6; k++)
        pd_argv[npd++] = s.pd_schedules[k];
    if ((rc = run(ctx, npd, pd_argv)))
        return rc;
    char *oc_argv[] = {"ingest", "oncall", s.oncall_ics};
    if ((rc = run(ctx, 3, oc_argv)))
        return rc;
    char *ms_argv[] = {"ingest", "ics", s.milestones_ics, "--kind", "milestone", "--from", from,
                       "--to", to};
    if ((rc = run(ctx, 9, ms_argv)))
        return rc;

    char end_arg[16];
    waras_date_format(end_arg, sizeof(end_arg), waras_date_add(o.last_sunday, 1));
    printf("\nWeekly worked hours (last 8 weeks, each person's local time):\n");
    char *report_argv[] = {"report", "--weeks", "8", "--to", end_arg};
    if ((rc = run(ctx, 5, report_argv)))
        return rc;
    printf("\n");
    char *risk_argv[] = {"risk", "--to", end_arg};
    if ((rc = run(ctx, 3, risk_argv)))
        return rc;
    printf("\nInterruptions by window over the 26 weeks:\n");
    char *act_argv[] = {"activity", "--source", "pages", "--by", "team", "--format", "table"};
    if ((rc = run(ctx, 7, act_argv)))
        return rc;
    char html[8192];
    snprintf(html, sizeof(html), "%s/report.html", o.dir);
    printf("\n");
    char *html_argv[] = {"report", "--weeks", "12", "--to", end_arg, "--format", "html",
                         "--out", html};
    if ((rc = run(ctx, 9, html_argv)))
        return rc;
    /* Recovery leave after the launch that just ended, before the rotas, so
     * that next quarter's on-call plan sees it. */
    char launch[16], rec_out[8192];
    waras_date_format(launch, sizeof(launch), s.launch_day);
    snprintf(rec_out, sizeof(rec_out), "%s/recovery-inference.ics", o.dir);
    printf("\n");
    char *rec_argv[] = {"recovery", "plan", "--team", "inference", "--project", "Inference v2",
                        "--ends", launch, "--days", "5", "--window", "6", "--all", "--max-away",
                        "2", "--out", rec_out, "--time-limit", "2"};
    if ((rc = run(ctx, 19, rec_argv)) && rc != 4)
        return rc;
    /* Next quarter's rota for each team. */
    static const char *const demo_teams[] = {"training-infra", "inference", "research"};
    for (int t = 0; t < 3; t++) {
        char team[64], rota[8192];
        snprintf(team, sizeof(team), "%s", demo_teams[t]);
        snprintf(rota, sizeof(rota), "%s/oncall-%s.ics", o.dir, demo_teams[t]);
        printf("\n");
        char *plan_argv[] = {"oncall", "plan", "--team", team, "--from", end_arg, "--weeks", "13",
                             "--roles", t == 0 ? "primary,secondary" : "primary",
                             "--preset", t == 0 ? "eu-wtd" : "sre", "--time-limit", "2",
                             "--out", rota};
        if ((rc = run(ctx, 16, plan_argv)) && rc != 4)
            return rc;
    }
    /* A quiet week for each team this quarter, clear of its milestones. */
    char horizon[16];
    waras_date_format(horizon, sizeof(horizon), waras_date_add(o.last_sunday, 1 + 7 * 13));
    for (int t = 0; t < 3; t++) {
        char team[64], quiet[8192];
        snprintf(team, sizeof(team), "%s", demo_teams[t]);
        snprintf(quiet, sizeof(quiet), "%s/quiet-%s.ics", o.dir, demo_teams[t]);
        printf("\n");
        char *quiet_argv[] = {"quiet", "plan", "--team", team, "--between", end_arg, horizon,
                              "--out", quiet, "--time-limit", "1"};
        if ((rc = run(ctx, 11, quiet_argv)) && rc != 4)
            return rc;
    }
    return EXIT_OK;
}
