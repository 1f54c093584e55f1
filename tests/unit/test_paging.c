/*
 * Unit tests for the paging adapters' shared pieces (times with offsets)
 * and for the demo's paging history: it ingests cleanly, twice is a no-op,
 * training pages lean to the night and the heavy people carry more.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "demo/demo_paging.h"
#include "ingest/paging_internal.h"
#include "waras/error.h"
#include "waras/ingest.h"
#include "waras/store.h"
#include "time/days.h"

static void test_paging__times_with_offsets(void **state)
{
    waras_instant t;
    assert_int_equal(waras_ingest__paging_time("2026-11-17T02:14:05+07:00", &t), 0);
    assert_int_equal(t, 1794856445);
    assert_int_equal(waras_ingest__paging_time("2026-11-16T19:14:05Z", &t), 0);
    assert_int_equal(t, 1794856445);
    assert_int_equal(waras_ingest__paging_time("2026-11-16 19:14:05.731 UTC", &t), 0);
    assert_int_equal(t, 1794856445);
    assert_int_equal(waras_ingest__paging_time("2026-11-16 11:14:05 -0800", &t), 0);
    assert_int_equal(t, 1794856445);
    assert_int_equal(waras_ingest__paging_time(" 2026-11-16T19:14:05+00 ", &t), 0);
    assert_int_equal(t, 1794856445);
    /* No zone, no guess. */
    assert_int_equal(waras_ingest__paging_time("2026-11-16T19:14:05", &t), WARAS_EINVAL);
    assert_int_equal(waras_ingest__paging_time("", &t), WARAS_EINVAL);
    assert_int_equal(waras_ingest__paging_time("yesterday", &t), WARAS_EINVAL);
}

static const waras_demo_pager people[] = {
    {.id = "ayu",
     .name = "Ayu Santoso",
     .email = "ayu@lab.example",
     .team = "training-infra",
     .zone = "America/Los_Angeles",
     .load = 0,
     .away_first = 0,
     .away_last = -1},
    {.id = "budi",
     .name = "Budi Wijaya",
     .email = "budi@lab.example",
     .team = "training-infra",
     .zone = "America/Los_Angeles",
     .load = 2,
     .away_first = 0,
     .away_last = -1},
    {.id = "citra",
     .name = "Citra Hartono",
     .email = "citra@lab.example",
     .team = "training-infra",
     .zone = "Europe/Berlin",
     .load = 1,
     .away_first = 0,
     .away_last = -1},
    {.id = "dewi",
     .name = "Dewi Schmidt",
     .email = "dewi@lab.example",
     .team = "training-infra",
     .zone = "Asia/Jakarta",
     .load = 0,
     .away_first = 0,
     .away_last = -1},
    {.id = "eko",
     .name = "Eko Fischer",
     .email = "eko@lab.example",
     .team = "inference",
     .zone = "Asia/Jakarta",
     .load = 0,
     .away_first = 0,
     .away_last = -1},
    {.id = "fitri",
     .name = "Fitri Weber",
     .email = "fitri@lab.example",
     .team = "inference",
     .zone = "Europe/Berlin",
     .load = 0,
     .away_first = 0,
     .away_last = -1},
    {.id = "gilang",
     .name = "Gilang Kim",
     .email = "gilang@lab.example",
     .team = "research",
     .zone = "Europe/London",
     .load = 0,
     .away_first = 0,
     .away_last = -1},
    {.id = "hana",
     .name = "Hana Patel",
     .email = "hana@lab.example",
     .team = "research",
     .zone = "Asia/Jakarta",
     .load = 0,
     .away_first = 0,
     .away_last = -1},
};
#define NPEOPLE (sizeof(people) / sizeof(people[0]))

typedef struct tally {
    long pages[NPEOPLE], night[NPEOPLE], shifts, incidents;
} tally;

