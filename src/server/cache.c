/*
 * The report cache: the last few report documents the API answered, each
 * exactly as one asker was allowed to see it (after the access rule and
 * the wellbeing redaction), keyed by the question and the asking account,
 * and tagged with the store's data version when the report was read. The
 * version is waras_store_data_version() on a read-only store the cache
 * keeps open (SQLite's PRAGMA data_version, PostgreSQL's write counter):
 * it changes whenever any other connection, of this process or another
 * (an ingest from the CLI), commits to the store, so an entry from before
 * a write is never answered after it. An entry is never
 * shared between accounts, so it cannot carry data another asker may not
 * see. Thread-safe (one mutex); a failure to read the version disables
 * the cache for that request rather than answering from it.
 *
 * Single flight: after a write every waiting request would miss at once and
 * build the same report side by side. srv_cache_get_once() lets one request
 * per key build (an in-flight marker) while the others wait on a condition
 * variable, for a bounded time, and then read its entry; when the builder
 * fails or its document is already stale, the next waiter builds.
 */
#include <pthread.h>
#include <stdint.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"
#include "waras/store.h"

#define CACHE_ENTRIES 16
#define CACHE_MAX_BYTES (48u * 1024 * 1024) /* all bodies together */
#define FLIGHTS 32                           /* keys being built at once, at most */
#define FLIGHT_WAIT_S 20                     /* a waiter builds itself after this */

typedef struct {
    char *key, *body;
    size_t len;
    int64_t version;
    uint64_t used; /* last use, for replacing the least recently used */
} entry;

struct srv_cache {
    pthread_mutex_t lock;
    char *db;
    waras_store *conn; /* read-only, for waras_store_data_version; opened lazily */
    entry e[CACHE_ENTRIES];
    size_t bytes;
    uint64_t clock;
    /* Single flight: the keys being built now, under their own mutex; built
     * is signalled whenever one is released. */
    pthread_mutex_t flock;
    pthread_cond_t built;
    char *flight[FLIGHTS];
};

int srv_cache_new(srv_cache **out, const char *db)
{
    srv_cache *c = calloc(1, sizeof(*c));
    *out = NULL;
    if (!c || !(c->db = strdup(db))) {
        free(c);
        return -1;
    }
    pthread_mutex_init(&c->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&c->flock, NULL);
    pthread_cond_init(&c->built, &ca);
    pthread_condattr_destroy(&ca);
    *out = c;
    return 0;
}

void srv_cache_free(srv_cache *c)
{
    if (!c)
        return;
    for (int i = 0; i < CACHE_ENTRIES; i++) {
        free(c->e[i].key);
        free(c->e[i].body);
    }
    waras_store_close(c->conn);
    for (int i = 0; i < FLIGHTS; i++)
        free(c->flight[i]);
    pthread_cond_destroy(&c->built);
    pthread_mutex_destroy(&c->flock);
    pthread_mutex_destroy(&c->lock);
    free(c->db);
    free(c);
}

/* The store's data version now (lock held); -1 when it cannot be read. */
static int64_t data_version(srv_cache *c)
{
    int64_t v = -1;
    if (!c->conn && waras_store_open(&c->conn, c->db, WARAS_STORE_READONLY)) {
        c->conn = NULL;
        return -1;
    }
    if (waras_store_data_version(&v, c->conn)) {
        waras_store_close(c->conn); /* a dropped connection: open anew next time */
        c->conn = NULL;
        return -1;
    }
    return v;
}

static void drop(srv_cache *c, entry *e)
{
    c->bytes -= e->len;
    free(e->key);
    free(e->body);
    memset(e, 0, sizeof(*e));
}

