/* Placeholder until the init command lands. */
#include <stdio.h>
#include "cli.h"
int cmd_init(cli_ctx *ctx, int argc, char **argv)
{
    fprintf(stderr, "waras init: not available yet\n");
    return EXIT_USER;
}
