/*
 * The survey module's interface to the CSV ingest: recording a response.
 * The module owns how a response is scored and stored, so the adapter only
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

#endif
