/*
 * The SQLite backend of the store, behind the neutral layer of store.c
 * (backend.h). The schema is created and upgraded by the
 * numbered migrations below (PRAGMA user_version records how far a file has
 * come); the file runs in WAL mode with foreign keys on. Statements that
 * run once per row or per call are prepared once per open store and kept
 * in a small cache (stmt_use); queries that call back into the caller are
 * prepared per call, so that a callback may use the store. A bulk
 * transaction (waras_store_begin_bulk) checks the references of the events
 * it writes itself, once per person and source, instead of SQLite's
 * per-row foreign-key checks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "store/backend.h"
#include "store/safety.h" /* safety hooks: sqlite_safety.c */
#include "store/survey_rounds_schema.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/store.h"
#include "waras/time.h"

/* The cached statements, by what they do. */
enum stmt_id {
    Q_PERSON_PUT,
    Q_PERSON_GET,
    Q_PERSON_EXISTS,
    Q_IDENTITY_PUT,
    Q_IDENTITY_FIND,
    Q_SOURCE_SEEN,
    Q_SOURCE_EXISTS,
    Q_SOURCE_ADD,
    Q_SOURCE_FINISH,
    Q_SOURCE_EARLIER,
    Q_SUPERSEDE_EVENTS,
    Q_SUPERSEDE_RESPONSES,
    Q_SURVEY_PUT,
    Q_EVENT_PUT,
    Q_EVENT_SPAN,
    Q_PLAN_ADD,
    Q_PLAN_ASSIGN,
    Q_PLAN_COUNT,
    Q_COUNT_
};

#define PERSON_COLUMNS "id, name, email, team, timezone, site, work_days, work_start, work_end"

static const char *const stmt_sql[Q_COUNT_] = {
    [Q_PERSON_PUT] = "INSERT INTO people (id, name, email, team, timezone, site, work_days,"
                     " work_start, work_end) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)"
                     " ON CONFLICT (id) DO UPDATE SET name=?2, email=?3, team=?4, timezone=?5,"
                     " site=?6, work_days=?7, work_start=?8, work_end=?9",
    [Q_PERSON_GET] = "SELECT " PERSON_COLUMNS " FROM people WHERE id = ?1",
    [Q_PERSON_EXISTS] = "SELECT 1 FROM people WHERE id = ?1",
    [Q_IDENTITY_PUT] = "INSERT INTO identities (person, kind, value) VALUES (?1, ?2, ?3)"
                       " ON CONFLICT (kind, value) DO UPDATE SET person = ?1",
    [Q_IDENTITY_FIND] = "SELECT person FROM identities WHERE kind = ?1 AND value = ?2",
    [Q_SOURCE_SEEN] = "SELECT 1 FROM sources WHERE kind = ?1 AND sha256 = ?2",
    [Q_SOURCE_EXISTS] = "SELECT 1 FROM sources WHERE id = ?1",
    [Q_SOURCE_ADD] = "INSERT INTO sources (kind, path, sha256, ingested_at) VALUES (?1,?2,?3,?4)",
    [Q_SOURCE_FINISH] = "UPDATE sources SET rows = ?2, skipped = ?3 WHERE id = ?1",
    [Q_SOURCE_EARLIER] = "SELECT 1 FROM sources WHERE kind = ?2 AND path = ?3 AND id <> ?1 LIMIT 1",
    [Q_SUPERSEDE_EVENTS] = "DELETE FROM events WHERE source IN (SELECT id FROM sources WHERE"
                           " kind = ?2 AND path = ?3 AND id <> ?1)",
    [Q_SUPERSEDE_RESPONSES] = "DELETE FROM survey_responses WHERE source IN (SELECT id FROM"
                              " sources WHERE kind = ?2 AND path = ?3 AND id <> ?1)",
    [Q_SURVEY_PUT] = "INSERT INTO survey_responses (team, person, taken_on, instrument, scores,"
                     " answers, source, source_key) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)"
                     " ON CONFLICT (source_key) DO UPDATE SET source = ?7",
    [Q_EVENT_PUT] = "INSERT INTO events (person, kind, status, start, \"end\", all_day, source,"
                    " source_kind, source_key, attrs, utc_offset)"
                    " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)"
                    " ON CONFLICT (person, source_kind, source_key) DO UPDATE SET"
                    " kind=?2, status=?3, start=?4, \"end\"=?5, all_day=?6, source=?7,"
                    " attrs=?10, utc_offset=?11 WHERE kind IS NOT ?2 OR status IS NOT ?3 OR"
                    " start <> ?4 OR \"end\" <> ?5 OR all_day <> ?6 OR attrs IS NOT ?10 OR"
                    " source IS NOT ?7 OR utc_offset IS NOT ?11",
    [Q_EVENT_SPAN] = "SELECT coalesce(min(start),0), coalesce(max(\"end\"),0) FROM events",
    [Q_PLAN_ADD] = "INSERT INTO plans (kind, team, created_at, start, \"end\", attrs)"
                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [Q_PLAN_ASSIGN] = "INSERT INTO plan_assignments (plan, person, role, start, \"end\")"
                      " VALUES (?1, ?2, ?3, ?4, ?5)",
    [Q_PLAN_COUNT] = "SELECT count(*) FROM plans WHERE kind = ?1 AND team IS ?2",
};

typedef struct sq_store {
    waras_store base;
    sqlite3 *db;
    char *path;
    int in_tx;
    int bulk;                /* in a bulk transaction: foreign keys are off */
    int64_t known_src;       /* a source checked in this bulk transaction, or 0 */
    waras_store_known known; /* people checked in this bulk transaction */
    sqlite3_stmt *stmts[Q_COUNT_];
    /* PUT_MANY events to a statement, by [add][same]: add, a plain insert
     * (else an upsert); same, the five values that a file's events share
     * bound once (else all eleven per event). */
    sqlite3_stmt *many[2][2];
    int conflicted; /* a bulk insert met an existing event */
} sq_store;

