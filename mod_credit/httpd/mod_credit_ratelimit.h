/* mod_credit_ratelimit.h: per-client rate limits through httpd's mod_socache
 * (shmcb on one host; memcache or redis providers let several hosts share
 * one count). Fixed windows: at most `limit` hits per `window` seconds. */
#ifndef MOD_CREDIT_RATELIMIT_H
#define MOD_CREDIT_RATELIMIT_H

#include <httpd.h>
#include <http_config.h>

typedef struct credit_limiter credit_limiter_t;

/* Registers the mutex type (pre_config). */
void credit_limiter_pre_config(apr_pool_t *pconf);

/* Creates the cache named by spec ("shmcb", "shmcb:/path(512000)",
 * "memcache:host:port", "redis:host:port"). Returns NULL or an error
 * message naming the provider (the module must be loaded). post_config. */
const char *credit_limiter_create(apr_pool_t *pconf, apr_pool_t *ptemp, server_rec *s,
                                  const char *spec, credit_limiter_t **out);

/* What credit_limiter_create can tell before the server starts (configtest):
 * the provider is loaded and takes its arguments. NULL, or the error naming
 * CreditRateLimitCache. */
const char *credit_limiter_check(apr_pool_t *ptemp, const char *spec);

/* Re-attaches the cross-process mutex in a child. */
void credit_limiter_child_init(credit_limiter_t *l, apr_pool_t *p, server_rec *s);

/* Counts one hit of `key` (bucket and client hash) and returns 1 when it is
 * within limit per window, 0 when over. With `once` (e.g. a hash of a form
 * token) a hit is counted once per value: a double click or a resent form
 * is not a second submission. A cache that fails lets the hit through (and
 * logs): a broken limiter must not lock citizens out. */
int credit_limiter_hit(credit_limiter_t *l, request_rec *r, const char *key, const char *once,
                       int limit, int window);

#endif
