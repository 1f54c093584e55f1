/*
 * On-call rotas through the service: a lead runs `waras oncall plan` for
 * their team (the same library call, waras_oncall_plan_make, with a bounded
 * engine budget) and records it; the team's plans are listed, fetched as
 * JSON and downloaded as iCalendar; the /rota page does the same in a form.
 * Who sees what: running a plan needs the team's work data in full (its
 * lead); reading needs the lead, or membership of the team, and every turn
 * is then shown only when the rule lets the asker see that person's work
 * data, so a member sees their own turns and nobody else's.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "server.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/oncall.h"
#include "waras/store.h"
#include "waras/time.h"

/* plan_load: the plan exists but is not the asker's to see. */
#define PLAN_HIDDEN 1

/* What a plan request asks for, from a JSON body or the rota form. */
typedef struct plan_req {
    char team[64], from[16], shape[16];
    char roles[4][32];
    int nroles;
    long weeks;
    double max_share;
} plan_req;

static void day_label(char *out, size_t size, waras_date day)
{
    waras_date_format(out, size, day);
}

/* Checks the fields that both forms of the request share; 0 or an error
 * in rs. */
static int req_check(plan_req *q, waras_oncall_opts *o, srv_response *rs)
{
    waras_date from;
    if (!q->team[0]) {
        srv_json_error(rs, 400, "bad_request", "team", "name a team");
        return -1;
    }
    if (!q->from[0] || waras_date_parse(&from, q->from)) {
        srv_json_error(rs, 400, "bad_request", "from", "from is a date YYYY-MM-DD, years 1900 to 2200");
        return -1;
    }
    if (q->weeks < 1 || q->weeks > SRV_PLAN_MAX_WEEKS) {
        srv_json_error(rs, 400, "bad_request", "weeks", "weeks is a number from 1 to 26");
        return -1;
    }
    if (!q->shape[0] || strcmp(q->shape, "weekly") == 0)
        o->shape = WARAS_ONCALL_WEEKLY;
    else if (strcmp(q->shape, "daily") == 0)
        o->shape = WARAS_ONCALL_DAILY;
    else if (strcmp(q->shape, "follow-the-sun") == 0)
        o->shape = WARAS_ONCALL_FOLLOW_THE_SUN;
    else {
        srv_json_error(rs, 400, "bad_request", "shape", "shape is weekly, daily or follow-the-sun");
        return -1;
    }
    if (!q->nroles) {
        waras_strlcpy(q->roles[0], "primary", sizeof(q->roles[0]));
        q->nroles = 1;
    }
    if (q->max_share == 0)
        q->max_share = 0.25;
    if (!(q->max_share > 0 && q->max_share <= 1)) {
        srv_json_error(rs, 400, "bad_request", "max_share", "max_share is a fraction in (0, 1]");
        return -1;
    }
    o->team = q->team;
    o->first_day = from;
    o->weeks = (int)q->weeks;
    for (int i = 0; i < q->nroles; i++)
        o->roles[i] = q->roles[i];
    o->nroles = q->nroles;
    o->max_share = q->max_share;
    srv_plan_budget(&o->budget);
    return 0;
}

static int role_ok(const char *r)
{
    size_t n = strlen(r);
    if (n == 0 || n >= 32)
        return 0;
    for (; *r; r++)
        if (!((*r >= 'a' && *r <= 'z') || (*r >= 'A' && *r <= 'Z') || (*r >= '0' && *r <= '9') ||
              *r == '-' || *r == '_'))
            return 0;
    return 1;
}

static int str_field(char *dst, size_t size, json_t *v, const char *key, srv_response *rs)
{
    if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v) ||
        json_string_length(v) >= size) {
        srv_json_error(rs, 400, "bad_request", key, "the value must be a short string");
        return -1;
    }
    waras_strlcpy(dst, json_string_value(v), size);
    return 0;
}

