/*
 * The service's pages, rendered on the server from the report model: the
 * sign-in form, "my weeks" (the signed-in person's own weeks: hours,
 * after-hours, interruptions by window, the load risk with its reasons,
 * and their own wellbeing, which only this view shows) and a team's page
 * (the risk table with reasons, the suggestions the asker may see, and the
 * HTML report's own charts: hours heatmap, interruptions by window, on-call
 * against the fair share). Plain HTML and inline SVG with one stylesheet
 * served from here; no scripts, nothing fetched from elsewhere, readable
 * on a phone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/report.h"
#include "waras/risk.h"
#include "waras/store.h"

static const char css[] =
    "*{box-sizing:border-box}body{font:16px/1.45 system-ui,sans-serif;margin:0;color:#1d2330;"
    "background:#f6f7f9}header{display:flex;flex-wrap:wrap;gap:.5em;align-items:center;"
    "justify-content:space-between;padding:.6em 1em;background:#1d2330;color:#fff}"
    "header form{margin:0}main{max-width:60em;margin:0 auto;padding:1em}"
    "h1{font-size:1.4em;margin:.3em 0}h2{font-size:1.15em;margin:1.4em 0 .4em}"
    ".card{background:#fff;border:1px solid #d8dce3;border-radius:6px;padding:.8em 1em;"
    "margin:.6em 0}.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;"
    "background:#fff}th,td{padding:.35em .5em;border-bottom:1px solid #e3e6eb;text-align:right;"
    "white-space:nowrap}th:first-child,td:first-child{text-align:left}td.reasons{text-align:left;"
    "white-space:normal;min-width:14em}.level{display:inline-block;padding:0 .45em;"
    "border-radius:4px;font-weight:600}.low{background:#dff3e4;color:#17622f}"
    ".moderate{background:#fff1c9;color:#6b4e00}.high{background:#ffd9cc;color:#8a2a08}"
    ".critical{background:#a3140d;color:#fff}.private{border-left:4px solid #5b4bb7}"
    "label{display:block;margin:.6em 0 .2em}input[type=text],input[type=password]{width:100%;"
    "max-width:22em;padding:.5em;font:inherit}button{font:inherit;padding:.4em .9em;"
    "cursor:pointer}.error{color:#a3140d;font-weight:600}.muted{color:#5d6575}"
    "td.h0{background:#eef6f0}td.h1{background:#fff1c9}td.h2{background:#ffc9b3}"
    "td.h3{background:#a3140d;color:#fff}td.leave{color:#5d6575}"
    "nav{display:flex;flex-wrap:wrap;gap:.2em .9em}nav a{color:#fff}"
    ".chart svg{display:block;max-width:100%;height:auto;background:#fff;border:1px solid #d8dce3;"
    "border-radius:6px}.chart svg text{font:12px system-ui,sans-serif;fill:#374151}"
    ".chart svg .ax{fill:#6b7280;font-size:11px}.chart svg .team{fill:#9ca3af;font-size:10px}"
    ".chart svg .cell{font-size:11px}.chart svg .hot{fill:#fff;font-weight:600}"
    ".chart svg .axis{stroke:#9ca3af}.chart svg .fair{stroke:#111827;stroke-width:2}"
    ".legend{color:#5d6575;font-size:.8em}.legend span{display:inline-block;width:.7em;"
    "height:.7em;margin:0 .3em 0 .7em;border-radius:2px}.sw-business{background:#facc15}"
    ".sw-off{background:#f97316}.sw-sleep{background:#dc2626}.sw-h45{background:#93c5fd}"
    ".sw-h48{background:#fde68a}.sw-h55{background:#fb923c}.sw-hmax{background:#dc2626}"
    ".suggestions code{white-space:normal;"
    "word-break:break-all;font-size:.85em}\n";

void srv_static(const srv_request *rq, srv_response *rs)
{
    if (strcmp(rq->path, "/static/waras.css") == 0) {
        srv_set_body(rs, 200, "text/css; charset=utf-8", waras_strdup(css));
        srv_add_header(rs, "Cache-Control", "public, max-age=3600");
    } else {
        srv_json_error(rs, 404, "not_found", NULL, "no such file");
    }
}

static void head(waras_buf *b, const char *title)
{
    waras_buf_printf(b,
                     "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                     "<title>%s - waras</title><link rel=\"stylesheet\" href=\"/static/waras.css\">"
                     "</head>\n<body>\n",
                     title);
}

static void finish(waras_buf *b, srv_response *rs, int status)
{
    if (waras_buf_printf(b, "</main>\n</body></html>\n")) {
        waras_buf_free(b);
        srv_json_error(rs, 500, "internal", NULL, "out of memory");
        return;
    }
    srv_set_body(rs, status, "text/html; charset=utf-8", waras_buf_detach(b));
}

void srv_page_login(srv_response *rs, int status, const char *csrf, const char *message)
{
    waras_buf b;
    waras_buf_init(&b, 1 << 20);
    head(&b, "Sign in");
    waras_buf_printf(&b, "<header><strong>waras</strong></header>\n<main>\n<h1>Sign in</h1>\n");
    if (message)
        waras_buf_printf(&b, "<p class=\"error\" id=\"error\">%s</p>\n", message);
    waras_buf_printf(&b,
                     "<form class=\"card\" method=\"post\" action=\"/login\">\n"
                     "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n"
                     "<label for=\"login\">Login</label>"
                     "<input type=\"text\" id=\"login\" name=\"login\" autocomplete=\"username\" "
                     "autocapitalize=\"none\" required>\n"
                     "<label for=\"password\">Password</label>"
                     "<input type=\"password\" id=\"password\" name=\"password\" "
                     "autocomplete=\"current-password\" required>\n"
                     "<p><button type=\"submit\">Sign in</button></p>\n</form>\n",
                     csrf);
    finish(&b, rs, status);
}

/* Percent-encodes a query value (RFC 3986 unreserved characters stay). */
static void url_encode(char *out, size_t size, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    for (; *s && o + 4 < size; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            out[o++] = (char)c;
        } else {
            out[o++] = '%';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
        }
    }
    out[o] = '\0';
}

