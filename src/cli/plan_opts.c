/*
 * The options every planner command shares (oncall, quiet, recovery):
 * --out, --time-limit, --seed and --no-record, read and checked in one place.
 */
#include <stdlib.h>

#include "cli.h"

int cli_plan_option(const char *cmd, int ch, const char *arg, const char *current, cli_plan_common *c)
{
    char *end;
    switch (ch) {
    case 'o':
        c->out = arg;
        return 1;
    case 'l':
        *c->time_limit = strtod(arg, &end);
        if (*end || *c->time_limit <= 0 || *c->time_limit > 3600)
            return cli_usage_error(cmd, "--time-limit takes seconds (0, 3600]");
        return 1;
    case 'S':
        *c->seed = strtoull(arg, &end, 10);
        if (*end || !*arg)
            return cli_usage_error(cmd, "--seed takes a number");
        return 1;
    case 'n':
        c->record = 0;
        return 1;
    default:
        return cli_usage_error(cmd, "unknown or incomplete option '%s'", current ? current : "");
    }
}
