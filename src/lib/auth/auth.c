/*
 * Accounts and secrets: password hashing (Argon2id via crypto_pwhash_str,
 * with libsodium's interactive limits), session and API tokens from
 * randombytes_buf, kept in the store only as BLAKE2b hashes and compared in
 * constant time. The SQL lives in src/lib/auth/accounts.c; this file holds
 * the rules: what a valid login, role and password are, and when a token
 * is still good.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "auth/accounts_int.h"
#include "util/util.h"
#include "waras/auth.h"
#include "waras/error.h"
#include "waras/time.h"

static int ready(void)
{
    if (sodium_init() < 0)
        return waras_error_msg(WARAS_ERROR, "libsodium could not be initialised");
    return 0;
}

/* Logins: 1-63 of [A-Za-z0-9._@-], so that they are safe in logs and URLs. */
static int check_login(const char *login)
{
    size_t n = login ? strlen(login) : 0;
    if (n == 0 || n >= sizeof(((waras_user *)0)->login))
        return waras_error_set(WARAS_EINVAL, NULL, 0, "login", "a login has 1 to 63 characters");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)login[i];
        if (!isalnum(c) && c != '.' && c != '_' && c != '-' && c != '@')
            return waras_error_set(WARAS_EINVAL, NULL, 0, "login",
                                   "a login uses letters, digits and . _ - @ only");
    }
    return 0;
}

static int check_password(const char *pw)
{
    size_t n = pw ? strlen(pw) : 0;
    if (n < WARAS_AUTH_PASSWORD_MIN || n > WARAS_AUTH_PASSWORD_MAX)
        return waras_error_set(WARAS_EINVAL, NULL, 0, "password", "a password has %d to %d bytes",
                               WARAS_AUTH_PASSWORD_MIN, WARAS_AUTH_PASSWORD_MAX);
    return 0;
}

static int hash_password(char out[crypto_pwhash_STRBYTES], const char *pw)
{
    int rc = ready();
    if (rc)
        return rc;
#ifdef WARAS_FUZZ_BUILD
    /* The fuzz campaign's build only (CMake WARAS_FUZZ_CHEAP, set by
     * bench/fuzz.sh; never the product or make test): the least Argon2id
     * work, so that sign-in and password changes do not take most of a fuzz
     * run. The hash format and every code path stay the same. */
    const unsigned long long ops = crypto_pwhash_OPSLIMIT_MIN;
    const size_t mem = crypto_pwhash_MEMLIMIT_MIN;
#else
    const unsigned long long ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
    const size_t mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
#endif
    if (crypto_pwhash_str(out, pw, strlen(pw), ops, mem) != 0)
        return waras_error_msg(WARAS_ENOMEM, "out of memory while hashing a password");
    return 0;
}

/* Splits "a,b" into the user's teams; each is trimmed and non-empty. */
static int parse_teams(waras_user *u, const char *teams)
{
    u->nteams = 0;
    const char *p = teams ? teams : "";
    while (*p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        while (len && isspace((unsigned char)*p)) {
            p++;
            len--;
        }
        while (len && isspace((unsigned char)p[len - 1]))
            len--;
        if (len == 0 || len >= sizeof(u->teams[0]))
            return waras_error_set(WARAS_EINVAL, NULL, 0, "teams",
                                   "team names are 1 to 63 characters, separated by commas");
        if (u->nteams == WARAS_AUTH_MAX_TEAMS)
            return waras_error_set(WARAS_EINVAL, NULL, 0, "teams", "at most %d teams",
                                   WARAS_AUTH_MAX_TEAMS);
        memcpy(u->teams[u->nteams], p, len);
        u->teams[u->nteams++][len] = '\0';
        if (!end)
            break;
        p = end + 1;
    }
    return 0;
}