static int count(void *ctx, const waras_event *ev)
{
    tally *t = ctx;
    for (size_t i = 0; i < NPEOPLE; i++) {
        if (strcmp(ev->person, people[i].id) != 0)
            continue;
        if (strcmp(ev->kind, "page") == 0 && !strstr(ev->attrs, "\"email\"")) {
            const waras_tz *tz;
            waras_civil c;
            assert_int_equal(waras_tz_get(&tz, people[i].zone), 0);
            waras_tz_to_local(&c, tz, ev->start);
            t->pages[i]++;
            t->night[i] += c.hour >= 22 || c.hour < 8;
        }
    }
    t->shifts += strcmp(ev->kind, "shift") == 0;
    t->incidents += strcmp(ev->kind, "incident") == 0;
    return 0;
}

static void test_paging__demo_history(void **state)
{
    char dir[] = "/tmp/waras-paging-test-XXXXXX", path[512];
    assert_non_null(mkdtemp(dir));
    waras_demo_paging_opts o = {
        .dir = dir,
        .seed = 11,
        .first_day = waras_time__days_from_civil(2026, 8, 31), /* a Monday */
        .last_day = waras_time__days_from_civil(2026, 11, 22),
        .people = people,
        .npeople = NPEOPLE,
    };
    waras_demo_paging_summary s, s2;
    assert_int_equal(waras_demo_paging_generate(&o, &s), 0);
    assert_true(s.incidents > 50);
    assert_int_equal(s.nschedules, 2);
    assert_int_equal(waras_demo_paging_generate(&o, &s2), 0);
    assert_int_equal(s.notifications, s2.notifications);

    snprintf(path, sizeof(path), "%s/people.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("id,name,email,team,timezone\n", f);
    for (size_t i = 0; i < NPEOPLE; i++)
        fprintf(f, "%s,%s,%s,%s,%s\n", people[i].id, people[i].name, people[i].email,
                people[i].team, people[i].zone);
    fclose(f);
    waras_store *st;
    waras_ingest_result r;
    snprintf(path, sizeof(path), "%s/w.db", dir);
    assert_int_equal(waras_store_open(&st, path, WARAS_STORE_CREATE), 0);
    snprintf(path, sizeof(path), "%s/people.csv", dir);
    assert_int_equal(waras_ingest_people(&r, st, path), 0);
    assert_int_equal(waras_ingest_pagerduty(&r, st, s.log_entries_json), 0);
    assert_int_equal(r.skipped, 0);
    if (r.note[0])
        fail_msg("note: %s", r.note);
    long before, after;
    assert_int_equal(waras_store_count(&before, st, "events"), 0);
    /* The same incidents as the log entries (which embed them): nothing is
     * added or changed. */
    assert_int_equal(waras_ingest_pagerduty(&r, st, s.incidents_json), 0);
    assert_int_equal(r.added, 0);
    assert_true(r.unchanged > 0);
    assert_int_equal(waras_store_count(&after, st, "events"), 0);
    assert_int_equal(before, after);
    assert_int_equal(waras_ingest_pagerduty(&r, st, s.log_entries_json), 0);
    assert_int_equal(r.already, 1);
    for (int i = 0; i < s.nschedules; i++)
        assert_int_equal(waras_ingest_pagerduty(&r, st, s.schedules[i]), 0);
    assert_int_equal(waras_ingest_oncall_ics(&r, st, s.oncall_ics), 0);
    assert_int_equal(r.skipped, 0);

    tally t = {0};
    assert_int_equal(waras_store_events_each(st, NULL, NULL, INT64_MIN, INT64_MAX, count, &t), 0);
    assert_int_equal(t.shifts, s.shifts);
    assert_true(t.incidents > 0);
    /* Training pages lean to the night; the extreme and heavy people carry more. */
    long train = 0, train_night = 0;
    for (size_t i = 0; i < 4; i++) {
        train += t.pages[i];
        train_night += t.night[i];
    }
    assert_true(train_night * 2 > train);
    assert_true(t.pages[1] > t.pages[0] && t.pages[1] > t.pages[3]);
    waras_store_close(st);
    snprintf(path, sizeof(path), "rm -rf '%s'", dir);
    assert_int_equal(system(path), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paging__times_with_offsets),
        cmocka_unit_test(test_paging__demo_history),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
