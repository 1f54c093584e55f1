/*
 * The SQLite backend of the store. The schema is created and upgraded by the
 * numbered migrations below (PRAGMA user_version records how far a file has
 * come); the file runs in WAL mode with foreign keys on. Statements are
 * prepared per call: ingest cost is dominated by parsing, not by SQL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "store/store_int.h"
#include "util/util.h"
#include "waras/error.h"
#include "waras/store.h"
#include "waras/time.h"

struct waras_store {
    sqlite3 *db;
    char *path;
    int in_tx;
    sqlite3_stmt *event_put;
    sqlite3_stmt *event_get;
};

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
    /* 3 -> 4: calendar subscriptions, one secret per user (src/lib/auth/calendar.c) */
    "CREATE TABLE calendar_tokens ("
    "  user INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,"
    "  token_hash TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL);",
};

#define SCHEMA_VERSION ((int)(sizeof(migrations) / sizeof(migrations[0])))

sqlite3 *waras_store__sqlite(waras_store *st) { return st->db; }

static int db_error(waras_store *st, const char *what)
{
    return waras_error_set(WARAS_ESTORE, st->path, 0, NULL, "%s: %s", what, sqlite3_errmsg(st->db));
}

/* Runs a statement that returns no rows, then finalizes it. */
static int step_done(waras_store *st, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s) == SQLITE_DONE ? 0 : db_error(st, what);
    sqlite3_finalize(s);
    return rc;
}

static int exec(waras_store *st, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int rc = waras_error_set(WARAS_ESTORE, st->path, 0, NULL, "%s", msg ? msg : "error");
        sqlite3_free(msg);
        return rc;
    }
    return 0;
}

int waras_store_schema_version(waras_store *st)
{
    sqlite3_stmt *s;
    int v = -1;
    if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return v;
}

static int migrate(waras_store *st)
{
    int v = waras_store_schema_version(st);
    if (v < 0)
        return db_error(st, "cannot read schema version");
    if (v > SCHEMA_VERSION)
        return waras_error_set(WARAS_ESTORE, st->path, 0, NULL,
                               "store has schema version %d; this waras knows up to %d", v,
                               SCHEMA_VERSION);
    if (v == SCHEMA_VERSION)
        return 0;
    int rc = exec(st, "BEGIN IMMEDIATE");
    if (rc)
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

int waras_store_open(waras_store **out, const char *path, int flags)
{
    int rc = 0;
    struct stat sb;
    waras_store *st = NULL;
    if (strncmp(path, "postgres://", 11) == 0 || strncmp(path, "postgresql://", 13) == 0)
        return waras_error_msg(WARAS_EINVAL,
                               "%s: the PostgreSQL backend is not available in this build yet; "
                               "use a SQLite file path",
                               path);
    if (!(flags & WARAS_STORE_CREATE) && stat(path, &sb) != 0)
        return waras_error_set(WARAS_ENOTFOUND, path, 0, NULL,
                               "no store here; create it with 'waras init' or "
                               "'waras people import FILE'");
    st = calloc(1, sizeof(*st));
    if (!st || !(st->path = waras_strdup(path))) {
        rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
        goto cleanup;
    }
    int oflags = (flags & WARAS_STORE_READONLY) ? SQLITE_OPEN_READONLY
                                                : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        rc = db_error(st, "cannot open store");
        goto cleanup;
    }
    sqlite3_busy_timeout(st->db, 5000);
    if ((rc = exec(st, "PRAGMA foreign_keys = ON")))
        goto cleanup;
    if (!(flags & WARAS_STORE_READONLY)) {
        /* A large page cache keeps one file's transaction from spilling
         * pages to the WAL before it commits. */
        if ((rc = exec(st, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                           " PRAGMA cache_size = -131072; PRAGMA temp_store = MEMORY")))
            goto cleanup;
        if ((rc = migrate(st)))
            goto cleanup;
    } else if (waras_store_schema_version(st) != SCHEMA_VERSION) {
        rc = waras_error_set(WARAS_ESTORE, path, 0, NULL,
                             "store schema is not current; open it once read-write to upgrade");
        goto cleanup;
    }
    *out = st;
    st = NULL;
cleanup:
    waras_store_close(st);
    return rc;
}

void waras_store_close(waras_store *st)
{
    if (!st)
        return;
    if (st->in_tx)
        waras_store_rollback(st);
    sqlite3_finalize(st->event_put);
    sqlite3_finalize(st->event_get);
    sqlite3_close(st->db);
    free(st->path);
    free(st);
}

