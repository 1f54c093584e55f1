/*
 * Policy checks and activity counts through the service. GET /api/v1/check
 * answers the document of `waras check --format json` and GET
 * /api/v1/activity that of `waras activity --format json`, both through the
 * library's views (waras_auth_check_run, waras_auth_activity_count), which
 * apply the access rule to the question and to every row: the CLI's
 * `--as LOGIN` calls the same functions. The /check page shows the same
 * violations as a table, with a form for the preset, team and weeks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "server.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/store.h"
#include "waras/time.h"

#define CHECK_DEFAULT_WEEKS 13

/* Every parameter is one of known and given once; 0 or an error in rs. */
static int args_check(const srv_request *rq, const char *const *known, int nknown,
                      const char *what, srv_response *rs)
{
    for (int i = 0; i < rq->nargs; i++) {
        int ok = 0;
        for (int k = 0; k < nknown; k++)
            ok |= strcmp(rq->args[i].key, known[k]) == 0;
        if (!ok) {
            srv_json_error(rs, 400, "unknown_field", rq->args[i].key, what);
            return -1;
        }
        for (int j = 0; j < i; j++)
            if (strcmp(rq->args[i].key, rq->args[j].key) == 0) {
                srv_json_error(rs, 400, "bad_request", rq->args[i].key,
                               "the parameter is given twice");
                return -1;
            }
    }
    return 0;
}

static int date_arg(waras_date *out, const srv_request *rq, const char *key, srv_response *rs)
{
    const char *v = srv_arg(rq, key);
    if (!v)
        return 0;
    if (waras_date_parse(out, v)) {
        char msg[64];
        snprintf(msg, sizeof(msg), "%s is a date YYYY-MM-DD, years 1900 to 2200", key);
        srv_json_error(rs, 400, "bad_request", key, msg);
        return -1;
    }
    return 1;
}

/* The question of a check, read as `waras check` reads its options: whole
 * ISO weeks from from's week (or weeks back) to the last complete week
 * before to (default today by the library's clock). */
typedef struct check_q {
    const char *preset, *team;
    waras_date first_monday, last_monday;
} check_q;

static int check_question(check_q *q, const srv_request *rq, srv_response *rs)
{
    static const char *const known[] = {"preset", "team", "from", "to", "weeks"};
    long weeks = CHECK_DEFAULT_WEEKS;
    waras_date today, from;
    int has_from;
    if (args_check(rq, known, 5, "unknown parameter: a check takes preset, team, from, to and weeks",
                   rs))
        return -1;
    q->preset = srv_arg(rq, "preset");
    q->team = srv_arg(rq, "team");
    if (q->team && !*q->team)
        q->team = NULL;
    int known_preset = 0;
    for (int i = 0; q->preset && waras_check_presets[i]; i++)
        known_preset |= strcmp(q->preset, waras_check_presets[i]) == 0;
    if (!known_preset) {
        srv_json_error(rs, 400, "bad_request", "preset", "preset is sre, eu-wtd, id-pp35 or who-55");
        return -1;
    }
    const char *w = srv_arg(rq, "weeks");
    if (w && (waras_parse_long(w, &weeks) || weeks < 1 || weeks > SRV_MAX_WEEKS)) {
        srv_json_error(rs, 400, "bad_request", "weeks", "weeks is a number from 1 to 104");
        return -1;
    }
    waras_civil c;
    waras_epoch_to_civil(&c, waras_clock_now());
    today = (waras_date){c.year, c.month, c.day};
    if (date_arg(&today, rq, "to", rs) < 0 || (has_from = date_arg(&from, rq, "from", rs)) < 0)
        return -1;
    q->last_monday = waras_date_add(waras_date_monday(today), -7);
    q->first_monday = has_from ? waras_date_monday(from)
                               : waras_date_add(q->last_monday, -7 * (weeks - 1));
    if (waras_date_cmp(q->first_monday, q->last_monday) > 0 ||
        waras_date_diff(q->last_monday, q->first_monday) > 7 * (SRV_MAX_WEEKS - 1)) {
        srv_json_error(rs, 400, "bad_request", "from",
                       "the range holds no complete week, or more than 104");
        return -1;
    }
    return 0;
}

