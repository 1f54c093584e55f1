/*
 * The recovery-leave planner on the rostering engine. An engine day is a
 * working day of the window (Monday to Friday, less the public holidays all
 * members share), with a padding day off for everyone at each end so that no
 * leave run touches the horizon's edge (the engine exempts such runs from
 * the minimum run length). Employees are the project members; one shift
 * "leave" of one minute, with exactly N minutes and runs of exactly N, is N
 * consecutive working days of leave. "At most K away" is cover with no
 * minimum and a huge cost per person above the room that existing leave
 * leaves that day; a member's own leave days are days off; recorded on-call
 * turns are heavy requests not to take leave; the order (highest recent
 * risk first) is a light request whose cost grows with the day index.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libical/ical.h>

#include "plan/plan_int.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/metrics.h"
#include "waras/recovery.h"
#include "waras/risk.h"
#include "waras/roster.h"
#include "waras/time.h"
#include "time/days.h"

#define MAX_TEAM 512
#define EXTRA_WEEKS 26          /* how far a suggested window may grow */
#define COVER_WEIGHT 1000000L   /* per person away above the cap: the engine's largest weight */
#define ONCALL_WEIGHT 20000     /* per leave day inside a recorded on-call turn */

typedef struct rplanner {
    const waras_recovery_opts *o;
    waras_person *team;   /* all team members */
    int nteam;
    int *member;          /* team index of each project member */
    int m;
    const waras_tz *anchor;
    int ndays;            /* calendar days read: (window + EXTRA_WEEKS) * 7 */
    unsigned char *away;  /* nteam * ndays: 1 leave, 2 holiday */
    unsigned char *oncall;/* m * ndays */
    char (*turns)[256];   /* m: turns met, as text */
    int cap;
} rplanner;


static void day_label(char *buf, size_t size, int64_t day)
{
    int y, m, d;
    waras_time__civil_from_days(&y, &m, &d, day);
    snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
}

typedef struct leave_ctx {
    rplanner *pl;
    int64_t first;
    int who;
} leave_ctx;

static int on_leave(void *ctx, const waras_event *ev)
{
    leave_ctx *c = ctx;
    const waras_tz *tz;
    int rc = waras_tz_get(&tz, c->pl->team[c->who].timezone);
    if (rc)
        return rc;
    json_t *attrs = ev->attrs ? json_loads(ev->attrs, 0, NULL) : NULL;
    json_t *type = json_object_get(attrs, "type"), *project = json_object_get(attrs, "project");
    /* This project's own planned leave is what a re-plan replaces. */
    if (ev->source_kind && strcmp(ev->source_kind, "plan-recovery") == 0 &&
        json_is_string(project) && strcmp(json_string_value(project), c->pl->o->project) == 0) {
        json_decref(attrs);
        return 0;
    }
    /* A public holiday (an event of kind holiday, or leave of that type) is
     * never spent as a day of recovery leave. */
    unsigned char mark = strcmp(ev->kind, "holiday") == 0 ||
                                 (json_is_string(type) &&
                                  strcmp(json_string_value(type), "holiday") == 0)
                             ? 2
                             : 1;
    json_decref(attrs);
    for (int d = 0; d < c->pl->ndays; d++)
        if (ev->start < waras_time__day_start(tz, c->first + d + 1) &&
            ev->end > waras_time__day_start(tz, c->first + d))
            c->pl->away[(size_t)c->who * (size_t)c->pl->ndays + (size_t)d] = mark;
    return 0;
}

typedef struct turn_ctx {
    rplanner *pl;
    int64_t first;
    waras_plan_assignment *seen; /* kept turns (strings not kept) */
    char (*roles)[48];
    size_t n, cap;
} turn_ctx;

