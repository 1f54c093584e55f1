/*
 * The HTTP service, split so that everything but the network can be tested
 * and fuzzed: http.c turns libmicrohttpd connections into an srv_request
 * and back; router.c (srv_handle) authenticates, checks CSRF, routes and
 * parses; pages.c renders HTML and api.c the JSON endpoints. Handlers are
 * thin: parse, ask the access rule (waras/auth.h), call one library
 * function, render. Every limit is here and in docs/service.md.
 */
#ifndef WARAS_SERVER_H
#define WARAS_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "util/util.h"
#include "waras/auth.h"
#include "waras/ingest.h"
#include "waras/plan.h"
#include "waras/time.h"

/* Limits (docs/service.md). */
#define SRV_MAX_BODY (16 * 1024)   /* bytes of a request body */
#define SRV_MAX_ARGS 16            /* query parameters */
#define SRV_MAX_URL 2048           /* bytes of path and query */
#define SRV_CONN_LIMIT 256         /* open connections in all */
#define SRV_CONN_PER_IP 32         /* open connections from one address (default) */
#define SRV_TIMEOUT 30             /* seconds a connection may idle (default) */
#define SRV_MAX_UPLOAD (32L << 20) /* bytes of an upload to /api/v1/ingest/KIND */
#define SRV_MAX_UPLOADS 4          /* uploads held in memory at once */
#define SRV_UPLOAD_PREFIX "/api/v1/ingest/"
#define SRV_UPLOAD_FORM "/admin/ingest" /* the admin page's upload form */
#define SRV_THREADS 4                   /* worker threads */
#define SRV_TRIM_AFTER_S 0.02           /* CPU seconds of a request after which malloc_trim runs */
#define SRV_SESSION_TTL (8 * 3600)      /* seconds a session lasts */
#define SRV_MAX_WEEKS 104               /* weeks one report may span */
#define SRV_PLAN_MAX_WEEKS 26           /* weeks one on-call plan may span */
#ifndef WARAS_FUZZ_BUILD
#define SRV_PLAN_ITERATIONS 200000      /* the rostering engine's work budget per plan */
#else
/* The fuzz campaign's build only (CMake WARAS_FUZZ_CHEAP): a hundredth, so
 * that the service's target is not a rostering benchmark; the same code. */
#define SRV_PLAN_ITERATIONS 2000
#endif
#define SRV_PLAN_SECONDS 2.0            /* and its wall-clock cap */

typedef struct srv_kv {
    const char *key, *value;
} srv_kv;

/* A request as the router sees it; strings are borrowed for the call. */
typedef struct srv_request {
    const char *method;
    const char *path;          /* without the query string, already %-decoded */
    srv_kv args[SRV_MAX_ARGS]; /* decoded query parameters */
    int nargs;
    int too_many_args;
    int arg_nul; /* a query key or value held a NUL byte (%00) */
    const char *cookie, *authorization, *content_type, *csrf_header, *forwarded_proto;
    const char *client_addr;
    const char *host; /* the Host header, for links shown to the user */
    const char *body;
    size_t body_len;
    int body_too_large; /* the body passed SRV_MAX_BODY (an upload: SRV_MAX_UPLOAD) */
    int uploads_busy;   /* SRV_MAX_UPLOADS uploads were in memory: the body was not kept */
} srv_request;

#define SRV_MAX_HEADERS 4
typedef struct srv_response {
    int status;
    const char *content_type; /* static string */
    char *body;               /* owned, freed by srv_response_free */
    size_t len;
    char headers[SRV_MAX_HEADERS][2][400]; /* extra headers: name, value */
    int nheaders;
} srv_response;

/* The report cache (cache.c): documents as one account was allowed to see
 * them, valid while the store's data version is unchanged. */
typedef struct srv_cache srv_cache;
int srv_cache_new(srv_cache **out, const char *db);
void srv_cache_free(srv_cache *c);
/* A copy of the body stored under key (caller frees), or NULL; *version is
 * the store's data version now (-1: unknown), to pass to srv_cache_put. A
 * NULL cache always misses. */
char *srv_cache_get(srv_cache *c, const char *key, int64_t *version);
/* Keeps body under key when the store is still at version. */
void srv_cache_put(srv_cache *c, const char *key, int64_t version, const char *body);
/* srv_cache_get, one build per key: when another request is building the
 * same key, waits for it (at most 20 s) and answers its entry. On a miss
 * with *builder set, the caller builds, puts what it built and then calls
 * srv_cache_done(key), also when the build failed, so that a waiter builds. */
