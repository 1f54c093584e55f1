/*
 * Unit tests for the ingest adapters' use of the library clock: a calendar
 * ingested without --from/--to expands over the two years before and the
 * year after "now", and "now" is waras_clock_now(), so a fixed clock fixes
 * which events come in.
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
#include "waras/error.h"
#include "waras/ingest.h"
#include "waras/store.h"
#include "waras/time.h"

typedef struct fixture {
    th_scratch s;
    char ics[96];
} fixture;

static int setup(void **state)
{
    if (th_scratch_setup(state, sizeof(fixture), "ingest"))
        return -1;
    fixture *f = *state;
    th_path(f->ics, sizeof(f->ics), f->s.dir, "cal.ics");
    return th_person_put(f->s.st, "ana", "inference", "UTC", 0x1f, 8 * 60, 18 * 60) ? -1 : 0;
}

static int teardown(void **state)
{
    waras_clock_reset();
    return th_scratch_teardown(state);
}

static waras_instant utc(int y, int mo, int d, int h)
{
    waras_civil c = {y, mo, d, h, 0, 0};
    return waras_civil_to_epoch(&c);
}

typedef struct starts {
    waras_instant v[8];
    int n;
} starts;

static int collect(void *ctx, const waras_event *ev)
{
    starts *s = ctx;
    if (s->n < 8)
        s->v[s->n] = ev->start;
    s->n++;
    return 0;
}

static void test_ingest__ics_default_window_follows_clock(void **state)
{
    fixture *f = *state;
    /* One-hour meetings at noon UTC on the days either side of both edges of
     * the window for "now" = 2026-06-10: [today - 731 days, today + 366 days)
     * is [2024-06-09, 2027-06-11). */
    static const char *const days[] = {"20240608", "20240609", "20270610", "20270611"};
    FILE *fp = fopen(f->ics, "w");
    assert_non_null(fp);
    fputs("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//waras//test//EN\r\n", fp);
    for (int i = 0; i < 4; i++)
        fprintf(fp,
                "BEGIN:VEVENT\r\nUID:edge-%d@test\r\nDTSTAMP:20240101T000000Z\r\n"
                "DTSTART:%sT120000Z\r\nDTEND:%sT130000Z\r\nSUMMARY:Edge %d\r\nEND:VEVENT\r\n",
                i, days[i], days[i], i);
    fputs("END:VCALENDAR\r\n", fp);
    fclose(fp);

    waras_clock_set(utc(2026, 6, 10, 12));
    waras_ingest_ics_opts o = {.person = "ana"};
    waras_ingest_result res;
    memset(&res, 0, sizeof(res));
    assert_int_equal(waras_ingest_ics(&res, f->s.st, f->ics, &o), 0);
    assert_int_equal(res.rows, 2);
    assert_int_equal(res.added, 2);

    starts s = {0};
    assert_int_equal(
        waras_store_events_each(f->s.st, "ana", NULL, 0, utc(2100, 1, 1, 0), collect, &s), 0);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.v[0], utc(2024, 6, 9, 12));
    assert_int_equal(s.v[1], utc(2027, 6, 10, 12));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ingest__ics_default_window_follows_clock, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
