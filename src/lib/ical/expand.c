/*
 * Expanding one event of a parsed calendar over a window of days. The
 * recurrence set (RFC 5545 3.8.5) is DTSTART, the RRULE's instances from
 * libical's iterator, and the RDATEs, minus the EXDATEs; it is computed in
 * the event's own wall clock and zone ("the frame"), only for the stretch of
 * time that can reach the window. Overrides (RECURRENCE-ID) then replace
 * their instance (unless an EXDATE removed it), and a RANGE=THISANDFUTURE
 * override moves and re-times every later one by its own shift and length.
 */
#include <stdlib.h>
#include <string.h>

#include "ical/ics_int.h"
#include "waras/error.h"
#include "time/days.h"

typedef struct inst {
    int64_t key;  /* instant (zoned) or wall value: the instance's identity */
    int64_t wall; /* wall clock in the event's frame */
    const ics_rdate *rd;
} inst;

typedef struct frame {
    const ics_zone *zone; /* NULL: floating or date */
    int is_date;
} frame;

static int64_t floor_day(int64_t wall)
{
    int64_t d = wall >= 0 ? wall / 86400 : -((-wall + 86399) / 86400);
    return d * 86400;
}

static int64_t frame_key(const frame *f, int64_t wall)
{
    return f->zone ? waras_ics__zone_to_utc(f->zone, wall) : wall;
}

/* A value of RDATE, EXDATE or RECURRENCE-ID seen in the event's frame. */
static void to_frame(const frame *f, const ics_time *t, int64_t *wall, int64_t *key)
{
    if (f->is_date) {
        *wall = floor_day(t->wall);
        *key = *wall;
    } else if (!f->zone) {
        *wall = t->wall;
        *key = *wall;
    } else if (t->zone && !t->is_date) {
        *key = waras_ics__key(t);
        *wall = *key + waras_ics__zone_offset(f->zone, *key);
    } else {
        *wall = t->wall;
        *key = waras_ics__zone_to_utc(f->zone, *wall);
    }
}

/* End of an instance that starts at wall/key in frame f. */
static int64_t end_of(const frame *f, int64_t wall, int64_t key, const ics_length *len)
{
    if (!f->zone)
        return wall + len->days * 86400 + len->seconds;
    if (len->days)
        return waras_ics__zone_to_utc(f->zone, wall + len->days * 86400) + len->seconds;
    return key + len->seconds;
}

static int64_t length_span(const ics_length *len)
{
    return len->days * 86400 + len->seconds;
}

static int overlaps(int64_t s, int64_t e, int64_t from, int64_t to)
{
    if (e <= s)
        return from <= s && s < to;
    return s < to && e > from;
}

static int emit(const ics_event *ev, const frame *f, int64_t start, int64_t end,
                icalcomponent *comp, waras_ics_callback cb, void *ctx)
{
    waras_ics_occurrence occ;
    occ.uid = ev->uid;
    occ.kind = f->is_date ? WARAS_ICS_DATE : f->zone ? WARAS_ICS_ZONED : WARAS_ICS_FLOATING;
    occ.start = start;
    occ.end = end < start ? start : end;
    occ.tzid = f->zone ? f->zone->iana : NULL;
    occ.component = comp;
    return cb(ctx, &occ);
}

