/* credit_page_status.c: receipt + query code -> the case's status, timeline
 * and reply. Both travel in a POST body, never in a URL; an unknown receipt
 * and a wrong code get the same answer; guessing is rate limited. No
 * personal data is shown. */
#include <string.h>
#include <apr_strings.h>
#include <apr_lib.h>

#include "credit_page.h"
#include "credit_token.h"

/* PREFIX-YYYYMMDD-NNNNNN with a prefix of ours. */
static int receipt_shaped(const char *s)
{
    int i;
    if (!s || strlen(s) != 18 || s[2] != '-' || s[11] != '-')
        return 0;
    if (strncmp(s, "TS", 2) && strncmp(s, "YY", 2) && strncmp(s, "XF", 2))
        return 0;
    for (i = 3; i < 18; i++)
        if (i != 11 && !apr_isdigit(s[i]))
            return 0;
    return 1;
}

static credit_status_t show(credit_req_t *rq, int status, const char *message, const char *receipt,
                            const credit_case_t *c)
{
    credit_view_t *v;
    credit_status_t rv;
    int i;
    if ((rv = credit_req_view(rq, &v)) != CREDIT_OK)
        return rv;
    {
        const char *pairs[] = {
            "kind",
            c ? credit_page_say(rq, apr_pstrcat(rq->pool, "Lang.form.", c->kind, ".title", NULL))
              : "",
            "state", c ? credit_view_label(v, "case_status", c->status) : "", NULL};
        credit_page_head(rq, v, c ? "status_case" : message ? "status_problem" : "status", pairs);
    }
    credit_view_set(v, "Lookup.message", message);
    credit_view_set(v, "Lookup.receipt", receipt);
    if (c) {
        credit_view_set(v, "Case.kind", c->kind);
        credit_view_set(v, "Case.no", c->receipt_no);
        credit_view_set(v, "Case.status", c->status);
        credit_view_set(v, "Case.status_label", credit_view_label(v, "case_status", c->status));
        credit_view_set(v, "Case.created_at", c->created_at);
        credit_view_set(v, "Case.title", c->title);
        credit_view_set(v, "Case.record_no", c->record_no);
        credit_view_set(v, "Case.due_on", c->due_on);
        credit_view_set(v, "Case.reply_due_on", c->reply_due_on);
        credit_view_set(v, "Case.reply", c->reply);
        for (i = 0; i < c->events->nelts; i++) {
            credit_case_event_t *e = &APR_ARRAY_IDX(c->events, i, credit_case_event_t);
            const char *pre = apr_psprintf(rq->pool, "Case.events.%d", i);
            credit_view_set(v, apr_pstrcat(rq->pool, pre, ".status", NULL), e->status);
            credit_view_set(v, apr_pstrcat(rq->pool, pre, ".label", NULL),
                            credit_view_label(v, "case_status", e->status));
            credit_view_set(v, apr_pstrcat(rq->pool, pre, ".at", NULL), e->at);
            credit_view_set(v, apr_pstrcat(rq->pool, pre, ".note", NULL), e->note);
        }
    }
    rq->status = status;
    apr_table_setn(rq->headers, "Cache-Control", "no-store");
    return credit_page_render(rq, v, "forms/status.cs");
}

credit_status_t credit_page_case_status(credit_req_t *rq)
{
    const char *receipt, *typed, *code, *hashes[CREDIT_KEYS_MAX];
    credit_case_t *c = NULL;
    credit_status_t rv;
    unsigned char h[32];
    int i;

    if (!rq->post)
        return show(rq, 200, NULL, NULL, NULL);
    if (!rq->keys)
        return CREDIT_EUNAVAIL;
    receipt = apr_table_get(rq->form, "receipt");
    typed = apr_table_get(rq->form, "code");
    if (receipt) { /* spaces typed or pasted inside the number do not matter */
        char *clean = apr_pstrdup(rq->pool, receipt);
        apr_collapse_spaces(clean, receipt); /* returns the end, not the start */
        receipt = clean;
    }
    if (rq->limit && !rq->limit(rq, "lookup", NULL))
        return show(rq, 429, "rate_limited", receipt_shaped(receipt) ? receipt : NULL, NULL);
    code = credit_token_code_normalise(rq->pool, typed ? typed : "");
    credit_req_log(rq, 7, "CR0802", "status look-up: receipt %s, code %s",
                   receipt_shaped(receipt) ? "well formed" : "malformed",
                   code ? "well formed" : "malformed");
    if (!receipt_shaped(receipt) || !code)
        return show(rq, 404, "not_found", receipt_shaped(receipt) ? receipt : NULL, NULL);
    for (i = 0; i < rq->keys->n; i++) {
        credit_token_hash(rq->keys, i, "code", code, h);
        hashes[i] = credit_hex(rq->pool, h, 32);
    }
    rv = rq->store->ops->lookup_case(rq->store, receipt, hashes, rq->keys->n, &c);
    credit_req_log(rq, 7, "CR0801", "status look-up: %s",
                   rv == CREDIT_OK          ? "found"
                   : rv == CREDIT_ENOTFOUND ? "no match"
                                            : "failed");
    if (rv == CREDIT_ENOTFOUND)
        return show(rq, 404, "not_found", receipt, NULL);
    if (rv != CREDIT_OK)
        return rv;
    return show(rq, 200, NULL, receipt, c);
}
