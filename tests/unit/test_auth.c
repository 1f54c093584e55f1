/*
 * Unit tests of accounts and the access rule: the whole table of who sees
 * what (role x kind of data x own, own team, other team, team and
 * organisation aggregates), then accounts (validation, password checks
 * with unknown logins, removal), sessions and API tokens (expiry,
 * revocation, tokens stored only as hashes) and the failed sign-in limiter.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "helpers.h"
#include "auth/accounts_int.h"
#include "waras/auth.h"
#include "waras/error.h"
#include "waras/store.h"
#include "waras/time.h"

/* --- the access rule --- */

static waras_user mk(waras_role role, const char *person, const char *teams)
{
    waras_user u = {.id = 1, .role = role};
    snprintf(u.login, sizeof(u.login), "u");
    snprintf(u.person, sizeof(u.person), "%s", person);
    for (const char *p = teams; p && *p; u.nteams++) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        memcpy(u.teams[u.nteams], p, n);
        p = e ? e + 1 : p + n;
    }
    return u;
}

enum { D = WARAS_ACCESS_DENIED, G = WARAS_ACCESS_AGGREGATE, Y = WARAS_ACCESS_ALLOWED };

typedef struct row {
    const char *who; /* m member, l lead, p people-ops, a admin */
    waras_data data;
    const char *person, *team; /* the subject */
    int want;
} row;

/* Everyone: m1 (member, team alpha), l1 (lead of alpha and beta, in
 * alpha), p1 (people-ops, team hr), g1 (team gamma, led by nobody here),
 * and an admin. */
static const row table[] = {
    /* own work data and load risk */
    {"m", WARAS_DATA_WORK, "m1", "alpha", Y},
    {"l", WARAS_DATA_WORK, "l1", "alpha", Y},
    {"p", WARAS_DATA_WORK, "p1", "hr", Y},
    /* own wellbeing */
    {"m", WARAS_DATA_WELLBEING, "m1", "alpha", Y},
    {"l", WARAS_DATA_WELLBEING, "l1", "alpha", Y},
    {"p", WARAS_DATA_WELLBEING, "p1", "hr", Y},
    /* a person in the asker's own team */
    {"m", WARAS_DATA_WORK, "l1", "alpha", D},
    {"m", WARAS_DATA_WELLBEING, "l1", "alpha", D},
    {"l", WARAS_DATA_WORK, "m1", "alpha", Y},
    {"l", WARAS_DATA_WELLBEING, "m1", "alpha", G},
    {"p", WARAS_DATA_WORK, "h2", "hr", D},
    {"p", WARAS_DATA_WELLBEING, "h2", "hr", G},
    /* a person in a team the lead leads but is not in */
    {"l", WARAS_DATA_WORK, "b1", "beta", Y},
    {"l", WARAS_DATA_WELLBEING, "b1", "beta", G},
    /* a person in another team */
    {"m", WARAS_DATA_WORK, "g1", "gamma", D},
    {"m", WARAS_DATA_WELLBEING, "g1", "gamma", D},
    {"l", WARAS_DATA_WORK, "g1", "gamma", D},
    {"l", WARAS_DATA_WELLBEING, "g1", "gamma", D},
    {"p", WARAS_DATA_WORK, "g1", "gamma", D},
    {"p", WARAS_DATA_WELLBEING, "g1", "gamma", G},
    {"a", WARAS_DATA_WORK, "g1", "gamma", D},
    {"a", WARAS_DATA_WELLBEING, "g1", "gamma", D},
    /* a person whose team is unknown: nobody but themselves */
    {"l", WARAS_DATA_WORK, "x1", NULL, D},
    {"l", WARAS_DATA_WORK, "x1", "", D},
    /* teams as a whole */
    {"m", WARAS_DATA_WORK, NULL, "alpha", D},
    {"m", WARAS_DATA_WELLBEING, NULL, "alpha", D},
    {"l", WARAS_DATA_WORK, NULL, "alpha", Y},
    {"l", WARAS_DATA_WELLBEING, NULL, "beta", G},
    {"l", WARAS_DATA_WORK, NULL, "gamma", D},
    {"l", WARAS_DATA_WELLBEING, NULL, "gamma", D},
    {"p", WARAS_DATA_WORK, NULL, "gamma", G},
    {"p", WARAS_DATA_WELLBEING, NULL, "gamma", G},
    {"a", WARAS_DATA_WORK, NULL, "alpha", D},
    {"a", WARAS_DATA_WELLBEING, NULL, "alpha", D},
    /* the organisation */
    {"m", WARAS_DATA_WORK, NULL, NULL, D},
    {"m", WARAS_DATA_WELLBEING, NULL, NULL, D},
    {"l", WARAS_DATA_WORK, NULL, NULL, G},
    {"l", WARAS_DATA_WELLBEING, NULL, NULL, G},
    {"p", WARAS_DATA_WORK, NULL, NULL, G},
    {"p", WARAS_DATA_WELLBEING, NULL, NULL, G},
    {"a", WARAS_DATA_WELLBEING, NULL, NULL, D},
    /* users, tokens, configuration */
    {"m", WARAS_DATA_ACCOUNTS, NULL, NULL, D},
    {"l", WARAS_DATA_ACCOUNTS, NULL, NULL, D},
    {"p", WARAS_DATA_ACCOUNTS, NULL, NULL, D},
    {"a", WARAS_DATA_ACCOUNTS, NULL, NULL, Y},
    /* ingest: admin anywhere, a lead for their teams */
    {"m", WARAS_DATA_INGEST, NULL, "alpha", D},
    {"l", WARAS_DATA_INGEST, NULL, "alpha", Y},
    {"l", WARAS_DATA_INGEST, NULL, "gamma", D},
    {"l", WARAS_DATA_INGEST, NULL, NULL, D},
    {"p", WARAS_DATA_INGEST, NULL, "hr", D},
    {"a", WARAS_DATA_INGEST, NULL, "gamma", Y},
};

