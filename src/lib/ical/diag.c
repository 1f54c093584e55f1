/*
 * What a lenient reading of a calendar says out loud: each component it
 * skipped or value it repaired is a warning with its line and field, kept
 * on the calendar for the caller; under --strict the first one is the
 * error instead. The parser, the zone resolver and the expansion all record
 * here, and this file calls none of them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ical/ics_int.h"
#include "util/util.h"
#include "waras/error.h"

/* Records a warning, or under --strict returns it as an error. */
int waras_ics__warn(ics_diag *d, ics_warn_kind kind, long line, const char *field,
                    const char *action, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (d->strict && kind != ICS_WARN_NOTE)
        return waras_error_set(WARAS_EPARSE, d->path, line, field, "%s", msg);
    if (kind == ICS_WARN_SKIP)
        d->skipped++;
    d->total++;
    if (d->n >= ICS_MAX_WARNINGS)
        return 0;
    if (d->n == d->alloc) {
        size_t na = d->alloc ? d->alloc * 2 : 16;
        waras_ics_warning *nv = realloc(d->v, na * sizeof(*nv));
        if (!nv)
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        d->v = nv;
        d->alloc = na;
    }
    waras_buf b;
    waras_buf_init(&b, 0); /* msg is bounded above, the actions are the callers' words */
    if (waras_buf_printf(&b, "%s%s%s", msg, action && *action ? "; " : "", action ? action : "") ||
        waras_buf_addc(&b, '\0')) {
        waras_buf_free(&b);
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    }
    char *f = waras_strdup(field ? field : "");
    if (!f) {
        waras_buf_free(&b);
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    }
    d->v[d->n].line = line;
    d->v[d->n].field = f;
    d->v[d->n].message = waras_buf_detach(&b);
    d->n++;
    return 0;
}

void waras_ics__diag_free(ics_diag *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free((char *)d->v[i].field);
        free((char *)d->v[i].message);
    }
    free(d->v);
    memset(d, 0, sizeof(*d));
}
