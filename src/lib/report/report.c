/*
 * Builds the report model from the store and renders it as JSON. Risk for a
 * shown week uses the trailing window that ends with it, so the first weeks
 * shown are computed with the weeks before them too.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "waras/error.h"
#include "waras/report.h"
#include "time/days.h"

void waras_report_week_label(char *buf, size_t size, const waras_week_metrics *w)
{
    snprintf(buf, size, "%04d-W%02d", w->iso_year, w->iso_week);
}

void waras_report_free(waras_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->npeople; i++) {
        free(r->people[i].weeks);
        free(r->people[i].risk);
        free(r->people[i].survey);
        free(r->people[i].survey_date);
        free(r->people[i].has_survey);
    }
    free(r->people);
    free(r->groups);
    free(r->remedies);
    free(r);
}

/* Survey window: the weeks shown and a quarter before them, since surveys
 * are usually taken once a quarter. The groups show the latest round
 * (calendar quarter) that overlaps it, whole. */
#define SURVEY_LOOKBACK_DAYS 91

static void fill_group(waras_report_group *g, const waras_access_table *t, long round,
                       const char *team)
{
    waras_access_view v;
    waras_access_view_get(&v, t, round, team);
    g->respondents = v.respondents;
    g->suppressed = v.why != WARAS_ACCESS_SHOWN;
    g->why = v.why;
    memcpy(g->mean, v.mean, sizeof(g->mean));
    g->high_work_share = v.high_work_share;
    memcpy(g->scale_why, v.scale_why, sizeof(g->scale_why));
    snprintf(g->reason, sizeof(g->reason), "%s", v.reason);
    memcpy(g->scale_reason, v.scale_reason, sizeof(g->scale_reason));
}

/* The groups come from the table protected once for the whole organisation
 * and every round, whatever the filter: a filtered view shows a subset of
 * what the full view shows, never a figure of its own. */
static int build_groups(waras_report *r, waras_store *st, const waras_person *all, size_t nall)
{
    r->groups = calloc(r->npeople + 1, sizeof(*r->groups));
    if (!r->groups)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    waras_access_table *t = NULL;
    int rc = waras_access_load(&t, st, r->policy.min_group);
    if (rc)
        return rc;
    long round = waras_access_round_in(t, waras_date_add(r->first_monday, -SURVEY_LOOKBACK_DAYS),
                                       waras_date_add(r->last_monday, 6));
    if (round >= 0)
        snprintf(r->survey_round, sizeof(r->survey_round), "%s", t->round[round]);
    for (size_t i = 0; i < r->npeople; i++) {
        const char *team = r->people[i].person.team;
        if (r->ngroups && strcmp(r->groups[r->ngroups - 1].team, team) == 0)
            continue;
        waras_report_group *g = &r->groups[r->ngroups++];
        snprintf(g->team, sizeof(g->team), "%s", team);
        for (size_t k = 0; k < nall; k++)
            g->members += strcmp(all[k].team, team) == 0;
        fill_group(g, t, round, team);
    }
    waras_report_group *org = &r->groups[r->ngroups++];
    org->members = (int)nall;
    fill_group(org, t, round, NULL);
    waras_access_free(t);
    return 0;
}

typedef struct self_acc {
    waras_report_person *rp;
    waras_report *r;
} self_acc;

static int self_row(void *ctx, const waras_survey_row *row)
{
    self_acc *a = ctx;
    if (!row->person || strcmp(row->person, a->rp->person.id) != 0)
        return 0;
    for (size_t k = 0; k < a->r->nweeks; k++) {
        /* on or before the week's Sunday */
        if (waras_date_diff(row->taken_on, a->rp->weeks[k].monday) <= 6) {
            a->rp->survey[k] = row->scores;
            waras_date_format(a->rp->survey_date[k], 11, row->taken_on);
            a->rp->has_survey[k] = 1;
        }
    }
    return 0;
}

