/*
 * Unit tests of the file adapters that the other suites do not cover:
 * people.csv (columns, defaults, errors that name the file, line and
 * field), timesheets (entries placed in the person's zone, a bad row
 * rejects the whole file, the same bytes twice are a no-op, a changed file
 * replaces its earlier contribution), leave CSV, and the basics of
 * calendar ingest (the owner's declines are kept as declined and not
 * counted as meeting time; a bad file changes nothing).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "time/days.h"
#include "waras/error.h"
#include "waras/ingest.h"
#include "waras/metrics.h"
#include "waras/store.h"
#include "waras/time.h"

/* 2026-11-16T00:00:00Z, a Monday (ISO 2026-W47). */
#define MON 1794787200LL
#define HOUR 3600LL
#define DAY 86400LL

typedef struct fixture {
    th_scratch s;
    char path[600]; /* the last input file written */
} fixture;

static int setup(void **state)
{
    return th_scratch_setup(state, sizeof(fixture), "ingest");
}

static const char *write_in(fixture *f, const char *name, const char *text)
{
    assert_int_equal(th_write(f->path, sizeof(f->path), f->s.dir, name, text), 0);
    return f->path;
}

/* ana works in UTC 09:00-17:00, bo in Berlin (UTC+1 in winter) 08:00-16:00. */
static const char *const two_people =
    "id,name,email,team,timezone,work_days,work_start,work_end\n"
    "ana,Ana Lind,ana@example.org,core,UTC,Mon-Fri,09:00,17:00\n"
    "bo,Bo Berg,bo@example.org,core,Europe/Berlin,Mon-Fri,08:00,16:00\n";

static void load_people(fixture *f)
{
    waras_ingest_result r;
    assert_int_equal(waras_ingest_people(&r, f->s.st, write_in(f, "people.csv", two_people)), 0);
    assert_int_equal(r.rows, 2);
}

/* Writes text as `name` (f->path) and ingests it as a source of this kind
 * (people, timesheet or leave, for everyone) into *r; the library's result. */
static int ingest_text(fixture *f, const char *kind, const char *name, const char *text,
                       waras_ingest_result *r)
{
    const char *path = write_in(f, name, text);
    if (strcmp(kind, "people") == 0)
        return waras_ingest_people(r, f->s.st, path);
    if (strcmp(kind, "timesheet") == 0)
        return waras_ingest_timesheet(r, f->s.st, path);
    return waras_ingest_leave(r, f->s.st, path, NULL);
}

/* Loads two_people, then ingests text the same way, which must succeed. */
static void load_and_ingest(fixture *f, const char *kind, const char *name, const char *text,
                            waras_ingest_result *r)
{
    load_people(f);
    assert_int_equal(ingest_text(f, kind, name, text, r), 0);
}

/* The same, expecting the file rejected with an error that names it, the
 * field and the line (when line is not 0); returns the error. */
static const waras_error *expect_rejected(fixture *f, const char *kind, const char *name,
                                          const char *text, const char *field, long line)
{
    waras_ingest_result r;
    assert_int_equal(ingest_text(f, kind, name, text, &r), WARAS_EPARSE);
    const waras_error *e = waras_error_last();
    assert_int_equal(e->code, WARAS_EPARSE);
    assert_string_equal(e->file, f->path);
    if (line)
        assert_int_equal(e->line, line);
    assert_string_equal(e->field, field);
    return e;
}

/* Asserts that the store still holds `events` events from `sources`
 * sources: what a rejected file must leave. */
static void assert_unchanged(fixture *f, long events, long sources)
{
    assert_int_equal(th_count(f->s.st, "events"), events);
    assert_int_equal(th_count(f->s.st, "sources"), sources);
}

/* Events of everyone in [from, to), copied out. */
typedef struct ev_copy {
    char person[16], kind[16], status[16], key[64], attrs[128];
    waras_instant start, end;
    int all_day;
} ev_copy;

