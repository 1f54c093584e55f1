/*
 * Unit tests for column generation (src/lib/roster/colgen.c) on its own:
 * the master problem, dual smoothing and the cell dive are driven by a
 * brute-force pricer (every row of a tiny problem enumerated), so a wrong
 * dual sign, a fixed cell that pricing ignores or a dive that loses a
 * person shows up as a roster that is not the brute-force optimum.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "roster/roster_int.h"
#include "waras/roster.h"

#define OFF WARAS_ROSTER_OFF
#define ND 4
#define NE 3

typedef struct brute brute;
/* A test pricer for one person, in the shape of the solver's. */
typedef int (*one_fn)(brute *b, int e, const double *dual, const int *fix, int *row, double *cost);

struct brute {
    const rs_model *m;
    int calls, fixed_calls; /* fixed_calls: calls with a cell fixed */
    one_fn one;
};

/* The rs_price_fn column generation calls: b->one for each person in turn. */
static int each_person(void *user, const double *dual, const int *fix, double deadline, int *rows,
                       double *costs, int *status)
{
    brute *b = user;
    const rs_model *m = b->m;
    for (int e = 0; e < m->E; e++) {
        status[e] = 0;
        if (waras_roster__now() >= deadline)
            continue;
        int r = b->one(b, e, dual, fix ? fix + (size_t)e * m->D : NULL, rows + (size_t)e * m->D,
                       &costs[e]);
        if (r < 0)
            return r;
        status[e] = r;
    }
    return 0;
}

/* Decodes row number n (base V = S + 1, digit 0 = off) into row. */
static void decode(const rs_model *m, long n, int *row)
{
    for (int d = 0; d < m->D; d++) {
        row[d] = (int)(n % m->V) - 1;
        n /= m->V;
    }
}

static long nrows(const rs_model *m)
{
    long n = 1;
    for (int d = 0; d < m->D; d++)
        n *= m->V;
    return n;
}

/* The test problems' hard rules: a minutes range, runs of at most two
 * days and no early shift straight after a late one. The last two couple
 * neighbouring days, which makes relaxations fractional. A row must also
 * keep every fixed cell. */
static int brute_price(brute *b, int e, const double *dual, const int *fix, int *row, double *cost)
{
    const rs_model *m = b->m;
    int cur[ND] = {0};
    double best = 0;
    int found = 0;
    b->calls++;
    for (int d = 0; fix && d < m->D; d++)
        if (fix[d] != -2) {
            b->fixed_calls++;
            break;
        }
    for (long n = 0; n < nrows(m); n++) {
        decode(m, n, cur);
        int ok = 1;
        long mins = 0;
        for (int d = 0; d < m->D && ok; d++) {
            ok = !fix || fix[d] == -2 || fix[d] == cur[d];
            mins += cur[d] >= 0 ? m->minutes[cur[d]] : 0;
        }
        ok = ok && mins >= m->lim[e].min_minutes && mins <= m->lim[e].max_minutes;
        for (int d = 1, run = cur[0] >= 0; d < m->D && ok; d++) {
            run = cur[d] >= 0 ? run + 1 : 0;
            ok = run <= m->lim[e].max_consecutive &&
                 !(cur[d - 1] >= 0 && cur[d] >= 0 && m->forbid[cur[d - 1] * m->S + cur[d]]);
        }
        if (!ok)
            continue;
        double c = waras_roster__row_cost(m, e, cur);
        for (int d = 0; d < m->D; d++)
            if (cur[d] >= 0)
                c -= dual[d * m->S + cur[d]];
        if (!found || c < best - 1e-9) {
            best = c;
            memcpy(row, cur, sizeof(cur));
            found = 1;
        }
    }
    *cost = best;
    return found;
}

/* The objective of a whole roster by the independent scorer, -1 when it
 * breaks a hard rule. */
static long objective(const waras_roster_problem *p, const int *cells)
{
    waras_roster_score sc;
    assert_int_equal(waras_roster_score_compute(&sc, p, cells), 0);
    long o = sc.feasible ? sc.objective : -1;
    waras_roster_score_free(&sc);
    return o;
}

/* The best objective over every roster (V^(D*E) of them). */
static long brute_optimum(const waras_roster_problem *p, const rs_model *m, int *arg)
{
    long rows = nrows(m), best = -1;
    int cells[NE * ND];
    long idx[NE] = {0};
    for (;;) {
        for (int e = 0; e < NE; e++)
            decode(m, idx[e], cells + e * ND);
        long o = objective(p, cells);
        if (o >= 0 && (best < 0 || o < best)) {
            best = o;
            if (arg)
                memcpy(arg, cells, sizeof(cells));
        }
        int e = 0;
        while (e < NE && ++idx[e] == rows)
            idx[e++] = 0;
        if (e == NE)
            break;
    }
    return best;
}

