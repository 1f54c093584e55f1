/*
 * The survey in the service: opening a round (POST /api/v1/surveys and the
 * /survey/open form), listing the rounds that concern the asker, a person's
 * own answers (PUT or POST /api/v1/surveys/ID/response and the /survey
 * form), their own scores and trend (GET /api/v1/surveys/ID/me) and a
 * round's team results, the protected aggregates of waras/access.h, once
 * the round has closed (GET /api/v1/surveys/ID/results). Every read asks
 * waras_access_decide(); no wellbeing value is logged (the log line holds
 * the path and parameter names only).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "server.h"
#include "util/util.h"
#include "waras/access.h"
#include "waras/auth.h"
#include "waras/error.h"
#include "waras/risk.h"
#include "waras/store.h"
#include "waras/survey.h"

/* The items whose answers are degrees rather than frequencies (1-based):
 * the first three work-related and the first four client-related items
 * (docs/survey.md). */
static int degree_item(int item)
{
    return (item >= 7 && item <= 9) || (item >= 14 && item <= 17);
}

static const char *const freq_words[5] = {"Never/almost never", "Seldom", "Sometimes", "Often",
                                          "Always"};
static const char *const degree_words[5] = {"To a very low degree", "To a low degree", "Somewhat",
                                            "To a high degree", "To a very high degree"};
static const char *const scale_keys[WARAS_CBI_SCALES] = {"personal", "work", "client"};
static const char *const scale_titles[WARAS_CBI_SCALES] = {
    "Personal burnout", "Work-related burnout", "Client-related burnout"};

static const char *const state_names[] = {"upcoming", "open", "closed"};

/* The smallest group whose wellbeing is shown (the policy's min_group). */
static int min_group(void)
{
    waras_policy p;
    waras_policy_default(&p);
    return p.min_group;
}

/* Who sees what, said plainly on the form and in the docs. */
#define WHO_SEES                                                                                   \
    "Your answers and your three scores are yours: only you see them, here and on your own "       \
    "page. Your lead and people-ops never see them; they see your team's averages only after "     \
    "the round has closed, and only when at least %d people of the team answered (smaller "        \
    "groups, and groups that would let a smaller one be worked out by subtraction, are not "       \
    "shown). Admins see no survey data. You can change your answers until the round closes."

/* --- the asker --- */

typedef struct asker {
    char team[64]; /* the asker's own person's team ("" when none) */
    int own;       /* the rule lets them see their own wellbeing */
} asker;

static int asker_get(asker *out, waras_store *st, const srv_auth *a)
{
    memset(out, 0, sizeof(*out));
    if (!a->user.person[0])
        return 0;
    waras_person p;
    if (waras_store_person_get(&p, st, a->user.person))
        return 0;
    waras_strlcpy(out->team, p.team, sizeof(out->team));
    waras_subject self = {a->user.person, out->team};
    out->own = waras_access_decide(&a->user, WARAS_DATA_WELLBEING, &self) == WARAS_ACCESS_ALLOWED;
    return 0;
}

/* The rule lets the asker see the team's wellbeing as an aggregate. */
static int sees_team(const srv_auth *a, const char *team)
{
    waras_subject t = {NULL, team};
    return waras_access_decide(&a->user, WARAS_DATA_WELLBEING, &t) == WARAS_ACCESS_AGGREGATE;
}

/* Opening a round for a team: a lead for their own teams, people-ops for
 * any; the same people the rule shows the team's aggregates to. */
static int may_open(const srv_auth *a, const char *team)
{
    return (a->user.role == WARAS_ROLE_LEAD || a->user.role == WARAS_ROLE_PEOPLE_OPS) &&
           sees_team(a, team);
}

/* The round concerns the asker: their own team answers it, or they may see
 * one of its teams' results. */
static int relevant(const srv_auth *a, const asker *me, const waras_survey_round *r)
{
    if (me->own && waras_survey_round_has_team(r, me->team))
        return 1;
    for (int i = 0; i < r->nteams; i++)
        if (sees_team(a, r->teams[i]))
            return 1;
    return 0;
}

static int no_survey_role(const srv_auth *a, const asker *me)
{
    waras_subject org = {NULL, NULL};
    return !me->own &&
           waras_access_decide(&a->user, WARAS_DATA_WELLBEING, &org) == WARAS_ACCESS_DENIED;
}

static int store_open(waras_store **st, srv_app *app, srv_response *rs)
{
    if (waras_store_open(st, app->db, 0)) {
        srv_json_error(rs, 500, "internal", NULL, "the store could not be opened");
        return -1;
    }
    return 0;
}

static json_t *scores_json(const waras_cbi_scores *s)
{
    json_t *o = json_object();
    for (int k = 0; k < WARAS_CBI_SCALES; k++)
        json_object_set_new(o, scale_keys[k],
                            s->scale[k] < 0 ? json_null() : json_real(s->scale[k]));
    const char *level = waras_cbi_raise_level(waras_cbi_level(s), s);
    json_object_set_new(o, "level", level ? json_string(level) : json_null());
    return o;
}

static json_t *round_json(const waras_survey_round *r, const asker *me, waras_store *st,
                          const char *person)
{
    char o[16], c[16];
    waras_date_format(o, sizeof(o), r->opens);
    waras_date_format(c, sizeof(c), r->closes);
    json_t *teams = json_array();
    for (int i = 0; i < r->nteams; i++)
        json_array_append_new(teams, json_string(r->teams[i]));
    int mine = me->own && waras_survey_round_has_team(r, me->team);
    int answered = mine && waras_survey_round_mine(NULL, NULL, st, r->id, person) == 0;
    char url[64];
    snprintf(url, sizeof(url), "/api/v1/surveys/%" PRId64, r->id);
    return json_pack("{s:I,s:o,s:s,s:s,s:s,s:s,s:b,s:b,s:s}", "id", (json_int_t)r->id, "teams",
                     teams, "opens", o, "closes", c, "opened_by", r->opened_by, "state",
                     state_names[waras_survey_round_state(r, waras_survey_today())], "yours", mine,
                     "answered", answered, "url", url);
}

