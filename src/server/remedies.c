/*
 * Quiet weeks and recovery leave through the service: a lead runs `waras
 * quiet plan` or `waras recovery plan` for their team (the same library
 * calls, with the service's bounded engine budget) and records the plan;
 * the answer is the CLI's JSON document (`--out FILE.json`) with the plan's
 * id and calendar. The /plans page does the same in two forms and shows
 * the explanation the CLI prints: each candidate week's cost or why it is
 * ruled out, who stays on call, the meetings cancelled; each member's rank,
 * load risk and leave, or why no staggering exists and what would make one.
 * A recorded plan is fetched as JSON or iCalendar through
 * /api/v1/plans/ID(.ics) (plans.c calls srv_remedy_get), each assignment
 * shown only when the rule lets the asker see that person's work data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "server.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/quiet.h"
#include "waras/recovery.h"
#include "waras/store.h"
#include "waras/time.h"

#define MAX_MEMBERS 64
#define MAX_QUIET_SPAN (SRV_PLAN_MAX_WEEKS * 7) /* days between the two dates */

typedef struct quiet_req {
    char team[64], from[16], to[16];
    long count;
} quiet_req;

typedef struct recovery_req {
    char team[64], project[128], ends[16];
    long days, window, max_away, min_staff;
    char members[MAX_MEMBERS][WARAS_PERSON_ID_MAX];
    int nmembers;
} recovery_req;

/* One field of a request: a string (str, size) or a number (num in
 * [min, max]). */
typedef struct field {
    const char *name;
    char *str;
    size_t size;
    long *num;
    long min, max;
} field;

static int id_ok(const char *s)
{
    size_t n = strlen(s);
    if (!n || n >= WARAS_PERSON_ID_MAX)
        return 0;
    for (; *s; s++)
        if ((unsigned char)*s < 0x21 || *s == ',' || *s == 0x7f)
            return 0;
    return 1;
}

static int add_member(recovery_req *r, const char *id, srv_response *rs)
{
    if (r->nmembers == MAX_MEMBERS || !id_ok(id)) {
        srv_json_error(rs, 400, "bad_request", "members",
                       "members is a list of at most 64 person ids");
        return -1;
    }
    waras_strlcpy(r->members[r->nmembers++], id, WARAS_PERSON_ID_MAX);
    return 0;
}

static int number_error(const field *f, srv_response *rs)
{
    char msg[96];
    snprintf(msg, sizeof(msg), "%s is a number from %ld to %ld", f->name, f->min, f->max);
    srv_json_error(rs, 400, "bad_request", f->name, msg);
    return -1;
}

static int string_error(const field *f, srv_response *rs)
{
    srv_json_error(rs, 400, "bad_request", f->name, "the value must be a short string");
    return -1;
}

/* A JSON object body into the fields (and, for recovery, its members). */
static int from_json(const field *f, size_t nf, recovery_req *members, const srv_request *rq,
                     srv_response *rs)
{
    json_error_t err;
    const char *key;
    json_t *o, *v;
    int rc = 0;
    if (!rq->content_type || strncmp(rq->content_type, "application/json", 16) != 0) {
        srv_json_error(rs, 415, "unsupported_media_type", NULL, "send application/json");
        return -1;
    }
    o = json_loadb(rq->body ? rq->body : "", rq->body_len, JSON_REJECT_DUPLICATES, &err);
    if (!o || !json_is_object(o)) {
        srv_json_error(rs, 400, "bad_json", NULL, "the body is not a JSON object");
        json_decref(o);
        return -1;
    }
    json_object_foreach(o, key, v)
    {
        size_t k = 0;
        while (k < nf && strcmp(f[k].name, key) != 0)
            k++;
        if (k < nf && f[k].str) {
            if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v) ||
                json_string_length(v) >= f[k].size)
                rc = string_error(&f[k], rs);
            else
                waras_strlcpy(f[k].str, json_string_value(v), f[k].size);
        } else if (k < nf) {
            if (!json_is_integer(v) || json_integer_value(v) < f[k].min ||
                json_integer_value(v) > f[k].max)
                rc = number_error(&f[k], rs);
            else
                *f[k].num = (long)json_integer_value(v);
        } else if (members && strcmp(key, "members") == 0 && !json_is_array(v)) {
            srv_json_error(rs, 400, "bad_request", "members", "members is a list of person ids");
            rc = -1;
        } else if (members && strcmp(key, "members") == 0) {
            size_t i;
            json_t *m;
            json_array_foreach(v, i, m)
            {
                if (!json_is_string(m) || strlen(json_string_value(m)) != json_string_length(m)) {
                    srv_json_error(rs, 400, "bad_request", "members",
                                   "members is a list of person ids");
                    rc = -1;
                }
                if (rc || (rc = add_member(members, json_string_value(m), rs)))
                    break;
            }
        } else {
            srv_json_error(rs, 400, "unknown_field", key,
                           members ? "unknown field: recovery leave takes team, project, ends, "
                                     "days, window, max_away, min_staff and members"
                                   : "unknown field: a quiet-week plan takes team, from, to and "
                                     "count");
            rc = -1;
        }
        if (rc)
            break;
    }
    json_decref(o);
    return rc;
}

