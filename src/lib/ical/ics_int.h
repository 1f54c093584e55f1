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
#define ICS_MAX_STEPS 2000000    /* recurrence iterator steps per event per expansion */
#define ICS_MAX_INSTANCES 200000 /* instances per event per expansion */
#define ICS_MAX_OBSERVANCES 2000 /* STANDARD/DAYLIGHT parts, and their RDATEs, per VTIMEZONE */
#define ICS_MAX_ZONES 256        /* distinct TZIDs per calendar */
#define ICS_ZONE_CACHE 1024      /* cached UTC hours per file zone (power of two) */

typedef struct ics_zone {
    char *tzid;         /* as written in the file */
    const char *iana;   /* IANA name when known, else NULL */
    const waras_tz *tz; /* IANA zone, when not taken from the file */
    icaltimezone *vtz;  /* VTIMEZONE from the file, preferred */
    int is_utc;
    struct {
        int64_t hour; /* UTC hour + 1; 0 = empty */
        int offset;
    } * cache;
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
    int has_rrule;
    struct icalrecurrencetype rrule; /* UNTIL removed: see until below */
    int has_until;
    ics_time until;
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
};

/* zone.c */
int waras_ics__zone_get(waras_ics_calendar *cal, const char *tzid, const ics_zone **out);
const ics_zone *waras_ics__zone_utc(void);
int waras_ics__zone_offset(const ics_zone *z, waras_instant utc);
waras_instant waras_ics__zone_to_utc(const ics_zone *z, int64_t wall);
void waras_ics__zone_free(ics_zone *z);
const char *waras_ics__windows_zone(const char *name);

/* The instant of a zoned time, or the wall value of a date or floating time. */
int64_t waras_ics__key(const ics_time *t);

/* expand.c */
int waras_ics__expand_event(const waras_ics_calendar *cal, const ics_event *ev, int64_t from_days,
                            int64_t to_days, waras_ics_callback cb, void *ctx);

#endif
