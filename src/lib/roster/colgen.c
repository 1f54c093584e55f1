/*
 * Column generation for the roster model. Each employee's row is a column;
 * the master problem picks one row per person so that the rows' request
 * costs plus the cover shortfall and surplus are least:
 *
 *   min  sum_p c_p l_p + sum_k (wunder_k u_k + wover_k o_k)
 *   s.t. sum_p a_pk l_p + u_k - o_k = req_k     for every shift-day k
 *        sum_{p of e} l_p = 1                   for every employee e
 *
 * Every hard rule concerns one person, so a column is feasible when its
 * row is, and the cheapest new column for a person is a row dynamic
 * programme with the cover rows' dual prices on the cells (the pricing
 * function the solver passes in). GLPK solves the linear relaxation, with
 * the duals smoothed between rounds; a dive on cells (fix the cells the
 * relaxation all but decides, price rows that keep them, repeat) turns it
 * into a whole roster. The pricing is exact except where more than one
 * shift type's maximum binds, so the relaxation's value is not claimed as a
 * bound. This file only builds and steers the master problem.
 */
#include <glpk.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "roster_int.h"
#include "waras/time.h"

typedef struct master {
    const rs_model *m;
    glp_prob *lp;
    int K;          /* cover rows: 1..K, convexity rows: K+1..K+E */
    int *col_emp;   /* per generated column j: its employee */
    int *col_row;   /* per generated column j: its GLPK column number */
    int *rows;      /* per generated column j: its row, D ints */
    int *age;       /* per generated column j: rounds it has been priced out */
    int ncol, cap;  /* generated columns */
    int *ind;
    double *val;
    const int *cellfix; /* E * D: cells the dive has fixed (-2: free), or NULL */
    int stalled;    /* a re-optimisation stalled: no more limits, GLPK's default updates */
    const rs_clock *clk; /* the deadlines' clock, or NULL for waras_clock_seconds() */
} master;

/* Where the run is on the deadlines' clock. */
static double clock_now(const master *ms)
{
    return ms->clk && ms->clk->now ? ms->clk->now(ms->clk->user) : waras_clock_seconds();
}

/* The waras_clock_seconds() instant that a call given deadline must not run
 * past: the deadline itself on the wall clock, the cap on a work clock. */
static double wall_deadline(const master *ms, double deadline)
{
    return ms->clk && ms->clk->now ? ms->clk->cap : deadline;
}

static int add_column(master *ms, int e, const int *row)
{
    const rs_model *m = ms->m;
    /* The same row twice would only slow the simplex down. */
    for (int j = 0; j < ms->ncol; j++)
        if (ms->col_emp[j] == e && !memcmp(ms->rows + (size_t)j * m->D, row, (size_t)m->D * sizeof(int)))
            return 0;
    if (ms->ncol == ms->cap) {
        int cap = ms->cap ? 2 * ms->cap : 256;
        int *ce = realloc(ms->col_emp, (size_t)cap * sizeof(int));
        if (ce)
            ms->col_emp = ce;
        int *rw = realloc(ms->rows, (size_t)cap * m->D * sizeof(int));
        if (rw)
            ms->rows = rw;
        int *cr = realloc(ms->col_row, (size_t)cap * sizeof(int));
        if (cr)
            ms->col_row = cr;
        int *ag = realloc(ms->age, (size_t)cap * sizeof(int));
        if (ag)
            ms->age = ag;
        if (!ce || !rw || !cr || !ag)
            return -1;
        ms->cap = cap;
    }
    memcpy(ms->rows + (size_t)ms->ncol * m->D, row, (size_t)m->D * sizeof(int));
    ms->col_emp[ms->ncol] = e;
    ms->age[ms->ncol] = 0;
    int j = glp_add_cols(ms->lp, 1);
    ms->col_row[ms->ncol] = j;
    ms->ncol++;
    glp_set_col_bnds(ms->lp, j, GLP_LO, 0.0, 0.0);
    glp_set_obj_coef(ms->lp, j, waras_roster__row_cost(m, e, row));
    int n = 0;
    for (int d = 0; d < m->D; d++)
        if (row[d] >= 0) {
            n++;
            ms->ind[n] = 1 + d * m->S + row[d];
            ms->val[n] = 1.0;
        }
    n++;
    ms->ind[n] = ms->K + 1 + e;
    ms->val[n] = 1.0;
    glp_set_mat_col(ms->lp, j, n, ms->ind, ms->val);
    return 1;
}

/* Column management: a column that has stayed out of the basis with a
 * positive reduced cost for PRUNE_AGE rounds in a row is deleted, since
 * the simplex slows down with every column and most columns priced while
 * the duals head in are never used. A deleted column that is wanted again
 * is priced again. (Measurements: docs/roster.md, the search, step 4.) */
