/* credit_cache.h: a small thread-safe cache of totals (string key -> number or text)
 * for one child. Keys carry the data version and the date, so a write or a
 * new day makes old entries unreachable; when full the cache starts over. */
#ifndef CREDIT_CACHE_H
#define CREDIT_CACHE_H

#include "credit.h"

typedef struct credit_cache credit_cache_t;

/* Returns NULL when the mutex cannot be created. */
credit_cache_t *credit_cache_create(apr_pool_t *p, int max_entries);

/* The same with a budget of bytes (keys and values) besides the number of
 * entries: a value that would overflow it starts the cache over, one
 * larger than the budget alone is not kept. */
credit_cache_t *credit_cache_create_sized(apr_pool_t *p, int max_entries, apr_size_t max_bytes);

/* Returns 1 and sets *value when key is cached, 0 otherwise. */
int credit_cache_get(credit_cache_t *c, const char *key, long long *value);

void credit_cache_put(credit_cache_t *c, const char *key, long long value);

/* The same for text (e.g. a rendered statistics document): *value is a
 * copy in p. Returns 1 when cached, 0 otherwise. */
int credit_cache_get_text(credit_cache_t *c, apr_pool_t *p, const char *key, const char **value);

void credit_cache_put_text(credit_cache_t *c, const char *key, const char *value);

/* Computes the value of key for credit_cache_fetch: CREDIT_OK with *value
 * (allocated from p) to be cached, or an error, which is not cached. */
typedef credit_status_t credit_cache_fill_fn(void *ctx, apr_pool_t *p, const char **value);

/* The text cached under key, else fn's, cached. Single flight per key: of
 * the callers that miss the same key at the same time one runs fn and the
 * others wait for it and take its value (or its error), so a burst of
 * requests for one cold total or search costs the database one query;
 * callers of different keys never wait for each other. With c NULL, fn
 * alone. Returns CREDIT_OK with *value in p, or fn's error. */
credit_status_t credit_cache_fetch(credit_cache_t *c, apr_pool_t *p, const char *key,
                                   credit_cache_fill_fn *fn, void *ctx, const char **value);

#endif
