/*
 * `waras roster solve|score`: thin shell over the roster engine. solve reads
 * a Curtois & Qu instance, searches for the time limit or the work budget
 * and writes the best roster as TSV; score checks a roster TSV against an
 * instance. Both print one JSON line on stdout.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/roster.h"

static const char solve_help[] =
    "usage: waras roster solve INSTANCE (--time-limit SECONDS | --iterations N)\n"
    "                          [--seed N] [--threads N] --out ROSTER.tsv\n\n"
    "Searches for a low-penalty roster for a Curtois & Qu instance and writes the best\n"
    "one found as TSV (ID, then one cell per day: a shift ID or '-').\n"
    "Prints {\"instance\",\"objective\",\"feasible\",\"seconds\"} as one JSON line.\n\n"
    "  --time-limit SECONDS  wall-clock budget; with --iterations only a safety cap\n"
    "  --iterations N        work budget of each search, independent of the\n"
    "                        machine's speed, in units of about one annealing\n"
    "                        move (1..1000000000000); the phases of the search\n"
    "                        run on the share of it used\n"
    "  --seed N              random seed (default 1); one thread and a fixed\n"
    "                        --iterations give the same roster every run\n"
    "  --threads N           independent searches in parallel (default 1)\n"
    "  --out FILE            where to write the roster (required)\n"
    "One of --time-limit and --iterations is required.\n";

static const char score_help[] =
    "usage: waras roster score INSTANCE ROSTER.tsv\n\n"
    "Scores a roster against a Curtois & Qu instance and prints one JSON line with\n"
    "feasible, objective, cover, requests and the violated hard rules.\n";

static const char roster_help[] =
    "usage: waras roster solve INSTANCE (--time-limit SECONDS | --iterations N) [--seed N]\n"
    "                          [--threads N] --out FILE\n"
    "       waras roster score INSTANCE ROSTER.tsv\n\n"
    "Shift-rostering engine. Run 'waras roster solve --help' or 'waras roster score --help'.\n";

/* "dir/Instance1.txt" -> "Instance1" */
static void instance_name(char *buf, size_t size, const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    waras_strlcpy(buf, base, size);
    char *dot = strrchr(buf, '.');
    if (dot && dot != buf)
        *dot = '\0';
}

static int print_json(json_t *obj)
{
    int rc = EXIT_OK;
    char *text = obj ? json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10)) : NULL;
    if (!text) {
        fprintf(stderr, "waras roster: out of memory\n");
        rc = EXIT_USER;
    } else {
        printf("%s\n", text);
    }
    free(text);
    json_decref(obj);
    return rc;
}

static void progress(void *user, double seconds, long objective, int feasible)
{
    (void)user;
    fprintf(stderr, "\rwaras roster: %6.1f s  best %ld%s   ", seconds, objective,
            feasible ? "" : " (not yet feasible)");
    fflush(stderr);
}

static int need_value(int i, int argc, char **argv)
{
    if (i + 1 >= argc)
        return cli_usage_error("roster solve", "%s needs a value", argv[i]);
    return 0;
}

static int cmd_solve(int argc, char **argv)
{
    const char *instance = NULL, *out = NULL;
    waras_roster_solve_opts opts = {0};
    waras_roster_problem *p = NULL;
    waras_roster_result res = {0};
    char *tsv = NULL;
    size_t tsv_len = 0;
    int rc = EXIT_OK, have_limit = 0, have_budget = 0;
    long v;
    double t;
    opts.seed = 1;
    opts.threads = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--time-limit") == 0) {
            if ((rc = need_value(i, argc, argv)))
                goto cleanup;
            if (waras_parse_double(argv[++i], &t) || !(t > 0) || t > 1e7) {
                rc = cli_usage_error("roster solve", "--time-limit wants seconds > 0, got '%s'", argv[i]);
                goto cleanup;
            }
            opts.time_limit = t;
            have_limit = 1;
        } else if (strcmp(a, "--seed") == 0) {
            if ((rc = need_value(i, argc, argv)))
                goto cleanup;
            if (waras_parse_long(argv[++i], &v) || v < 0) {
                rc = cli_usage_error("roster solve", "--seed wants a whole number >= 0, got '%s'", argv[i]);
                goto cleanup;
            }
            opts.seed = (uint64_t)v;
        } else if (strcmp(a, "--threads") == 0) {
            if ((rc = need_value(i, argc, argv)))
                goto cleanup;
            if (waras_parse_long(argv[++i], &v) || v < 1 || v > 256) {
                rc = cli_usage_error("roster solve", "--threads wants 1..256, got '%s'", argv[i]);
                goto cleanup;
            }
            opts.threads = (int)v;
        } else if (strcmp(a, "--iterations") == 0) {
            if ((rc = need_value(i, argc, argv)))
                goto cleanup;
            if (waras_parse_long(argv[++i], &v) || v < 1 || (long long)v > WARAS_ROSTER_MAX_ITERATIONS) {
                rc = cli_usage_error("roster solve", "--iterations wants a whole number in 1..%lld, got '%s'",
                                     WARAS_ROSTER_MAX_ITERATIONS, argv[i]);
                goto cleanup;
            }
            opts.iterations = v;
            have_budget = 1;
        } else if (strcmp(a, "--out") == 0) {
            if ((rc = need_value(i, argc, argv)))
                goto cleanup;
            out = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            rc = cli_usage_error("roster solve", "unknown option '%s'", a);
            goto cleanup;
        } else if (!instance) {
            instance = a;
        } else {
            rc = cli_usage_error("roster solve", "unexpected argument '%s'", a);
            goto cleanup;
        }
    }
    if (!instance || !out || (!have_limit && !have_budget)) {
        rc = cli_usage_error("roster solve", "%s",
                             !instance                     ? "missing INSTANCE"
                             : !have_limit && !have_budget ? "missing --time-limit SECONDS or --iterations N"
                                                           : "missing --out ROSTER.tsv");
        goto cleanup;
    }
    if (waras_roster_load(&p, instance)) {
        rc = cli_fail();
        goto cleanup;
    }
    if (waras_stderr_is_tty())
        opts.progress = progress;
    if (waras_roster_solve(&res, p, &opts)) {
        rc = cli_fail();
        goto cleanup;
    }
    if (opts.progress)
        fprintf(stderr, "\n");
    if (waras_roster_write_tsv(&tsv, &tsv_len, p, res.cells) || waras_file_write(out, tsv, tsv_len)) {
        rc = cli_fail();
        goto cleanup;
    }
    char name[256];
    instance_name(name, sizeof(name), instance);
    double secs = (double)(long long)(res.seconds * 100 + 0.5) / 100.0;
    rc = print_json(json_pack("{s:s, s:I, s:b, s:f}", "instance", name, "objective",
                              (json_int_t)res.objective, "feasible", res.feasible, "seconds", secs));