#define PRUNE_AGE 5
#define PRUNE_RC 1e-6

static int prune(master *ms)
{
    const int D = ms->m->D;
    int *del = malloc(((size_t)ms->ncol + 1) * sizeof(int));
    if (!del)
        return -1;
    int n = 0, keep = 0;
    for (int j = 0; j < ms->ncol; j++) {
        int c = ms->col_row[j];
        if (glp_get_col_stat(ms->lp, c) != GLP_BS && glp_get_col_dual(ms->lp, c) > PRUNE_RC)
            ms->age[j]++;
        else
            ms->age[j] = 0;
        if (ms->age[j] >= PRUNE_AGE) {
            del[++n] = c;
            continue;
        }
        /* GLPK renumbers the columns after the deleted ones. */
        ms->col_row[keep] = c - n;
        ms->col_emp[keep] = ms->col_emp[j];
        ms->age[keep] = ms->age[j];
        if (keep != j)
            memcpy(ms->rows + (size_t)keep * D, ms->rows + (size_t)j * D, (size_t)D * sizeof(int));
        keep++;
    }
    if (n)
        glp_del_cols(ms->lp, n, del);
    ms->ncol = keep;
    free(del);
    return n;
}

/* Dual smoothing (Wentges): pricing at a point between the duals that gave
 * the best Lagrangian value so far (the centre) and the master's current
 * duals damps the oscillation of the duals that otherwise leaves the master
 * degenerate for many rounds. The weight on the centre starts at SMOOTH
 * and adapts every round (after Pessoa, Sadykov, Uchoa and Vanderbeck,
 * 2018): where the Lagrangian's subgradient at the point priced leans
 * towards the master's duals, the centre held the duals back and weighs
 * SMOOTH_STEP less; otherwise it weighs more, at most SMOOTH_MAX. */
#define SMOOTH 0.5
#define SMOOTH_STEP 0.1
#define SMOOTH_MAX 0.9
/* Column generation stops when the relaxation is this close (relatively) to
 * the best Lagrangian value. */
#define LAG_GAP 1e-3
/* Column generation gives up when its first round of pricing takes more
 * than 1/FIRST_ROUND_SHARE of its time: it needs some 30 to 120 rounds to
 * converge, and a first round is slower than the rest, so this leaves room
 * for a relaxation that at least guides the dives. */
#define FIRST_ROUND_SHARE 28
/* Where pricing is not exact there is no bound to stop at: column
 * generation stops when TAIL_ROUNDS rounds have brought the relaxation down
 * by less than TAIL_GAP of its value and fewer than half the people got a
 * new row (early on, while the duals settle, the master can stay put for
 * many rounds with a new row for everyone). */
#define TAIL_ROUNDS 10
#define TAIL_GAP 5e-4

typedef struct pricer {
    rs_price_fn fn;
    void *user;
    double *out;    /* K: the master's duals */
    double *sep;    /* K: where the rows are priced */
    double *centre; /* K */
    double lag;     /* Lagrangian value at the centre */
    int exact;      /* lag is a bound: every row there was surely the cheapest */
    int have_centre;
    double alpha;   /* the smoothing's weight on the centre */
    int *rows;      /* E * D: the rows priced */
    double *costs;  /* E */
    int *status;    /* E */
} pricer;

/* The Lagrangian value at the duals sep, from the people's cheapest rows:
 * every cover row earns its dual on the requirement. */
static double lagrange(const master *ms, const double *sep, double rows)
{
    double v = rows;
    for (int k = 0; k < ms->K; k++)
        v += sep[k] * ms->m->req[k];
    return v;
}

/* Prices each person at duals w and adds every row whose reduced cost at
 * the master's duals is negative. Sets *lag to the Lagrangian value at w
 * when every person got a row, else -HUGE_VAL, and *exact to whether every
 * row was surely the cheapest (only then is *lag a bound). Returns the
 * number added, or -1 (error) or -2 (pricing impossible). */
static int price_at(master *ms, pricer *pr, const double *w, double deadline, double *lag, int *exact)
{
    const rs_model *m = ms->m;
    int added = 0, all = 1;
    *exact = 1;
    double rows = 0;
    int rc = pr->fn(pr->user, w, ms->cellfix, wall_deadline(ms, deadline), pr->rows, pr->costs, pr->status);
    if (rc < 0)
        return rc;
    for (int e = 0; e < m->E; e++) {
        int ok = pr->status[e];
        const int *row = pr->rows + (size_t)e * m->D;
        double c = pr->costs[e];
        if (!ok) {
            all = 0;
            continue;
        }
        if (ok == 2)
            *exact = 0; /* a good row, not surely the cheapest */
        rows += c;
        if (w != pr->out) /* the row's reduced cost at the master's duals */
            for (int d = 0; d < m->D; d++)
                if (row[d] >= 0)
                    c += w[d * m->S + row[d]] - pr->out[d * m->S + row[d]];
        if (c - glp_get_row_dual(ms->lp, ms->K + 1 + e) < -1e-6) {
            int r = add_column(ms, e, row);
            if (r < 0)
                return -1;
            added += r;
        }
    }
    *lag = all ? lagrange(ms, w, rows) : -HUGE_VAL;
    *exact = *exact && all;
    return added;
}

