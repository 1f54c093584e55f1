/*
 * waras init: create the store (or bring an old one up to the current schema).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "waras/store.h"

int cmd_init(cli_ctx *ctx, int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        printf("usage: waras [--db PATH|URL] init\n\n"
               "Creates the store at PATH (default ./waras.db), or upgrades its schema.\n"
               "A postgres:// or postgresql:// URL names a PostgreSQL database instead: it\n"
               "must exist, and init creates the tables in it (docs/postgresql.md).\n"
               "Running it again is harmless.\n");
        return EXIT_OK;
    }
    if (argc > 1)
        return cli_usage_error("init", "unexpected argument '%s'", argv[1]);
    waras_store *st;
    if (waras_store_open(&st, ctx->db, WARAS_STORE_CREATE))
        return cli_fail();
    printf("store %s ready (schema version %d)\n", waras_store_where(st),
           waras_store_schema_version(st));
    waras_store_close(st);
    return EXIT_OK;
}
