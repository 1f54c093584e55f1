/*
 * The store's private interface for the survey module: survey responses are
 * wellbeing data, so only src/lib/survey/ writes and reads them, and the
 * public store API (waras/store.h) has no way to reach them. The store keeps
 * a response's scores as the JSON text the survey module gives it and knows
 * nothing of how they are computed.
 */
#ifndef WARAS_STORE_INT_H
#define WARAS_STORE_INT_H

#include <stdint.h>

#include "waras/store.h"

/* Inserts a survey response; when its key exists only the source is
 * updated (the same response seen in a newer file). scores and answers are
 * JSON text; person is NULL for an anonymous response. */
int waras_store__survey_put(waras_store *st, const char *team, const char *person,
                            const char *taken_on, const char *instrument, const char *scores,
                            const char *answers, int64_t source, const char *key);

/* One stored response, as waras_store__survey_each() reads it back.
 * Strings are valid during the call only; person is NULL when anonymous. */
typedef struct waras_store_survey_row {
    const char *team, *person;
    const char *taken_on;   /* "YYYY-MM-DD" */
    const char *instrument; /* "cbi" */
    const char *scores;     /* JSON text, or NULL */
} waras_store_survey_row;
typedef int (*waras_store_survey_cb)(void *ctx, const waras_store_survey_row *row);

/* Calls cb for each response taken on dates [from, to] ("YYYY-MM-DD",
 * inclusive) of the team (NULL: every team), ordered by date, then by the
 * order they were stored. A non-zero return from cb stops the walk and is
 * returned. */
int waras_store__survey_each(waras_store *st, const char *team, const char *from, const char *to,
                             waras_store_survey_cb cb, void *ctx);

#endif
