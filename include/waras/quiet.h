/*
 * The quiet-week planner: ranks a team's candidate ISO weeks by a documented
 * cost and picks the best on the rostering engine (one employee, the team's
 * quiet-week slot; one engine day per candidate week; hard exclusions as
 * days off, soft costs as requests). A week is ruled out when a milestone
 * lies in it or in the week before; its cost counts meetings with people
 * outside the team, member-days on leave and public holidays (docs/quiet.md).
 * It lists the internal meeting occurrences the week cancels, writes the
 * "Quiet week" events and the iTIP CANCEL messages with libical, and records
 * the week as a plan of kind "quiet" (the policy check waras_quiet_check in
 * waras/check.h flags milestones later placed inside it).
 */
#ifndef WARAS_QUIET_H
#define WARAS_QUIET_H

#include <stddef.h>
#include <stdint.h>

#include "waras/plan.h"
#include "waras/store.h"
#include "waras/time.h"

/* Points of the soft cost (docs/quiet.md). */
#define WARAS_QUIET_COST_EXTERNAL 3 /* per meeting occurrence with outside people */
#define WARAS_QUIET_COST_LEAVE 2    /* per member-working-day on leave */
#define WARAS_QUIET_COST_HOLIDAY 1  /* per member-working-day of public holiday */
#define WARAS_QUIET_MAX_WEEKS 104

typedef struct waras_quiet_opts {
    const char *team;
    waras_date from_day, to_day; /* candidates: weeks whose Monday is in [monday(from), to] */
    int count;                   /* weeks to choose (1) */
    const char *milestones_path; /* extra milestones as iCalendar, or NULL */
    waras_plan_budget budget; /* the engine's (time limit default 1 s) */
} waras_quiet_opts;

typedef struct waras_quiet_week {
    int iso_year, iso_week;
    waras_date monday;     /* the week's Monday */
    int excluded;          /* a milestone in the week or the week before */
    char why[256];         /* the milestone that rules it out */
    int external_meetings; /* distinct occurrences with outside people */
    int internal_meetings; /* distinct occurrences among the team only */
    int leave_days;        /* member-working-days on leave (not holidays) */
    int holiday_days;      /* member-working-days of public holiday */
    long cost;             /* points */
    int chosen;
} waras_quiet_week;

typedef struct waras_quiet_meeting {
    int week;              /* index into weeks */
    char uid[256];
    char when[32];         /* the occurrence's start as the calendar gave it */
    char summary[128];
    char organizer[128];
    waras_instant start, end;
    int all_day, external;
    char *people;          /* team members invited, comma-separated ids
                            * (allocated; freed with the plan) */
    char source_kind[24];  /* the store's key of the occurrence, which a */
    char source_key[384];  /* recorded plan's cancellation events name */
} waras_quiet_meeting;

typedef struct waras_quiet_oncall {
    int week;
    char person[WARAS_PERSON_ID_MAX], role[48];
    waras_instant start, end;
} waras_quiet_oncall;

typedef struct waras_quiet_plan {
    char team[64];
    int feasible;
    char why[1024];
    waras_quiet_week *weeks;
    size_t nweeks;
    waras_person *members;
    size_t nmembers;
    waras_quiet_meeting *meetings; /* every meeting of the candidate weeks */
    size_t nmeetings;
    waras_quiet_oncall *oncall;    /* recorded on-call turns of the chosen weeks */
    size_t noncall;
    long objective;                /* the engine's objective */
    long sequence;                 /* SEQUENCE of the CANCEL messages */
    int64_t plan_id;
} waras_quiet_plan;

/* Plans quiet weeks. Too few allowed weeks is not an error: feasible is 0
 * and why explains. Errors: unknown team, unreadable milestones file.
 * Free with waras_quiet_plan_free(). */
int waras_quiet_plan_make(waras_quiet_plan *plan, waras_store *st, const waras_quiet_opts *o);
void waras_quiet_plan_free(waras_quiet_plan *plan);

/* Records the chosen weeks (plan kind "quiet", one assignment per member and
 * week, role "quiet") and, as events of kind "cancellation", each internal
 * meeting occurrence of those weeks that it cancels, one per member who has
 * it (docs/quiet.md), in one transaction. Recording again is idempotent:
 * the events are keyed by the occurrence they cancel. */
int waras_quiet_plan_record(waras_quiet_plan *plan, waras_store *st);

/* The chosen weeks as METHOD:PUBLISH: one all-day "Quiet week" event per
 * member and week. Caller frees *out. */
int waras_quiet_plan_ics(char **out, const waras_quiet_plan *plan);
/* The plan as JSON (`waras quiet plan --out FILE.json`, the service's
 * POST /api/v1/plans/quiet): every candidate week with its cost or why it
 * is ruled out, who stays on call, the meetings cancelled and those left to
 * the people, and why when no week fits. Caller frees *out. */
int waras_quiet_plan_json(char **out, const waras_quiet_plan *plan);
/* The internal meeting occurrences of the chosen weeks as METHOD:CANCEL:
 * one VEVENT per occurrence with its UID, RECURRENCE-ID and a raised
 * SEQUENCE. *n receives the number of messages. Caller frees *out. */
int waras_quiet_cancel_ics(char **out, size_t *n, const waras_quiet_plan *plan);

#endif
