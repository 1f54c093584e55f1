/*
 * Person-week metrics. One pass per person: the events of the weeks asked
 * for (plus up to 26 weeks of history for streaks and breaks) are read once,
 * turned into worked intervals by the rules of docs/definitions.md, merged
 * into a union, and then cut at local midnights so that every piece lands in
 * its local day and ISO week. Local time always comes from the person's IANA
 * zone, so a DST day is 23 or 25 hours long, as lived. Interruptions and
 * windows come from waras/interrupt.h.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "metrics/metrics_int.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/metrics.h"
#include "waras/time.h"
#include "time/days.h"

#define HISTORY_WEEKS 26

void waras_metrics_config_default(waras_metrics_config *c)
{
    c->session_gap_min = 120;
    c->session_lead_min = 60;
    c->incident_cap_min = 360; /* the SRE book's per-incident budget */
    c->merge_window_s = 60;
    c->focus_block_min = 120;
    c->break_days = 5;
    c->active_day_min_hours = 2.0; /* a few minutes of work do not make a working day */
    c->standby_is_work = 0;
}

typedef struct span {
    waras_instant s, e;
} span;

typedef struct span_list {
    span *v;
    size_t n, cap;
} span_list;

static int span_add(span_list *l, waras_instant s, waras_instant e)
{
    if (e < s)
        return 0;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        span *v = realloc(l->v, cap * sizeof(*v));
        if (!v)
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = (span){s, e};
    return 0;
}

static int span_cmp(const void *a, const void *b)
{
    const span *x = a, *y = b;
    return x->s < y->s ? -1 : x->s > y->s ? 1 : (x->e < y->e ? -1 : x->e > y->e);
}

/* Sorts and merges overlapping or touching spans; drops empty ones. */
static void span_union(span_list *l)
{
    size_t k = 0;
    if (!l->n)
        return;
    qsort(l->v, l->n, sizeof(span), span_cmp);
    for (size_t i = 0; i < l->n; i++) {
        if (l->v[i].e <= l->v[i].s)
            continue;
        if (k && l->v[i].s <= l->v[k - 1].e) {
            if (l->v[i].e > l->v[k - 1].e)
                l->v[k - 1].e = l->v[i].e;
        } else {
            l->v[k++] = l->v[i];
        }
    }
    l->n = k;
}

typedef struct collect {
    span_list timesheet, meetings, leave, incidents, shifts, holidays;
    waras_strmap *cancelled; /* "source_kind|source_key" of cancelled events, or NULL */
    waras_instant *commits, *pages;
    size_t ncommits, npages, cap_commits, cap_pages;
    int cap_incident_s;
} collect;

/* Whether a page event interrupts, by the one channel rule. */
static int page_interrupts(const char *attrs)
{
    return waras_page_interrupts(attrs);
}

/* A "cancellation" event (docs/formats.md) names, by its source_key, the
 * event of the same person it cancels: "source_kind|source_key". */
static int on_cancellation(void *ctx, const waras_event *ev)
{
    collect *c = ctx;
    if (!ev->source_key)
        return 0;
    if (!c->cancelled && waras_strmap_new(&c->cancelled))
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    long *slot = waras_strmap_slot(c->cancelled, ev->source_key);
    if (!slot)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    *slot = 1;
    return 0;
}

/* Whether a cancellation event names ev. */
static int is_cancelled(collect *c, const waras_event *ev, int *yes)
{
    char key[512];
    *yes = 0;
    if (!c->cancelled)
        return 0;
    int n = snprintf(key, sizeof(key), "%s|%s", ev->source_kind ? ev->source_kind : "",
                     ev->source_key ? ev->source_key : "");
    if (n < 0 || (size_t)n >= sizeof(key))
        return 0;
    long *slot = waras_strmap_slot(c->cancelled, key);
    if (!slot)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    *yes = *slot != 0;
    return 0;
}

