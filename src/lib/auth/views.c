/*
 * Reports, policy checks and activity counts as one account sees them: the
 * access rule applied to the question and to every row of the answer, and
 * the JSON documents the CLI prints. The service's API and the CLI's
 * `--as LOGIN` call these same functions, so an account's answer over HTTP
 * and the CLI's answer for it are one code path. A NULL account is the
 * store's owner (the CLI without --as), who sees everything.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/util.h"
#include "waras/auth.h"
#include "waras/error.h"
#include "waras/risk.h"

static int denied(const char *field, const char *what)
{
    return waras_error_set(WARAS_EDENIED, NULL, 0, field, "%s", what);
}

/* --- reports and risk --- */

int waras_auth_report_question(waras_report_opts *o, waras_store *st, const waras_user *who)
{
    if (!who)
        return 0;
    if (o->team) {
        waras_subject whose = {NULL, o->team};
        o->self = 0;
        if (waras_access_decide(who, WARAS_DATA_WORK, &whose) != WARAS_ACCESS_ALLOWED)
            return denied("team", "you may not see this team's people");
        return 0;
    }
    if (!o->person || !*o->person)
        o->person = who->person;
    if (!o->person || !*o->person)
        return waras_error_set(WARAS_EINVAL, NULL, 0, "person", "name a person: ?person=ID");
    /* A person one may not see and one who does not exist get the same
     * answer, so that no one learns who is in the store. */
    waras_person p;
    int rc = waras_store_person_get(&p, st, o->person);
    if (rc && rc != WARAS_ENOTFOUND)
        return rc;
    waras_subject whose = {o->person, rc ? NULL : p.team};
    if (rc || waras_access_decide(who, WARAS_DATA_WORK, &whose) != WARAS_ACCESS_ALLOWED)
        return denied("person", "you may not see this person's data");
    o->self = waras_access_decide(who, WARAS_DATA_WELLBEING, &whose) == WARAS_ACCESS_ALLOWED;
    return 0;
}

/* Replaces the wellbeing of a group the asker may not see. 1 when changed. */
static int redact_group(json_t *g, const waras_user *who, const char *team)
{
    json_t *wb = json_object_get(g, "wellbeing");
    waras_subject s = {NULL, team};
    if (!wb || json_is_null(wb) ||
        waras_access_decide(who, WARAS_DATA_WELLBEING, &s) != WARAS_ACCESS_DENIED)
        return 0;
    json_object_set_new(g, "wellbeing", json_null());
    json_object_set_new(g, "wellbeing_suppressed", json_string("not shown to your role"));
    return 1;
}

int waras_auth_report_json(char **out, const waras_report *r, const waras_user *who)
{
    char *doc = waras_report_json(r);
    *out = NULL;
    if (!doc)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    if (!who) {
        *out = doc;
        return 0;
    }
    json_t *root = json_loads(doc, 0, NULL);
    if (!root) {
        free(doc);
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    }
    int changed = 0;
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(root, "teams"), i, t)
    {
        const char *team = json_string_value(json_object_get(t, "team"));
        changed |= redact_group(t, who, team ? team : "");
    }
    json_t *org = json_object_get(root, "organisation");
    if (org)
        changed |= redact_group(org, who, NULL);
    if (changed) {
        free(doc);
        doc = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    }
    json_decref(root);
    *out = doc;
    return doc ? 0 : waras_error_msg(WARAS_ENOMEM, "out of memory");
}

/* A suggestion names its person and their load finding (work data) and,
 * for fewer on-call turns, what the plan gives each teammate: shown to who
 * only with the person's and the whole team's work data. */
static int remedy_visible(const waras_user *who, const char *person, const char *team)
{
    waras_subject p = {person, team}, t = {NULL, team};
    return !who || (waras_access_decide(who, WARAS_DATA_WORK, &p) == WARAS_ACCESS_ALLOWED &&
                    waras_access_decide(who, WARAS_DATA_WORK, &t) == WARAS_ACCESS_ALLOWED);
}