static void test_auth__access_table(void **state)
{
    (void)state;
    waras_user m = mk(WARAS_ROLE_MEMBER, "m1", NULL);
    waras_user l = mk(WARAS_ROLE_LEAD, "l1", "alpha,beta");
    waras_user p = mk(WARAS_ROLE_PEOPLE_OPS, "p1", NULL);
    waras_user a = mk(WARAS_ROLE_ADMIN, "", NULL);
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        const row *r = &table[i];
        const waras_user *u = r->who[0] == 'm'   ? &m
                              : r->who[0] == 'l' ? &l
                              : r->who[0] == 'p' ? &p
                                                 : &a;
        waras_subject s = {r->person, r->team};
        int got = (int)waras_access_decide(u, r->data, &s);
        if (got != r->want)
            fail_msg("row %zu: %s data %d of %s/%s: got %d, want %d", i, r->who, (int)r->data,
                     r->person ? r->person : "-", r->team ? r->team : "-", got, r->want);
    }
}

static void test_auth__access_nobody_and_admin_person(void **state)
{
    (void)state;
    waras_subject s = {"m1", "alpha"};
    assert_int_equal(waras_access_decide(NULL, WARAS_DATA_WORK, &s), WARAS_ACCESS_DENIED);
    /* An admin account that somehow carries a person id still sees no
     * person's data through it. */
    waras_user a = mk(WARAS_ROLE_ADMIN, "m1", NULL);
    assert_int_equal(waras_access_decide(&a, WARAS_DATA_WORK, &s), WARAS_ACCESS_DENIED);
    assert_int_equal(waras_access_decide(&a, WARAS_DATA_WELLBEING, &s), WARAS_ACCESS_DENIED);
    /* A member with no person sees nothing, not "everyone without one". */
    waras_user m = mk(WARAS_ROLE_MEMBER, "", NULL);
    waras_subject empty = {"", "alpha"};
    assert_int_equal(waras_access_decide(&m, WARAS_DATA_WORK, &empty), WARAS_ACCESS_DENIED);
}

/* A team's plans: its lead and its people, nobody else; the asker's team
 * is what waras_auth_user_team() read (here set by hand). */
static void test_auth__access_plans(void **state)
{
    (void)state;
    waras_user m = mk(WARAS_ROLE_MEMBER, "m1", NULL);
    waras_user l = mk(WARAS_ROLE_LEAD, "l1", "alpha,beta");
    waras_user p = mk(WARAS_ROLE_PEOPLE_OPS, "p1", NULL);
    waras_user a = mk(WARAS_ROLE_ADMIN, "", NULL);
    snprintf(m.team, sizeof(m.team), "alpha");
    snprintf(l.team, sizeof(l.team), "alpha");
    snprintf(p.team, sizeof(p.team), "hr");
    waras_subject alpha = {NULL, "alpha"}, beta = {NULL, "beta"}, gamma = {NULL, "gamma"},
                  hr = {NULL, "hr"}, none = {NULL, NULL}, person = {"m1", "alpha"};
    assert_int_equal(waras_access_decide(&m, WARAS_DATA_PLANS, &alpha), Y);
    assert_int_equal(waras_access_decide(&m, WARAS_DATA_PLANS, &beta), D);
    assert_int_equal(waras_access_decide(&l, WARAS_DATA_PLANS, &alpha), Y);
    assert_int_equal(waras_access_decide(&l, WARAS_DATA_PLANS, &beta), Y);
    assert_int_equal(waras_access_decide(&l, WARAS_DATA_PLANS, &gamma), D);
    assert_int_equal(waras_access_decide(&p, WARAS_DATA_PLANS, &hr), Y);
    assert_int_equal(waras_access_decide(&p, WARAS_DATA_PLANS, &gamma), D);
    assert_int_equal(waras_access_decide(&a, WARAS_DATA_PLANS, &alpha), D);
    assert_int_equal(waras_access_decide(&l, WARAS_DATA_PLANS, &none), D);
    assert_int_equal(waras_access_decide(&m, WARAS_DATA_PLANS, &person), D);
    /* Without its team read, a member is no team's. */
    m.team[0] = '\0';
    assert_int_equal(waras_access_decide(&m, WARAS_DATA_PLANS, &alpha), D);
    /* An admin that somehow carries a team still reads no plan. */
    snprintf(a.team, sizeof(a.team), "alpha");
    assert_int_equal(waras_access_decide(&a, WARAS_DATA_PLANS, &alpha), D);
}

