/*
 * The on-call planner on the rostering engine. A "day" of the engine is one
 * turn slot: a week for the weekly shape, a day for the daily and
 * follow-the-sun shapes; its shift types are the roles (times three UTC
 * windows for follow-the-sun). Hard rules become engine limits (days off for
 * leave, max consecutive turns, a cap on minutes for the on-call share, zero
 * caps for windows outside a person's waking hours); cover carries a weight
 * far above anything else so that any gap left is a real impossibility,
 * which the planner then explains instead of printing a partial plan.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <libical/ical.h>

#include "plan/plan_int.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/metrics.h"
#include "waras/oncall.h"
#include "waras/roster.h"
#include "waras/time.h"
#include "time/days.h"

#define HISTORY_WEEKS 12
#define COVER_WEIGHT 1000000 /* per missing person: above any fairness cost */
#define REQUEST_WEIGHT 2000
#define MAX_TEAM 512

static const char *const fts_windows[3] = {"apac", "emea", "amer"}; /* 00-08, 08-16, 16-24 UTC */

typedef struct slot_shift {
    int role;   /* index into opts->roles */
    int window; /* follow-the-sun window, or -1 */
    char id[48];
} slot_shift;

typedef struct planner {
    const waras_oncall_opts *o;
    int64_t first_day;    /* day number of the plan's first Monday */
    waras_person *people; /* team members */
    int n;
    const waras_tz *anchor; /* zone that weekly and daily turns start in */
    int nunits, nshifts, unit_minutes, shift_minutes;
    slot_shift shifts[16];
    unsigned char *off;      /* n * nunits: on leave */
    unsigned char *ineligible; /* n * nshifts: window outside 07:00-22:00 local */
    double *hist_hours;      /* on call in the 12 weeks before */
    int *hist_sleep;         /* sleep-hour interruptions in those weeks */
    int *prev_turn;          /* on call in the slot just before the plan */
} planner;

static waras_instant unit_start(const planner *pl, int u)
{
    int y, m, d;
    if (pl->o->shape == WARAS_ONCALL_WEEKLY)
        waras_time__civil_from_days(&y, &m, &d, pl->first_day + 7 * (int64_t)u);
    else
        waras_time__civil_from_days(&y, &m, &d, pl->first_day + u);
    if (pl->o->shape == WARAS_ONCALL_FOLLOW_THE_SUN)
        return waras_time__days_from_civil(y, m, d) * 86400;
    waras_civil c = {y, m, d, 9, 0, 0};
    return waras_tz_to_utc(pl->anchor, &c);
}

/* The instants of one shift in one unit. */
static void shift_span(const planner *pl, int u, int s, waras_instant *a, waras_instant *b)
{
    if (pl->o->shape == WARAS_ONCALL_FOLLOW_THE_SUN) {
        *a = unit_start(pl, u) + (waras_instant)pl->shifts[s].window * 8 * 3600;
        *b = *a + 8 * 3600;
    } else {
        *a = unit_start(pl, u);
        *b = unit_start(pl, u + 1);
    }
}

typedef struct leave_ctx {
    planner *pl;
    int person;
} leave_ctx;

static int on_leave_event(void *ctx, const waras_event *ev)
{
    leave_ctx *c = ctx;
    planner *pl = c->pl;
    for (int u = 0; u < pl->nunits; u++) {
        /* The handover morning belongs to the next turn: leave that starts
         * on the day a turn ends at 09:00 does not block that turn. */
        waras_instant a = unit_start(pl, u), b = unit_start(pl, u + 1);
        if (pl->o->shape != WARAS_ONCALL_FOLLOW_THE_SUN)
            b -= 12 * 3600;
        if (ev->start < b && ev->end > a)
            pl->off[c->person * pl->nunits + u] = 1;
    }
    return 0;
}

static int on_prev_shift(void *ctx, const waras_event *ev)
{
    leave_ctx *c = ctx;
    c->pl->prev_turn[c->person] = 1;
    (void)ev;
    return 0;
}

/* Whether [a, b) lies between 07:00 and 22:00 of one local day. */
static int waking(const waras_tz *tz, waras_instant a, waras_instant b)
{
    waras_civil ca, cb;
    waras_tz_to_local(&ca, tz, a);
    waras_tz_to_local(&cb, tz, b - 1);
    if (ca.year != cb.year || ca.month != cb.month || ca.day != cb.day)
        return 0;
    return ca.hour >= 7 && (cb.hour < 22);
}


static void unit_label(const planner *pl, int u, char *buf, size_t size)
{
    int y, m, d, iy, iw;
    int64_t day = pl->first_day + (pl->o->shape == WARAS_ONCALL_WEEKLY ? 7 * (int64_t)u : u);
    waras_time__civil_from_days(&y, &m, &d, day);
    if (pl->o->shape == WARAS_ONCALL_WEEKLY) {
        waras_date_iso_week(&iy, &iw, (waras_date){y, m, d});
        snprintf(buf, size, "week %d (from %04d-%02d-%02d)", iw, y, m, d);
    } else {
        snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
    }
}

