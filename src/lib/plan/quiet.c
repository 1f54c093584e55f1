/*
 * The quiet-week planner on the rostering engine. The engine sees one
 * employee, the team's quiet-week slot, and one day per candidate week;
 * a single shift "quiet" of one minute, with exactly `count` minutes to
 * work, places `count` quiet weeks. A week ruled out by a milestone (in it
 * or in the week before) is a day off for the slot; a week's soft cost is a
 * request not to work it, so the engine's objective is the sum of the
 * chosen weeks' costs. Each weight carries the week's index as a tie-break,
 * so that of two equally good weeks the earlier wins, whatever the seed.
 * Everything the store knows is read in the team's zone (its first member's).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libical/ical.h>

#include "plan/plan_int.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/ics.h"
#include "waras/metrics.h"
#include "waras/quiet.h"
#include "waras/roster.h"
#include "waras/time.h"
#include "time/days.h"

#define MAX_TEAM 512
#define MAX_MEETINGS 100000
#define TIE_SCALE 256 /* > WARAS_QUIET_MAX_WEEKS: cost * TIE_SCALE + index */
#define MAX_COST 3800 /* MAX_COST * TIE_SCALE + TIE_SCALE stays under 1000000 */

typedef struct qctx {
    waras_quiet_plan *plan;
    const waras_tz *anchor;
    int64_t first_monday;
    waras_strmap *seen; /* meeting source_key -> index + 1 */
    int member;
    unsigned char *leave;   /* nmembers * ndays: 1 leave, 2 holiday */
    int ndays;
    size_t cap;
    int rc;
} qctx;


static void day_label(char *buf, size_t size, int64_t day)
{
    int y, m, d;
    waras_time__civil_from_days(&y, &m, &d, day);
    snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
}

/* Rules out the weeks whose Monday is in [day - 6, day + 7]: the milestone
 * lies in the week or in the week before. */
static void exclude_for(waras_quiet_plan *plan, int64_t first_monday, int64_t a, int64_t b,
                        const char *what)
{
    char label[40], end[16];
    day_label(label, sizeof(label), a);
    if (b > a) {
        day_label(end, sizeof(end), b);
        size_t n = strlen(label);
        snprintf(label + n, sizeof(label) - n, "..%s", end);
    }
    for (size_t w = 0; w < plan->nweeks; w++) {
        int64_t mon = first_monday + 7 * (int64_t)w;
        int in = a < mon + 7 && b >= mon, before = a < mon && b >= mon - 7;
        if (!in && !before)
            continue;
        if (!plan->weeks[w].excluded)
            snprintf(plan->weeks[w].why, sizeof(plan->weeks[w].why), "milestone \"%s\" (%s) %s",
                     what, label, in ? "in the week" : "in the week before");
        plan->weeks[w].excluded = 1;
    }
}

static const char *attr_str(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : "";
}

static int on_milestone_event(void *ctx, const waras_event *ev)
{
    qctx *c = ctx;
    json_t *attrs = ev->attrs ? json_loads(ev->attrs, 0, NULL) : NULL;
    const char *summary = attr_str(attrs, "summary");
    int64_t a = waras_time__local_day(c->anchor, ev->start);
    int64_t b = ev->end > ev->start ? waras_time__local_day(c->anchor, ev->end - 1) : a;
    exclude_for(c->plan, c->first_monday, a, b, *summary ? summary : "(untitled)");
    json_decref(attrs);
    return 0;
}

static int on_milestone_occurrence(void *ctx, const waras_ics_occurrence *occ)
{
    qctx *c = ctx;
    int64_t a, b;
    if (occ->kind == WARAS_ICS_ZONED) {
        a = waras_time__local_day(c->anchor, occ->start);
        b = occ->end > occ->start ? waras_time__local_day(c->anchor, occ->end - 1) : a;
    } else {
        a = occ->start / 86400;
        b = occ->end > occ->start ? (occ->end - 1) / 86400 : a;
    }
    const char *summary = icalcomponent_get_summary(occ->component);
    exclude_for(c->plan, c->first_monday, a, b, summary && *summary ? summary : occ->uid);
    return 0;
}

