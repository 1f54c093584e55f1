/*
 * Private to the roster module: one search's state (rs_search) and the
 * calls that its parts make on each other. moves.c holds the cost
 * bookkeeping and the annealing's moves, construct.c the first roster and
 * its repair, solve.c the run: threads, column generation and the
 * schedule. The row DP is rowdp.c's.
 */
#ifndef WARAS_ROSTER_SEARCH_H
#define WARAS_ROSTER_SEARCH_H

#include <stdint.h>

#include "roster_int.h"
#include "rowdp.h"

/* Hard penalty points: a broken count rule (one day too many in a run, one
 * weekend too many, ...) is worth HP points, a minute outside the total
 * minutes range one point, so both scales meet at an hour. */
#define HP 60
#define MINUTES_HP 120

/* The hard weight moves between HW_MIN and HW_MAX by strategic
 * oscillation, rising while the current roster breaks a rule and falling
 * while it keeps them all. */
#define HW_MIN 2.0
#define HW_MAX 1e4
#define HW_STEP 1.01
/* Moves between two repairs of a broken rule, less one. */
#define REPAIR_MASK 4095
/* Links of an ejection chain at most. */
#define CHAIN_MAX 5

typedef struct cost {
    int64_t soft, hard;
} cost;

/* One search: the annealing's state around a roster, with the row DP it
 * re-plans rows by and the scratch of its larger moves. */
typedef struct rs_search {
    const rs_model *m;
    int D, S, E, V;
    rs_roster r; /* the current roster and its counters */
    cost cur;    /* its cost */
    int *best;
    cost bestc;
    int best_pending;
    uint64_t rng[4];
    double hw; /* weight of a hard point */
    long long iters;
    double t0;     /* search start */
    int *reqcells; /* cells (e * D + d) that carry a request */
    int nreqcells;
    rs_rowdp dp;    /* the row DP; dp.work counts its state updates */
    double dp_lent; /* of those, the ones spent pricing for column generation */
    long lp_iters;  /* simplex iterations of this search's column generation */
    /* scratch of block moves: the cells they replaced */
    struct {
        int *old1, *old2;
    } undo;
    /* scratch of ejection chains */
    struct {
        int *fix; /* D, all -2 between chains: the cell a chain link forces */
        int *old; /* CHAIN_MAX * D: rows a chain replaced */
    } chain;
    int32_t *pricebuf; /* D * S: the DP's cell prices while this search prices */
} rs_search;

/* xoshiro256** (Blackman and Vigna): fast, and seeded by splitmix64. */
static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t rng_next(rs_search *s)
{
    uint64_t *r = s->rng;
    uint64_t out = rotl(r[1] * 5, 7) * 9, t = r[1] << 17;
    r[2] ^= r[0];
    r[3] ^= r[1];
    r[1] ^= r[2];
    r[0] ^= r[3];
    r[2] ^= t;
    r[3] = rotl(r[3], 45);
    return out;
}

static inline uint64_t splitmix(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static inline int rnd(rs_search *s, int n)
{
    return (int)(((rng_next(s) >> 32) * (uint64_t)n) >> 32);
}
static inline double rnd01(rs_search *s)
{
    return (double)(rng_next(s) >> 11) * (1.0 / 9007199254740992.0);
}

static inline int allowed(const rs_search *s, int e, int d, int v)
{
    return rs_allowed(s->m, e, d, v);
}

static inline void set_cell(rs_search *s, int e, int d, int v)
{
    rs_set_cell(&s->r, s->m, e, d, v);
}

static inline int better(cost a, cost b)
{
    return a.hard < b.hard || (a.hard == b.hard && a.soft < b.soft);
}

/* --- moves.c --- */
/* Adds to c the part of e's cost that a change inside days [lo, hi] can
 * move (the whole of it for [0, D - 1]). */
void waras_roster__emp_local(const rs_search *s, int e, int lo, int hi, cost *c);
/* The roster's cost from the counters. */
cost waras_roster__full_cost(const rs_search *s);
/* The current roster becomes the best one. */
void waras_roster__save_best(rs_search *s);
/* Writes n1 (and n2) over [lo, hi] of rows e1 (and e2) and keeps the change
 * by the annealing's rule at temperature temp, else undoes it. */
void waras_roster__try_move(rs_search *s, double temp, int e1, const int *n1, int e2, const int *n2,
                            int lo, int hi);
/* One annealing move of a kind drawn at random. */
void waras_roster__pick_move(rs_search *s, double temp, int maxk);
/* Re-plans around a rule that someone breaks. */
void waras_roster__repair(rs_search *s, double temp);
#ifndef NDEBUG
/* Debug builds check the incremental bookkeeping against a recomputation
 * from the cells every CHECK_EVERY moves: the cover, per-type, minute and
 * weekend counters, and the roster's cost. A drift would otherwise only
 * show as a worse search. One check costs a pass over every cell, some
 * thousands of moves' time on the largest instances. */
#define CHECK_EVERY 16384
void waras_roster__check_cost(const rs_search *s);
#endif

/* --- construct.c --- */
/* 0, or WARAS_ENOMEM with the error slot set. */
int waras_roster__search_init(rs_search *s, const rs_model *m, uint64_t seed);
void waras_roster__search_free(rs_search *s);
/* Builds the first roster; then repairs it window by window and whole rows. */
void waras_roster__construct(rs_search *s, double deadline);
void waras_roster__sweep_repair(rs_search *s, double deadline);
/* The best roster becomes the current one. */
void waras_roster__load_best(rs_search *s);

#endif
