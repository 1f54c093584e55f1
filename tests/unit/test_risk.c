/*
 * Unit tests for the load risk and its policy: each signal's linear map
 * between its two points (clamped) times its weight, the window of weeks
 * read, the score as the strongest weighted signal plus the accumulation
 * bonus, the cap at 100, the level boundaries, the reasons strongest first
 * with their numbers; and the policy: the defaults, a valid override file,
 * and bad files (malformed JSON, unknown keys, wrong types), whose errors
 * name the file and the key. The own-view wellbeing rule is the survey
 * module's (tests/unit/test_survey.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "waras/error.h"
#include "waras/risk.h"

/* Risk numbers are doubles; cmocka's assert_float_equal compares floats. */
#define assert_near(a, b) near_((a), (b), #a, __FILE__, __LINE__)
static void near_(double a, double b, const char *expr, const char *file, int line)
{
    if (fabs(a - b) > 1e-9) {
        print_error("%s is %.10g, expected %.10g\n", expr, a, b);
        _fail(file, line);
    }
}

/* Four ordinary weeks that raise no signal: 40 h worked, 12 h of focus,
 * nothing after hours, no pages, no on-call, a break just taken. */
static void calm(waras_week_metrics *w, size_t n)
{
    memset(w, 0, n * sizeof(*w));
    for (size_t i = 0; i < n; i++) {
        w[i].worked_hours = 40;
        w[i].focus_hours = 12;
        w[i].min_daily_rest_hours = 24;
        w[i].longest_streak_days = 5;
        w[i].days_since_break = 0;
        w[i].days_on_record = 100;
    }
}

/* The risk of weeks w[0..n) under the default policy. */
static waras_risk risk_of(const waras_week_metrics *w, size_t n)
{
    waras_policy p;
    waras_policy_default(&p);
    waras_risk k;
    waras_risk_compute(&k, &p, w, n);
    return k;
}

static void test_risk__calm_weeks_are_low(void **state)
{
    waras_week_metrics w[4];
    calm(w, 4);
    waras_risk k;
    k = risk_of(w, 4);
    assert_near(k.score, 0);
    assert_string_equal(k.level, "low");
    assert_int_equal(k.nreasons, 0);
    assert_int_equal(k.accumulated, 0);
}

