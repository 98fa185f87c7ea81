/* credit_store.c: what every store implementation shares: the members a
 * store takes from what it is opened with (credit_store_open_t), the
 * staff's look-up budget drawn from them, and the readers' connection
 * settings. */
#include <apr_strings.h>

#include "credit_store.h"
#include "credit_store_staff.h"

void credit_store_init(credit_store_t *s, const credit_store_open_t *o)
{
    s->pool = o->pool;
    s->today = o->today;
    s->cache = o->cache;
    s->gate = o->gate;
    s->tallies = o->tallies;
    s->case_days = o->case_days ? o->case_days : &credit_case_days_default;
    s->lookup_limit = o->lookup_limit > 0 ? o->lookup_limit : CREDIT_LOOKUP_LIMIT_DEFAULT;
    s->lookup_window = o->lookup_window > 0 ? o->lookup_window : CREDIT_LOOKUP_WINDOW_DEFAULT;
    s->walk_rows = o->walk_rows > 0 ? o->walk_rows : CREDIT_WALK_ROWS_DEFAULT;
    s->probe_rows = o->probe_rows > 0 ? o->probe_rows : CREDIT_PROBE_ROWS_DEFAULT;
    if (s->probe_rows > s->walk_rows)
        s->probe_rows = s->walk_rows;
}

void credit_admin_lookup_budget_init(credit_store_t *s, credit_lookup_budget_t *b)
{
    b->limit = s->lookup_limit;
    b->window = s->lookup_window;
    b->used = b->retry_after = b->refused = b->found = 0;
}

const credit_db_params_t *credit_store_reader_params(apr_pool_t *p, const credit_db_params_t *db)
{
    credit_db_params_t *r = apr_pmemdup(p, db, sizeof *db);
    r->first_sql = CREDIT_STORE_READER_FIRST_SQL;
    return r;
}
