/*
 * Time zones of one calendar. A TZID is resolved once per calendar, in this
 * order: a VTIMEZONE of that name in the file (RFC 5545 makes it
 * authoritative) when its rules are sane, with the IANA rules of its name
 * before its first observance; an IANA name in any case (also after a
 * "/vendor/..." prefix as libical and Mozilla write them), a Windows name as
 * Outlook and Exchange write them, and otherwise nothing, so that the time
 * is read as floating, with a warning. Local-to-UTC follows RFC 5545 3.3.5
 * as waras_tz_to_utc does: an ambiguous time is the first occurrence, a time
 * in a gap uses the offset before the gap. Offsets over an expansion window
 * are tabulated once per zone.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ical/ics_int.h"
#include "util/util.h"
#include "waras/error.h"
#include "time/days.h"

/* Windows zone names to IANA, after the "001" territory of CLDR's
 * windowsZones.xml: the names Outlook puts in TZID when it omits VTIMEZONE. */
static const char *const windows_zones[][2] = {
    {"Dateline Standard Time", "Etc/GMT+12"},
    {"UTC-11", "Etc/GMT+11"},
    {"Hawaiian Standard Time", "Pacific/Honolulu"},
    {"Alaskan Standard Time", "America/Anchorage"},
    {"Pacific Standard Time", "America/Los_Angeles"},
    {"Pacific Standard Time (Mexico)", "America/Tijuana"},
    {"US Mountain Standard Time", "America/Phoenix"},
    {"Mountain Standard Time", "America/Denver"},
    {"Mountain Standard Time (Mexico)", "America/Mazatlan"},
    {"Central America Standard Time", "America/Guatemala"},
    {"Central Standard Time", "America/Chicago"},
    {"Central Standard Time (Mexico)", "America/Mexico_City"},
    {"Canada Central Standard Time", "America/Regina"},
    {"SA Pacific Standard Time", "America/Bogota"},
    {"Eastern Standard Time", "America/New_York"},
    {"US Eastern Standard Time", "America/Indiana/Indianapolis"},
    {"Venezuela Standard Time", "America/Caracas"},
    {"Atlantic Standard Time", "America/Halifax"},
    {"SA Western Standard Time", "America/La_Paz"},
    {"Pacific SA Standard Time", "America/Santiago"},
    {"Newfoundland Standard Time", "America/St_Johns"},
    {"E. South America Standard Time", "America/Sao_Paulo"},
    {"Argentina Standard Time", "America/Argentina/Buenos_Aires"},
    {"UTC", "UTC"},
    {"Coordinated Universal Time", "UTC"},
    {"GMT Standard Time", "Europe/London"},
    {"Greenwich Standard Time", "Atlantic/Reykjavik"},
    {"W. Europe Standard Time", "Europe/Berlin"},
    {"Central Europe Standard Time", "Europe/Budapest"},
    {"Romance Standard Time", "Europe/Paris"},
    {"Central European Standard Time", "Europe/Warsaw"},
    {"W. Central Africa Standard Time", "Africa/Lagos"},
    {"GTB Standard Time", "Europe/Bucharest"},
    {"E. Europe Standard Time", "Europe/Chisinau"},
    {"FLE Standard Time", "Europe/Kiev"},
    {"Israel Standard Time", "Asia/Jerusalem"},
    {"South Africa Standard Time", "Africa/Johannesburg"},
    {"Egypt Standard Time", "Africa/Cairo"},
    {"Turkey Standard Time", "Europe/Istanbul"},
    {"Arab Standard Time", "Asia/Riyadh"},
    {"Russian Standard Time", "Europe/Moscow"},
    {"E. Africa Standard Time", "Africa/Nairobi"},
    {"Iran Standard Time", "Asia/Tehran"},
    {"Arabian Standard Time", "Asia/Dubai"},
    {"Afghanistan Standard Time", "Asia/Kabul"},
    {"Pakistan Standard Time", "Asia/Karachi"},
    {"India Standard Time", "Asia/Kolkata"},
    {"Sri Lanka Standard Time", "Asia/Colombo"},
    {"Nepal Standard Time", "Asia/Kathmandu"},
    {"Bangladesh Standard Time", "Asia/Dhaka"},
    {"Myanmar Standard Time", "Asia/Yangon"},
    {"SE Asia Standard Time", "Asia/Bangkok"},
    {"China Standard Time", "Asia/Shanghai"},
    {"Singapore Standard Time", "Asia/Singapore"},
    {"Taipei Standard Time", "Asia/Taipei"},
    {"W. Australia Standard Time", "Australia/Perth"},
    {"Tokyo Standard Time", "Asia/Tokyo"},
    {"Korea Standard Time", "Asia/Seoul"},
    {"Cen. Australia Standard Time", "Australia/Adelaide"},
    {"AUS Central Standard Time", "Australia/Darwin"},
    {"E. Australia Standard Time", "Australia/Brisbane"},
    {"AUS Eastern Standard Time", "Australia/Sydney"},
    {"West Pacific Standard Time", "Pacific/Port_Moresby"},
    {"New Zealand Standard Time", "Pacific/Auckland"},
};

