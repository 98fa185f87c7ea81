/* credit_gate.c: see credit_gate.h. */
#include <errno.h>
#include <sys/types.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <apr_thread_mutex.h>
#include <apr_thread_cond.h>
#include <apr_time.h>

#include "credit_gate.h"
#include "credit_waiter.h"

/* The callers waiting for a place of the child's gate queue in the order
 * they came. A place that comes free is handed to the head of the queue
 * alone: its slot is marked granted and its condition signalled, so a leave
 * wakes one thread (credit_waiter.h). */
struct credit_gate {
    credit_waiters_t slots; /* (under lock) */
    apr_thread_mutex_t *lock;
    credit_waiter_t *head, **tail; /* first come, first let in */
    int max, busy;
    apr_interval_time_t wait;
    unsigned long refused;
    volatile int host;         /* the host gate's semaphore, or -1 */
    credit_gate_hold_t *holds; /* places held through credit_gate_hold (under lock) */
};

struct credit_gate_hold {
    credit_gate_t *g;
    credit_gate_hold_t *next, **prev; /* in g->holds while held (under g->lock) */
    apr_interval_time_t stall;        /* a write waiting longer gives the place back */
    apr_time_t writing_since;         /* 0: not writing (under g->lock) */
    int held;                         /* (under g->lock) */
};

/* semctl's fourth argument, which the caller defines (semctl(2)). */
union credit_semun {
    int val;
    struct semid_ds *buf;
    unsigned short *array;
};

/* Removes semaphore id, keeping errno: -1. */
static int host_fail(int id)
{
    int e = errno;
    semctl(id, 0, IPC_RMID);
    errno = e;
    return -1;
}

int credit_gate_host_create(int max, long uid, long gid)
{
    union credit_semun arg;
    struct semid_ds ds;
    int id = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
    if (id < 0)
        return -1;
    arg.val = max > 0 ? max : 1;
    if (semctl(id, 0, SETVAL, arg) < 0)
        return host_fail(id);
    if (uid >= 0 || gid >= 0) {
        arg.buf = &ds;
        if (semctl(id, 0, IPC_STAT, arg) < 0)
            return host_fail(id);
        if (uid >= 0)
            ds.sem_perm.uid = (uid_t)uid;
        if (gid >= 0)
            ds.sem_perm.gid = (gid_t)gid;
        if (semctl(id, 0, IPC_SET, arg) < 0)
            return host_fail(id);
    }
    return id;
}

void credit_gate_host_remove(int id)
{
    if (id >= 0)
        semctl(id, 0, IPC_RMID);
}

void credit_gate_share(credit_gate_t *g, int host_id)
{
    if (g)
        g->host = host_id;
}

/* Takes a host place before until: 1, or 0 when none came free. */
static int host_enter(credit_gate_t *g, apr_time_t until)
{
    for (;;) {
        int id = g->host;
        apr_time_t left = until - apr_time_now();
        struct sembuf op = {0, -1, SEM_UNDO};
        struct timespec ts;
        if (id < 0)
            return 1;
        if (left < 0)
            left = 0;
        ts.tv_sec = (time_t)apr_time_sec(left);
        ts.tv_nsec = (long)(apr_time_usec(left) * 1000);
        if (semtimedop(id, &op, 1, &ts) == 0)
            return 1;
        if (errno == EAGAIN)
            return 0;
        if (errno != EINTR)
            g->host = -1; /* removed by a restart: this child is on its way out */
    }
}

static void host_leave(credit_gate_t *g)
{
    int id = g->host;
    struct sembuf op = {0, 1, SEM_UNDO};
    if (id >= 0)
        while (semop(id, &op, 1) < 0 && errno == EINTR)
            ;
}

credit_gate_t *credit_gate_create(apr_pool_t *p, int max, int wait_ms)
{
    credit_gate_t *g = apr_pcalloc(p, sizeof *g);
    if (credit_waiters_init(&g->slots, p) != APR_SUCCESS ||
        apr_thread_mutex_create(&g->lock, APR_THREAD_MUTEX_DEFAULT, p) != APR_SUCCESS)
        return NULL;
    g->max = max > 0 ? max : 1;
    g->host = -1;
    g->tail = &g->head;
    g->wait = apr_time_from_msec(wait_ms > 0 ? wait_ms : 0);
    return g;
}

/* A slot to wait in, at the end of the queue (g->lock held), or NULL when
 * none can be made. */
static credit_waiter_t *queue(credit_gate_t *g)
{
    credit_waiter_t *w = credit_waiter_take(&g->slots);
    if (w) {
        *g->tail = w;
        g->tail = &w->next;
    }
    return w;
}

/* Takes w out of the queue, wherever it is (g->lock held). */
static void unqueue(credit_gate_t *g, credit_waiter_t *w)
{
    credit_waiter_t **at = &g->head;
    while (*at && *at != w)
        at = &(*at)->next;
    if (!*at)
        return;
    *at = w->next;
    if (g->tail == &w->next)
        g->tail = at;
}

