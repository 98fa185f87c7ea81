/* mod_credit_bounds.c: see mod_credit_bounds.h. */
#include <errno.h>
#include <unistd.h>
#include <httpd.h>
#include <http_config.h>
#include <http_core.h>
#include <http_log.h>
#include <unixd.h>
#include <mod_watchdog.h>

#include "mod_credit_bounds.h"
#include "credit_gate.h"

APLOG_USE_MODULE(credit);

static apr_status_t host_gate_cleanup(void *data)
{
    credit_gate_host_remove(*(int *)data);
    return APR_SUCCESS;
}

/* The host-wide places of one bound, owned by the children's user. */
static void host_gate(apr_pool_t *pconf, server_rec *sv, credit_bound_t *bound, const char *name)
{
    bound->host =
        credit_gate_host_create(bound->max, geteuid() == 0 ? (long)ap_unixd_config.user_id : -1L,
                                geteuid() == 0 ? (long)ap_unixd_config.group_id : -1L);
    if (bound->host < 0)
        ap_log_error(APLOG_MARK, APLOG_WARNING, errno, sv,
                     "CR0113: no host-wide gate for %s (each child keeps its own)", name);
    else
        apr_pool_cleanup_register(pconf, &bound->host, host_gate_cleanup, apr_pool_cleanup_null);
}

typedef struct {
    credit_backend_t *b;
    server_rec *s;
} exports_watch_t;

/* Every 100 ms in each child (its watchdog thread): the places of exports
 * whose write has waited on their client too long go to the next export
 * (credit_page_each_export). */
static apr_status_t reap_exports(int state, void *data, apr_pool_t *pool)
{
    exports_watch_t *w = data;
    credit_gate_t *gate = w->b->exports.gate; /* (made by child_init) */
    int n;
    (void)pool;
    if (state == AP_WATCHDOG_STATE_RUNNING && gate && (n = credit_gate_reap(gate)) > 0)
        ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, w->s,
                     "CR0503: %d export(s) waiting on their client gave their place to the next",
                     n);
    return APR_SUCCESS;
}

/* The watchdog of CreditExports' places (the first reading of the
 * configuration starts no child). Without mod_watchdog an export is paced
 * once a write to its client has ended slowly, not while it waits. */
static void exports_watch(apr_pool_t *pconf, server_rec *sv, credit_backend_t *b)
{
    APR_OPTIONAL_FN_TYPE(ap_watchdog_get_instance) * get;
    APR_OPTIONAL_FN_TYPE(ap_watchdog_register_callback) * reg;
    ap_watchdog_t *wd;
    exports_watch_t *w;
    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG)
        return;
    get = APR_RETRIEVE_OPTIONAL_FN(ap_watchdog_get_instance);
    reg = APR_RETRIEVE_OPTIONAL_FN(ap_watchdog_register_callback);
    w = apr_pcalloc(pconf, sizeof *w);
    w->b = b;
    w->s = sv;
    if (!get || !reg || get(&wd, "mod_credit-exports", 0, 0, pconf) != APR_SUCCESS ||
        reg(wd, AP_WD_TM_SLICE, w, reap_exports) != APR_SUCCESS)
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, sv,
                     "CR0504: CreditExports: no watchdog (mod_watchdog is missing): a client "
                     "that stops reading an export keeps its place until httpd's Timeout");
}

void credit_bounds_setup(credit_backend_t *b, apr_pool_t *pconf, server_rec *s)
{
    if (!b->db_set || b->host_gates_made)
        return;
    b->host_gates_made = 1;
    host_gate(pconf, s, &b->costly, "CreditCostlyQueries");
    host_gate(pconf, s, &b->exports, "CreditExports");
    host_gate(pconf, s, &b->lists, "CreditListPages");
    exports_watch(pconf, s, b);
}

void credit_bounds_child_init(credit_backend_t *b, apr_pool_t *p)
{
    b->costly.gate = credit_gate_create(p, b->costly.max, b->costly.wait_ms);
    credit_gate_share(b->costly.gate, b->costly.host);
    b->exports.gate = credit_gate_create(p, b->exports.max, b->exports.wait_ms);
    credit_gate_share(b->exports.gate, b->exports.host);
    b->lists.gate = credit_gate_create(p, b->lists.max, b->lists.wait_ms);
    credit_gate_share(b->lists.gate, b->lists.host);
}
