/*
 * The demo organisation. Three teams that keep training and inference
 * running, spread over Los Angeles, Berlin, London and Jakarta, so that
 * every meeting lands at a different local hour for someone. Calendars use
 * the constructs real exports contain: RRULE, EXDATE, moved occurrences
 * (RECURRENCE-ID), declines, free-time blocks, all-day events and TZIDs.
 * Workloads are uneven on purpose: a few people carry far more than others.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "demo/demo_git.h"
#include "demo/demo_paging.h"
#include "demo/rng.h"
#include "util/util.h"
#include "waras/demo.h"
#include "waras/error.h"
#include "waras/time.h"
#include "time/days.h"

typedef struct demo_person {
    char id[32], name[64], email[96], team[32], zone[40], site[32];
    int work_start, work_end; /* minutes */
    int load;                 /* 0 normal, 1 heavy, 2 extreme */
    int has_timesheet;
    int lead;
} demo_person;

typedef struct team_def {
    const char *name;
    int size;
    const char *zones[3];
    int zone_counts[3];
} team_def;

static const team_def teams[] = {
    {"training-infra", 9, {"America/Los_Angeles", "Europe/Berlin", "Asia/Jakarta"}, {4, 3, 2}},
    {"inference", 9, {"Asia/Jakarta", "Europe/Berlin", "America/Los_Angeles"}, {4, 3, 2}},
    {"research", 8, {"America/Los_Angeles", "Europe/London", "Asia/Jakarta"}, {4, 2, 2}},
};

static const char *const first_names[] = {
    "Ayu",   "Budi",  "Citra", "Dewi",   "Eko",   "Fitri",  "Gilang", "Hana",  "Indra",
    "Jonas", "Katrin", "Lukas", "Mia",   "Niklas", "Olivia", "Paul",   "Quinn", "Rosa",
    "Sam",   "Tara",  "Umar",  "Vera",   "Wulan", "Xavier", "Yusuf",  "Zoe",   "Adit",
    "Bella", "Chris", "Dian"};
static const char *const last_names[] = {
    "Santoso", "Wijaya", "Hartono", "Schmidt", "Fischer", "Weber", "Nguyen", "Garcia",
    "Kim",     "Patel",  "Murphy",  "Becker",  "Lestari", "Putri", "Ramos",  "Chen"};

#define MAX_PEOPLE 64

/* The planted overloads: the people the demo makes overloaded on purpose,
 * the risk signal each must be flagged for, and why. The load risk of the
 * last four weeks should rate exactly these people high or critical (and,
 * below, training-infra's night pager), and nobody else: the rest of the
 * generator is ordinary noise (a short weekend check-in, an evening commit,
 * a late meeting), which the risk must not take for overload. Written to
 * DIR/PLANTED.md; tests/e2e/demo.sh checks the risk against it. */
static const struct planted {
    int index; /* into the organisation, in build_org's order */
    int load;  /* 1 heavy, 2 extreme */
    const char *signal;
    const char *why;
} planted[] = {
    {1, 2, "long_weeks",
     "extreme load: 10-13 h days, 80 % of weekends, no leave in the half-year, three pager "
     "weeks for everyone else's one"},
    {2, 1, "long_weeks", "heavy load: 9-11.5 h days, about half the weekends, two pager weeks"},
    {10, 1, "long_weeks",
     "heavy load, and a release crunch three weeks before the end: 07:30-23:00 four days "
     "running (8.5 h rest between days)"},
};
#define NPLANTED (sizeof(planted) / sizeof(planted[0]))

typedef struct org {
    demo_person p[MAX_PEOPLE];
    int n;
} org;

static void build_org(org *o, rng *r)
{
    int name_i = 0;
    for (size_t t = 0; t < sizeof(teams) / sizeof(teams[0]); t++) {
        int k = 0;
        for (int z = 0; z < 3; z++) {
            for (int c = 0; c < teams[t].zone_counts[z]; c++, k++) {
                demo_person *p = &o->p[o->n++];
                const char *fn = first_names[name_i % 30];
                const char *ln = last_names[(name_i * 7 + (int)t) % 16];
                name_i++;
                /* First names are unique in the list, so id = first name. */
                snprintf(p->id, sizeof(p->id), "%s", fn);
                waras_str_lower(p->id);
                snprintf(p->name, sizeof(p->name), "%s %s", fn, ln);
                snprintf(p->email, sizeof(p->email), "%s@lab.example", fn);
                waras_str_lower(p->email);
                snprintf(p->team, sizeof(p->team), "%s", teams[t].name);
                snprintf(p->zone, sizeof(p->zone), "%s", teams[t].zones[z]);
                /* The site is the office: the zone's city, but the
                 * Pacific people work from San Francisco. */
                const char *slash = strchr(teams[t].zones[z], '/');
                waras_strlcpy(p->site, slash ? slash + 1 : teams[t].zones[z], sizeof(p->site));
                waras_str_lower(p->site);
                if (strcmp(teams[t].zones[z], "America/Los_Angeles") == 0)
                    waras_strlcpy(p->site, "san-francisco", sizeof(p->site));
                p->work_start = (8 + rng_int(r, 0, 2)) * 60;
                p->work_end = p->work_start + 9 * 60;
                p->lead = k == 0;
                p->load = 0;
                p->has_timesheet = rng_unit(r) < 0.88;
            }
        }
    }
    /* A few people carry far more: the first two of training-infra and one in
     * inference (the planted table above). */
    for (size_t k = 0; k < NPLANTED; k++) {
        o->p[planted[k].index].load = planted[k].load;
        o->p[planted[k].index].has_timesheet = 1;
    }
}

static int ensure_dir(const char *path)
{
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
        return waras_error_set(WARAS_EIO, path, 0, NULL, "cannot create directory: %s",
                               strerror(errno));
    return 0;
}

static void fmt_local(char *buf, size_t size, int64_t day, int minutes)
{
    int y, m, d;
    waras_time__civil_from_days(&y, &m, &d, day);
    snprintf(buf, size, "%04d%02d%02dT%02d%02d00", y, m, d, minutes / 60, minutes % 60);
}

