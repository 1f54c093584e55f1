/*
 * Building a roster problem in code: shifts, employees, their limits, days
 * off, locks, requests, cover and fairness targets are recorded as lists, and
 * compiled into dense tables (rs_model) when a roster is scored or solved.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "roster_int.h"
#include "util/util.h"
#include "waras/error.h"

static int vec_push(rs_vec *v, const void *item, size_t size)
{
    if (v->n == v->alloc) {
        size_t na = v->alloc ? v->alloc * 2 : 16;
        void *np = realloc(v->items, na * size);
        if (!np)
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        v->items = np;
        v->alloc = na;
    }
    memcpy((char *)v->items + v->n * size, item, size);
    v->n++;
    return 0;
}

int waras_roster_problem_new(waras_roster_problem **out, int ndays)
{
    if (ndays <= 0 || ndays > WARAS_ROSTER_MAX_DAYS)
        return waras_error_msg(WARAS_EINVAL, "horizon of %d days is outside 1..%d", ndays,
                               WARAS_ROSTER_MAX_DAYS);
    waras_roster_problem *p = calloc(1, sizeof(*p));
    if (!p)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    p->ndays = ndays;
    *out = p;
    return 0;
}

void waras_roster_problem_free(waras_roster_problem *p)
{
    if (!p)
        return;
    rs_shift *sh = p->shifts.items;
    for (size_t i = 0; i < p->shifts.n; i++)
        free(sh[i].id);
    rs_employee *em = p->employees.items;
    for (size_t i = 0; i < p->employees.n; i++)
        free(em[i].id);
    free(p->shifts.items);
    free(p->employees.items);
    free(p->forbid.items);
    free(p->maxshift.items);
    free(p->daysoff.items);
    free(p->locks.items);
    free(p->requests.items);
    free(p->cover.items);
    free(p);
}

int waras_roster_ndays(const waras_roster_problem *p) { return p->ndays; }
int waras_roster_nshifts(const waras_roster_problem *p) { return (int)p->shifts.n; }
int waras_roster_nemployees(const waras_roster_problem *p) { return (int)p->employees.n; }

const char *waras_roster_shift_id(const waras_roster_problem *p, int shift)
{
    if (shift < 0 || (size_t)shift >= p->shifts.n)
        return NULL;
    return ((rs_shift *)p->shifts.items)[shift].id;
}

const char *waras_roster_employee_id(const waras_roster_problem *p, int employee)
{
    if (employee < 0 || (size_t)employee >= p->employees.n)
        return NULL;
    return ((rs_employee *)p->employees.items)[employee].id;
}

int waras_roster_shift_index(const waras_roster_problem *p, const char *id)
{
    const rs_shift *sh = p->shifts.items;
    for (size_t i = 0; i < p->shifts.n; i++)
        if (strcmp(sh[i].id, id) == 0)
            return (int)i;
    return -1;
}

int waras_roster_employee_index(const waras_roster_problem *p, const char *id)
{
    const rs_employee *em = p->employees.items;
    for (size_t i = 0; i < p->employees.n; i++)
        if (strcmp(em[i].id, id) == 0)
            return (int)i;
    return -1;
}

static int check_id(const char *id)
{
    if (!id || !*id)
        return waras_error_msg(WARAS_EINVAL, "empty id");
    /* "-" is an off cell in a roster file; separators would break the formats. */
    if (strcmp(id, "-") == 0)
        return waras_error_msg(WARAS_EINVAL, "id '-' is reserved for a day off");
    for (const char *c = id; *c; c++)
        if ((unsigned char)*c <= ' ' || *c == ',' || *c == '|' || *c == '=')
            return waras_error_msg(WARAS_EINVAL, "id '%s' contains a blank, ',', '|' or '='", id);
    return 0;
}

