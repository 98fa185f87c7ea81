/* credit_pool.h: the pool of what a child's threads share: its caches, its
 * gate, its tallies and its connection pools, which threads fill and empty
 * at the same time under locks of their own (one per cache, one per list of
 * connections, none for a connection's own pool). httpd's threaded MPMs make
 * a child's pool with an allocator that has no lock, and every pool made
 * from it takes its memory from that allocator: two of them growing at once
 * would change its free lists together. The pool returned has an allocator
 * of its own, with a lock, which every pool made from it shares. */
#ifndef CREDIT_POOL_H
#define CREDIT_POOL_H

#include "credit.h"

/* A pool within parent (made before the threads start), or NULL when its
 * allocator or lock cannot be made. */
apr_pool_t *credit_pool_shared(apr_pool_t *parent);

#endif
