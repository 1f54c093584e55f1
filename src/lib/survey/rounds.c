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

#include <sqlite3.h>

#include "store/store_int.h"
#include "survey/survey_int.h"
#include "time/days.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/survey.h"
#include "waras/time.h"

#define ROUND_PREFIX "cbi-round:"

static int db_fail(waras_store *st, const char *what)
{
    return waras_error_msg(WARAS_ESTORE, "%s: %s", what, sqlite3_errmsg(waras_store__sqlite(st)));
}

static int prep(waras_store *st, sqlite3_stmt **s, const char *sql)
{
    if (sqlite3_prepare_v2(waras_store__sqlite(st), sql, -1, s, NULL) != SQLITE_OK)
        return db_fail(st, "cannot read survey rounds");
    return 0;
}

static void bind_str(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

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
static int round_read(waras_survey_round *r, sqlite3_stmt *s)
{
    memset(r, 0, sizeof(*r));
    r->id = sqlite3_column_int64(s, 0);
    const char *teams = (const char *)sqlite3_column_text(s, 1);
    const char *opens = (const char *)sqlite3_column_text(s, 2);
    const char *closes = (const char *)sqlite3_column_text(s, 3);
    const char *by = (const char *)sqlite3_column_text(s, 4);
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
    sqlite3_stmt *s;
    int rc = prep(st, &s,
                  "INSERT INTO survey_rounds (teams, opens, closes, opened_by, created_at)"
                  " VALUES (?1, ?2, ?3, ?4, ?5)");
    if (rc)
        return rc;
    bind_str(s, 1, list);
    bind_str(s, 2, o);
    bind_str(s, 3, c);
    bind_str(s, 4, opened_by ? opened_by : "");
    sqlite3_bind_int64(s, 5, waras_clock_now());
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = db_fail(st, "cannot store the survey round");
    else if (id)
        *id = sqlite3_last_insert_rowid(waras_store__sqlite(st));
    sqlite3_finalize(s);
    return rc;
}

int waras_survey_round_get(waras_survey_round *out, waras_store *st, int64_t id)
{
    sqlite3_stmt *s;
    int rc =
        prep(st, &s, "SELECT id, teams, opens, closes, opened_by FROM survey_rounds WHERE id = ?1");
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW)
        rc = round_read(out, s);
    else if (step == SQLITE_DONE)
        rc = waras_error_msg(WARAS_ENOTFOUND, "no survey round %" PRId64, id);
    else
        rc = db_fail(st, "cannot read survey rounds");
    sqlite3_finalize(s);
    return rc;
}

int waras_survey_round_list(waras_survey_round **out, size_t *n, waras_store *st)
{
    sqlite3_stmt *s;
    waras_survey_round *v = NULL;
    size_t cnt = 0, cap = 0;
    *out = NULL;
    *n = 0;
    int rc = prep(st, &s,
                  "SELECT id, teams, opens, closes, opened_by FROM survey_rounds ORDER BY id DESC");
    if (rc)
        return rc;
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (cnt == cap) {
            size_t nc = cap ? cap * 2 : 8;
            waras_survey_round *nv = realloc(v, nc * sizeof(*nv));
            if (!nv) {
                rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
                goto cleanup;
            }
            v = nv;
            cap = nc;
        }
        if ((rc = round_read(&v[cnt], s)))
            goto cleanup;
        cnt++;
    }
    if (step != SQLITE_DONE)
        rc = db_fail(st, "cannot read survey rounds");
cleanup:
    sqlite3_finalize(s);
    if (rc) {
        free(v);
        return rc;
    }
    *out = v;
    *n = cnt;
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

static int exec_sql(waras_store *st, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(waras_store__sqlite(st), sql, NULL, NULL, &err) != SQLITE_OK) {
        int rc = waras_error_msg(WARAS_ESTORE, "survey response: %s", err ? err : "?");
        sqlite3_free(err);
        return rc;
    }
    return 0;
}