static int on_turn(void *ctx, const waras_plan_assignment *a)
{
    turn_ctx *c = ctx;
    rplanner *pl = c->pl;
    /* A newer plan replaces an older one for the same role and time. */
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->roles[i], a->role) == 0 && c->seen[i].start < a->end &&
            c->seen[i].end > a->start)
            return 0;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 32;
        waras_plan_assignment *s = realloc(c->seen, cap * sizeof(*s));
        if (s)
            c->seen = s;
        char(*r)[48] = realloc(c->roles, cap * sizeof(*r));
        if (r)
            c->roles = r;
        if (!s || !r)
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        c->cap = cap;
    }
    c->seen[c->n] = *a;
    waras_strlcpy(c->roles[c->n], a->role, sizeof(c->roles[0]));
    c->n++;
    for (int k = 0; k < pl->m; k++) {
        const waras_person *p = &pl->team[pl->member[k]];
        if (strcmp(p->id, a->person) != 0)
            continue;
        const waras_tz *tz;
        int rc = waras_tz_get(&tz, p->timezone);
        if (rc)
            return rc;
        /* The handover morning belongs to the next turn. */
        for (int d = 0; d < pl->ndays; d++)
            if (a->start < waras_time__day_start(tz, c->first + d + 1) &&
                a->end - 12 * 3600 > waras_time__day_start(tz, c->first + d))
                pl->oncall[(size_t)k * (size_t)pl->ndays + (size_t)d] = 1;
    }
    return 0;
}

/* Working days (offsets from the window's Monday) of the first `weeks`
 * weeks: Monday to Friday, less holidays every member shares. */
static int working_days(const rplanner *pl, int weeks, int *out)
{
    int n = 0;
    for (int d = 0; d < weeks * 7 && d < pl->ndays; d++) {
        if (d % 7 >= 5)
            continue;
        int all_holiday = 1;
        for (int k = 0; k < pl->m && all_holiday; k++)
            all_holiday = pl->away[(size_t)pl->member[k] * (size_t)pl->ndays + (size_t)d] == 2;
        if (!all_holiday)
            out[n++] = d;
    }
    return n;
}

/* People free to be away that day under cap: cap less those already away. */
static int room_on(const rplanner *pl, int d, int cap)
{
    int away = 0;
    for (int e = 0; e < pl->nteam; e++)
        away += pl->away[(size_t)e * (size_t)pl->ndays + (size_t)d] == 1;
    return cap > away ? cap - away : 0;
}

/* A constructive check: members in rank order, each at the earliest run of
 * N working days with room. Success proves the rules can hold (it builds a
 * valid staggering); it is used to compute suggestions, not the plan. */
static int greedy_fits(const rplanner *pl, const int *order, int weeks, int cap, int *wd, int *room)
{
    int nw = working_days(pl, weeks, wd), N = pl->o->days;
    for (int i = 0; i < nw; i++)
        room[i] = room_on(pl, wd[i], cap);
    for (int r = 0; r < pl->m; r++) {
        int k = order[r], placed = 0;
        for (int s = 0; s + N <= nw && !placed; s++) {
            int ok = 1;
            for (int j = s; j < s + N && ok; j++)
                ok = room[j] > 0 &&
                     !pl->away[(size_t)pl->member[k] * (size_t)pl->ndays + (size_t)wd[j]];
            if (!ok)
                continue;
            for (int j = s; j < s + N; j++)
                room[j]--;
            placed = 1;
        }
        if (!placed)
            return 0;
    }
    return 1;
}

/* Says what would make the request feasible: the shortest longer window
 * and the smallest larger cap for which the constructive placement finds a
 * valid staggering. Overwrites wd and room. */
static void suggest(waras_recovery_plan *plan, const rplanner *pl, const int *order, int W,
                    int *wd, int *room)
{
    const waras_recovery_opts *o = pl->o;
    int w2 = 0, k2 = 0;
    for (int w = W + 1; w <= W + EXTRA_WEEKS && !w2; w++)
        if (pl->cap >= 1 && greedy_fits(pl, order, w, pl->cap, wd, room))
            w2 = w;
    for (int k = pl->cap + 1; k <= pl->nteam && !k2; k++)
        if (greedy_fits(pl, order, W, k, wd, room))
            k2 = k;
    char a[64] = "", b[64] = "";
    if (w2)
        snprintf(a, sizeof(a), "a window of %d weeks", w2);
    if (k2 && o->min_staff > 0 && !o->max_away)
        snprintf(b, sizeof(b), "at least %d at work (at most %d away at once)", pl->nteam - k2,
                 k2);
    else if (k2)
        snprintf(b, sizeof(b), "at most %d away at once", k2);
    snprintf(plan->suggestion, sizeof(plan->suggestion), "%s%s%s", a, *a && *b ? ", or " : "", b);
    plan->feasible = 0;
}

