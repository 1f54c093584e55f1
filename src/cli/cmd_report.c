/*
 * waras report: weekly worked hours per person, as an aligned table (the
 * first view a lead reads) or TSV for scripts.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "waras/metrics.h"
#include "waras/store.h"
#include "waras/time.h"

static void help(void)
{
    printf("usage: waras [--db PATH] report [--weeks N] [--to YYYY-MM-DD] [--team T]\n"
           "                                [--person ID] [--format table|tsv]\n\n"
           "Weekly worked hours per person, in each person's own time zone and ISO\n"
           "weeks. The last week shown is the last complete week before --to\n"
           "(default: today). --weeks defaults to 8.\n");
}

int cmd_report(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"weeks", required_argument, NULL, 'w'}, {"to", required_argument, NULL, 't'},
        {"team", required_argument, NULL, 'T'},  {"person", required_argument, NULL, 'p'},
        {"format", required_argument, NULL, 'f'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    long weeks = 8;
    const char *to = NULL, *team = NULL, *person = NULL, *format = "table";
    if (cli_wants_help(argc, argv)) {
        help();
        return EXIT_OK;
    }
    int ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        char *end;
        switch (ch) {
        case 'w':
            weeks = strtol(optarg, &end, 10);
            if (*end || weeks < 1 || weeks > 520)
                return cli_usage_error("report", "--weeks takes a number from 1 to 520");
            break;
        case 't':
            to = optarg;
            break;
        case 'T':
            team = optarg;
            break;
        case 'p':
            person = optarg;
            break;
        case 'f':
            format = optarg;
            break;
        default:
            return cli_usage_error("report", "unknown or incomplete option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("report", "unexpected argument '%s'", argv[optind]);
    if (strcmp(format, "table") && strcmp(format, "tsv"))
        return cli_usage_error("report", "unknown format '%s' (table or tsv)", format);
    int64_t today = (int64_t)time(NULL) / 86400;
    if (to) {
        int y, m, d;
        if (waras_date_parse(to, &y, &m, &d))
            return cli_usage_error("report", "--to takes a date YYYY-MM-DD");
        today = waras_days_from_civil(y, m, d);
    }
    int64_t last_monday = waras_metrics_monday(today) - 7;
    int64_t first_monday = last_monday - 7 * (weeks - 1);

    waras_store *st;
    waras_person *people = NULL;
    size_t npeople = 0;
    int ret = EXIT_OK;
    if (waras_store_open(&st, ctx->db, 0) || waras_store_people_list(st, &people, &npeople)) {
        waras_store_close(st);
        return cli_fail();
    }
    int color = strcmp(format, "table") == 0 && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
    /* Header. */
    if (strcmp(format, "tsv") == 0) {
        printf("person\tteam\tweek\tworked_hours\tmeeting_hours\tafter_hours\tweekend_hours\n");
    } else {
        printf("%-14s %-15s", "person", "team");
        for (int64_t m = first_monday; m <= last_monday; m += 7) {
            int y, mo, d, iy, iw;
            waras_civil_from_days(m, &y, &mo, &d);
            waras_iso_week(y, mo, d, &iy, &iw);
            printf("   W%02d", iw);
        }
        printf("   avg\n");
    }
    size_t shown = 0;
    for (size_t i = 0; i < npeople; i++) {
        waras_person *p = &people[i];
        if ((team && strcmp(team, p->team)) || (person && strcmp(person, p->id)))
            continue;
        waras_week_metrics *wm = NULL;
        size_t n = 0;
        if (waras_metrics_weeks(st, p, NULL, first_monday, last_monday, &wm, &n)) {
            ret = cli_fail();
            break;
        }
        shown++;
        if (strcmp(format, "tsv") == 0) {
            for (size_t k = 0; k < n; k++)
                printf("%s\t%s\t%04d-W%02d\t%.2f\t%.2f\t%.2f\t%.2f\n", p->id, p->team,
                       wm[k].iso_year, wm[k].iso_week, wm[k].worked_hours, wm[k].meeting_hours,
                       wm[k].after_hours, wm[k].weekend_hours);
        } else {
            double sum = 0;
            printf("%-14.14s %-15.15s", p->id, p->team);
            for (size_t k = 0; k < n; k++) {
                double h = wm[k].worked_hours;
                sum += h;
                const char *on = "", *off = "";
                if (color && h >= 55) {
                    on = "\033[1;31m";
                    off = "\033[0m";
                } else if (color && h >= 48) {
                    on = "\033[33m";
                    off = "\033[0m";
                }
                if (wm[k].leave_days >= 4.5 && h < 1)
                    printf(" %s%5s%s", on, "leave", off);
                else
                    printf(" %s%5.1f%s", on, h, off);
            }
            printf(" %5.1f\n", n ? sum / (double)n : 0.0);
        }
        free(wm);
    }
    if (ret == EXIT_OK && strcmp(format, "table") == 0 && !shown)
        printf("(nobody matches)\n");
    free(people);
    waras_store_close(st);
    return ret;
}
