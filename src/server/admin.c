/*
 * The admins' users and tokens: the /admin page (list, add and remove users,
 * reset a password, create and revoke API tokens; a new token is shown once)
 * and the same under /api/v1/users and /api/v1/tokens. The access rule
 * decides (accounts: admins only); the router has checked the CSRF token of
 * every POST and DELETE from a session. Passwords are hashed and tokens made
 * by the library (waras/auth.h); neither a password hash nor a token hash
 * is ever read here. Also the OpenAPI entries of these paths and of the
 * ingest uploads (ingest.c).
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
#include "waras/time.h"

static int is_admin(const srv_auth *a, srv_response *rs)
{
    if (waras_access_decide(&a->user, WARAS_DATA_ACCOUNTS, NULL) == WARAS_ACCESS_ALLOWED)
        return 1;
    srv_json_error(rs, 403, "forbidden", NULL, "users and tokens are for admins");
    return 0;
}

/* The router checks the CSRF token of every POST; a DELETE from a session
 * must carry it too, in X-CSRF-Token (0 with the 403 in rs when not). */
static int delete_csrf_ok(const srv_request *rq, const srv_auth *a, srv_response *rs)
{
    if (strcmp(rq->method, "DELETE") != 0 || a->by_token)
        return 1;
    const char *sent = rq->csrf_header;
    size_t n = strlen(a->csrf);
    if (sent && n == 64 && strlen(sent) == n && sodium_memcmp(sent, a->csrf, n) == 0)
        return 1;
    srv_json_error(rs, 403, "csrf", "csrf", "missing or wrong CSRF token (X-CSRF-Token header)");
    return 0;
}

static void method_not_allowed(srv_response *rs, const char *allow)
{
    srv_json_error(rs, 405, "method_not_allowed", NULL, "method not allowed here");
    srv_add_header(rs, "Allow", allow);
}

/* A library error of an account change as the answer's status and code. */
static int error_status(int rc, const char **code)
{
    switch (rc) {
    case WARAS_EEXISTS:
        *code = "exists";
        return 409;
    case WARAS_ENOTFOUND:
        *code = "not_found";
        return 404;
    case WARAS_EINVAL:
    case WARAS_ELIMIT:
        *code = "bad_request";
        return 400;
    default:
        *code = "internal";
        return 500;
    }
}

static void lib_error(srv_response *rs, int rc)
{
    const char *code;
    int status = error_status(rc, &code);
    const waras_error *e = waras_error_last();
    srv_json_error(rs, status, code, e->field[0] ? e->field : NULL,
                   status == 500 ? "the change could not be stored" : e->message);
}

static void iso(char out[32], int64_t t)
{
    waras_civil c;
    waras_epoch_to_civil(&c, t);
    snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year, c.month, c.day, c.hour, c.minute,
             c.second);
}

/* --- the actions, shared by the API and the page --- */

/* The parts of a request that change an account; NULL: not given. */
typedef struct account_req {
    const char *login, *role, *person, *teams, *password, *name, *days, *id;
} account_req;

static int open_store(waras_store **st, srv_app *app)
{
    if (waras_store_open(st, app->db, 0))
        return waras_error_msg(WARAS_ESTORE, "the store cannot be opened");
    return 0;
}

static int act_user_add(srv_app *app, const account_req *q)
{
    waras_role role;
    waras_store *st;
    if (!q->login || !*q->login)
        return waras_error_set(WARAS_EINVAL, NULL, 0, "login", "a login is needed");
    if (!q->role || waras_role_parse(&role, q->role))
        return waras_error_set(WARAS_EINVAL, NULL, 0, "role",
                               "role is member, lead, people-ops or admin");
    if (!q->password)
        return waras_error_set(WARAS_EINVAL, NULL, 0, "password", "a password is needed");
    int rc = open_store(&st, app);
    if (rc)
        return rc;
    rc = waras_auth_user_add(NULL, st, q->login, role, q->person && *q->person ? q->person : NULL,
                             q->teams && *q->teams ? q->teams : NULL, q->password);
    waras_store_close(st);
    return rc;
}

static int act_user_remove(srv_app *app, const srv_auth *a, const char *login)
{
    waras_store *st;
    if (!login || !*login)
        return waras_error_set(WARAS_EINVAL, NULL, 0, "login", "a login is needed");
    if (strcmp(login, a->user.login) == 0)
        return waras_error_set(WARAS_EINVAL, NULL, 0, "login",
                               "you cannot remove your own account");
    int rc = open_store(&st, app);
    if (rc)
        return rc;
    rc = waras_auth_user_remove(st, login);
    waras_store_close(st);
    return rc;
}

static int act_user_passwd(srv_app *app, const char *login, const char *password)
{
    waras_store *st;
    if (!password)
        return waras_error_set(WARAS_EINVAL, NULL, 0, "password", "a password is needed");
    int rc = open_store(&st, app);
    if (rc)
        return rc;
    rc = waras_auth_user_passwd(st, login, password);
    waras_store_close(st);
    return rc;
}

static int act_token_create(char token[WARAS_AUTH_TOKEN_SIZE], int64_t *id, srv_app *app,
                            const account_req *q)
{
    waras_store *st;
    long days = 90;
    if (!q->login || !*q->login)
        return waras_error_set(WARAS_EINVAL, NULL, 0, "login", "a login is needed");
    if (q->days && *q->days && waras_parse_long(q->days, &days))
        return waras_error_set(WARAS_EINVAL, NULL, 0, "days", "days is 0 (no expiry) to 3660");
    if (days < 0 || days > 3660)
        return waras_error_set(WARAS_EINVAL, NULL, 0, "days", "days is 0 (no expiry) to 3660");
    int rc = open_store(&st, app);
    if (rc)
        return rc;
    rc = waras_auth_token_create(token, id, st, q->login, q->name ? q->name : "", (int)days);
    waras_store_close(st);
    return rc;
}

