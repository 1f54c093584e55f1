/*
 * The library's one clock. Every "now" the library needs (an ingest's
 * timestamp, an iCalendar DTSTAMP, the recency of a calendar window) comes
 * from waras_clock_now(), and every deadline from waras_clock_seconds(), so
 * that tests and the CLI (WARAS_NOW) can fix the time and no golden case
 * depends on the day it runs. Nothing else in src/lib reads a clock.
 */
#include <stdatomic.h>
#include <time.h>

#include "waras/time.h"

/* 0: the system clock; otherwise the fixed instant plus one (so that the
 * epoch itself can be fixed). */
static _Atomic int64_t fixed_now;

void waras_clock_set(waras_instant t) { atomic_store(&fixed_now, t + 1); }

void waras_clock_reset(void) { atomic_store(&fixed_now, 0); }

waras_instant waras_clock_now(void)
{
    int64_t f = atomic_load(&fixed_now);
    if (f)
        return f - 1;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (waras_instant)ts.tv_sec;
}

double waras_clock_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}
