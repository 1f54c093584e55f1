/*
 * Unit tests for the survey module: CBI scoring with hand-computed scores
 * (all items answered, the reverse-scored item, exactly half and fewer than
 * half answered, answers out of range), the "high burnout" threshold and
 * the levels built on it, the own-view rule, and group aggregates read back
 * from a store (latest response per person, anonymous responses, the days
 * counted, min_group suppression of a group and of a scale).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "survey/survey_int.h"
#include "waras/error.h"
#include "waras/store.h"
#include "waras/survey.h"
#include "waras/time.h"

/* Scores are doubles; cmocka's assert_float_equal compares floats. */
#define assert_near(a, b) near_((a), (b), #a, __FILE__, __LINE__)
static void near_(double a, double b, const char *expr, const char *file, int line)
{
    if (fabs(a - b) > 1e-9) {
        print_error("%s is %.10g, expected %.10g\n", expr, a, b);
        _fail(file, line);
    }
}

/* Every answer the same; item numbers are 1-based as in docs/survey.md. */
static void fill(int a[WARAS_CBI_ITEMS], int v)
{
    for (int i = 0; i < WARAS_CBI_ITEMS; i++)
        a[i] = v;
}

static void test_survey__all_answered(void **state)
{
    int a[WARAS_CBI_ITEMS] = {
        100, 75, 50, 25, 0, 50,  /* personal q1-q6: 300 / 6 = 50 */
        75, 75, 50, 50, 25, 25, 25, /* work q7-q13: q13 25 counts 75; 375 / 7 */
        0, 25, 25, 50, 50, 100,  /* client q14-q19: 250 / 6 */
    };
    waras_cbi_scores s;
    assert_int_equal(waras_cbi_score(&s, a), 0);
    assert_near(s.scale[WARAS_CBI_PERSONAL], 50.0);
    assert_near(s.scale[WARAS_CBI_WORK], 375.0 / 7.0);
    assert_near(s.scale[WARAS_CBI_CLIENT], 250.0 / 6.0);
}

static void test_survey__reverse_item(void **state)
{
    int a[WARAS_CBI_ITEMS];
    waras_cbi_scores s;
    /* Only q13 (energy for family and friends) differs from "never": its
     * "never" is the worst answer and counts 100, its "always" counts 0. */
    fill(a, 0);
    assert_int_equal(waras_cbi_score(&s, a), 0);
    assert_near(s.scale[WARAS_CBI_WORK], 100.0 / 7.0);
    assert_near(s.scale[WARAS_CBI_PERSONAL], 0.0);
    a[12] = 100;
    assert_int_equal(waras_cbi_score(&s, a), 0);
    assert_near(s.scale[WARAS_CBI_WORK], 0.0);
    /* q12, the item before it, is not reversed. */
    a[11] = 100;
    assert_int_equal(waras_cbi_score(&s, a), 0);
    assert_near(s.scale[WARAS_CBI_WORK], 100.0 / 7.0);
    /* No other item is reversed: "always" everywhere else scores 100. */
    fill(a, 100);
    a[12] = 0;
    assert_int_equal(waras_cbi_score(&s, a), 0);
    for (int k = 0; k < WARAS_CBI_SCALES; k++)
        assert_near(s.scale[k], 100.0);
}

static void test_survey__exactly_half_answered(void **state)
{
    int a[WARAS_CBI_ITEMS];
    fill(a, -1);
    a[0] = 100, a[2] = 50, a[5] = 75;              /* personal: 3 of 6 -> 225 / 3 */
    a[6] = 25, a[8] = 50, a[10] = 75, a[12] = 100; /* work: 4 of 7 (q13 counts 0) -> 150 / 4 */
    a[13] = 0, a[14] = 25, a[18] = 50;             /* client: 3 of 6 -> 75 / 3 */
    waras_cbi_scores s;
    assert_int_equal(waras_cbi_score(&s, a), 0);
    assert_near(s.scale[WARAS_CBI_PERSONAL], 75.0);
    assert_near(s.scale[WARAS_CBI_WORK], 37.5);
    assert_near(s.scale[WARAS_CBI_CLIENT], 25.0);
}