/* --- accounts, sessions and tokens in a store --- */

typedef struct fixture {
    char dir[64];
    char path[600];
    waras_store *st;
} fixture;

static void put_person(waras_store *st, const char *id, const char *team)
{
    waras_person p = {.work_days = 0x1f, .work_start = 9 * 60, .work_end = 17 * 60};
    snprintf(p.id, sizeof(p.id), "%s", id);
    snprintf(p.team, sizeof(p.team), "%s", team);
    snprintf(p.timezone, sizeof(p.timezone), "UTC");
    assert_int_equal(waras_store_person_put(st, &p), 0);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    if (!f || th_mkdtemp(f->dir, sizeof(f->dir), "auth"))
        return -1;
    if (th_store_where(f->path, sizeof(f->path), f->dir, 1) ||
        waras_store_open(&f->st, f->path, WARAS_STORE_CREATE))
        return -1;
    put_person(f->st, "m1", "alpha");
    put_person(f->st, "l1", "alpha");
    waras_clock_set(1800000000);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    waras_clock_reset();
    waras_store_close(f->st);
    th_rmtree(f->dir);
    free(f);
    return 0;
}

static void test_auth__user_add_validates(void **state)
{
    fixture *f = *state;
    waras_store *st = f->st;
    assert_int_equal(waras_auth_user_add(NULL, st, "m", WARAS_ROLE_MEMBER, "m1", NULL, "short"),
                     WARAS_EINVAL);
    assert_string_equal(waras_error_last()->field, "password");
    assert_int_equal(
        waras_auth_user_add(NULL, st, "bad login", WARAS_ROLE_MEMBER, "m1", NULL, "long enough"),
        WARAS_EINVAL);
    assert_int_equal(
        waras_auth_user_add(NULL, st, "m", WARAS_ROLE_MEMBER, NULL, NULL, "long enough"),
        WARAS_EINVAL);
    assert_int_equal(
        waras_auth_user_add(NULL, st, "m", WARAS_ROLE_MEMBER, "nobody", NULL, "long enough"),
        WARAS_ENOTFOUND);
    assert_int_equal(waras_auth_user_add(NULL, st, "l", WARAS_ROLE_LEAD, "l1", "", "long enough"),
                     WARAS_EINVAL);
    assert_string_equal(waras_error_last()->field, "teams");
    assert_int_equal(
        waras_auth_user_add(NULL, st, "m", WARAS_ROLE_MEMBER, "m1", "alpha", "long enough"),
        WARAS_EINVAL);
    assert_int_equal(
        waras_auth_user_add(NULL, st, "a", WARAS_ROLE_ADMIN, "m1", NULL, "long enough"),
        WARAS_EINVAL);
    waras_role r;
    assert_int_equal(waras_role_parse(&r, "root"), WARAS_EINVAL);
    assert_int_equal(waras_role_parse(&r, "people-ops"), 0);
    assert_int_equal(r, WARAS_ROLE_PEOPLE_OPS);

    int64_t id = 0;
    assert_int_equal(waras_auth_user_add(&id, st, "lead1", WARAS_ROLE_LEAD, "l1", " beta, alpha ",
                                         "correct horse"),
                     0);
    assert_true(id > 0);
    assert_int_equal(
        waras_auth_user_add(NULL, st, "lead1", WARAS_ROLE_ADMIN, NULL, NULL, "correct horse"),
        WARAS_EEXISTS);
    waras_user u;
    assert_int_equal(waras_auth_user_get(&u, st, "lead1"), 0);
    assert_int_equal(u.role, WARAS_ROLE_LEAD);
    assert_string_equal(u.person, "l1");
    assert_int_equal(u.nteams, 2);
    assert_string_equal(u.teams[0], "alpha");
    assert_string_equal(u.teams[1], "beta");
    assert_int_equal(waras_auth_user_get(&u, st, "nobody"), WARAS_ENOTFOUND);
}

static int count(waras_store *st, const char *sql)
{
    waras_store_row *s;
    int n = -1;
    assert_int_equal(waras_store__row(&s, st, sql, "count", NULL, 0), 1);
    n = (int)waras_store__int(s, 0);
    waras_store__row_free(s);
    return n;
}

