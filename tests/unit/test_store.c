/*
 * Unit tests of the store, on SQLite or (WARAS_TEST_PG set, see
 * store_where.h) on PostgreSQL, the same tests for both: opening and creating a store file, the
 * schema version, people and identities, source provenance (seen, add,
 * finish, supersede), idempotent event writes, the event walk (order, kind
 * filter, half-open overlap), transactions that roll back to the exact
 * earlier state, recorded plans and the event span.
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
#include "waras/store.h"
#include "waras/time.h"

typedef struct fixture {
    TH_SCRATCH_FIRST;
    char path[600]; /* the store th_scratch_setup opened */
} fixture;

static int setup(void **state)
{
    if (th_scratch_setup(state, sizeof(fixture), "store"))
        return -1;
    fixture *f = *state;
    return th_store_where(f->path, sizeof(f->path), f->dir, 0);
}

static int teardown(void **state)
{
    return th_scratch_teardown(state);
}

static void put_person(waras_store *st, const char *id, const char *team)
{
    waras_person p = {.work_days = 0x1f, .work_start = 9 * 60, .work_end = 17 * 60};
    snprintf(p.id, sizeof(p.id), "%s", id);
    snprintf(p.name, sizeof(p.name), "Name of %s", id);
    snprintf(p.team, sizeof(p.team), "%s", team);
    snprintf(p.timezone, sizeof(p.timezone), "UTC");
    assert_int_equal(waras_store_person_put(st, &p), 0);
}

static int put_event(waras_store *st, const char *person, const char *kind, const char *key,
                     waras_instant start, waras_instant end, int64_t source)
{
    waras_event ev = {.person = person,
                      .kind = kind,
                      .status = "accepted",
                      .start = start,
                      .end = end,
                      .source = source,
                      .source_kind = "test",
                      .source_key = key};
    int changed = -1;
    assert_int_equal(waras_store_event_put(&changed, st, &ev), 0);
    return changed;
}

/* --- open / create --- */

static void test_store__missing_without_create_is_notfound(void **state)
{
    fixture *f = *state;
    char path[600];
    waras_store *st = NULL;
    char absent[96];
    /* On PostgreSQL: an empty schema, where no store was made. */
    snprintf(absent, sizeof(absent), "%s-absent", f->dir);
    assert_int_equal(th_store_where(path, sizeof(path), th_pg() ? absent : f->dir, 1), 0);
    if (!th_pg())
        th_path(path, sizeof(path), f->dir, "absent.db");
    assert_int_equal(waras_store_open(&st, path, 0), WARAS_ENOTFOUND);
    assert_null(st);
    assert_int_equal(waras_store_open(&st, path, WARAS_STORE_READONLY), WARAS_ENOTFOUND);
    assert_int_equal(waras_error_last()->code, WARAS_ENOTFOUND);
    /* Nothing was created by the failed opens: still no store there. */
    if (!th_pg())
        assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(waras_store_open(&st, path, 0), WARAS_ENOTFOUND);
}

static void test_store__create_migrates_to_current_schema(void **state)
{
    fixture *f = *state;
    /* Two migrations exist: the first schema and the utc_offset column. */
    assert_int_equal(waras_store_schema_version(f->st), 7);
    assert_int_equal(th_count(f->st, "people"), 0);
    assert_int_equal(th_count(f->st, "events"), 0);
    if (!th_pg())
        assert_int_equal(access(f->path, F_OK), 0);
}

static void test_store__reopen_keeps_data_and_version(void **state)
{
    fixture *f = *state;
    put_person(f->st, "ana", "t");
    waras_store_close(f->st);
    f->st = NULL;
    assert_int_equal(waras_store_open(&f->st, f->path, 0), 0);
    assert_int_equal(waras_store_schema_version(f->st), 7);
    waras_person p;
    assert_int_equal(waras_store_person_get(&p, f->st, "ana"), 0);
    assert_string_equal(p.name, "Name of ana");
    waras_store_close(f->st);
    f->st = NULL;
    /* Read-only opens an existing current store too. */
    assert_int_equal(waras_store_open(&f->st, f->path, WARAS_STORE_READONLY), 0);
    assert_int_equal(th_count(f->st, "people"), 1);
}

static void test_store__count_rejects_unknown_table(void **state)
{
    fixture *f = *state;
    long n = 77;
    assert_int_equal(waras_store_count(&n, f->st, "people; DROP TABLE people"), WARAS_EINVAL);
    assert_int_equal(n, 77);
}

