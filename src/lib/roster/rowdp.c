/*
 * The row dynamic programme: one person's cells over some whole weeks, or
 * the whole horizon, re-planned exactly with everyone else fixed, since
 * every hard rule of the model concerns one person. The search uses it to
 * build and repair rows and as a move; column generation uses it, with
 * dual prices on the cells, to price new columns. The workspace (rs_rowdp)
 * is its own, so it runs and is tested apart from any search.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rowdp.h"
#include "waras/error.h"

/* ---- Row dynamic programme ----
 * Re-plans one employee's days [a, b] (whole weeks, so no weekend is split)
 * with everyone else fixed: the cheapest cells by requests and by the cover
 * that this person adds, among those that keep every rule of this person
 * (rotation, runs, weekends, total minutes). Per-type maxima are checked
 * afterwards. The state after each day is (value, run length, run touches
 * day 0, weekends used, minutes used in steps of the shifts' gcd). */
#define DP_INF INT32_MAX
/* Dual prices are carried in the DP's integers in hundredths. */
#define PRICE_SCALE 100

typedef struct dpdims {
    int R, WB, M, C;
    size_t per_day;
} dpdims;

/* The (value position, run, run-from-day-0, weekends) part of block bi,
 * whose minutes and type counts follow dp_index's order. */
static int dp_block(const dpdims *dd, size_t bi, int *r, int *fs, int *w)
{
    *w = (int)(bi % dd->WB);
    bi /= dd->WB;
    *fs = (int)(bi % 2);
    bi /= 2;
    *r = (int)(bi % dd->R);
    return (int)(bi / dd->R);
}

/* k is the value's position in the person's list of values (off first);
 * ct counts cells of the one shift type whose maximum the state tracks. */
static size_t dp_index(const dpdims *dd, int k, int r, int fs, int w, int mb, int ct)
{
    return (((((size_t)k * dd->R + r) * 2 + fs) * dd->WB + w) * dd->M + mb) * dd->C + ct;
}

/* Length of the run of row[] that ends at day d (same kind), capped. */
static int run_back(const int *row, int d, int cap, int *touches_start)
{
    int work = row[d] >= 0, n = 0, i = d;
    while (i >= 0 && (row[i] >= 0) == work)
        i--, n++;
    *touches_start = i < 0;
    return n < cap ? n : cap;
}

static int run_fwd(const int *row, int d, int D, int *touches_end)
{
    int work = row[d] >= 0, n = 0, i = d;
    while (i < D && (row[i] >= 0) == work)
        i++, n++;
    *touches_end = i >= D;
    return n;
}

/* The most minutes e can still work on days a + t .. b of the window, for
 * t = 0 .. L, into reach[0 .. L]: runs of at most the maximum length, at
 * least the minimum days off apart, on days where some shift is allowed
 * (and the fixed cell, if any, is a shift). Every other rule is ignored, so
 * this bounds every row from above: a state that has worked fewer minutes
 * than the minimum less this cannot end in a row that keeps the minimum.
 * Starting afresh is at least as good as from any state, so one bound
 * serves every state of a day. */
static void dp_reach(const rs_rowdp *dp, int e, int a, int b, long *reach)
{
    const waras_roster_limits *lim = &dp->m->lim[e];
    int L = b - a + 1, V = dp->V, nv = dp->nvals[e];
    int cmax = lim->max_consecutive < L ? lim->max_consecutive : L;
    int gap = lim->min_days_off > 1 ? lim->min_days_off : 1;
    long *w = reach + L + 1;
    for (int t = 0; t < L; t++) {
        int d = a + t;
        w[t] = -1; /* no shift at all */
        for (int k = 0; k < nv; k++) {
            int v = dp->vals[e * V + k];
            if (v >= 0 && rs_allowed(dp->m, e, d, v) &&
                (!dp->fix || dp->fix[d] == -2 || dp->fix[d] == v) && dp->m->minutes[v] > w[t])
                w[t] = dp->m->minutes[v];
        }
    }
    reach[L] = 0;
    for (int t = L - 1; t >= 0; t--) {
        long best = reach[t + 1], run = 0;
        for (int j = 1; j <= cmax && t + j <= L && w[t + j - 1] >= 0; j++) {
            run += w[t + j - 1];
            long v = run + (t + j + gap <= L ? reach[t + j + gap] : 0);
            if (v > best)
                best = v;
        }
        reach[t] = best;
    }
}