static void test_auth__login_and_password_hash(void **state)
{
    fixture *f = *state;
    waras_user u;
    assert_int_equal(
        waras_auth_user_add(NULL, f->st, "ana", WARAS_ROLE_MEMBER, "m1", NULL, "s3cret-pass"), 0);
    assert_int_equal(waras_auth_login(&u, f->st, "ana", "s3cret-pass"), 0);
    assert_string_equal(u.login, "ana");
    assert_int_equal(waras_auth_login(&u, f->st, "ana", "s3cret-pasS"), WARAS_EINVAL);
    assert_int_equal(waras_auth_login(&u, f->st, "nobody", "s3cret-pass"), WARAS_EINVAL);
    assert_int_equal(waras_auth_login(&u, f->st, "bad login", "s3cret-pass"), WARAS_EINVAL);
    assert_int_equal(waras_auth_login(&u, f->st, "ana", NULL), WARAS_EINVAL);
    /* Stored as an Argon2id string, never as the password. */
    assert_int_equal(count(f->st, "SELECT count(*) FROM users WHERE password_hash LIKE "
                                  "'$argon2id$%' AND password_hash NOT LIKE '%s3cret%'"),
                     1);
    assert_int_equal(waras_auth_user_passwd(f->st, "ana", "another-pass"), 0);
    assert_int_equal(waras_auth_login(&u, f->st, "ana", "s3cret-pass"), WARAS_EINVAL);
    assert_int_equal(waras_auth_login(&u, f->st, "ana", "another-pass"), 0);
    assert_int_equal(waras_auth_user_passwd(f->st, "nobody", "another-pass"), WARAS_ENOTFOUND);
}

static void test_auth__sessions_expire_and_end(void **state)
{
    fixture *f = *state;
    waras_user u;
    int64_t id;
    char tok[WARAS_AUTH_TOKEN_SIZE], csrf[WARAS_AUTH_TOKEN_SIZE], got[WARAS_AUTH_TOKEN_SIZE];
    assert_int_equal(
        waras_auth_user_add(&id, f->st, "ana", WARAS_ROLE_MEMBER, "m1", NULL, "s3cret-pass"), 0);
    assert_int_equal(waras_auth_session_create(tok, csrf, f->st, id, 3600), 0);
    assert_int_equal(strlen(tok), 64);
    assert_int_equal(strlen(csrf), 64);
    assert_string_not_equal(tok, csrf);
    assert_int_equal(waras_auth_session_get(&u, got, f->st, tok), 0);
    assert_string_equal(u.login, "ana");
    assert_string_equal(got, csrf);
    /* Only the hash is stored. */
    char sql[200];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM sessions WHERE token_hash = '%s'", tok);
    assert_int_equal(count(f->st, sql), 0);
    assert_int_equal(count(f->st, "SELECT count(*) FROM sessions"), 1);
    /* A changed character, a prefix, garbage. */
    char bad[WARAS_AUTH_TOKEN_SIZE];
    memcpy(bad, tok, sizeof(bad));
    bad[10] = bad[10] == 'a' ? 'b' : 'a';
    assert_int_equal(waras_auth_session_get(&u, got, f->st, bad), WARAS_ENOTFOUND);
    bad[32] = '\0';
    assert_int_equal(waras_auth_session_get(&u, got, f->st, bad), WARAS_ENOTFOUND);
    assert_int_equal(waras_auth_session_get(&u, got, f->st, ""), WARAS_ENOTFOUND);
    assert_int_equal(waras_auth_session_get(&u, got, f->st, NULL), WARAS_ENOTFOUND);
    /* Expiry. */
    waras_clock_set(1800000000 + 3600);
    assert_int_equal(waras_auth_session_get(&u, got, f->st, tok), WARAS_ENOTFOUND);
    waras_clock_set(1800000000);
    assert_int_equal(waras_auth_session_get(&u, got, f->st, tok), 0);
    /* A new password ends every session; so does signing out. */
    assert_int_equal(waras_auth_user_passwd(f->st, "ana", "another-pass"), 0);
    assert_int_equal(waras_auth_session_get(&u, got, f->st, tok), WARAS_ENOTFOUND);
    assert_int_equal(waras_auth_session_create(tok, csrf, f->st, id, 3600), 0);
    assert_int_equal(waras_auth_session_end(f->st, tok), 0);
    assert_int_equal(waras_auth_session_get(&u, got, f->st, tok), WARAS_ENOTFOUND);
    assert_int_equal(waras_auth_session_create(tok, csrf, f->st, id, 0), WARAS_EINVAL);
}

