/* credit_page_api.c: JSON API v1 (json-c). */
#include <stdio.h>
#include <string.h>
#include <apr_strings.h>

#include "credit_page.h"
#include "credit_json.h"
#include "credit_model.h"
#include "credit_rules.h"
#include "credit_validate.h"
#include "credit_dsn.h"
#include "credit_workflow.h"

/* The "calendar" member of the health answer (the working-day calendar's
 * last day and the days it still covers after today; nulls when the
 * database is not reachable), and its warning in warnings when fewer than
 * CREDIT_CALENDAR_WARN_DAYS are left. */
static void health_calendar(credit_req_t *rq, int reachable, json_object *o, json_object *warnings)
{
    json_object *cal = json_object_new_object();
    credit_date_t last = {0, 0, 0};
    char buf[16], tb[16];
    long left = 0;
    int ending;
    json_object_object_add(o, "calendar", cal);
    if (!reachable || rq->store->ops->calendar_end(rq->store, &last) != CREDIT_OK) {
        json_object_object_add(cal, "last_day", NULL);
        json_object_object_add(cal, "days_left", NULL);
        return;
    }
    ending = credit_calendar_ending(rq->today, last, &left);
    json_object_object_add(cal, "last_day",
                           last.y ? json_object_new_string(credit_date_fmt(last, buf)) : NULL);
    json_object_object_add(cal, "days_left", last.y ? json_object_new_int64(left) : NULL);
    if (ending) {
        json_object *w = json_object_new_object();
        const char *msg;
        if (!last.y)
            msg = "the working-day calendar (calendar_days) is empty: due dates count Monday to "
                  "Friday; load China's public holidays (sql/002_calendar.sql)";
        else
            msg = apr_psprintf(rq->pool,
                               "the working-day calendar (calendar_days) %s %s (today %s, %ld "
                               "days left): due dates after it count Monday to Friday; add the "
                               "next year's public holidays (the State Council's notice) in a "
                               "migration",
                               left < 0 ? "ended" : "ends", credit_date_fmt(last, buf),
                               credit_date_fmt(rq->today, tb), left < 0 ? 0 : left);
        json_object_object_add(w, "code", json_object_new_string("calendar_ending"));
        json_object_object_add(w, "message", json_object_new_string(msg));
        json_object_array_add(warnings, w);
    }
}

/* A lag in ms for JSON: null when unknown. */
static json_object *lag_json(long long ms)
{
    return ms < 0 ? NULL : json_object_new_int64(ms);
}

/* GET /api/v1/health: for load balancers. 200 when a copy of the database
 * answers, 503 otherwise; which copy answered and how far behind the
 * primary it may be, and every copy as this child knows it; never cached.
 * What an operator must attend to before it goes wrong (the working-day
 * calendar running out) is in "warnings", the status staying "ok". */
