/* Placeholder until the ics command lands. */
#include <stdio.h>
#include "cli.h"
int cmd_ics(cli_ctx *ctx, int argc, char **argv)
{
    fprintf(stderr, "waras ics: not available yet\n");
    return EXIT_USER;
}