/* The SQLite store behind a store of the neutral layer (its first member). */
#define SQ(st) ((sq_store *)(void *)(st))

/* Events per statement in waras_store_events_put: fewer statements cost
 * less per event (about a sixth less at 64), and 64 rows of 11 values stay
 * far below SQLite's limit on parameters. */
#define PUT_MANY 64

/* The page size of a new store: larger pages than SQLite's 4,096 bytes
 * mean fewer pages to write, journal and split when events go in by the
 * thousand. */
#define PAGE_SIZE "16384"

/* Migration N brings the schema from version N to N+1. Never edit a
 * released migration: append a new one. */
static const char *const migrations[] = {
    /* 0 -> 1: the first schema */
    "CREATE TABLE people ("
    "  id TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '', email TEXT NOT NULL DEFAULT '',"
    "  team TEXT NOT NULL DEFAULT '', timezone TEXT NOT NULL, site TEXT NOT NULL DEFAULT '',"
    "  work_days INTEGER NOT NULL DEFAULT 31, work_start INTEGER NOT NULL DEFAULT 480,"
    "  work_end INTEGER NOT NULL DEFAULT 1080);"
    "CREATE TABLE identities ("
    "  person TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL, value TEXT NOT NULL COLLATE NOCASE,"
    "  PRIMARY KEY (kind, value));"
    "CREATE TABLE sources ("
    "  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL,"
    "  ingested_at INTEGER NOT NULL, rows INTEGER NOT NULL DEFAULT 0,"
    "  skipped INTEGER NOT NULL DEFAULT 0, UNIQUE (kind, sha256));"
    "CREATE TABLE events ("
    "  id INTEGER PRIMARY KEY, person TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL, status TEXT, start INTEGER NOT NULL, \"end\" INTEGER NOT NULL,"
    "  all_day INTEGER NOT NULL DEFAULT 0, source INTEGER REFERENCES sources(id),"
    "  source_kind TEXT NOT NULL, source_key TEXT NOT NULL, attrs TEXT,"
    "  UNIQUE (person, source_kind, source_key));"
    "CREATE INDEX events_person_start ON events (person, start);"
    "CREATE INDEX events_source ON events (source);"
    "CREATE TABLE survey_responses ("
    "  id INTEGER PRIMARY KEY, team TEXT NOT NULL, person TEXT REFERENCES people(id),"
    "  taken_on TEXT NOT NULL, instrument TEXT NOT NULL, scores TEXT, answers TEXT,"
    "  source INTEGER REFERENCES sources(id), source_key TEXT NOT NULL UNIQUE);"
    "CREATE TABLE plans ("
    "  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, team TEXT, created_at INTEGER NOT NULL,"
    "  start INTEGER, \"end\" INTEGER, attrs TEXT);"
    "CREATE TABLE plan_assignments ("
    "  plan INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,"
    "  person TEXT NOT NULL REFERENCES people(id), role TEXT NOT NULL,"
    "  start INTEGER NOT NULL, \"end\" INTEGER NOT NULL);",
    /* 1 -> 2: the UTC offset an outside system recorded with an instant (a
     * commit's author offset), in seconds east of UTC. */
    "ALTER TABLE events ADD COLUMN utc_offset INTEGER;",
    /* 2 -> 3: accounts of the service (src/lib/auth/accounts.c) */
    WARAS_ACCOUNTS_SCHEMA,
    /* 3 -> 4: the unique key of an event leads with its source kind and key,
     * so that a file's or a repository's events, written in key order, go to
     * the end of the index instead of to one place per person; and the index
     * on the source goes: only superseding a changed file reads events by
     * source, and it scans instead (see waras_store_source_supersede). */
    "CREATE TABLE events_v4 ("
    "  id INTEGER PRIMARY KEY, person TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL, status TEXT, start INTEGER NOT NULL, \"end\" INTEGER NOT NULL,"
    "  all_day INTEGER NOT NULL DEFAULT 0, source INTEGER REFERENCES sources(id),"
    "  source_kind TEXT NOT NULL, source_key TEXT NOT NULL, attrs TEXT, utc_offset INTEGER,"
    "  UNIQUE (source_kind, source_key, person));"
    "INSERT INTO events_v4 SELECT id, person, kind, status, start, \"end\", all_day, source,"
    "  source_kind, source_key, attrs, utc_offset FROM events;"
    "DROP TABLE events;"
    "ALTER TABLE events_v4 RENAME TO events;"
    "CREATE INDEX events_person_start ON events (person, start);",
    /* 4 -> 5: calendar subscriptions, one secret per user (src/lib/auth/calendar.c) */
    "CREATE TABLE calendar_tokens ("
    "  user INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,"
    "  token_hash TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL);",
    /* 5 -> 6: survey rounds opened in the service (src/lib/survey/rounds.c) */
    WARAS_SURVEY_ROUNDS_SCHEMA,
    /* 6 -> 7: PostgreSQL's index for a source's events; here the unique
     * key, which leads with the source kind, is that index already. */
    "SELECT 1;",
};

#define SCHEMA_VERSION ((int)(sizeof(migrations) / sizeof(migrations[0])))

static int db_error(waras_store *st, const char *what)
{
    int rc = waras_error_set(WARAS_ESTORE, SQ(st)->path, 0, NULL, "%s: %s", what,
                             sqlite3_errmsg(SQ(st)->db));
    waras_store__explain(SQ(st)->db, SQ(st)->path, what); /* safety hook: damage, disk full */
    return rc;
}

