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

#include "waras/oncall.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oncall__history_weight),
        cmocka_unit_test(test_oncall__weekend_like),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
