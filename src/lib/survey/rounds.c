/*
 * Survey rounds opened in the service: a round's teams and days, and the one
 * response of each person in it, kept while the round is open and replaced
 * when the person changes an answer. The response itself is an ordinary
 * stored response (survey_responses), scored by waras_cbi_score(), dated the
 * round's last day and marked with the round in its instrument
 * ("cbi-round:ID"), so that the protected aggregates of waras/access.h count
 * it in that day's calendar quarter; waras_survey_each() skips it until the
 * round has closed. docs/survey.md "The survey in the service".
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "survey/survey_int.h"
#include "time/days.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/survey.h"
#include "waras/time.h"

#define ROUND_PREFIX "cbi-round:"

#define T WARAS_SQL_T
#define I WARAS_SQL_I
#define ARGS WARAS_SQL_ARGS

waras_date waras_survey_today(void)
{
    waras_instant now = waras_clock_now();
    int64_t days = now >= 0 ? now / 86400 : -((-now + 86399) / 86400);
    return waras_time__date(days);
}

int64_t waras_survey__round_of(const char *instrument)
{
    if (!instrument || strncmp(instrument, ROUND_PREFIX, strlen(ROUND_PREFIX)) != 0)
        return 0;
    long v;
    if (waras_parse_long(instrument + strlen(ROUND_PREFIX), &v) || v <= 0)
        return 0;
    return v;
}

int waras_survey_round_state(const waras_survey_round *r, waras_date today)
{
    if (waras_date_cmp(today, r->opens) < 0)
        return WARAS_ROUND_UPCOMING;
    return waras_date_cmp(today, r->closes) > 0 ? WARAS_ROUND_CLOSED : WARAS_ROUND_OPEN;
}

int waras_survey_round_has_team(const waras_survey_round *r, const char *team)
{
    for (int i = 0; team && i < r->nteams; i++)
        if (strcmp(r->teams[i], team) == 0)
            return 1;
    return 0;
}

/* A row of SELECT id, teams, opens, closes, opened_by. */
static int round_read(waras_survey_round *r, const waras_store_row *s)
{
    memset(r, 0, sizeof(*r));
    r->id = waras_store__int(s, 0);
    const char *teams = waras_store__text(s, 1);
    const char *opens = waras_store__text(s, 2);
    const char *closes = waras_store__text(s, 3);
    const char *by = waras_store__text(s, 4);
    if (!teams || !opens || !closes || waras_date_parse(&r->opens, opens) ||
        waras_date_parse(&r->closes, closes))
        return waras_error_msg(WARAS_ESTORE, "survey round %" PRId64 " is malformed", r->id);
    snprintf(r->opened_by, sizeof(r->opened_by), "%s", by ? by : "");
    for (const char *p = teams; *p && r->nteams < WARAS_SURVEY_MAX_TEAMS;) {
        size_t len = strcspn(p, ",");
        snprintf(r->teams[r->nteams++], sizeof(r->teams[0]), "%.*s", (int)len, p);
        p += len + (p[len] == ',');
    }
    return 0;
}

int waras_survey_round_open(int64_t *id, waras_store *st, const char *const *teams, int nteams,
                            waras_date opens, waras_date closes, const char *opened_by)
{
    if (nteams < 1 || nteams > WARAS_SURVEY_MAX_TEAMS)
        return waras_error_set(WARAS_EINVAL, NULL, 0, "teams", "a round is for 1 to %d teams",
                               WARAS_SURVEY_MAX_TEAMS);
    char list[WARAS_SURVEY_MAX_TEAMS * 65] = "";
    size_t used = 0;
    for (int i = 0; i < nteams; i++) {
        size_t len = teams[i] ? strlen(teams[i]) : 0;
        if (len < 1 || len > 63 || strchr(teams[i], ','))
            return waras_error_set(WARAS_EINVAL, NULL, 0, "teams",
                                   "a team name is 1 to 63 bytes without a comma");
        for (int j = 0; j < i; j++)
            if (strcmp(teams[i], teams[j]) == 0)
                return waras_error_set(WARAS_EINVAL, NULL, 0, "teams", "team '%s' is named twice",
                                       teams[i]);
        used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", i ? "," : "", teams[i]);
    }
    if (waras_date_cmp(closes, opens) < 0)
        return waras_error_set(WARAS_EINVAL, NULL, 0, "closes",
                               "a round cannot close before it opens");
    if (waras_date_cmp(closes, waras_survey_today()) < 0)
        return waras_error_set(WARAS_EINVAL, NULL, 0, "closes", "a round cannot close in the past");
    if (waras_date_diff(closes, opens) > 366)
        return waras_error_set(WARAS_EINVAL, NULL, 0, "closes", "a round is open 366 days at most");
    char o[16], c[16];
    waras_date_format(o, sizeof(o), opens);
    waras_date_format(c, sizeof(c), closes);
    int64_t rid = 0;
    int rc = waras_store__insert(
        &rid, st,
        "INSERT INTO survey_rounds (teams, opens, closes, opened_by,"
        " created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        "cannot store the survey round",
        ARGS(T(list), T(o), T(c), T(opened_by ? opened_by : ""), I(waras_clock_now())));
    if (!rc && id)
        *id = rid;
    return rc;
}