/* The cached statement id, prepared on first use, reset and with its
 * bindings cleared. */
static int stmt_use(waras_store *st, enum stmt_id id, sqlite3_stmt **out)
{
    sqlite3_stmt *s = SQ(st)->stmts[id];
    if (!s) {
        if (sqlite3_prepare_v3(SQ(st)->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) !=
            SQLITE_OK)
            return db_error(st, "cannot prepare statement");
        SQ(st)->stmts[id] = s;
    } else {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
    }
    *out = s;
    return 0;
}

/* Runs a cached statement that returns no rows, then resets it. */
static int stmt_done(waras_store *st, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s) == SQLITE_DONE ? 0 : db_error(st, what);
    sqlite3_reset(s);
    return rc;
}

/* Steps a cached query for its one row: 1 with a row (the caller reads it,
 * then resets), 0 without (reset here), or an error. */
static int stmt_row(waras_store *st, sqlite3_stmt *s, const char *what)
{
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW)
        return 1;
    sqlite3_reset(s);
    return step == SQLITE_DONE ? 0 : db_error(st, what);
}

static int exec(waras_store *st, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(SQ(st)->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int rc = waras_error_set(WARAS_ESTORE, SQ(st)->path, 0, NULL, "%s", msg ? msg : "error");
        waras_store__explain(SQ(st)->db, SQ(st)->path, "cannot update the store"); /* safety hook */
        sqlite3_free(msg);
        return rc;
    }
    return 0;
}

static int sq_schema_version(waras_store *st)
{
    sqlite3_stmt *s;
    int v = -1;
    if (sqlite3_prepare_v2(SQ(st)->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return v;
}

static int migrate(waras_store *st)
{
    int v = sq_schema_version(st);
    if (v < 0)
        return db_error(st, "cannot read schema version");
    /* safety hook: a newer schema is an error; an older one is backed up first */
    int rc = waras_store__version_check(SQ(st)->db, SQ(st)->path, v, SCHEMA_VERSION, 1);
    if (rc)
        return rc;
    if (v > SCHEMA_VERSION)
        return waras_error_set(WARAS_ESTORE, SQ(st)->path, 0, NULL,
                               "store has schema version %d; this waras knows up to %d", v,
                               SCHEMA_VERSION);
    if (v == SCHEMA_VERSION)
        return 0;
    if ((rc = exec(st, "BEGIN IMMEDIATE")))
        return rc;
    for (; v < SCHEMA_VERSION; v++) {
        if ((rc = exec(st, migrations[v])))
            goto fail;
        char pragma[64];
        snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v + 1);
        if ((rc = exec(st, pragma)))
            goto fail;
    }
    return exec(st, "COMMIT");
fail:
    exec(st, "ROLLBACK");
    return rc;
}

static const store_ops sq_ops;
static void sq_close(waras_store *st);
static void sq_rollback(waras_store *st);

int waras_store__sqlite_open(waras_store **out, const char *path, int flags)
{
    int rc = 0;
    struct stat sb;
    waras_store *st = NULL;
    /* safety hook: a -wal without its store */
    if ((rc = waras_store__file_check(path, WARAS_SAFETY_STORE)))
        return rc;
    if (!(flags & WARAS_STORE_CREATE) && stat(path, &sb) != 0)
        return waras_error_set(WARAS_ENOTFOUND, path, 0, NULL,
                               "no store here; create it with 'waras init' or "
                               "'waras people import FILE'");
    st = calloc(1, sizeof(sq_store));
    if (st) {
        st->ops = &sq_ops;
        st->where = SQ(st)->path = waras_strdup(path);
    }
    if (!st || !SQ(st)->path) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    int oflags = (flags & WARAS_STORE_READONLY) ? SQLITE_OPEN_READONLY
                                                : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &SQ(st)->db, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        rc = db_error(st, "cannot open store");
        goto cleanup;
    }
    sqlite3_busy_timeout(SQ(st)->db, 5000);
    /* safety hook: a damaged header, a newer schema or another
     * application's database is refused before anything is written */
    if ((rc = waras_store__header_check(SQ(st)->db, path, WARAS_SAFETY_STORE)) ||
        (rc = waras_store__version_check(SQ(st)->db, path, sq_schema_version(st), SCHEMA_VERSION,
                                         0)))
        goto cleanup;
    if ((rc = exec(st, "PRAGMA foreign_keys = ON")))
        goto cleanup;
    if (!(flags & WARAS_STORE_READONLY)) {
        /* A new file gets pages of PAGE_SIZE bytes (set before anything
         * is written; an existing file keeps its own). */
        if (sq_schema_version(st) == 0 && (rc = exec(st, "PRAGMA page_size = " PAGE_SIZE)))
            goto cleanup;
        /* A large page cache keeps one file's transaction from spilling
         * pages to the WAL before it commits. */
        if ((rc = exec(st, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                           " PRAGMA cache_size = -131072; PRAGMA temp_store = MEMORY")))
            goto cleanup;
        if ((rc = migrate(st)))
            goto cleanup;
    } else if (sq_schema_version(st) != SCHEMA_VERSION) {
        rc = waras_error_set(WARAS_ESTORE, path, 0, NULL,
                             "store schema is not current; open it once read-write to upgrade");
        goto cleanup;
    }
    *out = st;
    st = NULL;
cleanup:
    if (st)
        sq_close(st);
    return rc;
}

static void sq_close(waras_store *st)
{
    if (SQ(st)->in_tx)
        sq_rollback(st);
    for (int i = 0; i < Q_COUNT_; i++)
        sqlite3_finalize(SQ(st)->stmts[i]);
    for (int i = 0; i < 4; i++)
        sqlite3_finalize(SQ(st)->many[i / 2][i % 2]);
    waras_store__known_clear(&SQ(st)->known);
    sqlite3_close(SQ(st)->db);
    free(SQ(st)->path);
    free(st);
}

