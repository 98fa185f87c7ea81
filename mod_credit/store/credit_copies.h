/* credit_copies.h: the copies of the database the public pages read from:
 * the primary (CreditDB) and its replicas (CreditDBReplica), what a child
 * knows of each, and which one a request reads from.
 *
 * A checker (credit_copies_check.c, run every few hundred ms in each child
 * by mod_watchdog) reads the primary's GTID position and then each
 * replica's. A replica that holds everything the primary had at time T is
 * "fresh as of T"; a request may read from it while now - T is within the
 * bound (CreditDBReplicaLag), so whatever the primary committed more than
 * the bound ago (a withdrawal above all) is on every page read from a
 * replica. The rule is applied when a request picks its copy, so a checker
 * that falls behind only makes replicas look older, never a stale page
 * look current. Pure: times are given by the caller (milliseconds). */
#ifndef CREDIT_COPIES_H
#define CREDIT_COPIES_H

#include <apr_atomic.h>
#include "credit.h"
#include "credit_db.h"
#include "credit_gtid.h"

/* The primary and up to 8 replicas. */
#define CREDIT_COPIES_MAX 9
/* Primary positions remembered (with their times) to date a replica's. */
#define CREDIT_COPIES_RING 64

#define CREDIT_REPLICA_LAG_DEFAULT_MS 1000

typedef enum {
    CREDIT_COPY_UNKNOWN = 0, /* not checked yet */
    CREDIT_COPY_CURRENT,     /* the primary reachable; a replica fresh within the bound */
    CREDIT_COPY_BEHIND,      /* a replica reachable but older than the bound */
    CREDIT_COPY_DOWN         /* not reachable (checker or a request found it so) */
} credit_copy_state_t;

typedef struct credit_copies credit_copies_t;

/* An empty set whose replicas may be at most lag_ms behind for reads.
 * NULL when out of memory. */
credit_copies_t *credit_copies_create(apr_pool_t *p, long long lag_ms);

/* Adds a copy: the first one added is the primary. Returns its index, or
 * -1 when CREDIT_COPIES_MAX are there. db is copied. */
int credit_copies_add(credit_copies_t *c, const credit_db_params_t *db);

int credit_copies_count(const credit_copies_t *c);
long long credit_copies_lag_bound(const credit_copies_t *c);
const credit_db_params_t *credit_copies_params(const credit_copies_t *c, int i);
/* "primary", "replica 1", ... (no address: the health page shows it). */
const char *credit_copies_name(const credit_copies_t *c, int i);

/* The connection pool of copy i in this child (made in child_init). */
void credit_copies_set_pool(credit_copies_t *c, int i, credit_dbpool_t *pool);
credit_dbpool_t *credit_copies_pool(const credit_copies_t *c, int i);

/* What a check found (the checker thread only). `pos` is the GTID
 * position read, NULL when the copy could not be reached or answered
 * nonsense; t_ms when the statement was sent (for the primary: whatever
 * committed before t_ms is in pos). */
void credit_copies_primary_checked(credit_copies_t *c, long long t_ms, const char *pos);
void credit_copies_replica_checked(credit_copies_t *c, int i, const char *pos);

/* The copy a request reads from, none of those in `tried` (bit i: copy i):
 * a replica fresh within the bound (in turn); else the primary unless it
 * is known down; else the freshest replica not known down (the primary
 * is away: the best copy there is); else the primary all the same. -1
 * when every copy has been tried. */
int credit_copies_pick(credit_copies_t *c, long long now_ms, unsigned tried);

/* A request could not connect to copy i: it is skipped until the checker
 * reaches it again (or, for the primary, until nothing else is left). */
void credit_copies_mark_down(credit_copies_t *c, int i);

/* A request connected to copy i: it is not down (a copy no checker looks
 * at, the primary without replicas, comes back this way). */
void credit_copies_mark_up(credit_copies_t *c, int i);

/* The state of copy i now, and how far behind the primary its data may be
 * (0 for the primary; -1 when unknown or down). */
credit_copy_state_t credit_copies_state(const credit_copies_t *c, int i, long long now_ms,
                                        long long *lag_ms);

/* "current", "behind", "down", "unknown". */
const char *credit_copy_state_name(credit_copy_state_t st);

#endif