/* Runs the check as the asker may see it; 0, or an error answered in rs. */
static int check_run(waras_check_result *r, srv_app *app, const srv_auth *a, const check_q *q,
                     srv_response *rs)
{
    waras_store *st = NULL;
    if (waras_store_open(&st, app->db, 0)) {
        srv_json_error(rs, 500, "internal", NULL, "the store cannot be opened");
        return -1;
    }
    int rc = waras_auth_check_run(r, st, &a->user, q->preset, q->team, q->first_monday,
                                  q->last_monday);
    waras_store_close(st);
    if (rc == WARAS_EDENIED)
        srv_json_error(rs, 403, "forbidden", q->team ? "team" : NULL,
                       waras_error_last()->message);
    else if (rc)
        srv_json_error(rs, 500, "internal", NULL, "the check could not be run");
    return rc ? -1 : 0;
}

void srv_api_check(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs)
{
    check_q q;
    waras_check_result r;
    char *doc = NULL;
    if (check_question(&q, rq, rs) || check_run(&r, app, a, &q, rs))
        return;
    if (waras_auth_check_json(&doc, &r, q.preset, q.first_monday, q.last_monday))
        srv_json_error(rs, 500, "internal", NULL, "out of memory");
    else
        srv_set_body(rs, 200, "application/json", doc);
    waras_check_result_free(&r);
}

static void esc(waras_buf *b, const char *fmt, const char *s)
{
    char *e = srv_html_escape(s ? s : "");
    waras_buf_printf(b, fmt, e ? e : "");
    free(e);
}

void srv_page_check(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs)
{
    check_q q;
    waras_check_result r;
    waras_buf b;
    srv_request with_preset;
    /* The page's default preset, when the form has not named one yet. */
    if (!srv_arg(rq, "preset") && rq->nargs < SRV_MAX_ARGS) {
        with_preset = *rq;
        with_preset.args[with_preset.nargs++] = (srv_kv){"preset", "eu-wtd"};
        rq = &with_preset;
    }
    if (check_question(&q, rq, rs) || check_run(&r, app, a, &q, rs))
        return;
    char a1[16], a2[16];
    waras_date_format(a1, sizeof(a1), q.first_monday);
    waras_date_format(a2, sizeof(a2), waras_date_add(q.last_monday, 6));
    waras_buf_init(&b, 8 << 20);
    srv_html_head(&b, "Policy check");
    srv_html_header_bar(&b, a);
    waras_buf_printf(&b, "<h1>Policy check</h1>\n<p class=\"muted\"><a href=\"/\">My weeks</a>"
                         "</p>\n<form class=\"card\" id=\"check-form\" method=\"get\" "
                         "action=\"/check\">\n<label for=\"preset\">Preset</label>"
                         "<select id=\"preset\" name=\"preset\">");
    for (int i = 0; waras_check_presets[i]; i++)
        waras_buf_printf(&b, "<option%s>%s</option>",
                         strcmp(waras_check_presets[i], q.preset) == 0 ? " selected" : "",
                         waras_check_presets[i]);
    waras_buf_printf(&b, "</select>\n<label for=\"team\">Team (empty: every team you may see)"
                         "</label>");
    esc(&b, "<input type=\"text\" id=\"team\" name=\"team\" value=\"%s\">\n",
        q.team ? q.team : "");
    /* The range asked for stays with the form. */
    static const char *const kept[] = {"from", "to", "weeks"};
    for (int i = 0; i < 3; i++) {
        const char *v = srv_arg(rq, kept[i]);
        if (v) {
            waras_buf_printf(&b, "<input type=\"hidden\" name=\"%s\" ", kept[i]);
            esc(&b, "value=\"%s\">\n", v);
        }
    }
    waras_buf_printf(&b, "<p><button type=\"submit\" id=\"run-check\">Check</button></p>\n"
                         "</form>\n");
    waras_buf_printf(&b,
                     "<p id=\"summary\">Preset %s, %s to %s: %zu violation%s you may see, of %d "
                     "people checked.</p>\n",
                     q.preset, a1, a2, r.n, r.n == 1 ? "" : "s", r.people);
    if (r.n) {
        waras_buf_printf(&b, "<div class=\"scroll\"><table id=\"violations\"><thead><tr>"
                             "<th>rule</th><th>person or team</th><th>when</th><th>detail</th>"
                             "<th>source</th></tr></thead><tbody>\n");
        for (size_t i = 0; i < r.n; i++) {
            const waras_violation *v = &r.v[i];
            esc(&b, "<tr><td>%s</td>", v->rule);
            esc(&b, "<td>%s</td>", v->person[0] ? v->person : v->team);
            esc(&b, "<td>%s</td>", v->when);
            esc(&b, "<td class=\"reasons\">%s</td>", v->detail);
            esc(&b, "<td class=\"reasons\">%s</td></tr>\n", v->source);
        }
        waras_buf_printf(&b, "</tbody></table></div>\n");
    } else {
        waras_buf_printf(&b, "<p class=\"card\" id=\"noviolations\">No violation.</p>\n");
    }
    if (r.notes[0])
        esc(&b, "<p class=\"muted\" id=\"notes\">Not checked: %s</p>\n", r.notes);
    waras_check_result_free(&r);
    srv_html_finish(&b, rs, 200);
}