const char *waras_ics__windows_zone(const char *name)
{
    for (size_t i = 0; i < sizeof(windows_zones) / sizeof(windows_zones[0]); i++)
        if (waras_strcaseeq(windows_zones[i][0], name))
            return windows_zones[i][1];
    return NULL;
}

static ics_zone utc_zone = {.tzid = "UTC", .iana = "UTC", .is_utc = 1};

const ics_zone *waras_ics__zone_utc(void)
{
    return &utc_zone;
}

/* The spelling of an IANA zone name that libical knows, for a name written
 * in another case ("Europe/lisbon", "america/new_york"), or NULL. */
static const char *iana_spelling(const char *name)
{
    icalarray *all = icaltimezone_get_builtin_timezones();
    for (size_t i = 0; all && i < all->num_elements; i++) {
        icaltimezone *z = icalarray_element_at(all, i);
        const char *loc = icaltimezone_get_location(z);
        if (loc && strcasecmp(loc, name) == 0)
            return loc;
    }
    return NULL;
}

/* An IANA zone by name, in any case, quietly: a miss is not an error here. */
static const waras_tz *iana(const char *name)
{
    const waras_tz *tz = NULL;
    /* Only names that look like zone names: waras_tz_get would also accept
     * odd strings that happen to name files under zoneinfo. */
    if (!name || !*name || strchr(name, ' ') || strchr(name, ','))
        return NULL;
    if (waras_tz_get(&tz, name) != 0) {
        waras_error_clear();
        tz = NULL;
        const char *spelled = iana_spelling(name);
        if (spelled && strcmp(spelled, name) != 0 && waras_tz_get(&tz, spelled) != 0) {
            waras_error_clear();
            tz = NULL;
        }
    }
    icalerror_clear_errno();
    return tz;
}

static void zone_set_iana(ics_zone *z, const waras_tz *tz)
{
    z->tz = tz;
    z->iana = waras_tz_name(tz);
    z->is_utc = strcmp(z->iana, "UTC") == 0 || strcmp(z->iana, "Etc/UTC") == 0 ||
                strcmp(z->iana, "GMT") == 0 || strcmp(z->iana, "Etc/GMT") == 0;
}

/* The IANA zone a TZID names, directly, after a vendor prefix, or through
 * the Windows table. */
static const waras_tz *iana_for(const char *tzid)
{
    const waras_tz *tz = iana(tzid);
    if (!tz && tzid[0] == '/') {
        /* "/freeassociation.sourceforge.net/Tzfile/Europe/Berlin": try each
         * suffix after a slash. */
        for (const char *p = strchr(tzid + 1, '/'); p && !tz; p = strchr(p + 1, '/'))
            tz = iana(p + 1);
    }
    if (!tz) {
        const char *w = waras_ics__windows_zone(tzid);
        if (w)
            tz = iana(w);
    }
    return tz;
}