/* The JSON body of POST /api/v1/plans/oncall. */
static int req_from_json(plan_req *q, const srv_request *rq, srv_response *rs)
{
    json_error_t err;
    json_t *o = json_loadb(rq->body ? rq->body : "", rq->body_len, JSON_REJECT_DUPLICATES, &err);
    const char *key;
    json_t *v;
    int rc = 0;
    memset(q, 0, sizeof(*q));
    if (!o || !json_is_object(o)) {
        srv_json_error(rs, 400, "bad_json", NULL, "the body is not a JSON object");
        json_decref(o);
        return -1;
    }
    json_object_foreach(o, key, v)
    {
        if (strcmp(key, "team") == 0) {
            rc = str_field(q->team, sizeof(q->team), v, key, rs);
        } else if (strcmp(key, "from") == 0) {
            rc = str_field(q->from, sizeof(q->from), v, key, rs);
        } else if (strcmp(key, "shape") == 0) {
            rc = str_field(q->shape, sizeof(q->shape), v, key, rs);
        } else if (strcmp(key, "weeks") == 0) {
            if (!json_is_integer(v) || json_integer_value(v) < 1 ||
                json_integer_value(v) > SRV_PLAN_MAX_WEEKS) {
                srv_json_error(rs, 400, "bad_request", key, "weeks is a number from 1 to 26");
                rc = -1;
            } else {
                q->weeks = (long)json_integer_value(v);
            }
        } else if (strcmp(key, "max_share") == 0) {
            double x = json_number_value(v);
            if (!json_is_number(v) || !(x > 0 && x <= 1)) {
                srv_json_error(rs, 400, "bad_request", key, "max_share is a fraction in (0, 1]");
                rc = -1;
            } else {
                q->max_share = x;
            }
        } else if (strcmp(key, "roles") == 0) {
            size_t i;
            json_t *r;
            if (!json_is_array(v) || json_array_size(v) < 1 || json_array_size(v) > 4) {
                srv_json_error(rs, 400, "bad_request", key, "roles is a list of 1 to 4 names");
                rc = -1;
            }
            json_array_foreach(v, i, r)
            {
                if (rc)
                    break;
                if (!json_is_string(r) || !role_ok(json_string_value(r)) ||
                    strlen(json_string_value(r)) != json_string_length(r)) {
                    srv_json_error(rs, 400, "bad_request", key,
                                   "a role is 1 to 31 of A-Z a-z 0-9 - _");
                    rc = -1;
                    break;
                }
                for (int j = 0; j < q->nroles; j++)
                    if (strcmp(q->roles[j], json_string_value(r)) == 0) {
                        srv_json_error(rs, 400, "bad_request", key, "a role is named twice");
                        rc = -1;
                    }
                if (!rc)
                    waras_strlcpy(q->roles[q->nroles++], json_string_value(r), 32);
            }
        } else {
            srv_json_error(rs, 400, "unknown_field", key,
                           "unknown field: a plan takes team, from, weeks, shape, roles and "
                           "max_share");
            rc = -1;
        }
        if (rc)
            break;
    }
    json_decref(o);
    if (!rc && !q->weeks) {
        srv_json_error(rs, 400, "bad_request", "weeks", "weeks is a number from 1 to 26");
        rc = -1;
    }
    return rc;
}

/* The rota form: team, from, weeks, shape, roles (comma-separated),
 * max_share (percent) and csrf (checked by the router). */