int waras_store_begin(waras_store *st)
{
    int rc = exec(st, "BEGIN IMMEDIATE");
    if (!rc)
        st->in_tx = 1;
    return rc;
}

int waras_store_commit(waras_store *st)
{
    int rc = exec(st, "COMMIT");
    if (!rc)
        st->in_tx = 0;
    return rc;
}

void waras_store_rollback(waras_store *st)
{
    if (sqlite3_get_autocommit(st->db) == 0)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    st->in_tx = 0;
}

static int prepare(waras_store *st, sqlite3_stmt **s, const char *sql)
{
    if (sqlite3_prepare_v2(st->db, sql, -1, s, NULL) != SQLITE_OK)
        return db_error(st, "cannot prepare statement");
    return 0;
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

static void col_copy(sqlite3_stmt *s, int i, char *dst, size_t size)
{
    const unsigned char *v = sqlite3_column_text(s, i);
    waras_strlcpy(dst, v ? (const char *)v : "", size);
}

int waras_store_person_put(waras_store *st, const waras_person *p)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, &s,
                     "INSERT INTO people (id, name, email, team, timezone, site, work_days,"
                     " work_start, work_end) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)"
                     " ON CONFLICT (id) DO UPDATE SET name=?2, email=?3, team=?4, timezone=?5,"
                     " site=?6, work_days=?7, work_start=?8, work_end=?9");
    if (rc)
        return rc;
    bind_text(s, 1, p->id);
    bind_text(s, 2, p->name);
    bind_text(s, 3, p->email);
    bind_text(s, 4, p->team);
    bind_text(s, 5, p->timezone);
    bind_text(s, 6, p->site);
    sqlite3_bind_int(s, 7, (int)p->work_days);
    sqlite3_bind_int(s, 8, p->work_start);
    sqlite3_bind_int(s, 9, p->work_end);
    return step_done(st, s, "cannot store person");
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

#define PERSON_COLUMNS "id, name, email, team, timezone, site, work_days, work_start, work_end"

int waras_store_person_get(waras_person *out, waras_store *st, const char *id)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, &s, "SELECT " PERSON_COLUMNS " FROM people WHERE id = ?1");
    if (rc)
        return rc;
    bind_text(s, 1, id);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW)
        person_from_row(s, out);
    else if (step == SQLITE_DONE)
        rc = waras_error_msg(WARAS_ENOTFOUND, "unknown person '%s'", id);
    else
        rc = db_error(st, "cannot read person");
    sqlite3_finalize(s);
    return rc;
}

int waras_store_people_list(waras_person **out, size_t *n, waras_store *st)
{
    sqlite3_stmt *s = NULL;
    waras_person *v = NULL;
    size_t len = 0, cap = 0;
    int rc = prepare(st, &s, "SELECT " PERSON_COLUMNS " FROM people ORDER BY team, id");
    if (rc)
        return rc;
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (len == cap) {
            cap = cap ? cap * 2 : 32;
            waras_person *nv = realloc(v, cap * sizeof(*v));
            if (!nv) {
                rc = waras_error_msg(WARAS_ENOMEM, "out of memory");
                goto cleanup;
            }
            v = nv;
        }
        person_from_row(s, &v[len++]);
    }
    if (step != SQLITE_DONE) {
        rc = db_error(st, "cannot list people");
        goto cleanup;
    }
    *out = v;
    *n = len;
    v = NULL;
cleanup:
    free(v);
    sqlite3_finalize(s);
    return rc;
}

int waras_store_identity_put(waras_store *st, const char *person, const char *kind,
                             const char *value)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, &s,
                     "INSERT INTO identities (person, kind, value) VALUES (?1, ?2, ?3)"
                     " ON CONFLICT (kind, value) DO UPDATE SET person = ?1");
    if (rc)
        return rc;
    bind_text(s, 1, person);
    bind_text(s, 2, kind);
    bind_text(s, 3, value);
    return step_done(st, s, "cannot store identity");
}

int waras_store_identity_find(char *person, size_t size, waras_store *st, const char *kind,
                              const char *value)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, &s, "SELECT person FROM identities WHERE kind = ?1 AND value = ?2");
    if (rc)
        return rc;
    bind_text(s, 1, kind);
    bind_text(s, 2, value);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW)
        col_copy(s, 0, person, size);
    else if (step == SQLITE_DONE)
        rc = WARAS_ENOTFOUND; /* a normal outcome: no message */
    else
        rc = db_error(st, "cannot read identity");
    sqlite3_finalize(s);
    return rc;
}

