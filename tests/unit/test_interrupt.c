/*
 * Unit tests for the one interruption rule (waras/interrupt.h): which
 * channels interrupt (case-insensitive, unknown names do not, a page without
 * a channel does), the merge at exactly the merge window and with a
 * configured window, and the window classifier at its 08:00, 18:00 and
 * 22:00 edges, at weekends and with a person's own working days and hours.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "waras/interrupt.h"

static waras_window fixed_at(int y, int mo, int d, int h, int mi)
{
    waras_civil c = {y, mo, d, h, mi, 0};
    return waras_window_fixed(&c);
}

static waras_window own_at(const waras_person *p, int y, int mo, int d, int h, int mi)
{
    waras_civil c = {y, mo, d, h, mi, 0};
    return waras_window_own(p, &c);
}

static void test_interrupt__channels(void **state)
{
    (void)state;
    assert_true(waras_channel_interrupts("push"));
    assert_true(waras_channel_interrupts("PUSH"));
    assert_true(waras_channel_interrupts("Push_Notification"));
    assert_true(waras_channel_interrupts("sms"));
    assert_true(waras_channel_interrupts("Sms"));
    assert_true(waras_channel_interrupts("PHONE"));
    assert_true(waras_channel_interrupts(NULL)); /* no channel: incident-level */
    assert_true(waras_channel_interrupts(""));
    assert_false(waras_channel_interrupts("email"));
    assert_false(waras_channel_interrupts("EMAIL"));
    assert_false(waras_channel_interrupts("email_notification"));
    assert_false(waras_channel_interrupts("slack"));
    assert_false(waras_channel_interrupts("pushover")); /* a prefix is not the name */
    assert_false(waras_channel_interrupts("ph"));
}

static void test_interrupt__page_attrs(void **state)
{
    (void)state;
    assert_true(waras_page_interrupts(NULL));
    assert_true(waras_page_interrupts("{\"incident\":\"Q1\"}"));
    assert_true(waras_page_interrupts("{\"channel\":\"SmS\",\"incident\":\"Q1\"}"));
    assert_true(waras_page_interrupts("{\"channel\":\"\"}"));
    assert_true(waras_page_interrupts("{\"channel\":7}")); /* not a name: no channel */
    assert_true(waras_page_interrupts("not json"));
    assert_false(waras_page_interrupts("{\"channel\":\"Email\"}"));
    assert_false(waras_page_interrupts("{\"channel\":\"pager-duty-app\"}"));
}

static void test_interrupt__merge_boundary(void **state)
{
    (void)state;
    /* 59 s after the first: merged; exactly 60 s: a new interruption. */
    waras_instant t[] = {1000, 1059, 1060, 1119, 1120};
    waras_interruption out[5];
    size_t n = waras_interruptions_merge(out, t, 5, 60);
    assert_int_equal(n, 3);
    assert_int_equal(out[0].start, 1000);
    assert_int_equal(out[0].notifications, 2);
    assert_int_equal(out[1].start, 1060);
    assert_int_equal(out[1].notifications, 2);
    assert_int_equal(out[2].start, 1120);
    assert_int_equal(out[2].notifications, 1);
    /* Same instant twice: one interruption. */
    waras_instant same[] = {5, 5};
    assert_int_equal(waras_interruptions_merge(out, same, 2, 60), 1);
    assert_int_equal(out[0].notifications, 2);
}

static void test_interrupt__merge_window_parameter(void **state)
{
    (void)state;
    waras_instant t[] = {0, 100, 299, 300, 500};
    waras_interruption out[5];
    /* 300 s: {0, 100, 299}, {300, 500}. */
    assert_int_equal(waras_interruptions_merge(out, t, 5, 300), 2);
    assert_int_equal(out[0].notifications, 3);
    assert_int_equal(out[1].start, 300);
    assert_int_equal(out[1].notifications, 2);
    /* 60 s: {0}, {100}, {299, 300}, {500}. */
    assert_int_equal(waras_interruptions_merge(out, t, 5, 60), 4);
    assert_int_equal(out[2].start, 299);
    assert_int_equal(out[2].notifications, 2);
    /* 0 merges nothing, not even equal instants. */
    waras_instant same[] = {5, 5};
    assert_int_equal(waras_interruptions_merge(out, same, 2, 0), 2);
    assert_int_equal(waras_interruptions_merge(out, t, 0, 60), 0);
}

