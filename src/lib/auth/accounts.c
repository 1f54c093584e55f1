/*
 * Accounts in the SQLite store: users, lead teams, sessions and API
 * tokens. Only hashes of secrets reach this file; the rules (hashing,
 * expiry, who may do what) live in src/lib/auth/. Statements are prepared
 * per call: sign-ins are rare next to the cost of Argon2id.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "auth/accounts_int.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/time.h"

static int db_fail(waras_store *st, const char *what)
{
    return waras_error_msg(WARAS_ESTORE, "%s: %s", what, sqlite3_errmsg(waras_store__sqlite(st)));
}

static int prepare(waras_store *st, sqlite3_stmt **s, const char *sql)
{
    if (sqlite3_prepare_v2(waras_store__sqlite(st), sql, -1, s, NULL) != SQLITE_OK)
        return db_fail(st, "cannot prepare statement");
    return 0;
}

static int step_done(waras_store *st, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s) == SQLITE_DONE ? 0 : db_fail(st, what);
    sqlite3_finalize(s);
    return rc;
}

static void col_copy(sqlite3_stmt *s, int i, char *dst, size_t size)
{
    const unsigned char *v = sqlite3_column_text(s, i);
    waras_strlcpy(dst, v ? (const char *)v : "", size);
}

static int exec(waras_store *st, const char *sql)
{
    if (sqlite3_exec(waras_store__sqlite(st), sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_fail(st, sql);
    return 0;
}

int waras_store__user_insert(waras_store *st, const waras_user *u, const char *password_hash,
                             int64_t *id)
{
    sqlite3_stmt *s = NULL;
    int rc = exec(st, "SAVEPOINT user_insert");
    if (rc)
        return rc;
    if ((rc = prepare(st, &s,
                      "INSERT INTO users (login, role, person, password_hash, created_at)"
                      " VALUES (?1, ?2, ?3, ?4, ?5)")))
        goto fail;
    sqlite3_bind_text(s, 1, u->login, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, waras_role_name(u->role), -1, SQLITE_TRANSIENT);
    if (u->person[0])
        sqlite3_bind_text(s, 3, u->person, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 4, password_hash, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 5, waras_clock_now());
    int step = sqlite3_step(s);
    sqlite3_finalize(s);
    if (step == SQLITE_CONSTRAINT) {
        rc = waras_error_set(WARAS_EEXISTS, NULL, 0, "login", "login '%s' is taken", u->login);
        goto fail;
    }
    if (step != SQLITE_DONE) {
        rc = db_fail(st, "cannot store user");
        goto fail;
    }
    int64_t uid = sqlite3_last_insert_rowid(waras_store__sqlite(st));
    for (int i = 0; i < u->nteams; i++) {
        if ((rc = prepare(st, &s, "INSERT OR IGNORE INTO lead_teams (user, team) VALUES (?1, ?2)")))
            goto fail;
        sqlite3_bind_int64(s, 1, uid);
        sqlite3_bind_text(s, 2, u->teams[i], -1, SQLITE_TRANSIENT);
        if ((rc = step_done(st, s, "cannot store lead team")))
            goto fail;
    }
    if ((rc = exec(st, "RELEASE user_insert")))
        goto fail;
    if (id)
        *id = uid;
    return 0;
fail:
    sqlite3_exec(waras_store__sqlite(st), "ROLLBACK TO user_insert; RELEASE user_insert", NULL,
                 NULL, NULL);
    return rc;
}

static int read_teams(waras_store *st, waras_user *u)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, &s, "SELECT team FROM lead_teams WHERE user = ?1 ORDER BY team");
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, u->id);
    int step;
    u->nteams = 0;
    while ((step = sqlite3_step(s)) == SQLITE_ROW && u->nteams < WARAS_AUTH_MAX_TEAMS)
        col_copy(s, 0, u->teams[u->nteams++], sizeof(u->teams[0]));
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        rc = db_fail(st, "cannot read lead teams");
    sqlite3_finalize(s);
    return rc;
}

static void user_from_row(sqlite3_stmt *s, waras_user *u)
{
    memset(u, 0, sizeof(*u));
    u->id = sqlite3_column_int64(s, 0);
    col_copy(s, 1, u->login, sizeof(u->login));
    char role[32];
    col_copy(s, 2, role, sizeof(role));
    if (waras_role_parse(&u->role, role))
        u->role = WARAS_ROLE_MEMBER; /* the CHECK constraint keeps this from happening */
    col_copy(s, 3, u->person, sizeof(u->person));
}

int waras_store__user_read(waras_store *st, const char *login, int64_t id, waras_user *out,
                           char *hash, size_t hash_size)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, &s,
                     id ? "SELECT id, login, role, person, password_hash FROM users WHERE id = ?1"
                        : "SELECT id, login, role, person, password_hash FROM users"
                          " WHERE login = ?2");
    if (rc)
        return rc;
    if (id)
        sqlite3_bind_int64(s, 1, id);
    else
        sqlite3_bind_text(s, 2, login ? login : "", -1, SQLITE_TRANSIENT);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        waras_user u;
        user_from_row(s, &u);
        if (hash)
            col_copy(s, 4, hash, hash_size);
        sqlite3_finalize(s);
        if ((rc = read_teams(st, &u)))
            return rc;
        *out = u;
        return 0;
    }
    rc = step == SQLITE_DONE ? waras_error_set(WARAS_ENOTFOUND, NULL, 0, "login", "no such user")
                             : db_fail(st, "cannot read user");
    sqlite3_finalize(s);
    return rc;
}

