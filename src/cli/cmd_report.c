/* Placeholder until the report command lands. */
#include <stdio.h>
#include "cli.h"
int cmd_report(cli_ctx *ctx, int argc, char **argv)
{
    fprintf(stderr, "waras report: not available yet\n");
    return EXIT_USER;
}
