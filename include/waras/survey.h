/*
 * The Copenhagen Burnout Inventory (Kristensen, Borritz, Villadsen &
 * Christensen 2005, Work & Stress 19(3):192-207; free to use): 19 items in
 * three scales (personal 1-6, work-related 7-13, client-related 14-19),
 * answers scored 100/75/50/25/0, item 10 reverse-scored, a scale the mean of
 * its answered items when at least half are answered. Scores of 50 or more
 * are "high burnout" in the original studies. Wellbeing data: private to the
 * person; groups see it only as aggregates of at least min_group people.
 */
#ifndef WARAS_SURVEY_H
#define WARAS_SURVEY_H

#include "waras/store.h"

#define WARAS_CBI_ITEMS 19

enum { WARAS_CBI_PERSONAL, WARAS_CBI_WORK, WARAS_CBI_CLIENT, WARAS_CBI_SCALES };

/* An answer: 0-100 in steps of 25, or -1 when not answered. */
typedef struct waras_cbi_scores {
    double scale[WARAS_CBI_SCALES]; /* -1 when missing (fewer than half answered) */
} waras_cbi_scores;

/* Scores a response; item 10 is reversed here, so answers are as given. */
void waras_cbi_score(const int answers[WARAS_CBI_ITEMS], waras_cbi_scores *out);

/* Reads one answer: a number 0/25/50/75/100 or the answer text of the
 * item's scale ("Always", "Often", "Sometimes", "Seldom", "Never/almost
 * never"; "To a very high degree" ... "To a very low degree"); "" is
 * unanswered (-1). WARAS_EINVAL when it is neither. */
int waras_cbi_parse_answer(const char *text, int *out);

/* The item's wording (1-based), for docs and messages. */
const char *waras_cbi_item(int item);

/* "low" | "moderate" | "high" | "critical" from the higher of the personal
 * and work scores: < 25, < 50, < 75, >= 75. */
const char *waras_cbi_level(const waras_cbi_scores *s);

/* Survey CSV (docs/survey.md): team,person,date,q1..q19. */
struct waras_ingest_result;
int waras_ingest_survey(waras_store *st, const char *path, struct waras_ingest_result *res);

typedef struct waras_survey_row {
    const char *team, *person; /* person NULL when anonymous */
    int y, m, d;               /* taken_on */
    waras_cbi_scores scores;
} waras_survey_row;

typedef int (*waras_survey_cb)(void *ctx, const waras_survey_row *row);

/* Responses taken on days [from_day, to_day] (day numbers), any team when
 * team is NULL, ordered by date. */
int waras_survey_each(waras_store *st, const char *team, int64_t from_day, int64_t to_day,
                      waras_survey_cb cb, void *ctx);

#endif
