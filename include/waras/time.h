/*
 * Time: the API has two forms of time. An instant (waras_instant) is UTC
 * seconds since the Unix epoch; a local date (waras_date) is a day of the
 * calendar with no zone attached. waras_civil is only the wall-clock
 * date-time of a zone conversion. Everything local goes through an IANA zone
 * loaded from the system's zoneinfo via libical. Local times that fall in a
 * DST gap or overlap follow RFC 5545 section 3.3.5: an ambiguous time is the
 * first occurrence, a missing time is read with the offset in force before
 * the gap. Offsets are cached per zone and UTC hour, and no function touches
 * the process-wide TZ.
 */
#ifndef WARAS_TIME_H
#define WARAS_TIME_H

#include <stddef.h>
#include <stdint.h>

typedef int64_t waras_instant; /* UTC seconds since 1970-01-01T00:00:00Z */

/* A local calendar date (proleptic Gregorian) in whatever zone the caller
 * means; a day of the calendar, not an instant. */
typedef struct waras_date {
    int year, month, day;
} waras_date;

/* A wall-clock date-time: what waras_tz_to_local() gives and
 * waras_tz_to_utc() takes. Days of the calendar are waras_date. */
typedef struct waras_civil {
    int year, month, day;     /* proleptic Gregorian */
    int hour, minute, second; /* 0-23, 0-59, 0-60 */
} waras_civil;

typedef struct waras_tz waras_tz;

/* Looks up an IANA zone ("Europe/Berlin", "UTC"). Zones are loaded once and
 * live until exit; the caller never frees them. WARAS_ENOTFOUND for an
 * unknown name. */
int waras_tz_get(const waras_tz **out, const char *name);

/* The zone's IANA name. */
const char *waras_tz_name(const waras_tz *tz);

/* Seconds east of UTC in force at instant t. */
int waras_tz_offset(const waras_tz *tz, waras_instant t);

/* Local wall-clock time of instant t. */
void waras_tz_to_local(waras_civil *out, const waras_tz *tz, waras_instant t);

/* The instant of a local wall-clock time, by the RFC 5545 gap/overlap rule. */
waras_instant waras_tz_to_utc(const waras_tz *tz, const waras_civil *local);

/* The local date holding instant t, and the instant local date d starts
 * (local midnight, or the first instant after a gap at midnight). */
waras_date waras_tz_date_of(const waras_tz *tz, waras_instant t);
waras_instant waras_tz_date_start(const waras_tz *tz, waras_date d);

/* --- local dates (no zone) --- */

/* d moved by `days` (negative: back). */
waras_date waras_date_add(waras_date d, long days);

/* a - b in days. */
long waras_date_diff(waras_date a, waras_date b);

/* <0, 0 or >0 as a is before, equal to or after b. */
int waras_date_cmp(waras_date a, waras_date b);

/* ISO weekday: 1 = Monday ... 7 = Sunday. */
int waras_date_weekday(waras_date d);

/* The Monday of d's ISO week. */
waras_date waras_date_monday(waras_date d);

/* ISO 8601 week of a date (e.g. 2026-12-31 is 2026-W53). */
void waras_date_iso_week(int *iso_year, int *iso_week, waras_date d);

/* The years a date given to waras may have (an option, a form, a query):
 * far enough for any history and plan, and bounded, because time zones far
 * in the future cost libical minutes to compute. */
#define WARAS_DATE_MIN_YEAR 1900
#define WARAS_DATE_MAX_YEAR 2200

/* Parses "YYYY-MM-DD" strictly (a real date from WARAS_DATE_MIN_YEAR to
 * WARAS_DATE_MAX_YEAR, nothing after it). 0 or WARAS_EINVAL (no error slot
 * set; *out untouched). */
int waras_date_parse(waras_date *out, const char *s);

/* Formats "YYYY-MM-DD" (11 bytes with the NUL). */
void waras_date_format(char *buf, size_t size, waras_date d);

/* --- wall-clock date-times and instants (no zone) --- */

/* Seconds since the epoch of a civil time read as UTC (no zone). */
waras_instant waras_civil_to_epoch(const waras_civil *c);
void waras_epoch_to_civil(waras_civil *out, waras_instant t);

/* Parses "YYYY-MM-DD[ T]HH:MM[:SS]" with an optional "Z" or "+HH:MM"/"+HHMM"
 * suffix. *has_offset tells whether the string carried a zone; when it did
 * not, *out is the local wall time read as UTC and the caller applies a zone.
 * 0 or WARAS_EINVAL (no error slot set). */
int waras_datetime_parse(waras_instant *out, int *has_offset, const char *s);

/* --- the clock ---
 * The library reads time only through these. waras_clock_now() is the
 * system's UTC time unless waras_clock_set() fixed it (the CLI does so from
 * WARAS_NOW; tests do so directly); waras_clock_reset() returns to the
 * system clock. waras_clock_seconds() is a monotonic count of seconds for
 * deadlines and durations (never fixed: a time limit is real time). */
waras_instant waras_clock_now(void);
void waras_clock_set(waras_instant t);
void waras_clock_reset(void);
double waras_clock_seconds(void);

#endif
