/*
 * The store's private interface, for the modules whose data the public API
 * must not reach. The survey module: survey responses are
 * wellbeing data, so only src/lib/survey/ writes and reads them, and the
 * public store API (waras/store.h) has no way to reach them. The store keeps
 * a response's scores as the JSON text the survey module gives it and knows
 * nothing of how they are computed.
 */
#ifndef WARAS_STORE_INT_H
#define WARAS_STORE_INT_H

#include <stdint.h>

#include <stddef.h>
#include "waras/store.h"

/* Inserts a survey response; when its key exists only the source is
 * updated (the same response seen in a newer file). scores and answers are
 * JSON text; person is NULL for an anonymous response. */
int waras_store__survey_put(waras_store *st, const char *team, const char *person,
                            const char *taken_on, const char *instrument, const char *scores,
                            const char *answers, int64_t source, const char *key);

/* One stored response, as waras_store__survey_each() reads it back.
 * Strings are valid during the call only; person is NULL when anonymous. */
typedef struct waras_store_survey_row {
    const char *team, *person;
    const char *taken_on;   /* "YYYY-MM-DD" */
    const char *instrument; /* "cbi" */
    const char *scores;     /* JSON text, or NULL */
} waras_store_survey_row;
typedef int (*waras_store_survey_cb)(void *ctx, const waras_store_survey_row *row);

/* Calls cb for each response taken on dates [from, to] ("YYYY-MM-DD",
 * inclusive) of the team (NULL: every team), ordered by date, then by the
 * order they were stored. A non-zero return from cb stops the walk and is
 * returned. */
int waras_store__survey_each(waras_store *st, const char *team, const char *from, const char *to,
                             waras_store_survey_cb cb, void *ctx);

/* The accounts of the service (users, lead teams, sessions, API tokens);
 * their code is src/lib/auth/accounts.c. SQLite's form; PostgreSQL's is
 * in pg.c's migrations. */
#define WARAS_ACCOUNTS_SCHEMA                                                                      \
    "CREATE TABLE users ("                                                                         \
    "  id INTEGER PRIMARY KEY, login TEXT NOT NULL UNIQUE,"                                        \
    "  role TEXT NOT NULL CHECK (role IN ('member','lead','people-ops','admin')),"                 \
    "  person TEXT, password_hash TEXT NOT NULL, created_at INTEGER NOT NULL);"                    \
    "CREATE TABLE lead_teams ("                                                                    \
    "  user INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE, team TEXT NOT NULL,"          \
    "  PRIMARY KEY (user, team));"                                                                 \
    "CREATE TABLE sessions ("                                                                      \
    "  token_hash TEXT PRIMARY KEY, user INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE," \
    "  csrf TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);"             \
    "CREATE TABLE api_tokens ("                                                                    \
    "  id INTEGER PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE,"                                   \
    "  user INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE, name TEXT NOT NULL,"          \
    "  created_at INTEGER NOT NULL, expires_at INTEGER, revoked INTEGER NOT NULL DEFAULT 0);"

/* One value of an SQL parameter for the helpers below: text (NULL binds
 * NULL) or, made with WARAS_SQL_I, an integer. WARAS_SQL_ARGS(...) gives a
 * list of them and its length, bound to ?1, ?2, ... in order. */
typedef struct waras_store_val {
    const char *text;
    int64_t num;
    int is_num;
} waras_store_val;
#define WARAS_SQL_T(v) ((waras_store_val){.text = (v)})
#define WARAS_SQL_I(v) ((waras_store_val){.num = (int64_t)(v), .is_num = 1})
#define WARAS_SQL_ARGS(...)                                                                        \
    (const waras_store_val[]){__VA_ARGS__},                                                        \
        (int)(sizeof((const waras_store_val[]){__VA_ARGS__}) / sizeof(waras_store_val))

/* Statements for code that runs rarely (the accounts, survey rounds),
 * written once for every backend: parameters are ?1, ?2, ... (PostgreSQL
 * gets them as $1, $2, ...); SQL common to SQLite and PostgreSQL only (no
 * "IS ?1", no INSERT OR ...; a column named user is written "user").
 * Text is bound without a copy: the caller's strings must outlive the
 * call. Errors carry what, the backend's message and the store's place. */

/* A row of a result, valid until the helper that gave it returns or it
 * is freed. Columns count from 0. text is NULL for SQL NULL; int is 0 for
 * NULL. */
typedef struct waras_store_row waras_store_row;
const char *waras_store__text(const waras_store_row *r, int col);
int64_t waras_store__int(const waras_store_row *r, int col);
int waras_store__isnull(const waras_store_row *r, int col);
/* Copies column col into dst ("" for NULL), truncating to size. */
void waras_store__copy(const waras_store_row *r, int col, char *dst, size_t size);

/* Runs sql, which returns no rows; *changes (if not NULL) gets how many
 * rows it changed. A unique or primary key violation is WARAS_EEXISTS. */
int waras_store__exec(int *changes, waras_store *st, const char *sql, const char *what,
                      const waras_store_val *v, int n);

/* Runs sql, an INSERT into a table whose key is an integer column id,
 * and sets *id to the new row's id. A unique violation is WARAS_EEXISTS. */
int waras_store__insert(int64_t *id, waras_store *st, const char *sql, const char *what,
                        const waras_store_val *v, int n);

/* Reads the first row of sql: 1 with a row in *out (the caller reads it,
 * then frees it with waras_store__row_free), 0 without one, or an error. */
int waras_store__row(waras_store_row **out, waras_store *st, const char *sql, const char *what,
                     const waras_store_val *v, int n);
void waras_store__row_free(waras_store_row *r);

/* Reads every row of sql (with parameters v, n of them) into a new array
 * of *count elements of size elem, each set by fill from its row; the
 * array (NULL when there are no rows) is the caller's to free. */
typedef void (*waras_store_fill_fn)(void *elem, const waras_store_row *r);
int waras_store__list(void *out, size_t *count, waras_store *st, const char *sql, const char *what,
                      const waras_store_val *v, int n, size_t elem, waras_store_fill_fn fill);

/* Calls row for each row of sql; a non-zero return from row stops the walk
 * and is returned. */
typedef int (*waras_store_row_cb)(void *ctx, const waras_store_row *r);
int waras_store__each(waras_store *st, const char *sql, const char *what, const waras_store_val *v,
                      int n, waras_store_row_cb row, void *ctx);

/* A savepoint (nested in the caller's transaction, or one of its own):
 * begin, then release on success or undo on failure. */
int waras_store__savepoint(waras_store *st, const char *name);
int waras_store__release(waras_store *st, const char *name);
void waras_store__undo(waras_store *st, const char *name);

#endif