static int load_people(rplanner *pl, waras_store *st)
{
    const waras_recovery_opts *o = pl->o;
    waras_person *all = NULL;
    size_t nall = 0;
    int rc = waras_store_people_list(&all, &nall, st);
    if (rc)
        return rc;
    pl->team = calloc(nall ? nall : 1, sizeof(*pl->team));
    pl->member = calloc(nall ? nall : 1, sizeof(int));
    if (!pl->team || !pl->member) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < nall && pl->nteam < MAX_TEAM; i++)
        if (strcmp(all[i].team, o->team) == 0)
            pl->team[pl->nteam++] = all[i];
    if (!pl->nteam) {
        rc = waras_error_msg(WARAS_ENOTFOUND, "no people in team '%s'", o->team);
        goto cleanup;
    }
    if (!o->members) {
        for (int e = 0; e < pl->nteam && pl->m < WARAS_RECOVERY_MAX_MEMBERS; e++)
            pl->member[pl->m++] = e;
        goto cleanup;
    }
    for (size_t i = 0; i < o->nmembers; i++) {
        int found = -1;
        for (int e = 0; e < pl->nteam; e++)
            if (strcmp(pl->team[e].id, o->members[i]) == 0 ||
                waras_strcaseeq(pl->team[e].email, o->members[i]))
                found = e;
        if (found < 0) {
            rc = waras_error_msg(WARAS_ENOTFOUND, "'%s' is not on team %s", o->members[i],
                                 o->team);
            goto cleanup;
        }
        int dup = 0;
        for (int k = 0; k < pl->m; k++)
            dup |= pl->member[k] == found;
        if (!dup && pl->m < WARAS_RECOVERY_MAX_MEMBERS)
            pl->member[pl->m++] = found;
    }
cleanup:
    free(all);
    return rc;
}

static int by_rank(const void *a, const void *b)
{
    const waras_recovery_leave *x = a, *y = b;
    return (x->rank > y->rank) - (x->rank < y->rank);
}

/* Places one member on the engine: a one-employee problem over the
 * working days, days without room or on the member's own leave off, the
 * cost growing with the day and with recorded on-call turns. *first is the
 * working-day index of the run, or -1 when the engine found none. b is
 * this member's share of the budget. */
static int place_one(const rplanner *pl, int k, const int *wd, int nw, const int *room,
                     const waras_plan_budget *b, int *first)
{
    waras_roster_problem *rp = NULL;
    waras_roster_result res = {0};
    int rc, shift, e, N = pl->o->days;
    *first = -1;
    if ((rc = waras_roster_problem_new(&rp, nw + 2)) ||
        (rc = waras_roster_add_shift(rp, &shift, "leave", 1)) ||
        (rc = waras_roster_add_employee(rp, &e, pl->team[pl->member[k]].id)))
        goto cleanup;
    waras_roster_limits lim = {N, N, N, N, WARAS_ROSTER_NOLIMIT, WARAS_ROSTER_NOLIMIT};
    if ((rc = waras_roster_set_limits(rp, e, &lim)) || (rc = waras_roster_set_day_off(rp, e, 0)) ||
        (rc = waras_roster_set_day_off(rp, e, nw + 1)))
        goto cleanup;
    for (int i = 0; i < nw && !rc; i++) {
        if (room[i] <= 0 || pl->away[(size_t)pl->member[k] * (size_t)pl->ndays + (size_t)wd[i]])
            rc = waras_roster_set_day_off(rp, e, i + 1);
        else
            rc = waras_roster_add_request(
                rp, e, i + 1, shift, 0,
                i + 1 + (pl->oncall[(size_t)k * (size_t)pl->ndays + (size_t)wd[i]] ? ONCALL_WEIGHT : 0));
    }
    if (rc)
        goto cleanup;
    waras_roster_solve_opts so;
    waras_plan__solve_opts(&so, b, 1, 50000);
    if ((rc = waras_roster_solve(&res, rp, &so)))
        goto cleanup;
    if (res.feasible) {
        int len = 0, runs = 0, at = -1;
        for (int i = 1; i <= nw; i++) {
            if (res.cells[i] == shift) {
                if (!len++) {
                    runs++;
                    at = i - 1;
                }
            } else {
                len = 0;
            }
        }
        if (runs == 1)
            *first = at;
    }
cleanup:
    waras_roster_result_free(&res);
    waras_roster_problem_free(rp);
    return rc;
}