static int act_token_revoke(srv_app *app, const char *id_text)
{
    waras_store *st;
    long id;
    if (!id_text || waras_parse_long(id_text, &id) || id <= 0)
        return waras_error_set(WARAS_ENOTFOUND, NULL, 0, "id", "no such token");
    int rc = open_store(&st, app);
    if (rc)
        return rc;
    rc = waras_auth_token_revoke(st, id);
    waras_store_close(st);
    return rc;
}

/* --- the API --- */

/* The JSON body's string fields into q (numbers for days), refusing any
 * field not in known (space-separated). */
static int read_body(account_req *q, json_t **keep, const srv_request *rq, const char *known,
                     srv_response *rs)
{
    json_error_t err;
    memset(q, 0, sizeof(*q));
    *keep = NULL;
    if (!rq->content_type || strncmp(rq->content_type, "application/json", 16) != 0) {
        srv_json_error(rs, 415, "unsupported_media_type", NULL, "send application/json");
        return -1;
    }
    json_t *o = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &err);
    if (!o || !json_is_object(o)) {
        json_decref(o);
        srv_json_error(rs, 400, "bad_json", NULL, "the body is not a JSON object");
        return -1;
    }
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        size_t n = strlen(key);
        const char *hit = strstr(known, key);
        while (hit && !((hit == known || hit[-1] == ' ') && (hit[n] == ' ' || hit[n] == '\0')))
            hit = strstr(hit + 1, key);
        if (!hit || !n) {
            srv_json_error(rs, 400, "unknown_field", n ? key : NULL, "unknown field");
            json_decref(o);
            return -1;
        }
        const char **slot = strcmp(key, "login") == 0      ? &q->login
                            : strcmp(key, "role") == 0     ? &q->role
                            : strcmp(key, "person") == 0   ? &q->person
                            : strcmp(key, "teams") == 0    ? &q->teams
                            : strcmp(key, "password") == 0 ? &q->password
                            : strcmp(key, "name") == 0     ? &q->name
                                                           : &q->days;
        if (slot == &q->days && json_is_integer(v)) {
            char num[32];
            snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
            json_object_set_new(o, "days", json_string(num));
            v = json_object_get(o, "days");
        } else if (slot == &q->teams && json_is_array(v)) {
            /* ["a","b"] as the library's "a,b" */
            waras_buf b;
            waras_buf_init(&b, 4096);
            size_t i;
            json_t *t;
            json_array_foreach(v, i, t)
            {
                if (!json_is_string(t) || strchr(json_string_value(t), ',') ||
                    (i && waras_buf_addc(&b, ',')) ||
                    waras_buf_add(&b, json_string_value(t), strlen(json_string_value(t)))) {
                    waras_buf_free(&b);
                    srv_json_error(rs, 400, "bad_request", key, "teams is a list of team names");
                    json_decref(o);
                    return -1;
                }
            }
            waras_buf_addc(&b, '\0');
            json_object_set_new(o, "teams", json_string(b.ptr ? b.ptr : ""));
            waras_buf_free(&b);
            v = json_object_get(o, "teams");
        } else if (slot == &q->person && json_is_null(v)) {
            continue;
        } else if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v)) {
            srv_json_error(rs, 400, "bad_request", key, "the value must be a string");
            json_decref(o);
            return -1;
        }
        *slot = json_string_value(v);
    }
    *keep = o;
    return 0;
}

/* The checks of an account endpoint once its path is known: the method
 * (allow names those the path takes), the CSRF token of a change made in
 * a session, the admin role, and no query parameter. */
static int account_gate(const srv_request *rq, const srv_auth *a, srv_response *rs, int method_ok,
                        const char *allow)
{
    if (!method_ok) {
        method_not_allowed(rs, allow);
        return -1;
    }
    if (!delete_csrf_ok(rq, a, rs) || !is_admin(a, rs))
        return -1;
    if (rq->nargs) {
        srv_json_error(rs, 400, "unknown_field", rq->args[0].key, "no parameter is taken here");
        return -1;
    }
    return 0;
}

/* Closes the store a list was read from (NULL when it did not open); a
 * failed read is answered 500 with what cannot be read. */
static int list_read_end(waras_store *st, int failed, const char *what, srv_response *rs)
{
    if (st)
        waras_store_close(st);
    if (!failed)
        return 0;
    srv_json_error(rs, 500, "internal", NULL, what);
    return -1;
}

static json_t *user_json(const waras_user *u)
{
    json_t *teams = json_array();
    for (int i = 0; i < u->nteams; i++)
        json_array_append_new(teams, json_string(u->teams[i]));
    return json_pack("{s:s,s:s,s:s?,s:o}", "login", u->login, "role", waras_role_name(u->role),
                     "person", u->person[0] ? u->person : NULL, "teams", teams);
}

static void api_users_list(srv_app *app, srv_response *rs)
{
    waras_store *st;
    waras_user *v = NULL;
    size_t n = 0;
    int failed = open_store(&st, app) || waras_auth_user_list(&v, &n, st);
    if (list_read_end(st, failed, "the users cannot be read", rs))
        return;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, user_json(&v[i]));
    free(v);
    srv_send_json(rs, 200, json_pack("{s:o}", "users", arr));
}

