/*
 * The roster solver. Every hard rule of the model concerns one person, so a
 * person's row over a few weeks can be re-planned exactly by a dynamic
 * programme with everyone else fixed (row_dp). The first roster is built that
 * way, row by row, with each budget shared out over the weeks, then rows that
 * still break a rule are re-planned with their true budgets. From there,
 * simulated annealing over complete rosters: hard rules become weighted
 * penalties (strategic oscillation of the weight lets the search cross
 * infeasible ground), and incremental evaluation makes a move cost time in
 * proportion to the days it touches. Moves: change a cell, swap two people's
 * cells on a day or a block of days, set a block to one value, trade two days,
 * move a cell within a row, trade a cell with whoever works the wanted
 * shift that day, serve a request, now and then a row re-plan, and ejection
 * chains of row re-plans that pass a short shift from person to person.
 * One search per run (the first thread, unless max_iterations caps the
 * moves) also solves the linear relaxation by column generation (colgen.c,
 * priced by the same row DP) and dives from it to a whole roster, which
 * every search then takes over if it beats its own. Annealing runs in
 * epochs that double in length, each restarting from the best roster so
 * far. A run ends at its time limit or, when given, its work budget
 * (counted in moves, DP state updates and simplex iterations, so that a
 * seeded search repeats exactly). Threads otherwise run independent
 * searches and the best roster wins; the independent scorer decides
 * whether it is feasible.
 */
#include <assert.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "roster_int.h"
#include "rowdp.h"
#include "waras/error.h"
#include "waras/time.h"

/* Hard penalty points: a broken count rule (one day too many in a run, one
 * weekend too many, ...) is worth HP points, a minute outside the total
 * minutes range one point, so both scales meet at an hour. */
#define HP 60
#define MINUTES_HP 120

typedef struct cost {
    int64_t soft, hard;
} cost;

/* One search: the annealing's state around a roster, with the row DP it
 * re-plans rows by and the scratch of its larger moves. */
typedef struct search {
    const rs_model *m;
    int D, S, E, V;
    rs_roster r; /* the current roster and its counters */
    cost cur;    /* its cost */
    int *best;
    cost bestc;
    int best_pending;
    uint64_t rng[4];
    double hw;    /* weight of a hard point */
    long long iters;
    double t0;    /* search start */
    int *reqcells; /* cells (e * D + d) that carry a request */
    int nreqcells;
    rs_rowdp dp;  /* the row DP; dp.work counts its state updates */
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
} search;

/* xoshiro256** (Blackman and Vigna): fast, and seeded by splitmix64. */
static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t rng_next(search *s)
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

