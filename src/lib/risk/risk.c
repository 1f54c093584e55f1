/*
 * The risk model of docs/definitions.md: signals, their anchors, the
 * max-plus-accumulation score, levels, and reasons in plain words. The
 * policy file format is documented in docs/policy.md.
 */
#include <math.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "waras/error.h"
#include "waras/risk.h"

static const char *const signal_keys[WARAS_SIG_COUNT] = {
    "long_weeks", "sleep_interruptions", "short_rest_days", "after_hours_share",
    "longest_streak", "oncall_share", "days_since_break", "focus_hours",
};

void waras_policy_default(waras_policy *p)
{
    /* zero_at, full_at, weight: docs/definitions.md's table and its anchors. */
    static const double def[WARAS_SIG_COUNT][3] = {
        {0, 3, 1.0},     /* WHO/ILO 2021: >= 55 h/week */
        {0, 3, 1.0},     /* on-call sleep disruption studies */
        {0, 8, 1.0},     /* EU Working Time Directive art. 3 */
        {0, 30, 0.75},   /* 30 % outside hours maps to 100 */
        {6, 13, 0.75},   /* weekly rest, art. 5 */
        {25, 50, 0.75},  /* Google SRE book: <= 25 % on call */
        {60, 120, 0.45}, /* no break in two to four months; alone at most moderate */
        {10, 0, 0.5},    /* fewer than 10 h of focus a week */
    };
    memset(p, 0, sizeof(*p));
    for (int i = 0; i < WARAS_SIG_COUNT; i++) {
        p->signals[i].key = signal_keys[i];
        p->signals[i].zero_at = def[i][0];
        p->signals[i].full_at = def[i][1];
        p->signals[i].weight = def[i][2];
        p->signals[i].enabled = 1;
    }
    p->window_weeks = 4;
    p->long_week_hours = 55;
    p->short_rest_hours = 11;
    p->accumulate_count = 3;
    p->accumulate_at = 50;
    p->accumulate_bonus = 15;
    p->min_group = 5;
    p->after_hours_min_hours = 40;
    p->night_page_hours = 24; /* the on-call planner's default (docs/oncall.md) */
    waras_metrics_config_default(&p->metrics);
}

const char *waras_risk_level(double score)
{
    if (score >= 75)
        return "critical";
    if (score >= 50)
        return "high";
    if (score >= 25)
        return "moderate";
    return "low";
}

static double map_linear(const waras_risk_signal *s, double v)
{
    double span = s->full_at - s->zero_at;
    if (span == 0)
        return v >= s->full_at ? 100 : 0;
    double x = (v - s->zero_at) / span;
    if (x < 0)
        x = 0;
    if (x > 1)
        x = 1;
    return x * 100.0;
}

static int reason_cmp(const void *a, const void *b)
{
    const waras_risk_reason *x = a, *y = b;
    if (x->points != y->points)
        return x->points > y->points ? -1 : 1;
    return x->signal - y->signal;
}

