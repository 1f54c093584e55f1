/*
 * The store's safety net, private to src/lib/store/: the cheap checks of a
 * store file before SQLite opens it (not SQLite at all, truncated, a -wal
 * without its database), the schema version check and the backup taken
 * before a migration, clear messages for a damaged store, a full disk and
 * I/O errors, and the page-by-page copy (SQLite's online backup) that
 * backups, restores and the pre-migration backup share. The code is
 * sqlite_safety.c; the commands over it are in waras/backup.h.
 */
#ifndef WARAS_STORE_SAFETY_H
#define WARAS_STORE_SAFETY_H

#include <sqlite3.h>

/* What a file is to the check: the live store, or a backup about to be
 * restored (the advice in the messages differs). */
enum { WARAS_SAFETY_STORE = 0, WARAS_SAFETY_BACKUP = 1 };

/* Checks the file at path before SQLite opens it, with stat() only: a
 * missing file with a non-empty PATH-wal, something that is not a file. A
 * missing file passes (SQLite makes a new store of it). 0 or WARAS_ESTORE
 * with the message set. */
int waras_store__file_check(const char *path, int role);

/* Checks the file that db has just opened from its size and first 100
 * bytes, read through SQLite's own file handle (never open() and close()
 * the file of a live store: that drops the locks of the process's other
 * connections): not SQLite, truncated, a broken page size. An empty file
 * or a database in memory passes. 0 or a negative WARAS_E*. */
int waras_store__header_check(sqlite3 *db, const char *path, int role);

/* Checks the schema version v of an open store against current before it
 * is used: newer is an error that says to upgrade waras; 0 with tables in
 * the file is not a waras store. When writable and 0 < v < current, runs
 * PRAGMA quick_check and copies the store to PATH.bak-vV-YYYYmmddTHHMMSS
 * next to it (and says so through the notice) before the caller migrates.
 * 0 or a negative WARAS_E* with the message set. */
int waras_store__version_check(sqlite3 *db, const char *path, int v, int current, int writable);

/* After an SQLite call on db failed: when the error is damage
 * (SQLITE_CORRUPT, SQLITE_NOTADB), a full disk (SQLITE_FULL, or an I/O
 * error with ENOSPC or EFBIG) or another I/O error, rewrites the error slot
 * with a message that says what happened and what to do; what names the
 * operation ("cannot store events"). Other errors are left as they are. */
void waras_store__explain(sqlite3 *db, const char *path, const char *what);

/* Runs PRAGMA integrity_check (quick: quick_check) on db; 0 when it says
 * ok, else WARAS_ESTORE with its first finding in the message. */
int waras_store__integrity(sqlite3 *db, const char *path, int quick, int role);

/* Copies the main database of src, as of one read transaction (consistent
 * while others write), to a new file dest with SQLite's online backup: to
 * dest.tmp first, synced, then moved to dest, which must not exist. With
 * check, runs integrity_check on the copy first and drops it when the check
 * fails. src_path names src in messages. 0 or a negative WARAS_E*. */
int waras_store__file_copy(sqlite3 *src, const char *src_path, const char *dest, int check);

/* A name next to path that does not exist yet:
 * PATH.TAG-YYYYmmddTHHMMSS from the library's clock, with -2, -3, ...
 * appended when taken. 0, or WARAS_ELIMIT when size is too small. */
int waras_store__side_name(char *out, size_t size, const char *path, const char *tag);

/* Passes a message to the notice function set with waras_store_set_notice
 * (nothing when none is set). */
void waras_store__notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
