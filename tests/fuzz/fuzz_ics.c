/*
 * libFuzzer target for the iCalendar reader: parse any bytes, and when they
 * parse, expand them over a fixed two-day window (short, so that rules
 * every second stay cheap), so that the line scan,
 * libical's parser, zone resolution and the recurrence expansion all see
 * hostile input. Both readings run: the lenient one (skipping and repairing
 * with warnings, which walks the recovery paths) and the strict one.
 * Errors are fine; crashes, leaks and hangs are not.
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
    for (int strict = 0; strict <= 1; strict++) {
        waras_ics_parse_opts o = {.strict = strict};
        cal = NULL;
        if (waras_ics_parse_with(&cal, (const char *)data, size, "fuzz.ics", &o) == 0) {
            size_t nw, total;
            const waras_ics_warning *w = waras_ics_warnings(cal, &nw, &total);
            for (size_t i = 0; i < nw; i++)
                n += w[i].message[0] == '\0' && w[i].field[0] == '\0';
            n += waras_ics_skipped(cal);
            (void)waras_ics_expand(cal, (waras_date){2026, 3, 1}, (waras_date){2026, 3, 3}, count,
                                   &n);
            (void)waras_ics_default_zone(cal);
        }
        waras_ics_free(cal);
        waras_error_clear();
    }
    return 0;
}
