/*
 * Uploads to ingest: POST /api/v1/ingest/KIND?name=FILE with the file as the
 * body, for the CLI's ingest kinds. The access rule decides who may (an
 * ingest file may hold anyone's data, so its subject is the organisation:
 * admins only). The body stays in memory and is handed to the library's
 * adapter under the client's name (waras_ingest_memory_set), so that the
 * semantics are the CLI's: one transaction per file, a bad file changes
 * nothing, the same content twice is a no-op, a changed file of the same
 * name replaces its earlier version. The name is only recorded and shown,
 * never used to open or write anything, and is refused unless it is a
 * plain relative name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "server.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/ingest.h"
#include "waras/store.h"
#include "waras/time.h"

/* The kinds, as the CLI names them, and the query parameters each takes
 * beside name. */
static const struct {
    const char *kind;
    const char *params; /* space-separated */
} kinds[] = {
    {"people", ""},      {"timesheet", ""}, {"ics", "person kind from to strict"},
    {"leave", "person"}, {"survey", ""},    {"pagerduty", ""},
    {"opsgenie", ""},    {"oncall", ""},
};

int srv_upload_name_ok(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > 255 || name[0] == '/')
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c < 0x20 || c == 0x7f || c == '\\')
            return 0;
    }
    /* No empty, "." or ".." component. */
    for (const char *p = name; *p;) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        if (len == 0 || (len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.'))
            return 0;
        p += len + (slash ? 1 : 0);
        if (slash && !*p)
            return 0; /* a trailing slash */
    }
    json_t *utf8 = json_string(name); /* NULL when not UTF-8 */
    json_decref(utf8);
    return utf8 != NULL;
}

