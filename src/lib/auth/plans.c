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

#include "auth/accounts_int.h"
#include "util/util.h"
#include "waras/auth.h"
#include "waras/error.h"

/* A plans row into *p (a waras_store_fill_fn, for waras_store__list). */
static void row_read(void *elem, const waras_store_row *s)
{
    waras_plan_info *p = elem;
    memset(p, 0, sizeof(*p));
    p->id = waras_store__int(s, 0);
    waras_store__copy(s, 1, p->kind, sizeof(p->kind));
    waras_store__copy(s, 2, p->team, sizeof(p->team));
    p->created_at = waras_store__int(s, 3);
    p->start = waras_store__int(s, 4);
    p->end = waras_store__int(s, 5);
    const char *v = waras_store__text(s, 6);
    json_t *attrs = v ? json_loads(v, 0, NULL) : NULL;
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
    *out = NULL;
    *n = 0;
    return waras_store__list(out, n, st,
                             PLAN_COLUMNS " WHERE kind = ?1 AND (team = ?2 OR"
                                          " (team IS NULL AND ?2 IS NULL)) ORDER BY id DESC",
                             "cannot list plans",
                             WARAS_SQL_ARGS(WARAS_SQL_T(kind), WARAS_SQL_T(team)),
                             sizeof(waras_plan_info), row_read);
}

int waras_auth_plan_get(waras_plan_info *out, waras_store *st, int64_t id)
{
    waras_store_row *s = NULL;
    int rc = waras_store__row(&s, st, PLAN_COLUMNS " WHERE id = ?1", "cannot read plan",
                              WARAS_SQL_ARGS(WARAS_SQL_I(id)));
    if (rc < 0)
        return rc;
    if (!rc)
        return waras_error_msg(WARAS_ENOTFOUND, "no plan %lld", (long long)id);
    row_read(out, s);
    waras_store__row_free(s);
    return 0;
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