/* One signal at a time, between its points: value, 0-100 level, points. */
static void test_risk__each_signal_linear_and_weighted(void **state)
{
    static const struct {
        int signal;
        double value, level, points;
    } cases[] = {
        {WARAS_SIG_LONG_WEEKS, 2, 200.0 / 3, 200.0 / 3},       /* 0-3, 1.0 */
        {WARAS_SIG_SLEEP_INTERRUPTIONS, 1.5, 50, 50},         /* 0-3, 1.0 */
        {WARAS_SIG_SHORT_REST, 2, 25, 25},                    /* 0-8, 1.0 */
        {WARAS_SIG_AFTER_HOURS, 15, 50, 37.5},                /* 0-30 %, 0.75 */
        {WARAS_SIG_STREAK, 9, 300.0 / 7, 225.0 / 7},          /* 6-13, 0.75 */
        {WARAS_SIG_ONCALL, 37.5, 50, 37.5},                   /* 25-50 %, 0.75 */
        {WARAS_SIG_SINCE_BREAK, 90, 50, 22.5},                /* 60-120, 0.45 */
        {WARAS_SIG_FOCUS, 5, 50, 25},                         /* 10-0, 0.5 */
    };
    waras_policy p;
    waras_policy_default(&p);
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        waras_week_metrics w[4];
        calm(w, 4);
        switch (cases[c].signal) {
        case WARAS_SIG_LONG_WEEKS:
            w[1].worked_hours = 55; /* the threshold counts */
            w[2].worked_hours = 54.9;
            w[3].worked_hours = 60;
            w[1].focus_hours = w[3].focus_hours = w[2].focus_hours = 12;
            break;
        case WARAS_SIG_SLEEP_INTERRUPTIONS:
            w[0].interruptions[WARAS_WINDOW_SLEEP] = 4;
            w[2].interruptions[WARAS_WINDOW_SLEEP] = 2;
            w[1].interruptions[WARAS_WINDOW_OFF] = 9; /* not sleep hours */
            break;
        case WARAS_SIG_SHORT_REST:
            w[1].short_rest_days = 1;
            w[2].short_rest_days = 1;
            break;
        case WARAS_SIG_AFTER_HOURS:
            w[0].after_hours = 10; /* 24 of 160 h */
            w[3].after_hours = 14;
            break;
        case WARAS_SIG_STREAK:
            w[2].longest_streak_days = 9; /* the longest in the window */
            w[3].longest_streak_days = 7;
            break;
        case WARAS_SIG_ONCALL:
            for (int i = 0; i < 4; i++)
                w[i].oncall_hours = 63; /* 252 of 672 h */
            break;
        case WARAS_SIG_SINCE_BREAK:
            w[2].days_since_break = 200; /* only the last week's count matters */
            w[3].days_since_break = 90;
            break;
        case WARAS_SIG_FOCUS:
            w[0].focus_hours = 4, w[1].focus_hours = 6, w[2].focus_hours = 5;
            w[3].focus_hours = 5;
            break;
        }
        waras_risk k;
        waras_risk_compute(&k, &p, w, 4);
        print_message("signal %s\n", p.signals[cases[c].signal].key);
        assert_int_equal(k.nreasons, 1);
        assert_int_equal(k.reasons[0].signal, cases[c].signal);
        assert_near(k.reasons[0].value, cases[c].value);
        assert_near(k.reasons[0].level, cases[c].level);
        assert_near(k.reasons[0].points, cases[c].points);
        assert_near(k.score, round(cases[c].points * 10) / 10);
        assert_int_equal(k.accumulated, 0);
    }
}

static void test_risk__values_clamped(void **state)
{
    waras_week_metrics w[4];
    waras_risk k;
    /* Beyond 100 at: a 20-day streak is 100, times 0.75. */
    calm(w, 4);
    w[3].longest_streak_days = 20;
    k = risk_of(w, 4);
    assert_int_equal(k.nreasons, 1);
    assert_near(k.reasons[0].level, 100);
    assert_near(k.score, 75);
    /* Before 0 at: a 6-day streak and 25 % on call raise nothing. */
    calm(w, 4);
    w[3].longest_streak_days = 6;
    for (int i = 0; i < 4; i++)
        w[i].oncall_hours = 42;
    k = risk_of(w, 4);
    assert_int_equal(k.nreasons, 0);
    /* No focus at all in worked weeks: 100 at 0 h, times 0.5. */
    calm(w, 4);
    for (int i = 0; i < 4; i++)
        w[i].focus_hours = 0;
    k = risk_of(w, 4);
    assert_int_equal(k.reasons[0].signal, WARAS_SIG_FOCUS);
    assert_near(k.score, 50);
    /* Weeks with no work say nothing about focus. */
    calm(w, 4);
    for (int i = 0; i < 4; i++)
        w[i].worked_hours = w[i].focus_hours = 0;
    k = risk_of(w, 4);
    assert_int_equal(k.nreasons, 0);
    /* No break on record: the days on record are a lower bound (90 -> 50). */
    calm(w, 4);
    w[3].days_since_break = -1;
    w[3].days_on_record = 90;
    k = risk_of(w, 4);
    assert_int_equal(k.reasons[0].signal, WARAS_SIG_SINCE_BREAK);
    assert_near(k.reasons[0].value, 90);
    assert_near(k.score, 22.5);
    assert_string_equal(k.reasons[0].text,
                        "no break of a working week or more in the 90 days on record");
}

/* Days since the last break, alone, reach moderate at most (weight 0.45:
 * 45 points at 120 days or more), but still count towards the bonus. */
