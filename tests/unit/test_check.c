/*
 * Unit tests of the policy presets (waras/check.h): for each of who-55,
 * eu-wtd, id-pp35 and sre, scenarios on a scratch store whose answers were
 * worked out by hand, one rule at a time, so that a wrong number points at
 * the rule (and the metric) that computed it. Everyone is in UTC, works
 * Monday to Friday 09:00-17:00 unless said otherwise, and the worked time
 * comes from timesheet entries, which are authoritative. 2027-01-04 is the
 * Monday of 2027-W01.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "waras/check.h"
#include "waras/store.h"
#include "waras/time.h"
#include "time/days.h"

typedef struct fixture {
    th_scratch s;
    int key; /* source keys given so far */
} fixture;

static int setup(void **state)
{
    return th_scratch_setup(state, sizeof(fixture), "check");
}

static void person(fixture *f, const char *id, const char *team, const char *site,
                   unsigned work_days)
{
    waras_person p = th_person(id, team, "UTC", work_days, 9 * 60, 17 * 60);
    snprintf(p.site, sizeof(p.site), "%s", site);
    assert_int_equal(waras_store_person_put(f->s.st, &p), 0);
}

static int64_t day(int y, int m, int d)
{
    return waras_time__days_from_civil(y, m, d);
}

static void event(fixture *f, const char *id, const char *kind, waras_instant s, waras_instant e,
                  const char *attrs)
{
    th_event_put(
        f->s.st, &f->key,
        (waras_event){
            .person = id, .kind = kind, .start = s, .end = e, .source_kind = kind, .attrs = attrs});
}

/* Worked time on local day d (UTC) from hour h0 to hour h1 (may pass 24). */
static void work(fixture *f, const char *id, int64_t d, double h0, double h1)
{
    event(f, id, "timesheet", d * 86400 + (waras_instant)(h0 * 3600),
          d * 86400 + (waras_instant)(h1 * 3600), NULL);
}

/* The same hours on n consecutive days from d. */
static void work_days(fixture *f, const char *id, int64_t d, int n, double h0, double h1)
{
    for (int i = 0; i < n; i++)
        work(f, id, d + i, h0, h1);
}

/* The same hours Monday to Friday for `weeks` weeks from Monday d. */
static void work_weeks(fixture *f, const char *id, int64_t d, int weeks, double h0, double h1)
{
    for (int w = 0; w < weeks; w++)
        work_days(f, id, d + 7 * w, 5, h0, h1);
}

static void run(fixture *f, const char *preset, int64_t first_monday, int64_t last_monday,
                waras_check_result *r)
{
    assert_int_equal(waras_check_run(r, f->s.st, preset, NULL, waras_time__date(first_monday),
                                     waras_time__date(last_monday)),
                     0);
}

static int count_rule(const waras_check_result *r, const char *rule)
{
    int n = 0;
    for (size_t i = 0; i < r->n; i++)
        n += strcmp(r->v[i].rule, rule) == 0;
    return n;
}

/* The one violation of this rule; fails when there is not exactly one. */
static const waras_violation *only(const waras_check_result *r, const char *rule)
{
    assert_int_equal(count_rule(r, rule), 1);
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->v[i].rule, rule) == 0)
            return &r->v[i];
    return NULL;
}

static void assert_starts(const char *text, const char *prefix)
{
    if (strncmp(text, prefix, strlen(prefix)) != 0)
        fail_msg("\"%s\" does not start with \"%s\"", text, prefix);
}

/* What a run should find: exactly one violation, of rule; when given, its
 * person, its dates, its whole detail, or how its detail starts. */
typedef struct expect {
    const char *rule, *person, *when, *detail, *starts;
} expect;

/* Runs preset over the weeks from Monday first to Monday last and checks
 * that it finds exactly what e says. */
static void expect_one(fixture *f, const char *preset, int64_t first, int64_t last, expect e)
{
    waras_check_result r;
    run(f, preset, first, last, &r);
    const waras_violation *v = only(&r, e.rule);
    assert_int_equal(r.n, 1);
    if (e.person)
        assert_string_equal(v->person, e.person);
    if (e.when)
        assert_string_equal(v->when, e.when);
    if (e.detail)
        assert_string_equal(v->detail, e.detail);
    if (e.starts)
        assert_starts(v->detail, e.starts);
    waras_check_result_free(&r);
}

