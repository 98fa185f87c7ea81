/* credit_admin_queue.c: the staff's work queues, case pages and their
 * forms, and the assignment of complaints (see credit_admin_queue.h).
 * Pages render templates/admin/layout.cs around templates/admin/<page>.cs
 * with the strings of the language files' Admin section. Forms carry an
 * HMAC token bound to the case and the login (no server session); what was
 * typed comes back with the message at its field. Contact data is shown on
 * the case page only: never in a URL or a log line. */
#include <string.h>
#include <stdlib.h>
#include <apr_strings.h>

#include "credit_admin_queue.h"
#include "credit_admin.h"
#include "credit_json.h"
#include "credit_rules.h"
#include "credit_token.h"
#include "credit_validate.h"
#include "credit_workflow.h"

#define NOTE_MAX  1000 /* characters (audit and case_events hold them) */
#define REPLY_MAX 5000

static const struct {
    const char *segment, *kind;
} queue_kinds[] = {
    {"complaints", "complaint"},
    {"objections", "objection"},
    {"repairs", "repair"},
};

/* ---- rendering ------------------------------------------------------------------------- */

static credit_status_t plain_error(credit_req_t *rq, int status, const char *code,
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
        credit_page_log(rq, 3, "CR0920",
                        "credit-admin pages need templates: set CreditTemplateDir in its "
                        "<Location>");
        return CREDIT_EINTERNAL;
    }
    return credit_page_view(rq, v);
}

/* A view with the staff member and the language switch's query. */
static credit_status_t open_view(credit_req_t *rq, const credit_staff_t *st, credit_view_t **v)
{
    credit_status_t rv;
    if ((rv = open_bare_view(rq, v)) != CREDIT_OK)
        return rv;
    credit_view_set(*v, "Staff.user", st->username);
    credit_view_set(*v, "Staff.name", st->name);
    credit_view_set_int(*v, "Staff.city", st->department_id == 0);
    return CREDIT_OK;
}

static credit_status_t render(credit_req_t *rq, credit_view_t *v, const char *page, int status)
{
    const char *tpl = apr_pstrcat(rq->pool, "admin/", page, ".cs", NULL);
    credit_status_t rv;
    credit_view_set(v, "Page.Template", tpl);
    credit_view_set(v, "Page.Admin", page);
    rv = credit_view_render_page(v, "admin/layout.cs", &rq->body, &rq->body_len);
    if (rv != CREDIT_OK) {
        credit_page_log(rq, 3, "CR0921", "rendering %s: %s", tpl, credit_view_error(v));
        return rv;
    }
    rq->status = status;
    rq->content_type = "text/html; charset=utf-8";
    apr_table_setn(rq->headers, "Cache-Control", "no-store");
    return CREDIT_OK;
}

/* The error page of status (404, 400, 503, 500) with Admin.error.<code>. */
static credit_status_t page_error(credit_req_t *rq, const credit_staff_t *st, int status,
                                  const char *code, const char *detail)
{
    credit_view_t *v;
    credit_status_t rv = open_view(rq, st, &v);
    if (rv == CREDIT_OK) {
        credit_view_set(v, "Error.code", code);
        credit_view_set_int(v, "Error.status", status);
        credit_view_set(v, "Error.detail", detail);
        rv = render(rq, v, "error", status);
    }
    if (rv != CREDIT_OK)
        return plain_error(rq, status >= 500 ? status : 500, "internal_error",
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
        if (render(rq, v, "error", 403) == CREDIT_OK)
            return CREDIT_OK;
    }
    return plain_error(rq, 403, "not_staff", "this login has no staff account");
}

static credit_status_t store_page_error(credit_req_t *rq, const credit_staff_t *st,
                                        credit_status_t rv)
{
    switch (rv) {
    case CREDIT_ENOTFOUND:
        return page_error(rq, st, 404, "not_found", NULL);
    case CREDIT_EUNAVAIL:
        apr_table_setn(rq->headers, "Retry-After", "30");
        return page_error(rq, st, 503, "unavailable", NULL);
    default:
        return page_error(rq, st, 500, "internal", NULL);
    }
}

/* The state of a case a form acts on: its status, and for the assign form
 * also its department ("accepted/12"; 0: none). */
