/*
 * Accounts in the store (SQLite or PostgreSQL): users, lead teams, sessions and API
 * tokens. Only hashes of secrets reach this file; the rules (hashing,
 * expiry, who may do what) live in src/lib/auth/. Statements are prepared
 * per call, through the store's helpers (store/store_int.h): sign-ins are
 * rare next to the cost of Argon2id.
 */
#include <stdlib.h>
#include <string.h>

#include "auth/accounts_int.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/time.h"

#define T WARAS_SQL_T
#define I WARAS_SQL_I
#define ARGS WARAS_SQL_ARGS

int waras_store__user_insert(waras_store *st, const waras_user *u, const char *password_hash,
                             int64_t *id)
{
    int64_t uid = 0;
    int rc = waras_store__savepoint(st, "user_insert");
    if (rc)
        return rc;
    rc = waras_store__insert(&uid, st,
                             "INSERT INTO users (login, role, person, password_hash,"
                             " created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                             "cannot store user",
                             ARGS(T(u->login), T(waras_role_name(u->role)),
                                  T(u->person[0] ? u->person : NULL), T(password_hash),
                                  I(waras_clock_now())));
    if (rc == WARAS_EEXISTS) {
        rc = waras_error_set(WARAS_EEXISTS, NULL, 0, "login", "login '%s' is taken", u->login);
        goto fail;
    }
    if (rc)
        goto fail;
    for (int i = 0; i < u->nteams; i++) {
        if ((rc = waras_store__exec(NULL, st,
                                    "INSERT INTO lead_teams (\"user\", team) VALUES (?1, ?2)"
                                    " ON CONFLICT DO NOTHING",
                                    "cannot store lead team", ARGS(I(uid), T(u->teams[i])))))
            goto fail;
    }
    if ((rc = waras_store__release(st, "user_insert")))
        return rc;
    if (id)
        *id = uid;
    return 0;
fail:
    waras_store__undo(st, "user_insert");
    return rc;
}

/* One lead team into the user: 1 (stop) once the user holds the most. */
static int team_row(void *ctx, const waras_store_row *s)
{
    waras_user *u = ctx;
    if (u->nteams >= WARAS_AUTH_MAX_TEAMS)
        return 1;
    waras_store__copy(s, 0, u->teams[u->nteams++], sizeof(u->teams[0]));
    return 0;
}

static int read_teams(waras_store *st, waras_user *u)
{
    u->nteams = 0;
    int rc = waras_store__each(st, "SELECT team FROM lead_teams WHERE \"user\" = ?1 ORDER BY team",
                               "cannot read lead teams", ARGS(I(u->id)), team_row, u);
    return rc < 0 ? rc : 0;
}

static void user_from_row(const waras_store_row *s, waras_user *u)
{
    memset(u, 0, sizeof(*u));
    u->id = waras_store__int(s, 0);
    waras_store__copy(s, 1, u->login, sizeof(u->login));
    char role[32];
    waras_store__copy(s, 2, role, sizeof(role));
    if (waras_role_parse(&u->role, role))
        u->role = WARAS_ROLE_MEMBER; /* the CHECK constraint keeps this from happening */
    waras_store__copy(s, 3, u->person, sizeof(u->person));
}

int waras_store__user_read(waras_store *st, const char *login, int64_t id, waras_user *out,
                           char *hash, size_t hash_size)
{
    waras_store_row *s;
    int rc = waras_store__row(
        &s, st,
        id ? "SELECT id, login, role, person, password_hash FROM users WHERE id = ?1"
           : "SELECT id, login, role, person, password_hash FROM users WHERE login = ?2",
        "cannot read user", ARGS(I(id), T(login ? login : "")));
    if (rc <= 0)
        return rc ? rc : waras_error_set(WARAS_ENOTFOUND, NULL, 0, "login", "no such user");
    waras_user u;
    user_from_row(s, &u);
    if (hash)
        waras_store__copy(s, 4, hash, hash_size);
    waras_store__row_free(s);
    if ((rc = read_teams(st, &u)))
        return rc;
    *out = u;
    return 0;
}

static void user_fill(void *u, const waras_store_row *s)
{
    user_from_row(s, u);
}

int waras_store__user_list(waras_store *st, waras_user **out, size_t *n)
{
    waras_user *v = NULL;
    size_t len = 0;
    int rc =
        waras_store__list(&v, &len, st, "SELECT id, login, role, person FROM users ORDER BY login",
                          "cannot list users", NULL, 0, sizeof(waras_user), user_fill);
    for (size_t i = 0; !rc && i < len; i++)
        rc = read_teams(st, &v[i]);
    if (rc) {
        free(v);
        return rc;
    }
    *out = v;
    *n = len;
    return 0;
}

int waras_store__user_delete(waras_store *st, const char *login)
{
    int changes;
    int rc = waras_store__exec(&changes, st, "DELETE FROM users WHERE login = ?1",
                               "cannot remove user", ARGS(T(login)));
    if (rc)
        return rc;
    if (changes == 0)
        return waras_error_set(WARAS_ENOTFOUND, NULL, 0, "login", "no such user '%s'", login);
    return 0;
}