/* Reasons found before solving: slots nobody can take. */
static int precheck(planner *pl, waras_oncall_plan *plan)
{
    int bad = 0;
    for (int s = 0; s < pl->nshifts; s++) {
        int eligible = 0;
        for (int e = 0; e < pl->n; e++)
            eligible += !pl->ineligible[e * pl->nshifts + s];
        if (!eligible) {
            waras_str_append_line(plan->why, sizeof(plan->why), "nobody can take the %s shift: it falls outside 07:00-22:00 local time "
                      "for everyone on the team",
                pl->shifts[s].id);
            bad = 1;
        }
    }
    for (int u = 0; u < pl->nunits; u++) {
        int free_people = 0, away = 0;
        for (int e = 0; e < pl->n; e++) {
            if (pl->off[e * pl->nunits + u])
                away++;
            else
                free_people++;
        }
        if (free_people < pl->nshifts) {
            char label[64];
            unit_label(pl, u, label, sizeof(label));
            waras_str_append_line(plan->why, sizeof(plan->why), "%s: %d of %d people on leave; %d role%s need%s %d people", label, away,
                pl->n, pl->nshifts, pl->nshifts == 1 ? "" : "s", pl->nshifts == 1 ? "s" : "",
                pl->nshifts);
            bad = 1;
        }
    }
    /* The on-call share cap: can the team carry the load at all? */
    long need = (long)pl->nunits * pl->nshifts * pl->shift_minutes;
    long horizon = (long)pl->nunits * pl->unit_minutes;
    long cap_each = (long)floor(pl->o->max_share * (double)horizon);
    long per_turn = pl->shift_minutes;
    long turns_each = cap_each / per_turn;
    if (turns_each * per_turn * pl->n < need) {
        long needed = (need + turns_each * per_turn - 1) / (turns_each * per_turn > 0 ? turns_each * per_turn : 1);
        double share = (double)need / (double)pl->n / (double)horizon;
        waras_str_append_line(plan->why, sizeof(plan->why), "%d people cannot cover %d role%s over %d week%s with each on call at most "
                  "%.0f %% of the time: that needs at least %ld people, or a cap of %.0f %%",
            pl->n, pl->nshifts, pl->nshifts == 1 ? "" : "s", pl->o->weeks,
            pl->o->weeks == 1 ? "" : "s", 100 * pl->o->max_share,
            turns_each > 0 ? needed : (long)pl->n + 1, ceil(100 * share));
        bad = 1;
    }
    return bad;
}

static int read_requests(planner *pl, waras_roster_problem *rp, waras_store *st)
{
    static const char *const required[] = {"person", "date", "want", NULL};
    char *data = NULL;
    size_t len = 0;
    waras_csv *csv = NULL;
    const char *path = pl->o->requests_path;
    int rc = waras_file_read(&data, &len, path);
    if (rc)
        return rc;
    if ((rc = waras_csv_open(&csv, data, len, path)) || (rc = waras_csv_read_header(csv, required)))
        goto cleanup;
    int c_person = waras_csv_column(csv, "person"), c_date = waras_csv_column(csv, "date"),
        c_want = waras_csv_column(csv, "want"), c_role = waras_csv_column(csv, "role");
    while ((rc = waras_csv_next(csv)) == 1) {
        long line = waras_csv_line(csv);
        const char *who = waras_csv_field(csv, c_person), *want = waras_csv_field(csv, c_want);
        int e = -1, y, m, d;
        char id[WARAS_PERSON_ID_MAX];
        for (int i = 0; i < pl->n; i++)
            if (strcmp(pl->people[i].id, who) == 0)
                e = i;
        if (e < 0 && waras_store_identity_find(id, sizeof(id), st, "email", who) == 0)
            for (int i = 0; i < pl->n; i++)
                if (strcmp(pl->people[i].id, id) == 0)
                    e = i;
        if (e < 0) {
            rc = waras_error_set(WARAS_EPARSE, path, line, "person", "'%s' is not on team %s",
                                 who, pl->o->team);
            goto cleanup;
        }
        if (waras_time__parse_ymd(&y, &m, &d, waras_csv_field(csv, c_date))) {
            rc = waras_error_set(WARAS_EPARSE, path, line, "date", "'%s' is not a date",
                                 waras_csv_field(csv, c_date));
            goto cleanup;
        }
        int on = strcmp(want, "want") == 0 || strcmp(want, "yes") == 0;
        if (!on && strcmp(want, "avoid") != 0 && strcmp(want, "no") != 0) {
            rc = waras_error_set(WARAS_EPARSE, path, line, "want", "'%s' is not want or avoid",
                                 want);
            goto cleanup;
        }
        int64_t day = waras_time__days_from_civil(y, m, d);
        int u = (int)(pl->o->shape == WARAS_ONCALL_WEEKLY
                          ? (waras_time__monday(day) - pl->first_day) / 7
                          : day - pl->first_day);
        if (u < 0 || u >= pl->nunits)
            continue; /* outside the horizon: nothing to ask */
        const char *role = c_role >= 0 ? waras_csv_field(csv, c_role) : "";
        for (int s = 0; s < pl->nshifts; s++) {
            if (*role && strcmp(role, pl->o->roles[pl->shifts[s].role]) != 0)
                continue;
            if ((rc = waras_roster_add_request(rp, e, u, s, on, REQUEST_WEIGHT)))
                goto cleanup;
        }
    }
    if (rc > 0)
        rc = 0;
cleanup:
    waras_csv_free(csv);
    free(data);
    return rc;
}

static int load_team(planner *pl, waras_store *st)
{
    waras_person *all = NULL;
    size_t nall = 0;
    int rc = waras_store_people_list(&all, &nall, st);
    if (rc)
        return rc;
    pl->people = calloc(nall ? nall : 1, sizeof(*pl->people));
    if (!pl->people) {
        free(all);
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < nall && pl->n < MAX_TEAM; i++)
        if (strcmp(all[i].team, pl->o->team) == 0)
            pl->people[pl->n++] = all[i];
    free(all);
    if (!pl->n)
        return waras_error_msg(WARAS_ENOTFOUND, "no people in team '%s'", pl->o->team);
    return waras_tz_get(&pl->anchor, pl->people[0].timezone);
}

