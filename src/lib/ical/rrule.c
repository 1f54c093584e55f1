/*
 * What can be told of a recurrence rule from its BYxxx parts alone, for the
 * events' rules (ics.c) and the zones' (zone.c) alike: how many values a
 * part has, and whether its month days fall in its months. This file calls
 * neither of them.
 */
#include <stdlib.h>

#include "ical/ics_int.h"

size_t waras_ics__by_count(const short *v, size_t size)
{
    size_t n = 0;
    while (n < size && v[n] != ICAL_RECURRENCE_ARRAY_MAX)
        n++;
    return n;
}

int waras_ics__month_day_occurs(const struct icalrecurrencetype *r)
{
    static const int month_days[13] = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    size_t nm = ICS_BY_COUNT(r->by_month), nmd = ICS_BY_COUNT(r->by_month_day);
    if (!nmd || r->rscale)
        return 1;
    for (size_t j = 0; j < nmd; j++) {
        int d = abs(r->by_month_day[j]);
        for (size_t i = 0; d && i < (nm ? nm : 1); i++) {
            int m = nm ? r->by_month[i] : 1; /* without BYMONTH: January's 31 days */
            if (m >= 1 && m <= 12 && d <= month_days[m])
                return 1;
        }
    }
    return 0;
}