static int on_leave(void *ctx, const waras_event *ev)
{
    qctx *c = ctx;
    const waras_person *p = &c->plan->members[c->member];
    const waras_tz *tz;
    int rc = waras_tz_get(&tz, p->timezone);
    if (rc)
        return rc;
    json_t *attrs = ev->attrs ? json_loads(ev->attrs, 0, NULL) : NULL;
    /* Public holidays: events of kind holiday (waras ingest holidays), or
     * leave whose type is holiday. */
    unsigned char mark =
        strcmp(ev->kind, "holiday") == 0 || strcmp(attr_str(attrs, "type"), "holiday") == 0 ? 2
                                                                                           : 1;
    json_decref(attrs);
    for (int d = 0; d < c->ndays; d++) {
        int64_t day = c->first_monday + d;
        if (ev->start < waras_time__day_start(tz, day + 1) &&
            ev->end > waras_time__day_start(tz, day)) {
            unsigned char *cell = &c->leave[(size_t)c->member * (size_t)c->ndays + (size_t)d];
            if (*cell == 0 || mark == 2)
                *cell = mark; /* a holiday is not a day someone chose to take */
        }
    }
    return 0;
}

static int on_meeting(void *ctx, const waras_event *ev)
{
    qctx *c = ctx;
    waras_quiet_plan *plan = c->plan;
    if (ev->status && (strcmp(ev->status, "declined") == 0 || strcmp(ev->status, "free") == 0))
        return 0;
    int64_t day = waras_time__local_day(c->anchor, ev->start);
    if (day < c->first_monday || day >= c->first_monday + c->ndays)
        return 0;
    const char *key = ev->source_key ? ev->source_key : "";
    long *slot = waras_strmap_slot(c->seen, key);
    if (!slot)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    const char *id = plan->members[c->member].id;
    if (*slot) {
        waras_quiet_meeting *m = &plan->meetings[*slot - 1];
        size_t n = strlen(m->people), k = strlen(id);
        char *grown = realloc(m->people, n + k + 2);
        if (!grown)
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        grown[n] = ',';
        memcpy(grown + n + 1, id, k + 1);
        m->people = grown;
        return 0;
    }
    if (plan->nmeetings == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        if (cap > MAX_MEETINGS)
            return waras_error_msg(WARAS_ELIMIT, "more than %d meetings in the candidate weeks",
                                   MAX_MEETINGS);
        waras_quiet_meeting *m = realloc(plan->meetings, cap * sizeof(*m));
        if (!m)
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        plan->meetings = m;
        c->cap = cap;
    }
    waras_quiet_meeting *m = &plan->meetings[plan->nmeetings];
    memset(m, 0, sizeof(*m));
    if (!(m->people = waras_strdup(id)))
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    m->week = (int)((day - c->first_monday) / 7);
    /* An ics source key is "UID|start as the calendar gave it". */
    const char *bar = strrchr(key, '|');
    if (bar && strcmp(ev->source_kind ? ev->source_kind : "", "ics") == 0) {
        size_t ulen = (size_t)(bar - key);
        if (ulen >= sizeof(m->uid))
            ulen = sizeof(m->uid) - 1;
        memcpy(m->uid, key, ulen);
        m->uid[ulen] = '\0';
        waras_strlcpy(m->when, bar + 1, sizeof(m->when));
    }
    waras_strlcpy(m->source_kind, ev->source_kind ? ev->source_kind : "", sizeof(m->source_kind));
    waras_strlcpy(m->source_key, key, sizeof(m->source_key));
    json_t *attrs = ev->attrs ? json_loads(ev->attrs, 0, NULL) : NULL;
    waras_strlcpy(m->summary, attr_str(attrs, "summary"), sizeof(m->summary));
    waras_strlcpy(m->organizer, attr_str(attrs, "organizer"), sizeof(m->organizer));
    json_t *ext = json_object_get(attrs, "external");
    m->external = json_is_integer(ext) && json_integer_value(ext) > 0;
    /* An organiser from outside the team makes it external too. */
    if (m->organizer[0]) {
        int inside = 0;
        for (size_t e = 0; e < plan->nmembers && !inside; e++)
            inside = waras_strcaseeq(plan->members[e].email, m->organizer);
        m->external |= !inside;
    }
    json_decref(attrs);
    m->start = ev->start;
    m->end = ev->end;
    m->all_day = ev->all_day;
    plan->nmeetings++;
    *slot = (long)plan->nmeetings;
    return 0;
}

