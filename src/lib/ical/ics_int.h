/*
 * Private model of a parsed calendar, shared by the files of the iCalendar
 * module: ics.c builds it from libical's tree once, zone.c resolves TZIDs,
 * expand.c turns it into occurrences for a window. Times are kept as
 * wall-clock seconds (the civil fields read as if UTC) plus a zone, which is
 * what RFC 5545 recurrence works on; instants are derived only when needed.
 */
#ifndef WARAS_ICS_INT_H
#define WARAS_ICS_INT_H

#include <stdint.h>

#include <libical/ical.h>

#include "waras/ics.h"
#include "waras/time.h"

/* Bounds that keep hostile input from eating the machine. */
#define ICS_MAX_EVENTS 1000000   /* VEVENTs per calendar */
#define ICS_MAX_ITEMS 100000     /* RDATE/EXDATE values per event */
#ifndef WARAS_FUZZ_BUILD
#define ICS_MAX_STEPS 2000000    /* recurrence iterator steps per event per expansion */
#define ICS_MAX_INSTANCES 200000 /* instances per event per expansion */
#else
/* The fuzz campaign's build only (CMake WARAS_FUZZ_CHEAP, set by
 * bench/fuzz.sh; never the product or make test): a hundredth of the steps
 * and instances, so that one input cannot take seconds under the
 * sanitizers; the same code reaches the same caps, only sooner. */
#define ICS_MAX_STEPS 20000
#define ICS_MAX_INSTANCES 2000
#endif
#define ICS_MAX_OBSERVANCES 2000 /* STANDARD/DAYLIGHT parts, and their RDATEs, per VTIMEZONE */
#define ICS_MAX_ZONES 256        /* distinct TZIDs per calendar */
#define ICS_MAX_LINE (1 << 20)   /* bytes of a content line, folded parts included */
#define ICS_ZONE_CACHE 1024      /* cached UTC hours per file zone (power of two) */
#define ICS_MAX_WARNINGS 1000    /* warnings kept per calendar (all are counted) */

/* What a warning is about, which decides what --strict does with it. */
typedef enum ics_warn_kind {
    ICS_WARN_SKIP,   /* a component that cannot be read is left out */
    ICS_WARN_REPAIR, /* a value libical would refuse is read another way */
    ICS_WARN_NOTE,   /* a fallback that was silent before (zones): never fatal */
} ics_warn_kind;

/* Warnings of one parse, and whether they are errors instead. */
typedef struct ics_diag {
    const char *path;
    int strict;
    waras_ics_warning *v; /* messages owned */
    size_t n, alloc;
    size_t total;   /* all warnings, also those past ICS_MAX_WARNINGS */
    size_t skipped; /* components left out */
} ics_diag;

typedef struct ics_zone {
    char *tzid;         /* as written in the file */
    const char *iana;   /* IANA name when known, else NULL */
    const waras_tz *tz; /* IANA zone, when not taken from the file */
    icaltimezone *vtz;  /* VTIMEZONE from the file, preferred */
    /* First instant the VTIMEZONE describes (its earliest observance);
     * before it the IANA rules apply when the TZID names an IANA zone. */
    int64_t vtz_from;
    int is_utc;
    int unknown; /* a TZID nobody knows: times are floating */
    struct {
        int64_t hour; /* UTC hour + 1; 0 = empty */
        int offset;
    } * cache;
    /* The zone's offsets over [per_lo, per_hi) as periods (each from its
     * UTC start to the next), built once per expansion window. */
    struct ics_period {
        int64_t from;
        int offset;
    } * per;
    size_t nper, per_alloc;
    int64_t per_lo, per_hi;
} ics_zone;

/* A DATE, a floating DATE-TIME (zone NULL) or a zoned DATE-TIME. */
typedef struct ics_time {
    int64_t wall; /* civil fields as seconds since 1970-01-01, no zone */
    const ics_zone *zone;
    int is_date;
} ics_time;

/* How long an instance lasts: DTEND gives an exact length, DURATION a
 * nominal one (days and weeks follow the wall clock, RFC 5545 3.3.6). */
typedef struct ics_length {
    int64_t days;
    int64_t seconds;
} ics_length;