int waras_auth_report_suggest(waras_report *r, waras_store *st, const waras_user *who,
                              const char *db, const char *risk_policy)
{
    /* Nobody in the report whom who may see a suggestion about: the
     * planners are not run at all. */
    int any = 0;
    for (size_t i = 0; i < r->npeople && !any; i++)
        any = remedy_visible(who, r->people[i].person.id, r->people[i].person.team);
    if (!any)
        return 0;
    waras_civil now;
    waras_epoch_to_civil(&now, waras_clock_now());
    waras_date today = {now.year, now.month, now.day};
    /* The planner weighs night pages as the report's policy does; a
     * printed command names the policy file when one was given. */
    waras_remedy_opts o = {.db = db,
                           .night_page_hours = r->policy.night_page_hours,
                           .risk_policy = risk_policy};
    /* The plans start next Monday; a recovery window right after today. */
    o.from = waras_date_add(waras_date_monday(today), 7);
    o.ends = waras_date_add(o.from, -1);
    int rc = waras_report_suggest(r, st, &o);
    if (rc)
        return rc;
    size_t k = 0;
    for (size_t i = 0; i < r->nremedies; i++)
        if (remedy_visible(who, r->remedies[i].person, r->remedies[i].team))
            r->remedies[k++] = r->remedies[i];
    r->nremedies = k;
    return 0;
}

/* --- policy checks --- */

static int by_rule(const void *a, const void *b)
{
    const waras_violation *x = a, *y = b;
    int c = strcmp(x->rule, y->rule);
    if (!c)
        c = strcmp(x->person, y->person);
    if (!c)
        c = strcmp(x->team, y->team);
    return c ? c : strcmp(x->when, y->when);
}

void waras_auth_check_sort(waras_check_result *r)
{
    if (r->n)
        qsort(r->v, r->n, sizeof(*r->v), by_rule);
}

/* A person's violation is their work data; a team-level one (the size of
 * a rotation) is the team's, shown to whoever sees the team at least as
 * an aggregate. */
static int violation_visible(const waras_user *who, const waras_violation *v)
{
    if (v->person[0]) {
        waras_subject s = {v->person, v->team};
        return waras_access_decide(who, WARAS_DATA_WORK, &s) == WARAS_ACCESS_ALLOWED;
    }
    waras_subject s = {NULL, v->team};
    return waras_access_decide(who, WARAS_DATA_WORK, &s) != WARAS_ACCESS_DENIED;
}

int waras_auth_check_run(waras_check_result *out, waras_store *st, const waras_user *who,
                         const char *preset, const char *team, waras_date first_monday,
                         waras_date last_monday)
{
    memset(out, 0, sizeof(*out));
    if (who) {
        waras_subject whose = {NULL, team};
        if (who->role == WARAS_ROLE_ADMIN)
            return denied(NULL, "an admin sees nobody's work data");
        if (team && waras_access_decide(who, WARAS_DATA_WORK, &whose) == WARAS_ACCESS_DENIED)
            return denied("team", "you may not see this team's checks");
    }
    int rc = waras_check_run(out, st, preset, team, first_monday, last_monday);
    if (rc)
        return rc;
    if (who) {
        size_t k = 0;
        for (size_t i = 0; i < out->n; i++)
            if (violation_visible(who, &out->v[i]))
                out->v[k++] = out->v[i];
        out->n = k;
    }
    waras_auth_check_sort(out);
    return 0;
}

int waras_auth_check_json(char **out, const waras_check_result *r, const char *preset,
                          waras_date first_monday, waras_date last_monday)
{
    char a[16], b[16];
    waras_date_format(a, sizeof(a), first_monday);
    waras_date_format(b, sizeof(b), waras_date_add(last_monday, 6));
    json_t *v = json_array();
    for (size_t i = 0; i < r->n; i++)
        json_array_append_new(
            v, json_pack("{s:s?,s:s,s:s,s:s,s:s,s:s}", "person",
                         r->v[i].person[0] ? r->v[i].person : NULL, "team", r->v[i].team, "rule",
                         r->v[i].rule, "when", r->v[i].when, "detail", r->v[i].detail, "source",
                         r->v[i].source));
    json_t *root = json_pack("{s:s,s:s,s:s,s:i,s:o,s:s}", "policy", preset, "from", a, "to", b,
                             "people", r->people, "violations", v, "notes", r->notes);
    *out = root ? json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(root);
    return *out ? 0 : waras_error_msg(WARAS_ENOMEM, "out of memory");
}

