/*
 * IANA time zones for waras, on top of libical's builtin zones (which Debian's
 * libical reads from the system zoneinfo). libical answers "which offset is in
 * force at this UTC instant"; this file adds a per-hour cache so that metrics
 * over millions of events do not walk libical's change tables each time, and
 * the local-to-UTC direction with the RFC 5545 rules for gaps and overlaps.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "waras/error.h"
#include "waras/time.h"
#include "time/days.h"

#define TZ_CACHE_SLOTS 4096 /* power of two: hours cached per zone */
#define TZ_MAX_ZONES 512    /* distinct zones a process may load */

struct tz_cache_slot {
    int64_t hour; /* UTC hour index + 1; 0 means empty */
    int offset;
};

struct waras_tz {
    char name[64];
    icaltimezone *zone; /* NULL for UTC */
    pthread_mutex_t lock;
    struct tz_cache_slot cache[TZ_CACHE_SLOTS];
};

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static waras_tz *registry[TZ_MAX_ZONES];
static int registry_len;

/* A Gregorian cycle of 400 years is 146097 days, a whole number of weeks:
 * an instant one cycle earlier falls on the same date and weekday, so a
 * zone's recurring rules give it the same offset. Instants from 2400 on are
 * moved back by whole cycles into [2000, 2400): past about the year 2500
 * libical expands a zone's changes year by year through ICU, and one
 * offset in the year 4052 cost seconds. */
#define TZ_CYCLE ((waras_instant)146097 * 86400)
#define TZ_FAR ((waras_instant)13569465600) /* 2400-01-01T00:00:00Z */

static int raw_offset(const waras_tz *tz, waras_instant t)
{
    if (!tz->zone)
        return 0;
    if (t >= TZ_FAR)
        t -= ((t - TZ_FAR) / TZ_CYCLE + 1) * TZ_CYCLE;
    struct icaltimetype tt = icaltime_from_timet_with_zone((time_t)t, 0, icaltimezone_get_utc_timezone());
    int is_daylight = 0;
    return icaltimezone_get_utc_offset_of_utc_time(tz->zone, &tt, &is_daylight);
}

int waras_tz_offset(const waras_tz *ctz, waras_instant t)
{
    waras_tz *tz = (waras_tz *)ctz;
    if (!tz->zone)
        return 0;
    int64_t hour = t >= 0 ? t / 3600 : -((-t + 3599) / 3600);
    size_t slot = (size_t)((uint64_t)hour & (TZ_CACHE_SLOTS - 1));
    int off;
    pthread_mutex_lock(&tz->lock);
    if (tz->cache[slot].hour == hour + 1) {
        off = tz->cache[slot].offset;
        pthread_mutex_unlock(&tz->lock);
        return off;
    }
    /* An hour is cacheable when the offset is the same at both ends: no zone
     * changes offset twice within an hour. */
    int a = raw_offset(tz, hour * 3600);
    int b = raw_offset(tz, hour * 3600 + 3599);
    if (a == b) {
        tz->cache[slot].hour = hour + 1;
        tz->cache[slot].offset = a;
        off = a;
    } else {
        off = raw_offset(tz, t);
    }
    pthread_mutex_unlock(&tz->lock);
    return off;
}

int waras_tz_get(const waras_tz **out, const char *name)
{
    int rc = 0;
    if (!name || !*name || strlen(name) >= sizeof(((waras_tz *)0)->name))
        return waras_error_msg(WARAS_ENOTFOUND, "unknown time zone '%s'", name ? name : "");
    pthread_mutex_lock(&registry_lock);
    for (int i = 0; i < registry_len; i++) {
        if (strcmp(registry[i]->name, name) == 0) {
            *out = registry[i];
            goto cleanup;
        }
    }
    if (registry_len >= TZ_MAX_ZONES) {
        rc = waras_error_msg(WARAS_ELIMIT, "too many time zones (limit %d)", TZ_MAX_ZONES);
        goto cleanup;
    }
    icaltimezone *zone = NULL;
    int is_utc = strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0 ||
                 strcmp(name, "GMT") == 0 || strcmp(name, "Etc/GMT") == 0 || strcmp(name, "Z") == 0;
    if (!is_utc) {
        /* libical's lookup tolerates names that are not zone files (e.g. a
         * directory); only accept real Area/Location style names. */
        if (name[0] == '/' || strstr(name, ".."))
            zone = NULL;
        else
            zone = icaltimezone_get_builtin_timezone(name);
        icalerror_clear_errno();
        if (!zone) {
            rc = waras_error_msg(WARAS_ENOTFOUND, "unknown time zone '%s'", name);
            goto cleanup;
        }
    }
    waras_tz *tz = calloc(1, sizeof(*tz));
    if (!tz) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    memcpy(tz->name, name, strlen(name) + 1);
    tz->zone = zone;
    pthread_mutex_init(&tz->lock, NULL);
    registry[registry_len++] = tz;
    *out = tz;
cleanup:
    pthread_mutex_unlock(&registry_lock);
    return rc;
}

const char *waras_tz_name(const waras_tz *tz)
{
    return tz->name;
}

void waras_tz_to_local(waras_civil *out, const waras_tz *tz, waras_instant t)
{
    waras_epoch_to_civil(out, t + waras_tz_offset(tz, t));
}

static int tz_offset_of(const void *tz, waras_instant t)
{
    return waras_tz_offset(tz, t);
}

waras_instant waras_tz_to_utc(const waras_tz *tz, const waras_civil *local)
{
    waras_instant l = waras_civil_to_epoch(local);
    if (!tz->zone)
        return l;
    return waras_time__wall_to_utc(l, tz_offset_of, tz);
}

waras_instant waras_time__wall_to_utc(int64_t wall, waras_time_offset_fn offset, const void *zone)
{
    /* Offsets two days either side bracket any transition near wall. */
    int before = offset(zone, wall - 2 * 86400);
    int after = offset(zone, wall + 2 * 86400);
    waras_instant c1 = wall - before, c2 = wall - after;
    int ok1 = offset(zone, c1) == before;
    int ok2 = offset(zone, c2) == after;
    if (ok1 && ok2)
        return c1 < c2 ? c1 : c2; /* overlap: the first occurrence */
    if (ok2 && !ok1)
        return c2;
    return c1; /* gap (or no change): the offset before */
}

int64_t waras_time__local_day(const waras_tz *tz, waras_instant t)
{
    waras_instant l = t + waras_tz_offset(tz, t);
    return l >= 0 ? l / 86400 : -((-l + 86399) / 86400);
}

waras_instant waras_tz_date_start(const waras_tz *tz, waras_date d)
{
    waras_civil c = {d.year, d.month, d.day, 0, 0, 0};
    return waras_tz_to_utc(tz, &c);
}

waras_instant waras_time__day_start(const waras_tz *tz, int64_t day)
{
    return waras_tz_date_start(tz, waras_time__date(day));
}

waras_date waras_tz_date_of(const waras_tz *tz, waras_instant t)
{
    return waras_time__date(waras_time__local_day(tz, t));
}
