/* credit_page_bodies.c: see credit_page_bodies.h. */
#include <string.h>
#include <apr_strings.h>

#include "credit_page_bodies.h"
#include "credit_validate.h"

credit_status_t credit_public_validators(credit_req_t *rq, credit_stamp_of_t of,
                                         const char **stamp_out, int *fresh)
{
    const char *stamp, *build = rq->build_id;
    int undated = rq->undated;
    credit_status_t rv;

    *fresh = 0;
    if ((rv = rq->store->ops->stamp(rq->store, of, &stamp)) != CREDIT_OK)
        return rv;
    if (stamp_out)
        *stamp_out = stamp;
    rq->build_id = apr_pstrcat(rq->pool, build ? build : "0", ".", stamp, NULL);
    /* Without a Last-Modified: a stamp has no time of its own, and a time
     * each child (or host) chose when it first met the stamp would differ
     * from one answer to the next: a cache in front (mod_cache) drops an
     * entry whose 304 names another Last-Modified. The ETag, made of the
     * stamp, is the same everywhere. */
    rq->undated = 1;
    rv = credit_page_validators(rq, fresh);
    rq->undated = undated;
    rq->build_id = build;
    return rv;
}

credit_status_t credit_public_bad(credit_req_t *rq, const char *name, const char *key)
{
    credit_msg_t m = {.param = name, .key = key};
    return credit_page_bad(rq, 400, "bad_filter", &m);
}

typedef struct {
    const char *value;
    int count;
} one_t;

static int collect(void *ctx, const char *key, const char *value)
{
    one_t *o = ctx;
    (void)key;
    if (value && *value) {
        o->value = value;
        o->count++;
    }
    return 1;
}

credit_status_t credit_public_param(credit_req_t *rq, const char *name, const char **value)
{
    one_t o = {NULL, 0};
    if (rq->args)
        apr_table_do(collect, &o, rq->args, name, NULL);
    *value = o.value;
    if (o.count > 1)
        return credit_public_bad(rq, name, "twice");
    return CREDIT_OK;
}

credit_status_t credit_public_code(credit_req_t *rq, const char *name, const char *label_key,
                                   const char *kind, const char *const *codes, size_t n,
                                   const char **value)
{
    const char *v;
    size_t i;
    apr_array_header_t *choices;
    credit_status_t rv = credit_public_param(rq, name, &v);
    *value = NULL;
    if (rv != CREDIT_OK || !v)
        return rv;
    for (i = 0; i < n; i++) {
        if (strcmp(codes[i], v) == 0) {
            *value = codes[i];
            return CREDIT_OK;
        }
    }
    choices = apr_array_make(rq->pool, (int)n, sizeof(const char *));
    for (i = 0; i < n; i++)
        APR_ARRAY_PUSH(choices, const char *) = codes[i];
    {
        credit_msg_t m = {.param = name,
                          .label_key = label_key,
                          .key = "choice",
                          .choices = choices,
                          .kind = kind};
        return credit_page_bad(rq, 400, "bad_filter", &m);
    }
}

credit_status_t credit_public_int(credit_req_t *rq, const char *name, const char *label_key,
                                  long long lo, long long hi, const char *key, long long *out)
{
    const char *v;
    unsigned long long x;
    credit_status_t rv = credit_public_param(rq, name, &v);
    if (rv != CREDIT_OK || !v)
        return rv;
    if (!credit_id_parse(v, &x) || x < (unsigned long long)lo || x > (unsigned long long)hi) {
        credit_msg_t m = {
            .param = name, .label_key = label_key, .key = key, .min = (long)lo, .max = (long)hi};
        return credit_page_bad(rq, 400, "bad_filter", &m);
    }
    *out = (long long)x;
    return CREDIT_OK;
}

credit_status_t credit_public_rating_history(credit_req_t *rq, credit_view_t *v,
                                             unsigned long long subject_id)
{
    apr_array_header_t *list;
    int i;
    credit_status_t rv = rq->store->ops->subject_ratings(rq->store, subject_id, &list);
    if (rv != CREDIT_OK)
        return rv;
    for (i = 0; i < list->nelts; i++) {
        credit_rating_t *r = APR_ARRAY_IDX(list, i, credit_rating_t *);
        const char *pre = apr_psprintf(rq->pool, "RatingHistory.%d", i);
#define SET(field, value) credit_view_set(v, apr_pstrcat(rq->pool, pre, "." field, NULL), value)
        credit_view_set_int(v, apr_pstrcat(rq->pool, pre, ".id", NULL), (long long)r->id);
        credit_view_set_int(v, apr_pstrcat(rq->pool, pre, ".year", NULL), r->year);
        SET("score", r->score);
        SET("grade", r->grade);
        SET("grade_label", credit_view_label(v, "grade", r->grade));
        SET("published_on", r->published_on);
#undef SET
    }
    return CREDIT_OK;
}
