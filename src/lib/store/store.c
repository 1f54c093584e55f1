/*
 * The store's neutral layer: opens a store by the scheme of its location
 * (postgres:// or postgresql:// for PostgreSQL, anything else a SQLite
 * file), dispatches every call of waras/store.h and store_int.h to the
 * backend (backend.h), reads rows of either backend for the private
 * helpers, and holds the small pieces both backends share.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/backend.h"
#include "util/util.h"
#include "waras/error.h"

int waras_store__is_pg_url(const char *where)
{
    return where &&
           (strncmp(where, "postgres://", 11) == 0 || strncmp(where, "postgresql://", 13) == 0);
}

int waras_store_open(waras_store **out, const char *path, int flags)
{
    *out = NULL;
    if (!path || !*path)
        return waras_error_msg(WARAS_EINVAL, "no store given");
    if (waras_store__is_pg_url(path))
        return waras_store__pg_open(out, path, flags);
    return waras_store__sqlite_open(out, path, flags);
}

void waras_store_close(waras_store *st)
{
    if (st)
        st->ops->close(st);
}

const char *waras_store_where(const waras_store *st)
{
    return st->where;
}

int waras_store_schema_version(waras_store *st)
{
    return st->ops->schema_version(st);
}

int waras_store_data_version(int64_t *out, waras_store *st)
{
    return st->ops->data_version(out, st);
}

int waras_store_begin(waras_store *st)
{
    return st->ops->begin(st, 0);
}
int waras_store_begin_bulk(waras_store *st)
{
    return st->ops->begin(st, 1);
}
int waras_store_commit(waras_store *st)
{
    return st->ops->commit(st);
}
void waras_store_rollback(waras_store *st)
{
    st->ops->rollback(st);
}

int waras_store_person_put(waras_store *st, const waras_person *p)
{
    return st->ops->person_put(st, p);
}

int waras_store_person_get(waras_person *out, waras_store *st, const char *id)
{
    return st->ops->person_get(out, st, id);
}

int waras_store_people_list(waras_person **out, size_t *n, waras_store *st)
{
    return st->ops->people_list(out, n, st);
}

int waras_store_identity_put(waras_store *st, const char *person, const char *kind,
                             const char *value)
{
    return st->ops->identity_put(st, person, kind, value);
}

int waras_store_identity_find(char *person, size_t size, waras_store *st, const char *kind,
                              const char *value)
{
    return st->ops->identity_find(person, size, st, kind, value);
}

int waras_store_source_seen(int *seen, waras_store *st, const char *kind, const char *sha256)
{
    return st->ops->source_seen(seen, st, kind, sha256);
}

int waras_store_source_add(int64_t *id, waras_store *st, const char *kind, const char *path,
                           const char *sha256)
{
    return st->ops->source_add(id, st, kind, path, sha256);
}

int waras_store_source_finish(waras_store *st, int64_t id, long rows, long skipped)
{
    return st->ops->source_finish(st, id, rows, skipped);
}

int waras_store_source_supersede(long *removed, waras_store *st, int64_t id, const char *kind,
                                 const char *path)
{
    return st->ops->source_supersede(removed, st, id, kind, path);
}

int waras_store_event_put(int *changed, waras_store *st, const waras_event *ev)
{
    return st->ops->event_put(changed, st, ev);
}

int waras_store_events_put(long *changed, waras_store *st, const waras_event *ev, size_t n)
{
    return st->ops->events_put(changed, st, ev, n);
}

int waras_store_events_person_first(const waras_store *st)
{
    return st->ops->events_person_first;
}

int waras_store_events_each(waras_store *st, const char *person, const char *kinds,
                            waras_instant from, waras_instant to, waras_event_cb cb, void *ctx)
{
    return st->ops->events_each(st, person, kinds, from, to, cb, ctx);
}

int waras_store_source_events_each(waras_store *st, const char *source_kind, waras_event_cb cb,
                                   void *ctx)
{
    return st->ops->source_events_each(st, source_kind, cb, ctx);
}

int waras_store_plan_add(int64_t *id, waras_store *st, const char *kind, const char *team,
                         waras_instant start, waras_instant end, const char *attrs)
{
    return st->ops->plan_add(id, st, kind, team, start, end, attrs);
}

int waras_store_plan_assign(waras_store *st, int64_t plan, const char *person, const char *role,
                            waras_instant start, waras_instant end)
{
    return st->ops->plan_assign(st, plan, person, role, start, end);
}

int waras_store_plan_count(long *out, waras_store *st, const char *kind, const char *team)
{
    return st->ops->plan_count(out, st, kind, team);
}

int waras_store_count(long *out, waras_store *st, const char *table)
{
    static const char *const allowed[] = {"people",           "events", "sources", "identities",
                                          "survey_responses", "plans",  NULL};
    int ok = 0;
    for (int i = 0; allowed[i]; i++)
        ok |= strcmp(table, allowed[i]) == 0;
    if (!ok)
        return waras_error_msg(WARAS_EINVAL, "unknown table '%s'", table);
    return st->ops->count(out, st, table);
}

int waras_store_event_span(waras_instant *first, waras_instant *last, waras_store *st)
{
    return st->ops->event_span(first, last, st);
}

int waras_store_plan_assignments_each(waras_store *st, const char *kind, const char *team,
                                      waras_instant from, waras_instant to,
                                      waras_plan_assignment_cb cb, void *ctx)
{
    return st->ops->plan_assignments_each(st, kind, team, from, to, cb, ctx);
}

int waras_store__survey_put(waras_store *st, const char *team, const char *person,
                            const char *taken_on, const char *instrument, const char *scores,
                            const char *answers, int64_t source, const char *key)
{
    return st->ops->survey_put(st, team, person, taken_on, instrument, scores, answers, source,
                               key);
}

int waras_store__survey_each(waras_store *st, const char *team, const char *from, const char *to,
                             waras_store_survey_cb cb, void *ctx)
{
    return st->ops->survey_each(st, team, from, to, cb, ctx);
}

/* --- the private helpers --- */