static int build_self(waras_report *r, waras_store *st)
{
    waras_report_person *rp = &r->people[0];
    rp->survey = calloc(r->nweeks, sizeof(*rp->survey));
    rp->survey_date = calloc(r->nweeks, sizeof(*rp->survey_date));
    rp->has_survey = calloc(r->nweeks, 1);
    if (!rp->survey || !rp->survey_date || !rp->has_survey)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    self_acc a = {rp, r};
    /* Rows come by date, so later responses overwrite earlier ones. */
    return waras_survey_each(st, NULL, waras_date_add(r->first_monday, -366),
                             waras_date_add(r->last_monday, 6), self_row, &a);
}

int waras_report_build(waras_report **out, waras_store *st, const waras_report_opts *o)
{
    waras_person *people = NULL;
    size_t npeople = 0;
    waras_report *r = calloc(1, sizeof(*r));
    int rc = 0;
    if (!r)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    /* At least one whole ISO week: renderers index weeks[0]. */
    if (waras_date_cmp(o->last_monday, o->first_monday) < 0 ||
        waras_date_weekday(o->first_monday) != 1 || waras_date_weekday(o->last_monday) != 1) {
        free(r);
        return waras_error_msg(WARAS_EINVAL, "report range must run from a Monday to a later or equal Monday");
    }
    if (o->policy)
        r->policy = *o->policy;
    else
        waras_policy_default(&r->policy);
    r->first_monday = o->first_monday;
    r->last_monday = o->last_monday;
    r->nweeks = (size_t)(waras_date_diff(o->last_monday, o->first_monday) / 7 + 1);
    if ((rc = waras_store_people_list(&people, &npeople, st)))
        goto cleanup;
    r->people = calloc(npeople ? npeople : 1, sizeof(*r->people));
    if (!r->people) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    /* The weeks before the first shown: its risk window, and the trend's. */
    size_t lead = (size_t)(r->policy.window_weeks > 1 ? r->policy.window_weeks - 1 : 0) +
                  WARAS_RISK_TREND_WEEKS;
    long done = 0;
    for (size_t i = 0; i < npeople; i++) {
        if ((o->team && strcmp(o->team, people[i].team)) ||
            (o->person && strcmp(o->person, people[i].id)))
            continue;
        waras_report_person *rp = &r->people[r->npeople];
        waras_week_metrics *all = NULL;
        size_t nall = 0;
        if ((rc = waras_metrics_weeks(&all, &nall, st, &people[i], &r->policy.metrics,
                                      waras_date_add(o->first_monday, -7 * (long)lead),
                                      o->last_monday)))
            goto cleanup;
        rp->person = people[i];
        rp->weeks = malloc(r->nweeks * sizeof(*rp->weeks));
        rp->risk = calloc(r->nweeks, sizeof(*rp->risk));
        if (!rp->weeks || !rp->risk) {
            free(all);
            free(rp->weeks);
            free(rp->risk);
            rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
            goto cleanup;
        }
        memcpy(rp->weeks, all + lead, r->nweeks * sizeof(*all));
        for (size_t k = 0; k < r->nweeks; k++)
            waras_risk_compute(&rp->risk[k], &r->policy, all, lead + k + 1);
        free(all);
        r->npeople++;
        if (o->progress)
            o->progress(o->progress_ctx, ++done, (long)npeople);
    }
    if (o->person && !r->npeople) {
        rc = waras_error_msg(WARAS_ENOTFOUND, "unknown person '%s'", o->person);
        goto cleanup;
    }
    if (o->self && !o->person) {
        rc = waras_error_msg(WARAS_EINVAL, "the own view needs a person");
        goto cleanup;
    }
    r->self = o->self;
    if ((rc = build_groups(r, st, people, npeople)))
        goto cleanup;
    if (r->self && (rc = build_self(r, st)))
        goto cleanup;
    *out = r;
    r = NULL;
cleanup:
    free(people);
    waras_report_free(r);
    return rc;
}

/* Hours rounded to 0.01, as the contract asks. */
static json_t *hours(double h)
{
    return json_real(round(h * 100.0) / 100.0);
}

