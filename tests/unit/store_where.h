/*
 * Where a unit test's store lives, so that the store's tests run on both
 * backends: dir/store.db, or, with WARAS_TEST_PG set to the directory of
 * the cluster tests/pg/cluster.sh started, a schema of that cluster's
 * database "waras" named for dir, reached through the URL's search_path
 * (one fresh schema per test, cheaper than a database each).
 */
#ifndef WARAS_TEST_STORE_WHERE_H
#define WARAS_TEST_STORE_WHERE_H

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

/* Whether the tests run on PostgreSQL. */
static inline int th_pg(void)
{
    const char *pg = getenv("WARAS_TEST_PG");
    return pg && *pg;
}

/* The store's location for the scratch directory dir into out; fresh:
 * (PostgreSQL) drop and create its schema first. 0, or -1 on failure. */
static inline int th_store_where(char *out, size_t size, const char *dir, int fresh)
{
    const char *pg = getenv("WARAS_TEST_PG");
    if (!th_pg()) {
        snprintf(out, size, "%s/store.db", dir);
        return 0;
    }
    const char *base = strrchr(dir, '/');
    char schema[96], sql[512], admin[512];
    size_t j = 0;
    for (const char *p = base ? base + 1 : dir; *p && j + 1 < sizeof(schema) - 2; p++)
        schema[j++] = isalnum((unsigned char)*p) ? (char)tolower((unsigned char)*p) : '_';
    schema[j] = '\0';
    if (snprintf(admin, sizeof(admin), "postgresql://waras@/waras?host=%s/sock", pg) >=
            (int)sizeof(admin) ||
        snprintf(out, size, "%.500s&options=-csearch_path%%3Ds_%.90s", admin, schema) >= (int)size)
        return -1;
    if (!fresh)
        return 0;
    PGconn *c = PQconnectdb(admin);
    int rc = PQstatus(c) == CONNECTION_OK ? 0 : -1;
    if (rc)
        fprintf(stderr, "th_store_where: %s", PQerrorMessage(c));
    snprintf(sql, sizeof(sql),
             "SET client_min_messages = warning; DROP SCHEMA IF EXISTS s_%.90s CASCADE;"
             " CREATE SCHEMA s_%.90s",
             schema, schema);
    PGresult *res = rc ? NULL : PQexec(c, sql);
    if (!rc && PQresultStatus(res) != PGRES_COMMAND_OK) {
        fprintf(stderr, "th_store_where: %s", PQresultErrorMessage(res));
        rc = -1;
    }
    PQclear(res);
    PQfinish(c);
    return rc;
}

#endif
