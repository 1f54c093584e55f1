/*
 * The demo's paging history: a seeded generator that writes what a team's
 * PagerDuty account and on-call calendar would export for the demo
 * organisation. Training-cluster alerts come mostly at night, and the
 * people marked heavy or extreme carry far more on-call weeks, and so far
 * more pages, than the others. It only writes files; the demo ingests them
 * with `waras ingest pagerduty` and `waras ingest oncall`.
 */
#ifndef WARAS_DEMO_PAGING_H
#define WARAS_DEMO_PAGING_H

#include <stddef.h>
#include <stdint.h>

/* One person of the organisation, as the demo knows them. Borrowed. */
typedef struct waras_demo_pager {
    const char *id;    /* waras person id, e.g. "ayu" */
    const char *name;  /* "Ayu Santoso" */
    const char *email; /* "ayu@lab.example": how the exports name them */
    const char *team;  /* "training-infra", "inference", "research" */
    const char *zone;  /* IANA zone */
    int load;          /* 0 normal, 1 heavy, 2 extreme */
    int64_t away_first, away_last; /* days on leave, inclusive; none when last < first */
} waras_demo_pager;

typedef struct waras_demo_paging_opts {
    const char *dir; /* output directory (must exist) */
    uint64_t seed;
    int64_t first_day, last_day; /* day numbers, inclusive; first_day a Monday */
    const waras_demo_pager *people;
    size_t npeople;
    /* Minutes of incident work (acknowledgement to resolution, at most 6 h,
     * as waras counts a response) the generator gives each person on each
     * local day: npeople rows of last_day - first_day + 1 days, added to;
     * NULL when not wanted. demo.c reads it to list the chance overloads. */
    int *incident_min;
} waras_demo_paging_opts;

typedef struct waras_demo_paging_summary {
    int incidents, notifications, shifts;
    /* PagerDuty REST API exports: log entries (notifications, acks,
     * resolutions), incidents, and one schedule per team except research. */
    char log_entries_json[4096], incidents_json[4096];
    char schedules[3][4096];
    int nschedules;
    /* research's rota as an on-call calendar (as Grafana OnCall exports it). */
    char oncall_ics[4096];
    /* Interruptions in each person's sleep hours (22:00-08:00 local) in the
     * last four weeks, indexed as opts->people: the planted night paging. */
    int night_wakes[64];
} waras_demo_paging_summary;

/* Writes pagerduty_log_entries.json, pagerduty_incidents.json,
 * pagerduty_schedule_<team>.json and oncall_research.ics under opts->dir.
 * Users are named by e-mail (and a PagerDuty id "P" + upper-case person
 * id), so people.csv needs no extra identities. Same inputs, same bytes.
 * Keeps no pointer to opts. */
int waras_demo_paging_generate(const waras_demo_paging_opts *opts, waras_demo_paging_summary *out);

#endif
