/*
 * The organisation view: GET /api/v1/org (JSON) and the /org page, both
 * from one library call (waras_auth_org_json) that asks the access rule
 * which groups the asker may see and suppresses small ones. People-ops
 * see every team and the organisation; a lead their own teams and the
 * organisation; members and admins nothing (403). No person's row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "server.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/store.h"

/* The document for the request's weeks and to; NULL with rs set. */
static char *org_doc(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs,
                     int api)
{
    waras_store *st = NULL;
    long weeks = 8;
    char *doc = NULL;
    for (int i = 0; i < rq->nargs; i++) {
        const char *k = rq->args[i].key;
        if (strcmp(k, "to") && (!api || strcmp(k, "weeks"))) {
            srv_json_error(rs, 400, "unknown_field", k,
                           api ? "unknown parameter: the view takes weeks and to"
                               : "unknown parameter: the page takes to");
            return NULL;
        }
        for (int j = 0; j < i; j++)
            if (strcmp(k, rq->args[j].key) == 0) {
                srv_json_error(rs, 400, "bad_request", k, "the parameter is given twice");
                return NULL;
            }
    }
    const char *weeks_s = srv_arg(rq, "weeks"), *to = srv_arg(rq, "to");
    if (weeks_s && (waras_parse_long(weeks_s, &weeks) || weeks < 1 || weeks > SRV_MAX_WEEKS)) {
        srv_json_error(rs, 400, "bad_request", "weeks", "weeks is a number from 1 to 104");
        return NULL;
    }
    waras_date first, last;
    if (srv_report_range(&first, &last, weeks, to)) {
        srv_json_error(rs, 400, "bad_request", "to", "to is a date YYYY-MM-DD, years 1900 to 2200");
        return NULL;
    }
    waras_subject org = {NULL, NULL};
    if (waras_access_decide(&a->user, WARAS_DATA_WORK, &org) == WARAS_ACCESS_DENIED) {
        srv_json_error(rs, 403, "forbidden", NULL,
                       "the organisation view is for people-ops and leads");
        return NULL;
    }
    if (waras_store_open(&st, app->db, 0) || waras_auth_org_json(&doc, st, &a->user, first, last))
        srv_json_error(rs, 500, "internal", NULL, "the organisation view could not be built");
    waras_store_close(st);
    return doc;
}

void srv_api_org(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs)
{
    char *doc = org_doc(app, rq, a, rs, 1);
    if (!doc)
        return;
    size_t n = strlen(doc);
    char *body = malloc(n + 2);
    if (body) {
        memcpy(body, doc, n);
        body[n] = '\n';
        body[n + 1] = '\0';
    }
    free(doc);
    srv_set_body(rs, 200, "application/json", body);
}

static void num(waras_buf *b, json_t *v, const char *fmt, double scale)
{
    if (json_is_number(v))
        waras_buf_printf(b, fmt, json_number_value(v) * scale);
    else
        waras_buf_printf(b, "<td class=\"muted\">&ndash;</td>");
}

static void group_row(waras_buf *b, json_t *g, const char *label)
{
    char *name = srv_html_escape(label);
    json_t *l = json_object_get(g, "load"), *w = json_object_get(g, "wellbeing");
    waras_buf_printf(b, "<tr><td>%s</td><td>%d</td>", name ? name : "",
                     (int)json_integer_value(json_object_get(g, "people")));
    free(name);
    if (json_is_object(l)) {
        json_t *lv = json_object_get(l, "risk_levels");
        num(b, json_object_get(l, "mean_worked_hours"), "<td>%.1f</td>", 1);
        num(b, json_object_get(l, "after_hours_share"), "<td>%.0f%%</td>", 100);
        num(b, json_object_get(l, "mean_oncall_hours"), "<td>%.1f</td>", 1);
        waras_buf_printf(b, "<td>%d / %d / %d / %d</td>",
                         (int)json_integer_value(json_object_get(lv, "low")),
                         (int)json_integer_value(json_object_get(lv, "moderate")),
                         (int)json_integer_value(json_object_get(lv, "high")),
                         (int)json_integer_value(json_object_get(lv, "critical")));
    } else {
        char *why = srv_html_escape(json_string_value(json_object_get(g, "load_suppressed")));
        waras_buf_printf(b, "<td class=\"reasons muted\" colspan=\"4\">not shown: %s</td>",
                         why ? why : "");
        free(why);
    }
    if (json_is_object(w)) {
        waras_buf_printf(b, "<td>%d</td>",
                         (int)json_integer_value(json_object_get(w, "respondents")));
        num(b, json_object_get(w, "personal"), "<td>%.1f</td>", 1);
        num(b, json_object_get(w, "work"), "<td>%.1f</td>", 1);
    } else {
        char *why = srv_html_escape(json_string_value(json_object_get(g, "wellbeing_suppressed")));
        waras_buf_printf(b, "<td class=\"reasons muted\" colspan=\"3\">not shown: %s</td>",
                         why ? why : "");
        free(why);
    }
    waras_buf_printf(b, "</tr>\n");
}

void srv_page_org(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs)
{
    char *doc = org_doc(app, rq, a, rs, 0);
    if (!doc)
        return;
    json_t *root = json_loads(doc, 0, NULL);
    free(doc);
    if (!root) {
        srv_json_error(rs, 500, "internal", NULL, "out of memory");
        return;
    }
    waras_buf b;
    waras_buf_init(&b, 8 << 20);
    srv_html_head(&b, "Organisation");
    srv_html_header_bar(&b, a);
    json_t *round = json_object_get(root, "survey_round");
    waras_buf_printf(
        &b,
        "<h1>Organisation</h1>\n<p class=\"muted\"><a href=\"/\">My weeks</a></p>\n"
        "<p>Weeks %s to %s; survey round %s. Teams only: groups of fewer than %d people are "
        "not shown, nor any one person.</p>\n"
        "<div class=\"scroll\"><table id=\"org\"><thead><tr><th>team</th><th>people</th>"
        "<th>worked h / week</th><th>after hours</th><th>on call h / week</th>"
        "<th>load risk<br>low / moderate / high / critical</th><th>survey respondents</th>"
        "<th>personal burnout</th><th>work burnout</th></tr></thead><tbody>\n",
        json_string_value(json_object_get(root, "from")),
        json_string_value(json_object_get(root, "to")),
        json_is_string(round) ? json_string_value(round) : "none",
        (int)json_integer_value(json_object_get(root, "min_group")));
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(root, "teams"), i, t)
    {
        const char *name = json_string_value(json_object_get(t, "team"));
        group_row(&b, t, name && *name ? name : "(no team)");
    }
    group_row(&b, json_object_get(root, "organisation"), "Organisation");
    waras_buf_printf(&b, "</tbody></table></div>\n");
    json_decref(root);
    srv_html_finish(&b, rs, 200);
}