static void test_risk__break_alone_is_moderate(void **state)
{
    waras_week_metrics w[4];
    calm(w, 4);
    w[3].days_since_break = 400;
    waras_risk k = risk_of(w, 4);
    assert_near(k.score, 45);
    assert_string_equal(k.level, "moderate");
    /* With two more signals at 50 or more, the bonus applies: 50 + 15. */
    w[0].worked_hours = w[1].worked_hours = 60; /* 2 long weeks: 66.7 */
    w[2].short_rest_days = 4;                   /* 4 of 8: 50 */
    k = risk_of(w, 4);
    assert_int_equal(k.accumulated, 1);
    assert_near(k.score, round((200.0 / 3 + 15) * 10) / 10);
}

/* The after-hours share of a thin record is taken over at least 40 h a
 * worked week: 12 late hours of 30 recorded are 7.5 % (of 160), not 40 %. */
static void test_risk__after_hours_thin_record(void **state)
{
    waras_week_metrics w[4];
    calm(w, 4);
    for (int i = 0; i < 4; i++) {
        w[i].worked_hours = 7.5;
        w[i].after_hours = 3;
    }
    waras_risk k = risk_of(w, 4);
    assert_int_equal(k.reasons[0].signal, WARAS_SIG_AFTER_HOURS);
    assert_near(k.reasons[0].value, 7.5);
    assert_string_equal(k.level, "low");
    assert_string_equal(k.reasons[0].text,
                        "8 % outside working hours (12.0 h, of at least 40 h a worked week)");
    /* Only weeks with work count towards the base: one week of 10 h with
     * 8 h late is 20 % (of 40). */
    calm(w, 4);
    for (int i = 0; i < 3; i++)
        w[i].worked_hours = w[i].focus_hours = 0;
    w[3].worked_hours = 10;
    w[3].after_hours = 8;
    k = risk_of(w, 4);
    assert_near(k.reasons[0].value, 20);
    /* At 40 h a week or more, the share is of what was worked: 30 of 160 h. */
    calm(w, 4);
    w[0].after_hours = 30;
    k = risk_of(w, 4);
    assert_near(k.reasons[0].value, 18.75);
    assert_string_equal(k.reasons[0].text,
                        "19 % of worked hours outside working hours (30.0 of 160.0 h)");
}

/* The trend: the score four weeks earlier, rising at 15 points or more. */
static void test_risk__trend(void **state)
{
    waras_week_metrics w[8];
    calm(w, 8);
    waras_risk k = risk_of(w, 4);
    assert_int_equal(k.has_before, 0); /* not far enough back */
    assert_null(waras_risk_trend(&k));
    w[6].worked_hours = w[7].worked_hours = 60; /* two long weeks lately */
    k = risk_of(w, 8);
    assert_int_equal(k.has_before, 1);
    assert_near(k.score_before, 0);
    assert_int_equal(k.rising, 1);
    assert_string_equal(waras_risk_trend(&k), "rising");
    /* 14.9 points up is steady; as much down is falling. */
    calm(w, 8);
    w[7].short_rest_days = 1; /* 12.5 */
    k = risk_of(w, 8);
    assert_int_equal(k.rising, 0);
    assert_string_equal(waras_risk_trend(&k), "steady");
    calm(w, 8);
    w[2].worked_hours = w[3].worked_hours = 60;
    k = risk_of(w, 8);
    assert_near(k.score_before, round(200.0 / 3 * 10) / 10);
    assert_string_equal(waras_risk_trend(&k), "falling");
    /* Nothing on record four weeks back: no trend. */
    calm(w, 8);
    w[3].days_on_record = 0;
    k = risk_of(w, 8);
    assert_int_equal(k.has_before, 0);
}

static void test_risk__window_weeks(void **state)
{
    waras_policy p;
    waras_policy_default(&p);
    waras_week_metrics w[6];
    calm(w, 6);
    w[0].worked_hours = w[1].worked_hours = 70; /* before the last four */
    w[4].worked_hours = 56;
    waras_risk k;
    waras_risk_compute(&k, &p, w, 6);
    assert_near(k.reasons[0].value, 1);
    assert_near(k.score, 33.3);
    p.window_weeks = 6;
    waras_risk_compute(&k, &p, w, 6);
    assert_near(k.reasons[0].value, 3);
    assert_near(k.score, 100);
}

