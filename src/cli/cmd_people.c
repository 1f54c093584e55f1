/*
 * waras people import FILE.csv | waras people list
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ingest_print.h"
#include "waras/ingest.h"
#include "waras/store.h"

static void help(void)
{
    printf("usage: waras [--db PATH] people import FILE.csv\n"
           "       waras [--db PATH] people list\n\n"
           "import  creates or updates people from a CSV with the columns\n"
           "        id,name,email,team,timezone[,work_days,work_start,work_end,site,identities]\n"
           "        (see docs/formats.md). The store is created when missing.\n"
           "        Every row is checked; one bad row rejects the whole file.\n"
           "list    prints the people in the store, one per line (TSV).\n");
}

int cmd_people(cli_ctx *ctx, int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        help();
        return EXIT_OK;
    }
    if (argc < 2)
        return cli_usage_error("people", "missing subcommand (import or list)");
    waras_store *st = NULL;
    int ret = EXIT_OK;
    if (strcmp(argv[1], "import") == 0) {
        if (argc < 3)
            return cli_usage_error("people", "import needs a CSV file");
        if (waras_store_open(&st, ctx->db, WARAS_STORE_CREATE))
            return cli_fail();
        for (int i = 2; i < argc; i++) {
            waras_ingest_result r;
            if (waras_ingest_people(&r, st, argv[i])) {
                ret = cli_fail();
                break;
            }
            cli_print_ingest("people", argv[i], &r, ctx->quiet);
        }
    } else if (strcmp(argv[1], "list") == 0) {
        waras_person *v = NULL;
        size_t n = 0;
        if (waras_store_open(&st, ctx->db, 0) || waras_store_people_list(&v, &n, st)) {
            ret = cli_fail();
        } else {
            printf("id\tname\tteam\ttimezone\temail\n");
            for (size_t i = 0; i < n; i++)
                printf("%s\t%s\t%s\t%s\t%s\n", v[i].id, v[i].name, v[i].team, v[i].timezone,
                       v[i].email);
        }
        free(v);
    } else {
        return cli_usage_error("people", "unknown subcommand '%s'", argv[1]);
    }
    waras_store_close(st);
    return ret;
}