/* Adapts the smoothing to the rows just priced at sep, every one of them
 * surely the person's cheapest: the subgradient there is each cover row's
 * requirement less the cover of those rows. Where the pricing is not exact
 * the rows give no subgradient, and the weight stays. */
static void adapt_smoothing(const master *ms, pricer *pr)
{
    const rs_model *m = ms->m;
    double lean = 0; /* the subgradient times (out - sep) */
    for (int k = 0; k < ms->K; k++)
        lean += m->req[k] * (pr->out[k] - pr->sep[k]);
    for (int e = 0; e < m->E; e++)
        for (int d = 0; d < m->D; d++) {
            int v = pr->rows[(size_t)e * m->D + d];
            if (v >= 0)
                lean -= pr->out[d * m->S + v] - pr->sep[d * m->S + v];
        }
    if (lean > 0)
        pr->alpha = fmax(0.0, pr->alpha - SMOOTH_STEP);
    else
        pr->alpha = fmin(SMOOTH_MAX, pr->alpha + SMOOTH_STEP * (1 - pr->alpha));
}

/* One round of pricing: at the smoothed point first, and at the master's
 * own duals when that finds nothing (a mispricing), so that a round that
 * adds nothing proves the master optimal. */
static int price_round(master *ms, pricer *pr, double deadline)
{
    int K = ms->K, added = 0, exact;
    double lag;
    for (int k = 0; k < K; k++)
        pr->out[k] = glp_get_row_dual(ms->lp, 1 + k);
    /* No Lagrangian value exceeds the master's: a centre whose value does
     * had rows that were not the cheapest (the pricing is not exact), and
     * its value is never beaten, so the smoothing pulls the duals back to
     * it for good. It is dropped, and the next centre taken afresh. */
    double obj = glp_get_obj_val(ms->lp);
    if (pr->have_centre && !ms->cellfix && pr->lag > obj + LAG_GAP * fabs(obj)) {
        pr->have_centre = 0;
        pr->lag = -HUGE_VAL;
    }
    if (pr->have_centre && !ms->cellfix) {
        for (int k = 0; k < K; k++)
            pr->sep[k] = pr->alpha * pr->centre[k] + (1 - pr->alpha) * pr->out[k];
        added = price_at(ms, pr, pr->sep, deadline, &lag, &exact);
        if (added < 0)
            return added;
        if (exact)
            adapt_smoothing(ms, pr);
        if (lag > pr->lag) {
            memcpy(pr->centre, pr->sep, (size_t)K * sizeof(double));
            pr->lag = lag;
            pr->exact = exact;
        }
        if (added)
            return added;
    }
    added = price_at(ms, pr, pr->out, deadline, &lag, &exact);
    if (added >= 0 && !ms->cellfix && (!pr->have_centre || lag > pr->lag)) {
        memcpy(pr->centre, pr->out, (size_t)K * sizeof(double));
        pr->lag = lag;
        pr->exact = exact;
        pr->have_centre = lag > -HUGE_VAL;
    }
    return added;
}

/* The basis factorisation: while pricing, GLPK refactorises after
 * LP_UPDATES basis updates instead of its default 100, since almost every
 * basic column is a person's row and the factors are dense, so each
 * refactorisation is dear. The dives keep the default: with more, their
 * primal simplex stalled. */
#define LP_UPDATES 500
#define LP_UPDATES_DIVE 100
/* A re-optimisation that takes more than STALL_ITERS iterations a row (plus
 * STALL_BASE) has stalled: GLPK's primal simplex can cycle on this
 * degenerate master. It is started again from the basis it had, with
 * GLPK's default refactorisation for the rest of the run. */
#define STALL_ITERS 10
#define STALL_BASE 5000

static void set_updates(master *ms, int n)
{
    glp_bfcp bp;
    glp_get_bfcp(ms->lp, &bp);
    if (bp.nfs_max != n) {
        bp.nfs_max = n;
        glp_set_bfcp(ms->lp, &bp);
    }
}

/* The statuses of the master's rows, then its columns (malloc'd; NULL when
 * out of memory). */
static unsigned char *basis_get(const master *ms)
{
    int nr = glp_get_num_rows(ms->lp), nc = glp_get_num_cols(ms->lp);
    unsigned char *b = malloc((size_t)nr + nc + 1);
    for (int i = 1; b && i <= nr; i++)
        b[i - 1] = (unsigned char)glp_get_row_stat(ms->lp, i);
    for (int j = 1; b && j <= nc; j++)
        b[nr + j - 1] = (unsigned char)glp_get_col_stat(ms->lp, j);
    return b;
}

