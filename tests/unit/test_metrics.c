/*
 * Unit tests for person-week metrics (waras_metrics_weeks) with values
 * worked out by hand from docs/definitions.md: worked time as a union
 * (timesheets authoritative for their day, accepted meetings only, commit
 * sessions, incidents capped), after-hours and weekend hours, focus hours,
 * streaks, daily rest, breaks, interruptions by window, a DST week and ISO
 * week boundaries; and the same pages counted by the weekly metrics and by
 * activity counts, which must agree.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "waras/activity.h"
#include "waras/error.h"
#include "waras/metrics.h"
#include "waras/store.h"
#include "time/days.h"

#define EPS 1e-6

typedef struct fixture {
    th_scratch s;
    waras_person eva; /* Europe/Berlin, Mon-Fri 08:00-18:00 */
    waras_person kai; /* Asia/Tokyo, Tue-Sat 10:00-19:00 */
    int seq;
} fixture;

static int setup(void **state)
{
    if (th_scratch_setup(state, sizeof(fixture), "metrics"))
        return -1;
    fixture *f = *state;
    f->eva = th_person("eva", "infra", "Europe/Berlin", 0x1f, 8 * 60, 18 * 60);
    f->kai = th_person("kai", "infra", "Asia/Tokyo", 0x3e, 10 * 60, 19 * 60);
    if (waras_store_person_put(f->s.st, &f->eva) || waras_store_person_put(f->s.st, &f->kai))
        return -1;
    return 0;
}

/* The week's interruptions in the business, off and sleep windows. */
static void assert_interruptions(const waras_week_metrics *w, long business, long off,
                                 long sleep)
{
    assert_int_equal(w->interruptions[WARAS_WINDOW_BUSINESS], business);
    assert_int_equal(w->interruptions[WARAS_WINDOW_OFF], off);
    assert_int_equal(w->interruptions[WARAS_WINDOW_SLEEP], sleep);
}

/* A local wall-clock time of a person, as an instant. */
static waras_instant at(const waras_person *p, int y, int mo, int d, int h, int mi, int s)
{
    const waras_tz *tz = NULL;
    assert_int_equal(waras_tz_get(&tz, p->timezone), 0);
    waras_civil c = {y, mo, d, h, mi, s};
    return waras_tz_to_utc(tz, &c);
}

static void put(fixture *f, const waras_person *p, const char *kind, const char *status,
                waras_instant s, waras_instant e, const char *attrs)
{
    th_event_put(
        f->s.st, &f->seq,
        (waras_event){
            .person = p->id, .kind = kind, .status = status, .start = s, .end = e, .attrs = attrs});
}

static void commit(fixture *f, const waras_person *p, waras_instant t)
{
    put(f, p, "commit", NULL, t, t, NULL);
}

/* A page on a channel (NULL: an incident-level page without one). */
static void page(fixture *f, const waras_person *p, waras_instant t, const char *channel)
{
    char attrs[96];
    snprintf(attrs, sizeof(attrs), "{\"channel\":\"%s\"}", channel ? channel : "");
    put(f, p, "page", NULL, t, t, channel ? attrs : NULL);
}

static int64_t day(int y, int m, int d)
{
    return waras_time__days_from_civil(y, m, d);
}

static waras_week_metrics *weeks(fixture *f, const waras_person *p, const waras_metrics_config *cfg,
                                 int64_t first, int64_t last, size_t want)
{
    waras_week_metrics *w = NULL;
    size_t n = 0;
    assert_int_equal(waras_metrics_weeks(&w, &n, f->s.st, p, cfg, waras_time__date(first),
                                         waras_time__date(last)),
                     0);
    assert_int_equal(n, want);
    return w;
}

