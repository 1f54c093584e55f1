/*
 * The organisation view for people-ops (and, for their own teams, leads):
 * per team and for the organisation, load aggregates over the weeks shown
 * (people, mean worked and on-call hours per person-week, the after-hours
 * share of worked hours, how many people are at each load risk level in the
 * last week) and the protected wellbeing aggregates of the report. Never a
 * person's row. Load data is work data, which people-ops may not see of any
 * one person, so a team of fewer than min_group people has its load
 * aggregates suppressed like a small survey group; and, as the organisation
 * is the sum of its teams, the teams hidden must be none or at least two
 * holding min_group people together, or more are hidden (the smallest shown
 * team, or the organisation when no team would be left).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/util.h"
#include "waras/auth.h"
#include "waras/error.h"
#include "waras/report.h"
#include "waras/risk.h"

typedef struct load {
    const char *team;
    int people, hidden;
    const char *reason;
    double worked, after, oncall;
    long person_weeks;
    int levels[4];
} load;

static int level_index(const char *level)
{
    static const char *const names[] = {"low", "moderate", "high", "critical"};
    for (int i = 0; i < 4; i++)
        if (level && strcmp(level, names[i]) == 0)
            return i;
    return -1;
}

static double r2(double x)
{
    return round(x * 100) / 100;
}

static json_t *load_json(const load *l)
{
    if (l->hidden)
        return json_null();
    double pw = l->person_weeks ? (double)l->person_weeks : 1;
    return json_pack("{s:f,s:f,s:f,s:{s:i,s:i,s:i,s:i}}", "mean_worked_hours", r2(l->worked / pw),
                     "mean_oncall_hours", r2(l->oncall / pw), "after_hours_share",
                     l->worked > 0 ? round(l->after / l->worked * 10000) / 10000 : 0.0,
                     "risk_levels", "low", l->levels[0], "moderate", l->levels[1], "high",
                     l->levels[2], "critical", l->levels[3]);
}

/* The complementary rule over teams[0..n) and the organisation org. */
static void protect(load *teams, size_t n, load *org, int min_group)
{
    for (size_t i = 0; i < n; i++)
        if (teams[i].people < min_group) {
            teams[i].hidden = 1;
            teams[i].reason = "fewer than min_group people";
        }
    if (org->people < min_group) {
        org->hidden = 1;
        org->reason = "fewer than min_group people";
    }
    for (;;) {
        int hidden = 0, hidden_people = 0;
        size_t smallest = n;
        for (size_t i = 0; i < n; i++) {
            if (teams[i].hidden) {
                hidden++;
                hidden_people += teams[i].people;
            } else if (smallest == n || teams[i].people < teams[smallest].people) {
                smallest = i;
            }
        }
        if (org->hidden || hidden == 0 || (hidden >= 2 && hidden_people >= min_group))
            return;
        if (smallest == n || hidden + 1 == (int)n) {
            org->hidden = 1;
            org->reason = "hidden so that a smaller team cannot be computed by subtraction";
            return;
        }
        teams[smallest].hidden = 1;
        teams[smallest].reason = "hidden so that a smaller team cannot be computed by subtraction";
    }
}

/* The report's wellbeing fields of a group, copied into o. */
static void copy_wellbeing(json_t *o, json_t *from)
{
    static const char *const keys[] = {"wellbeing", "wellbeing_suppressed",
                                       "wellbeing_respondents"};
    for (int k = 0; k < 3; k++) {
        json_t *v = json_object_get(from, keys[k]);
        if (v)
            json_object_set(o, keys[k], v);
    }
    if (!json_object_get(o, "wellbeing")) {
        json_object_set_new(o, "wellbeing", json_null());
        json_object_set_new(o, "wellbeing_suppressed", json_string("no survey response"));
    }
}

