/*
 * Unit tests of the access module: the suppression that keeps a group of
 * fewer than min_group respondents from being computed out of what waras
 * shows. Each case is checked by an attacker: the shown (count, total)
 * pairs of every round and figure, with organisation = sum of teams, go
 * through Gaussian elimination, and no hidden team's total and no union of
 * teams holding fewer than min_group respondents may lie in their span.
 * The cases: two teams (6 and 4), three and four teams with two small ones,
 * a scale answered by too few, two rounds one person apart, random
 * organisations, and the table read back from a store.
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
#include "survey/survey_int.h"
#include "waras/access.h"
#include "waras/error.h"
#include "waras/store.h"
#include "waras/survey.h"
#include "waras/time.h"

/* --- the attacker --- */

#define MAXA 64 /* atoms: (round, team) cells */
#define MAXR 96 /* shown rows */

/* The row space of the shown figures, reduced: pivot column per row. */
typedef struct span {
    double row[MAXR][MAXA];
    int pivot[MAXR];
    int nrows, ncols;
} span;

/* Reduces v against the basis; returns whether anything is left. */
static int residual(const span *s, double *v)
{
    for (int i = 0; i < s->nrows; i++) {
        double c = v[s->pivot[i]];
        if (fabs(c) < 1e-9)
            continue;
        for (int j = 0; j < s->ncols; j++)
            v[j] -= c * s->row[i][j];
    }
    for (int j = 0; j < s->ncols; j++)
        if (fabs(v[j]) > 1e-7)
            return 1;
    return 0;
}

/* Adds a shown figure (its cells as an indicator) to the basis. */
static void span_add(span *s, const double *in)
{
    double v[MAXA];
    memcpy(v, in, sizeof(v));
    if (!residual(s, v))
        return;
    int p = 0;
    for (int j = 0; j < s->ncols; j++)
        if (fabs(v[j]) > fabs(v[p]))
            p = j;
    double d = v[p];
    for (int j = 0; j < s->ncols; j++)
        v[j] /= d;
    /* Keep the basis reduced: clear column p from the other rows. */
    for (int i = 0; i < s->nrows; i++) {
        double c = s->row[i][p];
        for (int j = 0; j < s->ncols; j++)
            s->row[i][j] -= c * v[j];
    }
    assert_true(s->nrows < MAXR);
    memcpy(s->row[s->nrows], v, sizeof(v));
    s->pivot[s->nrows++] = p;
}

static int in_span(const span *s, const double *in)
{
    double v[MAXA];
    memcpy(v, in, sizeof(v));
    return !residual(s, v);
}

/* Everything the table shows of figure f, as the attacker sees it. The
 * atoms are the teams' cells with someone in them: an empty cell holds
 * nothing to find. */
static void attacker_span(span *s, const waras_access_table *t, int f, int atom[][16])
{
    memset(s, 0, sizeof(*s));
    for (size_t r = 0; r < t->nrounds; r++)
        for (size_t k = 0; k < t->nteams; k++)
            atom[r][k] = waras_access_cell_at(t, r, k)->n[f] > 0 ? s->ncols++ : -1;
    assert_true(s->ncols <= MAXA);
    for (size_t r = 0; r < t->nrounds; r++) {
        for (size_t g = 0; g <= t->nteams; g++) {
            const waras_access_cell *c = waras_access_cell_at(t, r, g);
            if (c->why[f] != WARAS_ACCESS_SHOWN)
                continue;
            double v[MAXA] = {0};
            for (size_t k = 0; k < t->nteams; k++)
                if (atom[r][k] >= 0 && (g == t->nteams || g == k))
                    v[atom[r][k]] = 1;
            span_add(s, v);
        }
    }
}

/* How many secrets the attacker computes from figure f: each hidden team
 * whose total is a linear combination of shown totals, and each union of
 * a round's teams with fewer than min_group respondents that is. With
 * recovered, the first hidden team's total found is left there. */