/* Fills dp->row[a..b]; returns 1 when a row was found. */
static int row_dp(rs_rowdp *dp, const rs_roster *ro, int e, int a, int b, int prorate,
                  const int32_t *extra)
{
    const rs_model *m = dp->m;
    int D = dp->D, S = dp->S, V = dp->V, L = b - a + 1;
    const int *row = ro->x + (size_t)e * D;
    const waras_roster_limits *lim = &m->lim[e];
    int need = lim->min_consecutive > lim->min_days_off ? lim->min_consecutive : lim->min_days_off;
    if (lim->max_consecutive < D && lim->max_consecutive > need)
        need = lim->max_consecutive;
    if (need > D)
        need = D;
    dpdims dd;
    dd.R = need + 2;
    /* Budgets left by the part of the row outside the window. */
    long out_min = ro->mins[e];
    int out_wk = ro->nwk[e], wk_in = 0;
    for (int d = a; d <= b; d++)
        if (row[d] >= 0)
            out_min -= m->minutes[row[d]];
    for (int d = a; d <= b; d++)
        if (d % 7 == 5 && (row[d] >= 0 || (d + 1 < D && row[d + 1] >= 0)))
            wk_in++;
    out_wk -= wk_in;
    long hi_min = lim->max_minutes - out_min, lo_min = lim->min_minutes - out_min;
    int wkb = lim->max_weekends - out_wk;
    if (prorate) {
        /* Building left to right, days after b still empty: keep a share of
         * each budget for them, and ask for a share of the minimum. */
        int avail = 0, avail_b = 0;
        for (int d = 0; d < D; d++) {
            int free_day = 0;
            for (int k = 0; k < dp->nvals[e] && !free_day; k++)
                free_day = dp->vals[e * V + k] >= 0 && rs_allowed(dp->m, e, d, dp->vals[e * V + k]);
            avail += free_day;
            if (d <= b)
                avail_b += free_day;
        }
        double f = avail ? (double)avail_b / avail : 1.0;
        long lo_pr = (long)(lim->min_minutes * f) - out_min;
        long hi_pr = (long)(lim->max_minutes * f) + dp->maxlen - out_min;
        int wk_pr = (int)(lim->max_weekends * f + 0.999) - out_wk;
        if (b < D - 1) {
            lo_min = lo_pr;
            if (hi_pr < hi_min)
                hi_min = hi_pr;
            if (wk_pr < wkb)
                wkb = wk_pr;
        }
    }
    /* When the rest of the row already breaks a budget, do the least harm
     * here; a minutes shortfall is priced rather than forbidden. */
    if (hi_min < 0)
        hi_min = 0;
    if (wkb < 0)
        wkb = 0;
    long cap_min = (long)L * dp->maxlen;
    if (hi_min > cap_min)
        hi_min = cap_min;
    int nwk_win = 0;
    for (int d = a; d <= b; d++)
        nwk_win += d % 7 == 5;
    if (wkb > nwk_win)
        wkb = nwk_win;
    /* The state counts minutes and weekends from a base per day: zero, or
     * in a band the current row's running count less the band's width. */
    int *basem = dp->bbase, *basew = dp->bbase + L + 1;
    if (dp->band_m > 0) {
        int om = 0, ow = 0;
        for (int t = 0;; t++) {
            basem[t] = om - dp->band_m;
            basew[t] = ow - dp->band_w;
            if (t == L)
                break;
            int d = a + t, v = row[d];
            if (v >= 0)
                om += m->minutes[v] / dp->gmin;
            if ((d % 7 == 6 && (v >= 0 || row[d - 1] >= 0)) || (d % 7 == 5 && d == D - 1 && v >= 0))
                ow++;
        }
        dd.WB = 2 * dp->band_w + 1;
        dd.M = 2 * dp->band_m + 1;
    } else {
        memset(basem, 0, (size_t)(L + 1) * 2 * sizeof(int));
        dd.WB = wkb + 1;
        dd.M = (int)(hi_min / dp->gmin) + 1;
    }
    const int *vals = dp->vals + e * V;
    int nv = dp->nvals[e];
    dd.C = 1;
    int ctype = dp->ctype >= 0 ? dp->ctype : -1;
    if (ctype >= 0) {
        int left = m->maxs[e * S + ctype] - ro->cnt[e * S + ctype];
        for (int d = a; d <= b; d++)
            left += row[d] == ctype;
        dd.C = (left < 0 ? 0 : left) + 1;
    }
    dd.per_day = (size_t)nv * dd.R * 2 * dd.WB * dd.M * dd.C;
    dp->toobig = dd.per_day * (size_t)(L + 1) > dp->cap || 2 * dd.per_day > RS_DP_CAP;
    if (dp->toobig)
        return 0;
    dp->work += (double)dd.per_day * L * nv;
    /* Two layers of costs, every layer of back pointers, and two layers of
     * each block's range of finite minute states. */
    int32_t *cost = dp->cost, *prev = dp->prev;
    size_t blk = (size_t)dd.M * dd.C, nblk = dd.per_day / blk;
    if (dp->blkcap < 4 * nblk) {
        int *nb = realloc(dp->blk, 4 * nblk * sizeof(int));
        if (!nb)
            return 0;
        dp->blk = nb;
        dp->blkcap = 4 * nblk;
    }
    int *brange = dp->blk;
    for (size_t bi = 0; bi < nblk; bi++)
        brange[2 * bi] = dd.M, brange[2 * bi + 1] = -1;
    /* Layer 0: the state before day a. */
    int pv, pr, pfs;
    if (a == 0) {
        pv = WARAS_ROSTER_OFF;
        pr = dd.R - 1;
        pfs = 1;
    } else {
        pv = row[a - 1];
        pr = run_back(row, a - 1, dd.R - 1, &pfs);
    }
    int kpv = -1;
    for (int k = 0; k < nv; k++)
        if (vals[k] == pv)
            kpv = k;
    if (kpv < 0)
        return 0;
    size_t i0 = dp_index(&dd, kpv, pr, pfs, -basew[0], -basem[0], 0);
    for (size_t i = i0 / blk * blk; i < (i0 / blk + 1) * blk; i++)
        cost[i] = DP_INF;
    cost[i0] = 0;
    brange[2 * (i0 / blk)] = brange[2 * (i0 / blk) + 1] = -basem[0];
    const int *cc = m->cellcost + (size_t)e * D * V;
    int fw = m->fair_weight[e];
    /* Pricing wants only rows that keep the minimum minutes, so a state
     * that can no longer reach it is dropped: on a tight row that leaves a
     * narrow band of the minutes a day could hold. */
    long *reach = dp->price && lo_min > 0 ? dp->reach : NULL;
    if (reach)
        dp_reach(dp, e, a, b, reach);
    size_t steps = 0; /* transitions made, for the work budget */
    for (int t = 0; t < L; t++) {
        int d = a + t;
        int32_t *cin = cost + dd.per_day * (t & 1), *cout = cost + dd.per_day * ((t + 1) & 1);
        int32_t *pout = prev + dd.per_day * (t + 1);
        int32_t add[WARAS_ROSTER_MAX_SHIFTS + 1];
        for (int k = 0; k < nv; k++) {
            int v = vals[k];
            if (!rs_allowed(dp->m, e, d, v) || (dp->fix && dp->fix[d] != -2 && v != dp->fix[d])) {
                add[k] = DP_INF;
                continue;
            }
            int32_t c = cc[d * V + v + 1] + (extra && v >= 0 ? extra[v] : 0);
            if (dp->price) {
                c = c * PRICE_SCALE + (v >= 0 ? dp->price[d * S + v] : 0);
            } else if (v >= 0) {
                int kk = d * S + v, have = ro->cov[kk] - (row[d] == v);
                c += (int32_t)(rs_cover_pen(m, kk, have + 1) - rs_cover_pen(m, kk, have));
            }
            add[k] = c;
        }
        int sunday = d % 7 == 6, lone_sat = d % 7 == 5 && d == D - 1;
        int dmb = basem[t] - basem[t + 1], dwb = basew[t] - basew[t + 1];
        /* The fewest minutes (in steps) a state after day d may hold. */
        long lack = reach ? lo_min - reach[t + 1] : 0;
        int mneed =
            lack > 0 ? (int)((lack + dp->gmin - 1) / dp->gmin) - basem[t + 1] : INT32_MIN / 2;
        /* A block holds the (minutes, count) states of one (value, run,
         * run-from-day-0, weekends) prefix: a move's rules depend on the
         * prefix only, and inside a block it just shifts the states. */
        int *rin = brange + 2 * nblk * (t & 1), *rout = brange + 2 * nblk * ((t + 1) & 1);
        for (size_t bo = 0; bo < nblk; bo++)
            rout[2 * bo] = dd.M, rout[2 * bo + 1] = -1;
        for (size_t bi = 0; bi < nblk; bi++) {
            int mlo = rin[2 * bi], mhi = rin[2 * bi + 1];
            if (mlo > mhi)
                continue;
            int r, fs, w;
            int pvv = vals[dp_block(&dd, bi, &r, &fs, &w)];
            int pwork = pvv >= 0;
            const int32_t *src = cin + bi * blk;
            for (int k = 0; k < nv; k++) {
                if (add[k] == DP_INF)
                    continue;
                int v = vals[k], work = v >= 0;
                int nr, nfs;
                if (work == pwork) {
                    if (work && (r + 1 > lim->max_consecutive || m->forbid[pvv * S + v]))
                        continue;
                    nr = r + 1 < dd.R ? r + 1 : dd.R - 1;
                    nfs = fs;
                } else {
                    if (!fs && (pwork ? r < lim->min_consecutive : r < lim->min_days_off))
                        continue;
                    nr = 1;
                    nfs = d == 0;
                }
                int nw = w + dwb;
                if ((sunday && (work || (d > a ? pwork : row[d - 1] >= 0))) || (lone_sat && work))
                    nw++;
                if (nw < 0 || nw >= dd.WB)
                    continue;
                int dm = dmb + (work ? m->minutes[v] / dp->gmin : 0);
                int dc = ctype >= 0 && v == ctype;
                int lo = mlo + dm < 0 ? -dm : mlo, hi = mhi + dm >= dd.M ? dd.M - 1 - dm : mhi;
                if (lo + dm < mneed)
                    lo = mneed - dm;
                if (lo > hi || dc >= dd.C)
                    continue;
                size_t bo = dp_index(&dd, k, nr, nfs, nw, 0, 0) / blk;
                if (rout[2 * bo] > rout[2 * bo + 1]) /* first touch this day */
                    for (size_t i = bo * blk; i < (bo + 1) * blk; i++)
                        cout[i] = DP_INF;
                if (lo + dm < rout[2 * bo])
                    rout[2 * bo] = lo + dm;
                if (hi + dm > rout[2 * bo + 1])
                    rout[2 * bo + 1] = hi + dm;
                int32_t a1 = add[k];
                if (!dc) { /* one stretch of the block, shifted by dm steps */
                    size_t n = (size_t)(hi - lo + 1) * dd.C,
                           j = bo * blk + (size_t)(lo + dm) * dd.C;
                    steps += n + 1;
                    const int32_t *sc = src + (size_t)lo * dd.C;
                    int32_t *oc = cout + j, *op = pout + j;
                    int32_t from = (int32_t)(bi * blk + (size_t)lo * dd.C);
                    for (size_t y = 0; y < n; y++) {
                        int32_t c0 = sc[y], o = oc[y];
                        int32_t c1 = c0 == DP_INF ? DP_INF : c0 + a1;
                        int lt = c1 < o;
                        oc[y] = lt ? c1 : o;
                        op[y] = lt ? from + (int32_t)y : op[y];
                    }
                    continue;
                }
                int nc = dd.C - dc;
                steps += (size_t)(hi - lo + 1) * nc + 1;
                for (int mb = lo; mb <= hi; mb++) {
                    const int32_t *sc = src + (size_t)mb * dd.C;
                    size_t j = bo * blk + (size_t)(mb + dm) * dd.C + dc;
                    int32_t *oc = cout + j, *op = pout + j;
                    int32_t from = (int32_t)(bi * blk + (size_t)mb * dd.C);
                    for (int ct = 0; ct < nc; ct++) {
                        int32_t c0 = sc[ct];
                        if (c0 == DP_INF)
                            continue;
                        int32_t c1 = c0 + a1;
                        if (c1 < oc[ct]) {
                            oc[ct] = c1;
                            op[ct] = from + ct;
                        }
                    }
                }
            }
        }
    }
    dp->steps += (double)steps;
    /* Close the window against the fixed days after it. */
    int32_t *cl = cost + dd.per_day * (L & 1);
    int nxt = b + 1 < D ? row[b + 1] : 0, fend = 1, flen = 0;
    if (b + 1 < D)
        flen = run_fwd(row, b + 1, D, &fend);
    size_t besti = 0;
    int64_t bestc = INT64_MAX;
    /* Only the minutes some state reached, block by block, in the order of
     * the states, so that ties resolve as state by state. */
    const int *rl = brange + 2 * nblk * (L & 1);
    for (size_t bi = 0; bi < nblk; bi++) {
        if (rl[2 * bi] > rl[2 * bi + 1])
            continue;
        int r, fs, w;
        int pvv = vals[dp_block(&dd, bi, &r, &fs, &w)];
        size_t i1 = bi * blk + (size_t)(rl[2 * bi + 1] + 1) * dd.C;
        for (size_t i = bi * blk + (size_t)rl[2 * bi] * dd.C; i < i1; i++) {
            if (cl[i] == DP_INF)
                continue;
            int mb = (int)((i - bi * blk) / dd.C);
            long wm = (long)(mb + basem[L]) * dp->gmin;
            if (wm > hi_min || w + basew[L] > wkb)
                continue;
            int64_t shortfall = 0;
            if (wm < lo_min)
                shortfall =
                    (lo_min - wm + m->unit_minutes - 1) / m->unit_minutes * (int64_t)100000000;
            if (b + 1 < D) {
                int pwork = pvv >= 0, work = nxt >= 0;
                if (pwork == work) {
                    int tot = r + flen, inner = !fs && !fend;
                    if (work && (tot > lim->max_consecutive || m->forbid[pvv * S + nxt]))
                        continue;
                    if (inner && (work ? tot < lim->min_consecutive : tot < lim->min_days_off))
                        continue;
                } else {
                    if (!fs && (pwork ? r < lim->min_consecutive : r < lim->min_days_off))
                        continue;
                    if (!fend && (work ? flen < lim->min_consecutive : flen < lim->min_days_off))
                        continue;
                }
            }
            int64_t c = cl[i] + shortfall;
            if (fw) {
                long dev = out_min + wm - m->fair_target[e];
                c += (int64_t)(dev < 0 ? -dev : dev) * fw * (dp->price ? PRICE_SCALE : 1);
            }
            if (c < bestc) {
                bestc = c;
                besti = i;
            }
        }
    }
    if (bestc == INT64_MAX)
        return 0;
    size_t i = besti;
    for (int t = L; t >= 1; t--) {
        size_t q = i / ((size_t)dd.C * dd.M * dd.WB * 2 * dd.R);
        dp->row[a + t - 1] = vals[q];
        i = (size_t)prev[dd.per_day * t + i];
    }
    return 1;
}

