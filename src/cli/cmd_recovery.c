/*
 * waras recovery plan: N consecutive working days of leave for every project
 * member after the project ends, staggered so coverage holds, highest recent
 * risk first; prints the table, names the on-call turns that must be
 * re-planned, explains an impossible request with what would make it hold,
 * writes iCalendar or JSON and records the plan with its leave. Thin over
 * waras/recovery.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/oncall.h"
#include "waras/recovery.h"
#include "waras/store.h"
#include "waras/time.h"


static void help(void)
{
    printf("usage: waras [--db PATH] recovery plan --team T --project NAME --ends YYYY-MM-DD\n"
           "              --days N [--window WEEKS] [--members FILE|--person ID|--all]\n"
           "              [--max-away K|--min-staff K] [--replan-oncall]\n"
           "              [--out FILE.ics|FILE.json]\n"
           "              [--time-limit S] [--iterations N] [--seed N] [--no-record]\n\n"
           "Gives every project member N consecutive working days (Monday to Friday, less\n"
           "shared public holidays) of leave in the window of WEEKS weeks (default 6) from\n"
           "the first Monday after the project ends. At most K of the team are away at\n"
           "once, existing leave counted (--min-staff K: at least K at work; default a\n"
           "third of the team). Leave avoids each member's own leave and recorded on-call\n"
           "turns; turns it cannot avoid are listed to re-plan. The highest load risk of\n"
           "the last 4 weeks goes first. --members names one person id or e-mail a line;\n"
           "--person ID plans for that one member only.\n"
           "A feasible plan is recorded (kind recovery) with its leave as leave events,\n"
           "unless --no-record. --replan-oncall re-plans the turns of the team's newest\n"
           "on-call plan that the leave cannot avoid (every other turn kept, the same\n"
           "fairness targets), records both plans in one transaction and prints the\n"
           "turns that changed hands with their calendar UID and SEQUENCE (--out\n"
           "FILE.ics also writes FILE-oncall.ics with those updates).\n"
           "The engine searches for --time-limit seconds (default 1); --iterations N\n"
           "bounds its work instead (alone, it is the only limit: no wall-clock cap).\n"
           "Exit status: 0 planned, 4 impossible (what would make it feasible is\n"
           "printed), 1 error.\n");
}

/* Reads member ids, one a line (blank lines and # comments skipped). */
static int read_members(const char *path, char **data, const char ***out, size_t *n)
{
    size_t len;
    if (waras_file_read(data, &len, path))
        return -1;
    size_t cap = 1;
    for (size_t i = 0; i < len; i++)
        cap += (*data)[i] == '\n';
    *out = calloc(cap, sizeof(char *));
    if (!*out)
        return -1;
    *n = 0;
    char *p = *data;
    while (p && *p) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        char *e = p + strlen(p);
        while (e > p && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
            *--e = '\0';
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p && *p != '#' && *n < cap)
            (*out)[(*n)++] = p;
        p = nl ? nl + 1 : NULL;
    }
    return 0;
}

typedef struct recovery_cmd {
    waras_recovery_opts o;
    const char *ends, *members, *person;
    int all, replan_oncall;
    waras_oncall_replan replan;
    char *mdata;
    const char **mlist;
    waras_recovery_plan plan;
    int made;
} recovery_cmd;

static int option(void *self, int ch, const char *arg, int argc, char **argv)
{
    recovery_cmd *c = self;
    (void)argc;
    (void)argv;
    switch (ch) {
    case 'T':
        c->o.team = arg;
        return 0;
    case 'p':
        c->o.project = arg;
        return 0;
    case 'e':
        c->ends = arg;
        return 0;
    case 'd':
        return cli_int_option_int(&c->o.days, "recovery", "--days", arg, 1, 60);
    case 'w':
        return cli_int_option_int(&c->o.window_weeks, "recovery", "--window", arg, 1, 52);
    case 'k':
        return cli_int_option_int(&c->o.max_away, "recovery", "--max-away", arg, 1, 512);
    case 's':
        return cli_int_option_int(&c->o.min_staff, "recovery", "--min-staff", arg, 1, 512);
    case 'M':
        c->members = arg;
        return 0;
    case 'i':
        c->person = arg;
        return 0;
    case 'R':
        c->replan_oncall = 1;
        return 0;
    default: /* 'a' */
        c->all = 1;
        return 0;
    }
}