static void test_risk__strongest_plus_accumulation(void **state)
{
    waras_week_metrics w[4];
    waras_risk k;
    /* Sleep 1.5/week (50), 4 short-rest days (50), 15 % after hours
     * (50, 37.5 points): three at 50, so 50 + 15. */
    calm(w, 4);
    w[0].interruptions[WARAS_WINDOW_SLEEP] = 6;
    w[1].short_rest_days = 4;
    w[2].after_hours = 24;
    k = risk_of(w, 4);
    assert_int_equal(k.nreasons, 3);
    assert_int_equal(k.accumulated, 1);
    assert_near(k.score, 65);
    assert_string_equal(k.level, "high");
    /* After hours just under 50 on its scale: two high signals, no bonus. */
    w[2].after_hours = 23.9; /* 14.94 % -> 49.8 */
    k = risk_of(w, 4);
    assert_int_equal(k.accumulated, 0);
    assert_near(k.score, 50);
    /* "At least 50" is on each signal's own scale, before its weight:
     * three signals at level 50 with weights 0.75 and 0.5. */
    calm(w, 4);
    w[3].longest_streak_days = 9; /* (9 - 6) / 7 = 42.9: not yet */
    w[3].days_since_break = 90;  /* 50, 25 points */
    for (int i = 0; i < 4; i++)
        w[i].focus_hours = 5;     /* 50, 25 points */
    k = risk_of(w, 4);
    assert_int_equal(k.accumulated, 0);
    assert_near(k.score, 32.1);
    w[3].longest_streak_days = 10; /* 57.1, 42.86 points */
    k = risk_of(w, 4);
    assert_int_equal(k.accumulated, 1);
    assert_near(k.score, 57.9); /* 42.857 + 15 */
}

static void test_risk__capped_at_100(void **state)
{
    waras_week_metrics w[4];
    calm(w, 4);
    for (int i = 1; i < 4; i++)
        w[i].worked_hours = 60;
    w[0].interruptions[WARAS_WINDOW_SLEEP] = 12;
    w[0].short_rest_days = 8;
    waras_risk k;
    k = risk_of(w, 4);
    assert_int_equal(k.accumulated, 1);
    assert_near(k.score, 100);
    assert_string_equal(k.level, "critical");
}

static void test_risk__level_boundaries(void **state)
{
    static const struct {
        double score;
        const char *level;
    } cases[] = {
        {0, "low"},       {24, "low"},       {24.9, "low"},      {25, "moderate"},
        {49, "moderate"}, {49.9, "moderate"}, {50, "high"},      {74, "high"},
        {74.9, "high"},   {75, "critical"},  {100, "critical"},
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++)
        assert_string_equal(waras_risk_level(cases[c].score), cases[c].level);
    /* The same boundaries through a computed score: short-rest days mapped
     * 0-100 one to one, so n days score n. */
    waras_policy p;
    waras_policy_default(&p);
    p.signals[WARAS_SIG_SHORT_REST].full_at = 100;
    static const int days[] = {24, 25, 49, 50, 74, 75};
    static const char *const want[] = {"low", "moderate", "moderate", "high", "high", "critical"};
    for (int c = 0; c < 6; c++) {
        waras_week_metrics w[4];
        calm(w, 4);
        w[0].short_rest_days = days[c];
        waras_risk k;
        waras_risk_compute(&k, &p, w, 4);
        assert_near(k.score, days[c]);
        assert_string_equal(k.level, want[c]);
    }
}

