/*
 * Backups and restores of a SQLite store (waras/backup.h, docs/store.md).
 * A backup is the online-backup copy of sqlite_safety.c, checked with
 * integrity_check before it is kept. A restore checks the backup first (a
 * SQLite file, a waras schema no newer than this waras's, integrity ok),
 * keeps a copy of the store it replaces, and then writes the backup into
 * the live store through the same online backup: one write transaction,
 * so a reader (the service) sees the old store or the new one, and the
 * store's -wal stays SQLite's business. Only a store too damaged for
 * SQLite to write into is moved aside and replaced by rename instead.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/safety.h"
#include "util/util.h"
#include "waras/backup.h"
#include "waras/error.h"
#include "waras/store.h"

/* The schema version this waras writes: that of a new, empty store (in
 * memory), so that the number lives only with the migrations. */
static int current_version(void)
{
    waras_store *st;
    if (waras_store_open(&st, ":memory:", WARAS_STORE_CREATE))
        return -1;
    int v = waras_store_schema_version(st);
    waras_store_close(st);
    return v;
}

/* Opens path with SQLite as it is (no migration), read-only or not, and
 * checks its header as a store or a backup (role). */
static int open_raw(sqlite3 **out, const char *path, int readonly, int role)
{
    *out = NULL;
    int flags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (sqlite3_open_v2(path, out, flags, NULL) != SQLITE_OK) {
        int rc = waras_error_set(WARAS_ESTORE, path, 0, NULL, "cannot open: %s",
                                 *out ? sqlite3_errmsg(*out) : "out of memory");
        if (*out)
            waras_store__explain(*out, path, "cannot open");
        sqlite3_close(*out);
        *out = NULL;
        return rc;
    }
    sqlite3_busy_timeout(*out, 5000);
    int rc = waras_store__header_check(*out, path, role);
    if (rc) {
        sqlite3_close(*out);
        *out = NULL;
    }
    return rc;
}

/* The schema version of an open file that must be a waras store: its
 * user_version, with the tables every version has. */
static int waras_version(int *v, sqlite3 *db, const char *path, const char *what)
{
    sqlite3_stmt *s = NULL;
    int rc = 0, tables = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT (SELECT user_version FROM pragma_user_version),"
                           " (SELECT count(*) FROM sqlite_master WHERE type = 'table' AND"
                           "  name IN ('people', 'sources', 'events'))",
                           -1, &s, NULL) != SQLITE_OK ||
        sqlite3_step(s) != SQLITE_ROW) {
        rc = waras_error_set(WARAS_ESTORE, path, 0, NULL, "cannot read the %s: %s", what,
                             sqlite3_errmsg(db));
        waras_store__explain(db, path, "cannot read the schema");
    } else {
        *v = sqlite3_column_int(s, 0);
        tables = sqlite3_column_int(s, 1);
        if (*v < 1 || tables != 3)
            rc = waras_error_set(WARAS_ESTORE, path, 0, NULL,
                                 "not a waras store: a SQLite database without waras's schema");
    }
    sqlite3_finalize(s);
    return rc;
}

int waras_store_backup(int *version, const char *store, const char *dest)
{
    sqlite3 *db = NULL;
    struct stat sb;
    int v = 0, rc;
    if ((rc = waras_store__file_check(store, WARAS_SAFETY_STORE)))
        return rc;
    if (stat(store, &sb) != 0)
        return waras_error_set(WARAS_ENOTFOUND, store, 0, NULL, "no store here");
    if ((rc = open_raw(&db, store, 1, WARAS_SAFETY_STORE)) ||
        (rc = waras_version(&v, db, store, "store")) ||
        (rc = waras_store__file_copy(db, store, dest, 1)))
        goto done;
    if (version)
        *version = v;
done:
    sqlite3_close(db);
    return rc;
}

int waras_store_check(const char *store)
{
    sqlite3 *db = NULL;
    struct stat sb;
    int v, rc;
    if ((rc = waras_store__file_check(store, WARAS_SAFETY_STORE)))
        return rc;
    if (stat(store, &sb) != 0)
        return waras_error_set(WARAS_ENOTFOUND, store, 0, NULL, "no store here");
    if (!(rc = open_raw(&db, store, 1, WARAS_SAFETY_STORE)) &&
        !(rc = waras_version(&v, db, store, "store")))
        rc = waras_store__integrity(db, store, 0, WARAS_SAFETY_STORE);
    sqlite3_close(db);
    return rc;
}

/* Replaces a store that SQLite cannot write into: the damaged file (and its
 * -wal) move to PATH.damaged-TIMESTAMP, the backup is copied in its place. */
static int replace_by_rename(char *saved, size_t size, sqlite3 *src, const char *store,
                             const char *backup)
{
    char aside[4096], from[4200], to[4200];
    int rc;
    if ((rc = waras_store__side_name(aside, sizeof(aside), store, "damaged")))
        return rc;
    if (rename(store, aside) != 0)
        return waras_error_set(WARAS_EIO, store, 0, NULL, "cannot move the damaged store: %s",
                               strerror(errno));
    snprintf(from, sizeof(from), "%s-wal", store);
    snprintf(to, sizeof(to), "%s-wal", aside);
    rename(from, to);
    snprintf(from, sizeof(from), "%s-shm", store);
    unlink(from);
    waras_strlcpy(saved, aside, size);
    return waras_store__file_copy(src, backup, store, 0);
}

