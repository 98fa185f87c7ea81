/* credit_admin_html.c: see credit_admin_html.h. Pages render
 * templates/admin/layout.cs around templates/admin/<page>.cs with the
 * strings of the language files' Admin section. */
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

const credit_admin_queue_kind_t credit_admin_queue_kinds[3] = {
    {"complaints", "complaint"},
    {"objections", "objection"},
    {"repairs", "repair"},
};

/* ---- rendering ------------------------------------------------------------------------- */

credit_status_t credit_admin_plain_error(credit_req_t *rq, int status, const char *code,
                                         const char *message)
{
    return credit_admin_error(rq, status, code, NULL, message);
}

/* A view in the request's language; no staff member set. */
static credit_status_t open_bare_view(credit_req_t *rq, credit_view_t **v)
{
    rq->route.api = 0;
    rq->route.name = "admin";
    if (!rq->templates) {
        credit_req_log(rq, 3, "CR0920",
                       "credit-admin pages need templates: set CreditTemplateDir in its "
                       "<Location>");
        return CREDIT_EINTERNAL;
    }
    return credit_req_view(rq, v);
}

/* A view with the staff member and the language switch's query. */
credit_status_t credit_admin_open_view(credit_req_t *rq, const credit_staff_t *st,
                                       credit_view_t **v)
{
    credit_status_t rv;
    if ((rv = open_bare_view(rq, v)) != CREDIT_OK)
        return rv;
    credit_view_set(*v, "Staff.user", st->username);
    credit_view_set(*v, "Staff.name", st->name);
    credit_view_set_int(*v, "Staff.city", st->department_id == 0);
    return CREDIT_OK;
}

credit_status_t credit_admin_render(credit_req_t *rq, credit_view_t *v, const char *page,
                                    int status)
{
    const char *tpl = apr_pstrcat(rq->pool, "admin/", page, ".cs", NULL);
    credit_status_t rv;
    credit_view_set(v, "Page.Template", tpl);
    credit_view_set(v, "Page.Admin", page);
    rv = credit_view_render_page(v, "admin/layout.cs", &rq->body, &rq->body_len);
    if (rv != CREDIT_OK) {
        credit_req_log(rq, 3, "CR0921", "rendering %s: %s", tpl, credit_view_error(v));
        return rv;
    }
    rq->status = status;
    rq->content_type = "text/html; charset=utf-8";
    apr_table_setn(rq->headers, "Cache-Control", "no-store");
    return CREDIT_OK;
}

/* The error page of status (404, 400, 503, 500) with Admin.error.<code>. */
credit_status_t credit_admin_page_error(credit_req_t *rq, const credit_staff_t *st, int status,
                                        const char *code, const char *detail)
{
    credit_view_t *v;
    credit_status_t rv = credit_admin_open_view(rq, st, &v);
    if (rv == CREDIT_OK) {
        credit_view_set(v, "Error.code", code);
        credit_view_set_int(v, "Error.status", status);
        credit_view_set(v, "Error.detail", detail);
        rv = credit_admin_render(rq, v, "error", status);
    }
    if (rv != CREDIT_OK)
        return credit_admin_plain_error(rq, status >= 500 ? status : 500, "internal_error",
                                        "the page could not be rendered");
    return status == 503 ? CREDIT_EUNAVAIL : status >= 500 ? CREDIT_EINTERNAL : CREDIT_OK;
}

credit_status_t credit_admin_not_staff_page(credit_req_t *rq, const char *user)
{
    credit_view_t *v;
    if (open_bare_view(rq, &v) == CREDIT_OK) {
        credit_view_set(v, "Staff.user", user);
        credit_view_set(v, "Staff.none", "1"); /* no queue links: they would be 403 too */
        credit_view_set(v, "Error.code", "not_staff");
        credit_view_set_int(v, "Error.status", 403);
        if (credit_admin_render(rq, v, "error", 403) == CREDIT_OK)
            return CREDIT_OK;
    }
    return credit_admin_plain_error(rq, 403, "not_staff", "this login has no staff account");
}

credit_status_t credit_admin_store_page_error(credit_req_t *rq, const credit_staff_t *st,
                                              credit_status_t rv)
{
    switch (rv) {
    case CREDIT_ENOTFOUND:
        return credit_admin_page_error(rq, st, 404, "not_found", NULL);
    case CREDIT_EUNAVAIL:
        apr_table_setn(rq->headers, "Retry-After", "30");
        return credit_admin_page_error(rq, st, 503, "unavailable", NULL);
    default:
        return credit_admin_page_error(rq, st, 500, "internal", NULL);
    }
}