int waras_survey_round_get(waras_survey_round *out, waras_store *st, int64_t id)
{
    waras_store_row *s;
    int rc = waras_store__row(
        &s, st, "SELECT id, teams, opens, closes, opened_by FROM survey_rounds WHERE id = ?1",
        "cannot read survey rounds", ARGS(I(id)));
    if (rc < 0)
        return rc;
    if (!rc)
        return waras_error_msg(WARAS_ENOTFOUND, "no survey round %" PRId64, id);
    rc = round_read(out, s);
    waras_store__row_free(s);
    return rc;
}

/* The rounds read so far, for the walk of waras_survey_round_list. */
typedef struct round_list {
    waras_survey_round *v;
    size_t len, cap;
} round_list;

static int list_row(void *ctx, const waras_store_row *s)
{
    round_list *l = ctx;
    int rc = waras_grow(&l->v, &l->cap, l->len, sizeof(*l->v), 8);
    if (!rc && !(rc = round_read(&l->v[l->len], s)))
        l->len++;
    return rc;
}

int waras_survey_round_list(waras_survey_round **out, size_t *n, waras_store *st)
{
    round_list l = {0};
    *out = NULL;
    *n = 0;
    int rc = waras_store__each(
        st, "SELECT id, teams, opens, closes, opened_by FROM survey_rounds ORDER BY id DESC",
        "cannot read survey rounds", NULL, 0, list_row, &l);
    if (rc) {
        free(l.v);
        return rc;
    }
    *out = l.v;
    *n = l.len;
    return 0;
}

int waras_survey__round_closed(int *out, waras_store *st, int64_t round)
{
    waras_survey_round r;
    int rc = waras_survey_round_get(&r, st, round);
    if (rc == WARAS_ENOTFOUND) {
        *out = 1;
        return 0;
    }
    if (rc)
        return rc;
    *out = waras_survey_round_state(&r, waras_survey_today()) == WARAS_ROUND_CLOSED;
    return 0;
}

/* The key of a person's response in a round: one per person and round. */
static void response_key(char key[65], int64_t round, const char *person)
{
    char src[256];
    snprintf(src, sizeof(src), "round|%" PRId64 "|%s", round, person);
    waras_sha256_hex(key, src, strlen(src));
}

/* Replaces the survey_responses row and the round's record of it. */
static int response_write(waras_store *st, int64_t round, const char *person, const char *team,
                          const char *day, const char *scores, const char *answers)
{
    char key[65], instrument[32];
    response_key(key, round, person);
    snprintf(instrument, sizeof(instrument), ROUND_PREFIX "%" PRId64, round);
    int rc = waras_store__exec(NULL, st, "DELETE FROM survey_responses WHERE source_key = ?1",
                               "cannot store the survey response", ARGS(T(key)));
    if (!rc)
        rc = waras_store__exec(
            NULL, st,
            "INSERT INTO survey_responses (team, person, taken_on, instrument,"
            " scores, answers, source, source_key)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7)",
            "cannot store the survey response",
            ARGS(T(team), T(person), T(day), T(instrument), T(scores), T(answers), T(key)));
    if (!rc)
        rc = waras_store__exec(
            NULL, st,
            "INSERT INTO survey_round_responses (round, person, team, source_key, updated_at)"
            " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (round, person) DO UPDATE SET"
            " team = excluded.team, source_key = excluded.source_key,"
            " updated_at = excluded.updated_at",
            "cannot store the survey response",
            ARGS(I(round), T(person), T(team), T(key), I(waras_clock_now())));
    return rc;
}

