/*
 * Unit tests of the report model and its renderers on a small scratch
 * store: per-person weeks (ISO labels, worked and meeting hours), team
 * groups in people order with the organisation last, the team and person
 * filters, wellbeing shown for a group only from min_group respondents on
 * (latest response per person, anonymous ones each counted) and never when
 * a smaller group could be had by subtraction, the person's
 * own view, the JSON document's suppression, and a self-contained HTML
 * page.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "helpers.h"
#include "waras/error.h"
#include "waras/ingest.h"
#include "waras/report.h"
#include "waras/store.h"
#include "waras/survey.h"
#include "waras/time.h"
#include "time/days.h"

/* 2026-11-09T00:00:00Z, the Monday of ISO 2026-W46; W47 starts a week later. */
#define W46 1794182400LL
#define W47 1794787200LL
#define HOUR 3600LL
#define DAY 86400LL

typedef struct fixture {
    TH_SCRATCH_FIRST;
} fixture;

static const char *const alpha[] = {"alma", "arne", "asta", "axel", "ayla"};
static const char *const beta[] = {"bent", "birk"};

static void put_person(waras_store *st, const char *id, const char *team, const char *zone)
{
    waras_person p = {.work_days = 0x1f, .work_start = 9 * 60, .work_end = 17 * 60};
    snprintf(p.id, sizeof(p.id), "%s", id);
    snprintf(p.name, sizeof(p.name), "%s", id);
    snprintf(p.team, sizeof(p.team), "%s", team);
    snprintf(p.timezone, sizeof(p.timezone), "%s", zone);
    assert_int_equal(waras_store_person_put(st, &p), 0);
}

static void put_event(waras_store *st, const char *person, const char *kind, const char *key,
                      waras_instant start, waras_instant end)
{
    waras_event ev = {.person = person, .kind = kind, .status = "accepted", .start = start,
                      .end = end, .source_kind = "test", .source_key = key};
    int changed;
    assert_int_equal(waras_store_event_put(&changed, st, &ev), 0);
}

/* One survey row whose three scales all score v: every answer v, and item
 * 13 (reverse-scored) 100 - v. */
static void survey_row(char *buf, size_t size, const char *team, const char *person,
                       const char *date, int v)
{
    int n = snprintf(buf, size, "%s,%s,%s", team, person, date);
    for (int i = 1; i <= WARAS_CBI_ITEMS && n > 0 && (size_t)n < size; i++)
        n += snprintf(buf + n, size - (size_t)n, ",%d", i == 13 ? 100 - v : v);
    if ((size_t)n < size - 1) {
        buf[n] = '\n';
        buf[n + 1] = '\0';
    }
}

static void ingest_survey(fixture *f, const char *name, const char *const *rows, size_t nrows)
{
    char text[8192], path[600];
    size_t n = (size_t)snprintf(text, sizeof(text), "team,person,date");
    for (int i = 1; i <= WARAS_CBI_ITEMS; i++)
        n += (size_t)snprintf(text + n, sizeof(text) - n, ",q%d", i);
    n += (size_t)snprintf(text + n, sizeof(text) - n, "\n");
    for (size_t i = 0; i < nrows; i++)
        n += (size_t)snprintf(text + n, sizeof(text) - n, "%s", rows[i]);
    assert_true(n < sizeof(text));
    assert_int_equal(th_write(path, sizeof(path), f->dir, name, text), 0);
    waras_ingest_result r;
    assert_int_equal(waras_ingest_survey(&r, f->st, path), 0);
    assert_int_equal(r.rows, (long)nrows);
}

/* alpha: five people, all of whom answered (alma twice; her later answer
 * counts), scales 0, 25, 50, 75, 100. beta: two people, both answered 100. */