/* --- people --- */

static void test_store__person_put_get_replace(void **state)
{
    fixture *f = *state;
    waras_person p = {.work_days = 0x21, .work_start = 7 * 60 + 30, .work_end = 16 * 60};
    snprintf(p.id, sizeof(p.id), "bo");
    snprintf(p.name, sizeof(p.name), "Bo Berg");
    snprintf(p.email, sizeof(p.email), "bo@example.org");
    snprintf(p.team, sizeof(p.team), "infra");
    snprintf(p.timezone, sizeof(p.timezone), "Europe/Stockholm");
    snprintf(p.site, sizeof(p.site), "Lund");
    assert_int_equal(waras_store_person_put(f->st, &p), 0);

    waras_person g;
    assert_int_equal(waras_store_person_get(&g, f->st, "bo"), 0);
    assert_string_equal(g.name, "Bo Berg");
    assert_string_equal(g.email, "bo@example.org");
    assert_string_equal(g.team, "infra");
    assert_string_equal(g.timezone, "Europe/Stockholm");
    assert_string_equal(g.site, "Lund");
    assert_int_equal(g.work_days, 0x21);
    assert_int_equal(g.work_start, 450);
    assert_int_equal(g.work_end, 960);

    /* Same id again: replaced, not duplicated. */
    snprintf(p.team, sizeof(p.team), "research");
    p.work_end = 18 * 60;
    assert_int_equal(waras_store_person_put(f->st, &p), 0);
    assert_int_equal(th_count(f->st, "people"), 1);
    assert_int_equal(waras_store_person_get(&g, f->st, "bo"), 0);
    assert_string_equal(g.team, "research");
    assert_int_equal(g.work_end, 1080);

    assert_int_equal(waras_store_person_get(&g, f->st, "nobody"), WARAS_ENOTFOUND);
}

static void test_store__people_list_by_team_then_id(void **state)
{
    fixture *f = *state;
    put_person(f->st, "zed", "alpha");
    put_person(f->st, "bo", "zulu");
    put_person(f->st, "ana", "zulu");
    put_person(f->st, "cy", "alpha");
    waras_person *v = NULL;
    size_t n = 0;
    assert_int_equal(waras_store_people_list(&v, &n, f->st), 0);
    assert_int_equal(n, 4);
    assert_string_equal(v[0].id, "cy");
    assert_string_equal(v[1].id, "zed");
    assert_string_equal(v[2].id, "ana");
    assert_string_equal(v[3].id, "bo");
    assert_string_equal(v[3].team, "zulu");
    free(v);
}

static void test_store__identity_lookup_is_case_insensitive(void **state)
{
    fixture *f = *state;
    char who[64] = "";
    put_person(f->st, "ana", "t");
    put_person(f->st, "bo", "t");
    assert_int_equal(waras_store_identity_put(f->st, "ana", "email", "Ana.Lind@Example.ORG"), 0);
    assert_int_equal(
        waras_store_identity_find(who, sizeof(who), f->st, "email", "ana.lind@example.org"), 0);
    assert_string_equal(who, "ana");
    assert_int_equal(
        waras_store_identity_find(who, sizeof(who), f->st, "email", "ANA.LIND@EXAMPLE.ORG"), 0);
    assert_string_equal(who, "ana");
    /* The kind is part of the key. */
    assert_int_equal(
        waras_store_identity_find(who, sizeof(who), f->st, "git", "ana.lind@example.org"),
        WARAS_ENOTFOUND);
    assert_int_equal(waras_store_identity_find(who, sizeof(who), f->st, "email", "bo@example.org"),
                     WARAS_ENOTFOUND);
    /* The same value in another case is the same identity: moved to bo. */
    assert_int_equal(waras_store_identity_put(f->st, "bo", "email", "ANA.LIND@example.org"), 0);
    assert_int_equal(th_count(f->st, "identities"), 1);
    assert_int_equal(
        waras_store_identity_find(who, sizeof(who), f->st, "email", "ana.lind@example.org"), 0);
    assert_string_equal(who, "bo");
}

/* --- sources --- */