typedef struct oncall_ctx {
    waras_quiet_plan *plan;
    int64_t first_monday;
    const waras_tz *anchor;
    size_t cap;
} oncall_ctx;

static int on_oncall(void *ctx, const waras_plan_assignment *a)
{
    oncall_ctx *c = ctx;
    waras_quiet_plan *plan = c->plan;
    /* A newer plan replaces an older one for the same role and time. */
    for (size_t i = 0; i < plan->noncall; i++) {
        waras_quiet_oncall *o = &plan->oncall[i];
        if (strcmp(o->role, a->role) == 0 && o->start < a->end && o->end > a->start)
            return 0;
    }
    for (size_t w = 0; w < plan->nweeks; w++) {
        if (!plan->weeks[w].chosen)
            continue;
        int64_t mon = waras_time__days(plan->weeks[w].monday);
        if (!(a->start < waras_time__day_start(c->anchor, mon + 7) &&
              a->end > waras_time__day_start(c->anchor, mon)))
            continue;
        if (plan->noncall == c->cap) {
            size_t cap = c->cap ? c->cap * 2 : 16;
            waras_quiet_oncall *o = realloc(plan->oncall, cap * sizeof(*o));
            if (!o)
                return waras_error_msg(WARAS_ENOMEM, "out of memory");
            plan->oncall = o;
            c->cap = cap;
        }
        waras_quiet_oncall *o = &plan->oncall[plan->noncall++];
        memset(o, 0, sizeof(*o));
        o->week = (int)w;
        waras_strlcpy(o->person, a->person, sizeof(o->person));
        waras_strlcpy(o->role, a->role, sizeof(o->role));
        o->start = a->start;
        o->end = a->end;
        break;
    }
    return 0;
}

static int load_members(waras_quiet_plan *plan, waras_store *st, const char *team)
{
    waras_person *all = NULL;
    size_t nall = 0;
    int rc = waras_store_people_list(&all, &nall, st);
    if (rc)
        return rc;
    plan->members = calloc(nall ? nall : 1, sizeof(*plan->members));
    if (!plan->members) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < nall && plan->nmembers < MAX_TEAM; i++)
        if (strcmp(all[i].team, team) == 0)
            plan->members[plan->nmembers++] = all[i];
    if (!plan->nmembers)
        rc = waras_error_msg(WARAS_ENOTFOUND, "no people in team '%s'", team);
cleanup:
    free(all);
    return rc;
}

static int read_milestones(qctx *c, const char *path)
{
    char *data = NULL;
    size_t len = 0;
    waras_ics_calendar *cal = NULL;
    int rc = waras_file_read(&data, &len, path);
    if (rc)
        goto cleanup;
    if ((rc = waras_ics_parse(&cal, data, len, path)))
        goto cleanup;
    /* From the week before the first candidate to the end of the last. */
    rc = waras_ics_expand(cal, waras_time__date(c->first_monday - 7),
                          waras_time__date(c->first_monday + c->ndays), on_milestone_occurrence, c);
cleanup:
    waras_ics_free(cal);
    free(data);
    return rc;
}

