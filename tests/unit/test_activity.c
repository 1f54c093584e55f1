/*
 * Unit tests for activity by window: the fixed and personal windows at their
 * edges, the 60 s interruption merge (measured from an interruption's first
 * notification, not chained), which channels interrupt, interruptions read
 * from a store (a chain that starts before the window, DST changes in
 * Berlin), and counts of commits by their recorded offset and per team.
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
#include "waras/activity.h"
#include "waras/error.h"
#include "waras/store.h"

static waras_instant utc(int y, int mo, int d, int h, int mi, int s)
{
    waras_civil c = {y, mo, d, h, mi, s};
    return waras_civil_to_epoch(&c);
}

static waras_window window_at(int y, int mo, int d, int h, int mi)
{
    waras_civil c = {y, mo, d, h, mi, 0};
    return waras_window_fixed(&c);
}

static void test_activity__fixed_window_edges(void **state)
{
    /* 2026-03-02 is a Monday, 2026-03-07 a Saturday. */
    assert_int_equal(window_at(2026, 3, 2, 7, 59), WARAS_WINDOW_SLEEP);
    assert_int_equal(window_at(2026, 3, 2, 8, 0), WARAS_WINDOW_BUSINESS);
    assert_int_equal(window_at(2026, 3, 2, 17, 59), WARAS_WINDOW_BUSINESS);
    assert_int_equal(window_at(2026, 3, 2, 18, 0), WARAS_WINDOW_OFF);
    assert_int_equal(window_at(2026, 3, 2, 21, 59), WARAS_WINDOW_OFF);
    assert_int_equal(window_at(2026, 3, 2, 22, 0), WARAS_WINDOW_SLEEP);
    assert_int_equal(window_at(2026, 3, 7, 8, 0), WARAS_WINDOW_OFF);
    assert_int_equal(window_at(2026, 3, 7, 12, 0), WARAS_WINDOW_OFF);
    assert_int_equal(window_at(2026, 3, 8, 23, 0), WARAS_WINDOW_SLEEP);
    waras_civil fri = {2026, 3, 6, 12, 0, 0}, sat = {2026, 3, 7, 0, 0, 0},
                sun = {2026, 3, 8, 23, 59, 59};
    assert_false(waras_window_weekend(&fri));
    assert_true(waras_window_weekend(&sat));
    assert_true(waras_window_weekend(&sun));
}

static void test_activity__own_hours(void **state)
{
    waras_person p = {.work_days = 0x0f, .work_start = 10 * 60, .work_end = 19 * 60}; /* Mon-Thu */
    waras_civil mon_0930 = {2026, 3, 2, 9, 30, 0}, mon_1830 = {2026, 3, 2, 18, 30, 0},
                mon_0700 = {2026, 3, 2, 7, 0, 0}, fri_1200 = {2026, 3, 6, 12, 0, 0};
    assert_int_equal(waras_window_own(&p, &mon_0930), WARAS_WINDOW_OFF);
    assert_int_equal(waras_window_own(&p, &mon_1830), WARAS_WINDOW_BUSINESS);
    assert_int_equal(waras_window_own(&p, &mon_0700), WARAS_WINDOW_SLEEP);
    assert_int_equal(waras_window_own(&p, &fri_1200), WARAS_WINDOW_OFF);
}

static void test_activity__merge_from_first_notification(void **state)
{
    waras_instant t[] = {0, 30, 59, 60, 200, 250, 259, 260};
    waras_interruption out[8];
    size_t n = waras_interruptions_merge(out, t, 8, 60);
    assert_int_equal(n, 4);
    assert_int_equal(out[0].start, 0);
    assert_int_equal(out[0].notifications, 3);
    assert_int_equal(out[1].start, 60); /* exactly 60 s later: a new one */
    assert_int_equal(out[1].notifications, 1);
    assert_int_equal(out[2].start, 200);
    assert_int_equal(out[2].notifications, 3);
    assert_int_equal(out[3].start, 260); /* 10 s after 250, but 60 s after 200 */
    assert_int_equal(waras_interruptions_merge(out, t, 0, 60), 0);
}