/* Whether a yearly rule's dates can occur: libical looks for a rule's first
 * date year after year, for centuries, when there is none (BYMONTHDAY=30
 * in February, BYDAY=-9SU, 1SU on the 20th): half a second per file. A
 * month day must exist in one of the months (waras_ics__month_day_occurs),
 * a weekday's ordinal be at most 5 within a month (53 within a year), and an
 * ordinal weekday not be combined with month days. */
static int rule_can_occur(const struct icalrecurrencetype *r, size_t months, size_t days,
                          size_t mdays)
{
    if (!waras_ics__month_day_occurs(r))
        return 0;
    for (size_t i = 0; i < days; i++) {
        int pos = icalrecurrencetype_day_position(r->by_day[i]);
        if (pos != 0 && (mdays || abs(pos) > (months ? 5 : 53)))
            return 0;
    }
    return 1;
}

/* libical expands a VTIMEZONE's rules into a table of changes, from each
 * observance's DTSTART to the year asked for, without bounds: a rule every
 * minute would take it hours. Real zones change a few times a year, so only
 * yearly rules with a handful of dates per year that can occur
 * (rule_can_occur), and a bounded number of observances and RDATEs, are
 * trusted; other VTIMEZONEs are passed over. */
static int vtz_sane(icaltimezone *zone)
{
    icalcomponent *vtz = icaltimezone_get_component(zone);
    size_t observances = 0, rdates = 0;
    if (!vtz)
        return 0;
    for (icalcomponent *c = icalcomponent_get_first_component(vtz, ICAL_ANY_COMPONENT); c;
         c = icalcomponent_get_next_component(vtz, ICAL_ANY_COMPONENT)) {
        if (++observances > ICS_MAX_OBSERVANCES)
            return 0;
        for (icalproperty *p = icalcomponent_get_first_property(c, ICAL_ANY_PROPERTY); p;
             p = icalcomponent_get_next_property(c, ICAL_ANY_PROPERTY)) {
            icalproperty_kind kind = icalproperty_isa(p);
            if (kind == ICAL_RDATE_PROPERTY && ++rdates > ICS_MAX_OBSERVANCES)
                return 0;
            if (kind != ICAL_RRULE_PROPERTY)
                continue;
            struct icalrecurrencetype r = icalproperty_get_rrule(p);
            size_t months = ICS_BY_COUNT(r.by_month);
            size_t days = ICS_BY_COUNT(r.by_day);
            size_t mdays = ICS_BY_COUNT(r.by_month_day);
            if (r.freq != ICAL_YEARLY_RECURRENCE || r.interval < 1 || ICS_BY_COUNT(r.by_second) ||
                ICS_BY_COUNT(r.by_minute) || ICS_BY_COUNT(r.by_hour) ||
                ICS_BY_COUNT(r.by_year_day) || ICS_BY_COUNT(r.by_week_no) ||
                ICS_BY_COUNT(r.by_set_pos) ||
                (months ? months : 1) * (days ? days : 1) * (mdays ? mdays : 1) > 16 ||
                !rule_can_occur(&r, months, days, mdays))
                return 0;
        }
    }
    return 1;
}

/* The earliest instant a VTIMEZONE describes: its first observance's
 * DTSTART, in the offset it changes from. */
static int64_t vtz_first(icaltimezone *zone)
{
    icalcomponent *vtz = icaltimezone_get_component(zone);
    int64_t first = INT64_MAX;
    for (icalcomponent *c = icalcomponent_get_first_component(vtz, ICAL_ANY_COMPONENT); c;
         c = icalcomponent_get_next_component(vtz, ICAL_ANY_COMPONENT)) {
        icalproperty *p = icalcomponent_get_first_property(c, ICAL_DTSTART_PROPERTY);
        icalproperty *from = icalcomponent_get_first_property(c, ICAL_TZOFFSETFROM_PROPERTY);
        if (!p)
            continue;
        struct icaltimetype t = icalproperty_get_dtstart(p);
        if (icaltime_is_null_time(t))
            continue;
        int64_t v = waras_time__days_from_civil(t.year, t.month, t.day) * 86400 + t.hour * 3600 +
                    t.minute * 60 + t.second - (from ? icalproperty_get_tzoffsetfrom(from) : 0);
        if (v < first)
            first = v;
    }
    icalerror_clear_errno();
    return first == INT64_MAX ? INT64_MIN : first;
}

