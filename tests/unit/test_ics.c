/*
 * Unit tests for the iCalendar module: every recurrence example of RFC 5545
 * section 3.8.5.3 as a test vector (expected occurrences written from the
 * RFC's text), DST in Berlin, Los Angeles and Jakarta, overrides with and
 * without THISANDFUTURE, RDATE periods, EXDATE, cancellations,
 * X-WR-TIMEZONE, default lengths, zone fallbacks and malformed input; and
 * the reading of real exports: superseded copies, skipped components with
 * their warnings, repaired recurrence values, UNTIL of another type, stale
 * and cancelled overrides, and time zone rules.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "waras/error.h"
#include "waras/ics.h"
#include "waras/time.h"
#include "time/days.h"

#define MAX_LINES 2048

typedef struct got {
    char *lines[MAX_LINES];
    int n;
    const waras_tz *local; /* when set, zoned starts are shown in this zone */
} got;

static void fmt_value(char *buf, size_t size, waras_ics_value_kind kind, waras_instant t,
                      const waras_tz *local)
{
    waras_civil c;
    if (kind == WARAS_ICS_ZONED && local)
        waras_tz_to_local(&c, local, t);
    else
        waras_epoch_to_civil(&c, t);
    if (kind == WARAS_ICS_DATE)
        snprintf(buf, size, "%04d%02d%02d", c.year, c.month, c.day);
    else if (local && kind == WARAS_ICS_ZONED)
        snprintf(buf, size, "%04d%02d%02dT%02d%02d", c.year, c.month, c.day, c.hour, c.minute);
    else
        snprintf(buf, size, "%04d%02d%02dT%02d%02d%02d%s", c.year, c.month, c.day, c.hour, c.minute,
                 c.second, kind == WARAS_ICS_ZONED ? "Z" : "");
}

