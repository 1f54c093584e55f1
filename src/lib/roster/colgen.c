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
 * function the solver passes in). GLPK solves the linear relaxation; a dive
 * (fix the rows the relaxation has chosen, price again, repeat) turns it
 * into a whole roster. The pricing is exact except where more than one
 * shift type's maximum binds, so the relaxation's value is not claimed as a
 * bound. This file only builds and steers the master problem.
 */
#include <glpk.h>
#include <stdlib.h>
#include <string.h>

#include "roster_int.h"

typedef struct master {
    const rs_model *m;
    glp_prob *lp;
    int K;          /* cover rows: 1..K, convexity rows: K+1..K+E */
    int *col_emp;   /* per generated column j: its employee */
    int *col_row;   /* per generated column j: its GLPK column number */
    int *rows;      /* per generated column j: its row, D ints */
    int ncol, cap;  /* generated columns */
    int *ind;
    double *val;
} master;

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
        if (!ce || !rw || !cr)
            return -1;
        ms->cap = cap;
    }
    memcpy(ms->rows + (size_t)ms->ncol * m->D, row, (size_t)m->D * sizeof(int));
    ms->col_emp[ms->ncol] = e;
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

/* One round of pricing over the people not yet fixed: adds every column
 * of negative reduced cost. Returns the number added, or a negative value
 * (-1 error, -2 pricing impossible). */
static int price_round(master *ms, rs_price_fn price, void *user, const int *fixed, double deadline,
                       double *dual, int *row)
{
    const rs_model *m = ms->m;
    int added = 0;
    for (int k = 0; k < ms->K; k++)
        dual[k] = glp_get_row_dual(ms->lp, 1 + k);
    for (int e = 0; e < m->E && waras_roster__now() < deadline; e++) {
        if (fixed && fixed[e] >= 0)
            continue;
        double mu = glp_get_row_dual(ms->lp, ms->K + 1 + e), c;
        int ok = price(user, e, dual, row, &c);
        if (ok < 0)
            return ok;
        if (ok && c - mu < -1e-6) {
            int r = add_column(ms, e, row);
            if (r < 0)
                return -1;
            added += r;
        }
    }
    return added;
}

static void fix_column(master *ms, int *fixed, int j)
{
    fixed[ms->col_emp[j]] = j;
    glp_set_col_bnds(ms->lp, ms->col_row[j], GLP_FX, 1.0, 1.0);
}

/* Diving: fix the people whose relaxation is (nearly) whole, or else the
 * one whose column weighs most, re-solve with a little more pricing, and
 * go on until everyone has a row; past the deadline everyone left takes
 * their heaviest column at once. The shortfall columns keep every
 * restricted master feasible, so the dive always ends in a roster. */
static int dive(master *ms, glp_smcp *sp, rs_price_fn price, void *user, double deadline, double *dual,
                int *row, int *out)
{
    const rs_model *m = ms->m;
    int E = m->E, D = m->D, rc = 0, nfixed = 0;
    int *fixed = malloc(((size_t)E + 1) * sizeof(int));
    int *heavy = malloc(((size_t)E + 1) * sizeof(int)); /* heaviest column per person */
    double *weight = malloc(((size_t)E + 1) * sizeof(double));
    if (!fixed || !heavy || !weight) {
        rc = -1;
        goto done;
    }
    for (int e = 0; e < E; e++)
        fixed[e] = -1;
    while (nfixed < E) {
        if (glp_simplex(ms->lp, sp) != 0 || glp_get_status(ms->lp) != GLP_OPT)
            break;
        int late = waras_roster__now() >= deadline;
        if (!late) {
            int r = price_round(ms, price, user, fixed, deadline, dual, row);
            if (r < 0) {
                rc = r == -2 ? 0 : -1;
                break;
            }
            if (r > 0)
                continue;
        }
        for (int e = 0; e < E; e++)
            heavy[e] = -1;
        for (int j = 0; j < ms->ncol; j++) {
            int e = ms->col_emp[j];
            double w = glp_get_col_prim(ms->lp, ms->col_row[j]);
            if (fixed[e] < 0 && (heavy[e] < 0 || w > weight[e])) {
                heavy[e] = j;
                weight[e] = w;
            }
        }
        int before = nfixed, top = -1;
        for (int e = 0; e < E; e++) {
            if (heavy[e] < 0)
                continue;
            if (late || weight[e] > 0.999) {
                fix_column(ms, fixed, heavy[e]);
                nfixed++;
            } else if (top < 0 || weight[e] > weight[top]) {
                top = e;
            }
        }
        if (nfixed == before && top >= 0) {
            fix_column(ms, fixed, heavy[top]);
            nfixed++;
        }
        if (nfixed == before)
            break;
    }
    if (nfixed == E) {
        for (int e = 0; e < E; e++)
            memcpy(out + (size_t)e * D, ms->rows + (size_t)fixed[e] * D, (size_t)D * sizeof(int));
        rc = 1;
    }
done:
    free(fixed);
    free(heavy);
    free(weight);
    return rc;
}

