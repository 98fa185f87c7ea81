/* credit_cache.c: see credit_cache.h. */
#include <string.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include <apr_thread_mutex.h>

#include "credit_cache.h"

struct credit_cache {
    apr_pool_t *parent;
    apr_pool_t *pool; /* entries; recreated when the cache starts over */
    apr_hash_t *map;
    apr_thread_mutex_t *lock;
    int max;
};

credit_cache_t *credit_cache_create(apr_pool_t *p, int max_entries)
{
    credit_cache_t *c = apr_pcalloc(p, sizeof *c);
    if (apr_thread_mutex_create(&c->lock, APR_THREAD_MUTEX_DEFAULT, p) != APR_SUCCESS)
        return NULL;
    c->parent = p;
    c->max = max_entries > 0 ? max_entries : 1;
    apr_pool_create(&c->pool, p);
    c->map = apr_hash_make(c->pool);
    return c;
}

int credit_cache_get(credit_cache_t *c, const char *key, long long *value)
{
    long long *v;
    apr_thread_mutex_lock(c->lock);
    v = apr_hash_get(c->map, key, APR_HASH_KEY_STRING);
    if (v)
        *value = *v;
    apr_thread_mutex_unlock(c->lock);
    return v != NULL;
}

void credit_cache_put(credit_cache_t *c, const char *key, long long value)
{
    long long *v;
    apr_thread_mutex_lock(c->lock);
    if ((int)apr_hash_count(c->map) >= c->max) {
        apr_pool_clear(c->pool);
        c->map = apr_hash_make(c->pool);
    }
    v = apr_palloc(c->pool, sizeof *v);
    *v = value;
    apr_hash_set(c->map, apr_pstrdup(c->pool, key), APR_HASH_KEY_STRING, v);
    apr_thread_mutex_unlock(c->lock);
}
