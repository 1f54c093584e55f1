/*
 * The store: people, their identities in outside systems, ingested sources
 * (with content hashes, so re-ingesting the same bytes is a no-op), and
 * events (meetings, leave, timesheet entries, pages, commits, shifts) as UTC
 * intervals. SQLite is the embedded default (WAL, versioned migrations);
 * PostgreSQL (a postgres:// or postgresql:// URL) serves an organisation
 * (docs/postgresql.md). Every ingest of one file runs in one transaction,
 * so a bad file leaves the store exactly as it was.
 */
#ifndef WARAS_STORE_H
#define WARAS_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "waras/time.h"

typedef struct waras_store waras_store;

enum {
    WARAS_STORE_CREATE = 1, /* create the file and schema when missing */
    WARAS_STORE_READONLY = 2,
};

/* Opens the store at path: a SQLite file, or a PostgreSQL database named
 * by a postgres:// or postgresql:// URL (libpq's URL form). Without
 * WARAS_STORE_CREATE a missing SQLite file is WARAS_ENOTFOUND (a
 * PostgreSQL database must exist; its schema is created on open).
 * Migrates the schema to the current version unless read-only. A
 * connection that fails is WARAS_ESTORE with a message naming host and
 * database, never a password. The caller closes it with waras_store_close(). */
int waras_store_open(waras_store **out, const char *path, int flags);
void waras_store_close(waras_store *st);

/* The store's location as messages show it: the SQLite path, or the
 * PostgreSQL URL's user, host, port and database without a password.
 * Valid until the store is closed. */
const char *waras_store_where(const waras_store *st);

/* Schema version after migrations. */
int waras_store_schema_version(waras_store *st);

/* A number that changes whenever the store's data changes, by this or any
 * other process (for caches of what was read from it): SQLite's
 * PRAGMA data_version of this connection, PostgreSQL's counter that every
 * write transaction bumps. Meaningful only compared with an earlier value
 * from the same open store. */
int waras_store_data_version(int64_t *out, waras_store *st);

/* One transaction per ingested file. rollback is safe to call after a
 * failed begin or commit. Writers take turns, as SQLite's BEGIN IMMEDIATE
 * makes them: on PostgreSQL a write transaction first takes the store's
 * transaction-scoped advisory lock, and a transaction that still meets a
 * serialization failure or deadlock is run again from its start by
 * replaying its statements (see pg.c). */
int waras_store_begin(waras_store *st);
/* As waras_store_begin, for a transaction that writes many events (an
 * ingest): SQLite's per-row foreign-key checks are off until commit or
 * rollback, and the store checks instead, once per person and source,
 * that the people and sources that events, identities, responses and plan
 * assignments refer to exist. Do not delete people or sources in it. */
int waras_store_begin_bulk(waras_store *st);
int waras_store_commit(waras_store *st);
void waras_store_rollback(waras_store *st);

/* --- people --- */
/* The size of a person id buffer, in bytes including the NUL. A person made
 * from a git author is keyed by the author's lower-cased e-mail, and RFC 5321
 * limits a path (an address with its angle brackets) to 256 octets, so any
 * address fits with room to spare. Every buffer that holds a person id, and
 * every check of an id's length, uses this constant. */
#define WARAS_PERSON_ID_MAX 320

typedef struct waras_person {
    char id[WARAS_PERSON_ID_MAX];
    char name[128];
    char email[256];
    char team[64];
    char timezone[64];
    char site[64];
    unsigned work_days; /* bit 0 = Monday ... bit 6 = Sunday */
    int work_start;     /* minutes after local midnight */
    int work_end;
} waras_person;

/* Inserts or replaces a person (by id). */
int waras_store_person_put(waras_store *st, const waras_person *p);
/* WARAS_ENOTFOUND when there is no such person. */
int waras_store_person_get(waras_person *out, waras_store *st, const char *id);
/* All people ordered by team, then id. *out is freed by the caller. */
int waras_store_people_list(waras_person **out, size_t *n, waras_store *st);

/* Maps an outside identity (kind: email|git|pagerduty|opsgenie|calendar|name)
 * to a person; values are compared case-insensitively. */
int waras_store_identity_put(waras_store *st, const char *person, const char *kind,
                             const char *value);
/* Finds the person for an identity; WARAS_ENOTFOUND when unmapped. */
int waras_store_identity_find(char *person, size_t size, waras_store *st, const char *kind,
                              const char *value);

/* --- sources (provenance) --- */
/* Whether content with this hash was already ingested as this kind. */
int waras_store_source_seen(int *seen, waras_store *st, const char *kind, const char *sha256);
/* Records a source; *id receives its row id. */
int waras_store_source_add(int64_t *id, waras_store *st, const char *kind, const char *path,
                           const char *sha256);
/* Sets the row counts of a source once its events are in. */
int waras_store_source_finish(waras_store *st, int64_t id, long rows, long skipped);
/* Drops events that earlier versions of the same file (kind and path)
 * contributed but the current version (source id) no longer has. */