static int setup(void **state)
{
    if (th_scratch_setup(state, sizeof(fixture), "report"))
        return -1;
    fixture *f = *state;
    for (int i = 0; i < 5; i++)
        put_person(f->st, alpha[i], "alpha", "UTC");
    put_person(f->st, beta[0], "beta", "Europe/Berlin");
    put_person(f->st, beta[1], "beta", "Europe/Berlin");

    /* alma: 10 h on Monday of W46, 8 h a day Monday to Friday of W47. */
    put_event(f->st, "alma", "timesheet", "w46", W46 + 9 * HOUR, W46 + 19 * HOUR);
    for (int d = 0; d < 5; d++) {
        char key[16];
        snprintf(key, sizeof(key), "w47-%d", d);
        put_event(f->st, "alma", "timesheet", key, W47 + d * DAY + 9 * HOUR,
                  W47 + d * DAY + 17 * HOUR);
    }
    /* bent: a two-hour meeting on Tuesday of W47 (10:00-12:00 in Berlin). */
    put_event(f->st, "bent", "meeting", "m1", W47 + DAY + 9 * HOUR, W47 + DAY + 11 * HOUR);

    static char rows[8][256];
    survey_row(rows[0], sizeof(rows[0]), "alpha", "alma", "2026-11-03", 100);
    survey_row(rows[1], sizeof(rows[1]), "alpha", "alma", "2026-11-10", 0);
    survey_row(rows[2], sizeof(rows[2]), "alpha", "arne", "2026-11-10", 25);
    survey_row(rows[3], sizeof(rows[3]), "alpha", "asta", "2026-11-10", 50);
    survey_row(rows[4], sizeof(rows[4]), "alpha", "axel", "2026-11-10", 75);
    survey_row(rows[5], sizeof(rows[5]), "alpha", "ayla", "2026-11-10", 100);
    survey_row(rows[6], sizeof(rows[6]), "beta", "bent", "2026-11-10", 100);
    survey_row(rows[7], sizeof(rows[7]), "beta", "birk", "2026-11-10", 100);
    const char *const list[] = {rows[0], rows[1], rows[2], rows[3],
                                rows[4], rows[5], rows[6], rows[7]};
    ingest_survey(f, "survey.csv", list, 8);
    return 0;
}

static int teardown(void **state)
{
    return th_scratch_teardown(state);
}

static waras_report_opts weeks_46_47(void)
{
    return (waras_report_opts){.first_monday = waras_time__date(W46 / DAY),
                               .last_monday = waras_time__date(W47 / DAY)};
}

static void test_report__person_weeks(void **state)
{
    fixture *f = *state;
    waras_report *r = NULL;
    waras_report_opts o = weeks_46_47();
    assert_int_equal(waras_report_build(&r, f->st, &o), 0);
    assert_int_equal(r->nweeks, 2);
    assert_int_equal(r->npeople, 7);
    /* By team, then id. */
    assert_string_equal(r->people[0].person.id, "alma");
    assert_string_equal(r->people[4].person.id, "ayla");
    assert_string_equal(r->people[5].person.id, "bent");
    assert_string_equal(r->people[6].person.id, "birk");

    const waras_report_person *alma = &r->people[0];
    assert_int_equal(waras_time__days(alma->weeks[0].monday), W46 / DAY);
    assert_int_equal(waras_time__days(alma->weeks[1].monday), W47 / DAY);
    assert_int_equal(alma->weeks[0].iso_year, 2026);
    assert_int_equal(alma->weeks[0].iso_week, 46);
    assert_int_equal(alma->weeks[1].iso_week, 47);
    assert_float_equal(alma->weeks[0].worked_hours, 10.0, 1e-9);
    assert_float_equal(alma->weeks[1].worked_hours, 40.0, 1e-9);
    /* 17:00-19:00 UTC on Monday of W46 is after her 09:00-17:00. */
    assert_float_equal(alma->weeks[0].after_hours, 2.0, 1e-9);
    assert_float_equal(alma->weeks[1].after_hours, 0.0, 1e-9);
    assert_non_null(alma->risk);
    assert_non_null(alma->risk[1].level);

    const waras_report_person *bent = &r->people[5];
    assert_float_equal(bent->weeks[0].worked_hours, 0.0, 1e-9);
    assert_float_equal(bent->weeks[1].worked_hours, 2.0, 1e-9);
    assert_float_equal(bent->weeks[1].meeting_hours, 2.0, 1e-9);
    /* Not the own view: no wellbeing is attached to anyone. */
    assert_int_equal(r->self, 0);
    assert_null(alma->survey);
    assert_null(alma->has_survey);
    waras_report_free(r);
}