int waras_roster__colgen(const rs_model *m, const int *incumbent, rs_price_fn price, void *user,
                         double deadline, double dive_deadline, int *out)
{
    int D = m->D, S = m->S, E = m->E, K = D * S, rc = 0;
    master ms = {0};
    ms.m = m;
    ms.K = K;
    glp_term_out(GLP_OFF);
    ms.lp = glp_create_prob();
    ms.ind = malloc(((size_t)D + 3) * sizeof(int));
    ms.val = malloc(((size_t)D + 3) * sizeof(double));
    double *dual = malloc(((size_t)K + 1) * sizeof(double));
    int *row = malloc(((size_t)D + 1) * sizeof(int));
    if (!ms.lp || !ms.ind || !ms.val || !dual || !row) {
        rc = -1;
        goto done;
    }
    glp_set_obj_dir(ms.lp, GLP_MIN);
    glp_add_rows(ms.lp, K + E);
    for (int k = 0; k < K; k++)
        glp_set_row_bnds(ms.lp, 1 + k, GLP_FX, m->req[k], m->req[k]);
    for (int e = 0; e < E; e++)
        glp_set_row_bnds(ms.lp, K + 1 + e, GLP_FX, 1.0, 1.0);
    /* Shortfall and surplus columns: 1..K and K+1..2K. */
    glp_add_cols(ms.lp, 2 * K);
    for (int k = 0; k < K; k++) {
        int i1[2] = {0, 1 + k};
        double pu[2] = {0, 1.0}, po[2] = {0, -1.0};
        glp_set_col_bnds(ms.lp, 1 + k, GLP_LO, 0.0, 0.0);
        glp_set_obj_coef(ms.lp, 1 + k, m->wunder[k]);
        glp_set_mat_col(ms.lp, 1 + k, 1, i1, pu);
        glp_set_col_bnds(ms.lp, 1 + K + k, GLP_LO, 0.0, 0.0);
        glp_set_obj_coef(ms.lp, 1 + K + k, m->wover[k]);
        glp_set_mat_col(ms.lp, 1 + K + k, 1, i1, po);
    }
    for (int e = 0; e < E; e++)
        if (add_column(&ms, e, incumbent + (size_t)e * D) < 0) {
            rc = -1;
            goto done;
        }
    glp_smcp sp;
    glp_init_smcp(&sp);
    sp.msg_lev = GLP_MSG_OFF;
    sp.meth = GLP_PRIMAL;
    int rounds = 0;
    double start = waras_roster__now();
    for (;;) {
        if (waras_roster__now() >= deadline)
            break;
        if (glp_simplex(ms.lp, &sp) != 0 || glp_get_status(ms.lp) != GLP_OPT)
            break;
        double t = waras_roster__now();
        int added = price_round(&ms, price, user, NULL, deadline, dual, row);
        if (added < 0) {
            rc = added == -2 ? 0 : -1;
            goto done;
        }
        /* Pricing this slow cannot converge in time: leave the time to the
         * search. */
        if (rounds++ == 0 && waras_roster__now() - t > (deadline - start) / 8)
            goto done;
        if (!added)
            break; /* converged */
    }
    if (ms.ncol <= E)
        goto done; /* nothing new: the search's roster stands */
    rc = dive(&ms, &sp, price, user, dive_deadline, dual, row, out);
done:
    if (ms.lp)
        glp_delete_prob(ms.lp);
    free(ms.col_emp);
    free(ms.col_row);
    free(ms.rows);
    free(ms.ind);
    free(ms.val);
    free(dual);
    free(row);
    glp_free_env();
    return rc;
}