/* Sets the statuses b (rows, then columns) that basis_get took. */
static void basis_set(master *ms, const unsigned char *b)
{
    int nr = glp_get_num_rows(ms->lp), nc = glp_get_num_cols(ms->lp);
    for (int i = 1; i <= nr; i++)
        glp_set_row_stat(ms->lp, i, b[i - 1]);
    for (int j = 1; j <= nc; j++)
        glp_set_col_stat(ms->lp, j, b[nr + j - 1]);
}

static int simplex(master *ms, glp_smcp *sp, double deadline, int limit)
{
    if (ms->clk && ms->clk->now && clock_now(ms) >= deadline)
        return GLP_ETMLIM;
    double left = wall_deadline(ms, deadline) - waras_clock_seconds();
    if (left <= 0)
        return GLP_ETMLIM;
    sp->tm_lim = left > 1e6 ? INT32_MAX : (int)(left * 1000) + 1;
    sp->it_lim = limit;
    int it0 = glp_get_it_cnt(ms->lp);
    int r = glp_simplex(ms->lp, sp);
    if (ms->clk && ms->clk->spend)
        ms->clk->spend(ms->clk->user, (long)glp_get_it_cnt(ms->lp) - it0);
    return r;
}

/* Re-optimises the master within the time left before deadline; 1 when it
 * is optimal. The dual simplex suits a master whose bounds just changed. */
static int solve_lp(master *ms, glp_smcp *sp, double deadline, int dual)
{
    int nr = glp_get_num_rows(ms->lp);
    sp->meth = dual ? GLP_DUALP : GLP_PRIMAL;
    /* The statuses it starts from; without them (it stalled before, or no
     * memory) it runs unguarded. */
    unsigned char *basis = ms->stalled ? NULL : basis_get(ms);
    int r = simplex(ms, sp, deadline, basis ? STALL_ITERS * nr + STALL_BASE : INT32_MAX);
    if (r == GLP_EITLIM) {
        basis_set(ms, basis);
        ms->stalled = 1;
        set_updates(ms, LP_UPDATES_DIVE);
        r = simplex(ms, sp, deadline, INT32_MAX);
    }
    free(basis);
    return r == 0 && glp_get_status(ms->lp) == GLP_OPT;
}

/* The objective of the roster that gives each person column pick[e]. */
static double roster_cost(const master *ms, const int *pick, int *have)
{
    const rs_model *m = ms->m;
    int K = ms->K;
    double c = 0;
    memset(have, 0, (size_t)K * sizeof(int));
    for (int e = 0; e < m->E; e++) {
        const int *row = ms->rows + (size_t)pick[e] * m->D;
        c += glp_get_obj_coef(ms->lp, ms->col_row[pick[e]]);
        for (int d = 0; d < m->D; d++)
            if (row[d] >= 0)
                have[d * m->S + row[d]]++;
    }
    for (int k = 0; k < K; k++)
        c += have[k] < m->req[k] ? (double)(m->req[k] - have[k]) * m->wunder[k]
                                 : (double)(have[k] - m->req[k]) * m->wover[k];
    return c;
}

/* Diving on cells: the relaxation gives each person's cell (d, v) the
 * weight of the columns that work v on day d. Cells of weight 0 or 1 are
 * settled; each step takes, for the people whose row is still fractional,
 * the heaviest unsettled cell (all those of weight >= DIVE_CELL, else the
 * heaviest tenth). It fixes that cell, and every other unsettled cell of
 * weight >= DIVE_CELL on which the person's heaviest column through that
 * cell agrees; it bars the columns that disagree, prices rows that keep
 * every fixed cell, and re-solves. That column keeps all the new cells, so
 * the master stays feasible; fixing many cells a step keeps the dive to a
 * few dozen steps.
 *
 * The first dive must finish in its time, and goes faster: it takes at
 * least one fractional person in DIVE_SHARE a step, and also fixes every
 * cell on which (nearly) all the weight of the columns through the chosen
 * cell agrees with that column (a degenerate relaxation, whose weight moves
 * between columns that agree on most cells, has few strong cells). Taking
 * many people at once late in the dive raises the relaxation, so once it
 * is DIVE_RISE above where the dive began the first dive takes as many
 * people a step as the later dives (still fixing the cells its columns
 * agree on). Later dives keep the careful steps, which end better.
 *
 * A dive ends when the relaxation is whole, or at the deadline; every
 * step's rounding (each person's heaviest column) is a roster, and the best
 * wins. */
