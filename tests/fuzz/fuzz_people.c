/*
 * Fuzz target for the people, timesheet and leave ingest: the input is
 * written to a file and ingested into an in-memory-like scratch store, the
 * way the CLI does it. Errors are fine; crashes, leaks and UB are not.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "waras/ingest.h"
#include "waras/store.h"

static waras_store *st;
static char dir[] = "/tmp/waras-fuzz-XXXXXX";

static void setup(void)
{
    char path[256];
    if (!mkdtemp(dir))
        abort();
    snprintf(path, sizeof(path), "%s/people.csv", dir);
    FILE *f = fopen(path, "w");
    fputs("id,name,email,team,timezone\nana,Ana,ana@x.example,t,Asia/Jakarta\n"
          "bo,Bo,bo@x.example,t,Europe/Berlin\n", f);
    fclose(f);
    snprintf(path, sizeof(path), "%s/w.db", dir);
    waras_ingest_result r;
    if (waras_store_open(&st, path, WARAS_STORE_CREATE))
        abort();
    snprintf(path, sizeof(path), "%s/people.csv", dir);
    if (waras_ingest_people(st, path, &r))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[256];
    waras_ingest_result r;
    if (!st)
        setup();
    snprintf(path, sizeof(path), "%s/in.csv", dir);
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    /* The first byte picks the adapter; the rest is the file. */
    int which = size ? data[0] % 3 : 0;
    if (size > 1)
        fwrite(data + 1, 1, size - 1, f);
    fclose(f);
    if (which == 0)
        (void)waras_ingest_timesheet(st, path, &r);
    else if (which == 1)
        (void)waras_ingest_leave(st, path, NULL, &r);
    else
        (void)waras_ingest_people(st, path, &r);
    return 0;
}