int waras_recovery_plan_make(waras_recovery_plan *plan, waras_store *st,
                             const waras_recovery_opts *o)
{
    rplanner pl = {.o = o};
    waras_roster_problem *rp = NULL;
    waras_roster_result res = {0};
    waras_roster_score sc = {0};
    turn_ctx tc = {.pl = &pl};
    int *order = NULL, *wd = NULL, *room = NULL, *starts = NULL, rc = 0;
    memset(plan, 0, sizeof(*plan));
    int W = o->window_weeks > 0 ? o->window_weeks : 6, N = o->days;
    if (!o->team || !o->project || N < 1 || N > 60 || W > 52)
        return waras_error_msg(WARAS_EINVAL, "a team, a project, 1-60 days and a window of at "
                                             "most 52 weeks");
    waras_strlcpy(plan->team, o->team, sizeof(plan->team));
    waras_strlcpy(plan->project, o->project, sizeof(plan->project));
    int64_t ends = waras_time__days(o->ends);
    int64_t fm = waras_time__monday(ends + 1);
    if (fm < ends + 1)
        fm += 7;
    plan->first_monday = waras_time__date(fm);
    plan->window_weeks = W;
    plan->days = N;
    if ((rc = load_people(&pl, st)) || (rc = waras_tz_get(&pl.anchor, pl.team[0].timezone)))
        goto cleanup;
    pl.cap = o->max_away > 0    ? o->max_away
             : o->min_staff > 0 ? pl.nteam - o->min_staff
                                : (pl.nteam / 3 > 1 ? pl.nteam / 3 : 1);
    plan->cap = pl.cap;
    pl.ndays = (W + EXTRA_WEEKS) * 7;
    pl.away = calloc((size_t)pl.nteam * (size_t)pl.ndays, 1);
    pl.oncall = calloc((size_t)pl.m * (size_t)pl.ndays, 1);
    pl.turns = calloc((size_t)pl.m, sizeof(*pl.turns));
    order = calloc((size_t)pl.m, sizeof(int));
    wd = calloc((size_t)pl.ndays, sizeof(int));
    room = calloc((size_t)pl.ndays, sizeof(int));
    plan->leave = calloc((size_t)pl.m, sizeof(*plan->leave));
    if (!pl.away || !pl.oncall || !pl.turns || !order || !wd || !room || !plan->leave) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    plan->nleave = (size_t)pl.m;

    /* Existing leave of the whole team; recorded on-call turns. */
    waras_instant h0 = waras_time__day_start(pl.anchor, fm) - 86400,
                  h1 = waras_time__day_start(pl.anchor, fm + pl.ndays) + 86400;
    for (int e = 0; e < pl.nteam; e++) {
        leave_ctx lc = {&pl, fm, e};
        if ((rc = waras_store_events_each(st, pl.team[e].id, "leave,holiday", h0, h1, on_leave,
                                          &lc)))
            goto cleanup;
    }
    tc.first = fm;
    if ((rc = waras_store_plan_assignments_each(st, "oncall", o->team, h0, h1, on_turn, &tc)))
        goto cleanup;

    /* Recent load and risk, the last 4 weeks before the window. */
    waras_policy pol;
    waras_policy_default(&pol);
    for (int k = 0; k < pl.m; k++) {
        const waras_person *p = &pl.team[pl.member[k]];
        waras_recovery_leave *l = &plan->leave[k];
        waras_strlcpy(l->person, p->id, sizeof(l->person));
        waras_strlcpy(l->name, p->name, sizeof(l->name));
        waras_strlcpy(l->email, p->email, sizeof(l->email));
        waras_week_metrics *wm = NULL;
        size_t nw = 0;
        if ((rc = waras_metrics_weeks(&wm, &nw, st, p, NULL, waras_time__date(fm - 28),
                                      waras_time__date(fm - 7))))
            goto cleanup;
        waras_risk risk;
        waras_risk_compute(&risk, &pol, wm, nw);
        for (size_t i = 0; i < nw; i++)
            l->recent_hours += wm[i].worked_hours;
        free(wm);
        l->risk_score = risk.score;
        l->risk_level = risk.level;
    }
    /* Rank: highest risk, then most hours, then id. */
    for (int k = 0; k < pl.m; k++) {
        int r = 0;
        const waras_recovery_leave *a = &plan->leave[k];
        for (int j = 0; j < pl.m; j++) {
            const waras_recovery_leave *b = &plan->leave[j];
            if (b->risk_score > a->risk_score ||
                (b->risk_score == a->risk_score &&
                 (b->recent_hours > a->recent_hours ||
                  (b->recent_hours == a->recent_hours && strcmp(b->person, a->person) < 0))))
                r++;
        }
        plan->leave[k].rank = r;
        order[r] = k;
    }

    /* What cannot hold, and what would make it hold. */
    int nw = working_days(&pl, W, wd);
    long need = (long)pl.m * N, have = 0;
    for (int i = 0; i < nw; i++)
        have += room_on(&pl, wd[i], pl.cap);
    if (pl.cap < 1)
        waras_str_append_line(plan->why, sizeof(plan->why), "--min-staff %d leaves nobody free to be away in a team of %d", o->min_staff,
             pl.nteam);
    else if (need > have)
        waras_str_append_line(plan->why, sizeof(plan->why), "%d people x %d days = %ld leave-days, but %d week%s with at most %d away at "
                   "once (existing leave counted) hold only %ld",
             pl.m, N, need, W, W == 1 ? "" : "s", pl.cap, have);
    if (plan->why[0]) {
        suggest(plan, &pl, order, W, wd, room);
        goto cleanup;
    }
    nw = working_days(&pl, W, wd);
    starts = calloc((size_t)pl.m, sizeof(int));
    if (!starts) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }

    /* First the strict order: members one at a time, highest risk first,
     * each a small problem on the engine over the room the others left. */
    const waras_plan_budget *b = &o->budget;
    waras_plan_budget slice = {.time_limit = (b->time_limit > 0 ? b->time_limit : 1) / (2.0 * pl.m),
                               .seed = b->seed};
    if (b->iterations > 0) {
        /* With a work budget, each member's search has its share of it
         * (and of the time limit, which may then be none). */
        slice.time_limit = b->time_limit > 0 ? b->time_limit / (2.0 * pl.m) : 0;
        slice.iterations = b->iterations / (2L * pl.m) > 0 ? b->iterations / (2L * pl.m) : 1;
    }
    int placed = 0;
    for (int i = 0; i < nw; i++)
        room[i] = room_on(&pl, wd[i], pl.cap);
    for (int r = 0; r < pl.m; r++, placed++) {
        int k = order[r];
        if ((rc = place_one(&pl, k, wd, nw, room, &slice, &starts[k])))
            goto cleanup;
        if (starts[k] < 0)
            break;
        for (int j = starts[k]; j < starts[k] + N; j++)
            room[j]--;
    }
    if (placed == pl.m) {
        plan->feasible = 1;
        goto fill;
    }

    /* Else the joint problem: everyone at once. */
    plan->joint = 1;
    int shift;
    if ((rc = waras_roster_problem_new(&rp, nw + 2)) ||
        (rc = waras_roster_add_shift(rp, &shift, "leave", 1)))
        goto cleanup;
    for (int k = 0; k < pl.m && !rc; k++) {
        int e;
        if ((rc = waras_roster_add_employee(rp, &e, plan->leave[k].person)))
            break;
        waras_roster_limits lim = {N, N, N, N, WARAS_ROSTER_NOLIMIT, WARAS_ROSTER_NOLIMIT};
        if ((rc = waras_roster_set_limits(rp, e, &lim)) ||
            (rc = waras_roster_set_day_off(rp, e, 0)) ||
            (rc = waras_roster_set_day_off(rp, e, nw + 1)))
            break;
        /* Keep the order's weights under the on-call weight. */
        int prio = (pl.m - plan->leave[k].rank) * 1000 / (pl.m * (nw + 1)) + 1;
        for (int i = 0; i < nw && !rc; i++) {
            size_t cell = (size_t)k * (size_t)pl.ndays + (size_t)wd[i];
            if (pl.away[(size_t)pl.member[k] * (size_t)pl.ndays + (size_t)wd[i]])
                rc = waras_roster_set_day_off(rp, e, i + 1);
            else
                rc = waras_roster_add_request(rp, e, i + 1, shift, 0,
                                              prio * (i + 1) + (pl.oncall[cell] ? ONCALL_WEIGHT : 0));
        }
    }
    for (int i = 0; i < nw && !rc; i++)
        rc = waras_roster_set_cover(rp, i + 1, shift, room_on(&pl, wd[i], pl.cap), 0,
                                    (int)COVER_WEIGHT);
    if (rc)
        goto cleanup;
    waras_roster_solve_opts so;
    waras_plan__solve_opts(&so, &o->budget, 1, 300000);
    if ((rc = waras_roster_solve(&res, rp, &so)) ||
        (rc = waras_roster_score_compute(&sc, rp, res.cells)))
        goto cleanup;
    plan->objective = sc.objective;
    plan->feasible = sc.feasible && sc.cover_over == 0;
    for (int k = 0; k < pl.m; k++) {
        int runs = 0, len = 0, first = -1, last = -1;
        starts[k] = -1;
        for (int i = 0; i <= nw + 1; i++) {
            int on = res.cells[(size_t)k * (size_t)(nw + 2) + (size_t)i] == shift;
            if (on) {
                if (!len)
                    runs++;
                len++;
                if (first < 0)
                    first = i - 1;
                last = i - 1;
            } else {
                len = 0;
            }
        }
        if (runs != 1 || first < 0 || last - first + 1 != N)
            plan->feasible = 0;
        else
            starts[k] = first;
    }
