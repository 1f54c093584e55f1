/*
 * The service's router: who is asking (an API token in Authorization:
 * Bearer, or a session cookie), whether a state-changing request carries
 * the session's CSRF token, and which handler answers. Sign-in and
 * sign-out live here too, since they are about sessions. Nothing here
 * touches the network, so the fuzz target drives it directly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "server.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/store.h"

#define SESSION_COOKIE "waras_session"
#define LOGIN_COOKIE "waras_login" /* the pre-sign-in CSRF token (double submit) */

/* The value of cookie name in a Cookie header, copied into out; 0 when
 * present and it fits. */
static int cookie_get(const char *header, const char *name, char *out, size_t size)
{
    size_t nlen = strlen(name);
    const char *p = header;
    while (p && *p) {
        while (*p == ' ' || *p == ';')
            p++;
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > nlen && strncmp(p, name, nlen) == 0 && p[nlen] == '=') {
            size_t vlen = len - nlen - 1;
            if (vlen >= size)
                return -1;
            memcpy(out, p + nlen + 1, vlen);
            out[vlen] = '\0';
            return 0;
        }
        p = end;
    }
    return -1;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Decodes one application/x-www-form-urlencoded component in place. */
static int form_decode(char *s)
{
    char *o = s;
    for (char *p = s; *p; p++) {
        if (*p == '+') {
            *o++ = ' ';
        } else if (*p == '%') {
            int hi = hexval(p[1]), lo = hi < 0 ? -1 : hexval(p[2]);
            if (hi < 0 || lo < 0)
                return -1;
            char c = (char)(hi * 16 + lo);
            if (c == '\0')
                return -1;
            *o++ = c;
            p += 2;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return 0;
}

/* The sign-in fields, from a form or a JSON object; only these three are
 * accepted, each at most once. */
typedef struct login_fields {
    char login[128], password[WARAS_AUTH_PASSWORD_MAX + 1], csrf[WARAS_AUTH_TOKEN_SIZE];
    int has_login, has_password, has_csrf;
} login_fields;

static int login_field(login_fields *f, const char *key, const char *value, srv_response *rs)
{
    char *dst;
    size_t size;
    int *seen;
    if (strcmp(key, "login") == 0) {
        dst = f->login, size = sizeof(f->login), seen = &f->has_login;
    } else if (strcmp(key, "password") == 0) {
        dst = f->password, size = sizeof(f->password), seen = &f->has_password;
    } else if (strcmp(key, "csrf") == 0) {
        dst = f->csrf, size = sizeof(f->csrf), seen = &f->has_csrf;
    } else {
        srv_json_error(rs, 400, "unknown_field", key[0] ? key : NULL,
                       "unknown field: sign-in takes login, password and csrf");
        return -1;
    }
    if (*seen) {
        srv_json_error(rs, 400, "bad_request", key, "the field is given twice");
        return -1;
    }
    if (strlen(value) >= size) {
        srv_json_error(rs, 400, "bad_request", key, "the value is too long");
        return -1;
    }
    memcpy(dst, value, strlen(value) + 1);
    *seen = 1;
    return 0;
}

static int parse_form(login_fields *f, const srv_request *rq, srv_response *rs)
{
    char *copy = malloc(rq->body_len + 1);
    int rc = 0;
    if (!copy) {
        srv_json_error(rs, 500, "internal", NULL, "out of memory");
        return -1;
    }
    memcpy(copy, rq->body, rq->body_len);
    copy[rq->body_len] = '\0';
    if (strlen(copy) != rq->body_len) {
        free(copy);
        srv_json_error(rs, 400, "bad_request", NULL, "the form holds a NUL byte");
        return -1;
    }
    char *save = NULL;
    for (char *pair = strtok_r(copy, "&", &save); pair && !rc; pair = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(pair, '=');
        char *value = eq ? eq + 1 : pair + strlen(pair);
        if (eq)
            *eq = '\0';
        if (form_decode(pair) || form_decode(value)) {
            srv_json_error(rs, 400, "bad_request", NULL, "malformed form encoding");
            rc = -1;
        } else {
            rc = login_field(f, pair, value, rs);
        }
    }
    sodium_memzero(copy, rq->body_len);
    free(copy);
    return rc;
}

static int parse_json(login_fields *f, const srv_request *rq, srv_response *rs)
{
    json_error_t err;
    json_t *o = json_loadb(rq->body ? rq->body : "", rq->body_len, JSON_REJECT_DUPLICATES, &err);
    const char *key;
    json_t *v;
    int rc = 0;
    if (!o || !json_is_object(o)) {
        srv_json_error(rs, 400, "bad_json", NULL, "the body is not a JSON object");
        json_decref(o);
        return -1;
    }
    json_object_foreach(o, key, v)
    {
        if (!json_is_string(v)) {
            if (strcmp(key, "login") && strcmp(key, "password") && strcmp(key, "csrf"))
                srv_json_error(rs, 400, "unknown_field", key,
                               "unknown field: sign-in takes login, password and csrf");
            else
                srv_json_error(rs, 400, "bad_request", key, "the value must be a string");
            rc = -1;
            break;
        }
        if (strlen(json_string_value(v)) != json_string_length(v)) {
            srv_json_error(rs, 400, "bad_request", key, "the value holds a NUL byte");
            rc = -1;
            break;
        }
        if ((rc = login_field(f, key, json_string_value(v), rs)))
            break;
    }
    json_decref(o);
    return rc;
}

static int token_eq(const char *a, const char *b)
{
    size_t n = strlen(a);
    return n == 64 && strlen(b) == n && sodium_memcmp(a, b, n) == 0;
}

static void cookie_header(srv_response *rs, const srv_request *rq, const char *name,
                          const char *value, const char *path, long max_age)
{
    char v[400];
    int secure = rq->forwarded_proto && strcmp(rq->forwarded_proto, "https") == 0;
    snprintf(v, sizeof(v), "%s=%s; HttpOnly; SameSite=Strict; Path=%s; Max-Age=%ld%s", name, value,
             path, max_age, secure ? "; Secure" : "");
    srv_add_header(rs, "Set-Cookie", v);
}

static void new_login_csrf(char out[65])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2hex(out, 65, raw, sizeof(raw));
}

static void login_page(srv_response *rs, const srv_request *rq, int status, const char *message)
{
    char csrf[65];
    if (sodium_init() < 0) {
        srv_json_error(rs, 500, "internal", NULL, "no random source");
        return;
    }
    new_login_csrf(csrf);
    srv_page_login(rs, status, csrf, message);
    cookie_header(rs, rq, LOGIN_COOKIE, csrf, "/login", 3600);
}

static int wants_json(const srv_request *rq)
{
    return rq->content_type && strncmp(rq->content_type, "application/json", 16) == 0;
}

static void do_login(srv_app *app, const srv_request *rq, srv_response *rs)
{
    login_fields f = {0};
    char cookie_csrf[WARAS_AUTH_TOKEN_SIZE] = "";
    int json = wants_json(rq);
    waras_store *st = NULL;
    if (!json && !(rq->content_type &&
                   strncmp(rq->content_type, "application/x-www-form-urlencoded", 33) == 0)) {
        srv_json_error(rs, 415, "unsupported_media_type", NULL,
                       "sign-in takes application/x-www-form-urlencoded or application/json");
        return;
    }
    if ((json ? parse_json(&f, rq, rs) : parse_form(&f, rq, rs)))
        goto cleanup;
    const char *sent = f.has_csrf ? f.csrf : rq->csrf_header ? rq->csrf_header : "";
    if (cookie_get(rq->cookie, LOGIN_COOKIE, cookie_csrf, sizeof(cookie_csrf)) ||
        !token_eq(cookie_csrf, sent)) {
        srv_json_error(rs, 403, "csrf", "csrf",
                       "the sign-in form has expired or did not come from this site; reload it");
        goto cleanup;
    }
    if (!f.has_login || !f.has_password) {
        srv_json_error(rs, 400, "bad_request", f.has_login ? "password" : "login",
                       "sign-in needs a login and a password");
        goto cleanup;
    }
    if (!waras_auth_limiter_allows(app->limiter, f.login, rq->client_addr)) {
        srv_json_error(rs, 429, "too_many_requests", NULL,
                       "too many failed sign-ins; try again in 15 minutes");
        goto cleanup;
    }
    waras_user u;
    char token[WARAS_AUTH_TOKEN_SIZE], csrf[WARAS_AUTH_TOKEN_SIZE];
    if (waras_store_open(&st, app->db, 0)) {
        srv_json_error(rs, 500, "internal", NULL, "the store cannot be opened");
        goto cleanup;
    }
    int rc = waras_auth_login(&u, st, f.login, f.password);
    if (rc == WARAS_EINVAL) {
        waras_auth_limiter_record(app->limiter, f.login, rq->client_addr, 0);
        if (json)
            srv_json_error(rs, 401, "unauthorized", NULL, "wrong login or password");
        else
            login_page(rs, rq, 401, "Wrong login or password.");
        goto cleanup;
    }
    if (rc || waras_auth_session_create(token, csrf, st, u.id, SRV_SESSION_TTL)) {
        srv_json_error(rs, 500, "internal", NULL, "sign-in failed inside the service");
        goto cleanup;
    }
    waras_auth_limiter_record(app->limiter, f.login, rq->client_addr, 1);
    cookie_header(rs, rq, SESSION_COOKIE, token, "/", SRV_SESSION_TTL);
    cookie_header(rs, rq, LOGIN_COOKIE, "", "/login", 0);
    sodium_memzero(token, sizeof(token));
    if (json) {
        json_t *o = json_pack("{s:s,s:s,s:s}", "login", u.login, "role", waras_role_name(u.role),
                              "csrf", csrf);
        srv_set_body(rs, 200, "application/json", o ? json_dumps(o, JSON_COMPACT) : NULL);
        json_decref(o);
    } else {
        srv_add_header(rs, "Location", "/");
        srv_set_body(rs, 303, "text/plain; charset=utf-8", waras_strdup("signed in\n"));
    }
cleanup:
    sodium_memzero(&f, sizeof(f));
    waras_store_close(st);
}

/* Who asks: 1 signed in, 0 anonymous, -1 when a credential was sent but is
 * not valid (rs holds the 401). */
static int authenticate(srv_app *app, const srv_request *rq, srv_auth *a, srv_response *rs)
{
    char session[WARAS_AUTH_TOKEN_SIZE];
    waras_store *st = NULL;
    int have_cookie = !cookie_get(rq->cookie, SESSION_COOKIE, session, sizeof(session));
    memset(a, 0, sizeof(*a));
    if (!rq->authorization && !have_cookie)
        return 0;
    if (waras_store_open(&st, app->db, 0)) {
        srv_json_error(rs, 500, "internal", NULL, "the store cannot be opened");
        return -1;
    }
    int rc;
    if (rq->authorization) {
        if (strncmp(rq->authorization, "Bearer ", 7) != 0) {
            srv_json_error(rs, 401, "unauthorized", NULL, "use Authorization: Bearer TOKEN");
            waras_store_close(st);
            return -1;
        }
        rc = waras_auth_token_check(&a->user, st, rq->authorization + 7);
        a->by_token = 1;
    } else {
        rc = waras_auth_session_get(&a->user, a->csrf, st, session);
        if (!rc)
            memcpy(a->session, session, sizeof(session));
    }
    waras_store_close(st);
    if (rc == WARAS_ENOTFOUND) {
        if (a->by_token) {
            srv_json_error(rs, 401, "unauthorized", NULL,
                           "the API token is unknown, expired or revoked");
            return -1;
        }
        return 0; /* a stale cookie: treated as signed out */
    }
    if (rc) {
        srv_json_error(rs, 500, "internal", NULL, "the credential could not be checked");
        return -1;
    }
    a->signed_in = 1;
    return 1;
}

/* A POST from a session must echo its CSRF token (form field csrf is read
 * by the handler that parses its form; here the header). */
static int csrf_ok(const srv_request *rq, const srv_auth *a)
{
    if (a->by_token)
        return 1;
    const char *sent = rq->csrf_header;
    char field[WARAS_AUTH_TOKEN_SIZE] = "";
    /* A form's csrf field (given exactly once), of an ordinary form or of
     * one with a file (the admin page's upload). */
    if (!sent && (srv_form_get(rq, "csrf", field, sizeof(field)) ||
                  srv_multipart_text(rq, "csrf", field, sizeof(field))))
        sent = field;
    return sent && token_eq(a->csrf, sent);
}

static void do_logout(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs)
{
    waras_store *st = NULL;
    if (!a->signed_in) {
        srv_json_error(rs, 401, "unauthorized", NULL, "not signed in");
        return;
    }
    if (a->by_token) {
        srv_json_error(rs, 400, "bad_request", NULL,
                       "an API token has no session; revoke it with 'waras token revoke'");
        return;
    }
    if (waras_store_open(&st, app->db, 0) || waras_auth_session_end(st, a->session)) {
        srv_json_error(rs, 500, "internal", NULL, "the session could not be ended");
        waras_store_close(st);
        return;
    }
    waras_store_close(st);
    cookie_header(rs, rq, SESSION_COOKIE, "", "/", 0);
    srv_add_header(rs, "Location", "/login");
    srv_set_body(rs, 303, "text/plain; charset=utf-8", waras_strdup("signed out\n"));
}

static void method_not_allowed(srv_response *rs, const char *allow)
{
    srv_json_error(rs, 405, "method_not_allowed", NULL, "method not allowed here");
    srv_add_header(rs, "Allow", allow);
}

/* A page asked for without a session: to the sign-in form. */
static void page_sign_in(srv_response *rs)
{
    srv_add_header(rs, "Location", "/login");
    srv_set_body(rs, 303, "text/plain; charset=utf-8", waras_strdup("sign in first\n"));
}

/* An API call without a session or a token. */
static void api_unauthorized(srv_response *rs)
{
    srv_json_error(rs, 401, "unauthorized", NULL, "sign in, or send Authorization: Bearer TOKEN");
}

void srv_handle(srv_app *app, const srv_request *rq, srv_response *rs)
{
    srv_auth a;
    memset(rs, 0, sizeof(*rs));
    const char *m = rq->method ? rq->method : "", *p = rq->path ? rq->path : "";
    int get = strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0, post = strcmp(m, "POST") == 0;
    if (rq->body_too_large) {
        srv_json_error(rs, 413, "payload_too_large", NULL,
                       srv_is_upload_path(p) ? "the upload is larger than 32 MiB"
                                             : "the body is larger than 16 KiB");
        return;
    }
    if (rq->arg_nul) {
        srv_json_error(rs, 400, "bad_request", NULL, "a query parameter holds a NUL byte");
        return;
    }
    if (rq->too_many_args) {
        srv_json_error(rs, 400, "bad_request", NULL,
                       "too many query parameters, or the address is too long");
        return;
    }
    /* Public routes. */
    if (strcmp(p, "/api/v1/openapi.json") == 0) {
        get ? srv_api_openapi(rs) : method_not_allowed(rs, "GET");
        return;
    }
    if (strcmp(p, "/api/v1/health") == 0) {
        if (get)
            srv_set_body(rs, 200, "application/json", waras_strdup("{\"status\":\"ok\"}\n"));
        else
            method_not_allowed(rs, "GET");
        return;
    }
    if (strncmp(p, "/static/", 8) == 0) {
        get ? srv_static(rq, rs) : method_not_allowed(rs, "GET");
        return;
    }
    if (strncmp(p, "/cal/", 5) == 0) {
        get ? srv_calendar_feed(app, rq, rs) : method_not_allowed(rs, "GET");
        return;
    }
    if (strcmp(p, "/login") == 0) {
        if (get)
            login_page(rs, rq, 200, NULL);
        else if (post)
            do_login(app, rq, rs);
        else
            method_not_allowed(rs, "GET, POST");
        return;
    }
    int who = authenticate(app, rq, &a, rs);
    if (who < 0)
        return;
    if (post && who > 0 && !csrf_ok(rq, &a)) {
        srv_json_error(rs, 403, "csrf", "csrf",
                       "missing or wrong CSRF token (form field csrf or X-CSRF-Token header)");
        return;
    }
    if (strcmp(p, "/logout") == 0) {
        if (!post)
            method_not_allowed(rs, "POST");
        else
            do_logout(app, rq, &a, rs);
        return;
    }
    /* Uploads to ingest (ingest.c), and the admins' users and tokens
     * (admin.c): each handler checks its method and the access rule. */
    if (strncmp(p, SRV_UPLOAD_PREFIX, strlen(SRV_UPLOAD_PREFIX)) == 0) {
        if (!post)
            method_not_allowed(rs, "POST");
        else if (!who)
            api_unauthorized(rs);
        else
            srv_api_ingest(app, rq, &a, rs, p + strlen(SRV_UPLOAD_PREFIX));
        return;
    }
    if (strncmp(p, "/api/v1/users", 13) == 0 && (p[13] == '\0' || p[13] == '/')) {
        if (!who)
            api_unauthorized(rs);
        else
            srv_api_users(app, rq, &a, rs, p[13] ? p + 14 : NULL);
        return;
    }
    if (strncmp(p, "/api/v1/tokens", 14) == 0 && (p[14] == '\0' || p[14] == '/')) {
        if (!who)
            api_unauthorized(rs);
        else
            srv_api_tokens(app, rq, &a, rs, p[14] ? p + 15 : NULL);
        return;
    }
    if (strncmp(p, "/admin", 6) == 0 && (p[6] == '\0' || p[6] == '/')) {
        if (!get && !post)
            method_not_allowed(rs, "GET, POST");
        else if (!who)
            page_sign_in(rs);
        else
            srv_page_admin(app, rq, &a, rs, p[6] ? p + 7 : NULL);
        return;
    }
    if (strcmp(p, "/") == 0) {
        if (!get) {
            method_not_allowed(rs, "GET");
        } else if (!who) {
            page_sign_in(rs);
        } else {
            srv_page_home(app, rq, &a, rs);
        }
        return;
    }
    /* Quiet weeks, recovery leave, policy checks, risk and activity. */
    if (strcmp(p, "/api/v1/plans/quiet") == 0 || strcmp(p, "/api/v1/plans/recovery") == 0) {
        if (!post)
            method_not_allowed(rs, "POST");
        else if (!who)
            api_unauthorized(rs);
        else if (p[14] == 'q')
            srv_api_plan_quiet(app, rq, &a, rs);
        else
            srv_api_plan_recovery(app, rq, &a, rs);
        return;
    }
    if (strcmp(p, "/api/v1/check") == 0 || strcmp(p, "/api/v1/risk") == 0 ||
        strcmp(p, "/api/v1/activity") == 0) {
        if (!get)
            method_not_allowed(rs, "GET");
        else if (!who)
            api_unauthorized(rs);
        else if (p[8] == 'c')
            srv_api_check(app, rq, &a, rs);
        else if (p[8] == 'r')
            srv_api_risk(app, rq, &a, rs);
        else
            srv_api_activity(app, rq, &a, rs);
        return;
    }
    if (strcmp(p, "/check") == 0) {
        if (!get)
            method_not_allowed(rs, "GET");
        else if (!who)
            page_sign_in(rs);
        else
            srv_page_check(app, rq, &a, rs);
        return;
    }
    if (strcmp(p, "/plans") == 0) {
        if (!get && !post)
            method_not_allowed(rs, "GET, POST");
        else if (!who)
            page_sign_in(rs);
        else if (post)
            srv_page_plans_run(app, rq, &a, rs);
        else
            srv_page_plans(app, rq, &a, rs);
        return;
    }
    if (strcmp(p, "/api/v1/report") == 0) {
        if (!get)
            method_not_allowed(rs, "GET");
        else if (!who)
            api_unauthorized(rs);
        else
            srv_api_report(app, rq, &a, rs);
        return;
    }
    if (strcmp(p, "/api/v1/people") == 0) {
        if (!get)
            method_not_allowed(rs, "GET");
        else if (!who)
            api_unauthorized(rs);
        else
            srv_api_people(app, rq, &a, rs);
        return;
    }
    if (strncmp(p, "/api/v1/plans", 13) == 0 && (p[13] == '\0' || p[13] == '/')) {
        const char *rest = p[13] ? p + 14 : NULL;
        int run = rest && strcmp(rest, "oncall") == 0;
        if (run ? !post : !get)
            method_not_allowed(rs, run ? "POST" : "GET");
        else if (!who)
            api_unauthorized(rs);
        else if (run)
            srv_api_plan_run(app, rq, &a, rs);
        else if (rest)
            srv_api_plan_get(app, rq, &a, rs, rest);
        else
            srv_api_plans_list(app, rq, &a, rs);
        return;
    }
    if (strcmp(p, "/rota") == 0) {
        if (!get && !post) {
            method_not_allowed(rs, "GET, POST");
        } else if (!who) {
            page_sign_in(rs);
        } else if (post) {
            srv_page_rota_run(app, rq, &a, rs);
        } else {
            srv_page_rota(app, rq, &a, rs);
        }
        return;
    }
    if (strcmp(p, "/calendar") == 0 || strcmp(p, "/calendar/new") == 0 ||
        strcmp(p, "/calendar/revoke") == 0) {
        int page = p[9] == '\0';
        if (page ? !get : !post) {
            method_not_allowed(rs, page ? "GET" : "POST");
        } else if (!who) {
            page_sign_in(rs);
        } else if (a.by_token) {
            srv_json_error(rs, 403, "forbidden", NULL,
                           "calendar addresses are made on the page, signed in");
        } else if (page) {
            srv_page_calendar(app, rq, &a, rs);
        } else if (p[10] == 'n') {
            srv_calendar_new(app, rq, &a, rs);
        } else {
            srv_calendar_revoke(app, rq, &a, rs);
        }
        return;
    }
    if (strcmp(p, "/api/v1/org") == 0) {
        if (!get)
            method_not_allowed(rs, "GET");
        else if (!who)
            api_unauthorized(rs);
        else
            srv_api_org(app, rq, &a, rs);
        return;
    }
    if (strcmp(p, "/org") == 0) {
        if (!get) {
            method_not_allowed(rs, "GET");
        } else if (!who) {
            page_sign_in(rs);
        } else {
            srv_page_org(app, rq, &a, rs);
        }
        return;
    }
    if (strncmp(p, "/api/v1/surveys", 15) == 0 && (p[15] == '\0' || p[15] == '/')) {
        if (!who)
            api_unauthorized(rs);
        else
            srv_api_surveys(app, rq, &a, rs, p[15] ? p + 16 : NULL);
        return;
    }
    if (strcmp(p, "/survey") == 0 || strcmp(p, "/survey/open") == 0) {
        if (!get && !post) {
            method_not_allowed(rs, "GET, POST");
        } else if (!who) {
            page_sign_in(rs);
        } else if (p[7] == '\0') {
            post ? srv_page_survey_answer(app, rq, &a, rs) : srv_page_survey(app, rq, &a, rs);
        } else if (post) {
            srv_page_survey_open_run(app, rq, &a, rs);
        } else {
            srv_page_survey_open(app, rq, &a, rs);
        }
        return;
    }
    if (strcmp(p, "/team") == 0) {
        if (!get) {
            method_not_allowed(rs, "GET");
        } else if (!who) {
            page_sign_in(rs);
        } else {
            srv_page_team(app, rq, &a, rs);
        }
        return;
    }
    srv_json_error(rs, 404, "not_found", NULL, "no such endpoint");
}
