/*
 * Fuzz target for the service's router and body parsing, without the
 * network: the input is a request in a small text form
 *   METHOD PATH[?QUERY]\n(Header: value\n)*\nBODY
 * handed to srv_handle() over a scratch store with two people, a member
 * account and a lead account. "@SESSION@" and "@CSRF@" in a header are
 * replaced by a live session's token and CSRF token of the member,
 * "@LSESSION@" and "@LCSRF@" by the lead's, "@ASESSION@" and "@ACSRF@" by
 * the admin's, and "@CAL@" anywhere in the request line by the member's
 * calendar address, so that the fuzzer reaches the signed-in handlers (the
 * report API, on-call plans and their bodies, the rota form, quiet weeks
 * and recovery leave and the /plans form, checks, risk and activity, calendar
 * subscriptions, the organisation view, survey rounds, answers and results,
 * ingest uploads and their names, users and tokens and the admin page,
 * sign-out) too. Survey round 1 is open for alpha. When an input changed the
 * accounts, the three are made again as they were. The store is made anew
 * every FRESH_EVERY inputs: inputs add plans, events and accounts to it, and
 * what a request costs grows with them (the calendar feed reads every
 * plan's turns), so that a long campaign ran ever slower.
 * Every input must give a response with a status, and errors must be JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "server.h"
#include "waras/auth.h"
#include "waras/store.h"
#include "waras/survey.h"

static srv_app app;
static char db[256];
static char session[WARAS_AUTH_TOKEN_SIZE], csrf[WARAS_AUTH_TOKEN_SIZE];
static char lsession[WARAS_AUTH_TOKEN_SIZE], lcsrf[WARAS_AUTH_TOKEN_SIZE];
static char asession[WARAS_AUTH_TOKEN_SIZE], acsrf[WARAS_AUTH_TOKEN_SIZE];
static char cal[WARAS_AUTH_TOKEN_SIZE];

static void new_session(void)
{
    waras_store *st = NULL;
    waras_user u, l, r;
    if (waras_store_open(&st, db, 0) || waras_auth_user_get(&u, st, "ana") ||
        waras_auth_session_create(session, csrf, st, u.id, 1 << 30) ||
        waras_auth_user_get(&l, st, "lee") ||
        waras_auth_session_create(lsession, lcsrf, st, l.id, 1 << 30) ||
        waras_auth_user_get(&r, st, "root") ||
        waras_auth_session_create(asession, acsrf, st, r.id, 1 << 30) ||
        waras_auth_calendar_create(cal, st, u.id))
        abort();
    waras_store_close(st);
}

/* The member, the lead and the admin as setup() made them, again: an input
 * may have removed one or changed a password (which ends the sessions). */
static void restore_accounts(void)
{
    static const struct {
        const char *login, *person, *teams;
        waras_role role;
    } acc[] = {{"ana", "a1", NULL, WARAS_ROLE_MEMBER},
               {"lee", "a2", "alpha", WARAS_ROLE_LEAD},
               {"root", NULL, NULL, WARAS_ROLE_ADMIN}};
    waras_store *st = NULL;
    waras_user u;
    if (waras_store_open(&st, db, 0))
        abort();
    for (int i = 0; i < 3; i++) {
        if (waras_auth_user_get(&u, st, acc[i].login) == 0)
            continue;
        if (waras_auth_user_add(NULL, st, acc[i].login, acc[i].role, acc[i].person, acc[i].teams,
                                "fuzz-password"))
            abort();
    }
    waras_store_close(st);
    new_session();
}

static char dirpath[64];

static void remove_store(void)
{
    static const char *const suffix[] = {"", "-wal", "-shm"};
    char path[300];
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof(path), "%s%s", db, suffix[i]);
        unlink(path);
    }
    rmdir(dirpath);
}

#define FRESH_EVERY 5000

static void setup(void)
{
    char dir[] = "/tmp/waras-fuzz-http-XXXXXX";
    waras_store *st = NULL;
    if (!mkdtemp(dir))
        abort();
    snprintf(db, sizeof(db), "%s/w.db", dir);
    snprintf(dirpath, sizeof(dirpath), "%s", dir);
    waras_person p = {.id = "a1",
                      .team = "alpha",
                      .timezone = "UTC",
                      .work_days = 0x1f,
                      .work_start = 540,
                      .work_end = 1020};
    waras_person q = p;
    snprintf(q.id, sizeof(q.id), "a2");
    if (waras_store_open(&st, db, WARAS_STORE_CREATE) || waras_store_person_put(st, &p) ||
        waras_store_person_put(st, &q) ||
        waras_auth_user_add(NULL, st, "ana", WARAS_ROLE_MEMBER, "a1", NULL, "ana-password") ||
        waras_auth_user_add(NULL, st, "lee", WARAS_ROLE_LEAD, "a2", "alpha", "lee-password") ||
        waras_auth_user_add(NULL, st, "root", WARAS_ROLE_ADMIN, NULL, NULL, "root-password"))
        abort();
    /* Survey round 1, open for alpha, so that answers reach the store. */
    const char *alpha[] = {"alpha"};
    waras_date today = waras_survey_today();
    if (waras_survey_round_open(NULL, st, alpha, 1, today, waras_date_add(today, 60), "lee"))
        abort();
    waras_store_close(st);
    new_session();
    app.db = db;
}

/* Replaces the markers (@SESSION@, @CSRF@, @LSESSION@, @LCSRF@, @CAL@) in a
 * header value or the request line. */