static json_t *risk_json(const waras_risk *k)
{
    json_t *reasons = json_array();
    for (int i = 0; i < k->nreasons; i++)
        json_array_append_new(reasons, json_string(k->reasons[i].text));
    json_t *signals = json_array();
    for (int i = 0; i < k->nreasons; i++) {
        const waras_risk_reason *r = &k->reasons[i];
        static const char *const keys[WARAS_SIG_COUNT] = {
            "long_weeks", "sleep_interruptions", "short_rest_days", "after_hours_share",
            "longest_streak", "oncall_share", "days_since_break", "focus_hours"};
        json_array_append_new(signals, json_pack("{s:s,s:o,s:o,s:o}", "signal", keys[r->signal],
                                                 "value", hours(r->value), "level",
                                                 hours(r->level), "points", hours(r->points)));
    }
    const char *trend = waras_risk_trend(k);
    return json_pack("{s:s,s:o,s:o,s:o,s:b,s:o,s:o}", "level", k->level, "score",
                     hours(k->score), "reasons", reasons, "signals", signals, "accumulated",
                     k->accumulated, "score_4w_ago", k->has_before ? hours(k->score_before)
                                                                   : json_null(),
                     "trend", trend ? json_string(trend) : json_null());
}

static json_t *scale_or_null(double v)
{
    return v < 0 ? json_null() : json_real(round(v * 100.0) / 100.0);
}

/* A person's own wellbeing for a week, or NULL when there is none. */
static json_t *own_wellbeing(const waras_report_person *rp, size_t k, const char **overall)
{
    if (!rp->survey || !rp->has_survey[k])
        return NULL;
    const waras_cbi_scores *s = &rp->survey[k];
    const char *lvl = waras_cbi_level(s);
    /* In the person's own view a high work or personal score raises the
     * overall level to at least high (docs/definitions.md). */
    *overall = waras_cbi_raise_level(*overall, s);
    return json_pack("{s:s,s:s,s:o,s:o,s:o,s:s?}", "instrument", "cbi", "taken_on",
                     rp->survey_date[k], "personal", scale_or_null(s->scale[WARAS_CBI_PERSONAL]),
                     "work", scale_or_null(s->scale[WARAS_CBI_WORK]), "client",
                     scale_or_null(s->scale[WARAS_CBI_CLIENT]), "level", lvl);
}

static json_t *group_wellbeing(const waras_report_group *g)
{
    if (g->suppressed)
        return json_null();
    json_t *o = json_pack("{s:s,s:i,s:o,s:o,s:o,s:o}", "instrument", "cbi", "respondents",
                          g->respondents, "personal", scale_or_null(g->mean[WARAS_CBI_PERSONAL]),
                          "work", scale_or_null(g->mean[WARAS_CBI_WORK]), "client",
                          scale_or_null(g->mean[WARAS_CBI_CLIENT]), "high_work_share",
                          scale_or_null(g->high_work_share));
    /* A scale that is null says why. */
    static const char *const names[WARAS_CBI_SCALES] = {"personal", "work", "client"};
    json_t *why = json_object();
    for (int s = 0; s < WARAS_CBI_SCALES; s++)
        if (g->scale_why[s] != WARAS_ACCESS_SHOWN)
            json_object_set_new(why, names[s], json_string(g->scale_reason[s]));
    if (json_object_size(why))
        json_object_set_new(o, "suppressed", why);
    else
        json_decref(why);
    return o;
}

static void set_group_wellbeing(json_t *o, const waras_report_group *g)
{
    json_object_set_new(o, "wellbeing", group_wellbeing(g));
    if (g->suppressed) {
        json_object_set_new(o, "wellbeing_suppressed", json_string(g->reason));
        /* The count is shown with a group too small to show, and kept back
         * with a group hidden to protect a smaller one. */
        json_object_set_new(o, "wellbeing_respondents",
                            g->respondents < 0 ? json_null() : json_integer(g->respondents));
    }
}

