/* test_cache.c: the per-child cache of totals, its single flight per key,
 * the gate of costly statements, and the pool they are made in. */
#include <stdio.h>
#include <apr_allocator.h>
#include <string.h>
#include <apr_strings.h>
#include <apr_thread_proc.h>
#include <apr_thread_cond.h>
#include <apr_time.h>
#include <apr_atomic.h>

#include "credit_cache.h"
#include "credit_gate.h"
#include "credit_pool.h"
#include <sys/wait.h>
#include <unistd.h>
#include "unit.h"

START_TEST(put_get)
{
    credit_cache_t *c = credit_cache_create(unit_pool, 8);
    long long v = -1;
    ck_assert_ptr_nonnull(c);
    ck_assert_int_eq(credit_cache_get(c, "7|20261127|district=heping", &v), 0);
    ck_assert_int_eq(v, -1);
    credit_cache_put(c, "7|20261127|district=heping", 62500);
    ck_assert_int_eq(credit_cache_get(c, "7|20261127|district=heping", &v), 1);
    ck_assert_int_eq(v, 62500);
    /* Another data version is another key: a write makes old totals unreachable. */
    ck_assert_int_eq(credit_cache_get(c, "8|20261127|district=heping", &v), 0);
    credit_cache_put(c, "7|20261127|district=heping", 62499);
    ck_assert_int_eq(credit_cache_get(c, "7|20261127|district=heping", &v), 1);
    ck_assert_int_eq(v, 62499);
}
END_TEST

START_TEST(bounded)
{
    credit_cache_t *c = credit_cache_create(unit_pool, 4);
    char key[32];
    long long v;
    int i, present = 0;
    for (i = 0; i < 100; i++) {
        snprintf(key, sizeof key, "k%d", i);
        credit_cache_put(c, key, i);
    }
    for (i = 0; i < 100; i++) {
        snprintf(key, sizeof key, "k%d", i);
        present += credit_cache_get(c, key, &v);
    }
    ck_assert_int_le(present, 4);
    ck_assert_int_eq(credit_cache_get(c, "k99", &v), 1);
    ck_assert_int_eq(v, 99);
}
END_TEST

/* ---- single flight ---- */

typedef struct {
    credit_cache_t *cache;
    const char *key;
    volatile apr_uint32_t *runs; /* fills run */
    apr_interval_time_t hold;    /* how long a fill takes */
    credit_status_t fail;        /* what a fill answers */
    const char *got;             /* what the caller got */
    credit_status_t rv;
    apr_pool_t *pool;
    volatile apr_uint32_t *inside; /* fills under way now (or NULL) */
    volatile apr_uint32_t *most;   /* the most seen at once */
} caller_t;

static credit_status_t slow_fill(void *ctx, apr_pool_t *p, const char **value)
{
    caller_t *c = ctx;
    apr_atomic_inc32(c->runs);
    if (c->inside) {
        apr_uint32_t now = apr_atomic_inc32(c->inside) + 1, seen;
        while ((seen = apr_atomic_read32(c->most)) < now &&
               apr_atomic_cas32(c->most, now, seen) != seen)
            ;
    }
    apr_sleep(c->hold);
    if (c->inside)
        apr_atomic_dec32(c->inside);
    if (c->fail != CREDIT_OK)
        return c->fail;
    *value = apr_pstrcat(p, "value of ", c->key, NULL);
    return CREDIT_OK;
}

static void *APR_THREAD_FUNC call(apr_thread_t *t, void *data)
{
    caller_t *c = data;
    c->rv = credit_cache_fetch(c->cache, c->pool, c->key, slow_fill, c, &c->got);
    apr_thread_exit(t, APR_SUCCESS);
    return NULL;
}

/* A thread whose pool's parent is its own: the thread destroys its pool as
 * it exits, which changes the parent's list of children, so the parent must
 * not be a pool another thread allocates from meanwhile. */
static apr_status_t start_thread(apr_thread_t **th, apr_thread_start_t fn, void *data)
{
    apr_pool_t *parent;
    apr_pool_create(&parent, unit_pool);
    return apr_thread_create(th, NULL, fn, data, parent);
}

