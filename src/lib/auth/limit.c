/*
 * The failed sign-in limiter: a fixed table of counters keyed by account
 * ("l:" login) or client address ("a:" address), each counting failures in
 * a window that starts at its first failure. In memory only: a restart
 * forgets it, which costs an attacker a restart they cannot cause. The
 * table is bounded (WARAS_AUTH_LIMIT_SLOTS), so a flood of addresses
 * cannot grow it; the slot whose window started first is reused.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "waras/auth.h"
#include "waras/error.h"
#include "waras/time.h"

typedef struct slot {
    char key[136];
    double start; /* monotonic seconds of the first failure in the window */
    int fails;
} slot;

struct waras_auth_limiter {
    pthread_mutex_t lock;
    slot slots[WARAS_AUTH_LIMIT_SLOTS];
};

int waras_auth_limiter_new(waras_auth_limiter **out)
{
    waras_auth_limiter *l = calloc(1, sizeof(*l));
    if (!l)
        return waras_error_msg(WARAS_ENOMEM, "out of memory");
    pthread_mutex_init(&l->lock, NULL);
    *out = l;
    return 0;
}

void waras_auth_limiter_free(waras_auth_limiter *lim)
{
    if (!lim)
        return;
    pthread_mutex_destroy(&lim->lock);
    free(lim);
}

/* The slot of key (or NULL); with create, a fresh or the oldest slot. */
static slot *find(waras_auth_limiter *l, const char *key, double now, int create)
{
    slot *oldest = NULL;
    for (int i = 0; i < WARAS_AUTH_LIMIT_SLOTS; i++) {
        slot *s = &l->slots[i];
        if (s->key[0] && now - s->start >= WARAS_AUTH_FAIL_WINDOW)
            s->key[0] = '\0'; /* its window has passed */
        if (s->key[0] && strcmp(s->key, key) == 0)
            return s;
        if (!oldest || !s->key[0] || (oldest->key[0] && s->start < oldest->start))
            oldest = s;
    }
    if (!create)
        return NULL;
    waras_strlcpy(oldest->key, key, sizeof(oldest->key));
    oldest->start = now;
    oldest->fails = 0;
    return oldest;
}

static void keys(char lk[136], char ak[136], const char *login, const char *addr)
{
    snprintf(lk, 136, "l:%.128s", login ? login : "");
    snprintf(ak, 136, "a:%.128s", addr ? addr : "");
}

int waras_auth_limiter_allows(waras_auth_limiter *lim, const char *login, const char *addr)
{
    char lk[136], ak[136];
    keys(lk, ak, login, addr);
    double now = waras_clock_seconds();
    pthread_mutex_lock(&lim->lock);
    slot *a = find(lim, lk, now, 0);
    int ok = !a || a->fails < WARAS_AUTH_FAILS_PER_LOGIN;
    slot *b = find(lim, ak, now, 0);
    ok = ok && (!b || b->fails < WARAS_AUTH_FAILS_PER_ADDR);
    pthread_mutex_unlock(&lim->lock);
    return ok;
}

void waras_auth_limiter_record(waras_auth_limiter *lim, const char *login, const char *addr,
                               int success)
{
    char lk[136], ak[136];
    keys(lk, ak, login, addr);
    double now = waras_clock_seconds();
    pthread_mutex_lock(&lim->lock);
    if (success) {
        slot *a = find(lim, lk, now, 0);
        if (a)
            a->key[0] = '\0';
    } else {
        find(lim, lk, now, 1)->fails++;
        find(lim, ak, now, 1)->fails++;
    }
    pthread_mutex_unlock(&lim->lock);
}