static void api_user_get(srv_app *app, const char *login, srv_response *rs)
{
    waras_store *st;
    waras_user u;
    if (open_store(&st, app)) {
        srv_json_error(rs, 500, "internal", NULL, "the store cannot be opened");
        return;
    }
    int rc = waras_auth_user_get(&u, st, login);
    waras_store_close(st);
    if (rc) {
        lib_error(rs, rc);
        return;
    }
    srv_send_json(rs, 200, user_json(&u));
}

void srv_api_users(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs,
                   const char *rest)
{
    int get = strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0;
    int post = strcmp(rq->method, "POST") == 0, del = strcmp(rq->method, "DELETE") == 0;
    account_req q;
    json_t *keep = NULL;
    char login[64];
    const char *action = NULL;
    if (rest) {
        const char *slash = strchr(rest, '/');
        size_t n = slash ? (size_t)(slash - rest) : strlen(rest);
        if (n == 0 || n >= sizeof(login)) {
            srv_json_error(rs, 404, "not_found", NULL, "no such user");
            return;
        }
        memcpy(login, rest, n);
        login[n] = '\0';
        action = slash ? slash + 1 : NULL;
        if (action && strcmp(action, "remove") && strcmp(action, "passwd")) {
            srv_json_error(rs, 404, "not_found", NULL, "no such endpoint");
            return;
        }
    }
    /* Which method each path takes. */
    const char *allow = !rest ? "GET, POST" : action ? "POST" : "GET, DELETE";
    if (account_gate(rq, a, rs, !rest ? get || post : action ? post : get || del, allow))
        return;
    int rc;
    if (!rest && get) {
        api_users_list(app, rs);
        return;
    }
    if (rest && get) {
        api_user_get(app, login, rs);
        return;
    }
    if (!rest) {
        if (read_body(&q, &keep, rq, "login role person teams password", rs))
            return;
        rc = act_user_add(app, &q);
        char loc[96];
        snprintf(loc, sizeof(loc), "/api/v1/users/%s", q.login ? q.login : "");
        if (!rc) {
            api_user_get(app, q.login, rs);
            if (rs->status == 200) {
                rs->status = 201;
                srv_add_header(rs, "Location", loc);
            }
        }
    } else if (del || strcmp(action, "remove") == 0) {
        if (rq->body_len && (read_body(&q, &keep, rq, "", rs)))
            return;
        rc = act_user_remove(app, a, login);
        if (!rc)
            srv_send_json(rs, 200, json_pack("{s:s}", "removed", login));
    } else {
        if (read_body(&q, &keep, rq, "password", rs))
            return;
        rc = act_user_passwd(app, login, q.password);
        if (!rc)
            srv_send_json(rs, 200, json_pack("{s:s,s:b}", "login", login, "sessions_ended", 1));
    }
    if (rc)
        lib_error(rs, rc);
    if (keep) {
        json_t *pw = json_object_get(keep, "password");
        if (json_is_string(pw))
            sodium_memzero((char *)json_string_value(pw), json_string_length(pw));
    }
    json_decref(keep);
}

static json_t *token_json(const waras_auth_token_info *t)
{
    char created[32], expires[32];
    iso(created, t->created_at);
    iso(expires, t->expires_at);
    int expired = t->expires_at && t->expires_at <= waras_clock_now();
    return json_pack("{s:I,s:s,s:s,s:s,s:s?,s:b,s:b}", "id", (json_int_t)t->id, "login", t->login,
                     "name", t->name, "created_at", created, "expires_at",
                     t->expires_at ? expires : NULL, "revoked", t->revoked, "expired", expired);
}

void srv_api_tokens(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs,
                    const char *rest)
{
    int get = strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0;
    int post = strcmp(rq->method, "POST") == 0, del = strcmp(rq->method, "DELETE") == 0;
    char id[32] = "";
    int revoke_path = 0;
    if (rest) {
        const char *slash = strchr(rest, '/');
        size_t n = slash ? (size_t)(slash - rest) : strlen(rest);
        if (n == 0 || n >= sizeof(id) || (slash && strcmp(slash, "/revoke") != 0)) {
            srv_json_error(rs, 404, "not_found", NULL, "no such endpoint");
            return;
        }
        memcpy(id, rest, n);
        id[n] = '\0';
        revoke_path = slash != NULL;
    }
    const char *allow = !rest ? "GET, POST" : revoke_path ? "POST" : "DELETE";
    if (account_gate(rq, a, rs, !rest ? get || post : revoke_path ? post : del, allow))
        return;
    account_req q;
    json_t *keep = NULL;
    int rc;
    if (!rest && get) {
        waras_store *st;
        waras_auth_token_info *v = NULL;
        size_t n = 0;
        int failed = open_store(&st, app) || waras_auth_token_list(&v, &n, st);
        if (list_read_end(st, failed, "the tokens cannot be read", rs))
            return;
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, token_json(&v[i]));
        free(v);
        srv_send_json(rs, 200, json_pack("{s:o}", "tokens", arr));
        return;
    }
    if (!rest) {
        char token[WARAS_AUTH_TOKEN_SIZE];
        int64_t tid = 0;
        if (read_body(&q, &keep, rq, "login name days", rs))
            return;
        rc = act_token_create(token, &tid, app, &q);
        if (!rc) {
            char loc[64];
            snprintf(loc, sizeof(loc), "/api/v1/tokens/%lld", (long long)tid);
            srv_send_json(rs, 201,
                          json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)tid, "login", q.login,
                                    "name", q.name ? q.name : "", "token", token));
            srv_add_header(rs, "Location", loc);
            sodium_memzero(token, sizeof(token));
        }
    } else {
        if (rq->body_len && read_body(&q, &keep, rq, "", rs))
            return;
        rc = act_token_revoke(app, id);
        if (!rc)
            srv_send_json(
                rs, 200,
                json_pack("{s:I,s:b}", "id", (json_int_t)strtoll(id, NULL, 10), "revoked", 1));
    }
    if (rc)
        lib_error(rs, rc);
    json_decref(keep);
}