static void test_auth__tokens_expire_and_revoke(void **state)
{
    fixture *f = *state;
    waras_user u;
    int64_t id, t1, t2;
    char a[WARAS_AUTH_TOKEN_SIZE], b[WARAS_AUTH_TOKEN_SIZE];
    assert_int_equal(
        waras_auth_user_add(&id, f->st, "ana", WARAS_ROLE_MEMBER, "m1", NULL, "s3cret-pass"), 0);
    assert_int_equal(waras_auth_token_create(a, &t1, f->st, "ana", "ci", 1), 0);
    assert_int_equal(waras_auth_token_create(b, &t2, f->st, "ana", "laptop", 0), 0);
    assert_int_equal(strncmp(a, "wrs_", 4), 0);
    assert_int_equal(strlen(a), 68);
    assert_int_equal(waras_auth_token_check(&u, f->st, a), 0);
    assert_string_equal(u.login, "ana");
    assert_int_equal(waras_auth_token_check(&u, f->st, a + 4), WARAS_ENOTFOUND);
    assert_int_equal(waras_auth_token_create(a, &t1, f->st, "nobody", "ci", 1), WARAS_ENOTFOUND);
    assert_int_equal(waras_auth_token_create(a, &t1, f->st, "ana", "", 1), WARAS_EINVAL);
    assert_int_equal(waras_auth_token_create(a, &t1, f->st, "ana", "x", -1), WARAS_EINVAL);
    assert_int_equal(waras_auth_token_create(a, &t1, f->st, "ana", "ci", 1), 0);
    waras_clock_set(1800000000 + 86400);
    assert_int_equal(waras_auth_token_check(&u, f->st, a), WARAS_ENOTFOUND);
    assert_int_equal(waras_auth_token_check(&u, f->st, b), 0); /* no expiry */
    assert_int_equal(waras_auth_token_revoke(f->st, t2), 0);
    assert_int_equal(waras_auth_token_check(&u, f->st, b), WARAS_ENOTFOUND);
    assert_int_equal(waras_auth_token_revoke(f->st, 9999), WARAS_ENOTFOUND);
    /* A session token is not an API token. */
    char tok[WARAS_AUTH_TOKEN_SIZE], csrf[WARAS_AUTH_TOKEN_SIZE];
    assert_int_equal(waras_auth_session_create(tok, csrf, f->st, id, 60), 0);
    assert_int_equal(waras_auth_token_check(&u, f->st, tok), WARAS_ENOTFOUND);
}

/* The admins' list: every token with its state, never its secret. */
static void test_auth__token_list(void **state)
{
    fixture *f = *state;
    int64_t t1, t2;
    char a[WARAS_AUTH_TOKEN_SIZE], b[WARAS_AUTH_TOKEN_SIZE];
    waras_auth_token_info *v = NULL;
    size_t n = 9;
    assert_int_equal(waras_auth_token_list(&v, &n, f->st), 0);
    assert_int_equal(n, 0);
    free(v);
    assert_int_equal(
        waras_auth_user_add(NULL, f->st, "ana", WARAS_ROLE_MEMBER, "m1", NULL, "s3cret-pass"), 0);
    assert_int_equal(waras_auth_token_create(a, &t1, f->st, "ana", "ci", 1), 0);
    assert_int_equal(waras_auth_token_create(b, &t2, f->st, "ana", "laptop", 0), 0);
    assert_int_equal(waras_auth_token_revoke(f->st, t1), 0);
    assert_int_equal(waras_auth_token_list(&v, &n, f->st), 0);
    assert_int_equal(n, 2);
    assert_true(v[0].id == t1 && v[1].id == t2);
    assert_string_equal(v[0].login, "ana");
    assert_string_equal(v[0].name, "ci");
    assert_int_equal(v[0].revoked, 1);
    assert_true(v[0].expires_at - v[0].created_at == 86400);
    assert_string_equal(v[1].name, "laptop");
    assert_int_equal(v[1].revoked, 0);
    assert_true(v[1].expires_at == 0);
    free(v);
}

static void test_auth__remove_user_drops_sessions_and_tokens(void **state)
{
    fixture *f = *state;
    waras_user u;
    int64_t id, t;
    char tok[WARAS_AUTH_TOKEN_SIZE], csrf[WARAS_AUTH_TOKEN_SIZE], api[WARAS_AUTH_TOKEN_SIZE];
    assert_int_equal(
        waras_auth_user_add(&id, f->st, "ana", WARAS_ROLE_MEMBER, "m1", NULL, "s3cret-pass"), 0);
    assert_int_equal(
        waras_auth_user_add(NULL, f->st, "root", WARAS_ROLE_ADMIN, NULL, NULL, "s3cret-pass"), 0);
    assert_int_equal(waras_auth_session_create(tok, csrf, f->st, id, 60), 0);
    assert_int_equal(waras_auth_token_create(api, &t, f->st, "ana", "ci", 0), 0);
    waras_user *all = NULL;
    size_t n = 0;
    assert_int_equal(waras_auth_user_list(&all, &n, f->st), 0);
    assert_int_equal(n, 2);
    assert_string_equal(all[0].login, "ana");
    assert_string_equal(all[1].login, "root");
    assert_int_equal(all[1].role, WARAS_ROLE_ADMIN);
    free(all);
    assert_int_equal(waras_auth_user_remove(f->st, "ana"), 0);
    assert_int_equal(waras_auth_user_remove(f->st, "ana"), WARAS_ENOTFOUND);
    assert_int_equal(waras_auth_session_get(&u, csrf, f->st, tok), WARAS_ENOTFOUND);
    assert_int_equal(waras_auth_token_check(&u, f->st, api), WARAS_ENOTFOUND);
    assert_int_equal(count(f->st, "SELECT count(*) FROM api_tokens"), 0);
}