/* row_dp, with shift types over their per-person maximum priced up and the
 * window planned again: the price starts small and triples, so the row
 * gives up the least valuable cells of that type first (a Lagrangian
 * stand-in for counting each type in the DP's state); the last try forbids
 * the extra cells outright. */
#define CAP_TRIES 7

/* How far each shift type of e's row (with dprow over [a, b]) is over its
 * maximum; returns the type furthest over, or -1 when none is. */
static int worst_over(const rs_rowdp *dp, const rs_roster *ro, int e, int a, int b, int *over)
{
    int S = dp->S, worst = -1, wn = 0;
    for (int v = 0; v < S; v++) {
        int n = ro->cnt[e * S + v];
        for (int d = a; d <= b; d++)
            n += (dp->row[d] == v) - (ro->x[(size_t)e * dp->D + d] == v);
        over[v] = n - dp->m->maxs[e * S + v];
        if (over[v] > wn && v != dp->ctype) {
            wn = over[v];
            worst = v;
        }
    }
    return worst;
}

int waras_roster__rowdp_plan(rs_rowdp *dp, const rs_roster *ro, int e, int a, int b, int prorate)
{
    int32_t extra[WARAS_ROSTER_MAX_SHIFTS];
    int over[WARAS_ROSTER_MAX_SHIFTS];
    memset(extra, 0, sizeof(extra));
    dp->ctype = -1;
    dp->priced = 0;
    int ok = row_dp(dp, ro, e, a, b, prorate, extra);
    for (int tries = 0; ok && tries < CAP_TRIES; tries++) {
        int worst = worst_over(dp, ro, e, a, b, over);
        if (worst < 0)
            break;
        if (dp->ctype < 0) {
            /* The type furthest over its maximum is counted exactly when
             * the table allows; any other is priced. */
            dp->ctype = worst;
            ok = row_dp(dp, ro, e, a, b, prorate, extra);
            if (ok || !dp->toobig)
                continue;
            dp->ctype = -2; /* no room: price them all */
        }
        /* The last try forbids the extra cells of every type that has been
         * over, so that the row does not just move on to another one. */
        for (int v = 0; v < dp->S; v++)
            if (v != dp->ctype && (over[v] > 0 || (extra[v] && tries == CAP_TRIES - 1)))
                extra[v] = tries == CAP_TRIES - 1 ? 100000 : extra[v] ? 3 * extra[v] : 2;
        dp->priced = 1;
        ok = row_dp(dp, ro, e, a, b, prorate, extra);
    }
    dp->ctype = -1;
    return ok;
}