int waras_store__user_list(waras_store *st, waras_user **out, size_t *n)
{
    sqlite3_stmt *s = NULL;
    waras_user *v = NULL;
    size_t len = 0, cap = 0;
    int rc = prepare(st, &s, "SELECT id, login, role, person FROM users ORDER BY login");
    if (rc)
        return rc;
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (len == cap) {
            size_t nc = cap ? 2 * cap : 16;
            waras_user *nv = realloc(v, nc * sizeof(*v));
            if (!nv) {
                rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
                goto cleanup;
            }
            v = nv;
            cap = nc;
        }
        user_from_row(s, &v[len++]);
    }
    if (step != SQLITE_DONE) {
        rc = db_fail(st, "cannot list users");
        goto cleanup;
    }
    for (size_t i = 0; i < len; i++)
        if ((rc = read_teams(st, &v[i])))
            goto cleanup;
    *out = v;
    *n = len;
    v = NULL;
cleanup:
    sqlite3_finalize(s);
    free(v);
    return rc;
}

int waras_store__user_delete(waras_store *st, const char *login)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, &s, "DELETE FROM users WHERE login = ?1");
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, login, -1, SQLITE_TRANSIENT);
    if ((rc = step_done(st, s, "cannot remove user")))
        return rc;
    if (sqlite3_changes(waras_store__sqlite(st)) == 0)
        return waras_error_set(WARAS_ENOTFOUND, NULL, 0, "login", "no such user '%s'", login);
    return 0;
}

int waras_store__user_set_hash(waras_store *st, int64_t id, const char *password_hash)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, &s, "UPDATE users SET password_hash = ?2 WHERE id = ?1");
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_text(s, 2, password_hash, -1, SQLITE_TRANSIENT);
    if ((rc = step_done(st, s, "cannot set password")))
        return rc;
    if ((rc = prepare(st, &s, "DELETE FROM sessions WHERE user = ?1")))
        return rc;
    sqlite3_bind_int64(s, 1, id);
    return step_done(st, s, "cannot end sessions");
}

int waras_store__session_insert(waras_store *st, const char *token_hash, int64_t user,
                                const char *csrf, int64_t now, int64_t expires)
{
    sqlite3_stmt *s = NULL;
    /* Expired sessions are dropped here, so that the table stays small. */
    int rc = prepare(st, &s, "DELETE FROM sessions WHERE expires_at <= ?1");
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, now);
    if ((rc = step_done(st, s, "cannot drop expired sessions")))
        return rc;
    if ((rc = prepare(st, &s,
                      "INSERT INTO sessions (token_hash, user, csrf, created_at,"
                      " expires_at) VALUES (?1, ?2, ?3, ?4, ?5)")))
        return rc;
    sqlite3_bind_text(s, 1, token_hash, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 2, user);
    sqlite3_bind_text(s, 3, csrf, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 4, now);
    sqlite3_bind_int64(s, 5, expires);
    return step_done(st, s, "cannot store session");
}

int waras_store__session_find(waras_store *st, const char *token_hash, int64_t now, int64_t *user,
                              char *csrf, size_t csrf_size, char stored_hash[65])
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, &s,
                     "SELECT user, csrf, token_hash FROM sessions"
                     " WHERE token_hash = ?1 AND expires_at > ?2");
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, token_hash, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 2, now);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        *user = sqlite3_column_int64(s, 0);
        col_copy(s, 1, csrf, csrf_size);
        col_copy(s, 2, stored_hash, 65);
    } else {
        rc = step == SQLITE_DONE ? waras_error_msg(WARAS_ENOTFOUND, "no such session")
                                 : db_fail(st, "cannot read session");
    }
    sqlite3_finalize(s);
    return rc;
}

int waras_store__session_delete(waras_store *st, const char *token_hash)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, &s, "DELETE FROM sessions WHERE token_hash = ?1");
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, token_hash, -1, SQLITE_TRANSIENT);
    return step_done(st, s, "cannot end session");
}

int waras_store__token_insert(waras_store *st, const char *token_hash, int64_t user,
                              const char *name, int64_t now, int64_t expires, int64_t *id)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, &s,
                     "INSERT INTO api_tokens (token_hash, user, name, created_at,"
                     " expires_at) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, token_hash, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 2, user);
    sqlite3_bind_text(s, 3, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 4, now);
    if (expires)
        sqlite3_bind_int64(s, 5, expires);
    if ((rc = step_done(st, s, "cannot store token")))
        return rc;
    *id = sqlite3_last_insert_rowid(waras_store__sqlite(st));
    return 0;
}

int waras_store__token_find(waras_store *st, const char *token_hash, int64_t now, int64_t *user,
                            char stored_hash[65])
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, &s,
                     "SELECT user, token_hash FROM api_tokens WHERE token_hash = ?1"
                     " AND revoked = 0 AND (expires_at IS NULL OR expires_at > ?2)");
    if (rc)
        return rc;
    sqlite3_bind_text(s, 1, token_hash, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 2, now);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW) {
        *user = sqlite3_column_int64(s, 0);
        col_copy(s, 1, stored_hash, 65);
    } else {
        rc = step == SQLITE_DONE ? waras_error_msg(WARAS_ENOTFOUND, "no such token")
                                 : db_fail(st, "cannot read token");
    }
    sqlite3_finalize(s);
    return rc;
}

int waras_store__token_revoke(waras_store *st, int64_t id)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, &s, "UPDATE api_tokens SET revoked = 1 WHERE id = ?1");
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    if ((rc = step_done(st, s, "cannot revoke token")))
        return rc;
    if (sqlite3_changes(waras_store__sqlite(st)) == 0)
        return waras_error_set(WARAS_ENOTFOUND, NULL, 0, "id", "no token with id %lld",
                               (long long)id);
    return 0;
}