void srv_api_activity(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs)
{
    static const char *const known[] = {"source", "by", "from", "to", "hours"};
    waras_activity_opts o = {0};
    waras_store *st = NULL;
    waras_activity_row *rows = NULL;
    size_t n = 0;
    char *doc = NULL;
    if (args_check(rq, known, 5,
                   "unknown parameter: activity takes source, by, from, to and hours", rs))
        return;
    const char *source = srv_arg(rq, "source"), *by = srv_arg(rq, "by"),
               *hours = srv_arg(rq, "hours"), *from = srv_arg(rq, "from"), *to = srv_arg(rq, "to");
    if (source && strcmp(source, "git") == 0)
        o.source = WARAS_ACTIVITY_GIT;
    else if (source && strcmp(source, "pages") == 0)
        o.source = WARAS_ACTIVITY_PAGES;
    else if (source && strcmp(source, "meetings") == 0)
        o.source = WARAS_ACTIVITY_MEETINGS;
    else {
        srv_json_error(rs, 400, "bad_request", "source", "source is git, pages or meetings");
        return;
    }
    if (by && strcmp(by, "person") && strcmp(by, "team")) {
        srv_json_error(rs, 400, "bad_request", "by", "by is person or team");
        return;
    }
    if (hours && strcmp(hours, "fixed") && strcmp(hours, "own")) {
        srv_json_error(rs, 400, "bad_request", "hours", "hours is fixed or own");
        return;
    }
    o.by_team = by && strcmp(by, "team") == 0;
    o.own_hours = hours && strcmp(hours, "own") == 0;
    if ((o.has_from = date_arg(&o.from_day, rq, "from", rs)) < 0 ||
        (o.has_to = date_arg(&o.to_day, rq, "to", rs)) < 0)
        return;
    if (o.has_from && o.has_to && waras_date_cmp(o.to_day, o.from_day) <= 0) {
        srv_json_error(rs, 400, "bad_request", "to", "to must be after from");
        return;
    }
    if (waras_store_open(&st, app->db, 0)) {
        srv_json_error(rs, 500, "internal", NULL, "the store cannot be opened");
        return;
    }
    int rc = waras_auth_activity_count(&rows, &n, st, &a->user, &o);
    waras_store_close(st);
    if (rc == WARAS_EDENIED)
        srv_json_error(rs, 403, "forbidden", NULL, waras_error_last()->message);
    else if (rc)
        srv_json_error(rs, 500, "internal", NULL, "the activity could not be counted");
    else if (waras_auth_activity_json(&doc, &o, from, to, rows, n))
        srv_json_error(rs, 500, "internal", NULL, "out of memory");
    else
        srv_set_body(rs, 200, "application/json", doc);
    free(rows);
}

