/*
 * The on-call planner: builds a rostering problem from the store (a team's
 * people and zones, their leave, their on-call load and sleep-hour pages of
 * the last 12 weeks, and their preferences) and solves it on the rostering
 * engine. Rules: nobody on leave is on call; nobody holds two roles at once;
 * no back-to-back turns; at most max_share of the horizon on call (the SRE
 * book's 25 %); follow-the-sun shifts only go to people for whom they fall
 * between 07:00 and 22:00 local time; turns, weekends and expected night
 * pages are shared fairly, lighter for those who carried more lately.
 * When no valid rota exists it says which days and roles cannot be covered,
 * and why, and returns no plan.
 */
#ifndef WARAS_ONCALL_H
#define WARAS_ONCALL_H

#include <stddef.h>

#include "waras/plan.h"
#include "waras/recovery.h"
#include "waras/store.h"
#include "waras/time.h"

typedef enum waras_oncall_shape {
    WARAS_ONCALL_WEEKLY,        /* one turn = Monday 09:00 to Monday 09:00, team's first zone */
    WARAS_ONCALL_DAILY,         /* one turn = 09:00 to 09:00 the next day */
    WARAS_ONCALL_FOLLOW_THE_SUN /* three 8 h shifts a day in UTC: 00-08, 08-16, 16-24 */
} waras_oncall_shape;

typedef struct waras_oncall_opts {
    const char *team;
    waras_date first_day; /* the plan starts on that week's Monday */
    int weeks;
    waras_oncall_shape shape;
    const char *roles[4]; /* e.g. {"primary", "secondary"} */
    int nroles;
    double max_share;     /* most of the horizon one person is on call; 0.25 */
    const char *requests_path; /* CSV person,date,want|avoid[,role], or NULL */
    waras_plan_budget budget; /* the engine's (time limit default 5 s) */
    double night_page_hours;  /* standby hours one sleep-hour interruption of the last
                                 12 weeks counts as; 0: WARAS_ONCALL_NIGHT_PAGE_HOURS */
    /* Turns to keep (a re-plan): each stays with its person unless they are
     * on leave in its slot; the rest is planned around them. */
    const struct waras_oncall_turn *keep;
    size_t nkeep;
} waras_oncall_opts;

/* The default weight of a recent night page in the fairness targets: one
 * sleep-hour interruption counts like a day of standby (docs/oncall.md). */
#define WARAS_ONCALL_NIGHT_PAGE_HOURS 24.0

typedef struct waras_oncall_turn {
    char person[WARAS_PERSON_ID_MAX];
    char role[32];
    char shift[48];  /* e.g. "primary" or "primary/emea" */
    waras_instant start, end;
    int weekend;     /* covers a Saturday or Sunday in the person's zone */
} waras_oncall_turn;

typedef struct waras_oncall_fair {
    char person[WARAS_PERSON_ID_MAX];
    char name[128];
    char email[256];
    int turns, weekend_turns;
    double hours, share;          /* share of the horizon on call */
    double history_hours;         /* on call in the 12 weeks before */
    int history_sleep_pages;      /* sleep-hour interruptions in those weeks */
    double expected_sleep_pages;  /* from the team's own paging rate */
    double weight;                /* the history's factor on the target share, 0.5-1.25 */
    char why[200];                /* why fewer turns, e.g. "1 turn: 36 sleep-hour
                                     interruptions in the last 12 weeks", or "" */
} waras_oncall_fair;

typedef struct waras_oncall_plan {
    int feasible;
    char team[64];
    waras_oncall_shape shape;
    waras_date first_monday;
    int weeks;
    waras_oncall_turn *turns;
    size_t nturns;
    waras_oncall_fair *fair;
    size_t nfair;
    double team_sleep_rate; /* sleep-hour interruptions per on-call hour, last 12 weeks */
    char why[4096];         /* when infeasible: which days and roles, and why */
    long objective;
    int64_t plan_id;        /* the plan's row in the store, once recorded */
} waras_oncall_plan;

/* The factor that the last 12 weeks put on a person's target share: load is
 * their on-call hours plus night_page_hours per sleep-hour interruption,
 * mean_load the team's mean. z = (load - mean) / max(mean, 168 h) is
 * clamped to [-0.5, 1] and halved: 1.25 for the least loaded, 0.5 for one
 * who carried twice the mean or more. */
double waras_oncall_history_weight(double load, double mean_load);

/* Whether a turn weighs like a weekend turn in fairness: every weekly turn;
 * a daily or follow-the-sun slot whose day is a Saturday, a Sunday or a
 * public holiday of the person who holds it (an event of kind "holiday"). */
int waras_oncall_weekend_like(waras_oncall_shape shape, waras_date day, int holiday);

/* Plans a rota. An infeasible plan is not an error: plan->feasible is 0 and
 * plan->why explains. Errors (unknown team, bad requests file) are codes.
 * Free with waras_oncall_plan_free(). */
int waras_oncall_plan_make(waras_oncall_plan *plan, waras_store *st, const waras_oncall_opts *opts);
void waras_oncall_plan_free(waras_oncall_plan *plan);

/* Records a feasible plan in the store (plans, plan_assignments). */
int waras_oncall_plan_record(waras_oncall_plan *plan, waras_store *st);

/* Writes the plan as iCalendar (one event per turn, stable UIDs so that a
 * re-plan updates rather than duplicates) or JSON. Caller frees. */
int waras_oncall_plan_ics(char **out, const waras_oncall_plan *plan);
int waras_oncall_plan_json(char **out, const waras_oncall_plan *plan);

/* A recovery plan recorded together with a re-plan of the on-call turns its
 * leave cannot avoid (waras recovery plan --replan-oncall). */
typedef struct waras_oncall_change {
    char shift[48];
    waras_instant start, end;
    char before[WARAS_PERSON_ID_MAX], after[WARAS_PERSON_ID_MAX];
} waras_oncall_change;

typedef struct waras_oncall_replan {
    int needed;               /* some recorded turn falls in the new leave */
    int64_t replaced_plan;    /* the recorded on-call plan that was re-planned */
    waras_oncall_plan plan;   /* the whole re-planned rota (plan.feasible, plan.why) */
    waras_oncall_change *changes; /* the turns that changed hands */
    size_t nchanges;
} waras_oncall_replan;

/* Records the feasible recovery plan rec and, when its leave falls in turns
 * of the team's newest recorded on-call plan, re-plans that rota with every
 * other turn kept and the same fairness targets (the same horizon, roles
 * and history), in one transaction. When no valid re-plan exists nothing is
 * recorded (out->plan.feasible is 0, out->plan.why says why) and 0 is
 * returned. budget: the on-call engine's. Free out with
 * waras_oncall_replan_free(). */
int waras_oncall_replan_recovery(waras_oncall_replan *out, waras_store *st,
                                 waras_recovery_plan *rec, const waras_plan_budget *budget);
void waras_oncall_replan_free(waras_oncall_replan *r);

/* The changed turns as iCalendar updates: the same UIDs as the rota's own
 * calendar (oncall-TEAM-SHIFT-YYYYMMDD@waras), SEQUENCE the new plan's. */
int waras_oncall_replan_ics(char **out, const waras_oncall_replan *r);

#endif