/* Replaces the survey_responses row and the round's record of it. */
static int response_write(waras_store *st, int64_t round, const char *person, const char *team,
                          const char *day, const char *scores, const char *answers)
{
    char key[65], instrument[32];
    response_key(key, round, person);
    snprintf(instrument, sizeof(instrument), ROUND_PREFIX "%" PRId64, round);
    static const char *const sql[] = {
        "DELETE FROM survey_responses WHERE source_key = ?1",
        "INSERT INTO survey_responses (team, person, taken_on, instrument, scores, answers,"
        " source, source_key) VALUES (?2, ?3, ?4, ?5, ?6, ?7, NULL, ?1)",
        "INSERT INTO survey_round_responses (round, person, team, source_key, updated_at)"
        " VALUES (?8, ?3, ?2, ?1, ?9) ON CONFLICT (round, person) DO UPDATE SET"
        " team = excluded.team, source_key = excluded.source_key, updated_at = excluded.updated_at",
    };
    for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
        sqlite3_stmt *s;
        int rc = prep(st, &s, sql[i]);
        if (rc)
            return rc;
        int np = sqlite3_bind_parameter_count(s);
        for (int p = 1; p <= np; p++) {
            const char *name = sqlite3_bind_parameter_name(s, p);
            int k = name ? (int)strtol(name + 1, NULL, 10) : 0;
            const char *txt[] = {NULL, key, team, person, day, instrument, scores, answers};
            if (k == 8)
                sqlite3_bind_int64(s, p, round);
            else if (k == 9)
                sqlite3_bind_int64(s, p, waras_clock_now());
            else if (k >= 1 && k <= 7)
                bind_str(s, p, txt[k]);
        }
        if (sqlite3_step(s) != SQLITE_DONE)
            rc = db_fail(st, "cannot store the survey response");
        sqlite3_finalize(s);
        if (rc)
            return rc;
    }
    return 0;
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
    if (!(rc = exec_sql(st, "SAVEPOINT survey_answer"))) {
        rc = response_write(st, round, person, team, day, ts, ta);
        int rc2 = exec_sql(st, rc ? "ROLLBACK TO survey_answer; RELEASE survey_answer"
                                  : "RELEASE survey_answer");
        rc = rc ? rc : rc2;
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
    sqlite3_stmt *s;
    response_key(key, round, person ? person : "");
    int rc = prep(st, &s, "SELECT scores, answers FROM survey_responses WHERE source_key = ?1");
    if (rc)
        return rc;
    bind_str(s, 1, key);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        if (scores)
            waras_survey__scores_parse(scores, (const char *)sqlite3_column_text(s, 0));
        if (answers) {
            const char *a = (const char *)sqlite3_column_text(s, 1);
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
    } else if (step == SQLITE_DONE) {
        rc = waras_error_msg(WARAS_ENOTFOUND, "no answers in this round");
    } else {
        rc = db_fail(st, "cannot read the survey response");
    }
    sqlite3_finalize(s);
    return rc;
}

int waras_survey_trend(waras_survey_point **out, size_t *n, waras_store *st, const char *person)
{
    sqlite3_stmt *s;
    waras_survey_point *v = NULL;
    size_t cnt = 0, cap = 0;
    *out = NULL;
    *n = 0;
    int rc = prep(st, &s,
                  "SELECT taken_on, instrument, scores FROM survey_responses WHERE person = ?1"
                  " ORDER BY taken_on, id");
    if (rc)
        return rc;
    bind_str(s, 1, person);
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        waras_survey_point pt = {0};
        const char *d = (const char *)sqlite3_column_text(s, 0);
        if (!d || waras_date_parse(&pt.taken_on, d))
            continue;
        pt.round = waras_survey__round_of((const char *)sqlite3_column_text(s, 1));
        waras_survey__scores_parse(&pt.scores, (const char *)sqlite3_column_text(s, 2));
        if (cnt == cap) {
            size_t nc = cap ? cap * 2 : 8;
            waras_survey_point *nv = realloc(v, nc * sizeof(*nv));
            if (!nv) {
                rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
                goto cleanup;
            }
            v = nv;
            cap = nc;
        }
        v[cnt++] = pt;
    }
    if (step != SQLITE_DONE)
        rc = db_fail(st, "cannot read survey responses");
cleanup:
    sqlite3_finalize(s);
    if (rc) {
        free(v);
        return rc;
    }
    *out = v;
    *n = cnt;
    return 0;
}