int waras_roster_add_shift(waras_roster_problem *p, int *index, const char *id, int minutes)
{
    int rc = check_id(id);
    if (rc)
        return rc;
    if (minutes < 0 || minutes > 24 * 60 * 7)
        return waras_error_msg(WARAS_EINVAL, "shift '%s' length %d minutes is out of range", id, minutes);
    if (p->shifts.n >= WARAS_ROSTER_MAX_SHIFTS)
        return waras_error_msg(WARAS_ELIMIT, "more than %d shift types", WARAS_ROSTER_MAX_SHIFTS);
    if (waras_roster_shift_index(p, id) >= 0)
        return waras_error_msg(WARAS_EEXISTS, "shift '%s' is defined twice", id);
    rs_shift s = {waras_strdup(id), minutes};
    if (!s.id)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    rc = vec_push(&p->shifts, &s, sizeof(s));
    if (rc) {
        free(s.id);
        return rc;
    }
    if (index)
        *index = (int)p->shifts.n - 1;
    return 0;
}

static int check_shift(const waras_roster_problem *p, int s)
{
    if (s < 0 || (size_t)s >= p->shifts.n)
        return waras_error_msg(WARAS_EINVAL, "shift index %d out of range", s);
    return 0;
}

static int check_emp_day(const waras_roster_problem *p, int e, int d)
{
    if (e < 0 || (size_t)e >= p->employees.n)
        return waras_error_msg(WARAS_EINVAL, "employee index %d out of range", e);
    if (d < 0 || d >= p->ndays)
        return waras_error_msg(WARAS_EINVAL, "day %d is outside the horizon 0..%d", d, p->ndays - 1);
    return 0;
}

int waras_roster_forbid_sequence(waras_roster_problem *p, int first, int next)
{
    int rc = check_shift(p, first);
    if (!rc)
        rc = check_shift(p, next);
    if (rc)
        return rc;
    rs_pair pr = {first, next};
    return vec_push(&p->forbid, &pr, sizeof(pr));
}

int waras_roster_add_employee(waras_roster_problem *p, int *index, const char *id)
{
    int rc = check_id(id);
    if (rc)
        return rc;
    if (p->employees.n >= WARAS_ROSTER_MAX_EMPLOYEES)
        return waras_error_msg(WARAS_ELIMIT, "more than %d employees", WARAS_ROSTER_MAX_EMPLOYEES);
    if (waras_roster_employee_index(p, id) >= 0)
        return waras_error_msg(WARAS_EEXISTS, "employee '%s' is defined twice", id);
    rs_employee e = {0};
    e.id = waras_strdup(id);
    if (!e.id)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    e.lim = (waras_roster_limits){-1, -1, -1, -1, -1, -1};
    rc = vec_push(&p->employees, &e, sizeof(e));
    if (rc) {
        free(e.id);
        return rc;
    }
    if (index)
        *index = (int)p->employees.n - 1;
    return 0;
}

int waras_roster_set_limits(waras_roster_problem *p, int employee, const waras_roster_limits *lim)
{
    int rc = check_emp_day(p, employee, 0);
    if (rc)
        return rc;
    if (lim->min_minutes < -1 || lim->max_minutes < -1 || lim->min_consecutive < -1 ||
        lim->max_consecutive < -1 || lim->min_days_off < -1 || lim->max_weekends < -1)
        return waras_error_msg(WARAS_EINVAL, "a limit is negative");
    ((rs_employee *)p->employees.items)[employee].lim = *lim;
    return 0;
}

int waras_roster_set_max_shifts(waras_roster_problem *p, int employee, int shift, int max)
{
    int rc = check_emp_day(p, employee, 0);
    if (!rc)
        rc = check_shift(p, shift);
    if (rc)
        return rc;
    if (max < -1)
        return waras_error_msg(WARAS_EINVAL, "maximum %d is negative", max);
    rs_triple t = {employee, shift, max};
    return vec_push(&p->maxshift, &t, sizeof(t));
}

int waras_roster_set_day_off(waras_roster_problem *p, int employee, int day)
{
    int rc = check_emp_day(p, employee, day);
    if (rc)
        return rc;
    rs_triple t = {employee, day, 0};
    return vec_push(&p->daysoff, &t, sizeof(t));
}