static char *expand(const char *v)
{
    /* The shortest marker (5 bytes) becomes at most 71: 15 times the input
     * holds any number of markers. */
    size_t n = 15 * strlen(v) + 1;
    char *out = malloc(n), *o = out;
    if (!out)
        abort();
    while (*v) {
        if (strncmp(v, "@SESSION@", 9) == 0) {
            o += snprintf(o, n - (size_t)(o - out), "%s", session);
            v += 9;
        } else if (strncmp(v, "@CSRF@", 6) == 0) {
            o += snprintf(o, n - (size_t)(o - out), "%s", csrf);
            v += 6;
        } else if (strncmp(v, "@LSESSION@", 10) == 0) {
            o += snprintf(o, n - (size_t)(o - out), "%s", lsession);
            v += 10;
        } else if (strncmp(v, "@ASESSION@", 10) == 0) {
            o += snprintf(o, n - (size_t)(o - out), "%s", asession);
            v += 10;
        } else if (strncmp(v, "@ACSRF@", 7) == 0) {
            o += snprintf(o, n - (size_t)(o - out), "%s", acsrf);
            v += 7;
        } else if (strncmp(v, "@LCSRF@", 7) == 0) {
            o += snprintf(o, n - (size_t)(o - out), "%s", lcsrf);
            v += 7;
        } else if (strncmp(v, "@CAL@", 5) == 0) {
            o += snprintf(o, n - (size_t)(o - out), "%s", cal);
            v += 5;
        } else if ((size_t)(o - out) < n - 1) {
            *o++ = *v++;
        } else {
            break;
        }
    }
    *o = '\0';
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static unsigned long inputs;
    if (!app.db) {
        if (waras_auth_limiter_new(&app.limiter))
            abort();
        atexit(remove_store);
        setup();
    } else if (++inputs % FRESH_EVERY == 0) {
        remove_store();
        setup();
    }
    if (size > SRV_MAX_BODY + 1024)
        return 0;
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    srv_request rq = {.client_addr = "fuzz"};
    char *owned[9] = {0};
    int nowned = 0;
    /* The request line. */
    char *line_end = memchr(buf, '\n', size);
    char *rest = line_end ? line_end + 1 : buf + size;
    if (line_end)
        *line_end = '\0';
    char *sp = strchr(buf, ' ');
    rq.method = buf;
    rq.path = "/";
    if (sp) {
        *sp = '\0';
        rq.path = owned[nowned++] = expand(sp + 1);
        char *q = strchr(owned[0], '?');
        if (q) {
            *q = '\0';
            char *save = NULL;
            for (char *kv = strtok_r(q + 1, "&", &save); kv; kv = strtok_r(NULL, "&", &save)) {
                if (rq.nargs == SRV_MAX_ARGS) {
                    rq.too_many_args = 1;
                    break;
                }
                char *eq = strchr(kv, '=');
                if (eq)
                    *eq = '\0';
                rq.args[rq.nargs].key = kv;
                rq.args[rq.nargs].value = eq ? eq + 1 : "";
                rq.nargs++;
            }
        }
    }
    /* Headers up to an empty line; the rest is the body. */
    while (rest < buf + size && *rest != '\n') {
        char *end = memchr(rest, '\n', (size_t)(buf + size - rest));
        char *next = end ? end + 1 : buf + size;
        if (end)
            *end = '\0';
        char *colon = strchr(rest, ':');
        if (colon && nowned < 9) {
            *colon = '\0';
            char *v = colon + 1;
            while (*v == ' ')
                v++;
            char *x = owned[nowned++] = expand(v);
            if (strcasecmp(rest, "Cookie") == 0)
                rq.cookie = x;
            else if (strcasecmp(rest, "Authorization") == 0)
                rq.authorization = x;
            else if (strcasecmp(rest, "Content-Type") == 0)
                rq.content_type = x;
            else if (strcasecmp(rest, "X-CSRF-Token") == 0)
                rq.csrf_header = x;
            else if (strcasecmp(rest, "X-Forwarded-Proto") == 0)
                rq.forwarded_proto = x;
        }
        rest = next;
    }
    if (rest < buf + size)
        rest++;
    rq.body = rest;
    rq.body_len = (size_t)(buf + size - rest);
    /* An upload's own limit, as http.c applies it. */
    int upload = strncmp(rq.path, SRV_UPLOAD_PREFIX, strlen(SRV_UPLOAD_PREFIX)) == 0 &&
                 (rq.cookie || rq.authorization);
    rq.body_too_large = rq.body_len > (upload ? (size_t)SRV_MAX_UPLOAD : SRV_MAX_BODY);

    srv_response rs;
    srv_handle(&app, &rq, &rs);
    if (rs.status < 200 || rs.status > 599 || !rs.content_type)
        abort();
    if (rs.status >= 400 && strcmp(rs.content_type, "application/json") == 0 &&
        (!rs.body || !strstr(rs.body, "\"error\"")))
        abort();
    /* Sign-out and a revoked calendar address: a live one for the next inputs. */
    if ((rs.status == 303 &&
         (strcmp(rq.path, "/logout") == 0 || strcmp(rq.path, "/calendar/revoke") == 0)) ||
        (rs.status == 200 && strcmp(rq.path, "/calendar/new") == 0))
        new_session(); /* keep a live session for the next inputs */
    else if (rs.status < 400 && strcmp(rq.method, "GET") != 0 &&
             (strncmp(rq.path, "/api/v1/users", 13) == 0 || strncmp(rq.path, "/admin/", 7) == 0))
        restore_accounts();
    srv_response_free(&rs);
    for (int i = 0; i < nowned; i++)
        free(owned[i]);
    free(buf);
    return 0;
}