/* The engine takes weights up to 1000000: costs beyond MAX_COST rank equal. */
static int engine_weight(long cost, size_t w)
{
    if (cost > MAX_COST)
        cost = MAX_COST;
    return (int)(cost * TIE_SCALE + (long)w + 1);
}

int waras_quiet_plan_make(waras_quiet_plan *plan, waras_store *st, const waras_quiet_opts *o)
{
    qctx c = {.plan = plan};
    waras_roster_problem *rp = NULL;
    waras_roster_result res = {0};
    int rc = 0;
    memset(plan, 0, sizeof(*plan));
    int count = o->count > 0 ? o->count : 1;
    int64_t first = waras_time__monday(waras_time__days(o->from_day)),
            last = waras_time__monday(waras_time__days(o->to_day));
    if (!o->team || last < first)
        return waras_error_msg(WARAS_EINVAL, "a team and a range whose end is not before its "
                                             "start");
    if ((last - first) / 7 + 1 > WARAS_QUIET_MAX_WEEKS)
        return waras_error_msg(WARAS_EINVAL, "at most %d candidate weeks",
                               WARAS_QUIET_MAX_WEEKS);
    waras_strlcpy(plan->team, o->team, sizeof(plan->team));
    if ((rc = load_members(plan, st, o->team)) ||
        (rc = waras_tz_get(&c.anchor, plan->members[0].timezone)))
        goto cleanup;
    plan->nweeks = (size_t)((last - first) / 7 + 1);
    plan->weeks = calloc(plan->nweeks, sizeof(*plan->weeks));
    c.first_monday = first;
    c.ndays = (int)plan->nweeks * 7;
    c.leave = calloc(plan->nmembers * (size_t)c.ndays, 1);
    if (!plan->weeks || !c.leave || waras_strmap_new(&c.seen)) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t w = 0; w < plan->nweeks; w++) {
        waras_quiet_week *wk = &plan->weeks[w];
        wk->monday = waras_time__date(first + 7 * (int64_t)w);
        waras_date_iso_week(&wk->iso_year, &wk->iso_week, wk->monday);
    }

    /* What the store knows, with a day's margin for zones. */
    waras_instant h0 = waras_time__day_start(c.anchor, first) - 86400,
                  h1 = waras_time__day_start(c.anchor, first + c.ndays) + 86400;
    for (size_t e = 0; e < plan->nmembers; e++) {
        c.member = (int)e;
        const char *id = plan->members[e].id;
        if ((rc = waras_store_events_each(st, id, "milestone", h0 - 7 * 86400, h1,
                                          on_milestone_event, &c)) ||
            (rc = waras_store_events_each(st, id, "leave,holiday", h0, h1, on_leave, &c)) ||
            (rc = waras_store_events_each(st, id, "meeting", h0, h1, on_meeting, &c)))
            goto cleanup;
    }
    if (o->milestones_path && (rc = read_milestones(&c, o->milestones_path)))
        goto cleanup;

    /* Soft costs. */
    for (size_t e = 0; e < plan->nmembers; e++) {
        unsigned work = plan->members[e].work_days ? plan->members[e].work_days : 0x1f;
        for (int d = 0; d < c.ndays; d++) {
            unsigned char v = c.leave[e * (size_t)c.ndays + (size_t)d];
            if (!v || !(work & (1u << (d % 7))))
                continue;
            if (v == 2)
                plan->weeks[d / 7].holiday_days++;
            else
                plan->weeks[d / 7].leave_days++;
        }
    }
    for (size_t i = 0; i < plan->nmeetings; i++) {
        if (plan->meetings[i].external)
            plan->weeks[plan->meetings[i].week].external_meetings++;
        else
            plan->weeks[plan->meetings[i].week].internal_meetings++;
    }
    int allowed = 0;
    for (size_t w = 0; w < plan->nweeks; w++) {
        waras_quiet_week *wk = &plan->weeks[w];
        wk->cost = (long)WARAS_QUIET_COST_EXTERNAL * wk->external_meetings +
                   (long)WARAS_QUIET_COST_LEAVE * wk->leave_days +
                   (long)WARAS_QUIET_COST_HOLIDAY * wk->holiday_days;
        allowed += !wk->excluded;
    }
    if (allowed < count) {
        waras_str_append_line(plan->why, sizeof(plan->why), "%d of %zu candidate week%s free of milestones in the week and the week "
                   "before; %d wanted",
             allowed, plan->nweeks, plan->nweeks == 1 ? "" : "s", count);
        goto cleanup;
    }

    /* The engine's problem: one slot, one day per week, `count` to place. */
    int shift, emp;
    if ((rc = waras_roster_problem_new(&rp, (int)plan->nweeks)) ||
        (rc = waras_roster_add_shift(rp, &shift, "quiet", 1)) ||
        (rc = waras_roster_add_employee(rp, &emp, plan->team)))
        goto cleanup;
    waras_roster_limits lim = {count, count, WARAS_ROSTER_NOLIMIT, WARAS_ROSTER_NOLIMIT,
                               WARAS_ROSTER_NOLIMIT, WARAS_ROSTER_NOLIMIT};
    if ((rc = waras_roster_set_limits(rp, emp, &lim)))
        goto cleanup;
    for (size_t w = 0; w < plan->nweeks; w++) {
        if (plan->weeks[w].excluded)
            rc = waras_roster_set_day_off(rp, emp, (int)w);
        else
            rc = waras_roster_add_request(rp, emp, (int)w, shift, 0, engine_weight(plan->weeks[w].cost, w));
        if (rc)
            goto cleanup;
    }
    waras_roster_solve_opts so;
    waras_plan__solve_opts(&so, &o->budget, 1, 200000);
    if ((rc = waras_roster_solve(&res, rp, &so)))
        goto cleanup;
    plan->objective = res.objective;
    int placed = 0;
    for (size_t w = 0; w < plan->nweeks; w++)
        if (res.cells[w] == shift) {
            plan->weeks[w].chosen = 1;
            placed++;
        }
    plan->feasible = res.feasible && placed == count;
    if (!plan->feasible) {
        waras_str_append_line(plan->why, sizeof(plan->why), "the rostering engine found no placement of %d week%s", count,
             count == 1 ? "" : "s");
        goto cleanup;
    }
    oncall_ctx oc = {.plan = plan, .first_monday = first, .anchor = c.anchor};
    if ((rc = waras_store_plan_assignments_each(st, "oncall", plan->team, h0, h1, on_oncall, &oc)))
        goto cleanup;
    long prior = 0;
    if ((rc = waras_store_plan_count(&prior, st, "quiet", plan->team)))
        goto cleanup;
    plan->sequence = prior + 1;