/* Sets each person's weekend cap to their share of slots by weight (the
 * largest remainders get the slots left by rounding down). */
static void weekend_caps(waras_roster_limits *lim, const double *weight, double wsum, int n,
                         int slots)
{
    int given = 0;
    for (int e = 0; e < n; e++) {
        lim[e].max_weekends = (int)floor(slots * weight[e] / wsum + 1e-9);
        given += lim[e].max_weekends;
    }
    for (; given < slots; given++) {
        int top = -1;
        double topr = -1;
        for (int e = 0; e < n; e++) {
            double r = slots * weight[e] / wsum - lim[e].max_weekends;
            if (weight[e] > 0 && r > topr) {
                top = e;
                topr = r;
            }
        }
        if (top < 0)
            break;
        lim[top].max_weekends++;
    }
}

static int set_limits_all(waras_roster_problem *rp, const waras_roster_limits *lim, int n)
{
    int rc = 0;
    for (int e = 0; e < n && !rc; e++)
        rc = waras_roster_set_limits(rp, e, &lim[e]);
    return rc;
}

double waras_oncall_history_weight(double load, double mean_load)
{
    /* Compared with the team's mean, or with one week of standby when the
     * mean is smaller, so that a quiet team's single page moves little. */
    double scale = mean_load > 168.0 ? mean_load : 168.0;
    double z = (load - mean_load) / scale;
    if (z > 1.0)
        z = 1.0;
    if (z < -0.5)
        z = -0.5;
    return 1.0 - 0.5 * z;
}

int waras_oncall_weekend_like(waras_oncall_shape shape, waras_date day, int holiday)
{
    if (shape == WARAS_ONCALL_WEEKLY || holiday)
        return 1;
    return waras_time__weekday(waras_time__days(day)) >= 6;
}

static int on_holiday(void *ctx, const waras_event *ev)
{
    (void)ev;
    *(int *)ctx = 1;
    return 0;
}

/* Says, for everyone whose history made their target lighter and who got
 * fewer turns than the most anyone got, what in the last 12 weeks did it. */
static void explain_turns(waras_oncall_plan *plan, double night_hours)
{
    int most = 0;
    for (size_t i = 0; i < plan->nfair; i++)
        if (plan->fair[i].turns > most)
            most = plan->fair[i].turns;
    for (size_t i = 0; i < plan->nfair; i++) {
        waras_oncall_fair *f = &plan->fair[i];
        if (f->weight >= 1.0 - 1e-9 || f->turns >= most)
            continue;
        char load[120];
        if (f->history_sleep_pages > 0 && f->history_sleep_pages * night_hours >= f->history_hours)
            snprintf(load, sizeof(load), "%d sleep-hour interruption%s", f->history_sleep_pages,
                     f->history_sleep_pages == 1 ? "" : "s");
        else
            snprintf(load, sizeof(load), "%.0f h on call", f->history_hours);
        snprintf(f->why, sizeof(f->why), "%d turn%s: %s in the last %d weeks", f->turns,
                 f->turns == 1 ? "" : "s", load, HISTORY_WEEKS);
    }
}

