/*
 * Unit tests of the store's safety net (src/lib/store/sqlite_safety.c and
 * backup.c): the checks of a file when it is opened, the backup taken
 * before a migration and the notice that tells of it, names that never
 * replace a file, and backup and restore refusing what they must. It is
 * about SQLite files only (a PostgreSQL store is backed up with pg_dump).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "helpers.h"
#include "store/safety.h"
#include "waras/backup.h"
#include "waras/error.h"
#include "waras/store.h"
#include "waras/time.h"

/* 2026-11-30T12:00:00Z */
#define NOW 1796040000

static char heard[4096];
static int heard_n;

static void hear(void *ctx, const char *message)
{
    (void)ctx;
    snprintf(heard, sizeof(heard), "%s", message);
    heard_n++;
}

static int setup(void **state)
{
    waras_clock_set(NOW);
    heard_n = 0;
    heard[0] = '\0';
    waras_store_set_notice(hear, NULL);
    return th_dir_setup(state, 64, "safety");
}

static int teardown(void **state)
{
    waras_store_set_notice(NULL, NULL);
    waras_clock_reset();
    return th_dir_teardown(state);
}

/* Makes a store of schema version 3 at path from the fixture's SQL. */
static void make_v3(const char *path)
{
    char fixture[512];
    const char *data = getenv("WARAS_TEST_DATA");
    snprintf(fixture, sizeof(fixture), "%s/store/schema_v3.sql", data ? data : "tests/data");
    char *sql = th_read(fixture, NULL);
    assert_non_null(sql);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    free(sql);
}

static int user_version(const char *path)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    int v = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK) {
        if (sqlite3_step(s) == SQLITE_ROW)
            v = sqlite3_column_int(s, 0);
        sqlite3_finalize(s);
    }
    sqlite3_close(db);
    return v;
}

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

static void migration_is_backed_up_first(void **state)
{
    const char *dir = *state;
    char path[256], bak[512], want[1024];
    th_path(path, sizeof(path), dir, "old.db");
    make_v3(path);
    waras_store *st;
    assert_int_equal(waras_store_open(&st, path, 0), 0);
    int current = waras_store_schema_version(st);
    assert_true(current > 3);
    long n = th_count(st, "events");
    assert_int_equal(n, 3);
    waras_store_close(st);

    snprintf(bak, sizeof(bak), "%s.bak-v3-20261130T120000", path);
    snprintf(want, sizeof(want),
             "%s: schema version 3 is older than this waras's %d; backed it up to %s before "
             "upgrading it",
             path, current, bak);
    assert_int_equal(heard_n, 1);
    assert_string_equal(heard, want);
    assert_int_equal(user_version(bak), 3);
    assert_int_equal(user_version(path), current);

    /* A current store is not backed up again. */
    assert_int_equal(waras_store_open(&st, path, 0), 0);
    waras_store_close(st);
    assert_int_equal(heard_n, 1);
}

static void side_names_never_replace(void **state)
{
    const char *dir = *state;
    char path[256], name[512], taken[512];
    th_path(path, sizeof(path), dir, "s.db");
    assert_int_equal(waras_store__side_name(name, sizeof(name), path, "bak-v2"), 0);
    snprintf(taken, sizeof(taken), "%s.bak-v2-20261130T120000", path);
    assert_string_equal(name, taken);
    assert_int_equal(th_write(taken, sizeof(taken), dir, "s.db.bak-v2-20261130T120000", "x"), 0);
    assert_int_equal(waras_store__side_name(name, sizeof(name), path, "bak-v2"), 0);
    snprintf(taken, sizeof(taken), "%s.bak-v2-20261130T120000-2", path);
    assert_string_equal(name, taken);
    char tiny[16];
    assert_int_equal(waras_store__side_name(tiny, sizeof(tiny), path, "bak-v2"), WARAS_ELIMIT);
}

/* The checks waras_store_open makes of a file: before SQLite opens it,
 * then of its header through SQLite's handle. */
static int check_file(const char *path, int role)
{
    struct stat sb;
    sqlite3 *db = NULL;
    int rc = waras_store__file_check(path, role);
    if (rc || stat(path, &sb) != 0)
        return rc;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK)
        rc = waras_store__header_check(db, path, role);
    else
        rc = -100;
    sqlite3_close(db);
    return rc;
}