static uint32_t lcg(uint32_t *x)
{
    *x = *x * 1664525u + 1013904223u;
    return *x >> 8;
}

/* Two shifts, three people, four days: random cover (0 to 2 a shift),
 * random minutes ranges (1 to 4 days) and random requests, from a seed. */
static waras_roster_problem *tiny(uint32_t seed)
{
    waras_roster_problem *p;
    int sh, e;
    assert_int_equal(waras_roster_problem_new(&p, ND), 0);
    assert_int_equal(waras_roster_add_shift(p, &sh, "E", 480), 0);
    assert_int_equal(waras_roster_add_shift(p, &sh, "L", 480), 0);
    assert_int_equal(waras_roster_forbid_sequence(p, 1, 0), 0);
    const char *names[NE] = {"A", "B", "C"};
    for (int i = 0; i < NE; i++) {
        int lo = 1 + (int)(lcg(&seed) % 3);
        waras_roster_limits days = {lo * 480, (lo + (int)(lcg(&seed) % 2)) * 480, -1, 2, -1, -1};
        assert_int_equal(waras_roster_add_employee(p, &e, names[i]), 0);
        assert_int_equal(waras_roster_set_limits(p, e, &days), 0);
    }
    /* One draw per statement: the order in which a call's arguments are
     * evaluated is up to the compiler. */
    for (int d = 0; d < ND; d++)
        for (int s = 0; s < 2; s++) {
            int req = (int)(lcg(&seed) % 3);
            int under = 10 + (int)(lcg(&seed) % 90);
            int over = 1 + (int)(lcg(&seed) % 5);
            assert_int_equal(waras_roster_set_cover(p, d, s, req, under, over), 0);
        }
    for (int r = 0; r < 8; r++) {
        int who = (int)(lcg(&seed) % NE);
        int day = (int)(lcg(&seed) % ND);
        int sh2 = (int)(lcg(&seed) % 2);
        int on = (int)(lcg(&seed) % 2);
        int weight = 1 + (int)(lcg(&seed) % 60);
        assert_int_equal(waras_roster_add_request(p, who, day, sh2, on, weight), 0);
    }
    return p;
}

/* A start that keeps the rules: everyone early on days 0, 1 and 3, as few
 * as their minimum allows. */
static void early_start(const rs_model *m, int *incumbent)
{
    static const int rank[ND] = {0, 1, 3, 2};
    for (int i = 0; i < NE * ND; i++)
        incumbent[i] = rank[i % ND] < m->lim[i / ND].min_minutes / 480 ? 0 : OFF;
}

/* Seed 82 gives a fractional relaxation with a gap that only the later,
 * jittered dives close; the others are whole at once. On seeds 3, 4, 9, 18,
 * 31 and 37 some columns stay priced out long enough to be deleted (GLPK
 * renumbers the columns after them: 17 in all when this was written, from
 * 16 of the first 40 seeds); the optimum must still be found. */
static void test_colgen__tiny_reaches_the_optimum(void **state)
{
    (void)state;
    static const uint32_t seeds[] = {1, 2, 3, 4, 5, 82, 9, 18, 31, 37};
    int pruned = 0;
    for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
        uint32_t seed = seeds[i];
        waras_roster_problem *p = tiny(seed);
        rs_model m;
        assert_int_equal(waras_roster__model_build(&m, p), 0);
        long best = brute_optimum(p, &m, NULL);
        int incumbent[NE * ND], out[NE * ND];
        early_start(&m, incumbent);
        assert_true(objective(p, incumbent) >= 0);
        brute b = {&m, 0, 0, brute_price};
        rs_cg_stats st;
        double now = waras_roster__now();
        int rc = waras_roster__colgen(&m, incumbent, NULL, each_person, &b, now + 2, now + 4,
                                      now + 4, out, &st);
        pruned += st.pruned;
        if (objective(p, incumbent) == best) {
            /* Nothing to gain: either answer is right. */
            assert_true(rc == 0 || objective(p, out) == best);
        } else {
            assert_int_equal(rc, 1);
            /* A fractional relaxation is dived on: pricing sees fixed cells. */
            if (seed == 82)
                assert_true(b.fixed_calls > 0);
            if (objective(p, out) != best)
                fail_msg("seed %u: %ld, optimum %ld (%d rounds, %d pruned)", seed,
                         objective(p, out), best, st.rounds, st.pruned);
        }
        waras_roster__model_free(&m);
        waras_roster_problem_free(p);
    }
    assert_true(pruned > 0);
}