static int check(void *self)
{
    recovery_cmd *c = self;
    waras_recovery_opts *o = &c->o;
    if (!o->team || !o->project || !c->ends || !o->days)
        return cli_usage_error("recovery", "--team, --project, --ends and --days are required");
    if (!!c->members + !!c->person + c->all > 1)
        return cli_usage_error("recovery", "--members, --person and --all exclude each other");
    if (o->max_away && o->min_staff)
        return cli_usage_error("recovery", "--max-away and --min-staff exclude each other");
    return cli_date_option(&o->ends, "recovery", "--ends", c->ends);
}

static int make(void *self, waras_store *st)
{
    recovery_cmd *c = self;
    waras_recovery_plan *plan = &c->plan;
    if (c->members) {
        if (read_members(c->members, &c->mdata, &c->mlist, &c->o.nmembers))
            return cli_fail();
        c->o.members = c->mlist;
    } else if (c->person) {
        c->o.members = &c->person;
        c->o.nmembers = 1;
    }
    if (waras_recovery_plan_make(plan, st, &c->o))
        return cli_fail();
    c->made = 1;
    char a[16], b[16];
    waras_date_format(a, sizeof(a), plan->first_monday);
    waras_date_format(b, sizeof(b),
                      waras_date_add(plan->first_monday, 7L * plan->window_weeks - 1));
    printf("Recovery leave after %s for %s: %d working days each, %zu %s, window %s..%s "
           "(%d week%s), at most %d away at once\n",
           plan->project, plan->team, plan->days, plan->nleave,
           plan->nleave == 1 ? "person" : "people", a, b, plan->window_weeks,
           plan->window_weeks == 1 ? "" : "s", plan->cap);
    if (!plan->feasible) {
        printf("\nThe constraints cannot all hold:\n");
        cli_print_reasons(plan->why);
        if (plan->suggestion[0])
            printf("It would be feasible with %s.\n", plan->suggestion);
        else
            printf("Neither a window of up to 26 more weeks nor more people away at once makes "
                   "it feasible; check the members' existing leave.\n");
        return EXIT_INFEASIBLE;
    }
    printf("\n%4s  %-12s %-10s %6s %8s  %-10s %-10s  %s\n", "rank", "person", "risk", "score",
           "hours", "from", "to", "on-call turns to re-plan");
    int conflicts = 0;
    for (size_t i = 0; i < plan->nleave; i++) {
        const waras_recovery_leave *l = &plan->leave[i];
        waras_date_format(a, sizeof(a), l->first_day);
        waras_date_format(b, sizeof(b), l->last_day);
        printf("%4d  %-12.12s %-10s %6.0f %8.1f  %-10s %-10s  %s\n", l->rank + 1, l->person,
               l->risk_level ? l->risk_level : "low", l->risk_score, l->recent_hours, a, b,
               l->oncall_conflicts[0] ? l->oncall_conflicts : "-");
        conflicts += l->oncall_conflicts[0] != 0;
    }
    if (plan->joint)
        printf("(risk and hours: the 4 weeks before the window; the rank order could not "
               "hold for everyone, so the engine placed all at once, earlier ranks still "
               "weighted earlier)\n");
    else
        printf("(risk and hours: the 4 weeks before the window; rank 1 is served first)\n");
    if (conflicts && c->replan_oncall)
        printf("%d %s would be away during a recorded on-call turn: those turns are "
               "re-planned when the plan is recorded.\n",
               conflicts, conflicts == 1 ? "person" : "people");
    else if (conflicts)
        printf("%d %s would be away during a recorded on-call turn: once this plan is "
               "recorded, re-plan those weeks with 'waras oncall plan', which sees the leave.\n",
               conflicts, conflicts == 1 ? "person" : "people");
    else
        printf("every recorded on-call turn in the window stays with someone not on leave\n");
    return EXIT_OK;
}

/* The re-planned on-call turns: who had them, who has them now, and the
 * calendar event that updates each (same UID, the new plan's SEQUENCE). */
