/*
 * Calendar subscriptions: a secret per user that a calendar app puts in a
 * URL and fetches without a cookie. The secret is 32 random bytes, shown
 * once and stored only as its BLAKE2b hash, like API tokens; a user has at
 * most one (a new one replaces the old), and revoking deletes it. The
 * calendar holds what the access rule lets the user see of the store's
 * plans and leave: their own on-call turns, quiet weeks, recovery and
 * other leave, and for a lead the on-call turns of their teams' people.
 * Written as RFC 5545 text (CRLF, escaped text, folded lines).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "auth/accounts_int.h"
#include "util/util.h"
#include "waras/auth.h"
#include "waras/error.h"
#include "waras/time.h"

#define CAL_PREFIX "wrc_"

#define T WARAS_SQL_T
#define I WARAS_SQL_I
#define ARGS WARAS_SQL_ARGS

int waras_auth_calendar_create(char token[WARAS_AUTH_TOKEN_SIZE], waras_store *st, int64_t user)
{
    char t[WARAS_AUTH_TOKEN_SIZE], h[65];
    int rc = waras_auth__ready();
    if (rc)
        return rc;
    waras_auth__token_new(t, CAL_PREFIX);
    waras_auth__token_hash(h, t);
    rc = waras_store__exec(NULL, st,
                           "INSERT INTO calendar_tokens (\"user\", token_hash, created_at)"
                           " VALUES (?1, ?2, ?3) ON CONFLICT (\"user\") DO UPDATE SET"
                           " token_hash = excluded.token_hash, created_at = excluded.created_at",
                           "cannot store the subscription",
                           ARGS(I(user), T(h), I(waras_clock_now())));
    if (!rc)
        memcpy(token, t, sizeof(t));
    sodium_memzero(t, sizeof(t));
    return rc;
}

int waras_auth_calendar_revoke(waras_store *st, int64_t user)
{
    return waras_store__exec(NULL, st, "DELETE FROM calendar_tokens WHERE \"user\" = ?1",
                             "cannot revoke the subscription", ARGS(I(user)));
}

int waras_auth_calendar_status(int64_t *created_at, waras_store *st, int64_t user)
{
    waras_store_row *s = NULL;
    *created_at = 0;
    int rc = waras_store__row(&s, st, "SELECT created_at FROM calendar_tokens WHERE \"user\" = ?1",
                              "cannot read the subscription", ARGS(I(user)));
    if (rc < 0)
        return rc;
    if (!rc)
        return waras_error_msg(WARAS_ENOTFOUND, "no calendar subscription");
    *created_at = waras_store__int(s, 0);
    waras_store__row_free(s);
    return 0;
}

int waras_auth_calendar_check(waras_user *out, waras_store *st, const char *token)
{
    char h[65], stored[65] = "";
    waras_store_row *s = NULL;
    int64_t user = 0;
    int rc = waras_auth__ready();
    if (rc)
        return rc;
    size_t n = token ? strlen(token) : 0;
    if (n != 68 || strncmp(token, CAL_PREFIX, 4) != 0)
        return waras_error_msg(WARAS_ENOTFOUND, "no such subscription");
    waras_auth__token_hash(h, token);
    rc = waras_store__row(&s, st,
                          "SELECT \"user\", token_hash FROM calendar_tokens WHERE token_hash = ?1",
                          "cannot read the subscription", ARGS(T(h)));
    if (rc < 0)
        return rc;
    if (!rc)
        return waras_error_msg(WARAS_ENOTFOUND, "no such subscription");
    user = waras_store__int(s, 0);
    waras_store__copy(s, 1, stored, sizeof(stored));
    waras_store__row_free(s);
    if (strlen(stored) != 64 || sodium_memcmp(h, stored, 64) != 0)
        return waras_error_msg(WARAS_ENOTFOUND, "no such subscription");
    rc = waras_store__user_read(st, NULL, user, out, NULL, 0);
    return rc == WARAS_ENOTFOUND ? waras_error_msg(WARAS_ENOTFOUND, "no such subscription") : rc;
}

/* --- the calendar --- */