static int req_from_form(plan_req *q, const srv_request *rq, srv_response *rs)
{
    char v[128];
    memset(q, 0, sizeof(*q));
    static const char *const known[] = {"csrf",  "team",  "from",     "weeks",
                                        "shape", "roles", "max_share"};
    if (srv_form_check(rq, known, 7, rs))
        return -1;
    if (!srv_form_get(rq, "team", q->team, sizeof(q->team)))
        q->team[0] = '\0';
    if (!srv_form_get(rq, "from", q->from, sizeof(q->from)))
        q->from[0] = '\0';
    if (!srv_form_get(rq, "shape", q->shape, sizeof(q->shape)))
        q->shape[0] = '\0';
    if (srv_form_get(rq, "weeks", v, sizeof(v)) &&
        (waras_parse_long(v, &q->weeks) || q->weeks < 1 || q->weeks > SRV_PLAN_MAX_WEEKS)) {
        srv_json_error(rs, 400, "bad_request", "weeks", "weeks is a number from 1 to 26");
        return -1;
    }
    if (srv_form_get(rq, "max_share", v, sizeof(v)) && v[0]) {
        char *end;
        double pct = strtod(v, &end);
        if (end == v || *end || !(pct > 0 && pct <= 100)) {
            srv_json_error(rs, 400, "bad_request", "max_share",
                           "max_share is a percentage in (0, 100]");
            return -1;
        }
        q->max_share = pct / 100;
    }
    if (srv_form_get(rq, "roles", v, sizeof(v)) && v[0]) {
        char *save = NULL;
        for (char *r = strtok_r(v, ", ", &save); r; r = strtok_r(NULL, ", ", &save)) {
            if (q->nroles == 4 || !role_ok(r)) {
                srv_json_error(rs, 400, "bad_request", "roles",
                               "roles: 1 to 4 names of A-Z a-z 0-9 - _");
                return -1;
            }
            waras_strlcpy(q->roles[q->nroles++], r, 32);
        }
    }
    return 0;
}

/* Runs and records a plan for a team the asker leads. On success *plan is
 * made (free it) and, when feasible, recorded. */
static int run_plan(srv_app *app, const srv_auth *a, plan_req *q, waras_oncall_plan *plan,
                    srv_response *rs)
{
    waras_oncall_opts o = {0};
    waras_store *st = NULL;
    if (req_check(q, &o, rs))
        return -1;
    waras_subject whose = {NULL, q->team};
    if (waras_access_decide(&a->user, WARAS_DATA_WORK, &whose) != WARAS_ACCESS_ALLOWED) {
        srv_json_error(rs, 403, "forbidden", "team", "only the team's lead plans its rota");
        return -1;
    }
    if (waras_store_open(&st, app->db, 0)) {
        srv_json_error(rs, 500, "internal", NULL, "the store cannot be opened");
        return -1;
    }
    int rc = waras_oncall_plan_make(plan, st, &o);
    if (rc) {
        if (rc == WARAS_ENOTFOUND || rc == WARAS_EINVAL)
            srv_json_error(rs, 400, "bad_request", "team", waras_error_last()->message);
        else
            srv_json_error(rs, 500, "internal", NULL, "the plan could not be made");
        waras_store_close(st);
        return -1;
    }
    if (plan->feasible && waras_oncall_plan_record(plan, st)) {
        srv_json_error(rs, 500, "internal", NULL, "the plan could not be recorded");
        waras_oncall_plan_free(plan);
        waras_store_close(st);
        return -1;
    }
    waras_store_close(st);
    return 0;
}

void srv_api_plan_run(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs)
{
    plan_req q;
    waras_oncall_plan plan = {0};
    char *doc = NULL;
    if (rq->nargs) {
        srv_json_error(rs, 400, "unknown_field", rq->args[0].key,
                       "unknown parameter: the plan is described in the JSON body");
        return;
    }
    if (!rq->content_type || strncmp(rq->content_type, "application/json", 16) != 0) {
        srv_json_error(rs, 415, "unsupported_media_type", NULL, "send application/json");
        return;
    }
    if (req_from_json(&q, rq, rs) || run_plan(app, a, &q, &plan, rs))
        return;
    if (waras_oncall_plan_json(&doc, &plan)) {
        waras_oncall_plan_free(&plan);
        srv_json_error(rs, 500, "internal", NULL, "out of memory");
        return;
    }
    doc = srv_plan_answer_doc(doc, plan.feasible, plan.plan_id,
                              "no valid rota exists; why says which days and roles cannot be "
                              "covered");
    if (plan.feasible && doc) {
        char loc[64];
        snprintf(loc, sizeof(loc), "/api/v1/plans/%lld", (long long)plan.plan_id);
        srv_add_header(rs, "Location", loc);
    }
    srv_set_body(rs, plan.feasible ? 201 : 422, "application/json", doc);
    waras_oncall_plan_free(&plan);
}