/* --- the page --- */

static void esc_print(waras_buf *b, const char *fmt, const char *s)
{
    char *e = srv_html_escape(s ? s : "");
    waras_buf_printf(b, fmt, e ? e : "");
    free(e);
}

static void render(srv_app *app, const srv_auth *a, srv_response *rs, int status,
                   const char *message, const char *token, const char *notice)
{
    waras_store *st;
    waras_user *users = NULL;
    waras_auth_token_info *tokens = NULL;
    size_t nu = 0, nt = 0;
    if (open_store(&st, app) || waras_auth_user_list(&users, &nu, st) ||
        waras_auth_token_list(&tokens, &nt, st)) {
        if (st)
            waras_store_close(st);
        free(users);
        srv_json_error(rs, 500, "internal", NULL, "the users cannot be read");
        return;
    }
    waras_store_close(st);
    waras_buf b;
    waras_buf_init(&b, 4 << 20);
    srv_html_head(&b, "Users and tokens");
    srv_html_header_bar(&b, a);
    waras_buf_printf(&b, "<h1>Users and tokens</h1>\n");
    if (message)
        esc_print(&b, "<p class=\"error\" id=\"error\">%s</p>\n", message);
    if (notice)
        esc_print(&b, "<p class=\"notice\" id=\"notice\">%s</p>\n", notice);
    if (token)
        waras_buf_printf(&b,
                         "<div class=\"card private\"><p>The new API token, shown only this "
                         "once (send it as <code>Authorization: Bearer</code>):</p>"
                         "<p><code id=\"new-token\">%s</code></p></div>\n",
                         token);
    /* One card per user (a table's inline forms do not fit a phone). */
    waras_buf_printf(&b, "<h2>Users</h2>\n<ul id=\"users\" class=\"plain\">\n");
    for (size_t i = 0; i < nu; i++) {
        const waras_user *u = &users[i];
        char teams[WARAS_AUTH_MAX_TEAMS * 66] = "";
        size_t tl = 0;
        for (int k = 0; k < u->nteams && tl < sizeof(teams); k++)
            tl += (size_t)snprintf(teams + tl, sizeof(teams) - tl, "%s%s", k ? ", " : "",
                                   u->teams[k]);
        esc_print(&b, "<li class=\"card user\"><p><strong class=\"login\">%s</strong> ", u->login);
        waras_buf_printf(&b, "<span class=\"role\">%s</span>", waras_role_name(u->role));
        if (u->person[0])
            esc_print(&b, " · person <span class=\"person\">%s</span>", u->person);
        if (teams[0])
            esc_print(&b, " · leads <span class=\"teams\">%s</span>", teams);
        waras_buf_printf(&b, "</p>\n");
        esc_print(&b,
                  "<form method=\"post\" action=\"/admin/users/passwd\" class=\"password\">"
                  "<input type=\"hidden\" name=\"login\" value=\"%s\">",
                  u->login);
        waras_buf_printf(&b,
                         "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                         "<label>New password <input type=\"password\" name=\"password\" "
                         "minlength=\"8\" autocomplete=\"new-password\" required></label>"
                         "<button type=\"submit\" class=\"set-password\">Set</button></form>\n",
                         a->csrf);
        if (strcmp(u->login, a->user.login) == 0) {
            waras_buf_printf(&b, "<p class=\"muted\">This is you.</p></li>\n");
            continue;
        }
        esc_print(&b,
                  "<form method=\"post\" action=\"/admin/users/remove\">"
                  "<input type=\"hidden\" name=\"login\" value=\"%s\">",
                  u->login);
        waras_buf_printf(&b,
                         "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                         "<button type=\"submit\" class=\"remove\">Remove</button></form>"
                         "</li>\n",
                         a->csrf);
    }
    waras_buf_printf(&b,
                     "</ul>\n"
                     "<h2>Add a user</h2>\n<form class=\"card\" id=\"add-user\" method=\"post\" "
                     "action=\"/admin/users\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                     "<label for=\"u-login\">Login</label><input id=\"u-login\" name=\"login\" "
                     "required maxlength=\"63\" autocapitalize=\"none\">"
                     "<label for=\"u-role\">Role</label><select id=\"u-role\" name=\"role\">"
                     "<option>member</option><option>lead</option><option>people-ops</option>"
                     "<option>admin</option></select>"
                     "<label for=\"u-person\">Person (not for an admin)</label>"
                     "<input id=\"u-person\" name=\"person\">"
                     "<label for=\"u-teams\">Teams led (a lead; comma-separated)</label>"
                     "<input id=\"u-teams\" name=\"teams\">"
                     "<label for=\"u-password\">Password (8 to 1024 bytes)</label>"
                     "<input id=\"u-password\" name=\"password\" type=\"password\" "
                     "minlength=\"8\" autocomplete=\"new-password\" required>"
                     "<button type=\"submit\">Add</button></form>\n",
                     a->csrf);
    waras_buf_printf(&b, "<h2>API tokens</h2>\n<div class=\"scroll\"><table id=\"tokens\"><thead>"
                         "<tr><th>id</th><th>login</th><th>name</th><th>made</th>"
                         "<th>expires</th><th>state</th><th></th></tr></thead><tbody>\n");
    int64_t now = waras_clock_now();
    for (size_t i = 0; i < nt; i++) {
        const waras_auth_token_info *t = &tokens[i];
        char made[32], exp[32];
        iso(made, t->created_at);
        iso(exp, t->expires_at);
        const char *state = t->revoked                              ? "revoked"
                            : t->expires_at && t->expires_at <= now ? "expired"
                                                                    : "active";
        waras_buf_printf(&b, "<tr id=\"token-%lld\"><td>%lld</td>", (long long)t->id,
                         (long long)t->id);
        esc_print(&b, "<td>%s</td>", t->login);
        esc_print(&b, "<td class=\"name\">%s</td>", t->name);
        waras_buf_printf(&b, "<td>%.10s</td><td>%.10s</td><td class=\"state\">%s</td>", made,
                         t->expires_at ? exp : "never", state);
        if (strcmp(state, "active") == 0)
            waras_buf_printf(&b,
                             "<td><form method=\"post\" action=\"/admin/tokens/revoke\">"
                             "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                             "<input type=\"hidden\" name=\"id\" value=\"%lld\">"
                             "<button type=\"submit\" class=\"revoke\">Revoke</button></form>"
                             "</td></tr>\n",
                             a->csrf, (long long)t->id);
        else
            waras_buf_printf(&b, "<td></td></tr>\n");
    }
    waras_buf_printf(&b,
                     "</tbody></table></div>\n"
                     "<h2>Create a token</h2>\n<form class=\"card\" id=\"add-token\" "
                     "method=\"post\" action=\"/admin/tokens\"><input type=\"hidden\" "
                     "name=\"csrf\" value=\"%s\">"
                     "<label for=\"t-login\">For login</label><input id=\"t-login\" "
                     "name=\"login\" required autocapitalize=\"none\">"
                     "<label for=\"t-name\">Name</label><input id=\"t-name\" name=\"name\" "
                     "required maxlength=\"64\">"
                     "<label for=\"t-days\">Days (0: no expiry)</label><input id=\"t-days\" "
                     "name=\"days\" type=\"number\" min=\"0\" max=\"3660\" value=\"90\">"
                     "<button type=\"submit\">Create</button></form>\n",
                     a->csrf);
    /* The upload: a file as `waras ingest KIND FILE` would read it, under
     * its own file name (a changed file of the same name replaces the
     * earlier one). */
    waras_buf_printf(&b,
                     "<h2>Load a file</h2>\n<form class=\"card\" id=\"ingest\" method=\"post\" "
                     "action=\"" SRV_UPLOAD_FORM "\" enctype=\"multipart/form-data\">"
                     "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                     "<label for=\"i-kind\">Kind</label><select id=\"i-kind\" name=\"kind\">"
                     "<option>people</option><option>timesheet</option><option>survey</option>"
                     "<option>leave</option><option>ics</option><option>pagerduty</option>"
                     "<option>opsgenie</option><option>oncall</option></select>"
                     "<label for=\"i-person\">Person (leave and ics: whose file)</label>"
                     "<input id=\"i-person\" name=\"person\">"
                     "<label for=\"i-file\">File (at most 32 MiB)</label>"
                     "<input id=\"i-file\" name=\"file\" type=\"file\" required>"
                     "<button type=\"submit\">Load</button></form>\n"
                     "<p class=\"muted\">The same as <code>waras ingest KIND FILE</code>: one "
                     "transaction, a bad file changes nothing. Scripts use <code>POST "
                     "/api/v1/ingest/KIND?name=FILE</code> (docs/service.md).</p>\n",
                     a->csrf);
    free(users);
    free(tokens);
    srv_html_finish(&b, rs, status);
}