#define DIVE_CELL 0.8
#define DIVE_SHARE 3
#define DIVE_AGREE 0.99
#define DIVE_RISE 0.01
#define DIVE_ROUNDS 3 /* rounds of pricing per step, at most */
#define DIVE_JITTER 0.5 /* later dives scale each weight by 1 +- DIVE_JITTER / 2 */

static uint32_t xorshift(uint32_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return *x;
}

static int dive(master *ms, glp_smcp *sp, pricer *pr, double deadline, uint32_t *rng, int first, int *out,
                double *outcost)
{
    const rs_model *m = ms->m;
    int E = m->E, D = m->D, S = m->S, V = S + 1, rc = 0;
    int *cellfix = malloc(((size_t)E * D + 1) * sizeof(int));
    double *wt = malloc(((size_t)E * D * V + 1) * sizeof(double));
    int *heavy = malloc(((size_t)E + 1) * sizeof(int));
    double *hw = malloc(((size_t)E + 1) * sizeof(double));
    int *cd = malloc(((size_t)E + 1) * sizeof(int)), *cv = malloc(((size_t)E + 1) * sizeof(int));
    double *cw = malloc(((size_t)E + 1) * sizeof(double));
    int *bestpick = malloc(((size_t)E + 1) * sizeof(int));
    int *have = malloc(((size_t)ms->K + 1) * sizeof(int));
    int *newd = malloc(((size_t)D + 1) * sizeof(int));
    double *agree = malloc(((size_t)D + 1) * sizeof(double));
    double best = HUGE_VAL, lp0 = 0;
    if (!cellfix || !wt || !heavy || !hw || !cd || !cv || !cw || !bestpick || !have || !newd || !agree) {
        rc = -1;
        goto done;
    }
    for (size_t i = 0; i < (size_t)E * D; i++)
        cellfix[i] = -2;
    ms->cellfix = cellfix;
    for (int step = 0;; step++) {
        if (step > 0 && !solve_lp(ms, sp, deadline, 1))
            break; /* out of time: the best rounding stands */
        int bad = 0;
        for (int i = 0; i < DIVE_ROUNDS; i++) {
            int r = price_round(ms, pr, deadline);
            if (r < 0) {
                rc = r == -2 ? 0 : -1;
                bad = 1;
            } else if (r > 0 && !solve_lp(ms, sp, deadline, 0)) {
                bad = 1;
            }
            if (bad || r == 0)
                break;
        }
        if (bad)
            break;
        memset(wt, 0, (size_t)E * D * V * sizeof(double));
        for (int e = 0; e < E; e++)
            heavy[e] = -1;
        for (int j = 0; j < ms->ncol; j++) {
            int e = ms->col_emp[j];
            double w = glp_get_col_prim(ms->lp, ms->col_row[j]);
            if (heavy[e] < 0 || w > hw[e]) {
                heavy[e] = j;
                hw[e] = w;
            }
            if (w < 1e-9)
                continue;
            const int *row = ms->rows + (size_t)j * D;
            for (int d = 0; d < D; d++)
                wt[((size_t)e * D + d) * V + row[d] + 1] += w;
        }
        double rcost = roster_cost(ms, heavy, have);
        if (rcost < best) {
            best = rcost;
            memcpy(bestpick, heavy, (size_t)E * sizeof(int));
        }
        /* Each person's heaviest fractional cell. */
        int nfrac = 0, strong = 0;
        for (int e = 0; e < E; e++) {
            cw[e] = 0;
            for (int d = 0; d < D; d++) {
                if (cellfix[(size_t)e * D + d] != -2)
                    continue;
                const double *c = wt + ((size_t)e * D + d) * V;
                for (int v = 0; v < V; v++)
                    if (c[v] > 1e-6 && c[v] < 1 - 1e-6 && c[v] > cw[e]) {
                        cw[e] = c[v];
                        cd[e] = d;
                        cv[e] = v - 1;
                    }
            }
            nfrac += cw[e] > 0;
            strong += cw[e] >= DIVE_CELL;
        }
        if (nfrac == 0)
            break; /* whole; a late step ends at the next re-solve */
        /* The first dive takes its larger share only while its relaxation
         * stays within DIVE_RISE of where it started. */
        double lp = glp_get_obj_val(ms->lp);
        if (step == 0)
            lp0 = lp;
        int want = strong;
        if (first && lp <= lp0 + DIVE_RISE * fabs(lp0) && want < (nfrac + DIVE_SHARE - 1) / DIVE_SHARE)
            want = (nfrac + DIVE_SHARE - 1) / DIVE_SHARE;
        else if (!want)
            want = (nfrac + 9) / 10;
        /* A later dive goes another way: the weights are jittered. */
        for (int e = 0; e < E; e++)
            if (cw[e] > 0 && rng)
                cw[e] *= 1 + DIVE_JITTER * ((double)xorshift(rng) / UINT32_MAX - 0.5);
        for (int n = 0; n < want; n++) {
            int top = -1;
            for (int e = 0; e < E; e++)
                if (cw[e] > 0 && (top < 0 || cw[e] > cw[top]))
                    top = e;
            cw[top] = 0;
            /* The heaviest column that keeps this cell: its other cells
             * that weigh DIVE_CELL or more are fixed along, so that a
             * person's row settles in a few steps and the column stays. */
            int *fx = cellfix + (size_t)top * D, hc = -1;
            double hwt = -1;
            for (int j = 0; j < ms->ncol; j++) {
                if (ms->col_emp[j] != top || ms->rows[(size_t)j * D + cd[top]] != cv[top])
                    continue;
                double w = glp_get_col_prim(ms->lp, ms->col_row[j]);
                if (w > hwt) {
                    hwt = w;
                    hc = j;
                }
            }
            int nnew = 0;
            newd[nnew++] = cd[top];
            fx[cd[top]] = cv[top];
            /* Among the columns through this cell, the weight that agrees
             * with the heaviest one, day by day. */
            const int *hr = hc >= 0 ? ms->rows + (size_t)hc * D : NULL;
            double through = 0;
            memset(agree, 0, (size_t)D * sizeof(double));
            for (int j = 0; first && hr && j < ms->ncol; j++) {
                const int *row = ms->rows + (size_t)j * D;
                double w = ms->col_emp[j] == top && row[cd[top]] == cv[top]
                               ? glp_get_col_prim(ms->lp, ms->col_row[j])
                               : 0;
                if (w < 1e-9)
                    continue;
                through += w;
                for (int d = 0; d < D; d++)
                    if (row[d] == hr[d])
                        agree[d] += w;
            }
            for (int d = 0; hr && d < D; d++) {
                double c = wt[((size_t)top * D + d) * V + hr[d] + 1];
                int strong_cell = c >= DIVE_CELL && c < 1 - 1e-6;
                int agreed = first && through > 0 && agree[d] >= DIVE_AGREE * through;
                if (fx[d] == -2 && (strong_cell || agreed)) {
                    fx[d] = hr[d];
                    newd[nnew++] = d;
                }
            }
            for (int j = 0; j < ms->ncol; j++) {
                if (ms->col_emp[j] != top)
                    continue;
                const int *row = ms->rows + (size_t)j * D;
                int keep = 1;
                for (int i = 0; i < nnew && keep; i++)
                    keep = row[newd[i]] == fx[newd[i]];
                if (!keep)
                    glp_set_col_bnds(ms->lp, ms->col_row[j], GLP_FX, 0.0, 0.0);
            }
        }
    }
    if (best < HUGE_VAL) {
        for (int e = 0; e < E; e++)
            memcpy(out + (size_t)e * D, ms->rows + (size_t)bestpick[e] * D, (size_t)D * sizeof(int));
        *outcost = best;
        rc = 1;
    }
done:
    /* Free every column again for the next dive. */
    for (int j = 0; j < ms->ncol; j++)
        glp_set_col_bnds(ms->lp, ms->col_row[j], GLP_LO, 0.0, 0.0);
    ms->cellfix = NULL;
    free(cellfix);
    free(wt);
    free(heavy);
    free(hw);
    free(cd);
    free(cv);
    free(cw);
    free(bestpick);
    free(have);
    free(newd);
    free(agree);
    return rc;
}

