/*
 * Helpers shared by the planners (on-call, quiet weeks, recovery leave).
 * Private to libwaras.
 */
#ifndef WARAS_PLAN_INT_H
#define WARAS_PLAN_INT_H

#include <stdint.h>

#include <libical/ical.h>

/* An iCalendar DATE value for a day number (days since 1970-01-01). */
struct icaltimetype waras_plan__ical_date(int64_t day);

/* A new VCALENDAR (VERSION 2.0, GREGORIAN) with PRODID "-//waras//product//EN",
 * the given METHOD and, when name is not NULL, X-WR-CALNAME. NULL when out
 * of memory. */
icalcomponent *waras_plan__calendar(const char *product, icalproperty_method method, const char *name);

/* Serialises cal into *out (malloc'd by libical) and frees cal. */
int waras_plan__calendar_text(icalcomponent *cal, char **out);

#endif