/* Week 2026-W10 (Mon 2026-03-02) in Berlin (CET, UTC+1):
 *  Mon  meetings 09:00-10:00 and 09:30-11:00 accepted -> 09:00-11:00 (2 h);
 *       13:00-14:00 declined, 11:30-12:30 free (transparent) and 12:00-13:00
 *       tentative add nothing. Commits 14:00, 15:00, 16:30 (gaps < 120 min)
 *       -> one session 13:00-16:30 (3.5 h); 19:00 (150 min on) -> 18:00-19:00;
 *       21:00 (exactly 120 min on) -> 20:00-21:00. 7.5 h, 2 h after hours.
 *  Tue  timesheet 09:00-17:00 (8 h) is the day: the meeting 17:00-19:00 and
 *       the commit at 20:00 add no worked time (the meeting is still meeting
 *       time, the commit still a commit).
 *  Wed  incident 10:00-20:00, capped at 6 h -> 10:00-16:00.
 *  Sat  commit 11:00 -> 10:00-11:00: 1 h, weekend, after hours.
 * Worked 22.5 h, after hours 3 h (share 2/15), weekend 1 h, meetings 4 h,
 * 7 commits, 1 incident. Focus (blocks >= 2 h in 08:00-18:00 free of
 * accepted meetings): Mon 11:00-18:00 = 7, Tue 08:00-17:00 = 9, Wed-Fri
 * 10 each -> 46 h. Active Mon, Tue, Wed, Sat: 4 days, streak 3. Daily rest
 * (longest gap in 24 h from the day's first work): Mon from 09:00, 21:00 ->
 * Tue 09:00 = 12 h; Tue 17:00 -> Wed 09:00 = 16 h; Wed 16:00 -> Thu 10:00
 * = 18 h; Sat 11:00 -> Sun 10:00 = 23 h; min 12 h. */
static void test_metrics__worked_union(void **state)
{
    fixture *f = *state;
    const waras_person *e = &f->eva;
    put(f, e, "meeting", "accepted", at(e, 2026, 3, 2, 9, 0, 0), at(e, 2026, 3, 2, 10, 0, 0), NULL);
    put(f, e, "meeting", "accepted", at(e, 2026, 3, 2, 9, 30, 0), at(e, 2026, 3, 2, 11, 0, 0),
        NULL);
    put(f, e, "meeting", "declined", at(e, 2026, 3, 2, 13, 0, 0), at(e, 2026, 3, 2, 14, 0, 0),
        NULL);
    put(f, e, "meeting", "free", at(e, 2026, 3, 2, 11, 30, 0), at(e, 2026, 3, 2, 12, 30, 0), NULL);
    put(f, e, "meeting", "tentative", at(e, 2026, 3, 2, 12, 0, 0), at(e, 2026, 3, 2, 13, 0, 0),
        NULL);
    commit(f, e, at(e, 2026, 3, 2, 14, 0, 0));
    commit(f, e, at(e, 2026, 3, 2, 15, 0, 0));
    commit(f, e, at(e, 2026, 3, 2, 16, 30, 0));
    commit(f, e, at(e, 2026, 3, 2, 19, 0, 0));
    commit(f, e, at(e, 2026, 3, 2, 21, 0, 0));
    put(f, e, "timesheet", NULL, at(e, 2026, 3, 3, 9, 0, 0), at(e, 2026, 3, 3, 17, 0, 0), NULL);
    put(f, e, "meeting", "accepted", at(e, 2026, 3, 3, 17, 0, 0), at(e, 2026, 3, 3, 19, 0, 0),
        NULL);
    commit(f, e, at(e, 2026, 3, 3, 20, 0, 0));
    put(f, e, "incident", NULL, at(e, 2026, 3, 4, 10, 0, 0), at(e, 2026, 3, 4, 20, 0, 0), NULL);
    commit(f, e, at(e, 2026, 3, 7, 11, 0, 0));

    waras_week_metrics *w = weeks(f, e, NULL, day(2026, 3, 2), day(2026, 3, 2), 1);
    assert_int_equal(w[0].iso_year, 2026);
    assert_int_equal(w[0].iso_week, 10);
    assert_float_equal(w[0].worked_hours, 22.5, EPS);
    assert_float_equal(w[0].day_hours[0], 7.5, EPS);
    assert_float_equal(w[0].day_hours[1], 8.0, EPS);
    assert_float_equal(w[0].day_hours[2], 6.0, EPS);
    assert_float_equal(w[0].day_hours[5], 1.0, EPS);
    assert_float_equal(w[0].after_hours, 3.0, EPS);
    assert_float_equal(w[0].after_hours_share, 3.0 / 22.5, EPS);
    assert_float_equal(w[0].weekend_hours, 1.0, EPS);
    assert_float_equal(w[0].meeting_hours, 4.0, EPS);
    assert_float_equal(w[0].focus_hours, 46.0, EPS);
    assert_int_equal(w[0].commits, 7);
    assert_int_equal(w[0].incidents, 1);
    assert_int_equal(w[0].day_incidents[2], 1);
    assert_int_equal(w[0].has_timesheet, 1);
    /* Mon, Tue, Wed; Saturday's lone commit (1 h) is under the 2 h of an
     * active day. */
    assert_int_equal(w[0].active_days, 3);
    assert_int_equal(w[0].longest_streak_days, 3);
    assert_float_equal(w[0].day_rest[0], 12.0, EPS);
    assert_float_equal(w[0].day_rest[1], 16.0, EPS);
    assert_float_equal(w[0].day_rest[2], 18.0, EPS);
    assert_float_equal(w[0].day_rest[3], -1.0, EPS);
    assert_float_equal(w[0].day_rest[5], 23.0, EPS);
    assert_float_equal(w[0].min_daily_rest_hours, 12.0, EPS);
    assert_int_equal(w[0].short_rest_days, 0);
    assert_int_equal(w[0].days_since_break, -1);
    free(w);

    /* A longer cap and a shorter session gap change exactly their parts:
     * Wed 10 h (10:00-20:00, 2 h after hours); Mon's commits 14:00-16:30
     * now split at the 90 min gap: 13:00-15:00 and 15:30-16:30 (3 h). */
    waras_metrics_config cfg;
    waras_metrics_config_default(&cfg);
    cfg.incident_cap_min = 12 * 60;
    cfg.session_gap_min = 90;
    w = weeks(f, e, &cfg, day(2026, 3, 2), day(2026, 3, 2), 1);
    assert_float_equal(w[0].day_hours[0], 7.0, EPS);
    assert_float_equal(w[0].day_hours[2], 10.0, EPS);
    assert_float_equal(w[0].worked_hours, 26.0, EPS);
    assert_float_equal(w[0].after_hours, 5.0, EPS);
    free(w);
}