static int begin_plain(waras_store *st)
{
    int rc = exec(st, "BEGIN IMMEDIATE");
    if (!rc)
        SQ(st)->in_tx = 1;
    return rc;
}

/* Foreign keys can only be switched outside a transaction. */
static void bulk_end(waras_store *st)
{
    if (!SQ(st)->bulk)
        return;
    SQ(st)->bulk = 0;
    SQ(st)->conflicted = 0;
    SQ(st)->known_src = 0;
    waras_store__known_clear(&SQ(st)->known);
    sqlite3_exec(SQ(st)->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
}

/* A bulk transaction (waras_store_begin_bulk) runs with foreign keys off. */
static int sq_begin(waras_store *st, int bulk)
{
    if (!bulk)
        return begin_plain(st);
    int rc = exec(st, "PRAGMA foreign_keys = OFF");
    if (rc)
        return rc;
    SQ(st)->bulk = 1;
    if ((rc = begin_plain(st)))
        bulk_end(st);
    return rc;
}

static int sq_commit(waras_store *st)
{
    int rc = exec(st, "COMMIT");
    if (!rc) {
        SQ(st)->in_tx = 0;
        bulk_end(st);
    }
    return rc;
}

static void sq_rollback(waras_store *st)
{
    if (sqlite3_get_autocommit(SQ(st)->db) == 0)
        sqlite3_exec(SQ(st)->db, "ROLLBACK", NULL, NULL, NULL);
    SQ(st)->in_tx = 0;
    bulk_end(st);
}

static int prepare(waras_store *st, sqlite3_stmt **s, const char *sql)
{
    if (sqlite3_prepare_v2(SQ(st)->db, sql, -1, s, NULL) != SQLITE_OK)
        return db_error(st, "cannot prepare statement");
    return 0;
}

/* Text bound without a copy: every caller's string outlives the step. */
static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

static void col_copy(sqlite3_stmt *s, int i, char *dst, size_t size)
{
    const unsigned char *v = sqlite3_column_text(s, i);
    waras_strlcpy(dst, v ? (const char *)v : "", size);
}

#define T WARAS_SQL_T
#define I WARAS_SQL_I
#define ARGS WARAS_SQL_ARGS

static void bind_vals(sqlite3_stmt *s, const waras_store_val *v, int n)
{
    for (int i = 0; i < n; i++) {
        if (v[i].is_num)
            sqlite3_bind_int64(s, i + 1, v[i].num);
        else
            bind_text(s, i + 1, v[i].text);
    }
}

/* The cached statement id with the n values bound. */
static int stmt_bind(sqlite3_stmt **out, waras_store *st, enum stmt_id id, const waras_store_val *v,
                     int n)
{
    int rc = stmt_use(st, id, out);
    if (!rc)
        bind_vals(*out, v, n);
    return rc;
}

/* Runs the cached statement id, which returns no rows, with n values. */
static int stmt_exec(waras_store *st, enum stmt_id id, const char *what, const waras_store_val *v,
                     int n)
{
    sqlite3_stmt *s;
    int rc = stmt_bind(&s, st, id, v, n);
    return rc ? rc : stmt_done(st, s, what);
}

/* The cached query id with n values, stepped as stmt_row does. */
static int stmt_get(sqlite3_stmt **out, waras_store *st, enum stmt_id id, const char *what,
                    const waras_store_val *v, int n)
{
    int rc = stmt_bind(out, st, id, v, n);
    return rc ? rc : stmt_row(st, *out, what);
}

/* Prepares sql and binds the n values; *out is NULL after an error. */
static int prepare_bound(sqlite3_stmt **out, waras_store *st, const char *sql,
                         const waras_store_val *v, int n)
{
    int rc = prepare(st, out, sql);
    if (rc) {
        *out = NULL;
        return rc;
    }
    bind_vals(*out, v, n);
    return 0;
}

/* A failed step's error: a broken unique or primary key is WARAS_EEXISTS. */
static int step_error(waras_store *st, const char *what)
{
    int ext = sqlite3_extended_errcode(SQ(st)->db);
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
        return waras_error_set(WARAS_EEXISTS, SQ(st)->path, 0, NULL, "%s: %s", what,
                               sqlite3_errmsg(SQ(st)->db));
    return db_error(st, what);
}

static int sq_exec(int *changes, waras_store *st, const char *sql, const char *what,
                   const waras_store_val *v, int n)
{
    sqlite3_stmt *s;
    int rc = prepare_bound(&s, st, sql, v, n);
    if (rc)
        return rc;
    rc = sqlite3_step(s) == SQLITE_DONE ? 0 : step_error(st, what);
    sqlite3_finalize(s);
    if (!rc && changes)
        *changes = sqlite3_changes(SQ(st)->db);
    return rc;
}

static int sq_insert(int64_t *id, waras_store *st, const char *sql, const char *what,
                     const waras_store_val *v, int n)
{
    int rc = sq_exec(NULL, st, sql, what, v, n);
    if (!rc)
        *id = sqlite3_last_insert_rowid(SQ(st)->db);
    return rc;
}

static int sq_each(waras_store *st, const char *sql, const char *what, const waras_store_val *v,
                   int n, waras_store_row_cb row, void *ctx)
{
    sqlite3_stmt *s;
    int rc = prepare_bound(&s, st, sql, v, n);
    if (rc)
        return rc;
    waras_store_row r = {.sq = s};
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW)
        if ((rc = row(ctx, &r)) != 0)
            break;
    if (!rc && step != SQLITE_DONE)
        rc = db_error(st, what);
    sqlite3_finalize(s);
    return rc;
}

