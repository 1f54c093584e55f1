/*
 * From finding to remedy: for a person whose load risk names night paging,
 * long hours without a break or too little focus time, a suggestion that a
 * lead can act on, traceable to the risk reason it answers and runnable as
 * one exact command: fewer on-call turns next quarter (the on-call planner
 * run on the team, with what that costs the others), a recovery-leave slot
 * that keeps cover (the recovery planner run for the person), or the team's
 * next quiet week (the quiet-week planner). The planners are run here with a
 * small fixed budget and the command carries the same budget and seed, so
 * running it gives the plan the suggestion describes. Nothing is recorded.
 */
#ifndef WARAS_REMEDY_H
#define WARAS_REMEDY_H

#include <stddef.h>

#include "waras/risk.h"
#include "waras/store.h"
#include "waras/time.h"

typedef enum waras_remedy_kind {
    WARAS_REMEDY_ONCALL,   /* night paging: fewer on-call turns next quarter */
    WARAS_REMEDY_RECOVERY, /* long hours, no break: a recovery-leave slot */
    WARAS_REMEDY_QUIET     /* meeting load: the team's next quiet week */
} waras_remedy_kind;

typedef struct waras_remedy {
    waras_remedy_kind kind;
    char person[WARAS_PERSON_ID_MAX];
    char team[64];
    int signal;          /* the risk signal it answers (WARAS_SIG_*) */
    double value;        /* the signal's measured value */
    char finding[200];   /* the risk reason's text */
    char text[600];      /* what the planner found, with the numbers */
    char command[600];   /* the exact command; "" when the planner found no plan */
} waras_remedy;

typedef struct waras_remedy_opts {
    waras_date from;     /* the Monday the suggested plans start */
    waras_date ends;     /* the last day the risk covers (a recovery window follows it) */
    const char *db;      /* a store path the commands must name (--db), or NULL */
    int weeks;           /* on-call and quiet horizon in weeks; 0: 12 (a quarter) */
    int leave_days;      /* recovery leave in working days; 0: 5 */
    double min_level;    /* a reason's 0-100 level that calls for a remedy; 0: 50 */
    double night_page_hours; /* the risk policy's weight of a recent night page in the
                                on-call planner; 0: the planner's default */
    const char *risk_policy; /* the policy file the on-call command must name
                                (--risk-policy), or NULL: then a weight other than the
                                default is named as --night-page-hours */
} waras_remedy_opts;

/* The remedies for one person's risk (at most one of each kind, in the
 * order of the reasons, strongest first), appended to *list (n entries,
 * realloc'd; the caller frees *list). A planner that finds no plan is not an
 * error: that remedy's text says why and its command is "". */
int waras_remedy_suggest(waras_remedy **list, size_t *n, waras_store *st,
                         const waras_person *person, const waras_risk *risk,
                         const waras_remedy_opts *opts);

/* The kind's name: "oncall", "recovery" or "quiet". */
const char *waras_remedy_kind_name(waras_remedy_kind kind);

#endif