static json_t *week_json(const waras_week_metrics *w, const waras_risk *k)
{
    char label[16];
    waras_report_week_label(label, sizeof(label), w);
    json_t *o = json_object();
    json_object_set_new(o, "week", json_string(label));
    json_object_set_new(o, "worked_hours", hours(w->worked_hours));
    json_object_set_new(o, "after_hours_share", hours(w->after_hours_share));
    json_object_set_new(o, "weekend_hours", hours(w->weekend_hours));
    json_object_set_new(o, "meeting_hours", hours(w->meeting_hours));
    json_object_set_new(o, "focus_hours", hours(w->focus_hours));
    json_object_set_new(o, "oncall_hours", hours(w->oncall_hours));
    json_object_set_new(o, "interruptions",
                        json_pack("{s:i,s:i,s:i}", "business", w->interruptions[0], "off",
                                  w->interruptions[1], "sleep", w->interruptions[2]));
    json_object_set_new(o, "incidents", json_integer(w->incidents));
    json_object_set_new(o, "commits", json_integer(w->commits));
    json_object_set_new(o, "leave_days", hours(w->leave_days));
    json_object_set_new(o, "longest_streak_days", json_integer(w->longest_streak_days));
    json_object_set_new(o, "min_daily_rest_hours", hours(w->min_daily_rest_hours));
    json_object_set_new(o, "short_rest_days", json_integer(w->short_rest_days));
    json_object_set_new(o, "weekly_rest_hours", hours(w->weekly_rest_hours));
    json_object_set_new(o, "days_since_break",
                        w->days_since_break < 0 ? json_null() : json_integer(w->days_since_break));
    json_object_set_new(o, "risk", risk_json(k));
    return o;
}

/* Suggestions: from finding to remedy (waras/remedy.h). Everyone whose
 * risk at the end of the last week is high or critical, strongest first;
 * the team's quiet week once per team. */
int waras_report_suggest(waras_report *r, waras_store *st, const waras_remedy_opts *opts)
{
    if (!r->npeople || !r->nweeks)
        return 0;
    waras_remedy_opts o = *opts;
    if (!o.from.year)
        o.from = waras_date_add(r->last_monday, 7);
    if (!o.ends.year)
        o.ends = waras_date_add(r->last_monday, 6);
    size_t *order = malloc(r->npeople * sizeof(*order));
    if (!order)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    for (size_t i = 0; i < r->npeople; i++)
        order[i] = i;
    for (size_t i = 1; i < r->npeople; i++) {
        size_t v = order[i], j = i;
        while (j > 0 && r->people[order[j - 1]].risk[r->nweeks - 1].score <
                            r->people[v].risk[r->nweeks - 1].score) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = v;
    }
    int rc = 0;
    for (size_t q = 0; q < r->npeople && !rc; q++) {
        const waras_report_person *rp = &r->people[order[q]];
        const waras_risk *k = &rp->risk[r->nweeks - 1];
        if (k->score < 50)
            continue;
        size_t before = r->nremedies;
        rc = waras_remedy_suggest(&r->remedies, &r->nremedies, st, &rp->person, k, &o);
        /* One quiet week per team: a later teammate's is dropped. */
        for (size_t i = before; !rc && i < r->nremedies;) {
            int dup = 0;
            for (size_t j = 0; j < before; j++)
                dup |= r->remedies[i].kind == WARAS_REMEDY_QUIET &&
                       r->remedies[j].kind == WARAS_REMEDY_QUIET &&
                       strcmp(r->remedies[i].team, r->remedies[j].team) == 0;
            if (dup) {
                memmove(&r->remedies[i], &r->remedies[i + 1],
                        (r->nremedies - i - 1) * sizeof(*r->remedies));
                r->nremedies--;
            } else {
                i++;
            }
        }
    }
    free(order);
    return rc;
}

static json_t *suggestions_json(const waras_report *r)
{
    json_t *list = json_array();
    for (size_t i = 0; i < r->nremedies; i++) {
        const waras_remedy *m = &r->remedies[i];
        json_array_append_new(
            list, json_pack("{s:s,s:s,s:s,s:{s:s,s:f,s:s},s:s,s:o}", "person", m->person, "team",
                            m->team, "kind", waras_remedy_kind_name(m->kind), "finding", "signal",
                            m->signal >= 0 && m->signal < WARAS_SIG_COUNT
                                ? r->policy.signals[m->signal].key
                                : "",
                            "value", round(m->value * 100) / 100, "text", m->finding, "suggestion",
                            m->text, "command",
                            m->command[0] ? json_string(m->command) : json_null()));
    }
    return list;
}