static void risk_at(waras_risk *out, const waras_policy *p, const waras_week_metrics *weeks,
                    size_t n)
{
    memset(out, 0, sizeof(*out));
    size_t win = (size_t)(p->window_weeks > 0 ? p->window_weeks : 4);
    if (win > n)
        win = n;
    const waras_week_metrics *w = weeks + (n - win);
    double v[WARAS_SIG_COUNT] = {0};
    char text[WARAS_SIG_COUNT][200];
    memset(text, 0, sizeof(text));
    if (!win) {
        out->level = "low";
        return;
    }
    int long_weeks = 0, sleep = 0, short_rest = 0, streak = 0, worked_weeks = 0;
    double worked = 0, after = 0, oncall = 0, focus = 0, min_rest = 24;
    char hours_list[96] = "";
    size_t hl = 0;
    for (size_t i = 0; i < win; i++) {
        if (w[i].worked_hours >= p->long_week_hours) {
            long_weeks++;
            int k = snprintf(hours_list + hl, sizeof(hours_list) - hl, "%s%.0f", hl ? ", " : "",
                             w[i].worked_hours);
            if (k > 0 && (size_t)k < sizeof(hours_list) - hl)
                hl += (size_t)k;
        }
        sleep += w[i].interruptions[WARAS_WINDOW_SLEEP];
        short_rest += w[i].short_rest_days;
        if (w[i].short_rest_days && w[i].min_daily_rest_hours < min_rest)
            min_rest = w[i].min_daily_rest_hours;
        if (w[i].longest_streak_days > streak)
            streak = w[i].longest_streak_days;
        worked += w[i].worked_hours;
        after += w[i].after_hours;
        oncall += w[i].oncall_hours;
        if (w[i].worked_hours > 0) {
            focus += w[i].focus_hours;
            worked_weeks++;
        }
    }
    int since = w[win - 1].days_since_break;
    v[WARAS_SIG_LONG_WEEKS] = long_weeks;
    snprintf(text[WARAS_SIG_LONG_WEEKS], 200, "%d of the last %zu weeks >= %.0f h (%s h)",
             long_weeks, win, p->long_week_hours, hours_list);
    v[WARAS_SIG_SLEEP_INTERRUPTIONS] = (double)sleep / (double)win;
    snprintf(text[WARAS_SIG_SLEEP_INTERRUPTIONS], 200,
             "%.1f sleep-hour interruptions a week (%d in %zu weeks, 22:00-08:00)",
             v[WARAS_SIG_SLEEP_INTERRUPTIONS], sleep, win);
    v[WARAS_SIG_SHORT_REST] = short_rest;
    snprintf(text[WARAS_SIG_SHORT_REST], 200, "%d days with less than %.0f h rest in %zu weeks "
             "(shortest %.1f h)", short_rest, p->short_rest_hours, win, min_rest);
    /* The share is taken over at least after_hours_min_hours for each week
     * with work: on a thin record (a few meetings and commits) a handful of
     * late commits would otherwise make a large share of very little. */
    double floor_h = p->after_hours_min_hours * (double)worked_weeks;
    double base = worked > floor_h ? worked : floor_h;
    v[WARAS_SIG_AFTER_HOURS] = base > 0 ? 100.0 * after / base : 0;
    if (base > worked)
        snprintf(text[WARAS_SIG_AFTER_HOURS], 200,
                 "%.0f %% outside working hours (%.1f h, of at least %.0f h a worked week)",
                 v[WARAS_SIG_AFTER_HOURS], after, p->after_hours_min_hours);
    else
        snprintf(text[WARAS_SIG_AFTER_HOURS], 200,
                 "%.0f %% of worked hours outside working hours (%.1f of %.1f h)",
                 v[WARAS_SIG_AFTER_HOURS], after, worked);
    v[WARAS_SIG_STREAK] = streak;
    snprintf(text[WARAS_SIG_STREAK], 200, "worked %d days in a row", streak);
    v[WARAS_SIG_ONCALL] = 100.0 * oncall / (168.0 * (double)win);
    snprintf(text[WARAS_SIG_ONCALL], 200, "on call %.0f %% of the time (%.0f h in %zu weeks)",
             v[WARAS_SIG_ONCALL], oncall, win);
    /* With no break on record, the days on record are a lower bound. */
    v[WARAS_SIG_SINCE_BREAK] = since < 0 ? w[win - 1].days_on_record : since;
    if (since < 0)
        snprintf(text[WARAS_SIG_SINCE_BREAK], 200,
                 "no break of a working week or more in the %d days on record",
                 w[win - 1].days_on_record);
    else
        snprintf(text[WARAS_SIG_SINCE_BREAK], 200, "%d days since the last break of a working "
                 "week or more", since);
    v[WARAS_SIG_FOCUS] = worked_weeks ? focus / worked_weeks : p->signals[WARAS_SIG_FOCUS].zero_at;
    snprintf(text[WARAS_SIG_FOCUS], 200, "%.1f h of focus time a week (blocks of 2 h or more)",
             v[WARAS_SIG_FOCUS]);

    double best = 0;
    int high = 0;
    for (int i = 0; i < WARAS_SIG_COUNT; i++) {
        const waras_risk_signal *s = &p->signals[i];
        if (!s->enabled)
            continue;
        double lvl = map_linear(s, v[i]);
        double pts = lvl * s->weight;
        if (lvl >= p->accumulate_at && lvl > 0)
            high++;
        if (pts > best)
            best = pts;
        if (pts > 0) {
            waras_risk_reason *r = &out->reasons[out->nreasons++];
            r->signal = i;
            r->value = v[i];
            r->level = lvl;
            r->points = pts;
            memcpy(r->text, text[i], sizeof(r->text));
        }
    }
    if (out->nreasons)
        qsort(out->reasons, (size_t)out->nreasons, sizeof(out->reasons[0]), reason_cmp);
    if (high >= p->accumulate_count) {
        best += p->accumulate_bonus;
        out->accumulated = 1;
    }
    if (best > 100)
        best = 100;
    out->score = round(best * 10) / 10;
    out->level = waras_risk_level(out->score);
}