int waras_ics__zone_get(waras_ics_calendar *cal, const char *tzid, long line,
                        const ics_zone *fallback, const ics_zone **out)
{
    int rc = 0;
    ics_zone *z = NULL;
    *out = NULL;
    if (!tzid || !*tzid)
        goto cleanup;
    for (size_t i = 0; i < cal->nzones; i++) {
        if (strcmp(cal->zones[i]->tzid, tzid) == 0) {
            *out = cal->zones[i]->unknown ? NULL : cal->zones[i];
            goto cleanup;
        }
    }
    if (cal->nzones >= ICS_MAX_ZONES) {
        rc = waras_error_set(WARAS_ELIMIT, cal->path, 0, "TZID", "more than %d distinct time zones",
                             ICS_MAX_ZONES);
        goto cleanup;
    }
    z = calloc(1, sizeof(*z));
    if (!z || !(z->tzid = waras_strdup(tzid))) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < cal->nvcals && !z->vtz; i++)
        z->vtz = icalcomponent_get_timezone(cal->vcals[i], tzid);
    if (z->vtz && !vtz_sane(z->vtz))
        z->vtz = NULL;
    icalerror_clear_errno();
    const waras_tz *tz = iana_for(tzid);
    if (z->vtz) {
        /* The file's rules apply; before its first observance those of the
         * IANA zone of that name, when there is one. */
        z->iana = tz ? waras_tz_name(tz) : NULL;
        z->tz = tz;
        z->vtz_from = tz ? vtz_first(z->vtz) : INT64_MIN;
        z->cache = calloc(ICS_ZONE_CACHE, sizeof(*z->cache));
        if (!z->cache) {
            rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
            goto cleanup;
        }
    } else if (tz) {
        zone_set_iana(z, tz);
    } else {
        /* Unknown zone: floating (or the calendar's X-WR-TIMEZONE), said
         * once per TZID; the entry remembers the miss. */
        char ex[64];
        size_t k = 0;
        for (const char *c = tzid; *c && k < 40; c++)
            ex[k++] = (*c >= 0x20 && *c < 0x7f) ? *c : '?';
        ex[k] = '\0';
        z->unknown = 1;
        if (fallback)
            rc = waras_ics__warn(&cal->diag, ICS_WARN_NOTE, line, "TZID", NULL,
                                 "unknown time zone '%s'; its times are read in %s "
                                 "(X-WR-TIMEZONE)",
                                 ex, fallback->iana ? fallback->iana : fallback->tzid);
        else
            rc = waras_ics__warn(&cal->diag, ICS_WARN_NOTE, line, "TZID", NULL,
                                 "unknown time zone '%s'; its times are read as floating "
                                 "local time",
                                 ex);
        if (rc)
            goto cleanup;
    }
    ics_zone **grown = realloc(cal->zones, (cal->nzones + 1) * sizeof(*grown));
    if (!grown) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    cal->zones = grown;
    cal->zones[cal->nzones++] = z;
    *out = z->unknown ? NULL : z;
    z = NULL;
cleanup:
    waras_ics__zone_free(z);
    return rc;
}

void waras_ics__zone_free(ics_zone *z)
{
    if (!z || z == &utc_zone)
        return;
    free(z->tzid);
    free(z->cache);
    free(z->per);
    free(z);
}

