/*
 * Survey responses in the store: recording a scored response, reading
 * responses back with their scores, and a group's aggregate with the
 * primary min_group suppression (views read the protected table of
 * waras/access.h instead). The store holds the scores as JSON text that
 * only this module writes and reads (encode.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "survey/survey_int.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/survey.h"
#include "waras/time.h"
#include "time/days.h"


int waras_survey__put(waras_store *st, const char *team, const char *person, const char *date,
                      const int answers[WARAS_CBI_ITEMS], int64_t source, long line)
{
    waras_cbi_scores sc;
    char *ta = NULL, *ts = NULL;
    int rc = waras_cbi_score(&sc, answers);
    if (rc || (rc = waras_survey__json(&ts, &ta, &sc, answers)))
        return rc;
    /* A response's key is its content: the same row twice is one response. */
    char keysrc[1024], key[65];
    snprintf(keysrc, sizeof(keysrc), "%s|%s|%s|%s|%ld", team, person ? person : "", date, ta,
             person ? 0L : line);
    waras_sha256_hex(key, keysrc, strlen(keysrc));
    rc = waras_store__survey_put(st, team, person, date, "cbi", ts, ta, source, key);
    free(ta);
    free(ts);
    return rc;
}

typedef struct each_ctx {
    waras_survey_cb cb;
    void *ctx;
    waras_store *st;
    int64_t round; /* the last round looked up, and whether it has closed */
    int closed;
} each_ctx;

static int each_row(void *ctx, const waras_store_survey_row *r)
{
    each_ctx *e = ctx;
    waras_survey_row row = {.team = r->team, .person = r->person};
    if (!r->taken_on || waras_date_parse(&row.taken_on, r->taken_on))
        return 0;
    /* A response given in a round still open is read by no one but its
     * person's own view of the round (waras_survey_round_mine). */
    int64_t round = waras_survey__round_of(r->instrument);
    if (round) {
        if (round != e->round) {
            int rc = waras_survey__round_closed(&e->closed, e->st, round);
            if (rc)
                return rc;
            e->round = round;
        }
        if (!e->closed)
            return 0;
    }
    waras_survey__scores_parse(&row.scores, r->scores);
    return e->cb(e->ctx, &row);
}

int waras_survey_each(waras_store *st, const char *team, waras_date from_day, waras_date to_day,
                      waras_survey_cb cb, void *ctx)
{
    char from[16], to[16];
    waras_date_format(from, sizeof(from), from_day);
    waras_date_format(to, sizeof(to), to_day);
    each_ctx e = {cb, ctx, st, 0, 0};
    return waras_store__survey_each(st, team, from, to, each_row, &e);
}

/* The responses a group's aggregate counts: each identified person's
 * latest, plus every anonymous response. */
typedef struct latest_acc {
    char (*ids)[WARAS_PERSON_ID_MAX];
    waras_cbi_scores *scores;
    size_t n, cap;
} latest_acc;

static int latest_row(void *ctx, const waras_survey_row *row)
{
    latest_acc *a = ctx;
    if (row->person) {
        for (size_t i = 0; i < a->n; i++) {
            if (strcmp(a->ids[i], row->person) == 0) {
                a->scores[i] = row->scores; /* rows come ordered by date */
                return 0;
            }
        }
    }
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 64;
        char(*ids)[WARAS_PERSON_ID_MAX] = realloc(a->ids, cap * sizeof(*ids));
        if (!ids)
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        a->ids = ids;
        waras_cbi_scores *sc = realloc(a->scores, cap * sizeof(*sc));
        if (!sc)
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        a->scores = sc;
        a->cap = cap;
    }
    snprintf(a->ids[a->n], sizeof(a->ids[a->n]), "%s", row->person ? row->person : "");
    a->scores[a->n++] = row->scores;
    return 0;
}

int waras_survey__group_get(waras_survey_group *out, waras_store *st, const char *team,
                            waras_date from_day, waras_date to_day, int min_group)
{
    latest_acc a = {0};
    waras_survey_group g = {0};
    int rc = waras_survey_each(st, team, from_day, to_day, latest_row, &a);
    if (rc)
        goto cleanup;
    g.respondents = (int)a.n;
    g.suppressed = g.respondents < min_group;
    for (int s = 0; s < WARAS_CBI_SCALES; s++) {
        double sum = 0;
        int n = 0;
        for (size_t i = 0; i < a.n; i++) {
            if (a.scores[i].scale[s] >= 0) {
                sum += a.scores[i].scale[s];
                n++;
            }
        }
        /* Each scale is itself suppressed below min_group answers. */
        g.mean[s] = !g.suppressed && n >= min_group ? sum / n : -1;
    }
    int high = 0;
    for (size_t i = 0; i < a.n; i++)
        high += waras_cbi_is_high(a.scores[i].scale[WARAS_CBI_WORK]);
    g.high_work_share = g.suppressed || !a.n ? -1 : (double)high / (double)a.n;
    *out = g;
cleanup:
    free(a.ids);
    free(a.scores);
    return rc;
}
