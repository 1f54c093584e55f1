/*
 * The roster solver: simulated annealing over complete rosters, with hard
 * rules turned into weighted penalties so that the search may cross
 * infeasible ground, and incremental evaluation so that a move costs time in
 * proportion to the days it touches, not to the whole roster. Moves: change
 * one cell, swap two people's cells on a day, swap a block of days between two
 * people, and set a block of days of one person to one shift or to off.
 * Annealing runs in epochs that double in length, each restarting from the
 * best roster so far; the trajectory depends only on the seed, and the time
 * limit only decides where it stops. Several threads run independent searches
 * and the best roster wins; it is re-scored by the independent scorer.
 */
#include <math.h>
#include <stdio.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "roster_int.h"
#include "waras/error.h"

/* Hard penalty points: a broken count rule (one day too many in a run, one
 * weekend too many, ...) is worth HP points, a minute outside the total
 * minutes range one point, so both scales meet at an hour. */
#define HP 60
static int MINUTES_HP = 120;

typedef struct cost {
    int64_t soft, hard;
} cost;

typedef struct search {
    const rs_model *m;
    int D, S, E, V;
    int *x;     /* E * D */
    int *cnt;   /* E * S */
    long *mins; /* E */
    int *nwk;   /* E */
    int *cov;   /* D * S */
    int64_t cover_cost;
    cost cur;
    int *vals; /* E * V: values an employee may ever take, OFF first */
    int *nvals;
    int *best;
    cost bestc;
    int best_pending;
    uint64_t rng[4];
    double hw;    /* weight of a hard point */
    double softw; /* weight of the soft cost: tiny while looking for feasibility */
    long long iters;
    /* scratch for block moves */
    int *old1, *old2;
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

static inline int64_t cover_pen(const rs_model *m, int k, int have)
{
    int r = m->req[k];
    return have < r ? (int64_t)(r - have) * m->wunder[k] : (int64_t)(have - r) * m->wover[k];
}

static inline int allowed(const search *s, int e, int d, int v)
{
    return s->m->allowed[((size_t)e * s->D + d) * s->V + v + 1];
}

static void set_cell(search *s, int e, int d, int v)
{
    const rs_model *m = s->m;
    int *row = s->x + (size_t)e * s->D;
    int old = row[d];
    if (old == v)
        return;
    int wk = (d % 7) >= 5;
    int was = 0;
    if (wk) {
        int sat = d - d % 7 + 5;
        was = row[sat] >= 0 || (sat + 1 < s->D && row[sat + 1] >= 0);
    }
    if (old >= 0) {
        int k = d * s->S + old;
        s->cover_cost += cover_pen(m, k, s->cov[k] - 1) - cover_pen(m, k, s->cov[k]);
        s->cov[k]--;
        s->cnt[e * s->S + old]--;
        s->mins[e] -= m->minutes[old];
    }
    if (v >= 0) {
        int k = d * s->S + v;
        s->cover_cost += cover_pen(m, k, s->cov[k] + 1) - cover_pen(m, k, s->cov[k]);
        s->cov[k]++;
        s->cnt[e * s->S + v]++;
        s->mins[e] += m->minutes[v];
    }
    row[d] = v;
    if (wk) {
        int sat = d - d % 7 + 5;
        int now = row[sat] >= 0 || (sat + 1 < s->D && row[sat + 1] >= 0);
        s->nwk[e] += now - was;
    }
}

/* The part of employee e's cost that a change inside days [lo, hi] can move:
 * request costs there, rotation pairs and runs touching [lo-1, hi+1], and the
 * whole-horizon counters. */
static void emp_local(const search *s, int e, int lo, int hi, cost *c)
{
    const rs_model *m = s->m;
    const int *row = s->x + (size_t)e * s->D;
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
    const int *cnt = s->cnt + e * S, *mx = m->maxs + e * S;
    for (int k = 0; k < S; k++)
        if (cnt[k] > mx[k])
            hard += (int64_t)HP * (cnt[k] - mx[k]);
    long mins = s->mins[e], dev = 0;
    if (mins > lim->max_minutes)
        dev = mins - lim->max_minutes;
    else if (mins < lim->min_minutes)
        dev = lim->min_minutes - mins;
    if (dev) /* each started shift's length of minutes weighs as much as two broken runs */
        hard += (int64_t)MINUTES_HP * ((dev + m->unit_minutes - 1) / m->unit_minutes);
    if (s->nwk[e] > lim->max_weekends)
        hard += (int64_t)HP * (s->nwk[e] - lim->max_weekends);
    if (m->fair_weight[e]) {
        long dev = mins - m->fair_target[e];
        soft += (int64_t)(dev < 0 ? -dev : dev) * m->fair_weight[e];
    }
    c->soft += soft;
    c->hard += hard;
}

static cost full_cost(const search *s)
{
    cost c = {s->cover_cost, 0};
    for (int e = 0; e < s->E; e++)
        emp_local(s, e, 0, s->D - 1, &c);
    return c;
}

static int better(cost a, cost b) { return a.hard < b.hard || (a.hard == b.hard && a.soft < b.soft); }

static void save_best(search *s)
{
    memcpy(s->best, s->x, (size_t)s->E * s->D * sizeof(int));
    s->best_pending = 0;
}

/* Writes cells of up to two employees over [lo, hi] from n1/n2 (n2 may be
 * NULL), keeping the old values in old1/old2. */
static void write_block(search *s, int e1, const int *n1, int e2, const int *n2, int lo, int hi)
{
    for (int d = lo; d <= hi; d++) {
        s->old1[d - lo] = s->x[(size_t)e1 * s->D + d];
        if (n2)
            s->old2[d - lo] = s->x[(size_t)e2 * s->D + d];
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
    int *o1 = s->old1, *o2 = s->old2;
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
    cost before = {s->cover_cost, 0}, after = {0, 0};
    emp_local(s, e1, lo, hi, &before);
    if (n2)
        emp_local(s, e2, lo, hi, &before);
    write_block(s, e1, n1, e2, n2, lo, hi);
    after.soft = s->cover_cost;
    emp_local(s, e1, lo, hi, &after);
    if (n2)
        emp_local(s, e2, lo, hi, &after);
    int64_t ds = after.soft - before.soft, dh = after.hard - before.hard;
    double delta = s->softw * (double)ds + s->hw * (double)dh;
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
    int nv = s->nvals[e];
    if (nv < 2)
        return;
    int v = s->vals[e * s->V + rnd(s, nv)];
    if (v == s->x[(size_t)e * s->D + d] || !allowed(s, e, d, v))
        return;
    try_move(s, temp, e, &v, 0, NULL, d, d);
}

static void move_swap(search *s, double temp, int maxk)
{
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
    const int *r1 = s->x + (size_t)e1 * s->D, *r2 = s->x + (size_t)e2 * s->D;
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
    int nv = s->nvals[e];
    int v = s->vals[e * s->V + rnd(s, nv)];
    int n1[16], differ = 0;
    for (int d = lo; d <= hi; d++) {
        if (!allowed(s, e, d, v))
            return;
        n1[d - lo] = v;
        differ |= s->x[(size_t)e * s->D + d] != v;
    }
    if (differ)
        try_move(s, temp, e, n1, 0, NULL, lo, hi);
}

/* Two people trade their cells on two days up to 15 days apart: cover and,
 * for equal shift lengths, both people's totals stay as they were. */
static void move_swap2(search *s, double temp)
{
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
    const int *r1 = s->x + (size_t)e1 * s->D, *r2 = s->x + (size_t)e2 * s->D;
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
    const int *r = s->x + (size_t)e * s->D;
    if (r[a] == r[b] || !allowed(s, e, a, r[b]) || !allowed(s, e, b, r[a]))
        return;
    int n1[16];
    memcpy(n1, r + a, (size_t)(b - a + 1) * sizeof(int));
    n1[0] = r[b];
    n1[b - a] = r[a];
    try_move(s, temp, e, n1, 0, NULL, a, b);
}

static void pick_move(search *s, double temp, const int *pc, int maxk)
{
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
    else
        move_shuffle(s, temp);
}

static void search_free(search *s)
{
    free(s->x);
    free(s->cnt);
    free(s->mins);
    free(s->nwk);
    free(s->cov);
    free(s->vals);
    free(s->nvals);
    free(s->best);
    free(s->old1);
    free(s->old2);
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
    s->x = malloc((cells + 1) * sizeof(int));
    s->best = malloc((cells + 1) * sizeof(int));
    s->cnt = calloc((size_t)m->E * m->S + 1, sizeof(int));
    s->mins = calloc((size_t)m->E + 1, sizeof(long));
    s->nwk = calloc((size_t)m->E + 1, sizeof(int));
    s->cov = calloc((size_t)m->D * m->S + 1, sizeof(int));
    s->vals = calloc((size_t)m->E * m->V + 1, sizeof(int));
    s->nvals = calloc((size_t)m->E + 1, sizeof(int));
    s->old1 = calloc((size_t)m->D + 16, sizeof(int));
    s->old2 = calloc((size_t)m->D + 16, sizeof(int));
    if (!s->x || !s->best || !s->cnt || !s->mins || !s->nwk || !s->cov || !s->vals || !s->nvals ||
        !s->old1 || !s->old2) {
        search_free(s);
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    }
    for (int i = 0; i < 4; i++)
        s->rng[i] = splitmix(&seed);
    for (int e = 0; e < m->E; e++) {
        int n = 0;
        s->vals[e * m->V + n++] = WARAS_ROSTER_OFF;
        for (int k = 0; k < m->S; k++)
            if (m->maxs[e * m->S + k] > 0)
                s->vals[e * m->V + n++] = k;
        s->nvals[e] = n;
    }
    /* Start from everyone off, except cells whose only allowed value is a shift (locks). */
    for (size_t i = 0; i < cells; i++)
        s->x[i] = WARAS_ROSTER_OFF;
    s->cover_cost = 0;
    for (int k = 0; k < m->D * m->S; k++)
        s->cover_cost += cover_pen(m, k, 0);
    for (int e = 0; e < m->E; e++)
        for (int d = 0; d < m->D; d++)
            if (!allowed(s, e, d, WARAS_ROSTER_OFF))
                for (int v = 0; v < m->S; v++)
                    if (allowed(s, e, d, v)) {
                        set_cell(s, e, d, v);
                        break;
                    }
    s->cur = full_cost(s);
    s->bestc = s->cur;
    save_best(s);
    return 0;
}

static void load_best(search *s)
{
    for (int e = 0; e < s->E; e++)
        for (int d = 0; d < s->D; d++)
            set_cell(s, e, d, s->best[(size_t)e * s->D + d]);
    s->cur = full_cost(s);
}

typedef struct shared {
    const rs_model *m;
    double deadline; /* CLOCK_MONOTONIC seconds */
    long long max_iterations;
    atomic_int stop;
    pthread_mutex_t lock;
} shared;

typedef struct worker {
    shared *sh;
    search s;
    uint64_t seed;
    int rc;
    /* published under sh->lock for progress reports */
    cost pub;
    long long pub_iters;
} worker;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void run_search(worker *w)
{
    search *s = &w->s;
    shared *sh = w->sh;
    const rs_model *m = s->m;
    if (m->E == 0 || m->D == 0)
        return;
    int maxk = s->D < 7 ? s->D : 7;
    /* Epoch length grows with the roster so that each cell sees enough moves. */
    long long epoch = (long long)m->E * m->D * 200;
    if (epoch < 200000)
        epoch = 200000;
    double t_hi = 50.0, t_lo = 0.2;
    s->hw = 2.0;
    if (getenv("WR_THI")) t_hi = atof(getenv("WR_THI"));
    if (getenv("WR_TLO")) t_lo = atof(getenv("WR_TLO"));
    if (getenv("WR_HW")) s->hw = atof(getenv("WR_HW"));
    if (getenv("WR_MHP")) MINUTES_HP = atoi(getenv("WR_MHP"));
    double reheat = getenv("WR_RH") ? atof(getenv("WR_RH")) : 0.5;
    int pc[5] = {30, 50, 70, 80, 90};
    if (getenv("WR_PC"))
        sscanf(getenv("WR_PC"), "%d,%d,%d,%d,%d", &pc[0], &pc[1], &pc[2], &pc[3], &pc[4]);
    double osc = getenv("WR_OSC") ? atof(getenv("WR_OSC")) : 1.01, hw_min = getenv("WR_HWMIN") ? atof(getenv("WR_HWMIN")) : 2;
    if (getenv("WR_EP")) epoch = atoll(getenv("WR_EP")) * m->E * m->D;
    /* Phase 1: look for a feasible roster, the soft cost only breaking ties,
     * so that moves across plateaus of the hard rules are free. */
    s->softw = 1e-3;
    s->hw = 1.0;
    long long p1 = (long long)m->E * m->D * (getenv("WR_P1") ? atoll(getenv("WR_P1")) : 500);
    if (p1 < 1000000)
        p1 = 1000000;
    while (s->cur.hard > 0) {
        double temp = 40.0, cool = pow(2.0 / 40.0, 1.0 / (double)p1);
        for (long long it = 0; it < p1 && s->cur.hard > 0; it++) {
            if ((s->iters & 1023) == 0) {
                if (atomic_load(&sh->stop) || now_seconds() >= sh->deadline)
                    goto done;
            }
            if (sh->max_iterations && s->iters >= sh->max_iterations)
                goto done;
            s->iters++;
            pick_move(s, temp, pc, maxk);
            temp *= cool;
        }
    }
    s->softw = 1.0;
    s->hw = 2.0;
    for (int ep = 0;; ep++) {
        if (ep > 0)
            load_best(s);
        double temp = ep == 0 ? t_hi : t_hi * reheat;
        double cool = pow(t_lo / temp, 1.0 / (double)epoch);
        for (long long it = 0; it < epoch; it++) {
            if ((s->iters & 1023) == 0) {
                /* Strategic oscillation: hard rules weigh more while broken. */
                if (osc) {
                    if (s->cur.hard > 0)
                        s->hw = s->hw * osc < 1e4 ? s->hw * osc : 1e4;
                    else
                        s->hw = s->hw / osc > hw_min ? s->hw / osc : hw_min;
                }
                if (atomic_load(&sh->stop) || now_seconds() >= sh->deadline)
                    goto done;
                pthread_mutex_lock(&sh->lock);
                w->pub = s->bestc;
                w->pub_iters = s->iters;
                pthread_mutex_unlock(&sh->lock);
            }
            if (sh->max_iterations && s->iters >= sh->max_iterations)
                goto done;
            s->iters++;
            pick_move(s, temp, pc, maxk);
            temp *= cool;
        }
        if (getenv("WR_CHECK"))
            fprintf(stderr, "epoch %d iters %lld cur %lld/%lld best %lld/%lld hw %g\n", ep, s->iters, (long long)s->cur.soft, (long long)s->cur.hard, (long long)s->bestc.soft, (long long)s->bestc.hard, s->hw);
        if (epoch < (1LL << 40))
            epoch *= 2;
    }
done:
    if (getenv("WR_CHECK")) {
        cost fc = full_cost(s);
        fprintf(stderr, "cur %lld/%lld full %lld/%lld best %lld/%lld hw %g\n", (long long)s->cur.soft, (long long)s->cur.hard, (long long)fc.soft, (long long)fc.hard, (long long)s->bestc.soft, (long long)s->bestc.hard, s->hw);
    }
    if (s->best_pending)
        save_best(s);
    pthread_mutex_lock(&sh->lock);
    w->pub = s->bestc;
    w->pub_iters = s->iters;
    pthread_mutex_unlock(&sh->lock);
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    run_search(w);
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
    double t0 = now_seconds();
    int have_lock = 0;
    if (nthreads > 256)
        nthreads = 256;
    if ((rc = waras_roster__model_build(&m, p)))
        return rc;
    sh.m = &m;
    sh.deadline = t0 + limit;
    sh.max_iterations = opts ? opts->max_iterations : 0;
    atomic_init(&sh.stop, 0);
    if (pthread_mutex_init(&sh.lock, NULL)) {
        rc = waras_error_msg(WARAS_ERROR, "cannot create a mutex");
        goto cleanup;
    }
    have_lock = 1;
    w = calloc((size_t)nthreads, sizeof(*w));
    tids = calloc((size_t)nthreads, sizeof(*tids));
    if (!w || !tids) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (int t = 0; t < nthreads; t++) {
        uint64_t st = seed + 0x632BE59BD9B4E019ull * (uint64_t)t;
        w[t].sh = &sh;
        w[t].seed = splitmix(&st);
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
        while (now_seconds() < sh.deadline) {
            struct timespec nap = {0, 50 * 1000 * 1000};
            nanosleep(&nap, NULL);
            int done = 1;
            cost bc = {INT64_MAX, INT64_MAX};
            pthread_mutex_lock(&sh.lock);
            for (int t = 0; t < nthreads; t++) {
                if (better(w[t].pub, bc))
                    bc = w[t].pub;
                if (!sh.max_iterations || w[t].pub_iters < sh.max_iterations)
                    done = 0;
            }
            pthread_mutex_unlock(&sh.lock);
            if (done)
                break;
            if (now_seconds() >= next) {
                opts->progress(opts->progress_user, now_seconds() - t0, (long)bc.soft, bc.hard == 0);
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
    res.seconds = now_seconds() - t0;
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
    waras_roster__model_free(&m);
    return rc;
}