static void send_json(srv_response *rs, int status, json_t *root)
{
    char *doc = root ? json_dumps(root, JSON_COMPACT) : NULL;
    json_decref(root);
    if (!doc) {
        srv_json_error(rs, 500, "internal", NULL, "out of memory");
        return;
    }
    size_t n = strlen(doc);
    char *body = realloc(doc, n + 2);
    if (body) {
        body[n] = '\n';
        body[n + 1] = '\0';
    } else {
        free(doc);
    }
    srv_set_body(rs, status, "application/json", body);
}

/* --- opening a round --- */

typedef struct open_req {
    char teams[WARAS_SURVEY_MAX_TEAMS][64];
    int nteams;
    waras_date opens, closes;
} open_req;

/* Splits "a,b" into teams; -1 with rs set. */
static int teams_split(open_req *q, const char *list, srv_response *rs)
{
    char buf[WARAS_SURVEY_MAX_TEAMS * 65];
    waras_strlcpy(buf, list, sizeof(buf));
    char *save = NULL;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        while (*t == ' ')
            t++;
        size_t len = strlen(t);
        while (len && t[len - 1] == ' ')
            t[--len] = '\0';
        if (!len)
            continue;
        if (q->nteams == WARAS_SURVEY_MAX_TEAMS || len > 63) {
            srv_json_error(rs, 400, "bad_request", "teams", "1 to 16 team names of 1 to 63 bytes");
            return -1;
        }
        waras_strlcpy(q->teams[q->nteams++], t, 64);
    }
    return 0;
}

/* Checks and records the round; its id, or -1 with rs set. */
static int64_t open_round(srv_app *app, const srv_auth *a, open_req *q, srv_response *rs)
{
    if (q->nteams < 1) {
        srv_json_error(rs, 400, "bad_request", "teams", "name at least one team");
        return -1;
    }
    for (int i = 0; i < q->nteams; i++)
        if (!may_open(a, q->teams[i])) {
            srv_json_error(rs, 403, "forbidden", "teams",
                           "a lead opens rounds for their own teams, people-ops for any team");
            return -1;
        }
    waras_store *st;
    if (store_open(&st, app, rs))
        return -1;
    const char *names[WARAS_SURVEY_MAX_TEAMS];
    for (int i = 0; i < q->nteams; i++)
        names[i] = q->teams[i];
    int64_t id = -1;
    int rc = waras_survey_round_open(&id, st, names, q->nteams, q->opens, q->closes, a->user.login);
    if (rc == WARAS_EINVAL) {
        const waras_error *e = waras_error_last();
        srv_json_error(rs, 400, "bad_request", e->field[0] ? e->field : NULL, e->message);
        id = -1;
    } else if (rc) {
        srv_json_error(rs, 500, "internal", NULL, "the round could not be stored");
        id = -1;
    }
    waras_store_close(st);
    return id;
}

static void api_open(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs)
{
    open_req q = {0};
    if (!rq->content_type || strncmp(rq->content_type, "application/json", 16) != 0) {
        srv_json_error(rs, 415, "unsupported_media_type", NULL, "send application/json");
        return;
    }
    json_t *root = json_loadb(rq->body ? rq->body : "", rq->body_len, 0, NULL);
    if (!json_is_object(root)) {
        json_decref(root);
        srv_json_error(rs, 400, "bad_json", NULL, "the body is not a JSON object");
        return;
    }
    const char *key;
    json_t *v;
    const char *bad = NULL, *why = NULL;
    json_object_foreach(root, key, v)
    {
        if (strcmp(key, "teams") == 0) {
            size_t i;
            json_t *t;
            if (!json_is_array(v) || json_array_size(v) < 1 ||
                json_array_size(v) > WARAS_SURVEY_MAX_TEAMS) {
                bad = key, why = "teams is an array of 1 to 16 team names";
                break;
            }
            json_array_foreach(v, i, t)
            {
                const char *s = json_string_value(t);
                if (!s || !*s || strlen(s) > 63 || strchr(s, ',')) {
                    bad = key, why = "teams is an array of 1 to 16 team names";
                    break;
                }
                waras_strlcpy(q.teams[q.nteams++], s, 64);
            }
        } else if (strcmp(key, "opens") == 0 || strcmp(key, "closes") == 0) {
            const char *s = json_string_value(v);
            if (!s || waras_date_parse(key[0] == 'o' ? &q.opens : &q.closes, s)) {
                bad = key, why = "opens and closes are dates YYYY-MM-DD";
                break;
            }
        } else {
            srv_json_error(rs, 400, "unknown_field", key,
                           "unknown field: a round takes teams, opens and closes");
            json_decref(root);
            return;
        }
        if (bad)
            break;
    }
    if (!bad && !json_object_get(root, "opens"))
        q.opens = waras_survey_today();
    if (!bad && !json_object_get(root, "closes"))
        bad = "closes", why = "closes (YYYY-MM-DD) is needed";
    if (bad) {
        srv_json_error(rs, 400, "bad_request", bad, why);
        json_decref(root);
        return;
    }
    json_decref(root);
    int64_t id = open_round(app, a, &q, rs);
    if (id < 0)
        return;
    waras_store *st;
    if (store_open(&st, app, rs))
        return;
    waras_survey_round r;
    asker me;
    asker_get(&me, st, a);
    if (waras_survey_round_get(&r, st, id)) {
        waras_store_close(st);
        srv_json_error(rs, 500, "internal", NULL, "the round could not be read back");
        return;
    }
    json_t *doc = round_json(&r, &me, st, a->user.person);
    waras_store_close(st);
    char loc[64];
    snprintf(loc, sizeof(loc), "/api/v1/surveys/%" PRId64, id);
    srv_add_header(rs, "Location", loc);
    send_json(rs, 201, doc);
}