static void test_store__source_seen_add_finish(void **state)
{
    fixture *f = *state;
    int seen = -1;
    int64_t id1 = 0, id2 = 0;
    assert_int_equal(waras_store_source_seen(&seen, f->st, "ics", "aaaa"), 0);
    assert_int_equal(seen, 0);
    assert_int_equal(waras_store_source_add(&id1, f->st, "ics", "/x/a.ics", "aaaa"), 0);
    assert_true(id1 > 0);
    assert_int_equal(waras_store_source_seen(&seen, f->st, "ics", "aaaa"), 0);
    assert_int_equal(seen, 1);
    /* Same bytes as another kind are not seen. */
    assert_int_equal(waras_store_source_seen(&seen, f->st, "leave", "aaaa"), 0);
    assert_int_equal(seen, 0);
    /* The same (kind, hash) twice is refused by the schema. */
    assert_int_not_equal(waras_store_source_add(&id2, f->st, "ics", "/x/b.ics", "aaaa"), 0);
    assert_int_equal(waras_store_source_add(&id2, f->st, "ics", "/x/a.ics", "bbbb"), 0);
    assert_true(id2 > id1);
    assert_int_equal(waras_store_source_finish(f->st, id1, 12, 3), 0);
    assert_int_equal(th_count(f->st, "sources"), 2);
}

static void test_store__supersede_drops_earlier_version_events(void **state)
{
    fixture *f = *state;
    int64_t v1, v2, other;
    long removed = -1;
    put_person(f->st, "ana", "t");
    assert_int_equal(waras_store_source_add(&v1, f->st, "test", "/in/a.csv", "h1"), 0);
    assert_int_equal(waras_store_source_add(&other, f->st, "test", "/in/other.csv", "h9"), 0);
    put_event(f->st, "ana", "meeting", "k1", 1000, 2000, v1);
    put_event(f->st, "ana", "meeting", "k2", 3000, 4000, v1);
    put_event(f->st, "ana", "meeting", "o1", 5000, 6000, other);
    /* The changed file: k2 again (now from v2) and a new k3; k1 is gone. */
    assert_int_equal(waras_store_source_add(&v2, f->st, "test", "/in/a.csv", "h2"), 0);
    put_event(f->st, "ana", "meeting", "k2", 3000, 4000, v2);
    put_event(f->st, "ana", "meeting", "k3", 7000, 8000, v2);
    assert_int_equal(th_count(f->st, "events"), 4);
    assert_int_equal(waras_store_source_supersede(&removed, f->st, v2, "test", "/in/a.csv"), 0);
    assert_int_equal(removed, 1);
    assert_int_equal(th_count(f->st, "events"), 3);
    /* Again: nothing more to drop. */
    assert_int_equal(waras_store_source_supersede(&removed, f->st, v2, "test", "/in/a.csv"), 0);
    assert_int_equal(removed, 0);
}

/* --- events --- */

typedef struct seen_events {
    int n;
    char keys[16][32];
    char people[16][16];
    waras_instant start[16];
} seen_events;

static int collect(void *ctx, const waras_event *ev)
{
    seen_events *s = ctx;
    if (s->n < 16) {
        snprintf(s->keys[s->n], sizeof(s->keys[0]), "%s", ev->source_key);
        snprintf(s->people[s->n], sizeof(s->people[0]), "%s", ev->person);
        s->start[s->n] = ev->start;
    }
    s->n++;
    return 0;
}

static void test_store__event_put_is_idempotent(void **state)
{
    fixture *f = *state;
    put_person(f->st, "ana", "t");
    assert_int_equal(put_event(f->st, "ana", "meeting", "k", 100, 200, 0), 1);
    assert_int_equal(put_event(f->st, "ana", "meeting", "k", 100, 200, 0), 0);
    assert_int_equal(th_count(f->st, "events"), 1);
    /* The same key with a new end: updated in place. */
    assert_int_equal(put_event(f->st, "ana", "meeting", "k", 100, 260, 0), 1);
    assert_int_equal(th_count(f->st, "events"), 1);
    /* A status change is a change too. */
    waras_event ev = {.person = "ana",
                      .kind = "meeting",
                      .status = "declined",
                      .start = 100,
                      .end = 260,
                      .source_kind = "test",
                      .source_key = "k"};
    int changed = -1;
    assert_int_equal(waras_store_event_put(&changed, f->st, &ev), 0);
    assert_int_equal(changed, 1);
    assert_int_equal(waras_store_event_put(&changed, f->st, &ev), 0);
    assert_int_equal(changed, 0);
    seen_events s = {0};
    assert_int_equal(waras_store_events_each(f->st, "ana", NULL, 0, 1000, collect, &s), 0);
    assert_int_equal(s.n, 1);
    /* The same key under another source kind is another event. */
    ev.source_kind = "other";
    assert_int_equal(waras_store_event_put(&changed, f->st, &ev), 0);
    assert_int_equal(changed, 1);
    assert_int_equal(th_count(f->st, "events"), 2);
}

