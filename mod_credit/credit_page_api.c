/* credit_page_api.c: JSON API v1 (json-c). */
#include <apr_strings.h>

#include "credit_page.h"
#include "credit_json.h"
#include "credit_model.h"
#include "credit_rules.h"
#include "credit_validate.h"

/* GET /api/v1/health: for load balancers. 200 when the database answers,
 * 503 otherwise; never cached. */
credit_status_t credit_page_api_health(credit_req_t *rq)
{
    json_object *o = credit_json_new(rq->pool);
    json_object *db = json_object_new_object();
    int schema = 0;
    credit_status_t rv = rq->store->ops->schema_version(rq->store, &schema);

    json_object_object_add(o, "status",
                           json_object_new_string(rv == CREDIT_OK ? "ok" : "degraded"));
    json_object_object_add(db, "reachable", json_object_new_boolean(rv == CREDIT_OK));
    if (rv == CREDIT_OK)
        json_object_object_add(db, "schema_version", json_object_new_int(schema));
    else
        json_object_object_add(db, "schema_version", NULL);
    json_object_object_add(o, "database", db);
    json_object_object_add(o, "store", json_object_new_string(rq->store->ops->name));
    rq->status = rv == CREDIT_OK ? 200 : 503;
    rq->content_type = "application/json; charset=utf-8";
    apr_table_setn(rq->headers, "Cache-Control", "no-store");
    rq->body = credit_json_text(rq->pool, o, &rq->body_len);
    return CREDIT_OK;
}

/* Sends o as the JSON response with status. */
static credit_status_t reply(credit_req_t *rq, int status, json_object *o)
{
    rq->status = status;
    rq->content_type = "application/json; charset=utf-8";
    rq->body = credit_json_text(rq->pool, o, &rq->body_len);
    return CREDIT_OK;
}

static const char *url_base(credit_req_t *rq)
{
    return apr_pstrcat(rq->pool, rq->origin, rq->base, NULL);
}

/* GET /api/v1/records (and /api/v1/search): the list with the filters of
 * the HTML list, cursor pagination, the total and the next cursor. */
credit_status_t credit_page_api_records(credit_req_t *rq)
{
    credit_filter_t f;
    credit_record_page_t page;
    credit_status_t rv;
    json_object *o, *items;
    long long total = 0;
    int i, fresh;
    const char *next = NULL, *ub = url_base(rq);

    if ((rv = credit_page_filter(rq, &f)) != CREDIT_OK)
        return rv;
    if ((rv = credit_page_validators(rq, &fresh)) != CREDIT_OK || fresh)
        return rv;
    if ((rv = rq->store->ops->list_records(rq->store, &f, &page)) != CREDIT_OK)
        return rv;
    if ((rv = credit_page_total(rq, &f, &total)) != CREDIT_OK)
        return rv;
    o = credit_json_new(rq->pool);
    items = json_object_new_array();
    for (i = 0; i < page.items->nelts; i++)
        json_object_array_add(
            items, credit_json_record(rq->pool, ub, APR_ARRAY_IDX(page.items, i, credit_record_t *),
                                      1));
    if (page.has_next && page.items->nelts) {
        credit_record_t *last = APR_ARRAY_IDX(page.items, page.items->nelts - 1, credit_record_t *);
        credit_cursor_t c = {last->clock.disclosed, last->id, 0};
        credit_filter_t n = f;
        n.cursor = c;
        n.has_cursor = 1;
        next = credit_cursor_fmt(rq->pool, &c);
        json_object_object_add(
            o, "next",
            json_object_new_string(apr_pstrcat(rq->pool, ub, "/api/v1/records?",
                                               credit_filter_query(rq->pool, &n, 1, rq->page_size),
                                               NULL)));
    } else {
        json_object_object_add(o, "next", NULL);
    }
    json_object_object_add(o, "total", json_object_new_int64(total));
    json_object_object_add(o, "limit", json_object_new_int(f.limit));
    credit_json_str(o, "next_cursor", next);
    json_object_object_add(o, "items", items);
    return reply(rq, 200, o);
}

/* GET /api/v1/records/{no}: one record with its timeline; 410 with a
 * tombstone (number, state, date) when withdrawn. */
credit_status_t credit_page_api_record(credit_req_t *rq)
{
    credit_record_t *r = NULL;
    apr_array_header_t *events = NULL;
    credit_status_t rv;
    json_object *o, *rec, *tl;
    int i, fresh;
    char buf[16];

    if ((rv = credit_page_validators(rq, &fresh)) != CREDIT_OK || fresh)
        return rv;
    rv = rq->store->ops->get_record(rq->store, rq->route.param, &r, &events);
    if (rv != CREDIT_OK)
        return rv;
    o = credit_json_new(rq->pool);
    if (r->visibility == CREDIT_VIS_WITHDRAWN) {
        json_object *err = json_object_new_object(), *gone = json_object_new_object();
        credit_json_str(err, "code", "gone");
        credit_json_str(err, "message", "this record has been withdrawn from disclosure");
        json_object_object_add(o, "error", err);
        credit_json_str(gone, "no", r->record_no);
        credit_json_str(gone, "state", credit_withdrawn_state(r->status));
        credit_json_str(gone, "on",
                        r->withdrawn_on ? r->withdrawn_on : credit_date_fmt(r->clock.withdraw_on, buf));
        json_object_object_add(o, "record", gone);
        apr_table_setn(rq->headers, "Cache-Control", "no-cache");
        return reply(rq, 410, o);
    }
    rec = credit_json_record(rq->pool, url_base(rq), r, 1);
    tl = json_object_new_array();
    for (i = 0; i < events->nelts; i++) {
        credit_event_t *e = &APR_ARRAY_IDX(events, i, credit_event_t);
        json_object *ev = json_object_new_object();
        credit_json_str(ev, "event", e->event);
        credit_json_str(ev, "on", e->occurred_on);
        credit_json_str(ev, "decision_no", e->decision_no);
        credit_json_str(ev, "note", e->note);
        json_object_array_add(tl, ev);
    }
    json_object_object_add(rec, "timeline", tl);
    json_object_object_add(o, "record", rec);
    return reply(rq, 200, o);
}

/* GET /api/v1/subjects/{id}: the subject and its public records. */
credit_status_t credit_page_api_subject(credit_req_t *rq)
{
    unsigned long long id;
    credit_subject_t *s;
    apr_array_header_t *records;
    long long total;
    credit_status_t rv;
    json_object *o, *items;
    int i, fresh;
    const char *ub = url_base(rq);

    if (!credit_id_parse(rq->route.param, &id))
        return CREDIT_ENOTFOUND;
    if ((rv = credit_page_validators(rq, &fresh)) != CREDIT_OK || fresh)
        return rv;
    if ((rv = rq->store->ops->get_subject(rq->store, id, &s)) != CREDIT_OK)
        return rv;
    rv = rq->store->ops->subject_records(rq->store, id, CREDIT_PAGE_MAX, &records, &total);
    if (rv != CREDIT_OK)
        return rv;
    o = credit_json_new(rq->pool);
    json_object_object_add(o, "subject", credit_json_subject(rq->pool, s));
    items = json_object_new_array();
    for (i = 0; i < records->nelts; i++)
        json_object_array_add(
            items, credit_json_record(rq->pool, ub, APR_ARRAY_IDX(records, i, credit_record_t *), 0));
    json_object_object_add(o, "records_total", json_object_new_int64(total));
    json_object_object_add(o, "records", items);
    return reply(rq, 200, o);
}
