/* credit_page_lines.c: when the CSV export reads a district's rendered lines
 * (CreditExportLines) instead of the store, and the making of them
 * (credit_page.h; the file itself is credit_lines.c).
 *
 * An export's cost is its rows: at 1,000,000 records a whole district is
 * tens of thousands of rows read by key from MariaDB and rendered, and four
 * at once on two cores took half a second each. Read from its lines, the
 * same export costs about what a static file does (docs/BENCH.md, "A
 * district's lines"). */
#include <apr_strings.h>

#include "credit_page.h"
#include "credit_lines.h"

typedef struct {
    credit_req_t *rq;
    const char *district;
    const char *path;
} lines_fill_t;

/* Makes the file (credit_cache_fetch's fill: one caller of a child per
 * key). Its rows are every public record of the district, newest first, as
 * the store's export reads them; its version was read before them, so the
 * file holds that version or a later one, never an earlier. */
static credit_status_t lines_fill(void *ctx, apr_pool_t *p, const char **value)
{
    lines_fill_t *lf = ctx;
    credit_req_t *rq = lf->rq;
    credit_filter_t all = {0};
    credit_lines_writer_t *w;
    apr_time_t start = apr_time_now();
    credit_status_t rv;

    all.district = lf->district;
    all.sort = CREDIT_SORT_NEWEST;
    if ((rv = credit_lines_create(rq->pool, lf->path, &w)) != CREDIT_OK)
        return rv;
    if ((rv = credit_page_export_records(rq, &all, credit_lines_add, w)) != CREDIT_OK ||
        (rv = credit_lines_commit(w)) != CREDIT_OK)
        return rv;
    credit_lines_sweep(rq->pool, rq->lines_dir, lf->district, lf->path);
    credit_req_log(rq, 6, "CR0505", "export lines of %s made in %" APR_TIME_T_FMT " ms",
                   lf->district, apr_time_as_msec(apr_time_now() - start));
    *value = apr_pstrdup(p, "1");
    return CREDIT_OK;
}

credit_status_t credit_page_lines(credit_req_t *rq, const credit_filter_t *f, credit_lines_t **out)
{
    credit_version_t ver;
    credit_status_t rv;
    lines_fill_t lf = {rq, f->district, NULL};
    const char *made;
    long long changed;

    if (!rq->lines_dir || !credit_lines_answer(f))
        return CREDIT_ENOTFOUND;
    if ((rv = rq->store->ops->version(rq->store, &ver)) != CREDIT_OK)
        return rv;
    changed = credit_page_changed_unix(ver.changed_at);
    lf.path = credit_lines_path(rq->pool, rq->lines_dir, f->district, ver.data_version, changed,
                                rq->today, rq->build_id);
    rv = credit_lines_open(rq->pool, lf.path, out);
    if (rv == CREDIT_ENOTFOUND) {
        if (rq->now - changed < rq->lines_settle)
            return CREDIT_ENOTFOUND;
        rv =
            credit_cache_fetch(rq->totals, rq->pool, apr_pstrcat(rq->pool, "lines|", lf.path, NULL),
                               lines_fill, &lf, &made);
        if (rv == CREDIT_EBUSY || rv == CREDIT_EUNAVAIL)
            return rv;
        if (rv != CREDIT_OK) {
            credit_req_log(rq, 4, "CR0506", "export lines of %s not made (%d): read from the store",
                           f->district, (int)rv);
            return CREDIT_ENOTFOUND;
        }
        /* (Gone again only when a later version's were made meanwhile.) */
        rv = credit_lines_open(rq->pool, lf.path, out);
    }
    if (rv == CREDIT_EINTERNAL) {
        credit_req_log(rq, 4, "CR0507", "export lines file of %s unreadable: read from the store",
                       f->district);
        return CREDIT_ENOTFOUND;
    }
    return rv;
}