fill:
    for (int k = 0; plan->feasible && k < pl.m; k++) {
        int first = starts[k], last = first + N - 1;
        waras_recovery_leave *l = &plan->leave[k];
        l->first_day = waras_time__date(fm + wd[first]);
        l->last_day = waras_time__date(fm + wd[last]);
        for (int i = first; i <= last; i++)
            if (pl.oncall[(size_t)k * (size_t)pl.ndays + (size_t)wd[i]]) {
                char d[16];
                day_label(d, sizeof(d), fm + wd[i]);
                size_t n = strlen(l->oncall_conflicts);
                snprintf(l->oncall_conflicts + n, sizeof(l->oncall_conflicts) - n, "%s%s",
                         n ? "," : "", d);
            }
    }
    if (!plan->feasible) {
        waras_str_append_line(plan->why, sizeof(plan->why), "no staggering of %d consecutive working days each, around existing leave "
                   "with at most %d away at once, was found: not in rank order, nor by the "
                   "rostering engine placing everyone at once within its time limit",
             N, pl.cap);
        suggest(plan, &pl, order, W, wd, room);
    }
cleanup:
    if (plan->leave && plan->nleave)
        qsort(plan->leave, plan->nleave, sizeof(*plan->leave), by_rank);
    waras_roster_score_free(&sc);
    waras_roster_result_free(&res);
    waras_roster_problem_free(rp);
    free(tc.seen);
    free(tc.roles);
    free(pl.team);
    free(pl.member);
    free(pl.away);
    free(pl.oncall);
    free(pl.turns);
    free(order);
    free(starts);
    free(wd);
    free(room);
    if (rc)
        waras_recovery_plan_free(plan);
    return rc;
}

