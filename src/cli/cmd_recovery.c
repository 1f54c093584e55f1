/*
 * waras recovery plan: N consecutive working days of leave for every project
 * member after the project ends, staggered so coverage holds, highest recent
 * risk first; prints the table, names the on-call turns that must be
 * re-planned, explains an impossible request with what would make it hold,
 * writes iCalendar or JSON and records the plan with its leave. Thin over
 * waras/recovery.h.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/recovery.h"
#include "waras/store.h"
#include "waras/time.h"


static void help(void)
{
    printf("usage: waras [--db PATH] recovery plan --team T --project NAME --ends YYYY-MM-DD\n"
           "              --days N [--window WEEKS] [--members FILE|--all]\n"
           "              [--max-away K|--min-staff K] [--out FILE.ics|FILE.json]\n"
           "              [--time-limit S] [--seed N] [--no-record]\n\n"
           "Gives every project member N consecutive working days (Monday to Friday, less\n"
           "shared public holidays) of leave in the window of WEEKS weeks (default 6) from\n"
           "the first Monday after the project ends. At most K of the team are away at\n"
           "once, existing leave counted (--min-staff K: at least K at work; default a\n"
           "third of the team). Leave avoids each member's own leave and recorded on-call\n"
           "turns; turns it cannot avoid are listed to re-plan. The highest load risk of\n"
           "the last 4 weeks goes first. --members names one person id or e-mail a line.\n"
           "A feasible plan is recorded (kind recovery) with its leave as leave events,\n"
           "unless --no-record.\n"
           "Exit status: 0 planned, 4 impossible (what would make it feasible is\n"
           "printed), 1 error.\n");
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void day_label(char *buf, size_t size, int64_t day)
{
    int y, m, d;
    waras_civil_from_days(day, &y, &m, &d);
    snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
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

int cmd_recovery(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"team", required_argument, NULL, 'T'},      {"project", required_argument, NULL, 'p'},
        {"ends", required_argument, NULL, 'e'},      {"days", required_argument, NULL, 'd'},
        {"window", required_argument, NULL, 'w'},    {"members", required_argument, NULL, 'M'},
        {"all", no_argument, NULL, 'a'},             {"max-away", required_argument, NULL, 'k'},
        {"min-staff", required_argument, NULL, 's'}, {"out", required_argument, NULL, 'o'},
        {"time-limit", required_argument, NULL, 'l'}, {"seed", required_argument, NULL, 'S'},
        {"no-record", no_argument, NULL, 'n'},       {NULL, 0, NULL, 0},
    };
    if (cli_wants_help(argc, argv)) {
        help();
        return EXIT_OK;
    }
    if (argc < 2 || strcmp(argv[1], "plan") != 0)
        return cli_usage_error("recovery", "expected 'recovery plan'");
    waras_recovery_opts o = {.window_weeks = 6, .time_limit = 1};
    const char *ends = NULL, *out = NULL, *members = NULL;
    int record = 1, ch, all = 0;
    cli_plan_common common = {NULL, &o.time_limit, &o.seed, 1};
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc - 1, argv + 1, "", longopts, NULL)) != -1) {
        char *end;
        long v;
        switch (ch) {
        case 'T':
            o.team = optarg;
            break;
        case 'p':
            o.project = optarg;
            break;
        case 'e':
            ends = optarg;
            break;
        case 'd':
        case 'w':
        case 'k':
        case 's':
            v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > (ch == 'd' ? 60 : ch == 'w' ? 52 : 512))
                return cli_usage_error("recovery", "--%s takes a number from 1 to %d",
                                       ch == 'd'   ? "days"
                                       : ch == 'w' ? "window"
                                       : ch == 'k' ? "max-away"
                                                   : "min-staff",
                                       ch == 'd' ? 60 : ch == 'w' ? 52 : 512);
            if (ch == 'd')
                o.days = (int)v;
            else if (ch == 'w')
                o.window_weeks = (int)v;
            else if (ch == 'k')
                o.max_away = (int)v;
            else
                o.min_staff = (int)v;
            break;
        case 'M':
            members = optarg;
            break;
        case 'a':
            all = 1;
            break;
        default: {
            int shared = cli_plan_option("recovery", ch, optarg, argv[optind], &common);
            if (shared != 1)
                return shared;
            break;
        }
        }
    }
    out = common.out;
    record = common.record;
    if (optind + 1 < argc)
        return cli_usage_error("recovery", "unexpected argument '%s'", argv[optind + 1]);
    if (!o.team || !o.project || !ends || !o.days)
        return cli_usage_error("recovery", "--team, --project, --ends and --days are required");
    if (members && all)
        return cli_usage_error("recovery", "--members and --all exclude each other");
    if (o.max_away && o.min_staff)
        return cli_usage_error("recovery", "--max-away and --min-staff exclude each other");
    int y, m, d;
    if (waras_date_parse(ends, &y, &m, &d))
        return cli_usage_error("recovery", "--ends takes a date YYYY-MM-DD");
    o.ends = waras_days_from_civil(y, m, d);
    if (out && !ends_with(out, ".ics") && !ends_with(out, ".json"))
        return cli_usage_error("recovery", "--out must end in .ics or .json");

    char *mdata = NULL;
    const char **mlist = NULL;
    if (members) {
        if (read_members(members, &mdata, &mlist, &o.nmembers)) {
            free(mdata);
            free(mlist);
            return cli_fail();
        }
        o.members = mlist;
    }
    waras_store *st = NULL;
    waras_recovery_plan plan;
    int ret = EXIT_OK;
    char *text = NULL;
    if (waras_store_open(&st, ctx->db, 0)) {
        ret = cli_fail();
        goto done;
    }
    if (waras_recovery_plan_make(&plan, st, &o)) {
        ret = cli_fail();
        goto done;
    }
    char a[16], b[16];
    day_label(a, sizeof(a), plan.first_monday);
    day_label(b, sizeof(b), plan.first_monday + 7 * plan.window_weeks - 1);
    printf("Recovery leave after %s for %s: %d working days each, %zu %s, window %s..%s "
           "(%d week%s), at most %d away at once\n",
           plan.project, plan.team, plan.days, plan.nleave, plan.nleave == 1 ? "person" : "people",
           a, b, plan.window_weeks, plan.window_weeks == 1 ? "" : "s", plan.cap);
    if (!plan.feasible) {
        printf("\nThe constraints cannot all hold:\n");
        const char *p = plan.why;
        while (*p) {
            const char *nl = strchr(p, '\n');
            size_t n = nl ? (size_t)(nl - p) : strlen(p);
            printf("  - %.*s\n", (int)n, p);
            p += n + (nl ? 1 : 0);
        }
        if (plan.suggestion[0])
            printf("It would be feasible with %s.\n", plan.suggestion);
        else
            printf("Neither a window of up to 26 more weeks nor more people away at once makes "
                   "it feasible; check the members' existing leave.\n");
        ret = EXIT_INFEASIBLE;
    } else {
        printf("\n%4s  %-12s %-10s %6s %8s  %-10s %-10s  %s\n", "rank", "person", "risk", "score",
               "hours", "from", "to", "on-call turns to re-plan");
        int conflicts = 0;
        for (size_t i = 0; i < plan.nleave; i++) {
            const waras_recovery_leave *l = &plan.leave[i];
            day_label(a, sizeof(a), l->first_day);
            day_label(b, sizeof(b), l->last_day);
            printf("%4d  %-12.12s %-10s %6.0f %8.1f  %-10s %-10s  %s\n", l->rank + 1, l->person,
                   l->risk_level ? l->risk_level : "low", l->risk_score, l->recent_hours, a, b,
                   l->oncall_conflicts[0] ? l->oncall_conflicts : "-");
            conflicts += l->oncall_conflicts[0] != 0;
        }
        if (plan.joint)
            printf("(risk and hours: the 4 weeks before the window; the rank order could not "
                   "hold for everyone, so the engine placed all at once, earlier ranks still "
                   "weighted earlier)\n");
        else
            printf("(risk and hours: the 4 weeks before the window; rank 1 is served first)\n");
        if (conflicts)
            printf("%d %s would be away during a recorded on-call turn: once this plan is "
                   "recorded, re-plan those weeks with 'waras oncall plan', which sees the leave.\n",
                   conflicts, conflicts == 1 ? "person" : "people");
        else
            printf("every recorded on-call turn in the window stays with someone not on leave\n");
        if (record) {
            if (waras_recovery_plan_record(&plan, st)) {
                ret = cli_fail();
                goto cleanup;
            }
            printf("recorded as plan %lld, with the leave as leave events\n",
                   (long long)plan.plan_id);
        }
    }
    if (out && (plan.feasible || ends_with(out, ".json"))) {
        int rc = ends_with(out, ".ics") ? waras_recovery_plan_ics(&text, &plan)
                                        : waras_recovery_plan_json(&text, &plan);
        if (rc || waras_file_write(out, text, strlen(text))) {
            ret = cli_fail();
            goto cleanup;
        }
        printf("wrote %s\n", out);
    }
cleanup:
    waras_recovery_plan_free(&plan);
done:
    free(text);
    free(mdata);
    free(mlist);
    waras_store_close(st);
    return ret;
}
