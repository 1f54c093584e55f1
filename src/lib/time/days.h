/*
 * Day numbers (days since 1970-01-01, proleptic Gregorian) for modules whose
 * arithmetic is heavy (metrics, plans, policy, ingest). They stay inside the
 * library: the public API passes local dates as waras_date and converts at
 * its boundary with waras_time__days() and waras_time__date().
 */
#ifndef WARAS_TIME_DAYS_H
#define WARAS_TIME_DAYS_H

#include <stdint.h>

#include "waras/time.h"

/* A date's day number and back. */
int64_t waras_time__days(waras_date d);
waras_date waras_time__date(int64_t days);

/* The same for a (year, month, day) triple. */
int64_t waras_time__days_from_civil(int year, int month, int day);
void waras_time__civil_from_days(int *year, int *month, int *day, int64_t days);

/* ISO weekday of a day number: 1 = Monday ... 7 = Sunday. */
int waras_time__weekday(int64_t days);

/* The Monday of the ISO week holding day number `days`. */
int64_t waras_time__monday(int64_t days);

/* The local day number holding instant t, and the instant local day `day`
 * starts (local midnight, or the first instant after a gap at midnight). */
int64_t waras_time__local_day(const waras_tz *tz, waras_instant t);
waras_instant waras_time__day_start(const waras_tz *tz, int64_t day);

/* The UTC instant of a wall-clock time (wall: local seconds counted as if
 * UTC) in a zone whose UTC offset at instant t is offset(zone, t): in an
 * overlap the first occurrence, in a gap the offset before it. Serves the
 * system zones here and the calendar files' own zones (src/lib/ical/). */
typedef int (*waras_time_offset_fn)(const void *zone, waras_instant t);
waras_instant waras_time__wall_to_utc(int64_t wall, waras_time_offset_fn offset, const void *zone);

/* "YYYY-MM-DD" to a triple: 0 or WARAS_EINVAL (no error slot set). */
int waras_time__parse_ymd(int *year, int *month, int *day, const char *s);

/* Dates and times read from files are bounded as dates given to waras are
 * (docs/formats.md#limits): whether a year is one of WARAS_DATE_MIN_YEAR to
 * WARAS_DATE_MAX_YEAR; whether an instant (UTC) is from the start of the
 * first to the end of the last, that end included (it ends a span); and the
 * words for a message ("'3000-01-01' is " WARAS_TIME__OUT_OF_RANGE). */
int waras_time__year_in_range(int year);
int waras_time__instant_in_range(waras_instant t);
#define WARAS_TIME__STR_(x) #x
#define WARAS_TIME__STR(x) WARAS_TIME__STR_(x)
#define WARAS_TIME__OUT_OF_RANGE                                                                  \
    "outside the years " WARAS_TIME__STR(WARAS_DATE_MIN_YEAR) " to " WARAS_TIME__STR(            \
        WARAS_DATE_MAX_YEAR) " (docs/formats.md#limits)"

#endif