credit_status_t credit_page_api_health(credit_req_t *rq)
{
    json_object *o = credit_json_new(rq->pool);
    json_object *db = json_object_new_object();
    json_object *warnings = json_object_new_array();
    json_object *list = json_object_new_array();
    apr_array_header_t *copies = NULL;
    const char *answered = NULL;
    long long lag = -1;
    int schema = 0, i;
    credit_status_t rv = rq->store->ops->schema_version(rq->store, &schema);

    json_object_object_add(o, "status",
                           json_object_new_string(rv == CREDIT_OK ? "ok" : "degraded"));
    json_object_object_add(db, "reachable", json_object_new_boolean(rv == CREDIT_OK));
    if (rv == CREDIT_OK)
        json_object_object_add(db, "schema_version", json_object_new_int(schema));
    else
        json_object_object_add(db, "schema_version", NULL);
    if (rq->store->ops->copies &&
        rq->store->ops->copies(rq->store, &answered, &lag, &copies) == CREDIT_OK) {
        json_object_object_add(db, "answered_by",
                               answered ? json_object_new_string(answered) : NULL);
        json_object_object_add(db, "lag_ms", answered ? lag_json(lag) : NULL);
        for (i = 0; i < copies->nelts; i++) {
            const credit_store_copy_t *k = &APR_ARRAY_IDX(copies, i, credit_store_copy_t);
            json_object *c = json_object_new_object();
            json_object_object_add(c, "name", json_object_new_string(k->name));
            json_object_object_add(c, "role", json_object_new_string(k->role));
            json_object_object_add(c, "state", json_object_new_string(k->state));
            json_object_object_add(c, "lag_ms", lag_json(k->lag_ms));
            json_object_array_add(list, c);
        }
    }
    json_object_object_add(db, "copies", list);
    json_object_object_add(o, "database", db);
    health_calendar(rq, rv == CREDIT_OK, o, warnings);
    json_object_object_add(o, "warnings", warnings);
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
    credit_total_rel_t rel = CREDIT_TOTAL_EQ;
    const char *next = NULL, *ub = url_base(rq);

    if ((rv = credit_page_filter(rq, &f)) != CREDIT_OK)
        return rv;
    if ((rv = credit_page_validators(rq, &fresh)) != CREDIT_OK || fresh)
        return rv;
    if ((rv = rq->store->ops->list_records(rq->store, &f, CREDIT_DETAIL_FULL, &page)) != CREDIT_OK)
        return rv;
    if ((rv = credit_page_total(rq, &f, &total, &rel)) != CREDIT_OK)
        return rv;
    o = credit_json_new(rq->pool);
    items = json_object_new_array();
    for (i = 0; i < page.items->nelts; i++)
        json_object_array_add(
            items,
            credit_json_record(rq->pool, ub, APR_ARRAY_IDX(page.items, i, credit_record_t *), 1));
    if (page.has_next && page.items->nelts) {
        credit_record_t *last = APR_ARRAY_IDX(page.items, page.items->nelts - 1, credit_record_t *);
        credit_cursor_t c = {last->clock.disclosed, last->id, 0};
        credit_filter_t n = f;
        n.cursor = c;
        n.has_cursor = 1;
        if (f.sort == CREDIT_SORT_RELEVANCE) {
            n.has_cursor = 0; /* relevance pages go by number */
            n.page = f.page + 1;
        } else {
            next = credit_cursor_fmt(rq->pool, &c);
        }
        json_object_object_add(o, "next",
                               json_object_new_string(apr_pstrcat(
                                   rq->pool, ub, "/api/v1/records?",
                                   credit_filter_query(rq->pool, &n, 1, rq->page_size), NULL)));
    } else {
        json_object_object_add(o, "next", NULL);
    }
    json_object_object_add(o, "total", json_object_new_int64(total));
    /* "eq": total is the number; "gt": there are more than total (counted
     * up to a bound); "gte": at least total (a frequent word, counted as far
     * as a budget of rows went). */
    json_object_object_add(o, "total_relation", json_object_new_string(credit_total_rel_name(rel)));
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

    rv = rq->store->ops->get_record(rq->store, rq->route.param, &r, &events);
    if (rv != CREDIT_OK)
        return credit_page_moved(rq, "/api/v1/records/", rv);
    if (r->visibility != CREDIT_VIS_WITHDRAWN &&
        ((rv = credit_page_validators(rq, &fresh)) != CREDIT_OK || fresh))
        return rv;
    o = credit_json_new(rq->pool);
    if (r->visibility == CREDIT_VIS_WITHDRAWN) {
        json_object *err = json_object_new_object(), *gone = json_object_new_object();
        credit_json_str(err, "code", "gone");
        credit_json_str(err, "message", "this record has been withdrawn from disclosure");
        json_object_object_add(o, "error", err);
        credit_json_str(gone, "no", r->record_no);
        credit_json_str(gone, "state", credit_withdrawn_state(r->status));
        credit_json_str(gone, "on", credit_tombstone_date(rq->pool, r, rq->today));
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
    credit_subject_t *s;
    apr_array_header_t *records;
    long long total;
    credit_status_t rv;
    json_object *o, *items;
    int i, fresh;
    const char *ub = url_base(rq);

    rv = credit_page_subject_load(rq, CREDIT_PAGE_MAX, &s, &records, &total);
    if (rv != CREDIT_OK)
        return rv;
    if ((rv = credit_page_validators(rq, &fresh)) != CREDIT_OK || fresh)
        return rv;
    o = credit_json_new(rq->pool);
    json_object_object_add(o, "subject", credit_json_subject(rq->pool, s));
    items = json_object_new_array();
    for (i = 0; i < records->nelts; i++)
        json_object_array_add(
            items,
            credit_json_record(rq->pool, ub, APR_ARRAY_IDX(records, i, credit_record_t *), 1));
    json_object_object_add(o, "records_total", json_object_new_int64(total));
    json_object_object_add(o, "records", items);
    return reply(rq, 200, o);
}

static json_object *counts(const apr_array_header_t *a, const credit_enum_t *e)
{
    json_object *arr = json_object_new_array();
    int i;
    for (i = 0; i < a->nelts; i++) {
        credit_count_t *c = &APR_ARRAY_IDX(a, i, credit_count_t);
        json_object *it = json_object_new_object();
        const credit_enum_item_t *item = e ? credit_enum_find(e, c->key) : NULL;
        credit_json_str(it, "key", c->key);
        if (e)
            credit_json_str(it, "label", item ? item->zh : NULL);
        json_object_object_add(it, "n", json_object_new_int64(c->n));
        json_object_array_add(arr, it);
    }
    return arr;
}

/* GET /api/v1/stats: counts of public records, cached per data version
 * and day (the GROUP BYs read every public record). */
credit_status_t credit_page_api_stats(credit_req_t *rq)
{
    credit_stats_t st;
    credit_status_t rv;
    json_object *o;
    const char *key, *text;
    int fresh;

    if ((rv = credit_page_validators(rq, &fresh)) != CREDIT_OK || fresh)
        return rv;
    if ((rv = credit_page_cache_key(rq, "stats", &key)) != CREDIT_OK)
        return rv;
    if (rq->totals && credit_cache_get_text(rq->totals, rq->pool, key, &text)) {
        rq->status = 200;
        rq->content_type = "application/json; charset=utf-8";
        rq->body = text;
        rq->body_len = strlen(text);
        return CREDIT_OK;
    }
    if ((rv = rq->store->ops->stats(rq->store, &st)) != CREDIT_OK)
        return rv;
    o = credit_json_new(rq->pool);
    json_object_object_add(o, "total", json_object_new_int64(st.total));
    json_object_object_add(o, "by_district", counts(st.by_district, &credit_districts));
    json_object_object_add(o, "by_domain", counts(st.by_domain, &credit_domains));
    json_object_object_add(o, "by_category", counts(st.by_category, &credit_categories));
    json_object_object_add(o, "by_severity", counts(st.by_severity, &credit_severities));
    json_object_object_add(o, "by_month", counts(st.by_month, NULL));
    rv = reply(rq, 200, o);
    if (rq->totals)
        credit_cache_put_text(rq->totals, key, rq->body);
    return rv;
}

/* GET /api/v1/openapi.json: the OpenAPI 3 description, a file beside the
 * templates (templates/api/openapi.json) that a test checks against what
 * the code serves. Its servers URL is this portal's: base + "/api/v1"
 * (the file's own is replaced), so a portal under another <Location>
 * describes itself. */
credit_status_t credit_page_api_openapi(credit_req_t *rq)
{
    const char *doc = credit_templates_file(rq->templates, "api/openapi.json");
    json_object *holder, *o, *servers, *server;
    credit_status_t rv;
    int fresh;
    if (!doc)
        return CREDIT_ENOTFOUND;
    if ((rv = credit_page_validators(rq, &fresh)) != CREDIT_OK || fresh)
        return rv;
    holder = credit_json_new(rq->pool); /* owns the parsed document */
    o = json_tokener_parse(doc);
    if (!o || !json_object_is_type(o, json_type_object)) {
        json_object_put(o);
        credit_req_log(rq, 3, "CR0952", "api/openapi.json of the templates is not a JSON object");
        return CREDIT_EINTERNAL;
    }
    json_object_object_add(holder, "doc", o);
    servers = json_object_new_array();
    server = json_object_new_object();
    credit_json_str(server, "url", apr_pstrcat(rq->pool, rq->base, "/api/v1", NULL));
    json_object_array_add(servers, server);
    json_object_object_add(o, "servers", servers);
    rq->status = 200;
    rq->content_type = "application/json; charset=utf-8";
    rq->body = credit_json_text(rq->pool, o, &rq->body_len);
    return CREDIT_OK;
}
