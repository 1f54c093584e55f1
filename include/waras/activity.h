/*
 * Activity by time window: how many commits, interruptions or meetings of
 * each person (or team) fell in business, off and sleep hours, and at
 * weekends (docs/definitions.md). Also the interruption rule itself (the
 * 60 s merge of push, SMS and phone notifications), which other metrics
 * reuse.
 *
 * Windows: business Mon-Fri 08:00-18:00; off Mon-Fri 18:00-22:00 and
 * Sat-Sun 08:00-22:00; sleep every day 22:00-08:00; weekend = Saturday or
 * Sunday. Local time is the commit's own recorded UTC offset for commits
 * (the offset git shows), and the person's IANA zone for everything else.
 */
#ifndef WARAS_ACTIVITY_H
#define WARAS_ACTIVITY_H

#include <stddef.h>
#include <stdint.h>

#include "waras/store.h"
#include "waras/time.h"

typedef enum waras_activity_source {
    WARAS_ACTIVITY_GIT = 1, /* commit events */
    WARAS_ACTIVITY_PAGES,   /* interruptions derived from page events */
    WARAS_ACTIVITY_MEETINGS /* accepted, timed meetings, by their start */
} waras_activity_source;

typedef enum waras_window {
    WARAS_WINDOW_BUSINESS = 0,
    WARAS_WINDOW_OFF = 1,
    WARAS_WINDOW_SLEEP = 2
} waras_window;

/* The fixed window of a local wall-clock time. */
waras_window waras_window_fixed(const waras_civil *local);

/* The window with the person's own working days and hours in place of
 * business hours; outside them, 22:00-08:00 is sleep and the rest off. */
waras_window waras_window_own(const waras_person *p, const waras_civil *local);

/* 1 when the local date is a Saturday or Sunday. */
int waras_window_weekend(const waras_civil *local);

/* --- interruptions --- */

/* Whether a page event's attrs describe a notification that interrupts:
 * channel push (or push_notification), sms or phone. A page without a
 * channel (an incident-level export) counts as one; e-mail and any other
 * named channel do not. attrs may be NULL. */
int waras_page_interrupts(const char *attrs);

typedef struct waras_interruption {
    waras_instant start; /* the first notification */
    long notifications;  /* how many notifications it merges */
} waras_interruption;

/* The 60 s merge: t holds one person's interrupting notifications sorted
 * ascending; a notification less than 60 s after the first notification of
 * the current interruption belongs to it, any later one starts the next.
 * Writes at most n interruptions to out (which has room for n) and returns
 * how many. */
size_t waras_interruptions_merge(const waras_instant *t, size_t n, waras_interruption *out);

/* One person's interruptions whose first notification lies in [from, to),
 * read from the store's page events (notifications shortly before `from`
 * are read too, so that the merge is the same whatever the window). *out is
 * freed by the caller; it may be NULL when *n is 0. */
int waras_interruptions_list(waras_store *st, const char *person, waras_instant from,
                             waras_instant to, waras_interruption **out, size_t *n);

/* --- counts --- */

typedef struct waras_activity_opts {
    waras_activity_source source;
    int by_team;      /* sum per team instead of per person */
    int own_hours;    /* waras_window_own instead of waras_window_fixed */
    int has_from;     /* count only events on or after local date from_day */
    int64_t from_day; /* day number (days since 1970-01-01) */
    int has_to;       /* ... and before local date to_day */
    int64_t to_day;
} waras_activity_opts;

typedef struct waras_activity_row {
    char key[64];  /* person id, or team name */
    char team[64]; /* the person's team (same as key by team) */
    long events, business, off, sleep, weekend;
} waras_activity_row;

/* Counts per person (or team) with at least one event, sorted bytewise by
 * key. events = business + off + sleep; weekend counts the events on a
 * Saturday or Sunday whatever their window. *out is freed by the caller
 * (NULL when *n is 0). */
int waras_activity_count(waras_store *st, const waras_activity_opts *opts, waras_activity_row **out,
                         size_t *n);

#endif
