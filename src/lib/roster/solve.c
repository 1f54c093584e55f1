/*
 * The roster solver's run. Each thread runs one search: the first roster
 * (construct.c, by the row DP of rowdp.c), then simulated annealing over
 * complete rosters (moves.c) in epochs that double in length, each
 * restarting from the best roster so far. One search per run (the first
 * thread, unless max_iterations caps the moves) also solves the linear
 * relaxation by column generation (colgen.c, priced by the row DP, every
 * thread helping with a round) and dives from it to a whole roster, which
 * every search takes over if it beats its own. A run ends at its time
 * limit or, when given, its work budget (moves, DP state updates and
 * simplex iterations, counted so that a seeded search repeats exactly).
 * The best roster of all threads wins; the independent scorer decides
 * whether it is feasible.
 */
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "search.h"
#include "waras/error.h"
#include "waras/time.h"

/* The annealing's schedule. Costs are in the instance's own units (cover
 * weights of 100 and requests of 1 to 3 in the Curtois set). */
#define T_HIGH 15.0
#define T_LOW 0.2
#define REHEAT 0.5
#define EPOCH_PER_CELL 200
#define EPOCH_MIN 200000

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
    rs_search s;
    uint64_t seed;
    int rc;
    int colgen; /* this worker tries column generation once */
    int cg_seen; /* the shared rosters this worker has looked at (cg_gen) */
    /* published under sh->lock for progress reports */
    cost pub;
    int finished;
} worker;

/* The work budget's unit (waras_roster_solve_opts.iterations): one
 * annealing move, or WORK_DP transitions the row DP made (its steps), and
 * a simplex iteration of column generation counts WORK_LP units a row of
 * the master. Each is about as long as a move (some 0.3 us; a DP
 * transition about 1 ns, and a simplex iteration on Instance13's 624 rows
 * some 0.4 to 0.7 ms). All three are counted, not timed, so one seeded
 * search repeats exactly. */
#define WORK_DP 300.0
#define WORK_LP 3.0

static double work_done(const rs_search *s)
{
    double rows = (double)s->D * s->S + s->E;
    return (double)s->iters + s->dp.steps / WORK_DP + (double)s->lp_iters * rows * WORK_LP;
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
static void price_share(rs_search *s, pjob *j)
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
static int pricing_begin(rs_search *s)
{
    if (!s->pricebuf)
        s->pricebuf = malloc(((size_t)s->D * s->S + 1) * sizeof(int32_t));
    if (!s->pricebuf || !waras_roster__rowdp_lend(&s->dp, RS_DP_CAP_PRICE))
        return 0;
    s->dp.price = s->pricebuf;
    return 1;
}

static void pricing_end(rs_search *s, double work)
{
    s->dp.price = NULL;
    waras_roster__rowdp_unlend(&s->dp);
    s->dp_lent += s->dp.work - work;
}

static void help_price(worker *w)
{
    rs_search *s = &w->s;
    double work = s->dp.work; /* what pricing_end leaves out of the search's own */
    if (!pricing_begin(s))
        return;
    price_share(s, &w->sh->job);
    pricing_end(s, work);
}

/* Column generation's share of the run (of the time, or of the work
 * budget): it starts once the search has a roster, prices columns until
 * CG_LP, dives to a whole roster until CG_DIVE (the first dive, and any
 * dive right after one that found a better roster) or CG_REDIVE (the
 * others), and the search then goes on from the better roster. The dives
 * only work from a converged relaxation, which takes about half the run on
 * the hardest instances; the first dive can take a good part of the rest;
 * the last quarter is left to polish where the dives are quick. (The runs
 * behind these fractions: docs/roster.md, the search, step 4.) */
#define CG_START 0.05
#define CG_LP 0.55
#define CG_DIVE 0.95
#define CG_REDIVE 0.75
/* How long column generation waits for another search's best roster; the
 * other searches look at every 1024 moves, well within a millisecond. */
#define OTHER_WAIT 0.5

/* Another search's best roster, for column generation to start from. The
 * master's first duals are poor, and from one good roster it stays at that
 * roster's value for many rounds, since no mix of the rows priced at those
 * duals beats it; a second roster gives it other rows to mix from the
 * start. */
static void give_best(worker *w)
{
    rs_search *s = &w->s;
    shared *sh = w->sh;
    if (s->best_pending)
        waras_roster__save_best(s);
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
    rs_search *s = &w->s;
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
    rs_search *s = &w->s;
    for (int e = 0; e < s->E; e++)
        for (int d = 0; d < s->D; d++)
            set_cell(s, e, d, out[(size_t)e * s->D + d]);
    s->cur = waras_roster__full_cost(s);
    if (better(s->cur, s->bestc)) {
        s->bestc = s->cur;
        waras_roster__save_best(s);
        publish_best(w);
    }
}

static void run_twin(worker *w)
{
    rs_search *s = &w->s;
    shared *sh = w->sh;
    pthread_mutex_lock(&sh->lock);
    rs_cg_snap *snap = sh->snap;
    sh->snap = NULL;
    pthread_mutex_unlock(&sh->lock);
    if (s->best_pending)
        waras_roster__save_best(s);
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
    rs_search *s = &w->s;
    const rs_model *m = s->m;
    if (s->best_pending)
        waras_roster__save_best(s);
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
    rs_search *s = &w->s;
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

static long long fit_epoch(const rs_search *s, shared *sh, long long epoch, double t0, long long it0,
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
    rs_search *s = &w->s;
    shared *sh = w->sh;
    const rs_model *m = s->m;
    if (m->E == 0 || m->D == 0)
        return;
    int maxk = s->D < 7 ? s->D : 7;
    long long epoch = (long long)m->E * m->D * EPOCH_PER_CELL;
    if (epoch < EPOCH_MIN)
        epoch = EPOCH_MIN;
    s->t0 = waras_clock_seconds();
    waras_roster__construct(s, sh->deadline);
    for (int pass = 0; pass < 3 && s->cur.hard > 0; pass++)
        waras_roster__sweep_repair(s, sh->deadline);
    s->hw = HW_MIN;
    int cg_pending = w->colgen;
    double cg_at = CG_START * run_span(w);
    double loop_t0 = waras_clock_seconds(), loop_w0 = work_done(s);
    long long loop_it0 = s->iters;
    for (int ep = 0;; ep++) {
        if (ep > 0)
            waras_roster__load_best(s);
        double temp = ep == 0 ? T_HIGH : T_HIGH * REHEAT;
        long long len = fit_epoch(s, sh, epoch, loop_t0, loop_it0, loop_w0);
        double cool = pow(T_LOW / temp, 1.0 / (double)len);
        for (long long it = 0; it < len; it++) {
            if ((s->iters & REPAIR_MASK) == 0 && s->cur.hard > 0)
                waras_roster__repair(s, temp);
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
            waras_roster__pick_move(s, temp, maxk);
            temp *= cool;
#ifndef NDEBUG
            if (s->iters % CHECK_EVERY == 0)
                waras_roster__check_cost(s);
#endif
        }
        if (epoch < (1LL << 40))
            epoch *= 2;
    }
done:
    if (s->best_pending)
        waras_roster__save_best(s);
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
        if ((rc = waras_roster__search_init(&w[t].s, &m, w[t].seed)))
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
        waras_roster__search_free(&w[t].s);
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