/* Runs preset the same way and checks that it finds no violation, among
 * `people` people (-1: any number). */
static void expect_none(fixture *f, const char *preset, int64_t first, int64_t last, int people)
{
    waras_check_result r;
    run(f, preset, first, last, &r);
    if (people >= 0)
        assert_int_equal(r.people, people);
    assert_int_equal(r.n, 0);
    waras_check_result_free(&r);
}

/* --- who-55 --- */

static void test_check__who55_54h_passes(void **state)
{
    fixture *f = *state;
    person(f, "ana", "t", "a", 0x1f);
    work_weeks(f, "ana", day(2027, 1, 4), 1, 8, 18.8); /* 10.8 h x 5 = 54 h */
    expect_none(f, "who-55", day(2027, 1, 4), day(2027, 1, 4), 1);
}

/* --- eu-wtd --- */

static void test_check__euwtd_40h_passes(void **state)
{
    fixture *f = *state;
    person(f, "ana", "t", "a", 0x1f);
    /* 17 weeks of 8 h x 5: a 40 h average, 16 h of daily rest, 64 h at
     * the weekend. */
    work_weeks(f, "ana", day(2027, 1, 4), 17, 9, 17);
    waras_check_result r;
    run(f, "eu-wtd", day(2027, 4, 26), day(2027, 4, 26), &r);
    assert_int_equal(r.n, 0);
    assert_non_null(strstr(r.notes, "annual leave: the range is shorter than 52 weeks"));
    assert_null(strstr(r.notes, "fewer than 17 weeks"));
    waras_check_result_free(&r);
}

static void test_check__euwtd_annual_leave_4_weeks(void **state)
{
    fixture *f = *state;
    person(f, "ana", "t", "a", 0x1f);
    int64_t first = day(2027, 1, 4), last = first + 51 * 7;
    expect_one(f, "eu-wtd", first, last,
               (expect){.rule = "annual-leave-4w",
                        .when = "the last 52 weeks",
                        .detail = "0.0 days of leave (4 weeks required)"});
    /* Four weeks away (28 local days) satisfy it. */
    event(f, "ana", "leave", day(2027, 7, 5) * 86400, day(2027, 8, 2) * 86400,
          "{\"type\":\"vacation\"}");
    expect_none(f, "eu-wtd", first, last, -1);
}

/* --- id-pp35 --- */

static void test_check__idpp35_8h_x5_passes(void **state)
{
    fixture *f = *state;
    person(f, "ana", "t", "a", 0x1f);
    work_weeks(f, "ana", day(2027, 1, 4), 1, 9, 17);
    waras_check_result r;
    run(f, "id-pp35", day(2027, 1, 4), day(2027, 1, 4), &r);
    assert_int_equal(r.people, 1);
    assert_int_equal(r.n, 0);
    assert_non_null(strstr(r.notes, "annual leave: the range is shorter than 52 weeks"));
    waras_check_result_free(&r);
}

static void test_check__idpp35_six_day_week(void **state)
{
    fixture *f = *state;
    person(f, "ana", "t", "a", 0x3f); /* Monday to Saturday: a 7 h day */
    int64_t mon = day(2027, 1, 4);
    work(f, "ana", mon, 8, 19.5); /* 11.5 h: 4.5 h over */
    work_days(f, "ana", mon + 1, 5, 9, 16); /* Tuesday to Saturday 7 h */
    work(f, "ana", mon + 6, 9, 16);         /* and Sunday: no rest day */
    waras_check_result r;
    run(f, "id-pp35", mon, mon, &r);
    assert_int_equal(r.n, 2);
    const waras_violation *v = only(&r, "overtime-4h-day");
    assert_string_equal(v->when, "2027-01-04");
    assert_string_equal(v->detail, "11.5 h worked: 4.5 h of overtime (at most 4 h a day)");
    v = only(&r, "weekly-rest-days");
    assert_string_equal(v->detail, "0 days without work (at least 1 for a 6-day week)");
    waras_check_result_free(&r);
}

/* Twelve calendar days of leave from a Monday are ten working days; a
 * public holiday is not leave. */