int waras_auth_user_add(int64_t *id, waras_store *st, const char *login, waras_role role,
                        const char *person, const char *teams, const char *password)
{
    waras_user u = {0};
    char hash[crypto_pwhash_STRBYTES];
    int rc;
    if ((rc = check_login(login)) || (rc = check_password(password)))
        return rc;
    waras_strlcpy(u.login, login, sizeof(u.login));
    u.role = role;
    if (role == WARAS_ROLE_ADMIN) {
        if (person && *person)
            return waras_error_set(WARAS_EINVAL, NULL, 0, "person",
                                   "an admin account is nobody's person");
    } else {
        waras_person p;
        if (!person || !*person)
            return waras_error_set(WARAS_EINVAL, NULL, 0, "person",
                                   "a %s account needs --person ID", waras_role_name(role));
        if ((rc = waras_store_person_get(&p, st, person)))
            return waras_error_set(WARAS_ENOTFOUND, NULL, 0, "person", "unknown person '%s'",
                                   person);
        waras_strlcpy(u.person, person, sizeof(u.person));
    }
    if (role == WARAS_ROLE_LEAD) {
        if ((rc = parse_teams(&u, teams)))
            return rc;
        if (u.nteams == 0)
            return waras_error_set(WARAS_EINVAL, NULL, 0, "teams",
                                   "a lead account needs --teams T1,T2");
    } else if (teams && *teams) {
        return waras_error_set(WARAS_EINVAL, NULL, 0, "teams", "only a lead leads teams");
    }
    if ((rc = hash_password(hash, password)))
        return rc;
    rc = waras_store__user_insert(st, &u, hash, id);
    sodium_memzero(hash, sizeof(hash));
    return rc;
}

int waras_auth_user_get(waras_user *out, waras_store *st, const char *login)
{
    return waras_store__user_read(st, login, 0, out, NULL, 0);
}

int waras_auth_user_list(waras_user **out, size_t *n, waras_store *st)
{
    return waras_store__user_list(st, out, n);
}

int waras_auth_user_remove(waras_store *st, const char *login)
{
    return waras_store__user_delete(st, login);
}

int waras_auth_user_passwd(waras_store *st, const char *login, const char *password)
{
    waras_user u;
    char hash[crypto_pwhash_STRBYTES];
    int rc;
    if ((rc = check_password(password)) || (rc = waras_store__user_read(st, login, 0, &u, NULL, 0)))
        return rc;
    if ((rc = hash_password(hash, password)))
        return rc;
    rc = waras_store__user_set_hash(st, u.id, hash);
    sodium_memzero(hash, sizeof(hash));
    return rc;
}

/* A hash to verify against when the login is unknown, so that the answer
 * takes as long as for a wrong password. Made once, by whichever thread
 * signs in first. */
static char dummy[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
    if (hash_password(dummy, "waras-no-such-user"))
        dummy[0] = '\0';
}

int waras_auth_login(waras_user *out, waras_store *st, const char *login, const char *password)
{
    char hash[crypto_pwhash_STRBYTES] = "";
    waras_user u;
    int rc = ready(), known = 0;
    if (rc)
        return rc;
    if (!password || strlen(password) > WARAS_AUTH_PASSWORD_MAX)
        password = "";
    if (login && !check_login(login)) {
        rc = waras_store__user_read(st, login, 0, &u, hash, sizeof(hash));
        if (rc && rc != WARAS_ENOTFOUND)
            return rc;
        known = rc == 0;
    }
    if (!known) {
        pthread_once(&dummy_once, make_dummy);
        if (!dummy[0])
            return waras_error_msg(WARAS_ENOMEM, "out of memory while hashing a password");
        memcpy(hash, dummy, sizeof(hash));
    }
    int ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
    sodium_memzero(hash, sizeof(hash));
    if (!ok || !known)
        return waras_error_set(WARAS_EINVAL, NULL, 0, "login", "wrong login or password");
    *out = u;
    return 0;
}

/* token = [prefix] hex(32 random bytes); hash = hex(BLAKE2b-256(token)). */
static void new_token(char token[WARAS_AUTH_TOKEN_SIZE], const char *prefix)
{
    unsigned char raw[32];
    size_t plen = strlen(prefix);
    randombytes_buf(raw, sizeof(raw));
    memcpy(token, prefix, plen);
    sodium_bin2hex(token + plen, WARAS_AUTH_TOKEN_SIZE - plen, raw, sizeof(raw));
    sodium_memzero(raw, sizeof(raw));
}

static void token_hash(char hex[65], const char *token)
{
    unsigned char h[32];
    crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(hex, 65, h, sizeof(h));
}

/* A token as the client sends it must look like one we issue before it is
 * hashed and looked up. */
static int plausible(const char *token)
{
    size_t n = token ? strlen(token) : 0;
    return n >= 64 && n < WARAS_AUTH_TOKEN_SIZE;
}