static int collect(void *ctx, const waras_ics_occurrence *o)
{
    got *g = ctx;
    char s[32], e[32], line[256];
    assert_true(g->n < MAX_LINES);
    fmt_value(s, sizeof(s), o->kind, o->start, g->local);
    fmt_value(e, sizeof(e), o->kind, o->end, g->local);
    if (g->local)
        snprintf(line, sizeof(line), "%s", s);
    else
        snprintf(line, sizeof(line), "%s %s %s", o->uid, s, e);
    g->lines[g->n++] = strdup(line);
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Expands text over [from, to) and returns the sorted lines joined by
 * sep; the caller frees. */
static char *expand_with(const char *text, const char *from, const char *to, const char *zone,
                         const char *sep)
{
    waras_ics_calendar *cal = NULL;
    got g = {0};
    waras_date fdate, tdate;
    if (zone)
        assert_int_equal(waras_tz_get(&g.local, zone), 0);
    assert_int_equal(waras_date_parse(&fdate, from), 0);
    assert_int_equal(waras_date_parse(&tdate, to), 0);
    int rc = waras_ics_parse(&cal, text, strlen(text), "test.ics");
    if (rc) {
        char msg[2048];
        waras_error_format(msg, sizeof(msg));
        fail_msg("parse failed: %s", msg);
    }
    rc = waras_ics_expand(cal, fdate, tdate, collect, &g);
    if (rc) {
        char msg[2048];
        waras_error_format(msg, sizeof(msg));
        fail_msg("expand failed: %s", msg);
    }
    waras_ics_free(cal);
    qsort(g.lines, (size_t)g.n, sizeof(g.lines[0]), cmp_str);
    size_t len = 1;
    for (int i = 0; i < g.n; i++)
        len += strlen(g.lines[i]) + strlen(sep);
    char *out = calloc(1, len);
    size_t at = 0;
    for (int i = 0; i < g.n; i++) {
        at += (size_t)snprintf(out + at, len - at, "%s%s", g.lines[i], sep);
        free(g.lines[i]);
    }
    return out;
}

static void check(const char *text, const char *from, const char *to, const char *want)
{
    char *have = expand_with(text, from, to, NULL, "\n");
    assert_string_equal(have, want);
    free(have);
}

#define CAL(body)                                                                                  \
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" body "END:VCALENDAR\r\n"

/* --- RFC 5545 3.8.5.3 ---------------------------------------------------
 * Each example starts at 09:00 in America/New_York on the RFC's DTSTART
 * date. Expected values are New York wall clock starts ("YYYYMMDDTHHMM"),
 * written as a list where "A-B" is every day from A to B and a bare date
 * means 09:00. */

static void expand_spec(char *out, size_t size, const char *spec)
{
    char buf[4096];
    snprintf(buf, sizeof(buf), "%s", spec);
    out[0] = '\0';
    for (char *item = buf, *next; item && *item; item = next) {
        char one[32];
        next = strchr(item, ',');
        if (next)
            *next++ = '\0';
        if (strchr(item, 'T')) {
            snprintf(one, sizeof(one), "%.20s,", item);
            strncat(out, one, size - strlen(out) - 1);
        } else if (strchr(item, '-')) {
            long a = strtol(item, NULL, 10), b = strtol(strchr(item, '-') + 1, NULL, 10);
            int64_t da =
                waras_time__days_from_civil((int)(a / 10000), (int)(a / 100 % 100), (int)(a % 100));
            int64_t db =
                waras_time__days_from_civil((int)(b / 10000), (int)(b / 100 % 100), (int)(b % 100));
            for (int64_t d = da; d <= db; d++) {
                int y, m, dd;
                waras_time__civil_from_days(&y, &m, &dd, d);
                snprintf(one, sizeof(one), "%04d%02d%02dT0900,", y, m, dd);
                strncat(out, one, size - strlen(out) - 1);
            }
        } else {
            snprintf(one, sizeof(one), "%.8sT0900,", item);
            strncat(out, one, size - strlen(out) - 1);
        }
    }
}

static void rfc(const char *dtstart, const char *extra, const char *from, const char *to,
                const char *spec)
{
    char text[2048], want[16384];
    snprintf(text, sizeof(text),
             CAL("BEGIN:VEVENT\r\nUID:rfc\r\nDTSTART;TZID=America/New_York:%sT090000\r\n"
                 "%s\r\nEND:VEVENT\r\n"),
             dtstart, extra);
    expand_spec(want, sizeof(want), spec);
    char *have = expand_with(text, from, to, "America/New_York", ",");
    assert_string_equal(have, want);
    free(have);
}

/* One example of RFC 5545 section 3.8.5.3, as rfc() takes it. */
typedef struct rfc_case {
    const char *dtstart, *extra, *from, *to, *spec;
} rfc_case;

static void rfc_all(const rfc_case *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        rfc(c[i].dtstart, c[i].extra, c[i].from, c[i].to, c[i].spec);
}

static void test_ics__rfc_daily(void **state)
{
    static const rfc_case cases[] = {
        /* Daily for 10 occurrences. */
        {"19970902", "RRULE:FREQ=DAILY;COUNT=10", "1997-01-01", "1999-01-01", "19970902-19970911"},
        /* Daily until December 24, 1997. */
        {"19970902", "RRULE:FREQ=DAILY;UNTIL=19971224T000000Z", "1997-01-01", "1999-01-01",
         "19970902-19971223"},
        /* Every other day - forever. */
        {"19970902", "RRULE:FREQ=DAILY;INTERVAL=2", "1997-09-01", "1997-10-01",
         "19970902,19970904,19970906,19970908,19970910,19970912,19970914,19970916,19970918,"
         "19970920,19970922,19970924,19970926,19970928,19970930"},
        /* Every 10 days, 5 occurrences. */
        {"19970902", "RRULE:FREQ=DAILY;INTERVAL=10;COUNT=5", "1997-01-01", "1999-01-01",
         "19970902,19970912,19970922,19971002,19971012"},
        /* Every day in January, for 3 years (both forms). */
        {"19980101",
         "RRULE:FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA",
         "1997-01-01", "2002-01-01", "19980101-19980131,19990101-19990131,20000101-20000131"},
        {"19980101", "RRULE:FREQ=DAILY;UNTIL=20000131T140000Z;BYMONTH=1", "1997-01-01",
         "2002-01-01", "19980101-19980131,19990101-19990131,20000101-20000131"},
    };
    rfc_all(cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_ics__rfc_weekly(void **state)
{
    static const rfc_case cases[] = {
        /* Weekly for 10 occurrences. */
        {"19970902", "RRULE:FREQ=WEEKLY;COUNT=10", "1997-01-01", "1999-01-01",
         "19970902,19970909,19970916,19970923,19970930,19971007,19971014,19971021,19971028,"
         "19971104"},
        /* Weekly until December 24, 1997. */
        {"19970902", "RRULE:FREQ=WEEKLY;UNTIL=19971224T000000Z", "1997-01-01", "1999-01-01",
         "19970902,19970909,19970916,19970923,19970930,19971007,19971014,19971021,19971028,"
         "19971104,19971111,19971118,19971125,19971202,19971209,19971216,19971223"},
        /* Every other week - forever. */
        {"19970902", "RRULE:FREQ=WEEKLY;INTERVAL=2;WKST=SU", "1997-09-01", "1998-02-18",
         "19970902,19970916,19970930,19971014,19971028,19971111,19971125,19971209,19971223,"
         "19980106,19980120,19980203,19980217"},
    };
    rfc_all(cases, sizeof(cases) / sizeof(cases[0]));
    /* Weekly on Tuesday and Thursday for five weeks (both forms). */
    const char *tuth = "19970902,19970904,19970909,19970911,19970916,19970918,19970923,19970925,"
                       "19970930,19971002";
    const rfc_case cases_2[] = {
        {"19970902", "RRULE:FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH", "1997-01-01",
         "1999-01-01", tuth},
        {"19970902", "RRULE:FREQ=WEEKLY;COUNT=10;WKST=SU;BYDAY=TU,TH", "1997-01-01", "1999-01-01",
         tuth},
        /* Every other week on Monday, Wednesday, and Friday until December 24,
         * 1997, starting on Monday, September 1, 1997. */
        {"19970901", "RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR",
         "1997-01-01", "1999-01-01",
         "19970901,19970903,19970905,19970915,19970917,19970919,19970929,19971001,19971003,"
         "19971013,19971015,19971017,19971027,19971029,19971031,19971110,19971112,19971114,"
         "19971124,19971126,19971128,19971208,19971210,19971212,19971222"},
        /* Every other week on Tuesday and Thursday, for 8 occurrences. */
        {"19970902", "RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH", "1997-01-01",
         "1999-01-01", "19970902,19970904,19970916,19970918,19970930,19971002,19971014,19971016"},
        /* WKST changes the result: MO first, then SU. */
        {"19970805", "RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO", "1997-01-01",
         "1999-01-01", "19970805,19970810,19970819,19970824"},
        {"19970805", "RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU", "1997-01-01",
         "1999-01-01", "19970805,19970817,19970819,19970831"},
    };
    rfc_all(cases_2, sizeof(cases_2) / sizeof(cases_2[0]));
}

static void test_ics__rfc_monthly(void **state)
{
    static const rfc_case cases[] = {
        /* Monthly on the first Friday for 10 occurrences. */
        {"19970905", "RRULE:FREQ=MONTHLY;COUNT=10;BYDAY=1FR", "1997-01-01", "1999-01-01",
         "19970905,19971003,19971107,19971205,19980102,19980206,19980306,19980403,19980501,"
         "19980605"},
        /* Monthly on the first Friday until December 24, 1997. */
        {"19970905", "RRULE:FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR", "1997-01-01",
         "1999-01-01", "19970905,19971003,19971107,19971205"},
        /* Every other month on the first and last Sunday, 10 occurrences. */
        {"19970907", "RRULE:FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU", "1997-01-01",
         "1999-01-01",
         "19970907,19970928,19971102,19971130,19980104,19980125,19980301,19980329,19980503,"
         "19980531"},
        /* Monthly on the second-to-last Monday of the month for 6 months. */
        {"19970922", "RRULE:FREQ=MONTHLY;COUNT=6;BYDAY=-2MO", "1997-01-01", "1999-01-01",
         "19970922,19971020,19971117,19971222,19980119,19980216"},
        /* Monthly on the third-to-the-last day of the month, forever. */
        {"19970928", "RRULE:FREQ=MONTHLY;BYMONTHDAY=-3", "1997-09-01", "1998-03-01",
         "19970928,19971029,19971128,19971229,19980129,19980226"},
        /* Monthly on the 2nd and 15th of the month for 10 occurrences. */
        {"19970902", "RRULE:FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15", "1997-01-01", "1999-01-01",
         "19970902,19970915,19971002,19971015,19971102,19971115,19971202,19971215,19980102,"
         "19980115"},
        /* Monthly on the first and last day of the month for 10 occurrences. */
        {"19970930", "RRULE:FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1", "1997-01-01", "1999-01-01",
         "19970930,19971001,19971031,19971101,19971130,19971201,19971231,19980101,19980131,"
         "19980201"},
        /* Every 18 months on the 10th thru 15th of the month, 10 occurrences. */
        {"19970910", "RRULE:FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15",
         "1997-01-01", "2001-01-01", "19970910-19970915,19990310-19990313"},
        /* Every Tuesday, every other month. */
        {"19970902", "RRULE:FREQ=MONTHLY;INTERVAL=2;BYDAY=TU", "1997-09-01", "1998-04-01",
         "19970902,19970909,19970916,19970923,19970930,19971104,19971111,19971118,19971125,"
         "19980106,19980113,19980120,19980127,19980303,19980310,19980317,19980324,19980331"},
        /* Every Friday the 13th, forever (DTSTART excluded by EXDATE). */
        {"19970902",
         "EXDATE;TZID=America/New_York:19970902T090000\r\n"
         "RRULE:FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13",
         "1997-01-01", "2001-01-01", "19980213,19980313,19981113,19990813,20001013"},
        /* The first Saturday that follows the first Sunday of the month. */
        {"19970913", "RRULE:FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13", "1997-09-01",
         "1998-07-01",
         "19970913,19971011,19971108,19971213,19980110,19980207,19980307,19980411,19980509,"
         "19980613"},
        /* The third instance of one of Tuesday, Wednesday or Thursday, for
         * the next 3 months. */
        {"19970904", "RRULE:FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3", "1997-01-01",
         "1999-01-01", "19970904,19971007,19971106"},
        /* The second-to-last weekday of the month. */
        {"19970929", "RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2", "1997-09-01",
         "1998-04-01", "19970929,19971030,19971127,19971230,19980129,19980226,19980330"},
    };
    rfc_all(cases, sizeof(cases) / sizeof(cases[0]));
    /* An invalid date (February 30) is ignored. */
    char text[512];
    snprintf(text, sizeof(text), "%s",
             CAL("BEGIN:VEVENT\r\nUID:rfc\r\nDTSTART;TZID=America/New_York:20070115T090000\r\n"
                 "RRULE:FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5\r\nEND:VEVENT\r\n"));
    char *have = expand_with(text, "2007-01-01", "2008-01-01", "America/New_York", ",");
    assert_string_equal(have, "20070115T0900,20070130T0900,20070215T0900,20070315T0900,"
                              "20070330T0900,");
    free(have);
}

static void test_ics__rfc_yearly(void **state)
{
    static const rfc_case cases[] = {
        /* Yearly in June and July for 10 occurrences. */
        {"19970610", "RRULE:FREQ=YEARLY;COUNT=10;BYMONTH=6,7", "1997-01-01", "2003-01-01",
         "19970610,19970710,19980610,19980710,19990610,19990710,20000610,20000710,20010610,"
         "20010710"},
        /* Every other year on January, February, and March, 10 occurrences. */
        {"19970310", "RRULE:FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3", "1997-01-01",
         "2005-01-01",
         "19970310,19990110,19990210,19990310,20010110,20010210,20010310,20030110,20030210,"
         "20030310"},
        /* Every third year on the 1st, 100th, and 200th day, 10 occurrences. */
        {"19970101", "RRULE:FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200", "1997-01-01",
         "2008-01-01",
         "19970101,19970410,19970719,20000101,20000409,20000718,20030101,20030410,20030719,"
         "20060101"},
        /* Every 20th Monday of the year, forever. */
        {"19970519", "RRULE:FREQ=YEARLY;BYDAY=20MO", "1997-01-01", "2000-01-01",
         "19970519,19980518,19990517"},
        /* Monday of week number 20, forever. */
        {"19970512", "RRULE:FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", "1997-01-01", "2000-01-01",
         "19970512,19980511,19990517"},
        /* Every Thursday in March, forever. */
        {"19970313", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=TH", "1997-01-01", "2000-01-01",
         "19970313,19970320,19970327,19980305,19980312,19980319,19980326,19990304,19990311,"
         "19990318,19990325"},
        /* Every Thursday, but only during June, July, and August, forever. */
        {"19970605", "RRULE:FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8", "1997-01-01", "2000-01-01",
         "19970605,19970612,19970619,19970626,19970703,19970710,19970717,19970724,19970731,"
         "19970807,19970814,19970821,19970828,"
         "19980604,19980611,19980618,19980625,19980702,19980709,19980716,19980723,19980730,"
         "19980806,19980813,19980820,19980827,"
         "19990603,19990610,19990617,19990624,19990701,19990708,19990715,19990722,19990729,"
         "19990805,19990812,19990819,19990826"},
        /* Every 4 years, the first Tuesday after a Monday in November. */
        {"19961105", "RRULE:FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8",
         "1996-01-01", "2005-01-01", "19961105,20001107,20041102"},
    };
    rfc_all(cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_ics__rfc_hourly_minutely(void **state)
{
    static const rfc_case cases[] = {
        /* Every 3 hours from 9:00 AM to 5:00 PM on a specific day. The RFC
         * lists 09:00, 12:00 and 15:00, but its UNTIL=19970902T170000Z is
         * 13:00 EDT; taken as written (UTC, RFC 5545 3.3.10), 15:00 is past
         * it. */
        {"19970902", "RRULE:FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T170000Z", "1997-01-01",
         "1999-01-01", "19970902T0900,19970902T1200"},
        /* With UNTIL at 17:00 New York time, all three of the RFC's list. */
        {"19970902", "RRULE:FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T210000Z", "1997-01-01",
         "1999-01-01", "19970902T0900,19970902T1200,19970902T1500"},
        /* Every 15 minutes for 6 occurrences. */
        {"19970902", "RRULE:FREQ=MINUTELY;INTERVAL=15;COUNT=6", "1997-01-01", "1999-01-01",
         "19970902T0900,19970902T0915,19970902T0930,19970902T0945,19970902T1000,19970902T1015"},
        /* Every hour and a half for 4 occurrences. */
        {"19970902", "RRULE:FREQ=MINUTELY;INTERVAL=90;COUNT=4", "1997-01-01", "1999-01-01",
         "19970902T0900,19970902T1030,19970902T1200,19970902T1330"},
    };
    rfc_all(cases, sizeof(cases) / sizeof(cases[0]));
    /* Every 20 minutes from 9:00 AM to 4:40 PM every day (both forms),
     * over two days. */
    char spec[4096] = "";
    for (int d = 2; d <= 3; d++)
        for (int h = 9; h <= 16; h++)
            for (int m = 0; m < 60; m += 20) {
                char one[32];
                snprintf(one, sizeof(one), "199709%02dT%02d%02d,", d, h, m);
                strncat(spec, one, sizeof(spec) - strlen(spec) - 1);
            }
    spec[strlen(spec) - 1] = '\0';
    const rfc_case cases_2[] = {
        {"19970902", "RRULE:FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40",
         "1997-09-02", "1997-09-04", spec},
        {"19970902", "RRULE:FREQ=MINUTELY;INTERVAL=20;BYHOUR=9,10,11,12,13,14,15,16", "1997-09-02",
         "1997-09-04", spec},
    };
    rfc_all(cases_2, sizeof(cases_2) / sizeof(cases_2[0]));
}

/* --- DST ------------------------------------------------------------ */

static void test_ics__dst_berlin(void **state)
{
    /* 10:00 local is 09:00Z in winter and 08:00Z from 2026-03-29. A daily
     * 02:30 does not exist on 2026-03-29 (read with the offset before the
     * gap: 01:30Z) and happens twice on 2026-10-25 (the first: 00:30Z). */
    check(CAL("BEGIN:VEVENT\r\nUID:w\r\nDTSTART;TZID=Europe/Berlin:20260323T100000\r\n"
              "DTEND;TZID=Europe/Berlin:20260323T110000\r\nRRULE:FREQ=WEEKLY;COUNT=2\r\n"
              "END:VEVENT\r\n"
              "BEGIN:VEVENT\r\nUID:n\r\nDTSTART;TZID=Europe/Berlin:20260328T023000\r\n"
              "DURATION:PT1H\r\nRRULE:FREQ=DAILY;COUNT=2\r\nEND:VEVENT\r\n"
              "BEGIN:VEVENT\r\nUID:o\r\nDTSTART;TZID=Europe/Berlin:20261025T023000\r\n"
              "DURATION:PT1H\r\nEND:VEVENT\r\n"),
          "2026-03-01", "2026-11-01",
          "n 20260328T013000Z 20260328T023000Z\n"
          "n 20260329T013000Z 20260329T023000Z\n"
          "o 20261025T003000Z 20261025T013000Z\n"
          "w 20260323T090000Z 20260323T100000Z\n"
          "w 20260330T080000Z 20260330T090000Z\n");
}

static void test_ics__dst_los_angeles(void **state)
{
    /* 09:00 PST is 17:00Z, 09:00 PDT (from 2026-03-08) 16:00Z; 02:30 on
     * 2026-03-08 is in the gap: 10:30Z. A one-day DURATION is nominal: the
     * day of the change lasts 23 hours (RFC 5545 3.3.6). */
    check(CAL("BEGIN:VEVENT\r\nUID:d\r\nDTSTART;TZID=America/Los_Angeles:20260307T090000\r\n"
              "DTEND;TZID=America/Los_Angeles:20260307T093000\r\nRRULE:FREQ=DAILY;COUNT=2\r\n"
              "END:VEVENT\r\n"
              "BEGIN:VEVENT\r\nUID:g\r\nDTSTART;TZID=America/Los_Angeles:20260308T023000\r\n"
              "END:VEVENT\r\n"
              "BEGIN:VEVENT\r\nUID:p\r\nDTSTART;TZID=America/Los_Angeles:20260307T120000\r\n"
              "DURATION:P1D\r\nEND:VEVENT\r\n"),
          "2026-03-07", "2026-03-09",
          "d 20260307T170000Z 20260307T173000Z\n"
          "d 20260308T160000Z 20260308T163000Z\n"
          "g 20260308T103000Z 20260308T103000Z\n"
          "p 20260307T200000Z 20260308T190000Z\n");
}

static void test_ics__jakarta_window(void **state)
{
    /* No DST: 09:00 WIB is 02:00Z all year. The window's days are
     * Jakarta's: 00:30 on March 1 (17:30Z on Feb 28) is inside
     * [2026-03-01, 2026-03-02), 23:30 on March 1 too, 00:30 on March 2
     * is not. */
    check(CAL("BEGIN:VEVENT\r\nUID:j\r\nDTSTART;TZID=Asia/Jakarta:20260101T090000\r\n"
              "DTEND;TZID=Asia/Jakarta:20260101T100000\r\nRRULE:FREQ=MONTHLY;BYMONTHDAY=1\r\n"
              "END:VEVENT\r\n"
              "BEGIN:VEVENT\r\nUID:k\r\nDTSTART;TZID=Asia/Jakarta:20260301T003000\r\n"
              "RRULE:FREQ=DAILY;COUNT=2\r\nEND:VEVENT\r\n"
              "BEGIN:VEVENT\r\nUID:l\r\nDTSTART;TZID=Asia/Jakarta:20260301T233000\r\n"
              "END:VEVENT\r\n"),
          "2026-03-01", "2026-03-02",
          "j 20260301T020000Z 20260301T030000Z\n"
          "k 20260228T173000Z 20260228T173000Z\n"
          "l 20260301T163000Z 20260301T163000Z\n");
    /* Seven months later still 02:00Z. */
    check(CAL("BEGIN:VEVENT\r\nUID:j\r\nDTSTART;TZID=Asia/Jakarta:20260101T090000\r\n"
              "RRULE:FREQ=MONTHLY\r\nEND:VEVENT\r\n"),
          "2026-08-01", "2026-08-02", "j 20260801T020000Z 20260801T020000Z\n");
}

/* --- overrides, RDATE, EXDATE, cancellation ---------------------------- */

static const char *weekly =
    "BEGIN:VEVENT\r\nUID:m\r\nDTSTART;TZID=Europe/Berlin:20260105T100000\r\n"
    "DTEND;TZID=Europe/Berlin:20260105T110000\r\nRRULE:FREQ=WEEKLY;COUNT=6\r\n"
    "SUMMARY:standup\r\nEND:VEVENT\r\n";

static void test_ics__override_moves(void **state)
{
    char text[4096];
    /* Jan 12 moves to Jan 30 (out of [Jan 5, Jan 20)), Feb 2 moves to
     * Jan 14 (into it). */
    snprintf(text, sizeof(text),
             CAL("%s"
                 "BEGIN:VEVENT\r\nUID:m\r\nRECURRENCE-ID;TZID=Europe/Berlin:20260112T100000\r\n"
                 "DTSTART;TZID=Europe/Berlin:20260130T140000\r\n"
                 "DTEND;TZID=Europe/Berlin:20260130T150000\r\nEND:VEVENT\r\n"
                 "BEGIN:VEVENT\r\nUID:m\r\nRECURRENCE-ID:20260202T090000Z\r\n"
                 "DTSTART;TZID=Europe/Berlin:20260114T080000\r\n"
                 "DTEND;TZID=Europe/Berlin:20260114T083000\r\nEND:VEVENT\r\n"),
             weekly);
    check(text, "2026-01-05", "2026-01-20",
          "m 20260105T090000Z 20260105T100000Z\n"
          "m 20260114T070000Z 20260114T073000Z\n"
          "m 20260119T090000Z 20260119T100000Z\n");
    check(text, "2026-01-20", "2026-03-01",
          "m 20260126T090000Z 20260126T100000Z\n"
          "m 20260130T130000Z 20260130T140000Z\n"
          "m 20260209T090000Z 20260209T100000Z\n");
    /* Two overrides of one instance: the higher SEQUENCE wins, whatever
     * the order; a RECURRENCE-ID written as a DATE names that day's
     * instance. */
    snprintf(text, sizeof(text),
             CAL("BEGIN:VEVENT\r\nUID:m\r\nRECURRENCE-ID;TZID=Europe/Berlin:20260112T100000\r\n"
                 "SEQUENCE:2\r\nDTSTART;TZID=Europe/Berlin:20260112T120000\r\nEND:VEVENT\r\n"
                 "%s"
                 "BEGIN:VEVENT\r\nUID:m\r\nRECURRENCE-ID;TZID=Europe/Berlin:20260112T100000\r\n"
                 "SEQUENCE:1\r\nDTSTART;TZID=Europe/Berlin:20260112T110000\r\nEND:VEVENT\r\n"
                 "BEGIN:VEVENT\r\nUID:m\r\nRECURRENCE-ID;VALUE=DATE:20260119\r\n"
                 "DTSTART;TZID=Europe/Berlin:20260119T160000\r\nEND:VEVENT\r\n"),
             weekly);
    check(text, "2026-01-12", "2026-01-20",
          "m 20260112T110000Z 20260112T110000Z\n"
          "m 20260119T150000Z 20260119T150000Z\n");
}

static void test_ics__override_thisandfuture(void **state)
{
    char text[4096];
    /* From Jan 19 on, the meeting is at 15:00 and lasts two hours; Jan 26
     * is moved again on its own. */
    snprintf(text, sizeof(text),
             CAL("%s"
                 "BEGIN:VEVENT\r\nUID:m\r\n"
                 "RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/Berlin:20260119T100000\r\n"
                 "DTSTART;TZID=Europe/Berlin:20260119T150000\r\n"
                 "DTEND;TZID=Europe/Berlin:20260119T170000\r\nEND:VEVENT\r\n"
                 "BEGIN:VEVENT\r\nUID:m\r\nRECURRENCE-ID;TZID=Europe/Berlin:20260126T100000\r\n"
                 "DTSTART;TZID=Europe/Berlin:20260127T090000\r\n"
                 "DTEND;TZID=Europe/Berlin:20260127T093000\r\nEND:VEVENT\r\n"),
             weekly);
    check(text, "2026-01-01", "2026-03-01",
          "m 20260105T090000Z 20260105T100000Z\n"
          "m 20260112T090000Z 20260112T100000Z\n"
          "m 20260119T140000Z 20260119T160000Z\n"
          "m 20260127T080000Z 20260127T083000Z\n"
          "m 20260202T140000Z 20260202T160000Z\n"
          "m 20260209T140000Z 20260209T160000Z\n");
    /* A shifted instance counts where it lands: the window of Feb 9 sees
     * only it. */
    check(text, "2026-02-09", "2026-02-10", "m 20260209T140000Z 20260209T160000Z\n");
}

static void test_ics__cancelled(void **state)
{
    char text[4096];
    snprintf(text, sizeof(text),
             CAL("%s"
                 "BEGIN:VEVENT\r\nUID:m\r\nRECURRENCE-ID;TZID=Europe/Berlin:20260112T100000\r\n"
                 "DTSTART;TZID=Europe/Berlin:20260112T100000\r\n"
                 "DTEND;TZID=Europe/Berlin:20260112T110000\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n"
                 "BEGIN:VEVENT\r\nUID:gone\r\nDTSTART:20260106T100000Z\r\nSTATUS:CANCELLED\r\n"
                 "RRULE:FREQ=DAILY\r\nEND:VEVENT\r\n"
                 "BEGIN:VEVENT\r\nUID:gone\r\nRECURRENCE-ID:20260107T100000Z\r\n"
                 "DTSTART:20260107T120000Z\r\nEND:VEVENT\r\n"),
             weekly);
    check(text, "2026-01-05", "2026-01-20",
          "m 20260105T090000Z 20260105T100000Z\n"
          "m 20260119T090000Z 20260119T100000Z\n");
}

static void test_ics__rdate_exdate(void **state)
{
    check(CAL("BEGIN:VEVENT\r\nUID:r\r\nDTSTART;TZID=Europe/Berlin:20260302T090000\r\n"
              "DTEND;TZID=Europe/Berlin:20260302T100000\r\nRRULE:FREQ=DAILY;COUNT=10\r\n"
              "EXDATE;TZID=Europe/Berlin:20260303T090000,20260304T090000\r\n"
              "EXDATE:20260305T080000Z\r\n"
              "EXDATE;VALUE=DATE:20260306\r\n"
              "RDATE;VALUE=PERIOD:20260320T120000Z/20260320T150000Z,20260321T120000Z/PT30M\r\n"
              "RDATE;TZID=Europe/Berlin:20260322T180000\r\n"
              "RDATE;VALUE=DATE-TIME:20260323T120000Z\r\n"
              "END:VEVENT\r\n"),
          "2026-03-02", "2026-04-01",
          "r 20260302T080000Z 20260302T090000Z\n"
          "r 20260307T080000Z 20260307T090000Z\n"
          "r 20260308T080000Z 20260308T090000Z\n"
          "r 20260309T080000Z 20260309T090000Z\n"
          "r 20260310T080000Z 20260310T090000Z\n"
          "r 20260311T080000Z 20260311T090000Z\n"
          "r 20260320T120000Z 20260320T150000Z\n"
          "r 20260321T120000Z 20260321T123000Z\n"
          "r 20260322T170000Z 20260322T180000Z\n"
          "r 20260323T120000Z 20260323T130000Z\n");
}

static void test_ics__x_wr_timezone(void **state)
{
    /* Google writes UTC times and names the calendar's zone: the weekly
     * 09:00Z (10:00 Berlin in winter) stays at 10:00 Berlin after the
     * change to summer time. */
    check("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-TIMEZONE:Europe/Berlin\r\n"
          "BEGIN:VEVENT\r\nUID:x\r\nDTSTART:20260323T090000Z\r\nDTEND:20260323T100000Z\r\n"
          "RRULE:FREQ=WEEKLY;COUNT=2\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
          "2026-03-01", "2026-04-30",
          "x 20260323T090000Z 20260323T100000Z\n"
          "x 20260330T080000Z 20260330T090000Z\n");
    /* Each calendar of a file has its own; floating times take it too. */
    check("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:one\nDTSTART:20260301T100000\nEND:VEVENT\n"
          "END:VCALENDAR\nBEGIN:VCALENDAR\nX-WR-TIMEZONE:Asia/Jakarta\nBEGIN:VEVENT\nUID:two\n"
          "DTSTART:20260301T100000\nEND:VEVENT\nEND:VCALENDAR\n",
          "2026-03-01", "2026-03-02",
          "one 20260301T100000 20260301T100000\n"
          "two 20260301T030000Z 20260301T030000Z\n");
    waras_ics_calendar *cal;
    const char *t = "BEGIN:VCALENDAR\nX-WR-TIMEZONE:Asia/Jakarta\nEND:VCALENDAR\n";
    assert_int_equal(waras_ics_parse(&cal, t, strlen(t), "x.ics"), 0);
    assert_string_equal(waras_ics_default_zone(cal), "Asia/Jakarta");
    waras_ics_free(cal);
}

static void test_ics__default_length(void **state)
{
    /* No DTEND or DURATION: an all-day event lasts one day, a timed one
     * nothing (and still counts in the window). */
    check(
        CAL("BEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20260310\r\nEND:VEVENT\r\n"
            "BEGIN:VEVENT\r\nUID:b\r\nDTSTART:20260310T120000Z\r\nEND:VEVENT\r\n"
            "BEGIN:VEVENT\r\nUID:c\r\nDTSTART;VALUE=DATE:20260309\r\nDTEND;VALUE=DATE:20260312\r\n"
            "END:VEVENT\r\n"
            "BEGIN:VEVENT\r\nUID:d\r\nDTSTART:20260310T120000\r\nDURATION:PT2H\r\nEND:VEVENT\r\n"),
        "2026-03-10", "2026-03-11",
        "a 20260310 20260311\n"
        "b 20260310T120000Z 20260310T120000Z\n"
        "c 20260309 20260312\n"
        "d 20260310T120000 20260310T140000\n");
}

static void test_ics__zone_fallbacks(void **state)
{
    /* A VTIMEZONE of the file wins; an IANA name after a vendor prefix; a
     * Windows name; an unknown name is floating. */
    check(
        CAL("BEGIN:VTIMEZONE\r\nTZID:Office Time\r\n"
            "BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0300\r\n"
            "TZOFFSETTO:+0300\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
            "BEGIN:VEVENT\r\nUID:f\r\nDTSTART;TZID=Office Time:20260310T120000\r\nEND:VEVENT\r\n"
            "BEGIN:VEVENT\r\nUID:m\r\n"
            "DTSTART;TZID=/freeassociation.sourceforge.net/Tzfile/Asia/Jakarta:20260310T120000\r\n"
            "END:VEVENT\r\n"
            "BEGIN:VEVENT\r\nUID:w\r\nDTSTART;TZID=\"W. Europe Standard Time\":20260310T120000\r\n"
            "END:VEVENT\r\n"
            "BEGIN:VEVENT\r\nUID:u\r\nDTSTART;TZID=Mars/Olympus:20260310T120000\r\nEND:VEVENT\r\n"),
        "2026-03-10", "2026-03-11",
        "f 20260310T090000Z 20260310T090000Z\n"
        "m 20260310T050000Z 20260310T050000Z\n"
        "u 20260310T120000 20260310T120000\n"
        "w 20260310T110000Z 20260310T110000Z\n");
}

static void test_ics__vtimezone_runaway(void **state)
{
    /* A VTIMEZONE whose rule changes the offset every minute would have
     * libical expand millions of changes: it is passed over, and its
     * made-up name leaves the time floating; one named after an IANA zone
     * falls back to that zone. */
    check(
        CAL("BEGIN:VTIMEZONE\r\nTZID:Evil\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
            "RRULE:FREQ=MINUTELY\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:STANDARD\r\n"
            "END:VTIMEZONE\r\n"
            "BEGIN:VTIMEZONE\r\nTZID:Asia/Jakarta\r\nBEGIN:STANDARD\r\n"
            "DTSTART:19700101T000000\r\nRRULE:FREQ=YEARLY;BYHOUR=0,1,2,3,4,5,6\r\n"
            "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
            "BEGIN:VEVENT\r\nUID:e\r\nDTSTART;TZID=Evil:20260301T100000\r\nEND:VEVENT\r\n"
            "BEGIN:VEVENT\r\nUID:j\r\nDTSTART;TZID=Asia/Jakarta:20260301T100000\r\nEND:VEVENT\r\n"),
        "2026-03-01", "2026-03-02",
        "e 20260301T100000 20260301T100000\n"
        "j 20260301T030000Z 20260301T030000Z\n");
}

static void test_ics__liberal_input(void **state)
{
    /* LF line ends, folded lines, lower-case names, a BOM, unknown
     * properties, an event without UID (given a stable one). */
    const char *text =
        "\xEF\xBB\xBF"
        "BEGIN:VCALENDAR\nVERSION:2.0\nX-UNKNOWN;FOO=\"a:b\":c\n"
        "BEGIN:VEVENT\nUID:fo\n lded\nDTSTART;TZID=Europe/Berlin:2026\n 0310T120000\n"
        "X-MS-OLK-THING:1\nEND:VEVENT\n"
        "begin:vevent\ndtstart;value=date:20260310\nsummary:no uid\nend:vevent\n"
        "END:VCALENDAR\n";
    char *have = expand_with(text, "2026-03-10", "2026-03-11", NULL, "\n");
    assert_non_null(strstr(have, "folded 20260310T110000Z 20260310T110000Z\n"));
    assert_non_null(strstr(have, "no-uid-"));
    assert_non_null(strstr(have, " 20260310 20260311\n"));
    char *again = expand_with(text, "2026-03-10", "2026-03-11", NULL, "\n");
    assert_string_equal(have, again); /* the made-up UID is stable */
    free(have);
    free(again);
}

static void expect_error(const char *text, int code, long line, const char *words)
{
    waras_ics_calendar *cal = NULL;
    int rc = waras_ics_parse(&cal, text, strlen(text), "bad.ics");
    if (rc == 0) {
        rc = waras_ics_expand(cal, (waras_date){2026, 1, 1}, (waras_date){2027, 1, 1}, collect,
                              &(got){0});
        waras_ics_free(cal);
    }
    assert_int_equal(rc, code);
    const waras_error *e = waras_error_last();
    assert_string_equal(e->file, "bad.ics");
    assert_int_equal(e->line, line);
    assert_non_null(strstr(e->message, words));
}

static void test_ics__malformed(void **state)
{
    expect_error("hello, world\n", WARAS_EPARSE, 1, "expected BEGIN:VCALENDAR");
    expect_error("", WARAS_EPARSE, 1, "no BEGIN:VCALENDAR");
    expect_error("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\n", WARAS_EPARSE, 3, "not closed");
    expect_error("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nEND:VTODO\nEND:VCALENDAR\n", WARAS_EPARSE,
                 4, "does not close BEGIN:VEVENT");
    expect_error("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR\n",
                 WARAS_EPARSE, 2, "");
    expect_error("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20260101T100000Z\n"
                 "RRULE:FREQ=SOMETIMES\nEND:VEVENT\nEND:VCALENDAR\n",
                 WARAS_EPARSE, 5, "cannot read the value 'FREQ=SOMETIMES'");
    /* Runaway work is capped: a rule every second over a year. */
    expect_error("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20260101T000000Z\n"
                 "RRULE:FREQ=SECONDLY\nEND:VEVENT\nEND:VCALENDAR\n",
                 WARAS_ELIMIT, 2, "more than");
}

/* Dates are bounded as dates given to waras are (docs/formats.md#limits):
 * an event starts and ends within 1900 to 2200, a series may start before
 * (birthday calendars start in 1604), and occurrences stop at the bound
 * whatever the window asked for. */
static void test_ics__year_bounds(void **state)
{
    expect_error("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:99990101T100000Z\n"
                 "END:VEVENT\nEND:VCALENDAR\n",
                 WARAS_EPARSE, 4, "year 9999 is outside the years 1900 to 2200");
    expect_error("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART;VALUE=DATE:18991231\n"
                 "END:VEVENT\nEND:VCALENDAR\n",
                 WARAS_EPARSE, 4, "year 1899 is outside");
    expect_error("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20260101T100000Z\n"
                 "DTEND:22010101T000001Z\nEND:VEVENT\nEND:VCALENDAR\n",
                 WARAS_EPARSE, 5, "year 2201 is outside");
    /* An override is an event of its own: not before the bound either. */
    expect_error("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20260105T100000Z\n"
                 "RRULE:FREQ=WEEKLY\nEND:VEVENT\nBEGIN:VEVENT\nUID:a\n"
                 "RECURRENCE-ID:20260112T100000Z\nDTSTART:18000112T100000Z\nEND:VEVENT\n"
                 "END:VCALENDAR\n",
                 WARAS_EPARSE, 10, "year 1800 is outside");
    /* The last day of the bound, as an all-day event, ends just after it. */
    check(CAL("BEGIN:VEVENT\r\nUID:last\r\nDTSTART;VALUE=DATE:22001230\r\n"
              "DTEND;VALUE=DATE:22010101\r\nEND:VEVENT\r\n"),
          "2200-12-01", "2200-12-31", "last 22001230 22010101\n");
    check(CAL("BEGIN:VEVENT\r\nUID:bday\r\nDTSTART;VALUE=DATE:16040512\r\n"
              "RRULE:FREQ=YEARLY\r\nEND:VEVENT\r\n"),
          "2026-01-01", "2027-01-01", "bday 20260512 20260513\n");
    /* A daily series with no end, expanded over a window far past the
     * bound: its last occurrence is on the last day of 2200. */
    const char *daily = CAL("BEGIN:VEVENT\r\nUID:d\r\nDTSTART:22001228T090000Z\r\n"
                            "DTEND:22001228T100000Z\r\nRRULE:FREQ=DAILY\r\nEND:VEVENT\r\n");
    waras_ics_calendar *cal = NULL;
    got g = {0};
    assert_int_equal(waras_ics_parse(&cal, daily, strlen(daily), "d.ics"), 0);
    assert_int_equal(waras_ics_expand(cal, (waras_date){2200, 12, 1}, (waras_date){9999, 1, 1},
                                      collect, &g),
                     0);
    assert_int_equal(g.n, 4);
    qsort(g.lines, (size_t)g.n, sizeof(g.lines[0]), cmp_str);
    assert_string_equal(g.lines[3], "d 22001231T090000Z 22001231T100000Z");
    for (int i = 0; i < g.n; i++)
        free(g.lines[i]);
    /* A window wholly after the bound holds nothing, and is no error. */
    g.n = 0;
    assert_int_equal(waras_ics_expand(cal, (waras_date){2300, 1, 1}, (waras_date){2301, 1, 1},
                                      collect, &g),
                     0);
    assert_int_equal(g.n, 0);
    waras_ics_free(cal);
}

/* --- reading the files people have: leniency, versions, zones ------------ */

/* Parses leniently, expands [from, to), and checks the sorted lines and
 * the warnings ("LINE FIELD: MESSAGE" each) and the number skipped. */
static void check_lenient(const char *text, const char *from, const char *to, const char *want,
                          const char *want_warnings, size_t want_skipped)
{
    waras_ics_calendar *cal = NULL;
    waras_ics_parse_opts o = {0};
    got g = {0};
    waras_date fdate, tdate;
    assert_int_equal(waras_date_parse(&fdate, from), 0);
    assert_int_equal(waras_date_parse(&tdate, to), 0);
    int rc = waras_ics_parse_with(&cal, text, strlen(text), "t.ics", &o);
    if (rc) {
        char msg[2048];
        waras_error_format(msg, sizeof(msg));
        fail_msg("parse failed: %s", msg);
    }
    char warn[4096] = "";
    size_t n, total;
    const waras_ics_warning *w = waras_ics_warnings(cal, &n, &total);
    assert_int_equal(n, total);
    for (size_t i = 0; i < n; i++)
        snprintf(warn + strlen(warn), sizeof(warn) - strlen(warn), "%ld %s: %s\n", w[i].line,
                 w[i].field, w[i].message);
    assert_string_equal(warn, want_warnings);
    assert_int_equal(waras_ics_skipped(cal), want_skipped);
    assert_int_equal(waras_ics_expand(cal, fdate, tdate, collect, &g), 0);
    waras_ics_free(cal);
    qsort(g.lines, (size_t)g.n, sizeof(g.lines[0]), cmp_str);
    char have[8192] = "";
    for (int i = 0; i < g.n; i++) {
        snprintf(have + strlen(have), sizeof(have) - strlen(have), "%s\n", g.lines[i]);
        free(g.lines[i]);
    }
    assert_string_equal(have, want);
}

/* The strict reading of the same text fails at line with words. */
static void check_strict_fails(const char *text, long line, const char *words)
{
    waras_ics_calendar *cal = NULL;
    waras_ics_parse_opts o = {.strict = 1};
    assert_int_equal(waras_ics_parse_with(&cal, text, strlen(text), "t.ics", &o), WARAS_EPARSE);
    assert_null(cal);
    assert_int_equal(waras_error_last()->line, line);
    assert_non_null(strstr(waras_error_last()->message, words));
}

static void test_ics__supersede(void **state)
{
    /* Three copies of one series: SEQUENCE 2 wins wherever it stands, and
     * the override attaches to it. Equal SEQUENCE: the later LAST-MODIFIED
     * wins even when DTSTAMP (the export time) says otherwise; without
     * LAST-MODIFIED the later DTSTAMP. Events without UID are never
     * copies of one another. */
    const char *text = CAL(
        "BEGIN:VEVENT\r\nUID:s\r\nSEQUENCE:0\r\nDTSTART:20260302T090000Z\r\n"
        "RRULE:FREQ=DAILY;COUNT=3\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:s\r\nSEQUENCE:2\r\nDTSTART:20260302T100000Z\r\n"
        "RRULE:FREQ=DAILY;COUNT=2\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:s\r\nSEQUENCE:1\r\nDTSTART:20260302T110000Z\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:s\r\nRECURRENCE-ID:20260303T100000Z\r\n"
        "DTSTART:20260303T150000Z\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:m\r\nDTSTAMP:20260301T000000Z\r\nLAST-MODIFIED:20260220T000000Z\r\n"
        "DTSTART:20260304T080000Z\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:m\r\nDTSTAMP:20260301T000000Z\r\nLAST-MODIFIED:20260210T000000Z\r\n"
        "DTSTART:20260304T090000Z\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:d\r\nDTSTAMP:20260225T000000Z\r\n"
        "DTSTART:20260305T080000Z\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:d\r\nDTSTAMP:20260224T000000Z\r\n"
        "DTSTART:20260305T090000Z\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nDTSTART:20260306T080000Z\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nDTSTART:20260306T080000Z\r\nEND:VEVENT\r\n");
    char *have = expand_with(text, "2026-03-01", "2026-03-08", NULL, "\n");
    const char *want = "d 20260305T080000Z 20260305T080000Z\n"
                       "m 20260304T080000Z 20260304T080000Z\n";
    assert_non_null(strstr(have, want));
    assert_non_null(strstr(have, "s 20260302T100000Z 20260302T100000Z\n"
                                 "s 20260303T150000Z 20260303T150000Z\n"));
    assert_null(strstr(have, "s 20260302T090000Z"));
    assert_null(strstr(have, "s 20260302T110000Z"));
    assert_null(strstr(have, "s 20260304"));
    /* The two identical events without UID: two lines, same made-up UID. */
    char *a = strstr(have, "no-uid-");
    assert_non_null(a);
    assert_non_null(strstr(a + 1, "no-uid-"));
    free(have);
}

static void test_ics__lenient_components(void **state)
{
    /* A bad DTSTART, a misspelled END, a missing END (seen at the next
     * BEGIN:VEVENT), a broken VALARM inside a good event, and a file that
     * ends inside an event: each skipped with its line, the rest read. */
    const char *text = "BEGIN:VCALENDAR\n"                           /* 1 */
                       "BEGIN:VEVENT\nUID:ok\nDTSTART:20260302T100000Z\n" /* 2-4 */
                       "BEGIN:VALARM\nTRIGGER:-PT5M\nEND:VALRM\n"        /* 5-7 */
                       "END:VEVENT\n"                                    /* 8 */
                       "BEGIN:VEVENT\nUID:bad\nDTSTART:2026030\nEND:VEVENT\n" /* 9-12 */
                       "BEGIN:VEVENT\nUID:typo\nDTSTART:20260303T100000Z\nEND:VEVNET\n" /* 13-16 */
                       "BEGIN:VEVENT\nUID:open\nDTSTART:20260304T100000Z\n" /* 17-19 */
                       "BEGIN:VEVENT\nUID:ok2\nDTSTART:20260305T100000Z\nEND:VEVENT\n" /* 20-23 */
                       "BEGIN:VEVENT\nUID:cut\nDTSTART:20260306T100000Z\n"; /* 24-26 */
    check_lenient(text, "2026-03-01", "2026-03-08",
                  "ok 20260302T100000Z 20260302T100000Z\n"
                  "ok2 20260305T100000Z 20260305T100000Z\n",
                  "7 : 'END:VALRM' does not close BEGIN:VALARM of line 5; the component is "
                  "skipped\n"
                  "16 : 'END:VEVNET' does not close BEGIN:VEVENT of line 13; the component is "
                  "skipped\n"
                  "20 : BEGIN:VEVENT of line 17 is not closed before 'BEGIN:VEVENT'; the "
                  "component is skipped\n"
                  "26 : unexpected end of file: BEGIN:VEVENT of line 24 is not closed; the "
                  "component is skipped\n"
                  "11 DTSTART: cannot read the value '2026030'; the event is skipped\n",
                  5);
    check_strict_fails(text, 7, "'END:VALRM' does not close BEGIN:VALARM of line 5");
    /* Nothing left: an error naming the first problem. */
    const char *none = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:x\nEND:VEVENT\n"
                       "BEGIN:VEVENT\nUID:b\nEND:VEVENT\nEND:VCALENDAR\n";
    waras_ics_calendar *cal = NULL;
    assert_int_equal(waras_ics_parse_with(&cal, none, strlen(none), "t.ics", NULL), WARAS_EPARSE);
    assert_int_equal(waras_error_last()->line, 4);
    assert_non_null(strstr(waras_error_last()->message, "no event could be read (2 components"));
    /* An empty calendar is not an error. */
    const char *empty = "BEGIN:VCALENDAR\nVERSION:2.0\nEND:VCALENDAR\n";
    assert_int_equal(waras_ics_parse_with(&cal, empty, strlen(empty), "t.ics", NULL), 0);
    waras_ics_free(cal);
}

static void test_ics__rrule_repairs(void **state)
{
    const char *text =
        CAL("BEGIN:VEVENT\r\nUID:neg\r\nDTSTART:20260302T100000Z\r\n"
            "RRULE:FREQ=DAILY;COUNT=-1\r\nEND:VEVENT\r\n"                      /* 7 */
            "BEGIN:VEVENT\r\nUID:int\r\nDTSTART:20260302T110000Z\r\n"
            "RRULE:FREQ=DAILY;INTERVAL=0;COUNT=2\r\nEND:VEVENT\r\n"            /* 12 */
            "BEGIN:VEVENT\r\nUID:semi\r\nDTSTART:20260302T120000Z\r\n"
            "rrule:freq=daily;;count=2;\r\nEND:VEVENT\r\n"                     /* 17 */
            "BEGIN:VEVENT\r\nUID:by\r\nDTSTART:20260302T130000Z\r\n"
            "RRULE:FREQ=WEEKLY;BYDAY=MO,XX,;BYMONTH=3,13;COUNT=2\r\nEND:VEVENT\r\n" /* 22 */
            "BEGIN:VEVENT\r\nUID:never\r\nDTSTART:20260302T140000Z\r\n"
            "RRULE:FREQ=MONTHLY;BYSETPOS=0\r\nEND:VEVENT\r\n"                  /* 27 */
            "BEGIN:VEVENT\r\nUID:x\r\nDTSTART:20260302T150000Z\r\n"
            "RRULE:FREQ=DAILY;X-EVOLUTION-ENDDATE=20260303T150000Z;UNTIL=2026-03-03T15:00:00Z\r\n"
            "END:VEVENT\r\n"                                                   /* 32 */
            "BEGIN:VEVENT\r\nUID:fold\r\nDTSTART:20260302T160000Z\r\n"
            "RRULE:FREQ=DAILY;CO\r\n UNT=2;\r\nEND:VEVENT\r\n");               /* 37 */
    check_lenient(text, "2026-03-01", "2026-03-06",
                  "by 20260302T130000Z 20260302T130000Z\n"
                  "fold 20260302T160000Z 20260302T160000Z\n"
                  "fold 20260303T160000Z 20260303T160000Z\n"
                  "int 20260302T110000Z 20260302T110000Z\n"
                  "int 20260303T110000Z 20260303T110000Z\n"
                  "neg 20260302T100000Z 20260302T100000Z\n"
                  "neg 20260303T100000Z 20260303T100000Z\n"
                  "neg 20260304T100000Z 20260304T100000Z\n"
                  "neg 20260305T100000Z 20260305T100000Z\n"
                  "never 20260302T140000Z 20260302T140000Z\n"
                  "semi 20260302T120000Z 20260302T120000Z\n"
                  "semi 20260303T120000Z 20260303T120000Z\n"
                  "x 20260302T150000Z 20260302T150000Z\n"
                  "x 20260303T150000Z 20260303T150000Z\n",
                  "7 RRULE: COUNT=-1 is not a positive number; the rule is read without COUNT\n"
                  "12 RRULE: INTERVAL=0 is not a positive number; INTERVAL=1 is used\n"
                  "22 RRULE: BYDAY=MO,XX, has values out of range; they are left out\n"
                  "22 RRULE: BYMONTH=3,13 has values out of range; they are left out\n"
                  "27 RRULE: BYSETPOS=0 has values out of range; the rule can never match and "
                  "is left out\n"
                  "32 RRULE: X-EVOLUTION-ENDDATE=20260303T150000Z is not a part of RFC 5545; the "
                  "part is left out\n"
                  "32 RRULE: UNTIL=2026-03-03T15:00:00Z is written with separators; read without "
                  "them\n",
                  0);
    check_strict_fails(text, 7, "cannot read the value 'FREQ=DAILY;COUNT=-1'");
}

/* Rules libical would look for one step at a time up to its last year:
 * each skipped with a warning (an error under --strict), in well under a
 * second; narrowed by hour or minute only, a sub-daily rule expands. */
static void test_ics__unbounded_rules(void **state)
{
    const char *text =
        CAL("BEGIN:VEVENT\r\nUID:feb30\r\nDTSTART:20260301T010000Z\r\n"
            "RRULE:FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30\r\nEND:VEVENT\r\n"     /* 7 */
            "BEGIN:VEVENT\r\nUID:53mo\r\nDTSTART:20260301T010000Z\r\n"
            "RRULE:FREQ=HOURLY;BYDAY=53MO\r\nEND:VEVENT\r\n"                    /* 12 */
            "BEGIN:VEVENT\r\nUID:date\r\nDTSTART;VALUE=DATE:20260301\r\n"
            "RRULE:FREQ=SECONDLY;INTERVAL=7;BYMINUTE=5\r\nEND:VEVENT\r\n"      /* 17 */
            "BEGIN:VEVENT\r\nUID:pos\r\nDTSTART:20260301T010000Z\r\n"
            "RRULE:FREQ=SECONDLY;BYSETPOS=-1;BYMINUTE=5\r\nEND:VEVENT\r\n"     /* 22 */
            "BEGIN:VEVENT\r\nUID:rfc\r\nDTSTART:20260302T090000Z\r\n"
            "RRULE:FREQ=MINUTELY;INTERVAL=20;BYHOUR=9;COUNT=4\r\nEND:VEVENT\r\n" /* 27 */
            /* Rules that can never match: left out, the event is DTSTART. */
            "BEGIN:VEVENT\r\nUID:n1\r\nDTSTART:20260302T100000Z\r\n"
            "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30,-30\r\nEND:VEVENT\r\n"    /* 32 */
            "BEGIN:VEVENT\r\nUID:n2\r\nDTSTART:20260302T110000Z\r\n"
            "RRULE:FREQ=MONTHLY;BYDAY=6MO,-7FR\r\nEND:VEVENT\r\n"              /* 37 */
            "BEGIN:VEVENT\r\nUID:n3\r\nDTSTART:20260302T120000Z\r\n"
            "RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-31\r\nEND:VEVENT\r\n" /* 42 */
            /* ... and one that matches in some months is kept: the 22nd
             * weekday (March 2026 has 22; DTSTART is an instance too). */
            "BEGIN:VEVENT\r\nUID:m\r\nDTSTART:20260302T130000Z\r\n"
            "RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=22\r\nEND:VEVENT\r\n"); /* 47 */
    check_lenient(text, "2026-03-01", "2026-04-01",
                  "m 20260302T130000Z 20260302T130000Z\n"
                  "m 20260331T130000Z 20260331T130000Z\n"
                  "n1 20260302T100000Z 20260302T100000Z\n"
                  "n2 20260302T110000Z 20260302T110000Z\n"
                  "n3 20260302T120000Z 20260302T120000Z\n"
                  "rfc 20260302T090000Z 20260302T090000Z\n"
                  "rfc 20260302T092000Z 20260302T092000Z\n"
                  "rfc 20260302T094000Z 20260302T094000Z\n"
                  "rfc 20260303T090000Z 20260303T090000Z\n",
                  "7 RRULE: an HOURLY, MINUTELY or SECONDLY rule narrowed by BYDAY, BYMONTHDAY, "
                  "BYYEARDAY, BYWEEKNO, BYMONTH or BYSETPOS is not expanded (docs/ics.md#limits); "
                  "the event is skipped\n"
                  "12 RRULE: an HOURLY, MINUTELY or SECONDLY rule narrowed by BYDAY, BYMONTHDAY, "
                  "BYYEARDAY, BYWEEKNO, BYMONTH or BYSETPOS is not expanded (docs/ics.md#limits); "
                  "the event is skipped\n"
                  "17 RRULE: BYSECOND, BYMINUTE or BYHOUR with a date-only DTSTART (RFC 5545 "
                  "3.3.10); the event is skipped\n"
                  "22 RRULE: an HOURLY, MINUTELY or SECONDLY rule narrowed by BYDAY, BYMONTHDAY, "
                  "BYYEARDAY, BYWEEKNO, BYMONTH or BYSETPOS is not expanded (docs/ics.md#limits); "
                  "the event is skipped\n"
                  "32 RRULE: BYMONTHDAY names no day of the BYMONTH months; the rule can never "
                  "match and is left out\n"
                  "37 RRULE: BYDAY names no day a month has (a position beyond 5); the rule can "
                  "never match and is left out\n"
                  "42 RRULE: BYSETPOS is past the largest set the rule makes; the rule can never "
                  "match and is left out\n",
                  4);
    check_strict_fails(text, 7, "an HOURLY, MINUTELY or SECONDLY rule narrowed by");
}

static void test_ics__long_by_lists(void **state)
{
    /* Long BYxxx lists pass through the repair intact, also with a value
     * left out. */
    check(CAL("BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20260301T100000Z\r\n"
              "RRULE:FREQ=MONTHLY;COUNT=40;BYMONTHDAY=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,"
              "18,19,20,21,22,23,24,25,26,27,28,29,30,31\r\nEND:VEVENT\r\n"),
          "2026-03-29", "2026-04-03",
          "a 20260329T100000Z 20260329T100000Z\n"
          "a 20260330T100000Z 20260330T100000Z\n"
          "a 20260331T100000Z 20260331T100000Z\n"
          "a 20260401T100000Z 20260401T100000Z\n"
          "a 20260402T100000Z 20260402T100000Z\n");
    /* A rule longer than 256 characters (it was read as out of memory). */
    check(CAL("BEGIN:VEVENT\r\nUID:y\r\nDTSTART:20260101T100000Z\r\n"
              "RRULE:FREQ=YEARLY;COUNT=200;BYYEARDAY=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,"
              "18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,"
              "44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,64,65,66,67,68,69,"
              "70,71,72,73,74,75,76,77,78,79,80,81,82,83,84,85,86,87,88,89,90,91,92,93,94,95,"
              "96,97,98,99,100,101,102,103,104,105,106,107,108,109,110,111,112,113,114,115,116"
              "\r\nEND:VEVENT\r\n"),
          "2026-03-01", "2026-03-03",
          "y 20260301T100000Z 20260301T100000Z\n"
          "y 20260302T100000Z 20260302T100000Z\n");
    check_lenient(CAL("BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20260301T100000Z\r\n"
                      "RRULE:FREQ=MONTHLY;BYMONTHDAY=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,"
                      "18,19,20,21,22,23,24,25,26,27,28,29,30,31,32\r\nEND:VEVENT\r\n"),
                  "2026-03-30", "2026-04-02",
                  "a 20260330T100000Z 20260330T100000Z\n"
                  "a 20260331T100000Z 20260331T100000Z\n"
                  "a 20260401T100000Z 20260401T100000Z\n",
                  "7 RRULE: BYMONTHDAY=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,1... has values "
                  "out of range; they are left out\n",
                  0);
}

static void test_ics__until_types(void **state)
{
    /* A DATE UNTIL on a timed event includes its day; a UTC UNTIL on an
     * all-day event names its day in X-WR-TIMEZONE (Apple: 23:59:59 local
     * written in UTC), or its UTC date without one. */
    check(CAL("X-WR-TIMEZONE:America/New_York\r\n"
              "BEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20260306\r\n"
              "RRULE:FREQ=DAILY;UNTIL=20260308T045959Z\r\nEND:VEVENT\r\n"
              "BEGIN:VEVENT\r\nUID:t\r\nDTSTART;TZID=America/New_York:20260306T090000\r\n"
              "RRULE:FREQ=DAILY;UNTIL=20260307\r\nEND:VEVENT\r\n"),
          "2026-03-01", "2026-03-15",
          "a 20260306 20260307\n"
          "a 20260307 20260308\n"
          "t 20260306T140000Z 20260306T140000Z\n"
          "t 20260307T140000Z 20260307T140000Z\n");
    check(CAL("BEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20260306\r\n"
              "RRULE:FREQ=DAILY;UNTIL=20260308T045959Z\r\nEND:VEVENT\r\n"),
          "2026-03-01", "2026-03-15",
          "a 20260306 20260307\n"
          "a 20260307 20260308\n"
          "a 20260308 20260309\n");
}

static void test_ics__count_near_window(void **state)
{
    /* A COUNT series is skipped only when it surely ended before the
     * window: the last of these instances is five weeks after DTSTART. */
    check(CAL("BEGIN:VEVENT\r\nUID:w\r\nDTSTART:20260307T100000Z\r\n"
              "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;COUNT=2\r\nEND:VEVENT\r\n"
              "BEGIN:VEVENT\r\nUID:d\r\nDTSTART:20260301T100000Z\r\n"
              "RRULE:FREQ=DAILY;INTERVAL=3;COUNT=11\r\nEND:VEVENT\r\n"),
          "2026-03-29", "2026-04-05",
          "d 20260331T100000Z 20260331T100000Z\n"
          "w 20260330T100000Z 20260330T100000Z\n");
    check(CAL("BEGIN:VEVENT\r\nUID:w\r\nDTSTART:20260307T100000Z\r\n"
              "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;COUNT=2\r\nEND:VEVENT\r\n"),
          "2026-04-01", "2026-06-01", "");
}

static void test_ics__overrides_cancelled_and_excluded(void **state)
{
    /* An override for an instance an EXDATE removed is not shown; a
     * cancelled override without DTSTART drops its instance. */
    check(CAL("BEGIN:VEVENT\r\nUID:s\r\nDTSTART;TZID=Europe/Berlin:20260302T100000\r\n"
              "RRULE:FREQ=DAILY;COUNT=4\r\nEXDATE;TZID=Europe/Berlin:20260303T100000\r\n"
              "END:VEVENT\r\n"
              "BEGIN:VEVENT\r\nUID:s\r\nRECURRENCE-ID;TZID=Europe/Berlin:20260303T100000\r\n"
              "DTSTART;TZID=Europe/Berlin:20260303T160000\r\nEND:VEVENT\r\n"
              "BEGIN:VEVENT\r\nUID:s\r\nRECURRENCE-ID:20260304T090000Z\r\nSTATUS:CANCELLED\r\n"
              "END:VEVENT\r\n"),
          "2026-03-01", "2026-03-08",
          "s 20260302T090000Z 20260302T090000Z\n"
          "s 20260305T090000Z 20260305T090000Z\n");
}

static void test_ics__zone_rules(void **state)
{
    /* IANA names in any case; before a VTIMEZONE's first observance the
     * IANA rules of its TZID; an unknown TZID is said once, at its first
     * line, with the zone used instead. */
    const char *text =
        "BEGIN:VCALENDAR\n"                                                      /* 1 */
        "BEGIN:VTIMEZONE\nTZID:Europe/Berlin\n"                                  /* 2-3 */
        "BEGIN:DAYLIGHT\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\n"                 /* 4-6 */
        "DTSTART:20230326T020000\nEND:DAYLIGHT\n"                                /* 7-8 */
        "BEGIN:STANDARD\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\n"                 /* 9-11 */
        "DTSTART:20231029T030000\nEND:STANDARD\nEND:VTIMEZONE\n"                 /* 12-14 */
        "BEGIN:VEVENT\nUID:jan16\nDTSTART;TZID=Europe/Berlin:20160112T100000\nEND:VEVENT\n"
        "BEGIN:VEVENT\nUID:jul16\nDTSTART;TZID=Europe/Berlin:20160705T100000\nEND:VEVENT\n"
        "BEGIN:VEVENT\nUID:jan24\nDTSTART;TZID=Europe/Berlin:20240115T100000\nEND:VEVENT\n"
        "BEGIN:VEVENT\nUID:lis\nDTSTART;TZID=Europe/lisbon:20160705T100000\nEND:VEVENT\n"
        "BEGIN:VEVENT\nUID:ny\nDTSTART;TZID=AMERICA/NEW_YORK:20160112T100000\nEND:VEVENT\n"
        "BEGIN:VEVENT\nUID:u1\nDTSTART;TZID=Mars/Olympus:20160112T100000\nEND:VEVENT\n" /* 37 */
        "BEGIN:VEVENT\nUID:u2\nDTSTART;TZID=Mars/Olympus:20160113T100000\nEND:VEVENT\n"
        "END:VCALENDAR\n";
    check_lenient(text, "2016-01-01", "2025-01-01",
                  "jan16 20160112T090000Z 20160112T090000Z\n"
                  "jan24 20240115T090000Z 20240115T090000Z\n"
                  "jul16 20160705T080000Z 20160705T080000Z\n"
                  "lis 20160705T090000Z 20160705T090000Z\n"
                  "ny 20160112T150000Z 20160112T150000Z\n"
                  "u1 20160112T100000 20160112T100000\n"
                  "u2 20160113T100000 20160113T100000\n",
                  "37 TZID: unknown time zone 'Mars/Olympus'; its times are read as floating "
                  "local time\n",
                  0);
    const char *xwr = CAL("X-WR-TIMEZONE:Asia/Jakarta\r\n"
                          "BEGIN:VEVENT\r\nUID:u\r\nDTSTART;TZID=Office:20260310T100000\r\n"
                          "END:VEVENT\r\n");
    check_lenient(xwr, "2026-03-10", "2026-03-11", "u 20260310T030000Z 20260310T030000Z\n",
                  "7 TZID: unknown time zone 'Office'; its times are read in Asia/Jakarta "
                  "(X-WR-TIMEZONE)\n",
                  0);
}

static int stop_early(void *ctx, const waras_ics_occurrence *o)
{
    (*(int *)ctx)++;
    return 42;
}

static void test_ics__callback_stops(void **state)
{
    waras_ics_calendar *cal;
    const char *t = CAL("BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20260101T100000Z\r\nRRULE:FREQ=DAILY\r\n"
                        "END:VEVENT\r\n");
    int calls = 0;
    assert_int_equal(waras_ics_parse(&cal, t, strlen(t), "t.ics"), 0);
    assert_int_equal(waras_ics_expand(cal, (waras_date){2026, 1, 1}, (waras_date){2026, 2, 1},
                                      stop_early, &calls),
                     42);
    assert_int_equal(calls, 1);
    waras_ics_free(cal);
    waras_ics_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ics__rfc_daily),
        cmocka_unit_test(test_ics__rfc_weekly),
        cmocka_unit_test(test_ics__rfc_monthly),
        cmocka_unit_test(test_ics__rfc_yearly),
        cmocka_unit_test(test_ics__rfc_hourly_minutely),
        cmocka_unit_test(test_ics__dst_berlin),
        cmocka_unit_test(test_ics__dst_los_angeles),
        cmocka_unit_test(test_ics__jakarta_window),
        cmocka_unit_test(test_ics__override_moves),
        cmocka_unit_test(test_ics__override_thisandfuture),
        cmocka_unit_test(test_ics__cancelled),
        cmocka_unit_test(test_ics__rdate_exdate),
        cmocka_unit_test(test_ics__x_wr_timezone),
        cmocka_unit_test(test_ics__default_length),
        cmocka_unit_test(test_ics__zone_fallbacks),
        cmocka_unit_test(test_ics__vtimezone_runaway),
        cmocka_unit_test(test_ics__liberal_input),
        cmocka_unit_test(test_ics__malformed),
        cmocka_unit_test(test_ics__year_bounds),
        cmocka_unit_test(test_ics__callback_stops),
        cmocka_unit_test(test_ics__supersede),
        cmocka_unit_test(test_ics__lenient_components),
        cmocka_unit_test(test_ics__rrule_repairs),
        cmocka_unit_test(test_ics__unbounded_rules),
        cmocka_unit_test(test_ics__long_by_lists),
        cmocka_unit_test(test_ics__until_types),
        cmocka_unit_test(test_ics__count_near_window),
        cmocka_unit_test(test_ics__overrides_cancelled_and_excluded),
        cmocka_unit_test(test_ics__zone_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