/* The turns of one plan that the asker may see. */
typedef struct turns_ctx {
    int64_t plan;
    const srv_auth *a;
    waras_oncall_turn *v;
    size_t n, cap;
    int oom;
} turns_ctx;

static int turn_cb(void *ctx, const waras_plan_assignment *as)
{
    turns_ctx *c = ctx;
    if (as->plan != c->plan)
        return 0;
    waras_subject s = {as->person, as->team};
    if (waras_access_decide(&c->a->user, WARAS_DATA_WORK, &s) != WARAS_ACCESS_ALLOWED)
        return 0;
    if (c->n == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 32;
        waras_oncall_turn *nv = realloc(c->v, ncap * sizeof(*nv));
        if (!nv) {
            c->oom = 1;
            return 1;
        }
        c->v = nv;
        c->cap = ncap;
    }
    waras_oncall_turn *t = &c->v[c->n++];
    memset(t, 0, sizeof(*t));
    waras_strlcpy(t->person, as->person, sizeof(t->person));
    waras_strlcpy(t->shift, as->role, sizeof(t->shift));
    waras_strlcpy(t->role, as->role, sizeof(t->role));
    char *slash = strchr(t->role, '/');
    if (slash)
        *slash = '\0';
    t->start = as->start;
    t->end = as->end;
    return 0;
}

/* A recorded plan as the asker may see it, rebuilt as the planner's own
 * struct so that the planner's iCalendar writer serves it. The fairness
 * rows are the turns and hours of each visible person. */
static int plan_load(waras_oncall_plan *out, waras_plan_info *info, waras_store *st,
                     const srv_auth *a, int64_t id)
{
    turns_ctx c = {.plan = id, .a = a};
    memset(out, 0, sizeof(*out));
    int rc = waras_auth_plan_get(info, st, id);
    if (rc)
        return rc;
    if (strcmp(info->kind, "oncall") != 0)
        return WARAS_ENOTFOUND;
    if (!srv_plan_may_read(st, a, info->team))
        return PLAN_HIDDEN;
    rc = waras_store_plan_assignments_each(st, "oncall", info->team, info->start, info->end,
                                           turn_cb, &c);
    if (c.oom || rc) {
        free(c.v);
        return c.oom ? WARAS_ENOMEM : rc;
    }
    out->feasible = 1;
    waras_strlcpy(out->team, info->team, sizeof(out->team));
    out->shape = strcmp(info->shape, "daily") == 0            ? WARAS_ONCALL_DAILY
                 : strcmp(info->shape, "follow-the-sun") == 0 ? WARAS_ONCALL_FOLLOW_THE_SUN
                                                              : WARAS_ONCALL_WEEKLY;
    out->first_monday = srv_plan_utc_date(info->start);
    out->weeks = info->weeks;
    out->turns = c.v;
    out->nturns = c.n;
    out->plan_id = id;
    out->fair = calloc(c.n ? c.n : 1, sizeof(*out->fair));
    if (!out->fair) {
        free(c.v);
        out->turns = NULL;
        return WARAS_ENOMEM;
    }
    double horizon = (double)(info->end - info->start) / 3600.0;
    for (size_t i = 0; i < c.n; i++) {
        waras_oncall_fair *f = NULL;
        for (size_t k = 0; k < out->nfair && !f; k++)
            if (strcmp(out->fair[k].person, c.v[i].person) == 0)
                f = &out->fair[k];
        if (!f) {
            waras_person p;
            f = &out->fair[out->nfair++];
            waras_strlcpy(f->person, c.v[i].person, sizeof(f->person));
            if (!waras_store_person_get(&p, st, c.v[i].person)) {
                waras_strlcpy(f->name, p.name, sizeof(f->name));
                waras_strlcpy(f->email, p.email, sizeof(f->email));
            }
        }
        f->turns++;
        f->hours += (double)(c.v[i].end - c.v[i].start) / 3600.0;
        f->share = horizon > 0 ? f->hours / horizon : 0;
    }
    return 0;
}

