/* credit_admin_case.c: a case page of the staff and its forms (a
 * transition, the assignment of a complaint) as HTML and JSON (see
 * credit_admin_queue.h).
 * Pages render templates/admin/layout.cs around templates/admin/<page>.cs
 * with the strings of the language files' Admin section. Forms carry an
 * HMAC token bound to the case and the login (no server session); what was
 * typed comes back with the message at its field. Contact data is shown on
 * the case page only: never in a URL or a log line. */
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

#define NOTE_MAX  1000 /* characters (audit and case_events hold them) */
#define REPLY_MAX 5000

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

/* The case itself under Case.*: its fields (enumerations labelled), its
 * queue, and the clocks of its due dates counted on cal. */
static void case_view(credit_req_t *rq, credit_view_t *v, const credit_admin_case_t *c,
                      const credit_calendar_t *cal)
{
    int i;
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
    for (i = 0; i < (int)(sizeof credit_admin_queue_kinds / sizeof credit_admin_queue_kinds[0]);
         i++)
        if (!strcmp(credit_admin_queue_kinds[i].kind, c->kind))
            credit_view_set(v, "Case.queue", credit_admin_queue_kinds[i].segment);
    credit_admin_set_clock(rq, v, "Case.clock", cal, c->due_on);
    credit_admin_set_clock(rq, v, "Case.reply_clock", cal, c->reply_due_on);
    for (i = 0; i < c->fields->nelts; i++) {
        credit_case_field_t *f = &APR_ARRAY_IDX(c->fields, i, credit_case_field_t);
        const char *pre = apr_psprintf(rq->pool, "Case.fields.%d", i);
        credit_view_set(v, apr_pstrcat(rq->pool, pre, ".name", NULL), f->name);
        credit_view_set(v, apr_pstrcat(rq->pool, pre, ".value", NULL),
                        f->value ? field_value(v, f->name, f->value) : NULL);
    }
}

/* What happened to the case: its timeline (Case.events) and its audit rows
 * (Audit). */
static void history_view(credit_req_t *rq, credit_view_t *v, const credit_admin_case_t *c,
                         const apr_array_header_t *audit)
{
    int i;
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
}

/* The forms: the legal next states only, each form with its own token for
 * this login, case and state shown, and the assignment form (with the
 * departments) for city-level staff while a complaint is open. Errors as
 * the store's (departments). */
static credit_status_t forms_view(credit_req_t *rq, const credit_staff_t *st, credit_view_t *v,
                                  const credit_admin_case_t *c, const char *receipt)
{
    apr_array_header_t *deps;
    const char *const *next = credit_case_next(c->kind, c->status);
    int i;
    for (i = 0; next && next[i]; i++) {
        const char *pre = apr_psprintf(rq->pool, "Form.next.%d", i);
        credit_view_set(v, apr_pstrcat(rq->pool, pre, ".code", NULL), next[i]);
        credit_view_set(v, apr_pstrcat(rq->pool, pre, ".label", NULL),
                        credit_view_label(v, "case_status", next[i]));
    }
    if (rq->keys) {
        const char *assign = credit_admin_form_state(rq, "assign", c->status, c->department_id);
        credit_view_set(v, "Form.token",
                        credit_admin_form_token(rq, st, receipt, "transition", c->status));
        credit_view_set(v, "Form.state", c->status);
        credit_view_set(v, "Assign.token",
                        credit_admin_form_token(rq, st, receipt, "assign", assign));
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
            return credit_admin_departments_view(rq, v, &deps);
        }
    }
    return CREDIT_OK;
}

/* A form shown again after it was refused: the values typed, the message
 * of each field, and the states of an illegal transition. */
