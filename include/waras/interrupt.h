/*
 * The time windows and the interruption rule (docs/definitions.md), in one
 * place for every measure that counts interruptions (person-week metrics,
 * activity counts, and through them report, risk and check).
 *
 * Windows, in the person's local time: business Mon-Fri 08:00-18:00 (the
 * person's own working days and hours replace it when given); sleep every
 * day 22:00-08:00; off the rest (Mon-Fri 18:00-22:00, Sat-Sun 08:00-22:00).
 *
 * Interruptions: a push, SMS or phone notification interrupts (channel names
 * compared case-insensitively; a page without a channel, an incident-level
 * export, counts as one; e-mail and any other named channel do not). A
 * notification less than the merge window (default 60 s) after the first
 * notification of an interruption belongs to it; an interruption is
 * classified by the window of its first notification.
 */
#ifndef WARAS_INTERRUPT_H
#define WARAS_INTERRUPT_H

#include <stddef.h>
#include <stdint.h>

#include "waras/store.h"
#include "waras/time.h"

typedef enum waras_window {
    WARAS_WINDOW_BUSINESS = 0,
    WARAS_WINDOW_OFF = 1,
    WARAS_WINDOW_SLEEP = 2
} waras_window;

/* How many windows there are (the size of a per-window count array). */
#define WARAS_WINDOW_COUNT 3

/* The default merge window, in seconds. */
#define WARAS_MERGE_WINDOW_DEFAULT_S 60

/* The window of a local wall-clock time for person p: their working days
 * and hours are business; outside them 22:00-08:00 is sleep and the rest
 * off. p NULL means the default working days and hours (Mon-Fri
 * 08:00-18:00). */
waras_window waras_window_own(const waras_person *p, const waras_civil *local);

/* The window with the default working days and hours: the same as
 * waras_window_own(NULL, local). */
waras_window waras_window_fixed(const waras_civil *local);

/* 1 when the local date is a Saturday or Sunday. */
int waras_window_weekend(const waras_civil *local);

/* Whether a notification on this channel interrupts: push (or
 * push_notification), sms or phone, in any case; NULL or "" (no channel)
 * does too; e-mail and any other name do not. */
int waras_channel_interrupts(const char *channel);

/* The same for a page event's attrs (JSON with an optional string
 * "channel"). attrs may be NULL; attrs that are not JSON, or whose channel
 * is not a string, count as a page without a channel. */
int waras_page_interrupts(const char *attrs);

typedef struct waras_interruption {
    waras_instant start; /* the first notification */
    long notifications;  /* how many notifications it merges */
} waras_interruption;

/* The merge: t holds one person's interrupting notifications sorted
 * ascending; a notification less than merge_window_s after the first
 * notification of the current interruption belongs to it, any later one
 * starts the next (merge_window_s <= 0 merges nothing). Writes at most n
 * interruptions to out (which has room for n) and returns how many. */
size_t waras_interruptions_merge(waras_interruption *out, const waras_instant *t, size_t n,
                                 int merge_window_s);

/* One person's interruptions whose first notification lies in [from, to),
 * read from the store's page events (notifications up to a day before
 * `from` are read too, so that the merge is the same whatever the range).
 * *out is freed by the caller; it may be NULL when *n is 0. */
int waras_interruptions_list(waras_interruption **out, size_t *n, waras_store *st,
                             const char *person, waras_instant from, waras_instant to,
                             int merge_window_s);

#endif
