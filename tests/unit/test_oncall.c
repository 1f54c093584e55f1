/*
 * The on-call planner's fairness weights: how the last 12 weeks' load turns
 * into a lighter target, and which turns weigh like a weekend turn (every
 * weekly turn, a Saturday or Sunday slot, and a slot on the holder's public
 * holiday).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "waras/oncall.h"
#include "time/days.h"

static void test_oncall__history_weight(void **state)
{
    (void)state;
    /* At the mean: the plain share. */
    assert_true(waras_oncall_history_weight(480, 480) == 1.0);
    /* 36 night pages at 24 h each against a mean of a sixth of that: the
     * factor bottoms out at a half; nobody-paged tops out at 1.25. */
    assert_true(waras_oncall_history_weight(36 * 24.0, 6 * 24.0) == 0.5);
    assert_true(waras_oncall_history_weight(0, 6 * 24.0) == 1.25);
    /* A quiet team: one page (24 h) over a mean of 4 h is measured against
     * a week of standby, not against the tiny mean. */
    double w = waras_oncall_history_weight(24, 4);
    assert_true(w > 0.9 && w < 1.0);
    /* The weight falls as the load rises. */
    assert_true(waras_oncall_history_weight(600, 400) < waras_oncall_history_weight(500, 400));
}

static void test_oncall__weekend_like(void **state)
{
    (void)state;
    waras_date mon = {2027, 1, 4}, sat = {2027, 1, 9}, sun = {2027, 1, 10};
    assert_true(waras_oncall_weekend_like(WARAS_ONCALL_WEEKLY, mon, 0));
    assert_false(waras_oncall_weekend_like(WARAS_ONCALL_DAILY, mon, 0));
    assert_true(waras_oncall_weekend_like(WARAS_ONCALL_DAILY, sat, 0));
    assert_true(waras_oncall_weekend_like(WARAS_ONCALL_DAILY, sun, 0));
    /* A Monday that is the holder's public holiday weighs like a weekend. */
    assert_true(waras_oncall_weekend_like(WARAS_ONCALL_DAILY, mon, 1));
    assert_true(waras_oncall_weekend_like(WARAS_ONCALL_FOLLOW_THE_SUN, mon, 1));
    assert_false(waras_oncall_weekend_like(WARAS_ONCALL_FOLLOW_THE_SUN, mon, 0));
}

static int setup(void **state)
{
    if (th_scratch_setup(state, sizeof(th_scratch), "oncall"))
        return -1;
    th_scratch *s = *state;
    const char *ids[] = {"ana", "bo", "cy", "dee"};
    for (size_t i = 0; i < 4; i++)
        if (th_person_put(s->st, ids[i], "q", "UTC", 0x1f, 9 * 60, 17 * 60))
            return -1;
    return 0;
}

/* A public holiday (an event of kind holiday) on Wednesday 6 January 2027
 * for everyone: the daily turn that starts that morning counts as a weekend
 * turn in the fairness table; Tuesday's does not. */
static void test_oncall__holiday_turn_counts_as_weekend(void **state)
{
    th_scratch *s = *state;
    const char *ids[] = {"ana", "bo", "cy", "dee"};
    waras_instant wed = waras_time__days_from_civil(2027, 1, 6) * 86400;
    for (size_t i = 0; i < 4; i++) {
        waras_event ev = {.person = ids[i], .kind = "holiday", .start = wed, .end = wed + 86400,
                          .all_day = 1, .source_kind = "test", .source_key = "epiphany"};
        int changed;
        assert_int_equal(waras_store_event_put(&changed, s->st, &ev), 0);
    }
    waras_oncall_opts o = {.team = "q", .first_day = {2027, 1, 4}, .weeks = 1,
                           .shape = WARAS_ONCALL_DAILY, .roles = {"primary"}, .nroles = 1,
                           .max_share = 0.5, .budget = {.iterations = 50000, .seed = 1}};
    waras_oncall_plan plan;
    assert_int_equal(waras_oncall_plan_make(&plan, s->st, &o), 0);
    assert_true(plan.feasible);
    assert_int_equal(plan.nturns, 7);
    int weekend = 0;
    for (size_t i = 0; i < plan.nturns; i++) {
        int64_t day = (plan.turns[i].start) / 86400;
        int wd = waras_time__weekday(day);
        if (day == wed / 86400 || wd >= 6)
            assert_true(plan.turns[i].weekend);
        else
            assert_false(plan.turns[i].weekend);
        weekend += plan.turns[i].weekend;
    }
    int counted = 0;
    for (size_t i = 0; i < plan.nfair; i++)
        counted += plan.fair[i].weekend_turns;
    assert_int_equal(weekend, 3);
    assert_int_equal(counted, 3);
    waras_oncall_plan_free(&plan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oncall__history_weight),
        cmocka_unit_test(test_oncall__weekend_like),
        cmocka_unit_test_setup_teardown(test_oncall__holiday_turn_counts_as_weekend, setup,
                                        th_scratch_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
