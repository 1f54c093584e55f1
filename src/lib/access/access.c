/*
 * The protected table of wellbeing aggregates that every view other than a
 * person's own reads: survey responses grouped by round (calendar quarter)
 * and team, with primary, round-to-round and complementary suppression
 * decided once for the whole organisation, so that what a filtered view
 * shows is always a subset of what the full view shows (waras/access.h
 * states the rules; docs/definitions.md "Privacy" what they guarantee).
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "waras/access.h"
#include "waras/error.h"
#include "waras/time.h"

int waras_access_table_new(waras_access_table **out, size_t nrounds, size_t nteams,
                           int min_group)
{
    if (min_group < 1)
        return waras_error_msg(WARAS_EINVAL, "min_group must be at least 1 (got %d)", min_group);
    waras_access_table *t = calloc(1, sizeof(*t));
    if (!t)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    t->min_group = min_group;
    t->nrounds = nrounds;
    t->nteams = nteams;
    t->cells = calloc(nrounds * (nteams + 1) + 1, sizeof(*t->cells));
    t->team = calloc(nteams + 1, sizeof(*t->team));
    t->round = calloc(nrounds + 1, sizeof(*t->round));
    t->round_first = calloc(nrounds + 1, sizeof(*t->round_first));
    t->round_last = calloc(nrounds + 1, sizeof(*t->round_last));
    if (!t->cells || !t->team || !t->round || !t->round_first || !t->round_last) {
        waras_access_free(t);
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    }
    *out = t;
    return 0;
}

void waras_access_free(waras_access_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; t->cells && i < t->nrounds * (t->nteams + 1); i++) {
        for (size_t k = 0; k < t->cells[i].nids; k++)
            free(t->cells[i].ids[k]);
        free(t->cells[i].ids);
    }
    free(t->cells);
    free(t->team);
    free(t->round);
    free(t->round_first);
    free(t->round_last);
    free(t);
}

waras_access_cell *waras_access_cell_at(const waras_access_table *t, size_t round, size_t team)
{
    return &t->cells[round * (t->nteams + 1) + (team < t->nteams ? team : t->nteams)];
}

static int cell_add(waras_access_cell *c, const char *person, const waras_cbi_scores *s)
{
    if (person) {
        if (c->nids == c->capids) {
            size_t cap = c->capids ? c->capids * 2 : 8;
            char **ids = realloc(c->ids, cap * sizeof(*ids));
            if (!ids)
                return waras_error_msg(WARAS_ENOMEM, "out of memory");
            c->ids = ids;
            c->capids = cap;
        }
        if (!(c->ids[c->nids] = waras_strdup(person)))
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        c->nids++;
    } else {
        c->anonymous++;
    }
    c->n[0]++;
    c->sum[0] += waras_cbi_is_high(s->scale[WARAS_CBI_WORK]);
    for (int k = 0; k < WARAS_CBI_SCALES; k++) {
        if (s->scale[k] >= 0) {
            c->n[1 + k]++;
            c->sum[1 + k] += s->scale[k];
        }
    }
    return 0;
}

int waras_access_add(waras_access_table *t, size_t round, size_t team, const char *person,
                     const waras_cbi_scores *s)
{
    if (t->sealed || round >= t->nrounds || team >= t->nteams)
        return waras_error_msg(WARAS_EINVAL, "no such cell (round %zu, team %zu) or the table "
                               "is protected already", round, team);
    int rc = cell_add(waras_access_cell_at(t, round, team), person, s);
    return rc ? rc : cell_add(waras_access_cell_at(t, round, t->nteams), person, s);
}

static int by_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Respondents two rounds of a group have in common: identified people in
 * both, and anonymous responses as if the same people answered again (the
 * assumption that leaves the fewest differing). */
static int shared(const waras_access_cell *a, const waras_access_cell *b)
{
    int n = a->anonymous < b->anonymous ? a->anonymous : b->anonymous;
    size_t i = 0, j = 0;
    while (i < a->nids && j < b->nids) {
        int c = strcmp(a->ids[i], b->ids[j]);
        n += c == 0;
        i += c <= 0;
        j += c >= 0;
    }
    return n;
}