int waras_oncall_plan_make(waras_oncall_plan *plan, waras_store *st, const waras_oncall_opts *o)
{
    planner pl = {.o = o};
    waras_roster_problem *rp = NULL;
    waras_roster_result res = {0};
    waras_roster_score sc = {0};
    waras_roster_limits *lim = NULL; /* per person */
    int rc = 0;
    memset(plan, 0, sizeof(*plan));
    if (o->weeks < 1 || o->weeks > 104 || o->nroles < 1 || o->nroles > 4 || o->max_share <= 0 ||
        o->max_share > 1)
        return waras_error_msg(WARAS_EINVAL, "weeks 1-104, roles 1-4 and a share in (0, 1]");
    double night_hours = o->night_page_hours > 0 ? o->night_page_hours
                                                 : WARAS_ONCALL_NIGHT_PAGE_HOURS;
    waras_oncall_opts fixed = *o;
    pl.first_day = waras_time__monday(waras_time__days(o->first_day));
    fixed.first_day = waras_time__date(pl.first_day);
    pl.o = &fixed;
    snprintf(plan->team, sizeof(plan->team), "%s", o->team);
    plan->shape = o->shape;
    plan->first_monday = fixed.first_day;
    plan->weeks = o->weeks;
    if ((rc = load_team(&pl, st)))
        goto cleanup;

    /* Units and shifts. */
    int windows = o->shape == WARAS_ONCALL_FOLLOW_THE_SUN ? 3 : 1;
    pl.nunits = o->shape == WARAS_ONCALL_WEEKLY ? o->weeks : o->weeks * 7;
    pl.unit_minutes = o->shape == WARAS_ONCALL_WEEKLY ? 7 * 1440 : 1440;
    pl.shift_minutes = o->shape == WARAS_ONCALL_FOLLOW_THE_SUN ? 480 : pl.unit_minutes;
    pl.nshifts = o->nroles * windows;
    for (int r = 0; r < o->nroles; r++)
        for (int w = 0; w < windows; w++) {
            slot_shift *s = &pl.shifts[r * windows + w];
            s->role = r;
            s->window = windows > 1 ? w : -1;
            snprintf(s->id, sizeof(s->id), "%s%s%s", o->roles[r], windows > 1 ? "/" : "",
                     windows > 1 ? fts_windows[w] : "");
        }
    pl.off = calloc((size_t)pl.n * (size_t)pl.nunits, 1);
    pl.ineligible = calloc((size_t)pl.n * (size_t)pl.nshifts, 1);
    pl.hist_hours = calloc((size_t)pl.n, sizeof(double));
    pl.hist_sleep = calloc((size_t)pl.n, sizeof(int));
    pl.prev_turn = calloc((size_t)pl.n, sizeof(int));
    plan->fair = calloc((size_t)pl.n, sizeof(*plan->fair));
    if (!pl.off || !pl.ineligible || !pl.hist_hours || !pl.hist_sleep || !pl.prev_turn ||
        !plan->fair) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }

    /* What the store knows: leave, the last 12 weeks' load, the last turn. */
    waras_instant h0 = unit_start(&pl, 0), h1 = unit_start(&pl, pl.nunits);
    double team_oncall = 0;
    int team_sleep = 0;
    for (int e = 0; e < pl.n; e++) {
        leave_ctx lc = {&pl, e};
        if ((rc = waras_store_events_each(st, pl.people[e].id, "leave", h0, h1, on_leave_event,
                                          &lc)))
            goto cleanup;
        waras_week_metrics *wm = NULL;
        size_t nw = 0;
        if ((rc = waras_metrics_weeks(&wm, &nw, st, &pl.people[e], NULL,
                                      waras_time__date(pl.first_day - 7 * HISTORY_WEEKS),
                                      waras_time__date(pl.first_day - 7))))
            goto cleanup;
        for (size_t k = 0; k < nw; k++) {
            pl.hist_hours[e] += wm[k].oncall_hours;
            pl.hist_sleep[e] += wm[k].interruptions[WARAS_WINDOW_SLEEP];
        }
        free(wm);
        team_oncall += pl.hist_hours[e];
        team_sleep += pl.hist_sleep[e];
        waras_instant prev = h0 - (waras_instant)pl.unit_minutes * 60;
        if (o->shape != WARAS_ONCALL_FOLLOW_THE_SUN &&
            (rc = waras_store_events_each(st, pl.people[e].id, "shift", prev, h0 - 3600,
                                          on_prev_shift, &lc)))
            goto cleanup;
        const waras_tz *tz;
        if ((rc = waras_tz_get(&tz, pl.people[e].timezone)))
            goto cleanup;
        for (int s = 0; windows > 1 && s < pl.nshifts; s++)
            for (int u = 0; u < pl.nunits; u++) {
                waras_instant a, b;
                shift_span(&pl, u, s, &a, &b);
                if (!waking(tz, a, b)) {
                    pl.ineligible[e * pl.nshifts + s] = 1;
                    break;
                }
            }
    }
    plan->team_sleep_rate = team_oncall > 0 ? team_sleep / team_oncall
                                            : team_sleep / (HISTORY_WEEKS * 168.0);

    if (precheck(&pl, plan)) {
        plan->feasible = 0;
        goto fairness;
    }

    /* The engine's problem. */
    if ((rc = waras_roster_problem_new(&rp, pl.nunits)))
        goto cleanup;
    for (int s = 0; s < pl.nshifts; s++) {
        int idx;
        if ((rc = waras_roster_add_shift(rp, &idx, pl.shifts[s].id, pl.shift_minutes)))
            goto cleanup;
    }
    long horizon = (long)pl.nunits * pl.unit_minutes;
    double total_load = 0;
    for (int e = 0; e < pl.n; e++)
        total_load += pl.hist_hours[e] + night_hours * pl.hist_sleep[e];
    double mean_load = total_load / pl.n;
    /* weight: of the load; wkweight: of the weekend slots (daily turns),
     * the same but by the weekend slots a person is free for. */
    double *weight = calloc(pl.n > 0 ? 2 * (size_t)pl.n : 1, sizeof(double));
    if (!weight) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    double *wkweight = weight + pl.n;
    double wsum = 0, wksum = 0;
    for (int e = 0; e < pl.n; e++) {
        int avail = 0, wkavail = 0;
        for (int u = 0; u < pl.nunits; u++) {
            avail += !pl.off[e * pl.nunits + u];
            wkavail += u % 7 >= 5 && !pl.off[e * pl.nunits + u];
        }
        /* Those who carried more lately get a lighter target: a night's
         * interruption counts like night_hours of standby. */
        double h = waras_oncall_history_weight(pl.hist_hours[e] + night_hours * pl.hist_sleep[e],
                                               mean_load);
        plan->fair[e].weight = h;
        int eligible = 0;
        for (int s = 0; s < pl.nshifts; s++)
            eligible += !pl.ineligible[e * pl.nshifts + s];
        weight[e] = eligible ? (double)avail / pl.nunits * h : 0;
        wkweight[e] = eligible ? (double)wkavail * h : 0;
        wsum += weight[e];
        wksum += wkweight[e];
    }
    double demand = (double)pl.nunits * pl.nshifts * pl.shift_minutes;
    /* Daily turns: the Saturday and Sunday slots are shared out by weight
     * (largest remainders, so that the shares add up to the slots) as caps
     * on each person's weekends. Turns are never back to
     * back, so a weekend holds at most one of a person's turns and the
     * engine's weekend count is their number of weekend turns. (Follow-the-sun
     * shifts come in runs, where a weekend may hold two; weekly turns all
     * span one.) */
    int weekend_slots = 0;
    for (int u = 0; o->shape == WARAS_ONCALL_DAILY && u < pl.nunits; u++)
        weekend_slots += u % 7 >= 5 ? pl.nshifts : 0;
    lim = calloc(pl.n > 0 ? (size_t)pl.n : 1, sizeof(*lim));
    if (!lim) {
        free(weight);
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (int e = 0; e < pl.n; e++) {
        int idx;
        if ((rc = waras_roster_add_employee(rp, &idx, pl.people[e].id)))
            break;
        lim[e] = (waras_roster_limits){WARAS_ROSTER_NOLIMIT, (long)floor(o->max_share * horizon),
                                       WARAS_ROSTER_NOLIMIT,
                                       o->shape == WARAS_ONCALL_FOLLOW_THE_SUN ? 5 : 1,
                                       WARAS_ROSTER_NOLIMIT, WARAS_ROSTER_NOLIMIT};
        if ((rc = waras_roster_set_limits(rp, e, &lim[e])))
            break;
        for (int s = 0; s < pl.nshifts && !rc; s++)
            if (pl.ineligible[e * pl.nshifts + s])
                rc = waras_roster_set_max_shifts(rp, e, s, 0);
        for (int u = 0; u < pl.nunits && !rc; u++)
            if (pl.off[e * pl.nunits + u])
                rc = waras_roster_set_day_off(rp, e, u);
        /* No back-to-back turns across the start of the plan either. */
        if (!rc && pl.prev_turn[e] && o->shape != WARAS_ONCALL_FOLLOW_THE_SUN)
            rc = waras_roster_set_day_off(rp, e, 0);
        if (!rc)
            rc = waras_roster_set_fairness(rp, e, lround(demand * weight[e] / (wsum > 0 ? wsum : 1)),
                                           1);
    }
    if (!rc && weekend_slots > 0 && wksum > 0) {
        weekend_caps(lim, wkweight, wksum, pl.n, weekend_slots);
        rc = set_limits_all(rp, lim, pl.n);
    }
    free(weight);
    if (rc)
        goto cleanup;
    for (int u = 0; u < pl.nunits; u++)
        for (int s = 0; s < pl.nshifts; s++)
            if ((rc = waras_roster_set_cover(rp, u, s, 1, COVER_WEIGHT, COVER_WEIGHT)))
                goto cleanup;
    if (o->requests_path && (rc = read_requests(&pl, rp, st)))
        goto cleanup;
    /* A re-plan keeps every turn whose person is free in its slot (and not
     * blocked by a turn just before the plan). */
    for (size_t k = 0; k < o->nkeep; k++) {
        const waras_oncall_turn *t = &o->keep[k];
        for (int e = 0; e < pl.n; e++) {
            if (strcmp(pl.people[e].id, t->person) != 0)
                continue;
            for (int u = 0; u < pl.nunits; u++)
                for (int s = 0; s < pl.nshifts; s++) {
                    waras_instant a, b;
                    shift_span(&pl, u, s, &a, &b);
                    if (a == t->start && strcmp(pl.shifts[s].id, t->shift) == 0 &&
                        !pl.off[e * pl.nunits + u] && !(u == 0 && pl.prev_turn[e]) &&
                        (rc = waras_roster_lock(rp, e, u, s)))
                        goto cleanup;
                }
        }
    }

    waras_roster_solve_opts so;
    waras_plan__solve_opts(&so, &o->budget, 5, 0);
    if ((rc = waras_roster_solve(&res, rp, &so)) ||
        (rc = waras_roster_score_compute(&sc, rp, res.cells)))
        goto cleanup;
    for (int slack = 1; slack <= 2 && weekend_slots > 0 && !(sc.feasible && sc.cover_under == 0);
         slack++) {
        /* The weekend caps cannot all hold (leave on weekends, say): one
         * more weekend each, then none; a rota with weekends shared less
         * evenly beats none. */
        for (int e = 0; e < pl.n; e++)
            if (lim[e].max_weekends != WARAS_ROSTER_NOLIMIT)
                lim[e].max_weekends = slack == 1 ? lim[e].max_weekends + 1 : WARAS_ROSTER_NOLIMIT;
        waras_roster_result_free(&res);
        waras_roster_score_free(&sc);
        if ((rc = set_limits_all(rp, lim, pl.n)) || (rc = waras_roster_solve(&res, rp, &so)) ||
            (rc = waras_roster_score_compute(&sc, rp, res.cells)))
            goto cleanup;
    }
    plan->objective = sc.objective;
    plan->feasible = sc.feasible && sc.cover_under == 0 && sc.cover_over == 0;
    if (!sc.feasible)
        waras_str_append_line(plan->why, sizeof(plan->why), "the rostering engine found no roster that keeps every hard rule "
                  "(no back-to-back turns, leave, the on-call cap)");
    /* Name every slot left uncovered. */
    for (int u = 0; u < pl.nunits; u++)
        for (int s = 0; s < pl.nshifts; s++) {
            int who = 0;
            for (int e = 0; e < pl.n; e++)
                who += res.cells[e * pl.nunits + u] == s;
            if (who == 0) {
                char label[64];
                int away = 0, blocked = 0;
                unit_label(&pl, u, label, sizeof(label));
                for (int e = 0; e < pl.n; e++) {
                    away += pl.off[e * pl.nunits + u];
                    blocked += u > 0 && !pl.off[e * pl.nunits + u] &&
                               res.cells[e * pl.nunits + u - 1] >= 0;
                }
                waras_str_append_line(plan->why, sizeof(plan->why), "%s, %s: nobody free (%d of %d on leave, %d on call the slot "
                          "before, the rest at the on-call cap)",
                    label, pl.shifts[s].id, away, pl.n, blocked);
            }
        }
    if (!plan->feasible)
        goto fairness;

    /* Turns: consecutive slots of one person and shift stay separate turns,
     * one per slot, so that UIDs stay stable per slot. */
    plan->turns = calloc((size_t)pl.nunits * (size_t)pl.nshifts, sizeof(*plan->turns));
    if (!plan->turns) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (int u = 0; u < pl.nunits; u++)
        for (int s = 0; s < pl.nshifts; s++)
            for (int e = 0; e < pl.n; e++) {
                if (res.cells[e * pl.nunits + u] != s)
                    continue;
                waras_oncall_turn *t = &plan->turns[plan->nturns++];
                snprintf(t->person, sizeof(t->person), "%s", pl.people[e].id);
                snprintf(t->role, sizeof(t->role), "%s", o->roles[pl.shifts[s].role]);
                snprintf(t->shift, sizeof(t->shift), "%s", pl.shifts[s].id);
                shift_span(&pl, u, s, &t->start, &t->end);
                /* Every weekly turn spans a weekend; a daily or
                 * follow-the-sun slot is a weekend one when its day (team
                 * zone, or UTC) is a Saturday or Sunday. */
                int holiday = 0;
                waras_instant mid = t->start + (t->end - t->start) / 2;
                if (o->shape != WARAS_ONCALL_WEEKLY &&
                    (rc = waras_store_events_each(st, t->person, "holiday", mid, mid + 1,
                                                  on_holiday, &holiday)))
                    goto cleanup;
                t->weekend = waras_oncall_weekend_like(
                    o->shape, waras_time__date(pl.first_day + u), holiday);
            }

fairness:
    plan->nfair = (size_t)pl.n;
    for (int e = 0; e < pl.n; e++) {
        waras_oncall_fair *f = &plan->fair[e];
        snprintf(f->person, sizeof(f->person), "%s", pl.people[e].id);
        snprintf(f->name, sizeof(f->name), "%s", pl.people[e].name);
        snprintf(f->email, sizeof(f->email), "%s", pl.people[e].email);
        f->history_hours = pl.hist_hours[e];
        f->history_sleep_pages = pl.hist_sleep[e];
        for (size_t k = 0; k < plan->nturns; k++) {
            if (strcmp(plan->turns[k].person, f->person) != 0)
                continue;
            f->turns++;
            f->weekend_turns += plan->turns[k].weekend;
            f->hours += (double)(plan->turns[k].end - plan->turns[k].start) / 3600.0;
        }
        f->share = f->hours / ((double)(h1 - h0) / 3600.0);
        f->expected_sleep_pages = f->hours * plan->team_sleep_rate;
    }
    if (plan->feasible)
        explain_turns(plan, night_hours);
cleanup:
    free(lim);
    waras_roster_score_free(&sc);
    waras_roster_result_free(&res);
    waras_roster_problem_free(rp);
    free(pl.people);
    free(pl.off);
    free(pl.ineligible);
    free(pl.hist_hours);
    free(pl.hist_sleep);
    free(pl.prev_turn);
    if (rc)
        waras_oncall_plan_free(plan);
    return rc;
}

