/* mod_credit_bounds.h: the bounds on expensive work of a backend
 * (CreditCostlyQueries, CreditExports, CreditListPages; credit_gate.h) in httpd: their
 * host-wide places made at post_config, each child's gates, and the
 * watchdog thread of each child that gives back the places of exports
 * whose write waits on their client (mod_watchdog). */
#ifndef MOD_CREDIT_BOUNDS_H
#define MOD_CREDIT_BOUNDS_H

#include "mod_credit_config.h"

/* Once per backend with a database: the host-wide places of the bounds
 * (CR0113 when one cannot be made: each child keeps its own), and the
 * exports' watchdog (CR0504 without mod_watchdog: a write waiting on its
 * client gives its place back only once it ends). */
void credit_bounds_setup(credit_backend_t *b, apr_pool_t *pconf, server_rec *s);

/* The child's gates of the bounds, sharing the host-wide places. */
void credit_bounds_child_init(credit_backend_t *b, apr_pool_t *p);

#endif
