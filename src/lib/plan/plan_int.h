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

#endif
