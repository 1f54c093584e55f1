/*
 * The result of a policy check: a growing list of violations, each with the
 * person, team, rule, its source and a sentence with the numbers. Every
 * check (the presets, plan files, the quiet-week rule) adds to it here, so
 * that no check depends on another's file.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "waras/check.h"
#include "waras/error.h"

int waras_check_add(waras_check_result *r, const char *person, const char *team, const char *rule,
                    const char *source, const char *when, const char *fmt, ...)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        waras_violation *v = realloc(r->v, cap * sizeof(*v));
        if (!v)
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        r->v = v;
        r->cap = cap;
    }
    waras_violation *v = &r->v[r->n++];
    memset(v, 0, sizeof(*v));
    snprintf(v->person, sizeof(v->person), "%s", person ? person : "");
    snprintf(v->team, sizeof(v->team), "%s", team ? team : "");
    snprintf(v->rule, sizeof(v->rule), "%s", rule);
    snprintf(v->when, sizeof(v->when), "%s", when);
    v->source = source;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->detail, sizeof(v->detail), fmt, ap);
    va_end(ap);
    return 0;
}

void waras_check_result_free(waras_check_result *r)
{
    if (!r)
        return;
    free(r->v);
    r->v = NULL;
    r->n = r->cap = 0;
}
