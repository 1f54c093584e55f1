/*
 * waras activity --source git|pages|meetings [--by person|team]
 *                [--format table|tsv|json] [--from D] [--to D] [--hours fixed|own]
 *                [--risk-policy FILE.json]:
 * counts by time window from the library (waras/activity.h). The TSV is the
 * contract of docs/activity.md: no header, one line per person (or team) with at
 * least one event, sorted bytewise by the first column.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "waras/activity.h"
#include "waras/auth.h"
#include "waras/risk.h"
#include "waras/store.h"
#include "waras/time.h"

static void help(void)
{
    printf("usage: waras [--db PATH] activity --source git|pages|meetings\n"
           "           [--by person|team] [--format table|tsv|json]\n"
           "           [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--hours fixed|own]\n"
           "           [--risk-policy FILE.json] [--as LOGIN]\n\n"
           "Counts per person (or team) by time window:\n"
           "  business  Mon-Fri 08:00-18:00\n"
           "  off       Mon-Fri 18:00-22:00, Sat-Sun 08:00-22:00\n"
           "  sleep     every day 22:00-08:00\n"
           "  weekend   Saturday or Sunday (any hour; also counted in its window)\n\n"
           "git       commits, in the author's own UTC offset as recorded in the commit\n"
           "pages     interruptions: push, SMS and phone notifications, those less than\n"
           "          60 s (a policy's merge_window_s) after an interruption's first\n"
           "          notification merged into it; classified by the first notification\n"
           "          in the person's own zone\n"
           "meetings  accepted, timed meetings by their start in the person's zone\n\n"
           "--from/--to keep events whose local date is in [from, to). --hours own puts\n"
           "each person's working days and hours in place of business hours (default:\n"
           "fixed windows). TSV has no header: person, events, business, off, sleep,\n"
           "weekend. --risk-policy reads the merge window from the same policy file as\n"
           "report's (docs/policy.md); --policy is its old name. See docs/activity.md.\n"
           "Without --as the command reads the store as its owner: every row. --as LOGIN\n"
           "shows the rows that account of the service sees (GET /api/v1/activity): its\n"
           "own, a lead's teams' people and teams, by team people-ops' teams of at least\n"
           "min_group people; an admin none (exit 1).\n");
}

static int print_json(const waras_activity_opts *o, const char *from, const char *to,
                      const waras_activity_row *rows, size_t n)
{
    char *text = NULL;
    if (waras_auth_activity_json(&text, o, from, to, rows, n))
        return cli_fail();
    printf("%s\n", text);
    free(text);
    return EXIT_OK;
}

static void print_table(const waras_activity_opts *o, const waras_activity_row *rows, size_t n)
{
    long sum[5] = {0};
    const char *unit = o->source == WARAS_ACTIVITY_GIT     ? "commits"
                       : o->source == WARAS_ACTIVITY_PAGES ? "interruptions"
                                                           : "meetings";
    if (!n) {
        printf("(no %s)\n", unit);
        return;
    }
    printf("%-32s %-16s %13s %9s %9s %9s %9s %7s\n", o->by_team ? "team" : "person",
           o->by_team ? "" : "team", unit, "business", "off", "sleep", "weekend", "night%");
    for (size_t i = 0; i < n; i++) {
        const waras_activity_row *r = &rows[i];
        printf("%-32.32s %-16.16s %13ld %9ld %9ld %9ld %9ld %6.1f%%\n", r->key,
               o->by_team ? "" : r->team, r->events, r->business, r->off, r->sleep, r->weekend,
               r->events ? 100.0 * (double)r->sleep / (double)r->events : 0.0);
        sum[0] += r->events;
        sum[1] += r->business;
        sum[2] += r->off;
        sum[3] += r->sleep;
        sum[4] += r->weekend;
    }
    printf("%-32s %-16s %13ld %9ld %9ld %9ld %9ld %6.1f%%\n", "total", "", sum[0], sum[1], sum[2],
           sum[3], sum[4], sum[0] ? 100.0 * (double)sum[3] / (double)sum[0] : 0.0);
}

int cmd_activity(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"source", required_argument, NULL, 's'}, {"by", required_argument, NULL, 'b'},
        {"format", required_argument, NULL, 'f'}, {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'T'},     {"hours", required_argument, NULL, 'H'},
        {"risk-policy", required_argument, NULL, 'P'},
        {"policy", required_argument, NULL, 'P'}, /* the same file as report's --risk-policy */
        {"help", no_argument, NULL, 'h'},         {"as", required_argument, NULL, 'a'},
        {NULL, 0, NULL, 0},
    };
    waras_activity_opts o = {0};
    const char *source = NULL, *by = "person", *format = "table", *from = NULL, *to = NULL;
    const char *hours = "fixed", *policy = NULL, *as = NULL;
    int ch;
    if (cli_options_begin(argc, argv, help))
        return EXIT_OK;
    while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (ch) {
        case 's':
            source = optarg;
            break;
        case 'b':
            by = optarg;
            break;
        case 'f':
            format = optarg;
            break;
        case 'F':
            from = optarg;
            break;
        case 'T':
            to = optarg;
            break;
        case 'H':
            hours = optarg;
            break;
        case 'P':
            policy = optarg;
            break;
        case 'a':
            as = optarg;
            break;
        default:
            return cli_bad_option("activity", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("activity", "unexpected argument '%s'", argv[optind]);
    if (!source)
        return cli_usage_error("activity", "--source is required (git, pages or meetings)");
    if (strcmp(source, "git") == 0)
        o.source = WARAS_ACTIVITY_GIT;
    else if (strcmp(source, "pages") == 0)
        o.source = WARAS_ACTIVITY_PAGES;
    else if (strcmp(source, "meetings") == 0)
        o.source = WARAS_ACTIVITY_MEETINGS;
    else
        return cli_usage_error("activity", "unknown source '%s' (git, pages or meetings)", source);
    if (strcmp(by, "person") && strcmp(by, "team"))
        return cli_usage_error("activity", "--by takes person or team");
    o.by_team = strcmp(by, "team") == 0;
    if (strcmp(format, "table") && strcmp(format, "tsv") && strcmp(format, "json"))
        return cli_usage_error("activity", "unknown format '%s' (table, tsv or json)", format);
    if (strcmp(hours, "fixed") && strcmp(hours, "own"))
        return cli_usage_error("activity", "--hours takes fixed or own");
    o.own_hours = strcmp(hours, "own") == 0;
    if (from && cli_date_option(&o.from_day, "activity", "--from", from))
        return EXIT_USAGE;
    if (to && cli_date_option(&o.to_day, "activity", "--to", to))
        return EXIT_USAGE;
    o.has_from = from != NULL;
    o.has_to = to != NULL;
    if (from && to && waras_date_cmp(o.to_day, o.from_day) <= 0)
        return cli_usage_error("activity", "--to must be after --from");

    if (policy) { /* the same merge window as report with this policy */
        waras_policy pol;
        waras_policy_default(&pol);
        if (waras_policy_load(&pol, policy))
            return cli_fail();
        o.has_merge_window = 1;
        o.merge_window_s = pol.metrics.merge_window_s;
    }

    waras_store *st = NULL;
    waras_activity_row *rows = NULL;
    size_t n = 0;
    int ret = EXIT_OK;
    waras_user user;
    /* The same library call as the service's /api/v1/activity. */
    if (waras_store_open(&st, ctx->db, 0) || (as && waras_auth_user_as(&user, st, as)) ||
        waras_auth_activity_count(&rows, &n, st, as ? &user : NULL, &o)) {
        ret = cli_fail();
        goto cleanup;
    }
    if (strcmp(format, "tsv") == 0) {
        for (size_t i = 0; i < n; i++)
            printf("%s\t%ld\t%ld\t%ld\t%ld\t%ld\n", rows[i].key, rows[i].events, rows[i].business,
                   rows[i].off, rows[i].sleep, rows[i].weekend);
    } else if (strcmp(format, "json") == 0) {
        ret = print_json(&o, from, to, rows, n);
    } else {
        print_table(&o, rows, n);
    }
cleanup:
    free(rows);
    waras_store_close(st);
    return ret;
}