static int on_event(void *ctx, const waras_event *ev)
{
    collect *c = ctx;
    const char *k = ev->kind;
    if (strcmp(k, "cancellation") == 0)
        return on_cancellation(ctx, ev);
    if (strcmp(k, "timesheet") == 0)
        return span_add(&c->timesheet, ev->start, ev->end);
    if (strcmp(k, "leave") == 0)
        return span_add(&c->leave, ev->start, ev->end);
    if (strcmp(k, "holiday") == 0)
        return span_add(&c->holidays, ev->start, ev->end);
    if (strcmp(k, "meeting") == 0) {
        if (ev->all_day || !ev->status || strcmp(ev->status, "accepted") != 0)
            return 0;
        /* A recorded quiet week cancels its internal meetings. */
        int cancelled, rc = is_cancelled(c, ev, &cancelled);
        if (rc || cancelled)
            return rc;
        return span_add(&c->meetings, ev->start, ev->end);
    }
    if (strcmp(k, "commit") == 0)
        return waras_metrics__instant_push(&c->commits, &c->ncommits, &c->cap_commits, ev->start);
    if (strcmp(k, "page") == 0)
        return page_interrupts(ev->attrs)
                   ? waras_metrics__instant_push(&c->pages, &c->npages, &c->cap_pages, ev->start)
                   : 0;
    if (strcmp(k, "incident") == 0) {
        waras_instant e = ev->end;
        if (e - ev->start > c->cap_incident_s)
            e = ev->start + c->cap_incident_s;
        return span_add(&c->incidents, ev->start, e);
    }
    if (strcmp(k, "shift") == 0)
        return span_add(&c->shifts, ev->start, ev->end);
    return 0;
}

/* State shared while walking one person's days. */
typedef struct person_calc {
    const waras_person *p;
    const waras_tz *tz;
    const waras_metrics_config *cfg;
    int64_t first_day;  /* first day of history */
    int64_t ndays;      /* days of history + weeks asked */
    int64_t first_monday;
    waras_week_metrics *weeks;
    size_t nweeks;
    unsigned char *active, *oncall, *ts_day, *leave_day, *holiday_day;
    double *day_worked; /* worked hours of each day of history and weeks */
} person_calc;

static waras_week_metrics *week_of(person_calc *pc, int64_t day)
{
    if (day < pc->first_monday)
        return NULL;
    int64_t idx = (day - pc->first_monday) / 7;
    return (size_t)idx < pc->nweeks ? &pc->weeks[idx] : NULL;
}

static int day_index(person_calc *pc, int64_t day)
{
    int64_t i = day - pc->first_day;
    return i >= 0 && i < pc->ndays ? (int)i : -1;
}

/* Calls fn for each local-day piece of [s, e). */
typedef void (*piece_fn)(person_calc *pc, int64_t day, waras_instant s, waras_instant e);

static void cut_days(person_calc *pc, waras_instant s, waras_instant e, piece_fn fn)
{
    while (s < e) {
        int64_t day = waras_time__local_day(pc->tz, s);
        waras_instant next = waras_time__day_start(pc->tz, day + 1);
        if (next <= s) /* defensive: never loop on a zone oddity */
            next = s + 3600;
        waras_instant stop = next < e ? next : e;
        fn(pc, day, s, stop);
        s = stop;
    }
}

static double overlap_hours(waras_instant s, waras_instant e, waras_instant bs, waras_instant be)
{
    waras_instant os = s > bs ? s : bs, oe = e < be ? e : be;
    return oe > os ? (double)(oe - os) / 3600.0 : 0.0;
}

/* Working-hours window of a local day, as instants; 0 when not a work day
 * (not one of the person's working days, or a public holiday of theirs). */
static int work_window(person_calc *pc, int64_t day, waras_instant *bs, waras_instant *be)
{
    int wd = waras_time__weekday(day), i = day_index(pc, day);
    if (!(pc->p->work_days & (1u << (wd - 1))) || (i >= 0 && pc->holiday_day[i]))
        return 0;
    int y, m, d;
    waras_time__civil_from_days(&y, &m, &d, day);
    waras_civil ws = {y, m, d, pc->p->work_start / 60, pc->p->work_start % 60, 0};
    waras_civil we = {y, m, d, pc->p->work_end / 60, pc->p->work_end % 60, 0};
    if (pc->p->work_end >= 24 * 60) {
        waras_time__civil_from_days(&we.year, &we.month, &we.day, day + 1);
        we.hour = we.minute = 0;
    }
    *bs = waras_tz_to_utc(pc->tz, &ws);
    *be = waras_tz_to_utc(pc->tz, &we);
    return 1;
}