static void plan_error(srv_response *rs, int rc)
{
    /* A plan one may not see and one that does not exist get the same
     * answer, so that ids do not tell which teams plan. */
    if (rc == WARAS_ENOTFOUND || rc == PLAN_HIDDEN)
        srv_json_error(rs, 404, "not_found", NULL, "no such plan");
    else
        srv_json_error(rs, 500, "internal", NULL, "the plan could not be read");
}

static json_t *plan_json(const waras_oncall_plan *p, const waras_plan_info *info, int all)
{
    char a[32], b[32];
    json_t *turns = json_array(), *fair = json_array();
    for (size_t i = 0; i < p->nturns; i++) {
        srv_plan_iso(a, sizeof(a), p->turns[i].start);
        srv_plan_iso(b, sizeof(b), p->turns[i].end);
        json_array_append_new(turns, json_pack("{s:s,s:s,s:s,s:s,s:s}", "person",
                                               p->turns[i].person, "role", p->turns[i].role,
                                               "shift", p->turns[i].shift, "start", a, "end", b));
    }
    for (size_t i = 0; i < p->nfair; i++)
        json_array_append_new(fair, json_pack("{s:s,s:i,s:f,s:f}", "person", p->fair[i].person,
                                              "turns", p->fair[i].turns, "hours",
                                              round(p->fair[i].hours * 100) / 100, "share",
                                              round(p->fair[i].share * 10000) / 10000));
    srv_plan_iso(a, sizeof(a), info->created_at);
    day_label(b, sizeof(b), p->first_monday);
    char ics[64];
    snprintf(ics, sizeof(ics), "/api/v1/plans/%lld.ics", (long long)info->id);
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:i,s:s,s:o,s:o,s:s}", "id", (json_int_t)info->id,
                     "kind", info->kind, "team", info->team, "created_at", a, "from", b, "shape",
                     info->shape, "weeks", info->weeks, "visible", all ? "team" : "own", "turns",
                     turns, "fairness", fair, "ics", ics);
}

static int parse_id(int64_t *id, const char *s, size_t len)
{
    *id = 0;
    if (len == 0 || len > 15)
        return -1;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        *id = *id * 10 + (s[i] - '0');
    }
    return *id > 0 ? 0 : -1;
}

