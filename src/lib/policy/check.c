/*
 * The policy presets, checked against the person-week metrics. Rolling
 * reference periods (17 weeks for the EU average, 13 weeks for the SRE
 * quarter) read the weeks before the range too, so that a range starts with
 * full periods when the history allows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "waras/check.h"
#include "waras/error.h"
#include "waras/metrics.h"
#include "waras/time.h"
#include "time/days.h"

const char *const waras_check_presets[] = {"who-55", "eu-wtd", "id-pp35", "sre", NULL};

/* A violation of one person's. */
#define add(res, who, team_name, ...)                                                               \
    waras_check_add((res), (who) ? (who)->id : "", (who) ? (who)->team : (team_name), __VA_ARGS__)

static const char SRC_WHO[] = "WHO/ILO joint estimates 2021 (Pega et al., Environment "
                              "International 154)";
static const char SRC_EU_AVG[] = "EU Working Time Directive 2003/88/EC art. 6 and 16(b)";
static const char SRC_EU_DAILY[] = "EU Working Time Directive 2003/88/EC art. 3";
static const char SRC_EU_WEEKLY[] = "EU Working Time Directive 2003/88/EC art. 5";
static const char SRC_EU_NIGHT[] = "EU Working Time Directive 2003/88/EC art. 8";
static const char SRC_EU_LEAVE[] = "EU Working Time Directive 2003/88/EC art. 7";
static const char SRC_ID_OT[] = "Indonesia PP 35/2021 art. 26 (overtime)";
static const char SRC_ID_HOURS[] = "Indonesia PP 35/2021 art. 21 and 22 (working hours and "
                                   "weekly rest)";
static const char SRC_ID_LEAVE[] = "Indonesia UU 13/2003 art. 79 as amended by UU 6/2023";
static const char SRC_SRE[] = "Site Reliability Engineering (Beyer et al., 2016), ch. 11";

static void note(waras_check_result *r, const char *text)
{
    size_t n = strlen(r->notes);
    if (!strstr(r->notes, text))
        snprintf(r->notes + n, sizeof(r->notes) - n, "%s%s", n ? "; " : "", text);
}

static void week_label(char *buf, size_t size, const waras_week_metrics *w)
{
    snprintf(buf, size, "%04d-W%02d", w->iso_year, w->iso_week);
}

static void day_label(char *buf, size_t size, int64_t day)
{
    int y, m, d;
    waras_time__civil_from_days(&y, &m, &d, day);
    snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
}

/* The person's working days (bit 0 = Monday); Monday to Friday when the
 * store has none. */
static unsigned work_days_of(const waras_person *p)
{
    return p->work_days & 0x7f ? p->work_days & 0x7f : 0x1f;
}

static int count_work_days(const waras_person *p)
{
    int n = 0;
    unsigned wd = work_days_of(p);
    for (int i = 0; i < 7; i++)
        n += (wd >> i) & 1;
    return n;
}

typedef struct leave_ctx {
    const waras_person *p;
    const waras_tz *tz;
    int64_t first_day;
    int ndays;
    unsigned char *day; /* 1: more than half of that working day on leave;
                           2: a public holiday, never leave */
} leave_ctx;

static int mark_leave(void *ctx, const waras_event *ev)
{
    leave_ctx *c = ctx;
    /* A public holiday is nobody's annual leave. */
    json_t *attrs = ev->attrs ? json_loads(ev->attrs, 0, NULL) : NULL;
    const char *type = json_string_value(json_object_get(attrs, "type"));
    int holiday = type && strcmp(type, "holiday") == 0;
    json_decref(attrs);
    if (holiday)
        return 0;
    int is_holiday_event = strcmp(ev->kind, "holiday") == 0;
    unsigned wd = work_days_of(c->p);
    for (int d = 0; d < c->ndays; d++) {
        int64_t day = c->first_day + d;
        if (!(wd & (1u << (waras_time__weekday(day) - 1))))
            continue;
        waras_instant ds = waras_time__day_start(c->tz, day),
                      de = waras_time__day_start(c->tz, day + 1);
        waras_instant s = ev->start > ds ? ev->start : ds, e = ev->end < de ? ev->end : de;
        if (e > s && (e - s) * 2 > de - ds)
            c->day[d] = is_holiday_event ? 2 : c->day[d] == 2 ? 2 : 1;
    }
    return 0;
}