static void test_check__idpp35_annual_leave_12_working_days(void **state)
{
    fixture *f = *state;
    person(f, "ana", "t", "a", 0x1f);
    int64_t first = day(2027, 1, 4), last = first + 51 * 7;
    event(f, "ana", "leave", day(2027, 3, 1) * 86400, day(2027, 3, 13) * 86400,
          "{\"type\":\"vacation\"}");
    event(f, "ana", "leave", day(2027, 5, 3) * 86400, day(2027, 5, 6) * 86400,
          "{\"type\":\"holiday\"}");
    expect_one(f, "id-pp35", first, last,
               (expect){.rule = "annual-leave-12d",
                        .when = "the last 52 weeks",
                        .detail = "10 working days of leave (12 required)"});
    event(f, "ana", "leave", day(2027, 6, 7) * 86400, day(2027, 6, 9) * 86400,
          "{\"type\":\"vacation\"}");
    expect_none(f, "id-pp35", first, last, -1);
}

/* A public holiday is no working day: 13 h worked on Monday 2027-01-04 is
 * 5 h of overtime over the day's 8 h on a working day, but on a holiday it
 * falls outside the 4 h a day limit (PP 35/2021 art. 26(2)). */
static void test_check__idpp35_holiday_is_no_working_day(void **state)
{
    fixture *f = *state;
    person(f, "ana", "t", "a", 0x1f);
    int64_t jan4 = day(2027, 1, 4);
    work(f, "ana", jan4, 6, 19);
    expect_one(f, "id-pp35", jan4, jan4,
               (expect){.rule = "overtime-4h-day",
                        .when = "2027-01-04",
                        .detail = "13.0 h worked: 5.0 h of overtime (at most 4 h a day)"});
    event(f, "ana", "holiday", jan4 * 86400, (jan4 + 1) * 86400, "{\"name\":\"test\"}");
    expect_none(f, "id-pp35", jan4, jan4, -1);
}

/* Leave over a public holiday (an event of kind holiday) does not spend
 * it: twelve days from Monday 2027-03-01 hold ten working days, less the
 * holiday on Wednesday 03-03, nine. */
static void test_check__idpp35_leave_over_a_holiday(void **state)
{
    fixture *f = *state;
    person(f, "ana", "t", "a", 0x1f);
    int64_t first = day(2027, 1, 4), last = first + 51 * 7;
    event(f, "ana", "leave", day(2027, 3, 1) * 86400, day(2027, 3, 13) * 86400,
          "{\"type\":\"vacation\"}");
    event(f, "ana", "holiday", day(2027, 3, 3) * 86400, day(2027, 3, 4) * 86400,
          "{\"name\":\"test\"}");
    expect_one(f, "id-pp35", first, last,
               (expect){.rule = "annual-leave-12d",
                        .when = "the last 52 weeks",
                        .detail = "9 working days of leave (12 required)"});
}

/* --- one violation from worked hours, every preset --- */

/* Hours h0 to h1 (may pass 24) worked on `days` consecutive days from day
 * `from`, in each of `weeks` weeks from there. */
typedef struct span {
    int64_t from;
    int days, weeks;
    double h0, h1;
} span;

/* One scenario: ana (Monday to Friday) works the spans, and the preset run
 * over the weeks from Monday first to Monday last finds exactly e. */
typedef struct one_case {
    const char *name;
    const char *preset;
    int64_t first, last;
    span work[5]; /* up to the first with no days */
    expect e;
} one_case;