/* Plans seen so far (newest first), so that a re-plan hides the turns of
 * older plans of the same kind and team that it overlaps. */
typedef struct seen_plan {
    int64_t id;
    char kind[16], team[64];
    waras_instant start, end;
} seen_plan;

typedef struct cal_ctx {
    waras_store *st;
    const waras_user *u;
    waras_buf *b;
    seen_plan *plans;
    size_t nplans, cap;
    waras_instant stamp;
    int rc;
} cal_ctx;

/* Appends one content line, escaped value, folded at 75 octets. */
static void line(waras_buf *b, const char *name, const char *value, int text)
{
    waras_buf tmp;
    waras_buf_init(&tmp, 1 << 16);
    waras_buf_printf(&tmp, "%s:", name);
    for (const char *p = value; *p; p++) {
        if (text && (*p == '\\' || *p == ';' || *p == ','))
            waras_buf_addc(&tmp, '\\');
        if (text && *p == '\n')
            waras_buf_printf(&tmp, "\\n");
        else if ((unsigned char)*p >= 32 || *p == '\t')
            waras_buf_addc(&tmp, *p);
    }
    size_t col = 0;
    for (size_t i = 0; i < tmp.len; i++) {
        /* Fold before 75 octets, never inside a UTF-8 sequence. */
        if (col >= 74 && ((unsigned char)tmp.ptr[i] & 0xC0) != 0x80) {
            waras_buf_printf(b, "\r\n ");
            col = 1;
        }
        waras_buf_addc(b, tmp.ptr[i]);
        col++;
    }
    waras_buf_printf(b, "\r\n");
    waras_buf_free(&tmp);
}

static void stamp(char out[20], waras_instant t)
{
    waras_civil c;
    waras_epoch_to_civil(&c, t);
    snprintf(out, 20, "%04d%02d%02dT%02d%02d%02dZ", c.year, c.month, c.day, c.hour, c.minute,
             c.second);
}

static void event(cal_ctx *c, const char *uid, const char *summary, const char *categories,
                  waras_instant start, waras_instant end)
{
    char a[20], b[20], d[20];
    stamp(a, start);
    stamp(b, end);
    stamp(d, c->stamp);
    waras_buf_printf(c->b, "BEGIN:VEVENT\r\n");
    line(c->b, "UID", uid, 0);
    line(c->b, "DTSTAMP", d, 0);
    line(c->b, "DTSTART", a, 0);
    line(c->b, "DTEND", b, 0);
    line(c->b, "SUMMARY", summary, 1);
    line(c->b, "CATEGORIES", categories, 1);
    line(c->b, "TRANSP", "TRANSPARENT", 0);
    waras_buf_printf(c->b, "END:VEVENT\r\n");
}

/* The plan of a turn, noted the first time one of its turns comes: turns
 * come plan by plan, newest first (waras_store_plan_assignments_each), and
 * each kind's plans are other plans, so a plan seen before is the last one
 * noted (each row carries its plan's kind, team and span: no look-up). */
static const seen_plan *plan_seen(cal_ctx *c, const waras_plan_assignment *as)
{
    if (c->nplans && c->plans[c->nplans - 1].id == as->plan)
        return &c->plans[c->nplans - 1];
    if (c->nplans == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 16;
        seen_plan *nv = realloc(c->plans, ncap * sizeof(*nv));
        if (!nv)
            return NULL;
        c->plans = nv;
        c->cap = ncap;
    }
    seen_plan *p = &c->plans[c->nplans++];
    p->id = as->plan;
    waras_strlcpy(p->kind, as->kind, sizeof(p->kind));
    waras_strlcpy(p->team, as->team, sizeof(p->team));
    p->start = as->plan_start;
    p->end = as->plan_end;
    return p;
}

