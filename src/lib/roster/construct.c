/*
 * A search's first roster: rows are built in random order a few weeks at a
 * time by the row DP, each window given a share of each budget, and rows
 * that still break a rule are re-planned window by window with their true
 * budgets, and whole when the windows leave them broken.
 */
#include <stdlib.h>
#include <string.h>

#include "search.h"
#include "waras/error.h"
#include "waras/time.h"

void waras_roster__search_free(rs_search *s)
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

int waras_roster__search_init(rs_search *s, const rs_model *m, uint64_t seed)
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
        waras_roster__search_free(s);
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
    s->cur = waras_roster__full_cost(s);
    s->bestc = s->cur;
    waras_roster__save_best(s);
    return 0;
}

/* Builds every row left to right, a few weeks at a time, each window the
 * cheapest one that keeps the person's rules given the rows built so far.
 * A shift type over its maximum is priced up and the window planned again. */

void waras_roster__construct(rs_search *s, double deadline)
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
    s->cur = waras_roster__full_cost(s);
    s->bestc = s->cur;
    waras_roster__save_best(s);
}

/* Windows of the sweep: four weeks, every two weeks. */
#define SWEEP_STEP 14
#define SWEEP_LEN 28

/* Re-plans, with the rules' true budgets, every four-week window of every
 * row in which a rule is broken; a re-plan is kept when it lowers the cost
 * with hard rules weighing far above the rest. */
void waras_roster__sweep_repair(rs_search *s, double deadline)
{
    double keep = s->hw;
    s->hw = HW_MAX;
    for (int e = 0; e < s->E && s->cur.hard > 0; e++) {
        if (waras_clock_seconds() >= deadline)
            break;
        for (int a = 0; a < s->D; a += SWEEP_STEP) {
            int b = a + SWEEP_LEN - 1 < s->D ? a + SWEEP_LEN - 1 : s->D - 1;
            cost c = {0, 0};
            waras_roster__emp_local(s, e, a, b, &c);
            if (c.hard > 0 && waras_roster__rowdp_plan(&s->dp, &s->r, e, a, b, 0))
                waras_roster__try_move(s, 0.0, e, s->dp.row + a, 0, NULL, a, b);
            if (b == s->D - 1)
                break;
        }
        /* What windows of four weeks cannot mend (a total too low when
         * every window is as full as its runs allow) the whole row may. */
        cost c = {0, 0};
        waras_roster__emp_local(s, e, 0, s->D - 1, &c);
        if (c.hard > 0 && waras_roster__rowdp_whole(&s->dp, &s->r, e))
            waras_roster__try_move(s, 0.0, e, s->dp.row, 0, NULL, 0, s->D - 1);
    }
    s->hw = keep;
}

void waras_roster__load_best(rs_search *s)
{
    for (int e = 0; e < s->E; e++)
        for (int d = 0; d < s->D; d++)
            set_cell(s, e, d, s->best[(size_t)e * s->D + d]);
    s->cur = waras_roster__full_cost(s);
}
