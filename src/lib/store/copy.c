/*
 * Copying one store into another (waras_store_copy), either backend to
 * either: every table, row by row, in one transaction of the destination.
 * A row is found in the destination by its natural key (a person's id, an
 * event's person, source kind and key, a source's kind and content hash,
 * a user's login, all of a plan's columns...); a missing row is added, a
 * different one updated, an equal one left, so that copying into a store
 * that already holds some of the rows merges, and copying twice changes
 * nothing. Row ids that other tables refer to (sources, plans, users,
 * survey rounds) are mapped from the source's to the destination's; into
 * an empty table rows keep their ids, so that a copy orders ties as the
 * original did. Before the commit every source row is checked: the
 * destination must hold it, value for value.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/backend.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/store.h"

/* Which id map a column refers to. */
enum { REF_NONE, REF_SOURCE, REF_PLAN, REF_USER, REF_ROUND, REF_COUNT_ };

typedef struct table_spec {
    const char *name;
    int ref_self;         /* REF_* of this table's own id column, or REF_NONE */
    const char *cols[12]; /* copied columns (SQL, quoted where needed), NULL-ended */
    int refs[12];         /* REF_* of each column */
    unsigned key;         /* bit i: column i is part of the natural key */
    const char *order;    /* ORDER BY of the source's walk */
} table_spec;

#define ALL_KEY 0xfffu

/* In the order of their references. */
static const table_spec tables[] = {
    {"people",
     REF_NONE,
     {"id", "name", "email", "team", "timezone", "site", "work_days", "work_start", "work_end"},
     {0},
     1u << 0,
     "id"},
    {"identities", REF_NONE, {"person", "kind", "value"}, {0}, 1u << 1 | 1u << 2, "kind, value"},
    {"sources",
     REF_SOURCE,
     {"kind", "path", "sha256", "ingested_at", "rows", "skipped"},
     {0},
     1u << 0 | 1u << 2,
     "id"},
    {"events",
     REF_NONE,
     {"person", "kind", "status", "start", "\"end\"", "all_day", "source", "source_kind",
      "source_key", "attrs", "utc_offset"},
     {0, 0, 0, 0, 0, 0, REF_SOURCE},
     1u << 0 | 1u << 7 | 1u << 8,
     "id"},
    {"survey_responses",
     REF_NONE,
     {"team", "person", "taken_on", "instrument", "scores", "answers", "source", "source_key"},
     {0, 0, 0, 0, 0, 0, REF_SOURCE},
     1u << 0 | 1u << 7,
     "id"},
    {"plans",
     REF_PLAN,
     {"kind", "team", "created_at", "start", "\"end\"", "attrs"},
     {0},
     ALL_KEY,
     "id"},
    {"plan_assignments",
     REF_NONE,
     {"plan", "person", "role", "start", "\"end\""},
     {REF_PLAN},
     ALL_KEY,
     "plan, start, person, role, \"end\""},
    {"users",
     REF_USER,
     {"login", "role", "person", "password_hash", "created_at"},
     {0},
     1u << 0,
     "id"},
    {"lead_teams", REF_NONE, {"\"user\"", "team"}, {REF_USER}, ALL_KEY, "\"user\", team"},
    {"sessions",
     REF_NONE,
     {"token_hash", "\"user\"", "csrf", "created_at", "expires_at"},
     {0, REF_USER},
     1u << 0,
     "token_hash"},
    {"api_tokens",
     REF_NONE,
     {"token_hash", "\"user\"", "name", "created_at", "expires_at", "revoked"},
     {0, REF_USER},
     1u << 0,
     "id"},
    {"calendar_tokens",
     REF_NONE,
     {"\"user\"", "token_hash", "created_at"},
     {REF_USER},
     1u << 0,
     "\"user\""},
    {"survey_rounds",
     REF_ROUND,
     {"teams", "opens", "closes", "opened_by", "created_at"},
     {0},
     ALL_KEY,
     "id"},
    {"survey_round_responses",
     REF_NONE,
     {"round", "person", "team", "source_key", "updated_at"},
     {REF_ROUND},
     1u << 0 | 1u << 1,
     "round, person"},
};

#define NTABLES (sizeof(tables) / sizeof(tables[0]))

/* The rows of a table as text: ncols values (id first when the table has
 * one it is referred to by), NULL for SQL NULL. */
typedef struct rowset {
    char **v;
    size_t rows, cap;
    int ncols;
} rowset;

static void rowset_free(rowset *r)
{
    for (size_t i = 0; i < r->rows * (size_t)r->ncols; i++)
        free(r->v[i]);
    free(r->v);
    memset(r, 0, sizeof(*r));
}

