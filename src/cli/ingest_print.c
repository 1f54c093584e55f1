/*
 * How every ingest command (ingest, ingest git|pagerduty|opsgenie|oncall,
 * people import) runs over its files and reports what it did, in one place
 * of its own so that the messages read the same and no command depends on
 * another for them.
 */
#include <stdio.h>
#include <string.h>

#include "ingest_print.h"

void cli_print_ingest(const char *what, const char *path, const waras_ingest_result *r, int quiet)
{
    if (quiet)
        return;
    if (r->already) {
        printf("%s: already ingested (same content); nothing to do\n", path);
        return;
    }
    int ics = strcmp(what, "ics") == 0, one = r->rows == 1;
    printf("%s: %ld %s read, %ld added or changed, %ld unchanged", path, r->rows,
           ics ? (one ? "occurrence" : "occurrences") : (one ? "row" : "rows"), r->added,
           r->unchanged);
    if (r->removed)
        printf(", %ld removed (gone from the file)", r->removed);
    if (r->skipped)
        printf(", %ld skipped", r->skipped);
    printf("\n");
    if (r->note[0])
        printf("  note: %s\n", r->note);
}

int cli_ingest_files(const cli_ctx *ctx, char *const *paths, int n, cli_ingest_fn fn, void *self)
{
    waras_store *st;
    int ret = cli_store_open(&st, ctx, 0);
    for (int i = 0; !ret && i < n; i++)
        if (fn(self, st, paths[i]))
            ret = cli_fail();
    if (st)
        waras_store_close(st);
    return ret;
}
