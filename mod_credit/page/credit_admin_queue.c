/* credit_admin_queue.c: the staff's work queues (see credit_admin_queue.h):
 * the open and overdue cases of every queue and department, and one
 * queue's cases page by page. The case page and its forms are
 * credit_admin_case.c's, what both share credit_admin_html.c's. */
#include <string.h>
#include <stdlib.h>
#include <apr_strings.h>

#include "credit_admin_html.h"
#include "credit_admin.h"
#include "credit_json.h"
#include "credit_rules.h"
#include "credit_token.h"
#include "credit_validate.h"
#include "credit_workflow.h"

/* ---- GET /queues ----------------------------------------------------------------------- */

credit_status_t credit_admin_queues_page(credit_req_t *rq, const credit_staff_t *st,
                                         const char *key, const credit_admin_body_t *in)
{
    apr_array_header_t *counts, *deps;
    credit_view_t *v;
    credit_status_t rv;
    long long total[3][2] = {{0}};
    int i, j, row = 0;
    (void)key;
    (void)in;

    if ((rv = credit_admin_open_view(rq, st, &v)) != CREDIT_OK)
        return credit_admin_plain_error(rq, 500, "internal_error",
                                        "the page could not be rendered");
    if ((rv = rq->store->admin->queue_counts(rq->store, st, &counts)) != CREDIT_OK ||
        (rv = credit_admin_departments_view(rq, v, &deps)) != CREDIT_OK)
        return credit_admin_store_page_error(rq, st, rv);
    /* One row per department that has open cases (and the complaints without one). */
    for (i = -1; i < deps->nelts; i++) {
        unsigned long long id = i < 0 ? 0 : APR_ARRAY_IDX(deps, i, credit_department_t).id;
        const char *pre = apr_psprintf(rq->pool, "Overview.rows.%d", row);
        int any = 0;
        for (j = 0; j < counts->nelts; j++) {
            credit_queue_count_t *c = &APR_ARRAY_IDX(counts, j, credit_queue_count_t);
            int k = !strcmp(c->kind, "complaint") ? 0 : !strcmp(c->kind, "objection") ? 1 : 2;
            if (c->department_id != id)
                continue;
            any = 1;
            credit_view_set_int(v, apr_pstrcat(rq->pool, pre, ".", c->kind, ".open", NULL),
                                c->open);
            credit_view_set_int(v, apr_pstrcat(rq->pool, pre, ".", c->kind, ".overdue", NULL),
                                c->overdue);
            total[k][0] += c->open;
            total[k][1] += c->overdue;
        }
        if (!any)
            continue;
        if (i < 0) {
            credit_view_set(v, apr_pstrcat(rq->pool, pre, ".id", NULL), "none");
        } else {
            credit_view_set_int(v, apr_pstrcat(rq->pool, pre, ".id", NULL), (long long)id);
            credit_view_set(v, apr_pstrcat(rq->pool, pre, ".name", NULL),
                            APR_ARRAY_IDX(deps, i, credit_department_t).name);
        }
        row++;
    }
    for (i = 0; i < 3; i++) {
        const char *pre =
            apr_pstrcat(rq->pool, "Overview.total.", credit_admin_queue_kinds[i].kind, NULL);
        credit_view_set_int(v, apr_pstrcat(rq->pool, pre, ".open", NULL), total[i][0]);
        credit_view_set_int(v, apr_pstrcat(rq->pool, pre, ".overdue", NULL), total[i][1]);
        credit_view_set(v, apr_pstrcat(rq->pool, pre, ".segment", NULL),
                        credit_admin_queue_kinds[i].segment);
    }
    return credit_admin_render(rq, v, "queues", 200);
}

/* ---- GET /queues/{kind} ---------------------------------------------------------------- */

/* ?page=N: 1 when absent, 0 when it is no page number (digits without a
 * leading zero, 1 to CREDIT_QUEUE_PAGES_MAX). */
static long page_number(const char *s)
{
    long n = 0;
    if (!s)
        return 1;
    if (*s < '1' || *s > '9')
        return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || n > CREDIT_QUEUE_PAGES_MAX)
            return 0;
        n = n * 10 + (*s - '0');
    }
    return n <= CREDIT_QUEUE_PAGES_MAX ? n : 0;
}

/* How many times the query has `name`. */
static int arg_count(const credit_req_t *rq, const char *name)
{
    const apr_array_header_t *a = rq->args ? apr_table_elts(rq->args) : NULL;
    int i, n = 0;
    for (i = 0; a && i < a->nelts; i++)
        n += !strcmp(APR_ARRAY_IDX(a, i, apr_table_entry_t).key, name);
    return n;
}