static int leaks_of(const waras_access_table *t, int f, double *recovered)
{
    static span s;
    int atom[8][16];
    assert_true(t->nrounds <= 8 && t->nteams <= 16);
    attacker_span(&s, t, f, atom);
    int leaks = 0;
    for (size_t r = 0; r < t->nrounds; r++) {
        int cols[16], nc = 0;
        for (size_t k = 0; k < t->nteams; k++)
            if (atom[r][k] >= 0)
                cols[nc++] = (int)k;
        assert_true(nc <= 12);
        for (unsigned mask = 1; mask < (1u << nc); mask++) {
            double v[MAXA] = {0};
            int weight = 0, members = 0, hidden = 0;
            for (int b = 0; b < nc; b++) {
                if (!(mask & (1u << b)))
                    continue;
                const waras_access_cell *c = waras_access_cell_at(t, r, (size_t)cols[b]);
                v[atom[r][cols[b]]] = 1;
                weight += c->n[f];
                members++;
                hidden += c->why[f] != WARAS_ACCESS_SHOWN;
            }
            int secret = weight < t->min_group || (members == 1 && hidden);
            if (!secret || !in_span(&s, v))
                continue;
            leaks++;
            if (recovered && members == 1 && hidden) {
                /* Solve it as an attacker would: org total minus the shown teams. */
                const waras_access_cell *org = waras_access_cell_at(t, r, t->nteams);
                double total = org->sum[f];
                for (size_t k = 0; k < t->nteams; k++)
                    if (waras_access_cell_at(t, r, k)->why[f] == WARAS_ACCESS_SHOWN)
                        total -= waras_access_cell_at(t, r, k)->sum[f];
                *recovered = total;
                recovered = NULL;
            }
        }
    }
    return leaks;
}

static int leaks(const waras_access_table *t)
{
    int n = 0;
    for (int f = 0; f < WARAS_ACCESS_FIGURES; f++)
        n += leaks_of(t, f, NULL);
    return n;
}

/* --- building tables --- */

/* A response whose personal scale is units * 25 / 6 (units 0..24, the sum
 * of its six answers over 25) and whose work and client scales are v. */
static waras_cbi_scores scores(int units, double v)
{
    waras_cbi_scores s = {{units * 25.0 / 6.0, v, v}};
    return s;
}

static void add(waras_access_table *t, size_t round, size_t team, const char *person,
                waras_cbi_scores s)
{
    assert_int_equal(waras_access_add(t, round, team, person, &s), 0);
}

/* n identified respondents "<prefix>1".."<prefix>n" in a round and team. */
static void add_people(waras_access_table *t, size_t round, size_t team, const char *prefix,
                       int first, int n, double v)
{
    for (int i = first; i < first + n; i++) {
        char id[32];
        snprintf(id, sizeof(id), "%s%d", prefix, i);
        add(t, round, team, id, scores(12, v));
    }
}

static const waras_access_cell *cell(const waras_access_table *t, size_t r, size_t k)
{
    return waras_access_cell_at(t, r, k);
}

/* --- cases --- */

/* The example: alpha 6 respondents (personal 53.47), beta 4, the
 * organisation 10 (personal 55.0) gave beta's 57.29 by subtraction. */
