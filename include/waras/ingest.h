/*
 * Ingest adapters: each reads one outside file, validates every row, maps
 * people through the store's identities, and writes its events in a single
 * transaction. A bad file changes nothing; the same content twice is a
 * no-op that says so; a changed file replaces what its earlier version
 * contributed. Adapters know nothing of metrics.
 */
#ifndef WARAS_INGEST_H
#define WARAS_INGEST_H

#include "waras/store.h"

typedef struct waras_ingest_result {
    long rows;      /* records read (rows, occurrences, ...) */
    long added;     /* events added or changed */
    long unchanged; /* events already stored as they are */
    long removed;   /* events an earlier version of the file had */
    long skipped;   /* records deliberately left out (see note) */
    int already;    /* 1: identical content was ingested before; nothing done */
    char note[1024];/* human summary of what was skipped and why */
} waras_ingest_result;

/* people.csv: see docs/formats.md. Creates or updates people and their
 * identities. */
int waras_ingest_people(waras_store *st, const char *path, waras_ingest_result *res);

typedef struct waras_ingest_ics_opts {
    const char *person; /* calendar owner, or NULL to map attendees by e-mail */
    const char *kind;   /* meeting (default), leave or milestone */
    /* Expansion window for recurring events, as dates; zero: one year either
     * side of the events' span is not bounded, so default to the 2 years
     * around `now`. */
    int from_y, from_m, from_d, to_y, to_m, to_d;
} waras_ingest_ics_opts;

int waras_ingest_ics(waras_store *st, const char *path, const waras_ingest_ics_opts *opts,
                     waras_ingest_result *res);

/* Timesheet CSV: person,date,hours or person,date,start,end (docs/formats.md). */
int waras_ingest_timesheet(waras_store *st, const char *path, waras_ingest_result *res);

/* Leave as CSV (person,start,end[,type][,note]) or as iCalendar (all-day or
 * timed events, owner by --person or attendee e-mail). */
int waras_ingest_leave(waras_store *st, const char *path, const char *person,
                       waras_ingest_result *res);

#endif
