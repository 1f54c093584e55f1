/*
 * Small pieces the planners share.
 */
#include "plan/plan_int.h"
#include "waras/time.h"

struct icaltimetype waras_plan__ical_date(int64_t day)
{
    int y, m, d;
    waras_civil_from_days(day, &y, &m, &d);
    struct icaltimetype t = icaltime_null_date();
    t.year = y;
    t.month = m;
    t.day = d;
    t.is_date = 1;
    return t;
}
