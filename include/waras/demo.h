/*
 * A seeded generator of a realistic AI organisation: teams across time
 * zones, each person's calendar with recurring meetings, moved and
 * cancelled occurrences and declines, timesheets, and leave. It only writes
 * files; the demo command ingests them through the ordinary commands.
 */
#ifndef WARAS_DEMO_H
#define WARAS_DEMO_H

#include <stdint.h>
#include "waras/time.h"

typedef struct waras_demo_opts {
    const char *dir;     /* output directory (created) */
    uint64_t seed;
    int weeks;           /* history length, default 26 */
    waras_date last_sunday; /* the last day of history */
} waras_demo_opts;

typedef struct waras_demo_summary {
    int teams, people, zones, calendars, timesheet_rows, leave_rows;
    char people_csv[4096], timesheet_csv[4096], leave_csv[4096], leave_ics[4096];
    char calendars_dir[4096];
    char repo[4096];                 /* a git repository of the org's work */
    long commits;
    char pd_log_entries[4096], pd_incidents[4096];
    char pd_schedules[3][4096];
    int npd_schedules;
    char oncall_ics[4096];
    int incidents, notifications, shifts;
    char milestones_ics[4096]; /* launches and deadlines, past and coming */
    waras_date launch_day;     /* the inference launch that just ended */
    char planted_md[4096];     /* PLANTED.md: who is overloaded on purpose, and why */
    /* Public holidays of each site, as calendars for `waras ingest holidays
     * FILE --site SITE`. */
    char holidays_ics[3][4096];
    char holidays_site[3][32];
    int nholidays;
} waras_demo_summary;

/* Writes people.csv, calendars/<id>.ics, timesheets.csv, leave.csv,
 * leave-research.ics, holidays-<site>.ics, PLANTED.md, a git repository (repo/), PagerDuty exports and an
 * on-call calendar under opts->dir. Same seed and dates, same bytes. */
int waras_demo_generate(waras_demo_summary *out, const waras_demo_opts *opts);

#endif
