/*
 * The demo's paging history, written as the exports a team would download:
 * PagerDuty log entries and incidents (REST API JSON), a PagerDuty schedule
 * per team, and research's rota as an on-call calendar. Each team has a
 * weekly primary/secondary rotation in which heavy and extreme people hold
 * two or three times as many weeks. Training-cluster alerts come mostly in
 * the on-call person's night (long jobs fail while nobody watches);
 * primaries usually acknowledge within minutes, otherwise the incident
 * escalates to the secondary after 30 minutes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "demo/demo_paging.h"
#include "demo/rng.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/time.h"
#include "time/days.h"

#define MAX_TEAMS 8
#define MAX_MEMBERS 64

typedef struct gen {
    const waras_demo_paging_opts *o;
    rng r;
    json_t *logs, *incidents;
    long log_seq, inc_seq;
    waras_demo_paging_summary *out;
} gen;

static void iso(char buf[32], waras_instant t)
{
    waras_civil c;
    waras_epoch_to_civil(&c, t);
    snprintf(buf, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year, c.month, c.day, c.hour, c.minute,
             c.second);
}

static json_t *jtime(waras_instant t)
{
    char b[32];
    iso(b, t);
    return json_string(b);
}

/* A full user object, as the API returns with include[]=users. */
static json_t *user(const waras_demo_pager *p)
{
    char id[80];
    size_t n = (size_t)snprintf(id, sizeof(id), "P%s", p->id);
    for (size_t i = 0; i < n && i < sizeof(id); i++)
        if (id[i] >= 'a' && id[i] <= 'z')
            id[i] = (char)(id[i] - 'a' + 'A');
    return json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", id, "type", "user", "name", p->name,
                     "summary", p->name, "email", p->email);
}

