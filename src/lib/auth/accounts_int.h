/*
 * The store's private interface for accounts: users, the teams a lead
 * leads, sessions and API tokens. Only src/lib/auth/ calls it; secrets
 * arrive here already hashed (the store never sees a password or a token).
 * The schema is one migration in each backend's list (SQLite's form in
 * src/lib/store/store_int.h, PostgreSQL's in src/lib/store/pg.c).
 */
#ifndef WARAS_ACCOUNTS_INT_H
#define WARAS_ACCOUNTS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "store/store_int.h"
#include "waras/auth.h"
#include "waras/store.h"

/* Inserts a user and their lead teams in one transaction. */
int waras_store__user_insert(waras_store *st, const waras_user *u, const char *password_hash,
                             int64_t *id);
/* Reads a user by login (id 0) or by id; hash (may be NULL) receives the
 * stored password hash. WARAS_ENOTFOUND when absent. */
int waras_store__user_read(waras_store *st, const char *login, int64_t id, waras_user *out,
                           char *hash, size_t hash_size);
int waras_store__user_list(waras_store *st, waras_user **out, size_t *n);
int waras_store__user_delete(waras_store *st, const char *login);
/* Sets the hash and drops the user's sessions. */
int waras_store__user_set_hash(waras_store *st, int64_t id, const char *password_hash);

int waras_store__session_insert(waras_store *st, const char *token_hash, int64_t user,
                                const char *csrf, int64_t now, int64_t expires);
/* The user and CSRF token of an unexpired session; WARAS_ENOTFOUND
 * otherwise. stored_hash receives the hash as stored, for a constant-time
 * comparison by the caller. */
int waras_store__session_find(waras_store *st, const char *token_hash, int64_t now, int64_t *user,
                              char *csrf, size_t csrf_size, char stored_hash[65]);
int waras_store__session_delete(waras_store *st, const char *token_hash);

int waras_store__token_insert(waras_store *st, const char *token_hash, int64_t user,
                              const char *name, int64_t now, int64_t expires, int64_t *id);
/* The user of an unexpired, unrevoked token; WARAS_ENOTFOUND otherwise. */
int waras_store__token_find(waras_store *st, const char *token_hash, int64_t now, int64_t *user,
                            char stored_hash[65]);
int waras_store__token_revoke(waras_store *st, int64_t id);

/* The secrets of src/lib/auth/auth.c, for the other secrets of the module
 * (calendar subscriptions): a new random token with a prefix, its BLAKE2b
 * hash as hex, and libsodium's initialisation (0 when ready). */
void waras_auth__token_new(char token[WARAS_AUTH_TOKEN_SIZE], const char *prefix);
void waras_auth__token_hash(char hex[65], const char *token);
int waras_auth__ready(void);

#endif
