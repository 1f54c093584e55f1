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
#include <unistd.h>

#include "waras/error.h"
#include "waras/ingest.h"
#include "waras/store.h"
#include "waras/time.h"

typedef struct fixture {
    char dir[64];
    char db[96];
    char ics[96];
    waras_store *st;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    if (!f)
        return -1;
    snprintf(f->dir, sizeof(f->dir), "/tmp/waras-test-ingest-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->db, sizeof(f->db), "%s/store.db", f->dir);
    snprintf(f->ics, sizeof(f->ics), "%s/cal.ics", f->dir);
    if (waras_store_open(&f->st, f->db, WARAS_STORE_CREATE))
        return -1;
    waras_person p = {.id = "ana", .team = "inference", .timezone = "UTC",
                      .work_days = 0x1f, .work_start = 8 * 60, .work_end = 18 * 60};
    if (waras_store_person_put(f->st, &p))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char aux[128];
    waras_store_close(f->st);
    waras_clock_reset();
    unlink(f->db);
    snprintf(aux, sizeof(aux), "%s-wal", f->db);
    unlink(aux);
    snprintf(aux, sizeof(aux), "%s-shm", f->db);
    unlink(aux);
    unlink(f->ics);
    rmdir(f->dir);
    free(f);
    return 0;
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
    assert_int_equal(waras_ingest_ics(f->st, f->ics, &o, &res), 0);
    assert_int_equal(res.rows, 2);
    assert_int_equal(res.added, 2);

    starts s = {0};
    assert_int_equal(waras_store_events_each(f->st, "ana", NULL, 0, utc(2100, 1, 1, 0), collect, &s),
                     0);
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
