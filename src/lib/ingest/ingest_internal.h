/*
 * Plumbing shared by the ingest adapters: open a file as a source (hash,
 * duplicate check, transaction), and close it (counts, supersede, commit or
 * rollback). Every adapter follows the same life cycle so that all-or-nothing
 * and idempotence hold for all of them.
 */
#ifndef WARAS_INGEST_INTERNAL_H
#define WARAS_INGEST_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "waras/ingest.h"
#include "waras/store.h"
#include "time/days.h"

typedef struct ingest_file {
    waras_store *st;
    const char *path;
    const char *kind; /* source kind */
    char *data;
    size_t len;
    int64_t source;
    waras_ingest_result *res;
} ingest_file;

/* Reads path, and unless identical content was ingested before, opens a
 * transaction and records the source. Returns 0 with res->already set when
 * there is nothing to do (the file is still read and freed by _end). */
int waras_ingest__begin(ingest_file *f, waras_store *st, const char *kind, const char *path,
                        waras_ingest_result *res);

/* Finishes: on rc == 0 supersedes the file's earlier versions and commits;
 * otherwise rolls back. Frees the data. Returns the final code. */
int waras_ingest__end(ingest_file *f, int rc);

/* Stores one event, counting it as added or unchanged. */
int waras_ingest__put(ingest_file *f, waras_event *ev);

/* Adds "what (count)" to a bounded tally of reasons, for the result note. */
typedef struct ingest_tally {
    char keys[16][96];
    long counts[16];
    int n;
    long other;
} ingest_tally;
void waras_ingest__tally(ingest_tally *t, const char *key);
void waras_ingest__tally_note(const ingest_tally *t, const char *prefix, char *note, size_t size);

/* Parses "HH:MM" into minutes after midnight (24:00 allowed). */
int waras_ingest__parse_hhmm(const char *s, int *minutes);

/* A person named by id, e-mail or name; WARAS_ENOTFOUND otherwise (no
 * message set). */
int waras_ingest__resolve_person(waras_store *st, const char *who, waras_person *p);

/* Leave from CSV (the CSV half of waras_ingest_leave). */
int waras_ingest__leave_csv(waras_store *st, const char *path, waras_ingest_result *res);

#endif
