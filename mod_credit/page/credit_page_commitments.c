/* credit_page_commitments.c: GET /commitments: the public commitments of
 * streets and townships, filtered by district, area, status (and one
 * street or township), 50 a page, with kept / broken / pending counts per
 * street or township under the same filter. */
#include <string.h>
#include <apr_strings.h>

#include "credit_page_bodies.h"
#include "credit_model.h"
#include "credit_text.h"

#define COMMITMENTS_PAGE  50
#define COMMITMENTS_PAGES 50 /* pages reachable by number; filters narrow further */
#define PAGER_SPAN        4  /* page links either side of the current one */

/* The ENUM of commitments.area (sql/001_schema.sql); labels Lang.enum.area. */
static const char *const areas[] = {"employment", "property", "schooling", "family",  "elderly",
                                    "disability", "poverty",  "insurance", "housing", "transport",
                                    "parking",    "safety",   "military",  "services"};

static const char *const statuses[] = {"pending", "kept", "broken"};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The query string of filter f at page `page` (1: left out). Every value
 * is a validated code or a number. */
static const char *query(apr_pool_t *p, const credit_commitment_filter_t *f, int page)
{
    const char *q = "";
#define ADD(k, v) q = apr_pstrcat(p, q, *q ? "&" : "", k, "=", v, NULL)
    if (f->district)
        ADD("district", f->district);
    if (f->area)
        ADD("area", f->area);
    if (f->status)
        ADD("status", f->status);
    if (f->subject_id)
        ADD("subject", apr_psprintf(p, "%" APR_UINT64_T_FMT, (apr_uint64_t)f->subject_id));
    if (page > 1)
        ADD("page", apr_psprintf(p, "%d", page));
#undef ADD
    return q;
}

static const char *href(credit_req_t *rq, const credit_commitment_filter_t *f, int page)
{
    const char *q = query(rq->pool, f, page);
    return apr_pstrcat(rq->pool, rq->base, "/commitments", *q ? "?" : "", q, NULL);
}

static void choices(credit_view_t *v, const char *name, const char *kind, const char *const *codes,
                    size_t n)
{
    apr_pool_t *p = credit_view_pool(v);
    size_t i;
    for (i = 0; i < n; i++) {
        credit_view_set(v, apr_psprintf(p, "Choices.%s.%" APR_SIZE_T_FMT ".code", name, i),
                        codes[i]);
        credit_view_set(v, apr_psprintf(p, "Choices.%s.%" APR_SIZE_T_FMT ".label", name, i),
                        credit_view_label(v, kind, codes[i]));
    }
}