/* n callers of keys[i % nkeys] at once; returns when all are back. */
static void run_callers(caller_t *callers, int n)
{
    apr_thread_t *th[16];
    apr_status_t st;
    int i;
    ck_assert_int_le(n, 16);
    for (i = 0; i < n; i++) {
        apr_pool_create(&callers[i].pool, unit_pool);
        ck_assert_int_eq(start_thread(&th[i], call, &callers[i]), APR_SUCCESS);
    }
    for (i = 0; i < n; i++)
        apr_thread_join(&st, th[i]);
}

START_TEST(one_fill_per_key)
{
    credit_cache_t *c = credit_cache_create(unit_pool, 64);
    volatile apr_uint32_t runs = 0;
    caller_t callers[12];
    int i;
    for (i = 0; i < 12; i++)
        callers[i] = (caller_t){c,         "total|district=heping|7|20261205",
                                &runs,     apr_time_from_msec(200),
                                CREDIT_OK, NULL,
                                -1,        NULL,
                                NULL,      NULL};
    run_callers(callers, 12);
    /* Twelve requests for one cold key: one query, twelve answers. */
    ck_assert_uint_eq(apr_atomic_read32(&runs), 1);
    for (i = 0; i < 12; i++) {
        ck_assert_int_eq(callers[i].rv, CREDIT_OK);
        ck_assert_str_eq(callers[i].got, "value of total|district=heping|7|20261205");
    }
}
END_TEST

START_TEST(different_keys_do_not_wait)
{
    credit_cache_t *c = credit_cache_create(unit_pool, 64);
    volatile apr_uint32_t runs = 0, inside = 0, most = 0;
    caller_t callers[8];
    int i;
    for (i = 0; i < 8; i++)
        callers[i] = (caller_t){c,         apr_psprintf(unit_pool, "ids|q=%d", i),
                                &runs,     apr_time_from_msec(300),
                                CREDIT_OK, NULL,
                                -1,        NULL,
                                &inside,   &most};
    run_callers(callers, 8);
    /* Eight different cold keys side by side: eight fills, and more than
     * one under way at once (a lock for every fill would keep them to one). */
    ck_assert_uint_eq(apr_atomic_read32(&runs), 8);
    ck_assert_uint_gt(apr_atomic_read32(&most), 1);
    for (i = 0; i < 8; i++)
        ck_assert_str_eq(callers[i].got, apr_psprintf(unit_pool, "value of ids|q=%d", i));
}
END_TEST

START_TEST(a_failed_fill_is_shared_and_not_cached)
{
    credit_cache_t *c = credit_cache_create(unit_pool, 64);
    volatile apr_uint32_t runs = 0;
    caller_t callers[6];
    const char *v;
    int i;
    for (i = 0; i < 6; i++)
        callers[i] =
            (caller_t){c,    "total|q=x", &runs, apr_time_from_msec(200), CREDIT_EUNAVAIL, NULL, -1,
                       NULL, NULL,        NULL};
    run_callers(callers, 6);
    ck_assert_uint_eq(apr_atomic_read32(&runs), 1);
    for (i = 0; i < 6; i++)
        ck_assert_int_eq(callers[i].rv, CREDIT_EUNAVAIL);
    ck_assert_int_eq(credit_cache_get_text(c, unit_pool, "total|q=x", &v), 0);
    /* The next caller tries again. */
    callers[0].fail = CREDIT_OK;
    callers[0].hold = 0;
    ck_assert_int_eq(credit_cache_fetch(c, unit_pool, "total|q=x", slow_fill, &callers[0], &v),
                     CREDIT_OK);
    ck_assert_str_eq(v, "value of total|q=x");
    ck_assert_uint_eq(apr_atomic_read32(&runs), 2);
}
END_TEST