static void test_interrupt__window_edges(void **state)
{
    (void)state;
    /* 2026-03-06 is a Friday, 2026-03-07 a Saturday, 2026-03-08 a Sunday. */
    assert_int_equal(fixed_at(2026, 3, 6, 7, 59), WARAS_WINDOW_SLEEP);
    assert_int_equal(fixed_at(2026, 3, 6, 8, 0), WARAS_WINDOW_BUSINESS);
    assert_int_equal(fixed_at(2026, 3, 6, 17, 59), WARAS_WINDOW_BUSINESS);
    assert_int_equal(fixed_at(2026, 3, 6, 18, 0), WARAS_WINDOW_OFF);
    assert_int_equal(fixed_at(2026, 3, 6, 21, 59), WARAS_WINDOW_OFF);
    assert_int_equal(fixed_at(2026, 3, 6, 22, 0), WARAS_WINDOW_SLEEP);
    assert_int_equal(fixed_at(2026, 3, 6, 0, 0), WARAS_WINDOW_SLEEP);
    assert_int_equal(fixed_at(2026, 3, 7, 7, 59), WARAS_WINDOW_SLEEP);
    assert_int_equal(fixed_at(2026, 3, 7, 8, 0), WARAS_WINDOW_OFF);
    assert_int_equal(fixed_at(2026, 3, 8, 17, 59), WARAS_WINDOW_OFF);
    assert_int_equal(fixed_at(2026, 3, 8, 21, 59), WARAS_WINDOW_OFF);
    assert_int_equal(fixed_at(2026, 3, 8, 22, 0), WARAS_WINDOW_SLEEP);
    /* NULL person: the default hours, the same as fixed. */
    assert_int_equal(own_at(NULL, 2026, 3, 6, 8, 0), WARAS_WINDOW_BUSINESS);
    assert_int_equal(own_at(NULL, 2026, 3, 7, 8, 0), WARAS_WINDOW_OFF);
    waras_civil sat = {2026, 3, 7, 0, 0, 0}, fri = {2026, 3, 6, 23, 59, 59};
    assert_true(waras_window_weekend(&sat));
    assert_false(waras_window_weekend(&fri));
}

static void test_interrupt__own_hours(void **state)
{
    (void)state;
    /* Tue-Sat 07:00-15:30: business replaces both sleep (07:00-08:00) and
     * the weekend's off time; Monday is no working day. */
    waras_person p = {.work_days = 0x3e, .work_start = 7 * 60, .work_end = 15 * 60 + 30};
    assert_int_equal(own_at(&p, 2026, 3, 3, 6, 59), WARAS_WINDOW_SLEEP);
    assert_int_equal(own_at(&p, 2026, 3, 3, 7, 0), WARAS_WINDOW_BUSINESS);
    assert_int_equal(own_at(&p, 2026, 3, 3, 15, 29), WARAS_WINDOW_BUSINESS);
    assert_int_equal(own_at(&p, 2026, 3, 3, 15, 30), WARAS_WINDOW_OFF);
    assert_int_equal(own_at(&p, 2026, 3, 3, 22, 0), WARAS_WINDOW_SLEEP);
    assert_int_equal(own_at(&p, 2026, 3, 7, 12, 0), WARAS_WINDOW_BUSINESS); /* Saturday */
    assert_int_equal(own_at(&p, 2026, 3, 2, 12, 0), WARAS_WINDOW_OFF);      /* Monday */
    assert_int_equal(own_at(&p, 2026, 3, 2, 7, 30), WARAS_WINDOW_SLEEP);
    /* An evening shift 14:00-23:00 on Mon-Fri: 22:00-23:00 is business. */
    waras_person q = {.work_days = 0x1f, .work_start = 14 * 60, .work_end = 23 * 60};
    assert_int_equal(own_at(&q, 2026, 3, 2, 22, 30), WARAS_WINDOW_BUSINESS);
    assert_int_equal(own_at(&q, 2026, 3, 2, 23, 0), WARAS_WINDOW_SLEEP);
    assert_int_equal(own_at(&q, 2026, 3, 2, 9, 0), WARAS_WINDOW_OFF);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_interrupt__channels),
        cmocka_unit_test(test_interrupt__page_attrs),
        cmocka_unit_test(test_interrupt__merge_boundary),
        cmocka_unit_test(test_interrupt__merge_window_parameter),
        cmocka_unit_test(test_interrupt__window_edges),
        cmocka_unit_test(test_interrupt__own_hours),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
