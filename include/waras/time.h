/*
 * Time: instants are UTC seconds since the Unix epoch; everything local goes
 * through an IANA zone loaded from the system's zoneinfo via libical. Local
 * times that fall in a DST gap or overlap follow RFC 5545 section 3.3.5: an
 * ambiguous time is the first occurrence, a missing time is read with the
 * offset in force before the gap. Offsets are cached per zone and UTC hour,
 * and no function touches the process-wide TZ.
 */
#ifndef WARAS_TIME_H
#define WARAS_TIME_H

#include <stdint.h>

typedef int64_t waras_instant; /* UTC seconds since 1970-01-01T00:00:00Z */

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
void waras_tz_to_local(const waras_tz *tz, waras_instant t, waras_civil *out);

/* The instant of a local wall-clock time, by the RFC 5545 gap/overlap rule. */
waras_instant waras_tz_to_utc(const waras_tz *tz, const waras_civil *local);

/* The instant of local midnight starting the given date. */
waras_instant waras_tz_midnight(const waras_tz *tz, int year, int month, int day);

/* The local day (days since 1970-01-01) holding instant t, and the instant
 * the local day `day` starts (local midnight, or the first instant after a
 * gap at midnight). */
int64_t waras_tz_local_day(const waras_tz *tz, waras_instant t);
waras_instant waras_tz_day_start(const waras_tz *tz, int64_t day);

/* Calendar arithmetic (no zone): days since 1970-01-01 and back. */
int64_t waras_days_from_civil(int year, int month, int day);
void waras_civil_from_days(int64_t days, int *year, int *month, int *day);

/* ISO weekday of a day number: 1 = Monday ... 7 = Sunday. */
int waras_weekday(int64_t days);

/* ISO 8601 week of a date. */
void waras_iso_week(int year, int month, int day, int *iso_year, int *iso_week);

/* Seconds since the epoch of a civil time read as UTC (no zone). */
waras_instant waras_civil_to_epoch(const waras_civil *c);
void waras_epoch_to_civil(waras_instant t, waras_civil *out);

/* Parses "YYYY-MM-DD". 0 or WARAS_EINVAL (no error slot set). */
int waras_date_parse(const char *s, int *year, int *month, int *day);

/* Parses "YYYY-MM-DD[ T]HH:MM[:SS]" with an optional "Z" or "+HH:MM"/"+HHMM"
 * suffix. *has_offset tells whether the string carried a zone; when it did
 * not, *out is the local wall time read as UTC and the caller applies a zone.
 * 0 or WARAS_EINVAL (no error slot set). */
int waras_datetime_parse(const char *s, waras_instant *out, int *has_offset);

/* Formats "YYYY-MM-DD". */
void waras_date_format(char *buf, int size, int year, int month, int day);

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
