/* credit_store_maria_stats.c: the tally of public records per filter cell
 * (sql/011_counts.sql) and the statistics page's numbers drawn from it. */

#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>

#include "credit_store_maria.h"
#include "credit_rules.h"
#include "credit_tally.h"

/* The kept numbers of sql/011_counts.sql for today T in one statement (one
 * snapshot): every combination's number on as_of, the deltas between as_of
 * and T, and a row of the state alone (there may be no other row). */
#define TALLY_COMBO "district, subject_kind, category, domain, severity, status"
credit_status_t credit_maria_tally(credit_store_t *s, credit_tally_t *t)
{
    const char *today = credit_maria_today(s);
    credit_param_t p[2] = {CREDIT_PSTR(today), CREDIT_PSTR(today)};
    credit_rows_t *rows;
    credit_date_t as_of, keep_from;
    credit_status_t rv;
    int i, sign;
    rv = credit_maria_read(
        s,
        "SELECT 0 AS part, c.district, c.subject_kind, c.category, c.domain, c.severity,"
        " c.status, c.n, s.as_of, s.keep_from"
        " FROM record_counts_state s JOIN record_counts c WHERE s.id = 1"
        " UNION ALL SELECT 1, d.district, d.subject_kind, d.category, d.domain, d.severity,"
        " d.status, d.delta, s.as_of, s.keep_from"
        " FROM record_counts_state s JOIN record_count_deltas d"
        " ON d.day > LEAST(s.as_of, ?) AND d.day <= GREATEST(s.as_of, ?) WHERE s.id = 1"
        " UNION ALL SELECT 2, NULL, NULL, NULL, NULL, NULL, NULL, 0, s.as_of, s.keep_from"
        " FROM record_counts_state s WHERE s.id = 1",
        p, 2, &rows);
    if (rv != CREDIT_OK)
        return rv;
    if (rows->rows->nelts == 0 || rows->ncols != 10 ||
        !credit_maria_date(APR_ARRAY_IDX(rows->rows, 0, const char **)[8], &as_of) ||
        !credit_maria_date(APR_ARRAY_IDX(rows->rows, 0, const char **)[9], &keep_from))
        return CREDIT_EINTERNAL;
    if (credit_date_cmp(s->today, keep_from) < 0)
        return CREDIT_ENOTFOUND;
    memset(t->n, 0, sizeof t->n);
    t->day = s->today;
    sign = credit_date_cmp(s->today, as_of) >= 0 ? 1 : -1;
    for (i = 0; i < rows->rows->nelts; i++) {
        const char **r = APR_ARRAY_IDX(rows->rows, i, const char **);
        long long n = r[7] ? atoll(r[7]) : 0;
        if (r[0][0] == '2')
            continue;
        if (credit_tally_add(t, r[1], r[2], r[3], r[4], r[5], r[6], r[0][0] == '1' ? sign * n : n))
            return CREDIT_EINTERNAL; /* a code the module does not know */
    }
    return CREDIT_OK;
}

/* The counts per value of one enumeration, from the tally. */
static apr_array_header_t *tally_counts(credit_store_t *s, const credit_tally_t *t, const char *dim,
                                        const credit_enum_t *e, size_t n)
{
    apr_array_header_t *out = apr_array_make(s->pool, (int)n, sizeof(credit_count_t));
    credit_filter_t all = {0};
    size_t i;
    for (i = 0; i < n && i < e->n; i++) {
        long long v = credit_tally_total_by(t, &all, dim, e->items[i].code);
        if (v > 0) {
            credit_count_t *c = apr_array_push(out);
            c->key = e->items[i].code;
            c->n = v;
        }
    }
    return out;
}

/* The numbers per district, domain, category and severity come from the
 * tally (no counting); the months of disclosure are one GROUP BY over the
 * public records (the covering index serves it), which the pages cache. */
credit_status_t credit_maria_stats(credit_store_t *s, credit_stats_t *out)
{
    const char *today = credit_maria_today(s);
    credit_param_t p[2] = {CREDIT_PSTR(today), CREDIT_PSTR(today)};
    credit_tally_t *t = apr_palloc(s->pool, sizeof *t);
    credit_filter_t all = {0};
    credit_rows_t *rows;
    credit_status_t rv;
    int i;
    if ((rv = credit_maria_tally(s, t)) != CREDIT_OK)
        return rv == CREDIT_ENOTFOUND ? CREDIT_EUNAVAIL : rv;
    out->total = credit_tally_total(t, &all);
    out->by_district = tally_counts(s, t, "district", &credit_districts, credit_districts.n);
    out->by_domain = tally_counts(s, t, "domain", &credit_domains, credit_domains.n);
    out->by_category = tally_counts(s, t, "category", &credit_categories, credit_categories.n);
    out->by_severity = tally_counts(s, t, "severity", &credit_severities, credit_severities.n);
    rv = credit_maria_gated(
        s,
        "SELECT DATE_FORMAT(r.disclosed_on, '%Y-%m') AS k, COUNT(*) AS n FROM records r"
        " WHERE" PUBLIC_SQL " GROUP BY k ORDER BY k",
        p, 2, &rows);
    if (rv != CREDIT_OK)
        return rv;
    out->by_month = apr_array_make(s->pool, rows->rows->nelts, sizeof(credit_count_t));
    for (i = 0; i < rows->rows->nelts; i++) {
        credit_count_t *c = apr_array_push(out->by_month);
        c->key = credit_rows_get(rows, i, "k");
        c->n = atoll(credit_rows_get(rows, i, "n"));
    }
    return CREDIT_OK;
}