char *srv_cache_get_once(srv_cache *c, const char *key, int64_t *version, int *builder);
void srv_cache_done(srv_cache *c, const char *key);

typedef struct srv_app {
    const char *db;
    waras_auth_limiter *limiter;
    srv_cache *cache; /* may be NULL: no caching */
} srv_app;

/* Answers one request; rs is always filled (errors as JSON or HTML). */
void srv_handle(srv_app *app, const srv_request *rq, srv_response *rs);
void srv_response_free(srv_response *rs);

/* How the service listens: listen is "ADDR:PORT" (an IPv4 or [IPv6]
 * address; port 0 picks a free one); timeout the seconds a connection may
 * idle (half a request included) and per_address the connections one
 * client address may hold; 0 takes the defaults above. */
typedef struct srv_options {
    const char *listen;
    unsigned timeout;
    unsigned per_address;
} srv_options;

/* Runs the service until SIGTERM or SIGINT; 0 after a clean stop. */
int srv_run(const char *db, const srv_options *o);

/* --- shared by the handlers (router.c) --- */
typedef struct srv_auth {
    waras_user user;
    int signed_in;
    int by_token; /* API token: no CSRF check, no cookie */
    char session[WARAS_AUTH_TOKEN_SIZE];
    char csrf[WARAS_AUTH_TOKEN_SIZE];
} srv_auth;

void srv_json_error(srv_response *rs, int status, const char *code, const char *field,
                    const char *message);
void srv_set_body(srv_response *rs, int status, const char *type, char *body);
/* doc (consumed) as a compact JSON answer ending in a newline. */
void srv_send_json(srv_response *rs, int status, json_t *doc);
void srv_add_header(srv_response *rs, const char *name, const char *value);
const char *srv_arg(const srv_request *rq, const char *key);
/* Escapes text for HTML into a new string (NULL on out of memory). */
char *srv_html_escape(const char *s);

/* Form bodies (application/x-www-form-urlencoded). srv_form_get copies the
 * decoded value of key into out and returns 1 when the field is there once
 * and fits, else 0. srv_form_check answers 400 (in rs, returning -1) for a
 * malformed form, an unknown or repeated field. */
int srv_form_get(const srv_request *rq, const char *key, char *out, size_t size);
int srv_form_check(const srv_request *rq, const char *const *known, int nknown, srv_response *rs);
int srv_is_form(const srv_request *rq);

/* multipart/form-data bodies (multipart.c): a part's field name, file name
 * (for a file input) and content in place in the body. srv_multipart_each
 * calls cb for every part, stopping at its first non-zero; -1 for a body
 * that is not well-formed multipart. srv_multipart_get finds the part named
 * name when it is there exactly once (1, else 0); srv_multipart_text copies
 * such a part that is not a file and fits into out. */
typedef struct srv_part {
    char name[64];
    char filename[256];
    int is_file;
    const char *data;
    size_t len;
} srv_part;
typedef int (*srv_part_cb)(void *ctx, const srv_part *part);
int srv_is_multipart(const srv_request *rq);
int srv_multipart_each(const srv_request *rq, srv_part_cb cb, void *ctx);
int srv_multipart_get(srv_part *out, const srv_request *rq, const char *name);
int srv_multipart_text(const srv_request *rq, const char *name, char *out, size_t size);

/* Page parts shared by pages.c and the other page handlers. */
void srv_html_head(waras_buf *b, const char *title);
void srv_html_header_bar(waras_buf *b, const srv_auth *a);
void srv_html_finish(waras_buf *b, srv_response *rs, int status);

/* pages.c */
void srv_page_login(srv_response *rs, int status, const char *csrf, const char *message);
void srv_page_home(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs);
void srv_page_team(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs);
void srv_static(const srv_request *rq, srv_response *rs);

/* api.c */
void srv_api_report(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs);
void srv_api_risk(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs);
void srv_api_openapi(srv_response *rs);
void srv_api_people(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs);
/* plans.c: on-call rotas (rest: the path after /api/v1/plans/) */
void srv_api_plan_run(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs);
void srv_api_plans_list(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs);
void srv_api_plan_get(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs,
                      const char *rest);
void srv_page_rota(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs);
void srv_page_rota_run(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs);
/* Whether the rule lets the asker list and fetch a team's plans
 * (WARAS_DATA_PLANS, with the asker's team read from the store). */