void srv_api_plan_get(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs,
                      const char *rest)
{
    waras_store *st = NULL;
    waras_oncall_plan p;
    waras_plan_info info;
    int64_t id;
    size_t len = strlen(rest);
    int ics = len > 4 && strcmp(rest + len - 4, ".ics") == 0;
    if (rq->nargs) {
        srv_json_error(rs, 400, "unknown_field", rq->args[0].key,
                       "unknown parameter: a plan takes none");
        return;
    }
    if (parse_id(&id, rest, ics ? len - 4 : len)) {
        srv_json_error(rs, 404, "not_found", NULL, "no such plan");
        return;
    }
    if (waras_store_open(&st, app->db, 0)) {
        srv_json_error(rs, 500, "internal", NULL, "the store cannot be opened");
        return;
    }
    /* Quiet weeks and recovery leave have their own rendering. */
    if (waras_auth_plan_get(&info, st, id) == 0 && strcmp(info.kind, "oncall") != 0) {
        if (srv_plan_may_read(st, a, info.team))
            srv_remedy_get(st, a, &info, ics, rs);
        else
            plan_error(rs, PLAN_HIDDEN);
        waras_store_close(st);
        return;
    }
    int rc = plan_load(&p, &info, st, a, id);
    if (rc) {
        plan_error(rs, rc);
        waras_store_close(st);
        return;
    }
    waras_subject whose = {NULL, info.team};
    int all = waras_access_decide(&a->user, WARAS_DATA_WORK, &whose) == WARAS_ACCESS_ALLOWED;
    if (ics) {
        char *text = NULL;
        if (!p.nturns) {
            /* Nothing of this plan is the asker's: an empty calendar. */
            srv_set_body(rs, 200, "text/calendar; charset=utf-8",
                         waras_strdup("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//waras//on-call "
                                      "plan//EN\r\nEND:VCALENDAR\r\n"));
        } else if (waras_oncall_plan_ics(&text, &p)) {
            srv_json_error(rs, 500, "internal", NULL, "the calendar could not be written");
        } else {
            char disp[96];
            snprintf(disp, sizeof(disp), "attachment; filename=\"oncall-%lld.ics\"", (long long)id);
            srv_set_body(rs, 200, "text/calendar; charset=utf-8", text);
            srv_add_header(rs, "Content-Disposition", disp);
        }
    } else {
        json_t *o = plan_json(&p, &info, all);
        srv_set_body(rs, 200, "application/json",
                     o ? json_dumps(o, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL);
        json_decref(o);
    }
    waras_oncall_plan_free(&p);
    waras_store_close(st);
}

void srv_api_plans_list(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs)
{
    waras_store *st = NULL;
    waras_plan_info *v = NULL;
    size_t n = 0;
    for (int i = 0; i < rq->nargs; i++) {
        if (strcmp(rq->args[i].key, "kind") && strcmp(rq->args[i].key, "team")) {
            srv_json_error(rs, 400, "unknown_field", rq->args[i].key,
                           "unknown parameter: the list takes kind and team");
            return;
        }
    }
    const char *kind = srv_arg(rq, "kind"), *team = srv_arg(rq, "team");
    if (!kind)
        kind = "oncall";
    if (strcmp(kind, "oncall") && strcmp(kind, "quiet") && strcmp(kind, "recovery")) {
        srv_json_error(rs, 400, "bad_request", "kind", "kind is oncall, quiet or recovery");
        return;
    }
    if (!team || !*team) {
        srv_json_error(rs, 400, "bad_request", "team", "name a team: ?team=NAME");
        return;
    }
    if (srv_plan_open_team(&st, app, a, team, rs))
        return;
    if (waras_auth_plan_list(&v, &n, st, kind, team)) {
        srv_json_error(rs, 500, "internal", NULL, "the plans could not be read");
        waras_store_close(st);
        return;
    }
    waras_store_close(st);
    json_t *plans = json_array();
    for (size_t i = 0; plans && i < n; i++) {
        char c[32], s[32], e[32], url[64];
        srv_plan_iso(c, sizeof(c), v[i].created_at);
        srv_plan_iso(s, sizeof(s), v[i].start);
        srv_plan_iso(e, sizeof(e), v[i].end);
        snprintf(url, sizeof(url), "/api/v1/plans/%lld", (long long)v[i].id);
        json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:s}", "id", (json_int_t)v[i].id,
                              "kind", v[i].kind, "team", v[i].team, "created_at", c, "start", s,
                              "end", e, "shape", v[i].shape, "weeks", v[i].weeks, "url", url);
        if (o && v[i].project[0])
            json_object_set_new(o, "project", json_string(v[i].project));
        json_array_append_new(plans, o);
    }
    free(v);
    json_t *o = json_pack("{s:o}", "plans", plans);
    srv_set_body(rs, 200, "application/json",
                 o ? json_dumps(o, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL);
    json_decref(o);
}

/* The /rota page: the form (for the team's lead), the recorded plans with
 * their downloads, and the fairness table of one plan (the newest unless
 * ?plan= names another), each as far as the asker may see it. */