/* --- listing --- */

static void api_list(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs)
{
    if (rq->nargs) {
        srv_json_error(rs, 400, "unknown_field", rq->args[0].key, "the list takes no parameter");
        return;
    }
    waras_store *st;
    if (store_open(&st, app, rs))
        return;
    asker me;
    asker_get(&me, st, a);
    if (no_survey_role(a, &me)) {
        waras_store_close(st);
        srv_json_error(rs, 403, "forbidden", NULL, "surveys are for people with a person");
        return;
    }
    waras_survey_round *v = NULL;
    size_t n = 0;
    if (waras_survey_round_list(&v, &n, st)) {
        waras_store_close(st);
        srv_json_error(rs, 500, "internal", NULL, "the rounds could not be read");
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        if (relevant(a, &me, &v[i]))
            json_array_append_new(arr, round_json(&v[i], &me, st, a->user.person));
    free(v);
    waras_store_close(st);
    send_json(rs, 200, json_pack("{s:o}", "surveys", arr));
}

/* --- one round --- */

/* The round of rest ("ID/..."), relevant to the asker; 404 otherwise. The
 * store stays open on success. */
static int round_load(waras_survey_round *r, asker *me, waras_store **st, srv_app *app,
                      const srv_auth *a, const char *rest, srv_response *rs)
{
    long id;
    char num[24];
    size_t len = strcspn(rest, "/");
    if (len == 0 || len >= sizeof(num)) {
        srv_json_error(rs, 404, "not_found", NULL, "no such survey round");
        return -1;
    }
    memcpy(num, rest, len);
    num[len] = '\0';
    if (waras_parse_long(num, &id) || id <= 0) {
        srv_json_error(rs, 404, "not_found", NULL, "no such survey round");
        return -1;
    }
    if (store_open(st, app, rs))
        return -1;
    asker_get(me, *st, a);
    if (no_survey_role(a, me)) {
        waras_store_close(*st);
        srv_json_error(rs, 403, "forbidden", NULL, "surveys are for people with a person");
        return -1;
    }
    if (waras_survey_round_get(r, *st, id) || !relevant(a, me, r)) {
        waras_store_close(*st);
        srv_json_error(rs, 404, "not_found", NULL, "no such survey round");
        return -1;
    }
    return 0;
}

/* Reads 19 answers from a JSON array (numbers 0/25/50/75/100, answer texts
 * or null); -1 with rs set. */
static int answers_from_json(int out[WARAS_CBI_ITEMS], json_t *arr, srv_response *rs)
{
    if (!json_is_array(arr) || json_array_size(arr) != WARAS_CBI_ITEMS) {
        srv_json_error(rs, 400, "bad_request", "answers",
                       "answers is an array of the 19 answers, null for none");
        return -1;
    }
    for (int i = 0; i < WARAS_CBI_ITEMS; i++) {
        json_t *v = json_array_get(arr, (size_t)i);
        char field[8];
        snprintf(field, sizeof(field), "q%d", i + 1);
        if (json_is_null(v)) {
            out[i] = -1;
        } else if (json_is_integer(v) && json_integer_value(v) >= 0 &&
                   json_integer_value(v) <= 100 && json_integer_value(v) % 25 == 0) {
            out[i] = (int)json_integer_value(v);
        } else if (!json_is_string(v) || waras_cbi_parse_answer(&out[i], json_string_value(v)) ||
                   out[i] < 0) {
            srv_json_error(rs, 400, "bad_request", field,
                           "an answer is 0, 25, 50, 75 or 100, the answer's words, or null");
            return -1;
        }
    }
    return 0;
}

/* Stores the asker's answers; 0, or -1 with rs set. */
static int answer(waras_cbi_scores *sc, waras_store *st, const srv_auth *a, const asker *me,
                  const waras_survey_round *r, const int ans[WARAS_CBI_ITEMS], srv_response *rs)
{
    if (!me->own || !waras_survey_round_has_team(r, me->team)) {
        srv_json_error(rs, 403, "forbidden", NULL,
                       "only the people of the round's teams answer it, each for themselves");
        return -1;
    }
    int rc = waras_survey_round_answer(sc, st, r->id, a->user.person, me->team, ans);
    if (rc == WARAS_EINVAL && strcmp(waras_error_last()->field, "round") == 0) {
        srv_json_error(rs, 409, "round_not_open", "round",
                       waras_survey_round_state(r, waras_survey_today()) == WARAS_ROUND_CLOSED
                           ? "the round has closed: answers can no longer be changed"
                           : "the round has not opened yet");
        return -1;
    }
    if (rc) {
        srv_json_error(rs, rc == WARAS_EINVAL ? 400 : 500,
                       rc == WARAS_EINVAL ? "bad_request" : "internal", NULL,
                       rc == WARAS_EINVAL ? "the answers were not accepted"
                                          : "the answers could not be stored");
        return -1;
    }
    return 0;
}

/* The asker's own scores in the round and their trend, as JSON. */
static json_t *me_json(waras_store *st, const srv_auth *a, const waras_survey_round *r)
{
    int ans[WARAS_CBI_ITEMS];
    waras_cbi_scores sc;
    json_t *o = json_object();
    json_object_set_new(o, "round", json_integer((json_int_t)r->id));
    if (waras_survey_round_mine(ans, &sc, st, r->id, a->user.person) == 0) {
        json_t *arr = json_array();
        for (int i = 0; i < WARAS_CBI_ITEMS; i++)
            json_array_append_new(arr, ans[i] < 0 ? json_null() : json_integer(ans[i]));
        json_object_set_new(o, "answered", json_true());
        json_object_set_new(o, "answers", arr);
        json_object_set_new(o, "scores", scores_json(&sc));
    } else {
        json_object_set_new(o, "answered", json_false());
        json_object_set_new(o, "answers", json_null());
        json_object_set_new(o, "scores", json_null());
    }
    waras_survey_point *p = NULL;
    size_t n = 0;
    json_t *trend = json_array();
    if (waras_survey_trend(&p, &n, st, a->user.person) == 0) {
        for (size_t i = 0; i < n; i++) {
            char d[16];
            waras_date_format(d, sizeof(d), p[i].taken_on);
            json_t *pt = scores_json(&p[i].scores);
            json_object_set_new(pt, "date", json_string(d));
            json_object_set_new(pt, "round",
                                p[i].round ? json_integer((json_int_t)p[i].round) : json_null());
            json_array_append_new(trend, pt);
        }
    }
    free(p);
    json_object_set_new(o, "trend", trend);
    return o;
}

/* The round's team results: the protected aggregates, after it closed. */
static json_t *results_json(waras_store *st, const srv_auth *a, const waras_survey_round *r,
                            int *err)
{
    waras_access_table *t = NULL;
    *err = 0;
    if (waras_access_load(&t, st, min_group())) {
        *err = 1;
        return NULL;
    }
    long round = waras_access_round_in(t, r->closes, r->closes);
    json_t *teams = json_array();
    for (int i = 0; i < r->nteams; i++) {
        if (!sees_team(a, r->teams[i]))
            continue;
        waras_access_view v;
        waras_access_view_get(&v, t, round, r->teams[i]);
        json_t *g = json_pack("{s:s}", "team", r->teams[i]);
        if (v.why != WARAS_ACCESS_SHOWN) {
            json_object_set_new(g, "wellbeing", json_null());
            json_object_set_new(g, "wellbeing_suppressed", json_string(v.reason));
        } else {
            json_t *w = json_pack("{s:i}", "respondents", v.respondents);
            for (int k = 0; k < WARAS_CBI_SCALES; k++)
                json_object_set_new(w, scale_keys[k],
                                    v.mean[k] < 0 ? json_null() : json_real(v.mean[k]));
            json_object_set_new(w, "high_work_share",
                                v.high_work_share < 0 ? json_null() : json_real(v.high_work_share));
            json_object_set_new(g, "wellbeing", w);
        }
        json_array_append_new(teams, g);
    }
    char c[16];
    waras_date_format(c, sizeof(c), r->closes);
    json_t *o =
        json_pack("{s:I,s:s,s:s?,s:i,s:o}", "round", (json_int_t)r->id, "closes", c, "quarter",
                  round >= 0 ? t->round[round] : NULL, "min_group", min_group(), "teams", teams);
    waras_access_free(t);
    return o;
}

static int csrf_put_ok(const srv_request *rq, const srv_auth *a)
{
    if (a->by_token)
        return 1;
    const char *sent = rq->csrf_header;
    size_t n = strlen(a->csrf);
    return sent && strlen(sent) == n && sodium_memcmp(sent, a->csrf, n) == 0;
}

void srv_api_surveys(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs,
                     const char *rest)
{
    const char *m = rq->method;
    int get = strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0, post = strcmp(m, "POST") == 0,
        put = strcmp(m, "PUT") == 0;
    if (!rest) {
        if (get)
            api_list(app, rq, a, rs);
        else if (post)
            api_open(app, rq, a, rs);
        else
            srv_json_error(rs, 405, "method_not_allowed", NULL, "GET or POST"),
                srv_add_header(rs, "Allow", "GET, POST");
        return;
    }
    const char *sub = strchr(rest, '/');
    sub = sub ? sub + 1 : "";
    int is_resp = strcmp(sub, "response") == 0, is_me = strcmp(sub, "me") == 0,
        is_res = strcmp(sub, "results") == 0;
    if (!is_resp && !is_me && !is_res) {
        srv_json_error(rs, 404, "not_found", NULL, "no such endpoint");
        return;
    }
    if (is_resp ? !(put || post) : !get) {
        srv_json_error(rs, 405, "method_not_allowed", NULL, "method not allowed here");
        srv_add_header(rs, "Allow", is_resp ? "PUT, POST" : "GET");
        return;
    }
    if (put && !csrf_put_ok(rq, a)) {
        srv_json_error(rs, 403, "csrf", "csrf", "missing or wrong CSRF token (X-CSRF-Token)");
        return;
    }
    if (rq->nargs) {
        srv_json_error(rs, 400, "unknown_field", rq->args[0].key, "no parameter is taken here");
        return;
    }
    int ans[WARAS_CBI_ITEMS];
    if (is_resp) {
        if (!rq->content_type || strncmp(rq->content_type, "application/json", 16) != 0) {
            srv_json_error(rs, 415, "unsupported_media_type", NULL, "send application/json");
            return;
        }
        json_t *root = json_loadb(rq->body ? rq->body : "", rq->body_len, 0, NULL);
        const char *key;
        json_t *v;
        if (!json_is_object(root)) {
            json_decref(root);
            srv_json_error(rs, 400, "bad_json", NULL, "the body is not a JSON object");
            return;
        }
        json_object_foreach(root, key, v)
        {
            if (strcmp(key, "answers") != 0) {
                srv_json_error(rs, 400, "unknown_field", key, "the response takes answers");
                json_decref(root);
                return;
            }
        }
        int bad = answers_from_json(ans, json_object_get(root, "answers"), rs);
        json_decref(root);
        if (bad)
            return;
    }
    waras_survey_round r;
    asker me;
    waras_store *st;
    if (round_load(&r, &me, &st, app, a, rest, rs))
        return;
    if (is_resp) {
        waras_cbi_scores sc;
        if (answer(&sc, st, a, &me, &r, ans, rs) == 0)
            send_json(rs, 200, me_json(st, a, &r));
    } else if (is_me) {
        if (!me.own || !waras_survey_round_has_team(&r, me.team))
            srv_json_error(rs, 403, "forbidden", NULL,
                           "only the people of the round's teams "
                           "have answers in it, each their own");
        else
            send_json(rs, 200, me_json(st, a, &r));
    } else {
        int seen = 0, err = 0;
        for (int i = 0; i < r.nteams; i++)
            seen |= sees_team(a, r.teams[i]);
        if (!seen)
            srv_json_error(rs, 403, "forbidden", NULL,
                           "team results are for the teams' leads and people-ops");
        else if (waras_survey_round_state(&r, waras_survey_today()) != WARAS_ROUND_CLOSED)
            srv_json_error(rs, 409, "round_not_closed", NULL,
                           "team results are shown once the round has closed");
        else {
            json_t *doc = results_json(st, a, &r, &err);
            if (err)
                srv_json_error(rs, 500, "internal", NULL, "the results could not be built");
            else
                send_json(rs, 200, doc);
        }
    }
    waras_store_close(st);
}

/* --- pages --- */

static void scores_table(waras_buf *b, const waras_cbi_scores *sc)
{
    waras_buf_printf(b, "<table id=\"my-scores\"><thead><tr><th>scale</th><th>score "
                        "(0&ndash;100)</th></tr></thead><tbody>\n");
    for (int k = 0; k < WARAS_CBI_SCALES; k++) {
        if (sc->scale[k] < 0)
            waras_buf_printf(b, "<tr><td>%s</td><td class=\"muted\">too few answers</td></tr>\n",
                             scale_titles[k]);
        else
            waras_buf_printf(b,
                             "<tr><td>%s</td><td class=\"score\" data-scale=\"%s\">%.1f%s</td>"
                             "</tr>\n",
                             scale_titles[k], scale_keys[k], sc->scale[k],
                             waras_cbi_is_high(sc->scale[k]) ? " (high)" : "");
    }
    waras_buf_printf(b, "</tbody></table>\n");
}

static void trend_table(waras_buf *b, waras_store *st, const srv_auth *a)
{
    waras_survey_point *p = NULL;
    size_t n = 0;
    if (waras_survey_trend(&p, &n, st, a->user.person) || n == 0) {
        free(p);
        return;
    }
    waras_buf_printf(
        b,
        "<h2>Your trend across rounds</h2>\n<div class=\"scroll\"><table id=\"trend\"><thead><tr>"
        "<th>date</th><th>round</th><th>personal</th><th>work</th><th>client</th>"
        "</tr></thead><tbody>\n");
    for (size_t i = 0; i < n; i++) {
        char d[16];
        waras_date_format(d, sizeof(d), p[i].taken_on);
        waras_buf_printf(b, "<tr><td>%s</td><td>", d);
        if (p[i].round)
            waras_buf_printf(b, "%" PRId64, p[i].round);
        else
            waras_buf_printf(b, "imported");
        waras_buf_printf(b, "</td>");
        for (int k = 0; k < WARAS_CBI_SCALES; k++) {
            if (p[i].scores.scale[k] < 0)
                waras_buf_printf(b, "<td class=\"muted\">&ndash;</td>");
            else
                waras_buf_printf(b, "<td>%.1f</td>", p[i].scores.scale[k]);
        }
        waras_buf_printf(b, "</tr>\n");
    }
    waras_buf_printf(b, "</tbody></table></div>\n");
    free(p);
}

static void survey_form(waras_buf *b, const srv_auth *a, const waras_survey_round *r,
                        const int ans[WARAS_CBI_ITEMS])
{
    waras_buf_printf(b,
                     "<form method=\"post\" action=\"/survey\" id=\"survey-form\">"
                     "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                     "<input type=\"hidden\" name=\"round\" value=\"%" PRId64 "\">\n",
                     a->csrf, r->id);
    for (int i = 1; i <= WARAS_CBI_ITEMS; i++) {
        char *q = srv_html_escape(waras_cbi_item(i));
        const char *const *words = degree_item(i) ? degree_words : freq_words;
        if (i == 1 || i == 7 || i == 14)
            waras_buf_printf(b, "<h3>%s</h3>\n", scale_titles[i == 1 ? 0 : i == 7 ? 1 : 2]);
        waras_buf_printf(b, "<fieldset class=\"item\" id=\"item-q%d\"><legend>%d. %s</legend>", i,
                         i, q ? q : "");
        free(q);
        for (int k = 0; k < 5; k++)
            waras_buf_printf(
                b, "<label><input type=\"radio\" name=\"q%d\" value=\"%d\"%s> %s</label> ", i,
                k * 25, ans && ans[i - 1] == k * 25 ? " checked" : "", words[k]);
        waras_buf_printf(b, "</fieldset>\n");
    }
    waras_buf_printf(b, "<p><button type=\"submit\">Save my answers</button></p></form>\n");
}

static void results_table(waras_buf *b, waras_store *st, const srv_auth *a,
                          const waras_survey_round *r)
{
    int err;
    json_t *doc = results_json(st, a, r, &err);
    if (!doc)
        return;
    waras_buf_printf(b, "<h2>Team results</h2>\n<div class=\"scroll\"><table "
                        "id=\"results\"><thead><tr><th>team</th>"
                        "<th>respondents</th><th>personal</th><th>work</th><th>client</th>"
                        "</tr></thead><tbody>\n");
    size_t i;
    json_t *g;
    json_array_foreach(json_object_get(doc, "teams"), i, g)
    {
        char *team = srv_html_escape(json_string_value(json_object_get(g, "team")));
        json_t *w = json_object_get(g, "wellbeing");
        waras_buf_printf(b, "<tr><td>%s</td>", team ? team : "");
        free(team);
        if (json_is_object(w)) {
            waras_buf_printf(b, "<td>%d</td>",
                             (int)json_integer_value(json_object_get(w, "respondents")));
            for (int k = 0; k < WARAS_CBI_SCALES; k++) {
                json_t *v = json_object_get(w, scale_keys[k]);
                if (json_is_number(v))
                    waras_buf_printf(b, "<td>%.1f</td>", json_number_value(v));
                else
                    waras_buf_printf(b, "<td class=\"muted\">&ndash;</td>");
            }
        } else {
            char *why =
                srv_html_escape(json_string_value(json_object_get(g, "wellbeing_suppressed")));
            waras_buf_printf(b, "<td colspan=\"4\" class=\"muted\">not shown: %s</td>",
                             why ? why : "");
            free(why);
        }
        waras_buf_printf(b, "</tr>\n");
    }
    waras_buf_printf(b, "</tbody></table></div>\n");
    json_decref(doc);
}

/* The page, for the round asked for (or the newest of the asker's own). */
static void survey_page(srv_app *app, const srv_auth *a, srv_response *rs, long want,
                        const char *notice)
{
    waras_store *st;
    if (store_open(&st, app, rs))
        return;
    asker me;
    asker_get(&me, st, a);
    waras_survey_round *v = NULL;
    size_t n = 0;
    if (waras_survey_round_list(&v, &n, st)) {
        waras_store_close(st);
        srv_json_error(rs, 500, "internal", NULL, "the rounds could not be read");
        return;
    }
    waras_date today = waras_survey_today();
    waras_buf b;
    waras_buf_init(&b, 8 << 20);
    srv_html_head(&b, "Survey");
    srv_html_header_bar(&b, a);
    waras_buf_printf(&b, "<h1>Survey: the Copenhagen Burnout Inventory</h1>\n"
                         "<p class=\"muted\"><a href=\"/\">My weeks</a>");
    if (a->user.role == WARAS_ROLE_LEAD || a->user.role == WARAS_ROLE_PEOPLE_OPS)
        waras_buf_printf(&b, " &middot; <a href=\"/survey/open\">Open a round</a>");
    waras_buf_printf(&b, "</p>\n<p id=\"who-sees\">" WHO_SEES "</p>\n", min_group());
    if (notice)
        waras_buf_printf(&b, "<p id=\"notice\" class=\"notice\">%s</p>\n", notice);
    const waras_survey_round *cur = NULL;
    waras_buf_printf(&b, "<h2>Rounds</h2>\n<ul id=\"rounds\">\n");
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        if (!relevant(a, &me, &v[i]))
            continue;
        any = 1;
        int mine = me.own && waras_survey_round_has_team(&v[i], me.team);
        if ((want > 0 && v[i].id == want) ||
            (want <= 0 && !cur && mine &&
             waras_survey_round_state(&v[i], today) == WARAS_ROUND_OPEN))
            cur = &v[i];
        char o[16], c[16], teams[WARAS_SURVEY_MAX_TEAMS * 65] = "";
        waras_date_format(o, sizeof(o), v[i].opens);
        waras_date_format(c, sizeof(c), v[i].closes);
        for (int k = 0, used = 0; k < v[i].nteams; k++)
            used += snprintf(teams + used, sizeof(teams) - (size_t)used, "%s%s", k ? ", " : "",
                             v[i].teams[k]);
        char *et = srv_html_escape(teams);
        waras_buf_printf(&b,
                         "<li><a href=\"/survey?round=%" PRId64 "\">Round %" PRId64 "</a>: %s, "
                         "%s to %s (%s)</li>\n",
                         v[i].id, v[i].id, et ? et : "", o, c,
                         state_names[waras_survey_round_state(&v[i], today)]);
        free(et);
    }
    if (!any)
        waras_buf_printf(&b, "<li class=\"muted\">no round concerns you yet</li>\n");
    waras_buf_printf(&b, "</ul>\n");
    if (cur) {
        int state = waras_survey_round_state(cur, today);
        int mine = me.own && waras_survey_round_has_team(cur, me.team);
        char c[16];
        waras_date_format(c, sizeof(c), cur->closes);
        waras_buf_printf(&b, "<section id=\"round\"><h2>Round %" PRId64 " (%s, closes %s)</h2>\n",
                         cur->id, state_names[state], c);
        int ans[WARAS_CBI_ITEMS];
        waras_cbi_scores sc;
        int answered = mine && waras_survey_round_mine(ans, &sc, st, cur->id, a->user.person) == 0;
        if (answered) {
            waras_buf_printf(&b, "<h2>Your scores</h2>\n");
            scores_table(&b, &sc);
        }
        if (mine)
            trend_table(&b, st, a);
        if (mine && state == WARAS_ROUND_OPEN) {
            waras_buf_printf(&b, "<h2>%s</h2>\n",
                             answered ? "Change your answers" : "Your answers");
            survey_form(&b, a, cur, answered ? ans : NULL);
        } else if (mine && state == WARAS_ROUND_UPCOMING) {
            waras_buf_printf(&b, "<p>The round has not opened yet.</p>\n");
        }
        int sees = 0;
        for (int i = 0; i < cur->nteams; i++)
            sees |= sees_team(a, cur->teams[i]);
        if (sees && state == WARAS_ROUND_CLOSED)
            results_table(&b, st, a, cur);
        else if (sees)
            waras_buf_printf(&b, "<p class=\"muted\" id=\"results-later\">Team results are "
                                 "shown once the round has closed.</p>\n");
        waras_buf_printf(&b, "</section>\n");
    }
    free(v);
    waras_store_close(st);
    srv_html_finish(&b, rs, 200);
}