static int check_fields(void *ctx, const waras_event *ev)
{
    int *calls = ctx;
    (*calls)++;
    assert_string_equal(ev->kind, "commit");
    assert_null(ev->status);
    assert_int_equal(ev->all_day, 0);
    assert_string_equal(ev->attrs, "{\"merge\":true}");
    assert_int_equal(ev->has_utc_offset, 1);
    assert_int_equal(ev->utc_offset, -18000);
    return 0;
}

static void test_store__event_fields_round_trip(void **state)
{
    fixture *f = *state;
    put_person(f->st, "ana", "t");
    waras_event ev = {.person = "ana",
                      .kind = "commit",
                      .start = 500,
                      .end = 500,
                      .source_kind = "git",
                      .source_key = "abc123",
                      .attrs = "{\"merge\":true}",
                      .has_utc_offset = 1,
                      .utc_offset = -18000};
    int changed = 0, calls = 0;
    assert_int_equal(waras_store_event_put(&changed, f->st, &ev), 0);
    assert_int_equal(waras_store_events_each(f->st, NULL, NULL, 0, 1000, check_fields, &calls), 0);
    assert_int_equal(calls, 1);
}

static void test_store__events_each_order_and_kind_filter(void **state)
{
    fixture *f = *state;
    put_person(f->st, "bo", "t");
    put_person(f->st, "ana", "t");
    put_event(f->st, "bo", "meeting", "b2", 300, 400, 0);
    put_event(f->st, "bo", "leave", "b1", 100, 200, 0);
    put_event(f->st, "ana", "commit", "a2", 250, 250, 0);
    put_event(f->st, "ana", "meeting", "a1", 150, 160, 0);

    seen_events s = {0};
    assert_int_equal(waras_store_events_each(f->st, NULL, NULL, 0, 1000, collect, &s), 0);
    assert_int_equal(s.n, 4);
    assert_string_equal(s.keys[0], "a1");
    assert_string_equal(s.keys[1], "a2");
    assert_string_equal(s.keys[2], "b1");
    assert_string_equal(s.keys[3], "b2");

    memset(&s, 0, sizeof(s));
    assert_int_equal(waras_store_events_each(f->st, "bo", NULL, 0, 1000, collect, &s), 0);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.keys[0], "b1");
    assert_string_equal(s.keys[1], "b2");

    memset(&s, 0, sizeof(s));
    assert_int_equal(waras_store_events_each(f->st, NULL, "meeting,leave", 0, 1000, collect, &s),
                     0);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.keys[0], "a1");
    assert_string_equal(s.keys[1], "b1");
    assert_string_equal(s.keys[2], "b2");

    /* A filter entry matches a whole kind, not a prefix. */
    memset(&s, 0, sizeof(s));
    assert_int_equal(waras_store_events_each(f->st, NULL, "meet,commits", 0, 1000, collect, &s), 0);
    assert_int_equal(s.n, 0);
}

static int count_in(waras_store *st, waras_instant from, waras_instant to)
{
    seen_events s = {0};
    assert_int_equal(waras_store_events_each(st, "ana", NULL, from, to, collect, &s), 0);
    return s.n;
}

static void test_store__events_each_half_open_overlap(void **state)
{
    fixture *f = *state;
    put_person(f->st, "ana", "t");
    put_event(f->st, "ana", "meeting", "span", 10, 20, 0);
    /* [10, 20) against windows [from, to). */
    assert_int_equal(count_in(f->st, 0, 10), 0);  /* ends where the window starts */
    assert_int_equal(count_in(f->st, 20, 30), 0); /* starts where the window ends */
    assert_int_equal(count_in(f->st, 0, 11), 1);
    assert_int_equal(count_in(f->st, 19, 20), 1);
    assert_int_equal(count_in(f->st, 12, 13), 1); /* inside */
    assert_int_equal(count_in(f->st, 0, 100), 1); /* around */

    /* An instant event (start = end) belongs to windows with from <= t < to. */
    put_event(f->st, "ana", "commit", "point", 50, 50, 0);
    assert_int_equal(count_in(f->st, 50, 51), 1);
    assert_int_equal(count_in(f->st, 40, 50), 0);
    assert_int_equal(count_in(f->st, 51, 60), 0);
}