static void test_check__one_violation_from_work(void **state)
{
    (void)state;
    const int64_t jan4 = day(2027, 1, 4), apr19 = day(2027, 4, 19), apr26 = day(2027, 4, 26);
    const one_case cases[] = {
        {"who-55: 11 h x 5 = 55 h, two weeks", "who-55", jan4 + 7, jan4 + 7,
         {{jan4, 5, 2, 8, 19}},
         {.rule = "week-55h", .person = "ana", .when = "2027-W02", .starts = "55.0 h worked"}},
        {"eu-wtd: 50 h a week, 14 h daily rest", "eu-wtd", apr26, apr26,
         {{jan4, 5, 17, 8, 18}},
         {.rule = "average-48h",
          .when = "2027-W01..2027-W17",
          .detail = "50.0 h a week on average over 17 weeks (over 48 h in 1 of 1 reference "
                    "periods)"}},
        /* Tuesday 08:00-22:00, then 8 h of rest until Wednesday 06:00. */
        {"eu-wtd: daily rest under 11 h", "eu-wtd", apr26, apr26,
         {{apr26, 1, 1, 9, 17},
          {apr26 + 1, 1, 1, 8, 22},
          {apr26 + 2, 1, 1, 6, 14},
          {apr26 + 3, 2, 1, 9, 17}},
         {.rule = "daily-rest-11h",
          .when = "2027-04-27",
          .starts = "8.0 h of rest in the 24 h from the day's first work (14.0 h worked"}},
        /* Every day 09:00-17:00 for three weeks: the middle week's longest
         * rest is 16 h. */
        {"eu-wtd: weekly rest under 35 h", "eu-wtd", apr26, apr26,
         {{apr19, 21, 1, 9, 17}},
         {.rule = "weekly-rest-35h",
          .when = "2027-W17",
          .detail = "longest rest 16.0 h (24 h + 11 h required)"}},
        /* Nights 20:00-06:00, Monday to Friday. Worked days: Monday 4 h (2 h
         * at night), Tuesday to Friday 10 h (7 h at night), Saturday 6 h
         * (5 h at night): 5 of 6 days with 3 h or more at night, 50 h / 6 =
         * 8.3 h. */
        {"eu-wtd: night worker over 8 h", "eu-wtd", apr26, apr26,
         {{apr26, 5, 1, 20, 30}},
         {.rule = "night-8h",
          .when = "2027-W17..2027-W17",
          .detail = "night worker (5 of 6 worked days with 3 h or more at night) averaging "
                    "8.3 h per worked day"}},
        /* Tuesday 13 h: 5 h over the 8 h day. */
        {"id-pp35: overtime over 4 h a day", "id-pp35", jan4, jan4,
         {{jan4, 5, 1, 9, 17}, {jan4 + 1, 1, 1, 17, 22}},
         {.rule = "overtime-4h-day",
          .when = "2027-01-05",
          .detail = "13.0 h worked: 5.0 h of overtime (at most 4 h a day)"}},
        /* 12 h x 5: 4 h a day, 20 h a week. */
        {"id-pp35: overtime over 18 h a week", "id-pp35", jan4, jan4,
         {{jan4, 5, 1, 8, 20}},
         {.rule = "overtime-18h-week",
          .when = "2027-W01",
          .detail = "60.0 h worked on working days: 20.0 h of overtime (at most 18 h a week)"}},
        /* 11 h x 5 (3 h a day, 15 h a week) and Saturday 13 h: work on a
         * weekly rest day is outside the 4 h and 18 h limits (art. 26(2)),
         * but it takes the second rest day of a five-day week. */
        {"id-pp35: rest-day work breaks the weekly rest only", "id-pp35", jan4, jan4,
         {{jan4, 5, 1, 8, 19}, {jan4 + 5, 1, 1, 8, 21}},
         {.rule = "weekly-rest-days",
          .when = "2027-W01",
          .detail = "1 day without work (at least 2 for a 5-day week)"}},
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        const one_case *k = &cases[c];
        print_message("%s\n", k->name);
        fixture f = {0};
        assert_int_equal(th_scratch_open(&f.s, "check"), 0);
        person(&f, "ana", "t", "a", 0x1f);
        for (const span *w = k->work; w < k->work + 5 && w->days; w++)
            for (int i = 0; i < w->weeks; i++)
                work_days(&f, "ana", w->from + 7 * i, w->days, w->h0, w->h1);
        expect_one(&f, k->preset, k->first, k->last, k->e);
        th_scratch_close(&f.s);
    }
}

/* --- sre --- */

/* n people of team t at the given sites share the week from Monday mon in
 * back-to-back shifts of 168 / n hours. */
static void rota(fixture *f, int64_t mon, int n, const char *const *sites)
{
    waras_instant len = 168 * 3600 / n;
    for (int i = 0; i < n; i++) {
        char id[16];
        snprintf(id, sizeof(id), "p%02d", i);
        person(f, id, "t", sites[i], 0x1f);
        event(f, id, "shift", mon * 86400 + i * len, mon * 86400 + (i + 1) * len, NULL);
    }
}