/* The /plans form into the fields; known lists every field it may hold. */
static int from_form(const field *f, size_t nf, recovery_req *members, const srv_request *rq,
                     const char *const *known, int nknown, srv_response *rs)
{
    char v[1024];
    if (srv_form_check(rq, known, nknown, rs))
        return -1;
    for (size_t k = 0; k < nf; k++) {
        if (!srv_form_get(rq, f[k].name, v, sizeof(v)) || !v[0])
            continue;
        if (f[k].str) {
            if (strlen(v) >= f[k].size)
                return string_error(&f[k], rs);
            waras_strlcpy(f[k].str, v, f[k].size);
        } else if (waras_parse_long(v, f[k].num) || *f[k].num < f[k].min ||
                   *f[k].num > f[k].max) {
            return number_error(&f[k], rs);
        }
    }
    if (members && srv_form_get(rq, "members", v, sizeof(v)) && v[0]) {
        char *save = NULL;
        for (char *m = strtok_r(v, ", ", &save); m; m = strtok_r(NULL, ", ", &save))
            if (add_member(members, m, rs))
                return -1;
    }
    return 0;
}

static int parse_quiet(quiet_req *q, const srv_request *rq, int form, srv_response *rs)
{
    static const char *const known[] = {"csrf", "kind", "team", "from", "to", "count"};
    const field f[] = {
        {"team", q->team, sizeof(q->team), NULL, 0, 0},
        {"from", q->from, sizeof(q->from), NULL, 0, 0},
        {"to", q->to, sizeof(q->to), NULL, 0, 0},
        {"count", NULL, 0, &q->count, 1, 52},
    };
    memset(q, 0, sizeof(*q));
    q->count = 1;
    return form ? from_form(f, 4, NULL, rq, known, 6, rs) : from_json(f, 4, NULL, rq, rs);
}

static int parse_recovery(recovery_req *r, const srv_request *rq, int form, srv_response *rs)
{
    static const char *const known[] = {"csrf",   "kind",     "team",      "project", "ends",
                                        "days",   "window",   "max_away",  "min_staff",
                                        "members"};
    const field f[] = {
        {"team", r->team, sizeof(r->team), NULL, 0, 0},
        {"project", r->project, sizeof(r->project), NULL, 0, 0},
        {"ends", r->ends, sizeof(r->ends), NULL, 0, 0},
        {"days", NULL, 0, &r->days, 1, 20},
        {"window", NULL, 0, &r->window, 1, SRV_PLAN_MAX_WEEKS},
        {"max_away", NULL, 0, &r->max_away, 1, WARAS_RECOVERY_MAX_MEMBERS},
        {"min_staff", NULL, 0, &r->min_staff, 1, WARAS_RECOVERY_MAX_MEMBERS},
    };
    memset(r, 0, sizeof(*r));
    r->window = 6;
    return form ? from_form(f, 7, r, rq, known, 10, rs) : from_json(f, 7, r, rq, rs);
}

/* Only the team's lead plans for it: planning reads every member's work
 * data. */
static int may_plan(const srv_auth *a, const char *team, srv_response *rs)
{
    waras_subject whose = {NULL, team};
    if (!team[0]) {
        srv_json_error(rs, 400, "bad_request", "team", "name a team");
        return 0;
    }
    if (waras_access_decide(&a->user, WARAS_DATA_WORK, &whose) != WARAS_ACCESS_ALLOWED) {
        srv_json_error(rs, 403, "forbidden", "team", "only the team's lead plans for it");
        return 0;
    }
    return 1;
}

static void make_error(srv_response *rs, int rc, const char *field)
{
    if (rc == WARAS_ENOTFOUND || rc == WARAS_EINVAL)
        srv_json_error(rs, 400, "bad_request", field, waras_error_last()->message);
    else
        srv_json_error(rs, 500, "internal", NULL, "the plan could not be made");
}

/* Makes and, when feasible, records a quiet-week plan; on success plan is
 * made (free it), on an error answered in rs it is not. */
static int quiet_run(srv_app *app, const srv_auth *a, const quiet_req *q, waras_quiet_plan *plan,
                     srv_response *rs)
{
    waras_quiet_opts o = {.team = q->team, .count = (int)q->count};
    waras_store *st = NULL;
    if (!may_plan(a, q->team, rs))
        return -1;
    if (!q->from[0] || waras_date_parse(&o.from_day, q->from)) {
        srv_json_error(rs, 400, "bad_request", "from", "from is a date YYYY-MM-DD, years 1900 to 2200");
        return -1;
    }
    if (!q->to[0] || waras_date_parse(&o.to_day, q->to)) {
        srv_json_error(rs, 400, "bad_request", "to", "to is a date YYYY-MM-DD, years 1900 to 2200");
        return -1;
    }
    long span = waras_date_diff(o.to_day, o.from_day);
    if (span < 0 || span > MAX_QUIET_SPAN) {
        srv_json_error(rs, 400, "bad_request", "to",
                       "to is on or after from, at most 26 weeks later");
        return -1;
    }
    srv_plan_budget(&o.budget);
    if (waras_store_open(&st, app->db, 0)) {
        srv_json_error(rs, 500, "internal", NULL, "the store cannot be opened");
        return -1;
    }
    int rc = waras_quiet_plan_make(plan, st, &o);
    if (rc) {
        make_error(rs, rc, "team");
        waras_store_close(st);
        return -1;
    }
    if (plan->feasible && waras_quiet_plan_record(plan, st)) {
        srv_json_error(rs, 500, "internal", NULL, "the plan could not be recorded");
        waras_quiet_plan_free(plan);
        waras_store_close(st);
        return -1;
    }
    waras_store_close(st);
    return 0;
}