static int turn_cb(void *ctx, const waras_plan_assignment *as)
{
    cal_ctx *c = ctx;
    /* Every plan is noted, even one with nothing to show, so that it still
     * replaces what older plans had there. */
    const seen_plan *p = plan_seen(c, as);
    if (!p) {
        c->rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        return 1;
    }
    int own = c->u->person[0] && strcmp(as->person, c->u->person) == 0;
    waras_subject s = {as->person, as->team};
    /* On-call turns of others only for a lead of the plan's team (the
     * rule's work data); quiet weeks and recovery leave only one's own. */
    if (!own && (strcmp(as->kind, "oncall") != 0 ||
                 waras_access_decide(c->u, WARAS_DATA_WORK, &s) != WARAS_ACCESS_ALLOWED))
        return 0;
    /* Plans come newest first: a newer plan of the same kind and team that
     * covers this turn replaces it. */
    for (size_t i = 0; i < c->nplans; i++) {
        const seen_plan *q = &c->plans[i];
        if (q->id > p->id && strcmp(q->kind, p->kind) == 0 && strcmp(q->team, p->team) == 0 &&
            q->start < as->end && as->start < q->end)
            return 0;
    }
    char uid[512], summary[512], day[20], name[128] = "";
    waras_person who;
    if (!own && !waras_store_person_get(&who, c->st, as->person))
        waras_strlcpy(name, who.name[0] ? who.name : who.id, sizeof(name));
    stamp(day, as->start);
    day[8] = '\0';
    snprintf(uid, sizeof(uid), "%s-%s-%s-%s%s%s@waras", as->kind, as->team, as->role, day,
             strcmp(as->kind, "oncall") ? "-" : "", strcmp(as->kind, "oncall") ? as->person : "");
    for (char *q = uid; *q; q++)
        if (*q == '/' || *q == ' ')
            *q = '-';
    if (strcmp(as->kind, "oncall") == 0)
        snprintf(summary, sizeof(summary), "On call (%s)%s%s", as->role, own ? "" : ": ",
                 own ? "" : name);
    else if (strcmp(as->kind, "quiet") == 0)
        snprintf(summary, sizeof(summary), "Quiet week");
    else
        snprintf(summary, sizeof(summary), "Recovery leave");
    event(c, uid, summary, as->kind, as->start, as->end);
    return 0;
}

static int leave_cb(void *ctx, const waras_event *ev)
{
    cal_ctx *c = ctx;
    char uid[256], day[20];
    stamp(day, ev->start);
    day[8] = '\0';
    snprintf(uid, sizeof(uid), "leave-%s-%lld@waras", day, (long long)ev->start);
    event(c, uid, "Leave", "leave", ev->start, ev->end);
    return 0;
}

int waras_auth_calendar_ics(char **out, waras_store *st, const waras_user *u, waras_instant from,
                            waras_instant to)
{
    waras_buf b;
    cal_ctx c = {.st = st, .u = u, .b = &b, .stamp = waras_clock_now()};
    *out = NULL;
    waras_buf_init(&b, 64 << 20);
    waras_buf_printf(&b, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//waras//calendar "
                         "subscription//EN\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n");
    line(&b, "X-WR-CALNAME", "waras: on call, quiet weeks and leave", 1);
    int rc = 0;
    /* Nothing for one who is nobody's person (an admin). */
    static const char *const kinds[] = {"oncall", "quiet", "recovery"};
    for (size_t k = 0; u->person[0] && !rc && k < 3; k++) {
        rc = waras_store_plan_assignments_each(st, kinds[k], NULL, from, to, turn_cb, &c);
        if (c.rc)
            rc = c.rc;
    }
    if (!rc && u->person[0])
        rc = waras_store_events_each(st, u->person, "leave", from, to, leave_cb, &c);
    free(c.plans);
    if (!rc && waras_buf_printf(&b, "END:VCALENDAR\r\n"))
        rc = waras_error_msg(WARAS_ENOMEM, "the calendar is too large");
    if (rc) {
        waras_buf_free(&b);
        return rc;
    }
    *out = waras_buf_detach(&b);
    return *out ? 0 : waras_error_msg(WARAS_ENOMEM, "out of memory");
}