/* The header's links: only the pages the account's role may open. An admin
 * manages accounts, tokens and ingest and sees nobody's data; a person's
 * account has its own weeks (which link to the team's rota and plans),
 * checks and calendar; a lead also their first team's page, rota and
 * plans, and a lead or people-ops the organisation. */
static void nav(waras_buf *b, const srv_auth *a)
{
    const waras_user *u = &a->user;
    waras_buf_printf(b, "<nav id=\"nav\">");
    if (u->role == WARAS_ROLE_ADMIN) {
        waras_buf_printf(b, "<a href=\"/\">Home</a><a href=\"/admin\">Admin</a></nav>");
        return;
    }
    waras_buf_printf(b, "<a href=\"/\">My weeks</a>");
    if (u->role == WARAS_ROLE_LEAD && u->nteams) {
        char url[200];
        url_encode(url, sizeof(url), u->teams[0]);
        waras_buf_printf(b, "<a href=\"/team?team=%s\">Team</a><a href=\"/rota?team=%s\">On "
                            "call</a><a href=\"/plans?team=%s\">Plans</a>",
                         url, url, url);
    }
    waras_buf_printf(b, "<a href=\"/check\">Check</a>");
    if (u->role == WARAS_ROLE_LEAD || u->role == WARAS_ROLE_PEOPLE_OPS)
        waras_buf_printf(b, "<a href=\"/org\">Organisation</a>");
    if (u->person[0])
        waras_buf_printf(b, "<a href=\"/calendar\">Calendar</a>");
    waras_buf_printf(b, "</nav>");
}

