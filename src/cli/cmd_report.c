/*
 * waras report and waras risk: the weekly metrics and the load risk per
 * person, as an aligned table (coloured on a terminal), TSV, or the JSON of
 * docs/report-schema.md. Both are thin over the report model in libwaras.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "util/util.h"
#include "waras/auth.h"
#include "waras/error.h"
#include "waras/report.h"
#include "waras/store.h"
#include "waras/time.h"

typedef struct report_args {
    long weeks;
    const char *from, *to, *team, *person, *format, *risk_policy, *out;
    const char *as; /* --as LOGIN: what that account sees over HTTP */
    int self;
    waras_user user; /* the account of --as */
} report_args;

static int parse_args(const char *cmd, int argc, char **argv, report_args *a)
{
    static const struct option longopts[] = {
        {"weeks", required_argument, NULL, 'w'},  {"to", required_argument, NULL, 't'},
        {"team", required_argument, NULL, 'T'},   {"person", required_argument, NULL, 'p'},
        {"format", required_argument, NULL, 'f'}, {"risk-policy", required_argument, NULL, 'P'},
        {"policy", required_argument, NULL, 'P'}, /* the old name of --risk-policy */
        {"out", required_argument, NULL, 'o'},    {"self", no_argument, NULL, 's'},
        {"from", required_argument, NULL, 'F'},   {"as", required_argument, NULL, 'a'},
        {NULL, 0, NULL, 0},
    };
    int ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (ch) {
        case 'w': {
            long long v;
            if (cli_int_option(&v, cmd, "--weeks", optarg, 1, 520))
                return EXIT_USAGE;
            a->weeks = (long)v;
            break;
        }
        case 't':
            a->to = optarg;
            break;
        case 'F':
            a->from = optarg;
            break;
        case 'T':
            a->team = optarg;
            break;
        case 'p':
            a->person = optarg;
            break;
        case 'f':
            a->format = optarg;
            break;
        case 'P':
            a->risk_policy = optarg;
            break;
        case 'o':
            a->out = optarg;
            break;
        case 's':
            a->self = 1;
            break;
        case 'a':
            a->as = optarg;
            break;
        default:
            return cli_usage_error(cmd, "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
    if (a->self && !a->person)
        return cli_usage_error(cmd, "--self is the own view of one person: add --person ID");
    if (a->as && a->self)
        return cli_usage_error(cmd, "--as decides the own view by the access rule: drop --self");
    if (a->as && strcmp(a->format, "json"))
        return cli_usage_error(cmd, "--as renders the service's answer: add --format json");
    if (strcmp(a->format, "table") && strcmp(a->format, "tsv") && strcmp(a->format, "csv") &&
        strcmp(a->format, "json") && strcmp(a->format, "html"))
        return cli_usage_error(cmd, "unknown format '%s' (table, tsv, csv, json or html)",
                               a->format);
    waras_date d;
    if (a->to && waras_date_parse(&d, a->to))
        return cli_usage_error(cmd, "--to takes a date YYYY-MM-DD (years 1900 to 2200)");
    if (a->from && waras_date_parse(&d, a->from))
        return cli_usage_error(cmd, "--from takes a date YYYY-MM-DD (years 1900 to 2200)");
    return 0;
}

static void progress(void *ctx, long done, long total)
{
    (void)ctx;
    fprintf(stderr, "\rcomputing metrics: %ld/%ld people", done, total);
    if (done == total)
        fprintf(stderr, "\r%*s\r", 40, "");
}

static int build(cli_ctx *ctx, report_args *a, waras_store **st, waras_report **r)
{
    waras_policy pol;
    waras_policy_default(&pol);
    if (a->risk_policy && waras_policy_load(&pol, a->risk_policy))
        return cli_fail();
    waras_date today = cli_today();
    if (a->to)
        waras_date_parse(&today, a->to); /* checked by the option reader */
    /* The last complete week before --to. */
    waras_report_opts o = {
        .team = a->team,
        .person = a->person,
        .last_monday = waras_date_add(waras_date_monday(today), -7),
        .policy = &pol,
        .self = a->self,
    };
    o.first_monday = waras_date_add(o.last_monday, -7 * (long)(a->weeks - 1));
    if (a->from) {
        waras_date from;
        waras_date_parse(&from, a->from); /* checked by the option reader */
        o.first_monday = waras_date_monday(from);
        if (waras_date_cmp(o.first_monday, o.last_monday) > 0)
            return cli_usage_error("report", "--from is after the last complete week before --to");
    }
    if (waras_stderr_is_tty() && !ctx->quiet)
        o.progress = progress;
    if (waras_store_open(st, ctx->db, 0))
        return cli_fail();
    /* --as: the question as the access rule lets that account ask it, the
     * same library call as the service's /api/v1/report. */
    if (a->as && (waras_auth_user_as(&a->user, *st, a->as) ||
                  waras_auth_report_question(&o, *st, &a->user)))
        return cli_fail();
    if (waras_report_build(r, *st, &o))
        return cli_fail();
    return 0;
}

static FILE *open_out(const char *path)
{
    if (!path)
        return stdout;
    FILE *f = fopen(path, "w");
    if (!f)
        waras_error_set(WARAS_EIO, path, 0, NULL, "cannot write");
    return f;
}

static const char *level_colour(const char *level)
{
    return strcmp(level, "critical") == 0 ? "\033[1;31m"
           : strcmp(level, "high") == 0   ? "\033[31m"
           : strcmp(level, "moderate") == 0 ? "\033[33m"
                                            : "\033[32m";
}

static void print_hours_table(FILE *f, const waras_report *r, int color)
{
    fprintf(f, "%-12s %-15s", "person", "team");
    size_t first = r->nweeks > 8 ? r->nweeks - 8 : 0;
    for (size_t k = first; k < r->nweeks && r->npeople; k++)
        fprintf(f, "   W%02d", r->people[0].weeks[k].iso_week);
    fprintf(f, "   avg  risk\n");
    for (size_t i = 0; i < r->npeople; i++) {
        const waras_report_person *rp = &r->people[i];
        double sum = 0;
        fprintf(f, "%-12.12s %-15.15s", rp->person.id, rp->person.team);
        for (size_t k = first; k < r->nweeks; k++) {
            const waras_week_metrics *w = &rp->weeks[k];
            sum += w->worked_hours;
            const char *on = "", *off = "";
            if (color && w->worked_hours >= 55) {
                on = "\033[1;31m";
                off = "\033[0m";
            } else if (color && w->worked_hours >= 48) {
                on = "\033[33m";
                off = "\033[0m";
            }
            if (w->leave_days >= 4.5 && w->worked_hours < 1)
                fprintf(f, " %5s", "leave");
            else
                fprintf(f, " %s%5.1f%s", on, w->worked_hours, off);
        }
        const waras_risk *k = &rp->risk[r->nweeks - 1];
        fprintf(f, " %5.1f  %s%s%s\n", sum / (double)(r->nweeks - first),
                color ? level_colour(k->level) : "", k->level, color ? "\033[0m" : "");
    }
    if (!r->npeople)
        fprintf(f, "(nobody matches)\n");
}

/* Survey aggregates, or the statement that they were suppressed. */
static void print_wellbeing(FILE *f, const waras_report *r)
{
    if (!r->ngroups)
        return;
    fprintf(f, "\nWellbeing (Copenhagen Burnout Inventory, round %s, group means; groups "
               "under %d respondents, and groups that would reveal them by subtraction, are "
               "suppressed):\n",
            r->survey_round[0] ? r->survey_round : "none", r->policy.min_group);
    for (size_t g = 0; g < r->ngroups; g++) {
        const waras_report_group *w = &r->groups[g];
        const char *name = w->team[0] ? w->team : "(organisation)";
        if (w->suppressed && w->respondents >= 0)
            fprintf(f, "  %-16s suppressed: %d respondent%s\n", name, w->respondents,
                    w->respondents == 1 ? "" : "s");
        else if (w->suppressed)
            fprintf(f, "  %-16s %s\n", name, w->reason);
        else {
            char sc[3][16];
            for (int s = 0; s < 3; s++) {
                if (w->mean[s] >= 0)
                    snprintf(sc[s], sizeof(sc[s]), "%.1f", w->mean[s]);
                else
                    snprintf(sc[s], sizeof(sc[s]), "-");
            }
            fprintf(f, "  %-16s %d respondents  personal %s  work %s  client %s  "
                       "work >= 50: %.0f %%\n",
                    name, w->respondents, sc[0], sc[1], sc[2], 100.0 * w->high_work_share);
            static const char *const scale[3] = {"personal", "work", "client"};
            for (int s = 0; s < 3; s++)
                if (w->mean[s] < 0)
                    fprintf(f, "  %-16s   %s: %s\n", "", scale[s], w->scale_reason[s]);
        }
    }
}

/* The person's own wellbeing, in their own view only. */
static void print_self(FILE *f, const waras_report *r)
{
    const waras_report_person *rp = &r->people[0];
    size_t k = r->nweeks - 1;
    fprintf(f, "\nYour own view (private to you):\n");
    if (!rp->has_survey || !rp->has_survey[k]) {
        fprintf(f, "  no survey response on record\n");
        return;
    }
    const waras_cbi_scores *s = &rp->survey[k];
    fprintf(f, "  survey of %s: personal %.1f, work-related %.1f", rp->survey_date[k],
            s->scale[0], s->scale[1]);
    if (s->scale[2] >= 0)
        fprintf(f, ", client-related %.1f", s->scale[2]);
    fprintf(f, " (50 or more is high burnout)\n");
    if (s->scale[0] >= 50 || s->scale[1] >= 50)
        fprintf(f, "  your overall level is at least high: worth talking to someone you trust\n");
}

/* A text field: as is in TSV (ids and team names hold no tabs), quoted per
 * RFC 4180 in CSV when it needs to be. */
static void field(FILE *f, const char *v, char sep)
{
    if (sep == ',' && strpbrk(v, ",\"\r\n")) {
        fputc('"', f);
        for (; *v; v++) {
            if (*v == '"')
                fputc('"', f);
            fputc(*v, f);
        }
        fputc('"', f);
    } else {
        fputs(v, f);
    }
    fputc(sep, f);
}

static void print_delimited(FILE *f, const waras_report *r, char sep)
{
    static const char *const cols[] = {
        "person", "team", "week", "worked_hours", "meeting_hours", "after_hours",
        "weekend_hours", "focus_hours", "oncall_hours", "int_business", "int_off", "int_sleep",
        "incidents", "longest_streak_days", "min_daily_rest_hours", "days_since_break",
        "risk_level", "risk_score"};
    for (size_t c = 0; c < sizeof(cols) / sizeof(cols[0]); c++)
        fprintf(f, "%s%c", cols[c], c + 1 < sizeof(cols) / sizeof(cols[0]) ? sep : '\n');
    for (size_t i = 0; i < r->npeople; i++) {
        const waras_report_person *rp = &r->people[i];
        for (size_t k = 0; k < r->nweeks; k++) {
            const waras_week_metrics *w = &rp->weeks[k];
            char label[16];
            waras_report_week_label(label, sizeof(label), w);
            field(f, rp->person.id, sep);
            field(f, rp->person.team, sep);
            field(f, label, sep);
            fprintf(f, "%.2f%c%.2f%c%.2f%c%.2f%c%.2f%c%.2f%c%d%c%d%c%d%c%d%c%d%c%.2f%c",
                    w->worked_hours, sep, w->meeting_hours, sep, w->after_hours, sep,
                    w->weekend_hours, sep, w->focus_hours, sep, w->oncall_hours, sep,
                    w->interruptions[0], sep, w->interruptions[1], sep, w->interruptions[2], sep,
                    w->incidents, sep, w->longest_streak_days, sep, w->min_daily_rest_hours, sep);
            if (w->days_since_break >= 0)
                fprintf(f, "%d", w->days_since_break);
            fprintf(f, "%c%s%c%.1f\n", sep, rp->risk[k].level, sep, rp->risk[k].score);
        }
    }
}

/* Suggestions, from finding to remedy (waras/remedy.h): computed for the
 * views that show them (table, JSON, HTML), printed at the end of the
 * text views. The plans they suggest start next Monday. A printed command
 * names the store only when it is not the one a plain "waras" opens. */
static int suggest(cli_ctx *ctx, const report_args *a, waras_store *st, waras_report *r)
{
    if (strcmp(a->format, "tsv") == 0 || strcmp(a->format, "csv") == 0)
        return 0;
    const char *env = getenv("WARAS_DB");
    const char *plain = env && *env ? env : "waras.db";
    /* The documents (JSON, HTML) travel: their commands name no local path. */
    int text = strcmp(a->format, "table") == 0;
    /* The same library call as the service's answer: the plans start next
     * Monday, and --as sees only the suggestions its account may see. */
    return waras_auth_report_suggest(r, st, a->as ? &a->user : NULL,
                                     text && strcmp(ctx->db, plain) != 0 ? ctx->db : NULL,
                                     text ? a->risk_policy : NULL)
               ? cli_fail()
               : 0;
}

static void print_suggestions(FILE *f, const waras_report *r)
{
    if (!r->nremedies)
        return;
    fprintf(f, "\nSuggestions:\n");
    for (size_t i = 0; i < r->nremedies; i++) {
        const waras_remedy *m = &r->remedies[i];
        fprintf(f, "  %s (%s): %s\n", m->person, m->finding, m->text);
        if (m->command[0])
            fprintf(f, "    %s\n", m->command);
    }
}

static int emit(cli_ctx *ctx, report_args *a, const waras_report *r, int risk_view)
{
    FILE *f = open_out(a->out);
    if (!f)
        return cli_fail();
    int color = !a->out && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
    if (strcmp(a->format, "html") == 0) {
        char title[160];
        snprintf(title, sizeof(title), "Workload and burnout risk%s%s", a->team ? ": " : "",
                 a->team ? a->team : "");
        char *s = waras_report_html(r, title);
        if (!s)
            return cli_fail();
        fputs(s, f);
        free(s);
    } else if (strcmp(a->format, "json") == 0) {
        char *s = NULL;
        if (waras_auth_report_json(&s, r, a->as ? &a->user : NULL))
            return cli_fail();
        fprintf(f, "%s\n", s);
        free(s);
    } else if (strcmp(a->format, "tsv") == 0) {
        print_delimited(f, r, '\t');
    } else if (strcmp(a->format, "csv") == 0) {
        print_delimited(f, r, ',');
    } else if (!risk_view) {
        print_hours_table(f, r, color);
        print_wellbeing(f, r);
        if (r->self)
            print_self(f, r);
        print_suggestions(f, r);
    } else {
        /* Risk summary: strongest first, with reasons. */
        size_t *order = malloc((r->npeople ? r->npeople : 1) * sizeof(*order));
        for (size_t i = 0; order && i < r->npeople; i++)
            order[i] = i;
        for (size_t i = 1; order && i < r->npeople; i++) {
            size_t v = order[i], j = i;
            while (j > 0 && r->people[order[j - 1]].risk[r->nweeks - 1].score <
                                r->people[v].risk[r->nweeks - 1].score) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = v;
        }
        char label[16];
        if (r->npeople)
            waras_report_week_label(label, sizeof(label), &r->people[0].weeks[r->nweeks - 1]);
        fprintf(f, "Load risk at the end of %s (work data only; last %d weeks)\n\n",
                r->npeople ? label : "-", r->policy.window_weeks);
        fprintf(f, "%-12s %-15s %-9s %5s %6s %-7s  %s\n", "person", "team", "level", "score",
                "4w ago", "trend", "strongest reasons");
        for (size_t q = 0; order && q < r->npeople; q++) {
            const waras_report_person *rp = &r->people[order[q]];
            const waras_risk *k = &rp->risk[r->nweeks - 1];
            char before[16] = "-";
            const char *trend = waras_risk_trend(k);
            if (k->has_before)
                snprintf(before, sizeof(before), "%.1f", k->score_before);
            fprintf(f, "%-12.12s %-15.15s %s%-9s%s %5.1f %6s %-7s  %s\n", rp->person.id,
                    rp->person.team, color ? level_colour(k->level) : "", k->level,
                    color ? "\033[0m" : "", k->score, before, trend ? trend : "-",
                    k->nreasons ? k->reasons[0].text : "-");
            for (int x = 1; x < k->nreasons && x < 3 && k->score >= 25; x++)
                fprintf(f, "%-12s %-15s %-9s %5s %6s %-7s  %s\n", "", "", "", "", "", "",
                        k->reasons[x].text);
            if (k->accumulated)
                fprintf(f, "%-12s %-15s %-9s %5s %6s %-7s  (+%.0f: several signals high at "
                        "once)\n", "", "", "", "", "", "", r->policy.accumulate_bonus);
        }
        free(order);
        print_suggestions(f, r);
    }
    if (a->out) {
        if (fclose(f) != 0)
            return cli_fail();
        if (!ctx->quiet)
            fprintf(stderr, "wrote %s\n", a->out);
    }
    return EXIT_OK;
}

static int run(cli_ctx *ctx, int argc, char **argv, int risk_view)
{
    const char *cmd = risk_view ? "risk" : "report";
    if (cli_wants_help(argc, argv)) {
        printf("usage: waras [--db PATH] %s [--weeks N | --from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
               "                          [--team T]\n"
               "                          [--person ID] [--format table|tsv|csv|json|html]\n"
               "                          [--risk-policy FILE.json] [--out FILE] [--self]\n"
               "                          [--as LOGIN --format json]\n\n",
               cmd);
        if (risk_view)
            printf("The load risk of each person at the end of the last complete week\n"
                   "before --to (default today), strongest first, with its reasons in\n"
                   "numbers, and the score four weeks earlier with its trend (rising or\n"
                   "falling at 15 points). Work data only (docs/definitions.md). Ends with\n"
                   "suggestions for the high and critical: each an exact planner command\n"
                   "(fewer on-call turns, a recovery break, the team's quiet week) with\n"
                   "what it found.\n");
        else
            printf("Weekly metrics per person in their own zone and ISO weeks: worked,\n"
                   "meeting, after-hours, weekend, focus and on-call hours, interruptions,\n"
                   "incidents, streaks, rest, days since a break, and the load risk.\n"
                   "The table shows worked hours of the last 8 weeks; tsv and json show\n"
                   "every metric (docs/report-schema.md). --weeks defaults to 8.\n");
        printf("--risk-policy overrides risk signals and thresholds (docs/policy.md);\n"
               "--policy is the old name of --risk-policy.\n"
               "--self with --person is that person's own view: it adds their survey\n"
               "scores, which no other view shows. Team and organisation views show\n"
               "survey results only as means over at least min_group (5) respondents,\n"
               "of one survey round (a calendar quarter), and never when a smaller\n"
               "group could be computed from them (docs/definitions.md \"Privacy\").\n"
               "Without --as the command reads the store as its owner: every person,\n"
               "with group aggregates as the privacy rules allow. --as LOGIN prints\n"
               "what that account of the service gets from GET /api/v1/%s (JSON only):\n"
               "the access rule decides whether it may ask (exit 1 when not), whether\n"
               "it is the person's own view, and hides group wellbeing its role may\n"
               "not see, and suggestions about anyone outside the teams it leads\n"
               "(docs/service.md).\n",
               cmd);
        return EXIT_OK;
    }
    report_args a = {.weeks = risk_view ? 4 : 8, .format = "table"};
    int rc = parse_args(cmd, argc, argv, &a);
    if (rc)
        return rc;
    waras_store *st = NULL;
    waras_report *r = NULL;
    rc = build(ctx, &a, &st, &r);
    if (!rc)
        rc = suggest(ctx, &a, st, r);
    if (!rc)
        rc = emit(ctx, &a, r, risk_view);
    waras_report_free(r);
    waras_store_close(st);
    return rc;
}

int cmd_report(cli_ctx *ctx, int argc, char **argv)
{
    return run(ctx, argc, argv, 0);
}

int cmd_risk(cli_ctx *ctx, int argc, char **argv)
{
    return run(ctx, argc, argv, 1);
}