START_TEST(waiters_get_the_answer_of_their_own_key)
{
    credit_cache_t *c = credit_cache_create(unit_pool, 64);
    volatile apr_uint32_t runs = 0;
    caller_t callers[16];
    int round, i;
    /* Three rounds of four cold keys at once, four callers each, one key
     * of four failing: each key is filled once a round, and every caller
     * gets its own key's answer, the one that failed included (a flight's
     * waiters wake when their key lands, whatever lands before it). */
    for (round = 0; round < 3; round++) {
        apr_atomic_set32(&runs, 0);
        for (i = 0; i < 16; i++)
            callers[i] = (caller_t){c,
                                    apr_psprintf(unit_pool, "total|r=%d|k=%d", round, i % 4),
                                    &runs,
                                    apr_time_from_msec(100 + 60 * (i % 4)),
                                    i % 4 == 3 ? CREDIT_EUNAVAIL : CREDIT_OK,
                                    NULL,
                                    -1,
                                    NULL,
                                    NULL,
                                    NULL};
        run_callers(callers, 16);
        ck_assert_uint_eq(apr_atomic_read32(&runs), 4);
        for (i = 0; i < 16; i++) {
            if (i % 4 == 3) {
                ck_assert_int_eq(callers[i].rv, CREDIT_EUNAVAIL);
                continue;
            }
            ck_assert_int_eq(callers[i].rv, CREDIT_OK);
            ck_assert_str_eq(callers[i].got,
                             apr_psprintf(unit_pool, "value of %s", callers[i].key));
        }
    }
}
END_TEST

/* ---- the gate ---- */

typedef struct {
    credit_gate_t *gate;
    apr_interval_time_t hold; /* how long a caller that got in stays in */
    credit_status_t rv;
    volatile apr_uint32_t *inside, *most;
    volatile apr_uint32_t *busy; /* callers refused so far (or NULL) */
    apr_uint32_t until_busy;     /* stay in until that many were refused */
} gated_t;

static void *APR_THREAD_FUNC pass_gate(apr_thread_t *t, void *data)
{
    gated_t *g = data;
    g->rv = credit_gate_enter(g->gate);
    if (g->rv == CREDIT_OK) {
        apr_uint32_t now = apr_atomic_inc32(g->inside) + 1, seen;
        apr_time_t give_up = apr_time_now() + apr_time_from_sec(20);
        while ((seen = apr_atomic_read32(g->most)) < now &&
               apr_atomic_cas32(g->most, now, seen) != seen)
            ;
        apr_sleep(g->hold);
        /* Held until the others were turned away, however late the
         * scheduler starts them (a bound against a gate that lets one in). */
        while (g->busy && apr_atomic_read32(g->busy) < g->until_busy && apr_time_now() < give_up)
            apr_sleep(apr_time_from_msec(5));
        apr_atomic_dec32(g->inside);
        credit_gate_leave(g->gate);
    } else if (g->busy) {
        apr_atomic_inc32(g->busy);
    }
    apr_thread_exit(t, APR_SUCCESS);
    return NULL;
}

START_TEST(gate_bounds_and_refuses)
{
    /* Two places, callers wait 150 ms: of eight callers, the two that get
     * in stay until the six others were refused; never more than two
     * inside. */
    credit_gate_t *gate = credit_gate_create(unit_pool, 2, 150);
    volatile apr_uint32_t inside = 0, most = 0, refused = 0;
    gated_t g[8];
    apr_thread_t *th[8];
    apr_status_t st;
    int i, ok = 0, busy = 0;
    ck_assert_ptr_nonnull(gate);
    for (i = 0; i < 8; i++) {
        g[i] = (gated_t){gate, 0, -1, &inside, &most, &refused, 6};
        start_thread(&th[i], pass_gate, &g[i]);
    }
    for (i = 0; i < 8; i++) {
        apr_thread_join(&st, th[i]);
        ok += g[i].rv == CREDIT_OK;
        busy += g[i].rv == CREDIT_EBUSY;
    }
    ck_assert_int_eq(ok, 2);
    ck_assert_int_eq(busy, 6);
    ck_assert_uint_eq(apr_atomic_read32(&most), 2);
    ck_assert_int_eq(credit_gate_busy(gate), 0);
    ck_assert_uint_eq(credit_gate_refused(gate), 6);
}
END_TEST

START_TEST(gate_lets_waiters_in_when_places_free)
{
    /* Places free within the wait: everyone gets in, two at a time. */
    credit_gate_t *gate = credit_gate_create(unit_pool, 2, 2000);
    volatile apr_uint32_t inside = 0, most = 0;
    gated_t g[6];
    apr_thread_t *th[6];
    apr_status_t st;
    int i;
    for (i = 0; i < 6; i++) {
        g[i] = (gated_t){gate, apr_time_from_msec(50), -1, &inside, &most, NULL, 0};
        start_thread(&th[i], pass_gate, &g[i]);
    }
    for (i = 0; i < 6; i++) {
        apr_thread_join(&st, th[i]);
        ck_assert_int_eq(g[i].rv, CREDIT_OK);
    }
    ck_assert_uint_le(apr_atomic_read32(&most), 2);
    ck_assert_uint_eq(credit_gate_refused(gate), 0);
    /* No gate: no limit. */
    ck_assert_int_eq(credit_gate_enter(NULL), CREDIT_OK);
}
END_TEST