/* A place came free (g->lock held): it passes to the caller waiting
 * longest, who alone is woken, or the gate has one more free. */
static void hand_on(credit_gate_t *g)
{
    credit_waiter_t *w = g->head;
    if (!w) {
        g->busy--;
        return;
    }
    unqueue(g, w);
    w->granted = 1;
    apr_thread_cond_signal(w->cond);
}

credit_status_t credit_gate_enter(credit_gate_t *g)
{
    apr_time_t until;
    credit_status_t rv = CREDIT_OK;
    if (!g)
        return CREDIT_OK;
    until = apr_time_now() + g->wait;
    apr_thread_mutex_lock(g->lock);
    if (g->busy < g->max && !g->head)
        g->busy++;
    else {
        /* In the order of arrival: a place that comes free goes to the
         * caller waiting longest, never to one that just came (a newcomer
         * taking it first would make some callers wait many times the
         * others). A caller let in was counted busy by whoever left. */
        credit_waiter_t *me = queue(g);
        apr_time_t now;
        while (me && !me->granted && (now = apr_time_now()) < until)
            apr_thread_cond_timedwait(me->cond, g->lock, until - now);
        if (me && !me->granted)
            unqueue(g, me); /* its wait ended first */
        if (!me || !me->granted) {
            rv = CREDIT_EBUSY;
            g->refused++;
        }
        if (me)
            credit_waiter_give(&g->slots, me);
    }
    apr_thread_mutex_unlock(g->lock);
    if (rv == CREDIT_OK && !host_enter(g, until)) {
        apr_thread_mutex_lock(g->lock);
        hand_on(g);
        g->refused++;
        apr_thread_mutex_unlock(g->lock);
        rv = CREDIT_EBUSY;
    }
    return rv;
}

void credit_gate_leave(credit_gate_t *g)
{
    if (!g)
        return;
    host_leave(g);
    apr_thread_mutex_lock(g->lock);
    hand_on(g);
    apr_thread_mutex_unlock(g->lock);
}

/* Takes h out of its gate's holders (g->lock held): 1 when it held a
 * place, which the caller gives back. */
static int unhold(credit_gate_hold_t *h)
{
    if (!h->held)
        return 0;
    h->held = 0;
    *h->prev = h->next;
    if (h->next)
        h->next->prev = h->prev;
    return 1;
}

static apr_status_t hold_cleanup(void *data)
{
    credit_gate_hold_release(data);
    return APR_SUCCESS;
}

credit_status_t credit_gate_hold(credit_gate_t *g, apr_pool_t *p, apr_interval_time_t stall,
                                 credit_gate_hold_t **out)
{
    credit_gate_hold_t *h;
    credit_status_t rv;
    *out = NULL;
    if (!g || (rv = credit_gate_enter(g)) != CREDIT_OK)
        return g ? rv : CREDIT_OK;
    h = apr_pcalloc(p, sizeof *h);
    h->g = g;
    h->stall = stall;
    apr_thread_mutex_lock(g->lock);
    h->held = 1;
    h->next = g->holds;
    if (h->next)
        h->next->prev = &h->next;
    h->prev = &g->holds;
    g->holds = h;
    apr_thread_mutex_unlock(g->lock);
    apr_pool_cleanup_register(p, h, hold_cleanup, apr_pool_cleanup_null);
    *out = h;
    return CREDIT_OK;
}

/* Whether h's write has waited longer than its stall at now (g->lock held). */
static int stalled(const credit_gate_hold_t *h, apr_time_t now)
{
    return h->writing_since && now - h->writing_since > h->stall;
}

void credit_gate_hold_writing(credit_gate_hold_t *h, int writing)
{
    int gone = 0;
    if (!h)
        return;
    apr_thread_mutex_lock(h->g->lock);
    if (!writing && stalled(h, apr_time_now()))
        gone = unhold(h);
    h->writing_since = writing ? apr_time_now() : 0;
    apr_thread_mutex_unlock(h->g->lock);
    if (gone)
        credit_gate_leave(h->g);
}

void credit_gate_hold_release(credit_gate_hold_t *h)
{
    int held;
    if (!h)
        return;
    apr_thread_mutex_lock(h->g->lock);
    held = unhold(h);
    apr_thread_mutex_unlock(h->g->lock);
    if (held)
        credit_gate_leave(h->g);
}

int credit_gate_reap(credit_gate_t *g)
{
    credit_gate_hold_t *h, *next;
    apr_time_t now = apr_time_now();
    int n = 0, i;
    if (!g)
        return 0;
    apr_thread_mutex_lock(g->lock);
    for (h = g->holds; h; h = next) {
        next = h->next;
        if (stalled(h, now))
            n += unhold(h);
    }
    apr_thread_mutex_unlock(g->lock);
    for (i = 0; i < n; i++)
        credit_gate_leave(g);
    return n;
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

int credit_gate_waiting(credit_gate_t *g)
{
    const credit_waiter_t *w;
    int n = 0;
    if (!g)
        return 0;
    apr_thread_mutex_lock(g->lock);
    for (w = g->head; w; w = w->next)
        n++;
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