/* The master's rows (cover, then one a person) and its shortfall and
 * surplus columns, with the pricer's buffers: 0, or -1 when out of memory. */
static int master_init(master *ms, pricer *pr, const rs_model *m, rs_price_fn price, void *user)
{
    int D = m->D, E = m->E, K = D * m->S;
    ms->m = m;
    ms->K = K;
    glp_term_out(GLP_OFF);
    ms->lp = glp_create_prob();
    ms->ind = malloc(((size_t)D + 3) * sizeof(int));
    ms->val = malloc(((size_t)D + 3) * sizeof(double));
    *pr = (pricer){.fn = price, .user = user, .lag = -HUGE_VAL, .alpha = SMOOTH};
    pr->out = malloc(((size_t)K + 1) * sizeof(double));
    pr->sep = malloc(((size_t)K + 1) * sizeof(double));
    pr->centre = malloc(((size_t)K + 1) * sizeof(double));
    pr->rows = malloc(((size_t)E * D + 1) * sizeof(int));
    pr->costs = malloc(((size_t)E + 1) * sizeof(double));
    pr->status = malloc(((size_t)E + 1) * sizeof(int));
    if (!ms->lp || !ms->ind || !ms->val || !pr->out || !pr->sep || !pr->centre || !pr->rows || !pr->costs ||
        !pr->status)
        return -1;
    glp_set_obj_dir(ms->lp, GLP_MIN);
    glp_add_rows(ms->lp, K + E);
    for (int k = 0; k < K; k++)
        glp_set_row_bnds(ms->lp, 1 + k, GLP_FX, m->req[k], m->req[k]);
    for (int e = 0; e < E; e++)
        glp_set_row_bnds(ms->lp, K + 1 + e, GLP_FX, 1.0, 1.0);
    /* Shortfall and surplus columns: 1..K and K+1..2K. */
    glp_add_cols(ms->lp, 2 * K);
    for (int k = 0; k < K; k++) {
        int i1[2] = {0, 1 + k};
        double pu[2] = {0, 1.0}, po[2] = {0, -1.0};
        glp_set_col_bnds(ms->lp, 1 + k, GLP_LO, 0.0, 0.0);
        glp_set_obj_coef(ms->lp, 1 + k, m->wunder[k]);
        glp_set_mat_col(ms->lp, 1 + k, 1, i1, pu);
        glp_set_col_bnds(ms->lp, 1 + K + k, GLP_LO, 0.0, 0.0);
        glp_set_obj_coef(ms->lp, 1 + K + k, m->wover[k]);
        glp_set_mat_col(ms->lp, 1 + K + k, 1, i1, po);
    }
    return 0;
}

