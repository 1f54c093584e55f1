/*
 * The JSON API under /api/v1. GET /api/v1/report answers with exactly the
 * document of `waras report --format json --person ID [--self]` for the
 * same question (the same library call, waras_report_build and
 * waras_report_json), after the access rule has decided whether the asker
 * may see the person at all and whether it is their own view. Group
 * aggregates the asker's role may not see are replaced by null with a
 * reason, as every suppressed value is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "server.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/metrics.h"
#include "waras/report.h"
#include "waras/risk.h"
#include "waras/store.h"
#include "waras/time.h"

/* The cache key of a report question asked by a: the question (person or
 * team, the weeks, the own view), the week of today (the suggested plans
 * start the Monday after it) and the asking account with its role and
 * person, so that no entry is shared between askers whose view differs. */
static void cache_key(char *out, size_t size, const waras_report_opts *o, const srv_auth *a)
{
    waras_civil now;
    waras_epoch_to_civil(&now, waras_clock_now());
    waras_date monday = waras_date_monday((waras_date){now.year, now.month, now.day});
    int n = snprintf(out, size,
                     "%s\x1f%s\x1f%04d-%02d-%02d\x1f%04d-%02d-%02d\x1f%d\x1f%04d-%02d-%02d"
                     "\x1f%lld\x1f%d\x1f%s",
                     o->team ? "team" : "person",
                     o->team     ? o->team
                     : o->person ? o->person
                                 : "",
                     o->first_monday.year, o->first_monday.month, o->first_monday.day,
                     o->last_monday.year, o->last_monday.month, o->last_monday.day, o->self,
                     monday.year, monday.month, monday.day, (long long)a->user.id, (int)a->user.role, a->user.person);
    if (n < 0 || (size_t)n >= size)
        out[0] = '\0'; /* too long to key exactly: not cached */
}

/* The answer of a report: the visible document and a line end, kept in the
 * cache under key for the store's version. */
static void report_answer(srv_response *rs, const waras_report *r, const srv_auth *a,
                          srv_cache *cache, const char *key, int64_t version)
{
    char *doc = NULL;
    if (waras_auth_report_json(&doc, r, &a->user))
        doc = NULL;
    char *body = doc ? malloc(strlen(doc) + 2) : NULL;
    if (body) {
        size_t n = strlen(doc);
        memcpy(body, doc, n);
        body[n] = '\n';
        body[n + 1] = '\0';
        srv_cache_put(cache, key, version, body);
    }
    free(doc);
    srv_set_body(rs, 200, "application/json", body);
}

/* A team's report: every member's work data, so only for those the rule
 * lets see the team's work data in full (the team's lead). The document is
 * the one of `waras report --format json --team T`. */
static void team_report(srv_app *app, const srv_auth *a, srv_response *rs, const char *team,
                        const char *weeks_s, const char *to, long weeks)
{
    waras_store *st = NULL;
    waras_report *r = NULL;
    if (!*team) {
        srv_json_error(rs, 400, "bad_request", "team", "name a team: ?team=NAME");
        return;
    }
    if (weeks_s && (waras_parse_long(weeks_s, &weeks) || weeks < 1 || weeks > SRV_MAX_WEEKS)) {
        srv_json_error(rs, 400, "bad_request", "weeks", "weeks is a number from 1 to 104");
        return;
    }
    waras_report_opts o = {.team = team};
    if (srv_report_range(&o.first_monday, &o.last_monday, weeks, to)) {
        srv_json_error(rs, 400, "bad_request", "to", "to is a date YYYY-MM-DD, years 1900 to 2200");
        return;
    }
    if (waras_auth_report_question(&o, NULL, &a->user)) {
        srv_json_error(rs, 403, "forbidden", "team", waras_error_last()->message);
        return;
    }
    char key[512];
    int64_t version;
    cache_key(key, sizeof(key), &o, a);
    int builder;
    char *hit = srv_cache_get_once(app->cache, key, &version, &builder);
    if (hit) {
        srv_set_body(rs, 200, "application/json", hit);
        return;
    }
    waras_policy pol;
    waras_policy_default(&pol);
    o.policy = &pol;
    if (waras_store_open(&st, app->db, 0) || waras_report_build(&r, st, &o) ||
        waras_auth_report_suggest(r, st, &a->user, NULL, NULL))
        srv_json_error(rs, 500, "internal", NULL, "the report could not be built");
    else
        report_answer(rs, r, a, app->cache, key, version);
    if (builder)
        srv_cache_done(app->cache, key);
    waras_report_free(r);
    waras_store_close(st);
}