static void refused_form_view(credit_req_t *rq, credit_view_t *v, const form_state_t *fs)
{
    const apr_array_header_t *errs = apr_table_elts(fs->errors);
    const char *form = !strcmp(fs->action, "assign") ? "Assign" : "Form";
    int i;
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

/* The case page: the case, its history, a confirmation after a form did
 * its work (?done=STATE, where the 303 leads), the forms, and the refused
 * form fs (NULL: none) again, with HTTP status `status`. */
static credit_status_t show_case(credit_req_t *rq, const credit_staff_t *st, const char *receipt,
                                 int status, const form_state_t *fs)
{
    credit_admin_case_t *c;
    apr_array_header_t *audit;
    credit_calendar_t cal;
    const char *dues[2];
    const char *done = rq->args ? apr_table_get(rq->args, "done") : NULL;
    credit_view_t *v;
    credit_status_t rv;

    if ((rv = rq->store->admin->case_get(rq->store, st, receipt, &c)) != CREDIT_OK)
        return credit_admin_store_page_error(rq, st, rv);
    if ((rv = rq->store->admin->audit(rq->store, st, c->kind, receipt, &audit)) != CREDIT_OK)
        return credit_admin_store_page_error(rq, st, rv);
    dues[0] = c->due_on;
    dues[1] = c->reply_due_on;
    if ((rv = credit_admin_load_calendar(rq, dues, 2, &cal)) != CREDIT_OK)
        return credit_admin_store_page_error(rq, st, rv);
    if ((rv = credit_admin_open_view(rq, st, &v)) != CREDIT_OK)
        return credit_admin_plain_error(rq, 500, "internal_error",
                                        "the page could not be rendered");
    case_view(rq, v, c, &cal);
    history_view(rq, v, c, audit);
    if (done && !fs && (!strcmp(done, "assigned") || !strcmp(done, c->status))) {
        credit_view_set(v, "Done.code", done);
        credit_view_set(v, "Done.label", credit_view_label(v, "case_status", c->status));
    }
    if ((rv = forms_view(rq, st, v, c, receipt)) != CREDIT_OK)
        return credit_admin_store_page_error(rq, st, rv);
    if (fs)
        refused_form_view(rq, v, fs);
    return credit_admin_render(rq, v, "case", status);
}

credit_status_t credit_admin_case_page(credit_req_t *rq, const credit_staff_t *st, const char *key,
                                       const credit_admin_body_t *in)
{
    (void)in;
    if (!credit_case_kind_of(key))
        return credit_admin_page_error(rq, st, 404, "not_found", NULL);
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
    rv = rq->store->admin->case_transition(
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
    return credit_admin_store_page_error(rq, st, rv);
}

static credit_status_t post_assign(credit_req_t *rq, const credit_staff_t *st, const char *receipt,
                                   form_state_t *fs)
{
    const char *before, *name, *why;
    unsigned long long dept = 0;
    credit_status_t rv;
    if (st->department_id)
        return credit_admin_page_error(rq, st, 404, "not_found",
                                       NULL); /* as for another department's case */
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
    rv =
        rq->store->admin->case_assign(rq->store, st, receipt, dept, fs->note, &before, &name, &why);
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
    return credit_admin_store_page_error(rq, st, rv);
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
        return credit_admin_page_error(rq, st, 404, "not_found", NULL);
    if (!rq->keys) {
        credit_req_log(rq, 3, "CR0922", "credit-admin forms need CreditSecretFile");
        apr_table_setn(rq->headers, "Retry-After", "30");
        return credit_admin_page_error(rq, st, 503, "no_keys", NULL);
    }
    memset(&fs, 0, sizeof fs);
    fs.errors = apr_table_make(rq->pool, 4);
    fs.action = form_field(rq->form, "action", 16, &fs);
    if (!fs.action || (strcmp(fs.action, "transition") && strcmp(fs.action, "assign")))
        return credit_admin_page_error(rq, st, 400, "bad_form", NULL);
    if (!strcmp(fs.action, "assign") && st->department_id)
        return credit_admin_page_error(rq, st, 404, "not_found",
                                       NULL); /* as for another department's case */
    /* The token must be this form's, for the case as it is now. The form
     * says which state it was shown for ("state"): a good token for a state
     * the case has left is a stale form (409), anything else a bad one. */
    if ((rv = rq->store->admin->case_get(rq->store, st, key, &c)) != CREDIT_OK)
        return credit_admin_store_page_error(rq, st, rv);
    now_state = credit_admin_form_state(rq, fs.action, c->status, c->department_id);
    shown = apr_table_get(rq->form, "state");
    if (!shown || !*shown)
        shown = now_state;
    token = form_field(rq->form, "token", 200, &fs);
    switch (credit_token_verify(rq->keys, token,
                                credit_admin_token_form(rq, st, key, fs.action, shown), rq->now, 0,
                                CREDIT_ADMIN_FORM_MAX_AGE, NULL)) {
    case CREDIT_TOKEN_OK:
        if (strcmp(shown, now_state) != 0)
            apr_table_setn(fs.errors, "token", "stale");
        break;
    case CREDIT_TOKEN_EXPIRED:
        apr_table_setn(fs.errors, "token", "expired");
        break;
    default:
        credit_req_log(rq, 6, "CR0923", "case form with a bad token refused");
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