static int recovery_run(srv_app *app, const srv_auth *a, const recovery_req *r,
                        waras_recovery_plan *plan, srv_response *rs)
{
    const char *ids[MAX_MEMBERS];
    waras_recovery_opts o = {.team = r->team,
                             .project = r->project,
                             .days = (int)r->days,
                             .window_weeks = (int)r->window,
                             .max_away = (int)r->max_away,
                             .min_staff = (int)r->min_staff};
    waras_store *st = NULL;
    if (!may_plan(a, r->team, rs))
        return -1;
    if (!r->project[0]) {
        srv_json_error(rs, 400, "bad_request", "project", "name the project");
        return -1;
    }
    if (!r->ends[0] || waras_date_parse(&o.ends, r->ends)) {
        srv_json_error(rs, 400, "bad_request", "ends", "ends is a date YYYY-MM-DD, years 1900 to 2200");
        return -1;
    }
    if (!r->days) {
        srv_json_error(rs, 400, "bad_request", "days", "days is a number from 1 to 20");
        return -1;
    }
    if (r->max_away && r->min_staff) {
        srv_json_error(rs, 400, "bad_request", "min_staff", "give max_away or min_staff, not both");
        return -1;
    }
    for (int i = 0; i < r->nmembers; i++)
        ids[i] = r->members[i];
    o.members = r->nmembers ? ids : NULL;
    o.nmembers = (size_t)r->nmembers;
    srv_plan_budget(&o.budget);
    if (waras_store_open(&st, app->db, 0)) {
        srv_json_error(rs, 500, "internal", NULL, "the store cannot be opened");
        return -1;
    }
    int rc = waras_recovery_plan_make(plan, st, &o);
    if (rc) {
        make_error(rs, rc, r->nmembers ? "members" : "team");
        waras_store_close(st);
        return -1;
    }
    if (plan->feasible && waras_recovery_plan_record(plan, st)) {
        srv_json_error(rs, 500, "internal", NULL, "the plan could not be recorded");
        waras_recovery_plan_free(plan);
        waras_store_close(st);
        return -1;
    }
    waras_store_close(st);
    return 0;
}

/* The answer of a plan run: the CLI's document with the recorded plan's id
 * and calendar (201, Location), or with the error object of an infeasible
 * plan (422). doc is consumed. */
static void run_answer(srv_response *rs, char *doc, int feasible, int64_t id, const char *what)
{
    doc = srv_plan_answer_doc(doc, feasible, id, what);
    if (!doc) {
        srv_json_error(rs, 500, "internal", NULL, "out of memory");
        return;
    }
    if (feasible) {
        char loc[64];
        snprintf(loc, sizeof(loc), "/api/v1/plans/%lld", (long long)id);
        srv_add_header(rs, "Location", loc);
    }
    srv_set_body(rs, feasible ? 201 : 422, "application/json", doc);
}

static int no_args(const srv_request *rq, srv_response *rs)
{
    if (!rq->nargs)
        return 0;
    srv_json_error(rs, 400, "unknown_field", rq->args[0].key,
                   "unknown parameter: the plan is described in the body");
    return -1;
}

void srv_api_plan_quiet(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs)
{
    quiet_req q;
    waras_quiet_plan plan;
    char *doc = NULL;
    memset(&plan, 0, sizeof(plan));
    if (no_args(rq, rs) || parse_quiet(&q, rq, 0, rs) || quiet_run(app, a, &q, &plan, rs))
        return;
    if (waras_quiet_plan_json(&doc, &plan))
        doc = NULL;
    run_answer(rs, doc, plan.feasible, plan.plan_id,
               "no quiet week fits; why says which rule rules the weeks out");
    waras_quiet_plan_free(&plan);
}

void srv_api_plan_recovery(srv_app *app, const srv_request *rq, const srv_auth *a,
                           srv_response *rs)
{
    recovery_req r;
    waras_recovery_plan plan;
    char *doc = NULL;
    memset(&plan, 0, sizeof(plan));
    if (no_args(rq, rs) || parse_recovery(&r, rq, 0, rs) || recovery_run(app, a, &r, &plan, rs))
        return;
    if (waras_recovery_plan_json(&doc, &plan))
        doc = NULL;
    run_answer(rs, doc, plan.feasible, plan.plan_id,
               "no staggering holds; why says which rule, suggestion what would make one");
    waras_recovery_plan_free(&plan);
}

/* --- a recorded plan, as the asker may see it --- */

typedef struct seen {
    char person[WARAS_PERSON_ID_MAX], role[48];
    waras_instant start, end;
} seen;

typedef struct seen_ctx {
    int64_t plan;
    const srv_auth *a;
    seen *v;
    size_t n, cap;
    int oom;
} seen_ctx;

static int seen_cb(void *ctx, const waras_plan_assignment *as)
{
    seen_ctx *c = ctx;
    waras_subject s = {as->person, as->team};
    if (as->plan != c->plan ||
        waras_access_decide(&c->a->user, WARAS_DATA_WORK, &s) != WARAS_ACCESS_ALLOWED)
        return 0;
    if (c->n == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 32;
        seen *nv = realloc(c->v, ncap * sizeof(*nv));
        if (!nv) {
            c->oom = 1;
            return 1;
        }
        c->v = nv;
        c->cap = ncap;
    }
    seen *t = &c->v[c->n++];
    waras_strlcpy(t->person, as->person, sizeof(t->person));
    waras_strlcpy(t->role, as->role, sizeof(t->role));
    t->start = as->start;
    t->end = as->end;
    return 0;
}