static void hide_group(waras_access_cell *c, int why)
{
    for (int f = 0; f < WARAS_ACCESS_FIGURES; f++)
        if (c->why[f] == WARAS_ACCESS_SHOWN)
            c->why[f] = why;
}

/* Rule 3 for one figure of one round: returns once the organisation is
 * hidden, or hides nothing it shows that could be subtracted. */
static void complement(waras_access_table *t, size_t r, int f)
{
    waras_access_cell *org = waras_access_cell_at(t, r, t->nteams);
    for (;;) {
        if (org->why[f] != WARAS_ACCESS_SHOWN)
            return;
        int hidden = 0, hidden_n = 0, shown = 0;
        long smallest = -1;
        for (size_t k = 0; k < t->nteams; k++) {
            const waras_access_cell *c = waras_access_cell_at(t, r, k);
            if (c->n[f] == 0) /* nothing to protect or to subtract */
                continue;
            if (c->why[f] != WARAS_ACCESS_SHOWN) {
                hidden++;
                hidden_n += c->n[f];
            } else {
                shown++;
                if (smallest < 0 || c->n[f] < waras_access_cell_at(t, r, (size_t)smallest)->n[f])
                    smallest = (long)k;
            }
        }
        if (!hidden || (hidden >= 2 && hidden_n >= t->min_group))
            return;
        /* The organisation minus the shown teams would be one hidden team,
         * or fewer than min_group people: hide the next-smallest team too,
         * unless that leaves no team shown, then the organisation. */
        waras_access_cell *c = smallest >= 0 && shown >= 2
                                   ? waras_access_cell_at(t, r, (size_t)smallest)
                                   : org;
        if (f == 0)
            hide_group(c, WARAS_ACCESS_COMPLEMENT);
        else
            c->why[f] = WARAS_ACCESS_COMPLEMENT;
    }
}

int waras_access_protect(waras_access_table *t)
{
    if (t->sealed)
        return waras_error_msg(WARAS_EINVAL, "the table is protected already");
    t->sealed = 1;
    size_t ng = t->nteams + 1;
    for (size_t i = 0; i < t->nrounds * ng; i++)
        if (t->cells[i].nids)
            qsort(t->cells[i].ids, t->cells[i].nids, sizeof(char *), by_str);
    for (size_t r = 0; r < t->nrounds; r++) {
        /* The organisation is the sum of its teams: what rule 3 rests on. */
        for (int f = 0; f < WARAS_ACCESS_FIGURES; f++) {
            int n = 0;
            for (size_t k = 0; k < t->nteams; k++)
                n += waras_access_cell_at(t, r, k)->n[f];
            assert(n == waras_access_cell_at(t, r, t->nteams)->n[f]);
            (void)n;
        }
        /* 1. Primary. */
        for (size_t g = 0; g < ng; g++) {
            waras_access_cell *c = waras_access_cell_at(t, r, g);
            c->why[0] = c->n[0] < t->min_group ? WARAS_ACCESS_SMALL : WARAS_ACCESS_SHOWN;
            for (int f = 1; f < WARAS_ACCESS_FIGURES; f++)
                c->why[f] = c->why[0] ? c->why[0]
                            : c->n[f] < t->min_group ? WARAS_ACCESS_SMALL
                                                     : WARAS_ACCESS_SHOWN;
        }
        /* 2. Against each earlier round of the same group that is shown. */
        for (size_t g = 0; g < ng; g++) {
            waras_access_cell *c = waras_access_cell_at(t, r, g);
            for (size_t p = 0; p < r && c->why[0] == WARAS_ACCESS_SHOWN; p++) {
                const waras_access_cell *e = waras_access_cell_at(t, p, g);
                if (e->why[0] != WARAS_ACCESS_SHOWN)
                    continue;
                int common = shared(e, c), differ = e->n[0] + c->n[0] - 2 * common;
                if (common < t->min_group && differ < t->min_group)
                    hide_group(c, WARAS_ACCESS_ROUND);
            }
        }
        /* 3. Complementary: the respondents first, since hiding a team's
         * respondents hides its scales too. */
        for (int f = 0; f < WARAS_ACCESS_FIGURES; f++)
            complement(t, r, f);
    }
    return 0;
}