int waras_store__exec(int *changes, waras_store *st, const char *sql, const char *what,
                      const waras_store_val *v, int n)
{
    return st->ops->exec(changes, st, sql, what, v, n);
}

int waras_store__insert(int64_t *id, waras_store *st, const char *sql, const char *what,
                        const waras_store_val *v, int n)
{
    return st->ops->insert(id, st, sql, what, v, n);
}

int waras_store__each(waras_store *st, const char *sql, const char *what, const waras_store_val *v,
                      int n, waras_store_row_cb row, void *ctx)
{
    return st->ops->each(st, sql, what, v, n, row, ctx);
}

/* The first row, copied out of the walk: SQLite's statement ends with the
 * walk, so the row keeps its values as a PostgreSQL result would. */
typedef struct first_row {
    waras_store_row *row;
    int rc;
} first_row;

static int keep_first(void *ctx, const waras_store_row *r)
{
    first_row *f = ctx;
    int ncol = r->sq ? sqlite3_column_count(r->sq) : PQnfields(r->pg);
    PGresult *res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
    PGresAttDesc *att = calloc((size_t)ncol + 1, sizeof(*att));
    if (!res || !att)
        goto nomem;
    for (int i = 0; i < ncol; i++)
        att[i].name = "";
    if (!PQsetResultAttrs(res, ncol, att))
        goto nomem;
    for (int i = 0; i < ncol; i++) {
        const char *v = waras_store__text(r, i);
        if (!PQsetvalue(res, 0, i, (char *)(v ? v : NULL), v ? (int)strlen(v) : -1))
            goto nomem;
    }
    free(att);
    if (!(f->row = calloc(1, sizeof(*f->row))))
        goto nomem2;
    f->row->pg = res;
    return 1;
nomem:
    free(att);
nomem2:
    PQclear(res);
    f->rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
    return 1;
}

int waras_store__row(waras_store_row **out, waras_store *st, const char *sql, const char *what,
                     const waras_store_val *v, int n)
{
    first_row f = {0};
    int rc = waras_store__each(st, sql, what, v, n, keep_first, &f);
    *out = NULL;
    if (rc < 0)
        return rc;
    if (f.rc)
        return f.rc;
    *out = f.row;
    return f.row ? 1 : 0;
}

void waras_store__row_free(waras_store_row *r)
{
    if (!r)
        return;
    PQclear(r->pg);
    free(r);
}

int waras_store__list(void *out, size_t *count, waras_store *st, const char *sql, const char *what,
                      const waras_store_val *v, int n, size_t elem, waras_store_fill_fn fill)
{
    waras_store_rowlist l = {.elem = elem, .fill = fill};
    return waras_store__list_done(
        out, count, &l, waras_store__each(st, sql, what, v, n, waras_store__list_row, &l));
}

/* SQLite begins a transaction for a savepoint outside one; PostgreSQL
 * (tx_open set) needs one begun first, ended when the savepoint is. */
int waras_store__savepoint(waras_store *st, const char *name)
{
    char sql[96];
    int rc;
    if (st->ops->tx_open && !st->ops->tx_open(st)) {
        if ((rc = st->ops->script(st, "BEGIN", "cannot begin a transaction")))
            return rc;
        st->savepoint_tx = 1;
    }
    snprintf(sql, sizeof(sql), "SAVEPOINT %s", name);
    if ((rc = st->ops->script(st, sql, "cannot begin a savepoint")) && st->savepoint_tx) {
        st->ops->script(st, "ROLLBACK", NULL);
        st->savepoint_tx = 0;
    }
    return rc;
}

int waras_store__release(waras_store *st, const char *name)
{
    char sql[96];
    snprintf(sql, sizeof(sql), "RELEASE %s", name);
    int rc = st->ops->script(st, sql, "cannot release a savepoint");
    if (st->savepoint_tx) {
        if (rc)
            st->ops->script(st, "ROLLBACK", NULL);
        else
            rc = st->ops->script(st, "COMMIT", "cannot commit");
        st->savepoint_tx = 0;
    }
    return rc;
}

void waras_store__undo(waras_store *st, const char *name)
{
    char sql[96];
    snprintf(sql, sizeof(sql), "ROLLBACK TO %s; RELEASE %s", name, name);
    st->ops->script(st, sql, NULL);
    if (st->savepoint_tx) {
        st->ops->script(st, "ROLLBACK", NULL);
        st->savepoint_tx = 0;
    }
}