/* The person and zone of an assignment; the UTC zone when unknown. */
static const waras_tz *person_zone(waras_person *p, waras_store *st, const char *id)
{
    const waras_tz *tz = NULL;
    memset(p, 0, sizeof(*p));
    if (waras_store_person_get(p, st, id))
        waras_strlcpy(p->id, id, sizeof(p->id));
    if (!p->timezone[0] || waras_tz_get(&tz, p->timezone))
        waras_tz_get(&tz, "UTC");
    return tz;
}

/* The quiet weeks of the visible assignments, rebuilt as the planner's own
 * struct so that its iCalendar writer serves them. */
static int quiet_ics(char **out, waras_store *st, const waras_plan_info *info, const seen *v,
                     size_t n)
{
    waras_quiet_plan p;
    memset(&p, 0, sizeof(p));
    waras_strlcpy(p.team, info->team, sizeof(p.team));
    p.feasible = 1;
    p.weeks = calloc(n ? n : 1, sizeof(*p.weeks));
    p.members = calloc(n ? n : 1, sizeof(*p.members));
    if (!p.weeks || !p.members) {
        free(p.weeks);
        free(p.members);
        return WARAS_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        waras_person who;
        const waras_tz *tz = person_zone(&who, st, v[i].person);
        waras_date monday = waras_date_monday(waras_tz_date_of(tz, v[i].start));
        size_t w = 0, e = 0;
        while (w < p.nweeks && waras_date_cmp(p.weeks[w].monday, monday) != 0)
            w++;
        if (w == p.nweeks) {
            p.weeks[w].monday = monday;
            p.weeks[w].chosen = 1;
            waras_date_iso_week(&p.weeks[w].iso_year, &p.weeks[w].iso_week, monday);
            p.nweeks++;
        }
        while (e < p.nmembers && strcmp(p.members[e].id, v[i].person) != 0)
            e++;
        if (e == p.nmembers)
            p.members[p.nmembers++] = who;
    }
    int rc = waras_quiet_plan_ics(out, &p);
    free(p.weeks);
    free(p.members);
    return rc;
}

static int recovery_ics(char **out, waras_store *st, const waras_plan_info *info, const seen *v,
                        size_t n)
{
    waras_recovery_plan p;
    memset(&p, 0, sizeof(p));
    waras_strlcpy(p.team, info->team, sizeof(p.team));
    waras_strlcpy(p.project, info->project, sizeof(p.project));
    p.feasible = 1;
    p.leave = calloc(n ? n : 1, sizeof(*p.leave));
    if (!p.leave)
        return WARAS_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        waras_person who;
        const waras_tz *tz = person_zone(&who, st, v[i].person);
        waras_recovery_leave *l = &p.leave[p.nleave++];
        waras_strlcpy(l->person, who.id, sizeof(l->person));
        waras_strlcpy(l->name, who.name, sizeof(l->name));
        waras_strlcpy(l->email, who.email, sizeof(l->email));
        l->first_day = waras_tz_date_of(tz, v[i].start);
        l->last_day = waras_date_add(waras_tz_date_of(tz, v[i].end), -1);
    }
    int rc = waras_recovery_plan_ics(out, &p);
    free(p.leave);
    return rc;
}

void srv_remedy_get(waras_store *st, const srv_auth *a, const waras_plan_info *info, int ics,
                    srv_response *rs)
{
    seen_ctx c = {.plan = info->id, .a = a};
    int rc = waras_store_plan_assignments_each(st, info->kind, info->team, info->start, info->end,
                                               seen_cb, &c);
    if (rc || c.oom) {
        free(c.v);
        srv_json_error(rs, 500, "internal", NULL, "the plan could not be read");
        return;
    }
    if (ics) {
        char *text = NULL, disp[96];
        rc = strcmp(info->kind, "quiet") == 0 ? quiet_ics(&text, st, info, c.v, c.n)
                                               : recovery_ics(&text, st, info, c.v, c.n);
        if (rc) {
            srv_json_error(rs, 500, "internal", NULL, "the calendar could not be written");
        } else {
            snprintf(disp, sizeof(disp), "attachment; filename=\"%s-%lld.ics\"", info->kind,
                     (long long)info->id);
            srv_set_body(rs, 200, "text/calendar; charset=utf-8", text);
            srv_add_header(rs, "Content-Disposition", disp);
        }
        free(c.v);
        return;
    }
    waras_subject whose = {NULL, info->team};
    int all = waras_access_decide(&a->user, WARAS_DATA_WORK, &whose) == WARAS_ACCESS_ALLOWED;
    json_t *list = json_array();
    for (size_t i = 0; i < c.n; i++) {
        char s[32], e[32];
        srv_plan_iso(s, sizeof(s), c.v[i].start);
        srv_plan_iso(e, sizeof(e), c.v[i].end);
        json_array_append_new(list, json_pack("{s:s,s:s,s:s,s:s}", "person", c.v[i].person, "role",
                                              c.v[i].role, "start", s, "end", e));
    }
    free(c.v);
    char cr[32], s[32], e[32], url[64];
    srv_plan_iso(cr, sizeof(cr), info->created_at);
    srv_plan_iso(s, sizeof(s), info->start);
    srv_plan_iso(e, sizeof(e), info->end);
    snprintf(url, sizeof(url), "/api/v1/plans/%lld.ics", (long long)info->id);
    json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:i}", "id", (json_int_t)info->id, "kind",
                          info->kind, "team", info->team, "created_at", cr, "start", s, "end", e,
                          "weeks", info->weeks);
    if (o && info->project[0])
        json_object_set_new(o, "project", json_string(info->project));
    if (o) {
        json_object_set_new(o, "visible", json_string(all ? "team" : "own"));
        json_object_set_new(o, "assignments", list);
        json_object_set_new(o, "ics", json_string(url));
    } else {
        json_decref(list);
    }
    srv_set_body(rs, 200, "application/json",
                 o ? json_dumps(o, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL);
    json_decref(o);
}

