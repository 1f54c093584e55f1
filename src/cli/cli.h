/*
 * Shared plumbing for the waras command-line commands: the context handed to
 * every command, exit codes, and the helpers of cli.c (errors, checked
 * integer options, the store, output files, the clock). Each command lives
 * in its own cmd_<name>.c and stays thin over libwaras.
 */
#ifndef WARAS_CLI_H
#define WARAS_CLI_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "waras/plan.h"
#include "waras/store.h"
#include "waras/time.h"

/* 3 is `check`'s "violations found"; 4 a planner's "no valid plan". */
enum { EXIT_OK = 0, EXIT_USER = 1, EXIT_USAGE = 2, EXIT_INFEASIBLE = 4 };

typedef struct cli_ctx {
    const char *db; /* --db, $WARAS_DB or ./waras.db */
    int quiet;
} cli_ctx;

typedef int (*cli_cmd_fn)(cli_ctx *ctx, int argc, char **argv);

/* Prints "waras: <formatted last library error>" to stderr; returns EXIT_USER. */
int cli_fail(void);
/* Prints "waras <cmd>: message" and a hint to use --help; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* True when argv holds -h or --help before any "--". */
int cli_wants_help(int argc, char **argv);

/* Reads a whole decimal number in [min, max] (strtoll with errno and the end
 * pointer: no blanks, no trailing characters, no overflow). 0 or -1. */
int cli_parse_int(long long *out, const char *s, long long min, long long max);
/* The same for the value of option opt ("--weeks"): 0, or EXIT_USAGE with
 * "waras CMD: --weeks takes a number from MIN to MAX" printed. Every integer
 * option goes through here. */
int cli_int_option(long long *out, const char *cmd, const char *opt, const char *arg,
                   long long min, long long max);

/* Begins reading a command's options: when argv asks for --help, prints
 * help and returns 1; otherwise resets getopt (optind, opterr) for a fresh
 * scan that leaves the messages to the command, and returns 0. */
int cli_options_begin(int argc, char **argv, void (*help)(void));
/* Prints "waras CMD: unknown or incomplete option 'WORD'" (NULL: '') and
 * the --help hint; returns EXIT_USAGE. */
int cli_bad_option(const char *cmd, const char *word);
/* cli_int_option into an int (min and max must fit one). */
int cli_int_option_int(int *out, const char *cmd, const char *opt, const char *arg, int min,
                       int max);
/* Reads the date YYYY-MM-DD of option opt ("--from"): 0, or EXIT_USAGE with
 * "waras CMD: --from takes a date YYYY-MM-DD (years 1900 to 2200)" printed. */
int cli_date_option(waras_date *out, const char *cmd, const char *opt, const char *arg);

/* The UTC date of the library's clock (fixed by $WARAS_NOW). */
waras_date cli_today(void);

/* True when s ends with suffix. */
int cli_ends_with(const char *s, const char *suffix);
/* Opens the store ctx->db; 0, or EXIT_USER with the error printed. */
int cli_store_open(waras_store **st, const cli_ctx *ctx, int flags);
/* Writes text to path; 0, or EXIT_USER with the error printed. */
int cli_write_file(const char *path, const char *text);
/* Writes the text a library call made to path, when that call's result
 * made_rc is 0, and frees the text either way; 0, or EXIT_USER with the
 * error (the call's or the write's) printed. */
int cli_write_made(const char *path, char *text, int made_rc);
/* Fixes the library's clock from $WARAS_NOW (an ISO 8601 date-time, UTC when
 * it names no offset, or seconds since the epoch); 0, or EXIT_USAGE with the
 * error printed when it is malformed. Unset or empty: the system clock. */
int cli_clock_from_env(void);

/* The planner commands (oncall, quiet, recovery plan) run through one
 * driver, plan_driver.c, which owns --help, the "plan" sub-command, the
 * shared options --out FILE, --time-limit S, --seed N, --iterations N and
 * --no-record, the --out suffix check, the store, recording and the exit
 * codes. A command gives its own parts as hooks over its own state (self). */
typedef struct cli_planner {
    const char *name;                /* "oncall": messages read "waras oncall: ..." */
    void (*help)(void);
    const struct option *options;    /* the command's own options, {NULL} at the end;
                                      * their vals must stay below 0x100 */
    const char *const *out_suffixes; /* what --out may end in, NULL at the end */
    const char *out_error;           /* the usage error when it does not */
    /* One of the command's own options: 0 or an exit code (message printed).
     * argc/argv are the command's, for options that take more than one word. */
    int (*option)(void *self, int ch, const char *arg, int argc, char **argv);
    /* After all options are read: required options and values; 0 or an exit code. */
    int (*check)(void *self);
    /* Plans and prints: EXIT_OK, EXIT_INFEASIBLE (the reasons printed), or
     * another exit code with the error printed. */
    int (*make)(void *self, waras_store *st);
    /* Records a feasible plan unless --no-record; 0 or an exit code. */
    int (*record)(void *self, waras_store *st);
    /* Writes --out; feasible tells whether make found a plan. 0 or an exit code. */
    int (*write)(void *self, const char *out, int feasible);
    /* Frees what check and make made; called once whenever check was. */
    void (*done)(void *self);
} cli_planner;

/* Runs a planner command; --time-limit, --seed and --iterations go to
 * budget, the one in the planner's own options. When --iterations is given
 * without --time-limit, the time limit becomes 0: the work budget is then
 * the only limit. */
int cli_plan_run(cli_ctx *ctx, const cli_planner *p, void *self, waras_plan_budget *budget,
                 int argc, char **argv);

/* Prints a library's reasons, one a line, as "  - reason". */
void cli_print_reasons(const char *why);

int cmd_init(cli_ctx *ctx, int argc, char **argv);
int cmd_store(cli_ctx *ctx, int argc, char **argv); /* store backup|restore|check */
int cmd_people(cli_ctx *ctx, int argc, char **argv);
int cmd_ingest(cli_ctx *ctx, int argc, char **argv);
int cmd_ics(cli_ctx *ctx, int argc, char **argv);
int cmd_report(cli_ctx *ctx, int argc, char **argv);
int cmd_risk(cli_ctx *ctx, int argc, char **argv);
int cmd_check(cli_ctx *ctx, int argc, char **argv);
int cmd_oncall(cli_ctx *ctx, int argc, char **argv);
int cmd_quiet(cli_ctx *ctx, int argc, char **argv);
int cmd_recovery(cli_ctx *ctx, int argc, char **argv);
int cmd_demo(cli_ctx *ctx, int argc, char **argv);
int cmd_roster(cli_ctx *ctx, int argc, char **argv);
int cmd_activity(cli_ctx *ctx, int argc, char **argv);
int cmd_serve(cli_ctx *ctx, int argc, char **argv);
int cmd_user(cli_ctx *ctx, int argc, char **argv);
int cmd_token(cli_ctx *ctx, int argc, char **argv);
/* waras store copy --from SRC --to DST (argv[0] is "copy"). */
int cmd_store_copy(int argc, char **argv);

/* Sub-commands of `waras ingest` that live in their own files; argv[0] is
 * "ingest", argv[1] the source kind. */
int cmd_ingest_git(cli_ctx *ctx, int argc, char **argv);
int cmd_ingest_paging(cli_ctx *ctx, int argc, char **argv); /* pagerduty|opsgenie|oncall */

#endif
