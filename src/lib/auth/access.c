/*
 * The one access rule: who may read which kind of data of whom. Every view
 * (the service's pages and API, and the CLI's reports with --as) asks here
 * before it builds anything, so the table in docs/service.md has exactly
 * one implementation. Pure: the caller supplies the person's team.
 */
#include <string.h>

#include "waras/auth.h"

static int leads(const waras_user *u, const char *team)
{
    if (!team || !*team)
        return 0;
    for (int i = 0; i < u->nteams; i++)
        if (strcmp(u->teams[i], team) == 0)
            return 1;
    return 0;
}

static waras_access person_data(const waras_user *u, waras_data data, const waras_subject *s)
{
    if (u->role != WARAS_ROLE_ADMIN && u->person[0] && strcmp(u->person, s->person) == 0)
        return WARAS_ACCESS_ALLOWED; /* one's own data */
    switch (u->role) {
    case WARAS_ROLE_LEAD:
        if (!leads(u, s->team))
            return WARAS_ACCESS_DENIED;
        /* Work data is what a lead needs to rebalance work; wellbeing only
         * inside the team's aggregates. */
        return data == WARAS_DATA_WORK ? WARAS_ACCESS_ALLOWED : WARAS_ACCESS_AGGREGATE;
    case WARAS_ROLE_PEOPLE_OPS:
        return data == WARAS_DATA_WELLBEING ? WARAS_ACCESS_AGGREGATE : WARAS_ACCESS_DENIED;
    default:
        return WARAS_ACCESS_DENIED;
    }
}

static waras_access group_data(const waras_user *u, waras_data data, const waras_subject *s)
{
    switch (u->role) {
    case WARAS_ROLE_LEAD:
        /* The organisation is a larger group than any team: a lead may see
         * its aggregates too, as the report beside a team's shows them. */
        if (!s->team)
            return WARAS_ACCESS_AGGREGATE;
        if (!leads(u, s->team))
            return WARAS_ACCESS_DENIED;
        return data == WARAS_DATA_WORK ? WARAS_ACCESS_ALLOWED : WARAS_ACCESS_AGGREGATE;
    case WARAS_ROLE_PEOPLE_OPS:
        return WARAS_ACCESS_AGGREGATE; /* team and organisation aggregates */
    default:
        return WARAS_ACCESS_DENIED;
    }
}

waras_access waras_access_decide(const waras_user *who, waras_data data, const waras_subject *whose)
{
    static const waras_subject org = {NULL, NULL};
    if (!who)
        return WARAS_ACCESS_DENIED;
    if (!whose)
        whose = &org;
    switch (data) {
    case WARAS_DATA_ACCOUNTS:
        return who->role == WARAS_ROLE_ADMIN ? WARAS_ACCESS_ALLOWED : WARAS_ACCESS_DENIED;
    case WARAS_DATA_INGEST:
        if (who->role == WARAS_ROLE_ADMIN)
            return WARAS_ACCESS_ALLOWED;
        return who->role == WARAS_ROLE_LEAD && !whose->person && leads(who, whose->team)
                   ? WARAS_ACCESS_ALLOWED
                   : WARAS_ACCESS_DENIED;
    case WARAS_DATA_PLANS:
        /* Plans are work data of the people in them: the team's lead reads
         * them all, the team's people read them too (and then see each
         * turn as WORK of its person: their own). */
        if (who->role == WARAS_ROLE_ADMIN || whose->person || !whose->team || !*whose->team)
            return WARAS_ACCESS_DENIED;
        if (who->role == WARAS_ROLE_LEAD && leads(who, whose->team))
            return WARAS_ACCESS_ALLOWED;
        return who->person[0] && strcmp(who->team, whose->team) == 0 ? WARAS_ACCESS_ALLOWED
                                                                      : WARAS_ACCESS_DENIED;
    case WARAS_DATA_WORK:
    case WARAS_DATA_WELLBEING:
        if (who->role == WARAS_ROLE_ADMIN)
            return WARAS_ACCESS_DENIED;
        return whose->person && *whose->person ? person_data(who, data, whose)
                                               : group_data(who, data, whose);
    }
    return WARAS_ACCESS_DENIED;
}
