/*
 * waras serve: the web service (sign-in, the "my weeks" page and the JSON
 * API) over the store. Thin: the service lives in src/server/, the rules
 * in the library. Runs until SIGTERM or SIGINT.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "server.h"
#include "waras/error.h"
#include "waras/store.h"

int cmd_serve(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"listen", required_argument, NULL, 'l'},
        {"db", required_argument, NULL, 'd'},
        {"timeout", required_argument, NULL, 't'},
        {"max-per-address", required_argument, NULL, 'm'},
        {NULL, 0, NULL, 0},
    };
    if (cli_wants_help(argc, argv)) {
        printf("usage: waras [--db PATH] serve [--listen ADDR:PORT] [--db PATH]\n"
               "                              [--timeout SECONDS] [--max-per-address N]\n\n"
               "Runs the web service until SIGTERM or SIGINT: sign-in (accounts from\n"
               "'waras user add'), the 'my weeks' page at /, and the JSON API under\n"
               "/api/v1 (described at /api/v1/openapi.json). It listens on loopback\n"
               "127.0.0.1:8080 unless --listen says otherwise (port 0: any free port,\n"
               "shown in the first log line); put a TLS proxy in front of it for\n"
               "other machines. One line per request goes to standard error: method,\n"
               "path, query keys, status, milliseconds. Who sees what, the limits and\n"
               "the security measures are in docs/service.md.\n\n"
               "--timeout SECONDS      close a connection idle this long, half a request\n"
               "                       included (default 30; 1 to 3600)\n"
               "--max-per-address N    connections one client address may hold open\n"
               "                       (default 32; 1 to 256)\n");
        return EXIT_OK;
    }
    const char *db = ctx->db;
    srv_options o = {.listen = "127.0.0.1:8080"};
    long n;
    int ch;
    optind = 0;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (ch) {
        case 'l':
            o.listen = optarg;
            break;
        case 't':
            if (waras_parse_long(optarg, &n) || n < 1 || n > 3600)
                return cli_usage_error("serve", "--timeout takes seconds from 1 to 3600");
            o.timeout = (unsigned)n;
            break;
        case 'm':
            if (waras_parse_long(optarg, &n) || n < 1 || n > SRV_CONN_LIMIT)
                return cli_usage_error("serve", "--max-per-address takes 1 to %d", SRV_CONN_LIMIT);
            o.per_address = (unsigned)n;
            break;
        case 'd':
            db = optarg;
            break;
        default:
            return cli_usage_error("serve", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("serve", "unexpected argument '%s'", argv[optind]);
    /* Open once up front, so that a missing or old store is an error now
     * (and the schema is migrated) rather than on the first request. */
    waras_store *st = NULL;
    if (waras_store_open(&st, db, 0))
        return cli_fail();
    waras_store_close(st);
    if (srv_run(db, &o)) {
        if (waras_error_last()->code == WARAS_EINVAL)
            return cli_usage_error("serve", "%s", waras_error_last()->message);
        return cli_fail();
    }
    return EXIT_OK;
}