cleanup:
    waras_roster_result_free(&res);
    waras_roster_problem_free(rp);
    waras_strmap_free(c.seen);
    free(c.leave);
    if (rc)
        waras_quiet_plan_free(plan);
    return rc;
}

void waras_quiet_plan_free(waras_quiet_plan *plan)
{
    if (!plan)
        return;
    free(plan->weeks);
    free(plan->members);
    for (size_t i = 0; i < plan->nmeetings; i++)
        free(plan->meetings[i].people);
    free(plan->meetings);
    free(plan->oncall);
    plan->weeks = NULL;
    plan->members = NULL;
    plan->meetings = NULL;
    plan->oncall = NULL;
    plan->nweeks = plan->nmembers = plan->nmeetings = plan->noncall = 0;
}

/* One meeting occurrence a recorded plan cancels for one member. */
typedef struct cancel_item {
    char person[WARAS_PERSON_ID_MAX];
    size_t meeting;
} cancel_item;

typedef struct cancel_ctx {
    const waras_quiet_plan *plan;
    waras_strmap *keys; /* source_kind|source_key -> meeting index + 1 */
    cancel_item *v;
    size_t n, cap;
} cancel_ctx;

static int cancel_key(char *buf, size_t size, const char *kind, const char *key)
{
    int n = snprintf(buf, size, "%s|%s", kind ? kind : "", key ? key : "");
    return n >= 0 && (size_t)n < size;
}