static void test_report__groups_and_min_group(void **state)
{
    fixture *f = *state;
    waras_report *r = NULL;
    waras_report_opts o = weeks_46_47();
    assert_int_equal(waras_report_build(&r, f->st, &o), 0);
    assert_int_equal(r->policy.min_group, 5);
    assert_int_equal(r->ngroups, 3);

    const waras_report_group *a = &r->groups[0], *b = &r->groups[1], *org = &r->groups[2];
    assert_string_equal(a->team, "alpha");
    assert_int_equal(a->members, 5);
    /* Five people: alma's two answers are one respondent, the later one. */
    assert_int_equal(a->respondents, 5);
    assert_int_equal(a->suppressed, 0);
    for (int s = 0; s < WARAS_CBI_SCALES; s++)
        assert_float_equal(a->mean[s], 50.0, 1e-9); /* (0+25+50+75+100)/5 */
    assert_float_equal(a->high_work_share, 0.6, 1e-9); /* 50, 75, 100 */

    assert_string_equal(b->team, "beta");
    assert_int_equal(b->members, 2);
    assert_int_equal(b->respondents, 2);
    assert_int_equal(b->suppressed, 1);
    for (int s = 0; s < WARAS_CBI_SCALES; s++)
        assert_true(b->mean[s] < 0);
    assert_true(b->high_work_share < 0);

    /* The organisation minus alpha would be beta: the organisation is
     * hidden with its count, to protect beta (hiding alpha instead would
     * leave no team shown). */
    assert_string_equal(org->team, "");
    assert_int_equal(org->members, 7);
    assert_int_equal(org->respondents, -1);
    assert_int_equal(org->suppressed, 1);
    assert_int_equal(org->why, WARAS_ACCESS_COMPLEMENT);
    assert_string_equal(org->reason, "suppressed to protect a smaller group");
    assert_true(org->mean[WARAS_CBI_WORK] < 0);
    assert_true(org->high_work_share < 0);
    waras_report_free(r);

    /* With min_group 2 every group shows, the organisation over all seven. */
    waras_policy p2;
    waras_policy_default(&p2);
    p2.min_group = 2;
    o.policy = &p2;
    assert_int_equal(waras_report_build(&r, f->st, &o), 0);
    org = &r->groups[2];
    assert_int_equal(org->respondents, 7);
    assert_int_equal(org->suppressed, 0);
    assert_float_equal(org->mean[WARAS_CBI_WORK], 450.0 / 7.0, 1e-9);
    assert_float_equal(org->high_work_share, 5.0 / 7.0, 1e-9);
    assert_int_equal(r->groups[1].suppressed, 0);
    waras_report_free(r);

    /* One more than alpha has: alpha is suppressed too. */
    waras_policy p;
    waras_policy_default(&p);
    p.min_group = 6;
    o.policy = &p;
    assert_int_equal(waras_report_build(&r, f->st, &o), 0);
    assert_int_equal(r->groups[0].suppressed, 1);
    assert_true(r->groups[0].mean[WARAS_CBI_WORK] < 0);
    assert_int_equal(r->groups[2].suppressed, 0);
    waras_report_free(r);
}

static void test_report__anonymous_responses_count(void **state)
{
    fixture *f = *state;
    char rows[3][256];
    survey_row(rows[0], sizeof(rows[0]), "beta", "", "2026-11-11", 0);
    survey_row(rows[1], sizeof(rows[1]), "beta", "", "2026-11-11", 0);
    survey_row(rows[2], sizeof(rows[2]), "beta", "", "2026-11-11", 0);
    const char *const list[] = {rows[0], rows[1], rows[2]};
    ingest_survey(f, "anonymous.csv", list, 3);

    waras_report *r = NULL;
    waras_report_opts o = weeks_46_47();
    assert_int_equal(waras_report_build(&r, f->st, &o), 0);
    const waras_report_group *b = &r->groups[1];
    assert_string_equal(b->team, "beta");
    assert_int_equal(b->respondents, 5);
    assert_int_equal(b->suppressed, 0);
    assert_float_equal(b->mean[WARAS_CBI_PERSONAL], 40.0, 1e-9); /* (100+100+0+0+0)/5 */
    assert_float_equal(b->high_work_share, 0.4, 1e-9);
    assert_int_equal(r->groups[2].respondents, 10);
    waras_report_free(r);
}

