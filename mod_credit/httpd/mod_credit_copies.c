/* mod_credit_copies.c: see mod_credit_copies.h. */
#include <httpd.h>
#include <http_config.h>
#include <http_core.h>
#include <http_log.h>
#include <mod_watchdog.h>

#include "mod_credit_copies.h"
#include "credit_copies_check.h"
#include "credit_dsn.h"
#include "credit_store.h"

APLOG_USE_MODULE(credit);

#define WATCHDOG_NAME "mod_credit-copies"

/* The check interval when CreditDBReplicaLag names none: a fifth of the
 * lag, 100 ms (the watchdog's resolution) to 1 s. */
static int check_ms(const credit_backend_t *b, long long lag)
{
    long long ms = b->replica_check_ms ? b->replica_check_ms : lag / 5;
    return (int)(ms < 100 ? 100 : (!b->replica_check_ms && ms > 1000 ? 1000 : ms));
}

static void log_server(void *baton, int level, const char *id, const char *msg)
{
    ap_log_error(APLOG_MARK, level, 0, baton, "%s: %s", id, msg);
}

/* The watchdog calls this every check interval in each child. */
static apr_status_t check(int state, void *data, apr_pool_t *pool)
{
    credit_checker_t *ck = (credit_checker_t *)data;
    (void)pool;
    if (state == AP_WATCHDOG_STATE_STOPPING)
        credit_checker_close(ck);
    else
        credit_checker_round(ck);
    return APR_SUCCESS;
}

void credit_copies_setup(credit_backend_t *b, apr_pool_t *pconf, server_rec *s)
{
    APR_OPTIONAL_FN_TYPE(ap_watchdog_get_instance) * get;
    APR_OPTIONAL_FN_TYPE(ap_watchdog_register_callback) * reg;
    ap_watchdog_t *wd;
    long long lag = b->replica_lag_ms ? b->replica_lag_ms : CREDIT_REPLICA_LAG_DEFAULT_MS;
    int i;
    if (!b->db_set || b->copies)
        return;
    b->copies = credit_copies_create(pconf, lag);
    credit_copies_add(b->copies, &b->db);
    for (i = 0; b->replicas && i < b->replicas->nelts; i++) {
        credit_db_params_t r;
        credit_dsn_inherit(&b->db, &APR_ARRAY_IDX(b->replicas, i, credit_db_params_t), 0, &r);
        credit_copies_add(b->copies, &r);
    }
    /* The first reading of the configuration starts no child. */
    if (credit_copies_count(b->copies) < 2 ||
        ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG)
        return;
    get = APR_RETRIEVE_OPTIONAL_FN(ap_watchdog_get_instance);
    reg = APR_RETRIEVE_OPTIONAL_FN(ap_watchdog_register_callback);
    /* The client library starts here, before any child's threads. */
    if (!get || !reg || credit_db_library_init() != CREDIT_OK ||
        get(&wd, WATCHDOG_NAME, 0, 0, pconf) != APR_SUCCESS ||
        reg(wd, apr_time_from_msec(check_ms(b, lag)),
            credit_checker_create(pconf, b->copies, log_server, s), check) != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, s,
                     "CR1035: CreditDBReplica: the replicas cannot be checked (mod_watchdog is "
                     "missing): every page reads from the primary");
        return;
    }
    ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, s,
                 "CR1034: %d replica(s), read while at most %" APR_INT64_T_FMT
                 " ms behind, checked every %d ms",
                 credit_copies_count(b->copies) - 1, (apr_int64_t)lag, check_ms(b, lag));
}

void credit_copies_child_init(credit_backend_t *b, apr_pool_t *p, server_rec *s,
                              const credit_pool_sizes_t *sizes, credit_log_fn *log)
{
    int i;
    if (!b->copies)
        return;
    credit_copies_set_pool(b->copies, 0, b->pool);
    for (i = 1; i < credit_copies_count(b->copies); i++) {
        credit_dbpool_t *pool = NULL;
        if (credit_dbpool_create(p,
                                 credit_store_reader_params(p, credit_copies_params(b->copies, i)),
                                 sizes, log, s, &pool) != CREDIT_OK)
            ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s,
                         "CR1036: cannot create the connection pool of database %s",
                         credit_copies_name(b->copies, i));
        credit_copies_set_pool(b->copies, i, pool);
    }
}