void srv_page_survey(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs)
{
    long want = 0;
    for (int i = 0; i < rq->nargs; i++)
        if (strcmp(rq->args[i].key, "round") != 0) {
            srv_json_error(rs, 400, "unknown_field", rq->args[i].key,
                           "unknown parameter: the page takes round");
            return;
        }
    const char *r = srv_arg(rq, "round");
    if (r && (waras_parse_long(r, &want) || want <= 0)) {
        srv_json_error(rs, 400, "bad_request", "round", "round is a round's number");
        return;
    }
    survey_page(app, a, rs, want, NULL);
}

/* POST /survey: the form's answers, then back to the round's page. */
void srv_page_survey_answer(srv_app *app, const srv_request *rq, const srv_auth *a,
                            srv_response *rs)
{
    /* The form's fields and no other: csrf, round, q1 ... q19. */
    static const char *const known[2 + WARAS_CBI_ITEMS] = {
        "csrf", "round", "q1",  "q2",  "q3",  "q4",  "q5",  "q6",  "q7",  "q8", "q9",
        "q10",  "q11",   "q12", "q13", "q14", "q15", "q16", "q17", "q18", "q19"};
    char v[32];
    long id;
    if (rq->nargs) {
        srv_json_error(rs, 400, "unknown_field", rq->args[0].key, "the form takes no parameter");
        return;
    }
    if (srv_form_check(rq, known, 2 + WARAS_CBI_ITEMS, rs))
        return;
    if (!srv_form_get(rq, "round", v, sizeof(v)) || waras_parse_long(v, &id) || id <= 0) {
        srv_json_error(rs, 400, "bad_request", "round", "round is a round's number");
        return;
    }
    int ans[WARAS_CBI_ITEMS];
    for (int i = 0; i < WARAS_CBI_ITEMS; i++) {
        char key[8];
        snprintf(key, sizeof(key), "q%d", i + 1);
        ans[i] = -1;
        if (srv_form_get(rq, key, v, sizeof(v)) && v[0] &&
            (waras_cbi_parse_answer(&ans[i], v) || ans[i] < 0)) {
            srv_json_error(rs, 400, "bad_request", key, "an answer is 0, 25, 50, 75 or 100");
            return;
        }
    }
    char rest[32];
    snprintf(rest, sizeof(rest), "%ld", id);
    waras_survey_round r;
    asker me;
    waras_store *st;
    if (round_load(&r, &me, &st, app, a, rest, rs))
        return;
    waras_cbi_scores sc;
    int rc = answer(&sc, st, a, &me, &r, ans, rs);
    waras_store_close(st);
    if (rc)
        return;
    char loc[64];
    snprintf(loc, sizeof(loc), "/survey?round=%ld", id);
    srv_add_header(rs, "Location", loc);
    srv_set_body(rs, 303, "text/plain; charset=utf-8", waras_strdup("saved\n"));
}