/* --- activity --- */

int waras_auth_activity_count(waras_activity_row **out, size_t *n, waras_store *st,
                              const waras_user *who, const waras_activity_opts *o)
{
    waras_person *people = NULL;
    size_t npeople = 0;
    *out = NULL;
    *n = 0;
    if (who && who->role == WARAS_ROLE_ADMIN)
        return denied(NULL, "an admin sees nobody's work data");
    int rc = waras_activity_count(out, n, st, o);
    if (rc || !who)
        return rc;
    /* A team's counts are an aggregate of its people's work data: in full
     * for its lead, and for a role that sees teams only as aggregates when
     * the team has min_group people. */
    if (o->by_team && (rc = waras_store_people_list(&people, &npeople, st))) {
        free(*out);
        *out = NULL;
        *n = 0;
        return rc;
    }
    waras_policy pol;
    waras_policy_default(&pol);
    size_t k = 0;
    for (size_t i = 0; i < *n; i++) {
        waras_activity_row *row = &(*out)[i];
        waras_subject s = {o->by_team ? NULL : row->key, row->team};
        waras_access acc = waras_access_decide(who, WARAS_DATA_WORK, &s);
        int show = acc == WARAS_ACCESS_ALLOWED;
        if (o->by_team && acc == WARAS_ACCESS_AGGREGATE) {
            int size = 0;
            for (size_t p = 0; p < npeople; p++)
                size += strcmp(people[p].team, row->key) == 0;
            show = size >= pol.min_group;
        }
        if (show)
            (*out)[k++] = *row;
    }
    free(people);
    *n = k;
    if (!k) {
        free(*out);
        *out = NULL;
    }
    return 0;
}

static const char *source_name(waras_activity_source s)
{
    return s == WARAS_ACTIVITY_GIT ? "git" : s == WARAS_ACTIVITY_PAGES ? "pages" : "meetings";
}

int waras_auth_activity_json(char **out, const waras_activity_opts *o, const char *from,
                             const char *to, const waras_activity_row *rows, size_t n)
{
    json_t *root = json_object(), *arr = json_array();
    json_t *total = json_object();
    long sum[5] = {0};
    const char *key = o->by_team ? "team" : "person";
    json_object_set_new(root, "source", json_string(source_name(o->source)));
    json_object_set_new(root, "by", json_string(key));
    json_object_set_new(root, "hours", json_string(o->own_hours ? "own" : "fixed"));
    json_object_set_new(root, "from", from ? json_string(from) : json_null());
    json_object_set_new(root, "to", to ? json_string(to) : json_null());
    for (size_t i = 0; i < n; i++) {
        json_t *r = json_object();
        json_object_set_new(r, key, json_string(rows[i].key));
        if (!o->by_team)
            json_object_set_new(r, "team", json_string(rows[i].team));
        json_object_set_new(r, "events", json_integer(rows[i].events));
        json_object_set_new(r, "business", json_integer(rows[i].business));
        json_object_set_new(r, "off", json_integer(rows[i].off));
        json_object_set_new(r, "sleep", json_integer(rows[i].sleep));
        json_object_set_new(r, "weekend", json_integer(rows[i].weekend));
        json_array_append_new(arr, r);
        sum[0] += rows[i].events;
        sum[1] += rows[i].business;
        sum[2] += rows[i].off;
        sum[3] += rows[i].sleep;
        sum[4] += rows[i].weekend;
    }
    static const char *const names[] = {"events", "business", "off", "sleep", "weekend"};
    for (int k = 0; k < 5; k++)
        json_object_set_new(total, names[k], json_integer(sum[k]));
    json_object_set_new(root, "rows", arr);
    json_object_set_new(root, "total", total);
    *out = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    return *out ? 0 : waras_error_msg(WARAS_ENOMEM, "out of memory");
}

int waras_auth_user_as(waras_user *out, waras_store *st, const char *login)
{
    int rc = waras_auth_user_get(out, st, login);
    if (rc == WARAS_ENOTFOUND)
        return waras_error_set(WARAS_ENOTFOUND, NULL, 0, "as", "no account '%s'", login);
    return rc ? rc : waras_auth_user_team(out, st);
}