/* Column generation's pricing: the cheapest whole row for e when each
 * shift-day earns its dual price, by the row DP in price mode. A whole
 * row's budgets do not depend on the search's own roster, so any search
 * prices alike. */
int waras_roster__rowdp_price(rs_rowdp *dp, const rs_roster *ro, int e, const double *dual,
                              const int *fix, int *row, double *cost)
{
    const rs_model *m = dp->m;
    int D = dp->D, S = dp->S;
    for (int k = 0; k < D * S; k++)
        dp->price[k] = (int32_t)lround(-dual[k] * PRICE_SCALE);
    dp->fix = fix;
    int ok = waras_roster__rowdp_plan(dp, ro, e, 0, D - 1, 0);
    dp->fix = NULL;
    if (!ok)
        return dp->toobig ? -2 : 0;
    /* The DP keeps every rule but the per-type maxima and the minimum
     * minutes, which it only prices: check them here. */
    long mins = 0;
    double earned = 0;
    int cnt[WARAS_ROSTER_MAX_SHIFTS] = {0};
    for (int d = 0; d < D; d++) {
        int v = dp->row[d];
        if (v >= 0) {
            mins += m->minutes[v];
            cnt[v]++;
            earned += dual[d * S + v];
        }
    }
    if (mins < m->lim[e].min_minutes || mins > m->lim[e].max_minutes)
        return 0;
    for (int v = 0; v < S; v++)
        if (cnt[v] > m->maxs[e * S + v])
            return 0;
    double c = waras_roster__row_cost(m, e, dp->row) - earned;
    memcpy(row, dp->row, (size_t)D * sizeof(int));
    *cost = c;
    return dp->priced ? 2 : 1;
}