static void master_free(master *ms, pricer *pr)
{
    if (ms->lp)
        glp_delete_prob(ms->lp);
    free(ms->col_emp);
    free(ms->col_row);
    free(ms->age);
    free(ms->rows);
    free(ms->ind);
    free(ms->val);
    free(pr->out);
    free(pr->sep);
    free(pr->centre);
    free(pr->rows);
    free(pr->costs);
    free(pr->status);
    glp_free_env(); /* this thread's */
}

/* The columns and optimal basis of the master, for a twin to dive from. */
static rs_cg_snap *snap_take(const master *ms, double bound)
{
    const rs_model *m = ms->m;
    rs_cg_snap *sn = calloc(1, sizeof *sn);
    if (!sn)
        return NULL;
    sn->ncol = ms->ncol;
    sn->bound = bound;
    sn->col_emp = malloc(((size_t)ms->ncol + 1) * sizeof(int));
    sn->rows = malloc(((size_t)ms->ncol * m->D + 1) * sizeof(int));
    sn->stat = basis_get(ms);
    if (!sn->col_emp || !sn->rows || !sn->stat) {
        waras_roster__snap_free(sn);
        return NULL;
    }
    memcpy(sn->col_emp, ms->col_emp, (size_t)ms->ncol * sizeof(int));
    memcpy(sn->rows, ms->rows, (size_t)ms->ncol * m->D * sizeof(int));
    return sn;
}

void waras_roster__snap_free(rs_cg_snap *sn)
{
    if (!sn)
        return;
    free(sn->col_emp);
    free(sn->rows);
    free(sn->stat);
    free(sn);
}

/* Dives until the time is up or a roster meets the bound: the first dive
 * is the fast one and follows the weights (jittered too when twin), the
 * later ones jitter them, and the cheapest roster wins. With share, the
 * master as the first dive finds it goes to share once. bound is -HUGE_VAL
 * when there is none: a roster at the relaxation's own value is then the
 * most the dives can hope for. Returns 1 with a roster in out, 0 without one, -1 when out
 * of memory. */
static int dive_all(master *ms, glp_smcp *sp, pricer *pr, double bound, double dive_deadline,
                    double redive_deadline, uint32_t rng, int twin, rs_snap_fn share, void *user, int *out,
                    rs_cg_stats *st)
{
    const rs_model *m = ms->m;
    int E = m->E, D = m->D, rc = 0, gained = 0;
    int *tmp = malloc(((size_t)E * D + 1) * sizeof(int));
    if (!tmp)
        return -1;
    double best = HUGE_VAL;
    for (int n = 0;; n++) {
        /* A dive after one that found a better roster may also run until
         * the first dive's deadline: the first dive can end late, and the
         * dives from the columns it left improve on it in a few seconds. */
        double until = n == 0 || gained ? dive_deadline : redive_deadline;
        gained = 0;
        /* A later dive re-solves from where the dive before it ended: the
         * relaxation comes back to its value at a point near that dive's
         * roster, and the next dive searches around it (restarting from the
         * relaxation's first optimal basis is quicker but dives worse). */
        if (!solve_lp(ms, sp, until, 0))
            break;
        if (n == 0 && bound == -HUGE_VAL)
            bound = ceil(glp_get_obj_val(ms->lp) - 1e-6);
        if (n == 0 && share) {
            rs_cg_snap *sn = snap_take(ms, bound);
            if (sn)
                share(user, sn);
        }
        if (best <= bound + 1e-6)
            break;
        double c = HUGE_VAL;
        int r = dive(ms, sp, pr, until, n || twin ? &rng : NULL, n == 0, tmp, &c);
        st->dives++;
        if (r < 0) {
            rc = -1;
            break;
        }
        if (r == 1 && c < best) {
            best = c;
            gained = 1;
            st->gains++;
            memcpy(out, tmp, (size_t)E * D * sizeof(int));
            rc = 1;
        }
        if (r == 0)
            break;
    }
    free(tmp);
    return rc;
}