int waras_store_source_supersede(long *removed, waras_store *st, int64_t id, const char *kind,
                                 const char *path);

/* --- events --- */
typedef struct waras_event {
    const char *person;
    const char *kind;   /* meeting|leave|milestone|timesheet|page|incident|commit|shift|
                           cancellation (docs/formats.md) */
    const char *status; /* accepted|tentative|needs-action|declined|free, or NULL */
    waras_instant start, end;
    int all_day;
    int64_t source;
    const char *source_kind; /* ics|timesheet|leave|... */
    const char *source_key;  /* unique per (source_kind, person) */
    const char *attrs;       /* JSON object text or NULL */
    int has_utc_offset;      /* 1 when utc_offset is known */
    int utc_offset;          /* seconds east of UTC recorded with the instant (commits) */
} waras_event;

/* Inserts an event or, when (person, source_kind, source_key) exists,
 * updates it in place. *changed is 1 when a row was added or modified. */
int waras_store_event_put(int *changed, waras_store *st, const waras_event *ev);
/* Stores n events as n calls of waras_store_event_put would, several to a
 * statement (cheaper per event); *changed (may be NULL) is set to how many
 * were added or changed. */
int waras_store_events_put(long *changed, waras_store *st, const waras_event *ev, size_t n);
/* The order in which events go into this store fastest: 1 for the person
 * first (PostgreSQL, whose event keys and indexes lead with the person), 0
 * for the source kind, key and then person (SQLite's unique key). Either
 * order stores the same rows; an adapter that sorts a file's events before
 * waras_store_events_put sorts them the way the store asks, keeping each
 * person's events in the same order both ways (docs/performance.md). */
int waras_store_events_person_first(const waras_store *st);

/* Calls cb for each event of a person (NULL: everyone) overlapping
 * [from, to), ordered by person, then start. kinds is a comma-separated
 * filter or NULL. Strings in the event are valid during the call only. */
typedef int (*waras_event_cb)(void *ctx, const waras_event *ev);
int waras_store_events_each(waras_store *st, const char *person, const char *kinds,
                            waras_instant from, waras_instant to, waras_event_cb cb, void *ctx);

/* Calls cb for each event stored from sources of this kind ("pagerduty",
 * "opsgenie", ...), ordered by person, then start: one range of the events'
 * source index, whatever else the store holds (what a paging ingest compares
 * a new export with). */
int waras_store_source_events_each(waras_store *st, const char *source_kind, waras_event_cb cb,
                                   void *ctx);

/* Plans (on-call rotas, quiet weeks, recovery leave): a header row and its
 * assignments. *id receives the plan's row id. attrs is JSON text or NULL. */
int waras_store_plan_add(int64_t *id, waras_store *st, const char *kind, const char *team,
                         waras_instant start, waras_instant end, const char *attrs);
int waras_store_plan_assign(waras_store *st, int64_t plan, const char *person, const char *role,
                            waras_instant start, waras_instant end);
/* How many plans of this kind the team has had (for iCalendar SEQUENCE). */
int waras_store_plan_count(long *out, waras_store *st, const char *kind, const char *team);

/* Counts rows of a table (people, events, sources, identities). */
int waras_store_count(long *out, waras_store *st, const char *table);

/* Earliest and latest event instants (both 0 when empty). */
int waras_store_event_span(waras_instant *first, waras_instant *last, waras_store *st);

/* One assignment of a recorded plan, as read back by
 * waras_store_plan_assignments_each(). Strings are valid during the call. */
typedef struct waras_plan_assignment {
    int64_t plan;
    const char *kind, *team, *person, *role;
    waras_instant start, end;
    waras_instant plan_start, plan_end; /* the plan's span (0 when it has none) */
} waras_plan_assignment;
typedef int (*waras_plan_assignment_cb)(void *ctx, const waras_plan_assignment *a);
/* Calls cb for each assignment of the plans of this kind (and team; NULL:
 * every team) overlapping [from, to), newest plan first, then by start and
 * person. A non-zero return from cb stops the walk and is returned. */
int waras_store_plan_assignments_each(waras_store *st, const char *kind, const char *team,
                                      waras_instant from, waras_instant to,
                                      waras_plan_assignment_cb cb, void *ctx);

/* Copies every table of src into dst (either backend to either) in one
 * transaction of dst: rows are matched by their natural keys, so that
 * copying into a store that holds some of them merges (missing rows added,
 * different ones updated) and copying again changes nothing; the ids that
 * rows refer to are mapped. Before it commits, every row of src is checked
 * to be in dst with the same values. *out (*n tables, in copy order) is
 * the caller's to free. src should not change meanwhile (a change is an
 * error). */
typedef struct waras_store_copy_count {
    char table[32];
    long rows;    /* rows of src, each checked */
    long added;   /* of them, added to dst */
    long updated; /* of them, changed in dst; the rest were there */
} waras_store_copy_count;
int waras_store_copy(waras_store_copy_count **out, size_t *n, waras_store *dst, waras_store *src);

#endif