static int on_member_meeting(void *ctx, const waras_event *ev)
{
    cancel_ctx *c = ctx;
    char key[512];
    if (!cancel_key(key, sizeof(key), ev->source_kind, ev->source_key))
        return 0;
    long *slot = waras_strmap_slot(c->keys, key);
    if (!slot)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    if (!*slot)
        return 0;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        cancel_item *v = realloc(c->v, cap * sizeof(*v));
        if (!v)
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        c->v = v;
        c->cap = cap;
    }
    waras_strlcpy(c->v[c->n].person, ev->person, sizeof(c->v[c->n].person));
    c->v[c->n++].meeting = (size_t)(*slot - 1);
    return 0;
}

/* The members' own copies of the internal meetings of the chosen weeks:
 * who has which occurrence, read from the store (the plan's list of
 * invitees is only a summary). */
static int collect_cancellations(cancel_ctx *c, waras_store *st)
{
    const waras_quiet_plan *plan = c->plan;
    char key[512];
    int rc = waras_strmap_new(&c->keys);
    if (rc)
        return rc;
    waras_instant from = 0, to = 0;
    for (size_t i = 0; i < plan->nmeetings; i++) {
        const waras_quiet_meeting *m = &plan->meetings[i];
        if (m->external || !plan->weeks[m->week].chosen || !m->source_key[0] ||
            !cancel_key(key, sizeof(key), m->source_kind, m->source_key))
            continue;
        long *slot = waras_strmap_slot(c->keys, key);
        if (!slot)
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        *slot = (long)i + 1;
        if (!from || m->start < from)
            from = m->start;
        if (m->end + 1 > to)
            to = m->end + 1;
    }
    for (size_t e = 0; !rc && from && e < plan->nmembers; e++)
        rc = waras_store_events_each(st, plan->members[e].id, "meeting", from, to,
                                     on_member_meeting, c);
    return rc;
}

/* Writes one "cancellation" event per member and cancelled occurrence:
 * the occurrence's span, keyed by the key of the meeting it cancels. */
static int write_cancellations(const cancel_ctx *c, waras_store *st, int64_t plan_id)
{
    const waras_quiet_plan *plan = c->plan;
    int rc = 0;
    for (size_t i = 0; !rc && i < c->n; i++) {
        const waras_quiet_meeting *m = &plan->meetings[c->v[i].meeting];
        const waras_quiet_week *wk = &plan->weeks[m->week];
        char key[512], week[16];
        cancel_key(key, sizeof(key), m->source_kind, m->source_key);
        snprintf(week, sizeof(week), "%04d-W%02d", wk->iso_year, wk->iso_week);
        json_t *o = json_pack("{s:s,s:s,s:s,s:I}", "cancels", "meeting", "team", plan->team,
                              "week", week, "plan", (json_int_t)plan_id);
        char *attrs = o ? json_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
        if (!attrs)
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        waras_event ev = {.person = c->v[i].person,
                          .kind = "cancellation",
                          .start = m->start,
                          .end = m->end,
                          .all_day = m->all_day,
                          .source_kind = "plan-quiet",
                          .source_key = key,
                          .attrs = attrs};
        int changed;
        rc = waras_store_event_put(&changed, st, &ev);
        free(attrs);
    }
    return rc;
}

