/*
 * waras store copy --from SRC --to DST: copies one store into another,
 * SQLite to PostgreSQL or back (or the same kind), every table, checking
 * every row, and prints the counts per table. Copying into a store that
 * already holds rows merges: the same copy twice changes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "waras/store.h"

static void usage(void)
{
    printf("usage: waras store copy --from SRC --to DST\n\n"
           "Copies every table of the store SRC into the store DST, in one transaction\n"
           "of DST, and checks that every row of SRC is then in DST with the same values.\n"
           "Each is a SQLite file or a postgres:// or postgresql:// URL; DST is created\n"
           "when missing (a PostgreSQL database must exist). Rows are matched by their\n"
           "natural keys (a person's id, an event's person, source and key, a user's\n"
           "login, ...): missing rows are added, different ones updated, so copying\n"
           "into a store with rows merges, and copying again changes nothing.\n"
           "Prints, per table, the rows checked and how many were added or updated.\n"
           "docs/postgresql.md shows a move from SQLite to PostgreSQL.\n");
}

int cmd_store_copy(int argc, char **argv)
{
    const char *from = NULL, *to = NULL;
    if (cli_wants_help(argc, argv)) {
        usage();
        return EXIT_OK;
    }
    for (int i = 1; i < argc; i++) {
        if ((strcmp(argv[i], "--from") == 0 || strcmp(argv[i], "--to") == 0) && i + 1 < argc) {
            *(argv[i][2] == 'f' ? &from : &to) = argv[i + 1];
            i++;
        } else {
            return cli_usage_error("store copy", "unexpected argument '%s'", argv[i]);
        }
    }
    if (!from || !to)
        return cli_usage_error("store copy", "--from SRC and --to DST are both needed");
    if (strcmp(from, to) == 0)
        return cli_usage_error("store copy", "SRC and DST are the same store");
    waras_store *src = NULL, *dst = NULL;
    waras_store_copy_count *c = NULL;
    size_t n = 0;
    int rc = EXIT_OK;
    if (waras_store_open(&src, from, WARAS_STORE_READONLY) ||
        waras_store_open(&dst, to, WARAS_STORE_CREATE) || waras_store_copy(&c, &n, dst, src)) {
        rc = cli_fail();
        goto cleanup;
    }
    printf("copied %s to %s\n", waras_store_where(src), waras_store_where(dst));
    for (size_t i = 0; i < n; i++)
        printf("%s: %ld rows checked, %ld added, %ld updated, %ld unchanged\n", c[i].table,
               c[i].rows, c[i].added, c[i].updated, c[i].rows - c[i].added - c[i].updated);
cleanup:
    free(c);
    waras_store_close(dst);
    waras_store_close(src);
    return rc;
}
