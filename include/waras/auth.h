/*
 * Accounts, secrets and the one access rule. A user signs in with a login
 * and password (hashed with Argon2id through libsodium's crypto_pwhash_str)
 * and gets a session token; scripts use named API tokens. Tokens are 32
 * random bytes, shown once and stored only as a BLAKE2b hash
 * (crypto_generichash) that is compared with sodium_memcmp. A limiter
 * counts failed sign-ins per account and per address. waras_access_decide()
 * is the single rule of who may read what, for the service and the CLI.
 */
#ifndef WARAS_AUTH_H
#define WARAS_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "waras/activity.h"
#include "waras/check.h"
#include "waras/report.h"
#include "waras/store.h"

typedef enum waras_role {
    WARAS_ROLE_MEMBER = 0,
    WARAS_ROLE_LEAD,
    WARAS_ROLE_PEOPLE_OPS,
    WARAS_ROLE_ADMIN,
} waras_role;

#define WARAS_AUTH_MAX_TEAMS 16
/* Session and API tokens as the client holds them: hex of 32 random bytes
 * (API tokens carry a "wrs_" prefix so that scanners can spot them). */
#define WARAS_AUTH_TOKEN_SIZE 72
#define WARAS_AUTH_PASSWORD_MIN 8
#define WARAS_AUTH_PASSWORD_MAX 1024

typedef struct waras_user {
    int64_t id;
    char login[64];
    waras_role role;
    char person[WARAS_PERSON_ID_MAX];     /* the person this account is ("" for admin) */
    char teams[WARAS_AUTH_MAX_TEAMS][64]; /* teams a lead leads */
    int nteams;
    /* The team of the account's person, as the store has it now; filled by
     * waras_auth_user_team() ("" until then, or when the person has none). */
    char team[64];
} waras_user;

/* "member", "lead", "people-ops", "admin". */
const char *waras_role_name(waras_role role);
/* WARAS_EINVAL for any other name. */
int waras_role_parse(waras_role *out, const char *name);

/* --- accounts --- */
/* Adds a user. member, lead and people-ops name an existing person;
 * admin names none. teams (comma-separated) only for a lead, who needs at
 * least one. The password must be WARAS_AUTH_PASSWORD_MIN..MAX bytes.
 * WARAS_EEXISTS when the login is taken, WARAS_EINVAL for a bad value
 * (field set), WARAS_ENOTFOUND for an unknown person. *id may be NULL. */
int waras_auth_user_add(int64_t *id, waras_store *st, const char *login, waras_role role,
                        const char *person, const char *teams, const char *password);
/* WARAS_ENOTFOUND when there is no such login. */
int waras_auth_user_get(waras_user *out, waras_store *st, const char *login);
/* Every user, ordered by login. *out is freed by the caller. */
int waras_auth_user_list(waras_user **out, size_t *n, waras_store *st);
/* Removes a user with their sessions and tokens. */
int waras_auth_user_remove(waras_store *st, const char *login);
/* Sets a new password and ends every session of the user. */
int waras_auth_user_passwd(waras_store *st, const char *login, const char *password);

/* Checks a login and password. Unknown logins cost the same time as wrong
 * passwords. WARAS_EINVAL ("wrong login or password") on any mismatch. */
int waras_auth_login(waras_user *out, waras_store *st, const char *login, const char *password);

/* --- sessions --- */
/* Starts a session of ttl seconds; token receives the secret for the
 * cookie and csrf the token that state-changing requests must echo. */
int waras_auth_session_create(char token[WARAS_AUTH_TOKEN_SIZE], char csrf[WARAS_AUTH_TOKEN_SIZE],
                              waras_store *st, int64_t user, long ttl);
/* The session's user and CSRF token; WARAS_ENOTFOUND when the token is
 * unknown or expired. */
int waras_auth_session_get(waras_user *out, char csrf[WARAS_AUTH_TOKEN_SIZE], waras_store *st,
                           const char *token);
/* Ends a session (no error when it is already gone). */
int waras_auth_session_end(waras_store *st, const char *token);

/* --- API tokens --- */
/* Creates a token for login, valid for days (0: no expiry); token receives
 * the secret, to be shown once; *id its number for revocation. */
int waras_auth_token_create(char token[WARAS_AUTH_TOKEN_SIZE], int64_t *id, waras_store *st,
                            const char *login, const char *name, int days);
/* WARAS_ENOTFOUND for an unknown id. */
int waras_auth_token_revoke(waras_store *st, int64_t id);
/* The token's user; WARAS_ENOTFOUND when unknown, expired or revoked. */
int waras_auth_token_check(waras_user *out, waras_store *st, const char *token);
/* A token as the admins' list shows it: never its secret nor its hash. */
typedef struct waras_auth_token_info {
    int64_t id;
    char login[64];
    char name[72];
    int64_t created_at, expires_at; /* UTC seconds; expires_at 0: no expiry */
    int revoked;
} waras_auth_token_info;
/* Every token, revoked and expired ones included, by id. *out is freed by
 * the caller. */