static void add_worked(person_calc *pc, int64_t day, waras_instant s, waras_instant e)
{
    int i = day_index(pc, day);
    double h = (double)(e - s) / 3600.0;
    if (i >= 0 && e > s) {
        pc->active[i] = 1;
        pc->day_worked[i] += h;
    }
    waras_week_metrics *w = week_of(pc, day);
    if (!w)
        return;
    waras_instant bs, be;
    double inside = work_window(pc, day, &bs, &be) ? overlap_hours(s, e, bs, be) : 0.0;
    w->worked_hours += h;
    w->after_hours += h - inside;
    int wd = waras_time__weekday(day);
    if (wd >= 6)
        w->weekend_hours += h;
    w->day_hours[wd - 1] += h;
    /* Night time: 22:00-24:00 and 00:00-05:00 of this local day. */
    int y, m, d;
    waras_time__civil_from_days(&y, &m, &d, day);
    waras_civil n1 = {y, m, d, 5, 0, 0}, n2 = {y, m, d, 22, 0, 0};
    waras_instant ds = waras_time__day_start(pc->tz, day),
                  de = waras_time__day_start(pc->tz, day + 1);
    w->night_hours[wd - 1] += overlap_hours(s, e, ds, waras_tz_to_utc(pc->tz, &n1)) +
                              overlap_hours(s, e, waras_tz_to_utc(pc->tz, &n2), de);
}

static void add_meeting(person_calc *pc, int64_t day, waras_instant s, waras_instant e)
{
    waras_week_metrics *w = week_of(pc, day);
    if (w)
        w->meeting_hours += (double)(e - s) / 3600.0;
}

static void add_oncall(person_calc *pc, int64_t day, waras_instant s, waras_instant e)
{
    int i = day_index(pc, day);
    if (i >= 0)
        pc->oncall[i] = 1;
    waras_week_metrics *w = week_of(pc, day);
    if (w)
        w->oncall_hours += (double)(e - s) / 3600.0;
}

static void add_leave(person_calc *pc, int64_t day, waras_instant s, waras_instant e)
{
    int i = day_index(pc, day);
    waras_instant ds = waras_time__day_start(pc->tz, day),
                  de = waras_time__day_start(pc->tz, day + 1);
    /* More than half the day on leave makes it a leave day. */
    if (i >= 0 && (e - s) * 2 > (de - ds))
        pc->leave_day[i] = 1;
    waras_week_metrics *w = week_of(pc, day);
    if (w && de > ds && !(i >= 0 && pc->holiday_day[i]))
        w->leave_days += (double)(e - s) / (double)(de - ds);
}

/* A public holiday: more than half of the local day covered, as for leave. */
static void add_holiday(person_calc *pc, int64_t day, waras_instant s, waras_instant e)
{
    int i = day_index(pc, day);
    waras_instant ds = waras_time__day_start(pc->tz, day),
                  de = waras_time__day_start(pc->tz, day + 1);
    if (i >= 0 && (e - s) * 2 > (de - ds))
        pc->holiday_day[i] = 1;
    waras_week_metrics *w = week_of(pc, day);
    if (w && i >= 0 && pc->holiday_day[i])
        w->holidays |= 1 << (waras_time__weekday(day) - 1);
}

/* Adds the worked pieces of [s, e) that fall on days without timesheets
 * (and, for meetings, not on leave days or public holidays). */
static int add_worked_pieces(person_calc *pc, span_list *out, waras_instant s, waras_instant e,
                             int is_meeting)
{
    while (s < e) {
        int64_t day = waras_time__local_day(pc->tz, s);
        waras_instant next = waras_time__day_start(pc->tz, day + 1);
        if (next <= s)
            next = s + 3600;
        waras_instant stop = next < e ? next : e;
        int i = day_index(pc, day);
        if (!(i >= 0 &&
              (pc->ts_day[i] || (is_meeting && (pc->leave_day[i] || pc->holiday_day[i]))))) {
            int rc = span_add(out, s, stop);
            if (rc)
                return rc;
        }
        s = stop;
    }
    return 0;
}

/* Longest gap free of work inside [ws, we), given the sorted union. */
static waras_instant longest_gap_in(const span_list *u, size_t from, waras_instant ws,
                                    waras_instant we)
{
    waras_instant cur = ws, best = 0;
    for (size_t i = from; i < u->n && u->v[i].s < we; i++) {
        if (u->v[i].e <= cur)
            continue;
        if (u->v[i].s > cur && u->v[i].s - cur > best)
            best = u->v[i].s - cur;
        if (u->v[i].e > cur)
            cur = u->v[i].e;
    }
    if (we > cur && we - cur > best)
        best = we - cur;
    return best;
}