static void test_risk__reasons_strongest_first(void **state)
{
    waras_week_metrics w[4];
    calm(w, 4);
    w[1].worked_hours = 55;
    w[3].worked_hours = 60;                     /* 2 long weeks: 66.7 */
    w[0].interruptions[WARAS_WINDOW_SLEEP] = 6; /* 1.5 a week: 50 */
    w[2].short_rest_days = 4;                   /* 50, ties with sleep */
    w[2].min_daily_rest_hours = 9.5;
    w[1].after_hours = 19.5;                    /* 19.5 of 195 h = 10 %: 25 */
    w[3].longest_streak_days = 9;               /* 32.1 */
    waras_risk k;
    k = risk_of(w, 4);
    assert_int_equal(k.nreasons, 5);
    static const int order[] = {WARAS_SIG_LONG_WEEKS, WARAS_SIG_SLEEP_INTERRUPTIONS,
                                WARAS_SIG_SHORT_REST, WARAS_SIG_STREAK, WARAS_SIG_AFTER_HOURS};
    for (int i = 0; i < 5; i++)
        assert_int_equal(k.reasons[i].signal, order[i]);
    assert_string_equal(k.reasons[0].text, "2 of the last 4 weeks >= 55 h (55, 60 h)");
    assert_string_equal(k.reasons[1].text,
                        "1.5 sleep-hour interruptions a week (6 in 4 weeks, 22:00-08:00)");
    assert_string_equal(k.reasons[2].text,
                        "4 days with less than 11 h rest in 4 weeks (shortest 9.5 h)");
    assert_string_equal(k.reasons[3].text, "worked 9 days in a row");
    assert_string_equal(k.reasons[4].text,
                        "10 % of worked hours outside working hours (19.5 of 195.0 h)");
    /* Three at 50 or more (66.7, 50, 50): the bonus on the strongest. */
    assert_int_equal(k.accumulated, 1);
    assert_near(k.score, 81.7);
    assert_string_equal(k.level, "critical");
}

/* --- the policy --- */

static void test_risk__policy_defaults(void **state)
{
    static const struct {
        const char *key;
        double zero_at, full_at, weight;
    } table[WARAS_SIG_COUNT] = {
        {"long_weeks", 0, 3, 1.0},         {"sleep_interruptions", 0, 3, 1.0},
        {"short_rest_days", 0, 8, 1.0},    {"after_hours_share", 0, 30, 0.75},
        {"longest_streak", 6, 13, 0.75},   {"oncall_share", 25, 50, 0.75},
        {"days_since_break", 60, 120, 0.45}, {"focus_hours", 10, 0, 0.5},
    };
    waras_policy p;
    waras_policy_default(&p);
    for (int i = 0; i < WARAS_SIG_COUNT; i++) {
        assert_string_equal(p.signals[i].key, table[i].key);
        assert_near(p.signals[i].zero_at, table[i].zero_at);
        assert_near(p.signals[i].full_at, table[i].full_at);
        assert_near(p.signals[i].weight, table[i].weight);
        assert_true(p.signals[i].enabled);
    }
    assert_int_equal(p.window_weeks, 4);
    assert_near(p.long_week_hours, 55);
    assert_near(p.short_rest_hours, 11);
    assert_int_equal(p.accumulate_count, 3);
    assert_near(p.accumulate_at, 50);
    assert_near(p.accumulate_bonus, 15);
    assert_int_equal(p.min_group, 5);
    assert_near(p.after_hours_min_hours, 40);
    assert_near(p.metrics.active_day_min_hours, 2);
}

typedef struct files {
    char dir[64];
    char path[128]; /* dir/policy.json */
} files;

static int files_setup(void **state)
{
    if (th_dir_setup(state, sizeof(files), "risk"))
        return -1;
    files *f = *state;
    th_path(f->path, sizeof(f->path), f->dir, "policy.json");
    return 0;
}

static void write_policy(const files *f, const char *text)
{
    char path[128];
    assert_int_equal(th_write(path, sizeof(path), f->dir, "policy.json", text), 0);
}