/* Builds the report of weeks 46 and 47 for a team or a person (NULL: no
 * such filter), asserting success; the caller frees it. */
static waras_report *view(const fixture *f, const char *team, const char *person, int self)
{
    waras_report *r = NULL;
    waras_report_opts o = weeks_46_47();
    o.team = team;
    o.person = person;
    o.self = self;
    assert_int_equal(waras_report_build(&r, f->st, &o), 0);
    return r;
}

/* Asserts that r shows the npeople people ids (in order) and ngroups
 * groups, the first of them for the team first_group. */
static void assert_view(const waras_report *r, const char *const *ids, size_t npeople,
                        size_t ngroups, const char *first_group)
{
    assert_int_equal(r->npeople, npeople);
    for (size_t i = 0; i < npeople; i++)
        assert_string_equal(r->people[i].person.id, ids[i]);
    assert_int_equal(r->ngroups, ngroups);
    assert_string_equal(r->groups[0].team, first_group);
}

static void test_report__team_filter(void **state)
{
    fixture *f = *state;
    static const char *const beta_ids[] = {"bent", "birk"};
    waras_report *r = view(f, "beta", NULL, 0);
    assert_view(r, beta_ids, 2, 2, "beta");
    assert_int_equal(r->groups[0].suppressed, 1);
    assert_string_equal(r->groups[1].team, "");
    waras_report_free(r);

    r = view(f, "nobody-here", NULL, 0);
    assert_int_equal(r->npeople, 0);
    assert_int_equal(r->ngroups, 1);
    waras_report_free(r);
}

static void test_report__person_filter(void **state)
{
    fixture *f = *state;
    static const char *const asta[] = {"asta"};
    waras_report *r = view(f, NULL, "asta", 0);
    assert_view(r, asta, 1, 2, "alpha");
    assert_int_equal(r->groups[0].members, 5);
    waras_report_free(r);

    r = NULL;
    waras_report_opts o = weeks_46_47();
    o.person = "zed";
    assert_int_equal(waras_report_build(&r, f->st, &o), WARAS_ENOTFOUND);
    assert_null(r);

    /* The own view needs a person. */
    o.person = NULL;
    o.self = 1;
    assert_int_equal(waras_report_build(&r, f->st, &o), WARAS_EINVAL);
    assert_null(r);
}

/* A range without a whole ISO week, or not on Mondays, is refused: the
 * renderers index the first week. */
static void test_report__range_needs_mondays(void **state)
{
    fixture *f = *state;
    waras_report *r = NULL;
    waras_report_opts o = weeks_46_47();
    o.first_monday = waras_time__date(W47 / DAY);
    o.last_monday = waras_time__date(W46 / DAY);
    assert_int_equal(waras_report_build(&r, f->st, &o), WARAS_EINVAL);
    assert_null(r);
    o = weeks_46_47();
    o.first_monday = waras_date_add(o.first_monday, 1);
    assert_int_equal(waras_report_build(&r, f->st, &o), WARAS_EINVAL);
    assert_null(r);
    o = weeks_46_47();
    o.last_monday = o.first_monday;
    assert_int_equal(waras_report_build(&r, f->st, &o), 0);
    assert_int_equal(r->nweeks, 1);
    waras_report_free(r);
}

static void test_report__own_view_has_own_wellbeing(void **state)
{
    fixture *f = *state;
    waras_report *r = NULL;
    waras_report_opts o = weeks_46_47();
    o.person = "axel";
    o.self = 1;
    assert_int_equal(waras_report_build(&r, f->st, &o), 0);
    assert_int_equal(r->self, 1);
    const waras_report_person *p = &r->people[0];
    /* Taken on Tuesday of W46: shown for W46 and W47. */
    assert_int_equal(p->has_survey[0], 1);
    assert_int_equal(p->has_survey[1], 1);
    assert_string_equal(p->survey_date[1], "2026-11-10");
    assert_float_equal(p->survey[1].scale[WARAS_CBI_WORK], 75.0, 1e-9);
    waras_report_free(r);

    /* alma answered on 2026-11-03 and again on 2026-11-10, both before
     * W46's Sunday: the later answer is shown for both weeks. */
    o.person = "alma";
    assert_int_equal(waras_report_build(&r, f->st, &o), 0);
    assert_string_equal(r->people[0].survey_date[0], "2026-11-10");
    assert_float_equal(r->people[0].survey[0].scale[WARAS_CBI_PERSONAL], 0.0, 1e-9);
    waras_report_free(r);
}