static void header_bar(waras_buf *b, const srv_auth *a)
{
    char *login = srv_html_escape(a->user.login);
    waras_buf_printf(b, "<header><strong>waras</strong>");
    nav(b, a);
    waras_buf_printf(b,
                     "<span id=\"who\">%s (%s)</span>"
                     "<form method=\"post\" action=\"/logout\"><input type=\"hidden\" "
                     "name=\"csrf\" value=\"%s\"><button type=\"submit\">Sign out</button>"
                     "</form></header>\n<main>\n",
                     login ? login : "", waras_role_name(a->user.role), a->csrf);
    free(login);
}

/* One of the report's charts (the HTML report's own renderer), in a
 * figure the page's stylesheet fits to the screen. */
static void chart(waras_buf *b, const waras_report *r, waras_report_chart_kind kind,
                  const char *id)
{
    char *html = NULL;
    if (waras_report_chart(&html, r, kind)) {
        waras_buf_printf(b, "<p class=\"error\">The chart could not be drawn.</p>\n");
        return;
    }
    waras_buf_printf(b, "<div class=\"chart\" id=\"%s\">%s</div>\n", id, html);
    free(html);
}

/* The suggestions of the report, as the rule lets the asker see them. */
static void suggestions(waras_buf *b, const waras_report *r)
{
    waras_buf_printf(b, "<h2>Suggestions</h2>\n");
    if (!r->nremedies) {
        waras_buf_printf(b, "<p class=\"muted\" id=\"suggestions\">Nobody whose load is high "
                            "or critical, or nothing to suggest.</p>\n");
        return;
    }
    waras_buf_printf(b, "<ul class=\"suggestions\" id=\"suggestions\">\n");
    for (size_t i = 0; i < r->nremedies; i++) {
        const waras_remedy *m = &r->remedies[i];
        char *who = srv_html_escape(m->person), *f = srv_html_escape(m->finding),
             *t = srv_html_escape(m->text), *c = srv_html_escape(m->command);
        waras_buf_printf(b, "<li><strong>%s</strong> (%s): %s", who ? who : "", f ? f : "",
                         t ? t : "");
        if (m->command[0])
            waras_buf_printf(b, "<br><code>%s</code>", c ? c : "");
        waras_buf_printf(b, "</li>\n");
        free(who);
        free(f);
        free(t);
        free(c);
    }
    waras_buf_printf(b, "</ul>\n");
}

static void level_span(waras_buf *b, const char *level)
{
    waras_buf_printf(b, "<span class=\"level %s\">%s</span>", level, level);
}

static void weeks_table(waras_buf *b, const waras_report *r, const waras_report_person *rp)
{
    waras_buf_printf(b, "<h2>Work, week by week</h2>\n<div class=\"scroll\"><table id=\"weeks\">"
                        "<thead><tr><th>week</th><th>worked h</th><th>after hours h</th>"
                        "<th>on call h</th><th title=\"interruptions in business hours, "
                        "off hours, sleep hours\">interruptions<br>business / off / sleep</th>"
                        "<th>load risk</th><th>why</th></tr></thead><tbody>\n");
    for (size_t k = r->nweeks; k-- > 0;) {
        const waras_week_metrics *w = &rp->weeks[k];
        const waras_risk *risk = &rp->risk[k];
        char label[16];
        waras_report_week_label(label, sizeof(label), w);
        waras_buf_printf(b,
                         "<tr><td>%s</td><td>%.1f</td><td>%.1f</td><td>%.1f</td>"
                         "<td>%d / %d / %d</td><td>",
                         label, w->worked_hours, w->after_hours, w->oncall_hours,
                         w->interruptions[0], w->interruptions[1], w->interruptions[2]);
        level_span(b, risk->level);
        waras_buf_printf(b, " %.0f</td><td class=\"reasons\">", risk->score);
        for (int x = 0; x < risk->nreasons && x < 3; x++) {
            char *t = srv_html_escape(risk->reasons[x].text);
            waras_buf_printf(b, "%s%s", x ? "; " : "", t ? t : "");
            free(t);
        }
        if (!risk->nreasons)
            waras_buf_printf(b, "-");
        waras_buf_printf(b, "</td></tr>\n");
    }
    waras_buf_printf(b, "</tbody></table></div>\n");
}

