/*
 * The annealing's moves and their cost bookkeeping: a move writes a few
 * cells, the cost of the rows and days it touched is recomputed from the
 * runs, rotation pairs and per-person counters next to them, and the move
 * is kept or undone by the annealing's rule. Moves: change a cell, swap
 * two people's cells on a day or a block of days, set a block to one value,
 * trade two days, move a cell within a row, trade a cell with whoever works
 * the wanted shift that day, serve a request, now and then a row re-plan,
 * and ejection chains of row re-plans that pass a short shift from person
 * to person.
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "search.h"

/* The part of employee e's cost that a change inside days [lo, hi] can move:
 * request costs there, rotation pairs and runs touching [lo-1, hi+1], and the
 * whole-horizon counters. */
void waras_roster__emp_local(const rs_search *s, int e, int lo, int hi, cost *c)
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

cost waras_roster__full_cost(const rs_search *s)
{
    cost c = {s->r.cover_cost, 0};
    for (int e = 0; e < s->E; e++)
        waras_roster__emp_local(s, e, 0, s->D - 1, &c);
    return c;
}

#ifndef NDEBUG

void waras_roster__check_cost(const rs_search *s)
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
    cost c = waras_roster__full_cost(s);
    assert(c.soft == s->cur.soft && c.hard == s->cur.hard);
}
#endif

void waras_roster__save_best(rs_search *s)
{
    memcpy(s->best, s->r.x, (size_t)s->E * s->D * sizeof(int));
    s->best_pending = 0;
}

/* Writes cells of up to two employees over [lo, hi] from n1/n2 (n2 may be
 * NULL), keeping the old values in old1/old2. */
static void write_block(rs_search *s, int e1, const int *n1, int e2, const int *n2, int lo, int hi)
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

static void undo_block(rs_search *s, int e1, int e2, int two, int lo, int hi)
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
void waras_roster__try_move(rs_search *s, double temp, int e1, const int *n1, int e2, const int *n2, int lo,
                     int hi)
{
    cost before = {s->r.cover_cost, 0}, after = {0, 0};
    waras_roster__emp_local(s, e1, lo, hi, &before);
    if (n2)
        waras_roster__emp_local(s, e2, lo, hi, &before);
    write_block(s, e1, n1, e2, n2, lo, hi);
    after.soft = s->r.cover_cost;
    waras_roster__emp_local(s, e1, lo, hi, &after);
    if (n2)
        waras_roster__emp_local(s, e2, lo, hi, &after);
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
        waras_roster__save_best(s);
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

static void move_change(rs_search *s, double temp)
{
    int e = rnd(s, s->E), d = rnd(s, s->D);
    int nv = s->dp.nvals[e];
    if (nv < 2)
        return;
    int v = s->dp.vals[e * s->V + rnd(s, nv)];
    if (v == s->r.x[(size_t)e * s->D + d] || !allowed(s, e, d, v))
        return;
    waras_roster__try_move(s, temp, e, &v, 0, NULL, d, d);
}

static void move_swap(rs_search *s, double temp, int maxk)
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
        waras_roster__try_move(s, temp, e1, n1, e2, n2, lo, hi);
}

static void move_block(rs_search *s, double temp, int maxk)
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
        waras_roster__try_move(s, temp, e, n1, 0, NULL, lo, hi);
}

/* Two people trade their cells on two days up to 15 days apart: cover and,
 * for equal shift lengths, both people's totals stay as they were. */
static void move_swap2(rs_search *s, double temp)
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
    waras_roster__try_move(s, temp, e1, n1, e2, n2, a, b);
}

/* One person moves a cell to another day up to 15 days away (swaps two
 * cells): totals stay, cover moves between days. */
static void move_shuffle(rs_search *s, double temp)
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
    waras_roster__try_move(s, temp, e, n1, 0, NULL, a, b);
}


/* Two people trade their cells on one day, the second chosen among those
 * who work the value the first is given, so cover stays as it was: the move
 * that serves a shift request or moves a shift type between people. */
static void trade_day(rs_search *s, double temp, int e1, int d, int v)
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
    waras_roster__try_move(s, temp, e1, &v, pick, pick >= 0 ? &u : NULL, d, d);
}

