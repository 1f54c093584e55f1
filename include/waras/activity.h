/*
 * Activity by time window: how many commits, interruptions or meetings of
 * each person (or team) fell in business, off and sleep hours, and at
 * weekends (docs/definitions.md). The windows and the interruption rule
 * come from waras/interrupt.h, the same ones the person-week metrics use.
 *
 * Weekend = Saturday or Sunday. Local time is the commit's own recorded UTC
 * offset for commits (the offset git shows), and the person's IANA zone for
 * everything else.
 */
#ifndef WARAS_ACTIVITY_H
#define WARAS_ACTIVITY_H

#include <stddef.h>
#include <stdint.h>

#include "waras/interrupt.h"
#include "waras/store.h"
#include "waras/time.h"

typedef enum waras_activity_source {
    WARAS_ACTIVITY_GIT = 1, /* commit events */
    WARAS_ACTIVITY_PAGES,   /* interruptions derived from page events */
    WARAS_ACTIVITY_MEETINGS /* accepted, timed meetings, by their start */
} waras_activity_source;

/* --- counts --- */

typedef struct waras_activity_opts {
    waras_activity_source source;
    int by_team;      /* sum per team instead of per person */
    int own_hours;    /* waras_window_own instead of waras_window_fixed */
    int has_from;     /* count only events on or after local date from_day */
    waras_date from_day;
    int has_to;       /* ... and before local date to_day */
    waras_date to_day;
    int has_merge_window; /* pages: merge_window_s instead of the default 60 s */
    int merge_window_s;
} waras_activity_opts;

typedef struct waras_activity_row {
    char key[WARAS_PERSON_ID_MAX]; /* person id, or team name */
    char team[64];                 /* the person's team (same as key by team) */
    long events, business, off, sleep, weekend;
} waras_activity_row;

/* Counts per person (or team) with at least one event, sorted bytewise by
 * key. events = business + off + sleep; weekend counts the events on a
 * Saturday or Sunday whatever their window. *out is freed by the caller
 * (NULL when *n is 0). */
int waras_activity_count(waras_activity_row **out, size_t *n, waras_store *st,
                         const waras_activity_opts *opts);

#endif