static void fmt_date(char *buf, size_t size, int64_t day)
{
    int y, m, d;
    waras_time__civil_from_days(&y, &m, &d, day);
    snprintf(buf, size, "%04d%02d%02d", y, m, d);
}

/* A recurring meeting series: organiser, attendees (indices), local time in
 * the organiser's zone, rule, and its exceptions. */
typedef struct series {
    char uid[160], summary[160], rrule[128];
    int organizer;
    int attendees[MAX_PEOPLE];
    int nattendees;
    int64_t first_day;
    int start_min, minutes;
    int64_t exdate_day;   /* -1: none */
    int64_t moved_day;    /* -1: none; occurrence moved by +1 day, +1 h */
    int transparent;
} series;

static int in_series(const series *s, int who)
{
    if (s->organizer == who)
        return 1;
    for (int i = 0; i < s->nattendees; i++)
        if (s->attendees[i] == who)
            return 1;
    return 0;
}

/* Whether person `who` declines: the meeting falls outside their waking day. */
static int declines(const org *o, const series *s, int who)
{
    const waras_tz *oz, *pz;
    if (s->organizer == who || waras_tz_get(&oz, o->p[s->organizer].zone) ||
        waras_tz_get(&pz, o->p[who].zone))
        return 0;
    int y, m, d;
    waras_time__civil_from_days(&y, &m, &d, s->first_day);
    waras_civil c = {y, m, d, s->start_min / 60, s->start_min % 60, 0};
    waras_civil local;
    waras_tz_to_local(&local, pz, waras_tz_to_utc(oz, &c));
    return local.hour < 7 || local.hour >= 22;
}

static int write_series(waras_buf *b, const org *o, const series *s, int who)
{
    char ds[32], de[32], ex[32];
    const demo_person *org_p = &o->p[s->organizer];
    fmt_local(ds, sizeof(ds), s->first_day, s->start_min);
    fmt_local(de, sizeof(de), s->first_day, s->start_min + s->minutes);
    int rc = waras_buf_printf(b,
                              "BEGIN:VEVENT\r\nUID:%s\r\nDTSTAMP:20260101T000000Z\r\n"
                              "SUMMARY:%s\r\nDTSTART;TZID=%s:%s\r\nDTEND;TZID=%s:%s\r\n"
                              "RRULE:%s\r\n",
                              s->uid, s->summary, org_p->zone, ds, org_p->zone, de, s->rrule);
    if (!rc && s->exdate_day >= 0) {
        fmt_local(ex, sizeof(ex), s->exdate_day, s->start_min);
        rc = waras_buf_printf(b, "EXDATE;TZID=%s:%s\r\n", org_p->zone, ex);
    }
    if (!rc && s->transparent)
        rc = waras_buf_printf(b, "TRANSP:TRANSPARENT\r\n");
    if (!rc)
        rc = waras_buf_printf(b, "ORGANIZER;CN=%s:mailto:%s\r\n", org_p->name, org_p->email);
    for (int i = 0; !rc && i < s->nattendees; i++) {
        const demo_person *a = &o->p[s->attendees[i]];
        const char *ps = declines(o, s, s->attendees[i]) ? "DECLINED" : "ACCEPTED";
        rc = waras_buf_printf(b, "ATTENDEE;CN=%s;PARTSTAT=%s:mailto:%s\r\n", a->name, ps,
                              a->email);
    }
    if (!rc)
        rc = waras_buf_printf(b, "END:VEVENT\r\n");
    if (!rc && s->moved_day >= 0) {
        char rid[32], ns[32], ne[32];
        fmt_local(rid, sizeof(rid), s->moved_day, s->start_min);
        fmt_local(ns, sizeof(ns), s->moved_day + 1, s->start_min + 60);
        fmt_local(ne, sizeof(ne), s->moved_day + 1, s->start_min + 60 + s->minutes);
        rc = waras_buf_printf(b,
                              "BEGIN:VEVENT\r\nUID:%s\r\nDTSTAMP:20260101T000000Z\r\n"
                              "RECURRENCE-ID;TZID=%s:%s\r\nSUMMARY:%s (moved)\r\n"
                              "DTSTART;TZID=%s:%s\r\nDTEND;TZID=%s:%s\r\n"
                              "ORGANIZER;CN=%s:mailto:%s\r\nSEQUENCE:1\r\nEND:VEVENT\r\n",
                              s->uid, org_p->zone, rid, s->summary, org_p->zone, ns, org_p->zone,
                              ne, org_p->name, org_p->email);
    }
    (void)who;
    return rc;
}

/* Public holidays of the demo's sites, from the published lists, for the
 * years the demo's history and plans cover:
 *  - jakarta: the national holidays (hari libur nasional) of the joint
 *    decrees of the Ministers of Religious Affairs, Manpower and
 *    Administrative Reform (SKB 3 Menteri): for 2025 No. 1017/2024, 2/2024,
 *    2/2024; for 2026 No. 1497/2025, 2/2025, 5/2025 (19 September 2025).
 *    Collective leave days (cuti bersama) are leave, not holidays, and are
 *    not listed. For 2027 only the fixed dates and the Christian holidays
 *    (from Easter) are listed: the movable Islamic, Hindu, Buddhist and
 *    Chinese holidays of 2027 are set by the decree for 2027, to be added
 *    here from it.
 *  - berlin: Berlin's Feiertagsgesetz (Gesetz über die Sonn- und Feiertage,
 *    § 1): the nationwide holidays, International Women's Day (8 March),
 *    and the one-off 8 May 2025 (80 years since the end of the war).
 *    Christmas Eve and New Year's Eve are working days in Germany.
 *  - san-francisco: the US federal holidays as the Office of Personnel
 *    Management lists them (opm.gov, "Federal Holidays"), with the observed
 *    weekday when a holiday falls on a weekend. */
