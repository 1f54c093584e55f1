/*
 * Helpers shared by the planners (on-call, quiet weeks, recovery leave):
 * the pieces of their iCalendar output, the all-day event every planner
 * writes, and the engine's budget. Private to libwaras.
 */
#ifndef WARAS_PLAN_INT_H
#define WARAS_PLAN_INT_H

#include <stdint.h>

#include <libical/ical.h>

#include "waras/plan.h"
#include "waras/roster.h"
#include "waras/store.h"

/* An iCalendar DATE value for a day number (days since 1970-01-01). */
struct icaltimetype waras_plan__ical_date(int64_t day);

/* DTSTAMP: the library clock's now, in UTC. */
struct icaltimetype waras_plan__stamp(void);

/* A new VCALENDAR (VERSION 2.0, GREGORIAN) with PRODID "-//waras//product//EN",
 * the given METHOD and, when name is not NULL, X-WR-CALNAME. NULL when out
 * of memory. */
icalcomponent *waras_plan__calendar(const char *product, icalproperty_method method, const char *name);

/* Serialises cal into *out (malloc'd by libical) and frees cal. */
int waras_plan__calendar_text(icalcomponent *cal, char **out);

/* Adds the person as ATTENDEE (mailto:email, CN cn) to ev; nothing when
 * email is empty. */
void waras_plan__attendee(icalcomponent *ev, const char *email, const char *cn);

/* The one way the planners write an all-day event: a VEVENT with UID,
 * DTSTAMP, DTSTART and DTEND as DATE values for the days [first_day,
 * end_day) and SUMMARY. The caller adds what else it needs (TRANSP,
 * RECURRENCE-ID, attendees ...). NULL when out of memory. */
icalcomponent *waras_plan__all_day_event(const char *uid, int64_t first_day, int64_t end_day,
                                         const char *summary);

/* Sets the engine's budget in so: with a work budget (iterations > 0) the
 * search stops after that much work, and time_limit (0: none) only bounds
 * it; without one, so is left as the planner set it, so the behaviour
 * without --iterations stays what it was. */
void waras_plan__budget(waras_roster_solve_opts *so, long iterations, double time_limit);

/* The engine's options for a planner's budget b: b's time limit, or
 * default_limit seconds when it has none; b's seed, or 1; one thread; at
 * most max_iterations (0: no cap); then b's work budget as
 * waras_plan__budget sets it. */
void waras_plan__solve_opts(waras_roster_solve_opts *so, const waras_plan_budget *b,
                            double default_limit, long long max_iterations);

struct waras_recovery_plan;

/* The rows of waras_recovery_plan_record() (the plan, its assignments and
 * the leave events) inside the caller's transaction, so that a re-plan of
 * the on-call rota can be recorded with it. */
int waras_recovery__record_rows(struct waras_recovery_plan *plan, waras_store *st);

#endif