static const char *form_state(credit_req_t *rq, const char *action, const char *status,
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
static const char *token_form(credit_req_t *rq, const credit_staff_t *st, const char *receipt,
                              const char *action, const char *state)
{
    return apr_pstrcat(rq->pool, "admin-case:", receipt, ":", action, ":", state, ":", st->username,
                       NULL);
}

/* A fresh token for a case form; NULL without keys. */
static const char *form_token(credit_req_t *rq, const credit_staff_t *st, const char *receipt,
                              const char *action, const char *state)
{
    return rq->keys ? credit_token_issue(rq->pool, rq->keys,
                                         token_form(rq, st, receipt, action, state), rq->now)
                    : NULL;
}

/* ---- the clock ------------------------------------------------------------------------- */

/* The calendar from the earliest to the latest of today and the due dates
 * (credit_admin_calendar keeps today in it when that is too long a span). */
static credit_status_t load_calendar(credit_req_t *rq, const char *const *dues, int n,
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
    return credit_admin_calendar(rq->store, lo, hi, cal);
}

static void set_clock(credit_req_t *rq, credit_view_t *v, const char *prefix,
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

/* ---- GET /queues ----------------------------------------------------------------------- */

static credit_status_t departments_view(credit_req_t *rq, credit_view_t *v,
                                        apr_array_header_t **deps)
{
    credit_status_t rv = credit_admin_departments(rq->store, deps);
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

    if ((rv = open_view(rq, st, &v)) != CREDIT_OK)
        return plain_error(rq, 500, "internal_error", "the page could not be rendered");
    if ((rv = credit_admin_queue_counts(rq->store, st, &counts)) != CREDIT_OK ||
        (rv = departments_view(rq, v, &deps)) != CREDIT_OK)
        return store_page_error(rq, st, rv);
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
        const char *pre = apr_pstrcat(rq->pool, "Overview.total.", queue_kinds[i].kind, NULL);
        credit_view_set_int(v, apr_pstrcat(rq->pool, pre, ".open", NULL), total[i][0]);
        credit_view_set_int(v, apr_pstrcat(rq->pool, pre, ".overdue", NULL), total[i][1]);
        credit_view_set(v, apr_pstrcat(rq->pool, pre, ".segment", NULL), queue_kinds[i].segment);
    }
    return render(rq, v, "queues", 200);
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

    for (k = 0; k < sizeof queue_kinds / sizeof queue_kinds[0]; k++)
        if (!strcmp(key, queue_kinds[k].segment))
            kind = queue_kinds[k].kind;
    if (!kind)
        return page_error(rq, st, 404, "not_found", NULL);
    if (dep && *dep) {
        if (!strcmp(dep, "none") && !strcmp(kind, "complaint"))
            f.unassigned = 1;
        else if (!credit_id_parse(dep, &f.department_id))
            return page_error(rq, st, 400, "bad_department", NULL);
        /* a department's staff see their own department only */
        if (st->department_id && (f.unassigned || f.department_id != st->department_id))
            return page_error(rq, st, 404, "not_found", NULL);
    }
    if (arg_count(rq, "department") > 1)
        return page_error(rq, st, 400, "bad_department", NULL);
    pageno = page_number(rq->args ? apr_table_get(rq->args, "page") : NULL);
    if (!pageno || arg_count(rq, "page") > 1)
        return page_error(rq, st, 400, "bad_page",
                          apr_psprintf(rq->pool, "page = 1 … %d", CREDIT_QUEUE_PAGES_MAX));
    f.limit = CREDIT_QUEUE_PAGE_SIZE;
    f.offset = (long long)(pageno - 1) * CREDIT_QUEUE_PAGE_SIZE;
    if ((rv = open_view(rq, st, &v)) != CREDIT_OK)
        return plain_error(rq, 500, "internal_error", "the page could not be rendered");
    if ((rv = credit_admin_queue(rq->store, st, kind, &f, &items, &total)) != CREDIT_OK ||
        (st->department_id == 0 && (rv = departments_view(rq, v, &deps)) != CREDIT_OK))
        return store_page_error(rq, st, rv); /* the filter is the city level's */
    dues = apr_palloc(rq->pool, sizeof *dues * (size_t)(items->nelts * 2 + 1));
    for (i = 0; i < items->nelts; i++) {
        credit_queue_item_t *it = &APR_ARRAY_IDX(items, i, credit_queue_item_t);
        dues[2 * i] = it->due_on;
        dues[2 * i + 1] = it->reply_due_on;
    }
    if ((rv = load_calendar(rq, dues, items->nelts * 2, &cal)) != CREDIT_OK)
        return store_page_error(rq, st, rv);
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
        set_clock(rq, v, pre, &cal, it->due_on);
        set_clock(rq, v, apr_pstrcat(rq->pool, pre, ".reply", NULL), &cal, it->reply_due_on);
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
                            form_token(rq, st, it->receipt, "transition", it->status));
        }
    }
    if (pageno > pages) {
        /* past the end (the queue may have shrunk since the link was made) */
        credit_view_set(v, "Queue.beyond", "1");
        return render(rq, v, "queue", 404);
    }
    return render(rq, v, "queue", 200);
}