credit_status_t credit_admin_queue_page(credit_req_t *rq, const credit_staff_t *st, const char *key,
                                        const credit_admin_body_t *in)
{
    credit_queue_filter_t f = {0};
    const char *kind = NULL, *dep = rq->args ? apr_table_get(rq->args, "department") : NULL;
    const char *lang = rq->args ? apr_table_get(rq->args, "lang") : NULL;
    const char *query = NULL, **dues;
    apr_array_header_t *items, *deps;
    credit_calendar_t cal;
    credit_view_t *v;
    credit_status_t rv;
    long long total, pages;
    long pageno;
    size_t k;
    int i;
    (void)in;

    for (k = 0; k < sizeof credit_admin_queue_kinds / sizeof credit_admin_queue_kinds[0]; k++)
        if (!strcmp(key, credit_admin_queue_kinds[k].segment))
            kind = credit_admin_queue_kinds[k].kind;
    if (!kind)
        return credit_admin_page_error(rq, st, 404, "not_found", NULL);
    if (dep && *dep) {
        if (!strcmp(dep, "none") && !strcmp(kind, "complaint"))
            f.unassigned = 1;
        else if (!credit_id_parse(dep, &f.department_id))
            return credit_admin_page_error(rq, st, 400, "bad_department", NULL);
        /* a department's staff see their own department only */
        if (st->department_id && (f.unassigned || f.department_id != st->department_id))
            return credit_admin_page_error(rq, st, 404, "not_found", NULL);
    }
    if (arg_count(rq, "department") > 1)
        return credit_admin_page_error(rq, st, 400, "bad_department", NULL);
    pageno = page_number(rq->args ? apr_table_get(rq->args, "page") : NULL);
    if (!pageno || arg_count(rq, "page") > 1)
        return credit_admin_page_error(
            rq, st, 400, "bad_page",
            apr_psprintf(rq->pool, "page = 1 … %d", CREDIT_QUEUE_PAGES_MAX));
    f.limit = CREDIT_QUEUE_PAGE_SIZE;
    f.offset = (long long)(pageno - 1) * CREDIT_QUEUE_PAGE_SIZE;
    if ((rv = credit_admin_open_view(rq, st, &v)) != CREDIT_OK)
        return credit_admin_plain_error(rq, 500, "internal_error",
                                        "the page could not be rendered");
    if ((rv = rq->store->admin->queue(rq->store, st, kind, &f, &items, &total)) != CREDIT_OK ||
        (st->department_id == 0 && (rv = credit_admin_departments_view(rq, v, &deps)) != CREDIT_OK))
        return credit_admin_store_page_error(rq, st, rv); /* the filter is the city level's */
    dues = apr_palloc(rq->pool, sizeof *dues * (size_t)(items->nelts * 2 + 1));
    for (i = 0; i < items->nelts; i++) {
        credit_queue_item_t *it = &APR_ARRAY_IDX(items, i, credit_queue_item_t);
        dues[2 * i] = it->due_on;
        dues[2 * i + 1] = it->reply_due_on;
    }
    if ((rv = credit_admin_load_calendar(rq, dues, items->nelts * 2, &cal)) != CREDIT_OK)
        return credit_admin_store_page_error(rq, st, rv);
    credit_view_set(v, "Queue.kind", kind);
    credit_view_set(v, "Queue.segment", key);
    credit_view_set_int(v, "Queue.total", total);
    credit_view_set_int(v, "Queue.shown", items->nelts);
    /* Where this page is; the pager's links keep the filter and a chosen ?lang=. */
    pages = total ? (total + CREDIT_QUEUE_PAGE_SIZE - 1) / CREDIT_QUEUE_PAGE_SIZE : 1;
    credit_view_set_int(v, "Queue.page", pageno);
    credit_view_set_int(v, "Queue.pages", pages);
    credit_view_set_int(v, "Queue.first", f.offset + 1);
    credit_view_set_int(v, "Queue.last", f.offset + items->nelts);
    if (pageno > 1 && pageno <= pages)
        credit_view_set_int(v, "Queue.prev", pageno - 1);
    if (pageno < pages)
        credit_view_set_int(v, "Queue.next", pageno + 1);
    if (lang && !strcmp(lang, rq->lang))
        credit_view_set(v, "Queue.lang", rq->lang);
    if (f.unassigned)
        query = "department=none";
    else if (f.department_id)
        query =
            apr_psprintf(rq->pool, "department=%" APR_UINT64_T_FMT, (apr_uint64_t)f.department_id);
    if (f.unassigned)
        credit_view_set(v, "Queue.department", "none");
    else if (f.department_id)
        credit_view_set_int(v, "Queue.department", (long long)f.department_id);
    if (pageno > 1)
        query =
            apr_psprintf(rq->pool, "%s%spage=%ld", query ? query : "", query ? "&" : "", pageno);
    credit_view_set(v, "Page.Query", query);
    for (i = 0; i < items->nelts; i++) {
        credit_queue_item_t *it = &APR_ARRAY_IDX(items, i, credit_queue_item_t);
        const char *pre = apr_psprintf(rq->pool, "Queue.items.%d", i);
#define SET(name, value) credit_view_set(v, apr_pstrcat(rq->pool, pre, "." name, NULL), value)
        SET("receipt", it->receipt);
        SET("status", it->status);
        SET("status_label", credit_view_label(v, "case_status", it->status));
        SET("title", it->title);
        SET("record_no", it->record_no);
        SET("received_on", it->received_on);
        SET("due_on", it->due_on);
        SET("reply_due_on", it->reply_due_on);
        SET("department", it->department);
#undef SET
        credit_admin_set_clock(rq, v, pre, &cal, it->due_on);
        credit_admin_set_clock(rq, v, apr_pstrcat(rq->pool, pre, ".reply", NULL), &cal,
                               it->reply_due_on);
        /* the item's own form: its legal next states and a token for it */
        {
            const char *const *next = credit_case_next(kind, it->status);
            int j;
            for (j = 0; next && next[j]; j++) {
                const char *np = apr_psprintf(rq->pool, "%s.next.%d", pre, j);
                credit_view_set(v, apr_pstrcat(rq->pool, np, ".code", NULL), next[j]);
                credit_view_set(v, apr_pstrcat(rq->pool, np, ".label", NULL),
                                credit_view_label(v, "case_status", next[j]));
            }
            credit_view_set(v, apr_pstrcat(rq->pool, pre, ".token", NULL),
                            credit_admin_form_token(rq, st, it->receipt, "transition", it->status));
        }
    }
    if (pageno > pages) {
        /* past the end (the queue may have shrunk since the link was made) */
        credit_view_set(v, "Queue.beyond", "1");
        return credit_admin_render(rq, v, "queue", 404);
    }
    return credit_admin_render(rq, v, "queue", 200);
}
