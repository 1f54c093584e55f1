/*
 * Activity by window (see waras/activity.h): commits by their own recorded
 * offset, interruptions and meetings in the person's IANA zone, classified
 * and merged by waras/interrupt.h. Events come from the store ordered by
 * person, so each person's counts are finished before the next person
 * starts; teams are summed at the end.
 */
#include <stdlib.h>
#include <string.h>

#include "metrics/metrics_int.h"
#include "util/util.h"
#include "waras/activity.h"
#include "waras/error.h"
#include "time/days.h"

/* Dates are widened by two days for the largest UTC offsets (-12:00 ..
 * +14:00); that also covers the merge's look-back before the first date. */
#define DATE_SLACK (2 * 86400)

typedef struct instants {
    waras_instant *v;
    size_t n, cap;
} instants;

/* --- counting --- */

typedef struct counter {
    const waras_activity_opts *o;
    const waras_person *people; /* sorted by id */
    size_t npeople;
    waras_activity_row *rows;
    size_t nrows, caprows;
    char current[WARAS_PERSON_ID_MAX]; /* person being counted */
    const waras_person *cur;           /* their record, or NULL */
    const waras_tz *tz;
    waras_activity_row acc;
    instants notes; /* pages: the person's interrupting notifications */
    int rc;
} counter;

static int cmp_person_id(const void *a, const void *b)
{
    return strcmp(((const waras_person *)a)->id, ((const waras_person *)b)->id);
}

static int in_dates(const waras_activity_opts *o, const waras_civil *c)
{
    int64_t day = waras_time__days_from_civil(c->year, c->month, c->day);
    return (!o->has_from || day >= waras_time__days(o->from_day)) &&
           (!o->has_to || day < waras_time__days(o->to_day));
}

static void classify(counter *c, const waras_civil *local)
{
    if (!in_dates(c->o, local))
        return;
    waras_window w = waras_window_own(c->o->own_hours ? c->cur : NULL, local);
    c->acc.events++;
    if (w == WARAS_WINDOW_BUSINESS)
        c->acc.business++;
    else if (w == WARAS_WINDOW_OFF)
        c->acc.off++;
    else
        c->acc.sleep++;
    c->acc.weekend += waras_window_weekend(local);
}

static int flush_person(counter *c)
{
    if (c->o->source == WARAS_ACTIVITY_PAGES && c->notes.n) {
        /* Two exports of one notification at the same instant stay two
         * events (distinct source keys) but fall into one interruption. */
        waras_interruption *iv;
        size_t ni;
        int window = c->o->has_merge_window ? c->o->merge_window_s : WARAS_MERGE_WINDOW_DEFAULT_S;
        int rc = waras_metrics__interruptions(&iv, &ni, c->notes.v, c->notes.n, window);
        if (rc)
            return rc;
        for (size_t i = 0; i < ni; i++) {
            waras_civil local;
            waras_tz_to_local(&local, c->tz, iv[i].start);
            classify(c, &local);
        }
        free(iv);
        c->notes.n = 0;
    }
    if (c->current[0] && c->acc.events) {
        if (c->nrows == c->caprows) {
            size_t cap = c->caprows ? c->caprows * 2 : 64;
            waras_activity_row *nv = realloc(c->rows, cap * sizeof(*nv));
            if (!nv)
                return waras_error_msg(WARAS_ENOMEM, "out of memory");
            c->rows = nv;
            c->caprows = cap;
        }
        waras_strlcpy(c->acc.key, c->current, sizeof(c->acc.key));
        waras_strlcpy(c->acc.team, c->cur ? c->cur->team : "", sizeof(c->acc.team));
        c->rows[c->nrows++] = c->acc;
    }
    memset(&c->acc, 0, sizeof(c->acc));
    c->current[0] = '\0';
    c->cur = NULL;
    return 0;
}

static int start_person(counter *c, const char *id)
{
    int rc = flush_person(c);
    if (rc)
        return rc;
    waras_strlcpy(c->current, id, sizeof(c->current));
    waras_person key;
    waras_strlcpy(key.id, id, sizeof(key.id));
    c->cur = bsearch(&key, c->people, c->npeople, sizeof(*c->people), cmp_person_id);
    if (!c->cur || waras_tz_get(&c->tz, c->cur->timezone) != 0)
        rc = waras_tz_get(&c->tz, "UTC");
    return rc;
}

