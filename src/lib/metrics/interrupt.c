/*
 * The time windows and the interruption rule (see waras/interrupt.h): the
 * one window classifier, the one channel classifier and the one merge that
 * person-week metrics and activity counts both use, so that report, risk,
 * check and activity agree on every count.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "metrics/metrics_int.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/interrupt.h"
#include "time/days.h"

/* Default working days (Mon-Fri, bit 0 = Monday) and hours, in minutes. */
#define DEFAULT_DAYS 0x1fu
#define DEFAULT_START (8 * 60)
#define DEFAULT_END (18 * 60)
#define SLEEP_START (22 * 60)
#define SLEEP_END (8 * 60)

waras_window waras_window_own(const waras_person *p, const waras_civil *local)
{
    unsigned days = p ? p->work_days : DEFAULT_DAYS;
    int start = p ? p->work_start : DEFAULT_START, end = p ? p->work_end : DEFAULT_END;
    int wd =
        waras_time__weekday(waras_time__days_from_civil(local->year, local->month, local->day));
    int minute = local->hour * 60 + local->minute;
    if ((days & (1u << (wd - 1))) && minute >= start && minute < end)
        return WARAS_WINDOW_BUSINESS;
    if (minute >= SLEEP_START || minute < SLEEP_END)
        return WARAS_WINDOW_SLEEP;
    return WARAS_WINDOW_OFF;
}

waras_window waras_window_fixed(const waras_civil *local)
{
    return waras_window_own(NULL, local);
}

int waras_window_weekend(const waras_civil *local)
{
    return waras_time__weekday(
               waras_time__days_from_civil(local->year, local->month, local->day)) >= 6;
}

int waras_channel_interrupts(const char *channel)
{
    static const char *const interrupting[] = {"push", "push_notification", "sms", "phone", NULL};
    if (!channel || !*channel)
        return 1;
    for (int i = 0; interrupting[i]; i++)
        if (waras_strcaseeq(channel, interrupting[i]))
            return 1;
    return 0;
}

int waras_page_interrupts(const char *attrs)
{
    json_t *root = attrs ? json_loads(attrs, 0, NULL) : NULL;
    int yes = waras_channel_interrupts(json_string_value(json_object_get(root, "channel")));
    json_decref(root);
    return yes;
}

size_t waras_interruptions_merge(waras_interruption *out, const waras_instant *t, size_t n,
                                 int merge_window_s)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k && t[i] - out[k - 1].start < merge_window_s) {
            out[k - 1].notifications++;
            continue;
        }
        out[k].start = t[i];
        out[k].notifications = 1;
        k++;
    }
    return k;
}

int waras_metrics__instant_push(waras_instant **v, size_t *n, size_t *cap, waras_instant t)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 64;
        waras_instant *nv = realloc(*v, c * sizeof(*nv));
        if (!nv)
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        *v = nv;
        *cap = c;
    }
    (*v)[(*n)++] = t;
    return 0;
}

int waras_metrics__instant_cmp(const void *a, const void *b)
{
    waras_instant x = *(const waras_instant *)a, y = *(const waras_instant *)b;
    return (x > y) - (x < y);
}

int waras_metrics__interruptions(waras_interruption **out, size_t *nout, waras_instant *t,
                                 size_t n, int merge_window_s)
{
    *out = NULL;
    *nout = 0;
    if (!n)
        return 0;
    qsort(t, n, sizeof(*t), waras_metrics__instant_cmp);
    if (!(*out = malloc(n * sizeof(**out))))
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    *nout = waras_interruptions_merge(*out, t, n, merge_window_s);
    return 0;
}

typedef struct instants {
    waras_instant *v;
    size_t n, cap;
} instants;

static int collect_notification(void *ctx, const waras_event *ev)
{
    instants *a = ctx;
    if (!waras_page_interrupts(ev->attrs))
        return 0;
    return waras_metrics__instant_push(&a->v, &a->n, &a->cap, ev->start);
}

int waras_interruptions_list(waras_interruption **out, size_t *n, waras_store *st,
                             const char *person, waras_instant from, waras_instant to,
                             int merge_window_s)
{
    instants a = {0};
    waras_interruption *all = NULL;
    size_t nall = 0, k = 0;
    *out = NULL;
    *n = 0;
    /* Start the merge early: where an interruption starts depends on the
     * chain of notifications before it, which ends at the first gap of a
     * merge window or more. A day covers any real chain. */
    int rc =
        waras_store_events_each(st, person, "page", from - 86400, to, collect_notification, &a);
    if (rc || !a.n || (rc = waras_metrics__interruptions(&all, &nall, a.v, a.n, merge_window_s)))
        goto cleanup;
    for (size_t i = 0; i < nall; i++)
        if (all[i].start >= from && all[i].start < to)
            all[k++] = all[i];
    *out = all;
    *n = k;
    all = NULL;
cleanup:
    free(all);
    free(a.v);
    return rc;
}