/* A form field into out ("" and 0 when absent). */
static const char *field(const srv_request *rq, const char *key, char *out, size_t size)
{
    return srv_form_get(rq, key, out, size) ? out : NULL;
}

/* The upload form's fields: a part of another name, a field twice, or a
 * csrf, kind or person that is a file, is refused. */
typedef struct upload_check {
    int seen[4];
    const char *bad;
} upload_check;

static int upload_part_cb(void *ctx, const srv_part *part)
{
    static const char *const known[4] = {"csrf", "kind", "person", "file"};
    upload_check *u = ctx;
    for (int i = 0; i < 4; i++)
        if (strcmp(part->name, known[i]) == 0) {
            if (u->seen[i]++ || part->is_file != (i == 3)) {
                u->bad = known[i];
                return 1;
            }
            return 0;
        }
    u->bad = "field";
    return 1;
}

/* POST /admin/ingest: the form's file through the same ingest as the API
 * (the access rule was checked by the caller: an admin). The page again,
 * with what was loaded or the file's error (the CLI's message). */
static void page_ingest(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs)
{
    upload_check u = {0};
    char kind[16], person[WARAS_PERSON_ID_MAX], msg[1400];
    srv_part file;
    if (rq->uploads_busy) {
        render(app, a, rs, 503, "other uploads are in progress; try again", NULL, NULL);
        return;
    }
    if (!srv_is_multipart(rq)) {
        srv_json_error(rs, 415, "unsupported_media_type", NULL, "send multipart/form-data");
        return;
    }
    int rc = srv_multipart_each(rq, upload_part_cb, &u);
    if (rc < 0) {
        srv_json_error(rs, 400, "bad_request", NULL, "malformed multipart/form-data");
        return;
    }
    if (rc) {
        srv_json_error(rs, 400, strcmp(u.bad, "field") ? "bad_request" : "unknown_field",
                       strcmp(u.bad, "field") ? u.bad : NULL,
                       strcmp(u.bad, "field") ? "the field is given twice or is of the wrong type"
                                              : "unknown field: the form takes csrf, kind, "
                                                "person and file");
        return;
    }
    int k = srv_multipart_text(rq, "kind", kind, sizeof(kind)) ? srv_ingest_kind(kind) : -1;
    if (k < 0) {
        render(app, a, rs, 400, "kind: no such ingest kind", NULL, NULL);
        return;
    }
    if (!srv_multipart_get(&file, rq, "file") || !file.filename[0]) {
        render(app, a, rs, 400, "file: choose a file", NULL, NULL);
        return;
    }
    if (!srv_upload_name_ok(file.filename)) {
        render(app, a, rs, 400,
               "file: the file name must be 1 to 255 bytes of UTF-8 without backslashes or "
               "control characters",
               NULL, NULL);
        return;
    }
    if (file.len == 0) {
        render(app, a, rs, 400, "file: the file is empty", NULL, NULL);
        return;
    }
    waras_ingest_ics_opts o = {0};
    int has_person = srv_multipart_text(rq, "person", person, sizeof(person)) && person[0];
    if (has_person && strcmp(kind, "leave") && strcmp(kind, "ics")) {
        render(app, a, rs, 400, "person: only a leave or ics file belongs to a person", NULL, NULL);
        return;
    }
    o.person = has_person ? person : NULL;
    waras_ingest_result r;
    rc = srv_ingest_run(&r, app, k, file.filename, &o, file.data, file.len);
    if (rc) {
        if (srv_ingest_is_store_error(rc))
            render(app, a, rs, 500, "the file could not be stored", NULL, NULL);
        else {
            waras_error_format(msg, sizeof(msg));
            render(app, a, rs, 422, msg, NULL, NULL);
        }
        return;
    }
    if (r.already)
        snprintf(msg, sizeof(msg), "%s (%s): already loaded, nothing changed", file.filename, kind);
    else
        snprintf(msg, sizeof(msg),
                 "%s (%s): %lld rows, %lld added, %lld unchanged, %lld removed, %lld skipped, "
                 "%lld warnings",
                 file.filename, kind, (long long)r.rows, (long long)r.added, (long long)r.unchanged,
                 (long long)r.removed, (long long)r.skipped, (long long)r.warnings);
    render(app, a, rs, 200, NULL, NULL, msg);
}