/* Column generation on tiny(1) from everyone off, with pricer fn. */
static int run_from_off(brute *b, rs_model *m)
{
    waras_roster_problem *p = tiny(1);
    assert_int_equal(waras_roster__model_build(m, p), 0);
    int incumbent[NE * ND], out[NE * ND];
    for (int i = 0; i < NE * ND; i++)
        incumbent[i] = OFF;
    double now = waras_roster__now();
    b->m = m;
    int rc = waras_roster__colgen(m, incumbent, NULL, each_person, b, now + 5, now + 10, now + 10,
                                  out, NULL);
    waras_roster__model_free(m);
    waras_roster_problem_free(p);
    return rc;
}

/* A pricer that finds nothing new leaves the incumbent standing. */
static int no_better(brute *b, int e, const double *dual, const int *fix, int *row, double *cost)
{
    (void)e;
    (void)dual;
    (void)fix;
    b->calls++;
    for (int d = 0; d < ND; d++)
        row[d] = OFF;
    *cost = 1e9; /* never of negative reduced cost */
    return 1;
}

static void test_colgen__nothing_to_add(void **state)
{
    (void)state;
    rs_model m;
    brute b = {&m, 0, 0, no_better};
    assert_int_equal(run_from_off(&b, &m), 0);
    assert_int_equal(b.calls, NE);
}

/* Pricing that reports it cannot be done stops column generation. */
static int impossible(brute *b, int e, const double *dual, const int *fix, int *row, double *cost)
{
    (void)b;
    (void)e;
    (void)dual;
    (void)fix;
    (void)row;
    (void)cost;
    return -2;
}

static void test_colgen__pricing_impossible(void **state)
{
    (void)state;
    rs_model m;
    brute b = {&m, 0, 0, impossible};
    assert_int_equal(run_from_off(&b, &m), 0);
}

/* A second roster seeds the master too: with a pricer that finds nothing,
 * column generation still picks the better of the two, whichever is
 * given as the other. */
static void test_colgen__other_roster_is_a_start(void **state)
{
    (void)state;
    int tried = 0;
    for (uint32_t seed = 1; seed <= 5; seed++) {
        waras_roster_problem *p = tiny(seed);
        rs_model m;
        assert_int_equal(waras_roster__model_build(&m, p), 0);
        int opt[NE * ND], start[NE * ND], out[NE * ND];
        long best = brute_optimum(p, &m, opt);
        early_start(&m, start);
        if (objective(p, start) != best) {
            tried++;
            brute b = {&m, 0, 0, no_better};
            double now = waras_roster__now();
            assert_int_equal(waras_roster__colgen(&m, start, opt, each_person, &b, now + 2, now + 4,
                                                  now + 4, out, NULL),
                             1);
            assert_int_equal(objective(p, out), best);
            now = waras_roster__now();
            assert_int_equal(waras_roster__colgen(&m, opt, start, each_person, &b, now + 2, now + 4,
                                                  now + 4, out, NULL),
                             1);
            assert_int_equal(objective(p, out), best);
        }
        waras_roster__model_free(&m);
        waras_roster_problem_free(p);
    }
    assert_true(tried > 0);
}

/* Only the first dive may run to dive_deadline; the later ones stop at
 * redive_deadline. Seed 82 needs a later, jittered dive to reach the
 * optimum (see above): with redive_deadline passed, one dive is all. */
static void test_colgen__later_dives_keep_their_deadline(void **state)
{
    (void)state;
    waras_roster_problem *p = tiny(82);
    rs_model m;
    assert_int_equal(waras_roster__model_build(&m, p), 0);
    int start[NE * ND], out[NE * ND];
    early_start(&m, start);
    brute b = {&m, 0, 0, brute_price};
    rs_cg_stats st;
    double now = waras_roster__now();
    assert_int_equal(
        waras_roster__colgen(&m, start, NULL, each_person, &b, now + 2, now + 4, now, out, &st), 1);
    assert_int_equal(st.dives, 1);
    now = waras_roster__now();
    assert_int_equal(
        waras_roster__colgen(&m, start, NULL, each_person, &b, now + 2, now + 4, now + 4, out, &st),
        1);
    assert_true(st.dives > 1);
    assert_int_equal(objective(p, out), brute_optimum(p, &m, NULL));
    waras_roster__model_free(&m);
    waras_roster_problem_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_colgen__tiny_reaches_the_optimum),
        cmocka_unit_test(test_colgen__nothing_to_add),
        cmocka_unit_test(test_colgen__pricing_impossible),
        cmocka_unit_test(test_colgen__other_roster_is_a_start),
        cmocka_unit_test(test_colgen__later_dives_keep_their_deadline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
