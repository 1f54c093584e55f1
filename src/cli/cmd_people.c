/* Placeholder until the people command lands. */
#include <stdio.h>
#include "cli.h"
int cmd_people(cli_ctx *ctx, int argc, char **argv)
{
    fprintf(stderr, "waras people: not available yet\n");
    return EXIT_USER;
}