static const char openapi_paths[] =
    "{\"/api/v1/check\": {\"get\": {\"summary\": \"what happened, checked against a preset of "
    "rules: the document of 'waras check --format json', with only the violations the access "
    "rule shows the asker (a person's own; a lead's teams' people; team-level rules of a team "
    "seen at least as aggregates, so people-ops sees those and no person's). Admins get "
    "403\",\n"
    " \"parameters\": [\n"
    "  {\"name\": \"preset\", \"in\": \"query\", \"required\": true, \"schema\": {\"enum\": "
    "[\"sre\", \"eu-wtd\", \"id-pp35\", \"who-55\"]}},\n"
    "  {\"name\": \"team\", \"in\": \"query\", \"schema\": {\"type\": \"string\"}},\n"
    "  {\"name\": \"from\", \"in\": \"query\", \"schema\": {\"type\": \"string\", \"format\": "
    "\"date\"}},\n"
    "  {\"name\": \"to\", \"in\": \"query\", \"schema\": {\"type\": \"string\", \"format\": "
    "\"date\"}},\n"
    "  {\"name\": \"weeks\", \"in\": \"query\", \"schema\": {\"type\": \"integer\", \"minimum\": "
    "1, \"maximum\": 104, \"default\": 13}}],\n"
    " \"responses\": {\"200\": {\"description\": \"the check\", \"content\": "
    "{\"application/json\": {\"schema\": {\"type\": \"object\", \"required\": [\"policy\", "
    "\"from\", \"to\", \"people\", \"violations\", \"notes\"]}}}},\n"
    "  \"400\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "  \"401\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "  \"403\": {\"$ref\": \"#/components/responses/Error\"}}}},\n"
    " \"/api/v1/risk\": {\"get\": {\"summary\": \"the load risk: the same document and rule as "
    "/api/v1/report ('waras risk --format json' is 'waras report --format json'), 4 weeks by "
    "default\",\n"
    " \"parameters\": [\n"
    "  {\"name\": \"person\", \"in\": \"query\", \"schema\": {\"type\": \"string\"}},\n"
    "  {\"name\": \"team\", \"in\": \"query\", \"schema\": {\"type\": \"string\"}},\n"
    "  {\"name\": \"weeks\", \"in\": \"query\", \"schema\": {\"type\": \"integer\", \"minimum\": "
    "1, \"maximum\": 104, \"default\": 4}},\n"
    "  {\"name\": \"to\", \"in\": \"query\", \"schema\": {\"type\": \"string\", \"format\": "
    "\"date\"}}],\n"
    " \"responses\": {\"200\": {\"description\": \"the report\", \"content\": "
    "{\"application/json\": {\"schema\": {\"$ref\": \"#/components/schemas/Report\"}}}},\n"
    "  \"400\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "  \"401\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "  \"403\": {\"$ref\": \"#/components/responses/Error\"}}}},\n"
    " \"/api/v1/activity\": {\"get\": {\"summary\": \"activity by business, off and sleep hours "
    "and weekends: the document of 'waras activity --format json' with the rows the rule shows "
    "(a person's own; a lead's teams' people and teams; by team, people-ops see teams of at "
    "least min_group people). Admins get 403\",\n"
    " \"parameters\": [\n"
    "  {\"name\": \"source\", \"in\": \"query\", \"required\": true, \"schema\": {\"enum\": "
    "[\"git\", \"pages\", \"meetings\"]}},\n"
    "  {\"name\": \"by\", \"in\": \"query\", \"schema\": {\"enum\": [\"person\", \"team\"], "
    "\"default\": \"person\"}},\n"
    "  {\"name\": \"from\", \"in\": \"query\", \"schema\": {\"type\": \"string\", \"format\": "
    "\"date\"}},\n"
    "  {\"name\": \"to\", \"in\": \"query\", \"schema\": {\"type\": \"string\", \"format\": "
    "\"date\"}},\n"
    "  {\"name\": \"hours\", \"in\": \"query\", \"schema\": {\"enum\": [\"fixed\", \"own\"], "
    "\"default\": \"fixed\"}}],\n"
    " \"responses\": {\"200\": {\"description\": \"the counts\", \"content\": "
    "{\"application/json\": {\"schema\": {\"type\": \"object\", \"required\": [\"source\", "
    "\"by\", \"rows\", \"total\"]}}}},\n"
    "  \"400\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "  \"401\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "  \"403\": {\"$ref\": \"#/components/responses/Error\"}}}}}";

json_t *srv_views_openapi_paths(void)
{
    return json_loads(openapi_paths, 0, NULL);
}