int waras_store_restore(int *version, char *saved, size_t size, const char *store,
                        const char *backup)
{
    sqlite3 *src = NULL, *dst = NULL;
    struct stat sb, bb;
    int v = 0, rc, current = current_version();
    if (size)
        saved[0] = '\0';
    if (current < 0)
        return WARAS_ESTORE;
    if (stat(backup, &bb) != 0)
        return waras_error_set(WARAS_ENOTFOUND, backup, 0, NULL, "no such backup");
    if (stat(store, &sb) == 0 && sb.st_dev == bb.st_dev && sb.st_ino == bb.st_ino)
        return waras_error_set(WARAS_EINVAL, backup, 0, NULL, "this is the store itself");
    /* The backup first: a waras store, not newer than us, intact. */
    if ((rc = waras_store__file_check(backup, WARAS_SAFETY_BACKUP)) ||
        (rc = open_raw(&src, backup, 1, WARAS_SAFETY_BACKUP)) ||
        (rc = waras_version(&v, src, backup, "backup")))
        goto done;
    if (v > current) {
        rc = waras_error_set(WARAS_ESTORE, backup, 0, NULL,
                             "this backup was written by a newer waras (schema %d; this waras "
                             "knows up to %d); upgrade waras to restore it",
                             v, current);
        goto done;
    }
    if ((rc = waras_store__integrity(src, backup, 0, WARAS_SAFETY_BACKUP)))
        goto done;
    if (version)
        *version = v;

    if (stat(store, &sb) != 0) {
        /* No store: the copy goes in place, unless a -wal without its
         * store is there, which SQLite would apply to the new file. */
        if ((rc = waras_store__file_check(store, WARAS_SAFETY_STORE)) == 0)
            rc = waras_store__file_copy(src, backup, store, 0);
        goto done;
    }
    if ((rc = waras_store__file_check(store, WARAS_SAFETY_STORE)))
        goto done;
    if ((rc = open_raw(&dst, store, 0, WARAS_SAFETY_STORE))) {
        if (strstr(waras_error_last()->message, "not a waras store"))
            rc = waras_error_set(WARAS_ESTORE, store, 0, NULL,
                                 "not a waras store, so it is not replaced (check --db and "
                                 "WARAS_DB)");
        else if (strstr(waras_error_last()->message, "damaged")) /* truncated, broken header */
            rc = replace_by_rename(saved, size, src, store, backup);
        goto done;
    }
    /* Keep the store as it is now, then write the backup into it. */
    char keep[4096];
    if ((rc = waras_store__side_name(keep, sizeof(keep), store, "before-restore")))
        goto done;
    if (waras_store__file_copy(dst, store, keep, 0) == 0) {
        waras_strlcpy(saved, keep, size);
    } else if (waras_error_last()->code != WARAS_ESTORE ||
               !strstr(waras_error_last()->message, "damaged")) {
        rc = waras_error_last()->code;
        goto done;
    }
    for (int attempt = 0; attempt < 2; attempt++) {
        sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
        int step = SQLITE_ERROR;
        if (b) {
            while ((step = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || step == SQLITE_LOCKED)
                sqlite3_sleep(50);
            sqlite3_backup_finish(b);
        }
        if (step == SQLITE_DONE) {
            rc = 0;
            break;
        }
        int code = sqlite3_errcode(dst) & 0xff;
        if (attempt == 0 && (step == SQLITE_READONLY || code == SQLITE_READONLY)) {
            /* A WAL store takes pages of its own size only: leave WAL for
             * the copy (this needs the store to itself). */
            if (sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) == SQLITE_OK)
                continue;
            rc = waras_error_set(WARAS_ESTORE, store, 0, NULL,
                                 "the backup has another page size than the store and the store "
                                 "is in use (is 'waras serve' running?); stop what uses it and "
                                 "run the restore again");
            goto done;
        }
        if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB) {
            sqlite3_close(dst);
            dst = NULL;
            rc = replace_by_rename(saved, size, src, store, backup);
            goto done;
        }
        rc = waras_error_set(WARAS_ESTORE, store, 0, NULL, "cannot restore: %s",
                             b ? sqlite3_errstr(step) : sqlite3_errmsg(dst));
        if (code == SQLITE_BUSY)
            rc = waras_error_set(WARAS_ESTORE, store, 0, NULL,
                                 "the store is busy (is 'waras serve' running?); stop what uses "
                                 "it and run the restore again");
        else
            waras_store__explain(dst, store, "cannot restore");
        goto done;
    }
    sqlite3_exec(dst, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
done:
    sqlite3_close(src);
    sqlite3_close(dst);
    return rc;
}