void waras_recovery_plan_free(waras_recovery_plan *plan)
{
    if (!plan)
        return;
    free(plan->leave);
    plan->leave = NULL;
    plan->nleave = 0;
}

static int person_tz(waras_store *st, const char *id, const waras_tz **tz)
{
    waras_person p;
    int rc = waras_store_person_get(&p, st, id);
    return rc ? rc : waras_tz_get(tz, p.timezone);
}

int waras_recovery_plan_record(waras_recovery_plan *plan, waras_store *st)
{
    int rc = waras_store_begin(st);
    if (!rc)
        rc = waras_recovery__record_rows(plan, st);
    if (!rc)
        rc = waras_store_commit(st);
    if (rc)
        waras_store_rollback(st);
    return rc;
}

int waras_recovery__record_rows(waras_recovery_plan *plan, waras_store *st)
{
    int rc;
    if (!plan->feasible || !plan->nleave)
        return waras_error_msg(WARAS_EINVAL, "only a feasible plan is recorded");
    char attrs[512];
    json_t *a = json_pack("{s:s,s:i,s:i,s:i}", "project", plan->project, "days", plan->days,
                          "window_weeks", plan->window_weeks, "max_away", plan->cap);
    char *text = a ? json_dumps(a, JSON_COMPACT) : NULL;
    json_decref(a);
    if (!text)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    waras_strlcpy(attrs, text, sizeof(attrs));
    free(text);
    const waras_tz *tz;
    if ((rc = person_tz(st, plan->leave[0].person, &tz)))
        return rc;
    int64_t fm = waras_time__days(plan->first_monday);
    rc = waras_store_plan_add(&plan->plan_id, st, "recovery", plan->team,
                              waras_time__day_start(tz, fm),
                              waras_time__day_start(tz, fm + 7 * plan->window_weeks), attrs);
    for (size_t i = 0; !rc && i < plan->nleave; i++) {
        const waras_recovery_leave *l = &plan->leave[i];
        if ((rc = person_tz(st, l->person, &tz)))
            break;
        waras_instant s = waras_tz_date_start(tz, l->first_day),
                      e = waras_tz_date_start(tz, waras_date_add(l->last_day, 1));
        if ((rc = waras_store_plan_assign(st, plan->plan_id, l->person, "recovery", s, e)))
            break;
        char key[160], ev_attrs[300];
        /* One key per project: recording a re-plan moves the leave. */
        snprintf(key, sizeof(key), "recovery-%s", plan->project);
        json_t *o = json_pack("{s:s,s:b,s:s}", "type", "recovery", "planned", 1, "project",
                              plan->project);
        char *t = o ? json_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
        if (!t) {
            rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
            break;
        }
        waras_strlcpy(ev_attrs, t, sizeof(ev_attrs));
        free(t);
        waras_event ev = {.person = l->person,
                          .kind = "leave",
                          .start = s,
                          .end = e,
                          .all_day = 1,
                          .source_kind = "plan-recovery",
                          .source_key = key,
                          .attrs = ev_attrs};
        int changed;
        rc = waras_store_event_put(&changed, st, &ev);
    }
    return rc;
}

