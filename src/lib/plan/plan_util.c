/*
 * Small pieces the planners share: iCalendar dates, stamps, calendars,
 * attendees, the all-day event, and the engine's work budget.
 */
#include <stdio.h>

#include "plan/plan_int.h"
#include "waras/error.h"
#include "waras/time.h"
#include "time/days.h"

struct icaltimetype waras_plan__ical_date(int64_t day)
{
    int y, m, d;
    waras_time__civil_from_days(&y, &m, &d, day);
    struct icaltimetype t = icaltime_null_date();
    t.year = y;
    t.month = m;
    t.day = d;
    t.is_date = 1;
    return t;
}

struct icaltimetype waras_plan__stamp(void)
{
    return icaltime_from_timet_with_zone((time_t)waras_clock_now(), 0,
                                         icaltimezone_get_utc_timezone());
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

void waras_plan__attendee(icalcomponent *ev, const char *email, const char *cn)
{
    if (!email || !email[0])
        return;
    char mailto[300];
    snprintf(mailto, sizeof(mailto), "mailto:%s", email);
    icalproperty *att = icalproperty_new_attendee(mailto);
    icalproperty_add_parameter(att, icalparameter_new_cn(cn));
    icalcomponent_add_property(ev, att);
}

icalcomponent *waras_plan__all_day_event(const char *uid, int64_t first_day, int64_t end_day,
                                         const char *summary)
{
    icalcomponent *ev = icalcomponent_vanew(
        ICAL_VEVENT_COMPONENT, icalproperty_new_uid(uid),
        icalproperty_new_dtstamp(waras_plan__stamp()),
        icalproperty_new_dtstart(waras_plan__ical_date(first_day)),
        icalproperty_new_dtend(waras_plan__ical_date(end_day)), icalproperty_new_summary(summary),
        (void *)0);
    return ev;
}

void waras_plan__budget(waras_roster_solve_opts *so, long iterations, double time_limit)
{
    if (iterations <= 0)
        return;
    so->iterations = iterations;
    so->time_limit = time_limit;
}

void waras_plan__solve_opts(waras_roster_solve_opts *so, const waras_plan_budget *b,
                            double default_limit, long long max_iterations)
{
    *so = (waras_roster_solve_opts){.time_limit = b->time_limit > 0 ? b->time_limit : default_limit,
                                    .seed = b->seed ? b->seed : 1,
                                    .threads = 1,
                                    .max_iterations = max_iterations};
    waras_plan__budget(so, b->iterations, b->time_limit);
}
