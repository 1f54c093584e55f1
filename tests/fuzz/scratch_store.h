/*
 * Shared by the ingest fuzz targets: a scratch store (in /dev/shm when there
 * is one, since each run commits) with two people who carry e-mail,
 * PagerDuty and Opsgenie identities, and a helper that writes the fuzz input
 * to a file and ingests it the way the CLI does. Every FUZZ_STORE_RESET
 * inputs the store goes back to its first state (a copy of the file made
 * after the people were ingested), so that a long campaign does not ingest
 * into a store that grows with every input (each input is a new file by its
 * SHA-256) and slows down. The scratch files are removed at exit (libFuzzer
 * ends through exit()).
 */
#ifndef WARAS_FUZZ_SCRATCH_STORE_H
#define WARAS_FUZZ_SCRATCH_STORE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "waras/ingest.h"
#include "waras/store.h"

typedef int (*fuzz_ingest_fn)(waras_ingest_result *res, waras_store *st, const char *path);

/* Inputs between two resets: few enough that the store stays small, many
 * enough that inputs still meet what earlier ones stored (a later version
 * of the same file supersedes an earlier one). */
#define FUZZ_STORE_RESET 64

static waras_store *fuzz_st;
static char fuzz_dir[] = "/dev/shm/waras-fuzz-XXXXXX";
static char *fuzz_template; /* the store file as fuzz_setup() left it */
static size_t fuzz_template_len;
static unsigned fuzz_inputs;

/* Removes the store's files (the database, its WAL and shared memory). */
static void fuzz_store_unlink(void)
{
    static const char *const suffix[] = {"", "-wal", "-shm"};
    char path[256];
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof(path), "%s/w.db%s", fuzz_dir, suffix[i]);
        unlink(path);
    }
}

static void fuzz_teardown(void)
{
    static const char *const inputs[] = {"people.csv", "in.csv", "in.json", "in.ics", NULL};
    char path[256];
    waras_store_close(fuzz_st);
    fuzz_store_unlink();
    for (int i = 0; inputs[i]; i++) {
        snprintf(path, sizeof(path), "%s/%s", fuzz_dir, inputs[i]);
        unlink(path);
    }
    rmdir(fuzz_dir);
    free(fuzz_template);
}

/* Closes the store (the last connection's close checkpoints the WAL into
 * the file), then reads or writes back the file, then opens it again. */
static void fuzz_store_snapshot(int restore)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/w.db", fuzz_dir);
    waras_store_close(fuzz_st);
    fuzz_st = NULL;
    if (restore) {
        fuzz_store_unlink();
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(fuzz_template, 1, fuzz_template_len, f) != fuzz_template_len)
            abort();
        fclose(f);
    } else {
        FILE *f = fopen(path, "rb");
        if (!f || fseek(f, 0, SEEK_END) || (long)(fuzz_template_len = (size_t)ftell(f)) <= 0 ||
            fseek(f, 0, SEEK_SET) || !(fuzz_template = malloc(fuzz_template_len)) ||
            fread(fuzz_template, 1, fuzz_template_len, f) != fuzz_template_len)
            abort();
        fclose(f);
    }
    if (waras_store_open(&fuzz_st, path, 0))
        abort();
}

static void fuzz_setup(void)
{
    char path[256];
    waras_ingest_result r;
    if (!mkdtemp(fuzz_dir)) {
        memcpy(fuzz_dir, "/tmp/waras-fuzz-XXXXXX", sizeof("/tmp/waras-fuzz-XXXXXX"));
        if (!mkdtemp(fuzz_dir))
            abort();
    }
    snprintf(path, sizeof(path), "%s/people.csv", fuzz_dir);
    FILE *f = fopen(path, "w");
    if (!f)
        abort();
    fputs("id,name,email,team,timezone,identities\n"
          "ana,Ana Putri,ana@x.example,t,Asia/Jakarta,pagerduty:PANA001;opsgenie:ana\n"
          "bo,Bo Schmidt,bo@x.example,t,Europe/Berlin,pagerduty:PBO0002\n",
          f);
    fclose(f);
    snprintf(path, sizeof(path), "%s/w.db", fuzz_dir);
    if (waras_store_open(&fuzz_st, path, WARAS_STORE_CREATE))
        abort();
    snprintf(path, sizeof(path), "%s/people.csv", fuzz_dir);
    if (waras_ingest_people(&r, fuzz_st, path))
        abort();
    fuzz_store_snapshot(0);
    atexit(fuzz_teardown);
}

/* Writes data to DIR/name and ingests it with fn; errors are expected. */
static void fuzz_ingest(const uint8_t *data, size_t size, const char *name, fuzz_ingest_fn fn)
{
    char path[256];
    waras_ingest_result r;
    if (!fuzz_st)
        fuzz_setup();
    else if (++fuzz_inputs % FUZZ_STORE_RESET == 0)
        fuzz_store_snapshot(1);
    snprintf(path, sizeof(path), "%s/%s", fuzz_dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return;
    if (size)
        fwrite(data, 1, size, f);
    fclose(f);
    (void)fn(&r, fuzz_st, path);
}

#endif
