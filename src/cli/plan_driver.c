/*
 * The one driver of the planner commands (oncall, quiet and recovery plan):
 * --help, the "plan" sub-command, the option table with the options they
 * share (--out, --time-limit, --seed, --iterations, --no-record), the --out
 * suffix check, the store, recording a feasible plan, writing --out and the
 * exit codes (0 planned, 4 no valid plan, 1 error, 2 usage). Each command
 * keeps only its own options, checks, planning and printing.
 */
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "waras/time.h"

enum { OPT_OUT = 0x100, OPT_TIME_LIMIT, OPT_SEED, OPT_ITERATIONS, OPT_NO_RECORD };

static const struct option shared_options[] = {
    {"out", required_argument, NULL, OPT_OUT},
    {"time-limit", required_argument, NULL, OPT_TIME_LIMIT},
    {"seed", required_argument, NULL, OPT_SEED},
    {"iterations", required_argument, NULL, OPT_ITERATIONS},
    {"no-record", no_argument, NULL, OPT_NO_RECORD},
};

enum { NSHARED = sizeof(shared_options) / sizeof(shared_options[0]), MAX_OPTIONS = 32 };

/* A shared option: 0, or EXIT_USAGE with the message printed. */
static int shared_option(const char *cmd, int ch, const char *arg, waras_plan_budget *b,
                         const char **out, int *record, int *has_limit, int *has_iterations)
{
    char *end;
    long long v;
    switch (ch) {
    case OPT_OUT:
        *out = arg;
        return 0;
    case OPT_TIME_LIMIT:
        b->time_limit = strtod(arg, &end);
        if (end == arg || *end || !(b->time_limit > 0 && b->time_limit <= 3600))
            return cli_usage_error(cmd, "--time-limit takes seconds (0, 3600]");
        *has_limit = 1;
        return 0;
    case OPT_SEED:
        if (cli_int_option(&v, cmd, "--seed", arg, 0, LLONG_MAX))
            return EXIT_USAGE;
        b->seed = (uint64_t)v;
        return 0;
    case OPT_ITERATIONS:
        if (cli_int_option(&v, cmd, "--iterations", arg, 1, LONG_MAX))
            return EXIT_USAGE;
        b->iterations = (long)v;
        *has_iterations = 1;
        return 0;
    default: /* OPT_NO_RECORD */
        *record = 0;
        return 0;
    }
}

int cli_plan_run(cli_ctx *ctx, const cli_planner *p, void *self, waras_plan_budget *b,
                 int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        p->help();
        return EXIT_OK;
    }
    if (argc < 2 || strcmp(argv[1], "plan") != 0)
        return cli_usage_error(p->name, "expected '%s plan'", p->name);

    /* The command's options, then the shared ones, then the terminator. */
    struct option longopts[MAX_OPTIONS];
    size_t n = 0;
    while (p->options[n].name && n + NSHARED + 1 < MAX_OPTIONS) {
        longopts[n] = p->options[n];
        n++;
    }
    for (size_t i = 0; i < NSHARED; i++)
        longopts[n++] = shared_options[i];
    longopts[n] = (struct option){NULL, 0, NULL, 0};

    const char *out = NULL;
    int record = 1, has_limit = 0, has_iterations = 0, ch, rc;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc - 1, argv + 1, "", longopts, NULL)) != -1) {
        if (ch >= OPT_OUT && ch <= OPT_NO_RECORD)
            rc = shared_option(p->name, ch, optarg, b, &out, &record, &has_limit,
                               &has_iterations);
        else if (ch == '?' || ch == ':')
            rc = cli_bad_option(p->name, argv[optind]);
        else
            rc = p->option(self, ch, optarg, argc, argv);
        if (rc)
            return rc;
    }
    if (optind + 1 < argc)
        return cli_usage_error(p->name, "unexpected argument '%s'", argv[optind + 1]);
    /* A work budget alone is the only limit: no wall-clock cap besides it. */
    if (has_iterations && !has_limit)
        b->time_limit = 0;

    waras_store *st = NULL;
    if ((rc = p->check(self)))
        goto done;
    if (out) {
        int ok = 0;
        for (size_t i = 0; p->out_suffixes[i]; i++)
            ok |= cli_ends_with(out, p->out_suffixes[i]);
        if (!ok) {
            rc = cli_usage_error(p->name, "%s", p->out_error);
            goto done;
        }
    }
    if ((rc = cli_store_open(&st, ctx, 0)))
        goto done;
    rc = p->make(self, st);
    if (rc != EXIT_OK && rc != EXIT_INFEASIBLE)
        goto done;
    if (rc == EXIT_OK && record) {
        int r = p->record(self, st);
        if (r) {
            rc = r;
            goto done;
        }
    }
    if (out) {
        int r = p->write(self, out, rc == EXIT_OK);
        if (r)
            rc = r;
    }
done:
    p->done(self);
    waras_store_close(st);
    return rc;
}

void cli_print_reasons(const char *why)
{
    const char *p = why;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        printf("  - %.*s\n", (int)n, p);
        p += n + (nl ? 1 : 0);
    }
}
