/*
 * The pieces both store backends share, below the neutral layer: reading
 * a row of either backend, collecting rows into an array, the set of
 * people a bulk transaction has checked, and the kinds filter of the
 * event walk. It calls nothing of store.c, sqlite.c or pg.c.
 */
#include <stdlib.h>
#include <string.h>

#include "store/backend.h"
#include "util/util.h"
#include "waras/error.h"

/* --- rows --- */

const char *waras_store__text(const waras_store_row *r, int col)
{
    if (r->sq)
        return (const char *)sqlite3_column_text(r->sq, col);
    if (PQgetisnull(r->pg, r->row, col))
        return NULL;
    return PQgetvalue(r->pg, r->row, col);
}

int64_t waras_store__int(const waras_store_row *r, int col)
{
    if (r->sq)
        return sqlite3_column_int64(r->sq, col);
    const char *v = waras_store__text(r, col);
    return v ? (int64_t)strtoll(v, NULL, 10) : 0;
}

int waras_store__isnull(const waras_store_row *r, int col)
{
    if (r->sq)
        return sqlite3_column_type(r->sq, col) == SQLITE_NULL;
    return PQgetisnull(r->pg, r->row, col);
}

void waras_store__copy(const waras_store_row *r, int col, char *dst, size_t size)
{
    const char *v = waras_store__text(r, col);
    waras_strlcpy(dst, v ? v : "", size);
}

/* --- handing rows to a caller --- */

int waras_store__survey_row(void *ctx, const waras_store_row *r)
{
    const waras_store_walk *w = ctx;
    waras_store_survey_row row = {
        .team = waras_store__text(r, 0),
        .person = waras_store__text(r, 1),
        .taken_on = waras_store__text(r, 2),
        .instrument = waras_store__text(r, 3),
        .scores = waras_store__text(r, 4),
    };
    return w->survey(w->ctx, &row);
}

int waras_store__event_row(void *ctx, const waras_store_row *r)
{
    const waras_store_walk *w = ctx;
    waras_event ev = {
        .person = waras_store__text(r, 0),
        .kind = waras_store__text(r, 1),
        .status = waras_store__text(r, 2),
        .start = waras_store__int(r, 3),
        .end = waras_store__int(r, 4),
        .all_day = (int)waras_store__int(r, 5),
        .source = waras_store__int(r, 6),
        .source_kind = waras_store__text(r, 7),
        .source_key = waras_store__text(r, 8),
        .attrs = waras_store__text(r, 9),
        .has_utc_offset = !waras_store__isnull(r, 10),
        .utc_offset = (int)waras_store__int(r, 10),
    };
    if (w->kinds && !waras_store__kind_listed(w->kinds, ev.kind))
        return 0;
    return w->event(w->ctx, &ev);
}

int waras_store__plan_row(void *ctx, const waras_store_row *r)
{
    const waras_store_walk *w = ctx;
    const char *team = waras_store__text(r, 2);
    waras_plan_assignment a = {
        .plan = waras_store__int(r, 0),
        .kind = waras_store__text(r, 1),
        .team = team ? team : "",
        .person = waras_store__text(r, 3),
        .role = waras_store__text(r, 4),
        .start = waras_store__int(r, 5),
        .end = waras_store__int(r, 6),
        .plan_start = waras_store__int(r, 7),
        .plan_end = waras_store__int(r, 8),
    };
    return w->plan(w->ctx, &a);
}

/* --- collecting rows --- */

int waras_store__list_row(void *ctx, const waras_store_row *r)
{
    waras_store_rowlist *l = ctx;
    int rc = waras_grow(&l->v, &l->cap, l->len, l->elem, 32);
    if (!rc)
        l->fill(l->v + l->elem * l->len++, r);
    return rc;
}

int waras_store__list_done(void *out, size_t *n, waras_store_rowlist *l, int rc)
{
    if (rc) {
        free(l->v);
        return rc;
    }
    memcpy(out, &l->v, sizeof(l->v));
    *n = l->len;
    return 0;
}

/* --- shared pieces --- */

static uint64_t str_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

void waras_store__known_clear(waras_store_known *k)
{
    for (size_t i = 0; i < k->cap; i++)
        free(k->slots[i]);
    free(k->slots);
    memset(k, 0, sizeof(*k));
}

int waras_store__known_has(const waras_store_known *k, const char *id)
{
    if (!k->cap)
        return 0;
    for (size_t i = str_hash(id) & (k->cap - 1); k->slots[i]; i = (i + 1) & (k->cap - 1))
        if (strcmp(k->slots[i], id) == 0)
            return 1;
    return 0;
}

int waras_store__known_add(waras_store_known *k, const char *id)
{
    if ((k->n + 1) * 2 > k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 64;
        char **ns = calloc(cap, sizeof(*ns));
        if (!ns)
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        for (size_t i = 0; i < k->cap; i++) {
            if (!k->slots[i])
                continue;
            size_t j = str_hash(k->slots[i]) & (cap - 1);
            while (ns[j])
                j = (j + 1) & (cap - 1);
            ns[j] = k->slots[i];
        }
        free(k->slots);
        k->slots = ns;
        k->cap = cap;
    }
    size_t i = str_hash(id) & (k->cap - 1);
    while (k->slots[i])
        i = (i + 1) & (k->cap - 1);
    if (!(k->slots[i] = waras_strdup(id)))
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    k->n++;
    return 0;
}

int waras_store__kind_listed(const char *kinds, const char *kind)
{
    size_t n = strlen(kind);
    for (const char *p = kinds; p && *p;) {
        const char *c = strchr(p, ',');
        size_t len = c ? (size_t)(c - p) : strlen(p);
        if (len == n && strncmp(p, kind, n) == 0)
            return 1;
        p = c ? c + 1 : NULL;
    }
    return 0;
}
