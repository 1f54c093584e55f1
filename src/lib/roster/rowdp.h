/*
 * Private to the roster module: the row dynamic programme, which re-plans
 * one person's days exactly with everyone else fixed, and the roster with
 * its incremental counters that it plans against. The search's moves,
 * construction and repairs, and column generation's pricing all use it.
 */
#ifndef WARAS_ROSTER_ROWDP_H
#define WARAS_ROSTER_ROWDP_H

#include <stddef.h>
#include <stdint.h>

#include "roster_int.h"

/* Back pointers of the DP's own table, of the table a whole row borrows,
 * and of the one pricing borrows (to count a binding per-type maximum
 * exactly). The costs only ever need two days. */
#define RS_DP_CAP ((size_t)1 << 21)
#define RS_DP_CAP_BAND ((size_t)1 << 23)
#define RS_DP_CAP_PRICE ((size_t)1 << 25)

/* A roster and the counters kept with it, so that a change of one cell
 * costs constant time to account for. */
typedef struct rs_roster {
    int *x;             /* E * D cells, a shift or WARAS_ROSTER_OFF */
    int *cnt;           /* E * S: cells of each shift type per person */
    long *mins;         /* E: minutes worked */
    int *nwk;           /* E: weekends worked */
    int *cov;           /* D * S: people on each shift-day */
    int64_t cover_cost; /* the cover term of the objective */
} rs_roster;

/* Everyone off, except cells whose only allowed value is a shift (locks).
 * 0, or WARAS_ENOMEM with the error slot set. */
int waras_roster__roster_init(rs_roster *r, const rs_model *m);
void waras_roster__roster_free(rs_roster *r);

static inline int64_t rs_cover_pen(const rs_model *m, int k, int have)
{
    int r = m->req[k];
    return have < r ? (int64_t)(r - have) * m->wunder[k] : (int64_t)(have - r) * m->wover[k];
}

static inline int rs_allowed(const rs_model *m, int e, int d, int v)
{
    return m->allowed[((size_t)e * m->D + d) * m->V + v + 1];
}

/* Sets one cell and keeps the counters and the cover cost. */
static inline void rs_set_cell(rs_roster *r, const rs_model *m, int e, int d, int v)
{
    int D = m->D, S = m->S;
    int *row = r->x + (size_t)e * D;
    int old = row[d];
    if (old == v)
        return;
    int wk = (d % 7) >= 5;
    int was = 0;
    if (wk) {
        int sat = d - d % 7 + 5;
        was = row[sat] >= 0 || (sat + 1 < D && row[sat + 1] >= 0);
    }
    if (old >= 0) {
        int k = d * S + old;
        r->cover_cost += rs_cover_pen(m, k, r->cov[k] - 1) - rs_cover_pen(m, k, r->cov[k]);
        r->cov[k]--;
        r->cnt[e * S + old]--;
        r->mins[e] -= m->minutes[old];
    }
    if (v >= 0) {
        int k = d * S + v;
        r->cover_cost += rs_cover_pen(m, k, r->cov[k] + 1) - rs_cover_pen(m, k, r->cov[k]);
        r->cov[k]++;
        r->cnt[e * S + v]++;
        r->mins[e] += m->minutes[v];
    }
    row[d] = v;
    if (wk) {
        int sat = d - d % 7 + 5;
        int now = row[sat] >= 0 || (sat + 1 < D && row[sat + 1] >= 0);
        r->nwk[e] += now - was;
    }
}

/* The row DP and its workspace. Settings (price, fix, band_m/band_w) hold
 * for the calls that follow until they are reset; toobig and priced
 * describe the last call. */
typedef struct rs_rowdp {
    const rs_model *m;
    int D, S, V;
    int *vals;  /* E * V: the values each person may ever take, OFF first */
    int *nvals; /* E */
    int gmin;   /* gcd of the shift lengths: the state's minute step */
    int maxlen; /* the longest shift */
    /* workspace */
    int32_t *cost, *prev; /* two layers of costs; every layer of back pointers */
    int *blk;             /* per block of states, its range of minutes */
    size_t blkcap;
    size_t cap;   /* back pointers the current call may use */
    size_t alloc; /* back pointers allocated */
    int *bbase;   /* 2 * (D + 1): per day, the state's offset in a band */
    long *reach;  /* 2 * (D + 1): in price mode, the minutes still reachable */
    int *row;     /* D: the row planned, over the days asked for */
    /* settings */
    int32_t *price;     /* D * S cell prices in hundredths instead of cover, or NULL */
    const int *fix;     /* D values the row must take (-2: free), or NULL */
    int band_m, band_w; /* > 0: keep the row's running minutes and weekends
                           within this many steps of the current row's */
    int ctype;          /* shift type whose count the state tracks, or -1 */
    /* the last call */
    int toobig;  /* the window did not fit the table */
    int priced;  /* some type's maximum was only priced */
    double work;  /* state updates of every call so far, nominal: every state of
                     the table, reached or not */
    double steps; /* transitions actually made (skipped blocks and minutes
                     not counted): the work budget's measure */
} rs_rowdp;

/* 0, or WARAS_ENOMEM with the error slot set. */
int waras_roster__rowdp_init(rs_rowdp *dp, const rs_model *m);
void waras_roster__rowdp_free(rs_rowdp *dp);

/* Re-plans days [a, b] of e's row in roster r into dp->row[a..b]: the
 * cheapest by requests and the cover this person adds (or by dp->price),
 * keeping every rule of the person; shift types over their maximum are
 * counted or priced and the window planned again. With prorate, the days
 * after b are taken as still empty and each budget is shared out by the
 * available days. 1 when a row was found. */
int waras_roster__rowdp_plan(rs_rowdp *dp, const rs_roster *r, int e, int a, int b, int prorate);

/* Re-plans e's whole row: exactly when the table holds it, else in ever
 * narrower bands around the current row. 1 when a row was found. */
int waras_roster__rowdp_whole(rs_rowdp *dp, const rs_roster *r, int e);

/* Lets the calls that follow use a table of n back pointers (0 when there
 * is no memory for it); waras_roster__rowdp_unlend goes back to RS_DP_CAP. */
int waras_roster__rowdp_lend(rs_rowdp *dp, size_t n);
void waras_roster__rowdp_unlend(rs_rowdp *dp);

/* Column generation's pricing of e's whole row at dual (K) with fix (D
 * cells, -2 free, or NULL); dp->price must point to D * S scratch cells.
 * As waras_roster__price_one. */
int waras_roster__rowdp_price(rs_rowdp *dp, const rs_roster *r, int e, const double *dual,
                              const int *fix, int *row, double *cost);

/* Whether the DP's integers can carry prices for this problem. */
int waras_roster__price_fits(const rs_model *m);

#endif
