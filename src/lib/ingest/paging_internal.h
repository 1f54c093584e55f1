/*
 * Plumbing shared by the paging adapters (PagerDuty, Opsgenie, on-call
 * calendars): a small string map, a cached mapping of outside users to
 * people that tallies the unmapped ones, an index of the events a source
 * kind already has in the store (so that overlapping exports of the same
 * incidents are recognised and add nothing), and ISO 8601 times with
 * offsets. Implemented in pagerduty.c; the ingest's beginning, the JSON
 * export reader and the storing of one shift in paging_shift.c.
 */
#ifndef WARAS_PAGING_INTERNAL_H
#define WARAS_PAGING_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "ingest/ingest_internal.h"
#include "waras/time.h"

/* Open-addressing map from owned strings to caller-owned pointers. Capped
 * so that hostile input cannot grow it without bound. */
typedef struct pg_map {
    char **keys;
    void **vals;
    size_t n, cap;
} pg_map;

#define PG_MAP_MAX ((size_t)1 << 22)

/* Finds key; NULL when absent. */
void **waras_ingest__pg_map_get(const pg_map *m, const char *key);
/* Inserts key (copied) unless present; *slot points at its value. */
int waras_ingest__pg_map_put(pg_map *m, const char *key, void ***slot);
/* Frees keys, and each value with free_val when given. */
void waras_ingest__pg_map_free(pg_map *m, void (*free_val)(void *));

/* An event already stored under the adapter's source kind. */
typedef struct pg_stored {
    char *kind;
    waras_instant start, end;
    char *attrs;
} pg_stored;

typedef struct paging_ctx {
    ingest_file *f;
    const char *source_kind; /* events' source_kind: pagerduty, opsgenie, oncall */
    const char *id_kind;     /* identity kind for user ids, or NULL */
    const char *tool;        /* for messages: "PagerDuty", ... */
    pg_map people;           /* user label -> person id ("" = unmapped) */
    pg_map events;           /* person \x1f key -> pg_stored */
    ingest_tally unmapped;
    long mapped_refs, unmapped_refs;
    char first_unmapped[200];
    long first_unmapped_line;
} paging_ctx;

/* Prepares c and loads the store's events of source_kind into the index. */
int waras_ingest__paging_init(paging_ctx *c, ingest_file *f, const char *source_kind,
                              const char *id_kind, const char *tool);
void waras_ingest__paging_free(paging_ctx *c);

/* Maps a user, given by any of an outside id (identity kind c->id_kind),
 * an e-mail and a name, to a person id (person[WARAS_PERSON_ID_MAX]). 0 when mapped;
 * WARAS_ENOTFOUND (tallied once per user, counted per reference) when not;
 * other codes on store errors. line is where the reference is (0: none). */
int waras_ingest__paging_who(paging_ctx *c, const char *id, const char *email, const char *name,
                             long line, char person[WARAS_PERSON_ID_MAX]);

/* Looks up what the store (or this run) holds for (person, key). */
const pg_stored *waras_ingest__paging_stored(const paging_ctx *c, const char *person,
                                             const char *key);

/* Stores an event (the row now belongs to this file); one identical to
 * what is stored counts as unchanged even when another file had it.
 * attrs is JSON text or NULL. */
int waras_ingest__paging_put(paging_ctx *c, const char *person, const char *kind,
                             waras_instant start, waras_instant end, const char *key,
                             const char *attrs);

/* Fails when users were referenced but none maps to a person (the file is
 * then almost surely meant for people not yet imported), else appends the
 * unmapped tally to the result note. */
int waras_ingest__paging_finish(paging_ctx *c);

/* ISO 8601 "YYYY-MM-DD[T ]HH:MM[:SS[.fff]]" with "Z", "UTC" or an offset
 * (optionally after a space). A time without a zone is WARAS_EINVAL: an
 * export's instants are never guessed. A time outside the years waras
 * answers about (docs/formats.md#limits) is WARAS_ELIMIT. No error slot is
 * set. */
int waras_ingest__paging_time(const char *s, waras_instant *out);

/* The same for the JSON adapters' messages: NULL when s is a time (in
 * *out), else what is wrong with it: "'S' is outside the years ..." (in
 * buf) or, when it is no time at all, not_a_time. */
const char *waras_ingest__paging_time_why(waras_instant *out, char *buf, size_t size,
                                          const char *s, const char *not_a_time);

/* Begins the ingest of a JSON export at path (waras_ingest__begin) and,
 * unless it was ingested before (res->already, *root stays NULL), prepares
 * c (waras_ingest__paging_init) and reads the file into *root: a UTF-16
 * file is refused with the advice to save it as UTF-8, a UTF-8 BOM is
 * skipped, a parse error is WARAS_EPARSE at path and line. Either way the
 * caller ends with json_decref, waras_ingest__paging_free and
 * waras_ingest__end. */
int waras_ingest__paging_begin(json_t **root, ingest_file *f, paging_ctx *c, waras_store *st,
                               const char *path, waras_ingest_result *res,
                               const char *source_kind, const char *id_kind, const char *tool);

/* Stores an on-call shift (kind "shift") of the user named by id, email
 * and name; an unmapped user is counted by paging_who and is not an
 * error. attrs is JSON text or NULL. */
int waras_ingest__paging_shift(paging_ctx *c, const char *id, const char *email, const char *name,
                               waras_instant start, waras_instant end, const char *key,
                               const char *attrs);

#endif
