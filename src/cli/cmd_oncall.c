/*
 * waras oncall plan: a fair on-call rota for a team that respects rest and
 * leave, planned on the rostering engine, written as iCalendar or JSON, with
 * a fairness table. An impossible rota is explained, never printed half.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/oncall.h"
#include "waras/store.h"
#include "waras/time.h"

static void help(void)
{
    printf("usage: waras [--db PATH] oncall plan --team T --from YYYY-MM-DD --weeks N\n"
           "              [--shape weekly|daily|follow-the-sun] [--roles primary[,secondary]]\n"
           "              [--policy sre|eu-wtd|id-pp35] [--max-share PCT]\n"
           "              [--requests FILE.csv] [--out FILE.ics|FILE.json]\n"
           "              [--time-limit S] [--seed N] [--no-record]\n\n"
           "Plans who is on call, starting the Monday of --from's week:\n"
           "  weekly          one turn a week, Monday 09:00 to Monday 09:00 (team's zone)\n"
           "  daily           one turn a day, 09:00 to 09:00\n"
           "  follow-the-sun  three 8 h shifts a day (00-08, 08-16, 16-24 UTC), each only\n"
           "                  for people to whom it falls between 07:00 and 22:00 local\n"
           "Nobody on leave is on call, nobody holds two roles at once, no back-to-back\n"
           "turns, nobody on call more than --max-share of the horizon (default 25 %%,\n"
           "the SRE book's limit; --policy eu-wtd or id-pp35 allows 33 %%). Those who\n"
           "carried more on-call time and night pages in the last 12 weeks get lighter\n"
           "turns. --requests is a CSV person,date,want|avoid[,role].\n"
           "Prints the fairness table; --out writes the rota (.ics: one event per turn\n"
           "with stable UIDs, so a re-plan updates rather than duplicates; .json).\n"
           "A feasible plan is recorded in the store unless --no-record.\n"
           "Exit status: 0 planned, 4 no valid rota (the reasons are printed), 1 error.\n");
}


static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

int cmd_oncall(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"team", required_argument, NULL, 'T'},     {"from", required_argument, NULL, 'f'},
        {"weeks", required_argument, NULL, 'w'},    {"shape", required_argument, NULL, 's'},
        {"roles", required_argument, NULL, 'r'},    {"policy", required_argument, NULL, 'P'},
        {"max-share", required_argument, NULL, 'm'}, {"requests", required_argument, NULL, 'q'},
        {"out", required_argument, NULL, 'o'},      {"time-limit", required_argument, NULL, 'l'},
        {"seed", required_argument, NULL, 'S'},     {"no-record", no_argument, NULL, 'n'},
        {NULL, 0, NULL, 0},
    };
    if (cli_wants_help(argc, argv)) {
        help();
        return EXIT_OK;
    }
    if (argc < 2 || strcmp(argv[1], "plan") != 0)
        return cli_usage_error("oncall", "expected 'oncall plan'");
    waras_oncall_opts o = {.shape = WARAS_ONCALL_WEEKLY, .max_share = 0.25, .time_limit = 5};
    const char *from = NULL, *out = NULL, *roles = "primary", *policy = "sre";
    double share_pct = 0;
    int record = 1;
    char roles_buf[128];
    int ch;
    cli_plan_common common = {NULL, &o.time_limit, &o.seed, 1};
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc - 1, argv + 1, "", longopts, NULL)) != -1) {
        char *end;
        switch (ch) {
        case 'T':
            o.team = optarg;
            break;
        case 'f':
            from = optarg;
            break;
        case 'w':
            o.weeks = (int)strtol(optarg, &end, 10);
            if (*end || o.weeks < 1 || o.weeks > 104)
                return cli_usage_error("oncall", "--weeks takes a number from 1 to 104");
            break;
        case 's':
            if (strcmp(optarg, "weekly") == 0)
                o.shape = WARAS_ONCALL_WEEKLY;
            else if (strcmp(optarg, "daily") == 0)
                o.shape = WARAS_ONCALL_DAILY;
            else if (strcmp(optarg, "follow-the-sun") == 0)
                o.shape = WARAS_ONCALL_FOLLOW_THE_SUN;
            else
                return cli_usage_error("oncall", "--shape is weekly, daily or follow-the-sun");
            break;
        case 'r':
            roles = optarg;
            break;
        case 'P':
            policy = optarg;
            break;
        case 'm':
            share_pct = strtod(optarg, &end);
            if (*end || share_pct <= 0 || share_pct > 100)
                return cli_usage_error("oncall", "--max-share takes a percentage in (0, 100]");
            break;
        case 'q':
            o.requests_path = optarg;
            break;
        default: {
            int shared = cli_plan_option("oncall", ch, optarg, argv[optind], &common);
            if (shared != 1)
                return shared;
            break;
        }
        }
    }
    out = common.out;
    record = common.record;
    if (optind + 1 < argc)
        return cli_usage_error("oncall", "unexpected argument '%s'", argv[optind + 1]);
    if (!o.team || !from || !o.weeks)
        return cli_usage_error("oncall", "--team, --from and --weeks are required");
    int y, m, d;
    if (waras_date_parse(from, &y, &m, &d))
        return cli_usage_error("oncall", "--from takes a date YYYY-MM-DD");
    o.first_day = waras_days_from_civil(y, m, d);
    if (strcmp(policy, "sre") == 0)
        o.max_share = 0.25;
    else if (strcmp(policy, "eu-wtd") == 0 || strcmp(policy, "id-pp35") == 0)
        o.max_share = 1.0 / 3.0;
    else
        return cli_usage_error("oncall", "--policy is sre, eu-wtd or id-pp35");
    if (share_pct > 0)
        o.max_share = share_pct / 100.0;
    waras_strlcpy(roles_buf, roles, sizeof(roles_buf));
    char *save = NULL;
    for (char *r = strtok_r(roles_buf, ",", &save); r; r = strtok_r(NULL, ",", &save)) {
        if (o.nroles == 4)
            return cli_usage_error("oncall", "at most 4 roles");
        o.roles[o.nroles++] = r;
    }
    if (!o.nroles)
        return cli_usage_error("oncall", "--roles needs at least one role");
    if (out && !ends_with(out, ".ics") && !ends_with(out, ".json"))
        return cli_usage_error("oncall", "--out must end in .ics or .json");

    waras_store *st;
    waras_oncall_plan plan;
    if (waras_store_open(&st, ctx->db, 0))
        return cli_fail();
    int ret = EXIT_OK;
    if (waras_oncall_plan_make(&plan, st, &o)) {
        ret = cli_fail();
        waras_store_close(st);
        return ret;
    }
    printf("On-call plan for %s: %s, %d week%s from %04d-%02d-%02d, roles %s, at most %.0f %% "
           "on call each\n",
           o.team,
           o.shape == WARAS_ONCALL_WEEKLY ? "weekly" : o.shape == WARAS_ONCALL_DAILY ? "daily"
                                                                                   : "follow-the-sun",
           o.weeks, o.weeks == 1 ? "" : "s", y, m, d, roles, 100 * o.max_share);
    if (!plan.feasible) {
        printf("\nNo valid rota exists:\n");
        const char *p = plan.why;
        while (*p) {
            const char *nl = strchr(p, '\n');
            size_t n = nl ? (size_t)(nl - p) : strlen(p);
            printf("  - %.*s\n", (int)n, p);
            p += n + (nl ? 1 : 0);
        }
        ret = EXIT_INFEASIBLE;
        goto cleanup;
    }
    printf("\n%-12s %6s %8s %7s %8s %14s %16s\n", "person", "turns", "hours", "share",
           "weekends", "last 12 weeks", "expected nights");
    for (size_t i = 0; i < plan.nfair; i++) {
        const waras_oncall_fair *f = &plan.fair[i];
        char hist[32];
        snprintf(hist, sizeof(hist), "%.0f h, %d nt", f->history_hours, f->history_sleep_pages);
        printf("%-12.12s %6d %8.1f %6.1f%% %8d %14s %16.1f\n", f->person, f->turns, f->hours,
               100 * f->share, f->weekend_turns, hist, f->expected_sleep_pages);
    }
    printf("(share: of the plan's hours; nt: sleep-hour interruptions; expected nights: "
           "from the team's own paging rate, %.3f per on-call hour)\n",
           plan.team_sleep_rate);
    if (record) {
        if (waras_oncall_plan_record(&plan, st)) {
            ret = cli_fail();
            goto cleanup;
        }
        printf("recorded as plan %lld\n", (long long)plan.plan_id);
    }
    if (out) {
        char *text = NULL;
        int rc = ends_with(out, ".ics") ? waras_oncall_plan_ics(&text, &plan)
                                        : waras_oncall_plan_json(&text, &plan);
        if (rc || waras_file_write(out, text, strlen(text))) {
            free(text);
            ret = cli_fail();
            goto cleanup;
        }
        free(text);
        printf("wrote %s (%zu turns)\n", out, plan.nturns);
    }
cleanup:
    waras_oncall_plan_free(&plan);
    waras_store_close(st);
    return ret;
}