typedef struct {
    credit_gate_t *gate;
    int me;
    volatile apr_uint32_t *next; /* the next slot of order */
    int *order;                  /* who got in, in the order they got in */
    credit_status_t rv;
} queued_t;

static void *APR_THREAD_FUNC queue_at_gate(apr_thread_t *t, void *data)
{
    queued_t *q = data;
    q->rv = credit_gate_enter(q->gate);
    if (q->rv == CREDIT_OK) {
        q->order[apr_atomic_inc32(q->next)] = q->me;
        apr_sleep(apr_time_from_msec(5));
        credit_gate_leave(q->gate);
    }
    apr_thread_exit(t, APR_SUCCESS);
    return NULL;
}

START_TEST(gate_lets_waiters_in_in_the_order_they_came)
{
    /* One place, held; five callers come one after the other and wait:
     * when the place comes free they get in in the order they came (a
     * caller that waited longest is never passed by a later one). */
    credit_gate_t *gate = credit_gate_create(unit_pool, 1, 10000);
    volatile apr_uint32_t next = 0;
    int order[5] = {-1, -1, -1, -1, -1};
    queued_t q[5];
    apr_thread_t *th[5];
    apr_status_t st;
    int i;
    ck_assert_int_eq(credit_gate_enter(gate), CREDIT_OK);
    for (i = 0; i < 5; i++) {
        apr_time_t give_up = apr_time_now() + apr_time_from_sec(20);
        q[i] = (queued_t){gate, i, &next, order, -1};
        start_thread(&th[i], queue_at_gate, &q[i]);
        /* the next one comes once this one waits */
        while (credit_gate_waiting(gate) < i + 1 && apr_time_now() < give_up)
            apr_sleep(apr_time_from_msec(1));
        ck_assert_int_eq(credit_gate_waiting(gate), i + 1);
    }
    credit_gate_leave(gate);
    for (i = 0; i < 5; i++)
        apr_thread_join(&st, th[i]);
    for (i = 0; i < 5; i++) {
        ck_assert_int_eq(q[i].rv, CREDIT_OK);
        ck_assert_int_eq(order[i], i);
    }
    ck_assert_int_eq(credit_gate_waiting(gate), 0);
    ck_assert_int_eq(credit_gate_busy(gate), 0);
}
END_TEST

START_TEST(gate_refusing_its_longest_waiter_lets_the_next_one_in)
{
    /* One place, held 1.3 s; callers wait at most 1 s. The first caller
     * comes at once and is refused after its second; the second comes
     * 0.6 s later, is then the longest waiting, and gets the place when it
     * comes free: the place passes to whoever waits, not to the caller
     * that gave up. */
    credit_gate_t *gate = credit_gate_create(unit_pool, 1, 1000);
    volatile apr_uint32_t next = 0;
    int order[2] = {-1, -1};
    queued_t q[2];
    apr_thread_t *th[2];
    apr_status_t st;
    apr_time_t start = apr_time_now(), give_up = start + apr_time_from_sec(20);
    ck_assert_int_eq(credit_gate_enter(gate), CREDIT_OK);
    q[0] = (queued_t){gate, 0, &next, order, -1};
    start_thread(&th[0], queue_at_gate, &q[0]);
    while (credit_gate_waiting(gate) < 1 && apr_time_now() < give_up)
        apr_sleep(apr_time_from_msec(1));
    apr_sleep(apr_time_from_msec(600));
    q[1] = (queued_t){gate, 1, &next, order, -1};
    start_thread(&th[1], queue_at_gate, &q[1]);
    apr_thread_join(&st, th[0]);
    ck_assert_int_eq(q[0].rv, CREDIT_EBUSY);
    ck_assert_int_eq(credit_gate_waiting(gate), 1);
    apr_sleep(start + apr_time_from_msec(1300) - apr_time_now());
    credit_gate_leave(gate);
    apr_thread_join(&st, th[1]);
    ck_assert_int_eq(q[1].rv, CREDIT_OK);
    ck_assert_int_eq(order[0], 1);
    ck_assert_uint_eq(credit_gate_refused(gate), 1);
    ck_assert_int_eq(credit_gate_waiting(gate), 0);
    ck_assert_int_eq(credit_gate_busy(gate), 0);
}
END_TEST

