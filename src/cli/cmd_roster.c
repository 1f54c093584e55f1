/* Placeholder until the roster command lands. */
#include <stdio.h>
#include "cli.h"
int cmd_roster(cli_ctx *ctx, int argc, char **argv)
{
    fprintf(stderr, "waras roster: not available yet\n");
    return EXIT_USER;
}