static void test_report__week_label(void **state)
{
    (void)state;
    char buf[16];
    waras_week_metrics w = {.iso_year = 2026, .iso_week = 47};
    waras_report_week_label(buf, sizeof(buf), &w);
    assert_string_equal(buf, "2026-W47");
    w = (waras_week_metrics){.iso_year = 2027, .iso_week = 1};
    waras_report_week_label(buf, sizeof(buf), &w);
    assert_string_equal(buf, "2027-W01");
}

static void test_report__weeks_across_the_year(void **state)
{
    fixture *f = *state;
    waras_report *r = NULL;
    char a[16], b[16];
    /* 2026 has 53 ISO weeks: Monday 2026-12-28 is 2026-W53, 2027-01-04 2027-W01. */
    waras_report_opts o = {
        .first_monday = {2026, 12, 28}, .last_monday = {2027, 1, 4}, .person = "alma"};
    assert_int_equal(waras_report_build(&r, f->st, &o), 0);
    assert_int_equal(r->nweeks, 2);
    waras_report_week_label(a, sizeof(a), &r->people[0].weeks[0]);
    waras_report_week_label(b, sizeof(b), &r->people[0].weeks[1]);
    assert_string_equal(a, "2026-W53");
    assert_string_equal(b, "2027-W01");
    waras_report_free(r);
}

static void test_report__json_suppresses_small_groups(void **state)
{
    fixture *f = *state;
    waras_report *r = NULL;
    waras_report_opts o = weeks_46_47();
    assert_int_equal(waras_report_build(&r, f->st, &o), 0);
    char *text = waras_report_json(r);
    assert_non_null(text);
    json_error_t err;
    json_t *root = json_loads(text, 0, &err);
    assert_non_null(root);
    assert_int_equal(json_integer_value(json_object_get(root, "min_group")), 5);

    json_t *people = json_object_get(root, "people");
    assert_int_equal(json_array_size(people), 7);
    json_t *alma = json_array_get(people, 0);
    assert_string_equal(json_string_value(json_object_get(alma, "id")), "alma");
    json_t *w47 = json_array_get(json_object_get(alma, "weeks"), 1);
    assert_string_equal(json_string_value(json_object_get(w47, "week")), "2026-W47");
    assert_float_equal(json_number_value(json_object_get(w47, "worked_hours")), 40.0, 1e-9);
    /* Individual wellbeing is private outside the own view. */
    assert_true(json_is_null(json_object_get(w47, "wellbeing")));

    json_t *teams = json_object_get(root, "teams");
    assert_int_equal(json_array_size(teams), 2);
    json_t *ta = json_array_get(teams, 0), *tb = json_array_get(teams, 1);
    assert_string_equal(json_string_value(json_object_get(ta, "team")), "alpha");
    json_t *wa = json_object_get(ta, "wellbeing");
    assert_true(json_is_object(wa));
    assert_int_equal(json_integer_value(json_object_get(wa, "respondents")), 5);
    assert_float_equal(json_number_value(json_object_get(wa, "work")), 50.0, 1e-9);
    assert_null(json_object_get(ta, "wellbeing_suppressed"));
    assert_string_equal(json_string_value(json_object_get(tb, "team")), "beta");
    assert_true(json_is_null(json_object_get(tb, "wellbeing")));
    assert_non_null(strstr(json_string_value(json_object_get(tb, "wellbeing_suppressed")),
                           "2 respondents"));
    json_t *org = json_object_get(root, "organisation");
    assert_int_equal(json_integer_value(json_object_get(org, "people")), 7);
    /* Shown, it would give beta's means by subtraction. */
    assert_true(json_is_null(json_object_get(org, "wellbeing")));
    assert_string_equal(json_string_value(json_object_get(org, "wellbeing_suppressed")),
                        "suppressed to protect a smaller group");
    assert_true(json_is_null(json_object_get(org, "wellbeing_respondents")));
    assert_int_equal(json_integer_value(json_object_get(tb, "wellbeing_respondents")), 2);
    assert_string_equal(json_string_value(json_object_get(root, "survey_round")), "2026-Q4");
    json_decref(root);
    free(text);
    waras_report_free(r);
}