/* Whether the DP's integers can carry prices for this problem. */
int waras_roster__price_fits(const rs_model *m)
{
    int64_t top = 0, w = 0;
    for (size_t i = 0; i < (size_t)m->E * m->D * m->V; i++)
        if (m->cellcost[i] > top)
            top = m->cellcost[i];
    for (int k = 0; k < m->D * m->S; k++) {
        if (m->wunder[k] > w)
            w = m->wunder[k];
        if (m->wover[k] > w)
            w = m->wover[k];
    }
    return (top + w + 1000) * PRICE_SCALE * (int64_t)(m->D + 1) < INT32_MAX / 4;
}

/* A whole row re-planned: exactly when the DP's table holds it, else in a
 * band around the current row, where the running minutes and weekends stay
 * within BAND_M shift steps and BAND_W weekends of the current row's, so
 * the state stays small over a long horizon while shifts can move anywhere.
 * This is what reaches a total-minutes minimum when every window of a few
 * weeks is already as full as its runs allow. */
#define BAND_M 32
#define BAND_W 12

int waras_roster__rowdp_lend(rs_rowdp *dp, size_t n)
{
    if (dp->alloc < n) {
        int32_t *big = realloc(dp->prev, n * sizeof(int32_t));
        if (!big)
            return 0;
        dp->prev = big;
        dp->alloc = n;
    }
    dp->cap = n;
    return 1;
}

