/*
 * What the plan handlers (plans.c for on-call rotas, remedies.c for quiet
 * weeks and recovery leave) share: whether the rule lets the asker read a
 * team's plans, the engine's budget of a plan run through the service, the
 * store opened for a team's plan page, the answer document of a plan run,
 * instants written for the answers, and a value for a link's query string.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "server.h"
#include "waras/store.h"
#include "waras/time.h"

/* Whether the asker may see a team's plans at all: the rule's answer for
 * WARAS_DATA_PLANS (its lead, or one of its people, who then sees only
 * their own turns), with the asker's team read from the store. */
int srv_plan_may_read(waras_store *st, const srv_auth *a, const char *team)
{
    waras_user u = a->user;
    waras_subject whose = {NULL, team};
    if (waras_auth_user_team(&u, st))
        return 0;
    return waras_access_decide(&u, WARAS_DATA_PLANS, &whose) == WARAS_ACCESS_ALLOWED;
}

void srv_plan_budget(waras_plan_budget *b)
{
    /* A request may not hold a worker for long: a fixed work budget (the
     * same plan for the same request on any machine) and a wall-clock cap. */
    b->iterations = SRV_PLAN_ITERATIONS;
    b->time_limit = SRV_PLAN_SECONDS;
    b->seed = 1;
}

/* A team name as a query-string value (percent-encoded). */
void srv_query_value(char *out, size_t size, const char *s)
{
    size_t o = 0;
    for (const unsigned char *c = (const unsigned char *)s; *c && o + 4 < size; c++)
        if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
            *c == '-' || *c == '_' || *c == '.')
            out[o++] = (char)*c;
        else
            o += (size_t)snprintf(out + o, size - o, "%%%02X", *c);
    out[o] = '\0';
}

void srv_plan_iso(char *out, size_t size, waras_instant t)
{
    waras_civil c;
    waras_epoch_to_civil(&c, t);
    snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year, c.month, c.day, c.hour, c.minute,
             c.second);
}

waras_date srv_plan_utc_date(waras_instant t)
{
    waras_civil c;
    waras_epoch_to_civil(&c, t);
    return (waras_date){c.year, c.month, c.day};
}

/* The store, opened for a page of a team's plans when the asker may read
 * them; otherwise the error (500 or 403) is in rs and the store closed. */
int srv_plan_open_team(waras_store **st, srv_app *app, const srv_auth *a, const char *team,
                       srv_response *rs)
{
    if (waras_store_open(st, app->db, 0)) {
        srv_json_error(rs, 500, "internal", NULL, "the store cannot be opened");
        return -1;
    }
    if (!srv_plan_may_read(*st, a, team)) {
        srv_json_error(rs, 403, "forbidden", "team", "you may not see this team's plans");
        waras_store_close(*st);
        return -1;
    }
    return 0;
}

/* The CLI's document of a plan run with the recorded plan's id and
 * calendar added, or the error object of an infeasible plan (what says
 * why); doc is consumed; NULL when it cannot be read or written. */
char *srv_plan_answer_doc(char *doc, int feasible, int64_t id, const char *what)
{
    json_t *root = doc ? json_loads(doc, 0, NULL) : NULL;
    free(doc);
    doc = NULL;
    if (root) {
        if (feasible) {
            char url[64];
            json_object_set_new(root, "id", json_integer(id));
            snprintf(url, sizeof(url), "/api/v1/plans/%lld.ics", (long long)id);
            json_object_set_new(root, "ics", json_string(url));
        } else {
            /* An answer of 4xx carries the error object as every error does. */
            json_object_set_new(
                root, "error",
                json_pack("{s:s,s:s,s:n}", "code", "infeasible", "message", what, "field"));
        }
        doc = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
        json_decref(root);
    }
    return doc;
}