void srv_api_people(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs)
{
    waras_store *st = NULL;
    waras_person *all = NULL;
    size_t n = 0;
    if (rq->nargs) {
        srv_json_error(rs, 400, "unknown_field", rq->args[0].key,
                       "unknown parameter: the list of people takes none");
        return;
    }
    if (waras_store_open(&st, app->db, 0) || waras_store_people_list(&all, &n, st)) {
        srv_json_error(rs, 500, "internal", NULL, "the store cannot be read");
        waras_store_close(st);
        return;
    }
    waras_store_close(st);
    /* The people whose work data the asker may see, each with whether
     * their wellbeing is the asker's own. */
    json_t *people = json_array();
    for (size_t i = 0; people && i < n; i++) {
        waras_subject s = {all[i].id, all[i].team};
        if (waras_access_decide(&a->user, WARAS_DATA_WORK, &s) != WARAS_ACCESS_ALLOWED)
            continue;
        json_array_append_new(people, json_pack("{s:s,s:s,s:s,s:b}", "id", all[i].id, "name",
                                                all[i].name, "team", all[i].team, "self",
                                                strcmp(all[i].id, a->user.person) == 0));
    }
    free(all);
    json_t *o = json_pack("{s:o}", "people", people);
    char *doc = o ? json_dumps(o, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    srv_set_body(rs, 200, "application/json", doc);
}

/* GET /api/v1/report and /api/v1/risk: one document (`waras risk --format
 * json` is `waras report --format json`), 8 or 4 weeks by default. */
static void report(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs,
                   long weeks)
{
    static const char *const known[] = {"person", "weeks", "to", "team"};
    waras_store *st = NULL;
    waras_report *r = NULL;
    char key[512];
    int builder = 0;
    for (int i = 0; i < rq->nargs; i++) {
        int ok = 0;
        for (size_t k = 0; k < 4; k++)
            ok |= strcmp(rq->args[i].key, known[k]) == 0;
        if (!ok) {
            srv_json_error(rs, 400, "unknown_field", rq->args[i].key,
                           "unknown parameter: the report takes person or team, weeks and to");
            return;
        }
        for (int j = 0; j < i; j++)
            if (strcmp(rq->args[i].key, rq->args[j].key) == 0) {
                srv_json_error(rs, 400, "bad_request", rq->args[i].key,
                               "the parameter is given twice");
                return;
            }
    }
    const char *person = srv_arg(rq, "person"), *weeks_s = srv_arg(rq, "weeks"),
               *to = srv_arg(rq, "to"), *team = srv_arg(rq, "team");
    if (team && person) {
        srv_json_error(rs, 400, "bad_request", "team", "ask for a person or a team, not both");
        return;
    }
    if (team) {
        team_report(app, a, rs, team, weeks_s, to, weeks);
        return;
    }
    if (!person)
        person = a->user.person;
    if (!person || !*person) {
        srv_json_error(rs, 400, "bad_request", "person", "name a person: ?person=ID");
        return;
    }
    if (weeks_s && (waras_parse_long(weeks_s, &weeks) || weeks < 1 || weeks > SRV_MAX_WEEKS)) {
        srv_json_error(rs, 400, "bad_request", "weeks", "weeks is a number from 1 to 104");
        return;
    }
    waras_report_opts o = {.person = person};
    if (srv_report_range(&o.first_monday, &o.last_monday, weeks, to)) {
        srv_json_error(rs, 400, "bad_request", "to", "to is a date YYYY-MM-DD, years 1900 to 2200");
        return;
    }
    if (waras_store_open(&st, app->db, 0)) {
        srv_json_error(rs, 500, "internal", NULL, "the store cannot be opened");
        return;
    }
    /* The rule decides whether the asker may ask and whether it is their
     * own view (the library call of `waras report --as`). */
    int rc = waras_auth_report_question(&o, st, &a->user);
    if (rc) {
        if (rc == WARAS_EDENIED)
            srv_json_error(rs, 403, "forbidden", "person", "you may not see this person's data");
        else
            srv_json_error(rs, 500, "internal", NULL, "the store cannot be read");
        goto cleanup;
    }
    waras_policy pol;
    waras_policy_default(&pol);
    o.policy = &pol;
    int64_t version;
    cache_key(key, sizeof(key), &o, a);
    char *hit = srv_cache_get_once(app->cache, key, &version, &builder);
    if (hit) {
        srv_set_body(rs, 200, "application/json", hit);
        goto cleanup;
    }
    /* With the suggestions the asker may see, as `waras report --as`. */
    if (waras_report_build(&r, st, &o) || waras_auth_report_suggest(r, st, &a->user, NULL, NULL)) {
        srv_json_error(rs, 500, "internal", NULL, "the report could not be built");
        goto cleanup;
    }
    report_answer(rs, r, a, app->cache, key, version);
cleanup:
    if (builder)
        srv_cache_done(app->cache, key);
    waras_report_free(r);
    waras_store_close(st);
}

void srv_api_report(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs)
{
    report(app, rq, a, rs, 8);
}

void srv_api_risk(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs)
{
    report(app, rq, a, rs, 4);
}

static const char openapi[] =
    "{\n"
    " \"openapi\": \"3.1.0\",\n"
    " \"info\": {\"title\": \"waras\", \"version\": \"1\",\n"
    "  \"description\": \"Workload and burnout risk of the people who run always-on systems. "
    "Who may see what is decided by one access rule (docs/service.md).\"},\n"
    " \"components\": {\n"
    "  \"securitySchemes\": {\n"
    "   \"bearer\": {\"type\": \"http\", \"scheme\": \"bearer\", \"description\": \"an API token "
    "from 'waras token create'\"},\n"
    "   \"session\": {\"type\": \"apiKey\", \"in\": \"cookie\", \"name\": \"waras_session\"}},\n"
    "  \"schemas\": {\n"
    "   \"Error\": {\"type\": \"object\", \"required\": [\"error\"], \"properties\": {\"error\": "
    "{\"type\": \"object\", \"required\": [\"code\", \"message\"], \"properties\": {\"code\": "
    "{\"type\": \"string\"}, \"message\": {\"type\": \"string\"}, \"field\": {\"type\": "
    "[\"string\", \"null\"]}}}}},\n"
    "   \"Report\": {\"type\": \"object\", \"description\": \"the document of 'waras report "
    "--format json' (docs/report-schema.md)\", \"required\": [\"people\", \"teams\", "
    "\"min_group\"]}},\n"
    "  \"responses\": {\n"
    "   \"Error\": {\"description\": \"an error\", \"content\": {\"application/json\": "
    "{\"schema\": {\"$ref\": \"#/components/schemas/Error\"}}}}}},\n"
    " \"security\": [{\"bearer\": []}, {\"session\": []}],\n"
    " \"paths\": {\n"
    "  \"/api/v1/report\": {\"get\": {\n"
    "   \"summary\": \"weekly metrics and load risk of one person (with their wellbeing in their "
    "own view) or of a team\",\n"
    "   \"parameters\": [\n"
    "    {\"name\": \"person\", \"in\": \"query\", \"schema\": {\"type\": \"string\"}, "
    "\"description\": \"person id (default: the asker)\"},\n"
    "    {\"name\": \"team\", \"in\": \"query\", \"schema\": {\"type\": \"string\"}, "
    "\"description\": \"instead of person: every member of a team the asker leads, as "
    "'waras report --team'\"},\n"
    "    {\"name\": \"weeks\", \"in\": \"query\", \"schema\": {\"type\": \"integer\", "
    "\"minimum\": 1, \"maximum\": 104, \"default\": 8}},\n"
    "    {\"name\": \"to\", \"in\": \"query\", \"schema\": {\"type\": \"string\", \"format\": "
    "\"date\"}, \"description\": \"the report ends with the last complete week before this "
    "day (default today)\"}],\n"
    "   \"responses\": {\n"
    "    \"200\": {\"description\": \"the report\", \"content\": {\"application/json\": "
    "{\"schema\": {\"$ref\": \"#/components/schemas/Report\"}}}},\n"
    "    \"400\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "    \"401\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "    \"403\": {\"$ref\": \"#/components/responses/Error\"}}}},\n"
    "  \"/api/v1/people\": {\"get\": {\"summary\": \"the people whose work data the asker "
    "may see\",\n"
    "   \"responses\": {\"200\": {\"description\": \"people\", \"content\": "
    "{\"application/json\": {\"schema\": {\"type\": \"object\", \"properties\": "
    "{\"people\": {\"type\": \"array\", \"items\": {\"type\": \"object\", \"properties\": "
    "{\"id\": {\"type\": \"string\"}, \"name\": {\"type\": \"string\"}, \"team\": "
    "{\"type\": \"string\"}, \"self\": {\"type\": \"boolean\"}}}}}}}}},\n"
    "    \"400\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "    \"401\": {\"$ref\": \"#/components/responses/Error\"}}}},\n"
    "  \"/api/v1/plans/oncall\": {\"post\": {\"summary\": \"plan and record a team's on-call "
    "rota, as 'waras oncall plan' (only the team's lead; the engine's budget is capped at "
    "200000 iterations and 2 s)\",\n"
    "   \"parameters\": [{\"name\": \"X-CSRF-Token\", \"in\": \"header\", \"schema\": "
    "{\"type\": \"string\"}, \"description\": \"with a session (not with an API token)\"}],\n"
    "   \"requestBody\": {\"required\": true, \"content\": {\"application/json\": {\"schema\": "
    "{\"type\": \"object\", \"additionalProperties\": false, \"required\": [\"team\", \"from\", "
    "\"weeks\"], \"properties\": {\"team\": {\"type\": \"string\"}, \"from\": {\"type\": "
    "\"string\", \"format\": \"date\"}, \"weeks\": {\"type\": \"integer\", \"minimum\": 1, "
    "\"maximum\": 26}, \"shape\": {\"enum\": [\"weekly\", \"daily\", \"follow-the-sun\"], "
    "\"default\": \"weekly\"}, \"roles\": {\"type\": \"array\", \"minItems\": 1, \"maxItems\": 4, "
    "\"items\": {\"type\": \"string\", \"pattern\": \"^[A-Za-z0-9_-]{1,31}$\"}, \"default\": "
    "[\"primary\"]}, \"max_share\": {\"type\": \"number\", \"exclusiveMinimum\": 0, \"maximum\": "
    "1, \"default\": 0.25}}}}}},\n"
    "   \"responses\": {\n"
    "    \"201\": {\"description\": \"planned and recorded: the document of 'waras oncall plan "
    "--out FILE.json' with id and ics\", \"content\": {\"application/json\": {\"schema\": "
    "{\"type\": \"object\"}}}},\n"
    "    \"422\": {\"description\": \"no valid rota: feasible false and why\", \"content\": "
    "{\"application/json\": {\"schema\": {\"type\": \"object\"}}}},\n"
    "    \"400\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "    \"401\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "    \"403\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "    \"415\": {\"$ref\": \"#/components/responses/Error\"}}}},\n"
    "  \"/api/v1/plans\": {\"get\": {\"summary\": \"a team's recorded plans of a kind (its "
    "lead and its people)\",\n"
    "   \"parameters\": [\n"
    "    {\"name\": \"kind\", \"in\": \"query\", \"schema\": {\"enum\": [\"oncall\", "
    "\"quiet\", \"recovery\"], \"default\": \"oncall\"}},\n"
    "    {\"name\": \"team\", \"in\": \"query\", \"required\": true, \"schema\": {\"type\": "
    "\"string\"}}],\n"
    "   \"responses\": {\"200\": {\"description\": \"plans, newest first\", \"content\": "
    "{\"application/json\": {\"schema\": {\"type\": \"object\", \"properties\": {\"plans\": "
    "{\"type\": \"array\", \"items\": {\"type\": \"object\"}}}}}}},\n"
    "    \"400\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "    \"401\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "    \"403\": {\"$ref\": \"#/components/responses/Error\"}}}},\n"
    "  \"/api/v1/plans/{id}\": {\"get\": {\"summary\": \"one recorded plan: every turn (or, "
    "for a quiet or recovery plan, every assignment) for the team's lead, only one's own for "
    "its people (visible: team or own)\",\n"
    "   \"parameters\": [{\"name\": \"id\", \"in\": \"path\", \"required\": true, \"schema\": "
    "{\"type\": \"integer\"}}],\n"
    "   \"responses\": {\"200\": {\"description\": \"the plan\", \"content\": "
    "{\"application/json\": {\"schema\": {\"type\": \"object\"}}}},\n"
    "    \"401\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "    \"404\": {\"$ref\": \"#/components/responses/Error\"}}}},\n"
    "  \"/api/v1/plans/{id}.ics\": {\"get\": {\"summary\": \"the same turns as iCalendar "
    "(RFC 5545)\",\n"
    "   \"parameters\": [{\"name\": \"id\", \"in\": \"path\", \"required\": true, \"schema\": "
    "{\"type\": \"integer\"}}],\n"
    "   \"responses\": {\"200\": {\"description\": \"iCalendar\", \"content\": "
    "{\"text/calendar\": {\"schema\": {\"type\": \"string\"}}}},\n"
    "    \"401\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "    \"404\": {\"$ref\": \"#/components/responses/Error\"}}}},\n"
    "  \"/cal/{token}.ics\": {\"get\": {\"summary\": \"a calendar subscription (made on the "
    "/calendar page): the user's own on-call turns, quiet weeks and leave, and a lead's "
    "teams' on-call turns, as iCalendar; the secret in the path is the only credential\", "
    "\"security\": [],\n"
    "   \"parameters\": [{\"name\": \"token\", \"in\": \"path\", \"required\": true, "
    "\"schema\": {\"type\": \"string\", \"pattern\": \"^wrc_[0-9a-f]{64}$\"}}],\n"
    "   \"responses\": {\"200\": {\"description\": \"iCalendar (RFC 5545)\", \"content\": "
    "{\"text/calendar\": {\"schema\": {\"type\": \"string\"}}}},\n"
    "    \"404\": {\"$ref\": \"#/components/responses/Error\"}}}},\n"
    "  \"/api/v1/org\": {\"get\": {\"summary\": \"team and organisation aggregates: load "
    "(people, mean worked and on-call hours per person-week, after-hours share, people at each "
    "load risk level in the last week) and protected wellbeing; never a person's row. "
    "People-ops see every team, a lead their own teams; both the organisation. Load of fewer "
    "than min_group people is null with load_suppressed\",\n"
    "   \"parameters\": [\n"
    "    {\"name\": \"weeks\", \"in\": \"query\", \"schema\": {\"type\": \"integer\", "
    "\"minimum\": 1, \"maximum\": 104, \"default\": 8}},\n"
    "    {\"name\": \"to\", \"in\": \"query\", \"schema\": {\"type\": \"string\", \"format\": "
    "\"date\"}}],\n"
    "   \"responses\": {\"200\": {\"description\": \"the view\", \"content\": "
    "{\"application/json\": {\"schema\": {\"type\": \"object\", \"required\": [\"teams\", "
    "\"organisation\", \"min_group\"], \"properties\": {\"from\": {\"type\": \"string\"}, "
    "\"to\": {\"type\": \"string\"}, \"weeks\": {\"type\": \"integer\"}, \"min_group\": "
    "{\"type\": \"integer\"}, \"survey_round\": {\"type\": [\"string\", \"null\"]}, \"teams\": "
    "{\"type\": \"array\", \"items\": {\"type\": \"object\", \"additionalProperties\": false, "
    "\"properties\": {\"team\": {\"type\": \"string\"}, \"people\": {\"type\": \"integer\"}, "
    "\"load\": {\"type\": [\"object\", \"null\"]}, \"load_suppressed\": {\"type\": "
    "\"string\"}, \"wellbeing\": {\"type\": [\"object\", \"null\"]}, "
    "\"wellbeing_suppressed\": {\"type\": \"string\"}, \"wellbeing_respondents\": {\"type\": "
    "[\"integer\", \"null\"]}}}}, \"organisation\": {\"type\": \"object\"}}}}}},\n"
    "    \"400\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "    \"401\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "    \"403\": {\"$ref\": \"#/components/responses/Error\"}}}},\n"
    "  \"/api/v1/health\": {\"get\": {\"summary\": \"liveness\", \"security\": [],\n"
    "   \"responses\": {\"200\": {\"description\": \"the service runs\", \"content\": "
    "{\"application/json\": {\"schema\": {\"type\": \"object\"}}}}}}},\n"
    "  \"/api/v1/openapi.json\": {\"get\": {\"summary\": \"this document\", \"security\": [],\n"
    "   \"responses\": {\"200\": {\"description\": \"OpenAPI 3.1\", \"content\": "
    "{\"application/json\": {\"schema\": {\"type\": \"object\"}}}}}}},\n"
    "  \"/login\": {\"post\": {\"summary\": \"sign in; sets the waras_session cookie\", "
    "\"security\": [],\n"
    "   \"requestBody\": {\"required\": true, \"content\": {\"application/json\": {\"schema\": "
    "{\"type\": \"object\", \"additionalProperties\": false, \"required\": [\"login\", "
    "\"password\", \"csrf\"], \"properties\": {\"login\": {\"type\": \"string\"}, "
    "\"password\": {\"type\": \"string\"}, \"csrf\": {\"type\": \"string\", \"description\": "
    "\"the waras_login cookie set by GET /login\"}}}}}},\n"
    "   \"responses\": {\n"
    "    \"200\": {\"description\": \"signed in (JSON body)\", \"content\": "
    "{\"application/json\": {\"schema\": {\"type\": \"object\", \"properties\": {\"login\": "
    "{\"type\": \"string\"}, \"role\": {\"type\": \"string\"}, \"csrf\": {\"type\": "
    "\"string\"}}}}}},\n"
    "    \"303\": {\"description\": \"signed in (form body): to /\"},\n"
    "    \"401\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "    \"403\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "    \"413\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "    \"429\": {\"$ref\": \"#/components/responses/Error\"}}}},\n"
    "  \"/logout\": {\"post\": {\"summary\": \"sign out (needs the session's CSRF token)\",\n"
    "   \"security\": [{\"session\": []}],\n"
    "   \"parameters\": [{\"name\": \"X-CSRF-Token\", \"in\": \"header\", \"schema\": "
    "{\"type\": \"string\"}}],\n"
    "   \"responses\": {\"303\": {\"description\": \"signed out: to /login\"},\n"
    "    \"401\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "    \"403\": {\"$ref\": \"#/components/responses/Error\"}}}}\n"
    " }\n"
    "}\n";

void srv_api_openapi(srv_response *rs)
{
    /* The survey's paths come from survey.c, beside their handlers. */
    json_t *doc = json_loads(openapi, 0, NULL), *more = srv_survey_openapi_paths();
    json_object_update(json_object_get(doc, "paths"), more);
    json_decref(more);
    more = srv_remedies_openapi_paths();
    json_object_update(json_object_get(doc, "paths"), more);
    json_decref(more);
    more = srv_views_openapi_paths();
    json_object_update(json_object_get(doc, "paths"), more);
    json_decref(more);
    /* Ingest uploads, users and tokens: admin.c. */
    more = srv_admin_openapi_paths();
    json_object_update(json_object_get(doc, "paths"), more);
    json_decref(more);
    char *text = doc ? json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(doc);
    srv_set_body(rs, 200, "application/json", text ? text : waras_strdup(openapi));
}