typedef struct ev_list {
    int n;
    ev_copy v[32];
} ev_list;

static int copy_ev(void *ctx, const waras_event *ev)
{
    ev_list *l = ctx;
    if (l->n < 32) {
        ev_copy *c = &l->v[l->n];
        snprintf(c->person, sizeof(c->person), "%s", ev->person);
        snprintf(c->kind, sizeof(c->kind), "%s", ev->kind);
        snprintf(c->status, sizeof(c->status), "%s", ev->status ? ev->status : "");
        snprintf(c->key, sizeof(c->key), "%s", ev->source_key);
        snprintf(c->attrs, sizeof(c->attrs), "%s", ev->attrs ? ev->attrs : "");
        c->start = ev->start;
        c->end = ev->end;
        c->all_day = ev->all_day;
    }
    l->n++;
    return 0;
}

static ev_list *events(fixture *f, const char *kinds)
{
    static ev_list l;
    memset(&l, 0, sizeof(l));
    assert_int_equal(waras_store_events_each(f->s.st, NULL, kinds, 0, MON + 400 * DAY, copy_ev, &l),
                     0);
    return &l;
}

/* --- people.csv --- */

static void test_ingest__people_columns(void **state)
{
    fixture *f = *state;
    waras_ingest_result r;
    const char *path = write_in(f, "people.csv",
                                "id,name,email,team,timezone,work_days,work_start,work_end,site,"
                                "identities\n"
                                "ana,Ana Lind,Ana@Example.ORG,core,Asia/Tokyo,Sun-Thu,07:30,15:45,"
                                "Tokyo,git:ana@users.example;pagerduty:PANA1\n"
                                "bo,Bo Berg,,infra,UTC,,,,,\n");
    assert_int_equal(waras_ingest_people(&r, f->s.st, path), 0);
    assert_int_equal(r.rows, 2);
    assert_int_equal(r.already, 0);

    const waras_person want[] = {
        {.id = "ana",
         .name = "Ana Lind",
         .email = "ana@example.org", /* lower-cased */
         .team = "core",
         .timezone = "Asia/Tokyo",
         .site = "Tokyo",
         .work_days = 0x4f, /* Sun-Thu: Sunday (bit 6) and Monday..Thursday (bits 0-3) */
         .work_start = 450,
         .work_end = 945},
        /* Empty optional columns take the defaults: Mon-Fri 08:00-18:00. */
        {.id = "bo",
         .name = "Bo Berg",
         .team = "infra",
         .timezone = "UTC",
         .work_days = 0x1f,
         .work_start = 480,
         .work_end = 1080},
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        th_assert_person(f->s.st, &want[i]);

    char who[64] = "";
    assert_int_equal(
        waras_store_identity_find(who, sizeof(who), f->s.st, "git", "ANA@users.example"), 0);
    assert_string_equal(who, "ana");
    assert_int_equal(waras_store_identity_find(who, sizeof(who), f->s.st, "pagerduty", "PANA1"), 0);
    assert_int_equal(
        waras_store_identity_find(who, sizeof(who), f->s.st, "email", "ana@example.org"), 0);
    assert_int_equal(waras_store_identity_find(who, sizeof(who), f->s.st, "name", "Bo Berg"), 0);
    assert_string_equal(who, "bo");
    /* email (ana), name (ana, bo), git, pagerduty. */
    assert_int_equal(th_count(f->s.st, "identities"), 5);

    /* The same bytes again: nothing done, and said so. */
    assert_int_equal(waras_ingest_people(&r, f->s.st, path), 0);
    assert_int_equal(r.already, 1);
    assert_int_equal(r.rows, 0);
    assert_int_equal(th_count(f->s.st, "sources"), 1);
}

static void test_ingest__people_bad_zone_names_file_line_field(void **state)
{
    fixture *f = *state;
    const waras_error *e = expect_rejected(f, "people", "bad-zone.csv",
                                           "id,name,email,team,timezone\n"
                                           "ana,Ana,ana@example.org,core,UTC\n"
                                           "bo,Bo,bo@example.org,core,Mars/Olympus\n",
                                           "timezone", 3);
    assert_non_null(strstr(e->message, "Mars/Olympus"));
    /* The good first row was not kept either. */
    assert_int_equal(th_count(f->s.st, "people"), 0);
    assert_int_equal(th_count(f->s.st, "identities"), 0);
    assert_int_equal(th_count(f->s.st, "sources"), 0);
}

static void test_ingest__people_missing_column(void **state)
{
    fixture *f = *state;
    expect_rejected(f, "people", "no-zone.csv",
                    "id,name,email,team\n"
                    "ana,Ana,ana@example.org,core\n",
                    "timezone", 1);
    assert_int_equal(th_count(f->s.st, "people"), 0);
}

static void test_ingest__people_row_errors(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *row, *field;
    } bad[] = {
        {"ana,Ana,ana@example.org,core,UTC,Mon-Fri,09:00,17:00\n"
         "ana,Ana 2,ana2@example.org,core,UTC,Mon-Fri,09:00,17:00\n", "id"},
        {"ana,Ana,not-an-address,core,UTC,Mon-Fri,09:00,17:00\n", "email"},
        {"ana,Ana,ana@example.org,,UTC,Mon-Fri,09:00,17:00\n", "team"},
        {"ana,Ana,ana@example.org,core,UTC,Moonday,09:00,17:00\n", "work_days"},
        {"ana,Ana,ana@example.org,core,UTC,Mon-Fri,9am,17:00\n", "work_start"},
        {"ana,Ana,ana@example.org,core,UTC,Mon-Fri,17:00,09:00\n", "work_end"},
        {"a b,Ana,ana@example.org,core,UTC,Mon-Fri,09:00,17:00\n", "id"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char name[32], text[512];
        snprintf(name, sizeof(name), "bad%zu.csv", i);
        snprintf(text, sizeof(text), "id,name,email,team,timezone,work_days,work_start,work_end\n%s",
                 bad[i].row);
        print_message("case %zu\n", i);
        expect_rejected(f, "people", name, text, bad[i].field, 0);
    }
    assert_int_equal(th_count(f->s.st, "people"), 0);
    assert_int_equal(th_count(f->s.st, "sources"), 0);
}

/* --- timesheets --- */

static void test_ingest__timesheet_entries_in_local_time(void **state)
{
    fixture *f = *state;
    waras_ingest_result r;
    load_and_ingest(f, "timesheet", "ts.csv",
                    "person,date,hours,start,end,project\n"
                    "ana,2026-11-16,7.5,,,alpha\n"
                    "ana,2026-11-16,,22:00,02:00,\n"
                    "bo@example.org,2026-11-17,,09:00,12:30,\n",
                    &r);
    assert_int_equal(r.rows, 3);
    assert_int_equal(r.added, 3);
    ev_list *l = events(f, "timesheet");
    assert_int_equal(l->n, 3);
    /* ana: hours from her usual start, 09:00-16:30 UTC. */
    assert_string_equal(l->v[0].person, "ana");
    assert_int_equal(l->v[0].start, MON + 9 * HOUR);
    assert_int_equal(l->v[0].end, MON + 16 * HOUR + 30 * 60);
    assert_string_equal(l->v[0].attrs, "{\"project\":\"alpha\"}");
    assert_string_equal(l->v[0].status, "accepted");
    /* Past midnight: ends the next day. */
    assert_int_equal(l->v[1].start, MON + 22 * HOUR);
    assert_int_equal(l->v[1].end, MON + DAY + 2 * HOUR);
    /* bo, by e-mail, in Berlin: 09:00 local is 08:00 UTC. */
    assert_string_equal(l->v[2].person, "bo");
    assert_int_equal(l->v[2].start, MON + DAY + 8 * HOUR);
    assert_int_equal(l->v[2].end, MON + DAY + 11 * HOUR + 30 * 60);
    /* Two entries on one day have distinct keys. */
    assert_string_not_equal(l->v[0].key, l->v[1].key);
}

/* A store takes a file's events in the order it asks for (the person
 * first on PostgreSQL, the key first on SQLite); either way each person's
 * events keep the file's order, which breaks ties of start and end. */
static void test_ingest__timesheet_ties_keep_file_order(void **state)
{
    fixture *f = *state;
    waras_ingest_result r;
    assert_int_equal(waras_store_events_person_first(f->s.st), th_pg());
    load_and_ingest(f, "timesheet", "ts.csv",
                    "person,date,hours,start,end,project\n"
                    "bo,2026-11-16,,09:00,10:00,x\n"
                    "ana,2026-11-16,,09:00,10:00,b\n"
                    "bo,2026-11-16,,09:00,10:00,y\n"
                    "ana,2026-11-16,,09:00,10:00,a\n"
                    "ana,2026-11-16,,09:00,10:00,c\n",
                    &r);
    assert_int_equal(r.added, 5);
    ev_list *l = events(f, "timesheet");
    assert_int_equal(l->n, 5);
    static const char *const want[][2] = {
        {"ana", "b"}, {"ana", "a"}, {"ana", "c"}, {"bo", "x"}, {"bo", "y"}};
    for (int i = 0; i < 5; i++) {
        char attrs[64];
        snprintf(attrs, sizeof(attrs), "{\"project\":\"%s\"}", want[i][1]);
        assert_string_equal(l->v[i].person, want[i][0]);
        assert_string_equal(l->v[i].attrs, attrs);
    }
}

static void test_ingest__timesheet_bad_row_rejects_file(void **state)
{
    fixture *f = *state;
    waras_ingest_result r;
    load_and_ingest(f, "timesheet", "ok.csv", "person,date,hours\nana,2026-11-16,8\n", &r);
    long events0 = th_count(f->s.st, "events"), sources0 = th_count(f->s.st, "sources");
    assert_int_equal(events0, 1);

    const char *path = write_in(f, "bad.csv",
                                "person,date,hours\n"
                                "ana,2026-11-17,8\n"
                                "bo,2026-11-17,8\n"
                                "ana,2026-11-18,25\n");
    assert_int_equal(waras_ingest_timesheet(&r, f->s.st, path), WARAS_EPARSE);
    assert_string_equal(waras_error_last()->file, path);
    assert_int_equal(waras_error_last()->line, 4);
    assert_string_equal(waras_error_last()->field, "hours");
    assert_unchanged(f, events0, sources0);

    /* Other bad rows, each naming its field. */
    expect_rejected(f, "timesheet", "bad2.csv", "person,date,hours\nzed,2026-11-17,8\n", "person",
                    0);
    expect_rejected(f, "timesheet", "bad3.csv", "person,date,hours\nana,17/11/2026,8\n", "date", 0);
    expect_rejected(f, "timesheet", "bad4.csv", "person,date,start\nana,2026-11-17,09:00\n",
                    "hours", 1);
    assert_unchanged(f, events0, sources0);
}

static void test_ingest__timesheet_same_file_twice_is_noop(void **state)
{
    fixture *f = *state;
    waras_ingest_result r;
    load_and_ingest(f, "timesheet", "ts.csv",
                    "person,date,hours\nana,2026-11-16,8\nana,2026-11-17,6\n", &r);
    const char *path = f->path;
    assert_int_equal(r.added, 2);
    assert_int_equal(waras_ingest_timesheet(&r, f->s.st, path), 0);
    assert_int_equal(r.already, 1);
    assert_int_equal(r.added, 0);
    assert_int_equal(r.removed, 0);
    assert_int_equal(th_count(f->s.st, "events"), 2);
    assert_int_equal(th_count(f->s.st, "sources"), 2); /* people.csv and the timesheet */
}

static void test_ingest__timesheet_changed_file_replaces(void **state)
{
    fixture *f = *state;
    waras_ingest_result r;
    load_and_ingest(f, "timesheet", "ts.csv",
                    "person,date,hours\nana,2026-11-16,8\nana,2026-11-17,6\n", &r);
    const char *path = f->path;
    /* The 16th is gone, the 17th unchanged, the 18th new. */
    write_in(f, "ts.csv", "person,date,hours\nana,2026-11-17,6\nana,2026-11-18,4\n");
    assert_int_equal(waras_ingest_timesheet(&r, f->s.st, path), 0);
    assert_int_equal(r.already, 0);
    assert_int_equal(r.rows, 2);
    assert_int_equal(r.added, 2); /* the 17th moves to the new source; the 18th is new */
    assert_int_equal(r.removed, 1);
    ev_list *l = events(f, NULL);
    assert_int_equal(l->n, 2);
    assert_int_equal(l->v[0].start, MON + DAY + 9 * HOUR);
    assert_int_equal(l->v[0].end, MON + DAY + 15 * HOUR);
    assert_int_equal(l->v[1].start, MON + 2 * DAY + 9 * HOUR);
    assert_int_equal(l->v[1].end, MON + 2 * DAY + 13 * HOUR);
}

/* --- leave CSV --- */

/* Loads two_people, then ingests leave.csv holding text: `rows` rows that
 * become as many leave events, which it returns. */
static ev_list *leave_csv(fixture *f, const char *text, long rows)
{
    waras_ingest_result r;
    load_and_ingest(f, "leave", "leave.csv", text, &r);
    assert_int_equal(r.rows, rows);
    ev_list *l = events(f, "leave");
    assert_int_equal(l->n, rows);
    return l;
}

static void test_ingest__leave_csv_whole_local_days(void **state)
{
    ev_list *l = leave_csv(*state,
                           "person,start,end,type\n"
                           "ana,2026-12-21,2026-12-23,sick\n"
                           "bo,2026-11-20,2026-11-20,\n",
                           2);
    /* ana, UTC: 2026-12-21T00:00Z to 2026-12-24T00:00Z. */
    assert_string_equal(l->v[0].person, "ana");
    assert_int_equal(l->v[0].start, 1797811200LL);
    assert_int_equal(l->v[0].end, 1798070400LL);
    assert_int_equal(l->v[0].all_day, 1);
    assert_string_equal(l->v[0].attrs, "{\"type\":\"sick\"}");
    /* bo, Berlin: local midnight is 23:00 UTC the day before; default type. */
    assert_string_equal(l->v[1].person, "bo");
    assert_int_equal(l->v[1].start, MON + 4 * DAY - HOUR);
    assert_int_equal(l->v[1].end, MON + 5 * DAY - HOUR);
    assert_string_equal(l->v[1].attrs, "{\"type\":\"vacation\"}");
}

/* Two rows for the same days but different types stay two events. */
static void test_ingest__leave_csv_same_days_two_types(void **state)
{
    leave_csv(*state,
              "person,start,end,type\n"
              "ana,2026-12-01,2026-12-02,sick\n"
              "ana,2026-12-01,2026-12-02,vacation\n",
              2);
}

static void test_ingest__leave_csv_errors_change_nothing(void **state)
{
    fixture *f = *state;
    load_people(f);
    expect_rejected(f, "leave", "l1.csv",
                    "person,start,end\n"
                    "ana,2026-12-01,2026-12-02\n"
                    "ana,2026-12-10,2026-12-09\n",
                    "end", 3);
    expect_rejected(f, "leave", "l2.csv",
                    "person,start,end,type\n"
                    "ana,2026-12-01,2026-12-02,sabbatical\n",
                    "type", 0);
    expect_rejected(f, "leave", "l3.csv", "person,start\nana,2026-12-01\n", "end", 1);
    assert_int_equal(th_count(f->s.st, "events"), 0);
    assert_int_equal(th_count(f->s.st, "sources"), 1); /* people.csv only */
}

/* --- calendars --- */

/* Monday 10:00-11:00Z accepted by ana; Tuesday 10:00-12:00Z declined by
 * ana; Wednesday 10:00-11:00Z organised by ana and marked free. */
static const char *const ana_calendar =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
    "BEGIN:VEVENT\r\nUID:m1@test\r\nDTSTAMP:20261101T000000Z\r\n"
    "DTSTART:20261116T100000Z\r\nDTEND:20261116T110000Z\r\nSUMMARY:Planning\r\n"
    "ORGANIZER:mailto:bo@example.org\r\n"
    "ATTENDEE;PARTSTAT=ACCEPTED:mailto:ana@example.org\r\n"
    "ATTENDEE;PARTSTAT=ACCEPTED:mailto:bo@example.org\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:m2@test\r\nDTSTAMP:20261101T000000Z\r\n"
    "DTSTART:20261117T100000Z\r\nDTEND:20261117T120000Z\r\nSUMMARY:Review\r\n"
    "ORGANIZER:mailto:bo@example.org\r\n"
    "ATTENDEE;PARTSTAT=DECLINED:mailto:ana@example.org\r\n"
    "ATTENDEE;PARTSTAT=ACCEPTED:mailto:bo@example.org\r\n"
    "ATTENDEE;PARTSTAT=ACCEPTED:mailto:guest@elsewhere.example\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:m3@test\r\nDTSTAMP:20261101T000000Z\r\n"
    "DTSTART:20261118T100000Z\r\nDTEND:20261118T110000Z\r\nSUMMARY:Hold\r\n"
    "TRANSP:TRANSPARENT\r\nORGANIZER:mailto:ana@example.org\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n";

static const waras_ingest_ics_opts window = {.from = {2026, 10, 1}, .to = {2027, 1, 31}};

/* Loads two_people and ingests ana_calendar, written as `name`, as ana's
 * own export over the window; asserts success. */
static void load_ana_calendar(fixture *f, const char *name, waras_ingest_result *r)
{
    load_people(f);
    waras_ingest_ics_opts o = window;
    o.person = "ana";
    assert_int_equal(waras_ingest_ics(r, f->s.st, write_in(f, name, ana_calendar), &o), 0);
}

static void test_ingest__ics_owner_decline_is_declined(void **state)
{
    fixture *f = *state;
    waras_ingest_result r;
    load_ana_calendar(f, "ana.ics", &r);
    assert_int_equal(r.rows, 3);
    ev_list *l = events(f, NULL);
    assert_int_equal(l->n, 3);
    for (int i = 0; i < 3; i++) {
        assert_string_equal(l->v[i].person, "ana");
        assert_string_equal(l->v[i].kind, "meeting");
    }
    assert_string_equal(l->v[0].status, "accepted");
    assert_int_equal(l->v[0].start, MON + 10 * HOUR);
    assert_string_equal(l->v[1].status, "declined");
    assert_int_equal(l->v[1].end, MON + DAY + 12 * HOUR);
    assert_non_null(strstr(l->v[1].attrs, "\"external\":1"));
    assert_string_equal(l->v[2].status, "free");

    /* Only the accepted hour is meeting time in ana's week. */
    waras_person ana;
    waras_week_metrics *w = NULL;
    size_t n = 0;
    waras_date monday = waras_time__date(MON / DAY);
    assert_int_equal(waras_store_person_get(&ana, f->s.st, "ana"), 0);
    assert_int_equal(waras_metrics_weeks(&w, &n, f->s.st, &ana, NULL, monday, monday), 0);
    assert_int_equal(n, 1);
    assert_float_equal(w[0].meeting_hours, 1.0, 1e-9);
    assert_float_equal(w[0].worked_hours, 1.0, 1e-9);
    free(w);
}

static void test_ingest__ics_attendees_mapped_by_email(void **state)
{
    fixture *f = *state;
    waras_ingest_result r;
    load_people(f);
    assert_int_equal(
        waras_ingest_ics(&r, f->s.st, write_in(f, "shared.ics", ana_calendar), &window), 0);
    ev_list *l = events(f, NULL);
    /* m1: bo (organiser) and ana; m2: bo and ana (declined); m3: ana. */
    assert_int_equal(l->n, 5);
    int declined = 0, bo = 0;
    for (int i = 0; i < l->n; i++) {
        declined += strcmp(l->v[i].status, "declined") == 0;
        bo += strcmp(l->v[i].person, "bo") == 0;
        if (strcmp(l->v[i].status, "declined") == 0) {
            assert_string_equal(l->v[i].person, "ana");
            assert_int_equal(l->v[i].start, MON + DAY + 10 * HOUR);
        }
    }
    assert_int_equal(declined, 1);
    assert_int_equal(bo, 2);
    /* The outside guest is named in the note. */
    assert_non_null(strstr(r.note, "guest@elsewhere.example"));
}

static void test_ingest__ics_bad_file_changes_nothing(void **state)
{
    fixture *f = *state;
    waras_ingest_result r;
    load_ana_calendar(f, "good.ics", &r);
    waras_ingest_ics_opts o = window;
    o.person = "ana";
    long events0 = th_count(f->s.st, "events"), sources0 = th_count(f->s.st, "sources");
    assert_int_not_equal(
        waras_ingest_ics(&r, f->s.st, write_in(f, "bad.ics", "this is not a calendar\nat all\n"),
                         &o),
        0);
    assert_unchanged(f, events0, sources0);
    /* An unknown owner is refused before anything is read. */
    o.person = "zed";
    assert_int_equal(waras_ingest_ics(&r, f->s.st, write_in(f, "zed.ics", ana_calendar), &o),
                     WARAS_ENOTFOUND);
    assert_unchanged(f, events0, sources0);
}

static void test_ingest__leave_ics_is_leave(void **state)
{
    fixture *f = *state;
    waras_ingest_result r;
    load_people(f);
    const char *path = write_in(f, "leave.ics",
                                "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
                                "BEGIN:VEVENT\r\nUID:off1@test\r\nDTSTAMP:20261101T000000Z\r\n"
                                "DTSTART;VALUE=DATE:20261221\r\nDTEND;VALUE=DATE:20261224\r\n"
                                "SUMMARY:Away\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
    assert_int_equal(waras_ingest_leave(&r, f->s.st, path, "bo"), 0);
    ev_list *l = events(f, NULL);
    assert_int_equal(l->n, 1);
    assert_string_equal(l->v[0].person, "bo");
    assert_string_equal(l->v[0].kind, "leave");
    assert_int_equal(l->v[0].all_day, 1);
    /* Berlin midnight of the 21st to that of the 24th. */
    assert_int_equal(l->v[0].start, 1797811200LL - HOUR);
    assert_int_equal(l->v[0].end, 1798070400LL - HOUR);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, th_scratch_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_ingest__people_columns),
        T(test_ingest__people_bad_zone_names_file_line_field),
        T(test_ingest__people_missing_column),
        T(test_ingest__people_row_errors),
        T(test_ingest__timesheet_entries_in_local_time),
        T(test_ingest__timesheet_ties_keep_file_order),
        T(test_ingest__timesheet_bad_row_rejects_file),
        T(test_ingest__timesheet_same_file_twice_is_noop),
        T(test_ingest__timesheet_changed_file_replaces),
        T(test_ingest__leave_csv_whole_local_days),
        T(test_ingest__leave_csv_same_days_two_types),
        T(test_ingest__leave_csv_errors_change_nothing),
        T(test_ingest__ics_owner_decline_is_declined),
        T(test_ingest__ics_attendees_mapped_by_email),
        T(test_ingest__ics_bad_file_changes_nothing),
        T(test_ingest__leave_ics_is_leave),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
