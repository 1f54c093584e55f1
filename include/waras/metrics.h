/*
 * Person-week metrics, computed from the store's events in each person's
 * own time zone (ISO weeks, DST-correct). Worked time is the union of worked
 * intervals: timesheet entries where a local day has any (authoritative),
 * otherwise accepted, timed, non-free meetings. See DESIGN.md "Definitions".
 */
#ifndef WARAS_METRICS_H
#define WARAS_METRICS_H

#include <stddef.h>

#include "waras/store.h"

typedef struct waras_week_metrics {
    int iso_year, iso_week;
    int64_t monday;       /* day number (days since 1970-01-01) of the week's Monday */
    double worked_hours;  /* union of worked intervals */
    double meeting_hours; /* accepted timed meetings (union) */
    double after_hours;   /* worked hours outside the person's working hours */
    double weekend_hours; /* worked hours on Saturday and Sunday */
    double leave_days;    /* local days covered by leave */
} waras_week_metrics;

/* Weeks of one person whose Mondays fall in [first_monday, last_monday]
 * (day numbers), in order; *out has (last - first) / 7 + 1 entries and is
 * freed by the caller. */
int waras_metrics_weeks(waras_store *st, const waras_person *p, int64_t first_monday,
                        int64_t last_monday, waras_week_metrics **out, size_t *n);

/* The Monday (day number) of the ISO week holding local day `day`. */
int64_t waras_metrics_monday(int64_t day);

#endif
