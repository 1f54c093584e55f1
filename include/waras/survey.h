/*
 * The survey: the Copenhagen Burnout Inventory (Kristensen, Borritz,
 * Villadsen & Christensen 2005, Work & Stress 19(3):192-207; free to use).
 * 19 items in three scales (personal q1-q6, work-related q7-q13,
 * client-related q14-q19), answers scored 100/75/50/25/0, q13 (energy for
 * family and friends) reverse-scored, a scale the mean of its answered items
 * when at least half are answered. A scale of 50 or more is "high burnout"
 * in the original studies. The scoring and the stored responses read back
 * live here (docs/survey.md); the CSV adapter is waras_ingest_survey() in
 * waras/ingest.h. Wellbeing data: private to the person; groups see it only
 * through the protected aggregates of waras/access.h.
 */
#ifndef WARAS_SURVEY_H
#define WARAS_SURVEY_H

#include <stdint.h>

#include "waras/store.h"
#include "waras/time.h"

#define WARAS_CBI_ITEMS 19

/* A scale score at or above this is "high burnout". */
#define WARAS_CBI_HIGH 50.0

enum { WARAS_CBI_PERSONAL, WARAS_CBI_WORK, WARAS_CBI_CLIENT, WARAS_CBI_SCALES };

typedef struct waras_cbi_scores {
    double scale[WARAS_CBI_SCALES]; /* 0-100, or -1 when missing (fewer than half answered) */
} waras_cbi_scores;

/* Scores a response. answers[i] is item q(i+1) as given (0, 25, 50, 75 or
 * 100; -1 when not answered); q13 is reversed here. WARAS_EINVAL naming the
 * item when an answer is anything else; *out is then untouched. */
int waras_cbi_score(waras_cbi_scores *out, const int answers[WARAS_CBI_ITEMS]);

/* Whether a scale score is "high burnout" (>= WARAS_CBI_HIGH); a missing
 * score (< 0) is not. */
int waras_cbi_is_high(double score);

/* Reads one answer: a number 0/25/50/75/100 or the answer text of the
 * item's scale ("Always", "Often", "Sometimes", "Seldom", "Never/almost
 * never"; "To a very high degree" ... "To a very low degree"); "" is
 * unanswered (-1). WARAS_EINVAL (no error slot set) when it is neither. */
int waras_cbi_parse_answer(int *out, const char *text);

/* The item's wording (1-based), for docs and messages; "" out of range. */
const char *waras_cbi_item(int item);

/* "low" | "moderate" | "high" | "critical" from the higher of the personal
 * and work scores: < 25, < 50, < 75, >= 75; NULL when both are missing. */
const char *waras_cbi_level(const waras_cbi_scores *s);

/* The person's own view: a work or personal score that is high
 * (waras_cbi_is_high) raises an overall level ("low" ... "critical") to at
 * least "high"; otherwise the level is returned as it is. */
const char *waras_cbi_raise_level(const char *level, const waras_cbi_scores *s);

/* --- stored responses --- */
typedef struct waras_survey_row {
    const char *team, *person; /* person NULL when anonymous */
    waras_date taken_on;
    waras_cbi_scores scores;
} waras_survey_row;

typedef int (*waras_survey_cb)(void *ctx, const waras_survey_row *row);

/* Calls cb for the responses taken on dates [from_day, to_day], any team
 * when team is NULL, ordered by date. Strings in the row
 * are valid during the call only. A non-zero return from cb stops the walk
 * and is returned. These are one person's scores: only that person's own
 * view may show them; every other view reads waras/access.h. */
int waras_survey_each(waras_store *st, const char *team, waras_date from_day, waras_date to_day,
                      waras_survey_cb cb, void *ctx);

/* --- survey rounds (docs/survey.md "The survey in the service") ---
 * A round is open for some teams from its first to its last day (both
 * included, UTC dates by waras_clock_now()). Each person answers once per
 * round and may change the answers while it is open; the response is stored
 * like an ingested one, dated the round's last day, so it counts in the
 * protected aggregates of waras/access.h in the calendar quarter of that
 * day, and only once the round has closed: until then no group view reads
 * it. Who may open, answer or read is the caller's question for
 * waras_access_decide(). */
#define WARAS_SURVEY_MAX_TEAMS 16

typedef struct waras_survey_round {
    int64_t id;
    char teams[WARAS_SURVEY_MAX_TEAMS][64];
    int nteams;
    waras_date opens, closes; /* the first and last day it is open */
    char opened_by[64];       /* the login that opened it */
} waras_survey_round;

enum { WARAS_ROUND_UPCOMING, WARAS_ROUND_OPEN, WARAS_ROUND_CLOSED };

/* Opens a round for teams (1 to WARAS_SURVEY_MAX_TEAMS names, 1 to 63 bytes
 * each, no comma, no repeats) over days [opens, closes]; closes must not be
 * before opens nor before today, and the round spans at most 366 days.
 * WARAS_EINVAL (field "teams", "opens" or "closes"); a store error. *id may
 * be NULL. */
int waras_survey_round_open(int64_t *id, waras_store *st, const char *const *teams, int nteams,
                            waras_date opens, waras_date closes, const char *opened_by);

/* WARAS_ENOTFOUND for an unknown id. */
int waras_survey_round_get(waras_survey_round *out, waras_store *st, int64_t id);

/* Every round, newest first. *out is freed by the caller. */
int waras_survey_round_list(waras_survey_round **out, size_t *n, waras_store *st);

/* WARAS_ROUND_UPCOMING, _OPEN or _CLOSED on the day today. */
int waras_survey_round_state(const waras_survey_round *r, waras_date today);

/* Whether team is one of the round's. */
int waras_survey_round_has_team(const waras_survey_round *r, const char *team);

/* Today's UTC date by waras_clock_now(). */
waras_date waras_survey_today(void);

/* Records (or replaces) the person's answers in an open round, for their
 * team; *out receives the scores (may be NULL). WARAS_EINVAL when the round
 * is not open (field "round"), the team is not in it (field "team") or an
 * answer is invalid (field "qN"); WARAS_ENOTFOUND for an unknown round or
 * person; a store error. */
int waras_survey_round_answer(waras_cbi_scores *out, waras_store *st, int64_t round,
                              const char *person, const char *team,
                              const int answers[WARAS_CBI_ITEMS]);

/* The person's own answers (-1 unanswered) and scores in a round; either
 * output may be NULL. WARAS_ENOTFOUND when they have not answered. Only the
 * person's own view may show them. */
int waras_survey_round_mine(int answers[WARAS_CBI_ITEMS], waras_cbi_scores *scores,
                            waras_store *st, int64_t round, const char *person);

/* The person's scores over time, oldest first: every stored response of
 * theirs (ingested or given in a round), one point per response with its
 * date and the round it was given in (0 for an ingested one). Only the
 * person's own view may show it. *out is freed by the caller. */
typedef struct waras_survey_point {
    waras_date taken_on;
    int64_t round;
    waras_cbi_scores scores;
} waras_survey_point;
int waras_survey_trend(waras_survey_point **out, size_t *n, waras_store *st, const char *person);

#endif