int waras_quiet_plan_record(waras_quiet_plan *plan, waras_store *st)
{
    int rc;
    if (!plan->feasible)
        return waras_error_msg(WARAS_EINVAL, "only a feasible plan is recorded");
    const waras_tz *anchor;
    if ((rc = waras_tz_get(&anchor, plan->members[0].timezone)))
        return rc;
    json_t *weeks = json_array();
    waras_instant start = 0, end = 0;
    for (size_t w = 0; w < plan->nweeks; w++) {
        if (!plan->weeks[w].chosen)
            continue;
        char label[16];
        snprintf(label, sizeof(label), "%04d-W%02d", plan->weeks[w].iso_year, plan->weeks[w].iso_week);
        json_array_append_new(weeks, json_string(label));
        if (!start)
            start = waras_time__day_start(anchor, waras_time__days(plan->weeks[w].monday));
        end = waras_time__day_start(anchor, waras_time__days(plan->weeks[w].monday) + 7);
    }
    json_t *root = json_pack("{s:o}", "weeks", weeks);
    char *attrs = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    if (!attrs)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    cancel_ctx cc = {.plan = plan};
    if ((rc = collect_cancellations(&cc, st)) || (rc = waras_store_begin(st)))
        goto cleanup;
    rc = waras_store_plan_add(&plan->plan_id, st, "quiet", plan->team, start, end, attrs);
    for (size_t w = 0; !rc && w < plan->nweeks; w++) {
        if (!plan->weeks[w].chosen)
            continue;
        for (size_t e = 0; !rc && e < plan->nmembers; e++) {
            const waras_tz *tz;
            rc = waras_tz_get(&tz, plan->members[e].timezone);
            if (!rc)
                rc = waras_store_plan_assign(
                    st, plan->plan_id, plan->members[e].id, "quiet",
                    waras_time__day_start(tz, waras_time__days(plan->weeks[w].monday)),
                    waras_time__day_start(tz, waras_time__days(plan->weeks[w].monday) + 7));
        }
    }
    if (!rc)
        rc = write_cancellations(&cc, st, plan->plan_id);
    if (!rc)
        rc = waras_store_commit(st);
    if (rc)
        waras_store_rollback(st);
cleanup:
    waras_strmap_free(cc.keys);
    free(cc.v);
    free(attrs);
    return rc;
}

