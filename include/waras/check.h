/*
 * Policy checks: lint what actually happened (or a plan) against a preset
 * of rules, each violation naming the person, the dates, the rule and the
 * rule's source. Presets (docs/definitions.md):
 *   who-55   any week of 55 hours or more
 *   eu-wtd   48 h average over 17 weeks; 11 h daily rest; 24 h + 11 h weekly
 *            rest; night workers 8 h per 24 h on average; 4 weeks of leave
 *   id-pp35  Indonesia PP 35/2021: overtime (beyond 8 h x 5 or 7 h x 6 days,
 *            or 40 h a week, on the person's working days; work on rest days
 *            is outside these limits) at most 4 h a day and 18 h a week;
 *            2 (or 1) rest days a week; 12 working days of leave a year
 * Every preset also applies the quiet-week rule (waras_quiet_check).
 *   sre      on call at most 25 % of a quarter; at most 2 incidents per 12 h
 *            shift; rotations of at least 8 people (or 6 per site on two)
 */
#ifndef WARAS_CHECK_H
#define WARAS_CHECK_H

#include <stddef.h>

#include "waras/store.h"
#include "waras/time.h"

typedef struct waras_violation {
    char person[WARAS_PERSON_ID_MAX]; /* "" for team-level rules */
    char team[64];
    char rule[48];    /* e.g. "daily-rest" */
    char when[48];    /* a date, an ISO week or a range */
    char detail[256]; /* the numbers, in words */
    const char *source; /* the legal or published source of the rule */
} waras_violation;

typedef struct waras_check_result {
    const char *preset;
    waras_violation *v;
    size_t n, cap;
    int people;       /* people checked */
    char notes[1024]; /* rules that could not be checked, and why */
} waras_check_result;

/* Known preset names, NULL-terminated. */
extern const char *const waras_check_presets[];

/* Checks the weeks [first_monday, last_monday] (both Mondays) for everyone
 * (or one team). WARAS_EINVAL for an unknown preset. Free the result with
 * waras_check_result_free(). */
int waras_check_run(waras_check_result *out, waras_store *st, const char *preset, const char *team,
                    waras_date first_monday, waras_date last_monday);

void waras_check_result_free(waras_check_result *r);

/* Appends a violation (person "" for a team-level rule; source is a static
 * string that the result keeps a pointer to). WARAS_ENOMEM. */
int waras_check_add(waras_check_result *r, const char *person, const char *team, const char *rule,
                    const char *source, const char *when, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* Lints a rota before it happens: a waras plan (.json or .ics) or a
 * PagerDuty schedule JSON. Checks the on-call share (25 % for sre, a third
 * for eu-wtd and id-pp35), back-to-back turns, two turns at once, and (sre)
 * the rotation's size. People are matched by id, e-mail, PagerDuty id or
 * name; turns that name nobody known are counted in notes. */
int waras_check_plan_file(waras_check_result *out, waras_store *st, const char *path,
                          const char *preset);

/* The quiet-week rule (docs/quiet.md): appends a "quiet-week" violation to
 * out for every milestone of a team member (team NULL: everyone) inside a
 * recorded quiet week whose Monday is in [first_monday, last_monday]. Part
 * of every preset in waras_check_run(). */
int waras_quiet_check(waras_check_result *out, waras_store *st, const char *team,
                      waras_date first_monday, waras_date last_monday);

#endif