static void rota_render(srv_app *app, const srv_auth *a, const char *team, int64_t want,
                        const char *message, int status, srv_response *rs)
{
    waras_store *st = NULL;
    waras_plan_info *v = NULL, info;
    size_t n = 0;
    waras_buf b;
    if (srv_plan_open_team(&st, app, a, team, rs))
        return;
    if (waras_auth_plan_list(&v, &n, st, "oncall", team)) {
        srv_json_error(rs, 500, "internal", NULL, "the plans could not be read");
        waras_store_close(st);
        return;
    }
    waras_subject whose = {NULL, team};
    int lead = waras_access_decide(&a->user, WARAS_DATA_WORK, &whose) == WARAS_ACCESS_ALLOWED;
    char *tn = srv_html_escape(team);
    waras_buf_init(&b, 8 << 20);
    srv_html_head(&b, "On-call rota");
    srv_html_header_bar(&b, a);
    waras_buf_printf(&b,
                     "<h1>On-call rota: %s</h1>\n<p class=\"muted\"><a href=\"/\">My weeks</a>"
                     " &middot; <a href=\"/calendar\">Calendar subscription</a></p>\n",
                     tn ? tn : "");
    if (message) {
        char *m = srv_html_escape(message);
        waras_buf_printf(&b, "<p class=\"card error\" id=\"error\">%s</p>\n", m ? m : "");
        free(m);
    }
    if (lead) {
        char from[16];
        day_label(from, sizeof(from), waras_date_add(srv_plan_utc_date(waras_clock_now()), 7));
        waras_buf_printf(
            &b,
            "<h2>Plan next turns</h2>\n"
            "<form class=\"card\" id=\"plan-form\" method=\"post\" action=\"/rota\">\n"
            "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
            "<input type=\"hidden\" name=\"team\" value=\"%s\">\n"
            "<label for=\"from\">From (the plan starts that week's Monday)</label>"
            "<input type=\"text\" id=\"from\" name=\"from\" value=\"%s\" "
            "pattern=\"[0-9]{4}-[0-9]{2}-[0-9]{2}\" required>\n"
            "<label for=\"weeks\">Weeks (1 to %d)</label>"
            "<input type=\"text\" id=\"weeks\" name=\"weeks\" value=\"13\" inputmode=\"numeric\" "
            "required>\n"
            "<label for=\"shape\">Shape</label><select id=\"shape\" name=\"shape\">"
            "<option>weekly</option><option>daily</option><option>follow-the-sun</option>"
            "</select>\n"
            "<label for=\"roles\">Roles (comma-separated)</label>"
            "<input type=\"text\" id=\"roles\" name=\"roles\" value=\"primary\">\n"
            "<label for=\"max_share\">Most of the horizon one person is on call (%%)</label>"
            "<input type=\"text\" id=\"max_share\" name=\"max_share\" value=\"25\" "
            "inputmode=\"decimal\">\n"
            "<p><button type=\"submit\" id=\"run\">Plan and record</button></p>\n</form>\n",
            a->csrf, tn ? tn : "", from, SRV_PLAN_MAX_WEEKS);
    } else {
        waras_buf_printf(&b, "<p class=\"muted\">Your own turns in the team's plans.</p>\n");
    }
    free(tn);
    waras_buf_printf(&b, "<h2>Recorded plans</h2>\n");
    char tq[200];
    srv_query_value(tq, sizeof(tq), team);
    if (!n) {
        waras_buf_printf(&b, "<p class=\"card\" id=\"noplans\">No plan recorded yet.</p>\n");
    } else {
        waras_buf_printf(&b, "<div class=\"scroll\"><table id=\"plans\"><thead><tr><th>plan</th>"
                             "<th>from</th><th>weeks</th><th>shape</th><th>download</th>"
                             "</tr></thead><tbody>\n");
        for (size_t i = 0; i < n; i++) {
            char from[16];
            day_label(from, sizeof(from), srv_plan_utc_date(v[i].start));
            waras_buf_printf(&b,
                             "<tr><td><a href=\"?team=%s&amp;plan=%lld\">#%lld</a></td><td>%s</td>"
                             "<td>%d</td><td>%s</td><td><a class=\"ics\" "
                             "href=\"/api/v1/plans/%lld.ics\">.ics</a> &middot; <a "
                             "href=\"/api/v1/plans/%lld\">JSON</a></td></tr>\n",
                             tq, (long long)v[i].id, (long long)v[i].id, from, v[i].weeks,
                             v[i].shape, (long long)v[i].id, (long long)v[i].id);
        }
        waras_buf_printf(&b, "</tbody></table></div>\n");
    }
    int64_t show = want > 0 ? want : n ? v[0].id : 0;
    waras_oncall_plan p;
    if (show && plan_load(&p, &info, st, a, show) == 0 && strcmp(info.team, team) == 0) {
        waras_buf_printf(&b,
                         "<h2>Fairness of plan #%lld</h2>\n<div class=\"scroll\"><table "
                         "id=\"fairness\"><thead><tr><th>person</th><th>turns</th><th>hours</th>"
                         "<th>share</th></tr></thead><tbody>\n",
                         (long long)show);
        for (size_t i = 0; i < p.nfair; i++) {
            char *name = srv_html_escape(p.fair[i].name[0] ? p.fair[i].name : p.fair[i].person);
            waras_buf_printf(&b, "<tr><td>%s</td><td>%d</td><td>%.1f</td><td>%.1f%%</td></tr>\n",
                             name ? name : "", p.fair[i].turns, p.fair[i].hours,
                             100 * p.fair[i].share);
            free(name);
        }
        waras_buf_printf(&b, "</tbody></table></div>\n");
        waras_oncall_plan_free(&p);
    }
    free(v);
    waras_store_close(st);
    srv_html_finish(&b, rs, status);
}

