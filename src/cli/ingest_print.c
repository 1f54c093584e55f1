/*
 * How every ingest command reports what it did (ingest, ingest pagerduty|
 * opsgenie|oncall, people import), in one place of its own so that the
 * messages read the same and no command depends on another for them.
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
    printf("%s: %ld %s read, %ld added or changed, %ld unchanged", path, r->rows,
           strcmp(what, "ics") == 0 ? "occurrences" : "rows", r->added, r->unchanged);
    if (r->removed)
        printf(", %ld removed (gone from the file)", r->removed);
    if (r->skipped)
        printf(", %ld skipped", r->skipped);
    printf("\n");
    if (r->note[0])
        printf("  note: %s\n", r->note);
}