static void move_trade(rs_search *s, double temp)
{
    int e = rnd(s, s->E), d = rnd(s, s->D);
    int nv = s->dp.nvals[e];
    if (nv < 2)
        return;
    trade_day(s, temp, e, d, s->dp.vals[e * s->V + rnd(s, nv)]);
}

/* Serves a request: a cell that carries a request cost is given the
 * cheapest value it may take, by trade where someone works that value. */
static void move_request(rs_search *s, double temp)
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

/* Picks whole weeks around a random day, as many as the DP's table allows. */
static void move_rowdp(rs_search *s, double temp, int e, int wide)
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
            waras_roster__try_move(s, temp, e, s->dp.row + a, 0, NULL, a, b);
        return;
    }
}

/* A row re-plan costs about as much as thousands of small moves: use it
 * for 5 moves in 100000, and every 4096 moves while a rule is broken. An
 * ejection chain (several re-plans) is tried 50 times in 100000 moves, as
 * long as the DP has done fewer than EJECT_WORK state updates per move so
 * far (about a third of the time; counted, not timed, so that a seeded run
 * with an iteration cap repeats exactly). REPAIR_MASK is in search.h. */
#define DP_RATE 5
#define EJECT_RATE 50
#define EJECT_WORK 40.0

/* ---- Ejection chains ----
 * Cover that is short on one day often needs several people to move at
 * once: someone takes the short shift, which pushes one of their own shifts
 * out (their rules allow only so many), which someone else takes, and so on.
 * Each link re-plans one person's weeks around the day by the row DP with
 * that cell forced; the chain is kept as soon as the whole roster is
 * better (or as good: plateaus are where the search moves), and undone when
 * it runs out of links. */

static double weigh(const rs_search *s, cost c) { return (double)c.soft + s->hw * (double)c.hard; }

/* Writes src over e's cells [a, b], keeping the old ones in keep (when
 * given) and moving s->cur by the change. */
static void replace_cells(rs_search *s, int e, int a, int b, const int *src, int *keep)
{
    cost before = {s->r.cover_cost, 0}, after = {0, 0};
    waras_roster__emp_local(s, e, a, b, &before);
    for (int d = a; d <= b; d++) {
        if (keep)
            keep[d - a] = s->r.x[(size_t)e * s->D + d];
        set_cell(s, e, d, src[d - a]);
    }
    after.soft = s->r.cover_cost;
    waras_roster__emp_local(s, e, a, b, &after);
    s->cur.soft += after.soft - before.soft;
    s->cur.hard += after.hard - before.hard;
}

/* A random shift-day whose cover is short, or -1. */
static int short_cell(rs_search *s)
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
static void weeks_around(rs_search *s, int d, int maxw, int *a, int *b)
{
    int weeks = 1 + rnd(s, maxw);
    *a = 7 * (d / 7 - rnd(s, weeks));
    if (*a < 0)
        *a = 0;
    *b = *a + 7 * weeks - 1 < s->D ? *a + 7 * weeks - 1 : s->D - 1;
}

static void move_eject(rs_search *s)
{
    int D = s->D, S = s->S;
    int k = short_cell(s);
    if (k < 0)
        return;
    int d = k / S, v = k % S;
    if (s->best_pending)
        waras_roster__save_best(s);
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
static int broken_day(rs_search *s, int e)
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
void waras_roster__repair(rs_search *s, double temp)
{
    int e0 = rnd(s, s->E);
    for (int i = 0; i < s->E; i++) {
        int e = (e0 + i) % s->E;
        cost c = {0, 0};
        waras_roster__emp_local(s, e, 0, s->D - 1, &c);
        if (c.hard == 0)
            continue;
        int d = broken_day(s, e), a, b;
        if (d >= 0) {
            weeks_around(s, d, 4, &a, &b);
            if (waras_roster__rowdp_plan(&s->dp, &s->r, e, a, b, 0))
                waras_roster__try_move(s, temp, e, s->dp.row + a, 0, NULL, a, b);
        } else if (s->dp.work - s->dp_lent < EJECT_WORK * (double)s->iters &&
                   waras_roster__rowdp_whole(&s->dp, &s->r, e)) {
            waras_roster__try_move(s, temp, e, s->dp.row, 0, NULL, 0, s->D - 1);
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

void waras_roster__pick_move(rs_search *s, double temp, int maxk)
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
