/*
 * Opsgenie schedule timelines into the store: the JSON of GET
 * /v2/schedules/{id}/timeline, whose data.finalTimeline.rotations[] hold
 * the periods (startDate, endDate, type, recipient) after overrides. Each
 * period of a user recipient is stored as an on-call shift exactly as the
 * other on-call adapters store one (kind "shift", attrs role "on-call",
 * the schedule's id and name), keyed shift:SCHEDULE:START per person so
 * that overlapping timeline windows land on the same rows. Recipients that
 * are teams or escalations, and periods without a recipient, are counted
 * in the note, not expanded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ingest/paging_internal.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/ingest.h"

typedef struct os_run {
    paging_ctx pc;
    const char *path;
    ingest_tally others; /* non-user recipients */
} os_run;

static const char *jstr(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static int field_error(os_run *r, size_t rot, size_t i, const char *field, const char *what)
{
    char f[128];
    snprintf(f, sizeof(f), "data.finalTimeline.rotations[%zu].periods[%zu].%s", rot, i, field);
    return waras_error_set(WARAS_EPARSE, r->path, 0, f, "%s", what);
}

static int period_time(os_run *r, json_t *p, const char *key, size_t rot, size_t i,
                       waras_instant *out)
{
    json_t *v = json_object_get(p, key);
    if (!json_is_string(v))
        return field_error(r, rot, i, key, "missing: a period needs a startDate and an endDate");
    char what[160];
    const char *why = waras_ingest__paging_time_why(
        out, what, sizeof(what), json_string_value(v),
        "not an ISO 8601 time with a zone (e.g. 2026-11-02T09:00:00Z)");
    return why ? field_error(r, rot, i, key, why) : 0;
}

static int period(os_run *r, json_t *p, size_t rot, size_t i, const char *sid, const char *sname,
                  const char *rname)
{
    waras_instant a, b;
    char key[256], *attrs = NULL;
    int rc;
    r->pc.f->res->rows++;
    if (!json_is_object(p))
        return field_error(r, rot, i, "startDate", "a period is an object");
    if ((rc = period_time(r, p, "startDate", rot, i, &a)) ||
        (rc = period_time(r, p, "endDate", rot, i, &b)))
        return rc;
    if (b <= a)
        return field_error(r, rot, i, "endDate", "a period ends after it starts");
    json_t *who = json_object_get(p, "recipient");
    const char *type = jstr(who, "type"), *name = jstr(who, "name"), *id = jstr(who, "id");
    if (!json_is_object(who) || strcmp(type, "user") != 0) {
        char what[64];
        snprintf(what, sizeof(what), "%.40s recipients", json_is_object(who) && *type ? type : "no");
        waras_ingest__tally(&r->others, what);
        r->pc.f->res->skipped++;
        return 0;
    }
    if (!*name && !*id)
        return field_error(r, rot, i, "recipient.name", "a user recipient needs a name");
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "role", "on-call", "schedule", sid, "name",
                          sname, "rotation", rname, "period", jstr(p, "type"));
    attrs = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII) : NULL;
    json_decref(o);
    if (!attrs)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    /* Opsgenie names a user by its username, which is an e-mail. */
    snprintf(key, sizeof(key), "shift:%.100s:%lld", sid, (long long)a);
    rc = waras_ingest__paging_shift(&r->pc, *name ? name : id, strchr(name, '@') ? name : "",
                                    strchr(name, '@') ? "" : name, a, b, key, attrs);
    free(attrs);
    return rc;
}

int waras_ingest_opsgenie_schedule(waras_ingest_result *res, waras_store *st, const char *path)
{
    ingest_file f;
    os_run r = {.path = path};
    json_t *root = NULL;
    int rc = waras_ingest__paging_begin(&root, &f, &r.pc, st, path, res, "opsgenie", "opsgenie",
                                        "Opsgenie");
    if (rc || res->already)
        goto cleanup;
    json_t *data = json_object_get(root, "data");
    json_t *rots = json_object_get(json_object_get(data, "finalTimeline"), "rotations");
    if (!json_is_array(rots)) {
        rc = waras_error_set(WARAS_EPARSE, path, 1, "data.finalTimeline.rotations",
                             "not an Opsgenie schedule timeline: expected "
                             "{\"data\":{\"finalTimeline\":{\"rotations\":[...]}}}");
        goto cleanup;
    }
    json_t *parent = json_object_get(data, "_parent");
    const char *sid = *jstr(parent, "id") ? jstr(parent, "id") : jstr(parent, "name");
    if (!*sid) {
        rc = waras_error_set(WARAS_EPARSE, path, 1, "data._parent.id",
                             "the timeline does not name its schedule");
        goto cleanup;
    }
    size_t k, i;
    json_t *rot, *p;
    json_array_foreach(rots, k, rot)
    {
        json_t *periods = json_object_get(rot, "periods");
        if (periods && !json_is_array(periods)) {
            char fld[96];
            snprintf(fld, sizeof(fld), "data.finalTimeline.rotations[%zu].periods", k);
            rc = waras_error_set(WARAS_EPARSE, path, 0, fld, "expected a list of periods");
            goto cleanup;
        }
        json_array_foreach(periods, i, p)
        {
            if ((rc = period(&r, p, k, i, sid, jstr(parent, "name"), jstr(rot, "name"))))
                goto cleanup;
        }
    }
    if ((rc = waras_ingest__paging_finish(&r.pc)))
        goto cleanup;
    waras_ingest__tally_note(&r.others, "periods of non-users left out: ", res->note,
                             sizeof(res->note));
cleanup:
    json_decref(root);
    waras_ingest__paging_free(&r.pc);
    return waras_ingest__end(&f, rc);
}
