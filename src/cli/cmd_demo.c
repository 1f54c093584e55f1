/* Placeholder until the demo command lands. */
#include <stdio.h>
#include "cli.h"
int cmd_demo(cli_ctx *ctx, int argc, char **argv)
{
    fprintf(stderr, "waras demo: not available yet\n");
    return EXIT_USER;
}