void waras_oncall_plan_free(waras_oncall_plan *plan)
{
    if (!plan)
        return;
    free(plan->turns);
    free(plan->fair);
    plan->turns = NULL;
    plan->fair = NULL;
    plan->nturns = plan->nfair = 0;
}

static const char *shape_name(waras_oncall_shape s)
{
    return s == WARAS_ONCALL_WEEKLY ? "weekly" : s == WARAS_ONCALL_DAILY ? "daily" : "follow-the-sun";
}

/* The plan's rows, inside the caller's transaction. */
static int record_rows(waras_oncall_plan *plan, waras_store *st)
{
    char attrs[128];
    snprintf(attrs, sizeof(attrs), "{\"shape\":\"%s\",\"weeks\":%d}", shape_name(plan->shape),
             plan->weeks);
    int rc = waras_store_plan_add(&plan->plan_id, st, "oncall", plan->team, plan->turns[0].start,
                                  plan->turns[plan->nturns - 1].end, attrs);
    for (size_t i = 0; !rc && i < plan->nturns; i++)
        rc = waras_store_plan_assign(st, plan->plan_id, plan->turns[i].person,
                                     plan->turns[i].shift, plan->turns[i].start,
                                     plan->turns[i].end);
    return rc;
}

int waras_oncall_plan_record(waras_oncall_plan *plan, waras_store *st)
{
    int rc;
    if (!plan->feasible || !plan->nturns)
        return waras_error_msg(WARAS_EINVAL, "only a feasible plan is recorded");
    if ((rc = waras_store_begin(st)))
        return rc;
    rc = record_rows(plan, st);
    if (!rc)
        rc = waras_store_commit(st);
    if (rc)
        waras_store_rollback(st);
    return rc;
}

