/*
 * waras oncall plan: a fair on-call rota for a team that respects rest and
 * leave, planned on the rostering engine, written as iCalendar or JSON, with
 * a fairness table. An impossible rota is explained, never printed half.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/oncall.h"
#include "waras/risk.h"
#include "waras/store.h"
#include "waras/time.h"

static void help(void)
{
    printf("usage: waras [--db PATH] oncall plan --team T --from YYYY-MM-DD --weeks N\n"
           "              [--shape weekly|daily|follow-the-sun] [--roles primary[,secondary]]\n"
           "              [--preset sre|eu-wtd|id-pp35] [--max-share PCT]\n"
           "              [--requests FILE.csv] [--risk-policy FILE.json] [--night-page-hours H]\n"
           "              [--out FILE.ics|FILE.json]\n"
           "              [--time-limit S] [--iterations N] [--seed N] [--no-record]\n\n"
           "Plans who is on call, starting the Monday of --from's week:\n"
           "  weekly          one turn a week, Monday 09:00 to Monday 09:00 (team's zone)\n"
           "  daily           one turn a day, 09:00 to 09:00\n"
           "  follow-the-sun  three 8 h shifts a day (00-08, 08-16, 16-24 UTC), each only\n"
           "                  for people to whom it falls between 07:00 and 22:00 local\n"
           "Nobody on leave is on call, nobody holds two roles at once, no back-to-back\n"
           "turns, nobody on call more than --max-share of the horizon (default 25 %%,\n"
           "the SRE book's limit; --preset eu-wtd or id-pp35 allows 33 %%). Those who\n"
           "carried more on-call time and night pages in the last 12 weeks get lighter\n"
           "turns: a sleep-hour interruption counts like --night-page-hours hours of\n"
           "standby (default 24, or the risk policy's night_page_hours with\n"
           "--risk-policy FILE.json, docs/policy.md; --night-page-hours wins over it).\n"
           "--requests is a CSV person,date,want|avoid[,role].\n"
           "Prints the fairness table; --out writes the rota (.ics: one event per turn\n"
           "with stable UIDs, so a re-plan updates rather than duplicates; .json).\n"
           "A feasible plan is recorded in the store unless --no-record.\n"
           "The engine searches for --time-limit seconds (default 5); --iterations N\n"
           "bounds its work instead (alone, it is the only limit: no wall-clock cap),\n"
           "so that the same --seed gives the same rota on any machine.\n"
           "--policy is the old name of --preset.\n"
           "Exit status: 0 planned, 4 no valid rota (the reasons are printed), 1 error.\n");
}


typedef struct oncall_cmd {
    waras_oncall_opts o;
    const char *from, *roles, *preset, *preset_opt, *risk_policy;
    double share_pct;
    char roles_buf[128];
    waras_oncall_plan plan;
    int made;
} oncall_cmd;

static int option(void *self, int ch, const char *arg, int argc, char **argv)
{
    oncall_cmd *c = self;
    char *end;
    (void)argc;
    (void)argv;
    switch (ch) {
    case 'T':
        c->o.team = arg;
        return 0;
    case 'f':
        c->from = arg;
        return 0;
    case 'w':
        return cli_int_option_int(&c->o.weeks, "oncall", "--weeks", arg, 1, 104);
    case 's':
        if (strcmp(arg, "weekly") == 0)
            c->o.shape = WARAS_ONCALL_WEEKLY;
        else if (strcmp(arg, "daily") == 0)
            c->o.shape = WARAS_ONCALL_DAILY;
        else if (strcmp(arg, "follow-the-sun") == 0)
            c->o.shape = WARAS_ONCALL_FOLLOW_THE_SUN;
        else
            return cli_usage_error("oncall", "--shape is weekly, daily or follow-the-sun");
        return 0;
    case 'r':
        c->roles = arg;
        return 0;
    case 'P':
    case 'O': /* --policy, the old name: the message names the spelling used */
        c->preset = arg;
        c->preset_opt = ch == 'P' ? "--preset" : "--policy";
        return 0;
    case 'm':
        c->share_pct = strtod(arg, &end);
        if (end == arg || *end || !(c->share_pct > 0 && c->share_pct <= 100))
            return cli_usage_error("oncall", "--max-share takes a percentage in (0, 100]");
        return 0;
    case 'n':
        c->o.night_page_hours = strtod(arg, &end);
        if (end == arg || *end || !(c->o.night_page_hours > 0 && c->o.night_page_hours <= 168))
            return cli_usage_error("oncall", "--night-page-hours takes hours in (0, 168]");
        return 0;
    case 'R':
        c->risk_policy = arg;
        return 0;
    default: /* 'q' */
        c->o.requests_path = arg;
        return 0;
    }
}