/* --- the /plans page --- */

static void esc_printf(waras_buf *b, const char *fmt, const char *s)
{
    char *e = srv_html_escape(s ? s : "");
    waras_buf_printf(b, fmt, e ? e : "");
    free(e);
}

static void week_row(waras_buf *b, const waras_quiet_week *w)
{
    char day[16];
    waras_date_format(day, sizeof(day), w->monday);
    waras_buf_printf(b, "<tr%s><td>%04d-W%02d</td><td>%s</td>", w->chosen ? " class=\"chosen\"" : "",
                     w->iso_year, w->iso_week, day);
    if (w->excluded) {
        esc_printf(b, "<td colspan=\"5\" class=\"reasons\">ruled out: %s</td>", w->why);
    } else {
        waras_buf_printf(b, "<td>%ld</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td>", w->cost,
                         w->external_meetings, w->leave_days, w->holiday_days,
                         w->internal_meetings);
    }
    waras_buf_printf(b, "<td>%s</td></tr>\n", w->chosen ? "<strong>chosen</strong>" : "");
}

static void meetings_list(waras_buf *b, const waras_quiet_plan *p, int external, const char *id)
{
    int any = 0;
    waras_buf_printf(b, "<ul id=\"%s\">\n", id);
    for (size_t i = 0; i < p->nmeetings; i++) {
        const waras_quiet_meeting *m = &p->meetings[i];
        if (!p->weeks[m->week].chosen || m->external != external)
            continue;
        char when[32];
        srv_plan_iso(when, sizeof(when), m->start);
        waras_buf_printf(b, "<li>%s ", when);
        esc_printf(b, "%s", m->summary[0] ? m->summary : "(untitled)");
        esc_printf(b, " (%s; ", m->people ? m->people : "");
        esc_printf(b, "organiser %s)</li>\n", m->organizer[0] ? m->organizer : "unknown");
        any = 1;
    }
    waras_buf_printf(b, "%s</ul>\n", any ? "" : "<li>none</li>");
}

/* What `waras quiet plan` prints, as HTML. */
static void quiet_explain(waras_buf *b, const waras_quiet_plan *p)
{
    waras_buf_printf(b, "<section class=\"card\" id=\"result\">\n");
    if (p->feasible)
        waras_buf_printf(b, "<h2>Quiet week plan #%lld</h2>\n", (long long)p->plan_id);
    else
        esc_printf(b, "<h2>No quiet week fits</h2>\n<p class=\"error\" id=\"why\">%s</p>\n",
                   p->why);
    waras_buf_printf(b,
                     "<p class=\"muted\">cost = %d &times; meetings with people outside the team "
                     "+ %d &times; member-days on leave + %d &times; holiday member-days; a week "
                     "with a milestone in it or in the week before is ruled out.</p>\n"
                     "<div class=\"scroll\"><table id=\"quiet-weeks\"><thead><tr><th>week</th>"
                     "<th>Monday</th><th>cost</th><th>external</th><th>leave days</th>"
                     "<th>holiday days</th><th>internal to cancel</th><th></th></tr></thead>"
                     "<tbody>\n",
                     WARAS_QUIET_COST_EXTERNAL, WARAS_QUIET_COST_LEAVE, WARAS_QUIET_COST_HOLIDAY);
    for (size_t w = 0; w < p->nweeks; w++)
        week_row(b, &p->weeks[w]);
    waras_buf_printf(b, "</tbody></table></div>\n");
    if (!p->feasible) {
        waras_buf_printf(b, "</section>\n");
        return;
    }
    waras_buf_printf(b, "<h3>On call in the chosen weeks (cover goes on)</h3>\n<ul id=\"oncall\">");
    for (size_t i = 0; i < p->noncall; i++) {
        esc_printf(b, "<li>%s", p->oncall[i].person);
        esc_printf(b, " (%s)</li>", p->oncall[i].role);
    }
    waras_buf_printf(b, "%s</ul>\n", p->noncall ? "" : "<li>no recorded on-call plan</li>");
    waras_buf_printf(b, "<h3>Internal meetings cancelled</h3>\n");
    meetings_list(b, p, 0, "cancelled");
    waras_buf_printf(b, "<h3>External meetings, for the people to decide</h3>\n");
    meetings_list(b, p, 1, "external");
    waras_buf_printf(b,
                     "<p><a class=\"ics\" id=\"result-ics\" href=\"/api/v1/plans/%lld.ics\">"
                     "Download .ics</a> &middot; <a href=\"/api/v1/plans/%lld\">JSON</a></p>\n"
                     "</section>\n",
                     (long long)p->plan_id, (long long)p->plan_id);
}

