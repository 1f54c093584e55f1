/*
 * Opsgenie alerts into the store. The Alert API's JSON (a list of alerts,
 * {"data":[...]} or one {"data":{...}}) says who owned, acknowledged and
 * closed an alert and which users were responders, but not the single
 * notifications, so pages are incident-level: one push page per person
 * concerned at the alert's creation. report.ackTime and report.closeTime
 * are milliseconds after createdAt. Keys (source kind "opsgenie", per
 * person): page:ALERT and incident:ALERT, so re-exports of the same alerts
 * land on the same rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ingest/paging_internal.h"
#include "util/util.h"
#include "waras/error.h"

typedef struct og_run {
    paging_ctx pc;
    const char *path;
    ingest_tally actors; /* closers and owners that are not users ("System") */
    ingest_tally groups; /* team, schedule and escalation responders */
} og_run;

static const char *jstr(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static int field_error(og_run *r, size_t i, const char *field, const char *what)
{
    char f[64];
    snprintf(f, sizeof(f), "alerts[%zu].%s", i, field);
    return waras_error_set(WARAS_EPARSE, r->path, 0, f, "%s", what);
}

/* A user named by a string (username, which is an e-mail in Opsgenie).
 * Names without '@' that map to nobody are actors like "System" or an
 * integration, not users: tallied apart. person is "" when not a person. */
static int actor(og_run *r, const char *who, char person[WARAS_PERSON_ID_MAX])
{
    char found[WARAS_PERSON_ID_MAX];
    int rc = WARAS_ENOTFOUND;
    if (*who && strchr(who, '@'))
        rc = waras_ingest__paging_who(&r->pc, who, who, "", 0, person);
    else if (*who &&
             (waras_store_identity_find(found, sizeof(found), r->pc.f->st, "opsgenie", who) == 0 ||
              waras_store_identity_find(found, sizeof(found), r->pc.f->st, "name", who) == 0))
        rc = waras_ingest__paging_who(&r->pc, who, "", who, 0, person);
    else if (*who)
        waras_ingest__tally(&r->actors, who);
    if (rc == WARAS_ENOTFOUND) {
        person[0] = '\0';
        rc = 0;
    }
    return rc;
}

#define OG_PAGED_MAX 64

typedef struct og_list {
    char person[OG_PAGED_MAX][WARAS_PERSON_ID_MAX];
    int n;
} og_list;

static int list_add(og_list *l, const char *p)
{
    int rc = 0, seen = !*p;
    for (int i = 0; i < l->n && !seen; i++)
        seen = strcmp(l->person[i], p) == 0;
    if (!seen && l->n < OG_PAGED_MAX)
        waras_strlcpy(l->person[l->n++], p, sizeof(l->person[0]));
    else if (!seen)
        rc = waras_error_msg(WARAS_ELIMIT, "more than %d people paged for one alert", OG_PAGED_MAX);
    return rc;
}

static int ms_after(og_run *r, json_t *report, const char *key, size_t i, waras_instant created,
                    waras_instant *out, int *has)
{
    json_t *v = json_object_get(report, key);
    int rc = 0;
    *has = 0;
    if (!v || json_is_null(v))
        goto cleanup;
    if (!json_is_number(v) || json_number_value(v) < 0 || json_number_value(v) > 1e13) {
        char f[32];
        snprintf(f, sizeof(f), "report.%s", key);
        rc = field_error(r, i, f, "not a number of milliseconds");
        goto cleanup;
    }
    *out = created + (waras_instant)(json_number_value(v) / 1000.0 + 0.5);
    if (!waras_time__instant_in_range(*out)) {
        char f[32];
        snprintf(f, sizeof(f), "report.%s", key);
        rc = field_error(r, i, f, "ends " WARAS_TIME__OUT_OF_RANGE);
        goto cleanup;
    }
    *has = 1;
cleanup:
    return rc;
}

static int put_alert_event(og_run *r, const char *person, const char *kind, const char *id,
                           waras_instant start, waras_instant end, json_t *attrs)
{
    char key[256];
    int rc = 0;
    char *text = json_dumps(attrs, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
    if (!text) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    snprintf(key, sizeof(key), "%s:%s", strcmp(kind, "page") == 0 ? "page" : "incident", id);
    rc = waras_ingest__paging_put(&r->pc, person, kind, start, end, key, text);
cleanup:
    free(text);
    return rc;
}

/* User responders go to the paged list; teams, schedules and escalations
 * are counted, since the alert does not say who in them was notified. */
static int responders(og_run *r, json_t *a, og_list *paged)
{
    size_t k;
    json_t *resp;
    int rc = 0;
    json_array_foreach(json_object_get(a, "responders"), k, resp)
    {
        char person[WARAS_PERSON_ID_MAX], what[64];
        const char *type = jstr(resp, "type"), *uname = jstr(resp, "username");
        if (*type && strcmp(type, "user") != 0) {
            snprintf(what, sizeof(what), "%.50s", type);
            waras_ingest__tally(&r->groups, what);
            continue;
        }
        /* The username (an e-mail) is what acknowledgedBy and owner use too. */
        rc = waras_ingest__paging_who(&r->pc, *uname ? uname : jstr(resp, "id"),
                                      strchr(uname, '@') ? uname : "", jstr(resp, "name"), 0,
                                      person);
        if (rc == 0)
            rc = list_add(paged, person);
        if (rc == WARAS_ENOTFOUND)
            rc = 0; /* counted as unmapped */
        if (rc)
            break;
    }
    return rc;
}

static int alert(og_run *r, json_t *a, size_t i)
{
    waras_instant created, ack = 0, close = 0;
    int has_ack = 0, has_close = 0, rc = 0;
    char owner[WARAS_PERSON_ID_MAX] = "", acker[WARAS_PERSON_ID_MAX] = "", closer[WARAS_PERSON_ID_MAX] = "";
    og_list *paged = NULL;
    json_t *page_attrs = NULL, *inc_attrs = NULL, *report = json_object_get(a, "report");
    const char *id = jstr(a, "id"), *created_s = jstr(a, "createdAt");
    if (!json_is_object(a) || !*id || strlen(id) > 200) {
        rc = field_error(r, i, "id",
                         !json_is_object(a) ? "an alert must be an object"
                         : *id              ? "alert id too long"
                                            : "missing alert id");
        goto cleanup;
    }
    r->pc.f->res->rows++;
    char what[160];
    const char *why = waras_ingest__paging_time_why(&created, what, sizeof(what), created_s,
                                                    "missing or not a time with a UTC offset");
    if (why) {
        rc = field_error(r, i, "createdAt", why);
        goto cleanup;
    }
    if ((rc = ms_after(r, report, "ackTime", i, created, &ack, &has_ack)) ||
        (rc = ms_after(r, report, "closeTime", i, created, &close, &has_close)))
        goto cleanup;
    if (!(paged = calloc(1, sizeof(*paged)))) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    /* Who was paged: user responders, the owner, and whoever acknowledged;
     * the closer when nobody else is named (closing it, it reached them). */
    if ((rc = responders(r, a, paged)) || (rc = actor(r, jstr(a, "owner"), owner)) ||
        (rc = list_add(paged, owner)) || (rc = actor(r, jstr(report, "acknowledgedBy"), acker)) ||
        (rc = list_add(paged, acker)) || (rc = actor(r, jstr(report, "closedBy"), closer)) ||
        (!paged->n && (rc = list_add(paged, closer))))
        goto cleanup;
    page_attrs = json_pack("{s:s, s:s}", "channel", "push", "incident", id);
    inc_attrs = json_pack("{s:s, s:b}", "id", id, "resolved", has_close);
    if (!page_attrs || !inc_attrs ||
        (*jstr(a, "tinyId") &&
         json_object_set_new(inc_attrs, "tiny_id", json_string(jstr(a, "tinyId")))) ||
        (*jstr(a, "priority") &&
         json_object_set_new(inc_attrs, "priority", json_string(jstr(a, "priority"))))) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (int p = 0; p < paged->n && !rc; p++)
        rc = put_alert_event(r, paged->person[p], "page", id, created, created, page_attrs);
    /* Responses: the acknowledger from the ack, a different closer from the
     * alert's creation (their first page), both to the close. */
    if (!rc && acker[0] && has_ack)
        rc = put_alert_event(r, acker, "incident", id, ack, has_close && close > ack ? close : ack,
                             inc_attrs);
    if (!rc && closer[0] && strcmp(closer, acker) != 0 && has_close)
        rc = put_alert_event(r, closer, "incident", id, created, close, inc_attrs);
cleanup:
    free(paged);
    json_decref(page_attrs);
    json_decref(inc_attrs);
    return rc;
}

int waras_ingest_opsgenie(waras_ingest_result *res, waras_store *st, const char *path)
{
    ingest_file f;
    og_run r = {.path = path};
    json_t *root = NULL;
    int rc = waras_ingest__paging_begin(&root, &f, &r.pc, st, path, res, "opsgenie", "opsgenie",
                                        "Opsgenie");
    if (rc || res->already)
        goto cleanup;
    json_t *list = root;
    if (json_is_object(root) && json_object_get(root, "data"))
        list = json_object_get(root, "data");
    size_t i;
    json_t *a;
    if (json_is_array(list)) {
        json_array_foreach(list, i, a) if ((rc = alert(&r, a, i))) goto cleanup;
    } else if (json_is_object(list) && json_object_get(list, "createdAt")) {
        if ((rc = alert(&r, list, 0)))
            goto cleanup;
    } else {
        rc = waras_error_set(WARAS_EPARSE, path, 1, NULL,
                             "not Opsgenie alert JSON: expected a list of alerts or "
                             "{\"data\":[...]}");
        goto cleanup;
    }
    if ((rc = waras_ingest__paging_finish(&r.pc)))
        goto cleanup;
    waras_ingest__tally_note(&r.actors, "actions by non-users: ", res->note, sizeof(res->note));
    waras_ingest__tally_note(&r.groups, "group responders not expanded to people: ", res->note,
                             sizeof(res->note));
cleanup:
    json_decref(root);
    waras_ingest__paging_free(&r.pc);
    return waras_ingest__end(&f, rc);
}