int waras_roster_lock(waras_roster_problem *p, int employee, int day, int shift)
{
    int rc = check_emp_day(p, employee, day);
    if (!rc && shift != WARAS_ROSTER_OFF)
        rc = check_shift(p, shift);
    if (rc)
        return rc;
    rs_triple t = {employee, day, shift};
    return vec_push(&p->locks, &t, sizeof(t));
}

int waras_roster_add_request(waras_roster_problem *p, int employee, int day, int shift, int on,
                             int weight)
{
    int rc = check_emp_day(p, employee, day);
    if (!rc)
        rc = check_shift(p, shift);
    if (rc)
        return rc;
    if (weight < 0 || weight > 1000000)
        return waras_error_msg(WARAS_EINVAL, "request weight %d is outside 0..1000000", weight);
    rs_request r = {employee, day, shift, on != 0, weight};
    return vec_push(&p->requests, &r, sizeof(r));
}

int waras_roster_set_cover(waras_roster_problem *p, int day, int shift, int required,
                           int weight_under, int weight_over)
{
    int rc = check_shift(p, shift);
    if (rc)
        return rc;
    if (day < 0 || day >= p->ndays)
        return waras_error_msg(WARAS_EINVAL, "day %d is outside the horizon 0..%d", day, p->ndays - 1);
    if (required < 0 || required > WARAS_ROSTER_MAX_EMPLOYEES || weight_under < 0 ||
        weight_under > 1000000 || weight_over < 0 || weight_over > 1000000)
        return waras_error_msg(WARAS_EINVAL, "cover requirement or weight out of range");
    rs_cover c = {day, shift, required, weight_under, weight_over};
    return vec_push(&p->cover, &c, sizeof(c));
}

int waras_roster_set_fairness(waras_roster_problem *p, int employee, long target_minutes, int weight)
{
    int rc = check_emp_day(p, employee, 0);
    if (rc)
        return rc;
    if (target_minutes < 0 || weight < 0 || weight > 1000000)
        return waras_error_msg(WARAS_EINVAL, "fairness target or weight out of range");
    rs_employee *e = &((rs_employee *)p->employees.items)[employee];
    e->fair_target = target_minutes;
    e->fair_weight = weight;
    return 0;
}

double waras_roster__row_cost(const rs_model *m, int e, const int *row)
{
    double c = 0;
    long mins = 0;
    const int *cc = m->cellcost + (size_t)e * m->D * m->V;
    for (int d = 0; d < m->D; d++) {
        c += cc[d * m->V + row[d] + 1];
        if (row[d] >= 0)
            mins += m->minutes[row[d]];
    }
    if (m->fair_weight[e]) {
        long dev = mins - m->fair_target[e];
        c += (double)(dev < 0 ? -dev : dev) * m->fair_weight[e];
    }
    return c;
}

void waras_roster__model_free(rs_model *m)
{
    if (!m)
        return;
    free(m->minutes);
    free(m->forbid);
    free(m->maxs);
    free(m->lim);
    free(m->fair_target);
    free(m->fair_weight);
    free(m->cellcost);
    free(m->allowed);
    free(m->req);
    free(m->wunder);
    free(m->wover);
    memset(m, 0, sizeof(*m));
}

