/* credit_waiter.h: threads waiting for one another inside a child (the
 * costly gate's queue, the caches' single flights), each on a condition of
 * its own, so that whoever wakes them wakes only those concerned. Waking
 * every waiter of a shared condition to let each look whether it was meant
 * cost a fifth of httpd's CPU in the search mix (docs/BENCH.md). The slots
 * are made in a pool on first need and kept for reuse: nothing is made per
 * request. Not locked: the caller holds the lock its own state needs. */
#ifndef CREDIT_WAITER_H
#define CREDIT_WAITER_H

#include <apr_thread_cond.h>

#include "credit.h"

/* One waiting thread's slot: its condition, whether it got what it waits
 * for, and a link for the owner's queue (and the spare list). */
typedef struct credit_waiter {
    apr_thread_cond_t *cond;
    int granted;
    struct credit_waiter *next;
} credit_waiter_t;

/* The spare slots and the pool new ones are made in. */
typedef struct {
    apr_pool_t *pool;
    credit_waiter_t *spare;
} credit_waiters_t;

/* Sets up w with a pool within p (before the threads start). Returns
 * APR_SUCCESS or the error of the pool's making. */
apr_status_t credit_waiters_init(credit_waiters_t *w, apr_pool_t *p);

/* A slot, granted 0 and unlinked: a spare one or a new one; NULL when none
 * can be made. */
credit_waiter_t *credit_waiter_take(credit_waiters_t *w);

/* Gives the slot back for reuse, once nobody waits on it any more. */
void credit_waiter_give(credit_waiters_t *w, credit_waiter_t *slot);

#endif