static void test_access__two_teams(void **state)
{
    (void)state;
    waras_access_table *t = NULL;
    assert_int_equal(waras_access_table_new(&t, 1, 2, 5), 0);
    static const int alpha_units[6] = {13, 13, 13, 13, 13, 12}; /* 77 */
    static const int beta_units[4] = {14, 14, 14, 13};          /* 55 */
    for (int i = 0; i < 6; i++) {
        char id[8];
        snprintf(id, sizeof(id), "a%d", i);
        add(t, 0, 0, id, scores(alpha_units[i], 50));
    }
    for (int i = 0; i < 4; i++) {
        char id[8];
        snprintf(id, sizeof(id), "b%d", i);
        add(t, 0, 1, id, scores(beta_units[i], 50));
    }
    const waras_access_cell *a = cell(t, 0, 0), *b = cell(t, 0, 1), *org = cell(t, 0, 2);
    assert_int_equal(org->n[0], 10);
    assert_true(fabs(a->sum[1] / a->n[1] - 53.47) < 0.005);
    assert_true(fabs(org->sum[1] / org->n[1] - 55.0) < 1e-9);

    /* Primary suppression alone (the behaviour before): the attacker gets
     * beta's mean back, org total minus alpha's. */
    assert_int_equal(waras_access_protect(t), 0);
    waras_access_cell *o = waras_access_cell_at(t, 0, 2);
    int saved[WARAS_ACCESS_FIGURES];
    memcpy(saved, o->why, sizeof(saved));
    for (int f = 0; f < WARAS_ACCESS_FIGURES; f++)
        o->why[f] = WARAS_ACCESS_SHOWN;
    double beta_total = -1;
    assert_true(leaks_of(t, 1, &beta_total) > 0);
    assert_true(fabs(beta_total / 4 - 57.29) < 0.005);
    memcpy(o->why, saved, sizeof(saved));

    /* Protected: alpha stays, beta is too small, the organisation goes. */
    for (int f = 0; f < WARAS_ACCESS_FIGURES; f++) {
        assert_int_equal(a->why[f], WARAS_ACCESS_SHOWN);
        assert_int_equal(b->why[f], WARAS_ACCESS_SMALL);
        assert_int_equal(org->why[f], WARAS_ACCESS_COMPLEMENT);
    }
    assert_int_equal(leaks(t), 0);

    /* What a view gets, in words. */
    waras_access_view v;
    snprintf(t->team[0], sizeof(t->team[0]), "alpha");
    snprintf(t->team[1], sizeof(t->team[1]), "beta");
    waras_access_view_get(&v, t, 0, NULL);
    assert_int_equal(v.respondents, -1);
    assert_string_equal(v.reason, "suppressed to protect a smaller group");
    for (int s = 0; s < WARAS_CBI_SCALES; s++)
        assert_true(v.mean[s] < 0);
    assert_true(v.high_work_share < 0);
    waras_access_view_get(&v, t, 0, "beta");
    assert_int_equal(v.respondents, 4);
    assert_string_equal(v.reason, "4 respondents, fewer than min_group (5)");
    waras_access_view_get(&v, t, 0, "alpha");
    assert_int_equal(v.respondents, 6);
    assert_string_equal(v.reason, "");
    assert_true(fabs(v.mean[WARAS_CBI_PERSONAL] - 77 * 25.0 / 36.0) < 1e-9);
    waras_access_view_get(&v, t, 0, "nobody");
    assert_int_equal(v.respondents, 0);
    assert_int_equal(v.why, WARAS_ACCESS_SMALL);
    waras_access_free(t);
}

/* Three teams, two under min_group: together they hold 5, so the
 * organisation may show (what it gives away is the two together, five
 * people); with 2 and 2 they hold 4 and it may not. */