/* The state of a case a form acts on: its status, and for the assign form
 * also its department ("accepted/12"; 0: none). */
const char *credit_admin_form_state(credit_req_t *rq, const char *action, const char *status,
                                    unsigned long long department_id)
{
    if (strcmp(action, "assign") != 0)
        return status;
    return apr_psprintf(rq->pool, "%s/%" APR_UINT64_T_FMT, status, (apr_uint64_t)department_id);
}

/* What a case form's token is bound to: the case, the form (transition |
 * assign), the state of the case the form was shown for (form_state) and
 * the login. So a token serves its own form only, and once: after the case
 * moved on (or was assigned) it no longer matches the case. */
const char *credit_admin_token_form(credit_req_t *rq, const credit_staff_t *st, const char *receipt,
                                    const char *action, const char *state)
{
    return apr_pstrcat(rq->pool, "admin-case:", receipt, ":", action, ":", state, ":", st->username,
                       NULL);
}

/* A fresh token for a case form; NULL without keys. */
const char *credit_admin_form_token(credit_req_t *rq, const credit_staff_t *st, const char *receipt,
                                    const char *action, const char *state)
{
    return rq->keys ? credit_token_issue(rq->pool, rq->keys,
                                         credit_admin_token_form(rq, st, receipt, action, state),
                                         rq->now)
                    : NULL;
}

/* ---- the clock ------------------------------------------------------------------------- */

/* The calendar from the earliest to the latest of today and the due dates
 * (credit_admin_calendar keeps today in it when that is too long a span). */
credit_status_t credit_admin_load_calendar(credit_req_t *rq, const char *const *dues, int n,
                                           credit_calendar_t *cal)
{
    credit_date_t lo = rq->today, hi = rq->today, d;
    int i;
    for (i = 0; i < n; i++) {
        if (!dues[i] || !credit_date_parse(dues[i], &d))
            continue;
        if (credit_date_cmp(d, lo) < 0)
            lo = d;
        if (credit_date_cmp(d, hi) > 0)
            hi = d;
    }
    return rq->store->admin->calendar(rq->store, lo, hi, cal);
}

void credit_admin_set_clock(credit_req_t *rq, credit_view_t *v, const char *prefix,
                            const credit_calendar_t *cal, const char *due_on)
{
    credit_case_clock_t k;
    credit_date_t due;
    if (!due_on || !credit_date_parse(due_on, &due))
        return;
    credit_case_clock(cal, rq->today, due, &k);
    credit_view_set(v, apr_pstrcat(rq->pool, prefix, ".has", NULL), "1");
    credit_view_set_int(v, apr_pstrcat(rq->pool, prefix, ".overdue", NULL), k.overdue);
    credit_view_set_int(v, apr_pstrcat(rq->pool, prefix, ".due_today", NULL), k.due_today);
    credit_view_set_int(v, apr_pstrcat(rq->pool, prefix, ".left", NULL), k.left);
    credit_view_set_int(v, apr_pstrcat(rq->pool, prefix, ".late", NULL), k.late);
}

/* The departments under Departments.N (id, name, district_label); *deps
 * receives them. Errors as the store's. */
credit_status_t credit_admin_departments_view(credit_req_t *rq, credit_view_t *v,
                                              apr_array_header_t **deps)
{
    credit_status_t rv = rq->store->admin->departments(rq->store, deps);
    int i;
    if (rv != CREDIT_OK)
        return rv;
    for (i = 0; i < (*deps)->nelts; i++) {
        credit_department_t *d = &APR_ARRAY_IDX(*deps, i, credit_department_t);
        const char *pre = apr_psprintf(rq->pool, "Departments.%d", i);
        credit_view_set_int(v, apr_pstrcat(rq->pool, pre, ".id", NULL), (long long)d->id);
        credit_view_set(v, apr_pstrcat(rq->pool, pre, ".name", NULL), d->name);
        credit_view_set(v, apr_pstrcat(rq->pool, pre, ".district_label", NULL),
                        credit_view_label(v, "district", d->district));
    }
    return CREDIT_OK;
}
