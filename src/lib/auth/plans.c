/*
 * Recorded plans as the service lists and fetches them: the header rows of
 * the plans table (kind, team, span, the shape and weeks a planner noted in
 * its attributes). Reading a plan's turns goes through the store's public
 * waras_store_plan_assignments_each(); who may see which rows is decided
 * by the access rule in the caller (WARAS_DATA_PLANS for the team, with the
 * asker's team from waras_auth_user_team(), then WARAS_DATA_WORK per turn).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>

#include "auth/accounts_int.h"
#include "util/util.h"
#include "waras/auth.h"
#include "waras/error.h"

static void row_read(sqlite3_stmt *s, waras_plan_info *p)
{
    const unsigned char *v;
    memset(p, 0, sizeof(*p));
    p->id = sqlite3_column_int64(s, 0);
    v = sqlite3_column_text(s, 1);
    waras_strlcpy(p->kind, v ? (const char *)v : "", sizeof(p->kind));
    v = sqlite3_column_text(s, 2);
    waras_strlcpy(p->team, v ? (const char *)v : "", sizeof(p->team));
    p->created_at = sqlite3_column_int64(s, 3);
    p->start = sqlite3_column_int64(s, 4);
    p->end = sqlite3_column_int64(s, 5);
    v = sqlite3_column_text(s, 6);
    json_t *attrs = v ? json_loads((const char *)v, 0, NULL) : NULL;
    const char *shape = json_string_value(json_object_get(attrs, "shape"));
    waras_strlcpy(p->shape, shape ? shape : "", sizeof(p->shape));
    /* On-call plans note their weeks, quiet plans the weeks chosen and
     * recovery plans their window. */
    json_t *weeks = json_object_get(attrs, "weeks");
    p->weeks = json_is_array(weeks) ? (int)json_array_size(weeks) : (int)json_integer_value(weeks);
    if (!weeks)
        p->weeks = (int)json_integer_value(json_object_get(attrs, "window_weeks"));
    const char *project = json_string_value(json_object_get(attrs, "project"));
    waras_strlcpy(p->project, project ? project : "", sizeof(p->project));
    json_decref(attrs);
}

#define PLAN_COLUMNS                                                                               \
    "SELECT id, kind, coalesce(team, ''), created_at, start, \"end\", attrs FROM plans"

int waras_auth_plan_list(waras_plan_info **out, size_t *n, waras_store *st, const char *kind,
                         const char *team)
{
    sqlite3_stmt *s = NULL;
    sqlite3 *db = waras_store__sqlite(st);
    waras_plan_info *v = NULL;
    size_t len = 0, cap = 0;
    *out = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(db, PLAN_COLUMNS " WHERE kind = ?1 AND team IS ?2 ORDER BY id DESC", -1,
                           &s, NULL) != SQLITE_OK)
        return waras_error_msg(WARAS_ESTORE, "cannot list plans: %s", sqlite3_errmsg(db));
    sqlite3_bind_text(s, 1, kind, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, team, -1, SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (len == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            waras_plan_info *nv = realloc(v, ncap * sizeof(*v));
            if (!nv) {
                free(v);
                sqlite3_finalize(s);
                return waras_error_msg(WARAS_ENOMEM, "out of memory");
            }
            v = nv;
            cap = ncap;
        }
        row_read(s, &v[len++]);
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        free(v);
        return waras_error_msg(WARAS_ESTORE, "cannot list plans: %s", sqlite3_errmsg(db));
    }
    *out = v;
    *n = len;
    return 0;
}

int waras_auth_plan_get(waras_plan_info *out, waras_store *st, int64_t id)
{
    sqlite3_stmt *s = NULL;
    sqlite3 *db = waras_store__sqlite(st);
    if (sqlite3_prepare_v2(db, PLAN_COLUMNS " WHERE id = ?1", -1, &s, NULL) != SQLITE_OK)
        return waras_error_msg(WARAS_ESTORE, "cannot read plan: %s", sqlite3_errmsg(db));
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        row_read(s, out);
    sqlite3_finalize(s);
    if (rc == SQLITE_DONE)
        return waras_error_msg(WARAS_ENOTFOUND, "no plan %lld", (long long)id);
    return rc == SQLITE_ROW ? 0 : waras_error_msg(WARAS_ESTORE, "cannot read plan");
}

int waras_auth_user_team(waras_user *u, waras_store *st)
{
    waras_person p;
    u->team[0] = '\0';
    if (u->role == WARAS_ROLE_ADMIN || !u->person[0])
        return 0;
    int rc = waras_store_person_get(&p, st, u->person);
    if (rc == WARAS_ENOTFOUND)
        return 0; /* a person gone from the store belongs to no team */
    if (rc)
        return rc;
    waras_strlcpy(u->team, p.team, sizeof(u->team));
    return 0;
}
