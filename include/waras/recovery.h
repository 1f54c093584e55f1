/*
 * The recovery-leave planner: after a project ends, gives every project
 * member N consecutive working days of leave inside a window, staggered so
 * that at most K people are away at once (existing leave counts), away from
 * their recorded on-call turns, the highest recent load and risk first. It
 * is a placement problem on the rostering engine (docs/recovery.md). When
 * the rules cannot all hold it says which, and computes what would make it
 * feasible (a longer window, more people away at once). A plan is recorded
 * with its leave as events, so reports and the next on-call plan see it.
 */
#ifndef WARAS_RECOVERY_H
#define WARAS_RECOVERY_H

#include <stddef.h>
#include <stdint.h>

#include "waras/plan.h"
#include "waras/store.h"
#include "waras/time.h"

#define WARAS_RECOVERY_MAX_MEMBERS 256

typedef struct waras_recovery_opts {
    const char *team;
    const char *project;
    waras_date ends;        /* the date the project ends; the window starts the Monday after */
    int days;               /* N working days each */
    int window_weeks;       /* default 6 */
    const char *const *members; /* project members (ids), or NULL for the whole team */
    size_t nmembers;
    int max_away;           /* at most K away at once (existing leave counts); 0 = unset */
    int min_staff;          /* or: at least K of the team at work; 0 = unset */
    waras_plan_budget budget; /* the engine's (time limit default 1 s) */
} waras_recovery_opts;

typedef struct waras_recovery_leave {
    char person[WARAS_PERSON_ID_MAX];
    char name[128];
    char email[256];
    double risk_score;       /* load risk over the last 4 weeks */
    const char *risk_level;  /* static string */
    double recent_hours;     /* worked hours over those weeks */
    int rank;                /* 0 = first served */
    waras_date first_day, last_day; /* set when placed */
    char oncall_conflicts[256];  /* recorded turns inside the leave, to re-plan */
} waras_recovery_leave;

typedef struct waras_recovery_plan {
    char team[64], project[128];
    int feasible;
    char why[2048];
    char suggestion[256];  /* e.g. "a window of 7 weeks, or at most 3 away at once" */
    waras_date first_monday;     /* window start */
    int window_weeks, days, cap; /* cap: most away at once */
    waras_recovery_leave *leave;
    size_t nleave;
    int joint;             /* 1 when rank order could not hold and all were placed at once */
    long objective;
    int64_t plan_id;
} waras_recovery_plan;

/* Plans recovery leave. An infeasible plan is not an error: feasible is 0,
 * why says which rule and suggestion what would make it hold. Errors:
 * unknown team or member. Free with waras_recovery_plan_free(). */
int waras_recovery_plan_make(waras_recovery_plan *plan, waras_store *st,
                             const waras_recovery_opts *o);
void waras_recovery_plan_free(waras_recovery_plan *plan);

/* Records a feasible plan in one transaction: the plan (kind "recovery",
 * one assignment per member) and the leave as events of kind "leave",
 * source_kind "plan-recovery", attrs {"type":"recovery","planned":true}. */
int waras_recovery_plan_record(waras_recovery_plan *plan, waras_store *st);

/* All-day leave events (METHOD:PUBLISH) or JSON. Caller frees *out. */
int waras_recovery_plan_ics(char **out, const waras_recovery_plan *plan);
int waras_recovery_plan_json(char **out, const waras_recovery_plan *plan);

#endif