static void test_auth__limiter_counts_per_login_and_address(void **state)
{
    (void)state;
    waras_auth_limiter *l = NULL;
    assert_int_equal(waras_auth_limiter_new(&l), 0);
    for (int i = 0; i < WARAS_AUTH_FAILS_PER_LOGIN; i++) {
        assert_true(waras_auth_limiter_allows(l, "ana", "10.0.0.1"));
        waras_auth_limiter_record(l, "ana", "10.0.0.1", 0);
    }
    assert_false(waras_auth_limiter_allows(l, "ana", "10.0.0.1"));
    assert_false(waras_auth_limiter_allows(l, "ana", "10.0.0.2")); /* per account */
    assert_true(waras_auth_limiter_allows(l, "bob", "10.0.0.1"));
    /* Per address: many accounts from one address. */
    for (int i = 0; i < WARAS_AUTH_FAILS_PER_ADDR; i++) {
        char login[16];
        snprintf(login, sizeof(login), "u%d", i);
        waras_auth_limiter_record(l, login, "10.0.0.9", 0);
    }
    assert_false(waras_auth_limiter_allows(l, "fresh", "10.0.0.9"));
    assert_true(waras_auth_limiter_allows(l, "fresh", "10.0.0.8"));
    /* A success clears the account's count. */
    waras_auth_limiter_record(l, "bob", "10.0.0.3", 0);
    waras_auth_limiter_record(l, "bob", "10.0.0.3", 1);
    assert_true(waras_auth_limiter_allows(l, "bob", "10.0.0.3"));
    waras_auth_limiter_free(l);
    waras_auth_limiter_free(NULL);
}

/* Calendar subscriptions: one secret per user, stored as a hash, replaced
 * by a new one and gone when revoked; the calendar holds one's own turns
 * and leave, and a lead's team's turns, with a newer plan replacing an
 * older one where they overlap. */