static void test_check__sre_eight_on_rota_passes(void **state)
{
    fixture *f = *state;
    const char *sites[8] = {"a", "a", "a", "a", "a", "a", "a", "a"};
    int64_t mon = day(2027, 2, 22);
    rota(f, mon, 8, sites);
    expect_none(f, "sre", mon, mon, 8);
}

static void test_check__sre_oncall_over_25pct(void **state)
{
    fixture *f = *state;
    person(f, "ana", "t", "a", 0x1f);
    int64_t mon = day(2027, 2, 22); /* 2027-W08 */
    /* On call the four weeks 2027-W05..W08: 4 of the 13 weeks
     * 2026-W49..2027-W08, 31 %. */
    event(f, "ana", "shift", (mon - 21) * 86400, (mon + 7) * 86400, NULL);
    waras_check_result r;
    run(f, "sre", mon, mon, &r);
    assert_int_equal(r.n, 2);
    const waras_violation *v = only(&r, "oncall-25pct");
    assert_string_equal(v->when, "2026-W49..2027-W08");
    assert_string_equal(v->detail, "on call 31 % of the time (at most 25 %)");
    v = only(&r, "rotation-size");
    assert_string_equal(v->person, "");
    assert_string_equal(v->team, "t");
    assert_string_equal(v->when, "2027-02-22..2027-02-28");
    assert_string_equal(v->detail, "1 people on the rotation at one site (at least 8)");
    waras_check_result_free(&r);
}

static void test_check__sre_three_incidents_in_12h(void **state)
{
    fixture *f = *state;
    const char *sites[8] = {"a", "a", "a", "a", "a", "a", "a", "a"};
    int64_t mon = day(2027, 2, 22);
    rota(f, mon, 8, sites); /* p00 is on call Monday 00:00-21:00 */
    waras_instant t0 = mon * 86400;
    for (int h = 1; h <= 3; h++) /* 01:00, 02:00, 03:00: three in the first 12 h */
        event(f, "p00", "incident", t0 + h * 3600, t0 + h * 3600 + 600, NULL);
    event(f, "p00", "incident", t0 + 13 * 3600, t0 + 13 * 3600 + 600, NULL); /* one after */
    expect_one(f, "sre", mon, mon,
               (expect){.rule = "incidents-per-shift",
                        .person = "p00",
                        .when = "2027-02-22 00:00 +12h",
                        .detail = "3 incidents in 12 h of on-call (at most 2)"});
}

static void test_check__sre_two_sites_need_six_each(void **state)
{
    fixture *f = *state;
    const char *sites[11] = {"a", "a", "a", "a", "a", "a", "b", "b", "b", "b", "b"};
    int64_t mon = day(2027, 2, 22);
    rota(f, mon, 11, sites);
    expect_one(f, "sre", mon, mon,
               (expect){.rule = "rotation-size",
                        .detail = "5 people on the rotation at site 'b' (at least 6 per site on a "
                                  "two-site rotation)"});
}

static void test_check__unknown_preset(void **state)
{
    fixture *f = *state;
    waras_check_result r;
    int64_t mon = day(2027, 1, 4);
    assert_int_not_equal(
        waras_check_run(&r, f->s.st, "eu", NULL, waras_time__date(mon), waras_time__date(mon)), 0);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, th_scratch_teardown)
    const struct CMUnitTest tests[] = {
        T(test_check__who55_54h_passes),
        T(test_check__euwtd_40h_passes),
        T(test_check__euwtd_annual_leave_4_weeks),
        T(test_check__idpp35_8h_x5_passes),
        T(test_check__idpp35_six_day_week),
        T(test_check__idpp35_annual_leave_12_working_days),
        T(test_check__idpp35_holiday_is_no_working_day),
        T(test_check__idpp35_leave_over_a_holiday),
        cmocka_unit_test(test_check__one_violation_from_work),
        T(test_check__sre_eight_on_rota_passes),
        T(test_check__sre_oncall_over_25pct),
        T(test_check__sre_three_incidents_in_12h),
        T(test_check__sre_two_sites_need_six_each),
        T(test_check__unknown_preset),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