/* Working days of annual leave in [first_day, first_day + ndays): the
 * person's own working days more than half covered by leave that is not a
 * public holiday (the 12 days of the Indonesian rule are working days). */
static int leave_work_days(waras_store *st, const waras_person *p, int64_t first_day, int ndays,
                           int *out)
{
    leave_ctx c = {.p = p, .first_day = first_day, .ndays = ndays};
    int rc = waras_tz_get(&c.tz, p->timezone);
    if (rc)
        return rc;
    c.day = calloc((size_t)ndays, 1);
    if (!c.day)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    rc = waras_store_events_each(st, p->id, "leave,holiday", first_day * 86400 - 86400,
                                 (first_day + ndays + 1) * 86400, mark_leave, &c);
    int n = 0;
    for (int d = 0; d < ndays; d++)
        n += c.day[d] == 1;
    free(c.day);
    *out = n;
    return rc;
}

/* Checks one person; w[0..n) are weeks, the range starts at w[lead]. */
static int check_person(waras_store *st, waras_check_result *r, const char *preset,
                        const waras_person *p, const waras_week_metrics *w, size_t n, size_t lead)
{
    char when[48];
    int rc = 0;
    size_t shown = n - lead;
    if (strcmp(preset, "who-55") == 0) {
        for (size_t k = lead; k < n && !rc; k++)
            if (w[k].worked_hours >= 55) {
                week_label(when, sizeof(when), &w[k]);
                rc = add(r, p, NULL, "week-55h", SRC_WHO, when,
                         "%.1f h worked (55 h or more: +35 %% stroke, +17 %% heart disease "
                         "death risk)", w[k].worked_hours);
            }
        return rc;
    }
    if (strcmp(preset, "eu-wtd") == 0) {
        /* 48 h average over a 17-week reference period: report the worst. */
        double worst = 0;
        size_t worst_end = 0, over = 0, periods = 0;
        for (size_t k = lead; k < n; k++) {
            if (k + 1 < 17)
                continue;
            double sum = 0;
            for (size_t q = k + 1 - 17; q <= k; q++)
                sum += w[q].worked_hours;
            periods++;
            if (sum / 17 > 48) {
                over++;
                if (sum / 17 > worst) {
                    worst = sum / 17;
                    worst_end = k;
                }
            }
        }
        if (!periods)
            note(r, "48 h average: fewer than 17 weeks of history before the range");
        if (over) {
            char a[16], b[16];
            week_label(a, sizeof(a), &w[worst_end - 16]);
            week_label(b, sizeof(b), &w[worst_end]);
            snprintf(when, sizeof(when), "%s..%s", a, b);
            if ((rc = add(r, p, NULL, "average-48h", SRC_EU_AVG, when,
                          "%.1f h a week on average over 17 weeks (over 48 h in %zu of %zu "
                          "reference periods)", worst, over, periods)))
                return rc;
        }
        int night_days = 0, worked_days = 0;
        double night_total = 0;
        for (size_t k = lead; k < n; k++) {
            for (int d = 0; d < 7; d++) {
                if (w[k].day_hours[d] > 0) {
                    worked_days++;
                    night_total += w[k].day_hours[d];
                    if (w[k].night_hours[d] >= 3)
                        night_days++;
                }
                if (w[k].day_rest[d] >= 0 && w[k].day_rest[d] < 11) {
                    day_label(when, sizeof(when), waras_time__days(w[k].monday) + d);
                    if ((rc = add(r, p, NULL, "daily-rest-11h", SRC_EU_DAILY, when,
                                  "%.1f h of rest in the 24 h from the day's first work "
                                  "(%.1f h worked that day)", w[k].day_rest[d],
                                  w[k].day_hours[d])))
                        return rc;
                }
            }
            if (w[k].worked_hours > 0 && w[k].weekly_rest_hours < 35) {
                week_label(when, sizeof(when), &w[k]);
                if ((rc = add(r, p, NULL, "weekly-rest-35h", SRC_EU_WEEKLY, when,
                              "longest rest %.1f h (24 h + 11 h required)",
                              w[k].weekly_rest_hours)))
                    return rc;
            }
        }
        /* A night worker works at least 3 h of night time on a regular basis:
         * here, on a third or more of their worked days. */
        if (worked_days && night_days * 3 >= worked_days && night_total / worked_days > 8) {
            char a[16], b[16];
            week_label(a, sizeof(a), &w[lead]);
            week_label(b, sizeof(b), &w[n - 1]);
            snprintf(when, sizeof(when), "%s..%s", a, b);
            if ((rc = add(r, p, NULL, "night-8h", SRC_EU_NIGHT, when,
                          "night worker (%d of %d worked days with 3 h or more at night) "
                          "averaging %.1f h per worked day", night_days, worked_days,
                          night_total / worked_days)))
                return rc;
        }
        if (shown >= 52) {
            double leave = 0;
            for (size_t k = n - 52; k < n; k++)
                leave += w[k].leave_days;
            if (leave < 20) {
                snprintf(when, sizeof(when), "the last 52 weeks");
                rc = add(r, p, NULL, "annual-leave-4w", SRC_EU_LEAVE, when,
                         "%.1f days of leave (4 weeks required)", leave);
            }
        } else {
            note(r, "annual leave: the range is shorter than 52 weeks");
        }
        return rc;
    }
    if (strcmp(preset, "id-pp35") == 0) {
        /* PP 35/2021 art. 21: 40 h a week as 7 h x 6 days or 8 h x 5 days.
         * Overtime is work beyond the day's norm on a working day, or beyond
         * 40 h in the working days of the week; art. 26(2) leaves work on
         * weekly rest days out of the 4 h and 18 h limits. */
        unsigned wdays = work_days_of(p);
        int six = count_work_days(p) >= 6;
        double day_norm = six ? 7 : 8;
        for (size_t k = lead; k < n && !rc; k++) {
            double ot_days = 0, on_work_days = 0;
            int rest_days = 0;
            for (int d = 0; d < 7; d++) {
                double h = w[k].day_hours[d];
                if (h <= 0)
                    rest_days++;
                /* A public holiday is no working day: its work is not
                 * counted against the working days' norm. */
                if (!(wdays & (1u << d)) || (w[k].holidays & (1 << d)))
                    continue;
                on_work_days += h;
                double ot = h > day_norm ? h - day_norm : 0;
                ot_days += ot;
                if (ot > 4) {
                    day_label(when, sizeof(when), waras_time__days(w[k].monday) + d);
                    if ((rc = add(r, p, NULL, "overtime-4h-day", SRC_ID_OT, when,
                                  "%.1f h worked: %.1f h of overtime (at most 4 h a day)", h, ot)))
                        return rc;
                }
            }
            double ot_week = on_work_days - 40 > ot_days ? on_work_days - 40 : ot_days;
            if (ot_week > 18) {
                week_label(when, sizeof(when), &w[k]);
                if ((rc = add(r, p, NULL, "overtime-18h-week", SRC_ID_OT, when,
                              "%.1f h worked on working days: %.1f h of overtime (at most 18 h "
                              "a week)", on_work_days, ot_week)))
                    return rc;
            }
            int need = six ? 1 : 2;
            if (rest_days < need) {
                week_label(when, sizeof(when), &w[k]);
                rc = add(r, p, NULL, "weekly-rest-days", SRC_ID_HOURS, when,
                         "%d day%s without work (at least %d for a %d-day week)", rest_days,
                         rest_days == 1 ? "" : "s", need, six ? 6 : 5);
            }
        }
        if (!rc && shown >= 52) {
            int leave = 0;
            rc = leave_work_days(st, p, waras_time__days(w[n - 52].monday), 52 * 7, &leave);
            if (!rc && leave < 12) {
                snprintf(when, sizeof(when), "the last 52 weeks");
                rc = add(r, p, NULL, "annual-leave-12d", SRC_ID_LEAVE, when,
                         "%d working day%s of leave (12 required)", leave,
                         leave == 1 ? "" : "s");
            }
        } else if (shown < 52) {
            note(r, "annual leave: the range is shorter than 52 weeks");
        }
        return rc;
    }
    /* sre: on call at most 25 % over a quarter (13 weeks), worst period. */
    double worst = 0;
    size_t worst_end = 0, over = 0;
    for (size_t k = lead; k < n; k++) {
        size_t from = k + 1 >= 13 ? k + 1 - 13 : 0;
        double sum = 0;
        for (size_t q = from; q <= k; q++)
            sum += w[q].oncall_hours;
        double share = 100.0 * sum / (168.0 * (double)(k + 1 - from));
        if (share > 25) {
            over++;
            if (share > worst) {
                worst = share;
                worst_end = k;
            }
        }
    }
    if (over) {
        char a[16], b[16];
        size_t from = worst_end + 1 >= 13 ? worst_end + 1 - 13 : 0;
        week_label(a, sizeof(a), &w[from]);
        week_label(b, sizeof(b), &w[worst_end]);
        snprintf(when, sizeof(when), "%s..%s", a, b);
        rc = add(r, p, NULL, "oncall-25pct", SRC_SRE, when, "on call %.0f %% of the time "
                 "(at most 25 %%)", worst);
    }
    return rc;
}