typedef struct ics_rdate {
    ics_time start;
    int has_end;
    ics_time end; /* PERIOD with an explicit end */
    int has_length;
    ics_length length; /* PERIOD with a duration */
} ics_rdate;

typedef struct ics_override {
    ics_time rid;
    ics_time start;
    ics_length length;
    int thisandfuture;
    int cancelled;
    long sequence;
    int64_t modified, stamp; /* LAST-MODIFIED, DTSTAMP (UTC wall), 0: none */
    long line;
    icalcomponent *comp;
} ics_override;

typedef struct ics_event {
    const char *uid;
    char *uid_owned;
    long line;
    icalcomponent *comp;
    ics_time start;
    ics_length length;
    int cancelled;
    long sequence;
    int64_t modified, stamp; /* LAST-MODIFIED, DTSTAMP (UTC wall), 0: none */
    int synthetic_uid;
    int has_rrule;
    struct icalrecurrencetype rrule; /* UNTIL removed: see until below */
    int has_until;
    ics_time until;
    int64_t until_day; /* UNTIL's day, for an all-day series */
    ics_rdate *rdates;
    size_t nrdates;
    ics_time *exdates;
    size_t nexdates;
    ics_override *overrides; /* sorted by RECURRENCE-ID */
    size_t noverrides;
} ics_event;

struct waras_ics_calendar {
    char *path;
    icalcomponent *root;
    icalcomponent **vcals;
    size_t nvcals;
    ics_zone **zones;
    size_t nzones;
    const ics_zone *xwr; /* X-WR-TIMEZONE of the first calendar, resolved */
    char *xwr_name;
    ics_event *events;
    size_t nevents;
    ics_diag diag;
};

/* diag.c: records a warning of this kind at line (0: none); under --strict
 * a SKIP or REPAIR warning is returned as WARAS_EPARSE instead, with the
 * message alone. action says what was done ("the event is skipped") and is
 * appended to the kept warning. */
int waras_ics__warn(ics_diag *d, ics_warn_kind kind, long line, const char *field,
                    const char *action, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Frees the warnings a calendar holds. */
void waras_ics__diag_free(ics_diag *d);

/* zone.c */
/* The zone a TZID names (NULL: unknown, read as floating or as fallback,
 * the X-WR-TIMEZONE, with a warning at line the first time). */
int waras_ics__zone_get(waras_ics_calendar *cal, const char *tzid, long line,
                        const ics_zone *fallback, const ics_zone **out);
const ics_zone *waras_ics__zone_utc(void);
int waras_ics__zone_offset(const ics_zone *z, waras_instant utc);
waras_instant waras_ics__zone_to_utc(const ics_zone *z, int64_t wall);
void waras_ics__zone_free(ics_zone *z);
/* Tabulates the zone's offset periods over UTC [lo, hi), so that lookups
 * there are a binary search instead of a walk of the zone's rules. */
int waras_ics__zone_prepare(ics_zone *z, int64_t lo, int64_t hi);
const char *waras_ics__windows_zone(const char *name);

/* The instant of a zoned time, or the wall value of a date or floating time. */
int64_t waras_ics__key(const ics_time *t);

/* rrule.c: for the events' rules and the zones' alike. */
/* The number of values in one of a rule's BYxxx arrays (libical ends a
 * shorter list with ICAL_RECURRENCE_ARRAY_MAX). */
size_t waras_ics__by_count(const short *v, size_t size);
#define ICS_BY_COUNT(a) waras_ics__by_count((a), sizeof(a) / sizeof((a)[0]))
/* Whether a BYMONTHDAY value of the rule is a day of one of its BYMONTH
 * months (of any month without BYMONTH; February has 29): 0 for 30
 * February, which libical would look for year after year, for centuries.
 * 1 without BYMONTHDAY, and for a non-Gregorian RSCALE. */
int waras_ics__month_day_occurs(const struct icalrecurrencetype *r);

/* expand.c */
int waras_ics__expand_event(const waras_ics_calendar *cal, const ics_event *ev, int64_t from_days,
                            int64_t to_days, waras_ics_callback cb, void *ctx);

#endif