void srv_page_admin(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs,
                    const char *rest)
{
    int post = strcmp(rq->method, "POST") == 0;
    static const struct {
        const char *path;
        const char *const known[7];
        int n;
    } forms[] = {
        {"users", {"csrf", "login", "role", "person", "teams", "password"}, 6},
        {"users/remove", {"csrf", "login"}, 2},
        {"users/passwd", {"csrf", "login", "password"}, 3},
        {"tokens", {"csrf", "login", "name", "days"}, 4},
        {"tokens/revoke", {"csrf", "id"}, 2},
    };
    int f = -1, upload = rest && strcmp(rest, "ingest") == 0;
    for (int i = 0; rest && i < 5; i++)
        if (strcmp(rest, forms[i].path) == 0)
            f = i;
    if (rest && f < 0 && !upload) {
        srv_json_error(rs, 404, "not_found", NULL, "no such page");
        return;
    }
    if (rest ? !post : post) {
        method_not_allowed(rs, rest ? "POST" : "GET");
        return;
    }
    if (a->by_token) {
        srv_json_error(rs, 403, "forbidden", NULL, "the admin page is for a signed-in session");
        return;
    }
    if (!is_admin(a, rs))
        return;
    if (rq->nargs) {
        srv_json_error(rs, 400, "unknown_field", rq->args[0].key, "no parameter is taken here");
        return;
    }
    if (!rest) {
        render(app, a, rs, 200, NULL, NULL, NULL);
        return;
    }
    if (upload) {
        page_ingest(app, rq, a, rs);
        return;
    }
    if (srv_form_check(rq, forms[f].known, forms[f].n, rs))
        return;
    char login[128], role[32], person[WARAS_PERSON_ID_MAX], teams[1100],
        password[WARAS_AUTH_PASSWORD_MAX + 1], name[128], days[16], id[32];
    account_req q = {
        .login = field(rq, "login", login, sizeof(login)),
        .role = field(rq, "role", role, sizeof(role)),
        .person = field(rq, "person", person, sizeof(person)),
        .teams = field(rq, "teams", teams, sizeof(teams)),
        .password = field(rq, "password", password, sizeof(password)),
        .name = field(rq, "name", name, sizeof(name)),
        .days = field(rq, "days", days, sizeof(days)),
        .id = field(rq, "id", id, sizeof(id)),
    };
    int rc = 0;
    char token[WARAS_AUTH_TOKEN_SIZE] = "";
    int64_t tid;
    switch (f) {
    case 0:
        rc = act_user_add(app, &q);
        break;
    case 1:
        rc = act_user_remove(app, a, q.login);
        break;
    case 2:
        rc = q.login ? act_user_passwd(app, q.login, q.password)
                     : waras_error_set(WARAS_EINVAL, NULL, 0, "login", "a login is needed");
        break;
    case 3:
        rc = act_token_create(token, &tid, app, &q);
        break;
    default:
        rc = act_token_revoke(app, q.id);
        break;
    }
    sodium_memzero(password, sizeof(password));
    if (rc) {
        const char *code;
        int status = error_status(rc, &code);
        char msg[1200];
        const waras_error *e = waras_error_last();
        snprintf(msg, sizeof(msg), "%s%s%s", e->field[0] ? e->field : "", e->field[0] ? ": " : "",
                 status == 500 ? "the change could not be stored" : e->message);
        render(app, a, rs, status, msg, NULL, NULL);
        return;
    }
    if (f == 3) {
        render(app, a, rs, 200, NULL, token, NULL);
        sodium_memzero(token, sizeof(token));
        return;
    }
    srv_add_header(rs, "Location", "/admin");
    srv_set_body(rs, 303, "text/plain; charset=utf-8", waras_strdup("done\n"));
}

