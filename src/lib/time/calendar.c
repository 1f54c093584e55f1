/*
 * Zone-free calendar arithmetic: civil dates to day numbers and back (the
 * algorithms from Howard Hinnant's "chrono-compatible low-level date
 * algorithms"), local dates (waras_date) on top of them, ISO 8601 weeks, and
 * strict parsing of dates and times.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "waras/error.h"
#include "waras/time.h"
#include "time/days.h"

int64_t waras_time__days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (unsigned)(m + (m > 2 ? -3 : 9)) + 2) / 5 + (unsigned)d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void waras_time__civil_from_days(int *year, int *month, int *day, int64_t z)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t y = (int64_t)yoe + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    *year = (int)(y + (m <= 2));
    *month = (int)m;
    *day = (int)d;
}

int waras_time__weekday(int64_t days)
{
    /* 1970-01-01 was a Thursday (ISO 4). */
    int64_t w = (days + 3) % 7;
    if (w < 0)
        w += 7;
    return (int)w + 1;
}

int64_t waras_time__days(waras_date d)
{
    return waras_time__days_from_civil(d.year, d.month, d.day);
}

waras_date waras_time__date(int64_t days)
{
    waras_date d;
    waras_time__civil_from_days(&d.year, &d.month, &d.day, days);
    return d;
}

waras_date waras_date_add(waras_date d, long days)
{
    return waras_time__date(waras_time__days(d) + days);
}

long waras_date_diff(waras_date a, waras_date b)
{
    return (long)(waras_time__days(a) - waras_time__days(b));
}

int waras_date_cmp(waras_date a, waras_date b)
{
    if (a.year != b.year)
        return a.year < b.year ? -1 : 1;
    if (a.month != b.month)
        return a.month < b.month ? -1 : 1;
    if (a.day != b.day)
        return a.day < b.day ? -1 : 1;
    return 0;
}

int waras_date_weekday(waras_date d)
{
    return waras_time__weekday(waras_time__days(d));
}

int64_t waras_time__monday(int64_t days)
{
    return days - (waras_time__weekday(days) - 1);
}

waras_date waras_date_monday(waras_date d)
{
    return waras_time__date(waras_time__monday(waras_time__days(d)));
}

void waras_date_iso_week(int *iso_year, int *iso_week, waras_date d)
{
    int64_t days = waras_time__days(d);
    /* The ISO week belongs to the year of its Thursday. */
    int64_t thursday = days - waras_time__weekday(days) + 4;
    int ty, tm, td;
    waras_time__civil_from_days(&ty, &tm, &td, thursday);
    int64_t jan1 = waras_time__days_from_civil(ty, 1, 1);
    *iso_year = ty;
    *iso_week = (int)((thursday - jan1) / 7) + 1;
}

waras_instant waras_civil_to_epoch(const waras_civil *c)
{
    return waras_time__days_from_civil(c->year, c->month, c->day) * 86400 + c->hour * 3600 +
           c->minute * 60 + c->second;
}

void waras_epoch_to_civil(waras_civil *out, waras_instant t)
{
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t secs = t - days * 86400;
    waras_time__civil_from_days(&out->year, &out->month, &out->day, days);
    out->hour = (int)(secs / 3600);
    out->minute = (int)(secs % 3600 / 60);
    out->second = (int)(secs % 60);
}

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int waras_time__parse_ymd(int *year, int *month, int *day, const char *s)
{
    int y, m, d;
    if (!s || strlen(s) < 10 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &m) ||
        s[7] != '-' || digits(s + 8, 2, &d))
        return WARAS_EINVAL;
    if (s[10] != '\0')
        return WARAS_EINVAL;
    if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return WARAS_EINVAL;
    *year = y;
    *month = m;
    *day = d;
    return 0;
}

int waras_datetime_parse(waras_instant *out, int *has_offset, const char *s)
{
    waras_civil c = {0};
    const char *p = s;
    if (!s || strlen(s) < 16)
        return WARAS_EINVAL;
    if (digits(p, 4, &c.year) || p[4] != '-' || digits(p + 5, 2, &c.month) || p[7] != '-' ||
        digits(p + 8, 2, &c.day) || (p[10] != 'T' && p[10] != ' ') || digits(p + 11, 2, &c.hour) ||
        p[13] != ':' || digits(p + 14, 2, &c.minute))
        return WARAS_EINVAL;
    p += 16;
    if (*p == ':') {
        if (digits(p + 1, 2, &c.second))
            return WARAS_EINVAL;
        p += 3;
        if (*p == '.') { /* fractional seconds are dropped */
            p++;
            while (isdigit((unsigned char)*p))
                p++;
        }
    }
    if (c.month < 1 || c.month > 12 || c.day < 1 || c.day > days_in_month(c.year, c.month) ||
        c.hour > 24 || c.minute > 59 || c.second > 60 || (c.hour == 24 && (c.minute || c.second)))
        return WARAS_EINVAL;
    waras_instant t = waras_civil_to_epoch(&c);
    int off = 0, has = 0;
    if (*p == 'Z' || *p == 'z') {
        has = 1;
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p == '-' ? -1 : 1, oh, om = 0;
        p++;
        if (digits(p, 2, &oh))
            return WARAS_EINVAL;
        p += 2;
        if (*p == ':')
            p++;
        if (*p && digits(p, 2, &om))
            return WARAS_EINVAL;
        if (*p)
            p += 2;
        if (oh > 23 || om > 59)
            return WARAS_EINVAL;
        off = sign * (oh * 3600 + om * 60);
        has = 1;
    }
    if (*p != '\0')
        return WARAS_EINVAL;
    *out = t - off;
    if (has_offset)
        *has_offset = has;
    return 0;
}

int waras_date_parse(waras_date *out, const char *s)
{
    waras_date d;
    if (waras_time__parse_ymd(&d.year, &d.month, &d.day, s))
        return WARAS_EINVAL;
    /* Beyond the years waras answers about, libical expands a zone's
     * changes year by year: a report for the year 2600 took 45 s. */
    if (!waras_time__year_in_range(d.year))
        return WARAS_EINVAL;
    *out = d;
    return 0;
}

int waras_time__year_in_range(int year)
{
    return year >= WARAS_DATE_MIN_YEAR && year <= WARAS_DATE_MAX_YEAR;
}

int waras_time__instant_in_range(waras_instant t)
{
    return t >= waras_time__days_from_civil(WARAS_DATE_MIN_YEAR, 1, 1) * 86400 &&
           t <= waras_time__days_from_civil(WARAS_DATE_MAX_YEAR + 1, 1, 1) * 86400;
}

void waras_date_format(char *buf, size_t size, waras_date d)
{
    snprintf(buf, size, "%04d-%02d-%02d", d.year, d.month, d.day);
}
