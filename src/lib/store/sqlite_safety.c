/*
 * The SQLite store's safety net (see safety.h and docs/store.md): what a
 * store file is before SQLite reads it, the schema version check and the
 * copy taken before a migration, the words for a damaged store, a full disk
 * and an I/O error, and the online-backup copy that backups, restores and
 * the pre-migration copy share. A damaged store must end in a message that
 * says what to do, never in a crash or a wrong answer; a full disk must
 * leave the store as it was and say so.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/safety.h"
#include "util/util.h"
#include "waras/backup.h"
#include "waras/error.h"
#include "waras/time.h"

static const char SQLITE_MAGIC[16] = "SQLite format 3";

/* What to do about a damaged file, by its role. */
static const char *advice(int role)
{
    return role == WARAS_SAFETY_BACKUP
               ? "this backup cannot be used; restore another one (docs/store.md)"
               : "restore the latest backup with 'waras store restore BACKUP' (docs/store.md)";
}

static waras_store_notice_fn notice_fn;
static void *notice_ctx;

void waras_store_set_notice(waras_store_notice_fn fn, void *ctx)
{
    notice_fn = fn;
    notice_ctx = ctx;
}

void waras_store__notice(const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    if (!notice_fn)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    notice_fn(notice_ctx, msg);
}

static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}
static unsigned long be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

/* The size of path followed by suffix ("-wal"), or -1 when there is none. */
static long long side_size(const char *path, const char *suffix)
{
    char side[4096];
    struct stat sb;
    if ((size_t)snprintf(side, sizeof(side), "%s%s", path, suffix) >= sizeof(side) ||
        stat(side, &sb) != 0)
        return -1;
    return (long long)sb.st_size;
}
static long long wal_size(const char *path)
{
    return side_size(path, "-wal");
}

int waras_store__file_check(const char *path, int role)
{
    struct stat sb;
    (void)role;
    if (stat(path, &sb) != 0) {
        if (wal_size(path) > 0)
            return waras_error_set(
                WARAS_ESTORE, path, 0, NULL,
                "the store is missing but its write-ahead log %s-wal is here, holding its latest "
                "changes: put the store file back next to it; or, to start from a backup, move "
                "%s-wal away first and run 'waras store restore BACKUP' (docs/store.md)",
                path, path);
        return 0;
    }
    if (!S_ISREG(sb.st_mode))
        return waras_error_set(WARAS_ESTORE, path, 0, NULL, "not a waras store: not a file");
    return 0;
}

int waras_store__header_check(sqlite3 *db, const char *path, int role)
{
    /* Read through SQLite's own handle of the file: opening and closing
     * the file here would drop the POSIX locks that other connections of
     * this process hold on it (the service opens one per request). */
    sqlite3_file *fp = NULL;
    sqlite3_int64 size = 0;
    if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &fp) != SQLITE_OK || !fp ||
        !fp->pMethods || fp->pMethods->xFileSize(fp, &size) != SQLITE_OK || size == 0)
        return 0; /* in memory, or empty: a new store */
    unsigned char h[100];
    size_t got = size < (sqlite3_int64)sizeof(h) ? (size_t)size : sizeof(h);
    int rc = fp->pMethods->xRead(fp, h, (int)got, 0);
    if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ)
        return waras_error_set(WARAS_EIO, path, 0, NULL, "cannot read the store: %s",
                               sqlite3_errstr(rc));
    size_t cmp = got < sizeof(SQLITE_MAGIC) ? got : sizeof(SQLITE_MAGIC);
    if (memcmp(h, SQLITE_MAGIC, cmp) != 0)
        return waras_error_set(WARAS_ESTORE, path, 0, NULL,
                               "not a waras store: the file is not a SQLite database "
                               "(check --db and WARAS_DB)");
    const char *what = role == WARAS_SAFETY_BACKUP ? "backup" : "store";
    if (got < sizeof(h))
        return waras_error_set(WARAS_ESTORE, path, 0, NULL,
                               "the %s is damaged: the file is truncated (%lld bytes, shorter "
                               "than its own header); %s",
                               what, (long long)size, advice(role));
    long long page = be16(h + 16) == 1 ? 65536 : be16(h + 16);
    if (page < 512 || (page & (page - 1)))
        return waras_error_set(WARAS_ESTORE, path, 0, NULL,
                               "the %s is damaged: its header names a page size of %lld; %s", what,
                               page, advice(role));
    /* The header's page count is valid when the change counter (24) equals
     * the version-valid-for number (92). With a non-empty -wal the file may
     * lag behind its header (a checkpoint cut short); SQLite finishes that
     * from the log, so only the whole-page rule applies then. A hot
     * rollback journal (a copy cut short in that mode) may also hold pages
     * that SQLite puts back. */
    long long pages = be32(h + 92) == be32(h + 24) ? (long long)be32(h + 28) : 0;
    int wal = wal_size(path) > 0 || side_size(path, "-journal") > 0;
    /* The size again, read after the header and the -wal: a checkpoint of
     * another connection that wrote this header and then removed its -wal
     * has grown the file by now. */
    if (!wal && pages > 0 && size < pages * page && fp->pMethods->xFileSize(fp, &size) != SQLITE_OK)
        size = 0;
    if (size % page != 0 || (!wal && pages > 0 && size < pages * page))
        return waras_error_set(WARAS_ESTORE, path, 0, NULL,
                               "the %s is damaged: the file is truncated (%lld bytes; its header "
                               "says %lld pages of %lld bytes); %s",
                               what, (long long)size, pages, page, advice(role));
    return 0;
}

