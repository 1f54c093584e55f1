/*
 * What the plan handlers (plans.c for on-call rotas, remedies.c for quiet
 * weeks and recovery leave) share: whether the rule lets the asker read a
 * team's plans, the engine's budget of a plan run through the service, and
 * a value for a link's query string.
 */
#include <stdio.h>
#include <string.h>

#include "server.h"
#include "waras/store.h"

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
