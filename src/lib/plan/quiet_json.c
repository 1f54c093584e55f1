/*
 * The quiet-week plan as JSON: the document of `waras quiet plan --out
 * FILE.json` and of the service's POST /api/v1/plans/quiet. It holds what
 * the command prints: every candidate week with its cost broken down (or
 * the milestone that rules it out), the chosen weeks, who stays on call,
 * and the internal meetings cancelled and the external ones left to the
 * people, so that a reader sees the same explanation as the table.
 */
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "waras/error.h"
#include "waras/quiet.h"
#include "waras/time.h"

static void iso_utc(char *out, size_t size, waras_instant t)
{
    waras_civil c;
    waras_epoch_to_civil(&c, t);
    snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year, c.month, c.day, c.hour,
             c.minute, c.second);
}

static void week_label(char *out, size_t size, const waras_quiet_week *w)
{
    snprintf(out, size, "%04d-W%02d", w->iso_year, w->iso_week);
}

static json_t *meeting_json(const waras_quiet_plan *plan, const waras_quiet_meeting *m)
{
    char wk[16], a[32], b[32];
    week_label(wk, sizeof(wk), &plan->weeks[m->week]);
    iso_utc(a, sizeof(a), m->start);
    iso_utc(b, sizeof(b), m->end);
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "week", wk, "uid", m->uid, "when",
                     m->when, "start", a, "end", b, "summary", m->summary, "organizer",
                     m->organizer, "people", m->people ? m->people : "");
}

int waras_quiet_plan_json(char **out, const waras_quiet_plan *plan)
{
    json_t *weeks = json_array(), *members = json_array(), *oncall = json_array(),
           *cancelled = json_array(), *external = json_array();
    char wk[16], day[16], a[32], b[32];
    *out = NULL;
    for (size_t w = 0; w < plan->nweeks; w++) {
        const waras_quiet_week *q = &plan->weeks[w];
        week_label(wk, sizeof(wk), q);
        waras_date_format(day, sizeof(day), q->monday);
        json_t *o = json_pack("{s:s,s:s,s:b,s:b}", "week", wk, "monday", day, "chosen", q->chosen,
                              "excluded", q->excluded);
        if (q->excluded)
            json_object_set_new(o, "why", json_string(q->why));
        else
            json_object_set_new(o, "cost",
                                json_pack("{s:i,s:i,s:i,s:i,s:i}", "points", (int)q->cost,
                                          "external_meetings", q->external_meetings,
                                          "leave_days", q->leave_days, "holiday_days",
                                          q->holiday_days, "internal_meetings",
                                          q->internal_meetings));
        json_array_append_new(weeks, o);
    }
    for (size_t e = 0; e < plan->nmembers; e++)
        json_array_append_new(members, json_string(plan->members[e].id));
    for (size_t i = 0; i < plan->noncall; i++) {
        const waras_quiet_oncall *t = &plan->oncall[i];
        week_label(wk, sizeof(wk), &plan->weeks[t->week]);
        iso_utc(a, sizeof(a), t->start);
        iso_utc(b, sizeof(b), t->end);
        json_array_append_new(oncall, json_pack("{s:s,s:s,s:s,s:s,s:s}", "week", wk, "person",
                                                t->person, "role", t->role, "start", a, "end",
                                                b));
    }
    for (size_t i = 0; plan->feasible && i < plan->nmeetings; i++) {
        const waras_quiet_meeting *m = &plan->meetings[i];
        if (plan->weeks[m->week].chosen)
            json_array_append_new(m->external ? external : cancelled, meeting_json(plan, m));
    }
    json_t *root = json_pack(
        "{s:s,s:b,s:{s:i,s:i,s:i},s:o,s:o,s:o,s:o,s:o}", "team", plan->team, "feasible",
        plan->feasible, "cost_points", "external_meeting", WARAS_QUIET_COST_EXTERNAL, "leave_day",
        WARAS_QUIET_COST_LEAVE, "holiday_day", WARAS_QUIET_COST_HOLIDAY, "members", members,
        "weeks", weeks, "oncall", oncall, "cancelled", cancelled, "external", external);
    if (root && !plan->feasible)
        json_object_set_new(root, "why", json_string(plan->why));
    *out = root ? json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(root);
    return *out ? 0 : waras_error_msg(WARAS_ENOMEM, "out of memory");
}