int waras_auth_token_list(waras_auth_token_info **out, size_t *n, waras_store *st);

/* --- failed sign-ins ---
 * At most WARAS_AUTH_FAILS_PER_LOGIN failures per account and
 * WARAS_AUTH_FAILS_PER_ADDR per client address within
 * WARAS_AUTH_FAIL_WINDOW seconds; past that, sign-in is refused (even with
 * the right password) until the window has passed. Thread-safe; the table
 * holds WARAS_AUTH_LIMIT_SLOTS keys, the oldest evicted first. */
#define WARAS_AUTH_FAILS_PER_LOGIN 5
#define WARAS_AUTH_FAILS_PER_ADDR 20
#define WARAS_AUTH_FAIL_WINDOW 900
#define WARAS_AUTH_LIMIT_SLOTS 4096
typedef struct waras_auth_limiter waras_auth_limiter;
int waras_auth_limiter_new(waras_auth_limiter **out);
void waras_auth_limiter_free(waras_auth_limiter *lim);
/* 1 when a sign-in attempt for login from addr may proceed. */
int waras_auth_limiter_allows(waras_auth_limiter *lim, const char *login, const char *addr);
/* Records a failed attempt (a success clears the account's count). */
void waras_auth_limiter_record(waras_auth_limiter *lim, const char *login, const char *addr,
                               int success);

/* --- recorded plans (on-call rotas and others), as the service lists them ---
 * The header of a plan; its turns are read with
 * waras_store_plan_assignments_each(). Who may see which turns is the
 * caller's question for waras_access_decide(). */
typedef struct waras_plan_info {
    int64_t id;
    char kind[16]; /* "oncall", "quiet", "recovery" */
    char team[64];
    int64_t created_at;       /* UTC seconds */
    waras_instant start, end; /* the span of its assignments */
    char shape[16];           /* from the plan's attributes ("" when absent) */
    int weeks;                /* weeks planned (on-call), chosen (quiet) or of the window
                               * (recovery) */
    char project[128];        /* a recovery plan's project ("" otherwise) */
} waras_plan_info;
/* The plans of a kind for a team, newest first. *out is freed by the caller. */
int waras_auth_plan_list(waras_plan_info **out, size_t *n, waras_store *st, const char *kind,
                         const char *team);
/* WARAS_ENOTFOUND for an unknown id. */
int waras_auth_plan_get(waras_plan_info *out, waras_store *st, int64_t id);
/* Fills u->team with the team of the account's person from the store ("" for
 * an admin, a person without a team or one no longer in the store), so that
 * the rule can answer WARAS_DATA_PLANS. */
int waras_auth_user_team(waras_user *u, waras_store *st);

/* --- calendar subscriptions ---
 * A secret per user for a calendar app's subscription URL ("wrc_" and 64
 * hex digits), stored only as a hash. create replaces the user's earlier
 * one; token receives the secret, to be shown once. check gives the user of
 * a valid secret, WARAS_ENOTFOUND otherwise (revoked, unknown, malformed). */
int waras_auth_calendar_create(char token[WARAS_AUTH_TOKEN_SIZE], waras_store *st, int64_t user);
int waras_auth_calendar_revoke(waras_store *st, int64_t user);
int waras_auth_calendar_check(waras_user *out, waras_store *st, const char *token);
/* When the user's subscription was made; WARAS_ENOTFOUND when there is none. */
int waras_auth_calendar_status(int64_t *created_at, waras_store *st, int64_t user);
/* The user's calendar over [from, to) as RFC 5545 text: their own on-call
 * turns, quiet weeks, recovery leave and leave, and the on-call turns of
 * others whose work data the access rule shows them (a lead's teams). A
 * re-plan replaces the turns of older plans of the same team it overlaps.
 * Caller frees *out. */
int waras_auth_calendar_ics(char **out, waras_store *st, const waras_user *u, waras_instant from,
                            waras_instant to);

/* --- the organisation view ---
 * For each team the asker may see as a group and for the organisation: load
 * aggregates over the weeks [first_monday, last_monday] (day numbers of
 * Mondays) and the report's protected wellbeing aggregates, never a
 * person's row, as JSON (docs/service.md "GET /api/v1/org"). Load
 * aggregates of fewer than min_group people are suppressed, with the
 * complementary rule against subtraction. WARAS_EINVAL when the rule shows
 * the asker no organisation aggregate (members, admins). Caller frees. */