static int rowset_add(void *ctx, const waras_store_row *row)
{
    rowset *r = ctx;
    size_t need = (r->rows + 1) * (size_t)r->ncols;
    if (need > r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 1024;
        while (cap < need)
            cap *= 2;
        char **nv = realloc(r->v, cap * sizeof(*nv));
        if (!nv)
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        r->v = nv;
        r->cap = cap;
    }
    char **dst = r->v + r->rows * (size_t)r->ncols;
    for (int i = 0; i < r->ncols; i++) {
        const char *t = waras_store__text(row, i);
        dst[i] = NULL;
        if (t && !(dst[i] = waras_strdup(t))) {
            for (int k = 0; k < i; k++)
                free(dst[k]);
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        }
    }
    r->rows++;
    return 0;
}

static int ncols_of(const table_spec *t)
{
    int n = 0;
    while (n < 12 && t->cols[n])
        n++;
    return n;
}

/* "SELECT [id,] c1, c2 ... FROM t" into b. */
static int select_sql(waras_buf *b, const table_spec *t, int with_id)
{
    int rc = waras_buf_printf(b, "SELECT %s", with_id ? "id, " : "");
    for (int i = 0; !rc && t->cols[i]; i++)
        rc = waras_buf_printf(b, "%s%s", i ? ", " : "", t->cols[i]);
    return rc ? rc : waras_buf_printf(b, " FROM %s", t->name);
}

static int read_rows(rowset *out, waras_store *st, const table_spec *t, int with_id)
{
    waras_buf b;
    waras_buf_init(&b, 1 << 16);
    memset(out, 0, sizeof(*out));
    out->ncols = ncols_of(t) + (with_id ? 1 : 0);
    int rc = select_sql(&b, t, with_id);
    if (!rc)
        rc = waras_buf_printf(&b, " ORDER BY %s", t->order);
    if (rc) {
        waras_buf_free(&b);
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    }
    rc = waras_store__each(st, b.ptr, "cannot read the store to copy", NULL, 0, rowset_add, out);
    waras_buf_free(&b);
    if (rc)
        rowset_free(out);
    return rc;
}

/* A row as one string (values joined by 0x1f, NULL as 0x1e). */
static int row_key(waras_buf *b, char *const *v, int n)
{
    waras_buf_reset(b);
    int rc = 0;
    for (int i = 0; i < n && !rc; i++) {
        if (i)
            rc = waras_buf_addc(b, '\x1f');
        if (!rc)
            rc = v[i] ? waras_buf_add(b, v[i], strlen(v[i])) : waras_buf_addc(b, '\x1e');
    }
    return rc ? rc : waras_buf_addc(b, '\0');
}

/* The id maps, from the source's ids (text) to the destination's. */
typedef struct copy_state {
    waras_store *dst, *src;
    waras_strmap *maps[REF_COUNT_];
    int dst_pg;
} copy_state;

/* Replaces the referring columns' values with the destination's ids. */
static int map_refs(copy_state *cs, const table_spec *t, char **v)
{
    for (int i = 0; t->cols[i]; i++) {
        if (t->refs[i] == REF_NONE || !v[i])
            continue;
        long *slot = waras_strmap_slot(cs->maps[t->refs[i]], v[i]);
        if (!slot)
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        if (*slot <= 0)
            return waras_error_msg(WARAS_ESTORE, "%s: a row refers to %s %s, which is not there",
                                   t->name, t->cols[i], v[i]);
        char num[24];
        snprintf(num, sizeof(num), "%ld", *slot);
        char *copy = waras_strdup(num);
        if (!copy)
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        free(v[i]);
        v[i] = copy;
    }
    return 0;
}

/* The WHERE clause that finds a row by its key, NULL-safe, with the
 * key's values at ?first... in column order; identities compare values
 * without ASCII case, as their key does. */
static int where_key(waras_buf *b, const table_spec *t, int first)
{
    int rc = waras_buf_printf(b, " WHERE "), p = first, k = 0;
    for (int i = 0; !rc && t->cols[i]; i++) {
        if (!(t->key & (1u << i)))
            continue;
        const char *c = t->cols[i];
        if (strcmp(t->name, "identities") == 0 && strcmp(c, "value") == 0)
            rc = waras_buf_printf(b, "%slower(value) = lower(?%d)", k++ ? " AND " : "", p++);
        else
            rc = waras_buf_printf(b, "%s(%s = ?%d OR (%s IS NULL AND ?%d IS NULL))",
                                  k++ ? " AND " : "", c, p, c, p);
        p++;
    }
    return rc;
}

/* Values as the helpers' parameters: text for every value. */
static void as_vals(waras_store_val *out, char *const *v, int n, unsigned mask)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        if (mask & (1u << i))
            out[k++] = WARAS_SQL_T(v[i]);
}

/* The destination's row with this key: 1 with its values (and id) in
 * *found, 0 without, or an error. */
