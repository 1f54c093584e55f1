/*
 * Shared plumbing for the waras command-line commands: the context handed to
 * every command, exit codes, and helpers to report library errors. Each
 * command lives in its own cmd_<name>.c and stays thin over libwaras.
 */
#ifndef WARAS_CLI_H
#define WARAS_CLI_H

#include <stdint.h>
#include <stdio.h>

enum { EXIT_OK = 0, EXIT_USER = 1, EXIT_USAGE = 2 };

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

/* Options shared by the planners: --out FILE ('o'), --time-limit S ('l'),
 * --seed N ('S'), --no-record ('n'). time_limit and seed point into the
 * planner's own options. */
typedef struct cli_plan_common {
    const char *out;
    double *time_limit;
    uint64_t *seed;
    int record;
} cli_plan_common;

/* 1 when ch is one of the shared options (stored in c); otherwise
 * EXIT_USAGE with the message printed: a bad value, or an option the
 * command does not know (current is the argument getopt stopped at). */
int cli_plan_option(const char *cmd, int ch, const char *arg, const char *current, cli_plan_common *c);

int cmd_init(cli_ctx *ctx, int argc, char **argv);
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

/* Sub-commands of `waras ingest` that live in their own files; argv[0] is
 * "ingest", argv[1] the source kind. */
int cmd_ingest_git(cli_ctx *ctx, int argc, char **argv);
int cmd_ingest_paging(cli_ctx *ctx, int argc, char **argv); /* pagerduty|opsgenie|oncall */

#endif