long waras_access_team(const waras_access_table *t, const char *team)
{
    for (size_t k = 0; k < t->nteams; k++)
        if (strcmp(t->team[k], team) == 0)
            return (long)k;
    return -1;
}

long waras_access_round_in(const waras_access_table *t, waras_date from_day, waras_date to_day)
{
    /* A round just begun, with a few early answers, does not hide the one
     * before it: any round of the table is protected, so the choice is free. */
    long latest = -1;
    for (size_t r = t->nrounds; r-- > 0;) {
        if (waras_date_cmp(t->round_first[r], to_day) > 0 ||
            waras_date_cmp(t->round_last[r], from_day) < 0)
            continue;
        if (latest < 0)
            latest = (long)r;
        if (waras_access_cell_at(t, r, t->nteams)->n[0] >= t->min_group)
            return (long)r;
    }
    return latest;
}

void waras_access_view_get(waras_access_view *out, const waras_access_table *t, long round,
                           const char *team)
{
    static const waras_access_cell none = {.why = {WARAS_ACCESS_SMALL, WARAS_ACCESS_SMALL,
                                                   WARAS_ACCESS_SMALL, WARAS_ACCESS_SMALL}};
    const waras_access_cell *c = &none;
    if (round >= 0 && (size_t)round < t->nrounds) {
        long k = team ? waras_access_team(t, team) : (long)t->nteams;
        if (k >= 0)
            c = waras_access_cell_at(t, (size_t)round, (size_t)k);
    }
    waras_access_view v = {.why = c->why[0], .high_work_share = -1};
    int m = t->min_group;
    v.respondents = c->why[0] == WARAS_ACCESS_SHOWN || c->why[0] == WARAS_ACCESS_SMALL
                        ? c->n[0]
                        : -1;
    if (c->why[0] == WARAS_ACCESS_SMALL)
        snprintf(v.reason, sizeof(v.reason), "%d respondent%s, fewer than min_group (%d)",
                 c->n[0], c->n[0] == 1 ? "" : "s", m);
    else if (c->why[0] == WARAS_ACCESS_COMPLEMENT)
        snprintf(v.reason, sizeof(v.reason), "suppressed to protect a smaller group");
    else if (c->why[0] == WARAS_ACCESS_ROUND)
        snprintf(v.reason, sizeof(v.reason), "suppressed to protect a smaller group: fewer "
                 "than min_group (%d) respondents in common with an earlier round", m);
    else
        v.high_work_share = c->sum[0] / c->n[0];
    for (int s = 0; s < WARAS_CBI_SCALES; s++) {
        int why = c->why[1 + s];
        v.scale_why[s] = why;
        v.mean[s] = why == WARAS_ACCESS_SHOWN ? c->sum[1 + s] / c->n[1 + s] : -1;
        if (why == WARAS_ACCESS_SHOWN)
            v.scale_reason[s][0] = '\0';
        else if (c->why[0] != WARAS_ACCESS_SHOWN)
            snprintf(v.scale_reason[s], sizeof(v.scale_reason[s]), "%s", v.reason);
        else if (why == WARAS_ACCESS_SMALL)
            snprintf(v.scale_reason[s], sizeof(v.scale_reason[s]),
                     "fewer than min_group (%d) answered this scale", m);
        else
            snprintf(v.scale_reason[s], sizeof(v.scale_reason[s]),
                     "suppressed to protect a smaller group");
    }
    *out = v;
}

/* --- reading the store --- */

typedef struct resp {
    int64_t quarter; /* year * 4 + quarter - 1 */
    size_t seq;      /* order read: by date */
    char team[64], person[WARAS_PERSON_ID_MAX];
    int anonymous;
    waras_cbi_scores scores;
} resp;

typedef struct load_acc {
    resp *v;
    size_t n, cap;
} load_acc;