static size_t first_ending_after(const span_list *u, waras_instant t)
{
    size_t lo = 0, hi = u->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (u->v[mid].e <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int waras_metrics_weeks(waras_week_metrics **out, size_t *n, waras_store *st, const waras_person *p,
                        const waras_metrics_config *cfg_in, waras_date first_date,
                        waras_date last_date)
{
    int64_t first_monday = waras_time__days(first_date), last_monday = waras_time__days(last_date);
    waras_metrics_config cfg;
    collect c = {0};
    span_list worked = {0};
    person_calc pc = {0};
    waras_week_metrics *weeks = NULL;
    waras_interruption *iv = NULL;
    size_t niv = 0;
    int rc;
    if (cfg_in)
        cfg = *cfg_in;
    else
        waras_metrics_config_default(&cfg);
    c.cap_incident_s = cfg.incident_cap_min * 60;
    pc.p = p;
    pc.cfg = &cfg;
    if ((rc = waras_tz_get(&pc.tz, p->timezone)))
        return rc;
    if (last_monday < first_monday)
        return waras_error_msg(WARAS_EINVAL, "empty range of weeks");
    pc.nweeks = (size_t)((last_monday - first_monday) / 7 + 1);
    pc.first_monday = first_monday;
    pc.first_day = first_monday - 7 * HISTORY_WEEKS;
    pc.ndays = last_monday + 7 - pc.first_day;
    weeks = calloc(pc.nweeks, sizeof(*weeks));
    pc.active = calloc((size_t)pc.ndays, 5);
    pc.day_worked = calloc((size_t)pc.ndays, sizeof(double));
    if (!weeks || !pc.active || !pc.day_worked) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    pc.oncall = pc.active + pc.ndays;
    pc.ts_day = pc.oncall + pc.ndays;
    pc.leave_day = pc.ts_day + pc.ndays;
    pc.holiday_day = pc.leave_day + pc.ndays;
    pc.weeks = weeks;
    for (size_t i = 0; i < pc.nweeks; i++) {
        weeks[i].monday = waras_time__date(first_monday + 7 * (int64_t)i);
        waras_date_iso_week(&weeks[i].iso_year, &weeks[i].iso_week, weeks[i].monday);
        weeks[i].min_daily_rest_hours = 24.0;
        for (int k = 0; k < 7; k++)
            weeks[i].day_rest[k] = -1;
    }
    /* A day of margin either side: no zone is more than 14 h from UTC. */
    waras_instant from = (pc.first_day - 1) * 86400, to = (pc.first_day + pc.ndays + 1) * 86400;
    /* One walk over the person's events (a walk of the kind "cancellation"
     * alone reads them all too). A cancellation may come after the meeting
     * it names, so a walk that met any runs again with all of them known:
     * only for someone with a recorded quiet week. */
    if ((rc = waras_store_events_each(st, p->id, NULL, from, to, on_event, &c)))
        goto cleanup;
    if (c.cancelled) {
        c.timesheet.n = c.meetings.n = c.leave.n = c.incidents.n = c.shifts.n = 0;
        c.ncommits = c.npages = 0;
        if ((rc = waras_store_events_each(st, p->id, NULL, from, to, on_event, &c)))
            goto cleanup;
    }

    /* Timesheet days are authoritative. */
    for (size_t i = 0; i < c.timesheet.n; i++) {
        int k = day_index(&pc, waras_time__local_day(pc.tz, c.timesheet.v[i].s));
        if (k >= 0) {
            pc.ts_day[k] = 1;
            waras_week_metrics *w = week_of(&pc, pc.first_day + k);
            if (w)
                w->has_timesheet = 1;
        }
        if ((rc = span_add(&worked, c.timesheet.v[i].s, c.timesheet.v[i].e)))
            goto cleanup;
    }
    /* Leave days first: recurring invitations stay in calendars during
     * leave, so meetings on a leave day are not taken as worked time. */
    /* Public holidays likewise: not working days, their meetings not work;
     * first, since a holiday inside a leave block is not a day of leave. */
    span_union(&c.holidays);
    for (size_t i = 0; i < c.holidays.n; i++)
        cut_days(&pc, c.holidays.v[i].s, c.holidays.v[i].e, add_holiday);
    span_union(&c.leave);
    for (size_t i = 0; i < c.leave.n; i++)
        cut_days(&pc, c.leave.v[i].s, c.leave.v[i].e, add_leave);
    span_union(&c.meetings);
    for (size_t i = 0; i < c.meetings.n; i++)
        if ((rc = add_worked_pieces(&pc, &worked, c.meetings.v[i].s, c.meetings.v[i].e, 1)))
            goto cleanup;
    /* Commit sessions: commits less than the gap apart; each starts a lead
     * time before its first commit. */
    if (c.ncommits)
        qsort(c.commits, c.ncommits, sizeof(*c.commits), waras_metrics__instant_cmp);
    for (size_t i = 0; i < c.ncommits;) {
        size_t j = i;
        while (j + 1 < c.ncommits && c.commits[j + 1] - c.commits[j] < cfg.session_gap_min * 60)
            j++;
        if ((rc = add_worked_pieces(&pc, &worked, c.commits[i] - cfg.session_lead_min * 60,
                                    c.commits[j], 0)))
            goto cleanup;
        for (size_t k = i; k <= j; k++) {
            waras_week_metrics *w = week_of(&pc, waras_time__local_day(pc.tz, c.commits[k]));
            int di = day_index(&pc, waras_time__local_day(pc.tz, c.commits[k]));
            if (w)
                w->commits++;
            if (di >= 0)
                pc.active[di] = 1;
        }
        i = j + 1;
    }
    for (size_t i = 0; i < c.incidents.n; i++) {
        int64_t iday = waras_time__local_day(pc.tz, c.incidents.v[i].s);
        waras_week_metrics *w = week_of(&pc, iday);
        if (w) {
            w->incidents++;
            w->day_incidents[waras_time__weekday(iday) - 1]++;
        }
        if ((rc = add_worked_pieces(&pc, &worked, c.incidents.v[i].s, c.incidents.v[i].e, 0)))
            goto cleanup;
    }
    span_union(&c.shifts);
    if (cfg.standby_is_work)
        for (size_t i = 0; i < c.shifts.n; i++)
            if ((rc = span_add(&worked, c.shifts.v[i].s, c.shifts.v[i].e)))
                goto cleanup;
    span_union(&worked);

    for (size_t i = 0; i < worked.n; i++)
        cut_days(&pc, worked.v[i].s, worked.v[i].e, add_worked);
    for (size_t i = 0; i < c.meetings.n; i++)
        cut_days(&pc, c.meetings.v[i].s, c.meetings.v[i].e, add_meeting);
    for (size_t i = 0; i < c.shifts.n; i++)
        cut_days(&pc, c.shifts.v[i].s, c.shifts.v[i].e, add_oncall);

    /* Interruptions (waras/interrupt.h): merged with the configured window,
     * each in the local day and window of its first notification. */
    if ((rc = waras_metrics__interruptions(&iv, &niv, c.pages, c.npages, cfg.merge_window_s)))
        goto cleanup;
    for (size_t i = 0; i < niv; i++) {
        waras_civil lc;
        waras_tz_to_local(&lc, pc.tz, iv[i].start);
        int64_t day = waras_time__days_from_civil(lc.year, lc.month, lc.day);
        int di = day_index(&pc, day);
        if (di >= 0)
            pc.active[di] = 1;
        waras_week_metrics *w = week_of(&pc, day);
        if (w)
            w->interruptions[waras_window_own(p, &lc)]++;
    }

    /* Per-day rolling measures. A day is active, for streaks and breaks,
     * with at least active_day_min_hours of worked time: a short weekend
     * commit does not join two working weeks into one run. Daily and weekly
     * rest below still use the exact intervals. */
    int run = 0, idle_workdays = 0;
    int64_t last_break = -1, on_record = -1;
    for (int64_t k = 0; k < pc.ndays; k++) {
        int64_t day = pc.first_day + k;
        int wd = waras_time__weekday(day);
        int busy = pc.day_worked[k] > 0 && pc.day_worked[k] >= cfg.active_day_min_hours - 1e-9;
        run = busy ? run + 1 : 0;
        /* Days before the first activity on record are unknown, not rest. */
        if (on_record < 0 && (pc.active[k] || pc.oncall[k]))
            on_record = day;
        if (on_record < 0) {
            /* nothing known yet */
        } else if (busy || pc.oncall[k]) {
            idle_workdays = 0;
        } else {
            /* A working day without work is rest, and so is a public
             * holiday on one: it counts towards a break like leave. */
            if (p->work_days & (1u << (wd - 1)))
                idle_workdays++;
            if (idle_workdays >= cfg.break_days)
                last_break = day;
        }
        waras_week_metrics *w = week_of(&pc, day);
        if (!w)
            continue;
        if (busy)
            w->active_days++;
        if (run > w->longest_streak_days)
            w->longest_streak_days = run;
        /* Daily rest: from the day's first work, the longest rest in 24 h. */
        waras_instant ds = waras_time__day_start(pc.tz, day),
                      de = waras_time__day_start(pc.tz, day + 1);
        size_t idx = first_ending_after(&worked, ds);
        if (idx < worked.n && worked.v[idx].s < de) {
            waras_instant s0 = worked.v[idx].s > ds ? worked.v[idx].s : ds;
            double rest = (double)longest_gap_in(&worked, idx, s0, s0 + 86400) / 3600.0;
            w->day_rest[wd - 1] = rest;
            if (rest < w->min_daily_rest_hours)
                w->min_daily_rest_hours = rest;
            if (rest < 11.0)
                w->short_rest_days++;
        }
        if (wd == 7) {
            w->days_since_break = last_break < 0 ? -1 : (int)(day - last_break);
            w->days_on_record = on_record < 0 ? 0 : (int)(day - on_record + 1);
            /* Weekly rest: the longest rest overlapping the week, in full,
             * capped at the week's length. */
            waras_instant ws = waras_time__day_start(pc.tz, waras_time__days(w->monday)), we = de;
            size_t a = first_ending_after(&worked, ws);
            waras_instant prev_end = a > 0 ? worked.v[a - 1].e : ws - 7 * 86400;
            waras_instant best = 0;
            for (size_t q = a; q <= worked.n; q++) {
                waras_instant next_start = q < worked.n ? worked.v[q].s : we + 7 * 86400;
                if (prev_end >= we)
                    break;
                if (next_start > ws && next_start - prev_end > best)
                    best = next_start - prev_end;
                if (q < worked.n)
                    prev_end = worked.v[q].e;
                if (next_start >= we)
                    break;
            }
            w->weekly_rest_hours = (double)(best < 7 * 86400 ? best : 7 * 86400) / 3600.0;
        }
    }
    /* Focus: blocks inside working hours with no meeting, on work days that
     * are not leave days. */
    for (size_t wi = 0; wi < pc.nweeks; wi++) {
        waras_week_metrics *w = &weeks[wi];
        for (int64_t day = waras_time__days(w->monday), end = day + 7; day < end; day++) {
            waras_instant bs, be;
            int k = day_index(&pc, day);
            if (k < 0 || pc.leave_day[k] || !work_window(&pc, day, &bs, &be))
                continue;
            waras_instant cur = bs, block = (waras_instant)cfg.focus_block_min * 60;
            size_t q = first_ending_after(&c.meetings, bs);
            for (; q < c.meetings.n && c.meetings.v[q].s < be; q++) {
                if (c.meetings.v[q].s - cur >= block)
                    w->focus_hours += (double)(c.meetings.v[q].s - cur) / 3600.0;
                if (c.meetings.v[q].e > cur)
                    cur = c.meetings.v[q].e;
            }
            if (be - cur >= block)
                w->focus_hours += (double)(be - cur) / 3600.0;
        }
        w->after_hours_share = w->worked_hours > 0 ? w->after_hours / w->worked_hours : 0.0;
    }
    *out = weeks;
    *n = pc.nweeks;
    weeks = NULL;
cleanup:
    free(weeks);
    free(pc.active);
    free(pc.day_worked);
    free(worked.v);
    free(c.timesheet.v);
    free(c.meetings.v);
    free(c.leave.v);
    free(c.incidents.v);
    free(c.shifts.v);
    free(c.holidays.v);
    waras_strmap_free(c.cancelled);
    free(c.commits);
    free(c.pages);
    free(iv);
    return rc;
}