cleanup:
    free(tsv);
    waras_roster_result_free(&res);
    waras_roster_problem_free(p);
    return rc;
}

static json_t *violation_json(const waras_roster_problem *p, const waras_roster_violation *v)
{
    json_t *o = json_pack("{s:s, s:s}", "rule", v->rule, "employee", waras_roster_employee_id(p, v->employee));
    if (!o)
        return NULL;
    json_object_set_new(o, "day", v->day >= 0 ? json_integer(v->day) : json_null());
    json_object_set_new(o, "shift", v->shift >= 0 ? json_string(waras_roster_shift_id(p, v->shift)) : json_null());
    json_object_set_new(o, "value", json_integer(v->value));
    json_object_set_new(o, "limit", json_integer(v->limit));
    return o;
}

static int cmd_score(int argc, char **argv)
{
    const char *instance = NULL, *roster = NULL;
    waras_roster_problem *p = NULL;
    waras_roster_score sc = {0};
    char *data = NULL;
    size_t len = 0;
    int *cells = NULL, rc = EXIT_OK;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1]) {
            rc = cli_usage_error("roster score", "unknown option '%s'", argv[i]);
            goto cleanup;
        } else if (!instance) {
            instance = argv[i];
        } else if (!roster) {
            roster = argv[i];
        } else {
            rc = cli_usage_error("roster score", "unexpected argument '%s'", argv[i]);
            goto cleanup;
        }
    }
    if (!roster) {
        rc = cli_usage_error("roster score", "%s", !instance ? "missing INSTANCE" : "missing ROSTER.tsv");
        goto cleanup;
    }
    if (waras_roster_load(&p, instance) || waras_file_read(&data, &len, roster) ||
        waras_roster_read_tsv(&cells, p, data, len, roster) || waras_roster_score_compute(&sc, p, cells)) {
        rc = cli_fail();
        goto cleanup;
    }
    char name[256];
    instance_name(name, sizeof(name), instance);
    json_t *viol = json_array();
    for (size_t i = 0; viol && i < sc.nviolations; i++)
        if (json_array_append_new(viol, violation_json(p, &sc.violations[i]))) {
            json_decref(viol);
            viol = NULL;
        }
    json_t *obj = viol ? json_pack("{s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "instance", name,
                                   "feasible", sc.feasible, "objective", (json_int_t)sc.objective, "cover",
                                   (json_int_t)sc.cover, "cover_under", (json_int_t)sc.cover_under,
                                   "cover_over", (json_int_t)sc.cover_over, "requests",
                                   (json_int_t)sc.requests, "fairness", (json_int_t)sc.fairness,
                                   "violations", viol)
                       : NULL;
    rc = print_json(obj);
cleanup:
    waras_roster_score_free(&sc);
    free(cells);
    free(data);
    waras_roster_problem_free(p);
    return rc;
}

int cmd_roster(cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    if (argc < 2) {
        fputs(roster_help, stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "solve") == 0) {
        if (cli_wants_help(argc - 1, argv + 1)) {
            fputs(solve_help, stdout);
            return EXIT_OK;
        }
        return cmd_solve(argc - 1, argv + 1);
    }
    if (strcmp(argv[1], "score") == 0) {
        if (cli_wants_help(argc - 1, argv + 1)) {
            fputs(score_help, stdout);
            return EXIT_OK;
        }
        return cmd_score(argc - 1, argv + 1);
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        fputs(roster_help, stdout);
        return EXIT_OK;
    }
    return cli_usage_error("roster", "unknown subcommand '%s' (solve or score)", argv[1]);
}