/* ---- GET /cases/{receipt} -------------------------------------------------------------- */

/* What a re-shown form keeps: the values typed and a message per field. */
typedef struct {
    const char *action; /* transition | assign */
    const char *to, *note, *reply, *department_id;
    const char *correction; /* an objection decided corrected: the public note */
    apr_table_t *errors;    /* field -> Admin.form.error code */
    const char *detail;     /* states of an illegal transition */
} form_state_t;

/* Labels of the enumerations among a case's fields. */
static const char *field_value(credit_view_t *v, const char *name, const char *value)
{
    if (!strcmp(name, "district") || !strcmp(name, "domain") || !strcmp(name, "relation"))
        return credit_view_label(v, name, value);
    return value;
}

static credit_status_t show_case(credit_req_t *rq, const credit_staff_t *st, const char *receipt,
                                 int status, const form_state_t *fs)
{
    credit_admin_case_t *c;
    apr_array_header_t *audit, *deps;
    credit_calendar_t cal;
    const char *dues[2];
    const char *const *next;
    const char *done = rq->args ? apr_table_get(rq->args, "done") : NULL;
    credit_view_t *v;
    credit_status_t rv;
    int i;

    if ((rv = credit_admin_case_get(rq->store, st, receipt, &c)) != CREDIT_OK)
        return store_page_error(rq, st, rv);
    if ((rv = credit_admin_audit(rq->store, st, c->kind, receipt, &audit)) != CREDIT_OK)
        return store_page_error(rq, st, rv);
    dues[0] = c->due_on;
    dues[1] = c->reply_due_on;
    if ((rv = load_calendar(rq, dues, 2, &cal)) != CREDIT_OK)
        return store_page_error(rq, st, rv);
    if ((rv = open_view(rq, st, &v)) != CREDIT_OK)
        return plain_error(rq, 500, "internal_error", "the page could not be rendered");
#define SET(name, value) credit_view_set(v, "Case." name, value)
    SET("kind", c->kind);
    SET("receipt", c->receipt);
    SET("status", c->status);
    SET("status_label", credit_view_label(v, "case_status", c->status));
    SET("created_at", c->created_at);
    SET("accepted_on", c->accepted_on);
    SET("due_on", c->due_on);
    SET("reply_due_on", c->reply_due_on);
    SET("reply", c->reply);
    SET("title", c->title);
    SET("record_no", c->record_no);
    SET("record_title", c->record_title);
    SET("department", c->department);
#undef SET
    credit_view_set(v, "Page.Title", c->receipt);
    if (c->department_id)
        credit_view_set_int(v, "Case.department_id", (long long)c->department_id);
    for (i = 0; i < (int)(sizeof queue_kinds / sizeof queue_kinds[0]); i++)
        if (!strcmp(queue_kinds[i].kind, c->kind))
            credit_view_set(v, "Case.queue", queue_kinds[i].segment);
    set_clock(rq, v, "Case.clock", &cal, c->due_on);
    set_clock(rq, v, "Case.reply_clock", &cal, c->reply_due_on);
    for (i = 0; i < c->fields->nelts; i++) {
        credit_case_field_t *f = &APR_ARRAY_IDX(c->fields, i, credit_case_field_t);
        const char *pre = apr_psprintf(rq->pool, "Case.fields.%d", i);
        credit_view_set(v, apr_pstrcat(rq->pool, pre, ".name", NULL), f->name);
        credit_view_set(v, apr_pstrcat(rq->pool, pre, ".value", NULL),
                        f->value ? field_value(v, f->name, f->value) : NULL);
    }
    for (i = 0; i < c->events->nelts; i++) {
        credit_case_event_row_t *e = &APR_ARRAY_IDX(c->events, i, credit_case_event_row_t);
        const char *pre = apr_psprintf(rq->pool, "Case.events.%d", i);
        credit_view_set(v, apr_pstrcat(rq->pool, pre, ".at", NULL), e->at);
        credit_view_set(v, apr_pstrcat(rq->pool, pre, ".label", NULL),
                        credit_view_label(v, "case_status", e->status));
        credit_view_set(v, apr_pstrcat(rq->pool, pre, ".note", NULL), e->note);
    }
    for (i = 0; i < audit->nelts; i++) {
        credit_audit_t *a = &APR_ARRAY_IDX(audit, i, credit_audit_t);
        const char *pre = apr_psprintf(rq->pool, "Audit.%d", i);
        credit_view_set(v, apr_pstrcat(rq->pool, pre, ".actor", NULL), a->actor);
        credit_view_set(v, apr_pstrcat(rq->pool, pre, ".at", NULL), a->at);
        credit_view_set(v, apr_pstrcat(rq->pool, pre, ".action", NULL), a->action);
        credit_view_set(v, apr_pstrcat(rq->pool, pre, ".before", NULL), a->before_json);
        credit_view_set(v, apr_pstrcat(rq->pool, pre, ".after", NULL), a->after_json);
    }
    /* A confirmation after a form did its work (the 303 leads here). */
    if (done && !fs && (!strcmp(done, "assigned") || !strcmp(done, c->status))) {
        credit_view_set(v, "Done.code", done);
        credit_view_set(v, "Done.label", credit_view_label(v, "case_status", c->status));
    }
    /* The forms: the legal next states only, and a token for this login and case. */
    next = credit_case_next(c->kind, c->status);
    for (i = 0; next && next[i]; i++) {
        const char *pre = apr_psprintf(rq->pool, "Form.next.%d", i);
        credit_view_set(v, apr_pstrcat(rq->pool, pre, ".code", NULL), next[i]);
        credit_view_set(v, apr_pstrcat(rq->pool, pre, ".label", NULL),
                        credit_view_label(v, "case_status", next[i]));
    }
    /* Each form its own token, for the state of the case shown. */
    if (rq->keys) {
        const char *assign = form_state(rq, "assign", c->status, c->department_id);
        credit_view_set(v, "Form.token", form_token(rq, st, receipt, "transition", c->status));
        credit_view_set(v, "Form.state", c->status);
        credit_view_set(v, "Assign.token", form_token(rq, st, receipt, "assign", assign));
        credit_view_set(v, "Assign.state", assign);
    } else {
        credit_view_set(v, "Form.disabled", "1");
    }
    credit_view_set(v, "Form.action", apr_pstrcat(rq->pool, rq->base, "/cases/", receipt, NULL));
    if (!strcmp(c->kind, "complaint") && st->department_id == 0) {
        const char *const *open = credit_case_open_states("complaint");
        int can = 0;
        for (i = 0; open[i]; i++)
            can |= !strcmp(open[i], c->status);
        if (can) {
            credit_view_set(v, "Assign.show", "1");
            if ((rv = departments_view(rq, v, &deps)) != CREDIT_OK)
                return store_page_error(rq, st, rv);
        }
    }
    if (fs) {
        const apr_array_header_t *errs = apr_table_elts(fs->errors);
        const char *form = !strcmp(fs->action, "assign") ? "Assign" : "Form";
        credit_view_set(v, "Form.to", fs->to);
        credit_view_set(v, apr_pstrcat(rq->pool, form, ".note", NULL), fs->note);
        credit_view_set(v, "Form.reply", fs->reply);
        credit_view_set(v, "Form.correction", fs->correction);
        credit_view_set(v, "Assign.department", fs->department_id);
        if (fs->detail) {
            credit_view_set(v, "Form.from_label", credit_view_label(v, "case_status", fs->detail));
            credit_view_set(v, "Form.to_label", credit_view_label(v, "case_status", fs->to));
        }
        for (i = 0; i < errs->nelts; i++) {
            const apr_table_entry_t *e = &APR_ARRAY_IDX(errs, i, apr_table_entry_t);
            credit_view_set(v, apr_pstrcat(rq->pool, form, ".error.", e->key, NULL), e->val);
        }
        credit_view_set(v, "Form.failed", fs->action);
    }
    return render(rq, v, "case", status);
}