/* The recorded turns of the team's newest on-call plan. */
typedef struct old_turns {
    int64_t plan;
    waras_oncall_turn *t;
    size_t n, cap;
} old_turns;

static int on_newest(void *ctx, const waras_plan_assignment *a)
{
    ((old_turns *)ctx)->plan = a->plan;
    return 1; /* the newest plan comes first: stop */
}

static int on_old_turn(void *ctx, const waras_plan_assignment *a)
{
    old_turns *c = ctx;
    if (a->plan != c->plan)
        return 0;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 64;
        waras_oncall_turn *t = realloc(c->t, cap * sizeof(*t));
        if (!t)
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        c->t = t;
        c->cap = cap;
    }
    waras_oncall_turn *t = &c->t[c->n++];
    memset(t, 0, sizeof(*t));
    waras_strlcpy(t->person, a->person, sizeof(t->person));
    waras_strlcpy(t->shift, a->role, sizeof(t->shift));
    waras_strlcpy(t->role, a->role, sizeof(t->role));
    char *slash = strchr(t->role, '/');
    if (slash)
        *slash = '\0';
    t->start = a->start;
    t->end = a->end;
    return 0;
}

/* The options that plan the recorded rota again: its shape (from a turn's
 * length), roles, first Monday, weeks, and a share cap that the recorded
 * rota keeps (the SRE 25 % or more). */