static int stop_at_second(void *ctx, const waras_event *ev)
{
    int *n = ctx;
    (void)ev;
    return ++*n == 2 ? 42 : 0;
}

static void test_store__events_each_stops_on_callback(void **state)
{
    fixture *f = *state;
    int n = 0;
    put_person(f->st, "ana", "t");
    put_event(f->st, "ana", "meeting", "1", 10, 20, 0);
    put_event(f->st, "ana", "meeting", "2", 30, 40, 0);
    put_event(f->st, "ana", "meeting", "3", 50, 60, 0);
    assert_int_equal(waras_store_events_each(f->st, NULL, NULL, 0, 100, stop_at_second, &n), 42);
    assert_int_equal(n, 2);
}

/* --- transactions --- */

static void test_store__rollback_restores_counts(void **state)
{
    fixture *f = *state;
    int64_t src;
    put_person(f->st, "ana", "t");
    put_event(f->st, "ana", "meeting", "keep", 10, 20, 0);
    long people = th_count(f->st, "people"), events = th_count(f->st, "events"),
         sources = th_count(f->st, "sources"), ids = th_count(f->st, "identities");
    assert_int_equal(people, 1);
    assert_int_equal(events, 1);

    assert_int_equal(waras_store_begin(f->st), 0);
    put_person(f->st, "bo", "t");
    assert_int_equal(waras_store_identity_put(f->st, "bo", "email", "bo@x.org"), 0);
    assert_int_equal(waras_store_source_add(&src, f->st, "test", "/f", "h"), 0);
    put_event(f->st, "bo", "meeting", "gone", 30, 40, src);
    put_event(f->st, "ana", "meeting", "keep", 10, 25, 0); /* modified in the transaction */
    assert_int_equal(th_count(f->st, "people"), 2);
    waras_store_rollback(f->st);

    assert_int_equal(th_count(f->st, "people"), people);
    assert_int_equal(th_count(f->st, "events"), events);
    assert_int_equal(th_count(f->st, "sources"), sources);
    assert_int_equal(th_count(f->st, "identities"), ids);
    waras_person p;
    assert_int_equal(waras_store_person_get(&p, f->st, "bo"), WARAS_ENOTFOUND);
    /* The modified event is back as it was: putting the old values changes nothing. */
    assert_int_equal(put_event(f->st, "ana", "meeting", "keep", 10, 20, 0), 0);
    /* A second rollback with no transaction open is harmless. */
    waras_store_rollback(f->st);
    assert_int_equal(th_count(f->st, "events"), 1);
}

static void test_store__commit_keeps_changes(void **state)
{
    fixture *f = *state;
    assert_int_equal(waras_store_begin(f->st), 0);
    put_person(f->st, "ana", "t");
    assert_int_equal(waras_store_commit(f->st), 0);
    waras_store_rollback(f->st);
    assert_int_equal(th_count(f->st, "people"), 1);
}

/* --- plans --- */

typedef struct seen_plans {
    int n;
    int64_t plan[8];
    char person[8][16];
    char team[8][16];
    waras_instant start[8];
} seen_plans;

static int collect_plan(void *ctx, const waras_plan_assignment *a)
{
    seen_plans *s = ctx;
    if (s->n < 8) {
        s->plan[s->n] = a->plan;
        snprintf(s->person[s->n], sizeof(s->person[0]), "%s", a->person);
        snprintf(s->team[s->n], sizeof(s->team[0]), "%s", a->team);
        s->start[s->n] = a->start;
    }
    s->n++;
    return 0;
}