/* The person's own survey scores: private, shown only in this view. */
static void own_wellbeing(waras_buf *b, const waras_report *r, const waras_report_person *rp)
{
    waras_buf_printf(b, "<h2>My wellbeing <span class=\"muted\">(private to you)</span></h2>\n"
                        "<div class=\"card private\" id=\"wellbeing\">");
    size_t k = r->nweeks;
    while (k > 0 && !(rp->has_survey && rp->has_survey[k - 1]))
        k--;
    if (!r->self || k == 0) {
        waras_buf_printf(b, "No survey response on record.</div>\n");
        return;
    }
    const waras_cbi_scores *s = &rp->survey[k - 1];
    waras_buf_printf(b,
                     "Survey of %s (Copenhagen Burnout Inventory, 0-100; 50 or more is high):"
                     "<br>personal %.1f, work-related %.1f",
                     rp->survey_date[k - 1], s->scale[WARAS_CBI_PERSONAL],
                     s->scale[WARAS_CBI_WORK]);
    if (s->scale[WARAS_CBI_CLIENT] >= 0)
        waras_buf_printf(b, ", client-related %.1f", s->scale[WARAS_CBI_CLIENT]);
    if (s->scale[WARAS_CBI_PERSONAL] >= 50 || s->scale[WARAS_CBI_WORK] >= 50)
        waras_buf_printf(b, "<br>That is high: worth talking to someone you trust.");
    waras_buf_printf(b, "</div>\n");
}

/* Heat classes of worked hours, at the thresholds the policies use:
 * 40 h, 48 h (EU working time) and 55 h (WHO). */
static const char *heat(double h)
{
    return h >= 55 ? "h3" : h >= 48 ? "h2" : h >= 40 ? "h1" : "h0";
}