static void test_auth__calendar_subscriptions(void **state)
{
    fixture *f = *state;
    waras_user u;
    int64_t ana, lee, plan, created;
    char a[WARAS_AUTH_TOKEN_SIZE], b[WARAS_AUTH_TOKEN_SIZE], *ics = NULL;
    put_person(f->st, "g1", "gamma");
    assert_int_equal(
        waras_auth_user_add(&ana, f->st, "ana", WARAS_ROLE_MEMBER, "m1", NULL, "s3cret-pass"), 0);
    assert_int_equal(
        waras_auth_user_add(&lee, f->st, "lee", WARAS_ROLE_LEAD, "l1", "alpha", "s3cret-pass"), 0);
    assert_int_equal(waras_auth_calendar_status(&created, f->st, ana), WARAS_ENOTFOUND);
    assert_int_equal(waras_auth_calendar_create(a, f->st, ana), 0);
    assert_int_equal(strncmp(a, "wrc_", 4), 0);
    assert_int_equal(strlen(a), 68);
    assert_int_equal(waras_auth_calendar_check(&u, f->st, a), 0);
    assert_string_equal(u.login, "ana");
    assert_int_equal(waras_auth_calendar_status(&created, f->st, ana), 0);
    assert_int_equal(created, 1800000000);
    /* Stored only as a hash. */
    waras_store_row *s;
    assert_int_equal(waras_store__row(&s, f->st,
                                      "SELECT count(*) FROM calendar_tokens WHERE token_hash = ?1",
                                      "count", WARAS_SQL_ARGS(WARAS_SQL_T(a))),
                     1);
    assert_int_equal(waras_store__int(s, 0), 0);
    waras_store__row_free(s);
    /* An API token or a mangled secret is not a subscription. */
    assert_int_equal(waras_auth_calendar_check(&u, f->st, a + 4), WARAS_ENOTFOUND);
    a[10] = a[10] == '0' ? '1' : '0';
    assert_int_equal(waras_auth_calendar_check(&u, f->st, a), WARAS_ENOTFOUND);
    a[10] = a[10] == '0' ? '1' : '0';
    /* A new one replaces the old. */
    assert_int_equal(waras_auth_calendar_create(b, f->st, ana), 0);
    assert_int_equal(waras_auth_calendar_check(&u, f->st, a), WARAS_ENOTFOUND);
    assert_int_equal(waras_auth_calendar_check(&u, f->st, b), 0);
    assert_int_equal(waras_auth_calendar_revoke(f->st, ana), 0);
    assert_int_equal(waras_auth_calendar_check(&u, f->st, b), WARAS_ENOTFOUND);

    /* Two plans of alpha (the newer covers the older's second week) and one
     * of gamma; m1's leave. */
    waras_instant t0 = 1800000000 + 7 * 86400, w = 7 * 86400;
    assert_int_equal(waras_store_plan_add(&plan, f->st, "oncall", "alpha", t0, t0 + 2 * w, NULL),
                     0);
    assert_int_equal(waras_store_plan_assign(f->st, plan, "m1", "primary", t0, t0 + w), 0);
    assert_int_equal(waras_store_plan_assign(f->st, plan, "l1", "primary", t0 + w, t0 + 2 * w), 0);
    assert_int_equal(
        waras_store_plan_add(&plan, f->st, "oncall", "alpha", t0 + w, t0 + 3 * w, NULL), 0);
    assert_int_equal(waras_store_plan_assign(f->st, plan, "m1", "primary", t0 + w, t0 + 2 * w), 0);
    assert_int_equal(waras_store_plan_assign(f->st, plan, "l1", "primary", t0 + 2 * w, t0 + 3 * w),
                     0);
    assert_int_equal(waras_store_plan_add(&plan, f->st, "oncall", "gamma", t0, t0 + w, NULL), 0);
    assert_int_equal(waras_store_plan_assign(f->st, plan, "g1", "primary", t0, t0 + w), 0);
    waras_event lv = {.person = "m1",
                      .kind = "leave",
                      .start = t0 + 4 * w,
                      .end = t0 + 4 * w + 86400,
                      .all_day = 1,
                      .source_kind = "leave",
                      .source_key = "k1"};
    int changed;
    assert_int_equal(waras_store_event_put(&changed, f->st, &lv), 0);

    waras_user m;
    assert_int_equal(waras_auth_user_get(&m, f->st, "ana"), 0);
    assert_int_equal(waras_auth_calendar_ics(&ics, f->st, &m, 1800000000, 1800000000 + 10 * w), 0);
    assert_non_null(strstr(ics, "BEGIN:VCALENDAR\r\n"));
    assert_non_null(strstr(ics, "END:VCALENDAR\r\n"));
    /* m1's two turns (first week of the old plan, second week of the new)
     * and the leave; nobody else's. */
    int n = 0;
    for (const char *p = ics; (p = strstr(p, "BEGIN:VEVENT")); p++)
        n++;
    assert_int_equal(n, 3);
    assert_non_null(strstr(ics, "SUMMARY:Leave"));
    assert_null(strstr(ics, "SUMMARY:On call (primary):"));
    free(ics);

    waras_user l;
    assert_int_equal(waras_auth_user_get(&l, f->st, "lee"), 0);
    assert_int_equal(waras_auth_calendar_ics(&ics, f->st, &l, 1800000000, 1800000000 + 10 * w), 0);
    n = 0;
    for (const char *p = ics; (p = strstr(p, "BEGIN:VEVENT")); p++)
        n++;
    /* alpha: m1 week 1 (old plan), then the new plan's m1 week 2 and l1
     * week 3; the old plan's l1 week 2 is replaced. Not gamma, no leave. */
    assert_int_equal(n, 3);
    assert_null(strstr(ics, "gamma"));
    assert_null(strstr(ics, "Leave"));
    free(ics);

    waras_user admin = {.id = 99, .role = WARAS_ROLE_ADMIN};
    assert_int_equal(waras_auth_calendar_ics(&ics, f->st, &admin, 1800000000, 1800000000 + 10 * w),
                     0);
    assert_null(strstr(ics, "BEGIN:VEVENT"));
    free(ics);
}

/* The organisation view: which teams each role gets, load suppressed under
 * min_group people and, by the complementary rule, the smallest shown team
 * too when the hidden ones hold fewer than min_group together; no person's
 * id anywhere. */
