/*
 * Unit tests for survey rounds (src/lib/survey/rounds.c): opening a round
 * and its checks, one response per person and round, changing it while the
 * round is open, refusal before it opens and after it closes, the own view
 * and trend, and that the protected aggregates of waras/access.h count a
 * round's responses only once it has closed, in the quarter of its last day.
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

#include "helpers.h"
#include "store/store_int.h"
#include "survey/survey_int.h"
#include "waras/access.h"
#include "waras/error.h"
#include "waras/store.h"
#include "waras/survey.h"
#include "waras/time.h"

typedef struct fixture {
    TH_SCRATCH_FIRST;
} fixture;

static const char *const ids[] = {"a", "b", "c", "d", "e", "f"};

static int setup(void **state)
{
    if (th_scratch_setup(state, sizeof(fixture), "rounds"))
        return -1;
    fixture *f = *state;
    for (int i = 0; i < 6; i++)
        if (th_person_put(f->st, ids[i], i < 5 ? "t" : "u", "UTC", 0x1f, 480, 1080))
            return -1;
    /* 2026-11-16 12:00 UTC */
    waras_clock_set(1794830400);
    return 0;
}

static int teardown(void **state)
{
    waras_clock_reset();
    return th_scratch_teardown(state);
}

static void fill(int a[WARAS_CBI_ITEMS], int v)
{
    for (int i = 0; i < WARAS_CBI_ITEMS; i++)
        a[i] = v;
    a[12] = 100 - v; /* q13 is reverse-scored: every scale is v */
}

static int64_t open_round(fixture *f, const char *opens, const char *closes)
{
    const char *teams[] = {"t", "u"};
    waras_date o, c;
    assert_int_equal(waras_date_parse(&o, opens), 0);
    assert_int_equal(waras_date_parse(&c, closes), 0);
    int64_t id = 0;
    assert_int_equal(waras_survey_round_open(&id, f->st, teams, 2, o, c, "lea"), 0);
    assert_true(id > 0);
    return id;
}

static void test_rounds__open_and_read(void **state)
{
    fixture *f = *state;
    int64_t id = open_round(f, "2026-11-10", "2026-11-30");
    waras_survey_round r;
    assert_int_equal(waras_survey_round_get(&r, f->st, id), 0);
    assert_int_equal(r.nteams, 2);
    assert_string_equal(r.teams[0], "t");
    assert_string_equal(r.teams[1], "u");
    assert_string_equal(r.opened_by, "lea");
    assert_int_equal(waras_survey_round_state(&r, waras_survey_today()), WARAS_ROUND_OPEN);
    assert_int_equal(waras_survey_round_state(&r, (waras_date){2026, 11, 9}), WARAS_ROUND_UPCOMING);
    assert_int_equal(waras_survey_round_state(&r, (waras_date){2026, 11, 30}), WARAS_ROUND_OPEN);
    assert_int_equal(waras_survey_round_state(&r, (waras_date){2026, 12, 1}), WARAS_ROUND_CLOSED);
    assert_int_equal(waras_survey_round_get(&r, f->st, id + 7), WARAS_ENOTFOUND);

    /* Checks: closing before opening, in the past, a repeated team, no team. */
    const char *dup[] = {"t", "t"};
    waras_date a = {2026, 11, 20}, b = {2026, 11, 19}, past = {2026, 11, 1};
    assert_int_equal(waras_survey_round_open(NULL, f->st, dup, 1, a, b, "x"), WARAS_EINVAL);
    assert_int_equal(waras_survey_round_open(NULL, f->st, dup, 1, past, past, "x"), WARAS_EINVAL);
    assert_int_equal(waras_survey_round_open(NULL, f->st, dup, 2, a, a, "x"), WARAS_EINVAL);
    assert_int_equal(waras_survey_round_open(NULL, f->st, dup, 0, a, a, "x"), WARAS_EINVAL);

    int64_t id2 = open_round(f, "2026-12-01", "2026-12-10");
    waras_survey_round *v;
    size_t n;
    assert_int_equal(waras_survey_round_list(&v, &n, f->st), 0);
    assert_int_equal(n, 2);
    assert_true(v[0].id == id2 && v[1].id == id); /* newest first */
    free(v);
}

static void test_rounds__once_per_person_change_while_open(void **state)
{
    fixture *f = *state;
    int64_t id = open_round(f, "2026-11-10", "2026-11-30");
    int a[WARAS_CBI_ITEMS], back[WARAS_CBI_ITEMS];
    waras_cbi_scores sc;
    fill(a, 25);
    assert_int_equal(waras_survey_round_answer(&sc, f->st, id, "a", "t", a), 0);
    assert_true(fabs(sc.scale[WARAS_CBI_WORK] - 25) < 1e-9);
    fill(a, 75);
    a[0] = -1; /* one unanswered item */
    assert_int_equal(waras_survey_round_answer(&sc, f->st, id, "a", "t", a), 0);
    assert_true(fabs(sc.scale[WARAS_CBI_PERSONAL] - 75) < 1e-9);
    /* Stored once: one row in each table, the second answers. */
    assert_int_equal(th_count(f->st, "survey_responses"), 1);
    waras_store_row *q;
    assert_int_equal(waras_store__row(&q, f->st, "SELECT count(*) FROM survey_round_responses",
                                      "count", NULL, 0),
                     1);
    assert_int_equal(waras_store__int(q, 0), 1);
    waras_store__row_free(q);
    waras_cbi_scores mine;
    assert_int_equal(waras_survey_round_mine(back, &mine, f->st, id, "a"), 0);
    assert_int_equal(back[0], -1);
    assert_int_equal(back[1], 75);
    assert_int_equal(back[12], 25);
    assert_true(fabs(mine.scale[WARAS_CBI_CLIENT] - 75) < 1e-9);
    assert_int_equal(waras_survey_round_mine(back, &mine, f->st, id, "b"), WARAS_ENOTFOUND);

    /* An invalid answer changes nothing. */
    a[3] = 60;
    assert_int_equal(waras_survey_round_answer(&sc, f->st, id, "a", "t", a), WARAS_EINVAL);
    assert_int_equal(waras_survey_round_mine(back, NULL, f->st, id, "a"), 0);
    assert_int_equal(back[3], 75);
    /* A team outside the round, an unknown person. */
    fill(a, 50);
    assert_int_equal(waras_survey_round_answer(&sc, f->st, id, "a", "z", a), WARAS_EINVAL);
    assert_int_equal(waras_survey_round_answer(&sc, f->st, id, "nobody", "t", a), WARAS_ENOTFOUND);
}

