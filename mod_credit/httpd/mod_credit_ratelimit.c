/* mod_credit_ratelimit.c: see mod_credit_ratelimit.h. */
#include <string.h>
#include <httpd.h>
#include <http_config.h>
#include <http_log.h>
#include <ap_provider.h>
#include <ap_socache.h>
#include <util_mutex.h>
#include <apr_strings.h>
#include <apr_global_mutex.h>

#include "mod_credit_ratelimit.h"

APLOG_USE_MODULE(credit);

#define MUTEX_TYPE "credit-ratelimit"

struct credit_limiter {
    const ap_socache_provider_t *provider;
    ap_socache_instance_t *instance;
    apr_global_mutex_t *mutex; /* one hit at a time: read, count, write back */
    server_rec *s;
};

void credit_limiter_pre_config(apr_pool_t *pconf)
{
    ap_mutex_register(pconf, MUTEX_TYPE, NULL, APR_LOCK_DEFAULT, 0);
}

static apr_status_t destroy(void *data)
{
    credit_limiter_t *l = data;
    l->provider->destroy(l->instance, l->s);
    return APR_SUCCESS;
}

const char *credit_limiter_check(apr_pool_t *ptemp, const char *spec)
{
    const char *sep = strchr(spec, ':');
    const char *name = sep ? apr_pstrmemdup(ptemp, spec, (apr_size_t)(sep - spec)) : spec;
    const ap_socache_provider_t *provider =
        ap_lookup_provider(AP_SOCACHE_PROVIDER_GROUP, name, AP_SOCACHE_PROVIDER_VERSION);
    ap_socache_instance_t *instance;
    const char *err;
    if (!provider)
        return apr_psprintf(ptemp,
                            "CreditRateLimitCache: no socache provider '%s' is loaded (a2enmod "
                            "socache_%s, or LoadModule socache_%s_module before it)",
                            name, name, name);
    err = provider->create(&instance, sep ? sep + 1 : NULL, ptemp, ptemp);
    return err ? apr_psprintf(ptemp, "CreditRateLimitCache %s: %s", spec, err) : NULL;
}

const char *credit_limiter_create(apr_pool_t *pconf, apr_pool_t *ptemp, server_rec *s,
                                  const char *spec, credit_limiter_t **out)
{
    static const struct ap_socache_hints hints = {64, 8, 600 * APR_USEC_PER_SEC};
    credit_limiter_t *l = apr_pcalloc(pconf, sizeof *l);
    const char *sep = strchr(spec, ':');
    const char *name = sep ? apr_pstrmemdup(ptemp, spec, (apr_size_t)(sep - spec)) : spec;
    const char *err;
    apr_status_t rv;

    l->s = s;
    l->provider = ap_lookup_provider(AP_SOCACHE_PROVIDER_GROUP, name, AP_SOCACHE_PROVIDER_VERSION);
    if (!l->provider)
        return apr_psprintf(ptemp,
                            "CreditRateLimitCache: no socache provider '%s' (LoadModule "
                            "socache_%s_module)",
                            name, name);
    err = l->provider->create(&l->instance, sep ? sep + 1 : NULL, ptemp, pconf);
    if (err)
        return apr_psprintf(ptemp, "CreditRateLimitCache %s: %s", spec, err);
    /* Every provider: a hit reads the count and writes it back, and two
     * children doing that at once would lose one of the hits. (Across
     * hosts sharing memcache or redis, the socache interface has no
     * increment: see README.) */
    rv = ap_global_mutex_create(&l->mutex, NULL, MUTEX_TYPE, NULL, s, pconf, 0);
    if (rv != APR_SUCCESS)
        return "CreditRateLimitCache: cannot create its mutex";
    rv = l->provider->init(l->instance, "mod_credit-ratelimit", &hints, s, pconf);
    if (rv != APR_SUCCESS)
        return apr_psprintf(ptemp, "CreditRateLimitCache %s: cannot initialise", spec);
    apr_pool_cleanup_register(pconf, l, destroy, apr_pool_cleanup_null);
    *out = l;
    return NULL;
}

void credit_limiter_child_init(credit_limiter_t *l, apr_pool_t *p, server_rec *s)
{
    if (l && l->mutex &&
        apr_global_mutex_child_init(&l->mutex, apr_global_mutex_lockfile(l->mutex), p) !=
            APR_SUCCESS)
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s, "CR0601: rate limit mutex not re-attached");
}

int credit_limiter_hit(credit_limiter_t *l, request_rec *r, const char *key, const char *once,
                       int limit, int window)
{
    apr_time_t now = apr_time_now();
    apr_int64_t slot = (apr_int64_t)(apr_time_sec(now) / window);
    const char *id = apr_psprintf(r->pool, "%s:%" APR_INT64_T_FMT, key, slot);
    unsigned char data[16];
    unsigned int len = sizeof data;
    apr_uint32_t count = 0;
    apr_status_t rv;
    const char *seen = NULL;
    int allowed;

    if (!l || limit <= 0)
        return 1;
    if (l->mutex && apr_global_mutex_lock(l->mutex) != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "CR0602: rate limit mutex lock failed");
        return 1;
    }
    if (once) {
        seen = apr_psprintf(r->pool, "seen:%s", once);
        len = sizeof data;
        if (l->provider->retrieve(l->instance, r->server, (const unsigned char *)seen,
                                  (unsigned int)strlen(seen), data, &len, r->pool) == APR_SUCCESS) {
            if (l->mutex)
                apr_global_mutex_unlock(l->mutex);
            return 1; /* counted when it was let through */
        }
        len = sizeof data;
    }
    rv = l->provider->retrieve(l->instance, r->server, (const unsigned char *)id,
                               (unsigned int)strlen(id), data, &len, r->pool);
    if (rv == APR_SUCCESS && len == sizeof count)
        memcpy(&count, data, sizeof count);
    allowed = count < (apr_uint32_t)limit;
    if (allowed) {
        count++;
        memcpy(data, &count, sizeof count);
        rv = l->provider->store(
            l->instance, r->server, (const unsigned char *)id, (unsigned int)strlen(id),
            apr_time_from_sec((slot + 1) * window + 1), data, sizeof count, r->pool);
        if (rv != APR_SUCCESS)
            ap_log_rerror(APLOG_MARK, APLOG_WARNING, rv, r, "CR0603: rate limit store failed");
        /* Only a hit let through marks its form: a refused one stays refused. */
        if (seen) {
            unsigned char one = 1;
            l->provider->store(l->instance, r->server, (const unsigned char *)seen,
                               (unsigned int)strlen(seen),
                               apr_time_from_sec((slot + 1) * window + 1), &one, 1, r->pool);
        }
    }
    if (l->mutex)
        apr_global_mutex_unlock(l->mutex);
    if (!allowed)
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, "CR0604: rate limit reached (%s)",
                      strchr(key, ':') ? apr_pstrmemdup(r->pool, key, strchr(key, ':') - key)
                                       : key);
    return allowed;
}