int waras_recovery_plan_ics(char **out, const waras_recovery_plan *plan)
{
    icalcomponent *cal = waras_plan__calendar("recovery leave", ICAL_METHOD_PUBLISH, NULL);
    if (!cal)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    for (size_t i = 0; plan->feasible && i < plan->nleave; i++) {
        const waras_recovery_leave *l = &plan->leave[i];
        char uid[WARAS_PERSON_ID_MAX + 256], summary[WARAS_PERSON_ID_MAX + 192];
        snprintf(uid, sizeof(uid), "recovery-%s-%s-%s@waras", plan->team, plan->project, l->person);
        for (char *q = uid; *q; q++)
            if (*q == '/' || *q == ' ')
                *q = '-';
        snprintf(summary, sizeof(summary), "Recovery leave after %s: %s", plan->project,
                 l->name[0] ? l->name : l->person);
        icalcomponent *ev = waras_plan__all_day_event(uid, waras_time__days(l->first_day),
                                                      waras_time__days(l->last_day) + 1, summary);
        if (!ev) {
            icalcomponent_free(cal);
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        }
        icalcomponent_add_property(ev, icalproperty_new_transp(ICAL_TRANSP_OPAQUE));
        waras_plan__attendee(ev, l->email, l->name[0] ? l->name : l->person);
        icalcomponent_add_component(cal, ev);
    }
    return waras_plan__calendar_text(cal, out);
}

int waras_recovery_plan_json(char **out, const waras_recovery_plan *plan)
{
    json_t *leave = json_array();
    char a[16], b[16];
    for (size_t i = 0; i < plan->nleave; i++) {
        const waras_recovery_leave *l = &plan->leave[i];
        json_t *o = json_pack("{s:s,s:i,s:s,s:f,s:f}", "person", l->person, "rank", l->rank,
                              "risk_level", l->risk_level ? l->risk_level : "low", "risk_score",
                              round(l->risk_score * 100) / 100, "recent_hours",
                              round(l->recent_hours * 100) / 100);
        if (plan->feasible) {
            waras_date_format(a, sizeof(a), l->first_day);
            waras_date_format(b, sizeof(b), l->last_day);
            json_object_set_new(o, "first_day", json_string(a));
            json_object_set_new(o, "last_day", json_string(b));
            json_object_set_new(o, "oncall_conflicts", json_string(l->oncall_conflicts));
        }
        json_array_append_new(leave, o);
    }
    waras_date_format(a, sizeof(a), plan->first_monday);
    json_t *root = json_pack("{s:s,s:s,s:s,s:i,s:i,s:i,s:b,s:b,s:o}", "team", plan->team,
                             "project", plan->project, "window_start", a, "window_weeks",
                             plan->window_weeks, "days", plan->days, "max_away", plan->cap,
                             "feasible", plan->feasible, "rank_order_kept", !plan->joint,
                             "leave", leave);
    if (!plan->feasible) {
        json_object_set_new(root, "why", json_string(plan->why));
        json_object_set_new(root, "suggestion", json_string(plan->suggestion));
    }
    *out = root ? json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(root);
    return *out ? 0 : waras_error_msg(WARAS_ENOMEM, "out of memory");
}
