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

#endif
