/*
 * Unit tests for the row dynamic programme on its own: on small random
 * problems (two people, one of them fixed), re-planning a window of the
 * first person's row must give a row that keeps every rule and whose
 * roster costs as little as the best of every possible window, found by
 * brute force and scored by the independent scorer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "roster/roster_int.h"
#include "roster/rowdp.h"
#include "waras/roster.h"

#define NE 2

static uint32_t next(uint32_t *st)
{
    *st ^= *st << 13;
    *st ^= *st >> 17;
    *st ^= *st << 5;
    return *st;
}

static int pick(uint32_t *st, int n)
{
    return (int)(next(st) % (uint32_t)n);
}

/* A problem over D days drawn from seed: two shift types of different
 * lengths, a forbidden sequence, limits on minutes, runs, days off and
 * weekends, a maximum on one type (so that the DP counts it exactly), a
 * day off, a lock, requests, cover and fairness. */
static waras_roster_problem *draw(uint32_t seed, int D)
{
    uint32_t st = seed * 2654435761u + 1;
    waras_roster_problem *p;
    int s0, s1, e;
    assert_int_equal(waras_roster_problem_new(&p, D), 0);
    assert_int_equal(waras_roster_add_shift(p, &s0, "E", 480), 0);
    assert_int_equal(waras_roster_add_shift(p, &s1, "L", 600), 0);
    if (pick(&st, 2))
        assert_int_equal(waras_roster_forbid_sequence(p, s1, s0), 0);
    assert_int_equal(waras_roster_add_employee(p, &e, "A"), 0);
    assert_int_equal(waras_roster_add_employee(p, &e, "B"), 0);
    int maxc = 2 + pick(&st, 3);
    waras_roster_limits lim = {
        480L * pick(&st, D / 2), 480L * (D / 3) + 600L * pick(&st, D / 3 + 1),
        1 + pick(&st, 2),        maxc,
        1 + pick(&st, 2),        pick(&st, 3)};
    assert_int_equal(waras_roster_set_limits(p, 0, &lim), 0);
    assert_int_equal(waras_roster_set_max_shifts(p, 0, pick(&st, 2), 1 + pick(&st, 3)), 0);
    assert_int_equal(waras_roster_set_day_off(p, 0, pick(&st, D)), 0);
    int ld = pick(&st, D);
    assert_int_equal(waras_roster_lock(p, 0, ld, pick(&st, 3) - 1), 0);
    for (int i = 0; i < 3; i++)
        assert_int_equal(waras_roster_add_request(p, 0, pick(&st, D), pick(&st, 2), pick(&st, 2),
                                                  1 + pick(&st, 5)),
                         0);
    for (int d = 0; d < D; d++)
        for (int s = 0; s < 2; s++)
            assert_int_equal(
                waras_roster_set_cover(p, d, s, pick(&st, 3), 1 + pick(&st, 100), pick(&st, 5)), 0);
    if (pick(&st, 2))
        assert_int_equal(waras_roster_set_fairness(p, 0, 480L * (D / 3), 1), 0);
    return p;
}

/* Hard-rule violations of employee 0 and the objective of a roster. */
static int score(const waras_roster_problem *p, const int *cells, long *objective)
{
    waras_roster_score sc;
    assert_int_equal(waras_roster_score_compute(&sc, p, cells), 0);
    int broken = 0;
    for (size_t i = 0; i < sc.nviolations; i++)
        broken += sc.violations[i].employee == 0;
    *objective = sc.objective;
    waras_roster_score_free(&sc);
    return broken;
}

/* The cheapest objective over every window [a, b] of employee 0's row that
 * keeps their rules, the rest of cells fixed; -1 when none does. */
static long brute(const waras_roster_problem *p, int *cells, int a, int b)
{
    int L = b - a + 1;
    long n = 1, best = -1;
    for (int i = 0; i < L; i++)
        n *= 3;
    int keep[16];
    memcpy(keep, cells + a, (size_t)L * sizeof(int));
    for (long k = 0; k < n; k++) {
        long t = k;
        for (int i = 0; i < L; i++, t /= 3)
            cells[a + i] = (int)(t % 3) - 1;
        long obj;
        if (!score(p, cells, &obj) && (best < 0 || obj < best))
            best = obj;
    }
    memcpy(cells + a, keep, (size_t)L * sizeof(int));
    return best;
}

/* Re-plans [a, b] (or the whole row when whole) and checks the row against
 * brute force. Returns 1 when a row keeping the rules exists. */
static int check(uint32_t seed, int D, int a, int b, int whole)
{
    waras_roster_problem *p = draw(seed, D);
    rs_model m;
    assert_int_equal(waras_roster__model_build(&m, p), 0);
    rs_rowdp dp;
    rs_roster r;
    assert_int_equal(waras_roster__rowdp_init(&dp, &m), 0);
    assert_int_equal(waras_roster__roster_init(&r, &m), 0);
    /* A random row for B, who stays; A's row is off but for the lock, or
     * random too on odd seeds (which mostly breaks a rule outside the
     * window, and then brute force finds nothing to compare with). */
    uint32_t st = seed + 77;
    for (int e = 0; e < NE; e++)
        for (int d = 0; d < D; d++)
            if (e == 1 || seed % 2)
                rs_set_cell(&r, &m, e, d, pick(&st, 3) - 1);
    int cells[NE * 16];
    memcpy(cells, r.x, (size_t)NE * D * sizeof(int));
    long best = brute(p, cells, a, b);
    int ok = whole ? waras_roster__rowdp_whole(&dp, &r, 0)
                   : waras_roster__rowdp_plan(&dp, &r, 0, a, b, 0);
    if (best >= 0) {
        if (!ok)
            fail_msg("seed %u, days %d..%d: no row, brute force found %ld", seed, a, b, best);
        memcpy(cells + a, dp.row + a, (size_t)(b - a + 1) * sizeof(int));
        long obj;
        int broken = score(p, cells, &obj);
        if (broken || obj != best)
            fail_msg("seed %u, days %d..%d: row breaks %d rules, objective %ld, brute force %ld",
                     seed, a, b, broken, obj, best);
        assert_true(dp.work > 0);
    }
    waras_roster__roster_free(&r);
    waras_roster__rowdp_free(&dp);
    waras_roster__model_free(&m);
    waras_roster_problem_free(p);
    return best >= 0;
}

/* Windows of whole weeks inside a two-week horizon: the fixed days on
 * either side set the budgets and close the runs. */
static void test_rowdp__windows_match_brute_force(void **state)
{
    (void)state;
    int tested = 0;
    for (uint32_t seed = 1; seed <= 60; seed++) {
        tested += check(seed, 14, 0, 6, 0);
        tested += check(seed, 14, 7, 13, 0);
    }
    /* Most draws leave some window that keeps the rules. */
    assert_true(tested >= 30);
}

/* A whole row of nine days (one weekend, and two days after it), by
 * the window call and by the whole-row call. */
static void test_rowdp__whole_rows_match_brute_force(void **state)
{
    (void)state;
    int tested = 0;
    for (uint32_t seed = 1; seed <= 40; seed++) {
        tested += check(seed, 9, 0, 8, 0);
        check(seed, 9, 0, 8, 1);
    }
    assert_true(tested >= 15);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rowdp__windows_match_brute_force),
        cmocka_unit_test(test_rowdp__whole_rows_match_brute_force),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