/* Rolling measures over 2026-W09..W11, one-hour commit sessions (commit at
 * hh:00 -> hh-1:00..hh:00):
 *  Wed 02-25 .. Sun 03-01 at 12:00, Mon 03-02 at 12:00 and 20:00, Tue 03-03
 *  at 06:00 and 12:00, then nothing until Wed 03-11 at 12:00.
 *  Streak: Wed 02-25 .. Tue 03-03 = 7 days (W09: 5, W10: 7, W11: 1).
 *  Rest: Mon from 11:00: 12:00-19:00 (7), 20:00 -> Tue 05:00 (9), 06:00 ->
 *  11:00 (5): 9 h, a short rest day; Tue from 05:00: 12:00 -> Wed 05:00 =
 *  17 h. Other days 23 h.
 *  Break (5 idle working days): Wed 03-04, Thu, Fri, Mon 03-09, Tue 03-10:
 *  at Sunday 03-15 it is 5 days old; none at the ends of W09 and W10.
 * Here any worked time makes a day active (active_day_min_hours 0). */
static void test_metrics__rolling(void **state)
{
    waras_metrics_config cfg;
    waras_metrics_config_default(&cfg);
    cfg.active_day_min_hours = 0;
    fixture *f = *state;
    const waras_person *e = &f->eva;
    for (int d = 25; d <= 28; d++)
        commit(f, e, at(e, 2026, 2, d, 12, 0, 0));
    commit(f, e, at(e, 2026, 3, 1, 12, 0, 0));
    commit(f, e, at(e, 2026, 3, 2, 12, 0, 0));
    commit(f, e, at(e, 2026, 3, 2, 20, 0, 0));
    commit(f, e, at(e, 2026, 3, 3, 6, 0, 0));
    commit(f, e, at(e, 2026, 3, 3, 12, 0, 0));
    commit(f, e, at(e, 2026, 3, 11, 12, 0, 0));
    waras_week_metrics *w = weeks(f, e, &cfg, day(2026, 2, 23), day(2026, 3, 9), 3);
    assert_int_equal(w[0].iso_week, 9);
    assert_int_equal(w[0].longest_streak_days, 5);
    assert_int_equal(w[1].longest_streak_days, 7);
    assert_int_equal(w[2].longest_streak_days, 1);
    assert_int_equal(w[0].active_days, 5);
    assert_int_equal(w[1].active_days, 2);
    assert_float_equal(w[0].min_daily_rest_hours, 23.0, EPS);
    assert_float_equal(w[1].day_rest[0], 9.0, EPS);
    assert_float_equal(w[1].day_rest[1], 17.0, EPS);
    assert_float_equal(w[1].min_daily_rest_hours, 9.0, EPS);
    assert_int_equal(w[1].short_rest_days, 1);
    assert_float_equal(w[2].min_daily_rest_hours, 23.0, EPS);
    assert_int_equal(w[0].days_since_break, -1);
    assert_int_equal(w[1].days_since_break, -1);
    assert_int_equal(w[2].days_since_break, 5);
    assert_int_equal(w[2].days_on_record, 19); /* 02-25 .. 03-15 */
    free(w);
}