int waras_auth_org_json(char **out, waras_store *st, const waras_user *who, waras_date first_monday,
                        waras_date last_monday);

/* --- the access rule --- */
typedef enum waras_data {
    WARAS_DATA_WORK,      /* hours, on-call, pages, rest, and the load risk */
    WARAS_DATA_WELLBEING, /* survey answers and scores, levels that use them */
    WARAS_DATA_ACCOUNTS,  /* users, tokens, configuration */
    WARAS_DATA_INGEST,    /* loading data into the store */
    WARAS_DATA_PLANS,     /* a team's recorded plans (subject: the team); each
                           * turn in them is then the WORK data of its person */
} waras_data;

typedef enum waras_access {
    WARAS_ACCESS_DENIED = 0,
    WARAS_ACCESS_AGGREGATE, /* only as group aggregates of at least min_group */
    WARAS_ACCESS_ALLOWED,
} waras_access;

/* Whose data: one person (person set, team theirs), a team (person NULL,
 * team set) or the whole organisation (both NULL). */
typedef struct waras_subject {
    const char *person;
    const char *team;
} waras_subject;

/* Who may see what (docs/service.md): a member their own work data and
 * wellbeing; a lead also the work data of people in their teams, and their
 * teams' and the organisation's wellbeing as aggregates; people-ops their
 * own data and team and organisation aggregates, never another person's
 * work data or anyone else's wellbeing; an admin accounts, tokens and
 * ingest, nobody's wellbeing. A team's plans (WARAS_DATA_PLANS) may be
 * listed and fetched by its lead and by its people (who->team, see
 * waras_auth_user_team), never by an admin. Pure: no store, no clock. A
 * NULL user is denied. */
waras_access waras_access_decide(const waras_user *who, waras_data data,
                                 const waras_subject *whose);

/* --- views as one account sees them ---
 * The service's API and the CLI's --as LOGIN call these same functions, so
 * that an account gets one answer whichever way it asks. who NULL is the
 * store's owner (the CLI without --as): the question as asked, every row.
 * WARAS_EDENIED (field set) when the rule does not show the question to
 * who. */

/* The account of `--as LOGIN`, with its team read (waras_auth_user_team). */
int waras_auth_user_as(waras_user *out, waras_store *st, const char *login);

/* Applies the rule to a report question: a team's report only to whoever
 * sees its work data in full (its lead); a person's (default: who's own)
 * only when the rule shows their work data, as their own view (o->self)
 * when it shows their wellbeing. A person not in the store is denied like
 * one not shown. o->person may be set to who->person. st is read only for
 * a person's question (it may be NULL for a team's). */
int waras_auth_report_question(waras_report_opts *o, waras_store *st, const waras_user *who);
/* The report's JSON (waras_report_json) with every group's wellbeing that
 * who's role may not see replaced by null and the reason "not shown to your
 * role". Caller frees *out. */
int waras_auth_report_json(char **out, const waras_report *r, const waras_user *who);
/* The report's suggestions (waras_report_suggest) that who may see: about a
 * person whose work data, and whose team's work data in full, the rule shows
 * (a suggestion names the person's finding and the teammates' share of a
 * plan). NULL who is the owner: all. The plans start the Monday after
 * waras_clock_now()'s week; db is the --db the commands name, risk_policy the
 * --risk-policy file they name (each NULL: none). */
int waras_auth_report_suggest(waras_report *r, waras_store *st, const waras_user *who,
                              const char *db, const char *risk_policy);

/* waras_check_run with the rule: an admin is denied, a team only when who
 * sees it at least as aggregates; then a person's violation is kept only
 * when who sees that person's work data, a team-level one when who sees the
 * team at least as aggregates. Sorted by rule, person, team, dates. */
int waras_auth_check_run(waras_check_result *out, waras_store *st, const waras_user *who,
                         const char *preset, const char *team, waras_date first_monday,
                         waras_date last_monday);
/* Sorts violations by rule, person, team and dates, as every view lists them. */
void waras_auth_check_sort(waras_check_result *r);
/* The document of `waras check --format json`. Caller frees *out. */
int waras_auth_check_json(char **out, const waras_check_result *r, const char *preset,
                          waras_date first_monday, waras_date last_monday);

/* waras_activity_count with the rule: a person's row when who sees their
 * work data; a team's when who sees the team's work data in full, or as
 * aggregates and the team has min_group people. An admin is denied. */
int waras_auth_activity_count(waras_activity_row **out, size_t *n, waras_store *st,
                              const waras_user *who, const waras_activity_opts *o);
/* The document of `waras activity --format json` (from and to as given, or
 * NULL). Caller frees *out. */
int waras_auth_activity_json(char **out, const waras_activity_opts *o, const char *from,
                             const char *to, const waras_activity_row *rows, size_t n);

#endif
