/*
 * The interface between the store's neutral layer (store.c, which opens a
 * store by the scheme of its location and dispatches) and its backends
 * (sqlite.c, pg.c). A backend's store begins with a waras_store whose ops
 * point at the backend's functions; the public and private calls of
 * waras/store.h and store_int.h go through them one to one. A row read by
 * the private helpers is a waras_store_row, which holds either backend's
 * cursor so that readers need not know which backend answered.
 */
#ifndef WARAS_STORE_BACKEND_H
#define WARAS_STORE_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "store/store_int.h"
#include "waras/store.h"

struct waras_store_row {
    sqlite3_stmt *sq; /* SQLite: the stepped statement */
    PGresult *pg;     /* PostgreSQL: the result and its row */
    int row;
};

typedef struct store_ops {
    void (*close)(waras_store *st);
    int (*schema_version)(waras_store *st);
    int (*data_version)(int64_t *out, waras_store *st);
    int (*begin)(waras_store *st, int bulk);
    int (*commit)(waras_store *st);
    void (*rollback)(waras_store *st);
    int (*person_put)(waras_store *st, const waras_person *p);
    int (*person_get)(waras_person *out, waras_store *st, const char *id);
    int (*people_list)(waras_person **out, size_t *n, waras_store *st);
    int (*identity_put)(waras_store *st, const char *person, const char *kind, const char *value);
    int (*identity_find)(char *person, size_t size, waras_store *st, const char *kind,
                         const char *value);
    int (*source_seen)(int *seen, waras_store *st, const char *kind, const char *sha256);
    int (*source_add)(int64_t *id, waras_store *st, const char *kind, const char *path,
                      const char *sha256);
    int (*source_finish)(waras_store *st, int64_t id, long rows, long skipped);
    int (*source_supersede)(long *removed, waras_store *st, int64_t id, const char *kind,
                            const char *path);
    int (*event_put)(int *changed, waras_store *st, const waras_event *ev);
    int (*events_put)(long *changed, waras_store *st, const waras_event *ev, size_t n);
    int (*events_each)(waras_store *st, const char *person, const char *kinds, waras_instant from,
                       waras_instant to, waras_event_cb cb, void *ctx);
    int (*source_events_each)(waras_store *st, const char *source_kind, waras_event_cb cb,
                              void *ctx);
    int (*plan_add)(int64_t *id, waras_store *st, const char *kind, const char *team,
                    waras_instant start, waras_instant end, const char *attrs);
    int (*plan_assign)(waras_store *st, int64_t plan, const char *person, const char *role,
                       waras_instant start, waras_instant end);
    int (*plan_count)(long *out, waras_store *st, const char *kind, const char *team);
    int (*count)(long *out, waras_store *st, const char *table);
    int (*event_span)(waras_instant *first, waras_instant *last, waras_store *st);
    int (*plan_assignments_each)(waras_store *st, const char *kind, const char *team,
                                 waras_instant from, waras_instant to, waras_plan_assignment_cb cb,
                                 void *ctx);
    int (*survey_put)(waras_store *st, const char *team, const char *person, const char *taken_on,
                      const char *instrument, const char *scores, const char *answers,
                      int64_t source, const char *key);
    int (*survey_each)(waras_store *st, const char *team, const char *from, const char *to,
                       waras_store_survey_cb cb, void *ctx);
    /* The private helpers of store_int.h. */
    int (*exec)(int *changes, waras_store *st, const char *sql, const char *what,
                const waras_store_val *v, int n);
    int (*insert)(int64_t *id, waras_store *st, const char *sql, const char *what,
                  const waras_store_val *v, int n);
    int (*each)(waras_store *st, const char *sql, const char *what, const waras_store_val *v, int n,
                waras_store_row_cb row, void *ctx);
    /* Runs one or more statements without parameters; what NULL: quietly. */
    int (*script)(waras_store *st, const char *sql, const char *what);
    /* Whether a transaction is open; NULL when a savepoint begins one. */
    int (*tx_open)(waras_store *st);
    /* 1: the events' keys lead with the person (waras_store_events_person_first). */
    int events_person_first;
} store_ops;

struct waras_store {
    const store_ops *ops;
    char *where;      /* the store's location as messages show it (never a password) */
    int savepoint_tx; /* PostgreSQL: a transaction begun for a savepoint */
};

int waras_store__sqlite_open(waras_store **out, const char *path, int flags);
int waras_store__pg_open(waras_store **out, const char *url, int flags);

/* Whether a location names a PostgreSQL database. */
int waras_store__is_pg_url(const char *where);

/* A set of strings (the people a bulk transaction has checked), open
 * addressing; its strings are copies, freed by known_clear. */
typedef struct waras_store_known {
    char **slots;
    size_t cap, n;
} waras_store_known;
int waras_store__known_has(const waras_store_known *k, const char *id);
int waras_store__known_add(waras_store_known *k, const char *id);
void waras_store__known_clear(waras_store_known *k);

/* Rows collected into an array (waras_store__list): list_row is the row
 * callback of a walk; list_done hands the array to out (or frees it when
 * rc, the walk's result, is an error) and returns rc. */
typedef struct waras_store_rowlist {
    char *v;
    size_t len, cap, elem;
    waras_store_fill_fn fill;
} waras_store_rowlist;
int waras_store__list_row(void *ctx, const waras_store_row *r);
int waras_store__list_done(void *out, size_t *n, waras_store_rowlist *l, int rc);

/* Whether kind is one of the comma-separated kinds. */
int waras_store__kind_listed(const char *kinds, const char *kind);

/* The row callbacks of the walks that hand rows to a caller's callback,
 * written once for both backends over the neutral row reader: ctx is a
 * waras_store_walk with the caller's callback and context. The columns are
 * those of the backends' queries, in order:
 *   survey_row: team, person, taken_on, instrument, scores;
 *   event_row: person, kind, status, start, end, all_day, source,
 *     source_kind, source_key, attrs, utc_offset (NULL: none); rows whose
 *     kind is not in kinds (when set) are passed over;
 *   plan_row: plan id, kind, team (NULL: ""), person, role, start, end. */
typedef struct waras_store_walk {
    waras_store_survey_cb survey;
    waras_event_cb event;
    waras_plan_assignment_cb plan;
    void *ctx;
    const char *kinds; /* events: the kinds wanted, or NULL */
} waras_store_walk;
int waras_store__survey_row(void *ctx, const waras_store_row *r);
int waras_store__event_row(void *ctx, const waras_store_row *r);
int waras_store__plan_row(void *ctx, const waras_store_row *r);

#endif