int waras_roster__colgen(const rs_model *m, const int *incumbent, const int *other, rs_price_fn price,
                         void *user, rs_snap_fn share, const rs_clock *clk, double deadline,
                         double dive_deadline, double redive_deadline, int *out, rs_cg_stats *stats)
{
    int E = m->E, D = m->D, rc = 0;
    rs_cg_stats st = {0};
    master ms = {0};
    pricer pr = {0};
    ms.clk = clk;
    if (master_init(&ms, &pr, m, price, user)) {
        rc = -1;
        goto done;
    }
    for (int e = 0; e < E; e++)
        if (add_column(&ms, e, incumbent + (size_t)e * D) < 0 ||
            (other && add_column(&ms, e, other + (size_t)e * D) < 0)) {
            rc = -1;
            goto done;
        }
    set_updates(&ms, LP_UPDATES);
    glp_smcp sp;
    glp_init_smcp(&sp);
    sp.msg_lev = GLP_MSG_OFF;
    double start = clock_now(&ms), tail[TAIL_ROUNDS];
    for (;;) {
        if (!solve_lp(&ms, &sp, deadline, 0))
            break;
        int np = prune(&ms);
        if (np < 0) {
            rc = -1;
            goto done;
        }
        st.pruned += np;
        double t = clock_now(&ms);
        int added = price_round(&ms, &pr, deadline);
        if (added < 0) {
            rc = added == -2 ? 0 : -1;
            goto done;
        }
        /* Pricing this slow cannot converge in time (it takes some 30 to
         * 60 rounds): leave the time to the search. */
        st.rounds++;
        if (st.rounds == 1 && clock_now(&ms) - t > (deadline - start) / FIRST_ROUND_SHARE)
            goto done;
        /* Converged, or as good as: the Lagrangian value bounds the
         * relaxation from below (when every row was priced exactly), or
         * the relaxation has tailed off (when some row was not). */
        double obj = glp_get_obj_val(ms.lp);
        if ((!added && clock_now(&ms) < deadline) ||
            (pr.exact && obj - pr.lag <= LAG_GAP * fabs(obj)) ||
            (st.rounds > TAIL_ROUNDS && 2 * added < E &&
             tail[st.rounds % TAIL_ROUNDS] - obj <= TAIL_GAP * fabs(obj)))
            break;
        tail[st.rounds % TAIL_ROUNDS] = obj;
    }
    /* A relaxation that has not converged in its time still guides a dive:
     * the dives take seconds, and the search keeps its own roster when it
     * is better. */
    if (ms.ncol <= E)
        goto done;
    set_updates(&ms, LP_UPDATES_DIVE);
    /* An exact Lagrangian value bounds every roster from below. */
    rc = dive_all(&ms, &sp, &pr, pr.exact ? ceil(pr.lag - 1e-6) : -HUGE_VAL, dive_deadline, redive_deadline,
                  2463534242u, 0, share, user, out, &st);
done:
    if (stats)
        *stats = st;
    master_free(&ms, &pr);
    return rc;
}

int waras_roster__colgen_twin(const rs_model *m, const rs_cg_snap *sn, rs_price_fn price, void *user,
                              const rs_clock *clk, uint32_t seed, double dive_deadline,
                              double redive_deadline, int *out, rs_cg_stats *stats)
{
    int rc = 0;
    rs_cg_stats st = {0};
    master ms = {0};
    pricer pr = {0};
    ms.clk = clk;
    if (master_init(&ms, &pr, m, price, user)) {
        rc = -1;
        goto done;
    }
    for (int j = 0; j < sn->ncol; j++)
        if (add_column(&ms, sn->col_emp[j], sn->rows + (size_t)j * m->D) < 0) {
            rc = -1;
            goto done;
        }
    /* The same rows and columns in the same order: the basis carries over,
     * and the first solve only factorises it. */
    if (ms.ncol == sn->ncol)
        basis_set(&ms, sn->stat);
    set_updates(&ms, LP_UPDATES_DIVE);
    glp_smcp sp;
    glp_init_smcp(&sp);
    sp.msg_lev = GLP_MSG_OFF;
    rc = dive_all(&ms, &sp, &pr, sn->bound, dive_deadline, redive_deadline, seed ? seed : 1, 1, NULL, NULL, out,
                  &st);
done:
    if (stats)
        *stats = st;
    master_free(&ms, &pr);
    return rc;
}