void waras_risk_compute(waras_risk *out, const waras_policy *p, const waras_week_metrics *weeks,
                        size_t n)
{
    risk_at(out, p, weeks, n);
    /* The trend: the score WARAS_RISK_TREND_WEEKS weeks earlier, when the
     * weeks given reach back that far and something was on record then. */
    size_t back = WARAS_RISK_TREND_WEEKS;
    if (n > back && weeks[n - back - 1].days_on_record > 0) {
        waras_risk before;
        risk_at(&before, p, weeks, n - back);
        out->has_before = 1;
        out->score_before = before.score;
        out->rising = out->score - before.score >= WARAS_RISK_RISING;
    }
}

const char *waras_risk_trend(const waras_risk *k)
{
    if (!k->has_before)
        return NULL;
    if (k->rising)
        return "rising";
    return k->score_before - k->score >= WARAS_RISK_RISING ? "falling" : "steady";
}

static int policy_error(const char *path, const json_error_t *e, const char *key, const char *msg)
{
    return waras_error_set(WARAS_EPARSE, path, e ? e->line : 0, key, "%s", msg);
}

static int get_number(json_t *v, double *out)
{
    if (!json_is_number(v))
        return -1;
    *out = json_number_value(v);
    return 0;
}

static int get_bool(json_t *v, int *out)
{
    if (!json_is_boolean(v))
        return -1;
    *out = json_is_true(v);
    return 0;
}

/* One signal's object: zero_at, full_at, weight (>= 0) and enabled. Errors
 * name the key by its path, signals.<name>.<field>. */
static int load_signal(waras_risk_signal *s, const char *path, const char *name, json_t *obj)
{
    char where[128];
    const char *fk;
    json_t *fv;
    json_object_foreach(obj, fk, fv)
    {
        snprintf(where, sizeof(where), "signals.%s.%s", name, fk);
        if (strcmp(fk, "enabled") == 0) {
            if (get_bool(fv, &s->enabled))
                return policy_error(path, NULL, where, "expected true or false");
            continue;
        }
        double *dst = strcmp(fk, "zero_at") == 0   ? &s->zero_at
                      : strcmp(fk, "full_at") == 0 ? &s->full_at
                      : strcmp(fk, "weight") == 0  ? &s->weight
                                                   : NULL;
        if (!dst || get_number(fv, dst) || (dst == &s->weight && *dst < 0))
            return policy_error(path, NULL, where,
                                "expected zero_at, full_at, weight (>= 0) or enabled");
    }
    return 0;
}

/* "signals": an object of known signal names, each a signal's object. */
static int load_signals(waras_policy *p, const char *path, json_t *val)
{
    if (!json_is_object(val))
        return policy_error(path, NULL, "signals", "expected an object of signals");
    const char *sk;
    json_t *sv;
    json_object_foreach(val, sk, sv)
    {
        int idx = -1;
        for (int i = 0; i < WARAS_SIG_COUNT; i++)
            if (strcmp(sk, signal_keys[i]) == 0)
                idx = i;
        char where[128];
        snprintf(where, sizeof(where), "signals.%s", sk);
        if (idx < 0 || !json_is_object(sv))
            return policy_error(path, NULL, where,
                                idx < 0 ? "unknown signal" : "expected an object");
        int rc = load_signal(&p->signals[idx], path, sk, sv);
        if (rc)
            return rc;
    }
    return 0;
}

/* The policy's top-level numbers: where each lives in waras_policy, whether
 * it is an int (else a double), and the range a policy file may set. Load
 * and dump both walk this table, dump in its order. */
static const struct policy_field {
    const char *name;
    size_t offset;
    int is_int;
    double lo, hi;
    int lo_open; /* lo itself is outside the range */
} policy_fields[] = {
    {"window_weeks", offsetof(waras_policy, window_weeks), 1, 1, 52, 0},
    {"long_week_hours", offsetof(waras_policy, long_week_hours), 0, 1, 168, 0},
    {"short_rest_hours", offsetof(waras_policy, short_rest_hours), 0, 0, 24, 0},
    {"accumulate_count", offsetof(waras_policy, accumulate_count), 1, 1, WARAS_SIG_COUNT, 0},
    {"accumulate_at", offsetof(waras_policy, accumulate_at), 0, 0, 100, 0},
    {"accumulate_bonus", offsetof(waras_policy, accumulate_bonus), 0, 0, 100, 0},
    {"min_group", offsetof(waras_policy, min_group), 1, 2, 1000, 0},
    {"after_hours_min_hours", offsetof(waras_policy, after_hours_min_hours), 0, 0, 168, 0},
    {"session_gap_min", offsetof(waras_policy, metrics.session_gap_min), 1, 1, 24 * 60, 0},
    {"session_lead_min", offsetof(waras_policy, metrics.session_lead_min), 1, 0, 24 * 60, 0},
    {"incident_cap_min", offsetof(waras_policy, metrics.incident_cap_min), 1, 1, 7 * 24 * 60, 0},
    {"merge_window_s", offsetof(waras_policy, metrics.merge_window_s), 1, 0, 3600, 0},
    {"focus_block_min", offsetof(waras_policy, metrics.focus_block_min), 1, 15, 24 * 60, 0},
    {"break_days", offsetof(waras_policy, metrics.break_days), 1, 1, 60, 0},
    {"active_day_min_hours", offsetof(waras_policy, metrics.active_day_min_hours), 0, 0, 24, 0},
    {"night_page_hours", offsetof(waras_policy, night_page_hours), 0, 0, 168, 1},
};