static void test_survey__less_than_half_missing(void **state)
{
    int a[WARAS_CBI_ITEMS];
    fill(a, -1);
    a[0] = 100, a[1] = 100;         /* personal: 2 of 6 */
    a[6] = 50, a[7] = 50, a[8] = 50; /* work: 3 of 7, under half of 7 */
    waras_cbi_scores s;
    assert_int_equal(waras_cbi_score(&s, a), 0);
    assert_near(s.scale[WARAS_CBI_PERSONAL], -1.0);
    assert_near(s.scale[WARAS_CBI_WORK], -1.0);
    assert_near(s.scale[WARAS_CBI_CLIENT], -1.0); /* none answered */
    assert_null(waras_cbi_level(&s));
}

static void test_survey__out_of_range_rejected(void **state)
{
    static const int bad[] = {101, 125, -25, -2, 30, 1};
    int a[WARAS_CBI_ITEMS];
    for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        fill(a, 50);
        a[6] = bad[k];
        waras_cbi_scores s = {{7, 7, 7}};
        waras_error_clear();
        assert_int_equal(waras_cbi_score(&s, a), WARAS_EINVAL);
        assert_non_null(strstr(waras_error_last()->message, "q7"));
        assert_near(s.scale[WARAS_CBI_WORK], 7.0); /* untouched */
    }
    /* The answers a CSV cell may hold, and what it may not. */
    int v = 0;
    assert_int_equal(waras_cbi_parse_answer(&v, "Often"), 0);
    assert_int_equal(v, 75);
    assert_int_equal(waras_cbi_parse_answer(&v, "to a very low degree"), 0);
    assert_int_equal(v, 0);
    assert_int_equal(waras_cbi_parse_answer(&v, " "), 0);
    assert_int_equal(v, -1);
    assert_int_equal(waras_cbi_parse_answer(&v, "25"), 0);
    assert_int_equal(v, 25);
    assert_int_equal(waras_cbi_parse_answer(&v, "110"), WARAS_EINVAL);
    assert_int_equal(waras_cbi_parse_answer(&v, "30"), WARAS_EINVAL);
    assert_int_equal(waras_cbi_parse_answer(&v, "-25"), WARAS_EINVAL);
    assert_int_equal(waras_cbi_parse_answer(&v, "rarely"), WARAS_EINVAL);
}

static void test_survey__high_threshold(void **state)
{
    assert_false(waras_cbi_is_high(49.99));
    assert_true(waras_cbi_is_high(50.0));
    assert_true(waras_cbi_is_high(100.0));
    assert_false(waras_cbi_is_high(-1.0)); /* missing */

    /* 7 work items: 50,50,50,50,50,50 and q13 "Often" (75 -> 25) is
     * 325 / 7 = 46.43, not high; q13 "Sometimes" makes it exactly 50. */
    int a[WARAS_CBI_ITEMS];
    fill(a, -1);
    for (int i = 6; i < 12; i++)
        a[i] = 50;
    a[12] = 75;
    waras_cbi_scores s;
    assert_int_equal(waras_cbi_score(&s, a), 0);
    assert_near(s.scale[WARAS_CBI_WORK], 325.0 / 7.0);
    assert_false(waras_cbi_is_high(s.scale[WARAS_CBI_WORK]));
    a[12] = 50;
    assert_int_equal(waras_cbi_score(&s, a), 0);
    assert_near(s.scale[WARAS_CBI_WORK], 50.0);
    assert_true(waras_cbi_is_high(s.scale[WARAS_CBI_WORK]));
}