static int sq_script(waras_store *st, const char *sql, const char *what)
{
    char *msg = NULL;
    if (sqlite3_exec(SQ(st)->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int rc = what ? waras_error_set(WARAS_ESTORE, SQ(st)->path, 0, NULL, "%s: %s", what,
                                        msg ? msg : "error")
                      : WARAS_ESTORE;
        sqlite3_free(msg);
        return rc;
    }
    return 0;
}

/* The data version of this connection: it changes when another
 * connection commits (PRAGMA data_version). */
static int sq_data_version(int64_t *out, waras_store *st)
{
    sqlite3_stmt *s;
    int rc = prepare(st, &s, "PRAGMA data_version");
    if (rc)
        return rc;
    if (sqlite3_step(s) == SQLITE_ROW)
        *out = sqlite3_column_int64(s, 0);
    else
        rc = db_error(st, "cannot read the data version");
    sqlite3_finalize(s);
    return rc;
}

/* In a bulk transaction, where SQLite does not check foreign keys, the
 * person an event or identity refers to must exist: checked once per
 * person, with the message SQLite would give. */
static int check_person(waras_store *st, const char *id, const char *what)
{
    sqlite3_stmt *s;
    int rc;
    if (!SQ(st)->bulk || !id || waras_store__known_has(&SQ(st)->known, id))
        return 0;
    if ((rc = stmt_get(&s, st, Q_PERSON_EXISTS, what, ARGS(T(id)))) < 0)
        return rc;
    sqlite3_reset(s);
    if (!rc)
        return waras_error_set(WARAS_ESTORE, SQ(st)->path, 0, NULL,
                               "%s: FOREIGN KEY constraint failed (no person '%s')", what, id);
    return waras_store__known_add(&SQ(st)->known, id);
}

static int check_source(waras_store *st, int64_t id, const char *what)
{
    sqlite3_stmt *s;
    int rc;
    if (!SQ(st)->bulk || !id || id == SQ(st)->known_src)
        return 0;
    if ((rc = stmt_get(&s, st, Q_SOURCE_EXISTS, what, ARGS(I(id)))) < 0)
        return rc;
    sqlite3_reset(s);
    if (!rc)
        return waras_error_set(WARAS_ESTORE, SQ(st)->path, 0, NULL,
                               "%s: FOREIGN KEY constraint failed (no source %lld)", what,
                               (long long)id);
    SQ(st)->known_src = id;
    return 0;
}

static int sq_person_put(waras_store *st, const waras_person *p)
{
    return stmt_exec(st, Q_PERSON_PUT, "cannot store person",
                     ARGS(T(p->id), T(p->name), T(p->email), T(p->team), T(p->timezone), T(p->site),
                          I(p->work_days), I(p->work_start), I(p->work_end)));
}

static void person_from_row(sqlite3_stmt *s, waras_person *p)
{
    memset(p, 0, sizeof(*p));
    col_copy(s, 0, p->id, sizeof(p->id));
    col_copy(s, 1, p->name, sizeof(p->name));
    col_copy(s, 2, p->email, sizeof(p->email));
    col_copy(s, 3, p->team, sizeof(p->team));
    col_copy(s, 4, p->timezone, sizeof(p->timezone));
    col_copy(s, 5, p->site, sizeof(p->site));
    p->work_days = (unsigned)sqlite3_column_int(s, 6);
    p->work_start = sqlite3_column_int(s, 7);
    p->work_end = sqlite3_column_int(s, 8);
}

static int sq_person_get(waras_person *out, waras_store *st, const char *id)
{
    sqlite3_stmt *s;
    int rc = stmt_get(&s, st, Q_PERSON_GET, "cannot read person", ARGS(T(id)));
    if (rc < 0)
        return rc;
    if (!rc)
        return waras_error_msg(WARAS_ENOTFOUND, "unknown person '%s'", id);
    person_from_row(s, out);
    sqlite3_reset(s);
    return 0;
}

static void person_fill(void *p, const waras_store_row *r)
{
    person_from_row(r->sq, p);
}

static int sq_people_list(waras_person **out, size_t *n, waras_store *st)
{
    waras_store_rowlist l = {.elem = sizeof(waras_person), .fill = person_fill};
    return waras_store__list_done(
        out, n, &l,
        sq_each(st, "SELECT " PERSON_COLUMNS " FROM people ORDER BY team, id", "cannot list people",
                NULL, 0, waras_store__list_row, &l));
}

static int sq_identity_put(waras_store *st, const char *person, const char *kind, const char *value)
{
    int rc = check_person(st, person, "cannot store identity");
    return rc ? rc
              : stmt_exec(st, Q_IDENTITY_PUT, "cannot store identity",
                          ARGS(T(person), T(kind), T(value)));
}

static int sq_identity_find(char *person, size_t size, waras_store *st, const char *kind,
                            const char *value)
{
    sqlite3_stmt *s;
    int rc = stmt_get(&s, st, Q_IDENTITY_FIND, "cannot read identity", ARGS(T(kind), T(value)));
    if (rc < 0)
        return rc;
    if (!rc)
        return WARAS_ENOTFOUND; /* a normal outcome: no message */
    col_copy(s, 0, person, size);
    sqlite3_reset(s);
    return 0;
}

static int sq_source_seen(int *seen, waras_store *st, const char *kind, const char *sha256)
{
    sqlite3_stmt *s;
    int rc = stmt_get(&s, st, Q_SOURCE_SEEN, "cannot read sources", ARGS(T(kind), T(sha256)));
    if (rc < 0)
        return rc;
    *seen = rc;
    sqlite3_reset(s);
    return 0;
}

static int sq_source_add(int64_t *id, waras_store *st, const char *kind, const char *path,
                         const char *sha256)
{
    int rc = stmt_exec(st, Q_SOURCE_ADD, "cannot record source",
                       ARGS(T(kind), T(path), T(sha256), I(waras_clock_now())));
    if (rc == 0)
        *id = sqlite3_last_insert_rowid(SQ(st)->db);
    return rc;
}

static int sq_source_finish(waras_store *st, int64_t id, long rows, long skipped)
{
    return stmt_exec(st, Q_SOURCE_FINISH, "cannot update source", ARGS(I(id), I(rows), I(skipped)));
}

/* Deletes, through the cached statement id, the rows of the earlier
 * sources of a kind and path, adding how many to *removed. */
static int supersede_one(waras_store *st, enum stmt_id id, int64_t source, const char *kind,
                         const char *path, long *removed, const char *what)
{
    int rc = stmt_exec(st, id, what, ARGS(I(source), T(kind), T(path)));
    if (rc == 0 && removed)
        *removed += sqlite3_changes(SQ(st)->db);
    return rc;
}

/* Events have no index on their source (nothing else reads them by it):
 * when a file has an earlier version, its events are found by a scan. Most
 * files have none, and then nothing is scanned. */
static int sq_source_supersede(long *removed, waras_store *st, int64_t id, const char *kind,
                               const char *path)
{
    sqlite3_stmt *s;
    int rc;
    if (removed)
        *removed = 0;
    if ((rc = stmt_get(&s, st, Q_SOURCE_EARLIER, "cannot read sources",
                       ARGS(I(id), T(kind), T(path)))) <= 0)
        return rc;
    sqlite3_reset(s);
    if ((rc = supersede_one(st, Q_SUPERSEDE_EVENTS, id, kind, path, removed,
                            "cannot remove superseded events")))
        return rc;
    return supersede_one(st, Q_SUPERSEDE_RESPONSES, id, kind, path, removed,
                         "cannot remove superseded responses");
}

static int sq_survey_put(waras_store *st, const char *team, const char *person,
                         const char *taken_on, const char *instrument, const char *scores,
                         const char *answers, int64_t source, const char *key)
{
    int rc = check_person(st, person, "cannot store survey response");
    if (rc || (rc = check_source(st, source, "cannot store survey response")))
        return rc;
    return stmt_exec(st, Q_SURVEY_PUT, "cannot store survey response",
                     ARGS(T(team), T(person), T(taken_on), T(instrument), T(scores), T(answers),
                          I(source), T(key)));
}

static int sq_survey_each(waras_store *st, const char *team, const char *from, const char *to,
                          waras_store_survey_cb cb, void *ctx)
{
    waras_store_walk w = {.survey = cb, .ctx = ctx};
    return sq_each(st,
                   "SELECT team, person, taken_on, instrument, scores FROM survey_responses"
                   " WHERE (?1 IS NULL OR team = ?1) AND taken_on >= ?2 AND taken_on <= ?3"
                   " ORDER BY taken_on, id",
                   "cannot read survey responses", ARGS(T(team), T(from), T(to)),
                   waras_store__survey_row, &w);
}

/* Binds one event's 11 values from parameter first on: every one, NULL
 * where absent, so that a statement's old bindings need no clearing. */
static void bind_event(sqlite3_stmt *s, int first, const waras_event *ev)
{
    bind_text(s, first, ev->person);
    bind_text(s, first + 1, ev->kind);
    bind_text(s, first + 2, ev->status);
    sqlite3_bind_int64(s, first + 3, ev->start);
    sqlite3_bind_int64(s, first + 4, ev->end);
    sqlite3_bind_int(s, first + 5, ev->all_day);
    if (ev->source)
        sqlite3_bind_int64(s, first + 6, ev->source);
    else
        sqlite3_bind_null(s, first + 6);
    bind_text(s, first + 7, ev->source_kind);
    bind_text(s, first + 8, ev->source_key);
    bind_text(s, first + 9, ev->attrs);
    if (ev->has_utc_offset)
        sqlite3_bind_int(s, first + 10, ev->utc_offset);
    else
        sqlite3_bind_null(s, first + 10);
}

/* The values events share in a statement that binds them once: kind,
 * status, all_day, source and source kind are ?1 to ?5; event k's own
 * person, start, end, key, attrs and offset follow from SAME_FIRST + 6k. */
#define SAME_FIRST 6

static int same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* Whether n events share the values that SAME_FIRST statements bind once. */
static int events_same(const waras_event *ev, size_t n)
{
    for (size_t k = 1; k < n; k++)
        if (!same_text(ev[k].kind, ev[0].kind) || !same_text(ev[k].status, ev[0].status) ||
            ev[k].all_day != ev[0].all_day || ev[k].source != ev[0].source ||
            !same_text(ev[k].source_kind, ev[0].source_kind))
            return 0;
    return 1;
}

static void bind_same(sqlite3_stmt *s, const waras_event *ev, size_t n)
{
    bind_text(s, 1, ev[0].kind);
    bind_text(s, 2, ev[0].status);
    sqlite3_bind_int(s, 3, ev[0].all_day);
    if (ev[0].source)
        sqlite3_bind_int64(s, 4, ev[0].source);
    else
        sqlite3_bind_null(s, 4);
    bind_text(s, 5, ev[0].source_kind);
    for (size_t k = 0; k < n; k++) {
        int p = SAME_FIRST + 6 * (int)k;
        bind_text(s, p, ev[k].person);
        sqlite3_bind_int64(s, p + 1, ev[k].start);
        sqlite3_bind_int64(s, p + 2, ev[k].end);
        bind_text(s, p + 3, ev[k].source_key);
        bind_text(s, p + 4, ev[k].attrs);
        if (ev[k].has_utc_offset)
            sqlite3_bind_int(s, p + 5, ev[k].utc_offset);
        else
            sqlite3_bind_null(s, p + 5);
    }
}

static int sq_event_put(int *changed, waras_store *st, const waras_event *ev)
{
    sqlite3_stmt *s;
    int rc = check_person(st, ev->person, "cannot store event");
    if (rc || (rc = check_source(st, ev->source, "cannot store event")) ||
        (rc = stmt_use(st, Q_EVENT_PUT, &s)))
        return rc;
    bind_event(s, 1, ev);
    if ((rc = stmt_done(st, s, "cannot store event")) == 0 && changed)
        *changed = sqlite3_changes(SQ(st)->db) > 0;
    return rc;
}

/* The statement that stores PUT_MANY events, prepared on first use: the
 * same upsert as Q_EVENT_PUT with the new values taken from "excluded", or
 * (add) a plain INSERT OR FAIL; with every value its own parameter, or
 * (same) the shared ones bound once. It is reset, not cleared: its binders
 * set every parameter. */
static int many_stmt(waras_store *st, int add, int same, sqlite3_stmt **out)
{
    sqlite3_stmt **slot = &SQ(st)->many[add][same];
    if (!*slot) {
        waras_buf b;
        int rc;
        waras_buf_init(&b, (size_t)1 << 20);
        rc = waras_buf_printf(&b,
                              "INSERT%s INTO events (person, kind, status, start, \"end\","
                              " all_day, source, source_kind, source_key, attrs, utc_offset)"
                              " VALUES ",
                              add ? " OR FAIL" : "");
        for (int i = 0; i < PUT_MANY && !rc; i++) {
            int p = SAME_FIRST + 6 * i;
            if (same)
                rc = waras_buf_printf(&b, "%s(?%d,?1,?2,?%d,?%d,?3,?4,?5,?%d,?%d,?%d)",
                                      i ? "," : "", p, p + 1, p + 2, p + 3, p + 4, p + 5);
            else
                rc = waras_buf_printf(&b, "%s(?,?,?,?,?,?,?,?,?,?,?)", i ? "," : "");
        }
        if (!rc && !add)
            rc = waras_buf_printf(
                &b, " ON CONFLICT (person, source_kind, source_key) DO UPDATE SET"
                    " kind=excluded.kind, status=excluded.status, start=excluded.start,"
                    " \"end\"=excluded.\"end\", all_day=excluded.all_day,"
                    " source=excluded.source, attrs=excluded.attrs,"
                    " utc_offset=excluded.utc_offset"
                    " WHERE kind IS NOT excluded.kind OR status IS NOT excluded.status OR"
                    " start <> excluded.start OR \"end\" <> excluded.\"end\" OR"
                    " all_day <> excluded.all_day OR attrs IS NOT excluded.attrs OR"
                    " source IS NOT excluded.source OR utc_offset IS NOT excluded.utc_offset");
        if (!rc && sqlite3_prepare_v3(SQ(st)->db, b.ptr, -1, SQLITE_PREPARE_PERSISTENT, slot,
                                      NULL) != SQLITE_OK)
            rc = db_error(st, "cannot prepare statement");
        waras_buf_free(&b);
        if (rc)
            return rc;
    } else {
        sqlite3_reset(*slot);
    }
    *out = *slot;
    return 0;
}

/* In a bulk transaction events go in first with a plain INSERT OR FAIL,
 * which SQLite runs without a statement journal (an upsert, which may
 * abort halfway, copies every page it first touches to one): about a tenth
 * of a new file's cost. A row that meets an existing event (the same file
 * changed, or another file with the same keys) stops that statement where
 * it is, with the rows before it stored; from that row on, and for the rest
 * of the transaction, events go through the upsert. */
static int sq_events_put(long *changed, waras_store *st, const waras_event *ev, size_t n)
{
    long total = 0;
    size_t i = 0;
    int rc = 0;
    for (size_t k = 0; k < n && !rc; k++)
        if (!(rc = check_person(st, ev[k].person, "cannot store event")))
            rc = check_source(st, ev[k].source, "cannot store event");
    while (!rc && i + PUT_MANY <= n) {
        sqlite3_stmt *s;
        int add = SQ(st)->bulk && !SQ(st)->conflicted, same = events_same(&ev[i], PUT_MANY);
        if ((rc = many_stmt(st, add, same, &s)))
            break;
        if (same)
            bind_same(s, &ev[i], PUT_MANY);
        else
            for (int k = 0; k < PUT_MANY; k++)
                bind_event(s, 1 + 11 * k, &ev[i + (size_t)k]);
        int step = sqlite3_step(s);
        if (step == SQLITE_DONE) {
            total += sqlite3_changes(SQ(st)->db);
            i += PUT_MANY;
        } else if (add && sqlite3_extended_errcode(SQ(st)->db) == SQLITE_CONSTRAINT_UNIQUE) {
            int stored = sqlite3_changes(SQ(st)->db); /* the rows before the conflict */
            total += stored;
            i += (size_t)stored;
            SQ(st)->conflicted = 1;
        } else {
            rc = db_error(st, "cannot store events");
        }
        sqlite3_reset(s);
    }
    for (; !rc && i < n; i++) {
        int one = 0;
        if ((rc = sq_event_put(&one, st, &ev[i])) == 0)
            total += one;
    }
    if (!rc && changed)
        *changed = total;
    return rc;
}

static int sq_events_each(waras_store *st, const char *person, const char *kinds,
                          waras_instant from, waras_instant to, waras_event_cb cb, void *ctx)
{
    waras_store_walk w = {.event = cb, .ctx = ctx, .kinds = kinds};
    /* Two statements, so that a person's query uses the (person, start)
     * index instead of scanning every event. */
    return sq_each(st,
                   person ? "SELECT person, kind, status, start, \"end\", all_day, source,"
                            " source_kind, source_key, attrs, utc_offset FROM events"
                            " WHERE person = ?1 AND start < ?3 AND"
                            " (\"end\" > ?2 OR (\"end\" = start AND start >= ?2))"
                            " ORDER BY start, \"end\""
                          : "SELECT person, kind, status, start, \"end\", all_day, source,"
                            " source_kind, source_key, attrs, utc_offset FROM events"
                            " WHERE start < ?3 AND"
                            " (\"end\" > ?2 OR (\"end\" = start AND start >= ?2))"
                            " ORDER BY person, start, \"end\"",
                   "cannot read events", ARGS(T(person), I(from), I(to)), waras_store__event_row,
                   &w);
}

static int sq_source_events_each(waras_store *st, const char *source_kind, waras_event_cb cb,
                                 void *ctx)
{
    waras_store_walk w = {.event = cb, .ctx = ctx};
    return sq_each(st,
                   "SELECT person, kind, status, start, \"end\", all_day, source,"
                   " source_kind, source_key, attrs, utc_offset FROM events"
                   " WHERE source_kind = ?1 ORDER BY person, start, \"end\"",
                   "cannot read events", ARGS(T(source_kind)), waras_store__event_row, &w);
}

/* The table is one of waras_store_count's (checked there). */
static int sq_count(long *out, waras_store *st, const char *table)
{
    char sql[96];
    sqlite3_stmt *s;
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
    int rc = prepare(st, &s, sql);
    if (rc)
        return rc;
    if (sqlite3_step(s) == SQLITE_ROW)
        *out = (long)sqlite3_column_int64(s, 0);
    else
        rc = db_error(st, "cannot count");
    sqlite3_finalize(s);
    return rc;
}

static int sq_event_span(waras_instant *first, waras_instant *last, waras_store *st)
{
    sqlite3_stmt *s;
    int rc = stmt_use(st, Q_EVENT_SPAN, &s);
    if (rc)
        return rc;
    if ((rc = stmt_row(st, s, "cannot read events")) < 0)
        return rc;
    if (!rc)
        return db_error(st, "cannot read events");
    *first = sqlite3_column_int64(s, 0);
    *last = sqlite3_column_int64(s, 1);
    sqlite3_reset(s);
    return 0;
}

static int sq_plan_add(int64_t *id, waras_store *st, const char *kind, const char *team,
                       waras_instant start, waras_instant end, const char *attrs)
{
    int rc = stmt_exec(st, Q_PLAN_ADD, "cannot record plan",
                       ARGS(T(kind), T(team), I(waras_clock_now()), I(start), I(end), T(attrs)));
    if (rc == 0)
        *id = sqlite3_last_insert_rowid(SQ(st)->db);
    return rc;
}

static int sq_plan_assign(waras_store *st, int64_t plan, const char *person, const char *role,
                          waras_instant start, waras_instant end)
{
    int rc = check_person(st, person, "cannot record plan assignment");
    return rc ? rc
              : stmt_exec(st, Q_PLAN_ASSIGN, "cannot record plan assignment",
                          ARGS(I(plan), T(person), T(role), I(start), I(end)));
}

static int sq_plan_count(long *out, waras_store *st, const char *kind, const char *team)
{
    sqlite3_stmt *s;
    int rc = stmt_get(&s, st, Q_PLAN_COUNT, "cannot count plans", ARGS(T(kind), T(team)));
    if (rc < 0)
        return rc;
    if (!rc)
        return db_error(st, "cannot count plans");
    *out = (long)sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return 0;
}

static int sq_plan_assignments_each(waras_store *st, const char *kind, const char *team,
                                    waras_instant from, waras_instant to,
                                    waras_plan_assignment_cb cb, void *ctx)
{
    waras_store_walk w = {.plan = cb, .ctx = ctx};
    return sq_each(st,
                   "SELECT p.id, p.kind, p.team, a.person, a.role, a.start, a.\"end\","
                   " p.start, p.\"end\" FROM plan_assignments a JOIN plans p ON p.id = a.plan"
                   " WHERE p.kind = ?1 AND (?2 IS NULL OR p.team = ?2)"
                   " AND a.start < ?4 AND a.\"end\" > ?3"
                   " ORDER BY p.id DESC, a.start, a.person",
                   "cannot read plan assignments", ARGS(T(kind), T(team), I(from), I(to)),
                   waras_store__plan_row, &w);
}

static const store_ops sq_ops = {
    .close = sq_close,
    .schema_version = sq_schema_version,
    .data_version = sq_data_version,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .person_put = sq_person_put,
    .person_get = sq_person_get,
    .people_list = sq_people_list,
    .identity_put = sq_identity_put,
    .identity_find = sq_identity_find,
    .source_seen = sq_source_seen,
    .source_add = sq_source_add,
    .source_finish = sq_source_finish,
    .source_supersede = sq_source_supersede,
    .event_put = sq_event_put,
    .events_put = sq_events_put,
    .events_each = sq_events_each,
    .source_events_each = sq_source_events_each,
    .plan_add = sq_plan_add,
    .plan_assign = sq_plan_assign,
    .plan_count = sq_plan_count,
    .count = sq_count,
    .event_span = sq_event_span,
    .plan_assignments_each = sq_plan_assignments_each,
    .survey_put = sq_survey_put,
    .survey_each = sq_survey_each,
    .exec = sq_exec,
    .insert = sq_insert,
    .each = sq_each,
    .script = sq_script,
};