static void test_access__three_teams_two_small(void **state)
{
    (void)state;
    static const int sizes[2][3] = {{6, 3, 2}, {6, 2, 2}};
    for (int c = 0; c < 2; c++) {
        waras_access_table *t = NULL;
        assert_int_equal(waras_access_table_new(&t, 1, 3, 5), 0);
        for (size_t k = 0; k < 3; k++) {
            char prefix[8];
            snprintf(prefix, sizeof(prefix), "t%zu-", k);
            add_people(t, 0, k, prefix, 0, sizes[c][k], 20.0 + 10.0 * (double)k);
        }
        assert_int_equal(waras_access_protect(t), 0);
        assert_int_equal(cell(t, 0, 0)->why[0], WARAS_ACCESS_SHOWN);
        assert_int_equal(cell(t, 0, 1)->why[0], WARAS_ACCESS_SMALL);
        assert_int_equal(cell(t, 0, 2)->why[0], WARAS_ACCESS_SMALL);
        assert_int_equal(cell(t, 0, 3)->why[0],
                         c == 0 ? WARAS_ACCESS_SHOWN : WARAS_ACCESS_COMPLEMENT);
        assert_int_equal(leaks(t), 0);
        waras_access_free(t);
    }

    /* Four teams, 6, 7, 3 and 1: the small ones hold 4, so the smallest
     * shown team (6) is hidden too and the organisation still shows. */
    waras_access_table *t = NULL;
    assert_int_equal(waras_access_table_new(&t, 1, 4, 5), 0);
    static const int four[4] = {6, 7, 3, 1};
    for (size_t k = 0; k < 4; k++) {
        char prefix[8];
        snprintf(prefix, sizeof(prefix), "t%zu-", k);
        add_people(t, 0, k, prefix, 0, four[k], 60);
    }
    assert_int_equal(waras_access_protect(t), 0);
    assert_int_equal(cell(t, 0, 0)->why[0], WARAS_ACCESS_COMPLEMENT);
    assert_int_equal(cell(t, 0, 1)->why[0], WARAS_ACCESS_SHOWN);
    assert_int_equal(cell(t, 0, 4)->why[0], WARAS_ACCESS_SHOWN);
    for (int f = 1; f < WARAS_ACCESS_FIGURES; f++)
        assert_int_equal(cell(t, 0, 0)->why[f], WARAS_ACCESS_COMPLEMENT);
    assert_int_equal(leaks(t), 0);
    waras_access_free(t);
}

/* Every team is large enough, but one team's client scale has three
 * answers: the organisation's client mean would give them. */
static void test_access__scale_answered_by_few(void **state)
{
    (void)state;
    waras_access_table *t = NULL;
    assert_int_equal(waras_access_table_new(&t, 1, 2, 5), 0);
    add_people(t, 0, 0, "a", 0, 6, 40);
    add_people(t, 0, 1, "b", 0, 3, 40);
    waras_cbi_scores no_client = {{50, 50, -1}};
    add(t, 0, 1, "b7", no_client);
    add(t, 0, 1, "b8", no_client);
    assert_int_equal(waras_access_protect(t), 0);
    const int client = 1 + WARAS_CBI_CLIENT;
    assert_int_equal(cell(t, 0, 1)->why[0], WARAS_ACCESS_SHOWN);
    assert_int_equal(cell(t, 0, 1)->why[client], WARAS_ACCESS_SMALL);
    assert_int_equal(cell(t, 0, 2)->why[0], WARAS_ACCESS_SHOWN);
    assert_int_equal(cell(t, 0, 2)->why[1 + WARAS_CBI_WORK], WARAS_ACCESS_SHOWN);
    assert_int_equal(cell(t, 0, 2)->why[client], WARAS_ACCESS_COMPLEMENT);
    assert_int_equal(leaks(t), 0);
    waras_access_free(t);
}

/* Two rounds: alpha 6 then 5. When the five answered both rounds, the two
 * means differ by the one who left plus the change of five others, and
 * both show; when only four answered both (one left, one joined, one
 * more left), the later round would show little more than the change of
 * a few people, and it is hidden, with what protects it. */
