/* mod_credit.c: module record, hooks, child init and the log bridge.
 *   LoadModule credit_module modules/mod_credit.so
 *   <Location /credit> SetHandler credit </Location> */
#include <httpd.h>
#include <http_config.h>
#include <http_log.h>
#include <http_protocol.h>
#include <ap_mpm.h>
#include <apr_strings.h>

#include "mod_credit_config.h"
#include "mod_credit_handler.h"

#define TOTALS_CACHE_ENTRIES 4096

/* The core's log callback for child-wide messages; baton is a server_rec. */
static void log_server(void *baton, int level, const char *id, const char *msg)
{
    ap_log_error(APLOG_MARK, level, 0, baton, "%s: %s", id, msg);
}

static int credit_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s)
{
    server_rec *sv;
    (void)plog;
    (void)ptemp;
    for (sv = s; sv; sv = sv->next) {
        credit_srv_conf_t *c = ap_get_module_config(sv->module_config, &credit_module);
        credit_pool_sizes_t *z = &c->backend->sizes;
        if (z->min > z->smax || z->smax > z->max) {
            ap_log_error(APLOG_MARK, APLOG_CRIT, 0, sv,
                         "CR0101: CreditDBPoolMin (%d) <= CreditDBPoolKeep (%d) <= "
                         "CreditDBPoolMax (%d) does not hold",
                         z->min, z->smax, z->max);
            return HTTP_INTERNAL_SERVER_ERROR;
        }
        if (c->backend->db_set && (!c->backend->db.user || !c->backend->db.name)) {
            ap_log_error(APLOG_MARK, APLOG_CRIT, 0, sv,
                         "CR0102: CreditDB needs at least user= and dbname= "
                         "(or CreditDBUser and CreditDBName)");
            return HTTP_INTERNAL_SERVER_ERROR;
        }
    }
    if (credit_handler_init(pconf, s) != OK)
        return HTTP_INTERNAL_SERVER_ERROR;
    ap_add_version_component(pconf, "mod_credit/" CREDIT_VERSION);
    return OK;
}

static int credit_pre_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp)
{
    (void)plog;
    (void)ptemp;
    credit_handler_pre_config(pconf);
    return OK;
}

static void credit_child_init(apr_pool_t *p, server_rec *s)
{
    server_rec *sv;
    int threads = 1;
    if (credit_db_library_init() != CREDIT_OK)
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s, "CR0103: MariaDB client library did not start");
    ap_mpm_query(AP_MPMQ_MAX_THREADS, &threads);
    for (sv = s; sv; sv = sv->next) {
        credit_srv_conf_t *c = ap_get_module_config(sv->module_config, &credit_module);
        credit_backend_t *b = c->backend;
        credit_pool_sizes_t sizes = b->sizes;
        if (!b->db_set || b->pool)
            continue;
        /* Never more connections than threads can use at once. */
        if (threads > 0 && sizes.max > threads)
            sizes.max = threads;
        if (sizes.smax > sizes.max)
            sizes.smax = sizes.max;
        if (sizes.min > sizes.smax)
            sizes.min = sizes.smax;
        if (credit_dbpool_create(p, &b->db, &sizes, log_server, sv, &b->pool) != CREDIT_OK)
            ap_log_error(APLOG_MARK, APLOG_CRIT, 0, sv, "CR0104: cannot create connection pool");
        b->totals = credit_cache_create(p, TOTALS_CACHE_ENTRIES);
        ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, sv,
                     "CR0105: connection pool for %s@%s ready (keep %d, max %d)",
                     b->db.user ? b->db.user : "?", b->db.host ? b->db.host : "socket", sizes.smax,
                     sizes.max);
    }
}

static void credit_register_hooks(apr_pool_t *p)
{
    (void)p;
    ap_hook_pre_config(credit_pre_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(credit_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(credit_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(credit_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(credit) = {
    STANDARD20_MODULE_STUFF,     credit_create_dir_conf, credit_merge_dir_conf,
    credit_create_srv_conf,      credit_merge_srv_conf,  credit_cmds,
    credit_register_hooks,
#ifdef AP_MODULE_FLAG_ALWAYS_MERGE
    AP_MODULE_FLAG_ALWAYS_MERGE,
#endif
};