static void test_store__plans_newest_first(void **state)
{
    fixture *f = *state;
    int64_t p1, p2, p3;
    long n = -1;
    put_person(f->st, "ana", "t");
    put_person(f->st, "bo", "t");
    assert_int_equal(waras_store_plan_count(&n, f->st, "oncall", "t"), 0);
    assert_int_equal(n, 0);

    assert_int_equal(waras_store_plan_add(&p1, f->st, "oncall", "t", 0, 1000, NULL), 0);
    assert_int_equal(waras_store_plan_assign(f->st, p1, "bo", "primary", 0, 500), 0);
    assert_int_equal(waras_store_plan_assign(f->st, p1, "ana", "primary", 500, 1000), 0);
    assert_int_equal(waras_store_plan_add(&p2, f->st, "oncall", "t", 0, 1000, "{\"v\":2}"), 0);
    assert_int_equal(waras_store_plan_assign(f->st, p2, "bo", "primary", 500, 1000), 0);
    assert_int_equal(waras_store_plan_assign(f->st, p2, "ana", "secondary", 500, 1000), 0);
    assert_int_equal(waras_store_plan_assign(f->st, p2, "ana", "primary", 0, 500), 0);
    assert_int_equal(waras_store_plan_add(&p3, f->st, "quiet", "t", 0, 1000, NULL), 0);
    assert_int_equal(waras_store_plan_assign(f->st, p3, "ana", "quiet", 0, 1000), 0);
    assert_true(p2 > p1);

    assert_int_equal(waras_store_plan_count(&n, f->st, "oncall", "t"), 0);
    assert_int_equal(n, 2);
    assert_int_equal(waras_store_plan_count(&n, f->st, "quiet", "t"), 0);
    assert_int_equal(n, 1);
    assert_int_equal(waras_store_plan_count(&n, f->st, "oncall", "other"), 0);
    assert_int_equal(n, 0);

    seen_plans s = {0};
    assert_int_equal(
        waras_store_plan_assignments_each(f->st, "oncall", NULL, 0, 1000, collect_plan, &s), 0);
    assert_int_equal(s.n, 5);
    /* p2 first, by start then person; then p1. */
    assert_int_equal(s.plan[0], p2);
    assert_string_equal(s.person[0], "ana");
    assert_int_equal(s.start[0], 0);
    assert_int_equal(s.plan[1], p2);
    assert_string_equal(s.person[1], "ana");
    assert_int_equal(s.start[1], 500);
    assert_int_equal(s.plan[2], p2);
    assert_string_equal(s.person[2], "bo");
    assert_int_equal(s.plan[3], p1);
    assert_string_equal(s.person[3], "bo");
    assert_int_equal(s.plan[4], p1);
    assert_string_equal(s.person[4], "ana");
    assert_string_equal(s.team[4], "t");

    /* [from, to) overlap: [500, 600) misses the assignments that end at 500. */
    memset(&s, 0, sizeof(s));
    assert_int_equal(
        waras_store_plan_assignments_each(f->st, "oncall", "t", 500, 600, collect_plan, &s), 0);
    assert_int_equal(s.n, 3);
    assert_int_equal(s.start[0], 500);
    assert_int_equal(s.start[2], 500);

    memset(&s, 0, sizeof(s));
    assert_int_equal(
        waras_store_plan_assignments_each(f->st, "oncall", "other", 0, 1000, collect_plan, &s), 0);
    assert_int_equal(s.n, 0);
}

/* --- span --- */

static void test_store__event_span(void **state)
{
    fixture *f = *state;
    waras_instant first = -1, last = -1;
    assert_int_equal(waras_store_event_span(&first, &last, f->st), 0);
    assert_int_equal(first, 0);
    assert_int_equal(last, 0);
    put_person(f->st, "ana", "t");
    put_event(f->st, "ana", "meeting", "a", 5000, 9000, 0);
    put_event(f->st, "ana", "meeting", "b", 3000, 4000, 0);
    put_event(f->st, "ana", "commit", "c", 8000, 8000, 0);
    assert_int_equal(waras_store_event_span(&first, &last, f->st), 0);
    assert_int_equal(first, 3000);
    assert_int_equal(last, 9000);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_store__missing_without_create_is_notfound),
        T(test_store__create_migrates_to_current_schema),
        T(test_store__reopen_keeps_data_and_version),
        T(test_store__count_rejects_unknown_table),
        T(test_store__person_put_get_replace),
        T(test_store__people_list_by_team_then_id),
        T(test_store__identity_lookup_is_case_insensitive),
        T(test_store__source_seen_add_finish),
        T(test_store__supersede_drops_earlier_version_events),
        T(test_store__event_put_is_idempotent),
        T(test_store__event_fields_round_trip),
        T(test_store__events_each_order_and_kind_filter),
        T(test_store__events_each_half_open_overlap),
        T(test_store__events_each_stops_on_callback),
        T(test_store__rollback_restores_counts),
        T(test_store__commit_keeps_changes),
        T(test_store__plans_newest_first),
        T(test_store__event_span),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
