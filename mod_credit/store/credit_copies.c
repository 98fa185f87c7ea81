/* credit_copies.c: see credit_copies.h. Request threads read what the
 * checker thread writes through APR's atomics; the ring of primary
 * positions belongs to the checker alone. */
#include <string.h>
#include <apr_strings.h>

#include "credit_copies.h"

typedef struct {
    credit_db_params_t db;
    const char *name;
    credit_dbpool_t *pool;
    volatile apr_uint32_t down;     /* 1: known unreachable */
    volatile apr_uint32_t checked;  /* 1: a check has seen it */
    volatile apr_uint64_t fresh_ms; /* a replica holds what the primary had then; 0: unknown */
} copy_t;

struct credit_copies {
    apr_pool_t *p;
    copy_t copy[CREDIT_COPIES_MAX];
    int n;
    long long lag_ms;
    volatile apr_uint32_t turn; /* round robin over the fresh replicas */
    /* The checker's: the primary's recent positions, newest at next - 1. */
    struct {
        long long t_ms;
        credit_gtid_pos_t pos;
    } ring[CREDIT_COPIES_RING];
    int ring_n, ring_next;
};

credit_copies_t *credit_copies_create(apr_pool_t *p, long long lag_ms)
{
    credit_copies_t *c = apr_pcalloc(p, sizeof *c);
    c->p = p;
    c->lag_ms = lag_ms > 0 ? lag_ms : CREDIT_REPLICA_LAG_DEFAULT_MS;
    return c;
}

int credit_copies_add(credit_copies_t *c, const credit_db_params_t *db)
{
    copy_t *k;
    if (c->n == CREDIT_COPIES_MAX)
        return -1;
    k = &c->copy[c->n];
    k->db = *db;
    k->name = c->n == 0 ? "primary" : apr_psprintf(c->p, "replica %d", c->n);
    return c->n++;
}

int credit_copies_count(const credit_copies_t *c)
{
    return c->n;
}

long long credit_copies_lag_bound(const credit_copies_t *c)
{
    return c->lag_ms;
}

const credit_db_params_t *credit_copies_params(const credit_copies_t *c, int i)
{
    return &c->copy[i].db;
}

const char *credit_copies_name(const credit_copies_t *c, int i)
{
    return c->copy[i].name;
}

void credit_copies_set_pool(credit_copies_t *c, int i, credit_dbpool_t *pool)
{
    c->copy[i].pool = pool;
}

credit_dbpool_t *credit_copies_pool(const credit_copies_t *c, int i)
{
    return c->copy[i].pool;
}

credit_copy_state_t credit_copies_state(const credit_copies_t *c, int i, long long now_ms,
                                        long long *lag_ms)
{
    copy_t *k = (copy_t *)&c->copy[i];
    long long fresh, lag;
    *lag_ms = -1;
    if (apr_atomic_read32(&k->down))
        return CREDIT_COPY_DOWN;
    if (i == 0) {
        *lag_ms = 0;
        return CREDIT_COPY_CURRENT;
    }
    if (!apr_atomic_read32(&k->checked))
        return CREDIT_COPY_UNKNOWN;
    fresh = (long long)apr_atomic_read64(&k->fresh_ms);
    if (!fresh)
        return CREDIT_COPY_BEHIND;
    lag = now_ms > fresh ? now_ms - fresh : 0;
    *lag_ms = lag;
    return lag <= c->lag_ms ? CREDIT_COPY_CURRENT : CREDIT_COPY_BEHIND;
}

void credit_copies_primary_checked(credit_copies_t *c, long long t_ms, const char *pos)
{
    copy_t *k = &c->copy[0];
    credit_gtid_pos_t p;
    apr_atomic_set32(&k->checked, 1);
    if (!pos || !credit_gtid_parse(pos, &p)) {
        apr_atomic_set32(&k->down, 1);
        return;
    }
    c->ring[c->ring_next].t_ms = t_ms;
    c->ring[c->ring_next].pos = p;
    c->ring_next = (c->ring_next + 1) % CREDIT_COPIES_RING;
    if (c->ring_n < CREDIT_COPIES_RING)
        c->ring_n++;
    apr_atomic_set32(&k->down, 0);
}

void credit_copies_replica_checked(credit_copies_t *c, int i, const char *pos)
{
    copy_t *k = &c->copy[i];
    long long fresh = (long long)apr_atomic_read64(&k->fresh_ms);
    credit_gtid_pos_t p;
    int j;
    apr_atomic_set32(&k->checked, 1);
    if (!pos || !credit_gtid_parse(pos, &p)) {
        /* What it held before it went away says nothing of what it holds
         * when it comes back (it may have been restored from a backup). */
        apr_atomic_set64(&k->fresh_ms, 0);
        apr_atomic_set32(&k->down, 1);
        return;
    }
    /* The newest primary position it holds dates it. */
    for (j = 1; j <= c->ring_n; j++) {
        int at = (c->ring_next - j + CREDIT_COPIES_RING) % CREDIT_COPIES_RING;
        if (credit_gtid_covers(&p, &c->ring[at].pos)) {
            if (c->ring[at].t_ms > fresh)
                apr_atomic_set64(&k->fresh_ms, (apr_uint64_t)c->ring[at].t_ms);
            break;
        }
    }
    apr_atomic_set32(&k->down, 0);
}

void credit_copies_mark_down(credit_copies_t *c, int i)
{
    if (i >= 0 && i < c->n)
        apr_atomic_set32(&c->copy[i].down, 1);
}

void credit_copies_mark_up(credit_copies_t *c, int i)
{
    if (i >= 0 && i < c->n && apr_atomic_read32(&c->copy[i].down))
        apr_atomic_set32(&c->copy[i].down, 0);
}

int credit_copies_pick(credit_copies_t *c, long long now_ms, unsigned tried)
{
    int i, k, nrep = c->n - 1, best = -1;
    long long lag, best_fresh = -1;
    if (nrep > 0) {
        unsigned start = apr_atomic_inc32(&c->turn);
        for (k = 0; k < nrep; k++) {
            i = 1 + (int)((start + (unsigned)k) % (unsigned)nrep);
            if (!(tried & (1u << i)) &&
                credit_copies_state(c, i, now_ms, &lag) == CREDIT_COPY_CURRENT)
                return i;
        }
    }
    if (c->n > 0 && !(tried & 1u) && !apr_atomic_read32(&c->copy[0].down))
        return 0;
    /* The primary is away: the freshest replica that is not. */
    for (i = 1; i < c->n; i++) {
        long long fresh = (long long)apr_atomic_read64(&c->copy[i].fresh_ms);
        if ((tried & (1u << i)) || apr_atomic_read32(&c->copy[i].down))
            continue;
        if (fresh > best_fresh) {
            best = i;
            best_fresh = fresh;
        }
    }
    if (best >= 0)
        return best;
    return c->n > 0 && !(tried & 1u) ? 0 : -1;
}

const char *credit_copy_state_name(credit_copy_state_t st)
{
    switch (st) {
    case CREDIT_COPY_CURRENT:
        return "current";
    case CREDIT_COPY_BEHIND:
        return "behind";
    case CREDIT_COPY_DOWN:
        return "down";
    default:
        return "unknown";
    }
}
