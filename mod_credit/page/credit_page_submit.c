/* credit_page_submit.c: the citizens' forms: complaint, objection, repair
 * application. A form comes back with everything the person typed and a
 * message at each bad field; a receipt is shown only after the database
 * committed; the same form sent twice gives the same receipt. */
#include <string.h>
#include <apr_strings.h>

#include "credit_page.h"
#include "credit_form.h"
#include "credit_token.h"
#include "credit_model.h"
#include "credit_rules.h"

#define HONEYPOT "website" /* hidden from people, filled by form robots */

typedef struct {
    credit_route_id_t get, post;
    credit_form_kind_t kind;
    const char *name; /* complaint objection repair */
} form_def_t;

static const form_def_t forms[] = {
    {CREDIT_ROUTE_COMPLAINT_NEW, CREDIT_ROUTE_COMPLAINTS, CREDIT_FORM_COMPLAINT, "complaint"},
    {CREDIT_ROUTE_OBJECTION, CREDIT_ROUTE_OBJECTION, CREDIT_FORM_OBJECTION, "objection"},
    {CREDIT_ROUTE_REPAIR, CREDIT_ROUTE_REPAIR, CREDIT_FORM_REPAIR, "repair"},
};

typedef struct {
    credit_req_t *rq;
    const form_def_t *def;
    const char *token_form; /* what the token is bound to */
    const char *action;     /* where the form posts */
    credit_record_t *record;
} submit_t;

/* The form's words in the request's language (credit_form_text_t). */
static const char *say(void *baton, const char *key)
{
    credit_req_t *rq = baton;
    return credit_templates_text(rq->templates, rq->lang, key);
}

static void validate(credit_req_t *rq, credit_form_kind_t kind, credit_form_t *filled)
{
    const credit_form_text_t text = {say, rq};
    credit_form_validate(rq->pool, kind, rq->form, rq->today, &text, filled);
}

/* Renders the form with values, per-field messages, a banner and token. */
static credit_status_t show_form(submit_t *sb, int status, const char *token, const char *banner,
                                 const credit_form_t *filled)
{
    credit_req_t *rq = sb->rq;
    apr_pool_t *p = rq->pool;
    const credit_field_t *fields;
    credit_view_t *v;
    credit_status_t rv;
    int i, j, n;

    if ((rv = credit_req_view(rq, &v)) != CREDIT_OK)
        return rv;
    credit_view_set(v, "Form.kind", sb->def->name);
    credit_view_set(v, "Form.action", sb->action);
    credit_view_set(v, "Form.token", token);
    credit_view_set(v, "Form.banner", banner);
    credit_view_set(v, "Form.honeypot", HONEYPOT);
    if (sb->record)
        credit_view_record(v, "Record", sb->record, 0);
    {
        const char *pairs[] = {
            "form",
            credit_page_say(rq, apr_pstrcat(p, "Lang.form.", sb->def->name, ".title", NULL)),
            "lead",
            credit_page_say(rq, apr_pstrcat(p, "Lang.form.", sb->def->name, ".lead", NULL)),
            "no",
            sb->record ? sb->record->record_no : "",
            NULL};
        credit_page_head(rq, v,
                         sb->record ? (banner ? "form_record_problem" : "form_record")
                                    : (banner ? "form_problem" : "form"),
                         pairs);
    }
    fields = credit_form_fields(sb->def->kind, &n);
    for (i = 0; i < n; i++) {
        const credit_field_t *f = &fields[i];
        const char *pre = apr_psprintf(p, "Form.fields.%d", i);
        const char *value = filled ? apr_table_get(filled->values, f->name) : NULL;
        credit_view_set(v, apr_pstrcat(p, pre, ".name", NULL), f->name);
        credit_view_set(v, apr_pstrcat(p, pre, ".label", NULL),
                        say(rq, apr_pstrcat(p, "Lang.form.label.", f->name, NULL)));
        credit_view_set_int(v, apr_pstrcat(p, pre, ".type", NULL), f->type);
        credit_view_set_int(v, apr_pstrcat(p, pre, ".required", NULL), f->required);
        credit_view_set_int(v, apr_pstrcat(p, pre, ".max", NULL), f->max_chars);
        credit_view_set(v, apr_pstrcat(p, pre, ".value", NULL), value);
        if (filled)
            credit_view_set(v, apr_pstrcat(p, pre, ".error", NULL),
                            apr_table_get(filled->errors, f->name));
        for (j = 0; f->choices && f->choices[j]; j++) {
            const char *code = f->choices[j];
            const char *cp = apr_psprintf(p, "%s.choices.%d", pre, j);
            credit_view_set(v, apr_pstrcat(p, cp, ".code", NULL), code);
            credit_view_set(v, apr_pstrcat(p, cp, ".label", NULL),
                            credit_view_label(v, f->name, code));
        }
    }
    rq->status = status;
    apr_table_setn(rq->headers, "Cache-Control", "no-store");
    return credit_page_render(rq, v, "forms/form.cs");
}