static void test_survey__level(void **state)
{
    static const struct {
        double personal, work, client;
        const char *level;
    } cases[] = {
        {24.99, -1, 100, "low"}, /* client never sets the level */
        {25, 10, -1, "moderate"},
        {-1, 49.99, -1, "moderate"},
        {10, 50, -1, "high"},
        {74.99, 0, 0, "high"},
        {0, 75, 0, "critical"},
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        waras_cbi_scores s = {{cases[k].personal, cases[k].work, cases[k].client}};
        assert_string_equal(waras_cbi_level(&s), cases[k].level);
    }
}

static void test_survey__own_view_raises_level(void **state)
{
    waras_cbi_scores work_high = {{10, 50, -1}}, personal_high = {{50, -1, -1}},
                     below = {{49.99, 49.99, 100}};
    assert_string_equal(waras_cbi_raise_level("low", &work_high), "high");
    assert_string_equal(waras_cbi_raise_level("moderate", &personal_high), "high");
    assert_string_equal(waras_cbi_raise_level("high", &work_high), "high");
    assert_string_equal(waras_cbi_raise_level("critical", &work_high), "critical");
    /* Below 50, or only the client scale high: the level stays. */
    assert_string_equal(waras_cbi_raise_level("low", &below), "low");
    assert_string_equal(waras_cbi_raise_level("moderate", &below), "moderate");
}

typedef struct fixture {
    TH_SCRATCH_FIRST;
    int64_t source;
} fixture;

static int setup(void **state)
{
    if (th_scratch_setup(state, sizeof(fixture), "survey"))
        return -1;
    fixture *f = *state;
    static const char *const ids[] = {"a", "b", "c"}, *const teams[] = {"t", "t", "u"};
    for (int i = 0; i < 3; i++)
        if (th_person_put(f->st, ids[i], teams[i], "UTC", 0x1f, 480, 1080))
            return -1;
    return waras_store_source_add(&f->source, f->st, "survey", "survey.csv", "0123") ? -1 : 0;
}

static int teardown(void **state)
{
    return th_scratch_teardown(state);
}

/* Stores a response whose three scales are all v (q13 given as 100 - v);
 * without client answers when no_client. */
static void put(fixture *f, const char *team, const char *person, const char *date, int v,
                int no_client, long line)
{
    int a[WARAS_CBI_ITEMS];
    fill(a, v);
    a[12] = 100 - v;
    if (no_client)
        for (int i = 13; i < WARAS_CBI_ITEMS; i++)
            a[i] = -1;
    assert_int_equal(waras_survey__put(f->st, team, person, date, a, f->source, line), 0);
}

