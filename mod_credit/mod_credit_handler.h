/* mod_credit_handler.h: the "credit" handler. */
#ifndef MOD_CREDIT_HANDLER_H
#define MOD_CREDIT_HANDLER_H

#include <httpd.h>

#define CREDIT_VERSION "0.1.0"

/* Prepares what the handler shares across requests (template caches and the
 * build id of ETags). Called from post_config. */
void credit_handler_init(apr_pool_t *pconf);

/* The handler hook: DECLINED unless r->handler is "credit". */
int credit_handler(request_rec *r);

#endif