int waras_roster__model_build(rs_model *m, const waras_roster_problem *p)
{
    int rc = 0;
    memset(m, 0, sizeof(*m));
    int D = p->ndays, S = (int)p->shifts.n, E = (int)p->employees.n, V = S + 1;
    size_t cells = (size_t)E * (size_t)D * (size_t)V;
    m->D = D;
    m->S = S;
    m->E = E;
    m->V = V;
    m->minutes = calloc((size_t)S + 1, sizeof(int));
    m->forbid = calloc((size_t)S * S + 1, 1);
    m->maxs = calloc((size_t)E * S + 1, sizeof(int));
    m->lim = calloc((size_t)E + 1, sizeof(*m->lim));
    m->fair_target = calloc((size_t)E + 1, sizeof(long));
    m->fair_weight = calloc((size_t)E + 1, sizeof(int));
    m->cellcost = calloc(cells + 1, sizeof(int));
    m->allowed = malloc(cells + 1);
    m->req = calloc((size_t)D * S + 1, sizeof(int));
    m->wunder = calloc((size_t)D * S + 1, sizeof(int));
    m->wover = calloc((size_t)D * S + 1, sizeof(int));
    if (!m->minutes || !m->forbid || !m->maxs || !m->lim || !m->fair_target || !m->fair_weight ||
        !m->cellcost || !m->allowed || !m->req || !m->wunder || !m->wover) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    memset(m->allowed, 1, cells + 1);
    const rs_shift *sh = p->shifts.items;
    long total = 0;
    for (int s = 0; s < S; s++) {
        m->minutes[s] = sh[s].minutes;
        total += sh[s].minutes;
    }
    m->unit_minutes = S && total / S > 0 ? (int)(total / S) : 1;
    const rs_pair *fp = p->forbid.items;
    for (size_t i = 0; i < p->forbid.n; i++)
        m->forbid[fp[i].a * S + fp[i].b] = 1;
    for (size_t i = 0; i < (size_t)E * S; i++)
        m->maxs[i] = INT_MAX;
    const rs_triple *mx = p->maxshift.items;
    for (size_t i = 0; i < p->maxshift.n; i++)
        m->maxs[mx[i].emp * S + mx[i].day] = mx[i].value < 0 ? INT_MAX : mx[i].value;
    const rs_employee *em = p->employees.items;
    for (int e = 0; e < E; e++) {
        waras_roster_limits l = em[e].lim;
        if (l.min_minutes < 0)
            l.min_minutes = 0;
        if (l.max_minutes < 0)
            l.max_minutes = LONG_MAX / 4;
        if (l.min_consecutive < 0)
            l.min_consecutive = 0;
        if (l.max_consecutive < 0)
            l.max_consecutive = INT_MAX / 4;
        if (l.min_days_off < 0)
            l.min_days_off = 0;
        if (l.max_weekends < 0)
            l.max_weekends = INT_MAX / 4;
        m->lim[e] = l;
        m->fair_target[e] = em[e].fair_target;
        m->fair_weight[e] = em[e].fair_weight;
        for (int s = 0; s < S; s++)
            if (m->maxs[e * S + s] == 0)
                for (int d = 0; d < D; d++)
                    m->allowed[((size_t)e * D + d) * V + s + 1] = 0;
    }
    const rs_triple *off = p->daysoff.items;
    for (size_t i = 0; i < p->daysoff.n; i++)
        for (int s = 0; s < S; s++)
            m->allowed[((size_t)off[i].emp * D + off[i].day) * V + s + 1] = 0;
    /* A lock leaves one value; if that value is also forbidden the problem is
     * infeasible, and the scorer reports it. */
    const rs_triple *lk = p->locks.items;
    for (size_t i = 0; i < p->locks.n; i++)
        for (int v = -1; v < S; v++)
            m->allowed[((size_t)lk[i].emp * D + lk[i].day) * V + v + 1] = (v == lk[i].value);
    const rs_request *rq = p->requests.items;
    for (size_t i = 0; i < p->requests.n; i++) {
        int *cc = &m->cellcost[((size_t)rq[i].emp * D + rq[i].day) * V];
        for (int v = -1; v < S; v++)
            if (rq[i].on ? v != rq[i].shift : v == rq[i].shift)
                cc[v + 1] += rq[i].weight;
    }
    const rs_cover *cv = p->cover.items;
    for (size_t i = 0; i < p->cover.n; i++) {
        int k = cv[i].day * S + cv[i].shift;
        m->req[k] = cv[i].required;
        m->wunder[k] = cv[i].under;
        m->wover[k] = cv[i].over;
    }
cleanup:
    if (rc)
        waras_roster__model_free(m);
    return rc;
}
