/*
 * The exact scorer. It reads the problem's own lists, not the solver's dense
 * tables or incremental counters, so that a solver bug cannot make a broken
 * roster look feasible. Horizon conventions (docs/definitions.md): rotation and
 * maximum runs assume days off outside the horizon; minimum runs of work or
 * rest that touch either end are exempt; a weekend is days 5 and 6 of a week
 * and counts once when either day is worked.
 */
#include <stdlib.h>
#include <string.h>

#include "roster_int.h"
#include "waras/error.h"

typedef struct vlist {
    waras_roster_violation *v;
    size_t n, alloc;
} vlist;

static int add(vlist *l, const char *rule, int e, int day, int shift, long value, long limit)
{
    if (l->n == l->alloc) {
        size_t na = l->alloc ? l->alloc * 2 : 16;
        waras_roster_violation *nv = realloc(l->v, na * sizeof(*nv));
        if (!nv)
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        l->v = nv;
        l->alloc = na;
    }
    l->v[l->n++] = (waras_roster_violation){rule, e, day, shift, value, limit};
    return 0;
}

void waras_roster_score_free(waras_roster_score *s)
{
    if (!s)
        return;
    free(s->violations);
    s->violations = NULL;
    s->nviolations = 0;
}

/* Rules that look at runs of equal kind (work or off) along one row. */
static int score_runs(vlist *l, const waras_roster_limits *lim, int e, const int *row, int D)
{
    int rc = 0;
    for (int start = 0; start < D && !rc;) {
        int work = row[start] != WARAS_ROSTER_OFF;
        int end = start;
        while (end + 1 < D && (row[end + 1] != WARAS_ROSTER_OFF) == work)
            end++;
        long len = end - start + 1;
        int inner = start > 0 && end < D - 1;
        if (work && lim->max_consecutive >= 0 && len > lim->max_consecutive)
            rc = add(l, "max_consecutive_shifts", e, start, -1, len, lim->max_consecutive);
        if (!rc && work && inner && lim->min_consecutive >= 0 && len < lim->min_consecutive)
            rc = add(l, "min_consecutive_shifts", e, start, -1, len, lim->min_consecutive);
        if (!rc && !work && inner && lim->min_days_off >= 0 && len < lim->min_days_off)
            rc = add(l, "min_consecutive_days_off", e, start, -1, len, lim->min_days_off);
        start = end + 1;
    }
    return rc;
}