static int has_param(const char *params, const char *key)
{
    size_t n = strlen(key);
    if (n == 0)
        return 0;
    for (const char *p = params; (p = strstr(p, key)); p += n)
        if ((p == params || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return 1;
    return 0;
}

/* The adapter's error as the API's error: the file's fault is 422 with the
 * CLI's message (NAME:LINE: field: message), the service's 500. */
static void ingest_error(srv_response *rs, int rc)
{
    const waras_error *e = waras_error_last();
    char msg[1800];
    waras_error_format(msg, sizeof(msg));
    if (srv_ingest_is_store_error(rc)) {
        srv_json_error(rs, 500, "internal", NULL, "the file could not be stored");
        return;
    }
    srv_json_error(rs, 422, "invalid_file", e->field[0] ? e->field : NULL, msg);
}

int srv_is_upload_path(const char *path)
{
    return strncmp(path, SRV_UPLOAD_PREFIX, strlen(SRV_UPLOAD_PREFIX)) == 0 ||
           strcmp(path, SRV_UPLOAD_FORM) == 0;
}

int srv_ingest_kind(const char *kind)
{
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strcmp(kind, kinds[i].kind) == 0)
            return (int)i;
    return -1;
}

int srv_ingest_run(waras_ingest_result *out, srv_app *app, int k, const char *name,
                   const waras_ingest_ics_opts *o, const char *body, size_t len)
{
    waras_store *st = NULL;
    int rc = waras_store_open(&st, app->db, 0);
    if (rc)
        return rc;
    waras_ingest_memory mem = {name, body, len};
    waras_ingest_memory_set(&mem);
    switch (k) {
    case 0:
        rc = waras_ingest_people(out, st, name);
        break;
    case 1:
        rc = waras_ingest_timesheet(out, st, name);
        break;
    case 2:
        rc = waras_ingest_ics(out, st, name, o);
        break;
    case 3:
        rc = waras_ingest_leave(out, st, name, o->person);
        break;
    case 4:
        rc = waras_ingest_survey(out, st, name);
        break;
    case 5:
        rc = waras_ingest_pagerduty(out, st, name);
        break;
    case 6:
        rc = waras_ingest_opsgenie(out, st, name);
        break;
    default:
        rc = waras_ingest_oncall_ics(out, st, name);
        break;
    }
    waras_ingest_memory_set(NULL);
    waras_store_close(st);
    return rc;
}

int srv_ingest_is_store_error(int rc)
{
    return rc == WARAS_ESTORE || rc == WARAS_ENOMEM || rc == WARAS_ERROR;
}

void srv_api_ingest(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs,
                    const char *kind)
{
    static const waras_subject org = {NULL, NULL};
    int k = srv_ingest_kind(kind);
    if (k < 0) {
        srv_json_error(rs, 404, "not_found", NULL,
                       "no such ingest kind (people, timesheet, ics, leave, survey, pagerduty, "
                       "opsgenie, oncall)");
        return;
    }
    if (waras_access_decide(&a->user, WARAS_DATA_INGEST, &org) != WARAS_ACCESS_ALLOWED) {
        srv_json_error(rs, 403, "forbidden", NULL, "only an admin may ingest files");
        return;
    }
    if (rq->uploads_busy) {
        srv_json_error(rs, 503, "busy", NULL, "other uploads are in progress; try again");
        return;
    }
    const char *name = NULL;
    waras_ingest_ics_opts o = {0};
    for (int i = 0; i < rq->nargs; i++) {
        const char *key = rq->args[i].key, *v = rq->args[i].value;
        int twice = 0;
        for (int j = 0; j < i; j++)
            twice |= strcmp(rq->args[j].key, key) == 0;
        if (twice) {
            srv_json_error(rs, 400, "bad_request", key, "the parameter is given twice");
            return;
        }
        if (strcmp(key, "name") == 0) {
            name = v;
        } else if (!has_param(kinds[k].params, key)) {
            srv_json_error(rs, 400, "unknown_field", key[0] ? key : NULL,
                           "unknown parameter for this kind");
            return;
        } else if (strcmp(key, "person") == 0) {
            o.person = v;
        } else if (strcmp(key, "kind") == 0) {
            if (strcmp(v, "meeting") && strcmp(v, "leave") && strcmp(v, "milestone")) {
                srv_json_error(rs, 400, "bad_request", key, "kind is meeting, leave or milestone");
                return;
            }
            o.kind = v;
        } else if (strcmp(key, "strict") == 0) {
            if (strcmp(v, "0") && strcmp(v, "1")) {
                srv_json_error(rs, 400, "bad_request", key, "strict is 0 or 1");
                return;
            }
            o.strict = v[0] == '1';
        } else if (waras_date_parse(key[0] == 'f' ? &o.from : &o.to, v)) {
            srv_json_error(rs, 400, "bad_request", key, "a date YYYY-MM-DD, years 1900 to 2200");
            return;
        }
    }
    if (!name) {
        srv_json_error(rs, 400, "bad_request", "name",
                       "name the file (?name=FILE): it is recorded as the source, so that a "
                       "changed file of the same name replaces its earlier version");
        return;
    }
    if (!srv_upload_name_ok(name)) {
        srv_json_error(rs, 400, "bad_request", "name",
                       "the name must be 1 to 255 bytes of UTF-8, relative, without '.' or "
                       "'..' components, backslashes or control characters");
        return;
    }
    if ((o.from.year != 0) != (o.to.year != 0)) {
        srv_json_error(rs, 400, "bad_request", o.from.year ? "to" : "from",
                       "from and to go together");
        return;
    }
    if (rq->body_len == 0) {
        srv_json_error(rs, 400, "bad_request", NULL, "the upload is empty");
        return;
    }
    waras_ingest_result r;
    int rc = srv_ingest_run(&r, app, k, name, &o, rq->body, rq->body_len);
    if (rc) {
        ingest_error(rs, rc);
        return;
    }
    json_t *doc =
        json_pack("{s:s,s:s,s:b,s:I,s:I,s:I,s:I,s:I,s:I,s:s}", "kind", kind, "name", name,
                  "already", r.already, "rows", (json_int_t)r.rows, "added", (json_int_t)r.added,
                  "unchanged", (json_int_t)r.unchanged, "removed", (json_int_t)r.removed, "skipped",
                  (json_int_t)r.skipped, "warnings", (json_int_t)r.warnings, "note", r.note);
    srv_send_json(rs, 200, doc);
}
