/*
 * The quiet-week rule of the policy checks: a milestone of a team member
 * placed inside a recorded quiet week (a plan of kind "quiet", docs/quiet.md)
 * breaks the plan. It reads only recorded plans and events from the store,
 * so the planners may call policy and never the reverse.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "waras/check.h"
#include "waras/store.h"
#include "waras/time.h"
#include "time/days.h"

static const char SRC_QUIET[] = "recorded quiet-week plan (docs/quiet.md)";

typedef struct check_ctx {
    waras_store *st;
    waras_check_result *out;
    const waras_plan_assignment *a;
} check_ctx;

static int check_milestone(void *ctx, const waras_event *ev)
{
    check_ctx *c = ctx;
    const waras_plan_assignment *a = c->a;
    json_t *attrs = ev->attrs ? json_loads(ev->attrs, 0, NULL) : NULL;
    char when[48], detail[256];
    waras_civil s;
    waras_epoch_to_civil(&s, a->start + 43200);
    int iy, iw;
    waras_date_iso_week(&iy, &iw, (waras_date){s.year, s.month, s.day});
    snprintf(when, sizeof(when), "%04d-W%02d", iy, iw);
    json_t *sv = json_object_get(attrs, "summary");
    const char *summary = json_is_string(sv) ? json_string_value(sv) : "";
    snprintf(detail, sizeof(detail), "milestone \"%s\" falls inside quiet week %s (plan %lld)",
             *summary ? summary : "(untitled)", when, (long long)a->plan);
    json_decref(attrs);
    return waras_check_add(c->out, ev->person, a->team, "quiet-week", SRC_QUIET, when, "%s", detail);
}

static int check_assignment(void *ctx, const waras_plan_assignment *a)
{
    check_ctx *c = ctx;
    c->a = a;
    return waras_store_events_each(c->st, a->person, "milestone", a->start, a->end,
                                   check_milestone, c);
}

int waras_quiet_check(waras_check_result *out, waras_store *st, const char *team,
                      waras_date first_date, waras_date last_date)
{
    check_ctx c = {.st = st, .out = out};
    /* Quiet weeks start at a member's local midnight: allow a day for zones. */
    return waras_store_plan_assignments_each(
        st, "quiet", team, waras_time__days(first_date) * 86400 - 86400,
        (waras_time__days(last_date) + 8) * 86400, check_assignment, &c);
}
