/*
 * Fuzz target for the PagerDuty ingest fed with REST API JSON (incidents,
 * log entries, schedules): the input is written to a file and ingested into a scratch store whose
 * people carry PagerDuty and Opsgenie identities, the way the CLI does it. Errors are fine;
 * crashes, leaks and UB are not.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "waras/ingest.h"
#include "waras/store.h"

static waras_store *st;
static char dir[] = "/dev/shm/waras-fuzz-XXXXXX";

/* Leaves no scratch files behind (libFuzzer ends through exit()). */
static void teardown(void)
{
    static const char *const names[] = {"w.db",   "w.db-wal", "w.db-shm", "people.csv",
                                        "in.csv", "in.json",  NULL};
    char path[256];
    waras_store_close(st);
    for (int i = 0; names[i]; i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

static void setup(void)
{
    char path[256];
    waras_ingest_result r;
    /* A RAM-backed directory when there is one: each run commits. */
    if (!mkdtemp(dir)) {
        memcpy(dir, "/tmp/waras-fuzz-XXXXXX", sizeof("/tmp/waras-fuzz-XXXXXX"));
        if (!mkdtemp(dir))
            abort();
    }
    snprintf(path, sizeof(path), "%s/people.csv", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        abort();
    fputs("id,name,email,team,timezone,identities\n"
          "ana,Ana Putri,ana@x.example,t,Asia/Jakarta,pagerduty:PANA001;opsgenie:ana\n"
          "bo,Bo Schmidt,bo@x.example,t,Europe/Berlin,pagerduty:PBO0002\n",
          f);
    fclose(f);
    snprintf(path, sizeof(path), "%s/w.db", dir);
    if (waras_store_open(&st, path, WARAS_STORE_CREATE))
        abort();
    snprintf(path, sizeof(path), "%s/people.csv", dir);
    if (waras_ingest_people(st, path, &r))
        abort();
    atexit(teardown);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[256];
    waras_ingest_result r;
    if (!st)
        setup();
    snprintf(path, sizeof(path), "%s/in.json", dir);
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    if (size)
        fwrite(data, 1, size, f);
    fclose(f);
    (void)waras_ingest_pagerduty(st, path, &r);
    return 0;
}