int waras_roster__rowdp_whole(rs_rowdp *dp, const rs_roster *ro, int e)
{
    if (!waras_roster__rowdp_lend(dp, RS_DP_CAP_BAND))
        return 0;
    /* Exactly, when the table allows; else in ever narrower bands. */
    int ok = waras_roster__rowdp_plan(dp, ro, e, 0, dp->D - 1, 0);
    for (int bm = BAND_M; bm >= 2 && !ok && dp->toobig; bm /= 2) {
        dp->band_m = bm;
        dp->band_w = bm * BAND_W / BAND_M;
        ok = waras_roster__rowdp_plan(dp, ro, e, 0, dp->D - 1, 0);
    }
    dp->band_m = dp->band_w = 0;
    dp->cap = RS_DP_CAP;
    return ok;
}

void waras_roster__rowdp_unlend(rs_rowdp *dp)
{
    dp->cap = RS_DP_CAP;
}

void waras_roster__rowdp_free(rs_rowdp *dp)
{
    free(dp->vals);
    free(dp->nvals);
    free(dp->cost);
    free(dp->prev);
    free(dp->blk);
    free(dp->bbase);
    free(dp->reach);
    free(dp->row);
    memset(dp, 0, sizeof(*dp));
}

int waras_roster__rowdp_init(rs_rowdp *dp, const rs_model *m)
{
    memset(dp, 0, sizeof(*dp));
    dp->m = m;
    dp->D = m->D;
    dp->S = m->S;
    dp->V = m->V;
    dp->ctype = -1;
    dp->cap = dp->alloc = RS_DP_CAP;
    dp->cost = malloc(RS_DP_CAP * sizeof(int32_t));
    dp->prev = malloc(RS_DP_CAP * sizeof(int32_t));
    dp->row = calloc((size_t)m->D + 16, sizeof(int));
    dp->vals = calloc((size_t)m->E * m->V + 1, sizeof(int));
    dp->nvals = calloc((size_t)m->E + 1, sizeof(int));
    dp->bbase = malloc(((size_t)m->D + 1) * 2 * sizeof(int));
    dp->reach = malloc(((size_t)m->D + 1) * 2 * sizeof(long));
    if (!dp->cost || !dp->prev || !dp->row || !dp->vals || !dp->nvals || !dp->bbase || !dp->reach) {
        waras_roster__rowdp_free(dp);
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    }
    dp->gmin = 0;
    dp->maxlen = 1;
    for (int k = 0; k < m->S; k++) {
        int a = dp->gmin, b = m->minutes[k];
        while (b) {
            int t = a % b;
            a = b;
            b = t;
        }
        dp->gmin = a;
        if (m->minutes[k] > dp->maxlen)
            dp->maxlen = m->minutes[k];
    }
    if (dp->gmin <= 0)
        dp->gmin = 1;
    for (int e = 0; e < m->E; e++) {
        int n = 0;
        dp->vals[e * m->V + n++] = WARAS_ROSTER_OFF;
        for (int k = 0; k < m->S; k++)
            if (m->maxs[e * m->S + k] > 0)
                dp->vals[e * m->V + n++] = k;
        dp->nvals[e] = n;
    }
    return 0;
}