static uint64_t splitmix(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int rnd(search *s, int n) { return (int)(((rng_next(s) >> 32) * (uint64_t)n) >> 32); }
static double rnd01(search *s) { return (double)(rng_next(s) >> 11) * (1.0 / 9007199254740992.0); }

static inline int allowed(const search *s, int e, int d, int v) { return rs_allowed(s->m, e, d, v); }

static inline void set_cell(search *s, int e, int d, int v) { rs_set_cell(&s->r, s->m, e, d, v); }

/* The part of employee e's cost that a change inside days [lo, hi] can move:
 * request costs there, rotation pairs and runs touching [lo-1, hi+1], and the
 * whole-horizon counters. */
static void emp_local(const search *s, int e, int lo, int hi, cost *c)
{
    const rs_model *m = s->m;
    const int *row = s->r.x + (size_t)e * s->D;
    const waras_roster_limits *lim = &m->lim[e];
    int D = s->D, S = s->S, V = s->V;
    int64_t soft = 0, hard = 0;
    const int *cc = m->cellcost + (size_t)e * D * V;
    for (int d = lo; d <= hi; d++)
        soft += cc[d * V + row[d] + 1];
    int a = lo > 0 ? lo - 1 : 0, b = hi < D - 1 ? hi + 1 : D - 1;
    for (int d = a; d < b; d++)
        if (row[d] >= 0 && row[d + 1] >= 0 && m->forbid[row[d] * S + row[d + 1]])
            hard += HP;
    int st = a, work = row[a] >= 0;
    while (st > 0 && (row[st - 1] >= 0) == work)
        st--;
    while (st <= b) {
        work = row[st] >= 0;
        int en = st;
        while (en + 1 < D && (row[en + 1] >= 0) == work)
            en++;
        int len = en - st + 1, inner = st > 0 && en < D - 1;
        if (work) {
            if (len > lim->max_consecutive)
                hard += (int64_t)HP * (len - lim->max_consecutive);
            else if (inner && len < lim->min_consecutive)
                hard += (int64_t)HP * (lim->min_consecutive - len);
        } else if (inner && len < lim->min_days_off) {
            hard += (int64_t)HP * (lim->min_days_off - len);
        }
        st = en + 1;
    }
    const int *cnt = s->r.cnt + e * S, *mx = m->maxs + e * S;
    for (int k = 0; k < S; k++)
        if (cnt[k] > mx[k])
            hard += (int64_t)HP * (cnt[k] - mx[k]);
    long mins = s->r.mins[e], dev = 0;
    if (mins > lim->max_minutes)
        dev = mins - lim->max_minutes;
    else if (mins < lim->min_minutes)
        dev = lim->min_minutes - mins;
    if (dev) /* each started shift's length of minutes weighs as much as two broken runs */
        hard += (int64_t)MINUTES_HP * ((dev + m->unit_minutes - 1) / m->unit_minutes);
    if (s->r.nwk[e] > lim->max_weekends)
        hard += (int64_t)HP * (s->r.nwk[e] - lim->max_weekends);
    if (m->fair_weight[e]) {
        long dev = mins - m->fair_target[e];
        soft += (int64_t)(dev < 0 ? -dev : dev) * m->fair_weight[e];
    }
    c->soft += soft;
    c->hard += hard;
}

static cost full_cost(const search *s)
{
    cost c = {s->r.cover_cost, 0};
    for (int e = 0; e < s->E; e++)
        emp_local(s, e, 0, s->D - 1, &c);
    return c;
}

#ifndef NDEBUG
/* Debug builds check the incremental bookkeeping against a recomputation
 * from the cells every CHECK_EVERY moves: the cover, per-type, minute and
 * weekend counters, and the roster's cost. A drift would otherwise only
 * show as a worse search. One check costs a pass over every cell, some
 * thousands of moves' time on the largest instances. */
#define CHECK_EVERY 16384

static void check_cost(const search *s)
{
    const rs_model *m = s->m;
    int64_t cover = 0;
    for (int k = 0; k < s->D * s->S; k++) {
        int have = 0;
        for (int e = 0; e < s->E; e++)
            have += s->r.x[(size_t)e * s->D + k / s->S] == k % s->S;
        assert(have == s->r.cov[k]);
        cover += rs_cover_pen(m, k, have);
    }
    assert(cover == s->r.cover_cost);
    for (int e = 0; e < s->E; e++) {
        const int *row = s->r.x + (size_t)e * s->D;
        long mins = 0;
        int nwk = 0;
        for (int v = 0; v < s->S; v++) {
            int n = 0;
            for (int d = 0; d < s->D; d++)
                n += row[d] == v;
            assert(n == s->r.cnt[e * s->S + v]);
            mins += (long)n * m->minutes[v];
        }
        for (int sat = 5; sat < s->D; sat += 7)
            nwk += row[sat] >= 0 || (sat + 1 < s->D && row[sat + 1] >= 0);
        assert(mins == s->r.mins[e]);
        assert(nwk == s->r.nwk[e]);
    }
    cost c = full_cost(s);
    assert(c.soft == s->cur.soft && c.hard == s->cur.hard);
}
#define CHECK_COST(s) check_cost(s)
#else
#define CHECK_COST(s) ((void)0)
#endif

static int better(cost a, cost b) { return a.hard < b.hard || (a.hard == b.hard && a.soft < b.soft); }

static void save_best(search *s)
{
    memcpy(s->best, s->r.x, (size_t)s->E * s->D * sizeof(int));
    s->best_pending = 0;
}

/* Writes cells of up to two employees over [lo, hi] from n1/n2 (n2 may be
 * NULL), keeping the old values in old1/old2. */
static void write_block(search *s, int e1, const int *n1, int e2, const int *n2, int lo, int hi)
{
    for (int d = lo; d <= hi; d++) {
        s->undo.old1[d - lo] = s->r.x[(size_t)e1 * s->D + d];
        if (n2)
            s->undo.old2[d - lo] = s->r.x[(size_t)e2 * s->D + d];
    }
    for (int d = lo; d <= hi; d++) {
        set_cell(s, e1, d, n1[d - lo]);
        if (n2)
            set_cell(s, e2, d, n2[d - lo]);
    }
}

static void undo_block(search *s, int e1, int e2, int two, int lo, int hi)
{
    int k = hi - lo + 1;
    int *o1 = s->undo.old1, *o2 = s->undo.old2;
    for (int i = 0; i < k; i++) {
        set_cell(s, e1, lo + i, o1[i]);
        if (two)
            set_cell(s, e2, lo + i, o2[i]);
    }
}

/* Evaluates and maybe accepts writing n1 (and n2) over [lo, hi]. */
static void try_move(search *s, double temp, int e1, const int *n1, int e2, const int *n2, int lo,
                     int hi)
{
    cost before = {s->r.cover_cost, 0}, after = {0, 0};
    emp_local(s, e1, lo, hi, &before);
    if (n2)
        emp_local(s, e2, lo, hi, &before);
    write_block(s, e1, n1, e2, n2, lo, hi);
    after.soft = s->r.cover_cost;
    emp_local(s, e1, lo, hi, &after);
    if (n2)
        emp_local(s, e2, lo, hi, &after);
    int64_t ds = after.soft - before.soft, dh = after.hard - before.hard;
    double delta = (double)ds + s->hw * (double)dh;
    if (delta > 0 && (temp <= 0 || rnd01(s) >= exp(-delta / temp))) {
        undo_block(s, e1, e2, n2 != NULL, lo, hi);
        return;
    }
    cost next = {s->cur.soft + ds, s->cur.hard + dh};
    if (s->best_pending && !better(next, s->bestc)) {
        /* The roster before this move is the best one: keep it first. */
        undo_block(s, e1, e2, n2 != NULL, lo, hi);
        save_best(s);
        for (int d = lo; d <= hi; d++) {
            set_cell(s, e1, d, n1[d - lo]);
            if (n2)
                set_cell(s, e2, d, n2[d - lo]);
        }
    }
    s->cur = next;
    if (better(next, s->bestc)) {
        s->bestc = next;
        s->best_pending = 1;
    }
}

static void move_change(search *s, double temp)
{
    int e = rnd(s, s->E), d = rnd(s, s->D);
    int nv = s->dp.nvals[e];
    if (nv < 2)
        return;
    int v = s->dp.vals[e * s->V + rnd(s, nv)];
    if (v == s->r.x[(size_t)e * s->D + d] || !allowed(s, e, d, v))
        return;
    try_move(s, temp, e, &v, 0, NULL, d, d);
}

static void move_swap(search *s, double temp, int maxk)
{
    if (s->E < 2)
        return;
    int e1 = rnd(s, s->E), e2 = rnd(s, s->E - 1);
    if (e2 >= e1)
        e2++;
    int k = maxk > 1 ? 1 + rnd(s, maxk) : 1;
    if (k > s->D)
        k = s->D;
    int lo = rnd(s, s->D - k + 1), hi = lo + k - 1;
    if (maxk > 1 && s->D >= 7 && rnd(s, 4) == 0) {
        /* Weekend limits bind hard: trade whole weekends. */
        lo = 7 * rnd(s, s->D / 7) + 5;
        hi = lo + 1;
    }
    int n1[16], n2[16], differ = 0;
    const int *r1 = s->r.x + (size_t)e1 * s->D, *r2 = s->r.x + (size_t)e2 * s->D;
    for (int d = lo; d <= hi; d++) {
        n1[d - lo] = r2[d];
        n2[d - lo] = r1[d];
        if (r1[d] != r2[d]) {
            differ = 1;
            if (!allowed(s, e1, d, r2[d]) || !allowed(s, e2, d, r1[d]))
                return;
        }
    }
    if (differ)
        try_move(s, temp, e1, n1, e2, n2, lo, hi);
}

static void move_block(search *s, double temp, int maxk)
{
    int e = rnd(s, s->E);
    int k = 2 + rnd(s, maxk - 1);
    if (k > s->D)
        k = s->D;
    int lo = rnd(s, s->D - k + 1), hi = lo + k - 1;
    if (s->D >= 7 && rnd(s, 4) == 0) {
        lo = 7 * rnd(s, s->D / 7) + 5;
        hi = lo + 1;
    }
    int nv = s->dp.nvals[e];
    int v = s->dp.vals[e * s->V + rnd(s, nv)];
    int n1[16], differ = 0;
    for (int d = lo; d <= hi; d++) {
        if (!allowed(s, e, d, v))
            return;
        n1[d - lo] = v;
        differ |= s->r.x[(size_t)e * s->D + d] != v;
    }
    if (differ)
        try_move(s, temp, e, n1, 0, NULL, lo, hi);
}

/* Two people trade their cells on two days up to 15 days apart: cover and,
 * for equal shift lengths, both people's totals stay as they were. */
static void move_swap2(search *s, double temp)
{
    if (s->E < 2)
        return;
    int e1 = rnd(s, s->E), e2 = rnd(s, s->E - 1);
    if (e2 >= e1)
        e2++;
    int span = s->D < 16 ? s->D : 16;
    if (span < 2)
        return;
    int lo = rnd(s, s->D - span + 1);
    int a = lo + rnd(s, span), b = lo + rnd(s, span);
    if (a == b)
        return;
    if (a > b) {
        int t = a;
        a = b;
        b = t;
    }
    const int *r1 = s->r.x + (size_t)e1 * s->D, *r2 = s->r.x + (size_t)e2 * s->D;
    if (r1[a] == r2[a] || r1[b] == r2[b])
        return;
    if (!allowed(s, e1, a, r2[a]) || !allowed(s, e2, a, r1[a]) || !allowed(s, e1, b, r2[b]) ||
        !allowed(s, e2, b, r1[b]))
        return;
    int n1[16], n2[16];
    memcpy(n1, r1 + a, (size_t)(b - a + 1) * sizeof(int));
    memcpy(n2, r2 + a, (size_t)(b - a + 1) * sizeof(int));
    n1[0] = r2[a];
    n2[0] = r1[a];
    n1[b - a] = r2[b];
    n2[b - a] = r1[b];
    try_move(s, temp, e1, n1, e2, n2, a, b);
}

/* One person moves a cell to another day up to 15 days away (swaps two
 * cells): totals stay, cover moves between days. */
static void move_shuffle(search *s, double temp)
{
    int e = rnd(s, s->E);
    int span = s->D < 16 ? s->D : 16;
    if (span < 2)
        return;
    int lo = rnd(s, s->D - span + 1);
    int a = lo + rnd(s, span), b = lo + rnd(s, span);
    if (a > b) {
        int t = a;
        a = b;
        b = t;
    }
    const int *r = s->r.x + (size_t)e * s->D;
    if (r[a] == r[b] || !allowed(s, e, a, r[b]) || !allowed(s, e, b, r[a]))
        return;
    int n1[16];
    memcpy(n1, r + a, (size_t)(b - a + 1) * sizeof(int));
    n1[0] = r[b];
    n1[b - a] = r[a];
    try_move(s, temp, e, n1, 0, NULL, a, b);
}


/* Two people trade their cells on one day, the second chosen among those
 * who work the value the first is given, so cover stays as it was: the move
 * that serves a shift request or moves a shift type between people. */
static void trade_day(search *s, double temp, int e1, int d, int v)
{
    const int *col = s->r.x + d;
    int u = col[(size_t)e1 * s->D];
    if (v == u || !allowed(s, e1, d, v))
        return;
    int n = 0, pick = -1;
    for (int e = 0; e < s->E; e++)
        if (e != e1 && col[(size_t)e * s->D] == v && allowed(s, e, d, u) && rnd(s, ++n) == 0)
            pick = e;
    /* Nobody to trade with: a plain change. */
    try_move(s, temp, e1, &v, pick, pick >= 0 ? &u : NULL, d, d);
}

static void move_trade(search *s, double temp)
{
    int e = rnd(s, s->E), d = rnd(s, s->D);
    int nv = s->dp.nvals[e];
    if (nv < 2)
        return;
    trade_day(s, temp, e, d, s->dp.vals[e * s->V + rnd(s, nv)]);
}

/* Serves a request: a cell that carries a request cost is given the
 * cheapest value it may take, by trade where someone works that value. */
static void move_request(search *s, double temp)
{
    if (!s->nreqcells)
        return;
    int c = s->reqcells[rnd(s, s->nreqcells)];
    int e = c / s->D, d = c % s->D;
    const int *cc = s->m->cellcost + ((size_t)e * s->D + d) * s->V;
    int cur = s->r.x[c], best = cur, bc = cc[cur + 1], ties = 0;
    for (int k = 0; k < s->dp.nvals[e]; k++) {
        int v = s->dp.vals[e * s->V + k];
        if (!allowed(s, e, d, v))
            continue;
        if (cc[v + 1] < bc) {
            bc = cc[v + 1];
            best = v;
            ties = 1;
        } else if (cc[v + 1] == bc && best != cur && rnd(s, ++ties) == 0) {
            best = v;
        }
    }
    if (best != cur)
        trade_day(s, temp, e, d, best);
}

/* Search parameters. Costs are in the instance's own units (cover weights
 * of 100 and requests of 1 to 3 in the Curtois set); the hard weight moves
 * between HW_MIN and HW_MAX by strategic oscillation, rising while the
 * current roster breaks a rule and falling while it keeps them all. */
#define T_HIGH 15.0
#define T_LOW 0.2
#define REHEAT 0.5
#define HW_MIN 2.0
#define HW_MAX 1e4
#define HW_STEP 1.01
#define EPOCH_PER_CELL 200
#define EPOCH_MIN 200000

/* Picks whole weeks around a random day, as many as the DP's table allows. */
static void move_rowdp(search *s, double temp, int e, int wide)
{
    int D = s->D, weeks = (D + 6) / 7;
    int k = wide ? 4 : 1 + rnd(s, 4);
    if (k > weeks)
        k = weeks;
    for (; k >= 1; k--) {
        int w0 = rnd(s, weeks - k + 1);
        int a = 7 * w0, b = a + 7 * k - 1;
        if (b >= D)
            b = D - 1;
        if (!waras_roster__rowdp_plan(&s->dp, &s->r, e, a, b, 0))
            continue;
        int same = 1;
        for (int d = a; d <= b; d++)
            same &= s->dp.row[d] == s->r.x[(size_t)e * D + d];
        if (!same)
            try_move(s, temp, e, s->dp.row + a, 0, NULL, a, b);
        return;
    }
}

/* A row re-plan costs about as much as thousands of small moves: use it
 * for 5 moves in 100000, and every 4096 moves while a rule is broken. An
 * ejection chain (several re-plans) is tried 50 times in 100000 moves, as
 * long as the DP has done fewer than EJECT_WORK state updates per move so
 * far (about a third of the time; counted, not timed, so that a seeded run
 * with an iteration cap repeats exactly). */
#define DP_RATE 5
#define EJECT_RATE 50
#define EJECT_WORK 40.0
#define REPAIR_MASK 4095

/* ---- Ejection chains ----
 * Cover that is short on one day often needs several people to move at
 * once: someone takes the short shift, which pushes one of their own shifts
 * out (their rules allow only so many), which someone else takes, and so on.
 * Each link re-plans one person's weeks around the day by the row DP with
 * that cell forced; the chain is kept as soon as the whole roster is
 * better (or as good: plateaus are where the search moves), and undone when
 * it runs out of links. */
#define CHAIN_MAX 5

static double weigh(const search *s, cost c) { return (double)c.soft + s->hw * (double)c.hard; }

/* Writes src over e's cells [a, b], keeping the old ones in keep (when
 * given) and moving s->cur by the change. */
static void replace_cells(search *s, int e, int a, int b, const int *src, int *keep)
{
    cost before = {s->r.cover_cost, 0}, after = {0, 0};
    emp_local(s, e, a, b, &before);
    for (int d = a; d <= b; d++) {
        if (keep)
            keep[d - a] = s->r.x[(size_t)e * s->D + d];
        set_cell(s, e, d, src[d - a]);
    }
    after.soft = s->r.cover_cost;
    emp_local(s, e, a, b, &after);
    s->cur.soft += after.soft - before.soft;
    s->cur.hard += after.hard - before.hard;
}

/* A random shift-day whose cover is short, or -1. */
static int short_cell(search *s)
{
    const rs_model *m = s->m;
    int n = s->D * s->S;
    for (int t = 0; t < 64; t++) {
        int k = rnd(s, n);
        if (s->r.cov[k] < m->req[k] && m->wunder[k] > 0)
            return k;
    }
    return -1;
}

/* Up to maxw whole weeks that hold day d, at random. */
static void weeks_around(search *s, int d, int maxw, int *a, int *b)
{
    int weeks = 1 + rnd(s, maxw);
    *a = 7 * (d / 7 - rnd(s, weeks));
    if (*a < 0)
        *a = 0;
    *b = *a + 7 * weeks - 1 < s->D ? *a + 7 * weeks - 1 : s->D - 1;
}

static void move_eject(search *s)
{
    int D = s->D, S = s->S;
    int k = short_cell(s);
    if (k < 0)
        return;
    int d = k / S, v = k % S;
    if (s->best_pending)
        save_best(s);
    double w0 = weigh(s, s->cur);
    int ce[CHAIN_MAX], ca[CHAIN_MAX], cb[CHAIN_MAX], n = 0;
    while (n < CHAIN_MAX) {
        int e = -1, a = 0, b = 0, ok = 0;
        for (int attempt = 0; attempt < 4 && !ok; attempt++) {
            int seen = 0;
            e = -1;
            for (int i = 0; i < s->E; i++) {
                if (s->r.x[(size_t)i * D + d] == v || !allowed(s, i, d, v))
                    continue;
                int used = 0;
                for (int j = 0; j < n; j++)
                    used |= ce[j] == i;
                if (!used && rnd(s, ++seen) == 0)
                    e = i;
            }
            if (e < 0)
                break;
            weeks_around(s, d, 2, &a, &b);
            s->chain.fix[d] = v;
            s->dp.fix = s->chain.fix;
            ok = waras_roster__rowdp_plan(&s->dp, &s->r, e, a, b, 0);
            s->dp.fix = NULL;
            s->chain.fix[d] = -2;
        }
        if (e < 0 || !ok)
            break;
        int *keep = s->chain.old + (size_t)n * D;
        replace_cells(s, e, a, b, s->dp.row + a, keep);
        ce[n] = e;
        ca[n] = a;
        cb[n] = b;
        n++;
        if (weigh(s, s->cur) <= w0) {
            if (better(s->cur, s->bestc)) {
                s->bestc = s->cur;
                s->best_pending = 1;
            }
            return;
        }
        /* The next link: a shift this person gave up that is now short. */
        int nd = -1, nv = -1, cand = 0;
        for (int t = a; t <= b; t++) {
            int u = keep[t - a];
            if (u >= 0 && s->r.x[(size_t)e * D + t] != u && s->r.cov[t * S + u] < s->m->req[t * S + u] &&
                rnd(s, ++cand) == 0) {
                nd = t;
                nv = u;
            }
        }
        if (nd < 0)
            break;
        d = nd;
        v = nv;
    }
    while (n-- > 0)
        replace_cells(s, ce[n], ca[n], cb[n], s->chain.old + (size_t)n * D, NULL);
}

/* A day in e's row where a run or a rotation pair breaks a rule, from a
 * random start; -1 when only whole-row budgets are broken. */
static int broken_day(search *s, int e)
{
    const int *row = s->r.x + (size_t)e * s->D;
    const waras_roster_limits *lim = &s->m->lim[e];
    int D = s->D, d0 = rnd(s, D);
    for (int i = 0; i < D; i++) {
        int d = (d0 + i) % D, work = row[d] >= 0;
        if (work && d + 1 < D && row[d + 1] >= 0 && s->m->forbid[row[d] * s->S + row[d + 1]])
            return d;
        if (d > 0 && (row[d - 1] >= 0) == work)
            continue; /* runs are checked from their first day */
        int len = 1;
        while (d + len < D && (row[d + len] >= 0) == work)
            len++;
        int inner = d > 0 && d + len < D;
        if (work ? len > lim->max_consecutive || (inner && len < lim->min_consecutive)
                 : inner && len < lim->min_days_off)
            return d;
    }
    return -1;
}

/* Re-plans part of the row of someone who breaks a rule: the weeks around a
 * broken run, or the whole row in a band when a budget is broken (as long
 * as the DP's share of the work allows). */
static void repair(search *s, double temp)
{
    int e0 = rnd(s, s->E);
    for (int i = 0; i < s->E; i++) {
        int e = (e0 + i) % s->E;
        cost c = {0, 0};
        emp_local(s, e, 0, s->D - 1, &c);
        if (c.hard == 0)
            continue;
        int d = broken_day(s, e), a, b;
        if (d >= 0) {
            weeks_around(s, d, 4, &a, &b);
            if (waras_roster__rowdp_plan(&s->dp, &s->r, e, a, b, 0))
                try_move(s, temp, e, s->dp.row + a, 0, NULL, a, b);
        } else if (s->dp.work - s->dp_lent < EJECT_WORK * (double)s->iters &&
                   waras_roster__rowdp_whole(&s->dp, &s->r, e)) {
            try_move(s, temp, e, s->dp.row, 0, NULL, 0, s->D - 1);
        } else {
            move_rowdp(s, temp, e, 0);
        }
        return;
    }
}

/* Move mix, in cumulative percent: change, swap, block swap, block set,
 * two-day swap, a move within one person's row, a trade on one day, and
 * (the rest) a request served. */
static const int move_mix[7] = {20, 35, 50, 65, 75, 85, 93};

static void pick_move(search *s, double temp, int maxk)
{
    const int *pc = move_mix;
    if (rnd(s, 100000) < DP_RATE) {
        move_rowdp(s, temp, rnd(s, s->E), 0);
        return;
    }
    if (rnd(s, 100000) < EJECT_RATE) {
        if (s->dp.work - s->dp_lent < EJECT_WORK * (double)s->iters)
            move_eject(s);
        return;
    }
    int r = rnd(s, 100);
    if (r < pc[0])
        move_change(s, temp);
    else if (r < pc[1])
        move_swap(s, temp, 1);
    else if (r < pc[2])
        move_swap(s, temp, maxk);
    else if (r < pc[3])
        move_block(s, temp, maxk);
    else if (r < pc[4])
        move_swap2(s, temp);
    else if (r < pc[5])
        move_shuffle(s, temp);
    else if (r < pc[6])
        move_trade(s, temp);
    else
        move_request(s, temp);
}

static void search_free(search *s)
{
    waras_roster__roster_free(&s->r);
    waras_roster__rowdp_free(&s->dp);
    free(s->best);
    free(s->undo.old1);
    free(s->undo.old2);
    free(s->reqcells);
    free(s->chain.old);
    free(s->chain.fix);
    free(s->pricebuf);
}

static int search_init(search *s, const rs_model *m, uint64_t seed)
{
    memset(s, 0, sizeof(*s));
    s->m = m;
    s->D = m->D;
    s->S = m->S;
    s->E = m->E;
    s->V = m->V;
    size_t cells = (size_t)m->E * m->D;
    if (waras_roster__rowdp_init(&s->dp, m))
        return WARAS_ENOMEM;
    /* The roster starts with everyone off, except cells whose only allowed
     * value is a shift (locks). */
    if (waras_roster__roster_init(&s->r, m)) {
        waras_roster__rowdp_free(&s->dp);
        return WARAS_ENOMEM;
    }
    s->best = malloc((cells + 1) * sizeof(int));
    size_t scratch = (size_t)(m->D > m->E ? m->D : m->E) + 16;
    s->undo.old1 = calloc(scratch, sizeof(int));
    s->undo.old2 = calloc(scratch, sizeof(int));
    s->reqcells = malloc((cells + 1) * sizeof(int));
    s->chain.old = malloc(((size_t)CHAIN_MAX * m->D + 1) * sizeof(int));
    s->chain.fix = malloc(((size_t)m->D + 1) * sizeof(int));
    if (!s->best || !s->undo.old1 || !s->undo.old2 || !s->reqcells || !s->chain.old || !s->chain.fix) {
        search_free(s);
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    }
    for (int i = 0; i < 4; i++)
        s->rng[i] = splitmix(&seed);
    for (int d = 0; d < m->D; d++)
        s->chain.fix[d] = -2;
    for (size_t i = 0; i < cells; i++) {
        const int *cc = m->cellcost + i * m->V;
        int any = 0;
        for (int v = 0; v < m->V; v++)
            any |= cc[v] != 0;
        if (any)
            s->reqcells[s->nreqcells++] = (int)i;
    }
    s->cur = full_cost(s);
    s->bestc = s->cur;
    save_best(s);
    return 0;
}

/* Builds every row left to right, a few weeks at a time, each window the
 * cheapest one that keeps the person's rules given the rows built so far.
 * A shift type over its maximum is priced up and the window planned again. */

static void construct(search *s, double deadline)
{
    int D = s->D;
    int *order = s->undo.old2; /* free until the search starts */
    for (int e = 0; e < s->E; e++)
        order[e] = e;
    for (int e = s->E - 1; e > 0; e--) {
        int j = rnd(s, e + 1), t = order[e];
        order[e] = order[j];
        order[j] = t;
    }
    for (int i = 0; i < s->E && waras_clock_seconds() < deadline; i++) {
        int e = order[i];
        int k = 4;
        for (int a = 0; a < D;) {
            int b = a + 7 * k - 1 < D ? a + 7 * k - 1 : D - 1;
            int ok = waras_roster__rowdp_plan(&s->dp, &s->r, e, a, b, 1);
            if (!ok && k > 1) {
                k /= 2;
                continue;
            }
            if (ok)
                for (int d = a; d <= b; d++)
                    set_cell(s, e, d, s->dp.row[d]);
            a = b + 1;
        }
    }
    s->cur = full_cost(s);
    s->bestc = s->cur;
    save_best(s);
}

/* Windows of the sweep: four weeks, every two weeks. */
#define SWEEP_STEP 14
#define SWEEP_LEN 28

/* Re-plans, with the rules' true budgets, every four-week window of every
 * row in which a rule is broken; a re-plan is kept when it lowers the cost
 * with hard rules weighing far above the rest. */
static void sweep_repair(search *s, double deadline)
{
    double keep = s->hw;
    s->hw = HW_MAX;
    for (int e = 0; e < s->E && s->cur.hard > 0; e++) {
        if (waras_clock_seconds() >= deadline)
            break;
        for (int a = 0; a < s->D; a += SWEEP_STEP) {
            int b = a + SWEEP_LEN - 1 < s->D ? a + SWEEP_LEN - 1 : s->D - 1;
            cost c = {0, 0};
            emp_local(s, e, a, b, &c);
            if (c.hard > 0 && waras_roster__rowdp_plan(&s->dp, &s->r, e, a, b, 0))
                try_move(s, 0.0, e, s->dp.row + a, 0, NULL, a, b);
            if (b == s->D - 1)
                break;
        }
        /* What windows of four weeks cannot mend (a total too low when
         * every window is as full as its runs allow) the whole row may. */
        cost c = {0, 0};
        emp_local(s, e, 0, s->D - 1, &c);
        if (c.hard > 0 && waras_roster__rowdp_whole(&s->dp, &s->r, e))
            try_move(s, 0.0, e, s->dp.row, 0, NULL, 0, s->D - 1);
    }
    s->hw = keep;
}

static void load_best(search *s)
{
    for (int e = 0; e < s->E; e++)
        for (int d = 0; d < s->D; d++)
            set_cell(s, e, d, s->best[(size_t)e * s->D + d]);
    s->cur = full_cost(s);
}

/* A round of pricing that every search helps with: people are handed out
 * one at a time by next, and done counts those finished. */
typedef struct pjob {
    const double *dual;
    const int *fix; /* E * D, or NULL */
    double deadline;
    int *rows;
    double *costs;
    int *status;
    atomic_int next, done;
} pjob;

typedef struct shared {
    const rs_model *m;
    double deadline; /* waras_clock_seconds(); HUGE_VAL: none (a work budget alone) */
    long long max_iterations;
    long budget;     /* work per search (see work_done), or 0: the deadline alone */
    atomic_int stop;
    pthread_mutex_t lock;
    /* The best roster column generation led to, for the other searches to
     * take up if it beats theirs (under lock); cg_gen counts the rosters
     * published. */
    int *cg_cells;
    cost cg_cost;
    atomic_int cg_gen;
    /* The master once priced, for another search to dive from too
     * (snap_state: 0 none, 1 waiting, 2 taken; snap under lock). */
    rs_cg_snap *snap;
    atomic_int snap_state;
    pjob job;
    atomic_int job_on; /* a round of pricing is open */
    /* Column generation asks another search for its best roster, so that
     * the master starts from two rosters rather than one (NULL: there is
     * no other search). */
    int *other_cells;
    atomic_int other_want, other_have;
} shared;

typedef struct worker {
    shared *sh;
    search s;
    uint64_t seed;
    int rc;
    int colgen; /* this worker tries column generation once */
    int cg_seen; /* the shared rosters this worker has looked at (cg_gen) */
    /* published under sh->lock for progress reports */
    cost pub;
    int finished;
} worker;

/* The work budget's unit (waras_roster_solve_opts.iterations): one
 * annealing move, WORK_DP state updates of the row DP, or a simplex
 * iteration of column generation over 1 / WORK_LP of the master's rows,
 * each about as long as a move (0.3 to 0.7 us on Instances 7 and 13; a
 * simplex iteration on Instance13's 624 rows some 0.4 ms). All three are
 * counted, not timed, so one seeded search repeats exactly. */
#define WORK_DP 1000.0
#define WORK_LP 3.0

static double work_done(const search *s)
{
    double rows = (double)s->D * s->S + s->E;
    return (double)s->iters + s->dp.work / WORK_DP + (double)s->lp_iters * rows * WORK_LP;
}

/* The rs_clock of a search under a work budget. */
static double work_now(void *user) { return work_done(&((worker *)user)->s); }
static void work_spend(void *user, long iterations) { ((worker *)user)->s.lp_iters += iterations; }

/* Where the search is in its run: work done under a budget, else seconds
 * since it started; and the run's length on the same scale. */
static double run_now(const worker *w)
{
    return w->sh->budget ? work_done(&w->s) : waras_clock_seconds() - w->s.t0;
}

static double run_span(const worker *w)
{
    return w->sh->budget ? (double)w->sh->budget : w->sh->deadline - w->s.t0;
}

/* Prices the people of job j that no search has taken yet. */
static void price_share(search *s, pjob *j)
{
    for (;;) {
        int e = atomic_fetch_add(&j->next, 1);
        if (e >= s->E)
            break;
        int st = 0;
        if (waras_clock_seconds() < j->deadline)
            st = waras_roster__rowdp_price(&s->dp, &s->r, e, j->dual, j->fix ? j->fix + (size_t)e * s->D : NULL,
                           j->rows + (size_t)e * s->D, &j->costs[e]);
        j->status[e] = st;
        atomic_fetch_add(&j->done, 1);
    }
}

/* Column generation's rs_price_fn: opens a round that the other searches
 * join at their next check (every 1024 moves), prices its own share and
 * waits for the rest. Pricing is most of column generation's time, and
 * two threads price a round in about half of it. */
static int price_all(void *user, const double *dual, const int *fix, double deadline, int *rows,
                     double *costs, int *status)
{
    worker *w = user;
    shared *sh = w->sh;
    pjob *j = &sh->job;
    j->dual = dual;
    j->fix = fix;
    j->deadline = deadline;
    j->rows = rows;
    j->costs = costs;
    j->status = status;
    atomic_store(&j->done, 0);
    atomic_store(&j->next, 0);
    atomic_store(&sh->job_on, 1);
    price_share(&w->s, j);
    while (atomic_load(&j->done) < w->s.E)
        sched_yield();
    atomic_store(&sh->job_on, 0);
    for (int e = 0; e < w->s.E; e++)
        if (status[e] < 0)
            return status[e];
    return 0;
}

/* Another search's share of an open round of pricing. */
/* Readies a search to price rows for column generation: its buffer of
 * cell prices and the DP's larger table. 1 when it is ready; pricing_end
 * then gives the search back its own table and budget of DP work. */
static int pricing_begin(search *s)
{
    if (!s->pricebuf)
        s->pricebuf = malloc(((size_t)s->D * s->S + 1) * sizeof(int32_t));
    if (!s->pricebuf || !waras_roster__rowdp_lend(&s->dp, RS_DP_CAP_PRICE))
        return 0;
    s->dp.price = s->pricebuf;
    return 1;
}

static void pricing_end(search *s, double work)
{
    s->dp.price = NULL;
    waras_roster__rowdp_unlend(&s->dp);
    s->dp_lent += s->dp.work - work;
}

static void help_price(worker *w)
{
    search *s = &w->s;
    double work = s->dp.work; /* what pricing_end leaves out of the search's own */
    if (!pricing_begin(s))
        return;
    price_share(s, &w->sh->job);
    pricing_end(s, work);
}

/* Column generation's share of the time limit: it starts once the search
 * has a roster, prices columns until CG_LP, dives to a whole roster until
 * CG_DIVE (the first dive) or CG_REDIVE (the later ones), and the search
 * then goes on from the better roster. Instance13's relaxation takes some
 * 65 rounds (24 to 30 s) to converge, and its dives only work from a
 * converged one; with pricing from 0.1 to 0.45 it never got there, and the
 * run ended on the annealing's roster (1724 to 1809, the best known being
 * 1348). From 0.05 to 0.55 it converges in about half the runs: five of
 * nine ended at 1351 to 1396, the others (1719 to 1812) had not converged
 * or finished the first dive in time. Instance20's relaxation converges too, where it
 * used to be cut off at 4890 to 4970 (4775 to 4952; 4863 to 5073 before).
 * Instance13's first dive takes 13 to 24 s (the machine's speed varies by
 * a quarter from run to run); cut off at 0.85, one run ended at 1772. It
 * often ends some 100 above the optimum (1449, 1651), and the dives from
 * the columns it left then get there in 2 to 5 s each, so it and any dive
 * after one that found a better roster may run until 0.95 (seeds 1 to 4:
 * 1349, 1531, 1348, 1357; the last got to 1360 at 0.93). Other dives stop
 * at 0.75: where the first dive is quick (Instance18) the search needs the
 * last quarter to polish the roster (4576 and 4578 with later dives until
 * 0.85; 4482 and 4578 with 0.75, and 4485 to 4490 before). */
#define CG_START 0.05
#define CG_LP 0.55
#define CG_DIVE 0.95
#define CG_REDIVE 0.75
/* How long column generation waits for another search's best roster; the
 * other searches look at every 1024 moves, well within a millisecond. */
#define OTHER_WAIT 0.5

/* Another search's best roster, for column generation to start from. The
 * master's first duals are poor, and from one good roster it stays at that
 * roster's value for many rounds: no mix of the rows priced at those duals
 * beats it (Instance20: 12 rounds, 11.5 s of its 24). A second roster from
 * an independent search gives it other rows to mix from the start: 9
 * rounds (5.3 s), and 5149 instead of 5365 when its time was up. */
static void give_best(worker *w)
{
    search *s = &w->s;
    shared *sh = w->sh;
    if (s->best_pending)
        save_best(s);
    pthread_mutex_lock(&sh->lock);
    if (!atomic_load(&sh->other_have)) {
        /* A column must keep every rule: a roster that breaks one is no
         * start (2: none to give). */
        if (s->bestc.hard == 0)
            memcpy(sh->other_cells, s->best, (size_t)s->E * s->D * sizeof(int));
        atomic_store(&sh->other_have, s->bestc.hard == 0 ? 1 : 2);
    }
    pthread_mutex_unlock(&sh->lock);
}

/* Waits (at most until deadline) for another search's best roster. */
static const int *take_other(worker *w, double deadline)
{
    shared *sh = w->sh;
    if (!sh->other_cells)
        return NULL;
    atomic_store(&sh->other_want, 1);
    while (!atomic_load(&sh->other_have) && waras_clock_seconds() < deadline)
        sched_yield();
    atomic_store(&sh->other_want, 0);
    return atomic_load(&sh->other_have) == 1 ? sh->other_cells : NULL;
}

/* The other searches go on from this search's best too, when it beats
 * theirs and every roster published before. */
static void publish_best(worker *w)
{
    search *s = &w->s;
    shared *sh = w->sh;
    size_t n = (size_t)s->E * s->D;
    pthread_mutex_lock(&sh->lock);
    if (!sh->cg_cells)
        sh->cg_cells = malloc(n * sizeof(int) + 1);
    if (sh->cg_cells && (!atomic_load(&sh->cg_gen) || better(s->bestc, sh->cg_cost))) {
        memcpy(sh->cg_cells, s->best, n * sizeof(int));
        sh->cg_cost = s->bestc;
        w->cg_seen = atomic_fetch_add(&sh->cg_gen, 1) + 1; /* its own */
    }
    pthread_mutex_unlock(&sh->lock);
}

/* Column generation's rs_snap_fn: the master goes to another search, which
 * dives from it on its own while this one does (the twin's dives, see
 * run_twin). */
static void post_snap(void *user, rs_cg_snap *snap)
{
    worker *w = user;
    shared *sh = w->sh;
    pthread_mutex_lock(&sh->lock);
    if (!sh->snap && sh->other_cells) {
        sh->snap = snap;
        snap = NULL;
        atomic_store(&sh->snap_state, 1);
    }
    pthread_mutex_unlock(&sh->lock);
    waras_roster__snap_free(snap);
}

/* Column generation's rs_price_fn for a twin: it prices every person
 * itself, since the other search is busy with dives of its own. */
static int price_self(void *user, const double *dual, const int *fix, double deadline, int *rows,
                      double *costs, int *status)
{
    worker *w = user;
    pjob j = {.dual = dual, .fix = fix, .deadline = deadline, .rows = rows, .costs = costs, .status = status};
    atomic_init(&j.next, 0);
    atomic_init(&j.done, 0);
    price_share(&w->s, &j);
    for (int e = 0; e < w->s.E; e++)
        if (status[e] < 0)
            return status[e];
    return 0;
}

/* Copies a dive's roster into the search; it becomes the best when it
 * beats it, and goes to the other searches too. */
static void take_dive(worker *w, const int *out)
{
    search *s = &w->s;
    for (int e = 0; e < s->E; e++)
        for (int d = 0; d < s->D; d++)
            set_cell(s, e, d, out[(size_t)e * s->D + d]);
    s->cur = full_cost(s);
    if (better(s->cur, s->bestc)) {
        s->bestc = s->cur;
        save_best(s);
        publish_best(w);
    }
}

static void run_twin(worker *w)
{
    search *s = &w->s;
    shared *sh = w->sh;
    pthread_mutex_lock(&sh->lock);
    rs_cg_snap *snap = sh->snap;
    sh->snap = NULL;
    pthread_mutex_unlock(&sh->lock);
    if (s->best_pending)
        save_best(s);
    int *out = malloc(((size_t)s->E * s->D + 1) * sizeof(int));
    double span = run_span(w), work = s->dp.work;
    double base = sh->budget ? 0 : s->t0;
    rs_clock clk = {work_now, work_spend, w, sh->deadline};
    int rc = 0;
    if (snap && out && pricing_begin(s)) {
        rc = waras_roster__colgen_twin(s->m, snap, price_self, w, sh->budget ? &clk : NULL, (uint32_t)w->seed,
                                       base + CG_DIVE * span, base + CG_REDIVE * span, out, NULL);
        pricing_end(s, work);
    }
    if (rc == 1)
        take_dive(w, out);
    waras_roster__snap_free(snap);
    free(out);
}

static void run_colgen(worker *w)
{
    search *s = &w->s;
    const rs_model *m = s->m;
    if (s->best_pending)
        save_best(s);
    if (!waras_roster__price_fits(m))
        return;
    int *out = malloc(((size_t)s->E * s->D + 1) * sizeof(int));
    int32_t *prices = malloc(((size_t)s->D * s->S + 1) * sizeof(int32_t));
    s->dp.price = prices;
    if (!out || !prices)
        goto done;
    waras_roster__rowdp_lend(&s->dp, RS_DP_CAP_PRICE);
    /* Under a work budget the deadlines are work (from 0), else seconds. */
    double span = run_span(w), base = w->sh->budget ? 0 : s->t0;
    double lp_end = base + CG_LP * span, dive_end = base + CG_DIVE * span, redive_end = base + CG_REDIVE * span;
    rs_clock clk = {work_now, work_spend, w, w->sh->deadline};
    if (lp_end <= base + run_now(w))
        goto done;
    const int *other = take_other(w, waras_clock_seconds() + OTHER_WAIT);
    if (waras_roster__colgen(m, s->best, other, price_all, w, post_snap, w->sh->budget ? &clk : NULL, lp_end,
                             dive_end, redive_end, out, NULL) != 1)
        goto done;
    /* The caller starts a new epoch from the best roster either way. */
    take_dive(w, out);
done:
    waras_roster__rowdp_unlend(&s->dp);
    free(prices);
    s->dp.price = NULL;
    free(out);
}

/* Takes up the roster column generation published if it beats this
 * search's best; 1 when it did. */
static int take_shared(worker *w)
{
    search *s = &w->s;
    shared *sh = w->sh;
    int took = 0;
    pthread_mutex_lock(&sh->lock);
    if (better(sh->cg_cost, s->bestc)) {
        memcpy(s->best, sh->cg_cells, (size_t)s->E * s->D * sizeof(int));
        s->bestc = sh->cg_cost;
        s->best_pending = 0;
        took = 1;
    }
    pthread_mutex_unlock(&sh->lock);
    return took;
}

/* An epoch that would outlast the run is cut to what is left of it, so
 * that it still cools down before the end instead of being stopped hot: by
 * the moves left under max_iterations, by the work left under a budget at
 * the moves a unit of work so far, else by the clock at the rate of moves
 * so far (pauses for column generation make those rates low, which only
 * leaves room for one more fitted epoch). */
#define EPOCH_FIT_MIN 1000

static long long fit_epoch(const search *s, shared *sh, long long epoch, double t0, long long it0,
                           double w0)
{
    double left;
    if (sh->max_iterations) {
        left = (double)(sh->max_iterations - s->iters);
    } else if (sh->budget) {
        double done = work_done(s) - w0;
        left = (double)sh->budget - work_done(s);
        if (done > 0)
            left *= (double)(s->iters - it0) / done;
    } else {
        double now = waras_clock_seconds();
        if (now - t0 < 0.1 || s->iters == it0)
            return epoch;
        left = (sh->deadline - now) * (double)(s->iters - it0) / (now - t0);
    }
    if (left >= (double)epoch)
        return epoch;
    return left > EPOCH_FIT_MIN ? (long long)left : EPOCH_FIT_MIN;
}

static void run_search(worker *w)
{
    search *s = &w->s;
    shared *sh = w->sh;
    const rs_model *m = s->m;
    if (m->E == 0 || m->D == 0)
        return;
    int maxk = s->D < 7 ? s->D : 7;
    long long epoch = (long long)m->E * m->D * EPOCH_PER_CELL;
    if (epoch < EPOCH_MIN)
        epoch = EPOCH_MIN;
    s->t0 = waras_clock_seconds();
    construct(s, sh->deadline);
    for (int pass = 0; pass < 3 && s->cur.hard > 0; pass++)
        sweep_repair(s, sh->deadline);
    s->hw = HW_MIN;
    int cg_pending = w->colgen;
    double cg_at = CG_START * run_span(w);
    double loop_t0 = waras_clock_seconds(), loop_w0 = work_done(s);
    long long loop_it0 = s->iters;
    for (int ep = 0;; ep++) {
        if (ep > 0)
            load_best(s);
        double temp = ep == 0 ? T_HIGH : T_HIGH * REHEAT;
        long long len = fit_epoch(s, sh, epoch, loop_t0, loop_it0, loop_w0);
        double cool = pow(T_LOW / temp, 1.0 / (double)len);
        for (long long it = 0; it < len; it++) {
            if ((s->iters & REPAIR_MASK) == 0 && s->cur.hard > 0)
                repair(s, temp);
            if ((s->iters & 1023) == 0) {
                if (s->cur.hard > 0)
                    s->hw = s->hw * HW_STEP < HW_MAX ? s->hw * HW_STEP : HW_MAX;
                else
                    s->hw = s->hw / HW_STEP > HW_MIN ? s->hw / HW_STEP : HW_MIN;
                double t = waras_clock_seconds();
                if (atomic_load(&sh->stop) || t >= sh->deadline)
                    goto done;
                if (cg_pending && run_now(w) >= cg_at) {
                    cg_pending = 0;
                    run_colgen(w);
                    break; /* a new epoch, from the best roster */
                }
                if (atomic_load(&sh->job_on))
                    help_price(w);
                if (atomic_load(&sh->other_want) && !w->colgen)
                    give_best(w);
                int gen = atomic_load(&sh->cg_gen);
                if (w->cg_seen != gen) {
                    w->cg_seen = gen;
                    if (take_shared(w))
                        break;
                }
                int posted = 1;
                if (!w->colgen && atomic_load(&sh->snap_state) == 1 &&
                    atomic_compare_exchange_strong(&sh->snap_state, &posted, 2)) {
                    run_twin(w);
                    break; /* a new epoch, from the best roster */
                }
                pthread_mutex_lock(&sh->lock);
                w->pub = s->bestc;
                pthread_mutex_unlock(&sh->lock);
            }
            if (sh->max_iterations && s->iters >= sh->max_iterations)
                goto done;
            if (sh->budget && work_done(s) >= (double)sh->budget)
                goto done;
            s->iters++;
            pick_move(s, temp, maxk);
            temp *= cool;
#ifndef NDEBUG
            if (s->iters % CHECK_EVERY == 0)
                CHECK_COST(s);
#endif
        }
        if (epoch < (1LL << 40))
            epoch *= 2;
    }
done:
    if (s->best_pending)
        save_best(s);
    pthread_mutex_lock(&sh->lock);
    w->pub = s->bestc;
    pthread_mutex_unlock(&sh->lock);
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    run_search(w);
    pthread_mutex_lock(&w->sh->lock);
    w->finished = 1;
    pthread_mutex_unlock(&w->sh->lock);
    return NULL;
}

void waras_roster_result_free(waras_roster_result *r)
{
    if (!r)
        return;
    free(r->cells);
    r->cells = NULL;
}

int waras_roster_solve(waras_roster_result *out, const waras_roster_problem *p,
                       const waras_roster_solve_opts *opts)
{
    int rc = 0;
    rs_model m;
    worker *w = NULL;
    pthread_t *tids = NULL;
    int nthreads = opts && opts->threads > 0 ? opts->threads : 1, started = 0, ninit = 0;
    double limit = opts && opts->time_limit > 0 ? opts->time_limit : 10.0;
    uint64_t seed = opts ? opts->seed : 0;
    shared sh = {0};
    double t0 = waras_clock_seconds();
    int have_lock = 0;
    if (nthreads > 256)
        nthreads = 256;
    if ((rc = waras_roster__model_build(&m, p)))
        return rc;
    sh.m = &m;
    sh.budget = opts && opts->iterations > 0 ? opts->iterations : 0;
    if (sh.budget > WARAS_ROSTER_MAX_ITERATIONS)
        sh.budget = WARAS_ROSTER_MAX_ITERATIONS;
    /* Under a work budget a time limit is only a safety cap. */
    sh.deadline = !sh.budget ? t0 + limit : opts->time_limit > 0 ? t0 + opts->time_limit : HUGE_VAL;
    sh.max_iterations = opts ? opts->max_iterations : 0;
    atomic_init(&sh.stop, 0);
    atomic_init(&sh.cg_gen, 0);
    atomic_init(&sh.snap_state, 0);
    if (pthread_mutex_init(&sh.lock, NULL)) {
        rc = waras_error_msg(WARAS_ERROR, "cannot create a mutex");
        goto cleanup;
    }
    have_lock = 1;
    w = calloc((size_t)nthreads, sizeof(*w));
    tids = calloc((size_t)nthreads, sizeof(*tids));
    /* Column generation (time limit only) starts from another search's
     * best roster too, when there is another search. */
    int other = nthreads > 1 && !sh.max_iterations;
    if (other)
        sh.other_cells = malloc((size_t)m.E * m.D * sizeof(int) + 1);
    if (!w || !tids || (other && !sh.other_cells)) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (int t = 0; t < nthreads; t++) {
        uint64_t st = seed + 0x632BE59BD9B4E019ull * (uint64_t)t;
        w[t].sh = &sh;
        w[t].seed = splitmix(&st);
        w[t].colgen = t == 0 && !sh.max_iterations;
        if ((rc = search_init(&w[t].s, &m, w[t].seed)))
            goto cleanup;
        ninit++;
        w[t].pub = w[t].s.bestc;
    }
    for (; started < nthreads; started++)
        if (pthread_create(&tids[started], NULL, worker_main, &w[started])) {
            atomic_store(&sh.stop, 1);
            rc = waras_error_msg(WARAS_ERROR, "cannot start a search thread");
            break;
        }
    /* The calling thread only watches the clock and reports progress. */
    if (!rc && opts && opts->progress) {
        double next = t0 + 0.5;
        while (waras_clock_seconds() < sh.deadline) {
            struct timespec nap = {0, 50 * 1000 * 1000};
            nanosleep(&nap, NULL);
            int done = 1;
            cost bc = {INT64_MAX, INT64_MAX};
            pthread_mutex_lock(&sh.lock);
            for (int t = 0; t < nthreads; t++) {
                if (better(w[t].pub, bc))
                    bc = w[t].pub;
                if (!w[t].finished)
                    done = 0;
            }
            pthread_mutex_unlock(&sh.lock);
            if (done)
                break;
            if (waras_clock_seconds() >= next) {
                opts->progress(opts->progress_user, waras_clock_seconds() - t0, (long)bc.soft, bc.hard == 0);
                next += 0.5;
            }
        }
    }
    for (int t = 0; t < started; t++)
        pthread_join(tids[t], NULL);
    if (rc)
        goto cleanup;
    int bt = 0;
    for (int t = 1; t < nthreads; t++)
        if (better(w[t].s.bestc, w[bt].s.bestc))
            bt = t;
    waras_roster_score sc;
    if ((rc = waras_roster_score_compute(&sc, p, w[bt].s.best)))
        goto cleanup;
    waras_roster_result res = {0};
    res.cells = w[bt].s.best;
    w[bt].s.best = NULL;
    res.feasible = sc.feasible;
    res.objective = sc.objective;
    res.seconds = waras_clock_seconds() - t0;
    for (int t = 0; t < nthreads; t++)
        res.iterations += w[t].s.iters;
    waras_roster_score_free(&sc);
    *out = res;
cleanup:
    for (int t = 0; t < ninit; t++)
        search_free(&w[t].s);
    free(w);
    free(tids);
    if (have_lock)
        pthread_mutex_destroy(&sh.lock);
    free(sh.cg_cells);
    free(sh.other_cells);
    waras_roster__snap_free(sh.snap);
    waras_roster__model_free(&m);
    return rc;
}
