/* Placeholder until the ingest_git command lands. */
#include <stdio.h>
#include "cli.h"
int cmd_ingest_git(cli_ctx *ctx, int argc, char **argv)
{
    fprintf(stderr, "waras: ingest_git is not available yet\n");
    return EXIT_USER;
}
