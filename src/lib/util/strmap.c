/*
 * A small string-keyed hash map (FNV-1a, open addressing, linear probing,
 * grown at 50 % load), for per-file counters and caches in the ingest path
 * where a linear search would make big files quadratic.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "waras/error.h"

struct entry {
    char *key;
    long value;
};

struct waras_strmap {
    struct entry *v;
    size_t cap, n; /* cap is a power of two */
};

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

int waras_strmap_new(waras_strmap **out)
{
    waras_strmap *m = calloc(1, sizeof(*m));
    if (!m || !(m->v = calloc(64, sizeof(*m->v)))) {
        free(m);
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    }
    m->cap = 64;
    *out = m;
    return 0;
}

void waras_strmap_free(waras_strmap *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->cap; i++)
        free(m->v[i].key);
    free(m->v);
    free(m);
}

static struct entry *find(struct entry *v, size_t cap, const char *key)
{
    size_t i = (size_t)fnv1a(key) & (cap - 1);
    while (v[i].key && strcmp(v[i].key, key) != 0)
        i = (i + 1) & (cap - 1);
    return &v[i];
}

long *waras_strmap_slot(waras_strmap *m, const char *key)
{
    struct entry *e = find(m->v, m->cap, key);
    if (e->key)
        return &e->value;
    if ((m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap * 2;
        struct entry *nv = calloc(cap, sizeof(*nv));
        if (!nv)
            return NULL;
        for (size_t i = 0; i < m->cap; i++)
            if (m->v[i].key)
                *find(nv, cap, m->v[i].key) = m->v[i];
        free(m->v);
        m->v = nv;
        m->cap = cap;
        e = find(m->v, m->cap, key);
    }
    if (!(e->key = waras_strdup(key)))
        return NULL;
    e->value = 0;
    m->n++;
    return &e->value;
}
