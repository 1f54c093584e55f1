/*
 * Ingest adapters: each reads one outside file, validates every row, maps
 * people through the store's identities, and writes its events in a single
 * transaction. A bad file changes nothing; the same content twice is a
 * no-op that says so; a changed file replaces what its earlier version
 * contributed. Adapters know nothing of metrics.
 */
#ifndef WARAS_INGEST_H
#define WARAS_INGEST_H

#include "waras/store.h"
#include "waras/time.h"

typedef struct waras_ingest_result {
    long rows;      /* records read (rows, occurrences, ...) */
    long added;     /* events added or changed */
    long unchanged; /* events already stored as they are */
    long removed;   /* events an earlier version of the file had */
    long skipped;   /* records deliberately left out (see note) */
    long warnings;  /* problems read around (e.g. calendar components skipped) */
    int already;    /* 1: identical content was ingested before; nothing done */
    char note[1024];/* human summary of what was skipped and why */
} waras_ingest_result;

/* An upload held in memory (the service's ingest). While one is set on the
 * calling thread, an adapter asked for the path equal to `name` reads
 * `data` instead of a file, and records and reports `name` as the file's
 * path: errors read "NAME:LINE: field: ...", the same content twice is a
 * no-op and a changed upload of the same name replaces its earlier version.
 * Nothing is written to the file system. Set it before the adapter's call
 * and clear it (NULL) after; the caller keeps the memory alive meanwhile. */
typedef struct waras_ingest_memory {
    const char *name;
    const char *data;
    size_t len;
} waras_ingest_memory;
void waras_ingest_memory_set(const waras_ingest_memory *m);

/* people.csv: see docs/formats.md. Creates or updates people and their
 * identities, and gives people who joined or left a site or team its
 * recorded public holidays (docs/formats.md "Holidays"). */
int waras_ingest_people(waras_ingest_result *res, waras_store *st, const char *path);

typedef struct waras_ingest_ics_opts {
    const char *person; /* calendar owner, or NULL to map attendees by e-mail */
    const char *kind;   /* meeting (default), leave or milestone */
    /* Expansion window for recurring events, as dates; zero: one year either
     * side of the events' span is not bounded, so default to the 2 years
     * around `now`. */
    waras_date from, to;
    /* 0: a calendar component that cannot be read is skipped with a
     * warning (docs/ics.md); 1: the file is refused instead. */
    int strict;
    /* Called for each warning (line 0: none), so that the caller can show
     * it; may be NULL. */
    void (*warn)(void *ctx, const char *path, long line, const char *field, const char *message);
    void *warn_ctx;
} waras_ingest_ics_opts;

int waras_ingest_ics(waras_ingest_result *res, waras_store *st, const char *path,
                     const waras_ingest_ics_opts *opts);

/* Timesheet CSV: person,date,hours or person,date,start,end (docs/formats.md). */
int waras_ingest_timesheet(waras_ingest_result *res, waras_store *st, const char *path);

/* Leave as CSV (person,start,end[,type][,note]) or as iCalendar (all-day or
 * timed events, owner by --person or attendee e-mail). */
int waras_ingest_leave(waras_ingest_result *res, waras_store *st, const char *path,
                       const char *person);

/* Who a holidays file applies to: exactly one of a site (people.csv's site
 * column, compared without regard to case), a team, or everyone. */
typedef struct waras_holiday_scope {
    const char *site, *team;
    int all;
} waras_holiday_scope;

/* Public holidays as CSV (date,name) or iCalendar (all-day events), stored
 * as all-day events of kind "holiday" for each person in scope, in their
 * own zone (docs/formats.md "Holidays"). waras_ingest_people expands the
 * recorded sources again for people who join or leave a scope. */
int waras_ingest_holidays(waras_ingest_result *res, waras_store *st, const char *path,
                          const waras_holiday_scope *scope);

/* Survey responses as CSV: team,person,date,q1..q19 (docs/survey.md). The
 * survey module (waras/survey.h) scores and stores each response. */
int waras_ingest_survey(waras_ingest_result *res, waras_store *st, const char *path);

/* --- operational signals ---
 * Conventions for the events these adapters write (metrics rely on them):
 *   commit   start = end = author time (UTC); utc_offset = the author's own
 *            offset; source_key = commit sha; attrs {"merge":true} for merges.
 *   page     one notification to a person: start = end = when it was sent;
 *            attrs {"channel":"push|sms|phone|email","incident":ID}.
 *            Interruptions (the 60 s merge, e-mail excluded) are derived
 *            from these by metrics, never stored.
 *   incident a person's response: start = acknowledgement (or first
 *            notification), end = resolution; attrs {"id","urgency",...}.
 *   shift    scheduled on-call standby: start, end; attrs {"role":...}.
 */

/* PagerDuty exports: the incidents CSV, or JSON saved from the REST API
 * (incidents, log entries, a schedule's rendered entries). */
int waras_ingest_pagerduty(waras_ingest_result *res, waras_store *st, const char *path);

/* Opsgenie alert JSON. */
int waras_ingest_opsgenie(waras_ingest_result *res, waras_store *st, const char *path);

/* On-call shifts from an iCalendar on-call export; the person is matched
 * through SUMMARY or ATTENDEE. */
int waras_ingest_oncall_ics(waras_ingest_result *res, waras_store *st, const char *path);

/* Grafana OnCall's final_shifts JSON (public API, a page {"results":[...]},
 * a list of pages or of shifts): each shift (user_pk, user_email,
 * user_username, shift_start, shift_end) becomes an on-call shift. */
int waras_ingest_grafana_oncall(waras_ingest_result *res, waras_store *st, const char *path);

/* An Opsgenie schedule timeline (GET /v2/schedules/{id}/timeline): each
 * period of data.finalTimeline.rotations[] with a user recipient becomes an
 * on-call shift. */
int waras_ingest_opsgenie_schedule(waras_ingest_result *res, waras_store *st, const char *path);

typedef void (*waras_progress_fn)(void *ctx, long done, long total);

typedef struct waras_ingest_git_opts {
    const char *since;  /* YYYY-MM-DD or NULL */
    int create_people;  /* create a person for each unknown author */
    int all_refs;       /* walk every ref, not only HEAD */
    waras_progress_fn progress;
    void *progress_ctx;
} waras_ingest_git_opts;

/* Commits of a git repository (read through libgit2), authors mapped through
 * the mailmap exactly as git log --use-mailmap maps them (docs/git.md). */
int waras_ingest_git(waras_ingest_result *res, waras_store *st, const char *repo,
                     const waras_ingest_git_opts *opts);

#endif