/* Interruptions of eva in 2026-W10 (Berlin, Mon-Fri 08:00-18:00):
 *  Mon 07:59:30 push (sleep), 08:00:29 sms (59 s on: merged), 08:00:30 push
 *  (60 s on: a new one, business); 18:00:00 Phone (off); 18:00:10 EMAIL and
 *  20:00 slack: none; Tue 22:00 no channel (incident-level: sleep);
 *  Sat 12:00 SmS (off).            -> business 1, off 2, sleep 2.
 * With a 120 s merge window the three Monday morning ones are one, classed
 * by the first (sleep): business 0, off 2, sleep 2. */
static void test_metrics__interruptions_by_window(void **state)
{
    fixture *f = *state;
    const waras_person *e = &f->eva;
    page(f, e, at(e, 2026, 3, 2, 7, 59, 30), "push");
    page(f, e, at(e, 2026, 3, 2, 8, 0, 29), "sms");
    page(f, e, at(e, 2026, 3, 2, 8, 0, 30), "push");
    page(f, e, at(e, 2026, 3, 2, 18, 0, 0), "Phone");
    page(f, e, at(e, 2026, 3, 2, 18, 0, 10), "EMAIL");
    page(f, e, at(e, 2026, 3, 2, 20, 0, 0), "slack");
    page(f, e, at(e, 2026, 3, 3, 22, 0, 0), NULL);
    page(f, e, at(e, 2026, 3, 7, 12, 0, 0), "SmS");
    waras_week_metrics *w = weeks(f, e, NULL, day(2026, 3, 2), day(2026, 3, 2), 1);
    assert_interruptions(&w[0], 1, 2, 2);
    /* Pages alone are no worked time: no day is active. */
    assert_int_equal(w[0].active_days, 0);
    free(w);
    waras_metrics_config cfg;
    waras_metrics_config_default(&cfg);
    cfg.merge_window_s = 120;
    w = weeks(f, e, &cfg, day(2026, 3, 2), day(2026, 3, 2), 1);
    assert_interruptions(&w[0], 0, 2, 2);
    free(w);
    /* kai (Tokyo, Tue-Sat 10:00-19:00): Sat 12:00 is business, Mon 12:00
     * off, Tue 09:59 off, Tue 10:00 business, Tue 19:00 off. */
    const waras_person *k = &f->kai;
    page(f, k, at(k, 2026, 3, 7, 12, 0, 0), "push");
    page(f, k, at(k, 2026, 3, 2, 12, 0, 0), "push");
    page(f, k, at(k, 2026, 3, 3, 9, 59, 0), "push");
    page(f, k, at(k, 2026, 3, 3, 10, 0, 0), "push");
    page(f, k, at(k, 2026, 3, 3, 19, 0, 0), "push");
    w = weeks(f, k, NULL, day(2026, 3, 2), day(2026, 3, 2), 1);
    assert_interruptions(&w[0], 2, 3, 0);
    free(w);
}

/* 2026-W13 in Berlin: clocks go from 02:00 CET to 03:00 CEST on Sunday
 * 03-29. An incident Sat 22:00 CET -> Sun 04:00 CEST lasts 5 h: Sat 2 h and
 * Sun 3 h, all weekend, after hours and night time. Pages Sun 01:59:30 CET
 * and 03:00:10 CEST are 40 s apart: one interruption, sleep; Sun 08:00 CEST
 * is off. Mon 03-30 (W14) 08:00-18:00 CEST timesheet: 10 h, none after
 * hours. */
