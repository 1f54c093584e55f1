/*
 * libFuzzer target for the iCalendar reader: parse any bytes, and when they
 * parse, expand them over a fixed two-day window (short, so that rules
 * every second stay cheap), so that the line scan,
 * libical's parser, zone resolution and the recurrence expansion all see
 * hostile input. Errors are fine; crashes, leaks and hangs are not.
 */
#include <stddef.h>
#include <stdint.h>

#include "waras/error.h"
#include "waras/ics.h"

static int count(void *ctx, const waras_ics_occurrence *occ)
{
    size_t *n = ctx;
    (*n)++;
    /* Touch what a caller would read. */
    return occ->uid[0] == '\0' && occ->end < occ->start;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    waras_ics_calendar *cal = NULL;
    size_t n = 0;
    if (waras_ics_parse(&cal, (const char *)data, size, "fuzz.ics") == 0) {
        (void)waras_ics_expand(cal, 2026, 3, 1, 2026, 3, 3, count, &n);
        (void)waras_ics_default_zone(cal);
    }
    waras_ics_free(cal);
    waras_error_clear();
    return 0;
}
