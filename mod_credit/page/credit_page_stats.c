/* credit_page_stats.c: GET /stats: public records by district, by domain
 * and by month of disclosure (the store's `stats`, as /api/v1/stats), and
 * complaint outcomes with the handling time per department; each chart an
 * SVG with its table as the text alternative. The page is cached per
 * child by data version, day, complaint stamp and language. */
#include <string.h>
#include <apr_strings.h>

#include "credit_page_bodies.h"
#include "credit_chart.h"
#include "credit_model.h"
#include "credit_rules.h"

#define STATS_MONTHS 24

static const char *const complaint_statuses[] = {"received", "accepted", "rejected", "processing",
                                                 "concluded"};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static long long count_of(const apr_array_header_t *a, const char *key)
{
    int i;
    for (i = 0; a && i < a->nelts; i++) {
        const credit_count_t *c = &APR_ARRAY_IDX(a, i, credit_count_t);
        if (c->key && !strcmp(c->key, key))
            return c->n;
    }
    return 0;
}

/* One chart over an enumeration (every code, zero counts included), and
 * its table rows under prefix.rows. */
static void enum_chart(credit_view_t *v, const char *prefix, const credit_enum_t *e,
                       const char *kind, const apr_array_header_t *counts)
{
    apr_pool_t *p = credit_view_pool(v);
    credit_bar_t *bars = apr_pcalloc(p, sizeof *bars * e->n);
    credit_chart_t chart = {.kind = CREDIT_CHART_BARS, .show_labels = 1, .show_values = 1};
    size_t i;
    for (i = 0; i < e->n; i++) {
        const char *code = e->items[i].code;
        long long n = count_of(counts, code);
        const char *row = apr_psprintf(p, "%s.rows.%" APR_SIZE_T_FMT, prefix, i);
        bars[i].value = (double)n;
        bars[i].text = apr_psprintf(p, "%" APR_INT64_T_FMT, (apr_int64_t)n);
        bars[i].label = credit_view_label(v, kind, code);
        bars[i].tip = apr_pstrcat(p, bars[i].label, " ", bars[i].text, NULL);
        credit_view_set(v, apr_pstrcat(p, row, ".code", NULL), code);
        credit_view_set(v, apr_pstrcat(p, row, ".label", NULL), bars[i].label);
        credit_view_set_int(v, apr_pstrcat(p, row, ".n", NULL), n);
    }
    credit_chart_put(v, apr_pstrcat(p, prefix, ".chart", NULL), &chart, bars, (int)e->n);
}

/* The last STATS_MONTHS months up to today's, zero months included. */
static void month_chart(credit_req_t *rq, credit_view_t *v, const apr_array_header_t *by_month)
{
    apr_pool_t *p = rq->pool;
    credit_bar_t bars[STATS_MONTHS];
    credit_chart_t chart = {.kind = CREDIT_CHART_COLUMNS, .show_labels = 1, .show_values = 1};
    credit_date_t first = {rq->today.y, rq->today.m, 1};
    int i;
    memset(bars, 0, sizeof bars);
    first = credit_date_add_months(first, -(STATS_MONTHS - 1));
    for (i = 0; i < STATS_MONTHS; i++) {
        credit_date_t d = credit_date_add_months(first, i);
        const char *key = apr_psprintf(p, "%04d-%02d", d.y, d.m);
        long long n = count_of(by_month, key);
        const char *row = apr_psprintf(p, "Stats.month.rows.%d", i);
        bars[i].value = (double)n;
        bars[i].text = apr_psprintf(p, "%" APR_INT64_T_FMT, (apr_int64_t)n);
        bars[i].label = key;
        bars[i].tip = apr_pstrcat(p, key, " ", bars[i].text, NULL);
        credit_view_set(v, apr_pstrcat(p, row, ".label", NULL), key);
        credit_view_set_int(v, apr_pstrcat(p, row, ".n", NULL), n);
        if (i == 0)
            credit_view_set(v, "Stats.month.from", key);
        if (i == STATS_MONTHS - 1)
            credit_view_set(v, "Stats.month.to", key);
    }
    credit_chart_put(v, "Stats.month.chart", &chart, bars, STATS_MONTHS);
}