static void test_risk__policy_override(void **state)
{
    files *f = *state;
    waras_policy def, p;
    waras_policy_default(&def);
    /* An empty policy keeps every default. */
    write_policy(f, "{}\n");
    p = def;
    assert_int_equal(waras_policy_load(&p, f->path), 0);
    char *a = waras_policy_dump(&p), *b = waras_policy_dump(&def);
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(a, b);
    free(a);
    free(b);

    write_policy(f, "{\n"
                    "  \"comment\": \"a smaller team, shorter window\",\n"
                    "  \"signals\": {\n"
                    "    \"long_weeks\": {\"full_at\": 2, \"weight\": 0.5},\n"
                    "    \"focus_hours\": {\"enabled\": false}\n"
                    "  },\n"
                    "  \"window_weeks\": 2,\n"
                    "  \"min_group\": 3,\n"
                    "  \"accumulate_bonus\": 10,\n"
                    "  \"active_day_min_hours\": 0.5,\n"
                    "  \"after_hours_min_hours\": 0,\n"
                    "  \"standby_is_work\": true\n"
                    "}\n");
    p = def;
    assert_int_equal(waras_policy_load(&p, f->path), 0);
    assert_near(p.signals[WARAS_SIG_LONG_WEEKS].zero_at, 0);
    assert_near(p.signals[WARAS_SIG_LONG_WEEKS].full_at, 2);
    assert_near(p.signals[WARAS_SIG_LONG_WEEKS].weight, 0.5);
    assert_false(p.signals[WARAS_SIG_FOCUS].enabled);
    assert_near(p.signals[WARAS_SIG_SLEEP_INTERRUPTIONS].full_at, 3);
    assert_int_equal(p.window_weeks, 2);
    assert_int_equal(p.min_group, 3);
    assert_near(p.accumulate_bonus, 10);
    assert_true(p.metrics.standby_is_work);
    assert_near(p.metrics.active_day_min_hours, 0.5);
    assert_near(p.after_hours_min_hours, 0);
    assert_near(p.long_week_hours, 55);

    /* And the risk follows it: two long weeks in a two-week window reach
     * the new 100 at, weighted 0.5; no focus is no longer a reason. */
    waras_week_metrics w[4];
    calm(w, 4);
    w[2].worked_hours = w[3].worked_hours = 60;
    for (int i = 0; i < 4; i++)
        w[i].focus_hours = 0;
    waras_risk k;
    waras_risk_compute(&k, &p, w, 4);
    assert_int_equal(k.nreasons, 1);
    assert_near(k.reasons[0].level, 100);
    assert_near(k.score, 50);
    assert_string_equal(k.reasons[0].text, "2 of the last 2 weeks >= 55 h (60, 60 h)");
}

/* Loads text as a policy and expects WARAS_EPARSE naming the file and key. */
static void expect_error(const files *f, const char *text, const char *field, const char *words)
{
    waras_policy p;
    waras_policy_default(&p);
    write_policy(f, text);
    waras_error_clear();
    int rc = waras_policy_load(&p, f->path);
    const waras_error *e = waras_error_last();
    if (rc != WARAS_EPARSE || strcmp(e->file, f->path) || strcmp(e->field, field) ||
        (words && !strstr(e->message, words))) {
        print_error("policy %s: rc %d, file '%s', field '%s', message '%s'; expected field "
                    "'%s' and words '%s'\n", text, rc, e->file, e->field, e->message, field,
                    words ? words : "");
        fail();
    }
}

static void test_risk__policy_malformed(void **state)
{
    files *f = *state;
    waras_policy p;
    waras_policy_default(&p);
    write_policy(f, "{\n  \"window_weeks\": 4,\n  \"min_group\" 3\n}\n");
    waras_error_clear();
    assert_int_equal(waras_policy_load(&p, f->path), WARAS_EPARSE);
    assert_string_equal(waras_error_last()->file, f->path);
    assert_int_equal(waras_error_last()->line, 3);
    expect_error(f, "[1, 2]\n", "", "JSON object");
    /* A file that is not there is an error too, not the defaults. */
    unlink(f->path);
    assert_int_not_equal(waras_policy_load(&p, f->path), 0);
}

static void test_risk__policy_unknown_field(void **state)
{
    files *f = *state;
    expect_error(f, "{\"window_week\": 4}\n", "window_week", "unknown");
    expect_error(f, "{\"signals\": {\"long_week\": {\"weight\": 1}}}\n", "signals.long_week",
                 "unknown signal");
    expect_error(f, "{\"signals\": {\"long_weeks\": {\"full\": 3}}}\n", "signals.long_weeks.full",
                 NULL);
}