void srv_page_team(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs)
{
    waras_store *st = NULL;
    waras_report *r = NULL;
    waras_buf b;
    const char *team = srv_arg(rq, "team"), *to = srv_arg(rq, "to");
    for (int i = 0; i < rq->nargs; i++)
        if (strcmp(rq->args[i].key, "team") && strcmp(rq->args[i].key, "to")) {
            srv_json_error(rs, 400, "unknown_field", rq->args[i].key,
                           "unknown parameter: the team page takes team and to");
            return;
        }
    if (!team || !*team) {
        srv_json_error(rs, 400, "bad_request", "team", "name a team: ?team=NAME");
        return;
    }
    waras_subject whose = {NULL, team};
    if (waras_access_decide(&a->user, WARAS_DATA_WORK, &whose) != WARAS_ACCESS_ALLOWED) {
        srv_json_error(rs, 403, "forbidden", "team", "you may not see this team's people");
        return;
    }
    waras_report_opts o = {.team = team};
    waras_policy pol;
    waras_policy_default(&pol);
    o.policy = &pol;
    if (srv_report_range(&o.first_monday, &o.last_monday, 8, to)) {
        srv_json_error(rs, 400, "bad_request", "to", "to is a date YYYY-MM-DD, years 1900 to 2200");
        return;
    }
    /* The suggestions the asker may see, as /api/v1/risk has them. */
    if (waras_store_open(&st, app->db, 0) || waras_report_build(&r, st, &o) ||
        waras_auth_report_suggest(r, st, &a->user, NULL, NULL)) {
        srv_json_error(rs, 500, "internal", NULL, "the report could not be built");
        goto cleanup;
    }
    waras_buf_init(&b, 8 << 20);
    char *tn = srv_html_escape(team);
    head(&b, "Team");
    header_bar(&b, a);
    waras_buf_printf(&b, "<h1>Team %s</h1>\n<p class=\"muted\"><a href=\"/\">My weeks</a></p>\n",
                     tn ? tn : "");
    free(tn);
    if (!r->npeople || !r->nweeks) {
        waras_buf_printf(&b, "<p class=\"card\" id=\"nobody\">Nobody in this team.</p>\n");
        finish(&b, rs, 200);
        goto cleanup;
    }
    size_t last = r->nweeks - 1;
    char label[16];
    waras_report_week_label(label, sizeof(label), &r->people[0].weeks[last]);
    /* Who is overloaded, and why: strongest first. */
    size_t *order = malloc(r->npeople * sizeof(*order));
    if (!order) {
        waras_buf_free(&b);
        srv_json_error(rs, 500, "internal", NULL, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < r->npeople; i++) {
        size_t j = i;
        while (j > 0 && r->people[order[j - 1]].risk[last].score < r->people[i].risk[last].score) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
    waras_buf_printf(&b,
                     "<h2>Load risk at the end of %s</h2>\n<div class=\"scroll\">"
                     "<table id=\"risk\"><thead><tr><th>person</th><th>load risk</th>"
                     "<th>why</th></tr></thead><tbody>\n",
                     label);
    for (size_t q = 0; q < r->npeople; q++) {
        const waras_report_person *rp = &r->people[order[q]];
        const waras_risk *k = &rp->risk[last];
        char *name = srv_html_escape(rp->person.name[0] ? rp->person.name : rp->person.id);
        waras_buf_printf(&b, "<tr><td>%s</td><td>", name ? name : "");
        free(name);
        level_span(&b, k->level);
        waras_buf_printf(&b, " %.0f</td><td class=\"reasons\">", k->score);
        for (int x = 0; x < k->nreasons && x < 3; x++) {
            char *t = srv_html_escape(k->reasons[x].text);
            waras_buf_printf(&b, "%s%s", x ? "; " : "", t ? t : "");
            free(t);
        }
        if (!k->nreasons)
            waras_buf_printf(&b, "-");
        waras_buf_printf(&b, "</td></tr>\n");
    }
    free(order);
    waras_buf_printf(&b, "</tbody></table></div>\n");
    suggestions(&b, r);
    waras_buf_printf(&b, "<h2>Worked hours per week</h2>\n");
    chart(&b, r, WARAS_CHART_HOURS, "chart-hours");
    waras_buf_printf(&b, "<h2>Interruptions by window</h2>\n");
    chart(&b, r, WARAS_CHART_INTERRUPTIONS, "chart-interruptions");
    waras_buf_printf(&b, "<h2>On-call hours against the fair share</h2>\n");
    chart(&b, r, WARAS_CHART_ONCALL, "chart-oncall");
    waras_buf_printf(&b, "<details><summary>Worked hours in numbers</summary>\n"
                         "<div class=\"scroll\"><table id=\"heatmap\"><thead><tr><th>person</th>");
    for (size_t k = 0; k < r->nweeks; k++)
        waras_buf_printf(&b, "<th>W%02d</th>", r->people[0].weeks[k].iso_week);
    waras_buf_printf(&b, "</tr></thead><tbody>\n");
    for (size_t i = 0; i < r->npeople; i++) {
        const waras_report_person *rp = &r->people[i];
        char *name = srv_html_escape(rp->person.name[0] ? rp->person.name : rp->person.id);
        waras_buf_printf(&b, "<tr><td>%s</td>", name ? name : "");
        free(name);
        for (size_t k = 0; k < r->nweeks; k++) {
            const waras_week_metrics *w = &rp->weeks[k];
            if (w->leave_days >= 4.5 && w->worked_hours < 1)
                waras_buf_printf(&b, "<td class=\"leave\">leave</td>");
            else
                waras_buf_printf(&b, "<td class=\"%s\">%.1f</td>", heat(w->worked_hours),
                                 w->worked_hours);
        }
        waras_buf_printf(&b, "</tr>\n");
    }
    waras_buf_printf(&b, "</tbody></table></div>\n<p class=\"muted\">Shading: 40, 48 and 55 "
                         "hours a week.</p></details>\n");
    /* The team's survey aggregate, as the rule allows it. */
    waras_buf_printf(&b, "<h2>Wellbeing (team aggregate)</h2>\n<div class=\"card\" "
                         "id=\"team-wellbeing\">");
    const waras_report_group *g = NULL;
    for (size_t i = 0; i < r->ngroups; i++)
        if (strcmp(r->groups[i].team, team) == 0)
            g = &r->groups[i];
    if (waras_access_decide(&a->user, WARAS_DATA_WELLBEING, &whose) == WARAS_ACCESS_DENIED || !g)
        waras_buf_printf(&b, "Not shown.");
    else if (g->suppressed)
        waras_buf_printf(&b, "Suppressed: %d respondent%s, fewer than %d.", g->respondents,
                         g->respondents == 1 ? "" : "s", r->policy.min_group);
    else
        waras_buf_printf(&b,
                         "%d respondents; means: personal %.1f, work-related %.1f; "
                         "%.0f %% with work-related burnout of 50 or more.",
                         g->respondents, g->mean[WARAS_CBI_PERSONAL], g->mean[WARAS_CBI_WORK],
                         100.0 * g->high_work_share);
    waras_buf_printf(&b, "</div>\n");
    finish(&b, rs, 200);
cleanup:
    waras_report_free(r);
    waras_store_close(st);
}

void srv_page_home(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs)
{
    waras_buf b;
    waras_store *st = NULL;
    waras_report *r = NULL;
    waras_buf_init(&b, 8 << 20);
    head(&b, "My weeks");
    header_bar(&b, a);
    const char *to = srv_arg(rq, "to");
    waras_subject own = {a->user.person, NULL};
    waras_person p;
    if (!a->user.person[0] ||
        waras_access_decide(&a->user, WARAS_DATA_WORK, &own) != WARAS_ACCESS_ALLOWED) {
        waras_buf_printf(&b, "<h1>Signed in</h1>\n<p class=\"card\" id=\"nodata\">This account "
                             "manages users, tokens and ingest; it has no weeks of its own and "
                             "sees nobody's data (docs/service.md).</p>\n");
        finish(&b, rs, 200);
        return;
    }
    waras_report_opts o = {.person = a->user.person};
    waras_policy pol;
    waras_policy_default(&pol);
    o.policy = &pol;
    if (srv_report_range(&o.first_monday, &o.last_monday, 8, to)) {
        waras_buf_free(&b);
        srv_json_error(rs, 400, "bad_request", "to", "to is a date YYYY-MM-DD, years 1900 to 2200");
        return;
    }
    if (waras_store_open(&st, app->db, 0) || waras_store_person_get(&p, st, a->user.person)) {
        waras_buf_free(&b);
        srv_json_error(rs, 500, "internal", NULL, "the store cannot be read");
        goto cleanup;
    }
    own.team = p.team;
    o.self = waras_access_decide(&a->user, WARAS_DATA_WELLBEING, &own) == WARAS_ACCESS_ALLOWED;
    if (waras_report_build(&r, st, &o) || r->npeople != 1 || r->nweeks == 0) {
        waras_buf_free(&b);
        srv_json_error(rs, 500, "internal", NULL, "the report could not be built");
        goto cleanup;
    }
    const waras_report_person *rp = &r->people[0];
    char *name = srv_html_escape(p.name[0] ? p.name : p.id), *team = srv_html_escape(p.team);
    char first[16], last[16];
    waras_report_week_label(first, sizeof(first), &rp->weeks[0]);
    waras_report_week_label(last, sizeof(last), &rp->weeks[r->nweeks - 1]);
    waras_buf_printf(&b,
                     "<h1>My weeks</h1>\n<p class=\"muted\" id=\"me\">%s, team %s; %s to %s"
                     "</p>\n",
                     name ? name : "", team ? team : "", first, last);
    free(name);
    free(team);
    const waras_risk *now = &rp->risk[r->nweeks - 1];
    waras_buf_printf(&b, "<div class=\"card\" id=\"latest\">Load risk at the end of %s: ", last);
    level_span(&b, now->level);
    waras_buf_printf(&b, " (score %.0f of 100, from work data only)", now->score);
    if (now->nreasons) {
        waras_buf_printf(&b, "<ul>");
        for (int x = 0; x < now->nreasons && x < 4; x++) {
            char *t = srv_html_escape(now->reasons[x].text);
            waras_buf_printf(&b, "<li>%s</li>", t ? t : "");
            free(t);
        }
        waras_buf_printf(&b, "</ul>");
    }
    waras_buf_printf(&b, "</div>\n");
    weeks_table(&b, r, rp);
    waras_buf_printf(&b, "<h2>My interruptions by window</h2>\n");
    chart(&b, r, WARAS_CHART_INTERRUPTIONS, "chart-interruptions");
    own_wellbeing(&b, r, rp);
    if (a->user.role == WARAS_ROLE_LEAD) {
        waras_buf_printf(&b, "<h2>Teams you lead</h2>\n<ul id=\"teams\">");
        for (int t = 0; t < a->user.nteams; t++) {
            char *tn = srv_html_escape(a->user.teams[t]), url[200];
            url_encode(url, sizeof(url), a->user.teams[t]);
            waras_buf_printf(&b, "<li><a href=\"/team?team=%s\">%s</a></li>", url, tn ? tn : "");
            free(tn);
        }
        waras_buf_printf(&b,
                         "</ul>\n<p class=\"muted\">Each team's page shows its people's "
                         "work data and load risk; wellbeing only as team aggregates of "
                         "at least %d people.</p>\n",
                         r->policy.min_group);
        waras_buf_printf(&b, "<p id=\"rotas\">On-call rota:");
        for (int t = 0; t < a->user.nteams; t++) {
            char *tn = srv_html_escape(a->user.teams[t]), url[200];
            url_encode(url, sizeof(url), a->user.teams[t]);
            waras_buf_printf(&b, " <a href=\"/rota?team=%s\">%s</a>", url, tn ? tn : "");
            free(tn);
        }
        waras_buf_printf(&b, "</p>\n<p id=\"remedies\">Quiet weeks and recovery leave:");
        for (int t = 0; t < a->user.nteams; t++) {
            char *tn = srv_html_escape(a->user.teams[t]), url[200];
            url_encode(url, sizeof(url), a->user.teams[t]);
            waras_buf_printf(&b, " <a href=\"/plans?team=%s\">%s</a>", url, tn ? tn : "");
            free(tn);
        }
        waras_buf_printf(&b, "</p>\n");
    } else {
        char url[200];
        url_encode(url, sizeof(url), rp->person.team);
        waras_buf_printf(&b,
                         "<p id=\"rotas\"><a href=\"/rota?team=%s\">Your on-call turns</a> "
                         "&middot; <a href=\"/plans?team=%s\">Your quiet weeks and leave</a></p>\n",
                         url, url);
    }
    waras_buf_printf(&b,
                     "<p id=\"links\"><a href=\"/calendar\">Calendar subscription</a> &middot; "
                     "<a href=\"/check\">Policy check</a>%s</p>\n",
                     a->user.role == WARAS_ROLE_LEAD || a->user.role == WARAS_ROLE_PEOPLE_OPS
                         ? " &middot; <a href=\"/org\">Organisation</a>"
                         : "");
    finish(&b, rs, 200);
cleanup:
    waras_report_free(r);
    waras_store_close(st);
}

void srv_html_head(waras_buf *b, const char *title)
{
    head(b, title);
}
void srv_html_header_bar(waras_buf *b, const srv_auth *a)
{
    header_bar(b, a);
}
void srv_html_finish(waras_buf *b, srv_response *rs, int status)
{
    finish(b, rs, status);
}