void srv_page_rota(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs)
{
    const char *team = srv_arg(rq, "team"), *plan = srv_arg(rq, "plan");
    int64_t id = 0;
    for (int i = 0; i < rq->nargs; i++)
        if (strcmp(rq->args[i].key, "team") && strcmp(rq->args[i].key, "plan")) {
            srv_json_error(rs, 400, "unknown_field", rq->args[i].key,
                           "unknown parameter: the rota page takes team and plan");
            return;
        }
    if (!team || !*team) {
        srv_json_error(rs, 400, "bad_request", "team", "name a team: ?team=NAME");
        return;
    }
    if (plan && parse_id(&id, plan, strlen(plan))) {
        srv_json_error(rs, 400, "bad_request", "plan", "plan is a plan number");
        return;
    }
    rota_render(app, a, team, id, NULL, 200, rs);
}

void srv_page_rota_run(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs)
{
    plan_req q;
    waras_oncall_plan plan = {0};
    if (rq->nargs) {
        srv_json_error(rs, 400, "unknown_field", rq->args[0].key,
                       "unknown parameter: the form is in the body");
        return;
    }
    if (req_from_form(&q, rq, rs) || run_plan(app, a, &q, &plan, rs))
        return;
    if (!plan.feasible) {
        char msg[4200];
        snprintf(msg, sizeof(msg), "No valid rota exists: %s", plan.why);
        waras_oncall_plan_free(&plan);
        rota_render(app, a, q.team, 0, msg, 422, rs);
        return;
    }
    char tq[200], loc[300];
    srv_query_value(tq, sizeof(tq), q.team);
    snprintf(loc, sizeof(loc), "/rota?team=%s&plan=%lld", tq, (long long)plan.plan_id);
    waras_oncall_plan_free(&plan);
    srv_add_header(rs, "Location", loc);
    srv_set_body(rs, 303, "text/plain; charset=utf-8", waras_strdup("planned\n"));
}