static void test_activity__channels(void **state)
{
    assert_true(waras_page_interrupts("{\"channel\":\"push\"}"));
    assert_true(waras_page_interrupts("{\"channel\":\"push_notification\"}"));
    assert_true(waras_page_interrupts("{\"channel\":\"SMS\"}"));
    assert_true(waras_page_interrupts("{\"channel\":\"phone\",\"incident\":\"Q1\"}"));
    assert_true(waras_page_interrupts(NULL)); /* incident-level: one interruption */
    assert_true(waras_page_interrupts("{\"incident\":\"Q1\"}"));
    assert_false(waras_page_interrupts("{\"channel\":\"email\"}"));
    assert_false(waras_page_interrupts("{\"channel\":\"slack\"}"));
}

typedef struct fixture {
    th_scratch s;
    int seq;
} fixture;

static int setup(void **state)
{
    if (th_scratch_setup(state, sizeof(fixture), "activity"))
        return -1;
    fixture *f = *state;
    static const char *const people[][3] = {
        {"ana", "inference", "Asia/Jakarta"},
        {"bo", "inference", "Europe/Berlin"},
        {"cy", "research", "America/Los_Angeles"},
    };
    for (size_t i = 0; i < 3; i++)
        if (th_person_put(f->s.st, people[i][0], people[i][1], people[i][2], 0x1f, 8 * 60,
                          18 * 60))
            return -1;
    return 0;
}

static void page(fixture *f, const char *person, waras_instant t, const char *channel)
{
    char attrs[96];
    snprintf(attrs, sizeof(attrs), "{\"channel\":\"%s\"}", channel);
    th_event_put(f->s.st, &f->seq,
                 (waras_event){.person = person, .kind = "page", .start = t, .end = t,
                               .attrs = channel ? attrs : NULL});
}

static void commit(fixture *f, const char *person, waras_instant t, int offset)
{
    th_event_put(f->s.st, &f->seq,
                 (waras_event){.person = person, .kind = "commit", .start = t, .end = t,
                               .has_utc_offset = 1, .utc_offset = offset});
}

static const waras_activity_row *row(const waras_activity_row *rows, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rows[i].key, key) == 0)
            return &rows[i];
    fail_msg("no row for %s", key);
    return NULL;
}

static void test_activity__interruptions_list_window(void **state)
{
    fixture *f = *state;
    waras_instant T = utc(2026, 5, 4, 12, 0, 0);
    page(f, "ana", T - 100, "push");
    page(f, "ana", T - 50, "sms");   /* belongs to T-100 */
    page(f, "ana", T + 5, "phone");  /* 105 s after T-100: a new one, inside */
    page(f, "ana", T + 30, "email"); /* never interrupts */
    page(f, "ana", T + 64, "push");  /* 59 s after T+5: merged */
    page(f, "ana", T + 3600, "push");
    page(f, "bo", T + 10, "push"); /* someone else's */
    waras_interruption *iv = NULL;
    size_t n = 0;
    assert_int_equal(waras_interruptions_list(&iv, &n, f->s.st, "ana", T, T + 7200, 60), 0);
    assert_int_equal(n, 2);
    assert_int_equal(iv[0].start, T + 5);
    assert_int_equal(iv[0].notifications, 2);
    assert_int_equal(iv[1].start, T + 3600);
    free(iv);
    assert_int_equal(waras_interruptions_list(&iv, &n, f->s.st, "ana", T - 3600, T, 60), 0);
    assert_int_equal(n, 1);
    assert_int_equal(iv[0].start, T - 100);
    assert_int_equal(iv[0].notifications, 2);
    free(iv);
}