int waras_roster_score_compute(waras_roster_score *out, const waras_roster_problem *p,
                               const int *cells)
{
    int rc = 0;
    vlist l = {0};
    int D = p->ndays, S = (int)p->shifts.n, E = (int)p->employees.n;
    const rs_shift *sh = p->shifts.items;
    const rs_employee *em = p->employees.items;
    long *count = calloc((size_t)D * S + (size_t)E * S + 1, sizeof(long));
    long *maxs = malloc(((size_t)E * S + 1) * sizeof(long));
    unsigned char *forbid = calloc((size_t)S * S + 1, 1);
    size_t nlast = (size_t)E * D > (size_t)D * S ? (size_t)E * D : (size_t)D * S;
    long *last = malloc((nlast + 1) * sizeof(long));
    waras_roster_score sc = {0};
    if (!count || !maxs || !forbid || !last) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    long *cover = count, *per_emp = count + (size_t)D * S;
    for (size_t i = 0; i < (size_t)E * D; i++)
        if (cells[i] < WARAS_ROSTER_OFF || cells[i] >= S) {
            rc = waras_error_msg(WARAS_EINVAL, "roster cell %zu holds bad value %d", i, cells[i]);
            goto cleanup;
        }
    for (size_t i = 0; i < (size_t)E * S; i++)
        maxs[i] = -1;
    const rs_triple *mx = p->maxshift.items;
    for (size_t i = 0; i < p->maxshift.n; i++)
        maxs[(size_t)mx[i].emp * S + mx[i].day] = mx[i].value;
    const rs_pair *fp = p->forbid.items;
    for (size_t i = 0; i < p->forbid.n; i++)
        forbid[fp[i].a * S + fp[i].b] = 1;

    /* Locks: the last one given for a cell counts; each cell is checked once. */
    for (size_t i = 0; i < (size_t)E * D; i++)
        last[i] = -1;
    const rs_triple *lk = p->locks.items;
    for (size_t i = 0; i < p->locks.n; i++)
        last[(size_t)lk[i].emp * D + lk[i].day] = (long)i;
    for (size_t i = 0; i < p->locks.n && !rc; i++) {
        size_t cell = (size_t)lk[i].emp * D + lk[i].day;
        if (last[cell] == (long)i && cells[cell] != lk[i].value)
            rc = add(&l, "locked", lk[i].emp, lk[i].day, lk[i].value, cells[cell], lk[i].value);
    }
    for (size_t i = 0; i < (size_t)E * D; i++)
        last[i] = -1;
    const rs_triple *off = p->daysoff.items;
    for (size_t i = 0; i < p->daysoff.n && !rc; i++) {
        size_t cell = (size_t)off[i].emp * D + off[i].day;
        if (cells[cell] != WARAS_ROSTER_OFF && last[cell] < 0)
            rc = add(&l, "day_off", off[i].emp, off[i].day, cells[cell], 1, 0);
        last[cell] = (long)i;
    }

    for (int e = 0; e < E && !rc; e++) {
        const int *row = cells + (size_t)e * D;
        const waras_roster_limits *lim = &em[e].lim;
        long minutes = 0, weekends = 0;
        for (int d = 0; d < D; d++) {
            int v = row[d];
            if (v == WARAS_ROSTER_OFF)
                continue;
            minutes += sh[v].minutes;
            per_emp[(size_t)e * S + v]++;
            cover[(size_t)d * S + v]++;
            if (d + 1 < D && row[d + 1] != WARAS_ROSTER_OFF && forbid[v * S + row[d + 1]] && !rc)
                rc = add(&l, "shift_rotation", e, d, row[d + 1], 1, 0);
        }
        for (int w = 0; 7 * w + 5 < D; w++) {
            int sat = 7 * w + 5, sun = 7 * w + 6;
            if (row[sat] != WARAS_ROSTER_OFF || (sun < D && row[sun] != WARAS_ROSTER_OFF))
                weekends++;
        }
        for (int s = 0; s < S && !rc; s++) {
            long m = maxs[(size_t)e * S + s], n = per_emp[(size_t)e * S + s];
            if (m >= 0 && n > m)
                rc = add(&l, "max_shifts", e, -1, s, n, m);
        }
        if (!rc && lim->max_minutes >= 0 && minutes > lim->max_minutes)
            rc = add(&l, "max_total_minutes", e, -1, -1, minutes, lim->max_minutes);
        if (!rc && lim->min_minutes >= 0 && minutes < lim->min_minutes)
            rc = add(&l, "min_total_minutes", e, -1, -1, minutes, lim->min_minutes);
        if (!rc && lim->max_weekends >= 0 && weekends > lim->max_weekends)
            rc = add(&l, "max_weekends", e, -1, -1, weekends, lim->max_weekends);
        if (!rc)
            rc = score_runs(&l, lim, e, row, D);
        if (em[e].fair_weight > 0) {
            long dev = minutes - em[e].fair_target;
            sc.fairness += (dev < 0 ? -dev : dev) * em[e].fair_weight;
        }
    }
    if (rc)
        goto cleanup;

    const rs_request *rq = p->requests.items;
    for (size_t i = 0; i < p->requests.n; i++) {
        int v = cells[(size_t)rq[i].emp * D + rq[i].day];
        if (rq[i].on ? v != rq[i].shift : v == rq[i].shift)
            sc.requests += rq[i].weight;
    }
    /* Cover: the last row given for a day and shift counts. */
    const rs_cover *cv = p->cover.items;
    for (size_t i = 0; i < (size_t)D * S; i++)
        last[i] = -1;
    for (size_t i = 0; i < p->cover.n; i++)
        last[(size_t)cv[i].day * S + cv[i].shift] = (long)i;
    for (size_t i = 0; i < p->cover.n; i++) {
        if (last[(size_t)cv[i].day * S + cv[i].shift] != (long)i)
            continue;
        long have = cover[(size_t)cv[i].day * S + cv[i].shift];
        if (have < cv[i].required)
            sc.cover_under += (cv[i].required - have) * cv[i].under;
        else
            sc.cover_over += (have - cv[i].required) * cv[i].over;
    }
    sc.cover = sc.cover_under + sc.cover_over;
    sc.objective = sc.cover + sc.requests + sc.fairness;
    sc.feasible = l.n == 0;
    sc.nviolations = l.n;
    sc.violations = l.v;
    l.v = NULL;
    *out = sc;
cleanup:
    free(l.v);
    free(count);
    free(maxs);
    free(forbid);
    free(last);
    return rc;
}
