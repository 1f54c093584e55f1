/* Placeholder until the ingest_paging command lands. */
#include <stdio.h>
#include "cli.h"
int cmd_ingest_paging(cli_ctx *ctx, int argc, char **argv)
{
    fprintf(stderr, "waras: ingest_paging is not available yet\n");
    return EXIT_USER;
}
