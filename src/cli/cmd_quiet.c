/*
 * waras quiet plan: the team's best quiet week(s) in a range, with the cost
 * of each and the next best alternatives, who is on call, which internal
 * meetings are cancelled and which external ones are left to the people;
 * writes the "Quiet week" events and the CANCEL messages and records the
 * plan. Thin over waras/quiet.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/quiet.h"
#include "waras/store.h"
#include "waras/time.h"

enum { ALTERNATIVES = 3 };

static void help(void)
{
    printf("usage: waras [--db PATH] quiet plan --team T --between YYYY-MM-DD YYYY-MM-DD\n"
           "              [--count N] [--milestones FILE.ics] [--out FILE.ics|FILE.json]\n"
           "              [--time-limit S] [--iterations N] [--seed N] [--no-record]\n\n"
           "Ranks the ISO weeks whose Monday lies in the range (from the Monday of the\n"
           "first date's week) and picks the N best on the rostering engine.\n"
           "  ruled out  a milestone (store events of kind milestone for the team, and\n"
           "             --milestones) in the week or in the week before\n"
           "  cost       %d x meetings with people outside the team\n"
           "           + %d x member-working-days on leave\n"
           "           + %d x member-working-days of public holiday\n"
           "--out FILE.ics writes an all-day \"Quiet week\" event per member (METHOD:PUBLISH)\n"
           "and FILE-cancel.ics, one METHOD:CANCEL message per internal meeting occurrence\n"
           "in the week (same UID, its RECURRENCE-ID, a raised SEQUENCE); --out FILE.json\n"
           "the plan as JSON (the document of the service's POST /api/v1/plans/quiet).\n"
           "The plan is recorded (kind quiet) unless --no-record.\n"
           "The engine searches for --time-limit seconds (default 1); --iterations N\n"
           "bounds its work instead (alone, it is the only limit: no wall-clock cap).\n"
           "Exit status: 0 planned, 4 no week qualifies (the reason is printed), 1 error.\n",
           WARAS_QUIET_COST_EXTERNAL, WARAS_QUIET_COST_LEAVE, WARAS_QUIET_COST_HOLIDAY);
}

static void print_week(const waras_quiet_week *w, const char *lead)
{
    char a[16], b[16];
    waras_date_format(a, sizeof(a), w->monday);
    waras_date_format(b, sizeof(b), waras_date_add(w->monday, 6));
    printf("%s%04d-W%02d (%s..%s)  cost %ld: %d external meeting%s, %d member-day%s on leave, "
           "%d holiday member-day%s; %d internal meeting%s to cancel\n",
           lead, w->iso_year, w->iso_week, a, b, w->cost, w->external_meetings,
           w->external_meetings == 1 ? "" : "s", w->leave_days, w->leave_days == 1 ? "" : "s",
           w->holiday_days, w->holiday_days == 1 ? "" : "s", w->internal_meetings,
           w->internal_meetings == 1 ? "" : "s");
}

static void print_meeting(const waras_quiet_meeting *m)
{
    waras_civil c;
    waras_epoch_to_civil(&c, m->start);
    printf("  %04d-%02d-%02d %02d:%02dZ  %s  (%s; organiser %s)\n", c.year, c.month, c.day,
           c.hour, c.minute, m->summary[0] ? m->summary : "(untitled)", m->people,
           m->organizer[0] ? m->organizer : "unknown");
}

typedef struct quiet_cmd {
    waras_quiet_opts o;
    const char *from, *to;
    waras_quiet_plan plan;
    int made;
} quiet_cmd;

static int option(void *self, int ch, const char *arg, int argc, char **argv)
{
    quiet_cmd *c = self;
    switch (ch) {
    case 'T':
        c->o.team = arg;
        return 0;
    case 'b':
        /* Two dates: the second is the next word, which getopt leaves alone. */
        c->from = arg;
        if (optind >= argc - 1 || argv[optind + 1][0] == '-')
            return cli_usage_error("quiet", "--between takes two dates");
        c->to = argv[1 + optind++];
        return 0;
    case 'c':
        return cli_int_option_int(&c->o.count, "quiet", "--count", arg, 1, 52);
    default: /* 'M' */
        c->o.milestones_path = arg;
        return 0;
    }
}

static int check(void *self)
{
    quiet_cmd *c = self;
    if (!c->o.team || !c->from || !c->to)
        return cli_usage_error("quiet", "--team and --between are required");
    if (waras_date_parse(&c->o.from_day, c->from))
        return cli_usage_error("quiet", "--between takes dates YYYY-MM-DD");
    if (waras_date_parse(&c->o.to_day, c->to))
        return cli_usage_error("quiet", "--between takes dates YYYY-MM-DD");
    if (waras_date_cmp(c->o.to_day, c->o.from_day) < 0)
        return cli_usage_error("quiet", "--between: the second date is before the first");
    return 0;
}