/* An export's place held while it writes to its client: a write that
 * waits longer than the hold's stall gives the place to the next, once,
 * whether the reaper finds it waiting or the write ends first; a late
 * release gives nothing back twice. */
START_TEST(gate_gives_back_places_of_writes_that_wait)
{
    credit_gate_t *gate = credit_gate_create(unit_pool, 1, 0);
    credit_gate_hold_t *h1, *h2, *h3;
    apr_pool_t *sub;
    ck_assert_ptr_nonnull(gate);
    /* Not writing, or not for long (a minute: whatever the machine's
     * load): kept. */
    ck_assert_int_eq(credit_gate_hold(gate, unit_pool, apr_time_from_sec(60), &h1), CREDIT_OK);
    ck_assert_int_eq(credit_gate_hold(gate, unit_pool, apr_time_from_sec(60), &h2), CREDIT_EBUSY);
    ck_assert_ptr_null(h2);
    ck_assert_int_eq(credit_gate_reap(gate), 0);
    credit_gate_hold_writing(h1, 1);
    ck_assert_int_eq(credit_gate_reap(gate), 0);
    credit_gate_hold_writing(h1, 0);
    ck_assert_int_eq(credit_gate_busy(gate), 1);
    credit_gate_hold_release(h1);
    ck_assert_int_eq(credit_gate_busy(gate), 0);
    /* A write still waiting after its stall: the reaper gives the place. */
    ck_assert_int_eq(credit_gate_hold(gate, unit_pool, apr_time_from_msec(50), &h1), CREDIT_OK);
    credit_gate_hold_writing(h1, 1);
    apr_sleep(apr_time_from_msec(80));
    ck_assert_int_eq(credit_gate_reap(gate), 1);
    ck_assert_int_eq(credit_gate_busy(gate), 0);
    ck_assert_int_eq(credit_gate_reap(gate), 0);
    /* The place is the next one's; the first one's write ends, it leaves. */
    ck_assert_int_eq(credit_gate_hold(gate, unit_pool, apr_time_from_sec(60), &h2), CREDIT_OK);
    credit_gate_hold_writing(h1, 0);
    credit_gate_hold_release(h1);
    ck_assert_int_eq(credit_gate_busy(gate), 1);
    credit_gate_hold_release(h2);
    credit_gate_hold_release(h2);
    ck_assert_int_eq(credit_gate_busy(gate), 0);
    /* A write that ended after its stall gives the place itself. */
    ck_assert_int_eq(credit_gate_hold(gate, unit_pool, apr_time_from_msec(50), &h1), CREDIT_OK);
    credit_gate_hold_writing(h1, 1);
    apr_sleep(apr_time_from_msec(80));
    credit_gate_hold_writing(h1, 0);
    ck_assert_int_eq(credit_gate_busy(gate), 0);
    credit_gate_hold_release(h1);
    ck_assert_int_eq(credit_gate_busy(gate), 0);
    /* A holder's pool gives its place back when it goes. */
    ck_assert_int_eq(apr_pool_create(&sub, unit_pool), APR_SUCCESS);
    ck_assert_int_eq(credit_gate_hold(gate, sub, apr_time_from_sec(60), &h3), CREDIT_OK);
    ck_assert_int_eq(credit_gate_busy(gate), 1);
    apr_pool_destroy(sub);
    ck_assert_int_eq(credit_gate_busy(gate), 0);
    /* No gate: let in, nothing held. */
    ck_assert_int_eq(credit_gate_hold(NULL, unit_pool, apr_time_from_sec(60), &h3), CREDIT_OK);
    ck_assert_ptr_null(h3);
    credit_gate_hold_writing(h3, 1);
    credit_gate_hold_release(h3);
}
END_TEST

