/* credit_page_home.c: the home page: counts, latest disclosures, search box. */
#include <apr_strings.h>

#include "credit_page.h"
#include "credit_model.h"

#define HOME_LATEST 10

static credit_status_t count_subjects(credit_req_t *rq, const void *ctx, long long *out)
{
    (void)ctx;
    return rq->store->ops->count_subjects(rq->store, out);
}

credit_status_t credit_page_home(credit_req_t *rq)
{
    credit_filter_t f = {0};
    credit_record_page_t page;
    credit_view_t *v;
    credit_status_t rv;
    long long n, subjects;
    const char *key;
    size_t i;
    int fresh;
    credit_total_rel_t rel;

    if ((rv = credit_page_validators(rq, &fresh)) != CREDIT_OK || fresh)
        return rv;
    f.limit = HOME_LATEST;
    f.page = 1;
    if ((rv = rq->store->ops->list_records(rq->store, &f, CREDIT_DETAIL_BRIEF, &page)) != CREDIT_OK)
        return rv;
    if ((rv = credit_req_view(rq, &v)) != CREDIT_OK)
        return rv;
    if ((rv = credit_page_total(rq, &f, &n, &rel)) != CREDIT_OK)
        return rv;
    {
        const char *pairs[] = {"total", apr_psprintf(rq->pool, "%" APR_INT64_T_FMT, (apr_int64_t)n),
                               NULL};
        credit_page_head(rq, v, "home", pairs);
    }
    credit_view_set_int(v, "Counts.total", n);
    /* One count per severity, through the same cached totals as the list. */
    for (i = 0; i < credit_severities.n; i++) {
        credit_filter_t s = f;
        s.severity = credit_severities.items[i].code;
        if ((rv = credit_page_total(rq, &s, &n, &rel)) != CREDIT_OK)
            return rv;
        credit_view_set(v, apr_psprintf(rq->pool, "Counts.severity.%" APR_SIZE_T_FMT ".code", i),
                        s.severity);
        credit_view_set(v, apr_psprintf(rq->pool, "Counts.severity.%" APR_SIZE_T_FMT ".label", i),
                        credit_view_label(v, "severity", s.severity));
        credit_view_set_int(v, apr_psprintf(rq->pool, "Counts.severity.%" APR_SIZE_T_FMT ".n", i),
                            n);
    }
    if ((rv = credit_page_cache_key(rq, "subjects", &key)) != CREDIT_OK ||
        (rv = credit_page_cached_count(rq, key, count_subjects, NULL, &subjects)) != CREDIT_OK)
        return rv;
    credit_view_set_int(v, "Counts.subjects", subjects);
    for (i = 0; i < (size_t)page.items->nelts; i++)
        credit_view_record(v, apr_psprintf(rq->pool, "Latest.%" APR_SIZE_T_FMT, i),
                           APR_ARRAY_IDX(page.items, i, credit_record_t *), 0);
    for (i = 0; i < credit_districts.n; i++) {
        credit_view_set(v, apr_psprintf(rq->pool, "Districts.%" APR_SIZE_T_FMT ".code", i),
                        credit_districts.items[i].code);
        credit_view_set(v, apr_psprintf(rq->pool, "Districts.%" APR_SIZE_T_FMT ".label", i),
                        credit_view_label(v, "district", credit_districts.items[i].code));
    }
    return credit_page_render(rq, v, "home/index.cs");
}
