/* credit_page_subjects.c: a subject's profile with its public records. */
#include <stdlib.h>
#include <string.h>
#include <apr_strings.h>

#include "credit_page.h"
#include "credit_page_bodies.h"
#include "credit_validate.h"

#define SUBJECT_RECORDS_MAX 100

credit_status_t credit_page_subject(credit_req_t *rq)
{
    credit_subject_t *s;
    apr_array_header_t *records;
    long long total;
    credit_view_t *v;
    credit_status_t rv;
    int i, fresh;

    rv = credit_page_subject_load(rq, SUBJECT_RECORDS_MAX, &s, &records, &total);
    if (rv != CREDIT_OK)
        return rv;
    /* The rating history changes with the ratings, which data_version
     * does not follow: their stamp is part of the validators. */
    if ((rv = credit_public_validators(rq, CREDIT_STAMP_RATINGS, NULL, &fresh)) != CREDIT_OK ||
        fresh)
        return rv;
    if ((rv = credit_req_view(rq, &v)) != CREDIT_OK)
        return rv;
    credit_view_subject(v, "Subject", s);
    {
        const char *pairs[] = {
            "name",     s->name ? s->name : "",
            "kind",     s->kind ? credit_view_label(v, "kind", s->kind) : "",
            "district", s->district ? credit_view_label(v, "district", s->district) : "",
            "n",        apr_psprintf(rq->pool, "%" APR_INT64_T_FMT, (apr_int64_t)total),
            NULL};
        credit_page_head(rq, v, "subject", pairs);
    }
    if (s->kind && strcmp(s->kind, "gov") == 0 &&
        (rv = credit_public_rating_history(rq, v, s->id)) != CREDIT_OK)
        return rv;
    for (i = 0; i < records->nelts; i++)
        credit_view_record(v, apr_psprintf(rq->pool, "Records.%d", i),
                           APR_ARRAY_IDX(records, i, credit_record_t *), 0);
    credit_view_set_int(v, "List.total", total);
    credit_view_set_int(v, "List.count", records->nelts);
    return credit_page_render(rq, v, "subjects/show.cs");
}