int waras_quiet_plan_ics(char **out, const waras_quiet_plan *plan)
{
    char name[128];
    snprintf(name, sizeof(name), "Quiet week: %s", plan->team);
    icalcomponent *cal = waras_plan__calendar("quiet week", ICAL_METHOD_PUBLISH, name);
    if (!cal)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    for (size_t w = 0; w < plan->nweeks; w++) {
        const waras_quiet_week *wk = &plan->weeks[w];
        if (!wk->chosen)
            continue;
        for (size_t e = 0; e < plan->nmembers; e++) {
            const waras_person *p = &plan->members[e];
            char uid[WARAS_PERSON_ID_MAX + 128], summary[256], desc[512];
            snprintf(uid, sizeof(uid), "quiet-%s-%04d-W%02d-%s@waras", plan->team, wk->iso_year,
                     wk->iso_week, p->id);
            for (char *q = uid; *q; q++)
                if (*q == '/' || *q == ' ')
                    *q = '-';
            snprintf(summary, sizeof(summary), "Quiet week (%s)", plan->team);
            snprintf(desc, sizeof(desc),
                     "No meetings and no targets for team %s this week. On-call cover goes on.",
                     plan->team);
            icalcomponent *ev = waras_plan__all_day_event(
                uid, waras_time__days(wk->monday), waras_time__days(wk->monday) + 7, summary);
            if (!ev) {
                icalcomponent_free(cal);
                return waras_error_msg(WARAS_ENOMEM, "out of memory");
            }
            icalcomponent_add_property(ev, icalproperty_new_description(desc));
            icalcomponent_add_property(ev, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
            waras_plan__attendee(ev, p->email, p->name[0] ? p->name : p->id);
            icalcomponent_add_component(cal, ev);
        }
    }
    return waras_plan__calendar_text(cal, out);
}

static const waras_person *member(const waras_quiet_plan *plan, const char *id)
{
    for (size_t e = 0; e < plan->nmembers; e++)
        if (strcmp(plan->members[e].id, id) == 0)
            return &plan->members[e];
    return NULL;
}

/* The RECURRENCE-ID of an occurrence: the start as the calendar gave it
 * (UTC "...Z", floating, or a date for all-day events). */
static struct icaltimetype recurrence_of(const waras_quiet_meeting *m)
{
    struct icaltimetype t = icaltime_from_string(m->when);
    if (m->all_day) {
        t.is_date = 1;
        t.hour = t.minute = t.second = 0;
    }
    return t;
}

/* Copies the first id of a comma-separated list into out; returns where
 * the next id starts (past the comma), or the end of the list. */
static const char *next_id(char *out, size_t size, const char *list)
{
    const char *comma = strchr(list, ',');
    size_t len = comma ? (size_t)(comma - list) : strlen(list);
    snprintf(out, size, "%.*s", (int)len, list);
    return comma ? comma + 1 : list + len;
}

int waras_quiet_cancel_ics(char **out, size_t *n, const waras_quiet_plan *plan)
{
    char name[128];
    snprintf(name, sizeof(name), "Quiet week cancellations: %s", plan->team);
    icalcomponent *cal = waras_plan__calendar("quiet week", ICAL_METHOD_CANCEL, name);
    if (!cal)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    size_t count = 0;
    for (size_t i = 0; i < plan->nmeetings; i++) {
        const waras_quiet_meeting *m = &plan->meetings[i];
        if (m->external || !plan->weeks[m->week].chosen || !m->uid[0] || !m->when[0])
            continue;
        struct icaltimetype rid = recurrence_of(m);
        if (icaltime_is_null_time(rid))
            continue;
        char text[WARAS_PERSON_ID_MAX + 64];
        snprintf(text, sizeof(text), "%s (quiet week)", m->summary[0] ? m->summary : "Meeting");
        long length = (long)(m->end - m->start);
        icalcomponent *ev;
        if (m->all_day) {
            int64_t day = waras_time__days_from_civil(rid.year, rid.month, rid.day);
            ev = waras_plan__all_day_event(m->uid, day,
                                           day + (length > 86400 ? (length + 86399) / 86400 : 1),
                                           text);
        } else {
            struct icaltimetype end = rid;
            icaltime_adjust(&end, 0, 0, 0, (int)length);
            ev = icalcomponent_vanew(ICAL_VEVENT_COMPONENT, icalproperty_new_uid(m->uid),
                                     icalproperty_new_dtstamp(waras_plan__stamp()),
                                     icalproperty_new_dtstart(rid), icalproperty_new_dtend(end),
                                     icalproperty_new_summary(text), (void *)0);
        }
        if (!ev) {
            icalcomponent_free(cal);
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        }
        icalcomponent_add_property(ev, icalproperty_new_recurrenceid(rid));
        icalcomponent_add_property(ev, icalproperty_new_sequence((int)plan->sequence));
        icalcomponent_add_property(ev, icalproperty_new_status(ICAL_STATUS_CANCELLED));
        const waras_person *org = NULL;
        char first[WARAS_PERSON_ID_MAX];
        next_id(first, sizeof(first), m->people);
        if (m->organizer[0])
            snprintf(text, sizeof(text), "mailto:%s", m->organizer);
        else if ((org = member(plan, first)) && org->email[0])
            snprintf(text, sizeof(text), "mailto:%s", org->email);
        else
            snprintf(text, sizeof(text), "mailto:%s@invalid", first);
        icalcomponent_add_property(ev, icalproperty_new_organizer(text));
        char id[WARAS_PERSON_ID_MAX];
        for (const char *at = m->people; *at;) {
            at = next_id(id, sizeof(id), at);
            const waras_person *p = member(plan, id);
            if (p)
                waras_plan__attendee(ev, p->email, p->name[0] ? p->name : p->id);
        }
        icalcomponent_add_component(cal, ev);
        count++;
    }
    *n = count;
    return waras_plan__calendar_text(cal, out);
}