/* Whether path or its -wal has reached the process's file size limit
 * (ulimit -f): SQLite reports a write refused with EFBIG as a plain I/O
 * error, and its saved errno is not reliable after the rollback. */
static int size_limit_reached(const char *path)
{
    struct rlimit rl;
    struct stat sb;
    char wal[4096];
    if (getrlimit(RLIMIT_FSIZE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
        return 0;
    /* Within a page of the largest page size counts: a page that does not
     * fit whole is refused. */
    unsigned long long near =
        (unsigned long long)rl.rlim_cur > 65536 + 32 ? rl.rlim_cur - 65536 - 32 : 0;
    if (stat(path, &sb) == 0 && (unsigned long long)sb.st_size >= near)
        return 1;
    if ((size_t)snprintf(wal, sizeof(wal), "%s-wal", path) < sizeof(wal) && stat(wal, &sb) == 0 &&
        (unsigned long long)sb.st_size >= near)
        return 1;
    return 0;
}

void waras_store__explain(sqlite3 *db, const char *path, const char *what)
{
    int code = sqlite3_extended_errcode(db), primary = code & 0xff;
    int sys = sqlite3_system_errno(db);
    if (code == SQLITE_IOERR_WRITE && sys != ENOSPC && size_limit_reached(path))
        sys = EFBIG;
    const char *msg = sqlite3_errmsg(db);
    if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
        waras_error_set(WARAS_ESTORE, path, 0, NULL, "the store is damaged (%s: %s); %s", what, msg,
                        advice(WARAS_SAFETY_STORE));
    else if (primary == SQLITE_FULL || (primary == SQLITE_IOERR && (sys == ENOSPC || sys == EFBIG)))
        waras_error_set(WARAS_ESTORE, path, 0, NULL, "disk full: %s: %s (store unchanged)", what,
                        sys == EFBIG    ? "the file size limit is reached"
                        : sys == ENOSPC ? "no space left on the device"
                                        : msg);
    else if (primary == SQLITE_IOERR)
        waras_error_set(WARAS_ESTORE, path, 0, NULL,
                        "I/O error: %s: %s%s%s (the unfinished change was rolled back; if this "
                        "repeats, check the disk and run 'waras store check')",
                        what, msg, sys ? ": " : "", sys ? strerror(sys) : "");
}

/* Runs sql, which returns one integer, on db: 0 with *out set, or an error. */
static int query_int(long long *out, sqlite3 *db, const char *path, const char *sql)
{
    sqlite3_stmt *s = NULL;
    int rc = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK || sqlite3_step(s) != SQLITE_ROW) {
        rc = waras_error_set(WARAS_ESTORE, path, 0, NULL, "cannot read the store: %s",
                             sqlite3_errmsg(db));
        waras_store__explain(db, path, "cannot read the store");
    } else {
        *out = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    return rc;
}

int waras_store__integrity(sqlite3 *db, const char *path, int quick, int role)
{
    sqlite3_stmt *s = NULL;
    const char *sql = quick ? "PRAGMA quick_check(1)" : "PRAGMA integrity_check(1)";
    int rc = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
        rc = waras_error_set(WARAS_ESTORE, path, 0, NULL, "cannot check the store: %s",
                             sqlite3_errmsg(db));
        waras_store__explain(db, path, "cannot check the store");
    } else if (sqlite3_step(s) != SQLITE_ROW) {
        rc = waras_error_set(WARAS_ESTORE, path, 0, NULL, "cannot check the store: %s",
                             sqlite3_errmsg(db));
        waras_store__explain(db, path, "cannot check the store");
        if (role == WARAS_SAFETY_BACKUP && waras_error_last()->code == WARAS_ESTORE)
            rc = waras_error_set(WARAS_ESTORE, path, 0, NULL, "the backup is damaged (%s); %s",
                                 sqlite3_errmsg(db), advice(role));
    } else {
        const char *r = (const char *)sqlite3_column_text(s, 0);
        char finding[512];
        /* The finding on one line: SQLite's first one may span several. */
        waras_strlcpy(finding, r ? r : "nothing", sizeof(finding));
        for (char *p = finding; *p; p++)
            if (*p == '\n')
                *p = ' ';
        if (!r || strcmp(r, "ok") != 0)
            rc =
                waras_error_set(WARAS_ESTORE, path, 0, NULL, "the %s is damaged (%s finds: %s); %s",
                                role == WARAS_SAFETY_BACKUP ? "backup" : "store",
                                quick ? "quick_check" : "integrity_check", finding, advice(role));
    }
    sqlite3_finalize(s);
    return rc;
}

int waras_store__side_name(char *out, size_t size, const char *path, const char *tag)
{
    waras_civil c;
    struct stat sb;
    waras_epoch_to_civil(&c, waras_clock_now());
    for (int k = 1; k < 1000; k++) {
        int n = snprintf(out, size, "%s.%s-%04d%02d%02dT%02d%02d%02d", path, tag, c.year, c.month,
                         c.day, c.hour, c.minute, c.second);
        if (n > 0 && k > 1)
            n += snprintf(out + n, size > (size_t)n ? size - (size_t)n : 0, "-%d", k);
        if (n < 0 || (size_t)n >= size)
            return waras_error_msg(WARAS_ELIMIT, "%s: the path is too long", path);
        if (stat(out, &sb) != 0 && errno == ENOENT)
            return 0;
    }
    return waras_error_msg(WARAS_ELIMIT, "%s: too many copies named %s.%s-…", path, path, tag);
}

/* fsync of a file, or of the directory that holds path (dir set). */
static int sync_path(const char *path, int dir)
{
    char d[4096];
    const char *p = path;
    if (dir) {
        const char *slash = strrchr(path, '/');
        if (!slash)
            p = ".";
        else if (slash == path)
            p = "/";
        else {
            size_t n = (size_t)(slash - path);
            if (n >= sizeof(d))
                return -1;
            memcpy(d, path, n);
            d[n] = '\0';
            p = d;
        }
    }
    int fd = open(p, O_RDONLY | O_CLOEXEC | (dir ? O_DIRECTORY : 0));
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* Removes path and the journal files SQLite may have left next to it. */
static void remove_db(const char *path)
{
    static const char *const ext[] = {"", "-wal", "-shm", "-journal"};
    char p[4096];
    for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
        if ((size_t)snprintf(p, sizeof(p), "%s%s", path, ext[i]) < sizeof(p))
            unlink(p);
}

int waras_store__file_copy(sqlite3 *src, const char *src_path, const char *dest, int check)
{
    char tmp[4096];
    struct stat sb;
    sqlite3 *out = NULL;
    int rc = 0;
    if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", dest) >= sizeof(tmp))
        return waras_error_msg(WARAS_ELIMIT, "%s: the path is too long", dest);
    if (stat(dest, &sb) == 0)
        return waras_error_set(WARAS_EEXISTS, dest, 0, NULL,
                               "already exists; choose another name or remove it first");
    remove_db(tmp);
    if (sqlite3_open_v2(tmp, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        rc = waras_error_set(WARAS_EIO, dest, 0, NULL, "cannot write the copy: %s",
                             out ? sqlite3_errmsg(out) : "out of memory");
        goto done;
    }
    /* One step copies every page inside one read transaction of src: the
     * copy is the store as of one moment, whoever writes meanwhile. */
    sqlite3_backup *b = sqlite3_backup_init(out, "main", src, "main");
    if (!b) {
        rc = waras_error_set(WARAS_ESTORE, dest, 0, NULL, "cannot copy the store: %s",
                             sqlite3_errmsg(out));
        goto done;
    }
    int step;
    while ((step = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || step == SQLITE_LOCKED)
        sqlite3_sleep(50);
    sqlite3_backup_finish(b);
    if (step != SQLITE_DONE) {
        /* The error is on src (a damaged page) or on out (a full disk). */
        int on_src = sqlite3_errcode(src) != SQLITE_OK && sqlite3_errcode(out) == SQLITE_OK;
        rc = waras_error_set(WARAS_ESTORE, dest, 0, NULL, "cannot copy the store: %s",
                             sqlite3_errstr(step));
        if (on_src)
            waras_store__explain(src, src_path, "cannot copy the store");
        else
            waras_store__explain(out, dest, "cannot write the copy");
        goto done;
    }
    if (check && (rc = waras_store__integrity(out, src_path, 0, WARAS_SAFETY_STORE)))
        goto done;
    /* One self-contained file: out of WAL mode, so that the copy never
     * depends on a -wal next to it, nor makes one when it is read. */
    if (sqlite3_exec(out, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK) {
        rc = waras_error_set(WARAS_ESTORE, dest, 0, NULL, "cannot write the copy: %s",
                             sqlite3_errmsg(out));
        waras_store__explain(out, dest, "cannot write the copy");
        goto done;
    }
    sqlite3_close(out);
    out = NULL;
    if (sync_path(tmp, 0) != 0) {
        rc =
            waras_error_set(WARAS_EIO, dest, 0, NULL, "cannot write the copy: %s", strerror(errno));
        goto done;
    }
    /* link() refuses to replace a file made meanwhile; rename() where the
     * file system has no hard links. */
    if (link(tmp, dest) == 0)
        unlink(tmp);
    else if (errno == EEXIST)
        rc = waras_error_set(WARAS_EEXISTS, dest, 0, NULL,
                             "already exists; choose another name or remove it first");
    else if (rename(tmp, dest) != 0)
        rc =
            waras_error_set(WARAS_EIO, dest, 0, NULL, "cannot write the copy: %s", strerror(errno));
    if (!rc)
        sync_path(dest, 1);
done:
    sqlite3_close(out);
    remove_db(tmp);
    return rc;
}

int waras_store__version_check(sqlite3 *db, const char *path, int v, int current, int writable)
{
    long long tables = 0;
    int rc;
    if (v > current)
        return waras_error_set(WARAS_ESTORE, path, 0, NULL,
                               "this store was written by a newer waras (schema %d; this waras "
                               "knows up to %d); upgrade waras",
                               v, current);
    if (v == 0) {
        if ((rc = query_int(&tables, db, path, "SELECT count(*) FROM sqlite_master")))
            return rc;
        if (tables > 0)
            return waras_error_set(WARAS_ESTORE, path, 0, NULL,
                                   "not a waras store: a SQLite database of something else "
                                   "(check --db and WARAS_DB)");
        return 0;
    }
    if (v == current || !writable)
        return 0;
    /* An older schema: check it and keep a copy before anything changes. */
    char bak[4096], tag[32];
    snprintf(tag, sizeof(tag), "bak-v%d", v);
    if ((rc = waras_store__integrity(db, path, 1, WARAS_SAFETY_STORE)) ||
        (rc = waras_store__side_name(bak, sizeof(bak), path, tag)) ||
        (rc = waras_store__file_copy(db, path, bak, 0)))
        return rc;
    waras_store__notice("%s: schema version %d is older than this waras's %d; backed it up to %s "
                        "before upgrading it",
                        path, v, current, bak);
    return 0;
}
