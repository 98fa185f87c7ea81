/* credit.h: types shared by the whole pure core of mod_credit.
 * No httpd header may be included from a credit_*.c file; APR is fine. */
#ifndef CREDIT_H
#define CREDIT_H

#include <stddef.h>
#include <apr_pools.h>
#include <apr_tables.h>

/* Result of every core operation that can fail. */
typedef enum {
    CREDIT_OK = 0,
    CREDIT_EINVAL,    /* bad input: a 400 */
    CREDIT_ENOTFOUND, /* no such thing: a 404 */
    CREDIT_EGONE,     /* existed, withdrawn: a 410 */
    CREDIT_EUNAVAIL,  /* database unreachable: a 503 */
    CREDIT_ECONFLICT, /* a unique key already taken, an illegal transition: a 409 */
    CREDIT_EINTERNAL, /* a bug or an unexpected database error: a 500 */
    CREDIT_EBUSY,     /* too much expensive work at once, waited long enough: a 503 */
    CREDIT_ELIMIT     /* a user's budget of something is used up: a 429 */
} credit_status_t;

/* A calendar date (Beijing time). y=0 means "unset". */
typedef struct {
    int y, m, d;
} credit_date_t;

/* Log callback of the core: glue forwards it to ap_log_error. `id` is a
 * stable message ID such as "CR0102". level follows syslog (3 err .. 7 debug). */
typedef void credit_log_fn(void *baton, int level, const char *id, const char *msg);

#endif