static credit_status_t show_receipt(submit_t *sb, const char *receipt, const char *code,
                                    int replayed)
{
    credit_req_t *rq = sb->rq;
    credit_view_t *v;
    credit_status_t rv;
    char buf[16];
    if ((rv = credit_req_view(rq, &v)) != CREDIT_OK)
        return rv;
    credit_view_set(v, "Receipt.kind", sb->def->name);
    credit_view_set(v, "Receipt.no", receipt);
    /* Shown as XXXX-XXXX-XXXXX, typed back in any case and grouping. */
    if (code)
        credit_view_set(v, "Receipt.code",
                        apr_psprintf(rq->pool, "%.4s-%.4s-%.5s", code, code + 4, code + 8));
    credit_view_set(v, "Receipt.date", apr_pstrdup(rq->pool, credit_date_fmt(rq->today, buf)));
    credit_view_set(v, "Receipt.replayed", replayed ? "1" : NULL);
    {
        const char *pairs[] = {
            "form",
            credit_page_say(rq, apr_pstrcat(rq->pool, "Lang.form.", sb->def->name, ".title", NULL)),
            "received",
            credit_page_say(rq,
                            apr_pstrcat(rq->pool, "Lang.form.", sb->def->name, ".received", NULL)),
            NULL};
        credit_page_head(rq, v, "receipt", pairs);
    }
    if (sb->record)
        credit_view_set(v, "Receipt.record", sb->record->record_no);
    rq->status = 201;
    apr_table_setn(rq->headers, "Cache-Control", "no-store");
    return credit_page_render(rq, v, "forms/receipt.cs");
}

/* Objections and repairs concern one public record; a repair also waits
 * for the record's earliest repair date. The page explains a refusal. */
static credit_status_t load_record(submit_t *sb)
{
    credit_req_t *rq = sb->rq;
    credit_status_t rv = rq->store->ops->get_record(rq->store, rq->route.param, &sb->record, NULL);
    if (rv != CREDIT_OK)
        return rv;
    if (sb->record->visibility == CREDIT_VIS_WITHDRAWN)
        return CREDIT_EGONE;
    if (sb->def->kind == CREDIT_FORM_REPAIR &&
        (!sb->record->clock.repair_from.y ||
         credit_date_cmp(rq->today, sb->record->clock.repair_from) < 0 || !sb->record->rectified)) {
        credit_view_t *v;
        if ((rv = credit_req_view(rq, &v)) != CREDIT_OK)
            return rv;
        credit_view_record(v, "Record", sb->record, 0);
        {
            const char *pairs[] = {"form", credit_page_say(rq, "Lang.form.repair.title"),
                                   "lead", credit_page_say(rq, "Lang.form.repair.lead"),
                                   "no",   sb->record->record_no,
                                   NULL};
            credit_page_head(rq, v, "form_record", pairs);
        }
        /* The date has come but the rectification is not done: say so. */
        if (sb->record->clock.repair_from.y &&
            credit_date_cmp(rq->today, sb->record->clock.repair_from) >= 0)
            credit_view_set(v, "Repair.not_rectified", "1");
        rq->status = 200;
        rv = credit_page_render(rq, v, "forms/repair_wait.cs");
        return rv == CREDIT_OK ? CREDIT_EINVAL : rv; /* no form */
    }
    return CREDIT_OK;
}

/* 1 when the POST comes from a page of another site. Browsers say where a
 * request comes from in Sec-Fetch-Site (same-origin for our own form,
 * "none" when typed or bookmarked); older ones only in Origin, which must
 * then be ours (the public origin or the Host's). A client that sends
 * neither (not a browser) is not a visitor's browser tricked into it. */
static int cross_site(const credit_req_t *rq)
{
    if (rq->fetch_site)
        return strcmp(rq->fetch_site, "same-origin") != 0 && strcmp(rq->fetch_site, "none") != 0;
    if (!rq->sent_origin)
        return 0;
    return !((rq->origin && strcmp(rq->sent_origin, rq->origin) == 0) ||
             (rq->self_origin && strcmp(rq->sent_origin, rq->self_origin) == 0));
}