int waras_store_source_seen(int *seen, waras_store *st, const char *kind, const char *sha256)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, &s, "SELECT 1 FROM sources WHERE kind = ?1 AND sha256 = ?2");
    if (rc)
        return rc;
    bind_text(s, 1, kind);
    bind_text(s, 2, sha256);
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW || step == SQLITE_DONE)
        *seen = step == SQLITE_ROW;
    else
        rc = db_error(st, "cannot read sources");
    sqlite3_finalize(s);
    return rc;
}

int waras_store_source_add(int64_t *id, waras_store *st, const char *kind,
                           const char *path, const char *sha256)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, &s,
                     "INSERT INTO sources (kind, path, sha256, ingested_at) VALUES (?1,?2,?3,?4)");
    if (rc)
        return rc;
    bind_text(s, 1, kind);
    bind_text(s, 2, path);
    bind_text(s, 3, sha256);
    sqlite3_bind_int64(s, 4, (sqlite3_int64)waras_clock_now());
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = db_error(st, "cannot record source");
    else
        *id = sqlite3_last_insert_rowid(st->db);
    sqlite3_finalize(s);
    return rc;
}

int waras_store_source_finish(waras_store *st, int64_t id, long rows, long skipped)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, &s, "UPDATE sources SET rows = ?2, skipped = ?3 WHERE id = ?1");
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, rows);
    sqlite3_bind_int64(s, 3, skipped);
    return step_done(st, s, "cannot update source");
}

int waras_store_source_supersede(long *removed, waras_store *st, int64_t id, const char *kind,
                                 const char *path)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, &s,
                     "DELETE FROM events WHERE source IN (SELECT id FROM sources WHERE kind = ?2"
                     " AND path = ?3 AND id <> ?1)");
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    bind_text(s, 2, kind);
    bind_text(s, 3, path);
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = db_error(st, "cannot remove superseded events");
    else if (removed)
        *removed = sqlite3_changes(st->db);
    sqlite3_finalize(s);
    if (rc)
        return rc;
    rc = prepare(st, &s,
                 "DELETE FROM survey_responses WHERE source IN (SELECT id FROM sources WHERE"
                 " kind = ?2 AND path = ?3 AND id <> ?1)");
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, id);
    bind_text(s, 2, kind);
    bind_text(s, 3, path);
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = db_error(st, "cannot remove superseded responses");
    else if (removed)
        *removed += sqlite3_changes(st->db);
    sqlite3_finalize(s);
    return rc;
}

int waras_store__survey_put(waras_store *st, const char *team, const char *person,
                            const char *taken_on, const char *instrument, const char *scores,
                            const char *answers, int64_t source, const char *key)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, &s,
                     "INSERT INTO survey_responses (team, person, taken_on, instrument, scores,"
                     " answers, source, source_key) VALUES (?1,?2,?3,?4,?5,?6,?7,?8)"
                     " ON CONFLICT (source_key) DO UPDATE SET source = ?7");
    if (rc)
        return rc;
    bind_text(s, 1, team);
    bind_text(s, 2, person);
    bind_text(s, 3, taken_on);
    bind_text(s, 4, instrument);
    bind_text(s, 5, scores);
    bind_text(s, 6, answers);
    sqlite3_bind_int64(s, 7, source);
    bind_text(s, 8, key);
    return step_done(st, s, "cannot store survey response");
}

int waras_store__survey_each(waras_store *st, const char *team, const char *from, const char *to,
                             waras_store_survey_cb cb, void *ctx)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, &s,
                     "SELECT team, person, taken_on, instrument, scores FROM survey_responses"
                     " WHERE (?1 IS NULL OR team = ?1) AND taken_on >= ?2 AND taken_on <= ?3"
                     " ORDER BY taken_on, id");
    if (rc)
        return rc;
    bind_text(s, 1, team);
    bind_text(s, 2, from);
    bind_text(s, 3, to);
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        waras_store_survey_row row = {
            .team = (const char *)sqlite3_column_text(s, 0),
            .person = (const char *)sqlite3_column_text(s, 1),
            .taken_on = (const char *)sqlite3_column_text(s, 2),
            .instrument = (const char *)sqlite3_column_text(s, 3),
            .scores = (const char *)sqlite3_column_text(s, 4),
        };
        if ((rc = cb(ctx, &row)) != 0)
            goto cleanup;
    }
    if (step != SQLITE_DONE)
        rc = db_error(st, "cannot read survey responses");
cleanup:
    sqlite3_finalize(s);
    return rc;
}