static json_t *group_json(const load *l, json_t *report_group, const waras_user *who, int is_org)
{
    json_t *o =
        json_pack("{s:s,s:i,s:o}", "team", l->team, "people", l->people, "load", load_json(l));
    if (l->hidden)
        json_object_set_new(o, "load_suppressed", json_string(l->reason));
    waras_subject s = {NULL, is_org ? NULL : l->team};
    if (report_group && waras_access_decide(who, WARAS_DATA_WELLBEING, &s) != WARAS_ACCESS_DENIED) {
        copy_wellbeing(o, report_group);
    } else {
        json_object_set_new(o, "wellbeing", json_null());
        json_object_set_new(
            o, "wellbeing_suppressed",
            json_string(report_group ? "not shown to your role" : "no survey response"));
    }
    return o;
}

int waras_auth_org_json(char **out, waras_store *st, const waras_user *who, waras_date first_monday,
                        waras_date last_monday)
{
    waras_report *r = NULL;
    waras_policy pol;
    waras_policy_default(&pol);
    waras_report_opts o = {
        .first_monday = first_monday, .last_monday = last_monday, .policy = &pol};
    waras_subject org_subject = {NULL, NULL};
    *out = NULL;
    if (waras_access_decide(who, WARAS_DATA_WORK, &org_subject) == WARAS_ACCESS_DENIED)
        return waras_error_msg(WARAS_EINVAL, "the organisation view is not shown to your role");
    int rc = waras_report_build(&r, st, &o);
    if (rc)
        return rc;
    load *teams = calloc(r->npeople + 1, sizeof(*teams)), org = {.team = ""};
    size_t nteams = 0;
    char *rdoc = waras_report_json(r);
    json_t *rep = rdoc ? json_loads(rdoc, 0, NULL) : NULL;
    free(rdoc);
    if (!teams || !rep) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto done;
    }
    /* People come ordered by team. */
    for (size_t i = 0; i < r->npeople; i++) {
        const waras_report_person *p = &r->people[i];
        if (!nteams || strcmp(teams[nteams - 1].team, p->person.team) != 0)
            teams[nteams++].team = p->person.team;
        load *ls[2] = {&teams[nteams - 1], &org};
        for (int k = 0; k < 2; k++) {
            load *l = ls[k];
            l->people++;
            for (size_t w = 0; w < r->nweeks; w++) {
                l->worked += p->weeks[w].worked_hours;
                l->after += p->weeks[w].after_hours;
                l->oncall += p->weeks[w].oncall_hours;
                l->person_weeks++;
            }
            int lv = r->nweeks ? level_index(p->risk[r->nweeks - 1].level) : -1;
            if (lv >= 0)
                l->levels[lv]++;
        }
    }
    protect(teams, nteams, &org, pol.min_group);
    json_t *tarr = json_array();
    for (size_t i = 0; i < nteams; i++) {
        waras_subject s = {NULL, teams[i].team};
        if (waras_access_decide(who, WARAS_DATA_WORK, &s) == WARAS_ACCESS_DENIED)
            continue;
        json_t *rg = NULL, *t;
        size_t k;
        json_array_foreach(json_object_get(rep, "teams"), k, t)
        {
            const char *name = json_string_value(json_object_get(t, "team"));
            if (name && strcmp(name, teams[i].team) == 0)
                rg = t;
        }
        json_array_append_new(tarr, group_json(&teams[i], rg, who, 0));
    }
    json_t *orgj = group_json(&org, json_object_get(rep, "organisation"), who, 1);
    json_object_del(orgj, "team");
    char from[16], to[16];
    waras_date_format(from, sizeof(from), first_monday);
    waras_date_format(to, sizeof(to), waras_date_add(last_monday, 6));
    json_t *root = json_pack(
        "{s:s,s:s,s:i,s:i,s:O,s:o,s:o}", "from", from, "to", to, "weeks", (int)r->nweeks,
        "min_group", pol.min_group, "survey_round",
        json_object_get(rep, "survey_round") ? json_object_get(rep, "survey_round") : json_null(),
        "teams", tarr, "organisation", orgj);
    *out = root ? json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10))
                : NULL;
    json_decref(root);
    if (!*out)
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
done:
    json_decref(rep);
    free(teams);
    waras_report_free(r);
    return rc;
}
