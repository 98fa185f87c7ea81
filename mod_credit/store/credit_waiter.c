/* credit_waiter.c: see credit_waiter.h. */
#include "credit_waiter.h"

apr_status_t credit_waiters_init(credit_waiters_t *w, apr_pool_t *p)
{
    w->spare = NULL;
    return apr_pool_create(&w->pool, p);
}

credit_waiter_t *credit_waiter_take(credit_waiters_t *w)
{
    credit_waiter_t *slot = w->spare;
    if (slot)
        w->spare = slot->next;
    else {
        slot = apr_pcalloc(w->pool, sizeof *slot);
        if (apr_thread_cond_create(&slot->cond, w->pool) != APR_SUCCESS)
            return NULL;
    }
    slot->granted = 0;
    slot->next = NULL;
    return slot;
}

void credit_waiter_give(credit_waiters_t *w, credit_waiter_t *slot)
{
    slot->next = w->spare;
    w->spare = slot;
}
