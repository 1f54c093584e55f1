/*
 * Calendar subscriptions through the service: the /calendar page where a
 * signed-in user makes (POST /calendar/new, CSRF) or revokes (POST
 * /calendar/revoke) their secret URL, shown once; and GET /cal/TOKEN.ics,
 * which a calendar app fetches without a cookie. An unknown or revoked
 * secret gets the same 404 as any unknown address, so that a guess learns
 * nothing; the log never holds the path (http.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "server.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/store.h"
#include "waras/time.h"

/* Days before and after today that a subscription's calendar covers. */
#define CAL_DAYS_BEFORE 92
#define CAL_DAYS_AFTER 400

static void render(srv_app *app, const srv_request *rq, const srv_auth *a, const char *token,
                   srv_response *rs)
{
    waras_store *st = NULL;
    int64_t created = 0;
    waras_buf b;
    if (waras_store_open(&st, app->db, 0)) {
        srv_json_error(rs, 500, "internal", NULL, "the store cannot be opened");
        return;
    }
    int rc = waras_auth_calendar_status(&created, st, a->user.id);
    waras_store_close(st);
    if (rc && rc != WARAS_ENOTFOUND) {
        srv_json_error(rs, 500, "internal", NULL, "the subscription cannot be read");
        return;
    }
    waras_buf_init(&b, 1 << 20);
    srv_html_head(&b, "Calendar");
    srv_html_header_bar(&b, a);
    waras_buf_printf(&b,
                     "<h1>Calendar subscription</h1>\n<p class=\"muted\"><a href=\"/\">My "
                     "weeks</a></p>\n<p>A private address for your calendar app: your own "
                     "on-call turns, quiet weeks and leave%s. Anyone with the address sees "
                     "them, so keep it to yourself; revoke it when in doubt.</p>\n",
                     a->user.role == WARAS_ROLE_LEAD ? ", and your teams' on-call plans" : "");
    if (token) {
        int https = rq->forwarded_proto && strcmp(rq->forwarded_proto, "https") == 0;
        char *host = srv_html_escape(rq->host ? rq->host : "localhost");
        waras_buf_printf(&b,
                         "<div class=\"card private\"><p>Your new address, shown only this "
                         "once:</p><p><code id=\"cal-url\">%s://%s/cal/%s.ics</code></p>"
                         "<p class=\"muted\">Add it in your calendar app as a subscription "
                         "(\"from URL\"). The earlier address, if any, no longer works.</p>"
                         "</div>\n",
                         https ? "https" : "http", host ? host : "", token);
        free(host);
    } else if (!rc) {
        char when[32];
        waras_civil c;
        waras_epoch_to_civil(&c, created);
        snprintf(when, sizeof(when), "%04d-%02d-%02d %02d:%02d UTC", c.year, c.month, c.day, c.hour,
                 c.minute);
        waras_buf_printf(&b,
                         "<p class=\"card\" id=\"cal-active\">You have an address, made %s. "
                         "It is not shown again; make a new one if you lost it.</p>\n",
                         when);
    } else {
        waras_buf_printf(&b, "<p class=\"card\" id=\"cal-none\">You have no address yet.</p>\n");
    }
    waras_buf_printf(&b,
                     "<form method=\"post\" action=\"/calendar/new\"><input type=\"hidden\" "
                     "name=\"csrf\" value=\"%s\"><button type=\"submit\" id=\"cal-new\">%s"
                     "</button></form>\n",
                     a->csrf, rc ? "Make an address" : "Make a new address");
    if (!rc || token)
        waras_buf_printf(&b,
                         "<form method=\"post\" action=\"/calendar/revoke\"><input "
                         "type=\"hidden\" name=\"csrf\" value=\"%s\"><button type=\"submit\" "
                         "id=\"cal-revoke\">Revoke the address</button></form>\n",
                         a->csrf);
    srv_html_finish(&b, rs, 200);
}

void srv_page_calendar(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs)
{
    if (rq->nargs) {
        srv_json_error(rs, 400, "unknown_field", rq->args[0].key,
                       "unknown parameter: the page takes none");
        return;
    }
    render(app, rq, a, NULL, rs);
}

static int only_csrf(const srv_request *rq, srv_response *rs)
{
    static const char *const known[] = {"csrf"};
    if (rq->nargs) {
        srv_json_error(rs, 400, "unknown_field", rq->args[0].key, "unknown parameter");
        return -1;
    }
    if (rq->body_len && srv_form_check(rq, known, 1, rs))
        return -1;
    return 0;
}

void srv_calendar_new(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs)
{
    waras_store *st = NULL;
    char token[WARAS_AUTH_TOKEN_SIZE];
    if (only_csrf(rq, rs))
        return;
    if (waras_store_open(&st, app->db, 0) || waras_auth_calendar_create(token, st, a->user.id)) {
        srv_json_error(rs, 500, "internal", NULL, "the address could not be made");
        waras_store_close(st);
        return;
    }
    waras_store_close(st);
    render(app, rq, a, token, rs);
    sodium_memzero(token, sizeof(token));
}

void srv_calendar_revoke(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs)
{
    waras_store *st = NULL;
    if (only_csrf(rq, rs))
        return;
    if (waras_store_open(&st, app->db, 0) || waras_auth_calendar_revoke(st, a->user.id)) {
        srv_json_error(rs, 500, "internal", NULL, "the address could not be revoked");
        waras_store_close(st);
        return;
    }
    waras_store_close(st);
    srv_add_header(rs, "Location", "/calendar");
    srv_set_body(rs, 303, "text/plain; charset=utf-8", waras_strdup("revoked\n"));
}

void srv_calendar_feed(srv_app *app, const srv_request *rq, srv_response *rs)
{
    waras_store *st = NULL;
    waras_user u;
    char token[WARAS_AUTH_TOKEN_SIZE], *ics = NULL;
    const char *p = rq->path + 5; /* after "/cal/" */
    size_t n = strlen(p);
    if (rq->nargs || n < 5 || n - 4 >= sizeof(token) || strcmp(p + n - 4, ".ics") != 0) {
        srv_json_error(rs, 404, "not_found", NULL, "no such endpoint");
        return;
    }
    memcpy(token, p, n - 4);
    token[n - 4] = '\0';
    if (waras_store_open(&st, app->db, 0)) {
        srv_json_error(rs, 500, "internal", NULL, "the store cannot be opened");
        return;
    }
    int rc = waras_auth_calendar_check(&u, st, token);
    sodium_memzero(token, sizeof(token));
    if (rc == WARAS_ENOTFOUND) {
        srv_json_error(rs, 404, "not_found", NULL, "no such endpoint");
    } else if (rc) {
        srv_json_error(rs, 500, "internal", NULL, "the calendar could not be read");
    } else {
        waras_instant now = waras_clock_now();
        if (waras_auth_calendar_ics(&ics, st, &u, now - 86400LL * CAL_DAYS_BEFORE,
                                    now + 86400LL * CAL_DAYS_AFTER))
            srv_json_error(rs, 500, "internal", NULL, "the calendar could not be written");
        else
            srv_set_body(rs, 200, "text/calendar; charset=utf-8", ics);
    }
    waras_store_close(st);
}
