/*
 * iCalendar (RFC 5545) reading and recurrence expansion on top of libical.
 * A calendar is parsed once (liberally: folded lines, CRLF or LF, Outlook and
 * Google quirks), then its VEVENTs are expanded into occurrences: RRULE,
 * RDATE (also PERIOD), EXDATE, RECURRENCE-ID overrides (with
 * RANGE=THISANDFUTURE), VTIMEZONE and X-WR-TIMEZONE all apply, and cancelled
 * occurrences are left out. `waras ics expand` and the calendar ingest both
 * sit on this module.
 */
#ifndef WARAS_ICS_H
#define WARAS_ICS_H

#include <stddef.h>

#include "waras/time.h"

typedef struct waras_ics_calendar waras_ics_calendar;

typedef enum waras_ics_value_kind {
    WARAS_ICS_DATE,     /* all-day: a date with no time */
    WARAS_ICS_FLOATING, /* local time with no zone: the reader's zone applies */
    WARAS_ICS_ZONED,    /* UTC or a TZID: an exact instant */
} waras_ics_value_kind;

typedef struct waras_ics_occurrence {
    /* The event's UID; an event without one gets a stable made-up UID,
     * "no-uid-" and 24 hex digits of the SHA-256 of its text. Borrowed:
     * valid while the calendar lives. */
    const char *uid;
    waras_ics_value_kind kind;
    /* ZONED: UTC instants. DATE and FLOATING: the wall-clock value read as
     * if it were UTC (waras_epoch_to_civil gives back the fields), so that a
     * caller can place it in a person's zone with waras_tz_to_utc(). */
    waras_instant start, end;
    /* The IANA zone of a ZONED value when one is known ("UTC" for UTC),
     * else NULL (e.g. a VTIMEZONE of the file with a made-up name). */
    const char *tzid;
    /* The VEVENT that describes this occurrence (an override when one
     * applies, else the master), as a libical `icalcomponent *`, for
     * SUMMARY, STATUS, TRANSP, ORGANIZER and ATTENDEE. Borrowed: valid
     * while the calendar lives. */
    void *component;
} waras_ics_occurrence;

/* Return non-zero from the callback to stop the expansion; that value is
 * returned by waras_ics_expand(). */
typedef int (*waras_ics_callback)(void *ctx, const waras_ics_occurrence *occ);

/* Something in the file that was read another way than written, or left
 * out: the library never prints, so a caller shows these to the user. */
typedef struct waras_ics_warning {
    long line;           /* 1-based line in the file, 0 when none */
    const char *field;   /* property or component name, or "" */
    const char *message; /* what was wrong and what was done instead */
} waras_ics_warning;

typedef struct waras_ics_parse_opts {
    /* 0 (lenient): a component that cannot be read (a bad DTSTART, a
     * misspelled END line, ...) is skipped with a warning, and malformed
     * but common recurrence values are repaired with one (docs/ics.md).
     * 1: every such warning is an error instead, as before. */
    int strict;
} waras_ics_parse_opts;

/* Parses a calendar from memory; data need not be NUL-terminated and is not
 * kept. path is used in messages. WARAS_EPARSE (with file, line and field)
 * when the text is not iCalendar, when nothing readable remains after
 * skipping (lenient), or (strict) at the first component that cannot be
 * read; WARAS_ELIMIT past the size caps (docs/ics.md); WARAS_ENOMEM. Of
 * several master VEVENTs with one UID the highest SEQUENCE (then the latest
 * LAST-MODIFIED or DTSTAMP, then the last) wins. A TZID is resolved from the
 * file's VTIMEZONE (the IANA rules apply before its first observance), then
 * as an IANA name in any case, then as a Windows name, else the time is
 * floating (with a warning). opts NULL means lenient. The caller frees the
 * calendar with waras_ics_free(); its warnings stay readable until then. */
int waras_ics_parse_with(waras_ics_calendar **out, const char *data, size_t len, const char *path,
                         const waras_ics_parse_opts *opts);

/* waras_ics_parse_with() in strict mode: all or nothing, for callers that do
 * not show warnings. */
int waras_ics_parse(waras_ics_calendar **out, const char *data, size_t len, const char *path);

/* The parse's warnings in file order (at most 1,000 are kept; *total, when
 * not NULL, gets how many there were), and how many components were
 * skipped. */
const waras_ics_warning *waras_ics_warnings(const waras_ics_calendar *cal, size_t *n,
                                            size_t *total);
size_t waras_ics_skipped(const waras_ics_calendar *cal);

/* Frees the calendar and everything borrowed from it; NULL does nothing. */
void waras_ics_free(waras_ics_calendar *cal);

/* Calls cb for every non-cancelled VEVENT occurrence overlapping [from, to),
 * where from and to are dates whose midnights are taken in each occurrence's
 * own zone (a floating or all-day value compares as wall-clock time). The
 * order of calls is unspecified. Zero-length occurrences count when
 * from <= start < to. The window is cut to the years WARAS_DATE_MIN_YEAR to
 * WARAS_DATE_MAX_YEAR. WARAS_EINVAL when to is before from; WARAS_ELIMIT
 * (naming the event's line) when one event needs more than the capped
 * recurrence work. Expanding updates per-calendar zone caches, so one
 * calendar must not be expanded from two threads at once. */
int waras_ics_expand(const waras_ics_calendar *cal, waras_date from, waras_date to,
                     waras_ics_callback cb, void *ctx);

/* The calendar's X-WR-TIMEZONE, or NULL. */
const char *waras_ics_default_zone(const waras_ics_calendar *cal);

#endif
