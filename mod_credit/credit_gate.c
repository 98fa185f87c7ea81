/* credit_gate.c: see credit_gate.h. */
#include <apr_thread_mutex.h>
#include <apr_thread_cond.h>
#include <apr_time.h>

#include "credit_gate.h"

struct credit_gate {
    apr_thread_mutex_t *lock;
    apr_thread_cond_t *freed;
    int max, busy;
    apr_interval_time_t wait;
    unsigned long refused;
};

credit_gate_t *credit_gate_create(apr_pool_t *p, int max, int wait_ms)
{
    credit_gate_t *g = apr_pcalloc(p, sizeof *g);
    if (apr_thread_mutex_create(&g->lock, APR_THREAD_MUTEX_DEFAULT, p) != APR_SUCCESS ||
        apr_thread_cond_create(&g->freed, p) != APR_SUCCESS)
        return NULL;
    g->max = max > 0 ? max : 1;
    g->wait = apr_time_from_msec(wait_ms > 0 ? wait_ms : 0);
    return g;
}

credit_status_t credit_gate_enter(credit_gate_t *g)
{
    apr_time_t until;
    credit_status_t rv = CREDIT_OK;
    if (!g)
        return CREDIT_OK;
    until = apr_time_now() + g->wait;
    apr_thread_mutex_lock(g->lock);
    while (g->busy >= g->max) {
        apr_time_t now = apr_time_now();
        if (now >= until) {
            g->refused++;
            rv = CREDIT_EBUSY;
            break;
        }
        apr_thread_cond_timedwait(g->freed, g->lock, until - now);
    }
    if (rv == CREDIT_OK)
        g->busy++;
    apr_thread_mutex_unlock(g->lock);
    return rv;
}

void credit_gate_leave(credit_gate_t *g)
{
    if (!g)
        return;
    apr_thread_mutex_lock(g->lock);
    g->busy--;
    apr_thread_cond_signal(g->freed);
    apr_thread_mutex_unlock(g->lock);
}

int credit_gate_busy(credit_gate_t *g)
{
    int n;
    if (!g)
        return 0;
    apr_thread_mutex_lock(g->lock);
    n = g->busy;
    apr_thread_mutex_unlock(g->lock);
    return n;
}

unsigned long credit_gate_refused(credit_gate_t *g)
{
    unsigned long n;
    if (!g)
        return 0;
    apr_thread_mutex_lock(g->lock);
    n = g->refused;
    apr_thread_mutex_unlock(g->lock);
    return n;
}
