/* credit_page_ratings.c: GET /ratings (?year=): the integrity ratings of
 * one year: table, SVG chart of the scores, each body's indicators. */
#include <string.h>
#include <apr_strings.h>

#include "credit_page_bodies.h"
#include "credit_chart.h"

static const char *const grades[] = {"A", "B", "C", "D"};

/* The grade thresholds drawn across the chart (SPEC 3: A 优秀 ... D 较差). */
static const double grade_floor[] = {90, 80, 60};

credit_status_t credit_page_ratings(credit_req_t *rq)
{
    apr_pool_t *p = rq->pool;
    apr_array_header_t *years, *list;
    credit_view_t *v;
    credit_status_t rv;
    long long year = 0;
    long long per_grade[4] = {0, 0, 0, 0};
    credit_bar_t *bars;
    const char *mark_labels[3];
    credit_chart_t chart = {
        .kind = CREDIT_CHART_COLUMNS, .max = 100, .marks = grade_floor, .nmarks = 3};
    int i, j, fresh, known = 0;

    if ((rv = credit_public_int(rq, "year", NULL, 1949, 9999, "year", &year)) != CREDIT_OK)
        return rv;
    if ((rv = credit_public_validators(rq, CREDIT_STAMP_RATINGS, NULL, &fresh)) != CREDIT_OK ||
        fresh)
        return rv;
    if ((rv = rq->store->ops->rating_years(rq->store, &years)) != CREDIT_OK)
        return rv;
    if (!year && years->nelts)
        year = APR_ARRAY_IDX(years, 0, int);
    for (i = 0; i < years->nelts; i++)
        known |= APR_ARRAY_IDX(years, i, int) == year;
    if (year && !known) {
        credit_msg_t m = {.param = "year",
                          .key = "no_ratings",
                          .value = apr_psprintf(p, "%" APR_INT64_T_FMT, (apr_int64_t)year)};
        return credit_page_bad(rq, 404, "not_found", &m);
    }
    list = NULL;
    if (year && (rv = rq->store->ops->ratings(rq->store, (int)year, &list)) != CREDIT_OK)
        return rv;
    if ((rv = credit_req_view(rq, &v)) != CREDIT_OK)
        return rv;

    credit_view_set_int(v, "Ratings.year", year);
    {
        const char *pairs[] = {"year", apr_psprintf(p, "%" APR_INT64_T_FMT, (apr_int64_t)year),
                               NULL};
        credit_page_head(rq, v, year ? "ratings_year" : "ratings", pairs);
    }
    for (i = 0; i < years->nelts; i++)
        credit_view_set_int(v, apr_psprintf(p, "Years.%d", i), APR_ARRAY_IDX(years, i, int));
    if (!list) {
        credit_view_set_int(v, "Ratings.count", 0);
        return credit_page_render(rq, v, "ratings/index.cs");
    }

    bars = apr_pcalloc(p, sizeof *bars * (list->nelts ? list->nelts : 1));
    for (i = 0; i < list->nelts; i++) {
        credit_rating_t *r = APR_ARRAY_IDX(list, i, credit_rating_t *);
        const char *pre = apr_psprintf(p, "Items.%d", i);
        const char *glabel = credit_view_label(v, "grade", r->grade);
#define SET(field, value)  credit_view_set(v, apr_pstrcat(p, pre, "." field, NULL), value)
#define SETI(field, value) credit_view_set_int(v, apr_pstrcat(p, pre, "." field, NULL), value)
        SETI("rank", i + 1);
        SETI("id", (long long)r->id);
        credit_view_subject(v, apr_pstrcat(p, pre, ".subject", NULL), &r->subject);
        SET("score", r->score);
        SET("grade", r->grade);
        SET("grade_label", glabel);
        SET("published_on", r->published_on);
        for (j = 0; r->indicators && j < r->indicators->nelts; j++) {
            credit_indicator_t *x = &APR_ARRAY_IDX(r->indicators, j, credit_indicator_t);
            const char *ip = apr_psprintf(p, "%s.indicators.%d", pre, j);
            credit_view_set(v, apr_pstrcat(p, ip, ".code", NULL), x->code);
            credit_view_set(v, apr_pstrcat(p, ip, ".name", NULL), x->name);
            credit_view_set(v, apr_pstrcat(p, ip, ".weight", NULL), x->weight);
            credit_view_set(v, apr_pstrcat(p, ip, ".raw_value", NULL), x->raw_value);
            credit_view_set(v, apr_pstrcat(p, ip, ".score", NULL), x->score);
        }
#undef SET
#undef SETI
        for (j = 0; j < 4; j++)
            if (r->grade && !strcmp(r->grade, grades[j]))
                per_grade[j]++;
        bars[i].value = r->score_value;
        bars[i].text = r->score;
        bars[i].label = r->subject.name;
        bars[i].cls = apr_pstrcat(p, "grade-", r->grade ? r->grade : "none", NULL);
        bars[i].tip = apr_pstrcat(p, r->subject.name, " ", r->score, " ", glabel, NULL);
    }
    credit_view_set_int(v, "Ratings.count", list->nelts);
    if (list->nelts) {
        credit_view_set(v, "Ratings.max", APR_ARRAY_IDX(list, 0, credit_rating_t *)->score);
        credit_view_set(v, "Ratings.min",
                        APR_ARRAY_IDX(list, list->nelts - 1, credit_rating_t *)->score);
    }
    for (j = 0; j < 4; j++) {
        const char *gp = apr_psprintf(p, "Grades.%d", j);
        credit_view_set(v, apr_pstrcat(p, gp, ".code", NULL), grades[j]);
        credit_view_set(v, apr_pstrcat(p, gp, ".label", NULL),
                        credit_view_label(v, "grade", grades[j]));
        credit_view_set_int(v, apr_pstrcat(p, gp, ".n", NULL), per_grade[j]);
    }
    for (j = 0; j < 3; j++)
        mark_labels[j] = apr_psprintf(p, "%s %s %.0f", grades[j],
                                      credit_view_label(v, "grade", grades[j]), grade_floor[j]);
    chart.mark_labels = mark_labels;
    /* Dense: one column per body, names in the table (and each bar's title). */
    chart.show_labels = list->nelts <= 24;
    chart.show_values = list->nelts <= 24;
    credit_chart_put(v, "Charts.ratings", &chart, bars, list->nelts);
    return credit_page_render(rq, v, "ratings/index.cs");
}