credit_status_t credit_admin_case_page(credit_req_t *rq, const credit_staff_t *st, const char *key,
                                       const credit_admin_body_t *in)
{
    (void)in;
    if (!credit_case_kind_of(key))
        return page_error(rq, st, 404, "not_found", NULL);
    return show_case(rq, st, key, 200, NULL);
}

/* ---- POST /cases/{receipt} ------------------------------------------------------------- */

/* One field of the form: NULL when absent or only white space. A field sent
 * twice, not UTF-8 or over max characters gets its error (the text is kept
 * for the page unless it is not UTF-8). */
static const char *form_field(const apr_table_t *form, const char *name, long max, form_state_t *fs)
{
    const apr_array_header_t *a = apr_table_elts(form);
    const char *v = NULL, *p;
    int i, n = 0;
    long chars;
    for (i = 0; i < a->nelts; i++) {
        const apr_table_entry_t *e = &APR_ARRAY_IDX(a, i, apr_table_entry_t);
        if (!strcmp(e->key, name) && n++ == 0)
            v = e->val;
    }
    if (!v)
        return NULL;
    if (n > 1) {
        apr_table_setn(fs->errors, name, "twice");
        return NULL;
    }
    chars = credit_utf8_chars(v, strlen(v));
    if (chars < 0) {
        apr_table_setn(fs->errors, name, "utf8");
        return NULL;
    }
    if (chars > max)
        apr_table_setn(fs->errors, name, "too_long");
    for (p = v; *p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'; p++)
        ;
    return *p ? v : NULL;
}

static credit_status_t see_case(credit_req_t *rq, const char *receipt, const char *done)
{
    rq->status = 303;
    apr_table_setn(
        rq->headers, "Location",
        apr_pstrcat(rq->pool, rq->origin, rq->base, "/cases/", receipt, "?done=", done, NULL));
    apr_table_setn(rq->headers, "Cache-Control", "no-store");
    rq->content_type = "text/html; charset=utf-8";
    rq->body = "";
    rq->body_len = 0;
    return CREDIT_OK;
}

static credit_status_t post_transition(credit_req_t *rq, const credit_staff_t *st,
                                       const char *receipt, form_state_t *fs)
{
    const char *from = NULL, *why = NULL;
    credit_status_t rv;
    fs->to = form_field(rq->form, "to", 32, fs);
    fs->note = form_field(rq->form, "note", NOTE_MAX, fs);
    fs->reply = form_field(rq->form, "reply", REPLY_MAX, fs);
    fs->correction = form_field(rq->form, "correction", NOTE_MAX, fs);
    if (!fs->to && !apr_table_get(fs->errors, "to"))
        apr_table_setn(fs->errors, "to", "required");
    if (!fs->note && !apr_table_get(fs->errors, "note"))
        apr_table_setn(fs->errors, "note", "required");
    /* the correction text is for a correction only (the field is on the form for every choice) */
    if (!fs->to || strcmp(fs->to, "corrected"))
        apr_table_unset(fs->errors, "correction");
    else if (!fs->correction && !apr_table_get(fs->errors, "correction"))
        apr_table_setn(fs->errors, "correction", "required");
    if (apr_table_elts(fs->errors)->nelts)
        return show_case(rq, st, receipt, 400, fs);
    rv = credit_admin_case_transition(
        rq->store, st, receipt, fs->to, fs->note, fs->reply,
        fs->to && !strcmp(fs->to, "corrected") ? fs->correction : NULL, &from, &why);
    if (rv == CREDIT_OK)
        return see_case(rq, receipt, fs->to);
    if (rv == CREDIT_ECONFLICT) {
        /* why: the record withdrawn meanwhile, or a repair the rules refuse */
        apr_table_setn(fs->errors, "to",
                       !why                                                 ? "illegal"
                       : !strncmp(why, "the repair cannot be approved", 29) ? "repair_refused"
                                                                            : "withdrawn");
        fs->detail = from;
        return show_case(rq, st, receipt, 409, fs);
    }
    return store_page_error(rq, st, rv);
}

static credit_status_t post_assign(credit_req_t *rq, const credit_staff_t *st, const char *receipt,
                                   form_state_t *fs)
{
    const char *before, *name, *why;
    unsigned long long dept = 0;
    credit_status_t rv;
    if (st->department_id)
        return page_error(rq, st, 404, "not_found", NULL); /* as for another department's case */
    fs->department_id = form_field(rq->form, "department_id", 20, fs);
    fs->note = form_field(rq->form, "note", NOTE_MAX, fs);
    if (!fs->department_id && !apr_table_get(fs->errors, "department_id"))
        apr_table_setn(fs->errors, "department_id", "required");
    else if (fs->department_id && !credit_id_parse(fs->department_id, &dept))
        apr_table_setn(fs->errors, "department_id", "unknown");
    if (!fs->note && !apr_table_get(fs->errors, "note"))
        apr_table_setn(fs->errors, "note", "required");
    if (apr_table_elts(fs->errors)->nelts)
        return show_case(rq, st, receipt, 400, fs);
    rv = credit_admin_case_assign(rq->store, st, receipt, dept, fs->note, &before, &name, &why);
    if (rv == CREDIT_OK)
        return see_case(rq, receipt, "assigned");
    if (rv == CREDIT_EINVAL) {
        apr_table_setn(fs->errors, "department_id",
                       strncmp(why, "department_id", 13) ? "not_complaint"
                       : strstr(why, "already")          ? "same"
                                                         : "unknown");
        return show_case(rq, st, receipt, 400, fs);
    }
    if (rv == CREDIT_ECONFLICT) {
        apr_table_setn(fs->errors, "department_id", "closed");
        return show_case(rq, st, receipt, 409, fs);
    }
    return store_page_error(rq, st, rv);
}

credit_status_t credit_admin_case_post(credit_req_t *rq, const credit_staff_t *st, const char *key,
                                       const credit_admin_body_t *in)
{
    form_state_t fs;
    credit_admin_case_t *c;
    const char *token, *now_state, *shown;
    credit_status_t rv;
    (void)in;
    if (!credit_case_kind_of(key))
        return page_error(rq, st, 404, "not_found", NULL);
    if (!rq->keys) {
        credit_page_log(rq, 3, "CR0922", "credit-admin forms need CreditSecretFile");
        apr_table_setn(rq->headers, "Retry-After", "30");
        return page_error(rq, st, 503, "no_keys", NULL);
    }
    memset(&fs, 0, sizeof fs);
    fs.errors = apr_table_make(rq->pool, 4);
    fs.action = form_field(rq->form, "action", 16, &fs);
    if (!fs.action || (strcmp(fs.action, "transition") && strcmp(fs.action, "assign")))
        return page_error(rq, st, 400, "bad_form", NULL);
    if (!strcmp(fs.action, "assign") && st->department_id)
        return page_error(rq, st, 404, "not_found", NULL); /* as for another department's case */
    /* The token must be this form's, for the case as it is now. The form
     * says which state it was shown for ("state"): a good token for a state
     * the case has left is a stale form (409), anything else a bad one. */
    if ((rv = credit_admin_case_get(rq->store, st, key, &c)) != CREDIT_OK)
        return store_page_error(rq, st, rv);
    now_state = form_state(rq, fs.action, c->status, c->department_id);
    shown = apr_table_get(rq->form, "state");
    if (!shown || !*shown)
        shown = now_state;
    token = form_field(rq->form, "token", 200, &fs);
    switch (credit_token_verify(rq->keys, token, token_form(rq, st, key, fs.action, shown), rq->now,
                                0, CREDIT_ADMIN_FORM_MAX_AGE, NULL)) {
    case CREDIT_TOKEN_OK:
        if (strcmp(shown, now_state) != 0)
            apr_table_setn(fs.errors, "token", "stale");
        break;
    case CREDIT_TOKEN_EXPIRED:
        apr_table_setn(fs.errors, "token", "expired");
        break;
    default:
        credit_page_log(rq, 6, "CR0923", "case form with a bad token refused");
        apr_table_setn(fs.errors, "token", "bad");
        break;
    }
    if (apr_table_get(fs.errors, "token")) {
        /* nothing is done; what was typed comes back with a fresh token */
        fs.to = form_field(rq->form, "to", 32, &fs);
        fs.note = form_field(rq->form, "note", NOTE_MAX, &fs);
        fs.reply = form_field(rq->form, "reply", REPLY_MAX, &fs);
        fs.correction = form_field(rq->form, "correction", NOTE_MAX, &fs);
        fs.department_id = form_field(rq->form, "department_id", 20, &fs);
        return show_case(rq, st, key,
                         !strcmp(apr_table_get(fs.errors, "token"), "stale") ? 409 : 400, &fs);
    }
    return !strcmp(fs.action, "assign") ? post_assign(rq, st, key, &fs)
                                        : post_transition(rq, st, key, &fs);
}