static void test_survey__group_aggregate(void **state)
{
    fixture *f = *state;
    put(f, "t", "a", "2026-03-02", 25, 0, 2);
    put(f, "t", "a", "2026-03-09", 75, 0, 3); /* a's latest */
    put(f, "t", "b", "2026-03-02", 50, 1, 4); /* no client scale */
    put(f, "t", NULL, "2026-03-02", 0, 0, 5);
    put(f, "t", NULL, "2026-03-02", 0, 0, 6); /* alike, but a second person */
    put(f, "t", NULL, "2026-03-02", 0, 0, 6); /* the same row again: stored once */
    put(f, "u", "c", "2026-03-03", 100, 0, 7);
    put(f, "t", "b", "2026-04-01", 100, 0, 8); /* after the days counted */
    waras_date from = {2026, 3, 1}, to = {2026, 3, 31};

    /* Team t: a 75, b 50 (client missing), anonymous 0 and 0. */
    waras_survey_group g;
    assert_int_equal(waras_survey__group_get(&g, f->st, "t", from, to, 3), 0);
    assert_int_equal(g.respondents, 4);
    assert_false(g.suppressed);
    assert_near(g.mean[WARAS_CBI_PERSONAL], (75 + 50 + 0 + 0) / 4.0);
    assert_near(g.mean[WARAS_CBI_WORK], 31.25);
    assert_near(g.mean[WARAS_CBI_CLIENT], (75 + 0 + 0) / 3.0);
    assert_near(g.high_work_share, 2 / 4.0); /* a and b are >= 50 */

    /* min_group 4: the group shows, but the client scale has 3 answers. */
    assert_int_equal(waras_survey__group_get(&g, f->st, "t", from, to, 4), 0);
    assert_false(g.suppressed);
    assert_near(g.mean[WARAS_CBI_PERSONAL], 31.25);
    assert_near(g.mean[WARAS_CBI_CLIENT], -1.0);

    /* min_group 5: four respondents are too few to show anything. */
    assert_int_equal(waras_survey__group_get(&g, f->st, "t", from, to, 5), 0);
    assert_int_equal(g.respondents, 4);
    assert_true(g.suppressed);
    for (int s = 0; s < WARAS_CBI_SCALES; s++)
        assert_near(g.mean[s], -1.0);
    assert_near(g.high_work_share, -1.0);

    /* Everyone: c joins with 100. */
    assert_int_equal(waras_survey__group_get(&g, f->st, NULL, from, to, 5), 0);
    assert_int_equal(g.respondents, 5);
    assert_false(g.suppressed);
    assert_near(g.mean[WARAS_CBI_PERSONAL], (75 + 50 + 0 + 0 + 100) / 5.0);
    assert_near(g.mean[WARAS_CBI_CLIENT], -1.0); /* 4 answers */
    assert_near(g.high_work_share, 3 / 5.0);

    /* Up to April: b's later response replaces the earlier one. */
    assert_int_equal(waras_survey__group_get(&g, f->st, "t", from, waras_date_add(to, 1), 3), 0);
    assert_int_equal(g.respondents, 4);
    assert_near(g.mean[WARAS_CBI_PERSONAL], (75 + 100 + 0 + 0) / 4.0);
    assert_near(g.mean[WARAS_CBI_CLIENT], (75 + 100 + 0 + 0) / 4.0);
}

typedef struct rows {
    char who[8][8];
    double work[8];
    int day[8];
    int n;
} rows;

static int collect(void *ctx, const waras_survey_row *row)
{
    rows *r = ctx;
    if (r->n < 8) {
        snprintf(r->who[r->n], sizeof(r->who[r->n]), "%s", row->person ? row->person : "-");
        r->work[r->n] = row->scores.scale[WARAS_CBI_WORK];
        r->day[r->n] = row->taken_on.day;
    }
    r->n++;
    return 0;
}

static void test_survey__responses_read_back(void **state)
{
    fixture *f = *state;
    put(f, "t", "b", "2026-03-09", 75, 0, 2);
    put(f, "t", "a", "2026-03-02", 50, 1, 3);
    put(f, "t", NULL, "2026-03-05", 25, 0, 4);
    put(f, "u", "c", "2026-03-04", 100, 0, 5);
    rows r = {0};
    assert_int_equal(waras_survey_each(f->st, "t", (waras_date){2026, 3, 2},
                                       (waras_date){2026, 3, 9}, collect, &r),
                     0);
    assert_int_equal(r.n, 3); /* by date; team u left out */
    assert_string_equal(r.who[0], "a");
    assert_int_equal(r.day[0], 2);
    assert_near(r.work[0], 50.0);
    assert_string_equal(r.who[1], "-");
    assert_near(r.work[1], 25.0);
    assert_string_equal(r.who[2], "b");
    assert_int_equal(r.day[2], 9);
    assert_near(r.work[2], 75.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_survey__all_answered),
        cmocka_unit_test(test_survey__reverse_item),
        cmocka_unit_test(test_survey__exactly_half_answered),
        cmocka_unit_test(test_survey__less_than_half_missing),
        cmocka_unit_test(test_survey__out_of_range_rejected),
        cmocka_unit_test(test_survey__high_threshold),
        cmocka_unit_test(test_survey__level),
        cmocka_unit_test(test_survey__own_view_raises_level),
        cmocka_unit_test_setup_teardown(test_survey__group_aggregate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_survey__responses_read_back, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