static void replan_opts(waras_oncall_opts *o, const old_turns *old, const char *team)
{
    waras_instant lo = old->t[0].start, hi = old->t[0].end;
    for (size_t i = 0; i < old->n; i++) {
        const waras_oncall_turn *t = &old->t[i];
        lo = t->start < lo ? t->start : lo;
        hi = t->end > hi ? t->end : hi;
        int known = 0;
        for (int r = 0; r < o->nroles; r++)
            known |= strcmp(o->roles[r], t->role) == 0;
        if (!known && o->nroles < 4)
            o->roles[o->nroles++] = t->role;
    }
    waras_instant len = old->t[0].end - old->t[0].start;
    o->team = team;
    o->shape = len >= 6 * 86400 ? WARAS_ONCALL_WEEKLY
               : len >= 20 * 3600 ? WARAS_ONCALL_DAILY
                                  : WARAS_ONCALL_FOLLOW_THE_SUN;
    waras_civil c;
    waras_epoch_to_civil(&c, lo + 12 * 3600);
    o->first_day = (waras_date){c.year, c.month, c.day};
    o->weeks = (int)((hi - lo + 7 * 86400 - 1) / (7 * 86400));
    if (o->weeks < 1)
        o->weeks = 1;
    double horizon = (double)o->weeks * 7 * 86400, most = 0;
    for (size_t i = 0; i < old->n; i++) {
        double mine = 0;
        for (size_t j = 0; j < old->n; j++)
            if (strcmp(old->t[j].person, old->t[i].person) == 0)
                mine += (double)(old->t[j].end - old->t[j].start);
        most = mine / horizon > most ? mine / horizon : most;
    }
    o->max_share = most > 0.25 ? (most < 1 ? most : 1) : 0.25;
    o->keep = old->t;
    o->nkeep = old->n;
}

int waras_oncall_replan_recovery(waras_oncall_replan *out, waras_store *st,
                                 waras_recovery_plan *rec, const waras_plan_budget *budget)
{
    old_turns old = {0};
    int rc;
    memset(out, 0, sizeof(*out));
    if (!rec->feasible || !rec->nleave)
        return waras_error_msg(WARAS_EINVAL, "only a feasible plan is recorded");
    for (size_t i = 0; i < rec->nleave; i++)
        out->needed |= rec->leave[i].oncall_conflicts[0] != 0;
    if ((rc = waras_store_begin(st)))
        return rc;
    /* The leave first: the on-call planner below reads it from the store. */
    if ((rc = waras_recovery__record_rows(rec, st)) || !out->needed)
        goto done;
    int64_t fm = waras_time__days(rec->first_monday);
    waras_instant w0 = (fm - 1) * 86400, w1 = (fm + 7 * rec->window_weeks + 1) * 86400;
    rc = waras_store_plan_assignments_each(st, "oncall", rec->team, w0, w1, on_newest, &old);
    if (rc == 1)
        rc = 0;
    if (rc || !old.plan) {
        out->needed = 0;
        goto done;
    }
    if ((rc = waras_store_plan_assignments_each(st, "oncall", rec->team, INT64_MIN / 2,
                                                INT64_MAX / 2, on_old_turn, &old)))
        goto done;
    out->replaced_plan = old.plan;
    waras_oncall_opts o = {.budget = *budget};
    replan_opts(&o, &old, rec->team);
    if ((rc = waras_oncall_plan_make(&out->plan, st, &o)))
        goto done;
    if (!out->plan.feasible) {
        /* Nothing is recorded: the leave would leave turns uncovered. */
        waras_store_rollback(st);
        rec->plan_id = 0;
        free(old.t);
        return 0;
    }
    out->changes = calloc(out->plan.nturns ? out->plan.nturns : 1, sizeof(*out->changes));
    if (!out->changes) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < out->plan.nturns; i++) {
        const waras_oncall_turn *t = &out->plan.turns[i];
        for (size_t j = 0; j < old.n; j++)
            if (old.t[j].start == t->start && strcmp(old.t[j].shift, t->shift) == 0 &&
                strcmp(old.t[j].person, t->person) != 0) {
                waras_oncall_change *c = &out->changes[out->nchanges++];
                waras_strlcpy(c->shift, t->shift, sizeof(c->shift));
                c->start = t->start;
                c->end = t->end;
                waras_strlcpy(c->before, old.t[j].person, sizeof(c->before));
                waras_strlcpy(c->after, t->person, sizeof(c->after));
            }
    }
    rc = record_rows(&out->plan, st);
done:
    free(old.t);
    if (!rc)
        rc = waras_store_commit(st);
    if (rc) {
        waras_store_rollback(st);
        rec->plan_id = 0;
        waras_oncall_replan_free(out);
    }
    return rc;
}

void waras_oncall_replan_free(waras_oncall_replan *r)
{
    if (!r)
        return;
    waras_oncall_plan_free(&r->plan);
    free(r->changes);
    r->changes = NULL;
    r->nchanges = 0;
}

static const waras_oncall_fair *fair_of(const waras_oncall_plan *plan, const char *person)
{
    for (size_t i = 0; i < plan->nfair; i++)
        if (strcmp(plan->fair[i].person, person) == 0)
            return &plan->fair[i];
    return NULL;
}