static const struct demo_holiday {
    const char *site, *date, *name;
} demo_holidays[] = {
    {"jakarta", "2025-01-01", "Tahun Baru Masehi"},
    {"jakarta", "2025-01-27", "Isra Mikraj Nabi Muhammad SAW"},
    {"jakarta", "2025-01-29", "Tahun Baru Imlek 2576 Kongzili"},
    {"jakarta", "2025-03-29", "Hari Suci Nyepi (Tahun Baru Saka 1947)"},
    {"jakarta", "2025-03-31", "Idul Fitri 1446 H"},
    {"jakarta", "2025-04-01", "Idul Fitri 1446 H"},
    {"jakarta", "2025-04-18", "Wafat Yesus Kristus"},
    {"jakarta", "2025-04-20", "Kebangkitan Yesus Kristus (Paskah)"},
    {"jakarta", "2025-05-01", "Hari Buruh Internasional"},
    {"jakarta", "2025-05-12", "Hari Raya Waisak 2569 BE"},
    {"jakarta", "2025-05-29", "Kenaikan Yesus Kristus"},
    {"jakarta", "2025-06-01", "Hari Lahir Pancasila"},
    {"jakarta", "2025-06-06", "Idul Adha 1446 H"},
    {"jakarta", "2025-06-27", "Tahun Baru Islam 1447 H"},
    {"jakarta", "2025-08-17", "Proklamasi Kemerdekaan"},
    {"jakarta", "2025-09-05", "Maulid Nabi Muhammad SAW"},
    {"jakarta", "2025-12-25", "Kelahiran Yesus Kristus"},
    {"jakarta", "2026-01-01", "Tahun Baru Masehi"},
    {"jakarta", "2026-01-16", "Isra Mikraj Nabi Muhammad SAW"},
    {"jakarta", "2026-02-17", "Tahun Baru Imlek 2577 Kongzili"},
    {"jakarta", "2026-03-19", "Hari Suci Nyepi (Tahun Baru Saka 1948)"},
    {"jakarta", "2026-03-21", "Idul Fitri 1447 H"},
    {"jakarta", "2026-03-22", "Idul Fitri 1447 H"},
    {"jakarta", "2026-04-03", "Wafat Yesus Kristus"},
    {"jakarta", "2026-04-05", "Kebangkitan Yesus Kristus (Paskah)"},
    {"jakarta", "2026-05-01", "Hari Buruh Internasional"},
    {"jakarta", "2026-05-14", "Kenaikan Yesus Kristus"},
    {"jakarta", "2026-05-27", "Idul Adha 1447 H"},
    {"jakarta", "2026-05-31", "Hari Raya Waisak 2570 BE"},
    {"jakarta", "2026-06-01", "Hari Lahir Pancasila"},
    {"jakarta", "2026-06-16", "Tahun Baru Islam 1448 H"},
    {"jakarta", "2026-08-17", "Proklamasi Kemerdekaan"},
    {"jakarta", "2026-08-25", "Maulid Nabi Muhammad SAW"},
    {"jakarta", "2026-12-25", "Kelahiran Yesus Kristus"},
    {"jakarta", "2027-01-01", "Tahun Baru Masehi"},
    {"jakarta", "2027-03-26", "Wafat Yesus Kristus"},
    {"jakarta", "2027-03-28", "Kebangkitan Yesus Kristus (Paskah)"},
    {"jakarta", "2027-05-01", "Hari Buruh Internasional"},
    {"jakarta", "2027-05-06", "Kenaikan Yesus Kristus"},
    {"jakarta", "2027-06-01", "Hari Lahir Pancasila"},
    {"jakarta", "2027-08-17", "Proklamasi Kemerdekaan"},
    {"jakarta", "2027-12-25", "Kelahiran Yesus Kristus"},
    {"berlin", "2025-01-01", "Neujahr"},
    {"berlin", "2025-03-08", "Internationaler Frauentag"},
    {"berlin", "2025-04-18", "Karfreitag"},
    {"berlin", "2025-04-21", "Ostermontag"},
    {"berlin", "2025-05-01", "Tag der Arbeit"},
    {"berlin", "2025-05-08", "80. Jahrestag der Befreiung vom Nationalsozialismus"},
    {"berlin", "2025-05-29", "Christi Himmelfahrt"},
    {"berlin", "2025-06-09", "Pfingstmontag"},
    {"berlin", "2025-10-03", "Tag der Deutschen Einheit"},
    {"berlin", "2025-12-25", "1. Weihnachtstag"},
    {"berlin", "2025-12-26", "2. Weihnachtstag"},
    {"berlin", "2026-01-01", "Neujahr"},
    {"berlin", "2026-03-08", "Internationaler Frauentag"},
    {"berlin", "2026-04-03", "Karfreitag"},
    {"berlin", "2026-04-06", "Ostermontag"},
    {"berlin", "2026-05-01", "Tag der Arbeit"},
    {"berlin", "2026-05-14", "Christi Himmelfahrt"},
    {"berlin", "2026-05-25", "Pfingstmontag"},
    {"berlin", "2026-10-03", "Tag der Deutschen Einheit"},
    {"berlin", "2026-12-25", "1. Weihnachtstag"},
    {"berlin", "2026-12-26", "2. Weihnachtstag"},
    {"berlin", "2027-01-01", "Neujahr"},
    {"berlin", "2027-03-08", "Internationaler Frauentag"},
    {"berlin", "2027-03-26", "Karfreitag"},
    {"berlin", "2027-03-29", "Ostermontag"},
    {"berlin", "2027-05-01", "Tag der Arbeit"},
    {"berlin", "2027-05-06", "Christi Himmelfahrt"},
    {"berlin", "2027-05-17", "Pfingstmontag"},
    {"berlin", "2027-10-03", "Tag der Deutschen Einheit"},
    {"berlin", "2027-12-25", "1. Weihnachtstag"},
    {"berlin", "2027-12-26", "2. Weihnachtstag"},
    {"san-francisco", "2025-01-01", "New Year's Day"},
    {"san-francisco", "2025-01-20", "Birthday of Martin Luther King, Jr."},
    {"san-francisco", "2025-02-17", "Washington's Birthday"},
    {"san-francisco", "2025-05-26", "Memorial Day"},
    {"san-francisco", "2025-06-19", "Juneteenth National Independence Day"},
    {"san-francisco", "2025-07-04", "Independence Day"},
    {"san-francisco", "2025-09-01", "Labor Day"},
    {"san-francisco", "2025-10-13", "Columbus Day"},
    {"san-francisco", "2025-11-11", "Veterans Day"},
    {"san-francisco", "2025-11-27", "Thanksgiving Day"},
    {"san-francisco", "2025-12-25", "Christmas Day"},
    {"san-francisco", "2026-01-01", "New Year's Day"},
    {"san-francisco", "2026-01-19", "Birthday of Martin Luther King, Jr."},
    {"san-francisco", "2026-02-16", "Washington's Birthday"},
    {"san-francisco", "2026-05-25", "Memorial Day"},
    {"san-francisco", "2026-06-19", "Juneteenth National Independence Day"},
    {"san-francisco", "2026-07-03", "Independence Day (observed)"},
    {"san-francisco", "2026-09-07", "Labor Day"},
    {"san-francisco", "2026-10-12", "Columbus Day"},
    {"san-francisco", "2026-11-11", "Veterans Day"},
    {"san-francisco", "2026-11-26", "Thanksgiving Day"},
    {"san-francisco", "2026-12-25", "Christmas Day"},
    {"san-francisco", "2027-01-01", "New Year's Day"},
    {"san-francisco", "2027-01-18", "Birthday of Martin Luther King, Jr."},
    {"san-francisco", "2027-02-15", "Washington's Birthday"},
    {"san-francisco", "2027-05-31", "Memorial Day"},
    {"san-francisco", "2027-06-18", "Juneteenth National Independence Day (observed)"},
    {"san-francisco", "2027-07-05", "Independence Day (observed)"},
    {"san-francisco", "2027-09-06", "Labor Day"},
    {"san-francisco", "2027-10-11", "Columbus Day"},
    {"san-francisco", "2027-11-11", "Veterans Day"},
    {"san-francisco", "2027-11-25", "Thanksgiving Day"},
    {"san-francisco", "2027-12-24", "Christmas Day (observed)"},
    {"san-francisco", "2027-12-31", "New Year's Day 2028 (observed)"},
};