int waras_store_event_put(int *changed, waras_store *st, const waras_event *ev)
{
    int rc = 0;
    if (!st->event_put &&
        (rc = prepare(st, &st->event_put,
                      "INSERT INTO events (person, kind, status, start, \"end\", all_day, source,"
                      " source_kind, source_key, attrs, utc_offset)"
                      " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)"
                      " ON CONFLICT (person, source_kind, source_key) DO UPDATE SET"
                      " kind=?2, status=?3, start=?4, \"end\"=?5, all_day=?6, source=?7,"
                      " attrs=?10, utc_offset=?11 WHERE kind IS NOT ?2 OR status IS NOT ?3 OR"
                      " start <> ?4 OR \"end\" <> ?5 OR all_day <> ?6 OR attrs IS NOT ?10 OR"
                      " source IS NOT ?7 OR utc_offset IS NOT ?11")))
        return rc;
    sqlite3_stmt *s = st->event_put;
    sqlite3_reset(s);
    bind_text(s, 1, ev->person);
    bind_text(s, 2, ev->kind);
    bind_text(s, 3, ev->status);
    sqlite3_bind_int64(s, 4, ev->start);
    sqlite3_bind_int64(s, 5, ev->end);
    sqlite3_bind_int(s, 6, ev->all_day);
    if (ev->source)
        sqlite3_bind_int64(s, 7, ev->source);
    else
        sqlite3_bind_null(s, 7);
    bind_text(s, 8, ev->source_kind);
    bind_text(s, 9, ev->source_key);
    bind_text(s, 10, ev->attrs);
    if (ev->has_utc_offset)
        sqlite3_bind_int(s, 11, ev->utc_offset);
    else
        sqlite3_bind_null(s, 11);
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = db_error(st, "cannot store event");
    else if (changed)
        *changed = sqlite3_changes(st->db) > 0;
    sqlite3_reset(s);
    return rc;
}

static int kind_listed(const char *kinds, const char *kind)
{
    size_t n = strlen(kind);
    for (const char *p = kinds; p && *p;) {
        const char *c = strchr(p, ',');
        size_t len = c ? (size_t)(c - p) : strlen(p);
        if (len == n && strncmp(p, kind, n) == 0)
            return 1;
        p = c ? c + 1 : NULL;
    }
    return 0;
}

int waras_store_events_each(waras_store *st, const char *person, const char *kinds,
                            waras_instant from, waras_instant to, waras_event_cb cb, void *ctx)
{
    sqlite3_stmt *s = NULL;
    /* Two statements, so that a person's query uses the (person, start)
     * index instead of scanning every event. */
    int rc = prepare(st, &s,
                     person ? "SELECT person, kind, status, start, \"end\", all_day, source,"
                              " source_kind, source_key, attrs, utc_offset FROM events"
                              " WHERE person = ?1 AND start < ?3 AND"
                              " (\"end\" > ?2 OR (\"end\" = start AND start >= ?2))"
                              " ORDER BY start, \"end\""
                            : "SELECT person, kind, status, start, \"end\", all_day, source,"
                              " source_kind, source_key, attrs, utc_offset FROM events"
                              " WHERE start < ?3 AND"
                              " (\"end\" > ?2 OR (\"end\" = start AND start >= ?2))"
                              " ORDER BY person, start, \"end\"");
    if (rc)
        return rc;
    if (person)
        bind_text(s, 1, person);
    sqlite3_bind_int64(s, 2, from);
    sqlite3_bind_int64(s, 3, to);
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        waras_event ev = {
            .person = (const char *)sqlite3_column_text(s, 0),
            .kind = (const char *)sqlite3_column_text(s, 1),
            .status = (const char *)sqlite3_column_text(s, 2),
            .start = sqlite3_column_int64(s, 3),
            .end = sqlite3_column_int64(s, 4),
            .all_day = sqlite3_column_int(s, 5),
            .source = sqlite3_column_int64(s, 6),
            .source_kind = (const char *)sqlite3_column_text(s, 7),
            .source_key = (const char *)sqlite3_column_text(s, 8),
            .attrs = (const char *)sqlite3_column_text(s, 9),
            .has_utc_offset = sqlite3_column_type(s, 10) != SQLITE_NULL,
            .utc_offset = sqlite3_column_int(s, 10),
        };
        if (kinds && !kind_listed(kinds, ev.kind))
            continue;
        if ((rc = cb(ctx, &ev)) != 0)
            goto cleanup;
    }
    if (step != SQLITE_DONE)
        rc = db_error(st, "cannot read events");