static void test_access__rounds_one_person_apart(void **state)
{
    (void)state;
    for (int c = 0; c < 3; c++) {
        waras_access_table *t = NULL;
        assert_int_equal(waras_access_table_new(&t, 2, 2, 5), 0);
        add_people(t, 0, 0, "a", 1, 6, 30);
        add_people(t, 0, 1, "b", 1, 5, 70);
        if (c == 0) {
            add_people(t, 1, 0, "a", 1, 5, 35); /* a6 left */
        } else if (c == 1) {
            add_people(t, 1, 0, "a", 1, 4, 35); /* a5 and a6 left */
            add_people(t, 1, 0, "a", 7, 1, 35); /* a7 joined */
        } else {
            /* Anonymous: six, then five (the assumption: the same five). */
            waras_access_free(t);
            assert_int_equal(waras_access_table_new(&t, 2, 2, 5), 0);
            for (int i = 0; i < 6; i++)
                add(t, 0, 0, NULL, scores(12, 30));
            add_people(t, 0, 1, "b", 1, 5, 70);
            for (int i = 0; i < 5; i++)
                add(t, 1, 0, NULL, scores(12, 35));
        }
        add_people(t, 1, 1, "b", 1, 5, 75);
        assert_int_equal(waras_access_protect(t), 0);
        for (size_t g = 0; g < 3; g++)
            assert_int_equal(cell(t, 0, g)->why[0], WARAS_ACCESS_SHOWN);
        if (c == 1) {
            assert_int_equal(cell(t, 1, 0)->why[0], WARAS_ACCESS_ROUND);
            /* The organisation minus beta would give alpha's round. */
            assert_int_equal(cell(t, 1, 1)->why[0], WARAS_ACCESS_SHOWN);
            assert_int_equal(cell(t, 1, 2)->why[0], WARAS_ACCESS_COMPLEMENT);
        } else {
            for (size_t g = 0; g < 3; g++)
                assert_int_equal(cell(t, 1, g)->why[0], WARAS_ACCESS_SHOWN);
        }
        assert_int_equal(leaks(t), 0);
        waras_access_free(t);
    }
}

/* --- random organisations --- */

static uint64_t rng_state;
static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((rng_state >> 33) % n);
}

/* Hundreds of organisations (2-8 teams, 1-3 rounds, 1-12 respondents a
 * team and round, some anonymous, some scales unanswered, people staying,
 * leaving and joining between rounds): the attacker finds nothing, no
 * shown figure is below min_group, and two shown rounds of a group share
 * or differ by at least min_group respondents. */
static void test_access__random_organisations(void **state)
{
    (void)state;
    rng_state = 20261201;
    int shown = 0, hidden = 0;
    for (int run = 0; run < 400; run++) {
        size_t nteams = 2 + rnd(7), nrounds = 1 + rnd(3);
        int m = run % 5 == 4 ? 3 + (int)rnd(4) : 5;
        waras_access_table *t = NULL;
        assert_int_equal(waras_access_table_new(&t, nrounds, nteams, m), 0);
        for (size_t r = 0; r < nrounds; r++) {
            for (size_t k = 0; k < nteams; k++) {
                int n = 1 + (int)rnd(12), start = (int)rnd(4);
                for (int i = 0; i < n; i++) {
                    char id[32];
                    snprintf(id, sizeof(id), "t%zu-p%d", k, start + i);
                    waras_cbi_scores s = {{rnd(25) * 25.0 / 6.0, rnd(29) * 25.0 / 7.0,
                                           rnd(8) ? rnd(25) * 25.0 / 6.0 : -1}};
                    if (rnd(10) == 0)
                        s.scale[WARAS_CBI_PERSONAL] = -1;
                    add(t, r, k, rnd(6) ? id : NULL, s);
                }
            }
        }
        assert_int_equal(waras_access_protect(t), 0);
        int found = leaks(t);
        if (found)
            print_error("run %d: %d leaks\n", run, found);
        assert_int_equal(found, 0);
        for (size_t r = 0; r < nrounds; r++) {
            for (size_t g = 0; g <= nteams; g++) {
                const waras_access_cell *c = cell(t, r, g);
                for (int f = 0; f < WARAS_ACCESS_FIGURES; f++) {
                    if (c->why[f] == WARAS_ACCESS_SHOWN)
                        assert_true(c->n[f] >= m && c->n[0] >= m);
                    shown += c->why[f] == WARAS_ACCESS_SHOWN;
                    hidden += c->why[f] != WARAS_ACCESS_SHOWN;
                }
                /* Shared respondents counted by hand (ids are sorted). */
                for (size_t p = 0; p < r && c->why[0] == WARAS_ACCESS_SHOWN; p++) {
                    const waras_access_cell *e = cell(t, p, g);
                    if (e->why[0] != WARAS_ACCESS_SHOWN)
                        continue;
                    int common = e->anonymous < c->anonymous ? e->anonymous : c->anonymous;
                    for (size_t i = 0; i < e->nids; i++)
                        for (size_t j = 0; j < c->nids; j++)
                            common += strcmp(e->ids[i], c->ids[j]) == 0;
                    assert_true(common >= m || e->n[0] + c->n[0] - 2 * common >= m);
                }
            }
        }
        waras_access_free(t);
    }
    /* The check is not vacuous: most figures still show, some do not. */
    assert_true(shown > hidden);
    assert_true(hidden > 100);
}