static void test_activity__pages_across_dst(void **state)
{
    fixture *f = *state;
    /* Berlin springs forward on 2026-03-29 at 02:00 and falls back on
     * 2026-10-25 at 03:00. */
    page(f, "bo", utc(2026, 3, 29, 5, 30, 0), "push");   /* Sun 07:30 CEST: sleep, weekend */
    page(f, "bo", utc(2026, 3, 29, 6, 0, 0), "push");    /* Sun 08:00 CEST: off, weekend */
    page(f, "bo", utc(2026, 3, 30, 16, 30, 0), "sms");   /* Mon 18:30 CEST: off */
    page(f, "bo", utc(2026, 10, 25, 0, 30, 0), "push");  /* 02:30 CEST: sleep, weekend */
    page(f, "bo", utc(2026, 10, 25, 1, 30, 0), "push");  /* 02:30 CET, an hour later */
    page(f, "bo", utc(2026, 10, 26, 6, 30, 0), "phone"); /* Mon 07:30 CET: sleep */
    page(f, "bo", utc(2026, 10, 26, 7, 0, 0), "email");  /* not counted */
    page(f, "cy", utc(2026, 3, 8, 9, 59, 0), "push");    /* Sun 01:59 PST */
    page(f, "cy", utc(2026, 3, 8, 10, 0, 30), "push");   /* 03:00 PDT, 90 s later: new */
    waras_activity_opts o = {.source = WARAS_ACTIVITY_PAGES};
    waras_activity_row *rows = NULL;
    size_t n = 0;
    assert_int_equal(waras_activity_count(&rows, &n, f->s.st, &o), 0);
    assert_int_equal(n, 2);
    const waras_activity_row *bo = row(rows, n, "bo"), *cy = row(rows, n, "cy");
    assert_int_equal(bo->events, 6);
    assert_int_equal(bo->business, 0);
    assert_int_equal(bo->off, 2);
    assert_int_equal(bo->sleep, 4);
    assert_int_equal(bo->weekend, 4);
    assert_int_equal(cy->events, 2);
    assert_int_equal(cy->sleep, 2);
    assert_int_equal(cy->weekend, 2);
    free(rows);
    /* Local dates: only Sunday 2026-03-29 in Berlin. */
    o.has_from = o.has_to = 1;
    o.from_day = (waras_date){2026, 3, 29};
    o.to_day = waras_date_add(o.from_day, 1);
    assert_int_equal(waras_activity_count(&rows, &n, f->s.st, &o), 0);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].events, 2);
    free(rows);
}

static void test_activity__commits_by_offset_and_team(void **state)
{
    fixture *f = *state;
    /* Monday 2026-03-02 16:30Z: 23:30 at +0700 (sleep), 08:30 at -0800
     * (business), 06:15 on Tuesday at +1345 (sleep). ana lives in Jakarta,
     * but a commit's own offset decides. */
    waras_instant t = utc(2026, 3, 2, 16, 30, 0);
    commit(f, "ana", t, 7 * 3600);
    commit(f, "ana", t, -8 * 3600);
    commit(f, "bo", t, 13 * 3600 + 45 * 60);
    commit(f, "cy", utc(2026, 3, 7, 20, 0, 0), -8 * 3600); /* Sat 12:00: off, weekend */
    waras_activity_opts o = {.source = WARAS_ACTIVITY_GIT};
    waras_activity_row *rows = NULL;
    size_t n = 0;
    assert_int_equal(waras_activity_count(&rows, &n, f->s.st, &o), 0);
    assert_int_equal(n, 3);
    assert_string_equal(rows[0].key, "ana");
    assert_int_equal(rows[0].events, 2);
    assert_int_equal(rows[0].sleep, 1);
    assert_int_equal(rows[0].business, 1);
    assert_int_equal(rows[1].sleep, 1);
    assert_int_equal(rows[2].off, 1);
    assert_int_equal(rows[2].weekend, 1);
    free(rows);
    o.by_team = 1;
    assert_int_equal(waras_activity_count(&rows, &n, f->s.st, &o), 0);
    assert_int_equal(n, 2);
    assert_string_equal(rows[0].key, "inference");
    assert_int_equal(rows[0].events, 3);
    assert_int_equal(rows[0].sleep, 2);
    assert_string_equal(rows[1].key, "research");
    assert_int_equal(rows[1].events, 1);
    free(rows);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, th_scratch_teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_activity__fixed_window_edges),
        cmocka_unit_test(test_activity__own_hours),
        cmocka_unit_test(test_activity__merge_from_first_notification),
        cmocka_unit_test(test_activity__channels),
        T(test_activity__interruptions_list_window),
        T(test_activity__pages_across_dst),
        T(test_activity__commits_by_offset_and_team),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