void waras_roster__roster_free(rs_roster *r)
{
    free(r->x);
    free(r->cnt);
    free(r->mins);
    free(r->nwk);
    free(r->cov);
    memset(r, 0, sizeof(*r));
}

int waras_roster__roster_init(rs_roster *r, const rs_model *m)
{
    size_t cells = (size_t)m->E * m->D;
    memset(r, 0, sizeof(*r));
    r->x = malloc((cells + 1) * sizeof(int));
    r->cnt = calloc((size_t)m->E * m->S + 1, sizeof(int));
    r->mins = calloc((size_t)m->E + 1, sizeof(long));
    r->nwk = calloc((size_t)m->E + 1, sizeof(int));
    r->cov = calloc((size_t)m->D * m->S + 1, sizeof(int));
    if (!r->x || !r->cnt || !r->mins || !r->nwk || !r->cov) {
        waras_roster__roster_free(r);
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < cells; i++)
        r->x[i] = WARAS_ROSTER_OFF;
    for (int k = 0; k < m->D * m->S; k++)
        r->cover_cost += rs_cover_pen(m, k, 0);
    for (int e = 0; e < m->E; e++)
        for (int d = 0; d < m->D; d++)
            if (!rs_allowed(m, e, d, WARAS_ROSTER_OFF))
                for (int v = 0; v < m->S; v++)
                    if (rs_allowed(m, e, d, v)) {
                        rs_set_cell(r, m, e, d, v);
                        break;
                    }
    return 0;
}

/* waras_roster__rowdp_price with a DP and a roster of its own, for tests. */
int waras_roster__price_one(const rs_model *m, int e, const double *dual, const int *fix, int *row,
                            double *cost)
{
    rs_rowdp dp;
    rs_roster r;
    if (waras_roster__rowdp_init(&dp, m))
        return -1;
    int rc = -1;
    int32_t *buf = malloc(((size_t)m->D * m->S + 1) * sizeof(int32_t));
    if (buf && !waras_roster__roster_init(&r, m)) {
        /* The DP's own table first (a tiny problem's fits), the one
         * pricing borrows when that is too small: the row is the same. */
        dp.price = buf;
        rc = waras_roster__rowdp_price(&dp, &r, e, dual, fix, row, cost);
        if (rc == -2)
            rc = waras_roster__rowdp_lend(&dp, RS_DP_CAP_PRICE)
                     ? waras_roster__rowdp_price(&dp, &r, e, dual, fix, row, cost)
                     : -1;
        waras_roster__roster_free(&r);
    }
    free(buf);
    waras_roster__rowdp_free(&dp);
    return rc;
}