static void test_report__html_is_self_contained(void **state)
{
    fixture *f = *state;
    waras_report *r = NULL;
    waras_report_opts o = weeks_46_47();
    assert_int_equal(waras_report_build(&r, f->st, &o), 0);
    char *html = waras_report_html(r, "Load <alpha & beta>");
    assert_non_null(html);
    assert_true(strncmp(html, "<!doctype html>", 15) == 0);
    assert_non_null(strstr(html, "</html>"));
    assert_null(strstr(html, "http://"));
    assert_null(strstr(html, "https://"));
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "<link"));
    assert_null(strstr(html, "<img"));
    assert_null(strstr(html, "url("));
    assert_non_null(strstr(html, "<title>Load &lt;alpha &amp; beta&gt;</title>"));
    for (int i = 0; i < 5; i++)
        assert_non_null(strstr(html, alpha[i]));
    assert_non_null(strstr(html, beta[0]));
    assert_non_null(strstr(html, beta[1]));
    /* alma's 40 h week is in the heat map. */
    assert_non_null(strstr(html, "alma, W47: 40.0 h worked"));
    /* beta's survey row is suppressed. */
    assert_non_null(strstr(html, "suppressed: fewer than 5 respondents"));
    free(html);
    waras_report_free(r);
}

/* The charts the service's pages embed are the HTML report's own: each
 * fragment is one SVG with its label and a viewBox, found verbatim in the
 * report. */
static void test_report__charts_are_the_reports(void **state)
{
    fixture *f = *state;
    waras_report *r = NULL;
    waras_report_opts o = weeks_46_47();
    assert_int_equal(waras_report_build(&r, f->st, &o), 0);
    char *html = waras_report_html(r, "t");
    assert_non_null(html);
    static const char *const labels[3] = {"Worked hours per person and week",
                                          "Interruptions by window",
                                          "On-call hours against the fair share"};
    static const waras_report_chart_kind kinds[3] = {WARAS_CHART_HOURS, WARAS_CHART_INTERRUPTIONS,
                                                     WARAS_CHART_ONCALL};
    for (int i = 0; i < 3; i++) {
        char *c = NULL, want[120];
        assert_int_equal(waras_report_chart(&c, r, kinds[i]), 0);
        snprintf(want, sizeof(want), "<svg role=\"img\" aria-label=\"%s\"", labels[i]);
        assert_true(strncmp(c, want, strlen(want)) == 0);
        assert_non_null(strstr(c, "viewBox=\"0 0 "));
        assert_non_null(strstr(c, "max-width:100%"));
        assert_int_equal(strstr(c + 1, "<svg") == NULL, 1); /* one chart */
        if (kinds[i] != WARAS_CHART_ONCALL) /* the report says "no shifts" in words */
            assert_non_null(strstr(html, c));
        if (kinds[i] == WARAS_CHART_INTERRUPTIONS) {
            /* business yellow, off orange, sleep red, in that order */
            const char *leg = strstr(c, "class=\"legend\"");
            assert_non_null(leg);
            const char *y = strstr(leg, "#facc15"), *o2 = strstr(leg, "#f97316"),
                       *rd = strstr(leg, "#dc2626");
            assert_true(y && o2 && rd && y < o2 && o2 < rd);
        }
        free(c);
    }
    char *c = NULL;
    assert_int_equal(waras_report_chart(&c, r, (waras_report_chart_kind)7), WARAS_EINVAL);
    assert_null(c);
    free(html);
    waras_report_free(r);
}