cleanup:
    sqlite3_finalize(s);
    return rc;
}

int waras_store_count(long *out, waras_store *st, const char *table)
{
    static const char *const allowed[] = {"people", "events", "sources", "identities",
                                          "survey_responses", "plans", NULL};
    int ok = 0;
    for (int i = 0; allowed[i]; i++)
        ok |= strcmp(table, allowed[i]) == 0;
    if (!ok)
        return waras_error_msg(WARAS_EINVAL, "unknown table '%s'", table);
    char sql[96];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
    sqlite3_stmt *s = NULL;
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

int waras_store_event_span(waras_instant *first, waras_instant *last, waras_store *st)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, &s, "SELECT coalesce(min(start),0), coalesce(max(\"end\"),0) FROM events");
    if (rc)
        return rc;
    if (sqlite3_step(s) == SQLITE_ROW) {
        *first = sqlite3_column_int64(s, 0);
        *last = sqlite3_column_int64(s, 1);
    } else {
        rc = db_error(st, "cannot read events");
    }
    sqlite3_finalize(s);
    return rc;
}

int waras_store_plan_add(int64_t *id, waras_store *st, const char *kind, const char *team,
                         waras_instant start, waras_instant end, const char *attrs)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, &s,
                     "INSERT INTO plans (kind, team, created_at, start, \"end\", attrs)"
                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (rc)
        return rc;
    bind_text(s, 1, kind);
    bind_text(s, 2, team);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)waras_clock_now());
    sqlite3_bind_int64(s, 4, start);
    sqlite3_bind_int64(s, 5, end);
    bind_text(s, 6, attrs);
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = db_error(st, "cannot record plan");
    else
        *id = sqlite3_last_insert_rowid(st->db);
    sqlite3_finalize(s);
    return rc;
}

int waras_store_plan_assign(waras_store *st, int64_t plan, const char *person, const char *role,
                            waras_instant start, waras_instant end)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, &s,
                     "INSERT INTO plan_assignments (plan, person, role, start, \"end\")"
                     " VALUES (?1, ?2, ?3, ?4, ?5)");
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, plan);
    bind_text(s, 2, person);
    bind_text(s, 3, role);
    sqlite3_bind_int64(s, 4, start);
    sqlite3_bind_int64(s, 5, end);
    return step_done(st, s, "cannot record plan assignment");
}

int waras_store_plan_count(long *out, waras_store *st, const char *kind, const char *team)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, &s, "SELECT count(*) FROM plans WHERE kind = ?1 AND team IS ?2");
    if (rc)
        return rc;
    bind_text(s, 1, kind);
    bind_text(s, 2, team);
    if (sqlite3_step(s) == SQLITE_ROW)
        *out = (long)sqlite3_column_int64(s, 0);
    else
        rc = db_error(st, "cannot count plans");
    sqlite3_finalize(s);
    return rc;
}

int waras_store_plan_assignments_each(waras_store *st, const char *kind, const char *team,
                                      waras_instant from, waras_instant to,
                                      waras_plan_assignment_cb cb, void *ctx)
{
    sqlite3_stmt *s = NULL;
    int rc = prepare(st, &s,
                     "SELECT p.id, p.kind, p.team, a.person, a.role, a.start, a.\"end\""
                     " FROM plan_assignments a JOIN plans p ON p.id = a.plan"
                     " WHERE p.kind = ?1 AND (?2 IS NULL OR p.team = ?2)"
                     " AND a.start < ?4 AND a.\"end\" > ?3"
                     " ORDER BY p.id DESC, a.start, a.person");
    if (rc)
        return rc;
    bind_text(s, 1, kind);
    bind_text(s, 2, team);
    sqlite3_bind_int64(s, 3, from);
    sqlite3_bind_int64(s, 4, to);
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        waras_plan_assignment a = {
            .plan = sqlite3_column_int64(s, 0),
            .kind = (const char *)sqlite3_column_text(s, 1),
            .team = sqlite3_column_type(s, 2) == SQLITE_NULL ? ""
                                                             : (const char *)sqlite3_column_text(s, 2),
            .person = (const char *)sqlite3_column_text(s, 3),
            .role = (const char *)sqlite3_column_text(s, 4),
            .start = sqlite3_column_int64(s, 5),
            .end = sqlite3_column_int64(s, 6),
        };
        if ((rc = cb(ctx, &a)))
            break;
    }
    if (!rc && step != SQLITE_DONE)
        rc = db_error(st, "cannot read plan assignments");
    sqlite3_finalize(s);
    return rc;
}
