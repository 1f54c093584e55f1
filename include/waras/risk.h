/*
 * Burnout risk from work data: explainable, not a diagnosis. Each signal is
 * measured over the trailing weeks (default 4), mapped linearly to 0-100
 * between two points, and weighted. The score is the strongest weighted
 * signal, plus a bonus when several signals are high at once (strain
 * accumulates), capped at 100. Every level carries its reasons in plain
 * words with the numbers behind them, strongest first. All points, weights
 * and thresholds live in a policy that an organisation can override.
 */
#ifndef WARAS_RISK_H
#define WARAS_RISK_H

#include <stddef.h>

#include "waras/metrics.h"

enum {
    WARAS_SIG_LONG_WEEKS,          /* weeks >= long_week_hours in the window */
    WARAS_SIG_SLEEP_INTERRUPTIONS, /* sleep-hour interruptions per week */
    WARAS_SIG_SHORT_REST,          /* days with daily rest < short_rest_hours */
    WARAS_SIG_AFTER_HOURS,         /* after-hours share, percent */
    WARAS_SIG_STREAK,              /* longest streak, days */
    WARAS_SIG_ONCALL,              /* on-call share of time, percent */
    WARAS_SIG_SINCE_BREAK,         /* days since the last break */
    WARAS_SIG_FOCUS,               /* focus hours per week (fewer is worse) */
    WARAS_SIG_COUNT
};

typedef struct waras_risk_signal {
    const char *key; /* policy key, e.g. "long_weeks" */
    double zero_at, full_at, weight;
    int enabled;
} waras_risk_signal;

typedef struct waras_policy {
    waras_risk_signal signals[WARAS_SIG_COUNT];
    int window_weeks;          /* 4 */
    double long_week_hours;    /* 55 (WHO/ILO 2021) */
    double short_rest_hours;   /* 11 (EU WTD art. 3) */
    int accumulate_count;      /* 3 signals ... */
    double accumulate_at;      /* ... each at least 50 ... */
    double accumulate_bonus;   /* ... add 15 */
    int min_group;             /* 5: smallest group whose wellbeing is shown */
    double after_hours_min_hours; /* 40: the after-hours share's least base, per week */
    double night_page_hours;   /* 24: standby hours one recent sleep-hour interruption
                                  weighs in the on-call planner's fairness (0 < h <= 168) */
    waras_metrics_config metrics;
} waras_policy;

/* The defaults of docs/definitions.md. */
void waras_policy_default(waras_policy *p);

/* Reads overrides from a JSON policy file (docs/policy.md) on top of what
 * *p holds. WARAS_EPARSE names the file and the key (signals.<signal>.<field>
 * for a signal's), or the line of a JSON syntax error. */
int waras_policy_load(waras_policy *p, const char *path);

/* Writes the policy as JSON (the defaults, written out). Caller frees. */
char *waras_policy_dump(const waras_policy *p);

typedef struct waras_risk_reason {
    int signal;
    double value;  /* the measured value, in the signal's unit */
    double level;  /* mapped 0-100, before the weight */
    double points; /* after the weight */
    char text[200];
} waras_risk_reason;

/* The trend compares the score with the one this many weeks earlier, and
 * calls it rising at this many points up or more. */
#define WARAS_RISK_TREND_WEEKS 4
#define WARAS_RISK_RISING 15

typedef struct waras_risk {
    double score; /* 0-100 */
    const char *level; /* low | moderate | high | critical */
    int accumulated; /* 1 when the bonus applied */
    int has_before;      /* 1 when score_before is known */
    double score_before; /* the score WARAS_RISK_TREND_WEEKS weeks earlier */
    int rising;          /* score - score_before >= WARAS_RISK_RISING */
    int nreasons;
    waras_risk_reason reasons[WARAS_SIG_COUNT];
} waras_risk;

/* Risk at the end of weeks[n - 1], from the last window_weeks of weeks[0..n);
 * and its trend, the risk at the end of weeks[n - 1 - WARAS_RISK_TREND_WEEKS]
 * when n is larger than WARAS_RISK_TREND_WEEKS and that week has days on
 * record (pass window_weeks + WARAS_RISK_TREND_WEEKS weeks for a full one). */
void waras_risk_compute(waras_risk *out, const waras_policy *p, const waras_week_metrics *weeks,
                        size_t n);

/* "rising" (up WARAS_RISK_RISING points or more over WARAS_RISK_TREND_WEEKS
 * weeks), "falling" (down as much), "steady", or NULL when the earlier score
 * is not known. */
const char *waras_risk_trend(const waras_risk *k);

/* "low" ... "critical" for a score. */
const char *waras_risk_level(double score);

#endif