/* GET /survey/open: the form for leads and people-ops. */
void srv_page_survey_open(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs)
{
    (void)app;
    if (rq->nargs) {
        srv_json_error(rs, 400, "unknown_field", rq->args[0].key, "the page takes no parameter");
        return;
    }
    if (a->user.role != WARAS_ROLE_LEAD && a->user.role != WARAS_ROLE_PEOPLE_OPS) {
        srv_json_error(rs, 403, "forbidden", NULL, "leads and people-ops open survey rounds");
        return;
    }
    char today[16], later[16], teams[WARAS_AUTH_MAX_TEAMS * 65] = "";
    waras_date_format(today, sizeof(today), waras_survey_today());
    waras_date_format(later, sizeof(later), waras_date_add(waras_survey_today(), 13));
    for (int i = 0, used = 0; i < a->user.nteams; i++)
        used += snprintf(teams + used, sizeof(teams) - (size_t)used, "%s%s", i ? "," : "",
                         a->user.teams[i]);
    char *et = srv_html_escape(teams);
    waras_buf b;
    waras_buf_init(&b, 1 << 20);
    srv_html_head(&b, "Open a survey round");
    srv_html_header_bar(&b, a);
    waras_buf_printf(
        &b,
        "<h1>Open a survey round</h1>\n<p class=\"muted\"><a href=\"/survey\">Survey</a></p>\n"
        "<p>The people of these teams answer the 19 questions of the Copenhagen Burnout "
        "Inventory between the two dates. Each sees their own scores at once; you see only "
        "each team's averages, after the round closes, for teams where at least %d answered.</p>\n"
        "<form method=\"post\" action=\"/survey/open\" id=\"open-form\">"
        "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n"
        "<p><label>Teams (comma-separated) <input name=\"teams\" value=\"%s\" "
        "required></label></p>\n"
        "<p><label>Opens <input type=\"date\" name=\"opens\" value=\"%s\" required></label> "
        "<label>Closes <input type=\"date\" name=\"closes\" value=\"%s\" required></label></p>\n"
        "<p><button type=\"submit\">Open the round</button></p></form>\n",
        min_group(), a->csrf, et ? et : "", today, later);
    free(et);
    srv_html_finish(&b, rs, 200);
}