static int count_event(void *ctx, const waras_event *ev)
{
    counter *c = ctx;
    int rc = 0;
    if (strcmp(ev->person, c->current) != 0 && (rc = start_person(c, ev->person)))
        return rc;
    waras_civil local;
    switch (c->o->source) {
    case WARAS_ACTIVITY_GIT:
        if (strcmp(ev->kind, "commit") != 0)
            break;
        if (ev->has_utc_offset)
            waras_epoch_to_civil(&local, ev->start + ev->utc_offset);
        else
            waras_tz_to_local(&local, c->tz, ev->start);
        classify(c, &local);
        break;
    case WARAS_ACTIVITY_PAGES:
        if (strcmp(ev->kind, "page") == 0 && waras_page_interrupts(ev->attrs))
            rc = waras_metrics__instant_push(&c->notes.v, &c->notes.n, &c->notes.cap, ev->start);
        break;
    case WARAS_ACTIVITY_MEETINGS:
        if (strcmp(ev->kind, "meeting") != 0 || ev->all_day || !ev->status ||
            strcmp(ev->status, "accepted") != 0)
            break;
        waras_tz_to_local(&local, c->tz, ev->start);
        classify(c, &local);
        break;
    }
    return rc;
}

static int cmp_row(const void *a, const void *b)
{
    return strcmp(((const waras_activity_row *)a)->key, ((const waras_activity_row *)b)->key);
}

/* Sums person rows into team rows in place; rows come sorted by team. */
static size_t sum_teams(waras_activity_row *rows, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k && strcmp(rows[k - 1].key, rows[i].team) == 0) {
            waras_activity_row *t = &rows[k - 1];
            t->events += rows[i].events;
            t->business += rows[i].business;
            t->off += rows[i].off;
            t->sleep += rows[i].sleep;
            t->weekend += rows[i].weekend;
            continue;
        }
        waras_activity_row r = rows[i];
        waras_strlcpy(r.key, rows[i].team, sizeof(r.key));
        rows[k++] = r;
    }
    return k;
}

static int cmp_row_team(const void *a, const void *b)
{
    const waras_activity_row *x = a, *y = b;
    int c = strcmp(x->team, y->team);
    return c ? c : strcmp(x->key, y->key);
}

int waras_activity_count(waras_activity_row **out, size_t *n, waras_store *st,
                         const waras_activity_opts *opts)
{
    counter c = {0};
    waras_person *people = NULL;
    size_t npeople = 0;
    const char *kinds = NULL;
    int rc;
    c.o = opts;
    switch (opts->source) {
    case WARAS_ACTIVITY_GIT:
        kinds = "commit";
        break;
    case WARAS_ACTIVITY_PAGES:
        kinds = "page";
        break;
    case WARAS_ACTIVITY_MEETINGS:
        kinds = "meeting";
        break;
    default:
        rc = waras_error_msg(WARAS_EINVAL, "unknown activity source %d", (int)opts->source);
        goto cleanup;
    }
    if ((rc = waras_store_people_list(&people, &npeople, st)))
        goto cleanup;
    if (npeople)
        qsort(people, npeople, sizeof(*people), cmp_person_id);
    c.people = people;
    c.npeople = npeople;
    /* Local dates differ from UTC dates by at most a day either way; the
     * merge of pages may need a minute more before the window. */
    waras_instant from =
        opts->has_from ? waras_time__days(opts->from_day) * 86400 - DATE_SLACK : INT64_MIN / 4;
    waras_instant to =
        opts->has_to ? waras_time__days(opts->to_day) * 86400 + DATE_SLACK : INT64_MAX / 4;
    if ((rc = waras_store_events_each(st, NULL, kinds, from, to, count_event, &c)) ||
        (rc = flush_person(&c)))
        goto cleanup;
    if (c.nrows && opts->by_team) {
        qsort(c.rows, c.nrows, sizeof(*c.rows), cmp_row_team);
        c.nrows = sum_teams(c.rows, c.nrows);
    }
    if (c.nrows)
        qsort(c.rows, c.nrows, sizeof(*c.rows), cmp_row);
    *out = c.rows;
    *n = c.nrows;
    c.rows = NULL;
cleanup:
    free(c.rows);
    free(c.notes.v);
    free(people);
    return rc;
}
