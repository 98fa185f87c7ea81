/* mod_credit_copies.h: the database copies of a backend (credit_copies.h)
 * in httpd: made at post_config, their pools in each child, their checker
 * on a watchdog thread of each child (mod_watchdog). */
#ifndef MOD_CREDIT_COPIES_H
#define MOD_CREDIT_COPIES_H

#include "mod_credit_config.h"

/* Makes b->copies (the primary of CreditDB, then each CreditDBReplica)
 * once per backend, and with replicas registers the checker with
 * mod_watchdog. Without mod_watchdog the replicas are logged as unused
 * (CR1035) and pages read from the primary. */
void credit_copies_setup(credit_backend_t *b, apr_pool_t *pconf, server_rec *s);

/* Gives each replica of b a connection pool of `sizes` (the primary's is
 * b->pool, made by the caller). Logs CR1036 for a pool that cannot be made. */
void credit_copies_child_init(credit_backend_t *b, apr_pool_t *p, server_rec *s,
                              const credit_pool_sizes_t *sizes, credit_log_fn *log);

#endif