static const char *const holiday_sites[] = {"jakarta", "berlin", "san-francisco"};

/* DIR/holidays-<site>.ics: each site's holidays as all-day events. */
static int write_holidays(waras_demo_summary *out, const char *dir)
{
    waras_buf b;
    int rc = 0;
    waras_buf_init(&b, 0);
    for (size_t k = 0; k < 3 && !rc; k++) {
        waras_buf_reset(&b);
        waras_buf_printf(&b, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//waras//demo "
                             "holidays//EN\r\nX-WR-CALNAME:Public holidays, %s\r\n",
                         holiday_sites[k]);
        for (size_t i = 0; i < sizeof(demo_holidays) / sizeof(demo_holidays[0]); i++) {
            const struct demo_holiday *h = &demo_holidays[i];
            waras_date d;
            char d1[16], d2[16];
            if (strcmp(h->site, holiday_sites[k]) != 0 || waras_date_parse(&d, h->date))
                continue;
            fmt_date(d1, sizeof(d1), waras_time__days(d));
            fmt_date(d2, sizeof(d2), waras_time__days(d) + 1);
            waras_buf_printf(&b, "BEGIN:VEVENT\r\nUID:holiday-%s-%s@lab.example\r\n"
                                 "DTSTAMP:20260101T000000Z\r\nSUMMARY:%s\r\n"
                                 "DTSTART;VALUE=DATE:%s\r\nDTEND;VALUE=DATE:%s\r\n"
                                 "TRANSP:TRANSPARENT\r\nEND:VEVENT\r\n",
                             holiday_sites[k], d1, h->name, d1, d2);
        }
        waras_buf_printf(&b, "END:VCALENDAR\r\n");
        snprintf(out->holidays_ics[k], sizeof(out->holidays_ics[k]), "%s/holidays-%s.ics", dir,
                 holiday_sites[k]);
        waras_strlcpy(out->holidays_site[k], holiday_sites[k], sizeof(out->holidays_site[k]));
        rc = waras_file_write(out->holidays_ics[k], b.ptr, b.len);
        out->nholidays = (int)k + 1;
    }
    waras_buf_free(&b);
    return rc;
}

/* The work the generator gave each person, by local day: timesheet and
 * incident minutes (rows of ndays from the first day of history). */
typedef struct day_work {
    int *timesheet_min, *incident_min;
    unsigned char *at_work; /* a working day of someone who keeps a timesheet: Mon-Fri,
                               not on leave, not sick, not a public holiday of their site */
    int64_t first, ndays;
    int crunch_days; /* days of the planted release crunch in the timesheets */
} day_work;

static int demo_holiday_at(const char *site, int64_t day)
{
    for (size_t i = 0; i < sizeof(demo_holidays) / sizeof(demo_holidays[0]); i++) {
        waras_date d;
        if (strcmp(demo_holidays[i].site, site) == 0 &&
            !waras_date_parse(&d, demo_holidays[i].date) && waras_time__days(d) == day)
            return 1;
    }
    return 0;
}

/* The longest run of active days (a working day at work, or 2 h or more of
 * timesheet and incident work, docs/definitions.md "Active day"; meetings
 * and commits fill a working day without a timesheet row) that reaches into the last four
 * weeks, counted up to its last day there, as the risk counts a streak;
 * *weekend_h gets the incident hours on the weekends inside that run. */
static int streak_into_window(const day_work *dw, int i, double *weekend_h)
{
    int best = 0, run = 0;
    int64_t best_end = -1, w0 = dw->ndays - 28;
    for (int64_t d = 0; d < dw->ndays; d++) {
        int64_t k = (int64_t)i * dw->ndays + d;
        run = dw->at_work[k] || dw->timesheet_min[k] + dw->incident_min[k] >= 120 ? run + 1 : 0;
        if (d >= w0 && run > best) {
            best = run;
            best_end = d;
        }
    }
    *weekend_h = 0;
    for (int64_t d = best_end - best + 1; best && d <= best_end; d++)
        if (waras_time__weekday(dw->first + d) >= 6)
            *weekend_h += dw->incident_min[(int64_t)i * dw->ndays + d] / 60.0;
    return best;
}