static void test_metrics__dst_week(void **state)
{
    fixture *f = *state;
    const waras_person *e = &f->eva;
    waras_instant s = at(e, 2026, 3, 28, 22, 0, 0), t = at(e, 2026, 3, 29, 4, 0, 0);
    assert_int_equal(t - s, 5 * 3600);
    put(f, e, "incident", NULL, s, t, NULL);
    page(f, e, at(e, 2026, 3, 29, 1, 59, 30), "push");
    page(f, e, at(e, 2026, 3, 29, 3, 0, 10), "phone");
    page(f, e, at(e, 2026, 3, 29, 8, 0, 0), "push");
    put(f, e, "timesheet", NULL, at(e, 2026, 3, 30, 8, 0, 0), at(e, 2026, 3, 30, 18, 0, 0), NULL);
    waras_week_metrics *w = weeks(f, e, NULL, day(2026, 3, 23), day(2026, 3, 30), 2);
    assert_int_equal(w[0].iso_week, 13);
    assert_int_equal(w[1].iso_week, 14);
    assert_float_equal(w[0].worked_hours, 5.0, EPS);
    assert_float_equal(w[0].day_hours[5], 2.0, EPS);
    assert_float_equal(w[0].day_hours[6], 3.0, EPS);
    assert_float_equal(w[0].weekend_hours, 5.0, EPS);
    assert_float_equal(w[0].after_hours, 5.0, EPS);
    assert_float_equal(w[0].night_hours[5], 2.0, EPS);
    assert_float_equal(w[0].night_hours[6], 3.0, EPS);
    assert_interruptions(&w[0], 0, 1, 1);
    assert_int_equal(w[0].incidents, 1);
    assert_int_equal(w[0].day_incidents[5], 1);
    assert_float_equal(w[1].worked_hours, 10.0, EPS);
    assert_float_equal(w[1].after_hours, 0.0, EPS);
    /* Rest from Sat 22:00 CET: 04:00 CEST Sun -> 22:00 CET Sat + 24 h
     * (= 23:00 CEST Sun) is 19 h. */
    assert_float_equal(w[0].day_rest[5], 19.0, EPS);
    free(w);
}

/* 2026 has 53 ISO weeks: Mon 2026-12-28 is 2026-W53, Mon 2027-01-04 is
 * 2027-W01. Commits Sun 01-03 23:30 and Mon 01-04 00:30 (Berlin; the second
 * is still Sunday in UTC) make one session Sun 22:30 -> Mon 00:30, cut at
 * local midnight: 1.5 h in W53 (weekend), 0.5 h in W01. */
static void test_metrics__iso_week_boundary(void **state)
{
    fixture *f = *state;
    const waras_person *e = &f->eva;
    commit(f, e, at(e, 2027, 1, 3, 23, 30, 0));
    commit(f, e, at(e, 2027, 1, 4, 0, 30, 0));
    waras_week_metrics *w = weeks(f, e, NULL, day(2026, 12, 28), day(2027, 1, 4), 2);
    assert_int_equal(w[0].iso_year, 2026);
    assert_int_equal(w[0].iso_week, 53);
    assert_int_equal(waras_time__days(w[0].monday), day(2026, 12, 28));
    assert_int_equal(w[1].iso_year, 2027);
    assert_int_equal(w[1].iso_week, 1);
    assert_int_equal(waras_time__days(w[1].monday), day(2027, 1, 4));
    assert_float_equal(w[0].worked_hours, 1.5, EPS);
    assert_float_equal(w[0].weekend_hours, 1.5, EPS);
    assert_float_equal(w[0].day_hours[6], 1.5, EPS);
    assert_float_equal(w[1].worked_hours, 0.5, EPS);
    assert_float_equal(w[1].day_hours[0], 0.5, EPS);
    assert_float_equal(w[1].after_hours, 0.5, EPS);
    assert_int_equal(w[0].commits, 1);
    assert_int_equal(w[1].commits, 1);
    assert_int_equal(waras_time__days(waras_date_monday((waras_date){2027, 1, 3})),
                     day(2026, 12, 28));
    assert_int_equal(waras_time__days(waras_date_monday((waras_date){2027, 1, 4})),
                     day(2027, 1, 4));
    free(w);
}

/* Sums one person's interruptions per window over the weeks of [first,
 * last]. */
