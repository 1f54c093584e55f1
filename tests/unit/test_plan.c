/*
 * Unit tests of the quiet-week and recovery planners on a small store:
 * the quiet-week policy check (a milestone placed inside a recorded quiet
 * week is flagged, one outside is not) and the recorded recovery leave
 * (a plan, and leave events that metrics and the on-call planner read), and
 * the recorded quiet week's cancellation events, which the metrics honour.
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
#include "waras/metrics.h"
#include "waras/quiet.h"
#include "waras/recovery.h"
#include "waras/store.h"
#include "waras/time.h"
#include "time/days.h"

typedef struct fixture {
    th_scratch s;
} fixture;

static int setup(void **state)
{
    if (th_scratch_setup(state, sizeof(fixture), "plan"))
        return -1;
    fixture *f = *state;
    const char *ids[] = {"ana", "bo", "cy", "dee"};
    for (size_t i = 0; i < 4; i++)
        if (th_person_put(f->s.st, ids[i], "q", "UTC", 0x1f, 9 * 60, 17 * 60))
            return -1;
    return 0;
}

static waras_instant at(int y, int m, int d)
{
    return waras_time__days_from_civil(y, m, d) * 86400;
}

static void put_milestone(waras_store *st, const char *key, waras_instant start)
{
    waras_event ev = {.person = "bo", .kind = "milestone", .start = start,
                      .end = start + 86400, .all_day = 1, .source_kind = "ics-milestone",
                      .source_key = key, .attrs = "{\"summary\":\"Launch\"}"};
    int changed;
    assert_int_equal(waras_store_event_put(&changed, st, &ev), 0);
}

static void test_plan__quiet_check_flags_a_later_milestone(void **state)
{
    fixture *f = *state;
    int64_t id;
    waras_instant mon = at(2027, 4, 19);
    assert_int_equal(waras_store_plan_add(&id, f->s.st, "quiet", "q", mon, mon + 7 * 86400, NULL),
                     0);
    assert_int_equal(waras_store_plan_assign(f->s.st, id, "bo", "quiet", mon, mon + 7 * 86400), 0);
    put_milestone(f->s.st, "outside", at(2027, 4, 27));
    waras_check_result r = {0};
    waras_date first = {2027, 4, 5}, last = {2027, 5, 3};
    assert_int_equal(waras_quiet_check(&r, f->s.st, "q", first, last), 0);
    assert_int_equal(r.n, 0);
    put_milestone(f->s.st, "inside", at(2027, 4, 21));
    assert_int_equal(waras_quiet_check(&r, f->s.st, NULL, first, last), 0);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.v[0].rule, "quiet-week");
    assert_string_equal(r.v[0].person, "bo");
    assert_string_equal(r.v[0].when, "2027-W16");
    free(r.v);
}

typedef struct count_ctx {
    int n;
} count_ctx;

static int count_leave(void *ctx, const waras_event *ev)
{
    count_ctx *c = ctx;
    c->n += strcmp(ev->source_kind, "plan-recovery") == 0 && ev->all_day;
    return 0;
}

/* How many recorded recovery leave events overlap 2027-03-01..14. */
static int recovery_leave(waras_store *st)
{
    count_ctx c = {0};
    assert_int_equal(waras_store_events_each(st, NULL, "leave", at(2027, 3, 1), at(2027, 3, 15),
                                             count_leave, &c), 0);
    return c.n;
}

static void test_plan__recovery_records_leave(void **state)
{
    fixture *f = *state;
    waras_recovery_plan plan;
    waras_recovery_opts o = {.team = "q",
                             .project = "atlas",
                             .ends = {2027, 2, 26},
                             .days = 5,
                             .window_weeks = 2,
                             .max_away = 2,
                             .budget = {.time_limit = 10}};
    assert_int_equal(waras_recovery_plan_make(&plan, f->s.st, &o), 0);
    assert_true(plan.feasible);
    assert_int_equal(plan.nleave, 4);
    assert_int_equal(waras_recovery_plan_record(&plan, f->s.st), 0);
    assert_int_equal(recovery_leave(f->s.st), 4);
    waras_recovery_plan_free(&plan);
    /* A re-plan does not count the project's own leave, and moves it. */
    assert_int_equal(waras_recovery_plan_make(&plan, f->s.st, &o), 0);
    assert_true(plan.feasible);
    assert_int_equal(waras_recovery_plan_record(&plan, f->s.st), 0);
    assert_int_equal(recovery_leave(f->s.st), 4);
    waras_recovery_plan_free(&plan);
    /* Too short: one week holds 10 leave-days, 20 are needed. */
    o.window_weeks = 1;
    assert_int_equal(waras_recovery_plan_make(&plan, f->s.st, &o), 0);
    assert_false(plan.feasible);
    assert_string_equal(plan.suggestion, "a window of 2 weeks, or at most 4 away at once");
    waras_recovery_plan_free(&plan);
}

