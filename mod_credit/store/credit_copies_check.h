/* credit_copies_check.h: one round of the checker of the database copies
 * (credit_copies.h), run every few hundred ms by each child's watchdog
 * thread: the primary's GTID position, then each replica's, each over a
 * connection of the checker's own. */
#ifndef CREDIT_COPIES_CHECK_H
#define CREDIT_COPIES_CHECK_H

#include "credit_copies.h"

typedef struct credit_checker credit_checker_t;

/* A checker of c, logging changes of state through log (baton). Opens
 * nothing yet: a child's first round does. */
credit_checker_t *credit_checker_create(apr_pool_t *p, credit_copies_t *c, credit_log_fn *log,
                                        void *baton);

/* One round: updates c with what it found and logs every copy that went
 * down, came back, fell behind or caught up. */
void credit_checker_round(credit_checker_t *ck);

/* Closes the checker's connections (the child is stopping). */
void credit_checker_close(credit_checker_t *ck);

#endif
