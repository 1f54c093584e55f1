/*
 * Grafana OnCall schedules into the store: the final_shifts JSON of its
 * public API (GET /api/v1/schedules/{id}/final_shifts), either a page of
 * it ({"count":..,"next":..,"results":[...]}), a list of such pages, or a
 * bare list of shifts. Each shift names its user by user_pk, user_email
 * and user_username and runs from shift_start to shift_end; it is stored
 * as an on-call shift exactly as the other on-call adapters store one
 * (kind "shift", attrs role "on-call"), keyed shift:grafana:START per person
 * so that overlapping exports of the same schedule land on the same rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ingest/paging_internal.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/ingest.h"

typedef struct gf_run {
    paging_ctx pc;
    const char *path;
} gf_run;

static const char *jstr(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static int field_error(gf_run *r, const char *where, size_t i, const char *field, const char *what)
{
    char f[96];
    snprintf(f, sizeof(f), "%s[%zu].%s", where, i, field);
    return waras_error_set(WARAS_EPARSE, r->path, 0, f, "%s", what);
}

static int shift_time(gf_run *r, json_t *s, const char *key, const char *where, size_t i,
                      waras_instant *out)
{
    json_t *v = json_object_get(s, key);
    if (!json_is_string(v))
        return field_error(r, where, i, key, "missing: a shift needs a start and an end");
    char what[160];
    const char *why = waras_ingest__paging_time_why(
        out, what, sizeof(what), json_string_value(v),
        "not an ISO 8601 time with a zone (e.g. 2026-11-02T09:00:00Z)");
    return why ? field_error(r, where, i, key, why) : 0;
}

static int one_shift(gf_run *r, json_t *s, const char *where, size_t i)
{
    waras_instant a, b;
    char key[64], *attrs = NULL;
    int rc;
    r->pc.f->res->rows++;
    if (!json_is_object(s))
        return field_error(r, where, i, "shift_start", "a shift is an object");
    if ((rc = shift_time(r, s, "shift_start", where, i, &a)) ||
        (rc = shift_time(r, s, "shift_end", where, i, &b)))
        return rc;
    if (b <= a)
        return field_error(r, where, i, "shift_end", "a shift ends after it starts");
    const char *pk = jstr(s, "user_pk"), *email = jstr(s, "user_email"),
               *username = jstr(s, "user_username");
    if (!*pk && !*email && !*username)
        return field_error(r, where, i, "user_email", "a shift names its user (user_pk, "
                                                      "user_email or user_username)");
    json_t *o = json_pack("{s:s, s:s}", "role", "on-call", "name", username);
    attrs = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII) : NULL;
    json_decref(o);
    if (!attrs)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    /* The grafana identity may hold the user's pk or username (the name
     * the iCal export puts in SUMMARY). */
    char found[WARAS_PERSON_ID_MAX];
    const char *id = *pk ? pk : username;
    if (*username && waras_store_identity_find(found, sizeof(found), r->pc.f->st, "grafana",
                                               username) == 0)
        id = username;
    snprintf(key, sizeof(key), "shift:grafana:%lld", (long long)a);
    rc = waras_ingest__paging_shift(&r->pc, id, email, username, a, b, key, attrs);
    free(attrs);
    return rc;
}

/* A page ({"results":[...]}) or a bare list of shifts. */
static int page(gf_run *r, json_t *v, int *found)
{
    json_t *list = json_is_object(v) ? json_object_get(v, "results") : v;
    const char *where = json_is_object(v) ? "results" : "shifts";
    size_t i;
    json_t *s;
    int rc = 0;
    if (!json_is_array(list))
        return 0;
    *found = 1;
    json_array_foreach(list, i, s) if ((rc = one_shift(r, s, where, i))) break;
    return rc;
}

int waras_ingest_grafana_oncall(waras_ingest_result *res, waras_store *st, const char *path)
{
    ingest_file f;
    gf_run r = {.path = path};
    json_t *root = NULL;
    int found = 0;
    int rc = waras_ingest__paging_begin(&root, &f, &r.pc, st, path, res, "grafana-oncall",
                                        "grafana", "Grafana OnCall");
    if (rc || res->already)
        goto cleanup;
    json_t *first = json_is_array(root) ? json_array_get(root, 0) : NULL;
    if (json_is_array(root) && json_is_object(first) && json_object_get(first, "results")) {
        /* A list of pages, as saved by following "next". */
        size_t i;
        json_t *p;
        json_array_foreach(root, i, p) if ((rc = page(&r, p, &found))) goto cleanup;
    } else if ((rc = page(&r, root, &found))) {
        goto cleanup;
    }
    if (!found) {
        rc = waras_error_set(WARAS_EPARSE, path, 1, NULL,
                             "not a Grafana OnCall final_shifts export: expected "
                             "{\"results\":[...]} or a list of shifts");
        goto cleanup;
    }
    rc = waras_ingest__paging_finish(&r.pc);
cleanup:
    json_decref(root);
    waras_ingest__paging_free(&r.pc);
    return waras_ingest__end(&f, rc);
}