/* DIR/PLANTED.md: the planted overloads as a table, one row per person and
 * signal: person | team | signal | why. Besides the planted loads and the
 * training cluster's night pages, the generator's own on-call incidents can
 * overload someone by chance (a pager week whose weekend is spent on
 * incidents joins two working weeks into one streak): such a person is
 * listed too, from the work the generator gave them, with the reason. */
static int write_planted(waras_demo_summary *out, const char *dir, const org *o,
                         const waras_demo_paging_summary *ps, const day_work *dw)
{
    waras_buf b;
    waras_buf_init(&b, 0);
    waras_buf_printf(&b, "# Planted overloads\n\n"
                         "The demo organisation is overloaded on purpose in these places; the load\n"
                         "risk of the last four weeks (`waras risk`) should rate exactly these\n"
                         "people high or critical, each for the signal named. Everything else in\n"
                         "the demo (a short weekend check-in, an evening commit, a late meeting,\n"
                         "the services' daytime pages) is ordinary noise. A row \"by chance\" is\n"
                         "an overload that the generator's own on-call incidents made without a\n"
                         "plan, listed from the work it generated.\n\n"
                         "| person | team | signal | why |\n|---|---|---|---|\n");
    /* The planted loads, for the signals the generated work reaches: two
     * weeks of 55 h of timesheet in the last four make long_weeks high, 11
     * days in a row longest_streak. Leave or a light draw can keep a
     * planted load below both in these four weeks: then it has no row. */
    for (size_t k = 0; k < NPLANTED; k++) {
        int i = planted[k].index, long_n = 0;
        const demo_person *p = &o->p[i];
        for (int64_t w = dw->ndays - 28; w < dw->ndays; w += 7) {
            int min = 0;
            for (int64_t d = w; d < w + 7; d++)
                min += dw->timesheet_min[(int64_t)i * dw->ndays + d];
            long_n += min >= 55 * 60;
        }
        double weekend_h;
        int streak = streak_into_window(dw, i, &weekend_h);
        if (long_n >= 2)
            waras_buf_printf(&b, "| %s | %s | %s | %s |\n", p->id, p->team, planted[k].signal,
                             planted[k].why);
        if (streak >= 11)
            waras_buf_printf(&b, "| %s | %s | longest_streak | %s; worked %d days in a row |\n",
                             p->id, p->team, planted[k].why, streak);
        /* The crunch: four days of 8.5 h rest make short_rest_days high
         * (4 of its 8), unless leave or a missed day cut it short. */
        if (i == planted[2].index && dw->crunch_days >= 4)
            waras_buf_printf(&b, "| %s | %s | short_rest_days | a release crunch three weeks "
                                 "before the end: 07:30-23:00 four days running (8.5 h rest "
                                 "between days) |\n", p->id, p->team);
    }
    /* Night paging: 1.5 interruptions a week in sleep hours is where the
     * sleep_interruptions signal reaches high (docs/definitions.md). */
    for (int i = 0; i < o->n && i < 64; i++) {
        if (ps->night_wakes[i] < 6)
            continue;
        waras_buf_printf(&b, "| %s | %s | sleep_interruptions | woken %d times in sleep hours in "
                             "the last four weeks by %s pages |\n",
                         o->p[i].id, o->p[i].team, ps->night_wakes[i],
                         strcmp(o->p[i].team, "training-infra") == 0
                             ? "the training cluster's night"
                             : "its service's");
    }
    /* A streak of 11 days is where longest_streak (6 to 13 days, weight
     * 0.75) reaches 50 points: high. */
    for (int i = 0; i < o->n && i < 64; i++) {
        int listed = ps->night_wakes[i] >= 6;
        for (size_t k = 0; k < NPLANTED; k++)
            listed |= planted[k].index == i;
        double weekend_h;
        int streak = listed ? 0 : streak_into_window(dw, i, &weekend_h);
        if (streak < 11)
            continue;
        waras_buf_printf(&b, "| %s | %s | longest_streak | by chance: worked %d days in a row, "
                             "%.1f h of them on call answering incidents on the weekend |\n",
                         o->p[i].id, o->p[i].team, streak, weekend_h);
    }
    snprintf(out->planted_md, sizeof(out->planted_md), "%s/PLANTED.md", dir);
    int rc = waras_file_write(out->planted_md, b.ptr, b.len);
    waras_buf_free(&b);
    return rc;
}