int srv_plan_may_read(waras_store *st, const srv_auth *a, const char *team);
/* The engine's budget of every plan run through the service. */
void srv_plan_budget(waras_plan_budget *b);
/* A value for a query string, percent-encoded. */
void srv_query_value(char *out, size_t size, const char *s);
/* An instant as YYYY-MM-DDTHH:MM:SSZ, and its UTC date. */
void srv_plan_iso(char *out, size_t size, waras_instant t);
waras_date srv_plan_utc_date(waras_instant t);
/* The store for a page of a team's plans, when the asker may read them;
 * -1 with the error in rs otherwise. */
int srv_plan_open_team(waras_store **st, srv_app *app, const srv_auth *a, const char *team,
                       srv_response *rs);
/* A plan run's document with its id and calendar, or its infeasible error
 * object; doc is consumed; NULL on failure. */
char *srv_plan_answer_doc(char *doc, int feasible, int64_t id, const char *what);
/* remedies.c: quiet weeks and recovery leave (POST /api/v1/plans/quiet and
 * /recovery, the /plans page), and the fetch of such a recorded plan as
 * JSON or iCalendar (GET /api/v1/plans/ID(.ics), through plans.c). */
void srv_api_plan_quiet(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs);
void srv_api_plan_recovery(srv_app *app, const srv_request *rq, const srv_auth *a,
                           srv_response *rs);
void srv_remedy_get(waras_store *st, const srv_auth *a, const waras_plan_info *info, int ics,
                    srv_response *rs);
json_t *srv_remedies_openapi_paths(void);
/* views.c: policy checks and activity counts (GET /api/v1/check,
 * /api/v1/activity, the /check page) through the library's views. */
void srv_api_check(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs);
void srv_api_activity(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs);
void srv_page_check(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs);
json_t *srv_views_openapi_paths(void);
void srv_page_plans(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs);
void srv_page_plans_run(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs);
/* calendar.c: subscriptions (the /calendar page and GET /cal/TOKEN.ics) */
void srv_page_calendar(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs);
void srv_calendar_new(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs);
void srv_calendar_revoke(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs);
void srv_calendar_feed(srv_app *app, const srv_request *rq, srv_response *rs);
/* org.c: the organisation view */
void srv_api_org(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs);
void srv_page_org(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs);
/* survey.c: survey rounds (rest: the path after /api/v1/surveys/, or NULL) */
void srv_api_surveys(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs,
                     const char *rest);
/* The OpenAPI entries of the survey's paths, as a JSON object of paths. */
json_t *srv_survey_openapi_paths(void);
void srv_page_survey(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs);
void srv_page_survey_answer(srv_app *app, const srv_request *rq, const srv_auth *a,
                            srv_response *rs);
void srv_page_survey_open(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs);
void srv_page_survey_open_run(srv_app *app, const srv_request *rq, const srv_auth *a,
                              srv_response *rs);
/* ingest.c: POST /api/v1/ingest/KIND (kind: the path after the prefix) */
void srv_api_ingest(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs,
                    const char *kind);
/* 1 when name may be recorded as an upload's source path: 1 to 255 bytes,
 * relative, no "." or ".." component, no control byte or backslash. */
int srv_upload_name_ok(const char *name);
/* 1 for the paths that take uploads (SRV_MAX_UPLOAD): the API's and the
 * admin page's form. */
int srv_is_upload_path(const char *path);
/* One upload into the store (ingest.c), shared by the API and the admin
 * page: srv_ingest_kind is the index of a kind ("people", "timesheet", ...)
 * or -1; srv_ingest_run hands body to that kind's adapter under name (0, or
 * WARAS_E* with the message in the error slot, nothing changed);
 * srv_ingest_is_store_error tells the service's failures from the file's. */
int srv_ingest_kind(const char *kind);
int srv_ingest_run(waras_ingest_result *out, srv_app *app, int k, const char *name,
                   const waras_ingest_ics_opts *o, const char *body, size_t len);
int srv_ingest_is_store_error(int rc);
/* admin.c: users and tokens (rest: the path after /api/v1/users/ or
 * /api/v1/tokens/ or /admin/, or NULL), and the OpenAPI entries of the
 * ingest, users and tokens paths as a JSON object of paths. */
void srv_api_users(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs,
                   const char *rest);
void srv_api_tokens(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs,
                    const char *rest);
void srv_page_admin(srv_app *app, const srv_request *rq, const srv_auth *a, srv_response *rs,
                    const char *rest);
json_t *srv_admin_openapi_paths(void);
/* The report options of the API and the pages: weeks ending with the last
 * complete week before `to` (YYYY-MM-DD, or NULL: today by the library's
 * clock), as `waras report --weeks N --to D` computes them. */
int srv_report_range(waras_date *first_monday, waras_date *last_monday, long weeks, const char *to);

#endif