credit_status_t credit_page_commitments(credit_req_t *rq)
{
    apr_pool_t *p = rq->pool;
    credit_commitment_filter_t f = {.page = 1, .limit = COMMITMENTS_PAGE};
    const char *districts[32];
    apr_array_header_t *items, *counts;
    credit_subject_t *subject = NULL;
    credit_view_t *v;
    credit_status_t rv;
    long long subject_arg = 0, page = 1, pending = 0, kept = 0, broken = 0, total, pages;
    int i, has_next = 0, fresh;
    size_t nd;

    for (nd = 0; nd < credit_districts.n && nd < N(districts); nd++)
        districts[nd] = credit_districts.items[nd].code;
    if ((rv = credit_public_code(rq, "district", NULL, NULL, districts, nd, &f.district)) !=
            CREDIT_OK ||
        (rv = credit_public_code(rq, "area", NULL, NULL, areas, N(areas), &f.area)) != CREDIT_OK ||
        (rv = credit_public_code(rq, "status", "Lang.commitments.status", "commitment_status",
                                 statuses, N(statuses), &f.status)) != CREDIT_OK ||
        (rv = credit_public_int(rq, "subject", "Lang.commitments.subject", 1, 999999999999LL,
                                "subject_id", &subject_arg)) != CREDIT_OK ||
        (rv = credit_public_int(rq, "page", NULL, 1, COMMITMENTS_PAGES, "page_capped", &page)) !=
            CREDIT_OK)
        return rv;
    f.subject_id = (unsigned long long)subject_arg;
    f.page = (int)page;
    if ((rv = credit_public_validators(rq, CREDIT_STAMP_COMMITMENTS, NULL, &fresh)) != CREDIT_OK ||
        fresh)
        return rv;
    if (f.subject_id) {
        /* Only a street or township: an official's name is public only
         * through a disclosed record (see credit_page_subject_load). */
        rv = rq->store->ops->get_subject(rq->store, f.subject_id, &subject);
        if (rv == CREDIT_OK && (!subject->kind || strcmp(subject->kind, "gov") != 0 ||
                                !subject->level || strcmp(subject->level, "township") != 0))
            rv = CREDIT_ENOTFOUND;
        if (rv == CREDIT_ENOTFOUND) {
            credit_msg_t m = {
                .param = "subject", .label_key = "Lang.commitments.subject", .key = "not_township"};
            return credit_page_bad(rq, 400, "bad_filter", &m);
        }
        if (rv != CREDIT_OK)
            return rv;
    }
    if ((rv = rq->store->ops->commitment_counts(rq->store, &f, &counts)) != CREDIT_OK ||
        (rv = rq->store->ops->commitments(rq->store, &f, &items, &has_next)) != CREDIT_OK)
        return rv;
    if ((rv = credit_req_view(rq, &v)) != CREDIT_OK)
        return rv;

    credit_view_set(v, "Filter.district", f.district);
    credit_view_set(v, "Filter.area", f.area);
    credit_view_set(v, "Filter.status", f.status);
    if (subject) {
        credit_view_subject(v, "Filter.subject", subject);
        credit_view_set_int(v, "Filter.subject_id", (long long)f.subject_id);
        {
            credit_commitment_filter_t all = f;
            all.subject_id = 0;
            credit_view_set(v, "Filter.subject_clear", href(rq, &all, 1));
        }
    }
    for (i = 0; i < (int)nd; i++) {
        credit_view_set(v, apr_psprintf(p, "Choices.district.%d.code", i), districts[i]);
        credit_view_set(v, apr_psprintf(p, "Choices.district.%d.label", i),
                        credit_view_label(v, "district", districts[i]));
    }
    choices(v, "area", "area", areas, N(areas));
    choices(v, "status", "commitment_status", statuses, N(statuses));

    for (i = 0; i < counts->nelts; i++) {
        credit_commitment_count_t *c = &APR_ARRAY_IDX(counts, i, credit_commitment_count_t);
        const char *pre = apr_psprintf(p, "Counts.%d", i);
        credit_commitment_filter_t one = f;
        long long decided = c->kept + c->broken;
        one.subject_id = c->subject.id;
        credit_view_set_int(v, apr_pstrcat(p, pre, ".subject.id", NULL), (long long)c->subject.id);
        credit_view_set(v, apr_pstrcat(p, pre, ".subject.name", NULL), c->subject.name);
        credit_view_set(v, apr_pstrcat(p, pre, ".subject.district_label", NULL),
                        credit_view_label(v, "district", c->subject.district));
        credit_view_set(v, apr_pstrcat(p, pre, ".href", NULL), href(rq, &one, 1));
        credit_view_set_int(v, apr_pstrcat(p, pre, ".pending", NULL), c->pending);
        credit_view_set_int(v, apr_pstrcat(p, pre, ".kept", NULL), c->kept);
        credit_view_set_int(v, apr_pstrcat(p, pre, ".broken", NULL), c->broken);
        credit_view_set_int(v, apr_pstrcat(p, pre, ".total", NULL),
                            c->pending + c->kept + c->broken);
        /* share of the decided commitments that were kept, in whole percent */
        if (decided)
            credit_view_set_int(v, apr_pstrcat(p, pre, ".rate", NULL),
                                (c->kept * 100 + decided / 2) / decided);
        pending += c->pending;
        kept += c->kept;
        broken += c->broken;
    }
    total = pending + kept + broken;
    pages = total ? (total + COMMITMENTS_PAGE - 1) / COMMITMENTS_PAGE : 1;
    credit_view_set_int(v, "Totals.pending", pending);
    credit_view_set_int(v, "Totals.kept", kept);
    credit_view_set_int(v, "Totals.broken", broken);
    credit_view_set_int(v, "Totals.all", total);
    credit_view_set_int(v, "Totals.subjects", counts->nelts);
    {
        /* what the page shows, for its title and description */
        const char *what = "", *part[5];
        int k, np = 0;
        if (subject)
            part[np++] = subject->name;
        if (f.district)
            part[np++] = credit_view_label(v, "district", f.district);
        if (f.area)
            part[np++] = credit_view_label(v, "area", f.area);
        if (f.status)
            part[np++] = credit_view_label(v, "commitment_status", f.status);
        if (f.page > 1) {
            const char *pp[] = {"page", apr_itoa(p, f.page), NULL};
            part[np++] = credit_text_fill(p, credit_page_say(rq, "Lang.head.page"), pp);
        }
        for (k = 0; k < np; k++)
            what = apr_pstrcat(p, what, k ? " \xC2\xB7 " : "", part[k] ? part[k] : "", NULL);
        {
            const char *pairs[] = {
                "what",    what,
                "n",       apr_psprintf(p, "%" APR_INT64_T_FMT, (apr_int64_t)total),
                "kept",    apr_psprintf(p, "%" APR_INT64_T_FMT, (apr_int64_t)kept),
                "broken",  apr_psprintf(p, "%" APR_INT64_T_FMT, (apr_int64_t)broken),
                "pending", apr_psprintf(p, "%" APR_INT64_T_FMT, (apr_int64_t)pending),
                NULL};
            credit_page_head(rq, v, *what ? "commitments_filtered" : "commitments", pairs);
        }
    }

    for (i = 0; i < items->nelts; i++) {
        credit_commitment_t *c = APR_ARRAY_IDX(items, i, credit_commitment_t *);
        const char *pre = apr_psprintf(p, "Items.%d", i);
#define SET(field, value) credit_view_set(v, apr_pstrcat(p, pre, "." field, NULL), value)
        credit_view_set_int(v, apr_pstrcat(p, pre, ".id", NULL), (long long)c->id);
        credit_view_subject(v, apr_pstrcat(p, pre, ".subject", NULL), &c->subject);
        SET("area", c->area);
        SET("area_label", credit_view_label(v, "area", c->area));
        SET("text", c->text);
        SET("promised_on", c->promised_on);
        SET("status", c->status);
        SET("status_label", credit_view_label(v, "commitment_status", c->status));
        SET("evidence", c->evidence);
#undef SET
    }
    credit_view_set_int(v, "List.count", items->nelts);
    credit_view_set_int(v, "List.page", f.page);
    credit_view_set_int(v, "List.pages", pages);
    if (pages > COMMITMENTS_PAGES)
        credit_view_set_int(v, "List.capped", COMMITMENTS_PAGES);
    if (f.page > 1)
        credit_view_set(v, "List.prev", href(rq, &f, f.page - 1));
    if (has_next && f.page < COMMITMENTS_PAGES)
        credit_view_set(v, "List.next", href(rq, &f, f.page + 1));
    {
        long long last = pages < COMMITMENTS_PAGES ? pages : COMMITMENTS_PAGES;
        long long lo = f.page - PAGER_SPAN < 1 ? 1 : f.page - PAGER_SPAN;
        long long hi = f.page + PAGER_SPAN > last ? last : f.page + PAGER_SPAN;
        long long k;
        int n = 0;
        for (k = lo; k <= hi && last > 1; k++, n++) {
            credit_view_set_int(v, apr_psprintf(p, "Pager.%d.n", n), k);
            credit_view_set(v, apr_psprintf(p, "Pager.%d.href", n), href(rq, &f, (int)k));
            if (k == f.page)
                credit_view_set(v, apr_psprintf(p, "Pager.%d.current", n), "1");
        }
    }
    return credit_page_render(rq, v, "commitments/index.cs");
}