int waras_demo_generate(waras_demo_summary *out, const waras_demo_opts *opts)
{
    rng r = {opts->seed ? opts->seed : 42};
    org *o = calloc(1, sizeof(*o));
    series *ser = calloc(128, sizeof(*ser));
    waras_buf b;
    int nser = 0, rc = 0;
    int weeks = opts->weeks > 0 ? opts->weeks : 26;
    int64_t last = waras_time__days(opts->last_sunday);
    int64_t first = last - 7 * weeks + 1; /* a Monday */
    char path[8192];
    day_work dw = {calloc((size_t)(7 * weeks) * MAX_PEOPLE, sizeof(int)),
                   calloc((size_t)(7 * weeks) * MAX_PEOPLE, sizeof(int)),
                   calloc((size_t)(7 * weeks) * MAX_PEOPLE, 1), first, 7L * weeks, 0};
    int64_t sick_day[MAX_PEOPLE];
    waras_buf_init(&b, 0);
    memset(out, 0, sizeof(*out));
    if (!o || !ser || !dw.timesheet_min || !dw.incident_min || !dw.at_work) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    build_org(o, &r);
    if ((rc = ensure_dir(opts->dir)))
        goto cleanup;
    snprintf(out->calendars_dir, sizeof(out->calendars_dir), "%s/calendars", opts->dir);
    if ((rc = ensure_dir(out->calendars_dir)))
        goto cleanup;

    /* people.csv */
    waras_buf_printf(&b, "id,name,email,team,timezone,work_days,work_start,work_end,site,identities\n");
    for (int i = 0; i < o->n; i++) {
        demo_person *p = &o->p[i];
        waras_buf_printf(&b, "%s,%s,%s,%s,%s,Mon-Fri,%02d:%02d,%02d:%02d,%s,git:%s@users.noreply.example\n",
                         p->id, p->name, p->email, p->team, p->zone, p->work_start / 60,
                         p->work_start % 60, p->work_end / 60, p->work_end % 60, p->site, p->id);
    }
    snprintf(out->people_csv, sizeof(out->people_csv), "%s/people.csv", opts->dir);
    if ((rc = waras_file_write(out->people_csv, b.ptr, b.len)))
        goto cleanup;

    /* Meeting series per team. */
    int start = 0;
    for (size_t t = 0; t < sizeof(teams) / sizeof(teams[0]); t++) {
        int lead = start, size = teams[t].size;
        series *s = &ser[nser++];
        snprintf(s->uid, sizeof(s->uid), "standup-%s@lab.example", teams[t].name);
        snprintf(s->summary, sizeof(s->summary), "%s standup", teams[t].name);
        snprintf(s->rrule, sizeof(s->rrule), "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR");
        s->organizer = lead;
        for (int k = 1; k < size; k++)
            s->attendees[s->nattendees++] = start + k;
        s->first_day = first;
        s->start_min = 9 * 60 + 30;
        s->minutes = 15;
        s->exdate_day = first + 7 * rng_int(&r, 2, weeks - 2) + 2;
        s->moved_day = -1;

        s = &ser[nser++];
        snprintf(s->uid, sizeof(s->uid), "sync-%s@lab.example", teams[t].name);
        snprintf(s->summary, sizeof(s->summary), "%s weekly sync", teams[t].name);
        snprintf(s->rrule, sizeof(s->rrule), "FREQ=WEEKLY;BYDAY=WE");
        s->organizer = lead;
        for (int k = 1; k < size; k++)
            s->attendees[s->nattendees++] = start + k;
        s->first_day = first + 2;
        s->start_min = 8 * 60;
        s->minutes = 60;
        s->exdate_day = first + 2 + 7 * rng_int(&r, 1, weeks / 2);
        s->moved_day = first + 2 + 7 * rng_int(&r, weeks / 2 + 1, weeks - 2);

        for (int k = 1; k < size; k++) { /* fortnightly 1:1s */
            s = &ser[nser++];
            snprintf(s->uid, sizeof(s->uid), "1on1-%s-%s@lab.example", o->p[lead].id,
                     o->p[start + k].id);
            snprintf(s->summary, sizeof(s->summary), "1:1 %s / %s", o->p[lead].name,
                     o->p[start + k].name);
            snprintf(s->rrule, sizeof(s->rrule), "FREQ=WEEKLY;INTERVAL=2;BYDAY=%s",
                     (const char *[]){"MO", "TU", "TH", "FR"}[k % 4]);
            s->organizer = lead;
            s->attendees[s->nattendees++] = start + k;
            s->first_day = first + (int64_t)(k % 4 == 0 ? 0 : k % 4 == 1 ? 1 : k % 4 == 2 ? 3 : 4);
            s->start_min = (10 + k % 5) * 60;
            s->minutes = 30;
            s->exdate_day = -1;
            s->moved_day = -1;
        }
        /* Focus blocks for one person per team: free time, not worked time. */
        s = &ser[nser++];
        snprintf(s->uid, sizeof(s->uid), "focus-%s@lab.example", o->p[start + 3].id);
        snprintf(s->summary, sizeof(s->summary), "Focus time");
        snprintf(s->rrule, sizeof(s->rrule), "FREQ=DAILY;BYDAY=TU,TH;COUNT=%d", weeks * 2);
        s->organizer = start + 3;
        s->first_day = first + 1;
        s->start_min = 13 * 60;
        s->minutes = 120;
        s->exdate_day = -1;
        s->moved_day = -1;
        s->transparent = 1;
        start += size;
    }
    /* Cross-team meetings: the training/inference interface and a monthly all-hands. */
    series *x = &ser[nser++];
    snprintf(x->uid, sizeof(x->uid), "interface-train-infer@lab.example");
    snprintf(x->summary, sizeof(x->summary), "Training / inference interface review");
    snprintf(x->rrule, sizeof(x->rrule), "FREQ=WEEKLY;BYDAY=TH;UNTIL=%04dZ", 0);
    {
        char until[32];
        fmt_date(until, sizeof(until), last);
        snprintf(x->rrule, sizeof(x->rrule), "FREQ=WEEKLY;BYDAY=TH;UNTIL=%sT235959Z", until);
    }
    x->organizer = 0;
    int xs[] = {1, 2, 9, 10, 11};
    for (size_t i = 0; i < sizeof(xs) / sizeof(xs[0]); i++)
        x->attendees[x->nattendees++] = xs[i];
    x->first_day = first + 3;
    x->start_min = 7 * 60;
    x->minutes = 60;
    x->exdate_day = -1;
    x->moved_day = -1;
    x = &ser[nser++];
    snprintf(x->uid, sizeof(x->uid), "all-hands@lab.example");
    snprintf(x->summary, sizeof(x->summary), "All hands");
    snprintf(x->rrule, sizeof(x->rrule), "FREQ=MONTHLY;BYDAY=1TH");
    x->organizer = 18;
    for (int i = 0; i < o->n; i++)
        if (i != 18)
            x->attendees[x->nattendees++] = i;
    x->first_day = first + 3;
    x->start_min = 8 * 60 + 30;
    x->minutes = 60;
    x->exdate_day = -1;
    x->moved_day = -1;

    /* One calendar per person with every series they are in. */
    for (int i = 0; i < o->n; i++) {
        waras_buf_reset(&b);
        waras_buf_printf(&b, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//waras//demo//EN\r\n"
                             "CALSCALE:GREGORIAN\r\nX-WR-CALNAME:%s\r\nX-WR-TIMEZONE:%s\r\n",
                         o->p[i].name, o->p[i].zone);
        for (int k = 0; k < nser; k++)
            if (in_series(&ser[k], i) && (rc = write_series(&b, o, &ser[k], i)))
                goto cleanup;
        /* One-off incident reviews for the heavy carriers, some late in the evening. */
        if (o->p[i].load) {
            for (int w = 0; w < weeks; w += 3) {
                char ds[32], de[32];
                int64_t day = first + 7 * w + rng_int(&r, 0, 4);
                int sm = (19 + rng_int(&r, 0, 2)) * 60;
                fmt_local(ds, sizeof(ds), day, sm);
                fmt_local(de, sizeof(de), day, sm + 60);
                waras_buf_printf(&b,
                                 "BEGIN:VEVENT\r\nUID:review-%s-%d@lab.example\r\n"
                                 "DTSTAMP:20260101T000000Z\r\nSUMMARY:Incident review\r\n"
                                 "DTSTART;TZID=%s:%s\r\nDTEND;TZID=%s:%s\r\n"
                                 "ORGANIZER:mailto:%s\r\nEND:VEVENT\r\n",
                                 o->p[i].id, w, o->p[i].zone, ds, o->p[i].zone, de, o->p[i].email);
            }
        }
        waras_buf_printf(&b, "END:VCALENDAR\r\n");
        snprintf(path, sizeof(path), "%s/%s.ics", out->calendars_dir, o->p[i].id);
        if ((rc = waras_file_write(path, b.ptr, b.len)))
            goto cleanup;
        out->calendars++;
    }

    /* Leave: a one- or two-week holiday for most, and some sick days. The
     * research team keeps its leave in a shared calendar instead. */
    int64_t leave_start[MAX_PEOPLE];
    int leave_len[MAX_PEOPLE] = {0};
    for (int i = 0; i < o->n; i++) {
        leave_start[i] = -1;
        sick_day[i] = -1;
        if (o->p[i].load == 2 || rng_unit(&r) < 0.3)
            continue; /* the most overloaded person has had no break */
        leave_start[i] = first + 7 * rng_int(&r, 2, weeks - 3);
        leave_len[i] = rng_unit(&r) < 0.5 ? 5 : 12;
    }
    waras_buf_reset(&b);
    waras_buf_printf(&b, "person,start,end,type\n");
    for (int i = 0; i < o->n; i++) {
        if (strcmp(o->p[i].team, "research") == 0 || leave_start[i] < 0)
            continue;
        char s1[16], s2[16];
        waras_date_format(s1, sizeof(s1), waras_time__date(leave_start[i]));
        waras_date_format(s2, sizeof(s2), waras_time__date(leave_start[i] + leave_len[i] - 1));
        waras_buf_printf(&b, "%s,%s,%s,vacation\n", o->p[i].id, s1, s2);
        out->leave_rows++;
        if (rng_unit(&r) < 0.4) {
            int64_t sick = first + rng_int(&r, 0, weeks * 7 - 1);
            sick_day[i] = sick;
            waras_date_format(s1, sizeof(s1), waras_time__date(sick));
            waras_buf_printf(&b, "%s,%s,%s,sick\n", o->p[i].email, s1, s1);
            out->leave_rows++;
        }
    }
    snprintf(out->leave_csv, sizeof(out->leave_csv), "%s/leave.csv", opts->dir);
    rc = waras_file_write(out->leave_csv, b.ptr, b.len);
    waras_buf_reset(&b);
    waras_buf_printf(&b, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//waras//demo leave//EN\r\n");
    for (int i = 0; !rc && i < o->n; i++) {
        if (strcmp(o->p[i].team, "research") != 0 || leave_start[i] < 0)
            continue;
        char s1[16], s2[16];
        fmt_date(s1, sizeof(s1), leave_start[i]);
        fmt_date(s2, sizeof(s2), leave_start[i] + leave_len[i]);
        waras_buf_printf(&b,
                         "BEGIN:VEVENT\r\nUID:leave-%s-%s@lab.example\r\nDTSTAMP:20260101T000000Z\r\n"
                         "SUMMARY:%s away\r\nDTSTART;VALUE=DATE:%s\r\nDTEND;VALUE=DATE:%s\r\n"
                         "TRANSP:TRANSPARENT\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:%s\r\n"
                         "END:VEVENT\r\n",
                         o->p[i].id, s1, o->p[i].name, s1, s2, o->p[i].email);
        out->leave_rows++;
    }
    waras_buf_printf(&b, "END:VCALENDAR\r\n");
    snprintf(out->leave_ics, sizeof(out->leave_ics), "%s/leave-research.ics", opts->dir);
    if (!rc)
        rc = waras_file_write(out->leave_ics, b.ptr, b.len);

    /* Timesheets: start near the usual hour; heavy carriers stay late and
     * work weekends. Nobody logs time on leave. */
    waras_buf_reset(&b);
    waras_buf_printf(&b, "person,date,start,end,project\n");
    for (int i = 0; !rc && i < o->n; i++) {
        demo_person *p = &o->p[i];
        if (!p->has_timesheet)
            continue;
        for (int64_t day = first; day <= last; day++) {
            int wd = waras_time__weekday(day);
            if (leave_start[i] >= 0 && day >= leave_start[i] && day < leave_start[i] + leave_len[i])
                continue;
            dw.at_work[(int64_t)i * dw.ndays + (day - first)] =
                wd < 6 && day != sick_day[i] && !demo_holiday_at(p->site, day);
            int weekend = wd >= 6;
            double p_work = weekend ? (p->load == 2 ? 0.8 : p->load == 1 ? 0.45 : 0.05) : 0.97;
            if (rng_unit(&r) > p_work)
                continue;
            int sm = p->work_start + rng_int(&r, -30, 45);
            /* Weekend work: real days for the heavy carriers, the odd short
             * check-in for everyone else (noise that must not flag anyone). */
            int len = weekend ? (p->load ? rng_int(&r, 180, 420) : rng_int(&r, 30, 90))
                              : (p->load == 2   ? rng_int(&r, 600, 780)
                                 : p->load == 1 ? rng_int(&r, 540, 690)
                                                : rng_int(&r, 450, 560));
            int em = sm + len;
            /* A planted release crunch: the second inference engineer works
             * 07:30-23:00 four days running, leaving 8.5 h of rest between
             * days (EU WTD art. 3 asks for 11). */
            if (i == planted[2].index && day >= last - 20 && day <= last - 17) {
                sm = 7 * 60 + 30;
                em = 23 * 60;
                dw.crunch_days++;
            }
            if (em >= 24 * 60)
                em = 24 * 60 - 1;
            char ds[16];
            waras_date_format(ds, sizeof(ds), waras_time__date(day));
            waras_buf_printf(&b, "%s,%s,%02d:%02d,%02d:%02d,%s\n", p->id, ds, sm / 60, sm % 60,
                             em / 60, em % 60, p->team);
            dw.timesheet_min[(int64_t)i * dw.ndays + (day - first)] += em - sm;
            out->timesheet_rows++;
        }
    }
    snprintf(out->timesheet_csv, sizeof(out->timesheet_csv), "%s/timesheets.csv", opts->dir);
    if (!rc)
        rc = waras_file_write(out->timesheet_csv, b.ptr, b.len);
    /* The org's repository: commits at each author's local hours. */
    if (!rc) {
        waras_demo_git_author ga[MAX_PEOPLE];
        char gm[MAX_PEOPLE][96];
        waras_demo_git_summary gs = {0};
        for (int i = 0; i < o->n; i++) {
            snprintf(gm[i], sizeof(gm[i]), "%s@users.noreply.example", o->p[i].id);
            ga[i] = (waras_demo_git_author){.id = o->p[i].id,
                                            .name = o->p[i].name,
                                            .email = gm[i],
                                            .zone = o->p[i].zone,
                                            .work_start = o->p[i].work_start,
                                            .load = o->p[i].load,
                                            .away_first = leave_start[i],
                                            .away_last = leave_start[i] < 0
                                                             ? -2
                                                             : leave_start[i] + leave_len[i] - 1};
        }
        snprintf(out->repo, sizeof(out->repo), "%s/repo", opts->dir);
        rc = waras_demo_write_git(out->repo, ga, (size_t)o->n, r.s ^ 0x6769, first, last, &gs);
        out->commits = gs.commits;
    }
    /* Paging: night-heavy training-cluster alerts and on-call schedules. */
    if (!rc) {
        waras_demo_pager pg[MAX_PEOPLE];
        waras_demo_paging_summary ps;
        for (int i = 0; i < o->n; i++)
            pg[i] = (waras_demo_pager){.id = o->p[i].id,
                                       .name = o->p[i].name,
                                       .email = o->p[i].email,
                                       .team = o->p[i].team,
                                       .zone = o->p[i].zone,
                                       .load = o->p[i].load,
                                       .away_first = leave_start[i],
                                       .away_last = leave_start[i] < 0
                                                        ? -2
                                                        : leave_start[i] + leave_len[i] - 1};
        waras_demo_paging_opts po = {opts->dir, r.s ^ 0x7064, first, last, pg, (size_t)o->n,
                                     dw.incident_min};
        rc = waras_demo_paging_generate(&po, &ps);
        if (!rc) {
            snprintf(out->pd_log_entries, sizeof(out->pd_log_entries), "%s", ps.log_entries_json);
            snprintf(out->pd_incidents, sizeof(out->pd_incidents), "%s", ps.incidents_json);
            out->npd_schedules = ps.nschedules;
            for (int k = 0; k < ps.nschedules && k < 3; k++)
                snprintf(out->pd_schedules[k], sizeof(out->pd_schedules[k]), "%s",
                         ps.schedules[k]);
            snprintf(out->oncall_ics, sizeof(out->oncall_ics), "%s", ps.oncall_ics);
            out->incidents = ps.incidents;
            out->notifications = ps.notifications;
            out->shifts = ps.shifts;
        }
        if (!rc)
            rc = write_planted(out, opts->dir, o, &ps, &dw);
        if (!rc)
            rc = write_holidays(out, opts->dir);
    }
    /* Milestones: a launch that just ended (recovery leave follows it) and
     * coming deadlines that a quiet week must avoid. */
    if (!rc) {
        static const struct {
            const char *uid, *summary, *team;
            int offset; /* days from the last day of history */
        } ms[] = {
            {"launch-inference-v2", "Inference v2 launch", "inference", -2},
            {"kickoff-training-run-7", "Training run 7 kickoff", "training-infra", 23},
            {"deadline-research-paper", "Paper submission deadline", "research", 39},
            {"release-model-q1", "Model release", NULL, 60},
        };
        waras_buf_reset(&b);
        waras_buf_printf(&b, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//waras//demo milestones//EN\r\n");
        for (size_t k = 0; k < sizeof(ms) / sizeof(ms[0]); k++) {
            char d1[16], d2[16];
            fmt_date(d1, sizeof(d1), last + ms[k].offset);
            fmt_date(d2, sizeof(d2), last + ms[k].offset + 1);
            waras_buf_printf(&b, "BEGIN:VEVENT\r\nUID:%s@lab.example\r\nDTSTAMP:20260101T000000Z\r\n"
                                 "SUMMARY:%s\r\nDTSTART;VALUE=DATE:%s\r\nDTEND;VALUE=DATE:%s\r\n"
                                 "TRANSP:TRANSPARENT\r\n",
                             ms[k].uid, ms[k].summary, d1, d2);
            for (int i = 0; i < o->n; i++)
                if (!ms[k].team || strcmp(o->p[i].team, ms[k].team) == 0)
                    waras_buf_printf(&b, "ATTENDEE;PARTSTAT=ACCEPTED:mailto:%s\r\n", o->p[i].email);
            waras_buf_printf(&b, "END:VEVENT\r\n");
        }
        waras_buf_printf(&b, "END:VCALENDAR\r\n");
        snprintf(out->milestones_ics, sizeof(out->milestones_ics), "%s/milestones.ics", opts->dir);
        rc = waras_file_write(out->milestones_ics, b.ptr, b.len);
        out->launch_day = waras_time__date(last - 2);
    }
    out->teams = (int)(sizeof(teams) / sizeof(teams[0]));
    out->people = o->n;
    out->zones = 4;
cleanup:
    waras_buf_free(&b);
    free(ser);
    free(o);
    free(dw.timesheet_min);
    free(dw.incident_min);
    free(dw.at_work);
    return rc;
}
