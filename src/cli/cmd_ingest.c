/* Placeholder until the ingest command lands. */
#include <stdio.h>
#include "cli.h"
int cmd_ingest(cli_ctx *ctx, int argc, char **argv)
{
    fprintf(stderr, "waras ingest: not available yet\n");
    return EXIT_USER;
}