START_TEST(host_gate_is_shared_by_children_and_given_back_by_the_kernel)
{
    /* One host place shared by two children's gates (each with places of
     * its own): while one holds it the other is refused after its wait. */
    int host = credit_gate_host_create(1, -1, -1), status;
    credit_gate_t *a = credit_gate_create(unit_pool, 2, 50);
    credit_gate_t *b = credit_gate_create(unit_pool, 2, 50);
    pid_t pid;
    ck_assert_int_ge(host, 0);
    credit_gate_share(a, host);
    credit_gate_share(b, host);
    ck_assert_int_eq(credit_gate_enter(a), CREDIT_OK);
    ck_assert_int_eq(credit_gate_enter(b), CREDIT_EBUSY);
    ck_assert_int_eq(credit_gate_busy(b), 0); /* its own place given back */
    credit_gate_leave(a);
    ck_assert_int_eq(credit_gate_enter(b), CREDIT_OK);
    credit_gate_leave(b);
    /* A child process dies holding the place: the kernel gives it back. */
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0)
        _exit(credit_gate_enter(a) == CREDIT_OK ? 0 : 1); /* no leave */
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ck_assert_int_eq(credit_gate_enter(b), CREDIT_OK);
    credit_gate_leave(b);
    /* A removed host gate (a restart) lets in. */
    credit_gate_host_remove(host);
    ck_assert_int_eq(credit_gate_enter(a), CREDIT_OK);
    ck_assert_int_eq(credit_gate_enter(b), CREDIT_OK);
    credit_gate_leave(a);
    credit_gate_leave(b);
}
END_TEST

START_TEST(what_a_childs_threads_share_has_a_locked_allocator)
{
    /* httpd's event MPM makes a child's pool with an allocator without a
     * lock. The pool of the caches, gate and connection pools has one of
     * its own, with a lock, and the pools made from it (a cache's entries,
     * a connection's statements) share it. */
    apr_allocator_t *unlocked, *own;
    apr_pool_t *pchild, *shared, *entries;
    ck_assert_int_eq(apr_allocator_create(&unlocked), APR_SUCCESS);
    ck_assert_int_eq(apr_pool_create_ex(&pchild, unit_pool, NULL, unlocked), APR_SUCCESS);
    apr_allocator_owner_set(unlocked, pchild);
    ck_assert_ptr_null(apr_allocator_mutex_get(apr_pool_allocator_get(pchild)));
    shared = credit_pool_shared(pchild);
    ck_assert_ptr_nonnull(shared);
    own = apr_pool_allocator_get(shared);
    ck_assert_ptr_ne(own, unlocked);
    ck_assert_ptr_nonnull(apr_allocator_mutex_get(own));
    ck_assert_int_eq(apr_pool_create(&entries, shared), APR_SUCCESS);
    ck_assert_ptr_eq(apr_pool_allocator_get(entries), own);
    ck_assert_ptr_nonnull(credit_cache_create_sized(shared, 8, 1024));
    /* It goes with the child's pool. */
    apr_pool_destroy(pchild);
}
END_TEST

Suite *cache_suite(void)
{
    Suite *s = suite_create("cache");
    TCase *tc = tcase_create("cache");
    tcase_add_checked_fixture(tc, unit_setup, unit_teardown);
    tcase_add_test(tc, put_get);
    tcase_add_test(tc, bounded);
    tcase_add_test(tc, one_fill_per_key);
    tcase_add_test(tc, different_keys_do_not_wait);
    tcase_add_test(tc, a_failed_fill_is_shared_and_not_cached);
    tcase_add_test(tc, waiters_get_the_answer_of_their_own_key);
    tcase_add_test(tc, gate_bounds_and_refuses);
    tcase_add_test(tc, gate_lets_waiters_in_when_places_free);
    tcase_add_test(tc, gate_lets_waiters_in_in_the_order_they_came);
    tcase_add_test(tc, gate_refusing_its_longest_waiter_lets_the_next_one_in);
    tcase_add_test(tc, gate_gives_back_places_of_writes_that_wait);
    tcase_add_test(tc, host_gate_is_shared_by_children_and_given_back_by_the_kernel);
    tcase_add_test(tc, what_a_childs_threads_share_has_a_locked_allocator);
    tcase_set_timeout(tc, 30);
    suite_add_tcase(s, tc);
    return s;
}