int waras_auth_session_create(char token[WARAS_AUTH_TOKEN_SIZE], char csrf[WARAS_AUTH_TOKEN_SIZE],
                              waras_store *st, int64_t user, long ttl)
{
    char t[WARAS_AUTH_TOKEN_SIZE], c[WARAS_AUTH_TOKEN_SIZE], h[65];
    int rc = ready();
    if (rc)
        return rc;
    if (ttl <= 0)
        return waras_error_msg(WARAS_EINVAL, "a session lasts a positive number of seconds");
    new_token(t, "");
    new_token(c, "");
    token_hash(h, t);
    int64_t now = waras_clock_now();
    if ((rc = waras_store__session_insert(st, h, user, c, now, now + ttl)))
        return rc;
    memcpy(token, t, sizeof(t));
    memcpy(csrf, c, sizeof(c));
    sodium_memzero(t, sizeof(t));
    return 0;
}

int waras_auth_session_get(waras_user *out, char csrf[WARAS_AUTH_TOKEN_SIZE], waras_store *st,
                           const char *token)
{
    char h[65], stored[65] = "", c[WARAS_AUTH_TOKEN_SIZE] = "";
    int64_t user;
    int rc = ready();
    if (rc)
        return rc;
    if (!plausible(token))
        return waras_error_msg(WARAS_ENOTFOUND, "no such session");
    token_hash(h, token);
    if ((rc = waras_store__session_find(st, h, waras_clock_now(), &user, c, sizeof(c), stored)))
        return rc;
    if (sodium_memcmp(h, stored, 64) != 0)
        return waras_error_msg(WARAS_ENOTFOUND, "no such session");
    if ((rc = waras_store__user_read(st, NULL, user, out, NULL, 0)))
        return rc == WARAS_ENOTFOUND ? waras_error_msg(WARAS_ENOTFOUND, "no such session") : rc;
    memcpy(csrf, c, sizeof(c));
    return 0;
}

int waras_auth_session_end(waras_store *st, const char *token)
{
    char h[65];
    int rc = ready();
    if (rc || !plausible(token))
        return rc;
    token_hash(h, token);
    return waras_store__session_delete(st, h);
}

int waras_auth_token_create(char token[WARAS_AUTH_TOKEN_SIZE], int64_t *id, waras_store *st,
                            const char *login, const char *name, int days)
{
    char t[WARAS_AUTH_TOKEN_SIZE], h[65];
    waras_user u;
    int rc = ready();
    if (rc)
        return rc;
    if (!name || !*name || strlen(name) > 64)
        return waras_error_set(WARAS_EINVAL, NULL, 0, "name",
                               "a token has a name of 1 to 64 bytes");
    if (days < 0 || days > 3660)
        return waras_error_set(WARAS_EINVAL, NULL, 0, "days", "days is 0 (no expiry) to 3660");
    if ((rc = waras_store__user_read(st, login, 0, &u, NULL, 0)))
        return rc;
    new_token(t, "wrs_");
    token_hash(h, t);
    int64_t now = waras_clock_now();
    if ((rc = waras_store__token_insert(st, h, u.id, name, now, days ? now + 86400LL * days : 0,
                                        id)))
        return rc;
    memcpy(token, t, sizeof(t));
    sodium_memzero(t, sizeof(t));
    return 0;
}

int waras_auth_token_revoke(waras_store *st, int64_t id)
{
    return waras_store__token_revoke(st, id);
}

int waras_auth_token_check(waras_user *out, waras_store *st, const char *token)
{
    char h[65], stored[65] = "";
    int64_t user;
    int rc = ready();
    if (rc)
        return rc;
    if (!plausible(token) || strncmp(token, "wrs_", 4) != 0)
        return waras_error_msg(WARAS_ENOTFOUND, "no such token");
    token_hash(h, token);
    if ((rc = waras_store__token_find(st, h, waras_clock_now(), &user, stored)))
        return rc;
    if (sodium_memcmp(h, stored, 64) != 0)
        return waras_error_msg(WARAS_ENOTFOUND, "no such token");
    return waras_store__user_read(st, NULL, user, out, NULL, 0);
}

void waras_auth__token_new(char token[WARAS_AUTH_TOKEN_SIZE], const char *prefix)
{
    new_token(token, prefix);
}

void waras_auth__token_hash(char hex[65], const char *token)
{
    token_hash(hex, token);
}

int waras_auth__ready(void)
{
    return ready();
}