static int find_row(rowset *found, copy_state *cs, const table_spec *t, char *const *v)
{
    waras_buf b;
    waras_store_val vals[12];
    int n = ncols_of(t), with_id = t->ref_self != REF_NONE;
    waras_buf_init(&b, 1 << 16);
    int rc = select_sql(&b, t, with_id);
    if (!rc)
        rc = where_key(&b, t, 1);
    if (rc) {
        waras_buf_free(&b);
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    }
    as_vals(vals, v, n, t->key);
    int nk = 0;
    for (int i = 0; i < n; i++)
        nk += (t->key >> i) & 1;
    memset(found, 0, sizeof(*found));
    found->ncols = n + with_id;
    rc = waras_store__each(cs->dst, b.ptr, "cannot read the destination", vals, nk, rowset_add,
                           found);
    waras_buf_free(&b);
    if (rc) {
        rowset_free(found);
        return rc;
    }
    return found->rows > 0;
}

static int same_values(char *const *a, char *const *b, int n)
{
    for (int i = 0; i < n; i++)
        if ((a[i] == NULL) != (b[i] == NULL) || (a[i] && strcmp(a[i], b[i]) != 0))
            return 0;
    return 1;
}

static int insert_row(int64_t *id, copy_state *cs, const table_spec *t, char *const *v,
                      const char *keep_id)
{
    waras_buf b;
    waras_store_val vals[13];
    int n = ncols_of(t), k = 0, rc;
    waras_buf_init(&b, 1 << 16);
    rc = waras_buf_printf(&b, "INSERT INTO %s (%s", t->name, keep_id ? "id, " : "");
    for (int i = 0; !rc && i < n; i++)
        rc = waras_buf_printf(&b, "%s%s", i ? ", " : "", t->cols[i]);
    if (!rc)
        rc = waras_buf_printf(&b, ") VALUES (");
    if (keep_id) {
        vals[k] = WARAS_SQL_T(keep_id);
        rc = rc ? rc : waras_buf_printf(&b, "?%d, ", ++k);
    }
    for (int i = 0; !rc && i < n; i++) {
        vals[k] = WARAS_SQL_T(v[i]);
        rc = waras_buf_printf(&b, "%s?%d", i ? ", " : "", ++k);
    }
    if (!rc)
        rc = waras_buf_printf(&b, ")");
    if (rc) {
        waras_buf_free(&b);
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    }
    if (t->ref_self != REF_NONE)
        rc = waras_store__insert(id, cs->dst, b.ptr, "cannot copy a row", vals, k);
    else
        rc = waras_store__exec(NULL, cs->dst, b.ptr, "cannot copy a row", vals, k);
    waras_buf_free(&b);
    return rc;
}

static int update_row(copy_state *cs, const table_spec *t, char *const *v)
{
    waras_buf b;
    waras_store_val vals[24];
    int n = ncols_of(t), k = 0, rc, sets = 0;
    waras_buf_init(&b, 1 << 16);
    /* Every column: a key that matched without ASCII case (an identity's
     * value) takes the source's spelling too. */
    rc = waras_buf_printf(&b, "UPDATE %s SET ", t->name);
    for (int i = 0; !rc && i < n; i++) {
        vals[k] = WARAS_SQL_T(v[i]);
        rc = waras_buf_printf(&b, "%s%s = ?%d", sets++ ? ", " : "", t->cols[i], ++k);
    }
    if (!rc)
        rc = where_key(&b, t, k + 1);
    if (rc) {
        waras_buf_free(&b);
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    }
    for (int i = 0; i < n; i++)
        if (t->key & (1u << i))
            vals[k++] = WARAS_SQL_T(v[i]);
    rc = waras_store__exec(NULL, cs->dst, b.ptr, "cannot update a row", vals, k);
    waras_buf_free(&b);
    return rc;
}

