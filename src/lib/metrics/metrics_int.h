/*
 * What the metrics files share with each other: a growable array of
 * instants, their order, and the step from one person's interrupting
 * notifications to their interruptions, which person-week metrics, activity
 * counts and the interruption list all take the same way. Private to
 * libwaras.
 */
#ifndef WARAS_METRICS_INT_H
#define WARAS_METRICS_INT_H

#include <stddef.h>

#include "waras/interrupt.h"
#include "waras/time.h"

/* Appends t to the array *v of *n instants with room for *cap, growing it;
 * 0 or WARAS_ENOMEM. */
int waras_metrics__instant_push(waras_instant **v, size_t *n, size_t *cap, waras_instant t);

/* qsort comparator of waras_instant, ascending. */
int waras_metrics__instant_cmp(const void *a, const void *b);

/* Sorts one person's interrupting notifications t[0..n) and merges them
 * with waras_interruptions_merge into *out (malloc'd, freed by the caller;
 * NULL when n is 0), *nout interruptions; 0 or WARAS_ENOMEM. */
int waras_metrics__interruptions(waras_interruption **out, size_t *nout, waras_instant *t,
                                 size_t n, int merge_window_s);

#endif
