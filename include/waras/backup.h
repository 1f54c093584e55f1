/*
 * Backups of a SQLite store and restoring them (docs/store.md). A backup is
 * a page-by-page copy made with SQLite's online backup inside one read
 * transaction, so it is consistent while the service or an ingest writes;
 * it is checked with integrity_check before it is kept. A restore checks
 * the backup (a waras store, not from a newer schema, integrity ok) before
 * it replaces the store in one write transaction. The store also copies
 * itself before a schema migration; the notice function hears of it.
 */
#ifndef WARAS_BACKUP_H
#define WARAS_BACKUP_H

#include <stddef.h>

/* Copies the store at store to the new file dest (which must not exist).
 * *version (may be NULL) receives the schema version of the copy. */
int waras_store_backup(int *version, const char *store, const char *dest);

/* Replaces the store at store with the backup at backup. The store as it
 * was is first copied next to it (its name in saved, size bytes, "" when
 * there was no store to keep); a store whose file is damaged beyond
 * copying is moved aside instead. *version (may be NULL) receives the
 * backup's schema version. */
int waras_store_restore(int *version, char *saved, size_t size, const char *store,
                        const char *backup);

/* Runs integrity_check on the store at store: 0 when ok, else WARAS_ESTORE
 * with the first finding and what to do in the message. */
int waras_store_check(const char *store);

/* A function that hears what the store does on its own that a person should
 * know about (the backup before a migration). The library never prints; a
 * program sets one at start. NULL: nobody hears. */
typedef void (*waras_store_notice_fn)(void *ctx, const char *message);
void waras_store_set_notice(waras_store_notice_fn fn, void *ctx);

#endif