/* POST /survey/open: opens the round, then shows it. */
void srv_page_survey_open_run(srv_app *app, const srv_request *rq, const srv_auth *a,
                              srv_response *rs)
{
    static const char *const known[] = {"csrf", "teams", "opens", "closes"};
    if (srv_form_check(rq, known, 4, rs))
        return;
    open_req q = {0};
    char teams[WARAS_SURVEY_MAX_TEAMS * 65], o[16], c[16];
    if (!srv_form_get(rq, "teams", teams, sizeof(teams)) || teams_split(&q, teams, rs) < 0) {
        if (!rs->status)
            srv_json_error(rs, 400, "bad_request", "teams", "name the teams");
        return;
    }
    if (!srv_form_get(rq, "opens", o, sizeof(o)) || waras_date_parse(&q.opens, o) ||
        !srv_form_get(rq, "closes", c, sizeof(c)) || waras_date_parse(&q.closes, c)) {
        srv_json_error(rs, 400, "bad_request", "closes", "opens and closes are dates YYYY-MM-DD");
        return;
    }
    int64_t id = open_round(app, a, &q, rs);
    if (id < 0)
        return;
    char loc[64];
    snprintf(loc, sizeof(loc), "/survey?round=%" PRId64, id);
    srv_add_header(rs, "Location", loc);
    srv_set_body(rs, 303, "text/plain; charset=utf-8", waras_strdup("opened\n"));
}

