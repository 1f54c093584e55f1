/*
 * Remedies for the findings of the load risk: each reason strong enough
 * calls one planner with a small fixed budget and turns what it found into
 * a sentence and the exact command that gives the same plan. Remedy reads
 * the risk's public result and the planners' public API; neither depends
 * on it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "waras/error.h"
#include "waras/oncall.h"
#include "waras/quiet.h"
#include "waras/recovery.h"
#include "waras/remedy.h"

#define ONCALL_ITERATIONS 200000L
#define PLAN_ITERATIONS 50000L
#define SEED 1

const char *waras_remedy_kind_name(waras_remedy_kind kind)
{
    return kind == WARAS_REMEDY_ONCALL ? "oncall" : kind == WARAS_REMEDY_RECOVERY ? "recovery" : "quiet";
}

/* Which remedy a risk signal calls for, or -1. */
static int kind_of(int signal)
{
    switch (signal) {
    case WARAS_SIG_SLEEP_INTERRUPTIONS:
        return WARAS_REMEDY_ONCALL;
    case WARAS_SIG_LONG_WEEKS:
    case WARAS_SIG_SINCE_BREAK:
    case WARAS_SIG_STREAK:
    case WARAS_SIG_SHORT_REST:
        return WARAS_REMEDY_RECOVERY;
    case WARAS_SIG_FOCUS:
        return WARAS_REMEDY_QUIET;
    default:
        return -1;
    }
}

/* A word of a command line: as is when it holds only safe characters,
 * else in single quotes. */