typedef struct sre_ctx {
    waras_check_result *r;
    const waras_person *p;
    waras_instant *inc;
    size_t ninc, cap;
    int rc;
} sre_ctx;

static int collect_incident(void *ctx, const waras_event *ev)
{
    sre_ctx *c = ctx;
    if (strcmp(ev->kind, "incident") != 0)
        return 0;
    if (c->ninc == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        waras_instant *v = realloc(c->inc, cap * sizeof(*v));
        if (!v)
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        c->inc = v;
        c->cap = cap;
    }
    c->inc[c->ninc++] = ev->start;
    return 0;
}

static int check_shift(void *ctx, const waras_event *ev)
{
    sre_ctx *c = ctx;
    if (strcmp(ev->kind, "shift") != 0)
        return 0;
    /* Each 12 h of the shift may hold at most two incidents. */
    for (waras_instant b = ev->start; b < ev->end; b += 12 * 3600) {
        int count = 0;
        for (size_t i = 0; i < c->ninc; i++)
            count += c->inc[i] >= b && c->inc[i] < b + 12 * 3600 && c->inc[i] < ev->end;
        if (count > 2) {
            const waras_tz *tz;
            waras_civil lc;
            char when[48];
            if (waras_tz_get(&tz, c->p->timezone))
                return -1;
            waras_tz_to_local(&lc, tz, b);
            snprintf(when, sizeof(when), "%04d-%02d-%02d %02d:%02d +12h", lc.year, lc.month,
                     lc.day, lc.hour, lc.minute);
            int rc = add(c->r, c->p, NULL, "incidents-per-shift", SRC_SRE, when,
                         "%d incidents in 12 h of on-call (at most 2)", count);
            if (rc)
                return rc;
        }
    }
    return 0;
}

