/*
 * Small helpers the unit tests share: a scratch directory under /tmp that
 * is removed with everything in it, files written into it, a fresh SQLite
 * store inside it (also as a cmocka fixture), and people and events to put
 * in it. Include after <cmocka.h>; every function is static inline so a
 * test that uses only some of them still builds with -Werror.
 */
#ifndef WARAS_TEST_HELPERS_H
#define WARAS_TEST_HELPERS_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_where.h"
#include "waras/store.h"

/* Creates a fresh directory /tmp/waras-<tag>-XXXXXX into dir (>= 64 bytes);
 * 0 on success. */
static inline int th_mkdtemp(char *dir, size_t size, const char *tag)
{
    snprintf(dir, size, "/tmp/waras-%s-XXXXXX", tag);
    return mkdtemp(dir) ? 0 : -1;
}

/* Removes a directory and everything under it (or a single file). */
static inline void th_rmtree(const char *path)
{
    struct stat sb;
    if (!path || !*path || lstat(path, &sb) != 0)
        return;
    if (S_ISDIR(sb.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        while (d && (e = readdir(d))) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            size_t n = strlen(path) + strlen(e->d_name) + 2;
            char *sub = malloc(n);
            if (!sub)
                break;
            memcpy(sub, path, strlen(path));
            sub[strlen(path)] = '/';
            memcpy(sub + strlen(path) + 1, e->d_name, strlen(e->d_name) + 1);
            th_rmtree(sub);
            free(sub);
        }
        if (d)
            closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

/* Joins dir and name into out. */
static inline const char *th_path(char *out, size_t size, const char *dir, const char *name)
{
    snprintf(out, size, "%s/%s", dir, name);
    return out;
}

/* Writes text to dir/name and leaves the full path in out; 0 on success. */
static inline int th_write(char *out, size_t size, const char *dir, const char *name,
                           const char *text)
{
    th_path(out, size, dir, name);
    FILE *f = fopen(out, "wb");
    if (!f)
        return -1;
    size_t n = strlen(text);
    int ok = fwrite(text, 1, n, f) == n;
    return fclose(f) == 0 && ok ? 0 : -1;
}

/* Reads a whole file into a malloc'd buffer (NUL-terminated); NULL on error. */
static inline char *th_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *nb = realloc(buf, cap * 2 + 1);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        if (len)
            *len = n;
    }
    return buf;
}

/* Opens (creating) the store dir/store.db, or its PostgreSQL stand-in
 * (store_where.h). */
static inline int th_store(waras_store **st, const char *dir)
{
    char path[600];
    if (th_store_where(path, sizeof(path), dir, 1))
        return -1;
    return waras_store_open(st, path, WARAS_STORE_CREATE);
}

/* Counts rows of a store table; -1 on error. */
static inline long th_count(waras_store *st, const char *table)
{
    long n = -1;
    if (waras_store_count(&n, st, table) != 0)
        return -1;
    return n;
}

/* Sets *state to a zeroed fixture of `size` bytes whose first member is
 * char dir[64], a fresh directory made by th_mkdtemp with tag; 0 on
 * success. */
static inline int th_dir_setup(void **state, size_t size, const char *tag)
{
    char *dir = size >= 64 ? calloc(1, size) : NULL;
    if (!dir || th_mkdtemp(dir, 64, tag)) {
        free(dir);
        return -1;
    }
    *state = dir;
    return 0;
}

/* Undoes th_dir_setup, removing the directory with everything in it. */
static inline int th_dir_teardown(void **state)
{
    char *dir = *state;
    th_rmtree(dir);
    free(dir);
    return 0;
}

/* A scratch store: a fresh directory under /tmp with store.db open in it.
 * A test's fixture struct may start with one, so that th_scratch_setup and
 * th_scratch_teardown serve as its cmocka setup and teardown. */
typedef struct th_scratch {
    char dir[64];
    waras_store *st;
} th_scratch;

/* Creates /tmp/waras-<tag>-XXXXXX and opens its store; 0 on success. */
static inline int th_scratch_open(th_scratch *s, const char *tag)
{
    return th_mkdtemp(s->dir, sizeof(s->dir), tag) || th_store(&s->st, s->dir) ? -1 : 0;
}

/* Closes the store and removes the directory with everything in it. */
static inline void th_scratch_close(th_scratch *s)
{
    waras_store_close(s->st);
    s->st = NULL;
    th_rmtree(s->dir);
}

/* Sets *state to a zeroed fixture of `size` bytes whose first member is a
 * th_scratch, opened with tag; 0 on success. */
static inline int th_scratch_setup(void **state, size_t size, const char *tag)
{
    th_scratch *s = calloc(1, size);
    if (!s || th_scratch_open(s, tag)) {
        free(s);
        return -1;
    }
    *state = s;
    return 0;
}

/* Undoes th_scratch_setup. */
static inline int th_scratch_teardown(void **state)
{
    th_scratch *s = *state;
    th_scratch_close(s);
    free(s);
    return 0;
}

/* Opens a fixture struct with a th_scratch that its tests also reach as
 * f->dir and f->st (a union of structs with a common initial sequence), so
 * th_scratch_setup and th_scratch_teardown serve as its setup and teardown. */
#define TH_SCRATCH_FIRST                                                                    \
    union {                                                                                 \
        th_scratch scratch;                                                                 \
        struct {                                                                            \
            char dir[64];                                                                   \
            waras_store *st;                                                                \
        };                                                                                  \
    }

/* A person with this id, team and IANA zone, working on work_days (bit 0 =
 * Monday) from work_start to work_end (minutes after local midnight). */
static inline waras_person th_person(const char *id, const char *team, const char *tz,
                                     unsigned work_days, int work_start, int work_end)
{
    waras_person p = {.work_days = work_days, .work_start = work_start, .work_end = work_end};
    snprintf(p.id, sizeof(p.id), "%s", id);
    snprintf(p.team, sizeof(p.team), "%s", team);
    snprintf(p.timezone, sizeof(p.timezone), "%s", tz);
    return p;
}

/* Stores th_person(...); the store's result. */
static inline int th_person_put(waras_store *st, const char *id, const char *team, const char *tz,
                                unsigned work_days, int work_start, int work_end)
{
    waras_person p = th_person(id, team, tz, work_days, work_start, work_end);
    return waras_store_person_put(st, &p);
}

/* Asserts that the store holds the person want->id with all of want's
 * fields. */
static inline void th_assert_person(waras_store *st, const waras_person *want)
{
    waras_person got;
    assert_int_equal(waras_store_person_get(&got, st, want->id), 0);
    assert_string_equal(got.id, want->id);
    assert_string_equal(got.name, want->name);
    assert_string_equal(got.email, want->email);
    assert_string_equal(got.team, want->team);
    assert_string_equal(got.timezone, want->timezone);
    assert_string_equal(got.site, want->site);
    assert_int_equal(got.work_days, want->work_days);
    assert_int_equal(got.work_start, want->work_start);
    assert_int_equal(got.work_end, want->work_end);
}

/* Stores ev, asserting success. A missing source kind becomes "unit" and a
 * missing source key "k<n>", n the next value of *seq, so that every event
 * a test puts is its own. */
static inline void th_event_put(waras_store *st, int *seq, waras_event ev)
{
    char key[32];
    if (!ev.source_kind)
        ev.source_kind = "unit";
    if (!ev.source_key) {
        snprintf(key, sizeof(key), "k%d", ++*seq);
        ev.source_key = key;
    }
    assert_int_equal(waras_store_event_put(NULL, st, &ev), 0);
}

#endif
