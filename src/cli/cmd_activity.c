/* Placeholder until the activity command lands. */
#include <stdio.h>
#include "cli.h"
int cmd_activity(cli_ctx *ctx, int argc, char **argv)
{
    fprintf(stderr, "waras: activity is not available yet\n");
    return EXIT_USER;
}