char *srv_cache_get(srv_cache *c, const char *key, int64_t *version)
{
    char *out = NULL;
    *version = -1;
    if (!c || !*key)
        return NULL;
    pthread_mutex_lock(&c->lock);
    int64_t v = data_version(c);
    *version = v;
    for (int i = 0; i < CACHE_ENTRIES; i++) {
        entry *e = &c->e[i];
        if (!e->key || strcmp(e->key, key))
            continue;
        if (v < 0 || e->version != v) {
            drop(c, e); /* stale: the store changed since it was read */
            break;
        }
        e->used = ++c->clock;
        if ((out = malloc(e->len + 1)))
            memcpy(out, e->body, e->len + 1);
        break;
    }
    pthread_mutex_unlock(&c->lock);
    return out;
}

void srv_cache_put(srv_cache *c, const char *key, int64_t version, const char *body)
{
    size_t len = body ? strlen(body) : 0;
    if (!c || !*key || version < 0 || !body || len > CACHE_MAX_BYTES / 4)
        return;
    pthread_mutex_lock(&c->lock);
    /* Only a document read at the version still current is kept. */
    if (data_version(c) == version) {
        entry *slot = NULL;
        for (int i = 0; i < CACHE_ENTRIES; i++)
            if (c->e[i].key && strcmp(c->e[i].key, key) == 0)
                drop(c, &c->e[i]);
        for (;;) {
            entry *lru = NULL;
            slot = NULL;
            for (int i = 0; i < CACHE_ENTRIES; i++) {
                if (!c->e[i].key && !slot)
                    slot = &c->e[i];
                if (c->e[i].key && (!lru || c->e[i].used < lru->used))
                    lru = &c->e[i];
            }
            if (slot && c->bytes + len <= CACHE_MAX_BYTES)
                break;
            if (!lru)
                break;
            drop(c, lru);
        }
        if (slot && (slot->key = strdup(key)) && (slot->body = strdup(body))) {
            slot->len = len;
            slot->version = version;
            slot->used = ++c->clock;
            c->bytes += len;
        } else if (slot) {
            free(slot->key);
            memset(slot, 0, sizeof(*slot));
        }
    }
    pthread_mutex_unlock(&c->lock);
}

/* The in-flight slot of key, or -1 (flock held). */
static int flight_of(const srv_cache *c, const char *key)
{
    for (int i = 0; i < FLIGHTS; i++)
        if (c->flight[i] && strcmp(c->flight[i], key) == 0)
            return i;
    return -1;
}

char *srv_cache_get_once(srv_cache *c, const char *key, int64_t *version, int *builder)
{
    *builder = 0;
    if (!c || !*key)
        return srv_cache_get(c, key, version);
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += FLIGHT_WAIT_S;
    char *out = NULL;
    pthread_mutex_lock(&c->flock);
    for (;;) {
        if (flight_of(c, key) >= 0) {
            /* Another request builds this document: wait for it, bounded;
             * past the bound, build alongside it without a marker. */
            if (pthread_cond_timedwait(&c->built, &c->flock, &until) == 0)
                continue;
            if (flight_of(c, key) >= 0) {
                out = srv_cache_get(c, key, version);
                break;
            }
            continue;
        }
        /* Nobody builds it: the entry, or the marker that this request
         * builds it (looked up and set under flock, so that a builder's
         * put-then-done cannot fall between them). */
        out = srv_cache_get(c, key, version);
        if (!out) {
            for (int i = 0; i < FLIGHTS; i++)
                if (!c->flight[i]) {
                    if ((c->flight[i] = strdup(key)))
                        *builder = 1;
                    break;
                }
        }
        break;
    }
    pthread_mutex_unlock(&c->flock);
    return out;
}

void srv_cache_done(srv_cache *c, const char *key)
{
    if (!c || !*key)
        return;
    pthread_mutex_lock(&c->flock);
    int i = flight_of(c, key);
    if (i >= 0) {
        free(c->flight[i]);
        c->flight[i] = NULL;
    }
    pthread_cond_broadcast(&c->built);
    pthread_mutex_unlock(&c->flock);
}