static credit_status_t receive(submit_t *sb)
{
    credit_req_t *rq = sb->rq;
    const char *token = apr_table_get(rq->form, "token");
    const char *honey = apr_table_get(rq->form, HONEYPOT);
    credit_form_t filled;
    credit_submission_t sub;
    credit_status_t rv;
    unsigned char h[32];
    const char *receipt, *code, *idem;
    int key = 0, replayed = 0;

    if (cross_site(rq)) {
        /* Another site's page sent this through a visitor's browser: it is
         * not stored, and its text is not put on our page with a token. */
        credit_req_log(rq, 6, "CR0706", "%s form posted from another site refused", sb->def->name);
        return show_form(sb, 403, credit_token_issue(rq->pool, rq->keys, sb->token_form, rq->now),
                         "cross_site", NULL);
    }
    /* Whatever happens below, what the person typed comes back with it. */
    validate(rq, sb->def->kind, &filled);
    if (honey && *honey) {
        credit_req_log(rq, 6, "CR0701", "%s form with the honeypot filled refused", sb->def->name);
        return show_form(sb, 400, token, "submit_rejected", &filled);
    }
    switch (credit_token_verify(rq->keys, token, sb->token_form, rq->now, rq->min_fill, rq->max_age,
                                &key)) {
    case CREDIT_TOKEN_OK:
        break;
    case CREDIT_TOKEN_TOO_FAST:
        return show_form(sb, 400, token, "too_fast", &filled);
    case CREDIT_TOKEN_EXPIRED:
        return show_form(sb, 400, credit_token_issue(rq->pool, rq->keys, sb->token_form, rq->now),
                         "expired", &filled);
    default:
        credit_req_log(rq, 6, "CR0702", "%s form with a bad token refused", sb->def->name);
        return show_form(sb, 400, credit_token_issue(rq->pool, rq->keys, sb->token_form, rq->now),
                         "bad_token", &filled);
    }
    credit_token_hash(rq->keys, key, "idem", token, h);
    idem = credit_hex(rq->pool, h, 32);
    if (rq->limit && !rq->limit(rq, "submit", idem))
        return show_form(sb, 429, token, "rate_limited", &filled);
    if (apr_table_elts(filled.errors)->nelts)
        return show_form(sb, 400, token, "fix_fields", &filled);

    code = credit_token_code(rq->pool, rq->keys, key, token);
    memset(&sub, 0, sizeof sub);
    sub.kind = sb->def->name;
    sub.values = filled.values;
    sub.record_no = sb->record ? sb->record->record_no : NULL;
    sub.idem_hex = idem;
    credit_token_hash(rq->keys, key, "code", code, h);
    sub.code_hash_hex = credit_hex(rq->pool, h, 32);
    /* Under the key that signed the token, as the code's hash: a resend
     * after a key rotation still knows the client that sent it first. */
    credit_token_hash(rq->keys, key, "client", credit_client_id(rq->pool, rq->client_ip), h);
    sub.client_hex = credit_hex(rq->pool, h, 32);
    rv = rq->store->ops->submit(rq->store, &sub, &receipt, &replayed);
    switch (rv) {
    case CREDIT_OK:
        credit_req_log(rq, 6, "CR0703", "%s %s %s", sb->def->name, receipt,
                       replayed ? "resubmitted: first receipt shown" : "received");
        /* The query code is shown once: a resend shows it again only to the
         * client that sent the form, minutes after (a double click, a retry);
         * whoever else holds the token gets the receipt number only. */
        return show_receipt(sb, receipt, replayed == 2 ? NULL : code, replayed);
    case CREDIT_EUNAVAIL:
        /* Nothing is lost: the text is on the page, the token unchanged, so
         * sending it again later stores it once. */
        credit_req_log(rq, 4, "CR0704", "%s not stored: database unavailable", sb->def->name);
        apr_table_setn(rq->headers, "Retry-After", "30");
        return show_form(sb, 503, token, "unavailable", &filled);
    case CREDIT_EINVAL: /* a repair that became impossible meanwhile */
        return show_form(sb, 400, token, "not_possible", &filled);
    default:
        return rv;
    }
}

credit_status_t credit_page_submit(credit_req_t *rq)
{
    submit_t sb = {rq, NULL, NULL, NULL, NULL};
    credit_status_t rv;
    size_t i;

    for (i = 0; i < sizeof forms / sizeof forms[0]; i++)
        if (forms[i].get == rq->route.id || forms[i].post == rq->route.id)
            sb.def = &forms[i];
    if (!sb.def)
        return CREDIT_ENOTFOUND;
    if (sb.def->kind == CREDIT_FORM_COMPLAINT) {
        sb.token_form = "complaint";
        sb.action = apr_pstrcat(rq->pool, rq->base, "/complaints", NULL);
    } else {
        sb.token_form = apr_pstrcat(rq->pool, sb.def->name, ":", rq->route.param, NULL);
        sb.action =
            apr_pstrcat(rq->pool, rq->base, "/records/", rq->route.param, "/", sb.def->name, NULL);
        rv = load_record(&sb);
        if (rv == CREDIT_EUNAVAIL && rq->post && rq->keys) {
            /* The database is away: the person's text comes back with the
             * form and its token, to be sent again later. */
            credit_form_t filled;
            validate(rq, sb.def->kind, &filled);
            apr_table_setn(rq->headers, "Retry-After", "30");
            return show_form(&sb, 503, apr_table_get(rq->form, "token"), "unavailable", &filled);
        }
        if (rv != CREDIT_OK)
            return rv == CREDIT_EINVAL ? CREDIT_OK : rv;
    }
    if (!rq->keys) {
        credit_req_log(rq, 3, "CR0705", "forms need CreditSecretFile");
        return CREDIT_EUNAVAIL;
    }
    if (!rq->post)
        return show_form(&sb, 200, credit_token_issue(rq->pool, rq->keys, sb.token_form, rq->now),
                         NULL, NULL);
    return receive(&sb);
}