static int cmp_inst(const void *a, const void *b)
{
    const inst *x = a, *y = b;
    if (x->key != y->key)
        return (x->key > y->key) - (x->key < y->key);
    return (x->rd != NULL) - (y->rd != NULL); /* an RDATE period sorts last */
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

typedef struct ov_ref {
    int64_t key;
    int64_t wall;
    const ics_override *ov;
} ov_ref;

static int cmp_ov_ref(const void *a, const void *b)
{
    const ov_ref *x = a, *y = b;
    if (x->key != y->key)
        return (x->key > y->key) - (x->key < y->key);
    if (x->ov->sequence != y->ov->sequence)
        return (x->ov->sequence > y->ov->sequence) - (x->ov->sequence < y->ov->sequence);
    if (x->ov->modified && y->ov->modified && x->ov->modified != y->ov->modified)
        return (x->ov->modified > y->ov->modified) - (x->ov->modified < y->ov->modified);
    if (x->ov->stamp != y->ov->stamp)
        return (x->ov->stamp > y->ov->stamp) - (x->ov->stamp < y->ov->stamp);
    return (x->ov->line > y->ov->line) - (x->ov->line < y->ov->line);
}

typedef struct insts {
    inst *v;
    size_t n, alloc;
} insts;

static int push(insts *a, const char *path, const ics_event *ev, int64_t key, int64_t wall,
                const ics_rdate *rd)
{
    if (a->n == a->alloc) {
        if (a->n >= ICS_MAX_INSTANCES)
            return waras_error_set(WARAS_ELIMIT, path, ev->line, "RRULE",
                                   "event '%s' has more than %d occurrences near the window",
                                   ev->uid, ICS_MAX_INSTANCES);
        size_t na = a->alloc ? a->alloc * 2 : 64;
        inst *nv = realloc(a->v, na * sizeof(*nv));
        if (!nv)
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        a->v = nv;
        a->alloc = na;
    }
    a->v[a->n].key = key;
    a->v[a->n].wall = wall;
    a->v[a->n].rd = rd;
    a->n++;
    return 0;
}

static struct icaltimetype ical_of(int64_t wall, int is_date)
{
    struct icaltimetype t = icaltime_null_time();
    int64_t day = floor_day(wall);
    int64_t secs = wall - day;
    waras_time__civil_from_days(&t.year, &t.month, &t.day, day / 86400);
    t.is_date = is_date;
    if (!is_date) {
        t.hour = (int)(secs / 3600);
        t.minute = (int)(secs % 3600 / 60);
        t.second = (int)(secs % 60);
    }
    /* Recurrence runs on the wall clock, which has no DST, like UTC. Telling
     * libical so lets ICU take its fast path for UTC; a time without zone
     * makes ICU compute offsets of an unknown zone at every step. */
    t.zone = icaltimezone_get_utc_timezone();
    return t;
}

/* Whether an RRULE instance is past UNTIL (which is inclusive). */
static int past_until(const ics_event *ev, const frame *f, int64_t wall, int64_t key)
{
    const ics_time *u = &ev->until;
    if (f->is_date)
        return wall > ev->until_day;
    if (u->is_date)
        return wall >= u->wall + 86400; /* a date includes its whole day */
    if (f->zone && u->zone)
        return key > waras_ics__key(u);
    return wall > u->wall; /* floating on either side: wall clocks */
}

/* Whether a rule with COUNT surely ends before wall clock lo: when every
 * period of a DAILY or WEEKLY rule (with at most BYDAY on WEEKLY) holds an
 * instance, the COUNT-th lies within COUNT * INTERVAL periods of DTSTART.
 * Such a series, over before the window, costs no recurrence steps. */
static int count_ends_before(const ics_event *ev, int64_t lo)
{
    const struct icalrecurrencetype *r = &ev->rrule;
    int64_t period;
    if (r->count <= 0 || r->interval < 1 || r->by_second[0] != ICAL_RECURRENCE_ARRAY_MAX ||
        r->by_minute[0] != ICAL_RECURRENCE_ARRAY_MAX ||
        r->by_hour[0] != ICAL_RECURRENCE_ARRAY_MAX ||
        r->by_month_day[0] != ICAL_RECURRENCE_ARRAY_MAX ||
        r->by_year_day[0] != ICAL_RECURRENCE_ARRAY_MAX ||
        r->by_week_no[0] != ICAL_RECURRENCE_ARRAY_MAX ||
        r->by_month[0] != ICAL_RECURRENCE_ARRAY_MAX ||
        r->by_set_pos[0] != ICAL_RECURRENCE_ARRAY_MAX || r->rscale)
        return 0;
    if (r->freq == ICAL_DAILY_RECURRENCE && r->by_day[0] == ICAL_RECURRENCE_ARRAY_MAX)
        period = 86400;
    else if (r->freq == ICAL_WEEKLY_RECURRENCE)
        period = 7 * 86400;
    else
        return 0;
    return ev->start.wall + ((int64_t)r->count * r->interval + 1) * period < lo;
}

/* The RRULE's instances with wall clock in [lo, hi). */
static int rrule_instances(const char *path, const ics_event *ev, const frame *f, int64_t lo,
                           int64_t hi, insts *out)
{
    int rc = 0;
    if (count_ends_before(ev, lo))
        return 0;
    icalrecur_iterator *it = icalrecur_iterator_new(ev->rrule, ical_of(ev->start.wall, f->is_date));
    icalerror_clear_errno();
    if (!it)
        goto cleanup; /* a rule libical cannot run yields no instances beyond DTSTART */
    /* Jump close to the window when COUNT does not need every instance. */
    if (ev->rrule.count == 0 && lo > ev->start.wall)
        icalrecur_iterator_set_start(it, ical_of(lo, f->is_date));
    icalerror_clear_errno();
    long steps = 0;
    for (;;) {
        if (++steps > ICS_MAX_STEPS) {
            rc = waras_error_set(WARAS_ELIMIT, path, ev->line, "RRULE",
                                 "event '%s': recurrence needs more than %d steps to reach the "
                                 "window",
                                 ev->uid, ICS_MAX_STEPS);
            goto cleanup;
        }
        struct icaltimetype t = icalrecur_iterator_next(it);
        if (icaltime_is_null_time(t))
            break;
        int64_t wall = (t.is_date || f->is_date)
                           ? waras_time__days_from_civil(t.year, t.month, t.day) * 86400
                           : waras_time__days_from_civil(t.year, t.month, t.day) * 86400 +
                                 t.hour * 3600 + t.minute * 60 + t.second;
        if (wall >= hi)
            break;
        int64_t key = frame_key(f, wall);
        if (ev->has_until && past_until(ev, f, wall, key))
            break;
        if (wall < lo)
            continue;
        if ((rc = push(out, path, ev, key, wall, NULL)))
            goto cleanup;
    }
cleanup:
    icalerror_clear_errno();
    if (it)
        icalrecur_iterator_free(it);
    return rc;
}

int waras_ics__expand_event(const waras_ics_calendar *cal, const ics_event *ev, int64_t from_days,
                            int64_t to_days, waras_ics_callback cb, void *ctx)
{
    int rc = 0;
    insts set = {0};
    int64_t *ex_keys = NULL, *ex_days = NULL;
    size_t nex_keys = 0, nex_days = 0;
    ov_ref *exact = NULL, *future = NULL;
    size_t nexact = 0, nfuture = 0;
    if (ev->cancelled)
        goto cleanup;
    frame f = {ev->start.is_date ? NULL : ev->start.zone, ev->start.is_date};
    int64_t from_wall = from_days * 86400, to_wall = to_days * 86400;

    /* Overrides, in the event's frame. */
    if (ev->noverrides) {
        exact = calloc(ev->noverrides, sizeof(*exact));
        future = calloc(ev->noverrides, sizeof(*future));
        if (!exact || !future) {
            rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
            goto cleanup;
        }
    }
    int64_t back = length_span(&ev->length), ahead = 0;
    int date_rids = 0;
    for (size_t i = 0; i < ev->noverrides; i++) {
        const ics_override *o = &ev->overrides[i];
        ov_ref r = {0, 0, o};
        to_frame(&f, &o->rid, &r.wall, &r.key);
        exact[nexact++] = r;
        date_rids |= o->rid.is_date && !f.is_date;
        if (o->thisandfuture) {
            future[nfuture++] = r;
            int64_t sw, sk;
            to_frame(&f, &o->start, &sw, &sk);
            int64_t shift = sw - r.wall;
            int64_t span = length_span(&o->length);
            if (shift + span > back)
                back = shift + span;
            if (-shift > ahead)
                ahead = -shift;
        }
    }
    if (nexact)
        qsort(exact, nexact, sizeof(*exact), cmp_ov_ref);
    if (nfuture)
        qsort(future, nfuture, sizeof(*future), cmp_ov_ref);
    for (size_t i = 0; i < ev->nrdates; i++) {
        const ics_rdate *rd = &ev->rdates[i];
        int64_t span = rd->has_length ? length_span(&rd->length)
                       : rd->has_end  ? waras_ics__key(&rd->end) - waras_ics__key(&rd->start)
                                      : 0;
        if (span > back)
            back = span;
    }
    /* Two days of slack cover zone offsets and DST between frames. */
    int64_t lo = from_wall - back - 2 * 86400, hi = to_wall + ahead + 2 * 86400;

    /* The recurrence set: DTSTART, RRULE, RDATE. */
    if (ev->start.wall >= lo && ev->start.wall < hi &&
        (rc = push(&set, cal->path, ev, frame_key(&f, ev->start.wall), ev->start.wall, NULL)))
        goto cleanup;
    if (ev->has_rrule && (rc = rrule_instances(cal->path, ev, &f, lo, hi, &set)))
        goto cleanup;
    for (size_t i = 0; i < ev->nrdates; i++) {
        int64_t wall, key;
        to_frame(&f, &ev->rdates[i].start, &wall, &key);
        if (wall >= lo && wall < hi && (rc = push(&set, cal->path, ev, key, wall, &ev->rdates[i])))
            goto cleanup;
    }
    if (set.n)
        qsort(set.v, set.n, sizeof(*set.v), cmp_inst);

    /* EXDATE: exact values, and dates that exclude a whole day of a timed
     * event (as Google and Outlook write them). */
    if (ev->nexdates) {
        ex_keys = calloc(ev->nexdates, sizeof(*ex_keys));
        ex_days = calloc(ev->nexdates, sizeof(*ex_days));
        if (!ex_keys || !ex_days) {
            rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
            goto cleanup;
        }
    }
    for (size_t i = 0; i < ev->nexdates; i++) {
        int64_t wall, key;
        if (ev->exdates[i].is_date && !f.is_date) {
            ex_days[nex_days++] = ev->exdates[i].wall;
            continue;
        }
        to_frame(&f, &ev->exdates[i], &wall, &key);
        ex_keys[nex_keys++] = key;
    }
    if (nex_keys)
        qsort(ex_keys, nex_keys, sizeof(*ex_keys), cmp_i64);
    if (nex_days)
        qsort(ex_days, nex_days, sizeof(*ex_days), cmp_i64);

    int64_t wf = frame_key(&f, from_wall), wt = frame_key(&f, to_wall);
    size_t fut = 0;
    for (size_t i = 0; i < set.n; i++) {
        const inst *in = &set.v[i];
        if (i + 1 < set.n && set.v[i + 1].key == in->key)
            continue; /* the same instant twice: keep the last (an RDATE period) */
        if (nex_keys && bsearch(&in->key, ex_keys, nex_keys, sizeof(*ex_keys), cmp_i64))
            continue;
        int64_t day = floor_day(in->wall);
        if (nex_days && bsearch(&day, ex_days, nex_days, sizeof(*ex_days), cmp_i64))
            continue;
        ov_ref probe = {in->key, 0, NULL};
        int replaced = 0;
        for (size_t lo_i = 0, hi_i = nexact; lo_i < hi_i;) {
            size_t mid = lo_i + (hi_i - lo_i) / 2;
            if (exact[mid].key < probe.key) {
                lo_i = mid + 1;
            } else if (exact[mid].key > probe.key) {
                hi_i = mid;
            } else {
                replaced = 1;
                break;
            }
        }
        /* A RECURRENCE-ID written as a DATE on a timed event names that
         * day's instance (RFC 5545 wants the types to match; not all
         * writers do). */
        for (size_t j = 0; j < nexact && !replaced && date_rids; j++)
            replaced = exact[j].ov->rid.is_date && exact[j].wall == day;
        if (replaced)
            continue; /* the override is emitted on its own below */
        while (fut < nfuture && future[fut].key <= in->key)
            fut++;
        int64_t wall = in->wall, key = in->key, end;
        icalcomponent *comp = ev->comp;
        if (fut > 0) {
            /* A THISANDFUTURE override before this instance moves it by the
             * override's shift and gives it the override's length. */
            const ov_ref *r = &future[fut - 1];
            if (r->ov->cancelled)
                continue;
            int64_t sw, sk;
            to_frame(&f, &r->ov->start, &sw, &sk);
            wall += sw - r->wall;
            key = frame_key(&f, wall);
            end = end_of(&f, wall, key, &r->ov->length);
            comp = r->ov->comp;
        } else if (in->rd && in->rd->has_end) {
            int64_t ew, ek;
            to_frame(&f, &in->rd->end, &ew, &ek);
            end = ek;
        } else {
            end =
                end_of(&f, wall, key, in->rd && in->rd->has_length ? &in->rd->length : &ev->length);
        }
        if (overlaps(key, end, wf, wt) && (rc = emit(ev, &f, key, end, comp, cb, ctx)))
            goto cleanup;
    }

    /* Overrides stand for themselves, in their own frame; of several for the
     * same instance the highest SEQUENCE (then the last) wins. */
    for (size_t i = 0; i < nexact; i++) {
        if (i + 1 < nexact && exact[i + 1].key == exact[i].key)
            continue;
        const ics_override *o = exact[i].ov;
        if (o->cancelled)
            continue;
        /* An EXDATE removes the instance, also when an override for it is
         * still in the file (servers keep stale ones): the deletion is the
         * later act, and calendar clients show nothing there. */
        if (nex_keys && bsearch(&exact[i].key, ex_keys, nex_keys, sizeof(*ex_keys), cmp_i64))
            continue;
        int64_t rday = floor_day(exact[i].wall);
        if (nex_days && !f.is_date &&
            bsearch(&rday, ex_days, nex_days, sizeof(*ex_days), cmp_i64))
            continue;
        frame of = {o->start.is_date ? NULL : o->start.zone, o->start.is_date};
        int64_t key = frame_key(&of, o->start.wall);
        int64_t end = end_of(&of, o->start.wall, key, &o->length);
        int64_t owf = frame_key(&of, from_wall), owt = frame_key(&of, to_wall);
        if (overlaps(key, end, owf, owt) && (rc = emit(ev, &of, key, end, o->comp, cb, ctx)))
            goto cleanup;
    }
cleanup:
    free(set.v);
    free(ex_keys);
    free(ex_days);
    free(exact);
    free(future);
    return rc;
}