/* Copies one table; counts into *c. */
static int copy_table(waras_store_copy_count *c, copy_state *cs, const table_spec *t)
{
    rowset src = {0}, found = {0};
    int with_id = t->ref_self != REF_NONE, n = ncols_of(t);
    long dst_before = 0;
    int rc = read_rows(&src, cs->src, t, with_id);
    if (rc)
        return rc;
    {
        /* Into an empty table, no row needs looking up and ids are kept. */
        char sql[96];
        waras_store_row *r;
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", t->name);
        if ((rc = waras_store__row(&r, cs->dst, sql, "cannot count", NULL, 0)) < 0)
            goto cleanup;
        dst_before = rc ? (long)waras_store__int(r, 0) : 0;
        waras_store__row_free(r);
        rc = 0;
    }
    memset(c, 0, sizeof(*c));
    waras_strlcpy(c->table, t->name, sizeof(c->table));
    for (size_t i = 0; i < src.rows && !rc; i++) {
        char **row = src.v + i * (size_t)src.ncols;
        char **v = row + with_id;
        int64_t id = 0;
        c->rows++;
        if ((rc = map_refs(cs, t, v)))
            break;
        int have = dst_before ? find_row(&found, cs, t, v) : 0;
        if (have < 0) {
            rc = have;
            break;
        }
        if (have) {
            char **f = found.v;
            if (with_id)
                id = strtoll(f[0], NULL, 10);
            if (!same_values(f + with_id, v, n)) {
                rc = update_row(cs, t, v);
                c->updated++;
            }
            rowset_free(&found);
        } else {
            rc = insert_row(&id, cs, t, v, with_id && !dst_before ? row[0] : NULL);
            c->added++;
        }
        if (!rc && with_id) {
            long *slot = waras_strmap_slot(cs->maps[t->ref_self], row[0]);
            if (!slot)
                rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
            else
                *slot = (long)id;
        }
    }
    /* PostgreSQL's identity sequence goes past the ids copied in. */
    if (!rc && with_id && cs->dst_pg && !dst_before && src.rows) {
        char sql[192];
        snprintf(sql, sizeof(sql),
                 "SELECT setval(pg_get_serial_sequence('%s', 'id'), (SELECT max(id) FROM %s))",
                 t->name, t->name);
        waras_store_row *r = NULL;
        rc = waras_store__row(&r, cs->dst, sql, "cannot set the id sequence", NULL, 0);
        waras_store__row_free(r);
        rc = rc < 0 ? rc : 0;
    }
cleanup:
    rowset_free(&src);
    return rc;
}

/* Every row of the source, mapped, is in the destination with the same
 * values: one walk of each side per table. */
static int check_table(copy_state *cs, const table_spec *t, const waras_store_copy_count *c)
{
    rowset src = {0}, dst = {0};
    waras_strmap *seen = NULL;
    waras_buf b;
    int with_id = t->ref_self != REF_NONE, n = ncols_of(t);
    int rc = read_rows(&src, cs->src, t, with_id);
    if (rc || (rc = read_rows(&dst, cs->dst, t, 0)))
        goto cleanup;
    waras_buf_init(&b, WARAS_BUF_DEFAULT_CAP);
    if ((rc = waras_strmap_new(&seen)))
        goto done;
    for (size_t i = 0; i < dst.rows && !rc; i++) {
        long *slot;
        if ((rc = row_key(&b, dst.v + i * (size_t)n, n)) ||
            !(slot = waras_strmap_slot(seen, b.ptr)))
            rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        else
            ++*slot;
    }
    for (size_t i = 0; i < src.rows && !rc; i++) {
        char **v = src.v + i * (size_t)src.ncols + with_id;
        long *slot;
        if ((rc = map_refs(cs, t, v)))
            break;
        if ((rc = row_key(&b, v, n)) || !(slot = waras_strmap_slot(seen, b.ptr)))
            rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        else if (*slot <= 0)
            rc = waras_error_msg(WARAS_ESTORE,
                                 "%s: row %zu of the source is not in the destination after the "
                                 "copy",
                                 t->name, i + 1);
    }
    if (!rc && (long)src.rows != c->rows)
        rc = waras_error_msg(WARAS_ESTORE, "%s: the source changed during the copy", t->name);
done:
    waras_buf_free(&b);
cleanup:
    waras_strmap_free(seen);
    rowset_free(&src);
    rowset_free(&dst);
    return rc;
}

int waras_store_copy(waras_store_copy_count **out, size_t *n, waras_store *dst, waras_store *src)
{
    copy_state cs = {.dst = dst, .src = src, .dst_pg = waras_store__is_pg_url(dst->where)};
    waras_store_copy_count *counts = calloc(NTABLES, sizeof(*counts));
    int rc = counts ? 0 : waras_error_msg(WARAS_ENOMEM, "out of memory");
    for (int i = 0; i < REF_COUNT_ && !rc; i++)
        rc = waras_strmap_new(&cs.maps[i]);
    if (!rc)
        rc = waras_store_begin(dst);
    for (size_t i = 0; i < NTABLES && !rc; i++)
        rc = copy_table(&counts[i], &cs, &tables[i]);
    for (size_t i = 0; i < NTABLES && !rc; i++)
        rc = check_table(&cs, &tables[i], &counts[i]);
    if (!rc)
        rc = waras_store_commit(dst);
    if (rc)
        waras_store_rollback(dst);
    for (int i = 0; i < REF_COUNT_; i++)
        waras_strmap_free(cs.maps[i]);
    if (rc) {
        free(counts);
        return rc;
    }
    *out = counts;
    *n = NTABLES;
    return 0;
}
