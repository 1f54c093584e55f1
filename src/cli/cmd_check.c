/*
 * waras check --preset P: lint what actually happened against a preset of
 * rules. Exit 0 when nothing is found, 3 when there are violations, so that
 * scripts can tell a finding from an error (1) or a usage mistake (2).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "waras/auth.h"
#include "waras/check.h"
#include "waras/metrics.h"
#include "waras/store.h"
#include "waras/time.h"

enum { EXIT_VIOLATIONS = 3 };

static void help(void)
{
    printf("usage: waras [--db PATH] check --preset sre|eu-wtd|id-pp35|who-55 [--team T]\n"
           "                               [--from YYYY-MM-DD] [--to YYYY-MM-DD | --weeks N]\n"
           "                               [--format table|tsv|json] [--as LOGIN]\n"
           "       waras [--db PATH] check PLAN.json|PLAN.ics|SCHEDULE.json --preset P\n\n"
           "Checks what actually happened against a preset of rules and lists each\n"
           "violation with the person, the dates, the rule and its source:\n"
           "  who-55   any week of 55 h or more\n"
           "  eu-wtd   48 h average over 17 weeks, 11 h daily rest, 24+11 h weekly rest,\n"
           "           night workers 8 h a day on average, 4 weeks of annual leave\n"
           "  id-pp35  Indonesia PP 35/2021: overtime <= 4 h/day and 18 h/week, weekly\n"
           "           rest days, 12 days of annual leave\n"
           "  sre      on call <= 25 %% per quarter, <= 2 incidents per 12 h shift,\n"
           "           rotations of >= 8 people (or >= 6 per site on two sites)\n\n"
           "The range is whole ISO weeks: --from's week to the last complete week\n"
           "before --to (default today); --weeks N (default 13) counts back from --to.\n"
           "With a file, checks a rota before it happens: a waras plan (JSON or\n"
           "iCalendar) or a PagerDuty schedule export, for the on-call share (25 %%\n"
           "sre, a third eu-wtd and id-pp35), back-to-back turns, two turns at once,\n"
           "and (sre) the rotation's size.\n"
           "--policy is the old name of --preset.\n"
           "Without --as the command reads the store as its owner: every violation.\n"
           "--as LOGIN shows what that account of the service sees (GET /api/v1/check,\n"
           "the /check page): its own violations, a lead's teams' people, team-level\n"
           "rules of teams it sees at least as aggregates; an admin none (exit 1).\n"
           "Exit status: 0 no violations, 3 violations found, 1 error, 2 usage error.\n");
}

int cmd_check(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"preset", required_argument, NULL, 'P'}, {"policy", required_argument, NULL, 'O'},
        {"team", required_argument, NULL, 'T'},
        {"from", required_argument, NULL, 'f'},   {"to", required_argument, NULL, 't'},
        {"weeks", required_argument, NULL, 'w'},  {"format", required_argument, NULL, 'F'},
        {"as", required_argument, NULL, 'a'},
        {NULL, 0, NULL, 0},
    };
    const char *policy = NULL, *preset_opt = "--preset", *team = NULL, *from = NULL, *to = NULL, *format = "table", *as = NULL;
    int weeks = 13;
    if (cli_options_begin(argc, argv, help))
        return EXIT_OK;
    int ch;
    while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (ch) {
        case 'P':
        case 'O': /* --policy, the old name of --preset */
            policy = optarg;
            preset_opt = ch == 'P' ? "--preset" : "--policy";
            break;
        case 'T':
            team = optarg;
            break;
        case 'f':
            from = optarg;
            break;
        case 't':
            to = optarg;
            break;
        case 'w':
            if (cli_int_option_int(&weeks, "check", "--weeks", optarg, 1, 520))
                return EXIT_USAGE;
            break;
        case 'F':
            format = optarg;
            break;
        case 'a':
            as = optarg;
            break;
        default:
            return cli_bad_option("check", argv[optind - 1]);
        }
    }
    const char *plan_file = optind < argc ? argv[optind] : NULL;
    if (optind + 1 < argc)
        return cli_usage_error("check", "one plan file at a time ('%s')", argv[optind + 1]);
    if (plan_file && as)
        return cli_usage_error("check", "--as checks what happened, not a plan file");
    if (!policy)
        return cli_usage_error("check", "--preset is required (sre, eu-wtd, id-pp35 or who-55)");
    int known = 0;
    for (int i = 0; waras_check_presets[i]; i++)
        known |= strcmp(policy, waras_check_presets[i]) == 0;
    if (!known)
        return cli_usage_error("check", "%s: unknown preset '%s' (sre, eu-wtd, id-pp35 or who-55)",
                               preset_opt, policy);
    if (strcmp(format, "table") && strcmp(format, "tsv") && strcmp(format, "json"))
        return cli_usage_error("check", "unknown format '%s' (table, tsv or json)", format);
    waras_date today = cli_today(), first_day = {0};
    if (to && cli_date_option(&today, "check", "--to", to))
        return EXIT_USAGE;
    if (from && cli_date_option(&first_day, "check", "--from", from))
        return EXIT_USAGE;
    waras_date last_monday = waras_date_add(waras_date_monday(today), -7);
    waras_date first_monday =
        from ? waras_date_monday(first_day) : waras_date_add(last_monday, -7 * (long)(weeks - 1));
    if (waras_date_cmp(first_monday, last_monday) > 0)
        return cli_usage_error("check", "the range holds no complete week");

    waras_store *st;
    waras_check_result r;
    waras_user user;
    if (waras_store_open(&st, ctx->db, 0))
        return cli_fail();
    /* The same library call as the service's /api/v1/check: the owner
     * (no --as) sees every violation, an account what the rule shows it. */
    if ((as && waras_auth_user_as(&user, st, as)) ||
        (plan_file ? waras_check_plan_file(&r, st, plan_file, policy)
                   : waras_auth_check_run(&r, st, as ? &user : NULL, policy, team, first_monday,
                                          last_monday))) {
        waras_store_close(st);
        return cli_fail();
    }
    waras_auth_check_sort(&r);
    char a[16], b[16];
    waras_date_format(a, sizeof(a), first_monday);
    waras_date_format(b, sizeof(b), waras_date_add(last_monday, 6));
    if (strcmp(format, "json") == 0) {
        char *doc = NULL;
        if (waras_auth_check_json(&doc, &r, policy, first_monday, last_monday)) {
            waras_check_result_free(&r);
            waras_store_close(st);
            return cli_fail();
        }
        printf("%s\n", doc);
        free(doc);
    } else if (strcmp(format, "tsv") == 0) {
        printf("person\tteam\trule\twhen\tdetail\tsource\n");
        for (size_t i = 0; i < r.n; i++)
            printf("%s\t%s\t%s\t%s\t%s\t%s\n", r.v[i].person, r.v[i].team, r.v[i].rule,
                   r.v[i].when, r.v[i].detail, r.v[i].source);
    } else {
        if (plan_file)
            printf("Policy %s, plan %s, %d people: %zu violation%s\n", policy, plan_file,
                   r.people, r.n, r.n == 1 ? "" : "s");
        else
            printf("Policy %s, %s to %s, %d people: %zu violation%s\n", policy, a, b, r.people,
                   r.n, r.n == 1 ? "" : "s");
        const char *last_rule = "";
        for (size_t i = 0; i < r.n; i++) {
            if (strcmp(last_rule, r.v[i].rule) != 0) {
                printf("\n%s  (%s)\n", r.v[i].rule, r.v[i].source);
                last_rule = r.v[i].rule;
            }
            printf("  %-12s %-24s %s\n", r.v[i].person[0] ? r.v[i].person : r.v[i].team,
                   r.v[i].when, r.v[i].detail);
        }
        if (r.notes[0])
            printf("\nnot checked: %s\n", r.notes);
    }
    int ret = r.n ? EXIT_VIOLATIONS : EXIT_OK;
    waras_check_result_free(&r);
    waras_store_close(st);
    return ret;
}