/* --- from a store --- */

typedef struct fixture {
    TH_SCRATCH_FIRST;
    int64_t source;
} fixture;

static int setup(void **state)
{
    if (th_scratch_setup(state, sizeof(fixture), "access"))
        return -1;
    fixture *f = *state;
    static const char *const ids[] = {"p1", "p2"};
    for (int i = 0; i < 2; i++)
        if (th_person_put(f->st, ids[i], "alpha", "UTC", 0x1f, 480, 1080))
            return -1;
    return waras_store_source_add(&f->source, f->st, "survey", "survey.csv", "0123") ? -1 : 0;
}

static int teardown(void **state)
{
    return th_scratch_teardown(state);
}

static void put(fixture *f, const char *team, const char *person, const char *date, int v,
                long line)
{
    int a[WARAS_CBI_ITEMS];
    for (int i = 0; i < WARAS_CBI_ITEMS; i++)
        a[i] = i == 12 ? 100 - v : v;
    assert_int_equal(waras_survey__put(f->st, team, person, date, a, f->source, line), 0);
}

/* Rounds are calendar quarters; each person counts once a round, with the
 * latest response in it, toward that response's team, so the
 * organisation is always the sum of its teams. */
static void test_access__load_rounds(void **state)
{
    fixture *f = *state;
    put(f, "alpha", "p1", "2026-09-30", 0, 1);  /* 2026-Q3 */
    put(f, "alpha", "p1", "2026-10-01", 25, 2); /* 2026-Q4 */
    put(f, "alpha", "p1", "2026-12-31", 75, 3); /* p1's latest in Q4 */
    put(f, "alpha", "p2", "2026-10-05", 50, 4);
    put(f, "beta", "p2", "2026-11-05", 100, 5); /* p2 moved to beta: counts there */
    put(f, "beta", NULL, "2026-11-05", 0, 6);
    put(f, "beta", NULL, "2026-11-05", 0, 7);
    waras_access_table *t = NULL;
    assert_int_equal(waras_access_load(&t, f->st, 2), 0);
    assert_int_equal(t->nrounds, 2);
    assert_int_equal(t->nteams, 2);
    assert_string_equal(t->round[0], "2026-Q3");
    assert_string_equal(t->round[1], "2026-Q4");
    assert_int_equal(waras_date_cmp(t->round_first[1], (waras_date){2026, 10, 1}), 0);
    assert_int_equal(waras_date_cmp(t->round_last[1], (waras_date){2026, 12, 31}), 0);
    assert_int_equal(waras_date_cmp(t->round_last[0], (waras_date){2026, 9, 30}), 0);
    long alpha = waras_access_team(t, "alpha"), beta = waras_access_team(t, "beta");
    assert_int_equal(alpha, 0);
    assert_int_equal(beta, 1);
    const waras_access_cell *a = cell(t, 1, 0), *b = cell(t, 1, 1), *org = cell(t, 1, 2);
    assert_int_equal(a->n[0], 1);
    assert_true(fabs(a->sum[1] - 75) < 1e-9);
    assert_int_equal(b->n[0], 3);
    assert_int_equal(b->anonymous, 2);
    assert_true(fabs(b->sum[1] - 100) < 1e-9);
    assert_int_equal(org->n[0], 4);
    assert_true(fabs(org->sum[1] - 175) < 1e-9);
    /* Q3 shows nothing (one respondent) and the organisation minus beta
     * would be alpha's one: hidden (hiding beta would leave no team). */
    assert_int_equal(a->why[0], WARAS_ACCESS_SMALL);
    assert_int_equal(org->why[0], WARAS_ACCESS_COMPLEMENT);
    assert_int_equal(leaks(t), 0);

    /* The round a view shows: the latest overlapping its days. */
    assert_int_equal(waras_access_round_in(t, (waras_date){2026, 9, 1}, (waras_date){2026, 10, 1}),
                     1);
    assert_int_equal(waras_access_round_in(t, (waras_date){2026, 7, 1}, (waras_date){2026, 9, 30}),
                     0);
    assert_int_equal(waras_access_round_in(t, (waras_date){2027, 1, 1}, (waras_date){2027, 3, 1}),
                     -1);
    waras_access_free(t);

    /* A round just begun with too few answers does not hide the one before. */
    assert_int_equal(waras_access_load(&t, f->st, 4), 0);
    assert_int_equal(cell(t, 1, 2)->n[0], 4);
    assert_int_equal(waras_access_round_in(t, (waras_date){2026, 9, 1}, (waras_date){2026, 10, 1}),
                     1);
    waras_access_free(t);
    put(f, "alpha", "p1", "2027-01-02", 50, 8); /* 2027-Q1: one answer */
    assert_int_equal(waras_access_load(&t, f->st, 4), 0);
    assert_int_equal(t->nrounds, 3);
    assert_int_equal(waras_access_round_in(t, (waras_date){2026, 12, 1}, (waras_date){2027, 1, 10}),
                     1);
    /* None has enough: the latest. */
    assert_int_equal(waras_access_round_in(t, (waras_date){2027, 1, 1}, (waras_date){2027, 1, 10}),
                     2);
    waras_access_free(t);
    assert_int_equal(waras_access_load(&t, f->st, 5), 0);
    assert_int_equal(waras_access_round_in(t, (waras_date){2026, 12, 1}, (waras_date){2027, 1, 10}),
                     2);
    waras_access_free(t);

    /* An empty store: no round, nothing shown. */
    assert_int_equal(waras_access_table_new(&t, 0, 0, 5), 0);
    waras_access_view v;
    waras_access_view_get(&v, t,
                          waras_access_round_in(t, (waras_date){1970, 1, 1},
                                                waras_date_add((waras_date){1970, 1, 1}, 100000)),
                          NULL);
    assert_int_equal(v.respondents, 0);
    assert_int_equal(v.why, WARAS_ACCESS_SMALL);
    waras_access_free(t);
}

static void test_access__misuse(void **state)
{
    (void)state;
    waras_access_table *t = NULL;
    assert_int_equal(waras_access_table_new(&t, 1, 1, 0), WARAS_EINVAL);
    assert_int_equal(waras_access_table_new(&t, 1, 1, 5), 0);
    waras_cbi_scores s = scores(12, 50);
    assert_int_equal(waras_access_add(t, 1, 0, "x", &s), WARAS_EINVAL);
    assert_int_equal(waras_access_add(t, 0, 1, "x", &s), WARAS_EINVAL);
    assert_int_equal(waras_access_protect(t), 0);
    assert_int_equal(waras_access_add(t, 0, 0, "x", &s), WARAS_EINVAL);
    assert_int_equal(waras_access_protect(t), WARAS_EINVAL);
    waras_access_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_access__two_teams),
        cmocka_unit_test(test_access__three_teams_two_small),
        cmocka_unit_test(test_access__scale_answered_by_few),
        cmocka_unit_test(test_access__rounds_one_person_apart),
        cmocka_unit_test(test_access__random_organisations),
        cmocka_unit_test_setup_teardown(test_access__load_rounds, setup, teardown),
        cmocka_unit_test(test_access__misuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