/* What `waras recovery plan` prints, as HTML. */
static void recovery_explain(waras_buf *b, const waras_recovery_plan *p)
{
    char a[16], c[16];
    waras_buf_printf(b, "<section class=\"card\" id=\"result\">\n");
    waras_date_format(a, sizeof(a), p->first_monday);
    if (p->feasible) {
        waras_buf_printf(b, "<h2>Recovery leave plan #%lld</h2>\n", (long long)p->plan_id);
    } else {
        esc_printf(b, "<h2>No staggering holds</h2>\n<p class=\"error\" id=\"why\">%s</p>\n",
                   p->why);
        if (p->suggestion[0])
            esc_printf(b, "<p id=\"suggestion\">It would be feasible with %s.</p>\n",
                       p->suggestion);
    }
    esc_printf(b, "<p class=\"muted\">Project %s: ", p->project);
    waras_buf_printf(b,
                     "%d working days each, in a window of %d weeks from %s, at most %d away at "
                     "once; the highest load risk first.%s</p>\n",
                     p->days, p->window_weeks, a, p->cap,
                     p->joint ? " The rank order could not hold for everyone." : "");
    waras_buf_printf(b, "<div class=\"scroll\"><table id=\"recovery-leave\"><thead><tr>"
                        "<th>person</th><th>rank</th><th>load risk</th><th>recent h</th>"
                        "<th>first day</th><th>last day</th><th>on-call turns to re-plan</th>"
                        "</tr></thead><tbody>\n");
    for (size_t i = 0; i < p->nleave; i++) {
        const waras_recovery_leave *l = &p->leave[i];
        const char *level = l->risk_level ? l->risk_level : "low";
        esc_printf(b, "<tr><td>%s</td>", l->name[0] ? l->name : l->person);
        waras_buf_printf(b, "<td>%d</td><td><span class=\"level %s\">%s</span> %.0f</td>"
                            "<td>%.1f</td>",
                         l->rank + 1, level, level, l->risk_score, l->recent_hours);
        if (p->feasible) {
            waras_date_format(a, sizeof(a), l->first_day);
            waras_date_format(c, sizeof(c), l->last_day);
            waras_buf_printf(b, "<td>%s</td><td>%s</td>", a, c);
            esc_printf(b, "<td>%s</td></tr>\n", l->oncall_conflicts[0] ? l->oncall_conflicts : "");
        } else {
            waras_buf_printf(b, "<td></td><td></td><td></td></tr>\n");
        }
    }
    waras_buf_printf(b, "</tbody></table></div>\n");
    if (p->feasible)
        waras_buf_printf(b,
                         "<p><a class=\"ics\" id=\"result-ics\" href=\"/api/v1/plans/%lld.ics\">"
                         "Download .ics</a> &middot; <a href=\"/api/v1/plans/%lld\">JSON</a></p>\n",
                         (long long)p->plan_id, (long long)p->plan_id);
    waras_buf_printf(b, "</section>\n");
}

/* The team's zone (its first member's, as the planners read weeks); UTC
 * when the team has nobody. */
static const waras_tz *team_zone(waras_store *st, const char *team)
{
    waras_person *all = NULL;
    size_t n = 0;
    const waras_tz *tz = NULL;
    if (!waras_store_people_list(&all, &n, st))
        for (size_t i = 0; i < n && !tz; i++)
            if (strcmp(all[i].team, team) == 0 && waras_tz_get(&tz, all[i].timezone))
                tz = NULL;
    free(all);
    if (!tz)
        waras_tz_get(&tz, "UTC");
    return tz;
}

static void plans_table(waras_buf *b, waras_store *st, const char *kind, const char *team)
{
    waras_plan_info *v = NULL;
    size_t n = 0;
    const waras_tz *tz = team_zone(st, team);
    if (waras_auth_plan_list(&v, &n, st, kind, team) || !n) {
        waras_buf_printf(b, "<p class=\"card\" id=\"no-%s\">No plan recorded yet.</p>\n", kind);
        free(v);
        return;
    }
    waras_buf_printf(b, "<div class=\"scroll\"><table id=\"%s-plans\"><thead><tr><th>plan</th>"
                        "<th>from</th><th>to</th><th>weeks</th><th>download</th></tr></thead>"
                        "<tbody>\n",
                     kind);
    for (size_t i = 0; i < n; i++) {
        char s[16], e[16];
        waras_date_format(s, sizeof(s), waras_tz_date_of(tz, v[i].start));
        waras_date_format(e, sizeof(e), waras_tz_date_of(tz, v[i].end - 1));
        waras_buf_printf(b, "<tr><td>#%lld", (long long)v[i].id);
        if (v[i].project[0])
            esc_printf(b, " %s", v[i].project);
        waras_buf_printf(b,
                         "</td><td>%s</td><td>%s</td><td>%d</td><td><a class=\"ics\" "
                         "href=\"/api/v1/plans/%lld.ics\">.ics</a> &middot; <a "
                         "href=\"/api/v1/plans/%lld\">JSON</a></td></tr>\n",
                         s, e, v[i].weeks, (long long)v[i].id, (long long)v[i].id);
    }
    waras_buf_printf(b, "</tbody></table></div>\n");
    free(v);
}

/* The page: the two forms for the team's lead, the explanation of a plan
 * just run (quiet or recovery, may be NULL), and the recorded plans. */