static void week_totals(fixture *f, const waras_person *p, const waras_metrics_config *cfg,
                        int64_t first, int64_t last, long tot[WARAS_WINDOW_COUNT])
{
    size_t nw = (size_t)((last - first) / 7 + 1);
    waras_week_metrics *w = weeks(f, p, cfg, first, last, nw);
    for (int x = 0; x < WARAS_WINDOW_COUNT; x++)
        tot[x] = 0;
    for (size_t i = 0; i < nw; i++)
        for (int x = 0; x < WARAS_WINDOW_COUNT; x++)
            tot[x] += w[i].interruptions[x];
    free(w);
}

static const waras_activity_row *row_of(const waras_activity_row *rows, size_t n, const char *k)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rows[i].key, k) == 0)
            return &rows[i];
    fail_msg("no row for %s", k);
    return NULL;
}

/* The same pages through the weekly metrics (report, risk, check) and the
 * activity counts: equal per window, for the default and another merge
 * window, and for own working hours. */
static void test_metrics__agrees_with_activity(void **state)
{
    fixture *f = *state;
    const waras_person *e = &f->eva, *k = &f->kai;
    page(f, e, at(e, 2026, 3, 2, 9, 0, 0), "PUSH");
    page(f, e, at(e, 2026, 3, 2, 9, 0, 59), "Sms");   /* 59 s: merged */
    page(f, e, at(e, 2026, 3, 2, 9, 1, 0), "phone");  /* 60 s: new */
    page(f, e, at(e, 2026, 3, 2, 9, 1, 30), "teams"); /* unknown: none */
    page(f, e, at(e, 2026, 3, 2, 9, 1, 40), "Email");
    page(f, e, at(e, 2026, 3, 3, 19, 0, 0), "push_Notification");
    page(f, e, at(e, 2026, 3, 4, 23, 0, 0), NULL);
    page(f, e, at(e, 2026, 3, 8, 10, 0, 0), "sms");
    page(f, e, at(e, 2026, 3, 10, 3, 0, 0), "webhook");
    page(f, k, at(k, 2026, 3, 7, 12, 0, 0), "Phone");
    page(f, k, at(k, 2026, 3, 7, 12, 1, 30), "push"); /* 90 s */
    page(f, k, at(k, 2026, 3, 2, 9, 0, 0), "SMS");
    int64_t first = day(2026, 3, 2), last = day(2026, 3, 9);
    waras_activity_opts o = {.source = WARAS_ACTIVITY_PAGES, .own_hours = 1};
    o.has_from = o.has_to = 1;
    o.from_day = waras_time__date(first);
    o.to_day = waras_time__date(last + 7);
    int windows[] = {60, 120};
    for (int i = 0; i < 2; i++) {
        waras_metrics_config cfg;
        waras_metrics_config_default(&cfg);
        cfg.merge_window_s = windows[i];
        o.has_merge_window = i > 0;
        o.merge_window_s = windows[i];
        waras_activity_row *rows = NULL;
        size_t n = 0;
        assert_int_equal(waras_activity_count(&rows, &n, f->s.st, &o), 0);
        assert_int_equal(n, 2);
        const waras_person *people[] = {e, k};
        for (int q = 0; q < 2; q++) {
            long tot[WARAS_WINDOW_COUNT];
            week_totals(f, people[q], &cfg, first, last, tot);
            const waras_activity_row *r = row_of(rows, n, people[q]->id);
            assert_int_equal(r->business, tot[WARAS_WINDOW_BUSINESS]);
            assert_int_equal(r->off, tot[WARAS_WINDOW_OFF]);
            assert_int_equal(r->sleep, tot[WARAS_WINDOW_SLEEP]);
        }
        /* By hand: eva business 2 at 60 s (09:00, 09:01), 1 at 120 s; off 2
         * (Tue 19:00, Sun 10:00), sleep 1 (Wed 23:00); kai off 1 (Mon
         * 09:00) and Sat business 2 at 60 s, 1 at 120 s. */
        const waras_activity_row *re = row_of(rows, n, "eva"), *rk = row_of(rows, n, "kai");
        assert_int_equal(re->business, i == 0 ? 2 : 1);
        assert_int_equal(re->off, 2);
        assert_int_equal(re->sleep, 1);
        assert_int_equal(rk->off, 1);
        assert_int_equal(rk->business, i == 0 ? 2 : 1);
        free(rows);
    }
}