static void test_rounds__refused_outside_open_days(void **state)
{
    fixture *f = *state;
    int64_t later = open_round(f, "2026-12-01", "2026-12-10");
    int64_t now = open_round(f, "2026-11-16", "2026-11-16");
    int a[WARAS_CBI_ITEMS];
    fill(a, 50);
    assert_int_equal(waras_survey_round_answer(NULL, f->st, later, "a", "t", a), WARAS_EINVAL);
    assert_int_equal(waras_survey_round_answer(NULL, f->st, now, "a", "t", a), 0);
    waras_clock_set(1794830400 + 86400); /* the next day: closed */
    fill(a, 100);
    assert_int_equal(waras_survey_round_answer(NULL, f->st, now, "a", "t", a), WARAS_EINVAL);
    waras_cbi_scores mine;
    assert_int_equal(waras_survey_round_mine(NULL, &mine, f->st, now, "a"), 0);
    assert_true(fabs(mine.scale[WARAS_CBI_WORK] - 50) < 1e-9);
}

typedef struct count_ctx {
    int n;
} count_ctx;

static int count_row(void *ctx, const waras_survey_row *row)
{
    (void)row;
    ((count_ctx *)ctx)->n++;
    return 0;
}

static void test_rounds__aggregates_only_after_close(void **state)
{
    fixture *f = *state;
    int64_t id = open_round(f, "2026-11-10", "2026-11-30");
    int a[WARAS_CBI_ITEMS];
    for (int i = 0; i < 5; i++) {
        fill(a, 25 * (i % 3));
        assert_int_equal(waras_survey_round_answer(NULL, f->st, id, ids[i], "t", a), 0);
    }
    /* Open: no group view reads them. */
    count_ctx c = {0};
    assert_int_equal(waras_survey_each(f->st, NULL, (waras_date){2026, 1, 1},
                                       (waras_date){2026, 12, 31}, count_row, &c),
                     0);
    assert_int_equal(c.n, 0);
    waras_access_table *t;
    assert_int_equal(waras_access_load(&t, f->st, 5), 0);
    assert_int_equal(t->nrounds, 0);
    waras_access_free(t);

    /* Closed: the quarter of the last day holds them, with the same rules. */
    waras_clock_set(1794830400 + 20 * 86400);
    c.n = 0;
    assert_int_equal(waras_survey_each(f->st, NULL, (waras_date){2026, 11, 30},
                                       (waras_date){2026, 11, 30}, count_row, &c),
                     0);
    assert_int_equal(c.n, 5);
    assert_int_equal(waras_access_load(&t, f->st, 5), 0);
    assert_int_equal(t->nrounds, 1);
    assert_string_equal(t->round[0], "2026-Q4");
    long r = waras_access_round_in(t, (waras_date){2026, 11, 30}, (waras_date){2026, 11, 30});
    assert_int_equal(r, 0);
    waras_access_view v;
    waras_access_view_get(&v, t, r, "t");
    assert_int_equal(v.respondents, 5);
    assert_true(fabs(v.mean[WARAS_CBI_WORK] - (0 + 25 + 50 + 0 + 25) / 5.0) < 1e-9);
    waras_access_view_get(&v, t, r, "u");
    assert_int_equal(v.why, WARAS_ACCESS_SMALL); /* nobody of u answered */
    waras_access_free(t);
}

static void test_rounds__trend(void **state)
{
    fixture *f = *state;
    int64_t r1 = open_round(f, "2026-11-10", "2026-11-16");
    int a[WARAS_CBI_ITEMS];
    fill(a, 75);
    assert_int_equal(waras_survey_round_answer(NULL, f->st, r1, "a", "t", a), 0);
    waras_clock_set(1794830400 + 30 * 86400); /* 2026-12-16 */
    int64_t r2 = open_round(f, "2026-12-16", "2027-01-10");
    fill(a, 25);
    assert_int_equal(waras_survey_round_answer(NULL, f->st, r2, "a", "t", a), 0);
    assert_int_equal(waras_survey_round_answer(NULL, f->st, r2, "b", "t", a), 0);
    waras_survey_point *p;
    size_t n;
    assert_int_equal(waras_survey_trend(&p, &n, f->st, "a"), 0);
    assert_int_equal(n, 2);
    assert_true(p[0].round == r1 && p[1].round == r2);
    assert_true(fabs(p[0].scores.scale[WARAS_CBI_WORK] - 75) < 1e-9);
    assert_true(fabs(p[1].scores.scale[WARAS_CBI_WORK] - 25) < 1e-9);
    assert_int_equal(p[1].taken_on.year, 2027); /* dated the round's last day */
    free(p);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_rounds__open_and_read),
        T(test_rounds__once_per_person_change_while_open),
        T(test_rounds__refused_outside_open_days),
        T(test_rounds__aggregates_only_after_close),
        T(test_rounds__trend),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
