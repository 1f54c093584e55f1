/*
 * Weekly worked hours per person. Events are read once per person, turned
 * into worked intervals by the DESIGN.md rules, merged into a union, and then
 * cut at local midnights so that each piece lands in its local day and ISO
 * week. Local time always comes from the person's IANA zone, so a DST day is
 * 23 or 25 hours long, as lived.
 */
#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "waras/error.h"
#include "waras/metrics.h"
#include "waras/time.h"

typedef struct span {
    waras_instant s, e;
} span;

typedef struct span_list {
    span *v;
    size_t n, cap;
} span_list;

static int span_add(span_list *l, waras_instant s, waras_instant e)
{
    if (e <= s)
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

/* Sorts and merges overlapping or touching spans in place. */
static void span_union(span_list *l)
{
    if (!l->n)
        return;
    qsort(l->v, l->n, sizeof(span), span_cmp);
    size_t k = 0;
    for (size_t i = 1; i < l->n; i++) {
        if (l->v[i].s <= l->v[k].e) {
            if (l->v[i].e > l->v[k].e)
                l->v[k].e = l->v[i].e;
        } else {
            l->v[++k] = l->v[i];
        }
    }
    l->n = k + 1;
}

int64_t waras_metrics_monday(int64_t day)
{
    return day - (waras_weekday(day) - 1);
}

typedef struct collect {
    const waras_tz *tz;
    span_list timesheet, meetings, leave;
} collect;

static int64_t local_day(const waras_tz *tz, waras_instant t)
{
    waras_instant l = t + waras_tz_offset(tz, t);
    return l >= 0 ? l / 86400 : -((-l + 86399) / 86400);
}

static int on_event(void *ctx, const waras_event *ev)
{
    collect *c = ctx;
    if (strcmp(ev->kind, "timesheet") == 0)
        return span_add(&c->timesheet, ev->start, ev->end);
    if (strcmp(ev->kind, "leave") == 0)
        return span_add(&c->leave, ev->start, ev->end);
    if (strcmp(ev->kind, "meeting") == 0 && !ev->all_day && ev->status &&
        strcmp(ev->status, "accepted") == 0)
        return span_add(&c->meetings, ev->start, ev->end);
    return 0;
}

/* Adds the part of [s, e) that falls in each local day to per-week sums. */
typedef void (*piece_fn)(void *ctx, int64_t day, waras_instant s, waras_instant e);

static void cut_days(const waras_tz *tz, waras_instant s, waras_instant e, piece_fn fn, void *ctx)
{
    while (s < e) {
        int64_t day = local_day(tz, s);
        int y, m, d;
        waras_civil_from_days(day + 1, &y, &m, &d);
        waras_instant next = waras_tz_midnight(tz, y, m, d);
        if (next <= s) /* defensive: never loop on a zone oddity */
            next = s + 3600;
        waras_instant stop = next < e ? next : e;
        fn(ctx, day, s, stop);
        s = stop;
    }
}

typedef struct week_acc {
    const waras_person *p;
    const waras_tz *tz;
    waras_week_metrics *weeks;
    size_t n;
    int64_t first_monday;
    int field; /* 0 worked, 1 meeting, 2 leave */
} week_acc;

static waras_week_metrics *week_for(week_acc *a, int64_t day)
{
    int64_t idx = (waras_metrics_monday(day) - a->first_monday) / 7;
    if (day < a->first_monday || idx < 0 || (size_t)idx >= a->n)
        return NULL;
    return &a->weeks[idx];
}

static void add_piece(void *ctx, int64_t day, waras_instant s, waras_instant e)
{
    week_acc *a = ctx;
    waras_week_metrics *w = week_for(a, day);
    if (!w)
        return;
    double h = (double)(e - s) / 3600.0;
    if (a->field == 1) {
        w->meeting_hours += h;
        return;
    }
    if (a->field == 2) {
        w->leave_days += (double)(e - s) / 86400.0;
        return;
    }
    w->worked_hours += h;
    int wd = waras_weekday(day);
    if (wd >= 6)
        w->weekend_hours += h;
    /* Working-hours window of that day, in the person's zone. */
    double inside = 0;
    if (a->p->work_days & (1u << (wd - 1))) {
        int y, m, d;
        waras_civil_from_days(day, &y, &m, &d);
        waras_civil ws = {y, m, d, a->p->work_start / 60, a->p->work_start % 60, 0};
        waras_civil we = {y, m, d, a->p->work_end / 60, a->p->work_end % 60, 0};
        if (a->p->work_end >= 24 * 60) {
            waras_civil_from_days(day + 1, &we.year, &we.month, &we.day);
            we.hour = we.minute = 0;
        }
        waras_instant bs = waras_tz_to_utc(a->tz, &ws), be = waras_tz_to_utc(a->tz, &we);
        waras_instant os = s > bs ? s : bs, oe = e < be ? e : be;
        if (oe > os)
            inside = (double)(oe - os) / 3600.0;
    }
    w->after_hours += h - inside;
}

static int day_cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int waras_metrics_weeks(waras_store *st, const waras_person *p, int64_t first_monday,
                        int64_t last_monday, waras_week_metrics **out, size_t *n)
{
    collect c = {0};
    span_list worked = {0};
    waras_week_metrics *weeks = NULL;
    int64_t *ts_days = NULL;
    size_t nts = 0;
    int rc = waras_tz_get(&c.tz, p->timezone);
    if (rc)
        return rc;
    size_t nweeks = (size_t)((last_monday - first_monday) / 7 + 1);
    weeks = calloc(nweeks, sizeof(*weeks));
    if (!weeks) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < nweeks; i++) {
        int y, m, d;
        weeks[i].monday = first_monday + 7 * (int64_t)i;
        waras_civil_from_days(weeks[i].monday, &y, &m, &d);
        waras_iso_week(y, m, d, &weeks[i].iso_year, &weeks[i].iso_week);
    }
    /* A day of margin either side: a zone is at most 14 h from UTC. */
    waras_instant from = (first_monday - 1) * 86400, to = (last_monday + 8) * 86400;
    if ((rc = waras_store_events_each(st, p->id, "timesheet,meeting,leave", from, to, on_event, &c)))
        goto cleanup;

    /* Local days with timesheet entries: their meetings do not add time. */
    if (c.timesheet.n) {
        ts_days = malloc(c.timesheet.n * sizeof(*ts_days));
        if (!ts_days) {
            rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
            goto cleanup;
        }
        for (size_t i = 0; i < c.timesheet.n; i++)
            ts_days[nts++] = local_day(c.tz, c.timesheet.v[i].s);
        qsort(ts_days, nts, sizeof(*ts_days), day_cmp);
    }
    for (size_t i = 0; i < c.timesheet.n; i++)
        if ((rc = span_add(&worked, c.timesheet.v[i].s, c.timesheet.v[i].e)))
            goto cleanup;
    span_union(&c.meetings);
    for (size_t i = 0; i < c.meetings.n; i++) {
        /* Keep the parts of the meeting on days without timesheets. */
        waras_instant s = c.meetings.v[i].s, e = c.meetings.v[i].e;
        while (s < e) {
            int64_t day = local_day(c.tz, s);
            int y, m, d;
            waras_civil_from_days(day + 1, &y, &m, &d);
            waras_instant next = waras_tz_midnight(c.tz, y, m, d);
            if (next <= s)
                next = s + 3600;
            waras_instant stop = next < e ? next : e;
            int has_ts = nts && bsearch(&day, ts_days, nts, sizeof(*ts_days), day_cmp);
            if (!has_ts && (rc = span_add(&worked, s, stop)))
                goto cleanup;
            s = stop;
        }
    }
    span_union(&worked);
    span_union(&c.leave);
    week_acc acc = {p, c.tz, weeks, nweeks, first_monday, 0};
    for (size_t i = 0; i < worked.n; i++)
        cut_days(c.tz, worked.v[i].s, worked.v[i].e, add_piece, &acc);
    acc.field = 1;
    for (size_t i = 0; i < c.meetings.n; i++)
        cut_days(c.tz, c.meetings.v[i].s, c.meetings.v[i].e, add_piece, &acc);
    acc.field = 2;
    for (size_t i = 0; i < c.leave.n; i++)
        cut_days(c.tz, c.leave.v[i].s, c.leave.v[i].e, add_piece, &acc);
    *out = weeks;
    *n = nweeks;
    weeks = NULL;
cleanup:
    free(weeks);
    free(ts_days);
    free(worked.v);
    free(c.timesheet.v);
    free(c.meetings.v);
    free(c.leave.v);
    return rc;
}