int waras_oncall_plan_ics(char **out, const waras_oncall_plan *plan)
{
    char name[128];
    snprintf(name, sizeof(name), "On call: %s", plan->team);
    icalcomponent *cal = waras_plan__calendar("on-call plan", ICAL_METHOD_PUBLISH, name);
    if (!cal)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    struct icaltimetype now = waras_plan__stamp();
    for (size_t i = 0; i < plan->nturns; i++) {
        const waras_oncall_turn *t = &plan->turns[i];
        const waras_oncall_fair *f = fair_of(plan, t->person);
        char uid[256], summary[WARAS_PERSON_ID_MAX + 64], day[16];
        waras_civil c;
        waras_epoch_to_civil(&c, t->start);
        snprintf(day, sizeof(day), "%04d%02d%02d", c.year, c.month, c.day);
        /* One UID per slot: a re-plan of the same slot updates this event. */
        snprintf(uid, sizeof(uid), "oncall-%s-%s-%s@waras", plan->team, t->shift, day);
        for (char *p = uid; *p; p++)
            if (*p == '/' || *p == ' ')
                *p = '-';
        snprintf(summary, sizeof(summary), "On call (%s): %s", t->shift,
                 f && f->name[0] ? f->name : t->person);
        icalcomponent *ev = icalcomponent_vanew(
            ICAL_VEVENT_COMPONENT, icalproperty_new_uid(uid), icalproperty_new_dtstamp(now),
            icalproperty_new_dtstart(icaltime_from_timet_with_zone(
                (time_t)t->start, 0, icaltimezone_get_utc_timezone())),
            icalproperty_new_dtend(icaltime_from_timet_with_zone((time_t)t->end, 0,
                                                                  icaltimezone_get_utc_timezone())),
            icalproperty_new_summary(summary), icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT),
            icalproperty_new_sequence((int)(plan->plan_id > 0 ? plan->plan_id : 0)), (void *)0);
        if (f && f->email[0]) {
            char mailto[300];
            snprintf(mailto, sizeof(mailto), "mailto:%s", f->email);
            icalproperty *att = icalproperty_new_attendee(mailto);
            icalproperty_add_parameter(att, icalparameter_new_cn(f->name[0] ? f->name : t->person));
            icalproperty_add_parameter(att, icalparameter_new_role(ICAL_ROLE_REQPARTICIPANT));
            icalcomponent_add_property(ev, att);
        }
        icalproperty *cat = icalproperty_new_categories(t->role);
        icalcomponent_add_property(ev, cat);
        icalcomponent_add_component(cal, ev);
    }
    return waras_plan__calendar_text(cal, out);
}

int waras_oncall_replan_ics(char **out, const waras_oncall_replan *r)
{
    waras_oncall_plan changed = r->plan;
    changed.turns = calloc(r->nchanges ? r->nchanges : 1, sizeof(*changed.turns));
    if (!changed.turns)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    changed.nturns = 0;
    for (size_t i = 0; i < r->plan.nturns; i++)
        for (size_t k = 0; k < r->nchanges; k++)
            if (r->plan.turns[i].start == r->changes[k].start &&
                strcmp(r->plan.turns[i].shift, r->changes[k].shift) == 0)
                changed.turns[changed.nturns++] = r->plan.turns[i];
    int rc = waras_oncall_plan_ics(out, &changed);
    free(changed.turns);
    return rc;
}

int waras_oncall_plan_json(char **out, const waras_oncall_plan *plan)
{
    json_t *turns = json_array(), *fair = json_array();
    char a[32], b[32];
    for (size_t i = 0; i < plan->nturns; i++) {
        const waras_oncall_turn *t = &plan->turns[i];
        waras_civil c;
        waras_epoch_to_civil(&c, t->start);
        snprintf(a, sizeof(a), "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year, c.month, c.day, c.hour,
                 c.minute, c.second);
        waras_epoch_to_civil(&c, t->end);
        snprintf(b, sizeof(b), "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year, c.month, c.day, c.hour,
                 c.minute, c.second);
        json_array_append_new(turns, json_pack("{s:s,s:s,s:s,s:s,s:s,s:b}", "person", t->person,
                                               "role", t->role, "shift", t->shift, "start", a,
                                               "end", b, "weekend", t->weekend));
    }
    for (size_t i = 0; i < plan->nfair; i++) {
        const waras_oncall_fair *f = &plan->fair[i];
        json_array_append_new(
            fair, json_pack("{s:s,s:i,s:f,s:f,s:i,s:f,s:i,s:f}", "person", f->person, "turns",
                            f->turns, "hours", round(f->hours * 100) / 100, "share",
                            round(f->share * 10000) / 10000, "weekend_turns", f->weekend_turns,
                            "history_oncall_hours", round(f->history_hours * 100) / 100,
                            "history_sleep_interruptions", f->history_sleep_pages,
                            "expected_sleep_interruptions",
                            round(f->expected_sleep_pages * 100) / 100));
        if (f->why[0])
            json_object_set_new(json_array_get(fair, i), "why", json_string(f->why));
    }
    waras_date_format(a, sizeof(a), plan->first_monday);
    json_t *root = json_pack("{s:s,s:s,s:s,s:i,s:b,s:o,s:o}", "team", plan->team, "from", a,
                             "shape", shape_name(plan->shape), "weeks", plan->weeks, "feasible",
                             plan->feasible, "turns", turns, "fairness", fair);
    if (!plan->feasible)
        json_object_set_new(root, "why", json_string(plan->why));
    *out = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    json_decref(root);
    return *out ? 0 : waras_error_msg(WARAS_ENOMEM, "out of memory");
}