static void plans_render(srv_app *app, const srv_auth *a, const char *team,
                         const waras_quiet_plan *qp, const waras_recovery_plan *rp, int status,
                         srv_response *rs)
{
    waras_store *st = NULL;
    waras_buf b;
    if (srv_plan_open_team(&st, app, a, team, rs))
        return;
    waras_subject whose = {NULL, team};
    int lead = waras_access_decide(&a->user, WARAS_DATA_WORK, &whose) == WARAS_ACCESS_ALLOWED;
    char *tn = srv_html_escape(team), tq[200], from[16], to[16];
    srv_query_value(tq, sizeof(tq), team);
    waras_buf_init(&b, 8 << 20);
    srv_html_head(&b, "Quiet weeks and recovery leave");
    srv_html_header_bar(&b, a);
    waras_buf_printf(&b,
                     "<h1>Quiet weeks and recovery leave: %s</h1>\n<p class=\"muted\"><a "
                     "href=\"/\">My weeks</a> &middot; <a href=\"/rota?team=%s\">On-call rota</a>"
                     " &middot; <a href=\"/calendar\">Calendar subscription</a></p>\n",
                     tn ? tn : "", tq);
    if (qp)
        quiet_explain(&b, qp);
    if (rp)
        recovery_explain(&b, rp);
    if (lead) {
        waras_date today = srv_plan_utc_date(waras_clock_now());
        waras_date_format(from, sizeof(from), waras_date_add(today, 7));
        waras_date_format(to, sizeof(to), waras_date_add(today, 7 * 8));
        waras_buf_printf(
            &b,
            "<h2>Plan a quiet week</h2>\n"
            "<form class=\"card\" id=\"quiet-form\" method=\"post\" action=\"/plans\">\n"
            "<input type=\"hidden\" name=\"csrf\" value=\"%s\"><input type=\"hidden\" "
            "name=\"kind\" value=\"quiet\"><input type=\"hidden\" name=\"team\" value=\"%s\">\n"
            "<label for=\"q-from\">Between (the first date's week)</label><input type=\"text\" "
            "id=\"q-from\" name=\"from\" value=\"%s\" pattern=\"[0-9]{4}-[0-9]{2}-[0-9]{2}\" "
            "required>\n<label for=\"q-to\">and (at most 26 weeks later)</label><input "
            "type=\"text\" id=\"q-to\" name=\"to\" value=\"%s\" "
            "pattern=\"[0-9]{4}-[0-9]{2}-[0-9]{2}\" required>\n"
            "<label for=\"q-count\">Weeks to choose</label><input type=\"text\" id=\"q-count\" "
            "name=\"count\" value=\"1\" inputmode=\"numeric\">\n"
            "<p><button type=\"submit\" id=\"run-quiet\">Plan and record</button></p>\n"
            "</form>\n",
            a->csrf, tn ? tn : "", from, to);
        waras_buf_printf(
            &b,
            "<h2>Plan recovery leave</h2>\n"
            "<form class=\"card\" id=\"recovery-form\" method=\"post\" action=\"/plans\">\n"
            "<input type=\"hidden\" name=\"csrf\" value=\"%s\"><input type=\"hidden\" "
            "name=\"kind\" value=\"recovery\"><input type=\"hidden\" name=\"team\" "
            "value=\"%s\">\n"
            "<label for=\"r-project\">Project</label><input type=\"text\" id=\"r-project\" "
            "name=\"project\" required>\n"
            "<label for=\"r-ends\">The project ends on</label><input type=\"text\" "
            "id=\"r-ends\" name=\"ends\" value=\"%s\" pattern=\"[0-9]{4}-[0-9]{2}-[0-9]{2}\" "
            "required>\n"
            "<label for=\"r-days\">Working days of leave each</label><input type=\"text\" "
            "id=\"r-days\" name=\"days\" value=\"3\" inputmode=\"numeric\" required>\n"
            "<label for=\"r-window\">Window in weeks (1 to %d)</label><input type=\"text\" "
            "id=\"r-window\" name=\"window\" value=\"6\" inputmode=\"numeric\">\n"
            "<label for=\"r-max-away\">At most away at once (empty: a third of the team)"
            "</label><input type=\"text\" id=\"r-max-away\" name=\"max_away\" "
            "inputmode=\"numeric\">\n"
            "<label for=\"r-members\">Project members (ids, comma-separated; empty: the "
            "whole team)</label><input type=\"text\" id=\"r-members\" name=\"members\">\n"
            "<p><button type=\"submit\" id=\"run-recovery\">Plan and record</button></p>\n"
            "</form>\n",
            a->csrf, tn ? tn : "", from, SRV_PLAN_MAX_WEEKS);
    } else {
        waras_buf_printf(&b, "<p class=\"muted\">Your own quiet weeks and leave in the team's "
                             "plans.</p>\n");
    }
    free(tn);
    waras_buf_printf(&b, "<h2>Recorded quiet weeks</h2>\n");
    plans_table(&b, st, "quiet", team);
    waras_buf_printf(&b, "<h2>Recorded recovery leave</h2>\n");
    plans_table(&b, st, "recovery", team);
    waras_store_close(st);
    srv_html_finish(&b, rs, status);
}

void srv_page_plans(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs)
{
    const char *team = srv_arg(rq, "team");
    for (int i = 0; i < rq->nargs; i++)
        if (strcmp(rq->args[i].key, "team")) {
            srv_json_error(rs, 400, "unknown_field", rq->args[i].key,
                           "unknown parameter: the plans page takes team");
            return;
        }
    if (!team || !*team) {
        srv_json_error(rs, 400, "bad_request", "team", "name a team: ?team=NAME");
        return;
    }
    plans_render(app, a, team, NULL, NULL, 200, rs);
}