static int check(void *self)
{
    oncall_cmd *c = self;
    waras_oncall_opts *o = &c->o;
    if (!o->team || !c->from || !o->weeks)
        return cli_usage_error("oncall", "--team, --from and --weeks are required");
    if (cli_date_option(&o->first_day, "oncall", "--from", c->from))
        return EXIT_USAGE;
    if (strcmp(c->preset, "sre") == 0)
        o->max_share = 0.25;
    else if (strcmp(c->preset, "eu-wtd") == 0 || strcmp(c->preset, "id-pp35") == 0)
        o->max_share = 1.0 / 3.0;
    else
        return cli_usage_error("oncall", "%s is sre, eu-wtd or id-pp35", c->preset_opt);
    if (c->share_pct > 0)
        o->max_share = c->share_pct / 100.0;
    waras_strlcpy(c->roles_buf, c->roles, sizeof(c->roles_buf));
    char *save = NULL;
    for (char *r = strtok_r(c->roles_buf, ",", &save); r; r = strtok_r(NULL, ",", &save)) {
        if (o->nroles == 4)
            return cli_usage_error("oncall", "at most 4 roles");
        o->roles[o->nroles++] = r;
    }
    if (!o->nroles)
        return cli_usage_error("oncall", "--roles needs at least one role");
    /* The team's risk policy sets the weight of a recent night page unless
     * --night-page-hours names one for this run. */
    if (c->risk_policy) {
        waras_policy pol;
        waras_policy_default(&pol);
        if (waras_policy_load(&pol, c->risk_policy))
            return cli_fail();
        if (!(o->night_page_hours > 0))
            o->night_page_hours = pol.night_page_hours;
    }
    return 0;
}

static int make(void *self, waras_store *st)
{
    oncall_cmd *c = self;
    const waras_oncall_opts *o = &c->o;
    waras_oncall_plan *plan = &c->plan;
    if (waras_oncall_plan_make(plan, st, o))
        return cli_fail();
    c->made = 1;
    char from[16];
    waras_date_format(from, sizeof(from), o->first_day);
    printf("On-call plan for %s: %s, %d week%s from %s, roles %s, at most %.0f %% "
           "on call each\n",
           o->team,
           o->shape == WARAS_ONCALL_WEEKLY ? "weekly" : o->shape == WARAS_ONCALL_DAILY ? "daily"
                                                                                     : "follow-the-sun",
           o->weeks, o->weeks == 1 ? "" : "s", from, c->roles, 100 * o->max_share);
    if (!plan->feasible) {
        printf("\nNo valid rota exists:\n");
        cli_print_reasons(plan->why);
        return EXIT_INFEASIBLE;
    }
    printf("\n%-12s %6s %8s %7s %8s %14s %16s\n", "person", "turns", "hours", "share",
           "weekends", "last 12 weeks", "expected nights");
    for (size_t i = 0; i < plan->nfair; i++) {
        const waras_oncall_fair *f = &plan->fair[i];
        char hist[32];
        snprintf(hist, sizeof(hist), "%.0f h, %d nt", f->history_hours, f->history_sleep_pages);
        printf("%-12.12s %6d %8.1f %6.1f%% %8d %14s %16.1f\n", f->person, f->turns, f->hours,
               100 * f->share, f->weekend_turns, hist, f->expected_sleep_pages);
    }
    printf("(share: of the plan's hours; nt: sleep-hour interruptions; expected nights: "
           "from the team's own paging rate, %.3f per on-call hour)\n",
           plan->team_sleep_rate);
    for (size_t i = 0; i < plan->nfair; i++)
        if (plan->fair[i].why[0])
            printf("%-12.12s %s\n", plan->fair[i].person, plan->fair[i].why);
    return EXIT_OK;
}

static int record(void *self, waras_store *st)
{
    oncall_cmd *c = self;
    if (waras_oncall_plan_record(&c->plan, st))
        return cli_fail();
    printf("recorded as plan %lld\n", (long long)c->plan.plan_id);
    return 0;
}

static int write_out(void *self, const char *out, int feasible)
{
    oncall_cmd *c = self;
    if (!feasible)
        return 0;
    char *text = NULL;
    int rc = cli_ends_with(out, ".ics") ? waras_oncall_plan_ics(&text, &c->plan)
                                        : waras_oncall_plan_json(&text, &c->plan);
    if (!(rc = cli_write_made(out, text, rc)))
        printf("wrote %s (%zu turns)\n", out, c->plan.nturns);
    return rc;
}

static void done(void *self)
{
    oncall_cmd *c = self;
    if (c->made)
        waras_oncall_plan_free(&c->plan);
}

int cmd_oncall(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option options[] = {
        {"team", required_argument, NULL, 'T'},      {"from", required_argument, NULL, 'f'},
        {"weeks", required_argument, NULL, 'w'},     {"shape", required_argument, NULL, 's'},
        {"roles", required_argument, NULL, 'r'},     {"preset", required_argument, NULL, 'P'},
        {"policy", required_argument, NULL, 'O'},    {"max-share", required_argument, NULL, 'm'},
        {"requests", required_argument, NULL, 'q'},  {"night-page-hours", required_argument, NULL, 'n'},
        {"risk-policy", required_argument, NULL, 'R'},
        {NULL, 0, NULL, 0},
    };
    static const char *const suffixes[] = {".ics", ".json", NULL};
    static const cli_planner planner = {
        "oncall", help, options, suffixes, "--out must end in .ics or .json",
        option,   check, make,  record,   write_out,                         done,
    };
    oncall_cmd c = {
        .o = {.shape = WARAS_ONCALL_WEEKLY, .max_share = 0.25, .budget = {.time_limit = 5}},
        .roles = "primary",
        .preset = "sre",
        .preset_opt = "--preset",
    };
    return cli_plan_run(ctx, &planner, &c, &c.o.budget, argc, argv);
}