static void print_replan(const recovery_cmd *c)
{
    const waras_oncall_replan *r = &c->replan;
    printf("on-call plan %lld re-planned as plan %lld (every other turn kept, the same "
           "fairness targets): %zu turn%s changed hands\n",
           (long long)r->replaced_plan, (long long)r->plan.plan_id, r->nchanges,
           r->nchanges == 1 ? "" : "s");
    for (size_t i = 0; i < r->nchanges; i++) {
        const waras_oncall_change *ch = &r->changes[i];
        waras_civil a, b;
        waras_epoch_to_civil(&a, ch->start);
        waras_epoch_to_civil(&b, ch->end);
        char uid[256];
        snprintf(uid, sizeof(uid), "oncall-%s-%s-%04d%02d%02d@waras", r->plan.team, ch->shift,
                 a.year, a.month, a.day);
        for (char *p = uid; *p; p++)
            if (*p == '/' || *p == ' ')
                *p = '-';
        printf("  %-10s %04d-%02d-%02d %02d:%02dZ..%04d-%02d-%02d %02d:%02dZ  %s -> %s  "
               "UID %s SEQUENCE %lld\n",
               ch->shift, a.year, a.month, a.day, a.hour, a.minute, b.year, b.month, b.day,
               b.hour, b.minute, ch->before, ch->after, uid, (long long)r->plan.plan_id);
    }
}

static int record(void *self, waras_store *st)
{
    recovery_cmd *c = self;
    if (!c->replan_oncall) {
        if (waras_recovery_plan_record(&c->plan, st))
            return cli_fail();
        printf("recorded as plan %lld, with the leave as leave events\n",
               (long long)c->plan.plan_id);
        return 0;
    }
    if (waras_oncall_replan_recovery(&c->replan, st, &c->plan, &c->o.budget))
        return cli_fail();
    if (c->replan.needed && !c->replan.plan.feasible) {
        printf("\nNo valid re-plan of on-call plan %lld around this leave; nothing recorded:\n",
               (long long)c->replan.replaced_plan);
        cli_print_reasons(c->replan.plan.why);
        return EXIT_INFEASIBLE;
    }
    printf("recorded as plan %lld, with the leave as leave events\n", (long long)c->plan.plan_id);
    if (c->replan.needed)
        print_replan(c);
    else
        printf("no recorded on-call turn falls in the leave: nothing to re-plan\n");
    return 0;
}

/* The plan as iCalendar when there is one; JSON either way (an impossible
 * plan's JSON carries its reasons and the suggestion). */
static int write_out(void *self, const char *out, int feasible)
{
    recovery_cmd *c = self;
    int ics = cli_ends_with(out, ".ics");
    if (!feasible && ics)
        return 0;
    char *text = NULL;
    int rc = ics ? waras_recovery_plan_ics(&text, &c->plan) : waras_recovery_plan_json(&text, &c->plan);
    if (!(rc = cli_write_made(out, text, rc)))
        printf("wrote %s\n", out);
    if (!rc && ics && c->replan.nchanges) {
        /* The on-call calendar updates next to it: FILE-oncall.ics. */
        char path[4096];
        snprintf(path, sizeof(path), "%.*s-oncall.ics", (int)(strlen(out) - 4), out);
        text = NULL;
        rc = waras_oncall_replan_ics(&text, &c->replan);
        if (!(rc = cli_write_made(path, text, rc)))
            printf("wrote %s (%zu on-call update%s)\n", path, c->replan.nchanges,
                   c->replan.nchanges == 1 ? "" : "s");
    }
    return rc;
}

static void done(void *self)
{
    recovery_cmd *c = self;
    if (c->made)
        waras_recovery_plan_free(&c->plan);
    waras_oncall_replan_free(&c->replan);
    free(c->mdata);
    free(c->mlist);
}

int cmd_recovery(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option options[] = {
        {"team", required_argument, NULL, 'T'},      {"project", required_argument, NULL, 'p'},
        {"ends", required_argument, NULL, 'e'},      {"days", required_argument, NULL, 'd'},
        {"window", required_argument, NULL, 'w'},    {"members", required_argument, NULL, 'M'},
        {"all", no_argument, NULL, 'a'},             {"person", required_argument, NULL, 'i'},
        {"replan-oncall", no_argument, NULL, 'R'},             {"max-away", required_argument, NULL, 'k'},
        {"min-staff", required_argument, NULL, 's'}, {NULL, 0, NULL, 0},
    };
    static const char *const suffixes[] = {".ics", ".json", NULL};
    static const cli_planner planner = {
        "recovery", help, options, suffixes, "--out must end in .ics or .json",
        option,     check, make,  record,   write_out,                         done,
    };
    recovery_cmd c = {.o = {.window_weeks = 6, .budget = {.time_limit = 1}}};
    return cli_plan_run(ctx, &planner, &c, &c.o.budget, argc, argv);
}