static int vtz_offset(const ics_zone *z, waras_instant t)
{
    struct icaltimetype tt =
        icaltime_from_timet_with_zone((time_t)t, 0, icaltimezone_get_utc_timezone());
    int is_daylight = 0;
    return icaltimezone_get_utc_offset_of_utc_time(z->vtz, &tt, &is_daylight);
}

static int raw_offset(const ics_zone *z, waras_instant t);

int waras_ics__zone_offset(const ics_zone *z, waras_instant t)
{
    if (!z || z->is_utc)
        return 0;
    if (z->nper && t >= z->per_lo && t < z->per_hi) {
        size_t lo = 0, hi = z->nper; /* the last period starting at or before t */
        while (hi - lo > 1) {
            size_t mid = lo + (hi - lo) / 2;
            if (z->per[mid].from <= t)
                lo = mid;
            else
                hi = mid;
        }
        return z->per[lo].offset;
    }
    return raw_offset(z, t);
}

/* Real zones change their offset at most once a day: probing each day and
 * bisecting to the second where it changed finds every change. */
int waras_ics__zone_prepare(ics_zone *z, int64_t lo, int64_t hi)
{
    if (!z || z->is_utc || z->unknown || hi <= lo ||
        (z->nper && lo >= z->per_lo && hi <= z->per_hi))
        return 0;
    if (hi - lo > (int64_t)100 * 366 * 86400)
        return 0; /* a century or more: the lookups stay direct */
    z->nper = 0;
    int64_t from = lo, t = lo;
    int prev = raw_offset(z, lo);
    for (;;) {
        int64_t next = t + 86400 < hi ? t + 86400 : hi;
        int changed = raw_offset(z, next) != prev;
        if (changed || next >= hi) {
            int64_t a = t, b = next; /* raw(a) == prev, raw(b) != prev */
            while (changed && b - a > 1) {
                int64_t m = a + (b - a) / 2;
                if (raw_offset(z, m) == prev)
                    a = m;
                else
                    b = m;
            }
            if (z->nper == z->per_alloc) {
                size_t na = z->per_alloc ? z->per_alloc * 2 : 16;
                struct ics_period *nv = realloc(z->per, na * sizeof(*nv));
                if (!nv) {
                    z->nper = 0;
                    return waras_error_msg(WARAS_ENOMEM, "out of memory");
                }
                z->per = nv;
                z->per_alloc = na;
            }
            z->per[z->nper].from = from;
            z->per[z->nper].offset = prev;
            z->nper++;
            if (!changed)
                break;
            from = t = b;
            prev = raw_offset(z, b);
            continue;
        }
        t = next;
    }
    z->per_lo = lo;
    z->per_hi = hi;
    return 0;
}

static int raw_offset(const ics_zone *z, waras_instant t)
{
    if (z->tz && (!z->vtz || t < z->vtz_from))
        return waras_tz_offset(z->tz, t);
    /* A file zone: cache per UTC hour when the offset is the same at both
     * ends of it (no zone changes twice within an hour). */
    int64_t hour = t >= 0 ? t / 3600 : -((-t + 3599) / 3600);
    size_t slot = (size_t)((uint64_t)hour & (ICS_ZONE_CACHE - 1));
    if (z->cache[slot].hour == hour + 1)
        return z->cache[slot].offset;
    int a = vtz_offset(z, hour * 3600), b = vtz_offset(z, hour * 3600 + 3599);
    if (a != b)
        return vtz_offset(z, t);
    z->cache[slot].hour = hour + 1;
    z->cache[slot].offset = a;
    return a;
}

static int zone_offset_of(const void *z, waras_instant t)
{
    return waras_ics__zone_offset(z, t);
}

waras_instant waras_ics__zone_to_utc(const ics_zone *z, int64_t wall)
{
    if (!z || z->is_utc)
        return wall;
    return waras_time__wall_to_utc(wall, zone_offset_of, z);
}

int64_t waras_ics__key(const ics_time *t)
{
    if (t->is_date || !t->zone)
        return t->wall;
    return waras_ics__zone_to_utc(t->zone, t->wall);
}