static void test_auth__org_view_suppresses_small_groups(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *team;
        int n;
    } teams[] = {{"t5", 5}, {"t6", 6}, {"s2", 2}, {"s1", 1}};
    char id[32];
    for (size_t t = 0; t < 4; t++)
        for (int i = 0; i < teams[t].n; i++) {
            snprintf(id, sizeof(id), "person-%s-%d", teams[t].team, i);
            put_person(f->st, id, teams[t].team);
        }
    assert_int_equal(waras_auth_user_add(NULL, f->st, "ops", WARAS_ROLE_PEOPLE_OPS, "person-s1-0",
                                         NULL, "s3cret-pass"),
                     0);
    assert_int_equal(waras_auth_user_add(NULL, f->st, "lee", WARAS_ROLE_LEAD, "person-t6-0", "t6",
                                         "s3cret-pass"),
                     0);
    assert_int_equal(
        waras_auth_user_add(NULL, f->st, "ana", WARAS_ROLE_MEMBER, "m1", NULL, "s3cret-pass"), 0);
    waras_civil now;
    waras_epoch_to_civil(&now, waras_clock_now());
    /* The Monday a week before this one. */
    waras_date last = waras_date_add(waras_date_monday((waras_date){now.year, now.month, now.day}), -7);
    waras_user u;
    char *doc = NULL;
    assert_int_equal(waras_auth_user_get(&u, f->st, "ops"), 0);
    assert_int_equal(waras_auth_org_json(&doc, f->st, &u, waras_date_add(last, -7), last), 0);
    assert_null(strstr(doc, "person-"));
    json_t *root = json_loads(doc, 0, NULL);
    free(doc);
    assert_non_null(root);
    json_t *ts = json_object_get(root, "teams");
    /* alpha (m1, l1 of the fixture) is a small team too: hidden are alpha,
     * s1 and s2 (5 people together), so t5 and t6 stay. */
    assert_int_equal(json_array_size(ts), 5);
    size_t i;
    json_t *t;
    json_array_foreach(ts, i, t)
    {
        const char *name = json_string_value(json_object_get(t, "team"));
        int shown = json_is_object(json_object_get(t, "load"));
        if (strcmp(name, "t5") == 0 || strcmp(name, "t6") == 0) {
            assert_true(shown);
            json_t *lv = json_object_get(json_object_get(t, "load"), "risk_levels");
            int sum = 0;
            const char *k;
            json_t *v;
            json_object_foreach(lv, k, v) sum += (int)json_integer_value(v);
            assert_int_equal(sum, (int)json_integer_value(json_object_get(t, "people")));
        } else {
            assert_false(shown);
            assert_non_null(strstr(json_string_value(json_object_get(t, "load_suppressed")),
                                   "fewer than min_group"));
        }
    }
    json_t *org = json_object_get(root, "organisation");
    assert_int_equal(json_integer_value(json_object_get(org, "people")), 16);
    assert_true(json_is_object(json_object_get(org, "load")));
    assert_null(json_object_get(org, "team"));
    json_decref(root);

    /* Without alpha's two, s1 and s2 (3 people) would be found by
     * subtraction: t5, the smallest shown, is hidden too. */
    waras_person p;
    assert_int_equal(waras_store_person_get(&p, f->st, "m1"), 0);
    snprintf(p.team, sizeof(p.team), "t6");
    assert_int_equal(waras_store_person_put(f->st, &p), 0);
    assert_int_equal(waras_store_person_get(&p, f->st, "l1"), 0);
    snprintf(p.team, sizeof(p.team), "t6");
    assert_int_equal(waras_store_person_put(f->st, &p), 0);
    assert_int_equal(waras_auth_org_json(&doc, f->st, &u, waras_date_add(last, -7), last), 0);
    root = json_loads(doc, 0, NULL);
    free(doc);
    json_array_foreach(json_object_get(root, "teams"), i, t)
    {
        const char *name = json_string_value(json_object_get(t, "team"));
        if (strcmp(name, "t5") == 0)
            assert_non_null(
                strstr(json_string_value(json_object_get(t, "load_suppressed")), "subtraction"));
        else
            assert_int_equal(json_is_object(json_object_get(t, "load")), strcmp(name, "t6") == 0);
    }
    json_decref(root);

    /* A lead gets their own team and the organisation; a member and an
     * admin nothing. */
    assert_int_equal(waras_auth_user_get(&u, f->st, "lee"), 0);
    assert_int_equal(waras_auth_org_json(&doc, f->st, &u, waras_date_add(last, -7), last), 0);
    root = json_loads(doc, 0, NULL);
    free(doc);
    assert_int_equal(json_array_size(json_object_get(root, "teams")), 1);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(root, "teams"), 0), "team")),
                        "t6");
    json_decref(root);
    assert_int_equal(waras_auth_user_get(&u, f->st, "ana"), 0);
    assert_int_equal(waras_auth_org_json(&doc, f->st, &u, waras_date_add(last, -7), last), WARAS_EINVAL);
    assert_null(doc);
    waras_user admin = {.id = 99, .role = WARAS_ROLE_ADMIN};
    assert_int_equal(waras_auth_org_json(&doc, f->st, &admin, waras_date_add(last, -7), last), WARAS_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auth__access_table),
        cmocka_unit_test(test_auth__access_nobody_and_admin_person),
        cmocka_unit_test(test_auth__access_plans),
        cmocka_unit_test_setup_teardown(test_auth__user_add_validates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_auth__login_and_password_hash, setup, teardown),
        cmocka_unit_test_setup_teardown(test_auth__sessions_expire_and_end, setup, teardown),
        cmocka_unit_test_setup_teardown(test_auth__tokens_expire_and_revoke, setup, teardown),
        cmocka_unit_test_setup_teardown(test_auth__token_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_auth__remove_user_drops_sessions_and_tokens, setup,
                                        teardown),
        cmocka_unit_test(test_auth__limiter_counts_per_login_and_address),
        cmocka_unit_test_setup_teardown(test_auth__calendar_subscriptions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_auth__org_view_suppresses_small_groups, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