static void word(char *buf, size_t size, const char *w)
{
    size_t len = strlen(buf);
    int safe = *w != '\0';
    for (const char *p = w; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.,/:@+=", *p))
            safe = 0;
    if (safe) {
        snprintf(buf + len, size - len, " %s", w);
        return;
    }
    snprintf(buf + len, size - len, " '");
    for (const char *p = w; *p; p++) {
        len = strlen(buf);
        if (*p == '\'')
            snprintf(buf + len, size - len, "'\\''");
        else
            snprintf(buf + len, size - len, "%c", *p);
    }
    len = strlen(buf);
    snprintf(buf + len, size - len, "'");
}

/* "waras [--db PATH] " and the words of a command. */
static void command(char *buf, size_t size, const char *db, const char *const *words)
{
    snprintf(buf, size, "waras");
    if (db) {
        word(buf, size, "--db");
        word(buf, size, db);
    }
    for (; *words; words++)
        word(buf, size, *words);
}

static void add_text(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void add_text(char *buf, size_t size, const char *fmt, ...)
{
    size_t len = strlen(buf);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + len, size - len, fmt, ap);
    va_end(ap);
}

/* Fewer on-call turns next quarter: the planner's rota for the team, and
 * what it asks of the others. */
static int oncall_remedy(waras_remedy *r, waras_store *st, const waras_person *p,
                         const waras_remedy_opts *o, int weeks)
{
    char from[16], nweeks[16], iters[24], seed[8], night[32];
    waras_date_format(from, sizeof(from), o->from);
    snprintf(nweeks, sizeof(nweeks), "%d", weeks);
    snprintf(iters, sizeof(iters), "%ld", ONCALL_ITERATIONS);
    snprintf(seed, sizeof(seed), "%d", SEED);
    waras_oncall_opts oo = {
        .team = p->team, .first_day = o->from, .weeks = weeks, .shape = WARAS_ONCALL_WEEKLY,
        .roles = {"primary"}, .nroles = 1, .max_share = 0.25,
        .budget = {.iterations = ONCALL_ITERATIONS, .seed = SEED},
        .night_page_hours = o->night_page_hours,
    };
    waras_oncall_plan plan;
    int rc = waras_oncall_plan_make(&plan, st, &oo);
    if (rc)
        return rc;
    if (!plan.feasible) {
        add_text(r->text, sizeof(r->text), "no valid weekly rota for %s from %s: %s", p->team,
                 from, plan.why);
        waras_oncall_plan_free(&plan);
        return 0;
    }
    const waras_oncall_fair *me = NULL;
    int lo = -1, hi = -1, nothers = 0;
    for (size_t i = 0; i < plan.nfair; i++) {
        const waras_oncall_fair *f = &plan.fair[i];
        if (strcmp(f->person, p->id) == 0) {
            me = f;
            continue;
        }
        nothers++;
        if (lo < 0 || f->turns < lo)
            lo = f->turns;
        if (f->turns > hi)
            hi = f->turns;
    }
    double even = (double)plan.nturns / (double)(plan.nfair ? plan.nfair : 1);
    if (me) {
        snprintf(r->text, sizeof(r->text),
                 "fewer on-call turns next quarter: the planner gives %s %d of %zu weekly turns "
                 "from %s (an even share is %.1f; %d sleep-hour interruptions in the last 12 "
                 "weeks)",
                 p->id, me->turns, plan.nturns, from, even, me->history_sleep_pages);
        if (nothers && lo == hi)
            add_text(r->text, sizeof(r->text), "; the other %d take %d each", nothers, lo);
        else if (nothers)
            add_text(r->text, sizeof(r->text), "; the other %d take %d to %d each", nothers, lo,
                     hi);
        int more = 0;
        for (size_t i = 0; i < plan.nfair; i++)
            if (&plan.fair[i] != me && plan.fair[i].turns > even + 1e-9) {
                add_text(r->text, sizeof(r->text), "%s%s %d", more ? ", " : " (", plan.fair[i].person,
                         plan.fair[i].turns);
                more++;
            }
        if (more)
            add_text(r->text, sizeof(r->text), ")");
        if (me->turns + 1e-9 >= even)
            add_text(r->text, sizeof(r->text),
                     "; the team has no room to lighten %s under the 25 %% cap", p->id);
    }
    /* The same weight of night pages as the plan above: the policy file
     * that set it, or, where no path may be named, the weight itself. */
    const char *words[] = {"oncall", "plan", "--team", p->team, "--from", from, "--weeks",
                           nweeks, "--iterations", iters, "--seed", seed, NULL, NULL, NULL};
    size_t nw = sizeof(words) / sizeof(words[0]) - 3;
    if (o->risk_policy) {
        words[nw++] = "--risk-policy";
        words[nw] = o->risk_policy;
    } else if (o->night_page_hours > 0 && o->night_page_hours != WARAS_ONCALL_NIGHT_PAGE_HOURS) {
        snprintf(night, sizeof(night), "%g", o->night_page_hours);
        words[nw++] = "--night-page-hours";
        words[nw] = night;
    }
    command(r->command, sizeof(r->command), o->db, words);
    waras_oncall_plan_free(&plan);
    return 0;
}

/* A recovery-leave slot for the person that keeps the team's cover. */
static int recovery_remedy(waras_remedy *r, waras_store *st, const waras_person *p,
                           const waras_remedy_opts *o)
{
    int days = o->leave_days > 0 ? o->leave_days : 5;
    char project[WARAS_PERSON_ID_MAX + 8], ends[16], ndays[16], iters[24], seed[8];
    snprintf(project, sizeof(project), "break-%s", p->id);
    waras_date_format(ends, sizeof(ends), o->ends);
    snprintf(ndays, sizeof(ndays), "%d", days);
    snprintf(iters, sizeof(iters), "%ld", PLAN_ITERATIONS);
    snprintf(seed, sizeof(seed), "%d", SEED);
    const char *members[1] = {p->id};
    waras_recovery_opts ro = {
        .team = p->team, .project = project, .ends = o->ends, .days = days, .window_weeks = 6,
        .members = members, .nmembers = 1,
        .budget = {.iterations = PLAN_ITERATIONS, .seed = SEED},
    };
    waras_recovery_plan plan;
    int rc = waras_recovery_plan_make(&plan, st, &ro);
    if (rc)
        return rc;
    if (!plan.feasible || plan.nleave != 1) {
        add_text(r->text, sizeof(r->text), "no recovery-leave slot for %s in the 6 weeks after %s "
                 "that keeps cover%s%s", p->id, ends, plan.suggestion[0] ? "; it would be "
                 "feasible with " : "", plan.suggestion);
        waras_recovery_plan_free(&plan);
        return 0;
    }
    char a[16], b[16];
    waras_date_format(a, sizeof(a), plan.leave[0].first_day);
    waras_date_format(b, sizeof(b), plan.leave[0].last_day);
    snprintf(r->text, sizeof(r->text),
             "a recovery break: %d working days of leave for %s, %s to %s, found by the recovery "
             "planner with cover kept (at most %d of %s away at once)",
             days, p->id, a, b, plan.cap, p->team);
    if (plan.leave[0].oncall_conflicts[0])
        add_text(r->text, sizeof(r->text), "; recorded on-call turns to re-plan: %s",
                 plan.leave[0].oncall_conflicts);
    const char *words[] = {"recovery", "plan", "--team", p->team, "--project", project,
                           "--ends", ends, "--days", ndays, "--person", p->id,
                           "--iterations", iters, "--seed", seed, NULL};
    command(r->command, sizeof(r->command), o->db, words);
    waras_recovery_plan_free(&plan);
    return 0;
}

/* The team's next quiet week. */
static int quiet_remedy(waras_remedy *r, waras_store *st, const waras_person *p,
                        const waras_remedy_opts *o, int weeks)
{
    waras_date to = waras_date_add(o->from, 7L * (weeks - 1));
    char a[16], b[16], iters[24], seed[8];
    waras_date_format(a, sizeof(a), o->from);
    waras_date_format(b, sizeof(b), to);
    snprintf(iters, sizeof(iters), "%ld", PLAN_ITERATIONS);
    snprintf(seed, sizeof(seed), "%d", SEED);
    waras_quiet_opts qo = {
        .team = p->team, .from_day = o->from, .to_day = to, .count = 1,
        .budget = {.iterations = PLAN_ITERATIONS, .seed = SEED},
    };
    waras_quiet_plan plan;
    int rc = waras_quiet_plan_make(&plan, st, &qo);
    if (rc)
        return rc;
    const waras_quiet_week *w = NULL;
    for (size_t i = 0; plan.feasible && i < plan.nweeks; i++)
        if (plan.weeks[i].chosen)
            w = &plan.weeks[i];
    if (!w) {
        add_text(r->text, sizeof(r->text), "no quiet week for %s between %s and %s: %s", p->team,
                 a, b, plan.why);
        waras_quiet_plan_free(&plan);
        return 0;
    }
    char mon[16];
    waras_date_format(mon, sizeof(mon), w->monday);
    snprintf(r->text, sizeof(r->text),
             "the team's next quiet week: %d-W%02d (from %s) for %s, %d internal meeting%s "
             "cancelled, cost %ld (%d meeting%s with outside people, %d leave and %d holiday "
             "member-days)",
             w->iso_year, w->iso_week, mon, p->team, w->internal_meetings,
             w->internal_meetings == 1 ? "" : "s", w->cost, w->external_meetings,
             w->external_meetings == 1 ? "" : "s", w->leave_days, w->holiday_days);
    const char *words[] = {"quiet", "plan", "--team", p->team, "--between", a, b,
                           "--iterations", iters, "--seed", seed, NULL};
    command(r->command, sizeof(r->command), o->db, words);
    waras_quiet_plan_free(&plan);
    return 0;
}

int waras_remedy_suggest(waras_remedy **list, size_t *n, waras_store *st,
                         const waras_person *person, const waras_risk *risk,
                         const waras_remedy_opts *o)
{
    double min_level = o->min_level > 0 ? o->min_level : 50;
    int weeks = o->weeks > 0 ? o->weeks : 12;
    int done[3] = {0, 0, 0};
    for (int i = 0; i < risk->nreasons; i++) {
        const waras_risk_reason *why = &risk->reasons[i];
        int kind = kind_of(why->signal);
        if (kind < 0 || done[kind] || why->level < min_level)
            continue;
        done[kind] = 1;
        waras_remedy *grown = realloc(*list, (*n + 1) * sizeof(**list));
        if (!grown)
            return waras_error_msg(WARAS_ENOMEM, "out of memory");
        *list = grown;
        waras_remedy *r = &grown[*n];
        memset(r, 0, sizeof(*r));
        r->kind = (waras_remedy_kind)kind;
        waras_strlcpy(r->person, person->id, sizeof(r->person));
        waras_strlcpy(r->team, person->team, sizeof(r->team));
        r->signal = why->signal;
        r->value = why->value;
        waras_strlcpy(r->finding, why->text, sizeof(r->finding));
        int rc = !person->team[0]                ? WARAS_ENOTFOUND
                 : kind == WARAS_REMEDY_ONCALL   ? oncall_remedy(r, st, person, o, weeks)
                 : kind == WARAS_REMEDY_RECOVERY ? recovery_remedy(r, st, person, o)
                                                 : quiet_remedy(r, st, person, o, weeks);
        /* A planner that cannot run for this person (no team, a team the
         * planner cannot read) is a suggestion without a command, not a
         * failed report; running out of memory or a broken store is. */
        if (rc == WARAS_ENOTFOUND || rc == WARAS_EINVAL || rc == WARAS_EPARSE) {
            char why[400];
            if (person->team[0])
                waras_error_format(why, sizeof(why));
            else
                snprintf(why, sizeof(why), "%s belongs to no team", person->id);
            r->text[0] = r->command[0] = '\0';
            add_text(r->text, sizeof(r->text), "no %s plan: %s", waras_remedy_kind_name(r->kind),
                     why);
            waras_error_clear();
            rc = 0;
        }
        if (rc)
            return rc;
        (*n)++;
    }
    return 0;
}