static void file_checks(void **state)
{
    const char *dir = *state;
    char path[256], wal[512];
    /* Missing, and empty: a new store may be made there. */
    th_path(path, sizeof(path), dir, "none.db");
    assert_int_equal(check_file(path, WARAS_SAFETY_STORE), 0);
    assert_int_equal(th_write(path, sizeof(path), dir, "empty.db", ""), 0);
    assert_int_equal(check_file(path, WARAS_SAFETY_STORE), 0);
    /* Not SQLite. */
    assert_int_equal(th_write(path, sizeof(path), dir, "text.db", "id,name\n1,a\n"), 0);
    assert_int_equal(check_file(path, WARAS_SAFETY_STORE), WARAS_ESTORE);
    assert_non_null(strstr(waras_error_last()->message, "not a SQLite database"));
    /* Shorter than its own header. */
    assert_int_equal(th_write(path, sizeof(path), dir, "short.db", "SQLite format 3"), 0);
    assert_int_equal(check_file(path, WARAS_SAFETY_BACKUP), WARAS_ESTORE);
    assert_non_null(
        strstr(waras_error_last()->message, "the backup is damaged: the file is truncated"));
    assert_non_null(strstr(waras_error_last()->message, "restore another one"));
    /* A -wal without its store. */
    th_path(path, sizeof(path), dir, "gone.db");
    assert_int_equal(th_write(wal, sizeof(wal), dir, "gone.db-wal", "log"), 0);
    assert_int_equal(check_file(path, WARAS_SAFETY_STORE), WARAS_ESTORE);
    assert_non_null(strstr(waras_error_last()->message, "write-ahead log"));
    /* A healthy store passes; cut to a page and a half, it does not. */
    waras_store *st;
    assert_int_equal(th_store(&st, dir), 0);
    waras_store_close(st);
    th_path(path, sizeof(path), dir, "store.db");
    assert_int_equal(check_file(path, WARAS_SAFETY_STORE), 0);
    assert_int_equal(truncate(path, 16384 + 8192), 0);
    assert_int_equal(check_file(path, WARAS_SAFETY_STORE), WARAS_ESTORE);
    assert_non_null(
        strstr(waras_error_last()->message, "the store is damaged: the file is truncated"));
    assert_int_equal(waras_store_open(&st, path, 0), WARAS_ESTORE);
}

static void backup_and_restore_refuse(void **state)
{
    const char *dir = *state;
    char store[256], copy[256], newer[256];
    waras_store *st;
    assert_int_equal(th_store(&st, dir), 0);
    waras_store_close(st);
    th_path(store, sizeof(store), dir, "store.db");
    th_path(copy, sizeof(copy), dir, "copy.db");
    int v = 0;
    assert_int_equal(waras_store_backup(&v, store, copy), 0);
    assert_true(v > 0);
    assert_int_equal(waras_store_check(copy), 0);
    /* Never over an existing file. */
    assert_int_equal(waras_store_backup(NULL, store, copy), WARAS_EEXISTS);
    /* Not the store itself, not a newer schema. */
    char saved[512];
    assert_int_equal(waras_store_restore(NULL, saved, sizeof(saved), store, store), WARAS_EINVAL);
    th_path(newer, sizeof(newer), dir, "newer.db");
    assert_int_equal(waras_store_backup(NULL, store, newer), 0);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(newer, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(waras_store_restore(NULL, saved, sizeof(saved), store, newer), WARAS_ESTORE);
    assert_non_null(strstr(waras_error_last()->message, "newer waras (schema 99"));
    /* A good one goes in, and the store as it was is kept. */
    assert_int_equal(waras_store_restore(&v, saved, sizeof(saved), store, copy), 0);
    assert_non_null(strstr(saved, "store.db.before-restore-20261130T120000"));
    assert_true(exists(saved));
    assert_int_equal(heard_n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(migration_is_backed_up_first, setup, teardown),
        cmocka_unit_test_setup_teardown(side_names_never_replace, setup, teardown),
        cmocka_unit_test_setup_teardown(file_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(backup_and_restore_refuse, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
