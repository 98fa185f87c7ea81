/* credit_cache.c: see credit_cache.h. */
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include <apr_thread_mutex.h>
#include <apr_thread_cond.h>

#include "credit_cache.h"
#include "credit_waiter.h"

struct credit_cache {
    apr_pool_t *parent;
    apr_pool_t *pool; /* entries; recreated when the cache starts over */
    apr_hash_t *map;
    apr_thread_mutex_t *lock;
    /* Flights under way (key -> flight_t, malloc'd: a flight outlives any
     * request pool), guarded by `flying`. A flight with waiters holds a
     * slot of `slots` (credit_waiter.h), signalled when it lands, so a
     * landing wakes only the callers of its key. */
    apr_thread_mutex_t *flying;
    credit_waiters_t slots;
    apr_hash_t *flights;
    int max;
    apr_size_t max_bytes, bytes; /* 0: no budget; the bytes of keys and values held */
};

credit_cache_t *credit_cache_create(apr_pool_t *p, int max_entries)
{
    credit_cache_t *c = apr_pcalloc(p, sizeof *c);
    if (apr_thread_mutex_create(&c->lock, APR_THREAD_MUTEX_DEFAULT, p) != APR_SUCCESS ||
        apr_thread_mutex_create(&c->flying, APR_THREAD_MUTEX_DEFAULT, p) != APR_SUCCESS ||
        credit_waiters_init(&c->slots, p) != APR_SUCCESS)
        return NULL;
    c->flights = apr_hash_make(p);
    c->parent = p;
    c->max = max_entries > 0 ? max_entries : 1;
    apr_pool_create(&c->pool, p);
    c->map = apr_hash_make(c->pool);
    return c;
}

int credit_cache_get_text(credit_cache_t *c, apr_pool_t *p, const char *key, const char **value)
{
    const char *v;
    apr_thread_mutex_lock(c->lock);
    v = apr_hash_get(c->map, key, APR_HASH_KEY_STRING);
    if (v)
        *value = apr_pstrdup(p, v);
    apr_thread_mutex_unlock(c->lock);
    return v != NULL;
}

credit_cache_t *credit_cache_create_sized(apr_pool_t *p, int max_entries, apr_size_t max_bytes)
{
    credit_cache_t *c = credit_cache_create(p, max_entries);
    if (c)
        c->max_bytes = max_bytes;
    return c;
}

void credit_cache_put_text(credit_cache_t *c, const char *key, const char *value)
{
    apr_size_t size = strlen(key) + strlen(value) + 2;
    if (c->max_bytes && size > c->max_bytes)
        return; /* never held: it alone would exceed the budget */
    apr_thread_mutex_lock(c->lock);
    if ((int)apr_hash_count(c->map) >= c->max || (c->max_bytes && c->bytes + size > c->max_bytes)) {
        apr_pool_clear(c->pool);
        c->map = apr_hash_make(c->pool);
        c->bytes = 0;
    }
    c->bytes += size;
    apr_hash_set(c->map, apr_pstrdup(c->pool, key), APR_HASH_KEY_STRING,
                 apr_pstrdup(c->pool, value));
    apr_thread_mutex_unlock(c->lock);
}

int credit_cache_get(credit_cache_t *c, const char *key, long long *value)
{
    char buf[32];
    const char *v;
    int found;
    apr_thread_mutex_lock(c->lock);
    v = apr_hash_get(c->map, key, APR_HASH_KEY_STRING);
    found = v && strlen(v) < sizeof buf;
    if (found)
        strcpy(buf, v);
    apr_thread_mutex_unlock(c->lock);
    if (found)
        *value = strtoll(buf, NULL, 10);
    return found;
}

void credit_cache_put(credit_cache_t *c, const char *key, long long value)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", value);
    credit_cache_put_text(c, key, buf);
}

/* A computation of one key under way. */
typedef struct {
    char *key;
    int waiters;            /* callers waiting for it to land */
    credit_status_t status; /* its outcome, for the waiters */
    credit_waiter_t *wake;  /* NULL until its first waiter; granted: landed */
} flight_t;

/* Under c->flying, once no caller waits for f any more. */
static void flight_free(credit_cache_t *c, flight_t *f)
{
    if (f->wake)
        credit_waiter_give(&c->slots, f->wake);
    free(f->key);
    free(f);
}

/* Returns 1 with *out when the caller is to compute key, 0 when another
 * caller did meanwhile (*status its outcome), -1 when out of memory. */
static int flight_begin(credit_cache_t *c, const char *key, flight_t **out, credit_status_t *status)
{
    flight_t *f;
    apr_thread_mutex_lock(c->flying);
    f = apr_hash_get(c->flights, key, APR_HASH_KEY_STRING);
    if (!f) {
        f = calloc(1, sizeof *f);
        if (!f || !(f->key = strdup(key))) {
            free(f);
            apr_thread_mutex_unlock(c->flying);
            return -1;
        }
        apr_hash_set(c->flights, f->key, APR_HASH_KEY_STRING, f);
        apr_thread_mutex_unlock(c->flying);
        *out = f;
        return 1;
    }
    if (!f->wake && !(f->wake = credit_waiter_take(&c->slots))) {
        apr_thread_mutex_unlock(c->flying);
        return -1; /* nothing to wait on: the caller computes it too */
    }
    f->waiters++;
    while (!f->wake->granted)
        apr_thread_cond_wait(f->wake->cond, c->flying);
    *status = f->status;
    if (--f->waiters == 0)
        flight_free(c, f);
    apr_thread_mutex_unlock(c->flying);
    return 0;
}

static void flight_end(credit_cache_t *c, flight_t *f, credit_status_t status)
{
    apr_thread_mutex_lock(c->flying);
    apr_hash_set(c->flights, f->key, APR_HASH_KEY_STRING, NULL);
    f->status = status;
    if (f->waiters == 0)
        flight_free(c, f);
    else {
        f->wake->granted = 1;
        apr_thread_cond_broadcast(f->wake->cond);
    }
    apr_thread_mutex_unlock(c->flying);
}

credit_status_t credit_cache_fetch(credit_cache_t *c, apr_pool_t *p, const char *key,
                                   credit_cache_fill_fn *fn, void *ctx, const char **value)
{
    flight_t *f = NULL;
    credit_status_t rv;
    int lead;
    if (!c)
        return fn(ctx, p, value);
    if (credit_cache_get_text(c, p, key, value))
        return CREDIT_OK;
    lead = flight_begin(c, key, &f, &rv);
    if (lead == 0) {
        if (rv != CREDIT_OK)
            return rv; /* the same question failed a moment ago */
        if (credit_cache_get_text(c, p, key, value))
            return CREDIT_OK;
        /* computed, and gone again (the cache started over): once more */
        return fn(ctx, p, value);
    }
    /* A caller that missed just before the leader put it finds it now. */
    if (credit_cache_get_text(c, p, key, value))
        rv = CREDIT_OK;
    else if ((rv = fn(ctx, p, value)) == CREDIT_OK)
        credit_cache_put_text(c, key, *value);
    if (lead == 1)
        flight_end(c, f, rv);
    return rv;
}