int waras_store__user_set_hash(waras_store *st, int64_t id, const char *password_hash)
{
    int rc = waras_store__exec(NULL, st, "UPDATE users SET password_hash = ?2 WHERE id = ?1",
                               "cannot set password", ARGS(I(id), T(password_hash)));
    if (rc)
        return rc;
    return waras_store__exec(NULL, st, "DELETE FROM sessions WHERE \"user\" = ?1",
                             "cannot end sessions", ARGS(I(id)));
}

int waras_store__session_insert(waras_store *st, const char *token_hash, int64_t user,
                                const char *csrf, int64_t now, int64_t expires)
{
    /* Expired sessions are dropped here, so that the table stays small. */
    int rc = waras_store__exec(NULL, st, "DELETE FROM sessions WHERE expires_at <= ?1",
                               "cannot drop expired sessions", ARGS(I(now)));
    if (rc)
        return rc;
    return waras_store__exec(NULL, st,
                             "INSERT INTO sessions (token_hash, \"user\", csrf, created_at,"
                             " expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                             "cannot store session",
                             ARGS(T(token_hash), I(user), T(csrf), I(now), I(expires)));
}

/* The live session or API token whose hash is token_hash: sql selects its
 * user, its stored hash and, for a session, its CSRF token (csrf NULL:
 * none), with ?1 the hash and ?2 now. WARAS_ENOTFOUND (missing) when
 * there is none, or it expired or was revoked. */
static int find_by_hash(int64_t *user, char stored_hash[65], char *csrf, size_t csrf_size,
                        waras_store *st, const char *sql, const char *read_error,
                        const char *missing, const char *token_hash, int64_t now)
{
    waras_store_row *s;
    int rc = waras_store__row(&s, st, sql, read_error, ARGS(T(token_hash), I(now)));
    if (rc <= 0)
        return rc ? rc : waras_error_msg(WARAS_ENOTFOUND, "%s", missing);
    *user = waras_store__int(s, 0);
    waras_store__copy(s, 1, stored_hash, 65);
    if (csrf)
        waras_store__copy(s, 2, csrf, csrf_size);
    waras_store__row_free(s);
    return 0;
}

int waras_store__session_find(waras_store *st, const char *token_hash, int64_t now, int64_t *user,
                              char *csrf, size_t csrf_size, char stored_hash[65])
{
    return find_by_hash(user, stored_hash, csrf, csrf_size, st,
                        "SELECT \"user\", token_hash, csrf FROM sessions"
                        " WHERE token_hash = ?1 AND expires_at > ?2",
                        "cannot read session", "no such session", token_hash, now);
}

int waras_store__session_delete(waras_store *st, const char *token_hash)
{
    return waras_store__exec(NULL, st, "DELETE FROM sessions WHERE token_hash = ?1",
                             "cannot end session", ARGS(T(token_hash)));
}

int waras_store__token_insert(waras_store *st, const char *token_hash, int64_t user,
                              const char *name, int64_t now, int64_t expires, int64_t *id)
{
    return waras_store__insert(
        id, st,
        "INSERT INTO api_tokens (token_hash, \"user\", name, created_at,"
        " expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        "cannot store token",
        ARGS(T(token_hash), I(user), T(name), I(now), expires ? I(expires) : T(NULL)));
}

int waras_store__token_find(waras_store *st, const char *token_hash, int64_t now, int64_t *user,
                            char stored_hash[65])
{
    return find_by_hash(user, stored_hash, NULL, 0, st,
                        "SELECT \"user\", token_hash FROM api_tokens WHERE token_hash = ?1"
                        " AND revoked = 0 AND (expires_at IS NULL OR expires_at > ?2)",
                        "cannot read token", "no such token", token_hash, now);
}

int waras_store__token_revoke(waras_store *st, int64_t id)
{
    int changes;
    int rc = waras_store__exec(&changes, st, "UPDATE api_tokens SET revoked = 1 WHERE id = ?1",
                               "cannot revoke token", ARGS(I(id)));
    if (rc)
        return rc;
    if (changes == 0)
        return waras_error_set(WARAS_ENOTFOUND, NULL, 0, "id", "no token with id %lld",
                               (long long)id);
    return 0;
}

static void token_fill(void *elem, const waras_store_row *s)
{
    waras_auth_token_info *t = elem;
    t->id = waras_store__int(s, 0);
    waras_store__copy(s, 1, t->login, sizeof(t->login));
    waras_store__copy(s, 2, t->name, sizeof(t->name));
    t->created_at = waras_store__int(s, 3);
    t->expires_at = waras_store__isnull(s, 4) ? 0 : waras_store__int(s, 4);
    t->revoked = waras_store__int(s, 5) != 0;
}

/* Every API token without its hash, for the admins' list (waras/auth.h). */
int waras_auth_token_list(waras_auth_token_info **out, size_t *n, waras_store *st)
{
    *out = NULL;
    *n = 0;
    return waras_store__list(out, n, st,
                             "SELECT t.id, u.login, t.name, t.created_at, t.expires_at,"
                             " t.revoked FROM api_tokens t JOIN users u ON u.id = t.\"user\""
                             " ORDER BY t.id",
                             "cannot list tokens", NULL, 0, sizeof(waras_auth_token_info),
                             token_fill);
}