static int load_row(void *ctx, const waras_survey_row *row)
{
    load_acc *a = ctx;
    if (a->n == WARAS_ACCESS_MAX_RESPONSES)
        return waras_error_msg(WARAS_ELIMIT, "more than %d survey responses",
                               WARAS_ACCESS_MAX_RESPONSES);
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 256;
        resp *v = realloc(a->v, cap * sizeof(*v));
        if (!v)
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        a->v = v;
        a->cap = cap;
    }
    resp *p = &a->v[a->n];
    p->quarter = (int64_t)row->taken_on.year * 4 + (row->taken_on.month - 1) / 3;
    p->seq = a->n;
    snprintf(p->team, sizeof(p->team), "%s", row->team);
    snprintf(p->person, sizeof(p->person), "%s", row->person ? row->person : "");
    p->anonymous = !row->person;
    p->scores = row->scores;
    a->n++;
    return 0;
}

/* By round, then person (anonymous ones first), then the order read. */
static int by_round_person(const void *x, const void *y)
{
    const resp *a = x, *b = y;
    if (a->quarter != b->quarter)
        return a->quarter < b->quarter ? -1 : 1;
    if (a->anonymous != b->anonymous)
        return a->anonymous ? -1 : 1;
    int c = strcmp(a->person, b->person);
    if (c)
        return c;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(a, b);
}

int waras_access_load(waras_access_table **out, waras_store *st, int min_group)
{
    load_acc a = {0};
    char (*teams)[64] = NULL;
    waras_access_table *t = NULL;
    int rc = waras_survey_each(st, NULL, (waras_date){1900, 1, 1}, (waras_date){9999, 12, 31},
                               load_row, &a);
    if (rc)
        goto cleanup;
    if (a.n)
        qsort(a.v, a.n, sizeof(*a.v), by_round_person);
    /* Each identified person's latest response in a round: the last of their run. */
    size_t keep = 0;
    for (size_t i = 0; i < a.n; i++) {
        int last = a.v[i].anonymous || i + 1 == a.n || a.v[i + 1].quarter != a.v[i].quarter ||
                   strcmp(a.v[i + 1].person, a.v[i].person) != 0;
        if (last)
            a.v[keep++] = a.v[i];
    }
    a.n = keep;
    size_t nrounds = 0, nteams = 0;
    teams = calloc(a.n + 1, sizeof(*teams));
    if (!teams) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < a.n; i++) {
        nrounds += i == 0 || a.v[i].quarter != a.v[i - 1].quarter;
        snprintf(teams[i], sizeof(teams[i]), "%s", a.v[i].team);
    }
    if (a.n)
        qsort(teams, a.n, sizeof(*teams), by_name);
    for (size_t i = 0; i < a.n; i++)
        if (i == 0 || strcmp(teams[i], teams[nteams - 1]) != 0)
            memmove(teams[nteams++], teams[i], sizeof(teams[i]));
    if ((rc = waras_access_table_new(&t, nrounds, nteams, min_group)))
        goto cleanup;
    memcpy(t->team, teams, nteams * sizeof(*teams));
    long r = -1;
    for (size_t i = 0; i < a.n; i++) {
        if (i == 0 || a.v[i].quarter != a.v[i - 1].quarter) {
            r++;
            int y = (int)(a.v[i].quarter / 4), q = (int)(a.v[i].quarter % 4);
            snprintf(t->round[r], sizeof(t->round[r]), "%04d-Q%d", y, q + 1);
            t->round_first[r] = (waras_date){y, 3 * q + 1, 1};
            t->round_last[r] = q == 3 ? (waras_date){y, 12, 31}
                                      : waras_date_add((waras_date){y, 3 * q + 4, 1}, -1);
        }
        long k = waras_access_team(t, a.v[i].team);
        rc = waras_access_add(t, (size_t)r, (size_t)k,
                              a.v[i].anonymous ? NULL : a.v[i].person, &a.v[i].scores);
        if (rc)
            goto cleanup;
    }
    if ((rc = waras_access_protect(t)))
        goto cleanup;
    *out = t;
    t = NULL;
cleanup:
    waras_access_free(t);
    free(teams);
    free(a.v);
    return rc;
}