char *waras_report_json(const waras_report *r)
{
    json_t *root = json_object(), *people = json_array(), *teams = json_array();
    for (size_t i = 0; i < r->npeople; i++) {
        const waras_report_person *rp = &r->people[i];
        json_t *weeks = json_array();
        for (size_t k = 0; k < r->nweeks; k++) {
            json_t *wk = week_json(&rp->weeks[k], &rp->risk[k]);
            /* Wellbeing is private to the person: only their own view has it. */
            const char *overall = rp->risk[k].level;
            json_t *own = r->self ? own_wellbeing(rp, k, &overall) : NULL;
            json_object_set_new(wk, "wellbeing", own ? own : json_null());
            if (!r->self)
                json_object_set_new(wk, "wellbeing_suppressed",
                                    json_string("private: shown only in the person's own view"));
            else if (!own)
                json_object_set_new(wk, "wellbeing_suppressed", json_string("no survey response"));
            if (r->self)
                json_object_set_new(wk, "overall_level", json_string(overall));
            json_array_append_new(weeks, wk);
        }
        json_array_append_new(people, json_pack("{s:s,s:s,s:s,s:s,s:o}", "id", rp->person.id,
                                                "name", rp->person.name, "team", rp->person.team,
                                                "timezone", rp->person.timezone, "weeks", weeks));
    }
    /* Teams, in the order people are listed (by team). */
    for (size_t i = 0; i < r->npeople;) {
        const char *team = r->people[i].person.team;
        size_t j = i;
        while (j < r->npeople && strcmp(r->people[j].person.team, team) == 0)
            j++;
        size_t members = j - i;
        json_t *weeks = json_array();
        for (size_t k = 0; k < r->nweeks; k++) {
            double worked = 0, after = 0, oncall = 0;
            int intr[3] = {0}, incidents = 0, levels[4] = {0};
            for (size_t q = i; q < j; q++) {
                const waras_week_metrics *w = &r->people[q].weeks[k];
                worked += w->worked_hours;
                after += w->after_hours;
                oncall += w->oncall_hours;
                incidents += w->incidents;
                for (int x = 0; x < 3; x++)
                    intr[x] += w->interruptions[x];
                const char *lv = r->people[q].risk[k].level;
                levels[strcmp(lv, "low") == 0        ? 0
                       : strcmp(lv, "moderate") == 0 ? 1
                       : strcmp(lv, "high") == 0     ? 2
                                                     : 3]++;
            }
            char label[16];
            waras_report_week_label(label, sizeof(label), &r->people[i].weeks[k]);
            json_array_append_new(
                weeks,
                json_pack("{s:s,s:o,s:o,s:o,s:{s:i,s:i,s:i},s:i,s:{s:i,s:i,s:i,s:i}}", "week",
                          label, "worked_hours_mean", hours(worked / (double)members),
                          "after_hours_share", hours(worked > 0 ? after / worked : 0),
                          "oncall_hours", hours(oncall), "interruptions", "business", intr[0],
                          "off", intr[1], "sleep", intr[2], "incidents", incidents, "risk_levels",
                          "low", levels[0], "moderate", levels[1], "high", levels[2], "critical",
                          levels[3]));
        }
        json_t *t = json_pack("{s:s,s:i,s:o}", "team", team, "people", (int)members, "weeks", weeks);
        for (size_t g = 0; g < r->ngroups; g++)
            if (strcmp(r->groups[g].team, team) == 0)
                set_group_wellbeing(t, &r->groups[g]);
        json_array_append_new(teams, t);
        i = j;
    }
    json_object_set_new(root, "people", people);
    json_object_set_new(root, "teams", teams);
    if (r->ngroups) {
        json_t *org = json_pack("{s:i}", "people", r->groups[r->ngroups - 1].members);
        set_group_wellbeing(org, &r->groups[r->ngroups - 1]);
        json_object_set_new(root, "organisation", org);
    }
    if (r->nremedies)
        json_object_set_new(root, "suggestions", suggestions_json(r));
    json_object_set_new(root, "min_group", json_integer(r->policy.min_group));
    json_object_set_new(root, "survey_round",
                        r->survey_round[0] ? json_string(r->survey_round) : json_null());
    char *s = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    json_decref(root);
    return s;
}