void srv_page_plans_run(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs)
{
    char kind[16];
    if (no_args(rq, rs))
        return;
    if (!srv_form_get(rq, "kind", kind, sizeof(kind)) ||
        (strcmp(kind, "quiet") && strcmp(kind, "recovery"))) {
        srv_json_error(rs, 400, "bad_request", "kind", "kind is quiet or recovery");
        return;
    }
    if (kind[0] == 'q') {
        quiet_req q;
        waras_quiet_plan plan;
        memset(&plan, 0, sizeof(plan));
        if (parse_quiet(&q, rq, 1, rs) || quiet_run(app, a, &q, &plan, rs))
            return;
        plans_render(app, a, q.team, &plan, NULL, plan.feasible ? 200 : 422, rs);
        waras_quiet_plan_free(&plan);
    } else {
        recovery_req r;
        waras_recovery_plan plan;
        memset(&plan, 0, sizeof(plan));
        if (parse_recovery(&r, rq, 1, rs) || recovery_run(app, a, &r, &plan, rs))
            return;
        plans_render(app, a, r.team, NULL, &plan, plan.feasible ? 200 : 422, rs);
        waras_recovery_plan_free(&plan);
    }
}

/* The OpenAPI entries of the two plan runners. */
static const char openapi_paths[] =
    "{\"/api/v1/plans/quiet\": {\"post\": {\"summary\": \"plan and record a team's quiet "
    "week(s), as 'waras quiet plan' (only the team's lead; the engine's budget is capped at "
    "200000 iterations and 2 s; milestones are the store's)\",\n"
    " \"parameters\": [{\"name\": \"X-CSRF-Token\", \"in\": \"header\", \"schema\": {\"type\": "
    "\"string\"}, \"description\": \"with a session (not with an API token)\"}],\n"
    " \"requestBody\": {\"required\": true, \"content\": {\"application/json\": {\"schema\": "
    "{\"type\": \"object\", \"additionalProperties\": false, \"required\": [\"team\", \"from\", "
    "\"to\"], \"properties\": {\"team\": {\"type\": \"string\"}, \"from\": {\"type\": "
    "\"string\", \"format\": \"date\"}, \"to\": {\"type\": \"string\", \"format\": \"date\", "
    "\"description\": \"at most 26 weeks after from\"}, \"count\": {\"type\": \"integer\", "
    "\"minimum\": 1, \"maximum\": 52, \"default\": 1}}}}}},\n"
    " \"responses\": {\"201\": {\"description\": \"planned and recorded: the document of 'waras "
    "quiet plan --out FILE.json' with id and ics\", \"content\": {\"application/json\": "
    "{\"schema\": {\"type\": \"object\"}}}},\n"
    "  \"422\": {\"description\": \"no week qualifies: feasible false and why\", \"content\": "
    "{\"application/json\": {\"schema\": {\"type\": \"object\"}}}},\n"
    "  \"400\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "  \"401\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "  \"403\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "  \"415\": {\"$ref\": \"#/components/responses/Error\"}}}},\n"
    " \"/api/v1/plans/recovery\": {\"post\": {\"summary\": \"plan and record staggered recovery "
    "leave after a project, as 'waras recovery plan' (only the team's lead; the same engine "
    "budget)\",\n"
    " \"parameters\": [{\"name\": \"X-CSRF-Token\", \"in\": \"header\", \"schema\": {\"type\": "
    "\"string\"}, \"description\": \"with a session (not with an API token)\"}],\n"
    " \"requestBody\": {\"required\": true, \"content\": {\"application/json\": {\"schema\": "
    "{\"type\": \"object\", \"additionalProperties\": false, \"required\": [\"team\", "
    "\"project\", \"ends\", \"days\"], \"properties\": {\"team\": {\"type\": \"string\"}, "
    "\"project\": {\"type\": \"string\"}, \"ends\": {\"type\": \"string\", \"format\": "
    "\"date\"}, \"days\": {\"type\": \"integer\", \"minimum\": 1, \"maximum\": 20}, "
    "\"window\": {\"type\": \"integer\", \"minimum\": 1, \"maximum\": 26, \"default\": 6}, "
    "\"max_away\": {\"type\": \"integer\", \"minimum\": 1}, \"min_staff\": {\"type\": "
    "\"integer\", \"minimum\": 1}, \"members\": {\"type\": \"array\", \"maxItems\": 64, "
    "\"items\": {\"type\": \"string\"}}}}}}},\n"
    " \"responses\": {\"201\": {\"description\": \"planned and recorded: the document of 'waras "
    "recovery plan --out FILE.json' with id and ics\", \"content\": {\"application/json\": "
    "{\"schema\": {\"type\": \"object\"}}}},\n"
    "  \"422\": {\"description\": \"no staggering holds: feasible false, why and suggestion\", "
    "\"content\": {\"application/json\": {\"schema\": {\"type\": \"object\"}}}},\n"
    "  \"400\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "  \"401\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "  \"403\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "  \"415\": {\"$ref\": \"#/components/responses/Error\"}}}}}";

json_t *srv_remedies_openapi_paths(void)
{
    return json_loads(openapi_paths, 0, NULL);
}