/* eva works Mon-Fri 09:00-17:00 in 2026-W10 and W11; on Saturday 03-07 a
 * lone commit (1 h) and on Sunday 03-08 a commit session of 1.2 h. Under the
 * default 2 h an active day needs, the weekend joins nothing: the longest
 * streak is 5 and weekly rest keeps its exact intervals. With
 * active_day_min_hours 0 the two weeks are one run of 12 days. A public
 * holiday on Wednesday 03-11 is no working day: its stand-up is not work,
 * what was worked on it is after hours, it has no focus, and the
 * timesheet day still counts (a real day of work). */
static void test_metrics__active_day_threshold_and_holiday(void **state)
{
    fixture *f = *state;
    const waras_person *e = &f->eva;
    for (int d = 2; d <= 13; d++) {
        if (d == 7 || d == 8 || d == 11)
            continue;
        put(f, e, "timesheet", NULL, at(e, 2026, 3, d, 9, 0, 0), at(e, 2026, 3, d, 17, 0, 0),
            NULL);
    }
    commit(f, e, at(e, 2026, 3, 7, 11, 0, 0));
    commit(f, e, at(e, 2026, 3, 8, 10, 0, 0));
    commit(f, e, at(e, 2026, 3, 8, 10, 12, 0));
    put(f, e, "holiday", NULL, at(e, 2026, 3, 11, 0, 0, 0), at(e, 2026, 3, 12, 0, 0, 0), NULL);
    put(f, e, "meeting", "accepted", at(e, 2026, 3, 11, 9, 30, 0), at(e, 2026, 3, 11, 10, 0, 0),
        NULL);
    commit(f, e, at(e, 2026, 3, 11, 15, 0, 0)); /* 14:00-15:00 on the holiday */
    waras_week_metrics *w = weeks(f, e, NULL, day(2026, 3, 2), day(2026, 3, 9), 2);
    assert_int_equal(w[0].longest_streak_days, 5);
    assert_int_equal(w[1].longest_streak_days, 2); /* Mon, Tue; Thu, Fri */
    assert_int_equal(w[0].active_days, 5);
    assert_int_equal(w[1].active_days, 4);
    assert_int_equal(w[1].holidays, 1 << 2);
    assert_int_equal(w[0].holidays, 0);
    assert_float_equal(w[1].day_hours[2], 1.0, EPS);      /* the commit, not the meeting */
    assert_float_equal(w[1].after_hours, 1.0, EPS);       /* a holiday has no working hours */
    assert_float_equal(w[1].meeting_hours, 0.5, EPS);     /* still in the calendar */
    assert_float_equal(w[0].weekend_hours, 1.0 + 1.2, EPS);
    /* Rest keeps the exact intervals: Saturday's daily rest runs from its
     * commit session's end (11:00) to Sunday's start (09:00), 22 h. */
    assert_float_equal(w[0].day_rest[5], 22.0, EPS);
    /* Focus: W11 has four working days (10 h each, no meetings but the
     * holiday's); W10 five. */
    assert_float_equal(w[1].focus_hours, 40.0, EPS);
    assert_float_equal(w[0].focus_hours, 50.0, EPS);
    free(w);
    /* Leave over the holiday week: the holiday is not a day of leave. */
    put(f, e, "leave", NULL, at(e, 2026, 3, 16, 0, 0, 0), at(e, 2026, 3, 21, 0, 0, 0), NULL);
    put(f, e, "holiday", NULL, at(e, 2026, 3, 18, 0, 0, 0), at(e, 2026, 3, 19, 0, 0, 0), NULL);
    w = weeks(f, e, NULL, day(2026, 3, 16), day(2026, 3, 16), 1);
    assert_float_equal(w[0].leave_days, 4.0, EPS);
    assert_int_equal(w[0].holidays, 1 << 2);
    free(w);
    waras_metrics_config cfg;
    waras_metrics_config_default(&cfg);
    cfg.active_day_min_hours = 0;
    w = weeks(f, e, &cfg, day(2026, 3, 2), day(2026, 3, 9), 2);
    assert_int_equal(w[1].longest_streak_days, 12); /* 03-02 .. 03-13, holiday worked 1 h */
    free(w);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, th_scratch_teardown)
    const struct CMUnitTest tests[] = {
        T(test_metrics__worked_union),
        T(test_metrics__rolling),
        T(test_metrics__interruptions_by_window),
        T(test_metrics__dst_week),
        T(test_metrics__iso_week_boundary),
        T(test_metrics__agrees_with_activity),
        T(test_metrics__active_day_threshold_and_holiday),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