/* incident is borrowed; who_key_val is taken. */
static int add_log(gen *g, const char *type, waras_instant at, json_t *incident,
                   json_t *who_key_val, const char *who_key, const char *channel)
{
    char id[32];
    int rc = 0;
    snprintf(id, sizeof(id), "RDEMO%07ld", ++g->log_seq);
    json_t *e = json_pack("{s:s, s:s, s:o, s:O}", "id", id, "type", type, "created_at", jtime(at),
                          "incident", incident);
    /* set_new takes who_key_val even when it fails. */
    if (!e || (who_key && json_object_set_new(e, who_key, who_key_val)) ||
        (channel && json_object_set_new(e, "channel", json_pack("{s:s}", "type", channel)))) {
        if (!e)
            json_decref(who_key_val);
        json_decref(e);
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    if (json_array_append_new(g->logs, e)) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    if (strcmp(type, "notify_log_entry") == 0)
        g->out->notifications++;
cleanup:
    return rc;
}

static int local_hour(const waras_demo_pager *p, waras_instant t)
{
    const waras_tz *tz;
    waras_civil c = {.hour = 12}; /* an unknown zone counts as midday */
    if (waras_tz_get(&tz, p->zone) == 0)
        waras_tz_to_local(&c, tz, t);
    return c.hour;
}

/* Counts an interruption of p at `at` (merged as waras merges them: the
 * notifications of one are less than 60 s apart) when it falls in p's
 * sleep hours (22:00-08:00 local) in the last four weeks, for PLANTED.md. */
static void wake(gen *g, const waras_demo_pager *p, waras_instant at)
{
    const waras_tz *tz;
    if (waras_tz_get(&tz, p->zone))
        return;
    waras_instant w0 = waras_tz_date_start(tz, waras_time__date(g->o->last_day - 27)),
                  w1 = waras_tz_date_start(tz, waras_time__date(g->o->last_day + 1));
    int h = local_hour(p, at), idx = (int)(p - g->o->people);
    if (at >= w0 && at < w1 && (h >= 22 || h < 8) && idx >= 0 && idx < 64)
        g->out->night_wakes[idx]++;
}

/* Adds p's incident work [a, b) to opts->incident_min, by p's local day. */
static void add_work(gen *g, const waras_demo_pager *p, waras_instant a, waras_instant b)
{
    const waras_tz *tz;
    int idx = (int)(p - g->o->people);
    int64_t ndays = g->o->last_day - g->o->first_day + 1;
    if (!g->o->incident_min || waras_tz_get(&tz, p->zone) || idx < 0 ||
        (size_t)idx >= g->o->npeople)
        return;
    if (b > a + 6 * 3600)
        b = a + 6 * 3600; /* incident_cap_min's default */
    while (a < b) {
        int64_t day = waras_time__local_day(tz, a);
        waras_instant next = waras_tz_date_start(tz, waras_time__date(day + 1)), e = b < next ? b : next;
        if (next <= a)
            break;
        if (day >= g->o->first_day && day <= g->o->last_day)
            g->o->incident_min[(int64_t)idx * ndays + (day - g->o->first_day)] += (int)((e - a) / 60);
        a = e;
    }
}

/* One incident in the shift of primary (secondary as escalation). */
static int incident(gen *g, const char *service, int training, const waras_demo_pager *primary,
                    const waras_demo_pager *secondary, waras_instant from, waras_instant to)
{
    rng *r = &g->r;
    /* Training jobs fail at night, while nobody watches: a daytime draw is
     * refused three times in four. The serving APIs page with their
     * traffic, in the primary's working day: they begin between 08:00 and
     * 14:00 local, so that even a long fix (7 h at most) ends before 22:00,
     * and the primary answers them. The services' pages are the demo's
     * daytime noise: they must not break anyone's night or rest. */
    waras_instant t = from;
    for (int tries = 0; tries < (training ? 8 : 64); tries++) {
        t = from + (waras_instant)(rng_unit(r) * (double)(to - from - 7200));
        int h = local_hour(primary, t), night = h >= 22 || h < 8;
        if (training ? night || rng_unit(r) > 0.75 : h >= 8 && h < 14)
            break;
    }
    char inc_id[32], summary[160];
    long number = 1000 + ++g->inc_seq;
    snprintf(inc_id, sizeof(inc_id), "QDEMO%05ld", g->inc_seq);
    static const char *const training_titles[] = {
        "NCCL timeout on training job",    "GPU fell off the bus (Xid 79)",
        "Checkpoint write stalled",        "Loss went NaN on pretraining run",
        "Node lost from training cluster", "InfiniBand link flapping"};
    static const char *const other_titles[] = {"p99 latency over SLO", "Error rate above 2%",
                                               "Queue depth over 10k", "Disk over 90%",
                                               "Certificate expires in 7 days"};
    const char *title =
        training ? training_titles[rng_int(r, 0, 5)] : other_titles[rng_int(r, 0, 4)];
    snprintf(summary, sizeof(summary), "[#%ld] %s", number, title);
    int high = rng_unit(r) < (training ? 0.8 : 0.5);
    int rc = 0;
    json_t *assignments = json_array(), *acks = json_array();
    /* Log entries embed the incident (include[]=incidents), so they carry
     * its number, urgency and service as the incidents export does. */
    json_t *ref = json_pack("{s:s, s:s, s:s, s:I, s:s, s:{s:s, s:s, s:s}}", "id", inc_id, "type",
                            "incident", "summary", summary, "incident_number", (json_int_t)number,
                            "urgency", high ? "high" : "low", "service", "id", "PDEMOSVC", "type",
                            "service_reference", "summary", service);
    /* The primary is notified by e-mail and push at once; high urgency
     * adds an SMS after 30 s and a phone call after 90 s if still open. */
    int acked_by_primary = rng_unit(r) < 0.88 || !training;
    int auto_resolved = training && rng_unit(r) < 0.08;
    waras_instant ack = t + rng_int(r, 45, 900), resolved;
    const waras_demo_pager *acker = primary;
    wake(g, primary, t + 2);
    if (high && (!acked_by_primary || ack > t + 92))
        wake(g, primary, t + 92);
    if ((rc = add_log(g, "trigger_log_entry", t, ref, NULL, NULL, NULL)) ||
        (rc = add_log(g, "notify_log_entry", t + 2, ref, user(primary), "user", "email")) ||
        (rc = add_log(g, "notify_log_entry", t + 2, ref, user(primary), "user",
                      "push_notification")))
        goto cleanup;
    if (high && (!acked_by_primary || ack > t + 32) &&
        (rc = add_log(g, "notify_log_entry", t + 32, ref, user(primary), "user", "sms")))
        goto cleanup;
    if (high && (!acked_by_primary || ack > t + 92) &&
        (rc = add_log(g, "notify_log_entry", t + 92, ref, user(primary), "user", "phone")))
        goto cleanup;
    json_array_append_new(assignments,
                          json_pack("{s:o, s:o}", "at", jtime(t), "assignee", user(primary)));
    if (auto_resolved) {
        resolved = t + rng_int(r, 240, 1500);
        acker = NULL;
    } else {
        if (!acked_by_primary) {
            /* Escalation after 30 minutes to the secondary. */
            waras_instant esc = t + 1800;
            wake(g, secondary, esc + 1);
            wake(g, secondary, esc + 61);
            json_array_append_new(assignments, json_pack("{s:o, s:o}", "at", jtime(esc), "assignee",
                                                         user(secondary)));
            if ((rc = add_log(g, "notify_log_entry", esc + 1, ref, user(secondary), "user",
                              "push_notification")) ||
                (rc = add_log(g, "notify_log_entry", esc + 61, ref, user(secondary), "user",
                              "phone")))
                goto cleanup;
            acker = secondary;
            ack = esc + rng_int(r, 90, 600);
        }
        if ((rc = add_log(g, "acknowledge_log_entry", ack, ref, user(acker), "agent", NULL)))
            goto cleanup;
        json_array_append_new(
            acks, json_pack("{s:o, s:o}", "at", jtime(ack), "acknowledger", user(acker)));
        /* Most fixes take under an hour; a tail runs for hours. */
        resolved = ack + (rng_unit(r) < 0.15 ? rng_int(r, 3 * 3600, 7 * 3600) : rng_int(r, 300, 3600));
        add_work(g, acker, ack, resolved);
    }
    json_t *agent = acker ? user(acker)
                          : json_pack("{s:s, s:s, s:s}", "id", "PDEMOSVC", "type",
                                      "service_reference", "summary", service);
    if ((rc = add_log(g, "resolve_log_entry", resolved, ref, json_deep_copy(agent), "agent",
                      NULL))) {
        json_decref(agent);
        goto cleanup;
    }
    json_t *inc = json_pack("{s:s, s:s, s:I, s:s, s:o, s:s, s:s, s:{s:s, s:s, s:s}, s:O, s:O,"
                            " s:o, s:o, s:o}",
                            "id", inc_id, "type", "incident", "incident_number", (json_int_t)number,
                            "title", title, "created_at", jtime(t), "status", "resolved", "urgency",
                            high ? "high" : "low", "service", "id", "PDEMOSVC", "type",
                            "service_reference", "summary", service, "assignments", assignments,
                            "acknowledgements", acks, "last_status_change_at", jtime(resolved),
                            "last_status_change_by", agent, "resolved_at", jtime(resolved));
    if (!inc || json_array_append_new(g->incidents, inc))
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
    else
        g->out->incidents++;
cleanup:
    json_decref(ref);
    json_decref(assignments);
    json_decref(acks);
    return rc;
}

static int write_json(const char *path, json_t *root)
{
    char *text = json_dumps(root, JSON_INDENT(1) | JSON_ENSURE_ASCII);
    int rc = text ? waras_file_write(path, text, strlen(text))
                  : waras_error_msg(WARAS_ENOMEM, "out of memory");
    free(text);
    return rc;
}

static void ics_time(char buf[32], waras_instant t)
{
    waras_civil c;
    waras_epoch_to_civil(&c, t);
    snprintf(buf, 32, "%04d%02d%02dT%02d%02d%02dZ", c.year, c.month, c.day, c.hour, c.minute,
             c.second);
}

static int away_during(const waras_demo_pager *p, int64_t first, int64_t last)
{
    return p->away_last >= p->away_first && first <= p->away_last && last >= p->away_first;
}

int waras_demo_paging_generate(const waras_demo_paging_opts *o, waras_demo_paging_summary *out)
{
    gen g = {.o = o, .r = {o->seed ? o->seed : 7}, .out = out};
    const char *teams[MAX_TEAMS];
    int nteams = 0, rc = 0;
    waras_buf ics;
    json_t *sched_root = NULL;
    waras_buf_init(&ics, (size_t)64 << 20);
    memset(out, 0, sizeof(*out));
    g.logs = json_array();
    g.incidents = json_array();
    if (!g.logs || !g.incidents) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    if (o->last_day < o->first_day || !o->npeople) {
        rc = waras_error_msg(WARAS_EINVAL, "demo paging needs people and a date range");
        goto cleanup;
    }
    for (size_t i = 0; i < o->npeople; i++) {
        int known = 0;
        for (int t = 0; t < nteams; t++)
            known |= strcmp(teams[t], o->people[i].team) == 0;
        if (!known && nteams < MAX_TEAMS)
            teams[nteams++] = o->people[i].team;
    }
    waras_buf_printf(&ics, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//waras demo//on-call//EN\r\n"
                           "X-WR-CALNAME:research on-call\r\n");
    for (int t = 0; t < nteams && !rc; t++) {
        int members[MAX_MEMBERS], slots[3 * MAX_MEMBERS], nm = 0, ns = 0;
        for (size_t i = 0; i < o->npeople && nm < MAX_MEMBERS; i++)
            if (strcmp(o->people[i].team, teams[t]) == 0)
                members[nm++] = (int)i;
        /* Heavy people hold two weeks of the rota for everyone else's one,
         * extreme people three. */
        for (int k = 0; k < nm; k++)
            for (int w = 0; w <= o->people[members[k]].load && w < 3; w++)
                slots[ns++] = members[k];
        for (int k = ns - 1; k > 0; k--) {
            int j = rng_int(&g.r, 0, k), tmp = slots[k];
            slots[k] = slots[j];
            slots[j] = tmp;
        }
        int training = strstr(teams[t], "training") != NULL;
        int research = strcmp(teams[t], "research") == 0;
        /* Training's cluster pages far more than the services: its night
         * paging is one of the demo's planted overloads (demo.c). */
        double per_day = training ? 1.3 : research ? 0.12 : 0.35;
        char service[96];
        snprintf(service, sizeof(service), "%s%s", teams[t], training ? "-cluster" : "-api");
        if (training)
            snprintf(service, sizeof(service), "training-cluster");
        json_t *entries = json_array();
        int week = 0;
        for (int64_t day = o->first_day; day <= o->last_day && !rc; day += 7, week++) {
            /* Nobody on leave holds the pager: they swap weeks with the next
             * person free this week, as teams do, so that nobody stands in
             * for a second week in a row of the month. */
            int cur = week % ns;
            for (int k = 1; k < ns && away_during(&o->people[slots[cur]], day, day + 7); k++) {
                int j = (week + k) % ns;
                if (away_during(&o->people[slots[j]], day, day + 7))
                    continue;
                int tmp = slots[cur];
                slots[cur] = slots[j];
                slots[j] = tmp;
            }
            const waras_demo_pager *pri = &o->people[slots[cur]];
            const waras_demo_pager *sec = pri;
            for (int k = 1; k < ns && (sec == pri || away_during(sec, day, day + 7)); k++)
                sec = &o->people[slots[(week + k) % ns]];
            waras_instant from = day * 86400 + 9 * 3600, to = from + 7 * 86400;
            if (research) {
                char a[32], b[32];
                ics_time(a, from);
                ics_time(b, to);
                waras_buf_printf(&ics,
                                 "BEGIN:VEVENT\r\nUID:research-oncall-%d@oncall.lab.example\r\n"
                                 "DTSTAMP:%s\r\nDTSTART:%s\r\nDTEND:%s\r\n"
                                 "SUMMARY:On call: %s\r\nATTENDEE;CN=%s:mailto:%s\r\n"
                                 "END:VEVENT\r\n",
                                 week, a, a, b, pri->name, pri->name, pri->email);
            } else {
                json_array_append_new(entries, json_pack("{s:o, s:o, s:o}", "start", jtime(from),
                                                         "end", jtime(to), "user", user(pri)));
            }
            out->shifts++;
            int n = (int)(per_day * 7 * (0.4 + 1.2 * rng_unit(&g.r)) + 0.5);
            if (training && n < 8)
                n = 8; /* a training week on call is never a light one */
            for (int k = 0; k < n && !rc; k++)
                rc = incident(&g, service, training, pri, sec, from, to);
        }
        if (!rc && !research && out->nschedules < 3) {
            char sid[32];
            snprintf(sid, sizeof(sid), "PDEMOS%d", t + 1);
            sched_root =
                json_pack("{s:{s:s, s:s, s:s, s:s, s:{s:s, s:O}}}", "schedule", "id", sid, "type",
                          "schedule", "name", teams[t], "time_zone", "UTC", "final_schedule",
                          "name", "Final Schedule", "rendered_schedule_entries", entries);
            char *path = out->schedules[out->nschedules];
            snprintf(path, sizeof(out->schedules[0]), "%s/pagerduty_schedule_%s.json", o->dir,
                     teams[t]);
            rc = sched_root ? write_json(path, sched_root)
                            : waras_error_msg(WARAS_ENOMEM, "out of memory");
            json_decref(sched_root);
            sched_root = NULL;
            out->nschedules++;
        }
        json_decref(entries);
    }
    if (rc)
        goto cleanup;
    waras_buf_printf(&ics, "END:VCALENDAR\r\n");
    snprintf(out->oncall_ics, sizeof(out->oncall_ics), "%s/oncall_research.ics", o->dir);
    if ((rc = waras_file_write(out->oncall_ics, ics.ptr, ics.len)))
        goto cleanup;
    snprintf(out->log_entries_json, sizeof(out->log_entries_json), "%s/pagerduty_log_entries.json",
             o->dir);
    snprintf(out->incidents_json, sizeof(out->incidents_json), "%s/pagerduty_incidents.json",
             o->dir);
    json_t *root = json_pack("{s:O, s:i, s:i, s:b}", "log_entries", g.logs, "limit", 100, "offset",
                             0, "more", 0);
    rc = root ? write_json(out->log_entries_json, root)
              : waras_error_msg(WARAS_ENOMEM, "out of memory");
    json_decref(root);
    if (rc)
        goto cleanup;
    root = json_pack("{s:O, s:i, s:i, s:b}", "incidents", g.incidents, "limit", 100, "offset", 0,
                     "more", 0);
    rc = root ? write_json(out->incidents_json, root)
              : waras_error_msg(WARAS_ENOMEM, "out of memory");
    json_decref(root);
cleanup:
    json_decref(g.logs);
    json_decref(g.incidents);
    waras_buf_free(&ics);
    return rc;
}