/* The wellbeing a group shows, compared field by field. */
static void same_group(const waras_report_group *a, const waras_report_group *b)
{
    assert_string_equal(a->team, b->team);
    assert_int_equal(a->respondents, b->respondents);
    assert_int_equal(a->suppressed, b->suppressed);
    assert_int_equal(a->why, b->why);
    for (int s = 0; s < WARAS_CBI_SCALES; s++)
        assert_float_equal(a->mean[s], b->mean[s], 1e-12);
    assert_float_equal(a->high_work_share, b->high_work_share, 1e-12);
    assert_string_equal(a->reason, b->reason);
}

static const waras_report_group *group_named(const waras_report *r, const char *team)
{
    for (size_t g = 0; g < r->ngroups; g++)
        if (strcmp(r->groups[g].team, team) == 0)
            return &r->groups[g];
    fail_msg("no group '%s'", team);
    return NULL;
}

/* A filter changes which groups a view shows, never what they show: the
 * view of one team, one person or a person's own view is a subset of the
 * full view, the organisation included, so views taken together give
 * nothing a single full view does not. */
static void test_report__filtered_views_are_subsets(void **state)
{
    fixture *f = *state;
    waras_report *full = NULL, *r = NULL;
    waras_report_opts o = weeks_46_47();
    assert_int_equal(waras_report_build(&full, f->st, &o), 0);
    const char *const teams[] = {"alpha", "beta"};
    for (int i = 0; i < 2; i++) {
        r = view(f, teams[i], NULL, 0);
        assert_int_equal(r->ngroups, 2);
        for (size_t g = 0; g < r->ngroups; g++)
            same_group(&r->groups[g], group_named(full, r->groups[g].team));
        waras_report_free(r);
    }
    const char *const who[] = {"alma", "birk"};
    for (int i = 0; i < 2; i++) {
        for (int self = 0; self < 2; self++) {
            r = view(f, NULL, who[i], self);
            for (size_t g = 0; g < r->ngroups; g++)
                same_group(&r->groups[g], group_named(full, r->groups[g].team));
            waras_report_free(r);
        }
    }
    /* beta alone is the subgroup a filter isolates: still nothing of it. */
    assert_int_equal(group_named(full, "beta")->suppressed, 1);
    assert_int_equal(group_named(full, "")->suppressed, 1);
    waras_report_free(full);
}

/* A view shows a survey round whole: a view that ends inside the round,
 * before most of its responses, shows the same figures as one after it,
 * so two end dates never differ by one person's response. */
static void test_report__a_round_is_shown_whole(void **state)
{
    fixture *f = *state;
    waras_report *after = NULL, *inside = NULL;
    waras_report_opts o = weeks_46_47();
    assert_int_equal(waras_report_build(&after, f->st, &o), 0);
    o.first_monday = o.last_monday = waras_time__date(W46 / DAY - 7); /* W45, ends 2026-11-08 */
    assert_int_equal(waras_report_build(&inside, f->st, &o), 0);
    assert_string_equal(after->survey_round, "2026-Q4");
    assert_string_equal(inside->survey_round, "2026-Q4");
    assert_int_equal(inside->groups[0].respondents, 5);
    for (size_t g = 0; g < after->ngroups; g++)
        same_group(&inside->groups[g], &after->groups[g]);
    waras_report_free(after);
    waras_report_free(inside);

    /* A year later no round overlaps the window: nothing, and it says so. */
    o.first_monday = o.last_monday = waras_time__date(W46 / DAY + 7 * 52);
    assert_int_equal(waras_report_build(&after, f->st, &o), 0);
    assert_string_equal(after->survey_round, "");
    assert_int_equal(after->groups[0].respondents, 0);
    assert_int_equal(after->groups[0].suppressed, 1);
    waras_report_free(after);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_report__person_weeks),
        T(test_report__groups_and_min_group),
        T(test_report__anonymous_responses_count),
        T(test_report__team_filter),
        T(test_report__person_filter),
        T(test_report__range_needs_mondays),
        T(test_report__own_view_has_own_wellbeing),
        T(test_report__week_label),
        T(test_report__weeks_across_the_year),
        T(test_report__json_suppresses_small_groups),
        T(test_report__html_is_self_contained),
        T(test_report__charts_are_the_reports),
        T(test_report__filtered_views_are_subsets),
        T(test_report__a_round_is_shown_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