int waras_survey_round_answer(waras_cbi_scores *out, waras_store *st, int64_t round,
                              const char *person, const char *team,
                              const int answers[WARAS_CBI_ITEMS])
{
    waras_survey_round r;
    waras_person p;
    int rc = waras_survey_round_get(&r, st, round);
    if (rc)
        return rc;
    if (waras_survey_round_state(&r, waras_survey_today()) != WARAS_ROUND_OPEN)
        return waras_error_set(WARAS_EINVAL, NULL, 0, "round", "the round is not open");
    if (!waras_survey_round_has_team(&r, team))
        return waras_error_set(WARAS_EINVAL, NULL, 0, "team", "the team is not in the round");
    if (!person || (rc = waras_store_person_get(&p, st, person)))
        return rc ? rc : waras_error_msg(WARAS_ENOTFOUND, "no person");
    waras_cbi_scores sc;
    if ((rc = waras_cbi_score(&sc, answers)))
        return rc;
    char *ts = NULL, *ta = NULL, day[16];
    if ((rc = waras_survey__json(&ts, &ta, &sc, answers)))
        return rc;
    waras_date_format(day, sizeof(day), r.closes);
    if (!(rc = waras_store__savepoint(st, "survey_answer"))) {
        if ((rc = response_write(st, round, person, team, day, ts, ta)))
            waras_store__undo(st, "survey_answer");
        else
            rc = waras_store__release(st, "survey_answer");
    }
    free(ts);
    free(ta);
    if (!rc && out)
        *out = sc;
    return rc;
}

int waras_survey_round_mine(int answers[WARAS_CBI_ITEMS], waras_cbi_scores *scores, waras_store *st,
                            int64_t round, const char *person)
{
    char key[65];
    waras_store_row *s;
    response_key(key, round, person ? person : "");
    int rc = waras_store__row(&s, st,
                              "SELECT scores, answers FROM survey_responses WHERE source_key = ?1",
                              "cannot read the survey response", ARGS(T(key)));
    if (rc < 0)
        return rc;
    if (!rc)
        return waras_error_msg(WARAS_ENOTFOUND, "no answers in this round");
    if (scores)
        waras_survey__scores_parse(scores, waras_store__text(s, 0));
    if (answers) {
        const char *a = waras_store__text(s, 1);
        for (int i = 0; i < WARAS_CBI_ITEMS; i++)
            answers[i] = -1;
        /* The answers array as waras_survey__json writes it. */
        for (int i = 0; a && *a && i < WARAS_CBI_ITEMS; i++) {
            a += strspn(a, "[, ");
            if (strncmp(a, "null", 4) == 0)
                a += 4;
            else
                answers[i] = (int)strtol(a, (char **)&a, 10);
        }
    }
    waras_store__row_free(s);
    return 0;
}

/* The points read so far, for the walk of waras_survey_trend. */
typedef struct trend {
    waras_survey_point *v;
    size_t len, cap;
} trend;

static int trend_row(void *ctx, const waras_store_row *s)
{
    trend *t = ctx;
    waras_survey_point pt = {0};
    const char *d = waras_store__text(s, 0);
    if (!d || waras_date_parse(&pt.taken_on, d))
        return 0;
    pt.round = waras_survey__round_of(waras_store__text(s, 1));
    waras_survey__scores_parse(&pt.scores, waras_store__text(s, 2));
    int rc = waras_grow(&t->v, &t->cap, t->len, sizeof(*t->v), 8);
    if (!rc)
        t->v[t->len++] = pt;
    return rc;
}

int waras_survey_trend(waras_survey_point **out, size_t *n, waras_store *st, const char *person)
{
    trend t = {0};
    *out = NULL;
    *n = 0;
    int rc = waras_store__each(st,
                               "SELECT taken_on, instrument, scores FROM survey_responses"
                               " WHERE person = ?1 ORDER BY taken_on, id",
                               "cannot read survey responses", ARGS(T(person)), trend_row, &t);
    if (rc) {
        free(t.v);
        return rc;
    }
    *out = t.v;
    *n = t.len;
    return 0;
}
