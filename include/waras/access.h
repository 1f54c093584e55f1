/*
 * Who sees what, and suppression. Wellbeing (survey) data is private to the
 * person: their own view shows their scores, and every other view sees it
 * only through the table built here, which is protected once for the whole
 * organisation and every survey round so that no view, and no set of views
 * taken together, lets anyone compute an aggregate of fewer than min_group
 * respondents by adding or subtracting what is shown (docs/definitions.md
 * "Privacy"). A survey round is a calendar quarter of the response dates.
 *
 * The rules, in this order, round by round from the oldest:
 *  1. primary: a group (team or organisation) with fewer than min_group
 *     respondents is suppressed; so is a scale with fewer than min_group
 *     answers;
 *  2. rounds: a group's round is suppressed when it has fewer than
 *     min_group respondents in common with an earlier round of the same
 *     group that is shown, unless the two rounds differ by at least
 *     min_group respondents (anonymous responses count as the same people
 *     answering again);
 *  3. complementary: organisation = sum of teams. When the organisation is
 *     shown, the teams it hides must be none, or at least two holding at
 *     least min_group respondents together; otherwise the smallest shown
 *     team is hidden too, or, when that would hide every team, the
 *     organisation. The same holds for each scale.
 */
#ifndef WARAS_ACCESS_H
#define WARAS_ACCESS_H

#include <stddef.h>
#include <stdint.h>

#include "waras/store.h"
#include "waras/survey.h"
#include "waras/time.h"

/* Why a figure is not shown. */
enum {
    WARAS_ACCESS_SHOWN = 0,
    WARAS_ACCESS_SMALL,      /* fewer than min_group respondents (or answers of a scale) */
    WARAS_ACCESS_COMPLEMENT, /* hidden so that a smaller group cannot be computed by subtraction */
    WARAS_ACCESS_ROUND,      /* too few respondents in common with an earlier round shown */
};

/* The figures of a group: 0 is the respondents (their count and the share
 * with a high work score); 1 + s is CBI scale s. */
#define WARAS_ACCESS_FIGURES (1 + WARAS_CBI_SCALES)

typedef struct waras_access_cell {
    int n[WARAS_ACCESS_FIGURES];      /* respondents; then the answers of each scale */
    double sum[WARAS_ACCESS_FIGURES]; /* respondents with a high work score; each scale's total */
    int why[WARAS_ACCESS_FIGURES];    /* WARAS_ACCESS_*, set by waras_access_protect() */
    char **ids;                       /* identified respondents, sorted after protect */
    size_t nids, capids;
    int anonymous; /* anonymous responses */
} waras_access_cell;

/* Groups x rounds. Cell (round, team) for team < nteams; team == nteams is
 * the organisation, which waras_access_add() keeps as the sum of the teams. */
typedef struct waras_access_table {
    int min_group;
    size_t nrounds, nteams;
    char (*team)[64];            /* team names, when loaded from a store */
    char (*round)[12];           /* "2026-Q4", when loaded from a store */
    waras_date *round_first, *round_last; /* first and last date of each round's quarter */
    waras_access_cell *cells;    /* nrounds * (nteams + 1) */
    int sealed;                  /* waras_access_protect() ran: no more adds */
} waras_access_table;

/* An empty table of nrounds rounds (oldest first) and nteams teams, for
 * min_group (>= 1). WARAS_EINVAL, WARAS_ENOMEM. Free with waras_access_free(). */
int waras_access_table_new(waras_access_table **out, size_t nrounds, size_t nteams,
                           int min_group);

/* Counts one respondent's response in a round and team (and so in the
 * organisation): person is NULL when anonymous. Each identified person is
 * added at most once per round. WARAS_EINVAL when protected already or out
 * of range; WARAS_ENOMEM. */
int waras_access_add(waras_access_table *t, size_t round, size_t team, const char *person,
                     const waras_cbi_scores *s);

/* Applies the rules above to every cell. Call once, after the last add. */
int waras_access_protect(waras_access_table *t);

/* The most responses waras_access_load() reads: a bound on its memory. */
#define WARAS_ACCESS_MAX_RESPONSES 4000000

/* Reads every stored response into a protected table: rounds are the
 * calendar quarters of the response dates, each identified person counts
 * once per round (their latest response in it, toward that response's
 * team), each anonymous response once. A store error, WARAS_ENOMEM,
 * WARAS_ELIMIT past WARAS_ACCESS_MAX_RESPONSES. The caller frees the table
 * with waras_access_free(). */
int waras_access_load(waras_access_table **out, waras_store *st, int min_group);

void waras_access_free(waras_access_table *t);

/* The cell of a round and team; team == nteams is the organisation. The
 * cell belongs to the table. */
waras_access_cell *waras_access_cell_at(const waras_access_table *t, size_t round, size_t team);

/* The team's index, or -1 when it has no response in any round. */
long waras_access_team(const waras_access_table *t, const char *team);

/* The round a view of dates [from_day, to_day] shows: the latest whose
 * quarter overlaps them and whose organisation has at least min_group
 * respondents, else the latest that overlaps them; -1 when none does. */
long waras_access_round_in(const waras_access_table *t, waras_date from_day, waras_date to_day);

/* What a view may show of a group: figures not shown are -1. */
typedef struct waras_access_view {
    int respondents; /* -1 when the count is suppressed with the means */
    int why;         /* the group as a whole (WARAS_ACCESS_*) */
    int scale_why[WARAS_CBI_SCALES];
    double mean[WARAS_CBI_SCALES];
    double high_work_share;
    char reason[160];                     /* words for why, "" when shown */
    char scale_reason[WARAS_CBI_SCALES][160]; /* words for each scale not shown */
} waras_access_view;

/* The view of a group in a round: team is a name, or NULL for the
 * organisation; round -1 (no round) gives 0 respondents, suppressed. A team
 * that has no response in the round has 0 respondents. */
void waras_access_view_get(waras_access_view *out, const waras_access_table *t, long round,
                           const char *team);

#endif