static int make(void *self, waras_store *st)
{
    quiet_cmd *c = self;
    waras_quiet_plan *plan = &c->plan;
    if (waras_quiet_plan_make(plan, st, &c->o))
        return cli_fail();
    c->made = 1;
    int ret = EXIT_OK, excluded = 0;
    for (size_t w = 0; w < plan->nweeks; w++)
        excluded += plan->weeks[w].excluded;
    printf("Quiet week%s for %s: %zu candidate week%s from %04d-W%02d, %d ruled out by "
           "milestones\n",
           c->o.count == 1 ? "" : "s", plan->team, plan->nweeks, plan->nweeks == 1 ? "" : "s",
           plan->weeks[0].iso_year, plan->weeks[0].iso_week, excluded);
    printf("cost = %d x external meetings + %d x member-days on leave + %d x holiday "
           "member-days\n",
           WARAS_QUIET_COST_EXTERNAL, WARAS_QUIET_COST_LEAVE, WARAS_QUIET_COST_HOLIDAY);
    if (!plan->feasible) {
        printf("\nNo quiet week fits:\n  - %s", plan->why);
        ret = EXIT_INFEASIBLE;
    } else {
        printf("\nchosen:\n");
        for (size_t w = 0; w < plan->nweeks; w++) {
            if (!plan->weeks[w].chosen)
                continue;
            print_week(&plan->weeks[w], "  ");
            int any = 0;
            for (size_t i = 0; i < plan->noncall; i++)
                if (plan->oncall[i].week == (int)w) {
                    printf("%s%s (%s)", any ? ", " : "    on call (cover goes on): ",
                           plan->oncall[i].person, plan->oncall[i].role);
                    any = 1;
                }
            printf("%s\n", any ? "" : "    on call: no recorded on-call plan for this week");
        }
    }
    /* The next best: allowed weeks not chosen, cheapest first, earlier on a tie. */
    printf("\nnext best:\n");
    int shown = 0;
    for (int k = 0; k < ALTERNATIVES; k++) {
        long best = -1;
        size_t at = 0;
        for (size_t w = 0; w < plan->nweeks; w++) {
            waras_quiet_week *wk = &plan->weeks[w];
            if (wk->excluded || wk->chosen || wk->iso_week < 0)
                continue;
            if (best < 0 || wk->cost < best) {
                best = wk->cost;
                at = w;
            }
        }
        if (best < 0)
            break;
        print_week(&plan->weeks[at], "  ");
        plan->weeks[at].iso_week = -plan->weeks[at].iso_week; /* shown */
        shown++;
    }
    for (size_t w = 0; w < plan->nweeks; w++)
        if (plan->weeks[w].iso_week < 0)
            plan->weeks[w].iso_week = -plan->weeks[w].iso_week;
    if (!shown)
        printf("  none\n");
    if (excluded) {
        printf("\nruled out:\n");
        for (size_t w = 0; w < plan->nweeks; w++)
            if (plan->weeks[w].excluded)
                printf("  %04d-W%02d: %s\n", plan->weeks[w].iso_year, plan->weeks[w].iso_week,
                       plan->weeks[w].why);
    }
    if (!plan->feasible)
        return ret;
    printf("\nskipped (internal meetings cancelled for the quiet week):\n");
    int n_int = 0, n_ext = 0;
    for (size_t i = 0; i < plan->nmeetings; i++)
        if (plan->weeks[plan->meetings[i].week].chosen && !plan->meetings[i].external) {
            print_meeting(&plan->meetings[i]);
            n_int++;
        }
    if (!n_int)
        printf("  none\n");
    printf("\nexternal meetings, for the people to decide:\n");
    for (size_t i = 0; i < plan->nmeetings; i++)
        if (plan->weeks[plan->meetings[i].week].chosen && plan->meetings[i].external) {
            print_meeting(&plan->meetings[i]);
            n_ext++;
        }
    if (!n_ext)
        printf("  none\n");
    return ret;
}

static int record(void *self, waras_store *st)
{
    quiet_cmd *c = self;
    if (waras_quiet_plan_record(&c->plan, st))
        return cli_fail();
    printf("\nrecorded as plan %lld\n", (long long)c->plan.plan_id);
    return 0;
}

/* FILE.json: the plan as JSON (also when no week fits, with why);
 * FILE.ics with the quiet-week events, FILE-cancel.ics with the CANCELs. */
static int write_out(void *self, const char *out, int feasible)
{
    quiet_cmd *c = self;
    char *text = NULL;
    if (cli_ends_with(out, ".json")) {
        int made = waras_quiet_plan_json(&text, &c->plan);
        return cli_write_made(out, text, made);
    }
    if (!feasible)
        return 0;
    size_t ncancel = 0, len = strlen(out);
    int rc = waras_quiet_plan_ics(&text, &c->plan);
    if ((rc = cli_write_made(out, text, rc)))
        return rc;
    char *cancel_path = malloc(len + 8);
    if (!cancel_path) {
        fprintf(stderr, "waras: out of memory\n");
        return EXIT_USER;
    }
    snprintf(cancel_path, len + 8, "%.*s-cancel.ics", (int)(len - 4), out);
    text = NULL;
    rc = waras_quiet_cancel_ics(&text, &ncancel, &c->plan);
    if (!(rc = cli_write_made(cancel_path, text, rc)))
        printf("wrote %s (%zu quiet-week events) and %s (%zu cancellations)\n", out,
               c->plan.nmembers * (size_t)c->o.count, cancel_path, ncancel);
    free(cancel_path);
    return rc;
}

static void done(void *self)
{
    quiet_cmd *c = self;
    if (c->made)
        waras_quiet_plan_free(&c->plan);
}

int cmd_quiet(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option options[] = {
        {"team", required_argument, NULL, 'T'},
        {"between", required_argument, NULL, 'b'},
        {"count", required_argument, NULL, 'c'},
        {"milestones", required_argument, NULL, 'M'},
        {NULL, 0, NULL, 0},
    };
    static const char *const suffixes[] = {".ics", ".json", NULL};
    static const cli_planner planner = {
        "quiet", help, options, suffixes, "--out must end in .ics or .json",
        option,  check, make,  record,   write_out,                done,
    };
    quiet_cmd c = {.o = {.count = 1, .budget = {.time_limit = 1}}};
    return cli_plan_run(ctx, &planner, &c, &c.o.budget, argc, argv);
}
