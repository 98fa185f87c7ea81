/* credit_cache.c: see credit_cache.h. */
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include <apr_thread_mutex.h>

#include "credit_cache.h"

struct credit_cache {
    apr_pool_t *parent;
    apr_pool_t *pool; /* entries; recreated when the cache starts over */
    apr_hash_t *map;
    apr_thread_mutex_t *lock;
    apr_thread_mutex_t *fill;
    int max;
    apr_size_t max_bytes, bytes; /* 0: no budget; the bytes of keys and values held */
};

credit_cache_t *credit_cache_create(apr_pool_t *p, int max_entries)
{
    credit_cache_t *c = apr_pcalloc(p, sizeof *c);
    if (apr_thread_mutex_create(&c->lock, APR_THREAD_MUTEX_DEFAULT, p) != APR_SUCCESS ||
        apr_thread_mutex_create(&c->fill, APR_THREAD_MUTEX_DEFAULT, p) != APR_SUCCESS)
        return NULL;
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

void credit_cache_fill_lock(credit_cache_t *c)
{
    apr_thread_mutex_lock(c->fill);
}

void credit_cache_fill_unlock(credit_cache_t *c)
{
    apr_thread_mutex_unlock(c->fill);
}