typedef struct rota_ctx {
    int has_shift;
} rota_ctx;

static int any_shift(void *ctx, const waras_event *ev)
{
    rota_ctx *c = ctx;
    if (strcmp(ev->kind, "shift") == 0) {
        c->has_shift = 1;
        return 1; /* stop early */
    }
    return 0;
}

int waras_check_run(waras_check_result *out, waras_store *st, const char *preset, const char *team,
                    waras_date first_date, waras_date last_date)
{
    int64_t first_monday = waras_time__days(first_date), last_monday = waras_time__days(last_date);
    waras_person *people = NULL;
    size_t npeople = 0;
    int rc = 0, known = 0;
    for (int i = 0; waras_check_presets[i]; i++)
        known |= strcmp(preset, waras_check_presets[i]) == 0;
    memset(out, 0, sizeof(*out));
    if (!known)
        return waras_error_msg(WARAS_EINVAL, "unknown policy '%s' (sre, eu-wtd, id-pp35 or "
                                             "who-55)", preset);
    out->preset = preset;
    if ((rc = waras_store_people_list(&people, &npeople, st)))
        return rc;
    size_t lead = strcmp(preset, "eu-wtd") == 0 ? 16 : strcmp(preset, "sre") == 0 ? 12 : 0;
    waras_instant from = first_monday * 86400 - 86400, to = (last_monday + 8) * 86400;
    /* Rotation size per team, over people who held a shift in the range. */
    char last_team[64] = "";
    for (size_t i = 0; i < npeople && !rc; i++) {
        const waras_person *p = &people[i];
        if (team && strcmp(team, p->team))
            continue;
        waras_week_metrics *w = NULL;
        size_t n = 0;
        if ((rc = waras_metrics_weeks(&w, &n, st, p, NULL,
                                      waras_date_add(first_date, -7 * (long)lead), last_date)))
            break;
        out->people++;
        rc = check_person(st, out, preset, p, w, n, lead);
        free(w);
        if (rc || strcmp(preset, "sre") != 0)
            continue;
        sre_ctx c = {.r = out, .p = p};
        rc = waras_store_events_each(st, p->id, "incident", from, to, collect_incident, &c);
        if (!rc)
            rc = waras_store_events_each(st, p->id, "shift", from, to, check_shift, &c);
        free(c.inc);
        if (rc || strcmp(last_team, p->team) == 0)
            continue;
        /* First person of a new team: check the team's rotation. */
        snprintf(last_team, sizeof(last_team), "%s", p->team);
        int on_rota = 0, sites = 0;
        char site_names[8][64];
        int site_count[8] = {0};
        for (size_t k = i; k < npeople && strcmp(people[k].team, p->team) == 0; k++) {
            rota_ctx rc2 = {0};
            int e = waras_store_events_each(st, people[k].id, "shift", from, to, any_shift, &rc2);
            if (e < 0) {
                rc = e;
                break;
            }
            if (!rc2.has_shift)
                continue;
            on_rota++;
            int s = 0;
            for (; s < sites; s++)
                if (strcmp(site_names[s], people[k].site) == 0)
                    break;
            if (s == sites && sites < 8)
                snprintf(site_names[sites++], 64, "%s", people[k].site);
            if (s < 8)
                site_count[s]++;
        }
        if (rc || !on_rota)
            continue;
        char when[48], a[16], b[16];
        day_label(a, sizeof(a), first_monday);
        day_label(b, sizeof(b), last_monday + 6);
        snprintf(when, sizeof(when), "%s..%s", a, b);
        if (sites <= 1 && on_rota < 8)
            rc = waras_check_add(out, "", p->team, "rotation-size", SRC_SRE, when,
                     "%d people on the rotation at one site (at least 8)", on_rota);
        for (int s = 0; sites >= 2 && s < sites && !rc; s++)
            if (site_count[s] < 6)
                rc = waras_check_add(out, "", p->team, "rotation-size", SRC_SRE, when,
                         "%d people on the rotation at site '%s' (at least 6 per site on a "
                         "two-site rotation)", site_count[s], site_names[s]);
    }
    /* A milestone placed inside a recorded quiet week breaks the plan. */
    if (!rc)
        rc = waras_quiet_check(out, st, team, first_date, last_date);
    free(people);
    if (rc)
        waras_check_result_free(out);
    return rc;
}