static void put_meeting(waras_store *st, const char *person, const char *key, waras_instant start,
                        int external)
{
    waras_event ev = {.person = person, .kind = "meeting", .status = "accepted", .start = start,
                      .end = start + 3600, .source_kind = "ics", .source_key = key,
                      .attrs = external ? "{\"summary\":\"Partner\",\"external\":1}"
                                        : "{\"summary\":\"Sync\"}"};
    int changed;
    assert_int_equal(waras_store_event_put(&changed, st, &ev), 0);
}

static double meeting_hours(waras_store *st, const char *id, waras_date monday)
{
    waras_person p;
    waras_week_metrics *w = NULL;
    size_t n = 0;
    assert_int_equal(waras_store_person_get(&p, st, id), 0);
    assert_int_equal(waras_metrics_weeks(&w, &n, st, &p, NULL, monday, monday), 0);
    assert_int_equal(n, 1);
    double h = w[0].meeting_hours;
    free(w);
    return h;
}

static int count_cancellation(void *ctx, const waras_event *ev)
{
    count_ctx *c = ctx;
    c->n += strcmp(ev->kind, "cancellation") == 0 && strcmp(ev->source_kind, "plan-quiet") == 0;
    return 0;
}

static int cancellations(waras_store *st)
{
    count_ctx c = {0};
    assert_int_equal(waras_store_events_each(st, NULL, "cancellation", at(2027, 4, 1),
                                             at(2027, 5, 1), count_cancellation, &c), 0);
    return c.n;
}

/* A recorded quiet week cancels the internal meeting for both members who
 * have it (two events), not the partner meeting; recording again adds
 * nothing, and a calendar re-ingested afterwards does not bring it back. */
static void test_plan__quiet_record_cancels_internal_meetings(void **state)
{
    fixture *f = *state;
    waras_date monday = {2027, 4, 19};
    waras_instant tue10 = at(2027, 4, 20) + 10 * 3600, wed10 = at(2027, 4, 21) + 10 * 3600;
    put_meeting(f->s.st, "ana", "sync@x|20270420T100000Z", tue10, 0);
    put_meeting(f->s.st, "bo", "sync@x|20270420T100000Z", tue10, 0);
    put_meeting(f->s.st, "ana", "partner@y|20270421T100000Z", wed10, 1);
    assert_true(meeting_hours(f->s.st, "ana", monday) == 2.0);
    assert_true(meeting_hours(f->s.st, "bo", monday) == 1.0);

    waras_quiet_plan plan;
    waras_quiet_opts o = {.team = "q", .from_day = monday, .to_day = monday, .count = 1,
                          .budget = {.time_limit = 1}};
    assert_int_equal(waras_quiet_plan_make(&plan, f->s.st, &o), 0);
    assert_true(plan.feasible);
    assert_int_equal(waras_quiet_plan_record(&plan, f->s.st), 0);
    assert_int_equal(cancellations(f->s.st), 2);
    assert_true(meeting_hours(f->s.st, "ana", monday) == 1.0); /* the partner meeting stays */
    assert_true(meeting_hours(f->s.st, "bo", monday) == 0.0);
    assert_int_equal(waras_quiet_plan_record(&plan, f->s.st), 0);
    assert_int_equal(cancellations(f->s.st), 2);
    waras_quiet_plan_free(&plan);

    /* The calendar comes in again: the meeting is updated in place. */
    put_meeting(f->s.st, "bo", "sync@x|20270420T100000Z", tue10, 0);
    assert_true(meeting_hours(f->s.st, "bo", monday) == 0.0);
    /* Another meeting of bo's, not in the plan, still counts. */
    put_meeting(f->s.st, "bo", "other@x|20270422T100000Z", at(2027, 4, 22) + 10 * 3600, 0);
    assert_true(meeting_hours(f->s.st, "bo", monday) == 1.0);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, th_scratch_teardown)
    const struct CMUnitTest tests[] = {
        T(test_plan__quiet_check_flags_a_later_milestone),
        T(test_plan__recovery_records_leave),
        T(test_plan__quiet_record_cancels_internal_meetings),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