static void complaint_charts(credit_view_t *v, const credit_complaint_stats_t *cs)
{
    apr_pool_t *p = credit_view_pool(v);
    credit_bar_t out[N(complaint_statuses)];
    credit_bar_t *days;
    credit_chart_t chart = {.kind = CREDIT_CHART_BARS, .show_labels = 1, .show_values = 1};
    long long total = 0;
    size_t i;
    int j, nd = 0;

    memset(out, 0, sizeof out);
    for (i = 0; i < N(complaint_statuses); i++) {
        long long n = count_of(cs->by_status, complaint_statuses[i]);
        const char *row = apr_psprintf(p, "Stats.outcome.rows.%" APR_SIZE_T_FMT, i);
        out[i].value = (double)n;
        out[i].text = apr_psprintf(p, "%" APR_INT64_T_FMT, (apr_int64_t)n);
        out[i].label = credit_view_label(v, "case_status", complaint_statuses[i]);
        out[i].tip = apr_pstrcat(p, out[i].label, " ", out[i].text, NULL);
        credit_view_set(v, apr_pstrcat(p, row, ".code", NULL), complaint_statuses[i]);
        credit_view_set(v, apr_pstrcat(p, row, ".label", NULL), out[i].label);
        credit_view_set_int(v, apr_pstrcat(p, row, ".n", NULL), n);
        total += n;
    }
    credit_view_set_int(v, "Stats.outcome.total", total);
    credit_chart_put(v, "Stats.outcome.chart", &chart, out, (int)N(complaint_statuses));

    days = apr_pcalloc(p, sizeof *days * (cs->departments->nelts ? cs->departments->nelts : 1));
    for (j = 0; j < cs->departments->nelts; j++) {
        credit_department_cases_t *d =
            &APR_ARRAY_IDX(cs->departments, j, credit_department_cases_t);
        const char *row = apr_psprintf(p, "Stats.departments.%d", j);
#define SETI(field, value) credit_view_set_int(v, apr_pstrcat(p, row, "." field, NULL), value)
        credit_view_set(v, apr_pstrcat(p, row, ".name", NULL), d->name);
        credit_view_set(v, apr_pstrcat(p, row, ".district_label", NULL),
                        credit_view_label(v, "district", d->district));
        SETI("total", d->total);
        SETI("received", d->received);
        SETI("accepted", d->accepted);
        SETI("rejected", d->rejected);
        SETI("processing", d->processing);
        SETI("concluded", d->concluded);
        SETI("timed", d->timed);
#undef SETI
        if (d->timed > 0) {
            const char *avg = apr_psprintf(p, "%.1f", d->avg_days);
            credit_view_set(v, apr_pstrcat(p, row, ".avg_days", NULL), avg);
            days[nd].value = d->avg_days;
            days[nd].text = avg;
            days[nd].label = d->name;
            days[nd].tip = apr_pstrcat(p, d->name, " ", avg, NULL);
            nd++;
        }
    }
    credit_view_set_int(v, "Stats.handling.n", nd);
    credit_chart_put(v, "Stats.handling.chart", &chart, days, nd);
}

credit_status_t credit_page_stats(credit_req_t *rq)
{
    credit_stats_t st;
    credit_complaint_stats_t cs;
    credit_view_t *v;
    credit_status_t rv;
    const char *key = NULL, *text, *stamp;
    int fresh;

    if ((rv = credit_public_validators(rq, CREDIT_STAMP_COMPLAINTS, &stamp, &fresh)) != CREDIT_OK ||
        fresh)
        return rv;
    if ((rv = credit_page_cache_key(
             rq, apr_pstrcat(rq->pool, "pstats|", stamp, "|", rq->lang, "|", rq->base, NULL),
             &key)) != CREDIT_OK)
        return rv;
    if (rq->totals) {
        if (credit_cache_get_text(rq->totals, rq->pool, key, &text)) {
            rq->status = 200;
            rq->content_type = "text/html; charset=utf-8";
            rq->body = text;
            rq->body_len = strlen(text);
            return CREDIT_OK;
        }
    }
    if ((rv = rq->store->ops->stats(rq->store, &st)) != CREDIT_OK ||
        (rv = rq->store->ops->complaint_stats(rq->store, &cs)) != CREDIT_OK)
        return rv;
    if ((rv = credit_req_view(rq, &v)) != CREDIT_OK)
        return rv;
    credit_view_set_int(v, "Stats.total", st.total);
    {
        const char *pairs[] = {
            "total", apr_psprintf(rq->pool, "%" APR_INT64_T_FMT, (apr_int64_t)st.total), NULL};
        credit_page_head(rq, v, "stats", pairs);
    }
    enum_chart(v, "Stats.district", &credit_districts, "district", st.by_district);
    enum_chart(v, "Stats.domain", &credit_domains, "domain", st.by_domain);
    month_chart(rq, v, st.by_month);
    complaint_charts(v, &cs);
    if ((rv = credit_page_render(rq, v, "stats/index.cs")) != CREDIT_OK)
        return rv;
    if (key)
        credit_cache_put_text(rq->totals, key, rq->body);
    return CREDIT_OK;
}