/* --- OpenAPI --- */

static const char openapi_paths[] =
    "{\"/api/v1/surveys\": {"
    " \"get\": {\"summary\": \"the survey rounds that concern the asker: their team's, and "
    "the teams whose results they may see\", \"responses\": {\"200\": {\"description\": "
    "\"{surveys: [{id, teams, opens, closes, opened_by, state, yours, answered, url}]}\", "
    "\"content\": {\"application/json\": {\"schema\": {\"type\": \"object\"}}}}, "
    "\"401\": {\"$ref\": \"#/components/responses/Error\"}, \"403\": {\"$ref\": "
    "\"#/components/responses/Error\"}}},"
    " \"post\": {\"summary\": \"open a round: a lead for their own teams, people-ops for any "
    "team\", \"requestBody\": {\"required\": true, \"content\": {\"application/json\": "
    "{\"schema\": {\"type\": \"object\", \"additionalProperties\": false, \"required\": "
    "[\"teams\", \"closes\"], \"properties\": {\"teams\": {\"type\": \"array\", \"items\": "
    "{\"type\": \"string\"}, \"minItems\": 1, \"maxItems\": 16}, \"opens\": {\"type\": "
    "\"string\", \"format\": \"date\"}, \"closes\": {\"type\": \"string\", \"format\": "
    "\"date\"}}}}}}, \"responses\": {\"201\": {\"description\": \"the round, with Location\"}, "
    "\"400\": {\"$ref\": \"#/components/responses/Error\"}, \"401\": {\"$ref\": "
    "\"#/components/responses/Error\"}, \"403\": {\"$ref\": \"#/components/responses/Error\"}}}},"
    "\"/api/v1/surveys/{id}/response\": {"
    " \"put\": {\"summary\": \"one's own answers to the 19 items while the round is open "
    "(POST does the same)\", \"parameters\": [{\"name\": \"id\", \"in\": \"path\", "
    "\"required\": true, \"schema\": {\"type\": \"integer\"}}], \"requestBody\": {\"required\": "
    "true, \"content\": {\"application/json\": {\"schema\": {\"type\": \"object\", "
    "\"additionalProperties\": false, \"required\": [\"answers\"], \"properties\": "
    "{\"answers\": {\"type\": \"array\", \"minItems\": 19, \"maxItems\": 19, \"items\": "
    "{\"type\": [\"integer\", \"string\", \"null\"]}}}}}}}, \"responses\": {\"200\": "
    "{\"description\": \"as GET /api/v1/surveys/{id}/me\"}, \"400\": {\"$ref\": "
    "\"#/components/responses/Error\"}, \"403\": {\"$ref\": \"#/components/responses/Error\"}, "
    "\"404\": {\"$ref\": \"#/components/responses/Error\"}, \"409\": {\"$ref\": "
    "\"#/components/responses/Error\"}}}},"
    "\"/api/v1/surveys/{id}/me\": {"
    " \"get\": {\"summary\": \"one's own answers and scores in the round, and one's trend; "
    "only the person\", \"parameters\": [{\"name\": \"id\", \"in\": \"path\", \"required\": "
    "true, \"schema\": {\"type\": \"integer\"}}], \"responses\": {\"200\": {\"description\": "
    "\"{round, answered, answers, scores: {personal, work, client, level}, trend: [{date, "
    "round, personal, work, client, level}]}\", \"content\": {\"application/json\": "
    "{\"schema\": {\"type\": \"object\"}}}}, \"403\": {\"$ref\": "
    "\"#/components/responses/Error\"}, \"404\": {\"$ref\": \"#/components/responses/Error\"}}}},"
    "\"/api/v1/surveys/{id}/results\": {"
    " \"get\": {\"summary\": \"the round's team results, the protected aggregates, once the "
    "round has closed: for the teams' leads and people-ops\", \"parameters\": [{\"name\": "
    "\"id\", \"in\": \"path\", \"required\": true, \"schema\": {\"type\": \"integer\"}}], "
    "\"responses\": {\"200\": {\"description\": \"{round, closes, quarter, min_group, teams: "
    "[{team, wellbeing: {respondents, personal, work, client, high_work_share} | null, "
    "wellbeing_suppressed}]}\", \"content\": {\"application/json\": {\"schema\": {\"type\": "
    "\"object\"}}}}, \"403\": {\"$ref\": \"#/components/responses/Error\"}, \"404\": {\"$ref\": "
    "\"#/components/responses/Error\"}, \"409\": {\"$ref\": \"#/components/responses/Error\"}}}}}";

json_t *srv_survey_openapi_paths(void)
{
    return json_loads(openapi_paths, 0, NULL);
}
