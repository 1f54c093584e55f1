/*
 * Person-week metrics, computed from the store's events in each person's
 * own time zone (ISO weeks, DST-correct), exactly as docs/definitions.md
 * sets out:
 *   worked time   union of timesheet entries (authoritative for their local
 *                 day) or else accepted timed meetings, commit sessions and
 *                 incident response (capped per incident);
 *   windows and   as waras/interrupt.h has them (the person's working days
 *   interruptions and hours are business; the configured merge window);
 *   holidays      events of kind "holiday": days that are not working days.
 * A week row also carries the rolling measures that end in it: the longest
 * streak, the shortest daily rest, the longest weekly rest and the days since
 * the last break.
 */
#ifndef WARAS_METRICS_H
#define WARAS_METRICS_H

#include <stddef.h>

#include "waras/interrupt.h"
#include "waras/store.h"
#include "waras/time.h"

typedef struct waras_metrics_config {
    int session_gap_min;      /* commits closer than this form a session (120) */
    int session_lead_min;     /* a session starts this long before its first commit (60) */
    int incident_cap_min;     /* incident response counted up to this (360) */
    int merge_window_s;       /* notifications merged into one interruption (60) */
    int focus_block_min;      /* a focus block is at least this long (120) */
    int break_days;           /* working days off that make a break (5) */
    double active_day_min_hours; /* worked time that makes a day active (2) */
    int standby_is_work;      /* count on-call standby as worked time (0) */
} waras_metrics_config;

/* The defaults of docs/definitions.md. */
void waras_metrics_config_default(waras_metrics_config *c);

typedef struct waras_week_metrics {
    int iso_year, iso_week;
    waras_date monday;    /* the week's Monday (local date) */
    double worked_hours;  /* union of worked intervals */
    double meeting_hours; /* accepted timed meetings (union) */
    double after_hours;   /* worked hours outside the person's working hours */
    double after_hours_share; /* after_hours / worked_hours, 0 when nothing worked */
    double weekend_hours; /* worked hours on Saturday and Sunday */
    double focus_hours;   /* blocks >= 2 h inside working hours with no meeting */
    double oncall_hours;  /* scheduled standby */
    double leave_days;    /* local days covered by leave */
    int interruptions[WARAS_WINDOW_COUNT]; /* by waras_window: business, off, sleep */
    int incidents;        /* incidents responded to, by start */
    int commits;
    int active_days;      /* local days with at least active_day_min_hours worked */
    int holidays;         /* public holidays of the person: bit d = Monday + d */
    int longest_streak_days;     /* longest run of active days ending in this week */
    double min_daily_rest_hours; /* shortest daily rest among this week's worked days (24 if none) */
    int short_rest_days;         /* worked days whose daily rest was < 11 h */
    double weekly_rest_hours;    /* longest rest overlapping the week */
    int days_since_break;        /* at the week's Sunday; -1 when no break on record */
    int days_on_record;          /* days from the first activity read to the week's Sunday */
    int has_timesheet;           /* any timesheet entry this week */
    /* Per local day, Monday first. */
    double day_hours[7];  /* worked hours */
    double night_hours[7];/* worked hours in 22:00-05:00 (EU WTD night time) */
    double day_rest[7];   /* daily rest from the day's first work; -1 when no work */
    int day_incidents[7];
} waras_week_metrics;

/* Weeks of one person whose Mondays fall in [first_monday, last_monday]
 * (both Mondays), in order. History before first_monday (up to 26 weeks) is
 * read for the rolling measures. *out has (last - first) / 7 + 1 entries and
 * is freed by the caller. cfg may be NULL for the defaults. */
int waras_metrics_weeks(waras_week_metrics **out, size_t *n, waras_store *st, const waras_person *p,
                        const waras_metrics_config *cfg, waras_date first_monday,
                        waras_date last_monday);

#endif