/* A key written twice is refused, naming it, rather than the last value
 * silently winning. */
static void test_risk__policy_duplicate_key(void **state)
{
    files *f = *state;
    expect_error(f, "{\n  \"window_weeks\": 4,\n  \"window_weeks\": 12\n}\n", "window_weeks",
                 "appears twice");
    assert_int_equal(waras_error_last()->line, 3);
    expect_error(f, "{\"signals\": {\"long_weeks\": {\"weight\": 1, \"weight\": 0}}}\n",
                 "weight", "appears twice");
}

static void test_risk__policy_wrong_type(void **state)
{
    files *f = *state;
    expect_error(f, "{\"window_weeks\": \"4\"}\n", "window_weeks", "number");
    expect_error(f, "{\"min_group\": 1}\n", "min_group", "from 2 to 1000");
    expect_error(f, "{\"signals\": []}\n", "signals", "object");
    expect_error(f, "{\"signals\": {\"long_weeks\": 3}}\n", "signals.long_weeks", "object");
    expect_error(f, "{\"signals\": {\"oncall_share\": {\"weight\": \"high\"}}}\n",
                 "signals.oncall_share.weight", NULL);
    expect_error(f, "{\"signals\": {\"oncall_share\": {\"weight\": -1}}}\n",
                 "signals.oncall_share.weight", NULL);
    expect_error(f, "{\"signals\": {\"oncall_share\": {\"enabled\": 1}}}\n",
                 "signals.oncall_share.enabled", "true or false");
    expect_error(f, "{\"standby_is_work\": \"yes\"}\n", "standby_is_work", "true or false");
}

/* The on-call planner's weight of a night page: 24 by default, set by the
 * file, and above 0 (0 would mean "the default" to the planner) to 168. */
static void test_risk__policy_night_page_hours(void **state)
{
    files *f = *state;
    waras_policy p;
    waras_policy_default(&p);
    assert_near(p.night_page_hours, 24);
    write_policy(f, "{\"night_page_hours\": 1.5}\n");
    assert_int_equal(waras_policy_load(&p, f->path), 0);
    assert_near(p.night_page_hours, 1.5);
    char *dump = waras_policy_dump(&p);
    assert_non_null(strstr(dump, "\"night_page_hours\": 1.5"));
    free(dump);
    expect_error(f, "{\"night_page_hours\": 0}\n", "night_page_hours", "above 0 and at most 168");
    expect_error(f, "{\"night_page_hours\": 168.5}\n", "night_page_hours", "at most 168");
    expect_error(f, "{\"night_page_hours\": \"24\"}\n", "night_page_hours", "number");
    write_policy(f, "{\"night_page_hours\": 168}\n");
    assert_int_equal(waras_policy_load(&p, f->path), 0);
}

int main(void)
{
#define FILES(name) cmocka_unit_test_setup_teardown(name, files_setup, th_dir_teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_risk__calm_weeks_are_low),
        cmocka_unit_test(test_risk__each_signal_linear_and_weighted),
        cmocka_unit_test(test_risk__values_clamped),
        cmocka_unit_test(test_risk__break_alone_is_moderate),
        cmocka_unit_test(test_risk__after_hours_thin_record),
        cmocka_unit_test(test_risk__trend),
        cmocka_unit_test(test_risk__window_weeks),
        cmocka_unit_test(test_risk__strongest_plus_accumulation),
        cmocka_unit_test(test_risk__capped_at_100),
        cmocka_unit_test(test_risk__level_boundaries),
        cmocka_unit_test(test_risk__reasons_strongest_first),
        cmocka_unit_test(test_risk__policy_defaults),
        FILES(test_risk__policy_override),
        FILES(test_risk__policy_malformed),
        FILES(test_risk__policy_unknown_field),
        FILES(test_risk__policy_duplicate_key),
        FILES(test_risk__policy_wrong_type),
        FILES(test_risk__policy_night_page_hours),
    };
#undef FILES
    return cmocka_run_group_tests(tests, NULL, NULL);
}
