/*
 * The survey module's interface to the CSV ingest (recording a response)
 * and to its tests (a group aggregate with primary suppression only). The
 * module owns how a response is scored and stored, so the adapter only
 * parses, maps people and validates.
 */
#ifndef WARAS_SURVEY_INT_H
#define WARAS_SURVEY_INT_H

#include <stdint.h>

#include "waras/store.h"
#include "waras/survey.h"

/* Scores a CBI response and stores it with its answers for the team, the
 * person (id, or NULL when anonymous) and the date ("YYYY-MM-DD"), from
 * source. A response's key is its content, so the same response twice is
 * stored once; an anonymous one also carries its line, since two people may
 * answer alike. WARAS_EINVAL (naming the item) for an answer that
 * waras_cbi_score() rejects; WARAS_ENOMEM; a store error. */
int waras_survey__put(waras_store *st, const char *team, const char *person, const char *date,
                      const int answers[WARAS_CBI_ITEMS], int64_t source, long line);

/* A group's wellbeing: each identified person's latest response in the
 * days, plus every anonymous response once. */
typedef struct waras_survey_group {
    int respondents;
    int suppressed;                /* respondents < min_group */
    double mean[WARAS_CBI_SCALES]; /* -1 when suppressed or fewer than min_group answered */
    double high_work_share;        /* share with a high work score; -1 when suppressed */
} waras_survey_group;

/* The aggregate of a team (NULL: everyone) over days [from_day, to_day]
 * with the primary suppression only: nothing below min_group respondents,
 * and a scale needs min_group answers of its own. No view may show it: it
 * does not protect a group from subtraction; views read the protected
 * table of waras/access.h. WARAS_ENOMEM, or a store error. */
int waras_survey__group_get(waras_survey_group *out, waras_store *st, const char *team,
                            waras_date from_day, waras_date to_day, int min_group);

/* The JSON texts a response is stored as (scores by scale name, answers
 * as an array with null for unanswered); the caller frees both. */
int waras_survey__json(char **scores, char **answers_out, const waras_cbi_scores *sc,
                       const int answers[WARAS_CBI_ITEMS]);
/* Reads stored scores back; a missing scale is -1. */
void waras_survey__scores_parse(waras_cbi_scores *out, const char *json);

/* Rounds (rounds.c): the round a stored response was given in, from its
 * instrument ("cbi-round:ID"), 0 for an ingested one; and whether a round
 * has closed by today (an unknown round counts as closed: its responses
 * went with it). */
int64_t waras_survey__round_of(const char *instrument);
int waras_survey__round_closed(int *out, waras_store *st, int64_t round);

#endif