/* --- OpenAPI --- */

static const char openapi_paths[] =
    "{\"/api/v1/ingest/{kind}\": {\"post\": {\"summary\": \"ingest one file, as 'waras ingest "
    "KIND FILE' (people: 'waras people import'); admins only. One transaction: a bad file "
    "changes nothing, the same content again is a no-op (already true), a changed file of the "
    "same name replaces its earlier version. At most 32 MiB\",\n"
    " \"parameters\": [\n"
    "  {\"name\": \"kind\", \"in\": \"path\", \"required\": true, \"schema\": {\"enum\": "
    "[\"people\", \"timesheet\", \"ics\", \"leave\", \"survey\", \"pagerduty\", \"opsgenie\", "
    "\"oncall\"]}},\n"
    "  {\"name\": \"name\", \"in\": \"query\", \"required\": true, \"description\": \"the file's "
    "name, recorded as its source (never a path on the server): relative, no '.' or '..' "
    "component, no control character or backslash, 1 to 255 bytes; leave takes iCalendar when it "
    "ends in .ics\", \"schema\": {\"type\": \"string\"}},\n"
    "  {\"name\": \"person\", \"in\": \"query\", \"description\": \"ics and leave: the calendar's "
    "owner\", \"schema\": {\"type\": \"string\"}},\n"
    "  {\"name\": \"kind\", \"in\": \"query\", \"description\": \"ics: meeting, leave or "
    "milestone\", \"schema\": {\"enum\": [\"meeting\", \"leave\", \"milestone\"]}},\n"
    "  {\"name\": \"from\", \"in\": \"query\", \"schema\": {\"type\": \"string\", \"format\": "
    "\"date\"}},\n"
    "  {\"name\": \"to\", \"in\": \"query\", \"schema\": {\"type\": \"string\", \"format\": "
    "\"date\"}},\n"
    "  {\"name\": \"strict\", \"in\": \"query\", \"schema\": {\"enum\": [\"0\", \"1\"]}}],\n"
    " \"requestBody\": {\"required\": true, \"content\": {\"*/*\": {\"schema\": {\"type\": "
    "\"string\", \"format\": \"binary\"}}}},\n"
    " \"responses\": {\"200\": {\"description\": \"ingested, or already (same content)\", "
    "\"content\": {\"application/json\": {\"schema\": {\"type\": \"object\", \"required\": "
    "[\"kind\", \"name\", \"already\", \"rows\", \"added\", \"unchanged\", \"removed\", "
    "\"skipped\", \"warnings\", \"note\"], \"properties\": {\"kind\": {\"type\": \"string\"}, "
    "\"name\": {\"type\": \"string\"}, \"already\": {\"type\": \"boolean\"}, \"rows\": {\"type\": "
    "\"integer\"}, \"added\": {\"type\": \"integer\"}, \"unchanged\": {\"type\": \"integer\"}, "
    "\"removed\": {\"type\": \"integer\"}, \"skipped\": {\"type\": \"integer\"}, \"warnings\": "
    "{\"type\": \"integer\"}, \"note\": {\"type\": \"string\"}}}}}},\n"
    "  \"400\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "  \"401\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "  \"403\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "  \"413\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "  \"422\": {\"description\": \"the file is not valid: code invalid_file, the message "
    "NAME:LINE: field: what is wrong, the field the column\", \"content\": {\"application/json\": "
    "{\"schema\": {\"$ref\": \"#/components/schemas/Error\"}}}},\n"
    "  \"503\": {\"$ref\": \"#/components/responses/Error\"}}}},\n"
    "\"/api/v1/users\": {\"get\": {\"summary\": \"every account: login, role, person, teams "
    "(admins only; never a password hash)\",\n"
    "  \"responses\": {\"200\": {\"description\": \"the users\", \"content\": "
    "{\"application/json\": {\"schema\": {\"type\": \"object\", \"properties\": {\"users\": "
    "{\"type\": \"array\", \"items\": {\"type\": \"object\", \"properties\": {\"login\": "
    "{\"type\": \"string\"}, \"role\": {\"type\": \"string\"}, \"person\": {\"type\": [\"string\", "
    "\"null\"]}, \"teams\": {\"type\": \"array\"}}}}}}}}},\n"
    "   \"401\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "   \"403\": {\"$ref\": \"#/components/responses/Error\"}}},\n"
    " \"post\": {\"summary\": \"add an account, as 'waras user add' (admins only)\",\n"
    "  \"requestBody\": {\"required\": true, \"content\": {\"application/json\": {\"schema\": "
    "{\"type\": \"object\", \"additionalProperties\": false, \"required\": [\"login\", \"role\", "
    "\"password\"], \"properties\": {\"login\": {\"type\": \"string\"}, \"role\": {\"enum\": "
    "[\"member\", \"lead\", \"people-ops\", \"admin\"]}, \"person\": {\"type\": [\"string\", "
    "\"null\"]}, \"teams\": {\"type\": [\"array\", \"string\"], \"items\": {\"type\": "
    "\"string\"}}, \"password\": {\"type\": \"string\", \"minLength\": 8, \"maxLength\": "
    "1024}}}}}},\n"
    "  \"responses\": {\"201\": {\"description\": \"added\", \"content\": {\"application/json\": "
    "{\"schema\": {\"type\": \"object\", \"properties\": {\"login\": {\"type\": \"string\"}, "
    "\"role\": {\"type\": \"string\"}, \"person\": {\"type\": [\"string\", \"null\"]}, \"teams\": "
    "{\"type\": \"array\"}}}}}},\n"
    "   \"400\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "   \"401\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "   \"403\": {\"$ref\": \"#/components/responses/Error\"},\n"
    "   \"409\": {\"$ref\": \"#/components/responses/Error\"}}}},\n"
    "\"/api/v1/users/{login}\": {\"parameters\": [{\"name\": \"login\", \"in\": \"path\", "
    "\"required\": true, \"schema\": {\"type\": \"string\"}}],\n"
    " \"get\": {\"summary\": \"one account (admins only)\", \"responses\": {\"200\": "
    "{\"description\": \"the user\", \"content\": {\"application/json\": {\"schema\": {\"$ref\": "
    "\"#/components/schemas/User\"}}}}, \"403\": {\"$ref\": \"#/components/responses/Error\"}, "
    "\"404\": {\"$ref\": \"#/components/responses/Error\"}}},\n"
    " \"delete\": {\"summary\": \"remove the account with its sessions and tokens (admins only; "
    "not one's own)\", \"responses\": {\"200\": {\"description\": \"removed\"}, \"400\": "
    "{\"$ref\": \"#/components/responses/Error\"}, \"403\": {\"$ref\": "
    "\"#/components/responses/Error\"}, \"404\": {\"$ref\": "
    "\"#/components/responses/Error\"}}}},\n"
    "\"/api/v1/users/{login}/remove\": {\"post\": {\"summary\": \"the same as DELETE "
    "/api/v1/users/{login}\", \"parameters\": [{\"name\": \"login\", \"in\": \"path\", "
    "\"required\": true, \"schema\": {\"type\": \"string\"}}], \"responses\": {\"200\": "
    "{\"description\": \"removed\"}, \"403\": {\"$ref\": \"#/components/responses/Error\"}, "
    "\"404\": {\"$ref\": \"#/components/responses/Error\"}}}},\n"
    "\"/api/v1/users/{login}/passwd\": {\"post\": {\"summary\": \"a new password; ends the "
    "user's sessions (admins only)\", \"parameters\": [{\"name\": \"login\", \"in\": \"path\", "
    "\"required\": true, \"schema\": {\"type\": \"string\"}}], \"requestBody\": {\"required\": "
    "true, \"content\": {\"application/json\": {\"schema\": {\"type\": \"object\", "
    "\"additionalProperties\": false, \"required\": [\"password\"], \"properties\": "
    "{\"password\": {\"type\": \"string\"}}}}}}, \"responses\": {\"200\": {\"description\": "
    "\"set\"}, \"400\": {\"$ref\": \"#/components/responses/Error\"}, \"403\": {\"$ref\": "
    "\"#/components/responses/Error\"}, \"404\": {\"$ref\": "
    "\"#/components/responses/Error\"}}}},\n"
    "\"/api/v1/tokens\": {\"get\": {\"summary\": \"every API token: id, login, name, made, "
    "expiry, revoked (admins only; never the secret nor its hash)\", \"responses\": {\"200\": "
    "{\"description\": \"the tokens\", \"content\": {\"application/json\": {\"schema\": "
    "{\"type\": \"object\"}}}}, \"403\": {\"$ref\": \"#/components/responses/Error\"}}},\n"
    " \"post\": {\"summary\": \"a new token for a login, as 'waras token create'; the secret is "
    "in this answer only (admins only)\", \"requestBody\": {\"required\": true, \"content\": "
    "{\"application/json\": {\"schema\": {\"type\": \"object\", \"additionalProperties\": false, "
    "\"required\": [\"login\", \"name\"], \"properties\": {\"login\": {\"type\": \"string\"}, "
    "\"name\": {\"type\": \"string\"}, \"days\": {\"type\": \"integer\", \"minimum\": 0, "
    "\"maximum\": 3660, \"default\": 90}}}}}}, \"responses\": {\"201\": {\"description\": "
    "\"made: id, login, name, token\", \"content\": {\"application/json\": {\"schema\": "
    "{\"type\": \"object\"}}}}, \"400\": {\"$ref\": \"#/components/responses/Error\"}, \"403\": "
    "{\"$ref\": \"#/components/responses/Error\"}, \"404\": {\"$ref\": "
    "\"#/components/responses/Error\"}}}},\n"
    "\"/api/v1/tokens/{id}\": {\"delete\": {\"summary\": \"revoke a token at once (admins "
    "only)\", \"parameters\": [{\"name\": \"id\", \"in\": \"path\", \"required\": true, "
    "\"schema\": {\"type\": \"integer\"}}], \"responses\": {\"200\": {\"description\": "
    "\"revoked\"}, \"403\": {\"$ref\": \"#/components/responses/Error\"}, \"404\": {\"$ref\": "
    "\"#/components/responses/Error\"}}}},\n"
    "\"/api/v1/tokens/{id}/revoke\": {\"post\": {\"summary\": \"the same as DELETE "
    "/api/v1/tokens/{id}\", \"parameters\": [{\"name\": \"id\", \"in\": \"path\", \"required\": "
    "true, \"schema\": {\"type\": \"integer\"}}], \"responses\": {\"200\": {\"description\": "
    "\"revoked\"}, \"403\": {\"$ref\": \"#/components/responses/Error\"}, \"404\": {\"$ref\": "
    "\"#/components/responses/Error\"}}}}}";

json_t *srv_admin_openapi_paths(void)
{
    return json_loads(openapi_paths, 0, NULL);
}