#define NPOLICY_FIELDS (sizeof(policy_fields) / sizeof(policy_fields[0]))

/* One top-level key other than "signals": a number of policy_fields in its
 * range, the boolean standby_is_work, or a comment. */
static int load_field(waras_policy *p, const char *path, const char *key, json_t *val)
{
    for (size_t i = 0; i < NPOLICY_FIELDS; i++) {
        const struct policy_field *f = &policy_fields[i];
        if (strcmp(key, f->name) != 0)
            continue;
        double d;
        if (get_number(val, &d) || d < f->lo || d > f->hi || (f->lo_open && d == f->lo)) {
            char msg[128];
            snprintf(msg, sizeof(msg),
                     f->lo_open ? "expected a number above %g and at most %g"
                                : "expected a number from %g to %g",
                     f->lo, f->hi);
            return policy_error(path, NULL, key, msg);
        }
        char *at = (char *)p + f->offset;
        if (f->is_int)
            *(int *)at = (int)d;
        else
            *(double *)at = d;
        return 0;
    }
    if (strcmp(key, "standby_is_work") == 0) {
        if (get_bool(val, &p->metrics.standby_is_work))
            return policy_error(path, NULL, key, "expected true or false");
        return 0;
    }
    if (strcmp(key, "comment") != 0)
        return policy_error(path, NULL, key, "unknown policy key");
    return 0;
}

/* A key written twice in one object: which value counts would be a guess
 * (jansson otherwise keeps the last). jansson names the key only in its
 * text, "duplicate object key near '"KEY"'". */
static int duplicate_key_error(const char *path, const json_error_t *e)
{
    char key[sizeof(e->text)] = "";
    const char *a = strstr(e->text, "near '\""), *b = strrchr(e->text, '"');
    if (a && b && b > a + 7)
        snprintf(key, sizeof(key), "%.*s", (int)(b - (a + 7)), a + 7);
    return waras_error_set(WARAS_EPARSE, path, e->line, key[0] ? key : NULL,
                           "the key appears twice in one object (which value counts would be "
                           "a guess)");
}

int waras_policy_load(waras_policy *p, const char *path)
{
    json_error_t err;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
    int rc = 0;
    if (!root && json_error_code(&err) == json_error_duplicate_key)
        return duplicate_key_error(path, &err);
    if (!root)
        return waras_error_set(WARAS_EPARSE, path, err.line, NULL, "%s", err.text);
    const char *key;
    json_t *val;
    if (!json_is_object(root))
        rc = policy_error(path, NULL, NULL, "a policy is a JSON object");
    else
        json_object_foreach(root, key, val)
        {
            rc = strcmp(key, "signals") == 0 ? load_signals(p, path, val)
                                             : load_field(p, path, key, val);
            if (rc)
                break;
        }
    json_decref(root);
    return rc;
}

char *waras_policy_dump(const waras_policy *p)
{
    json_t *root = json_object(), *sig = json_object();
    for (int i = 0; i < WARAS_SIG_COUNT; i++) {
        const waras_risk_signal *s = &p->signals[i];
        json_object_set_new(sig, s->key,
                            json_pack("{s:f,s:f,s:f,s:b}", "zero_at", s->zero_at, "full_at",
                                      s->full_at, "weight", s->weight, "enabled", s->enabled));
    }
    json_object_set_new(root, "signals", sig);
    for (size_t i = 0; i < NPOLICY_FIELDS; i++) {
        const struct policy_field *f = &policy_fields[i];
        const char *at = (const char *)p + f->offset;
        json_object_set_new(root, f->name,
                            f->is_int ? json_integer(*(const int *)at)
                                      : json_real(*(const double *)at));
    }
    json_object_set_new(root, "standby_is_work", json_boolean(p->metrics.standby_is_work));
    char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    return s;
}
