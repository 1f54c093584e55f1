/*
 * Private to the roster module: the problem as the building API records it
 * (growable lists), and the dense model that the solver compiles from it.
 */
#ifndef WARAS_ROSTER_INT_H
#define WARAS_ROSTER_INT_H

#include <stdint.h>

#include "waras/roster.h"

typedef struct rs_shift {
    char *id;
    int minutes;
} rs_shift;

typedef struct rs_employee {
    char *id;
    waras_roster_limits lim;
    long fair_target;
    int fair_weight;
} rs_employee;

typedef struct rs_pair {
    int a, b;
} rs_pair;

typedef struct rs_triple {
    int emp, day, value; /* value: shift, max, or lock */
} rs_triple;

typedef struct rs_request {
    int emp, day, shift, on, weight;
} rs_request;

typedef struct rs_cover {
    int day, shift, required, under, over;
} rs_cover;

/* A growable array of fixed-size items. */
typedef struct rs_vec {
    void *items;
    size_t n, alloc;
} rs_vec;

struct waras_roster_problem {
    int ndays;
    rs_vec shifts;    /* rs_shift */
    rs_vec employees; /* rs_employee */
    rs_vec forbid;    /* rs_pair: b may not follow a */
    rs_vec maxshift;  /* rs_triple: value = max */
    rs_vec daysoff;   /* rs_triple: value unused */
    rs_vec locks;     /* rs_triple: value = shift or OFF */
    rs_vec requests;  /* rs_request */
    rs_vec cover;     /* rs_cover */
};

/* Dense view: every table indexed by plain arithmetic. Cell tables use
 * index ((e * D + d) * V + v + 1) with V = S + 1, v = -1 for off. */
typedef struct rs_model {
    int D, S, E, V;
    int *minutes;         /* S */
    int unit_minutes;     /* mean shift length, at least 1 */
    unsigned char *forbid; /* S * S: forbid[a * S + b] */
    int *maxs;            /* E * S, INT32_MAX when unlimited */
    waras_roster_limits *lim; /* E, limits with -1 already replaced */
    long *fair_target;    /* E */
    int *fair_weight;     /* E */
    int *cellcost;        /* E * D * V: request penalties */
    unsigned char *allowed; /* E * D * V: no day-off, lock or max=0 rule broken */
    int *req, *wunder, *wover; /* D * S */
} rs_model;

/* The clock column generation reads its deadlines on. With now NULL it is
 * waras_clock_seconds(). Otherwise it is a count of work (see
 * waras_roster_solve_opts.iterations): now(user) gives the work done so far,
 * spend(user, n) adds n simplex iterations to it, and cap is the
 * waras_clock_seconds() instant that no simplex call may run past
 * (HUGE_VAL: none). */
typedef struct rs_clock {
    double (*now)(void *user);
    void (*spend)(void *user, long simplex_iterations);
    void *user;
    double cap;
} rs_clock;

/* A row's own cost: its request penalties and its fairness term (cover is
 * the roster's, not the row's). */
double waras_roster__row_cost(const rs_model *m, int e, const int *row);

/* Pricing for column generation, every employee in one call: the cheapest
 * row for employee e when each cover cell k earns dual[k] and, when fix is
 * not NULL, day d takes fix[e * D + d] unless that is -2 (OFF is -1). Writes
 * the row to rows + e * D, its reduced cost (before the employee's own
 * dual) to costs[e], and to status[e] 1 when the row is the cheapest, 2 when
 * it is only a good one, 0 when none was found or deadline came first.
 * Returns 0, -2 when pricing cannot be done for this problem, -1 on error. */
typedef int (*rs_price_fn)(void *user, const double *dual, const int *fix, double deadline, int *rows,
                           double *costs, int *status);

/* Column generation's own pricing of one person (the row DP in a search of
 * its own), for tests: the cheapest row for e at dual (K) keeping fix (D
 * cells, -2 free, or NULL). Returns 1 with the cheapest row, 2 with a good
 * one (some shift type's maximum only priced), 0 when there is none, -2
 * when the DP's table is too small, -1 when out of memory. */
int waras_roster__price_one(const rs_model *m, int e, const double *dual, const int *fix, int *row,
                            double *cost);

/* What one run of column generation did. */
typedef struct rs_cg_stats {
    int rounds; /* rounds of pricing before the dives */
    int pruned; /* columns deleted for staying priced out */
    int dives;
    int gains;  /* dives that found a better roster than the ones before */
} rs_cg_stats;

/* The master as its first dive finds it: its columns (each person's row
 * and whose it is) and optimal basis (rows, then columns), with the bound
 * the dives aim at, for a twin search to dive from on its own. */
typedef struct rs_cg_snap {
    int ncol;
    int *col_emp;        /* ncol */
    int *rows;           /* ncol * D */
    unsigned char *stat; /* GLPK statuses: K + E rows, then 2K + ncol columns */
    double bound;
} rs_cg_snap;

/* Receives a snapshot and owns it (waras_roster__snap_free). */
typedef void (*rs_snap_fn)(void *user, rs_cg_snap *snap);
void waras_roster__snap_free(rs_cg_snap *snap);

/* Column generation from the rows of incumbent (E * D) and, when it is not
 * NULL, of other (E * D, another roster to mix with): prices until
 * deadline; the first dive, and any dive after one that found a better
 * roster, runs until dive_deadline, the others until redive_deadline
 * (read on clk, or on waras_clock_seconds() when clk is NULL). When share is not NULL it gets the master once
 * pricing is done, before the first dive. Returns 1 with a roster in out,
 * 0 when it has none to offer, -1 when out of memory. Fills stats when it
 * is not NULL. */
int waras_roster__colgen(const rs_model *m, const int *incumbent, const int *other, rs_price_fn price,
                         void *user, rs_snap_fn share, const rs_clock *clk, double deadline,
                         double dive_deadline, double redive_deadline, int *out, rs_cg_stats *stats);

/* Dives from a snapshot, in the calling thread and with its own master:
 * the first dive is the fast one with its weights jittered (seed), and the
 * later ones follow the same rules as waras_roster__colgen's. Returns as
 * waras_roster__colgen does. */
int waras_roster__colgen_twin(const rs_model *m, const rs_cg_snap *snap, rs_price_fn price, void *user,
                              const rs_clock *clk, uint32_t seed, double dive_deadline,
                              double redive_deadline, int *out, rs_cg_stats *stats);

int waras_roster__model_build(rs_model *m, const waras_roster_problem *p);
void waras_roster__model_free(rs_model *m);

#endif
