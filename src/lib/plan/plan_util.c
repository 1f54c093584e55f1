/*
 * Small pieces the planners share.
 */
#include <stdio.h>

#include "plan/plan_int.h"
#include "waras/error.h"
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

icalcomponent *waras_plan__calendar(const char *product, icalproperty_method method, const char *name)
{
    char prodid[96];
    snprintf(prodid, sizeof(prodid), "-//waras//%s//EN", product);
    icalcomponent *cal = icalcomponent_vanew(
        ICAL_VCALENDAR_COMPONENT, icalproperty_new_version("2.0"), icalproperty_new_prodid(prodid),
        icalproperty_new_calscale("GREGORIAN"), icalproperty_new_method(method), (void *)0);
    if (cal && name) {
        icalproperty *xn = icalproperty_new_x(name);
        icalproperty_set_x_name(xn, "X-WR-CALNAME");
        icalcomponent_add_property(cal, xn);
    }
    return cal;
}

int waras_plan__calendar_text(icalcomponent *cal, char **out)
{
    char *text = icalcomponent_as_ical_string_r(cal);
    icalcomponent_free(cal);
    if (!text)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    *out = text;
    return 0;
}
